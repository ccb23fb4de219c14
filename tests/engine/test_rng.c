/* The seeded generator: reproducibility, streams, and the distributions'
 * moments against confidence bounds over large samples.
 *
 * Every statistical check is a fixed-seed run (the seed is printed) judged
 * against a 99.9% two-sided normal bound, |estimate - truth| <= 3.29 SE,
 * with SE from the distribution's own variance (for a variance estimate,
 * from its fourth central moment). A correct generator fails one such check
 * with probability 0.1%; the seeds here are not chosen to pass. Contract
 * violations assert (plain assert) and are not exercised. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "azb_rng.h"

#define Z999 3.29 /* two-sided 99.9% normal quantile */
#define N_SAMPLE 1000000
#define SEED UINT64_C(20240601)

static int check_ci(const char *where, const char *what, double expected, double got, double se)
{
    double bound = Z999 * se;
    if (!(fabs(got - expected) <= bound)) {
        fprintf(stderr, "%s: %s expected %.9g +- %.3g (99.9%%), got %.9g\n", where, what,
                expected, bound, got);
        return 1;
    }
    return 0;
}

static void test_same_seed_same_sequence(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        uint64_t seed;
        uint64_t stream;
    } cases[] = {{"seed 0 stream 0", 0, 0},
                 {"seed 1 stream 0", 1, 0},
                 {"seed 42 stream 7", 42, 7},
                 {"seed max stream max", UINT64_MAX, UINT64_MAX}};
    int fails = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        azb_rng a;
        azb_rng b;
        azb_rng_seed(&a, cases[c].seed, cases[c].stream);
        azb_rng_seed(&b, cases[c].seed, cases[c].stream);
        for (int i = 0; i < 10000; i++) {
            uint64_t x = azb_rng_next(&a);
            uint64_t y = azb_rng_next(&b);
            if (x != y) {
                fprintf(stderr, "%s: draw %d expected %llu got %llu\n", cases[c].name, i,
                        (unsigned long long)x, (unsigned long long)y);
                fails++;
                break;
            }
        }
    }
    assert_int_equal(fails, 0);
}

static void test_streams_differ(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        uint64_t seed_a, stream_a, seed_b, stream_b;
    } cases[] = {{"stream 0 vs 1", 5, 0, 5, 1},
                 {"seed 0 vs 1", 0, 3, 1, 3},
                 {"(1,0) vs (0,1)", 1, 0, 0, 1},
                 {"stream 1000 vs 1001", 9, 1000, 9, 1001}};
    int fails = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        azb_rng a;
        azb_rng b;
        azb_rng_seed(&a, cases[c].seed_a, cases[c].stream_a);
        azb_rng_seed(&b, cases[c].seed_b, cases[c].stream_b);
        int same = 0;
        for (int i = 0; i < 1000; i++) {
            same += azb_rng_next(&a) == azb_rng_next(&b);
        }
        if (same != 0) {
            fprintf(stderr, "%s: expected 0 equal draws of 1000, got %d\n", cases[c].name, same);
            fails++;
        }
    }
    /* Streams 0 and 1 of one seed are uncorrelated: the sample correlation
     * of paired uniforms has SE 1 / sqrt(N). */
    azb_rng a;
    azb_rng b;
    azb_rng_seed(&a, SEED, 0);
    azb_rng_seed(&b, SEED, 1);
    double sxy = 0.0;
    for (int i = 0; i < N_SAMPLE; i++) {
        sxy += (azb_rng_uniform(&a) - 0.5) * (azb_rng_uniform(&b) - 0.5);
    }
    double corr = (sxy / N_SAMPLE) * 12.0;
    fails += check_ci("streams 0 and 1", "correlation", 0.0, corr, 1.0 / sqrt(N_SAMPLE));
    /* A jumped generator is a different stream. */
    azb_rng j;
    azb_rng_seed(&a, SEED, 0);
    azb_rng_seed(&j, SEED, 0);
    azb_rng_jump(&j);
    int same = 0;
    for (int i = 0; i < 1000; i++) {
        same += azb_rng_next(&a) == azb_rng_next(&j);
    }
    if (same != 0) {
        fprintf(stderr, "jump: expected 0 equal draws, got %d\n", same);
        fails++;
    }
    assert_int_equal(fails, 0);
}

static void test_uniform(void **state)
{
    (void)state;
    printf("seed %llu, %d draws\n", (unsigned long long)SEED, N_SAMPLE);
    azb_rng r;
    azb_rng_seed(&r, SEED, 0);
    double sum = 0.0;
    double sum2 = 0.0;
    double lo = 1.0;
    double hi = 0.0;
    for (int i = 0; i < N_SAMPLE; i++) {
        double u = azb_rng_uniform(&r);
        lo = u < lo ? u : lo;
        hi = u > hi ? u : hi;
        sum += u;
        sum2 += (u - 0.5) * (u - 0.5);
    }
    int fails = 0;
    if (!(lo > 0.0 && hi < 1.0)) {
        fprintf(stderr, "uniform: expected (0, 1), got [%g, %g]\n", lo, hi);
        fails++;
    }
    /* mean: Var U = 1/12; variance about the true mean: Var (U-1/2)^2 = 1/80 - 1/144 */
    fails += check_ci("uniform", "mean", 0.5, sum / N_SAMPLE, sqrt(1.0 / 12.0 / N_SAMPLE));
    fails += check_ci("uniform", "variance", 1.0 / 12.0, sum2 / N_SAMPLE,
                      sqrt((1.0 / 80.0 - 1.0 / 144.0) / N_SAMPLE));
    /* The extreme cells are never 0 or 1: the centred construction. */
    double u_min = 0.5 * 0x1.0p-53;
    assert_true(u_min > 0.0 && -log(u_min) < 40.0);
    assert_int_equal(fails, 0);
}

static void test_exponential_and_normal(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        double rate;
    } cases[] = {{"rate 1", 1.0}, {"rate 2.5", 2.5}, {"rate 0.001", 0.001}, {"rate 1e6", 1e6}};
    int fails = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        azb_rng r;
        azb_rng_seed(&r, SEED, 10 + c);
        double sum = 0.0;
        double sum2 = 0.0;
        double mean = 1.0 / cases[c].rate;
        int bad = 0;
        for (int i = 0; i < N_SAMPLE; i++) {
            double x = azb_rng_exp(&r, cases[c].rate);
            bad += !(isfinite(x) && x > 0.0);
            sum += x;
            sum2 += (x - mean) * (x - mean);
        }
        if (bad != 0) {
            fprintf(stderr, "exp %s: expected finite > 0, got %d bad\n", cases[c].name, bad);
            fails++;
        }
        /* SE of the mean: sd / sqrt(N) = mean / sqrt(N); of the variance about
         * the true mean: sqrt(mu4 - sigma^4) / sqrt(N) = sqrt(8) mean^2 / sqrt(N). */
        fails += check_ci(cases[c].name, "mean", mean, sum / N_SAMPLE, mean / sqrt(N_SAMPLE));
        fails += check_ci(cases[c].name, "variance", mean * mean, sum2 / N_SAMPLE,
                          sqrt(8.0) * mean * mean / sqrt(N_SAMPLE));
    }
    azb_rng r;
    azb_rng_seed(&r, SEED, 20);
    double sum = 0.0;
    double sum2 = 0.0;
    for (int i = 0; i < N_SAMPLE; i++) {
        double x = azb_rng_normal(&r);
        sum += x;
        sum2 += x * x;
    }
    fails += check_ci("normal", "mean", 0.0, sum / N_SAMPLE, 1.0 / sqrt(N_SAMPLE));
    fails += check_ci("normal", "variance", 1.0, sum2 / N_SAMPLE, sqrt(2.0 / N_SAMPLE));
    assert_int_equal(fails, 0);
}

static void test_lognormal(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        double mean;
        double cv;
    } cases[] = {{"mean 10 cv 0.25", 10.0, 0.25},
                 {"mean 1 cv 1", 1.0, 1.0},
                 {"mean 250 cv 2", 250.0, 2.0},
                 {"mean 0.003 cv 0.5", 0.003, 0.5}};
    int fails = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        double m = cases[c].mean;
        double cv = cases[c].cv;
        azb_rng r;
        azb_rng_seed(&r, SEED, 30 + c);
        double sum = 0.0;
        double sum2 = 0.0;
        for (int i = 0; i < N_SAMPLE; i++) {
            double x = azb_rng_lognormal(&r, m, cv);
            sum += x;
            sum2 += (x - m) * (x - m);
        }
        /* Raw moments E X^k = m^k w^(k(k-1)/2) with w = 1 + cv^2 give the
         * fourth central moment, hence the SE of the variance estimate. */
        double w = 1.0 + cv * cv;
        double var = m * m * cv * cv;
        double e2 = m * m * w;
        double e3 = m * m * m * w * w * w;
        double e4 = m * m * m * m * pow(w, 6.0);
        double mu4 = e4 - 4.0 * m * e3 + 6.0 * m * m * e2 - 3.0 * m * m * m * m;
        fails += check_ci(cases[c].name, "mean", m, sum / N_SAMPLE, sqrt(var / N_SAMPLE));
        fails += check_ci(cases[c].name, "variance (cv^2 mean^2)", var, sum2 / N_SAMPLE,
                          sqrt((mu4 - var * var) / N_SAMPLE));
    }
    azb_rng r;
    azb_rng_seed(&r, SEED, 40);
    assert_true(azb_rng_lognormal(&r, 7.5, 0.0) == 7.5);
    assert_int_equal(fails, 0);
}

static void test_below(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        uint64_t n;
    } cases[] = {{"n 1", 1}, {"n 6", 6}, {"n 7", 7}, {"n 2^63 + 1", (UINT64_C(1) << 63) + 1}};
    int fails = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        uint64_t n = cases[c].n;
        azb_rng r;
        azb_rng_seed(&r, SEED, 50 + c);
        uint64_t counts[8] = {0};
        uint64_t high = 0;
        const int draws = 700000;
        for (int i = 0; i < draws; i++) {
            uint64_t x = azb_rng_below(&r, n);
            if (x >= n) {
                fprintf(stderr, "%s: expected < %llu, got %llu\n", cases[c].name,
                        (unsigned long long)n, (unsigned long long)x);
                fails++;
                break;
            }
            if (n <= 8) {
                counts[x]++;
            } else {
                high += x >= n / 2;
            }
        }
        /* Each cell's count is binomial(draws, p). */
        if (n <= 8) {
            double p = 1.0 / (double)n;
            for (uint64_t k = 0; k < n; k++) {
                char what[32];
                snprintf(what, sizeof(what), "share of %llu", (unsigned long long)k);
                fails += check_ci(cases[c].name, what, p, (double)counts[k] / draws,
                                  sqrt(p * (1.0 - p) / draws));
            }
        } else {
            fails += check_ci(cases[c].name, "share in upper half", 0.5, (double)high / draws,
                              sqrt(0.25 / draws));
        }
    }
    assert_int_equal(fails, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_sequence),
        cmocka_unit_test(test_streams_differ),
        cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_exponential_and_normal),
        cmocka_unit_test(test_lognormal),
        cmocka_unit_test(test_below),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
