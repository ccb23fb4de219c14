/* The cost model (azb_cost.h; docs/models.md "Cost" has every rule and a
 * worked example). */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azb_cost.h"

#define SECONDS_PER_MONTH (AZB_HOURS_PER_MONTH * 3600.0)
#define KB_PER_GB 1.0e6
/* Loops converge geometrically (the validator proved it); a loop that has
 * not settled to 1e-13 after this many sweeps moves no cent. */
#define SWEEPS_MAX 2000
#define FIG_MAX 1.0e15

/* Per-operation visits. The model's result holds only the mixture over
 * operations, and reads, writes, tokens and payloads differ per operation,
 * so the cost module solves v = e + W^T v once per operation on the raw
 * edge weights and keeps the mix at each node and edge. Absolute rates
 * always come from the model (which also routes users to the nearest
 * region); only ratios come from here. */
typedef struct mixwork {
    int nn, ne;
    int *in_start, *in_adj, *out_start, *out_adj, *order;
    double *weight; /* edge: p x calls x hit factor */
    unsigned char *carry;
    double *v, *e;
    /* per node, per request entering the design */
    double *vis, *vis_w, *tok_in, *tok_out;
    double *def_in, *def_out; /* the node's own tokens per request */
    /* per edge, per request entering: calls, and KB x calls */
    double *erate, *ereq, *eresp, *eresp_read;
    /* at an entry that is not a clients node: KB per request entering */
    double entry_req, entry_resp, entry_resp_read;
} mixwork;

/* One node's share of a data transfer, before lines are merged: bytes it
 * sends from region ra to region rb (ra == rb: between zones of ra). */
typedef struct xfer {
    int node;
    int ra, rb;
    double gb;
} xfer;

typedef struct ctx {
    const azb_design *d;
    const azb_catalog *cat;
    const azb_result *r;
    azb_errors *errs;
    double scale; /* the average rate over the offered rate */
    mixwork m;
    double *accept;       /* node: share of its average offered calls it serves */
    double *inst;         /* node: average instances over the profile */
    double *in_req;       /* node: KB/s of requests into it, at the average rate */
    double *in_resp;      /* node: KB/s of the responses it sends back */
    double *in_resp_read; /* the part of in_resp that answers reads */
    double free_zone_gb;  /* inter-zone GB when the catalog prices it at 0 */
    azb_cost_item *items;
    int nitems, cap;
    bool oom;
} ctx;

static double fix(double x)
{
    if (isnan(x) || x <= 0.0) {
        return 0.0;
    }
    return x < FIG_MAX ? x : FIG_MAX;
}

static bool is_source(const azb_node *n)
{
    return n->kind_ref == NULL || n->kind_ref->capacity_model == AZB_CAP_SOURCE;
}

/* snprintf("%s") without the formatting: lines are many on big designs. */
static void copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    n = n < size - 1 ? n : size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void *grab(size_t n, size_t size)
{
    return calloc(n > 0 ? n : 1, size);
}

static void warn(ctx *c, int u, const char *msg)
{
    if (c->errs == NULL) {
        return;
    }
    char path[48] = "";
    if (u >= 0) {
        snprintf(path, sizeof(path), "nodes[%d]", u);
    }
    azb_errors_add(c->errs, true, "", 0, 0, path, "%s: %s", u >= 0 ? c->d->nodes[u].id : "cost",
                   msg);
}

static double sku_limit(const azb_sku *s, const char *name)
{
    for (int i = 0; i < s->nlimits; i++) {
        if (strcmp(s->limits[i].name, name) == 0) {
            return s->limits[i].value;
        }
    }
    return 0.0;
}

/* ---- per-operation mix ---------------------------------------------------- */

static bool edge_carries(const azb_edge *e, const char *op)
{
    if (e->nops == 0 || op == NULL) {
        return true;
    }
    for (int i = 0; i < e->nops; i++) {
        if (strcmp(e->ops[i], op) == 0) {
            return true;
        }
    }
    return false;
}

static bool mix_alloc(mixwork *m, int nn, int ne)
{
    size_t n = (size_t)nn;
    size_t e = (size_t)ne;
    m->nn = nn;
    m->ne = ne;
    m->in_start = grab(n + 1, sizeof(int));
    m->in_adj = grab(e, sizeof(int));
    m->out_start = grab(n + 1, sizeof(int));
    m->out_adj = grab(e, sizeof(int));
    m->order = grab(n, sizeof(int));
    m->weight = grab(e, sizeof(double));
    m->carry = grab(e > n ? e : n, 1);
    m->v = grab(n, sizeof(double));
    m->e = grab(n, sizeof(double));
    m->vis = grab(n, sizeof(double));
    m->vis_w = grab(n, sizeof(double));
    m->tok_in = grab(n, sizeof(double));
    m->tok_out = grab(n, sizeof(double));
    m->def_in = grab(n, sizeof(double));
    m->def_out = grab(n, sizeof(double));
    m->erate = grab(e, sizeof(double));
    m->ereq = grab(e, sizeof(double));
    m->eresp = grab(e, sizeof(double));
    m->eresp_read = grab(e, sizeof(double));
    return m->in_start != NULL && m->in_adj != NULL && m->out_start != NULL && m->out_adj != NULL &&
           m->order != NULL && m->weight != NULL && m->carry != NULL && m->v != NULL &&
           m->e != NULL && m->vis != NULL && m->vis_w != NULL && m->tok_in != NULL &&
           m->tok_out != NULL && m->def_in != NULL && m->def_out != NULL && m->erate != NULL &&
           m->ereq != NULL && m->eresp != NULL && m->eresp_read != NULL;
}

static void mix_free(mixwork *m)
{
    void *bufs[] = {m->in_start, m->in_adj, m->out_start, m->out_adj,   m->order,
                    m->weight,   m->carry,  m->v,         m->e,         m->vis,
                    m->vis_w,    m->tok_in, m->tok_out,   m->def_in,    m->def_out,
                    m->erate,    m->ereq,   m->eresp,     m->eresp_read};
    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++) {
        free(bufs[i]);
    }
}

static void csr(int nn, int ne, const azb_edge *edges, bool in, int *start, int *adj, int *cursor)
{
    for (int j = 0; j < ne; j++) {
        start[(in ? edges[j].to_idx : edges[j].from_idx) + 1]++;
    }
    for (int u = 0; u < nn; u++) {
        start[u + 1] += start[u];
        cursor[u] = start[u];
    }
    for (int j = 0; j < ne; j++) {
        adj[cursor[in ? edges[j].to_idx : edges[j].from_idx]++] = j;
    }
}

/* Edge weights, in and out lists, and an order in which every edge of an
 * acyclic design points forward (Kahn). Nodes on or behind a loop follow in
 * index order; the sweeps then repeat until nothing moves. */
static void mix_graph(mixwork *m, const azb_design *d)
{
    int nn = m->nn;
    for (int j = 0; j < m->ne; j++) {
        const azb_edge *e = &d->edges[j];
        double h = 1.0;
        if (e->on != AZB_ON_ALWAYS) {
            double hit = azb_node_setting_num(&d->nodes[e->from_idx], "hit_ratio", 0.0);
            hit = fmin(fmax(hit, 0.0), 1.0);
            h = e->on == AZB_ON_HIT ? hit : 1.0 - hit;
        }
        m->weight[j] = fix(e->p * e->calls * h);
    }
    int *cursor = m->order; /* scratch until the order is written */
    csr(nn, m->ne, d->edges, true, m->in_start, m->in_adj, cursor);
    csr(nn, m->ne, d->edges, false, m->out_start, m->out_adj, cursor);
    double *deg = m->v; /* scratch: in-degrees */
    unsigned char *placed = m->carry;
    for (int u = 0; u < nn; u++) {
        deg[u] = (double)(m->in_start[u + 1] - m->in_start[u]);
        placed[u] = 0;
    }
    int tail = 0;
    for (int u = 0; u < nn; u++) {
        if (deg[u] == 0.0) {
            m->order[tail++] = u;
            placed[u] = 1;
        }
    }
    for (int head = 0; head < tail; head++) {
        int u = m->order[head];
        for (int x = m->out_start[u]; x < m->out_start[u + 1]; x++) {
            int t = d->edges[m->out_adj[x]].to_idx;
            deg[t] -= 1.0;
            if (deg[t] == 0.0 && !placed[t]) {
                m->order[tail++] = t;
                placed[t] = 1;
            }
        }
    }
    for (int u = 0; u < nn; u++) {
        if (!placed[u]) {
            m->order[tail++] = u;
        }
    }
}

static void mix_solve(mixwork *m, const azb_design *d)
{
    for (int u = 0; u < m->nn; u++) {
        m->v[u] = 0.0;
    }
    for (int sweep = 0; sweep < SWEEPS_MAX; sweep++) {
        double moved = 0.0;
        for (int i = 0; i < m->nn; i++) {
            int u = m->order[i];
            double x = m->e[u];
            for (int k = m->in_start[u]; k < m->in_start[u + 1]; k++) {
                int j = m->in_adj[k];
                if (m->carry[j]) {
                    x += m->weight[j] * m->v[d->edges[j].from_idx];
                }
            }
            x = fix(x);
            double dv = fabs(x - m->v[u]) / fmax(1.0, x);
            moved = dv > moved ? dv : moved;
            m->v[u] = x;
        }
        if (moved <= 1e-13) {
            break;
        }
    }
}

/* Entries as the model takes them: workload.entry, else every clients node
 * by its share. */
static void mix_entries(mixwork *m, const azb_design *d)
{
    for (int u = 0; u < m->nn; u++) {
        m->e[u] = 0.0;
    }
    if (d->workload.present && d->workload.entry_idx >= 0 && d->workload.entry_idx < m->nn) {
        m->e[d->workload.entry_idx] = 1.0;
        return;
    }
    double total = 0.0;
    int n = 0;
    for (int u = 0; u < m->nn; u++) {
        if (d->nodes[u].kind_ref != NULL &&
            d->nodes[u].kind_ref->capacity_model == AZB_CAP_SOURCE) {
            m->e[u] = fmax(azb_node_setting_num(&d->nodes[u], "share", 1.0), 0.0);
            total += m->e[u];
            n++;
        }
    }
    for (int u = 0; u < m->nn && n > 0; u++) {
        if (d->nodes[u].kind_ref != NULL &&
            d->nodes[u].kind_ref->capacity_model == AZB_CAP_SOURCE) {
            m->e[u] = total > 0.0 ? m->e[u] / total : 1.0 / (double)n;
        }
    }
}

/* Payload of one call of operation `o` (NULL: none listed) on edge e: the
 * edge's own size, else, on a call from a clients node, the operation's
 * size at the entry; else nothing. */
static double call_kb(const azb_design *d, const azb_edge *e, const azb_operation *o, bool req)
{
    unsigned bit = req ? AZB_HAS_REQUEST_KB : AZB_HAS_RESPONSE_KB;
    if ((e->has & bit) != 0u) {
        return req ? e->request_kb : e->response_kb;
    }
    if (o != NULL && is_source(&d->nodes[e->from_idx])) {
        return req ? o->request_kb : o->response_kb;
    }
    return req ? e->request_kb : e->response_kb;
}

static void mix_run(mixwork *m, const azb_design *d)
{
    mix_graph(m, d);
    mix_entries(m, d);
    int nops = d->workload.nops;
    int nclass = nops > 0 ? nops : 1;
    int entry = d->workload.present ? d->workload.entry_idx : -1;
    bool entry_server = entry >= 0 && entry < m->nn && !is_source(&d->nodes[entry]);
    for (int u = 0; u < m->nn; u++) {
        const azb_node *n = &d->nodes[u];
        bool tokens =
            n->sku_ref != NULL && n->sku_ref->capacity.quota_unit == AZB_QUOTA_TOKENS_PER_MIN;
        m->def_in[u] = tokens ? fix(azb_node_setting_num(n, "tokens_in", 500.0)) : 0.0;
        m->def_out[u] = tokens ? fix(azb_node_setting_num(n, "tokens_out", 200.0)) : 0.0;
    }
    for (int k = 0; k < nclass; k++) {
        const azb_operation *o = nops > 0 ? &d->workload.ops[k] : NULL;
        double share = o != NULL ? fix(o->share) : 1.0;
        bool write = o != NULL && o->write;
        for (int j = 0; j < m->ne; j++) {
            m->carry[j] = edge_carries(&d->edges[j], o != NULL ? o->name : NULL) ? 1 : 0;
        }
        mix_solve(m, d);
        for (int u = 0; u < m->nn; u++) {
            double x = share * m->v[u];
            if (x <= 0.0) {
                continue;
            }
            double tin = m->def_in[u];
            double tout = m->def_out[u];
            if (o != NULL && (o->has & AZB_HAS_TOKENS) != 0u) {
                tin = o->tokens_in;
                tout = o->tokens_out;
            }
            m->vis[u] += x;
            m->vis_w[u] += write ? x : 0.0;
            m->tok_in[u] += x * fix(tin);
            m->tok_out[u] += x * fix(tout);
        }
        for (int j = 0; j < m->ne; j++) {
            if (!m->carry[j]) {
                continue;
            }
            const azb_edge *e = &d->edges[j];
            double rate = share * m->v[e->from_idx] * m->weight[j];
            double resp = rate * fix(call_kb(d, e, o, false));
            m->erate[j] += rate;
            m->ereq[j] += rate * fix(call_kb(d, e, o, true));
            m->eresp[j] += resp;
            m->eresp_read[j] += write ? 0.0 : resp;
        }
        if (entry_server && o != NULL) {
            m->entry_req += share * fix(o->request_kb);
            m->entry_resp += share * fix(o->response_kb);
            m->entry_resp_read += write ? 0.0 : share * fix(o->response_kb);
        }
    }
}

/* ---- rates at the average ------------------------------------------------ */

/* Calls a node accepts: a node offered more than its capacity at the
 * average serves (and bills) its capacity; quotas throttle the rest with
 * 429, queues time it out. Its in-edges carry the accepted share. */
static double edge_rps(const ctx *c, int j)
{
    return fix(c->r->edges[j].rps) * c->scale * c->accept[c->d->edges[j].to_idx];
}

static double node_rps(const ctx *c, int u)
{
    return fix(c->r->nodes[u].rps) * c->scale * c->accept[u];
}

static void acceptance(ctx *c)
{
    for (int u = 0; u < c->d->nnodes; u++) {
        const azb_node_result *R = &c->r->nodes[u];
        double rate = fix(R->rps) * c->scale;
        double cap = fix(R->capacity_rps);
        c->accept[u] = 1.0;
        if (is_source(&c->d->nodes[u]) || !(cap > 0.0) || !(rate > cap)) {
            continue;
        }
        c->accept[u] = cap / rate;
        char msg[200];
        snprintf(msg, sizeof(msg),
                 "offered %.6g requests/s on average, over its capacity of %.6g; usage is priced "
                 "at its capacity",
                 rate, cap);
        warn(c, u, msg);
    }
}

/* KB per call on edge j: the operations' mix, or the edge's own sizes
 * where the mix saw no call (the model routed traffic the raw weights did
 * not). */
static void edge_kb(const ctx *c, int j, double *req, double *resp, double *resp_read)
{
    const mixwork *m = &c->m;
    if (m->erate[j] > 0.0) {
        *req = m->ereq[j] / m->erate[j];
        *resp = m->eresp[j] / m->erate[j];
        *resp_read = m->eresp_read[j] / m->erate[j];
        return;
    }
    const azb_edge *e = &c->d->edges[j];
    *req = fix(e->request_kb);
    *resp = fix(e->response_kb);
    *resp_read = *resp;
}

static void traffic(ctx *c)
{
    const azb_design *d = c->d;
    for (int j = 0; j < d->nedges; j++) {
        double req = 0.0;
        double resp = 0.0;
        double rr = 0.0;
        edge_kb(c, j, &req, &resp, &rr);
        double rate = edge_rps(c, j);
        int t = d->edges[j].to_idx;
        c->in_req[t] += rate * req;
        c->in_resp[t] += rate * resp;
        c->in_resp_read[t] += rate * rr;
    }
    int entry = d->workload.present ? d->workload.entry_idx : -1;
    if (entry >= 0 && entry < d->nnodes && !is_source(&d->nodes[entry])) {
        double rate = fix(c->r->offered_rps) * c->scale * c->accept[entry];
        c->in_req[entry] += rate * c->m.entry_req;
        c->in_resp[entry] += rate * c->m.entry_resp;
        c->in_resp_read[entry] += rate * c->m.entry_resp_read;
    }
}

/* ---- autoscale: the average instance count over the profile -------------- */

/* Time above x on a straight piece from r0 to r1 lasting dt. */
static double seg_above(double r0, double r1, double dt, double x)
{
    if (r0 > x && r1 > x) {
        return dt;
    }
    if (r0 <= x && r1 <= x) {
        return 0.0;
    }
    return r1 > r0 ? dt * (r1 - x) / (r1 - r0) : dt * (r0 - x) / (r0 - r1);
}

/* Fraction of the profile's span during which its rate exceeds x. */
static double frac_above(const azb_workload *w, double x)
{
    if (!w->has_profile) {
        return w->rps > x ? 1.0 : 0.0;
    }
    const azb_profile *p = &w->profile;
    switch (p->type) {
    case AZB_PROFILE_RAMP:
        return seg_above(p->from_rps, p->to_rps, 1.0, x);
    case AZB_PROFILE_SPIKE: {
        double span = p->duration_s > 0.0 ? p->duration_s : p->start_s + p->length_s;
        if (!(span > 0.0)) {
            return p->base_rps > x ? 1.0 : 0.0;
        }
        double len = fmin(p->length_s, fmax(0.0, span - p->start_s));
        return ((p->base_rps > x ? span - len : 0.0) + (p->peak_rps > x ? len : 0.0)) / span;
    }
    case AZB_PROFILE_DIURNAL: {
        /* a sinusoid between lo and hi spends acos(2 (x - lo) / (hi - lo) - 1) / pi above x */
        double lo = fmin(p->trough_rps, p->peak_rps);
        double hi = fmax(p->trough_rps, p->peak_rps);
        if (!(hi > lo)) {
            return lo > x ? 1.0 : 0.0;
        }
        double q = 2.0 * (x - lo) / (hi - lo) - 1.0;
        return q >= 1.0 ? 0.0 : q < -1.0 ? 1.0 : acos(q) / 3.14159265358979323846;
    }
    case AZB_PROFILE_PIECEWISE: {
        if (p->npoints < 2) {
            return (p->npoints == 1 && p->points[0][1] > x) ? 1.0 : 0.0;
        }
        double span = p->points[p->npoints - 1][0] - p->points[0][0];
        if (!(span > 0.0)) {
            return p->points[0][1] > x ? 1.0 : 0.0;
        }
        double t = 0.0;
        for (int i = 1; i < p->npoints; i++) {
            t += seg_above(p->points[i - 1][1], p->points[i][1],
                           p->points[i][0] - p->points[i - 1][0], x);
        }
        return t / span;
    }
    case AZB_PROFILE_CONSTANT:
    default:
        return w->rps > x ? 1.0 : 0.0;
    }
}

/* The model runs n(lambda) = clamp(ceil(lambda S / (k target)), min, max)
 * instances; n(t) = min + sum over m in [min, max) of [n(t) > m], so its
 * time average is min + sum of the fractions of time the need exceeds m,
 * each a closed form of the profile. Exact, not sampled. */
static double autoscale_average(const ctx *c, int u)
{
    const azb_node *n = &c->d->nodes[u];
    const azb_node_result *R = &c->r->nodes[u];
    int imax = n->autoscale.max > 0 ? n->autoscale.max : 1;
    int imin = n->autoscale.min > 1 ? n->autoscale.min : 1;
    imin = imin < imax ? imin : imax;
    int k =
        (n->has & AZB_HAS_CONCURRENCY) != 0u ? n->concurrency : n->sku_ref->capacity.concurrency;
    k = k > 0 ? k : 1;
    double s = R->service_ms > 0.0 ? R->service_ms : n->sku_ref->capacity.service_ms;
    double target = n->autoscale.target > 0.0 ? n->autoscale.target : 0.7;
    double wrps = c->d->workload.rps;
    double rps = fix(R->rps);
    if (!(s > 0.0) || !(rps > 0.0) || !(wrps > 0.0)) {
        return (double)imin;
    }
    double per_inst = (double)k * target * 1000.0 / s; /* node rps one instance takes */
    double avg = (double)imin;
    for (int m = imin; m < imax; m++) {
        double x = ((double)m + 1e-9) * per_inst * wrps / rps; /* in the profile's rate */
        double f = frac_above(&c->d->workload, x);
        if (!(f > 0.0)) {
            break;
        }
        avg += f;
    }
    return avg;
}

static void instances(ctx *c)
{
    for (int u = 0; u < c->d->nnodes; u++) {
        const azb_node *n = &c->d->nodes[u];
        const azb_node_result *R = &c->r->nodes[u];
        if (is_source(n) || n->sku_ref == NULL) {
            c->inst[u] = 0.0;
        } else if ((n->has & AZB_HAS_AUTOSCALE) != 0u &&
                   n->kind_ref->capacity_model == AZB_CAP_SERVERS) {
            c->inst[u] = autoscale_average(c, u);
        } else {
            c->inst[u] =
                R->instances > 0 ? (double)R->instances : (double)(n->count > 0 ? n->count : 1);
        }
    }
}

/* ---- prices ----------------------------------------------------------------- */

/* Monthly USD of quantity q: the free grant first, then tier by tier, tiers
 * counted from zero with the grant included (docs/catalog.md). */
static double price_apply(const azb_price *p, double q, double *free_used)
{
    double f = fix(p->free_qty);
    *free_used = fmin(q, f);
    if (p->ntiers <= 0) {
        return fix(q - f) * fix(p->usd);
    }
    double lo = 0.0;
    double usd = 0.0;
    double last = p->usd;
    for (int i = 0; i < p->ntiers && i < AZB_PRICE_TIERS_MAX; i++) {
        double hi = p->tiers[i].up_to > 0.0 ? p->tiers[i].up_to : HUGE_VAL;
        last = p->tiers[i].usd;
        double a = fmax(lo, f);
        double b = fmin(hi, q);
        if (b > a) {
            usd += (b - a) * fix(last);
        }
        lo = hi;
        if (lo >= q) {
            break;
        }
    }
    if (q > lo && q > f) { /* a last tier with an end: its price goes on */
        usd += (q - fmax(lo, f)) * fix(last);
    }
    return usd;
}

/* The node's quota in its own units (RU/s, events/s, tokens/min), as the
 * model sizes it: the quota setting x quota_per_unit, else the SKU's, x
 * count. */
static double node_quota(const azb_node *n)
{
    const azb_capacity *cap = &n->sku_ref->capacity;
    double q = cap->quota;
    if (cap->quota_setting[0] != '\0') {
        double x = azb_node_setting_num(n, cap->quota_setting, 0.0);
        if (x > 0.0) {
            q = x * (cap->quota_per_unit > 0.0 ? cap->quota_per_unit : 1.0);
        }
    }
    return fix(q) * (double)(n->count > 0 ? n->count : 1);
}

/* Throughput units, messaging units, PTUs: the quota over what one buys. */
static double node_units(const azb_node *n)
{
    const azb_capacity *cap = &n->sku_ref->capacity;
    double per = cap->quota_per_unit > 0.0 ? cap->quota_per_unit : 0.0;
    if (cap->quota_setting[0] == '\0' || per <= 0.0 || !(cap->quota > 0.0)) {
        return (double)(n->count > 0 ? n->count : 1);
    }
    return node_quota(n) / per;
}

/* The month's quantity of price p at node u, or NULL; else why it cannot be
 * counted. */
static const char *quantity(const ctx *c, int u, const azb_price *p, double *q)
{
    const azb_node *n = &c->d->nodes[u];
    const azb_node_result *R = &c->r->nodes[u];
    const azb_sku *s = n->sku_ref;
    const double hours = AZB_HOURS_PER_MONTH;
    const double secs = SECONDS_PER_MONTH;
    double rate = node_rps(c, u);
    double vis = c->m.vis[u];
    double wfrac = vis > 0.0 ? c->m.vis_w[u] / vis : 0.0;
    *q = 0.0;
    switch (p->unit) {
    case AZB_UNIT_INSTANCE_HOUR:
        *q = c->inst[u] * hours;
        return NULL;
    case AZB_UNIT_VCORE_HOUR:
        if (!(s->vcpu > 0.0)) {
            return "the SKU states no vCPUs";
        }
        *q = s->vcpu * c->inst[u] * hours;
        return NULL;
    case AZB_UNIT_MONTH:
        *q = 1.0;
        return NULL;
    case AZB_UNIT_CAPACITY_UNIT_HOUR: {
        double per_inst = sku_limit(s, "capacity_units_per_instance");
        double mbps_cu = sku_limit(s, "capacity_unit_mbps");
        if (!(per_inst > 0.0) && !(mbps_cu > 0.0)) {
            return "the SKU has no capacity_units_per_instance or capacity_unit_mbps limit";
        }
        double mbps = (c->in_req[u] + c->in_resp[u]) * 8.0 / 1000.0;
        double by_traffic = mbps_cu > 0.0 ? mbps / mbps_cu : 0.0;
        *q = fmax(c->inst[u] * per_inst, by_traffic) * hours;
        return NULL;
    }
    case AZB_UNIT_THROUGHPUT_UNIT_HOUR:
    case AZB_UNIT_PTU_HOUR:
        *q = node_units(n) * hours;
        return NULL;
    case AZB_UNIT_RU100_HOUR:
        if (s->capacity.quota_unit != AZB_QUOTA_RU_PER_S) {
            return "its quota is not in RU/s";
        }
        *q = node_quota(n) / 100.0 * hours;
        return NULL;
    case AZB_UNIT_MILLION_RU:
        if (s->capacity.quota_unit != AZB_QUOTA_RU_PER_S) {
            return "its quota is not in RU/s";
        }
        *q = rate * fix(R->units_per_request) * secs / 1e6;
        return NULL;
    case AZB_UNIT_GB_MONTH:
        if (azb_catalog_find_setting(n->kind_ref, "stored_gb") == NULL) {
            return "the kind has no stored_gb setting";
        }
        *q = fix(azb_node_setting_num(n, "stored_gb", 0.0));
        return NULL;
    case AZB_UNIT_GB_PROCESSED:
        *q = (c->in_req[u] + c->in_resp[u]) * secs / KB_PER_GB;
        return NULL;
    case AZB_UNIT_GB_EGRESS:
        *q = c->in_resp[u] * secs / KB_PER_GB;
        return NULL;
    case AZB_UNIT_GB_RETRIEVAL:
        *q = c->in_resp_read[u] * secs / KB_PER_GB;
        return NULL;
    case AZB_UNIT_MILLION_REQUESTS:
        *q = rate * secs / 1e6;
        return NULL;
    case AZB_UNIT_10K_READS:
        *q = rate * (1.0 - wfrac) * secs / 1e4;
        return NULL;
    case AZB_UNIT_10K_WRITES:
        *q = rate * wfrac * secs / 1e4;
        return NULL;
    case AZB_UNIT_GB_SECOND: {
        double mem = azb_catalog_find_setting(n->kind_ref, "memory_gb") != NULL
                         ? azb_node_setting_num(n, "memory_gb", 0.0)
                         : s->memory_gib;
        if (!(mem > 0.0)) {
            return "no memory_gb setting and no SKU memory";
        }
        double ms = fmax(fix(R->service_ms), sku_limit(s, "min_billed_ms"));
        *q = rate * secs * ms / 1000.0 * mem;
        return NULL;
    }
    case AZB_UNIT_VCPU_SECOND:
    case AZB_UNIT_GIB_SECOND: {
        double per = p->unit == AZB_UNIT_VCPU_SECOND ? s->vcpu : s->memory_gib;
        if (!(per > 0.0)) {
            return p->unit == AZB_UNIT_VCPU_SECOND ? "the SKU states no vCPUs"
                                                   : "the SKU states no memory";
        }
        *q = c->inst[u] * secs * per;
        return NULL;
    }
    case AZB_UNIT_MILLION_INPUT_TOKENS:
    case AZB_UNIT_MILLION_OUTPUT_TOKENS: {
        double t = p->unit == AZB_UNIT_MILLION_INPUT_TOKENS ? c->m.tok_in[u] : c->m.tok_out[u];
        double per_visit = vis > 0.0 ? t / vis : 0.0;
        if (!(vis > 0.0)) {
            per_visit = azb_node_setting_num(
                n, p->unit == AZB_UNIT_MILLION_INPUT_TOKENS ? "tokens_in" : "tokens_out", 0.0);
        }
        *q = rate * fix(per_visit) * secs / 1e6;
        return NULL;
    }
    case AZB_UNIT_COUNT:
    default:
        return "the cost model does not know this price unit";
    }
}

static azb_cost_item *add(ctx *c, int u, azb_category cat, const char *item, azb_price_unit unit,
                          double qty, double free_qty, double unit_usd, double usd, azb_prov prov)
{
    if (c->nitems == c->cap) {
        int cap = c->cap > 0 ? c->cap * 2 : 32;
        azb_cost_item *p = realloc(c->items, (size_t)cap * sizeof(*p));
        if (p == NULL) {
            c->oom = true;
            return NULL;
        }
        c->items = p;
        c->cap = cap;
    }
    azb_cost_item *it = &c->items[c->nitems++];
    memset(it, 0, sizeof(*it));
    it->node = u;
    if (u >= 0) {
        copy(it->node_id, sizeof(it->node_id), c->d->nodes[u].id);
    }
    it->category = cat;
    copy(it->item, sizeof(it->item), item);
    it->unit = unit;
    it->quantity = fix(qty);
    it->free_qty = fix(fmin(free_qty, it->quantity));
    it->unit_usd = fix(unit_usd);
    it->monthly_usd = fix(usd);
    it->prov = prov;
    return it;
}

static void node_prices(ctx *c, int u)
{
    const azb_node *n = &c->d->nodes[u];
    const azb_sku *s = n->sku_ref;
    for (int i = 0; i < s->nprices; i++) {
        const azb_price *p = &s->prices[i];
        if (p->when[0] != '\0' && !(azb_node_setting_num(n, p->when, 0.0) != 0.0)) {
            continue;
        }
        double q = 0.0;
        const char *why = quantity(c, u, p, &q);
        if (why != NULL) {
            char msg[200];
            snprintf(msg, sizeof(msg), "cannot count price \"%s\" (%s): %s; left out of the total",
                     p->item, azb_price_unit_name(p->unit), why);
            warn(c, u, msg);
            continue;
        }
        if (p->per[0] != '\0') {
            q *= fix(azb_node_setting_num(n, p->per, 1.0));
        }
        q = fix(q);
        double free_used = 0.0;
        double usd = price_apply(p, q, &free_used);
        add(c, u, n->kind_ref->category, p->item, p->unit, q, free_used, p->usd, usd, p->prov);
        if (p->unit == AZB_UNIT_GB_MONTH && azb_node_setting(n, "stored_gb") == NULL &&
            !(q > 0.0)) {
            warn(c, u, "stored_gb is not set, so storage is priced at 0 GB");
        }
    }
}

/* ---- data transfer ------------------------------------------------------- */

static const azb_transfer_rule *rule_match(const azb_catalog *cat, const char *a, const char *b,
                                           int *index)
{
    for (int i = 0; i < cat->ntransfer; i++) {
        const azb_transfer_rule *r = &cat->transfer[i];
        if ((strcmp(r->from, "*") == 0 || strcmp(r->from, a) == 0) &&
            (strcmp(r->to, "*") == 0 || strcmp(r->to, b) == 0)) {
            *index = i;
            return r;
        }
    }
    return NULL;
}

/* The rule azb_catalog_transfer_usd_per_gb applies (direction of travel
 * first, then the reverse), for its provenance. -1 when none. */
static int rule_find(const azb_catalog *cat, int from, int to)
{
    int i = -1;
    const char *a = cat->regions[from].continent;
    const char *b = cat->regions[to].continent;
    if (rule_match(cat, a, b, &i) == NULL && rule_match(cat, b, a, &i) == NULL) {
        return -1;
    }
    return i;
}

static bool xfer_push(xfer **list, int *n, int *cap, xfer x)
{
    if (!(x.gb > 0.0)) {
        return true;
    }
    if (*n == *cap) {
        int nc = *cap > 0 ? *cap * 2 : 16;
        xfer *p = realloc(*list, (size_t)nc * sizeof(*p));
        if (p == NULL) {
            return false;
        }
        *list = p;
        *cap = nc;
    }
    (*list)[(*n)++] = x;
    return true;
}

static int xfer_cmp(const void *a, const void *b)
{
    const xfer *x = a;
    const xfer *y = b;
    if (x->node != y->node) {
        return x->node < y->node ? -1 : 1;
    }
    if (x->ra != y->ra) {
        return x->ra < y->ra ? -1 : 1;
    }
    return x->rb < y->rb ? -1 : x->rb > y->rb ? 1 : 0;
}

/* Each direction is billed where its bytes leave: the request to the
 * caller, the response to the callee. Between zones, only where both ends
 * say which zones they are in (the latency model's "unknown zones count as
 * different" is a pessimism for time, not a fact to bill). */
static xfer *transfers(ctx *c, int *count)
{
    const azb_design *d = c->d;
    xfer *list = NULL;
    int n = 0;
    int cap = 0;
    bool ok = true;
    for (int j = 0; j < d->nedges && ok; j++) {
        const azb_edge *e = &d->edges[j];
        const azb_node *na = &d->nodes[e->from_idx];
        const azb_node *nb = &d->nodes[e->to_idx];
        int ra = na->region_idx;
        int rb = nb->region_idx;
        if (ra < 0 || rb < 0 || ra >= c->cat->nregions || rb >= c->cat->nregions) {
            continue;
        }
        double req = 0.0;
        double resp = 0.0;
        double rr = 0.0;
        edge_kb(c, j, &req, &resp, &rr);
        double gb = edge_rps(c, j) * SECONDS_PER_MONTH / KB_PER_GB;
        if (ra != rb) {
            ok = xfer_push(&list, &n, &cap, (xfer){e->from_idx, ra, rb, gb * req}) &&
                 xfer_push(&list, &n, &cap, (xfer){e->to_idx, rb, ra, gb * resp});
        } else if (na->nzones > 0 && nb->nzones > 0) {
            double cz = fix(c->r->edges[j].cross_zone);
            cz = cz < 1.0 ? cz : 1.0;
            ok = xfer_push(&list, &n, &cap, (xfer){e->from_idx, ra, ra, gb * req * cz}) &&
                 xfer_push(&list, &n, &cap, (xfer){e->to_idx, rb, rb, gb * resp * cz});
        }
    }
    if (!ok) {
        c->oom = true;
        free(list);
        *count = 0;
        return NULL;
    }
    if (n > 1) {
        qsort(list, (size_t)n, sizeof(*list), xfer_cmp);
    }
    *count = n;
    return list;
}

static void xfer_lines(ctx *c, const xfer *list, int n, int *at, int u)
{
    const azb_catalog *cat = c->cat;
    while (*at < n && list[*at].node == u) {
        int ra = list[*at].ra;
        int rb = list[*at].rb;
        double gb = 0.0;
        while (*at < n && list[*at].node == u && list[*at].ra == ra && list[*at].rb == rb) {
            gb += list[(*at)++].gb;
        }
        if (ra != rb) {
            int rule = rule_find(cat, ra, rb);
            azb_prov prov = rule >= 0 ? cat->transfer[rule].prov : (azb_prov){-1, AZB_TAG_EST};
            double usd = azb_catalog_transfer_usd_per_gb(cat, ra, rb);
            char item[48];
            snprintf(item, sizeof(item), "transfer %.18s->%.18s", cat->regions[ra].name,
                     cat->regions[rb].name);
            add(c, u, AZB_CAT_NETWORK, item, AZB_UNIT_GB_EGRESS, gb, 0.0, usd, fix(gb) * fix(usd),
                prov);
        } else if (fix(cat->inter_zone_usd_per_gb) > 0.0) {
            double usd = cat->inter_zone_usd_per_gb;
            add(c, u, AZB_CAT_NETWORK, "inter-zone transfer", AZB_UNIT_GB_EGRESS, gb, 0.0, usd,
                fix(gb) * fix(usd), cat->inter_zone_prov);
        } else {
            c->free_zone_gb += fix(gb); /* a free item: one line for the design */
        }
    }
}

static bool has_own_egress(const azb_node *n)
{
    if (n->sku_ref == NULL) {
        return false;
    }
    for (int i = 0; i < n->sku_ref->nprices; i++) {
        if (n->sku_ref->prices[i].unit == AZB_UNIT_GB_EGRESS) {
            return true;
        }
    }
    return false;
}

/* Responses to users, except those an edge service (Front Door, CDN) sends
 * and bills at its own egress price. One line for the design, because the
 * free grant and the tiers apply to the month's total. */
static void internet_egress(ctx *c)
{
    const azb_design *d = c->d;
    double gb = 0.0;
    bool any = false;
    for (int j = 0; j < d->nedges; j++) {
        const azb_edge *e = &d->edges[j];
        if (!is_source(&d->nodes[e->from_idx]) || has_own_egress(&d->nodes[e->to_idx])) {
            continue;
        }
        double req = 0.0;
        double resp = 0.0;
        double rr = 0.0;
        edge_kb(c, j, &req, &resp, &rr);
        gb += edge_rps(c, j) * resp * SECONDS_PER_MONTH / KB_PER_GB;
        any = true;
    }
    if (!any) {
        return;
    }
    const azb_price *p = &c->cat->internet_egress;
    double free_used = 0.0;
    double q = fix(gb);
    double usd = price_apply(p, q, &free_used);
    add(c, -1, AZB_CAT_NETWORK, p->item[0] != '\0' ? p->item : "internet egress", p->unit, q,
        free_used, p->usd, usd, p->prov);
}

/* ---- the API ----------------------------------------------------------------- */

static void ctx_free(ctx *c)
{
    mix_free(&c->m);
    free(c->accept);
    free(c->inst);
    free(c->in_req);
    free(c->in_resp);
    free(c->in_resp_read);
    free(c->items);
}

azb_cost *azb_cost_compute(const azb_design *d, const azb_catalog *cat, const azb_result *r,
                           azb_errors *errs)
{
    assert(d != NULL && cat != NULL && r != NULL);
    ctx c;
    memset(&c, 0, sizeof(c));
    c.d = d;
    c.cat = cat;
    c.r = r;
    c.errs = errs;
    azb_cost *out = NULL;
    xfer *xl = NULL;
    int nx = 0;
    if (r->nnodes != d->nnodes || r->nedges != d->nedges) {
        if (errs != NULL) {
            azb_errors_add(errs, false, "", 0, 0, "",
                           "cost: the model result (%d nodes, %d edges) "
                           "is not this design's (%d nodes, %d edges); run the model first",
                           r->nnodes, r->nedges, d->nnodes, d->nedges);
        }
        return NULL;
    }
    double offered = fix(r->offered_rps);
    double avg = d->workload.present ? fix(azb_profile_average(&d->workload)) : 0.0;
    double wrps = d->workload.present ? fix(d->workload.rps) : 0.0;
    c.scale = wrps > 0.0 ? fix(avg / wrps) : 1.0;
    size_t nn = (size_t)d->nnodes;
    c.accept = grab(nn, sizeof(double));
    c.inst = grab(nn, sizeof(double));
    c.in_req = grab(nn, sizeof(double));
    c.in_resp = grab(nn, sizeof(double));
    c.in_resp_read = grab(nn, sizeof(double));
    if (!mix_alloc(&c.m, d->nnodes, d->nedges) || c.accept == NULL || c.inst == NULL ||
        c.in_req == NULL || c.in_resp == NULL || c.in_resp_read == NULL) {
        goto fail;
    }
    mix_run(&c.m, d);
    acceptance(&c);
    traffic(&c);
    instances(&c);
    xl = transfers(&c, &nx);
    if (c.oom) {
        goto fail;
    }
    int at = 0;
    for (int u = 0; u < d->nnodes; u++) {
        const azb_node *n = &d->nodes[u];
        if (n->kind_ref == NULL || (n->sku_ref == NULL && !is_source(n))) {
            warn(&c, u, "not validated against the catalog; left out of the cost");
            continue;
        }
        if (!is_source(n)) {
            node_prices(&c, u);
        }
        xfer_lines(&c, xl, nx, &at, u);
    }
    internet_egress(&c);
    if (c.free_zone_gb > 0.0) {
        add(&c, -1, AZB_CAT_NETWORK, "inter-zone transfer", AZB_UNIT_GB_EGRESS, c.free_zone_gb, 0.0,
            0.0, 0.0, cat->inter_zone_prov);
    }
    if (c.oom) {
        goto fail;
    }
    out = calloc(1, sizeof(*out));
    if (out == NULL) {
        goto fail;
    }
    out->node_monthly_usd = grab(nn, sizeof(double));
    if (out->node_monthly_usd == NULL) {
        goto fail;
    }
    out->nnodes = d->nnodes;
    out->average_rps = offered * c.scale;
    for (int i = 0; i < c.nitems; i++) {
        const azb_cost_item *it = &c.items[i];
        out->monthly_usd += it->monthly_usd;
        if (it->node >= 0) {
            out->node_monthly_usd[it->node] += it->monthly_usd;
        }
    }
    out->monthly_usd = fix(out->monthly_usd);
    double requests = out->average_rps * SECONDS_PER_MONTH;
    out->per_million_requests_usd = requests > 0.0 ? fix(out->monthly_usd / requests * 1e6) : 0.0;
    out->items = c.items;
    out->nitems = c.nitems;
    c.items = NULL;
    free(xl);
    ctx_free(&c);
    return out;
fail:
    if (errs != NULL) {
        azb_errors_add(errs, false, "", 0, 0, "", "cost: out of memory");
    }
    free(xl);
    azb_cost_destroy(out);
    ctx_free(&c);
    return NULL;
}

void azb_cost_destroy(azb_cost *c)
{
    if (c == NULL) {
        return;
    }
    free(c->items);
    free(c->node_monthly_usd);
    free(c);
}
