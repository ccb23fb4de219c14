#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "azbi_design.h"

static const char *const balancing_names[AZB_BAL_COUNT] = {
    "default", "round_robin", "hash", "random", "least_connections"};
static const char *const profile_names[AZB_PROFILE_COUNT] = {
    "constant", "ramp", "spike", "diurnal", "piecewise"};

const char *azb_balancing_name(azb_balancing b)
{
    return (b >= 0 && b < AZB_BAL_COUNT) ? balancing_names[b] : "?";
}

const char *azb_profile_type_name(azb_profile_type t)
{
    return (t >= 0 && t < AZB_PROFILE_COUNT) ? profile_names[t] : "?";
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p != NULL) {
        memcpy(p, s, n);
    }
    return p;
}

void azbi_extras_free(azb_extras *x)
{
    for (int i = 0; i < x->count; i++) {
        free(x->items[i].key);
        free(x->items[i].json);
    }
    free(x->items);
    x->items = NULL;
    x->count = 0;
}

bool azbi_extras_add(azb_extras *x, const char *key, const cJSON *value)
{
    azb_extra *items = realloc(x->items, (size_t)(x->count + 1) * sizeof(*items));
    if (items == NULL) {
        return false;
    }
    x->items = items;
    char *k = dup_str(key);
    char *j = cJSON_PrintUnformatted(value);
    if (k == NULL || j == NULL) {
        free(k);
        free(j);
        return false;
    }
    x->items[x->count].key = k;
    x->items[x->count].json = j;
    x->count++;
    return true;
}

bool azbi_extras_copy(azb_extras *dst, const azb_extras *src)
{
    dst->items = NULL;
    dst->count = 0;
    if (src->count == 0) {
        return true;
    }
    dst->items = calloc((size_t)src->count, sizeof(*dst->items));
    if (dst->items == NULL) {
        return false;
    }
    for (int i = 0; i < src->count; i++) {
        dst->items[i].key = dup_str(src->items[i].key);
        dst->items[i].json = dup_str(src->items[i].json);
        dst->count++;
        if (dst->items[i].key == NULL || dst->items[i].json == NULL) {
            return false;
        }
    }
    return true;
}

bool azbi_extras_emit(cJSON *obj, const azb_extras *x)
{
    for (int i = 0; i < x->count; i++) {
        cJSON *v = cJSON_Parse(x->items[i].json);
        if (v == NULL) {
            return false;
        }
        cJSON_AddItemToObject(obj, x->items[i].key, v);
    }
    return true;
}

void azbi_profile_free(azb_profile *p)
{
    free(p->points);
    p->points = NULL;
    p->npoints = 0;
    azbi_extras_free(&p->extras);
}

azb_design *azb_design_create(const char *name)
{
    azb_design *d = calloc(1, sizeof(*d));
    if (d == NULL) {
        return NULL;
    }
    if (name != NULL) {
        size_t n = strlen(name);
        if (n >= sizeof(d->name)) {
            n = sizeof(d->name) - 1;
        }
        memcpy(d->name, name, n);
    }
    d->workload.entry_idx = -1;
    return d;
}

static void node_free(azb_node *n)
{
    free(n->settings);
    n->settings = NULL;
    azbi_extras_free(&n->extras);
    azbi_extras_free(&n->autoscale.extras);
}

void azb_design_destroy(azb_design *d)
{
    if (d == NULL) {
        return;
    }
    for (int i = 0; i < d->nnodes; i++) {
        node_free(&d->nodes[i]);
    }
    for (int i = 0; i < d->nedges; i++) {
        free(d->edges[i].ops);
        azbi_extras_free(&d->edges[i].extras);
    }
    for (int i = 0; i < d->ngroups; i++) {
        azbi_extras_free(&d->groups[i].extras);
    }
    for (int i = 0; i < d->workload.nops; i++) {
        azbi_extras_free(&d->workload.ops[i].extras);
    }
    free(d->workload.ops);
    azbi_profile_free(&d->workload.profile);
    azbi_extras_free(&d->workload.extras);
    azbi_extras_free(&d->extras);
    free(d->nodes);
    free(d->edges);
    free(d->groups);
    free(d);
}

static void *dup_array(const void *src, size_t count, size_t size)
{
    if (count == 0) {
        return NULL;
    }
    void *p = malloc(count * size);
    if (p != NULL) {
        memcpy(p, src, count * size);
    }
    return p;
}

azb_design *azb_design_clone(const azb_design *d)
{
    assert(d != NULL);
    azb_design *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return NULL;
    }
    *c = *d;
    /* Reset every owned pointer first so a failure part way frees cleanly. */
    c->nodes = NULL;
    c->edges = NULL;
    c->groups = NULL;
    c->nnodes = c->nedges = c->ngroups = 0;
    c->workload.ops = NULL;
    c->workload.nops = 0;
    c->workload.profile.points = NULL;
    c->workload.profile.npoints = 0;
    c->workload.profile.extras = (azb_extras){0};
    c->workload.extras = (azb_extras){0};
    c->extras = (azb_extras){0};

    if (!azbi_extras_copy(&c->extras, &d->extras) ||
        !azbi_extras_copy(&c->workload.extras, &d->workload.extras) ||
        !azbi_extras_copy(&c->workload.profile.extras, &d->workload.profile.extras)) {
        goto fail;
    }
    if (d->workload.profile.npoints > 0) {
        c->workload.profile.points = dup_array(d->workload.profile.points,
                                               (size_t)d->workload.profile.npoints,
                                               sizeof(*d->workload.profile.points));
        if (c->workload.profile.points == NULL) {
            goto fail;
        }
        c->workload.profile.npoints = d->workload.profile.npoints;
    }
    if (d->nnodes > 0) {
        c->nodes = calloc((size_t)d->nnodes, sizeof(*c->nodes));
        if (c->nodes == NULL) {
            goto fail;
        }
        for (int i = 0; i < d->nnodes; i++) {
            c->nodes[i] = d->nodes[i];
            c->nodes[i].settings = NULL;
            c->nodes[i].nsettings = 0;
            c->nodes[i].extras = (azb_extras){0};
            c->nodes[i].autoscale.extras = (azb_extras){0};
            c->nnodes++;
            if (d->nodes[i].nsettings > 0) {
                c->nodes[i].settings = dup_array(d->nodes[i].settings,
                                                 (size_t)d->nodes[i].nsettings,
                                                 sizeof(*d->nodes[i].settings));
                if (c->nodes[i].settings == NULL) {
                    goto fail;
                }
                c->nodes[i].nsettings = d->nodes[i].nsettings;
            }
            if (!azbi_extras_copy(&c->nodes[i].extras, &d->nodes[i].extras) ||
                !azbi_extras_copy(&c->nodes[i].autoscale.extras, &d->nodes[i].autoscale.extras)) {
                goto fail;
            }
        }
    }
    if (d->nedges > 0) {
        c->edges = calloc((size_t)d->nedges, sizeof(*c->edges));
        if (c->edges == NULL) {
            goto fail;
        }
        for (int i = 0; i < d->nedges; i++) {
            c->edges[i] = d->edges[i];
            c->edges[i].ops = NULL;
            c->edges[i].nops = 0;
            c->edges[i].extras = (azb_extras){0};
            c->nedges++;
            if (d->edges[i].nops > 0) {
                c->edges[i].ops = dup_array(d->edges[i].ops, (size_t)d->edges[i].nops,
                                            sizeof(*d->edges[i].ops));
                if (c->edges[i].ops == NULL) {
                    goto fail;
                }
                c->edges[i].nops = d->edges[i].nops;
            }
            if (!azbi_extras_copy(&c->edges[i].extras, &d->edges[i].extras)) {
                goto fail;
            }
        }
    }
    if (d->ngroups > 0) {
        c->groups = calloc((size_t)d->ngroups, sizeof(*c->groups));
        if (c->groups == NULL) {
            goto fail;
        }
        for (int i = 0; i < d->ngroups; i++) {
            c->groups[i] = d->groups[i];
            c->groups[i].extras = (azb_extras){0};
            c->ngroups++;
            if (!azbi_extras_copy(&c->groups[i].extras, &d->groups[i].extras)) {
                goto fail;
            }
        }
    }
    if (d->workload.nops > 0) {
        c->workload.ops = calloc((size_t)d->workload.nops, sizeof(*c->workload.ops));
        if (c->workload.ops == NULL) {
            goto fail;
        }
        for (int i = 0; i < d->workload.nops; i++) {
            c->workload.ops[i] = d->workload.ops[i];
            c->workload.ops[i].extras = (azb_extras){0};
            c->workload.nops++;
            if (!azbi_extras_copy(&c->workload.ops[i].extras, &d->workload.ops[i].extras)) {
                goto fail;
            }
        }
    }
    return c;
fail:
    azb_design_destroy(c);
    return NULL;
}

int azb_design_find_node(const azb_design *d, const char *id)
{
    if (d == NULL || id == NULL) {
        return -1;
    }
    for (int i = 0; i < d->nnodes; i++) {
        if (strcmp(d->nodes[i].id, id) == 0) {
            return i;
        }
    }
    return -1;
}

const azb_setting *azb_node_setting(const azb_node *n, const char *name)
{
    if (n == NULL || name == NULL) {
        return NULL;
    }
    for (int i = 0; i < n->nsettings; i++) {
        if (strcmp(n->settings[i].name, name) == 0) {
            return &n->settings[i];
        }
    }
    return NULL;
}

double azb_node_setting_num(const azb_node *n, const char *name, double fallback)
{
    const azb_setting *s = azb_node_setting(n, name);
    if (s != NULL && s->type != AZB_SETTING_STRING) {
        return s->num;
    }
    if (n != NULL && n->kind_ref != NULL) {
        const azb_setting_def *def = azb_catalog_find_setting(n->kind_ref, name);
        if (def != NULL && def->type != AZB_SETTING_STRING) {
            return def->def;
        }
    }
    return fallback;
}

static double piecewise_rate(const azb_profile *p, double t)
{
    if (p->npoints == 0) {
        return 0.0;
    }
    if (t <= p->points[0][0]) {
        return p->points[0][1];
    }
    for (int i = 1; i < p->npoints; i++) {
        if (t <= p->points[i][0]) {
            double t0 = p->points[i - 1][0];
            double t1 = p->points[i][0];
            double f = t1 > t0 ? (t - t0) / (t1 - t0) : 1.0;
            return p->points[i - 1][1] + f * (p->points[i][1] - p->points[i - 1][1]);
        }
    }
    return p->points[p->npoints - 1][1];
}

double azb_profile_rate(const azb_workload *w, double t)
{
    assert(w != NULL);
    if (!w->has_profile) {
        return w->rps;
    }
    const azb_profile *p = &w->profile;
    switch (p->type) {
    case AZB_PROFILE_CONSTANT:
        return w->rps;
    case AZB_PROFILE_RAMP:
        if (t >= p->duration_s) {
            return p->to_rps;
        }
        return p->from_rps + (p->to_rps - p->from_rps) * (t > 0.0 ? t / p->duration_s : 0.0);
    case AZB_PROFILE_SPIKE:
        return (t >= p->start_s && t < p->start_s + p->length_s) ? p->peak_rps : p->base_rps;
    case AZB_PROFILE_DIURNAL: {
        /* Trough at t = 0, peak at half the period. */
        double period = p->period_s > 0.0 ? p->period_s : 86400.0;
        double phase = 2.0 * 3.14159265358979323846 * t / period;
        return p->trough_rps + (p->peak_rps - p->trough_rps) * 0.5 * (1.0 - cos(phase));
    }
    case AZB_PROFILE_PIECEWISE:
        return piecewise_rate(p, t);
    default:
        return w->rps;
    }
}

double azb_profile_average(const azb_workload *w)
{
    assert(w != NULL);
    if (!w->has_profile) {
        return w->rps;
    }
    const azb_profile *p = &w->profile;
    switch (p->type) {
    case AZB_PROFILE_RAMP:
        return 0.5 * (p->from_rps + p->to_rps);
    case AZB_PROFILE_SPIKE: {
        double span = p->duration_s > 0.0 ? p->duration_s : p->start_s + p->length_s;
        if (!(span > 0.0)) {
            return p->base_rps;
        }
        double len = fmin(p->length_s, fmax(0.0, span - p->start_s));
        return (p->base_rps * (span - len) + p->peak_rps * len) / span;
    }
    case AZB_PROFILE_DIURNAL:
        return 0.5 * (p->trough_rps + p->peak_rps);
    case AZB_PROFILE_PIECEWISE: {
        if (p->npoints < 2) {
            return p->npoints == 1 ? p->points[0][1] : 0.0;
        }
        double area = 0.0;
        for (int i = 1; i < p->npoints; i++) {
            double dt = p->points[i][0] - p->points[i - 1][0];
            area += 0.5 * dt * (p->points[i][1] + p->points[i - 1][1]);
        }
        double span = p->points[p->npoints - 1][0] - p->points[0][0];
        return span > 0.0 ? area / span : p->points[0][1];
    }
    case AZB_PROFILE_CONSTANT:
    default:
        return w->rps;
    }
}

bool azb_file_format(const char *path, char *format, size_t size)
{
    assert(path != NULL && format != NULL && size > 0);
    format[0] = '\0';
    azb_errors errs;
    azb_errors_init(&errs);
    char *text = NULL;
    size_t len = 0;
    bool ok = azbi_file_read(path, AZBI_MAX_FILE_BYTES, &text, &len, &errs);
    azb_errors_free(&errs);
    if (!ok) {
        return false;
    }
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, "format");
    ok = cJSON_IsString(f) && strlen(f->valuestring) < size;
    if (ok) {
        memcpy(format, f->valuestring, strlen(f->valuestring) + 1);
    }
    cJSON_Delete(root);
    return ok;
}
