#include "azb_rng.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>

/* GCC and Clang have 128-bit integers on 64-bit targets; __extension__ keeps
 * -Wpedantic quiet about it. */
__extension__ typedef unsigned __int128 u128;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void azb_rng_seed(azb_rng *r, uint64_t seed, uint64_t stream)
{
    assert(r != NULL);
    /* Hash the pair first so (seed, stream) and (seed + 1, stream - 1) do not
     * start splitmix64 from neighbouring points. */
    uint64_t h = seed;
    uint64_t x = splitmix64(&h);
    h = stream ^ UINT64_C(0x6a09e667f3bcc909);
    x ^= splitmix64(&h);
    for (int i = 0; i < 4; i++) {
        r->s[i] = splitmix64(&x);
    }
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0) {
        r->s[0] = 1; /* the one state xoshiro cannot leave; 2^-256 likely */
    }
}

uint64_t azb_rng_next(azb_rng *r)
{
    assert(r != NULL);
    uint64_t *s = r->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

void azb_rng_jump(azb_rng *r)
{
    static const uint64_t jump[4] = {UINT64_C(0x180ec6d33cfd0aba), UINT64_C(0xd5a61266f0c9392c),
                                     UINT64_C(0xa9582618e03fc9aa), UINT64_C(0x39abdc4529b1661c)};
    assert(r != NULL);
    uint64_t s0 = 0;
    uint64_t s1 = 0;
    uint64_t s2 = 0;
    uint64_t s3 = 0;
    for (int i = 0; i < 4; i++) {
        for (int b = 0; b < 64; b++) {
            if ((jump[i] & (UINT64_C(1) << b)) != 0) {
                s0 ^= r->s[0];
                s1 ^= r->s[1];
                s2 ^= r->s[2];
                s3 ^= r->s[3];
            }
            (void)azb_rng_next(r);
        }
    }
    r->s[0] = s0;
    r->s[1] = s1;
    r->s[2] = s2;
    r->s[3] = s3;
}

double azb_rng_uniform(azb_rng *r)
{
    return ((double)(azb_rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

uint64_t azb_rng_below(azb_rng *r, uint64_t n)
{
    assert(n > 0);
    /* Lemire (2019): the high word of x * n is uniform once the low words
     * below 2^64 mod n are rejected. */
    u128 m = (u128)azb_rng_next(r) * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        const uint64_t threshold = (0 - n) % n;
        while (low < threshold) {
            m = (u128)azb_rng_next(r) * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

double azb_rng_exp(azb_rng *r, double rate)
{
    assert(isfinite(rate) && rate > 0.0);
    return -log(azb_rng_uniform(r)) / rate;
}

double azb_rng_normal(azb_rng *r)
{
    const double two_pi = 6.283185307179586476925286766559;
    double u1 = azb_rng_uniform(r);
    double u2 = azb_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(two_pi * u2);
}

double azb_rng_lognormal(azb_rng *r, double mean, double cv)
{
    assert(r != NULL);
    assert(isfinite(mean) && mean > 0.0 && isfinite(cv) && cv >= 0.0);
    if (cv == 0.0) {
        return mean;
    }
    double s2 = log1p(cv * cv);
    double mu = log(mean) - 0.5 * s2;
    return exp(mu + sqrt(s2) * azb_rng_normal(r));
}
