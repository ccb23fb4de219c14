/* The latency histogram: quantiles against the exact order statistics of
 * the same data over several distributions, merge, exact mean, min and max,
 * the empty histogram, and values outside [1 us, 1 h].
 *
 * The documented bound is |estimate - exact| / exact <= 1/257 (0.389%) for
 * every quantile of in-range data; the tests check exactly that (plus 1e-12
 * for the rounding of bucket edges), which is inside the 0.5%.
 * Contract violations (plain assert) are not exercised. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "azb_hist.h"
#include "azb_rng.h"

#define SEED UINT64_C(77)
#define N_DATA 200000
#define BOUND (1.0 / 257.0 + 1e-12)

typedef double (*draw_fn)(azb_rng *r);

static double d_uniform(azb_rng *r)
{
    return 1.0 + 99.0 * azb_rng_uniform(r);
}
static double d_exp(azb_rng *r)
{
    return azb_rng_exp(r, 1.0 / 50.0);
}
static double d_lognormal(azb_rng *r)
{
    return azb_rng_lognormal(r, 20.0, 2.0);
}
static double d_narrow(azb_rng *r)
{
    return 5.0 + 0.01 * azb_rng_uniform(r);
}
static double d_log_uniform(azb_rng *r)
{
    /* 1 us to 1 h, uniform in log: every octave of the range */
    return AZB_HIST_MIN_MS * exp(azb_rng_uniform(r) * log(AZB_HIST_MAX_MS / AZB_HIST_MIN_MS));
}
static double d_integers(azb_rng *r)
{
    return (double)(1 + azb_rng_below(r, 10)); /* many ties */
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

static const double qs[] = {0.0,  0.0001, 0.001, 0.01,  0.1,    0.25, 0.5,
                            0.75, 0.9,    0.99,  0.999, 0.9999, 1.0};

static void test_quantiles_vs_exact(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        draw_fn draw;
    } cases[] = {{"uniform 1..100 ms", d_uniform},        {"exponential mean 50 ms", d_exp},
                 {"lognormal mean 20 cv 2", d_lognormal}, {"narrow 5..5.01 ms", d_narrow},
                 {"log-uniform 1 us..1 h", d_log_uniform}, {"integers 1..10 ms", d_integers}};
    printf("seed %llu, %d values per case, bound %.6f\n", (unsigned long long)SEED, N_DATA,
           BOUND);
    double *data = malloc(N_DATA * sizeof(*data));
    azb_hist *h = azb_hist_create();
    assert_non_null(data);
    assert_non_null(h);
    int fails = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        azb_rng r;
        azb_rng_seed(&r, SEED, c);
        azb_hist_reset(h);
        for (int i = 0; i < N_DATA; i++) {
            data[i] = cases[c].draw(&r);
            azb_hist_record(h, data[i]);
        }
        qsort(data, N_DATA, sizeof(*data), cmp_double);
        double worst = 0.0;
        for (size_t k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
            double rank = ceil(qs[k] * N_DATA);
            size_t idx = rank < 1.0 ? 0 : (size_t)rank - 1;
            double exact = data[idx];
            double got = azb_hist_quantile(h, qs[k]);
            double rel = fabs(got - exact) / exact;
            worst = rel > worst ? rel : worst;
            if (!(rel <= BOUND)) {
                fprintf(stderr, "%s: q %g expected %.9g (+-%.3f%%), got %.9g (%.4f%%)\n",
                        cases[c].name, qs[k], exact, 100.0 * BOUND, got, 100.0 * rel);
                fails++;
            }
        }
        printf("  %-26s worst relative error %.4f%%\n", cases[c].name, 100.0 * worst);
        if (azb_hist_count(h) != N_DATA || azb_hist_min(h) != data[0] ||
            azb_hist_max(h) != data[N_DATA - 1]) {
            fprintf(stderr, "%s: count/min/max expected %d/%.17g/%.17g got %llu/%.17g/%.17g\n",
                    cases[c].name, N_DATA, data[0], data[N_DATA - 1],
                    (unsigned long long)azb_hist_count(h), azb_hist_min(h), azb_hist_max(h));
            fails++;
        }
        long double sum = 0.0L;
        for (int i = 0; i < N_DATA; i++) {
            sum += (long double)data[i];
        }
        double exact_mean = (double)(sum / N_DATA);
        double got_mean = azb_hist_mean(h);
        if (!(fabs(got_mean - exact_mean) <= 1e-14 * exact_mean)) {
            fprintf(stderr, "%s: mean expected %.17g got %.17g\n", cases[c].name, exact_mean,
                    got_mean);
            fails++;
        }
    }
    azb_hist_destroy(h);
    free(data);
    assert_int_equal(fails, 0);
}

static void test_merge_equals_recording_all(void **state)
{
    (void)state;
    azb_hist *all = azb_hist_create();
    azb_hist *a = azb_hist_create();
    azb_hist *b = azb_hist_create();
    azb_hist *empty = azb_hist_create();
    assert_non_null(all);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(empty);
    azb_rng r;
    azb_rng_seed(&r, SEED, 100);
    for (int i = 0; i < 100000; i++) {
        /* a gets the fast half, b the slow one, and out-of-range values */
        double x = (i % 2 == 0) ? azb_rng_exp(&r, 1.0) : 1000.0 + azb_rng_exp(&r, 0.001);
        if (i % 9999 == 0) {
            x = (i % 2 == 0) ? 0.0 : 1e7;
        }
        azb_hist_record(&all[0], x);
        azb_hist_record((i % 2 == 0) ? a : b, x);
    }
    azb_hist_merge(a, empty);
    azb_hist_merge(empty, b); /* into an empty one: takes b's min and max */
    azb_hist_merge(a, empty);
    int fails = 0;
    fails += memcmp(all->bucket, a->bucket, sizeof(all->bucket)) != 0;
    if (all->count != a->count || all->below != a->below || all->above != a->above ||
        all->min != a->min || all->max != a->max) {
        fprintf(stderr, "merge: count/below/above/min/max expected %llu/%llu/%llu/%g/%g "
                        "got %llu/%llu/%llu/%g/%g\n",
                (unsigned long long)all->count, (unsigned long long)all->below,
                (unsigned long long)all->above, all->min, all->max,
                (unsigned long long)a->count, (unsigned long long)a->below,
                (unsigned long long)a->above, a->min, a->max);
        fails++;
    }
    double ma = azb_hist_mean(all);
    double mb = azb_hist_mean(a);
    if (!(fabs(ma - mb) <= 1e-14 * ma)) {
        fprintf(stderr, "merge: mean expected %.17g got %.17g\n", ma, mb);
        fails++;
    }
    for (size_t k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
        if (azb_hist_quantile(all, qs[k]) != azb_hist_quantile(a, qs[k])) {
            fprintf(stderr, "merge: q %g expected %.17g got %.17g\n", qs[k],
                    azb_hist_quantile(all, qs[k]), azb_hist_quantile(a, qs[k]));
            fails++;
        }
    }
    azb_hist_destroy(all);
    azb_hist_destroy(a);
    azb_hist_destroy(b);
    azb_hist_destroy(empty);
    azb_hist_destroy(NULL);
    assert_int_equal(fails, 0);
}

static void test_mean_exact(void **state)
{
    (void)state;
    /* A naive running sum loses the small values next to a big one; the
     * compensated sum does not. */
    azb_hist h;
    azb_hist_reset(&h);
    azb_hist_record(&h, 1e15);
    for (int i = 0; i < 1000; i++) {
        azb_hist_record(&h, 0.1);
    }
    azb_hist_record(&h, 1e15);
    double expected = (2e15 + 100.0) / 1002.0;
    assert_true(fabs(azb_hist_mean(&h) - expected) <= 1e-15 * expected);
    assert_true(azb_hist_min(&h) == 0.1);
    assert_true(azb_hist_max(&h) == 1e15);
    assert_true(azb_hist_above(&h) == 2);

    azb_hist_reset(&h);
    azb_hist_record(&h, 3.0);
    assert_true(azb_hist_mean(&h) == 3.0);
    assert_true(azb_hist_min(&h) == 3.0 && azb_hist_max(&h) == 3.0);
    /* one value: every quantile is that value (clamped to [min, max]) */
    assert_true(azb_hist_quantile(&h, 0.5) == 3.0);
    assert_true(azb_hist_quantile(&h, 0.999) == 3.0);
}

static void test_empty(void **state)
{
    (void)state;
    azb_hist h;
    azb_hist_reset(&h);
    static const struct {
        const char *name;
        double q;
    } cases[] = {{"q 0", 0.0}, {"q 0.5", 0.5}, {"q 0.99", 0.99}, {"q 1", 1.0}};
    int fails = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        double got = azb_hist_quantile(&h, cases[c].q);
        if (got != 0.0) {
            fprintf(stderr, "empty %s: expected 0, got %g\n", cases[c].name, got);
            fails++;
        }
    }
    assert_int_equal(fails, 0);
    assert_true(azb_hist_count(&h) == 0);
    assert_true(azb_hist_mean(&h) == 0.0);
    assert_true(azb_hist_min(&h) == 0.0);
    assert_true(azb_hist_max(&h) == 0.0);
    azb_hist other;
    azb_hist_reset(&other);
    azb_hist_merge(&h, &other);
    assert_true(azb_hist_count(&h) == 0 && azb_hist_mean(&h) == 0.0);
    /* reset after use empties it again */
    azb_hist_record(&h, 12.0);
    azb_hist_reset(&h);
    assert_true(azb_hist_count(&h) == 0 && azb_hist_quantile(&h, 0.5) == 0.0);
}

static void test_out_of_range(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        double value;
        uint64_t below, above;
    } cases[] = {{"zero", 0.0, 1, 0},
                 {"0.1 us", 1e-4, 1, 0},
                 {"just under 1 us", 0.000999, 1, 0},
                 {"exactly 1 us", 0.001, 0, 0},
                 {"exactly 1 h", 3600000.0, 0, 0},
                 {"1 h and a bit", 3600001.0, 0, 1},
                 {"a day", 86400000.0, 0, 1},
                 {"1e300 ms", 1e300, 0, 1}};
    int fails = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        azb_hist h;
        azb_hist_reset(&h);
        azb_hist_record(&h, 10.0);
        azb_hist_record(&h, cases[c].value);
        double v = cases[c].value;
        double lo = v < 10.0 ? v : 10.0;
        double hi = v > 10.0 ? v : 10.0;
        double q0 = azb_hist_quantile(&h, 0.0);
        double q1 = azb_hist_quantile(&h, 1.0);
        double q5 = azb_hist_quantile(&h, 0.5);
        if (azb_hist_below(&h) != cases[c].below || azb_hist_above(&h) != cases[c].above ||
            azb_hist_count(&h) != 2 || q0 != lo || q1 != hi || !isfinite(q5) || q5 < lo ||
            q5 > hi || !isfinite(azb_hist_mean(&h))) {
            fprintf(stderr,
                    "%s: expected below %llu above %llu count 2 q0 %g q1 %g, got below %llu "
                    "above %llu count %llu q0 %g q1 %g q.5 %g\n",
                    cases[c].name, (unsigned long long)cases[c].below,
                    (unsigned long long)cases[c].above, lo, hi,
                    (unsigned long long)azb_hist_below(&h), (unsigned long long)azb_hist_above(&h),
                    (unsigned long long)azb_hist_count(&h), q0, q1, q5);
            fails++;
        }
    }
    assert_int_equal(fails, 0);
}

static void test_fixed_memory(void **state)
{
    (void)state;
    /* The struct is all the memory there is; it is about 32 KB. */
    assert_true(sizeof(azb_hist) <= 33 * 1024);
    azb_hist h;
    azb_hist_reset(&h);
    for (int i = 0; i < 1000000; i++) {
        azb_hist_record(&h, (double)(i % 1000) + 0.5);
    }
    assert_true(azb_hist_count(&h) == 1000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantiles_vs_exact),
        cmocka_unit_test(test_merge_equals_recording_all),
        cmocka_unit_test(test_mean_exact),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_fixed_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
