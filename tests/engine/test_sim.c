/*
 * Tests of engine/sim against queueing theory: M/M/c (the shared Erlang
 * reference, tests/data/erlang_reference.json), M/D/1 (Pollaczek-Khinchine),
 * M/M/c/K (a bounded queue's blocking), random and round-robin balancing
 * (n independent M/M/k queues, and below them), least connections against
 * the pooled M/M/(n k), Little's law per node, a Jackson tandem, quotas;
 * then the scenario features: load profiles and classes, a zone outage and
 * its probe delay, a quota cut, per-class quota costs, timeouts and retries
 * (a stable loop and a retry storm), autoscale under a spike; determinism
 * with the time series; merging replications; bad input.
 *
 * Statistics. Every accuracy check runs R = 10 independent replications
 * (seeds BASE_SEED + i, printed) and compares the exact value with the
 * confidence interval of the replication means, mean +- t s / sqrt(R): the
 * first tests at 95% (t(0.975, 9)), the later ones at 99.9% (see the note
 * above ci_check: about 40 checks share one file). Sizes are modest so the
 * sanitizer build stays around 20-40 s; the long, tight runs are in
 * test_sim_long.c (ctest label "long").
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "azb_queue.h"
#include "azb_sim.h"
#include "azb_workload.h"
#include "azbt.h"

#define REPS 10
#define T_975_9 2.2621571627982 /* Student t, 0.975 quantile, 9 degrees of freedom */
#define BASE_SEED 20261129u

typedef struct ci {
    double mean;
    double half; /* 95% half-width */
    double sd;
} ci;

static ci ci_of(const double *x, int n)
{
    double m = 0.0;
    for (int i = 0; i < n; i++) {
        m += x[i];
    }
    m /= (double)n;
    double ss = 0.0;
    for (int i = 0; i < n; i++) {
        ss += (x[i] - m) * (x[i] - m);
    }
    double sd = sqrt(ss / (double)(n - 1));
    ci c = {m, T_975_9 * sd / sqrt((double)n), sd};
    return c;
}

static int ci_contains(const char *where, const char *what, ci c, double expect)
{
    int ok = fabs(c.mean - expect) <= c.half;
    printf("  %s: %s: %.6g +- %.3g (95%% CI), exact %.6g%s\n", where, what, c.mean, c.half, expect,
           ok ? "" : "  <-- OUTSIDE");
    return ok ? 0 : 1;
}

static void run_one(const azb_design *d, const azb_catalog *cat, const azb_result *m,
                    const azb_sim_config *cfg, azb_sim_result *out)
{
    azb_errors errs;
    azb_errors_init(&errs);
    bool ok = azb_sim_run(d, cat, m, cfg, out, &errs);
    if (!ok) {
        azbt_print_errors(&errs);
    }
    azb_errors_free(&errs);
    assert_true(ok);
}

/* ---- M/M/c against the Erlang reference ---------------------------------- */

static azb_design *mmc_design(const azb_catalog *cat, int c, double rps)
{
    char nodes[256];
    char wl[96];
    snprintf(nodes, sizeof(nodes),
             "{'id': 'q', 'kind': 'vm', 'region': 'eastus', 'count': 1, 'concurrency': %d, "
             "'service_ms': 1000, 'service_dist': 'exp'}",
             c);
    snprintf(wl, sizeof(wl), "'entry': 'q', 'rps': %.17g", rps);
    return azbt_design(cat, nodes, "", wl);
}

static const struct {
    int c;
    double rho;
    uint64_t requests;
} mmc_cases[] = {
    {1, 0.5, 50000}, {1, 0.8, 150000}, {2, 0.5, 50000}, {4, 0.8, 150000}, {8, 0.9, 600000},
};

/* Mean: the CI of the replication means must contain W.
 * p99: the tolerance, 2% of W_p99 for the mean of the replication
 * p99s. What goes into it: each p99 is a histogram quantile, within 0.39%
 * of the sample's order statistic; the rest is sampling spread, printed as
 * the standard error se = sd / sqrt(R). The sizes below make se 0.5-1.3% of
 * W_p99 (measured: 0.56%, 1.3%, 0.54%, 0.97%, 0.70% for the five cases), so
 * 2% alone would be 1.5 to 3.7 standard errors, and an unbiased stream
 * misses it by chance one time in ten or so (seen: 2.3% at 1.7 se). So the
 * limit here is the larger of 2% and three standard errors, capped at 4%:
 * a check that catches a wrong service distribution or a lost server,
 * not a 1% error. (One 1e7-request run of M/M/8 at rho 0.9 lands within
 * 0.1-0.8%.) The 2% with enough data to mean it is test_sim_long's,
 * behind the "long" label; the seeds are fixed, so the check is
 * reproducible. A CI is not used for p99: the mean of sample quantiles is
 * slightly biased. */
static void test_mmc(void **state)
{
    const azb_catalog *cat = *state;
    cJSON *doc = azbt_read_json(AZB_TEST_DATA "/erlang_reference.json");
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(doc, "cases");
    int fails = 0;
    for (size_t k = 0; k < sizeof(mmc_cases) / sizeof(mmc_cases[0]); k++) {
        const cJSON *cs = azbt_erlang_case(cases, mmc_cases[k].c, mmc_cases[k].rho);
        assert_non_null(cs);
        double lam = azbt_num(cs, "lam");
        azb_design *d = mmc_design(cat, mmc_cases[k].c, lam);
        azb_result *m = azbt_run(d, cat, 0.0);
        double means[REPS];
        double p99s[REPS];
        double utils[REPS];
        char where[64];
        snprintf(where, sizeof(where), "M/M/%d rho=%.2f", mmc_cases[k].c, mmc_cases[k].rho);
        for (int i = 0; i < REPS; i++) {
            azb_sim_config cfg = {0};
            cfg.seed = BASE_SEED + 1000u * (uint64_t)(k + 1u) + (uint64_t)i;
            cfg.requests = mmc_cases[k].requests;
            cfg.warmup_requests = mmc_cases[k].requests / 10u;
            azb_sim_result r;
            run_one(d, cat, m, &cfg, &r);
            means[i] = r.nodes[0].sojourn_mean_ms / 1000.0;
            p99s[i] = r.nodes[0].sojourn_p99_ms / 1000.0;
            utils[i] = r.nodes[0].utilization;
            azb_sim_result_free(&r);
        }
        printf("%s: seeds %u..%u, %llu requests each\n", where,
               BASE_SEED + 1000u * (unsigned)(k + 1u),
               BASE_SEED + 1000u * (unsigned)(k + 1u) + REPS - 1,
               (unsigned long long)mmc_cases[k].requests);
        fails += ci_contains(where, "mean sojourn W", ci_of(means, REPS), azbt_num(cs, "W"));
        fails += ci_contains(where, "utilisation", ci_of(utils, REPS), azbt_num(cs, "rho"));
        ci p = ci_of(p99s, REPS);
        double expect = azbt_num(cs, "W_p99");
        double rel = fabs(p.mean - expect) / expect;
        double se = p.sd / sqrt((double)REPS);
        double limit = fmin(0.04, fmax(0.02, 3.0 * se / expect));
        printf("  %s: p99: mean of replications %.6g (se %.3g), exact %.6g, off %.2f%% (limit "
               "%.2f%%)%s\n",
               where, p.mean, se, expect, 100.0 * rel, 100.0 * limit,
               rel <= limit ? "" : "  <-- OUTSIDE");
        fails += rel <= limit ? 0 : 1;
        azb_result_destroy(m);
        azb_design_destroy(d);
    }
    cJSON_Delete(doc);
    assert_int_equal(fails, 0);
}

/* Front Door in front of two regions, p 0.6 and 0.4, as the model reads
 * it: each population goes to its nearest origin with the summed p (1), so
 * North America's users all reach East US and Europe's all West Europe;
 * without a geography the p's stand. Counted over one run (a routing rule,
 * not a sampled figure: the split is exact or it is wrong). */
static void test_router_nearest(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        const char *clients; /* the clients nodes */
        double us_share;     /* of the visits at the origins, expected */
        double tol;
    } cases[] = {
        {"North America only: all to East US",
         "{'id': 'na', 'kind': 'clients', 'geo': 'north-america'}", 1.0, 0.0},
        {"Europe only: all to West Europe", "{'id': 'eu', 'kind': 'clients', 'geo': 'europe'}",
         0.0, 0.0},
        {"both, 70/30: by population",
         "{'id': 'na', 'kind': 'clients', 'geo': 'north-america', 'share': 0.7},"
         "{'id': 'eu', 'kind': 'clients', 'geo': 'europe', 'share': 0.3}",
         0.7, 0.01},
    };
    int fails = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        char nodes[1024];
        snprintf(nodes, sizeof(nodes),
                 "%s, {'id': 'fd', 'kind': 'front_door'},"
                 "{'id': 'us', 'kind': 'vm', 'count': 4, 'region': 'eastus', 'zones': [1]},"
                 "{'id': 'we', 'kind': 'vm', 'count': 4, 'region': 'westeurope', 'zones': [1]}",
                 cases[c].clients);
        char edges[512];
        snprintf(edges, sizeof(edges), "%s%s{'from': 'fd', 'to': 'us', 'p': 0.6},"
                 "{'from': 'fd', 'to': 'we', 'p': 0.4}",
                 strstr(cases[c].clients, "'na'") ? "{'from': 'na', 'to': 'fd'}," : "",
                 strstr(cases[c].clients, "'eu'") ? "{'from': 'eu', 'to': 'fd'}," : "");
        azb_design *d = azbt_design(cat, nodes, edges, "'rps': 200");
        azb_result *m = azbt_run(d, cat, 0.0);
        azb_sim_config cfg = {0};
        cfg.seed = BASE_SEED + 700u + (uint64_t)c;
        cfg.requests = 20000;
        azb_sim_result r;
        run_one(d, cat, m, &cfg, &r);
        int us = azbt_node_of(d, "us");
        int we = azbt_node_of(d, "we");
        double vus = (double)r.nodes[us].visits;
        double vwe = (double)r.nodes[we].visits;
        double share = vus / fmax(1.0, vus + vwe);
        double all = (vus + vwe) / fmax(1.0, (double)r.completed);
        printf("%s: %.0f visits at East US, %.0f at West Europe (share %.4f, expected %.2f); "
               "%.4f origin visits per request\n",
               cases[c].name, vus, vwe, share, cases[c].us_share, all);
        if (fabs(share - cases[c].us_share) > cases[c].tol) {
            print_error("%s: East US share expected %.2f got %.4f\n", cases[c].name,
                        cases[c].us_share, share);
            fails++;
        }
        /* exactly one origin per request, never both or none */
        if (fabs(all - 1.0) > 0.01) {
            print_error("%s: origin visits per request expected 1 got %.4f\n", cases[c].name, all);
            fails++;
        }
        azb_sim_result_free(&r);
        azb_result_destroy(m);
        azb_design_destroy(d);
    }
    assert_int_equal(fails, 0);
}

/* ---- a tandem of two M/M/1 queues: Jackson, and Little per node ---------- */

/* lambda = 5/s; lb mu = 10/s, app mu = 6.25/s: mean sojourns 0.2 s and 0.8 s. */
static azb_design *tandem_design(const azb_catalog *cat)
{
    return azbt_design(cat,
                       "{'id': 'lb', 'kind': 'vm', 'region': 'eastus', 'zones': [1], "
                       "'concurrency': 1, 'service_ms': 100, 'service_dist': 'exp'},"
                       "{'id': 'app', 'kind': 'vm', 'region': 'eastus', 'zones': [1], "
                       "'concurrency': 1, 'service_ms': 160, 'service_dist': 'exp'}",
                       "{'from': 'lb', 'to': 'app'}", "'entry': 'lb', 'rps': 5");
}

static void test_tandem_jackson(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = tandem_design(cat);
    azb_result *m = azbt_run(d, cat, 0.0);
    double lat[REPS];
    double st[2][REPS];
    for (int i = 0; i < REPS; i++) {
        azb_sim_config cfg = {0};
        cfg.seed = BASE_SEED + 100u + (uint64_t)i;
        cfg.requests = 100000;
        cfg.warmup_requests = 10000;
        azb_sim_result r;
        run_one(d, cat, m, &cfg, &r);
        lat[i] = r.latency.mean;
        st[0][i] = r.nodes[0].sojourn_mean_ms;
        st[1][i] = r.nodes[1].sojourn_mean_ms;
        azb_sim_result_free(&r);
    }
    printf("tandem: seeds %u..%u, 100000 requests each, rtt %.4g ms\n", BASE_SEED + 100u,
           BASE_SEED + 100u + REPS - 1, m->edges[0].rtt_ms);
    int fails = 0;
    double jackson = 1000.0 / (10.0 - 5.0) + 1000.0 / (6.25 - 5.0);
    fails += ci_contains("tandem", "end-to-end mean (ms)", ci_of(lat, REPS),
                         jackson + m->edges[0].rtt_ms);
    fails += ci_contains("tandem", "lb sojourn (ms)", ci_of(st[0], REPS), 200.0);
    fails += ci_contains("tandem", "app sojourn (ms)", ci_of(st[1], REPS), 800.0);
    azb_result_destroy(m);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* Little's law L = lambda W is a sample-path identity: per node and per
 * replication, L (time-average visits present) and lambda W (visits / window
 * x mean sojourn) differ only by the visits straddling the window's ends,
 * O(L / n). So the CI of L / (lambda W) - 1 must contain 0, or the
 * deviation be below that boundary term (1e-3 here), since the CI itself
 * can shrink to the same order. Also: utilisation = lambda x service. */
static void test_little(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = tandem_design(cat);
    azb_result *m = azbt_run(d, cat, 0.0);
    double dev[2][REPS];
    double util[2][REPS];
    for (int i = 0; i < REPS; i++) {
        azb_sim_config cfg = {0};
        cfg.seed = BASE_SEED + 200u + (uint64_t)i;
        cfg.requests = 50000;
        cfg.warmup_requests = 5000;
        azb_sim_result r;
        run_one(d, cat, m, &cfg, &r);
        for (int u = 0; u < 2; u++) {
            const azb_sim_node *n = &r.nodes[u];
            double lw = n->rps / 1000.0 * n->sojourn_mean_ms;
            dev[u][i] = n->in_system / lw - 1.0;
            util[u][i] = n->utilization / (n->rps * m->nodes[u].service_ms / 1000.0) - 1.0;
        }
        azb_sim_result_free(&r);
    }
    printf("little: seeds %u..%u, 50000 requests each\n", BASE_SEED + 200u,
           BASE_SEED + 200u + REPS - 1);
    int fails = 0;
    const char *names[2] = {"lb", "app"};
    for (int u = 0; u < 2; u++) {
        ci c = ci_of(dev[u], REPS);
        int ok = fabs(c.mean) <= c.half || fabs(c.mean) < 1e-3;
        printf("  %s: L/(lambda W) - 1: %.3g +- %.3g%s\n", names[u], c.mean, c.half,
               ok ? "" : "  <-- OUTSIDE");
        fails += ok ? 0 : 1;
        fails += ci_contains(names[u], "utilisation/(lambda S) - 1", ci_of(util[u], REPS), 0.0);
    }
    azb_result_destroy(m);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* ---- determinism ----------------------------------------------------------- */

static bool same_result(const azb_sim_result *a, const azb_sim_result *b)
{
    return memcmp(&a->latency, &b->latency, sizeof(a->latency)) == 0 &&
           a->throughput_rps == b->throughput_rps && a->completed == b->completed &&
           a->throttled == b->throttled && a->events == b->events &&
           a->sim_seconds == b->sim_seconds && a->nnodes == b->nnodes &&
           memcmp(a->nodes, b->nodes, sizeof(azb_sim_node) * (size_t)a->nnodes) == 0 &&
           memcmp(a->latency_hist, b->latency_hist, sizeof(azb_hist)) == 0;
}

static void test_determinism(void **state)
{
    const azb_catalog *cat = *state;
    /* calls, probabilities, an async edge and a cache's hit/miss edges */
    azb_design *d = azbt_design(
        cat,
        "{'id': 'lb', 'kind': 'vm', 'region': 'eastus', 'count': 2, 'concurrency': 2, "
        "'service_ms': 5, 'service_dist': 'exp', 'balancing': 'round_robin'},"
        "{'id': 'app', 'kind': 'vm', 'region': 'eastus', 'count': 3, 'concurrency': 4, "
        "'service_ms': 20, 'service_dist': 'lognormal', 'cv': 0.5, 'balancing': "
        "'least_connections'},"
        "{'id': 'cache', 'kind': 'vm', 'region': 'eastus', 'service_ms': 1, 'service_dist': 'det', "
        "'concurrency': 8},"
        "{'id': 'db', 'kind': 'vm', 'region': 'eastus', 'count': 2, 'service_ms': 10, "
        "'concurrency': 4}",
        "{'from': 'lb', 'to': 'app'}, {'from': 'app', 'to': 'cache', 'calls': 1.5},"
        "{'from': 'app', 'to': 'db', 'p': 0.2}, {'from': 'app', 'to': 'db', 'mode': 'async', "
        "'p': 0.1}",
        "'entry': 'lb', 'rps': 200");
    azb_result *m = azbt_run(d, cat, 0.0);
    azb_sim_config cfg = {0};
    cfg.seed = BASE_SEED + 300u;
    cfg.requests = 20000;
    cfg.warmup_requests = 1000;
    azb_sim_result a;
    azb_sim_result b;
    azb_sim_result c;
    run_one(d, cat, m, &cfg, &a);
    run_one(d, cat, m, &cfg, &b);
    cfg.seed++;
    run_one(d, cat, m, &cfg, &c);
    printf("determinism: seeds %u and %u: mean %.17g / %.17g / %.17g ms, events %llu\n",
           BASE_SEED + 300u, BASE_SEED + 301u, a.latency.mean, b.latency.mean, c.latency.mean,
           (unsigned long long)a.events);
    assert_true(same_result(&a, &b));
    assert_false(same_result(&a, &c));
    assert_true(a.latency.mean != c.latency.mean);
    assert_true(a.completed == 20000u && a.truncated == 0u);
    assert_true(a.nodes[2].visits > 0u && a.nodes[3].visits > 0u);
    azb_sim_result_free(&a);
    azb_sim_result_free(&b);
    azb_sim_result_free(&c);
    azb_result_destroy(m);
    azb_design_destroy(d);
}

/* ---- a quota throttles what is over its cap ------------------------------ */

/* Poisson arrivals at twice the quota's capacity straight into the quota
 * node: its bucket (one second of quota) is almost never full, so in the
 * long run it admits exactly `capacity` per second and throttles the
 * fraction 1 - capacity / lambda = 1/2 of the requests. */
static void test_quota(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = azbt_design(cat,
                                "{'id': 'db', 'kind': 'cosmos_db', 'region': 'eastus', "
                                "'ru_per_s': 400}",
                                "", "'entry': 'db', 'rps': 100");
    azb_result *m = azbt_run(d, cat, 0.0);
    assert_int_equal(m->nodes[0].queueing, AZB_QUEUEING_QUOTA);
    double cap = m->nodes[0].capacity_rps;
    double lam = 2.0 * cap;
    double frac[REPS];
    double tput[REPS];
    for (int i = 0; i < REPS; i++) {
        azb_sim_config cfg = {0};
        cfg.seed = BASE_SEED + 400u + (uint64_t)i;
        cfg.requests = 20000;
        cfg.warmup_requests = 2000;
        cfg.offered_rps = lam;
        azb_sim_result r;
        run_one(d, cat, m, &cfg, &r);
        frac[i] = (double)r.throttled / (double)(r.throttled + r.completed);
        tput[i] = r.throughput_rps;
        azb_sim_result_free(&r);
    }
    printf("quota: capacity %.6g rps, offered %.6g rps, seeds %u..%u, 20000 served each\n", cap,
           lam, BASE_SEED + 400u, BASE_SEED + 400u + REPS - 1);
    int fails = 0;
    fails += ci_contains("quota", "throttled fraction", ci_of(frac, REPS), 1.0 - cap / lam);
    fails += ci_contains("quota", "throughput (rps)", ci_of(tput, REPS), cap);
    azb_result_destroy(m);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* ---- progress and cancel -------------------------------------------------- */

typedef struct prog {
    int calls;
    double last;
    bool in_range;
    volatile int cancel;
} prog;

static void on_progress(void *user, double fraction)
{
    prog *p = user;
    p->calls++;
    p->in_range = p->in_range && fraction >= p->last && fraction <= 1.0;
    p->last = fraction;
    if (p->calls == 2) {
        p->cancel = 1;
    }
}

static void test_cancel(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = mmc_design(cat, 1, 0.5);
    azb_result *m = azbt_run(d, cat, 0.0);
    prog p = {0, 0.0, true, 0};
    azb_sim_config cfg = {0};
    cfg.seed = BASE_SEED + 500u;
    cfg.requests = 10000000;
    cfg.progress = on_progress;
    cfg.user = &p;
    cfg.cancel = &p.cancel;
    azb_sim_result r;
    run_one(d, cat, m, &cfg, &r);
    printf("cancel: seed %u: stopped after %llu events, %llu requests\n", BASE_SEED + 500u,
           (unsigned long long)r.events, (unsigned long long)r.completed);
    assert_true(r.cancelled);
    assert_int_equal(p.calls, 2);
    assert_true(p.in_range && p.last > 0.0);
    assert_true(r.completed > 0u && r.completed < cfg.requests);
    assert_true(r.events <= 2u * 65536u + 4096u);
    azb_sim_result_free(&r);
    azb_result_destroy(m);
    azb_design_destroy(d);
}

/* ---- bad input ------------------------------------------------------------- */

static void test_bad_input(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = mmc_design(cat, 1, 0.5);
    azb_design *d2 = tandem_design(cat);
    azb_result *m = azbt_run(d, cat, 0.0);
    azb_sim_result r;
    azb_errors errs;
    azb_errors_init(&errs);
    azb_sim_config cfg = {0};
    cfg.seed = 1;
    /* neither requests nor duration */
    assert_false(azb_sim_run(d, cat, m, &cfg, &r, &errs));
    assert_true(azbt_errors_contain(&errs, "requests or duration_s"));
    assert_null(r.nodes);
    /* a model result of another design */
    cfg.requests = 10;
    assert_false(azb_sim_run(d2, cat, m, &cfg, &r, NULL));
    /* a duration run */
    cfg.requests = 0;
    cfg.duration_s = 100.0;
    assert_true(azb_sim_run(d, cat, m, &cfg, &r, &errs));
    assert_true(fabs(r.sim_seconds - 100.0) < 1e-9);
    azb_sim_result_free(&r);
    assert_null(r.nodes);
    azb_sim_result_free(&r);
    azb_sim_result_free(NULL);
    azb_errors_free(&errs);
    azb_result_destroy(m);
    azb_design_destroy(d);
    azb_design_destroy(d2);
}

/* ---- helpers of the tests below ---------------------------------------------
 *
 * The tests below make about 40 interval checks between them. At 95% each,
 * one in three runs of the file would fail one by chance, so (Bonferroni,
 * 0.05 / 40 per check, rounded to 0.001) they assert the 99.9% interval,
 * t(0.9995, 9) = 4.781 standard errors, and print the 95% one. A bias of a
 * few standard errors is what a modelling error produces; the fixed seeds
 * make every run reproducible. */
#define T_9995_9 4.780912585933

static int ci_check(const char *where, const char *what, ci c, double expect)
{
    double wide = c.half * T_9995_9 / T_975_9;
    int ok = fabs(c.mean - expect) <= wide;
    printf("  %s: %s: %.6g +- %.3g (95%% CI; 99.9%%: +- %.3g), exact %.6g%s\n", where, what, c.mean,
           c.half, wide, expect, ok ? "" : "  <-- OUTSIDE");
    return ok ? 0 : 1;
}

static azb_scenario *scenario_of(const char *json)
{
    size_t len = strlen(json);
    char *text = malloc(len + 1u);
    assert_non_null(text);
    memcpy(text, json, len + 1u);
    for (char *c = text; *c != '\0'; c++) {
        if (*c == '\'') {
            *c = '"';
        }
    }
    azb_errors errs;
    azb_errors_init(&errs);
    azb_scenario *sc = azb_scenario_parse(text, strlen(text), "t.json", &errs);
    if (sc == NULL || azb_errors_count_errors(&errs) > 0) {
        azbt_print_errors(&errs);
        fail_msg("scenario does not load: %s", text);
    }
    azb_errors_free(&errs);
    free(text);
    return sc;
}

/* Sum of a per-second field over rows [from, to) seconds. */
typedef enum { F_OFFERED, F_SERVED, F_FAILED, F_THROTTLED, F_DROPPED, F_TIMEOUTS } row_field;

static double rows_sum(const azb_sim_result *r, row_field f, int from, int to)
{
    double sum = 0.0;
    for (int i = from; i < to && i < r->nseconds; i++) {
        const azb_sim_second *row = &r->seconds[i];
        uint32_t v = f == F_OFFERED     ? row->offered
                     : f == F_SERVED    ? row->served
                     : f == F_FAILED    ? row->failed
                     : f == F_THROTTLED ? row->throttled
                     : f == F_DROPPED   ? row->dropped
                                        : row->timeouts;
        sum += (double)v;
    }
    return sum;
}

static double rows_util(const azb_sim_result *r, int node, int from, int to)
{
    double sum = 0.0;
    for (int i = from; i < to; i++) {
        sum += (double)r->seconds[i].nodes[node].utilization;
    }
    return sum / (double)(to - from);
}

/* ---- M/D/1 against Pollaczek-Khinchine ------------------------------------ */

/* Deterministic service S, Poisson arrivals: W = S + rho S / (2 (1 - rho)). */
static void test_md1(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        double rho;
        uint64_t requests;
    } cases[] = {{0.5, 50000}, {0.8, 150000}, {0.9, 400000}};
    int fails = 0;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        char wl[96];
        snprintf(wl, sizeof(wl), "'entry': 'q', 'rps': %.17g", cases[k].rho);
        azb_design *d = azbt_design(cat,
                                    "{'id': 'q', 'kind': 'vm', 'region': 'eastus', 'concurrency': "
                                    "1, 'service_ms': 1000, 'service_dist': 'det'}",
                                    "", wl);
        azb_result *m = azbt_run(d, cat, 0.0);
        double w[REPS];
        for (int i = 0; i < REPS; i++) {
            azb_sim_config cfg = {0};
            cfg.seed = BASE_SEED + 700u + 20u * (uint64_t)k + (uint64_t)i;
            cfg.requests = cases[k].requests;
            cfg.warmup_requests = cases[k].requests / 10u;
            azb_sim_result r;
            run_one(d, cat, m, &cfg, &r);
            w[i] = r.nodes[0].sojourn_mean_ms;
            azb_sim_result_free(&r);
        }
        double rho = cases[k].rho;
        char where[48];
        snprintf(where, sizeof(where), "M/D/1 rho=%.2f", rho);
        printf("%s: seeds %u.., %llu requests each\n", where, BASE_SEED + 700u + 20u * (unsigned)k,
               (unsigned long long)cases[k].requests);
        fails += ci_check(where, "mean sojourn (ms)", ci_of(w, REPS),
                          1000.0 + rho * 1000.0 / (2.0 * (1.0 - rho)));
        azb_result_destroy(m);
        azb_design_destroy(d);
    }
    assert_int_equal(fails, 0);
}

/* ---- a bounded queue drops at capacity: M/M/c/K ---------------------------- */

static void test_mmck(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        int c;
        int limit; /* waiting places: K = c + limit */
        double rho;
    } cases[] = {{1, 0, 0.8}, {2, 3, 0.9}, {4, 4, 1.2}, {8, 20, 0.95}};
    const uint64_t nreq = 200000u;
    int fails = 0;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        char nodes[256];
        snprintf(nodes, sizeof(nodes),
                 "{'id': 'q', 'kind': 'vm', 'region': 'eastus', 'concurrency': %d, "
                 "'service_ms': 1000, 'service_dist': 'exp', 'queue_limit': %d}",
                 cases[k].c, cases[k].limit);
        double lam = cases[k].rho * (double)cases[k].c;
        char wl[96];
        snprintf(wl, sizeof(wl), "'entry': 'q', 'rps': %.17g", lam);
        azb_design *d = azbt_design(cat, nodes, "", wl);
        azb_result *m = azbt_run(d, cat, 0.0);
        azb_queue_mmck_result q;
        azb_queue_mmck(lam, 1.0, cases[k].c, cases[k].c + cases[k].limit, &q);
        double pb[REPS];
        double w[REPS];
        for (int i = 0; i < REPS; i++) {
            azb_sim_config cfg = {0};
            cfg.seed = BASE_SEED + 800u + 20u * (uint64_t)k + (uint64_t)i;
            cfg.requests = nreq;
            cfg.warmup_requests = nreq / 10u;
            azb_sim_result r;
            run_one(d, cat, m, &cfg, &r);
            pb[i] = (double)r.nodes[0].dropped / (double)r.nodes[0].visits;
            w[i] = r.nodes[0].sojourn_mean_ms / 1000.0;
            assert_true(r.dropped == r.nodes[0].dropped);
            azb_sim_result_free(&r);
        }
        char where[64];
        snprintf(where, sizeof(where), "M/M/%d/%d rho=%.2f", cases[k].c,
                 cases[k].c + cases[k].limit, cases[k].rho);
        printf("%s: seeds %u.., %llu served each\n", where, BASE_SEED + 800u + 20u * (unsigned)k,
               (unsigned long long)nreq);
        fails += ci_check(where, "blocking probability", ci_of(pb, REPS), q.p_block);
        fails += ci_check(where, "mean sojourn of admitted (s)", ci_of(w, REPS), q.w);
        azb_result_destroy(m);
        azb_design_destroy(d);
    }
    assert_int_equal(fails, 0);
}

/* ---- balancing: random is n independent queues; least connections is close
 * to the pooled queue ------------------------------------------------------- */

static azb_design *farm_design(const azb_catalog *cat, int n, int k, const char *bal, double lam)
{
    char nodes[320];
    snprintf(nodes, sizeof(nodes),
             "{'id': 'q', 'kind': 'vm', 'region': 'eastus', 'count': %d, 'concurrency': %d, "
             "'service_ms': 1000, 'service_dist': 'exp', 'balancing': '%s'}",
             n, k, bal);
    char wl[96];
    snprintf(wl, sizeof(wl), "'entry': 'q', 'rps': %.17g", lam);
    return azbt_design(cat, nodes, "", wl);
}

static void farm_runs(const azb_catalog *cat, azb_design *d, uint64_t seed, uint64_t requests,
                      double *w)
{
    azb_result *m = azbt_run(d, cat, 0.0);
    for (int i = 0; i < REPS; i++) {
        azb_sim_config cfg = {0};
        cfg.seed = seed + (uint64_t)i;
        cfg.requests = requests;
        cfg.warmup_requests = requests / 10u;
        azb_sim_result r;
        run_one(d, cat, m, &cfg, &r);
        w[i] = r.nodes[0].sojourn_mean_ms / 1000.0;
        azb_sim_result_free(&r);
    }
    azb_result_destroy(m);
}

/* Random splitting of a Poisson stream gives n independent Poisson streams
 * of lambda / n: each instance is exactly M/M/k. Round robin is not random
 * (Erlang-n interarrivals), so it waits less than M/M/k. */
static void test_random_balancing(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        int n, k;
        double rho;
    } cases[] = {{3, 1, 0.8}, {4, 2, 0.85}};
    int fails = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        int n = cases[c].n;
        int k = cases[c].k;
        double lam = cases[c].rho * (double)(n * k);
        azb_queue_result q;
        azb_queue_mmc(lam / (double)n, 1.0, k, &q);
        double w[REPS];
        azb_design *d = farm_design(cat, n, k, "random", lam);
        farm_runs(cat, d, BASE_SEED + 900u + 20u * (uint64_t)c, 150000, w);
        azb_design_destroy(d);
        char where[64];
        snprintf(where, sizeof(where), "%d x M/M/%d random rho=%.2f", n, k, cases[c].rho);
        printf("%s: seeds %u.., 150000 requests each\n", where,
               BASE_SEED + 900u + 20u * (unsigned)c);
        fails += ci_check(where, "mean sojourn (s)", ci_of(w, REPS), q.w);
        double rr[REPS];
        d = farm_design(cat, n, k, "round_robin", lam);
        farm_runs(cat, d, BASE_SEED + 950u + 20u * (uint64_t)c, 150000, rr);
        azb_design_destroy(d);
        ci r = ci_of(rr, REPS);
        int ok = r.mean + r.half < q.w;
        printf("  %s: round robin mean %.4g +- %.3g s, below M/M/%d's %.4g%s\n", where, r.mean,
               r.half, k, q.w, ok ? "" : "  <-- NOT BELOW");
        fails += ok ? 0 : 1;
    }
    assert_int_equal(fails, 0);
}

/* Least connections (join the shortest queue) sits between the pooled
 * M/M/(n k) queue and n separate M/M/k queues: a visit queued behind a slow
 * one cannot move to an instance that frees up, so it is not the pooled
 * queue. The bound asserted: its mean sojourn is not below the pooled
 * queue's, at most 15% above it (measured with these seeds: +11.8% for
 * 4 x M/M/1 at rho 0.8, +5.3% for 8 x M/M/2 at rho 0.9; the gap shrinks as
 * k grows), and clearly below the random split's. */
static void test_least_connections(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        int n, k;
        double rho;
    } cases[] = {{4, 1, 0.8}, {8, 2, 0.9}};
    int fails = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        int n = cases[c].n;
        int k = cases[c].k;
        double lam = cases[c].rho * (double)(n * k);
        azb_queue_result pooled;
        azb_queue_mmc(lam, 1.0, n * k, &pooled);
        azb_queue_result split;
        azb_queue_mmc(lam / (double)n, 1.0, k, &split);
        double w[REPS];
        azb_design *d = farm_design(cat, n, k, "least_connections", lam);
        farm_runs(cat, d, BASE_SEED + 1000u + 20u * (uint64_t)c, 150000, w);
        azb_design_destroy(d);
        ci x = ci_of(w, REPS);
        double above = x.mean / pooled.w - 1.0;
        int ok = above <= 0.15 && x.mean + x.half < split.w && x.mean + x.half > pooled.w;
        printf("%d x %d least connections rho=%.2f: seeds %u..: mean %.5g +- %.3g s; pooled "
               "M/M/%d %.5g (+%.2f%%), %d x M/M/%d %.5g%s\n",
               n, k, cases[c].rho, BASE_SEED + 1000u + 20u * (unsigned)c, x.mean, x.half, n * k,
               pooled.w, 100.0 * above, n, k, split.w, ok ? "" : "  <-- OUTSIDE");
        fails += ok ? 0 : 1;
    }
    assert_int_equal(fails, 0);
}

/* ---- scenarios: the load profile and request classes ---------------------- */

/* A spike profile by thinning: the offered count per second follows the
 * profile; an edge listing an operation carries only that class's share. */
static void test_scenario_profile(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d =
        azbt_design(cat,
                    "{'id': 'app', 'kind': 'vm', 'region': 'eastus', 'count': 4, 'concurrency': 8, "
                    "'service_ms': 10},"
                    "{'id': 'db', 'kind': 'vm', 'region': 'eastus', 'count': 2, 'concurrency': 8, "
                    "'service_ms': 5}",
                    "{'from': 'app', 'to': 'db', 'ops': ['POST /x']}",
                    "'entry': 'app', 'rps': 100, 'operations': [{'name': 'GET /x', 'share': 0.8}, "
                    "{'name': 'POST /x', 'share': 0.2, 'write': true}]");
    azb_result *m = azbt_run(d, cat, 0.0);
    azb_scenario *sc =
        scenario_of("{'format': 'azboard/scenario', 'version': 1, 'name': 's', 'duration_s': 300, "
                    "'load': {'type': 'spike', 'base_rps': 100, 'peak_rps': 400, 'start_s': 100, "
                    "'length_s': 100, 'classes': [{'name': 'GET /x', 'share': 0.7}, "
                    "{'name': 'POST /x', 'share': 0.3, 'write': true}]}}");
    double base[REPS], peak[REPS], share[REPS];
    for (int i = 0; i < REPS; i++) {
        azb_sim_config cfg = {0};
        cfg.seed = BASE_SEED + 1100u + (uint64_t)i;
        cfg.scenario = sc;
        cfg.timeseries = true;
        azb_sim_result r;
        run_one(d, cat, m, &cfg, &r);
        assert_int_equal(r.nseconds, 300);
        base[i] = (rows_sum(&r, F_OFFERED, 0, 100) + rows_sum(&r, F_OFFERED, 200, 300)) / 200.0;
        peak[i] = rows_sum(&r, F_OFFERED, 100, 200) / 100.0;
        share[i] = (double)r.nodes[1].visits / (double)r.nodes[0].visits;
        assert_true(fabs(r.sim_seconds - 300.0) < 1e-9);
        azb_sim_result_free(&r);
    }
    printf("scenario profile: seeds %u..%u\n", BASE_SEED + 1100u, BASE_SEED + 1100u + REPS - 1);
    int fails = 0;
    fails += ci_check("spike", "offered rps, base", ci_of(base, REPS), 100.0);
    fails += ci_check("spike", "offered rps, peak", ci_of(peak, REPS), 400.0);
    fails += ci_check("classes", "db visits / app visits (POST share)", ci_of(share, REPS), 0.3);
    azb_scenario_destroy(sc);
    azb_result_destroy(m);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* ---- failures -------------------------------------------------------------- */

/* Zone 2 of three goes down for 100 s behind a Standard Load Balancer (probe
 * every 5 s, down after 2 misses: 10 s, assets/catalog.json). Visits sent to
 * the dead instance fail only until the probe delay has passed; then the two
 * live instances carry the load (utilisation x 3/2), and nothing fails. */
static void test_zone_outage(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = azbt_design(
        cat,
        "{'id': 'lb', 'kind': 'load_balancer', 'region': 'eastus'},"
        "{'id': 'app', 'kind': 'vm', 'region': 'eastus', 'count': 3, 'zones': [1, 2, 3], "
        "'concurrency': 4, 'service_ms': 100, 'balancing': 'random'}",
        "{'from': 'lb', 'to': 'app'}", "'entry': 'lb', 'rps': 30");
    azb_result *m = azbt_run(d, cat, 0.0);
    azb_scenario *sc = scenario_of(
        "{'format': 'azboard/scenario', 'version': 1, 'name': 'z', 'duration_s': 300, "
        "'load': {'type': 'constant', 'rps': 30}, 'failures': [{'at': 100, 'what': 'zone', "
        "'region': 'eastus', 'zone': 2, 'recover_at': 200}]}");
    double during[REPS], share[REPS], u_before[REPS], u_during[REPS];
    int fails = 0;
    for (int i = 0; i < REPS; i++) {
        azb_sim_config cfg = {0};
        cfg.seed = BASE_SEED + 1200u + (uint64_t)i;
        cfg.scenario = sc;
        cfg.timeseries = true;
        azb_sim_result r;
        run_one(d, cat, m, &cfg, &r);
        double outside = rows_sum(&r, F_FAILED, 0, 100) + rows_sum(&r, F_FAILED, 111, 300);
        during[i] = rows_sum(&r, F_FAILED, 100, 111);
        share[i] = during[i] / rows_sum(&r, F_OFFERED, 100, 110);
        u_before[i] = rows_util(&r, 1, 10, 100);
        u_during[i] = rows_util(&r, 1, 111, 200);
        if (outside != 0.0 || r.failed == 0u) {
            printf("  zone outage: seed %llu: %g failures outside [100, 111) s  <-- WRONG\n",
                   (unsigned long long)cfg.seed, outside);
            fails++;
        }
        azb_sim_result_free(&r);
    }
    printf("zone outage: seeds %u..%u, failures only in [100, 110] s\n", BASE_SEED + 1200u,
           BASE_SEED + 1200u + REPS - 1);
    fails += ci_check("zone outage", "share failed before the probe delay", ci_of(share, REPS),
                      1.0 / 3.0);
    fails += ci_check("zone outage", "app utilisation before", ci_of(u_before, REPS), 0.25);
    fails += ci_check("zone outage", "app utilisation on 2 of 3", ci_of(u_during, REPS), 0.375);
    azb_scenario_destroy(sc);
    azb_result_destroy(m);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* A quota cut to 1/4 at half the capacity: throttled (429) only while it
 * holds; the node serves exactly the cut quota, and throttles the rest, a
 * share 1 - (cap / 4) / lambda = 1/2 of the requests. */
static void test_quota_cut(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = azbt_design(cat,
                                "{'id': 'db', 'kind': 'cosmos_db', 'region': 'eastus', "
                                "'ru_per_s': 400}",
                                "", "'entry': 'db', 'rps': 100");
    azb_result *m = azbt_run(d, cat, 0.0);
    double cap = m->nodes[0].capacity_rps;
    char text[512];
    snprintf(text, sizeof(text),
             "{'format': 'azboard/scenario', 'version': 1, 'name': 'q', 'duration_s': 300, "
             "'load': {'type': 'constant', 'rps': %.17g}, 'failures': [{'at': 100, 'what': "
             "'quota_cut', 'node': 'db', 'factor': 0.25, 'recover_at': 200}]}",
             cap / 2.0);
    azb_scenario *sc = scenario_of(text);
    double frac[REPS];
    double served[REPS];
    int fails = 0;
    for (int i = 0; i < REPS; i++) {
        azb_sim_config cfg = {0};
        cfg.seed = BASE_SEED + 1300u + (uint64_t)i;
        cfg.scenario = sc;
        cfg.timeseries = true;
        azb_sim_result r;
        run_one(d, cat, m, &cfg, &r);
        double outside = rows_sum(&r, F_THROTTLED, 0, 100) + rows_sum(&r, F_THROTTLED, 200, 300);
        /* after the first second of the cut the bucket holds the cut's second */
        frac[i] = rows_sum(&r, F_THROTTLED, 110, 200) / rows_sum(&r, F_OFFERED, 110, 200);
        served[i] = rows_sum(&r, F_SERVED, 110, 200) / 90.0;
        /* every arrival is served or throttled (a visit takes 3 ms, so the
         * ones straddling 110 s and 200 s may count on either side) */
        double unaccounted = rows_sum(&r, F_OFFERED, 110, 200) - rows_sum(&r, F_SERVED, 110, 200) -
                             rows_sum(&r, F_THROTTLED, 110, 200);
        if (fabs(unaccounted) > 4.0) {
            printf("  quota cut: seed %llu: %g arrivals neither served nor throttled  <-- WRONG\n",
                   (unsigned long long)cfg.seed, unaccounted);
            fails++;
        }
        if (outside != 0.0 || r.throttled != r.nodes[0].throttled) {
            printf("  quota cut: seed %llu: %g throttled outside the cut  <-- WRONG\n",
                   (unsigned long long)cfg.seed, outside);
            fails++;
        }
        azb_sim_result_free(&r);
    }
    printf("quota cut: capacity %.6g rps, offered %.6g, seeds %u..\n", cap, cap / 2.0,
           BASE_SEED + 1300u);
    /* What the simulator decides: it serves the cut quota and throttles
     * every other arrival (checked exactly above). The throttled share is
     * then 1 - 90 (cap / 4) / N for the Poisson count N of arrivals, whose
     * spread is the arrivals', not the quota's: printed, not asserted. */
    fails += ci_check("quota cut", "served rps during the cut", ci_of(served, REPS), cap / 4.0);
    ci fr = ci_of(frac, REPS);
    printf("  quota cut: throttled share during the cut %.4g +- %.3g (1/2 expected)\n", fr.mean,
           fr.half);
    azb_scenario_destroy(sc);
    azb_result_destroy(m);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* Reads and writes use a quota differently: Cosmos DB at 1 RU a read and
 * 5 a write (assets/catalog.json). The design's operations (70% reads) give
 * the model 2.2 RU a visit; a scenario whose load is half writes uses 3 RU a
 * visit, so at 100 rps a 400 RU/s account runs at 0.75, not the model's
 * 0.55; all writes (5 RU) at 100 rps need 500 RU/s: the account serves its
 * 400 RU/s (80 writes a second) and throttles the rest. */
static void test_quota_classes(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = azbt_design(cat,
                                "{'id': 'db', 'kind': 'cosmos_db', 'region': 'eastus', "
                                "'ru_per_s': 400}",
                                "",
                                "'entry': 'db', 'rps': 100, 'operations': [{'name': 'read', "
                                "'share': 0.7}, {'name': 'write', 'share': 0.3, 'write': true}]");
    azb_result *m = azbt_run(d, cat, 0.0);
    printf("quota classes: the model's RU a visit %.4g, utilisation %.4g\n",
           m->nodes[0].units_per_request, m->nodes[0].utilization);
    assert_true(fabs(m->nodes[0].units_per_request - 2.2) < 1e-9);
    static const struct {
        const char *classes;
        double util;
        double served_rps;
    } cases[] = {
        {"[{'name': 'read', 'share': 0.5}, {'name': 'write', 'share': 0.5, 'write': true}]", 0.75,
         100.0},
        {"[{'name': 'write', 'share': 1, 'write': true}]", 1.0, 80.0},
    };
    int fails = 0;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        char text[512];
        snprintf(text, sizeof(text),
                 "{'format': 'azboard/scenario', 'version': 1, 'name': 'c', 'duration_s': 400, "
                 "'load': {'type': 'constant', 'rps': 100, 'classes': %s}}",
                 cases[k].classes);
        azb_scenario *sc = scenario_of(text);
        double util[REPS];
        double served[REPS];
        for (int i = 0; i < REPS; i++) {
            azb_sim_config cfg = {0};
            cfg.seed = BASE_SEED + 1700u + 20u * (uint64_t)k + (uint64_t)i;
            cfg.scenario = sc;
            cfg.warmup_requests = 5000;
            azb_sim_result r;
            run_one(d, cat, m, &cfg, &r);
            util[i] = r.nodes[0].utilization;
            served[i] = r.throughput_rps;
            azb_sim_result_free(&r);
        }
        char where[32];
        snprintf(where, sizeof(where), "quota classes %zu", k);
        fails += ci_check(where, "utilisation", ci_of(util, REPS), cases[k].util);
        fails += ci_check(where, "served rps", ci_of(served, REPS), cases[k].served_rps);
        azb_scenario_destroy(sc);
    }
    azb_result_destroy(m);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* Timeouts and retries: an M/M/1 at rho 0.3 behind a caller that gives up
 * after 300 ms and retries twice. Every retry is one more visit (the
 * abandoned one still occupies the server), so visits = arrivals + retries
 * and the utilisation rises above 0.3. The load is kept low enough that
 * even if every call timed out (3 visits each, rho 0.9) the queue stays
 * stable: at rho 0.5 with a 600 ms timeout the same loop is metastable, a
 * burst of 6 queued visits makes every call time out, the load triples and
 * the queue grows without bound (test_retry_storm). */
static void test_retries(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *base = azbt_design(cat,
                                   "{'id': 'users', 'kind': 'clients', 'geo': 'north-america'},"
                                   "{'id': 'app', 'kind': 'vm', 'region': 'eastus', "
                                   "'concurrency': 1, 'service_ms': 100}",
                                   "{'from': 'users', 'to': 'app'}", "'rps': 3");
    azb_design *retry = azbt_design(cat,
                                    "{'id': 'users', 'kind': 'clients', 'geo': 'north-america'},"
                                    "{'id': 'app', 'kind': 'vm', 'region': 'eastus', "
                                    "'concurrency': 1, 'service_ms': 100}",
                                    "{'from': 'users', 'to': 'app', 'timeout_ms': 300, 'retries': "
                                    "2, 'backoff_ms': 50, 'jitter': 'full'}",
                                    "'rps': 3");
    azb_result *mb = azbt_run(base, cat, 0.0);
    azb_result *mr = azbt_run(retry, cat, 0.0);
    double ub[REPS], ur[REPS], extra[REPS];
    int fails = 0;
    for (int i = 0; i < REPS; i++) {
        azb_sim_config cfg = {0};
        cfg.seed = BASE_SEED + 1400u + (uint64_t)i;
        cfg.duration_s = 2000.0;
        cfg.warmup_requests = 1000;
        azb_sim_result a;
        azb_sim_result b;
        run_one(base, cat, mb, &cfg, &a);
        run_one(retry, cat, mr, &cfg, &b);
        ub[i] = a.nodes[1].utilization;
        ur[i] = b.nodes[1].utilization;
        double v = (double)b.nodes[1].visits;
        extra[i] = (v - (double)b.offered) / (double)b.retries - 1.0;
        /* Roots in flight when measuring starts may finish inside the
         * window (not offered in it): with timeouts and retries, dozens. */
        if (a.retries != 0u || b.retries == 0u || b.timed_out_calls == 0u ||
            b.timeouts + b.completed > b.offered + b.offered / 100u + 50u) {
            printf("  retries: seed %llu: retries %llu, timed out %llu, finished %llu of %llu "
                   "offered  <-- WRONG\n",
                   (unsigned long long)cfg.seed, (unsigned long long)b.retries,
                   (unsigned long long)b.timed_out_calls,
                   (unsigned long long)(b.timeouts + b.completed),
                   (unsigned long long)b.offered);
            fails++;
        }
        azb_sim_result_free(&a);
        azb_sim_result_free(&b);
    }
    ci cb = ci_of(ub, REPS);
    ci cr = ci_of(ur, REPS);
    printf("retries: seeds %u..: utilisation %.4g +- %.3g without, %.4g +- %.3g with timeouts\n",
           BASE_SEED + 1400u, cb.mean, cb.half, cr.mean, cr.half);
    fails += ci_check("retries", "utilisation without", cb, 0.3);
    fails += cr.mean - cr.half > cb.mean + cb.half ? 0 : 1;
    ci e = ci_of(extra, REPS);
    printf("  retries: (visits - arrivals) / retries - 1 = %.3g +- %.3g\n", e.mean, e.half);
    fails += fabs(e.mean) < 0.01 ? 0 : 1;
    azb_result_destroy(mb);
    azb_result_destroy(mr);
    azb_design_destroy(base);
    azb_design_destroy(retry);
    assert_int_equal(fails, 0);
}

/* The same loop past its tipping point: rho 0.5 and a 600 ms timeout. A
 * burst that queues six visits times every call out; each request then
 * makes three visits (rho 1.5 offered), the queue never drains, and within
 * 600 s almost every request fails while the server is busy all the time
 * with calls nobody waits for: a metastable failure. */
static void test_retry_storm(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = azbt_design(cat,
                                "{'id': 'users', 'kind': 'clients', 'geo': 'north-america'},"
                                "{'id': 'app', 'kind': 'vm', 'region': 'eastus', "
                                "'concurrency': 1, 'service_ms': 100}",
                                "{'from': 'users', 'to': 'app', 'timeout_ms': 600, 'retries': "
                                "2, 'backoff_ms': 50}",
                                "'rps': 5");
    azb_result *m = azbt_run(d, cat, 0.0);
    double ok[REPS], util[REPS];
    int fails = 0;
    for (int i = 0; i < REPS; i++) {
        azb_sim_config cfg = {0};
        cfg.seed = BASE_SEED + 1450u + (uint64_t)i;
        cfg.duration_s = 600.0;
        azb_sim_result r;
        run_one(d, cat, m, &cfg, &r);
        ok[i] = (double)r.completed / (double)r.offered;
        util[i] = r.nodes[1].utilization;
        /* every failure here is a timeout, after both retries */
        if (r.timeouts == 0u || r.failed != 0u || r.retries < 2u * r.timeouts) {
            fails++;
        }
        azb_sim_result_free(&r);
    }
    ci c_ok = ci_of(ok, REPS);
    ci c_u = ci_of(util, REPS);
    printf("retry storm: seeds %u..: served %.3g +- %.3g of the requests, utilisation %.3g +- "
           "%.3g (offered 0.5)\n",
           BASE_SEED + 1450u, c_ok.mean, c_ok.half, c_u.mean, c_u.half);
    fails += c_ok.mean < 0.25 ? 0 : 1;
    fails += c_u.mean > 0.9 ? 0 : 1;
    azb_result_destroy(m);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* Autoscale under a spike: Container Apps evaluates every 30 s and a new
 * replica joins 10 s later (assets/catalog.json, EST). Nothing is added
 * before the first evaluation after the spike plus the provisioning delay;
 * the spike's load (100 rps x 0.1 s / 4 per replica at target 0.6) needs 5. */
static void test_autoscale(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = azbt_design(
        cat,
        "{'id': 'app', 'kind': 'container_apps', 'region': 'eastus', 'count': 2, "
        "'concurrency': 4, 'service_ms': 100, 'autoscale': {'min': 2, 'max': 8, 'target': 0.6}}",
        "", "'entry': 'app', 'rps': 20");
    azb_result *m = azbt_run(d, cat, 0.0);
    azb_scenario *sc =
        scenario_of("{'format': 'azboard/scenario', 'version': 1, 'name': 'a', 'duration_s': 600, "
                    "'load': {'type': 'spike', 'base_rps': 20, 'peak_rps': 100, 'start_s': 100, "
                    "'length_s': 200}}");
    int fails = 0;
    double top[REPS];
    for (int i = 0; i < REPS; i++) {
        azb_sim_config cfg = {0};
        cfg.seed = BASE_SEED + 1500u + (uint64_t)i;
        cfg.scenario = sc;
        cfg.timeseries = true;
        azb_sim_result r;
        run_one(d, cat, m, &cfg, &r);
        int first_up = -1;
        int most = 0;
        for (int s = 0; s < r.nseconds; s++) {
            int n = r.seconds[s].nodes[0].instances;
            if (n > 2 && first_up < 0) {
                first_up = s;
            }
            most = n > most ? n : most;
        }
        top[i] = (double)most;
        int end = r.seconds[r.nseconds - 1].nodes[0].instances;
        /* evaluations at 30 s multiples: the first after 100 s is at 120 s */
        bool ok = first_up >= 120 + 10 - 1 && first_up <= 160 && most <= 8 && end == 2;
        if (!ok) {
            printf("  autoscale: seed %llu: first added at %d s, most %d, at the end %d  <-- "
                   "WRONG\n",
                   (unsigned long long)cfg.seed, first_up, most, end);
            fails++;
        }
        azb_sim_result_free(&r);
    }
    ci t = ci_of(top, REPS);
    printf("autoscale: seeds %u..: most replicas %.3g +- %.3g (the spike needs 5)\n",
           BASE_SEED + 1500u, t.mean, t.half);
    fails += t.mean >= 5.0 - 1e-9 ? 0 : 1;
    azb_scenario_destroy(sc);
    azb_result_destroy(m);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* A scenario run with every feature is byte-identical for a seed, time
 * series included. */
static bool same_rows(const azb_sim_result *a, const azb_sim_result *b)
{
    if (a->nseconds != b->nseconds) {
        return false;
    }
    for (int i = 0; i < a->nseconds; i++) {
        const azb_sim_second *x = &a->seconds[i];
        const azb_sim_second *y = &b->seconds[i];
        if (x->t_s != y->t_s || x->offered != y->offered || x->served != y->served ||
            x->dropped != y->dropped || x->timeouts != y->timeouts ||
            x->throttled != y->throttled || x->failed != y->failed || x->retries != y->retries ||
            x->p50_ms != y->p50_ms || x->p99_ms != y->p99_ms ||
            memcmp(x->nodes, y->nodes, sizeof(azb_sim_second_node) * (size_t)a->nnodes) != 0) {
            return false;
        }
    }
    return true;
}

typedef struct rows_seen {
    int n;
    bool in_order;
    uint64_t offered;
    int32_t last_instances; /* of node 2 */
} rows_seen;

static uint64_t rows_offered_of(const azb_sim_result *r)
{
    uint64_t sum = 0;
    for (int i = 0; i < r->nseconds; i++) {
        sum += r->seconds[i].offered;
    }
    return sum;
}

static void on_row(void *user, const azb_sim_second *row)
{
    rows_seen *rs = user;
    rs->in_order = rs->in_order && row->t_s == (double)(rs->n % 120); /* 120 s a run */
    rs->offered += row->offered;
    rs->last_instances = row->nodes[2].instances;
    rs->n++;
}

static void test_scenario_determinism(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = azbt_design(
        cat,
        "{'id': 'users', 'kind': 'clients', 'geo': 'north-america'},"
        "{'id': 'lb', 'kind': 'load_balancer', 'region': 'eastus'},"
        "{'id': 'app', 'kind': 'container_apps', 'region': 'eastus', 'count': 3, 'zones': [1, 2, "
        "3], 'concurrency': 4, 'service_ms': 20, 'queue_limit': 10, 'balancing': "
        "'least_connections', 'autoscale': {'min': 3, 'max': 9}},"
        "{'id': 'cache', 'kind': 'redis', 'region': 'eastus', 'hit_ratio': 0.8},"
        "{'id': 'db', 'kind': 'cosmos_db', 'region': 'eastus', 'ru_per_s': 4000}",
        "{'from': 'users', 'to': 'lb', 'timeout_ms': 2000, 'retries': 1},"
        "{'from': 'lb', 'to': 'app'}, {'from': 'app', 'to': 'cache', 'timeout_ms': 50, "
        "'retries': 2, 'backoff_ms': 10},"
        "{'from': 'cache', 'to': 'db', 'on': 'miss'}",
        "'rps': 300");
    azb_result *m = azbt_run(d, cat, 0.0);
    azb_scenario *sc = scenario_of(
        "{'format': 'azboard/scenario', 'version': 1, 'name': 'all', 'duration_s': 120, "
        "'load': {'type': 'ramp', 'from_rps': 200, 'to_rps': 600, 'duration_s': 100}, "
        "'failures': [{'at': 20, 'what': 'zone', 'region': 'eastus', 'zone': 1, 'recover_at': "
        "50}, {'at': 30, 'what': 'cache_flush', 'node': 'cache', 'warm_s': 20}, {'at': 40, "
        "'what': 'slow', 'node': 'app', 'factor': 3, 'recover_at': 60}, {'at': 60, 'what': "
        "'edge', 'from': 'app', 'to': 'cache', 'extra_ms': 5, 'loss': 0.05, 'recover_at': 80}, "
        "{'at': 70, 'what': 'quota_cut', 'node': 'db', 'factor': 0.01, 'recover_at': 90}, "
        "{'at': 95, 'what': 'instances', 'node': 'app', 'kill': 2, 'recover_at': 110}]}");
    azb_sim_config cfg = {0};
    cfg.seed = BASE_SEED + 1600u;
    cfg.scenario = sc;
    cfg.timeseries = true;
    rows_seen seen = {0, true, 0, 0};
    cfg.on_second = on_row;
    cfg.user = &seen;
    azb_sim_result a;
    azb_sim_result b;
    azb_sim_result c;
    run_one(d, cat, m, &cfg, &a);
    run_one(d, cat, m, &cfg, &b);
    cfg.seed++;
    run_one(d, cat, m, &cfg, &c);
    printf("scenario determinism: seed %u: %llu served, %llu failed, %llu timeouts, %llu "
           "throttled, %llu dropped, %llu retries, %llu events\n",
           BASE_SEED + 1600u, (unsigned long long)a.completed, (unsigned long long)a.failed,
           (unsigned long long)a.timeouts, (unsigned long long)a.throttled,
           (unsigned long long)a.dropped, (unsigned long long)a.retries,
           (unsigned long long)a.events);
    assert_true(same_result(&a, &b) && same_rows(&a, &b));
    assert_true(a.offered == b.offered && a.failed == b.failed && a.retries == b.retries &&
                a.timeouts == b.timeouts && a.dropped == b.dropped);
    assert_false(same_rows(&a, &c));
    /* a throttled read is retried by app -> cache, so look at the node */
    assert_true(a.failed > 0u && a.retries > 0u && a.nodes[4].throttled > 0u);
    assert_int_equal(a.nseconds, 120);
    /* on_second saw every row, in order, as the result holds them (three runs) */
    uint64_t offered = 0;
    for (int i = 0; i < a.nseconds; i++) {
        offered += a.seconds[i].offered;
    }
    assert_int_equal(seen.n, 3 * 120);
    assert_true(seen.in_order);
    assert_true(seen.offered == 2u * offered + rows_offered_of(&c));
    assert_int_equal(seen.last_instances, c.seconds[119].nodes[2].instances);
    azb_sim_result_free(&a);
    azb_sim_result_free(&b);
    azb_sim_result_free(&c);
    azb_scenario_destroy(sc);
    azb_result_destroy(m);
    azb_design_destroy(d);
}

/* ---- merging replications ---------------------------------------------------- */

static void test_summarize(void **state)
{
    (void)state;
    static const struct {
        int df;
        double t;
    } tq[] = {{1, 12.7062},  {9, 2.26216},   {30, 2.04227},     {40, 2.02108},
              {60, 2.00030}, {120, 1.97993}, {1000000, 1.95996}};
    for (size_t i = 0; i < sizeof(tq) / sizeof(tq[0]); i++) {
        double got = azb_sim_t975(tq[i].df);
        printf("t975(%d) = %.6g (table %.6g)\n", tq[i].df, got, tq[i].t);
        assert_true(fabs(got - tq[i].t) < 1e-4);
    }
    assert_true(isnan(azb_sim_t975(0)));
    /* t975(45) interpolated in 1/df between 40 and 60: 2.0141 (tables) */
    assert_true(fabs(azb_sim_t975(45) - 2.0141) < 2e-4);
    azb_sim_result r[4];
    memset(r, 0, sizeof(r));
    double means[4] = {10.0, 12.0, 11.0, 13.0};
    for (int i = 0; i < 4; i++) {
        r[i].latency.mean = means[i];
        r[i].latency.p99 = 2.0 * means[i];
        r[i].completed = 90;
        r[i].failed = (uint64_t)(10 * (i % 2));
    }
    azb_sim_summary s;
    assert_true(azb_sim_summarize(r, 4, &s));
    /* mean 11.5, sd sqrt(5/3), half = t(3) sd / 2 = 3.182446 x 1.290994 / 2 */
    assert_int_equal(s.k, 4);
    assert_true(fabs(s.mean.mean - 11.5) < 1e-12);
    assert_true(fabs(s.mean.half - 3.182446305 * sqrt(5.0 / 3.0) / 2.0) < 1e-9);
    assert_true(fabs(s.p99.mean - 23.0) < 1e-12);
    assert_true(fabs(s.error_rate.mean - 0.05) < 1e-12);
    assert_false(azb_sim_summarize(r, 1, &s));
    assert_int_equal(s.k, 0);
    assert_false(azb_sim_summarize(NULL, 4, &s));
    assert_false(azb_sim_summarize(r, 4, NULL));
}

/* Scenario errors: names the design lacks, and a scenario with no load. */
static void test_scenario_bad(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = mmc_design(cat, 1, 0.5);
    azb_result *m = azbt_run(d, cat, 0.0);
    azb_scenario *sc = scenario_of(
        "{'format': 'azboard/scenario', 'version': 1, 'name': 'x', 'duration_s': 10, "
        "'load': {'type': 'constant', 'rps': 1}, 'failures': [{'at': 1, 'what': 'node', "
        "'node': 'nope'}]}");
    azb_errors errs;
    azb_errors_init(&errs);
    azb_sim_config cfg = {0};
    cfg.seed = 1;
    cfg.scenario = sc;
    azb_sim_result r;
    assert_false(azb_sim_run(d, cat, m, &cfg, &r, &errs));
    assert_true(azbt_errors_contain(&errs, "lacks"));
    assert_null(r.nodes);
    azb_scenario_destroy(sc);
    sc = scenario_of("{'format': 'azboard/scenario', 'version': 1, 'name': 'x', 'duration_s': "
                     "10, 'load': {'type': 'constant', 'rps': 0}}");
    cfg.scenario = sc;
    assert_false(azb_sim_run(d, cat, m, &cfg, &r, &errs));
    assert_true(azbt_errors_contain(&errs, "no load"));
    azb_errors_free(&errs);
    azb_scenario_destroy(sc);
    azb_result_destroy(m);
    azb_design_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_quota),
        cmocka_unit_test(test_tandem_jackson),
        cmocka_unit_test(test_little),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_mmc),
        cmocka_unit_test(test_md1),
        cmocka_unit_test(test_mmck),
        cmocka_unit_test(test_random_balancing),
        cmocka_unit_test(test_least_connections),
        cmocka_unit_test(test_scenario_profile),
        cmocka_unit_test(test_zone_outage),
        cmocka_unit_test(test_quota_cut),
        cmocka_unit_test(test_quota_classes),
        cmocka_unit_test(test_retries),
        cmocka_unit_test(test_retry_storm),
        cmocka_unit_test(test_autoscale),
        cmocka_unit_test(test_scenario_determinism),
        cmocka_unit_test(test_summarize),
        cmocka_unit_test(test_router_nearest),
        cmocka_unit_test(test_scenario_bad),
    };
    return cmocka_run_group_tests(tests, azbt_setup_catalog, azbt_teardown_catalog);
}
