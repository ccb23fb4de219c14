/* Drills: the event simulator on a worker thread behind the whiteboard.
 * A small design (clients -> three App Service instances across the zones
 * of East US) and scenarios written to a temporary folder; the runner is
 * driven directly, the view through the headless app. No test depends on
 * timing except the cancel bound, which is generous (the simulator checks
 * its flag every few thousand events). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "wb.h"
#include "wb_drill.h"

#define SEED 1u

static char tmpdir[256];
static azb_catalog *cat;

static const char design_json[] =
    "{\n"
    "  \"format\": \"azboard/design\", \"version\": 1, \"name\": \"Drill test\",\n"
    "  \"nodes\": [\n"
    "    {\"id\": \"users\", \"kind\": \"clients\", \"geo\": \"north-america\", \"x\": 40, \"y\": "
    "200},\n"
    "    {\"id\": \"app\", \"kind\": \"app_service\", \"sku\": \"P1v3\", \"count\": 3,\n"
    "     \"region\": \"eastus\", \"zones\": [1, 2, 3], \"service_ms\": 2.5, \"x\": 330, \"y\": "
    "60}\n"
    "  ],\n"
    "  \"edges\": [{\"from\": \"users\", \"to\": \"app\"}],\n"
    "  \"groups\": [\n"
    "    {\"id\": \"eastus\", \"kind\": \"region\", \"region\": \"eastus\", \"x\": 280, \"y\": 0, "
    "\"w\": 300, \"h\": 430},\n"
    "    {\"id\": \"z1\", \"kind\": \"zone\", \"region\": \"eastus\", \"zone\": 1, \"x\": 290, "
    "\"y\": 30, \"w\": 280, \"h\": 120},\n"
    "    {\"id\": \"z2\", \"kind\": \"zone\", \"region\": \"eastus\", \"zone\": 2, \"x\": 290, "
    "\"y\": 160, \"w\": 280, \"h\": 120},\n"
    "    {\"id\": \"z3\", \"kind\": \"zone\", \"region\": \"eastus\", \"zone\": 3, \"x\": 290, "
    "\"y\": 290, \"w\": 280, \"h\": 120}\n"
    "  ],\n"
    "  \"workload\": {\"entry\": \"users\", \"rps\": 300}\n"
    "}\n";

/* 60 s, zone 2 down over [20, 40). */
static const char outage_json[] =
    "{\n"
    "  \"format\": \"azboard/scenario\", \"version\": 1, \"name\": \"Zone 2 outage\",\n"
    "  \"duration_s\": 60,\n"
    "  \"load\": {\"type\": \"constant\", \"rps\": 300},\n"
    "  \"failures\": [{\"at\": 20, \"what\": \"zone\", \"region\": \"eastus\", \"zone\": 2, "
    "\"recover_at\": 40}]\n"
    "}\n";

/* Long enough that nothing finishes it but a cancel. */
static const char long_json[] =
    "{\n"
    "  \"format\": \"azboard/scenario\", \"version\": 1, \"name\": \"A long day\",\n"
    "  \"duration_s\": 200000,\n"
    "  \"load\": {\"type\": \"constant\", \"rps\": 3000}\n"
    "}\n";

static const char bad_ref_json[] =
    "{\n"
    "  \"format\": \"azboard/scenario\", \"version\": 1, \"name\": \"Bad reference\",\n"
    "  \"duration_s\": 10,\n"
    "  \"load\": {\"type\": \"constant\", \"rps\": 10},\n"
    "  \"failures\": [{\"at\": 1, \"what\": \"node\", \"node\": \"nosuch\"}]\n"
    "}\n";

/* The same region with a Cosmos DB account pinned to zone 1 (not
 * zone-redundant), for the failure model's cases. */
static const char pinned_json[] =
    "{\n"
    "  \"format\": \"azboard/design\", \"version\": 1, \"name\": \"Pinned\",\n"
    "  \"nodes\": [\n"
    "    {\"id\": \"users\", \"kind\": \"clients\", \"geo\": \"north-america\", \"x\": 40, \"y\": "
    "200},\n"
    "    {\"id\": \"app\", \"kind\": \"app_service\", \"sku\": \"P1v3\", \"count\": 3,\n"
    "     \"region\": \"eastus\", \"zones\": [1, 2, 3], \"service_ms\": 2.5, \"x\": 330, \"y\": "
    "60},\n"
    "    {\"id\": \"db\", \"kind\": \"cosmos_db\", \"region\": \"eastus\", \"zones\": [1],\n"
    "     \"ru_per_s\": 4000, \"x\": 330, \"y\": 300}\n"
    "  ],\n"
    "  \"edges\": [{\"from\": \"users\", \"to\": \"app\"}, {\"from\": \"app\", \"to\": \"db\"}],\n"
    "  \"groups\": [\n"
    "    {\"id\": \"eastus\", \"kind\": \"region\", \"region\": \"eastus\", \"x\": 280, \"y\": 0, "
    "\"w\": 300, \"h\": 430},\n"
    "    {\"id\": \"z1\", \"kind\": \"zone\", \"region\": \"eastus\", \"zone\": 1, \"x\": 290, "
    "\"y\": 30, \"w\": 280, \"h\": 120},\n"
    "    {\"id\": \"z2\", \"kind\": \"zone\", \"region\": \"eastus\", \"zone\": 2, \"x\": 290, "
    "\"y\": 160, \"w\": 280, \"h\": 120}\n"
    "  ],\n"
    "  \"workload\": {\"entry\": \"users\", \"rps\": 10}\n"
    "}\n";

static void tmp_path(char *buf, size_t size, const char *sub, const char *name)
{
    snprintf(buf, size, "%s/%s%s%s", tmpdir, sub, sub[0] != '\0' ? "/" : "", name);
}

static void write_file(const char *sub, const char *name, const char *text)
{
    char path[512];
    tmp_path(path, sizeof(path), sub, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static azb_design *load_design(void)
{
    char path[512];
    tmp_path(path, sizeof(path), "", "design.json");
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = azb_design_load(path, cat, &errs);
    if (d == NULL) {
        char line[1024] = "";
        if (errs.count > 0) {
            azb_error_format(&errs.items[0], line, sizeof(line));
        }
        fail_msg("design does not load: %s", line);
    }
    azb_errors_free(&errs);
    return d;
}

static wb_app *make_app(void)
{
    wb_options opt = {1400, 900, 1.0f, true};
    char why[1024] = "";
    wb_app *app = wb_app_create(&opt, AZB_SOURCE_DATA, why, sizeof(why));
    if (app == NULL) {
        fail_msg("wb_app_create: %s", why);
    }
    return app;
}

static void frame(wb_app *app)
{
    wb_app_frame(app);
}

static void key(wb_app *app, SDL_Keycode k, Uint16 mod)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = k;
    ev.key.keysym.mod = mod;
    wb_app_event(app, &ev);
    frame(app);
}

static Uint32 pixel(wb_app *app, float x, float y)
{
    Uint32 px = 0;
    SDL_Rect r = {(int)x, (int)y, 1, 1};
    assert_int_equal(SDL_RenderReadPixels(app->renderer, &r, SDL_PIXELFORMAT_ARGB8888, &px, 4), 0);
    return px & 0xffffffu;
}

/* ---- the runner ---- */

static void test_runs_to_completion(void **state)
{
    (void)state;
    azb_design *d = load_design();
    char path[512];
    tmp_path(path, sizeof(path), "", "outage.json");
    char why[1024] = "";
    wb_drill *dr = wb_drill_start(d, cat, path, SEED, why, sizeof(why));
    if (dr == NULL) {
        fail_msg("seed %u: wb_drill_start: %s", SEED, why);
    }
    /* The drill runs on its own copy: the caller may free or edit its design. */
    azb_design_destroy(d);
    wb_drill_wait(dr);
    assert_true(wb_drill_finished(dr));
    assert_string_equal(wb_drill_error(dr), "");
    const azb_sim_result *r = wb_drill_result(dr);
    assert_non_null(r);
    assert_false(wb_drill_cancelled(dr));
    assert_true(wb_drill_progress(dr) >= 0.999);
    int n = wb_drill_nrows(dr);
    if (n < 60 || n > 61) {
        fail_msg("seed %u: expected 60 rows (one per simulated second), got %d", SEED, n);
    }
    uint64_t before = 0, during = 0, offered = 0;
    int app = azb_design_find_node(wb_drill_design(dr), "app");
    assert_true(app >= 0);
    for (int i = 0; i < n; i++) {
        const azb_sim_second *row = wb_drill_row(dr, i);
        assert_true(row->t_s == (double)i);
        uint64_t bad = (uint64_t)row->failed + row->timeouts + row->dropped + row->throttled;
        if (row->t_s < 20.0) {
            before += bad;
        } else if (row->t_s < 40.0) {
            during += bad;
        }
        offered += row->offered;
        assert_true(row->nodes[app].instances >= 1);
        assert_true(row->nodes[app].utilization >= 0.0f && row->nodes[app].utilization <= 1.0f);
    }
    print_message("seed %u: %d rows, %llu offered, %llu errors before the outage, %llu during\n",
                  SEED, n, (unsigned long long)offered, (unsigned long long)before,
                  (unsigned long long)during);
    assert_true(offered > 60u * 250u && offered < 60u * 350u);
    if (before != 0u || during == 0u) {
        fail_msg("seed %u: expected errors only in the zone outage [20, 40): %llu before, %llu "
                 "during",
                 SEED, (unsigned long long)before, (unsigned long long)during);
    }
    /* The failure model as the canvas shows it: one of three instances sits in zone 2. */
    assert_int_equal(wb_drill_node_down(dr, app, 10.5, 3), 0);
    assert_int_equal(wb_drill_node_down(dr, app, 30.5, 3), 1);
    assert_int_equal(wb_drill_node_down(dr, app, 40.5, 3), 0);
    assert_int_equal(wb_drill_node_down(dr, 0, 30.5, 1), 0); /* clients never fail */
    wb_drill_destroy(dr);
}

static void test_cancel_is_prompt(void **state)
{
    (void)state;
    azb_design *d = load_design();
    char path[512];
    tmp_path(path, sizeof(path), "", "long.json");
    char why[1024] = "";
    wb_drill *dr = wb_drill_start(d, cat, path, SEED, why, sizeof(why));
    if (dr == NULL) {
        fail_msg("wb_drill_start: %s", why);
    }
    /* Let it get going (it reports progress every 65,536 events). */
    double t0 = now_s();
    while (wb_drill_progress(dr) <= 0.0 && now_s() - t0 < 20.0) {
        struct timespec nap = {0, 5000000L};
        nanosleep(&nap, NULL);
    }
    assert_false(wb_drill_finished(dr));
    double t1 = now_s();
    wb_drill_cancel(dr);
    while (!wb_drill_finished(dr) && now_s() - t1 < 10.0) {
        struct timespec nap = {0, 2000000L};
        nanosleep(&nap, NULL);
    }
    double took = now_s() - t1;
    print_message("cancel took %.3f s (progress %.5f)\n", took, wb_drill_progress(dr));
    assert_true(wb_drill_finished(dr));
    if (took > 2.0) {
        fail_msg("cancel took %.3f s; the simulator should stop within a second", took);
    }
    assert_true(wb_drill_cancelled(dr));
    const azb_sim_result *r = wb_drill_result(dr);
    assert_non_null(r);
    assert_true(r->cancelled);
    assert_true(wb_drill_nrows(dr) < 200000);
    wb_drill_destroy(dr);
    azb_design_destroy(d);
}

static void test_bad_scenarios(void **state)
{
    (void)state;
    azb_design *d = load_design();
    char why[1024] = "";
    assert_null(wb_drill_start(d, cat, "/no/such/scenario.json", SEED, why, sizeof(why)));
    assert_true(why[0] != '\0');
    char path[512];
    tmp_path(path, sizeof(path), "", "badref.json");
    why[0] = '\0';
    assert_null(wb_drill_start(d, cat, path, SEED, why, sizeof(why)));
    if (strstr(why, "badref.json") == NULL || strstr(why, "nosuch") == NULL) {
        fail_msg("expected the file and the missing node in the message, got \"%s\"", why);
    }
    tmp_path(path, sizeof(path), "", "design.json"); /* a design is not a scenario */
    why[0] = '\0';
    assert_null(wb_drill_start(d, cat, path, SEED, why, sizeof(why)));
    assert_true(why[0] != '\0');
    wb_drill_destroy(NULL);
    azb_design_destroy(d);
}

/* What the canvas greys out at time t, from the scenario's failures (the
 * simulator's own rule: instance j of a node is in zones[j % nzones]). */
static void test_failure_model(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *failures; /* the scenario's "failures" array */
        double t;
        int app_down; /* of 3 */
        int db_down;  /* of 1 */
        bool z1, z2, region;
    } cases[] = {
        {"zone 2",
         "{\"at\": 20, \"what\": \"zone\", \"region\": \"eastus\", \"zone\": 2, \"recover_at\": "
         "40}",
         30.5, 1, 0, false, true, false},
        {"zone 2, recovered",
         "{\"at\": 20, \"what\": \"zone\", \"region\": \"eastus\", \"zone\": 2, \"recover_at\": "
         "40}",
         40.5, 0, 0, false, false, false},
        {"zone 2, not yet",
         "{\"at\": 20, \"what\": \"zone\", \"region\": \"eastus\", \"zone\": 2, \"recover_at\": "
         "40}",
         19.5, 0, 0, false, false, false},
        {"zone 1 takes the pinned account",
         "{\"at\": 20, \"what\": \"zone\", \"region\": \"eastus\", \"zone\": 1, \"recover_at\": "
         "40}",
         30.5, 1, 1, true, false, false},
        {"region", "{\"at\": 20, \"what\": \"region\", \"region\": \"eastus\"}", 50.5, 3, 1, true,
         true, true},
        {"node", "{\"at\": 20, \"what\": \"node\", \"node\": \"app\", \"recover_at\": 40}", 30.5, 3,
         0, false, false, false},
        {"instances",
         "{\"at\": 20, \"what\": \"instances\", \"node\": \"app\", \"kill\": 2, \"recover_at\": "
         "40}",
         30.5, 2, 0, false, false, false},
        {"slow is not down",
         "{\"at\": 20, \"what\": \"slow\", \"node\": \"db\", \"factor\": 3, \"recover_at\": 40}",
         30.5, 0, 0, false, false, false},
        {"two zones at once",
         "{\"at\": 20, \"what\": \"zone\", \"region\": \"eastus\", \"zone\": 1, \"recover_at\": "
         "40},"
         "{\"at\": 25, \"what\": \"zone\", \"region\": \"eastus\", \"zone\": 2, \"recover_at\": "
         "40}",
         30.5, 2, 1, true, true, false},
    };
    write_file("", "pinned.json", pinned_json);
    char dpath[512];
    tmp_path(dpath, sizeof(dpath), "", "pinned.json");
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = azb_design_load(dpath, cat, &errs);
    if (d == NULL) {
        char line[1024] = "";
        if (errs.count > 0) {
            azb_error_format(&errs.items[0], line, sizeof(line));
        }
        fail_msg("pinned design: %s", line);
    }
    azb_errors_free(&errs);
    int gz1 = 1, gz2 = 2, greg = 0; /* the groups' order in pinned_json */
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        char text[2048];
        snprintf(text, sizeof(text),
                 "{\"format\": \"azboard/scenario\", \"version\": 1, \"name\": \"%s\",\n"
                 " \"duration_s\": 60, \"load\": {\"type\": \"constant\", \"rps\": 10},\n"
                 " \"failures\": [%s]}\n",
                 cases[c].name, cases[c].failures);
        write_file("", "case.json", text);
        char spath[512];
        tmp_path(spath, sizeof(spath), "", "case.json");
        char why[1024] = "";
        wb_drill *dr = wb_drill_start(d, cat, spath, SEED, why, sizeof(why));
        if (dr == NULL) {
            fail_msg("case \"%s\": %s", cases[c].name, why);
        }
        const azb_design *dd = wb_drill_design(dr);
        int app = azb_design_find_node(dd, "app");
        int db = azb_design_find_node(dd, "db");
        int a = wb_drill_node_down(dr, app, cases[c].t, 3);
        int b = wb_drill_node_down(dr, db, cases[c].t, 1);
        bool z1 = wb_drill_group_failed(dr, &dd->groups[gz1], cases[c].t);
        bool z2 = wb_drill_group_failed(dr, &dd->groups[gz2], cases[c].t);
        bool rg = wb_drill_group_failed(dr, &dd->groups[greg], cases[c].t);
        if (a != cases[c].app_down || b != cases[c].db_down || z1 != cases[c].z1 ||
            z2 != cases[c].z2 || rg != cases[c].region) {
            fail_msg("case \"%s\" at %.1f s: expected app %d down, db %d, zone 1 %d, zone 2 %d, "
                     "region %d; got %d, %d, %d, %d, %d",
                     cases[c].name, cases[c].t, cases[c].app_down, cases[c].db_down, cases[c].z1,
                     cases[c].z2, cases[c].region, a, b, z1, z2, rg);
        }
        wb_drill_destroy(dr); /* cancels the run it started */
    }
    azb_design_destroy(d);
}

/* ---- the view ---- */

static void test_scrub_greys_the_zone(void **state)
{
    (void)state;
    wb_app *app = make_app();
    char path[512];
    tmp_path(path, sizeof(path), "zone", "design.json");
    assert_true(wb_app_open(app, path));
    /* The Scenario button's first pick after steady: the first scenario
     * file next to the design that fits it (the design itself is not one). */
    app->scenario[0] = '\0';
    wb_drill_cycle_scenario(app);
    char want[512];
    tmp_path(want, sizeof(want), "zone", "outage.json");
    assert_string_equal(app->scenario, want);
    if (!wb_drill_run(app)) {
        fail_msg("wb_drill_run: %s", app->status);
    }
    assert_string_equal(app->scenario, want);
    assert_true(wb_drill_shown(app));
    frame(app); /* the running panel draws */
    wb_drill_wait(app->drill);
    frame(app); /* and the finished one, which reports in the status line */
    assert_false(wb_drill_running(app));
    if (strstr(app->status, "drill done") == NULL) {
        fail_msg("status: %s", app->status);
    }
    const azb_design *d = wb_design(app);
    int z1 = -1, z2 = -1, region = -1;
    for (int i = 0; i < d->ngroups; i++) {
        if (strcmp(d->groups[i].id, "z1") == 0) {
            z1 = i;
        } else if (strcmp(d->groups[i].id, "z2") == 0) {
            z2 = i;
        } else if (strcmp(d->groups[i].id, "eastus") == 0) {
            region = i;
        }
    }
    assert_true(z1 >= 0 && z2 >= 0 && region >= 0);
    /* A point of the zone 2 lane away from cards, edges and labels. */
    float px = 0.0f, py = 0.0f;
    wb_canvas_to_screen(app, 540.0, 268.0, &px, &py);

    wb_drill_scrub(app, 10.0);
    frame(app);
    assert_true(wb_drill_scrub_time(app) == 10.0);
    double t = wb_drill_scrub_time(app) + 0.5;
    assert_false(wb_drill_group_failed(app->drill, &d->groups[z2], t));
    Uint32 calm = pixel(app, px, py);

    wb_drill_scrub(app, 30.0);
    frame(app);
    assert_true(wb_drill_scrub_time(app) == 30.0);
    t = wb_drill_scrub_time(app) + 0.5;
    assert_true(wb_drill_group_failed(app->drill, &d->groups[z2], t));
    assert_false(wb_drill_group_failed(app->drill, &d->groups[z1], t));
    assert_false(wb_drill_group_failed(app->drill, &d->groups[region], t));
    Uint32 failed = pixel(app, px, py);
    if (calm == failed) {
        fail_msg("the zone 2 lane looks the same at 10 s and 30 s (%06x)", calm);
    }
    int appn = azb_design_find_node(d, "app");
    double u = -1.0;
    int inst = 0;
    assert_true(wb_drill_node_state(app, appn, &u, &inst));
    assert_true(u >= 0.0 && u <= 1.0 && inst >= 1);

    /* Keys: Home, ], End; past the end clamps. */
    key(app, SDLK_HOME, 0);
    assert_true(wb_drill_scrub_time(app) == 0.0);
    key(app, SDLK_RIGHTBRACKET, 0);
    assert_true(wb_drill_scrub_time(app) == 1.0);
    key(app, SDLK_RIGHTBRACKET, KMOD_LSHIFT);
    assert_true(wb_drill_scrub_time(app) == 11.0);
    key(app, SDLK_END, 0);
    assert_true(wb_drill_scrub_time(app) >= 59.0);
    wb_drill_scrub(app, 1e9);
    assert_true(wb_drill_scrub_time(app) >= 59.0);

    /* Esc leaves the drill view; the results strip is back. */
    key(app, SDLK_ESCAPE, 0);
    assert_false(wb_drill_shown(app));
    assert_true(wb_drill_scrub_time(app) < 0.0);
    double rs = 0.0;
    assert_false(wb_drill_node_state(app, appn, &rs, &inst));
    wb_app_destroy(app);
}

static void test_close_and_open_cancel(void **state)
{
    (void)state;
    wb_app *app = make_app();
    char path[512];
    tmp_path(path, sizeof(path), "", "design.json");
    assert_true(wb_app_open(app, path));
    tmp_path(app->scenario, sizeof(app->scenario), "", "long.json");
    assert_true(wb_drill_run(app));
    assert_true(wb_drill_running(app));
    frame(app);
    /* Opening another design cancels and joins. */
    double t0 = now_s();
    assert_true(wb_app_open(app, path));
    assert_false(wb_drill_shown(app));
    print_message("open cancelled the drill in %.3f s\n", now_s() - t0);
    /* So does destroying the app with a drill running. */
    assert_true(app->scenario[0] == '\0'); /* the pick went with the design */
    tmp_path(app->scenario, sizeof(app->scenario), "", "long.json");
    assert_true(wb_drill_run(app));
    frame(app);
    wb_app_destroy(app);
}

/* With no scenario picked, Run drill runs the steady drill (constant load
 * at the workload's rate), whatever scenario files there are. */
static void test_no_scenario(void **state)
{
    (void)state;
    wb_app *app = make_app();
    char path[512];
    tmp_path(path, sizeof(path), "lonely", "design.json");
    assert_true(wb_app_open(app, path));
    app->scenario[0] = '\0';
    assert_true(wb_drill_run(app));
    assert_true(wb_drill_shown(app));
    wb_drill_wait(app->drill);
    frame(app);
    const azb_scenario *sc = wb_drill_scenario(app->drill);
    if (sc->duration_s != WB_DRILL_STEADY_S || sc->rps != 300.0 || sc->nfailures != 0) {
        fail_msg("steady drill: expected %.0f s at 300/s without failures, got %.0f s at %g/s, "
                 "%d failures",
                 WB_DRILL_STEADY_S, sc->duration_s, sc->rps, sc->nfailures);
    }
    assert_non_null(wb_drill_result(app->drill));
    assert_non_null(strstr(app->status, "drill done"));
    assert_true(app->scenario[0] == '\0'); /* still "steady" */
    wb_drill_close(app);
    /* A scenario that names what the design lacks: said in the status line,
     * in words, and nothing runs. */
    tmp_path(app->scenario, sizeof(app->scenario), "", "badref.json");
    assert_false(wb_drill_run(app));
    assert_false(wb_drill_shown(app));
    assert_true(app->status_error);
    if (strstr(app->status, "badref.json does not fit this design") == NULL ||
        strstr(app->status, "nosuch") == NULL || strstr(app->status, "failures[0]") != NULL) {
        fail_msg("status: %s", app->status);
    }
    /* Wake-up events with no drill are used and harmless. */
    SDL_Event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = wb_drill_event_type();
    assert_true(ev.type != 0u);
    assert_true(wb_drill_event(app, &ev));
    wb_app_destroy(app);
}

/* The review's case: the url-shortener starter with "Scenario: steady"
 * showing. Run drill runs the steady drill (not cache-flush.json, which
 * needs a node "cache"), says pass or fail against the prompt; the
 * Scenario button skips what does not fit and comes back to steady; opening
 * a design or New forgets the pick. */
static void test_steady_on_starter(void **state)
{
    (void)state;
    wb_app *app = make_app();
    char path[1024];
    snprintf(path, sizeof(path), "%s/scenarios/url-shortener/starter.json", AZB_SOURCE_DATA);
    assert_true(wb_app_open(app, path));
    assert_true(app->scenario[0] == '\0');
    assert_true(wb_drill_run(app));
    wb_drill_wait(app->drill);
    frame(app);
    if (strcmp(wb_drill_scenario(app->drill)->name, "Steady load at the workload's rate") != 0) {
        fail_msg("ran \"%s\"", wb_drill_scenario(app->drill)->name);
    }
    print_message("status: %s\n", app->status);
    if (wb_drill_result(app->drill) != NULL) {
        assert_non_null(strstr(app->status, "the prompt's targets"));
    } else {
        assert_null(strstr(wb_drill_error(app->drill), "AZB_"));
    }
    /* Cycling: every scenario offered fits; cache-flush.json never is. */
    bool back_to_steady = false;
    for (int k = 0; k < 6 && !back_to_steady; k++) {
        wb_drill_cycle_scenario(app);
        print_message("pick %d: '%s' (%s)\n", k, app->scenario, app->status);
        back_to_steady = app->scenario[0] == '\0';
        if (!back_to_steady) {
            char why[512];
            assert_null(strstr(app->scenario, "cache-flush.json"));
            assert_true(wb_drill_scenario_fits(app, app->scenario, why, sizeof(why)));
        }
    }
    assert_true(back_to_steady);
    char why[512];
    snprintf(path, sizeof(path), "%s/scenarios/url-shortener/cache-flush.json", AZB_SOURCE_DATA);
    assert_false(wb_drill_scenario_fits(app, path, why, sizeof(why)));
    assert_non_null(strstr(why, "cache"));
    /* A pick is forgotten by Open and New. */
    snprintf(app->scenario, sizeof(app->scenario), "%.500s", path);
    char other[512];
    tmp_path(other, sizeof(other), "", "design.json");
    assert_true(wb_app_open(app, other));
    assert_true(app->scenario[0] == '\0');
    snprintf(app->scenario, sizeof(app->scenario), "%.500s", path);
    wb_app_new(app);
    assert_true(app->scenario[0] == '\0');
    wb_app_destroy(app);
}

/* With SDL's event system up, as in the window: the worker's wake-ups and
 * the playback timer's arrive as the drill's user event, and handling them
 * brings the view up to date. */
static void test_wakes_the_loop(void **state)
{
    (void)state;
    assert_int_equal(SDL_InitSubSystem(SDL_INIT_EVENTS), 0);
    wb_app *app = make_app();
    char path[512];
    tmp_path(path, sizeof(path), "zone", "design.json");
    assert_true(wb_app_open(app, path));
    tmp_path(app->scenario, sizeof(app->scenario), "zone", "outage.json");
    assert_true(wb_drill_run(app));
    Uint32 type = wb_drill_event_type();
    int wakes = 0;
    double t0 = now_s();
    while ((wb_drill_running(app) || strstr(app->status, "drill done") == NULL) &&
           now_s() - t0 < 60.0) {
        SDL_Event ev;
        if (SDL_WaitEventTimeout(&ev, 1000) == 0) {
            continue;
        }
        wakes += ev.type == type ? 1 : 0;
        wb_app_event(app, &ev);
        frame(app);
    }
    print_message("%d wake-ups\n", wakes);
    assert_true(wakes >= 1);
    assert_false(wb_drill_running(app));
    assert_non_null(strstr(app->status, "drill done"));
    assert_true(wb_drill_scrub_time(app) >= 59.0); /* it followed the newest second */
    /* P plays from the start; the timer's ticks move the scrubber. */
    key(app, SDLK_p, 0);
    t0 = now_s();
    int ticks = 0;
    while (wb_drill_scrub_time(app) < 2.0 && now_s() - t0 < 20.0) {
        SDL_Event ev;
        if (SDL_WaitEventTimeout(&ev, 1000) != 0) {
            ticks += ev.type == type && ev.user.code == 1 ? 1 : 0;
            wb_app_event(app, &ev);
        }
    }
    print_message("%d playback ticks to reach %.0f s\n", ticks, wb_drill_scrub_time(app));
    assert_true(ticks >= 1);
    assert_true(wb_drill_scrub_time(app) >= 2.0);
    key(app, SDLK_p, 0); /* pause */
    double paused = wb_drill_scrub_time(app);
    SDL_Event ev;
    while (SDL_WaitEventTimeout(&ev, 200) != 0) {
        wb_app_event(app, &ev);
    }
    assert_true(wb_drill_scrub_time(app) == paused);
    wb_app_destroy(app);
    SDL_QuitSubSystem(SDL_INIT_EVENTS);
}

int main(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/azb-drill-test-XXXXXX");
    if (mkdtemp(tmpdir) == NULL) {
        return 1;
    }
    const char *subs[] = {"lonely", "zone"};
    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
        char sub[512];
        snprintf(sub, sizeof(sub), "%s/%s", tmpdir, subs[i]);
        if (mkdir(sub, 0700) != 0) {
            return 1;
        }
    }
    write_file("", "design.json", design_json);
    write_file("lonely", "design.json", design_json);
    write_file("zone", "design.json", design_json);
    write_file("zone", "outage.json", outage_json);
    write_file("", "outage.json", outage_json);
    write_file("", "long.json", long_json);
    write_file("", "badref.json", bad_ref_json);
    azb_errors errs;
    azb_errors_init(&errs);
    cat = azb_catalog_load_dir(AZB_SOURCE_DATA, &errs);
    azb_errors_free(&errs);
    if (cat == NULL) {
        fprintf(stderr, "the catalog in %s does not load\n", AZB_SOURCE_DATA);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_to_completion),   cmocka_unit_test(test_cancel_is_prompt),
        cmocka_unit_test(test_bad_scenarios),        cmocka_unit_test(test_failure_model),
        cmocka_unit_test(test_scrub_greys_the_zone), cmocka_unit_test(test_close_and_open_cancel),
        cmocka_unit_test(test_no_scenario),          cmocka_unit_test(test_wakes_the_loop),
        cmocka_unit_test(test_steady_on_starter),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    azb_catalog_destroy(cat);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", tmpdir);
    }
    return rc;
}
