/*
 * Tests of the editing module: every function fed NULL, out-of-range and
 * nonsense arguments; undo and redo compared by the design's JSON, byte for
 * byte; transactions (a drag is one step); dirty tracking; placement into
 * region boxes and zone lanes; copy and paste with id collisions; the
 * inspector's fields, good and bad texts with their reasons; and the
 * history's memory on a 500-node design.
 *
 * After every change the tests check that the design still validates (on a
 * clone) and that its JSON loads back to the same JSON.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "azb_design.h"
#include "azb_edit.h"
#include "azbt.h"

/* ---------------------------------------------------------------- helpers */

static azb_design *load_scenario(const azb_catalog *cat, const char *rel)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/scenarios/%s", AZB_SOURCE_DATA, rel);
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = azb_design_load(path, cat, &errs);
    if (d == NULL) {
        azbt_print_errors(&errs);
        fail_msg("%s does not load", path);
    }
    azb_errors_free(&errs);
    return d;
}

static azb_editor *open_scenario(const azb_catalog *cat, const char *rel)
{
    azb_editor *ed = azb_edit_create(load_scenario(cat, rel), cat);
    assert_non_null(ed);
    return ed;
}

static char *json_of(const azb_editor *ed)
{
    char *j = azb_design_to_json(azb_edit_design(ed));
    assert_non_null(j);
    return j;
}

/* The design validates (checked on a clone) and its JSON loads back to the
 * same JSON. */
static void expect_sound(const azb_catalog *cat, const azb_editor *ed, const char *where)
{
    azb_design *c = azb_design_clone(azb_edit_design(ed));
    assert_non_null(c);
    azb_errors errs;
    azb_errors_init(&errs);
    if (!azb_design_validate(c, cat, &errs)) {
        azbt_print_errors(&errs);
        fail_msg("%s: the edited design does not validate", where);
    }
    azb_errors_clear(&errs);
    char *a = azb_design_to_json(c);
    assert_non_null(a);
    azb_design *back = azb_design_parse(a, strlen(a), "edited.json", cat, &errs);
    if (back == NULL) {
        azbt_print_errors(&errs);
        fail_msg("%s: the edited design's JSON does not load:\n%s", where, a);
    }
    char *b = azb_design_to_json(back);
    assert_non_null(b);
    if (strcmp(a, b) != 0) {
        fail_msg("%s: JSON changes on reload:\n%s\n---\n%s", where, a, b);
    }
    free(a);
    free(b);
    azb_design_destroy(back);
    azb_design_destroy(c);
    azb_errors_free(&errs);
}

static void expect_json(const azb_editor *ed, const char *want, const char *where)
{
    char *got = json_of(ed);
    if (strcmp(got, want) != 0) {
        fail_msg("%s: JSON differs.\nexpected:\n%s\ngot:\n%s", where, want, got);
    }
    free(got);
}

static void expect_field(const azb_editor *ed, azb_target_type t, int i, const char *field,
                         const char *want, const char *where)
{
    char got[1024];
    if (!azb_edit_get_field(ed, t, i, field, got, sizeof(got))) {
        fail_msg("%s: get_field %s failed", where, field);
    }
    if (strcmp(got, want) != 0) {
        fail_msg("%s: field %s expected \"%s\" got \"%s\"", where, field, want, got);
    }
}

static int node_index(const azb_editor *ed, const char *id)
{
    return azbt_node_of(azb_edit_design(ed), id);
}

/* ----------------------------------------------------- nonsense and NULL */

typedef struct bad_call {
    const char *name;
    bool (*call)(azb_editor *ed);
    const char *reason; /* in azb_edit_last_error; NULL: any or none */
} bad_call;

static bool bad_add_null_kind(azb_editor *ed)
{
    return azb_edit_add_node(ed, NULL, NULL, 0, 0, NULL, 0) >= 0;
}
static bool bad_add_unknown_kind(azb_editor *ed)
{
    char why[200];
    bool ok = azb_edit_add_node(ed, "app_servce", NULL, 0, 0, why, sizeof(why)) >= 0;
    assert_string_equal(why, azb_edit_last_error(ed));
    return ok;
}
static bool bad_add_unknown_sku(azb_editor *ed)
{
    return azb_edit_add_node(ed, "app_service", "P9v9", 0, 0, NULL, 0) >= 0;
}
static bool bad_add_nan(azb_editor *ed)
{
    return azb_edit_add_node(ed, "vm", NULL, NAN, 0, NULL, 0) >= 0;
}
static bool bad_move_null(azb_editor *ed)
{
    return azb_edit_move_nodes(ed, NULL, 2, 1, 1);
}
static bool bad_move_range(azb_editor *ed)
{
    int nodes[] = {0, 99};
    return azb_edit_move_nodes(ed, nodes, 2, 1, 1);
}
static bool bad_move_inf(azb_editor *ed)
{
    int nodes[] = {0};
    return azb_edit_move_nodes(ed, nodes, 1, INFINITY, 1);
}
static bool bad_position_range(azb_editor *ed)
{
    return azb_edit_set_position(ed, -1, 0, 0);
}
static bool bad_position_nan(azb_editor *ed)
{
    return azb_edit_set_position(ed, 0, 0, NAN);
}
static bool bad_place_range(azb_editor *ed)
{
    return azb_edit_place(ed, 4);
}
static bool bad_connect_range(azb_editor *ed)
{
    return azb_edit_connect(ed, 0, 4) >= 0;
}
static bool bad_connect_self(azb_editor *ed)
{
    return azb_edit_connect(ed, 1, 1) >= 0;
}
static bool bad_connect_dup(azb_editor *ed)
{
    return azb_edit_connect(ed, 1, 2) >= 0; /* app -> cache exists */
}
static bool bad_connect_clients(azb_editor *ed)
{
    return azb_edit_connect(ed, 1, 0) >= 0; /* app -> users */
}
static bool bad_connect_loop(azb_editor *ed)
{
    return azb_edit_connect(ed, 3, 1) >= 0; /* db -> app closes app -> db at p 1 */
}
static bool bad_group_kind(azb_editor *ed)
{
    return azb_edit_add_group(ed, "continent", "eastus", 0, 0, 0, 10, 10) >= 0;
}
static bool bad_group_null(azb_editor *ed)
{
    return azb_edit_add_group(ed, NULL, NULL, 0, 0, 0, 10, 10) >= 0;
}
static bool bad_group_zone(azb_editor *ed)
{
    return azb_edit_add_group(ed, "zone", "eastus", 4, 0, 0, 10, 10) >= 0;
}
static bool bad_group_no_zones(azb_editor *ed)
{
    return azb_edit_add_group(ed, "zone", "westus", 1, 0, 0, 10, 10) >= 0;
}
static bool bad_group_region(azb_editor *ed)
{
    return azb_edit_add_group(ed, "region", "eastuss", 0, 0, 0, 10, 10) >= 0;
}
static bool bad_group_size(azb_editor *ed)
{
    return azb_edit_add_group(ed, "region", "eastus", 0, 0, 0, 0, 10) >= 0;
}
static bool bad_rect_range(azb_editor *ed)
{
    return azb_edit_set_group_rect(ed, 1, 0, 0, 10, 10);
}
static bool bad_rect_size(azb_editor *ed)
{
    return azb_edit_set_group_rect(ed, 0, 0, 0, 10, -1);
}
static bool bad_delete_null(azb_editor *ed)
{
    return azb_edit_delete(ed, NULL, 1, NULL, 0, NULL, 0);
}
static bool bad_delete_range(azb_editor *ed)
{
    int edges[] = {0, 4};
    return azb_edit_delete(ed, NULL, 0, edges, 2, NULL, 0);
}
static bool bad_delete_negative(azb_editor *ed)
{
    int groups[] = {0};
    return azb_edit_delete(ed, NULL, -1, NULL, 0, groups, 1);
}
static bool bad_delete_entry(azb_editor *ed)
{
    int nodes[] = {0}; /* users: the workload's entry */
    return azb_edit_delete(ed, nodes, 1, NULL, 0, NULL, 0);
}
static bool bad_field_null(azb_editor *ed)
{
    return azb_edit_set_field(ed, AZB_TARGET_NODE, 0, NULL, "x", NULL, 0);
}
static bool bad_text_null(azb_editor *ed)
{
    return azb_edit_set_field(ed, AZB_TARGET_NODE, 0, "label", NULL, NULL, 0);
}
static bool bad_field_range(azb_editor *ed)
{
    return azb_edit_set_field(ed, AZB_TARGET_EDGE, 4, "p", "0.5", NULL, 0);
}
static bool bad_field_type(azb_editor *ed)
{
    return azb_edit_set_field(ed, (azb_target_type)7, 0, "label", "x", NULL, 0);
}
static bool bad_rps_zero(azb_editor *ed)
{
    return azb_edit_set_rps(ed, 0.0);
}
static bool bad_rps_nan(azb_editor *ed)
{
    return azb_edit_set_rps(ed, NAN);
}
static bool bad_rps_huge(azb_editor *ed)
{
    return azb_edit_set_rps(ed, 2e9);
}
static bool bad_paste_null(azb_editor *ed)
{
    return azb_edit_paste(ed, NULL, 0, 0, NULL) >= 0;
}
static bool bad_paste_nan(azb_editor *ed)
{
    azb_design *clip = azb_design_create("c");
    bool ok = azb_edit_paste(ed, clip, NAN, 0, NULL) >= 0;
    azb_design_destroy(clip);
    return ok;
}
static bool bad_undo_empty(azb_editor *ed)
{
    return azb_edit_undo(ed);
}
static bool bad_redo_empty(azb_editor *ed)
{
    return azb_edit_redo(ed);
}

static void test_nonsense(void **state)
{
    const azb_catalog *cat = *state;
    static const bad_call cases[] = {
        {"add_node NULL kind", bad_add_null_kind, "needs a kind"},
        {"add_node unknown kind", bad_add_unknown_kind,
         "unknown kind \"app_servce\"; did you mean app_service"},
        {"add_node unknown SKU", bad_add_unknown_sku, "unknown SKU \"P9v9\" for kind app_service"},
        {"add_node NaN position", bad_add_nan, "finite"},
        {"move_nodes NULL list", bad_move_null, "no nodes"},
        {"move_nodes out of range", bad_move_range, "no node 99"},
        {"move_nodes infinite", bad_move_inf, "finite"},
        {"set_position -1", bad_position_range, "no node -1"},
        {"set_position NaN", bad_position_nan, "finite"},
        {"place out of range", bad_place_range, "no node 4"},
        {"connect out of range", bad_connect_range, "no node 4"},
        {"connect to itself", bad_connect_self, "itself"},
        {"connect twice", bad_connect_dup, "app already calls cache"},
        {"connect into clients", bad_connect_clients, "clients node"},
        {"connect a loop", bad_connect_loop, "calls loop without end"},
        {"add_group bad kind", bad_group_kind, "\"continent\""},
        {"add_group NULL", bad_group_null, "(null)"},
        {"add_group zone 4", bad_group_zone, "zone from 1 to 3, not 4"},
        {"add_group zone where none", bad_group_no_zones,
         "region westus has no availability zones"},
        {"add_group unknown region", bad_group_region, "unknown region \"eastuss\""},
        {"add_group zero width", bad_group_size, "width and height above 0"},
        {"set_group_rect out of range", bad_rect_range, "no group 1"},
        {"set_group_rect negative", bad_rect_size, "width and height above 0"},
        {"delete NULL with count", bad_delete_null, "no node list"},
        {"delete out of range", bad_delete_range, "no edge 4"},
        {"delete negative count", bad_delete_negative, "no node list"},
        {"delete the entry node", bad_delete_entry, "workload.entry: no node has id \"users\""},
        {"set_field NULL field", bad_field_null, "no field"},
        {"set_field NULL text", bad_text_null, "no text"},
        {"set_field edge out of range", bad_field_range, "no edge 4"},
        {"set_field bad target type", bad_field_type, "no group 0"},
        {"set_rps 0", bad_rps_zero, "greater than 0"},
        {"set_rps NaN", bad_rps_nan, "greater than 0"},
        {"set_rps 2e9", bad_rps_huge, "at most 1e+09"},
        {"paste NULL", bad_paste_null, "nothing to paste"},
        {"paste NaN offset", bad_paste_nan, "finite"},
        {"undo with nothing", bad_undo_empty, "nothing to undo"},
        {"redo with nothing", bad_redo_empty, "nothing to redo"},
    };
    azb_editor *ed = open_scenario(cat, "url-shortener/reference.json");
    char *before = json_of(ed);
    unsigned long rev = azb_edit_revision(ed);
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bool ok = cases[i].call(ed);
        const char *why = azb_edit_last_error(ed);
        char *now = json_of(ed);
        if (ok) {
            print_error("case \"%s\": expected a refusal, got success\n", cases[i].name);
            failures++;
        } else if (cases[i].reason != NULL && strstr(why, cases[i].reason) == NULL) {
            print_error("case \"%s\": expected reason containing \"%s\", got \"%s\"\n",
                        cases[i].name, cases[i].reason, why);
            failures++;
        }
        if (strcmp(now, before) != 0 || azb_edit_revision(ed) != rev || azb_edit_dirty(ed) ||
            azb_edit_can_undo(ed)) {
            print_error("case \"%s\": a refusal changed the design or its history\n",
                        cases[i].name);
            failures++;
        }
        free(now);
    }
    assert_int_equal(failures, 0);
    expect_sound(cat, ed, "after refusals");

    /* Readers and no-ops on nonsense. */
    char out[64] = "x";
    assert_false(azb_edit_get_field(ed, AZB_TARGET_NODE, 0, NULL, out, sizeof(out)));
    assert_string_equal(out, "");
    assert_false(azb_edit_get_field(ed, AZB_TARGET_NODE, 9, "label", out, sizeof(out)));
    assert_false(azb_edit_get_field(ed, AZB_TARGET_NODE, 0, "nonsense", out, sizeof(out)));
    assert_false(azb_edit_get_field(ed, AZB_TARGET_NODE, 0, "label", NULL, 0));
    assert_false(azb_edit_get_field(ed, AZB_TARGET_GROUP, -1, "label", out, sizeof(out)));
    assert_int_equal(azb_edit_fields(ed, AZB_TARGET_EDGE, 4, NULL, 0), -1);
    assert_int_equal(azb_edit_fields(ed, AZB_TARGET_NODE, 0, NULL, 3), -1);
    assert_int_equal(azb_edit_fields(ed, (azb_target_type)9, 0, NULL, 0), -1);
    assert_null(azb_edit_copy(ed, NULL, 1));
    int sel[] = {0, 7};
    assert_null(azb_edit_copy(ed, sel, 0));
    assert_null(azb_edit_copy(ed, sel, 2));
    azb_design *empty = azb_design_create("c");
    assert_int_equal(azb_edit_paste(ed, empty, 0, 0, NULL), 0);
    azb_design_destroy(empty);
    azb_edit_commit(ed, "unbalanced");
    azb_edit_cancel(ed);
    assert_true(azb_edit_delete(ed, NULL, 0, NULL, 0, NULL, 0));
    assert_true(azb_edit_move_nodes(ed, NULL, 0, 5, 5));
    assert_string_equal(azb_edit_undo_label(ed), "");
    assert_string_equal(azb_edit_redo_label(ed), "");
    assert_int_equal(azb_edit_undo_count(ed), 0);
    assert_int_equal(azb_edit_redo_count(ed), 0);
    expect_json(ed, before, "after no-ops");
    assert_int_equal(azb_edit_revision(ed), rev);
    free(before);
    azb_edit_destroy(ed);
    azb_edit_destroy(NULL);
}

static void test_create_empty(void **state)
{
    const azb_catalog *cat = *state;
    azb_editor *ed = azb_edit_create(NULL, cat);
    assert_non_null(ed);
    const azb_design *d = azb_edit_design(ed);
    assert_string_equal(d->name, "Untitled");
    assert_int_equal(d->nnodes, 0);
    assert_false(azb_edit_dirty(ed));
    int a = azb_edit_add_node(ed, "app_service", NULL, 10, 20, NULL, 0);
    int b = azb_edit_add_node(ed, "app_service", "P1v3", 30, 20, NULL, 0);
    int c = azb_edit_add_node(ed, "service_bus", NULL, 50, 20, NULL, 0);
    assert_int_equal(a, 0);
    assert_int_equal(b, 1);
    assert_int_equal(c, 2);
    d = azb_edit_design(ed);
    assert_string_equal(d->nodes[0].id, "app_service-1");
    assert_string_equal(d->nodes[1].id, "app_service-2");
    assert_string_equal(d->nodes[2].id, "service_bus-1");
    /* The default SKU stays implicit; a given one is written. */
    expect_field(ed, AZB_TARGET_NODE, 0, "sku", "", "default sku");
    expect_field(ed, AZB_TARGET_NODE, 1, "sku", "P1v3", "given sku");
    /* The smallest free n: deleting app_service-1 frees it again. */
    int del[] = {0};
    assert_true(azb_edit_delete(ed, del, 1, NULL, 0, NULL, 0));
    assert_int_equal(azb_edit_add_node(ed, "app_service", NULL, 0, 0, NULL, 0), 2);
    assert_string_equal(azb_edit_design(ed)->nodes[2].id, "app_service-1");
    expect_sound(cat, ed, "new design");

    /* reset: a new design, no history, clean. */
    azb_edit_reset(ed, NULL);
    assert_int_equal(azb_edit_design(ed)->nnodes, 0);
    assert_false(azb_edit_can_undo(ed));
    assert_false(azb_edit_dirty(ed));
    azb_edit_reset(ed, load_scenario(cat, "url-shortener/starter.json"));
    assert_false(azb_edit_dirty(ed));
    expect_sound(cat, ed, "after reset");
    azb_edit_destroy(ed);
}

/* ----------------------------------------------------- undo and redo */

static void test_undo_redo_round_trip(void **state)
{
    const azb_catalog *cat = *state;
    azb_editor *ed = open_scenario(cat, "url-shortener/reference.json");
    enum { MAX_STEPS = 32 };
    char *snap[MAX_STEPS];
    int n = 0;
    snap[n++] = json_of(ed);
#define STEP(expr)                                                                                 \
    do {                                                                                           \
        if (!(expr)) {                                                                             \
            fail_msg("step %d (%s) refused: %s", n, #expr, azb_edit_last_error(ed));               \
        }                                                                                          \
        expect_sound(cat, ed, #expr);                                                              \
        assert_int_equal(azb_edit_undo_count(ed), n);                                              \
        snap[n++] = json_of(ed);                                                                   \
    } while (0)
    int app = node_index(ed, "app");
    int db = node_index(ed, "db");
    STEP(azb_edit_add_node(ed, "service_bus", NULL, 600, 420, NULL, 0) == 4);
    STEP(azb_edit_connect(ed, app, 4) == 4);
    STEP(azb_edit_set_field(ed, AZB_TARGET_NODE, app, "count", "12", NULL, 0));
    STEP(azb_edit_set_field(ed, AZB_TARGET_NODE, db, "ru_per_s", "8000", NULL, 0));
    STEP(azb_edit_set_field(ed, AZB_TARGET_NODE, app, "label", "", NULL, 0));
    STEP(azb_edit_set_field(ed, AZB_TARGET_EDGE, 1, "p", "0.5", NULL, 0));
    STEP(azb_edit_set_field(ed, AZB_TARGET_EDGE, 0, "ops", "GET /{code}", NULL, 0));
    STEP(azb_edit_set_field(ed, AZB_TARGET_GROUP, 0, "label", "Primary", NULL, 0));
    int sel[] = {app, db};
    STEP(azb_edit_move_nodes(ed, sel, 2, 15, -5));
    STEP(azb_edit_add_group(ed, "zone", "eastus", 2, 280, 120, 200, 80) == 1);
    STEP(azb_edit_set_group_rect(ed, 1, 285, 125, 210, 90));
    STEP(azb_edit_set_rps(ed, 5000));
    int del[] = {node_index(ed, "cache")};
    STEP(azb_edit_delete(ed, del, 1, NULL, 0, NULL, 0));
    azb_design *clip = azb_edit_copy(ed, sel, 2);
    assert_non_null(clip);
    STEP(azb_edit_paste(ed, clip, 40, 40, NULL) == 2);
    azb_design_destroy(clip);
    STEP(azb_edit_set_field(ed, AZB_TARGET_NODE, db, "kind", "sql_database", NULL, 0));
#undef STEP
    /* Undo all: each state comes back byte for byte, ending at the file. */
    for (int k = n - 2; k >= 0; k--) {
        assert_true(azb_edit_undo(ed));
        char where[64];
        snprintf(where, sizeof(where), "undo to state %d", k);
        expect_json(ed, snap[k], where);
    }
    assert_false(azb_edit_can_undo(ed));
    expect_sound(cat, ed, "after undo all");
    /* Redo all: each state again, ending at the last. */
    for (int k = 1; k < n; k++) {
        assert_true(azb_edit_redo(ed));
        char where[64];
        snprintf(where, sizeof(where), "redo to state %d", k);
        expect_json(ed, snap[k], where);
    }
    assert_false(azb_edit_can_redo(ed));
    expect_sound(cat, ed, "after redo all");
    /* A new step after an undo drops the redo list. */
    assert_true(azb_edit_undo(ed));
    assert_int_equal(azb_edit_redo_count(ed), 1);
    assert_true(azb_edit_set_field(ed, AZB_TARGET_NODE, app, "count", "7", NULL, 0));
    assert_int_equal(azb_edit_redo_count(ed), 0);
    assert_false(azb_edit_redo(ed));
    for (int k = 0; k < n; k++) {
        free(snap[k]);
    }
    azb_edit_destroy(ed);
}

/* ----------------------------------------------------- transactions */

static void test_transactions(void **state)
{
    const azb_catalog *cat = *state;
    azb_editor *ed = open_scenario(cat, "url-shortener/reference.json");
    char *orig = json_of(ed);
    int app = node_index(ed, "app");
    double x0 = azb_edit_design(ed)->nodes[app].x;
    double y0 = azb_edit_design(ed)->nodes[app].y;
    size_t bytes0 = azb_edit_history_bytes(ed);

    /* A drag: 100 positions, one step that keeps the start. */
    unsigned long rev = azb_edit_revision(ed);
    azb_edit_begin(ed);
    for (int i = 1; i <= 100; i++) {
        assert_true(azb_edit_set_position(ed, app, x0 + i, y0 + 0.5 * i));
        assert_false(azb_edit_can_undo(ed)); /* refused while a change is in progress */
    }
    assert_false(azb_edit_undo(ed));
    assert_true(azb_edit_place(ed, app));
    azb_edit_commit(ed, "Drag app");
    assert_true(azb_edit_revision(ed) >= rev + 100);
    assert_int_equal(azb_edit_undo_count(ed), 1);
    assert_string_equal(azb_edit_undo_label(ed), "Drag app");
    size_t drag = azb_edit_history_bytes(ed) - bytes0;
    /* One node record (the start position), not 100. */
    size_t one = sizeof(azb_node) + 1024;
    if (drag > 4 * one) {
        fail_msg("a 100-frame drag holds %zu bytes of history; expected about one node (%zu)", drag,
                 one);
    }
    char *dragged = json_of(ed);
    assert_true(azb_edit_undo(ed));
    expect_json(ed, orig, "drag undone");
    assert_true(azb_edit_redo(ed));
    expect_json(ed, dragged, "drag redone");
    assert_true(azb_edit_design(ed)->nodes[app].x == x0 + 100);

    /* An empty transaction records nothing. */
    azb_edit_begin(ed);
    azb_edit_commit(ed, "nothing");
    assert_int_equal(azb_edit_undo_count(ed), 1);

    /* Nested: the inner cancel undoes only its own changes; one step. */
    int db = node_index(ed, "db");
    azb_edit_begin(ed);
    assert_true(azb_edit_set_field(ed, AZB_TARGET_NODE, app, "count", "10", NULL, 0));
    azb_edit_begin(ed);
    assert_true(azb_edit_set_field(ed, AZB_TARGET_NODE, app, "count", "11", NULL, 0));
    assert_true(azb_edit_set_field(ed, AZB_TARGET_NODE, db, "ru_per_s", "9000", NULL, 0));
    azb_edit_cancel(ed);
    expect_field(ed, AZB_TARGET_NODE, app, "count", "10", "inner cancel");
    expect_field(ed, AZB_TARGET_NODE, db, "ru_per_s", "4000", "inner cancel");
    azb_edit_begin(ed);
    assert_true(azb_edit_set_field(ed, AZB_TARGET_NODE, db, "ru_per_s", "6000", NULL, 0));
    azb_edit_commit(ed, "inner");
    azb_edit_commit(ed, NULL);
    assert_int_equal(azb_edit_undo_count(ed), 2);
    assert_string_equal(azb_edit_undo_label(ed), "Set count"); /* its first change names it */
    assert_true(azb_edit_undo(ed));
    expect_json(ed, dragged, "nested undone");

    /* Cancel of the outer transaction: nothing happened. */
    rev = azb_edit_revision(ed);
    azb_edit_begin(ed);
    assert_int_equal(azb_edit_add_node(ed, "vm", NULL, 0, 0, NULL, 0), 4);
    assert_true(azb_edit_connect(ed, app, 4) >= 0);
    assert_true(azb_edit_dirty(ed));
    azb_edit_cancel(ed);
    expect_json(ed, dragged, "cancelled");
    assert_true(azb_edit_revision(ed) > rev);
    assert_int_equal(azb_edit_undo_count(ed), 1);
    assert_int_equal(azb_edit_redo_count(ed), 1); /* cancel does not touch the redo list */

    /* A refused change inside a transaction leaves the rest in it. */
    azb_edit_begin(ed);
    assert_true(azb_edit_set_field(ed, AZB_TARGET_NODE, app, "label", "A", NULL, 0));
    assert_false(azb_edit_set_field(ed, AZB_TARGET_NODE, app, "count", "0", NULL, 0));
    azb_edit_commit(ed, "label");
    expect_field(ed, AZB_TARGET_NODE, app, "label", "A", "kept");
    assert_int_equal(azb_edit_undo_count(ed), 2);

    /* The slider: many rates, one step holding the first. */
    double rps0 = azb_edit_design(ed)->workload.rps;
    azb_edit_begin(ed);
    for (int i = 1; i <= 50; i++) {
        assert_true(azb_edit_set_rps(ed, 1000.0 * i));
    }
    azb_edit_commit(ed, "Rate");
    assert_int_equal(azb_edit_undo_count(ed), 3);
    assert_true(azb_edit_undo(ed));
    assert_true(azb_edit_design(ed)->workload.rps == rps0);
    expect_sound(cat, ed, "transactions");
    free(orig);
    free(dragged);
    azb_edit_destroy(ed);
}

/* ----------------------------------------------------- dirty tracking */

static void test_dirty(void **state)
{
    const azb_catalog *cat = *state;
    azb_editor *ed = open_scenario(cat, "url-shortener/reference.json");
    int app = node_index(ed, "app");
    static const struct {
        const char *name;
        int action; /* 0 edit, 1 save, 2 undo, 3 redo */
        bool dirty;
    } steps[] = {
        {"fresh", -1, false},        {"edit", 0, true},
        {"save", 1, false},          {"undo", 2, true},
        {"redo", 3, false},          {"edit again", 0, true},
        {"undo to saved", 2, false}, {"undo past saved", 2, true},
        {"redo to saved", 3, false}, {"save", 1, false},
        {"undo", 2, true},           {"new branch", 0, true},
        {"undo branch", 2, true},    {"save", 1, false},
    };
    unsigned long rev = azb_edit_revision(ed);
    int count = 6; /* autoscale's range is [6, 20] */
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        char text[16];
        switch (steps[i].action) {
        case 0:
            snprintf(text, sizeof(text), "%d", count++);
            assert_true(azb_edit_set_field(ed, AZB_TARGET_NODE, app, "count", text, NULL, 0) ||
                        (print_error("%s\n", azb_edit_last_error(ed)), false));
            break;
        case 1:
            azb_edit_mark_saved(ed);
            break;
        case 2:
            assert_true(azb_edit_undo(ed));
            break;
        case 3:
            assert_true(azb_edit_redo(ed));
            break;
        default:
            break;
        }
        if (azb_edit_dirty(ed) != steps[i].dirty) {
            fail_msg("case \"%s\" (step %zu): expected dirty %d, got %d", steps[i].name, i,
                     steps[i].dirty, azb_edit_dirty(ed));
        }
        if (steps[i].action == 0 || steps[i].action >= 2) {
            assert_true(azb_edit_revision(ed) > rev);
        } else {
            assert_true(azb_edit_revision(ed) == rev);
        }
        rev = azb_edit_revision(ed);
    }
    /* Saved in the middle of a transaction: dirty once it commits. */
    azb_edit_begin(ed);
    assert_true(azb_edit_set_position(ed, app, 1, 2));
    azb_edit_mark_saved(ed);
    assert_true(azb_edit_dirty(ed));
    azb_edit_commit(ed, "drag");
    assert_true(azb_edit_dirty(ed));
    azb_edit_destroy(ed);
}

/* ----------------------------------------------------- placement */

static void test_placement(void **state)
{
    const azb_catalog *cat = *state;
    /* starter: region box eastus (270,170) 460x170; zone lane 1 at (275,200) 430x115. */
    azb_editor *ed = open_scenario(cat, "url-shortener/starter.json");
    static const struct {
        const char *name;
        double x, y;
        const char *region;
        const char *zones;
    } cases[] = {
        {"in the zone lane", 300, 250, "eastus", "1"},
        {"region box, outside the lane", 300, 330, "eastus", ""},
        {"outside every box", 50, 50, "", ""},
        {"on the lane's corner", 275, 200, "eastus", "1"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int n = azb_edit_add_node(ed, "vm", NULL, cases[i].x, cases[i].y, NULL, 0);
        assert_true(n >= 0);
        expect_field(ed, AZB_TARGET_NODE, n, "region", cases[i].region, cases[i].name);
        expect_field(ed, AZB_TARGET_NODE, n, "zones", cases[i].zones, cases[i].name);
    }
    expect_sound(cat, ed, "placed");
    int n = azb_edit_add_node(ed, "vm", NULL, 300, 250, NULL, 0);
    /* Out of every box: region and zones stay. */
    int sel[] = {n};
    assert_true(azb_edit_move_nodes(ed, sel, 1, -280, -230));
    expect_field(ed, AZB_TARGET_NODE, n, "region", "eastus", "moved out");
    expect_field(ed, AZB_TARGET_NODE, n, "zones", "1", "moved out");
    /* Into a new region box of another region: region set, zones cleared. */
    int g = azb_edit_add_group(ed, "region", "westus", 0, 0, 500, 300, 200);
    assert_true(g >= 0);
    expect_field(ed, AZB_TARGET_GROUP, g, "zone", "", "region box zone");
    assert_true(azb_edit_set_position(ed, n, 100, 600));
    expect_field(ed, AZB_TARGET_NODE, n, "region", "eastus", "set_position does not place");
    assert_true(azb_edit_place(ed, n));
    expect_field(ed, AZB_TARGET_NODE, n, "region", "westus", "placed in westus");
    expect_field(ed, AZB_TARGET_NODE, n, "zones", "", "placed in westus");
    /* Back in the eastus region box (not the lane): region set, no zones. */
    assert_true(azb_edit_set_position(ed, n, 300, 330));
    assert_true(azb_edit_place(ed, n));
    expect_field(ed, AZB_TARGET_NODE, n, "region", "eastus", "region box");
    expect_field(ed, AZB_TARGET_NODE, n, "zones", "", "region box");
    /* A zone-redundant node moved within its region box keeps its zones. */
    assert_true(azb_edit_set_field(ed, AZB_TARGET_NODE, n, "zones", "1,2,3", NULL, 0));
    assert_true(azb_edit_move_nodes(ed, sel, 1, 5, 0));
    expect_field(ed, AZB_TARGET_NODE, n, "zones", "1,2,3", "zone-redundant kept");
    /* Dropped into the lane: pinned to zone 1. */
    assert_true(azb_edit_move_nodes(ed, sel, 1, 0, -80));
    expect_field(ed, AZB_TARGET_NODE, n, "zones", "1", "into the lane");
    /* A lane over the whole region box still wins as the innermost... */
    int z2 = azb_edit_add_group(ed, "zone", "eastus", 2, 270, 170, 460, 170);
    assert_true(z2 >= 0);
    assert_true(azb_edit_place(ed, n));
    expect_field(ed, AZB_TARGET_NODE, n, "zones", "1", "smaller lane wins");
    int nodes_in_lane2 = azb_edit_add_node(ed, "vm", NULL, 700, 330, NULL, 0);
    expect_field(ed, AZB_TARGET_NODE, nodes_in_lane2, "zones", "2", "same area: the lane");
    /* Clients nodes are not placed; they get a geo. */
    int c = azb_edit_add_node(ed, "clients", NULL, 300, 250, NULL, 0);
    assert_true(c >= 0);
    expect_field(ed, AZB_TARGET_NODE, c, "region", "", "clients");
    char geo[64];
    assert_true(azb_edit_get_field(ed, AZB_TARGET_NODE, c, "geo", geo, sizeof(geo)));
    assert_string_equal(geo, cat->geos[0].id);
    expect_field(ed, AZB_TARGET_NODE, c, "share", "0", "clients share left");
    expect_sound(cat, ed, "placement");
    azb_edit_destroy(ed);
}

/* ----------------------------------------------------- edges, delete */

static void test_connect_and_delete(void **state)
{
    const azb_catalog *cat = *state;
    azb_editor *ed = open_scenario(cat, "url-shortener/reference.json");
    char *orig = json_of(ed);
    int app = node_index(ed, "app");
    int bus = azb_edit_add_node(ed, "service_bus", NULL, 700, 500, NULL, 0);
    int hubs = azb_edit_add_node(ed, "event_hubs", NULL, 700, 600, NULL, 0);
    int sql = azb_edit_add_node(ed, "sql_database", NULL, 700, 700, NULL, 0);
    static const struct {
        const char *name;
        int to_slot;
        const char *mode;
    } cases[] = {{"queue", 0, "async"}, {"stream", 1, "async"}, {"database", 2, ""}};
    int targets[] = {bus, hubs, sql};
    for (size_t i = 0; i < 3; i++) {
        int e = azb_edit_connect(ed, app, targets[cases[i].to_slot]);
        if (e < 0) {
            fail_msg("case \"%s\": connect refused: %s", cases[i].name, azb_edit_last_error(ed));
        }
        expect_field(ed, AZB_TARGET_EDGE, e, "mode", cases[i].mode, cases[i].name);
        expect_field(ed, AZB_TARGET_EDGE, e, "p", "", cases[i].name);
        expect_field(ed, AZB_TARGET_EDGE, e, "calls", "", cases[i].name);
    }
    expect_sound(cat, ed, "connected");
    /* Delete the app: its six edges go with it; later indices move down. */
    const azb_design *d = azb_edit_design(ed);
    int nedges = d->nedges;
    int nnodes = d->nnodes;
    char *before = json_of(ed);
    int del[] = {app, app};
    assert_true(azb_edit_delete(ed, del, 2, NULL, 0, NULL, 0));
    d = azb_edit_design(ed);
    assert_int_equal(d->nnodes, nnodes - 1);
    assert_int_equal(d->nedges, nedges - 6);
    assert_string_equal(d->nodes[app].id, "cache");
    for (int i = 0; i < d->nedges; i++) {
        assert_true(strcmp(d->edges[i].from, "app") != 0 && strcmp(d->edges[i].to, "app") != 0);
    }
    expect_sound(cat, ed, "deleted");
    assert_true(azb_edit_undo(ed));
    expect_json(ed, before, "delete undone");
    /* Edges and a group at once. */
    int edges[] = {0, 2};
    int groups[] = {0};
    assert_true(azb_edit_delete(ed, NULL, 0, edges, 2, groups, 1));
    assert_int_equal(azb_edit_design(ed)->ngroups, 0);
    assert_int_equal(azb_edit_design(ed)->nedges, nedges - 2);
    expect_sound(cat, ed, "edges deleted");
    assert_int_equal(azb_edit_undo_count(ed), 7); /* 3 adds, 3 connects, 1 delete */
    while (azb_edit_undo(ed)) {
    }
    expect_json(ed, orig, "all undone");
    free(orig);
    free(before);
    azb_edit_destroy(ed);
}

/* A balancer spreads its requests: a second and third target split the p
 * evenly (one step, undone as one); hand-set p's are left alone. Out of a
 * cache, a new call is what a miss does. */
static void test_connect_defaults(void **state)
{
    const azb_catalog *cat = *state;
    azb_editor *ed = azb_edit_create(NULL, cat);
    assert_non_null(ed);
    int lb = azb_edit_add_node(ed, "load_balancer", NULL, 0, 0, NULL, 0);
    int vm[3];
    for (int i = 0; i < 3; i++) {
        vm[i] = azb_edit_add_node(ed, "vm", NULL, 200, 100.0 * i, NULL, 0);
    }
    int cache = azb_edit_add_node(ed, "redis", NULL, 400, 0, NULL, 0);
    int db = azb_edit_add_node(ed, "sql_database", NULL, 600, 0, NULL, 0);
    assert_true(lb >= 0 && vm[2] >= 0 && cache >= 0 && db >= 0);
    static const struct {
        const char *name;
        int targets; /* lb -> vm[0..targets-1] */
        const char *p; /* each edge's p as the inspector shows it ("" = default 1) */
    } cases[] = {
        {"one target: all of it", 1, ""},
        {"two targets: half each", 2, "0.5"},
        {"three targets: a third each", 3, "0.33333333333333331"},
    };
    int edge[3] = {-1, -1, -1};
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        int k = cases[c].targets - 1;
        edge[k] = azb_edit_connect(ed, lb, vm[k]);
        if (edge[k] < 0) {
            fail_msg("case \"%s\": connect refused: %s", cases[c].name, azb_edit_last_error(ed));
        }
        for (int i = 0; i <= k; i++) {
            expect_field(ed, AZB_TARGET_EDGE, edge[i], "p", cases[c].p, cases[c].name);
        }
    }
    expect_sound(cat, ed, "balanced");
    assert_string_equal(azb_edit_undo_label(ed), "Connect (load split evenly)");
    assert_true(azb_edit_undo(ed));
    expect_field(ed, AZB_TARGET_EDGE, edge[0], "p", "0.5", "third connect undone");
    assert_true(azb_edit_redo(ed));
    /* Deleting one of three evenly split targets spreads the load over the
     * two left, in the same step; undo gives the thirds back. */
    char *three = json_of(ed);
    int del_edge[] = {edge[2]};
    assert_true(azb_edit_delete(ed, NULL, 0, del_edge, 1, NULL, 0));
    expect_field(ed, AZB_TARGET_EDGE, edge[0], "p", "0.5", "target deleted: halves");
    expect_field(ed, AZB_TARGET_EDGE, edge[1], "p", "0.5", "target deleted: halves");
    expect_sound(cat, ed, "target deleted");
    assert_true(azb_edit_undo(ed));
    expect_json(ed, three, "target delete undone");
    free(three);
    /* Hand-set p's stay as set: a new target gets the default. */
    char why[256] = "";
    assert_true(azb_edit_set_field(ed, AZB_TARGET_EDGE, edge[0], "p", "0.5", why, sizeof(why)));
    int e4 = azb_edit_connect(ed, lb, cache);
    assert_true(e4 >= 0);
    expect_field(ed, AZB_TARGET_EDGE, edge[1], "p", "0.33333333333333331", "hand-set: untouched");
    expect_field(ed, AZB_TARGET_EDGE, e4, "p", "", "hand-set: new edge default");
    /* A VM is no balancer; a cache's call is its miss. */
    int e5 = azb_edit_connect(ed, vm[0], db);
    int e6 = azb_edit_connect(ed, cache, db);
    assert_true(e5 >= 0 && e6 >= 0);
    expect_field(ed, AZB_TARGET_EDGE, e5, "on", "", "vm -> db: always");
    expect_field(ed, AZB_TARGET_EDGE, e6, "on", "miss", "cache -> db: on miss");
    expect_sound(cat, ed, "cache");
    azb_edit_destroy(ed);
}

/* The design's own fields: set, refused with a reason, read back, undone. */
static void test_design_fields(void **state)
{
    const azb_catalog *cat = *state;
    azb_editor *ed = azb_edit_create(NULL, cat);
    assert_non_null(ed);
    int users = azb_edit_add_node(ed, "clients", NULL, 0, 0, NULL, 0);
    int app = azb_edit_add_node(ed, "app_service", NULL, 200, 0, NULL, 0);
    assert_true(users >= 0 && app >= 0 && azb_edit_connect(ed, users, app) >= 0);
    char why0[256] = "";
    assert_true(azb_edit_set_field(ed, AZB_TARGET_NODE, users, "id", "users", why0, sizeof(why0)));
    char *start = json_of(ed);
    static const struct {
        const char *name;
        const char *field;
        const char *text;
        bool ok;
        const char *reads;  /* what get_design_field gives after (when ok) */
        const char *reason; /* a piece of the refusal (when not ok) */
    } cases[] = {
        {"rate", "workload.rps", "2500", true, "2500", NULL},
        {"rate zero", "workload.rps", "0", false, NULL, "workload.rps"},
        {"rate words", "workload.rps", "lots", false, NULL, "workload.rps"},
        {"entry", "workload.entry", "users", true, "users", NULL},
        {"entry unknown", "workload.entry", "nobody", false, NULL, "no component"},
        {"entry all clients", "workload.entry", "", true, "", NULL},
        {"name", "name", "Three tiers", true, "Three tiers", NULL},
        {"name empty", "name", "", false, NULL, "name must be"},
        {"prompt", "prompt", "url-shortener", true, "url-shortener", NULL},
        {"prompt bad", "prompt", "URL Shortener!", false, NULL, "practice prompt"},
        {"prompt cleared", "prompt", "", true, "", NULL},
        {"description", "description", "A first try", true, "A first try", NULL},
        {"unknown field", "colour", "red", false, NULL, "no field"},
    };
    int steps = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        char *before = json_of(ed);
        char why[256] = "";
        bool ok = azb_edit_set_design_field(ed, cases[c].field, cases[c].text, why, sizeof(why));
        if (ok != cases[c].ok) {
            fail_msg("case \"%s\": expected %s got %s (%s)", cases[c].name,
                     cases[c].ok ? "accepted" : "refused", ok ? "accepted" : "refused", why);
        }
        if (ok) {
            char got[256] = "";
            assert_true(azb_edit_get_design_field(ed, cases[c].field, got, sizeof(got)));
            if (strcmp(got, cases[c].reads) != 0) {
                fail_msg("case \"%s\": reads \"%s\" expected \"%s\"", cases[c].name, got,
                         cases[c].reads);
            }
            expect_sound(cat, ed, cases[c].name);
            steps++;
        } else {
            if (strstr(why, cases[c].reason) == NULL) {
                fail_msg("case \"%s\": reason \"%s\" lacks \"%s\"", cases[c].name, why,
                         cases[c].reason);
            }
            expect_json(ed, before, cases[c].name);
        }
        free(before);
    }
    while (steps-- > 0) {
        assert_true(azb_edit_undo(ed));
    }
    expect_json(ed, start, "every design field undone");
    free(start);
    azb_edit_destroy(ed);
}

/* ----------------------------------------------------- copy, paste */

static void test_copy_paste(void **state)
{
    const azb_catalog *cat = *state;
    azb_editor *ed = open_scenario(cat, "url-shortener/reference.json");
    char *orig = json_of(ed);
    int cache = node_index(ed, "cache");
    int db = node_index(ed, "db");
    int sel[] = {db, cache, db};
    azb_design *clip = azb_edit_copy(ed, sel, 3);
    assert_non_null(clip);
    assert_int_equal(clip->nnodes, 2);
    assert_int_equal(clip->nedges, 1);               /* cache -> db; app's edges stay behind */
    assert_string_equal(clip->nodes[0].id, "cache"); /* design order */

    /* Into the same design: both ids are taken. */
    int idx[2] = {-1, -1};
    assert_int_equal(azb_edit_paste(ed, clip, 30, 40, idx), 2);
    const azb_design *d = azb_edit_design(ed);
    assert_int_equal(idx[0], 4);
    assert_int_equal(idx[1], 5);
    assert_string_equal(d->nodes[4].id, "redis-1");
    assert_string_equal(d->nodes[5].id, "cosmos_db-1");
    assert_true(d->nodes[4].x == d->nodes[cache].x + 30);
    assert_true(d->nodes[5].y == d->nodes[db].y + 40);
    assert_string_equal(d->edges[d->nedges - 1].from, "redis-1");
    assert_string_equal(d->edges[d->nedges - 1].to, "cosmos_db-1");
    expect_field(ed, AZB_TARGET_EDGE, d->nedges - 1, "on", "miss", "pasted edge");
    expect_field(ed, AZB_TARGET_NODE, 5, "ru_per_s", "4000", "pasted settings");
    expect_sound(cat, ed, "pasted once");
    /* Again: the next free n. */
    assert_int_equal(azb_edit_paste(ed, clip, 60, 80, NULL), 2);
    d = azb_edit_design(ed);
    assert_string_equal(d->nodes[6].id, "redis-2");
    assert_string_equal(d->nodes[7].id, "cosmos_db-2");
    expect_sound(cat, ed, "pasted twice");
    assert_string_equal(azb_edit_undo_label(ed), "Paste");
    assert_true(azb_edit_undo(ed));
    assert_true(azb_edit_undo(ed));
    expect_json(ed, orig, "pastes undone");

    /* Into another design: the ids are free and kept; the edge's ops name
     * operations that design lacks, so the validator refuses it. */
    azb_editor *other = azb_edit_create(NULL, cat);
    assert_int_equal(azb_edit_paste(other, clip, 0, 0, NULL), -1);
    assert_non_null(strstr(azb_edit_last_error(other), "is not in workload.operations"));
    assert_int_equal(azb_edit_design(other)->nnodes, 0);
    assert_true(azb_edit_set_field(ed, AZB_TARGET_EDGE, 2, "ops", "", NULL, 0));
    azb_design_destroy(clip);
    clip = azb_edit_copy(ed, sel, 2);
    assert_int_equal(azb_edit_paste(other, clip, 0, 0, NULL), 2);
    assert_string_equal(azb_edit_design(other)->nodes[0].id, "cache");
    assert_string_equal(azb_edit_design(other)->nodes[1].id, "db");
    expect_sound(cat, other, "pasted elsewhere");
    azb_design_destroy(clip);

    /* Clients: the copy gets the share left (0), so shares still add up. */
    int users = node_index(ed, "users");
    clip = azb_edit_copy(ed, &users, 1);
    assert_int_equal(azb_edit_paste(ed, clip, 0, 100, idx), 1);
    expect_field(ed, AZB_TARGET_NODE, idx[0], "share", "0", "pasted clients");
    expect_field(ed, AZB_TARGET_NODE, idx[0], "geo", "north-america", "pasted clients");
    assert_string_equal(azb_edit_design(ed)->nodes[idx[0]].id, "clients-1");
    expect_sound(cat, ed, "clients pasted");
    azb_design_destroy(clip);
    free(orig);
    azb_edit_destroy(other);
    azb_edit_destroy(ed);
}

/* ----------------------------------------------------- the inspector */

typedef struct field_case {
    const char *name;
    azb_target_type type;
    const char *id; /* node id, or edge/group index as text */
    const char *field;
    const char *text;
    bool ok;
    const char *expect; /* ok: get_field afterwards; refused: the reason (a part of it) */
} field_case;

static int target_of(const azb_editor *ed, const field_case *c)
{
    return c->type == AZB_TARGET_NODE ? node_index(ed, c->id) : atoi(c->id);
}

static void test_set_field(void **state)
{
    const azb_catalog *cat = *state;
    static const field_case cases[] = {
        /* nodes: good */
        {"label", AZB_TARGET_NODE, "app", "label", "Web tier", true, "Web tier"},
        {"label kept verbatim", AZB_TARGET_NODE, "app", "label", "  padded ", true, "  padded "},
        {"label cleared", AZB_TARGET_NODE, "app", "label", "", true, ""},
        {"sku", AZB_TARGET_NODE, "app", "sku", "P0v3", true, "P0v3"},
        {"sku cleared", AZB_TARGET_NODE, "app", "sku", "", true, ""},
        {"count", AZB_TARGET_NODE, "app", "count", " 12 ", true, "12"},
        {"count cleared", AZB_TARGET_NODE, "cache", "count", "", true, ""},
        {"count on cache", AZB_TARGET_NODE, "cache", "count", "3", true, "3"},
        {"region", AZB_TARGET_NODE, "cache", "region", "eastus2", true, "eastus2"},
        {"zones", AZB_TARGET_NODE, "cache", "zones", "2, 1", true, "2,1"},
        {"zones bracketed", AZB_TARGET_NODE, "cache", "zones", "[1,2,3]", true, "1,2,3"},
        {"zones cleared", AZB_TARGET_NODE, "cache", "zones", "", true, ""},
        {"service_ms", AZB_TARGET_NODE, "app", "service_ms", "4.25", true, "4.25"},
        {"service_ms exponent", AZB_TARGET_NODE, "app", "service_ms", "1e1", true, "10"},
        {"service_dist", AZB_TARGET_NODE, "app", "service_dist", "lognormal", true, "lognormal"},
        {"cv", AZB_TARGET_NODE, "app", "cv", "0.3", true, "0.3"},
        {"concurrency", AZB_TARGET_NODE, "app", "concurrency", "64", true, "64"},
        {"balancing", AZB_TARGET_NODE, "app", "balancing", "least_connections", true,
         "least_connections"},
        {"balancing default", AZB_TARGET_NODE, "app", "balancing", "default", true, ""},
        {"autoscale.max", AZB_TARGET_NODE, "app", "autoscale.max", "30", true, "30"},
        {"autoscale.min", AZB_TARGET_NODE, "app", "autoscale.min", "2", true, "2"},
        {"autoscale.target", AZB_TARGET_NODE, "app", "autoscale.target", "0.6", true, "0.6"},
        {"autoscale.target cleared", AZB_TARGET_NODE, "app", "autoscale.target", "", true, ""},
        {"autoscale created by target", AZB_TARGET_NODE, "cache", "autoscale.target", "0.5", true,
         "0.5"},
        {"autoscale removed", AZB_TARGET_NODE, "cache", "autoscale.min", "", true, ""},
        {"number setting", AZB_TARGET_NODE, "db", "ru_per_s", "12000", true, "12000"},
        {"bool setting", AZB_TARGET_NODE, "db", "zone_redundant", "false", true, "false"},
        {"bool setting yes", AZB_TARGET_NODE, "db", "multi_region_writes", "yes", true, "true"},
        {"setting cleared", AZB_TARGET_NODE, "db", "stored_gb", "", true, ""},
        {"fraction setting", AZB_TARGET_NODE, "cache", "hit_ratio", "0.95", true, "0.95"},
        {"string setting", AZB_TARGET_NODE, "users", "geo", "europe", true, "europe"},
        {"share of the only clients", AZB_TARGET_NODE, "users", "share", "0.5", true, "0.5"},
        /* nodes: bad */
        {"count zero", AZB_TARGET_NODE, "app", "count", "0", false,
         "count must be a whole number from 1 to 100000"},
        {"count fraction", AZB_TARGET_NODE, "app", "count", "2.5", false, "whole number"},
        {"count words", AZB_TARGET_NODE, "app", "count", "ten", false, "whole number"},
        {"count with comma", AZB_TARGET_NODE, "app", "count", "1,000", false, "whole number"},
        {"count hex", AZB_TARGET_NODE, "app", "count", "0x10", false, "whole number"},
        {"count inf", AZB_TARGET_NODE, "app", "count", "inf", false, "whole number"},
        {"count outside autoscale", AZB_TARGET_NODE, "app", "count", "40", false,
         "nodes[1].count: count 40 is outside autoscale's range [2, 30]"},
        {"kind empty", AZB_TARGET_NODE, "app", "kind", "", false, "a node needs a kind"},
        {"kind unknown", AZB_TARGET_NODE, "app", "kind", "app_servic", false,
         "unknown kind \"app_servic\"; did you mean app_service"},
        {"kind into clients", AZB_TARGET_NODE, "app", "kind", "clients", false,
         "clients node: clients call, nothing calls them"},
        {"sku unknown", AZB_TARGET_NODE, "app", "sku", "P1v4", false,
         "unknown SKU \"P1v4\" for kind app_service"},
        {"region unknown", AZB_TARGET_NODE, "app", "region", "eastsu", false,
         "unknown region \"eastsu\""},
        {"region without zones", AZB_TARGET_NODE, "app", "region", "westus", false,
         "region westus has no availability zones"},
        {"zones too high", AZB_TARGET_NODE, "app", "zones", "1,4", false, "zone numbers 1 to 3"},
        {"zones twice", AZB_TARGET_NODE, "app", "zones", "1,1", false, "zone 1 is listed twice"},
        {"zones junk", AZB_TARGET_NODE, "app", "zones", "one", false, "zone numbers"},
        {"zones 12", AZB_TARGET_NODE, "app", "zones", "12", false, "zone numbers"},
        {"zones without region", AZB_TARGET_NODE, "users", "zones", "1", false,
         "zones need a region"},
        {"service_ms zero", AZB_TARGET_NODE, "app", "service_ms", "0", false,
         "service_ms must be a number greater than 0 and at most 3600000 ms"},
        {"service_dist", AZB_TARGET_NODE, "app", "service_dist", "normal", false,
         "service_dist must be exp, det or lognormal"},
        {"cv negative", AZB_TARGET_NODE, "app", "cv", "-1", false,
         "cv must be a number from 0 to 20"},
        {"concurrency zero", AZB_TARGET_NODE, "app", "concurrency", "0", false,
         "concurrency must be a whole number from 1 to 1000000"},
        {"balancing", AZB_TARGET_NODE, "app", "balancing", "sticky", false,
         "balancing must be round_robin"},
        {"autoscale.min above max", AZB_TARGET_NODE, "app", "autoscale.min", "31", false,
         "autoscale.min (31) must not be above autoscale.max (30)"},
        {"autoscale.max below min", AZB_TARGET_NODE, "app", "autoscale.max", "1", false,
         "autoscale.max (1) must not be below autoscale.min (2)"},
        {"autoscale.max zero", AZB_TARGET_NODE, "app", "autoscale.max", "0", false,
         "autoscale.max must be a whole number from 1 to 100000"},
        {"autoscale.target one", AZB_TARGET_NODE, "app", "autoscale.target", "1", false,
         "autoscale.target must be a number greater than 0 and at most 0.99"},
        {"setting range", AZB_TARGET_NODE, "db", "ru_per_s", "2000000", false,
         "ru_per_s must be a whole number from 0 to 1000000"},
        {"setting not whole", AZB_TARGET_NODE, "db", "regions", "1.5", false,
         "regions must be a whole number from 1 to 40"},
        {"bool setting", AZB_TARGET_NODE, "db", "zone_redundant", "maybe", false,
         "zone_redundant must be true or false"},
        {"fraction setting", AZB_TARGET_NODE, "cache", "hit_ratio", "1.5", false,
         "hit_ratio must be a number from 0 to 1"},
        {"geo unknown", AZB_TARGET_NODE, "users", "geo", "atlantis", false,
         "unknown geography \"atlantis\""},
        {"geo cleared", AZB_TARGET_NODE, "users", "geo", "", false, "needs \"geo\""},
        {"setting of another kind", AZB_TARGET_NODE, "app", "ru_per_s", "10", false,
         "a app_service node has no field \"ru_per_s\""},
        {"no such field", AZB_TARGET_NODE, "app", "colour", "red", false, "no field \"colour\""},
        {"label two lines", AZB_TARGET_NODE, "app", "label", "a\nb", false, "one line"},
        {"label too long", AZB_TARGET_NODE, "app", "label",
         "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234"
         "567890123456789012345678901234567890123456789",
         false, "label must be under 128 bytes"},
        /* edges: edges[1] is app -> cache, edges[2] cache -> db */
        {"edge p", AZB_TARGET_EDGE, "1", "p", "0.25", true, "0.25"},
        {"edge p cleared", AZB_TARGET_EDGE, "1", "p", "", true, ""},
        {"edge calls", AZB_TARGET_EDGE, "1", "calls", "2", true, "2"},
        {"edge mode", AZB_TARGET_EDGE, "1", "mode", "async", true, "async"},
        {"edge mode sync", AZB_TARGET_EDGE, "1", "mode", "sync", true, "sync"},
        {"edge request_kb", AZB_TARGET_EDGE, "1", "request_kb", "2.5", true, "2.5"},
        {"edge response_kb", AZB_TARGET_EDGE, "1", "response_kb", "0", true, "0"},
        {"edge on", AZB_TARGET_EDGE, "2", "on", "hit", true, "hit"},
        {"edge on always (the default)", AZB_TARGET_EDGE, "2", "on", "always", true, ""},
        {"edge on miss", AZB_TARGET_EDGE, "2", "on", "miss", true, "miss"},
        {"edge on cleared", AZB_TARGET_EDGE, "2", "on", "", true, ""},
        {"edge ops", AZB_TARGET_EDGE, "1", "ops", "POST /links ,GET /{code}", true,
         "POST /links, GET /{code}"},
        {"edge ops cleared", AZB_TARGET_EDGE, "1", "ops", "", true, ""},
        {"edge label", AZB_TARGET_EDGE, "1", "label", "lookup", true, "lookup"},
        {"edge p above 1", AZB_TARGET_EDGE, "1", "p", "1.5", false,
         "p must be a number from 0 to 1"},
        {"edge calls zero", AZB_TARGET_EDGE, "1", "calls", "0", false,
         "calls must be a number greater than 0 and at most 1000"},
        {"edge mode", AZB_TARGET_EDGE, "1", "mode", "fire-and-forget", false,
         "mode must be sync or async"},
        {"edge kb negative", AZB_TARGET_EDGE, "1", "request_kb", "-1", false,
         "request_kb must be a number from 0 to 4000000 KB"},
        {"edge on", AZB_TARGET_EDGE, "1", "on", "sometimes", false,
         "on must be always, hit or miss"},
        {"edge on without cache", AZB_TARGET_EDGE, "0", "on", "hit", false,
         "\"on\" needs a cache at the source"},
        {"edge ops unknown", AZB_TARGET_EDGE, "1", "ops", "GET /nothing", false,
         "operation \"GET /nothing\" is not in workload.operations"},
        {"edge ops twice", AZB_TARGET_EDGE, "1", "ops", "POST /links, POST /links", false,
         "listed twice"},
        {"edge ops empty name", AZB_TARGET_EDGE, "1", "ops", "POST /links,,", false,
         "operation names"},
        {"edge no field", AZB_TARGET_EDGE, "1", "zone", "1", false,
         "an edge has no field \"zone\""},
        /* groups: groups[0] is the eastus region box */
        {"group label", AZB_TARGET_GROUP, "0", "label", "US East", true, "US East"},
        {"group label cleared", AZB_TARGET_GROUP, "0", "label", "", true, ""},
        {"group region", AZB_TARGET_GROUP, "0", "region", "westeurope", true, "westeurope"},
        {"group region empty", AZB_TARGET_GROUP, "0", "region", "", false,
         "a group needs a region"},
        {"group region unknown", AZB_TARGET_GROUP, "0", "region", "mars", false,
         "unknown region \"mars\""},
        {"group zone on a region box", AZB_TARGET_GROUP, "0", "zone", "1", false,
         "a region box has no zone"},
        {"group no field", AZB_TARGET_GROUP, "0", "w", "10", false, "a group has no field \"w\""},
        /* renames last: the cases above name nodes by id */
        {"rename", AZB_TARGET_NODE, "cache", "id", "lookup", true, "lookup"},
        {"rename to a taken id", AZB_TARGET_NODE, "app", "id", "lookup", false,
         "id \"lookup\" is taken (nodes[2])"},
        {"rename to nothing", AZB_TARGET_NODE, "app", "id", " ", false, "a node needs an id"},
        {"rename the entry", AZB_TARGET_NODE, "users", "id", "visitors", true, "visitors"},
    };
    azb_editor *ed = open_scenario(cat, "url-shortener/reference.json");
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const field_case *c = &cases[i];
        int index = target_of(ed, c);
        char *before = json_of(ed);
        int steps = azb_edit_undo_count(ed);
        char why[320] = "unset";
        bool ok = azb_edit_set_field(ed, c->type, index, c->field, c->text, why, sizeof(why));
        char got[1024] = "";
        azb_edit_get_field(ed, c->type, index, c->field, got, sizeof(got));
        char *after = json_of(ed);
        if (ok != c->ok) {
            print_error("case \"%s\" (%s = \"%s\"): expected %s, got %s (%s)\n", c->name, c->field,
                        c->text, c->ok ? "success" : "refusal", ok ? "success" : "refusal", why);
            failures++;
        } else if (c->ok && strcmp(got, c->expect) != 0) {
            print_error("case \"%s\": %s expected \"%s\" got \"%s\"\n", c->name, c->field,
                        c->expect, got);
            failures++;
        } else if (!c->ok && (strstr(why, c->expect) == NULL || strchr(why, '\n') != NULL)) {
            print_error("case \"%s\": expected a one-line reason containing \"%s\", got \"%s\"\n",
                        c->name, c->expect, why);
            failures++;
        } else if (!c->ok && (strcmp(before, after) != 0 || azb_edit_undo_count(ed) != steps)) {
            print_error("case \"%s\": a refusal changed the design\n", c->name);
            failures++;
        }
        free(before);
        free(after);
        expect_sound(cat, ed, c->name);
    }
    assert_int_equal(failures, 0);
    /* Renames reach the edges and the workload's entry. */
    const azb_design *d = azb_edit_design(ed);
    assert_string_equal(d->workload.entry, "visitors");
    assert_string_equal(d->edges[0].from, "visitors");
    assert_string_equal(d->edges[1].to, "lookup");
    assert_string_equal(d->edges[2].from, "lookup");
    assert_true(azb_edit_undo(ed));
    assert_string_equal(azb_edit_design(ed)->workload.entry, "users");
    assert_string_equal(azb_edit_design(ed)->edges[0].from, "users");
    azb_edit_destroy(ed);
}

static void test_field_round_trip(void **state)
{
    const azb_catalog *cat = *state;
    /* An unknown key on a node survives edits; optional keys set and
     * cleared again leave the file as it was. */
    azb_design *d = azbt_design(cat,
                                "{'id': 'a', 'kind': 'app_service', 'note': {'by': 'me'}, "
                                "'autoscale': {'min': 1, 'max': 3, 'cool': 60}}, "
                                "{'id': 'c', 'kind': 'clients', 'geo': 'europe'}",
                                "{'from': 'c', 'to': 'a', 'why': 1}", "'rps': 10");
    azb_editor *ed = azb_edit_create(d, cat);
    char *orig = json_of(ed);
    assert_non_null(strstr(orig, "\"note\""));
    static const struct {
        azb_target_type type;
        int index;
        const char *field;
        const char *text;
    } sets[] = {
        {AZB_TARGET_NODE, 0, "label", "A"},
        {AZB_TARGET_NODE, 0, "count", "2"},
        {AZB_TARGET_NODE, 0, "sku", "P1v3"},
        {AZB_TARGET_NODE, 0, "region", "eastus"},
        {AZB_TARGET_NODE, 0, "zones", "1,2"},
        {AZB_TARGET_NODE, 0, "service_ms", "3"},
        {AZB_TARGET_NODE, 0, "cv", "1"},
        {AZB_TARGET_NODE, 0, "concurrency", "4"},
        {AZB_TARGET_NODE, 0, "balancing", "hash"},
        {AZB_TARGET_NODE, 0, "autoscale.target", "0.5"},
        {AZB_TARGET_NODE, 0, "service_dist", "det"},
        {AZB_TARGET_EDGE, 0, "p", "0.5"},
        {AZB_TARGET_EDGE, 0, "calls", "3"},
        {AZB_TARGET_EDGE, 0, "mode", "async"},
        {AZB_TARGET_EDGE, 0, "request_kb", "1"},
        {AZB_TARGET_EDGE, 0, "label", "x"},
    };
    size_t n = sizeof(sets) / sizeof(sets[0]);
    for (size_t i = 0; i < n; i++) {
        if (!azb_edit_set_field(ed, sets[i].type, sets[i].index, sets[i].field, sets[i].text, NULL,
                                0)) {
            fail_msg("case %s = %s: %s", sets[i].field, sets[i].text, azb_edit_last_error(ed));
        }
    }
    char *mid = json_of(ed);
    assert_non_null(strstr(mid, "\"note\""));
    assert_non_null(strstr(mid, "\"cool\""));
    assert_non_null(strstr(mid, "\"why\""));
    expect_sound(cat, ed, "all set");
    /* Clear in reverse (zones before region would be refused the other way). */
    for (size_t i = n; i-- > 0;) {
        if (!azb_edit_set_field(ed, sets[i].type, sets[i].index, sets[i].field, "", NULL, 0)) {
            fail_msg("clear %s: %s", sets[i].field, azb_edit_last_error(ed));
        }
    }
    expect_json(ed, orig, "set then cleared");
    /* Setting a value to what it is records nothing. */
    int steps = azb_edit_undo_count(ed);
    assert_true(azb_edit_set_field(ed, AZB_TARGET_NODE, 0, "autoscale.max", "3", NULL, 0));
    assert_true(azb_edit_set_field(ed, AZB_TARGET_NODE, 1, "geo", " europe", NULL, 0));
    assert_int_equal(azb_edit_undo_count(ed), steps);
    /* A kind change keeps what the new kind declares. */
    azb_edit_destroy(ed);
    free(orig);
    free(mid);

    ed = open_scenario(cat, "url-shortener/reference.json");
    int db = node_index(ed, "db");
    assert_true(azb_edit_set_field(ed, AZB_TARGET_NODE, db, "kind", "sql_database", NULL, 0));
    expect_field(ed, AZB_TARGET_NODE, db, "sku", "", "sku not in sql_database");
    expect_field(ed, AZB_TARGET_NODE, db, "stored_gb", "500", "kept");
    expect_field(ed, AZB_TARGET_NODE, db, "zone_redundant", "true", "kept");
    char *j = json_of(ed);
    assert_null(strstr(j, "ru_per_s"));
    free(j);
    expect_sound(cat, ed, "kind changed");
    azb_edit_destroy(ed);
}

static void test_fields_list(void **state)
{
    const azb_catalog *cat = *state;
    azb_editor *ed = open_scenario(cat, "url-shortener/reference.json");
    const char *names[64];
    static const struct {
        const char *name;
        azb_target_type type;
        int index;
        int count;
        const char *last;
    } cases[] = {
        {"clients", AZB_TARGET_NODE, 0, 17, "share"},
        {"app_service", AZB_TARGET_NODE, 1, 15, "autoscale.target"},
        {"cosmos_db", AZB_TARGET_NODE, 3, 20, "zone_redundant"},
        {"edge", AZB_TARGET_EDGE, 0, 8, "ops"},
        {"group", AZB_TARGET_GROUP, 0, 3, "zone"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int n = azb_edit_fields(ed, cases[i].type, cases[i].index, names, 64);
        if (n != cases[i].count || strcmp(names[n - 1], cases[i].last) != 0) {
            fail_msg("case \"%s\": expected %d fields ending in %s, got %d ending in %s",
                     cases[i].name, cases[i].count, cases[i].last, n, n > 0 ? names[n - 1] : "-");
        }
        assert_int_equal(azb_edit_fields(ed, cases[i].type, cases[i].index, NULL, 0), n);
        /* Every listed field reads. */
        for (int k = 0; k < n; k++) {
            char out[256];
            if (!azb_edit_get_field(ed, cases[i].type, cases[i].index, names[k], out,
                                    sizeof(out))) {
                fail_msg("case \"%s\": field %s does not read", cases[i].name, names[k]);
            }
        }
    }
    /* A short array gets the first names and the full count. */
    assert_int_equal(azb_edit_fields(ed, AZB_TARGET_NODE, 3, names, 2), 20);
    assert_string_equal(names[0], "id");
    assert_string_equal(names[1], "label");
    static const struct {
        azb_target_type type;
        int index;
        const char *field;
        const char *value;
    } reads[] = {
        {AZB_TARGET_NODE, 1, "id", "app"},
        {AZB_TARGET_NODE, 1, "zones", "1,2,3"},
        {AZB_TARGET_NODE, 1, "service_ms", "2.5"},
        {AZB_TARGET_NODE, 1, "autoscale.min", "6"},
        {AZB_TARGET_NODE, 1, "autoscale.target", "0.7"},
        {AZB_TARGET_NODE, 1, "cv", ""},
        {AZB_TARGET_NODE, 3, "zone_redundant", "true"},
        {AZB_TARGET_NODE, 3, "regions", ""},
        {AZB_TARGET_NODE, 0, "geo", "north-america"},
        {AZB_TARGET_EDGE, 1, "ops", "GET /{code}, POST /links"},
        {AZB_TARGET_EDGE, 1, "from", "app"},
        {AZB_TARGET_EDGE, 2, "on", "miss"},
        {AZB_TARGET_EDGE, 0, "request_kb", "0.5"},
        {AZB_TARGET_GROUP, 0, "kind", "region"},
        {AZB_TARGET_GROUP, 0, "id", "eastus"},
    };
    for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
        expect_field(ed, reads[i].type, reads[i].index, reads[i].field, reads[i].value,
                     reads[i].field);
    }
    /* A short buffer is cut, not overrun. */
    char small[4];
    assert_true(azb_edit_get_field(ed, AZB_TARGET_NODE, 1, "label", small, sizeof(small)));
    assert_string_equal(small, "Red");
    azb_edit_destroy(ed);
}

static void test_groups(void **state)
{
    const azb_catalog *cat = *state;
    azb_editor *ed = open_scenario(cat, "url-shortener/starter.json");
    char *orig = json_of(ed);
    int r = azb_edit_add_group(ed, "region", "westeurope", 0, 0, 600, 400, 200);
    int z = azb_edit_add_group(ed, "zone", "westeurope", 3, 10, 620, 380, 60);
    assert_int_equal(r, 2);
    assert_int_equal(z, 3);
    const azb_design *d = azb_edit_design(ed);
    assert_string_equal(d->groups[r].id, "region-1");
    assert_string_equal(d->groups[z].id, "zone-1");
    expect_field(ed, AZB_TARGET_GROUP, z, "zone", "3", "new lane");
    assert_true(azb_edit_set_field(ed, AZB_TARGET_GROUP, z, "zone", "2", NULL, 0));
    assert_false(azb_edit_set_field(ed, AZB_TARGET_GROUP, z, "zone", "", NULL, 0));
    assert_false(azb_edit_set_field(ed, AZB_TARGET_GROUP, z, "zone", "4", NULL, 0));
    assert_false(azb_edit_set_field(ed, AZB_TARGET_GROUP, z, "region", "westus", NULL, 0));
    assert_non_null(strstr(azb_edit_last_error(ed), "no availability zones"));
    assert_true(azb_edit_set_group_rect(ed, r, 5, 605, 500, 250));
    assert_true(azb_edit_set_group_rect(ed, r, 5, 605, 500, 250)); /* same: nothing */
    expect_sound(cat, ed, "groups");
    assert_int_equal(azb_edit_undo_count(ed), 4);
    azb_edit_begin(ed);
    for (int i = 0; i < 30; i++) {
        assert_true(azb_edit_set_group_rect(ed, r, 5 + i, 605, 500 + i, 250));
    }
    azb_edit_commit(ed, "Resize");
    assert_int_equal(azb_edit_undo_count(ed), 5);
    while (azb_edit_undo(ed)) {
    }
    expect_json(ed, orig, "groups undone");
    free(orig);
    azb_edit_destroy(ed);
}

/* ----------------------------------------------------- memory */

static void test_history_memory(void **state)
{
    const azb_catalog *cat = *state;
    enum { NODES = 500, EDITS = 1000 };
    azbt_buf nodes = {0};
    azbt_buf edges = {0};
    azbt_buf_puts(&nodes, "{'id': 'users', 'kind': 'clients', 'geo': 'europe'}");
    azbt_buf_puts(&edges, "{'from': 'users', 'to': 'n0'}");
    for (int i = 0; i < NODES - 1; i++) {
        azbt_buf_printf(&nodes,
                        ", {'id': 'n%d', 'kind': 'app_service', 'label': 'node %d', "
                        "'region': 'eastus', 'zones': [1, 2], 'x': %d, 'y': %d}",
                        i, i, 100 * (i % 25), 100 * (i / 25));
        if (i + 1 < NODES - 1) {
            azbt_buf_printf(&edges, ", {'from': 'n%d', 'to': 'n%d', 'p': 0.5}", i, i + 1);
        }
    }
    azb_design *d = azbt_design(cat, nodes.data, edges.data, "'rps': 100");
    free(nodes.data);
    free(edges.data);
    size_t design_bytes =
        (size_t)d->nnodes * sizeof(azb_node) + (size_t)d->nedges * sizeof(azb_edge);
    azb_editor *ed = azb_edit_create(d, cat);
    char *orig = json_of(ed);
    for (int i = 0; i < EDITS; i++) {
        int node = 1 + (i * 37) % (NODES - 1);
        char text[32];
        bool ok = false;
        switch (i % 4) {
        case 0:
            snprintf(text, sizeof(text), "%d", 1 + i % 9);
            ok = azb_edit_set_field(ed, AZB_TARGET_NODE, node, "count", text, NULL, 0);
            break;
        case 1:
            ok = azb_edit_set_position(ed, node, i, -i);
            break;
        case 2:
            snprintf(text, sizeof(text), "%g", 0.25 + 0.5 * (i % 2));
            ok = azb_edit_set_field(ed, AZB_TARGET_EDGE, node - 1, "p", "0.25", NULL, 0) ||
                 azb_edit_set_field(ed, AZB_TARGET_EDGE, node - 1, "p", "0.75", NULL, 0);
            break;
        default:
            snprintf(text, sizeof(text), "edit %d", i);
            ok = azb_edit_set_field(ed, AZB_TARGET_NODE, node, "label", text, NULL, 0);
            break;
        }
        if (!ok) {
            fail_msg("edit %d refused: %s", i, azb_edit_last_error(ed));
        }
    }
    size_t bytes = azb_edit_history_bytes(ed);
    int steps = azb_edit_undo_count(ed);
    size_t per_step = bytes / (size_t)steps;
    print_message("history: %d steps, %zu bytes (%zu per step); one copy of the design's "
                  "records is %zu bytes\n",
                  steps, bytes, per_step, design_bytes);
    assert_int_equal(steps, EDITS);
    /* Each step holds one record: proportional to the edits, not to the design. */
    assert_true(per_step < 2 * sizeof(azb_node) + 512);
    assert_true(bytes < design_bytes * 10 / 2); /* 1,000 full copies would be 1,000x */
    /* Undo all: the file as it was. */
    while (azb_edit_undo(ed)) {
    }
    expect_json(ed, orig, "1,000 edits undone");
    /* The records now wait on the redo list: about the same size. */
    size_t undone = azb_edit_history_bytes(ed);
    print_message("after undo all: %zu bytes\n", undone);
    assert_true(undone < 2 * bytes);
    /* A new edit drops the redo list. */
    assert_true(azb_edit_set_field(ed, AZB_TARGET_NODE, 1, "count", "2", NULL, 0));
    assert_true(azb_edit_history_bytes(ed) < bytes / 2);
    free(orig);
    azb_edit_destroy(ed);
}

/* ----------------------------------------------------- random sessions */

static uint64_t rng_next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static int rng_below(uint64_t *x, int n)
{
    return n > 0 ? (int)(rng_next(x) % (uint64_t)n) : 0;
}

/* One random call; refusals are fine (they must change nothing). */
static void random_call(azb_editor *ed, uint64_t *x)
{
    static const char *const kinds[] = {"vm",          "app_service", "redis",
                                        "service_bus", "cosmos_db",   "functions"};
    const azb_design *d = azb_edit_design(ed);
    int nn = d->nnodes;
    int any = nn > 0 ? rng_below(x, nn) : 0;
    char *before = json_of(ed);
    bool ok = true;
    char text[32];
    switch (rng_below(x, 11)) {
    case 0:
        ok = azb_edit_add_node(ed, kinds[rng_below(x, 6)], NULL, rng_below(x, 900),
                               rng_below(x, 500), NULL, 0) >= 0;
        break;
    case 1:
        ok = azb_edit_connect(ed, any, rng_below(x, nn)) >= 0;
        break;
    case 2:
        ok = azb_edit_set_position(ed, any, rng_below(x, 900), rng_below(x, 500));
        break;
    case 3: {
        int sel[3] = {any, rng_below(x, nn), rng_below(x, nn)};
        ok = azb_edit_move_nodes(ed, sel, 3, rng_below(x, 41) - 20, rng_below(x, 41) - 20);
        break;
    }
    case 4:
        snprintf(text, sizeof(text), "%d", 1 + rng_below(x, 12));
        ok = azb_edit_set_field(ed, AZB_TARGET_NODE, any, "count", text, NULL, 0);
        break;
    case 5:
        snprintf(text, sizeof(text), "n%d", rng_below(x, 1000));
        ok = azb_edit_set_field(ed, AZB_TARGET_NODE, any, "label", text, NULL, 0);
        break;
    case 6:
        if (d->nedges > 0) {
            snprintf(text, sizeof(text), "0.%d", rng_below(x, 10));
            ok = azb_edit_set_field(ed, AZB_TARGET_EDGE, rng_below(x, d->nedges), "p", text, NULL,
                                    0);
        }
        break;
    case 7: {
        int del[1] = {any};
        int edel[1] = {d->nedges > 0 ? rng_below(x, d->nedges) : 0};
        ok = azb_edit_delete(ed, del, rng_below(x, 2), edel, d->nedges > 0 ? rng_below(x, 2) : 0,
                             NULL, 0);
        break;
    }
    case 8: {
        int sel[2] = {any, rng_below(x, nn)};
        azb_design *clip = azb_edit_copy(ed, sel, 2);
        if (clip != NULL) {
            ok = azb_edit_paste(ed, clip, 25, 25, NULL) >= 0;
            azb_design_destroy(clip);
        }
        break;
    }
    case 9:
        ok = azb_edit_set_rps(ed, 100.0 * (1 + rng_below(x, 100)));
        break;
    default:
        ok = azb_edit_add_group(ed, rng_below(x, 2) ? "zone" : "region", "eastus",
                                1 + rng_below(x, 3), rng_below(x, 800), rng_below(x, 400), 200,
                                100) >= 0;
        break;
    }
    if (!ok) {
        char *after = json_of(ed);
        if (strcmp(before, after) != 0) {
            fail_msg("a refused call changed the design: %s", azb_edit_last_error(ed));
        }
        free(after);
    }
    free(before);
}

static void test_random_sessions(void **state)
{
    const azb_catalog *cat = *state;
    static const uint64_t seeds[] = {1, 42, 20261129, 987654321};
    enum { ACTIONS = 150 };
    for (size_t s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
        uint64_t x = seeds[s];
        print_message("random session, seed %llu\n", (unsigned long long)seeds[s]);
        azb_editor *ed = open_scenario(cat, "url-shortener/starter.json");
        char *snap[ACTIONS + 1] = {NULL};
        snap[0] = json_of(ed);
        for (int a = 0; a < ACTIONS; a++) {
            int before = azb_edit_undo_count(ed);
            int kind = rng_below(&x, 4);
            if (kind == 0) {
                /* A transaction of a few calls, perhaps with a cancelled inner one. */
                azb_edit_begin(ed);
                for (int k = rng_below(&x, 5); k >= 0; k--) {
                    random_call(ed, &x);
                }
                if (rng_below(&x, 2) == 0) {
                    char *mid = json_of(ed);
                    azb_edit_begin(ed);
                    random_call(ed, &x);
                    random_call(ed, &x);
                    azb_edit_cancel(ed);
                    expect_json(ed, mid, "inner cancel");
                    free(mid);
                }
                if (rng_below(&x, 6) == 0) {
                    azb_edit_cancel(ed);
                } else {
                    azb_edit_commit(ed, "T");
                }
            } else {
                random_call(ed, &x);
            }
            int after = azb_edit_undo_count(ed);
            if (after == before + 1) {
                snap[after] = json_of(ed);
            } else if (after != before) {
                fail_msg("seed %llu action %d: undo count went from %d to %d",
                         (unsigned long long)seeds[s], a, before, after);
            } else {
                char *now = json_of(ed);
                if (strcmp(now, snap[after]) != 0) {
                    fail_msg("seed %llu action %d: the design changed without a step",
                             (unsigned long long)seeds[s], a);
                }
                free(now);
            }
            if (a % 25 == 0) {
                expect_sound(cat, ed, "random session");
            }
        }
        int n = azb_edit_undo_count(ed);
        expect_sound(cat, ed, "random session end");
        for (int k = n - 1; k >= 0; k--) {
            assert_true(azb_edit_undo(ed));
            expect_json(ed, snap[k], "random undo");
        }
        for (int k = 1; k <= n; k++) {
            assert_true(azb_edit_redo(ed));
            expect_json(ed, snap[k], "random redo");
        }
        print_message("  %d steps, %zu history bytes, undone and redone\n", n,
                      azb_edit_history_bytes(ed));
        for (int k = 0; k <= ACTIONS; k++) {
            free(snap[k]);
        }
        azb_edit_destroy(ed);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nonsense),
        cmocka_unit_test(test_create_empty),
        cmocka_unit_test(test_undo_redo_round_trip),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_dirty),
        cmocka_unit_test(test_placement),
        cmocka_unit_test(test_connect_and_delete),
        cmocka_unit_test(test_connect_defaults),
        cmocka_unit_test(test_design_fields),
        cmocka_unit_test(test_copy_paste),
        cmocka_unit_test(test_set_field),
        cmocka_unit_test(test_field_round_trip),
        cmocka_unit_test(test_fields_list),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_history_memory),
        cmocka_unit_test(test_random_sessions),
    };
    return cmocka_run_group_tests(tests, azbt_setup_catalog, azbt_teardown_catalog);
}
