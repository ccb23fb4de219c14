/* The drawing layer: rectangles, rounded cards, thick lines, circles and
 * convex polygons over SDL_Renderer (SDL_RenderGeometry for anything that
 * is not an axis-aligned rectangle), so the same calls draw to a window and
 * to a software renderer on a surface. Vertex buffers live on the stack. */
#include <math.h>
#include <string.h>

#include "wb.h"

#define PI_F 3.14159265f

static SDL_Color sdl(wb_color c)
{
    return (SDL_Color){c.r, c.g, c.b, c.a};
}

static void set(SDL_Renderer *r, wb_color c)
{
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
    SDL_SetRenderDrawBlendMode(r, c.a < 255 ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
}

bool wb_rect_has(wb_rect a, float x, float y)
{
    return x >= a.x && y >= a.y && x < a.x + a.w && y < a.y + a.h;
}

bool wb_rect_overlaps(wb_rect a, wb_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

void wb_draw_fill(SDL_Renderer *r, wb_rect a, wb_color c)
{
    if (a.w <= 0.0f || a.h <= 0.0f) {
        return;
    }
    set(r, c);
    SDL_FRect f = {a.x, a.y, a.w, a.h};
    SDL_RenderFillRectF(r, &f);
}

void wb_draw_frame(SDL_Renderer *r, wb_rect a, float width, wb_color c)
{
    if (width < 1.0f) {
        width = 1.0f;
    }
    wb_draw_fill(r, (wb_rect){a.x, a.y, a.w, width}, c);
    wb_draw_fill(r, (wb_rect){a.x, a.y + a.h - width, a.w, width}, c);
    wb_draw_fill(r, (wb_rect){a.x, a.y + width, width, a.h - 2.0f * width}, c);
    wb_draw_fill(r, (wb_rect){a.x + a.w - width, a.y + width, width, a.h - 2.0f * width}, c);
}

void wb_draw_poly(SDL_Renderer *r, const float *xy, int n, wb_color c)
{
    if (n < 3 || n > 16) {
        return;
    }
    SDL_Vertex v[16] = {0};
    int idx[3 * 14] = {0};
    SDL_Color col = sdl(c);
    for (int i = 0; i < n; i++) {
        v[i].position = (SDL_FPoint){xy[2 * i], xy[2 * i + 1]};
        v[i].color = col;
        v[i].tex_coord = (SDL_FPoint){0.0f, 0.0f};
    }
    for (int i = 1; i + 1 < n; i++) {
        idx[3 * (i - 1)] = 0;
        idx[3 * (i - 1) + 1] = i;
        idx[3 * (i - 1) + 2] = i + 1;
    }
    /* Opaque shapes skip blending: the software rasteriser blends a
     * triangle through a scratch surface the size of its bounding box. */
    SDL_SetRenderDrawBlendMode(r, c.a < 255 ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
    SDL_RenderGeometry(r, NULL, v, n, idx, 3 * (n - 2));
}

void wb_draw_triangle(SDL_Renderer *r, float x0, float y0, float x1, float y1, float x2,
                      float y2, wb_color c)
{
    const float xy[6] = {x0, y0, x1, y1, x2, y2};
    wb_draw_poly(r, xy, 3, c);
}

/* Thick lines as parallel one-pixel lines: the software rasteriser walks
 * a triangle's whole bounding box, so a long diagonal quad costs its area,
 * while a line costs its length. */
void wb_draw_line(SDL_Renderer *r, float x0, float y0, float x1, float y1, float width,
                  wb_color c)
{
    float dx = x1 - x0;
    float dy = y1 - y0;
    float len = sqrtf(dx * dx + dy * dy);
    if (len < 0.01f) {
        return;
    }
    set(r, c);
    int n = (int)(width + 0.5f);
    if (n <= 1) {
        SDL_RenderDrawLineF(r, x0, y0, x1, y1);
        return;
    }
    float nx = -dy / len;
    float ny = dx / len;
    for (int i = 0; i < n; i++) {
        float o = ((float)i - (float)(n - 1) * 0.5f) * (width / (float)n);
        SDL_RenderDrawLineF(r, x0 + nx * o, y0 + ny * o, x1 + nx * o, y1 + ny * o);
    }
}

void wb_draw_dashed(SDL_Renderer *r, float x0, float y0, float x1, float y1, float width,
                    float dash, wb_color c)
{
    float dx = x1 - x0;
    float dy = y1 - y0;
    float len = sqrtf(dx * dx + dy * dy);
    if (len < 0.01f || dash < 1.0f) {
        return;
    }
    float ux = dx / len;
    float uy = dy / len;
    for (float t = 0.0f; t < len; t += 2.0f * dash) {
        float e = t + dash < len ? t + dash : len;
        wb_draw_line(r, x0 + ux * t, y0 + uy * t, x0 + ux * e, y0 + uy * e, width, c);
    }
}

void wb_draw_dashed_frame(SDL_Renderer *r, wb_rect a, float width, float dash, wb_color c)
{
    float h = width * 0.5f;
    wb_draw_dashed(r, a.x, a.y + h, a.x + a.w, a.y + h, width, dash, c);
    wb_draw_dashed(r, a.x, a.y + a.h - h, a.x + a.w, a.y + a.h - h, width, dash, c);
    wb_draw_dashed(r, a.x + h, a.y, a.x + h, a.y + a.h, width, dash, c);
    wb_draw_dashed(r, a.x + a.w - h, a.y, a.x + a.w - h, a.y + a.h, width, dash, c);
}

/* A corner radius that fits the rectangle: at most half of either side. */
static float corner_radius(wb_rect a, float radius)
{
    return fminf(radius, fminf(a.w * 0.5f, a.h * 0.5f));
}

/* A filled rounded rectangle: three rectangles that do not overlap (so a
 * translucent fill stays even) and four small corner fans. Big triangles
 * would be slow in the software rasteriser. */
void wb_draw_round(SDL_Renderer *r, wb_rect a, float radius, wb_color c)
{
    if (a.w <= 0.0f || a.h <= 0.0f) {
        return;
    }
    float rr = corner_radius(a, radius);
    rr = floorf(rr);
    if (rr < 1.0f) {
        wb_draw_fill(r, a, c);
        return;
    }
    wb_draw_fill(r, (wb_rect){a.x + rr, a.y, a.w - 2.0f * rr, a.h}, c);
    wb_draw_fill(r, (wb_rect){a.x, a.y + rr, rr, a.h - 2.0f * rr}, c);
    wb_draw_fill(r, (wb_rect){a.x + a.w - rr, a.y + rr, rr, a.h - 2.0f * rr}, c);
    enum { SEG = 5 };
    SDL_Vertex v[SEG + 2] = {0};
    int idx[3 * SEG] = {0};
    SDL_Color col = sdl(c);
    const float cx[4] = {a.x + a.w - rr, a.x + rr, a.x + rr, a.x + a.w - rr};
    const float cy[4] = {a.y + rr, a.y + rr, a.y + a.h - rr, a.y + a.h - rr};
    SDL_SetRenderDrawBlendMode(r, c.a < 255 ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
    for (int q = 0; q < 4; q++) {
        v[0] = (SDL_Vertex){{cx[q], cy[q]}, col, {0.0f, 0.0f}};
        for (int i = 0; i <= SEG; i++) {
            float ang = ((float)q * 90.0f + (float)i * 90.0f / (float)SEG) * PI_F / 180.0f;
            v[i + 1] = (SDL_Vertex){{cx[q] + cosf(ang) * rr, cy[q] - sinf(ang) * rr}, col,
                                    {0.0f, 0.0f}};
        }
        for (int i = 0; i < SEG; i++) {
            idx[3 * i] = 0;
            idx[3 * i + 1] = i + 1;
            idx[3 * i + 2] = i + 2;
        }
        SDL_RenderGeometry(r, NULL, v, SEG + 2, idx, 3 * SEG);
    }
}

/* A rounded outline: the straight sides as rectangles (thin triangles
 * lose pixels in the software rasteriser), the corners as short strips. */
void wb_draw_round_frame(SDL_Renderer *r, wb_rect a, float radius, float width, wb_color c)
{
    if (a.w <= 0.0f || a.h <= 0.0f) {
        return;
    }
    float rr = corner_radius(a, radius);
    if (rr < width + 0.5f) {
        wb_draw_frame(r, a, width, c);
        return;
    }
    wb_draw_fill(r, (wb_rect){a.x + rr, a.y, a.w - 2.0f * rr, width}, c);
    wb_draw_fill(r, (wb_rect){a.x + rr, a.y + a.h - width, a.w - 2.0f * rr, width}, c);
    wb_draw_fill(r, (wb_rect){a.x, a.y + rr, width, a.h - 2.0f * rr}, c);
    wb_draw_fill(r, (wb_rect){a.x + a.w - width, a.y + rr, width, a.h - 2.0f * rr}, c);
    enum { SEG = 6 };
    SDL_Vertex v[2 * (SEG + 1)] = {0};
    int idx[6 * SEG] = {0};
    SDL_Color col = sdl(c);
    const float cx[4] = {a.x + a.w - rr, a.x + rr, a.x + rr, a.x + a.w - rr};
    const float cy[4] = {a.y + rr, a.y + rr, a.y + a.h - rr, a.y + a.h - rr};
    SDL_SetRenderDrawBlendMode(r, c.a < 255 ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
    for (int q = 0; q < 4; q++) {
        for (int i = 0; i <= SEG; i++) {
            float ang = ((float)q * 90.0f + (float)i * 90.0f / (float)SEG) * PI_F / 180.0f;
            float ca = cosf(ang);
            float sa = sinf(ang);
            v[2 * i] = (SDL_Vertex){{cx[q] + ca * rr, cy[q] - sa * rr}, col, {0.0f, 0.0f}};
            v[2 * i + 1] = (SDL_Vertex){{cx[q] + ca * (rr - width), cy[q] - sa * (rr - width)},
                                        col, {0.0f, 0.0f}};
        }
        int ni = 0;
        for (int i = 0; i < SEG; i++) {
            idx[ni++] = 2 * i;
            idx[ni++] = 2 * i + 1;
            idx[ni++] = 2 * i + 2;
            idx[ni++] = 2 * i + 2;
            idx[ni++] = 2 * i + 1;
            idx[ni++] = 2 * i + 3;
        }
        SDL_RenderGeometry(r, NULL, v, 2 * (SEG + 1), idx, ni);
    }
}

void wb_draw_circle(SDL_Renderer *r, float cx, float cy, float radius, wb_color c)
{
    enum { SEG = 16 };
    float xy[2 * SEG] = {0};
    for (int i = 0; i < SEG; i++) {
        float ang = (float)i * 2.0f * PI_F / (float)SEG;
        xy[2 * i] = cx + cosf(ang) * radius;
        xy[2 * i + 1] = cy + sinf(ang) * radius;
    }
    wb_draw_poly(r, xy, SEG, c);
}

void wb_draw_ellipse_ring(SDL_Renderer *r, float cx, float cy, float rx, float ry, float width,
                          wb_color c)
{
    enum { SEG = 24 };
    float px = cx + rx;
    float py = cy;
    for (int i = 1; i <= SEG; i++) {
        float ang = (float)i * 2.0f * PI_F / (float)SEG;
        float x = cx + cosf(ang) * rx;
        float y = cy + sinf(ang) * ry;
        wb_draw_line(r, px, py, x, y, width, c);
        px = x;
        py = y;
    }
}

void wb_draw_ring(SDL_Renderer *r, float cx, float cy, float radius, float width, wb_color c)
{
    wb_draw_ellipse_ring(r, cx, cy, radius, radius, width, c);
}

wb_color wb_mix(wb_color a, wb_color b, float t)
{
    return (wb_color){(Uint8)((float)a.r + ((float)b.r - (float)a.r) * t + 0.5f),
                      (Uint8)((float)a.g + ((float)b.g - (float)a.g) * t + 0.5f),
                      (Uint8)((float)a.b + ((float)b.b - (float)a.b) * t + 0.5f), 255};
}

wb_color wb_category_color(azb_category cat)
{
    switch (cat) {
    case AZB_CAT_COMPUTE:
        return WB_RGB(0x2b6cb0);
    case AZB_CAT_NETWORK:
        return WB_RGB(0x6b46c1);
    case AZB_CAT_DATA:
        return WB_RGB(0x0f766e);
    case AZB_CAT_MESSAGING:
        return WB_RGB(0xb7791f);
    case AZB_CAT_AI:
        return WB_RGB(0xb83280);
    case AZB_CAT_SOURCE:
    case AZB_CAT_COUNT:
        break;
    }
    return WB_RGB(0x4a5568);
}

/* Glyphs: each kind drawn from a handful of primitives in a unit box
 * (0..1), so they scale with the card and need no image files. */
typedef struct gl {
    SDL_Renderer *r;
    wb_rect a;
    float w; /* stroke width in pixels */
    wb_color c;
} gl;

static float gx(const gl *g, float u)
{
    return g->a.x + u * g->a.w;
}

static float gy(const gl *g, float v)
{
    return g->a.y + v * g->a.h;
}

static void g_line(const gl *g, float u0, float v0, float u1, float v1)
{
    wb_draw_line(g->r, gx(g, u0), gy(g, v0), gx(g, u1), gy(g, v1), g->w, g->c);
}

static void g_rect(const gl *g, float u, float v, float w, float h)
{
    g_line(g, u, v, u + w, v);
    g_line(g, u + w, v, u + w, v + h);
    g_line(g, u + w, v + h, u, v + h);
    g_line(g, u, v + h, u, v);
}

static void g_fill(const gl *g, float u, float v, float w, float h)
{
    wb_draw_fill(g->r, (wb_rect){gx(g, u), gy(g, v), w * g->a.w, h * g->a.h}, g->c);
}

static void g_ring(const gl *g, float u, float v, float rad)
{
    wb_draw_ellipse_ring(g->r, gx(g, u), gy(g, v), rad * g->a.w, rad * g->a.h, g->w, g->c);
}

static void g_ellipse(const gl *g, float u, float v, float ru, float rv)
{
    wb_draw_ellipse_ring(g->r, gx(g, u), gy(g, v), ru * g->a.w, rv * g->a.h, g->w, g->c);
}

static void g_dot(const gl *g, float u, float v, float rad)
{
    wb_draw_circle(g->r, gx(g, u), gy(g, v), rad * g->a.w, g->c);
}

static void g_poly(const gl *g, const float *uv, int n)
{
    float xy[32] = {0};
    for (int i = 0; i < n && i < 16; i++) {
        xy[2 * i] = gx(g, uv[2 * i]);
        xy[2 * i + 1] = gy(g, uv[2 * i + 1]);
    }
    wb_draw_poly(g->r, xy, n, g->c);
}

static void g_arrow(const gl *g, float u0, float v0, float u1, float v1)
{
    g_line(g, u0, v0, u1, v1);
    float dx = u1 - u0;
    float dy = v1 - v0;
    float len = sqrtf(dx * dx + dy * dy);
    if (len <= 0.0f) {
        return;
    }
    dx /= len;
    dy /= len;
    const float uv[6] = {u1 + dx * 0.06f, v1 + dy * 0.06f, u1 - dx * 0.14f - dy * 0.1f,
                         v1 - dy * 0.14f + dx * 0.1f, u1 - dx * 0.14f + dy * 0.1f,
                         v1 - dy * 0.14f - dx * 0.1f};
    g_poly(g, uv, 3);
}

static void g_hexagon(const gl *g, float u, float v, float rad)
{
    for (int i = 0; i < 6; i++) {
        float a0 = ((float)i * 60.0f + 30.0f) * PI_F / 180.0f;
        float a1 = ((float)(i + 1) * 60.0f + 30.0f) * PI_F / 180.0f;
        g_line(g, u + cosf(a0) * rad, v + sinf(a0) * rad, u + cosf(a1) * rad, v + sinf(a1) * rad);
    }
}

void wb_draw_glyph(SDL_Renderer *r, const char *kind, wb_rect a, wb_color c)
{
    gl g = {r, a, a.w / 12.0f, c};
    if (g.w < 1.0f) {
        g.w = 1.0f;
    }
    const char *k = kind != NULL ? kind : "";
    if (strcmp(k, "clients") == 0) {
        g_dot(&g, 0.5f, 0.28f, 0.16f);
        const float body[12] = {0.18f, 0.92f, 0.22f, 0.66f, 0.36f, 0.52f,
                                0.64f, 0.52f, 0.78f, 0.66f, 0.82f, 0.92f};
        g_poly(&g, body, 6);
    } else if (strcmp(k, "vm") == 0) {
        g_rect(&g, 0.08f, 0.12f, 0.84f, 0.56f);
        g_line(&g, 0.5f, 0.68f, 0.5f, 0.84f);
        g_line(&g, 0.3f, 0.86f, 0.7f, 0.86f);
    } else if (strcmp(k, "app_service") == 0) {
        g_rect(&g, 0.08f, 0.14f, 0.84f, 0.72f);
        g_fill(&g, 0.08f, 0.14f, 0.84f, 0.16f);
        g_line(&g, 0.22f, 0.5f, 0.62f, 0.5f);
        g_line(&g, 0.22f, 0.66f, 0.5f, 0.66f);
    } else if (strcmp(k, "functions") == 0) {
        const float bolt1[8] = {0.56f, 0.04f, 0.2f, 0.56f, 0.48f, 0.56f, 0.62f, 0.3f};
        const float bolt2[8] = {0.52f, 0.44f, 0.8f, 0.44f, 0.42f, 0.96f, 0.44f, 0.6f};
        g_poly(&g, bolt1, 4);
        g_poly(&g, bolt2, 4);
    } else if (strcmp(k, "aks") == 0) {
        g_hexagon(&g, 0.5f, 0.5f, 0.42f);
        g_hexagon(&g, 0.5f, 0.5f, 0.18f);
        for (int i = 0; i < 6; i++) {
            float an = ((float)i * 60.0f + 30.0f) * PI_F / 180.0f;
            g_line(&g, 0.5f + cosf(an) * 0.18f, 0.5f + sinf(an) * 0.18f, 0.5f + cosf(an) * 0.42f,
                   0.5f + sinf(an) * 0.42f);
        }
    } else if (strcmp(k, "container_apps") == 0) {
        g_rect(&g, 0.1f, 0.52f, 0.36f, 0.36f);
        g_rect(&g, 0.54f, 0.52f, 0.36f, 0.36f);
        g_rect(&g, 0.32f, 0.1f, 0.36f, 0.36f);
    } else if (strcmp(k, "load_balancer") == 0) {
        g_dot(&g, 0.5f, 0.22f, 0.12f);
        g_arrow(&g, 0.5f, 0.3f, 0.16f, 0.82f);
        g_arrow(&g, 0.5f, 0.3f, 0.5f, 0.84f);
        g_arrow(&g, 0.5f, 0.3f, 0.84f, 0.82f);
    } else if (strcmp(k, "app_gateway") == 0) {
        g_line(&g, 0.2f, 0.1f, 0.2f, 0.9f);
        g_line(&g, 0.8f, 0.1f, 0.8f, 0.9f);
        g_line(&g, 0.2f, 0.1f, 0.8f, 0.1f);
        g_arrow(&g, 0.06f, 0.55f, 0.9f, 0.55f);
    } else if (strcmp(k, "front_door") == 0 || strcmp(k, "cdn") == 0) {
        g_ring(&g, 0.5f, 0.5f, 0.4f);
        g_ellipse(&g, 0.5f, 0.5f, 0.17f, 0.4f);
        g_line(&g, 0.1f, 0.5f, 0.9f, 0.5f);
        if (strcmp(k, "cdn") == 0) {
            g_dot(&g, 0.2f, 0.26f, 0.08f);
            g_dot(&g, 0.82f, 0.74f, 0.08f);
        }
    } else if (strcmp(k, "traffic_manager") == 0) {
        g_line(&g, 0.5f, 0.1f, 0.5f, 0.92f);
        const float s1[8] = {0.5f, 0.16f, 0.86f, 0.16f, 0.94f, 0.26f, 0.5f, 0.36f};
        const float s2[8] = {0.5f, 0.46f, 0.14f, 0.46f, 0.06f, 0.56f, 0.5f, 0.66f};
        g_poly(&g, s1, 4);
        g_poly(&g, s2, 4);
    } else if (strcmp(k, "api_management") == 0) {
        g_line(&g, 0.34f, 0.12f, 0.22f, 0.12f);
        g_line(&g, 0.22f, 0.12f, 0.22f, 0.42f);
        g_line(&g, 0.22f, 0.42f, 0.1f, 0.5f);
        g_line(&g, 0.1f, 0.5f, 0.22f, 0.58f);
        g_line(&g, 0.22f, 0.58f, 0.22f, 0.88f);
        g_line(&g, 0.22f, 0.88f, 0.34f, 0.88f);
        g_line(&g, 0.66f, 0.12f, 0.78f, 0.12f);
        g_line(&g, 0.78f, 0.12f, 0.78f, 0.42f);
        g_line(&g, 0.78f, 0.42f, 0.9f, 0.5f);
        g_line(&g, 0.9f, 0.5f, 0.78f, 0.58f);
        g_line(&g, 0.78f, 0.58f, 0.78f, 0.88f);
        g_line(&g, 0.78f, 0.88f, 0.66f, 0.88f);
        g_dot(&g, 0.5f, 0.5f, 0.08f);
    } else if (strcmp(k, "nat_gateway") == 0) {
        g_rect(&g, 0.1f, 0.3f, 0.46f, 0.46f);
        g_arrow(&g, 0.34f, 0.53f, 0.92f, 0.18f);
    } else if (strcmp(k, "azure_dns") == 0) {
        g_dot(&g, 0.5f, 0.18f, 0.1f);
        g_line(&g, 0.5f, 0.18f, 0.18f, 0.78f);
        g_line(&g, 0.5f, 0.18f, 0.5f, 0.78f);
        g_line(&g, 0.5f, 0.18f, 0.82f, 0.78f);
        g_dot(&g, 0.18f, 0.8f, 0.09f);
        g_dot(&g, 0.5f, 0.8f, 0.09f);
        g_dot(&g, 0.82f, 0.8f, 0.09f);
    } else if (strcmp(k, "vpn_gateway") == 0) {
        g_fill(&g, 0.2f, 0.46f, 0.6f, 0.44f);
        g_ellipse(&g, 0.5f, 0.42f, 0.2f, 0.26f);
    } else if (strcmp(k, "blob_storage") == 0) {
        g_fill(&g, 0.1f, 0.14f, 0.8f, 0.2f);
        g_fill(&g, 0.1f, 0.4f, 0.8f, 0.2f);
        g_fill(&g, 0.1f, 0.66f, 0.8f, 0.2f);
    } else if (strcmp(k, "sql_database") == 0 || strcmp(k, "managed_disk") == 0) {
        if (strcmp(k, "managed_disk") == 0) {
            g_ring(&g, 0.5f, 0.5f, 0.4f);
            g_dot(&g, 0.5f, 0.5f, 0.1f);
        } else {
            g_ellipse(&g, 0.5f, 0.2f, 0.36f, 0.12f);
            g_line(&g, 0.14f, 0.2f, 0.14f, 0.8f);
            g_line(&g, 0.86f, 0.2f, 0.86f, 0.8f);
            g_ellipse(&g, 0.5f, 0.8f, 0.36f, 0.12f);
            g_ellipse(&g, 0.5f, 0.5f, 0.36f, 0.12f);
        }
    } else if (strcmp(k, "cosmos_db") == 0) {
        g_dot(&g, 0.5f, 0.5f, 0.24f);
        g_ellipse(&g, 0.5f, 0.5f, 0.46f, 0.18f);
        g_dot(&g, 0.86f, 0.2f, 0.07f);
    } else if (strcmp(k, "redis") == 0) {
        const float d1[8] = {0.5f, 0.1f, 0.9f, 0.28f, 0.5f, 0.46f, 0.1f, 0.28f};
        g_poly(&g, d1, 4);
        g_line(&g, 0.1f, 0.5f, 0.5f, 0.68f);
        g_line(&g, 0.5f, 0.68f, 0.9f, 0.5f);
        g_line(&g, 0.1f, 0.72f, 0.5f, 0.9f);
        g_line(&g, 0.5f, 0.9f, 0.9f, 0.72f);
    } else if (strcmp(k, "service_bus") == 0) {
        g_rect(&g, 0.08f, 0.22f, 0.84f, 0.56f);
        g_line(&g, 0.08f, 0.22f, 0.5f, 0.56f);
        g_line(&g, 0.5f, 0.56f, 0.92f, 0.22f);
    } else if (strcmp(k, "event_hubs") == 0) {
        g_arrow(&g, 0.08f, 0.22f, 0.86f, 0.22f);
        g_arrow(&g, 0.08f, 0.5f, 0.86f, 0.5f);
        g_arrow(&g, 0.08f, 0.78f, 0.86f, 0.78f);
    } else if (strcmp(k, "azure_openai") == 0) {
        const float a1[6] = {0.5f, 0.04f, 0.6f, 0.4f, 0.4f, 0.4f};
        const float a2[6] = {0.96f, 0.5f, 0.6f, 0.6f, 0.6f, 0.4f};
        const float a3[6] = {0.5f, 0.96f, 0.4f, 0.6f, 0.6f, 0.6f};
        const float a4[6] = {0.04f, 0.5f, 0.4f, 0.4f, 0.4f, 0.6f};
        const float core[8] = {0.4f, 0.4f, 0.6f, 0.4f, 0.6f, 0.6f, 0.4f, 0.6f};
        g_poly(&g, a1, 3);
        g_poly(&g, a2, 3);
        g_poly(&g, a3, 3);
        g_poly(&g, a4, 3);
        g_poly(&g, core, 4);
    } else if (strcmp(k, "ml_endpoint") == 0) {
        g_line(&g, 0.2f, 0.25f, 0.8f, 0.5f);
        g_line(&g, 0.2f, 0.75f, 0.8f, 0.5f);
        g_line(&g, 0.2f, 0.25f, 0.2f, 0.75f);
        g_dot(&g, 0.2f, 0.25f, 0.12f);
        g_dot(&g, 0.2f, 0.75f, 0.12f);
        g_dot(&g, 0.8f, 0.5f, 0.14f);
    } else if (strcmp(k, "region") == 0) {
        wb_draw_dashed_frame(r, a, g.w, a.w / 8.0f, c);
        g_fill(&g, 0.12f, 0.12f, 0.36f, 0.12f);
    } else {
        g_rect(&g, 0.15f, 0.15f, 0.7f, 0.7f);
    }
}
