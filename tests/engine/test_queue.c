/* Queueing mathematics: Erlang B/C, M/M/c against an independent exact
 * implementation (tests/data/erlang_reference.json), closed forms computed
 * here (M/M/1, M/M/1/K, the hypoexponential, brute-force balance equations in
 * long double), large c against Erlang C in log space, saturation, and the
 * path latency function.
 *
 * Contract violations (c < 1, mu <= 0, lambda < 0, q >= 1, NaN arguments,
 * NULL pointers, stages with p_wait outside [0, 1]) assert, as azb_queue.h
 * documents; they are not exercised here. The nonsense that is legal (zero
 * load, t < 0, q = 0, empty paths, constant services, zero weights) is. */
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
#include "azbt.h"

/* ---- comparing numbers, and saying which case failed ------------------ */

/* ---- the shared reference: exact M/M/c from an independent program ----- */

static cJSON *load_reference(void)
{
    size_t len = 0;
    char *text = azbt_read(AZB_TEST_DATA "/erlang_reference.json", &len);
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    free(text);
    assert_non_null(doc);
    return doc;
}

static bool has(const cJSON *obj, const char *key)
{
    return cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(obj, key));
}

static const struct {
    const char *key;
    double q;
} wait_q[] = {{"Wq_p50", 0.50}, {"Wq_p95", 0.95}, {"Wq_p99", 0.99}};

static const struct {
    const char *key;
    double q;
} soj_q[] = {{"W_p50", 0.50}, {"W_p95", 0.95}, {"W_p99", 0.99}, {"W_p999", 0.999}};

/* Every field of one reference case; the sojourn quantiles both from the
 * closed form (to 1e-9) and from the path function as a one-stage path (to
 * 1e-8: it inverts a transform numerically, to about 1e-11). */
static int check_mmc_case(const char *where, const cJSON *cs)
{
    const double rel = 1e-9;
    const double abs_tol = 1e-12;
    int fails = 0;
    double lam = azbt_num(cs, "lam");
    double mu = azbt_num(cs, "mu");
    int c = (int)azbt_num(cs, "c");
    azb_queue_result r;
    azb_queue_mmc(lam, mu, c, &r);
    fails += azbt_truth(where, "stable", r.stable);
    fails += azbt_near(where, "a", azbt_num(cs, "a"), r.a, rel, abs_tol);
    fails += azbt_near(where, "rho", azbt_num(cs, "rho"), r.rho, rel, abs_tol);
    fails += azbt_near(where, "P_wait", azbt_num(cs, "P_wait"), r.p_wait, rel, abs_tol);
    fails += azbt_near(where, "P_wait = erlang_c", azbt_num(cs, "P_wait"),
                       azb_queue_erlang_c(c, lam / mu), rel, abs_tol);
    fails += azbt_near(where, "Wq", azbt_num(cs, "Wq"), r.wq, rel, abs_tol);
    fails += azbt_near(where, "W", azbt_num(cs, "W"), r.w, rel, abs_tol);
    fails += azbt_near(where, "Lq", azbt_num(cs, "Lq"), r.lq, rel, abs_tol);
    fails += azbt_near(where, "L", azbt_num(cs, "L"), r.l, rel, abs_tol);
    for (size_t i = 0; i < sizeof(wait_q) / sizeof(wait_q[0]); i++) {
        double t = -1.0;
        fails +=
            azbt_truth(where, "wait quantile ok", azb_queue_wait_quantile(&r, wait_q[i].q, &t));
        fails += azbt_near(where, wait_q[i].key, azbt_num(cs, wait_q[i].key), t, rel, abs_tol);
    }
    azb_queue_stage st = azb_queue_make_stage(&r);
    azb_queue_path path = {&st, 1, 0.0};
    double qs[4] = {0};
    const char *keys[4] = {0};
    int nq = 0;
    for (size_t i = 0; i < sizeof(soj_q) / sizeof(soj_q[0]); i++) {
        if (!has(cs, soj_q[i].key)) {
            continue;
        }
        double t = -1.0;
        double expect = azbt_num(cs, soj_q[i].key);
        fails += azbt_truth(where, "sojourn quantile ok",
                            azb_queue_sojourn_quantile(&r, soj_q[i].q, &t));
        fails += azbt_near(where, soj_q[i].key, expect, t, rel, abs_tol);
        fails += azbt_near(where, "sojourn_cdf at the quantile", soj_q[i].q,
                           azb_queue_sojourn_cdf(&r, expect), 1e-9, 1e-12);
        fails += azbt_near(where, "sojourn_tail at the quantile", 1.0 - soj_q[i].q,
                           azb_queue_sojourn_tail(&r, expect), 1e-9, 1e-15);
        qs[nq] = soj_q[i].q;
        keys[nq] = soj_q[i].key;
        nq++;
    }
    azb_queue_latency lat;
    azb_queue_path_latency(&path, nq, qs, &lat);
    fails += azbt_near(where, "path mean", azbt_num(cs, "W"), lat.mean, 1e-12, 0.0);
    for (int i = 0; i < nq; i++) {
        char field[64];
        snprintf(field, sizeof(field), "path %s", keys[i]);
        fails += azbt_near(where, field, azbt_num(cs, keys[i]), lat.t[i], 1e-8, 0.0);
    }
    return fails;
}

static void test_reference_cases(void **state)
{
    (void)state;
    cJSON *doc = load_reference();
    int fails = 0;
    int count = 0;
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(doc, "cases");
    assert_true(cJSON_IsArray(cases));
    const cJSON *cs = NULL;
    cJSON_ArrayForEach(cs, cases)
    {
        char where[96];
        snprintf(where, sizeof(where), "case c=%d lam=%g mu=%g", (int)azbt_num(cs, "c"),
                 azbt_num(cs, "lam"), azbt_num(cs, "mu"));
        fails += check_mmc_case(where, cs);
        count++;
    }
    fails += check_mmc_case("benchmark_case_mmc_c4_lam3p6",
                            cJSON_GetObjectItemCaseSensitive(doc, "benchmark_case_mmc_c4_lam3p6"));
    const cJSON *stations = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, "tandem_network"), "stations");
    cJSON_ArrayForEach(cs, stations)
    {
        char where[96];
        snprintf(where, sizeof(where), "tandem station %s", cs->string);
        fails += check_mmc_case(where, cs);
        count++;
    }
    cJSON_Delete(doc);
    assert_int_equal(count, 33);
    assert_int_equal(fails, 0);
}

/* lam 6.4 -> lb -> app -> (w.p. 0.3) db: a mixture of two series paths. */
static void test_reference_tandem(void **state)
{
    (void)state;
    cJSON *doc = load_reference();
    const cJSON *tn = cJSON_GetObjectItemCaseSensitive(doc, "tandem_network");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(tn, "stations");
    const char *names[3] = {"lb", "app", "db"};
    azb_queue_stage stages[3];
    for (int i = 0; i < 3; i++) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(st, names[i]);
        azb_queue_result r;
        azb_queue_mmc(azbt_num(s, "lam"), azbt_num(s, "mu"), (int)azbt_num(s, "c"), &r);
        stages[i] = azb_queue_make_stage(&r);
    }
    azb_queue_path paths[2] = {{stages, 2, 0.0}, {stages, 3, 0.0}};
    double w[2] = {0.7, 0.3};
    double qs[3] = {0.5, 0.95, 0.99};
    const char *keys[3] = {"W_p50_indep", "W_p95_indep", "W_p99_indep"};
    azb_queue_latency lat;
    azb_queue_mix_latency(paths, w, 2, 3, qs, &lat);
    int fails =
        azbt_near("tandem", "W_mean_exact", azbt_num(tn, "W_mean_exact"), lat.mean, 1e-12, 0.0);
    for (int i = 0; i < 3; i++) {
        fails += azbt_near("tandem", keys[i], azbt_num(tn, keys[i]), lat.t[i], 1e-8, 0.0);
        fails += azbt_near("tandem", "mix_tail at the quantile", 1.0 - qs[i],
                           azb_queue_mix_tail(paths, w, 2, azbt_num(tn, keys[i])), 1e-8, 0.0);
    }
    cJSON_Delete(doc);
    assert_int_equal(fails, 0);
}

/* ---- M/M/1 in closed form, computed here --------------------------------- */

static void test_mm1_closed_form(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        double lam;
        double mu;
    } cases[] = {
        {"light", 1.0, 10.0},         {"half", 50.0, 100.0},     {"busy", 0.9, 1.0},
        {"very busy", 999.0, 1000.0}, {"ms units", 0.02, 0.025}, {"rho 1-1e-6", 1.0 - 1e-6, 1.0},
    };
    static const double qs[] = {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 0.99999};
    int fails = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double lam = cases[i].lam;
        double mu = cases[i].mu;
        double rho = lam / mu;
        azb_queue_result r;
        azb_queue_mmc(lam, mu, 1, &r);
        char where[96];
        snprintf(where, sizeof(where), "M/M/1 %s (lam=%g mu=%g)", cases[i].name, lam, mu);
        fails += azbt_near(where, "P_wait = rho", rho, r.p_wait, 1e-14, 0.0);
        fails += azbt_near(where, "W = 1/(mu-lam)", 1.0 / (mu - lam), r.w, 1e-9, 0.0);
        fails += azbt_near(where, "Wq = rho/(mu-lam)", rho / (mu - lam), r.wq, 1e-9, 0.0);
        fails += azbt_near(where, "L = rho/(1-rho)", rho / (1.0 - rho), r.l, 1e-9, 0.0);
        for (size_t k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
            double q = qs[k];
            char field[64];
            double t = -1.0;
            azb_queue_sojourn_quantile(&r, q, &t);
            snprintf(field, sizeof(field), "W_p%g = -ln(1-q)/(mu-lam)", 100.0 * q);
            fails += azbt_near(where, field, -log1p(-q) / (mu - lam), t, 1e-9, 0.0);
            azb_queue_wait_quantile(&r, q, &t);
            double wq = q <= 1.0 - rho ? 0.0 : log(rho / (1.0 - q)) / (mu - lam);
            snprintf(field, sizeof(field), "Wq_p%g", 100.0 * q);
            fails += azbt_near(where, field, wq, t, 1e-9, 1e-12 / mu);
        }
        double t1 = 2.0 / (mu - lam);
        fails += azbt_near(where, "sojourn_tail(t) = e^-(mu-lam)t", exp(-2.0),
                           azb_queue_sojourn_tail(&r, t1), 1e-9, 0.0);
        fails += azbt_near(where, "wait_tail(t) = rho e^-(mu-lam)t", rho * exp(-2.0),
                           azb_queue_wait_tail(&r, t1), 1e-12, 0.0);
        fails += azbt_near(where, "wait_cdf(0) = 1 - rho", 1.0 - rho, azb_queue_wait_cdf(&r, 0.0),
                           1e-12, 1e-15);
    }
    assert_int_equal(fails, 0);
}

/* ---- Erlang B and C: small hand values, then large c in log space -------- */

static void test_erlang_small(void **state)
{
    (void)state;
    static const struct {
        int c;
        double a;
        double b;  /* Erlang B */
        double cw; /* Erlang C, or -1 when a >= c */
    } cases[] = {
        {1, 0.0, 0.0, 0.0},
        {1, 0.5, 1.0 / 3.0, 0.5},
        {1, 1.0, 0.5, -1.0},
        {2, 1.0, 0.2, 1.0 / 3.0},
        {3, 2.0, 4.0 / 19.0, 4.0 / 9.0},
        /* B(4, 2) = (16/24)/(1 + 2 + 2 + 8/6 + 16/24) = 2/21 */
        {4, 2.0, 2.0 / 21.0, 4.0 / 23.0},
        {2, 5.0, 25.0 / 37.0, -1.0},
    };
    int fails = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char where[64];
        snprintf(where, sizeof(where), "erlang c=%d a=%g", cases[i].c, cases[i].a);
        fails += azbt_near(where, "B", cases[i].b, azb_queue_erlang_b(cases[i].c, cases[i].a),
                           1e-14, 1e-300);
        double cw = cases[i].cw < 0.0 ? 1.0 : cases[i].cw;
        fails +=
            azbt_near(where, "C", cw, azb_queue_erlang_c(cases[i].c, cases[i].a), 1e-14, 1e-300);
    }
    assert_int_equal(fails, 0);
}

/* Erlang B and C from log(a^k/k!) = k log a - lgamma(k+1) in long double,
 * summed with the largest term factored out: nothing over- or underflows. */
static void erlang_logspace(int c, double a, long double *b, long double *cw)
{
    long double la = logl((long double)a);
    long double rho = (long double)a / c;
    long double lmax = -INFINITY;
    for (int k = 0; k <= c; k++) {
        long double lt = k * la - lgammal((long double)k + 1.0L);
        if (lt > lmax) {
            lmax = lt;
        }
    }
    long double sum = 0.0L;
    for (int k = 0; k <= c; k++) {
        sum += expl(k * la - lgammal((long double)k + 1.0L) - lmax);
    }
    long double top = expl(c * la - lgammal((long double)c + 1.0L) - lmax);
    *b = top / sum;
    long double tail = top / (1.0L - rho);
    *cw = tail / (sum - top + tail);
}

static void test_erlang_large_c(void **state)
{
    (void)state;
    static const struct {
        int c;
        double rho;
    } cases[] = {
        {1000, 0.5}, {1000, 0.99}, {10000, 0.5}, {10000, 0.99}, {100000, 0.99}, {100000, 0.999},
    };
    int fails = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int c = cases[i].c;
        double a = cases[i].rho * c;
        char where[64];
        snprintf(where, sizeof(where), "large c=%d rho=%g", c, cases[i].rho);
        long double eb = 0.0L;
        long double ec = 0.0L;
        erlang_logspace(c, a, &eb, &ec);
        double b = azb_queue_erlang_b(c, a);
        double cw = azb_queue_erlang_c(c, a);
        fails += azbt_truth(where, "B finite in [0,1]", isfinite(b) && b >= 0.0 && b <= 1.0);
        fails += azbt_truth(where, "C finite in [0,1]", isfinite(cw) && cw >= 0.0 && cw <= 1.0);
        fails += azbt_near(where, "Erlang B vs log space", (double)eb, b, 1e-9, 1e-300);
        fails += azbt_near(where, "Erlang C vs log space", (double)ec, cw, 1e-9, 1e-300);
        azb_queue_result r;
        azb_queue_mmc(a, 1.0, c, &r);
        fails += azbt_truth(where, "stable", r.stable);
        fails += azbt_truth(where, "finite fields",
                            isfinite(r.wq) && isfinite(r.w) && isfinite(r.lq) && isfinite(r.l));
        double t = -1.0;
        azb_queue_sojourn_quantile(&r, 0.99, &t);
        fails += azbt_truth(where, "p99 finite and >= the service p99",
                            isfinite(t) && t >= -log(0.01) * (1.0 - 1e-12));
    }
    assert_int_equal(fails, 0);
}

/* ---- M/M/c/K --------------------------------------------------------------- */

/* M/M/1/K: p_n = (1-rho) rho^n / (1 - rho^(K+1)); L = rho/(1-rho) -
 * (K+1) rho^(K+1)/(1 - rho^(K+1)); at rho = 1 every state has 1/(K+1). */
static void test_mm1k_closed_form(void **state)
{
    (void)state;
    static const double rhos[] = {0.25, 0.5, 0.9, 1.0, 1.5, 3.0};
    static const int ks[] = {1, 2, 5, 10, 50};
    int fails = 0;
    for (size_t i = 0; i < sizeof(rhos) / sizeof(rhos[0]); i++) {
        for (size_t j = 0; j < sizeof(ks) / sizeof(ks[0]); j++) {
            double rho = rhos[i];
            int k = ks[j];
            double mu = 2.0;
            double lam = rho * mu;
            double pk = 0.0;
            double l = 0.0;
            if (rho == 1.0) {
                pk = 1.0 / (k + 1.0);
                l = k / 2.0;
            } else {
                double rk1 = pow(rho, k + 1.0);
                pk = (1.0 - rho) * pow(rho, k) / (1.0 - rk1);
                l = rho / (1.0 - rho) - (k + 1.0) * rk1 / (1.0 - rk1);
            }
            double p0 = rho == 1.0 ? pk : (1.0 - rho) / (1.0 - pow(rho, k + 1.0));
            double thr = lam * (1.0 - pk);
            char where[64];
            snprintf(where, sizeof(where), "M/M/1/K rho=%g K=%d", rho, k);
            azb_queue_mmck_result r;
            azb_queue_mmck(lam, mu, 1, k, &r);
            fails += azbt_near(where, "p_block", pk, r.p_block, 1e-12, 0.0);
            fails += azbt_near(where, "L", l, r.l, 1e-12, 0.0);
            fails += azbt_near(where, "Lq = L - (1 - p0)", l - (1.0 - p0), r.lq, 1e-11, 1e-15);
            fails += azbt_near(where, "throughput", thr, r.throughput, 1e-12, 0.0);
            fails += azbt_near(where, "W = L/throughput", l / thr, r.w, 1e-12, 0.0);
            fails += azbt_near(where, "busy = 1 - p0", 1.0 - p0, r.busy, 1e-12, 0.0);
        }
    }
    assert_int_equal(fails, 0);
}

/* The balance equations of M/M/c/K solved by brute force in long double. */
static void mmck_brute(double lam, double mu, int c, int k, long double out[6])
{
    long double p[512];
    long double sum = 0.0L;
    p[0] = 1.0L;
    for (int n = 1; n <= k; n++) {
        p[n] = p[n - 1] * (long double)lam / ((long double)mu * (n < c ? n : c));
    }
    for (int n = 0; n <= k; n++) {
        sum += p[n];
    }
    long double l = 0.0L;
    long double lq = 0.0L;
    long double pw = 0.0L;
    for (int n = 0; n <= k; n++) {
        p[n] /= sum;
        l += n * p[n];
        lq += (n > c ? n - c : 0) * p[n];
        if (n >= c && n < k) {
            pw += p[n];
        }
    }
    long double thr = (long double)lam * (1.0L - p[k]);
    out[0] = p[k];
    out[1] = l;
    out[2] = lq;
    out[3] = l / thr;
    out[4] = lq / thr;
    out[5] = pw / (1.0L - p[k]);
}

static void test_mmck_brute_force(void **state)
{
    (void)state;
    static const struct {
        int c;
        int k;
        double rho;
    } cases[] = {
        {2, 2, 0.7},         {2, 3, 0.7},         {3, 10, 0.5},         {3, 10, 1.0},
        {3, 10, 1.0 + 1e-9}, {3, 10, 1.0 - 1e-9}, {4, 300, 1.0 - 1e-7}, {4, 300, 1.0 + 1e-7},
        {5, 12, 0.95},       {5, 12, 2.0},        {8, 8, 1.2},          {8, 40, 0.999},
        {16, 200, 0.9},      {16, 200, 1.1},      {64, 300, 0.8},       {64, 300, 1.5},
        {1, 400, 0.999999},
    };
    static const char *fields[6] = {"p_block", "L", "Lq", "W", "Wq", "p_wait"};
    int fails = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int c = cases[i].c;
        int k = cases[i].k;
        double mu = 0.5;
        double lam = cases[i].rho * c * mu;
        long double e[6];
        mmck_brute(lam, mu, c, k, e);
        azb_queue_mmck_result r;
        azb_queue_mmck(lam, mu, c, k, &r);
        double got[6] = {r.p_block, r.l, r.lq, r.w, r.wq, r.p_wait};
        char where[64];
        snprintf(where, sizeof(where), "M/M/c/K c=%d K=%d rho=%.10g", c, k, cases[i].rho);
        for (int f = 0; f < 6; f++) {
            fails += azbt_near(where, fields[f], (double)e[f], got[f], 1e-10, 1e-14);
        }
        fails +=
            azbt_near(where, "throughput", lam * (1.0 - (double)e[0]), r.throughput, 1e-12, 0.0);
    }
    assert_int_equal(fails, 0);
}

/* K = c is the Erlang loss system; K -> infinity is M/M/c when rho < 1, and
 * for rho > 1 the loss tends to 1 - 1/rho (the queue is full). */
static void test_mmck_limits(void **state)
{
    (void)state;
    int fails = 0;
    static const struct {
        int c;
        double rho;
    } cases[] = {{1, 0.5}, {4, 0.9}, {16, 0.99}, {1000, 0.95}, {20000, 0.999}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int c = cases[i].c;
        double lam = cases[i].rho * c;
        char where[64];
        snprintf(where, sizeof(where), "M/M/c/K limits c=%d rho=%g", c, cases[i].rho);
        azb_queue_mmck_result r;
        azb_queue_mmck(lam, 1.0, c, c, &r);
        fails += azbt_near(where, "K=c: p_block = Erlang B", azb_queue_erlang_b(c, lam), r.p_block,
                           1e-12, 0.0);
        fails += azbt_near(where, "K=c: no one waits", 0.0, r.lq + r.p_wait + r.wq, 0.0, 0.0);
        fails += azbt_near(where, "K=c: W = 1/mu", 1.0, r.w, 1e-12, 0.0);
        azb_queue_result m;
        azb_queue_mmc(lam, 1.0, c, &m);
        azb_queue_mmck(lam, 1.0, c, 2000000000, &r);
        fails += azbt_truth(where, "K=2e9: p_block ~ 0", r.p_block < 1e-300);
        fails += azbt_near(where, "K=2e9: Lq = M/M/c", m.lq, r.lq, 1e-9, 0.0);
        fails += azbt_near(where, "K=2e9: L = M/M/c", m.l, r.l, 1e-9, 0.0);
        fails += azbt_near(where, "K=2e9: Wq = M/M/c", m.wq, r.wq, 1e-9, 0.0);
        fails += azbt_near(where, "K=2e9: W = M/M/c", m.w, r.w, 1e-9, 0.0);
        fails += azbt_near(where, "K=2e9: P_wait = Erlang C", m.p_wait, r.p_wait, 1e-9, 0.0);
        /* overloaded and huge: finite, loss 1 - 1/rho, queue full */
        azb_queue_mmck(2.0 * c, 1.0, c, 1000000000, &r);
        fails += azbt_near(where, "rho=2 K=1e9: p_block = 1/2", 0.5, r.p_block, 1e-12, 0.0);
        fails +=
            azbt_near(where, "rho=2 K=1e9: throughput = c mu", (double)c, r.throughput, 1e-12, 0.0);
        fails += azbt_truth(where, "rho=2 K=1e9: finite",
                            isfinite(r.l) && isfinite(r.w) && isfinite(r.lq) && r.l > 9.9e8);
    }
    assert_int_equal(fails, 0);
}

/* ---- M/G/c -------------------------------------------------------------------- */

static void test_mgc(void **state)
{
    (void)state;
    static const struct {
        int c;
        double rho;
        double cs;
    } cases[] = {
        {1, 0.5, 0.0}, {1, 0.9, 0.0}, {1, 0.99, 0.0}, {1, 0.8, 0.5},   {1, 0.8, 2.0},
        {4, 0.8, 0.0}, {4, 0.8, 0.5}, {4, 0.9, 1.0},  {16, 0.95, 3.0},
    };
    int fails = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int c = cases[i].c;
        double mu = 4.0;
        double lam = cases[i].rho * c * mu;
        double cs = cases[i].cs;
        char where[64];
        snprintf(where, sizeof(where), "M/G/c c=%d rho=%g cs=%g", c, cases[i].rho, cs);
        azb_queue_result g;
        azb_queue_result m;
        azb_queue_mgc(lam, mu, c, cs, &g);
        azb_queue_mmc(lam, mu, c, &m);
        /* Allen-Cunneen: the M/M/c wait times (1 + cs^2)/2 */
        fails += azbt_near(where, "Wq = Wq(M/M/c) (1+cs^2)/2", m.wq * 0.5 * (1.0 + cs * cs), g.wq,
                           1e-14, 0.0);
        fails += azbt_near(where, "W = Wq + 1/mu", g.wq + 1.0 / mu, g.w, 1e-14, 0.0);
        fails += azbt_near(where, "L = lam W", lam * g.w, g.l, 1e-14, 0.0);
        fails += azbt_near(where, "P_wait = Erlang C", m.p_wait, g.p_wait, 0.0, 0.0);
        if (c == 1) {
            /* Pollaczek-Khinchine: Wq = lam E[S^2] / (2 (1 - rho)) */
            double es2 = (1.0 + cs * cs) / (mu * mu);
            double rho = lam / mu;
            fails += azbt_near(where, "P-K", lam * es2 / (2.0 * (1.0 - rho)), g.wq, 1e-12, 0.0);
            if (cs == 0.0) {
                fails += azbt_near(where, "M/D/1 rho/(2 mu (1-rho))",
                                   rho / (2.0 * mu * (1.0 - rho)), g.wq, 1e-12, 0.0);
            }
        }
        /* The sojourn law: mean of the path equals W; quantiles consistent. */
        azb_queue_stage st = azb_queue_make_stage(&g);
        azb_queue_path path = {&st, 1, 0.0};
        double qs[3] = {0.5, 0.99, 0.999};
        azb_queue_latency lat;
        azb_queue_path_latency(&path, 3, qs, &lat);
        fails += azbt_near(where, "path mean = W", g.w, lat.mean, 1e-12, 0.0);
        for (int k = 0; k < 3; k++) {
            double t = -1.0;
            azb_queue_sojourn_quantile(&g, qs[k], &t);
            fails += azbt_near(where, "sojourn_quantile = path quantile", lat.t[k], t, 1e-9, 0.0);
            fails += azbt_near(where, "sojourn_cdf(quantile) = q", qs[k],
                               azb_queue_sojourn_cdf(&g, t), 1e-8, 0.0);
        }
        if (cs == 0.0) {
            /* Constant service: the sojourn is 1/mu plus the wait, exactly. */
            double tw = 0.0;
            azb_queue_wait_quantile(&g, 0.99, &tw);
            fails +=
                azbt_near(where, "M/D/c p99 = 1/mu + wait p99", 1.0 / mu + tw, lat.t[1], 1e-9, 0.0);
        }
    }
    /* cs = 1 is M/M/c, field for field */
    azb_queue_result a;
    azb_queue_result b;
    azb_queue_mgc(3.0, 1.0, 4, 1.0, &a);
    azb_queue_mmc(3.0, 1.0, 4, &b);
    const double fa[] = {a.a, a.rho, a.throughput, a.p_wait, a.wait_rate, a.wq, a.w, a.lq, a.l};
    const double fb[] = {b.a, b.rho, b.throughput, b.p_wait, b.wait_rate, b.wq, b.w, b.lq, b.l};
    for (size_t i = 0; i < sizeof(fa) / sizeof(fa[0]); i++) {
        fails += azbt_near("M/G/c cs=1 vs M/M/c", "field", fb[i], fa[i], 0.0, 0.0);
    }
    fails += azbt_truth("M/G/c cs=1 vs M/M/c", "same stable", a.stable == b.stable);
    assert_int_equal(fails, 0);
}

/* ---- saturation ------------------------------------------------------------- */

static void test_saturation(void **state)
{
    (void)state;
    static const struct {
        int c;
        double rho;
        double cs;
    } cases[] = {{1, 1.0, 1.0}, {1, 1.5, 1.0},          {4, 1.0, 1.0},
                 {8, 3.0, 0.5}, {1000, 1.0000001, 1.0}, {2, 1e12, 2.0}};
    int fails = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int c = cases[i].c;
        double mu = 10.0;
        double lam = cases[i].rho * c * mu;
        char where[64];
        snprintf(where, sizeof(where), "saturated c=%d rho=%g cs=%g", c, cases[i].rho, cases[i].cs);
        azb_queue_result r;
        azb_queue_mgc(lam, mu, c, cases[i].cs, &r);
        fails += azbt_truth(where, "stable = false", !r.stable);
        fails += azbt_truth(where, "every field finite",
                            isfinite(r.a) && isfinite(r.rho) && isfinite(r.throughput) &&
                                isfinite(r.p_wait) && isfinite(r.wait_rate) && isfinite(r.wq) &&
                                isfinite(r.w) && isfinite(r.lq) && isfinite(r.l));
        fails += azbt_near(where, "throughput = c mu", c * mu, r.throughput, 1e-15, 0.0);
        fails += azbt_near(where, "p_wait", 1.0, r.p_wait, 0.0, 0.0);
        fails += azbt_near(where, "erlang_c", 1.0, azb_queue_erlang_c(c, lam / mu), 0.0, 0.0);
        double t = -1.0;
        fails += azbt_truth(where, "wait quantile false", !azb_queue_wait_quantile(&r, 0.5, &t));
        fails += azbt_near(where, "wait quantile t", 0.0, t, 0.0, 0.0);
        t = -1.0;
        fails +=
            azbt_truth(where, "sojourn quantile false", !azb_queue_sojourn_quantile(&r, 0.99, &t));
        fails += azbt_near(where, "sojourn quantile t", 0.0, t, 0.0, 0.0);
        fails += azbt_near(where, "wait_cdf", 0.0, azb_queue_wait_cdf(&r, 1e9), 0.0, 0.0);
        fails += azbt_near(where, "wait_tail", 1.0, azb_queue_wait_tail(&r, 1e9), 0.0, 0.0);
        fails += azbt_near(where, "sojourn_cdf", 0.0, azb_queue_sojourn_cdf(&r, 1e9), 0.0, 0.0);
        fails += azbt_near(where, "sojourn_tail", 1.0, azb_queue_sojourn_tail(&r, 1e9), 0.0, 0.0);
    }
    assert_int_equal(fails, 0);
}

/* ---- paths ---------------------------------------------------------------------- */

/* P(Exp(r1) + Exp(r2) > t) in long double: the Erlang-2 form when equal. */
static double hypo_tail(double r1, double r2, double t)
{
    long double a = r1;
    long double b = r2;
    long double x = t;
    if (r1 == r2) {
        return (double)(expl(-a * x) * (1.0L + a * x));
    }
    return (double)((b * expl(-a * x) - a * expl(-b * x)) / (b - a));
}

static void test_path_two_exponentials(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        double r1;
        double r2;
    } cases[] = {
        {"equal", 1.0, 1.0},       {"close", 1.0, 1.001},     {"2x", 1.0, 2.0},
        {"ms and s", 1000.0, 1.0}, {"s and ms", 1.0, 1000.0}, {"1e6 apart", 1e-3, 1e3},
        {"slow", 0.02, 0.05},
    };
    static const double qs[] = {0.01, 0.5, 0.9, 0.99, 0.999, 0.999999};
    int fails = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double r1 = cases[i].r1;
        double r2 = cases[i].r2;
        /* as two service-only stages, and as one stage that always waits */
        azb_queue_stage two[2] = {{0.0, 0.0, 1.0 / r1, 1.0}, {0.0, 0.0, 1.0 / r2, 1.0}};
        azb_queue_stage one = {1.0, r1, 1.0 / r2, 1.0};
        azb_queue_path paths[2] = {{two, 2, 0.0}, {&one, 1, 0.0}};
        for (int p = 0; p < 2; p++) {
            char where[96];
            snprintf(where, sizeof(where), "hypoexponential %s (%s)", cases[i].name,
                     p == 0 ? "two stages" : "wait + service");
            azb_queue_latency lat;
            azb_queue_path_latency(&paths[p], 6, qs, &lat);
            fails += azbt_near(where, "mean", 1.0 / r1 + 1.0 / r2, lat.mean, 1e-14, 0.0);
            fails +=
                azbt_near(where, "sd", sqrt(1.0 / (r1 * r1) + 1.0 / (r2 * r2)), lat.sd, 1e-14, 0.0);
            for (int k = 0; k < 6; k++) {
                char field[64];
                snprintf(field, sizeof(field), "tail at the p%g", 100.0 * qs[k]);
                fails +=
                    azbt_near(where, field, 1.0 - qs[k], hypo_tail(r1, r2, lat.t[k]), 1e-8, 0.0);
            }
            double m = 1.0 / r1 + 1.0 / r2;
            static const double ts[] = {0.1, 0.5, 1.0, 2.0, 5.0, 20.0};
            for (size_t k = 0; k < sizeof(ts) / sizeof(ts[0]); k++) {
                char field[64];
                snprintf(field, sizeof(field), "tail(%g mean)", ts[k]);
                fails += azbt_near(where, field, hypo_tail(r1, r2, ts[k] * m),
                                   azb_queue_path_tail(&paths[p], ts[k] * m), 1e-8, 1e-300);
            }
        }
    }
    assert_int_equal(fails, 0);
}

/* Erlang-k tail: e^{-x} sum_{j<k} x^j/j!, x = r t. */
static double erlang_tail(int k, double r, double t)
{
    long double x = (long double)r * t;
    long double term = expl(-x);
    long double s = term;
    for (int j = 1; j < k; j++) {
        term *= x / j;
        s += term;
    }
    return (double)s;
}

/* Sums of exponential stages and single services with cv^2 = 1/k are
 * Erlang-k: an exact check of long paths and of the service fit. */
static void test_path_erlang(void **state)
{
    (void)state;
    static const double qs[] = {0.01, 0.5, 0.95, 0.99, 0.999};
    int fails = 0;
    static const int ks[] = {1, 3, 10, 20, 40};
    for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
        int k = ks[i];
        azb_queue_stage st[40];
        for (int j = 0; j < k; j++) {
            st[j] = (azb_queue_stage){0.0, 0.0, 0.25, 1.0};
        }
        azb_queue_path path = {st, k, 0.0};
        azb_queue_latency lat;
        azb_queue_path_latency(&path, 5, qs, &lat);
        char where[64];
        snprintf(where, sizeof(where), "%d exponential stages", k);
        for (int j = 0; j < 5; j++) {
            fails += azbt_near(where, "Erlang tail at the quantile", 1.0 - qs[j],
                               erlang_tail(k, 4.0, lat.t[j]), 1e-8, 0.0);
        }
    }
    static const int shapes[] = {2, 4, 9, 16};
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        int k = shapes[i];
        azb_queue_stage st = {0.0, 0.0, 2.0, 1.0 / sqrt((double)k)};
        azb_queue_path path = {&st, 1, 0.0};
        azb_queue_latency lat;
        azb_queue_path_latency(&path, 5, qs, &lat);
        char where[64];
        snprintf(where, sizeof(where), "service cv^2 = 1/%d", k);
        for (int j = 0; j < 5; j++) {
            fails += azbt_near(where, "Erlang tail at the quantile", 1.0 - qs[j],
                               erlang_tail(k, k / 2.0, lat.t[j]), 1e-8, 0.0);
        }
    }
    assert_int_equal(fails, 0);
}

/* Whatever the fit, the law must keep the service's mean and variance:
 * integrate the tail (composite Simpson, step sd/40, far enough that the
 * tail is below 1e-16) for the first two moments. Constant services are a
 * step, checked exactly in test_path_constant_parts. */
static void test_path_service_moments(void **state)
{
    (void)state;
    static const double cvs[] = {0.1, 0.2, 0.3, 0.45, 0.7, 0.95, 1.0, 1.3, 2.0, 4.0};
    int fails = 0;
    for (size_t i = 0; i < sizeof(cvs) / sizeof(cvs[0]); i++) {
        double m = 3.0;
        double cv = cvs[i];
        azb_queue_stage st = {0.0, 0.0, m, cv};
        azb_queue_path path = {&st, 1, 0.0};
        double top = m * (1.0 + 40.0 * (1.0 + cv * cv));
        double h0 = fmin(cv, 1.0) * m / 40.0;
        int n = 2 * (int)ceil(top / h0 / 2.0);
        double h = top / n;
        double m1 = 0.0;
        double m2 = 0.0;
        for (int j = 0; j <= n; j++) {
            double t = j * h;
            double w = (j == 0 || j == n) ? 1.0 : ((j & 1) ? 4.0 : 2.0);
            double s = azb_queue_path_tail(&path, t);
            m1 += w * s;
            m2 += w * 2.0 * t * s;
        }
        m1 *= h / 3.0;
        m2 *= h / 3.0;
        char where[64];
        snprintf(where, sizeof(where), "service fit cv=%g (%d points)", cv, n);
        fails += azbt_near(where, "integral of the tail = mean", m, m1, 1e-7, 0.0);
        fails += azbt_near(where, "2 * integral of t tail = E[S^2]", m * m * (1.0 + cv * cv), m2,
                           1e-7, 0.0);
    }
    assert_int_equal(fails, 0);
}

static void test_path_constant_parts(void **state)
{
    (void)state;
    int fails = 0;
    double qs[4] = {0.0, 0.3, 0.9, 0.99};
    azb_queue_latency lat;
    /* empty path: the delay */
    azb_queue_path empty = {NULL, 0, 0.025};
    azb_queue_path_latency(&empty, 4, qs, &lat);
    for (int k = 0; k < 4; k++) {
        fails += azbt_near("empty path", "quantile = delay", 0.025, lat.t[k], 1e-12, 0.0);
    }
    fails += azbt_near("empty path", "mean", 0.025, lat.mean, 0.0, 0.0);
    fails += azbt_near("empty path", "sd", 0.0, lat.sd, 0.0, 0.0);
    fails +=
        azbt_near("empty path", "tail before", 1.0, azb_queue_path_tail(&empty, 0.02), 0.0, 0.0);
    fails +=
        azbt_near("empty path", "tail after", 0.0, azb_queue_path_tail(&empty, 0.03), 0.0, 0.0);
    /* constant services: delay + sum of means */
    azb_queue_stage cst[3] = {{0, 0, 0.001, 0.0}, {0, 0, 0.002, 0.0}, {0, 0, 0.0, 1.0}};
    azb_queue_path cpath = {cst, 3, 0.010};
    azb_queue_path_latency(&cpath, 4, qs, &lat);
    for (int k = 0; k < 4; k++) {
        fails += azbt_near("constant path", "quantile = 0.013", 0.013, lat.t[k], 1e-12, 0.0);
    }
    /* constant service behind a queue: an atom 1 - P at the constant part,
     * then the exponential wait */
    azb_queue_stage ws = {0.4, 50.0, 0.002, 0.0};
    azb_queue_path wpath = {&ws, 1, 0.010};
    azb_queue_path_latency(&wpath, 4, qs, &lat);
    fails += azbt_near("queue + constant", "p0", 0.012, lat.t[0], 1e-12, 0.0);
    fails += azbt_near("queue + constant", "p30 (in the atom)", 0.012, lat.t[1], 1e-12, 0.0);
    for (int k = 2; k < 4; k++) {
        double expect = 0.012 + (log(0.4) - log1p(-qs[k])) / 50.0;
        fails += azbt_near("queue + constant", "quantile = 0.012 + wait quantile", expect, lat.t[k],
                           1e-8, 0.0);
    }
    fails += azbt_near("queue + constant", "mean", 0.012 + 0.4 / 50.0, lat.mean, 1e-14, 0.0);
    fails += azbt_near("queue + constant", "tail(0.012 + 0.01)", 0.4 * exp(-0.5),
                       azb_queue_path_tail(&wpath, 0.022), 1e-8, 0.0);
    /* mixture with a zero weight and a constant branch */
    azb_queue_path mixp[3] = {cpath, wpath, empty};
    double w[3] = {0.5, 0.5, 0.0};
    double q2[2] = {0.4, 0.9};
    azb_queue_mix_latency(mixp, w, 3, 2, q2, &lat);
    /* F is 0.3 at 0.012 (half of wpath's atom), creeps to 0.31 by 0.013, then
     * jumps by the constant path's 0.5: the p40 is the jump */
    fails += azbt_near("mixture", "p40 at the jump", 0.013, lat.t[0], 1e-10, 0.0);
    double expect = 0.012 + (log(0.4) - log(0.2)) / 50.0; /* 0.5 P(W > t) = 0.1 */
    fails += azbt_near("mixture", "p90", expect, lat.t[1], 1e-8, 0.0);
    assert_int_equal(fails, 0);
}

/* ---- capacity inversion and legal nonsense --------------------------------- */

static void test_max_lambda(void **state)
{
    (void)state;
    int fails = 0;
    /* M/M/1: p99 = ln(100)/(mu - lam) <= T  =>  lam = mu - ln(100)/T */
    double lam = 0.0;
    fails += azbt_truth("max_lambda M/M/1", "feasible",
                        azb_queue_max_lambda(10.0, 1, 1.0, 0.99, 2.0, &lam));
    fails += azbt_near("max_lambda M/M/1", "lam", 10.0 - log(100.0) / 2.0, lam, 1e-9, 0.0);
    /* M/M/8: the p99 at the returned rate is the target */
    fails += azbt_truth("max_lambda M/M/8", "feasible",
                        azb_queue_max_lambda(1.0, 8, 1.0, 0.99, 6.0, &lam));
    azb_queue_result r;
    azb_queue_mmc(lam, 1.0, 8, &r);
    double t = 0.0;
    azb_queue_sojourn_quantile(&r, 0.99, &t);
    fails += azbt_near("max_lambda M/M/8", "p99 at lam", 6.0, t, 1e-8, 0.0);
    /* M/G/4 cs = 0.5 */
    fails += azbt_truth("max_lambda M/G/4", "feasible",
                        azb_queue_max_lambda(1.0, 4, 0.5, 0.95, 3.0, &lam));
    azb_queue_mgc(lam, 1.0, 4, 0.5, &r);
    azb_queue_sojourn_quantile(&r, 0.95, &t);
    fails += azbt_near("max_lambda M/G/4", "p95 at lam", 3.0, t, 1e-7, 0.0);
    /* infeasible: service p99 alone is ln(100) = 4.6 > 4 */
    lam = -1.0;
    fails += azbt_truth("max_lambda infeasible", "false",
                        !azb_queue_max_lambda(1.0, 4, 1.0, 0.99, 4.0, &lam));
    fails += azbt_near("max_lambda infeasible", "lam", 0.0, lam, 0.0, 0.0);
    fails +=
        azbt_near("saturation rate", "c mu", 12.5, azb_queue_saturation_rate(5, 2.5), 0.0, 0.0);
    assert_int_equal(fails, 0);
}

static void test_legal_nonsense(void **state)
{
    (void)state;
    int fails = 0;
    azb_queue_result r;
    azb_queue_mmc(0.0, 4.0, 3, &r);
    fails += azbt_truth("lambda 0", "stable", r.stable);
    fails += azbt_near("lambda 0", "p_wait", 0.0, r.p_wait, 0.0, 0.0);
    fails += azbt_near("lambda 0", "wq", 0.0, r.wq, 0.0, 0.0);
    fails += azbt_near("lambda 0", "w", 0.25, r.w, 0.0, 0.0);
    fails += azbt_near("lambda 0", "l", 0.0, r.l, 0.0, 0.0);
    double t = -1.0;
    azb_queue_sojourn_quantile(&r, 0.99, &t);
    fails += azbt_near("lambda 0", "sojourn p99 = service p99", log(100.0) / 4.0, t, 1e-12, 0.0);
    azb_queue_wait_quantile(&r, 0.99, &t);
    fails += azbt_near("lambda 0", "wait p99", 0.0, t, 0.0, 0.0);
    azb_queue_mmc(2.0, 4.0, 3, &r);
    azb_queue_sojourn_quantile(&r, 0.0, &t);
    fails += azbt_near("q = 0", "sojourn", 0.0, t, 0.0, 0.0);
    fails += azbt_near("t < 0", "sojourn cdf", 0.0, azb_queue_sojourn_cdf(&r, -1.0), 0.0, 0.0);
    fails += azbt_near("t < 0", "sojourn tail", 1.0, azb_queue_sojourn_tail(&r, -1.0), 0.0, 0.0);
    fails += azbt_near("t < 0", "wait cdf", 0.0, azb_queue_wait_cdf(&r, -1.0), 0.0, 0.0);
    fails += azbt_near("t = 0", "wait cdf = 1 - C", 1.0 - r.p_wait, azb_queue_wait_cdf(&r, 0.0),
                       1e-15, 0.0);
    fails += azbt_near("t = 0", "sojourn cdf", 0.0, azb_queue_sojourn_cdf(&r, 0.0), 0.0, 0.0);
    fails += azbt_near("huge t", "sojourn tail", 0.0, azb_queue_sojourn_tail(&r, 1e6), 0.0, 1e-300);
    fails += azbt_near("erlang a = 0", "B", 0.0, azb_queue_erlang_b(5, 0.0), 0.0, 0.0);
    azb_queue_mmck_result k;
    azb_queue_mmck(0.0, 1.0, 2, 5, &k);
    fails += azbt_near("M/M/c/K lambda 0", "p_block", 0.0, k.p_block, 0.0, 0.0);
    fails += azbt_near("M/M/c/K lambda 0", "w", 1.0, k.w, 0.0, 0.0);
    /* a path tail far out is tiny, not NaN */
    azb_queue_stage st = azb_queue_make_stage(&r);
    azb_queue_path path = {&st, 1, 0.0};
    double far = azb_queue_path_tail(&path, 1e4);
    fails += azbt_truth("path tail at 1e4 means", "finite and ~0",
                        isfinite(far) && far >= 0.0 && far < 1e-300);
    /* stages with no wait carry wait_rate 0 */
    azb_queue_mmc(0.0, 1.0, 1, &r);
    fails += azbt_near("make_stage lambda 0", "wait_rate", 0.0, azb_queue_make_stage(&r).wait_rate,
                       0.0, 0.0);
    assert_int_equal(fails, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_cases),
        cmocka_unit_test(test_reference_tandem),
        cmocka_unit_test(test_mm1_closed_form),
        cmocka_unit_test(test_erlang_small),
        cmocka_unit_test(test_erlang_large_c),
        cmocka_unit_test(test_mm1k_closed_form),
        cmocka_unit_test(test_mmck_brute_force),
        cmocka_unit_test(test_mmck_limits),
        cmocka_unit_test(test_mgc),
        cmocka_unit_test(test_saturation),
        cmocka_unit_test(test_path_two_exponentials),
        cmocka_unit_test(test_path_erlang),
        cmocka_unit_test(test_path_service_moments),
        cmocka_unit_test(test_path_constant_parts),
        cmocka_unit_test(test_max_lambda),
        cmocka_unit_test(test_legal_nonsense),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
