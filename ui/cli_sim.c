/*
 * `azboard sim FILE --des`: the event simulator from the command line.
 *
 * Replications run on a pool of threads (one per core, at most one per
 * replication); replication i uses seed + i, so the output depends on the
 * seed and the replication count, never on the number of cores or on which
 * thread ran what. The main thread only waits: it draws the progress bar
 * (stderr, when it is a terminal and the run has taken more than half a
 * second) and turns Ctrl-C into a stop request, which each run's progress
 * callback (on the run's own thread, so the simulator's cancel flag is only
 * ever touched by the thread that reads it) copies into its cancel flag; then
 * every replication stops at its next check and the report covers what was
 * simulated (exit code 130, as shells report an interrupt).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "azb_availability.h"
#include "azb_catalog.h"
#include "azb_cost.h"
#include "azb_design.h"
#include "azb_error.h"
#include "azb_model.h"
#include "azb_report.h"
#include "azb_sim.h"
#include "azb_workload.h"
#include "cli.h"

#define MAX_REPLICATIONS 1000
#define DEFAULT_REQUESTS 200000u

typedef struct des_opts {
    const char *file;
    const char *scenario;
    const char *timeseries;
    uint64_t seed;
    uint64_t requests;
    double duration_s;
    int replications;
    azb_report_format format;
} des_opts;

typedef struct job {
    azb_sim_config cfg;
    azb_sim_result result;
    azb_errors errs;
    bool ok;
    _Atomic unsigned permille; /* progress, written by the worker */
    volatile int cancel;       /* the simulator's flag: the worker's thread only */
    atomic_int *stop;          /* the main thread's request */
} job;

typedef struct pool {
    const azb_design *design;
    const azb_catalog *cat;
    const azb_result *model;
    job *jobs;
    int njobs;
    atomic_int next;
    atomic_int done;
} pool;

static volatile sig_atomic_t interrupted = 0;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void print_errs(FILE *err, const azb_errors *errs, const char *file)
{
    for (int i = 0; i < errs->count; i++) {
        azb_error e = errs->items[i];
        if (e.file[0] == '\0' && file != NULL) {
            snprintf(e.file, sizeof(e.file), "%s", file);
        }
        char line[1024];
        azb_error_format(&e, line, sizeof(line));
        fprintf(err, "%s\n", line);
    }
    if (errs->dropped > 0) {
        fprintf(err, "... and %d more problems\n", errs->dropped);
    }
}

static int usage(FILE *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage(FILE *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(err, "azboard: ");
    vfprintf(err, fmt, ap);
    va_end(ap);
    fprintf(err, "\nRun 'azboard help' for usage.\n");
    return AZB_EXIT_BAD;
}

static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    if (s == NULL || *s == '\0' || *s == '-') {
        return false;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi) {
        return false;
    }
    *out = (uint64_t)v;
    return true;
}

static int parse_opts(int argc, char **argv, des_opts *o, FILE *err)
{
    memset(o, 0, sizeof(*o));
    o->seed = 1;
    o->replications = 1;
    o->format = AZB_REPORT_TEXT;
    bool json = false;
    bool markdown = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n = 0;
        if (strcmp(a, "--des") == 0) {
            continue;
        } else if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "--markdown") == 0) {
            markdown = true;
        } else if (strcmp(a, "--scenario") == 0) {
            if (v == NULL) {
                return usage(err, "%s", "--scenario needs a FILE or a NAME");
            }
            o->scenario = v;
            i++;
        } else if (strcmp(a, "--timeseries") == 0) {
            if (v == NULL) {
                return usage(err, "%s", "--timeseries needs an OUT.csv path");
            }
            o->timeseries = v;
            i++;
        } else if (strcmp(a, "--seed") == 0) {
            /* 2^53 - 1: the JSON report writes the seed as a number, exact to there */
            if (!parse_u64(v, 0, 9007199254740991ull, &o->seed)) {
                return usage(err, "--seed needs a whole number from 0 to 2^53-1, got %s",
                             v != NULL ? v : "nothing");
            }
            i++;
        } else if (strcmp(a, "--requests") == 0) {
            if (!parse_u64(v, 1, 10000000000ull, &o->requests)) {
                return usage(err, "--requests needs a count from 1 to 1e10, got %s",
                             v != NULL ? v : "nothing");
            }
            i++;
        } else if (strcmp(a, "--duration") == 0) {
            char *end = NULL;
            o->duration_s = v != NULL ? strtod(v, &end) : 0.0;
            if (v == NULL || end == v || *end != '\0' || !(o->duration_s > 0.0) ||
                o->duration_s > AZB_SCENARIO_MAX_DURATION_S) {
                return usage(err, "--duration needs simulated seconds (0 < S <= 366 days), got %s",
                             v != NULL ? v : "nothing");
            }
            i++;
        } else if (strcmp(a, "--replications") == 0) {
            if (!parse_u64(v, 1, MAX_REPLICATIONS, &n)) {
                return usage(err, "--replications needs a count from 1 to 1000, got %s",
                             v != NULL ? v : "nothing");
            }
            o->replications = (int)n;
            i++;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage(err, "unknown option %s for sim --des", a);
        } else if (o->file == NULL) {
            o->file = a;
        } else {
            return usage(err, "sim needs one FILE, got a second: %s", a);
        }
    }
    if (o->file == NULL) {
        return usage(err, "%s", "sim needs one FILE");
    }
    if (json && markdown) {
        return usage(err, "%s", "--json and --markdown: choose one");
    }
    if (o->requests > 0 && o->duration_s > 0.0) {
        return usage(err, "%s", "--requests and --duration: choose one");
    }
    o->format = json ? AZB_REPORT_JSON : (markdown ? AZB_REPORT_MARKDOWN : AZB_REPORT_TEXT);
    return AZB_EXIT_OK;
}

static void on_progress(void *user, double fraction)
{
    job *j = user;
    if (atomic_load(j->stop) != 0 || interrupted) {
        j->cancel = 1; /* interrupted too: when no thread started, no one else forwards it */
    }
    double f = fraction < 0.0 ? 0.0 : (fraction > 1.0 ? 1.0 : fraction);
    atomic_store(&j->permille, (unsigned)(f * 1000.0));
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        int i = atomic_fetch_add(&p->next, 1);
        if (i >= p->njobs) {
            break;
        }
        job *j = &p->jobs[i];
        if (atomic_load(j->stop) != 0) {
            j->cancel = 1; /* stopped before it began: it returns at once, unmeasured */
        }
        j->ok = azb_sim_run(p->design, p->cat, p->model, &j->cfg, &j->result, &j->errs);
        atomic_store(&j->permille, 1000u);
        atomic_fetch_add(&p->done, 1);
    }
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void draw_bar(FILE *err, const pool *p, double elapsed)
{
    unsigned sum = 0;
    for (int i = 0; i < p->njobs; i++) {
        sum += atomic_load(&p->jobs[i].permille);
    }
    double f = (double)sum / (1000.0 * (double)p->njobs);
    char bar[41];
    int fill = (int)(f * 40.0);
    for (int i = 0; i < 40; i++) {
        bar[i] = i < fill ? '#' : '.';
    }
    bar[40] = '\0';
    fprintf(err, "\rsimulating [%s] %3d%%  %d/%d replications  %.0f s  (Ctrl-C stops) ", bar,
            (int)(f * 100.0), atomic_load(&p->done), p->njobs, elapsed);
    fflush(err);
}

/* Run every job on up to `threads` threads; the calling thread draws the
 * bar and forwards Ctrl-C. When no thread can start, the jobs run here
 * (same results, no bar). */
static void run_pool(pool *p, int threads, atomic_int *stop, FILE *err)
{
    pthread_t tid[64];
    int started = 0;
    for (int i = 0; i < threads && i < 64; i++) {
        if (pthread_create(&tid[started], NULL, worker, p) != 0) {
            break;
        }
        started++;
    }
    if (started == 0) {
        worker(p);
        return;
    }
    bool tty = isatty(fileno(err)) != 0;
    bool drawn = false;
    double t0 = now_s();
    while (atomic_load(&p->done) < p->njobs) {
        struct timespec nap = {0, 100000000L};
        nanosleep(&nap, NULL);
        if (interrupted) {
            atomic_store(stop, 1);
        }
        double elapsed = now_s() - t0;
        if (tty && elapsed > 0.5) {
            draw_bar(err, p, elapsed);
            drawn = true;
        }
    }
    for (int i = 0; i < started; i++) {
        pthread_join(tid[i], NULL);
    }
    if (drawn) {
        fprintf(err, "\r%*s\r", 100, "");
        fflush(err);
    }
}

static int online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 64 ? 64 : (int)n);
}

/* --scenario NAME: NAME.json next to the design, then in the folder of the
 * design's practice prompt. A path (with a '/' or ending in .json) is used
 * as it is. */
bool azb_cli_find_scenario(const char *arg, const char *design_path, const azb_design *d,
                           const char *data_dir, char *out, size_t size)
{
    size_t len = strlen(arg);
    if (strchr(arg, '/') != NULL || (len > 5 && strcmp(arg + len - 5, ".json") == 0)) {
        snprintf(out, size, "%s", arg);
        return true;
    }
    const char *slash = strrchr(design_path, '/');
    int dirlen = slash != NULL ? (int)(slash - design_path) : 1;
    const char *dir = slash != NULL ? design_path : ".";
    snprintf(out, size, "%.*s/%s.json", dirlen, dir, arg);
    if (access(out, R_OK) == 0) {
        return true;
    }
    if (d->has_prompt) {
        snprintf(out, size, "%s/scenarios/%s/%s.json", data_dir, d->prompt, arg);
        if (access(out, R_OK) == 0) {
            return true;
        }
    }
    return false;
}

/* The first replication's time series, written atomically: a failed
 * write leaves any old file as it was. */
static bool write_timeseries(const azb_design *d, const azb_sim_result *r, const char *path,
                             FILE *err)
{
    char *csv = azb_report_timeseries_csv(d, r);
    if (csv == NULL) {
        fprintf(err, "azboard: out of memory\n");
        return false;
    }
    azb_errors errs;
    azb_errors_init(&errs);
    bool ok = azb_report_save(path, csv, &errs);
    if (!ok) {
        print_errs(err, &errs, path);
    }
    azb_errors_free(&errs);
    free(csv);
    return ok;
}

int azb_cli_sim_des(const char *data_dir, int argc, char **argv, FILE *out, FILE *err)
{
    des_opts o;
    int rc = parse_opts(argc, argv, &o, err);
    if (rc != AZB_EXIT_OK) {
        return rc;
    }
    azb_errors errs;
    azb_errors_init(&errs);
    azb_catalog *cat = azb_catalog_load_dir(data_dir, &errs);
    azb_design *d = NULL;
    azb_result *model = NULL;
    azb_cost *cost = NULL;
    azb_availability *avail = NULL;
    azb_scenario *sc = NULL;
    pool p;
    memset(&p, 0, sizeof(p));
    rc = AZB_EXIT_BAD;
    if (cat == NULL) {
        fprintf(err, "azboard: the catalog in %s/assets does not load:\n", data_dir);
        print_errs(err, &errs, NULL);
        goto done;
    }
    d = azb_design_load(o.file, cat, &errs);
    if (d == NULL) {
        print_errs(err, &errs, o.file);
        goto done;
    }
    char scenario_path[4096];
    if (o.scenario != NULL) {
        if (!azb_cli_find_scenario(o.scenario, o.file, d, data_dir, scenario_path,
                                   sizeof(scenario_path))) {
            fprintf(err,
                    "azboard: no scenario named '%s' next to %s%s%s (give a path to a "
                    "scenario file)\n",
                    o.scenario, o.file, d->has_prompt ? " or in the prompt folder " : "",
                    d->has_prompt ? d->prompt : "");
            goto done;
        }
        sc = azb_scenario_load(scenario_path, &errs);
        if (sc == NULL || !azb_scenario_check(sc, d, cat, &errs)) {
            print_errs(err, &errs, scenario_path);
            goto done;
        }
    }
    model = azb_model_run(d, cat, 0.0, &errs);
    if (model != NULL) {
        cost = azb_cost_compute(d, cat, model, &errs);
        avail = azb_availability_compute(d, cat, model, &errs);
    }
    if (model == NULL || cost == NULL || avail == NULL || azb_errors_count_errors(&errs) > 0) {
        print_errs(err, &errs, o.file);
        goto done;
    }

    p.design = d;
    p.cat = cat;
    p.model = model;
    p.njobs = o.replications;
    p.jobs = calloc((size_t)o.replications, sizeof(job));
    if (p.jobs == NULL) {
        fprintf(err, "azboard: out of memory\n");
        goto done;
    }
    atomic_int stop = 0;
    for (int i = 0; i < p.njobs; i++) {
        job *j = &p.jobs[i];
        azb_errors_init(&j->errs);
        j->cfg.seed = o.seed + (uint64_t)i;
        j->cfg.requests = o.requests;
        j->cfg.duration_s = o.duration_s;
        if (sc == NULL && o.requests == 0 && o.duration_s <= 0.0) {
            j->cfg.requests = DEFAULT_REQUESTS;
        }
        /* A tenth of the run, at most 50,000 requests: enough for queues
         * to reach their steady state, and an interrupted long run still
         * has measured something. */
        uint64_t warm = j->cfg.requests > 0 ? j->cfg.requests / 10u : DEFAULT_REQUESTS / 10u;
        j->cfg.warmup_requests = sc == NULL ? (warm < 50000u ? warm : 50000u) : 0u;
        j->cfg.scenario = sc;
        j->cfg.timeseries = o.timeseries != NULL && i == 0;
        j->cfg.progress = on_progress;
        j->cfg.user = j;
        j->stop = &stop;
        j->cfg.cancel = &j->cancel;
    }
    struct sigaction sa;
    struct sigaction old;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &sa, &old);
    int threads = online_cores();
    run_pool(&p, threads < p.njobs ? threads : p.njobs, &stop, err);
    sigaction(SIGINT, &old, NULL);

    for (int i = 0; i < p.njobs; i++) {
        if (!p.jobs[i].ok) {
            print_errs(err, &p.jobs[i].errs, o.file);
            goto done;
        }
    }
    azb_report_input in = {o.file, d, cat, model, cost, avail};
    azb_sim_result *results = calloc((size_t)o.replications, sizeof(azb_sim_result));
    if (results == NULL) {
        fprintf(err, "azboard: out of memory\n");
        goto done;
    }
    /* After Ctrl-C, replications that measured nothing (stopped before or
     * during their warm-up) would average in as zeros: leave them out. */
    int nres = 0;
    for (int i = 0; i < p.njobs; i++) {
        if (p.jobs[i].result.sim_seconds > 0.0 || !interrupted) {
            results[nres++] = p.jobs[i].result;
        }
    }
    if (nres == 0) {
        results[nres++] = p.jobs[0].result;
    }
    if (nres < p.njobs) {
        fprintf(err, "azboard: %d of %d replications had measured something when stopped; the "
                     "report covers those\n",
                nres, p.njobs);
    }
    azb_des_info info = {sc != NULL ? sc->name : NULL};
    char *text = azb_report_des(&in, results, nres, &info, o.format);
    free(results);
    if (text != NULL && o.timeseries != NULL && !write_timeseries(d, &p.jobs[0].result, o.timeseries, err)) {
        free(text);
        goto done;
    }
    if (text == NULL) {
        fprintf(err, "azboard: out of memory\n");
        goto done;
    }
    fputs(text, out);
    fflush(out);
    free(text);
    print_errs(err, &errs, o.file);
    rc = interrupted ? 130 : AZB_EXIT_OK;
    if (interrupted) {
        fprintf(err, "azboard: interrupted; the report covers what was simulated\n");
    }

done:
    for (int i = 0; p.jobs != NULL && i < p.njobs; i++) {
        azb_sim_result_free(&p.jobs[i].result);
        azb_errors_free(&p.jobs[i].errs);
    }
    free(p.jobs);
    azb_scenario_destroy(sc);
    azb_availability_destroy(avail);
    azb_cost_destroy(cost);
    azb_result_destroy(model);
    azb_design_destroy(d);
    azb_catalog_destroy(cat);
    azb_errors_free(&errs);
    return rc;
}
