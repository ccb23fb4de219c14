#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azbi_catalog.h"

#define CATALOG_FORMAT "azboard/catalog"
#define CATALOG_VERSION 1
/* Bounds on the counts keep a broken file from asking for absurd amounts of
 * memory, and let the suggest functions use fixed arrays. */
#define KINDS_MAX 256
#define SKUS_MAX 256
#define SETTINGS_MAX 32
#define PRICES_MAX 32
#define LIMITS_MAX 32
#define RULES_MAX 64
/* Sanity ceilings: a figure above these is a typo (a month price in an hourly
 * field, ms for us), never a real Azure figure. */
#define USD_MAX 1e6
#define SERVICE_MS_MAX 1e9
#define CONCURRENCY_MAX 100000.0
#define QUOTA_MAX 1e12
#define CV_MAX 10.0

static const char *const category_names[AZB_CAT_COUNT] = {"compute",   "network", "data",
                                                          "messaging", "ai",      "source"};
static const char *const capacity_model_names[AZB_CAP_COUNT] = {"servers", "quota", "source"};
static const char *const dist_names[AZB_DIST_COUNT] = {"exp", "det", "lognormal"};
static const char *const price_unit_names[AZB_UNIT_COUNT] = {"instance_hour",
                                                             "vcore_hour",
                                                             "month",
                                                             "capacity_unit_hour",
                                                             "throughput_unit_hour",
                                                             "ptu_hour",
                                                             "ru100_hour",
                                                             "million_ru",
                                                             "gb_month",
                                                             "gb_processed",
                                                             "gb_egress",
                                                             "gb_retrieval",
                                                             "million_requests",
                                                             "10k_reads",
                                                             "10k_writes",
                                                             "gb_second",
                                                             "vcpu_second",
                                                             "gib_second",
                                                             "million_input_tokens",
                                                             "million_output_tokens"};
static const char *const quota_unit_names[AZB_QUOTA_COUNT] = {"none", "requests_per_s", "ru_per_s",
                                                              "events_per_s", "tokens_per_min"};
static const char *const setting_type_names[] = {"number", "string", "bool"};
/* Stored for an unknown type or model so that later checks stay quiet about
 * it: the one error already said what is wrong. */
#define SETTING_TYPE_UNKNOWN ((azb_setting_type)3)
#define CAP_UNKNOWN AZB_CAP_COUNT

#define NKEYS(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define PROV_KEYS "source", "tag", "estimate", "note"

static const char *const root_keys[] = {"format",    "version", "sources",
                                        "bandwidth", "kinds",   "note"};
static const char *const bandwidth_keys[] = {"internet_egress", "inter_region", "inter_zone",
                                             "note"};
static const char *const price_keys[] = {"item",  "unit", "usd", "free",
                                         "tiers", "when", "per", PROV_KEYS};
static const char *const tier_keys[] = {"up_to", "usd", "note"};
static const char *const rule_keys[] = {"from", "to", "usd_per_gb", PROV_KEYS};
static const char *const zone_keys[] = {"usd_per_gb", PROV_KEYS};
static const char *const kind_keys[] = {"id",       "name",           "category",
                                        "arm_type", "capacity_model", "default_sku",
                                        "settings", "skus",           "sim",
                                        "note"};
static const char *const setting_keys[] = {"name",    "type",    "unit",    "min",         "max",
                                           "default", "integer", "choices", "description", "note"};
static const char *const sku_keys[] = {"name",       "arm_sku", "description", "vcpu",
                                       "memory_gib", "gpus",    "capacity",    "prices",
                                       "sla",        "limits",  "note"};
static const char *const capacity_keys[] = {
    "concurrency",  "service_ms",    "service_dist",   "cv",        "quota",
    "quota_unit",   "quota_setting", "quota_per_unit", "cost_read", "cost_write",
    "tokens_per_s", "ttft_ms",       PROV_KEYS};
static const char *const sla_keys[] = {"value", "multi_instance", "zone_redundant", "multi_region",
                                       PROV_KEYS};
static const char *const limit_keys[] = {"name", "value", "unit", PROV_KEYS};

/* A design node carries these keys itself (docs/design-format.md); a kind
 * setting with one of these names could never be set. */
static const char *const node_keys[] = {
    "id", "label",      "kind",         "sku", "count",       "region",    "zones",    "x",
    "y",  "service_ms", "service_dist", "cv",  "concurrency", "balancing", "autoscale",
    "queue_limit"};

typedef struct parser {
    azb_catalog *cat;
    azbi_jdoc *doc;
    bool ok;
} parser;

/* ---- small readers ---- */

static bool fail(parser *P)
{
    P->ok = false;
    return false;
}

static int find_name(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

/* Unknown keys are warnings (a typo in an optional key would otherwise pass
 * unseen); a key given twice is an error, since cJSON would keep the first. */
static void check_keys(parser *P, const cJSON *obj, const char *path, const char *const *known,
                       int nknown)
{
    for (const cJSON *c = obj->child; c != NULL; c = c->next) {
        char p[200];
        azbi_path_key(p, sizeof(p), path, c->string);
        for (const cJSON *prev = obj->child; prev != c; prev = prev->next) {
            if (strcmp(prev->string, c->string) == 0) {
                azbi_jerr(P->doc, p, "duplicate key \"%s\"", c->string);
                fail(P);
                break;
            }
        }
        if (find_name(c->string, known, nknown) >= 0) {
            continue;
        }
        const char *near = azbi_closest(c->string, known, nknown);
        if (near != NULL) {
            azbi_jwarn(P->doc, p, "unknown key \"%s\" ignored; did you mean \"%s\"?", c->string,
                       near);
        } else {
            azbi_jwarn(P->doc, p, "unknown key \"%s\" ignored", c->string);
        }
    }
}

static bool need_object(parser *P, const cJSON *it, const char *path)
{
    if (cJSON_IsObject(it)) {
        return true;
    }
    azbi_jerr(P->doc, path, "expected an object, got %s", azbi_jtype_name(it));
    return fail(P);
}

/* A required, non-empty string. */
static bool req_str(parser *P, const cJSON *obj, const char *key, const char *path, size_t size,
                    char *out)
{
    bool present = false;
    if (!azbi_jstr(P->doc, obj, key, path, size, out, &present)) {
        return fail(P);
    }
    if (!present) {
        azbi_jmissing(P->doc, path, key);
        return fail(P);
    }
    if (out[0] == '\0') {
        char p[200];
        azbi_path_key(p, sizeof(p), path, key);
        azbi_jerr(P->doc, p, "must not be empty");
        return fail(P);
    }
    return true;
}

static void opt_str(parser *P, const cJSON *obj, const char *key, const char *path, size_t size,
                    char *out)
{
    if (!azbi_jstr(P->doc, obj, key, path, size, out, NULL)) {
        fail(P);
    }
}

/* An optional number: *out keeps its value when the key is absent. Returns
 * whether the key was present and valid. */
static bool opt_num(parser *P, const cJSON *obj, const char *key, const char *path, unsigned flags,
                    double max, double *out)
{
    bool present = false;
    if (!azbi_jnum(P->doc, obj, key, path, flags, max, out, &present)) {
        return fail(P);
    }
    return present;
}

static bool req_num(parser *P, const cJSON *obj, const char *key, const char *path, unsigned flags,
                    double max, double *out)
{
    bool present = false;
    if (!azbi_jnum(P->doc, obj, key, path, flags, max, out, &present)) {
        return fail(P);
    }
    if (!present) {
        azbi_jmissing(P->doc, path, key);
        return fail(P);
    }
    return true;
}

/* req_num or opt_num, as `required` says. */
static void num(parser *P, bool required, const cJSON *obj, const char *key, const char *path,
                unsigned flags, double max, double *out)
{
    if (required) {
        req_num(P, obj, key, path, flags, max, out);
    } else {
        opt_num(P, obj, key, path, flags, max, out);
    }
}

/* A required string naming one of `names`; -1 (and an error) otherwise. */
static int req_enum(parser *P, const cJSON *obj, const char *key, const char *path,
                    const char *what, const char *const *names, int n)
{
    char buf[48] = "";
    if (!req_str(P, obj, key, path, sizeof(buf), buf)) {
        return -1;
    }
    int found = find_name(buf, names, n);
    if (found >= 0) {
        return found;
    }
    char p[200];
    azbi_path_key(p, sizeof(p), path, key);
    const char *near = azbi_closest(buf, names, n);
    if (near != NULL) {
        azbi_jerr(P->doc, p, "unknown %s \"%s\"; did you mean \"%s\"?", what, buf, near);
    } else if (n > 8) {
        azbi_jerr(P->doc, p, "unknown %s \"%s\" (docs/catalog.md lists them)", what, buf);
    } else {
        char list[280] = "";
        for (int i = 0; i < n; i++) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof(list) - len, "%s%s", i > 0 ? ", " : "", names[i]);
        }
        azbi_jerr(P->doc, p, "unknown %s \"%s\"; expected one of: %s", what, buf, list);
    }
    fail(P);
    return -1;
}

/* calloc an array of `max` entries at most for the JSON array `arr`. An
 * empty array gives NULL with *n = 0. */
static void *alloc_array(parser *P, const cJSON *arr, const char *path, int max, size_t size,
                         int *n)
{
    *n = 0;
    if (!cJSON_IsArray(arr)) {
        azbi_jerr(P->doc, path, "expected an array, got %s", azbi_jtype_name(arr));
        fail(P);
        return NULL;
    }
    int count = cJSON_GetArraySize(arr);
    if (count > max) {
        azbi_jerr(P->doc, path, "%d entries; azboard reads at most %d", count, max);
        fail(P);
        return NULL;
    }
    if (count == 0) {
        return NULL;
    }
    void *mem = calloc((size_t)count, size);
    if (mem == NULL) {
        azbi_jerr(P->doc, path, "out of memory");
        fail(P);
        return NULL;
    }
    *n = count;
    return mem;
}

static void prov(parser *P, const cJSON *obj, const char *path, azb_prov *out)
{
    if (!azbi_prov_parse(P->cat, P->doc, obj, path, out)) {
        fail(P);
    }
}

/* Kind ids and setting names: lowercase letters, digits and '_', so they
 * read the same in a JSON path, a design file and on the command line. */
static bool plain_name(const char *s)
{
    for (const char *c = s; *c != '\0'; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')) {
            return false;
        }
    }
    return s[0] != '\0';
}

static const azb_setting_def *kind_setting(const azb_kind *kind, const char *name)
{
    for (int i = 0; i < kind->nsettings; i++) {
        if (strcmp(kind->settings[i].name, name) == 0) {
            return &kind->settings[i];
        }
    }
    return NULL;
}

/* `key` of obj, when present, must name a setting of `kind` of type `type`. */
static void setting_ref(parser *P, const cJSON *obj, const char *key, const char *path,
                        const azb_kind *kind, azb_setting_type type, char *out, size_t size)
{
    bool present = false;
    if (!azbi_jstr(P->doc, obj, key, path, size, out, &present)) {
        fail(P);
        return;
    }
    if (!present) {
        return;
    }
    char p[200];
    azbi_path_key(p, sizeof(p), path, key);
    const azb_setting_def *def = kind != NULL ? kind_setting(kind, out) : NULL;
    if (def == NULL || (def->type != type && def->type != SETTING_TYPE_UNKNOWN)) {
        azbi_jerr(P->doc, p, "\"%s\" is not a %s setting of %s", out, setting_type_names[type],
                  kind != NULL ? kind->id : "this object (only kinds have settings)");
        fail(P);
    }
}

/* ---- prices ---- */

static void parse_tier(parser *P, const cJSON *obj, const char *path, azb_price_tier *t)
{
    if (!need_object(P, obj, path)) {
        return;
    }
    check_keys(P, obj, path, tier_keys, NKEYS(tier_keys));
    req_num(P, obj, "up_to", path, AZBI_NUM_NONNEG, 0.0, &t->up_to);
    req_num(P, obj, "usd", path, AZBI_NUM_NONNEG, USD_MAX, &t->usd);
}

/* Tiers: `up_to` is the monthly quantity (counted from zero, the free grant
 * included) at which a tier ends, strictly ascending, 0 = no end (last only). */
static void check_tiers(parser *P, const char *path, const azb_price *pr)
{
    for (int i = 0; i < pr->ntiers; i++) {
        char p[220];
        azbi_path_index(p, sizeof(p), path, i);
        double up = pr->tiers[i].up_to;
        double prev = i > 0 ? pr->tiers[i - 1].up_to : pr->free_qty;
        if (up == 0.0 && i != pr->ntiers - 1) {
            azbi_jerr(P->doc, p, "up_to 0 (no end) is allowed on the last tier only");
            fail(P);
        } else if (up != 0.0 && !(up > prev)) {
            azbi_jerr(P->doc, p, "up_to %g must be above %g (%s)", up, prev,
                      i > 0 ? "the previous tier's end" : "the free grant");
            fail(P);
        }
    }
    if (pr->ntiers > 0 && pr->usd != pr->tiers[0].usd) {
        azbi_jerr(P->doc, path, "the first tier's usd %g differs from the price's usd %g",
                  pr->tiers[0].usd, pr->usd);
        fail(P);
    }
}

static void parse_tiers(parser *P, const cJSON *obj, const char *path, azb_price *pr)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, "tiers");
    if (arr == NULL) {
        return;
    }
    char p[200];
    azbi_path_key(p, sizeof(p), path, "tiers");
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > AZB_PRICE_TIERS_MAX) {
        azbi_jerr(P->doc, p, "expected an array of at most %d tiers", AZB_PRICE_TIERS_MAX);
        fail(P);
        return;
    }
    const cJSON *it = NULL;
    cJSON_ArrayForEach(it, arr)
    {
        char pi[220];
        azbi_path_index(pi, sizeof(pi), p, pr->ntiers);
        parse_tier(P, it, pi, &pr->tiers[pr->ntiers++]);
    }
    check_tiers(P, p, pr);
}

static void parse_price(parser *P, const cJSON *obj, const char *path, const azb_kind *kind,
                        azb_price *pr)
{
    if (!need_object(P, obj, path)) {
        return;
    }
    check_keys(P, obj, path, price_keys, NKEYS(price_keys));
    req_str(P, obj, "item", path, sizeof(pr->item), pr->item);
    int unit = req_enum(P, obj, "unit", path, "price unit", price_unit_names, AZB_UNIT_COUNT);
    pr->unit = unit >= 0 ? (azb_price_unit)unit : AZB_UNIT_MONTH;
    req_num(P, obj, "usd", path, AZBI_NUM_NONNEG, USD_MAX, &pr->usd);
    opt_num(P, obj, "free", path, AZBI_NUM_NONNEG, 0.0, &pr->free_qty);
    parse_tiers(P, obj, path, pr);
    setting_ref(P, obj, "when", path, kind, AZB_SETTING_BOOL, pr->when, sizeof(pr->when));
    setting_ref(P, obj, "per", path, kind, AZB_SETTING_NUMBER, pr->per, sizeof(pr->per));
    prov(P, obj, path, &pr->prov);
}

/* ---- capacity, SLA, limits ---- */

/* service_dist and cv must agree: exp has cv 1 and det cv 0 by definition;
 * lognormal needs its cv stated. */
static void parse_dist(parser *P, const cJSON *obj, const char *path, azb_capacity *c)
{
    c->dist = AZB_DIST_EXP;
    if (cJSON_GetObjectItemCaseSensitive(obj, "service_dist") != NULL) {
        int d = req_enum(P, obj, "service_dist", path, "service_dist", dist_names, AZB_DIST_COUNT);
        c->dist = d >= 0 ? (azb_dist)d : AZB_DIST_EXP;
    }
    double fixed = c->dist == AZB_DIST_EXP ? 1.0 : 0.0;
    c->cv = fixed;
    bool has_cv = false;
    if (!azbi_jnum(P->doc, obj, "cv", path, AZBI_NUM_NONNEG, CV_MAX, &c->cv, &has_cv)) {
        fail(P);
        return;
    }
    char p[200];
    azbi_path_key(p, sizeof(p), path, "cv");
    if (c->dist == AZB_DIST_LOGNORMAL && !(has_cv && c->cv > 0.0)) {
        azbi_jerr(P->doc, has_cv ? p : path, "lognormal service times need \"cv\" > 0");
        fail(P);
    } else if (c->dist != AZB_DIST_LOGNORMAL && has_cv && c->cv != fixed) {
        azbi_jerr(P->doc, p, "%s service times have cv %g, got %g", dist_names[c->dist], fixed,
                  c->cv);
        fail(P);
    }
}

static void parse_quota(parser *P, const cJSON *obj, const char *path, const azb_kind *kind,
                        azb_capacity *c)
{
    bool needed = kind->capacity_model == AZB_CAP_QUOTA;
    bool has = cJSON_GetObjectItemCaseSensitive(obj, "quota") != NULL ||
               cJSON_GetObjectItemCaseSensitive(obj, "quota_unit") != NULL;
    c->cost_read = 1.0;
    c->cost_write = 1.0;
    c->quota_per_unit = 1.0;
    if (!needed && !has) {
        return;
    }
    req_num(P, obj, "quota", path, AZBI_NUM_POSITIVE, QUOTA_MAX, &c->quota);
    int u = req_enum(P, obj, "quota_unit", path, "quota_unit", quota_unit_names + 1,
                     AZB_QUOTA_COUNT - 1);
    c->quota_unit = u >= 0 ? (azb_quota_unit)(u + 1) : AZB_QUOTA_NONE;
    setting_ref(P, obj, "quota_setting", path, kind, AZB_SETTING_NUMBER, c->quota_setting,
                sizeof(c->quota_setting));
    opt_num(P, obj, "quota_per_unit", path, AZBI_NUM_POSITIVE, QUOTA_MAX, &c->quota_per_unit);
    opt_num(P, obj, "cost_read", path, AZBI_NUM_POSITIVE, USD_MAX, &c->cost_read);
    opt_num(P, obj, "cost_write", path, AZBI_NUM_POSITIVE, USD_MAX, &c->cost_write);
}

static void parse_capacity(parser *P, const cJSON *sku, const char *base, const azb_kind *kind,
                           azb_capacity *c)
{
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(sku, "capacity");
    char path[200];
    azbi_path_key(path, sizeof(path), base, "capacity");
    c->prov.source = -1;
    if (kind->capacity_model == CAP_UNKNOWN) {
        return;
    }
    if (obj == NULL) {
        if (kind->capacity_model != AZB_CAP_SOURCE) {
            azbi_jmissing(P->doc, base, "capacity");
            fail(P);
        }
        return;
    }
    if (!need_object(P, obj, path)) {
        return;
    }
    check_keys(P, obj, path, capacity_keys, NKEYS(capacity_keys));
    double conc = 0.0;
    num(P, kind->capacity_model == AZB_CAP_SERVERS, obj, "concurrency", path,
        AZBI_NUM_INT | AZBI_NUM_POSITIVE, CONCURRENCY_MAX, &conc);
    c->concurrency = (int)conc;
    num(P, kind->capacity_model != AZB_CAP_SOURCE, obj, "service_ms", path, AZBI_NUM_POSITIVE,
        SERVICE_MS_MAX, &c->service_ms);
    parse_dist(P, obj, path, c);
    parse_quota(P, obj, path, kind, c);
    bool tpm = c->quota_unit == AZB_QUOTA_TOKENS_PER_MIN;
    num(P, tpm, obj, "tokens_per_s", path, tpm ? AZBI_NUM_POSITIVE : AZBI_NUM_NONNEG, 0.0,
        &c->tokens_per_s);
    opt_num(P, obj, "ttft_ms", path, AZBI_NUM_NONNEG, SERVICE_MS_MAX, &c->ttft_ms);
    prov(P, obj, path, &c->prov);
}

/* A redundant configuration's SLA (0 = Azure states none) is never below
 * the single deployment's: that would be a typo such as 0.995 for 0.9995. */
static void check_sla_order(parser *P, const char *path, const char *key, double v, double base)
{
    if (v != 0.0 && v < base) {
        char p[220];
        azbi_path_key(p, sizeof(p), path, key);
        azbi_jerr(P->doc, p, "%g is below \"value\" %g; 0 means none", v, base);
        fail(P);
    }
}

static void parse_sla(parser *P, const cJSON *sku, const char *base, azb_sla *s)
{
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(sku, "sla");
    char path[200];
    azbi_path_key(path, sizeof(path), base, "sla");
    s->prov.source = -1;
    if (obj == NULL) {
        azbi_jmissing(P->doc, base, "sla");
        fail(P);
        return;
    }
    if (!need_object(P, obj, path)) {
        return;
    }
    check_keys(P, obj, path, sla_keys, NKEYS(sla_keys));
    req_num(P, obj, "value", path, AZBI_NUM_POSITIVE | AZBI_NUM_UNIT, 0.0, &s->value);
    opt_num(P, obj, "multi_instance", path, AZBI_NUM_UNIT, 0.0, &s->multi_instance);
    opt_num(P, obj, "zone_redundant", path, AZBI_NUM_UNIT, 0.0, &s->zone_redundant);
    opt_num(P, obj, "multi_region", path, AZBI_NUM_UNIT, 0.0, &s->multi_region);
    check_sla_order(P, path, "multi_instance", s->multi_instance, s->value);
    check_sla_order(P, path, "zone_redundant", s->zone_redundant, s->value);
    check_sla_order(P, path, "multi_region", s->multi_region, s->value);
    prov(P, obj, path, &s->prov);
}

static void parse_limit(parser *P, const cJSON *obj, const char *path, azb_limit *l)
{
    l->prov.source = -1;
    if (!need_object(P, obj, path)) {
        return;
    }
    check_keys(P, obj, path, limit_keys, NKEYS(limit_keys));
    req_str(P, obj, "name", path, sizeof(l->name), l->name);
    req_num(P, obj, "value", path, AZBI_NUM_NONNEG, 0.0, &l->value);
    opt_str(P, obj, "unit", path, sizeof(l->unit), l->unit);
    prov(P, obj, path, &l->prov);
}

/* ---- SKUs ---- */

static void parse_sku_prices(parser *P, const cJSON *obj, const char *path, const azb_kind *kind,
                             azb_sku *s)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, "prices");
    char p[200];
    azbi_path_key(p, sizeof(p), path, "prices");
    if (arr == NULL && kind->capacity_model == AZB_CAP_SOURCE) {
        return;
    }
    if (arr == NULL) {
        azbi_jmissing(P->doc, path, "prices");
        fail(P);
        return;
    }
    s->prices = alloc_array(P, arr, p, PRICES_MAX, sizeof(*s->prices), &s->nprices);
    if (s->nprices == 0 && cJSON_IsArray(arr) && kind->capacity_model != AZB_CAP_SOURCE) {
        azbi_jerr(P->doc, p, "a SKU needs at least one price");
        fail(P);
    }
    for (int i = 0; i < s->nprices; i++) {
        char pi[220];
        azbi_path_index(pi, sizeof(pi), p, i);
        parse_price(P, cJSON_GetArrayItem(arr, i), pi, kind, &s->prices[i]);
    }
}

static void parse_sku_limits(parser *P, const cJSON *obj, const char *path, azb_sku *s)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, "limits");
    if (arr == NULL) {
        return;
    }
    char p[200];
    azbi_path_key(p, sizeof(p), path, "limits");
    s->limits = alloc_array(P, arr, p, LIMITS_MAX, sizeof(*s->limits), &s->nlimits);
    for (int i = 0; i < s->nlimits; i++) {
        char pi[220];
        azbi_path_index(pi, sizeof(pi), p, i);
        parse_limit(P, cJSON_GetArrayItem(arr, i), pi, &s->limits[i]);
    }
}

static void parse_sku(parser *P, const cJSON *obj, const char *path, const azb_kind *kind,
                      int index)
{
    azb_sku *s = &kind->skus[index];
    if (!need_object(P, obj, path)) {
        return;
    }
    check_keys(P, obj, path, sku_keys, NKEYS(sku_keys));
    if (req_str(P, obj, "name", path, sizeof(s->name), s->name)) {
        for (int k = 0; k < index; k++) {
            if (strcmp(kind->skus[k].name, s->name) == 0) {
                char p[200];
                azbi_path_key(p, sizeof(p), path, "name");
                azbi_jerr(P->doc, p, "duplicate SKU \"%s\" in kind %s (also skus[%d])", s->name,
                          kind->id, k);
                fail(P);
                break;
            }
        }
    }
    snprintf(s->arm_sku, sizeof(s->arm_sku), "%s", s->name);
    opt_str(P, obj, "arm_sku", path, sizeof(s->arm_sku), s->arm_sku);
    opt_str(P, obj, "description", path, sizeof(s->description), s->description);
    opt_num(P, obj, "vcpu", path, AZBI_NUM_NONNEG, 1e5, &s->vcpu);
    opt_num(P, obj, "memory_gib", path, AZBI_NUM_NONNEG, 1e6, &s->memory_gib);
    opt_num(P, obj, "gpus", path, AZBI_NUM_NONNEG, 1e3, &s->gpus);
    parse_capacity(P, obj, path, kind, &s->capacity);
    parse_sku_prices(P, obj, path, kind, s);
    parse_sla(P, obj, path, &s->sla);
    parse_sku_limits(P, obj, path, s);
}

/* ---- settings ---- */

static void parse_setting_number(parser *P, const cJSON *obj, const char *path, azb_setting_def *d)
{
    bool ok = req_num(P, obj, "min", path, AZBI_NUM_ANY, 0.0, &d->min);
    ok = req_num(P, obj, "max", path, AZBI_NUM_ANY, 0.0, &d->max) && ok;
    ok = req_num(P, obj, "default", path, AZBI_NUM_ANY, 0.0, &d->def) && ok;
    bool integer = false;
    if (!azbi_jbool(P->doc, obj, "integer", path, &integer, NULL)) {
        ok = fail(P);
    }
    d->integer = integer;
    if (!ok) {
        return;
    }
    if (!(d->min <= d->max)) {
        azbi_jerr(P->doc, path, "min %g is above max %g", d->min, d->max);
        fail(P);
    } else if (d->def < d->min || d->def > d->max) {
        azbi_jerr(P->doc, path, "default %g is outside [%g, %g]", d->def, d->min, d->max);
        fail(P);
    }
    if (d->integer &&
        (d->min != floor(d->min) || d->max != floor(d->max) || d->def != floor(d->def))) {
        azbi_jerr(P->doc, path, "an integer setting needs whole min, max and default");
        fail(P);
    }
}

static void parse_choices(parser *P, const cJSON *obj, const char *path, azb_setting_def *d)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, "choices");
    if (arr == NULL) {
        return;
    }
    char p[200];
    azbi_path_key(p, sizeof(p), path, "choices");
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > AZB_CHOICES_MAX) {
        azbi_jerr(P->doc, p, "expected an array of at most %d strings", AZB_CHOICES_MAX);
        fail(P);
        return;
    }
    int i = 0;
    const cJSON *it = NULL;
    cJSON_ArrayForEach(it, arr)
    {
        char pi[220];
        azbi_path_index(pi, sizeof(pi), p, i++);
        size_t size = sizeof(d->choices[0]);
        if (!cJSON_IsString(it) || it->valuestring[0] == '\0' || strlen(it->valuestring) >= size) {
            azbi_jerr(P->doc, pi, "a choice is a non-empty string of at most %zu bytes", size - 1);
            fail(P);
            continue;
        }
        bool dup = false;
        for (int k = 0; k < d->nchoices; k++) {
            dup = dup || strcmp(d->choices[k], it->valuestring) == 0;
        }
        if (dup) {
            azbi_jerr(P->doc, pi, "choice \"%s\" is listed twice", it->valuestring);
            fail(P);
            continue;
        }
        snprintf(d->choices[d->nchoices++], size, "%s", it->valuestring);
    }
}

static void parse_setting_string(parser *P, const cJSON *obj, const char *path, azb_setting_def *d)
{
    parse_choices(P, obj, path, d);
    bool present = false;
    if (!azbi_jstr(P->doc, obj, "default", path, sizeof(d->def_str), d->def_str, &present)) {
        fail(P);
        return;
    }
    bool listed = d->nchoices == 0;
    for (int i = 0; i < d->nchoices; i++) {
        listed = listed || strcmp(d->choices[i], d->def_str) == 0;
    }
    if (!listed) {
        char p[200];
        azbi_path_key(p, sizeof(p), path, "default");
        azbi_jerr(P->doc, present ? p : path, "default \"%s\" is not one of the choices",
                  d->def_str);
        fail(P);
    }
}

static void parse_setting(parser *P, const cJSON *obj, const char *path, const azb_kind *kind,
                          int index)
{
    azb_setting_def *d = &kind->settings[index];
    if (!need_object(P, obj, path)) {
        return;
    }
    check_keys(P, obj, path, setting_keys, NKEYS(setting_keys));
    char p[200];
    azbi_path_key(p, sizeof(p), path, "name");
    if (req_str(P, obj, "name", path, sizeof(d->name), d->name)) {
        if (!plain_name(d->name)) {
            azbi_jerr(P->doc, p, "setting \"%s\" must be lowercase letters, digits and '_'",
                      d->name);
            fail(P);
        } else if (find_name(d->name, node_keys, NKEYS(node_keys)) >= 0) {
            azbi_jerr(P->doc, p,
                      "\"%s\" is a key every design node has; a setting cannot "
                      "use it",
                      d->name);
            fail(P);
        }
        for (int k = 0; k < index; k++) {
            if (strcmp(kind->settings[k].name, d->name) == 0) {
                azbi_jerr(P->doc, p, "duplicate setting \"%s\" (also settings[%d])", d->name, k);
                fail(P);
            }
        }
    }
    opt_str(P, obj, "unit", path, sizeof(d->unit), d->unit);
    opt_str(P, obj, "description", path, sizeof(d->description), d->description);
    int type = req_enum(P, obj, "type", path, "setting type", setting_type_names,
                        NKEYS(setting_type_names));
    d->type = type >= 0 ? (azb_setting_type)type : SETTING_TYPE_UNKNOWN;
    if (type == AZB_SETTING_NUMBER) {
        parse_setting_number(P, obj, path, d);
    } else if (type == AZB_SETTING_STRING) {
        parse_setting_string(P, obj, path, d);
    } else if (type == AZB_SETTING_BOOL) {
        bool def = false;
        if (!azbi_jbool(P->doc, obj, "default", path, &def, NULL)) {
            fail(P);
        }
        d->def = def ? 1.0 : 0.0;
        d->max = 1.0;
    }
}

/* ---- kinds ---- */

static void parse_kind_head(parser *P, const cJSON *obj, const char *path, int index)
{
    azb_kind *k = &P->cat->kinds[index];
    char p[200];
    azbi_path_key(p, sizeof(p), path, "id");
    if (req_str(P, obj, "id", path, sizeof(k->id), k->id)) {
        if (!plain_name(k->id)) {
            azbi_jerr(P->doc, p, "kind id \"%s\" must be lowercase letters, digits and '_'", k->id);
            fail(P);
        }
        for (int i = 0; i < index; i++) {
            if (strcmp(P->cat->kinds[i].id, k->id) == 0) {
                azbi_jerr(P->doc, p, "duplicate kind id \"%s\" (also kinds[%d])", k->id, i);
                fail(P);
                break;
            }
        }
    }
    req_str(P, obj, "name", path, sizeof(k->name), k->name);
    opt_str(P, obj, "arm_type", path, sizeof(k->arm_type), k->arm_type);
    int cat = req_enum(P, obj, "category", path, "category", category_names, AZB_CAT_COUNT);
    int model = req_enum(P, obj, "capacity_model", path, "capacity_model", capacity_model_names,
                         AZB_CAP_COUNT);
    k->category = cat >= 0 ? (azb_category)cat : AZB_CAT_COMPUTE;
    k->capacity_model = model >= 0 ? (azb_capacity_model)model : CAP_UNKNOWN;
    if (cat >= 0 && model >= 0 && (cat == AZB_CAT_SOURCE) != (model == AZB_CAP_SOURCE)) {
        azbi_jerr(P->doc, path, "category source and capacity_model source go together");
        fail(P);
    }
}

static void parse_kind_settings(parser *P, const cJSON *obj, const char *path, azb_kind *k)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, "settings");
    if (arr == NULL) {
        return;
    }
    char p[200];
    azbi_path_key(p, sizeof(p), path, "settings");
    k->settings = alloc_array(P, arr, p, SETTINGS_MAX, sizeof(*k->settings), &k->nsettings);
    for (int i = 0; i < k->nsettings; i++) {
        char pi[220];
        azbi_path_index(pi, sizeof(pi), p, i);
        parse_setting(P, cJSON_GetArrayItem(arr, i), pi, k, i);
    }
}

static void parse_kind_skus(parser *P, const cJSON *obj, const char *path, azb_kind *k)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, "skus");
    if (arr == NULL) {
        azbi_jmissing(P->doc, path, "skus");
        fail(P);
        return;
    }
    char p[200];
    azbi_path_key(p, sizeof(p), path, "skus");
    k->skus = alloc_array(P, arr, p, SKUS_MAX, sizeof(*k->skus), &k->nskus);
    if (k->nskus == 0 && cJSON_IsArray(arr)) {
        azbi_jerr(P->doc, p, "a kind needs at least one SKU");
        fail(P);
    }
    for (int i = 0; i < k->nskus; i++) {
        char pi[220];
        azbi_path_index(pi, sizeof(pi), p, i);
        parse_sku(P, cJSON_GetArrayItem(arr, i), pi, k, i);
    }
}

static void parse_default_sku(parser *P, const cJSON *obj, const char *path, azb_kind *k)
{
    char name[AZB_NAME_MAX] = "";
    if (!req_str(P, obj, "default_sku", path, sizeof(name), name)) {
        return;
    }
    for (int i = 0; i < k->nskus; i++) {
        if (strcmp(k->skus[i].name, name) == 0) {
            k->default_sku = i;
            return;
        }
    }
    char p[200];
    azbi_path_key(p, sizeof(p), path, "default_sku");
    azbi_jerr(P->doc, p, "default_sku \"%s\" is not one of the kind's SKUs", name);
    fail(P);
}

static const char *const sim_names[] = {"probe_interval_s", "unhealthy_probes",
                                        "dns_ttl_s",        "scale_interval_s",
                                        "provision_s",      "cold_start_ms",
                                        "failover_s",       "failover_multi_write_s"};

static void parse_kind_sim(parser *P, const cJSON *obj, const char *path, azb_kind *k)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, "sim");
    if (arr == NULL) {
        return;
    }
    char p[200];
    azbi_path_key(p, sizeof(p), path, "sim");
    k->sim = alloc_array(P, arr, p, LIMITS_MAX, sizeof(*k->sim), &k->nsim);
    for (int i = 0; i < k->nsim; i++) {
        char pi[220];
        azbi_path_index(pi, sizeof(pi), p, i);
        parse_limit(P, cJSON_GetArrayItem(arr, i), pi, &k->sim[i]);
        if (k->sim[i].name[0] != '\0' &&
            find_name(k->sim[i].name, sim_names, NKEYS(sim_names)) < 0) {
            char pn[240];
            azbi_path_key(pn, sizeof(pn), pi, "name");
            azbi_jerr(P->doc, pn, "unknown sim figure \"%s\"", k->sim[i].name);
            fail(P);
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(k->sim[j].name, k->sim[i].name) == 0) {
                azbi_jerr(P->doc, pi, "duplicate sim figure \"%s\"", k->sim[i].name);
                fail(P);
                break;
            }
        }
    }
}

static void parse_kind(parser *P, const cJSON *obj, const char *path, int index)
{
    azb_kind *k = &P->cat->kinds[index];
    if (!need_object(P, obj, path)) {
        return;
    }
    check_keys(P, obj, path, kind_keys, NKEYS(kind_keys));
    parse_kind_head(P, obj, path, index);
    parse_kind_settings(P, obj, path, k); /* before SKUs: prices refer to settings */
    parse_kind_skus(P, obj, path, k);
    parse_default_sku(P, obj, path, k);
    parse_kind_sim(P, obj, path, k);
}

static void parse_kinds(parser *P, const cJSON *root)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "kinds");
    if (arr == NULL) {
        azbi_jmissing(P->doc, "", "kinds");
        fail(P);
        return;
    }
    P->cat->kinds = alloc_array(P, arr, "kinds", KINDS_MAX, sizeof(azb_kind), &P->cat->nkinds);
    for (int i = 0; i < P->cat->nkinds; i++) {
        char p[64];
        azbi_path_index(p, sizeof(p), "kinds", i);
        parse_kind(P, cJSON_GetArrayItem(arr, i), p, i);
    }
}

/* ---- bandwidth ---- */

static void parse_rule(parser *P, const cJSON *obj, const char *path, azb_transfer_rule *r)
{
    r->prov.source = -1;
    if (!need_object(P, obj, path)) {
        return;
    }
    check_keys(P, obj, path, rule_keys, NKEYS(rule_keys));
    req_str(P, obj, "from", path, sizeof(r->from), r->from);
    req_str(P, obj, "to", path, sizeof(r->to), r->to);
    req_num(P, obj, "usd_per_gb", path, AZBI_NUM_NONNEG, USD_MAX, &r->usd_per_gb);
    prov(P, obj, path, &r->prov);
}

static void parse_inter_zone(parser *P, const cJSON *bw)
{
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(bw, "inter_zone");
    const char *path = "bandwidth.inter_zone";
    P->cat->inter_zone_prov.source = -1;
    if (obj == NULL) {
        azbi_jmissing(P->doc, "bandwidth", "inter_zone");
        fail(P);
        return;
    }
    if (!need_object(P, obj, path)) {
        return;
    }
    check_keys(P, obj, path, zone_keys, NKEYS(zone_keys));
    req_num(P, obj, "usd_per_gb", path, AZBI_NUM_NONNEG, USD_MAX, &P->cat->inter_zone_usd_per_gb);
    prov(P, obj, path, &P->cat->inter_zone_prov);
}

static void parse_egress(parser *P, const cJSON *bw)
{
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(bw, "internet_egress");
    const char *path = "bandwidth.internet_egress";
    azb_price *pr = &P->cat->internet_egress;
    pr->prov.source = -1;
    if (obj == NULL) {
        azbi_jmissing(P->doc, "bandwidth", "internet_egress");
        fail(P);
        return;
    }
    parse_price(P, obj, path, NULL, pr);
    if (cJSON_IsObject(obj) && pr->unit != AZB_UNIT_GB_EGRESS) {
        azbi_jerr(P->doc, "bandwidth.internet_egress.unit", "internet egress is priced in %s",
                  price_unit_names[AZB_UNIT_GB_EGRESS]);
        fail(P);
    }
}

static void parse_bandwidth(parser *P, const cJSON *root)
{
    const cJSON *bw = cJSON_GetObjectItemCaseSensitive(root, "bandwidth");
    if (bw == NULL) {
        azbi_jmissing(P->doc, "", "bandwidth");
        fail(P);
        return;
    }
    if (!need_object(P, bw, "bandwidth")) {
        return;
    }
    check_keys(P, bw, "bandwidth", bandwidth_keys, NKEYS(bandwidth_keys));
    parse_egress(P, bw);
    parse_inter_zone(P, bw);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(bw, "inter_region");
    const char *path = "bandwidth.inter_region";
    if (arr == NULL) {
        azbi_jmissing(P->doc, "bandwidth", "inter_region");
        fail(P);
        return;
    }
    P->cat->transfer =
        alloc_array(P, arr, path, RULES_MAX, sizeof(azb_transfer_rule), &P->cat->ntransfer);
    for (int i = 0; i < P->cat->ntransfer; i++) {
        char p[64];
        azbi_path_index(p, sizeof(p), path, i);
        parse_rule(P, cJSON_GetArrayItem(arr, i), p, &P->cat->transfer[i]);
    }
}

/* Needs both files: a rule's continents must be ones some region uses. */
static bool continent_used(const azb_catalog *cat, const char *name)
{
    if (strcmp(name, "*") == 0) {
        return true;
    }
    for (int i = 0; i < cat->nregions; i++) {
        if (strcmp(cat->regions[i].continent, name) == 0) {
            return true;
        }
    }
    return false;
}

static void check_continents(parser *P)
{
    for (int i = 0; i < P->cat->ntransfer; i++) {
        const azb_transfer_rule *r = &P->cat->transfer[i];
        const char *ends[2] = {r->from, r->to};
        const char *keys[2] = {"from", "to"};
        for (int e = 0; e < 2; e++) {
            if (ends[e][0] == '\0' || continent_used(P->cat, ends[e])) {
                continue;
            }
            char pi[64];
            char p[80];
            azbi_path_index(pi, sizeof(pi), "bandwidth.inter_region", i);
            azbi_path_key(p, sizeof(p), pi, keys[e]);
            azbi_jerr(P->doc, p,
                      "no region in the regions file is on continent \"%s\"; "
                      "use a continent of regions.json or \"*\"",
                      ends[e]);
            fail(P);
        }
    }
}

/* ---- the document ---- */

/* A wrong format or version stops the parse: the rest cannot be trusted to
 * mean what docs/catalog.md says, and a flood of follow-on errors would hide
 * the one that matters. */
static bool parse_header(parser *P, const cJSON *root)
{
    char format[64] = "";
    if (!req_str(P, root, "format", "", sizeof(format), format)) {
        return false;
    }
    if (strcmp(format, CATALOG_FORMAT) != 0) {
        azbi_jerr(P->doc, "format", "format must be \"%s\", got \"%s\"", CATALOG_FORMAT, format);
        return fail(P);
    }
    double version = 0.0;
    if (!req_num(P, root, "version", "", AZBI_NUM_INT, 0.0, &version)) {
        return false;
    }
    if (version != (double)CATALOG_VERSION) {
        azbi_jerr(P->doc, "version", "unsupported version %g; this azboard reads version %d",
                  version, CATALOG_VERSION);
        return fail(P);
    }
    return true;
}

static void parse_catalog(parser *P)
{
    const cJSON *root = P->doc->root;
    if (!cJSON_IsObject(root)) {
        azbi_jerr(P->doc, "", "expected a JSON object, got %s", azbi_jtype_name(root));
        fail(P);
        return;
    }
    if (!parse_header(P, root)) {
        return;
    }
    check_keys(P, root, "", root_keys, NKEYS(root_keys));
    const cJSON *sources = cJSON_GetObjectItemCaseSensitive(root, "sources");
    if (sources == NULL) {
        azbi_jmissing(P->doc, "", "sources");
        fail(P);
    } else if (!azbi_sources_parse(P->cat, P->doc, sources, "sources")) {
        fail(P);
    }
    parse_bandwidth(P, root);
    parse_kinds(P, root);
}

azb_catalog *azb_catalog_parse(const char *catalog_text, size_t catalog_len,
                               const char *catalog_name, const char *regions_text,
                               size_t regions_len, const char *regions_name, azb_errors *errs)
{
    assert(catalog_text != NULL && catalog_name != NULL && errs != NULL);
    assert(regions_text != NULL && regions_name != NULL);
    int errors_before = azb_errors_count_errors(errs);
    azbi_jdoc cdoc;
    azbi_jdoc rdoc;
    memset(&cdoc, 0, sizeof(cdoc));
    memset(&rdoc, 0, sizeof(rdoc));
    azb_catalog *cat = calloc(1, sizeof(*cat));
    if (cat == NULL) {
        azb_errors_add(errs, false, catalog_name, 0, 0, "", "out of memory");
        return NULL;
    }
    parser P = {cat, &cdoc, true};
    if (azbi_jdoc_parse(&cdoc, catalog_name, catalog_text, catalog_len, AZBI_CATALOG_MAX_DEPTH,
                        errs)) {
        parse_catalog(&P);
    } else {
        P.ok = false;
    }
    /* Regions even when the catalog failed, so one run shows every problem. */
    bool regions_ok = azbi_jdoc_parse(&rdoc, regions_name, regions_text, regions_len,
                                      AZBI_CATALOG_MAX_DEPTH, errs) &&
                      azbi_regions_parse(cat, &rdoc);
    if (regions_ok && cdoc.root != NULL) {
        check_continents(&P);
    }
    bool ok = P.ok && regions_ok && azb_errors_count_errors(errs) == errors_before;
    azbi_jdoc_free(&cdoc);
    azbi_jdoc_free(&rdoc);
    if (!ok) {
        azb_catalog_destroy(cat);
        return NULL;
    }
    return cat;
}

azb_catalog *azb_catalog_load(const char *catalog_path, const char *regions_path, azb_errors *errs)
{
    assert(catalog_path != NULL && regions_path != NULL && errs != NULL);
    char *ctext = NULL;
    char *rtext = NULL;
    size_t clen = 0;
    size_t rlen = 0;
    azb_catalog *cat = NULL;
    bool read_c = azbi_file_read(catalog_path, AZBI_MAX_FILE_BYTES, &ctext, &clen, errs);
    bool read_r = azbi_file_read(regions_path, AZBI_MAX_FILE_BYTES, &rtext, &rlen, errs);
    if (!read_c || !read_r) {
        goto fail;
    }
    cat = azb_catalog_parse(ctext, clen, catalog_path, rtext, rlen, regions_path, errs);
fail:
    free(ctext);
    free(rtext);
    return cat;
}

azb_catalog *azb_catalog_load_dir(const char *data_dir, azb_errors *errs)
{
    assert(data_dir != NULL && errs != NULL);
    size_t size = strlen(data_dir) + 32;
    char *cpath = malloc(size);
    char *rpath = malloc(size);
    azb_catalog *cat = NULL;
    if (cpath == NULL || rpath == NULL) {
        azb_errors_add(errs, false, data_dir, 0, 0, "", "out of memory");
        goto fail;
    }
    snprintf(cpath, size, "%s/assets/catalog.json", data_dir);
    snprintf(rpath, size, "%s/assets/regions.json", data_dir);
    cat = azb_catalog_load(cpath, rpath, errs);
fail:
    free(cpath);
    free(rpath);
    return cat;
}

void azb_catalog_destroy(azb_catalog *cat)
{
    if (cat == NULL) {
        return;
    }
    for (int k = 0; k < cat->nkinds; k++) {
        azb_kind *kind = &cat->kinds[k];
        for (int s = 0; s < kind->nskus; s++) {
            free(kind->skus[s].prices);
            free(kind->skus[s].limits);
        }
        free(kind->skus);
        free(kind->settings);
        free(kind->sim);
    }
    free(cat->kinds);
    free(cat->transfer);
    free(cat->sources);
    azbi_regions_free(cat);
    free(cat);
}

/* ---- lookups ---- */

const azb_kind *azb_catalog_find_kind(const azb_catalog *cat, const char *id)
{
    if (cat == NULL || id == NULL) {
        return NULL;
    }
    for (int i = 0; i < cat->nkinds; i++) {
        if (strcmp(cat->kinds[i].id, id) == 0) {
            return &cat->kinds[i];
        }
    }
    return NULL;
}

const azb_sku *azb_catalog_find_sku(const azb_kind *kind, const char *name)
{
    if (kind == NULL || name == NULL) {
        return NULL;
    }
    for (int i = 0; i < kind->nskus; i++) {
        if (strcmp(kind->skus[i].name, name) == 0) {
            return &kind->skus[i];
        }
    }
    return NULL;
}

const azb_limit *azb_kind_sim_figure(const azb_kind *kind, const char *name)
{
    if (kind == NULL || name == NULL) {
        return NULL;
    }
    for (int i = 0; i < kind->nsim; i++) {
        if (strcmp(kind->sim[i].name, name) == 0) {
            return &kind->sim[i];
        }
    }
    return NULL;
}

double azb_kind_sim(const azb_kind *kind, const char *name, double fallback)
{
    const azb_limit *l = azb_kind_sim_figure(kind, name);
    return l != NULL ? l->value : fallback;
}

const azb_setting_def *azb_catalog_find_setting(const azb_kind *kind, const char *name)
{
    if (kind == NULL || name == NULL) {
        return NULL;
    }
    return kind_setting(kind, name);
}

const char *azb_catalog_suggest_kind(const azb_catalog *cat, const char *id)
{
    if (cat == NULL || id == NULL) {
        return NULL;
    }
    const char *names[KINDS_MAX] = {NULL};
    int n = cat->nkinds < KINDS_MAX ? cat->nkinds : KINDS_MAX;
    for (int i = 0; i < n; i++) {
        names[i] = cat->kinds[i].id;
    }
    return azbi_closest(id, names, n);
}

/* A SKU is often typed without its "Standard_" prefix ("D4s_v5") or in
 * another case; those match before edit distance is tried. */
const char *azb_catalog_suggest_sku(const azb_kind *kind, const char *name)
{
    if (kind == NULL || name == NULL) {
        return NULL;
    }
    const char *names[SKUS_MAX] = {NULL};
    int n = kind->nskus < SKUS_MAX ? kind->nskus : SKUS_MAX;
    for (int i = 0; i < n; i++) {
        names[i] = kind->skus[i].name;
        const char *us = strchr(names[i], '_');
        if (us != NULL && strcmp(us + 1, name) == 0) {
            return names[i];
        }
    }
    return azbi_closest(name, names, n);
}

/* ---- names ---- */

const char *azb_category_name(azb_category c)
{
    return (c >= 0 && c < AZB_CAT_COUNT) ? category_names[c] : "?";
}

const char *azb_capacity_model_name(azb_capacity_model m)
{
    return (m >= 0 && m < AZB_CAP_COUNT) ? capacity_model_names[m] : "?";
}

const char *azb_dist_name(azb_dist d)
{
    return (d >= 0 && d < AZB_DIST_COUNT) ? dist_names[d] : "?";
}

bool azb_dist_parse(const char *s, azb_dist *out)
{
    assert(out != NULL);
    int d = s != NULL ? find_name(s, dist_names, AZB_DIST_COUNT) : -1;
    if (d < 0) {
        return false;
    }
    *out = (azb_dist)d;
    return true;
}

const char *azb_price_unit_name(azb_price_unit u)
{
    return (u >= 0 && u < AZB_UNIT_COUNT) ? price_unit_names[u] : "?";
}

const char *azb_quota_unit_name(azb_quota_unit u)
{
    return (u >= 0 && u < AZB_QUOTA_COUNT) ? quota_unit_names[u] : "?";
}

/* ---- JSON out ---- */

typedef struct jout {
    const azb_catalog *cat;
    bool oom;
} jout;

static cJSON *add_obj(jout *o, cJSON *parent, const char *key)
{
    if (parent == NULL) {
        return NULL;
    }
    cJSON *it = cJSON_CreateObject();
    if (it == NULL || (key != NULL ? !cJSON_AddItemToObject(parent, key, it)
                                   : !cJSON_AddItemToArray(parent, it))) {
        cJSON_Delete(it);
        o->oom = true;
        return NULL;
    }
    return it;
}

static cJSON *add_arr(jout *o, cJSON *parent, const char *key)
{
    if (parent == NULL) {
        return NULL;
    }
    cJSON *it = cJSON_AddArrayToObject(parent, key);
    o->oom = o->oom || it == NULL;
    return it;
}

static void add_str(jout *o, cJSON *obj, const char *key, const char *value)
{
    if (obj != NULL && cJSON_AddStringToObject(obj, key, value) == NULL) {
        o->oom = true;
    }
}

static void add_num(jout *o, cJSON *obj, const char *key, double value)
{
    if (obj != NULL && cJSON_AddNumberToObject(obj, key, value) == NULL) {
        o->oom = true;
    }
}

static void add_bool(jout *o, cJSON *obj, const char *key, bool value)
{
    if (obj != NULL && cJSON_AddBoolToObject(obj, key, value) == NULL) {
        o->oom = true;
    }
}

static void add_prov(jout *o, cJSON *obj, azb_prov p)
{
    cJSON *src = add_obj(o, obj, "source");
    bool known = p.source >= 0 && p.source < o->cat->nsources;
    const azb_source *s = known ? &o->cat->sources[p.source] : NULL;
    add_str(o, src, "id", s != NULL ? s->id : "");
    add_str(o, src, "url", s != NULL ? s->url : "");
    add_str(o, src, "date", s != NULL ? s->date : "");
    add_str(o, obj, "tag", azb_tag_name(p.tag));
    if (p.tag == AZB_TAG_EST) {
        add_bool(o, obj, "estimate", true);
    }
}

static void add_price(jout *o, cJSON *obj, const azb_price *pr)
{
    add_str(o, obj, "item", pr->item);
    add_str(o, obj, "unit", azb_price_unit_name(pr->unit));
    add_num(o, obj, "usd", pr->usd);
    add_num(o, obj, "free", pr->free_qty);
    cJSON *tiers = add_arr(o, obj, "tiers");
    for (int t = 0; t < pr->ntiers; t++) {
        cJSON *it = add_obj(o, tiers, NULL);
        add_num(o, it, "up_to", pr->tiers[t].up_to);
        add_num(o, it, "usd", pr->tiers[t].usd);
    }
    if (pr->when[0] != '\0') {
        add_str(o, obj, "when", pr->when);
    }
    if (pr->per[0] != '\0') {
        add_str(o, obj, "per", pr->per);
    }
    add_prov(o, obj, pr->prov);
}

static void add_capacity(jout *o, cJSON *sku, const azb_capacity *c)
{
    if (c->prov.source < 0) {
        return; /* a source kind without capacity */
    }
    cJSON *obj = add_obj(o, sku, "capacity");
    if (c->concurrency > 0) {
        add_num(o, obj, "concurrency", c->concurrency);
    }
    add_num(o, obj, "service_ms", c->service_ms);
    add_str(o, obj, "service_dist", azb_dist_name(c->dist));
    add_num(o, obj, "cv", c->cv);
    if (c->quota_unit != AZB_QUOTA_NONE) {
        add_num(o, obj, "quota", c->quota);
        add_str(o, obj, "quota_unit", azb_quota_unit_name(c->quota_unit));
        if (c->quota_setting[0] != '\0') {
            add_str(o, obj, "quota_setting", c->quota_setting);
            add_num(o, obj, "quota_per_unit", c->quota_per_unit);
        }
        add_num(o, obj, "cost_read", c->cost_read);
        add_num(o, obj, "cost_write", c->cost_write);
    }
    if (c->tokens_per_s > 0.0 || c->ttft_ms > 0.0) {
        add_num(o, obj, "tokens_per_s", c->tokens_per_s);
        add_num(o, obj, "ttft_ms", c->ttft_ms);
    }
    add_prov(o, obj, c->prov);
}

static void add_sla(jout *o, cJSON *sku, const azb_sla *s)
{
    cJSON *obj = add_obj(o, sku, "sla");
    add_num(o, obj, "value", s->value);
    add_num(o, obj, "multi_instance", s->multi_instance);
    add_num(o, obj, "zone_redundant", s->zone_redundant);
    add_num(o, obj, "multi_region", s->multi_region);
    add_prov(o, obj, s->prov);
}

static void add_sku(jout *o, cJSON *skus, const azb_sku *s)
{
    cJSON *obj = add_obj(o, skus, NULL);
    add_str(o, obj, "name", s->name);
    add_str(o, obj, "arm_sku", s->arm_sku);
    add_str(o, obj, "description", s->description);
    add_num(o, obj, "vcpu", s->vcpu);
    add_num(o, obj, "memory_gib", s->memory_gib);
    add_num(o, obj, "gpus", s->gpus);
    add_capacity(o, obj, &s->capacity);
    cJSON *prices = add_arr(o, obj, "prices");
    for (int i = 0; i < s->nprices; i++) {
        add_price(o, add_obj(o, prices, NULL), &s->prices[i]);
    }
    add_sla(o, obj, &s->sla);
    cJSON *limits = add_arr(o, obj, "limits");
    for (int i = 0; i < s->nlimits; i++) {
        cJSON *it = add_obj(o, limits, NULL);
        add_str(o, it, "name", s->limits[i].name);
        add_num(o, it, "value", s->limits[i].value);
        add_str(o, it, "unit", s->limits[i].unit);
        add_prov(o, it, s->limits[i].prov);
    }
}

static void add_setting(jout *o, cJSON *settings, const azb_setting_def *d)
{
    cJSON *obj = add_obj(o, settings, NULL);
    add_str(o, obj, "name", d->name);
    add_str(o, obj, "type", setting_type_names[d->type]);
    if (d->type == AZB_SETTING_NUMBER) {
        add_str(o, obj, "unit", d->unit);
        add_num(o, obj, "min", d->min);
        add_num(o, obj, "max", d->max);
        add_num(o, obj, "default", d->def);
        add_bool(o, obj, "integer", d->integer);
    } else if (d->type == AZB_SETTING_STRING) {
        cJSON *choices = add_arr(o, obj, "choices");
        for (int i = 0; i < d->nchoices && choices != NULL; i++) {
            cJSON *c = cJSON_CreateString(d->choices[i]);
            if (c == NULL || !cJSON_AddItemToArray(choices, c)) {
                cJSON_Delete(c);
                o->oom = true;
            }
        }
        add_str(o, obj, "default", d->def_str);
    } else {
        add_bool(o, obj, "default", d->def != 0.0);
    }
    add_str(o, obj, "description", d->description);
}

static void add_kind(jout *o, cJSON *kinds, const azb_kind *k)
{
    cJSON *obj = add_obj(o, kinds, NULL);
    add_str(o, obj, "id", k->id);
    add_str(o, obj, "name", k->name);
    add_str(o, obj, "category", azb_category_name(k->category));
    add_str(o, obj, "arm_type", k->arm_type);
    add_str(o, obj, "capacity_model", azb_capacity_model_name(k->capacity_model));
    add_str(o, obj, "default_sku", k->nskus > 0 ? k->skus[k->default_sku].name : "");
    cJSON *settings = add_arr(o, obj, "settings");
    for (int i = 0; i < k->nsettings; i++) {
        add_setting(o, settings, &k->settings[i]);
    }
    cJSON *skus = add_arr(o, obj, "skus");
    for (int i = 0; i < k->nskus; i++) {
        add_sku(o, skus, &k->skus[i]);
    }
}

static void add_bandwidth(jout *o, cJSON *root)
{
    const azb_catalog *cat = o->cat;
    cJSON *bw = add_obj(o, root, "bandwidth");
    add_price(o, add_obj(o, bw, "internet_egress"), &cat->internet_egress);
    cJSON *rules = add_arr(o, bw, "inter_region");
    for (int i = 0; i < cat->ntransfer; i++) {
        cJSON *it = add_obj(o, rules, NULL);
        add_str(o, it, "from", cat->transfer[i].from);
        add_str(o, it, "to", cat->transfer[i].to);
        add_num(o, it, "usd_per_gb", cat->transfer[i].usd_per_gb);
        add_prov(o, it, cat->transfer[i].prov);
    }
    cJSON *zone = add_obj(o, bw, "inter_zone");
    add_num(o, zone, "usd_per_gb", cat->inter_zone_usd_per_gb);
    add_prov(o, zone, cat->inter_zone_prov);
}

char *azb_catalog_kinds_json(const azb_catalog *cat)
{
    assert(cat != NULL);
    jout o = {cat, false};
    cJSON *root = cJSON_CreateObject();
    if (root == NULL) {
        return NULL;
    }
    cJSON *kinds = add_arr(&o, root, "kinds");
    for (int i = 0; i < cat->nkinds; i++) {
        add_kind(&o, kinds, &cat->kinds[i]);
    }
    add_bandwidth(&o, root);
    char *text = o.oom ? NULL : azbi_json_print(root);
    cJSON_Delete(root);
    return text;
}
