/* The canvas: grid, region boxes and zone lanes, edges with their load,
 * nodes as cards coloured by utilisation; pan, zoom, select, move, connect,
 * drop. Everything off screen is culled; below a zoom where text would be
 * unreadable, cards are drawn as plain blocks (level of detail), which is
 * what keeps a 500-node design inside a frame. */
#include <math.h>
#include <string.h>

#include "wb.h"
#include "wb_drill.h"

#define SNAP 10.0
#define HANDLE_R 6.0f

void wb_canvas_to_screen(const wb_app *app, double cx, double cy, float *sx, float *sy)
{
    *sx = app->lay.canvas.x + (float)((cx - app->view.ox) * app->view.zoom);
    *sy = app->lay.canvas.y + (float)((cy - app->view.oy) * app->view.zoom);
}

void wb_canvas_from_screen(const wb_app *app, float sx, float sy, double *cx, double *cy)
{
    *cx = app->view.ox + (double)(sx - app->lay.canvas.x) / app->view.zoom;
    *cy = app->view.oy + (double)(sy - app->lay.canvas.y) / app->view.zoom;
}

static wb_rect node_rect(const wb_app *app, const azb_node *n)
{
    float x = 0.0f, y = 0.0f;
    wb_canvas_to_screen(app, n->x, n->y, &x, &y);
    float z = (float)app->view.zoom;
    return (wb_rect){x, y, (float)WB_NODE_W * z, (float)WB_NODE_H * z};
}

static wb_rect group_rect(const wb_app *app, const azb_group *g)
{
    float x = 0.0f, y = 0.0f;
    wb_canvas_to_screen(app, g->x, g->y, &x, &y);
    float z = (float)app->view.zoom;
    return (wb_rect){x, y, (float)g->w * z, (float)g->h * z};
}

static float unit(const wb_app *app)
{
    return (float)app->view.zoom; /* pixels per canvas unit */
}

int wb_canvas_node_at(const wb_app *app, float sx, float sy)
{
    const azb_design *d = wb_design(app);
    for (int i = d->nnodes - 1; i >= 0; i--) {
        if (wb_rect_has(node_rect(app, &d->nodes[i]), sx, sy)) {
            return i;
        }
    }
    return -1;
}

static int group_at(const wb_app *app, float sx, float sy, bool label_only)
{
    const azb_design *d = wb_design(app);
    int best = -1;
    double best_area = 0.0;
    for (int i = 0; i < d->ngroups; i++) {
        const azb_group *g = &d->groups[i];
        wb_rect r = group_rect(app, g);
        if (label_only) {
            r.h = fminf(r.h, 24.0f * unit(app));
        }
        double area = g->w * g->h;
        if (wb_rect_has(r, sx, sy) && (best < 0 || area < best_area)) {
            best = i;
            best_area = area;
        }
    }
    return best;
}

/* Where a line from the card's centre towards (tx, ty) leaves the card. */
static void card_exit(wb_rect r, float tx, float ty, float *ox, float *oy)
{
    float cx = r.x + r.w * 0.5f;
    float cy = r.y + r.h * 0.5f;
    float dx = tx - cx;
    float dy = ty - cy;
    float sx = dx != 0.0f ? (r.w * 0.5f) / fabsf(dx) : 1e30f;
    float sy = dy != 0.0f ? (r.h * 0.5f) / fabsf(dy) : 1e30f;
    float s = fminf(sx, sy);
    if (s > 1.0f) {
        s = 1.0f;
    }
    *ox = cx + dx * s;
    *oy = cy + dy * s;
}

/* Which side of card r a line towards (tx, ty) leaves by: 0 right, 1 bottom,
 * 2 left, 3 top. */
static int card_side(wb_rect r, float tx, float ty)
{
    float dx = (tx - (r.x + r.w * 0.5f)) / fmaxf(r.w * 0.5f, 1e-3f);
    float dy = (ty - (r.y + r.h * 0.5f)) / fmaxf(r.h * 0.5f, 1e-3f);
    if (fabsf(dx) >= fabsf(dy)) {
        return dx >= 0.0f ? 0 : 2;
    }
    return dy >= 0.0f ? 1 : 3;
}

/* Ports: edges that leave (or enter) a card by the same side are spread
 * along it, ordered by where their other end is, so two calls from one
 * node to neighbours in a row do not draw one over the other. One entry per
 * edge end, sorted by (node, side, key); built in the frame's arena. */
typedef struct port {
    int node, side;
    float key;
    int edge;
    int end; /* 0 from, 1 to */
} port;

static int port_cmp(const void *a, const void *b)
{
    const port *p = a, *q = b;
    if (p->node != q->node) {
        return p->node < q->node ? -1 : 1;
    }
    if (p->side != q->side) {
        return p->side < q->side ? -1 : 1;
    }
    if (p->key != q->key) {
        return p->key < q->key ? -1 : 1;
    }
    return p->edge < q->edge ? -1 : (p->edge > q->edge ? 1 : 0);
}

/* Offsets along the side, in canvas units: [2 * edge + end]; NULL when the
 * arena has no room (then every edge leaves from its card's centre line). */
static float *port_offsets(wb_app *app)
{
    const azb_design *d = wb_design(app);
    if (d->nedges == 0) {
        return NULL;
    }
    size_t n = (size_t)d->nedges * 2u;
    float *off = wb_arena_alloc(app, n * sizeof(float));
    port *ports = wb_arena_alloc(app, n * sizeof(port));
    if (off == NULL || ports == NULL) {
        return NULL;
    }
    size_t np = 0;
    for (int i = 0; i < d->nedges; i++) {
        const azb_edge *e = &d->edges[i];
        off[2 * i] = 0.0f;
        off[2 * i + 1] = 0.0f;
        if (e->from_idx < 0 || e->to_idx < 0) {
            continue;
        }
        const azb_node *a = &d->nodes[e->from_idx];
        const azb_node *b = &d->nodes[e->to_idx];
        wb_rect ra = {(float)a->x, (float)a->y, (float)WB_NODE_W, (float)WB_NODE_H};
        wb_rect rb = {(float)b->x, (float)b->y, (float)WB_NODE_W, (float)WB_NODE_H};
        float ax = ra.x + ra.w * 0.5f, ay = ra.y + ra.h * 0.5f;
        float bx = rb.x + rb.w * 0.5f, by = rb.y + rb.h * 0.5f;
        int sa = card_side(ra, bx, by);
        int sb = card_side(rb, ax, ay);
        ports[np++] = (port){e->from_idx, sa, (sa % 2 == 0) ? by : bx, i, 0};
        ports[np++] = (port){e->to_idx, sb, (sb % 2 == 0) ? ay : ax, i, 1};
    }
    qsort(ports, np, sizeof(port), port_cmp);
    for (size_t k = 0; k < np;) {
        size_t j = k;
        while (j < np && ports[j].node == ports[k].node && ports[j].side == ports[k].side) {
            j++;
        }
        size_t cnt = j - k;
        if (cnt > 1) {
            float side_len = (ports[k].side % 2 == 0) ? (float)WB_NODE_H : (float)WB_NODE_W;
            float step = fminf(14.0f, side_len * 0.7f / (float)(cnt - 1));
            for (size_t m = k; m < j; m++) {
                off[2 * ports[m].edge + ports[m].end] =
                    ((float)(m - k) - (float)(cnt - 1) * 0.5f) * step;
            }
        }
        k = j;
    }
    return off;
}

static void shift_port(wb_rect r, float *x, float *y, float off)
{
    if (off == 0.0f) {
        return;
    }
    /* Along the side the point is on, kept inside the card's corners. */
    bool vertical_side = fabsf(*x - r.x) < 1.0f || fabsf(*x - (r.x + r.w)) < 1.0f;
    if (vertical_side) {
        *y = fminf(fmaxf(*y + off, r.y + r.h * 0.15f), r.y + r.h * 0.85f);
    } else {
        *x = fminf(fmaxf(*x + off, r.x + r.w * 0.1f), r.x + r.w * 0.9f);
    }
}

static void edge_ends(const wb_app *app, const float *ports, int i, float *x0, float *y0,
                      float *x1, float *y1)
{
    const azb_design *d = wb_design(app);
    const azb_edge *e = &d->edges[i];
    wb_rect a = node_rect(app, &d->nodes[e->from_idx]);
    wb_rect b = node_rect(app, &d->nodes[e->to_idx]);
    float gap = 3.0f * unit(app);
    float ax = a.x + a.w * 0.5f, ay = a.y + a.h * 0.5f;
    float bx = b.x + b.w * 0.5f, by = b.y + b.h * 0.5f;
    card_exit(a, bx, by, x0, y0);
    card_exit(b, ax, ay, x1, y1);
    if (ports != NULL) {
        shift_port(a, x0, y0, ports[2 * i] * unit(app));
        shift_port(b, x1, y1, ports[2 * i + 1] * unit(app));
    }
    float dx = *x1 - *x0, dy = *y1 - *y0;
    float len = sqrtf(dx * dx + dy * dy);
    if (len > 2.0f * gap) {
        *x0 += dx / len * gap;
        *y0 += dy / len * gap;
        *x1 -= dx / len * gap;
        *y1 -= dy / len * gap;
    }
}

static float seg_dist(float px, float py, float x0, float y0, float x1, float y1)
{
    float dx = x1 - x0, dy = y1 - y0;
    float l2 = dx * dx + dy * dy;
    float t = l2 > 0.0f ? ((px - x0) * dx + (py - y0) * dy) / l2 : 0.0f;
    t = fmaxf(0.0f, fminf(1.0f, t));
    float qx = x0 + t * dx - px, qy = y0 + t * dy - py;
    return sqrtf(qx * qx + qy * qy);
}

static int edge_at(wb_app *app, float sx, float sy)
{
    const azb_design *d = wb_design(app);
    size_t mark = app->arena_used;
    const float *ports = port_offsets(app);
    int hit = -1;
    for (int i = 0; i < d->nedges && hit < 0; i++) {
        const azb_edge *e = &d->edges[i];
        if (e->from_idx < 0 || e->to_idx < 0) {
            continue;
        }
        float x0 = 0.0f, y0 = 0.0f, x1 = 0.0f, y1 = 0.0f;
        edge_ends(app, ports, i, &x0, &y0, &x1, &y1);
        if (seg_dist(sx, sy, x0, y0, x1, y1) < wb_px(app, 5.0f)) {
            hit = i;
        }
    }
    app->arena_used = mark;
    return hit;
}

/* Utilisation colours: calm below 60%, warm below 85%, hot above. */
static void load_colors(double u, wb_color *strong, wb_color *soft)
{
    if (u < 0.60) {
        *strong = WB_RGB(WB_C_CALM);
        *soft = WB_RGB(WB_C_CALM_SOFT);
    } else if (u < 0.85) {
        *strong = WB_RGB(WB_C_WARM);
        *soft = WB_RGB(WB_C_WARM_SOFT);
    } else {
        *strong = WB_RGB(WB_C_HOT);
        *soft = WB_RGB(WB_C_HOT_SOFT);
    }
}

static const azb_node_result *node_result(const wb_app *app, int i)
{
    const azb_result *r = app->result;
    if (!app->model_ok || r == NULL || i < 0 || i >= r->nnodes) {
        return NULL;
    }
    return &r->nodes[i];
}

static void draw_grid(wb_app *app)
{
    wb_rect c = app->lay.canvas;
    double step = 20.0;
    while (step * app->view.zoom < 14.0) {
        step *= 5.0;
    }
    double x0 = floor(app->view.ox / step) * step;
    double y0 = floor(app->view.oy / step) * step;
    SDL_FPoint pts[512] = {0};
    int n = 0;
    SDL_SetRenderDrawColor(app->renderer, 0xd3, 0xd8, 0xde, 0xff);
    SDL_SetRenderDrawBlendMode(app->renderer, SDL_BLENDMODE_NONE);
    for (double y = y0; y < app->view.oy + (double)c.h / app->view.zoom; y += step) {
        for (double x = x0; x < app->view.ox + (double)c.w / app->view.zoom; x += step) {
            float sx = 0.0f, sy = 0.0f;
            wb_canvas_to_screen(app, x, y, &sx, &sy);
            pts[n++] = (SDL_FPoint){floorf(sx), floorf(sy)};
            if (n == 512) {
                SDL_RenderDrawPointsF(app->renderer, pts, n);
                n = 0;
            }
        }
    }
    if (n > 0) {
        SDL_RenderDrawPointsF(app->renderer, pts, n);
    }
}

static void draw_groups(wb_app *app)
{
    const azb_design *d = wb_design(app);
    SDL_Renderer *r = app->renderer;
    float z = unit(app);
    bool text = z * 12.0f >= 6.0f;
    /* Regions first, then zones on top. */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < d->ngroups; i++) {
            const azb_group *g = &d->groups[i];
            bool zone = strcmp(g->kind, "zone") == 0;
            if (zone != (pass == 1)) {
                continue;
            }
            wb_rect a = group_rect(app, g);
            if (!wb_rect_overlaps(a, app->lay.canvas)) {
                continue;
            }
            bool sel = app->sel_group == i;
            if (zone) {
                wb_draw_round(r, a, 6.0f * z, WB_RGB(WB_C_ZONE_FILL));
                wb_draw_dashed_frame(r, a, fmaxf(1.0f, z), 5.0f * z,
                                     sel ? WB_RGB(WB_C_ACCENT) : WB_RGB(WB_C_ZONE));
            } else {
                wb_draw_round(r, a, 10.0f * z, WB_RGB(WB_C_REGION_FILL));
                wb_draw_round_frame(r, a, 10.0f * z, fmaxf(1.0f, (sel ? 2.0f : 1.25f) * z),
                                    sel ? WB_RGB(WB_C_ACCENT) : WB_RGB(WB_C_REGION));
            }
            if (!text) {
                continue;
            }
            if (zone) {
                const char *lab = g->label[0] != '\0' ? g->label : wb_fmt(app, "Zone %d", g->zone);
                wb_text_draw(&app->text, WB_BOLD, 10.5f * z, a.x + 8.0f * z, a.y + 5.0f * z,
                             WB_RGB(0x5a7396), lab, a.w - 12.0f * z);
            } else {
                int ri = azb_catalog_find_region(app->cat, g->region);
                const char *disp = ri >= 0 ? app->cat->regions[ri].display : g->region;
                const char *lab = g->label[0] != '\0' ? g->label : disp;
                float w = wb_text_draw(&app->text, WB_BOLD, 12.5f * z, a.x + 12.0f * z,
                                       a.y + 8.0f * z, WB_RGB(0x3d5a80), lab, a.w - 24.0f * z);
                const char *extra = ri >= 0 && app->cat->regions[ri].zones > 0
                                        ? wb_fmt(app, "%s  %d zones", g->region,
                                                 app->cat->regions[ri].zones)
                                        : g->region;
                wb_text_draw(&app->text, WB_REGULAR, 11.0f * z, a.x + 12.0f * z + w + 8.0f * z,
                             a.y + 9.0f * z, WB_RGB(0x7d8fa8), extra,
                             a.w - w - 40.0f * z);
            }
            if (sel) {
                float h = 8.0f * z;
                wb_draw_fill(r, (wb_rect){a.x + a.w - h, a.y + a.h - h, h, h},
                             WB_RGB(WB_C_ACCENT));
            }
        }
    }
}

static void draw_arrow_head(SDL_Renderer *r, float x0, float y0, float x1, float y1, float size,
                            wb_color c)
{
    float dx = x1 - x0, dy = y1 - y0;
    float len = sqrtf(dx * dx + dy * dy);
    if (len < 1.0f) {
        return;
    }
    dx /= len;
    dy /= len;
    wb_draw_triangle(r, x1, y1, x1 - dx * size - dy * size * 0.55f,
                     y1 - dy * size + dx * size * 0.55f, x1 - dx * size + dy * size * 0.55f,
                     y1 - dy * size - dx * size * 0.55f, c);
}

#define LABELS_MAX 1024
#define OBSTACLES_MAX 512

/* Where labels must not go: cards and the titles of region boxes and zone
 * lanes on screen, and the labels placed so far. Fixed arrays in the
 * frame's arena; past their size, later items are not avoided. */
typedef struct placer {
    wb_rect *obst;
    int nobst;
    wb_rect *labels;
    int nlabels;
} placer;

static void placer_init(wb_app *app, placer *pl)
{
    const azb_design *d = wb_design(app);
    pl->obst = wb_arena_alloc(app, sizeof(wb_rect) * OBSTACLES_MAX);
    pl->labels = wb_arena_alloc(app, sizeof(wb_rect) * LABELS_MAX);
    pl->nobst = 0;
    pl->nlabels = 0;
    if (pl->obst == NULL || pl->labels == NULL) {
        pl->obst = NULL;
        pl->labels = NULL;
        return;
    }
    wb_rect view = app->lay.canvas;
    float z = unit(app);
    for (int i = 0; i < d->nnodes && pl->nobst < OBSTACLES_MAX; i++) {
        wb_rect r = node_rect(app, &d->nodes[i]);
        if (wb_rect_overlaps(r, view)) {
            pl->obst[pl->nobst++] = r;
        }
    }
    for (int i = 0; i < d->ngroups && pl->nobst < OBSTACLES_MAX; i++) {
        const azb_group *g = &d->groups[i];
        wb_rect r = group_rect(app, g);
        bool zone = strcmp(g->kind, "zone") == 0;
        /* The title: the label and, on a region, its name and zones. */
        float tw = zone ? 8.0f * z + wb_text_width(&app->text, WB_BOLD, 10.5f * z, "Zone 3") +
                              (g->label[0] != '\0'
                                   ? wb_text_width(&app->text, WB_BOLD, 10.5f * z, g->label)
                                   : 0.0f)
                        : 12.0f * z + (g->label[0] != '\0'
                                           ? wb_text_width(&app->text, WB_BOLD, 12.5f * z, g->label)
                                           : 110.0f * z) +
                              150.0f * z;
        wb_rect t = {r.x, r.y, fminf(r.w, tw + 8.0f * z), (zone ? 20.0f : 30.0f) * z};
        if (wb_rect_overlaps(t, view)) {
            pl->obst[pl->nobst++] = t;
        }
    }
}

static bool placer_free(const placer *pl, wb_rect r)
{
    for (int k = 0; k < pl->nobst; k++) {
        if (wb_rect_overlaps(pl->obst[k], r)) {
            return false;
        }
    }
    for (int k = 0; k < pl->nlabels; k++) {
        if (wb_rect_overlaps(pl->labels[k], r)) {
            return false;
        }
    }
    return true;
}

/* A pill of w x h for the segment (x0, y0)-(x1, y1): on the line from the
 * middle outwards, then beside it; false when every place is taken. */
static bool place_label(const placer *pl, float x0, float y0, float x1, float y1, float w, float h,
                        float gap, const wb_rect *head, wb_rect *out)
{
    static const float along[] = {0.5f, 0.4f, 0.6f, 0.3f, 0.7f, 0.2f, 0.8f};
    float dx = x1 - x0, dy = y1 - y0;
    float len = sqrtf(dx * dx + dy * dy);
    float nx = len > 0.0f ? -dy / len : 0.0f;
    float ny = len > 0.0f ? dx / len : 1.0f;
    /* Beside the line: far enough that the pill clears it. */
    float side = fabsf(nx) * (w * 0.5f) + fabsf(ny) * (h * 0.5f) + gap;
    for (int pass = 0; pass < 3; pass++) {
        float o = pass == 0 ? 0.0f : (pass == 1 ? side : -side);
        for (size_t k = 0; k < sizeof(along) / sizeof(along[0]); k++) {
            float cx = x0 + dx * along[k] + nx * o;
            float cy = y0 + dy * along[k] + ny * o;
            wb_rect r = {cx - w * 0.5f, cy - h * 0.5f, w, h};
            if (head != NULL && wb_rect_overlaps(*head, r)) {
                continue;
            }
            if (pl->obst == NULL || placer_free(pl, r)) {
                *out = r;
                return true;
            }
        }
    }
    return false;
}

static void placer_add(placer *pl, wb_rect r)
{
    if (pl->labels != NULL && pl->nlabels < LABELS_MAX) {
        pl->labels[pl->nlabels++] = r;
    }
}

static void draw_label_text(wb_app *app, const wb_edge_label *l, const char *top)
{
    const azb_design *d = wb_design(app);
    float z = unit(app);
    float fs = 10.0f * z;
    float mx = l->pill.x + l->pill.w * 0.5f;
    wb_text_draw(&app->text, WB_REGULAR, fs, mx - l->tw * 0.5f, l->pill.y + 1.0f * z,
                 app->sel_edge == l->edge ? WB_RGB(WB_C_ACCENT) : WB_RGB(0x4a5261), top, 0.0f);
    if (l->show_label) {
        float th = wb_text_height(&app->text, WB_REGULAR, fs);
        wb_text_draw(&app->text, WB_REGULAR, fs * 0.95f, mx - l->lw * 0.5f,
                     l->pill.y + th + 1.0f * z, WB_RGB(WB_C_MUTED), d->edges[l->edge].label,
                     200.0f * z);
    }
}

static void draw_pill(wb_app *app, const wb_edge_label *l)
{
    wb_draw_round(app->renderer, l->pill, 4.0f * unit(app), WB_RGB(0xf5f6f8));
}

static void draw_label(wb_app *app, const wb_edge_label *l, const char *top)
{
    draw_pill(app, l);
    draw_label_text(app, l, top);
}

/* FNV-1a over the rates the labels print: the load slider or a model run
 * changes them without an edit. */
static unsigned long long rates_hash(const wb_app *app)
{
    const azb_result *res = app->model_ok ? app->result : NULL;
    if (res == NULL) {
        return 0ull;
    }
    unsigned long long h = 1469598103934665603ull;
    for (int i = 0; i < res->nedges; i++) {
        unsigned char b[sizeof(double)];
        memcpy(b, &res->edges[i].rps, sizeof(b));
        for (size_t k = 0; k < sizeof(b); k++) {
            h = (h ^ b[k]) * 1099511628211ull;
        }
    }
    h = (h ^ (unsigned long long)res->nedges) * 1099511628211ull;
    return h == 0ull ? 1ull : h;
}

static bool labels_current(const wb_app *app, const wb_edge_labels *c, unsigned long long rates)
{
    wb_rect v = app->lay.canvas;
    return c->valid && c->rev == azb_edit_revision(app->ed) && c->design == wb_design(app) &&
           c->view.ox == app->view.ox && c->view.oy == app->view.oy &&
           c->view.zoom == app->view.zoom && c->canvas.x == v.x && c->canvas.y == v.y &&
           c->canvas.w == v.w && c->canvas.h == v.h && c->sel_edge == app->sel_edge &&
           c->hover_edge == app->hover_edge && c->rates == rates;
}

/* Places every label on screen into c. Placement depends on what is on
 * screen (cards, titles and labels outside the view are not avoided), so
 * the cache is for an unchanged view, not one reused across a pan. Past
 * the cache's size (or a top line too long for it) the labels are drawn
 * here, in order, and c is left invalid. */
static void place_labels(wb_app *app, wb_edge_labels *c, const float *ports)
{
    const azb_design *d = wb_design(app);
    float z = unit(app);
    wb_rect view = app->lay.canvas;
    placer pl;
    placer_init(app, &pl);
    c->n = 0;
    c->valid = true;
    /* Selected and hovered edges claim their place first. */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < d->nedges; i++) {
            const azb_edge *e = &d->edges[i];
            bool sel = app->sel_edge == i;
            bool hov = app->hover_edge == i;
            if (e->from_idx < 0 || e->to_idx < 0 || (sel || hov) != (pass == 0)) {
                continue;
            }
            float x0 = 0.0f, y0 = 0.0f, x1 = 0.0f, y1 = 0.0f;
            edge_ends(app, ports, i, &x0, &y0, &x1, &y1);
            wb_rect bb = {fminf(x0, x1) - 40.0f * z, fminf(y0, y1) - 20.0f * z,
                          fabsf(x1 - x0) + 80.0f * z, fabsf(y1 - y0) + 40.0f * z};
            if (!wb_rect_overlaps(bb, view)) {
                continue;
            }
            float len = sqrtf((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
            /* Load, its share when the call is not made every visit, and
             * the cache outcome it carries. */
            const azb_result *res = app->model_ok ? app->result : NULL;
            char rate[32] = "";
            if (res != NULL && i < res->nedges) {
                wb_rate(rate, sizeof(rate), res->edges[i].rps);
            }
            const char *on = e->on == AZB_ON_MISS ? "miss " : (e->on == AZB_ON_HIT ? "hit " : "");
            const char *share = e->p < 1.0 ? wb_fmt(app, "%.3g%% \xc2\xb7 ", e->p * 100.0) : "";
            const char *top = wb_fmt(app, "%s%s%s", on, share, rate);
            float fs = 10.0f * z;
            float tw = wb_text_width(&app->text, WB_REGULAR, fs, top);
            float th = wb_text_height(&app->text, WB_REGULAR, fs);
            float lw = 0.0f;
            bool show_label = e->label[0] != '\0' && (sel || hov || len > 130.0f * z);
            float maxw = 200.0f * z;
            if (show_label) {
                lw = fminf(wb_text_width(&app->text, WB_REGULAR, fs * 0.95f, e->label), maxw);
            }
            float bw = fmaxf(tw, lw) + 8.0f * z;
            float bh = th * (show_label ? 2.0f : 1.0f) + 2.0f * z;
            wb_rect pill = {0};
            /* Clear of the arrow head if it can be, else over the line's end. */
            float hs = 9.0f * z;
            wb_rect head = {x1 - hs, y1 - hs, 2.0f * hs, 2.0f * hs};
            bool fits = place_label(&pl, x0, y0, x1, y1, bw, bh, 3.0f * z, &head, &pill) ||
                        place_label(&pl, x0, y0, x1, y1, bw, bh, 3.0f * z, NULL, &pill);
            if (!fits && show_label) {
                /* Without the second line it may fit. */
                show_label = false;
                bw = tw + 8.0f * z;
                bh = th + 2.0f * z;
                fits = place_label(&pl, x0, y0, x1, y1, bw, bh, 3.0f * z, &head, &pill) ||
                       place_label(&pl, x0, y0, x1, y1, bw, bh, 3.0f * z, NULL, &pill);
            }
            if (!fits && !(sel || hov)) {
                /* A short call: its share, else its rate, alone. */
                top = e->p < 1.0 ? wb_fmt(app, "%.3g%%", e->p * 100.0) : rate;
                tw = wb_text_width(&app->text, WB_REGULAR, fs, top);
                bw = tw + 6.0f * z;
                bh = th + 2.0f * z;
                fits = place_label(&pl, x0, y0, x1, y1, bw, bh, 2.0f * z, NULL, &pill);
            }
            if (!fits) {
                if (!(sel || hov)) {
                    continue; /* no room: it shows when hovered or selected */
                }
                pill = (wb_rect){(x0 + x1) * 0.5f - bw * 0.5f, (y0 + y1) * 0.5f - bh * 0.5f, bw, bh};
            }
            placer_add(&pl, pill);
            wb_edge_label l = {.pill = pill,
                               .tw = tw,
                               .lw = lw,
                               .edge = i,
                               .show_label = show_label,
                               .cluster = 0,
                               .in_layer = false,
                               .top = ""};
            size_t tl = strlen(top);
            if (c->valid && c->n < WB_EDGE_LABELS_MAX && tl < sizeof(l.top)) {
                memcpy(l.top, top, tl + 1);
                c->items[c->n++] = l;
                continue;
            }
            if (c->valid) {
                for (int k = 0; k < c->n; k++) {
                    draw_label(app, &c->items[k], c->items[k].top);
                }
                c->valid = false;
            }
            draw_label(app, &l, top);
        }
    }
}

/* Pixels around a pill its text may touch: glyph edges pass it by one or
 * two. */
#define LABEL_MARGIN 4

/* The whole pixels around a pill, widened by LABEL_MARGIN and kept inside
 * the layer (a copy's source and destination must be clipped alike, or SDL
 * scales it); empty when off it. */
static SDL_Rect label_bounds(const wb_edge_labels *c, wb_rect p)
{
    int x0 = (int)floorf(p.x) - LABEL_MARGIN, y0 = (int)floorf(p.y) - LABEL_MARGIN;
    int x1 = (int)ceilf(p.x + p.w) + LABEL_MARGIN, y1 = (int)ceilf(p.y + p.h) + LABEL_MARGIN;
    SDL_Rect a = {x0, y0, x1 - x0, y1 - y0};
    SDL_Rect all = {0, 0, c->layer_w, c->layer_h};
    SDL_Rect out = {0, 0, 0, 0};
    if (!SDL_IntersectRect(&a, &all, &out)) {
        return (SDL_Rect){0, 0, 0, 0};
    }
    return out;
}

static bool rects_meet(SDL_Rect a, SDL_Rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Labels whose bounds meet, directly or through others, form a cluster
 * (numbered by its first label); two clusters share no pixel, so they can
 * be drawn in any order. Runs when the labels are placed, not per frame. */
static void cluster_labels(wb_edge_labels *c)
{
    for (int k = 0; k < c->n; k++) {
        c->items[k].cluster = k;
    }
    for (int k = 0; k < c->n; k++) {
        SDL_Rect a = label_bounds(c, c->items[k].pill);
        for (int j = k + 1; j < c->n; j++) {
            int ck = c->items[k].cluster, cj = c->items[j].cluster;
            if (ck == cj || !rects_meet(a, label_bounds(c, c->items[j].pill))) {
                continue;
            }
            int keep = ck < cj ? ck : cj, drop = ck < cj ? cj : ck;
            for (int m = 0; m < c->n; m++) {
                if (c->items[m].cluster == drop) {
                    c->items[m].cluster = keep;
                }
            }
        }
    }
}

/* Whether label k, drawn into the layer with all the others, copies out as
 * drawn on the screen: every pixel in its bounds clear (nothing drawn) or
 * opaque (a pill, or text blended onto one), and its outer ring clear
 * unless another label of its cluster covers it (nothing drawn past what
 * the cluster copies). A glyph edge blended over a clear pixel, past a pill
 * or in a rounded corner, would not copy as drawn. */
static bool layer_exact(wb_app *app, const wb_edge_labels *c, int k)
{
    SDL_Rect b = label_bounds(c, c->items[k].pill);
    if (b.w <= 0 || b.h <= 0) {
        return true;
    }
    size_t mark = app->arena_used;
    Uint32 *px = wb_arena_alloc(app, (size_t)b.w * (size_t)b.h * sizeof(Uint32));
    bool ok = px != NULL && SDL_RenderReadPixels(app->renderer, &b, SDL_PIXELFORMAT_ARGB8888, px,
                                                 b.w * (int)sizeof(Uint32)) == 0;
    for (int y = 0; ok && y < b.h; y++) {
        for (int x = 0; ok && x < b.w; x++) {
            Uint32 a = px[(size_t)y * (size_t)b.w + (size_t)x] >> 24;
            ok = a == 0u || a == 255u;
            if (ok && a != 0u && (x == 0 || y == 0 || x == b.w - 1 || y == b.h - 1)) {
                SDL_Rect p = {b.x + x, b.y + y, 1, 1};
                ok = false;
                for (int j = 0; j < c->n && !ok; j++) {
                    ok = j != k && c->items[j].cluster == c->items[k].cluster &&
                         rects_meet(p, label_bounds(c, c->items[j].pill));
                }
            }
        }
    }
    app->arena_used = mark;
    return ok;
}

/* The software rasteriser fills each pill's rounded corners as triangles
 * walked pixel by pixel and blends text glyph by glyph; with 300 labels on
 * screen that is a sixth of the frame. So there the labels are drawn once,
 * in order, into a clear layer of the output's size at the same
 * coordinates, and copied from it each frame. Where the layer is opaque or
 * clear, the copy writes what drawing would (pills are opaque, text blends
 * onto them; clear pixels leave the screen alone); a cluster of labels
 * with a pixel in between (a glyph edge over a clear pixel) is drawn
 * directly instead. GPU renderers draw directly: their targets can be
 * lost, and drawing is not what costs there. */
static bool layer_ready(wb_app *app, wb_edge_labels *c)
{
    SDL_Renderer *r = app->renderer;
    if (c->layer_off) {
        return false;
    }
    int w = 0, h = 0;
    if (SDL_GetRendererOutputSize(r, &w, &h) != 0) {
        return false;
    }
    /* As far as the canvas reaches: labels are clipped to it. Creating the
     * texture is the slow part (its pages are touched for the first time,
     * 30 ms for 1920x1080 here), once per size. */
    wb_rect cv = app->lay.canvas;
    w = SDL_min(w, (int)ceilf(cv.x + cv.w));
    h = SDL_min(h, (int)ceilf(cv.y + cv.h));
    if (w <= 0 || h <= 0) {
        return false;
    }
    if (c->layer == NULL || c->layer_w != w || c->layer_h != h) {
        SDL_RendererInfo info = {0};
        if (SDL_GetRendererInfo(r, &info) != 0 || (info.flags & SDL_RENDERER_SOFTWARE) == 0 ||
            (info.flags & SDL_RENDERER_TARGETTEXTURE) == 0 || SDL_GetRenderTarget(r) != NULL) {
            c->layer_off = true;
            return false;
        }
        if (c->layer != NULL) {
            SDL_DestroyTexture(c->layer);
        }
        c->layer = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
        if (c->layer == NULL || SDL_SetTextureBlendMode(c->layer, SDL_BLENDMODE_BLEND) != 0) {
            c->layer_off = true;
            return false;
        }
        c->layer_w = w;
        c->layer_h = h;
        c->layer_fresh = false;
    }
    if (c->layer_fresh) {
        return true;
    }
    SDL_Rect clip = {0, 0, 0, 0};
    SDL_RenderGetClipRect(r, &clip);
    if (SDL_SetRenderTarget(r, c->layer) != 0) {
        c->layer_off = true;
        return false;
    }
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r, 0, 0, 0, 0);
    SDL_RenderClear(r);
    SDL_RenderSetClipRect(r, SDL_RectEmpty(&clip) ? NULL : &clip);
    cluster_labels(c);
    for (int k = 0; k < c->n; k++) {
        draw_label(app, &c->items[k], c->items[k].top);
        c->items[k].in_layer = true;
    }
    for (int k = 0; k < c->n; k++) {
        if (!layer_exact(app, c, k)) {
            int cl = c->items[k].cluster;
            for (int j = 0; j < c->n; j++) {
                c->items[j].in_layer = c->items[j].in_layer && c->items[j].cluster != cl;
            }
        }
    }
    SDL_SetRenderTarget(r, NULL);
    SDL_RenderSetClipRect(r, SDL_RectEmpty(&clip) ? NULL : &clip);
    c->layer_fresh = true;
    return true;
}

static void draw_edges(wb_app *app)
{
    const azb_design *d = wb_design(app);
    SDL_Renderer *r = app->renderer;
    float z = unit(app);
    wb_rect view = app->lay.canvas;
    bool text = z * 10.0f >= 7.0f;
    const float *ports = port_offsets(app);
    /* The lines first, then the labels over every line. */
    for (int i = 0; i < d->nedges; i++) {
        const azb_edge *e = &d->edges[i];
        if (e->from_idx < 0 || e->to_idx < 0) {
            continue;
        }
        float x0 = 0.0f, y0 = 0.0f, x1 = 0.0f, y1 = 0.0f;
        edge_ends(app, ports, i, &x0, &y0, &x1, &y1);
        wb_rect bb = {fminf(x0, x1) - 2.0f, fminf(y0, y1) - 2.0f, fabsf(x1 - x0) + 4.0f,
                      fabsf(y1 - y0) + 4.0f};
        if (!wb_rect_overlaps(bb, view)) {
            continue;
        }
        bool sel = app->sel_edge == i;
        bool hov = app->hover_edge == i;
        wb_color c = sel ? WB_RGB(WB_C_ACCENT) : (hov ? WB_RGB(0x5b6474) : WB_RGB(WB_C_EDGE));
        const azb_node_result *to = node_result(app, e->to_idx);
        if (to != NULL && to->saturated && !sel) {
            c = WB_RGB(0xd9777a);
        }
        float w = fmaxf(1.0f, (sel ? 2.2f : 1.5f) * z);
        float head = fmaxf(4.0f, 8.0f * z);
        float len = sqrtf((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
        float hx = len > 0.0f ? x1 - (x1 - x0) / len * head * 0.8f : x1;
        float hy = len > 0.0f ? y1 - (y1 - y0) / len * head * 0.8f : y1;
        if (e->mode == AZB_EDGE_ASYNC) {
            wb_draw_dashed(r, x0, y0, hx, hy, w, 5.0f * z, c);
        } else {
            wb_draw_line(r, x0, y0, hx, hy, w, c);
        }
        draw_arrow_head(r, x0, y0, x1, y1, head, c);
    }
    if (!text) {
        return;
    }
    wb_edge_labels *c = &app->edge_labels;
    unsigned long long rates = rates_hash(app);
    if (!labels_current(app, c, rates)) {
        c->rev = azb_edit_revision(app->ed);
        c->design = d;
        c->view = app->view;
        c->canvas = view;
        c->sel_edge = app->sel_edge;
        c->hover_edge = app->hover_edge;
        c->rates = rates;
        place_labels(app, c, ports);
        c->layer_fresh = false;
        c->reused = 0;
        if (!c->valid) {
            return; /* did not fit the cache: drawn as placed */
        }
    } else if (c->reused < 2) {
        c->reused++;
    }
    /* Building the layer costs more than drawing once: not while the view,
     * the hover or the design change every frame (a pan, a drag). */
    if (c->reused < 1 || !layer_ready(app, c)) {
        for (int k = 0; k < c->n; k++) {
            draw_label(app, &c->items[k], c->items[k].top);
        }
        return;
    }
    for (int k = 0; k < c->n; k++) {
        const wb_edge_label *l = &c->items[k];
        if (!l->in_layer) {
            draw_label(app, l, l->top);
            continue;
        }
        SDL_Rect a = label_bounds(c, l->pill);
        if (a.w > 0 && a.h > 0) {
            SDL_RenderCopy(r, c->layer, &a, &a);
        }
    }
}

static void draw_node(wb_app *app, int i, const azb_node *n, bool detail)
{
    SDL_Renderer *r = app->renderer;
    float z = unit(app);
    wb_rect a = node_rect(app, n);
    const azb_node_result *nr = node_result(app, i);
    bool source = n->kind_ref != NULL && n->kind_ref->capacity_model == AZB_CAP_SOURCE;
    azb_category cat = n->kind_ref != NULL ? n->kind_ref->category : AZB_CAT_SOURCE;
    wb_color cc = wb_category_color(cat);
    wb_color strong = WB_RGB(WB_C_BORDER);
    wb_color soft = WB_RGB(0xffffff);
    double u = nr != NULL ? nr->utilization : 0.0;
    int drill_count = 0; /* a drill replay shows its second instead of the model */
    bool drill = wb_drill_node_state(app, i, &u, &drill_count);
    if (nr != NULL && !source) {
        load_colors(u, &strong, &soft);
    }
    bool sel = wb_sel_has(app, i);
    bool sat = drill ? u >= 1.0 : (nr != NULL && nr->saturated);
    if (!detail) {
        wb_draw_fill(r, a, soft);
        wb_draw_fill(r, (wb_rect){a.x, a.y, fmaxf(1.0f, 4.0f * z), a.h}, cc);
        if (nr != NULL && !source) {
            wb_draw_fill(r, (wb_rect){a.x, a.y + a.h - fmaxf(1.0f, 6.0f * z), a.w,
                                      fmaxf(1.0f, 6.0f * z)},
                         strong);
        }
        if (sel) {
            wb_draw_frame(r, a, 2.0f, WB_RGB(WB_C_ACCENT));
        } else if (sat) {
            wb_draw_frame(r, a, 2.0f, WB_RGB(WB_C_HOT));
        }
        return;
    }
    float rad = 8.0f * z;
    wb_draw_round(r, (wb_rect){a.x, a.y + 2.0f * z, a.w, a.h}, rad, WB_RGB(0xd9dde4));
    wb_draw_round(r, a, rad, WB_RGB(0xffffff));
    if (nr != NULL && !source) {
        wb_draw_round(r, (wb_rect){a.x + 1.0f, a.y + 1.0f, a.w - 2.0f, a.h - 2.0f}, rad, soft);
    }
    wb_color border = sel ? WB_RGB(WB_C_ACCENT) : (sat ? WB_RGB(WB_C_HOT) : WB_RGB(0xd5d9e0));
    wb_draw_round_frame(r, a, rad, fmaxf(1.0f, (sel || sat ? 2.0f : 1.0f) * z), border);
    /* Glyph on a tinted tile. */
    wb_rect tile = {a.x + 9.0f * z, a.y + 9.0f * z, 30.0f * z, 30.0f * z};
    wb_draw_round(r, tile, 6.0f * z, wb_mix(WB_RGB(0xffffff), cc, 0.12f));
    wb_draw_glyph(r, n->kind, (wb_rect){tile.x + 5.0f * z, tile.y + 5.0f * z, 20.0f * z, 20.0f * z},
                  cc);
    float tx = a.x + 46.0f * z;
    float tw = a.w - 52.0f * z;
    const char *label = n->label[0] != '\0' ? n->label : n->id;
    float lw = tw - (sat ? 14.0f * z : 0.0f);
    float sub_y = a.y + 25.0f * z;
    if (wb_text_width(&app->text, WB_BOLD, 12.0f * z, label) <= lw) {
        wb_text_draw(&app->text, WB_BOLD, 12.0f * z, tx, a.y + 8.0f * z, WB_RGB(WB_C_TEXT), label,
                     lw);
    } else {
        /* A long label takes two lines in a smaller size. */
        wb_text_wrap(&app->text, WB_BOLD, 10.5f * z, tx, a.y + 4.0f * z, lw, WB_RGB(WB_C_TEXT),
                     label, 2);
        sub_y = a.y + 33.0f * z;
    }
    const char *sub = NULL;
    if (source) {
        const azb_setting *geo = azb_node_setting(n, "geo");
        sub = geo != NULL ? geo->str : n->kind;
    } else {
        const char *sku = n->sku_ref != NULL ? n->sku_ref->name : n->sku;
        int count = drill_count > 0 ? drill_count : (nr != NULL ? nr->instances : n->count);
        sub = count > 1 ? wb_fmt(app, "%s \xc3\x97 %d", sku, count) : wb_fmt(app, "%s", sku);
    }
    wb_text_draw(&app->text, WB_REGULAR, 10.0f * z, tx, sub_y, WB_RGB(WB_C_MUTED), sub, tw);
    if (nr != NULL) {
        char rate[32] = "";
        wb_rate(rate, sizeof(rate), nr->rps);
        float x = a.x + 10.0f * z;
        float y = a.y + 48.5f * z;
        float w = wb_text_draw(&app->text, WB_BOLD, 10.5f * z, x, y, WB_RGB(0x3c4350), rate, 0.0f);
        if (!source) {
            /* The longest wording that fits: "5100% saturated", "51x over",
             * "saturated". */
            float room = a.w - w - 28.0f * z;
            const char *pct = wb_fmt(app, "%.0f%%", u * 100.0);
            if (sat) {
                const char *opts[3] = {
                    wb_fmt(app, "%.0f%% saturated", u * 100.0),
                    u >= 1.95 ? wb_fmt(app, "%.0f\xc3\x97 over", u) : pct,
                    "saturated",
                };
                pct = opts[2];
                for (int k = 0; k < 3; k++) {
                    if (wb_text_width(&app->text, WB_BOLD, 10.5f * z, opts[k]) <= room) {
                        pct = opts[k];
                        break;
                    }
                }
            }
            wb_text_draw(&app->text, WB_BOLD, 10.5f * z, x + w + 8.0f * z, y, strong, pct, room);
            /* Utilisation bar along the bottom. */
            wb_rect bar = {a.x + 10.0f * z, a.y + a.h - 9.0f * z, a.w - 20.0f * z, 3.0f * z};
            wb_draw_round(r, bar, 1.5f * z, wb_mix(soft, WB_RGB(0x1f2328), 0.09f));
            bar.w *= (float)fmin(u, 1.0);
            wb_draw_round(r, bar, 1.5f * z, strong);
        } else {
            wb_text_draw(&app->text, WB_REGULAR, 10.5f * z, x + w + 6.0f * z, y,
                         WB_RGB(WB_C_MUTED), "offered", 0.0f);
        }
    }
    if (sat) {
        float bx = a.x + a.w - 13.0f * z;
        float by = a.y + 13.0f * z;
        wb_draw_circle(r, bx, by, 7.5f * z, WB_RGB(WB_C_HOT));
        float fs = 11.0f * z;
        float gw = wb_text_width(&app->text, WB_BOLD, fs, "!");
        wb_text_draw(&app->text, WB_BOLD, fs, bx - gw * 0.5f,
                     by - wb_text_height(&app->text, WB_BOLD, fs) * 0.5f, WB_RGB(0xffffff), "!",
                     0.0f);
    }
}

static void draw_hover_card(wb_app *app)
{
    const azb_design *d = wb_design(app);
    int i = app->hover_node;
    if (i < 0 || i >= d->nnodes || app->drag != WB_DRAG_NONE) {
        return;
    }
    const azb_node *n = &d->nodes[i];
    const azb_node_result *nr = node_result(app, i);
    const char *lines[8] = {0};
    int nl = 0;
    char a[32], b[32], c[32];
    lines[nl++] = wb_fmt(app, "%s  (%s)", n->label[0] ? n->label : n->id, n->kind);
    if (nr != NULL) {
        if (nr->queueing == AZB_QUEUEING_SOURCE) {
            lines[nl++] = wb_fmt(app, "offers %s requests/s", wb_num(a, sizeof(a), nr->rps));
        } else {
            lines[nl++] = wb_fmt(app, "%s req/s offered, capacity %s req/s",
                                 wb_num(a, sizeof(a), nr->rps), wb_num(b, sizeof(b), nr->capacity_rps));
            lines[nl++] = wb_fmt(app, "utilisation %.0f%%%s, %d instance%s, %s",
                                 nr->utilization * 100.0, nr->saturated ? " (saturated)" : "",
                                 nr->instances, nr->instances == 1 ? "" : "s",
                                 azb_model_queueing_name(nr->queueing));
            lines[nl++] = wb_fmt(app, "per visit: service %s, mean %s, p99 %s",
                                 wb_ms(a, sizeof(a), nr->service_ms, false),
                                 wb_ms(b, sizeof(b), nr->sojourn_ms, nr->saturated),
                                 wb_ms(c, sizeof(c), nr->sojourn_p99_ms, nr->saturated));
        }
    }
    if (app->cost != NULL && i < app->cost->nnodes) {
        lines[nl++] = wb_fmt(app, "%s a month", wb_usd(a, sizeof(a), app->cost->node_monthly_usd[i]));
    }
    if (app->avail != NULL && i < app->avail->nnodes && app->avail->nodes[i].sla > 0.0) {
        lines[nl++] = wb_fmt(app, "SLA %s (%s)%s", wb_results_percent(a, sizeof(a), app->avail->nodes[i].sla),
                             app->avail->nodes[i].basis,
                             app->avail->nodes[i].on_path ? "" : ", off the request path");
    }
    float fs = wb_px(app, 11.5f);
    float lh = wb_text_height(&app->text, WB_REGULAR, fs) + wb_px(app, 2.0f);
    float w = 0.0f;
    for (int k = 0; k < nl; k++) {
        w = fmaxf(w, wb_text_width(&app->text, k == 0 ? WB_BOLD : WB_REGULAR, fs, lines[k]));
    }
    float pad = wb_px(app, 9.0f);
    wb_rect r = node_rect(app, n);
    wb_rect box = {r.x, r.y + r.h + wb_px(app, 8.0f), w + 2.0f * pad, lh * (float)nl + 2.0f * pad};
    wb_rect c2 = app->lay.canvas;
    if (box.y + box.h > c2.y + c2.h) {
        box.y = r.y - box.h - wb_px(app, 8.0f);
    }
    if (box.x + box.w > c2.x + c2.w) {
        box.x = c2.x + c2.w - box.w - 4.0f;
    }
    box.x = fmaxf(box.x, c2.x + 4.0f);
    wb_draw_round(app->renderer, (wb_rect){box.x, box.y + 2.0f, box.w, box.h}, wb_px(app, 6.0f),
                  WB_RGBA(0x000000, 30));
    wb_draw_round(app->renderer, box, wb_px(app, 6.0f), WB_RGB(0x262b33));
    for (int k = 0; k < nl; k++) {
        wb_text_draw(&app->text, k == 0 ? WB_BOLD : WB_REGULAR, fs, box.x + pad,
                     box.y + pad + lh * (float)k, WB_RGB(k == 0 ? 0xffffff : 0xd7dce3), lines[k],
                     0.0f);
    }
}

void wb_canvas_draw(wb_app *app)
{
    SDL_Renderer *r = app->renderer;
    wb_rect c = app->lay.canvas;
    SDL_Rect clip = {(int)c.x, (int)c.y, (int)c.w, (int)c.h};
    SDL_RenderSetClipRect(r, &clip);
    wb_draw_fill(r, c, WB_RGB(WB_C_BG));
    draw_grid(app);
    draw_groups(app);
    wb_drill_draw_groups(app);
    draw_edges(app);
    const azb_design *d = wb_design(app);
    bool detail = unit(app) * 12.0f >= 6.5f;
    for (int i = 0; i < d->nnodes; i++) {
        const azb_node *n = &d->nodes[i];
        wb_rect a = node_rect(app, n);
        if (!wb_rect_overlaps(a, c)) {
            continue;
        }
        draw_node(app, i, n, detail);
    }
    wb_drill_draw_nodes(app);
    /* Connection handle on the node under the pointer. */
    int hn = app->drag == WB_DRAG_CONNECT ? app->drag_node : app->hover_node;
    if (hn >= 0 && hn < d->nnodes && !app->present) {
        wb_rect a = node_rect(app, &d->nodes[hn]);
        float hr = wb_px(app, HANDLE_R);
        wb_draw_circle(r, a.x + a.w, a.y + a.h * 0.5f, hr, WB_RGB(0xffffff));
        wb_draw_ring(r, a.x + a.w, a.y + a.h * 0.5f, hr, wb_px(app, 1.5f), WB_RGB(WB_C_ACCENT));
    }
    if (app->drag == WB_DRAG_CONNECT && app->drag_node >= 0 && app->drag_node < d->nnodes) {
        wb_rect a = node_rect(app, &d->nodes[app->drag_node]);
        wb_draw_dashed(r, a.x + a.w, a.y + a.h * 0.5f, app->mx, app->my, wb_px(app, 1.5f),
                       wb_px(app, 5.0f), WB_RGB(WB_C_ACCENT));
        draw_arrow_head(r, a.x + a.w, a.y + a.h * 0.5f, app->mx, app->my, wb_px(app, 9.0f),
                        WB_RGB(WB_C_ACCENT));
    }
    if (app->drag == WB_DRAG_RUBBER && app->drag_started) {
        wb_rect band = {fminf(app->drag_x0, app->mx), fminf(app->drag_y0, app->my),
                        fabsf(app->mx - app->drag_x0), fabsf(app->my - app->drag_y0)};
        wb_draw_fill(r, band, WB_RGBA(0x0f6cbd, 28));
        wb_draw_frame(r, band, 1.0f, WB_RGB(WB_C_ACCENT));
    }
    if (d->nnodes == 0 && d->ngroups == 0) {
        const char *hint = "Drag a component from the palette, or a Region to draw a region box";
        float fs = wb_px(app, 14.0f);
        float tw = wb_text_width(&app->text, WB_REGULAR, fs, hint);
        wb_text_draw(&app->text, WB_REGULAR, fs, c.x + (c.w - tw) * 0.5f, c.y + c.h * 0.45f,
                     WB_RGB(WB_C_FAINT), hint, 0.0f);
    }
    /* Where a component being dragged from the palette will be placed. */
    if (app->drag == WB_DRAG_PALETTE && wb_rect_has(c, app->mx, app->my)) {
        int g = group_at(app, app->mx, app->my, false);
        if (g >= 0) {
            wb_draw_round_frame(r, group_rect(app, &d->groups[g]), 8.0f * unit(app),
                                wb_px(app, 2.0f), WB_RGB(WB_C_ACCENT));
        }
    }
    draw_hover_card(app);
    SDL_RenderSetClipRect(r, NULL);
}

/* ---- interaction ---- */

void wb_canvas_zoom_at(wb_app *app, float sx, float sy, double factor)
{
    double cx = 0.0, cy = 0.0;
    wb_canvas_from_screen(app, sx, sy, &cx, &cy);
    double z = app->view.zoom * factor;
    double lo = 0.05 * (double)app->scale;
    double hi = 4.0 * (double)app->scale;
    z = fmax(lo, fmin(hi, z));
    app->view.zoom = z;
    app->view.ox = cx - (double)(sx - app->lay.canvas.x) / z;
    app->view.oy = cy - (double)(sy - app->lay.canvas.y) / z;
}

static double snap(double v)
{
    return floor(v / SNAP + 0.5) * SNAP;
}

static const char *default_region(wb_app *app)
{
    const azb_design *d = wb_design(app);
    for (int i = 0; i < d->ngroups; i++) {
        if (d->groups[i].region[0] != '\0') {
            return d->groups[i].region;
        }
    }
    for (int i = 0; i < d->nnodes; i++) {
        if (d->nodes[i].region[0] != '\0') {
            return d->nodes[i].region;
        }
    }
    return "eastus";
}

int wb_canvas_drop(wb_app *app, const char *kind, float sx, float sy)
{
    double cx = 0.0, cy = 0.0;
    wb_canvas_from_screen(app, sx, sy, &cx, &cy);
    if (strcmp(kind, "region") == 0) {
        /* A region box with three zone lanes stacked inside it, sized for
         * three rows of cards. */
        char region[32] = "";
        snprintf(region, sizeof(region), "%s", default_region(app));
        int ri = azb_catalog_find_region(app->cat, region);
        int zones = ri >= 0 ? app->cat->regions[ri].zones : 0;
        double lane_h = 110.0;
        double w = 720.0;
        double h = 44.0 + (zones > 0 ? 3.0 * (lane_h + 10.0) : 3.0 * lane_h);
        double x = snap(cx - w * 0.5);
        double y = snap(cy - h * 0.5);
        /* Keep the box, or at least its title bar, inside the visible
         * canvas: a drop near an edge must not hide the title. */
        wb_rect c = app->lay.canvas;
        double vx0 = app->view.ox + 10.0, vy0 = app->view.oy + 10.0;
        double vx1 = app->view.ox + (double)c.w / app->view.zoom - 10.0;
        double vy1 = app->view.oy + (double)c.h / app->view.zoom - 10.0;
        double need_w = fmin(w, fmax(vx1 - vx0, 0.0));
        double need_h = fmin(h, fmax(vy1 - vy0, 0.0));
        x = fmax(fmin(x, vx1 - need_w), vx0);
        y = fmax(fmin(y, vy1 - fmax(need_h, 44.0)), vy0);
        x = ceil(x / SNAP - 1e-9) * SNAP; /* on the grid, still inside the margin */
        y = ceil(y / SNAP - 1e-9) * SNAP;
        azb_edit_begin(app->ed);
        int g = azb_edit_add_group(app->ed, "region", region, 0, x, y, w, h);
        for (int z = 1; g >= 0 && z <= 3 && z <= zones; z++) {
            azb_edit_add_group(app->ed, "zone", region, z, x + 10.0,
                               y + 36.0 + (double)(z - 1) * (lane_h + 10.0), w - 20.0, lane_h);
        }
        azb_edit_commit(app->ed, "add region");
        if (g < 0) {
            wb_app_status(app, true, "cannot add a region: %s", azb_edit_last_error(app->ed));
            return -1;
        }
        wb_sel_clear(app);
        app->sel_group = g;
        wb_app_edited(app);
        wb_app_status(app, false, "added a region box (%s); pick its region in the inspector",
                      region);
        return g;
    }
    char why[320] = "";
    int n = azb_edit_add_node(app->ed, kind, NULL, snap(cx - WB_NODE_W * 0.5),
                              snap(cy - WB_NODE_H * 0.5), why, sizeof(why));
    if (n < 0) {
        wb_app_status(app, true, "cannot add %s: %s", kind,
                      why[0] != '\0' ? why : azb_edit_last_error(app->ed));
        return -1;
    }
    wb_sel_clear(app);
    wb_app_edited(app);
    wb_sel_set(app, n, true);
    const azb_node *nd = &wb_design(app)->nodes[n];
    wb_app_status(app, false, "added %s%s%s", nd->id, nd->region[0] ? " in " : "", nd->region);
    return n;
}

static bool on_handle(const wb_app *app, int node, float sx, float sy)
{
    const azb_design *d = wb_design(app);
    if (node < 0 || node >= d->nnodes) {
        return false;
    }
    wb_rect a = node_rect(app, &d->nodes[node]);
    float dx = sx - (a.x + a.w);
    float dy = sy - (a.y + a.h * 0.5f);
    float hr = wb_px(app, HANDLE_R + 3.0f);
    return dx * dx + dy * dy <= hr * hr;
}

static void select_group_contents(wb_app *app, int g)
{
    const azb_design *d = wb_design(app);
    const azb_group *gr = &d->groups[g];
    for (int i = 0; i < d->nnodes; i++) {
        const azb_node *n = &d->nodes[i];
        if (n->x >= gr->x && n->y >= gr->y && n->x < gr->x + gr->w && n->y < gr->y + gr->h) {
            wb_sel_set(app, i, true);
        }
    }
}

static void move_apply(wb_app *app, double cx, double cy)
{
    const azb_design *d = wb_design(app);
    double dx = cx - app->drag_cx;
    double dy = cy - app->drag_cy;
    if (app->drag_node >= 0 && app->drag_node < d->nnodes) {
        /* Snap the grabbed node to the grid; the rest keep their offsets. */
        const azb_node *g = &d->nodes[app->drag_node];
        double ox = g->x - app->moved_x;
        double oy = g->y - app->moved_y;
        dx = snap(ox + dx) - ox;
        dy = snap(oy + dy) - oy;
    } else {
        dx = snap(dx);
        dy = snap(dy);
    }
    double ix = dx - app->moved_x;
    double iy = dy - app->moved_y;
    if (ix == 0.0 && iy == 0.0) {
        return;
    }
    for (int i = 0; i < d->nnodes; i++) {
        if (wb_sel_has(app, i)) {
            azb_edit_set_position(app->ed, i, d->nodes[i].x + ix, d->nodes[i].y + iy);
        }
    }
    if (app->sel_group >= 0 && app->sel_group < d->ngroups) {
        const azb_group *gr = &d->groups[app->sel_group];
        double gx0 = gr->x, gy0 = gr->y, gw = gr->w, gh = gr->h;
        bool region = strcmp(gr->kind, "region") == 0;
        azb_edit_set_group_rect(app->ed, app->sel_group, gx0 + ix, gy0 + iy, gw, gh);
        if (region) {
            /* Zone lanes inside the region move with it. */
            for (int k = 0; k < d->ngroups; k++) {
                const azb_group *z = &d->groups[k];
                if (k != app->sel_group && strcmp(z->kind, "zone") == 0 && z->x >= gx0 &&
                    z->y >= gy0 && z->x < gx0 + gw && z->y < gy0 + gh) {
                    azb_edit_set_group_rect(app->ed, k, z->x + ix, z->y + iy, z->w, z->h);
                }
            }
        }
    }
    app->moved_x = dx;
    app->moved_y = dy;
}

static void move_end(wb_app *app)
{
    const azb_design *d = wb_design(app);
    if (app->moved_x != 0.0 || app->moved_y != 0.0) {
        for (int i = 0; i < d->nnodes; i++) {
            if (wb_sel_has(app, i)) {
                azb_edit_place(app->ed, i);
            }
        }
    }
    azb_edit_commit(app->ed, app->sel_group >= 0 ? "move group" : "move");
    wb_app_edited(app);
}

bool wb_canvas_event(wb_app *app, const SDL_Event *ev)
{
    const azb_design *d = wb_design(app);
    float x = app->mx;
    float y = app->my;
    switch (ev->type) {
    case SDL_MOUSEWHEEL: {
        SDL_MouseWheelEvent w = ev->wheel;
        float px = w.preciseX;
        float py = w.preciseY;
        if (w.direction == SDL_MOUSEWHEEL_FLIPPED) {
            px = -px;
            py = -py;
        }
        bool ctrl = (SDL_GetModState() & (KMOD_CTRL | KMOD_GUI)) != 0;
        bool trackpad = px != 0.0f || py != floorf(py);
        if (ctrl || !trackpad) {
            int mx = 0, my = 0;
            SDL_GetMouseState(&mx, &my);
            wb_canvas_zoom_at(app, x, y, pow(1.15, (double)py));
        } else {
            app->view.ox -= (double)px * 30.0 * (double)app->scale / app->view.zoom;
            app->view.oy -= (double)py * 30.0 * (double)app->scale / app->view.zoom;
        }
        return true;
    }
    case SDL_MOUSEBUTTONDOWN: {
        app->drag_x0 = x;
        app->drag_y0 = y;
        wb_canvas_from_screen(app, x, y, &app->drag_cx, &app->drag_cy);
        app->drag_started = false;
        app->moved_x = 0.0;
        app->moved_y = 0.0;
        if (ev->button.button == SDL_BUTTON_MIDDLE ||
            (ev->button.button == SDL_BUTTON_LEFT && (app->space_down || app->present))) {
            /* Present mode shows the design: a drag pans, nothing edits. */
            app->drag = WB_DRAG_PAN;
            return true;
        }
        if (ev->button.button != SDL_BUTTON_LEFT) {
            return false;
        }
        bool shift = (SDL_GetModState() & KMOD_SHIFT) != 0;
        if (on_handle(app, app->hover_node, x, y)) {
            app->drag = WB_DRAG_CONNECT;
            app->drag_node = app->hover_node;
            return true;
        }
        int n = wb_canvas_node_at(app, x, y);
        if (n >= 0) {
            if (shift) {
                wb_sel_set(app, n, !wb_sel_has(app, n));
            } else if (!wb_sel_has(app, n)) {
                wb_sel_clear(app);
                wb_sel_set(app, n, true);
            }
            app->sel_edge = -1;
            app->sel_group = -1;
            app->drag = WB_DRAG_MOVE;
            app->drag_node = n;
            return true;
        }
        int e = edge_at(app, x, y);
        if (e >= 0) {
            wb_sel_clear(app);
            app->sel_edge = e;
            return true;
        }
        int g = group_at(app, x, y, false);
        if (g >= 0) {
            const azb_group *gr = &d->groups[g];
            wb_rect gr_r = group_rect(app, gr);
            float hs = wb_px(app, 10.0f);
            bool corner = app->sel_group == g && x > gr_r.x + gr_r.w - hs && y > gr_r.y + gr_r.h - hs;
            bool label = group_at(app, x, y, true) == g;
            if (corner) {
                app->drag = WB_DRAG_GROUP_RESIZE;
                return true;
            }
            if (label || app->sel_group == g) {
                wb_sel_clear(app);
                app->sel_group = g;
                select_group_contents(app, g);
                app->drag = WB_DRAG_MOVE;
                app->drag_node = -1;
                return true;
            }
        }
        if (!shift) {
            wb_sel_clear(app);
        }
        if (g >= 0 && group_at(app, x, y, true) != g) {
            app->sel_group = g;
        }
        app->drag = WB_DRAG_RUBBER;
        return true;
    }
    case SDL_MOUSEMOTION: {
        if (app->drag == WB_DRAG_PAN) {
            app->view.ox -= (double)(ev->motion.xrel) * (app->window ? (double)app->scale : 1.0) /
                            app->view.zoom;
            app->view.oy -= (double)(ev->motion.yrel) * (app->window ? (double)app->scale : 1.0) /
                            app->view.zoom;
            return true;
        }
        if (app->drag == WB_DRAG_MOVE) {
            if (!app->drag_started &&
                fabsf(x - app->drag_x0) + fabsf(y - app->drag_y0) < wb_px(app, 3.0f)) {
                return true;
            }
            if (!app->drag_started) {
                azb_edit_begin(app->ed);
                app->drag_started = true;
            }
            double cx = 0.0, cy = 0.0;
            wb_canvas_from_screen(app, x, y, &cx, &cy);
            move_apply(app, cx, cy);
            return true;
        }
        if (app->drag == WB_DRAG_GROUP_RESIZE) {
            if (app->sel_group >= 0 && app->sel_group < d->ngroups) {
                const azb_group *gr = &d->groups[app->sel_group];
                double cx = 0.0, cy = 0.0;
                wb_canvas_from_screen(app, x, y, &cx, &cy);
                double w = fmax(80.0, snap(cx - gr->x));
                double h = fmax(60.0, snap(cy - gr->y));
                if (!app->drag_started) {
                    azb_edit_begin(app->ed);
                    app->drag_started = true;
                }
                azb_edit_set_group_rect(app->ed, app->sel_group, gr->x, gr->y, w, h);
            }
            return true;
        }
        if (app->drag == WB_DRAG_RUBBER) {
            app->drag_started = true;
            return true;
        }
        if (app->drag == WB_DRAG_CONNECT) {
            return true;
        }
        int n = wb_canvas_node_at(app, x, y);
        if (n < 0 && on_handle(app, app->hover_node, x, y)) {
            n = app->hover_node;
        }
        app->hover_node = n;
        app->hover_edge = n < 0 ? edge_at(app, x, y) : -1;
        if (n >= 0 && on_handle(app, n, x, y)) {
            snprintf(app->tooltip, sizeof(app->tooltip), "drag to another component to connect");
        }
        return true;
    }
    case SDL_MOUSEBUTTONUP: {
        wb_drag drag = app->drag;
        app->drag = WB_DRAG_NONE;
        if (drag == WB_DRAG_MOVE) {
            if (app->drag_started) {
                move_end(app);
            }
        } else if (drag == WB_DRAG_GROUP_RESIZE) {
            if (app->drag_started) {
                azb_edit_commit(app->ed, "resize group");
                wb_app_edited(app);
            }
        } else if (drag == WB_DRAG_CONNECT) {
            int to = wb_canvas_node_at(app, x, y);
            if (to < 0) {
                wb_app_status(app, false, "drop on a component to connect");
            } else if (to == app->drag_node) {
                wb_app_status(app, false, "drop on another component to connect");
            }
            if (to >= 0 && to != app->drag_node) {
                int e = azb_edit_connect(app->ed, app->drag_node, to);
                if (e >= 0) {
                    wb_sel_clear(app);
                    app->sel_edge = e;
                    wb_app_edited(app);
                    const azb_edge *ne = &wb_design(app)->edges[e];
                    wb_app_status(app, false, "connected %s -> %s%s", d->nodes[app->drag_node].id,
                                  d->nodes[to].id,
                                  ne->p < 1.0 ? wb_fmt(app, " (%.3g%% of its calls)", ne->p * 100.0)
                                              : "");
                } else {
                    wb_app_status(app, true, "cannot connect: %s", azb_edit_last_error(app->ed));
                }
            }
        } else if (drag == WB_DRAG_RUBBER && app->drag_started) {
            wb_rect band = {fminf(app->drag_x0, x), fminf(app->drag_y0, y),
                            fabsf(x - app->drag_x0), fabsf(y - app->drag_y0)};
            for (int i = 0; i < d->nnodes; i++) {
                if (wb_rect_overlaps(band, node_rect(app, &d->nodes[i]))) {
                    wb_sel_set(app, i, true);
                }
            }
        }
        app->drag_started = false;
        app->drag_node = -1;
        return true;
    }
    default:
        break;
    }
    return false;
}
