/* The results strip: what the design does at the offered load (throughput,
 * bottleneck, p50/p95/p99, availability, monthly cost) checked against the
 * practice prompt's requirements, and the load slider (log scale) that
 * sweeps the offered rate without editing the design. Clicking the cost
 * opens its breakdown by node and price item. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wb.h"

static const azb_prompt *design_prompt(const wb_app *app)
{
    const azb_design *d = wb_design(app);
    if (app->prompts == NULL || !d->has_prompt) {
        return NULL;
    }
    return azb_prompts_find(app->prompts, d->prompt);
}

/* The workload's rate; 0 when the design has no load yet. */
static double base_rps(const wb_app *app)
{
    const azb_design *d = wb_design(app);
    return d->workload.present && d->workload.rps > 0.0 ? d->workload.rps : 0.0;
}

static wb_rect slider_track(const wb_app *app)
{
    wb_rect a = app->lay.results;
    float w = wb_px(app, 250.0f);
    return (wb_rect){a.x + a.w - w - wb_px(app, 24.0f), a.y + wb_px(app, 50.0f), w,
                     wb_px(app, 4.0f)};
}

/* A fixed range, so a new design can sweep as far as a big one: 1/s to 1M/s,
 * widened by a decade around a workload outside it. */
static void slider_range(const wb_app *app, double *lo, double *hi)
{
    double b = base_rps(app);
    *lo = 1.0;
    *hi = 1e6;
    if (b > 0.0 && b < 2.0) {
        *lo = fmax(0.01, pow(10.0, floor(log10(b) - 1.0)));
    }
    if (b > 5e5) {
        *hi = fmin(1e9, pow(10.0, ceil(log10(b) + 1.0)));
    }
}

double wb_results_slider_rps(const wb_app *app, float x)
{
    wb_rect t = slider_track(app);
    double lo = 0.0, hi = 0.0;
    slider_range(app, &lo, &hi);
    double f = fmax(0.0, fmin(1.0, (double)((x - t.x) / t.w)));
    double v = exp(log(lo) + f * (log(hi) - log(lo)));
    /* Round to two significant digits so the figure reads cleanly. */
    double mag = pow(10.0, floor(log10(v)) - 1.0);
    return fmin(hi, fmax(lo, floor(v / mag + 0.5) * mag));
}

/* An availability as a percentage, truncated like the report (never rounded
 * up: 0.999899956 is 99.9899%, not 99.9900%). The 1e-6 of a last digit
 * forgives binary error only. */
const char *wb_results_percent(char *buf, size_t size, double sla)
{
    int places = sla >= 0.999 ? 4 : 3;
    double digits = places == 4 ? 1e4 : 1e3;
    snprintf(buf, size, "%.*f%%", places, floor(sla * 100.0 * digits + 1e-6) / digits);
    return buf;
}

/* A requirement as a percentage with the digits it has (99.99%, 99.995%),
 * never rounded to a neighbour. */
const char *wb_results_target_percent(char *buf, size_t size, double req)
{
    snprintf(buf, size, "%.5f", req * 100.0);
    char *dot = strchr(buf, '.');
    if (dot != NULL) {
        char *end = buf + strlen(buf) - 1;
        while (end > dot + 2 && *end == '0') {
            *end-- = '\0';
        }
    }
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, "%%");
    return buf;
}

/* What the load is for people: is there any, and does it reach anything. */
typedef enum load_state { LOAD_OK, LOAD_NONE, LOAD_NO_PATH } load_state;

static load_state load_of(const azb_result *r)
{
    if (r->offered_rps <= 0.0) {
        return LOAD_NONE;
    }
    for (int i = 0; i < r->nnodes; i++) {
        if (r->nodes[i].queueing != AZB_QUEUEING_SOURCE && r->nodes[i].rps > 0.0) {
            return LOAD_OK;
        }
    }
    return LOAD_NO_PATH;
}

const char *wb_results_headline(const wb_app *app)
{
    const azb_result *r = app->model_ok ? app->result : NULL;
    if (r == NULL) {
        return "No results yet";
    }
    load_state ls = load_of(r);
    return ls == LOAD_NONE ? "No load" : (ls == LOAD_NO_PATH ? "No path from the clients" : NULL);
}

/* A figure checked against a target must not read as the target when it
 * misses it (p99 200.4 ms is not "200 ms"): more digits until it differs. */
static const char *ms_against(char *buf, size_t size, double ms, double target, bool clamped)
{
    wb_ms(buf, size, ms, clamped);
    if (!clamped && target > 0.0 && ms > target && ms < 10000.0) {
        for (int places = 1; places <= 3 && strtod(buf, NULL) <= target; places++) {
            double m = pow(10.0, places);
            snprintf(buf, size, "%.*f ms", places, ceil(ms * m) / m);
        }
    }
    return buf;
}

static const char *usd_against(char *buf, size_t size, double usd, double budget)
{
    wb_usd(buf, size, usd);
    if (budget > 0.0 && usd > budget && usd >= 100.0 && floor(usd + 0.5) <= budget) {
        double cents = ceil(usd * 100.0);
        char whole[48] = "";
        wb_num(whole, sizeof(whole), floor(cents / 100.0));
        snprintf(buf, size, "$%s.%02d", whole, (int)fmod(cents, 100.0));
    }
    return buf;
}

/* Eight tiles share what the slider leaves. */
static float tile_w(const wb_app *app)
{
    float room = app->lay.results.w - wb_px(app, 330.0f);
    return fmaxf(wb_px(app, 96.0f), fminf(wb_px(app, 150.0f), room / 8.0f));
}

static wb_rect cost_tile(const wb_app *app, int *count)
{
    (void)count;
    wb_rect a = app->lay.results;
    float tw = tile_w(app);
    return (wb_rect){a.x + wb_px(app, 16.0f) + tw * 6.0f, a.y + wb_px(app, 10.0f), tw,
                     a.h - wb_px(app, 20.0f)};
}

static void tile(wb_app *app, wb_rect r, const char *caption, const char *value, wb_color vc,
                 const char *note, wb_color nc)
{
    float pad = wb_px(app, 10.0f);
    wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 10.5f), r.x + pad, r.y + wb_px(app, 4.0f),
                 WB_RGB(WB_C_MUTED), caption, r.w - pad);
    wb_text_draw(&app->text, WB_BOLD, wb_px(app, 17.0f), r.x + pad, r.y + wb_px(app, 20.0f), vc,
                 value, r.w - pad);
    if (note != NULL) {
        wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 10.5f), r.x + pad, r.y + wb_px(app, 46.0f),
                     nc, note, r.w - pad);
    }
}

void wb_results_draw(wb_app *app)
{
    SDL_Renderer *ren = app->renderer;
    wb_rect a = app->lay.results;
    wb_draw_fill(ren, a, WB_RGB(WB_C_PANEL));
    wb_draw_fill(ren, (wb_rect){a.x, a.y, a.w, 1.0f}, WB_RGB(WB_C_BORDER));
    const azb_result *r = app->model_ok ? app->result : NULL;
    const azb_design *d = wb_design(app);
    const azb_prompt *q = design_prompt(app);
    float tw = tile_w(app);
    float x = a.x + wb_px(app, 16.0f);
    float y = a.y + wb_px(app, 10.0f);
    float th = a.h - wb_px(app, 20.0f);
    wb_color text = WB_RGB(WB_C_TEXT);
    wb_color muted = WB_RGB(WB_C_MUTED);
    wb_color good = WB_RGB(WB_C_CALM);
    wb_color bad = WB_RGB(WB_C_HOT);
    load_state ls = r != NULL ? load_of(r) : LOAD_OK;
    if (r == NULL || ls != LOAD_OK) {
        const char *head = wb_results_headline(app);
        const char *msg = app->model_msg[0] != '\0' && d->nnodes > 0
                              ? app->model_msg
                              : "drag a Client population and the components it calls from the palette";
        if (r != NULL && ls == LOAD_NONE) {
            msg = app->rps > 0.0 || base_rps(app) > 0.0
                      ? "nothing is offered: connect a clients node to a component"
                      : "set the workload's rate: select nothing, then Design \xe2\x86\x92 "
                        "requests/s in the inspector (or drag the load slider)";
        } else if (r != NULL) {
            msg = "connect a clients node to a component: drag from the card's right handle";
        }
        float mw = tw * 6.0f - wb_px(app, 12.0f);
        if (r == NULL || app->cost == NULL) {
            mw = a.w - wb_px(app, 340.0f);
        }
        wb_text_draw(&app->text, WB_BOLD, wb_px(app, 13.0f), x, y + wb_px(app, 8.0f), muted, head,
                     mw);
        wb_text_wrap(&app->text, WB_REGULAR, wb_px(app, 12.0f), x, y + wb_px(app, 30.0f), mw,
                     WB_RGB(WB_C_WARM), msg, 2);
    }
    if (r != NULL && ls != LOAD_OK && app->cost != NULL) {
        /* What it costs does not wait for a load; the rest would be noise. */
        char v[64];
        wb_rect ct = cost_tile(app, NULL);
        if (wb_rect_has(ct, app->mx, app->my)) {
            wb_draw_round(ren, ct, wb_px(app, 6.0f), WB_RGB(WB_C_ACCENT_SOFT));
            snprintf(app->tooltip, sizeof(app->tooltip), "click: the cost by node and price item");
        }
        tile(app, ct, "Monthly cost", wb_usd(v, sizeof(v), app->cost->monthly_usd),
             WB_RGB(WB_C_ACCENT), "with no traffic", muted);
        tile(app, (wb_rect){ct.x + tw, y, tw, th}, "Availability", "\xe2\x80\x94", muted,
             ls == LOAD_NONE ? "needs a load" : "needs a path", muted);
    } else if (r != NULL) {
        char v[64], n[64];
        /* Offered. */
        wb_num(v, sizeof(v), r->offered_rps);
        const char *note = q != NULL && q->req.peak_rps > 0.0
                               ? wb_fmt(app, "prompt peak %s", wb_num(n, sizeof(n), q->req.peak_rps))
                               : "requests/s";
        tile(app, (wb_rect){x, y, tw, th}, "Offered load", wb_fmt(app, "%s/s", v), text, note, muted);
        x += tw;
        /* Maximum throughput. */
        wb_num(v, sizeof(v), r->max_throughput_rps);
        double ratio = r->max_throughput_rps / r->offered_rps;
        const char *head = "SATURATED";
        if (!r->saturated) {
            head = r->max_throughput_rps <= 0.0 ? "nothing limits it"
                   : ratio >= 10.0              ? wb_fmt(app, "%sx the load", wb_num(n, sizeof(n), floor(ratio)))
                                                : wb_fmt(app, "%.0f%% headroom", floor((ratio - 1.0) * 100.0));
        }
        tile(app, (wb_rect){x, y, tw, th}, "Max throughput",
             r->max_throughput_rps > 0.0 ? wb_fmt(app, "%s/s", v) : "unlimited",
             r->saturated ? bad : text, head, r->saturated ? bad : good);
        x += tw;
        /* Bottleneck. */
        const char *bn = r->bottleneck >= 0 && r->bottleneck < d->nnodes ? d->nodes[r->bottleneck].id : "none";
        const char *bnote = r->bottleneck >= 0 && r->bottleneck < r->nnodes
                                ? wb_fmt(app, "%.0f%% utilised", r->nodes[r->bottleneck].utilization * 100.0)
                                : "";
        tile(app, (wb_rect){x, y, tw, th}, "Bottleneck", bn, text, bnote, muted);
        x += tw;
        /* Latency. */
        double p99_req = q != NULL ? q->req.p99_ms : 0.0;
        wb_ms(v, sizeof(v), r->latency.p50, r->clamped);
        tile(app, (wb_rect){x, y, tw, th}, "p50", v, r->clamped ? bad : text,
             wb_fmt(app, "mean %s", wb_ms(n, sizeof(n), r->latency.mean, r->clamped)), muted);
        x += tw;
        wb_ms(v, sizeof(v), r->latency.p95, r->clamped);
        tile(app, (wb_rect){x, y, tw, th}, "p95", v, r->clamped ? bad : text,
             wb_fmt(app, "network %s", wb_ms(n, sizeof(n), r->network_ms, false)), muted);
        x += tw;
        ms_against(v, sizeof(v), r->latency.p99, p99_req, r->clamped);
        bool p99_ok = !r->clamped && (p99_req <= 0.0 || r->latency.p99 <= p99_req);
        tile(app, (wb_rect){x, y, tw, th}, "p99", v, p99_ok ? text : bad,
             p99_req > 0.0 ? wb_fmt(app, "%s target %s", p99_ok ? "meets" : "misses",
                                    wb_ms(n, sizeof(n), p99_req, false))
                           : (r->fitted ? "moment fit" : "exact paths"),
             p99_req > 0.0 ? (p99_ok ? good : bad) : muted);
        x += tw;
        /* Cost (clickable). */
        if (app->cost != NULL) {
            wb_rect ct = cost_tile(app, NULL);
            bool hot = wb_rect_has(ct, app->mx, app->my);
            if (hot) {
                wb_draw_round(ren, ct, wb_px(app, 6.0f), WB_RGB(WB_C_ACCENT_SOFT));
                snprintf(app->tooltip, sizeof(app->tooltip), "click: the cost by node and price item");
            }
            double budget = q != NULL ? q->req.monthly_budget_usd : 0.0;
            bool ok = budget <= 0.0 || app->cost->monthly_usd <= budget;
            usd_against(v, sizeof(v), app->cost->monthly_usd, budget);
            tile(app, ct, "Monthly cost", v, ok ? WB_RGB(WB_C_ACCENT) : bad,
                 budget > 0.0 ? wb_fmt(app, "%s budget %s", ok ? "within" : "over",
                                       wb_usd(n, sizeof(n), budget))
                              : wb_fmt(app, "$%.2f per M requests",
                                       app->cost->per_million_requests_usd),
                 budget > 0.0 ? (ok ? good : bad) : muted);
            x += tw;
        }
        /* Availability. */
        if (app->avail != NULL) {
            double req = q != NULL ? q->req.availability : 0.0;
            bool ok = req <= 0.0 || app->avail->sla >= req;
            tile(app, (wb_rect){x, y, tw, th}, "Availability",
                 wb_results_percent(v, sizeof(v), app->avail->sla), ok ? text : bad,
                 req > 0.0 ? wb_fmt(app, "%s %s", ok ? "meets" : "misses",
                                    wb_results_target_percent(n, sizeof(n), req))
                           : wb_fmt(app, "%.0f min down/month", app->avail->downtime_min_per_month),
                 req > 0.0 ? (ok ? good : bad) : muted);
        }
    }
    /* Load slider. */
    wb_rect t = slider_track(app);
    double lo = 0.0, hi = 0.0;
    slider_range(app, &lo, &hi);
    double base = base_rps(app);
    double cur = app->rps > 0.0 ? app->rps : base;
    float f = cur > 0.0 ? (float)((log(fmax(cur, lo)) - log(lo)) / (log(hi) - log(lo))) : 0.0f;
    f = fmaxf(0.0f, fminf(1.0f, f));
    char v[64] = "";
    wb_num(v, sizeof(v), cur);
    wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 10.5f), t.x, a.y + wb_px(app, 14.0f), muted,
                 app->rps > 0.0 ? "Load (sweep; design unchanged)"
                 : base > 0.0   ? "Load (the workload's rate)"
                                : "Load (no workload rate yet)",
                 0.0f);
    const char *lv = cur > 0.0 ? wb_fmt(app, "%s/s", v) : "none";
    float lw = wb_text_width(&app->text, WB_BOLD, wb_px(app, 12.0f), lv);
    wb_text_draw(&app->text, WB_BOLD, wb_px(app, 12.0f), t.x + t.w - lw, a.y + wb_px(app, 13.0f),
                 WB_RGB(WB_C_TEXT), lv, 0.0f);
    wb_draw_round(ren, t, t.h * 0.5f, WB_RGB(0xdde2e8));
    wb_draw_round(ren, (wb_rect){t.x, t.y, t.w * f, t.h}, t.h * 0.5f, WB_RGB(WB_C_ACCENT));
    /* The workload's own rate as a tick. */
    if (base > 0.0) {
        float fb = (float)((log(base) - log(lo)) / (log(hi) - log(lo)));
        wb_draw_fill(ren, (wb_rect){t.x + t.w * fb - 1.0f, t.y - wb_px(app, 4.0f), 2.0f, t.h + wb_px(app, 8.0f)},
                     WB_RGB(WB_C_FAINT));
    }
    float kr = wb_px(app, 7.0f);
    wb_draw_circle(ren, t.x + t.w * f, t.y + t.h * 0.5f, kr, WB_RGB(0xffffff));
    wb_draw_ring(ren, t.x + t.w * f, t.y + t.h * 0.5f, kr, wb_px(app, 2.0f), WB_RGB(WB_C_ACCENT));
    char a1[32], a2[32];
    wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 10.0f), t.x, t.y + wb_px(app, 12.0f),
                 WB_RGB(WB_C_FAINT), wb_rate(a1, sizeof(a1), lo), 0.0f);
    const char *hs = wb_rate(a2, sizeof(a2), hi);
    wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 10.0f),
                 t.x + t.w - wb_text_width(&app->text, WB_REGULAR, wb_px(app, 10.0f), hs),
                 t.y + wb_px(app, 12.0f), WB_RGB(WB_C_FAINT), hs, 0.0f);
}

bool wb_results_event(wb_app *app, const SDL_Event *ev)
{
    wb_rect t = slider_track(app);
    wb_rect hit = {t.x - wb_px(app, 10.0f), t.y - wb_px(app, 14.0f), t.w + wb_px(app, 20.0f),
                   t.h + wb_px(app, 28.0f)};
    if (ev->type == SDL_MOUSEMOTION && app->drag == WB_DRAG_NONE) {
        /* The pointer left the canvas: nothing there is hovered any more. */
        app->hover_node = -1;
        app->hover_edge = -1;
    }
    if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT) {
        if (wb_rect_has(hit, app->mx, app->my)) {
            if (ev->button.clicks >= 2) {
                app->rps = 0.0;
            } else {
                app->drag = WB_DRAG_SLIDER;
                app->rps = wb_results_slider_rps(app, app->mx);
            }
            wb_app_run_model(app);
            return true;
        }
        if (app->cost != NULL && wb_rect_has(cost_tile(app, NULL), app->mx, app->my)) {
            app->modal = WB_MODAL_COST;
            return true;
        }
    } else if (ev->type == SDL_MOUSEMOTION && app->drag == WB_DRAG_SLIDER) {
        app->rps = wb_results_slider_rps(app, app->mx);
        wb_app_run_model(app);
        return true;
    } else if (ev->type == SDL_MOUSEBUTTONUP && app->drag == WB_DRAG_SLIDER) {
        app->drag = WB_DRAG_NONE;
        return true;
    } else if (ev->type == SDL_MOUSEMOTION && wb_rect_has(hit, app->mx, app->my)) {
        snprintf(app->tooltip, sizeof(app->tooltip),
                 "drag to sweep the offered load (log scale); double-click: the workload's rate");
    }
    return false;
}

void wb_results_draw_cost(wb_app *app)
{
    const azb_cost *c = app->cost;
    char v[64] = "";
    wb_rect a = wb_dialog(app, 860.0f, 640.0f,
                          c != NULL ? wb_fmt(app, "Monthly cost: %s", wb_usd(v, sizeof(v), c->monthly_usd))
                                    : "Monthly cost");
    if (c == NULL) {
        return;
    }
    float fs = wb_px(app, 11.5f);
    float lh = wb_text_height(&app->text, WB_REGULAR, fs) + wb_px(app, 4.0f);
    const float col[6] = {0.0f, 0.2f, 0.42f, 0.62f, 0.78f, 1.0f};
    const char *head[5] = {"NODE", "ITEM", "QUANTITY / MONTH", "UNIT PRICE", "MONTHLY"};
    for (int k = 0; k < 5; k++) {
        float x = a.x + a.w * col[k];
        if (k == 4) {
            x = a.x + a.w - wb_text_width(&app->text, WB_BOLD, fs, head[k]);
        }
        wb_text_draw(&app->text, WB_BOLD, fs, x, a.y, WB_RGB(WB_C_MUTED), head[k], 0.0f);
    }
    float y = a.y + lh + wb_px(app, 4.0f);
    int shown = 0;
    for (int i = 0; i < c->nitems; i++) {
        if (y + lh > a.y + a.h - lh) {
            wb_text_draw(&app->text, WB_REGULAR, fs, a.x, y, WB_RGB(WB_C_MUTED),
                         wb_fmt(app, "... and %d more lines (azboard cost FILE lists them all)",
                                c->nitems - shown),
                         0.0f);
            break;
        }
        const azb_cost_item *it = &c->items[i];
        bool first = i == 0 || strcmp(c->items[i - 1].node_id, it->node_id) != 0;
        if (first && i > 0) {
            wb_draw_fill(app->renderer, (wb_rect){a.x, y - 2.0f, a.w, 1.0f}, WB_RGB(WB_C_BORDER));
        }
        char q[64], u[64], m[64];
        wb_num(q, sizeof(q), it->quantity);
        snprintf(u, sizeof(u), "$%.6g", it->unit_usd);
        wb_usd(m, sizeof(m), it->monthly_usd);
        wb_text_draw(&app->text, first ? WB_BOLD : WB_REGULAR, fs, a.x, y, WB_RGB(WB_C_TEXT),
                     first ? (it->node_id[0] ? it->node_id : "(design)") : "", a.w * 0.19f);
        wb_text_draw(&app->text, WB_REGULAR, fs, a.x + a.w * col[1], y, WB_RGB(WB_C_TEXT), it->item,
                     a.w * 0.21f);
        wb_text_draw(&app->text, WB_REGULAR, fs, a.x + a.w * col[2], y, WB_RGB(WB_C_MUTED),
                     wb_fmt(app, "%s %s", q, azb_price_unit_name(it->unit)), a.w * 0.19f);
        wb_text_draw(&app->text, WB_REGULAR, fs, a.x + a.w * col[3], y, WB_RGB(WB_C_MUTED), u, 0.0f);
        wb_text_draw(&app->text, WB_REGULAR, fs,
                     a.x + a.w - wb_text_width(&app->text, WB_REGULAR, fs, m), y, WB_RGB(WB_C_TEXT),
                     m, 0.0f);
        y += lh;
        shown++;
    }
    wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 10.5f), a.x, a.y + a.h - lh * 0.8f,
                 WB_RGB(WB_C_FAINT),
                 wb_fmt(app, "List prices, pay as you go, 730 h a month; usage at %.0f requests/s on average. Click or Esc to close.",
                        c->average_rps),
                 a.w);
}
