#include "azb_report.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azbi_json.h"

/* ---- numbers as people read them ---- */

/* v rounded to `step` (a power of ten such as 0.001), computed as
 * round(v * 1000) / 1000 so the result is the double nearest the decimal
 * and prints as 52.221, not 52.221000000000004. */
static double round_to(double v, double step)
{
    if (!isfinite(v)) {
        return 0.0;
    }
    double inv = round(1.0 / step);
    return round(v * inv) / inv;
}

/* 12,345.67 */
static const char *grouped(char *buf, size_t size, double v, int decimals)
{
    char raw[64];
    snprintf(raw, sizeof(raw), "%.*f", decimals, isfinite(v) ? fabs(v) : 0.0);
    char *dot = strchr(raw, '.');
    size_t int_len = dot != NULL ? (size_t)(dot - raw) : strlen(raw);
    size_t o = 0;
    if (v < 0.0 && o + 1 < size) {
        buf[o++] = '-';
    }
    for (size_t i = 0; i < int_len && o + 1 < size; i++) {
        buf[o++] = raw[i];
        size_t left = int_len - i - 1;
        if (left > 0 && left % 3 == 0 && o + 1 < size) {
            buf[o++] = ',';
        }
    }
    if (dot != NULL) {
        size_t n = strlen(dot);
        if (o + n < size) {
            memcpy(buf + o, dot, n);
            o += n;
        }
    }
    buf[o] = '\0';
    return buf;
}

/* A rate in requests per second: small rates keep their decimals (an
 * assistant at 1.2 requests/s is not "1"). */
static const char *rate(char *buf, size_t size, double v)
{
    return grouped(buf, size, v, v < 10.0 ? 2 : (v < 100.0 ? 1 : 0));
}

/* Latency in ms with precision that fits its size; "unbounded" at the cap. */
static const char *ms(char *buf, size_t size, double v)
{
    if (v >= AZB_MODEL_MAX_MS) {
        snprintf(buf, size, "unbounded");
    } else if (v >= 1000.0) {
        grouped(buf, size, v, 0);
    } else if (v >= 10.0) {
        snprintf(buf, size, "%.1f", v);
    } else {
        snprintf(buf, size, "%.2f", v);
    }
    return buf;
}

static const char *usd(char *buf, size_t size, double v)
{
    char g[64];
    snprintf(buf, size, "$%s", grouped(g, sizeof(g), v, 2));
    return buf;
}

/* An availability, truncated (never rounded up: 99.98999% is not 99.99%). */
static const char *percent(char *buf, size_t size, double sla)
{
    double digits = sla >= 0.9999 ? 1e4 : 1e3;
    /* The 1e-6 of a last digit forgives binary error only: 0.99 x 0.99 is
     * 0.98009999999999997, and reads 98.010%, not 98.009%. */
    snprintf(buf, size, "%.*f%%", sla >= 0.9999 ? 4 : 3, floor(sla * 100.0 * digits + 1e-6) / digits);
    return buf;
}

/* A Markdown table cell: '|' escaped, so no name can split a row. */
static const char *md_cell(char *buf, size_t size, const char *s)
{
    size_t o = 0;
    for (; *s != '\0' && o + 2 < size; s++) {
        if (*s == '|') {
            buf[o++] = '\\';
        }
        buf[o++] = *s;
    }
    buf[o] = '\0';
    return buf;
}

static const char *node_id(const azb_design *d, int i)
{
    return (i >= 0 && i < d->nnodes) ? d->nodes[i].id : "-";
}

/* ---- JSON ---- */

static void add_latency(cJSON *obj, const char *key, const azb_latency *l, bool full)
{
    cJSON *o = cJSON_AddObjectToObject(obj, key);
    if (o == NULL) {
        return;
    }
    cJSON_AddNumberToObject(o, "mean", round_to(l->mean, 0.001));
    if (full) {
        cJSON_AddNumberToObject(o, "p50", round_to(l->p50, 0.001));
        cJSON_AddNumberToObject(o, "p95", round_to(l->p95, 0.001));
    }
    cJSON_AddNumberToObject(o, "p99", round_to(l->p99, 0.001));
}

static cJSON *cost_json(const azb_report_input *in)
{
    const azb_cost *c = in->cost;
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) {
        return NULL;
    }
    cJSON_AddNumberToObject(o, "monthly_usd", round_to(c->monthly_usd, 0.01));
    cJSON_AddNumberToObject(o, "per_million_requests_usd",
                            round_to(c->per_million_requests_usd, 0.0001));
    cJSON_AddNumberToObject(o, "average_rps", round_to(c->average_rps, 0.001));
    cJSON *items = cJSON_AddArrayToObject(o, "items");
    for (int i = 0; items != NULL && i < c->nitems; i++) {
        const azb_cost_item *it = &c->items[i];
        cJSON *e = cJSON_CreateObject();
        if (e == NULL) {
            break;
        }
        cJSON_AddStringToObject(e, "node", it->node >= 0 ? it->node_id : "");
        cJSON_AddStringToObject(e, "category", azb_category_name(it->category));
        cJSON_AddStringToObject(e, "item", it->item);
        cJSON_AddNumberToObject(e, "quantity", round_to(it->quantity, 1e-6));
        cJSON_AddNumberToObject(e, "free_quantity", round_to(it->free_qty, 1e-6));
        cJSON_AddStringToObject(e, "unit", azb_price_unit_name(it->unit));
        cJSON_AddNumberToObject(e, "unit_usd", it->unit_usd);
        cJSON_AddNumberToObject(e, "monthly_usd", round_to(it->monthly_usd, 0.01));
        const azb_catalog *cat = in->catalog;
        cJSON_AddStringToObject(e, "source",
                                it->prov.source >= 0 && it->prov.source < cat->nsources
                                    ? cat->sources[it->prov.source].url
                                    : "");
        cJSON_AddStringToObject(e, "tag", azb_tag_name(it->prov.tag));
        cJSON_AddItemToArray(items, e);
    }
    return o;
}

static cJSON *availability_json(const azb_report_input *in)
{
    const azb_availability *a = in->availability;
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) {
        return NULL;
    }
    cJSON_AddNumberToObject(o, "sla", round_to(a->sla, 1e-9));
    cJSON_AddNumberToObject(o, "downtime_min_per_month", round_to(a->downtime_min_per_month, 0.01));
    cJSON_AddStringToObject(o, "weakest", a->weakest >= 0 ? node_id(in->design, a->weakest) : "");
    return o;
}

static char *sim_json(const azb_report_input *in)
{
    const azb_design *d = in->design;
    const azb_result *r = in->result;
    cJSON *root = cJSON_CreateObject();
    if (root == NULL) {
        return NULL;
    }
    cJSON_AddStringToObject(root, "design", d->name);
    if (in->file != NULL) {
        cJSON_AddStringToObject(root, "file", in->file);
    }
    cJSON_AddNumberToObject(root, "offered_rps", round_to(r->offered_rps, 0.001));
    cJSON_AddNumberToObject(root, "throughput_rps", round_to(r->throughput_rps, 0.001));
    cJSON_AddNumberToObject(root, "max_throughput_rps", round_to(r->max_throughput_rps, 0.001));
    cJSON_AddBoolToObject(root, "saturated", r->saturated);
    if (r->bottleneck >= 0) {
        cJSON_AddStringToObject(root, "bottleneck", node_id(d, r->bottleneck));
    } else {
        cJSON_AddNullToObject(root, "bottleneck");
    }
    add_latency(root, "latency_ms", &r->latency, true);
    cJSON_AddNumberToObject(root, "network_ms", round_to(r->network_ms, 0.001));
    cJSON_AddBoolToObject(root, "latency_unbounded", r->clamped);
    if (in->availability != NULL) {
        cJSON_AddItemToObject(root, "availability", availability_json(in));
    }
    if (in->cost != NULL) {
        cJSON_AddItemToObject(root, "cost", cost_json(in));
    }
    cJSON *nodes = cJSON_AddArrayToObject(root, "nodes");
    for (int i = 0; nodes != NULL && i < r->nnodes; i++) {
        const azb_node_result *n = &r->nodes[i];
        cJSON *e = cJSON_CreateObject();
        if (e == NULL) {
            break;
        }
        cJSON_AddStringToObject(e, "id", d->nodes[i].id);
        cJSON_AddStringToObject(e, "kind", d->nodes[i].kind);
        cJSON_AddNumberToObject(e, "rps", round_to(n->rps, 0.001));
        cJSON_AddNumberToObject(e, "visits", round_to(n->visits, 1e-6));
        cJSON_AddNumberToObject(e, "servers", n->servers);
        cJSON_AddNumberToObject(e, "instances", n->instances);
        cJSON_AddStringToObject(e, "queueing", azb_model_queueing_name(n->queueing));
        cJSON_AddNumberToObject(e, "capacity_rps", round_to(n->capacity_rps, 0.001));
        cJSON_AddNumberToObject(e, "utilization", round_to(n->utilization, 1e-4));
        cJSON_AddBoolToObject(e, "saturated", n->saturated);
        azb_latency l = {n->sojourn_ms, 0.0, 0.0, n->sojourn_p99_ms};
        add_latency(e, "latency_ms", &l, false);
        if (in->cost != NULL && i < in->cost->nnodes) {
            cJSON_AddNumberToObject(e, "monthly_usd", round_to(in->cost->node_monthly_usd[i], 0.01));
        }
        if (in->availability != NULL && i < in->availability->nnodes) {
            cJSON_AddNumberToObject(e, "sla", round_to(in->availability->nodes[i].effective, 1e-9));
        }
        cJSON_AddItemToArray(nodes, e);
    }
    cJSON *ops = cJSON_AddArrayToObject(root, "operations");
    for (int i = 0; ops != NULL && i < r->nops; i++) {
        const azb_op_result *op = &r->ops[i];
        cJSON *e = cJSON_CreateObject();
        if (e == NULL) {
            break;
        }
        cJSON_AddStringToObject(e, "name", op->name);
        cJSON_AddNumberToObject(e, "rps", round_to(op->rps, 0.001));
        add_latency(e, "latency_ms", &op->latency, true);
        cJSON_AddItemToArray(ops, e);
    }
    char *text = azbi_json_print(root);
    cJSON_Delete(root);
    return text;
}

/* ---- text and Markdown ---- */

static void summary(azbi_buf *b, const azb_report_input *in, bool md)
{
    const azb_design *d = in->design;
    const azb_result *r = in->result;
    char x[64];
    char y[64];
    const char *lead = md ? "- **" : "";
    const char *sep = md ? "**: " : "  ";
    azbi_buf_printf(b, md ? "# %s\n\n" : "design    %s\n", d->name);
    if (in->file != NULL && !md) {
        azbi_buf_printf(b, "file      %s\n", in->file);
    }
    azbi_buf_printf(b, "%s%s%s%s requests/s offered, ", lead, md ? "load" : "load    ", sep,
                    rate(x, sizeof(x), r->offered_rps));
    if (r->bottleneck >= 0) {
        azbi_buf_printf(b, "at most %s (bottleneck: %s)", rate(y, sizeof(y), r->max_throughput_rps),
                        node_id(d, r->bottleneck));
    } else {
        azbi_buf_printf(b, "no node limits it");
    }
    azbi_buf_printf(b, "%s\n", r->saturated ? ": SATURATED, it cannot keep up" : "");
    char m1[32];
    char m2[32];
    char m3[32];
    char m4[32];
    if (r->latency.mean >= AZB_MODEL_MAX_MS) {
        azbi_buf_printf(b, "%s%s%sunbounded: queues grow without end at this load\n", lead,
                        md ? "latency" : "latency ", sep);
    } else {
        azbi_buf_printf(b, "%s%s%smean %s ms, p50 %s, p95 %s, p99 %s ms (network %s ms of the mean)\n",
                        lead, md ? "latency" : "latency ", sep, ms(m1, sizeof(m1), r->latency.mean),
                        ms(m2, sizeof(m2), r->latency.p50), ms(m3, sizeof(m3), r->latency.p95),
                        ms(m4, sizeof(m4), r->latency.p99), ms(x, sizeof(x), r->network_ms));
    }
    if (in->availability != NULL) {
        const azb_availability *a = in->availability;
        azbi_buf_printf(b, "%s%s%s%s, %.1f minutes of downtime a month; weakest link: %s\n", lead,
                        md ? "availability" : "avail   ", sep, percent(x, sizeof(x), a->sla),
                        a->downtime_min_per_month, node_id(d, a->weakest));
    }
    if (in->cost != NULL) {
        const azb_cost *c = in->cost;
        azbi_buf_printf(b, "%s%s%s%s a month, %s per million requests (usage at %s requests/s on average)\n",
                        lead, md ? "cost" : "cost    ", sep, usd(x, sizeof(x), c->monthly_usd),
                        usd(y, sizeof(y), c->per_million_requests_usd),
                        rate(m1, sizeof(m1), c->average_rps));
    }
}

static void nodes_table(azbi_buf *b, const azb_report_input *in, bool md)
{
    const azb_design *d = in->design;
    const azb_result *r = in->result;
    if (md) {
        azbi_buf_puts(b, "\n| node | kind | rps | servers | queueing | utilisation | mean ms | p99 ms |\n"
                         "|---|---|---:|---:|---|---:|---:|---:|\n");
    } else {
        azbi_buf_printf(b, "\n%-18s %-15s %10s %8s %-13s %6s %9s %9s\n", "NODE", "KIND", "RPS",
                        "SERVERS", "QUEUEING", "UTIL", "MEAN ms", "P99 ms");
    }
    for (int i = 0; i < r->nnodes; i++) {
        const azb_node_result *n = &r->nodes[i];
        char rps[32];
        char m1[32];
        char m2[32];
        char util[16];
        if (n->queueing == AZB_QUEUEING_SOURCE) {
            snprintf(util, sizeof(util), "-");
        } else {
            snprintf(util, sizeof(util), "%.0f%%%s", n->utilization * 100.0, n->saturated ? "!" : "");
        }
        grouped(rps, sizeof(rps), n->rps, 1);
        ms(m1, sizeof(m1), n->sojourn_ms);
        ms(m2, sizeof(m2), n->sojourn_p99_ms);
        const char *q = azb_model_queueing_name(n->queueing);
        if (md) {
            char id[2 * AZB_ID_MAX];
            char kind[2 * AZB_ID_MAX];
            azbi_buf_printf(b, "| %s | %s | %s | %d | %s | %s | %s | %s |\n",
                            md_cell(id, sizeof(id), d->nodes[i].id),
                            md_cell(kind, sizeof(kind), d->nodes[i].kind), rps, n->servers, q, util,
                            m1, m2);
        } else {
            azbi_buf_printf(b, "%-18s %-15s %10s %8d %-13s %6s %9s %9s\n", d->nodes[i].id,
                            d->nodes[i].kind, rps, n->servers, q, util, m1, m2);
        }
    }
    if (!md) {
        azbi_buf_puts(b, "(UTIL ! = saturated; times are per visit, waiting included)\n");
    }
}

static void ops_table(azbi_buf *b, const azb_report_input *in, bool md)
{
    const azb_result *r = in->result;
    if (r->nops == 0) {
        return;
    }
    if (md) {
        azbi_buf_puts(b, "\n| operation | rps | mean ms | p50 ms | p95 ms | p99 ms |\n"
                         "|---|---:|---:|---:|---:|---:|\n");
    } else {
        azbi_buf_printf(b, "\n%-30s %10s %9s %9s %9s %9s\n", "OPERATION", "RPS", "MEAN ms",
                        "P50 ms", "P95 ms", "P99 ms");
    }
    for (int i = 0; i < r->nops; i++) {
        const azb_op_result *op = &r->ops[i];
        char rps[32];
        char a[32];
        char p50[32];
        char p95[32];
        char p99[32];
        grouped(rps, sizeof(rps), op->rps, 1);
        ms(a, sizeof(a), op->latency.mean);
        ms(p50, sizeof(p50), op->latency.p50);
        ms(p95, sizeof(p95), op->latency.p95);
        ms(p99, sizeof(p99), op->latency.p99);
        char name[2 * sizeof(op->name)];
        azbi_buf_printf(b, md ? "| %s | %s | %s | %s | %s | %s |\n" : "%-30s %10s %9s %9s %9s %9s\n",
                        md ? md_cell(name, sizeof(name), op->name) : op->name, rps, a, p50, p95,
                        p99);
    }
}

static void cost_table(azbi_buf *b, const azb_report_input *in, bool md)
{
    const azb_cost *c = in->cost;
    if (c == NULL) {
        return;
    }
    if (md) {
        azbi_buf_puts(b, "\n| node | category | item | quantity | unit | unit price | monthly |\n"
                         "|---|---|---|---:|---|---:|---:|\n");
    } else {
        azbi_buf_printf(b, "\n%-18s %-10s %-26s %14s %-22s %11s %12s\n", "COST: NODE", "CATEGORY",
                        "ITEM", "QUANTITY", "UNIT", "UNIT PRICE", "MONTHLY");
    }
    int last = -2;
    for (int i = 0; i < c->nitems; i++) {
        const azb_cost_item *it = &c->items[i];
        char qty[48];
        char unit_price[32];
        char monthly[32];
        grouped(qty, sizeof(qty), it->quantity, it->quantity < 100.0 ? 2 : 0);
        snprintf(unit_price, sizeof(unit_price), "$%.6g", it->unit_usd);
        usd(monthly, sizeof(monthly), it->monthly_usd);
        const char *who = it->node >= 0 ? it->node_id : "(design)";
        if (!md && it->node == last) {
            who = "";
        }
        last = it->node;
        char who_md[2 * AZB_ID_MAX];
        char item_md[2 * sizeof(it->item)];
        azbi_buf_printf(b, md ? "| %s | %s | %s | %s | %s | %s | %s |\n"
                              : "%-18s %-10s %-26s %14s %-22s %11s %12s\n",
                        md ? md_cell(who_md, sizeof(who_md), who) : who,
                        azb_category_name(it->category),
                        md ? md_cell(item_md, sizeof(item_md), it->item) : it->item, qty,
                        azb_price_unit_name(it->unit), unit_price, monthly);
    }
    char total[32];
    usd(total, sizeof(total), c->monthly_usd);
    azbi_buf_printf(b, md ? "| **total** | | | | | | **%s** |\n" : "%-18s %101s\n",
                    md ? total : "TOTAL", total);
}

char *azb_report_sim(const azb_report_input *in, azb_report_format format)
{
    assert(in != NULL && in->design != NULL && in->result != NULL && in->catalog != NULL);
    if (format == AZB_REPORT_JSON) {
        return sim_json(in);
    }
    bool md = format == AZB_REPORT_MARKDOWN;
    azbi_buf b = {0};
    summary(&b, in, md);
    nodes_table(&b, in, md);
    ops_table(&b, in, md);
    cost_table(&b, in, md);
    return azbi_buf_take(&b);
}

char *azb_report_cost(const azb_report_input *in, azb_report_format format)
{
    assert(in != NULL && in->design != NULL && in->cost != NULL && in->catalog != NULL);
    if (format == AZB_REPORT_JSON) {
        cJSON *o = cost_json(in);
        if (o == NULL) {
            return NULL;
        }
        char *text = azbi_json_print(o);
        cJSON_Delete(o);
        return text;
    }
    bool md = format == AZB_REPORT_MARKDOWN;
    azbi_buf b = {0};
    char x[64];
    char y[64];
    char z[64];
    azbi_buf_printf(&b, md ? "# %s: cost\n\n" : "design    %s\n", in->design->name);
    azbi_buf_printf(&b, "%s%s a month, %s per million requests, usage at %s requests/s on average\n",
                    md ? "- " : "cost      ", usd(x, sizeof(x), in->cost->monthly_usd),
                    usd(y, sizeof(y), in->cost->per_million_requests_usd),
                    rate(z, sizeof(z), in->cost->average_rps));
    /* By category, then the lines by node. */
    double by_cat[AZB_CAT_COUNT] = {0};
    for (int i = 0; i < in->cost->nitems; i++) {
        const azb_cost_item *it = &in->cost->items[i];
        if (it->category >= 0 && it->category < AZB_CAT_COUNT) {
            by_cat[it->category] += it->monthly_usd;
        }
    }
    for (int k = 0; k < AZB_CAT_COUNT; k++) {
        if (by_cat[k] > 0.0) {
            azbi_buf_printf(&b, md ? "- %s: %s\n" : "  %-10s %14s\n", azb_category_name((azb_category)k),
                            usd(x, sizeof(x), by_cat[k]));
        }
    }
    cost_table(&b, in, md);
    return azbi_buf_take(&b);
}

typedef struct row {
    const char *name;
    double a;
    double b;
    bool higher_better;
    char kind; /* 'r' rate, 'm' ms, 'p' percent, 'u' usd */
} row;

/* Two figures within 1e-9 of each other are one figure: the same SLAs
 * multiplied, or the same prices added, in another order differ in the
 * last bit, and neither is better. */
static bool differ(double a, double b)
{
    return fabs(a - b) > 1e-9 * fmax(fabs(a), fabs(b));
}

static const char *cell(char *buf, size_t size, const row *rw, double v)
{
    switch (rw->kind) {
    case 'r':
        return rate(buf, size, v);
    case 'm':
        return ms(buf, size, v);
    case 'p':
        return percent(buf, size, v);
    default:
        return usd(buf, size, v);
    }
}

char *azb_report_compare(const azb_report_input *a, const azb_report_input *b,
                         azb_report_format format)
{
    assert(a != NULL && b != NULL && a->result != NULL && b->result != NULL);
    row rows[5] = {
        {"max throughput (rps)", a->result->max_throughput_rps, b->result->max_throughput_rps, true, 'r'},
        {"p99 latency (ms)", a->result->latency.p99, b->result->latency.p99, false, 'm'},
        {"availability", a->availability ? a->availability->sla : 0.0,
         b->availability ? b->availability->sla : 0.0, true, 'p'},
        {"monthly cost", a->cost ? a->cost->monthly_usd : 0.0, b->cost ? b->cost->monthly_usd : 0.0,
         false, 'u'},
        {"cost per million requests", a->cost ? a->cost->per_million_requests_usd : 0.0,
         b->cost ? b->cost->per_million_requests_usd : 0.0, false, 'u'},
    };
    if (format == AZB_REPORT_JSON) {
        cJSON *root = cJSON_CreateObject();
        if (root == NULL) {
            return NULL;
        }
        cJSON_AddStringToObject(root, "a", a->design->name);
        cJSON_AddStringToObject(root, "b", b->design->name);
        cJSON *arr = cJSON_AddArrayToObject(root, "rows");
        for (int i = 0; arr != NULL && i < 5; i++) {
            cJSON *e = cJSON_CreateObject();
            if (e == NULL) {
                break;
            }
            cJSON_AddStringToObject(e, "name", rows[i].name);
            cJSON_AddNumberToObject(e, "a", round_to(rows[i].a, 1e-6));
            cJSON_AddNumberToObject(e, "b", round_to(rows[i].b, 1e-6));
            const char *better = "same";
            if (differ(rows[i].a, rows[i].b)) {
                better = ((rows[i].a > rows[i].b) == rows[i].higher_better) ? "a" : "b";
            }
            cJSON_AddStringToObject(e, "better", better);
            cJSON_AddItemToArray(arr, e);
        }
        char *text = azbi_json_print(root);
        cJSON_Delete(root);
        return text;
    }
    bool md = format == AZB_REPORT_MARKDOWN;
    azbi_buf out = {0};
    if (md) {
        char na[2 * sizeof(a->design->name)];
        char nb[2 * sizeof(b->design->name)];
        azbi_buf_printf(&out, "| | A: %s | B: %s |\n|---|---:|---:|\n",
                        md_cell(na, sizeof(na), a->design->name),
                        md_cell(nb, sizeof(nb), b->design->name));
    } else {
        azbi_buf_printf(&out, "A  %s%s%s\nB  %s%s%s\n\n%-28s %20s %20s\n", a->design->name,
                        a->file ? "  " : "", a->file ? a->file : "", b->design->name,
                        b->file ? "  " : "", b->file ? b->file : "", "", "A", "B");
    }
    for (int i = 0; i < 5; i++) {
        char ca[48];
        char cb[48];
        char ma[64];
        char mb[64];
        cell(ca, sizeof(ca), &rows[i], rows[i].a);
        cell(cb, sizeof(cb), &rows[i], rows[i].b);
        bool a_better = differ(rows[i].a, rows[i].b) && ((rows[i].a > rows[i].b) == rows[i].higher_better);
        bool b_better = differ(rows[i].a, rows[i].b) && !a_better;
        snprintf(ma, sizeof(ma), md && a_better ? "**%s**" : "%s%s", ca, !md && a_better ? " *" : "");
        snprintf(mb, sizeof(mb), md && b_better ? "**%s**" : "%s%s", cb, !md && b_better ? " *" : "");
        azbi_buf_printf(&out, md ? "| %s | %s | %s |\n" : "%-28s %20s %20s\n", rows[i].name, ma, mb);
    }
    if (!md) {
        azbi_buf_puts(&out, "(* = the better value of the row)\n");
    }
    return azbi_buf_take(&out);
}
