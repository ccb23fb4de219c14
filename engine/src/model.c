#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azbi_model.h"

/* Fallback tokens per request when neither the operation nor the node (nor
 * the kind's defaults) say: the kind's own defaults in catalog.json. */
#define TOKENS_IN_DEFAULT 500.0
#define TOKENS_OUT_DEFAULT 200.0
/* A pool this large never waits (Erlang C underflows long before); beyond
 * it the O(c) Erlang recursion would only cost time. */
#define SERVERS_MAX 1000000
#define RATE_MAX 1e15

static const char *const queueing_names[AZB_QUEUEING_COUNT] = {"source", "per_instance", "pooled",
                                                               "quota"};
static const char *const hop_names[AZB_HOP_COUNT] = {"zone",     "region",   "inter_region",
                                                     "internet", "backbone", "dns"};

const char *azb_model_queueing_name(azb_queueing q)
{
    return (q >= 0 && q < AZB_QUEUEING_COUNT) ? queueing_names[q] : "?";
}

const char *azb_model_hop_name(azb_hop h)
{
    return (h >= 0 && h < AZB_HOP_COUNT) ? hop_names[h] : "?";
}

/* ---- buffers ----------------------------------------------------------- */

static void work_free(azbi_model_work *w)
{
    if (w == NULL) {
        return;
    }
    void *all[] = {
        w->out_start,   w->out_adj,  w->in_start,    w->in_adj,     w->order,      w->scc_start,
        w->scc_loop,    w->t_index,  w->t_low,       w->t_stack,    w->t_cnode,    w->t_cedge,
        w->t_order,     w->t_start,  w->t_on,        w->mn,         w->v,          w->e,
        w->s1,          w->s2,       w->s3,          w->t1,         w->t2,         w->t3,
        w->tn,          w->tsat,     w->vis,         w->units,      w->svc,        w->rsat,
        w->routers,     w->resp_num, w->resp_den,    w->memo_first, w->memo_count, w->memo_stamp,
        w->stack_stamp, w->opdep_w,  w->p_raw,       w->p_act,      w->calls,      w->rtt_static,
        w->rtt_cur,     w->ertt_num, w->ertt_den,    w->erate,      w->geo_dep,    w->opmask,
        w->geo_edges,   w->entry,    w->entry_share, w->entry_geo,  w->ep,         w->es,
        w->mix,         w->mix_w,    w->mix_wn,      w->mix_op,     w->mix_st,     w->mix_fit};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        free(all[i]);
    }
    free(w);
}

/* (Re)allocate *p for n elements; the old contents are not kept and the
 * new are not cleared (every update recomputes them). */
static bool grab(void *pp, size_t n, size_t size)
{
    void **p = pp;
    free(*p);
    *p = NULL;
    if (n > SIZE_MAX / size) {
        return false;
    }
    *p = malloc((n > 0 ? n : 1) * size);
    return *p != NULL;
}

/* The first allocation is exact; a design that outgrows it gets half as
 * much again, so a growing design reallocates O(log n) times. */
static int grow(int need, int cap)
{
    if (need <= cap) {
        return cap;
    }
    if (cap == 0) {
        return need > 0 ? need : 1;
    }
    long long n = (long long)need + need / 2 + 1;
    return n > 0x3fffffff ? 0x3fffffff : (int)n;
}

typedef struct sizes {
    int nodes, edges, ops, entries, opdep;
} sizes;

static bool ensure(azb_result *r, sizes s)
{
    azbi_model_work *w = r->work;
    bool ok = true;
    if (w->mix_st == NULL) { /* the fixed pools; mix_st is grabbed last */
        ok = ok && grab(&w->ep, AZBI_ENUM_PATHS, sizeof(*w->ep));
        ok = ok && grab(&w->es, AZBI_ENUM_STAGES, sizeof(*w->es));
        ok = ok && grab(&w->mix, AZBI_MIX_PATHS, sizeof(*w->mix));
        ok = ok && grab(&w->mix_w, AZBI_MIX_PATHS, sizeof(*w->mix_w));
        ok = ok && grab(&w->mix_wn, AZBI_MIX_PATHS, sizeof(*w->mix_wn));
        ok = ok && grab(&w->mix_op, AZBI_MIX_PATHS, sizeof(*w->mix_op));
        ok = ok && grab(&w->mix_fit, AZBI_MIX_PATHS, sizeof(*w->mix_fit));
        ok = ok && grab(&w->mix_st, AZBI_MIX_STAGES, sizeof(*w->mix_st));
        if (!ok) {
            return false;
        }
    }
    bool ops_grew = s.ops > w->cap_ops;
    if (s.nodes > w->cap_nodes) {
        int n = grow(s.nodes, w->cap_nodes);
        size_t n1 = (size_t)n + 1;
        w->cap_nodes = 0;
        ok = ok && grab(&r->nodes, (size_t)n, sizeof(*r->nodes));
        ok = ok && grab(&w->out_start, n1, sizeof(int)) && grab(&w->in_start, n1, sizeof(int));
        ok = ok && grab(&w->order, (size_t)n, sizeof(int)) &&
             grab(&w->scc_start, n1, sizeof(int)) && grab(&w->scc_loop, (size_t)n, 1);
        ok = ok && grab(&w->t_index, (size_t)n, sizeof(int)) &&
             grab(&w->t_low, (size_t)n, sizeof(int)) && grab(&w->t_stack, (size_t)n, sizeof(int));
        ok = ok && grab(&w->t_cnode, (size_t)n, sizeof(int)) &&
             grab(&w->t_cedge, (size_t)n, sizeof(int)) && grab(&w->t_order, (size_t)n, sizeof(int));
        ok = ok && grab(&w->t_start, n1, sizeof(int)) && grab(&w->t_on, (size_t)n, 1);
        ok = ok && grab(&w->mn, (size_t)n, sizeof(*w->mn));
        double **dbl[] = {&w->v,  &w->e,  &w->s1,  &w->s2,    &w->s3,  &w->t1,       &w->t2,
                          &w->t3, &w->tn, &w->vis, &w->units, &w->svc, &w->resp_num, &w->resp_den};
        for (size_t i = 0; i < sizeof(dbl) / sizeof(dbl[0]) && ok; i++) {
            ok = grab(dbl[i], (size_t)n, sizeof(double));
        }
        ok = ok && grab(&w->tsat, (size_t)n, 1) && grab(&w->rsat, (size_t)n, 1);
        ok = ok && grab(&w->routers, (size_t)n, sizeof(int));
        ok = ok && grab(&w->memo_first, (size_t)n, sizeof(int)) &&
             grab(&w->memo_count, (size_t)n, sizeof(int));
        ok = ok && grab(&w->memo_stamp, (size_t)n, sizeof(unsigned)) &&
             grab(&w->stack_stamp, (size_t)n, sizeof(unsigned));
        w->stamp = 0;
        if (!ok) {
            return false;
        }
        memset(w->memo_stamp, 0, (size_t)n * sizeof(unsigned));
        memset(w->stack_stamp, 0, (size_t)n * sizeof(unsigned));
        w->cap_nodes = n;
    }
    if (s.ops > w->cap_ops) {
        int k = grow(s.ops, w->cap_ops);
        w->cap_ops = 0;
        if (!grab(&r->ops, (size_t)k, sizeof(*r->ops))) {
            return false;
        }
        w->cap_ops = k;
        w->opbytes = (k + 7) / 8;
    }
    if (s.edges > w->cap_edges || ops_grew) {
        int m = grow(s.edges, w->cap_edges);
        w->cap_edges = 0;
        ok = ok && grab(&r->edges, (size_t)m, sizeof(*r->edges));
        double **dbl[] = {&w->p_raw,   &w->p_act,    &w->calls,    &w->rtt_static,
                          &w->rtt_cur, &w->ertt_num, &w->ertt_den, &w->erate};
        for (size_t i = 0; i < sizeof(dbl) / sizeof(dbl[0]) && ok; i++) {
            ok = grab(dbl[i], (size_t)m, sizeof(double));
        }
        ok = ok && grab(&w->out_adj, (size_t)m, sizeof(int)) &&
             grab(&w->in_adj, (size_t)m, sizeof(int)) &&
             grab(&w->geo_edges, (size_t)m, sizeof(int));
        ok = ok && grab(&w->geo_dep, (size_t)m, 1) &&
             grab(&w->opmask, (size_t)m * (size_t)w->opbytes, 1);
        if (!ok) {
            return false;
        }
        w->cap_edges = m;
    }
    if (s.entries > w->cap_entries) {
        int c = grow(s.entries, w->cap_entries);
        w->cap_entries = 0;
        ok = grab(&w->entry, (size_t)c, sizeof(int)) &&
             grab(&w->entry_share, (size_t)c, sizeof(double)) &&
             grab(&w->entry_geo, (size_t)c, sizeof(int));
        if (!ok) {
            return false;
        }
        w->cap_entries = c;
    }
    if (s.opdep > w->cap_opdep || ops_grew) {
        int o = grow(s.opdep, w->cap_opdep);
        w->cap_opdep = 0;
        if (!grab(&w->opdep_w, (size_t)o * (size_t)w->cap_ops, sizeof(double))) {
            return false;
        }
        w->cap_opdep = o;
    }
    return true;
}

static bool is_opdep(const azb_node *n)
{
    const azb_sku *sku = n->sku_ref;
    return n->kind_ref != NULL && n->kind_ref->capacity_model == AZB_CAP_QUOTA && sku != NULL &&
           sku->capacity.quota_unit == AZB_QUOTA_TOKENS_PER_MIN &&
           sku->capacity.tokens_per_s > 0.0 && (n->has & AZB_HAS_SERVICE_MS) == 0u;
}

static int count_entries(const azb_design *d)
{
    if (d->workload.present && d->workload.entry_idx >= 0) {
        return 1;
    }
    int n = 0;
    for (int i = 0; i < d->nnodes; i++) {
        const azb_kind *k = d->nodes[i].kind_ref;
        n += (k != NULL && k->capacity_model == AZB_CAP_SOURCE) ? 1 : 0;
    }
    return n;
}

static sizes design_sizes(const azb_design *d)
{
    sizes s = {1, 1, 1, 1, 1}; /* at least one of each: no buffer is ever NULL */
    if (d == NULL) {
        return s;
    }
    s.nodes = d->nnodes > 0 ? d->nnodes : 1;
    s.edges = d->nedges > 0 ? d->nedges : 1;
    s.ops = d->workload.nops > 0 ? d->workload.nops : 1;
    s.entries = count_entries(d);
    s.opdep = 0;
    for (int i = 0; i < d->nnodes; i++) {
        s.opdep += is_opdep(&d->nodes[i]) ? 1 : 0;
    }
    s.entries = s.entries > 0 ? s.entries : 1;
    s.opdep = s.opdep > 0 ? s.opdep : 1;
    return s;
}

azb_result *azb_model_reserve(const azb_design *d)
{
    azb_result *r = calloc(1, sizeof(*r));
    if (r == NULL) {
        return NULL;
    }
    r->bottleneck = -1;
    r->work = calloc(1, sizeof(*r->work));
    if (r->work == NULL || !ensure(r, design_sizes(d))) {
        azb_result_destroy(r);
        return NULL;
    }
    return r;
}

void azb_result_destroy(azb_result *r)
{
    if (r == NULL) {
        return;
    }
    work_free(r->work);
    free(r->nodes);
    free(r->edges);
    free(r->ops);
    free(r);
}

azb_result *azb_model_run(const azb_design *d, const azb_catalog *cat, double offered_rps,
                          azb_errors *errs)
{
    assert(d != NULL && cat != NULL);
    azb_result *r = azb_model_reserve(d);
    if (r == NULL) {
        if (errs != NULL) {
            azb_errors_add(errs, false, "", 0, 0, "", "out of memory");
        }
        return NULL;
    }
    if (!azb_model_update(r, d, cat, offered_rps, errs)) {
        azb_result_destroy(r);
        return NULL;
    }
    return r;
}

/* ---- per-node setup ----------------------------------------------------- */

static bool kind_is(const azb_kind *k, const char *id)
{
    return strcmp(k->id, id) == 0;
}

static void node_setup(azbi_model_work *w, const azb_design *d, const azb_catalog *cat, int u,
                       azb_errors *errs)
{
    const azb_node *n = &d->nodes[u];
    const azb_kind *kind = n->kind_ref;
    const azb_capacity *cap = n->sku_ref != NULL ? &n->sku_ref->capacity : NULL;
    azbi_mnode *m = &w->mn[u];
    memset(m, 0, sizeof(*m));
    m->source = kind->capacity_model == AZB_CAP_SOURCE;
    m->msg = kind->category == AZB_CAT_MESSAGING;
    m->background = m->msg || kind->category == AZB_CAT_DATA;
    m->region = n->region_idx;
    m->geo = -1;
    m->opdep_slot = -1;
    if (m->source) {
        m->loc = AZBI_LOC_CLIENT;
        const azb_setting *g = azb_node_setting(n, "geo");
        m->geo = g != NULL ? azb_catalog_find_geo(cat, g->str) : -1;
        m->queueing = AZB_QUEUEING_SOURCE;
        return;
    }
    if (n->region_idx >= 0) {
        m->loc = AZBI_LOC_REGION;
    } else if (kind_is(kind, "front_door") || kind_is(kind, "cdn")) {
        m->loc = AZBI_LOC_EDGE;
    } else if (kind_is(kind, "traffic_manager") || kind_is(kind, "azure_dns")) {
        m->loc = AZBI_LOC_DNS;
    } else {
        m->loc = AZBI_LOC_UNPLACED;
        if (errs != NULL) {
            char path[48];
            snprintf(path, sizeof(path), "nodes[%d]", u);
            azb_errors_add(errs, true, "", 0, 0, path,
                           "%s has no region; the model places it next to its callers", n->id);
        }
    }
    for (int z = 0; z < n->nzones && z < AZB_DESIGN_MAX_ZONES; z++) {
        if (n->zones[z] >= 1 && n->zones[z] <= 3 && (m->zmask & (1u << n->zones[z])) == 0u) {
            m->zmask |= 1u << n->zones[z];
            m->nzones++;
        }
    }
    m->svc_ms =
        (n->has & AZB_HAS_SERVICE_MS) != 0u ? n->service_ms : (cap != NULL ? cap->service_ms : 0.0);
    m->dist = (n->has & AZB_HAS_SERVICE_DIST) != 0u ? n->service_dist
                                                    : (cap != NULL ? cap->dist : AZB_DIST_EXP);
    if (m->dist == AZB_DIST_EXP) {
        m->cv = 1.0;
    } else if (m->dist == AZB_DIST_DET) {
        m->cv = 0.0;
    } else if ((n->has & AZB_HAS_CV) != 0u && n->cv > 0.0) {
        m->cv = n->cv;
    } else if (cap != NULL && cap->dist == AZB_DIST_LOGNORMAL && cap->cv > 0.0) {
        m->cv = cap->cv;
    } else {
        m->cv = 1.0;
    }
    m->hit = fmin(fmax(azb_node_setting_num(n, "hit_ratio", 0.0), 0.0), 1.0);
    if (cap != NULL) {
        m->tokens = cap->quota_unit == AZB_QUOTA_TOKENS_PER_MIN;
        m->cost_read = cap->cost_read > 0.0 ? cap->cost_read : 1.0;
        m->cost_write = cap->cost_write > 0.0 ? cap->cost_write : 1.0;
        m->ttft_ms = cap->ttft_ms;
        m->tokens_per_s = cap->tokens_per_s;
    }
    m->tok_in = azb_node_setting_num(n, "tokens_in", TOKENS_IN_DEFAULT);
    m->tok_out = azb_node_setting_num(n, "tokens_out", TOKENS_OUT_DEFAULT);
    m->opdep = is_opdep(n);
    if (m->opdep) {
        /* the service time with the node's own token counts */
        m->svc_ms = m->ttft_ms + m->tok_out / m->tokens_per_s * 1000.0;
    }
    m->queueing =
        kind->capacity_model == AZB_CAP_QUOTA ? AZB_QUEUEING_QUOTA : AZB_QUEUEING_PER_INSTANCE;
    if (!(m->svc_ms > 0.0)) {
        m->svc_ms = 1e-6; /* validation forbids it; never divide by zero */
    }
}

/* Quota units one visit of operation `op` uses. */
static double units_per_visit(const azbi_mnode *m, const azb_design *d, int op)
{
    const azb_operation *o = op >= 0 ? &d->workload.ops[op] : NULL;
    if (m->tokens) {
        double tin = m->tok_in;
        double tout = m->tok_out;
        if (o != NULL && (o->has & AZB_HAS_TOKENS) != 0u) {
            tin = o->tokens_in;
            tout = o->tokens_out;
        }
        return tin * m->cost_read + tout * m->cost_write;
    }
    return (o != NULL && o->write) ? m->cost_write : m->cost_read;
}

/* Least connections pools a node's instances: set on the node, or (when
 * the node says nothing) on a node that calls it. */
static bool pooled(const azbi_model_work *w, const azb_design *d, int u)
{
    azb_balancing b = d->nodes[u].balancing;
    if (b != AZB_BAL_DEFAULT) {
        return b == AZB_BAL_LEAST_CONNECTIONS;
    }
    for (int x = w->in_start[u]; x < w->in_start[u + 1]; x++) {
        int from = d->edges[w->in_adj[x]].from_idx;
        if (d->nodes[from].balancing == AZB_BAL_LEAST_CONNECTIONS) {
            return true;
        }
    }
    return false;
}

static double fix_ms(double x, bool *clamped)
{
    if (isnan(x) || x >= AZB_MODEL_MAX_MS) {
        *clamped = true;
        return AZB_MODEL_MAX_MS;
    }
    return x > 0.0 ? x : 0.0;
}

static double fix_num(double x)
{
    if (isnan(x) || x < 0.0) {
        return 0.0;
    }
    return x < RATE_MAX ? x : RATE_MAX;
}

/* p99 of a service time alone (no wait) in azb_queue's law. It scales with
 * the mean, so one inversion per distinct cv and update serves every node
 * with that cv. */
static double service_p99(azbi_model_work *w, double mean, double cv)
{
    if (cv == 0.0) {
        return mean;
    }
    if (cv == 1.0) {
        return -log(0.01) * mean;
    }
    for (int i = 0; i < w->nqcache; i++) {
        if (w->qcache_cv[i] == cv) {
            return w->qcache_q[i] * mean;
        }
    }
    const double q99 = 0.99;
    azb_queue_stage st = {0.0, 0.0, 1.0, cv};
    azb_queue_path p = {&st, 1, 0.0};
    azb_queue_latency lat;
    azb_queue_path_latency(&p, 1, &q99, &lat);
    if (w->nqcache < AZBI_QCACHE) {
        w->qcache_cv[w->nqcache] = cv;
        w->qcache_q[w->nqcache] = lat.t[0];
        w->nqcache++;
    }
    return lat.t[0] * mean;
}

static void quota_node(azbi_model_work *w, const azb_design *d, int u, int nclass,
                       azb_node_result *R)
{
    const azb_node *n = &d->nodes[u];
    const azb_capacity *cap = &n->sku_ref->capacity;
    azbi_mnode *m = &w->mn[u];
    double quota = cap->quota;
    if (cap->quota_setting[0] != '\0') {
        double x = azb_node_setting_num(n, cap->quota_setting, 0.0);
        if (x > 0.0) {
            quota = x * cap->quota_per_unit;
        }
    }
    int count = n->count > 0 ? n->count : 1;
    quota *= (double)count;
    double per_s = m->tokens ? quota / 60.0 : quota;
    double upv = w->vis[u] > 0.0 ? w->units[u] / w->vis[u]
                                 : units_per_visit(m, d, d->workload.nops > 0 ? 0 : -1);
    R->queueing = AZB_QUEUEING_QUOTA;
    R->instances = R->max_instances = count;
    R->queues = 1;
    R->quota_per_s = per_s;
    R->units_per_request = upv;
    R->capacity_rps = upv > 0.0 ? per_s / upv : RATE_MAX;
    R->utilization = R->capacity_rps > 0.0 ? R->rps / R->capacity_rps : 0.0;
    R->saturated = R->utilization >= 1.0;
    m->saturated = R->saturated;
    if (R->saturated) {
        return;
    }
    /* The service alone; an AI node mixes its operations' service times. */
    if (m->opdep && m->opdep_slot >= 0 && w->vis[u] > 0.0) {
        int np = 0;
        for (int k = 0; k < nclass; k++) {
            double x = w->opdep_w[m->opdep_slot * w->cap_ops + k];
            if (x > 0.0) {
                double s = azbi_model_node_service(m, d, d->workload.nops > 0 ? k : -1);
                w->mix_st[np] = (azb_queue_stage){0.0, 0.0, s, m->cv};
                w->mix[np] = (azb_queue_path){&w->mix_st[np], 1, 0.0};
                w->mix_wn[np] = x / w->vis[u];
                np++;
            }
        }
        if (np == 1) {
            R->sojourn_p99_ms = service_p99(w, w->mix_st[0].service_mean, m->cv);
        } else {
            double q99 = 0.99;
            azb_queue_latency lat;
            azb_queue_mix_latency(w->mix, w->mix_wn, np, 1, &q99, &lat);
            R->sojourn_p99_ms = lat.t[0];
        }
    } else {
        R->sojourn_p99_ms = service_p99(w, R->service_ms, m->cv);
    }
    R->sojourn_ms = R->service_ms;
}

static void servers_node(azbi_model_work *w, const azb_design *d, int u, azb_node_result *R)
{
    const azb_node *n = &d->nodes[u];
    azbi_mnode *m = &w->mn[u];
    int k =
        (n->has & AZB_HAS_CONCURRENCY) != 0u ? n->concurrency : n->sku_ref->capacity.concurrency;
    k = k > 0 ? k : 1;
    double s = m->svc_ms;
    int inst = n->count > 0 ? n->count : 1;
    int imax = inst;
    if ((n->has & AZB_HAS_AUTOSCALE) != 0u) {
        imax = n->autoscale.max > 0 ? n->autoscale.max : 1;
        int imin = n->autoscale.min > 1 ? n->autoscale.min : 1;
        double target = n->autoscale.target > 0.0 ? n->autoscale.target : 0.7;
        double need = ceil(R->rps * s / 1000.0 / ((double)k * target) - 1e-9);
        inst = imin;
        if (need > (double)inst) {
            inst = need >= (double)imax ? imax : (int)need;
        }
        if (inst > imax) {
            inst = imax;
        }
    }
    bool pool = inst > 1 && pooled(w, d, u);
    m->queueing = pool ? AZB_QUEUEING_POOLED : AZB_QUEUEING_PER_INSTANCE;
    long long c = pool ? (long long)inst * k : k;
    R->queueing = m->queueing;
    R->instances = inst;
    R->max_instances = imax;
    R->queues = pool ? 1 : inst;
    R->servers_per_queue = c > INT_MAX ? INT_MAX : (int)c;
    long long total = (long long)inst * k;
    R->servers = total > INT_MAX ? INT_MAX : (int)total;
    double per_server = 1000.0 / s;
    R->capacity_rps = (double)imax * (double)k * per_server;
    double now_cap = (double)inst * (double)k * per_server;
    R->utilization = R->rps / now_cap;
    /* rates per ms for the queue */
    double lam = (pool ? R->rps : R->rps / (double)inst) / 1000.0;
    int cq = c > SERVERS_MAX ? SERVERS_MAX : (int)c;
    azb_queue_result q;
    azb_queue_mgc(lam, 1.0 / s, cq, m->cv, &q);
    R->saturated = !q.stable || R->utilization >= 1.0;
    m->saturated = R->saturated;
    if (R->saturated) {
        return;
    }
    m->stage = azb_queue_make_stage(&q);
    m->has_stage = true;
    R->p_wait = q.p_wait;
    R->wait_ms = q.wq;
    R->sojourn_ms = q.w;
    double t = 0.0;
    if (q.p_wait < 1e-12) {
        t = service_p99(w, s, m->cv); /* a wait this rare moves no percentile */
    } else {
        azb_queue_sojourn_quantile(&q, 0.99, &t);
    }
    R->sojourn_p99_ms = t;
}

/* ---- the update ---------------------------------------------------------- */

static void set_op(azbi_model_work *w, const azb_design *d, int op)
{
    for (int j = 0; j < d->nedges; j++) {
        const azb_edge *e = &d->edges[j];
        bool active =
            op < 0 || e->nops == 0 ||
            (w->opmask[(size_t)j * (size_t)w->opbytes + (size_t)(op >> 3)] & (1u << (op & 7))) != 0;
        double p = active ? e->p : 0.0;
        double h = 1.0;
        if (e->on == AZB_ON_HIT) {
            h = w->mn[e->from_idx].hit;
        } else if (e->on == AZB_ON_MISS) {
            h = 1.0 - w->mn[e->from_idx].hit;
        }
        w->p_raw[j] = p;
        w->p_act[j] = p * h;
    }
}

static void build_opmask(azbi_model_work *w, const azb_design *d)
{
    size_t nb = (size_t)w->opbytes;
    memset(w->opmask, 0, (size_t)d->nedges * nb);
    for (int j = 0; j < d->nedges; j++) {
        const azb_edge *e = &d->edges[j];
        for (int i = 0; i < e->nops; i++) {
            for (int k = 0; k < d->workload.nops; k++) {
                if (strcmp(e->ops[i], d->workload.ops[k].name) == 0) {
                    w->opmask[(size_t)j * nb + (size_t)(k >> 3)] |= (unsigned char)(1u << (k & 7));
                    break;
                }
            }
        }
    }
}

static void set_entries(azbi_model_work *w, const azb_design *d)
{
    w->nentries = 0;
    if (d->workload.present && d->workload.entry_idx >= 0) {
        int u = d->workload.entry_idx;
        w->entry[0] = u;
        w->entry_share[0] = 1.0;
        w->entry_geo[0] = w->mn[u].source ? w->mn[u].geo : -1;
        w->nentries = 1;
        return;
    }
    double total = 0.0;
    for (int u = 0; u < d->nnodes; u++) {
        if (w->mn[u].source) {
            double s = fmax(azb_node_setting_num(&d->nodes[u], "share", 1.0), 0.0);
            w->entry[w->nentries] = u;
            w->entry_share[w->nentries] = s;
            w->entry_geo[w->nentries] = w->mn[u].geo;
            w->nentries++;
            total += s;
        }
    }
    for (int i = 0; i < w->nentries; i++) {
        w->entry_share[i] = total > 0.0 ? w->entry_share[i] / total : 1.0 / (double)w->nentries;
    }
}

static void clear(azb_result *r)
{
    r->offered_rps = r->throughput_rps = r->max_throughput_rps = 0.0;
    r->saturated = r->clamped = r->fitted = false;
    r->bottleneck = -1;
    r->latency = (azb_latency){0.0, 0.0, 0.0, 0.0};
    r->network_ms = 0.0;
    r->nnodes = r->nedges = r->nops = 0;
}

static bool model_error(azb_errors *errs, const char *path, const char *msg)
{
    if (errs != NULL) {
        azb_errors_add(errs, false, "", 0, 0, path, "%s", msg);
    }
    return false;
}

/* Front Door and Traffic Manager (performance routing) send each user to
 * the origin with the lowest round trip. Where such a router's sync calls
 * of one kind (always, or on hit, or on miss) go to origins in two or more
 * regions with probabilities adding up to at most 1, they are alternatives:
 * a request whose users' geography is known takes the nearest one with
 * their summed probability. Without a geography the p's stand. */
static void find_routers(azbi_model_work *w, const azb_design *d)
{
    w->nrouters = 0;
    for (int u = 0; u < d->nnodes; u++) {
        unsigned char loc = w->mn[u].loc;
        if (loc != AZBI_LOC_EDGE && loc != AZBI_LOC_DNS) {
            continue;
        }
        int r0 = -1;
        bool multi = false;
        for (int x = w->out_start[u]; x < w->out_start[u + 1] && !multi; x++) {
            const azb_edge *e = &d->edges[w->out_adj[x]];
            int reg = w->mn[e->to_idx].region;
            if (e->mode != AZB_EDGE_SYNC || w->mn[e->to_idx].loc != AZBI_LOC_REGION) {
                continue;
            }
            if (r0 < 0) {
                r0 = reg;
            } else if (reg != r0) {
                multi = true;
            }
        }
        if (multi) {
            w->routers[w->nrouters++] = u;
        }
    }
}

static bool route_candidate(const azbi_model_work *w, const azb_edge *e, int j, azb_edge_on on)
{
    return e->on == on && e->mode == AZB_EDGE_SYNC && w->p_raw[j] > 0.0 && w->calls[j] == 1.0 &&
           w->mn[e->to_idx].loc == AZBI_LOC_REGION;
}

static void route(azbi_model_work *w, const azb_design *d, const azb_catalog *cat, int geo)
{
    if (geo < 0) {
        return;
    }
    for (int i = 0; i < w->nrouters; i++) {
        int u = w->routers[i];
        for (int on = AZB_ON_ALWAYS; on <= AZB_ON_MISS; on++) {
            double sum = 0.0;
            int best = -1;
            double best_rtt = 0.0;
            int r0 = -1;
            bool multi = false;
            for (int x = w->out_start[u]; x < w->out_start[u + 1]; x++) {
                int j = w->out_adj[x];
                const azb_edge *e = &d->edges[j];
                if (!route_candidate(w, e, j, (azb_edge_on)on)) {
                    continue;
                }
                int reg = w->mn[e->to_idx].region;
                double rtt = azb_catalog_client_rtt_ms(cat, geo, reg);
                sum += w->p_raw[j];
                if (best < 0 || rtt < best_rtt) {
                    best = j;
                    best_rtt = rtt;
                }
                multi = multi || (r0 >= 0 && reg != r0);
                r0 = r0 < 0 ? reg : r0;
            }
            if (!multi || sum > 1.0 + 1e-9) {
                continue;
            }
            double h = on == AZB_ON_HIT    ? w->mn[u].hit
                       : on == AZB_ON_MISS ? 1.0 - w->mn[u].hit
                                           : 1.0;
            for (int x = w->out_start[u]; x < w->out_start[u + 1]; x++) {
                int j = w->out_adj[x];
                if (route_candidate(w, &d->edges[j], j, (azb_edge_on)on)) {
                    w->p_raw[j] = j == best ? fmin(sum, 1.0) : 0.0;
                    w->p_act[j] = w->p_raw[j] * h;
                }
            }
        }
    }
}

static bool routing_matters(const azbi_model_work *w)
{
    if (w->nrouters == 0) {
        return false;
    }
    for (int i = 0; i < w->nentries; i++) {
        if (w->entry_geo[i] >= 0) {
            return true;
        }
    }
    return false;
}

/* Pass 1: visits per operation (and per entry when routing depends on
 * where the users are), and what they add up to at nodes and edges. */
static void pass_visits(azbi_model_work *w, const azb_design *d, const azb_catalog *cat, int nclass)
{
    int nops = d->workload.nops;
    bool per_entry = routing_matters(w);
    int ngroups = per_entry ? w->nentries : 1;
    for (int u = 0; u < d->nnodes; u++) {
        w->vis[u] = w->units[u] = w->svc[u] = 0.0;
    }
    for (int j = 0; j < d->nedges; j++) {
        w->erate[j] = 0.0;
    }
    for (int k = 0; k < nclass; k++) {
        int op = nops > 0 ? k : -1;
        double share = nops > 0 ? d->workload.ops[k].share : 1.0;
        for (int u = 0; u < d->nnodes; u++) {
            const azbi_mnode *m = &w->mn[u];
            if (m->opdep_slot >= 0) {
                w->opdep_w[m->opdep_slot * w->cap_ops + k] = 0.0;
            }
        }
        for (int g = 0; g < ngroups; g++) {
            set_op(w, d, op);
            for (int u = 0; u < d->nnodes; u++) {
                w->e[u] = 0.0;
            }
            if (per_entry) {
                route(w, d, cat, w->entry_geo[g]);
                w->e[w->entry[g]] = w->entry_share[g];
            } else {
                for (int i = 0; i < w->nentries; i++) {
                    w->e[w->entry[i]] += w->entry_share[i];
                }
            }
            azbi_model_solve_visits(w, d, w->e, w->v);
            for (int u = 0; u < d->nnodes; u++) {
                const azbi_mnode *m = &w->mn[u];
                double x = share * w->v[u];
                if (x <= 0.0) {
                    continue;
                }
                if (m->opdep_slot >= 0) {
                    w->opdep_w[m->opdep_slot * w->cap_ops + k] += x;
                }
                w->vis[u] += x;
                if (!m->source) {
                    w->units[u] += x * units_per_visit(m, d, op);
                    w->svc[u] += x * azbi_model_node_service(m, d, op);
                }
            }
            for (int j = 0; j < d->nedges; j++) {
                double p = w->p_act[j];
                if (p > 0.0) {
                    w->erate[j] += share * w->v[d->edges[j].from_idx] * p * w->calls[j];
                }
            }
        }
    }
}

static void pass_nodes(azbi_model_work *w, const azb_design *d, azb_result *r, double lambda,
                       int nclass)
{
    double best = 0.0;
    r->bottleneck = -1;
    w->nqcache = 0;
    for (int u = 0; u < d->nnodes; u++) {
        azbi_mnode *m = &w->mn[u];
        azb_node_result *R = &r->nodes[u];
        memset(R, 0, sizeof(*R));
        R->visits = w->vis[u];
        R->rps = lambda * w->vis[u];
        R->queueing = m->queueing;
        m->saturated = false;
        m->has_stage = false;
        if (m->source) {
            continue;
        }
        R->service_ms = w->vis[u] > 0.0 ? w->svc[u] / w->vis[u] : m->svc_ms;
        R->cv = m->cv;
        if (m->queueing == AZB_QUEUEING_QUOTA) {
            quota_node(w, d, u, nclass, R);
        } else {
            servers_node(w, d, u, R);
        }
        if (R->saturated) {
            R->p_wait = 1.0;
            R->wait_ms = AZB_MODEL_MAX_MS;
            R->sojourn_ms = AZB_MODEL_MAX_MS;
            R->sojourn_p99_ms = AZB_MODEL_MAX_MS;
            R->clamped = true;
        }
        if (w->vis[u] > 0.0 && R->capacity_rps > 0.0) {
            double x = R->capacity_rps / w->vis[u];
            if (r->bottleneck < 0 || x < best) {
                best = x;
                r->bottleneck = u;
            }
        }
    }
    r->max_throughput_rps = r->bottleneck >= 0 ? best : 0.0;
}

/* Pass 2: per operation and entry, the latency recursion, the response
 * times and edge round trips it implies, and the paths for percentiles. */
static void pass_latency(azbi_model_work *w, const azb_design *d, const azb_catalog *cat,
                         azb_result *r, int nclass)
{
    int nops = d->workload.nops;
    int total = nclass * w->nentries;
    bool merge = total > AZBI_MIX_PATHS / 2; /* too many: one fitted path per operation */
    w->nmix = 0;
    w->nmix_st = 0;
    for (int u = 0; u < d->nnodes; u++) {
        w->resp_num[u] = w->resp_den[u] = 0.0;
        w->rsat[u] = 0;
    }
    for (int j = 0; j < d->nedges; j++) {
        w->ertt_num[j] = w->ertt_den[j] = 0.0;
    }
    double all_mean = 0.0;
    double all_net = 0.0;
    bool all_sat = false;
    int done = 0;
    for (int k = 0; k < nclass; k++) {
        int op = nops > 0 ? k : -1;
        double share = nops > 0 ? d->workload.ops[k].share : 1.0;
        set_op(w, d, op);
        for (int u = 0; u < d->nnodes; u++) {
            azbi_model_node_cumulants(w, d, u, op, &w->s1[u], &w->s2[u], &w->s3[u]);
        }
        int first = w->nmix;
        double mean = 0.0;
        double net = 0.0;
        double m1 = 0.0;
        double m2 = 0.0;
        double m3 = 0.0;
        bool sat = false;
        bool fitted = merge;
        for (int i = 0; i < w->nentries; i++, done++) {
            int entry = w->entry[i];
            double es = w->entry_share[i];
            if (w->nrouters > 0) {
                set_op(w, d, op);
                route(w, d, cat, w->entry_geo[i]);
            }
            if (w->ngeo_edges > 0) {
                azbi_model_net_geo(w, d, cat, w->entry_geo[i]);
            }
            azbi_model_solve_latency(w, d);
            for (int u = 0; u < d->nnodes; u++) {
                w->e[u] = 0.0;
            }
            w->e[entry] = 1.0;
            azbi_model_solve_visits(w, d, w->e, w->v);
            double wc = share * es;
            for (int u = 0; u < d->nnodes; u++) {
                if (w->v[u] > 0.0) {
                    w->resp_num[u] += wc * w->v[u] * w->t1[u];
                    w->resp_den[u] += wc * w->v[u];
                    w->rsat[u] |= w->tsat[u];
                }
            }
            for (int x = 0; x < w->ngeo_edges; x++) {
                int j = w->geo_edges[x];
                double c = wc * w->v[d->edges[j].from_idx] * w->p_act[j] * w->calls[j];
                w->ertt_num[j] += c * w->rtt_cur[j];
                w->ertt_den[j] += c;
            }
            double k1 = w->t1[entry];
            double k2 = w->t2[entry];
            double k3 = w->t3[entry];
            mean += es * k1;
            net += es * w->tn[entry];
            sat = sat || (w->tsat[entry] && es > 0.0);
            if (merge) {
                m1 += es * k1;
                m2 += es * (k2 + k1 * k1);
                m3 += es * (k3 + 3.0 * k2 * k1 + k1 * k1 * k1);
                continue;
            }
            int room = total - done - 1;
            if (!azbi_model_paths_enum(w, d, entry, op, k, es, room)) {
                fitted = true;
                azbi_model_paths_fit(w, k1, k2, k3, k, es);
            }
        }
        if (merge) {
            double c2 = fmax(m2 - m1 * m1, 0.0);
            double c3 = m3 - 3.0 * m2 * m1 + 2.0 * m1 * m1 * m1;
            azbi_model_paths_fit(w, m1, c2, c3, k, 1.0);
        }
        all_mean += share * mean;
        all_net += share * net;
        all_sat = all_sat || (sat && share > 0.0);
        r->fitted = r->fitted || (fitted && share > 0.0);
        if (nops > 0) {
            azb_op_result *O = &r->ops[k];
            memset(O, 0, sizeof(*O));
            snprintf(O->name, sizeof(O->name), "%s", d->workload.ops[k].name);
            O->share = share;
            O->fitted = fitted;
            int n = w->nmix - first;
            double wsum = 0.0;
            for (int i = first; i < w->nmix; i++) {
                wsum += w->mix_w[i];
            }
            for (int i = first; i < w->nmix; i++) {
                w->mix_wn[i] = wsum > 0.0 ? w->mix_w[i] / wsum : 1.0 / (double)n;
            }
            azbi_model_paths_latency(w, first, n, w->mix_wn, &O->latency);
            O->latency.mean = sat ? AZB_MODEL_MAX_MS : mean;
            O->network_ms = net;
            O->clamped = sat;
        }
    }
    /* All operations and entries together. */
    if (nops == 1) {
        r->latency = r->ops[0].latency;
    } else {
        double wsum = 0.0;
        for (int i = 0; i < w->nmix; i++) {
            int k = w->mix_op[i];
            double share = nops > 0 ? d->workload.ops[k].share : 1.0;
            w->mix_wn[i] = w->mix_w[i] * share;
            wsum += w->mix_wn[i];
        }
        for (int i = 0; i < w->nmix; i++) {
            w->mix_wn[i] = wsum > 0.0 ? w->mix_wn[i] / wsum : 1.0 / (double)w->nmix;
        }
        azbi_model_paths_latency(w, 0, w->nmix, w->mix_wn, &r->latency);
    }
    r->latency.mean = all_sat ? AZB_MODEL_MAX_MS : all_mean;
    r->network_ms = all_net;
    r->clamped = all_sat;
}

static void finish(azbi_model_work *w, const azb_design *d, azb_result *r)
{
    for (int u = 0; u < d->nnodes; u++) {
        azb_node_result *R = &r->nodes[u];
        bool c = R->clamped;
        double resp = w->resp_den[u] > 0.0 ? w->resp_num[u] / w->resp_den[u] : w->t1[u];
        if (w->resp_den[u] > 0.0 ? w->rsat[u] : w->tsat[u]) {
            resp = AZB_MODEL_MAX_MS;
        }
        R->response_ms = fix_ms(resp, &c);
        R->service_ms = fix_ms(R->service_ms, &c);
        R->wait_ms = fix_ms(R->wait_ms, &c);
        R->sojourn_ms = fix_ms(R->sojourn_ms, &c);
        R->sojourn_p99_ms = fix_ms(R->sojourn_p99_ms, &c);
        R->clamped = c;
        R->visits = fix_num(R->visits);
        R->rps = fix_num(R->rps);
        R->cv = fix_num(R->cv);
        R->capacity_rps = fix_num(R->capacity_rps);
        R->utilization = fix_num(R->utilization);
        R->quota_per_s = fix_num(R->quota_per_s);
        R->units_per_request = fix_num(R->units_per_request);
        R->p_wait = fmin(fix_num(R->p_wait), 1.0);
    }
    for (int j = 0; j < d->nedges; j++) {
        azb_edge_result *E = &r->edges[j];
        E->rps = fix_num(r->offered_rps * w->erate[j]);
        double rtt = w->geo_dep[j] && w->ertt_den[j] > 0.0 ? w->ertt_num[j] / w->ertt_den[j]
                                                           : w->rtt_static[j];
        bool c = false;
        E->rtt_ms = fix_ms(rtt, &c);
        E->cross_zone = fmin(fix_num(E->cross_zone), 1.0);
    }
    for (int k = 0; k < r->nops; k++) {
        azb_op_result *O = &r->ops[k];
        bool c = O->clamped;
        O->latency.mean = fix_ms(O->latency.mean, &c);
        O->latency.p50 = fix_ms(O->latency.p50, &c);
        O->latency.p95 = fix_ms(O->latency.p95, &c);
        O->latency.p99 = fix_ms(O->latency.p99, &c);
        O->network_ms = fix_ms(O->network_ms, &c);
        O->clamped = c;
        O->rps = fix_num(r->throughput_rps * O->share);
        O->share = fix_num(O->share);
    }
    bool c = r->clamped;
    r->latency.mean = fix_ms(r->latency.mean, &c);
    r->latency.p50 = fix_ms(r->latency.p50, &c);
    r->latency.p95 = fix_ms(r->latency.p95, &c);
    r->latency.p99 = fix_ms(r->latency.p99, &c);
    r->network_ms = fix_ms(r->network_ms, &c);
    r->clamped = c;
    r->offered_rps = fix_num(r->offered_rps);
    r->throughput_rps = fix_num(r->throughput_rps);
    r->max_throughput_rps = fix_num(r->max_throughput_rps);
}

bool azb_model_update(azb_result *r, const azb_design *d, const azb_catalog *cat,
                      double offered_rps, azb_errors *errs)
{
    assert(r != NULL && r->work != NULL && d != NULL && cat != NULL);
    clear(r);
    for (int u = 0; u < d->nnodes; u++) {
        const azb_node *n = &d->nodes[u];
        if (n->kind_ref == NULL ||
            (n->kind_ref->capacity_model != AZB_CAP_SOURCE && n->sku_ref == NULL)) {
            char path[48];
            snprintf(path, sizeof(path), "nodes[%d]", u);
            return model_error(errs, path,
                               "the node's kind and SKU are not resolved: validate the design "
                               "against the catalog first");
        }
    }
    for (int j = 0; j < d->nedges; j++) {
        const azb_edge *e = &d->edges[j];
        if (e->from_idx < 0 || e->from_idx >= d->nnodes || e->to_idx < 0 ||
            e->to_idx >= d->nnodes) {
            char path[48];
            snprintf(path, sizeof(path), "edges[%d]", j);
            return model_error(errs, path, "the edge's ends are not resolved: validate first");
        }
    }
    if (d->workload.present && d->workload.entry[0] != '\0' &&
        (d->workload.entry_idx < 0 || d->workload.entry_idx >= d->nnodes)) {
        return model_error(errs, "workload.entry", "the entry is not resolved: validate first");
    }
    sizes s = design_sizes(d);
    if (count_entries(d) == 0) {
        return model_error(errs, "workload",
                           "no entry point: set workload.entry or add a clients node");
    }
    if (!ensure(r, s)) {
        return model_error(errs, "", "out of memory");
    }
    azbi_model_work *w = r->work;
    int nclass = s.ops;
    double lambda = offered_rps > 0.0 ? offered_rps : (d->workload.present ? d->workload.rps : 0.0);
    if (!isfinite(lambda) || lambda < 0.0) {
        lambda = 0.0;
    }

    int slot = 0;
    for (int u = 0; u < d->nnodes; u++) {
        node_setup(w, d, cat, u, errs);
        if (w->mn[u].opdep) {
            w->mn[u].opdep_slot = slot++;
        }
    }
    for (int j = 0; j < d->nedges; j++) {
        w->calls[j] = d->edges[j].calls;
    }
    build_opmask(w, d);
    azbi_model_graph_build(w, d);
    azbi_model_net_static(w, d, cat, r->edges);
    set_entries(w, d);
    r->nnodes = d->nnodes;
    r->nedges = d->nedges;
    r->nops = d->workload.nops;
    r->offered_rps = lambda;

    find_routers(w, d);
    pass_visits(w, d, cat, nclass);
    pass_nodes(w, d, r, lambda, nclass);
    r->saturated = r->bottleneck >= 0 && lambda >= r->max_throughput_rps;
    r->throughput_rps = r->saturated ? r->max_throughput_rps : lambda;
    pass_latency(w, d, cat, r, nclass);
    finish(w, d, r);
    return true;
}
