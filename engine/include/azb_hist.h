/*
 * azb_hist: a latency histogram with bounded relative error and fixed memory.
 *
 * Model. Log-linear buckets, as in HdrHistogram: the range [1 us, 1 h] is cut
 * into octaves [2^k, 2^(k+1)) microseconds, k = 0..31, and each octave into
 * AZB_HIST_SUB = 128 buckets of equal width. A bucket [L, U) is therefore at
 * most 1/128 of L wide. Bucket boundaries are exact binary fractions of the
 * octave, so a value's bucket is found with frexp, in constant time.
 *
 * Units. Values are milliseconds (the engine's latency unit). The range is
 * AZB_HIST_MIN_MS = 0.001 ms (1 us) to AZB_HIST_MAX_MS = 3,600,000 ms (1 h).
 *
 * Accuracy.
 *   - count, min and max are exact; mean is the compensated (Neumaier) sum of
 *     the recorded values over the count, exact to a few ulps, whatever the
 *     count. All three use the values as given, before any clamping.
 *   - azb_hist_quantile(h, q) estimates the q-quantile defined as the value
 *     of rank k = ceil(q n) (1 <= k <= n) in the sorted values (q = 0 gives
 *     min, q = 1 gives max). It returns the point p = 2LU / (L + U) of the
 *     bucket [L, U) holding that value, clamped to [min, max], so
 *     |p - x| / x <= (U - L) / (U + L) <= 1 / (2 * 128 + 1) = 0.389% for the
 *     true value x, for every q and every in-range distribution. (Within
 *     the 0.5% the simulator needs, with room to spare.)
 *   - Values outside the range are counted in the edge buckets (below
 *     1 us in the first, above 1 h in the last) and in azb_hist_below /
 *     azb_hist_above, so a report can say they were clamped. Quantiles that
 *     fall on them carry no error bound (they are the edge bucket's value,
 *     clamped to [min, max]). Zero is a legal value (below the range).
 *
 * Memory. Fixed: sizeof(azb_hist), about 32 KB, whatever the count. Counts
 * are 64-bit and do not overflow in any run.
 *
 * Empty histogram. count 0; mean, min, max and every quantile are 0 (never
 * NaN or infinite).
 *
 * Errors. Contract violations assert: a NULL histogram, a negative, NaN or
 * infinite value, q outside [0, 1] or NaN.
 *
 * Ownership. azb_hist is a plain value the caller owns: embed it or use
 * azb_hist_create / azb_hist_destroy for a heap copy. No globals; not
 * thread-safe per histogram (give each replication its own and merge).
 */
#ifndef AZB_HIST_H
#define AZB_HIST_H

#include <stdint.h>

#define AZB_HIST_MIN_MS 0.001
#define AZB_HIST_MAX_MS 3600000.0
#define AZB_HIST_SUB 128
#define AZB_HIST_OCTAVES 32
#define AZB_HIST_BUCKETS (AZB_HIST_SUB * AZB_HIST_OCTAVES)

typedef struct azb_hist {
    uint64_t count;
    uint64_t below; /* values < AZB_HIST_MIN_MS, recorded in bucket 0 */
    uint64_t above; /* values > AZB_HIST_MAX_MS, recorded in the last used bucket */
    double sum;     /* Neumaier sum: sum + comp is the total */
    double comp;
    double min;
    double max;
    uint64_t bucket[AZB_HIST_BUCKETS];
} azb_hist;

/* A zeroed histogram on the heap, or NULL when out of memory. */
azb_hist *azb_hist_create(void);
/* Free a histogram from azb_hist_create (NULL is fine). */
void azb_hist_destroy(azb_hist *h);
/* Empty the histogram (also initialises one the caller declared). */
void azb_hist_reset(azb_hist *h);

/* Record one value in milliseconds (>= 0, finite). */
void azb_hist_record(azb_hist *h, double value_ms);
/* Add every value recorded in `from` to `into` (as if recorded there). */
void azb_hist_merge(azb_hist *into, const azb_hist *from);

uint64_t azb_hist_count(const azb_hist *h);
/* Values recorded below 1 us / above 1 h (clamped into the edge buckets). */
uint64_t azb_hist_below(const azb_hist *h);
uint64_t azb_hist_above(const azb_hist *h);
double azb_hist_mean(const azb_hist *h);
double azb_hist_min(const azb_hist *h);
double azb_hist_max(const azb_hist *h);
/* The q-quantile (0 <= q <= 1), within 0.389% of the exact order statistic. */
double azb_hist_quantile(const azb_hist *h, double q);

#endif
