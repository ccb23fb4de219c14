/* The inspector: what is selected, and every field it has, edited through
 * azb_edit_set_field so each change is checked and undoable. A value the
 * editor refuses is shown in red with the reason and never applied. An
 * empty field shows the value that applies ("default: 1"); a field with a
 * fixed set of values (mode, on, balancing, ...) opens a choice list
 * instead of taking text. A node lists its kind's SKUs with their first
 * price; a region box lists the regions. Nothing selected: the design
 * itself (name, the workload's rate and entry, the practice prompt it
 * answers, through azb_edit_set_design_field) and the prompt's
 * requirements.
 *
 * Fields of the design itself are hits with index DESIGN (-1). */
#include <math.h>
#include <string.h>

#include "wb.h"

#define BOX_FIELD 1
#define DESIGN (-1)
#define CHOICES_MAX 80

static void box_commit(wb_app *app);

static float row_h(const wb_app *app)
{
    return wb_px(app, 26.0f);
}

static void add_hit(wb_app *app, wb_rect r, wb_hit_kind kind, int index, const char *name,
                    const char *value)
{
    if (app->nhits < WB_HITS_MAX) {
        app->hits[app->nhits++] = (wb_hit){r, kind, index, name, value};
    }
}

static bool target(const wb_app *app, azb_target_type *type, int *index)
{
    const azb_design *d = wb_design(app);
    if (app->sel_edge >= 0 && app->sel_edge < d->nedges) {
        *type = AZB_TARGET_EDGE;
        *index = app->sel_edge;
        return true;
    }
    if (app->nsel == 1) {
        for (int i = 0; i < d->nnodes; i++) {
            if (wb_sel_has(app, i)) {
                *type = AZB_TARGET_NODE;
                *index = i;
                return true;
            }
        }
    }
    if (app->sel_group >= 0 && app->sel_group < d->ngroups && app->nsel == 0) {
        *type = AZB_TARGET_GROUP;
        *index = app->sel_group;
        return true;
    }
    if (app->sel_group >= 0 && app->sel_group < d->ngroups) {
        *type = AZB_TARGET_GROUP;
        *index = app->sel_group;
        return true;
    }
    return false;
}

/* What the inspector edits: the selection, or the design itself when
 * nothing is selected (index DESIGN). False for several components. */
static bool editing_target(const wb_app *app, azb_target_type *type, int *index)
{
    if (target(app, type, index)) {
        return true;
    }
    if (app->nsel == 0) {
        *type = AZB_TARGET_NODE;
        *index = DESIGN;
        return true;
    }
    return false;
}

static bool get_value(const wb_app *app, azb_target_type type, int index, const char *f,
                      char *out, size_t size)
{
    out[0] = '\0';
    if (index == DESIGN) {
        return azb_edit_get_design_field(app->ed, f, out, size);
    }
    return azb_edit_get_field(app->ed, type, index, f, out, size);
}

/* The engine's reasons carry the JSON path of what they are about
 * ("groups[1].zone: zone must be 1, 2 or 3"); the inspector already shows
 * which field it is, so the path goes. */
static void user_words(char *out, size_t size, const char *why)
{
    const char *p = why;
    for (;;) {
        const char *q = p;
        bool path = false;
        while (*q != '\0' && (SDL_isalnum((unsigned char)*q) || *q == '_' || *q == '.' ||
                              *q == '[' || *q == ']')) {
            path = path || *q == '.' || *q == '[';
            q++;
        }
        if (path && q[0] == ':' && q[1] == ' ') {
            p = q + 2;
        } else {
            break;
        }
    }
    snprintf(out, size, "%s", p);
}

/* The value that applies when the field is empty, for the placeholder. */
static const char *default_text(wb_app *app, azb_target_type type, int index, const char *f)
{
    if (index == DESIGN) {
        if (strcmp(f, "workload.rps") == 0) {
            return "none: no load yet";
        }
        if (strcmp(f, "workload.entry") == 0) {
            return "every clients node";
        }
        if (strcmp(f, "prompt") == 0) {
            return "none";
        }
        return "none";
    }
    const azb_design *d = wb_design(app);
    if (type == AZB_TARGET_EDGE) {
        static const struct {
            const char *f, *v;
        } edge_defaults[] = {{"label", "none"}, {"p", "1"},          {"calls", "1"},
                             {"mode", "sync"},  {"request_kb", "0"}, {"response_kb", "0"},
                             {"on", "always"},  {"ops", "all operations"}};
        for (size_t i = 0; i < sizeof(edge_defaults) / sizeof(edge_defaults[0]); i++) {
            if (strcmp(edge_defaults[i].f, f) == 0) {
                return wb_fmt(app, "default: %s", edge_defaults[i].v);
            }
        }
        return "default";
    }
    if (type == AZB_TARGET_GROUP) {
        return "none";
    }
    const azb_node *n = &d->nodes[index];
    const azb_sku *sku = n->sku_ref;
    const azb_kind *k = n->kind_ref;
    if (strcmp(f, "label") == 0) {
        return wb_fmt(app, "default: %s", n->id);
    }
    if (strcmp(f, "count") == 0) {
        return "default: 1";
    }
    if (strcmp(f, "region") == 0 || strcmp(f, "zones") == 0) {
        return "none";
    }
    if (strcmp(f, "sku") == 0 && k != NULL && k->nskus > 0) {
        return wb_fmt(app, "default: %s", k->skus[k->default_sku].name);
    }
    if (sku != NULL && strcmp(f, "service_ms") == 0) {
        return wb_fmt(app, "SKU default: %g", sku->capacity.service_ms);
    }
    if (sku != NULL && strcmp(f, "service_dist") == 0) {
        return wb_fmt(app, "SKU default: %s", azb_dist_name(sku->capacity.dist));
    }
    if (sku != NULL && strcmp(f, "cv") == 0) {
        return wb_fmt(app, "SKU default: %g", sku->capacity.cv);
    }
    if (sku != NULL && strcmp(f, "concurrency") == 0) {
        return wb_fmt(app, "SKU default: %d", sku->capacity.concurrency);
    }
    if (strcmp(f, "balancing") == 0) {
        return "default: hash";
    }
    if (strncmp(f, "autoscale.", 10) == 0) {
        return "off";
    }
    const azb_setting_def *sd = k != NULL ? azb_catalog_find_setting(k, f) : NULL;
    if (sd != NULL) {
        if (sd->type == AZB_SETTING_BOOL) {
            return sd->def != 0.0 ? "default: true" : "default: false";
        }
        if (sd->type == AZB_SETTING_STRING) {
            return sd->def_str[0] != '\0' ? wb_fmt(app, "default: %s", sd->def_str) : "none";
        }
        return wb_fmt(app, "default: %g", sd->def);
    }
    return "default";
}

/* The values a field takes when it has a fixed set: values (what is set;
 * "" clears the field) and labels. 0: any text. */
static int field_choices(wb_app *app, azb_target_type type, int index, const char *f,
                         const char **values, const char **labels, int max)
{
    static const char *const dist[] = {"exp", "det", "lognormal"};
    static const char *const balancing[] = {"round_robin", "hash", "random", "least_connections"};
    static const char *const mode[] = {"sync", "async"};
    static const char *const on[] = {"always", "hit", "miss"};
    static const char *const tf[] = {"true", "false"};
    const char *const *fixed = NULL;
    int nfixed = 0;
    int n = 0;
    const azb_design *d = wb_design(app);
    if (index == DESIGN) {
        if (strcmp(f, "workload.entry") == 0) {
            values[n] = "";
            labels[n++] = "every clients node";
            for (int i = 0; i < d->nnodes && n < max; i++) {
                values[n] = d->nodes[i].id;
                labels[n++] = d->nodes[i].id;
            }
            return n;
        }
        if (strcmp(f, "prompt") == 0) {
            values[n] = "";
            labels[n++] = "none";
            for (int i = 0; app->prompts != NULL && i < app->prompts->count && n < max; i++) {
                values[n] = app->prompts->items[i].id;
                labels[n++] = app->prompts->items[i].title[0] != '\0' ? app->prompts->items[i].title
                                                                     : app->prompts->items[i].id;
            }
            return n;
        }
        return 0;
    }
    if (type == AZB_TARGET_NODE && strcmp(f, "service_dist") == 0) {
        fixed = dist;
        nfixed = 3;
    } else if (type == AZB_TARGET_NODE && strcmp(f, "balancing") == 0) {
        fixed = balancing;
        nfixed = 4;
    } else if (type == AZB_TARGET_EDGE && strcmp(f, "mode") == 0) {
        fixed = mode;
        nfixed = 2;
    } else if (type == AZB_TARGET_EDGE && strcmp(f, "on") == 0) {
        fixed = on;
        nfixed = 3;
    } else if (type == AZB_TARGET_NODE) {
        const azb_kind *k = d->nodes[index].kind_ref;
        const azb_setting_def *sd = k != NULL ? azb_catalog_find_setting(k, f) : NULL;
        if (sd != NULL && sd->type == AZB_SETTING_BOOL) {
            fixed = tf;
            nfixed = 2;
        } else if (sd != NULL && sd->type == AZB_SETTING_STRING && sd->nchoices > 0) {
            values[n] = "";
            labels[n++] = default_text(app, type, index, f);
            for (int i = 0; i < sd->nchoices && n < max; i++) {
                values[n] = sd->choices[i];
                labels[n++] = sd->choices[i];
            }
            return n;
        }
    }
    if (fixed == NULL) {
        return 0;
    }
    values[n] = "";
    labels[n++] = default_text(app, type, index, f);
    for (int i = 0; i < nfixed && n < max; i++) {
        values[n] = fixed[i];
        labels[n++] = fixed[i];
    }
    return n;
}

static const char *field_caption(const wb_app *app, azb_target_type type, int index,
                                 const char *f)
{
    static const struct {
        const char *name;
        const char *caption;
    } names[] = {
        {"service_ms", "service time ms"}, {"service_dist", "service distribution"},
        {"cv", "service cv"},             {"autoscale.min", "autoscale min"},
        {"autoscale.max", "autoscale max"}, {"autoscale.target", "autoscale target"},
        {"p", "probability"},              {"calls", "calls per visit"},
        {"mode", "sync / async"},          {"request_kb", "request KB"},
        {"response_kb", "response KB"},    {"on", "on (cache)"},
        {"ops", "operations"},            {"workload.rps", "requests/s"},
        {"workload.entry", "entry"},       {"prompt", "practice prompt"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(names[i].name, f) == 0) {
            return names[i].caption;
        }
    }
    if (type == AZB_TARGET_NODE && index != DESIGN) {
        const azb_node *n = &wb_design(app)->nodes[index];
        const azb_setting_def *sd = azb_catalog_find_setting(n->kind_ref, f);
        if (sd != NULL && sd->unit[0] != '\0') {
            return wb_fmt((wb_app *)app, "%s (%s)", f, sd->unit);
        }
    }
    return f;
}

static const char *price_text(wb_app *app, const azb_sku *s)
{
    if (s->nprices == 0) {
        return "no charge";
    }
    const azb_price *p = &s->prices[0];
    char m[32] = "";
    snprintf(m, sizeof(m), "%.4g", p->usd);
    const char *unit = azb_price_unit_name(p->unit);
    if (p->unit == AZB_UNIT_INSTANCE_HOUR) {
        unit = "hour";
    } else if (p->unit == AZB_UNIT_VCORE_HOUR) {
        unit = "vCore-hour";
    } else if (p->unit == AZB_UNIT_MILLION_REQUESTS) {
        unit = "M req";
    }
    return wb_fmt(app, "$%s/%s", m, unit);
}

static float section(wb_app *app, float x, float y, float w, const char *title)
{
    wb_text_draw(&app->text, WB_BOLD, wb_px(app, 10.5f), x, y + wb_px(app, 8.0f),
                 WB_RGB(WB_C_FAINT), title, w);
    return y + wb_px(app, 28.0f);
}

static float draw_node_numbers(wb_app *app, int i, float x, float y, float w)
{
    const azb_result *r = app->model_ok ? app->result : NULL;
    if (r == NULL || i >= r->nnodes) {
        return y;
    }
    const azb_node_result *nr = &r->nodes[i];
    char a[32], b[32];
    float fs = wb_px(app, 11.5f);
    float lh = wb_px(app, 18.0f);
    const char *lines[6] = {0};
    int n = 0;
    lines[n++] = wb_fmt(app, "%s req/s offered of %s capacity", wb_num(a, sizeof(a), nr->rps),
                        wb_num(b, sizeof(b), nr->capacity_rps));
    if (nr->queueing != AZB_QUEUEING_SOURCE) {
        lines[n++] = wb_fmt(app, "utilisation %.0f%%%s, %d of %d instances", nr->utilization * 100.0,
                            nr->saturated ? " SATURATED" : "", nr->instances, nr->max_instances);
        lines[n++] = wb_fmt(app, "mean %s, p99 %s per visit",
                            wb_ms(a, sizeof(a), nr->sojourn_ms, nr->saturated),
                            wb_ms(b, sizeof(b), nr->sojourn_p99_ms, nr->saturated));
    }
    if (app->cost != NULL && i < app->cost->nnodes) {
        lines[n++] = wb_fmt(app, "%s a month", wb_usd(a, sizeof(a), app->cost->node_monthly_usd[i]));
    }
    if (app->avail != NULL && i < app->avail->nnodes && app->avail->nodes[i].sla > 0.0) {
        lines[n++] = wb_fmt(app, "SLA %s, %s", wb_results_percent(a, sizeof(a), app->avail->nodes[i].sla),
                            app->avail->nodes[i].basis);
    }
    for (int k = 0; k < n; k++) {
        wb_color c = WB_RGB(WB_C_TEXT);
        if (k == 1 && nr->saturated) {
            c = WB_RGB(WB_C_HOT);
        }
        wb_text_draw(&app->text, WB_REGULAR, fs, x, y, c, lines[k], w);
        y += lh;
    }
    return y + wb_px(app, 4.0f);
}

static float draw_field(wb_app *app, azb_target_type type, int index, const char *f, float x,
                        float y, float w)
{
    SDL_Renderer *r = app->renderer;
    float fs = wb_px(app, 11.5f);
    float rh = row_h(app);
    float cap_w = w * 0.42f;
    wb_text_draw(&app->text, WB_REGULAR, fs, x, y + (rh - wb_text_height(&app->text, WB_REGULAR, fs)) * 0.5f,
                 WB_RGB(WB_C_MUTED), field_caption(app, type, index, f), cap_w - wb_px(app, 6.0f));
    wb_rect box = {x + cap_w, y + wb_px(app, 2.0f), w - cap_w, rh - wb_px(app, 4.0f)};
    const char *values[CHOICES_MAX] = {0};
    const char *labels[CHOICES_MAX] = {0};
    int nc = field_choices(app, type, index, f, values, labels, CHOICES_MAX);
    bool editing = nc == 0 && app->box.owner == BOX_FIELD && strcmp(app->box.field, f) == 0;
    bool open = nc > 0 && strcmp(app->inspector_list, f) == 0;
    bool bad = app->field_error[0] != '\0' && strcmp(app->field_error_name, f) == 0;
    bool hot = wb_rect_has(box, app->mx, app->my);
    wb_draw_round(r, box, wb_px(app, 4.0f), editing ? WB_RGB(0xffffff) : WB_RGB(hot ? 0xf1f4f8 : WB_C_PANEL_ALT));
    wb_color frame = bad ? WB_RGB(WB_C_HOT) : (editing || open ? WB_RGB(WB_C_ACCENT) : WB_RGB(WB_C_BORDER));
    wb_draw_round_frame(r, box, wb_px(app, 4.0f), editing || bad || open ? 2.0f : 1.0f, frame);
    char val[256] = "";
    if (editing) {
        snprintf(val, sizeof(val), "%s", app->box.text);
    } else {
        get_value(app, type, index, f, val, sizeof(val));
    }
    const char *shown = val;
    for (int c = 1; nc > 0 && c < nc; c++) {
        if (strcmp(values[c], val) == 0) {
            shown = labels[c]; /* a prompt by its title */
        }
    }
    float arrow = nc > 0 ? wb_px(app, 14.0f) : 0.0f;
    float ty = box.y + (box.h - wb_text_height(&app->text, WB_REGULAR, fs)) * 0.5f;
    if (editing && app->box.all && val[0] != '\0') {
        float sw = fminf(wb_text_width(&app->text, WB_REGULAR, fs, val), box.w - wb_px(app, 12.0f));
        wb_draw_fill(r, (wb_rect){box.x + wb_px(app, 6.0f), ty, sw, wb_text_height(&app->text, WB_REGULAR, fs)},
                     WB_RGB(0xc4daf2) /* selected text */);
    }
    float tw = wb_text_draw(&app->text, WB_REGULAR, fs, box.x + wb_px(app, 6.0f), ty,
                            bad ? WB_RGB(WB_C_HOT) : WB_RGB(WB_C_TEXT), shown,
                            box.w - wb_px(app, 12.0f) - arrow);
    if (editing) {
        wb_draw_fill(r, (wb_rect){box.x + wb_px(app, 6.0f) + tw + 1.0f, ty, 1.0f,
                                  wb_text_height(&app->text, WB_REGULAR, fs)},
                     WB_RGB(WB_C_TEXT));
    }
    if (val[0] == '\0') {
        /* The value that applies while the field is empty. */
        wb_text_draw(&app->text, WB_REGULAR, fs, box.x + wb_px(app, 6.0f) + (editing ? tw + 4.0f : 0.0f),
                     ty, WB_RGB(WB_C_FAINT), nc > 0 ? labels[0] : default_text(app, type, index, f),
                     box.w - wb_px(app, 12.0f) - arrow - (editing ? tw + 4.0f : 0.0f));
    }
    if (nc > 0) {
        wb_text_draw(&app->text, WB_REGULAR, fs, box.x + box.w - arrow, ty, WB_RGB(WB_C_MUTED),
                     open ? "\xe2\x96\xb4" : "\xe2\x96\xbe", 0.0f);
    }
    add_hit(app, box, WB_HIT_FIELD, index, f, NULL);
    y += rh;
    if (open) {
        float lh = wb_px(app, 22.0f);
        wb_rect list = {box.x, y, box.w, lh * (float)nc + wb_px(app, 4.0f)};
        wb_draw_round(r, list, wb_px(app, 4.0f), WB_RGB(0xffffff));
        wb_draw_round_frame(r, list, wb_px(app, 4.0f), 1.0f, WB_RGB(WB_C_BORDER));
        float oy = y + wb_px(app, 2.0f);
        for (int c = 0; c < nc; c++) {
            wb_rect row = {box.x + 1.0f, oy, box.w - 2.0f, lh};
            bool cur = strcmp(values[c], val) == 0;
            if (cur) {
                wb_draw_fill(r, row, WB_RGB(WB_C_ACCENT_SOFT));
            } else if (wb_rect_has(row, app->mx, app->my)) {
                wb_draw_fill(r, row, WB_RGB(0xf1f4f8));
            }
            wb_text_draw(&app->text, cur ? WB_BOLD : WB_REGULAR, fs, row.x + wb_px(app, 6.0f),
                         oy + (lh - wb_text_height(&app->text, WB_REGULAR, fs)) * 0.5f,
                         c == 0 ? WB_RGB(WB_C_MUTED) : WB_RGB(WB_C_TEXT), labels[c],
                         row.w - wb_px(app, 12.0f));
            add_hit(app, row, WB_HIT_CHOICE, index, f, values[c]);
            oy += lh;
        }
        y += list.h + wb_px(app, 4.0f);
    }
    if (bad) {
        float h = wb_text_wrap(&app->text, WB_REGULAR, wb_px(app, 11.0f), x, y, w, WB_RGB(WB_C_HOT),
                               app->field_error, 3);
        y += h + wb_px(app, 4.0f);
    }
    return y;
}

static float draw_skus(wb_app *app, int index, float x, float y, float w)
{
    const azb_node *n = &wb_design(app)->nodes[index];
    const azb_kind *k = n->kind_ref;
    if (k == NULL || k->nskus <= 1) {
        return y;
    }
    y = section(app, x, y, w, "SKU (first list price)");
    float fs = wb_px(app, 11.5f);
    float rh = wb_px(app, 22.0f);
    for (int s = 0; s < k->nskus; s++) {
        const azb_sku *sku = &k->skus[s];
        bool cur = n->sku_ref == sku;
        wb_rect row = {x - wb_px(app, 4.0f), y, w + wb_px(app, 8.0f), rh};
        if (cur) {
            wb_draw_round(app->renderer, row, wb_px(app, 4.0f), WB_RGB(WB_C_ACCENT_SOFT));
        } else if (wb_rect_has(row, app->mx, app->my)) {
            wb_draw_round(app->renderer, row, wb_px(app, 4.0f), WB_RGB(0xf1f4f8));
        }
        float ty = y + (rh - wb_text_height(&app->text, WB_REGULAR, fs)) * 0.5f;
        const char *price = price_text(app, sku);
        float pw = wb_text_width(&app->text, WB_REGULAR, fs, price);
        wb_text_draw(&app->text, cur ? WB_BOLD : WB_REGULAR, fs, x, ty,
                     cur ? WB_RGB(WB_C_ACCENT) : WB_RGB(WB_C_TEXT), sku->name, w - pw - wb_px(app, 8.0f));
        wb_text_draw(&app->text, WB_REGULAR, fs, x + w - pw, ty, WB_RGB(WB_C_MUTED), price, 0.0f);
        add_hit(app, row, WB_HIT_SKU, s, "sku", sku->name);
        y += rh;
    }
    return y + wb_px(app, 4.0f);
}

static float draw_regions(wb_app *app, float x, float y, float w)
{
    y = section(app, x, y, w, "REGION (click to set)");
    float fs = wb_px(app, 11.0f);
    float rh = wb_px(app, 20.0f);
    const azb_group *g = &wb_design(app)->groups[app->sel_group];
    bool lane = strcmp(g->kind, "zone") == 0;
    int hidden = 0;
    for (int i = 0; lane && i < app->cat->nregions; i++) {
        hidden += app->cat->regions[i].zones < g->zone ? 1 : 0;
    }
    if (hidden > 0) {
        y += wb_text_wrap(&app->text, WB_REGULAR, wb_px(app, 11.0f), x, y, w, WB_RGB(WB_C_MUTED),
                          wb_fmt(app, "A zone lane needs a region with availability zones: %d region%s without a zone %d %s not listed.",
                                 hidden, hidden == 1 ? "" : "s", g->zone, hidden == 1 ? "is" : "are"),
                          3);
        y += wb_px(app, 6.0f);
    }
    for (int i = 0; i < app->cat->nregions; i++) {
        const azb_region *reg = &app->cat->regions[i];
        if (lane && reg->zones < g->zone) {
            continue;
        }
        bool cur = strcmp(g->region, reg->name) == 0;
        wb_rect row = {x - wb_px(app, 4.0f), y, w + wb_px(app, 8.0f), rh};
        if (cur) {
            wb_draw_round(app->renderer, row, wb_px(app, 4.0f), WB_RGB(WB_C_ACCENT_SOFT));
        } else if (wb_rect_has(row, app->mx, app->my)) {
            wb_draw_round(app->renderer, row, wb_px(app, 4.0f), WB_RGB(0xf1f4f8));
        }
        float ty = y + (rh - wb_text_height(&app->text, WB_REGULAR, fs)) * 0.5f;
        const char *z = reg->zones > 0 ? wb_fmt(app, "%s, %d zones", reg->name, reg->zones) : reg->name;
        float zw = wb_text_width(&app->text, WB_REGULAR, fs, z);
        wb_text_draw(&app->text, cur ? WB_BOLD : WB_REGULAR, fs, x, ty,
                     cur ? WB_RGB(WB_C_ACCENT) : WB_RGB(WB_C_TEXT), reg->display,
                     w - zw - wb_px(app, 8.0f));
        wb_text_draw(&app->text, WB_REGULAR, fs, x + w - zw, ty, WB_RGB(WB_C_MUTED), z, 0.0f);
        add_hit(app, row, WB_HIT_REGION, i, "region", reg->name);
        y += rh;
    }
    return y;
}

static float draw_prompt(wb_app *app, float x, float y, float w)
{
    const azb_design *d = wb_design(app);
    const azb_prompt *q = app->prompts != NULL && d->has_prompt ? azb_prompts_find(app->prompts, d->prompt) : NULL;
    static const char *const design_fields[] = {"name", "description", "workload.rps",
                                                "workload.entry", "prompt"};
    y = section(app, x, y, w, "DESIGN");
    y += wb_text_wrap(&app->text, WB_BOLD, wb_px(app, 14.0f), x, y, w, WB_RGB(WB_C_TEXT), d->name, 2);
    y += wb_px(app, 6.0f);
    for (size_t i = 0; i < sizeof(design_fields) / sizeof(design_fields[0]); i++) {
        y = draw_field(app, AZB_TARGET_NODE, DESIGN, design_fields[i], x, y, w);
    }
    if (d->has_description && d->description[0] != '\0') {
        y += wb_px(app, 4.0f);
        y += wb_text_wrap(&app->text, WB_REGULAR, wb_px(app, 11.5f), x, y, w, WB_RGB(WB_C_MUTED),
                          d->description, 6);
    }
    if (!d->workload.present || d->workload.rps <= 0.0) {
        y += wb_px(app, 4.0f);
        y += wb_text_wrap(&app->text, WB_REGULAR, wb_px(app, 11.0f), x, y, w, WB_RGB(WB_C_WARM),
                          "No load yet: type the requests/s the design should carry.", 3);
    }
    y += wb_px(app, 6.0f);
    if (q == NULL) {
        y += wb_px(app, 10.0f);
        y += wb_text_wrap(&app->text, WB_REGULAR, wb_px(app, 11.5f), x, y, w, WB_RGB(WB_C_FAINT),
                          "Select a component, an arrow or a region box to edit it. Press F1 for every shortcut.", 4);
        return y;
    }
    y += wb_px(app, 8.0f);
    y = section(app, x, y, w, "PRACTICE PROMPT");
    y += wb_text_wrap(&app->text, WB_BOLD, wb_px(app, 13.0f), x, y, w, WB_RGB(WB_C_TEXT), q->title, 2);
    y += wb_px(app, 4.0f);
    y += wb_text_wrap(&app->text, WB_REGULAR, wb_px(app, 11.5f), x, y, w, WB_RGB(0x3c4350), q->summary, 5);
    y += wb_px(app, 8.0f);
    y = section(app, x, y, w, "REQUIREMENTS");
    char a[32] = "";
    float fs = wb_px(app, 11.5f);
    float lh = wb_px(app, 18.0f);
    if (q->req.peak_rps > 0.0) {
        wb_text_draw(&app->text, WB_REGULAR, fs, x, y, WB_RGB(WB_C_TEXT),
                     wb_fmt(app, "peak %s requests/s", wb_num(a, sizeof(a), q->req.peak_rps)), w);
        y += lh;
    }
    if (q->req.p99_ms > 0.0) {
        wb_text_draw(&app->text, WB_REGULAR, fs, x, y, WB_RGB(WB_C_TEXT),
                     wb_fmt(app, "p99 under %.0f ms", q->req.p99_ms), w);
        y += lh;
    }
    if (q->req.availability > 0.0) {
        wb_text_draw(&app->text, WB_REGULAR, fs, x, y, WB_RGB(WB_C_TEXT),
                     wb_fmt(app, "availability %s", wb_results_target_percent(a, sizeof(a), q->req.availability)), w);
        y += lh;
    }
    if (q->req.monthly_budget_usd > 0.0) {
        wb_text_draw(&app->text, WB_REGULAR, fs, x, y, WB_RGB(WB_C_TEXT),
                     wb_fmt(app, "budget %s a month", wb_usd(a, sizeof(a), q->req.monthly_budget_usd)), w);
        y += lh;
    }
    if (q->brief[0] != '\0') {
        y += wb_px(app, 6.0f);
        y = section(app, x, y, w, "BRIEF");
        y += wb_text_wrap(&app->text, WB_REGULAR, wb_px(app, 11.5f), x, y, w, WB_RGB(0x3c4350), q->brief, 14);
    }
    return y;
}

void wb_inspector_draw(wb_app *app)
{
    SDL_Renderer *r = app->renderer;
    wb_rect p = app->lay.inspector;
    wb_draw_fill(r, p, WB_RGB(WB_C_PANEL));
    wb_draw_fill(r, (wb_rect){p.x, p.y, 1.0f, p.h}, WB_RGB(WB_C_BORDER));
    SDL_Rect clip = {(int)p.x + 1, (int)p.y, (int)p.w - 1, (int)p.h};
    SDL_RenderSetClipRect(r, &clip);
    float pad = wb_px(app, 16.0f);
    float x = p.x + pad;
    float w = p.w - 2.0f * pad;
    const azb_design *d = wb_design(app);
    azb_target_type type = AZB_TARGET_NODE;
    int index = -1;
    bool one = target(app, &type, &index);
    /* Something else shown: from the top, lists closed. */
    long shown = one ? ((long)type + 1L) * 100000000L + (long)index : (app->nsel > 1 ? 1L : 2L);
    if (shown != app->inspector_shown) {
        app->inspector_shown = shown;
        app->inspector_scroll = 0.0f;
        app->inspector_list[0] = '\0';
    }
    app->inspector_scroll = fminf(app->inspector_scroll, fmaxf(0.0f, app->inspector_h - p.h + pad));
    float top = p.y + wb_px(app, 8.0f) - app->inspector_scroll;
    float y = top;
    if (!one) {
        if (app->nsel > 1) {
            y = section(app, x, y, w, "SELECTION");
            wb_text_draw(&app->text, WB_BOLD, wb_px(app, 14.0f), x, y, WB_RGB(WB_C_TEXT),
                         wb_fmt(app, "%d components", app->nsel), w);
            y += wb_px(app, 24.0f);
            double sum = 0.0;
            for (int i = 0; app->cost != NULL && i < d->nnodes && i < app->cost->nnodes; i++) {
                if (wb_sel_has(app, i)) {
                    sum += app->cost->node_monthly_usd[i];
                }
            }
            char a[32] = "";
            wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 11.5f), x, y, WB_RGB(WB_C_MUTED),
                         wb_fmt(app, "%s a month together", wb_usd(a, sizeof(a), sum)), w);
            y += wb_px(app, 24.0f);
            y += wb_text_wrap(&app->text, WB_REGULAR, wb_px(app, 11.5f), x, y, w, WB_RGB(WB_C_FAINT),
                              "Drag to move them, arrows to nudge, Delete to remove, Ctrl+D to duplicate.", 4);
        } else {
            y = draw_prompt(app, x, y, w);
        }
        app->inspector_h = y - top;
        SDL_RenderSetClipRect(r, NULL);
        return;
    }
    const char *names[WB_FIELD_MAX] = {0};
    int nf = azb_edit_fields(app->ed, type, index, names, WB_FIELD_MAX);
    if (type == AZB_TARGET_NODE) {
        const azb_node *n = &d->nodes[index];
        wb_color cc = wb_category_color(n->kind_ref != NULL ? n->kind_ref->category : AZB_CAT_SOURCE);
        float gs = wb_px(app, 26.0f);
        wb_draw_glyph(r, n->kind, (wb_rect){x, y + wb_px(app, 8.0f), gs, gs}, cc);
        wb_text_draw(&app->text, WB_BOLD, wb_px(app, 14.0f), x + gs + wb_px(app, 10.0f),
                     y + wb_px(app, 6.0f), WB_RGB(WB_C_TEXT), n->label[0] ? n->label : n->id,
                     w - gs - wb_px(app, 10.0f));
        wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 11.0f), x + gs + wb_px(app, 10.0f),
                     y + wb_px(app, 25.0f), WB_RGB(WB_C_MUTED),
                     wb_fmt(app, "%s  \xc2\xb7  %s", n->id, n->kind_ref ? n->kind_ref->name : n->kind),
                     w - gs - wb_px(app, 10.0f));
        y += wb_px(app, 48.0f);
        y = draw_node_numbers(app, index, x, y, w);
        y = draw_skus(app, index, x, y, w);
        y = section(app, x, y, w, "SETTINGS");
    } else if (type == AZB_TARGET_EDGE) {
        const azb_edge *e = &d->edges[index];
        y = section(app, x, y, w, "CALL");
        wb_text_draw(&app->text, WB_BOLD, wb_px(app, 14.0f), x, y, WB_RGB(WB_C_TEXT),
                     wb_fmt(app, "%s \xe2\x86\x92 %s", e->from, e->to), w);
        y += wb_px(app, 22.0f);
        if (app->model_ok && index < app->result->nedges) {
            char a[32] = "";
            const azb_edge_result *er = &app->result->edges[index];
            wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 11.5f), x, y, WB_RGB(WB_C_MUTED),
                         wb_fmt(app, "%s calls/s, %.2f ms round trip (%s)", wb_num(a, sizeof(a), er->rps),
                                er->rtt_ms, azb_model_hop_name(er->hop)),
                         w);
            y += wb_px(app, 22.0f);
        }
    } else {
        const azb_group *g = &d->groups[index];
        y = section(app, x, y, w, strcmp(g->kind, "zone") == 0 ? "ZONE LANE" : "REGION BOX");
        wb_text_draw(&app->text, WB_BOLD, wb_px(app, 14.0f), x, y, WB_RGB(WB_C_TEXT), g->id, w);
        y += wb_px(app, 24.0f);
    }
    for (int i = 0; i < nf && i < WB_FIELD_MAX; i++) {
        if (type == AZB_TARGET_GROUP && strcmp(names[i], "zone") == 0 &&
            strcmp(d->groups[index].kind, "zone") != 0) {
            continue; /* a region box has no zone */
        }
        if (strcmp(names[i], "sku") == 0 && type == AZB_TARGET_NODE) {
            const azb_node *n = &d->nodes[index];
            if (n->kind_ref != NULL && n->kind_ref->nskus > 1) {
                continue;
            }
        }
        y = draw_field(app, type, index, names[i], x, y, w);
        if (y > p.y + p.h + wb_px(app, 400.0f)) {
            break;
        }
    }
    if (type == AZB_TARGET_GROUP) {
        y += wb_px(app, 6.0f);
        y = draw_regions(app, x, y, w);
    }
    app->inspector_h = y - top;
    SDL_RenderSetClipRect(r, NULL);
}

/* A region box's region carries its zone lanes and the components inside
 * it along, as one step. */
static bool set_group_region(wb_app *app, int index, const char *text, char *why, size_t why_size)
{
    const azb_design *d = wb_design(app);
    const azb_group g = d->groups[index];
    azb_edit_begin(app->ed);
    bool ok = azb_edit_set_field(app->ed, AZB_TARGET_GROUP, index, "region", text, why, why_size);
    d = wb_design(app);
    for (int k = 0; ok && k < d->ngroups; k++) {
        const azb_group *z = &d->groups[k];
        if (k != index && strcmp(z->kind, "zone") == 0 && z->x >= g.x && z->y >= g.y &&
            z->x < g.x + g.w && z->y < g.y + g.h) {
            ok = azb_edit_set_field(app->ed, AZB_TARGET_GROUP, k, "region", text, why, why_size);
        }
    }
    for (int i = 0; ok && i < d->nnodes; i++) {
        const azb_node *n = &d->nodes[i];
        if (n->x >= g.x && n->y >= g.y && n->x < g.x + g.w && n->y < g.y + g.h) {
            azb_edit_place(app->ed, i);
        }
    }
    if (ok) {
        azb_edit_commit(app->ed, "set region");
    } else {
        azb_edit_cancel(app->ed);
    }
    return ok;
}

bool wb_inspector_apply(wb_app *app, azb_target_type type, int index, const char *field,
                        const char *text)
{
    char why[320] = "";
    char keep[256] = "";
    snprintf(keep, sizeof(keep), "%s", text); /* text may point into the design */
    bool design = index == DESIGN;
    bool region_box = !design && type == AZB_TARGET_GROUP && strcmp(field, "region") == 0 &&
                      index >= 0 && index < wb_design(app)->ngroups &&
                      strcmp(wb_design(app)->groups[index].kind, "region") == 0;
    bool ok = false;
    if (design) {
        ok = azb_edit_set_design_field(app->ed, field, keep, why, sizeof(why));
    } else if (region_box) {
        ok = set_group_region(app, index, keep, why, sizeof(why));
    } else {
        ok = azb_edit_set_field(app->ed, type, index, field, keep, why, sizeof(why));
    }
    const char *caption = field_caption(app, type, index, field);
    if (ok) {
        app->field_error[0] = '\0';
        if (design && strcmp(field, "workload.rps") == 0) {
            app->rps = 0.0; /* show the rate just set, not a sweep */
        }
        wb_app_edited(app);
        if (keep[0] != '\0') {
            wb_app_status(app, false, "Set %s to %s", caption, keep);
        } else {
            wb_app_status(app, false, "Cleared %s", caption);
        }
    } else {
        user_words(app->field_error, sizeof(app->field_error),
                   why[0] != '\0' ? why : azb_edit_last_error(app->ed));
        snprintf(app->field_error_name, sizeof(app->field_error_name), "%s", field);
        wb_app_status(app, true, "Could not set %s: %s", caption, app->field_error);
    }
    return ok;
}

void wb_inspector_commit(wb_app *app)
{
    box_commit(app);
}

static void box_commit(wb_app *app)
{
    azb_target_type type = AZB_TARGET_NODE;
    int index = -1;
    if (app->box.owner != BOX_FIELD || !editing_target(app, &type, &index)) {
        app->box.owner = 0;
        return;
    }
    char field[48] = "";
    snprintf(field, sizeof(field), "%s", app->box.field);
    char text[256] = "";
    snprintf(text, sizeof(text), "%s", app->box.text);
    bool ok = wb_inspector_apply(app, type, index, field, text);
    if (ok) {
        app->box.owner = 0;
        /* text input stays on: the path box and fields take typing at once */
    }
}

static float scroll_max(const wb_app *app)
{
    return fmaxf(0.0f, app->inspector_h - app->lay.inspector.h + wb_px(app, 16.0f));
}

bool wb_inspector_event(wb_app *app, const SDL_Event *ev)
{
    if (app->box.owner == BOX_FIELD) {
        if (ev->type == SDL_TEXTINPUT) {
            if ((SDL_GetModState() & (KMOD_CTRL | KMOD_GUI)) != 0) {
                return true; /* a shortcut, not text */
            }
            if (app->box.all) {
                app->box.text[0] = '\0';
                app->box.all = false;
            }
            size_t len = strlen(app->box.text);
            snprintf(app->box.text + len, sizeof(app->box.text) - len, "%s", ev->text.text);
            return true;
        }
        if (ev->type == SDL_KEYDOWN) {
            SDL_Keycode k = ev->key.keysym.sym;
            bool ctrl = (ev->key.keysym.mod & (KMOD_CTRL | KMOD_GUI)) != 0;
            size_t len = strlen(app->box.text);
            if (ctrl && k == SDLK_a) {
                app->box.all = true;
                return true;
            }
            if (k == SDLK_BACKSPACE && app->box.all) {
                app->box.text[0] = '\0';
            } else if (k == SDLK_BACKSPACE && len > 0) {
                /* Drop one UTF-8 character. */
                do {
                    len--;
                } while (len > 0 && ((unsigned char)app->box.text[len] & 0xc0) == 0x80);
                app->box.text[len] = '\0';
            } else if (k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_TAB) {
                box_commit(app);
            } else if (k == SDLK_ESCAPE) {
                app->box.owner = 0;
                app->field_error[0] = '\0';
                /* text input stays on: the path box and fields take typing at once */
            }
            /* A printable key comes back as SDL_TEXTINPUT, which replaces a
             * selected text; only editing keys drop the selection here. */
            if (k == SDLK_BACKSPACE || k == SDLK_DELETE || k == SDLK_ESCAPE || k == SDLK_RETURN ||
                k == SDLK_KP_ENTER || k == SDLK_TAB || k == SDLK_LEFT || k == SDLK_RIGHT ||
                k == SDLK_HOME || k == SDLK_END) {
                app->box.all = false;
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
        app->inspector_scroll = fminf(scroll_max(app),
                                      fmaxf(0.0f, app->inspector_scroll - ev->wheel.preciseY * wb_px(app, 30.0f)));
        return true;
    }
    if (ev->type != SDL_MOUSEBUTTONDOWN || ev->button.button != SDL_BUTTON_LEFT) {
        return false;
    }
    azb_target_type type = AZB_TARGET_NODE;
    int index = -1;
    bool has = editing_target(app, &type, &index);
    for (int i = 0; i < app->nhits; i++) {
        const wb_hit *h = &app->hits[i];
        if (!wb_rect_has(h->r, app->mx, app->my)) {
            continue;
        }
        if (h->kind == WB_HIT_CHOICE && has && h->name != NULL && h->name[0] != '\0') {
            char field[48] = "";
            snprintf(field, sizeof(field), "%s", h->name);
            app->inspector_list[0] = '\0';
            app->box.owner = 0;
            wb_inspector_apply(app, type, index, field, h->value);
            return true;
        }
        if (h->kind == WB_HIT_FIELD && has) {
            if (app->box.owner == BOX_FIELD && strcmp(app->box.field, h->name) != 0) {
                box_commit(app);
            }
            const char *values[CHOICES_MAX] = {0};
            const char *labels[CHOICES_MAX] = {0};
            if (field_choices(app, type, index, h->name, values, labels, CHOICES_MAX) > 0) {
                bool open = strcmp(app->inspector_list, h->name) == 0;
                snprintf(app->inspector_list, sizeof(app->inspector_list), "%s", open ? "" : h->name);
                app->box.owner = 0;
                app->field_error[0] = '\0';
                return true;
            }
            app->inspector_list[0] = '\0';
            app->box.owner = BOX_FIELD;
            app->box.all = false;
            snprintf(app->box.field, sizeof(app->box.field), "%s", h->name);
            get_value(app, type, index, h->name, app->box.text, sizeof(app->box.text));
            app->field_error[0] = '\0';
            SDL_StartTextInput();
            return true;
        }
        if ((h->kind == WB_HIT_SKU || h->kind == WB_HIT_REGION) && has) {
            app->box.owner = 0;
            app->inspector_list[0] = '\0';
            wb_inspector_apply(app, type, index, h->name, h->value);
            return true;
        }
    }
    app->inspector_list[0] = '\0';
    if (app->box.owner == BOX_FIELD) {
        box_commit(app);
    }
    return false;
}
