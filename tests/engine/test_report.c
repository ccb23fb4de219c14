/* The report module (azb_report.h): one design's results as text, JSON and
 * Markdown, the cost lines alone, and two designs compared.
 *
 * Designs are built here (JSON with ' for ", parsed against the shipped
 * catalog) and run through the model, cost and availability as `azboard
 * sim` does. The report is then read back, not compared with a golden file
 * (tests/reference/ does that for the command line): the JSON is parsed
 * with cJSON and every documented key checked for presence and type, every
 * figure against the struct it came from, within the rounding the report
 * applies; the text and Markdown are searched for what a reader needs (the
 * design, the bottleneck, every node, the total) and the Markdown tables
 * for their shape.
 *
 * Rounding the JSON promises (the header: 0.001 ms, 0.01 USD a month) and
 * the finer steps report.c uses where the header is silent: rates 0.001
 * requests/s, utilisation 1e-4, SLA 1e-9, downtime 0.01 minutes, cost per
 * million requests 0.0001 USD, quantities 1e-6, unit prices unrounded.
 *
 * Contract violations (a NULL input, design, result, catalog or cost where
 * the function needs it) assert; they are run in a child process. The
 * legal nonsense (no cost or availability, a format out of range) is
 * exercised. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "azb_availability.h"
#include "azb_cost.h"
#include "azb_design.h"
#include "azb_model.h"
#include "azb_report.h"
#include "azb_sim.h"
#include "azbt.h"

/* ---- saying which case failed ----------------------------------------- */

static int truth(const char *where, const char *what, int ok)
{
    if (!ok) {
        print_error("%s: expected %s\n", where, what);
    }
    return ok ? 0 : 1;
}

static int same_str(const char *where, const char *field, const char *expected, const char *got)
{
    if (got != NULL && strcmp(expected, got) == 0) {
        return 0;
    }
    print_error("%s: %s expected \"%s\" got \"%s\"\n", where, field, expected,
                got != NULL ? got : "(none)");
    return 1;
}

static int contains(const char *where, const char *text, const char *needle)
{
    if (strstr(text, needle) != NULL) {
        return 0;
    }
    print_error("%s: expected the report to contain \"%s\"\n", where, needle);
    return 1;
}

/* ---- designs built in code -------------------------------------------- */

typedef struct design_case {
    const char *name;
    const char *nodes;
    const char *edges;
    const char *workload;
} design_case;

#define USERS "{'id': 'users', 'kind': 'clients', 'geo': 'north-america'}"
#define API(count)                                                                                 \
    "{'id': 'api', 'kind': 'vm', 'sku': 'Standard_D4s_v5', 'count': " #count ", "                  \
    "'region': 'eastus', 'zones': [1, 2]}"
#define DB                                                                                         \
    "{'id': 'db', 'kind': 'sql_database', 'sku': 'GP_Gen5_2', 'region': 'eastus', "                \
    "'stored_gb': 100}"
#define EDGES_3 "{'from': 'users', 'to': 'api', 'response_kb': 10}, {'from': 'api', 'to': 'db'}"
#define OPS                                                                                        \
    "'operations': [{'name': 'GET /a', 'share': 0.8}, "                                            \
    "{'name': 'POST /a', 'share': 0.2, 'write': true}]"

/* Three VMs in series with three SLAs: one (0.999), two (0.9995), two
 * across zones (0.9999). The same system whichever order they are chained
 * in. */
#define VM_A "{'id': 'a', 'kind': 'vm', 'sku': 'Standard_D4s_v5', 'region': 'eastus', 'zones': [1]}"
#define VM_B                                                                                       \
    "{'id': 'b', 'kind': 'vm', 'sku': 'Standard_D4s_v5', 'count': 2, 'region': 'eastus', "         \
    "'zones': [1]}"
#define VM_C                                                                                       \
    "{'id': 'c', 'kind': 'vm', 'sku': 'Standard_D4s_v5', 'count': 2, 'region': 'eastus', "         \
    "'zones': [1, 2]}"

enum { HEALTHY, SATURATED, SMALL, BIG, ONE, CHAIN_ABC, CHAIN_BCA, COOL2, PIPES, NDESIGNS };

/* users -> api (2 VMs, about 800 requests/s) -> db (SQL GP 2 vCores, 500
 * requests/s): db is the bottleneck, and at 2,000 requests/s it saturates.
 * SMALL and BIG are one tier, 2 and 4 VMs across two zones: the same SLA,
 * different capacity, p99 and price. ONE is a single VM in one zone (a
 * lower SLA) at a sixth of their load. */
static const design_case designs[NDESIGNS] = {
    [HEALTHY] = {"Report test: healthy", USERS "," API(2) "," DB, EDGES_3,
                 "'entry': 'users', 'rps': 100, " OPS},
    [SATURATED] = {"Report test: saturated", USERS "," API(2) "," DB, EDGES_3,
                   "'entry': 'users', 'rps': 2000, " OPS},
    [SMALL] = {"Report test: two VMs", USERS "," API(2),
               "{'from': 'users', 'to': 'api', 'response_kb': 10}", "'entry': 'users', 'rps': 600"},
    [BIG] = {"Report test: four VMs", USERS "," API(4),
             "{'from': 'users', 'to': 'api', 'response_kb': 10}", "'entry': 'users', 'rps': 600"},
    [ONE] = {"Report test: one VM",
             USERS ", {'id': 'api', 'kind': 'vm', 'sku': 'Standard_D4s_v5', 'region': 'eastus', "
                   "'zones': [1]}",
             "{'from': 'users', 'to': 'api', 'response_kb': 10}", "'entry': 'users', 'rps': 100"},
    [CHAIN_ABC] =
        {"Report test: a, b, c", USERS "," VM_A "," VM_B "," VM_C,
         "{'from': 'users', 'to': 'a'}, {'from': 'a', 'to': 'b'}, {'from': 'b', 'to': 'c'}",
         "'entry': 'users', 'rps': 100"},
    [CHAIN_BCA] =
        {"Report test: b, c, a", USERS "," VM_A "," VM_B "," VM_C,
         "{'from': 'users', 'to': 'b'}, {'from': 'b', 'to': 'c'}, {'from': 'c', 'to': 'a'}",
         "'entry': 'users', 'rps': 100"},
    /* Two Cool blobs (0.99 each) that every request reads: 0.99 x 0.99 =
     * 0.9801 exactly in decimal, 0.98009999999999997 in binary. */
    [COOL2] = {"Report test: two cool blobs",
               USERS ", {'id': 'web', 'kind': 'blob_storage', 'sku': 'Cool_LRS', "
                     "'region': 'eastus', 'stored_gb': 1}, "
                     "{'id': 'img', 'kind': 'blob_storage', 'sku': 'Cool_LRS', "
                     "'region': 'eastus', 'stored_gb': 1}",
               "{'from': 'users', 'to': 'web'}, {'from': 'users', 'to': 'img'}",
               "'entry': 'users', 'rps': 10"},
    /* A '|' in the design's name, a node id and an operation's name: legal
     * in a design, a cell boundary in Markdown. */
    [PIPES] = {"Report test: a | b",
               USERS ", {'id': 'api|v2', 'kind': 'vm', 'sku': 'Standard_D4s_v5', "
                     "'region': 'eastus'}",
               "{'from': 'users', 'to': 'api|v2', 'response_kb': 10}",
               "'entry': 'users', 'rps': 10, 'operations': [{'name': 'GET /a|b', 'share': 1}]"},
};

typedef struct analysed {
    azb_design *d;
    azb_result *r;
    azb_cost *c;
    azb_availability *a;
    azb_report_input in;
} analysed;

static void analyse(const azb_catalog *cat, int which, analysed *out)
{
    const design_case *dc = &designs[which];
    size_t cap =
        strlen(dc->name) + strlen(dc->nodes) + strlen(dc->edges) + strlen(dc->workload) + 128;
    char *s = malloc(cap);
    assert_non_null(s);
    snprintf(s, cap,
             "{'format': 'azboard/design', 'version': 1, 'name': '%s', 'nodes': [%s], "
             "'edges': [%s], 'workload': {%s}}",
             dc->name, dc->nodes, dc->edges, dc->workload);
    for (char *p = s; *p != '\0'; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    azb_errors errs;
    azb_errors_init(&errs);
    memset(out, 0, sizeof(*out));
    out->d = azb_design_parse(s, strlen(s), "t.json", cat, &errs);
    if (out->d == NULL || azb_errors_count_errors(&errs) > 0) {
        print_error("%s: the design does not load:\n%s\n", dc->name, s);
        azbt_print_errors(&errs);
        fail();
    }
    out->r = azb_model_run(out->d, cat, 0.0, &errs);
    if (out->r == NULL) {
        azbt_print_errors(&errs);
        fail_msg("%s: azb_model_run failed", dc->name);
    }
    out->c = azb_cost_compute(out->d, cat, out->r, &errs);
    out->a = azb_availability_compute(out->d, cat, out->r, &errs);
    if (out->c == NULL || out->a == NULL || azb_errors_count_errors(&errs) > 0) {
        azbt_print_errors(&errs);
        fail_msg("%s: cost or availability failed", dc->name);
    }
    azb_errors_free(&errs);
    free(s);
    out->in = (azb_report_input){"t.json", out->d, cat, out->r, out->c, out->a};
}

static void release(analysed *x)
{
    azb_availability_destroy(x->a);
    azb_cost_destroy(x->c);
    azb_result_destroy(x->r);
    azb_design_destroy(x->d);
    memset(x, 0, sizeof(*x));
}

/* ---- figures as the report prints them -------------------------------- */

/* 12,345.67 (the report's thousands separators), v >= 0. */
static const char *commas(char *buf, size_t size, double v, int decimals)
{
    char raw[64];
    snprintf(raw, sizeof(raw), "%.*f", decimals, v);
    const char *dot = strchr(raw, '.');
    size_t int_len = dot != NULL ? (size_t)(dot - raw) : strlen(raw);
    size_t o = 0;
    for (size_t i = 0; i < int_len && o + 2 < size; i++) {
        buf[o++] = raw[i];
        size_t left = int_len - i - 1;
        if (left > 0 && left % 3 == 0) {
            buf[o++] = ',';
        }
    }
    buf[o] = '\0';
    if (dot != NULL && o + strlen(dot) < size) {
        memcpy(buf + o, dot, strlen(dot) + 1);
    }
    return buf;
}

static const char *dollars(char *buf, size_t size, double v)
{
    char g[64];
    snprintf(buf, size, "$%s", commas(g, sizeof(g), v, 2));
    return buf;
}

/* No "nan", "inf" or "infinity" as a word, in any case. */
static int no_nonfinite_words(const char *where, const char *text)
{
    int fails = 0;
    const char *p = text;
    while (*p != '\0') {
        if (!isalnum((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *w = p;
        while (isalnum((unsigned char)*p)) {
            p++;
        }
        size_t n = (size_t)(p - w);
        char word[16] = {0};
        if (n < sizeof(word)) {
            for (size_t i = 0; i < n; i++) {
                word[i] = (char)tolower((unsigned char)w[i]);
            }
            if (strcmp(word, "nan") == 0 || strcmp(word, "inf") == 0 ||
                strcmp(word, "infinity") == 0) {
                print_error("%s: \"%.*s\" in the report at byte %d\n", where, (int)n, w,
                            (int)(w - text));
                fails++;
            }
        }
    }
    return fails;
}

/* The line of `text` that starts with `prefix` (copied into buf), or NULL. */
static const char *line_starting(char *buf, size_t size, const char *text, const char *prefix)
{
    size_t pn = strlen(prefix);
    for (const char *p = text; p != NULL && *p != '\0';) {
        const char *end = strchr(p, '\n');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        if (n >= pn && strncmp(p, prefix, pn) == 0) {
            snprintf(buf, size, "%.*s", (int)n, p);
            return buf;
        }
        p = end != NULL ? end + 1 : NULL;
    }
    return NULL;
}

/* Cells of a Markdown table row: the number of unescaped '|' minus one. */
static int md_cells(const char *line, size_t n)
{
    int bars = 0;
    for (size_t i = 0; i < n; i++) {
        if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) {
            bars++;
        }
    }
    return bars - 1;
}

static bool md_separator(const char *line, size_t n)
{
    if (n < 5 || line[0] != '|' || line[n - 1] != '|' || strstr(line, "---") == NULL) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (strchr("|-: ", line[i]) == NULL) {
            return false;
        }
    }
    return true;
}

/* Every table: a header, then a separator line with as many cells, then rows
 * with as many cells again. Returns failures; *ntables counts the tables. */
static int md_tables(const char *where, const char *text, int *ntables)
{
    int fails = 0;
    int header_cells = -1; /* inside a table: its width */
    int line_no = 0;
    bool want_separator = false;
    *ntables = 0;
    for (const char *p = text; *p != '\0'; line_no++) {
        const char *end = strchr(p, '\n');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        bool row = n > 0 && p[0] == '|';
        if (row && header_cells < 0) {
            header_cells = md_cells(p, n);
            want_separator = true;
            (*ntables)++;
        } else if (row && want_separator) {
            want_separator = false;
            if (!md_separator(p, n) || md_cells(p, n) != header_cells) {
                print_error("%s: line %d: expected a header separator of %d cells, got \"%.*s\"\n",
                            where, line_no + 1, header_cells, (int)n, p);
                fails++;
            }
        } else if (row && md_cells(p, n) != header_cells) {
            print_error("%s: line %d: expected %d cells, got %d: \"%.*s\"\n", where, line_no + 1,
                        header_cells, md_cells(p, n), (int)n, p);
            fails++;
        } else if (!row) {
            if (want_separator) {
                print_error("%s: line %d: a table header with no separator line\n", where, line_no);
                fails++;
            }
            header_cells = -1;
            want_separator = false;
        }
        p = end != NULL ? end + 1 : p + n;
    }
    return fails;
}

/* ---- reading the JSON back -------------------------------------------- */

typedef enum jtype { J_NUM, J_STR, J_BOOL, J_OBJ, J_ARR } jtype;

static const char *const jtype_names[] = {"number", "string", "bool", "object", "array"};

static const char *type_of(const cJSON *j)
{
    if (j == NULL) {
        return "missing";
    }
    if (cJSON_IsNumber(j)) {
        return "number";
    }
    if (cJSON_IsString(j)) {
        return "string";
    }
    if (cJSON_IsBool(j)) {
        return "bool";
    }
    if (cJSON_IsObject(j)) {
        return "object";
    }
    if (cJSON_IsArray(j)) {
        return "array";
    }
    return cJSON_IsNull(j) ? "null" : "other";
}

/* The value at "a.b[2].c", or NULL. */
static const cJSON *at(const cJSON *root, const char *path)
{
    const cJSON *j = root;
    const char *p = path;
    while (j != NULL && *p != '\0') {
        if (*p == '.') {
            p++;
        }
        if (*p == '[') {
            char *end = NULL;
            long i = strtol(p + 1, &end, 10);
            j = cJSON_GetArrayItem(j, (int)i);
            p = (end != NULL && *end == ']') ? end + 1 : end;
            continue;
        }
        char key[64];
        size_t n = strcspn(p, ".[");
        if (n >= sizeof(key)) {
            return NULL;
        }
        memcpy(key, p, n);
        key[n] = '\0';
        j = cJSON_GetObjectItemCaseSensitive(j, key);
        p += n;
    }
    return j;
}

static bool has_type(const cJSON *j, jtype t)
{
    switch (t) {
    case J_NUM:
        return cJSON_IsNumber(j);
    case J_STR:
        return cJSON_IsString(j) && j->valuestring != NULL;
    case J_BOOL:
        return cJSON_IsBool(j);
    case J_OBJ:
        return cJSON_IsObject(j);
    case J_ARR:
        return cJSON_IsArray(j);
    }
    return false;
}

typedef struct key_case {
    const char *path; /* relative to the object the table describes */
    jtype type;
} key_case;

/* The keys, and the operations'. */
static const key_case sim_keys[] = {
    {"offered_rps", J_NUM},
    {"throughput_rps", J_NUM},
    {"max_throughput_rps", J_NUM},
    {"saturated", J_BOOL},
    {"bottleneck", J_STR},
    {"latency_ms", J_OBJ},
    {"latency_ms.mean", J_NUM},
    {"latency_ms.p50", J_NUM},
    {"latency_ms.p95", J_NUM},
    {"latency_ms.p99", J_NUM},
    {"availability", J_OBJ},
    {"availability.sla", J_NUM},
    {"availability.downtime_min_per_month", J_NUM},
    {"availability.weakest", J_STR},
    {"cost", J_OBJ},
    {"cost.monthly_usd", J_NUM},
    {"cost.per_million_requests_usd", J_NUM},
    {"cost.items", J_ARR},
    {"nodes", J_ARR},
    {"operations", J_ARR},
};
static const key_case item_keys[] = {
    {"node", J_STR}, {"item", J_STR},     {"quantity", J_NUM},
    {"unit", J_STR}, {"unit_usd", J_NUM}, {"monthly_usd", J_NUM},
};
static const key_case node_keys[] = {
    {"id", J_STR},
    {"rps", J_NUM},
    {"servers", J_NUM},
    {"utilization", J_NUM},
    {"latency_ms", J_OBJ},
    {"latency_ms.mean", J_NUM},
    {"latency_ms.p99", J_NUM},
};
static const key_case op_keys[] = {
    {"name", J_STR},           {"rps", J_NUM}, {"latency_ms", J_OBJ}, {"latency_ms.mean", J_NUM},
    {"latency_ms.p99", J_NUM},
};

static int check_keys(const char *where, const cJSON *root, const char *base, const key_case *keys,
                      size_t nkeys)
{
    int fails = 0;
    for (size_t k = 0; k < nkeys; k++) {
        char path[128];
        snprintf(path, sizeof(path), "%s%s%s", base, base[0] != '\0' ? "." : "", keys[k].path);
        const cJSON *j = at(root, path);
        if (!has_type(j, keys[k].type)) {
            print_error("%s: %s expected %s got %s\n", where, path, jtype_names[keys[k].type],
                        type_of(j));
            fails++;
        }
    }
    return fails;
}

/* Every number finite; null only where `null_ok` names the path. */
static int all_finite(const char *where, const cJSON *j, const char *path, const char *null_ok)
{
    int fails = 0;
    if (cJSON_IsNumber(j) && !isfinite(j->valuedouble)) {
        print_error("%s: %s expected a finite number got %g\n", where, path, j->valuedouble);
        fails++;
    }
    if (cJSON_IsNull(j) && (null_ok == NULL || strcmp(path, null_ok) != 0)) {
        print_error("%s: %s expected a value got null (a NaN or inf written as null?)\n", where,
                    path);
        fails++;
    }
    int i = 0;
    for (const cJSON *c = j->child; c != NULL; c = c->next, i++) {
        char sub[160];
        if (cJSON_IsArray(j)) {
            snprintf(sub, sizeof(sub), "%s[%d]", path, i);
        } else {
            snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] != '\0' ? "." : "",
                     c->string != NULL ? c->string : "?");
        }
        fails += all_finite(where, c, sub, null_ok);
    }
    return fails;
}

/* A figure the report rounded to `step` (0: written as it is): within half a
 * step of the struct's, and a whole number of steps. */
static int rounded(const char *where, const cJSON *root, const char *path, double exact,
                   double step)
{
    const cJSON *j = at(root, path);
    if (!cJSON_IsNumber(j)) {
        print_error("%s: %s expected a number got %s\n", where, path, type_of(j));
        return 1;
    }
    double got = j->valuedouble;
    bool ok = isfinite(got);
    if (step > 0.0) {
        double units = got / step;
        ok = ok && fabs(got - exact) <= step * 0.5 * (1.0 + 1e-9) + 1e-12 * fabs(exact) &&
             fabs(units - round(units)) <= 1e-6 * fmax(1.0, fabs(units) * 1e-9);
    } else {
        ok = ok && (got == exact || fabs(got - exact) <= 1e-12 * fabs(exact));
    }
    if (!ok) {
        print_error("%s: %s expected %.12g (rounded to %g) got %.12g\n", where, path, exact, step,
                    got);
        return 1;
    }
    return 0;
}

static int string_at(const char *where, const cJSON *root, const char *path, const char *want)
{
    const cJSON *j = at(root, path);
    return same_str(where, path, want, cJSON_IsString(j) ? j->valuestring : NULL);
}

static cJSON *parse(const char *where, const char *text)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, strlen(text), &end, false);
    if (root == NULL) {
        fail_msg("%s: the JSON does not parse at byte %d:\n%s", where,
                 end != NULL ? (int)(end - text) : -1, text);
    }
    return root;
}

/* Keys, types and figures of azb_report_sim's JSON against the structs. */
static int check_sim_json(const char *where, const analysed *x, const cJSON *root)
{
    const azb_design *d = x->d;
    const azb_result *r = x->r;
    const azb_cost *c = x->c;
    const azb_availability *a = x->a;
    int fails = check_keys(where, root, "", sim_keys, sizeof(sim_keys) / sizeof(sim_keys[0]));
    fails += string_at(where, root, "design", d->name);
    fails += rounded(where, root, "offered_rps", r->offered_rps, 0.001);
    fails += rounded(where, root, "throughput_rps", r->throughput_rps, 0.001);
    fails += rounded(where, root, "max_throughput_rps", r->max_throughput_rps, 0.001);
    const cJSON *sat = at(root, "saturated");
    fails += truth(where, r->saturated ? "saturated: true" : "saturated: false",
                   cJSON_IsBool(sat) && (cJSON_IsTrue(sat) != 0) == r->saturated);
    fails += string_at(where, root, "bottleneck", d->nodes[r->bottleneck].id);
    fails += rounded(where, root, "latency_ms.mean", r->latency.mean, 0.001);
    fails += rounded(where, root, "latency_ms.p50", r->latency.p50, 0.001);
    fails += rounded(where, root, "latency_ms.p95", r->latency.p95, 0.001);
    fails += rounded(where, root, "latency_ms.p99", r->latency.p99, 0.001);
    fails += rounded(where, root, "availability.sla", a->sla, 1e-9);
    fails += rounded(where, root, "availability.downtime_min_per_month", a->downtime_min_per_month,
                     0.01);
    fails += string_at(where, root, "availability.weakest", d->nodes[a->weakest].id);
    fails += rounded(where, root, "cost.monthly_usd", c->monthly_usd, 0.01);
    fails +=
        rounded(where, root, "cost.per_million_requests_usd", c->per_million_requests_usd, 0.0001);

    fails += truth(where, "as many cost items as the cost has lines",
                   cJSON_GetArraySize(at(root, "cost.items")) == c->nitems);
    for (int i = 0; i < c->nitems; i++) {
        const azb_cost_item *it = &c->items[i];
        char base[64];
        char path[128];
        snprintf(base, sizeof(base), "cost.items[%d]", i);
        fails += check_keys(where, root, base, item_keys, sizeof(item_keys) / sizeof(item_keys[0]));
        snprintf(path, sizeof(path), "%s.node", base);
        fails += string_at(where, root, path, it->node >= 0 ? it->node_id : "");
        snprintf(path, sizeof(path), "%s.item", base);
        fails += string_at(where, root, path, it->item);
        snprintf(path, sizeof(path), "%s.unit", base);
        fails += string_at(where, root, path, azb_price_unit_name(it->unit));
        snprintf(path, sizeof(path), "%s.quantity", base);
        fails += rounded(where, root, path, it->quantity, 1e-6);
        snprintf(path, sizeof(path), "%s.unit_usd", base);
        fails += rounded(where, root, path, it->unit_usd, 0.0);
        snprintf(path, sizeof(path), "%s.monthly_usd", base);
        fails += rounded(where, root, path, it->monthly_usd, 0.01);
    }

    fails += truth(where, "one entry per node", cJSON_GetArraySize(at(root, "nodes")) == r->nnodes);
    for (int i = 0; i < r->nnodes; i++) {
        const azb_node_result *n = &r->nodes[i];
        char base[64];
        char path[128];
        snprintf(base, sizeof(base), "nodes[%d]", i);
        fails += check_keys(where, root, base, node_keys, sizeof(node_keys) / sizeof(node_keys[0]));
        snprintf(path, sizeof(path), "%s.id", base);
        fails += string_at(where, root, path, d->nodes[i].id);
        snprintf(path, sizeof(path), "%s.rps", base);
        fails += rounded(where, root, path, n->rps, 0.001);
        snprintf(path, sizeof(path), "%s.servers", base);
        fails += rounded(where, root, path, (double)n->servers, 0.0);
        snprintf(path, sizeof(path), "%s.utilization", base);
        fails += rounded(where, root, path, n->utilization, 1e-4);
        snprintf(path, sizeof(path), "%s.latency_ms.mean", base);
        fails += rounded(where, root, path, n->sojourn_ms, 0.001);
        snprintf(path, sizeof(path), "%s.latency_ms.p99", base);
        fails += rounded(where, root, path, n->sojourn_p99_ms, 0.001);
    }

    fails += truth(where, "one entry per operation",
                   cJSON_GetArraySize(at(root, "operations")) == r->nops);
    for (int i = 0; i < r->nops; i++) {
        const azb_op_result *op = &r->ops[i];
        char base[64];
        char path[128];
        snprintf(base, sizeof(base), "operations[%d]", i);
        fails += check_keys(where, root, base, op_keys, sizeof(op_keys) / sizeof(op_keys[0]));
        snprintf(path, sizeof(path), "%s.name", base);
        fails += string_at(where, root, path, op->name);
        snprintf(path, sizeof(path), "%s.rps", base);
        fails += rounded(where, root, path, op->rps, 0.001);
        snprintf(path, sizeof(path), "%s.latency_ms.mean", base);
        fails += rounded(where, root, path, op->latency.mean, 0.001);
        snprintf(path, sizeof(path), "%s.latency_ms.p99", base);
        fails += rounded(where, root, path, op->latency.p99, 0.001);
    }
    fails += all_finite(where, root, "", r->bottleneck < 0 ? "bottleneck" : NULL);
    return fails;
}

/* ---- azb_report_sim --------------------------------------------------- */

typedef struct sim_case {
    const char *name;
    int design;
    bool saturated;
    const char *bottleneck;
    int nops;
} sim_case;

static const sim_case sim_cases[] = {
    {"healthy: 100 requests/s, db limits at 500", HEALTHY, false, "db", 2},
    {"saturated: 2,000 requests/s, db over its capacity", SATURATED, true, "db", 2},
    {"one tier, no operations", SMALL, false, "api", 0},
};

static void test_sim_json(void **state)
{
    const azb_catalog *cat = *state;
    int fails = 0;
    for (size_t k = 0; k < sizeof(sim_cases) / sizeof(sim_cases[0]); k++) {
        const sim_case *sc = &sim_cases[k];
        analysed x;
        analyse(cat, sc->design, &x);
        char *text = azb_report_sim(&x.in, AZB_REPORT_JSON);
        assert_non_null(text);
        cJSON *root = parse(sc->name, text);
        int f = 0;
        f += truth(sc->name, sc->saturated ? "the model saturated" : "the model not saturated",
                   x.r->saturated == sc->saturated);
        f += truth(sc->name, "the operations the case expects", x.r->nops == sc->nops);
        f += check_sim_json(sc->name, &x, root);
        const cJSON *sat = at(root, "saturated");
        f += truth(sc->name, sc->saturated ? "\"saturated\": true" : "\"saturated\": false",
                   cJSON_IsBool(sat) && (cJSON_IsTrue(sat) != 0) == sc->saturated);
        f += string_at(sc->name, root, "bottleneck", sc->bottleneck);
        if (sc->saturated) {
            const cJSON *unb = at(root, "latency_unbounded");
            f += truth(sc->name, "\"latency_unbounded\": true", cJSON_IsTrue(unb) != 0);
            f += rounded(sc->name, root, "latency_ms.p99", AZB_MODEL_MAX_MS, 0.001);
        }
        f += no_nonfinite_words(sc->name, text);
        if (f > 0) {
            print_error("%s: the report was:\n%s\n", sc->name, text);
        }
        fails += f;
        cJSON_Delete(root);
        free(text);
        release(&x);
    }
    assert_int_equal(fails, 0);
}

/* Text and Markdown: what a reader looks for, and Markdown's table shape. */
static void test_sim_text_markdown(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        azb_report_format format;
        int tables; /* Markdown: nodes, operations, cost */
    } formats[] = {
        {"text", AZB_REPORT_TEXT, 0},
        {"markdown", AZB_REPORT_MARKDOWN, 3},
    };
    int fails = 0;
    for (size_t k = 0; k < sizeof(sim_cases) / sizeof(sim_cases[0]); k++) {
        const sim_case *sc = &sim_cases[k];
        analysed x;
        analyse(cat, sc->design, &x);
        for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
            char where[160];
            snprintf(where, sizeof(where), "%s, %s", sc->name, formats[f].name);
            char *text = azb_report_sim(&x.in, formats[f].format);
            assert_non_null(text);
            int n = 0;
            n += contains(where, text, x.d->name);
            char want[128];
            snprintf(want, sizeof(want), "(bottleneck: %s)", sc->bottleneck);
            n += contains(where, text, want);
            for (int i = 0; i < x.d->nnodes; i++) {
                snprintf(want, sizeof(want),
                         formats[f].format == AZB_REPORT_MARKDOWN ? "| %s |" : "\n%s ",
                         x.d->nodes[i].id);
                n += contains(where, text, want);
            }
            char total[64];
            dollars(total, sizeof(total), x.c->monthly_usd);
            snprintf(want, sizeof(want), "%s a month", total);
            n += contains(where, text, want);
            snprintf(want, sizeof(want),
                     formats[f].format == AZB_REPORT_MARKDOWN ? "**%s** |" : " %s\n", total);
            n += contains(where, text, want); /* the cost table's total */
            if (sc->saturated) {
                n += contains(where, text, "SATURATED");
                n += contains(where, text, "unbounded");
            }
            n += no_nonfinite_words(where, text);
            if (formats[f].format == AZB_REPORT_MARKDOWN) {
                int tables = 0;
                n += md_tables(where, text, &tables);
                int want_tables = formats[f].tables - (sc->nops == 0 ? 1 : 0);
                if (tables != want_tables) {
                    print_error("%s: expected %d tables got %d\n", where, want_tables, tables);
                    n++;
                }
            }
            if (n > 0) {
                print_error("%s: the report was:\n%s\n", where, text);
            }
            fails += n;
            free(text);
        }
        release(&x);
    }
    assert_int_equal(fails, 0);
}

/* ---- azb_report_cost -------------------------------------------------- */

static void test_cost_report(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        int design;
        azb_report_format format;
    } cases[] = {
        {"healthy, text", HEALTHY, AZB_REPORT_TEXT},
        {"healthy, markdown", HEALTHY, AZB_REPORT_MARKDOWN},
        {"saturated, text", SATURATED, AZB_REPORT_TEXT},
        {"saturated, markdown", SATURATED, AZB_REPORT_MARKDOWN},
    };
    int fails = 0;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const char *where = cases[k].name;
        bool md = cases[k].format == AZB_REPORT_MARKDOWN;
        analysed x;
        analyse(cat, cases[k].design, &x);
        char *text = azb_report_cost(&x.in, cases[k].format);
        assert_non_null(text);
        int n = contains(where, text, x.d->name);
        char want[256];
        char total[64];
        char per_million[64];
        char avg[64];
        dollars(total, sizeof(total), x.c->monthly_usd);
        dollars(per_million, sizeof(per_million), x.c->per_million_requests_usd);
        commas(avg, sizeof(avg), x.c->average_rps, 0);
        snprintf(want, sizeof(want), "%s a month, %s per million requests, usage at %s requests/s",
                 total, per_million, avg);
        n += contains(where, text, want);

        /* One line per category with a charge, its sum; the sums make the total. */
        double by_cat[AZB_CAT_COUNT] = {0};
        for (int i = 0; i < x.c->nitems; i++) {
            by_cat[x.c->items[i].category] += x.c->items[i].monthly_usd;
        }
        double sum = 0.0;
        int ncats = 0;
        for (int cat_i = 0; cat_i < AZB_CAT_COUNT; cat_i++) {
            const char *cname = azb_category_name((azb_category)cat_i);
            char prefix[64];
            char line[256];
            snprintf(prefix, sizeof(prefix), md ? "- %s: " : "  %s ", cname);
            const char *got = line_starting(line, sizeof(line), text, prefix);
            if (by_cat[cat_i] <= 0.0) {
                n += truth(where, "no line for a category without charges", got == NULL);
                continue;
            }
            ncats++;
            sum += by_cat[cat_i];
            char money[64];
            dollars(money, sizeof(money), by_cat[cat_i]);
            size_t ln = got != NULL ? strlen(got) : 0;
            size_t mn = strlen(money);
            if (got == NULL || ln < mn || strcmp(got + ln - mn, money) != 0) {
                print_error("%s: category %s expected a line ending %s got \"%s\"\n", where, cname,
                            money, got != NULL ? got : "(none)");
                n++;
            }
        }
        n += truth(where, "at least two categories (compute, data, network)", ncats >= 2);
        if (fabs(sum - x.c->monthly_usd) > 1e-9 * fmax(1.0, x.c->monthly_usd)) {
            print_error("%s: categories sum expected %.6f (monthly_usd) got %.6f\n", where,
                        x.c->monthly_usd, sum);
            n++;
        }
        snprintf(want, sizeof(want), md ? "| **total** |" : "TOTAL ");
        char line[512];
        const char *tl = line_starting(line, sizeof(line), text, want);
        char tail_want[80];
        snprintf(tail_want, sizeof(tail_want), md ? "**%s** |" : "%s", total);
        size_t twn = strlen(tail_want);
        if (tl == NULL || strlen(tl) < twn || strcmp(tl + strlen(tl) - twn, tail_want) != 0) {
            print_error("%s: expected the total line to end \"%s\" got \"%s\"\n", where, tail_want,
                        tl != NULL ? tl : "(none)");
            n++;
        }
        if (md) {
            int tables = 0;
            n += md_tables(where, text, &tables);
            n += truth(where, "one Markdown table (the lines)", tables == 1);
        }
        n += no_nonfinite_words(where, text);
        if (n > 0) {
            print_error("%s: the report was:\n%s\n", where, text);
        }
        fails += n;
        free(text);

        /* JSON: the cost object alone, its lines adding up to the total. */
        text = azb_report_cost(&x.in, AZB_REPORT_JSON);
        assert_non_null(text);
        cJSON *root = parse(where, text);
        n = rounded(where, root, "monthly_usd", x.c->monthly_usd, 0.01);
        n +=
            rounded(where, root, "per_million_requests_usd", x.c->per_million_requests_usd, 0.0001);
        const cJSON *items = at(root, "items");
        n += truth(where, "items: one per cost line", cJSON_GetArraySize(items) == x.c->nitems);
        double lines = 0.0;
        for (int i = 0; i < cJSON_GetArraySize(items); i++) {
            char base[32];
            snprintf(base, sizeof(base), "items[%d]", i);
            n += check_keys(where, root, base, item_keys, sizeof(item_keys) / sizeof(item_keys[0]));
            const cJSON *m = at(cJSON_GetArrayItem(items, i), "monthly_usd");
            lines += cJSON_IsNumber(m) ? m->valuedouble : 0.0;
        }
        if (fabs(lines - x.c->monthly_usd) > 0.005 * (double)x.c->nitems + 1e-9) {
            print_error("%s: JSON items sum expected %.2f (within rounding) got %.2f\n", where,
                        x.c->monthly_usd, lines);
            n++;
        }
        n += all_finite(where, root, "", NULL);
        if (n > 0) {
            print_error("%s: the JSON was:\n%s\n", where, text);
        }
        fails += n;
        cJSON_Delete(root);
        free(text);
        release(&x);
    }
    assert_int_equal(fails, 0);
}

/* ---- azb_report_compare ----------------------------------------------- */

#define NROWS 5
static const char *const row_names[NROWS] = {"max throughput (rps)", "p99 latency (ms)",
                                             "availability", "monthly cost",
                                             "cost per million requests"};

typedef struct compare_case {
    const char *name;
    int a;
    int b;
    const char *better[NROWS]; /* "a", "b", "same", in row_names' order */
} compare_case;

static const compare_case compare_cases[] = {
    {"4 VMs against 2: more throughput, lower p99, the same SLA, dearer",
     SMALL,
     BIG,
     {"b", "b", "same", "a", "a"}},
    {"the same, swapped", BIG, SMALL, {"a", "a", "same", "b", "b"}},
    /* One VM at 100 requests/s against two across zones at 600: less
     * capacity and a lower SLA, but a quieter queue and half the bill;
     * the fixed cost spread over fewer requests. */
    {"1 VM against 2 across zones: every row decided, both ways",
     ONE,
     SMALL,
     {"b", "a", "b", "a", "b"}},
    /* The same three VMs chained in another order: the same capacity, SLA
     * and bill (only the round trips move: a -> b stays in one zone). The
     * SLA is the same product taken in another order. */
    {"the same VMs in another order: ties but for p99",
     CHAIN_ABC,
     CHAIN_BCA,
     {"same", "a", "same", "same", "same"}},
    {"a design against itself: every row a tie",
     SMALL,
     SMALL,
     {"same", "same", "same", "same", "same"}},
    /* The same nodes at 2,000 and 100 requests/s: one limit, one SLA; the
     * saturated one is unbounded, pays more usage, but spreads its fixed
     * cost over 20 times the requests. */
    {"saturated against healthy: same limit and SLA",
     SATURATED,
     HEALTHY,
     {"same", "b", "same", "b", "a"}},
};

/* The row's expected mark, from the structs (guards the table above). Two
 * figures within 1e-9 of each other are the same figure: the same SLAs
 * multiplied, or the same prices added, in another order differ in the
 * last bit, and no one would call either better. */
static const char *better_of(const analysed *a, const analysed *b, int row)
{
    double va = 0.0;
    double vb = 0.0;
    bool higher = false;
    switch (row) {
    case 0:
        va = a->r->max_throughput_rps;
        vb = b->r->max_throughput_rps;
        higher = true;
        break;
    case 1:
        va = a->r->latency.p99;
        vb = b->r->latency.p99;
        break;
    case 2:
        va = a->a->sla;
        vb = b->a->sla;
        higher = true;
        break;
    case 3:
        va = a->c->monthly_usd;
        vb = b->c->monthly_usd;
        break;
    default:
        va = a->c->per_million_requests_usd;
        vb = b->c->per_million_requests_usd;
        break;
    }
    if (fabs(va - vb) <= 1e-9 * fmax(fabs(va), fabs(vb))) {
        return "same";
    }
    return ((va > vb) == higher) ? "a" : "b";
}

/* Trim spaces at both ends of buf, in place. */
static char *trim(char *buf)
{
    char *s = buf;
    while (*s == ' ') {
        s++;
    }
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ') {
        s[--n] = '\0';
    }
    return s;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s);
    size_t t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

static bool bold(const char *s)
{
    size_t n = strlen(s);
    return n >= 4 && strncmp(s, "**", 2) == 0 && strcmp(s + n - 2, "**") == 0;
}

/* The mark a row carries: "a", "b", "same", or "both" (never right). */
static const char *mark(bool ma, bool mb)
{
    return ma && mb ? "both" : (ma ? "a" : (mb ? "b" : "same"));
}

static void test_compare(void **state)
{
    const azb_catalog *cat = *state;
    int fails = 0;
    for (size_t k = 0; k < sizeof(compare_cases) / sizeof(compare_cases[0]); k++) {
        const compare_case *cc = &compare_cases[k];
        analysed a;
        analysed b;
        analyse(cat, cc->a, &a);
        analyse(cat, cc->b, &b);
        int n = 0;
        for (int i = 0; i < NROWS; i++) {
            char where[256];
            snprintf(where, sizeof(where), "%s: %s, the structs", cc->name, row_names[i]);
            n += same_str(where, "better", cc->better[i], better_of(&a, &b, i));
        }

        /* Text: "%-28s %20s %20s", the better cell ending " *". */
        char *text = azb_report_compare(&a.in, &b.in, AZB_REPORT_TEXT);
        assert_non_null(text);
        for (int i = 0; i < NROWS; i++) {
            char where[256];
            char line[256];
            snprintf(where, sizeof(where), "%s: %s, text", cc->name, row_names[i]);
            const char *got = line_starting(line, sizeof(line), text, row_names[i]);
            if (got == NULL || strlen(got) < 70) {
                print_error("%s: expected a row of 70 columns got \"%s\"\n", where,
                            got != NULL ? got : "(none)");
                n++;
                continue;
            }
            char ca[32];
            char cb[32];
            snprintf(ca, sizeof(ca), "%.20s", got + 29);
            snprintf(cb, sizeof(cb), "%.20s", got + 50);
            n += same_str(where, "marked", cc->better[i],
                          mark(ends_with(trim(ca), " *"), ends_with(trim(cb), " *")));
        }
        n += contains(cc->name, text, a.d->name);
        n += contains(cc->name, text, b.d->name);
        n += no_nonfinite_words(cc->name, text);
        if (n > 0) {
            print_error("%s: the text was:\n%s\n", cc->name, text);
        }
        fails += n;
        free(text);

        /* Markdown: "| name | a | b |", the better cell in bold. */
        text = azb_report_compare(&a.in, &b.in, AZB_REPORT_MARKDOWN);
        assert_non_null(text);
        n = 0;
        for (int i = 0; i < NROWS; i++) {
            char where[256];
            char prefix[64];
            char line[256];
            snprintf(where, sizeof(where), "%s: %s, markdown", cc->name, row_names[i]);
            snprintf(prefix, sizeof(prefix), "| %s | ", row_names[i]);
            const char *got = line_starting(line, sizeof(line), text, prefix);
            char ca[64] = {0};
            char cb[64] = {0};
            if (got == NULL || sscanf(got + strlen(prefix), "%63[^|]| %63[^|]|", ca, cb) != 2) {
                print_error("%s: expected a row \"%s... | ... |\" got \"%s\"\n", where, prefix,
                            got != NULL ? got : "(none)");
                n++;
                continue;
            }
            n += same_str(where, "bold", cc->better[i], mark(bold(trim(ca)), bold(trim(cb))));
        }
        int tables = 0;
        n += md_tables(cc->name, text, &tables);
        n += truth(cc->name, "one Markdown table", tables == 1);
        if (n > 0) {
            print_error("%s: the Markdown was:\n%s\n", cc->name, text);
        }
        fails += n;
        free(text);

        /* JSON: rows [{name, a, b, better}]. */
        text = azb_report_compare(&a.in, &b.in, AZB_REPORT_JSON);
        assert_non_null(text);
        cJSON *root = parse(cc->name, text);
        n = string_at(cc->name, root, "a", a.d->name);
        n += string_at(cc->name, root, "b", b.d->name);
        n += truth(cc->name, "five rows", cJSON_GetArraySize(at(root, "rows")) == NROWS);
        for (int i = 0; i < NROWS; i++) {
            char where[256];
            char path[64];
            snprintf(where, sizeof(where), "%s: %s, JSON", cc->name, row_names[i]);
            snprintf(path, sizeof(path), "rows[%d].name", i);
            n += string_at(where, root, path, row_names[i]);
            snprintf(path, sizeof(path), "rows[%d].better", i);
            n += string_at(where, root, path, cc->better[i]);
        }
        n += all_finite(cc->name, root, "", NULL);
        if (n > 0) {
            print_error("%s: the JSON was:\n%s\n", cc->name, text);
        }
        fails += n;
        cJSON_Delete(root);
        free(text);
        release(&b);
        release(&a);
    }
    assert_int_equal(fails, 0);
}

/* ---- the availability as a percentage --------------------------------- */

/* Truncated, never rounded up (99.98999% is not 99.99%): 3 decimals below
 * 99.99%, 4 from there; but an SLA that is exactly a figure must read as
 * that figure, whatever its last binary digit. */
static void test_availability_percent(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        int design;
        double sla;          /* the composite the model must give */
        const char *percent; /* as the report writes it */
    } cases[] = {
        {"one VM: 0.999", ONE, 0.999, "99.900%"},
        {"two VMs across zones: 0.9999, four decimals", SMALL, 0.9999, "99.9900%"},
        {"VMs across zones x SQL GP: 0.99980001 truncated", HEALTHY, 0.99980001, "99.980%"},
        {"two Cool blobs: 0.99 x 0.99 = 0.9801", COOL2, 0.9801, "98.010%"},
    };
    int fails = 0;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const char *where = cases[k].name;
        analysed x;
        analyse(cat, cases[k].design, &x);
        int n = 0;
        if (fabs(x.a->sla - cases[k].sla) > 1e-12) {
            print_error("%s: sla expected %.12g got %.17g\n", where, cases[k].sla, x.a->sla);
            n++;
        }
        char want[96];
        char *text = azb_report_sim(&x.in, AZB_REPORT_TEXT);
        assert_non_null(text);
        snprintf(want, sizeof(want), "avail     %s, ", cases[k].percent);
        n += contains(where, text, want);
        free(text);
        text = azb_report_sim(&x.in, AZB_REPORT_MARKDOWN);
        assert_non_null(text);
        snprintf(want, sizeof(want), "- **availability**: %s, ", cases[k].percent);
        n += contains(where, text, want);
        free(text);
        text = azb_report_compare(&x.in, &x.in, AZB_REPORT_MARKDOWN);
        assert_non_null(text);
        snprintf(want, sizeof(want), "| availability | %s | %s |", cases[k].percent,
                 cases[k].percent);
        n += contains(where, text, want);
        free(text);
        fails += n;
        release(&x);
    }
    assert_int_equal(fails, 0);
}

/* ---- the event simulator's report ---------------------------------------- */

static const key_case des_keys[] = {
    {"design", J_STR},
    {"engine", J_STR},
    {"seed", J_NUM},
    {"replications", J_NUM},
    {"offered_rps", J_NUM},
    {"throughput_rps", J_NUM},
    {"latency_ms.mean", J_NUM},
    {"latency_ms.p50", J_NUM},
    {"latency_ms.p95", J_NUM},
    {"latency_ms.p99", J_NUM},
    {"latency_ms.p999", J_NUM},
    {"latency_ms.max", J_NUM},
    {"errors.dropped", J_NUM},
    {"errors.timeouts", J_NUM},
    {"errors.throttled", J_NUM},
    {"errors.failed", J_NUM},
    {"errors.retries", J_NUM},
    {"requests", J_NUM},
    {"completed", J_NUM},
    {"events", J_NUM},
    {"sim_seconds", J_NUM},
    {"cancelled", J_BOOL},
    {"model.max_throughput_rps", J_NUM},
    {"model.latency_ms.p99", J_NUM},
    {"availability.sla", J_NUM},
    {"cost.monthly_usd", J_NUM},
    {"nodes", J_ARR},
};
static const key_case des_node_keys[] = {
    {"id", J_STR},          {"rps", J_NUM},         {"instances", J_NUM},
    {"utilization", J_NUM}, {"latency_ms.mean", J_NUM}, {"latency_ms.p99", J_NUM},
    {"in_system", J_NUM},   {"dropped", J_NUM},     {"failed", J_NUM},
    {"throttled", J_NUM},
};

/* k short runs of design `which` (seeds 40, 41, ...), with time series. */
static azb_sim_result *des_runs(const analysed *x, const azb_catalog *cat, int k)
{
    azb_sim_result *runs = calloc((size_t)k, sizeof(*runs));
    assert_non_null(runs);
    for (int i = 0; i < k; i++) {
        azb_sim_config cfg;
        memset(&cfg, 0, sizeof(cfg));
        cfg.seed = 40u + (uint64_t)i;
        cfg.requests = 3000;
        cfg.warmup_requests = 300;
        cfg.timeseries = true;
        azb_errors errs;
        azb_errors_init(&errs);
        if (!azb_sim_run(x->d, cat, x->r, &cfg, &runs[i], &errs)) {
            azbt_print_errors(&errs);
            fail_msg("azb_sim_run failed on %s", x->d->name);
        }
        azb_errors_free(&errs);
    }
    return runs;
}

/* One replication and three: the JSON's keys, types and finite figures,
 * counts summed over the runs, confidence intervals exactly when there are
 * two runs or more (and the text and Markdown saying so), Markdown tables
 * whole, and the time series one CSV row per simulated second. */
static void test_des_report(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        int design;
        int k;
    } cases[] = {
        {"healthy, one run", HEALTHY, 1},
        {"healthy, three runs", HEALTHY, 3},
        {"saturated, three runs", SATURATED, 3},
        {"'|' in names, one run", PIPES, 1},
    };
    int fails = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        const char *where = cases[c].name;
        int k = cases[c].k;
        analysed x;
        analyse(cat, cases[c].design, &x);
        azb_sim_result *runs = des_runs(&x, cat, k);
        azb_des_info info = {NULL};
        char *json = azb_report_des(&x.in, runs, k, &info, AZB_REPORT_JSON);
        assert_non_null(json);
        cJSON *root = parse(where, json);
        fails += check_keys(where, root, "", des_keys, sizeof(des_keys) / sizeof(des_keys[0]));
        fails += all_finite(where, root, "", "scenario");
        fails += string_at(where, root, "engine", "des");
        fails += truth(where, "scenario is null without one", cJSON_IsNull(at(root, "scenario")));
        fails += rounded(where, root, "replications", (double)k, 1.0);
        uint64_t completed = 0;
        uint64_t events = 0;
        for (int i = 0; i < k; i++) {
            completed += runs[i].completed;
            events += runs[i].events;
        }
        fails += rounded(where, root, "completed", (double)completed, 1.0);
        fails += rounded(where, root, "events", (double)events, 1.0);
        fails += truth(where, "latency_ci95_ms present exactly with 2+ runs",
                       (at(root, "latency_ci95_ms.p99") != NULL) == (k >= 2));
        const cJSON *nodes = at(root, "nodes");
        fails += truth(where, "one node entry per design node",
                       cJSON_GetArraySize(nodes) == x.d->nnodes);
        for (int i = 0; i < cJSON_GetArraySize(nodes); i++) {
            fails += check_keys(where, cJSON_GetArrayItem(nodes, i), "", des_node_keys,
                                sizeof(des_node_keys) / sizeof(des_node_keys[0]));
        }
        cJSON_Delete(root);
        free(json);

        char *text = azb_report_des(&x.in, runs, k, NULL, AZB_REPORT_TEXT);
        assert_non_null(text);
        fails += no_nonfinite_words(where, text);
        fails += contains(where, text, "engine    event simulation, steady load");
        fails += truth(where, "text: a CI line exactly with 2+ runs",
                       (strstr(text, "95% CI") != NULL) == (k >= 2));
        free(text);
        char *md = azb_report_des(&x.in, runs, k, NULL, AZB_REPORT_MARKDOWN);
        assert_non_null(md);
        int ntables = 0;
        fails += md_tables(where, md, &ntables);
        fails += truth(where, "markdown: one node table", ntables == 1);
        free(md);

        char *csv = azb_report_timeseries_csv(x.d, &runs[0]);
        assert_non_null(csv);
        int lines = 0;
        for (const char *p = csv; *p != '\0'; p++) {
            lines += *p == '\n';
        }
        fails += truth(where, "csv: a header and one row per simulated second",
                       lines == runs[0].nseconds + 1 && runs[0].nseconds > 0);
        fails += truth(where, "csv: header starts with t_s,offered,served",
                       strncmp(csv, "t_s,offered,served,", 19) == 0);
        free(csv);
        for (int i = 0; i < k; i++) {
            azb_sim_result_free(&runs[i]);
        }
        free(runs);
        release(&x);
    }
    assert_int_equal(fails, 0);
}

/* ---- Markdown: names cannot break a table ----------------------------- */

static void test_markdown_names(void **state)
{
    const azb_catalog *cat = *state;
    int fails = 0;
    analysed x;
    analysed y;
    analyse(cat, PIPES, &x);
    analyse(cat, SMALL, &y);
    static const struct {
        const char *name;
        int report; /* 0 sim, 1 cost, 2 compare */
        int tables;
    } cases[] = {
        {"sim: '|' in a node id and an operation", 0, 3},
        {"cost: '|' in a node id", 1, 1},
        {"compare: '|' in a design's name", 2, 1},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        char *text = cases[k].report == 0   ? azb_report_sim(&x.in, AZB_REPORT_MARKDOWN)
                     : cases[k].report == 1 ? azb_report_cost(&x.in, AZB_REPORT_MARKDOWN)
                                            : azb_report_compare(&x.in, &y.in, AZB_REPORT_MARKDOWN);
        assert_non_null(text);
        int tables = 0;
        int n = md_tables(cases[k].name, text, &tables);
        if (tables != cases[k].tables) {
            print_error("%s: expected %d tables got %d\n", cases[k].name, cases[k].tables, tables);
            n++;
        }
        if (n > 0) {
            print_error("%s: the Markdown was:\n%s\n", cases[k].name, text);
        }
        fails += n;
        free(text);
    }
    release(&y);
    release(&x);
    assert_int_equal(fails, 0);
}

/* ---- the legal nonsense, and contract violations ---------------------- */

/* No cost and no availability: the report leaves them out rather than
 * inventing them; a format out of range is read as text. */
static void test_partial_input(void **state)
{
    const azb_catalog *cat = *state;
    int fails = 0;
    analysed x;
    analyse(cat, HEALTHY, &x);
    azb_report_input bare = {NULL, x.d, cat, x.r, NULL, NULL};

    char *text = azb_report_sim(&bare, AZB_REPORT_JSON);
    assert_non_null(text);
    cJSON *root = parse("no cost, no availability", text);
    fails += truth("no cost, no availability: JSON", "no \"cost\" key", at(root, "cost") == NULL);
    fails += truth("no cost, no availability: JSON", "no \"availability\" key",
                   at(root, "availability") == NULL);
    fails += truth("no cost, no availability: JSON", "no \"file\" key", at(root, "file") == NULL);
    fails += check_keys("no cost, no availability: JSON", root, "nodes[1]", node_keys,
                        sizeof(node_keys) / sizeof(node_keys[0]));
    fails += all_finite("no cost, no availability: JSON", root, "", NULL);
    cJSON_Delete(root);
    free(text);

    static const struct {
        const char *name;
        azb_report_format format;
    } formats[] = {{"text", AZB_REPORT_TEXT}, {"markdown", AZB_REPORT_MARKDOWN}};
    for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
        char where[96];
        snprintf(where, sizeof(where), "no cost, no availability: %s", formats[f].name);
        text = azb_report_sim(&bare, formats[f].format);
        assert_non_null(text);
        fails += contains(where, text, x.d->name);
        fails += truth(where, "no cost in the report", strstr(text, "a month") == NULL);
        fails += truth(where, "no availability in the report", strstr(text, "downtime") == NULL);
        free(text);
    }

    azb_report_format odd = (azb_report_format)42;
    char *want = azb_report_sim(&x.in, AZB_REPORT_TEXT);
    char *got = azb_report_sim(&x.in, odd);
    fails += truth("sim, format 42", "the text report", want && got && strcmp(want, got) == 0);
    free(want);
    free(got);
    want = azb_report_cost(&x.in, AZB_REPORT_TEXT);
    got = azb_report_cost(&x.in, odd);
    fails += truth("cost, format 42", "the text report", want && got && strcmp(want, got) == 0);
    free(want);
    free(got);
    want = azb_report_compare(&x.in, &x.in, AZB_REPORT_TEXT);
    got = azb_report_compare(&x.in, &x.in, odd);
    fails += truth("compare, format 42", "the text report", want && got && strcmp(want, got) == 0);
    free(want);
    free(got);
    release(&x);
    assert_int_equal(fails, 0);
}

static bool dies(void (*fn)(const azb_report_input *), const azb_report_input *in)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Keep the child's assert message out of the test's output. */
        FILE *devnull = freopen("/dev/null", "w", stderr);
        (void)devnull;
        fn(in);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status);
}

static void call_sim_null(const azb_report_input *in)
{
    (void)in;
    free(azb_report_sim(NULL, AZB_REPORT_TEXT));
}
static void call_sim_no_design(const azb_report_input *in)
{
    azb_report_input x = *in;
    x.design = NULL;
    free(azb_report_sim(&x, AZB_REPORT_JSON));
}
static void call_sim_no_result(const azb_report_input *in)
{
    azb_report_input x = *in;
    x.result = NULL;
    free(azb_report_sim(&x, AZB_REPORT_MARKDOWN));
}
static void call_sim_no_catalog(const azb_report_input *in)
{
    azb_report_input x = *in;
    x.catalog = NULL;
    free(azb_report_sim(&x, AZB_REPORT_TEXT));
}
static void call_cost_null(const azb_report_input *in)
{
    (void)in;
    free(azb_report_cost(NULL, AZB_REPORT_TEXT));
}
static void call_cost_no_cost(const azb_report_input *in)
{
    azb_report_input x = *in;
    x.cost = NULL;
    free(azb_report_cost(&x, AZB_REPORT_JSON));
}
static void call_compare_null_a(const azb_report_input *in)
{
    free(azb_report_compare(NULL, in, AZB_REPORT_TEXT));
}
static void call_compare_null_b(const azb_report_input *in)
{
    free(azb_report_compare(in, NULL, AZB_REPORT_JSON));
}
static void call_compare_no_result(const azb_report_input *in)
{
    azb_report_input x = *in;
    x.result = NULL;
    free(azb_report_compare(in, &x, AZB_REPORT_MARKDOWN));
}

static void test_contract(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        void (*fn)(const azb_report_input *);
    } cases[] = {
        {"azb_report_sim(NULL)", call_sim_null},
        {"azb_report_sim, no design", call_sim_no_design},
        {"azb_report_sim, no result", call_sim_no_result},
        {"azb_report_sim, no catalog", call_sim_no_catalog},
        {"azb_report_cost(NULL)", call_cost_null},
        {"azb_report_cost, no cost", call_cost_no_cost},
        {"azb_report_compare(NULL, b)", call_compare_null_a},
        {"azb_report_compare(a, NULL)", call_compare_null_b},
        {"azb_report_compare, b without a result", call_compare_no_result},
    };
    analysed x;
    analyse(cat, SMALL, &x);
    int fails = 0;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        fails += truth(cases[k].name, "an assert (the process stops)", dies(cases[k].fn, &x.in));
    }
    release(&x);
    assert_int_equal(fails, 0);
}

static int setup(void **state)
{
    *state = azbt_catalog();
    return 0;
}

static int teardown(void **state)
{
    azb_catalog_destroy(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sim_json),
        cmocka_unit_test(test_sim_text_markdown),
        cmocka_unit_test(test_cost_report),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_availability_percent),
        cmocka_unit_test(test_markdown_names),
        cmocka_unit_test(test_des_report),
        cmocka_unit_test(test_partial_input),
        cmocka_unit_test(test_contract),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
