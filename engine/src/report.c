#include "azb_report.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
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

/* A report's JSON object, opened with the design's name and file. */
static cJSON *report_root(const azb_report_input *in)
{
    cJSON *root = cJSON_CreateObject();
    if (root == NULL) {
        return NULL;
    }
    cJSON_AddStringToObject(root, "design", in->design->name);
    if (in->file != NULL) {
        cJSON_AddStringToObject(root, "file", in->file);
    }
    return root;
}

static char *sim_json(const azb_report_input *in)
{
    const azb_design *d = in->design;
    const azb_result *r = in->result;
    cJSON *root = report_root(in);
    if (root == NULL) {
        return NULL;
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

/* ---- the event simulator's runs ---- */

/* k replications of one design seen as one: latency and throughput figures
 * are the replications' mean (with a 95% confidence interval when k >= 2),
 * counts are summed, node figures averaged. */
typedef struct des_view {
    const azb_sim_result *runs;
    int k;
    azb_sim_summary sum; /* k >= 2 */
    bool has_ci;
    azb_sim_latency lat;
    double throughput_rps;
    double offered_rps;
    uint64_t offered, completed, dropped, timeouts, throttled, failed, retries, events;
    double sim_seconds;
    bool cancelled;
    bool overloaded;
} des_view;

static void des_view_make(des_view *v, const azb_sim_result *runs, int k)
{
    memset(v, 0, sizeof(*v));
    v->runs = runs;
    v->k = k;
    double window = 0.0;
    for (int i = 0; i < k; i++) {
        const azb_sim_result *r = &runs[i];
        v->offered += r->offered;
        v->completed += r->completed;
        v->dropped += r->dropped;
        v->timeouts += r->timeouts;
        v->throttled += r->throttled;
        v->failed += r->failed;
        v->retries += r->retries;
        v->events += r->events;
        v->cancelled = v->cancelled || r->cancelled;
        v->overloaded = v->overloaded || r->overloaded;
        window += r->sim_seconds;
    }
    v->sim_seconds = window;
    v->offered_rps = window > 0.0 ? (double)v->offered / window : 0.0;
    v->has_ci = k >= 2 && azb_sim_summarize(runs, k, &v->sum);
    if (v->has_ci) {
        v->lat = (azb_sim_latency){v->sum.mean.mean, v->sum.p50.mean, v->sum.p95.mean,
                                   v->sum.p99.mean, v->sum.p999.mean, v->sum.max.mean};
        v->throughput_rps = v->sum.throughput_rps.mean;
    } else {
        v->lat = runs[0].latency;
        v->throughput_rps = runs[0].throughput_rps;
    }
}

/* Node i's figure averaged over the replications. */
#define DES_NODE_MEAN(v, i, field)                                                               \
    des_node_mean((v), (i), offsetof(azb_sim_node, field))

static double des_node_mean(const des_view *v, int i, size_t off)
{
    double s = 0.0;
    for (int r = 0; r < v->k; r++) {
        s += *(const double *)(const void *)((const char *)&v->runs[r].nodes[i] + off);
    }
    return s / (double)v->k;
}

static uint64_t des_node_sum(const des_view *v, int i, int which)
{
    uint64_t s = 0;
    for (int r = 0; r < v->k; r++) {
        const azb_sim_node *n = &v->runs[r].nodes[i];
        s += which == 0 ? n->dropped : (which == 1 ? n->failed : n->throttled);
    }
    return s;
}

static void add_sim_latency(cJSON *obj, const char *key, const azb_sim_latency *l)
{
    cJSON *o = cJSON_AddObjectToObject(obj, key);
    if (o == NULL) {
        return;
    }
    cJSON_AddNumberToObject(o, "mean", round_to(l->mean, 0.001));
    cJSON_AddNumberToObject(o, "p50", round_to(l->p50, 0.001));
    cJSON_AddNumberToObject(o, "p95", round_to(l->p95, 0.001));
    cJSON_AddNumberToObject(o, "p99", round_to(l->p99, 0.001));
    cJSON_AddNumberToObject(o, "p999", round_to(l->p999, 0.001));
    cJSON_AddNumberToObject(o, "max", round_to(l->max, 0.001));
}

static char *des_json(const azb_report_input *in, const des_view *v, const azb_des_info *info)
{
    const azb_design *d = in->design;
    const azb_result *m = in->result;
    cJSON *root = report_root(in);
    if (root == NULL) {
        return NULL;
    }
    cJSON_AddStringToObject(root, "engine", "des");
    if (info != NULL && info->scenario != NULL) {
        cJSON_AddStringToObject(root, "scenario", info->scenario);
    } else {
        cJSON_AddNullToObject(root, "scenario");
    }
    cJSON_AddNumberToObject(root, "seed", (double)v->runs[0].seed);
    cJSON_AddNumberToObject(root, "replications", v->k);
    cJSON_AddNumberToObject(root, "offered_rps", round_to(v->offered_rps, 0.001));
    cJSON_AddNumberToObject(root, "throughput_rps", round_to(v->throughput_rps, 0.001));
    if (v->completed > 0) {
        add_sim_latency(root, "latency_ms", &v->lat);
    } else {
        cJSON_AddNullToObject(root, "latency_ms"); /* nothing served, nothing to measure */
    }
    if (v->has_ci && v->completed > 0) {
        azb_sim_latency h = {v->sum.mean.half, v->sum.p50.half, v->sum.p95.half,
                             v->sum.p99.half, v->sum.p999.half, v->sum.max.half};
        add_sim_latency(root, "latency_ci95_ms", &h);
        cJSON_AddNumberToObject(root, "throughput_ci95_rps",
                                round_to(v->sum.throughput_rps.half, 0.001));
    }
    cJSON *e = cJSON_AddObjectToObject(root, "errors");
    if (e != NULL) {
        cJSON_AddNumberToObject(e, "dropped", (double)v->dropped);
        cJSON_AddNumberToObject(e, "timeouts", (double)v->timeouts);
        cJSON_AddNumberToObject(e, "throttled", (double)v->throttled);
        cJSON_AddNumberToObject(e, "failed", (double)v->failed);
        cJSON_AddNumberToObject(e, "retries", (double)v->retries);
    }
    cJSON_AddNumberToObject(root, "requests", (double)v->offered);
    cJSON_AddNumberToObject(root, "completed", (double)v->completed);
    cJSON_AddNumberToObject(root, "events", (double)v->events);
    cJSON_AddNumberToObject(root, "sim_seconds", round_to(v->sim_seconds, 0.001));
    cJSON_AddBoolToObject(root, "cancelled", v->cancelled);
    cJSON_AddBoolToObject(root, "overloaded", v->overloaded);
    cJSON *mo = cJSON_AddObjectToObject(root, "model");
    if (mo != NULL) {
        cJSON_AddNumberToObject(mo, "offered_rps", round_to(m->offered_rps, 0.001));
        cJSON_AddNumberToObject(mo, "max_throughput_rps", round_to(m->max_throughput_rps, 0.001));
        cJSON_AddBoolToObject(mo, "saturated", m->saturated);
        add_latency(mo, "latency_ms", &m->latency, true);
    }
    if (in->availability != NULL) {
        cJSON_AddItemToObject(root, "availability", availability_json(in));
    }
    if (in->cost != NULL) {
        cJSON_AddItemToObject(root, "cost", cost_json(in));
    }
    cJSON *nodes = cJSON_AddArrayToObject(root, "nodes");
    for (int i = 0; nodes != NULL && i < d->nnodes && i < v->runs[0].nnodes; i++) {
        cJSON *o = cJSON_CreateObject();
        if (o == NULL) {
            break;
        }
        cJSON_AddStringToObject(o, "id", d->nodes[i].id);
        cJSON_AddStringToObject(o, "kind", d->nodes[i].kind);
        cJSON_AddNumberToObject(o, "rps", round_to(DES_NODE_MEAN(v, i, rps), 0.001));
        cJSON_AddNumberToObject(o, "instances",
                                round_to(DES_NODE_MEAN(v, i, instances_mean), 0.01));
        cJSON_AddNumberToObject(o, "utilization", round_to(DES_NODE_MEAN(v, i, utilization), 1e-4));
        cJSON *l = cJSON_AddObjectToObject(o, "latency_ms");
        if (l != NULL) {
            cJSON_AddNumberToObject(l, "mean", round_to(DES_NODE_MEAN(v, i, sojourn_mean_ms), 0.001));
            cJSON_AddNumberToObject(l, "p99", round_to(DES_NODE_MEAN(v, i, sojourn_p99_ms), 0.001));
        }
        cJSON_AddNumberToObject(o, "in_system", round_to(DES_NODE_MEAN(v, i, in_system), 1e-4));
        cJSON_AddNumberToObject(o, "dropped", (double)des_node_sum(v, i, 0));
        cJSON_AddNumberToObject(o, "failed", (double)des_node_sum(v, i, 1));
        cJSON_AddNumberToObject(o, "throttled", (double)des_node_sum(v, i, 2));
        if (i < m->nnodes) {
            cJSON_AddNumberToObject(o, "model_utilization", round_to(m->nodes[i].utilization, 1e-4));
        }
        cJSON_AddItemToArray(nodes, o);
    }
    char *text = azbi_json_print(root);
    cJSON_Delete(root);
    return text;
}

static void des_summary(azbi_buf *b, const azb_report_input *in, const des_view *v,
                        const azb_des_info *info, bool md)
{
    const azb_design *d = in->design;
    const azb_result *m = in->result;
    char x[64];
    char y[64];
    char z[64];
    const char *lead = md ? "- **" : "";
    const char *sep = md ? "**: " : "  ";
    azbi_buf_printf(b, md ? "# %s: event simulation\n\n" : "design    %s\n", d->name);
    if (in->file != NULL && !md) {
        azbi_buf_printf(b, "file      %s\n", in->file);
    }
    azbi_buf_printf(b, "%s%s%sevent simulation, ", lead, md ? "engine" : "engine  ", sep);
    if (info != NULL && info->scenario != NULL) {
        azbi_buf_printf(b, "scenario \"%s\", ", info->scenario);
    } else {
        azbi_buf_printf(b, "steady load, ");
    }
    if (v->k == 1) {
        azbi_buf_printf(b, "seed %llu\n", (unsigned long long)v->runs[0].seed);
    } else {
        azbi_buf_printf(b, "%d replications, seeds %llu to %llu\n", v->k,
                        (unsigned long long)v->runs[0].seed,
                        (unsigned long long)v->runs[v->k - 1].seed);
    }
    azbi_buf_printf(b, "%s%s%s%s s of traffic measured%s, %s events%s\n", lead,
                    md ? "simulated" : "simulated", md ? "**: " : " ",
                    grouped(x, sizeof(x), v->sim_seconds, 1), v->k > 1 ? " (all replications)" : "",
                    grouped(y, sizeof(y), (double)v->events, 0),
                    v->cancelled ? "; STOPPED EARLY, the figures cover what was simulated" : "");
    if (v->overloaded) {
        azbi_buf_printf(b,
                        "%s%s%sOVERLOADED WITHOUT BOUND: over %s visits waiting or in flight, "
                        "the queues grow faster than the design serves; the run stopped there "
                        "and the figures cover what was simulated\n",
                        lead, md ? "stopped" : "stopped ", sep,
                        grouped(x, sizeof(x), (double)AZB_SIM_MAX_IN_FLIGHT, 0));
    }
    if (v->sim_seconds > 0.0) {
        azbi_buf_printf(b, "%s%s%s%s requests/s offered, %s served", lead,
                        md ? "load" : "load    ", sep, rate(x, sizeof(x), v->offered_rps),
                        rate(y, sizeof(y), v->throughput_rps));
        if (v->has_ci) {
            azbi_buf_printf(b, " (+/- %s)", rate(z, sizeof(z), v->sum.throughput_rps.half));
        }
        azbi_buf_printf(b, "; the model: at most %s%s\n",
                        rate(x, sizeof(x), m->max_throughput_rps),
                        m->saturated ? ", SATURATED" : "");
    } else {
        azbi_buf_printf(b, "%s%s%sthe model: at most %s requests/s%s\n", lead,
                        md ? "load" : "load    ", sep, rate(x, sizeof(x), m->max_throughput_rps),
                        m->saturated ? ", SATURATED at this load" : "");
    }
    char m1[32];
    char m2[32];
    char m3[32];
    char m4[32];
    char m5[32];
    char m6[32];
    if (v->sim_seconds <= 0.0) {
        azbi_buf_printf(b, "%s%s%snothing measured: the run stopped before its warm-up ended\n",
                        lead, md ? "latency" : "latency ", sep);
    } else if (v->completed == 0) {
        azbi_buf_printf(b, "%s%s%sno request completed\n", lead, md ? "latency" : "latency ", sep);
    } else {
        azbi_buf_printf(b, "%s%s%smean %s ms, p50 %s, p95 %s, p99 %s, p99.9 %s, max %s ms\n", lead,
                        md ? "latency" : "latency ", sep, ms(m1, sizeof(m1), v->lat.mean),
                        ms(m2, sizeof(m2), v->lat.p50), ms(m3, sizeof(m3), v->lat.p95),
                        ms(m4, sizeof(m4), v->lat.p99), ms(m5, sizeof(m5), v->lat.p999),
                        ms(m6, sizeof(m6), v->lat.max));
        if (v->has_ci) {
            azbi_buf_printf(b, "%s95%% CI +/- %s, %s, %s, %s, %s, %s ms (Student t over %d replications)\n",
                            md ? "  - " : "          ", ms(m1, sizeof(m1), v->sum.mean.half),
                            ms(m2, sizeof(m2), v->sum.p50.half), ms(m3, sizeof(m3), v->sum.p95.half),
                            ms(m4, sizeof(m4), v->sum.p99.half), ms(m5, sizeof(m5), v->sum.p999.half),
                            ms(m6, sizeof(m6), v->sum.max.half), v->k);
        }
    }
    if (m->latency.mean >= AZB_MODEL_MAX_MS) {
        azbi_buf_printf(b, "%smodel: unbounded (the design is saturated at this load)\n",
                        md ? "  - " : "          ");
    } else {
        azbi_buf_printf(b, "%smodel: mean %s ms, p50 %s, p95 %s, p99 %s ms\n",
                        md ? "  - " : "          ", ms(m1, sizeof(m1), m->latency.mean),
                        ms(m2, sizeof(m2), m->latency.p50), ms(m3, sizeof(m3), m->latency.p95),
                        ms(m4, sizeof(m4), m->latency.p99));
    }
    uint64_t bad = v->dropped + v->timeouts + v->throttled + v->failed;
    if (bad == 0 && v->retries == 0) {
        azbi_buf_printf(b, "%s%s%snone\n", lead, md ? "errors" : "errors  ", sep);
    } else {
        double of = (double)(v->completed + bad);
        azbi_buf_printf(b,
                        "%s%s%s%s of %s requests failed (%.3g%%): %s dropped (503), %s timed "
                        "out, %s throttled (429), %s failed; %s retries\n",
                        lead, md ? "errors" : "errors  ", sep, grouped(x, sizeof(x), (double)bad, 0),
                        grouped(y, sizeof(y), of, 0), of > 0.0 ? 100.0 * (double)bad / of : 0.0,
                        grouped(m1, sizeof(m1), (double)v->dropped, 0),
                        grouped(m2, sizeof(m2), (double)v->timeouts, 0),
                        grouped(m3, sizeof(m3), (double)v->throttled, 0),
                        grouped(m4, sizeof(m4), (double)v->failed, 0),
                        grouped(m5, sizeof(m5), (double)v->retries, 0));
    }
    if (in->availability != NULL) {
        const azb_availability *a = in->availability;
        azbi_buf_printf(b, "%s%s%s%s by the SLAs (the model's), weakest link: %s\n", lead,
                        md ? "availability" : "avail   ", sep, percent(x, sizeof(x), a->sla),
                        node_id(d, a->weakest));
    }
    if (in->cost != NULL) {
        azbi_buf_printf(b, "%s%s%s%s a month at the design's load (the model's)\n", lead,
                        md ? "cost" : "cost    ", sep, usd(x, sizeof(x), in->cost->monthly_usd));
    }
}

static void des_nodes(azbi_buf *b, const azb_report_input *in, const des_view *v, bool md)
{
    const azb_design *d = in->design;
    const azb_result *m = in->result;
    if (md) {
        azbi_buf_puts(b, "\n| node | kind | rps | instances | utilisation | model | mean ms | p99 ms "
                         "| in system | dropped | failed | throttled |\n"
                         "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    } else {
        azbi_buf_printf(b, "\n%-18s %-15s %10s %6s %6s %6s %9s %9s %9s %8s %8s %8s\n", "NODE",
                        "KIND", "RPS", "INST", "UTIL", "MODEL", "MEAN ms", "P99 ms", "IN SYS",
                        "DROPPED", "FAILED", "THROTTL");
    }
    for (int i = 0; i < d->nnodes && i < v->runs[0].nnodes; i++) {
        char rps[32];
        char inst[32];
        char util[16];
        char mutil[16];
        char m1[32];
        char m2[32];
        char l[32];
        char c1[32];
        char c2[32];
        char c3[32];
        bool source = i < m->nnodes && m->nodes[i].queueing == AZB_QUEUEING_SOURCE;
        grouped(rps, sizeof(rps), DES_NODE_MEAN(v, i, rps), 1);
        double im = DES_NODE_MEAN(v, i, instances_mean);
        snprintf(inst, sizeof(inst), im > 0.0 ? "%.3g" : "-", im);
        snprintf(util, sizeof(util), source ? "-" : "%.0f%%", DES_NODE_MEAN(v, i, utilization) * 100.0);
        snprintf(mutil, sizeof(mutil), source || i >= m->nnodes ? "-" : "%.0f%%",
                 i < m->nnodes ? m->nodes[i].utilization * 100.0 : 0.0);
        ms(m1, sizeof(m1), DES_NODE_MEAN(v, i, sojourn_mean_ms));
        ms(m2, sizeof(m2), DES_NODE_MEAN(v, i, sojourn_p99_ms));
        snprintf(l, sizeof(l), "%.3g", DES_NODE_MEAN(v, i, in_system));
        grouped(c1, sizeof(c1), (double)des_node_sum(v, i, 0), 0);
        grouped(c2, sizeof(c2), (double)des_node_sum(v, i, 1), 0);
        grouped(c3, sizeof(c3), (double)des_node_sum(v, i, 2), 0);
        if (md) {
            char id[2 * AZB_ID_MAX];
            char kind[2 * AZB_ID_MAX];
            azbi_buf_printf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                            md_cell(id, sizeof(id), d->nodes[i].id),
                            md_cell(kind, sizeof(kind), d->nodes[i].kind), rps, inst, util, mutil,
                            m1, m2, l, c1, c2, c3);
        } else {
            azbi_buf_printf(b, "%-18s %-15s %10s %6s %6s %6s %9s %9s %9s %8s %8s %8s\n",
                            d->nodes[i].id, d->nodes[i].kind, rps, inst, util, mutil, m1, m2, l, c1,
                            c2, c3);
        }
    }
    if (!md) {
        azbi_buf_puts(b, "(INST: time-average active instances; MODEL: the steady-state model's "
                         "utilisation; times per visit, waiting included)\n");
    }
}

char *azb_report_des(const azb_report_input *in, const azb_sim_result *runs, int k,
                     const azb_des_info *info, azb_report_format format)
{
    assert(in != NULL && in->design != NULL && in->result != NULL && in->catalog != NULL);
    assert(runs != NULL && k >= 1);
    des_view v;
    des_view_make(&v, runs, k);
    if (format == AZB_REPORT_JSON) {
        return des_json(in, &v, info);
    }
    bool md = format == AZB_REPORT_MARKDOWN;
    azbi_buf b = {0};
    des_summary(&b, in, &v, info, md);
    des_nodes(&b, in, &v, md);
    return azbi_buf_take(&b);
}

char *azb_report_timeseries_csv(const azb_design *d, const azb_sim_result *r)
{
    assert(d != NULL && r != NULL);
    azbi_buf b = {0};
    azbi_buf_puts(&b, "t_s,offered,served,dropped,timeouts,throttled,failed,retries,p50_ms,p99_ms");
    for (int i = 0; i < d->nnodes && i < r->nnodes; i++) {
        azbi_buf_printf(&b, ",%s.instances,%s.utilization", d->nodes[i].id, d->nodes[i].id);
    }
    azbi_buf_puts(&b, "\n");
    for (int s = 0; s < r->nseconds; s++) {
        const azb_sim_second *sec = &r->seconds[s];
        azbi_buf_printf(&b, "%.0f,%u,%u,%u,%u,%u,%u,%u,%.3f,%.3f", sec->t_s, sec->offered,
                        sec->served, sec->dropped, sec->timeouts, sec->throttled, sec->failed,
                        sec->retries, sec->p50_ms, sec->p99_ms);
        for (int i = 0; i < d->nnodes && i < r->nnodes; i++) {
            azbi_buf_printf(&b, ",%d,%.4f", sec->nodes[i].instances,
                            (double)sec->nodes[i].utilization);
        }
        azbi_buf_puts(&b, "\n");
    }
    return azbi_buf_take(&b);
}

bool azb_report_save(const char *path, const char *text, azb_errors *errs)
{
    assert(path != NULL && text != NULL);
    return azbi_write_atomic(path, text, strlen(text), errs);
}
