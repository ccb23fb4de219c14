#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azb_workload.h"
#include "azbi_design.h"
#include "azbi_json.h"

#define MAX_DEPTH 16

typedef struct loader {
    azbi_jdoc *doc;
    azb_scenario *s;
    bool ok;
} loader;

static const char *const what_names[AZB_FAIL_COUNT] = {
    "node", "zone", "region", "instances", "slow", "edge", "cache_flush", "quota_cut"};

static const char *const profile_names[AZB_PROFILE_COUNT] = {"constant", "ramp", "spike",
                                                             "diurnal", "piecewise"};

static const char *const root_keys[] = {"format", "version", "name", "duration_s", "load",
                                        "failures", NULL};
static const char *const class_keys[] = {"name", "share", "write", "request_kb", "response_kb",
                                         NULL};

/* The same keys as a design's workload.profile, plus rps (constant) and classes. */
static const char *const load_keys[AZB_PROFILE_COUNT][8] = {
    {"type", "rps", "classes", NULL},
    {"type", "from_rps", "to_rps", "duration_s", "classes", NULL},
    {"type", "base_rps", "peak_rps", "start_s", "length_s", "duration_s", "classes", NULL},
    {"type", "trough_rps", "peak_rps", "period_s", "classes", NULL},
    {"type", "points", "classes", NULL},
};

static const char *const failure_keys[AZB_FAIL_COUNT][8] = {
    {"what", "at", "recover_at", "node", NULL},
    {"what", "at", "recover_at", "region", "zone", NULL},
    {"what", "at", "recover_at", "region", NULL},
    {"what", "at", "recover_at", "node", "kill", NULL},
    {"what", "at", "recover_at", "node", "factor", NULL},
    {"what", "at", "recover_at", "from", "to", "extra_ms", "loss", NULL},
    {"what", "at", "recover_at", "node", "warm_s", NULL},
    {"what", "at", "recover_at", "node", "factor", NULL},
};

const char *azb_failure_what_name(azb_failure_what w)
{
    return ((int)w >= 0 && w < AZB_FAIL_COUNT) ? what_names[w] : "?";
}

static void fail(loader *L)
{
    L->ok = false;
}

static int count_list(const char *const *list, int max)
{
    int n = 0;
    while (n < max && list[n] != NULL) {
        n++;
    }
    return n;
}

static bool in_list(const char *key, const char *const *list, int max)
{
    for (int i = 0; i < max && list[i] != NULL; i++) {
        if (strcmp(key, list[i]) == 0) {
            return true;
        }
    }
    return false;
}


/* Duplicate keys are errors (cJSON keeps the first silently); unknown keys
 * are warnings, with the closest known key when one is near. Sorting keeps
 * an object of many keys O(n log n). */
static void scan_keys(loader *L, const cJSON *obj, const char *path, const char *const *known,
                      int max)
{
    if (azbi_check_duplicate_keys(L->doc, obj, path) > 0) {
        fail(L);
    }
    for (const cJSON *c = obj->child; c != NULL; c = c->next) {
        if (in_list(c->string, known, max)) {
            continue;
        }
        char p[200];
        azbi_path_key(p, sizeof(p), path, c->string);
        const char *near = azbi_closest(c->string, known, count_list(known, max));
        if (near != NULL) {
            azbi_jwarn(L->doc, p, "unknown key \"%s\", ignored (did you mean \"%s\"?)", c->string,
                       near);
        } else {
            azbi_jwarn(L->doc, p, "unknown key \"%s\", ignored", c->string);
        }
    }
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

/* A number; `required` records a missing key. Returns whether it was read. */
static bool num(loader *L, const cJSON *obj, const char *key, const char *path, unsigned flags,
                double max, double *out, bool required)
{
    bool present = false;
    if (!azbi_jnum(L->doc, obj, key, path, flags, max, out, &present)) {
        fail(L);
        return false;
    }
    if (!present && required) {
        azbi_jmissing(L->doc, path, key);
        fail(L);
    }
    return present;
}

static void str(loader *L, const cJSON *obj, const char *key, const char *path, size_t size,
                char *out, bool required)
{
    bool present = false;
    if (!azbi_jstr(L->doc, obj, key, path, size, out, &present)) {
        fail(L);
        return;
    }
    if (!present && required) {
        azbi_jmissing(L->doc, path, key);
        fail(L);
    } else if (present && out[0] == '\0') {
        char p[200];
        azbi_path_key(p, sizeof(p), path, key);
        azbi_jerr(L->doc, p, "must not be empty");
        fail(L);
    }
}

/* A string naming one of `names`; -1 when absent or wrong (recorded). */
static int choice(loader *L, const cJSON *obj, const char *key, const char *path,
                  const char *const *names, int n)
{
    char buf[48] = "";
    bool present = false;
    if (!azbi_jstr(L->doc, obj, key, path, sizeof(buf), buf, &present)) {
        fail(L);
        return -1;
    }
    if (!present) {
        azbi_jmissing(L->doc, path, key);
        fail(L);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (strcmp(buf, names[i]) == 0) {
            return i;
        }
    }
    char p[200];
    char all[200] = "";
    azbi_path_key(p, sizeof(p), path, key);
    for (int i = 0; i < n; i++) {
        size_t used = strlen(all);
        snprintf(all + used, sizeof(all) - used, "%s%s", i > 0 ? ", " : "", names[i]);
    }
    const char *near = azbi_closest(buf, names, n);
    if (near != NULL) {
        azbi_jerr(L->doc, p, "unknown %s \"%s\" (did you mean \"%s\"? one of: %s)", key, buf,
                  near, all);
    } else {
        azbi_jerr(L->doc, p, "unknown %s \"%s\" (one of: %s)", key, buf, all);
    }
    fail(L);
    return -1;
}

static void parse_class(loader *L, const cJSON *obj, const char *path, azb_request_class *c)
{
    if (!need_object(L, obj, path)) {
        return;
    }
    str(L, obj, "name", path, sizeof(c->name), c->name, true);
    double share = 0.0;
    if (num(L, obj, "share", path, AZBI_NUM_UNIT, 0.0, &share, true)) {
        if (!(share > 0.0)) {
            char p[200];
            azbi_path_key(p, sizeof(p), path, "share");
            azbi_jerr(L->doc, p, "must be greater than 0, got %g", share);
            fail(L);
        }
        c->share = share;
    }
    bool present = false;
    if (!azbi_jbool(L->doc, obj, "write", path, &c->write, &present)) {
        fail(L);
    }
    num(L, obj, "request_kb", path, AZBI_NUM_NONNEG, 4.0e6, &c->request_kb, false);
    num(L, obj, "response_kb", path, AZBI_NUM_NONNEG, 4.0e6, &c->response_kb, false);
    scan_keys(L, obj, path, class_keys, 8);
}

static void parse_classes(loader *L, const cJSON *load)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(load, "classes");
    if (arr == NULL) {
        return;
    }
    const char *path = "load.classes";
    int n = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0;
    if (!cJSON_IsArray(arr) || n == 0) {
        azbi_jerr(L->doc, path, "expected a non-empty array of request classes, got %s",
                  cJSON_IsArray(arr) ? "an empty array" : azbi_jtype_name(arr));
        fail(L);
        return;
    }
    if (n > AZB_SCENARIO_MAX_CLASSES) {
        azbi_jerr(L->doc, path, "%d classes; at most %d", n, AZB_SCENARIO_MAX_CLASSES);
        fail(L);
        return;
    }
    azb_scenario *s = L->s;
    s->classes = calloc((size_t)n, sizeof(*s->classes));
    if (s->classes == NULL) {
        azbi_jerr(L->doc, path, "out of memory");
        fail(L);
        return;
    }
    s->nclasses = n;
    int i = 0;
    const cJSON *it = NULL;
    double total = 0.0;
    cJSON_ArrayForEach(it, arr)
    {
        char p[64];
        azbi_path_index(p, sizeof(p), path, i);
        parse_class(L, it, p, &s->classes[i]);
        total += s->classes[i].share;
        for (int k = 0; k < i; k++) {
            if (s->classes[i].name[0] != '\0' &&
                strcmp(s->classes[k].name, s->classes[i].name) == 0) {
                char pn[80];
                azbi_path_key(pn, sizeof(pn), p, "name");
                azbi_jerr(L->doc, pn, "class \"%s\" is already load.classes[%d]",
                          s->classes[i].name, k);
                fail(L);
                break;
            }
        }
        i++;
    }
    if (L->ok && fabs(total - 1.0) > 1e-6) {
        azbi_jerr(L->doc, path, "class shares add up to %g, not 1", total);
        fail(L);
    }
}

static void parse_load(loader *L, const cJSON *obj)
{
    const char *path = "load";
    if (!need_object(L, obj, path)) {
        return;
    }
    azb_scenario *s = L->s;
    azb_profile *p = &s->load;
    int t = choice(L, obj, "type", path, profile_names, AZB_PROFILE_COUNT);
    if (t < 0) {
        return;
    }
    p->type = (azb_profile_type)t;
    scan_keys(L, obj, path, load_keys[t], 8);
    const double max_rps = 1.0e9;
    switch (p->type) {
    case AZB_PROFILE_CONSTANT:
        num(L, obj, "rps", path, AZBI_NUM_NONNEG, max_rps, &s->rps, true);
        break;
    case AZB_PROFILE_RAMP:
        num(L, obj, "from_rps", path, AZBI_NUM_NONNEG, max_rps, &p->from_rps, true);
        num(L, obj, "to_rps", path, AZBI_NUM_NONNEG, max_rps, &p->to_rps, true);
        num(L, obj, "duration_s", path, AZBI_NUM_POSITIVE, 0.0, &p->duration_s, true);
        break;
    case AZB_PROFILE_SPIKE:
        num(L, obj, "base_rps", path, AZBI_NUM_NONNEG, max_rps, &p->base_rps, true);
        num(L, obj, "peak_rps", path, AZBI_NUM_NONNEG, max_rps, &p->peak_rps, true);
        num(L, obj, "start_s", path, AZBI_NUM_NONNEG, 0.0, &p->start_s, true);
        num(L, obj, "length_s", path, AZBI_NUM_POSITIVE, 0.0, &p->length_s, true);
        num(L, obj, "duration_s", path, AZBI_NUM_POSITIVE, 0.0, &p->duration_s, false);
        break;
    case AZB_PROFILE_DIURNAL:
        num(L, obj, "trough_rps", path, AZBI_NUM_NONNEG, max_rps, &p->trough_rps, true);
        num(L, obj, "peak_rps", path, AZBI_NUM_NONNEG, max_rps, &p->peak_rps, true);
        num(L, obj, "period_s", path, AZBI_NUM_POSITIVE, 0.0, &p->period_s, false);
        break;
    case AZB_PROFILE_PIECEWISE:
        if (!azbi_profile_points(L->doc, obj, path, AZB_SCENARIO_MAX_POINTS, p)) {
            fail(L);
        }
        break;
    default:
        break;
    }
    parse_classes(L, obj);
}

static void parse_failure(loader *L, const cJSON *obj, const char *path, azb_failure *f)
{
    if (!need_object(L, obj, path)) {
        return;
    }
    int w = choice(L, obj, "what", path, what_names, AZB_FAIL_COUNT);
    if (w < 0) {
        return;
    }
    f->what = (azb_failure_what)w;
    scan_keys(L, obj, path, failure_keys[w], 8);
    double duration = L->s->duration_s;
    char p[200];
    if (num(L, obj, "at", path, AZBI_NUM_NONNEG, 0.0, &f->at_s, true) && duration > 0.0 &&
        !(f->at_s < duration)) {
        azbi_path_key(p, sizeof(p), path, "at");
        azbi_jerr(L->doc, p, "at %g s is not before the end of the scenario (duration_s %g)",
                  f->at_s, duration);
        fail(L);
    }
    f->recover_s = duration;
    if (num(L, obj, "recover_at", path, AZBI_NUM_NONNEG, 0.0, &f->recover_s, false)) {
        f->recovers = true;
        azbi_path_key(p, sizeof(p), path, "recover_at");
        if (!(f->recover_s > f->at_s)) {
            azbi_jerr(L->doc, p, "recover_at %g s must be after at (%g s)", f->recover_s,
                      f->at_s);
            fail(L);
        } else if (duration > 0.0 && f->recover_s > duration) {
            azbi_jerr(L->doc, p, "recover_at %g s is after the end of the scenario (duration_s %g)",
                      f->recover_s, duration);
            fail(L);
        }
    }
    switch (f->what) {
    case AZB_FAIL_NODE:
        str(L, obj, "node", path, sizeof(f->node), f->node, true);
        break;
    case AZB_FAIL_ZONE: {
        str(L, obj, "region", path, sizeof(f->region), f->region, true);
        double z = 0.0;
        if (num(L, obj, "zone", path, AZBI_NUM_INT | AZBI_NUM_POSITIVE, AZB_DESIGN_MAX_ZONES, &z,
                true)) {
            f->zone = (int)z;
        }
        break;
    }
    case AZB_FAIL_REGION:
        str(L, obj, "region", path, sizeof(f->region), f->region, true);
        break;
    case AZB_FAIL_INSTANCES: {
        str(L, obj, "node", path, sizeof(f->node), f->node, true);
        double k = 0.0;
        if (num(L, obj, "kill", path, AZBI_NUM_INT | AZBI_NUM_POSITIVE, 100000.0, &k, true)) {
            f->kill = (int)k;
        }
        break;
    }
    case AZB_FAIL_SLOW:
        str(L, obj, "node", path, sizeof(f->node), f->node, true);
        if (num(L, obj, "factor", path, AZBI_NUM_POSITIVE, 1.0e6, &f->factor, true) &&
            !(f->factor > 1.0)) {
            azbi_path_key(p, sizeof(p), path, "factor");
            azbi_jerr(L->doc, p, "a slowdown multiplies service times by more than 1, got %g",
                      f->factor);
            fail(L);
        }
        break;
    case AZB_FAIL_EDGE: {
        str(L, obj, "from", path, sizeof(f->from), f->from, true);
        str(L, obj, "to", path, sizeof(f->to), f->to, true);
        bool kx = cJSON_GetObjectItemCaseSensitive(obj, "extra_ms") != NULL;
        bool kl = cJSON_GetObjectItemCaseSensitive(obj, "loss") != NULL;
        bool hx = num(L, obj, "extra_ms", path, AZBI_NUM_NONNEG, 3.6e6, &f->extra_ms, false);
        bool hl = num(L, obj, "loss", path, AZBI_NUM_UNIT, 0.0, &f->loss, false);
        if (!kx && !kl) {
            azbi_jerr(L->doc, path, "an edge failure needs \"extra_ms\", \"loss\" or both");
            fail(L);
        } else if (hx == kx && hl == kl && f->extra_ms == 0.0 && f->loss == 0.0) {
            azbi_jerr(L->doc, path, "extra_ms and loss are both 0: this failure does nothing");
            fail(L);
        }
        break;
    }
    case AZB_FAIL_CACHE_FLUSH:
        str(L, obj, "node", path, sizeof(f->node), f->node, true);
        num(L, obj, "warm_s", path, AZBI_NUM_NONNEG, 0.0, &f->warm_s, true);
        break;
    case AZB_FAIL_QUOTA_CUT:
        str(L, obj, "node", path, sizeof(f->node), f->node, true);
        if (num(L, obj, "factor", path, AZBI_NUM_POSITIVE, 0.0, &f->factor, true) &&
            !(f->factor < 1.0)) {
            azbi_path_key(p, sizeof(p), path, "factor");
            azbi_jerr(L->doc, p, "a quota cut multiplies the quota by less than 1, got %g",
                      f->factor);
            fail(L);
        }
        break;
    default:
        break;
    }
}

static int failure_cmp(const void *a, const void *b)
{
    const azb_failure *x = a;
    const azb_failure *y = b;
    if (x->at_s != y->at_s) {
        return x->at_s < y->at_s ? -1 : 1;
    }
    return (x->index > y->index) - (x->index < y->index);
}

static void parse_failures(loader *L, const cJSON *root)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "failures");
    if (arr == NULL) {
        return;
    }
    if (!cJSON_IsArray(arr)) {
        azbi_jerr(L->doc, "failures", "expected an array, got %s", azbi_jtype_name(arr));
        fail(L);
        return;
    }
    int n = cJSON_GetArraySize(arr);
    if (n == 0) {
        return;
    }
    if (n > AZB_SCENARIO_MAX_FAILURES) {
        azbi_jerr(L->doc, "failures", "%d failures; at most %d", n, AZB_SCENARIO_MAX_FAILURES);
        fail(L);
        return;
    }
    azb_scenario *s = L->s;
    s->failures = calloc((size_t)n, sizeof(*s->failures));
    if (s->failures == NULL) {
        azbi_jerr(L->doc, "failures", "out of memory");
        fail(L);
        return;
    }
    s->nfailures = n;
    int i = 0;
    const cJSON *it = NULL;
    cJSON_ArrayForEach(it, arr)
    {
        char p[64];
        azbi_path_index(p, sizeof(p), "failures", i);
        s->failures[i].index = i;
        parse_failure(L, it, p, &s->failures[i]);
        i++;
    }
    qsort(s->failures, (size_t)n, sizeof(*s->failures), failure_cmp);
}

static void parse_root(loader *L, const cJSON *root)
{
    azb_scenario *s = L->s;
    if (!cJSON_IsObject(root)) {
        azbi_jerr(L->doc, "", "expected a JSON object at the top, got %s",
                  azbi_jtype_name(root));
        fail(L);
        return;
    }
    if (!azbi_check_header(L->doc, root, AZB_SCENARIO_FORMAT, AZB_SCENARIO_VERSION,
                           "scenario")) {
        fail(L);
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, "format");
        if (cJSON_IsString(f) && strncmp(f->valuestring, "azboard/", 8) == 0 &&
            strcmp(f->valuestring, AZB_SCENARIO_FORMAT) != 0) {
            return; /* another azboard file (a design, say): its keys mean nothing here */
        }
    }
    str(L, root, "name", "", sizeof(s->name), s->name, true);
    num(L, root, "duration_s", "", AZBI_NUM_POSITIVE, AZB_SCENARIO_MAX_DURATION_S,
        &s->duration_s, true);
    const cJSON *load = cJSON_GetObjectItemCaseSensitive(root, "load");
    if (load == NULL) {
        azbi_jmissing(L->doc, "", "load");
        fail(L);
    } else {
        parse_load(L, load);
    }
    parse_failures(L, root);
    scan_keys(L, root, "", root_keys, 8);
}

void azb_scenario_destroy(azb_scenario *s)
{
    if (s == NULL) {
        return;
    }
    free(s->load.points);
    free(s->classes);
    free(s->failures);
    free(s->text);
    free(s);
}

azb_scenario *azb_scenario_parse(const char *text, size_t len, const char *name,
                                 azb_errors *errs)
{
    assert(text != NULL && errs != NULL);
    if (name == NULL) {
        name = "<scenario>";
    }
    int before = azb_errors_count_errors(errs);
    int first = errs->count;
    if (len > AZBI_MAX_FILE_BYTES) {
        azb_errors_add(errs, false, name, 0, 0, "",
                       "larger than 16 MiB; azboard reads scenarios up to that size");
        return NULL;
    }
    azbi_jdoc doc;
    if (!azbi_jdoc_parse(&doc, name, text, len, MAX_DEPTH, errs)) {
        azbi_jdoc_free(&doc);
        return NULL;
    }
    azb_scenario *s = calloc(1, sizeof(*s));
    char *copy = malloc(len + 1);
    if (s == NULL || copy == NULL) {
        free(s);
        free(copy);
        azbi_jdoc_free(&doc);
        azb_errors_add(errs, false, name, 0, 0, "", "out of memory");
        return NULL;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    s->text = copy;
    s->len = len;
    snprintf(s->file, sizeof(s->file), "%s", name);
    loader L = {&doc, s, true};
    parse_root(&L, doc.root);
    azbi_jdoc_free(&doc);
    azb_errors_sort(errs, first);
    if (!L.ok || azb_errors_count_errors(errs) > before) {
        azb_scenario_destroy(s);
        return NULL;
    }
    return s;
}

azb_scenario *azb_scenario_load(const char *path, azb_errors *errs)
{
    assert(path != NULL && errs != NULL);
    char *text = NULL;
    size_t len = 0;
    if (!azbi_file_read(path, AZBI_MAX_FILE_BYTES, &text, &len, errs)) {
        return NULL;
    }
    azb_scenario *s = azb_scenario_parse(text, len, path, errs);
    free(text);
    return s;
}

/* ------------------------------------------------------------ checking */

typedef struct checker {
    const azb_scenario *s;
    const azb_design *d;
    const azb_catalog *cat;
    azb_errors *errs;
    bool ok;
    const char **ids; /* node ids, for suggestions; NULL when out of memory */
} checker;

static void cerr(checker *C, const azb_failure *f, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void cerr(checker *C, const azb_failure *f, const char *key, const char *fmt, ...)
{
    char base[64];
    char path[160];
    azbi_path_index(base, sizeof(base), "failures", f->index);
    azbi_path_key(path, sizeof(path), base, key);
    int line = 0;
    int col = 0;
    if (C->s->text != NULL) {
        size_t off = azbi_json_locate(C->s->text, C->s->len, path);
        azbi_offset_to_linecol(C->s->text, C->s->len, off, &line, &col);
    }
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    azb_errors_add(C->errs, false, C->s->file, line, col, path, "%s", msg);
    C->ok = false;
}

static const azb_node *need_node(checker *C, const azb_failure *f, const char *key,
                                 const char *id)
{
    int i = azb_design_find_node(C->d, id);
    if (i >= 0) {
        return &C->d->nodes[i];
    }
    const char *near = C->ids != NULL ? azbi_closest(id, C->ids, C->d->nnodes) : NULL;
    if (near != NULL) {
        cerr(C, f, key, "no node \"%s\" in design \"%s\" (did you mean \"%s\"?)", id,
             C->d->name, near);
    } else {
        cerr(C, f, key, "no node \"%s\" in design \"%s\"", id, C->d->name);
    }
    return NULL;
}

static const azb_kind *kind_of(const checker *C, const azb_node *n)
{
    return n->kind_ref != NULL ? n->kind_ref : azb_catalog_find_kind(C->cat, n->kind);
}

static int need_region(checker *C, const azb_failure *f)
{
    int r = azb_catalog_find_region(C->cat, f->region);
    if (r < 0) {
        const char *near = azb_catalog_suggest_region(C->cat, f->region);
        if (near != NULL) {
            cerr(C, f, "region", "unknown region \"%s\" (did you mean \"%s\"?)", f->region, near);
        } else {
            cerr(C, f, "region", "unknown region \"%s\"", f->region);
        }
        return -1;
    }
    for (int i = 0; i < C->d->nnodes; i++) {
        if (strcmp(C->d->nodes[i].region, f->region) == 0) {
            return r;
        }
    }
    cerr(C, f, "region", "no node of design \"%s\" is in region \"%s\"", C->d->name, f->region);
    return -1;
}

static void check_failure(checker *C, const azb_failure *f)
{
    const azb_node *n = NULL;
    const azb_kind *k = NULL;
    switch (f->what) {
    case AZB_FAIL_NODE:
    case AZB_FAIL_SLOW:
        need_node(C, f, "node", f->node);
        break;
    case AZB_FAIL_ZONE: {
        int r = need_region(C, f);
        if (r >= 0) {
            int zones = C->cat->regions[r].zones;
            if (zones == 0) {
                cerr(C, f, "zone", "region \"%s\" has no availability zones", f->region);
            } else if (f->zone < 1 || f->zone > zones) {
                cerr(C, f, "zone", "region \"%s\" has zones 1 to %d, not %d", f->region, zones,
                     f->zone);
            }
        }
        break;
    }
    case AZB_FAIL_REGION:
        need_region(C, f);
        break;
    case AZB_FAIL_INSTANCES:
        n = need_node(C, f, "node", f->node);
        if (n != NULL) {
            int count = n->count > 0 ? n->count : 1;
            int most = count;
            if ((n->has & AZB_HAS_AUTOSCALE) != 0u && n->autoscale.max > most) {
                most = n->autoscale.max;
            }
            if (f->kill > most) {
                cerr(C, f, "kill", "kill %d is more than node \"%s\"'s %d instance%s", f->kill,
                     n->id, most, most == 1 ? "" : "s");
            }
        }
        break;
    case AZB_FAIL_EDGE: {
        const azb_node *a = need_node(C, f, "from", f->from);
        const azb_node *b = need_node(C, f, "to", f->to);
        if (a != NULL && b != NULL) {
            bool found = false;
            for (int i = 0; i < C->d->nedges && !found; i++) {
                found = strcmp(C->d->edges[i].from, f->from) == 0 &&
                        strcmp(C->d->edges[i].to, f->to) == 0;
            }
            if (!found) {
                cerr(C, f, "to", "design \"%s\" has no edge from \"%s\" to \"%s\"", C->d->name,
                     f->from, f->to);
            }
        }
        break;
    }
    case AZB_FAIL_CACHE_FLUSH:
        n = need_node(C, f, "node", f->node);
        k = n != NULL ? kind_of(C, n) : NULL;
        if (k != NULL && azb_catalog_find_setting(k, "hit_ratio") == NULL) {
            cerr(C, f, "node", "node \"%s\" is a %s, which has no hit ratio to flush", n->id,
                 k->id);
        }
        break;
    case AZB_FAIL_QUOTA_CUT:
        n = need_node(C, f, "node", f->node);
        k = n != NULL ? kind_of(C, n) : NULL;
        if (k != NULL && k->capacity_model != AZB_CAP_QUOTA) {
            cerr(C, f, "node", "node \"%s\" is a %s, whose capacity is not a quota", n->id,
                 k->id);
        }
        break;
    default:
        break;
    }
}

bool azb_scenario_check(const azb_scenario *s, const azb_design *d, const azb_catalog *cat,
                        azb_errors *errs)
{
    assert(s != NULL && d != NULL && cat != NULL && errs != NULL);
    checker C = {s, d, cat, errs, true, NULL};
    if (d->nnodes > 0) {
        C.ids = malloc((size_t)d->nnodes * sizeof(*C.ids));
        for (int i = 0; C.ids != NULL && i < d->nnodes; i++) {
            C.ids[i] = d->nodes[i].id;
        }
    }
    int first = errs->count;
    for (int i = 0; i < s->nfailures; i++) {
        check_failure(&C, &s->failures[i]);
    }
    free(C.ids);
    azb_errors_sort(errs, first);
    return C.ok;
}

/* ------------------------------------------------------------ queries */

static double rate_at(const azb_scenario *s, double t)
{
    azb_workload w;
    memset(&w, 0, sizeof(w));
    w.present = true;
    w.rps = s->rps;
    w.has_profile = true;
    w.profile = s->load;
    return azb_profile_rate(&w, t);
}

double azb_scenario_rate(const azb_scenario *s, double t)
{
    assert(s != NULL);
    return rate_at(s, t);
}

/* The profiles are piecewise linear or monotone between the places checked
 * here, so the maximum is at one of them. */
double azb_scenario_peak_rate(const azb_scenario *s)
{
    assert(s != NULL);
    const azb_profile *p = &s->load;
    double end = s->duration_s;
    double best = fmax(rate_at(s, 0.0), rate_at(s, end));
    switch (p->type) {
    case AZB_PROFILE_SPIKE:
        if (p->start_s < end) {
            best = fmax(best, rate_at(s, p->start_s));
        }
        break;
    case AZB_PROFILE_RAMP:
        if (p->duration_s < end) {
            best = fmax(best, rate_at(s, p->duration_s));
        }
        break;
    case AZB_PROFILE_DIURNAL: {
        double period = p->period_s > 0.0 ? p->period_s : 86400.0;
        if (end >= 0.5 * period) {
            best = fmax(best, p->peak_rps);
        }
        break;
    }
    case AZB_PROFILE_PIECEWISE:
        for (int i = 0; i < p->npoints && p->points[i][0] <= end; i++) {
            best = fmax(best, p->points[i][1]);
        }
        break;
    case AZB_PROFILE_CONSTANT:
    default:
        break;
    }
    return best;
}

bool azb_failure_active(const azb_failure *f, double t)
{
    assert(f != NULL);
    return t >= f->at_s && t < f->recover_s;
}
