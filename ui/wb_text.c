/* Text: SDL2_ttf glyphs rasterised once into one atlas per (face, size) and
 * drawn as textured quads. A frame that draws known glyphs allocates
 * nothing; zooming reuses a fixed ladder of sizes. The atlas keeps white
 * glyphs with coverage in alpha and colour comes from the texture's colour
 * modulation, so one atlas serves every colour. No kerning: DejaVu Sans
 * reads well without it, and glyph-by-glyph advances keep measuring and
 * drawing identical. */
#include <string.h>

#include "wb.h"

static const int size_ladder[] = {6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 24,
                                  26, 28, 32, 36, 40, 44, 48, 56, 64};
#define NLADDER ((int)(sizeof(size_ladder) / sizeof(size_ladder[0])))

static int ladder_px(float px)
{
    int best = size_ladder[0];
    for (int i = 0; i < NLADDER; i++) {
        if ((float)size_ladder[i] <= px + 0.25f) {
            best = size_ladder[i];
        }
    }
    return best;
}

static const char *font_file[WB_FACE_COUNT] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"};

bool wb_text_init(wb_text *t, SDL_Renderer *r, const char *data_dir, char *why, size_t why_size)
{
    memset(t, 0, sizeof(*t));
    t->renderer = r;
    if (TTF_WasInit() == 0 && TTF_Init() != 0) {
        snprintf(why, why_size, "SDL_ttf: %s", TTF_GetError());
        return false;
    }
    for (int f = 0; f < WB_FACE_COUNT; f++) {
        char path[4200] = "";
        snprintf(path, sizeof(path), "%s/assets/fonts/%s", data_dir, font_file[f]);
        t->data[f] = SDL_LoadFile(path, &t->size[f]);
        if (t->data[f] == NULL) {
            snprintf(why, why_size, "cannot read the font %s: %s", path, SDL_GetError());
            wb_text_free(t);
            return false;
        }
    }
    return true;
}

static void slot_free(wb_text_slot *s)
{
    if (s->font != NULL) {
        TTF_CloseFont(s->font);
    }
    if (s->atlas != NULL) {
        SDL_DestroyTexture(s->atlas);
    }
    memset(s, 0, sizeof(*s));
}

void wb_text_free(wb_text *t)
{
    for (int i = 0; i < WB_TEXT_SLOTS; i++) {
        slot_free(&t->slots[i]);
    }
    for (int f = 0; f < WB_FACE_COUNT; f++) {
        SDL_free(t->data[f]);
        t->data[f] = NULL;
    }
    if (TTF_WasInit() != 0) {
        TTF_Quit();
    }
}

static wb_text_slot *slot_get(wb_text *t, wb_face face, float pxf)
{
    int px = ladder_px(pxf);
    wb_text_slot *victim = &t->slots[0];
    for (int i = 0; i < WB_TEXT_SLOTS; i++) {
        wb_text_slot *s = &t->slots[i];
        if (s->font != NULL && s->face == (int)face && s->px == px) {
            s->used = t->frame;
            return s;
        }
        if (s->font == NULL) {
            if (victim->font != NULL) {
                victim = s;
            }
        } else if (victim->font != NULL && s->used < victim->used) {
            victim = s;
        }
    }
    slot_free(victim);
    SDL_RWops *rw = SDL_RWFromConstMem(t->data[face], (int)t->size[face]);
    victim->font = rw != NULL ? TTF_OpenFontRW(rw, 1, px) : NULL;
    if (victim->font == NULL) {
        return NULL;
    }
    TTF_SetFontHinting(victim->font, TTF_HINTING_LIGHT);
    victim->face = (int)face;
    victim->px = px;
    victim->height = TTF_FontHeight(victim->font);
    victim->ascent = TTF_FontAscent(victim->font);
    victim->atlas_size = px <= 16 ? 256 : (px <= 32 ? 512 : 1024);
    victim->atlas = SDL_CreateTexture(t->renderer, SDL_PIXELFORMAT_ARGB8888,
                                      SDL_TEXTUREACCESS_STATIC, victim->atlas_size,
                                      victim->atlas_size);
    if (victim->atlas == NULL) {
        slot_free(victim);
        return NULL;
    }
    SDL_SetTextureBlendMode(victim->atlas, SDL_BLENDMODE_BLEND);
    victim->used = t->frame;
    return victim;
}

/* Decode one UTF-8 sequence; bad bytes read as U+FFFD-like '?'. */
static Uint32 utf8_next(const char **ps)
{
    const unsigned char *s = (const unsigned char *)*ps;
    Uint32 cp = '?';
    int n = 1;
    if (s[0] < 0x80) {
        cp = s[0];
    } else if ((s[0] & 0xe0) == 0xc0 && (s[1] & 0xc0) == 0x80) {
        cp = ((Uint32)(s[0] & 0x1f) << 6) | (Uint32)(s[1] & 0x3f);
        n = 2;
    } else if ((s[0] & 0xf0) == 0xe0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
        cp = ((Uint32)(s[0] & 0x0f) << 12) | ((Uint32)(s[1] & 0x3f) << 6) | (Uint32)(s[2] & 0x3f);
        n = 3;
    } else if ((s[0] & 0xf8) == 0xf0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
               (s[3] & 0xc0) == 0x80) {
        cp = ((Uint32)(s[0] & 0x07) << 18) | ((Uint32)(s[1] & 0x3f) << 12) |
             ((Uint32)(s[2] & 0x3f) << 6) | (Uint32)(s[3] & 0x3f);
        n = 4;
    }
    *ps += n;
    return cp;
}

/* A glyph of the slot, rasterised into its atlas the first time it is
 * asked for. Rasterising on demand keeps the first frame to the glyphs it
 * shows (all of printable ASCII for every size would be three times as many). */
static wb_glyph *glyph_get(wb_text *t, wb_text_slot *s, Uint32 cp)
{
    wb_glyph *g = NULL;
    if (cp < WB_GLYPHS_DIRECT) {
        g = &s->direct[cp];
    } else {
        for (int i = 0; i < s->nextra; i++) {
            if (s->extra[i].cp == cp) {
                return &s->extra[i];
            }
        }
        if (s->nextra >= WB_GLYPHS_EXTRA) {
            return glyph_get(t, s, '?');
        }
        g = &s->extra[s->nextra++];
        memset(g, 0, sizeof(*g));
    }
    if (g->w > 0 || g->adv > 0) {
        return g;
    }
    g->cp = cp;
    if (!TTF_GlyphIsProvided32(s->font, cp)) {
        cp = '?';
    }
    int minx = 0, maxx = 0, miny = 0, maxy = 0, adv = 0;
    if (TTF_GlyphMetrics32(s->font, cp, &minx, &maxx, &miny, &maxy, &adv) != 0) {
        adv = s->px / 2;
    }
    g->adv = (short)adv;
    if (cp == ' ' || cp < 32) {
        return g;
    }
    SDL_Surface *gs = TTF_RenderGlyph32_Blended(s->font, cp, (SDL_Color){255, 255, 255, 255});
    if (gs == NULL) {
        return g;
    }
    SDL_Surface *conv = SDL_ConvertSurfaceFormat(gs, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(gs);
    if (conv == NULL) {
        return g;
    }
    if (s->pen_x + conv->w + 1 > s->atlas_size) {
        s->pen_x = 0;
        s->pen_y += s->row_h + 1;
        s->row_h = 0;
    }
    if (s->pen_y + conv->h + 1 <= s->atlas_size && conv->w <= s->atlas_size) {
        SDL_Rect dst = {s->pen_x, s->pen_y, conv->w, conv->h};
        SDL_UpdateTexture(s->atlas, &dst, conv->pixels, conv->pitch);
        g->x = (short)s->pen_x;
        g->y = (short)s->pen_y;
        g->w = (short)conv->w;
        g->h = (short)conv->h;
        s->pen_x += conv->w + 1;
        if (conv->h > s->row_h) {
            s->row_h = conv->h;
        }
        t->rasterised++;
    }
    SDL_FreeSurface(conv);
    return g;
}

static float measure(wb_text *t, wb_text_slot *s, const char *str)
{
    float w = 0.0f;
    const char *p = str;
    while (*p != '\0') {
        Uint32 cp = utf8_next(&p);
        w += (float)glyph_get(t, s, cp)->adv;
    }
    return w;
}

float wb_text_width(wb_text *t, wb_face face, float px, const char *s)
{
    wb_text_slot *slot = slot_get(t, face, px);
    return slot != NULL ? measure(t, slot, s) : 0.0f;
}

float wb_text_height(wb_text *t, wb_face face, float px)
{
    wb_text_slot *slot = slot_get(t, face, px);
    return slot != NULL ? (float)slot->height : px;
}

float wb_text_draw(wb_text *t, wb_face face, float px, float x, float y, wb_color c,
                   const char *str, float max_w)
{
    wb_text_slot *s = slot_get(t, face, px);
    if (s == NULL || str == NULL) {
        return 0.0f;
    }
    float limit = -1.0f;
    if (max_w > 0.0f && measure(t, s, str) > max_w) {
        limit = max_w - (float)glyph_get(t, s, 0x2026)->adv;
    }
    SDL_SetTextureColorMod(s->atlas, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(s->atlas, c.a);
    float pen = x;
    const char *p = str;
    while (*p != '\0') {
        Uint32 cp = utf8_next(&p);
        wb_glyph *g = glyph_get(t, s, cp);
        if (limit >= 0.0f && pen + (float)g->adv - x > limit) {
            wb_glyph *e = glyph_get(t, s, 0x2026);
            if (e->w > 0) {
                SDL_Rect src = {e->x, e->y, e->w, e->h};
                SDL_FRect dst = {pen, y, (float)e->w, (float)e->h};
                SDL_RenderCopyF(t->renderer, s->atlas, &src, &dst);
            }
            pen += (float)e->adv;
            break;
        }
        if (g->w > 0) {
            SDL_Rect src = {g->x, g->y, g->w, g->h};
            SDL_FRect dst = {SDL_floorf(pen + 0.5f), SDL_floorf(y + 0.5f), (float)g->w,
                             (float)g->h};
            SDL_RenderCopyF(t->renderer, s->atlas, &src, &dst);
        }
        pen += (float)g->adv;
    }
    return pen - x;
}

float wb_text_wrap(wb_text *t, wb_face face, float px, float x, float y, float w, wb_color c,
                   const char *str, int max_lines)
{
    float lh = wb_text_height(t, face, px) * 1.15f;
    char line[512] = "";
    size_t len = 0;
    int lines = 0;
    const char *p = str;
    while (*p != '\0' && lines < max_lines) {
        /* Next word with its leading blanks. */
        const char *q = p;
        while (*q == ' ') {
            q++;
        }
        while (*q != '\0' && *q != ' ' && *q != '\n') {
            q++;
        }
        size_t wl = (size_t)(q - p);
        char trial[512] = "";
        snprintf(trial, sizeof(trial), "%.*s%.*s", (int)len, line, (int)wl, p);
        bool fits = wb_text_width(t, face, px, trial) <= w || len == 0;
        bool room = wl + len < sizeof(line) - 1;
        if (fits && room) {
            memcpy(line + len, p, wl);
            len += wl;
            line[len] = '\0';
            p = q;
        } else if (len == 0) {
            size_t take = wl < sizeof(line) - 1 ? wl : sizeof(line) - 1;
            memcpy(line, p, take);
            len = take;
            line[len] = '\0';
            p = q;
        }
        if (!fits || !room || *p == '\n' || *p == '\0') {
            line[len] = '\0';
            bool last = lines + 1 == max_lines && *p != '\0';
            const char *shown = line[0] == ' ' ? line + 1 : line;
            if (last) {
                char more[520] = "";
                snprintf(more, sizeof(more), "%s%s", shown, " \xe2\x80\xa6");
                wb_text_draw(t, face, px, x, y + lh * (float)lines, c, more, w);
            } else {
                wb_text_draw(t, face, px, x, y + lh * (float)lines, c, shown, 0.0f);
            }
            lines++;
            len = 0;
            line[0] = '\0';
            if (*p == '\n') {
                p++;
            }
        }
    }
    return lh * (float)lines;
}
