#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azbi_design.h"

typedef struct loader {
    azbi_jdoc *doc;
    const azb_catalog *cat;
    azb_design *d;
    bool ok;
} loader;

static const char *const root_keys[] = {"format",    "version", "name",  "description",
                                        "prompt",    "scenarios", "nodes", "edges",
                                        "groups",    "workload",  NULL};
static const char *const node_keys[] = {"id", "label", "kind", "sku", "count", "region",
                                        "zones", "x", "y", "service_ms", "service_dist", "cv",
                                        "concurrency", "balancing", "autoscale", "queue_limit",
                                        NULL};
static const char *const edge_keys[] = {"from", "to", "p", "calls", "mode", "request_kb",
                                        "response_kb", "on", "ops", "label", "timeout_ms",
                                        "retries", "backoff_ms", "backoff_multiplier", "jitter",
                                        NULL};
static const char *const group_keys[] = {"id", "kind", "region", "zone", "label",
                                         "x", "y", "w", "h", NULL};
static const char *const workload_keys[] = {"entry", "rps", "profile", "operations", NULL};
static const char *const op_keys[] = {"name", "share", "request_kb", "response_kb", "write",
                                      "tokens_in", "tokens_out", NULL};
static const char *const autoscale_keys[] = {"min", "max", "target", NULL};

/* Keys of a load profile that belong to each type. */
static const char *const profile_keys[AZB_PROFILE_COUNT][6] = {
    {"type", NULL},
    {"type", "from_rps", "to_rps", "duration_s", NULL},
    {"type", "base_rps", "peak_rps", "start_s", "length_s", "duration_s"},
    {"type", "trough_rps", "peak_rps", "period_s", NULL},
    {"type", "points", NULL},
};

static const char *const profile_type_names[AZB_PROFILE_COUNT] = {
    "constant", "ramp", "spike", "diurnal", "piecewise"};

static bool in_list(const char *key, const char *const *list, int max)
{
    for (int i = 0; i < max && list[i] != NULL; i++) {
        if (strcmp(key, list[i]) == 0) {
            return true;
        }
    }
    return false;
}

static void fail(loader *L)
{
    L->ok = false;
}

/* Duplicate keys are errors (cJSON would silently keep the first); keys the
 * format does not know are kept and warned about. */
static void scan_keys(loader *L, const cJSON *obj, const char *path, const char *const *known,
                      int nknown, const azb_kind *kind, azb_extras *extras)
{
    if (azbi_check_duplicate_keys(L->doc, obj, path) > 0) {
        fail(L);
    }
    for (const cJSON *c = obj->child; c != NULL; c = c->next) {
        char p[200];
        azbi_path_key(p, sizeof(p), path, c->string);
        if (in_list(c->string, known, nknown)) {
            continue;
        }
        if (kind != NULL && azb_catalog_find_setting(kind, c->string) != NULL) {
            continue;
        }
        if (kind != NULL || extras != NULL) {
            azbi_jwarn(L->doc, p, "unknown key \"%s\", kept as is", c->string);
        }
        if (extras != NULL && !azbi_extras_add(extras, c->string, c)) {
            azbi_jerr(L->doc, p, "out of memory");
            fail(L);
        }
    }
}

/* Keys that only mean something together (x and y, w and h): both or
 * neither, so saving never invents the other half. */
static void pair(loader *L, const cJSON *obj, const char *path, const char *a, const char *b,
                 bool ha, bool hb, unsigned *has, unsigned bit)
{
    if (ha && hb) {
        *has |= bit;
    } else if (ha != hb) {
        char p[200];
        azbi_path_key(p, sizeof(p), path, ha ? a : b);
        azbi_jerr(L->doc, p, "\"%s\" needs \"%s\" beside it", ha ? a : b, ha ? b : a);
        fail(L);
    }
    (void)obj;
}

static bool need_object(loader *L, const cJSON *it, const char *path)
{
    if (!cJSON_IsObject(it)) {
        azbi_jerr(L->doc, path, "expected an object, got %s", azbi_jtype_name(it));
        fail(L);
        return false;
    }
    return true;
}

/* "scenarios": names (lower case, digits, '-' and '_', 1 to 63 bytes), each
 * once, at most AZB_DESIGN_MAX_SCENARIOS. */
static void read_scenarios(loader *L, const cJSON *root, azb_design *d)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "scenarios");
    if (arr == NULL) {
        return;
    }
    if (!cJSON_IsArray(arr)) {
        azbi_jerr(L->doc, "scenarios", "expected an array of scenario names, got %s",
                  azbi_jtype_name(arr));
        L->ok = false;
        return;
    }
    int i = 0;
    const cJSON *it = NULL;
    cJSON_ArrayForEach(it, arr)
    {
        char p[64];
        azbi_path_index(p, sizeof(p), "scenarios", i++);
        const char *v = cJSON_IsString(it) ? it->valuestring : NULL;
        size_t n = v != NULL ? strlen(v) : 0;
        bool ok = v != NULL && n > 0 && n < sizeof(d->scenarios[0]);
        for (size_t k = 0; ok && k < n; k++) {
            char c = v[k];
            ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        }
        if (!ok) {
            azbi_jerr(L->doc, p,
                      "a scenario name is the file's name without .json: lower case, digits, "
                      "'-' and '_', 1 to 63 bytes (got %s)",
                      v != NULL ? "that" : azbi_jtype_name(it));
            L->ok = false;
            continue;
        }
        bool dup = false;
        for (int k = 0; k < d->nscenarios && !dup; k++) {
            dup = strcmp(d->scenarios[k], v) == 0;
        }
        if (dup) {
            azbi_jerr(L->doc, p, "scenario \"%s\" is listed twice", v);
            L->ok = false;
        } else if (d->nscenarios >= AZB_DESIGN_MAX_SCENARIOS) {
            azbi_jerr(L->doc, p, "at most %d scenarios", AZB_DESIGN_MAX_SCENARIOS);
            L->ok = false;
        } else {
            snprintf(d->scenarios[d->nscenarios++], sizeof(d->scenarios[0]), "%s", v);
        }
    }
}

static void read_str(loader *L, const cJSON *obj, const char *key, const char *path,
                     size_t size, char *out, bool required, unsigned *has, unsigned bit)
{
    bool present = false;
    if (!azbi_jstr(L->doc, obj, key, path, size, out, &present)) {
        fail(L);
        return;
    }
    if (!present && required) {
        azbi_jmissing(L->doc, path, key);
        fail(L);
    }
    if (present && required && out[0] == '\0') {
        char p[200];
        azbi_path_key(p, sizeof(p), path, key);
        azbi_jerr(L->doc, p, "must not be empty");
        fail(L);
    }
    if (present && has != NULL) {
        *has |= bit;
    }
}

static bool read_num(loader *L, const cJSON *obj, const char *key, const char *path,
                     unsigned flags, double max, double *out, unsigned *has, unsigned bit)
{
    bool present = false;
    if (!azbi_jnum(L->doc, obj, key, path, flags, max, out, &present)) {
        fail(L);
        return false;
    }
    if (present && has != NULL) {
        *has |= bit;
    }
    return present;
}

static bool read_enum(loader *L, const cJSON *obj, const char *key, const char *path,
                      const char *const *names, int n, int *out)
{
    char buf[48] = "";
    bool present = false;
    if (!azbi_jstr(L->doc, obj, key, path, sizeof(buf), buf, &present)) {
        fail(L);
        return false;
    }
    if (!present) {
        return false;
    }
    for (int i = 0; i < n; i++) {
        if (names[i] != NULL && strcmp(buf, names[i]) == 0) {
            *out = i;
            return true;
        }
    }
    char p[200];
    char list[240] = "";
    for (int i = 0; i < n; i++) {
        if (names[i] != NULL) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof(list) - len, "%s%s", len > 0 ? ", " : "", names[i]);
        }
    }
    azbi_path_key(p, sizeof(p), path, key);
    azbi_jerr(L->doc, p, "unknown value \"%s\"; expected one of: %s", buf, list);
    fail(L);
    return false;
}

static void parse_zones(loader *L, const cJSON *node, const char *path, azb_node *n)
{
    const cJSON *z = cJSON_GetObjectItemCaseSensitive(node, "zones");
    if (z == NULL) {
        return;
    }
    char p[200];
    azbi_path_key(p, sizeof(p), path, "zones");
    n->has |= AZB_HAS_ZONES;
    if (!cJSON_IsArray(z)) {
        azbi_jerr(L->doc, p, "expected an array of zone numbers such as [1, 2, 3], got %s",
                  azbi_jtype_name(z));
        fail(L);
        return;
    }
    int i = 0;
    const cJSON *it = NULL;
    cJSON_ArrayForEach(it, z)
    {
        char pi[220];
        azbi_path_index(pi, sizeof(pi), p, i++);
        if (!cJSON_IsNumber(it) || it->valuedouble != floor(it->valuedouble) ||
            it->valuedouble < 1.0 || it->valuedouble > AZB_DESIGN_MAX_ZONES) {
            azbi_jerr(L->doc, pi, "a zone is 1, 2 or 3");
            fail(L);
            continue;
        }
        int zone = (int)it->valuedouble;
        bool dup = false;
        for (int k = 0; k < n->nzones; k++) {
            dup = dup || n->zones[k] == zone;
        }
        if (dup) {
            azbi_jerr(L->doc, pi, "zone %d is listed twice", zone);
            fail(L);
            continue;
        }
        if (n->nzones < AZB_DESIGN_MAX_ZONES) {
            n->zones[n->nzones++] = zone;
        }
    }
}

static void parse_autoscale(loader *L, const cJSON *node, const char *path, azb_node *n)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(node, "autoscale");
    if (a == NULL) {
        return;
    }
    char p[200];
    azbi_path_key(p, sizeof(p), path, "autoscale");
    if (!need_object(L, a, p)) {
        return;
    }
    n->has |= AZB_HAS_AUTOSCALE;
    scan_keys(L, a, p, autoscale_keys, 8, NULL, &n->autoscale.extras);
    double mn = 1.0;
    double mx = 1.0;
    double target = 0.0; /* not given: consumers use 0.7 */
    bool has_min = read_num(L, a, "min", p, AZBI_NUM_INT | AZBI_NUM_NONNEG, 100000, &mn, NULL, 0);
    bool has_max = read_num(L, a, "max", p, AZBI_NUM_INT | AZBI_NUM_POSITIVE, 100000, &mx, NULL, 0);
    read_num(L, a, "target", p, AZBI_NUM_POSITIVE, 0.99, &target, NULL, 0);
    if (!has_min) {
        azbi_jmissing(L->doc, p, "min");
        fail(L);
    }
    if (!has_max) {
        azbi_jmissing(L->doc, p, "max");
        fail(L);
    }
    if (has_min && has_max && mn > mx) {
        char pm[220];
        azbi_path_key(pm, sizeof(pm), p, "min");
        azbi_jerr(L->doc, pm, "min (%g) is larger than max (%g)", mn, mx);
        fail(L);
    }
    n->autoscale.min = (int)mn;
    n->autoscale.max = (int)mx;
    n->autoscale.target = target;
}

static void parse_setting(loader *L, const cJSON *it, const char *path,
                          const azb_setting_def *def, azb_node *n)
{
    azb_setting s;
    memset(&s, 0, sizeof(s));
    snprintf(s.name, sizeof(s.name), "%s", def->name);
    s.type = def->type;
    if (def->type == AZB_SETTING_BOOL) {
        if (!cJSON_IsBool(it)) {
            azbi_jerr(L->doc, path, "expected true or false, got %s", azbi_jtype_name(it));
            fail(L);
            return;
        }
        s.num = cJSON_IsTrue(it) ? 1.0 : 0.0;
    } else if (def->type == AZB_SETTING_STRING) {
        if (!cJSON_IsString(it) || strlen(it->valuestring) >= sizeof(s.str)) {
            azbi_jerr(L->doc, path, "expected a string (under %zu bytes), got %s", sizeof(s.str),
                      azbi_jtype_name(it));
            fail(L);
            return;
        }
        snprintf(s.str, sizeof(s.str), "%s", it->valuestring);
        bool allowed = def->nchoices == 0;
        for (int i = 0; i < def->nchoices; i++) {
            allowed = allowed || strcmp(def->choices[i], s.str) == 0;
        }
        if (!allowed) {
            char list[300] = "";
            for (int i = 0; i < def->nchoices; i++) {
                size_t len = strlen(list);
                snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", def->choices[i]);
            }
            azbi_jerr(L->doc, path, "unknown value \"%s\"; expected one of: %s", s.str, list);
            fail(L);
            return;
        }
    } else {
        if (!cJSON_IsNumber(it)) {
            azbi_jerr(L->doc, path, "expected a number, got %s", azbi_jtype_name(it));
            fail(L);
            return;
        }
        double v = it->valuedouble;
        if (!isfinite(v)) {
            azbi_jerr(L->doc, path, "number is out of range (not finite)");
            fail(L);
            return;
        }
        if (def->integer && v != floor(v)) {
            azbi_jerr(L->doc, path, "expected a whole number, got %g", v);
            fail(L);
            return;
        }
        if (v < def->min || v > def->max) {
            azbi_jerr(L->doc, path, "%s must be within [%g, %g] %s, got %g", def->name, def->min,
                      def->max, def->unit, v);
            fail(L);
            return;
        }
        s.num = v;
    }
    azb_setting *grown = realloc(n->settings, (size_t)(n->nsettings + 1) * sizeof(*grown));
    if (grown == NULL) {
        azbi_jerr(L->doc, path, "out of memory");
        fail(L);
        return;
    }
    n->settings = grown;
    n->settings[n->nsettings++] = s;
}

static void parse_node(loader *L, const cJSON *obj, const char *path, azb_node *n)
{
    n->count = 1;
    n->concurrency = 1;
    n->region_idx = -1;
    if (!need_object(L, obj, path)) {
        return;
    }
    read_str(L, obj, "id", path, sizeof(n->id), n->id, true, NULL, 0);
    read_str(L, obj, "label", path, sizeof(n->label), n->label, false, &n->has, AZB_HAS_LABEL);
    read_str(L, obj, "kind", path, sizeof(n->kind), n->kind, true, NULL, 0);
    read_str(L, obj, "sku", path, sizeof(n->sku), n->sku, false, &n->has, AZB_HAS_SKU);
    read_str(L, obj, "region", path, sizeof(n->region), n->region, false, &n->has,
             AZB_HAS_REGION);
    double v = 0.0;
    if (read_num(L, obj, "count", path, AZBI_NUM_INT | AZBI_NUM_POSITIVE, 100000, &v, &n->has,
                 AZB_HAS_COUNT)) {
        n->count = (int)v;
    }
    parse_zones(L, obj, path, n);
    bool hx = read_num(L, obj, "x", path, AZBI_NUM_ANY, 0, &n->x, NULL, 0);
    bool hy = read_num(L, obj, "y", path, AZBI_NUM_ANY, 0, &n->y, NULL, 0);
    pair(L, obj, path, "x", "y", hx, hy, &n->has, AZB_HAS_XY);
    read_num(L, obj, "service_ms", path, AZBI_NUM_POSITIVE, 3600000.0, &n->service_ms, &n->has,
             AZB_HAS_SERVICE_MS);
    int e = 0;
    if (read_enum(L, obj, "service_dist", path,
                  (const char *const[]){"exp", "det", "lognormal"}, 3, &e)) {
        n->service_dist = (azb_dist)e;
        n->has |= AZB_HAS_SERVICE_DIST;
    }
    read_num(L, obj, "cv", path, AZBI_NUM_NONNEG, 20.0, &n->cv, &n->has, AZB_HAS_CV);
    if (read_num(L, obj, "concurrency", path, AZBI_NUM_INT | AZBI_NUM_POSITIVE, 1000000.0, &v,
                 &n->has, AZB_HAS_CONCURRENCY)) {
        n->concurrency = (int)v;
    }
    if (read_enum(L, obj, "balancing", path,
                  (const char *const[]){NULL, "round_robin", "hash", "random",
                                        "least_connections"},
                  AZB_BAL_COUNT, &e)) {
        n->balancing = (azb_balancing)e;
        n->has |= AZB_HAS_BALANCING;
    }
    parse_autoscale(L, obj, path, n);
    if (read_num(L, obj, "queue_limit", path, AZBI_NUM_INT | AZBI_NUM_NONNEG, 1.0e9, &v, &n->has,
                 AZB_HAS_QUEUE_LIMIT)) {
        n->queue_limit = (int)v;
    }

    const azb_kind *kind = n->kind[0] != '\0' ? azb_catalog_find_kind(L->cat, n->kind) : NULL;
    scan_keys(L, obj, path, node_keys, 64, kind, &n->extras);
    if (kind == NULL) {
        return; /* reported by the check, with a suggestion */
    }
    /* Settings in the kind's declared order, so saving is canonical. */
    for (int i = 0; i < kind->nsettings; i++) {
        const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, kind->settings[i].name);
        if (it != NULL) {
            char p[200];
            azbi_path_key(p, sizeof(p), path, kind->settings[i].name);
            parse_setting(L, it, p, &kind->settings[i], n);
        }
    }
}

static void parse_ops_list(loader *L, const cJSON *obj, const char *path, azb_edge *e)
{
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(obj, "ops");
    if (ops == NULL) {
        return;
    }
    char p[200];
    azbi_path_key(p, sizeof(p), path, "ops");
    e->has |= AZB_HAS_OPS;
    if (!cJSON_IsArray(ops)) {
        azbi_jerr(L->doc, p, "expected an array of operation names, got %s", azbi_jtype_name(ops));
        fail(L);
        return;
    }
    int n = cJSON_GetArraySize(ops);
    if (n > AZB_DESIGN_MAX_OPS) {
        azbi_jerr(L->doc, p, "more than %d operations", AZB_DESIGN_MAX_OPS);
        fail(L);
        return;
    }
    if (n == 0) {
        return;
    }
    e->ops = calloc((size_t)n, sizeof(*e->ops));
    if (e->ops == NULL) {
        azbi_jerr(L->doc, p, "out of memory");
        fail(L);
        return;
    }
    int i = 0;
    const cJSON *it = NULL;
    cJSON_ArrayForEach(it, ops)
    {
        char pi[220];
        azbi_path_index(pi, sizeof(pi), p, i++);
        if (!cJSON_IsString(it) || it->valuestring[0] == '\0' ||
            strlen(it->valuestring) >= sizeof(e->ops[0])) {
            azbi_jerr(L->doc, pi, "expected an operation name, got %s", azbi_jtype_name(it));
            fail(L);
            continue;
        }
        snprintf(e->ops[e->nops++], sizeof(e->ops[0]), "%s", it->valuestring);
    }
}

static void parse_edge(loader *L, const cJSON *obj, const char *path, azb_edge *e)
{
    e->p = 1.0;
    e->calls = 1.0;
    e->backoff_ms = AZB_DEFAULT_BACKOFF_MS;
    e->backoff_mult = AZB_DEFAULT_BACKOFF_MULT;
    e->from_idx = -1;
    e->to_idx = -1;
    if (!need_object(L, obj, path)) {
        return;
    }
    read_str(L, obj, "from", path, sizeof(e->from), e->from, true, NULL, 0);
    read_str(L, obj, "to", path, sizeof(e->to), e->to, true, NULL, 0);
    read_num(L, obj, "p", path, AZBI_NUM_UNIT, 0, &e->p, &e->has, AZB_HAS_P);
    read_num(L, obj, "calls", path, AZBI_NUM_POSITIVE, 1000.0, &e->calls, &e->has, AZB_HAS_CALLS);
    int m = 0;
    if (read_enum(L, obj, "mode", path, (const char *const[]){"sync", "async"}, 2, &m)) {
        e->mode = (azb_edge_mode)m;
        e->has |= AZB_HAS_MODE;
    }
    read_num(L, obj, "request_kb", path, AZBI_NUM_NONNEG, 4.0e6, &e->request_kb, &e->has,
             AZB_HAS_REQUEST_KB);
    read_num(L, obj, "response_kb", path, AZBI_NUM_NONNEG, 4.0e6, &e->response_kb, &e->has,
             AZB_HAS_RESPONSE_KB);
    if (read_enum(L, obj, "on", path, (const char *const[]){NULL, "hit", "miss"}, 3, &m)) {
        e->on = (azb_edge_on)m;
        e->has |= AZB_HAS_ON;
    }
    read_str(L, obj, "label", path, sizeof(e->label), e->label, false, &e->has, AZB_HAS_LABEL);
    parse_ops_list(L, obj, path, e);
    read_num(L, obj, "timeout_ms", path, AZBI_NUM_POSITIVE, 3600000.0, &e->timeout_ms, &e->has,
             AZB_HAS_TIMEOUT);
    double v = 0.0;
    if (read_num(L, obj, "retries", path, AZBI_NUM_INT | AZBI_NUM_NONNEG, 100.0, &v, &e->has,
                 AZB_HAS_RETRIES)) {
        e->retries = (int)v;
    }
    read_num(L, obj, "backoff_ms", path, AZBI_NUM_NONNEG, 3600000.0, &e->backoff_ms, &e->has,
             AZB_HAS_BACKOFF);
    read_num(L, obj, "backoff_multiplier", path, AZBI_NUM_POSITIVE, 100.0, &e->backoff_mult,
             &e->has, AZB_HAS_BACKOFF_MULT);
    if (read_enum(L, obj, "jitter", path, (const char *const[]){"full", "none"}, 2, &m)) {
        e->jitter = (azb_jitter)m;
        e->has |= AZB_HAS_JITTER;
    }
    scan_keys(L, obj, path, edge_keys, 64, NULL, &e->extras);
}

static void parse_group(loader *L, const cJSON *obj, const char *path, azb_group *g)
{
    if (!need_object(L, obj, path)) {
        return;
    }
    read_str(L, obj, "id", path, sizeof(g->id), g->id, true, NULL, 0);
    int k = 0;
    bool has_kind = read_enum(L, obj, "kind", path, (const char *const[]){"region", "zone"}, 2, &k);
    if (!has_kind && cJSON_GetObjectItemCaseSensitive(obj, "kind") == NULL) {
        azbi_jmissing(L->doc, path, "kind");
        fail(L);
    }
    snprintf(g->kind, sizeof(g->kind), "%s", k == 1 ? "zone" : "region");
    read_str(L, obj, "region", path, sizeof(g->region), g->region, true, NULL, 0);
    double v = 0.0;
    if (read_num(L, obj, "zone", path, AZBI_NUM_INT | AZBI_NUM_POSITIVE, AZB_DESIGN_MAX_ZONES, &v,
                 &g->has, AZB_HAS_ZONE)) {
        g->zone = (int)v;
    }
    if (k == 1 && (g->has & AZB_HAS_ZONE) == 0u) {
        azbi_jmissing(L->doc, path, "zone");
        fail(L);
    }
    read_str(L, obj, "label", path, sizeof(g->label), g->label, false, &g->has, AZB_HAS_LABEL);
    bool hx = read_num(L, obj, "x", path, AZBI_NUM_ANY, 0, &g->x, NULL, 0);
    bool hy = read_num(L, obj, "y", path, AZBI_NUM_ANY, 0, &g->y, NULL, 0);
    bool hw = read_num(L, obj, "w", path, AZBI_NUM_POSITIVE, 0, &g->w, NULL, 0);
    bool hh = read_num(L, obj, "h", path, AZBI_NUM_POSITIVE, 0, &g->h, NULL, 0);
    pair(L, obj, path, "x", "y", hx, hy, &g->has, AZB_HAS_XY);
    pair(L, obj, path, "w", "h", hw, hh, &g->has, AZB_HAS_SIZE);
    scan_keys(L, obj, path, group_keys, 64, NULL, &g->extras);
}

/* A piecewise profile's "points" (shared with the scenario loader): at
 * least two [seconds, rps], both finite and not negative, times rising; at
 * most `max`. Records every problem; false when there was one. */
bool azbi_profile_points(azbi_jdoc *doc, const cJSON *obj, const char *path, int max,
                         azb_profile *p)
{
    const cJSON *pts = cJSON_GetObjectItemCaseSensitive(obj, "points");
    char pp[200];
    azbi_path_key(pp, sizeof(pp), path, "points");
    if (pts == NULL) {
        azbi_jmissing(doc, path, "points");
        return false;
    }
    int n = cJSON_IsArray(pts) ? cJSON_GetArraySize(pts) : 0;
    if (n < 2) {
        azbi_jerr(doc, pp, "expected at least two [seconds, rps] points");
        return false;
    }
    if (n > max) {
        azbi_jerr(doc, pp, "%d points; at most %d", n, max);
        return false;
    }
    p->points = calloc((size_t)n, sizeof(*p->points));
    if (p->points == NULL) {
        azbi_jerr(doc, pp, "out of memory");
        return false;
    }
    bool ok = true;
    int i = 0;
    const cJSON *it = NULL;
    cJSON_ArrayForEach(it, pts)
    {
        char pi[220];
        azbi_path_index(pi, sizeof(pi), pp, i++);
        const cJSON *t = cJSON_IsArray(it) ? cJSON_GetArrayItem(it, 0) : NULL;
        const cJSON *r = cJSON_IsArray(it) ? cJSON_GetArrayItem(it, 1) : NULL;
        if (!cJSON_IsArray(it) || cJSON_GetArraySize(it) != 2 || !cJSON_IsNumber(t) ||
            !cJSON_IsNumber(r) || !isfinite(t->valuedouble) || !isfinite(r->valuedouble) ||
            t->valuedouble < 0.0 || r->valuedouble < 0.0) {
            azbi_jerr(doc, pi, "a point is [seconds, rps], both finite and not negative");
            ok = false;
            continue;
        }
        if (p->npoints > 0 && !(t->valuedouble > p->points[p->npoints - 1][0])) {
            azbi_jerr(doc, pi, "times must increase from point to point");
            ok = false;
            continue;
        }
        p->points[p->npoints][0] = t->valuedouble;
        p->points[p->npoints][1] = r->valuedouble;
        p->npoints++;
    }
    return ok;
}

static void need_num(loader *L, const cJSON *obj, const char *key, const char *path,
                     unsigned flags, double *out)
{
    if (!read_num(L, obj, key, path, flags, 0, out, NULL, 0) &&
        cJSON_GetObjectItemCaseSensitive(obj, key) == NULL) {
        azbi_jmissing(L->doc, path, key);
        fail(L);
    }
}

static void parse_profile(loader *L, const cJSON *obj, const char *path, azb_profile *p)
{
    if (!need_object(L, obj, path)) {
        return;
    }
    int t = 0;
    if (!read_enum(L, obj, "type", path, profile_type_names, AZB_PROFILE_COUNT, &t)) {
        if (cJSON_GetObjectItemCaseSensitive(obj, "type") == NULL) {
            azbi_jmissing(L->doc, path, "type");
            fail(L);
        }
        return;
    }
    p->type = (azb_profile_type)t;
    scan_keys(L, obj, path, profile_keys[t], 6, NULL, &p->extras);
    switch (p->type) {
    case AZB_PROFILE_RAMP:
        need_num(L, obj, "from_rps", path, AZBI_NUM_NONNEG, &p->from_rps);
        need_num(L, obj, "to_rps", path, AZBI_NUM_NONNEG, &p->to_rps);
        need_num(L, obj, "duration_s", path, AZBI_NUM_POSITIVE, &p->duration_s);
        break;
    case AZB_PROFILE_SPIKE:
        need_num(L, obj, "base_rps", path, AZBI_NUM_NONNEG, &p->base_rps);
        need_num(L, obj, "peak_rps", path, AZBI_NUM_NONNEG, &p->peak_rps);
        need_num(L, obj, "start_s", path, AZBI_NUM_NONNEG, &p->start_s);
        need_num(L, obj, "length_s", path, AZBI_NUM_POSITIVE, &p->length_s);
        read_num(L, obj, "duration_s", path, AZBI_NUM_POSITIVE, 0, &p->duration_s, NULL, 0);
        break;
    case AZB_PROFILE_DIURNAL:
        need_num(L, obj, "trough_rps", path, AZBI_NUM_NONNEG, &p->trough_rps);
        need_num(L, obj, "peak_rps", path, AZBI_NUM_NONNEG, &p->peak_rps);
        read_num(L, obj, "period_s", path, AZBI_NUM_POSITIVE, 0, &p->period_s, NULL, 0);
        break;
    case AZB_PROFILE_PIECEWISE:
        if (!azbi_profile_points(L->doc, obj, path, INT_MAX, p)) {
            fail(L);
        }
        break;
    case AZB_PROFILE_CONSTANT:
    default:
        break;
    }
}

static void parse_operation(loader *L, const cJSON *obj, const char *path, azb_operation *op)
{
    if (!need_object(L, obj, path)) {
        return;
    }
    read_str(L, obj, "name", path, sizeof(op->name), op->name, true, NULL, 0);
    if (!read_num(L, obj, "share", path, AZBI_NUM_UNIT, 0, &op->share, &op->has, AZB_HAS_SHARE) &&
        cJSON_GetObjectItemCaseSensitive(obj, "share") == NULL) {
        azbi_jmissing(L->doc, path, "share");
        fail(L);
    }
    read_num(L, obj, "request_kb", path, AZBI_NUM_NONNEG, 4.0e6, &op->request_kb, &op->has,
             AZB_HAS_REQUEST_KB);
    read_num(L, obj, "response_kb", path, AZBI_NUM_NONNEG, 4.0e6, &op->response_kb, &op->has,
             AZB_HAS_RESPONSE_KB);
    bool present = false;
    if (!azbi_jbool(L->doc, obj, "write", path, &op->write, &present)) {
        fail(L);
    }
    if (present) {
        op->has |= AZB_HAS_WRITE;
    }
    read_num(L, obj, "tokens_in", path, AZBI_NUM_NONNEG, 2.0e6, &op->tokens_in, &op->has,
             AZB_HAS_TOKENS);
    read_num(L, obj, "tokens_out", path, AZBI_NUM_NONNEG, 2.0e6, &op->tokens_out, &op->has,
             AZB_HAS_TOKENS_OUT);
    scan_keys(L, obj, path, op_keys, 16, NULL, &op->extras);
}

static void parse_workload(loader *L, const cJSON *obj, azb_workload *w)
{
    const char *path = "workload";
    if (!need_object(L, obj, path)) {
        return;
    }
    w->present = true;
    read_str(L, obj, "entry", path, sizeof(w->entry), w->entry, false, NULL, 0);
    if (!read_num(L, obj, "rps", path, AZBI_NUM_POSITIVE, 1.0e9, &w->rps, NULL, 0) &&
        cJSON_GetObjectItemCaseSensitive(obj, "rps") == NULL) {
        azbi_jmissing(L->doc, path, "rps");
        fail(L);
    }
    const cJSON *prof = cJSON_GetObjectItemCaseSensitive(obj, "profile");
    if (prof != NULL) {
        w->has_profile = true;
        parse_profile(L, prof, "workload.profile", &w->profile);
    }
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(obj, "operations");
    if (ops != NULL) {
        if (!cJSON_IsArray(ops)) {
            azbi_jerr(L->doc, "workload.operations", "expected an array, got %s",
                      azbi_jtype_name(ops));
            fail(L);
        } else if (cJSON_GetArraySize(ops) > AZB_DESIGN_MAX_OPS) {
            azbi_jerr(L->doc, "workload.operations", "more than %d operations", AZB_DESIGN_MAX_OPS);
            fail(L);
        } else if (cJSON_GetArraySize(ops) > 0) {
            w->ops = calloc((size_t)cJSON_GetArraySize(ops), sizeof(*w->ops));
            if (w->ops == NULL) {
                azbi_jerr(L->doc, "workload.operations", "out of memory");
                fail(L);
                return;
            }
            const cJSON *it = NULL;
            cJSON_ArrayForEach(it, ops)
            {
                char p[200];
                azbi_path_index(p, sizeof(p), "workload.operations", w->nops);
                parse_operation(L, it, p, &w->ops[w->nops++]);
            }
        }
    }
    scan_keys(L, obj, path, workload_keys, 8, NULL, &w->extras);
}

/* Parse one top-level array into freshly allocated elements. */
static void *parse_array(loader *L, const cJSON *root, const char *key, bool required, int max,
                         size_t elem, int *count)
{
    *count = 0;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, key);
    if (arr == NULL) {
        if (required) {
            azbi_jmissing(L->doc, "", key);
            fail(L);
        }
        return NULL;
    }
    if (!cJSON_IsArray(arr)) {
        azbi_jerr(L->doc, key, "expected an array, got %s", azbi_jtype_name(arr));
        fail(L);
        return NULL;
    }
    int n = cJSON_GetArraySize(arr);
    if (n > max) {
        azbi_jerr(L->doc, key, "%d entries; a design holds at most %d", n, max);
        fail(L);
        return NULL;
    }
    if (n == 0) {
        return NULL;
    }
    void *items = calloc((size_t)n, elem);
    if (items == NULL) {
        azbi_jerr(L->doc, key, "out of memory");
        fail(L);
        return NULL;
    }
    *count = n;
    return items;
}

static void parse_root(loader *L, const cJSON *root)
{
    azb_design *d = L->d;
    if (!cJSON_IsObject(root)) {
        azbi_jerr(L->doc, "", "expected a JSON object at the top, got %s", azbi_jtype_name(root));
        fail(L);
        return;
    }
    if (!azbi_check_header(L->doc, root, AZB_DESIGN_FORMAT, AZB_DESIGN_VERSION, "design")) {
        fail(L);
    }
    read_str(L, root, "name", "", sizeof(d->name), d->name, true, NULL, 0);
    unsigned has = 0;
    read_str(L, root, "description", "", sizeof(d->description), d->description, false, &has, 1u);
    read_str(L, root, "prompt", "", sizeof(d->prompt), d->prompt, false, &has, 2u);
    d->has_description = (has & 1u) != 0u;
    d->has_prompt = (has & 2u) != 0u;
    read_scenarios(L, root, d);

    d->nodes = parse_array(L, root, "nodes", true, AZB_DESIGN_MAX_NODES, sizeof(*d->nodes),
                           &d->nnodes);
    d->edges = parse_array(L, root, "edges", false, AZB_DESIGN_MAX_EDGES, sizeof(*d->edges),
                           &d->nedges);
    d->groups = parse_array(L, root, "groups", false, AZB_DESIGN_MAX_GROUPS, sizeof(*d->groups),
                            &d->ngroups);
    int i = 0;
    const cJSON *it = NULL;
    if (d->nodes != NULL) {
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, "nodes"))
        {
            char p[64];
            azbi_path_index(p, sizeof(p), "nodes", i);
            parse_node(L, it, p, &d->nodes[i++]);
        }
    }
    i = 0;
    if (d->edges != NULL) {
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, "edges"))
        {
            char p[64];
            azbi_path_index(p, sizeof(p), "edges", i);
            parse_edge(L, it, p, &d->edges[i++]);
        }
    }
    i = 0;
    if (d->groups != NULL) {
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, "groups"))
        {
            char p[64];
            azbi_path_index(p, sizeof(p), "groups", i);
            parse_group(L, it, p, &d->groups[i++]);
        }
    }
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "workload");
    if (w != NULL) {
        parse_workload(L, w, &d->workload);
    }
    scan_keys(L, root, "", root_keys, 16, NULL, &d->extras);
}

azb_design *azb_design_parse(const char *text, size_t len, const char *name,
                             const azb_catalog *cat, azb_errors *errs)
{
    assert(text != NULL && cat != NULL && errs != NULL);
    if (name == NULL) {
        name = "<design>";
    }
    int before = azb_errors_count_errors(errs);
    int first = errs->count;
    if (len > AZBI_MAX_FILE_BYTES) {
        azb_errors_add(errs, false, name, 0, 0, "", "larger than 16 MiB; azboard reads designs up to that size");
        return NULL;
    }
    azbi_jdoc doc;
    if (!azbi_jdoc_parse(&doc, name, text, len, AZB_DESIGN_MAX_DEPTH, errs)) {
        azbi_jdoc_free(&doc);
        return NULL;
    }
    azb_design *d = azb_design_create(NULL);
    if (d == NULL) {
        azbi_jdoc_free(&doc);
        azb_errors_add(errs, false, name, 0, 0, "", "out of memory");
        return NULL;
    }
    loader L = {&doc, cat, d, true};
    parse_root(&L, doc.root);
    if (cJSON_IsObject(doc.root)) {
        /* Check even after type errors: every problem in one run. */
        azbi_design_check(d, cat, errs, &doc);
    }
    azbi_jdoc_free(&doc);
    azb_errors_sort(errs, first);
    if (azb_errors_count_errors(errs) > before) {
        azb_design_destroy(d);
        return NULL;
    }
    return d;
}

azb_design *azb_design_load(const char *path, const azb_catalog *cat, azb_errors *errs)
{
    assert(path != NULL && cat != NULL && errs != NULL);
    char *text = NULL;
    size_t len = 0;
    if (!azbi_file_read(path, AZBI_MAX_FILE_BYTES, &text, &len, errs)) {
        return NULL;
    }
    azb_design *d = azb_design_parse(text, len, path, cat, errs);
    free(text);
    return d;
}
