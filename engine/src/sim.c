#include "azb_sim.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "azb_rng.h"
#include "azbi_events.h"

enum {
    EV_EXTERNAL = 1,
    EV_ARRIVE,
    EV_DONE,
    EV_QUOTA_DONE,
    EV_TIMEOUT,
    EV_RETRY,
    EV_FAIL,      /* a failure starts or ends, or a geo failover completes */
    EV_SEEN,      /* a balancer's view of an instance catches up */
    EV_SEEN_NODE, /* the same for a node without instances */
    EV_SCALE,
    EV_READY
};
enum { K_SOURCE, K_QUEUE, K_QUOTA };
enum { ST_FREE, ST_WALK, ST_TRANSIT, ST_QUEUED, ST_SERVICE, ST_QUOTA, ST_WAIT, ST_BACKOFF };
enum { ERR_DROPPED, ERR_TIMEOUT, ERR_THROTTLED, ERR_FAILED, ERR_COUNT };

#define NONE UINT32_MAX
/* Fallbacks when a kind has no "sim" figure (docs/models.md, Simulator). */
#define DEFAULT_PROBE_S 10.0
#define DEFAULT_SCALE_S 60.0
#define DEFAULT_PROVISION_S 60.0

/* One visit in progress: a request at one node. A sync call spawns a child
 * visit and the caller waits for it (so a caller that gives up at a timeout
 * leaves the child running, as a real server would). */
typedef struct req {
    double t_node; /* arrival at its node */
    double t_root; /* root: arrival in the design */
    uint64_t hash; /* of the root request's id, inherited */
    azbi_event_id tmo;
    azbi_event_id done;
    uint32_t gen;
    uint32_t next_free;
    uint32_t parent; /* NONE: a root or an async request */
    uint32_t pgen;
    uint32_t ptoken;
    uint32_t token; /* of the call it waits for; a stale answer is ignored */
    int32_t node;
    int32_t inst;
    int32_t edge;       /* next out-edge (index into the node's list) */
    int32_t calls_left; /* of that edge; -1 = not drawn yet */
    int32_t cur_edge;   /* the sync call it waits for (index into sim.out) */
    int16_t depth;
    uint8_t state;
    uint8_t hit;
    uint8_t attempt;
    uint8_t cls;
    uint8_t geo1;  /* the root's users' geography + 1; 0: unknown */
    int32_t alt1;  /* routers: the origin call chosen + 1; 0: not drawn; -1: none */
    bool root;
    bool warm;
} req;

typedef struct fifo {
    uint32_t *buf;
    uint32_t cap, head, len;
} fifo;

typedef struct sinst {
    int node;
    int k;
    int busy;
    int n_in;
    int zone;     /* 0: unknown */
    bool up;      /* alive */
    bool seen_up; /* what its balancer believes */
    bool active;  /* provisioned and taking visits */
    bool provisioning;
    double changed_t; /* last up/down change */
    double ready_t;   /* services wait until then (cold start) */
    fifo wait;
} sinst;

typedef struct sedge {
    int from, to;
    int design;
    double p, calls, rtt_ms;
    double extra_ms, loss; /* from edge failures */
    double timeout_ms, backoff_ms, backoff_mult;
    int retries;
    bool jitter;
    bool alt; /* one of a router's alternative origins (see pick_origin) */
    azb_edge_mode mode;
    azb_edge_on on;
    int carry; /* offset into sim.carry (ncls flags), or -1: every class */
} sedge;

typedef struct snode {
    int kind;
    int i0, ni; /* instances held (active or not) */
    int *cand;  /* instances a balancer sends to: active and believed up */
    int ncand;
    int active, pending;
    int live; /* active and up: the capacity utilisation is measured against */
    int k;
    azb_balancing bal;
    uint32_t rr;
    bool router; /* front_door, traffic_manager: route around a target seen down */
    double alt_p; /* routers: the summed p of their alternative origins */
    int ugeo;     /* clients: their geography, -1 when unknown */
    azb_dist dist;
    double svc_ms, cv, slow;
    double hit, flush_at, flush_warm;
    bool flushing, has_on;
    double cap_per_ms, cut, bucket, bucket_max, bucket_t;
    /* quota: tokens a visit of each class takes (a read, a write, in units
     * of the model's mixed visit), NULL when every visit takes one */
    double *cls_tokens;
    double win_tokens, sec_tokens;
    bool down, seen_down;
    double down_t;
    int queue_limit; /* -1: unbounded */
    double probe_ms, probe_up_ms, failover_ms;
    bool geo, zone_redundant;
    int region;
    int nzones;
    int zones[AZB_DESIGN_MAX_ZONES];
    bool autoscale;
    int as_min, as_max;
    double as_target, as_interval_ms, provision_ms, cold_ms;
    int busy_total;
    double busy_t, as_busy, as_cap, sec_busy, sec_cap, win_busy, win_cap;
    int e0, ne;
    int n_in;
    double last_t, in_area;
    uint64_t visits, throttled, admitted, dropped, failed;
    azb_rng rng;
    azb_hist *soj; /* allocated on the first measured visit */
} snode;

typedef struct sim {
    azbi_events ev;
    const azb_design *d;
    const azb_catalog *cat;
    const azb_scenario *sc;
    snode *nodes;
    int nnodes;
    sinst *inst;
    int ninst;
    int *cand_buf;
    sedge *out;
    int nout;
    uint8_t *carry;
    int ncls;
    double *cls_cum;
    bool *cls_write;
    req *pool;
    uint32_t pool_cap, free_head;
    int *entry;
    double *entry_cum;
    int nentries;
    int *fail_node, *fail_region, *fail_from, *fail_to;
    azb_rng r_arr, r_entry, r_route, r_bal, r_loss, r_retry, r_cls;
    double rate_per_ms; /* the Poisson (or thinning) rate */
    double end_ms;      /* scenario end; 0 without */
    uint64_t root_seq;
    bool warm;
    double t_warm;
    uint64_t done_warmup, warmup;
    uint64_t completed, offered, err[ERR_COUNT], retries, timed_out, truncated;
    uint64_t failed_roots; /* measured root requests that failed, any cause */
    azb_hist *lat;
    /* time series */
    bool ts;
    azb_hist *sec_hist;
    double sec_start;
    uint32_t sec_offered, sec_served, sec_err[ERR_COUNT], sec_retries;
    azb_sim_second *rows;
    azb_sim_second_node *row_nodes;
    int nrows, cap_rows;
    void (*on_second)(void *user, const azb_sim_second *row);
    void *user;
    bool oom;
    bool overload; /* AZB_SIM_MAX_IN_FLIGHT visits in flight */
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
    if (s->free_head == NONE) {
        if (s->pool_cap >= AZB_SIM_MAX_IN_FLIGHT) {
            s->overload = true;
            return NONE;
        }
        uint32_t ncap = s->pool_cap == 0u ? 256u : s->pool_cap * 2u;
        req *np = realloc(s->pool, sizeof(req) * ncap);
        if (np == NULL) {
            s->oom = true;
            return NONE;
        }
        s->pool = np;
        memset(&s->pool[s->pool_cap], 0, sizeof(req) * (ncap - s->pool_cap));
        for (uint32_t i = ncap; i > s->pool_cap; i--) {
            s->pool[i - 1u].next_free = s->free_head;
            s->free_head = i - 1u;
        }
        s->pool_cap = ncap;
    }
    uint32_t id = s->free_head;
    req *r = &s->pool[id];
    s->free_head = r->next_free;
    uint32_t gen = r->gen + 1u;
    memset(r, 0, sizeof(*r));
    r->gen = gen;
    r->parent = NONE;
    r->inst = -1;
    r->state = ST_TRANSIT;
    return id;
}

static void req_free(sim *s, uint32_t id)
{
    req *r = &s->pool[id];
    r->state = ST_FREE;
    r->next_free = s->free_head;
    s->free_head = id;
}

static azbi_event_id push(sim *s, double t, int kind, int target, uint64_t arg)
{
    azbi_event_id id = 0;
    if (!azbi_events_push(&s->ev, t, kind, target, arg, &id)) {
        s->oom = true;
    }
    return id;
}

static uint64_t mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* ---- time-weighted counts ---- */

static void node_tick(sim *s, snode *n, double now)
{
    if (s->warm) {
        n->in_area += (double)n->n_in * (now - n->last_t);
    }
    n->last_t = now;
}

/* Busy server time and available server time, for utilisation: the
 * window's, the current second's and the autoscaler's interval. */
static void busy_tick(sim *s, snode *n, double now)
{
    double dt = now - n->busy_t;
    if (dt > 0.0) {
        double b = (double)n->busy_total * dt;
        double c = (double)n->live * (double)n->k * dt;
        n->as_busy += b;
        n->as_cap += c;
        n->sec_busy += b;
        n->sec_cap += c;
        if (s->warm) {
            n->win_busy += b;
            n->win_cap += c;
        }
    }
    n->busy_t = now;
}

/* Call busy_tick(n) first: this changes the capacity it integrates. */
static void rebuild_cand(sim *s, snode *n)
{
    n->ncand = 0;
    n->live = 0;
    for (int i = n->i0; i < n->i0 + n->ni; i++) {
        const sinst *in = &s->inst[i];
        if (in->active && in->seen_up) {
            n->cand[n->ncand++] = i;
        }
        n->live += (in->active && in->up) ? 1 : 0;
    }
}

static bool seen_down(const sim *s, int u)
{
    const snode *n = &s->nodes[u];
    if (n->kind == K_QUEUE) {
        return n->ncand == 0;
    }
    return n->seen_down;
}

/* ---- time series ---- */

static bool close_second(sim *s, double end)
{
    if (s->nrows == s->cap_rows) {
        int ncap = s->cap_rows == 0 ? 64 : s->cap_rows * 2;
        azb_sim_second *nr = realloc(s->rows, sizeof(*nr) * (size_t)ncap);
        if (nr == NULL) {
            return false;
        }
        s->rows = nr;
        azb_sim_second_node *nn =
            realloc(s->row_nodes, sizeof(*nn) * (size_t)ncap * (size_t)(s->nnodes + 1));
        if (nn == NULL) {
            return false;
        }
        s->row_nodes = nn;
        s->cap_rows = ncap;
    }
    azb_sim_second *row = &s->rows[s->nrows];
    memset(row, 0, sizeof(*row));
    row->t_s = s->sec_start / 1000.0;
    row->offered = s->sec_offered;
    row->served = s->sec_served;
    row->dropped = s->sec_err[ERR_DROPPED];
    row->timeouts = s->sec_err[ERR_TIMEOUT];
    row->throttled = s->sec_err[ERR_THROTTLED];
    row->failed = s->sec_err[ERR_FAILED];
    row->retries = s->sec_retries;
    row->p50_ms = azb_hist_quantile(s->sec_hist, 0.5);
    row->p99_ms = azb_hist_quantile(s->sec_hist, 0.99);
    azb_sim_second_node *rn = &s->row_nodes[(size_t)s->nrows * (size_t)(s->nnodes + 1)];
    for (int u = 0; u < s->nnodes; u++) {
        snode *n = &s->nodes[u];
        double util = 0.0;
        if (n->kind == K_QUEUE) {
            busy_tick(s, n, end);
            util = n->sec_cap > 0.0 ? n->sec_busy / n->sec_cap : 0.0;
        } else if (n->kind == K_QUOTA) {
            double cap = n->cap_per_ms * n->cut * (end - s->sec_start);
            util = cap > 0.0 ? n->sec_tokens / cap : 0.0;
        }
        rn[u].instances = n->kind == K_QUEUE ? n->active : 0;
        rn[u].utilization = (float)util;
        n->sec_busy = 0.0;
        n->sec_cap = 0.0;
        n->sec_tokens = 0.0;
    }
    if (s->on_second != NULL) {
        row->nodes = rn; /* valid during the call: the block may move later */
        s->on_second(s->user, row);
    }
    s->nrows++;
    s->sec_offered = 0;
    s->sec_served = 0;
    memset(s->sec_err, 0, sizeof(s->sec_err));
    s->sec_retries = 0;
    azb_hist_reset(s->sec_hist);
    s->sec_start = end;
    return true;
}

static void advance_seconds(sim *s, double now)
{
    while (s->ts && now >= s->sec_start + 1000.0) {
        if (!close_second(s, s->sec_start + 1000.0)) {
            s->oom = true;
            return;
        }
    }
}

/* ---- visits ---- */

static double draw_service(snode *n)
{
    double x = 0.0;
    switch (n->dist) {
    case AZB_DIST_DET:
        x = n->svc_ms;
        break;
    case AZB_DIST_LOGNORMAL:
        x = n->cv > 0.0 ? azb_rng_lognormal(&n->rng, n->svc_ms, n->cv) : n->svc_ms;
        break;
    default:
        x = n->svc_ms > 0.0 ? azb_rng_exp1(&n->rng) * n->svc_ms : 0.0;
        break;
    }
    return x * n->slow;
}

static void proceed(sim *s, uint32_t id, double now);
static void fail_req(sim *s, uint32_t id, int cause, double now);

/* A root request ended, served or failed: warm-up counts both, so a design
 * where every request fails still warms up, is measured and stops. */
static void warm_count(sim *s, double now)
{
    s->done_warmup++;
    if (s->done_warmup >= s->warmup) {
        for (int i = 0; i < s->nnodes; i++) {
            busy_tick(s, &s->nodes[i], now);
            s->nodes[i].last_t = now;
        }
        s->warm = true;
        s->t_warm = now;
    }
}

static void finish_root(sim *s, uint32_t id, double now)
{
    req *r = &s->pool[id];
    double lat = now - r->t_root;
    if (s->ts) {
        azb_hist_record(s->sec_hist, lat);
        s->sec_served++;
    }
    if (!s->warm) {
        warm_count(s, now);
    } else {
        azb_hist_record(s->lat, lat);
        s->completed++;
    }
}

static void count_error(sim *s, const req *r, int cause, double now)
{
    if (r->root) {
        if (s->ts) {
            s->sec_err[cause]++;
        }
        if (s->warm) {
            s->err[cause]++;
            s->failed_roots++;
        } else {
            warm_count(s, now);
        }
    }
}

/* Call `ei` of waiting request p failed (cause) or timed out: retry or give up. */
static void call_failed(sim *s, uint32_t p, int cause, double now)
{
    req *r = &s->pool[p];
    const sedge *e = &s->out[r->cur_edge];
    if (r->tmo != 0u) {
        azbi_events_cancel(&s->ev, r->tmo);
        r->tmo = 0u;
    }
    if (r->attempt < e->retries) {
        r->attempt++;
        if (s->warm) {
            s->retries++;
        }
        s->sec_retries++;
        double b = e->backoff_ms * pow(e->backoff_mult, (double)(r->attempt - 1));
        if (e->jitter) {
            b *= azb_rng_uniform(&s->r_retry);
        }
        r->token++;
        r->state = ST_BACKOFF;
        push(s, now + b, EV_RETRY, (int)p, ((uint64_t)r->gen << 32) | r->token);
        return;
    }
    fail_req(s, p, cause, now);
}

/* The answer (cause < 0: success) to parent p's call `ptoken`. */
static void answer(sim *s, uint32_t p, uint32_t pgen, uint32_t ptoken, int cause, double now)
{
    req *r = &s->pool[p];
    if (r->gen != pgen || r->state != ST_WAIT || r->token != ptoken) {
        return; /* abandoned at a timeout: nobody waits for it */
    }
    if (cause >= 0) {
        call_failed(s, p, cause, now);
        return;
    }
    if (r->tmo != 0u) {
        azbi_events_cancel(&s->ev, r->tmo);
        r->tmo = 0u;
    }
    r->state = ST_WALK;
    proceed(s, p, now);
}

/* Request id fails as a whole (its visit refused, or a call it needed). */
static void fail_req(sim *s, uint32_t id, int cause, double now)
{
    req *r = &s->pool[id];
    if (r->tmo != 0u) {
        azbi_events_cancel(&s->ev, r->tmo);
        r->tmo = 0u;
    }
    count_error(s, r, cause, now);
    uint32_t parent = r->parent;
    uint32_t pgen = r->pgen;
    uint32_t ptoken = r->ptoken;
    req_free(s, id);
    if (parent != NONE) {
        answer(s, parent, pgen, ptoken, cause, now);
    }
}

static void complete(sim *s, uint32_t id, double now)
{
    req *r = &s->pool[id];
    if (r->root) {
        finish_root(s, id, now);
    }
    uint32_t parent = r->parent;
    uint32_t pgen = r->pgen;
    uint32_t ptoken = r->ptoken;
    req_free(s, id);
    if (parent != NONE) {
        answer(s, parent, pgen, ptoken, -1, now);
    }
}

/* A visit reached an instance that is down: no answer comes. A caller
 * with a timeout pending waits for it; otherwise the call fails now. */
static void dead_end(sim *s, uint32_t id, double now)
{
    req *r = &s->pool[id];
    snode *n = &s->nodes[r->node];
    if (s->warm) {
        n->failed++;
    }
    if (r->parent != NONE) {
        const req *p = &s->pool[r->parent];
        if (p->gen == r->pgen && p->state == ST_WAIT && p->token == r->ptoken && p->tmo != 0u) {
            req_free(s, id);
            return;
        }
    }
    fail_req(s, id, ERR_FAILED, now);
}

static void start_service(sim *s, int ii, uint32_t id, double now)
{
    sinst *in = &s->inst[ii];
    snode *n = &s->nodes[in->node];
    busy_tick(s, n, now);
    in->busy++;
    n->busy_total++;
    double t0 = now > in->ready_t ? now : in->ready_t;
    req *r = &s->pool[id];
    r->state = ST_SERVICE;
    r->done = push(s, t0 + draw_service(n), EV_DONE, ii, id);
}

static int pick(sim *s, snode *n, const req *r, int u)
{
    if (n->ncand == 0) {
        return -1;
    }
    if (n->ncand == 1) {
        return n->cand[0];
    }
    switch (n->bal) {
    case AZB_BAL_ROUND_ROBIN: {
        int i = n->cand[n->rr % (uint32_t)n->ncand];
        n->rr++;
        return i;
    }
    case AZB_BAL_LEAST_CONNECTIONS: {
        int best = n->cand[0];
        for (int j = 1; j < n->ncand; j++) {
            if (s->inst[n->cand[j]].n_in < s->inst[best].n_in) {
                best = n->cand[j];
            }
        }
        return best;
    }
    case AZB_BAL_RANDOM:
        return n->cand[azb_rng_below(&s->r_bal, (uint64_t)n->ncand)];
    default:
        return n->cand[mix64(r->hash ^ ((uint64_t)u * 0x9E3779B97F4A7C15ull)) % (uint64_t)n->ncand];
    }
}

static void visit(sim *s, uint32_t id, int u, double now)
{
    req *r = &s->pool[id];
    snode *n = &s->nodes[u];
    r->node = u;
    r->t_node = now;
    r->edge = 0;
    r->calls_left = -1;
    r->hit = 0;
    r->inst = -1;
    r->state = ST_WALK;
    if (s->warm) {
        n->visits++;
    }
    if (n->kind == K_SOURCE) {
        proceed(s, id, now);
        return;
    }
    if (n->kind == K_QUOTA) {
        if (n->down) {
            if (s->warm) {
                n->failed++;
            }
            fail_req(s, id, ERR_FAILED, now);
            return;
        }
        double need = n->cls_tokens != NULL ? n->cls_tokens[r->cls] : 1.0;
        double rate = n->cap_per_ms * n->cut;
        double cap = fmax(need, n->bucket_max * n->cut);
        n->bucket = fmin(cap, n->bucket + (now - n->bucket_t) * rate);
        n->bucket_t = now;
        if (n->bucket < need) {
            if (s->warm) {
                n->throttled++;
            }
            fail_req(s, id, ERR_THROTTLED, now);
            return;
        }
        n->bucket -= need;
        if (s->warm) {
            n->admitted++;
            n->win_tokens += need;
        }
        n->sec_tokens += need;
        node_tick(s, n, now);
        n->n_in++;
        r->state = ST_QUOTA;
        push(s, now + draw_service(n), EV_QUOTA_DONE, u, id); /* the model's law, no queue */
        return;
    }
    int ii = pick(s, n, r, u);
    if (ii < 0) {
        if (s->warm) {
            n->failed++;
        }
        fail_req(s, id, ERR_FAILED, now); /* no healthy instance behind the balancer */
        return;
    }
    sinst *in = &s->inst[ii];
    if (!in->up) {
        dead_end(s, id, now);
        return;
    }
    if (in->busy >= in->k && n->queue_limit >= 0 && in->wait.len >= (uint32_t)n->queue_limit) {
        if (s->warm) {
            n->dropped++;
        }
        fail_req(s, id, ERR_DROPPED, now);
        return;
    }
    node_tick(s, n, now);
    n->n_in++;
    in->n_in++;
    r->inst = ii;
    if (in->busy < in->k) {
        start_service(s, ii, id, now);
    } else if (fifo_push(&in->wait, id)) {
        r->state = ST_QUEUED;
    } else {
        s->oom = true;
    }
}

/* The visit of request id has been served. */
static void served(sim *s, uint32_t id, double now)
{
    req *r = &s->pool[id];
    snode *n = &s->nodes[r->node];
    node_tick(s, n, now);
    n->n_in--;
    if (r->inst >= 0) {
        s->inst[r->inst].n_in--;
        r->inst = -1;
    }
    r->done = 0u;
    if (s->warm) {
        if (n->soj == NULL) {
            n->soj = azb_hist_create();
            if (n->soj == NULL) {
                s->oom = true;
                return;
            }
        }
        azb_hist_record(n->soj, now - r->t_node);
    }
    if (n->has_on) {
        double h = n->hit;
        if (n->flushing && now < n->flush_at + n->flush_warm) {
            h *= fmax(0.0, (now - n->flush_at) / n->flush_warm);
        }
        r->hit = azb_rng_uniform(&s->r_route) < h ? 1 : 0;
    }
    r->state = ST_WALK;
    proceed(s, id, now);
}

/* Front Door and Traffic Manager send each user to the nearest origin, as
 * the model does (docs/models.md, "Regions behind a router"): where a
 * router's sync, unconditional calls go to origins in two or more regions
 * with p's adding up to at most 1, they are alternatives, and a request
 * whose users' geography is known calls the one nearest to them (by the
 * catalog's client round trips) with their summed probability. Drawn once
 * per visit; route() still steers around an origin seen down. */
static int pick_origin(sim *s, req *r)
{
    const snode *n = &s->nodes[r->node];
    if (azb_rng_uniform(&s->r_route) >= n->alt_p) {
        return -1;
    }
    int best = -1;
    double best_rtt = 0.0;
    for (int j = n->e0; j < n->e0 + n->ne; j++) {
        const sedge *e = &s->out[j];
        if (!e->alt || (e->carry >= 0 && s->carry[e->carry + r->cls] == 0)) {
            continue;
        }
        double rtt = azb_catalog_client_rtt_ms(s->cat, r->geo1 - 1, s->nodes[e->to].region);
        if (best < 0 || rtt < best_rtt) {
            best = j;
            best_rtt = rtt;
        }
    }
    return best;
}

static int draw_calls(sim *s, const sedge *e, req *r)
{
    if (e->alt && r->geo1 != 0u) {
        if (r->alt1 == 0) {
            int j = pick_origin(s, r);
            r->alt1 = j >= 0 ? j + 1 : -1;
        }
        return r->alt1 == (int32_t)(e - s->out) + 1 ? 1 : 0;
    }
    if (e->on == AZB_ON_HIT && r->hit == 0) {
        return 0;
    }
    if (e->on == AZB_ON_MISS && r->hit != 0) {
        return 0;
    }
    if (e->carry >= 0 && s->carry[e->carry + r->cls] == 0) {
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

/* Front Door and Traffic Manager: a call to a target they see down goes to
 * another of their sync edges (by p x calls) that carries the class. */
static int route(sim *s, const req *r, int ei)
{
    const snode *n = &s->nodes[r->node];
    if (!n->router || !seen_down(s, s->out[ei].to)) {
        return ei;
    }
    double total = 0.0;
    for (int j = n->e0; j < n->e0 + n->ne; j++) {
        const sedge *e = &s->out[j];
        if (e->mode == AZB_EDGE_SYNC && e->on == AZB_ON_ALWAYS &&
            (e->carry < 0 || s->carry[e->carry + r->cls] != 0) && !seen_down(s, e->to)) {
            total += e->p * e->calls;
        }
    }
    if (!(total > 0.0)) {
        return ei;
    }
    double x = azb_rng_uniform(&s->r_route) * total;
    int last = ei;
    for (int j = n->e0; j < n->e0 + n->ne; j++) {
        const sedge *e = &s->out[j];
        if (e->mode == AZB_EDGE_SYNC && e->on == AZB_ON_ALWAYS &&
            (e->carry < 0 || s->carry[e->carry + r->cls] != 0) && !seen_down(s, e->to)) {
            last = j;
            x -= e->p * e->calls;
            if (x < 0.0) {
                return j;
            }
        }
    }
    return last;
}

/* Request p makes (or retries) its sync call cur_edge. */
static void call(sim *s, uint32_t p, double now)
{
    req *r = &s->pool[p];
    const sedge *e = &s->out[route(s, r, r->cur_edge)];
    const sedge *pol = &s->out[r->cur_edge]; /* the caller's timeout and retry policy */
    r->token++;
    r->state = ST_WAIT;
    r->tmo = 0u;
    if (pol->timeout_ms > 0.0) {
        r->tmo =
            push(s, now + pol->timeout_ms, EV_TIMEOUT, (int)p, ((uint64_t)r->gen << 32) | r->token);
    }
    if (e->loss > 0.0 && azb_rng_uniform(&s->r_loss) < e->loss) {
        if (pol->timeout_ms <= 0.0) {
            call_failed(s, p, ERR_FAILED, now);
        }
        return; /* lost: the timeout will tell */
    }
    uint32_t c = req_alloc(s);
    if (c == NONE) {
        return;
    }
    r = &s->pool[p]; /* the pool may have moved */
    req *ch = &s->pool[c];
    ch->parent = p;
    ch->pgen = r->gen;
    ch->ptoken = r->token;
    ch->depth = (int16_t)(r->depth + 1);
    ch->hash = r->hash;
    ch->cls = r->cls;
    ch->geo1 = r->geo1;
    ch->warm = r->warm;
    push(s, now + e->rtt_ms + e->extra_ms, EV_ARRIVE, e->to, c);
}

static void spawn_async(sim *s, uint32_t id, const sedge *e, double now)
{
    if (e->loss > 0.0 && azb_rng_uniform(&s->r_loss) < e->loss) {
        return;
    }
    uint32_t c = req_alloc(s);
    if (c == NONE) {
        return;
    }
    const req *r = &s->pool[id];
    req *ch = &s->pool[c];
    ch->depth = (int16_t)(r->depth + 1);
    ch->hash = r->hash;
    ch->cls = r->cls;
    ch->geo1 = r->geo1;
    ch->warm = s->warm;
    push(s, now + e->rtt_ms + e->extra_ms, EV_ARRIVE, e->to, c);
}

/* Go on with request id's calls until it waits or ends. */
static void proceed(sim *s, uint32_t id, double now)
{
    req *r = &s->pool[id];
    const snode *n = &s->nodes[r->node];
    while (r->edge < n->ne) {
        int ei = n->e0 + r->edge;
        const sedge *e = &s->out[ei];
        if (r->calls_left < 0) {
            r->calls_left = draw_calls(s, e, r);
        }
        if (r->calls_left == 0) {
            r->edge++;
            r->calls_left = -1;
            continue;
        }
        if (e->mode == AZB_EDGE_ASYNC) {
            int c = r->calls_left;
            r->edge++;
            r->calls_left = -1;
            for (int i = 0; i < c; i++) {
                spawn_async(s, id, e, now);
                if (s->oom || s->overload) {
                    return;
                }
            }
            r = &s->pool[id];
            continue;
        }
        r->calls_left--;
        if (r->calls_left == 0) {
            r->edge++;
            r->calls_left = -1;
        }
        if (r->depth + 1 >= AZB_SIM_MAX_DEPTH) {
            s->truncated++;
            continue;
        }
        r->attempt = 0;
        r->cur_edge = ei;
        call(s, id, now);
        return;
    }
    complete(s, id, now);
}

/* ---- failures ---- */

/* Visits waiting or in service at instance ii fail: it went down. */
static void fail_instance_work(sim *s, int ii, double now)
{
    sinst *in = &s->inst[ii];
    snode *n = &s->nodes[in->node];
    busy_tick(s, n, now);
    node_tick(s, n, now);
    n->busy_total -= in->busy;
    in->busy = 0;
    in->wait.len = 0;
    in->wait.head = 0;
    for (uint32_t id = 0; id < s->pool_cap; id++) {
        req *r = &s->pool[id];
        if ((r->state != ST_QUEUED && r->state != ST_SERVICE) || r->inst != ii) {
            continue;
        }
        if (r->state == ST_SERVICE && r->done != 0u) {
            azbi_events_cancel(&s->ev, r->done);
        }
        n->n_in--;
        in->n_in--;
        r->inst = -1;
        if (s->warm) {
            n->failed++;
        }
        fail_req(s, id, ERR_FAILED, now);
    }
}

static bool in_zone(const snode *n, int zone)
{
    return n->nzones == 1 && n->zones[0] == zone && !n->zone_redundant;
}

/* Work out every node's and instance's state from the failures active at
 * `now` (rare events, so a full pass is fine) and act on the changes. */
static void apply_failures(sim *s, double now)
{
    const azb_scenario *sc = s->sc;
    bool *nup = calloc((size_t)s->ninst + 1u, sizeof(bool));
    bool *ndown = calloc((size_t)s->nnodes + 1u, sizeof(bool));
    if (nup == NULL || ndown == NULL) {
        free(nup);
        free(ndown);
        s->oom = true;
        return;
    }
    for (int i = 0; i < s->ninst; i++) {
        nup[i] = true;
    }
    for (int u = 0; u < s->nnodes; u++) {
        s->nodes[u].slow = 1.0;
        s->nodes[u].cut = 1.0;
    }
    for (int j = 0; j < s->nout; j++) {
        s->out[j].extra_ms = 0.0;
        s->out[j].loss = 0.0;
    }
    for (int f = 0; f < sc->nfailures; f++) {
        const azb_failure *fl = &sc->failures[f];
        if (!(fl->at_s * 1000.0 <= now && now < fl->recover_s * 1000.0)) {
            continue;
        }
        int fu = s->fail_node[f];
        switch (fl->what) {
        case AZB_FAIL_NODE:
            if (fu >= 0) {
                ndown[fu] = true;
                for (int i = s->nodes[fu].i0; i < s->nodes[fu].i0 + s->nodes[fu].ni; i++) {
                    nup[i] = false;
                }
            }
            break;
        case AZB_FAIL_ZONE:
        case AZB_FAIL_REGION:
            for (int u = 0; u < s->nnodes; u++) {
                snode *n = &s->nodes[u];
                if (n->region < 0 || n->region != s->fail_region[f]) {
                    continue;
                }
                bool zone = fl->what == AZB_FAIL_ZONE;
                for (int i = n->i0; i < n->i0 + n->ni; i++) {
                    if (!zone || s->inst[i].zone == fl->zone) {
                        nup[i] = false;
                    }
                }
                if (n->kind == K_QUOTA) {
                    if (zone) {
                        ndown[u] = ndown[u] || in_zone(n, fl->zone);
                    } else if (!(n->geo && now >= fl->at_s * 1000.0 + n->failover_ms)) {
                        ndown[u] = true;
                    }
                }
            }
            break;
        case AZB_FAIL_INSTANCES:
            if (fu >= 0) {
                snode *n = &s->nodes[fu];
                for (int i = n->i0; i < n->i0 + n->ni && i < n->i0 + fl->kill; i++) {
                    nup[i] = false;
                }
            }
            break;
        case AZB_FAIL_SLOW:
            if (fu >= 0) {
                s->nodes[fu].slow *= fl->factor;
            }
            break;
        case AZB_FAIL_QUOTA_CUT:
            if (fu >= 0) {
                s->nodes[fu].cut *= fl->factor;
            }
            break;
        case AZB_FAIL_EDGE:
            for (int j = 0; j < s->nout; j++) {
                sedge *e = &s->out[j];
                if (e->from == s->fail_from[f] && e->to == s->fail_to[f]) {
                    e->extra_ms += fl->extra_ms;
                    e->loss = 1.0 - (1.0 - e->loss) * (1.0 - fl->loss);
                }
            }
            break;
        default:
            break; /* cache_flush acts when it starts */
        }
    }
    for (int i = 0; i < s->ninst; i++) {
        sinst *in = &s->inst[i];
        if (in->up == nup[i]) {
            continue;
        }
        snode *n = &s->nodes[in->node];
        busy_tick(s, n, now);
        in->up = nup[i];
        in->changed_t = now;
        rebuild_cand(s, n);
        if (!in->up) {
            fail_instance_work(s, i, now);
            push(s, now + n->probe_ms, EV_SEEN, i, 0u);
        } else {
            push(s, now + n->probe_up_ms, EV_SEEN, i, 1u);
        }
    }
    for (int u = 0; u < s->nnodes; u++) {
        snode *n = &s->nodes[u];
        if (n->kind != K_QUOTA || n->down == ndown[u]) {
            continue;
        }
        n->down = ndown[u];
        n->down_t = now;
        push(s, now + (n->down ? n->probe_ms : n->probe_up_ms), EV_SEEN_NODE, u, n->down ? 0u : 1u);
    }
    free(nup);
    free(ndown);
}

static void on_failure(sim *s, int f, uint64_t what, double now)
{
    const azb_failure *fl = &s->sc->failures[f];
    if (what == 0u) {
        int fu = s->fail_node[f];
        if (fl->what == AZB_FAIL_CACHE_FLUSH && fu >= 0) {
            snode *n = &s->nodes[fu];
            n->flushing = true;
            n->flush_at = now;
            n->flush_warm = fl->warm_s * 1000.0;
        }
        if (fl->what == AZB_FAIL_REGION) {
            /* geo-replicated accounts come back after their failover */
            for (int u = 0; u < s->nnodes; u++) {
                const snode *n = &s->nodes[u];
                if (n->geo && n->region == s->fail_region[f] &&
                    now + n->failover_ms < fl->recover_s * 1000.0) {
                    push(s, now + n->failover_ms, EV_FAIL, f, 2u);
                }
            }
        }
    }
    apply_failures(s, now);
}

static void on_seen(sim *s, int ii, uint64_t up, double now)
{
    sinst *in = &s->inst[ii];
    snode *n = &s->nodes[in->node];
    double need = up != 0u ? n->probe_up_ms : n->probe_ms;
    if ((up != 0u) != in->up || now - in->changed_t < need - 1e-9) {
        return; /* it changed again since */
    }
    busy_tick(s, n, now);
    in->seen_up = in->up;
    rebuild_cand(s, n);
}

static void on_seen_node(sim *s, int u, uint64_t up, double now)
{
    snode *n = &s->nodes[u];
    double need = up != 0u ? n->probe_up_ms : n->probe_ms;
    if ((up != 0u) == n->down || now - n->down_t < need - 1e-9) {
        return;
    }
    n->seen_down = n->down;
}

/* ---- autoscale ---- */

static void on_scale(sim *s, int u, double now)
{
    snode *n = &s->nodes[u];
    busy_tick(s, n, now);
    double util = n->as_cap > 0.0 ? n->as_busy / n->as_cap : 0.0;
    n->as_busy = 0.0;
    n->as_cap = 0.0;
    int desired = (int)ceil((double)n->active * util / n->as_target - 1e-9);
    desired = desired < n->as_min ? n->as_min : desired;
    desired = desired > n->as_max ? n->as_max : desired;
    if (desired > n->active + n->pending) {
        /* new instances go where instances are up (a failed zone gets none) */
        int add = desired - n->active - n->pending;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = n->i0; i < n->i0 + n->ni && add > 0; i++) {
                sinst *in = &s->inst[i];
                if (!in->active && !in->provisioning && (pass == 1 || in->up)) {
                    in->provisioning = true;
                    n->pending++;
                    add--;
                    push(s, now + n->provision_ms, EV_READY, i, 0u);
                }
            }
        }
    } else if (desired < n->active && n->pending == 0) {
        /* dead instances go first, then the newest */
        int drop = n->active - desired;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = n->i0 + n->ni - 1; i >= n->i0 && drop > 0; i--) {
                sinst *in = &s->inst[i];
                if (in->active && (pass == 1 || !in->up)) {
                    busy_tick(s, n, now);
                    in->active = false; /* drains what it holds */
                    n->active--;
                    drop--;
                }
            }
        }
        rebuild_cand(s, n);
    }
    push(s, now + n->as_interval_ms, EV_SCALE, u, 0u);
}

static void on_ready(sim *s, int ii, double now)
{
    sinst *in = &s->inst[ii];
    snode *n = &s->nodes[in->node];
    busy_tick(s, n, now);
    in->provisioning = false;
    in->active = true;
    in->seen_up = in->up;
    in->ready_t = now + n->cold_ms;
    n->pending--;
    n->active++;
    rebuild_cand(s, n);
}

/* ---- setup ---- */

static void sim_free(sim *s)
{
    azbi_events_free(&s->ev);
    for (int i = 0; i < s->ninst; i++) {
        free(s->inst[i].wait.buf);
    }
    if (s->nodes != NULL) {
        for (int u = 0; u < s->nnodes; u++) {
            azb_hist_destroy(s->nodes[u].soj);
            free(s->nodes[u].cls_tokens);
        }
    }
    free(s->inst);
    free(s->cand_buf);
    free(s->nodes);
    free(s->out);
    free(s->carry);
    free(s->cls_cum);
    free(s->cls_write);
    free(s->pool);
    free(s->entry);
    free(s->entry_cum);
    free(s->fail_node);
    free(s->fail_region);
    free(s->fail_from);
    free(s->fail_to);
    free(s->rows);
    free(s->row_nodes);
    azb_hist_destroy(s->lat);
    azb_hist_destroy(s->sec_hist);
}

static bool is_kind(const azb_node *n, const char *id)
{
    return strcmp(n->kind, id) == 0;
}

static bool balancer_kind(const azb_node *n)
{
    return is_kind(n, "load_balancer") || is_kind(n, "app_gateway") || is_kind(n, "front_door") ||
           is_kind(n, "traffic_manager");
}

/* Detection delays of whoever balances node u: the first balancer kind that
 * calls it, else u's own kind. */
static void probe_delays(const azb_design *d, int u, snode *n)
{
    const azb_kind *k = d->nodes[u].kind_ref;
    for (int j = 0; j < d->nedges; j++) {
        const azb_edge *e = &d->edges[j];
        if (e->to_idx == u && e->from_idx >= 0 && balancer_kind(&d->nodes[e->from_idx])) {
            k = d->nodes[e->from_idx].kind_ref;
            break;
        }
    }
    double interval = azb_kind_sim(k, "probe_interval_s", DEFAULT_PROBE_S);
    double probes = azb_kind_sim(k, "unhealthy_probes", 1.0);
    double ttl = azb_kind_sim(k, "dns_ttl_s", 0.0);
    n->probe_ms = (interval * probes + ttl) * 1000.0;
    n->probe_up_ms = (interval + ttl) * 1000.0;
}

static azb_balancing node_balancing(const azb_design *d, int u)
{
    if (d->nodes[u].balancing != AZB_BAL_DEFAULT) {
        return d->nodes[u].balancing;
    }
    for (int j = 0; j < d->nedges; j++) {
        const azb_edge *e = &d->edges[j];
        if (e->to_idx == u && e->from_idx >= 0 &&
            d->nodes[e->from_idx].balancing != AZB_BAL_DEFAULT) {
            return d->nodes[e->from_idx].balancing;
        }
    }
    return AZB_BAL_HASH;
}

static bool setup_classes(sim *s, const azb_design *d)
{
    const azb_scenario *sc = s->sc;
    int n = sc != NULL && sc->nclasses > 0 ? sc->nclasses : d->workload.nops;
    if (n > 256) {
        n = 256;
    }
    s->ncls = n;
    s->cls_cum = calloc((size_t)n + 1u, sizeof(double));
    s->cls_write = calloc((size_t)n + 1u, sizeof(bool));
    if (s->cls_cum == NULL || s->cls_write == NULL) {
        return false;
    }
    for (int i = 0; i < n; i++) {
        s->cls_write[i] =
            sc != NULL && sc->nclasses > 0 ? sc->classes[i].write : d->workload.ops[i].write;
    }
    double total = 0.0;
    for (int i = 0; i < n; i++) {
        total += sc != NULL && sc->nclasses > 0 ? sc->classes[i].share : d->workload.ops[i].share;
        s->cls_cum[i] = total;
    }
    for (int i = 0; i < n; i++) {
        s->cls_cum[i] = total > 0.0 ? s->cls_cum[i] / total : (double)(i + 1) / (double)n;
    }
    int with_ops = 0;
    for (int j = 0; j < d->nedges; j++) {
        with_ops += d->edges[j].nops > 0 ? 1 : 0;
    }
    s->carry = calloc((size_t)with_ops * (size_t)n + 1u, 1u);
    return s->carry != NULL;
}

static void edge_carry(sim *s, const azb_design *d, const azb_edge *de, sedge *e, int *at)
{
    e->carry = -1;
    if (de->nops == 0 || s->ncls == 0) {
        return;
    }
    e->carry = *at;
    for (int c = 0; c < s->ncls; c++) {
        const char *name =
            s->sc != NULL && s->sc->nclasses > 0 ? s->sc->classes[c].name : d->workload.ops[c].name;
        for (int k = 0; k < de->nops; k++) {
            if (strcmp(de->ops[k], name) == 0) {
                s->carry[*at + c] = 1;
            }
        }
    }
    *at += s->ncls;
}

/* Instances active at the start: the model's count, or with a scenario and
 * autoscale, what its rate at t = 0 needs. */
static int start_instances(const sim *s, const azb_node_result *mn, const snode *n, double offered)
{
    int active = mn->instances > 0 ? mn->instances : 1;
    if (n->autoscale && s->sc != NULL && offered > 0.0) {
        double rps = mn->rps * azb_scenario_rate(s->sc, 0.0) / offered;
        double need = ceil(rps * n->svc_ms / 1000.0 / ((double)n->k * n->as_target) - 1e-9);
        active = need > (double)n->as_max ? n->as_max : (int)need;
        active = active < n->as_min ? n->as_min : active;
    }
    return active > n->ni ? n->ni : active;
}

/* Reads and writes cost a quota differently (Cosmos DB: 1 RU against 5):
 * a visit of a class takes its own units over the model's mixed units per
 * visit, so the mix the model assumed takes one token a visit on average.
 * Token quotas (Azure OpenAI) count tokens, not reads and writes: one
 * token a visit. */
static bool quota_tokens(sim *s, const azb_design *d, const azb_node_result *mn, int u,
                         azb_errors *errs)
{
    snode *n = &s->nodes[u];
    const azb_sku *sku = d->nodes[u].sku_ref;
    const azb_capacity *cap = sku != NULL ? &sku->capacity : NULL;
    if (s->ncls == 0 || cap == NULL || cap->quota_unit == AZB_QUOTA_TOKENS_PER_MIN ||
        !(mn->units_per_request > 0.0)) {
        return true;
    }
    n->cls_tokens = calloc((size_t)s->ncls, sizeof(double));
    if (n->cls_tokens == NULL) {
        err(errs, "out of memory");
        return false;
    }
    double rd = cap->cost_read > 0.0 ? cap->cost_read : 1.0;
    double wr = cap->cost_write > 0.0 ? cap->cost_write : 1.0;
    for (int c = 0; c < s->ncls; c++) {
        n->cls_tokens[c] = (s->cls_write[c] ? wr : rd) / mn->units_per_request;
    }
    return true;
}

static double sku_limit(const azb_sku *sku, const char *name, double fallback)
{
    for (int i = 0; sku != NULL && i < sku->nlimits; i++) {
        if (strcmp(sku->limits[i].name, name) == 0) {
            return sku->limits[i].value;
        }
    }
    return fallback;
}

/* A router's calls that are alternatives (pick_origin): sync, unconditional,
 * to nodes in regions, two or more regions among them, p's adding up to at
 * most 1. Otherwise they stay independent calls, each with its p. */
static void mark_alternatives(sim *s, int u)
{
    snode *n = &s->nodes[u];
    if (!n->router) {
        return;
    }
    double sum = 0.0;
    int r0 = -1;
    bool multi = false;
    for (int j = n->e0; j < n->e0 + n->ne; j++) {
        const sedge *e = &s->out[j];
        int reg = s->nodes[e->to].region;
        if (e->mode != AZB_EDGE_SYNC || e->on != AZB_ON_ALWAYS || reg < 0) {
            continue;
        }
        sum += e->p * e->calls;
        multi = multi || (r0 >= 0 && reg != r0);
        r0 = r0 < 0 ? reg : r0;
    }
    if (!multi || sum > 1.0 + 1e-9) {
        return;
    }
    n->alt_p = sum;
    for (int j = n->e0; j < n->e0 + n->ne; j++) {
        sedge *e = &s->out[j];
        e->alt = e->mode == AZB_EDGE_SYNC && e->on == AZB_ON_ALWAYS &&
                 s->nodes[e->to].region >= 0;
    }
}

static bool setup_node(sim *s, const azb_design *d, const azb_result *m, int u, int *ninst,
                       azb_errors *errs)
{
    snode *n = &s->nodes[u];
    const azb_node_result *mn = &m->nodes[u];
    const azb_node *dn = &d->nodes[u];
    const azb_capacity *cap = dn->sku_ref != NULL ? &dn->sku_ref->capacity : NULL;
    const azb_kind *kind = dn->kind_ref;
    n->svc_ms = mn->service_ms > 0.0 ? mn->service_ms : 0.0;
    n->cv = mn->cv;
    n->slow = 1.0;
    n->cut = 1.0;
    n->dist = (dn->has & AZB_HAS_SERVICE_DIST) != 0u ? dn->service_dist
                                                     : (cap != NULL ? cap->dist : AZB_DIST_EXP);
    n->hit = fmin(fmax(azb_node_setting_num(dn, "hit_ratio", 0.0), 0.0), 1.0);
    n->bal = node_balancing(d, u);
    n->router = is_kind(dn, "front_door") || is_kind(dn, "traffic_manager");
    n->ugeo = -1;
    const azb_setting *g = azb_node_setting(dn, "geo");
    if (g != NULL && g->type == AZB_SETTING_STRING) {
        int gi = azb_catalog_find_geo(s->cat, g->str);
        n->ugeo = gi >= 0 && gi < 255 ? gi : -1;
    }
    n->queue_limit = (dn->has & AZB_HAS_QUEUE_LIMIT) != 0u ? dn->queue_limit : -1;
    n->region = dn->region_idx;
    n->nzones = dn->nzones;
    memcpy(n->zones, dn->zones, sizeof(n->zones));
    n->zone_redundant = azb_node_setting_num(dn, "zone_redundant", 0.0) != 0.0 || dn->nzones > 1;
    n->geo = is_kind(dn, "cosmos_db") && azb_node_setting_num(dn, "regions", 1.0) >= 2.0;
    bool multi_write = azb_node_setting_num(dn, "multi_region_writes", 0.0) != 0.0;
    n->failover_ms = 1000.0 * (multi_write ? azb_kind_sim(kind, "failover_multi_write_s", 0.0)
                                           : azb_kind_sim(kind, "failover_s", 0.0));
    probe_delays(d, u, n);
    if (mn->queueing == AZB_QUEUEING_SOURCE) {
        n->kind = K_SOURCE;
        return true;
    }
    if (mn->queueing == AZB_QUEUEING_QUOTA) {
        n->kind = K_QUOTA;
        n->cap_per_ms = mn->capacity_rps / 1000.0;
        n->bucket_max = fmax(1.0, mn->capacity_rps);
        n->bucket = n->bucket_max;
        if (!(n->cap_per_ms > 0.0)) {
            err(errs, "a quota node has no capacity");
            return false;
        }
        return quota_tokens(s, d, mn, u, errs);
    }
    n->kind = K_QUEUE;
    if (!(n->svc_ms > 0.0)) {
        n->dist = AZB_DIST_DET;
    }
    int inst = mn->instances > 0 ? mn->instances : 1;
    n->k = mn->servers > 0 ? mn->servers / inst : 1;
    n->k = n->k > 0 ? n->k : 1;
    n->ni = mn->max_instances > inst ? mn->max_instances : inst;
    n->autoscale = (dn->has & AZB_HAS_AUTOSCALE) != 0u;
    if (n->autoscale) {
        n->as_min = dn->autoscale.min > 1 ? dn->autoscale.min : 1;
        n->as_max = dn->autoscale.max > n->as_min ? dn->autoscale.max : n->as_min;
        n->ni = n->ni > n->as_max ? n->ni : n->as_max;
        n->as_target = dn->autoscale.target > 0.0 ? dn->autoscale.target : 0.7;
        n->as_interval_ms = 1000.0 * azb_kind_sim(kind, "scale_interval_s", DEFAULT_SCALE_S);
        n->provision_ms = 1000.0 * azb_kind_sim(kind, "provision_s", DEFAULT_PROVISION_S);
        n->cold_ms =
            sku_limit(dn->sku_ref, "cold_start_ms", azb_kind_sim(kind, "cold_start_ms", 0.0));
        n->as_interval_ms = n->as_interval_ms > 0.0 ? n->as_interval_ms : 1000.0;
    }
    n->i0 = *ninst;
    *ninst += n->ni;
    return true;
}

static bool setup_instances(sim *s, const azb_result *m, double offered)
{
    s->inst = calloc((size_t)s->ninst + 1u, sizeof(sinst));
    s->cand_buf = calloc((size_t)s->ninst + 1u, sizeof(int));
    if (s->inst == NULL || s->cand_buf == NULL) {
        return false;
    }
    for (int u = 0; u < s->nnodes; u++) {
        snode *n = &s->nodes[u];
        if (n->kind != K_QUEUE) {
            continue;
        }
        n->cand = &s->cand_buf[n->i0];
        n->active = start_instances(s, &m->nodes[u], n, offered);
        for (int j = 0; j < n->ni; j++) {
            sinst *in = &s->inst[n->i0 + j];
            in->node = u;
            in->k = n->k;
            in->zone = n->nzones > 0 ? n->zones[j % n->nzones] : 0;
            in->up = true;
            in->seen_up = true;
            in->active = j < n->active;
        }
        rebuild_cand(s, n);
    }
    return true;
}

static bool setup_failures(sim *s, const azb_catalog *cat, azb_errors *errs)
{
    const azb_scenario *sc = s->sc;
    size_t nf = (size_t)sc->nfailures + 1u;
    s->fail_node = calloc(nf, sizeof(int));
    s->fail_region = calloc(nf, sizeof(int));
    s->fail_from = calloc(nf, sizeof(int));
    s->fail_to = calloc(nf, sizeof(int));
    if (s->fail_node == NULL || s->fail_region == NULL || s->fail_from == NULL ||
        s->fail_to == NULL) {
        err(errs, "out of memory");
        return false;
    }
    for (int f = 0; f < sc->nfailures; f++) {
        const azb_failure *fl = &sc->failures[f];
        s->fail_node[f] = fl->node[0] != '\0' ? azb_design_find_node(s->d, fl->node) : -1;
        s->fail_region[f] = fl->region[0] != '\0' ? azb_catalog_find_region(cat, fl->region) : -1;
        s->fail_from[f] = fl->from[0] != '\0' ? azb_design_find_node(s->d, fl->from) : -1;
        s->fail_to[f] = fl->to[0] != '\0' ? azb_design_find_node(s->d, fl->to) : -1;
        bool bad = (fl->node[0] != '\0' && s->fail_node[f] < 0) ||
                   (fl->region[0] != '\0' && s->fail_region[f] < 0) ||
                   (fl->what == AZB_FAIL_EDGE && (s->fail_from[f] < 0 || s->fail_to[f] < 0));
        if (bad) {
            err(errs, "the scenario names a node, region or edge the design lacks (run "
                      "azb_scenario_check)");
            return false;
        }
        push(s, fl->at_s * 1000.0, EV_FAIL, f, 0u);
        if (fl->recover_s < sc->duration_s) {
            push(s, fl->recover_s * 1000.0, EV_FAIL, f, 1u);
        }
    }
    return true;
}

static bool setup_entries(sim *s, const azb_design *d, const azb_result *m, azb_errors *errs)
{
    if (d->workload.present && d->workload.entry_idx >= 0) {
        s->entry[0] = d->workload.entry_idx;
        s->entry_cum[0] = 1.0;
        s->nentries = 1;
        return true;
    }
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
    if (s->nentries == 0) {
        err(errs, "no entry point: set workload.entry or add a clients node");
        return false;
    }
    return true;
}

static bool setup(sim *s, const azb_design *d, const azb_catalog *cat, const azb_result *m,
                  const azb_sim_config *cfg, azb_errors *errs)
{
    s->d = d;
    s->cat = cat;
    s->sc = cfg->scenario;
    s->free_head = NONE;
    s->nnodes = d->nnodes;
    s->nodes = calloc((size_t)d->nnodes + 1u, sizeof(snode));
    s->out = calloc((size_t)d->nedges + 1u, sizeof(sedge));
    s->entry = calloc((size_t)d->nnodes + 1u, sizeof(int));
    s->entry_cum = calloc((size_t)d->nnodes + 1u, sizeof(double));
    s->lat = azb_hist_create();
    if (s->nodes == NULL || s->out == NULL || s->entry == NULL || s->entry_cum == NULL ||
        s->lat == NULL || !setup_classes(s, d)) {
        err(errs, "out of memory");
        return false;
    }
    double model_rps = d->workload.rps > 0.0 ? d->workload.rps : m->offered_rps;
    double rps = cfg->offered_rps > 0.0 ? cfg->offered_rps : model_rps;
    if (s->sc != NULL) {
        rps = azb_scenario_peak_rate(s->sc);
        s->end_ms = s->sc->duration_s * 1000.0;
        if (cfg->duration_s > 0.0 && cfg->duration_s * 1000.0 < s->end_ms) {
            s->end_ms = cfg->duration_s * 1000.0; /* the scenario's first duration_s seconds */
        }
    }
    if (!(rps > 0.0) || !isfinite(rps)) {
        err(errs, s->sc != NULL ? "the scenario offers no load" : "no offered load");
        return false;
    }
    s->rate_per_ms = rps / 1000.0;
    int at = 0;
    int carry_at = 0;
    int ninst = 0;
    for (int u = 0; u < d->nnodes; u++) {
        snode *n = &s->nodes[u];
        if (!setup_node(s, d, m, u, &ninst, errs)) {
            return false;
        }
        azb_rng_seed(&n->rng, cfg->seed, 100u + (uint64_t)u);
        n->e0 = at;
        for (int j = 0; j < d->nedges; j++) {
            const azb_edge *de = &d->edges[j];
            if (de->from_idx != u || de->to_idx < 0) {
                continue;
            }
            sedge *e = &s->out[at++];
            e->from = u;
            e->to = de->to_idx;
            e->design = j;
            e->p = de->p;
            e->calls = de->calls;
            e->mode = de->mode;
            e->on = de->on;
            e->rtt_ms = m->edges[j].rtt_ms;
            e->timeout_ms = (de->has & AZB_HAS_TIMEOUT) != 0u ? de->timeout_ms : 0.0;
            e->retries = (de->has & AZB_HAS_RETRIES) != 0u ? de->retries : 0;
            e->backoff_ms =
                (de->has & AZB_HAS_BACKOFF) != 0u ? de->backoff_ms : AZB_DEFAULT_BACKOFF_MS;
            e->backoff_mult = (de->has & AZB_HAS_BACKOFF_MULT) != 0u ? de->backoff_mult
                                                                     : AZB_DEFAULT_BACKOFF_MULT;
            e->jitter = (de->has & AZB_HAS_JITTER) == 0u || de->jitter == AZB_JITTER_FULL;
            edge_carry(s, d, de, e, &carry_at);
            if (e->on != AZB_ON_ALWAYS) {
                n->has_on = true;
            }
        }
        n->ne = at - n->e0;
    }
    s->nout = at;
    for (int u = 0; u < d->nnodes; u++) {
        mark_alternatives(s, u);
    }
    s->ninst = ninst;
    if (!setup_instances(s, m, model_rps)) {
        err(errs, "out of memory");
        return false;
    }
    if (!setup_entries(s, d, m, errs)) {
        return false;
    }
    azb_rng_seed(&s->r_arr, cfg->seed, 0u);
    azb_rng_seed(&s->r_entry, cfg->seed, 1u);
    azb_rng_seed(&s->r_route, cfg->seed, 2u);
    azb_rng_seed(&s->r_bal, cfg->seed, 3u);
    azb_rng_seed(&s->r_loss, cfg->seed, 4u);
    azb_rng_seed(&s->r_retry, cfg->seed, 5u);
    azb_rng_seed(&s->r_cls, cfg->seed, 6u);
    s->warmup = cfg->warmup_requests;
    s->warm = s->warmup == 0u;
    s->ts = cfg->timeseries;
    s->on_second = cfg->on_second;
    s->user = cfg->user;
    if (s->ts) {
        s->sec_hist = azb_hist_create();
        if (s->sec_hist == NULL) {
            err(errs, "out of memory");
            return false;
        }
    }
    if (!azbi_events_reserve(&s->ev, 1024u)) {
        err(errs, "out of memory");
        return false;
    }
    if (s->sc != NULL && !setup_failures(s, cat, errs)) {
        return false;
    }
    for (int u = 0; u < s->nnodes; u++) {
        if (s->nodes[u].autoscale) {
            push(s, s->nodes[u].as_interval_ms, EV_SCALE, u, 0u);
        }
    }
    return true;
}

static void external(sim *s, double now)
{
    push(s, now + azb_rng_exp(&s->r_arr, s->rate_per_ms), EV_EXTERNAL, 0, 0);
    if (s->sc != NULL) {
        double peak = s->rate_per_ms * 1000.0;
        if (azb_rng_uniform(&s->r_arr) * peak >= azb_scenario_rate(s->sc, now / 1000.0)) {
            return; /* thinned out */
        }
    }
    int u = s->entry[0];
    if (s->nentries > 1) {
        double x = azb_rng_uniform(&s->r_entry);
        int i = 0;
        while (i < s->nentries - 1 && x >= s->entry_cum[i]) {
            i++;
        }
        u = s->entry[i];
    }
    uint32_t id = req_alloc(s);
    if (id == NONE) {
        return;
    }
    req *r = &s->pool[id];
    r->t_root = now;
    r->root = true;
    r->warm = s->warm;
    r->hash = mix64(++s->root_seq);
    r->geo1 = (uint8_t)(s->nodes[u].ugeo + 1);
    if (s->ncls > 1) {
        double x = azb_rng_uniform(&s->r_cls);
        int c = 0;
        while (c < s->ncls - 1 && x >= s->cls_cum[c]) {
            c++;
        }
        r->cls = (uint8_t)c;
    }
    s->sec_offered++;
    if (s->warm) {
        s->offered++;
    }
    visit(s, id, u, now);
}

static void dispatch(sim *s, const azbi_event *ev, double now)
{
    switch (ev->kind) {
    case EV_EXTERNAL:
        external(s, now);
        break;
    case EV_ARRIVE:
        visit(s, (uint32_t)ev->arg, ev->target, now);
        break;
    case EV_DONE: {
        sinst *in = &s->inst[ev->target];
        snode *n = &s->nodes[in->node];
        busy_tick(s, n, now);
        in->busy--;
        n->busy_total--;
        s->pool[ev->arg].done = 0u;
        if (in->wait.len > 0u && in->up) {
            start_service(s, ev->target, fifo_pop(&in->wait), now);
        }
        served(s, (uint32_t)ev->arg, now);
        break;
    }
    case EV_QUOTA_DONE:
        served(s, (uint32_t)ev->arg, now);
        break;
    case EV_TIMEOUT: {
        req *r = &s->pool[ev->target];
        if (r->state == ST_WAIT && ((uint64_t)r->gen << 32 | r->token) == ev->arg) {
            r->tmo = 0u;
            if (s->warm) {
                s->timed_out++;
            }
            call_failed(s, (uint32_t)ev->target, ERR_TIMEOUT, now);
        }
        break;
    }
    case EV_RETRY: {
        req *r = &s->pool[ev->target];
        if (r->state == ST_BACKOFF && ((uint64_t)r->gen << 32 | r->token) == ev->arg) {
            call(s, (uint32_t)ev->target, now);
        }
        break;
    }
    case EV_FAIL:
        on_failure(s, ev->target, ev->arg, now);
        break;
    case EV_SEEN:
        on_seen(s, ev->target, ev->arg, now);
        break;
    case EV_SEEN_NODE:
        on_seen_node(s, ev->target, ev->arg, now);
        break;
    case EV_SCALE:
        on_scale(s, ev->target, now);
        break;
    case EV_READY:
        on_ready(s, ev->target, now);
        break;
    default:
        assert(0 && "unknown event");
        break;
    }
}

static bool fill_result(sim *s, const azb_sim_config *config, double now, uint64_t events,
                        azb_sim_result *out)
{
    double window_ms = s->warm ? now - s->t_warm : 0.0;
    double window_s = window_ms / 1000.0;
    if (config->timeseries) {
        advance_seconds(s, now);
        if (s->oom || (now > s->sec_start && !close_second(s, now))) {
            return false;
        }
    }
    out->nodes = calloc((size_t)s->nnodes + 1u, sizeof(azb_sim_node));
    if (out->nodes == NULL) {
        return false;
    }
    for (int u = 0; u < s->nnodes; u++) {
        snode *n = &s->nodes[u];
        azb_sim_node *o = &out->nodes[u];
        node_tick(s, n, now);
        busy_tick(s, n, now);
        o->visits = n->visits;
        o->throttled = n->throttled;
        o->dropped = n->dropped;
        o->failed = n->failed;
        o->instances = n->kind == K_QUEUE ? n->active : 0;
        if (n->soj != NULL) {
            o->sojourn_mean_ms = azb_hist_mean(n->soj);
            o->sojourn_p99_ms = azb_hist_quantile(n->soj, 0.99);
        }
        if (window_ms > 0.0) {
            o->rps = (double)n->visits / window_s;
            o->in_system = n->in_area / window_ms;
            if (n->kind == K_QUEUE) {
                o->utilization = n->win_cap > 0.0 ? n->win_busy / n->win_cap : 0.0;
                o->instances_mean = n->win_cap / ((double)n->k * window_ms);
            } else if (n->kind == K_QUOTA) {
                o->utilization = n->win_tokens / (n->cap_per_ms * window_ms);
            }
        }
    }
    out->nnodes = s->nnodes;
    out->latency_hist = s->lat;
    s->lat = NULL;
    const azb_hist *h = out->latency_hist;
    out->latency.mean = azb_hist_mean(h);
    out->latency.p50 = azb_hist_quantile(h, 0.5);
    out->latency.p95 = azb_hist_quantile(h, 0.95);
    out->latency.p99 = azb_hist_quantile(h, 0.99);
    out->latency.p999 = azb_hist_quantile(h, 0.999);
    out->latency.max = azb_hist_max(h);
    out->completed = s->completed;
    out->offered = s->offered;
    out->throttled = s->err[ERR_THROTTLED];
    out->dropped = s->err[ERR_DROPPED];
    out->timeouts = s->err[ERR_TIMEOUT];
    out->failed = s->err[ERR_FAILED];
    out->retries = s->retries;
    out->timed_out_calls = s->timed_out;
    out->truncated = s->truncated;
    out->events = events;
    out->sim_seconds = window_s;
    out->throughput_rps = window_s > 0.0 ? (double)s->completed / window_s : 0.0;
    if (config->timeseries) {
        out->nseconds = s->nrows;
        out->seconds = s->rows;
        s->rows = NULL;
        for (int i = 0; i < out->nseconds; i++) {
            out->seconds[i].nodes = &s->row_nodes[(size_t)i * (size_t)(s->nnodes + 1)];
        }
        /* the first row owns the node block */
        if (out->nseconds == 0) {
            free(s->row_nodes);
        }
        s->row_nodes = NULL;
    }
    return true;
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
    if (config->scenario == NULL && config->requests == 0u &&
        !(config->duration_s > 0.0 && isfinite(config->duration_s))) {
        err(errs, "set requests or duration_s");
        return false;
    }
    sim s;
    memset(&s, 0, sizeof(s));
    azbi_events_init(&s.ev);
    if (!setup(&s, d, cat, model, config, errs)) {
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
        if (s.overload) {
            out->overloaded = true; /* a finding, not a failure: report what ran */
            break;
        }
        /* requests counts finished roots, served or failed: a design that
         * fails them all still ends */
        if (config->requests > 0u && s.completed + s.failed_roots >= config->requests) {
            break;
        }
        /* Popped before the stop checks: an event they stop at is dropped
         * with the rest of the queue, so it need not stay in it. */
        if (!azbi_events_pop(&s.ev, &ev)) {
            break;
        }
        if (s.sc != NULL && ev.time >= s.end_ms) {
            now = s.end_ms;
            break;
        }
        if (s.sc == NULL && config->requests == 0u && s.warm && ev.time > s.t_warm + end_ms) {
            now = s.t_warm + end_ms;
            break;
        }
        if ((events & 4095u) == 0u && config->cancel != NULL && *config->cancel != 0) {
            out->cancelled = true;
            break;
        }
        if ((events & 65535u) == 0u && events > 0u && config->progress != NULL) {
            double frac = 0.0;
            if (s.sc != NULL) {
                frac = now / s.end_ms;
            } else if (s.warm) {
                frac = config->requests > 0u ? (double)s.completed / (double)config->requests
                                             : (now - s.t_warm) / end_ms;
            }
            config->progress(config->user, fmin(fmax(frac, 0.0), 1.0));
        }
        events++;
        now = ev.time;
        advance_seconds(&s, now);
        dispatch(&s, &ev, now);
    }
    if (!fill_result(&s, config, now, events, out)) {
        err(errs, "out of memory");
        sim_free(&s);
        azb_sim_result_free(out);
        return false;
    }
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
    if (r->seconds != NULL) {
        free(r->seconds[0].nodes);
        free(r->seconds);
    }
    memset(r, 0, sizeof(*r));
}
