/*
 * Tests of the design module: loading (every kind of bad input, with its
 * message, JSON path, line and column), round trips, atomic saves, clones,
 * validation of designs edited in memory, load profiles and lookups.
 *
 * Texts in the tables write JSON with single quotes, turned into double
 * quotes before parsing, so the cases stay readable. An expected position is
 * given as text to find in the case ("at"), with '^' marking the exact spot
 * inside it when that is not its first character; the test computes line and
 * column from it itself (1-based, columns in characters), independently of
 * the engine's locator.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "azb_design.h"
#include "azbt.h"

#define MIB (1024u * 1024u)
/* The limit the format documents (docs/design-format.md), not the engine's constant. */
#define LIMIT_BYTES (16u * MIB)
#define AT_END "\001end"  /* the expected position is the end of the text */
#define NO_POS "\001none" /* the error has no position (line and column 0) */

/* ---------------------------------------------------------------- helpers */

/* The template with its one "%s" replaced by `value` (malloc'd). */
static char *subst(const char *tmpl, const char *value)
{
    const char *at = strstr(tmpl, "%s");
    assert_non_null(at);
    azbt_buf b = {0};
    azbt_buf_put(&b, tmpl, (size_t)(at - tmpl));
    azbt_buf_puts(&b, value);
    azbt_buf_puts(&b, at + 2);
    return b.data;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Where `at` says the error is: the nth occurrence of `at` (single quotes
 * for double quotes, '^' marking the spot), the end, or the first
 * non-blank character when `at` is NULL. Returns false when `at` is not in
 * the text (a broken test case). */
static bool expected_pos(const char *text, size_t len, const char *at, int nth, int *line, int *col)
{
    size_t off = 0;
    if (at == NULL) {
        while (off < len && strchr(" \t\r\n", text[off]) != NULL) {
            off++;
        }
    } else if (strcmp(at, AT_END) == 0) {
        off = len;
    } else if (!azbt_find_marked(text, at, nth, &off)) {
        return false;
    }
    azbt_linecol(text, off, line, col);
    return true;
}

static void errors_to(azbt_buf *b, const azb_errors *errs)
{
    if (errs->count == 0) {
        azbt_buf_puts(b, "    (no records)\n");
    }
    for (int i = 0; i < errs->count; i++) {
        char line[1024];
        azb_error_format(&errs->items[i], line, sizeof(line));
        azbt_buf_printf(b, "    %.500s\n", line);
    }
    if (errs->dropped > 0) {
        azbt_buf_printf(b, "    (+%d dropped)\n", errs->dropped);
    }
}

static const azb_error *find_record(const azb_errors *errs, bool warning, const char *path,
                                    const char *msg)
{
    for (int i = 0; i < errs->count; i++) {
        const azb_error *e = &errs->items[i];
        if (e->warning == warning && strcmp(e->path, path) == 0 &&
            strstr(e->message, msg) != NULL) {
            return e;
        }
    }
    return NULL;
}

/* Check that `errs` holds an error (or warning) at `path` whose message
 * contains `msg`, positioned where `at` says in `text`. On a mismatch,
 * appends the case, what was expected and what came to `report` and returns
 * false. */
static bool check_record(azbt_buf *report, const char *name, const char *file, const char *text,
                         size_t len, const azb_errors *errs, bool warning, const char *path,
                         const char *msg, const char *at, int nth)
{
    int line = 0;
    int col = 0;
    bool no_pos = at != NULL && strcmp(at, NO_POS) == 0;
    if (!no_pos && !expected_pos(text, len, at, nth, &line, &col)) {
        azbt_buf_printf(report, "case \"%s\": broken test: \"%s\" (#%d) is not in the text\n", name,
                        at, nth);
        return false;
    }
    const azb_error *e = find_record(errs, warning, path, msg);
    bool ok = e != NULL && e->line == line && e->col == col && strcmp(e->file, file) == 0;
    if (!ok) {
        azbt_buf_printf(report, "case \"%s\":\n  expected: %s:%d:%d: %s: %s...%s...\n  got:%s\n",
                        name, file, line, col, path, warning ? "warning: " : "", msg,
                        e != NULL ? " (record found, position or file differs)" : "");
        errors_to(report, errs);
    }
    return ok;
}

/* cmocka cuts long failure messages: the report goes to stderr whole. */
static void finish(azbt_buf *report, int failures)
{
    if (failures > 0) {
        fprintf(stderr, "%s", report->data);
        free(report->data);
        fail_msg("%d case(s) failed (above)", failures);
    }
    free(report->data);
}

static azb_design *parse_q(const char *quoted, const azb_catalog *cat, azb_errors *errs,
                           char **text_out)
{
    char *text = azbt_dq(quoted);
    azb_design *d = azb_design_parse(text, strlen(text), "t.json", cat, errs);
    if (text_out != NULL) {
        *text_out = text;
    } else {
        free(text);
    }
    return d;
}

static char *fixture_path(const char *name)
{
    azbt_buf b = {0};
    azbt_buf_printf(&b, "%s/designs/%s", AZB_TEST_DATA, name);
    return b.data;
}

static char *read_fixture(const char *name, size_t *len)
{
    char *path = fixture_path(name);
    char *text = azbt_read(path, len);
    free(path);
    return text;
}

/* Load a fixture that must load without errors. */
static azb_design *load_fixture(const azb_catalog *cat, const char *name, azb_errors *errs)
{
    char *path = fixture_path(name);
    azb_design *d = azb_design_load(path, cat, errs);
    if (d == NULL) {
        azbt_buf b = {0};
        errors_to(&b, errs);
        fail_msg("fixture %s does not load:\n%s", name, b.data);
    }
    free(path);
    return d;
}

static int count_kind(const azb_errors *errs, bool warning)
{
    int n = 0;
    for (int i = 0; i < errs->count; i++) {
        n += errs->items[i].warning == warning ? 1 : 0;
    }
    return n;
}

/* First difference of two texts, for messages. */
static void diff_to(azbt_buf *b, const char *want, const char *got)
{
    size_t i = 0;
    while (want[i] != '\0' && want[i] == got[i]) {
        i++;
    }
    int line = 0;
    int col = 0;
    azbt_linecol(want, i, &line, &col);
    azbt_buf_printf(b,
                    "  first difference at %d:%d\n  expected: \"%.60s\"\n  got:      \"%.60s\"\n",
                    line, col, want + i, got + i);
}

/* --------------------------------------------------------- the fixtures */

#define HEAD "{'format': 'azboard/design', 'version': 1, 'name': 't',\n"
#define NODES(x) " 'nodes': [\n" x "\n ]"
#define EDGES(x) ",\n 'edges': [\n" x "\n ]"
#define GROUPS(x) ",\n 'groups': [\n" x "\n ]"
#define WL(x) ",\n 'workload': " x
#define END "\n}\n"
#define A "  {'id': 'a', 'kind': 'vm'}"
#define AB A ",\n  {'id': 'b', 'kind': 'vm'}"
#define ABC AB ",\n  {'id': 'c', 'kind': 'vm'}"
#define PROFILE(x) WL("{'entry': 'a', 'rps': 100, 'profile': " x "}")
#define OPS_GET WL("{'entry': 'a', 'rps': 100, 'operations': [{'name': 'GET /', 'share': 1}]}")
#define USERS "  {'id': 'users', 'kind': 'clients', 'geo': 'north-america'}"

/* ------------------------------------------------------- 1. bad inputs */

typedef struct bad_case {
    const char *name;
    const char *text; /* single quotes stand for double quotes */
    const char *path; /* the JSON path the error names */
    const char *msg;  /* a substring of its message */
    const char *at;   /* where it points ('^' marks the spot); NULL: the start */
    int nth;          /* which occurrence of `at`, 0 = the first */
} bad_case;

static const bad_case bad_cases[] = {
    /* Not JSON. */
    {"missing comma", "{'format': 'azboard/design'\n 'version': 1}", "", "malformed JSON",
     "'version'", 0},
    {"unclosed brace", HEAD NODES(A), "", "ends too early", AT_END, 0},
    /* An open string is shown where it opens: that is where the mistake is. */
    {"unclosed string", HEAD " 'nodes': [], 'description': 'abc", "", "malformed JSON", "^'abc", 0},
    {"missing colon", "{'format' 'azboard/design'}", "", "malformed JSON", "'azboard", 0},
    {"unknown escape", HEAD " 'name': 'a\\q'," NODES(A) END, "", "malformed JSON", "\\q", 0},
    {"trailing garbage", HEAD NODES(A) END "garbage", "",
     "unexpected text after the end of the document", "garbage", 0},
    {"second document", HEAD NODES(A) END "{}", "", "unexpected text after the end", "}\n^{}", 0},
    {"empty text", "", "", "ends too early", AT_END, 0},
    {"only blanks", "  \n  ", "", "ends too early", AT_END, 0},
    {"NaN is not JSON", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'count': NaN}") END, "",
     "malformed JSON", "NaN", 0},
    {"Infinity is not JSON", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'x': Infinity}") END, "",
     "malformed JSON", "Infinity", 0},
    {"trailing comma", "{'format': 'azboard/design', }", "", "malformed JSON", "}", 0},
    {"comment is not JSON", HEAD "// a comment\n" NODES(A) END, "", "malformed JSON", "//", 0},
    {"single-quoted JSON", "{\\'format\\': 1}", "", "malformed JSON", "\\", 0},

    /* The top. */
    {"top is an array", "[1, 2]", "", "expected a JSON object at the top, got an array", NULL, 0},
    {"top is a string", "  \n 'design'", "", "expected a JSON object at the top, got a string",
     NULL, 0},
    {"top is null", "null", "", "got null", NULL, 0},
    {"format missing", "{'version': 1, 'name': 't', 'nodes': []}", "", "missing \"format\"", NULL,
     0},
    {"format of another file",
     "{'format': 'azboard/scenario', 'version': 1, 'name': 't', "
     "'nodes': []}",
     "format", "\"azboard/scenario\" is not an azboard design", "'azboard/scenario'", 0},
    {"format not a string", "{'format': 7, 'version': 1, 'name': 't', 'nodes': []}", "format",
     "expected a string, got a number", "'format': ^7", 0},
    {"version 2", "{'format': 'azboard/design',\n 'version': 2, 'name': 't', 'nodes': []}",
     "version", "version 2 is not supported", "'version': ^2", 0},
    {"version as a string",
     "{'format': 'azboard/design', 'version': '1', 'name': 't', "
     "'nodes': []}",
     "version", "expected a number, got a string", "'1'", 0},
    {"version 1.5", "{'format': 'azboard/design', 'version': 1.5, 'name': 't', 'nodes': []}",
     "version", "expected a whole number", "1.5", 0},
    {"version missing", "{'format': 'azboard/design', 'name': 't', 'nodes': []}", "",
     "missing required key \"version\"", NULL, 0},
    {"name missing", "{'format': 'azboard/design', 'version': 1,\n 'nodes': []}", "",
     "missing required key \"name\"", NULL, 0},
    {"name empty", "{'format': 'azboard/design', 'version': 1, 'name': '', 'nodes': []}", "name",
     "must not be empty", "'name': ^''", 0},
    {"name too long",
     "{'format': 'azboard/design', 'version': 1, 'name': "
     "'0123456789012345678901234567890123456789012345678901234567890123456789"
     "012345678901234567890123456789012345678901234567890123456789', "
     "'nodes': []}",
     "name", "string is too long (130 bytes; at most 127)", "'0123", 0},
    {"description a number", HEAD " 'description': 5," NODES(A) END, "description",
     "expected a string, got a number", "'description': ^5", 0},
    {"nodes missing", "{'format': 'azboard/design', 'version': 1, 'name': 't'}", "",
     "missing required key \"nodes\"", NULL, 0},
    {"nodes not an array", HEAD " 'nodes': {'a': 1}" END, "nodes",
     "expected an array, got an object", "'nodes': ^{", 0},
    {"node not an object", HEAD " 'nodes': [\n  42\n ]" END, "nodes[0]",
     "expected an object, got a number", "42", 0},
    {"second node not an object", HEAD " 'nodes': [" A ", 'b']" END, "nodes[1]",
     "expected an object, got a string", "'b'", 0},
    {"edges not an array", HEAD NODES(A) ",\n 'edges': 3" END, "edges",
     "expected an array, got a number", "'edges': ^3", 0},
    {"groups not an array", HEAD NODES(A) ",\n 'groups': 'eastus'" END, "groups",
     "expected an array, got a string", "'eastus'", 0},
    {"workload not an object", HEAD NODES(A) WL("[]") END, "workload",
     "expected an object, got an array", "'workload': ^[", 0},

    /* Wrong types. */
    {"count as a string", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'count': '4'}") END,
     "nodes[0].count", "expected a number, got a string", "'4'", 0},
    {"zones as a string",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'region': 'eastus', "
                "'zones': '1'}") END,
     "nodes[0].zones", "expected an array of zone numbers", "'1'", 0},
    {"zone as a string",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'region': 'eastus', "
                "'zones': [1, '2']}") END,
     "nodes[0].zones[1]", "a zone is 1, 2 or 3", "'2'", 0},
    {"p as a string", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'p': '0.5'}") END,
     "edges[0].p", "expected a number, got a string", "'0.5'", 0},
    {"mode as a number", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'mode': 3}") END,
     "edges[0].mode", "expected a string, got a number", "'mode': ^3", 0},
    {"mode unknown", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'mode': 'fast'}") END,
     "edges[0].mode", "unknown value \"fast\"; expected one of: sync, async", "'fast'", 0},
    {"id as a number", HEAD NODES("  {'id': 7, 'kind': 'vm'}") END, "nodes[0].id",
     "expected a string, got a number", "'id': ^7", 0},
    {"id missing", HEAD NODES("  {'kind': 'vm'}") END, "nodes[0]", "missing required key \"id\"",
     "{'kind'", 0},
    {"id empty", HEAD NODES("  {'id': '', 'kind': 'vm'}") END, "nodes[0].id", "must not be empty",
     "''", 0},
    {"id too long",
     HEAD NODES("  {'id': '0123456789012345678901234567890123456789012345678901"
                "234567890123', 'kind': 'vm'}") END,
     "nodes[0].id", "string is too long (64 bytes; at most 63)", "'0123", 0},
    {"kind missing", HEAD NODES("  {'id': 'a'}") END, "nodes[0]", "missing required key \"kind\"",
     "{'id'", 0},
    {"kind null", HEAD NODES("  {'id': 'a', 'kind': null}") END, "nodes[0].kind",
     "expected a string, got null", "null", 0},
    {"service_dist unknown",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'service_dist': 'normal'}") END,
     "nodes[0].service_dist", "unknown value \"normal\"; expected one of: exp, det, lognormal",
     "'normal'", 0},
    {"balancing unknown", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'balancing': 'default'}") END,
     "nodes[0].balancing",
     "unknown value \"default\"; expected one of: round_robin, hash, random, least_connections",
     "'default'", 0},
    {"write as a string",
     HEAD NODES(A) WL("{'entry': 'a', 'rps': 1, 'operations': "
                      "[{'name': 'POST /', 'share': 1, 'write': 'yes'}]}") END,
     "workload.operations[0].write", "expected true or false, got a string", "'yes'", 0},
    {"ops not an array", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'ops': 'GET /'}") END,
     "edges[0].ops", "expected an array of operation names, got a string", "'GET /'", 0},
    {"ops item empty", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'ops': ['']}") OPS_GET END,
     "edges[0].ops[0]", "expected an operation name", "[^'']", 0},
    {"operations not an array", HEAD NODES(A) WL("{'entry': 'a', 'rps': 1, 'operations': {}}") END,
     "workload.operations", "expected an array, got an object", "'operations': ^{", 0},
    {"operation not an object", HEAD NODES(A) WL("{'entry': 'a', 'rps': 1, 'operations': [1]}") END,
     "workload.operations[0]", "expected an object, got a number", "[^1]", 0},
    {"profile not an object", HEAD NODES(A) PROFILE("'ramp'") END, "workload.profile",
     "expected an object, got a string", "'ramp'", 0},
    {"autoscale not an object", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'autoscale': true}") END,
     "nodes[0].autoscale", "expected an object, got a boolean", "true", 0},

    /* Catalog names. */
    {"unknown kind", HEAD NODES("  {'id': 'a', 'kind': 'vn'}") END, "nodes[0].kind",
     "unknown kind \"vn\"; did you mean vm?", "'vn'", 0},
    {"unknown kind, nothing close", HEAD NODES("  {'id': 'a', 'kind': 'mainframe_cluster'}") END,
     "nodes[0].kind", "unknown kind \"mainframe_cluster\" (azboard catalog lists them)",
     "'mainframe_cluster'", 0},
    {"unknown SKU", HEAD NODES(ABC ",\n  {'id': 'd', 'kind': 'vm', 'sku': 'Standard_D3s_v9'}") END,
     "nodes[3].sku", "unknown SKU \"Standard_D3s_v9\" for kind vm; did you mean Standard_D",
     "'Standard_D3s_v9'", 0},
    {"unknown region", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'region': 'westeurop'}") END,
     "nodes[0].region", "unknown region \"westeurop\"; did you mean westeurope?", "'westeurop'", 0},
    {"unknown region, nothing close",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'region': "
                "'atlantis'}") END,
     "nodes[0].region", "unknown region \"atlantis\" (azboard regions lists them)", "'atlantis'",
     0},
    {"unknown group region",
     HEAD NODES(A) GROUPS("  {'id': 'g', 'kind': 'region', 'region': "
                          "'eastuss'}") END,
     "groups[0].region", "unknown region \"eastuss\"; did you mean eastus?", "'eastuss'", 0},

    /* Zones. */
    {"zone 4", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'region': 'eastus', 'zones': [1, 4]}") END,
     "nodes[0].zones[1]", "a zone is 1, 2 or 3", "[1, ^4]", 0},
    {"zone 0", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'region': 'eastus', 'zones': [0]}") END,
     "nodes[0].zones[0]", "a zone is 1, 2 or 3", "[^0]", 0},
    {"zone 1.5", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'region': 'eastus', 'zones': [1.5]}") END,
     "nodes[0].zones[0]", "a zone is 1, 2 or 3", "1.5", 0},
    {"zone twice",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'region': 'eastus', 'zones': [2, 2]}") END,
     "nodes[0].zones[1]", "zone 2 is listed twice", "[2, ^2]", 0},
    {"zone 3 in a region without zones",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'region': "
                "'westus', 'zones': [3]}") END,
     "nodes[0].zones", "region westus has no availability zones", "'zones': ^[", 0},
    {"zones without region", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'zones': [1]}") END,
     "nodes[0].zones", "zones need a region", "'zones': ^[", 0},
    {"zone group in a region without zones",
     HEAD NODES(A) GROUPS("  {'id': 'z', 'kind': 'zone', "
                          "'region': 'westus', 'zone': 1}") END,
     "groups[0].zone", "region westus has no availability zones", "'zone': ^1", 0},
    {"zone group zone 4",
     HEAD NODES(A) GROUPS("  {'id': 'z', 'kind': 'zone', 'region': "
                          "'eastus', 'zone': 4}") END,
     "groups[0].zone", "must be at most 3, got 4", "'zone': ^4", 0},
    {"zone group without zone",
     HEAD NODES(A) GROUPS("  {'id': 'z', 'kind': 'zone', "
                          "'region': 'eastus'}") END,
     "groups[0]", "missing required key \"zone\"", "{'id': 'z'", 0},
    {"group kind unknown",
     HEAD NODES(A) GROUPS("  {'id': 'z', 'kind': 'box', 'region': "
                          "'eastus'}") END,
     "groups[0].kind", "unknown value \"box\"; expected one of: region, zone", "'box'", 0},
    {"group without region", HEAD NODES(A) GROUPS("  {'id': 'r', 'kind': 'region'}") END,
     "groups[0]", "missing required key \"region\"", "{'id': 'r'", 0},
    {"group w 0",
     HEAD NODES(A) GROUPS("  {'id': 'r', 'kind': 'region', 'region': 'eastus', "
                          "'w': 0, 'h': 10}") END,
     "groups[0].w", "must be greater than 0", "'w': ^0", 0},

    /* Duplicates. */
    {"duplicate node id",
     HEAD NODES(A ",\n  {'id': 'b', 'kind': 'vm'},\n  {'id': 'a', 'kind': "
                  "'redis'}") END,
     "nodes[2].id", "duplicate id \"a\" (also nodes[0])", "'a'", 1},
    {"duplicate group id",
     HEAD NODES(A) GROUPS("  {'id': 'g', 'kind': 'region', 'region': "
                          "'eastus'},\n  {'id': 'g', 'kind': 'region', "
                          "'region': 'westeurope'}") END,
     "groups[1].id", "duplicate group id \"g\" (also groups[0])", "'g'", 1},
    {"duplicate key in a node",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'count': 2,\n   "
                "'count': 3}") END,
     "nodes[0].count", "duplicate key \"count\"", "'count': ^3", 0},
    {"duplicate key at the root", HEAD " 'name': 'u'," NODES(A) END, "name",
     "duplicate key \"name\"", "'name': ^'u'", 0},
    {"duplicate key in an edge", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'to': 'a'}") END,
     "edges[0].to", "duplicate key \"to\"", "'to': ^'a'", 0},
    {"duplicate operation",
     HEAD NODES(A) WL("{'entry': 'a', 'rps': 1, 'operations': [\n"
                      "  {'name': 'GET /', 'share': 0.5},\n"
                      "  {'name': 'GET /', 'share': 0.5}]}") END,
     "workload.operations[1]", "duplicate operation \"GET /\"", "{'name'", 1},

    /* Edges. */
    {"edge from a missing node", HEAD NODES(AB) EDGES("  {'from': 'ghost', 'to': 'b'}") END,
     "edges[0].from", "no node has id \"ghost\"", "'ghost'", 0},
    {"edge to a missing node",
     HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b'},\n"
                          "  {'from': 'a', 'to': 'ghost'}") END,
     "edges[1].to", "no node has id \"ghost\"", "'ghost'", 0},
    {"edge without from", HEAD NODES(AB) EDGES("  {'to': 'b'}") END, "edges[0]",
     "missing required key \"from\"", "{'to'", 0},
    {"edge into clients",
     HEAD NODES(USERS ",\n" A) EDGES("  {'from': 'users', 'to': 'a'},\n"
                                     "  {'from': 'a', 'to': 'users'}") WL("{'rps': 10}") END,
     "edges[1].to", "\"users\" is a clients node: clients call, nothing calls them", "'users'}", 0},
    {"miss from a non-cache", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'on': 'miss'}") END,
     "edges[0].on", "\"on\" needs a cache at the source; a (vm) has no hit_ratio", "'miss'", 0},
    {"on unknown", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'on': 'always'}") END,
     "edges[0].on", "unknown value \"always\"; expected one of: hit, miss", "'always'", 0},
    {"ops names an unknown operation",
     HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'ops': "
                          "['GET /', 'POST /']}") OPS_GET END,
     "edges[0].ops[1]", "operation \"POST /\" is not in workload.operations", "'POST /'", 0},
    {"ops without operations",
     HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'ops': "
                          "['GET /']}") END,
     "edges[0].ops[0]", "operation \"GET /\" is not in workload.operations", "'GET /'", 0},

    /* Numbers out of range. */
    {"negative count", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'count': -1}") END, "nodes[0].count",
     "must be greater than 0, got -1", "-1", 0},
    {"zero count", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'count': 0}") END, "nodes[0].count",
     "must be greater than 0, got 0", "'count': ^0", 0},
    {"count 2.5", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'count': 2.5}") END, "nodes[0].count",
     "expected a whole number, got 2.5", "2.5", 0},
    {"count over the limit", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'count': 100001}") END,
     "nodes[0].count", "must be at most 100000, got 100001", "100001", 0},
    {"zero service_ms", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'service_ms': 0}") END,
     "nodes[0].service_ms", "must be greater than 0, got 0", "'service_ms': ^0", 0},
    {"negative cv", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'cv': -0.5}") END, "nodes[0].cv",
     "must not be negative, got -0.5", "-0.5", 0},
    {"negative request_kb",
     HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'request_kb': -2}") END,
     "edges[0].request_kb", "must not be negative, got -2", "-2", 0},
    {"concurrency 0", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'concurrency': 0}") END,
     "nodes[0].concurrency", "must be greater than 0, got 0", "'concurrency': ^0", 0},
    {"concurrency 1.5", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'concurrency': 1.5}") END,
     "nodes[0].concurrency", "expected a whole number, got 1.5", "1.5", 0},
    {"service_ms 1e999", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'service_ms': 1e999}") END,
     "nodes[0].service_ms", "number is out of range (not finite)", "1e999", 0},
    {"x -1e999", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'x': -1e999}") END, "nodes[0].x",
     "not finite", "-1e999", 0},
    {"rps 1e999", HEAD NODES(A) WL("{'entry': 'a', 'rps': 1e999}") END, "workload.rps",
     "not finite", "1e999", 0},
    {"p 1.2", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'p': 1.2}") END, "edges[0].p",
     "must be within [0, 1], got 1.2", "1.2", 0},
    {"p -0.1", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'p': -0.1}") END, "edges[0].p",
     "must be within [0, 1], got -0.1", "-0.1", 0},
    {"calls 0", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'calls': 0}") END,
     "edges[0].calls", "must be greater than 0, got 0", "'calls': ^0", 0},
    {"calls 1001", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'calls': 1001}") END,
     "edges[0].calls", "must be at most 1000", "1001", 0},

    /* Calls that never end. */
    {"two-node loop with p 1",
     HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b'},\n"
                          "  {'from': 'b', 'to': 'a', 'p': 1}") END,
     "edges[1]", "calls loop without end among b, a", "{'from': 'b'", 0},
    {"self loop with calls 2",
     HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b'},\n"
                          "  {'from': 'b', 'to': 'b', 'p': 0.6, "
                          "'calls': 2}") END,
     "edges[1]", "calls loop without end among b", "{'from': 'b'", 0},
    {"three-node loop with p 1",
     HEAD NODES(ABC) EDGES("  {'from': 'a', 'to': 'b'},\n"
                           "  {'from': 'b', 'to': 'c'},\n"
                           "  {'from': 'c', 'to': 'a'}") END,
     "edges[2]", "calls loop without end among c, b, a", "{'from': 'c'", 0},
    {"async loop with p 1",
     HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'mode': 'async'},\n"
                          "  {'from': 'b', 'to': 'a', 'mode': 'async'}") END,
     "edges[1]", "calls loop without end", "{'from': 'b'", 0},
    {"loop whose branches add to 1",
     HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b'},\n"
                          "  {'from': 'b', 'to': 'a', 'p': 0.5},\n"
                          "  {'from': 'b', 'to': 'a', 'p': 0.5}") END,
     "edges[1]", "calls loop without end among b, a", "{'from': 'b'", 0},
    {"loop through all of a cache's misses",
     HEAD NODES("  {'id': 'cache', 'kind': 'redis', 'hit_ratio': 0},\n" A)
         EDGES("  {'from': 'a', 'to': 'cache'},\n  {'from': 'cache', 'to': 'a', 'on': 'miss'}") END,
     "edges[0]", "calls loop without end among a, cache", "{'from': 'a'", 0},

    /* Workload. */
    {"shares add to 0.8",
     HEAD NODES(A) WL("{'entry': 'a', 'rps': 10, 'operations': [\n"
                      "  {'name': 'GET /', 'share': 0.5},\n"
                      "  {'name': 'POST /', 'share': 0.3}]}") END,
     "workload.operations", "operation shares add up to 0.8, not 1", "'operations': ^[", 0},
    {"shares add to 1.2",
     HEAD NODES(A) WL("{'entry': 'a', 'rps': 10, 'operations': [\n"
                      "  {'name': 'GET /', 'share': 0.7},\n"
                      "  {'name': 'POST /', 'share': 0.5}]}") END,
     "workload.operations", "operation shares add up to 1.2, not 1", "'operations': ^[", 0},
    {"share 1.5",
     HEAD NODES(A) WL("{'entry': 'a', 'rps': 10, 'operations': [{'name': 'GET /', "
                      "'share': 1.5}]}") END,
     "workload.operations[0].share", "must be within [0, 1], got 1.5", "1.5", 0},
    {"share missing",
     HEAD NODES(A) WL("{'entry': 'a', 'rps': 10, 'operations': [{'name': "
                      "'GET /'}]}") END,
     "workload.operations[0]", "missing required key \"share\"", "{'name'", 0},
    {"operation name missing",
     HEAD NODES(A) WL("{'entry': 'a', 'rps': 10, 'operations': "
                      "[{'share': 1}]}") END,
     "workload.operations[0]", "missing required key \"name\"", "{'share'", 0},
    {"workload without rps", HEAD NODES(A) WL("{'entry': 'a'}") END, "workload",
     "missing required key \"rps\"", "'workload': ^{", 0},
    {"rps 0", HEAD NODES(A) WL("{'entry': 'a', 'rps': 0}") END, "workload.rps",
     "must be greater than 0, got 0", "'rps': ^0", 0},
    {"no entry and no clients", HEAD NODES(A) WL("{'rps': 10}") END, "workload",
     "no \"entry\" and no clients node: where do requests come in?", "'workload': ^{", 0},
    {"entry names no node", HEAD NODES(A) WL("{'entry': 'web', 'rps': 10}") END, "workload.entry",
     "no node has id \"web\"", "'web'", 0},
    {"clients without geo", HEAD NODES("  {'id': 'users', 'kind': 'clients'}") WL("{'rps': 1}") END,
     "nodes[0]", "a clients node needs \"geo\"", "{'id': 'users'", 0},
    {"clients in an unknown geo",
     HEAD NODES("  {'id': 'users', 'kind': 'clients', 'geo': "
                "'mars'}") WL("{'rps': 1}") END,
     "nodes[0].geo", "unknown geography \"mars\"; expected one of: north-america", "'mars'", 0},

    /* Profiles. */
    {"profile without type", HEAD NODES(A) PROFILE("{'from_rps': 1}") END, "workload.profile",
     "missing required key \"type\"", "'profile': ^{", 0},
    {"profile type unknown", HEAD NODES(A) PROFILE("{'type': 'sawtooth'}") END,
     "workload.profile.type",
     "unknown value \"sawtooth\"; expected one of: constant, ramp, spike, diurnal, piecewise",
     "'sawtooth'", 0},
    {"ramp without from_rps",
     HEAD NODES(A) PROFILE("{'type': 'ramp', 'to_rps': 2, "
                           "'duration_s': 60}") END,
     "workload.profile", "missing required key \"from_rps\"", "'profile': ^{", 0},
    {"ramp without to_rps",
     HEAD NODES(A) PROFILE("{'type': 'ramp', 'from_rps': 2, "
                           "'duration_s': 60}") END,
     "workload.profile", "missing required key \"to_rps\"", "'profile': ^{", 0},
    {"ramp without duration_s",
     HEAD NODES(A) PROFILE("{'type': 'ramp', 'from_rps': 1, "
                           "'to_rps': 2}") END,
     "workload.profile", "missing required key \"duration_s\"", "'profile': ^{", 0},
    {"ramp with duration 0",
     HEAD NODES(A) PROFILE("{'type': 'ramp', 'from_rps': 1, 'to_rps': 2, "
                           "'duration_s': 0}") END,
     "workload.profile.duration_s", "must be greater than 0", "'duration_s': ^0", 0},
    {"spike without base_rps",
     HEAD NODES(A) PROFILE("{'type': 'spike', 'peak_rps': 9, "
                           "'start_s': 1, 'length_s': 2}") END,
     "workload.profile", "missing required key \"base_rps\"", "'profile': ^{", 0},
    {"spike without peak_rps",
     HEAD NODES(A) PROFILE("{'type': 'spike', 'base_rps': 1, "
                           "'start_s': 1, 'length_s': 2}") END,
     "workload.profile", "missing required key \"peak_rps\"", "'profile': ^{", 0},
    {"spike without start_s",
     HEAD NODES(A) PROFILE("{'type': 'spike', 'base_rps': 1, "
                           "'peak_rps': 9, 'length_s': 2}") END,
     "workload.profile", "missing required key \"start_s\"", "'profile': ^{", 0},
    {"spike without length_s",
     HEAD NODES(A) PROFILE("{'type': 'spike', 'base_rps': 1, "
                           "'peak_rps': 9, 'start_s': 1}") END,
     "workload.profile", "missing required key \"length_s\"", "'profile': ^{", 0},
    {"spike with a negative base",
     HEAD NODES(A) PROFILE("{'type': 'spike', 'base_rps': -1, "
                           "'peak_rps': 9, 'start_s': 1, "
                           "'length_s': 2}") END,
     "workload.profile.base_rps", "must not be negative", "-1", 0},
    {"diurnal without trough_rps",
     HEAD NODES(A) PROFILE("{'type': 'diurnal', "
                           "'peak_rps': 9}") END,
     "workload.profile", "missing required key \"trough_rps\"", "'profile': ^{", 0},
    {"diurnal without peak_rps",
     HEAD NODES(A) PROFILE("{'type': 'diurnal', "
                           "'trough_rps': 1}") END,
     "workload.profile", "missing required key \"peak_rps\"", "'profile': ^{", 0},
    {"diurnal with period 0",
     HEAD NODES(A) PROFILE("{'type': 'diurnal', 'trough_rps': 1, "
                           "'peak_rps': 2, 'period_s': 0}") END,
     "workload.profile.period_s", "must be greater than 0", "'period_s': ^0", 0},
    {"piecewise without points", HEAD NODES(A) PROFILE("{'type': 'piecewise'}") END,
     "workload.profile", "missing required key \"points\"", "'profile': ^{", 0},
    {"piecewise with one point",
     HEAD NODES(A) PROFILE("{'type': 'piecewise', 'points': "
                           "[[0, 1]]}") END,
     "workload.profile.points", "expected at least two [seconds, rps] points", "'points': ^[", 0},
    {"piecewise times not increasing",
     HEAD NODES(A) PROFILE("{'type': 'piecewise', 'points': "
                           "[[0, 1], [10, 2], [10, 3]]}") END,
     "workload.profile.points[2]", "times must increase from point to point", "[10, 3]", 0},
    {"piecewise times going back",
     HEAD NODES(A) PROFILE("{'type': 'piecewise', 'points': "
                           "[[0, 1], [10, 2], [5, 3]]}") END,
     "workload.profile.points[2]", "times must increase from point to point", "[5, 3]", 0},
    {"piecewise point of three",
     HEAD NODES(A) PROFILE("{'type': 'piecewise', 'points': "
                           "[[0, 1], [10, 2, 3]]}") END,
     "workload.profile.points[1]", "a point is [seconds, rps]", "[10, 2, 3]", 0},
    {"piecewise negative rps",
     HEAD NODES(A) PROFILE("{'type': 'piecewise', 'points': "
                           "[[0, 1], [10, -2]]}") END,
     "workload.profile.points[1]", "both finite and not negative", "[10, -2]", 0},

    /* Autoscale. */
    {"autoscale min above max",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'autoscale': {'min': 5, "
                "'max': 2}}") END,
     "nodes[0].autoscale.min", "min (5) is larger than max (2)", "'min': ^5", 0},
    {"count above the autoscale range",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'count': 10, "
                "'autoscale': {'min': 1, 'max': 5}}") END,
     "nodes[0].count", "count 10 is outside autoscale's range [1, 5]", "'count': ^10", 0},
    {"count below the autoscale range",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'count': 1, "
                "'autoscale': {'min': 2, 'max': 5}}") END,
     "nodes[0].count", "count 1 is outside autoscale's range [2, 5]", "'count': ^1", 0},
    {"autoscale without max",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'autoscale': {'min': 1}}") END, "nodes[0].autoscale",
     "missing required key \"max\"", "'autoscale': ^{", 0},
    {"autoscale target 1",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'autoscale': {'min': 1, "
                "'max': 2, 'target': 1}}") END,
     "nodes[0].autoscale.target", "must be at most 0.99, got 1", "'target': ^1", 0},

    /* Kind settings. */
    {"hit_ratio 1.5", HEAD NODES("  {'id': 'c', 'kind': 'redis', 'hit_ratio': 1.5}") END,
     "nodes[0].hit_ratio", "hit_ratio must be within [0, 1]", "1.5", 0},
    {"hit_ratio as a string", HEAD NODES("  {'id': 'c', 'kind': 'redis', 'hit_ratio': 'high'}") END,
     "nodes[0].hit_ratio", "expected a number, got a string", "'high'", 0},
    {"hit_ratio 1e999", HEAD NODES("  {'id': 'c', 'kind': 'redis', 'hit_ratio': 1e999}") END,
     "nodes[0].hit_ratio", "not finite", "1e999", 0},
    {"geo as a number",
     HEAD NODES("  {'id': 'u', 'kind': 'clients', 'geo': 5}") WL("{'rps': 1}") END, "nodes[0].geo",
     "expected a string", "'geo': ^5", 0},

    /* The simulator's keys. */
    {"queue_limit 1.5", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'queue_limit': 1.5}") END,
     "nodes[0].queue_limit", "whole number", "1.5", 0},
    {"queue_limit -1", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'queue_limit': -1}") END,
     "nodes[0].queue_limit", "", "-1", 0},
    {"timeout_ms 0", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'timeout_ms': 0}") END,
     "edges[0].timeout_ms", "", "'timeout_ms': ^0", 0},
    {"retries as a string",
     HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'retries': 'three'}") END,
     "edges[0].retries", "expected a number", "'three'", 0},
    {"backoff_multiplier 0.5",
     HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'backoff_multiplier': 0.5}") END,
     "edges[0].backoff_multiplier", "at least 1", "0.5", 0},
    {"jitter 'half'", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'jitter': 'half'}") END,
     "edges[0].jitter", "", "'half'", 0},

    /* Nesting: the root is level 1, so the 16th bracket of the run is level 17. */
    {"nesting deeper than 16",
     HEAD " 'deep': [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]],\n" NODES(A) END, "",
     "nesting deeper than 16 levels", "[[[[[[[[[[[[[[[^[", 0},
};

static void test_bad_inputs(void **state)
{
    const azb_catalog *cat = *state;
    azbt_buf report = {0};
    int failures = 0;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const bad_case *c = &bad_cases[i];
        azb_errors errs;
        azb_errors_init(&errs);
        char *text = NULL;
        azb_design *d = parse_q(c->text, cat, &errs, &text);
        if (d != NULL) {
            azbt_buf_printf(&report,
                            "case \"%s\":\n  expected: the load fails (%s: %s)\n"
                            "  got: it loaded\n",
                            c->name, c->path, c->msg);
            errors_to(&report, &errs);
            failures++;
        } else if (!check_record(&report, c->name, "t.json", text, strlen(text), &errs, false,
                                 c->path, c->msg, c->at, c->nth)) {
            failures++;
        }
        azb_design_destroy(d);
        azb_errors_free(&errs);
        free(text);
    }
    finish(&report, failures);
}

/* The message of the issue, whole: `nodes[3].sku: unknown SKU "Standard_D3s_v9"
 * for kind vm; did you mean Standard_D4s_v5?`. D2s_v5 and D4s_v5 are both two
 * edits away; on a tie the suggestion sizes up. */
static void test_sku_message_shape(void **state)
{
    const azb_catalog *cat = *state;
    azb_errors errs;
    azb_errors_init(&errs);
    char *text = NULL;
    azb_design *d = parse_q(HEAD NODES(ABC ",\n  {'id': 'd', 'kind': 'vm', 'sku': "
                                           "'Standard_D3s_v9'}") END,
                            cat, &errs, &text);
    assert_null(d);
    assert_int_equal(errs.count, 1);
    char got[1024];
    azb_error_format(&errs.items[0], got, sizeof(got));
    const char *p = strstr(got, "did you mean ");
    assert_non_null(p);
    char suggestion[80] = "";
    sscanf(p + strlen("did you mean "), "%79[^?]", suggestion);
    const azb_kind *vm = azb_catalog_find_kind(cat, "vm");
    assert_non_null(vm);
    assert_non_null(azb_catalog_find_sku(vm, suggestion));
    int line = 0;
    int col = 0;
    assert_true(expected_pos(text, strlen(text), "'Standard_D3s_v9'", 0, &line, &col));
    char want[1024];
    snprintf(want, sizeof(want),
             "t.json:%d:%d: nodes[3].sku: unknown SKU \"Standard_D3s_v9\" for kind vm; "
             "did you mean %s?",
             line, col, suggestion);
    if (strcmp(want, got) != 0) {
        fail_msg("expected: %s\ngot:      %s", want, got);
    }
    /* The issue's example, and the size-up rule for ties. */
    assert_string_equal(suggestion, "Standard_D4s_v5");
    free(text);
    azb_errors_free(&errs);
}

/* ------------------------------------------------ inputs that must load */

typedef struct good_case {
    const char *name;
    const char *text;
    int warnings; /* how many warnings the load gives */
} good_case;

static const good_case good_cases[] = {
    {"minimal", HEAD NODES(A) END, 0},
    {"sync call policy", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'timeout_ms': 250, "
                                             "'retries': 3, 'backoff_ms': 0, "
                                             "'backoff_multiplier': 1, 'jitter': 'full'}") END,
     0},
    {"a timeout on an async edge warns",
     HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'mode': 'async', 'timeout_ms': 250}") END, 1},
    {"two-node loop with p 0.5",
     HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b'},\n"
                          "  {'from': 'b', 'to': 'a', 'p': 0.5}") END,
     0},
    {"self loop with p 0.5", HEAD NODES(A) EDGES("  {'from': 'a', 'to': 'a', 'p': 0.5}") END, 0},
    {"self loop with calls 2 and p 0.4",
     HEAD NODES(A) EDGES("  {'from': 'a', 'to': 'a', "
                         "'p': 0.4, 'calls': 2}") END,
     0},
    {"three-node loop with one p 0.9",
     HEAD NODES(ABC) EDGES("  {'from': 'a', 'to': 'b'},\n"
                           "  {'from': 'b', 'to': 'c'},\n"
                           "  {'from': 'c', 'to': 'a', "
                           "'p': 0.9}") END,
     0},
    {"loop through a cache's misses",
     HEAD NODES("  {'id': 'cache', 'kind': 'redis', "
                "'hit_ratio': 0.9},\n" A) EDGES("  {'from': 'a', 'to': 'cache'},\n"
                                                "  {'from': 'cache', 'to': 'a', 'on': 'miss'}") END,
     0},
    {"a diamond is no loop",
     HEAD NODES(ABC ",\n  {'id': 'd', 'kind': 'vm'}")
         EDGES("  {'from': 'a', 'to': 'b', 'calls': 10},\n"
               "  {'from': 'a', 'to': 'c', 'calls': 10},\n"
               "  {'from': 'b', 'to': 'd', 'calls': 10},\n"
               "  {'from': 'c', 'to': 'd', 'calls': 10}") END,
     0},
    {"zones 1 to 3 in eastus",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'region': 'eastus', "
                "'zones': [1, 2, 3]}") END,
     0},
    {"zone 3 in westeurope",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'region': 'westeurope', "
                "'zones': [3]}") END,
     0},
    {"a region without zones, no zones",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'region': "
                "'westus'}") END,
     0},
    {"autoscale min 0",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'autoscale': {'min': 0, "
                "'max': 5}}") END,
     0},
    {"autoscale with count inside",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'count': 3, "
                "'autoscale': {'min': 2, 'max': 5, "
                "'target': 0.6}}") END,
     0},
    {"whole numbers written with .0",
     HEAD NODES("  {'id': 'a', 'kind': 'vm', 'count': 2.0, "
                "'concurrency': 8.0}") END,
     0},
    {"p 0 and p 1",
     HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'p': 0},\n"
                          "  {'from': 'a', 'to': 'b', 'p': 1}") END,
     0},
    {"empty edges and groups", HEAD NODES(A) ",\n 'edges': [],\n 'groups': []" END, 0},
    {"no nodes at all", HEAD " 'nodes': []" END, 0},
    {"workload through clients",
     HEAD NODES(USERS ",\n" A) EDGES("  {'from': 'users', "
                                     "'to': 'a'}") WL("{'rps': 50}") END,
     0},
    {"shares that add to 1 in floating point",
     HEAD NODES(A) WL("{'entry': 'a', 'rps': 10, 'operations': [\n  {'name': 'a', 'share': 0.1},\n"
                      "  {'name': 'b', 'share': 0.2},\n  {'name': 'c', 'share': 0.7}]}") END,
     0},
    {"nesting of exactly 16", HEAD " 'deep': [[[[[[[[[[[[[[[1]]]]]]]]]]]]]]],\n" NODES(A) END, 1},
    {"UTF-8 in a label", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'label': 'Zürich — web'}") END, 0},
    {"blank lines before the document", "\n\n  " HEAD NODES(A) END, 0},
};

static void test_good_inputs(void **state)
{
    const azb_catalog *cat = *state;
    azbt_buf report = {0};
    int failures = 0;
    for (size_t i = 0; i < sizeof(good_cases) / sizeof(good_cases[0]); i++) {
        const good_case *c = &good_cases[i];
        azb_errors errs;
        azb_errors_init(&errs);
        azb_design *d = parse_q(c->text, cat, &errs, NULL);
        int warnings = count_kind(&errs, true);
        bool ok = d != NULL && azb_errors_count_errors(&errs) == 0 && warnings == c->warnings;
        if (!ok) {
            azbt_buf_printf(&report,
                            "case \"%s\":\n  expected: loads with %d warning(s)\n  got: %s\n",
                            c->name, c->warnings, d != NULL ? "loaded" : "failed");
            errors_to(&report, &errs);
            failures++;
        }
        azb_design_destroy(d);
        azb_errors_free(&errs);
    }
    finish(&report, failures);
}

/* ------------------------------------------ limits, on generated texts */

/* A design whose 'pad' key (unknown, so kept with a warning) holds a string
 * that brings the whole text to `total` bytes. */
static char *padded_design(size_t total, size_t *len)
{
    char *head = azbt_dq(HEAD NODES(A) ",\n 'pad': '");
    char *tail = azbt_dq("'\n}");
    size_t hl = strlen(head);
    size_t tl = strlen(tail);
    assert_true(total > hl + tl);
    char *text = malloc(total + 1);
    assert_non_null(text);
    memcpy(text, head, hl);
    memset(text + hl, ' ', total - hl - tl);
    memcpy(text + total - tl, tail, tl + 1);
    free(head);
    free(tail);
    *len = total;
    return text;
}

static void test_size_limit(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        size_t bytes;
        bool loads;
    } cases[] = {
        {"exactly 16 MiB", LIMIT_BYTES, true},
        {"16 MiB and one byte", LIMIT_BYTES + 1, false},
        {"17 MiB of spaces in a string", 17u * MIB, false},
    };
    azbt_buf report = {0};
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = 0;
        char *text = padded_design(cases[i].bytes, &len);
        azb_errors errs;
        azb_errors_init(&errs);
        azb_design *d = azb_design_parse(text, len, "t.json", cat, &errs);
        bool ok = false;
        if (cases[i].loads) {
            /* The pad is an unknown key: one warning, no error. */
            ok = d != NULL && count_kind(&errs, true) == 1 && azb_errors_count_errors(&errs) == 0;
            if (!ok) {
                azbt_buf_printf(&report, "case \"%s\":\n  expected: loads\n  got:\n",
                                cases[i].name);
                errors_to(&report, &errs);
            }
        } else {
            ok = d == NULL && check_record(&report, cases[i].name, "t.json", text, len, &errs,
                                           false, "", "larger than 16 MiB", NO_POS, 0);
        }
        failures += ok ? 0 : 1;
        azb_design_destroy(d);
        azb_errors_free(&errs);
        free(text);
    }
    finish(&report, failures);
}

static char *join(const char *dir, const char *name)
{
    azbt_buf b = {0};
    azbt_buf_printf(&b, "%s/%s", dir, name);
    return b.data;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Files in `dir` other than `keep` (NULL: any file counts). */
static int other_files(const char *dir, const char *keep, azbt_buf *names)
{
    DIR *dh = opendir(dir);
    assert_non_null(dh);
    int n = 0;
    for (struct dirent *de = readdir(dh); de != NULL; de = readdir(dh)) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
            (keep != NULL && strcmp(de->d_name, keep) == 0)) {
            continue;
        }
        azbt_buf_printf(names, " %s", de->d_name);
        n++;
    }
    closedir(dh);
    return n;
}

/* The same limit through azb_design_load, which reads the file itself. */
static void test_size_limit_file(void **state)
{
    const azb_catalog *cat = *state;
    char *dir = azbt_tempdir("azbt_design_");
    char *path = join(dir, "big.json");
    size_t len = 0;
    char *text = padded_design(17u * MIB, &len);
    write_file(path, text, len);
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = azb_design_load(path, cat, &errs);
    azbt_buf report = {0};
    bool ok = d == NULL && check_record(&report, "17 MiB file", path, text, len, &errs, false, "",
                                        "larger than 16 MiB", NO_POS, 0);
    azb_design_destroy(d);
    azb_errors_free(&errs);
    free(text);
    azbt_remove_tree(dir);
    free(path);
    free(dir);
    finish(&report, ok ? 0 : 1);
}

/* n nodes "n0".."n{n-1}" of kind vm, then edges i -> (i+1) % n with p. */
static char *ring_design(int n, int nedges, double p)
{
    azbt_buf b = {0};
    azbt_buf_puts(
        &b, "{\"format\": \"azboard/design\", \"version\": 1, \"name\": \"ring\",\n\"nodes\": [\n");
    for (int i = 0; i < n; i++) {
        azbt_buf_printf(&b, "{\"id\": \"n%d\", \"kind\": \"vm\"}%s\n", i, i + 1 < n ? "," : "");
    }
    azbt_buf_puts(&b, "],\n\"edges\": [\n");
    for (int i = 0; i < nedges; i++) {
        azbt_buf_printf(&b, "{\"from\": \"n%d\", \"to\": \"n%d\", \"p\": %g}%s\n", i % n,
                        (i + 1) % n, p, i + 1 < nedges ? "," : "");
    }
    azbt_buf_puts(&b, "]}\n");
    return b.data;
}

static void test_node_and_edge_limits(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        int nodes;
        int edges;
        double p;
        const char *path; /* NULL: must load */
        const char *msg;
        const char *at;
    } cases[] = {
        {"10,000 nodes in a ring of 10,000 edges with p 0.9", 10000, 10000, 0.9, NULL, NULL, NULL},
        {"10,000 nodes in a ring with p 1 loop forever", 10000, 10000, 1.0, "edges[9999]",
         "calls loop without end among n9999, n9998", "{'from': 'n9999'"},
        {"100,000 nodes, the most a design holds", AZB_DESIGN_MAX_NODES, 0, 1.0, NULL, NULL, NULL},
        {"100,001 nodes", AZB_DESIGN_MAX_NODES + 1, 0, 1.0, "nodes",
         "100001 entries; a design holds at most 100000", "'nodes': ^["},
        {"400,001 edges", 2, AZB_DESIGN_MAX_EDGES + 1, 0.0, "edges",
         "400001 entries; a design holds at most 400000", "'edges': ^["},
    };
    azbt_buf report = {0};
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *text = ring_design(cases[i].nodes, cases[i].edges, cases[i].p);
        azb_errors errs;
        azb_errors_init(&errs);
        double t0 = now_s();
        azb_design *d = azb_design_parse(text, strlen(text), "t.json", cat, &errs);
        double dt = now_s() - t0;
        print_message("%s: %.3f s\n", cases[i].name, dt);
        bool ok = false;
        if (cases[i].path == NULL) {
            ok = d != NULL && d->nnodes == cases[i].nodes && d->nedges == cases[i].edges &&
                 errs.count == 0;
            /* References resolve: the last edge closes the ring. */
            if (ok && d->nedges > 0) {
                const azb_edge *e = &d->edges[d->nedges - 1];
                ok = e->from_idx == (d->nedges - 1) % d->nnodes &&
                     e->to_idx == d->nedges % d->nnodes;
            }
            if (!ok) {
                azbt_buf_printf(&report,
                                "case \"%s\":\n  expected: loads, references resolved\n"
                                "  got: %s\n",
                                cases[i].name, d != NULL ? "loaded" : "failed");
                errors_to(&report, &errs);
            }
        } else {
            ok = d == NULL &&
                 check_record(&report, cases[i].name, "t.json", text, strlen(text), &errs, false,
                              cases[i].path, cases[i].msg, cases[i].at, 0);
            if (ok && azb_errors_count_errors(&errs) != 1) {
                azbt_buf_printf(&report, "case \"%s\":\n  expected: one error\n  got:\n",
                                cases[i].name);
                errors_to(&report, &errs);
                ok = false;
            }
        }
        failures += ok ? 0 : 1;
        azb_design_destroy(d);
        azb_errors_free(&errs);
        free(text);
    }
    finish(&report, failures);
}

/* Past AZB_ERRORS_MAX records the list only counts: finding the position of
 * each dropped record in the text would make a file with many mistakes take
 * quadratic time (10,000 bad nodes took 7 s, 100,000 over 10 minutes).
 * These tests assert what is kept and counted, not time (speed belongs to
 * tests/bench); quadratic work would show as the ctest timeout. */
#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer makes every strcmp and malloc slow: fewer keys. */
enum { MANY = 10000, MANY_KEYS = 20000 };
#else
enum { MANY = 10000, MANY_KEYS = 70000 };
#endif

static void test_many_bad_nodes_fail_fast(void **state)
{
    const azb_catalog *cat = *state;
    azbt_buf b = {0};
    azbt_buf_puts(
        &b, "{\"format\": \"azboard/design\", \"version\": 1, \"name\": \"bad\",\n\"nodes\": [\n");
    for (int i = 0; i < MANY; i++) {
        azbt_buf_printf(&b, "{\"id\": \"n%d\", \"kind\": \"vm\", \"count\": 0}%s\n", i,
                        i + 1 < MANY ? "," : "");
    }
    azbt_buf_puts(&b, "]}\n");
    azb_errors errs;
    azb_errors_init(&errs);
    double t0 = now_s();
    azb_design *d = azb_design_parse(b.data, b.len, "t.json", cat, &errs);
    double dt = now_s() - t0;
    print_message("%d bad nodes: %.2f s, %d kept, %d dropped\n", MANY, dt, errs.count,
                  errs.dropped);
    assert_null(d);
    assert_int_equal(errs.count, AZB_ERRORS_MAX);
    assert_int_equal(errs.count + errs.dropped, MANY);
    assert_int_equal(azb_errors_count_errors(&errs), MANY);
    /* The kept ones still carry their positions. */
    assert_string_equal(errs.items[0].path, "nodes[0].count");
    assert_int_equal(errs.items[0].line, 3);
    assert_int_equal(errs.items[AZB_ERRORS_MAX - 1].line, AZB_ERRORS_MAX + 2);
    azb_design_destroy(d);
    azb_errors_free(&errs);
    free(b.data);
}

/* One object with many unknown keys: each is warned about and checked for
 * duplicates. Comparing each key with every key before it is quadratic:
 * 70,000 keys took 7 s (6 minutes with AddressSanitizer), and the 1.4
 * million a 16 MiB file holds would take most of an hour. */
static void test_many_keys_fail_fast(void **state)
{
    const azb_catalog *cat = *state;
    azbt_buf b = {0};
    azbt_buf_puts(&b, "{\"format\": \"azboard/design\", \"version\": 1, \"name\": \"keys\",\n"
                      "\"nodes\": [],\n");
    for (int i = 0; i < MANY_KEYS; i++) {
        azbt_buf_printf(&b, "\"k%d\": %d%s\n", i, i, i + 1 < MANY_KEYS ? "," : "");
    }
    azbt_buf_puts(&b, "}\n");
    azb_errors errs;
    azb_errors_init(&errs);
    double t0 = now_s();
    azb_design *d = azb_design_parse(b.data, b.len, "t.json", cat, &errs);
    double dt = now_s() - t0;
    print_message("%d unknown keys: %.2f s, %d records, %d dropped\n", MANY_KEYS, dt, errs.count,
                  errs.dropped);
    /* Warnings only: the design loads, every key warned about (kept or counted). */
    assert_non_null(d);
    assert_int_equal(azb_errors_count_errors(&errs), 0);
    assert_int_equal(errs.count + errs.dropped, MANY_KEYS);
    assert_int_equal(d->extras.count, MANY_KEYS);
    azb_design_destroy(d);
    azb_errors_free(&errs);
    free(b.data);
}

/* Warnings never fail a load, however many: a file written by a newer
 * azboard with one new key per node must still open. */
static void test_many_warnings_still_load(void **state)
{
    const azb_catalog *cat = *state;
    static const int counts[] = {AZB_ERRORS_MAX - 1, AZB_ERRORS_MAX, AZB_ERRORS_MAX + 1, 300};
    azbt_buf report = {0};
    int failures = 0;
    for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
        azbt_buf b = {0};
        azbt_buf_puts(&b, "{\"format\": \"azboard/design\", \"version\": 1, \"name\": \"new\",\n"
                          "\"nodes\": [\n");
        for (int i = 0; i < counts[c]; i++) {
            azbt_buf_printf(&b, "{\"id\": \"n%d\", \"kind\": \"vm\", \"x_future\": %d}%s\n", i, i,
                            i + 1 < counts[c] ? "," : "");
        }
        azbt_buf_puts(&b, "]}\n");
        azb_errors errs;
        azb_errors_init(&errs);
        azb_design *d = azb_design_parse(b.data, b.len, "t.json", cat, &errs);
        if (d == NULL || azb_errors_count_errors(&errs) != 0 ||
            errs.count + errs.dropped != counts[c]) {
            azbt_buf_printf(&report,
                            "case \"%d nodes with an unknown key\":\n  expected: loads, %d "
                            "warnings, 0 errors\n  got: %s, %d records + %d dropped, %d "
                            "error(s) counted\n",
                            counts[c], counts[c], d != NULL ? "loaded" : "failed", errs.count,
                            errs.dropped, azb_errors_count_errors(&errs));
            failures++;
        } else if (d->nnodes != counts[c] || d->nodes[counts[c] - 1].extras.count != 1) {
            azbt_buf_printf(&report, "case %d: the extra keys were not all kept\n", counts[c]);
            failures++;
        }
        azb_design_destroy(d);
        azb_errors_free(&errs);
        free(b.data);
    }
    finish(&report, failures);
}

/* ---------------------------------------- 2. every error in one report */

static void test_many_errors_reported(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        bool warning;
        const char *path;
        const char *msg;
        const char *at;
        int nth;
    } want[] = {
        {false, "nodes[0].kind", "unknown kind \"vn\"; did you mean vm?", "'vn'", 0},
        {false, "nodes[1].count", "expected a number, got a string", "'4'", 0},
        {false, "nodes[2].zones[1]", "a zone is 1, 2 or 3", "[1, ^4]", 0},
        {false, "nodes[3].id", "duplicate id \"api\" (also nodes[1])", "'api'", 1},
        {true, "nodes[3].colour", "unknown key \"colour\", kept as is", "'red'", 0},
        {false, "edges[0].to", "no node has id \"ghost\"", "'ghost'", 0},
        {false, "edges[1].p", "must be within [0, 1], got 1.2", "1.2", 0},
        {false, "workload.profile", "missing required key \"to_rps\"", "'profile': ^{", 0},
        {false, "workload.profile", "missing required key \"duration_s\"", "'profile': ^{", 0},
        {false, "workload.operations", "operation shares add up to 0.8, not 1", "'operations': ^[",
         0},
    };
    size_t len = 0;
    char *text = read_fixture("many_errors.json", &len);
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = azb_design_parse(text, len, "many_errors.json", cat, &errs);
    assert_null(d);
    azbt_buf report = {0};
    int failures = 0;
    int nerrors = 0;
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        nerrors += want[i].warning ? 0 : 1;
        if (!check_record(&report, want[i].path, "many_errors.json", text, len, &errs,
                          want[i].warning, want[i].path, want[i].msg, want[i].at, want[i].nth)) {
            failures++;
        }
    }
    if (azb_errors_count_errors(&errs) != nerrors || count_kind(&errs, true) != 1) {
        azbt_buf_printf(&report, "expected: exactly %d errors and 1 warning\ngot:\n", nerrors);
        errors_to(&report, &errs);
        failures++;
    }
    azb_errors_free(&errs);
    free(text);
    finish(&report, failures);
}

/* The whole line, as a person sees it: FILE:LINE:COL: JSON-PATH: message. */
static void test_error_line_format(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        const char *text;
        const char *want; /* the formatted first record */
    } cases[] = {
        {"error",
         "{\n  'format': 'azboard/design',\n  'version': 1,\n  'name': 't',\n"
         "  'nodes': [{'id': 'a', 'kind': 'vm', 'count': '4'}]\n}",
         "t.json:5:48: nodes[0].count: expected a number, got a string"},
        {"warning",
         "{\n  'format': 'azboard/design',\n  'version': 1,\n  'name': 't',\n"
         "  'nodes': [],\n  'colour': 'red'\n}",
         "t.json:6:13: colour: warning: unknown key \"colour\", kept as is"},
        {"no path", "{\n  'format': 'azboard/design'\n  'version': 1\n}",
         "t.json:3:3: malformed JSON near '\"version\": 1': a comma is missing before it"},
        {"column counts characters",
         "{'format': 'azboard/design', 'version': 1, 'name': 'é',\n"
         " 'nodes': [], 'description': 'ü', 'prompt': 3}",
         "t.json:2:45: prompt: expected a string, got a number"},
        {"scenarios: not an array",
         "{'format': 'azboard/design', 'version': 1, 'name': 't', 'nodes': [],\n"
         " 'scenarios': 'zone-outage'}",
         "t.json:2:15: scenarios: expected an array of scenario names, got a string"},
        {"scenarios: a path is not a name",
         "{'format': 'azboard/design', 'version': 1, 'name': 't', 'nodes': [],\n"
         " 'scenarios': ['ok', 'drills/zone.json']}",
         "t.json:2:22: scenarios[1]: a scenario name is the file's name without .json: lower "
         "case, digits, '-' and '_', 1 to 63 bytes (got that)"},
        {"scenarios: twice",
         "{'format': 'azboard/design', 'version': 1, 'name': 't', 'nodes': [],\n"
         " 'scenarios': ['spike', 'spike']}",
         "t.json:2:25: scenarios[1]: scenario \"spike\" is listed twice"},
    };
    azbt_buf report = {0};
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        azb_errors errs;
        azb_errors_init(&errs);
        azb_design *d = parse_q(cases[i].text, cat, &errs, NULL);
        char got[1024] = "(no record)";
        if (errs.count > 0) {
            azb_error_format(&errs.items[0], got, sizeof(got));
        }
        if (strcmp(got, cases[i].want) != 0) {
            azbt_buf_printf(&report, "case \"%s\":\n  expected: %s\n  got:      %s\n",
                            cases[i].name, cases[i].want, got);
            failures++;
        }
        azb_design_destroy(d);
        azb_errors_free(&errs);
    }
    finish(&report, failures);
}

/* ------------------------------------------------------- 3. round trip */

static void test_round_trip_fixtures(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        const char *in;
        const char *want; /* the canonical text it must give */
        int warnings;
    } cases[] = {
        {"canonical: every key", "full.json", "full.json", 0},
        {"canonical: the worked example", "three_tier.json", "three_tier.json", 0},
        {"canonical: the least there is", "minimal.json", "minimal.json", 0},
        {"canonical: unknown keys everywhere", "unknown_keys.json", "unknown_keys.json", 10},
        {"keys out of order, tabs, one line", "messy.json", "full.json", 0},
    };
    azbt_buf report = {0};
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        azb_errors errs;
        azb_errors_init(&errs);
        azb_design *d = load_fixture(cat, cases[i].in, &errs);
        char *want = read_fixture(cases[i].want, NULL);
        char *got = azb_design_to_json(d);
        assert_non_null(got);
        bool ok = strcmp(want, got) == 0 && count_kind(&errs, true) == cases[i].warnings;
        if (!ok) {
            azbt_buf_printf(&report, "case \"%s\" (%s -> %s), %d warning(s) expected:\n",
                            cases[i].name, cases[i].in, cases[i].want, cases[i].warnings);
            errors_to(&report, &errs);
            diff_to(&report, want, got);
            failures++;
        }
        /* Canonical text is a fixed point: it loads again to the same text. */
        azb_errors errs2;
        azb_errors_init(&errs2);
        azb_design *d2 = azb_design_parse(got, strlen(got), "again.json", cat, &errs2);
        char *again = d2 != NULL ? azb_design_to_json(d2) : NULL;
        if (again == NULL || strcmp(again, got) != 0) {
            azbt_buf_printf(&report, "case \"%s\": its canonical text does not reload to itself\n",
                            cases[i].name);
            errors_to(&report, &errs2);
            failures++;
        }
        free(again);
        azb_design_destroy(d2);
        azb_errors_free(&errs2);
        free(got);
        free(want);
        azb_design_destroy(d);
        azb_errors_free(&errs);
    }
    finish(&report, failures);
}

/* Unknown keys are kept (nested values too) and each gives a warning, at its
 * path and position, never an error. */
static void test_unknown_keys_warn(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *path;
        const char *at;
    } want[] = {
        {"nodes[0].x_owner", "'x_owner': ^{"},
        {"nodes[1].hit_ratio", "'hit_ratio': ^0.5"}, /* a setting of another kind */
        {"edges[0].x_retry", "'x_retry': ^{"},
        {"groups[0].x_colour", "'x_colour': ^'"},
        {"workload.profile.x_why", "'x_why': ^["},
        {"workload.profile.to_rps", "'to_rps': ^5"}, /* a key of another profile type */
        {"workload.operations[0].x_slo_ms", "'x_slo_ms': ^["},
        {"workload.x_source", "'x_source': ^'"},
        {"x_editor", "'x_editor': ^{"},
        {"x_tags", "'x_tags': ^["},
    };
    size_t len = 0;
    char *text = read_fixture("unknown_keys.json", &len);
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = azb_design_parse(text, len, "unknown_keys.json", cat, &errs);
    azbt_buf report = {0};
    int failures = 0;
    if (d == NULL || azb_errors_count_errors(&errs) != 0) {
        azbt_buf_printf(&report, "expected: loads with warnings only\ngot:\n");
        errors_to(&report, &errs);
        failures++;
    }
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        char msg[96];
        const char *key = strrchr(want[i].path, '.');
        snprintf(msg, sizeof(msg), "unknown key \"%s\", kept as is",
                 key != NULL ? key + 1 : want[i].path);
        if (!check_record(&report, want[i].path, "unknown_keys.json", text, len, &errs, true,
                          want[i].path, msg, want[i].at, 0)) {
            failures++;
        }
    }
    /* The values are kept whole, nested objects and arrays included. */
    if (d != NULL) {
        assert_int_equal(d->nodes[0].extras.count, 1);
        assert_string_equal(d->nodes[0].extras.items[0].key, "x_owner");
        assert_string_equal(
            d->nodes[0].extras.items[0].json,
            "{\"team\":\"web\",\"oncall\":[\"ana\",\"bo\"],\"since\":{\"year\":2024}}");
    }
    azb_design_destroy(d);
    azb_errors_free(&errs);
    free(text);
    finish(&report, failures);
}

/* Unknown keys inside autoscale are neither errors nor kept: they must at
 * least be warned about, as everywhere else ("never silently dropped"). */
static void test_unknown_key_in_autoscale(void **state)
{
    const azb_catalog *cat = *state;
    azb_errors errs;
    azb_errors_init(&errs);
    char *text = NULL;
    azb_design *d = parse_q(HEAD NODES("  {'id': 'a', 'kind': 'vm', 'autoscale': {'min': 1, "
                                       "'max': 4, 'cooldown_s': 300}}") END,
                            cat, &errs, &text);
    azbt_buf report = {0};
    bool warned =
        check_record(&report, "unknown key in autoscale", "t.json", text, strlen(text), &errs, true,
                     "nodes[0].autoscale.cooldown_s", "unknown key \"cooldown_s\"", "300", 0);
    bool failed = d == NULL &&
                  find_record(&errs, false, "nodes[0].autoscale.cooldown_s", "unknown key") != NULL;
    azb_design_destroy(d);
    azb_errors_free(&errs);
    free(text);
    finish(&report, warned || failed ? 0 : 1);
}

/* Optional keys that were absent stay absent; pairs are not completed. A
 * lone half of a pair (x without y) may instead be refused by the loader,
 * at that key: either keeps a file from changing on its own. */
static void test_absent_keys_stay_absent(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        const char *text;
        const char *absent; /* keys (single-quoted, space-separated) not in the output */
        const char *refuse; /* or the loader may refuse the file at this path */
    } cases[] = {
        {"a bare node", HEAD NODES(A) END,
         "'label' 'sku' 'count' 'region' 'zones' 'x' 'y' 'service_ms' 'service_dist' 'cv' "
         "'concurrency' 'balancing' 'autoscale' 'queue_limit' 'edges' 'groups' 'workload' "
         "'description' 'prompt'",
         NULL},
        {"a bare edge", HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b'}") END,
         "'p' 'calls' 'mode' 'request_kb' 'response_kb' 'on' 'ops' 'label' 'timeout_ms' "
         "'retries' 'backoff_ms' 'backoff_multiplier' 'jitter'",
         NULL},
        {"an edge with retries only",
         HEAD NODES(AB) EDGES("  {'from': 'a', 'to': 'b', 'retries': 2}") END,
         "'timeout_ms' 'backoff_ms' 'backoff_multiplier' 'jitter'", NULL},
        {"a bare workload",
         HEAD NODES(A) WL("{'entry': 'a', 'rps': 5, 'operations': "
                          "[{'name': 'GET /', 'share': 1}]}") END,
         "'profile' 'request_kb' 'response_kb' 'write' 'tokens_in' 'tokens_out'", NULL},
        {"a bare group",
         HEAD NODES(A) GROUPS("  {'id': 'g', 'kind': 'region', 'region': "
                              "'eastus'}") END,
         "'zone' 'label' 'x' 'y' 'w' 'h'", NULL},
        {"node with x only", HEAD NODES("  {'id': 'a', 'kind': 'vm', 'x': 10}") END, "'y'",
         "nodes[0].x"},
        {"group with w only",
         HEAD NODES(A) GROUPS("  {'id': 'g', 'kind': 'region', 'region': "
                              "'eastus', 'w': 100}") END,
         "'h' 'x' 'y'", "groups[0].w"},
        {"operation with tokens_in only",
         HEAD NODES(A) WL("{'entry': 'a', 'rps': 5, "
                          "'operations': [{'name': 'ask', "
                          "'share': 1, 'tokens_in': 500}]}") END,
         "'tokens_out'", "workload.operations[0].tokens_in"},
        {"diurnal without period_s",
         HEAD NODES(A) PROFILE("{'type': 'diurnal', 'trough_rps': 10, "
                               "'peak_rps': 90}") END,
         "'period_s'", NULL},
        {"autoscale without target",
         HEAD NODES("  {'id': 'a', 'kind': 'vm', 'autoscale': "
                    "{'min': 1, 'max': 3}}") END,
         "'target'", NULL},
        {"redis without hit_ratio", HEAD NODES("  {'id': 'c', 'kind': 'redis'}") END, "'hit_ratio'",
         NULL},
    };
    azbt_buf report = {0};
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        azb_errors errs;
        azb_errors_init(&errs);
        azb_design *d = parse_q(cases[i].text, cat, &errs, NULL);
        if (d == NULL && cases[i].refuse != NULL &&
            find_record(&errs, false, cases[i].refuse, "") != NULL) {
            azb_errors_free(&errs);
            continue;
        }
        if (d == NULL) {
            azbt_buf_printf(&report, "case \"%s\": does not load\n", cases[i].name);
            errors_to(&report, &errs);
            failures++;
            azb_errors_free(&errs);
            continue;
        }
        char *out = azb_design_to_json(d);
        assert_non_null(out);
        char *absent = azbt_dq(cases[i].absent);
        for (char *key = strtok(absent, " "); key != NULL; key = strtok(NULL, " ")) {
            char needle[64];
            snprintf(needle, sizeof(needle), "%s:", key);
            if (strstr(out, needle) != NULL) {
                azbt_buf_printf(&report,
                                "case \"%s\":\n  expected: no %s in the output\n  got:\n%s",
                                cases[i].name, key, out);
                failures++;
            }
        }
        free(absent);
        free(out);
        azb_design_destroy(d);
        azb_errors_free(&errs);
    }
    finish(&report, failures);
}

/* ------------------------------------------------ 4. saving atomically */

static void test_save(void **state)
{
    const azb_catalog *cat = *state;
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = load_fixture(cat, "three_tier.json", &errs);
    char *want = azb_design_to_json(d);
    assert_non_null(want);
    char *dir = azbt_tempdir("azbt_design_");
    azbt_buf names = {0};

    /* A new file: exactly the canonical text, nothing else in the folder. */
    char *path = join(dir, "design.json");
    assert_true(azb_design_save(d, path, &errs));
    size_t len = 0;
    char *got = azbt_read(path, &len);
    assert_string_equal(got, want);
    assert_int_equal(len, strlen(want));
    free(got);
    if (other_files(dir, "design.json", &names) != 0) {
        fail_msg("expected: no temporary file left\ngot:%s", names.data);
    }

    /* Over an existing file: replaced, its permissions kept. */
    const char old[] = "{\"old\": true}\n";
    write_file(path, old, sizeof(old) - 1);
    assert_int_equal(chmod(path, 0600), 0);
    assert_true(azb_design_save(d, path, &errs));
    got = azbt_read(path, NULL);
    assert_string_equal(got, want);
    free(got);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(errs.count, 0);

    /* Into a folder that does not exist: an error naming the path. */
    char *missing = join(dir, "no/such/dir/design.json");
    assert_false(azb_design_save(d, missing, &errs));
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].file, missing);
    assert_int_equal(errs.items[0].line, 0);
    assert_non_null(strstr(errs.items[0].message, "cannot create a temporary file"));
    azb_errors_clear(&errs);
    free(missing);

    /* Over a path that is a folder (the rename fails after the temporary
     * file was written): error, and the temporary file is gone. */
    char *sub = join(dir, "taken.json");
    assert_int_equal(mkdir(sub, 0700), 0);
    char *inside = join(sub, "keep");
    write_file(inside, "x", 1);
    assert_false(azb_design_save(d, sub, &errs));
    assert_int_equal(errs.count, 1);
    assert_non_null(strstr(errs.items[0].message, "write failed, file left as it was"));
    azb_errors_clear(&errs);
    azbt_buf_puts(&names, "");
    names.len = 0;
    int n = other_files(dir, NULL, &names);
    if (n != 2) {
        fail_msg("expected: design.json and taken.json only\ngot:%s", names.data);
    }
    free(inside);
    free(sub);

    /* Into a read-only folder: fails, the old bytes stay. Root writes
     * anywhere, so there this part cannot be checked. */
    char *ro = join(dir, "ro");
    assert_int_equal(mkdir(ro, 0700), 0);
    char *ro_path = join(ro, "design.json");
    write_file(ro_path, old, sizeof(old) - 1);
    assert_int_equal(chmod(ro, 0500), 0);
    if (access(ro, W_OK) == 0) {
        print_message("running as root: the read-only folder case is not checked\n");
    } else {
        assert_false(azb_design_save(d, ro_path, &errs));
        assert_int_equal(errs.count, 1);
        got = azbt_read(ro_path, &len);
        assert_int_equal(len, sizeof(old) - 1);
        assert_memory_equal(got, old, len);
        free(got);
        names.len = 0;
        if (other_files(ro, "design.json", &names) != 0) {
            fail_msg("expected: no temporary file left\ngot:%s", names.data);
        }
        azb_errors_clear(&errs);
    }
    chmod(ro, 0700);
    free(ro_path);
    free(ro);

    /* Nonsense: an empty path. */
    assert_false(azb_design_save(d, "", &errs));
    assert_true(azb_errors_count_errors(&errs) >= 1);

    free(names.data);
    azbt_remove_tree(dir);
    free(dir);
    free(path);
    free(want);
    azb_design_destroy(d);
    azb_errors_free(&errs);
}

/* --------------------------------------- 5. clone, validate in memory */

static void test_clone(void **state)
{
    const azb_catalog *cat = *state;
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = load_fixture(cat, "unknown_keys.json", &errs);
    azb_design *c = azb_design_clone(d);
    assert_non_null(c);
    char *a = azb_design_to_json(d);
    char *b = azb_design_to_json(c);
    assert_string_equal(a, b);

    /* Change everything the clone owns; the original must not move. */
    snprintf(c->name, sizeof(c->name), "changed");
    snprintf(c->nodes[0].id, sizeof(c->nodes[0].id), "zz");
    c->nodes[0].count = 99;
    for (int i = 0; i < c->nnodes; i++) {
        for (int k = 0; k < c->nodes[i].nsettings; k++) {
            c->nodes[i].settings[k].num = 0.123;
            snprintf(c->nodes[i].settings[k].str, sizeof(c->nodes[i].settings[k].str), "zz");
        }
        for (int k = 0; k < c->nodes[i].extras.count; k++) {
            /* Still valid JSON, so the clone prints. */
            c->nodes[i].extras.items[k].json[0] = '1';
            c->nodes[i].extras.items[k].json[1] = '\0';
            c->nodes[i].extras.items[k].key[0] = 'Z';
        }
    }
    for (int i = 0; i < c->nedges; i++) {
        c->edges[i].p = 0.25;
        for (int k = 0; k < c->edges[i].nops; k++) {
            c->edges[i].ops[k][0] = 'Z';
        }
        for (int k = 0; k < c->edges[i].extras.count; k++) {
            c->edges[i].extras.items[k].key[0] = 'Z';
        }
    }
    for (int i = 0; i < c->ngroups; i++) {
        c->groups[i].id[0] = 'Z';
        for (int k = 0; k < c->groups[i].extras.count; k++) {
            c->groups[i].extras.items[k].key[0] = 'Z';
        }
    }
    for (int i = 0; i < c->workload.nops; i++) {
        c->workload.ops[i].name[0] = 'Z';
        for (int k = 0; k < c->workload.ops[i].extras.count; k++) {
            c->workload.ops[i].extras.items[k].key[0] = 'Z';
        }
    }
    for (int i = 0; i < c->workload.profile.npoints; i++) {
        c->workload.profile.points[i][1] = 1234.0;
    }
    for (int k = 0; k < c->workload.profile.extras.count; k++) {
        c->workload.profile.extras.items[k].key[0] = 'Z';
    }
    for (int k = 0; k < c->workload.extras.count; k++) {
        c->workload.extras.items[k].key[0] = 'Z';
    }
    for (int k = 0; k < c->extras.count; k++) {
        c->extras.items[k].key[0] = 'Z';
    }
    char *after = azb_design_to_json(d);
    if (strcmp(a, after) != 0) {
        azbt_buf r = {0};
        diff_to(&r, a, after);
        fail_msg("expected: the original unchanged by edits to its clone\n%s", r.data);
    }
    char *cb = azb_design_to_json(c);
    assert_string_not_equal(a, cb);
    azb_design_destroy(d);
    /* The clone outlives its original. */
    free(cb);
    cb = azb_design_to_json(c);
    assert_non_null(cb);

    /* A piecewise profile's points are copied too. */
    azb_design *p = parse_q(HEAD NODES(A) PROFILE("{'type': 'piecewise', 'points': "
                                                  "[[0, 1], [10, 2]]}") END,
                            cat, &errs, NULL);
    assert_non_null(p);
    azb_design *pc = azb_design_clone(p);
    assert_non_null(pc);
    pc->workload.profile.points[1][1] = 7.0;
    assert_true(p->workload.profile.points[1][1] == 2.0);
    azb_design_destroy(pc);
    azb_design_destroy(p);

    /* An empty design clones. */
    azb_design *e = azb_design_create("empty");
    azb_design *ec = azb_design_clone(e);
    assert_non_null(ec);
    assert_string_equal(ec->name, "empty");
    assert_int_equal(ec->nnodes, 0);
    azb_design_destroy(ec);
    azb_design_destroy(e);

    free(cb);
    free(after);
    free(a);
    free(b);
    azb_design_destroy(c);
    azb_errors_free(&errs);
}

/* Edits made in memory (as the whiteboard makes them), then validate. */
typedef void (*edit_fn)(azb_design *d);

/* three_tier.json: nodes users, gateway, web (vm), cache (redis), db. */
enum { WEB = 2 };

static void edit_kind_nope(azb_design *d)
{
    snprintf(d->nodes[0].kind, sizeof(d->nodes[0].kind), "nope");
}
static void edit_sku(azb_design *d)
{
    snprintf(d->nodes[WEB].sku, sizeof(d->nodes[WEB].sku), "Standard_D3s_v9");
    d->nodes[WEB].has |= AZB_HAS_SKU;
}
static void edit_region(azb_design *d)
{
    snprintf(d->nodes[WEB].region, sizeof(d->nodes[WEB].region), "eastuss");
}
static void edit_edge_to(azb_design *d)
{
    snprintf(d->edges[0].to, sizeof(d->edges[0].to), "ghost");
}
static void edit_dup_id(azb_design *d)
{
    snprintf(d->nodes[WEB].id, sizeof(d->nodes[WEB].id), "%s", d->nodes[0].id);
}
static void edit_loop(azb_design *d)
{
    /* The last edge (web -> db) now goes back to the gateway, twice a
     * visit: gateway -> web -> gateway never ends. */
    azb_edge *e = &d->edges[d->nedges - 1];
    snprintf(e->to, sizeof(e->to), "gateway");
    e->p = 1.0;
    e->calls = 2.0;
    e->on = AZB_ON_ALWAYS;
}
static void edit_count_0(azb_design *d)
{
    d->nodes[WEB].count = 0;
}
static void edit_p_big(azb_design *d)
{
    d->edges[0].p = 1.5;
    d->edges[0].has |= AZB_HAS_P;
}
static void edit_p_nan(azb_design *d)
{
    d->edges[0].p = NAN;
    d->edges[0].has |= AZB_HAS_P;
}
static void edit_service_neg(azb_design *d)
{
    d->nodes[WEB].service_ms = -5.0;
    d->nodes[WEB].has |= AZB_HAS_SERVICE_MS;
}
static void edit_zone_4(azb_design *d)
{
    d->nodes[WEB].zones[0] = 4;
}
static void edit_hit_ratio(azb_design *d)
{
    for (int i = 0; i < d->nnodes; i++) {
        for (int k = 0; k < d->nodes[i].nsettings; k++) {
            if (strcmp(d->nodes[i].settings[k].name, "hit_ratio") == 0) {
                d->nodes[i].settings[k].num = 1.5;
            }
        }
    }
}
static void edit_empty_kind(azb_design *d)
{
    d->nodes[WEB].kind[0] = '\0';
}
static void edit_empty_from(azb_design *d)
{
    d->edges[0].from[0] = '\0';
}
static void edit_rps_0(azb_design *d)
{
    d->workload.rps = 0.0;
}
static void edit_shares(azb_design *d)
{
    d->workload.ops[0].share = 0.1;
}
static void edit_autoscale(azb_design *d)
{
    /* No count, so only min > max is wrong. */
    d->nodes[WEB].autoscale.min = 9;
    d->nodes[WEB].autoscale.max = 3;
    d->nodes[WEB].has &= ~(unsigned)AZB_HAS_COUNT;
}

static void edit_retries_neg(azb_design *d)
{
    d->edges[0].retries = -1;
    d->edges[0].has |= AZB_HAS_RETRIES;
}
static void edit_backoff_mult(azb_design *d)
{
    d->edges[0].backoff_mult = 0.5;
    d->edges[0].has |= AZB_HAS_BACKOFF_MULT;
}
static void edit_timeout_0(azb_design *d)
{
    d->edges[0].timeout_ms = 0.0;
    d->edges[0].has |= AZB_HAS_TIMEOUT;
}
static void edit_queue_limit(azb_design *d)
{
    d->nodes[WEB].queue_limit = -3;
    d->nodes[WEB].has |= AZB_HAS_QUEUE_LIMIT;
}

static void test_validate_in_memory(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        edit_fn edit;
        const char *path;
        const char *msg;
    } cases[] = {
        {"kind nope", edit_kind_nope, "nodes[0].kind", "unknown kind \"nope\""},
        {"unknown SKU", edit_sku, "nodes[2].sku", "unknown SKU \"Standard_D3s_v9\" for kind vm"},
        {"unknown region", edit_region, "nodes[2].region", "unknown region \"eastuss\""},
        {"edge to a missing node", edit_edge_to, "edges[0].to", "no node has id \"ghost\""},
        {"duplicate id", edit_dup_id, "nodes[2].id", "duplicate id"},
        {"a loop", edit_loop, "", "calls loop without end"},
        {"shares", edit_shares, "workload.operations", "operation shares add up to"},
        /* Values the loader checks; a design that validates must save to a
         * file that loads, so validate must catch them too. */
        {"count 0", edit_count_0, "nodes[2].count", ""},
        {"p 1.5", edit_p_big, "edges[0].p", "must be within [0, 1]"},
        {"p NaN", edit_p_nan, "edges[0].p", "not finite"},
        {"service_ms -5", edit_service_neg, "nodes[2].service_ms", "must be greater than 0"},
        {"zone 4", edit_zone_4, "nodes[2].zones", ""},
        {"hit_ratio 1.5", edit_hit_ratio, "", "hit_ratio must be within [0, 1]"},
        {"empty kind", edit_empty_kind, "nodes[2].kind", ""},
        {"empty from", edit_empty_from, "edges[0].from", ""},
        {"rps 0", edit_rps_0, "workload.rps", "must be greater than 0"},
        {"autoscale min above max", edit_autoscale, "nodes[2].autoscale.min", "larger than max"},
        {"retries -1", edit_retries_neg, "edges[0].retries", ""},
        {"backoff_multiplier 0.5", edit_backoff_mult, "edges[0].backoff_multiplier", "at least 1"},
        {"timeout_ms 0", edit_timeout_0, "edges[0].timeout_ms", "must be greater than 0"},
        {"queue_limit -3", edit_queue_limit, "nodes[2].queue_limit", ""},
    };
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *base = load_fixture(cat, "three_tier.json", &errs);
    assert_true(azb_design_validate(base, cat, &errs));
    assert_int_equal(errs.count, 0);
    azbt_buf report = {0};
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        azb_design *d = azb_design_clone(base);
        assert_non_null(d);
        cases[i].edit(d);
        azb_errors_clear(&errs);
        bool valid = azb_design_validate(d, cat, &errs);
        const azb_error *e = NULL;
        for (int k = 0; k < errs.count && e == NULL; k++) {
            const azb_error *r = &errs.items[k];
            bool path_ok = cases[i].path[0] == '\0' || strcmp(r->path, cases[i].path) == 0;
            if (!r->warning && path_ok && strstr(r->message, cases[i].msg) != NULL) {
                e = r;
            }
        }
        /* No text, so no position and no file. */
        bool ok = !valid && e != NULL && e->line == 0 && e->col == 0 && e->file[0] == '\0';
        if (!ok) {
            char *text = azb_design_to_json(d);
            azb_errors reload;
            azb_errors_init(&reload);
            azb_design *r = text != NULL
                                ? azb_design_parse(text, strlen(text), "saved.json", cat, &reload)
                                : NULL;
            azbt_buf_printf(&report,
                            "case \"%s\":\n  expected: invalid, %s: ...%s... (no position)\n"
                            "  got: %s\n",
                            cases[i].name, cases[i].path, cases[i].msg,
                            valid ? "valid" : "invalid");
            errors_to(&report, &errs);
            if (valid) {
                azbt_buf_printf(&report, "  and saved, it %s:\n",
                                r != NULL ? "loads" : "no longer loads");
                errors_to(&report, &reload);
            }
            azb_design_destroy(r);
            azb_errors_free(&reload);
            free(text);
            failures++;
        }
        azb_design_destroy(d);
    }
    azb_design_destroy(base);
    azb_errors_free(&errs);
    finish(&report, failures);
}

/* ------------------------------------------------------- 6. profiles */

#define PW(x) HEAD NODES(A) WL("{'entry': 'a', 'rps': 100" x "}") END

static void test_profiles(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        const char *text;
        double t;
        double rate;    /* azb_profile_rate(w, t) */
        double average; /* azb_profile_average(w) */
    } cases[] = {
        /* No profile, or constant: the workload's rps at every t. */
        {"none", PW(""), 1234.0, 100.0, 100.0},
        {"constant", PW(", 'profile': {'type': 'constant'}"), 5.0, 100.0, 100.0},
        /* Ramp 100 -> 300 over 60 s: 100 + (300 - 100) * t / 60.
         * t = 30: 100 + 200 * 0.5 = 200; t = 15: 100 + 200 * 0.25 = 150;
         * before 0 it is 100, after 60 it stays 300; average (100 + 300) / 2 = 200. */
        {"ramp at 30 s",
         PW(", 'profile': {'type': 'ramp', 'from_rps': 100, 'to_rps': 300, "
            "'duration_s': 60}"),
         30.0, 200.0, 200.0},
        {"ramp at 15 s",
         PW(", 'profile': {'type': 'ramp', 'from_rps': 100, 'to_rps': 300, "
            "'duration_s': 60}"),
         15.0, 150.0, 200.0},
        {"ramp before 0",
         PW(", 'profile': {'type': 'ramp', 'from_rps': 100, 'to_rps': 300, "
            "'duration_s': 60}"),
         -5.0, 100.0, 200.0},
        {"ramp after its end",
         PW(", 'profile': {'type': 'ramp', 'from_rps': 100, 'to_rps': 300, "
            "'duration_s': 60}"),
         600.0, 300.0, 200.0},
        {"ramp down",
         PW(", 'profile': {'type': 'ramp', 'from_rps': 400, 'to_rps': 0, "
            "'duration_s': 100}"),
         25.0, 300.0, 200.0},
        /* Spike: base 100, peak 500 from 10 s for 5 s, over 60 s.
         * Inside [10, 15) it is 500, else 100. Average over 60 s:
         * (100 * 55 + 500 * 5) / 60 = (5500 + 2500) / 60 = 133.33... */
        {"spike before",
         PW(", 'profile': {'type': 'spike', 'base_rps': 100, 'peak_rps': 500, "
            "'start_s': 10, 'length_s': 5, 'duration_s': 60}"),
         9.5, 100.0, 8000.0 / 60.0},
        {"spike at its start",
         PW(", 'profile': {'type': 'spike', 'base_rps': 100, "
            "'peak_rps': 500, 'start_s': 10, 'length_s': 5, "
            "'duration_s': 60}"),
         10.0, 500.0, 8000.0 / 60.0},
        {"spike inside",
         PW(", 'profile': {'type': 'spike', 'base_rps': 100, 'peak_rps': 500, "
            "'start_s': 10, 'length_s': 5, 'duration_s': 60}"),
         14.9, 500.0, 8000.0 / 60.0},
        {"spike at its end",
         PW(", 'profile': {'type': 'spike', 'base_rps': 100, "
            "'peak_rps': 500, 'start_s': 10, 'length_s': 5, "
            "'duration_s': 60}"),
         15.0, 100.0, 8000.0 / 60.0},
        /* Without duration_s the span ends with the spike, 10 + 5 = 15 s:
         * (100 * 10 + 500 * 5) / 15 = 3500 / 15 = 233.33... */
        {"spike without duration",
         PW(", 'profile': {'type': 'spike', 'base_rps': 100, "
            "'peak_rps': 500, 'start_s': 10, 'length_s': 5}"),
         12.0, 500.0, 3500.0 / 15.0},
        /* Diurnal, trough 100 at t = 0 and peak 300 at half the period:
         * 100 + 200 * (1 - cos(2 pi t / 86400)) / 2. t = 21600 (a quarter):
         * cos(pi / 2) = 0, so 100 + 200 * 0.5 = 200; t = 43200: cos(pi) = -1,
         * so 300. The average of the sinusoid is (100 + 300) / 2 = 200. */
        {"diurnal at 0",
         PW(", 'profile': {'type': 'diurnal', 'trough_rps': 100, "
            "'peak_rps': 300}"),
         0.0, 100.0, 200.0},
        {"diurnal at a quarter",
         PW(", 'profile': {'type': 'diurnal', 'trough_rps': 100, "
            "'peak_rps': 300}"),
         21600.0, 200.0, 200.0},
        {"diurnal at noon",
         PW(", 'profile': {'type': 'diurnal', 'trough_rps': 100, "
            "'peak_rps': 300}"),
         43200.0, 300.0, 200.0},
        /* Period 3600 s: at t = 1800 + 3600 (the next hour's peak) it is 300. */
        {"diurnal hourly",
         PW(", 'profile': {'type': 'diurnal', 'trough_rps': 100, "
            "'peak_rps': 300, 'period_s': 3600}"),
         5400.0, 300.0, 200.0},
        /* Piecewise (0, 100) (10, 200) (30, 200) (40, 0), linear between.
         * t = 5: 100 + (200 - 100) * 5 / 10 = 150; t = 35: 200 + (0 - 200) * 5 / 10
         * = 100; before the first point 100, after the last 0. Average: the
         * trapezoids 10 * (100 + 200) / 2 + 20 * 200 + 10 * (200 + 0) / 2
         * = 1500 + 4000 + 1000 = 6500 over 40 s = 162.5. */
        {"piecewise at 5",
         PW(", 'profile': {'type': 'piecewise', 'points': [[0, 100], "
            "[10, 200], [30, 200], [40, 0]]}"),
         5.0, 150.0, 162.5},
        {"piecewise at 20",
         PW(", 'profile': {'type': 'piecewise', 'points': [[0, 100], "
            "[10, 200], [30, 200], [40, 0]]}"),
         20.0, 200.0, 162.5},
        {"piecewise at 35",
         PW(", 'profile': {'type': 'piecewise', 'points': [[0, 100], "
            "[10, 200], [30, 200], [40, 0]]}"),
         35.0, 100.0, 162.5},
        {"piecewise on a point",
         PW(", 'profile': {'type': 'piecewise', 'points': [[0, 100], "
            "[10, 200], [30, 200], [40, 0]]}"),
         10.0, 200.0, 162.5},
        {"piecewise before",
         PW(", 'profile': {'type': 'piecewise', 'points': [[0, 100], "
            "[10, 200], [30, 200], [40, 0]]}"),
         -1.0, 100.0, 162.5},
        {"piecewise after",
         PW(", 'profile': {'type': 'piecewise', 'points': [[0, 100], "
            "[10, 200], [30, 200], [40, 0]]}"),
         100.0, 0.0, 162.5},
        /* Starting later than 0: span 20 .. 30, (50 + 150) / 2 = 100 on average;
         * at 25: 50 + 100 * 5 / 10 = 100. */
        {"piecewise starting at 20",
         PW(", 'profile': {'type': 'piecewise', 'points': [[20, 50], "
            "[30, 150]]}"),
         25.0, 100.0, 100.0},
    };
    azbt_buf report = {0};
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        azb_errors errs;
        azb_errors_init(&errs);
        azb_design *d = parse_q(cases[i].text, cat, &errs, NULL);
        if (d == NULL) {
            azbt_buf_printf(&report, "case \"%s\": does not load\n", cases[i].name);
            errors_to(&report, &errs);
            failures++;
            azb_errors_free(&errs);
            continue;
        }
        double rate = azb_profile_rate(&d->workload, cases[i].t);
        double avg = azb_profile_average(&d->workload);
        double tol = 1e-9 * fmax(1.0, fabs(cases[i].rate));
        double tola = 1e-9 * fmax(1.0, fabs(cases[i].average));
        if (!(fabs(rate - cases[i].rate) <= tol) || !(fabs(avg - cases[i].average) <= tola)) {
            azbt_buf_printf(&report,
                            "case \"%s\":\n  expected: rate(%g) = %.9g, average = %.9g\n"
                            "  got:      rate(%g) = %.9g, average = %.9g\n",
                            cases[i].name, cases[i].t, cases[i].rate, cases[i].average, cases[i].t,
                            rate, avg);
            failures++;
        }
        azb_design_destroy(d);
        azb_errors_free(&errs);
    }
    finish(&report, failures);
}

/* ---------------------------------- 7. lookups fed NULL and nonsense */

static void test_lookups(void **state)
{
    const azb_catalog *cat = *state;
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = parse_q(HEAD NODES("  {'id': 'web', 'kind': 'vm'},\n"
                                       "  {'id': 'cache', 'kind': 'redis', 'hit_ratio': 0.8},\n"
                                       "  {'id': 'cache2', 'kind': 'redis'}") END,
                            cat, &errs, NULL);
    assert_non_null(d);
    const azb_kind *redis = azb_catalog_find_kind(cat, "redis");
    const azb_setting_def *hit = azb_catalog_find_setting(redis, "hit_ratio");
    assert_non_null(hit);

    static const struct {
        const char *name;
        bool null_design;
        const char *id;
        int want;
    } finds[] = {
        {"NULL design", true, "web", -1},
        {"NULL id", false, NULL, -1},
        {"empty id", false, "", -1},
        {"unknown id", false, "nope", -1},
        {"prefix of an id", false, "cach", -1},
        {"longer than an id", false, "cache22", -1},
        {"case differs", false, "WEB", -1},
        {"first", false, "web", 0},
        {"last", false, "cache2", 2},
    };
    for (size_t i = 0; i < sizeof(finds) / sizeof(finds[0]); i++) {
        int got = azb_design_find_node(finds[i].null_design ? NULL : d, finds[i].id);
        if (got != finds[i].want) {
            fail_msg("find_node case \"%s\": expected %d, got %d", finds[i].name, finds[i].want,
                     got);
        }
    }

    static const struct {
        const char *name;
        int node; /* -1: NULL */
        const char *setting;
        bool found;
        double num; /* azb_node_setting_num(node, setting, 42); NAN: the kind's default */
    } settings[] = {
        {"NULL node", -1, "hit_ratio", false, 42.0},
        {"NULL name", 1, NULL, false, 42.0},
        {"empty name", 1, "", false, 42.0},
        {"unknown name", 1, "nope", false, 42.0},
        {"set on the node", 1, "hit_ratio", true, 0.8},
        {"the kind's default", 2, "hit_ratio", false, NAN},
        {"not a setting of the kind", 0, "hit_ratio", false, 42.0},
    };
    for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
        const azb_node *n = settings[i].node < 0 ? NULL : &d->nodes[settings[i].node];
        const azb_setting *s = azb_node_setting(n, settings[i].setting);
        double num =
            settings[i].setting != NULL || n == NULL
                ? azb_node_setting_num(
                      n, settings[i].setting != NULL ? settings[i].setting : "hit_ratio", 42.0)
                : 42.0;
        double want = isnan(settings[i].num) ? hit->def : settings[i].num;
        if ((s != NULL) != settings[i].found || num != want) {
            fail_msg("setting case \"%s\": expected %s, %g; got %s, %g", settings[i].name,
                     settings[i].found ? "found" : "NULL", want, s != NULL ? "found" : "NULL", num);
        }
    }

    /* Names of out-of-range enum values. */
    assert_string_equal(azb_balancing_name(AZB_BAL_HASH), "hash");
    assert_string_equal(azb_balancing_name((azb_balancing)-1), "?");
    assert_string_equal(azb_balancing_name(AZB_BAL_COUNT), "?");
    assert_string_equal(azb_profile_type_name(AZB_PROFILE_DIURNAL), "diurnal");
    assert_string_equal(azb_profile_type_name((azb_profile_type)-1), "?");
    assert_string_equal(azb_profile_type_name(AZB_PROFILE_COUNT), "?");

    /* create, destroy. */
    azb_design_destroy(NULL);
    azb_design *c = azb_design_create(NULL);
    assert_non_null(c);
    assert_string_equal(c->name, "");
    assert_int_equal(c->workload.entry_idx, -1);
    azb_design_destroy(c);
    char longname[300];
    memset(longname, 'n', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    c = azb_design_create(longname);
    assert_non_null(c);
    assert_int_equal(strlen(c->name), sizeof(c->name) - 1);
    /* A created design validates; with no name it saves to text the loader
     * rejects, which is why the loader's checks matter. */
    assert_true(azb_design_validate(c, cat, &errs));
    azb_design_destroy(c);

    /* Loading nonsense paths. */
    static const struct {
        const char *name;
        const char *path;
        const char *msg;
    } loads[] = {
        {"a missing file", "/nonexistent/azboard/design.json", "cannot open"},
        {"a folder", "/tmp", "is a directory"},
        {"an empty path", "", "cannot open"},
    };
    for (size_t i = 0; i < sizeof(loads) / sizeof(loads[0]); i++) {
        azb_errors_clear(&errs);
        azb_design *l = azb_design_load(loads[i].path, cat, &errs);
        if (l != NULL || errs.count != 1 || strstr(errs.items[0].message, loads[i].msg) == NULL ||
            strcmp(errs.items[0].file, loads[i].path) != 0 || errs.items[0].line != 0) {
            azbt_buf r = {0};
            errors_to(&r, &errs);
            fail_msg("load case \"%s\": expected one error \"%s\" naming the file\ngot:\n%s",
                     loads[i].name, loads[i].msg, r.data);
        }
    }

    /* Parsing with no name uses a placeholder; a NUL byte is not JSON. */
    azb_errors_clear(&errs);
    assert_null(azb_design_parse("[", 1, NULL, cat, &errs));
    assert_string_equal(errs.items[0].file, "<design>");
    azb_errors_clear(&errs);
    static const char nul[] = "{\"format\": \"azboard/design\"\0, \"version\": 1}";
    assert_null(azb_design_parse(nul, sizeof(nul) - 1, "t.json", cat, &errs));
    assert_int_equal(errs.count, 1);
    assert_non_null(strstr(errs.items[0].message, "NUL byte"));
    assert_int_equal(errs.items[0].col, 28);
    /* A length shorter than the text: only that much is read. */
    azb_errors_clear(&errs);
    static const char cut[] = "{\"format\": \"azboard/design\", \"version\": 1, \"name\": \"t\", "
                              "\"nodes\": []} trailing";
    assert_non_null(d);
    azb_design *cd = azb_design_parse(cut, strlen(cut) - strlen(" trailing"), "t.json", cat, &errs);
    assert_non_null(cd);
    azb_design_destroy(cd);

    azb_design_destroy(d);
    azb_errors_free(&errs);
}

/* Contract violations (NULL handles) are asserts, not records: checked in
 * a child process, only where asserts are compiled in. */
#ifndef NDEBUG
static bool dies(void (*fn)(const azb_catalog *), const azb_catalog *cat)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Keep the child's assert message out of the test's output. */
        FILE *devnull = freopen("/dev/null", "w", stderr);
        (void)devnull;
        fn(cat);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status);
}

static void call_parse_null(const azb_catalog *cat)
{
    azb_errors errs;
    azb_errors_init(&errs);
    (void)azb_design_parse(NULL, 10, "t.json", cat, &errs);
}
static void call_parse_no_catalog(const azb_catalog *cat)
{
    (void)cat;
    azb_errors errs;
    azb_errors_init(&errs);
    (void)azb_design_parse("{}", 2, "t.json", NULL, &errs);
}
static void call_load_null(const azb_catalog *cat)
{
    azb_errors errs;
    azb_errors_init(&errs);
    (void)azb_design_load(NULL, cat, &errs);
}
static void call_validate_null(const azb_catalog *cat)
{
    azb_errors errs;
    azb_errors_init(&errs);
    (void)azb_design_validate(NULL, cat, &errs);
}
static void call_to_json_null(const azb_catalog *cat)
{
    (void)cat;
    free(azb_design_to_json(NULL));
}
static void call_save_null(const azb_catalog *cat)
{
    (void)cat;
    azb_errors errs;
    azb_errors_init(&errs);
    (void)azb_design_save(NULL, "/tmp/azbt_never.json", &errs);
}
static void call_clone_null(const azb_catalog *cat)
{
    (void)cat;
    (void)azb_design_clone(NULL);
}
static void call_rate_null(const azb_catalog *cat)
{
    (void)cat;
    (void)azb_profile_rate(NULL, 0.0);
}
static void call_average_null(const azb_catalog *cat)
{
    (void)cat;
    (void)azb_profile_average(NULL);
}
#endif

static void test_null_contracts(void **state)
{
#ifdef NDEBUG
    (void)state;
    print_message("asserts are compiled out (NDEBUG): contract checks not run\n");
    skip();
#else
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        void (*fn)(const azb_catalog *);
    } cases[] = {
        {"azb_design_parse(NULL text)", call_parse_null},
        {"azb_design_parse(NULL catalog)", call_parse_no_catalog},
        {"azb_design_load(NULL path)", call_load_null},
        {"azb_design_validate(NULL)", call_validate_null},
        {"azb_design_to_json(NULL)", call_to_json_null},
        {"azb_design_save(NULL)", call_save_null},
        {"azb_design_clone(NULL)", call_clone_null},
        {"azb_profile_rate(NULL)", call_rate_null},
        {"azb_profile_average(NULL)", call_average_null},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (!dies(cases[i].fn, cat)) {
            fail_msg("case \"%s\": expected an assert, got a normal return", cases[i].name);
        }
    }
#endif
}

/* ------------------------- the schema and the docs agree with the loader */

static cJSON *read_json(const char *path)
{
    char *text = azbt_read(path, NULL);
    cJSON *j = cJSON_Parse(text);
    if (j == NULL) {
        fail_msg("%s is not valid JSON", path);
    }
    free(text);
    return j;
}

/* The object at a path of keys split by `sep` ("$defs.node.properties.count"). */
static const cJSON *walk(const cJSON *root, const char *path, const char *sep)
{
    char tmp[200];
    snprintf(tmp, sizeof(tmp), "%s", path);
    const cJSON *at = root;
    char *save = NULL;
    for (char *part = strtok_r(tmp, sep, &save); part != NULL && at != NULL;
         part = strtok_r(NULL, sep, &save)) {
        at = cJSON_GetObjectItemCaseSensitive(at, part);
    }
    return at;
}

/* The same, following a final {"$ref": "#/$defs/..."} within the schema. */
static const cJSON *schema_at(const cJSON *schema, const char *path)
{
    const cJSON *at = walk(schema, path, ".");
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(at, "$ref");
    if (cJSON_IsString(ref) && strncmp(ref->valuestring, "#/", 2) == 0) {
        at = walk(schema, ref->valuestring + 2, "/");
    }
    return at;
}

static bool has_prop(const cJSON *schema, const char *def, const char *key)
{
    char path[160];
    snprintf(path, sizeof(path), "%s.properties", def);
    const cJSON *props = def[0] != '\0' ? schema_at(schema, path)
                                        : cJSON_GetObjectItemCaseSensitive(schema, "properties");
    return cJSON_GetObjectItemCaseSensitive(props, key) != NULL;
}

/* Every key of `obj` is a property of `def`; records which were seen. */
static void keys_in_schema(azbt_buf *report, int *failures, const cJSON *schema, const char *def,
                           const cJSON *obj, const char *where, const azb_catalog *cat, cJSON *seen)
{
    const azb_kind *kind = NULL;
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(obj, "kind");
    if (strcmp(def, "$defs.node") == 0 && cJSON_IsString(k)) {
        kind = azb_catalog_find_kind(cat, k->valuestring);
    }
    for (const cJSON *c = obj->child; c != NULL; c = c->next) {
        if (kind != NULL && azb_catalog_find_setting(kind, c->string) != NULL) {
            continue; /* a kind setting: additionalProperties */
        }
        if (!has_prop(schema, def, c->string)) {
            azbt_buf_printf(report, "%s.%s: not a property of %s in the schema\n", where, c->string,
                            def[0] != '\0' ? def : "the root");
            (*failures)++;
        }
        if (cJSON_GetObjectItemCaseSensitive(seen, c->string) == NULL) {
            cJSON_AddTrueToObject(seen, c->string);
        }
    }
}

static void props_seen(azbt_buf *report, int *failures, const cJSON *schema, const char *def,
                       const cJSON *seen)
{
    char path[160];
    snprintf(path, sizeof(path), "%s.properties", def);
    const cJSON *props = def[0] != '\0' ? schema_at(schema, path)
                                        : cJSON_GetObjectItemCaseSensitive(schema, "properties");
    if (props == NULL) {
        azbt_buf_printf(report, "the schema has no %s\n", path);
        (*failures)++;
        return;
    }
    for (const cJSON *p = props->child; p != NULL; p = p->next) {
        if (cJSON_GetObjectItemCaseSensitive(seen, p->string) == NULL) {
            azbt_buf_printf(report, "%s.%s: in the schema, never used in full.json\n",
                            def[0] != '\0' ? def : "root", p->string);
            (*failures)++;
        }
    }
}

/* full.json uses every key of the format: each is in the schema, and each
 * property of the schema is used there, so neither can fall behind. */
static void test_schema_keys(void **state)
{
    const azb_catalog *cat = *state;
    cJSON *schema = read_json(AZB_SOURCE_DATA "/docs/design.schema.json");
    char *fpath = fixture_path("full.json");
    cJSON *full = read_json(fpath);
    free(fpath);
    azbt_buf report = {0};
    int failures = 0;
    static const struct {
        const char *def;
        const char *array;  /* root key of an array of these, or NULL */
        const char *object; /* or a path to one object */
    } maps[] = {
        {"", NULL, ""},
        {"$defs.node", "nodes", NULL},
        {"$defs.edge", "edges", NULL},
        {"$defs.group", "groups", NULL},
        {"$defs.workload", NULL, "workload"},
        {"$defs.operation", NULL, "workload.operations"},
        {"$defs.autoscale", NULL, "nodes.autoscale"},
    };
    for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
        cJSON *seen = cJSON_CreateObject();
        if (maps[i].array != NULL) {
            const cJSON *it = NULL;
            cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(full, maps[i].array))
            {
                keys_in_schema(&report, &failures, schema, maps[i].def, it, maps[i].array, cat,
                               seen);
            }
        } else if (strcmp(maps[i].object, "") == 0) {
            keys_in_schema(&report, &failures, schema, "", full, "root", cat, seen);
        } else if (strcmp(maps[i].object, "workload") == 0) {
            keys_in_schema(&report, &failures, schema, maps[i].def,
                           cJSON_GetObjectItemCaseSensitive(full, "workload"), "workload", cat,
                           seen);
        } else if (strcmp(maps[i].object, "workload.operations") == 0) {
            const cJSON *it = NULL;
            cJSON_ArrayForEach(it, schema_at(full, "workload.operations"))
            {
                keys_in_schema(&report, &failures, schema, maps[i].def, it, "operations", cat,
                               seen);
            }
        } else {
            const cJSON *it = NULL;
            cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(full, "nodes"))
            {
                const cJSON *a = cJSON_GetObjectItemCaseSensitive(it, "autoscale");
                if (a != NULL) {
                    keys_in_schema(&report, &failures, schema, maps[i].def, a, "autoscale", cat,
                                   seen);
                }
            }
        }
        props_seen(&report, &failures, schema, maps[i].def, seen);
        cJSON_Delete(seen);
    }
    /* Profiles: full.json has one; its keys are those of its type's def. */
    const cJSON *prof = schema_at(full, "workload.profile");
    assert_non_null(prof);
    char def[64];
    snprintf(def, sizeof(def), "$defs.profile_%s",
             cJSON_GetObjectItemCaseSensitive(prof, "type")->valuestring);
    cJSON *seen = cJSON_CreateObject();
    keys_in_schema(&report, &failures, schema, def, prof, "workload.profile", cat, seen);
    props_seen(&report, &failures, schema, def, seen);
    cJSON_Delete(seen);
    cJSON_Delete(full);
    cJSON_Delete(schema);
    finish(&report, failures);
}

/* Each enum in the schema: every value loads, and a value outside fails. */
static void test_schema_enums(void **state)
{
    const azb_catalog *cat = *state;
    cJSON *schema = read_json(AZB_SOURCE_DATA "/docs/design.schema.json");
    static const struct {
        const char *at;   /* the schema of the key */
        const char *text; /* %s is the value, quoted */
    } cases[] = {
        {"$defs.node.properties.service_dist", HEAD NODES("{'id': 'a', 'kind': 'vm', "
                                                          "'service_dist': %s}") END},
        {"$defs.node.properties.balancing", HEAD NODES("{'id': 'a', 'kind': 'vm', "
                                                       "'balancing': %s}") END},
        {"$defs.edge.properties.mode", HEAD NODES(AB) EDGES("{'from': 'a', 'to': 'b', "
                                                            "'mode': %s}") END},
        {"$defs.edge.properties.on", HEAD NODES("{'id': 'c', 'kind': 'redis'},\n" A)
                                         EDGES("{'from': 'c', 'to': 'a', 'on': %s}") END},
        {"$defs.edge.properties.jitter", HEAD NODES(AB) EDGES("{'from': 'a', 'to': 'b', "
                                                              "'jitter': %s}") END},
        {"$defs.group.properties.kind", HEAD NODES(A) GROUPS("{'id': 'g', 'kind': %s, "
                                                             "'region': 'eastus', 'zone': 1}") END},
        {"$defs.profile.properties.type", HEAD NODES(A) PROFILE("{'type': %s, 'from_rps': 1, "
                                                                "'to_rps': 2, 'duration_s': 3, "
                                                                "'base_rps': 1, 'peak_rps': 2, "
                                                                "'start_s': 0, 'length_s': 1, "
                                                                "'trough_rps': 1, "
                                                                "'points': [[0, 1], [1, 2]]}") END},
    };
    azbt_buf report = {0};
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const cJSON *en = cJSON_GetObjectItemCaseSensitive(schema_at(schema, cases[i].at), "enum");
        if (!cJSON_IsArray(en) || cJSON_GetArraySize(en) == 0) {
            azbt_buf_printf(&report, "%s: no enum in the schema\n", cases[i].at);
            failures++;
            continue;
        }
        const cJSON *v = NULL;
        cJSON_ArrayForEach(v, en)
        {
            for (int bad = 0; bad < 2; bad++) {
                char value[64];
                snprintf(value, sizeof(value), "'%s%s'", v->valuestring, bad ? "x" : "");
                char *text = subst(cases[i].text, value);
                azb_errors errs;
                azb_errors_init(&errs);
                azb_design *d = parse_q(text, cat, &errs, NULL);
                /* Unknown keys of other profile types only warn. */
                if ((d != NULL) == (bool)bad || azb_errors_count_errors(&errs) != (bad ? 1 : 0)) {
                    azbt_buf_printf(&report, "%s = %s:\n  expected: %s\n  got:\n", cases[i].at,
                                    value, bad ? "one error" : "loads");
                    errors_to(&report, &errs);
                    failures++;
                }
                azb_design_destroy(d);
                azb_errors_free(&errs);
                free(text);
            }
        }
    }
    cJSON_Delete(schema);
    finish(&report, failures);
}

/* Each numeric range in the schema: its bounds are where the loader's are. */
static void test_schema_ranges(void **state)
{
    const azb_catalog *cat = *state;
    cJSON *schema = read_json(AZB_SOURCE_DATA "/docs/design.schema.json");
    static const struct {
        const char *at;
        const char *path; /* where the loader reports the value */
        const char *text; /* %s is the number */
    } cases[] = {
        {"$defs.node.properties.count", "nodes[0].count",
         HEAD NODES("{'id': 'a', 'kind': 'vm', 'count': %s}") END},
        {"$defs.node.properties.zones.items", "nodes[0].zones[0]",
         HEAD NODES("{'id': 'a', 'kind': 'vm', 'region': "
                    "'eastus', 'zones': [%s]}") END},
        {"$defs.node.properties.service_ms", "nodes[0].service_ms",
         HEAD NODES("{'id': 'a', 'kind': 'vm', "
                    "'service_ms': %s}") END},
        {"$defs.node.properties.cv", "nodes[0].cv",
         HEAD NODES("{'id': 'a', 'kind': 'vm', 'cv': %s}") END},
        {"$defs.node.properties.concurrency", "nodes[0].concurrency",
         HEAD NODES("{'id': 'a', 'kind': 'vm', "
                    "'concurrency': %s}") END},
        {"$defs.autoscale.properties.min", "nodes[0].autoscale.min",
         HEAD NODES("{'id': 'a', 'kind': 'vm', 'autoscale': "
                    "{'min': %s, 'max': 100000}}") END},
        {"$defs.autoscale.properties.max", "nodes[0].autoscale.max",
         HEAD NODES("{'id': 'a', 'kind': 'vm', 'autoscale': "
                    "{'min': 0, 'max': %s}}") END},
        {"$defs.autoscale.properties.target", "nodes[0].autoscale.target",
         HEAD NODES("{'id': 'a', 'kind': 'vm', 'autoscale': "
                    "{'min': 1, 'max': 2, 'target': %s}}") END},
        {"$defs.edge.properties.p", "edges[0].p",
         HEAD NODES(AB) EDGES("{'from': 'a', 'to': 'b', 'p': %s}") END},
        {"$defs.edge.properties.calls", "edges[0].calls",
         HEAD NODES(AB) EDGES("{'from': 'a', 'to': 'b', "
                              "'calls': %s}") END},
        {"$defs.edge.properties.request_kb", "edges[0].request_kb",
         HEAD NODES(AB) EDGES("{'from': 'a', 'to': 'b', "
                              "'request_kb': %s}") END},
        {"$defs.edge.properties.response_kb", "edges[0].response_kb",
         HEAD NODES(AB) EDGES("{'from': 'a', 'to': 'b', "
                              "'response_kb': %s}") END},
        {"$defs.node.properties.queue_limit", "nodes[0].queue_limit",
         HEAD NODES("{'id': 'a', 'kind': 'vm', 'queue_limit': %s}") END},
        {"$defs.edge.properties.timeout_ms", "edges[0].timeout_ms",
         HEAD NODES(AB) EDGES("{'from': 'a', 'to': 'b', 'timeout_ms': %s}") END},
        {"$defs.edge.properties.retries", "edges[0].retries",
         HEAD NODES(AB) EDGES("{'from': 'a', 'to': 'b', 'retries': %s}") END},
        {"$defs.edge.properties.backoff_ms", "edges[0].backoff_ms",
         HEAD NODES(AB) EDGES("{'from': 'a', 'to': 'b', 'backoff_ms': %s}") END},
        {"$defs.edge.properties.backoff_multiplier", "edges[0].backoff_multiplier",
         HEAD NODES(AB) EDGES("{'from': 'a', 'to': 'b', 'backoff_multiplier': %s}") END},
        {"$defs.group.properties.zone", "groups[0].zone",
         HEAD NODES(A) GROUPS("{'id': 'g', 'kind': 'zone', "
                              "'region': 'eastus', 'zone': %s}") END},
        {"$defs.group.properties.w", "groups[0].w",
         HEAD NODES(A) GROUPS("{'id': 'g', 'kind': 'region', "
                              "'region': 'eastus', 'w': %s, 'h': 10}") END},
        {"$defs.group.properties.h", "groups[0].h",
         HEAD NODES(A) GROUPS("{'id': 'g', 'kind': 'region', "
                              "'region': 'eastus', 'w': 10, 'h': %s}") END},
        {"$defs.workload.properties.rps", "workload.rps",
         HEAD NODES(A) WL("{'entry': 'a', 'rps': %s}") END},
        {"$defs.operation.properties.share", "workload.operations[0].share",
         HEAD NODES(A) WL("{'entry': 'a', 'rps': 1, "
                          "'operations': [{'name': 'x', "
                          "'share': %s}]}") END},
        {"$defs.operation.properties.request_kb", "workload.operations[0].request_kb",
         HEAD NODES(A) WL("{'entry': 'a', 'rps': 1, "
                          "'operations': [{'name': 'x', "
                          "'share': 1, 'request_kb': "
                          "%s}]}") END},
        {"$defs.operation.properties.tokens_out", "workload.operations[0].tokens_out",
         HEAD NODES(A) WL("{'entry': 'a', 'rps': 1, "
                          "'operations': [{'name': 'x', "
                          "'share': 1, 'tokens_out': "
                          "%s}]}") END},
        {"$defs.profile_ramp.properties.duration_s", "workload.profile.duration_s",
         HEAD NODES(A) PROFILE("{'type': 'ramp', "
                               "'from_rps': 1, "
                               "'to_rps': 2, "
                               "'duration_s': %s}") END},
        {"$defs.profile_spike.properties.start_s", "workload.profile.start_s",
         HEAD NODES(A) PROFILE("{'type': 'spike', "
                               "'base_rps': 1, "
                               "'peak_rps': 2, "
                               "'start_s': %s, "
                               "'length_s': 1}") END},
        {"$defs.profile_diurnal.properties.trough_rps", "workload.profile.trough_rps",
         HEAD NODES(A) PROFILE("{'type': "
                               "'diurnal', "
                               "'trough_rps': %s, "
                               "'peak_rps': 2}") END},
    };
    static const struct {
        const char *keyword;
        bool inside; /* the bound itself is allowed */
        double dir;  /* where the outside is */
    } bounds[] = {
        {"minimum", true, -1.0},
        {"maximum", true, 1.0},
        {"exclusiveMinimum", false, -1.0},
        {"exclusiveMaximum", false, 1.0},
    };
    azbt_buf report = {0};
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const cJSON *s = schema_at(schema, cases[i].at);
        if (s == NULL) {
            azbt_buf_printf(&report, "%s: not in the schema\n", cases[i].at);
            failures++;
            continue;
        }
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(s, "type");
        bool integer = cJSON_IsString(type) && strcmp(type->valuestring, "integer") == 0;
        int nbounds = 0;
        for (size_t b = 0; b < sizeof(bounds) / sizeof(bounds[0]); b++) {
            const cJSON *lim = cJSON_GetObjectItemCaseSensitive(s, bounds[b].keyword);
            if (!cJSON_IsNumber(lim)) {
                continue;
            }
            nbounds++;
            double step = integer ? 1.0 : fmax(1e-3, fabs(lim->valuedouble) * 1e-3);
            /* At the bound, and one step beyond it on the far side. */
            double at_bound = lim->valuedouble;
            double beyond = lim->valuedouble + bounds[b].dir * step;
            double within = lim->valuedouble - bounds[b].dir * step;
            const struct {
                double v;
                bool loads;
            } probes[] = {
                {at_bound, bounds[b].inside},
                {beyond, false},
                {within, true},
            };
            for (size_t k = 0; k < 3; k++) {
                char num[40];
                snprintf(num, sizeof(num), "%.17g", probes[k].v);
                char *text = subst(cases[i].text, num);
                azb_errors errs;
                azb_errors_init(&errs);
                azb_design *d = parse_q(text, cat, &errs, NULL);
                /* Other checks (shares adding to 1, a zone the region
                 * lacks) may complain too; only this key's verdict counts. */
                bool rejected = false;
                for (int r = 0; r < errs.count; r++) {
                    rejected = rejected || (!errs.items[r].warning &&
                                            strcmp(errs.items[r].path, cases[i].path) == 0);
                }
                if (rejected == probes[k].loads) {
                    azbt_buf_printf(&report, "%s %s %g: value %s\n  expected: %s at %s\n  got:\n",
                                    cases[i].at, bounds[b].keyword, lim->valuedouble, num,
                                    probes[k].loads ? "accepted" : "rejected", cases[i].path);
                    errors_to(&report, &errs);
                    failures++;
                }
                azb_design_destroy(d);
                azb_errors_free(&errs);
                free(text);
            }
        }
        if (nbounds == 0) {
            azbt_buf_printf(&report, "%s: no bounds in the schema\n", cases[i].at);
            failures++;
        }
    }
    cJSON_Delete(schema);
    finish(&report, failures);
}

/* The worked example in docs/design-format.md is tests/data/designs/
 * three_tier.json, byte for byte, and it loads (the round-trip test). */
static void test_docs_example(void **state)
{
    (void)state;
    char *doc = azbt_read(AZB_SOURCE_DATA "/docs/design-format.md", NULL);
    char *fixture = read_fixture("three_tier.json", NULL);
    const char *marker = "<!-- example: tests/data/designs/three_tier.json -->";
    const char *m = strstr(doc, marker);
    if (m == NULL) {
        fail_msg("docs/design-format.md has no line %s", marker);
    }
    const char *start = strstr(m, "```json\n");
    assert_non_null(start);
    start += strlen("```json\n");
    const char *end = strstr(start, "```");
    assert_non_null(end);
    size_t n = (size_t)(end - start);
    if (n != strlen(fixture) || memcmp(start, fixture, n) != 0) {
        char *block = malloc(n + 1);
        assert_non_null(block);
        memcpy(block, start, n);
        block[n] = '\0';
        azbt_buf r = {0};
        diff_to(&r, fixture, block);
        fail_msg("the worked example differs from three_tier.json:\n%s", r.data);
    }
    free(fixture);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_sku_message_shape),
        cmocka_unit_test(test_good_inputs),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_size_limit_file),
        cmocka_unit_test(test_node_and_edge_limits),
        cmocka_unit_test(test_many_bad_nodes_fail_fast),
        cmocka_unit_test(test_many_keys_fail_fast),
        cmocka_unit_test(test_many_warnings_still_load),
        cmocka_unit_test(test_many_errors_reported),
        cmocka_unit_test(test_error_line_format),
        cmocka_unit_test(test_round_trip_fixtures),
        cmocka_unit_test(test_unknown_keys_warn),
        cmocka_unit_test(test_unknown_key_in_autoscale),
        cmocka_unit_test(test_absent_keys_stay_absent),
        cmocka_unit_test(test_save),
        cmocka_unit_test(test_clone),
        cmocka_unit_test(test_validate_in_memory),
        cmocka_unit_test(test_profiles),
        cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_null_contracts),
        cmocka_unit_test(test_schema_keys),
        cmocka_unit_test(test_schema_enums),
        cmocka_unit_test(test_schema_ranges),
        cmocka_unit_test(test_docs_example),
    };
    /* AZBT_FILTER=test_save runs only the tests whose names match. */
    const char *filter = getenv("AZBT_FILTER");
    if (filter != NULL && filter[0] != '\0') {
        cmocka_set_test_filter(filter);
    }
    return cmocka_run_group_tests(tests, azbt_setup_catalog, azbt_teardown_catalog);
}
