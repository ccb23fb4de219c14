/* The app: state, files, the one edit funnel, layout, event dispatch and
 * the window loop. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* realpath */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wb.h"
#include "wb_drill.h"

const azb_design *wb_design(const wb_app *app)
{
    return azb_edit_design(app->ed);
}

float wb_px(const wb_app *app, float v)
{
    return v * app->scale;
}

char *wb_fmt(wb_app *app, const char *fmt, ...)
{
    static char fallback[] = "";
    size_t room = WB_ARENA_SIZE - app->arena_used;
    if (room < 2) {
        return fallback;
    }
    char *out = app->arena + app->arena_used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        out[0] = '\0';
        n = 0;
    }
    size_t used = (size_t)n + 1 < room ? (size_t)n + 1 : room;
    app->arena_used += used;
    return out;
}

void *wb_arena_alloc(wb_app *app, size_t size)
{
    uintptr_t align = (uintptr_t)_Alignof(max_align_t);
    uintptr_t base = (uintptr_t)app->arena;
    size_t at = (size_t)(((base + app->arena_used + align - 1) / align * align) - base);
    if (at > WB_ARENA_SIZE || size > WB_ARENA_SIZE - at) {
        return NULL;
    }
    app->arena_used = at + size;
    return app->arena + at;
}

void wb_app_status(wb_app *app, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(app->status, sizeof(app->status), fmt, ap);
    va_end(ap);
    app->status_error = error;
}

/* ---- numbers ---- */

const char *wb_num(char *buf, size_t size, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "-");
        return buf;
    }
    double a = fabs(v);
    if (a >= 1000.0) {
        char tmp[64] = "";
        snprintf(tmp, sizeof(tmp), "%.0f", a);
        size_t len = strlen(tmp);
        size_t o = 0;
        if (v < 0.0 && o + 1 < size) {
            buf[o++] = '-';
        }
        for (size_t i = 0; i < len && o + 2 < size; i++) {
            buf[o++] = tmp[i];
            size_t left = len - i - 1;
            if (left > 0 && left % 3 == 0) {
                buf[o++] = ',';
            }
        }
        buf[o] = '\0';
    } else if (a >= 100.0 || a == floor(a)) {
        snprintf(buf, size, "%.0f", v);
    } else if (a >= 10.0) {
        snprintf(buf, size, "%.1f", v);
    } else {
        snprintf(buf, size, "%.2f", v);
    }
    return buf;
}

const char *wb_rate(char *buf, size_t size, double rps)
{
    if (rps >= 1e6) {
        snprintf(buf, size, "%.3gM/s", rps / 1e6);
    } else if (rps >= 1e4) {
        snprintf(buf, size, "%.3gk/s", rps / 1e3);
    } else if (rps >= 100.0) {
        snprintf(buf, size, "%.0f/s", rps);
    } else if (rps >= 1.0) {
        snprintf(buf, size, "%.3g/s", rps);
    } else if (rps > 0.0) {
        snprintf(buf, size, "%.2g/s", rps);
    } else {
        snprintf(buf, size, "0/s");
    }
    return buf;
}

const char *wb_usd(char *buf, size_t size, double usd)
{
    char n[48] = "";
    if (usd >= 100.0) {
        wb_num(n, sizeof(n), floor(usd + 0.5));
        snprintf(buf, size, "$%s", n);
    } else {
        snprintf(buf, size, "$%.2f", usd);
    }
    return buf;
}

const char *wb_ms(char *buf, size_t size, double ms, bool clamped)
{
    if (clamped || ms >= AZB_MODEL_MAX_MS) {
        snprintf(buf, size, "unbounded");
    } else if (ms >= 10000.0) {
        snprintf(buf, size, "%.1f s", ms / 1000.0);
    } else if (ms >= 100.0) {
        snprintf(buf, size, "%.0f ms", ms);
    } else if (ms >= 10.0) {
        snprintf(buf, size, "%.1f ms", ms);
    } else {
        snprintf(buf, size, "%.2f ms", ms);
    }
    return buf;
}

/* ---- selection ---- */

void wb_sel_reserve(wb_app *app)
{
    int need = wb_design(app)->nnodes + 1;
    if (need <= app->sel_cap) {
        return;
    }
    int cap = need + need / 2 + 16;
    int *scratch = realloc(app->scratch, sizeof(int) * (size_t)cap);
    if (scratch == NULL) {
        return;
    }
    app->scratch = scratch;
    unsigned char *s = realloc(app->sel, (size_t)cap);
    if (s == NULL) {
        return;
    }
    memset(s + app->sel_cap, 0, (size_t)(cap - app->sel_cap));
    app->sel = s;
    app->sel_cap = cap;
}

void wb_sel_clear(wb_app *app)
{
    if (app->sel != NULL) {
        memset(app->sel, 0, (size_t)app->sel_cap);
    }
    app->nsel = 0;
    app->sel_edge = -1;
    app->sel_group = -1;
    app->box.owner = 0;
    app->field_error[0] = '\0';
}

void wb_sel_set(wb_app *app, int node, bool on)
{
    wb_sel_reserve(app);
    if (node < 0 || node >= app->sel_cap) {
        return;
    }
    if (on && app->sel[node] == 0) {
        app->nsel++;
    } else if (!on && app->sel[node] != 0) {
        app->nsel--;
    }
    app->sel[node] = on ? 1 : 0;
    app->box.owner = 0;
    app->field_error[0] = '\0';
}

bool wb_sel_has(const wb_app *app, int node)
{
    return node >= 0 && node < app->sel_cap && app->sel[node] != 0;
}

/* ---- model ---- */

void wb_app_run_model(wb_app *app)
{
    const azb_design *d = wb_design(app);
    app->model_rev = azb_edit_revision(app->ed);
    wb_sel_reserve(app);
    azb_cost_destroy(app->cost);
    azb_availability_destroy(app->avail);
    app->cost = NULL;
    app->avail = NULL;
    app->model_ok = false;
    app->model_msg[0] = '\0';
    if (app->result == NULL) {
        app->result = azb_model_reserve(d);
        if (app->result == NULL) {
            snprintf(app->model_msg, sizeof(app->model_msg), "out of memory");
            return;
        }
    }
    azb_errors errs = {0};
    azb_errors_init(&errs);
    bool ok = azb_model_update(app->result, d, app->cat, app->rps, &errs);
    if (ok) {
        app->cost = azb_cost_compute(d, app->cat, app->result, &errs);
        app->avail = azb_availability_compute(d, app->cat, app->result, &errs);
    }
    app->model_ok = ok && app->cost != NULL && app->avail != NULL;
    for (int i = 0; i < errs.count; i++) {
        if (!errs.items[i].warning || app->model_msg[0] == '\0') {
            char line[1024] = "";
            azb_error_format(&errs.items[i], line, sizeof(line));
            snprintf(app->model_msg, sizeof(app->model_msg), "%.500s", line);
            if (!errs.items[i].warning) {
                break;
            }
        }
    }
    azb_errors_free(&errs);
}

void wb_app_title(wb_app *app)
{
    if (app->window == NULL) {
        return;
    }
    const char *slash = strrchr(app->path, '/');
    const char *base = app->path[0] != '\0' ? (slash != NULL ? slash + 1 : app->path) : "Untitled";
    char title[AZB_PATH_MAX + 64] = "";
    snprintf(title, sizeof(title), "%s%s - azboard", azb_edit_dirty(app->ed) ? "* " : "", base);
    SDL_SetWindowTitle(app->window, title);
}

void wb_app_edited(wb_app *app)
{
    wb_app_run_model(app);
    wb_app_title(app);
}

/* ---- files ---- */

bool wb_app_open(wb_app *app, const char *path)
{
    char starter[AZB_PATH_MAX] = "";
    if (path == NULL) {
        if (app->prompts == NULL || app->prompts->count == 0) {
            wb_app_status(app, true, "No practice prompts in %s/scenarios", app->data_dir);
            return false;
        }
        snprintf(starter, sizeof(starter), "%s",
                 app->prompts->items[app->prompts->default_index].starter);
        path = starter;
    }
    azb_errors errs = {0};
    azb_errors_init(&errs);
    azb_design *d = azb_design_load(path, app->cat, &errs);
    if (d == NULL) {
        char line[1024] = "";
        for (int i = 0; i < errs.count; i++) {
            if (!errs.items[i].warning) {
                azb_error_format(&errs.items[i], line, sizeof(line));
                break;
            }
        }
        int n = azb_errors_count_errors(&errs);
        wb_app_status(app, true, "%s%s", line[0] != '\0' ? line : path,
                      n > 1 ? wb_fmt(app, " (and %d more problems)", n - 1) : "");
        azb_errors_free(&errs);
        return false;
    }
    azb_errors_free(&errs);
    char keep[AZB_PATH_MAX] = "";
    snprintf(keep, sizeof(keep), "%s", path);
    wb_drill_close(app); /* a drill belongs to the design it ran on */
    app->scenario[0] = '\0'; /* scenarios belong to the design's folder and prompt */
    azb_edit_reset(app->ed, d);
    snprintf(app->path, sizeof(app->path), "%s", keep);
    app->rps = 0.0;
    wb_sel_clear(app);
    wb_app_edited(app);
    wb_app_fit(app);
    wb_files_recent_add(app, app->path);
    wb_app_status(app, false, "Opened %s", app->path);
    return true;
}

bool wb_app_save(wb_app *app, const char *path)
{
    if (path == NULL || path[0] == '\0') {
        return false;
    }
    azb_errors errs = {0};
    azb_errors_init(&errs);
    bool ok = azb_design_save(wb_design(app), path, &errs);
    if (!ok) {
        char line[1024] = "cannot save";
        if (errs.count > 0) {
            azb_error_format(&errs.items[0], line, sizeof(line));
        }
        wb_app_status(app, true, "%s", line);
    } else {
        char keep[AZB_PATH_MAX] = "";
        snprintf(keep, sizeof(keep), "%s", path);
        snprintf(app->path, sizeof(app->path), "%s", keep);
        azb_edit_mark_saved(app->ed);
        wb_files_recent_add(app, app->path);
        wb_app_status(app, false, "Saved %s", app->path);
        wb_app_title(app);
    }
    azb_errors_free(&errs);
    return ok;
}

bool wb_app_is_shipped(const wb_app *app, const char *path)
{
    char root[4200];
    char shipped[PATH_MAX];
    snprintf(root, sizeof(root), "%s/scenarios", app->data_dir);
    if (path == NULL || path[0] == '\0' || realpath(root, shipped) == NULL) {
        return false;
    }
    /* The file may not exist yet: resolve its folder. */
    char dir[AZB_PATH_MAX];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL) {
        snprintf(dir, sizeof(dir), ".");
    } else if (slash == dir) {
        dir[1] = '\0';
    } else {
        *slash = '\0';
    }
    char real[PATH_MAX];
    if (realpath(dir, real) == NULL) {
        return false;
    }
    size_t n = strlen(shipped);
    return strncmp(real, shipped, n) == 0 && (real[n] == '\0' || real[n] == '/');
}

/* Where a copy of a shipped design goes by default: the working folder
 * (else the home folder), named after its prompt's folder and file. */
static void suggest_copy(const wb_app *app, char *out, size_t size)
{
    char dir[AZB_PATH_MAX];
    snprintf(dir, sizeof(dir), "%s", app->path);
    char *slash = strrchr(dir, '/');
    const char *base = slash != NULL ? slash + 1 : dir;
    char file[AZB_PATH_MAX];
    snprintf(file, sizeof(file), "%s", base);
    const char *parent = "";
    if (slash != NULL) {
        *slash = '\0';
        char *up = strrchr(dir, '/');
        parent = up != NULL ? up + 1 : dir;
    }
    char cwd[AZB_PATH_MAX - 120];
    const char *home = getenv("HOME");
    const char *where = getcwd(cwd, sizeof(cwd)) != NULL ? cwd : ".";
    char probe[AZB_PATH_MAX + 8];
    snprintf(probe, sizeof(probe), "%.400s/x", where);
    if (wb_app_is_shipped(app, probe) && home != NULL && home[0] != '\0') {
        where = home;
    }
    snprintf(out, size, "%.200s/%.100s%s%.100s", where, parent, parent[0] != '\0' ? "-" : "",
             file);
}

void wb_app_save_command(wb_app *app)
{
    if (app->path[0] == '\0') {
        app->modal = WB_MODAL_SAVE_AS;
        app->open_path[0] = '\0';
        return;
    }
    if (wb_app_is_shipped(app, app->path)) {
        app->modal = WB_MODAL_SAVE_AS;
        suggest_copy(app, app->open_path, sizeof(app->open_path));
        wb_app_status(app, false,
                      "%s ships with azboard and is kept as a template: save your copy elsewhere",
                      app->path);
        return;
    }
    wb_app_save(app, app->path);
}

void wb_app_set_present(wb_app *app, bool on)
{
    if (on == app->present) {
        return;
    }
    if (on) {
        app->edit_view = app->view;
        app->present = true;
        wb_app_fit(app); /* lays out the larger canvas first */
    } else {
        app->present = false;
        app->view = app->edit_view;
        wb_app_layout(app);
    }
}

void wb_app_new(wb_app *app)
{
    azb_design *d = azb_design_create("Untitled");
    if (d == NULL) {
        wb_app_status(app, true, "Out of memory");
        return;
    }
    wb_drill_close(app);
    app->scenario[0] = '\0';
    azb_edit_reset(app->ed, d);
    app->path[0] = '\0';
    app->rps = 0.0;
    app->filter[0] = '\0';
    app->palette_scroll = 0.0f;
    wb_sel_clear(app);
    wb_app_edited(app);
    app->view.ox = -40.0;
    app->view.oy = -40.0;
    app->view.zoom = app->scale;
    wb_app_status(app, false, "New design: drag components from the palette onto the canvas");
}

/* ---- layout and drawing ---- */

void wb_app_layout(wb_app *app)
{
    float w = (float)app->width;
    float h = (float)app->height;
    float tb = wb_px(app, 44.0f);
    float st = wb_px(app, 24.0f);
    float rs = wb_drill_shown(app) ? wb_drill_panel_h(app) : wb_px(app, 92.0f);
    float pw = app->present ? 0.0f : wb_px(app, 212.0f);
    float iw = app->present ? 0.0f : wb_px(app, 300.0f);
    wb_layout *l = &app->lay;
    l->toolbar = (wb_rect){0.0f, 0.0f, w, tb};
    l->status = (wb_rect){0.0f, h - st, w, st};
    l->results = (wb_rect){0.0f, h - st - rs, w, rs};
    l->palette = (wb_rect){0.0f, tb, pw, h - tb - st - rs};
    l->inspector = (wb_rect){w - iw, tb, iw, h - tb - st - rs};
    l->canvas = (wb_rect){pw, tb, w - pw - iw, h - tb - st - rs};
}

void wb_app_fit(wb_app *app)
{
    const azb_design *d = wb_design(app);
    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    for (int i = 0; i < d->nnodes; i++) {
        const azb_node *n = &d->nodes[i];
        x0 = fmin(x0, n->x);
        y0 = fmin(y0, n->y);
        x1 = fmax(x1, n->x + WB_NODE_W);
        y1 = fmax(y1, n->y + WB_NODE_H);
    }
    for (int i = 0; i < d->ngroups; i++) {
        const azb_group *g = &d->groups[i];
        x0 = fmin(x0, g->x);
        y0 = fmin(y0, g->y);
        x1 = fmax(x1, g->x + g->w);
        y1 = fmax(y1, g->y + g->h);
    }
    wb_app_layout(app);
    wb_rect c = app->lay.canvas;
    if (x0 > x1) {
        app->view.zoom = app->scale;
        app->view.ox = -40.0;
        app->view.oy = -40.0;
        return;
    }
    double margin = 40.0;
    double bw = x1 - x0 + 2.0 * margin;
    double bh = y1 - y0 + 2.0 * margin;
    double z = fmin((double)c.w / bw, (double)c.h / bh);
    z = fmin(z, 1.5 * (double)app->scale);
    z = fmax(z, 0.05);
    app->view.zoom = z;
    app->view.ox = (x0 + x1) * 0.5 - (double)c.w * 0.5 / z;
    app->view.oy = (y0 + y1) * 0.5 - (double)c.h * 0.5 / z;
}

static void draw_status(wb_app *app)
{
    SDL_Renderer *r = app->renderer;
    wb_rect a = app->lay.status;
    wb_draw_fill(r, a, WB_RGB(WB_C_PANEL_ALT));
    wb_draw_fill(r, (wb_rect){a.x, a.y, a.w, 1.0f}, WB_RGB(WB_C_BORDER));
    float fs = wb_px(app, 11.5f);
    float ty = a.y + (a.h - wb_text_height(&app->text, WB_REGULAR, fs)) * 0.5f;
    const char *msg = app->status;
    wb_color col = app->status_error ? WB_RGB(WB_C_HOT) : WB_RGB(WB_C_MUTED);
    const azb_design *d = wb_design(app);
    char right[160] = "";
    snprintf(right, sizeof(right), "%d nodes  %d edges  %.0f%%  %s", d->nnodes, d->nedges,
             app->view.zoom / (double)app->scale * 100.0,
             azb_edit_can_undo(app->ed) ? wb_fmt(app, "undo: %s", azb_edit_undo_label(app->ed))
                                        : "");
    float rw = wb_text_width(&app->text, WB_REGULAR, fs, right);
    wb_text_draw(&app->text, WB_REGULAR, fs, a.x + wb_px(app, 10.0f), ty, col, msg,
                 a.w - rw - wb_px(app, 40.0f));
    wb_text_draw(&app->text, WB_REGULAR, fs, a.x + a.w - rw - wb_px(app, 10.0f), ty,
                 WB_RGB(WB_C_FAINT), right, 0.0f);
}

static void draw_tooltip(wb_app *app)
{
    if (app->tooltip[0] == '\0' || app->drag != WB_DRAG_NONE) {
        return;
    }
    float fs = wb_px(app, 11.5f);
    float pad = wb_px(app, 6.0f);
    float w = wb_text_width(&app->text, WB_REGULAR, fs, app->tooltip) + 2.0f * pad;
    float h = wb_text_height(&app->text, WB_REGULAR, fs) + 2.0f * pad;
    float x = app->mx + wb_px(app, 14.0f);
    float y = app->my + wb_px(app, 18.0f);
    if (x + w > (float)app->width) {
        x = (float)app->width - w - 2.0f;
    }
    if (y + h > (float)app->height) {
        y = app->my - h - wb_px(app, 6.0f);
    }
    wb_rect a = {x, y, w, h};
    wb_draw_round(app->renderer, a, wb_px(app, 4.0f), WB_RGBA(0x1f2328, 235));
    wb_text_draw(&app->text, WB_REGULAR, fs, x + pad, y + pad, WB_RGB(0xffffff), app->tooltip,
                 0.0f);
}

void wb_app_draw(wb_app *app)
{
    SDL_Renderer *r = app->renderer;
    if (azb_edit_revision(app->ed) != app->model_rev) {
        wb_app_run_model(app);
    }
    wb_app_layout(app);
    SDL_SetRenderDrawColor(r, 0xf5, 0xf6, 0xf8, 0xff);
    SDL_RenderClear(r);
    app->nhits = 0;
    wb_canvas_draw(app);
    if (!app->present) {
        wb_palette_draw(app);
        wb_inspector_draw(app);
    }
    if (wb_drill_shown(app)) {
        wb_drill_draw(app);
    } else {
        wb_results_draw(app);
    }
    wb_toolbar_draw(app);
    draw_status(app);
    switch (app->modal) {
    case WB_MODAL_OPEN:
    case WB_MODAL_SAVE_AS:
    case WB_MODAL_CONFIRM_CLOSE:
    case WB_MODAL_CONFIRM_NEW:
    case WB_MODAL_PROMPT:
        wb_files_draw(app);
        break;
    case WB_MODAL_HELP:
        wb_help_draw(app);
        break;
    case WB_MODAL_COST:
        wb_results_draw_cost(app);
        break;
    case WB_MODAL_NONE:
        break;
    }
    draw_tooltip(app);
}

/* ---- widgets shared by the panels ---- */

bool wb_button(wb_app *app, wb_rect a, const char *label, bool enabled, bool primary)
{
    SDL_Renderer *r = app->renderer;
    bool hot = enabled && wb_rect_has(a, app->mx, app->my);
    wb_color fill = primary ? WB_RGB(WB_C_ACCENT) : WB_RGB(hot ? 0xeef1f5 : 0xffffff);
    if (primary && hot) {
        fill = WB_RGB(0x0b5aa0);
    }
    wb_draw_round(r, a, wb_px(app, 5.0f), fill);
    if (!primary) {
        wb_draw_round_frame(r, a, wb_px(app, 5.0f), 1.0f, WB_RGB(WB_C_BORDER));
    }
    float fs = wb_px(app, 12.0f);
    float tw = wb_text_width(&app->text, WB_REGULAR, fs, label);
    float th = wb_text_height(&app->text, WB_REGULAR, fs);
    wb_color tc = primary ? WB_RGB(0xffffff) : WB_RGB(enabled ? WB_C_TEXT : WB_C_FAINT);
    wb_text_draw(&app->text, WB_REGULAR, fs, a.x + (a.w - tw) * 0.5f, a.y + (a.h - th) * 0.5f, tc,
                 label, a.w - 4.0f);
    return hot;
}

wb_rect wb_dialog(wb_app *app, float w, float h, const char *title)
{
    SDL_Renderer *r = app->renderer;
    wb_draw_fill(r, (wb_rect){0.0f, 0.0f, (float)app->width, (float)app->height},
                 WB_RGBA(0x0b1220, 90));
    float pw = fminf(wb_px(app, w), (float)app->width - wb_px(app, 20.0f));
    float ph = fminf(wb_px(app, h), (float)app->height - wb_px(app, 20.0f));
    wb_rect a = {((float)app->width - pw) * 0.5f, ((float)app->height - ph) * 0.5f, pw, ph};
    wb_draw_round(r, (wb_rect){a.x + 2.0f, a.y + 4.0f, a.w, a.h}, wb_px(app, 8.0f),
                  WB_RGBA(0x000000, 40));
    wb_draw_round(r, a, wb_px(app, 8.0f), WB_RGB(0xffffff));
    float fs = wb_px(app, 15.0f);
    wb_text_draw(&app->text, WB_BOLD, fs, a.x + wb_px(app, 18.0f), a.y + wb_px(app, 14.0f),
                 WB_RGB(WB_C_TEXT), title, a.w - wb_px(app, 36.0f));
    float top = wb_px(app, 44.0f);
    wb_draw_fill(r, (wb_rect){a.x, a.y + top, a.w, 1.0f}, WB_RGB(WB_C_BORDER));
    return (wb_rect){a.x + wb_px(app, 18.0f), a.y + top + wb_px(app, 10.0f),
                     a.w - wb_px(app, 36.0f), a.h - top - wb_px(app, 20.0f)};
}

/* ---- creation ---- */

/* AZBOARD_TIMING=1: where start-up time goes, on stderr. */
static void stamp(Uint64 t0, const char *what)
{
    if (getenv("AZBOARD_TIMING") == NULL) {
        return;
    }
    Uint64 now = SDL_GetPerformanceCounter();
    fprintf(stderr, "azboard: %-10s %7.1f ms\n", what,
            (double)(now - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency());
}

wb_app *wb_app_create(const wb_options *opt, const char *data_dir, char *why, size_t why_size)
{
    wb_app *app = calloc(1, sizeof(*app));
    if (app == NULL) {
        snprintf(why, why_size, "out of memory");
        return NULL;
    }
    snprintf(app->data_dir, sizeof(app->data_dir), "%s", data_dir);
    app->headless = opt->headless;
    app->user_scale = opt->scale > 0.0f ? opt->scale : 1.0f;
    app->sel_edge = -1;
    app->sel_group = -1;
    app->hover_node = -1;
    app->hover_edge = -1;
    app->drag_node = -1;
    app->running = true;
    Uint64 t0 = SDL_GetPerformanceCounter();
    int w = opt->width > 0 ? opt->width : (opt->headless ? 1600 : 1440);
    int h = opt->height > 0 ? opt->height : (opt->headless ? 1000 : 900);
    if (opt->headless) {
        SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(
            0, (int)((float)w * app->user_scale), (int)((float)h * app->user_scale), 32,
            SDL_PIXELFORMAT_ARGB8888);
        app->renderer = s != NULL ? SDL_CreateSoftwareRenderer(s) : NULL;
        if (app->renderer == NULL) {
            snprintf(why, why_size, "cannot make a software renderer: %s", SDL_GetError());
            if (s != NULL) {
                SDL_FreeSurface(s);
            }
            free(app);
            return NULL;
        }
        app->surface = s;
        app->width = s->w;
        app->height = s->h;
        app->scale = app->user_scale;
    } else {
        if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
            snprintf(why, why_size, "no display (%s)", SDL_GetError());
            free(app);
            return NULL;
        }
        const char *drv = SDL_GetCurrentVideoDriver();
        if (drv != NULL && (strcmp(drv, "dummy") == 0 || strcmp(drv, "offscreen") == 0)) {
            snprintf(why, why_size, "no display (SDL video driver \"%s\")", drv);
            SDL_QuitSubSystem(SDL_INIT_VIDEO);
            free(app);
            return NULL;
        }
        app->window = SDL_CreateWindow("azboard", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w,
                                       h, SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
        if (app->window != NULL) {
            SDL_SetWindowMinimumSize(app->window, 800, 500);
            /* The software renderer unless SDL_RENDER_DRIVER asks for
             * another: frames are drawn for it (docs/whiteboard.md: a
             * 500-node frame at 1080p in about 4-7 ms) and it starts at
             * once, where an OpenGL context costs 200-300 ms on a machine
             * without a GPU (Mesa's llvmpipe compiling its shaders),
             * which alone would break the 300 ms start-up target. */
            bool any = getenv("SDL_RENDER_DRIVER") != NULL;
            if (!any) {
                /* and the window's own framebuffer, not a GPU texture
                 * behind it (SDL would create an OpenGL context for that) */
                SDL_SetHintWithPriority(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0", SDL_HINT_DEFAULT);
            }
            app->renderer = SDL_CreateRenderer(app->window, -1,
                                               any ? SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC
                                                   : SDL_RENDERER_SOFTWARE);
            if (app->renderer == NULL) {
                app->renderer = SDL_CreateRenderer(app->window, -1, SDL_RENDERER_SOFTWARE);
            }
        }
        if (app->window == NULL || app->renderer == NULL) {
            snprintf(why, why_size, "no display (%s)", SDL_GetError());
            if (app->window != NULL) {
                SDL_DestroyWindow(app->window);
            }
            SDL_QuitSubSystem(SDL_INIT_VIDEO);
            free(app);
            return NULL;
        }
        int ww = 0, wh = 0;
        SDL_GetWindowSize(app->window, &ww, &wh);
        SDL_GetRendererOutputSize(app->renderer, &app->width, &app->height);
        app->scale = (ww > 0 ? (float)app->width / (float)ww : 1.0f) * app->user_scale;
    }
    stamp(t0, "renderer");
    if (!wb_text_init(&app->text, app->renderer, data_dir, why, why_size)) {
        wb_app_destroy(app);
        return NULL;
    }
    azb_errors errs = {0};
    azb_errors_init(&errs);
    app->cat = azb_catalog_load_dir(data_dir, &errs);
    if (app->cat == NULL) {
        char line[1024] = "";
        if (errs.count > 0) {
            azb_error_format(&errs.items[0], line, sizeof(line));
        }
        snprintf(why, why_size, "the catalog in %s/assets does not load: %s", data_dir, line);
        azb_errors_free(&errs);
        wb_app_destroy(app);
        return NULL;
    }
    stamp(t0, "catalog");
    char dir[4200] = "";
    snprintf(dir, sizeof(dir), "%s/scenarios", data_dir);
    app->prompts = azb_prompts_load(dir, &errs);
    stamp(t0, "prompts");
    azb_errors_free(&errs);
    app->ed = azb_edit_create(NULL, app->cat);
    if (app->ed == NULL) {
        snprintf(why, why_size, "out of memory");
        wb_app_destroy(app);
        return NULL;
    }
    wb_palette_build(app);
    wb_files_recent_load(app);
    app->view.zoom = app->scale;
    wb_app_edited(app);
    return app;
}

void wb_app_destroy(wb_app *app)
{
    if (app == NULL) {
        return;
    }
    wb_drill_free(app); /* joins the worker, which reads the catalog */
    azb_design_destroy(app->clip);
    azb_cost_destroy(app->cost);
    azb_availability_destroy(app->avail);
    azb_result_destroy(app->result);
    if (app->ed != NULL) {
        azb_edit_destroy(app->ed);
    }
    azb_prompts_destroy(app->prompts);
    azb_catalog_destroy(app->cat);
    free(app->sel);
    free(app->scratch);
    wb_text_free(&app->text);
    if (app->renderer != NULL) {
        SDL_DestroyRenderer(app->renderer);
    }
    if (app->surface != NULL) {
        SDL_FreeSurface(app->surface);
    }
    if (app->window != NULL) {
        SDL_DestroyWindow(app->window);
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    }
    free(app);
}

/* ---- events ---- */

static void undo_redo(wb_app *app, bool redo)
{
    const char *label = redo ? azb_edit_redo_label(app->ed) : azb_edit_undo_label(app->ed);
    char keep[128] = "";
    snprintf(keep, sizeof(keep), "%s", label);
    bool ok = redo ? azb_edit_redo(app->ed) : azb_edit_undo(app->ed);
    if (ok) {
        wb_sel_clear(app);
        wb_app_edited(app);
        keep[0] = (char)tolower((unsigned char)keep[0]);
        wb_app_status(app, false, "%s: %s", redo ? "Redid" : "Undid", keep);
    } else {
        wb_app_status(app, false, "Nothing to %s", redo ? "redo" : "undo");
    }
}

static int selected_nodes(wb_app *app, int *out, int max)
{
    int n = 0;
    const azb_design *d = wb_design(app);
    for (int i = 0; i < d->nnodes && n < max; i++) {
        if (wb_sel_has(app, i)) {
            out[n++] = i;
        }
    }
    return n;
}

/* The selected nodes as a list, in the scratch array sized with the
 * selection (never allocated per frame or per command). */
static int *sel_list(wb_app *app, int *n)
{
    wb_sel_reserve(app);
    *n = selected_nodes(app, app->scratch, app->sel_cap);
    return app->scratch;
}

static void delete_selection(wb_app *app)
{
    int n = 0;
    int *list = sel_list(app, &n);
    int edge = app->sel_edge;
    int group = app->sel_group;
    if (n == 0 && edge < 0 && group < 0) {
        return;
    }
    int edges_before = wb_design(app)->nedges;
    bool ok = azb_edit_delete(app->ed, list, n, edge >= 0 ? &edge : NULL, edge >= 0 ? 1 : 0,
                              group >= 0 ? &group : NULL, group >= 0 ? 1 : 0);
    if (ok) {
        int ne = edges_before - wb_design(app)->nedges;
        wb_sel_clear(app);
        wb_app_edited(app);
        char parts[3][48] = {"", "", ""};
        int np = 0;
        if (n > 0) {
            snprintf(parts[np++], sizeof(parts[0]), "%d component%s", n, n == 1 ? "" : "s");
        }
        if (ne > 0) {
            snprintf(parts[np++], sizeof(parts[0]), "%d connection%s", ne, ne == 1 ? "" : "s");
        }
        if (group >= 0) {
            snprintf(parts[np++], sizeof(parts[0]), "a region or zone box");
        }
        wb_app_status(app, false, "Deleted %s%s%s%s%s", parts[0],
                      np == 3 ? ", " : (np == 2 ? " and " : ""), parts[1],
                      np == 3 ? " and " : "", parts[2]);
    } else {
        wb_app_status(app, true, "Cannot delete: %s", azb_edit_last_error(app->ed));
    }
}

static void copy_selection(wb_app *app)
{
    int n = 0;
    int *list = sel_list(app, &n);
    if (n == 0) {
        return;
    }
    azb_design *c = azb_edit_copy(app->ed, list, n);
    if (c != NULL) {
        azb_design_destroy(app->clip);
        app->clip = c;
        app->paste_count = 0;
        wb_app_status(app, false, "Copied %d component%s", n, n == 1 ? "" : "s");
    }
}

static void paste_clip(wb_app *app)
{
    if (app->clip == NULL || app->clip->nnodes == 0) {
        return;
    }
    app->paste_count++;
    int *fresh = malloc(sizeof(int) * (size_t)app->clip->nnodes);
    if (fresh == NULL) {
        return;
    }
    double off = 40.0 * app->paste_count;
    int n = azb_edit_paste(app->ed, app->clip, off, off, fresh);
    if (n > 0) {
        wb_sel_clear(app);
        wb_app_edited(app);
        for (int i = 0; i < n; i++) {
            wb_sel_set(app, fresh[i], true);
        }
        wb_app_status(app, false, "Pasted %d component%s", n, n == 1 ? "" : "s");
    } else {
        wb_app_status(app, true, "Cannot paste: %s", azb_edit_last_error(app->ed));
    }
    free(fresh);
}

static void nudge(wb_app *app, double dx, double dy)
{
    int n = 0;
    int *list = sel_list(app, &n);
    if (n == 0) {
        return;
    }
    if (azb_edit_move_nodes(app->ed, list, n, dx, dy)) {
        wb_app_edited(app);
    }
}

static bool key_event(wb_app *app, const SDL_Event *ev)
{
    SDL_Keycode k = ev->key.keysym.sym;
    bool ctrl = (ev->key.keysym.mod & (KMOD_CTRL | KMOD_GUI)) != 0;
    bool shift = (ev->key.keysym.mod & KMOD_SHIFT) != 0;
    bool edit_key = (ctrl && (k == SDLK_z || k == SDLK_y || k == SDLK_v || k == SDLK_d)) ||
                    (!ctrl && (k == SDLK_DELETE || k == SDLK_BACKSPACE || k == SDLK_LEFT ||
                               k == SDLK_RIGHT || k == SDLK_UP || k == SDLK_DOWN));
    if (app->present && edit_key) {
        wb_app_status(app, false, "Present mode shows the design; F5 or Esc to edit");
        return true;
    }
    if (ctrl && k == SDLK_z) {
        undo_redo(app, shift);
    } else if (ctrl && k == SDLK_y) {
        undo_redo(app, true);
    } else if (ctrl && k == SDLK_s) {
        if (shift && !wb_app_is_shipped(app, app->path)) {
            app->modal = WB_MODAL_SAVE_AS;
            snprintf(app->open_path, sizeof(app->open_path), "%s", app->path);
        } else {
            wb_app_save_command(app);
        }
    } else if (ctrl && k == SDLK_o) {
        app->modal = WB_MODAL_OPEN;
        app->open_path[0] = '\0';
    } else if (ctrl && k == SDLK_n) {
        if (azb_edit_dirty(app->ed)) {
            app->modal = WB_MODAL_CONFIRM_NEW;
        } else {
            wb_app_new(app);
        }
    } else if (ctrl && k == SDLK_q) {
        SDL_Event quit = {0};
        memset(&quit, 0, sizeof(quit));
        quit.type = SDL_QUIT;
        wb_app_event(app, &quit);
    } else if (ctrl && k == SDLK_0) {
        wb_app_fit(app);
    } else if (ctrl && (k == SDLK_EQUALS || k == SDLK_PLUS || k == SDLK_KP_PLUS)) {
        wb_rect c = app->lay.canvas;
        wb_canvas_zoom_at(app, c.x + c.w * 0.5f, c.y + c.h * 0.5f, 1.25);
    } else if (ctrl && (k == SDLK_MINUS || k == SDLK_KP_MINUS)) {
        wb_rect c = app->lay.canvas;
        wb_canvas_zoom_at(app, c.x + c.w * 0.5f, c.y + c.h * 0.5f, 0.8);
    } else if (ctrl && k == SDLK_c) {
        copy_selection(app);
    } else if (ctrl && k == SDLK_v) {
        paste_clip(app);
    } else if (ctrl && k == SDLK_d) {
        copy_selection(app);
        paste_clip(app);
    } else if (ctrl && k == SDLK_a) {
        const azb_design *d = wb_design(app);
        for (int i = 0; i < d->nnodes; i++) {
            wb_sel_set(app, i, true);
        }
    } else if (k == SDLK_F1 || (k == SDLK_SLASH && shift) || k == SDLK_QUESTION) {
        app->modal = app->modal == WB_MODAL_HELP ? WB_MODAL_NONE : WB_MODAL_HELP;
    } else if (k == SDLK_DELETE || k == SDLK_BACKSPACE) {
        delete_selection(app);
    } else if (k == SDLK_LEFT || k == SDLK_RIGHT || k == SDLK_UP || k == SDLK_DOWN) {
        double step = shift ? 20.0 : 1.0;
        nudge(app, k == SDLK_LEFT ? -step : (k == SDLK_RIGHT ? step : 0.0),
              k == SDLK_UP ? -step : (k == SDLK_DOWN ? step : 0.0));
    } else if (k == SDLK_ESCAPE) {
        wb_sel_clear(app);
        wb_app_set_present(app, false);
    } else if (k == SDLK_SPACE) {
        app->space_down = true;
    } else if (k == SDLK_F5) {
        wb_app_set_present(app, !app->present);
    } else {
        return false;
    }
    return true;
}

bool wb_app_event(wb_app *app, const SDL_Event *ev)
{
    app->arena_used = 0;
    switch (ev->type) {
    case SDL_QUIT:
        if (azb_edit_dirty(app->ed)) {
            app->modal = WB_MODAL_CONFIRM_CLOSE;
        } else {
            app->running = false;
        }
        return app->running;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED && app->window != NULL) {
            int ww = 0, wh = 0;
            SDL_GetWindowSize(app->window, &ww, &wh);
            SDL_GetRendererOutputSize(app->renderer, &app->width, &app->height);
            app->scale = (ww > 0 ? (float)app->width / (float)ww : 1.0f) * app->user_scale;
            wb_app_layout(app);
        }
        return true;
    case SDL_MOUSEMOTION:
        app->mx = (float)ev->motion.x * (app->window != NULL ? app->scale / app->user_scale : 1.0f);
        app->my = (float)ev->motion.y * (app->window != NULL ? app->scale / app->user_scale : 1.0f);
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        app->mx = (float)ev->button.x * (app->window != NULL ? app->scale / app->user_scale : 1.0f);
        app->my = (float)ev->button.y * (app->window != NULL ? app->scale / app->user_scale : 1.0f);
        break;
    case SDL_KEYUP:
        if (ev->key.keysym.sym == SDLK_SPACE) {
            app->space_down = false;
        }
        return true;
    default:
        break;
    }
    if (wb_drill_event(app, ev)) {
        return app->running;
    }
    app->tooltip[0] = '\0';
    if (app->modal != WB_MODAL_NONE) {
        if (app->modal == WB_MODAL_HELP || app->modal == WB_MODAL_COST) {
            if ((ev->type == SDL_KEYDOWN &&
                 (ev->key.keysym.sym == SDLK_ESCAPE || ev->key.keysym.sym == SDLK_F1)) ||
                ev->type == SDL_MOUSEBUTTONDOWN) {
                app->modal = WB_MODAL_NONE;
            }
            return true;
        }
        wb_files_event(app, ev);
        return app->running;
    }
    /* A drag belongs to whoever started it. */
    if (app->drag == WB_DRAG_SLIDER) {
        wb_results_event(app, ev);
        return true;
    }
    if (app->drag != WB_DRAG_NONE) {
        if (app->drag == WB_DRAG_PALETTE) {
            wb_palette_event(app, ev);
        } else {
            wb_canvas_event(app, ev);
        }
        return true;
    }
    if (app->box.owner != 0 && (ev->type == SDL_TEXTINPUT || ev->type == SDL_KEYDOWN)) {
        if (app->box.owner >= 1000) {
            wb_palette_event(app, ev);
        } else {
            wb_inspector_event(app, ev);
        }
        return true;
    }
    if (ev->type == SDL_KEYDOWN) {
        key_event(app, ev);
        return app->running;
    }
    float x = app->mx;
    float y = app->my;
    if (ev->type == SDL_MOUSEBUTTONDOWN && app->box.owner == 1 &&
        !wb_rect_has(app->lay.inspector, x, y)) {
        /* A click elsewhere applies the field being typed, as Enter does. */
        wb_inspector_commit(app);
    }
    if (wb_rect_has(app->lay.toolbar, x, y)) {
        wb_toolbar_event(app, ev);
    } else if (!app->present && wb_rect_has(app->lay.palette, x, y)) {
        wb_palette_event(app, ev);
    } else if (!app->present && wb_rect_has(app->lay.inspector, x, y)) {
        wb_inspector_event(app, ev);
    } else if (wb_rect_has(app->lay.results, x, y) || wb_rect_has(app->lay.status, x, y)) {
        wb_results_event(app, ev);
    } else {
        wb_canvas_event(app, ev);
    }
    return app->running;
}

int wb_app_run(wb_app *app)
{
    SDL_StartTextInput();
    wb_app_title(app);
    while (app->running) {
        SDL_Event ev = {0};
        if (SDL_WaitEvent(&ev) == 0) {
            break;
        }
        wb_app_event(app, &ev);
        while (app->running && SDL_PollEvent(&ev) != 0) {
            wb_app_event(app, &ev);
        }
        if (!app->running) {
            break;
        }
        Uint64 t0 = SDL_GetPerformanceCounter();
        wb_app_frame(app);
        app->last_frame_ms = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                             (double)SDL_GetPerformanceFrequency();
    }
    return 0;
}

void wb_app_frame(wb_app *app)
{
    app->frame++;
    app->text.frame = app->frame;
    app->arena_used = 0;
    wb_app_draw(app);
    SDL_RenderPresent(app->renderer);
}

int wb_open_main(const char *path, const char *data_dir, FILE *err)
{
    wb_options opt = {0, 0, 0.0f, false};
    char why[1024] = "";
    Uint64 t0 = SDL_GetPerformanceCounter();
    wb_app *app = wb_app_create(&opt, data_dir, why, sizeof(why));
    if (app == NULL) {
        fprintf(err, "azboard: %s; printing the report instead of opening the whiteboard\n",
                why);
        return -1;
    }
    stamp(t0, "created");
    double created_ms = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                        (double)SDL_GetPerformanceFrequency();
    if (!wb_app_open(app, path)) {
        if (path != NULL) {
            fprintf(err, "azboard: %s\n", app->status);
            wb_app_destroy(app);
            return 2;
        }
    }
    stamp(t0, "opened");
    app->frame++;
    app->text.frame = app->frame;
    wb_app_draw(app);
    stamp(t0, "drawn");
    SDL_RenderPresent(app->renderer);
    stamp(t0, "presented");
    double ms = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                (double)SDL_GetPerformanceFrequency();
    if (getenv("AZBOARD_TIMING") != NULL) {
        SDL_RendererInfo info = {0};
        memset(&info, 0, sizeof(info));
        SDL_GetRendererInfo(app->renderer, &info);
        fprintf(err, "azboard: window, renderer (%s) and catalog after %.1f ms; first frame after %.1f ms\n",
                info.name != NULL ? info.name : "?", created_ms, ms);
    }
    int rc = wb_app_run(app);
    wb_app_destroy(app);
    return rc;
}
