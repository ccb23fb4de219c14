/* Composite availability of a design (azb_availability.h; docs/models.md,
 * "Availability").
 *
 * The request path is a set, not a tree: a node reached by two required
 * calls is still one component that must be up, so it is multiplied in
 * once. The set is the closure of the entries over required calls (sync,
 * p = 1, every visit; a cache-aside cache is replaced by its miss path).
 * Where a router (Front Door, CDN, Traffic Manager, Azure DNS) has
 * alternatives in two or more regions, the closure stops there; each
 * region's branch is evaluated the same way (recursively, so routers may
 * nest) and the branches are combined in parallel. Nodes that two branches
 * share are taken out of the branches and put in series, which is exact for
 * a node every branch needs (the structure function is then "shared up AND
 * some branch's own nodes up") and pessimistic otherwise.
 *
 * Operation masks carry which operations reach a node, so a call that only
 * one operation makes, out of a node only another operation reaches, does
 * not count. The path is the union over operations: the design is up when
 * every operation works.
 */
#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azb_availability.h"

#define MINUTES_PER_MONTH (AZB_HOURS_PER_MONTH * 60.0)
#define P_ONE (1.0 - 1e-9)
/* Deeper router nesting than this is evaluated in series (no real design
 * comes near; it bounds the recursion). */
#define MAX_NEST 32

enum edge_class {
    E_OPT,      /* async, p < 1, on hit, unresolved: not on the path */
    E_REQ,      /* sync, p = 1, every visit */
    E_FALLBACK, /* a cache-aside cache's miss path */
    E_GROUP,    /* one of a router's regional alternatives */
};

enum filter {
    F_REQ_STOP,    /* required calls; stop at routers' regional alternatives */
    F_REQ_THROUGH, /* required calls and the alternatives */
    F_SYNC,        /* any sync call that can happen */
    F_ALL,         /* any call that can happen */
};

enum role {
    R_OFF,      /* not multiplied in */
    R_SERIES,   /* multiplied into its block */
    R_BYPASSED, /* a cache-aside cache on the path: its misses fall back */
};

enum edge_bit {
    EB_SYNC = 1u << 0,
    EB_POSSIBLE = 1u << 1, /* p > 0 */
    EB_EVERY = 1u << 2,    /* p = 1 and at least one call: every visit */
    EB_ONE_CALL = 1u << 3, /* calls = 1 */
    EB_HIT = 1u << 4,
    EB_MISS = 1u << 5,
};

enum node_bit { /* with the kind's KB_* bits below */
                NB_SOURCE = 1u << 4,
                NB_DATA = 1u << 5,
};

enum node_flag {
    NF_CACHE_ASIDE = 1u << 0,
    NF_REACH_ALL = 1u << 1,
    NF_REACH_SYNC = 1u << 2,
    NF_WRITES = 1u << 3,
    NF_CLAIMED = 1u << 4,
};

typedef struct ctx {
    const azb_design *d;
    const azb_catalog *cat;
    int n, m, w;
    int *out_start; /* n + 1 */
    int *out_adj;   /* m */
    /* Compact copies of what the passes read: the design's node and edge
     * structs are hundreds of bytes each, and walking them again and again
     * costs more in cache misses than all the arithmetic. */
    int *eto;             /* m: the callee, -1 when unresolved */
    unsigned char *ebits; /* m: EB_* */
    int *nreg;            /* n: region_idx */
    unsigned char *nbits; /* n: NB_* and the kind's KB_* */
    unsigned char *eclass;
    int *egroup;
    uint64_t *emask; /* m x w */
    uint64_t *allm;  /* w */
    uint64_t *wrm;   /* w: the write operations */
    /* breadth-first search scratch */
    uint64_t *mask; /* n x w, valid where vstamp == stamp */
    unsigned *vstamp;
    unsigned stamp;
    int *vis;
    int nvis;
    int *queue;
    unsigned char *inq;
    /* routers' regional alternatives */
    int ngroups;
    int *g_router, *g_start, *g_count, *g_edges; /* g_edges: every group's edges */
    int *r_gfirst, *r_gcount;                    /* per node */
    int *g_block;                                /* the block it was evaluated in */
    int *g_bfirst, *g_nb;                        /* the group's branch blocks */
    unsigned char *g_pushed;
    uint64_t *gmask; /* ngroups x w: operations arriving at the router */
    int *pend;
    int sp;
    int *rstack; /* branch roots */
    uint64_t *rmstack;
    int rsp;
    /* blocks: the root path, and each branch of each group */
    int nblocks;
    int *b_group, *b_region;
    int *b_rstart, *b_rcount; /* the branch's roots in rstack */
    double *b_a, *b_q;
    /* per node */
    unsigned char *flags;
    unsigned char *role;
    int *block;
    double *contrib;
    unsigned *hstamp;
    int *hits;
    unsigned hgen;
    int *shared;
    int *instances;
    int *peers;
    unsigned char *kbits; /* per catalog kind, 0 until worked out */
    int *roots;           /* where requests enter */
    uint64_t *rootmask;
} ctx;

static bool grab(void *pp, size_t n, size_t size)
{
    void **p = pp;
    *p = calloc(n > 0 ? n : 1, size);
    return *p != NULL;
}

static void ctx_free(ctx *c)
{
    void *all[] = {c->eto,     c->ebits,     c->nreg,     c->nbits,    c->out_start, c->out_adj,
                   c->eclass,  c->egroup,    c->emask,    c->allm,     c->wrm,       c->mask,
                   c->vstamp,  c->vis,       c->queue,    c->inq,      c->g_router,  c->g_start,
                   c->g_count, c->g_edges,   c->r_gfirst, c->r_gcount, c->g_block,   c->g_bfirst,
                   c->g_nb,    c->g_pushed,  c->gmask,    c->pend,     c->rstack,    c->rmstack,
                   c->b_group, c->b_region,  c->b_rstart, c->b_rcount, c->b_a,       c->b_q,
                   c->flags,   c->role,      c->block,    c->contrib,  c->hstamp,    c->hits,
                   c->shared,  c->instances, c->peers,    c->roots,    c->rootmask,  c->kbits};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        free(all[i]);
    }
}

/* Text that may be cut at the buffer's end: a basis is a short description,
 * and a 60-character node id must not make it fail. */
static void text(char *buf, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void text(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

static bool kind_is(const azb_kind *k, const char *id)
{
    return k != NULL && strcmp(k->id, id) == 0;
}

enum kind_bit {
    KB_ROUTER = 1u << 0, /* chooses among regions: Front Door, CDN, Traffic Manager, DNS */
    KB_GEO = 1u << 1,    /* has a regions or multi_region_writes setting (Cosmos DB) */
    KB_ZR = 1u << 2,     /* has a zone_redundant setting (SQL Database, Cosmos DB) */
    KB_KNOWN = 1u << 7,
};

static unsigned char kind_bits_of(const azb_kind *k)
{
    unsigned b = KB_KNOWN;
    if (kind_is(k, "front_door") || kind_is(k, "cdn") || kind_is(k, "traffic_manager") ||
        kind_is(k, "azure_dns")) {
        b |= KB_ROUTER;
    }
    if (azb_catalog_find_setting(k, "regions") != NULL ||
        azb_catalog_find_setting(k, "multi_region_writes") != NULL) {
        b |= KB_GEO;
    }
    if (azb_catalog_find_setting(k, "zone_redundant") != NULL) {
        b |= KB_ZR;
    }
    return (unsigned char)b;
}

/* A kind's bits, worked out once per catalog kind (a kind from elsewhere,
 * in a design validated against another catalog, each time). */
static unsigned kind_bits(ctx *c, const azb_kind *k)
{
    if (k == NULL) {
        return 0u;
    }
    if (k >= c->cat->kinds && k < c->cat->kinds + c->cat->nkinds) {
        unsigned char *kb = &c->kbits[k - c->cat->kinds];
        if (*kb == 0u) {
            *kb = kind_bits_of(k);
        }
        return *kb;
    }
    return kind_bits_of(k);
}

static bool mask_any(const uint64_t *a, const uint64_t *b, int w)
{
    for (int k = 0; k < w; k++) {
        if ((a[k] & b[k]) != 0u) {
            return true;
        }
    }
    return false;
}

/* ---- the graph: compact copies, adjacency, operation masks, classes ------- */

static void build_nodes(ctx *c, const azb_result *r, bool match)
{
    const azb_design *d = c->d;
    for (int i = 0; i < c->n; i++) {
        const azb_node *n = &d->nodes[i];
        const azb_kind *k = n->kind_ref;
        unsigned b = kind_bits(c, k);
        if (k != NULL && k->capacity_model == AZB_CAP_SOURCE) {
            b |= NB_SOURCE;
        }
        if (k != NULL && k->category == AZB_CAT_DATA) {
            b |= NB_DATA;
        }
        c->nbits[i] = (unsigned char)b;
        c->nreg[i] = n->region_idx;
        int inst = match ? r->nodes[i].instances : n->count;
        c->instances[i] = inst > 1 ? inst : 1;
    }
}

static void build_edges(ctx *c)
{
    const azb_design *d = c->d;
    const azb_workload *wl = &d->workload;
    int nops = wl->nops > 0 ? wl->nops : 0;
    if (nops == 0) {
        c->allm[0] = 1u;
    }
    for (int k = 0; k < nops; k++) {
        c->allm[k / 64] |= (uint64_t)1u << (k % 64);
        if (wl->ops[k].write) {
            c->wrm[k / 64] |= (uint64_t)1u << (k % 64);
        }
    }
    for (int j = 0; j < c->m; j++) {
        const azb_edge *e = &d->edges[j];
        bool ok = e->from_idx >= 0 && e->from_idx < c->n && e->to_idx >= 0 && e->to_idx < c->n;
        c->eto[j] = ok ? e->to_idx : -1;
        c->egroup[j] = -1;
        if (!ok) {
            continue;
        }
        unsigned b = 0u;
        b |= e->mode == AZB_EDGE_SYNC ? EB_SYNC : 0u;
        b |= e->p > 0.0 ? EB_POSSIBLE : 0u;
        b |= e->p >= P_ONE && e->calls >= P_ONE ? EB_EVERY : 0u;
        b |= e->calls == 1.0 ? EB_ONE_CALL : 0u;
        b |= e->on == AZB_ON_HIT ? EB_HIT : 0u;
        b |= e->on == AZB_ON_MISS ? EB_MISS : 0u;
        c->ebits[j] = (unsigned char)b;
        c->out_start[e->from_idx + 1]++;
        uint64_t *em = &c->emask[(size_t)j * (size_t)c->w];
        if (e->nops == 0 || nops == 0) {
            memcpy(em, c->allm, sizeof(uint64_t) * (size_t)c->w);
            continue;
        }
        for (int a = 0; a < e->nops; a++) {
            for (int k = 0; k < nops; k++) {
                if (strcmp(e->ops[a], wl->ops[k].name) == 0) {
                    em[k / 64] |= (uint64_t)1u << (k % 64);
                }
            }
        }
    }
    for (int u = 0; u < c->n; u++) {
        c->out_start[u + 1] += c->out_start[u];
    }
    int *fill = c->queue; /* free until the first search */
    for (int u = 0; u < c->n; u++) {
        fill[u] = c->out_start[u];
    }
    for (int j = 0; j < c->m; j++) {
        if (c->eto[j] >= 0) {
            c->out_adj[fill[d->edges[j].from_idx]++] = j;
        }
    }
}

/* Classes, once the adjacency is known. A cache-aside cache is a data store
 * (Redis) with a sync miss path taken on every miss: when it is down the
 * application reads through to the miss path, so it is an accelerator, not
 * a dependency. Front Door and CDN are network kinds: everything passes
 * through them, so they stay required and their misses are ordinary
 * required calls. */
static void classify_edges(ctx *c)
{
    const unsigned fallback = EB_SYNC | EB_EVERY | EB_MISS;
    for (int u = 0; u < c->n; u++) {
        if ((c->nbits[u] & NB_DATA) == 0u) {
            continue;
        }
        for (int x = c->out_start[u]; x < c->out_start[u + 1]; x++) {
            if ((c->ebits[c->out_adj[x]] & fallback) == fallback) {
                c->flags[u] |= NF_CACHE_ASIDE;
            }
        }
    }
    for (int u = 0; u < c->n; u++) {
        bool cache = (c->flags[u] & NF_CACHE_ASIDE) != 0u;
        for (int x = c->out_start[u]; x < c->out_start[u + 1]; x++) {
            int j = c->out_adj[x];
            unsigned b = c->ebits[j];
            if ((b & (EB_SYNC | EB_EVERY)) != (EB_SYNC | EB_EVERY) || (b & EB_HIT) != 0u) {
                c->eclass[j] = E_OPT;
            } else {
                c->eclass[j] = (unsigned char)((b & EB_MISS) != 0u && cache ? E_FALLBACK : E_REQ);
            }
        }
    }
}

static bool group_candidate(const ctx *c, int j, unsigned on)
{
    unsigned b = c->ebits[j];
    return (b & (EB_HIT | EB_MISS)) == on &&
           (b & (EB_SYNC | EB_POSSIBLE | EB_ONE_CALL)) == (EB_SYNC | EB_POSSIBLE | EB_ONE_CALL) &&
           c->nreg[c->eto[j]] >= 0;
}

/* A router's sync calls of one kind (always, or on miss: an edge cache's
 * misses must reach an origin) to two or more regions, with p's adding up
 * to 1, are alternatives: every request takes one, and the router's health
 * probes move it to another region when one fails. Alternatives adding up to
 * less than 1 are a share of the traffic and stay optional; more than 1 is
 * not a choice (the model does not route it either) and each call stands. */
static void find_groups(ctx *c)
{
    const azb_design *d = c->d;
    int ge = 0;
    for (int u = 0; u < c->n; u++) {
        c->r_gfirst[u] = c->ngroups;
        if ((c->nbits[u] & KB_ROUTER) == 0u) {
            continue;
        }
        static const unsigned classes[] = {0u, EB_MISS};
        for (size_t ci = 0; ci < sizeof(classes) / sizeof(classes[0]); ci++) {
            unsigned on = classes[ci];
            double sum = 0.0;
            int r0 = -1;
            bool multi = false;
            for (int x = c->out_start[u]; x < c->out_start[u + 1]; x++) {
                int j = c->out_adj[x];
                if (group_candidate(c, j, on)) {
                    int reg = c->nreg[c->eto[j]];
                    sum += d->edges[j].p;
                    multi = multi || (r0 >= 0 && reg != r0);
                    r0 = r0 < 0 ? reg : r0;
                }
            }
            if (!multi || sum > 1.0 + 1e-9 || sum < P_ONE) {
                continue;
            }
            int g = c->ngroups++;
            c->g_router[g] = u;
            c->g_start[g] = ge;
            for (int x = c->out_start[u]; x < c->out_start[u + 1]; x++) {
                int j = c->out_adj[x];
                if (group_candidate(c, j, on)) {
                    c->g_edges[ge++] = j;
                    c->eclass[j] = E_GROUP;
                    c->egroup[j] = g;
                }
            }
            c->g_count[g] = ge - c->g_start[g];
        }
        c->r_gcount[u] = c->ngroups - c->r_gfirst[u];
    }
}

/* ---- breadth-first search with operation masks ---------------------------- */

static bool follows(const ctx *c, int u, int j, int filter)
{
    switch (filter) {
    case F_REQ_STOP:
    case F_REQ_THROUGH:
        if ((c->flags[c->eto[j]] & NF_CLAIMED) != 0u) {
            return false;
        }
        if ((c->flags[u] & NF_CACHE_ASIDE) != 0u) {
            return c->eclass[j] == E_FALLBACK;
        }
        return c->eclass[j] == E_REQ || (filter == F_REQ_THROUGH && c->eclass[j] == E_GROUP);
    case F_SYNC:
        return (c->ebits[j] & (EB_SYNC | EB_POSSIBLE)) == (EB_SYNC | EB_POSSIBLE);
    default:
        return (c->ebits[j] & EB_POSSIBLE) != 0u;
    }
}

/* Add the operations m & em to v's; true when v must be (re)expanded. */
static bool offer(ctx *c, int v, const uint64_t *m, const uint64_t *em)
{
    uint64_t *mv = &c->mask[(size_t)v * (size_t)c->w];
    if (c->vstamp[v] != c->stamp) {
        if (!mask_any(m, em, c->w)) {
            return false;
        }
        c->vstamp[v] = c->stamp;
        memset(mv, 0, sizeof(uint64_t) * (size_t)c->w);
        c->vis[c->nvis++] = v;
    }
    bool grew = false;
    for (int k = 0; k < c->w; k++) {
        uint64_t add = m[k] & em[k] & ~mv[k];
        if (add != 0u) {
            mv[k] |= add;
            grew = true;
        }
    }
    if (!grew || c->inq[v]) {
        return false;
    }
    c->inq[v] = 1;
    return true;
}

/* Visit everything reachable from the roots over the filter's calls: vis[]
 * lists the nodes, mask[] the operations that reach each. The queue is a
 * ring of n slots: a node is in it at most once at a time. */
static void bfs(ctx *c, int filter, const int *roots, const uint64_t *rmask, int nroots)
{
    c->stamp++;
    c->nvis = 0;
    int head = 0;
    int count = 0;
    bool req = filter == F_REQ_STOP || filter == F_REQ_THROUGH;
    for (int i = 0; i < nroots; i++) {
        int v = roots[i];
        if (req && (c->flags[v] & NF_CLAIMED) != 0u) {
            continue;
        }
        if (offer(c, v, &rmask[(size_t)i * (size_t)c->w], c->allm)) {
            c->queue[(head + count++) % c->n] = v;
        }
    }
    while (count > 0) {
        int u = c->queue[head];
        head = (head + 1) % c->n;
        count--;
        c->inq[u] = 0;
        for (int x = c->out_start[u]; x < c->out_start[u + 1]; x++) {
            int j = c->out_adj[x];
            if (follows(c, u, j, filter) && offer(c, c->eto[j], &c->mask[(size_t)u * (size_t)c->w],
                                                  &c->emask[(size_t)j * (size_t)c->w])) {
                c->queue[(head + count++) % c->n] = c->eto[j];
            }
        }
    }
}

/* ---- each node's own figure ------------------------------------------------- */

typedef struct geo_entry {
    uintptr_t kind;
    uintptr_t sku;
    int region;
    int node;
} geo_entry;

static int cmp_geo(const void *pa, const void *pb)
{
    const geo_entry *a = pa;
    const geo_entry *b = pb;
    if (a->kind != b->kind) {
        return a->kind < b->kind ? -1 : 1;
    }
    if (a->sku != b->sku) {
        return a->sku < b->sku ? -1 : 1;
    }
    if (a->region != b->region) {
        return a->region < b->region ? -1 : 1;
    }
    return a->node < b->node ? -1 : (a->node > b->node ? 1 : 0);
}

static double setting(const azb_node *n, const char *name, double fallback)
{
    double v = azb_node_setting_num(n, name, fallback);
    return isfinite(v) ? v : fallback;
}

/* Replicas of one geo-replicated account drawn as a node per region (the
 * global-checkout reference: cosmos-us and cosmos-eu): nodes of a kind with
 * a regions setting, of the same kind and SKU, in different regions, each
 * set up for several regions (regions >= 2 or multi-region writes). peers[i]
 * = the distinct regions among them (1 when none). */
static bool find_replicas(ctx *c, int *peers)
{
    const azb_design *d = c->d;
    int nc = 0;
    for (int i = 0; i < c->n; i++) {
        peers[i] = 1;
    }
    geo_entry *g = malloc(sizeof(geo_entry) * (size_t)(c->n > 0 ? c->n : 1));
    if (g == NULL) {
        return false;
    }
    for (int i = 0; i < c->n; i++) {
        if ((c->nbits[i] & KB_GEO) == 0u || c->nreg[i] < 0) {
            continue;
        }
        const azb_node *n = &d->nodes[i];
        if (n->sku_ref == NULL) {
            continue;
        }
        if (setting(n, "regions", 1.0) >= 2.0 || setting(n, "multi_region_writes", 0.0) >= 0.5) {
            g[nc++] = (geo_entry){(uintptr_t)n->kind_ref, (uintptr_t)n->sku_ref, n->region_idx, i};
        }
    }
    qsort(g, (size_t)nc, sizeof(geo_entry), cmp_geo);
    for (int a = 0; a < nc;) {
        int b = a;
        int regions = 0;
        for (; b < nc && g[b].kind == g[a].kind && g[b].sku == g[a].sku; b++) {
            regions += b == a || g[b].region != g[b - 1].region;
        }
        for (int k = a; k < b; k++) {
            peers[g[k].node] = regions;
        }
        a = b;
    }
    free(g);
    return true;
}

static int distinct_zones(const azb_node *n)
{
    unsigned seen = 0u;
    int nz = 0;
    for (int z = 0; z < n->nzones && z < AZB_DESIGN_MAX_ZONES; z++) {
        if (n->zones[z] >= 1 && n->zones[z] <= 3 && (seen & (1u << n->zones[z])) == 0u) {
            seen |= 1u << n->zones[z];
            nz++;
        }
    }
    return nz;
}

/* The SKU's SLA for how the node is deployed: the best figure the catalog
 * gives among those that apply. `dep` says how it is deployed and, when the
 * figure is not the one made for that, which figure stood in. */
static double choose(ctx *c, int i, int peers, char *dep, size_t size, azb_errors *errs)
{
    const azb_node *n = &c->d->nodes[i];
    const azb_kind *k = n->kind_ref;
    const azb_sku *s = n->sku_ref;
    if (k != NULL && k->capacity_model == AZB_CAP_SOURCE) {
        snprintf(dep, size, "users: not part of the service");
        return 1.0;
    }
    if (k == NULL || s == NULL || !(s->sla.value > 0.0 && s->sla.value <= 1.0)) {
        if (errs != NULL) {
            char path[48];
            snprintf(path, sizeof(path), "nodes[%d]", i);
            azb_errors_add(errs, true, "", 0, 0, path,
                           "%s has no SLA in the catalog%s; availability counts it as 100%%", n->id,
                           k == NULL ? " (the design is not validated)" : "");
        }
        snprintf(dep, size, "no SLA in the catalog: counted as 100%%");
        return 1.0;
    }
    const azb_sla *sl = &s->sla;
    int inst = c->instances[i];
    int nz = distinct_zones(n);
    bool servers = k->capacity_model == AZB_CAP_SERVERS;
    bool az = n->region_idx < 0 || n->region_idx >= c->cat->nregions ||
              c->cat->regions[n->region_idx].zones > 0;
    unsigned kb = kind_bits(c, k);
    bool zr_kind = (kb & KB_ZR) != 0u;
    bool zoned = az && (zr_kind ? setting(n, "zone_redundant", 0.0) >= 0.5
                                : nz >= 2 && (inst >= 2 || !servers));
    bool gk = (kb & KB_GEO) != 0u;
    double nreg_set = gk ? setting(n, "regions", 1.0) : 1.0;
    int nreg = nreg_set >= 2.0 ? (int)fmin(nreg_set, 1000.0) : 1;
    int regions = nreg > peers ? nreg : peers;
    bool mrw = gk && setting(n, "multi_region_writes", 0.0) >= 0.5;
    bool multi = gk && regions >= 2;
    bool multi_ok = multi && (mrw || (c->flags[i] & NF_WRITES) == 0u);

    /* On a tie the figure made for the deployment names it. */
    double best = sl->value;
    const char *best_name = "base";
    if ((inst >= 2 || zoned) && sl->multi_instance > 0.0 && sl->multi_instance >= best) {
        best = sl->multi_instance;
        best_name = "2+ instance";
    }
    if (zoned && sl->zone_redundant > 0.0 && sl->zone_redundant >= best) {
        best = sl->zone_redundant;
        best_name = "zone";
    }
    if (multi_ok && sl->multi_region > 0.0 && sl->multi_region >= best) {
        best = sl->multi_region;
        best_name = "multi-region";
    }
    const char *ideal = multi_ok    ? "multi-region"
                        : zoned     ? "zone"
                        : inst >= 2 ? "2+ instance"
                                    : "base";
    int len = 0;
    if (multi) {
        len = snprintf(dep, size, "%d regions, %s", regions,
                       mrw ? "multi-region writes" : "writes in one region");
    } else if (zoned && servers && !zr_kind && inst >= 2) {
        len = snprintf(dep, size, "%d instances over %d zones", inst, nz);
    } else if (zoned) {
        len = snprintf(dep, size, "zone redundant");
    } else if (inst >= 2) {
        len = snprintf(dep, size, "%d instances", inst);
    } else {
        bool compute = servers && k->category == AZB_CAT_COMPUTE;
        len = snprintf(dep, size, "%s", compute ? "single instance" : "one deployment");
    }
    if (len >= 0 && (size_t)len < size) {
        if (multi && !multi_ok) {
            text(dep + len, size - (size_t)len, "; its writes: %s SLA", best_name);
        } else if (strcmp(best_name, ideal) != 0) {
            text(dep + len, size - (size_t)len, "; %s SLA", best_name);
        }
    }
    return best;
}

/* ---- the path: blocks in series, routers' regions in parallel ---------------- */

static double eval_group(ctx *c, int b, int g, int depth);

static void claim(ctx *c, int v, int b, double *prod)
{
    c->flags[v] |= NF_CLAIMED;
    c->block[v] = b;
    if ((c->flags[v] & NF_CACHE_ASIDE) != 0u) {
        c->role[v] = R_BYPASSED;
        return;
    }
    c->role[v] = R_SERIES;
    *prod *= c->contrib[v];
}

static void push_groups(ctx *c, int u, const uint64_t *m)
{
    for (int g = c->r_gfirst[u]; g < c->r_gfirst[u] + c->r_gcount[u]; g++) {
        if (!c->g_pushed[g]) {
            c->g_pushed[g] = 1;
            memcpy(&c->gmask[(size_t)g * (size_t)c->w], m, sizeof(uint64_t) * (size_t)c->w);
            c->pend[c->sp++] = g;
        }
    }
}

/* Block b: the nodes the roots need (claimed here, so counted once), times
 * the groups of alternatives met on the way. */
static double eval_block(ctx *c, int b, const int *roots, const uint64_t *rmask, int nroots,
                         int depth)
{
    double prod = 1.0;
    int filter = depth < MAX_NEST ? F_REQ_STOP : F_REQ_THROUGH;
    bfs(c, filter, roots, rmask, nroots);
    int sp0 = c->sp;
    for (int i = 0; i < c->nvis; i++) {
        int v = c->vis[i];
        claim(c, v, b, &prod);
        if (filter == F_REQ_STOP) {
            push_groups(c, v, &c->mask[(size_t)v * (size_t)c->w]);
        }
    }
    for (int p = sp0; p < c->sp; p++) {
        prod *= eval_group(c, b, c->pend[p], depth);
    }
    c->sp = sp0;
    c->b_a[b] = prod;
    return prod;
}

/* One router's alternatives, evaluated inside block b: a branch per region
 * (the alternatives' targets in it, with the operations that take them),
 * nodes two branches share taken out into b, then 1 - prod(1 - A_branch). */
static double eval_group(ctx *c, int b, int g, int depth)
{
    const uint64_t *gm = &c->gmask[(size_t)g * (size_t)c->w];
    int rs0 = c->rsp;
    int first = c->nblocks;
    int nb = 0;
    for (int x = 0; x < c->g_count[g]; x++) {
        int j = c->g_edges[c->g_start[g] + x];
        int reg = c->nreg[c->eto[j]];
        bool live = mask_any(gm, &c->emask[(size_t)j * (size_t)c->w], c->w);
        bool seen = false;
        for (int y = 0; y < x && live; y++) {
            int jy = c->g_edges[c->g_start[g] + y];
            seen = seen || (c->nreg[c->eto[jy]] == reg &&
                            mask_any(gm, &c->emask[(size_t)jy * (size_t)c->w], c->w));
        }
        if (!live || seen) {
            continue;
        }
        int bb = first + nb++;
        c->b_group[bb] = g;
        c->b_region[bb] = reg;
        c->b_rstart[bb] = c->rsp;
        for (int y = x; y < c->g_count[g]; y++) {
            int jy = c->g_edges[c->g_start[g] + y];
            const uint64_t *em = &c->emask[(size_t)jy * (size_t)c->w];
            if (c->nreg[c->eto[jy]] == reg && mask_any(gm, em, c->w)) {
                uint64_t *rm = &c->rmstack[(size_t)c->rsp * (size_t)c->w];
                for (int k = 0; k < c->w; k++) {
                    rm[k] = gm[k] & em[k];
                }
                c->rstack[c->rsp++] = c->eto[jy];
            }
        }
        c->b_rcount[bb] = c->rsp - c->b_rstart[bb];
    }
    c->nblocks += nb;
    c->g_block[g] = b;
    c->g_bfirst[g] = first;
    c->g_nb[g] = nb;
    double prod = 1.0;
    if (nb >= 2) {
        c->hgen++;
        int nshared = 0;
        for (int k = 0; k < nb; k++) {
            int bb = first + k;
            bfs(c, F_REQ_THROUGH, &c->rstack[c->b_rstart[bb]],
                &c->rmstack[(size_t)c->b_rstart[bb] * (size_t)c->w], c->b_rcount[bb]);
            for (int i = 0; i < c->nvis; i++) {
                int v = c->vis[i];
                if (c->hstamp[v] != c->hgen) {
                    c->hstamp[v] = c->hgen;
                    c->hits[v] = 0;
                }
                if (++c->hits[v] == 2) {
                    c->shared[nshared++] = v;
                }
            }
        }
        for (int i = 0; i < nshared; i++) {
            claim(c, c->shared[i], b, &prod);
            push_groups(c, c->shared[i], gm);
        }
    }
    double down = 1.0;
    for (int k = 0; k < nb; k++) {
        int bb = first + k;
        double a = eval_block(c, bb, &c->rstack[c->b_rstart[bb]],
                              &c->rmstack[(size_t)c->b_rstart[bb] * (size_t)c->w], c->b_rcount[bb],
                              depth + 1);
        down *= 1.0 - a;
    }
    c->rsp = rs0;
    return nb > 0 ? prod * (1.0 - down) : prod;
}

/* q[b]: the chance that every other alternative of every group around block
 * b is down too, so a node of b with availability a takes the request down
 * with probability (1 - a) q[b]. */
static void block_q(ctx *c)
{
    c->b_q[0] = 1.0;
    for (int bb = 1; bb < c->nblocks; bb++) {
        int g = c->b_group[bb];
        double q = c->b_q[c->g_block[g]];
        for (int k = c->g_bfirst[g]; k < c->g_bfirst[g] + c->g_nb[g]; k++) {
            q *= k == bb ? 1.0 : 1.0 - c->b_a[k];
        }
        c->b_q[bb] = q;
    }
}

/* ---- putting it together ------------------------------------------------------- */

static bool ctx_init(ctx *c, const azb_design *d, const azb_catalog *cat)
{
    memset(c, 0, sizeof(*c));
    c->d = d;
    c->cat = cat;
    c->n = d->nnodes > 0 ? d->nnodes : 0;
    c->m = d->nedges > 0 ? d->nedges : 0;
    int nops = d->workload.nops > 0 ? d->workload.nops : 0;
    c->w = nops > 64 ? (nops + 63) / 64 : 1;
    size_t n = (size_t)c->n;
    size_t m = (size_t)c->m;
    size_t w = (size_t)c->w;
    size_t nb = m + 1; /* blocks: the root, and at most one per alternative */
    bool ok = true;
    ok = ok && grab(&c->out_start, n + 1, sizeof(int));
    ok = ok && grab(&c->eto, m, sizeof(int));
    ok = ok && grab(&c->ebits, m, 1);
    ok = ok && grab(&c->nreg, n, sizeof(int));
    ok = ok && grab(&c->nbits, n, 1);
    ok = ok && grab(&c->out_adj, m, sizeof(int));
    ok = ok && grab(&c->eclass, m, 1);
    ok = ok && grab(&c->egroup, m, sizeof(int));
    ok = ok && grab(&c->emask, m * w, sizeof(uint64_t));
    ok = ok && grab(&c->allm, w, sizeof(uint64_t));
    ok = ok && grab(&c->wrm, w, sizeof(uint64_t));
    ok = ok && grab(&c->mask, n * w, sizeof(uint64_t));
    ok = ok && grab(&c->vstamp, n, sizeof(unsigned));
    ok = ok && grab(&c->vis, n, sizeof(int));
    ok = ok && grab(&c->queue, n, sizeof(int));
    ok = ok && grab(&c->inq, n, 1);
    ok = ok && grab(&c->g_router, m, sizeof(int));
    ok = ok && grab(&c->g_start, m, sizeof(int));
    ok = ok && grab(&c->g_count, m, sizeof(int));
    ok = ok && grab(&c->g_edges, m, sizeof(int));
    ok = ok && grab(&c->g_block, m, sizeof(int));
    ok = ok && grab(&c->g_bfirst, m, sizeof(int));
    ok = ok && grab(&c->g_nb, m, sizeof(int));
    ok = ok && grab(&c->g_pushed, m, 1);
    ok = ok && grab(&c->gmask, m * w, sizeof(uint64_t));
    ok = ok && grab(&c->pend, m, sizeof(int));
    ok = ok && grab(&c->rstack, m, sizeof(int));
    ok = ok && grab(&c->rmstack, m * w, sizeof(uint64_t));
    ok = ok && grab(&c->r_gfirst, n, sizeof(int));
    ok = ok && grab(&c->r_gcount, n, sizeof(int));
    ok = ok && grab(&c->b_group, nb, sizeof(int));
    ok = ok && grab(&c->b_region, nb, sizeof(int));
    ok = ok && grab(&c->b_rstart, nb, sizeof(int));
    ok = ok && grab(&c->b_rcount, nb, sizeof(int));
    ok = ok && grab(&c->b_a, nb, sizeof(double));
    ok = ok && grab(&c->b_q, nb, sizeof(double));
    ok = ok && grab(&c->flags, n, 1);
    ok = ok && grab(&c->role, n, 1);
    ok = ok && grab(&c->block, n, sizeof(int));
    ok = ok && grab(&c->contrib, n, sizeof(double));
    ok = ok && grab(&c->hstamp, n, sizeof(unsigned));
    ok = ok && grab(&c->hits, n, sizeof(int));
    ok = ok && grab(&c->shared, n, sizeof(int));
    ok = ok && grab(&c->instances, n, sizeof(int));
    ok = ok && grab(&c->peers, n, sizeof(int));
    ok = ok && grab(&c->roots, n, sizeof(int));
    ok = ok && grab(&c->rootmask, n * w, sizeof(uint64_t));
    ok = ok && grab(&c->kbits, (size_t)(cat->nkinds > 0 ? cat->nkinds : 0), 1);
    c->nblocks = 1;
    return ok;
}

/* Where requests enter: the workload's entry, else every clients node that
 * has a share of them (all of them when none says so). */
static int find_entries(ctx *c)
{
    const azb_design *d = c->d;
    int nroots = 0;
    if (d->workload.entry_idx >= 0 && d->workload.entry_idx < c->n) {
        c->roots[nroots++] = d->workload.entry_idx;
    } else {
        for (int pass = 0; pass < 2 && nroots == 0; pass++) {
            for (int i = 0; i < c->n; i++) {
                if ((c->nbits[i] & NB_SOURCE) != 0u &&
                    (pass == 1 || setting(&d->nodes[i], "share", 1.0) > 0.0)) {
                    c->roots[nroots++] = i;
                }
            }
        }
    }
    for (int i = 0; i < nroots; i++) {
        memcpy(&c->rootmask[(size_t)i * (size_t)c->w], c->allm, sizeof(uint64_t) * (size_t)c->w);
    }
    return nroots;
}

/* Why a node is or is not multiplied in, after how it is deployed. */
static void describe(const ctx *c, int i, azb_avail_node *out)
{
    const azb_design *d = c->d;
    if ((c->nbits[i] & NB_SOURCE) != 0u) {
        return;
    }
    size_t len = strlen(out->basis);
    char *at = out->basis + len;
    size_t size = sizeof(out->basis) - len;
    if (c->role[i] == R_SERIES && c->block[i] > 0) {
        int bb = c->block[i];
        int reg = c->b_region[bb];
        const char *rname = reg >= 0 && reg < c->cat->nregions ? c->cat->regions[reg].name : "?";
        text(at, size, "; in parallel: %s behind %s", rname,
             d->nodes[c->g_router[c->b_group[bb]]].id);
    } else if (c->role[i] == R_BYPASSED) {
        const char *to = "its miss path";
        for (int x = c->out_start[i]; x < c->out_start[i + 1]; x++) {
            if (c->eclass[c->out_adj[x]] == E_FALLBACK) {
                to = d->nodes[c->eto[c->out_adj[x]]].id;
                break;
            }
        }
        text(at, size, "; cache: misses fall back to %s", to);
    } else if (c->role[i] == R_SERIES) {
        return;
    } else if ((c->flags[i] & NF_REACH_ALL) == 0u) {
        text(at, size, "; not reached by requests");
    } else if ((c->flags[i] & NF_REACH_SYNC) == 0u) {
        text(at, size, "; off the path: behind an async call");
    } else {
        text(at, size, "; off the path: optional call");
    }
}

azb_availability *azb_availability_compute(const azb_design *d, const azb_catalog *cat,
                                           const azb_result *r, azb_errors *errs)
{
    assert(d != NULL && cat != NULL && r != NULL);
    ctx c;
    azb_availability *a = calloc(1, sizeof(*a));
    if (!ctx_init(&c, d, cat) || a == NULL) {
        goto fail;
    }
    a->nnodes = c.n;
    a->weakest = -1;
    a->nodes = calloc((size_t)(c.n > 0 ? c.n : 1), sizeof(azb_avail_node));
    if (a->nodes == NULL) {
        goto fail;
    }
    bool match = r->nnodes == d->nnodes;
    if (!match && errs != NULL) {
        azb_errors_add(errs, true, "", 0, 0, "",
                       "the model result is not this design's; instance counts are the design's");
    }
    build_nodes(&c, r, match);
    if (!find_replicas(&c, c.peers)) {
        goto fail;
    }
    build_edges(&c);
    classify_edges(&c);
    find_groups(&c);

    int nroots = find_entries(&c);
    if (nroots == 0 && errs != NULL && c.n > 0) {
        azb_errors_add(errs, true, "", 0, 0, "workload.entry",
                       "no entry point (no workload entry, no clients node): nothing is on the "
                       "request path, and availability says 100%%");
    }
    bfs(&c, F_ALL, c.roots, c.rootmask, nroots);
    bool no_ops = d->workload.nops <= 0;
    for (int i = 0; i < c.nvis; i++) {
        int v = c.vis[i];
        c.flags[v] |= NF_REACH_ALL;
        if (no_ops || mask_any(&c.mask[(size_t)v * (size_t)c.w], c.wrm, c.w)) {
            c.flags[v] |= NF_WRITES;
        }
    }
    bfs(&c, F_SYNC, c.roots, c.rootmask, nroots);
    for (int i = 0; i < c.nvis; i++) {
        c.flags[c.vis[i]] |= NF_REACH_SYNC;
    }

    for (int i = 0; i < c.n; i++) {
        c.contrib[i] =
            choose(&c, i, c.peers[i], a->nodes[i].basis, sizeof(a->nodes[i].basis), errs);
        c.block[i] = -1;
    }

    c.b_group[0] = -1;
    c.b_region[0] = -1;
    double sla = eval_block(&c, 0, c.roots, c.rootmask, nroots, 0);
    block_q(&c);

    double worst = 2.0;
    for (int i = 0; i < c.n; i++) {
        azb_avail_node *o = &a->nodes[i];
        o->sla = c.contrib[i];
        o->on_path = c.role[i] == R_SERIES;
        o->effective = c.contrib[i];
        if (o->on_path) {
            o->effective = 1.0 - (1.0 - c.contrib[i]) * c.b_q[c.block[i]];
        }
        if (!(o->effective > 0.0)) {
            o->effective = DBL_MIN;
        }
        describe(&c, i, o);
        bool source = (c.nbits[i] & NB_SOURCE) != 0u;
        if (o->on_path && !source && o->effective < worst) {
            worst = o->effective;
            a->weakest = i;
        }
    }
    if (!(sla > DBL_MIN)) {
        sla = DBL_MIN; /* a product of many figures can underflow; never 0 or NaN */
    }
    a->sla = sla < 1.0 ? sla : 1.0;
    a->downtime_min_per_month = (1.0 - a->sla) * MINUTES_PER_MONTH;
    ctx_free(&c);
    return a;

fail:
    ctx_free(&c);
    azb_availability_destroy(a);
    return NULL;
}

void azb_availability_destroy(azb_availability *a)
{
    if (a == NULL) {
        return;
    }
    free(a->nodes);
    free(a);
}
