#include <math.h>
#include <string.h>
#include <stdlib.h>

#include "azb_sim.h"

/* t(0.975, df) for df = 1..30 (standard tables). */
static const double t975[30] = {12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836,
                                2.446911851,  2.364624252, 2.306004135, 2.262157163, 2.228138852,
                                2.200985160,  2.178812830, 2.160368656, 2.144786688, 2.131449546,
                                2.119905299,  2.109815578, 2.100922040, 2.093024054, 2.085963447,
                                2.079613845,  2.073873068, 2.068657610, 2.063898562, 2.059538553,
                                2.055529439,  2.051830516, 2.048407142, 2.045229642, 2.042272456};

/* Beyond 30: the quantile is close to linear in 1/df between these points. */
static const struct {
    double df;
    double t;
} t975_tail[] = {{30.0, 2.042272456},
                 {40.0, 2.021075390},
                 {60.0, 2.000297822},
                 {120.0, 1.979930405},
                 {1e300, 1.959963985}};

double azb_sim_t975(int df)
{
    if (df < 1) {
        return NAN;
    }
    if (df <= 30) {
        return t975[df - 1];
    }
    double x = 1.0 / (double)df;
    for (size_t i = 0; i + 1 < sizeof(t975_tail) / sizeof(t975_tail[0]); i++) {
        double x0 = 1.0 / t975_tail[i].df;
        double x1 = 1.0 / t975_tail[i + 1].df;
        if (x <= x0 && x >= x1) {
            double w = (x - x1) / (x0 - x1);
            return t975_tail[i + 1].t + w * (t975_tail[i].t - t975_tail[i + 1].t);
        }
    }
    return 1.959963985;
}

static azb_sim_ci ci_of(const double *x, int k)
{
    double m = 0.0;
    for (int i = 0; i < k; i++) {
        m += x[i];
    }
    m /= (double)k;
    double ss = 0.0;
    for (int i = 0; i < k; i++) {
        ss += (x[i] - m) * (x[i] - m);
    }
    azb_sim_ci c = {m, azb_sim_t975(k - 1) * sqrt(ss / (double)(k - 1)) / sqrt((double)k)};
    return c;
}

/* One figure of every replication into x (k values), then its CI. */
#define FIGURE(field, expr)                                                                        \
    do {                                                                                           \
        for (int i = 0; i < k; i++) {                                                              \
            const azb_sim_result *r = &results[i];                                                 \
            x[i] = (expr);                                                                         \
        }                                                                                          \
        out->field = ci_of(x, k);                                                                  \
    } while (0)

bool azb_sim_summarize(const azb_sim_result *results, int k, azb_sim_summary *out)
{
    if (out != NULL) {
        memset(out, 0, sizeof(*out));
    }
    if (results == NULL || out == NULL || k < 2) {
        return false;
    }
    double xs[64];
    double *x = xs;
    double *heap = NULL;
    if (k > 64) {
        heap = malloc(sizeof(double) * (size_t)k);
        if (heap == NULL) {
            return false;
        }
        x = heap;
    }
    out->k = k;
    FIGURE(mean, r->latency.mean);
    FIGURE(p50, r->latency.p50);
    FIGURE(p95, r->latency.p95);
    FIGURE(p99, r->latency.p99);
    FIGURE(p999, r->latency.p999);
    FIGURE(max, r->latency.max);
    /* Percentiles come from a histogram: replications whose quantile falls
     * in the same bucket agree exactly, and a CI of zero would claim more
     * than the histogram knows. No percentile's interval is narrower than
     * the histogram's error bound at its value. */
    azb_sim_ci *pct[] = {&out->p50, &out->p95, &out->p99, &out->p999};
    for (size_t i = 0; i < sizeof(pct) / sizeof(pct[0]); i++) {
        pct[i]->half = fmax(pct[i]->half, pct[i]->mean / (2.0 * AZB_HIST_SUB + 1.0));
    }
    FIGURE(throughput_rps, r->throughput_rps);
    FIGURE(error_rate, (double)(r->throttled + r->dropped + r->timeouts + r->failed) /
                           fmax(1.0, (double)(r->completed + r->throttled + r->dropped +
                                              r->timeouts + r->failed)));
    free(heap);
    return true;
}
