#include "azb_sim.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "azb_rng.h"
#include "azbi_events.h"

enum { EV_EXTERNAL = 1, EV_ARRIVE, EV_DONE, EV_QUOTA_DONE };
enum { K_SOURCE, K_QUEUE, K_QUOTA };

typedef struct frame {
    double t_arrive; /* at this node */
    int32_t node;
    int32_t edge;       /* next out-edge (index into the node's list) */
    int32_t calls_left; /* of the current edge; -1 = not drawn yet */
    int32_t hit;
} frame;

typedef struct req {
    double arrival;
    int32_t depth;
    uint32_t next_free;
    bool root;
    bool warm; /* arrived after warm-up: counts in the figures */
    frame stack[AZB_SIM_MAX_DEPTH];
} req;

typedef struct fifo {
    uint32_t *buf;
    uint32_t cap, head, len;
} fifo;

typedef struct squeue {
    int node;
    int k;
    int busy;
    double last_t;
    double busy_area;
    fifo wait;
} squeue;

typedef struct sedge {
    int to;
    double p;
    double calls;
    double rtt_ms;
    azb_edge_mode mode;
    azb_edge_on on;
} sedge;

typedef struct snode {
    int kind;
    int q0, nq;
    int rr;
    azb_dist dist;
    double svc_ms, cv;
    double hit;
    bool has_on;
    double cap_per_ms, bucket, bucket_max, bucket_t;
    int e0, ne; /* into sim.out */
    int n_in;
    double last_t, in_area;
    uint64_t visits, throttled, admitted;
    azb_rng rng;
    azb_hist soj;
} snode;

typedef struct sim {
    azbi_events ev;
    snode *nodes;
    int nnodes;
    squeue *queues;
    int nqueues;
    sedge *out;
    req *pool;
    uint32_t pool_cap, free_head;
    int *entry;
    double *entry_cum;
    int nentries;
    azb_rng r_arr, r_entry, r_route, r_bal;
    double rate_per_ms;
    bool warm;
    double t_warm;
    uint64_t done_warmup, completed, throttled, truncated, warmup;
    azb_hist *lat;
    bool oom;
} sim;

static void err(azb_errors *errs, const char *msg)
{
    if (errs != NULL) {
        azb_errors_add(errs, false, NULL, 0, 0, "", "sim: %s", msg);
    }
}

static bool fifo_push(fifo *f, uint32_t v)
{
    if (f->len == f->cap) {
        uint32_t ncap = f->cap == 0u ? 16u : f->cap * 2u;
        uint32_t *nb = malloc(sizeof(uint32_t) * ncap);
        if (nb == NULL) {
            return false;
        }
        for (uint32_t i = 0; i < f->len; i++) {
            nb[i] = f->buf[(f->head + i) % f->cap];
        }
        free(f->buf);
        f->buf = nb;
        f->cap = ncap;
        f->head = 0;
    }
    f->buf[(f->head + f->len) % f->cap] = v;
    f->len++;
    return true;
}

static uint32_t fifo_pop(fifo *f)
{
    uint32_t v = f->buf[f->head];
    f->head = (f->head + 1u) % f->cap;
    f->len--;
    return v;
}

static uint32_t req_alloc(sim *s)
{
    if (s->free_head == UINT32_MAX) {
        uint32_t ncap = s->pool_cap == 0u ? 256u : s->pool_cap * 2u;
        req *np = realloc(s->pool, sizeof(req) * ncap);
        if (np == NULL) {
            s->oom = true;
            return UINT32_MAX;
        }
        s->pool = np;
        for (uint32_t i = ncap; i > s->pool_cap; i--) {
            s->pool[i - 1u].next_free = s->free_head;
            s->free_head = i - 1u;
        }
        s->pool_cap = ncap;
    }
    uint32_t id = s->free_head;
    s->free_head = s->pool[id].next_free;
    return id;
}

static void req_free(sim *s, uint32_t id)
{
    s->pool[id].next_free = s->free_head;
    s->free_head = id;
}

static void push(sim *s, double t, int kind, int target, uint64_t arg)
{
    if (!azbi_events_push(&s->ev, t, kind, target, arg, NULL)) {
        s->oom = true;
    }
}

/* Integrate the time-weighted counts up to `now`; nothing before warm-up. */
static void node_tick(sim *s, snode *n, double now)
{
    if (s->warm) {
        n->in_area += (double)n->n_in * (now - n->last_t);
    }
    n->last_t = now;
}

static void queue_tick(sim *s, squeue *q, double now)
{
    if (s->warm) {
        q->busy_area += (double)q->busy * (now - q->last_t);
    }
    q->last_t = now;
}

static double draw_service(snode *n)
{
    switch (n->dist) {
    case AZB_DIST_DET:
        return n->svc_ms;
    case AZB_DIST_LOGNORMAL:
        return n->cv > 0.0 ? azb_rng_lognormal(&n->rng, n->svc_ms, n->cv) : n->svc_ms;
    default:
        return azb_rng_exp(&n->rng, 1.0 / n->svc_ms);
    }
}

static void start_service(sim *s, int qi, uint32_t id, double now)
{
    squeue *q = &s->queues[qi];
    queue_tick(s, q, now);
    q->busy++;
    push(s, now + draw_service(&s->nodes[q->node]), EV_DONE, qi, id);
}

static void proceed(sim *s, uint32_t id, double now);

static void fail_request(sim *s, uint32_t id)
{
    req *r = &s->pool[id];
    if (r->root && r->warm && s->warm) {
        s->throttled++;
    }
    req_free(s, id);
}

/* Request `id` arrives at node u. */
static void visit(sim *s, uint32_t id, int u, double now)
{
    req *r = &s->pool[id];
    snode *n = &s->nodes[u];
    frame *f = &r->stack[r->depth++];
    f->t_arrive = now;
    f->node = u;
    f->edge = 0;
    f->calls_left = -1;
    f->hit = 0;
    if (s->warm) {
        n->visits++;
    }
    if (n->kind == K_SOURCE) {
        proceed(s, id, now);
        return;
    }
    if (n->kind == K_QUOTA) {
        n->bucket = fmin(n->bucket_max, n->bucket + (now - n->bucket_t) * n->cap_per_ms);
        n->bucket_t = now;
        if (n->bucket < 1.0) {
            if (s->warm) {
                n->throttled++;
            }
            fail_request(s, id);
            return;
        }
        n->bucket -= 1.0;
        if (s->warm) {
            n->admitted++;
        }
        node_tick(s, n, now);
        n->n_in++;
        push(s, now + n->svc_ms, EV_QUOTA_DONE, u, id);
        return;
    }
    node_tick(s, n, now);
    n->n_in++;
    int qi = n->q0;
    if (n->nq > 1) {
        if (n->rr >= 0) {
            qi += n->rr;
            n->rr = (n->rr + 1) % n->nq;
        } else {
            qi += (int)azb_rng_below(&s->r_bal, (uint64_t)n->nq);
        }
    }
    squeue *q = &s->queues[qi];
    if (q->busy < q->k) {
        start_service(s, qi, id, now);
    } else if (!fifo_push(&q->wait, id)) {
        s->oom = true;
    }
}

/* The visit on top of request id's stack has been served. */
static void served(sim *s, uint32_t id, double now)
{
    req *r = &s->pool[id];
    frame *f = &r->stack[r->depth - 1];
    snode *n = &s->nodes[f->node];
    node_tick(s, n, now);
    n->n_in--;
    if (s->warm) {
        azb_hist_record(&n->soj, now - f->t_arrive);
    }
    if (n->has_on) {
        f->hit = azb_rng_uniform(&s->r_route) < n->hit ? 1 : 0;
    }
    proceed(s, id, now);
}

static void finish_root(sim *s, uint32_t id, double now)
{
    req *r = &s->pool[id];
    if (!s->warm) {
        s->done_warmup++;
        if (s->done_warmup >= s->warmup) {
            s->warm = true;
            s->t_warm = now;
            for (int i = 0; i < s->nnodes; i++) {
                s->nodes[i].last_t = now;
            }
            for (int i = 0; i < s->nqueues; i++) {
                s->queues[i].last_t = now;
            }
        }
    } else {
        azb_hist_record(s->lat, now - r->arrival);
        s->completed++;
    }
}

static int draw_calls(sim *s, const sedge *e, int hit)
{
    if (e->on == AZB_ON_HIT && hit == 0) {
        return 0;
    }
    if (e->on == AZB_ON_MISS && hit != 0) {
        return 0;
    }
    if (e->p < 1.0 && azb_rng_uniform(&s->r_route) >= e->p) {
        return 0;
    }
    double whole = floor(e->calls);
    int c = (int)whole;
    if (e->calls > whole && azb_rng_uniform(&s->r_route) < e->calls - whole) {
        c++;
    }
    return c;
}

/* Go on with request id's calls from its top frame, until it waits or ends. */
static void proceed(sim *s, uint32_t id, double now)
{
    for (;;) {
        req *r = &s->pool[id];
        frame *f = &r->stack[r->depth - 1];
        snode *n = &s->nodes[f->node];
        while (f->edge < n->ne) {
            const sedge *e = &s->out[n->e0 + f->edge];
            if (f->calls_left < 0) {
                f->calls_left = draw_calls(s, e, f->hit);
            }
            if (f->calls_left == 0) {
                f->edge++;
                f->calls_left = -1;
                continue;
            }
            if (e->mode == AZB_EDGE_ASYNC) {
                int c = f->calls_left;
                f->edge++;
                f->calls_left = -1;
                for (int i = 0; i < c; i++) {
                    uint32_t child = req_alloc(s);
                    if (child == UINT32_MAX) {
                        return;
                    }
                    /* the pool may have moved */
                    r = &s->pool[id];
                    f = &r->stack[r->depth - 1];
                    req *ch = &s->pool[child];
                    ch->arrival = now;
                    ch->depth = 0;
                    ch->root = false;
                    ch->warm = s->warm;
                    push(s, now + e->rtt_ms, EV_ARRIVE, e->to, child);
                }
                continue;
            }
            f->calls_left--;
            int to = e->to;
            double rtt = e->rtt_ms;
            if (f->calls_left == 0) {
                f->edge++;
                f->calls_left = -1;
            }
            if (r->depth >= AZB_SIM_MAX_DEPTH) {
                s->truncated++;
                continue;
            }
            push(s, now + rtt, EV_ARRIVE, to, id);
            return;
        }
        r->depth--;
        if (r->depth == 0) {
            if (r->root) {
                finish_root(s, id, now);
            }
            req_free(s, id);
            return;
        }
    }
}

static void sim_free(sim *s)
{
    azbi_events_free(&s->ev);
    for (int i = 0; i < s->nqueues; i++) {
        free(s->queues[i].wait.buf);
    }
    free(s->queues);
    free(s->nodes);
    free(s->out);
    free(s->pool);
    free(s->entry);
    free(s->entry_cum);
    azb_hist_destroy(s->lat);
}

static bool setup(sim *s, const azb_design *d, const azb_result *m, const azb_sim_config *cfg,
                  azb_errors *errs)
{
    s->free_head = UINT32_MAX;
    s->nnodes = d->nnodes;
    s->nodes = calloc((size_t)d->nnodes + 1u, sizeof(snode));
    s->out = calloc((size_t)d->nedges + 1u, sizeof(sedge));
    s->entry = calloc((size_t)d->nnodes + 1u, sizeof(int));
    s->entry_cum = calloc((size_t)d->nnodes + 1u, sizeof(double));
    s->lat = azb_hist_create();
    if (s->nodes == NULL || s->out == NULL || s->entry == NULL || s->entry_cum == NULL ||
        s->lat == NULL) {
        err(errs, "out of memory");
        return false;
    }
    int nq = 0;
    for (int u = 0; u < d->nnodes; u++) {
        const azb_node_result *mn = &m->nodes[u];
        if (mn->queueing == AZB_QUEUEING_PER_INSTANCE || mn->queueing == AZB_QUEUEING_POOLED) {
            nq += mn->queues > 0 ? mn->queues : 1;
        }
    }
    s->queues = calloc((size_t)nq + 1u, sizeof(squeue));
    if (s->queues == NULL) {
        err(errs, "out of memory");
        return false;
    }
    /* out-edges grouped by caller, each group in design order */
    int at = 0;
    for (int u = 0; u < d->nnodes; u++) {
        snode *n = &s->nodes[u];
        const azb_node_result *mn = &m->nodes[u];
        const azb_node *dn = &d->nodes[u];
        const azb_capacity *cap = dn->sku_ref != NULL ? &dn->sku_ref->capacity : NULL;
        azb_rng_seed(&n->rng, cfg->seed, 100u + (uint64_t)u);
        azb_hist_reset(&n->soj);
        n->svc_ms = mn->service_ms;
        n->cv = mn->cv;
        n->dist = (dn->has & AZB_HAS_SERVICE_DIST) != 0u ? dn->service_dist
                                                         : (cap != NULL ? cap->dist : AZB_DIST_EXP);
        n->hit = fmin(fmax(azb_node_setting_num(dn, "hit_ratio", 0.0), 0.0), 1.0);
        n->rr = dn->balancing == AZB_BAL_ROUND_ROBIN ? 0 : -1;
        if (mn->queueing == AZB_QUEUEING_SOURCE) {
            n->kind = K_SOURCE;
        } else if (mn->queueing == AZB_QUEUEING_QUOTA) {
            n->kind = K_QUOTA;
            n->cap_per_ms = mn->capacity_rps / 1000.0;
            n->bucket_max = fmax(1.0, mn->capacity_rps);
            n->bucket = n->bucket_max;
            if (!(n->cap_per_ms > 0.0)) {
                err(errs, "a quota node has no capacity");
                return false;
            }
        } else {
            n->kind = K_QUEUE;
            n->q0 = s->nqueues;
            n->nq = mn->queues > 0 ? mn->queues : 1;
            int k = mn->servers_per_queue > 0 ? mn->servers_per_queue : 1;
            for (int i = 0; i < n->nq; i++) {
                s->queues[s->nqueues].node = u;
                s->queues[s->nqueues].k = k;
                s->nqueues++;
            }
        }
        if (n->kind != K_SOURCE && !(n->svc_ms > 0.0)) {
            n->svc_ms = 0.0;
            if (n->kind == K_QUEUE) {
                n->dist = AZB_DIST_DET;
            }
        }
        n->e0 = at;
        for (int j = 0; j < d->nedges; j++) {
            const azb_edge *de = &d->edges[j];
            if (de->from_idx != u || de->to_idx < 0) {
                continue;
            }
            sedge *e = &s->out[at++];
            e->to = de->to_idx;
            e->p = de->p;
            e->calls = de->calls;
            e->mode = de->mode;
            e->on = de->on;
            e->rtt_ms = m->edges[j].rtt_ms;
            if (e->on != AZB_ON_ALWAYS) {
                n->has_on = true;
            }
        }
        n->ne = at - n->e0;
    }
    if (d->workload.present && d->workload.entry_idx >= 0) {
        s->entry[0] = d->workload.entry_idx;
        s->entry_cum[0] = 1.0;
        s->nentries = 1;
    } else {
        double total = 0.0;
        for (int u = 0; u < d->nnodes; u++) {
            if (m->nodes[u].queueing == AZB_QUEUEING_SOURCE) {
                total += fmax(azb_node_setting_num(&d->nodes[u], "share", 1.0), 0.0);
                s->entry[s->nentries] = u;
                s->entry_cum[s->nentries] = total;
                s->nentries++;
            }
        }
        for (int i = 0; i < s->nentries; i++) {
            s->entry_cum[i] =
                total > 0.0 ? s->entry_cum[i] / total : (double)(i + 1) / (double)s->nentries;
        }
    }
    if (s->nentries == 0) {
        err(errs, "no entry point: set workload.entry or add a clients node");
        return false;
    }
    double rps = cfg->offered_rps > 0.0
                     ? cfg->offered_rps
                     : (d->workload.rps > 0.0 ? d->workload.rps : m->offered_rps);
    if (!(rps > 0.0) || !isfinite(rps)) {
        err(errs, "no offered load");
        return false;
    }
    s->rate_per_ms = rps / 1000.0;
    azb_rng_seed(&s->r_arr, cfg->seed, 0u);
    azb_rng_seed(&s->r_entry, cfg->seed, 1u);
    azb_rng_seed(&s->r_route, cfg->seed, 2u);
    azb_rng_seed(&s->r_bal, cfg->seed, 3u);
    s->warmup = cfg->warmup_requests;
    s->warm = s->warmup == 0u;
    if (!azbi_events_reserve(&s->ev, 1024u)) {
        err(errs, "out of memory");
        return false;
    }
    return true;
}

static void external(sim *s, double now)
{
    int u = s->entry[0];
    if (s->nentries > 1) {
        double x = azb_rng_uniform(&s->r_entry);
        int i = 0;
        while (i < s->nentries - 1 && x >= s->entry_cum[i]) {
            i++;
        }
        u = s->entry[i];
    }
    push(s, now + azb_rng_exp(&s->r_arr, s->rate_per_ms), EV_EXTERNAL, 0, 0);
    uint32_t id = req_alloc(s);
    if (id == UINT32_MAX) {
        return;
    }
    req *r = &s->pool[id];
    r->arrival = now;
    r->depth = 0;
    r->root = true;
    r->warm = s->warm;
    visit(s, id, u, now);
}

bool azb_sim_run(const azb_design *d, const azb_catalog *cat, const azb_result *model,
                 const azb_sim_config *config, azb_sim_result *out, azb_errors *errs)
{
    assert(d != NULL && cat != NULL && model != NULL && config != NULL && out != NULL);
    memset(out, 0, sizeof(*out));
    out->seed = config->seed;
    if (model->nnodes != d->nnodes || model->nedges != d->nedges || model->nodes == NULL) {
        err(errs, "the model result does not match the design (run azb_model_run on it)");
        return false;
    }
    if (config->requests == 0u && !(config->duration_s > 0.0 && isfinite(config->duration_s))) {
        err(errs, "set requests or duration_s");
        return false;
    }
    sim s;
    memset(&s, 0, sizeof(s));
    azbi_events_init(&s.ev);
    if (!setup(&s, d, model, config, errs)) {
        sim_free(&s);
        return false;
    }
    double end_ms = config->duration_s * 1000.0;
    double now = 0.0;
    push(&s, azb_rng_exp(&s.r_arr, s.rate_per_ms), EV_EXTERNAL, 0, 0);
    uint64_t events = 0;
    azbi_event ev;
    for (;;) {
        if (s.oom) {
            err(errs, "out of memory");
            sim_free(&s);
            return false;
        }
        if (config->requests > 0u ? s.completed >= config->requests
                                  : (s.warm && azbi_events_size(&s.ev) > 0u &&
                                     azbi_events_peek(&s.ev, &ev) && ev.time > s.t_warm + end_ms)) {
            if (config->requests == 0u) {
                now = s.t_warm + end_ms;
            }
            break;
        }
        if ((events & 4095u) == 0u && config->cancel != NULL && *config->cancel != 0) {
            out->cancelled = true;
            break;
        }
        if ((events & 65535u) == 0u && events > 0u && config->progress != NULL) {
            double frac = 0.0;
            if (s.warm) {
                frac = config->requests > 0u ? (double)s.completed / (double)config->requests
                                             : (now - s.t_warm) / end_ms;
            }
            config->progress(config->user, fmin(fmax(frac, 0.0), 1.0));
        }
        if (!azbi_events_pop(&s.ev, &ev)) {
            break;
        }
        events++;
        now = ev.time;
        switch (ev.kind) {
        case EV_EXTERNAL:
            external(&s, now);
            break;
        case EV_ARRIVE:
            visit(&s, (uint32_t)ev.arg, ev.target, now);
            break;
        case EV_DONE: {
            squeue *q = &s.queues[ev.target];
            queue_tick(&s, q, now);
            q->busy--;
            if (q->wait.len > 0u) {
                start_service(&s, ev.target, fifo_pop(&q->wait), now);
            }
            served(&s, (uint32_t)ev.arg, now);
            break;
        }
        case EV_QUOTA_DONE:
            served(&s, (uint32_t)ev.arg, now);
            break;
        default:
            assert(0 && "unknown event");
            break;
        }
    }
    double window_ms = s.warm ? now - s.t_warm : 0.0;
    double window_s = window_ms / 1000.0;
    out->nodes = calloc((size_t)d->nnodes + 1u, sizeof(azb_sim_node));
    if (out->nodes == NULL) {
        err(errs, "out of memory");
        sim_free(&s);
        return false;
    }
    for (int i = 0; i < s.nqueues; i++) {
        queue_tick(&s, &s.queues[i], now);
    }
    for (int u = 0; u < d->nnodes; u++) {
        snode *n = &s.nodes[u];
        azb_sim_node *o = &out->nodes[u];
        node_tick(&s, n, now);
        o->visits = n->visits;
        o->throttled = n->throttled;
        o->sojourn_mean_ms = azb_hist_mean(&n->soj);
        o->sojourn_p99_ms = azb_hist_quantile(&n->soj, 0.99);
        if (window_ms > 0.0) {
            o->rps = (double)n->visits / window_s;
            o->in_system = n->in_area / window_ms;
            if (n->kind == K_QUEUE) {
                double area = 0.0;
                int servers = 0;
                for (int i = n->q0; i < n->q0 + n->nq; i++) {
                    area += s.queues[i].busy_area;
                    servers += s.queues[i].k;
                }
                o->utilization = area / ((double)servers * window_ms);
            } else if (n->kind == K_QUOTA) {
                o->utilization = (double)n->admitted / (n->cap_per_ms * window_ms);
            }
        }
    }
    out->nnodes = d->nnodes;
    out->latency_hist = s.lat;
    s.lat = NULL;
    const azb_hist *h = out->latency_hist;
    out->latency.mean = azb_hist_mean(h);
    out->latency.p50 = azb_hist_quantile(h, 0.5);
    out->latency.p95 = azb_hist_quantile(h, 0.95);
    out->latency.p99 = azb_hist_quantile(h, 0.99);
    out->latency.p999 = azb_hist_quantile(h, 0.999);
    out->latency.max = azb_hist_max(h);
    out->completed = s.completed;
    out->throttled = s.throttled;
    out->truncated = s.truncated;
    out->events = events;
    out->sim_seconds = window_s;
    out->throughput_rps = window_s > 0.0 ? (double)s.completed / window_s : 0.0;
    sim_free(&s);
    return true;
}

void azb_sim_result_free(azb_sim_result *r)
{
    if (r == NULL) {
        return;
    }
    free(r->nodes);
    azb_hist_destroy(r->latency_hist);
    memset(r, 0, sizeof(*r));
}
