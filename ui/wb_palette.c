/* The palette: every component kind of the catalog grouped by category,
 * each with its glyph, a filter box on top, and a Region entry that drops a
 * region box with its zone lanes. Drag an entry onto the canvas to add it. */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "wb.h"

#define FILTER_BOX 1000

static const azb_category order[] = {AZB_CAT_SOURCE, AZB_CAT_COMPUTE, AZB_CAT_NETWORK,
                                     AZB_CAT_DATA, AZB_CAT_MESSAGING, AZB_CAT_AI};
static const char *const order_name[] = {"Clients", "Compute", "Networking",
                                         "Data", "Messaging", "AI"};

void wb_palette_build(wb_app *app)
{
    app->npalette = 0;
    for (size_t c = 0; c < sizeof(order) / sizeof(order[0]); c++) {
        for (int i = 0; i < app->cat->nkinds && app->npalette < WB_PALETTE_MAX - 1; i++) {
            if (app->cat->kinds[i].category == order[c]) {
                app->palette_kinds[app->npalette++] = app->cat->kinds[i].id;
            }
        }
    }
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0) {
        return true;
    }
    for (const char *p = hay; *p != '\0'; p++) {
        size_t k = 0;
        while (k < n && p[k] != '\0' &&
               tolower((unsigned char)p[k]) == tolower((unsigned char)needle[k])) {
            k++;
        }
        if (k == n) {
            return true;
        }
    }
    return false;
}

static bool visible(const wb_app *app, const azb_kind *k)
{
    return contains_ci(k->name, app->filter) || contains_ci(k->id, app->filter) ||
           contains_ci(azb_category_name(k->category), app->filter);
}

/* Lay out the list; calls back for every header and entry with its rect. */
typedef bool (*entry_fn)(wb_app *app, const char *kind, const char *header, wb_rect r, void *u);

static void each_entry(wb_app *app, entry_fn fn, void *u)
{
    wb_rect p = app->lay.palette;
    float row = wb_px(app, 30.0f);
    float head = wb_px(app, 26.0f);
    float y = p.y + wb_px(app, 48.0f) - app->palette_scroll;
    if (contains_ci("Region box with zone lanes", app->filter)) {
        if (fn(app, NULL, "Layout", (wb_rect){p.x, y, p.w, head}, u)) {
            return;
        }
        y += head;
        if (fn(app, "region", NULL, (wb_rect){p.x, y, p.w, row}, u)) {
            return;
        }
        y += row;
    }
    for (size_t c = 0; c < sizeof(order) / sizeof(order[0]); c++) {
        bool any = false;
        for (int i = 0; i < app->npalette; i++) {
            const azb_kind *k = azb_catalog_find_kind(app->cat, app->palette_kinds[i]);
            if (k == NULL || k->category != order[c] || !visible(app, k)) {
                continue;
            }
            if (!any) {
                if (fn(app, NULL, order_name[c], (wb_rect){p.x, y, p.w, head}, u)) {
                    return;
                }
                y += head;
                any = true;
            }
            if (fn(app, k->id, NULL, (wb_rect){p.x, y, p.w, row}, u)) {
                return;
            }
            y += row;
        }
    }
}

static bool draw_one(wb_app *app, const char *kind, const char *header, wb_rect r, void *u)
{
    if (header == NULL) {
        (*(int *)u)++;
    }
    SDL_Renderer *ren = app->renderer;
    wb_rect p = app->lay.palette;
    if (r.y + r.h < p.y + wb_px(app, 44.0f) || r.y > p.y + p.h) {
        return false;
    }
    float pad = wb_px(app, 12.0f);
    if (header != NULL) {
        wb_text_draw(&app->text, WB_BOLD, wb_px(app, 10.5f), r.x + pad, r.y + wb_px(app, 9.0f),
                     WB_RGB(WB_C_FAINT), header, 0.0f);
        return false;
    }
    const azb_kind *k = azb_catalog_find_kind(app->cat, kind);
    bool hot = wb_rect_has(r, app->mx, app->my) && app->drag == WB_DRAG_NONE;
    if (hot) {
        wb_draw_round(ren, (wb_rect){r.x + wb_px(app, 6.0f), r.y + 1.0f, r.w - wb_px(app, 12.0f),
                                     r.h - 2.0f},
                      wb_px(app, 5.0f), WB_RGB(0xeef2f7));
    }
    wb_color cc = k != NULL ? wb_category_color(k->category) : WB_RGB(WB_C_REGION);
    float gs = wb_px(app, 18.0f);
    wb_draw_glyph(ren, kind, (wb_rect){r.x + pad, r.y + (r.h - gs) * 0.5f, gs, gs}, cc);
    const char *name = k != NULL ? k->name : "Region + 3 zones";
    float fs = wb_px(app, 12.0f);
    wb_text_draw(&app->text, WB_REGULAR, fs, r.x + pad + gs + wb_px(app, 10.0f),
                 r.y + (r.h - wb_text_height(&app->text, WB_REGULAR, fs)) * 0.5f,
                 WB_RGB(WB_C_TEXT), name, r.w - pad * 2.0f - gs - wb_px(app, 10.0f));
    if (hot) {
        snprintf(app->tooltip, sizeof(app->tooltip), "%s: drag onto the canvas",
                 k != NULL ? k->id : "a region box with its zone lanes");
    }
    return false;
}

/* The filter box, and its clear button at the right end. */
static wb_rect filter_rect(const wb_app *app)
{
    wb_rect p = app->lay.palette;
    return (wb_rect){p.x + wb_px(app, 10.0f), p.y + wb_px(app, 9.0f), p.w - wb_px(app, 20.0f),
                     wb_px(app, 28.0f)};
}

static wb_rect clear_rect(const wb_app *app)
{
    wb_rect box = filter_rect(app);
    float s = wb_px(app, 18.0f);
    return (wb_rect){box.x + box.w - s - wb_px(app, 5.0f), box.y + (box.h - s) * 0.5f, s, s};
}

void wb_palette_draw(wb_app *app)
{
    SDL_Renderer *r = app->renderer;
    wb_rect p = app->lay.palette;
    wb_draw_fill(r, p, WB_RGB(WB_C_PANEL));
    wb_draw_fill(r, (wb_rect){p.x + p.w - 1.0f, p.y, 1.0f, p.h}, WB_RGB(WB_C_BORDER));
    SDL_Rect clip = {(int)p.x, (int)p.y, (int)p.w - 1, (int)p.h};
    SDL_RenderSetClipRect(r, &clip);
    int shown = 0;
    each_entry(app, draw_one, &shown);
    if (shown == 0) {
        wb_text_wrap(&app->text, WB_REGULAR, wb_px(app, 12.0f), p.x + wb_px(app, 12.0f),
                     p.y + wb_px(app, 56.0f), p.w - wb_px(app, 24.0f), WB_RGB(WB_C_MUTED),
                     wb_fmt(app, "No component matches \"%s\".", app->filter), 3);
    }
    /* Filter box over the list. */
    wb_draw_fill(r, (wb_rect){p.x, p.y, p.w - 1.0f, wb_px(app, 44.0f)}, WB_RGB(WB_C_PANEL));
    wb_rect box = filter_rect(app);
    bool focus = app->box.owner == FILTER_BOX;
    wb_draw_round(r, box, wb_px(app, 5.0f), WB_RGB(WB_C_PANEL_ALT));
    wb_draw_round_frame(r, box, wb_px(app, 5.0f), focus ? 2.0f : 1.0f,
                        focus ? WB_RGB(WB_C_ACCENT) : WB_RGB(WB_C_BORDER));
    float fs = wb_px(app, 12.0f);
    float ty = box.y + (box.h - wb_text_height(&app->text, WB_REGULAR, fs)) * 0.5f;
    float room = box.w - wb_px(app, 16.0f);
    if (app->filter[0] != '\0') {
        wb_rect x = clear_rect(app);
        bool hot = wb_rect_has(x, app->mx, app->my);
        if (hot) {
            wb_draw_round(r, x, wb_px(app, 4.0f), WB_RGB(0xe6e9ee));
            snprintf(app->tooltip, sizeof(app->tooltip), "clear the filter (Esc)");
        }
        float c = wb_px(app, 4.0f);
        wb_color xc = hot ? WB_RGB(WB_C_TEXT) : WB_RGB(WB_C_MUTED);
        wb_draw_line(r, x.x + c, x.y + c, x.x + x.w - c, x.y + x.h - c, wb_px(app, 1.5f), xc);
        wb_draw_line(r, x.x + c, x.y + x.h - c, x.x + x.w - c, x.y + c, wb_px(app, 1.5f), xc);
        room -= x.w + wb_px(app, 4.0f);
    }
    if (app->filter[0] == '\0' && !focus) {
        wb_text_draw(&app->text, WB_REGULAR, fs, box.x + wb_px(app, 8.0f), ty, WB_RGB(WB_C_FAINT),
                     "Filter components", 0.0f);
    } else {
        if (focus && app->box.all && app->filter[0] != '\0') {
            wb_draw_fill(r, (wb_rect){box.x + wb_px(app, 8.0f), ty,
                                      fminf(room, wb_text_width(&app->text, WB_REGULAR, fs, app->filter)),
                                      wb_text_height(&app->text, WB_REGULAR, fs)},
                         WB_RGB(0xc4daf2) /* selected text */);
        }
        float w = wb_text_draw(&app->text, WB_REGULAR, fs, box.x + wb_px(app, 8.0f), ty,
                               WB_RGB(WB_C_TEXT), app->filter, room);
        if (focus) {
            wb_draw_fill(r, (wb_rect){box.x + wb_px(app, 8.0f) + w + 1.0f, ty, 1.0f,
                                      wb_text_height(&app->text, WB_REGULAR, fs)},
                         WB_RGB(WB_C_TEXT));
        }
    }
    SDL_RenderSetClipRect(r, NULL);
    /* The component being dragged follows the pointer. */
    if (app->drag == WB_DRAG_PALETTE && app->drag_kind >= 0) {
        const char *kind = app->drag_kind < app->npalette ? app->palette_kinds[app->drag_kind]
                                                          : "region";
        const azb_kind *k = azb_catalog_find_kind(app->cat, kind);
        float z = (float)app->view.zoom;
        wb_rect ghost = {app->mx - (float)WB_NODE_W * z * 0.5f, app->my - (float)WB_NODE_H * z * 0.5f,
                         (float)WB_NODE_W * z, (float)WB_NODE_H * z};
        wb_draw_round(r, ghost, 8.0f * z, WB_RGBA(0xffffff, 200));
        wb_draw_round_frame(r, ghost, 8.0f * z, 1.5f, WB_RGB(WB_C_ACCENT));
        wb_draw_glyph(r, kind, (wb_rect){ghost.x + 14.0f * z, ghost.y + 14.0f * z, 20.0f * z, 20.0f * z},
                      k != NULL ? wb_category_color(k->category) : WB_RGB(WB_C_REGION));
        wb_text_draw(&app->text, WB_BOLD, 12.0f * z, ghost.x + 46.0f * z, ghost.y + 10.0f * z,
                     WB_RGB(WB_C_TEXT), k != NULL ? k->name : "Region", ghost.w - 52.0f * z);
    }
}

typedef struct hit {
    float x, y;
    const char *kind;
    wb_rect rect;
} hit;

static bool hit_one(wb_app *app, const char *kind, const char *header, wb_rect r, void *u)
{
    (void)app;
    hit *h = u;
    if (header == NULL && ((h->kind == NULL && wb_rect_has(r, h->x, h->y)) ||
                           (h->kind != NULL && h->x < 0.0f && strcmp(kind, h->kind) == 0))) {
        h->kind = kind;
        h->rect = r;
        return true;
    }
    return false;
}

bool wb_palette_entry_rect(wb_app *app, const char *kind, wb_rect *out)
{
    hit h = {-1.0f, -1.0f, kind, {0.0f, 0.0f, 0.0f, 0.0f}};
    wb_app_layout(app);
    each_entry(app, hit_one, &h);
    if (h.rect.w <= 0.0f) {
        return false;
    }
    *out = h.rect;
    return true;
}

static int palette_index(const wb_app *app, const char *kind)
{
    for (int i = 0; i < app->npalette; i++) {
        if (strcmp(app->palette_kinds[i], kind) == 0) {
            return i;
        }
    }
    return app->npalette; /* the region entry */
}

bool wb_palette_event(wb_app *app, const SDL_Event *ev)
{
    wb_rect p = app->lay.palette;
    float x = app->mx;
    float y = app->my;
    if (app->drag == WB_DRAG_PALETTE) {
        if (ev->type == SDL_MOUSEBUTTONUP) {
            app->drag = WB_DRAG_NONE;
            if (wb_rect_has(app->lay.canvas, x, y) && app->drag_kind >= 0) {
                const char *kind = app->drag_kind < app->npalette
                                       ? app->palette_kinds[app->drag_kind]
                                       : "region";
                wb_canvas_drop(app, kind, x, y);
            }
            app->drag_kind = -1;
        }
        return true;
    }
    if (app->box.owner == FILTER_BOX) {
        if (ev->type == SDL_TEXTINPUT) {
            if ((SDL_GetModState() & (KMOD_CTRL | KMOD_GUI)) != 0) {
                return true; /* a shortcut, not text */
            }
            if (app->box.all) {
                app->filter[0] = '\0';
                app->box.all = false;
            }
            size_t len = strlen(app->filter);
            snprintf(app->filter + len, sizeof(app->filter) - len, "%s", ev->text.text);
            app->palette_scroll = 0.0f;
            return true;
        }
        if (ev->type == SDL_KEYDOWN) {
            SDL_Keycode k = ev->key.keysym.sym;
            bool ctrl = (ev->key.keysym.mod & (KMOD_CTRL | KMOD_GUI)) != 0;
            size_t len = strlen(app->filter);
            if (ctrl && k == SDLK_a) {
                app->box.all = true; /* the filter's text, not every component */
                return true;
            }
            /* A printable key comes back as SDL_TEXTINPUT, which replaces a
             * selected text; only editing keys drop the selection here. */
            bool all = app->box.all;
            if (k == SDLK_BACKSPACE || k == SDLK_DELETE || k == SDLK_ESCAPE || k == SDLK_RETURN ||
                k == SDLK_LEFT || k == SDLK_RIGHT || k == SDLK_HOME || k == SDLK_END) {
                app->box.all = false;
            }
            if (k == SDLK_BACKSPACE && all) {
                app->filter[0] = '\0';
            } else if (k == SDLK_BACKSPACE && len > 0) {
                do {
                    len--;
                } while (len > 0 && ((unsigned char)app->filter[len] & 0xc0) == 0x80);
                app->filter[len] = '\0';
            } else if (k == SDLK_ESCAPE || k == SDLK_RETURN) {
                if (k == SDLK_ESCAPE) {
                    app->filter[0] = '\0';
                }
                app->box.owner = 0;
                /* text input stays on: the path box and fields take typing at once */
            }
            return true;
        }
    }
    if (ev->type == SDL_MOUSEMOTION) {
        /* The pointer left the canvas: nothing there is hovered any more. */
        app->hover_node = -1;
        app->hover_edge = -1;
    }
    if (ev->type == SDL_MOUSEWHEEL) {
        app->palette_scroll = fmaxf(0.0f, app->palette_scroll - ev->wheel.preciseY * wb_px(app, 30.0f));
        return true;
    }
    if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT) {
        if (app->filter[0] != '\0' && wb_rect_has(clear_rect(app), x, y)) {
            app->filter[0] = '\0';
            app->palette_scroll = 0.0f;
            app->box.all = false;
            return true;
        }
        if (y < p.y + wb_px(app, 44.0f)) {
            app->box.all = false;
            app->box.owner = FILTER_BOX;
            SDL_StartTextInput();
            return true;
        }
        if (app->box.owner == FILTER_BOX) {
            app->box.owner = 0;
            /* text input stays on: the path box and fields take typing at once */
        }
        hit h = {x, y, NULL, {0.0f, 0.0f, 0.0f, 0.0f}};
        each_entry(app, hit_one, &h);
        if (h.kind != NULL) {
            app->drag = WB_DRAG_PALETTE;
            app->drag_kind = palette_index(app, h.kind);
            return true;
        }
    }
    return false;
}
