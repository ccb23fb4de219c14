/* The analytic performance model (azb_model.h, docs/models.md).
 *
 * Designs are built in code: small JSON texts (written with ' for " so they
 * read) parsed against the shipped catalog, so no file fixture hides what a
 * case is about. Expected values are computed here, independently of the
 * engine: Erlang C in log space, the M/M/1 formulas, visit ratios summed by
 * hand as geometric series, Little's law, the catalog's own figures for
 * round trips and quotas; and the shared reference file for M/M/c
 * (tests/data/erlang_reference.json, computed by a separate program).
 *
 * Contract violations (NULL design, catalog or result) assert, as the
 * header says; the nonsense that is legal (an unvalidated design, a design
 * with no entry point, NaN or negative offered load, out-of-range enum
 * names, destroying NULL) is exercised. */
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

#include "azb_design.h"
#include "azb_model.h"
#include "azbt.h"

/* ---- comparing numbers, and saying which case failed ------------------ */

static int near(const char *where, const char *field, double expected, double got, double rel)
{
    return azbt_near(where, field, expected, got, rel, 1e-12);
}

/* ---- designs built in code --------------------------------------------- */

static int edge_of(const azb_design *d, const char *from, const char *to)
{
    for (int j = 0; j < d->nedges; j++) {
        if (strcmp(d->edges[j].from, from) == 0 && strcmp(d->edges[j].to, to) == 0) {
            return j;
        }
    }
    fail_msg("no edge %s -> %s", from, to);
    return -1;
}

/* Every figure finite, non-negative, and latencies at most the cap. */
static int check_sane(const char *where, const azb_result *r)
{
    int fails = 0;
#define SANE(x, ms)                                                                                \
    do {                                                                                           \
        double v_ = (x);                                                                           \
        if (!isfinite(v_) || v_ < 0.0 || ((ms) && v_ > AZB_MODEL_MAX_MS)) {                        \
            print_error("%s: %s = %g\n", where, #x, v_);                                           \
            fails++;                                                                               \
        }                                                                                          \
    } while (0)
    SANE(r->offered_rps, 0);
    SANE(r->throughput_rps, 0);
    SANE(r->max_throughput_rps, 0);
    SANE(r->latency.mean, 1);
    SANE(r->latency.p50, 1);
    SANE(r->latency.p95, 1);
    SANE(r->latency.p99, 1);
    SANE(r->network_ms, 1);
    for (int i = 0; i < r->nnodes; i++) {
        const azb_node_result *n = &r->nodes[i];
        SANE(n->visits, 0);
        SANE(n->rps, 0);
        SANE(n->service_ms, 1);
        SANE(n->cv, 0);
        SANE(n->capacity_rps, 0);
        SANE(n->utilization, 0);
        SANE(n->quota_per_s, 0);
        SANE(n->units_per_request, 0);
        SANE(n->p_wait, 0);
        SANE(n->wait_ms, 1);
        SANE(n->sojourn_ms, 1);
        SANE(n->sojourn_p99_ms, 1);
        SANE(n->response_ms, 1);
    }
    for (int j = 0; j < r->nedges; j++) {
        SANE(r->edges[j].rps, 0);
        SANE(r->edges[j].rtt_ms, 1);
        SANE(r->edges[j].cross_zone, 0);
    }
    for (int k = 0; k < r->nops; k++) {
        const azb_op_result *o = &r->ops[k];
        SANE(o->rps, 0);
        SANE(o->latency.mean, 1);
        SANE(o->latency.p50, 1);
        SANE(o->latency.p95, 1);
        SANE(o->latency.p99, 1);
        SANE(o->network_ms, 1);
    }
#undef SANE
    return fails;
}

/* ---- one M/M/c node is the closed form ----------------------------------- */

/* A node of count 1, concurrency c, exponential service of 1 s (so mu = 1
 * and the reference's times are seconds), entered directly with no calls
 * out: its sojourn, and the end-to-end latency, are M/M/c and nothing else. */
static azb_design *mmc_design(const azb_catalog *cat, int c, double service_ms, double rps)
{
    char nodes[256];
    char wl[96];
    snprintf(nodes, sizeof(nodes),
             "{'id': 'q', 'kind': 'vm', 'region': 'eastus', 'count': 1, 'concurrency': %d, "
             "'service_ms': %.17g, 'service_dist': 'exp'}",
             c, service_ms);
    snprintf(wl, sizeof(wl), "'entry': 'q', 'rps': %.17g", rps);
    return azbt_design(cat, nodes, "", wl);
}

static int check_single(const char *where, const azb_result *r, double w, double p50, double p95,
                        double p99, double tol)
{
    int fails = 0;
    const azb_node_result *n = &r->nodes[0];
    fails += near(where, "node sojourn mean", w, n->sojourn_ms, tol);
    fails += near(where, "node sojourn p99", p99, n->sojourn_p99_ms, tol);
    fails += near(where, "end-to-end mean", w, r->latency.mean, tol);
    fails += near(where, "end-to-end p50", p50, r->latency.p50, tol);
    fails += near(where, "end-to-end p95", p95, r->latency.p95, tol);
    fails += near(where, "end-to-end p99", p99, r->latency.p99, tol);
    fails += azbt_truth(where, "network 0", r->network_ms == 0.0);
    fails += azbt_truth(where, "not saturated", !r->saturated && !n->saturated && !r->clamped);
    return fails;
}

/* Every case of the shared reference (c = 1 to 64, rho 0.5 to 0.99), to
 * 0.1% as the issue asks (it holds to about 1e-9). */
static void test_mmc_reference(void **state)
{
    const azb_catalog *cat = *state;
    cJSON *doc = azbt_read_json(AZB_TEST_DATA "/erlang_reference.json");
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(doc, "cases");
    int fails = 0;
    int n = 0;
    const cJSON *cs = NULL;
    cJSON_ArrayForEach(cs, cases)
    {
        int c = (int)azbt_num(cs, "c");
        double lam = azbt_num(cs, "lam");
        assert_true(azbt_num(cs, "mu") == 1.0);
        char where[64];
        snprintf(where, sizeof(where), "reference c=%d rho=%g", c, azbt_num(cs, "rho"));
        azb_design *d = mmc_design(cat, c, 1000.0, lam);
        azb_result *r = azbt_run(d, cat, 0.0);
        fails += check_single(where, r, 1000.0 * azbt_num(cs, "W"), 1000.0 * azbt_num(cs, "W_p50"),
                              1000.0 * azbt_num(cs, "W_p95"), 1000.0 * azbt_num(cs, "W_p99"), 1e-3);
        fails += near(where, "P_wait", azbt_num(cs, "P_wait"), r->nodes[0].p_wait, 1e-9);
        fails += near(where, "wait", 1000.0 * azbt_num(cs, "Wq"), r->nodes[0].wait_ms, 1e-9);
        fails += azbt_truth(where, "one queue of c servers",
                            r->nodes[0].queues == 1 && r->nodes[0].servers == c &&
                                r->nodes[0].queueing == AZB_QUEUEING_PER_INSTANCE);
        azb_result_destroy(r);
        azb_design_destroy(d);
        n++;
    }
    cJSON_Delete(doc);
    assert_true(n >= 30);
    assert_int_equal(fails, 0);
}

/* Erlang C computed here in log space, a different method from the
 * engine's Erlang B recursion: C = T / (S + T) with S = sum_{k<c} a^k/k!
 * and T = a^c/c! x c/(c - a), every term scaled by the largest. */
static double erlang_c_log(int c, double a)
{
    double lt = (double)c * log(a) - lgamma((double)c + 1.0) + log((double)c / ((double)c - a));
    double lmax = lt;
    for (int k = 0; k < c; k++) {
        double lk = (double)k * log(a) - lgamma((double)k + 1.0);
        lmax = fmax(lmax, lk);
    }
    double s = 0.0;
    for (int k = 0; k < c; k++) {
        s += exp((double)k * log(a) - lgamma((double)k + 1.0) - lmax);
    }
    double t = exp(lt - lmax);
    return t / (s + t);
}

/* P(sojourn > t) of M/M/c: service Exp(mu) plus a wait that is Exp(theta)
 * with probability C, theta = c mu - lambda (the hypoexponential form). */
static double mmc_tail(double C, double mu, double theta, double t)
{
    double h = fabs(theta - mu) < 1e-12 * mu
                   ? exp(-mu * t) * (1.0 + mu * t)
                   : (theta * exp(-mu * t) - mu * exp(-theta * t)) / (theta - mu);
    return (1.0 - C) * exp(-mu * t) + C * h;
}

static double mmc_quantile(double C, double mu, double theta, double q)
{
    double lo = 0.0;
    double hi = 1.0;
    while (mmc_tail(C, mu, theta, hi) > 1.0 - q) {
        hi *= 2.0;
    }
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        if (mmc_tail(C, mu, theta, mid) > 1.0 - q) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}

/* Large c, where a naive Erlang C overflows: c from 100 to 1,000 at
 * utilisation up to 0.99, against the log-space values above. */
static void test_mmc_large_c(void **state)
{
    const azb_catalog *cat = *state;
    static const int cs[] = {1, 7, 100, 250, 500, 1000};
    static const double rhos[] = {0.5, 0.8, 0.9, 0.95, 0.99};
    int fails = 0;
    for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
        for (size_t k = 0; k < sizeof(rhos) / sizeof(rhos[0]); k++) {
            int c = cs[i];
            double mu = 1.0; /* per second: service 1 s */
            double lam = rhos[k] * (double)c * mu;
            double C = erlang_c_log(c, lam / mu);
            double theta = (double)c * mu - lam;
            double w = 1.0 / mu + C / theta;
            char where[64];
            snprintf(where, sizeof(where), "log-space c=%d rho=%g", c, rhos[k]);
            azb_design *d = mmc_design(cat, c, 1000.0, lam);
            azb_result *r = azbt_run(d, cat, 0.0);
            fails += check_single(where, r, 1000.0 * w, 1000.0 * mmc_quantile(C, mu, theta, 0.50),
                                  1000.0 * mmc_quantile(C, mu, theta, 0.95),
                                  1000.0 * mmc_quantile(C, mu, theta, 0.99), 1e-3);
            fails += near(where, "P_wait", C, r->nodes[0].p_wait, 1e-6);
            azb_result_destroy(r);
            azb_design_destroy(d);
        }
    }
    assert_int_equal(fails, 0);
}

/* M/M/1: W = S/(1 - rho), a wait with probability rho, the sojourn
 * exponential so every quantile is -ln(1 - q) W. */
static void test_mm1(void **state)
{
    const azb_catalog *cat = *state;
    static const double rhos[] = {0.1, 0.5, 0.9, 0.99};
    const double s = 10.0; /* ms */
    int fails = 0;
    for (size_t i = 0; i < sizeof(rhos) / sizeof(rhos[0]); i++) {
        double rho = rhos[i];
        double lam = rho * 1000.0 / s;
        double w = s / (1.0 - rho);
        char where[48];
        snprintf(where, sizeof(where), "M/M/1 rho=%g", rho);
        azb_design *d = mmc_design(cat, 1, s, lam);
        azb_result *r = azbt_run(d, cat, 0.0);
        fails += check_single(where, r, w, -log(0.50) * w, -log(0.05) * w, -log(0.01) * w, 1e-6);
        fails += near(where, "P_wait", rho, r->nodes[0].p_wait, 1e-12);
        fails += near(where, "wait", rho * w, r->nodes[0].wait_ms, 1e-12);
        fails += near(where, "utilization", rho, r->nodes[0].utilization, 1e-12);
        fails += near(where, "capacity", 1000.0 / s, r->nodes[0].capacity_rps, 1e-12);
        fails += near(where, "max throughput", 1000.0 / s, r->max_throughput_rps, 1e-12);
        fails += azbt_truth(where, "bottleneck q", r->bottleneck == 0);
        azb_result_destroy(r);
        azb_design_destroy(d);
    }
    assert_int_equal(fails, 0);
}

/* ---- visit ratios ------------------------------------------------------- */

#define VM(id) "{'id': '" id "', 'kind': 'vm', 'region': 'eastus'}"

static const struct {
    const char *name;
    const char *nodes;
    const char *edges;
    const char *ids[5];
    double visits[5];
} visit_cases[] = {
    /* a calls b with p 0.3 and c twice; both call d: d = 0.3 + 2 */
    {"fan-out and calls",
     VM("a") "," VM("b") "," VM("c") "," VM("d"),
     "{'from': 'a', 'to': 'b', 'p': 0.3}, {'from': 'a', 'to': 'c', 'calls': 2},"
     "{'from': 'b', 'to': 'd'}, {'from': 'c', 'to': 'd'}",
     {"a", "b", "c", "d"},
     {1.0, 0.3, 2.0, 2.3}},
    /* cache with hit_ratio 0.8: misses (0.2) go to db, half the hits to log */
    {"cache hit and miss",
     VM("a") ",{'id': 'cache', 'kind': 'redis', 'region': 'eastus', 'hit_ratio': 0.8}," VM(
         "db") "," VM("log"),
     "{'from': 'a', 'to': 'cache'}, {'from': 'cache', 'to': 'db', 'on': 'miss'},"
     "{'from': 'cache', 'to': 'log', 'on': 'hit', 'p': 0.5}",
     {"a", "cache", "db", "log"},
     {1.0, 1.0, 0.2, 0.4}},
    /* b calls back a with p 0.5: a = 1 + 0.5 + 0.25 + ... = 2, b = a */
    {"loop of two",
     VM("a") "," VM("b"),
     "{'from': 'a', 'to': 'b'}, {'from': 'b', 'to': 'a', 'p': 0.5}",
     {"a", "b"},
     {2.0, 2.0}},
    /* b retries itself with p 0.2: b = 1 + 0.2 + 0.04 + ... = 1/0.8 */
    {"retry self-loop",
     VM("a") "," VM("b"),
     "{'from': 'a', 'to': 'b'}, {'from': 'b', 'to': 'b', 'p': 0.2}",
     {"a", "b"},
     {1.0, 1.25}},
    /* a calls b 3 times; b -> c (0.4), c -> b (0.25): each of the 3 calls
     * brings 1 + 0.1 + 0.01 + ... = 1/0.9 visits to b, so b = 3/0.9,
     * c = 0.4 b, and c calls d twice: d = 0.8 b */
    {"loop with calls",
     VM("a") "," VM("b") "," VM("c") "," VM("d"),
     "{'from': 'a', 'to': 'b', 'calls': 3}, {'from': 'b', 'to': 'c', 'p': 0.4},"
     "{'from': 'c', 'to': 'b', 'p': 0.25}, {'from': 'c', 'to': 'd', 'calls': 2}",
     {"a", "b", "c", "d"},
     {1.0, 3.0 / 0.9, 0.4 * 3.0 / 0.9, 0.8 * 3.0 / 0.9}},
};

static void test_visits(void **state)
{
    const azb_catalog *cat = *state;
    int fails = 0;
    for (size_t i = 0; i < sizeof(visit_cases) / sizeof(visit_cases[0]); i++) {
        azb_design *d =
            azbt_design(cat, visit_cases[i].nodes, visit_cases[i].edges, "'entry': 'a', 'rps': 10");
        azb_result *r = azbt_run(d, cat, 0.0);
        for (int k = 0; k < 5 && visit_cases[i].ids[k] != NULL; k++) {
            int u = azbt_node_of(d, visit_cases[i].ids[k]);
            char where[256];
            snprintf(where, sizeof(where), "%s, node %s", visit_cases[i].name,
                     visit_cases[i].ids[k]);
            fails += near(where, "visits", visit_cases[i].visits[k], r->nodes[u].visits, 1e-12);
            fails += near(where, "rps", 10.0 * visit_cases[i].visits[k], r->nodes[u].rps, 1e-12);
        }
        /* An edge carries its caller's visits x p x calls. */
        for (int j = 0; j < d->nedges; j++) {
            const azb_edge *e = &d->edges[j];
            double h = 1.0;
            if (e->on != AZB_ON_ALWAYS) {
                double hit = azb_node_setting_num(&d->nodes[e->from_idx], "hit_ratio", 0.0);
                h = e->on == AZB_ON_HIT ? hit : 1.0 - hit;
            }
            char where[256];
            snprintf(where, sizeof(where), "%s, edge %s -> %s", visit_cases[i].name, e->from,
                     e->to);
            fails += near(where, "edge rps", r->nodes[e->from_idx].rps * e->p * e->calls * h,
                          r->edges[j].rps, 1e-12);
        }
        fails += check_sane(visit_cases[i].name, r);
        azb_result_destroy(r);
        azb_design_destroy(d);
    }
    assert_int_equal(fails, 0);
}

/* ---- Little's law --------------------------------------------------------- */

/* For calls that are all sync, the mean latency is the time spent in nodes
 * plus the time spent on the wire: E[T] = sum_u v_u s_u + sum_e (rate_e /
 * lambda) rtt_e. Multiplying by lambda, sum_u rps_u s_u (the mean number of
 * requests inside all nodes, by Little's law per node) = lambda (E[T] -
 * network). It holds for any all-sync graph, loops included. */
static void test_little(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = azbt_design(
        cat,
        "{'id': 'users', 'kind': 'clients', 'geo': 'europe'},"
        "{'id': 'lb', 'kind': 'load_balancer', 'region': 'westeurope', 'zones': [1, 2, 3]},"
        "{'id': 'web', 'kind': 'vm', 'count': 3, 'region': 'westeurope', 'zones': [1, 2, 3]},"
        "{'id': 'cache', 'kind': 'redis', 'region': 'westeurope', 'zones': [1]},"
        "{'id': 'api', 'kind': 'app_service', 'sku': 'P1v3', 'count': 2, 'region': 'northeurope'},"
        "{'id': 'db', 'kind': 'sql_database', 'sku': 'GP_Gen5_4', 'region': 'northeurope'},"
        "{'id': 'blob', 'kind': 'blob_storage', 'region': 'westeurope'}",
        "{'from': 'users', 'to': 'lb'}, {'from': 'lb', 'to': 'web'},"
        "{'from': 'web', 'to': 'cache'}, {'from': 'cache', 'to': 'db', 'on': 'miss'},"
        "{'from': 'web', 'to': 'api', 'p': 0.4, 'calls': 2}, {'from': 'api', 'to': 'db'},"
        "{'from': 'api', 'to': 'api', 'p': 0.1}, {'from': 'web', 'to': 'blob', 'p': 0.25}",
        "'entry': 'users', 'rps': 300");
    azb_result *r = azbt_run(d, cat, 0.0);
    double in_nodes = 0.0;
    for (int u = 0; u < r->nnodes; u++) {
        in_nodes += r->nodes[u].rps * r->nodes[u].sojourn_ms;
    }
    double wire = 0.0;
    for (int j = 0; j < r->nedges; j++) {
        wire += r->edges[j].rps * r->edges[j].rtt_ms;
    }
    int fails = 0;
    fails +=
        near("Little", "network_ms = sum rate x rtt / lambda", wire / 300.0, r->network_ms, 1e-9);
    fails += near("Little", "sum rps x sojourn = lambda (mean - network)", in_nodes,
                  300.0 * (r->latency.mean - r->network_ms), 1e-9);
    fails += check_sane("Little", r);
    azb_result_destroy(r);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* ---- saturation and the bottleneck ---------------------------------------- */

static const struct {
    const char *name;
    double rps;
    int db_calls;
    const char *bottleneck;
    double max;
    bool saturated;
} sat_cases[] = {
    /* web: 2 x 4 servers at 20 ms = 400/s; db: 4 servers at 8 ms = 500/s,
     * visited 0.5 times (max 1,000/s) or 3 times (max 166.7/s) */
    {"under web's capacity", 300.0, 0, "web", 400.0, false},
    {"just under", 399.9, 0, "web", 400.0, false},
    {"over web's capacity", 500.0, 0, "web", 400.0, true},
    {"far over", 1e7, 0, "web", 400.0, true},
    {"db called 3 times", 150.0, 3, "db", 500.0 / 3.0, false},
    {"db called 3 times, over", 200.0, 3, "db", 500.0 / 3.0, true},
};

static void test_saturation(void **state)
{
    const azb_catalog *cat = *state;
    int fails = 0;
    for (size_t i = 0; i < sizeof(sat_cases) / sizeof(sat_cases[0]); i++) {
        char edges[256];
        if (sat_cases[i].db_calls > 0) {
            snprintf(edges, sizeof(edges),
                     "{'from': 'users', 'to': 'web'}, {'from': 'web', 'to': 'db', 'calls': %d}",
                     sat_cases[i].db_calls);
        } else {
            snprintf(edges, sizeof(edges),
                     "{'from': 'users', 'to': 'web'}, {'from': 'web', 'to': 'db', 'p': 0.5}");
        }
        azb_design *d = azbt_design(
            cat,
            "{'id': 'users', 'kind': 'clients', 'geo': 'north-america'},"
            "{'id': 'web', 'kind': 'vm', 'sku': 'Standard_B2s', 'count': 2, 'region': 'eastus'},"
            "{'id': 'db', 'kind': 'sql_database', 'sku': 'GP_Gen5_2', 'region': 'eastus'}",
            edges, "'entry': 'users', 'rps': 100");
        azb_result *r = azbt_run(d, cat, sat_cases[i].rps);
        const char *w = sat_cases[i].name;
        int b = azbt_node_of(d, sat_cases[i].bottleneck);
        fails += azbt_truth(w, sat_cases[i].bottleneck, r->bottleneck == b);
        fails += near(w, "max throughput", sat_cases[i].max, r->max_throughput_rps, 1e-12);
        fails += azbt_truth(w, "saturated flag", r->saturated == sat_cases[i].saturated);
        fails += near(w, "throughput", sat_cases[i].saturated ? sat_cases[i].max : sat_cases[i].rps,
                      r->throughput_rps, 1e-12);
        fails += azbt_truth(w, "bottleneck node saturated",
                            r->nodes[b].saturated == sat_cases[i].saturated);
        fails += azbt_truth(w, "clamped iff saturated", r->clamped == sat_cases[i].saturated);
        if (sat_cases[i].saturated) {
            fails += azbt_truth(w, "utilisation over 1", r->nodes[b].utilization > 1.0);
            fails += azbt_truth(w, "latency at the cap",
                                r->latency.mean == AZB_MODEL_MAX_MS &&
                                    r->latency.p99 == AZB_MODEL_MAX_MS);
            fails += azbt_truth(w, "node clamped",
                                r->nodes[b].clamped && r->nodes[b].sojourn_ms == AZB_MODEL_MAX_MS);
        } else {
            fails += azbt_truth(w, "latency below the cap", r->latency.p99 < AZB_MODEL_MAX_MS);
        }
        fails += check_sane(w, r);
        azb_result_destroy(r);
        azb_design_destroy(d);
    }
    assert_int_equal(fails, 0);
}

/* ---- pooled versus per-instance queues -------------------------------------- */

/* Four instances of four servers (20 ms, exponential) behind a load
 * balancer at utilisation 0.95: four M/M/4 queues each taking a quarter of
 * the load, or one M/M/16 when the balancer uses least connections.
 * Computed independently: per instance W = 109.1 ms, p99 471 ms; pooled W =
 * 39.5 ms, p99 144 ms; per-instance is 2.76x slower on the mean and 3.27x
 * at p99 (8 x 4: 3.8x and 4.4x; 4 x 8: 2.2x and 2.3x). */
static void test_pooled(void **state)
{
    const azb_catalog *cat = *state;
    const double lam = 0.95 * 16.0 * 50.0;
    double rt[2][2] = {{0}};
    int fails = 0;
    for (int pool = 0; pool < 2; pool++) {
        char nodes[512];
        snprintf(nodes, sizeof(nodes),
                 "{'id': 'lb', 'kind': 'load_balancer', 'region': 'eastus'%s},"
                 "{'id': 'web', 'kind': 'vm', 'sku': 'Standard_D2s_v5', 'count': 4, "
                 "'region': 'eastus', 'service_ms': 20, 'service_dist': 'exp'}",
                 pool ? ", 'balancing': 'least_connections'" : "");
        azb_design *d =
            azbt_design(cat, nodes, "{'from': 'lb', 'to': 'web'}", "'entry': 'lb', 'rps': 1");
        azb_result *r = azbt_run(d, cat, lam);
        const azb_node_result *n = &r->nodes[azbt_node_of(d, "web")];
        const char *w = pool ? "pooled" : "per instance";
        fails += azbt_truth(
            w, "queueing", n->queueing == (pool ? AZB_QUEUEING_POOLED : AZB_QUEUEING_PER_INSTANCE));
        fails += azbt_truth(w, "queues", n->queues == (pool ? 1 : 4));
        fails += azbt_truth(w, "servers per queue", n->servers_per_queue == (pool ? 16 : 4));
        fails += azbt_truth(w, "servers", n->servers == 16);
        fails += near(w, "utilisation", 0.95, n->utilization, 1e-12);
        int c = pool ? 16 : 4;
        double lq = pool ? lam : lam / 4.0;
        double mu = 1000.0 / 20.0;
        double C = erlang_c_log(c, lq / mu);
        double theta = (double)c * mu - lq;
        fails += near(w, "sojourn", 1000.0 * (1.0 / mu + C / theta), n->sojourn_ms, 1e-9);
        fails += near(w, "p99", 1000.0 * mmc_quantile(C, mu, theta, 0.99), n->sojourn_p99_ms, 1e-6);
        rt[pool][0] = n->sojourn_ms;
        rt[pool][1] = n->sojourn_p99_ms;
        azb_result_destroy(r);
        azb_design_destroy(d);
    }
    double mean_ratio = rt[0][0] / rt[1][0];
    double p99_ratio = rt[0][1] / rt[1][1];
    fails += near("per instance / pooled", "mean ratio", 2.76, mean_ratio, 0.01);
    fails += near("per instance / pooled", "p99 ratio", 3.27, p99_ratio, 0.01);
    fails +=
        azbt_truth("per instance / pooled", "2.5x to 4x", mean_ratio >= 2.5 && p99_ratio <= 4.0);
    assert_int_equal(fails, 0);
}

/* Least connections set on the node itself pools it too; an explicit other
 * policy on the node wins over the balancer's. */
static void test_pooled_where(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *lb;
        const char *web;
        azb_queueing want;
    } cases[] = {
        {"", "", AZB_QUEUEING_PER_INSTANCE},
        {"", ", 'balancing': 'least_connections'", AZB_QUEUEING_POOLED},
        {", 'balancing': 'least_connections'", "", AZB_QUEUEING_POOLED},
        {", 'balancing': 'least_connections'", ", 'balancing': 'hash'", AZB_QUEUEING_PER_INSTANCE},
        {", 'balancing': 'round_robin'", "", AZB_QUEUEING_PER_INSTANCE},
    };
    int fails = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char nodes[512];
        snprintf(nodes, sizeof(nodes),
                 "{'id': 'lb', 'kind': 'app_gateway', 'region': 'eastus'%s},"
                 "{'id': 'web', 'kind': 'vm', 'count': 3, 'region': 'eastus'%s}",
                 cases[i].lb, cases[i].web);
        azb_design *d =
            azbt_design(cat, nodes, "{'from': 'lb', 'to': 'web'}", "'entry': 'lb', 'rps': 10");
        azb_result *r = azbt_run(d, cat, 0.0);
        char where[64];
        snprintf(where, sizeof(where), "balancing case %zu", i);
        azb_queueing got = r->nodes[1].queueing;
        if (got != cases[i].want) {
            print_error("%s: expected %s got %s\n", where, azb_model_queueing_name(cases[i].want),
                        azb_model_queueing_name(got));
            fails++;
        }
        azb_result_destroy(r);
        azb_design_destroy(d);
    }
    assert_int_equal(fails, 0);
}

/* ---- operations --------------------------------------------------------- */

/* Reads go through the cache (misses to the database), writes go to the
 * database twice. Each operation's mean is its own path, summed by hand
 * from the result's node sojourns and edge round trips. */
static void test_operations(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = azbt_design(
        cat,
        "{'id': 'users', 'kind': 'clients', 'geo': 'north-america'},"
        "{'id': 'app', 'kind': 'app_service', 'sku': 'P1v3', 'count': 3, 'region': 'eastus'},"
        "{'id': 'cache', 'kind': 'redis', 'region': 'eastus', 'hit_ratio': 0.9},"
        "{'id': 'db', 'kind': 'sql_database', 'sku': 'GP_Gen5_4', 'region': 'eastus'}",
        "{'from': 'users', 'to': 'app'},"
        "{'from': 'app', 'to': 'cache', 'ops': ['GET /item']},"
        "{'from': 'cache', 'to': 'db', 'on': 'miss'},"
        "{'from': 'app', 'to': 'db', 'calls': 2, 'ops': ['PUT /item']}",
        "'entry': 'users', 'rps': 200, 'operations': ["
        "{'name': 'GET /item', 'share': 0.8}, {'name': 'PUT /item', 'share': 0.2, 'write': true}]");
    azb_result *r = azbt_run(d, cat, 0.0);
    int fails = 0;
    const azb_node_result *app = &r->nodes[azbt_node_of(d, "app")];
    const azb_node_result *cache = &r->nodes[azbt_node_of(d, "cache")];
    const azb_node_result *db = &r->nodes[azbt_node_of(d, "db")];
    double r_in = r->edges[edge_of(d, "users", "app")].rtt_ms;
    double r_ac = r->edges[edge_of(d, "app", "cache")].rtt_ms;
    double r_cd = r->edges[edge_of(d, "cache", "db")].rtt_ms;
    double r_ad = r->edges[edge_of(d, "app", "db")].rtt_ms;
    double get = r_in + app->sojourn_ms + r_ac + cache->sojourn_ms + 0.1 * (r_cd + db->sojourn_ms);
    double put = r_in + app->sojourn_ms + 2.0 * (r_ad + db->sojourn_ms);
    assert_int_equal(r->nops, 2);
    fails += azbt_truth("ops", "names",
                        strcmp(r->ops[0].name, "GET /item") == 0 &&
                            strcmp(r->ops[1].name, "PUT /item") == 0);
    fails += near("GET /item", "mean", get, r->ops[0].latency.mean, 1e-9);
    fails += near("PUT /item", "mean", put, r->ops[1].latency.mean, 1e-9);
    fails += near("GET /item", "rps", 160.0, r->ops[0].rps, 1e-12);
    fails += near("PUT /item", "rps", 40.0, r->ops[1].rps, 1e-12);
    fails += near("all", "mean", 0.8 * get + 0.2 * put, r->latency.mean, 1e-9);
    /* db: 0.8 x 0.1 (read misses) + 0.2 x 2 (writes) */
    fails += near("db", "visits", 0.8 * 0.1 + 0.2 * 2.0, db->visits, 1e-12);
    fails += near("cache", "visits", 0.8, cache->visits, 1e-12);
    fails += azbt_truth("ops", "writes slower than reads",
                        r->ops[1].latency.p99 > r->ops[0].latency.p99 + 5.0);
    fails += azbt_truth("ops", "percentiles ordered",
                        r->ops[0].latency.p50 <= r->ops[0].latency.p95 &&
                            r->ops[0].latency.p95 <= r->ops[0].latency.p99 &&
                            r->latency.p50 <= r->latency.p99);
    fails +=
        azbt_truth("ops", "paths enumerated", !r->ops[0].fitted && !r->ops[1].fitted && !r->fitted);
    fails += check_sane("ops", r);
    azb_result_destroy(r);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* Cosmos DB: reads cost 1 RU and writes 5 (catalog), so 1,000 RU/s at 90%
 * reads carries 1000 / (0.9 x 1 + 0.1 x 5) = 714.3 requests/s. */
static void test_quota(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d =
        azbt_design(cat,
                    "{'id': 'app', 'kind': 'vm', 'count': 4, 'region': 'eastus'},"
                    "{'id': 'db', 'kind': 'cosmos_db', 'region': 'eastus', 'ru_per_s': 1000}",
                    "{'from': 'app', 'to': 'db'}",
                    "'entry': 'app', 'rps': 500, 'operations': [{'name': 'read', 'share': "
                    "0.9}, {'name': 'write', 'share': 0.1, 'write': true}]");
    azb_result *r = azbt_run(d, cat, 0.0);
    const azb_node_result *db = &r->nodes[1];
    const azb_capacity *cap = &d->nodes[1].sku_ref->capacity;
    double upv = 0.9 * cap->cost_read + 0.1 * cap->cost_write;
    int fails = 0;
    fails += azbt_truth("cosmos", "quota queueing", db->queueing == AZB_QUEUEING_QUOTA);
    fails += near("cosmos", "RU per request", upv, db->units_per_request, 1e-12);
    fails += near("cosmos", "quota", 1000.0, db->quota_per_s, 1e-12);
    fails += near("cosmos", "capacity", 1000.0 / upv, db->capacity_rps, 1e-12);
    fails += near("cosmos", "utilisation", 500.0 * upv / 1000.0, db->utilization, 1e-12);
    fails += near("cosmos", "no queue: sojourn = service", cap->service_ms, db->sojourn_ms, 1e-12);
    fails += azbt_truth("cosmos", "no wait", db->wait_ms == 0.0 && db->p_wait == 0.0);
    azb_result_destroy(r);
    /* Over the quota: throttled, the bottleneck. */
    r = azbt_run(d, cat, 800.0);
    fails += azbt_truth("cosmos over quota", "bottleneck db", r->bottleneck == 1 && r->saturated);
    fails += near("cosmos over quota", "max", 1000.0 / upv, r->max_throughput_rps, 1e-12);
    fails += check_sane("cosmos over quota", r);
    azb_result_destroy(r);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* Azure OpenAI. Pay as you go (gpt-4o GlobalStandard): the default quota of
 * 450,000 tokens/min over 500 + 200 tokens per request = 10.7 requests/s,
 * 600 ms to first token + 200 tokens at 50/s = 4.6 s. Provisioned (100
 * PTU x 2,500 TPM): output tokens count 4x, so 250,000 / (500 + 4 x 200) =
 * 3.2 requests/s, 500 ms + 200 at 40/s = 5.5 s. Every figure is read from
 * the catalog here, so the test checks the formula, not the prices. */
static void test_openai(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        const char *name;
        const char *node;
        const char *ops;
        double tin, tout;
    } cases[] = {
        {"PAYG", "'sku': 'gpt-4o_GlobalStandard'", "", 500, 200},
        {"PAYG tpm 900k", "'sku': 'gpt-4o_GlobalStandard', 'tpm': 900000", "", 500, 200},
        {"PTU 100", "'sku': 'gpt-4o_GlobalProvisioned', 'ptu': 100", "", 500, 200},
        {"PAYG node tokens", "'sku': 'gpt-4o_GlobalStandard', 'tokens_in': 2000, 'tokens_out': 400",
         "", 2000, 400},
        {"PAYG op tokens", "'sku': 'gpt-4o_GlobalStandard'",
         ", 'operations': [{'name': 'ask', 'share': 1, 'tokens_in': 1000, 'tokens_out': 50}]", 1000,
         50},
    };
    double cap_payg = 0.0;
    double cap_ptu = 0.0;
    int fails = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char nodes[256];
        char wl[256];
        snprintf(nodes, sizeof(nodes),
                 "{'id': 'llm', 'kind': 'azure_openai', 'region': 'eastus', %s}", cases[i].node);
        snprintf(wl, sizeof(wl), "'entry': 'llm', 'rps': 1%s", cases[i].ops);
        azb_design *d = azbt_design(cat, nodes, "", wl);
        azb_result *r = azbt_run(d, cat, 0.0);
        const azb_node *n = &d->nodes[0];
        const azb_capacity *c = &n->sku_ref->capacity;
        double tpm = c->quota;
        double setting = azb_node_setting_num(n, c->quota_setting, 0.0);
        if (setting > 0.0) {
            tpm = setting * c->quota_per_unit;
        }
        double upr = cases[i].tin * c->cost_read + cases[i].tout * c->cost_write;
        double svc = c->ttft_ms + cases[i].tout / c->tokens_per_s * 1000.0;
        const azb_node_result *R = &r->nodes[0];
        fails += near(cases[i].name, "tokens per request", upr, R->units_per_request, 1e-12);
        fails += near(cases[i].name, "capacity", tpm / 60.0 / upr, R->capacity_rps, 1e-12);
        fails += near(cases[i].name, "service", svc, R->service_ms, 1e-12);
        fails += near(cases[i].name, "latency mean", svc, r->latency.mean, 1e-12);
        if (i == 0) {
            cap_payg = R->capacity_rps;
        } else if (i == 2) {
            cap_ptu = R->capacity_rps;
        }
        azb_result_destroy(r);
        azb_design_destroy(d);
    }
    fails += azbt_truth("PAYG vs PTU", "different capacities", fabs(cap_payg - cap_ptu) > 1.0);
    assert_int_equal(fails, 0);
}

/* ---- network -------------------------------------------------------------- */

static void test_network(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = azbt_design(
        cat,
        "{'id': 'eu', 'kind': 'clients', 'geo': 'europe', 'share': 0.5},"
        "{'id': 'na', 'kind': 'clients', 'geo': 'north-america', 'share': 0.5},"
        "{'id': 'fd', 'kind': 'front_door'},"
        "{'id': 'tm', 'kind': 'traffic_manager'},"
        "{'id': 'a', 'kind': 'vm', 'region': 'eastus', 'zones': [1]},"
        "{'id': 'b', 'kind': 'vm', 'region': 'eastus', 'zones': [1]},"
        "{'id': 'c', 'kind': 'vm', 'region': 'eastus', 'zones': [1, 2, 3]},"
        "{'id': 'e', 'kind': 'vm', 'region': 'eastus'},"
        "{'id': 'f', 'kind': 'vm', 'region': 'westeurope'},"
        "{'id': 'g', 'kind': 'vm', 'region': 'eastus', 'zones': [2, 3]}",
        "{'from': 'eu', 'to': 'fd'}, {'from': 'fd', 'to': 'a'}, {'from': 'na', 'to': 'tm'},"
        "{'from': 'tm', 'to': 'f'}, {'from': 'a', 'to': 'b'}, {'from': 'a', 'to': 'c'},"
        "{'from': 'a', 'to': 'e'}, {'from': 'a', 'to': 'f'}, {'from': 'c', 'to': 'g'}",
        "'rps': 10");
    azb_result *r = azbt_run(d, cat, 0.0);
    int eastus = azb_catalog_find_region(cat, "eastus");
    int westeu = azb_catalog_find_region(cat, "westeurope");
    int europe = azb_catalog_find_geo(cat, "europe");
    int namer = azb_catalog_find_geo(cat, "north-america");
    double intra = cat->intra_zone_rtt_ms;
    double inter = cat->inter_zone_rtt_ms;
    static const struct {
        const char *from, *to;
        azb_hop hop;
    } hops[] = {{"eu", "fd", AZB_HOP_INTERNET}, {"fd", "a", AZB_HOP_BACKBONE},
                {"na", "tm", AZB_HOP_DNS},      {"tm", "f", AZB_HOP_INTERNET},
                {"a", "b", AZB_HOP_ZONE},       {"a", "c", AZB_HOP_REGION},
                {"a", "e", AZB_HOP_REGION},     {"a", "f", AZB_HOP_INTER_REGION},
                {"c", "g", AZB_HOP_REGION}};
    double want[] = {
        AZB_MODEL_ACCESS_RTT_MS,
        azb_catalog_client_rtt_ms(cat, europe, eastus) - AZB_MODEL_ACCESS_RTT_MS,
        0.0,
        azb_catalog_client_rtt_ms(cat, namer, westeu),
        intra,
        intra / 3.0 + inter * 2.0 / 3.0, /* c is in zone 1 a third of the time */
        inter,                           /* e's zone is unknown */
        azb_catalog_rtt_ms(cat, eastus, westeu),
        /* c over 3 zones, g over 2: same zone with probability 2/(3 x 2) */
        intra / 3.0 + inter * 2.0 / 3.0,
    };
    double cross[] = {0, 0, 0, 0, 0, 2.0 / 3.0, 1.0, 0, 2.0 / 3.0};
    int fails = 0;
    for (size_t i = 0; i < sizeof(hops) / sizeof(hops[0]); i++) {
        char where[160];
        snprintf(where, sizeof(where), "edge %s -> %s", hops[i].from, hops[i].to);
        const azb_edge_result *e = &r->edges[edge_of(d, hops[i].from, hops[i].to)];
        fails += near(where, "rtt", want[i], e->rtt_ms, 1e-12);
        fails += near(where, "cross zone", cross[i], e->cross_zone, 1e-12);
        if (e->hop != hops[i].hop) {
            print_error("%s: hop expected %s got %s\n", where, azb_model_hop_name(hops[i].hop),
                        azb_model_hop_name(e->hop));
            fails++;
        }
    }
    fails += check_sane("network", r);
    azb_result_destroy(r);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* Front Door sends each user to the nearer origin whatever the p's say
 * (they add up to 1, so they are alternatives): 70% of users in North
 * America all go to eastus, 30% in Europe all to westeurope. */
static void test_routing(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d =
        azbt_design(cat,
                    "{'id': 'na', 'kind': 'clients', 'geo': 'north-america', 'share': 0.7},"
                    "{'id': 'eu', 'kind': 'clients', 'geo': 'europe', 'share': 0.3},"
                    "{'id': 'fd', 'kind': 'front_door'},"
                    "{'id': 'us', 'kind': 'vm', 'count': 4, 'region': 'eastus'},"
                    "{'id': 'we', 'kind': 'vm', 'count': 4, 'region': 'westeurope'}",
                    "{'from': 'na', 'to': 'fd'}, {'from': 'eu', 'to': 'fd'},"
                    "{'from': 'fd', 'to': 'us', 'p': 0.5}, {'from': 'fd', 'to': 'we', 'p': 0.5}",
                    "'rps': 100");
    azb_result *r = azbt_run(d, cat, 0.0);
    int eastus = azb_catalog_find_region(cat, "eastus");
    int westeu = azb_catalog_find_region(cat, "westeurope");
    int europe = azb_catalog_find_geo(cat, "europe");
    int namer = azb_catalog_find_geo(cat, "north-america");
    int fails = 0;
    fails += near("routing", "us rps", 70.0, r->nodes[azbt_node_of(d, "us")].rps, 1e-12);
    fails += near("routing", "we rps", 30.0, r->nodes[azbt_node_of(d, "we")].rps, 1e-12);
    fails += near("routing", "fd -> us rtt",
                  azb_catalog_client_rtt_ms(cat, namer, eastus) - AZB_MODEL_ACCESS_RTT_MS,
                  r->edges[edge_of(d, "fd", "us")].rtt_ms, 1e-12);
    fails += near("routing", "fd -> we rtt",
                  azb_catalog_client_rtt_ms(cat, europe, westeu) - AZB_MODEL_ACCESS_RTT_MS,
                  r->edges[edge_of(d, "fd", "we")].rtt_ms, 1e-12);
    /* each population: last mile + POP + backbone + its region's VM */
    const azb_node_result *fd = &r->nodes[azbt_node_of(d, "fd")];
    double na = azb_catalog_client_rtt_ms(cat, namer, eastus) + fd->sojourn_ms +
                r->nodes[azbt_node_of(d, "us")].sojourn_ms;
    double eu = azb_catalog_client_rtt_ms(cat, europe, westeu) + fd->sojourn_ms +
                r->nodes[azbt_node_of(d, "we")].sojourn_ms;
    fails += near("routing", "mean", 0.7 * na + 0.3 * eu, r->latency.mean, 1e-9);
    azb_result_destroy(r);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* ---- path percentiles against the shared tandem reference -------------------- */

/* lambda = 6.4/s -> lb M/M/1 (mu 10) -> app M/M/8 (mu 1) -> with p 0.3 db
 * M/M/2 (mu 1.2). The reference's quantiles assume independent stages, as
 * the model does; the nodes share a zone, so the network adds 0.91 ms or
 * 1.82 ms to sums of seconds (under 0.1%). */
static void test_tandem(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d = azbt_design(
        cat,
        "{'id': 'lb', 'kind': 'vm', 'region': 'eastus', 'zones': [1], 'concurrency': 1, "
        "'service_ms': 100, 'service_dist': 'exp'},"
        "{'id': 'app', 'kind': 'vm', 'region': 'eastus', 'zones': [1], 'concurrency': 8, "
        "'service_ms': 1000, 'service_dist': 'exp'},"
        "{'id': 'db', 'kind': 'vm', 'region': 'eastus', 'zones': [1], 'concurrency': 2, "
        "'service_ms': 833.33333333333333, 'service_dist': 'exp'}",
        "{'from': 'lb', 'to': 'app'}, {'from': 'app', 'to': 'db', 'p': 0.3}",
        "'entry': 'lb', 'rps': 6.4");
    cJSON *doc = azbt_read_json(AZB_TEST_DATA "/erlang_reference.json");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "tandem_network");
    azb_result *r = azbt_run(d, cat, 0.0);
    int fails = 0;
    fails += near("tandem", "mean minus network", 1000.0 * azbt_num(t, "W_mean_exact"),
                  r->latency.mean - r->network_ms, 1e-9);
    fails += near("tandem", "network", 1.3 * cat->intra_zone_rtt_ms, r->network_ms, 1e-12);
    fails += near("tandem", "p50", 1000.0 * azbt_num(t, "W_p50_indep"), r->latency.p50, 2e-3);
    fails += near("tandem", "p95", 1000.0 * azbt_num(t, "W_p95_indep"), r->latency.p95, 1e-3);
    fails += near("tandem", "p99", 1000.0 * azbt_num(t, "W_p99_indep"), r->latency.p99, 1e-3);
    fails += azbt_truth("tandem", "enumerated, not fitted", !r->fitted);
    azb_result_destroy(r);
    cJSON_Delete(doc);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* The moment fit, used when paths are too many to enumerate. A chain of
 * 70 M/M/1 nodes (each sojourn exponential, mean 10 ms) is deeper than the
 * enumeration goes; the sum of 70 i.i.d. exponentials is Erlang-70, whose
 * quantiles are computed here exactly, plus the chain's fixed round trips. */
static double erlang_tail(int n, double rate, double t)
{
    double term = 1.0;
    double sum = 1.0;
    for (int k = 1; k < n; k++) {
        term *= rate * t / (double)k;
        sum += term;
    }
    return exp(-rate * t) * sum;
}

static void test_fit(void **state)
{
    const azb_catalog *cat = *state;
    enum { N = 70 };
    azbt_buf nodes = {0};
    azbt_buf edges = {0};
    for (int i = 0; i < N; i++) {
        /* service 5 ms at rho 0.5: each sojourn is Exp with mean 10 ms */
        azbt_buf_printf(&nodes,
                        "%s{'id': 'n%d', 'kind': 'vm', 'region': 'eastus', 'zones': [1], "
                        "'concurrency': 1, 'service_ms': 5, 'service_dist': 'exp'}",
                        i ? "," : "", i);
        if (i > 0) {
            azbt_buf_printf(&edges, "%s{'from': 'n%d', 'to': 'n%d'}", i > 1 ? "," : "", i - 1, i);
        }
    }
    azb_design *d = azbt_design(cat, nodes.data, edges.data, "'entry': 'n0', 'rps': 100");
    free(nodes.data);
    free(edges.data);
    azb_result *r = azbt_run(d, cat, 0.0);
    double shift = (N - 1) * cat->intra_zone_rtt_ms;
    int fails = 0;
    fails += azbt_truth("chain of 70", "fitted", r->fitted);
    fails += near("chain of 70", "mean", N * 10.0 + shift, r->latency.mean, 1e-9);
    static const double qs[] = {0.5, 0.95, 0.99};
    double got[] = {r->latency.p50, r->latency.p95, r->latency.p99};
    for (int k = 0; k < 3; k++) {
        double lo = 0.0;
        double hi = 10000.0;
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            if (erlang_tail(N, 0.1, mid) > 1.0 - qs[k]) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        char field[32];
        snprintf(field, sizeof(field), "p%g", 100.0 * qs[k]);
        /* a gamma with shape 70 matched on three moments, then fitted by
         * the queue module's Erlang-16 stage: within 1% */
        fails += near("chain of 70", field, lo + shift, got[k], 1e-9);
    }
    azb_result_destroy(r);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* ---- async calls, autoscale -------------------------------------------------- */

/* An async send waits for the broker (round trip + its sojourn) and no
 * more: the worker and database behind the queue are not in the latency,
 * though they carry the load. A fire-and-forget call to a server costs its
 * round trip. A data store's own async edges (replication to another
 * region, lifecycle moves) are background work nobody waits for. */
static void test_async(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *d =
        azbt_design(cat,
                    "{'id': 'api', 'kind': 'vm', 'region': 'eastus'},"
                    "{'id': 'bus', 'kind': 'service_bus', 'region': 'eastus'},"
                    "{'id': 'worker', 'kind': 'functions', 'region': 'eastus', 'count': 4},"
                    "{'id': 'db', 'kind': 'sql_database', 'region': 'eastus'},"
                    "{'id': 'hook', 'kind': 'vm', 'region': 'westus2'},"
                    "{'id': 'blob', 'kind': 'blob_storage', 'region': 'eastus'},"
                    "{'id': 'dr', 'kind': 'blob_storage', 'region': 'westus'}",
                    "{'from': 'api', 'to': 'bus', 'mode': 'async'},"
                    "{'from': 'bus', 'to': 'worker', 'mode': 'async'},"
                    "{'from': 'worker', 'to': 'db'},"
                    "{'from': 'api', 'to': 'hook', 'mode': 'async', 'p': 0.5},"
                    "{'from': 'api', 'to': 'blob'},"
                    "{'from': 'blob', 'to': 'dr', 'mode': 'async'}",
                    "'entry': 'api', 'rps': 20");
    azb_result *r = azbt_run(d, cat, 0.0);
    int fails = 0;
    double want = r->nodes[0].sojourn_ms + r->edges[0].rtt_ms + r->nodes[1].sojourn_ms +
                  0.5 * r->edges[3].rtt_ms + r->edges[4].rtt_ms + r->nodes[5].sojourn_ms;
    fails += near("async", "mean = api + enqueue + half a fire-and-forget + blob", want,
                  r->latency.mean, 1e-12);
    fails += near("async", "blob's response excludes its replication", r->nodes[5].sojourn_ms,
                  r->nodes[5].response_ms, 1e-12);
    fails += near("async", "worker carries the load", 20.0, r->nodes[2].rps, 1e-12);
    fails += near("async", "db carries the load", 20.0, r->nodes[3].rps, 1e-12);
    fails += near("async", "the replica carries the load", 20.0, r->nodes[6].rps, 1e-12);
    fails += check_sane("async", r);
    azb_result_destroy(r);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* Autoscale settles at ceil(rps x S / (k x target)) instances within
 * [min, max]: 4 servers of 20 ms are 200/s an instance, 100/s at the 0.5
 * target, so 350/s takes 4 and 700/s 7. Capacity (and the maximum
 * throughput) is at max: 10 x 200 = 2,000/s. */
static void test_autoscale(void **state)
{
    const azb_catalog *cat = *state;
    static const struct {
        double rps;
        int instances;
    } cases[] = {{0.0001, 2}, {350.0, 4}, {700.0, 7}, {1900.0, 10}, {2500.0, 10}};
    int fails = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        azb_design *d = azbt_design(cat,
                                    "{'id': 'web', 'kind': 'vm', 'region': 'eastus', 'count': 2, "
                                    "'concurrency': 4, 'service_ms': 20, "
                                    "'autoscale': {'min': 2, 'max': 10, 'target': 0.5}}",
                                    "", "'entry': 'web', 'rps': 1");
        azb_result *r = azbt_run(d, cat, cases[i].rps);
        char where[48];
        snprintf(where, sizeof(where), "autoscale at %g rps", cases[i].rps);
        const azb_node_result *n = &r->nodes[0];
        fails += azbt_truth(where, "instances", n->instances == cases[i].instances);
        fails += azbt_truth(where, "max instances", n->max_instances == 10);
        fails += near(where, "capacity at max", 2000.0, n->capacity_rps, 1e-12);
        fails += near(where, "utilisation", cases[i].rps / (200.0 * cases[i].instances),
                      n->utilization, 1e-12);
        fails += azbt_truth(where, "saturated past max", r->saturated == (cases[i].rps >= 2000.0));
        fails += check_sane(where, r);
        azb_result_destroy(r);
        azb_design_destroy(d);
    }
    assert_int_equal(fails, 0);
}

/* ---- reuse, errors, names ----------------------------------------------------- */

static int same_result(const azb_result *a, const azb_result *b)
{
    if (a->nnodes != b->nnodes || a->nedges != b->nedges || a->nops != b->nops) {
        return 0;
    }
    return memcmp(&a->latency, &b->latency, sizeof(a->latency)) == 0 &&
           a->max_throughput_rps == b->max_throughput_rps && a->bottleneck == b->bottleneck &&
           memcmp(a->nodes, b->nodes, (size_t)a->nnodes * sizeof(*a->nodes)) == 0 &&
           memcmp(a->edges, b->edges, (size_t)a->nedges * sizeof(*a->edges)) == 0 &&
           memcmp(a->ops, b->ops, (size_t)a->nops * sizeof(*a->ops)) == 0;
}

static void test_update_reuse(void **state)
{
    const azb_catalog *cat = *state;
    azb_design *small = mmc_design(cat, 4, 20.0, 100.0);
    azb_design *big =
        azbt_design(cat,
                    "{'id': 'users', 'kind': 'clients', 'geo': 'europe'},"
                    "{'id': 'app', 'kind': 'vm', 'region': 'westeurope', 'count': 3},"
                    "{'id': 'db', 'kind': 'cosmos_db', 'region': 'westeurope', 'ru_per_s': 4000},"
                    "{'id': 'llm', 'kind': 'azure_openai', 'region': 'westeurope'}",
                    "{'from': 'users', 'to': 'app'}, {'from': 'app', 'to': 'db', 'calls': 2},"
                    "{'from': 'app', 'to': 'llm', 'ops': ['ask']}",
                    "'rps': 5, 'operations': [{'name': 'ask', 'share': 0.3, 'tokens_out': 100},"
                    "{'name': 'list', 'share': 0.7}]");
    azb_result *r = azb_model_reserve(NULL);
    assert_non_null(r);
    azb_errors errs;
    azb_errors_init(&errs);
    int fails = 0;
    const azb_design *seq[] = {small, big, small, big};
    const double rps[] = {100.0, 0.0, 50.0, 3.0};
    for (int i = 0; i < 4; i++) {
        assert_true(azb_model_update(r, seq[i], cat, rps[i], &errs));
        azb_result *fresh = azbt_run(seq[i], cat, rps[i]);
        char where[32];
        snprintf(where, sizeof(where), "update %d", i);
        fails += azbt_truth(where, "same as a fresh run", same_result(r, fresh));
        azb_result_destroy(fresh);
    }
    azb_errors_free(&errs);
    azb_result_destroy(r);
    azb_design_destroy(small);
    azb_design_destroy(big);
    assert_int_equal(fails, 0);
}

static void test_errors(void **state)
{
    const azb_catalog *cat = *state;
    int fails = 0;
    azb_errors errs;
    azb_errors_init(&errs);
    /* nothing to enter by */
    azb_design *empty = azb_design_create("empty");
    assert_null(azb_model_run(empty, cat, 10.0, &errs));
    fails +=
        azbt_truth("empty design", "an error about the entry", azbt_errors_contain(&errs, "entry"));
    azb_design_destroy(empty);
    /* not validated */
    azb_errors_clear(&errs);
    azb_design *d = mmc_design(cat, 2, 10.0, 10.0);
    d->nodes[0].kind_ref = NULL;
    assert_null(azb_model_run(d, cat, 10.0, &errs));
    fails += azbt_truth("unvalidated design", "an error saying so",
                        azbt_errors_contain(&errs, "validate"));
    /* a result whose update failed holds nothing */
    azb_result *r = azb_model_reserve(d);
    assert_non_null(r);
    assert_false(azb_model_update(r, d, cat, 1.0, NULL));
    fails += azbt_truth("failed update", "no nodes", r->nnodes == 0 && r->bottleneck == -1);
    d->nodes[0].kind_ref = azb_catalog_find_kind(cat, "vm");
    /* NaN and negative offered load mean the workload's */
    assert_true(azb_model_update(r, d, cat, NAN, NULL));
    fails += near("NaN rps", "offered", 10.0, r->offered_rps, 0.0);
    assert_true(azb_model_update(r, d, cat, -5.0, NULL));
    fails += near("negative rps", "offered", 10.0, r->offered_rps, 0.0);
    fails += check_sane("NaN rps", r);
    azb_result_destroy(r);
    azb_design_destroy(d);
    azb_result_destroy(NULL);
    /* a node without a region is a warning, not an error */
    azb_errors_clear(&errs);
    d = azbt_design(cat, "{'id': 'a', 'kind': 'vm'}", "", "'entry': 'a', 'rps': 1");
    r = azb_model_run(d, cat, 0.0, &errs);
    fails += azbt_truth("no region", "runs", r != NULL);
    fails +=
        azbt_truth("no region", "warns",
                   azbt_errors_contain(&errs, "no region") && azb_errors_count_errors(&errs) == 0);
    azb_result_destroy(r);
    azb_design_destroy(d);
    azb_errors_free(&errs);
    fails += azbt_truth("names", "queueing",
                        strcmp(azb_model_queueing_name(AZB_QUEUEING_POOLED), "pooled") == 0 &&
                            strcmp(azb_model_queueing_name(AZB_QUEUEING_COUNT), "?") == 0);
    fails += azbt_truth("names", "hop",
                        strcmp(azb_model_hop_name(AZB_HOP_BACKBONE), "backbone") == 0 &&
                            strcmp(azb_model_hop_name((azb_hop)-1), "?") == 0);
    assert_int_equal(fails, 0);
}

/* ---- every shipped design gives a full, finite result ------------------------ */

static void test_scenarios(void **state)
{
    const azb_catalog *cat = *state;
    size_t len = 0;
    char *text = azbt_read(AZB_SOURCE_DATA "/scenarios/index.json", &len);
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    assert_non_null(doc);
    int fails = 0;
    int n = 0;
    const cJSON *p = NULL;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(doc, "prompts"))
    {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p, "id"));
        static const char *const files[] = {"reference.json", "starter.json"};
        for (int f = 0; f < 2 && id != NULL; f++) {
            char path[512];
            snprintf(path, sizeof(path), "%s/scenarios/%s/%s", AZB_SOURCE_DATA, id, files[f]);
            FILE *fp = fopen(path, "rb");
            if (fp == NULL) {
                continue;
            }
            fclose(fp);
            azb_errors errs;
            azb_errors_init(&errs);
            azb_design *d = azb_design_load(path, cat, &errs);
            if (d == NULL) {
                azbt_print_errors(&errs);
                fails++;
                azb_errors_free(&errs);
                continue;
            }
            azb_result *r = azb_model_run(d, cat, 0.0, &errs);
            fails += azbt_truth(path, "model runs", r != NULL);
            if (r != NULL) {
                fails += check_sane(path, r);
                fails += azbt_truth(path, "a bottleneck", r->bottleneck >= 0);
                azb_result_destroy(r);
            }
            azb_errors_free(&errs);
            azb_design_destroy(d);
            n++;
        }
    }
    cJSON_Delete(doc);
    assert_true(n > 0);
    assert_int_equal(fails, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mmc_reference), cmocka_unit_test(test_mmc_large_c),
        cmocka_unit_test(test_mm1),           cmocka_unit_test(test_visits),
        cmocka_unit_test(test_little),        cmocka_unit_test(test_saturation),
        cmocka_unit_test(test_pooled),        cmocka_unit_test(test_pooled_where),
        cmocka_unit_test(test_operations),    cmocka_unit_test(test_quota),
        cmocka_unit_test(test_openai),        cmocka_unit_test(test_network),
        cmocka_unit_test(test_routing),       cmocka_unit_test(test_tandem),
        cmocka_unit_test(test_fit),           cmocka_unit_test(test_async),
        cmocka_unit_test(test_autoscale),     cmocka_unit_test(test_update_reuse),
        cmocka_unit_test(test_errors),        cmocka_unit_test(test_scenarios),
    };
    return cmocka_run_group_tests(tests, azbt_setup_catalog, azbt_teardown_catalog);
}
