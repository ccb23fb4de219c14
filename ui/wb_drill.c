/* Drills: the event simulator on a worker thread, its time series as
 * charts while it runs, and a timeline scrubber that replays the run on the
 * canvas. The runner (start, cancel, rows, finish) knows nothing of the app;
 * the view below it draws the panel and the canvas overlays. wb_drill.h
 * has the model, the threading contract and the ownership. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* realpath */
#include <assert.h>
#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wb_drill.h"

#define MAX_PICKS 3
#define ROW_BYTES_MAX ((double)(256u * 1024u * 1024u))
#define PLAY_TICK_MS 33
#define PLAY_SECONDS 20.0 /* a whole run replays in about this long */

/* The fields a chart can plot. */
typedef enum field {
    F_OFFERED,
    F_SERVED,
    F_FAILED,
    F_THROTTLED,
    F_TIMEOUTS,
    F_DROPPED,
    F_RETRIES,
    F_P50,
    F_P99,
    F_INSTANCES,
} field;

struct wb_drill {
    /* Set before the worker starts; only read while it runs. */
    const azb_catalog *cat;
    azb_design *design;
    azb_result *model;
    azb_scenario *sc;
    uint64_t seed;
    char scenario_path[AZB_PATH_MAX];
    int nnodes;
    int cap_rows;
    azb_sim_second *rows;
    azb_sim_second_node *row_nodes;

    /* Shared by the two threads. */
    atomic_int nrows;         /* rows [0, nrows) are complete; written by the worker */
    atomic_uint progress_ppm; /* parts per million simulated */
    atomic_int cancel_req;    /* set by the UI thread */
    atomic_int ended;         /* set by the worker last of all (release) */
    atomic_int wake_pending;  /* a wake-up event is in the queue */

    /* The worker's until it has ended and been joined, then read-only. */
    volatile int sim_cancel; /* the simulator's flag, only touched by the worker */
    Uint32 last_wake;        /* SDL_GetTicks of the last wake-up */
    azb_sim_result result;
    azb_errors errs;
    bool ok;
    char error[512];

    /* UI thread. */
    pthread_t thread;
    bool joined;
    bool announced; /* the end went to the status line */
    bool follow;    /* the scrubber follows the newest row */
    double scrub;   /* the second shown; -1 none yet */
    bool playing;
    Uint32 play_t0;
    double play_from;
    SDL_TimerID timer;
    bool scrubbing;   /* a drag on the charts or the track */
    int seen;         /* rows folded into the figures below */
    int *imin, *imax; /* per node: the fewest and most active instances seen */
    bool *hit;        /* per node: a failure of the scenario touches it */
    int picks[MAX_PICKS];
    int npicks;
    double max_load, max_err, max_lat, min_lat;
    int max_inst;
};

/* ---- wake-ups ---- */

static pthread_once_t event_once = PTHREAD_ONCE_INIT;
static Uint32 event_type = 0; /* written once under event_once */

static void register_event(void)
{
    Uint32 t = SDL_RegisterEvents(1);
    event_type = t == (Uint32)-1 ? 0u : t;
}

Uint32 wb_drill_event_type(void)
{
    pthread_once(&event_once, register_event);
    return event_type;
}

static void push_wake(Sint32 code)
{
    Uint32 type = wb_drill_event_type();
    if (type == 0u) {
        return;
    }
    SDL_Event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    ev.user.code = code;
    /* Fails without SDL's event system (headless): callers then poll. */
    (void)SDL_PushEvent(&ev);
}

/* At most one wake-up waits in the queue (the UI clears the flag when it
 * handles one or draws), and at most one every 100 ms: the charts need no
 * more, and the simulator's other core is not spent drawing. */
static void wake(wb_drill *dr)
{
    Uint32 now = SDL_GetTicks();
    if (now - dr->last_wake < 100u) {
        return;
    }
    if (atomic_exchange(&dr->wake_pending, 1) == 0) {
        dr->last_wake = now;
        push_wake(0);
    }
}

static Uint32 play_tick(Uint32 interval, void *param)
{
    (void)param; /* never the drill: the timer may fire once after removal */
    push_wake(1);
    return interval;
}

/* ---- the worker ---- */

static void relay_cancel(wb_drill *dr)
{
    if (atomic_load_explicit(&dr->cancel_req, memory_order_relaxed) != 0) {
        dr->sim_cancel = 1;
    }
}

static void copy_row(wb_drill *dr, int n, const azb_sim_second *src)
{
    azb_sim_second *dst = &dr->rows[n];
    azb_sim_second_node *keep = dst->nodes;
    *dst = *src;
    dst->nodes = keep;
    if (src->nodes != NULL && dr->nnodes > 0) {
        memcpy(keep, src->nodes, sizeof(*keep) * (size_t)dr->nnodes);
    }
}

static void publish_row(wb_drill *dr, const azb_sim_second *row)
{
    int n = atomic_load_explicit(&dr->nrows, memory_order_relaxed);
    if (n < dr->cap_rows) {
        copy_row(dr, n, row);
        atomic_store_explicit(&dr->nrows, n + 1, memory_order_release);
    }
}

static void on_progress(void *user, double fraction)
{
    wb_drill *dr = user;
    double f = fraction < 0.0 ? 0.0 : (fraction > 1.0 ? 1.0 : fraction);
    atomic_store_explicit(&dr->progress_ppm, (unsigned)(f * 1e6), memory_order_relaxed);
    relay_cancel(dr);
    wake(dr);
}

static void on_second(void *user, const azb_sim_second *row)
{
    wb_drill *dr = user;
    publish_row(dr, row);
    relay_cancel(dr);
    wake(dr);
}

/* The simulator's error in words a person practising design reads, with
 * the second it got to (the engine's message names its own limits). */
static void plain_sim_error(wb_drill *dr)
{
    const char *msg = "the simulator stopped";
    for (int i = 0; i < dr->errs.count; i++) {
        if (!dr->errs.items[i].warning) {
            msg = dr->errs.items[i].message;
            break;
        }
    }
    int n = atomic_load_explicit(&dr->nrows, memory_order_relaxed);
    char when[96] = "";
    if (n > 0) {
        snprintf(when, sizeof(when), "; the drill stopped at t = %.0f s", dr->rows[n - 1].t_s + 1.0);
    } else {
        snprintf(when, sizeof(when), "; the drill stopped in its first second");
    }
    if (strstr(msg, "AZB_SIM_MAX_IN_FLIGHT") != NULL || strstr(msg, "without bound") != NULL) {
        snprintf(dr->error, sizeof(dr->error),
                 "the design is overloaded without bound: queues or retries grow faster than it "
                 "serves%s",
                 when);
    } else if (strstr(msg, "out of memory") != NULL) {
        snprintf(dr->error, sizeof(dr->error), "the computer ran out of memory%s", when);
    } else {
        snprintf(dr->error, sizeof(dr->error), "%.400s%s", msg, when);
    }
}

static void *worker(void *arg)
{
    wb_drill *dr = arg;
    azb_sim_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.seed = dr->seed;
    cfg.scenario = dr->sc;
    cfg.timeseries = true;
    cfg.progress = on_progress;
    cfg.on_second = on_second;
    cfg.user = dr;
    cfg.cancel = &dr->sim_cancel;
    relay_cancel(dr);
    dr->ok = azb_sim_run(dr->design, dr->cat, dr->model, &cfg, &dr->result, &dr->errs);
    if (dr->ok) {
        /* Rows the callback did not deliver (all of them while the simulator
         * does not call on_second). */
        for (int i = atomic_load_explicit(&dr->nrows, memory_order_relaxed);
             i < dr->result.nseconds; i++) {
            publish_row(dr, &dr->result.seconds[i]);
        }
        if (dr->result.overloaded) {
            /* shown as a stopped drill, its charts up to the stop */
            dr->ok = false;
            azb_errors_add(&dr->errs, false, "", 0, 0, "", "%s",
                           "the design is overloaded without bound");
            plain_sim_error(dr);
        }
    } else {
        plain_sim_error(dr);
    }
    if (dr->ok && !dr->result.cancelled) {
        atomic_store_explicit(&dr->progress_ppm, 1000000u, memory_order_relaxed);
    }
    atomic_store_explicit(&dr->ended, 1, memory_order_release);
    push_wake(0);
    return NULL;
}

/* ---- the runner ---- */

static void first_error(const azb_errors *errs, const char *file, char *why, size_t size)
{
    for (int i = 0; i < errs->count; i++) {
        if (errs->items[i].warning) {
            continue;
        }
        azb_error e = errs->items[i];
        if (e.file[0] == '\0' && file != NULL) {
            snprintf(e.file, sizeof(e.file), "%s", file);
        }
        azb_error_format(&e, why, size);
        return;
    }
    snprintf(why, size, "%s: cannot be simulated", file != NULL ? file : "the design");
}

static bool failure_touches(const wb_drill *dr, int u, const azb_failure *f)
{
    const azb_node *n = &dr->design->nodes[u];
    switch (f->what) {
    case AZB_FAIL_SLOW:
    case AZB_FAIL_CACHE_FLUSH:
    case AZB_FAIL_QUOTA_CUT:
        return strcmp(f->node, n->id) == 0;
    case AZB_FAIL_EDGE:
        return strcmp(f->from, n->id) == 0 || strcmp(f->to, n->id) == 0;
    default:
        return wb_drill_node_down(dr, u, f->at_s, n->count > 0 ? n->count : 1) > 0;
    }
}

wb_drill *wb_drill_start(const azb_design *d, const azb_catalog *cat, const char *scenario_path,
                         uint64_t seed, char *why, size_t why_size)
{
    assert(d != NULL && cat != NULL && scenario_path != NULL && why != NULL);
    why[0] = '\0';
    azb_errors errs;
    azb_errors_init(&errs);
    azb_scenario *sc = azb_scenario_load(scenario_path, &errs);
    if (sc == NULL) {
        first_error(&errs, scenario_path, why, why_size);
        azb_errors_free(&errs);
        return NULL;
    }
    azb_errors_free(&errs);
    return wb_drill_start_scenario(d, cat, sc, scenario_path, seed, why, why_size);
}

azb_scenario *wb_drill_steady_scenario(const azb_design *d, double duration_s, char *why,
                                       size_t why_size)
{
    assert(d != NULL && why != NULL);
    double rps = d->workload.rps;
    if (!(rps > 0.0)) {
        snprintf(why, why_size,
                 "a steady drill needs the design's load: set the workload's requests per second");
        return NULL;
    }
    char text[512];
    int len = snprintf(text, sizeof(text),
                       "{\"format\": \"%s\", \"version\": %d, \"name\": \"Steady load at the "
                       "workload's rate\", \"duration_s\": %.17g, \"load\": {\"type\": "
                       "\"constant\", \"rps\": %.17g}}",
                       AZB_SCENARIO_FORMAT, AZB_SCENARIO_VERSION, duration_s, rps);
    azb_errors errs;
    azb_errors_init(&errs);
    azb_scenario *sc = azb_scenario_parse(text, (size_t)len, WB_DRILL_STEADY, &errs);
    if (sc == NULL) {
        first_error(&errs, WB_DRILL_STEADY, why, why_size);
    }
    azb_errors_free(&errs);
    return sc;
}

wb_drill *wb_drill_start_scenario(const azb_design *d, const azb_catalog *cat, azb_scenario *sc,
                                  const char *label, uint64_t seed, char *why, size_t why_size)
{
    assert(d != NULL && cat != NULL && sc != NULL && label != NULL && why != NULL);
    why[0] = '\0';
    azb_errors errs;
    azb_errors_init(&errs);
    wb_drill *dr = calloc(1, sizeof(*dr));
    if (dr == NULL) {
        azb_scenario_destroy(sc);
        snprintf(why, why_size, "out of memory");
        goto fail;
    }
    azb_errors_init(&dr->errs);
    dr->joined = true; /* no thread yet */
    dr->cat = cat;
    dr->seed = seed;
    dr->scrub = -1.0;
    dr->follow = true;
    dr->sc = sc;
    snprintf(dr->scenario_path, sizeof(dr->scenario_path), "%s", label);
    const char *scenario_path = label;
    dr->design = azb_design_clone(d);
    if (dr->design == NULL) {
        snprintf(why, why_size, "out of memory");
        goto fail;
    }
    if (!azb_design_validate(dr->design, cat, &errs)) {
        first_error(&errs, NULL, why, why_size);
        goto fail;
    }
    if (!azb_scenario_check(dr->sc, dr->design, cat, &errs)) {
        first_error(&errs, scenario_path, why, why_size);
        goto fail;
    }
    dr->model = azb_model_run(dr->design, cat, 0.0, &errs);
    if (dr->model == NULL || azb_errors_count_errors(&errs) > 0) {
        first_error(&errs, NULL, why, why_size);
        goto fail;
    }
    dr->nnodes = dr->design->nnodes;
    double cap = ceil(dr->sc->duration_s) + 2.0;
    double per = (double)sizeof(azb_sim_second) +
                 (double)(dr->nnodes + 1) * (double)sizeof(azb_sim_second_node);
    if (cap * per > ROW_BYTES_MAX) {
        snprintf(why, why_size,
                 "%s: %.0f simulated seconds of %d nodes is too long to chart here "
                 "(use azboard sim --des --timeseries)",
                 scenario_path, dr->sc->duration_s, dr->nnodes);
        goto fail;
    }
    dr->cap_rows = (int)cap;
    dr->rows = calloc((size_t)dr->cap_rows, sizeof(*dr->rows));
    dr->row_nodes = calloc((size_t)dr->cap_rows * (size_t)(dr->nnodes + 1), sizeof(*dr->row_nodes));
    dr->imin = calloc((size_t)dr->nnodes + 1u, sizeof(int));
    dr->imax = calloc((size_t)dr->nnodes + 1u, sizeof(int));
    dr->hit = calloc((size_t)dr->nnodes + 1u, sizeof(bool));
    if (dr->rows == NULL || dr->row_nodes == NULL || dr->imin == NULL || dr->imax == NULL ||
        dr->hit == NULL) {
        snprintf(why, why_size, "out of memory");
        goto fail;
    }
    for (int i = 0; i < dr->cap_rows; i++) {
        dr->rows[i].nodes = &dr->row_nodes[(size_t)i * (size_t)(dr->nnodes + 1)];
    }
    for (int u = 0; u < dr->nnodes; u++) {
        dr->imin[u] = -1;
        for (int f = 0; f < dr->sc->nfailures && !dr->hit[u]; f++) {
            dr->hit[u] = failure_touches(dr, u, &dr->sc->failures[f]);
        }
    }
    atomic_init(&dr->nrows, 0);
    atomic_init(&dr->progress_ppm, 0u);
    atomic_init(&dr->cancel_req, 0);
    atomic_init(&dr->ended, 0);
    atomic_init(&dr->wake_pending, 0);
    (void)wb_drill_event_type();
    if (pthread_create(&dr->thread, NULL, worker, dr) != 0) {
        snprintf(why, why_size, "cannot start the simulator's thread");
        goto fail;
    }
    dr->joined = false;
    azb_errors_free(&errs);
    return dr;

fail:
    azb_errors_free(&errs);
    wb_drill_destroy(dr);
    return NULL;
}

void wb_drill_cancel(wb_drill *dr)
{
    assert(dr != NULL);
    atomic_store_explicit(&dr->cancel_req, 1, memory_order_relaxed);
}

void wb_drill_wait(wb_drill *dr)
{
    assert(dr != NULL);
    if (!dr->joined) {
        pthread_join(dr->thread, NULL);
        dr->joined = true;
    }
}

bool wb_drill_finished(wb_drill *dr)
{
    assert(dr != NULL);
    if (!dr->joined && atomic_load_explicit(&dr->ended, memory_order_acquire) != 0) {
        wb_drill_wait(dr); /* it has returned or is about to */
    }
    return dr->joined;
}

static void stop_play(wb_drill *dr)
{
    if (dr->timer != 0) {
        SDL_RemoveTimer(dr->timer);
        dr->timer = 0;
    }
    dr->playing = false;
}

void wb_drill_destroy(wb_drill *dr)
{
    if (dr == NULL) {
        return;
    }
    wb_drill_cancel(dr);
    wb_drill_wait(dr);
    stop_play(dr);
    azb_sim_result_free(&dr->result);
    azb_errors_free(&dr->errs);
    azb_scenario_destroy(dr->sc);
    azb_result_destroy(dr->model);
    azb_design_destroy(dr->design);
    free(dr->rows);
    free(dr->row_nodes);
    free(dr->imin);
    free(dr->imax);
    free(dr->hit);
    free(dr);
}

double wb_drill_progress(const wb_drill *dr)
{
    assert(dr != NULL);
    return (double)atomic_load_explicit(&dr->progress_ppm, memory_order_relaxed) / 1e6;
}

int wb_drill_nrows(const wb_drill *dr)
{
    assert(dr != NULL);
    return atomic_load_explicit(&dr->nrows, memory_order_acquire);
}

const azb_sim_second *wb_drill_row(const wb_drill *dr, int i)
{
    assert(dr != NULL && i >= 0 && i < wb_drill_nrows(dr));
    return &dr->rows[i];
}

const azb_scenario *wb_drill_scenario(const wb_drill *dr)
{
    assert(dr != NULL);
    return dr->sc;
}

const azb_design *wb_drill_design(const wb_drill *dr)
{
    assert(dr != NULL);
    return dr->design;
}

const azb_sim_result *wb_drill_result(const wb_drill *dr)
{
    assert(dr != NULL && dr->joined);
    return dr->ok ? &dr->result : NULL;
}

const char *wb_drill_error(const wb_drill *dr)
{
    assert(dr != NULL && dr->joined);
    return dr->ok ? "" : dr->error;
}

bool wb_drill_cancelled(const wb_drill *dr)
{
    assert(dr != NULL);
    return dr->joined && dr->ok && dr->result.cancelled;
}

/* ---- failures at a time ---- */

/* When a failure stops showing: its recovery, except that a cache flush
 * acts once, at `at`, and is over when the cache has warmed (warm_s). */
static double effect_end(const azb_failure *f)
{
    if (f->what == AZB_FAIL_CACHE_FLUSH) {
        return fmin(f->recover_s, f->at_s + fmax(f->warm_s, 1.0));
    }
    return f->recover_s;
}

static bool active(const azb_failure *f, double t)
{
    return f->at_s <= t && t < effect_end(f);
}

/* Down as a whole: every instance, or a service without instances. */
static bool whole_down(const wb_drill *dr, int u, double t)
{
    const azb_node *n = &dr->design->nodes[u];
    bool quota = dr->model->nodes[u].queueing == AZB_QUEUEING_QUOTA;
    for (int k = 0; k < dr->sc->nfailures; k++) {
        const azb_failure *f = &dr->sc->failures[k];
        if (!active(f, t)) {
            continue;
        }
        if (f->what == AZB_FAIL_NODE && strcmp(f->node, n->id) == 0) {
            return true;
        }
        if (f->what == AZB_FAIL_REGION && n->region[0] != '\0' &&
            strcmp(f->region, n->region) == 0) {
            return true;
        }
        if (f->what == AZB_FAIL_ZONE && quota && strcmp(f->region, n->region) == 0) {
            bool redundant = azb_node_setting_num(n, "zone_redundant", 0.0) != 0.0 || n->nzones > 1;
            if (n->nzones == 1 && n->zones[0] == f->zone && !redundant) {
                return true;
            }
        }
    }
    return false;
}

static bool instance_down(const wb_drill *dr, int u, int j, double t)
{
    const azb_node *n = &dr->design->nodes[u];
    for (int k = 0; k < dr->sc->nfailures; k++) {
        const azb_failure *f = &dr->sc->failures[k];
        if (!active(f, t)) {
            continue;
        }
        if (f->what == AZB_FAIL_ZONE && n->nzones > 0 && strcmp(f->region, n->region) == 0 &&
            n->zones[j % n->nzones] == f->zone) {
            return true;
        }
        if (f->what == AZB_FAIL_INSTANCES && strcmp(f->node, n->id) == 0 && j < f->kill) {
            return true;
        }
    }
    return false;
}

int wb_drill_node_down(const wb_drill *dr, int node, double t, int n)
{
    assert(dr != NULL && node >= 0 && node < dr->nnodes);
    azb_queueing q = dr->model->nodes[node].queueing;
    if (q == AZB_QUEUEING_SOURCE || n <= 0) {
        return 0;
    }
    if (whole_down(dr, node, t)) {
        return n;
    }
    if (q == AZB_QUEUEING_QUOTA) {
        return 0;
    }
    int down = 0;
    for (int j = 0; j < n; j++) {
        down += instance_down(dr, node, j, t) ? 1 : 0;
    }
    return down;
}

bool wb_drill_group_failed(const wb_drill *dr, const azb_group *g, double t)
{
    assert(dr != NULL && g != NULL);
    bool zone = strcmp(g->kind, "zone") == 0;
    for (int k = 0; k < dr->sc->nfailures; k++) {
        const azb_failure *f = &dr->sc->failures[k];
        if (!active(f, t) || strcmp(f->region, g->region) != 0) {
            continue;
        }
        if (f->what == AZB_FAIL_REGION ||
            (f->what == AZB_FAIL_ZONE && zone && g->zone == f->zone)) {
            return true;
        }
    }
    return false;
}

static const char *fail_label(char *buf, size_t size, const azb_failure *f)
{
    switch (f->what) {
    case AZB_FAIL_NODE:
        snprintf(buf, size, "%s down", f->node);
        break;
    case AZB_FAIL_ZONE:
        snprintf(buf, size, "zone %s/%d down", f->region, f->zone);
        break;
    case AZB_FAIL_REGION:
        snprintf(buf, size, "region %s down", f->region);
        break;
    case AZB_FAIL_INSTANCES:
        snprintf(buf, size, "%d of %s down", f->kill, f->node);
        break;
    case AZB_FAIL_SLOW:
        snprintf(buf, size, "%s slow \xc3\x97%.3g", f->node, f->factor);
        break;
    case AZB_FAIL_EDGE:
        snprintf(buf, size, "%s\xe2\x86\x92%s +%.0f ms, %.0f%% lost", f->from, f->to, f->extra_ms,
                 f->loss * 100.0);
        break;
    case AZB_FAIL_CACHE_FLUSH:
        snprintf(buf, size, "%s flushed", f->node);
        break;
    case AZB_FAIL_QUOTA_CUT:
        snprintf(buf, size, "%s quota \xc3\x97%.3g", f->node, f->factor);
        break;
    default:
        snprintf(buf, size, "%s", azb_failure_what_name(f->what));
        break;
    }
    return buf;
}

/* ---- the view's figures (UI thread) ---- */

static double value(const azb_sim_second *r, field f, int node)
{
    switch (f) {
    case F_OFFERED:
        return r->offered;
    case F_SERVED:
        return r->served;
    case F_FAILED:
        return r->failed;
    case F_THROTTLED:
        return r->throttled;
    case F_TIMEOUTS:
        return r->timeouts;
    case F_DROPPED:
        return r->dropped;
    case F_RETRIES:
        return r->retries;
    case F_P50:
        return r->p50_ms;
    case F_P99:
        return r->p99_ms;
    case F_INSTANCES:
        return node >= 0 ? (double)r->nodes[node].instances : 0.0;
    }
    return 0.0;
}

/* The few nodes whose instances are worth a chart: those that scale or are
 * hit by a failure, most change first. */
static void pick_nodes(wb_drill *dr)
{
    dr->npicks = 0;
    int best_any = -1;
    for (int pass = 0; pass < MAX_PICKS; pass++) {
        int best = -1;
        int best_score = 0;
        for (int u = 0; u < dr->nnodes; u++) {
            if (dr->imax[u] <= 0) {
                continue;
            }
            if (best_any < 0 || dr->imax[u] > dr->imax[best_any]) {
                best_any = u;
            }
            bool taken = false;
            for (int k = 0; k < dr->npicks; k++) {
                taken = taken || dr->picks[k] == u;
            }
            const azb_node *n = &dr->design->nodes[u];
            int score = (dr->imax[u] - dr->imin[u]) * 4 + (dr->hit[u] ? 2 : 0) +
                        (n->autoscale.max > 0 ? 1 : 0);
            if (!taken && score > best_score) {
                best = u;
                best_score = score;
            }
        }
        if (best < 0) {
            break;
        }
        dr->picks[dr->npicks++] = best;
    }
    if (dr->npicks == 0 && best_any >= 0) {
        dr->picks[dr->npicks++] = best_any;
    }
}

static int current_row(const wb_drill *dr)
{
    if (dr->seen == 0 || dr->scrub < 0.0) {
        return -1;
    }
    int i = (int)floor(dr->scrub);
    return i < 0 ? 0 : (i >= dr->seen ? dr->seen - 1 : i);
}

/* Fold newly published rows into the figures; the scrubber follows them
 * unless the person has moved it. */
static void sync_rows(wb_drill *dr)
{
    int n = wb_drill_nrows(dr);
    if (dr->joined && dr->ok && dr->result.cancelled && n > 1) {
        n--; /* the second the cancel cut short: its counts are not rates */
    }
    if (n < dr->seen) {
        dr->seen = n;
        pick_nodes(dr);
    }
    for (int i = dr->seen; i < n; i++) {
        const azb_sim_second *r = &dr->rows[i];
        dr->max_load = fmax(dr->max_load, fmax(r->offered, r->served));
        double e = fmax(fmax(r->failed, r->throttled), fmax(r->timeouts, r->dropped));
        dr->max_err = fmax(dr->max_err, fmax(e, r->retries));
        dr->max_lat = fmax(dr->max_lat, fmax(r->p99_ms, r->p50_ms));
        if (r->p50_ms > 0.0 && (dr->min_lat <= 0.0 || r->p50_ms < dr->min_lat)) {
            dr->min_lat = r->p50_ms;
        }
        for (int u = 0; u < dr->nnodes; u++) {
            int k = r->nodes[u].instances;
            if (dr->imin[u] < 0 || k < dr->imin[u]) {
                dr->imin[u] = k;
            }
            dr->imax[u] = k > dr->imax[u] ? k : dr->imax[u];
            dr->max_inst = k > dr->max_inst ? k : dr->max_inst;
        }
    }
    if (n != dr->seen) {
        dr->seen = n;
        pick_nodes(dr);
    }
    if (dr->follow && dr->seen > 0) {
        dr->scrub = dr->rows[dr->seen - 1].t_s;
    }
}

static int map_node(const wb_drill *dr, const azb_design *d, int i)
{
    if (i < 0 || i >= d->nnodes) {
        return -1;
    }
    const char *id = d->nodes[i].id;
    if (i < dr->nnodes && strcmp(dr->design->nodes[i].id, id) == 0) {
        return i;
    }
    return azb_design_find_node(dr->design, id);
}

/* ---- the app: starting and closing ---- */

static bool is_scenario(const char *path)
{
    char fmt[64];
    return azb_file_format(path, fmt, sizeof(fmt)) && strcmp(fmt, AZB_SCENARIO_FORMAT) == 0;
}

static void design_dir(const wb_app *app, char *out, size_t size)
{
    const char *slash = strrchr(app->path, '/');
    if (app->path[0] == '\0') {
        out[0] = '\0';
    } else if (slash == NULL) {
        snprintf(out, size, ".");
    } else {
        snprintf(out, size, "%.*s", (int)(slash - app->path), app->path);
    }
}

static void prompt_dir(const wb_app *app, char *out, size_t size)
{
    const azb_design *d = wb_design(app);
    out[0] = '\0';
    if (d->has_prompt && d->prompt[0] != '\0') {
        snprintf(out, size, "%.3000s/scenarios/%s", app->data_dir, d->prompt);
    }
}

#define MAX_CANDIDATES 64

typedef struct candidates {
    int n;
    char path[MAX_CANDIDATES][AZB_PATH_MAX];
    char real[MAX_CANDIDATES][AZB_PATH_MAX];
} candidates;

static void add_dir(candidates *c, const char *dir)
{
    DIR *dh = dir[0] != '\0' ? opendir(dir) : NULL;
    if (dh == NULL) {
        return;
    }
    struct dirent *de = NULL;
    while ((de = readdir(dh)) != NULL && c->n < MAX_CANDIDATES) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0) {
            continue;
        }
        char path[AZB_PATH_MAX + 4400];
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        char real[PATH_MAX];
        if (strlen(path) >= AZB_PATH_MAX || realpath(path, real) == NULL ||
            strlen(real) >= AZB_PATH_MAX || !is_scenario(path)) {
            continue;
        }
        bool dup = false;
        for (int k = 0; k < c->n && !dup; k++) {
            dup = strcmp(c->real[k], real) == 0;
        }
        if (!dup) {
            /* both lengths checked above: below AZB_PATH_MAX */
            memcpy(c->path[c->n], path, strlen(path) + 1u);
            memcpy(c->real[c->n], real, strlen(real) + 1u);
            c->n++;
        }
    }
    closedir(dh);
}

static int by_base(const void *a, const void *b)
{
    const char *x = strrchr((const char *)a, '/');
    const char *y = strrchr((const char *)b, '/');
    return strcmp(x != NULL ? x : (const char *)a, y != NULL ? y : (const char *)b);
}

/* The scenario files next to the design and in its prompt's folder, by
 * name, each once. Heap-allocated (a click, not a frame); NULL when out of
 * memory. */
static candidates *list_candidates(const wb_app *app)
{
    candidates *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return NULL;
    }
    char dir[4200];
    design_dir(app, dir, sizeof(dir));
    add_dir(c, dir);
    prompt_dir(app, dir, sizeof(dir));
    add_dir(c, dir);
    /* real[] follows path[] through the sort: sort rows as pairs. */
    typedef struct row {
        char path[AZB_PATH_MAX];
        char real[AZB_PATH_MAX];
    } row;
    row *rows = calloc((size_t)(c->n > 0 ? c->n : 1), sizeof(row));
    if (rows == NULL) {
        free(c);
        return NULL;
    }
    for (int k = 0; k < c->n; k++) {
        memcpy(rows[k].path, c->path[k], AZB_PATH_MAX);
        memcpy(rows[k].real, c->real[k], AZB_PATH_MAX);
    }
    qsort(rows, (size_t)c->n, sizeof(row), by_base);
    for (int k = 0; k < c->n; k++) {
        memcpy(c->path[k], rows[k].path, AZB_PATH_MAX);
        memcpy(c->real[k], rows[k].real, AZB_PATH_MAX);
    }
    free(rows);
    return c;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

bool wb_drill_scenario_fits(const wb_app *app, const char *path, char *why, size_t why_size)
{
    why[0] = '\0';
    azb_errors errs;
    azb_errors_init(&errs);
    azb_scenario *sc = azb_scenario_load(path, &errs);
    bool ok = sc != NULL;
    if (ok) {
        azb_design *copy = azb_design_clone(wb_design(app));
        ok = copy != NULL && azb_design_validate(copy, app->cat, &errs) &&
             azb_scenario_check(sc, copy, app->cat, &errs);
        azb_design_destroy(copy);
    }
    if (!ok) {
        const char *msg = "it cannot be read";
        for (int i = 0; i < errs.count; i++) {
            if (!errs.items[i].warning) {
                msg = errs.items[i].message;
                break;
            }
        }
        snprintf(why, why_size, "%s does not fit this design: %s", base_name(path), msg);
    }
    azb_scenario_destroy(sc);
    azb_errors_free(&errs);
    return ok;
}

void wb_drill_cycle_scenario(wb_app *app)
{
    candidates *c = list_candidates(app);
    if (c == NULL) {
        wb_app_status(app, true, "out of memory");
        return;
    }
    int from = -1;
    char real[PATH_MAX];
    if (app->scenario[0] != '\0' && realpath(app->scenario, real) != NULL) {
        for (int k = 0; k < c->n; k++) {
            from = strcmp(c->real[k], real) == 0 ? k : from;
        }
    }
    int skipped = 0;
    char skip[400] = "";
    for (int k = from + 1; k < c->n; k++) {
        char why[400];
        if (wb_drill_scenario_fits(app, c->path[k], why, sizeof(why))) {
            snprintf(app->scenario, sizeof(app->scenario), "%s", c->path[k]);
            wb_app_status(app, false, "drill scenario: %s%s%s", base_name(c->path[k]),
                          skipped > 0 ? "; skipped " : "", skip);
            free(c);
            return;
        }
        if (skipped++ == 0) {
            snprintf(skip, sizeof(skip), "%s", why);
        }
    }
    app->scenario[0] = '\0';
    char r[32];
    double rps = wb_design(app)->workload.rps;
    wb_app_status(app, false, "drill scenario: steady load, %s for %.0f s, no failures%s%s%s",
                  wb_rate(r, sizeof(r), rps), WB_DRILL_STEADY_S,
                  c->n == 0 ? " (no scenario files next to this design or in its prompt's folder)"
                            : "",
                  skipped > 0 ? "; skipped " : "", skip);
    free(c);
}

/* A NAME (next to the design, then in its prompt's folder) or a path. */
static bool resolve_scenario(const wb_app *app, const char *arg, char *out, size_t size)
{
    size_t len = strlen(arg);
    if (strchr(arg, '/') != NULL || (len > 5 && strcmp(arg + len - 5, ".json") == 0)) {
        snprintf(out, size, "%s", arg);
        return true;
    }
    char dir[4200];
    char path[4400];
    for (int k = 0; k < 2; k++) {
        if (k == 0) {
            design_dir(app, dir, sizeof(dir));
        } else {
            prompt_dir(app, dir, sizeof(dir));
        }
        snprintf(path, sizeof(path), "%s/%s.json", dir, arg);
        if (dir[0] != '\0' && access(path, R_OK) == 0 && strlen(path) < size) {
            snprintf(out, size, "%s", path);
            return true;
        }
    }
    return false;
}

/* Start a drill on the open design: the scenario file at `path`, or the
 * steady drill when path is NULL. */
static bool show(wb_app *app, const char *path, char *why, size_t why_size)
{
    wb_drill_close(app);
    wb_drill *dr = NULL;
    if (path != NULL) {
        dr = wb_drill_start(wb_design(app), app->cat, path, 1u, why, why_size);
    } else {
        azb_scenario *sc = wb_drill_steady_scenario(wb_design(app), WB_DRILL_STEADY_S, why, why_size);
        dr = sc != NULL ? wb_drill_start_scenario(wb_design(app), app->cat, sc, WB_DRILL_STEADY, 1u,
                                                  why, why_size)
                        : NULL;
    }
    if (dr == NULL) {
        return false;
    }
    app->drill = dr;
    if (path != NULL) {
        snprintf(app->scenario, sizeof(app->scenario), "%s", path);
    }
    wb_app_fit(app); /* the drills panel is taller than the results strip */
    return true;
}

bool wb_drill_run(wb_app *app)
{
    char path[AZB_PATH_MAX];
    char why[1024];
    snprintf(path, sizeof(path), "%s", app->scenario);
    if (path[0] != '\0' && !wb_drill_scenario_fits(app, path, why, sizeof(why))) {
        wb_app_status(app, true, "drill: %s; pick another with the Scenario button", why);
        return false;
    }
    if (!show(app, path[0] != '\0' ? path : NULL, why, sizeof(why))) {
        wb_app_status(app, true, "drill: %s", why);
        return false;
    }
    wb_app_status(app, false,
                  "drill: simulating \"%s\" on a copy of the design; Cancel stops it, Esc closes",
                  app->drill->sc->name);
    return true;
}

void wb_drill_close(wb_app *app)
{
    if (app->drill != NULL) {
        if (app->drill->scrubbing) {
            app->drill->scrubbing = false;
        }
        wb_drill_destroy(app->drill);
        app->drill = NULL;
    }
}

void wb_drill_free(wb_app *app)
{
    wb_drill_close(app);
}

bool wb_drill_shown(const wb_app *app)
{
    return app->drill != NULL;
}

bool wb_drill_running(const wb_app *app)
{
    return app->drill != NULL && !app->drill->joined;
}

float wb_drill_panel_h(const wb_app *app)
{
    return fminf(wb_px(app, 300.0f), (float)app->height * 0.46f);
}

void wb_drill_scrub(wb_app *app, double t)
{
    wb_drill *dr = app->drill;
    if (dr == NULL) {
        return;
    }
    sync_rows(dr);
    if (dr->seen == 0) {
        return;
    }
    double hi = dr->rows[dr->seen - 1].t_s;
    dr->scrub = t < 0.0 ? 0.0 : (t > hi ? hi : t);
    dr->follow = false;
}

double wb_drill_scrub_time(const wb_app *app)
{
    const wb_drill *dr = app->drill;
    int i = dr != NULL ? current_row(dr) : -1;
    return i < 0 ? -1.0 : dr->rows[i].t_s;
}

/* The practice prompt's targets for the open design, NULL without one. */
static const azb_requirements *targets(const wb_app *app)
{
    const azb_design *d = wb_design(app);
    if (!d->has_prompt || app->prompts == NULL) {
        return NULL;
    }
    const azb_prompt *q = azb_prompts_find(app->prompts, d->prompt);
    return q != NULL && (q->req.p99_ms > 0.0 || q->req.availability > 0.0) ? &q->req : NULL;
}

/* Pass or fail against the prompt: p99 under its target, the share of
 * requests that failed within what its availability target allows. */
static const char *verdict(wb_app *app, const azb_sim_result *r, bool *pass)
{
    const azb_requirements *q = targets(app);
    *pass = true;
    if (q == NULL) {
        return NULL;
    }
    uint64_t bad = r->failed + r->throttled + r->timeouts + r->dropped;
    double total = (double)(r->completed + bad);
    double err = total > 0.0 ? (double)bad / total : 0.0;
    char a[32], b[32];
    const char *out = "";
    if (q->p99_ms > 0.0) {
        bool ok = r->completed > 0 && r->latency.p99 <= q->p99_ms;
        *pass = *pass && ok;
        out = wb_fmt(app, "p99 %s %s %s", wb_ms(a, sizeof(a), r->latency.p99, r->completed == 0),
                     ok ? "\xe2\x89\xa4" : ">", wb_ms(b, sizeof(b), q->p99_ms, false));
    }
    if (r->offered > 0u && (double)(r->completed + bad) < 0.99 * (double)r->offered) {
        /* Requests still queued at the end are neither served nor failed. */
        *pass = false;
        out = wb_fmt(app, "%s%sonly %.0f%% of the load answered", out, out[0] != '\0' ? ", " : "",
                     100.0 * (double)(r->completed + bad) / (double)r->offered);
    }
    if (q->availability > 0.0) {
        double allowed = 1.0 - q->availability;
        bool ok = err <= allowed;
        *pass = *pass && ok;
        /* enough digits that a miss never reads "0.10% > 0.10%" */
        int dig = 2;
        char e1[32] = "";
        char e2[32] = "";
        for (;; dig++) {
            snprintf(e1, sizeof(e1), "%.*f", dig, err * 100.0);
            snprintf(e2, sizeof(e2), "%.*f", dig, allowed * 100.0);
            if (dig >= 6 || strcmp(e1, e2) != 0 || err == allowed) {
                break;
            }
        }
        out = wb_fmt(app, "%s%serrors %s%% %s %s%%", out, out[0] != '\0' ? ", " : "", e1,
                     ok ? "\xe2\x89\xa4" : ">", e2);
    }
    return wb_fmt(app, "%s the prompt's targets (%s)", *pass ? "meets" : "misses", out);
}

/* The state at the end, once, in the status line. */
static void announce(wb_app *app, wb_drill *dr)
{
    if (dr->announced || !wb_drill_finished(dr)) {
        return;
    }
    dr->announced = true;
    sync_rows(dr);
    const azb_sim_result *r = wb_drill_result(dr);
    if (r == NULL) {
        wb_app_status(app, true, "drill failed: %s", dr->error);
        return;
    }
    uint64_t bad = r->failed + r->throttled + r->timeouts + r->dropped;
    double total = (double)(r->completed + bad);
    char a[32], b[32];
    bool pass = true;
    const char *v = verdict(app, r, &pass);
    wb_app_status(app, !pass, "drill %s: %s served, p99 %s, %.2f%% of requests failed%s%s%s",
                  r->cancelled ? "cancelled" : "done", wb_rate(a, sizeof(a), r->throughput_rps),
                  wb_ms(b, sizeof(b), r->latency.p99, false),
                  total > 0.0 ? 100.0 * (double)bad / total : 0.0, v != NULL ? "; " : "",
                  v != NULL ? v : "",
                  dr->sc->nfailures > 0 ? "; drag the timeline to replay the failures" : "");
}

/* ---- the panel's layout ---- */

typedef struct panel {
    wb_rect all;
    wb_rect bar;    /* progress */
    wb_rect cancel; /* Cancel while running, Run again after */
    wb_rect close;
    wb_rect charts[4];
    wb_rect plots[4];
    wb_rect play;
    wb_rect track;
    wb_rect scrub_zone; /* where a press starts a scrub */
} panel;

static void panel_layout(const wb_app *app, panel *p)
{
    wb_rect a = app->lay.results;
    p->all = a;
    float pad = wb_px(app, 16.0f);
    float bh = wb_px(app, 24.0f);
    float top = a.y + wb_px(app, 8.0f);
    p->close = (wb_rect){a.x + a.w - pad - wb_px(app, 64.0f), top, wb_px(app, 64.0f), bh};
    p->cancel =
        (wb_rect){p->close.x - wb_px(app, 8.0f) - wb_px(app, 84.0f), top, wb_px(app, 84.0f), bh};
    p->bar = (wb_rect){p->cancel.x - wb_px(app, 84.0f) - wb_px(app, 200.0f),
                       top + bh * 0.5f - wb_px(app, 4.0f), wb_px(app, 200.0f), wb_px(app, 8.0f)};
    float cy0 = a.y + wb_px(app, 62.0f);
    float cy1 = a.y + a.h - wb_px(app, 50.0f);
    float gap = wb_px(app, 18.0f);
    float cw = (a.w - 2.0f * pad - 3.0f * gap) / 4.0f;
    for (int k = 0; k < 4; k++) {
        wb_rect c = {a.x + pad + (float)k * (cw + gap), cy0, cw, cy1 - cy0};
        p->charts[k] = c;
        float head = wb_px(app, 34.0f);
        p->plots[k] = (wb_rect){c.x, c.y + head, c.w, c.h - head};
    }
    float ty = a.y + a.h - wb_px(app, 34.0f);
    p->play = (wb_rect){a.x + pad, ty - wb_px(app, 11.0f), wb_px(app, 30.0f), wb_px(app, 22.0f)};
    float tx = p->play.x + p->play.w + wb_px(app, 110.0f);
    p->track = (wb_rect){tx, ty - wb_px(app, 2.0f), a.x + a.w - pad - tx, wb_px(app, 4.0f)};
    p->scrub_zone = (wb_rect){p->track.x - wb_px(app, 8.0f), ty - wb_px(app, 14.0f),
                              p->track.w + wb_px(app, 16.0f), wb_px(app, 28.0f)};
}

static double duration(const wb_drill *dr)
{
    return dr->sc->duration_s > 0.0 ? dr->sc->duration_s : 1.0;
}

static float time_x(const wb_drill *dr, wb_rect p, double t)
{
    return p.x + (float)(t / duration(dr)) * p.w;
}

static double x_time(const wb_drill *dr, wb_rect p, float x)
{
    return (double)((x - p.x) / fmaxf(p.w, 1.0f)) * duration(dr);
}

/* ---- charts ---- */

typedef struct series {
    const char *name;
    field f;
    int node;
    wb_color c;
    bool dashed;
    bool mean; /* a column shows the mean of its rows (else their largest) */
    bool step;
} series;

typedef enum scale {
    S_LINEAR,
    S_LOG,    /* lo > 0; nothing at or below 0 is drawn */
    S_SYMLOG, /* log10(1 + v): 0 at the base, a spike and a trickle both readable */
} scale;

typedef struct axis {
    double lo, hi;
    scale scale;
} axis;

static float y_of(axis ax, wb_rect p, double v)
{
    double f = 0.0;
    if (ax.scale == S_LOG) {
        f = (log10(fmax(v, ax.lo)) - log10(ax.lo)) / (log10(ax.hi) - log10(ax.lo));
    } else if (ax.scale == S_SYMLOG) {
        f = log10(1.0 + fmax(v, 0.0)) / log10(1.0 + ax.hi);
    } else {
        f = (v - ax.lo) / (ax.hi - ax.lo);
    }
    f = fmax(0.0, fmin(1.0, f));
    return p.y + p.h - (float)f * p.h;
}

/* One series, a point per pixel column at most. */
static void plot(wb_app *app, const wb_drill *dr, wb_rect p, axis ax, const series *s)
{
    int n = dr->seen;
    int cols = (int)p.w;
    if (n == 0 || cols < 2) {
        return;
    }
    float w = wb_px(app, 1.6f);
    float px = 0.0f, py = 0.0f;
    bool have = false;
    int r = 0;
    for (int c = 0; c < cols && r < n; c++) {
        double t1 = duration(dr) * (double)(c + 1) / (double)cols;
        double sum = 0.0, top = 0.0;
        int cnt = 0;
        while (r < n && (dr->rows[r].t_s < t1 || c == cols - 1)) {
            double v = value(&dr->rows[r], s->f, s->node);
            sum += v;
            top = cnt == 0 ? v : fmax(top, v);
            cnt++;
            r++;
        }
        if (cnt == 0) {
            continue;
        }
        double v = s->mean ? sum / (double)cnt : top;
        if (ax.scale == S_LOG && v <= 0.0) {
            have = false; /* nothing served: no latency */
            continue;
        }
        float x = p.x + (float)c + 0.5f;
        float y = y_of(ax, p, v);
        if (have) {
            if (s->step) {
                wb_draw_line(app->renderer, px, py, x, py, w, s->c);
                wb_draw_line(app->renderer, x, py, x, y, w, s->c);
            } else if (s->dashed) {
                wb_draw_dashed(app->renderer, px, py, x, y, w, wb_px(app, 3.0f), s->c);
            } else {
                wb_draw_line(app->renderer, px, py, x, y, w, s->c);
            }
        } else if (n == 1 || r == n) {
            wb_draw_circle(app->renderer, x, y, w * 1.2f, s->c);
        }
        px = x;
        py = y;
        have = true;
    }
}

/* The planned offered load, faint, over the whole scenario. */
static void plot_plan(wb_app *app, const wb_drill *dr, wb_rect p, axis ax)
{
    int cols = (int)(p.w / wb_px(app, 3.0f));
    float px = 0.0f, py = 0.0f;
    for (int c = 0; c <= cols; c++) {
        double t = duration(dr) * (double)c / (double)(cols > 0 ? cols : 1);
        float x = time_x(dr, p, t);
        float y = y_of(ax, p, azb_scenario_rate(dr->sc, fmin(t, duration(dr) - 1e-9)));
        if (c > 0) {
            wb_draw_line(app->renderer, px, py, x, y, wb_px(app, 1.2f), WB_RGB(0xc9ced6));
        }
        px = x;
        py = y;
    }
}

static void shade_failures(wb_app *app, const wb_drill *dr, wb_rect p, bool label)
{
    char buf[160];
    float fs = wb_px(app, 9.5f);
    float lab_y = p.y + wb_px(app, 2.0f);
    for (int k = 0; k < dr->sc->nfailures; k++) {
        const azb_failure *f = &dr->sc->failures[k];
        float x0 = time_x(dr, p, f->at_s);
        float x1 = time_x(dr, p, fmin(effect_end(f), duration(dr)));
        wb_rect band = {x0, p.y, fmaxf(x1 - x0, 1.0f), p.h};
        wb_draw_fill(app->renderer, band, WB_RGBA(0xc53030, 20));
        wb_draw_fill(app->renderer, (wb_rect){x0, p.y, 1.0f, p.h}, WB_RGBA(0xc53030, 110));
        if (label) {
            const char *s = fail_label(buf, sizeof(buf), f);
            float room = fmaxf(p.x + p.w - x0 - wb_px(app, 4.0f), wb_px(app, 30.0f));
            wb_text_draw(&app->text, WB_BOLD, fs, x0 + wb_px(app, 3.0f), lab_y, WB_RGB(0xa33a3a), s,
                         room);
            lab_y += wb_text_height(&app->text, WB_BOLD, fs);
        }
    }
}

static void fmt_value(char *buf, size_t size, field f, double v)
{
    switch (f) {
    case F_P50:
    case F_P99:
        if (v > 0.0) {
            wb_ms(buf, size, v, false);
        } else {
            snprintf(buf, size, "-"); /* nothing served that second */
        }
        break;
    case F_INSTANCES:
        snprintf(buf, size, "%.0f", v);
        break;
    default:
        wb_rate(buf, size, v);
        break;
    }
}

static void chart(wb_app *app, const wb_drill *dr, const panel *pl, int k, const char *title,
                  const series *s, int ns, axis ax, bool plan)
{
    SDL_Renderer *r = app->renderer;
    wb_rect c = pl->charts[k];
    wb_rect p = pl->plots[k];
    float fs = wb_px(app, 10.0f);
    wb_text_draw(&app->text, WB_BOLD, wb_px(app, 11.0f), c.x, c.y, WB_RGB(WB_C_TEXT), title, c.w);
    /* Legend with the values at the scrubbed second. */
    int cur = current_row(dr);
    float lx = c.x;
    float ly = c.y + wb_px(app, 16.0f);
    for (int i = 0; i < ns; i++) {
        char v[32] = "";
        if (cur >= 0) {
            fmt_value(v, sizeof(v), s[i].f, value(&dr->rows[cur], s[i].f, s[i].node));
        }
        const char *txt = wb_fmt(app, "%s %s", s[i].name, v);
        float tw = wb_text_width(&app->text, WB_REGULAR, fs, txt);
        float sw = wb_px(app, 10.0f);
        if (lx + sw + tw > c.x + c.w) {
            break;
        }
        wb_draw_fill(r, (wb_rect){lx, ly + wb_px(app, 5.0f), sw, wb_px(app, 2.5f)}, s[i].c);
        wb_text_draw(&app->text, WB_REGULAR, fs, lx + sw + wb_px(app, 3.0f), ly, WB_RGB(WB_C_MUTED),
                     txt, 0.0f);
        lx += sw + tw + wb_px(app, 10.0f);
    }
    wb_draw_fill(r, p, WB_RGB(WB_C_PANEL_ALT));
    shade_failures(app, dr, p, k == 0);
    /* Grid: the top, the middle (or decades on a log axis), the base. */
    wb_color grid = WB_RGB(0xe6e9ee);
    if (ax.scale != S_LINEAR) {
        double first = ax.scale == S_LOG ? pow(10.0, ceil(log10(ax.lo))) : 1.0;
        /* Every decade while they are few, else every other one. */
        double every = log10(ax.hi / first) > 4.5 ? 100.0 : 10.0;
        for (double dec = first; dec <= ax.hi * 1.0001; dec *= every) {
            float y = y_of(ax, p, dec);
            wb_draw_fill(r, (wb_rect){p.x, y, p.w, 1.0f}, grid);
            char b[32];
            const char *lab = b;
            if (ax.scale == S_SYMLOG) {
                fmt_value(b, sizeof(b), s[0].f, dec);
            } else {
                lab = dec >= 1000.0 ? wb_fmt(app, "%.0f s", dec / 1000.0)
                                    : wb_fmt(app, "%.3g ms", dec);
            }
            float ty =
                y > p.y + p.h - wb_px(app, 12.0f) ? y - wb_px(app, 11.0f) : y + wb_px(app, 1.0f);
            wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 9.0f), p.x + wb_px(app, 3.0f), ty,
                         WB_RGB(WB_C_FAINT), lab, 0.0f);
        }
    } else {
        wb_draw_fill(r, (wb_rect){p.x, p.y + p.h * 0.5f, p.w, 1.0f}, grid);
        char b[32];
        fmt_value(b, sizeof(b), s[0].f, ax.hi);
        wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 9.0f), p.x + wb_px(app, 3.0f),
                     p.y + wb_px(app, 1.0f) +
                         (k == 0 ? wb_px(app, 12.0f) * (float)dr->sc->nfailures : 0.0f),
                     WB_RGB(WB_C_FAINT), b, 0.0f);
    }
    wb_draw_fill(r, (wb_rect){p.x, p.y + p.h - 1.0f, p.w, 1.0f}, WB_RGB(0xcfd4db));
    if (plan) {
        plot_plan(app, dr, p, ax);
    }
    for (int i = ns - 1; i >= 0; i--) {
        plot(app, dr, p, ax, &s[i]);
    }
    if (cur >= 0) {
        float x = time_x(dr, p, dr->rows[cur].t_s + 0.5);
        wb_draw_fill(r, (wb_rect){x, p.y, fmaxf(1.0f, wb_px(app, 1.0f)), p.h},
                     WB_RGBA(0x0f6cbd, 170));
    }
}

static double nice_max(double v)
{
    if (!(v > 0.0)) {
        return 1.0;
    }
    double mag = pow(10.0, floor(log10(v)));
    const double steps[] = {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0};
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        if (v <= steps[i] * mag) {
            return steps[i] * mag;
        }
    }
    return 10.0 * mag;
}

static void draw_charts(wb_app *app, const wb_drill *dr, const panel *pl)
{
    axis load = {0.0, nice_max(fmax(dr->max_load, azb_scenario_peak_rate(dr->sc)) * 1.05),
                 S_LINEAR};
    series ls[] = {
        {"offered", F_OFFERED, -1, WB_RGB(0x8b94a3), false, true, false},
        {"served", F_SERVED, -1, WB_RGB(WB_C_ACCENT), false, true, false},
    };
    chart(app, dr, pl, 0, "Load: offered and served (requests/s)", ls, 2, load, true);

    axis err = {0.0, pow(10.0, ceil(log10(fmax(dr->max_err, 9.0) * 1.01))), S_SYMLOG};
    series es[] = {
        {"failed", F_FAILED, -1, WB_RGB(WB_C_HOT), false, false, false},
        {"429", F_THROTTLED, -1, WB_RGB(WB_C_WARM), false, false, false},
        {"timeout", F_TIMEOUTS, -1, WB_RGB(0x8250df), false, false, false},
        {"503", F_DROPPED, -1, WB_RGB(0x4a5261), false, false, false},
        {"retries", F_RETRIES, -1, WB_RGB(0x5b9bd5), true, false, false},
    };
    chart(app, dr, pl, 1, "Errors by kind (requests/s, log scale)", es, 5, err, false);

    double lo = dr->min_lat > 0.0 ? pow(10.0, floor(log10(dr->min_lat))) : 1.0;
    double hi = dr->max_lat > 0.0 ? pow(10.0, ceil(log10(dr->max_lat * 1.01))) : 1000.0;
    axis lat = {lo, fmax(hi, lo * 10.0), S_LOG};
    series ps[] = {
        {"p50", F_P50, -1, WB_RGB(WB_C_ACCENT), false, false, false},
        {"p99", F_P99, -1, WB_RGB(WB_C_HOT), false, false, false},
    };
    chart(app, dr, pl, 2, "Latency p50 and p99 (log scale)", ps, 2, lat, false);

    static const unsigned colors[MAX_PICKS] = {0x0f6cbd, 0x2f855a, 0xb7791f};
    series is[MAX_PICKS];
    for (int k = 0; k < dr->npicks; k++) {
        is[k] = (series){dr->design->nodes[dr->picks[k]].id,
                         F_INSTANCES,
                         dr->picks[k],
                         WB_RGB(colors[k]),
                         false,
                         false,
                         true};
    }
    axis inst = {0.0, (double)(dr->max_inst > 0 ? dr->max_inst + 1 : 2), S_LINEAR};
    if (dr->npicks > 0) {
        chart(app, dr, pl, 3, "Active instances", is, dr->npicks, inst, false);
    } else {
        wb_rect c = pl->charts[3];
        wb_text_draw(&app->text, WB_BOLD, wb_px(app, 11.0f), c.x, c.y, WB_RGB(WB_C_TEXT),
                     "Active instances", c.w);
        wb_draw_fill(app->renderer, pl->plots[3], WB_RGB(WB_C_PANEL_ALT));
        wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 10.5f), c.x + wb_px(app, 8.0f),
                     pl->plots[3].y + wb_px(app, 8.0f), WB_RGB(WB_C_FAINT),
                     dr->seen == 0 ? "waiting for the first second" : "no node with instances",
                     c.w);
    }
}

/* ---- the panel ---- */

static float pair(wb_app *app, float x, float y, const char *label, const char *v, wb_color vc)
{
    float fs = wb_px(app, 11.5f);
    float right = app->lay.results.x + app->lay.results.w - wb_px(app, 16.0f);
    if (x + wb_text_width(&app->text, WB_REGULAR, fs, label) + wb_px(app, 4.0f) +
            wb_text_width(&app->text, WB_BOLD, fs, v) >
        right) {
        return right; /* no room: the rest is in the charts */
    }
    x += wb_text_draw(&app->text, WB_REGULAR, fs, x, y, WB_RGB(WB_C_MUTED), label, 0.0f);
    x += wb_px(app, 4.0f);
    x += wb_text_draw(&app->text, WB_BOLD, fs, x, y, vc, v, 0.0f);
    return x + wb_px(app, 14.0f);
}

static void draw_summary(wb_app *app, const wb_drill *dr, float x, float y)
{
    char a[48], b[48];
    wb_color text = WB_RGB(WB_C_TEXT);
    if (!dr->joined) {
        int secs = dr->seen > 0 ? (int)dr->rows[dr->seen - 1].t_s + 1 : 0;
        const char *msg = secs > 0
                              ? wb_fmt(app, "second %d of %.0f simulated", secs, dr->sc->duration_s)
                              : wb_fmt(app,
                                       "%.0f%% of %.0f s simulated; the charts fill in as the "
                                       "simulator hands over its seconds",
                                       wb_drill_progress(dr) * 100.0, dr->sc->duration_s);
        wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 11.5f), x, y, WB_RGB(WB_C_MUTED), msg,
                     app->lay.results.w - wb_px(app, 40.0f));
        return;
    }
    if (!dr->ok) {
        wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 11.5f), x, y, WB_RGB(WB_C_HOT), dr->error,
                     app->lay.results.w - wb_px(app, 40.0f));
        return;
    }
    const azb_sim_result *r = &dr->result;
    bool pass = true;
    const char *v = verdict(app, r, &pass);
    if (v != NULL) {
        x = pair(app, x, y, r->cancelled ? "so far:" : "drill:", v,
                 pass ? WB_RGB(WB_C_CALM) : WB_RGB(WB_C_HOT));
    }
    double offered = r->sim_seconds > 0.0 ? (double)r->offered / r->sim_seconds : 0.0;
    x = pair(app, x, y, "offered", wb_rate(b, sizeof(b), offered), text);
    x = pair(app, x, y, "served", wb_rate(a, sizeof(a), r->throughput_rps), text);
    x = pair(app, x, y, "p50", wb_ms(a, sizeof(a), r->latency.p50, false), text);
    x = pair(app, x, y, "p99", wb_ms(a, sizeof(a), r->latency.p99, false), text);
    x = pair(app, x, y, "p99.9", wb_ms(a, sizeof(a), r->latency.p999, false), text);
    uint64_t bad = r->failed + r->throttled + r->timeouts + r->dropped;
    double total = (double)(r->completed + bad);
    wb_color ec = bad > 0 ? WB_RGB(WB_C_HOT) : WB_RGB(WB_C_CALM);
    x = pair(app, x, y, "errors",
             wb_fmt(app, "%.2f%%", total > 0.0 ? 100.0 * (double)bad / total : 0.0), ec);
    x = pair(app, x, y, "failed", wb_num(a, sizeof(a), (double)r->failed), text);
    x = pair(app, x, y, "429", wb_num(a, sizeof(a), (double)r->throttled), text);
    x = pair(app, x, y, "timed out", wb_num(a, sizeof(a), (double)r->timeouts), text);
    x = pair(app, x, y, "503", wb_num(a, sizeof(a), (double)r->dropped), text);
    (void)pair(app, x, y, "retries", wb_num(a, sizeof(a), (double)r->retries), text);
}

static void draw_timeline(wb_app *app, const wb_drill *dr, const panel *pl)
{
    SDL_Renderer *r = app->renderer;
    wb_rect t = pl->track;
    bool can = dr->seen > 0;
    wb_button(app, pl->play, dr->playing ? "\xe2\x80\x96" : "\xe2\x96\xb6", can, dr->playing);
    int cur = current_row(dr);
    char a[32];
    const char *when =
        cur >= 0 ? wb_fmt(app, "t = %s s", wb_num(a, sizeof(a), dr->rows[cur].t_s)) : "t = -";
    float fs = wb_px(app, 11.5f);
    wb_text_draw(&app->text, WB_BOLD, fs, pl->play.x + pl->play.w + wb_px(app, 10.0f),
                 t.y + t.h * 0.5f - wb_text_height(&app->text, WB_BOLD, fs) * 0.5f,
                 WB_RGB(WB_C_TEXT), when, wb_px(app, 96.0f));
    wb_draw_round(r, t, t.h * 0.5f, WB_RGB(0xdde2e8));
    if (dr->seen > 0) {
        float xe = time_x(dr, t, dr->rows[dr->seen - 1].t_s + 1.0);
        wb_draw_round(r, (wb_rect){t.x, t.y, xe - t.x, t.h}, t.h * 0.5f, WB_RGB(0xaab6c6));
    }
    for (int k = 0; k < dr->sc->nfailures; k++) {
        const azb_failure *f = &dr->sc->failures[k];
        float x0 = time_x(dr, t, f->at_s);
        float x1 = time_x(dr, t, fmin(effect_end(f), duration(dr)));
        wb_draw_fill(
            r, (wb_rect){x0, t.y - wb_px(app, 5.0f), fmaxf(x1 - x0, 2.0f), t.h + wb_px(app, 10.0f)},
            WB_RGBA(0xc53030, 60));
    }
    /* Ticks at round seconds. */
    double dur = duration(dr);
    double step = nice_max(dur / 6.0);
    float tf = wb_px(app, 9.0f);
    for (double s = 0.0; s <= dur + 1e-9; s += step) {
        float x = time_x(dr, t, s);
        wb_draw_fill(r, (wb_rect){x, t.y + t.h + wb_px(app, 3.0f), 1.0f, wb_px(app, 3.0f)},
                     WB_RGB(WB_C_FAINT));
        const char *lab = wb_fmt(app, "%s s", wb_num(a, sizeof(a), s));
        float lw = wb_text_width(&app->text, WB_REGULAR, tf, lab);
        float lx = fminf(fmaxf(x - lw * 0.5f, t.x), t.x + t.w - lw);
        wb_text_draw(&app->text, WB_REGULAR, tf, lx, t.y + t.h + wb_px(app, 7.0f),
                     WB_RGB(WB_C_FAINT), lab, 0.0f);
    }
    if (cur >= 0) {
        float x = time_x(dr, t, dr->rows[cur].t_s + 0.5);
        float kr = wb_px(app, 7.0f);
        wb_draw_circle(r, x, t.y + t.h * 0.5f, kr, WB_RGB(0xffffff));
        wb_draw_ring(r, x, t.y + t.h * 0.5f, kr, wb_px(app, 2.0f), WB_RGB(WB_C_ACCENT));
    }
}

void wb_drill_draw(wb_app *app)
{
    wb_drill *dr = app->drill;
    if (dr == NULL) {
        return;
    }
    atomic_store(&dr->wake_pending, 0);
    announce(app, dr);
    sync_rows(dr);
    SDL_Renderer *r = app->renderer;
    panel pl;
    panel_layout(app, &pl);
    wb_rect a = pl.all;
    wb_draw_fill(r, a, WB_RGB(WB_C_PANEL));
    wb_draw_fill(r, (wb_rect){a.x, a.y, a.w, 1.0f}, WB_RGB(WB_C_BORDER));
    float x = a.x + wb_px(app, 16.0f);
    float top =
        pl.close.y + (pl.close.h - wb_text_height(&app->text, WB_BOLD, wb_px(app, 13.0f))) * 0.5f;
    /* Header: what runs, and its state. */
    float tag = wb_text_draw(&app->text, WB_BOLD, wb_px(app, 10.5f), x, top + wb_px(app, 2.0f),
                             WB_RGB(WB_C_ACCENT), "DRILL", 0.0f);
    x += tag + wb_px(app, 10.0f);
    float room = pl.bar.x - x - wb_px(app, 20.0f);
    float nw = wb_text_draw(&app->text, WB_BOLD, wb_px(app, 13.0f), x, top, WB_RGB(WB_C_TEXT),
                            dr->sc->name, room * 0.7f);
    wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 11.0f), x + nw + wb_px(app, 10.0f),
                 top + wb_px(app, 2.0f), WB_RGB(WB_C_FAINT),
                 wb_fmt(app, "%s, seed %llu, on a copy of the design", base_name(dr->scenario_path),
                        (unsigned long long)dr->seed),
                 room - nw - wb_px(app, 10.0f));
    bool running = !dr->joined;
    double prog = wb_drill_progress(dr);
    wb_rect bar = pl.bar;
    wb_draw_round(r, bar, bar.h * 0.5f, WB_RGB(0xdde2e8));
    wb_color fill = running
                        ? WB_RGB(WB_C_ACCENT)
                        : (dr->ok && !dr->result.cancelled ? WB_RGB(WB_C_CALM) : WB_RGB(WB_C_WARM));
    wb_draw_round(r, (wb_rect){bar.x, bar.y, bar.w * (float)prog, bar.h}, bar.h * 0.5f, fill);
    const char *state = running
                            ? wb_fmt(app, "%.0f%%", prog * 100.0)
                            : (!dr->ok ? "failed" : (dr->result.cancelled ? "cancelled" : "done"));
    wb_text_draw(&app->text, WB_BOLD, wb_px(app, 11.0f), bar.x + bar.w + wb_px(app, 8.0f),
                 bar.y + bar.h * 0.5f -
                     wb_text_height(&app->text, WB_BOLD, wb_px(app, 11.0f)) * 0.5f,
                 running ? WB_RGB(WB_C_TEXT) : fill, state, wb_px(app, 72.0f));
    bool hot_cancel = wb_button(app, pl.cancel, running ? "Cancel" : "Run again", true, false);
    bool hot_close = wb_button(app, pl.close, "Close", true, false);
    draw_summary(app, dr, a.x + wb_px(app, 16.0f), a.y + wb_px(app, 38.0f));
    draw_charts(app, dr, &pl);
    draw_timeline(app, dr, &pl);
    if (app->drag == WB_DRAG_NONE && app->modal == WB_MODAL_NONE) {
        if (hot_cancel) {
            snprintf(app->tooltip, sizeof(app->tooltip), "%s",
                     running ? "stop the simulation; the charts keep what was simulated"
                             : "run the same scenario again on the design as it is now");
        } else if (hot_close) {
            snprintf(app->tooltip, sizeof(app->tooltip), "leave the drill (Esc)");
        } else if (wb_rect_has(pl.play, app->mx, app->my)) {
            snprintf(app->tooltip, sizeof(app->tooltip),
                     "replay the run on the canvas (P); [ and ] step a second, Shift: ten");
        }
    }
}

/* ---- events ---- */

static void toggle_play(wb_drill *dr)
{
    if (dr->playing) {
        stop_play(dr);
        return;
    }
    if (dr->seen == 0) {
        return;
    }
    if (dr->scrub < 0.0 || dr->scrub >= dr->rows[dr->seen - 1].t_s) {
        dr->scrub = 0.0;
    }
    if (SDL_WasInit(SDL_INIT_TIMER) == 0) {
        (void)SDL_InitSubSystem(SDL_INIT_TIMER);
    }
    dr->follow = false;
    dr->playing = true;
    dr->play_from = dr->scrub;
    dr->play_t0 = SDL_GetTicks();
    dr->timer = SDL_AddTimer(PLAY_TICK_MS, play_tick, NULL);
    if (dr->timer == 0) {
        dr->playing = false;
    }
}

static void advance_play(wb_drill *dr)
{
    if (!dr->playing || dr->seen == 0) {
        return;
    }
    double speed = fmax(1.0, duration(dr) / PLAY_SECONDS);
    double t = dr->play_from + (double)(SDL_GetTicks() - dr->play_t0) / 1000.0 * speed;
    double end = dr->rows[dr->seen - 1].t_s;
    if (t >= end) {
        t = end;
        if (dr->joined) {
            stop_play(dr);
        }
    }
    dr->scrub = t;
}

static void scrub_at(wb_app *app, const panel *pl, float x)
{
    wb_rect p = pl->track;
    for (int k = 0; k < 4; k++) {
        if (wb_rect_has(pl->charts[k], app->drag_x0, app->drag_y0)) {
            p = pl->plots[k];
        }
    }
    wb_drill_scrub(app, floor(x_time(app->drill, p, x)));
}

static bool key(wb_app *app, wb_drill *dr, const SDL_Event *ev)
{
    SDL_Keycode k = ev->key.keysym.sym;
    Uint16 mod = ev->key.keysym.mod;
    if ((mod & (KMOD_CTRL | KMOD_GUI | KMOD_ALT)) != 0) {
        return false;
    }
    double step = (mod & KMOD_SHIFT) != 0 ? 10.0 : 1.0;
    double now = dr->scrub < 0.0 ? 0.0 : floor(dr->scrub);
    switch (k) {
    case SDLK_ESCAPE:
        wb_drill_close(app);
        wb_app_status(app, false, "left the drill");
        return true;
    case SDLK_p:
        toggle_play(dr);
        return true;
    case SDLK_LEFTBRACKET:
        stop_play(dr);
        wb_drill_scrub(app, now - step);
        return true;
    case SDLK_RIGHTBRACKET:
        stop_play(dr);
        wb_drill_scrub(app, now + step);
        return true;
    case SDLK_HOME:
        stop_play(dr);
        wb_drill_scrub(app, 0.0);
        return true;
    case SDLK_END:
        stop_play(dr);
        wb_drill_scrub(app, 1e300);
        return true;
    default:
        return false;
    }
}

bool wb_drill_event(wb_app *app, const SDL_Event *ev)
{
    wb_drill *dr = app->drill;
    Uint32 wake_type = wb_drill_event_type();
    if (wake_type != 0u && ev->type == wake_type) {
        if (dr != NULL) {
            atomic_store(&dr->wake_pending, 0);
            announce(app, dr);
            sync_rows(dr);
            advance_play(dr);
        }
        return true;
    }
    if (dr == NULL || app->modal != WB_MODAL_NONE) {
        return false;
    }
    panel pl;
    panel_layout(app, &pl);
    if (dr->scrubbing) {
        if (ev->type == SDL_MOUSEMOTION) {
            scrub_at(app, &pl, app->mx);
        } else if (ev->type == SDL_MOUSEBUTTONUP) {
            dr->scrubbing = false;
        }
        return true;
    }
    if (ev->type == SDL_KEYDOWN) {
        return app->box.owner == 0 && app->drag == WB_DRAG_NONE && key(app, dr, ev);
    }
    if (app->drag != WB_DRAG_NONE || !wb_rect_has(pl.all, app->mx, app->my)) {
        return false;
    }
    if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT) {
        if (wb_rect_has(pl.close, app->mx, app->my)) {
            wb_drill_close(app);
            wb_app_status(app, false, "left the drill");
        } else if (wb_rect_has(pl.cancel, app->mx, app->my)) {
            if (!dr->joined) {
                wb_drill_cancel(dr);
                wb_app_status(app, false, "drill: cancelling");
            } else {
                wb_drill_run(app);
            }
        } else if (wb_rect_has(pl.play, app->mx, app->my)) {
            toggle_play(dr);
        } else {
            bool zone = wb_rect_has(pl.scrub_zone, app->mx, app->my);
            for (int k = 0; k < 4; k++) {
                zone = zone || wb_rect_has(pl.charts[k], app->mx, app->my);
            }
            if (zone && dr->seen > 0) {
                stop_play(dr);
                app->drag_x0 = app->mx;
                app->drag_y0 = app->my;
                dr->scrubbing = true;
                scrub_at(app, &pl, app->mx);
            }
        }
        return true;
    }
    if (ev->type == SDL_MOUSEMOTION) {
        app->tooltip[0] = '\0';
        app->hover_node = -1;
        app->hover_edge = -1;
    }
    return true; /* the panel covers the results strip: nothing under it */
}

/* ---- the canvas ---- */

static const azb_sim_second *shown_row(const wb_app *app)
{
    const wb_drill *dr = app->drill;
    int i = dr != NULL ? current_row(dr) : -1;
    return i < 0 ? NULL : &dr->rows[i];
}

bool wb_drill_node_state(const wb_app *app, int node, double *u, int *instances)
{
    const azb_sim_second *row = shown_row(app);
    if (row == NULL) {
        return false;
    }
    int j = map_node(app->drill, wb_design(app), node);
    if (j < 0) {
        return false;
    }
    *u = (double)row->nodes[j].utilization;
    if (row->nodes[j].instances > 0) {
        *instances = row->nodes[j].instances;
    }
    return true;
}

static wb_rect screen_rect(const wb_app *app, double x, double y, double w, double h)
{
    float sx = 0.0f, sy = 0.0f;
    wb_canvas_to_screen(app, x, y, &sx, &sy);
    float z = (float)app->view.zoom;
    return (wb_rect){sx, sy, (float)w * z, (float)h * z};
}

/* Diagonal hatching inside a, under the current clip. */
static void hatch(wb_app *app, wb_rect a, float gap, wb_color c)
{
    wb_rect cv = app->lay.canvas;
    float x0 = fmaxf(a.x, cv.x), y0 = fmaxf(a.y, cv.y);
    float x1 = fminf(a.x + a.w, cv.x + cv.w), y1 = fminf(a.y + a.h, cv.y + cv.h);
    if (x1 <= x0 || y1 <= y0) {
        return;
    }
    SDL_Rect clip = {(int)x0, (int)y0, (int)(x1 - x0), (int)(y1 - y0)};
    SDL_RenderSetClipRect(app->renderer, &clip);
    for (float s = -(y1 - y0); s < x1 - x0; s += gap) {
        wb_draw_line(app->renderer, x0 + s, y1, x0 + s + (y1 - y0), y0, 1.0f, c);
    }
    SDL_Rect whole = {(int)cv.x, (int)cv.y, (int)cv.w, (int)cv.h};
    SDL_RenderSetClipRect(app->renderer, &whole);
}

void wb_drill_draw_groups(wb_app *app)
{
    if (app->drill != NULL) {
        sync_rows(app->drill); /* the canvas draws before the panel */
    }
    const azb_sim_second *row = shown_row(app);
    if (row == NULL) {
        return;
    }
    const azb_design *d = wb_design(app);
    double t = row->t_s + 0.5;
    float z = (float)app->view.zoom;
    for (int i = 0; i < d->ngroups; i++) {
        const azb_group *g = &d->groups[i];
        if (!wb_drill_group_failed(app->drill, g, t)) {
            continue;
        }
        wb_rect a = screen_rect(app, g->x, g->y, g->w, g->h);
        if (!wb_rect_overlaps(a, app->lay.canvas)) {
            continue;
        }
        bool zone = strcmp(g->kind, "zone") == 0;
        wb_draw_round(app->renderer, a, (zone ? 6.0f : 10.0f) * z, WB_RGBA(0x6b7280, 70));
        hatch(app, a, fmaxf(6.0f, 12.0f * z), WB_RGBA(0x4a5261, 60));
        if (z * 10.0f >= 6.0f) {
            const char *lab = zone ? wb_fmt(app, "ZONE %d DOWN", g->zone) : "REGION DOWN";
            float fs = 10.5f * z;
            float tw = wb_text_width(&app->text, WB_BOLD, fs, lab);
            wb_text_draw(&app->text, WB_BOLD, fs, a.x + a.w - tw - 10.0f * z,
                         a.y + (zone ? 5.0f : 9.0f) * z, WB_RGB(0x3a404a), lab, 0.0f);
        }
    }
}

static void badge(wb_app *app, wb_rect card, float *right, const char *s, wb_color bg)
{
    float z = (float)app->view.zoom;
    float fs = 9.5f * z;
    float pad = 5.0f * z;
    float h = wb_text_height(&app->text, WB_BOLD, fs) + 2.0f * z;
    float w = wb_text_width(&app->text, WB_BOLD, fs, s) + 2.0f * pad + h * 0.5f;
    /* Above the card's top edge, clear of its title. */
    wb_rect b = {*right - w, card.y - h - 2.0f * z, w, h};
    wb_draw_round(app->renderer, b, 4.0f * z, bg);
    wb_text_draw(&app->text, WB_BOLD, fs, b.x + pad + h * 0.25f, b.y + 1.0f * z, WB_RGB(0xffffff),
                 s, 0.0f);
    *right = b.x - 4.0f * z;
}

void wb_drill_draw_nodes(wb_app *app)
{
    const azb_sim_second *row = shown_row(app);
    wb_drill *dr = app->drill;
    if (row == NULL) {
        return;
    }
    const azb_design *d = wb_design(app);
    double t = row->t_s + 0.5;
    float z = (float)app->view.zoom;
    bool text = z * 10.0f >= 6.0f;
    for (int i = 0; i < d->nnodes; i++) {
        int j = map_node(dr, d, i);
        if (j < 0) {
            continue;
        }
        const azb_node *n = &d->nodes[i];
        wb_rect a = screen_rect(app, n->x, n->y, WB_NODE_W, WB_NODE_H);
        if (!wb_rect_overlaps(a, app->lay.canvas)) {
            continue;
        }
        int count =
            row->nodes[j].instances > 0 ? row->nodes[j].instances : (n->count > 0 ? n->count : 1);
        int down = wb_drill_node_down(dr, j, t, count);
        float right = a.x + a.w - 8.0f * z;
        if (down >= count && down > 0) {
            wb_draw_round(app->renderer, a, 8.0f * z, WB_RGBA(0xd5d9e0, 215));
            hatch(app, a, fmaxf(5.0f, 9.0f * z), WB_RGBA(0x4a5261, 50));
            if (text) {
                badge(app, a, &right, "DOWN", WB_RGB(0x4a5261));
            }
        } else if (down > 0) {
            /* The share of instances down, as a grey slice from the right,
             * under the title and SKU lines so those stay readable. */
            float f = (float)down / (float)count;
            float top = 44.0f * z;
            wb_rect slice = {a.x + a.w * (1.0f - f), a.y + top, a.w * f, a.h - top};
            wb_draw_fill(app->renderer, slice, WB_RGBA(0xd5d9e0, 170));
            hatch(app, slice, fmaxf(5.0f, 9.0f * z), WB_RGBA(0x4a5261, 50));
            if (text) {
                badge(app, a, &right, wb_fmt(app, "%d of %d down", down, count), WB_RGB(0x4a5261));
            }
        }
        if (!text) {
            continue;
        }
        char buf[160];
        for (int k = 0; k < dr->sc->nfailures; k++) {
            const azb_failure *f = &dr->sc->failures[k];
            bool mine = strcmp(f->node, dr->design->nodes[j].id) == 0;
            if (!active(f, t) || !mine ||
                (f->what != AZB_FAIL_SLOW && f->what != AZB_FAIL_CACHE_FLUSH &&
                 f->what != AZB_FAIL_QUOTA_CUT)) {
                continue;
            }
            const char *lab = fail_label(buf, sizeof(buf), f) + strlen(f->node) + 1;
            badge(app, a, &right, lab, WB_RGB(WB_C_WARM));
        }
    }
    /* What the canvas shows, top left. */
    int cur = current_row(dr);
    char a[32], b[32];
    const char *msg =
        wb_fmt(app, "Drill replay   t = %s s of %s", wb_num(a, sizeof(a), dr->rows[cur].t_s),
               wb_num(b, sizeof(b), dr->sc->duration_s));
    char buf[160];
    int nact = 0;
    for (int k = 0; k < dr->sc->nfailures; k++) {
        if (active(&dr->sc->failures[k], t)) {
            nact++;
            if (nact <= 2) {
                msg = wb_fmt(app, "%s   \xe2\x80\xa2 %s", msg,
                             fail_label(buf, sizeof(buf), &dr->sc->failures[k]));
            }
        }
    }
    if (nact > 2) {
        msg = wb_fmt(app, "%s   (+%d more)", msg, nact - 2);
    }
    float fs = wb_px(app, 11.5f);
    float pad = wb_px(app, 8.0f);
    wb_rect c = app->lay.canvas;
    float w =
        fminf(wb_text_width(&app->text, WB_BOLD, fs, msg) + 2.0f * pad, c.w - wb_px(app, 20.0f));
    wb_rect pill = {c.x + wb_px(app, 10.0f), c.y + wb_px(app, 10.0f), w,
                    wb_text_height(&app->text, WB_BOLD, fs) + pad};
    wb_draw_round(app->renderer, pill, wb_px(app, 5.0f),
                  nact > 0 ? WB_RGBA(0x7a2020, 230) : WB_RGBA(0x1f2328, 220));
    wb_text_draw(&app->text, WB_BOLD, fs, pill.x + pad, pill.y + pad * 0.5f, WB_RGB(0xffffff), msg,
                 pill.w - 2.0f * pad);
}

/* ---- headless ---- */

bool wb_drill_render(wb_app *app, const char *scenario, double at_s, char *why, size_t why_size)
{
    char path[AZB_PATH_MAX];
    bool steady = false;
    if (!resolve_scenario(app, scenario, path, sizeof(path))) {
        if (strcmp(scenario, WB_DRILL_STEADY) != 0) {
            snprintf(why, why_size,
                     "no scenario named '%s' next to %s or in its prompt's folder (or '%s')",
                     scenario, app->path[0] != '\0' ? app->path : "the design", WB_DRILL_STEADY);
            return false;
        }
        steady = true;
    }
    if (!show(app, steady ? NULL : path, why, why_size)) {
        return false;
    }
    wb_drill *dr = app->drill;
    wb_drill_wait(dr);
    announce(app, dr);
    if (!dr->ok && wb_drill_nrows(dr) == 0) {
        snprintf(why, why_size, "%s", dr->error);
        return false;
    }
    /* A run that failed part-way still shows the seconds it simulated, with
     * the reason in the panel. */
    sync_rows(dr);
    double t = at_s;
    if (t < 0.0) {
        t = dr->sc->nfailures > 0 ? 0.5 * (dr->sc->failures[0].at_s +
                                           fmin(effect_end(&dr->sc->failures[0]), duration(dr)))
                                  : 1e300;
    }
    wb_drill_scrub(app, t);
    return true;
}
