/*
 * Tests of the workload module: loading scenarios (every kind of bad input,
 * with its message, JSON path, line and column), the offered rate over time,
 * the failure order, checking references against a design, and the shipped
 * example scenarios against the shipped reference designs.
 *
 * Texts in the tables write JSON with single quotes, turned into double
 * quotes before parsing. An expected position is text to find in the case
 * ("at"), '^' marking the spot inside it when that is not its first
 * character; line and column are computed by the test (azbt_linecol), not by
 * the engine's locator.
 */
#define _POSIX_C_SOURCE 200809L
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

#include "azb_workload.h"
#include "azbt.h"

#define HEAD "{'format': 'azboard/scenario', 'version': 1, 'name': 't', 'duration_s': 1000, "
#define CONST_LOAD "'load': {'type': 'constant', 'rps': 100}"

/* The text of a case: single quotes made double (malloc'd). */
static azb_scenario *parse_case(const char *sq, azb_errors *errs, char **text_out)
{
    char *text = azbt_dq(sq);
    azb_scenario *s = azb_scenario_parse(text, strlen(text), "case.json", errs);
    *text_out = text;
    return s;
}

/* An error at `path` whose message has `needle`, placed where `at` marks. */
static int expect_error(const char *name, const char *text, const azb_errors *errs,
                        const char *path, const char *needle, const char *at)
{
    const azb_error *hit = NULL;
    for (int i = 0; i < errs->count && hit == NULL; i++) {
        const azb_error *e = &errs->items[i];
        if (!e->warning && strcmp(e->path, path) == 0 && strstr(e->message, needle) != NULL) {
            hit = e;
        }
    }
    if (hit == NULL) {
        print_error("case \"%s\": expected an error at %s containing \"%s\", got:\n", name, path,
                    needle);
        azbt_print_errors(errs);
        return 1;
    }
    if (at == NULL) {
        return 0;
    }
    size_t off = 0;
    if (!azbt_find_marked(text, at, 0, &off)) {
        print_error("case \"%s\": marker \"%s\" not in the text\n", name, at);
        return 1;
    }
    int line = 0;
    int col = 0;
    azbt_linecol(text, off, &line, &col);
    if (hit->line != line || hit->col != col || strcmp(hit->file, "case.json") != 0) {
        print_error("case \"%s\": expected case.json:%d:%d, got %s:%d:%d\n", name, line, col,
                    hit->file, hit->line, hit->col);
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------- loading */

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *text;
        const char *path;
        const char *needle;
        const char *at;
    } cases[] = {
        {"not json", "{'format': ", "", "", NULL},
        {"not an object", "[1, 2]", "", "expected a JSON object", "["},
        {"missing format", "{'version': 1}", "", "missing \"format\"", "{"},
        {"wrong format", "{'format': 'azboard/design', 'version': 1}", "format",
         "not an azboard scenario", "'azboard/design'"},
        {"version 2", "{'format': 'azboard/scenario', 'version': 2}", "version",
         "not supported", "2}"},
        {"missing name", "{'format': 'azboard/scenario', 'version': 1, 'duration_s': 5, " CONST_LOAD "}",
         "", "missing required key \"name\"", "{"},
        {"missing duration", "{'format': 'azboard/scenario', 'version': 1, 'name': 'x', " CONST_LOAD "}",
         "", "duration_s", NULL},
        {"zero duration", "{'format': 'azboard/scenario', 'version': 1, 'name': 'x', 'duration_s': 0, " CONST_LOAD "}",
         "duration_s", "greater than 0", "0,"},
        {"missing load", HEAD "'failures': []}", "", "load", NULL},
        {"load not object", HEAD "'load': 5}", "load", "expected an object", "5}"},
        {"unknown load type", HEAD "'load': {'type': 'spiky'}}", "load.type",
         "did you mean \"spike\"", "'spiky'"},
        {"constant without rps", HEAD "'load': {'type': 'constant'}}", "load", "rps", NULL},
        {"negative rps", HEAD "'load': {'type': 'constant', 'rps': -1}}", "load.rps",
         "not be negative", "-1"},
        {"ramp without to", HEAD "'load': {'type': 'ramp', 'from_rps': 1, 'duration_s': 5}}",
         "load", "to_rps", NULL},
        {"spike zero length",
         HEAD "'load': {'type': 'spike', 'base_rps': 1, 'peak_rps': 5, 'start_s': 1, 'length_s': 0}}",
         "load.length_s", "greater than 0", "0}"},
        {"diurnal string peak",
         HEAD "'load': {'type': 'diurnal', 'trough_rps': 1, 'peak_rps': 'lots'}}", "load.peak_rps",
         "expected a number", "'lots'"},
        {"piecewise one point", HEAD "'load': {'type': 'piecewise', 'points': [[0, 1]]}}",
         "load.points", "at least two", "[[0"},
        {"piecewise time back",
         HEAD "'load': {'type': 'piecewise', 'points': [[0, 1], [5, 2], [3, 4]]}}",
         "load.points[2]", "times must increase", "[3, 4]"},
        {"piecewise bad point",
         HEAD "'load': {'type': 'piecewise', 'points': [[0, 1], [5, -2]]}}", "load.points[1]",
         "both finite and not negative", "[5, -2]"},
        {"classes not array", HEAD "'load': {'type': 'constant', 'rps': 1, 'classes': {}}}",
         "load.classes", "non-empty array", "{}}}"},
        {"class shares",
         HEAD "'load': {'type': 'constant', 'rps': 1, 'classes': [{'name': 'a', 'share': 0.5}, "
              "{'name': 'b', 'share': 0.4}]}}",
         "load.classes", "add up to 0.9", "[{'name'"},
        {"class zero share",
         HEAD "'load': {'type': 'constant', 'rps': 1, 'classes': [{'name': 'a', 'share': 0}, "
              "{'name': 'b', 'share': 1}]}}",
         "load.classes[0].share", "greater than 0", "0}"},
        {"class duplicate",
         HEAD "'load': {'type': 'constant', 'rps': 1, 'classes': [{'name': 'a', 'share': 0.5}, "
              "{'name': 'a', 'share': 0.5}]}}",
         "load.classes[1].name", "already load.classes[0]", "'a', 'share': 0.5}]"},
        {"class write not bool",
         HEAD "'load': {'type': 'constant', 'rps': 1, 'classes': [{'name': 'a', 'share': 1, "
              "'write': 'yes'}]}}",
         "load.classes[0].write", "", "'yes'"},
        {"duplicate key", HEAD CONST_LOAD ", 'name': 'again'}", "name", "duplicate key",
         "'name': ^'again'"},
        {"failures not array", HEAD CONST_LOAD ", 'failures': {}}", "failures", "expected an array",
         "{}}"},
        {"failure not object", HEAD CONST_LOAD ", 'failures': [3]}", "failures[0]",
         "expected an object", "3]"},
        {"failure without what", HEAD CONST_LOAD ", 'failures': [{'at': 1}]}", "failures[0]",
         "what", "{'at'"},
        {"failure unknown what", HEAD CONST_LOAD ", 'failures': [{'what': 'zones', 'at': 1}]}",
         "failures[0].what", "did you mean \"zone\"", "'zones'"},
        {"failure without at", HEAD CONST_LOAD ", 'failures': [{'what': 'node', 'node': 'a'}]}",
         "failures[0]", "at", "{'what'"},
        {"failure at end",
         HEAD CONST_LOAD ", 'failures': [{'what': 'node', 'node': 'a', 'at': 1000}]}",
         "failures[0].at", "not before the end", "1000}"},
        {"recover before at",
         HEAD CONST_LOAD ", 'failures': [{'what': 'node', 'node': 'a', 'at': 10, 'recover_at': 5}]}",
         "failures[0].recover_at", "must be after at", "5}"},
        {"recover after end",
         HEAD CONST_LOAD
         ", 'failures': [{'what': 'node', 'node': 'a', 'at': 10, 'recover_at': 1001}]}",
         "failures[0].recover_at", "after the end", "1001}"},
        {"node empty", HEAD CONST_LOAD ", 'failures': [{'what': 'node', 'node': '', 'at': 1}]}",
         "failures[0].node", "must not be empty", "''"},
        {"zone missing", HEAD CONST_LOAD
         ", 'failures': [{'what': 'zone', 'region': 'eastus', 'at': 1}]}",
         "failures[0]", "zone", "{'what'"},
        {"zone 4", HEAD CONST_LOAD
         ", 'failures': [{'what': 'zone', 'region': 'eastus', 'zone': 4, 'at': 1}]}",
         "failures[0].zone", "at most 3", "4,"},
        {"zone 1.5", HEAD CONST_LOAD
         ", 'failures': [{'what': 'zone', 'region': 'eastus', 'zone': 1.5, 'at': 1}]}",
         "failures[0].zone", "whole number", "1.5"},
        {"region missing", HEAD CONST_LOAD ", 'failures': [{'what': 'region', 'at': 1}]}",
         "failures[0]", "region", "{'what'"},
        {"kill 0", HEAD CONST_LOAD
         ", 'failures': [{'what': 'instances', 'node': 'a', 'kill': 0, 'at': 1}]}",
         "failures[0].kill", "greater than 0", "'kill': ^0"},
        {"slow factor 1", HEAD CONST_LOAD
         ", 'failures': [{'what': 'slow', 'node': 'a', 'factor': 1, 'at': 1}]}",
         "failures[0].factor", "more than 1", "'factor': ^1"},
        {"edge nothing", HEAD CONST_LOAD
         ", 'failures': [{'what': 'edge', 'from': 'a', 'to': 'b', 'at': 1}]}",
         "failures[0]", "needs \"extra_ms\"", "{'what'"},
        {"edge zeros", HEAD CONST_LOAD
         ", 'failures': [{'what': 'edge', 'from': 'a', 'to': 'b', 'extra_ms': 0, 'loss': 0, "
         "'at': 1}]}",
         "failures[0]", "does nothing", "{'what'"},
        {"edge loss 2", HEAD CONST_LOAD
         ", 'failures': [{'what': 'edge', 'from': 'a', 'to': 'b', 'loss': 2, 'at': 1}]}",
         "failures[0].loss", "within [0, 1]", "2,"},
        {"edge without to", HEAD CONST_LOAD
         ", 'failures': [{'what': 'edge', 'from': 'a', 'extra_ms': 5, 'at': 1}]}",
         "failures[0]", "to", "{'what'"},
        {"flush without warm", HEAD CONST_LOAD
         ", 'failures': [{'what': 'cache_flush', 'node': 'a', 'at': 1}]}",
         "failures[0]", "warm_s", "{'what'"},
        {"quota factor 1", HEAD CONST_LOAD
         ", 'failures': [{'what': 'quota_cut', 'node': 'a', 'factor': 1, 'at': 1}]}",
         "failures[0].factor", "less than 1", "'factor': ^1"},
        {"quota factor 0", HEAD CONST_LOAD
         ", 'failures': [{'what': 'quota_cut', 'node': 'a', 'factor': 0, 'at': 1}]}",
         "failures[0].factor", "greater than 0", "'factor': ^0"},
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        azb_errors errs;
        azb_errors_init(&errs);
        char *text = NULL;
        azb_scenario *s = parse_case(cases[i].text, &errs, &text);
        if (s != NULL) {
            print_error("case \"%s\": expected NULL, got a scenario\n", cases[i].name);
            failed++;
            azb_scenario_destroy(s);
        } else if (cases[i].needle[0] != '\0' || cases[i].path[0] != '\0') {
            failed += expect_error(cases[i].name, text, &errs, cases[i].path, cases[i].needle,
                                   cases[i].at);
        } else if (azb_errors_count_errors(&errs) == 0) {
            print_error("case \"%s\": expected an error, got none\n", cases[i].name);
            failed++;
        }
        free(text);
        azb_errors_free(&errs);
    }
    assert_int_equal(failed, 0);
}

static void test_parse_ok(void **state)
{
    (void)state;
    static const char *const text =
        HEAD "'load': {'type': 'spike', 'base_rps': 10, 'peak_rps': 50, 'start_s': 100, "
             "'length_s': 50, 'classes': [{'name': 'r', 'share': 0.75, 'response_kb': 2}, "
             "{'name': 'w', 'share': 0.25, 'write': true, 'request_kb': 1}]}, "
             "'failures': ["
             "{'what': 'slow', 'node': 'app', 'factor': 3, 'at': 500, 'recover_at': 600},"
             "{'what': 'node', 'node': 'db', 'at': 200},"
             "{'what': 'edge', 'from': 'app', 'to': 'db', 'loss': 0.1, 'at': 200},"
             "{'what': 'quota_cut', 'node': 'db', 'factor': 0.5, 'at': 0, 'recover_at': 1000},"
             "{'what': 'cache_flush', 'node': 'cache', 'warm_s': 60, 'at': 10},"
             "{'what': 'instances', 'node': 'app', 'kill': 2, 'at': 10, 'colour': 'red'}"
             "]}";
    azb_errors errs;
    azb_errors_init(&errs);
    char *json = NULL;
    azb_scenario *s = parse_case(text, &errs, &json);
    if (s == NULL) {
        azbt_print_errors(&errs);
    }
    assert_non_null(s);
    /* The unknown key is a warning, located. */
    assert_int_equal(azb_errors_count_errors(&errs), 0);
    const azb_error *w = azbt_find_error(&errs, "unknown key \"colour\"");
    assert_non_null(w);
    assert_true(w->warning);
    assert_string_equal(w->path, "failures[5].colour");

    assert_string_equal(s->name, "t");
    assert_true(s->duration_s == 1000.0);
    assert_int_equal(s->load.type, AZB_PROFILE_SPIKE);
    assert_int_equal(s->nclasses, 2);
    assert_string_equal(s->classes[1].name, "w");
    assert_true(s->classes[1].write);
    assert_false(s->classes[0].write);
    assert_true(s->classes[0].response_kb == 2.0);

    /* Sorted by (at, place in the file). */
    static const struct {
        azb_failure_what what;
        double at;
        int index;
        double recover;
        bool recovers;
    } order[] = {
        {AZB_FAIL_QUOTA_CUT, 0, 3, 1000, true},   {AZB_FAIL_CACHE_FLUSH, 10, 4, 1000, false},
        {AZB_FAIL_INSTANCES, 10, 5, 1000, false}, {AZB_FAIL_NODE, 200, 1, 1000, false},
        {AZB_FAIL_EDGE, 200, 2, 1000, false},     {AZB_FAIL_SLOW, 500, 0, 600, true},
    };
    assert_int_equal(s->nfailures, 6);
    int failed = 0;
    for (int i = 0; i < 6; i++) {
        const azb_failure *f = &s->failures[i];
        if (f->what != order[i].what || f->at_s != order[i].at || f->index != order[i].index ||
            f->recover_s != order[i].recover || f->recovers != order[i].recovers) {
            print_error("failures[%d]: expected %s at %g (file index %d, until %g), got %s at %g "
                        "(file index %d, until %g)\n",
                        i, azb_failure_what_name(order[i].what), order[i].at, order[i].index,
                        order[i].recover, azb_failure_what_name(f->what), f->at_s, f->index,
                        f->recover_s);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
    assert_true(s->failures[1].warm_s == 60.0);
    assert_int_equal(s->failures[2].kill, 2);
    assert_true(s->failures[4].loss == 0.1 && s->failures[4].extra_ms == 0.0);
    assert_true(s->failures[5].factor == 3.0);
    assert_true(azb_failure_active(&s->failures[5], 500.0));
    assert_true(azb_failure_active(&s->failures[5], 599.9));
    assert_false(azb_failure_active(&s->failures[5], 600.0));
    assert_false(azb_failure_active(&s->failures[5], 499.9));
    free(json);
    azb_scenario_destroy(s);
    azb_errors_free(&errs);
}

/* ------------------------------------------------------------ the rate */

static void test_rate(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *load;
        double t;
        double expected;
        double peak; /* azb_scenario_peak_rate over duration 1000 s */
    } cases[] = {
        {"constant", "{'type': 'constant', 'rps': 100}", 500, 100, 100},
        {"ramp start", "{'type': 'ramp', 'from_rps': 10, 'to_rps': 110, 'duration_s': 100}", 0,
         10, 110},
        {"ramp middle", "{'type': 'ramp', 'from_rps': 10, 'to_rps': 110, 'duration_s': 100}", 50,
         60, 110},
        {"ramp after", "{'type': 'ramp', 'from_rps': 10, 'to_rps': 110, 'duration_s': 100}", 900,
         110, 110},
        {"ramp past end", "{'type': 'ramp', 'from_rps': 0, 'to_rps': 4000, 'duration_s': 4000}",
         500, 500, 1000},
        {"spike before", "{'type': 'spike', 'base_rps': 5, 'peak_rps': 50, 'start_s': 100, "
                         "'length_s': 10}",
         99.9, 5, 50},
        {"spike inside", "{'type': 'spike', 'base_rps': 5, 'peak_rps': 50, 'start_s': 100, "
                         "'length_s': 10}",
         100, 50, 50},
        {"spike after", "{'type': 'spike', 'base_rps': 5, 'peak_rps': 50, 'start_s': 100, "
                        "'length_s': 10}",
         110, 5, 50},
        {"spike after the end", "{'type': 'spike', 'base_rps': 5, 'peak_rps': 50, 'start_s': "
                                "2000, 'length_s': 10}",
         10, 5, 5},
        {"diurnal trough", "{'type': 'diurnal', 'trough_rps': 10, 'peak_rps': 30, 'period_s': "
                           "400}",
         0, 10, 30},
        {"diurnal peak", "{'type': 'diurnal', 'trough_rps': 10, 'peak_rps': 30, 'period_s': "
                         "400}",
         200, 30, 30},
        {"diurnal quarter", "{'type': 'diurnal', 'trough_rps': 10, 'peak_rps': 30, 'period_s': "
                            "400}",
         100, 20, 30},
        {"diurnal long period", "{'type': 'diurnal', 'trough_rps': 10, 'peak_rps': 30}", 0, 10,
         10.026430832994278 /* 10 + 10 (1 - cos(2 pi 1000 / 86400)) */},
        {"piecewise between", "{'type': 'piecewise', 'points': [[0, 10], [100, 30], [200, 0]]}",
         50, 20, 30},
        {"piecewise after", "{'type': 'piecewise', 'points': [[0, 10], [100, 30], [200, 0]]}",
         500, 0, 30},
        {"piecewise late peak", "{'type': 'piecewise', 'points': [[0, 10], [2000, 210]]}", 1000,
         110, 110},
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        azbt_buf b = {0};
        azbt_buf_printf(&b, HEAD "'load': %s}", cases[i].load);
        azb_errors errs;
        azb_errors_init(&errs);
        char *text = NULL;
        azb_scenario *s = parse_case(b.data, &errs, &text);
        if (s == NULL) {
            print_error("case \"%s\": did not load:\n", cases[i].name);
            azbt_print_errors(&errs);
            failed++;
        } else {
            failed += azbt_near(cases[i].name, "rate", cases[i].expected,
                                azb_scenario_rate(s, cases[i].t), 1e-12, 1e-9);
            failed += azbt_near(cases[i].name, "peak", cases[i].peak, azb_scenario_peak_rate(s),
                                1e-12, 1e-9);
        }
        azb_scenario_destroy(s);
        free(text);
        free(b.data);
        azb_errors_free(&errs);
    }
    assert_int_equal(failed, 0);
}

/* ------------------------------------------------ checking against a design */

static azb_design *load_design(const azb_catalog *cat, const char *rel)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", AZB_SOURCE_DATA, rel);
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = azb_design_load(path, cat, &errs);
    if (d == NULL) {
        azbt_print_errors(&errs);
    }
    azb_errors_free(&errs);
    assert_non_null(d);
    return d;
}

static void test_check(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = load_design(cat, "scenarios/url-shortener/reference.json");
    static const struct {
        const char *name;
        const char *failure; /* null: expected to pass */
        const char *path;
        const char *needle;
        const char *at;
    } cases[] = {
        {"node ok", "{'what': 'node', 'node': 'app', 'at': 1}", NULL, NULL, NULL},
        {"zone ok", "{'what': 'zone', 'region': 'eastus', 'zone': 3, 'at': 1}", NULL, NULL, NULL},
        {"region ok", "{'what': 'region', 'region': 'eastus', 'at': 1}", NULL, NULL, NULL},
        {"kill all", "{'what': 'instances', 'node': 'app', 'kill': 9, 'at': 1}", NULL, NULL,
         NULL},
        {"edge ok", "{'what': 'edge', 'from': 'cache', 'to': 'db', 'extra_ms': 40, 'at': 1}",
         NULL, NULL, NULL},
        {"flush ok", "{'what': 'cache_flush', 'node': 'cache', 'warm_s': 120, 'at': 1}", NULL,
         NULL, NULL},
        {"quota ok", "{'what': 'quota_cut', 'node': 'db', 'factor': 0.25, 'at': 1}", NULL, NULL,
         NULL},
        {"no node", "{'what': 'node', 'node': 'apps', 'at': 1}", "failures[0].node",
         "no node \"apps\" in design \"Reference: App Service", "'apps'"},
        {"no node suggests", "{'what': 'slow', 'node': 'cahce', 'factor': 2, 'at': 1}",
         "failures[0].node", "did you mean \"cache\"", "'cahce'"},
        {"unknown region", "{'what': 'region', 'region': 'eastuss', 'at': 1}",
         "failures[0].region", "unknown region \"eastuss\" (did you mean \"eastus\"?)",
         "'eastuss'"},
        {"unused region", "{'what': 'region', 'region': 'westeurope', 'at': 1}",
         "failures[0].region", "is in region \"westeurope\"", "'westeurope'"},
        {"zone outside", "{'what': 'zone', 'region': 'westus', 'zone': 1, 'at': 1}",
         "failures[0].region", "is in region \"westus\"", "'westus'"},
        {"kill within autoscale", "{'what': 'instances', 'node': 'app', 'kill': 20, 'at': 1}", NULL,
         NULL, NULL},
        {"kill too many", "{'what': 'instances', 'node': 'app', 'kill': 21, 'at': 1}",
         "failures[0].kill", "kill 21 is more than node \"app\"'s 20 instances", "21,"},
        {"no edge", "{'what': 'edge', 'from': 'users', 'to': 'db', 'loss': 0.5, 'at': 1}",
         "failures[0].to", "no edge from \"users\" to \"db\"", "'db'"},
        {"edge bad end", "{'what': 'edge', 'from': 'users', 'to': 'dbb', 'loss': 0.5, 'at': 1}",
         "failures[0].to", "no node \"dbb\"", "'dbb'"},
        {"flush not a cache", "{'what': 'cache_flush', 'node': 'db', 'warm_s': 1, 'at': 1}",
         "failures[0].node", "no hit ratio", "'db'"},
        {"quota not a quota", "{'what': 'quota_cut', 'node': 'app', 'factor': 0.5, 'at': 1}",
         "failures[0].node", "not a quota", "'app'"},
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        azbt_buf b = {0};
        azbt_buf_printf(&b, HEAD CONST_LOAD ",\n 'failures': [\n  %s\n]}", cases[i].failure);
        azb_errors errs;
        azb_errors_init(&errs);
        char *text = NULL;
        azb_scenario *s = parse_case(b.data, &errs, &text);
        if (s == NULL) {
            print_error("case \"%s\": did not load:\n", cases[i].name);
            azbt_print_errors(&errs);
            failed++;
        } else {
            bool ok = azb_scenario_check(s, d, cat, &errs);
            if (cases[i].path == NULL) {
                if (!ok || errs.count != 0) {
                    print_error("case \"%s\": expected no errors, got:\n", cases[i].name);
                    azbt_print_errors(&errs);
                    failed++;
                }
            } else if (ok) {
                print_error("case \"%s\": expected false, got true\n", cases[i].name);
                failed++;
            } else {
                failed += expect_error(cases[i].name, text, &errs, cases[i].path,
                                       cases[i].needle, cases[i].at);
            }
        }
        azb_scenario_destroy(s);
        free(text);
        free(b.data);
        azb_errors_free(&errs);
    }
    azb_design_destroy(d);
    assert_int_equal(failed, 0);
}

/* The zone check needs a region with no zones that a design uses. */
static void test_check_zoneless_region(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = azbt_design(cat, "{'id': 'app', 'kind': 'app_service', 'region': 'westus'}",
                                "", "'entry': 'app', 'rps': 1");
    azb_errors errs;
    azb_errors_init(&errs);
    char *text = NULL;
    azb_scenario *s = parse_case(
        HEAD CONST_LOAD ", 'failures': [{'what': 'zone', 'region': 'westus', 'zone': 1, 'at': 1}]}",
        &errs, &text);
    assert_non_null(s);
    assert_false(azb_scenario_check(s, d, cat, &errs));
    assert_int_equal(expect_error("zoneless", text, &errs, "failures[0].zone",
                                  "has no availability zones", "1, 'at'"),
                     0);
    free(text);
    azb_scenario_destroy(s);
    azb_design_destroy(d);
    azb_errors_free(&errs);
}

/* ------------------------------------------------------ shipped examples */

static void test_shipped(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *scenario;
        const char *design;
        azb_failure_what what;
        double at, recover;
        double t_probe, rate_probe;
    } cases[] = {
        {"scenarios/url-shortener/zone-outage.json", "scenarios/url-shortener/reference.json",
         AZB_FAIL_ZONE, 600, 900, 700, 25000},
        {"scenarios/global-checkout/region-failover.json",
         "scenarios/global-checkout/reference.json", AZB_FAIL_REGION, 300, 1200, 700, 2000},
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", AZB_SOURCE_DATA, cases[i].scenario);
        azb_errors errs;
        azb_errors_init(&errs);
        azb_scenario *s = azb_scenario_load(path, &errs);
        azb_design *d = load_design(cat, cases[i].design);
        if (s == NULL || errs.count != 0) {
            print_error("case \"%s\": expected a clean load, got:\n", cases[i].scenario);
            azbt_print_errors(&errs);
            failed++;
        } else if (!azb_scenario_check(s, d, cat, &errs) || errs.count != 0) {
            print_error("case \"%s\": expected a clean check, got:\n", cases[i].scenario);
            azbt_print_errors(&errs);
            failed++;
        } else {
            const azb_failure *f = &s->failures[0];
            failed += azbt_truth(cases[i].scenario, "one failure", s->nfailures == 1);
            failed += azbt_truth(cases[i].scenario, "its kind", f->what == cases[i].what);
            failed += azbt_near(cases[i].scenario, "at", cases[i].at, f->at_s, 0, 0);
            failed += azbt_near(cases[i].scenario, "recover_at", cases[i].recover, f->recover_s,
                                0, 0);
            failed += azbt_near(cases[i].scenario, "rate", cases[i].rate_probe,
                                azb_scenario_rate(s, cases[i].t_probe), 0, 0);
            double total = 0.0;
            for (int k = 0; k < s->nclasses; k++) {
                total += s->classes[k].share;
            }
            failed += azbt_near(cases[i].scenario, "class shares", 1.0, total, 1e-9, 0);
        }
        azb_scenario_destroy(s);
        azb_design_destroy(d);
        azb_errors_free(&errs);
    }
    assert_int_equal(failed, 0);
}

static void test_missing_file(void **state)
{
    (void)state;
    azb_errors errs;
    azb_errors_init(&errs);
    assert_null(azb_scenario_load("/nonexistent/zone-outage.json", &errs));
    assert_true(azb_errors_count_errors(&errs) > 0);
    assert_string_equal(errs.items[0].file, "/nonexistent/zone-outage.json");
    azb_errors_free(&errs);
}

/* Truncations of a valid file: none may crash or leak, each either loads or
 * says why. */
static void test_truncations(void **state)
{
    (void)state;
    size_t len = 0;
    char path[1024];
    snprintf(path, sizeof(path), "%s/scenarios/url-shortener/zone-outage.json", AZB_SOURCE_DATA);
    char *text = azbt_read(path, &len);
    int failed = 0;
    for (size_t n = 0; n < len; n++) {
        azb_errors errs;
        azb_errors_init(&errs);
        azb_scenario *s = azb_scenario_parse(text, n, "cut.json", &errs);
        if (s == NULL && azb_errors_count_errors(&errs) == 0) {
            print_error("prefix of %zu bytes: expected an error, got none\n", n);
            failed++;
        }
        azb_scenario_destroy(s);
        azb_errors_free(&errs);
    }
    free(text);
    assert_int_equal(failed, 0);
}

/* ------------------------------------------------------ contracts */

static bool dies(void (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *devnull = freopen("/dev/null", "w", stderr);
        (void)devnull;
        fn();
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status);
}

static void call_parse_null(void)
{
    azb_errors errs;
    azb_errors_init(&errs);
    (void)azb_scenario_parse(NULL, 0, "x", &errs);
}
static void call_parse_no_errs(void)
{
    (void)azb_scenario_parse("{}", 2, "x", NULL);
}
static void call_load_null(void)
{
    azb_errors errs;
    azb_errors_init(&errs);
    (void)azb_scenario_load(NULL, &errs);
}
static void call_check_null(void)
{
    azb_errors errs;
    azb_errors_init(&errs);
    (void)azb_scenario_check(NULL, NULL, NULL, &errs);
}
static void call_rate_null(void)
{
    (void)azb_scenario_rate(NULL, 0.0);
}
static void call_peak_null(void)
{
    (void)azb_scenario_peak_rate(NULL);
}
static void call_active_null(void)
{
    (void)azb_failure_active(NULL, 0.0);
}

static void test_null_contracts(void **state)
{
    (void)state;
    /* Freeing NULL is allowed, and names out of range are "?". */
    azb_scenario_destroy(NULL);
    assert_string_equal(azb_failure_what_name(AZB_FAIL_COUNT), "?");
    assert_string_equal(azb_failure_what_name(AZB_FAIL_CACHE_FLUSH), "cache_flush");
#ifdef NDEBUG
    print_message("asserts are compiled out (NDEBUG): contract checks not run\n");
    skip();
#else
    static const struct {
        const char *name;
        void (*fn)(void);
    } cases[] = {
        {"azb_scenario_parse(NULL text)", call_parse_null},
        {"azb_scenario_parse(NULL errs)", call_parse_no_errs},
        {"azb_scenario_load(NULL path)", call_load_null},
        {"azb_scenario_check(NULL)", call_check_null},
        {"azb_scenario_rate(NULL)", call_rate_null},
        {"azb_scenario_peak_rate(NULL)", call_peak_null},
        {"azb_failure_active(NULL)", call_active_null},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (!dies(cases[i].fn)) {
            fail_msg("case \"%s\": expected an assert, got a normal return", cases[i].name);
        }
    }
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_errors),  cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_rate),          cmocka_unit_test(test_check),
        cmocka_unit_test(test_check_zoneless_region), cmocka_unit_test(test_shipped),
        cmocka_unit_test(test_missing_file),  cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_null_contracts),
    };
    return cmocka_run_group_tests(tests, azbt_setup_catalog, azbt_teardown_catalog);
}
