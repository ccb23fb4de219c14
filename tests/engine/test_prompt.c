/*
 * Tests of the prompt module and of the shipped practice prompts.
 *
 * The shipped scenarios/ must load with no errors and no warnings, and every
 * starter and reference design in it must load and validate against the
 * shipped catalog with no records at all: users open these first.
 *
 * The negative cases build a small scenarios tree in a fresh temporary
 * folder (two prompts, "alpha" and "beta"), change one thing in one file and
 * check the record: its message, its file, and its line and column. Texts
 * write JSON with single quotes, turned into double quotes before writing.
 * An expected position is text to find in the changed file ("at"), with '^'
 * marking the exact spot inside it when that is not its first character;
 * the test computes line and column itself (1-based), independently of the
 * engine's locator. NO_POS means the record has no position (line 0).
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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "azb_design.h"
#include "azb_model.h"
#include "azb_prompt.h"
#include "azbt.h"

#define NO_POS "\001none"
#define SCENARIOS AZB_SOURCE_DATA "/scenarios"

/* ---------------------------------------------------------------- helpers */

/* `text` with the first `from` replaced by `to` (both in single-quote
 * notation); from == NULL replaces the whole text. */
static char *edit(const char *text, const char *from, const char *to)
{
    char *t = azbt_dq(text);
    if (to == NULL) {
        return t;
    }
    char *r = azbt_dq(to);
    if (from == NULL) {
        free(t);
        return r;
    }
    char *f = azbt_dq(from);
    char *out = azbt_replace_first(t, f, r, NULL);
    if (out == NULL) {
        fail_msg("broken test: \"%s\" is not in the text", from);
    }
    free(t);
    free(r);
    free(f);
    return out;
}

static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0755); /* one level is all the trees here need */
    *slash = '/';
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* Where `at` (single quotes, '^' marking the spot) first occurs in text. */
static bool expected_pos(const char *text, const char *at, int *line, int *col)
{
    size_t off = 0;
    if (!azbt_find_marked(text, at, 0, &off)) {
        return false;
    }
    azbt_linecol(text, off, line, col);
    return true;
}

static void print_errors(const char *name, const azb_errors *errs)
{
    fprintf(stderr, "case \"%s\": the records were:\n", name);
    if (errs->count == 0) {
        fprintf(stderr, "  (none)\n");
    }
    azbt_print_errors(errs);
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s);
    size_t m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

/* ------------------------------------------------------- a small tree */

static const char base_index[] =
    "{\n"
    "  'format': 'azboard/index',\n"
    "  'version': 1,\n"
    "  'default': 'alpha',\n"
    "  'prompts': [\n"
    "    {'id': 'alpha', 'file': 'alpha/prompt.json'},\n"
    "    {'id': 'beta', 'file': 'beta/prompt.json'}\n"
    "  ]\n"
    "}\n";

static const char base_prompt[] =
    "{\n"
    "  'format': 'azboard/prompt',\n"
    "  'version': 1,\n"
    "  'id': 'alpha',\n"
    "  'title': 'A title',\n"
    "  'level': 'core',\n"
    "  'summary': 'One line.',\n"
    "  'brief': 'What to build.',\n"
    "  'requirements': {\n"
    "    'peak_rps': 100,\n"
    "    'p99_ms': 200,\n"
    "    'availability': 0.999,\n"
    "    'monthly_budget_usd': 500,\n"
    "    'stored_gb': 10,\n"
    "    'regions': ['eastus'],\n"
    "    'geos': ['north-america']\n"
    "  },\n"
    "  'starter': 'starter.json',\n"
    "  'designs': ['reference.json']\n"
    "}\n";

typedef enum target { IN_INDEX, IN_ALPHA } target;

/* Write the tree with one change; returns the changed file's text. */
static char *make_tree(const char *dir, target where, const char *from, const char *to,
                       const char *skip)
{
    char *index = edit(base_index, NULL, NULL);
    char *alpha = edit(base_prompt, NULL, NULL);
    char *beta = edit(base_prompt, "'id': 'alpha'", "'id': 'beta'");
    char **changed = where == IN_INDEX ? &index : &alpha;
    if (to != NULL) {
        char *t = edit(*changed, from, to);
        free(*changed);
        *changed = t;
    }
    static const char *const designs[] = {"alpha/starter.json", "alpha/reference.json",
                                          "beta/starter.json", "beta/reference.json", NULL};
    write_file(dir, "index.json", index);
    write_file(dir, "alpha/prompt.json", alpha);
    write_file(dir, "beta/prompt.json", beta);
    for (int i = 0; designs[i] != NULL; i++) {
        if (skip == NULL || strcmp(skip, designs[i]) != 0) {
            write_file(dir, designs[i], "{}\n");
        }
    }
    char *out = where == IN_INDEX ? index : alpha;
    free(where == IN_INDEX ? alpha : index);
    free(beta);
    return out;
}

/* ------------------------------------------------------- negative cases */

static const struct {
    const char *name;
    target where;      /* which file the change is in (and the position refers to) */
    const char *from;  /* NULL: replace the whole file */
    const char *to;    /* NULL: no change */
    const char *skip;  /* a design file not to create */
    const char *msg;   /* expected in a record's message */
    const char *at;    /* where, in the changed file; NO_POS for none */
    bool warning;      /* the record is a warning and the load succeeds */
} cases[] = {
    {"malformed index", IN_INDEX, "'version': 1,", "'version': 1", NULL, "malformed JSON",
     "^'default'", false},
    {"index not an object", IN_INDEX, NULL, "[1, 2]", NULL,
     "expected a JSON object at the top, got an array", "[1", false},
    {"index of another format", IN_INDEX, "'azboard/index'", "'azboard/design'", NULL,
     "\"azboard/design\" is not an azboard prompt index", "'azboard/design'", false},
    {"index version 2", IN_INDEX, "'version': 1", "'version': 2", NULL,
     "version 2 is not supported", "'version': ^2", false},
    {"unknown default", IN_INDEX, "'default': 'alpha'", "'default': 'gamma'", NULL,
     "default \"gamma\" is not one of the prompts listed", "'gamma'", false},
    {"missing default", IN_INDEX, "'default': 'alpha',\n", "", NULL,
     "missing required key \"default\"", "{", false},
    {"duplicate id", IN_INDEX, "{'id': 'beta'", "{'id': 'alpha'", NULL,
     "duplicate prompt id \"alpha\" (also prompts[0])", "'alpha', 'file': 'beta", false},
    {"id not a slug", IN_INDEX, "{'id': 'beta'", "{'id': 'Beta Two'", NULL,
     "id \"Beta Two\" must be lower-case letters", "'Beta Two'", false},
    {"missing prompt file", IN_INDEX, "'beta/prompt.json'", "'gamma/prompt.json'", NULL,
     "\"gamma/prompt.json\" not found", "'gamma/prompt.json'", false},
    {"prompt file is a folder", IN_INDEX, "'beta/prompt.json'", "'beta'", NULL,
     "\"beta\" is not a regular file", "'beta'}", false},
    {"entry without file", IN_INDEX, "{'id': 'beta', 'file': 'beta/prompt.json'}",
     "{'id': 'beta'}", NULL, "missing required key \"file\"", "{'id': 'beta'}", false},
    {"entry not an object", IN_INDEX, "{'id': 'beta', 'file': 'beta/prompt.json'}", "'beta'",
     NULL, "expected an object, got a string", "'beta'", false},
    {"no prompts", IN_INDEX, NULL,
     "{'format': 'azboard/index', 'version': 1, 'default': 'alpha', 'prompts': []}", NULL,
     "the index lists no prompts", "[]", false},
    {"prompts not an array", IN_INDEX, NULL,
     "{'format': 'azboard/index', 'version': 1, 'default': 'alpha', 'prompts': {}}", NULL,
     "expected an array, got an object", "{}", false},
    {"duplicate key in the index", IN_INDEX, "'version': 1,", "'version': 1, 'version': 1,",
     NULL, "duplicate key \"version\"", "'version': ^1, 'version'", false},
    {"unknown key in the index", IN_INDEX, "'version': 1,", "'version': 1, 'defualt': 'beta',",
     NULL, "unknown key \"defualt\", ignored", "'defualt': ^'beta'", true},
    {"id mismatch", IN_ALPHA, "'id': 'alpha'", "'id': 'alfa'", NULL,
     "id \"alfa\" does not match the index, which lists this file as \"alpha\"", "'alfa'",
     false},
    {"prompt of another format", IN_ALPHA, "'azboard/prompt'", "'azboard/index'", NULL,
     "\"azboard/index\" is not an azboard prompt", "'azboard/index'", false},
    {"prompt without format", IN_ALPHA, "'format': 'azboard/prompt',\n", "", NULL,
     "missing \"format\": \"azboard/prompt\"", "{", false},
    {"availability 1.5", IN_ALPHA, "'availability': 0.999", "'availability': 1.5", NULL,
     "availability is a fraction between 0 and 1", "1.5", false},
    {"availability 0", IN_ALPHA, "'availability': 0.999", "'availability': 0", NULL,
     "availability is a fraction between 0 and 1", "'availability': ^0", false},
    {"availability as a percentage string", IN_ALPHA, "'availability': 0.999",
     "'availability': '99.9%'", NULL, "expected a number, got a string", "'99.9%'", false},
    {"negative peak rate", IN_ALPHA, "'peak_rps': 100", "'peak_rps': -5", NULL,
     "must be greater than 0, got -5", "-5", false},
    {"zero p99", IN_ALPHA, "'p99_ms': 200", "'p99_ms': 0", NULL, "must be greater than 0, got 0",
     "'p99_ms': ^0", false},
    {"negative stored data", IN_ALPHA, "'stored_gb': 10", "'stored_gb': -1", NULL,
     "must not be negative, got -1", "-1", false},
    {"huge budget", IN_ALPHA, "'monthly_budget_usd': 500", "'monthly_budget_usd': 1e300", NULL,
     "must be at most", "1e300", false},
    {"missing p99", IN_ALPHA, "'p99_ms': 200,\n", "", NULL, "missing required key \"p99_ms\"",
     "'requirements': ^{", false},
    {"missing requirements", IN_ALPHA, "'requirements'", "'needs'", NULL,
     "missing required key \"requirements\"", "{", false},
    {"requirements not an object", IN_ALPHA, "'requirements'",
     "'requirements': 3, 'old_requirements'", NULL, "expected an object, got a number",
     "'requirements': ^3", false},
    /* A duplicate key is located at its first occurrence: positions come
     * from JSON paths, which cannot tell two members of one name apart. */
    {"duplicate requirements", IN_ALPHA, "'starter': 'starter.json'",
     "'starter': 'starter.json', 'requirements': 3", NULL, "duplicate key \"requirements\"",
     "'requirements': ^{", false},
    {"no geographies", IN_ALPHA, "['north-america']", "[]", NULL,
     "geos must list at least one name", "[]", false},
    {"region listed twice", IN_ALPHA, "['eastus']", "['eastus', 'eastus']", NULL,
     "\"eastus\" is listed twice", "'eastus', ^'eastus'", false},
    {"region not a string", IN_ALPHA, "['eastus']", "['eastus', 7]", NULL,
     "expected a name (1 to 31 bytes), got a number", "7]", false},
    {"unknown level", IN_ALPHA, "'level': 'core'", "'level': 'hard'", NULL,
     "unknown level \"hard\"; expected one of: warm-up, core, stretch", "'hard'", false},
    {"empty title", IN_ALPHA, "'title': 'A title'", "'title': ''", NULL,
     "title must not be empty", "'title': ^''", false},
    {"missing starter file", IN_ALPHA, NULL, NULL, "alpha/starter.json",
     "\"starter.json\" not found", "'starter.json'", false},
    {"missing reference file", IN_ALPHA, NULL, NULL, "alpha/reference.json",
     "\"reference.json\" not found", "'reference.json'", false},
    {"starter missing", IN_ALPHA, "'starter': 'starter.json',\n", "", NULL,
     "missing required key \"starter\"", "{", false},
    {"absolute starter", IN_ALPHA, "'starter.json'", "'/etc/hostname'", NULL,
     "\"/etc/hostname\" is an absolute path; write it relative to this file", "'/etc/hostname'",
     false},
    {"designs not an array", IN_ALPHA, "['reference.json']", "'reference.json'", NULL,
     "expected an array of design files, got a string", "'reference.json'", false},
    {"design listed twice", IN_ALPHA, "['reference.json']",
     "['reference.json', 'reference.json']", NULL, "\"reference.json\" is listed twice",
     "'reference.json', ^'reference.json'", false},
    {"unknown key in a prompt", IN_ALPHA, "'brief':", "'breif': 'x',\n  'brief':", NULL,
     "unknown key \"breif\", ignored", "'breif': ^'x'", true},
    {"unknown requirement", IN_ALPHA, "'peak_rps': 100,", "'peak_rps': 100, 'p95_ms': 80,", NULL,
     "unknown key \"p95_ms\", ignored", "80", true},
};

static void test_negative_cases(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *dir = azbt_tempdir("azb-prompt-");
        char *text = make_tree(dir, cases[i].where, cases[i].from, cases[i].to, cases[i].skip);
        azb_errors errs;
        azb_errors_init(&errs);
        azb_prompts *p = azb_prompts_load(dir, &errs);
        const char *file = cases[i].where == IN_INDEX ? "/index.json" : "/alpha/prompt.json";
        int line = 0;
        int col = 0;
        bool no_pos = strcmp(cases[i].at, NO_POS) == 0;
        bool ok = true;
        if (!no_pos && !expected_pos(text, cases[i].at, &line, &col)) {
            fprintf(stderr, "case \"%s\": broken test: \"%s\" is not in the text\n", cases[i].name,
                    cases[i].at);
            ok = false;
        }
        if (cases[i].warning != (p != NULL)) {
            fprintf(stderr, "case \"%s\": expected the load to %s, it %s\n", cases[i].name,
                    cases[i].warning ? "succeed" : "fail", p != NULL ? "succeeded" : "failed");
            ok = false;
        }
        const azb_error *hit = NULL;
        for (int k = 0; k < errs.count && hit == NULL; k++) {
            if (strstr(errs.items[k].message, cases[i].msg) != NULL) {
                hit = &errs.items[k];
            }
        }
        if (hit == NULL) {
            fprintf(stderr, "case \"%s\": expected a record saying \"%s\"\n", cases[i].name,
                    cases[i].msg);
            ok = false;
        } else {
            if (!ends_with(hit->file, file)) {
                fprintf(stderr, "case \"%s\": expected file ...%s, got %s\n", cases[i].name, file,
                        hit->file);
                ok = false;
            }
            if (hit->warning != cases[i].warning) {
                fprintf(stderr, "case \"%s\": expected %s, got %s\n", cases[i].name,
                        cases[i].warning ? "a warning" : "an error",
                        hit->warning ? "a warning" : "an error");
                ok = false;
            }
            if (hit->line != line || hit->col != col) {
                fprintf(stderr, "case \"%s\": expected %d:%d, got %d:%d\n", cases[i].name, line,
                        col, hit->line, hit->col);
                ok = false;
            }
            if (!no_pos && !(hit->line > 0 && hit->col > 0)) {
                fprintf(stderr, "case \"%s\": expected a position\n", cases[i].name);
                ok = false;
            }
        }
        if (!ok) {
            print_errors(cases[i].name, &errs);
            failures++;
        }
        azb_prompts_destroy(p);
        azb_errors_free(&errs);
        free(text);
        azbt_remove_tree(dir);
        free(dir);
    }
    assert_int_equal(failures, 0);
}

/* Every problem in one run: two prompt files, two mistakes, two records. */
static void test_reports_every_problem(void **state)
{
    (void)state;
    char *dir = azbt_tempdir("azb-prompt-");
    char *text = make_tree(dir, IN_ALPHA, "'availability': 0.999", "'availability': 1.5",
                           "alpha/starter.json");
    char *beta = edit(base_prompt, "'id': 'alpha'", "'id': 'beta', 'level': 'easy'");
    write_file(dir, "beta/prompt.json", beta);
    azb_errors errs;
    azb_errors_init(&errs);
    azb_prompts *p = azb_prompts_load(dir, &errs);
    assert_null(p);
    int found = azbt_errors_contain(&errs, "availability is a fraction") +
                azbt_errors_contain(&errs, "\"starter.json\" not found") +
                azbt_errors_contain(&errs, "duplicate key \"level\"");
    if (found != 3) {
        print_errors("every problem", &errs);
    }
    assert_int_equal(found, 3);
    azb_errors_free(&errs);
    free(beta);
    free(text);
    azbt_remove_tree(dir);
    free(dir);
}

static void test_missing_index(void **state)
{
    (void)state;
    char *dir = azbt_tempdir("azb-prompt-");
    azb_errors errs;
    azb_errors_init(&errs);
    assert_null(azb_prompts_load(dir, &errs));
    assert_int_equal(errs.count, 1);
    assert_true(strstr(errs.items[0].message, "cannot open") != NULL);
    assert_true(ends_with(errs.items[0].file, "/index.json"));
    assert_int_equal(errs.items[0].line, 0);
    azb_errors_free(&errs);
    azbt_remove_tree(dir);
    free(dir);
}

/* A clean tree loads, from an absolute or a relative folder, and every
 * path in the list is absolute. */
static void test_loads_small_tree(void **state)
{
    (void)state;
    char *dir = azbt_tempdir("azb-prompt-");
    free(make_tree(dir, IN_INDEX, NULL, NULL, NULL));
    char cwd[1024];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    for (int pass = 0; pass < 2; pass++) {
        azb_errors errs;
        azb_errors_init(&errs);
        if (pass == 1) {
            assert_int_equal(chdir(dir), 0);
        }
        azb_prompts *p = azb_prompts_load(pass == 0 ? dir : ".", &errs);
        char here[1024];
        assert_non_null(getcwd(here, sizeof(here)));
        if (p == NULL) {
            print_errors("small tree", &errs);
        }
        assert_non_null(p);
        assert_int_equal(errs.count, 0);
        assert_int_equal(p->count, 2);
        assert_int_equal(p->default_index, 0);
        const azb_prompt *b = azb_prompts_find(p, "beta");
        assert_non_null(b);
        assert_ptr_equal(b, &p->items[1]);
        assert_string_equal(b->level, "core");
        assert_true(b->req.peak_rps == 100.0);
        assert_true(b->req.p99_ms == 200.0);
        assert_true(b->req.availability == 0.999);
        assert_true(b->req.monthly_budget_usd == 500.0);
        assert_true(b->req.stored_gb == 10.0);
        assert_int_equal(b->req.nregions, 1);
        assert_string_equal(b->req.regions[0], "eastus");
        assert_int_equal(b->req.ngeos, 1);
        assert_string_equal(b->req.geos[0], "north-america");
        char want[1200];
        snprintf(want, sizeof(want), "%s/beta/starter.json", pass == 0 ? dir : here);
        assert_string_equal(b->starter, want);
        snprintf(want, sizeof(want), "%s/beta/reference.json", pass == 0 ? dir : here);
        assert_int_equal(b->ndesigns, 1);
        assert_string_equal(b->designs[0], want);
        snprintf(want, sizeof(want), "%s/beta/prompt.json", pass == 0 ? dir : here);
        assert_string_equal(b->file, want);
        assert_null(azb_prompts_find(p, "gamma"));
        assert_null(azb_prompts_find(p, ""));
        azb_prompts_destroy(p);
        azb_errors_free(&errs);
    }
    assert_int_equal(chdir(cwd), 0);
    azbt_remove_tree(dir);
    free(dir);
}

/* Optional keys may be left out; what is left out reads as 0 / none. */
static void test_optional_keys(void **state)
{
    (void)state;
    char *dir = azbt_tempdir("azb-prompt-");
    char *text = make_tree(dir, IN_ALPHA,
                           "    'monthly_budget_usd': 500,\n    'stored_gb': 10,\n"
                           "    'regions': ['eastus'],\n",
                           "", NULL);
    char *t2 = edit(text, ",\n  'designs': ['reference.json']", "");
    write_file(dir, "alpha/prompt.json", t2);
    azb_errors errs;
    azb_errors_init(&errs);
    azb_prompts *p = azb_prompts_load(dir, &errs);
    if (p == NULL || errs.count != 0) {
        print_errors("optional keys", &errs);
    }
    assert_non_null(p);
    assert_int_equal(errs.count, 0);
    const azb_prompt *a = azb_prompts_find(p, "alpha");
    assert_non_null(a);
    assert_true(a->req.monthly_budget_usd == 0.0);
    assert_true(a->req.stored_gb == 0.0);
    assert_int_equal(a->req.nregions, 0);
    assert_int_equal(a->ndesigns, 0);
    assert_null(a->designs);
    azb_prompts_destroy(p);
    azb_errors_free(&errs);
    free(t2);
    free(text);
    azbt_remove_tree(dir);
    free(dir);
}

static void test_long_brief(void **state)
{
    (void)state;
    char *dir = azbt_tempdir("azb-prompt-");
    char brief[2200];
    memset(brief, 'x', 2100);
    strcpy(brief + 2100, "'");
    char to[2300];
    snprintf(to, sizeof(to), "'brief': '%s", brief);
    char *text = make_tree(dir, IN_ALPHA, "'brief': 'What to build.'", to, NULL);
    azb_errors errs;
    azb_errors_init(&errs);
    assert_null(azb_prompts_load(dir, &errs));
    int line = 0;
    int col = 0;
    assert_true(expected_pos(text, "'brief': ^'xxx", &line, &col));
    if (errs.count != 1 ||
        strstr(errs.items[0].message, "string is too long (2100 bytes; at most 2047)") == NULL ||
        errs.items[0].line != line || errs.items[0].col != col) {
        print_errors("long brief", &errs);
        fail_msg("expected one record at %d:%d", line, col);
    }
    azb_errors_free(&errs);
    free(text);
    azbt_remove_tree(dir);
    free(dir);
}

static void test_null_and_nonsense(void **state)
{
    (void)state;
    azb_prompts_destroy(NULL);
    assert_null(azb_prompts_find(NULL, "url-shortener"));
    azb_prompts empty = {NULL, 0, 0};
    assert_null(azb_prompts_find(&empty, "url-shortener"));
    assert_null(azb_prompts_find(&empty, NULL));
    azb_errors errs;
    azb_errors_init(&errs);
    assert_null(azb_prompts_load("/nonexistent/azboard/scenarios", &errs));
    assert_true(azbt_errors_contain(&errs, "cannot open"));
    azb_errors_free(&errs);
    /* A file where the folder should be. */
    azb_errors_init(&errs);
    assert_null(azb_prompts_load(SCENARIOS "/index.json", &errs));
    assert_true(errs.count >= 1);
    azb_errors_free(&errs);
}

/* ---------------------------------------------------- shipped scenarios */

static const char *const expected_prompts[] = {"url-shortener", "global-checkout",
                                               "telemetry-anomaly", "data-archival",
                                               "rag-assistant", NULL};

static azb_prompts *shipped(void)
{
    azb_errors errs;
    azb_errors_init(&errs);
    azb_prompts *p = azb_prompts_load(SCENARIOS, &errs);
    if (p == NULL || errs.count != 0) {
        print_errors("shipped index", &errs);
    }
    assert_non_null(p);
    assert_int_equal(errs.count, 0);
    azb_errors_free(&errs);
    return p;
}

static void test_shipped_index(void **state)
{
    (void)state;
    azb_prompts *p = shipped();
    assert_true(p->count >= 5);
    assert_string_equal(p->items[p->default_index].id, "url-shortener");
    for (int i = 0; expected_prompts[i] != NULL; i++) {
        const azb_prompt *q = azb_prompts_find(p, expected_prompts[i]);
        if (q == NULL) {
            fail_msg("prompt %s is not in the index", expected_prompts[i]);
        }
    }
    azb_catalog *cat = azbt_catalog();
    for (int i = 0; i < p->count; i++) {
        const azb_prompt *q = &p->items[i];
        const azb_requirements *r = &q->req;
        if (q->ndesigns < 1 || q->starter[0] != '/' || q->title[0] == '\0' ||
            strlen(q->brief) < 200 || !(r->peak_rps > 0.0) || !(r->p99_ms > 0.0) ||
            !(r->availability > 0.0 && r->availability < 1.0) || r->ngeos < 1) {
            fail_msg("prompt %s: needs a reference design, an absolute starter path, a title, a "
                     "real brief and stated rate, p99, availability and geographies",
                     q->id);
        }
        for (int k = 0; k < r->nregions; k++) {
            if (azb_catalog_find_region(cat, r->regions[k]) < 0) {
                fail_msg("prompt %s: region %s is not in assets/regions.json", q->id,
                         r->regions[k]);
            }
        }
        for (int k = 0; k < r->ngeos; k++) {
            if (azb_catalog_find_geo(cat, r->geos[k]) < 0) {
                fail_msg("prompt %s: geography %s is not in assets/regions.json", q->id,
                         r->geos[k]);
            }
        }
    }
    azb_catalog_destroy(cat);
    azb_prompts_destroy(p);
}

/* Is node n inside group g on the canvas? */
static bool inside(const azb_node *n, const azb_group *g)
{
    return n->x >= g->x && n->x <= g->x + g->w && n->y >= g->y && n->y <= g->y + g->h;
}

/* A design as shipped: loads with no records at all, is in the canonical
 * layout, names its prompt, has a workload entering at clients nodes, every
 * node placed on the canvas inside a box of its region (and of its zone,
 * when pinned to one zone that has a lane), sized for the prompt's peak, and
 * keeps every regional node in the regions the prompt allows. A reference
 * design must also hold the peak and meet the prompt's p99 in the analytic
 * model (end to end, as users see it); a starter is meant to fail somewhere,
 * so it is not held to that. */
static int check_design(const azb_catalog *cat, const azb_prompt *q, const char *path,
                        bool reference)
{
    int bad = 0;
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = azb_design_load(path, cat, &errs);
    if (d == NULL || errs.count != 0) {
        fprintf(stderr, "%s: %d records\n", path, errs.count);
        azbt_print_errors(&errs);
        azb_errors_free(&errs);
        azb_design_destroy(d);
        return 1;
    }
    azb_errors_free(&errs);
    char *canon = azb_design_to_json(d);
    char *text = azbt_read(path, NULL);
    if (canon == NULL || strcmp(canon, text) != 0) {
        fprintf(stderr, "%s: not in the canonical layout (run azboard fmt on it)\n", path);
        bad++;
    }
    free(canon);
    free(text);
    if (!d->has_prompt || strcmp(d->prompt, q->id) != 0) {
        fprintf(stderr, "%s: \"prompt\" should be \"%s\"\n", path, q->id);
        bad++;
    }
    /* Requests enter at the named clients node, or at every clients node
     * by share (several geographies). */
    int entry = d->workload.entry_idx;
    int sources = 0;
    for (int i = 0; i < d->nnodes; i++) {
        sources += d->nodes[i].kind_ref->capacity_model == AZB_CAP_SOURCE ? 1 : 0;
    }
    bool enters = entry >= 0 ? d->nodes[entry].kind_ref->capacity_model == AZB_CAP_SOURCE
                             : d->workload.entry[0] == '\0' && sources > 1;
    if (!d->workload.present || d->workload.nops < 1 || !enters) {
        fprintf(stderr, "%s: needs a workload with operations entering at clients nodes\n", path);
        bad++;
    }
    /* Starters too: the point of a starter is to see it fail at the peak. */
    if (d->workload.present && fabs(d->workload.rps - q->req.peak_rps) > 1e-9) {
        fprintf(stderr, "%s: the workload should offer the prompt's peak (%g), got %g\n", path,
                q->req.peak_rps, d->workload.rps);
        bad++;
    }
    for (int i = 0; i < d->nnodes; i++) {
        const azb_node *n = &d->nodes[i];
        if ((n->has & AZB_HAS_XY) == 0u || (n->has & AZB_HAS_LABEL) == 0u) {
            fprintf(stderr, "%s: node %s needs a label and a place (x, y)\n", path, n->id);
            bad++;
        }
        if (n->region[0] == '\0') {
            continue;
        }
        bool boxed = false;
        for (int g = 0; g < d->ngroups && !boxed; g++) {
            const azb_group *gr = &d->groups[g];
            boxed = strcmp(gr->kind, "region") == 0 && strcmp(gr->region, n->region) == 0 &&
                    inside(n, gr);
        }
        if (!boxed) {
            fprintf(stderr, "%s: node %s (%s) is not inside a box of its region\n", path, n->id,
                    n->region);
            bad++;
        }
        for (int g = 0; g < d->ngroups; g++) {
            const azb_group *gr = &d->groups[g];
            if (strcmp(gr->kind, "zone") != 0 || strcmp(gr->region, n->region) != 0) {
                continue;
            }
            bool mine = n->nzones == 1 && n->zones[0] == gr->zone;
            if (mine != inside(n, gr) && (mine || n->nzones > 0)) {
                fprintf(stderr, "%s: node %s (zones %d) and the zone %d lane do not agree\n",
                        path, n->id, n->nzones > 0 ? n->zones[0] : 0, gr->zone);
                bad++;
            }
        }
        if (q->req.nregions > 0) {
            bool allowed = false;
            for (int k = 0; k < q->req.nregions; k++) {
                allowed = allowed || strcmp(q->req.regions[k], n->region) == 0;
            }
            if (!allowed) {
                fprintf(stderr, "%s: node %s is in %s, outside the prompt's regions\n", path,
                        n->id, n->region);
                bad++;
            }
        }
    }
    if (reference) {
        azb_errors merrs;
        azb_errors_init(&merrs);
        azb_result *r = azb_model_run(d, cat, 0.0, &merrs);
        if (r == NULL) {
            fprintf(stderr, "%s: the model does not run:\n", path);
            azbt_print_errors(&merrs);
            bad++;
        } else if (r->saturated || r->latency.p99 > q->req.p99_ms) {
            fprintf(stderr,
                    "%s: at %g requests/s the model says max %.1f requests/s (bottleneck %s), "
                    "p99 %.1f ms; the prompt asks for %g ms\n",
                    path, r->offered_rps, r->max_throughput_rps,
                    r->bottleneck >= 0 ? d->nodes[r->bottleneck].id : "none", r->latency.p99,
                    q->req.p99_ms);
            bad++;
        }
        azb_result_destroy(r);
        azb_errors_free(&merrs);
    }
    azb_design_destroy(d);
    return bad;
}

static void test_shipped_designs(void **state)
{
    (void)state;
    azb_prompts *p = shipped();
    azb_catalog *cat = azbt_catalog();
    int bad = 0;
    int designs = 0;
    for (int i = 0; i < p->count; i++) {
        const azb_prompt *q = &p->items[i];
        bad += check_design(cat, q, q->starter, false);
        designs++;
        for (int k = 0; k < q->ndesigns; k++) {
            bad += check_design(cat, q, q->designs[k], true);
            designs++;
        }
    }
    fprintf(stderr, "checked %d designs of %d prompts\n", designs, p->count);
    assert_int_equal(bad, 0);
    azb_catalog_destroy(cat);
    azb_prompts_destroy(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_negative_cases),
        cmocka_unit_test(test_reports_every_problem),
        cmocka_unit_test(test_missing_index),
        cmocka_unit_test(test_loads_small_tree),
        cmocka_unit_test(test_optional_keys),
        cmocka_unit_test(test_long_brief),
        cmocka_unit_test(test_null_and_nonsense),
        cmocka_unit_test(test_shipped_index),
        cmocka_unit_test(test_shipped_designs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
