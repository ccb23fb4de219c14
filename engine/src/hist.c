#include "azb_hist.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

azb_hist *azb_hist_create(void)
{
    azb_hist *h = malloc(sizeof(*h));
    if (h != NULL) {
        azb_hist_reset(h);
    }
    return h;
}

void azb_hist_destroy(azb_hist *h)
{
    free(h);
}

void azb_hist_reset(azb_hist *h)
{
    assert(h != NULL);
    memset(h, 0, sizeof(*h));
}

_Static_assert(AZB_HIST_SUB == 128, "bucket_of reads 7 fraction bits");

/* Index of the bucket holding x microseconds, 1 <= x < 2^32: x = 1.f 2^e
 * with 0 <= e <= 31, and the bucket is e * 128 plus the top 7 bits of the
 * fraction f, read straight from the IEEE-754 bits (what frexp and a
 * multiply would give, without the call). */
static int bucket_of(double x)
{
    uint64_t bits = 0;
    memcpy(&bits, &x, sizeof(bits));
    int e = (int)(bits >> 52) - 1023;
    int sub = (int)((bits >> (52 - 7)) & (AZB_HIST_SUB - 1));
    return e * AZB_HIST_SUB + sub;
}

/* Neumaier's compensated addition of v into (*sum, *comp). */
static void add_sum(double *sum, double *comp, double v)
{
    double t = *sum + v;
    if (fabs(*sum) >= fabs(v)) {
        *comp += (*sum - t) + v;
    } else {
        *comp += (v - t) + *sum;
    }
    *sum = t;
}

void azb_hist_record(azb_hist *h, double value_ms)
{
    assert(h != NULL);
    assert(isfinite(value_ms) && value_ms >= 0.0);
    double x = value_ms / AZB_HIST_MIN_MS;
    int b = 0;
    if (value_ms < AZB_HIST_MIN_MS) {
        h->below++;
    } else if (value_ms > AZB_HIST_MAX_MS) {
        h->above++;
        b = bucket_of(AZB_HIST_MAX_MS / AZB_HIST_MIN_MS);
    } else {
        b = bucket_of(x < 1.0 ? 1.0 : x);
    }
    h->bucket[b]++;
    if (h->count == 0 || value_ms < h->min) {
        h->min = value_ms;
    }
    if (h->count == 0 || value_ms > h->max) {
        h->max = value_ms;
    }
    h->count++;
    add_sum(&h->sum, &h->comp, value_ms);
}

void azb_hist_merge(azb_hist *into, const azb_hist *from)
{
    assert(into != NULL && from != NULL);
    if (from->count == 0) {
        return;
    }
    if (into->count == 0 || from->min < into->min) {
        into->min = from->min;
    }
    if (into->count == 0 || from->max > into->max) {
        into->max = from->max;
    }
    into->count += from->count;
    into->below += from->below;
    into->above += from->above;
    add_sum(&into->sum, &into->comp, from->sum);
    add_sum(&into->sum, &into->comp, from->comp);
    for (int i = 0; i < AZB_HIST_BUCKETS; i++) {
        into->bucket[i] += from->bucket[i];
    }
}

uint64_t azb_hist_count(const azb_hist *h)
{
    assert(h != NULL);
    return h->count;
}

uint64_t azb_hist_below(const azb_hist *h)
{
    assert(h != NULL);
    return h->below;
}

uint64_t azb_hist_above(const azb_hist *h)
{
    assert(h != NULL);
    return h->above;
}

double azb_hist_mean(const azb_hist *h)
{
    assert(h != NULL);
    if (h->count == 0) {
        return 0.0;
    }
    return (h->sum + h->comp) / (double)h->count;
}

double azb_hist_min(const azb_hist *h)
{
    assert(h != NULL);
    return h->min;
}

double azb_hist_max(const azb_hist *h)
{
    assert(h != NULL);
    return h->max;
}

double azb_hist_quantile(const azb_hist *h, double q)
{
    assert(h != NULL);
    assert(q >= 0.0 && q <= 1.0); /* false for NaN too */
    if (h->count == 0) {
        return 0.0;
    }
    if (q <= 0.0) {
        return h->min;
    }
    if (q >= 1.0) {
        return h->max;
    }
    double kf = ceil(q * (double)h->count);
    uint64_t k = kf < 1.0 ? 1 : (uint64_t)kf;
    if (k > h->count) {
        k = h->count;
    }
    uint64_t cum = 0;
    int b = 0;
    for (b = 0; b < AZB_HIST_BUCKETS - 1; b++) {
        cum += h->bucket[b];
        if (cum >= k) {
            break;
        }
    }
    int octave = b / AZB_HIST_SUB;
    int sub = b % AZB_HIST_SUB;
    double base = ldexp(AZB_HIST_MIN_MS, octave);
    double lo = base * (1.0 + (double)sub / AZB_HIST_SUB);
    double hi = base * (1.0 + (double)(sub + 1) / AZB_HIST_SUB);
    double p = 2.0 * lo * hi / (lo + hi);
    if (p < h->min) {
        p = h->min;
    }
    if (p > h->max) {
        p = h->max;
    }
    return p;
}
