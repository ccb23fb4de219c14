/* Event-queue benchmark (run by hand: tests/bench/run_events.sh).
 *
 * hold: the classic hold model. N events pending (exponential times), then
 * each step pops the earliest and pushes one at its time plus an
 * exponential(1) delay, so the queue stays at N. mm4: the push/pop pattern of
 * an M/M/4 queue at utilisation 0.9 (an arrival pushes the next arrival and,
 * when a server is free, a completion; a completion pushes the next
 * completion when someone waits), a few pending events. Prints events
 * (pops) per second, the median of AZB_BENCH_RUNS runs (default 7). */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "azb_rng.h"
#include "azbi_events.h"

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

static double hold(size_t pending, long steps, double *check)
{
    azbi_events q;
    azbi_events_init(&q);
    azb_rng r;
    azb_rng_seed(&r, 1, 0);
    for (size_t i = 0; i < pending; i++) {
        if (!azbi_events_push(&q, azb_rng_exp(&r, 1.0), 0, 0, 0, NULL)) {
            abort();
        }
    }
    double t0 = now_s();
    azbi_event ev;
    for (long i = 0; i < steps; i++) {
        azbi_events_pop(&q, &ev);
        azbi_events_push(&q, ev.time + azb_rng_exp(&r, 1.0), 0, 0, 0, NULL);
    }
    double dt = now_s() - t0;
    *check += ev.time;
    azbi_events_free(&q);
    return (double)steps / dt;
}

static double mm4(long requests, double *check)
{
    const double lambda = 3.6;
    const double mu = 1.0;
    azbi_events q;
    azbi_events_init(&q);
    azb_rng r;
    azb_rng_seed(&r, 2, 0);
    int busy = 0;
    long waiting = 0;
    long arrived = 0;
    long events = 0;
    double t0 = now_s();
    azbi_events_push(&q, azb_rng_exp(&r, lambda), 0, 0, 0, NULL);
    azbi_event ev;
    while (azbi_events_pop(&q, &ev)) {
        events++;
        if (ev.kind == 0) {
            arrived++;
            if (arrived < requests) {
                azbi_events_push(&q, ev.time + azb_rng_exp(&r, lambda), 0, 0, 0, NULL);
            }
            if (busy < 4) {
                busy++;
                azbi_events_push(&q, ev.time + azb_rng_exp(&r, mu), 1, 0, 0, NULL);
            } else {
                waiting++;
            }
        } else if (waiting > 0) {
            waiting--;
            azbi_events_push(&q, ev.time + azb_rng_exp(&r, mu), 1, 0, 0, NULL);
        } else {
            busy--;
        }
    }
    double dt = now_s() - t0;
    *check += ev.time;
    azbi_events_free(&q);
    return (double)events / dt;
}

static void report(const char *name, double *rates, int runs)
{
    qsort(rates, (size_t)runs, sizeof(*rates), cmp_double);
    printf("%-34s median %6.2f M events/s  (min %6.2f, max %6.2f, %d runs)\n", name,
           rates[runs / 2] / 1e6, rates[0] / 1e6, rates[runs - 1] / 1e6, runs);
}

int main(void)
{
    const char *env = getenv("AZB_BENCH_RUNS");
    int runs = env != NULL ? atoi(env) : 7;
    if (runs < 1 || runs > 1000) {
        runs = 7;
    }
    double *rates = malloc((size_t)runs * sizeof(*rates));
    if (rates == NULL) {
        return 1;
    }
    double check = 0.0;
    static const size_t sizes[] = {1000, 100000, 1000000};
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        for (int i = 0; i < runs; i++) {
            rates[i] = hold(sizes[s], 5000000, &check);
        }
        char name[64];
        snprintf(name, sizeof(name), "hold, %zu pending", sizes[s]);
        report(name, rates, runs);
    }
    for (int i = 0; i < runs; i++) {
        rates[i] = mm4(1000000, &check);
    }
    report("M/M/4 rho 0.9, 1e6 requests", rates, runs);
    printf("(checksum %g)\n", check);
    free(rates);
    return 0;
}
