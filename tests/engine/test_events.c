/* The event queue (internal): (time, seq) order with FIFO ties, random
 * pushes, pops and cancels against a sorted reference, pool reuse without
 * growth after warm-up, and 100,000 pending events. Contract violations
 * (time going backwards, NULL) assert and are not exercised. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "azb_rng.h"
#include "azbi_events.h"

#define SEED UINT64_C(4242)

static void test_order_with_ties(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        double times[8];
        int n;
        uint64_t order[8]; /* expected args (push index) in pop order */
    } cases[] = {
        {"sorted", {1, 2, 3, 4}, 4, {0, 1, 2, 3}},
        {"reversed", {4, 3, 2, 1}, 4, {3, 2, 1, 0}},
        {"all equal: FIFO", {5, 5, 5, 5, 5, 5}, 6, {0, 1, 2, 3, 4, 5}},
        {"ties among others", {2, 1, 2, 1, 0, 2, 1}, 7, {4, 1, 3, 6, 0, 2, 5}},
        {"zero times", {0, 0, 0}, 3, {0, 1, 2}},
        {"one", {7}, 1, {0}},
    };
    int fails = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        azbi_events q;
        azbi_events_init(&q);
        for (int i = 0; i < cases[c].n; i++) {
            assert_true(azbi_events_push(&q, cases[c].times[i], 1, 2, (uint64_t)i, NULL));
        }
        for (int i = 0; i < cases[c].n; i++) {
            azbi_event pk;
            azbi_event ev;
            assert_true(azbi_events_peek(&q, &pk));
            assert_true(azbi_events_pop(&q, &ev));
            if (ev.arg != cases[c].order[i] || pk.seq != ev.seq || ev.kind != 1 ||
                ev.target != 2 || azbi_events_now(&q) != ev.time) {
                fprintf(stderr, "%s: pop %d expected arg %llu, got %llu (peek seq %llu)\n",
                        cases[c].name, i, (unsigned long long)cases[c].order[i],
                        (unsigned long long)ev.arg, (unsigned long long)pk.seq);
                fails++;
            }
        }
        azbi_event ev;
        assert_false(azbi_events_pop(&q, &ev));
        assert_false(azbi_events_peek(&q, &ev));
        assert_true(azbi_events_size(&q) == 0);
        azbi_events_free(&q);
    }
    assert_int_equal(fails, 0);
}

typedef struct ref_ev {
    double time;
    uint64_t seq;
    azbi_event_id id;
} ref_ev;

static size_t ref_min(const ref_ev *r, size_t n)
{
    size_t m = 0;
    for (size_t i = 1; i < n; i++) {
        if (r[i].time < r[m].time || (r[i].time == r[m].time && r[i].seq < r[m].seq)) {
            m = i;
        }
    }
    return m;
}

static void test_random_against_reference(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        double p_push;
        double p_cancel;
        int quantised; /* integer delays: many ties */
    } cases[] = {{"balanced", 0.5, 0.0, 0},
                 {"growing", 0.6, 0.0, 0},
                 {"ties", 0.55, 0.0, 1},
                 {"with cancels", 0.6, 0.1, 0},
                 {"ties and cancels", 0.6, 0.15, 1}};
    printf("seed %llu\n", (unsigned long long)SEED);
    enum { MAX_REF = 4000, OPS = 100000 };
    ref_ev *ref = malloc(MAX_REF * sizeof(*ref));
    assert_non_null(ref);
    int fails = 0;
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        azb_rng r;
        azb_rng_seed(&r, SEED, c);
        azbi_events q;
        azbi_events_init(&q);
        size_t n = 0;
        uint64_t seq = 0;
        double now = 0.0;
        for (int op = 0; op < OPS && fails == 0; op++) {
            double u = azb_rng_uniform(&r);
            if ((u < cases[c].p_push && n < MAX_REF) || n == 0) {
                double dt = cases[c].quantised ? (double)azb_rng_below(&r, 4)
                                               : azb_rng_exp(&r, 1.0);
                azbi_event_id id = 0;
                assert_true(azbi_events_push(&q, now + dt, 0, 0, seq, &id));
                ref[n].time = now + dt;
                ref[n].seq = seq++;
                ref[n].id = id;
                n++;
            } else if (u < cases[c].p_push + cases[c].p_cancel) {
                size_t k = (size_t)azb_rng_below(&r, n);
                if (!azbi_events_cancel(&q, ref[k].id)) {
                    fprintf(stderr, "%s: op %d cancel of pending seq %llu returned false\n",
                            cases[c].name, op, (unsigned long long)ref[k].seq);
                    fails++;
                }
                if (azbi_events_cancel(&q, ref[k].id)) {
                    fprintf(stderr, "%s: op %d second cancel returned true\n", cases[c].name, op);
                    fails++;
                }
                ref[k] = ref[--n];
            } else {
                size_t m = ref_min(ref, n);
                azbi_event ev;
                assert_true(azbi_events_pop(&q, &ev));
                if (ev.time != ref[m].time || ev.arg != ref[m].seq) {
                    fprintf(stderr, "%s: op %d expected (%.17g, %llu), got (%.17g, %llu)\n",
                            cases[c].name, op, ref[m].time, (unsigned long long)ref[m].seq,
                            ev.time, (unsigned long long)ev.arg);
                    fails++;
                }
                if (azbi_events_cancel(&q, ref[m].id)) {
                    fprintf(stderr, "%s: op %d cancel after pop returned true\n", cases[c].name,
                            op);
                    fails++;
                }
                now = ev.time;
                ref[m] = ref[--n];
            }
            if (azbi_events_size(&q) != n) {
                fprintf(stderr, "%s: op %d size expected %zu got %zu\n", cases[c].name, op, n,
                        azbi_events_size(&q));
                fails++;
            }
        }
        azbi_events_free(&q);
    }
    free(ref);
    assert_int_equal(fails, 0);
}

static void test_pool_reuse(void **state)
{
    (void)state;
    azbi_events q;
    azbi_events_init(&q);
    azb_rng r;
    azb_rng_seed(&r, SEED, 50);
    /* warm up: 5,000 pending, then a hold model (pop one, push one) */
    for (int i = 0; i < 5000; i++) {
        assert_true(azbi_events_push(&q, azb_rng_exp(&r, 1.0), 0, 0, 0, NULL));
    }
    size_t cap = azbi_events_capacity(&q);
    assert_true(cap >= 5000);
    for (int i = 0; i < 200000; i++) {
        azbi_event ev;
        assert_true(azbi_events_pop(&q, &ev));
        azbi_event_id id = 0;
        assert_true(azbi_events_push(&q, ev.time + azb_rng_exp(&r, 1.0), 0, 0, 0, &id));
        if (i % 3 == 0) { /* a timeout scheduled and cancelled */
            assert_true(azbi_events_push(&q, ev.time + 30.0, 9, 0, 0, &id));
            assert_true(azbi_events_cancel(&q, id));
        }
    }
    assert_true(azbi_events_size(&q) == 5000);
    if (azbi_events_capacity(&q) != cap) {
        fprintf(stderr, "pool: expected capacity %zu after warm-up, got %zu\n", cap,
                azbi_events_capacity(&q));
    }
    assert_true(azbi_events_capacity(&q) == cap);
    /* drain and refill: no growth either */
    azbi_event ev;
    while (azbi_events_pop(&q, &ev)) {
    }
    for (int i = 0; i < 5000; i++) {
        assert_true(azbi_events_push(&q, ev.time + 1.0, 0, 0, 0, NULL));
    }
    assert_true(azbi_events_capacity(&q) == cap);
    /* reserve up front: then no growth at all */
    azbi_events_free(&q);
    assert_true(azbi_events_capacity(&q) == 0);
    assert_true(azbi_events_reserve(&q, 10000));
    cap = azbi_events_capacity(&q);
    for (int i = 0; i < 10000; i++) {
        assert_true(azbi_events_push(&q, 1.0, 0, 0, 0, NULL));
    }
    assert_true(azbi_events_capacity(&q) == cap);
    azbi_events_free(&q);
}

static void test_bad_ids(void **state)
{
    (void)state;
    azbi_events q;
    azbi_events_init(&q);
    static const struct {
        const char *name;
        azbi_event_id id;
    } cases[] = {{"zero", 0},
                 {"slot out of range", (UINT64_C(1) << 32) | 999999},
                 {"even generation", (UINT64_C(2) << 32) | 1},
                 {"all ones", UINT64_MAX}};
    assert_true(azbi_events_push(&q, 1.0, 0, 0, 0, NULL));
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        if (azbi_events_cancel(&q, cases[c].id)) {
            fprintf(stderr, "%s: expected false, got true\n", cases[c].name);
            fail();
        }
    }
    assert_true(azbi_events_size(&q) == 1);
    azbi_events_free(&q);
    azbi_events_free(&q); /* twice is fine */
}

static void test_100k_pending(void **state)
{
    (void)state;
    enum { N = 100000 };
    azbi_events q;
    azbi_events_init(&q);
    azb_rng r;
    azb_rng_seed(&r, SEED, 60);
    for (int i = 0; i < N; i++) {
        /* coarse times: many ties, which must come out in push order */
        assert_true(azbi_events_push(&q, (double)azb_rng_below(&r, 1000), 0, 0, (uint64_t)i,
                                     NULL));
    }
    assert_true(azbi_events_size(&q) == N);
    azbi_event prev;
    azbi_event ev;
    assert_true(azbi_events_pop(&q, &prev));
    size_t popped = 1;
    int bad = 0;
    while (azbi_events_pop(&q, &ev)) {
        bad += !(prev.time < ev.time || (prev.time == ev.time && prev.seq < ev.seq));
        bad += ev.seq != ev.arg;
        prev = ev;
        popped++;
    }
    if (bad != 0 || popped != N) {
        fprintf(stderr, "100k: expected %d in (time, seq) order, got %zu with %d out of order\n",
                N, popped, bad);
    }
    assert_int_equal(bad, 0);
    assert_true(popped == N);
    azbi_events_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_with_ties),
        cmocka_unit_test(test_random_against_reference),
        cmocka_unit_test(test_pool_reuse),
        cmocka_unit_test(test_bad_ids),
        cmocka_unit_test(test_100k_pending),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
