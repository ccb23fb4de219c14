/*
 * azb_rng: the seeded pseudo-random generator every simulation draw comes from.
 *
 * Model. xoshiro256** (Blackman and Vigna, 2018): 256 bits of state, period
 * 2^256 - 1, 64-bit outputs that pass BigCrush and PractRand. The state is
 * expanded from a 64-bit seed with splitmix64, as its authors recommend, so
 * every seed (0 included) gives a valid, well-mixed state.
 *
 * Streams. azb_rng_seed(r, seed, stream) gives one independent stream per
 * (seed, stream) pair: the pair is hashed through splitmix64 into the
 * 256-bit state. Two streams are different points of the same 2^256 cycle
 * chosen at random, so the chance that n streams of L draws each overlap is
 * about n^2 L / 2^256: nil for any simulation. Use one stream per source of
 * randomness (arrivals, each node's services, balancing, retries), so that
 * changing one part of a design does not shift the draws of the others.
 * azb_rng_jump advances a generator by 2^128 draws, for callers that want
 * streams that provably never overlap (jump a copy k times for stream k).
 *
 * Distributions.
 *   - azb_rng_uniform: a double in the open interval (0, 1): 53 random bits
 *     centred in their cell, ((x >> 11) + 0.5) * 2^-53, so it is never 0 and
 *     never 1 and -log(u) and log(1 - u) are always finite. Mean exactly 1/2.
 *   - azb_rng_exp(rate): exponential with mean 1/rate: an exact Exp(1)
 *     draw divided by rate. Exp(1) comes from Marsaglia and Tsang's
 *     ziggurat (2000; 256 strips, the layout numpy uses): one 64-bit draw
 *     and a table look-up about 98.9% of the time, a wedge test (one more
 *     uniform and an exp) or the tail beyond 7.697 (R - log(u)) otherwise,
 *     and a rejection redraws; the method is a rejection sampler, so the
 *     draws are exactly exponential (up to the tables' double rounding),
 *     not an approximation of -log(u). Always finite and > 0. A draw
 *     takes a variable number of 64-bit outputs (about 1.01 on average).
 *     azb_rng_exp1 is the same Exp(1) draw, for callers that scale it by
 *     a mean (x * mean) instead of dividing by a rate.
 *   - azb_rng_normal: standard normal by Box-Muller (one pair of uniforms per
 *     draw; the second variate is not cached, so a draw is a pure function
 *     of the state and the state stays four words).
 *   - azb_rng_lognormal(mean, cv): lognormal with the given mean and
 *     coefficient of variation (sd / mean): sigma^2 = ln(1 + cv^2),
 *     mu = ln(mean) - sigma^2 / 2. cv = 0 returns mean exactly.
 *   - azb_rng_below(n): an integer uniform in [0, n), unbiased (Lemire's
 *     multiply-and-reject).
 *
 * Units. None: rates and means are in whatever unit the caller uses (per
 * second and seconds, or per millisecond and milliseconds).
 *
 * Determinism. The same seed and stream give the same sequence on every
 * platform with IEEE-754 doubles; the double-valued draws use log, sqrt,
 * cos and exp from libm, whose last bit can differ between libm versions.
 *
 * Errors. Contract violations assert: a NULL generator, rate <= 0 or not
 * finite, mean <= 0 or cv < 0 or either not finite, n = 0.
 *
 * Ownership. azb_rng is a plain value the caller owns (embed it, copy it,
 * put it on the stack); nothing allocates, there is no global state, and two
 * generators never interact. Not thread-safe per generator: give each
 * thread its own.
 */
#ifndef AZB_RNG_H
#define AZB_RNG_H

#include <stdint.h>

typedef struct azb_rng {
    uint64_t s[4];
} azb_rng;

/* Start the generator on stream `stream` of seed `seed`. */
void azb_rng_seed(azb_rng *r, uint64_t seed, uint64_t stream);

/* The next 64 random bits. */
uint64_t azb_rng_next(azb_rng *r);

/* Advance by 2^128 draws (a stream that never overlaps the one before). */
void azb_rng_jump(azb_rng *r);

/* Uniform in (0, 1), never 0 or 1. */
double azb_rng_uniform(azb_rng *r);

/* Uniform integer in [0, n); n > 0. */
uint64_t azb_rng_below(azb_rng *r, uint64_t n);

/* Exponential with rate `rate` (mean 1 / rate); rate > 0. */
double azb_rng_exp(azb_rng *r, double rate);

/* Exponential with mean 1 (scale it by a mean: no division). */
double azb_rng_exp1(azb_rng *r);

/* Standard normal (mean 0, variance 1). */
double azb_rng_normal(azb_rng *r);

/* Lognormal with mean `mean` > 0 and coefficient of variation cv >= 0. */
double azb_rng_lognormal(azb_rng *r, double mean, double cv);

#endif
