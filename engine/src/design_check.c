#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azbi_design.h"

typedef struct checker {
    azb_design *d;
    const azb_catalog *cat;
    azb_errors *errs;
    azbi_jdoc *doc;      /* NULL for a design edited in memory */
    int *slots;          /* id -> node index, open addressing */
    size_t mask;
} checker;

static void cerr(checker *C, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void cerr(checker *C, const char *path, const char *fmt, ...)
{
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (C->doc != NULL) {
        azbi_jerr(C->doc, path, "%s", msg);
    } else {
        azb_errors_add(C->errs, false, "", 0, 0, path, "%s", msg);
    }
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211u;
    }
    return h;
}

static int map_find(const checker *C, const char *id)
{
    if (C->slots == NULL) {
        return -1;
    }
    for (size_t i = hash_str(id) & C->mask;; i = (i + 1) & C->mask) {
        int k = C->slots[i];
        if (k < 0) {
            return -1;
        }
        if (strcmp(C->d->nodes[k].id, id) == 0) {
            return k;
        }
    }
}

static bool map_build(checker *C)
{
    size_t size = 16;
    while (size < (size_t)C->d->nnodes * 2u) {
        size *= 2;
    }
    C->slots = malloc(size * sizeof(int));
    if (C->slots == NULL) {
        return false;
    }
    memset(C->slots, 0xff, size * sizeof(int));
    C->mask = size - 1;
    for (int n = 0; n < C->d->nnodes; n++) {
        const char *id = C->d->nodes[n].id;
        if (id[0] == '\0') {
            continue;
        }
        int prev = map_find(C, id);
        if (prev >= 0) {
            char p[64];
            azbi_path_index(p, sizeof(p), "nodes", n);
            char pid[80];
            azbi_path_key(pid, sizeof(pid), p, "id");
            cerr(C, pid, "duplicate id \"%s\" (also nodes[%d])", id, prev);
            continue;
        }
        size_t i = hash_str(id) & C->mask;
        while (C->slots[i] >= 0) {
            i = (i + 1) & C->mask;
        }
        C->slots[i] = n;
    }
    return true;
}

static const azb_region *check_region(checker *C, const char *name, const char *path,
                                      int *idx)
{
    *idx = azb_catalog_find_region(C->cat, name);
    if (*idx >= 0) {
        return &C->cat->regions[*idx];
    }
    const char *near = azb_catalog_suggest_region(C->cat, name);
    if (near != NULL) {
        cerr(C, path, "unknown region \"%s\"; did you mean %s?", name, near);
    } else {
        cerr(C, path, "unknown region \"%s\" (azboard regions lists them)", name);
    }
    return NULL;
}

static void check_clients(checker *C, azb_node *n, const char *path)
{
    const azb_setting *geo = azb_node_setting(n, "geo");
    char p[200];
    azbi_path_key(p, sizeof(p), path, "geo");
    if (geo == NULL) {
        cerr(C, path, "a clients node needs \"geo\", the geography its users are in");
        return;
    }
    if (azb_catalog_find_geo(C->cat, geo->str) < 0) {
        char list[320] = "";
        for (int i = 0; i < C->cat->ngeos; i++) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", C->cat->geos[i].id);
        }
        cerr(C, p, "unknown geography \"%s\"; expected one of: %s", geo->str, list);
    }
}

static void check_node(checker *C, int index)
{
    azb_node *n = &C->d->nodes[index];
    char path[64];
    azbi_path_index(path, sizeof(path), "nodes", index);
    char p[200];
    n->kind_ref = NULL;
    n->sku_ref = NULL;
    n->region_idx = -1;
    if (n->kind[0] == '\0') {
        return; /* reported as missing */
    }
    const azb_kind *kind = azb_catalog_find_kind(C->cat, n->kind);
    if (kind == NULL) {
        azbi_path_key(p, sizeof(p), path, "kind");
        const char *near = azb_catalog_suggest_kind(C->cat, n->kind);
        if (near != NULL) {
            cerr(C, p, "unknown kind \"%s\"; did you mean %s?", n->kind, near);
        } else {
            cerr(C, p, "unknown kind \"%s\" (azboard catalog lists them)", n->kind);
        }
        return;
    }
    n->kind_ref = kind;
    if ((n->has & AZB_HAS_SKU) != 0u) {
        n->sku_ref = azb_catalog_find_sku(kind, n->sku);
        if (n->sku_ref == NULL) {
            azbi_path_key(p, sizeof(p), path, "sku");
            const char *near = azb_catalog_suggest_sku(kind, n->sku);
            if (near == NULL && kind->nskus > 0) {
                near = kind->skus[kind->default_sku].name;
            }
            cerr(C, p, "unknown SKU \"%s\" for kind %s; did you mean %s?", n->sku, n->kind,
                 near != NULL ? near : "(none)");
        }
    } else if (kind->nskus > 0) {
        n->sku_ref = &kind->skus[kind->default_sku];
    }
    if (kind->capacity_model == AZB_CAP_SOURCE) {
        check_clients(C, n, path);
    }
    const azb_region *region = NULL;
    if ((n->has & AZB_HAS_REGION) != 0u) {
        azbi_path_key(p, sizeof(p), path, "region");
        region = check_region(C, n->region, p, &n->region_idx);
    }
    if (n->nzones > 0) {
        azbi_path_key(p, sizeof(p), path, "zones");
        if ((n->has & AZB_HAS_REGION) == 0u) {
            cerr(C, p, "zones need a region");
        } else if (region != NULL) {
            for (int z = 0; z < n->nzones; z++) {
                if (n->zones[z] > region->zones) {
                    if (region->zones == 0) {
                        cerr(C, p, "region %s has no availability zones", region->name);
                    } else {
                        cerr(C, p, "region %s has zones 1 to %d; there is no zone %d",
                             region->name, region->zones, n->zones[z]);
                    }
                    break;
                }
            }
        }
    }
    if ((n->has & AZB_HAS_AUTOSCALE) != 0u && (n->has & AZB_HAS_COUNT) != 0u &&
        (n->count < n->autoscale.min || n->count > n->autoscale.max)) {
        azbi_path_key(p, sizeof(p), path, "count");
        cerr(C, p, "count %d is outside autoscale's range [%d, %d]", n->count, n->autoscale.min,
             n->autoscale.max);
    }
}

static double edge_weight(const azb_design *d, const azb_edge *e)
{
    double w = e->p * e->calls;
    if (e->on != AZB_ON_ALWAYS && e->from_idx >= 0) {
        double hit = azb_node_setting_num(&d->nodes[e->from_idx], "hit_ratio", 0.0);
        w *= e->on == AZB_ON_HIT ? hit : 1.0 - hit;
    }
    return w;
}

static bool op_known(const azb_workload *w, const char *name)
{
    for (int i = 0; i < w->nops; i++) {
        if (strcmp(w->ops[i].name, name) == 0) {
            return true;
        }
    }
    return false;
}

/* The simulator's call policy: a multiplier of at least 1, on sync edges. */
static void check_edge_policy(checker *C, const char *path, const azb_edge *e)
{
    char p[200];
    if ((e->has & AZB_HAS_BACKOFF_MULT) != 0u && e->backoff_mult < 1.0) {
        azbi_path_key(p, sizeof(p), path, "backoff_multiplier");
        cerr(C, p, "backoff_multiplier must be at least 1, got %g", e->backoff_mult);
    }
    unsigned keys = AZB_HAS_TIMEOUT | AZB_HAS_RETRIES | AZB_HAS_BACKOFF | AZB_HAS_BACKOFF_MULT |
                    AZB_HAS_JITTER;
    if ((e->has & keys) != 0u && e->mode == AZB_EDGE_ASYNC) {
        const char *msg = "timeouts and retries apply to sync calls; this async edge ignores them";
        const char *key = (e->has & AZB_HAS_TIMEOUT) != 0u ? "timeout_ms" : "retries";
        azbi_path_key(p, sizeof(p), path, key);
        if (C->doc != NULL) {
            azbi_jwarn(C->doc, p, "%s", msg);
        } else {
            azb_errors_add(C->errs, true, "", 0, 0, p, "%s", msg);
        }
    }
}

static void check_edge(checker *C, int index)
{
    azb_edge *e = &C->d->edges[index];
    char path[64];
    azbi_path_index(path, sizeof(path), "edges", index);
    check_edge_policy(C, path, e);
    char p[200];
    e->from_idx = e->from[0] != '\0' ? map_find(C, e->from) : -1;
    e->to_idx = e->to[0] != '\0' ? map_find(C, e->to) : -1;
    if (e->from[0] != '\0' && e->from_idx < 0) {
        azbi_path_key(p, sizeof(p), path, "from");
        cerr(C, p, "no node has id \"%s\"", e->from);
    }
    if (e->to[0] != '\0' && e->to_idx < 0) {
        azbi_path_key(p, sizeof(p), path, "to");
        cerr(C, p, "no node has id \"%s\"", e->to);
    }
    if (e->to_idx >= 0) {
        const azb_kind *k = C->d->nodes[e->to_idx].kind_ref;
        if (k != NULL && k->capacity_model == AZB_CAP_SOURCE) {
            azbi_path_key(p, sizeof(p), path, "to");
            cerr(C, p, "\"%s\" is a clients node: clients call, nothing calls them", e->to);
        }
    }
    if (e->on != AZB_ON_ALWAYS && e->from_idx >= 0) {
        const azb_kind *k = C->d->nodes[e->from_idx].kind_ref;
        if (k != NULL && azb_catalog_find_setting(k, "hit_ratio") == NULL) {
            azbi_path_key(p, sizeof(p), path, "on");
            cerr(C, p, "\"on\" needs a cache at the source; %s (%s) has no hit_ratio", e->from,
                 k->id);
        }
    }
    for (int i = 0; i < e->nops; i++) {
        if (!op_known(&C->d->workload, e->ops[i])) {
            azbi_path_key(p, sizeof(p), path, "ops");
            char pi[220];
            azbi_path_index(pi, sizeof(pi), p, i);
            cerr(C, pi, "operation \"%s\" is not in workload.operations", e->ops[i]);
        }
    }
}

static void check_group(checker *C, int index)
{
    azb_group *g = &C->d->groups[index];
    char path[64];
    azbi_path_index(path, sizeof(path), "groups", index);
    char p[200];
    for (int k = 0; k < index; k++) {
        if (g->id[0] != '\0' && strcmp(C->d->groups[k].id, g->id) == 0) {
            azbi_path_key(p, sizeof(p), path, "id");
            cerr(C, p, "duplicate group id \"%s\" (also groups[%d])", g->id, k);
            break;
        }
    }
    if (g->region[0] == '\0') {
        return;
    }
    int idx = -1;
    azbi_path_key(p, sizeof(p), path, "region");
    const azb_region *r = check_region(C, g->region, p, &idx);
    if (r != NULL && (g->has & AZB_HAS_ZONE) != 0u && g->zone > r->zones) {
        azbi_path_key(p, sizeof(p), path, "zone");
        if (r->zones == 0) {
            cerr(C, p, "region %s has no availability zones", r->name);
        } else {
            cerr(C, p, "region %s has zones 1 to %d; there is no zone %d", r->name, r->zones,
                 g->zone);
        }
    }
}

static void check_workload(checker *C)
{
    azb_workload *w = &C->d->workload;
    w->entry_idx = -1;
    if (!w->present) {
        return;
    }
    if (w->entry[0] != '\0') {
        w->entry_idx = map_find(C, w->entry);
        if (w->entry_idx < 0) {
            cerr(C, "workload.entry", "no node has id \"%s\"", w->entry);
        }
    } else {
        bool any = false;
        double share = 0.0;
        for (int i = 0; i < C->d->nnodes; i++) {
            const azb_kind *k = C->d->nodes[i].kind_ref;
            if (k != NULL && k->capacity_model == AZB_CAP_SOURCE) {
                any = true;
                share += azb_node_setting_num(&C->d->nodes[i], "share", 1.0);
            }
        }
        if (!any) {
            cerr(C, "workload", "no \"entry\" and no clients node: where do requests come in?");
        } else if (fabs(share - 1.0) > 1e-6 && share > 0.0) {
            int n = 0;
            for (int i = 0; i < C->d->nnodes; i++) {
                const azb_kind *k = C->d->nodes[i].kind_ref;
                n += (k != NULL && k->capacity_model == AZB_CAP_SOURCE) ? 1 : 0;
            }
            if (n > 1) {
                cerr(C, "workload", "the clients nodes' shares add up to %g, not 1", share);
            }
        }
    }
    if (w->nops > 0) {
        double total = 0.0;
        for (int i = 0; i < w->nops; i++) {
            total += w->ops[i].share;
            for (int k = 0; k < i; k++) {
                if (w->ops[i].name[0] != '\0' && strcmp(w->ops[i].name, w->ops[k].name) == 0) {
                    char p[80];
                    azbi_path_index(p, sizeof(p), "workload.operations", i);
                    cerr(C, p, "duplicate operation \"%s\"", w->ops[i].name);
                }
            }
        }
        if (fabs(total - 1.0) > 1e-6) {
            cerr(C, "workload.operations", "operation shares add up to %g, not 1", total);
        }
    }
}

/* ---- calls that never end ----
 * Visit ratios solve v = e + W^T v; they are finite exactly when the spectral
 * radius of W (edge weights p * calls, scaled by hit/miss ratios) is below 1.
 * Only strongly connected components can loop, so each is tested alone:
 * Tarjan's algorithm (iterative, so 100,000 nodes cannot overflow the stack)
 * finds them, and power iteration on W + I (aperiodic, so it converges even
 * on a pure cycle) bounds the radius with Collatz-Wielandt ratios. */

typedef struct graph {
    int n;
    int *start;   /* CSR: out-edges of node i are adj[start[i] .. start[i+1]) */
    int *adj;     /* edge indices */
} graph;

static bool graph_build(graph *g, const azb_design *d)
{
    g->n = d->nnodes;
    g->start = calloc((size_t)d->nnodes + 1, sizeof(int));
    g->adj = malloc(((size_t)d->nedges + 1) * sizeof(int));
    if (g->start == NULL || g->adj == NULL) {
        return false;
    }
    for (int i = 0; i < d->nedges; i++) {
        if (d->edges[i].from_idx >= 0 && d->edges[i].to_idx >= 0) {
            g->start[d->edges[i].from_idx + 1]++;
        }
    }
    for (int i = 0; i < d->nnodes; i++) {
        g->start[i + 1] += g->start[i];
    }
    int *fill = calloc((size_t)d->nnodes + 1, sizeof(int));
    if (fill == NULL) {
        return false;
    }
    for (int i = 0; i < d->nedges; i++) {
        int f = d->edges[i].from_idx;
        if (f >= 0 && d->edges[i].to_idx >= 0) {
            g->adj[g->start[f] + fill[f]++] = i;
        }
    }
    free(fill);
    return true;
}

static void graph_free(graph *g)
{
    free(g->start);
    free(g->adj);
}

/* Spectral radius of the component's weight matrix is >= 1? */
static bool component_diverges(const azb_design *d, const graph *g, const int *members, int m,
                               const int *comp, int cid, double *x, double *y, int *local)
{
    for (int i = 0; i < m; i++) {
        local[members[i]] = i;
        x[i] = 1.0;
    }
    double lo = 0.0;
    double hi = 0.0;
    for (int iter = 0; iter < 2000; iter++) {
        for (int i = 0; i < m; i++) {
            y[i] = x[i];
        }
        for (int i = 0; i < m; i++) {
            int u = members[i];
            for (int k = g->start[u]; k < g->start[u + 1]; k++) {
                const azb_edge *e = &d->edges[g->adj[k]];
                if (comp[e->to_idx] == cid) {
                    y[i] += edge_weight(d, e) * x[local[e->to_idx]];
                }
            }
        }
        lo = INFINITY;
        hi = 0.0;
        double norm = 0.0;
        for (int i = 0; i < m; i++) {
            double r = x[i] > 0.0 ? y[i] / x[i] : 0.0;
            lo = fmin(lo, r);
            hi = fmax(hi, r);
            norm = fmax(norm, y[i]);
        }
        if (lo >= 2.0 - 1e-12) {
            return true;
        }
        if (hi < 2.0 - 1e-12) {
            return false;
        }
        if (!(norm > 0.0)) {
            return false;
        }
        for (int i = 0; i < m; i++) {
            x[i] = y[i] / norm;
        }
    }
    return 0.5 * (lo + hi) >= 2.0 - 1e-9;
}

static void report_loop(checker *C, const int *members, int m, const graph *g, const int *comp,
                        int cid)
{
    int first_edge = -1;
    for (int i = 0; i < m && first_edge < 0; i++) {
        int u = members[i];
        for (int k = g->start[u]; k < g->start[u + 1]; k++) {
            if (comp[C->d->edges[g->adj[k]].to_idx] == cid) {
                first_edge = g->adj[k];
                break;
            }
        }
    }
    char names[200] = "";
    for (int i = 0; i < m && i < 6; i++) {
        size_t len = strlen(names);
        snprintf(names + len, sizeof(names) - len, "%s%s", i ? ", " : "",
                 C->d->nodes[members[i]].id);
    }
    if (m > 6) {
        size_t len = strlen(names);
        snprintf(names + len, sizeof(names) - len, ", ...");
    }
    char path[64];
    azbi_path_index(path, sizeof(path), "edges", first_edge);
    cerr(C, path,
         "calls loop without end among %s: on average each call leads back at least once; "
         "make some p on the loop smaller than 1",
         names);
}

static void check_loops(checker *C)
{
    const azb_design *d = C->d;
    if (d->nedges == 0 || d->nnodes == 0) {
        return;
    }
    graph g = {0};
    size_t n = (size_t)d->nnodes;
    int *index = malloc(n * sizeof(int));
    int *low = malloc(n * sizeof(int));
    int *comp = malloc(n * sizeof(int));
    int *stack = malloc(n * sizeof(int));
    int *call_node = malloc(n * sizeof(int));
    int *call_edge = malloc(n * sizeof(int));
    int *members = malloc(n * sizeof(int));
    int *local = malloc(n * sizeof(int));
    double *x = malloc(n * sizeof(double));
    double *y = malloc(n * sizeof(double));
    bool *on_stack = calloc(n, sizeof(bool));
    if (!graph_build(&g, d) || index == NULL || low == NULL || comp == NULL || stack == NULL ||
        call_node == NULL || call_edge == NULL || members == NULL || local == NULL || x == NULL ||
        y == NULL || on_stack == NULL) {
        cerr(C, "edges", "out of memory while checking for loops");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        index[i] = -1;
        comp[i] = -1;
    }
    int next_index = 0;
    int sp = 0;
    int ncomp = 0;
    for (int root = 0; root < d->nnodes; root++) {
        if (index[root] >= 0) {
            continue;
        }
        int depth = 0;
        call_node[0] = root;
        call_edge[0] = g.start[root];
        index[root] = low[root] = next_index++;
        stack[sp++] = root;
        on_stack[root] = true;
        while (depth >= 0) {
            int u = call_node[depth];
            if (call_edge[depth] < g.start[u + 1]) {
                int v = d->edges[g.adj[call_edge[depth]++]].to_idx;
                if (index[v] < 0) {
                    index[v] = low[v] = next_index++;
                    stack[sp++] = v;
                    on_stack[v] = true;
                    depth++;
                    call_node[depth] = v;
                    call_edge[depth] = g.start[v];
                } else if (on_stack[v] && index[v] < low[u]) {
                    low[u] = index[v];
                }
                continue;
            }
            if (low[u] == index[u]) {
                int m = 0;
                int w = -1;
                do {
                    w = stack[--sp];
                    on_stack[w] = false;
                    comp[w] = ncomp;
                    members[m++] = w;
                } while (w != u);
                bool loops = m > 1;
                for (int k = g.start[u]; k < g.start[u + 1] && !loops; k++) {
                    loops = d->edges[g.adj[k]].to_idx == u;
                }
                if (loops && component_diverges(d, &g, members, m, comp, ncomp, x, y, local)) {
                    report_loop(C, members, m, &g, comp, ncomp);
                }
                ncomp++;
            }
            depth--;
            if (depth >= 0) {
                int parent = call_node[depth];
                if (low[u] < low[parent]) {
                    low[parent] = low[u];
                }
            }
        }
    }
done:
    graph_free(&g);
    free(index);
    free(low);
    free(comp);
    free(stack);
    free(call_node);
    free(call_edge);
    free(members);
    free(local);
    free(x);
    free(y);
    free(on_stack);
}

/* ---- values, for designs edited in memory ----
 * The loader checks every value as it reads it (with positions); a design
 * changed in memory has had no such check, and one that validates must save
 * to a file that loads. Same limits and messages as the loader's. */

static bool cnum(checker *C, const char *base, const char *key, double v, unsigned flags,
                 double max)
{
    char p[200];
    azbi_path_key(p, sizeof(p), base, key);
    if (!isfinite(v)) {
        cerr(C, p, "number is out of range (not finite)");
    } else if ((flags & AZBI_NUM_INT) != 0u && v != floor(v)) {
        cerr(C, p, "expected a whole number, got %g", v);
    } else if ((flags & AZBI_NUM_POSITIVE) != 0u && !(v > 0.0)) {
        cerr(C, p, "must be greater than 0, got %g", v);
    } else if ((flags & AZBI_NUM_NONNEG) != 0u && v < 0.0) {
        cerr(C, p, "must not be negative, got %g", v);
    } else if ((flags & AZBI_NUM_UNIT) != 0u && (v < 0.0 || v > 1.0)) {
        cerr(C, p, "must be within [0, 1], got %g", v);
    } else if (max > 0.0 && v > max) {
        cerr(C, p, "must be at most %g, got %g", max, v);
    } else {
        return true;
    }
    return false;
}

static void cstr(checker *C, const char *base, const char *key, const char *v)
{
    if (v[0] == '\0') {
        char p[200];
        azbi_path_key(p, sizeof(p), base, key);
        cerr(C, p, "must not be empty");
    }
}

static void check_node_values(checker *C, int index)
{
    const azb_node *n = &C->d->nodes[index];
    char path[64];
    azbi_path_index(path, sizeof(path), "nodes", index);
    cstr(C, path, "id", n->id);
    cstr(C, path, "kind", n->kind);
    cnum(C, path, "count", n->count, AZBI_NUM_INT | AZBI_NUM_POSITIVE, 100000.0);
    for (int z = 0; z < n->nzones; z++) {
        char p[200];
        azbi_path_key(p, sizeof(p), path, "zones");
        char pz[220];
        azbi_path_index(pz, sizeof(pz), p, z);
        bool dup = false;
        for (int k = 0; k < z; k++) {
            dup = dup || n->zones[k] == n->zones[z];
        }
        if (n->zones[z] < 1 || n->zones[z] > AZB_DESIGN_MAX_ZONES) {
            cerr(C, pz, "a zone is 1, 2 or 3");
        } else if (dup) {
            cerr(C, pz, "zone %d is listed twice", n->zones[z]);
        }
    }
    if ((n->has & AZB_HAS_XY) != 0u) {
        cnum(C, path, "x", n->x, AZBI_NUM_ANY, 0.0);
        cnum(C, path, "y", n->y, AZBI_NUM_ANY, 0.0);
    }
    if ((n->has & AZB_HAS_SERVICE_MS) != 0u) {
        cnum(C, path, "service_ms", n->service_ms, AZBI_NUM_POSITIVE, 3600000.0);
    }
    if ((n->has & AZB_HAS_CV) != 0u) {
        cnum(C, path, "cv", n->cv, AZBI_NUM_NONNEG, 20.0);
    }
    if ((n->has & AZB_HAS_CONCURRENCY) != 0u) {
        cnum(C, path, "concurrency", n->concurrency, AZBI_NUM_INT | AZBI_NUM_POSITIVE, 1000000.0);
    }
    if ((n->has & AZB_HAS_QUEUE_LIMIT) != 0u) {
        cnum(C, path, "queue_limit", n->queue_limit, AZBI_NUM_INT | AZBI_NUM_NONNEG, 1.0e9);
    }
    if ((n->has & AZB_HAS_AUTOSCALE) != 0u) {
        char p[200];
        azbi_path_key(p, sizeof(p), path, "autoscale");
        bool ok = cnum(C, p, "min", n->autoscale.min, AZBI_NUM_INT | AZBI_NUM_NONNEG, 100000.0);
        ok = cnum(C, p, "max", n->autoscale.max, AZBI_NUM_INT | AZBI_NUM_POSITIVE, 100000.0) && ok;
        if (n->autoscale.target != 0.0) {
            cnum(C, p, "target", n->autoscale.target, AZBI_NUM_POSITIVE, 0.99);
        }
        if (ok && n->autoscale.min > n->autoscale.max) {
            char pm[220];
            azbi_path_key(pm, sizeof(pm), p, "min");
            cerr(C, pm, "min (%d) is larger than max (%d)", n->autoscale.min, n->autoscale.max);
        }
    }
    for (int i = 0; i < n->nsettings; i++) {
        const azb_setting *s = &n->settings[i];
        const azb_setting_def *def =
            n->kind_ref != NULL ? azb_catalog_find_setting(n->kind_ref, s->name) : NULL;
        if (def == NULL || def->type != AZB_SETTING_NUMBER) {
            continue;
        }
        char p[200];
        azbi_path_key(p, sizeof(p), path, s->name);
        if (!isfinite(s->num)) {
            cerr(C, p, "number is out of range (not finite)");
        } else if (def->integer && s->num != floor(s->num)) {
            cerr(C, p, "expected a whole number, got %g", s->num);
        } else if (s->num < def->min || s->num > def->max) {
            cerr(C, p, "%s must be within [%g, %g] %s, got %g", def->name, def->min, def->max,
                 def->unit, s->num);
        }
    }
}

/* The simulator's numeric keys, for a design edited in memory (the loader
 * checks them as it reads). */
static void check_edge_sim(checker *C, const char *path, const azb_edge *e)
{
    if ((e->has & AZB_HAS_TIMEOUT) != 0u) {
        cnum(C, path, "timeout_ms", e->timeout_ms, AZBI_NUM_POSITIVE, 3600000.0);
    }
    if ((e->has & AZB_HAS_RETRIES) != 0u) {
        cnum(C, path, "retries", e->retries, AZBI_NUM_INT | AZBI_NUM_NONNEG, 100.0);
    }
    if ((e->has & AZB_HAS_BACKOFF) != 0u) {
        cnum(C, path, "backoff_ms", e->backoff_ms, AZBI_NUM_NONNEG, 3600000.0);
    }
    if ((e->has & AZB_HAS_BACKOFF_MULT) != 0u) {
        cnum(C, path, "backoff_multiplier", e->backoff_mult, AZBI_NUM_POSITIVE, 100.0);
    }
}

static void check_values(checker *C)
{
    const azb_design *d = C->d;
    cstr(C, "", "name", d->name);
    for (int i = 0; i < d->nnodes; i++) {
        check_node_values(C, i);
    }
    for (int i = 0; i < d->nedges; i++) {
        const azb_edge *e = &d->edges[i];
        char path[64];
        azbi_path_index(path, sizeof(path), "edges", i);
        cstr(C, path, "from", e->from);
        cstr(C, path, "to", e->to);
        cnum(C, path, "p", e->p, AZBI_NUM_UNIT, 0.0);
        cnum(C, path, "calls", e->calls, AZBI_NUM_POSITIVE, 1000.0);
        cnum(C, path, "request_kb", e->request_kb, AZBI_NUM_NONNEG, 4.0e6);
        cnum(C, path, "response_kb", e->response_kb, AZBI_NUM_NONNEG, 4.0e6);
        check_edge_sim(C, path, e);
    }
    for (int i = 0; i < d->ngroups; i++) {
        const azb_group *g = &d->groups[i];
        char path[64];
        azbi_path_index(path, sizeof(path), "groups", i);
        cstr(C, path, "id", g->id);
        cstr(C, path, "region", g->region);
        if ((g->has & AZB_HAS_ZONE) != 0u) {
            cnum(C, path, "zone", g->zone, AZBI_NUM_INT | AZBI_NUM_POSITIVE, AZB_DESIGN_MAX_ZONES);
        }
        if ((g->has & AZB_HAS_SIZE) != 0u) {
            cnum(C, path, "w", g->w, AZBI_NUM_POSITIVE, 0.0);
            cnum(C, path, "h", g->h, AZBI_NUM_POSITIVE, 0.0);
        }
    }
    const azb_workload *w = &d->workload;
    if (!w->present) {
        return;
    }
    cnum(C, "workload", "rps", w->rps, AZBI_NUM_POSITIVE, 1.0e9);
    for (int i = 0; i < w->nops; i++) {
        char path[80];
        azbi_path_index(path, sizeof(path), "workload.operations", i);
        cstr(C, path, "name", w->ops[i].name);
        cnum(C, path, "share", w->ops[i].share, AZBI_NUM_UNIT, 0.0);
        cnum(C, path, "request_kb", w->ops[i].request_kb, AZBI_NUM_NONNEG, 4.0e6);
        cnum(C, path, "response_kb", w->ops[i].response_kb, AZBI_NUM_NONNEG, 4.0e6);
        cnum(C, path, "tokens_in", w->ops[i].tokens_in, AZBI_NUM_NONNEG, 2.0e6);
        cnum(C, path, "tokens_out", w->ops[i].tokens_out, AZBI_NUM_NONNEG, 2.0e6);
    }
    if (!w->has_profile) {
        return;
    }
    const azb_profile *p = &w->profile;
    const char *pp = "workload.profile";
    switch (p->type) {
    case AZB_PROFILE_RAMP:
        cnum(C, pp, "from_rps", p->from_rps, AZBI_NUM_NONNEG, 0.0);
        cnum(C, pp, "to_rps", p->to_rps, AZBI_NUM_NONNEG, 0.0);
        cnum(C, pp, "duration_s", p->duration_s, AZBI_NUM_POSITIVE, 0.0);
        break;
    case AZB_PROFILE_SPIKE:
        cnum(C, pp, "base_rps", p->base_rps, AZBI_NUM_NONNEG, 0.0);
        cnum(C, pp, "peak_rps", p->peak_rps, AZBI_NUM_NONNEG, 0.0);
        cnum(C, pp, "start_s", p->start_s, AZBI_NUM_NONNEG, 0.0);
        cnum(C, pp, "length_s", p->length_s, AZBI_NUM_POSITIVE, 0.0);
        cnum(C, pp, "duration_s", p->duration_s, AZBI_NUM_NONNEG, 0.0);
        break;
    case AZB_PROFILE_DIURNAL:
        cnum(C, pp, "trough_rps", p->trough_rps, AZBI_NUM_NONNEG, 0.0);
        cnum(C, pp, "peak_rps", p->peak_rps, AZBI_NUM_NONNEG, 0.0);
        cnum(C, pp, "period_s", p->period_s, AZBI_NUM_NONNEG, 0.0);
        break;
    case AZB_PROFILE_PIECEWISE:
        if (p->npoints < 2) {
            cerr(C, "workload.profile.points", "expected at least two [seconds, rps] points");
        }
        for (int i = 0; i < p->npoints; i++) {
            char pi[64];
            azbi_path_index(pi, sizeof(pi), "workload.profile.points", i);
            if (!isfinite(p->points[i][0]) || !isfinite(p->points[i][1]) ||
                p->points[i][0] < 0.0 || p->points[i][1] < 0.0) {
                cerr(C, pi, "a point is [seconds, rps], both finite and not negative");
            } else if (i > 0 && !(p->points[i][0] > p->points[i - 1][0])) {
                cerr(C, pi, "times must increase from point to point");
            }
        }
        break;
    case AZB_PROFILE_CONSTANT:
    default:
        break;
    }
}

bool azbi_design_check(azb_design *d, const azb_catalog *cat, azb_errors *errs, azbi_jdoc *doc)
{
    checker C = {d, cat, errs, doc, NULL, 0};
    int before = azb_errors_count_errors(errs);
    if (!map_build(&C)) {
        azb_errors_add(errs, false, doc != NULL ? doc->file : "", 0, 0, "", "out of memory");
        return false;
    }
    for (int i = 0; i < d->nnodes; i++) {
        check_node(&C, i);
    }
    for (int i = 0; i < d->nedges; i++) {
        check_edge(&C, i);
    }
    for (int i = 0; i < d->ngroups; i++) {
        check_group(&C, i);
    }
    check_workload(&C);
    if (doc == NULL) {
        check_values(&C);
    }
    check_loops(&C);
    free(C.slots);
    return azb_errors_count_errors(errs) == before;
}

bool azb_design_validate(azb_design *d, const azb_catalog *cat, azb_errors *errs)
{
    assert(d != NULL && cat != NULL && errs != NULL);
    return azbi_design_check(d, cat, errs, NULL);
}
