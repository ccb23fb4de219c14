#include "azb_queue.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>

#define PI 3.14159265358979323846

/* ---- Erlang formulas -------------------------------------------------- */

double azb_queue_erlang_b(int c, double a)
{
    assert(c >= 1 && isfinite(a) && a >= 0.0);
    /* B(k) = a B(k-1) / (k + a B(k-1)): every step is a ratio of positive
     * numbers, so it neither overflows nor cancels; it can only underflow to
     * 0 when B is below 1e-308, which is the right answer. */
    double b = 1.0;
    for (int k = 1; k <= c; k++) {
        double ab = a * b;
        b = ab / ((double)k + ab);
    }
    return b;
}

double azb_queue_erlang_c(int c, double a)
{
    assert(c >= 1 && isfinite(a) && a >= 0.0);
    if (a >= (double)c) {
        return 1.0;
    }
    double b = azb_queue_erlang_b(c, a);
    double rho = a / (double)c;
    return b / (1.0 - rho * (1.0 - b));
}

double azb_queue_saturation_rate(int c, double mu)
{
    assert(c >= 1 && isfinite(mu) && mu > 0.0);
    return (double)c * mu;
}

/* ---- M/M/c and M/G/c ------------------------------------------------- */

void azb_queue_mgc(double lambda, double mu, int c, double cs, azb_queue_result *out)
{
    assert(out != NULL && c >= 1);
    assert(isfinite(lambda) && lambda >= 0.0 && isfinite(mu) && mu > 0.0);
    assert(isfinite(cs) && cs >= 0.0);
    double cmu = (double)c * mu;
    azb_queue_result r = {0};
    r.lambda = lambda;
    r.mu = mu;
    r.c = c;
    r.cs = cs;
    r.a = lambda / mu;
    r.rho = lambda / cmu;
    r.stable = lambda < cmu;
    if (!r.stable) {
        r.throughput = cmu;
        r.p_wait = 1.0;
        *out = r;
        return;
    }
    r.throughput = lambda;
    r.p_wait = azb_queue_erlang_c(c, r.a);
    /* Allen-Cunneen: the M/M/c wait scaled by (ca^2 + cs^2)/2 with ca = 1.
     * The probability of waiting stays Erlang C, so the conditional wait
     * is Exp with mean (1 + cs^2) / (2 (c mu - lambda)). */
    double scale = 0.5 * (1.0 + cs * cs);
    r.wait_rate = (cmu - lambda) / scale;
    r.wq = r.p_wait / r.wait_rate;
    r.w = r.wq + 1.0 / mu;
    r.lq = lambda * r.wq;
    r.l = lambda * r.w;
    *out = r;
}

void azb_queue_mmc(double lambda, double mu, int c, azb_queue_result *out)
{
    azb_queue_mgc(lambda, mu, c, 1.0, out);
}

/* ---- Waiting time ---------------------------------------------------- */

static void check_result(const azb_queue_result *r)
{
    assert(r != NULL && r->c >= 1 && r->mu > 0.0);
    assert(r->p_wait >= 0.0 && r->p_wait <= 1.0);
    assert(!r->stable || r->p_wait == 0.0 || r->wait_rate > 0.0);
    (void)r;
}

double azb_queue_wait_tail(const azb_queue_result *r, double t)
{
    check_result(r);
    assert(!isnan(t));
    if (!r->stable || t < 0.0) {
        return 1.0;
    }
    return r->p_wait * exp(-r->wait_rate * t);
}

double azb_queue_wait_cdf(const azb_queue_result *r, double t)
{
    check_result(r);
    assert(!isnan(t));
    if (!r->stable || t < 0.0) {
        return 0.0;
    }
    return 1.0 - r->p_wait * exp(-r->wait_rate * t);
}

bool azb_queue_wait_quantile(const azb_queue_result *r, double q, double *t)
{
    check_result(r);
    assert(t != NULL && q >= 0.0 && q < 1.0);
    *t = 0.0;
    if (!r->stable) {
        return false;
    }
    if (r->p_wait > 0.0 && 1.0 - q < r->p_wait) {
        *t = (log(r->p_wait) - log1p(-q)) / r->wait_rate;
    }
    return true;
}

/* ---- A safeguarded Newton solver for quantiles ------------------------ */

/* Evaluates a distribution at t: tail P(T > t), cdf P(T <= t), density. */
typedef void (*dist_fn)(void *ctx, double t, double *tail, double *cdf, double *pdf);

/* Solves F(t) = q for t >= lo0 with F(lo0) < q. Newton on log(tail) for
 * upper quantiles and on log(cdf) for lower ones (both are nearly linear
 * where they matter, so it converges in a few steps), falling back to
 * bisection whenever a step leaves the bracket or the density vanishes (a
 * jump or a flat stretch). A Newton step of relative size `accept` ends the
 * search without another evaluation: convergence is quadratic, so the
 * error after it is about accept^2 (1e-12 for the paths, where each
 * evaluation is a whole numerical inversion). Bisection stops at `tol`. */
static double solve_quantile(dist_fn fn, void *ctx, double q, double lo0, double t0, double tol,
                             double accept)
{
    bool upper = q >= 0.5;
    double lo = lo0;
    double hi = 0.0;
    bool have_hi = false;
    double t = t0 > lo ? t0 : lo + fmax(fabs(lo), 1.0);
    for (int it = 0; it < 300; it++) {
        double sf = 0.0;
        double cdf = 0.0;
        double pdf = 0.0;
        fn(ctx, t, &sf, &cdf, &pdf);
        bool below = upper ? (sf > 1.0 - q) : (cdf < q);
        if (below) {
            lo = t;
        } else {
            hi = t;
            have_hi = true;
        }
        double next = lo; /* rejected below unless Newton applies */
        if (it < 60 && pdf > 0.0) {
            if (upper && sf > 0.0) {
                next = t + sf * (log(sf) - log1p(-q)) / pdf;
            } else if (!upper && cdf > 0.0) {
                next = t - cdf * (log(cdf) - log(q)) / pdf;
            }
        }
        if (next > lo && (!have_hi || next < hi)) {
            if (fabs(next - t) <= accept * fabs(next)) {
                return next;
            }
        } else {
            next = have_hi ? 0.5 * (lo + hi) : lo0 + 2.0 * (t - lo0);
        }
        if (have_hi && hi - lo <= tol * fabs(hi)) {
            return 0.5 * (lo + hi);
        }
        t = next;
    }
    return t;
}

/* ---- M/M/c sojourn: exact closed form ------------------------------- */

/* Sojourn = Exp(mu) + wait. The wait part is a hypoexponential with rates
 * r1 <= r2, written as e^{-r1 t} (1 + r1 t g(d t)), d = r2 - r1, with
 * g(x) = (1 - e^{-x})/x from expm1: exact as d -> 0 (it becomes the
 * Erlang-2 form), no cancellation, no overflow for either order. */
static double g_fn(double x)
{
    return x > 0.0 ? -expm1(-x) / x : 1.0;
}

static void mmc_sojourn_eval(void *ctx, double t, double *tail, double *cdf, double *pdf)
{
    const azb_queue_result *r = ctx;
    double mu = r->mu;
    double cw = r->p_wait;
    if (t <= 0.0) {
        *tail = 1.0;
        *cdf = 0.0;
        *pdf = t < 0.0 ? 0.0 : (1.0 - cw) * mu;
        return;
    }
    double e = exp(-mu * t);
    double hs = 0.0;
    double hf = 0.0;
    double hp = 0.0;
    if (cw > 0.0) {
        double r1 = fmin(mu, r->wait_rate);
        double r2 = fmax(mu, r->wait_rate);
        double g = g_fn((r2 - r1) * t);
        double e1 = exp(-r1 * t);
        hs = e1 * (1.0 + r1 * t * g);
        hp = r1 * r2 * t * g * e1;
        /* For small t, 1 - hs cancels; use the series of the hypoexponential
         * CDF r1 r2 t^2/2 (1 - (r1 + r2) t/3 + ...). */
        double s = (r1 + r2) * t;
        if (s < 1e-3) {
            hf = 0.5 * r1 * r2 * t * t *
                 (1.0 - s / 3.0 + (r1 * r1 + r1 * r2 + r2 * r2) * t * t / 12.0);
        } else {
            hf = 1.0 - hs;
        }
    }
    *tail = (1.0 - cw) * e + cw * hs;
    *cdf = (1.0 - cw) * -expm1(-mu * t) + cw * hf;
    *pdf = (1.0 - cw) * mu * e + cw * hp;
}

/* ---- Paths: factors of the Laplace transform -------------------------- */

/* One factor of a stage's transform: (1 + alpha s) / ((1 + s/r1)^k1 (1 + s/r2)^k2).
 * Every stage is at most two: its wait, (1 + (1-P) s/theta)/(1 + s/theta),
 * and its service fitted by two moments (docs/queueing.md):
 *   cv = 1          exponential             1/(1 + s m)
 *   1/K <= cv^2 < 1 mixed Erlang(k-1,k)     (1 + p s/r)/(1 + s/r)^k
 *   cv^2 < 1/K      shift + Erlang(K)       e^{-s D}/(1 + s/r)^K
 *   cv > 1          balanced-means H2       (1 + s(p1/r2 + p2/r1))/((1+s/r1)(1+s/r2))
 * All rational, so a node of the inversion costs complex multiplies only. */
typedef struct factor {
    double alpha;
    double r1;
    double r2;
    int k1;
    int k2;
} factor;

enum {
    ERLANG_MAX = 16,  /* K above: phases in the lowest-cv service fit */
    EULER_M = 16,     /* Euler inversion: 2M+1 transform evaluations */
    CACHE_STAGES = 256 /* stages fitted once per call; more are refitted */
};

static void check_stage(const azb_queue_stage *s)
{
    assert(s->p_wait >= 0.0 && s->p_wait <= 1.0);
    assert(s->p_wait == 0.0 || (isfinite(s->wait_rate) && s->wait_rate > 0.0));
    assert(isfinite(s->service_mean) && s->service_mean >= 0.0);
    assert(isfinite(s->service_cv) && s->service_cv >= 0.0);
    (void)s;
}

static void fit_stage(const azb_queue_stage *s, factor f[2], double *shift)
{
    const factor none = {0.0, 1.0, 1.0, 0, 0};
    f[0] = none;
    f[1] = none;
    *shift = 0.0;
    if (s->p_wait > 0.0) {
        f[0].alpha = (1.0 - s->p_wait) / s->wait_rate;
        f[0].r1 = s->wait_rate;
        f[0].k1 = 1;
    }
    double m = s->service_mean;
    double cv = s->service_cv;
    double c2 = cv * cv;
    if (m <= 0.0) {
        return;
    }
    if (cv == 1.0) {
        f[1].r1 = 1.0 / m;
        f[1].k1 = 1;
    } else if (c2 > 1.0) {
        /* p1,2 = (1 +- s)/2 with s = sqrt((c2-1)/(c2+1)); p2 without the
         * cancellation of 1 - s at large cv: (1 - s^2)/(2 (1 + s)). */
        double sq = sqrt((c2 - 1.0) / (c2 + 1.0));
        double p2 = 1.0 / ((c2 + 1.0) * (1.0 + sq));
        double p1 = 1.0 - p2;
        f[1].r1 = 2.0 * p1 / m;
        f[1].r2 = 2.0 * p2 / m;
        f[1].k1 = 1;
        f[1].k2 = 1;
        f[1].alpha = p1 / f[1].r2 + p2 / f[1].r1;
    } else if (c2 * ERLANG_MAX >= 1.0) {
        double kd = ceil(1.0 / c2);
        if (kd > ERLANG_MAX) {
            kd = ERLANG_MAX;
        }
        double p = (kd * c2 - sqrt(fmax(0.0, kd * (1.0 + c2) - kd * kd * c2))) / (1.0 + c2);
        p = fmin(fmax(p, 0.0), 1.0);
        double r = (kd - p) / m;
        f[1].alpha = p / r;
        f[1].r1 = r;
        f[1].k1 = (int)kd;
    } else if (cv > 0.0) {
        double sk = sqrt((double)ERLANG_MAX);
        f[1].r1 = sk / (cv * m);
        f[1].k1 = ERLANG_MAX;
        *shift = m * (1.0 - cv * sk);
    } else {
        *shift = m;
    }
}

/* What one call knows about a path: its fixed shift, its exact moments, the
 * law of its random part (atom at 0, slowest rate) and fitted factors. */
typedef struct pathx {
    const azb_queue_path *path;
    const factor *cache; /* factors of stages [0, ncached) */
    int ncached;
    double shift; /* delay plus the constant parts of services */
    double mean;  /* of the whole latency */
    double var;
    double rmin;  /* slowest rate of the random part */
    double p0;    /* P(random part = 0) */
    bool random;  /* has a random part at all */
    double gamma; /* last saddlepoint, a warm start */
} pathx;

static void check_path(const azb_queue_path *p)
{
    assert(p != NULL && p->count >= 0 && (p->count == 0 || p->stages != NULL));
    assert(isfinite(p->delay) && p->delay >= 0.0);
    (void)p;
}

static void pathx_init(pathx *px, const azb_queue_path *path, factor *cache, int cache_cap)
{
    check_path(path);
    pathx x = {0};
    x.path = path;
    x.cache = cache;
    x.shift = path->delay;
    x.mean = path->delay;
    x.rmin = HUGE_VAL;
    x.p0 = 1.0;
    bool service_random = false;
    for (int i = 0; i < path->count; i++) {
        const azb_queue_stage *s = &path->stages[i];
        check_stage(s);
        factor f[2];
        double shift = 0.0;
        fit_stage(s, f, &shift);
        if (i < cache_cap) {
            cache[2 * i] = f[0];
            cache[2 * i + 1] = f[1];
            x.ncached = i + 1;
        }
        x.shift += shift;
        double sm = s->service_mean;
        x.mean += sm;
        x.var += s->service_cv * s->service_cv * sm * sm;
        if (s->p_wait > 0.0) {
            x.mean += s->p_wait / s->wait_rate;
            x.var += s->p_wait * (2.0 - s->p_wait) / (s->wait_rate * s->wait_rate);
            x.p0 *= 1.0 - s->p_wait;
            x.random = true;
        }
        for (int j = 0; j < 2; j++) {
            if (f[j].k1 > 0) {
                x.rmin = fmin(x.rmin, f[j].r1);
            }
            if (f[j].k2 > 0) {
                x.rmin = fmin(x.rmin, f[j].r2);
            }
        }
        if (f[1].k1 > 0) {
            service_random = true;
            x.random = true;
        }
    }
    if (service_random) {
        x.p0 = 0.0;
    }
    *px = x;
}

static const factor *path_factors(const pathx *px, int i, factor tmp[2])
{
    if (i < px->ncached) {
        return &px->cache[2 * i];
    }
    double shift = 0.0;
    fit_stage(&px->path->stages[i], tmp, &shift);
    return tmp;
}

/* First and second derivative of the cumulant generating function
 * K(g) = log E[e^{g T}] of the random part, for g < rmin. */
static void path_cgf(const pathx *px, double g, double *k1, double *k2)
{
    double d1 = 0.0;
    double d2 = 0.0;
    for (int i = 0; i < px->path->count; i++) {
        factor tmp[2];
        const factor *f = path_factors(px, i, tmp);
        for (int j = 0; j < 2; j++) {
            if (f[j].alpha != 0.0) {
                double u = f[j].alpha / (1.0 - f[j].alpha * g);
                d1 -= u;
                d2 -= u * u;
            }
            if (f[j].k1 > 0) {
                double u = 1.0 / (f[j].r1 - g);
                d1 += f[j].k1 * u;
                d2 += f[j].k1 * u * u;
            }
            if (f[j].k2 > 0) {
                double u = 1.0 / (f[j].r2 - g);
                d1 += f[j].k2 * u;
                d2 += f[j].k2 * u * u;
            }
        }
    }
    *k1 = d1;
    *k2 = d2;
}

/* The saddlepoint: g with K'(g) = x, the tilt that centres the random part
 * on x. Inverting e^{g t} P(T > t) instead of P(T > t) keeps the inversion's
 * round-off relative to the answer, so tails of 1e-12 come out as precisely
 * as medians. Only round-off depends on g, so 1e-3 is close enough. */
static double path_saddle(const pathx *px, double x, double g0)
{
    double lo = -HUGE_VAL;
    double hi = px->rmin;
    double g = (g0 < hi) ? g0 : 0.0;
    for (int it = 0; it < 60; it++) {
        double k1 = 0.0;
        double k2 = 0.0;
        path_cgf(px, g, &k1, &k2);
        if (fabs(k1 - x) <= 1e-3 * x) {
            break;
        }
        if (k1 < x) {
            lo = g;
        } else {
            hi = g;
        }
        double next = k2 > 0.0 ? g - (k1 - x) / k2 : hi;
        if (!(next > lo && next < hi)) {
            if (isfinite(lo)) {
                next = 0.5 * (lo + hi);
            } else {
                next = g - 2.0 * (fabs(g) + 1.0 / x);
            }
        }
        g = next;
    }
    return g;
}

/* Euler weights eta_k = (-1)^k xi_k of Abate and Whitt's unified framework. */
typedef struct euler {
    double eta[2 * EULER_M + 1];
    double a; /* M ln(10)/3: the abscissa times t */
} euler;

static void euler_init(euler *e)
{
    const int m = EULER_M;
    double binom = 1.0;
    double cum = 0.0;
    double scale = ldexp(1.0, -m);
    e->eta[0] = 0.5;
    for (int k = 1; k <= m; k++) {
        e->eta[k] = 1.0;
    }
    for (int k = 0; k < m; k++) {
        cum += binom;
        e->eta[2 * m - k] = cum * scale;
        binom = binom * (double)(m - k) / (double)(k + 1);
    }
    for (int k = 1; k <= 2 * m; k += 2) {
        e->eta[k] = -e->eta[k];
    }
    e->a = (double)m * log(10.0) / 3.0;
}

/* The law of one path at t: tail, cdf and density, by Euler inversion of
 * the exact transform of its random part, tilted at the saddlepoint. */
static void path_eval(pathx *px, const euler *eu, double t, double *tail, double *cdf, double *pdf)
{
    double x = t - px->shift;
    if (!px->random || x <= 0.0) {
        bool reached = px->random ? (x >= 0.0 && px->p0 > 0.0) : x >= 0.0;
        double at0 = px->random ? px->p0 : 1.0;
        *cdf = reached ? at0 : 0.0;
        *tail = 1.0 - *cdf;
        *pdf = 0.0;
        return;
    }
    enum { N = 2 * EULER_M + 1 };
    double g = path_saddle(px, x, px->gamma);
    px->gamma = g;
    double zr = eu->a / x - g;
    double zi = PI / x;
    double nr[N];
    double ni[N];
    double dr[N];
    double di[N];
    for (int k = 0; k < N; k++) {
        nr[k] = 1.0;
        ni[k] = 0.0;
        dr[k] = 1.0;
        di[k] = 0.0;
    }
    for (int i = 0; i < px->path->count; i++) {
        factor tmp[2];
        const factor *fs = path_factors(px, i, tmp);
        for (int j = 0; j < 2; j++) {
            const factor *f = &fs[j];
            if (f->alpha != 0.0) {
                double br = 1.0 + f->alpha * zr;
                double bi = f->alpha * zi;
                for (int k = 0; k < N; k++) {
                    double im = bi * (double)k;
                    double re2 = nr[k] * br - ni[k] * im;
                    ni[k] = nr[k] * im + ni[k] * br;
                    nr[k] = re2;
                }
            }
            for (int h = 0; h < 2; h++) {
                int pw = h == 0 ? f->k1 : f->k2;
                double r = h == 0 ? f->r1 : f->r2;
                if (pw == 0) {
                    continue;
                }
                double br = 1.0 + zr / r;
                double bi = zi / r;
                if (pw == 1) {
                    for (int k = 0; k < N; k++) {
                        double im = bi * (double)k;
                        double re2 = dr[k] * br - di[k] * im;
                        di[k] = dr[k] * im + di[k] * br;
                        dr[k] = re2;
                    }
                    continue;
                }
                /* den *= (br + i k bi)^pw by repeated squaring: each set
                 * bit of pw multiplies den by the current square, bit by
                 * bit over all nodes at once (the loops over k vectorise). */
                double sr[N];
                double si[N];
                for (int k = 0; k < N; k++) {
                    sr[k] = br;
                    si[k] = bi * (double)k;
                }
                for (int e = pw;;) {
                    if (e & 1) {
                        for (int k = 0; k < N; k++) {
                            double re2 = dr[k] * sr[k] - di[k] * si[k];
                            di[k] = dr[k] * si[k] + di[k] * sr[k];
                            dr[k] = re2;
                        }
                    }
                    e >>= 1;
                    if (e == 0) {
                        break;
                    }
                    for (int k = 0; k < N; k++) {
                        double t3 = sr[k] * sr[k] - si[k] * si[k];
                        si[k] = 2.0 * sr[k] * si[k];
                        sr[k] = t3;
                    }
                }
            }
            /* Keep the running products in range; only num/den matters and
             * it is bounded by the moment generating function. Each factor's
             * modulus grows with k, so the last node is the largest, and
             * |num| <= |den| factor by factor. */
            if (fabs(dr[N - 1]) + fabs(di[N - 1]) > 1e150) {
                for (int k = 0; k < N; k++) {
                    dr[k] *= 1e-150;
                    di[k] *= 1e-150;
                    nr[k] *= 1e-150;
                    ni[k] *= 1e-150;
                }
            }
        }
    }
    double sum_tail = 0.0;
    double sum_cdf = 0.0;
    double sum_pdf = 0.0;
    for (int k = 0; k < N; k++) {
        double den = dr[k] * dr[k] + di[k] * di[k];
        double phr = (nr[k] * dr[k] + ni[k] * di[k]) / den;
        double phi = (ni[k] * dr[k] - nr[k] * di[k]) / den;
        double wr = zr;
        double wi = zi * (double)k;
        double wd = wr * wr + wi * wi;
        /* Re[(1 - phi)/z], Re[phi/z], Re[phi - p0] */
        double ur = 1.0 - phr;
        double ui = -phi;
        sum_tail += eu->eta[k] * (ur * wr + ui * wi) / wd;
        sum_cdf += eu->eta[k] * (phr * wr + phi * wi) / wd;
        sum_pdf += eu->eta[k] * (phr - px->p0);
    }
    double scale = exp(eu->a - g * x) / x;
    double pd = scale * sum_pdf;
    if (g >= 0.0) {
        double s = fmin(fmax(scale * sum_tail, 0.0), 1.0);
        *tail = s;
        *cdf = 1.0 - s;
    } else {
        double c = fmin(fmax(scale * sum_cdf, 0.0), 1.0);
        *cdf = c;
        *tail = 1.0 - c;
    }
    *pdf = pd > 0.0 ? pd : 0.0;
}

/* ---- Mixtures of paths ----------------------------------------------- */

enum { MIX_CACHED = 64 }; /* paths whose summary is kept; more are redone */

typedef struct mix {
    const azb_queue_path *paths;
    const double *weights;
    int n;
    pathx px[MIX_CACHED];
    factor cache[2 * CACHE_STAGES];
    euler eu;
    double mean;
    double var;
    double min_shift;
} mix;

static void mix_init(mix *m, const azb_queue_path *paths, const double *weights, int n)
{
    assert(paths != NULL && weights != NULL && n >= 1);
    m->paths = paths;
    m->weights = weights;
    m->n = n;
    euler_init(&m->eu);
    int used = 0;
    double wsum = 0.0;
    double m1 = 0.0;
    double m2 = 0.0;
    m->min_shift = HUGE_VAL;
    for (int j = 0; j < n; j++) {
        double w = weights[j];
        assert(isfinite(w) && w >= 0.0);
        wsum += w;
        pathx tmp;
        pathx *px = j < MIX_CACHED ? &m->px[j] : &tmp;
        int cap = (j < MIX_CACHED && used < CACHE_STAGES) ? CACHE_STAGES - used : 0;
        pathx_init(px, &paths[j], &m->cache[2 * used], cap);
        used += px->ncached;
        m1 += w * px->mean;
        m2 += w * (px->var + px->mean * px->mean);
        if (w > 0.0) {
            m->min_shift = fmin(m->min_shift, px->shift);
        }
    }
    assert(fabs(wsum - 1.0) <= 1e-9);
    (void)wsum;
    m->mean = m1;
    m->var = fmax(m2 - m1 * m1, 0.0);
}

static void mix_eval(void *ctx, double t, double *tail, double *cdf, double *pdf)
{
    mix *m = ctx;
    double st = 0.0;
    double sc = 0.0;
    double sp = 0.0;
    for (int j = 0; j < m->n; j++) {
        double w = m->weights[j];
        if (w == 0.0) {
            continue;
        }
        pathx tmp;
        pathx *px = &tmp;
        if (j < MIX_CACHED) {
            px = &m->px[j];
        } else {
            pathx_init(px, &m->paths[j], NULL, 0);
        }
        double a = 0.0;
        double b = 0.0;
        double c = 0.0;
        path_eval(px, &m->eu, t, &a, &b, &c);
        st += w * a;
        sc += w * b;
        sp += w * c;
    }
    *tail = st;
    *cdf = sc;
    *pdf = sp;
}

/* Standard normal quantile, Abramowitz and Stegun 26.2.23 (|error| < 4.5e-4);
 * only a starting point for Newton. */
static double norm_quantile(double p)
{
    double pp = p < 0.5 ? p : 1.0 - p;
    double s = sqrt(-2.0 * log(pp));
    double z = s - (2.515517 + s * (0.802853 + s * 0.010328)) /
                       (1.0 + s * (1.432788 + s * (0.189269 + s * 0.001308)));
    return p < 0.5 ? -z : z;
}

/* Wilson-Hilferty quantile of the gamma law with this mean and variance. */
static double gamma_guess(double mean, double var, double q)
{
    if (mean <= 0.0 || var <= 0.0) {
        return mean > 0.0 ? mean : 1.0;
    }
    double k = mean * mean / var;
    double z = norm_quantile(q);
    double b = 1.0 - 1.0 / (9.0 * k) + z / (3.0 * sqrt(k));
    if (b < 0.2) {
        b = 0.2;
    }
    return mean * b * b * b;
}

static double mix_quantile(mix *m, double q)
{
    if (q == 0.0) {
        return m->min_shift;
    }
    /* An atom at the smallest shift (constant services, no wait) is met
     * exactly rather than approached by bisection. */
    double tail0 = 0.0;
    double cdf0 = 0.0;
    double pdf0 = 0.0;
    mix_eval(m, m->min_shift, &tail0, &cdf0, &pdf0);
    if (cdf0 >= q) {
        return m->min_shift;
    }
    double t0 = m->min_shift + gamma_guess(m->mean - m->min_shift, m->var, q);
    return solve_quantile(mix_eval, m, q, m->min_shift, t0, 1e-12, 1e-6);
}

static void mix_latency(mix *m, int nq, const double *q, azb_queue_latency *out)
{
    assert(out != NULL && nq >= 0 && nq <= AZB_QUEUE_MAX_Q && (nq == 0 || q != NULL));
    azb_queue_latency res = {0};
    res.mean = m->mean;
    res.sd = sqrt(m->var);
    res.nq = nq;
    for (int i = 0; i < nq; i++) {
        assert(q[i] >= 0.0 && q[i] < 1.0);
        res.q[i] = q[i];
        res.t[i] = mix_quantile(m, q[i]);
    }
    *out = res;
}

void azb_queue_mix_latency(const azb_queue_path *paths, const double *weights, int npaths, int nq,
                           const double *q, azb_queue_latency *out)
{
    mix m;
    mix_init(&m, paths, weights, npaths);
    mix_latency(&m, nq, q, out);
}

void azb_queue_path_latency(const azb_queue_path *path, int nq, const double *q,
                            azb_queue_latency *out)
{
    const double one = 1.0;
    azb_queue_mix_latency(path, &one, 1, nq, q, out);
}

double azb_queue_mix_tail(const azb_queue_path *paths, const double *weights, int npaths, double t)
{
    assert(!isnan(t));
    mix m;
    mix_init(&m, paths, weights, npaths);
    double tail = 1.0;
    double cdf = 0.0;
    double pdf = 0.0;
    mix_eval(&m, t, &tail, &cdf, &pdf);
    return tail;
}

double azb_queue_path_tail(const azb_queue_path *path, double t)
{
    const double one = 1.0;
    return azb_queue_mix_tail(path, &one, 1, t);
}

azb_queue_stage azb_queue_make_stage(const azb_queue_result *r)
{
    check_result(r);
    assert(r->stable);
    azb_queue_stage s = {r->p_wait, r->wait_rate, 1.0 / r->mu, r->cs};
    if (s.p_wait == 0.0) {
        s.wait_rate = 0.0;
    }
    return s;
}

/* ---- Sojourn time of one queue -------------------------------------- */

double azb_queue_sojourn_tail(const azb_queue_result *r, double t)
{
    check_result(r);
    assert(!isnan(t));
    if (!r->stable || t < 0.0) {
        return 1.0;
    }
    if (r->cs == 1.0) {
        azb_queue_result copy = *r;
        double tail = 1.0;
        double cdf = 0.0;
        double pdf = 0.0;
        mmc_sojourn_eval(&copy, t, &tail, &cdf, &pdf);
        return tail;
    }
    azb_queue_stage s = azb_queue_make_stage(r);
    azb_queue_path p = {&s, 1, 0.0};
    return azb_queue_path_tail(&p, t);
}

double azb_queue_sojourn_cdf(const azb_queue_result *r, double t)
{
    check_result(r);
    assert(!isnan(t));
    if (!r->stable || t < 0.0) {
        return 0.0;
    }
    if (r->cs == 1.0) {
        azb_queue_result copy = *r;
        double tail = 1.0;
        double cdf = 0.0;
        double pdf = 0.0;
        mmc_sojourn_eval(&copy, t, &tail, &cdf, &pdf);
        return cdf;
    }
    return 1.0 - azb_queue_sojourn_tail(r, t);
}

bool azb_queue_sojourn_quantile(const azb_queue_result *r, double q, double *t)
{
    check_result(r);
    assert(t != NULL && q >= 0.0 && q < 1.0);
    *t = 0.0;
    if (!r->stable) {
        return false;
    }
    if (q == 0.0) {
        return true;
    }
    if (r->cs == 1.0) {
        azb_queue_result copy = *r;
        double t0 = -log1p(-q) * r->w;
        *t = solve_quantile(mmc_sojourn_eval, &copy, q, 0.0, t0, 1e-14, 1e-14);
        return true;
    }
    azb_queue_stage s = azb_queue_make_stage(r);
    azb_queue_path p = {&s, 1, 0.0};
    azb_queue_latency lat;
    azb_queue_path_latency(&p, 1, &q, &lat);
    *t = lat.t[0];
    return true;
}

bool azb_queue_max_lambda(double mu, int c, double cs, double q, double target_t, double *lambda)
{
    assert(lambda != NULL && isfinite(target_t) && q >= 0.0 && q < 1.0);
    *lambda = 0.0;
    azb_queue_result r;
    double tq = 0.0;
    azb_queue_mgc(0.0, mu, c, cs, &r);
    azb_queue_sojourn_quantile(&r, q, &tq);
    if (tq > target_t) {
        return false;
    }
    /* The quantile grows with lambda and is unbounded as lambda -> c mu. */
    double lo = 0.0;
    double hi = (double)c * mu;
    while (hi - lo > 1e-10 * hi) {
        double mid = 0.5 * (lo + hi);
        azb_queue_mgc(mid, mu, c, cs, &r);
        bool ok = r.stable && azb_queue_sojourn_quantile(&r, q, &tq) && tq <= target_t;
        if (ok) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    *lambda = lo;
    return true;
}

/* ---- M/M/c/K --------------------------------------------------------- */

/* Mean of j over {1..m} with weights rho^j, rho = e^{-d}:
 * 1/(1 - e^{-d}) - m/(e^{m d} - 1), by its series when m d is small (both
 * terms are near 1/d there and cancel). Valid for either sign of d. */
static double trunc_geom_mean(double d, double m)
{
    double md = m * d;
    if (fabs(md) < 1e-2) {
        return 0.5 * (m + 1.0) + d * (1.0 - m * m) / 12.0 -
               d * d * d * (1.0 - m * m * m * m) / 720.0;
    }
    return 1.0 / -expm1(-d) - m / expm1(md);
}

void azb_queue_mmck(double lambda, double mu, int c, int k, azb_queue_mmck_result *out)
{
    assert(out != NULL && c >= 1 && k >= c);
    assert(isfinite(lambda) && lambda >= 0.0 && isfinite(mu) && mu > 0.0);
    azb_queue_mmck_result r = {0};
    r.lambda = lambda;
    r.mu = mu;
    r.c = c;
    r.k = k;
    r.a = lambda / mu;
    r.rho = r.a / (double)c;
    if (lambda == 0.0) {
        r.w = 1.0 / mu;
        *out = r;
        return;
    }
    /* p_n is a^n/n! up to c, then p_c rho^(n-c) up to K. With B = Erlang B,
     * the first part sums to p_c/B and the second to p_c G, G the geometric
     * sum; normalise against p_c when rho <= 1 and against p_K when rho > 1,
     * so no power of rho ever overflows. */
    double m = (double)(k - c);
    double b = azb_queue_erlang_b(c, r.a);
    double lr = log(r.rho);
    double pc = 0.0;
    double pk = 0.0;
    double ptail = 0.0; /* P(n > c) */
    /* Geometric sums as ratios of expm1 of the same log(rho): near rho = 1
     * a difference like 1 - 1/rho would lose digits the numerator keeps. */
    if (r.rho <= 1.0) {
        /* G = sum_{j=1..m} rho^j */
        double gsum = lr == 0.0 ? m : r.rho * (expm1(m * lr) / expm1(lr));
        pc = b / (1.0 + b * gsum);
        pk = pc * exp(m * lr);
        ptail = pc * gsum;
    } else {
        /* G rho^-m = sum_{i=0..m-1} rho^-i */
        double rm = exp(-m * lr);
        double gr = m == 0.0 ? 0.0 : expm1(-m * lr) / expm1(-lr);
        pk = b / (rm + b * gr);
        pc = pk * rm;
        ptail = pk * gr;
    }
    double lq = k > c ? ptail * trunc_geom_mean(-lr, m) : 0.0;
    r.p_block = pk;
    r.throughput = lambda * (1.0 - pk);
    r.busy = r.throughput / ((double)c * mu);
    r.lq = lq;
    r.l = lq + r.a * (1.0 - pk);
    if (r.throughput > 0.0) {
        r.p_wait = fmax(pc + ptail - pk, 0.0) / (1.0 - pk);
        r.wq = r.lq / r.throughput;
        r.w = r.l / r.throughput;
    }
    *out = r;
}
