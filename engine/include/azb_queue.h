/*
 * azb_queue: the queueing mathematics the analytic model is built on.
 *
 * Model. A node is a FCFS queue with c identical servers, an infinite buffer
 * (or a finite one for M/M/c/K) and Poisson arrivals at rate lambda. Service
 * times have mean 1/mu and coefficient of variation cs (standard deviation
 * over mean): cs = 1 is exponential, and then every number here is exact
 * (M/M/c, Erlang C). For cs != 1 the queue is M/G/c and the numbers are the
 * Allen-Cunneen approximation, exact for c = 1 (Pollaczek-Khinchine). A path
 * is a series of independent stages plus a fixed delay (network RTTs); its
 * latency is the sum of the stages' sojourn times, inverted numerically from
 * the exact Laplace transform. docs/queueing.md has every formula, its
 * derivation and reference, and the known error of each approximation.
 *
 * Units. Any consistent pair: rates in 1/s (requests per second) and times in
 * seconds, or per-millisecond and milliseconds. Offered load a = lambda/mu is
 * in Erlangs, utilisation rho = lambda/(c mu) is a fraction. Nothing here
 * converts units.
 *
 * Validity and accuracy. Erlang B and C use the Erlang B recursion and are
 * stable for any c up to INT_MAX (cost O(c): about 0.5 ms at c = 100,000)
 * and any a >= 0; no factorial or power is ever formed. M/M/c means are
 * exact to a few ulps; M/M/c quantiles are solved to 1e-13 relative. Path
 * quantiles are exact in law for exponential stages and carry a numerical
 * error near 1e-10 relative, degrading for very concentrated sums (1e-8 at
 * 120 exponential phases in series, 1e-6 at 200). Path latency for 20
 * M/M/c stages and 4 quantiles takes about 30 microseconds.
 *
 * Errors. Two kinds, as everywhere in the engine:
 *   - Contract violations assert: c < 1, K < c, mu <= 0, lambda < 0, any
 *     NaN or infinite argument, a probability q outside [0, 1), a stage with
 *     p_wait outside [0, 1], p_wait > 0 with wait_rate <= 0, a negative mean,
 *     cv or delay, a NULL pointer, nq > AZB_QUEUE_MAX_Q.
 *   - Saturation (rho >= 1) is a state, not an error: results carry
 *     `stable = false`, throughput is capped at c mu, the waiting fields are 0
 *     (they are unbounded and must not be shown), quantile functions return
 *     false, CDFs return 0 and tails 1. No function returns inf or NaN.
 *
 * Ownership. Pure functions on caller-owned values: no allocation, no
 * globals, no I/O; safe to call from any thread. A path borrows its stage
 * array for the duration of a call. The path functions keep their work on
 * the stack (about 24 KB). Their cost is linear in the total number of
 * stages: each quantile needs about three inversions of every path, so a
 * mixture of 64 paths of 5 stages costs about 0.4 ms for three quantiles.
 */
#ifndef AZB_QUEUE_H
#define AZB_QUEUE_H

#include <stdbool.h>

/* Most quantiles one latency call computes. */
#define AZB_QUEUE_MAX_Q 8

/* ---- Erlang formulas -------------------------------------------------- */

/* Erlang B: probability that an arrival to c servers with no queue, offered
 * a = lambda/mu Erlangs, is lost. Defined for every a >= 0. */
double azb_queue_erlang_b(int c, double a);

/* Erlang C: probability that an arrival to M/M/c waits. Returns 1 when
 * a >= c (saturated: in the limit every arrival waits). */
double azb_queue_erlang_c(int c, double a);

/* The arrival rate at which c servers of rate mu reach utilisation 1. */
double azb_queue_saturation_rate(int c, double mu);

/* ---- M/M/c and M/G/c (infinite buffer) -------------------------------- */

typedef struct azb_queue_result {
    double lambda;     /* arrival rate, 1/s */
    double mu;         /* service rate of one server, 1/s */
    int c;             /* servers */
    double cs;         /* service-time coefficient of variation; 1 = M/M/c */
    double a;          /* offered load lambda/mu, Erlangs */
    double rho;        /* utilisation lambda/(c mu); >= 1 means saturated */
    bool stable;       /* rho < 1 */
    double throughput; /* 1/s: lambda when stable, else c mu */
    double p_wait;     /* P(wait > 0): Erlang C; 1 when saturated */
    double wait_rate;  /* 1/s: a wait, when there is one, is Exp(wait_rate); 0 if saturated */
    double wq;         /* mean wait in queue, s */
    double w;          /* mean sojourn (wait + service), s */
    double lq;         /* mean number waiting */
    double l;          /* mean number in the system */
} azb_queue_result;

/* M/M/c, exact. */
void azb_queue_mmc(double lambda, double mu, int c, azb_queue_result *out);

/* M/G/c by Allen-Cunneen: Wq = C(c, a)/(c mu - lambda) * (1 + cs^2)/2, the
 * probability of waiting taken as C(c, a). Exact for c = 1 (M/G/1,
 * Pollaczek-Khinchine) and for cs = 1 (then identical to azb_queue_mmc). */
void azb_queue_mgc(double lambda, double mu, int c, double cs, azb_queue_result *out);

/* Distribution of the wait in queue: an atom 1 - p_wait at 0, otherwise
 * Exp(wait_rate). Exact for M/M/c; for M/G/c the exponential tail is the
 * heavy-traffic form with the Allen-Cunneen mean. cdf = P(Wq <= t),
 * tail = P(Wq > t). */
double azb_queue_wait_cdf(const azb_queue_result *r, double t);
double azb_queue_wait_tail(const azb_queue_result *r, double t);
/* Closed form; q in [0, 1). False (and *t = 0) when saturated. */
bool azb_queue_wait_quantile(const azb_queue_result *r, double q, double *t);

/* Distribution of the sojourn time (wait + service). For cs = 1 the exact
 * M/M/c law: Exp(mu) plus the wait above (a hypoexponential mixture). For
 * cs != 1 the service is the two-moment phase-type fit of docs/queueing.md
 * and the sum is inverted like a one-stage path. */
double azb_queue_sojourn_cdf(const azb_queue_result *r, double t);
double azb_queue_sojourn_tail(const azb_queue_result *r, double t);
/* q in [0, 1). False (and *t = 0) when saturated. */
bool azb_queue_sojourn_quantile(const azb_queue_result *r, double q, double *t);

/* The largest arrival rate whose q-quantile of sojourn is <= target_t, for
 * c servers of rate mu and service cv cs (bisection on lambda; the quantile
 * grows with lambda). False (and *lambda = 0) when even an idle system
 * misses the target, that is when the service time alone exceeds it. */
bool azb_queue_max_lambda(double mu, int c, double cs, double q, double target_t, double *lambda);

/* ---- M/M/c/K (finite capacity: at most K in the system, K >= c) ------- */

typedef struct azb_queue_mmck_result {
    double lambda;     /* offered arrival rate, 1/s */
    double mu;         /* service rate of one server, 1/s */
    int c;             /* servers */
    int k;             /* capacity: most customers present, K >= c */
    double a;          /* offered load lambda/mu, Erlangs */
    double rho;        /* lambda/(c mu); any value is stable here */
    double p_block;    /* P(an arrival finds K present and is lost) */
    double throughput; /* admitted rate lambda (1 - p_block), 1/s */
    double busy;       /* mean fraction of servers busy, throughput/(c mu) */
    double p_wait;     /* P(an admitted customer waits) */
    double lq;         /* mean number waiting */
    double l;          /* mean number in the system */
    double wq;         /* mean wait of an admitted customer, s */
    double w;          /* mean sojourn of an admitted customer, s */
} azb_queue_mmck_result;

/* Always finite; stable for any rho, K up to INT_MAX and c up to 100,000. */
void azb_queue_mmck(double lambda, double mu, int c, int k, azb_queue_mmck_result *out);

/* ---- Paths: the sum of independent stages plus a fixed delay ----------- */

/* One stage's sojourn: a wait that is 0 with probability 1 - p_wait and
 * Exp(wait_rate) otherwise, plus a service time of the given mean and cv
 * (cv 1 = exponential, 0 = constant). Exactly an M/M/c node when cv = 1. */
typedef struct azb_queue_stage {
    double p_wait;       /* [0, 1] */
    double wait_rate;    /* 1/s; must be > 0 when p_wait > 0 */
    double service_mean; /* s, >= 0 */
    double service_cv;   /* >= 0 */
} azb_queue_stage;

typedef struct azb_queue_path {
    const azb_queue_stage *stages; /* borrowed; count entries (NULL if 0) */
    int count;                     /* >= 0 */
    double delay;                  /* fixed time added once (RTTs), s, >= 0 */
} azb_queue_path;

typedef struct azb_queue_latency {
    double mean;               /* s, exact */
    double sd;                 /* s, exact (stage variances add) */
    int nq;                    /* quantiles asked for */
    double q[AZB_QUEUE_MAX_Q]; /* the probabilities */
    double t[AZB_QUEUE_MAX_Q]; /* their quantiles, s */
} azb_queue_latency;

/* The stage a stable queue result describes (asserts r->stable). */
azb_queue_stage azb_queue_make_stage(const azb_queue_result *r);

/* Mean, sd and nq quantiles (each q in [0, 1)) of one path's latency. */
void azb_queue_path_latency(const azb_queue_path *path, int nq, const double *q,
                            azb_queue_latency *out);
/* P(latency > t) for one path. */
double azb_queue_path_tail(const azb_queue_path *path, double t);

/* The same for a mixture: the request follows paths[i] with probability
 * weights[i] (weights >= 0, summing to 1 within 1e-9). Use it for branches,
 * such as a cache miss that adds a database stage. */
void azb_queue_mix_latency(const azb_queue_path *paths, const double *weights, int npaths, int nq,
                           const double *q, azb_queue_latency *out);
double azb_queue_mix_tail(const azb_queue_path *paths, const double *weights, int npaths, double t);

#endif
