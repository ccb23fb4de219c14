/*
 * bench_sim: how fast the event simulator runs, on the two workloads of the
 * simulator's speed target.
 *
 *   mm4:    one M/M/4 node, mu = 1/s per server, lambda = 3.6/s (rho 0.9).
 *   tandem: an M/M/1 load balancer (mu = 10/s) calling an M/M/8 app tier
 *           (mu = 1/s), which calls an M/M/2 database (mu = 1.2/s) for 30%
 *           of requests; lambda = 6.4/s.
 *
 * Both are azboard designs (kind vm, explicit concurrency, service_ms and
 * "service_dist": "exp", one zone so calls pay the model's same-zone RTT)
 * run through azb_model_run and azb_sim_run exactly as `azboard sim --des`
 * does, N requests each (default 1,000,000; argv[1]). Model events are
 * counted as the issue defines them: arrivals plus service completions at
 * every station, so requests + the sum of the node visits (2 per request
 * for mm4, 3.3 for the tandem). The simulator also processes events the
 * model does not count (the network delay of each sync call); those are
 * printed as "engine events".
 *
 * Each workload runs AZB_BENCH_RUNS times (default 5); the median rate is
 * printed with the minimum and maximum. Then one mm4 run of 10 x N requests
 * reports the peak resident memory of the process (getrusage), which must
 * stay flat as requests grow: requests and events are pooled.
 *
 * Not a ctest: run it by hand (tests/bench/run_sim.sh).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "azb_catalog.h"
#include "azb_design.h"
#include "azb_model.h"
#include "azb_sim.h"

static const char mm4_json[] =
    "{\"format\": \"azboard/design\", \"version\": 1, \"name\": \"bench mm4\","
    " \"nodes\": [{\"id\": \"q\", \"kind\": \"vm\", \"region\": \"eastus\", \"zones\": [1],"
    " \"concurrency\": 4, \"service_ms\": 1000, \"service_dist\": \"exp\"}],"
    " \"workload\": {\"entry\": \"q\", \"rps\": 3.6}}";

static const char tandem_json[] =
    "{\"format\": \"azboard/design\", \"version\": 1, \"name\": \"bench tandem\","
    " \"nodes\": ["
    "{\"id\": \"lb\", \"kind\": \"vm\", \"region\": \"eastus\", \"zones\": [1],"
    " \"concurrency\": 1, \"service_ms\": 100, \"service_dist\": \"exp\"},"
    "{\"id\": \"app\", \"kind\": \"vm\", \"region\": \"eastus\", \"zones\": [1],"
    " \"concurrency\": 8, \"service_ms\": 1000, \"service_dist\": \"exp\"},"
    "{\"id\": \"db\", \"kind\": \"vm\", \"region\": \"eastus\", \"zones\": [1],"
    " \"concurrency\": 2, \"service_ms\": 833.3333333333334, \"service_dist\": \"exp\"}],"
    " \"edges\": [{\"from\": \"lb\", \"to\": \"app\"}, {\"from\": \"app\", \"to\": \"db\", \"p\": 0.3}],"
    " \"workload\": {\"entry\": \"lb\", \"rps\": 6.4}}";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

static void die(const char *what, const azb_errors *errs)
{
    fprintf(stderr, "bench_sim: %s\n", what);
    for (int i = 0; errs != NULL && i < errs->count; i++) {
        char line[1024];
        azb_error_format(&errs->items[i], line, sizeof(line));
        fprintf(stderr, "  %s\n", line);
    }
    exit(1);
}

typedef struct run {
    double seconds;
    double model_events;
    unsigned long long engine_events;
    double mean_ms;
} run;

static run run_once(const azb_design *d, const azb_catalog *cat, const azb_result *m,
                    unsigned long long requests, unsigned long long seed)
{
    azb_sim_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.seed = seed;
    cfg.requests = requests;
    azb_sim_result r;
    memset(&r, 0, sizeof(r));
    azb_errors errs;
    azb_errors_init(&errs);
    double t0 = now_s();
    if (!azb_sim_run(d, cat, m, &cfg, &r, &errs)) {
        die("the simulator refused the design", &errs);
    }
    run out;
    out.seconds = now_s() - t0;
    double visits = 0.0;
    for (int i = 0; i < r.nnodes; i++) {
        visits += (double)r.nodes[i].visits;
    }
    /* The measured window's arrivals are the root requests it completed
     * (within the handful still in flight at the end). */
    out.model_events = (double)r.completed + visits;
    out.engine_events = (unsigned long long)r.events;
    out.mean_ms = r.latency.mean;
    azb_sim_result_free(&r);
    azb_errors_free(&errs);
    return out;
}

static void bench(const char *name, const char *json, const azb_catalog *cat,
                  unsigned long long requests, int runs)
{
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = azb_design_parse(json, strlen(json), name, cat, &errs);
    if (d == NULL) {
        die("the benchmark design does not load", &errs);
    }
    azb_result *m = azb_model_run(d, cat, 0.0, &errs);
    if (m == NULL) {
        die("the model refused the benchmark design", &errs);
    }
    double *rates = calloc((size_t)runs, sizeof(double));
    if (rates == NULL) {
        die("out of memory", NULL);
    }
    run last = {0};
    for (int i = 0; i < runs; i++) {
        last = run_once(d, cat, m, requests, 1000u + (unsigned long long)i);
        rates[i] = last.model_events / last.seconds;
    }
    qsort(rates, (size_t)runs, sizeof(double), cmp_double);
    printf("%-7s %9llu requests  %.2f model events/request  median %6.2f M model events/s"
           "  (min %.2f, max %.2f; %d runs)  engine events/request %.2f  mean latency %.1f ms\n",
           name, requests, last.model_events / (double)requests, rates[runs / 2] / 1e6,
           rates[0] / 1e6, rates[runs - 1] / 1e6, runs,
           (double)last.engine_events / (double)requests, last.mean_ms);
    free(rates);
    azb_result_destroy(m);
    azb_design_destroy(d);
    azb_errors_free(&errs);
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    memset(&ru, 0, sizeof(ru));
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* Linux: KB */
}

int main(int argc, char **argv)
{
    unsigned long long requests = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000ull;
    const char *env = getenv("AZB_BENCH_RUNS");
    int runs = env != NULL ? atoi(env) : 5;
    if (requests == 0 || runs < 1) {
        fprintf(stderr, "usage: bench_sim [REQUESTS]  (AZB_BENCH_RUNS >= 1)\n");
        return 2;
    }
    const char *data = getenv("AZBOARD_DATA");
    azb_errors errs;
    azb_errors_init(&errs);
    azb_catalog *cat = azb_catalog_load_dir(data != NULL ? data : ".", &errs);
    if (cat == NULL) {
        die("the catalog does not load (set AZBOARD_DATA to the source tree)", &errs);
    }
    double rss0 = peak_rss_mb();
    bench("mm4", mm4_json, cat, requests, runs);
    bench("tandem", tandem_json, cat, requests, runs);
    double rss1 = peak_rss_mb();
    bench("mm4", mm4_json, cat, requests * 10u, 1);
    double rss2 = peak_rss_mb();
    printf("peak resident memory: %.1f MB at start (catalog loaded), %.1f MB after %llu-request "
           "runs, %.1f MB after a %llu-request run\n",
           rss0, rss1, requests, rss2, requests * 10u);
    azb_catalog_destroy(cat);
    azb_errors_free(&errs);
    return 0;
}
