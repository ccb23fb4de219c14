#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "azbi_design.h"

static const char *const dist_names[] = {"exp", "det", "lognormal"};
static const char *const on_names[] = {"always", "hit", "miss"};

static bool has(unsigned flags, unsigned bit)
{
    return (flags & bit) != 0u;
}

static cJSON *node_json(const azb_node *n)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) {
        return NULL;
    }
    cJSON_AddStringToObject(o, "id", n->id);
    if (has(n->has, AZB_HAS_LABEL)) {
        cJSON_AddStringToObject(o, "label", n->label);
    }
    cJSON_AddStringToObject(o, "kind", n->kind);
    if (has(n->has, AZB_HAS_SKU)) {
        cJSON_AddStringToObject(o, "sku", n->sku);
    }
    if (has(n->has, AZB_HAS_COUNT)) {
        cJSON_AddNumberToObject(o, "count", n->count);
    }
    if (has(n->has, AZB_HAS_REGION)) {
        cJSON_AddStringToObject(o, "region", n->region);
    }
    if (has(n->has, AZB_HAS_ZONES)) {
        cJSON_AddItemToObject(o, "zones", cJSON_CreateIntArray(n->zones, n->nzones));
    }
    if (has(n->has, AZB_HAS_SERVICE_MS)) {
        cJSON_AddNumberToObject(o, "service_ms", n->service_ms);
    }
    if (has(n->has, AZB_HAS_SERVICE_DIST)) {
        cJSON_AddStringToObject(o, "service_dist", dist_names[n->service_dist]);
    }
    if (has(n->has, AZB_HAS_CV)) {
        cJSON_AddNumberToObject(o, "cv", n->cv);
    }
    if (has(n->has, AZB_HAS_CONCURRENCY)) {
        cJSON_AddNumberToObject(o, "concurrency", n->concurrency);
    }
    if (has(n->has, AZB_HAS_BALANCING)) {
        cJSON_AddStringToObject(o, "balancing", azb_balancing_name(n->balancing));
    }
    if (has(n->has, AZB_HAS_AUTOSCALE)) {
        cJSON *a = cJSON_AddObjectToObject(o, "autoscale");
        if (a != NULL) {
            cJSON_AddNumberToObject(a, "min", n->autoscale.min);
            cJSON_AddNumberToObject(a, "max", n->autoscale.max);
            if (n->autoscale.target > 0.0) {
                cJSON_AddNumberToObject(a, "target", n->autoscale.target);
            }
            if (!azbi_extras_emit(a, &n->autoscale.extras)) {
                cJSON_Delete(o);
                return NULL;
            }
        }
    }
    if (has(n->has, AZB_HAS_QUEUE_LIMIT)) {
        cJSON_AddNumberToObject(o, "queue_limit", n->queue_limit);
    }
    for (int i = 0; i < n->nsettings; i++) {
        const azb_setting *s = &n->settings[i];
        if (s->type == AZB_SETTING_STRING) {
            cJSON_AddStringToObject(o, s->name, s->str);
        } else if (s->type == AZB_SETTING_BOOL) {
            cJSON_AddBoolToObject(o, s->name, s->num != 0.0);
        } else {
            cJSON_AddNumberToObject(o, s->name, s->num);
        }
    }
    if (has(n->has, AZB_HAS_XY)) {
        cJSON_AddNumberToObject(o, "x", n->x);
        cJSON_AddNumberToObject(o, "y", n->y);
    }
    if (!azbi_extras_emit(o, &n->extras)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *edge_json(const azb_edge *e)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) {
        return NULL;
    }
    cJSON_AddStringToObject(o, "from", e->from);
    cJSON_AddStringToObject(o, "to", e->to);
    if (has(e->has, AZB_HAS_P)) {
        cJSON_AddNumberToObject(o, "p", e->p);
    }
    if (has(e->has, AZB_HAS_CALLS)) {
        cJSON_AddNumberToObject(o, "calls", e->calls);
    }
    if (has(e->has, AZB_HAS_MODE)) {
        cJSON_AddStringToObject(o, "mode", e->mode == AZB_EDGE_ASYNC ? "async" : "sync");
    }
    if (has(e->has, AZB_HAS_REQUEST_KB)) {
        cJSON_AddNumberToObject(o, "request_kb", e->request_kb);
    }
    if (has(e->has, AZB_HAS_RESPONSE_KB)) {
        cJSON_AddNumberToObject(o, "response_kb", e->response_kb);
    }
    if (has(e->has, AZB_HAS_ON)) {
        cJSON_AddStringToObject(o, "on", on_names[e->on]);
    }
    if (has(e->has, AZB_HAS_OPS)) {
        cJSON *ops = cJSON_AddArrayToObject(o, "ops");
        for (int i = 0; ops != NULL && i < e->nops; i++) {
            cJSON_AddItemToArray(ops, cJSON_CreateString(e->ops[i]));
        }
    }
    if (has(e->has, AZB_HAS_LABEL)) {
        cJSON_AddStringToObject(o, "label", e->label);
    }
    if (has(e->has, AZB_HAS_TIMEOUT)) {
        cJSON_AddNumberToObject(o, "timeout_ms", e->timeout_ms);
    }
    if (has(e->has, AZB_HAS_RETRIES)) {
        cJSON_AddNumberToObject(o, "retries", e->retries);
    }
    if (has(e->has, AZB_HAS_BACKOFF)) {
        cJSON_AddNumberToObject(o, "backoff_ms", e->backoff_ms);
    }
    if (has(e->has, AZB_HAS_BACKOFF_MULT)) {
        cJSON_AddNumberToObject(o, "backoff_multiplier", e->backoff_mult);
    }
    if (has(e->has, AZB_HAS_JITTER)) {
        cJSON_AddStringToObject(o, "jitter", e->jitter == AZB_JITTER_NONE ? "none" : "full");
    }
    if (!azbi_extras_emit(o, &e->extras)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *group_json(const azb_group *g)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) {
        return NULL;
    }
    cJSON_AddStringToObject(o, "id", g->id);
    cJSON_AddStringToObject(o, "kind", g->kind);
    cJSON_AddStringToObject(o, "region", g->region);
    if (has(g->has, AZB_HAS_ZONE)) {
        cJSON_AddNumberToObject(o, "zone", g->zone);
    }
    if (has(g->has, AZB_HAS_LABEL)) {
        cJSON_AddStringToObject(o, "label", g->label);
    }
    if (has(g->has, AZB_HAS_XY)) {
        cJSON_AddNumberToObject(o, "x", g->x);
        cJSON_AddNumberToObject(o, "y", g->y);
    }
    if (has(g->has, AZB_HAS_SIZE)) {
        cJSON_AddNumberToObject(o, "w", g->w);
        cJSON_AddNumberToObject(o, "h", g->h);
    }
    if (!azbi_extras_emit(o, &g->extras)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *profile_json(const azb_profile *p)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) {
        return NULL;
    }
    cJSON_AddStringToObject(o, "type", azb_profile_type_name(p->type));
    switch (p->type) {
    case AZB_PROFILE_RAMP:
        cJSON_AddNumberToObject(o, "from_rps", p->from_rps);
        cJSON_AddNumberToObject(o, "to_rps", p->to_rps);
        cJSON_AddNumberToObject(o, "duration_s", p->duration_s);
        break;
    case AZB_PROFILE_SPIKE:
        cJSON_AddNumberToObject(o, "base_rps", p->base_rps);
        cJSON_AddNumberToObject(o, "peak_rps", p->peak_rps);
        cJSON_AddNumberToObject(o, "start_s", p->start_s);
        cJSON_AddNumberToObject(o, "length_s", p->length_s);
        if (p->duration_s > 0.0) {
            cJSON_AddNumberToObject(o, "duration_s", p->duration_s);
        }
        break;
    case AZB_PROFILE_DIURNAL:
        cJSON_AddNumberToObject(o, "trough_rps", p->trough_rps);
        cJSON_AddNumberToObject(o, "peak_rps", p->peak_rps);
        if (p->period_s > 0.0) {
            cJSON_AddNumberToObject(o, "period_s", p->period_s);
        }
        break;
    case AZB_PROFILE_PIECEWISE: {
        cJSON *pts = cJSON_AddArrayToObject(o, "points");
        for (int i = 0; pts != NULL && i < p->npoints; i++) {
            cJSON_AddItemToArray(pts, cJSON_CreateDoubleArray(p->points[i], 2));
        }
        break;
    }
    case AZB_PROFILE_CONSTANT:
    default:
        break;
    }
    if (!azbi_extras_emit(o, &p->extras)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *operation_json(const azb_operation *op)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) {
        return NULL;
    }
    cJSON_AddStringToObject(o, "name", op->name);
    cJSON_AddNumberToObject(o, "share", op->share);
    if (has(op->has, AZB_HAS_REQUEST_KB)) {
        cJSON_AddNumberToObject(o, "request_kb", op->request_kb);
    }
    if (has(op->has, AZB_HAS_RESPONSE_KB)) {
        cJSON_AddNumberToObject(o, "response_kb", op->response_kb);
    }
    if (has(op->has, AZB_HAS_WRITE)) {
        cJSON_AddBoolToObject(o, "write", op->write);
    }
    if (has(op->has, AZB_HAS_TOKENS)) {
        cJSON_AddNumberToObject(o, "tokens_in", op->tokens_in);
    }
    if (has(op->has, AZB_HAS_TOKENS_OUT)) {
        cJSON_AddNumberToObject(o, "tokens_out", op->tokens_out);
    }
    if (!azbi_extras_emit(o, &op->extras)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *workload_json(const azb_workload *w)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) {
        return NULL;
    }
    if (w->entry[0] != '\0') {
        cJSON_AddStringToObject(o, "entry", w->entry);
    }
    cJSON_AddNumberToObject(o, "rps", w->rps);
    if (w->has_profile) {
        cJSON_AddItemToObject(o, "profile", profile_json(&w->profile));
    }
    if (w->nops > 0) {
        cJSON *ops = cJSON_AddArrayToObject(o, "operations");
        for (int i = 0; ops != NULL && i < w->nops; i++) {
            cJSON_AddItemToArray(ops, operation_json(&w->ops[i]));
        }
    }
    if (!azbi_extras_emit(o, &w->extras)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* cJSON's add functions ignore a NULL item, so an allocation failure deep in
 * the tree shows up only as a missing piece: count what was built instead. */
static bool add_all(cJSON *arr, int n, cJSON *(*make)(const void *, int), const void *base)
{
    for (int i = 0; i < n; i++) {
        cJSON *it = make(base, i);
        if (it == NULL) {
            return false;
        }
        cJSON_AddItemToArray(arr, it);
    }
    return true;
}

static cJSON *make_node(const void *b, int i)
{
    return node_json(&((const azb_node *)b)[i]);
}
static cJSON *make_edge(const void *b, int i)
{
    return edge_json(&((const azb_edge *)b)[i]);
}
static cJSON *make_group(const void *b, int i)
{
    return group_json(&((const azb_group *)b)[i]);
}

char *azb_design_to_json(const azb_design *d)
{
    assert(d != NULL);
    cJSON *root = cJSON_CreateObject();
    if (root == NULL) {
        return NULL;
    }
    char *text = NULL;
    cJSON_AddStringToObject(root, "format", AZB_DESIGN_FORMAT);
    cJSON_AddNumberToObject(root, "version", AZB_DESIGN_VERSION);
    cJSON_AddStringToObject(root, "name", d->name);
    if (d->has_description) {
        cJSON_AddStringToObject(root, "description", d->description);
    }
    if (d->has_prompt) {
        cJSON_AddStringToObject(root, "prompt", d->prompt);
    }
    if (d->nscenarios > 0) {
        cJSON *sc = cJSON_AddArrayToObject(root, "scenarios");
        for (int i = 0; sc != NULL && i < d->nscenarios; i++) {
            cJSON_AddItemToArray(sc, cJSON_CreateString(d->scenarios[i]));
        }
    }
    cJSON *nodes = cJSON_AddArrayToObject(root, "nodes");
    if (nodes == NULL || !add_all(nodes, d->nnodes, make_node, d->nodes)) {
        goto fail;
    }
    if (d->nedges > 0) {
        cJSON *edges = cJSON_AddArrayToObject(root, "edges");
        if (edges == NULL || !add_all(edges, d->nedges, make_edge, d->edges)) {
            goto fail;
        }
    }
    if (d->ngroups > 0) {
        cJSON *groups = cJSON_AddArrayToObject(root, "groups");
        if (groups == NULL || !add_all(groups, d->ngroups, make_group, d->groups)) {
            goto fail;
        }
    }
    if (d->workload.present) {
        cJSON *w = workload_json(&d->workload);
        if (w == NULL) {
            goto fail;
        }
        cJSON_AddItemToObject(root, "workload", w);
    }
    if (!azbi_extras_emit(root, &d->extras)) {
        goto fail;
    }
    text = azbi_json_print(root);
fail:
    cJSON_Delete(root);
    return text;
}

bool azb_design_save(const azb_design *d, const char *path, azb_errors *errs)
{
    assert(d != NULL && path != NULL && errs != NULL);
    char *text = azb_design_to_json(d);
    if (text == NULL) {
        azb_errors_add(errs, false, path, 0, 0, "", "out of memory; nothing was written");
        return false;
    }
    bool ok = azbi_write_atomic(path, text, strlen(text), errs);
    free(text);
    return ok;
}
