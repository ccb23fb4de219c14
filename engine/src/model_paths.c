#include <math.h>
#include <string.h>

#include "azbi_model.h"

/* ---- one node's sojourn --------------------------------------------- */

double azbi_model_node_service(const azbi_mnode *m, const azb_design *d, int op)
{
    if (!m->opdep) {
        return m->svc_ms;
    }
    double tout = m->tok_out;
    if (op >= 0 && (d->workload.ops[op].has & AZB_HAS_TOKENS) != 0u) {
        tout = d->workload.ops[op].tokens_out;
    }
    return m->ttft_ms + tout / m->tokens_per_s * 1000.0;
}

/* Cumulants of a service time of mean m and cv, in the law azb_queue gives
 * it (docs/queueing.md: exponential at cv 1, a mixture of Erlang(k-1) and
 * Erlang(k) below, a shifted Erlang-16 below cv 1/4, a balanced-means
 * hyperexponential above), so the moment fit and the enumerated paths
 * describe the same node. Raw moments first, then cumulants. */
static void service_cumulants(double m, double cv, double *k1, double *k2, double *k3)
{
    double c2 = cv * cv;
    double e2 = 0.0;
    double e3 = 0.0;
    double shift = 0.0;
    double mr = m; /* mean of the random part */
    *k1 = m;
    *k2 = *k3 = 0.0;
    if (m <= 0.0 || cv <= 0.0) {
        return;
    }
    if (cv == 1.0) {
        e2 = 2.0 * m * m;
        e3 = 6.0 * m * m * m;
    } else if (c2 > 1.0) {
        double p1 = 0.5 * (1.0 + sqrt((c2 - 1.0) / (c2 + 1.0)));
        double p2 = 1.0 - p1;
        double r1 = 2.0 * p1 / m;
        double r2 = 2.0 * p2 / m;
        e2 = 2.0 * (p1 / (r1 * r1) + p2 / (r2 * r2));
        e3 = 6.0 * (p1 / (r1 * r1 * r1) + p2 / (r2 * r2 * r2));
    } else if (c2 * 16.0 >= 1.0) {
        double k = fmin(ceil(1.0 / c2), 16.0);
        double p = (k * c2 - sqrt(fmax(0.0, k * (1.0 + c2) - k * k * c2))) / (1.0 + c2);
        p = fmin(fmax(p, 0.0), 1.0);
        double r = (k - p) / m;
        double j = k - 1.0; /* Erlang(j) with probability p, else Erlang(k) */
        e2 = (p * j * (j + 1.0) + (1.0 - p) * k * (k + 1.0)) / (r * r);
        e3 = (p * j * (j + 1.0) * (j + 2.0) + (1.0 - p) * k * (k + 1.0) * (k + 2.0)) / (r * r * r);
    } else {
        double r = 4.0 / (cv * m);
        shift = m * (1.0 - cv * 4.0);
        mr = m - shift;
        e2 = 16.0 * 17.0 / (r * r);
        e3 = 16.0 * 17.0 * 18.0 / (r * r * r);
    }
    *k2 = e2 - mr * mr;
    *k3 = e3 - 3.0 * e2 * mr + 2.0 * mr * mr * mr;
}

/* Cumulants of one stage: its wait (0 with probability 1 - C, else
 * exponential with mean a) plus its service. */
static void stage_cumulants(const azb_queue_stage *st, double *k1, double *k2, double *k3)
{
    service_cumulants(st->service_mean, st->service_cv, k1, k2, k3);
    if (st->p_wait > 0.0) {
        double c = st->p_wait;
        double a = 1.0 / st->wait_rate;
        *k1 += c * a;
        *k2 += c * (2.0 - c) * a * a;
        *k3 += 2.0 * c * (3.0 - 3.0 * c + c * c) * a * a * a;
    }
}

void azbi_model_node_cumulants(const azbi_model_work *w, const azb_design *d, int u, int op,
                               double *k1, double *k2, double *k3)
{
    const azbi_mnode *m = &w->mn[u];
    *k1 = *k2 = *k3 = 0.0;
    if (m->source) {
        return;
    }
    if (m->saturated) {
        *k1 = AZB_MODEL_MAX_MS;
        return;
    }
    if (m->has_stage) {
        stage_cumulants(&m->stage, k1, k2, k3);
        return;
    }
    service_cumulants(azbi_model_node_service(m, d, op), m->cv, k1, k2, k3);
}

/* ---- enumeration of the paths a request can take --------------------- */

typedef struct pset {
    int first;
    int count;
} pset;

typedef struct enumr {
    azbi_model_work *w;
    const azb_design *d;
    int op;
} enumr;

static const pset none = {0, 0};

static int new_paths(azbi_model_work *w, int n)
{
    if (w->failed || n > AZBI_SET_MAX || w->nep + n > AZBI_ENUM_PATHS) {
        w->failed = true;
        return -1;
    }
    int first = w->nep;
    w->nep += n;
    return first;
}

static pset unit(azbi_model_work *w, double delay)
{
    int f = new_paths(w, 1);
    if (f < 0) {
        return none;
    }
    w->ep[f] = (azbi_ppath){1.0, delay, 0, 0};
    return (pset){f, 1};
}

/* The node's own time for the operation: a stage, or a fixed delay. */
static pset single(const enumr *E, int u)
{
    azbi_model_work *w = E->w;
    const azbi_mnode *m = &w->mn[u];
    if (m->source) {
        return unit(w, 0.0);
    }
    if (m->saturated) {
        return unit(w, AZB_MODEL_MAX_MS);
    }
    int f = new_paths(w, 1);
    if (f < 0 || w->nes + 1 > AZBI_ENUM_STAGES) {
        w->failed = true;
        return none;
    }
    azb_queue_stage st = {0.0, 0.0, azbi_model_node_service(m, E->d, E->op), m->cv};
    if (m->has_stage) {
        st = m->stage;
    }
    w->es[w->nes] = st;
    w->ep[f] = (azbi_ppath){1.0, 0.0, w->nes, 1};
    w->nes++;
    return (pset){f, 1};
}

static pset product(azbi_model_work *w, pset a, pset b)
{
    if (w->failed) {
        return none;
    }
    int f = new_paths(w, a.count * b.count);
    if (f < 0) {
        return none;
    }
    int k = f;
    for (int i = 0; i < a.count; i++) {
        for (int j = 0; j < b.count; j++) {
            azbi_ppath pa = w->ep[a.first + i];
            azbi_ppath pb = w->ep[b.first + j];
            azbi_ppath r = {pa.prob * pb.prob, pa.delay + pb.delay, pa.s0, pa.ns};
            if (pa.ns == 0) {
                r.s0 = pb.s0;
                r.ns = pb.ns;
            } else if (pb.ns > 0) {
                int ns = pa.ns + pb.ns;
                if (w->nes + ns > AZBI_ENUM_STAGES) {
                    w->failed = true;
                    return none;
                }
                memcpy(&w->es[w->nes], &w->es[pa.s0], (size_t)pa.ns * sizeof(azb_queue_stage));
                memcpy(&w->es[w->nes + pa.ns], &w->es[pb.s0],
                       (size_t)pb.ns * sizeof(azb_queue_stage));
                r.s0 = w->nes;
                r.ns = ns;
                w->nes += ns;
            }
            w->ep[k++] = r;
        }
    }
    return (pset){f, k - f};
}

/* With probability pa the paths of a, else those of b. */
static pset mix2(azbi_model_work *w, pset a, double pa, pset b, double pb)
{
    if (w->failed) {
        return none;
    }
    int n = (pa > 0.0 ? a.count : 0) + (pb > 0.0 ? b.count : 0);
    int f = new_paths(w, n);
    if (f < 0) {
        return none;
    }
    int k = f;
    for (int i = 0; pa > 0.0 && i < a.count; i++) {
        w->ep[k] = w->ep[a.first + i];
        w->ep[k++].prob *= pa;
    }
    for (int i = 0; pb > 0.0 && i < b.count; i++) {
        w->ep[k] = w->ep[b.first + i];
        w->ep[k++].prob *= pb;
    }
    return (pset){f, n};
}

static pset expand(const enumr *E, int u, int depth);

static pset edge_set(const enumr *E, int j, int depth)
{
    azbi_model_work *w = E->w;
    const azb_edge *e = &E->d->edges[j];
    double c = w->calls[j];
    if (c != floor(c) || c < 1.0 || c > (double)AZBI_ENUM_CALLS) {
        w->failed = true; /* fractional calls have no path to enumerate */
        return none;
    }
    if (e->mode == AZB_EDGE_ASYNC && w->mn[e->from_idx].background) {
        return unit(w, 0.0); /* the service's own background work */
    }
    pset y = unit(w, w->rtt_cur[j]);
    if (e->mode == AZB_EDGE_SYNC) {
        y = product(w, y, expand(E, e->to_idx, depth + 1));
    } else if (w->mn[e->to_idx].msg) {
        y = product(w, y, single(E, e->to_idx));
    }
    pset yc = y;
    for (int i = 1; i < (int)c; i++) {
        yc = product(w, yc, y);
    }
    double p = w->p_raw[j];
    if (p >= 1.0) {
        return yc;
    }
    return mix2(w, unit(w, 0.0), 1.0 - p, yc, p);
}

static pset expand(const enumr *E, int u, int depth)
{
    azbi_model_work *w = E->w;
    if (w->failed) {
        return none;
    }
    if (w->memo_stamp[u] == w->stamp) {
        return (pset){w->memo_first[u], w->memo_count[u]};
    }
    if (w->stack_stamp[u] == w->stamp || depth > AZBI_ENUM_DEPTH ||
        ++w->visits > AZBI_ENUM_VISITS) {
        w->failed = true; /* a loop, or too big to enumerate */
        return none;
    }
    w->stack_stamp[u] = w->stamp;
    const azb_design *d = E->d;
    pset r = single(E, u);
    bool cache = false;
    for (int x = w->out_start[u]; x < w->out_start[u + 1] && !w->failed; x++) {
        int j = w->out_adj[x];
        if (w->p_raw[j] <= 0.0) {
            continue;
        }
        if (d->edges[j].on != AZB_ON_ALWAYS) {
            cache = true;
            continue;
        }
        r = product(w, r, edge_set(E, j, depth));
    }
    if (cache && !w->failed) {
        pset hit = unit(w, 0.0);
        pset miss = unit(w, 0.0);
        for (int x = w->out_start[u]; x < w->out_start[u + 1] && !w->failed; x++) {
            int j = w->out_adj[x];
            azb_edge_on on = d->edges[j].on;
            if (w->p_raw[j] <= 0.0 || on == AZB_ON_ALWAYS) {
                continue;
            }
            if (on == AZB_ON_HIT) {
                hit = product(w, hit, edge_set(E, j, depth));
            } else {
                miss = product(w, miss, edge_set(E, j, depth));
            }
        }
        double h = w->mn[u].hit;
        r = product(w, r, mix2(w, hit, h, miss, 1.0 - h));
    }
    w->stack_stamp[u] = 0;
    if (w->failed) {
        return none;
    }
    w->memo_stamp[u] = w->stamp;
    w->memo_first[u] = r.first;
    w->memo_count[u] = r.count;
    return r;
}

/* ---- the moment fit: a shifted gamma ------------------------------------ */

/* A shifted gamma with the first three cumulants: shape k = 4/g^2, scale
 * theta = sd g/2, shift = mean - k theta (g the skewness). Without right
 * skew, or when the shift would be negative, the shift is dropped and two
 * moments fitted (k = m^2/v). theta = 0: a constant. */
static void fit_gamma(double m, double v, double k3, double *shift, double *k, double *theta)
{
    *shift = fmax(m, 0.0);
    *k = 0.0;
    *theta = 0.0;
    if (!(v > 1e-12 * m * m) || !(m > 0.0)) {
        return;
    }
    double sd = sqrt(v);
    double g = k3 / (v * sd);
    *shift = 0.0;
    *k = m * m / v;
    *theta = v / m;
    if (g > 1e-9) {
        double kk = 4.0 / (g * g);
        double th = sd * g / 2.0;
        double sh = m - kk * th;
        if (sh >= 0.0) {
            *shift = sh;
            *k = kk;
            *theta = th;
        }
    }
}

/* log Gamma(x), x > 0: Lanczos (g = 7, 9 terms), about 1e-15 relative.
 * The C library's lgamma writes the global signgam, so it is not used. */
static double log_gamma(double x)
{
    static const double c[9] = {0.99999999999980993,  676.5203681218851,     -1259.1392167224028,
                                771.32342877765313,   -176.61502916214059,   12.507343278686905,
                                -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
    if (x < 0.5) {
        /* reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x) */
        return log(3.14159265358979323846 / sin(3.14159265358979323846 * x)) - log_gamma(1.0 - x);
    }
    x -= 1.0;
    double a = c[0];
    double t = x + 7.5;
    for (int i = 1; i < 9; i++) {
        a += c[i] / (x + (double)i);
    }
    return 0.5 * log(2.0 * 3.14159265358979323846) + (x + 0.5) * log(t) - t + log(a);
}

/* P(a, x), the regularised lower incomplete gamma function: its series
 * below x = a + 1, Lentz's continued fraction for the upper part above,
 * and for very large a (a nearly normal law) Wilson and Hilferty's cube
 * root transform, good to about 1e-4 of the quantile there. */
static double gamma_p(double a, double x, double lga)
{
    if (x <= 0.0) {
        return 0.0;
    }
    if (a > 5000.0) {
        double h = 1.0 / (9.0 * a);
        double z = (cbrt(x / a) - (1.0 - h)) / sqrt(h);
        return 0.5 * erfc(-z / sqrt(2.0));
    }
    double lead = exp(a * log(x) - x - lga);
    if (x < a + 1.0) {
        double term = 1.0 / a;
        double sum = term;
        for (int n = 1; n < 100000; n++) {
            term *= x / (a + (double)n);
            sum += term;
            if (term < sum * 1e-16) {
                break;
            }
        }
        return fmin(sum * lead, 1.0);
    }
    double tiny = 1e-300;
    double b = x + 1.0 - a;
    double cc = 1.0 / tiny;
    double dd = 1.0 / b;
    double h = dd;
    for (int i = 1; i < 100000; i++) {
        double an = -(double)i * ((double)i - a);
        b += 2.0;
        dd = an * dd + b;
        dd = fabs(dd) < tiny ? tiny : dd;
        cc = b + an / cc;
        cc = fabs(cc) < tiny ? tiny : cc;
        dd = 1.0 / dd;
        double del = dd * cc;
        h *= del;
        if (fabs(del - 1.0) < 1e-16) {
            break;
        }
    }
    return fmax(1.0 - lead * h, 0.0);
}

/* The mixture's CDF at t, and its density. */
static double gmix_cdf(const azbi_model_work *w, int first, int n, const double *weights, double t,
                       double *pdf)
{
    double f = 0.0;
    double dens = 0.0;
    for (int i = first; i < first + n; i++) {
        const azbi_gfit *g = &w->mix_fit[i];
        double x = t - g->shift;
        if (g->theta <= 0.0) {
            f += x >= 0.0 ? weights[i] : 0.0;
        } else if (x > 0.0) {
            double y = x / g->theta;
            f += weights[i] * gamma_p(g->k, y, g->lgk);
            dens += weights[i] * exp((g->k - 1.0) * log(y) - y - g->lgk) / g->theta;
        }
    }
    *pdf = dens;
    return f;
}

/* The q-quantile of a mixture of shifted gammas: bracketed, then Newton
 * from the normal guess, falling back to regula falsi (Illinois) whenever a
 * step leaves the bracket, which also handles the jumps of constant parts;
 * to 1e-11. */
static double gmix_quantile(const azbi_model_work *w, int first, int n, const double *weights,
                            double q, double mean, double sd)
{
    double lo = HUGE_VAL;
    double hi = 0.0;
    for (int i = first; i < first + n; i++) {
        const azbi_gfit *g = &w->mix_fit[i];
        if (weights[i] <= 0.0) {
            continue;
        }
        lo = fmin(lo, g->shift);
        double gsd = sqrt(g->k) * g->theta;
        hi = fmax(hi, g->shift + g->k * g->theta + 8.0 * gsd + 1e-9);
    }
    if (!(lo < HUGE_VAL)) {
        return 0.0;
    }
    double pdf = 0.0;
    double flo = gmix_cdf(w, first, n, weights, lo, &pdf) - q;
    if (flo >= 0.0) {
        return lo;
    }
    double fhi = gmix_cdf(w, first, n, weights, hi, &pdf) - q;
    for (int i = 0; i < 60 && fhi < 0.0; i++) {
        lo = hi;
        flo = fhi;
        hi = hi * 2.0 + 1e-9;
        fhi = gmix_cdf(w, first, n, weights, hi, &pdf) - q;
    }
    /* z for 0.5, 0.95, 0.99 and a rough one elsewhere: only a start */
    double z = q == 0.5 ? 0.0 : q == 0.95 ? 1.6449 : q == 0.99 ? 2.3263 : 0.0;
    double t = mean + z * sd;
    int side = 0;
    for (int it = 0; it < 200; it++) {
        if (!(t > lo && t < hi)) {
            t = (lo * fhi - hi * flo) / (fhi - flo);
            if (!(t > lo && t < hi)) {
                t = 0.5 * (lo + hi);
            }
        }
        double f = gmix_cdf(w, first, n, weights, t, &pdf) - q;
        if (f < 0.0) {
            lo = t;
            flo = f;
            if (side == -1) {
                fhi *= 0.5;
            }
            side = -1;
        } else {
            hi = t;
            fhi = f;
            if (side == 1) {
                flo *= 0.5;
            }
            side = 1;
        }
        double next = pdf > 0.0 ? t - f / pdf : lo - 1.0;
        if (fabs(next - t) <= 1e-11 * fabs(t) || hi - lo <= 1e-11 * hi) {
            return next > lo && next < hi ? next : t;
        }
        t = next;
    }
    return 0.5 * (lo + hi);
}

static bool mix_add(azbi_model_work *w, double weight, int op_slot, double delay,
                    const azb_queue_stage *st, int ns)
{
    if (w->nmix >= AZBI_MIX_PATHS || w->nmix_st + ns > AZBI_MIX_STAGES) {
        return false;
    }
    azb_queue_stage *dst = &w->mix_st[w->nmix_st];
    if (ns > 0) {
        memcpy(dst, st, (size_t)ns * sizeof(*st));
    }
    w->mix[w->nmix] = (azb_queue_path){ns > 0 ? dst : NULL, ns, fmin(delay, AZB_MODEL_MAX_MS)};
    w->mix_w[w->nmix] = weight;
    w->mix_op[w->nmix] = op_slot;
    /* the path's own gamma fit, for mixtures with fitted paths */
    double k1 = fmin(delay, AZB_MODEL_MAX_MS);
    double k2 = 0.0;
    double k3 = 0.0;
    for (int i = 0; i < ns; i++) {
        double a1 = 0.0;
        double a2 = 0.0;
        double a3 = 0.0;
        stage_cumulants(&st[i], &a1, &a2, &a3);
        k1 += a1;
        k2 += a2;
        k3 += a3;
    }
    azbi_gfit *g = &w->mix_fit[w->nmix];
    g->fitted = false;
    fit_gamma(k1, k2, k3, &g->shift, &g->k, &g->theta);
    g->lgk = g->theta > 0.0 ? log_gamma(g->k) : 0.0;
    w->nmix++;
    w->nmix_st += ns;
    return true;
}

bool azbi_model_paths_enum(azbi_model_work *w, const azb_design *d, int entry, int op, int op_slot,
                           double weight, int room)
{
    enumr E = {w, d, op};
    w->stamp++;
    if (w->stamp == 0) {
        /* wrapped: clear the stamps so none is mistaken for current */
        for (int i = 0; i < w->cap_nodes; i++) {
            w->memo_stamp[i] = 0;
            w->stack_stamp[i] = 0;
        }
        w->stamp = 1;
    }
    w->nep = 0;
    w->nes = 0;
    w->visits = 0;
    w->failed = false;
    pset all = expand(&E, entry, 0);
    if (w->failed) {
        return false;
    }
    int stages = 0;
    for (int i = 0; i < all.count; i++) {
        stages += w->ep[all.first + i].ns;
    }
    if (w->nmix + all.count > AZBI_MIX_PATHS - room ||
        w->nmix_st + stages > AZBI_MIX_STAGES - room * AZBI_FIT_STAGES) {
        return false;
    }
    for (int i = 0; i < all.count; i++) {
        const azbi_ppath *p = &w->ep[all.first + i];
        mix_add(w, weight * p->prob, op_slot, p->delay, &w->es[p->s0], p->ns);
    }
    return true;
}

/* A fitted path is kept twice: as the gamma itself (used when every path of
 * a mixture is fitted), and as stages for azb_queue when it is mixed with
 * enumerated paths. There the gamma is n identical stages of mean k theta/n
 * and cv sqrt(n/k), each fitted by two moments (mixed Erlang, or a shifted
 * Erlang-16 below cv 1/4); n = ceil(k/16), at most 4, keeps each stage's cv
 * at 1/4 or more up to shape 64, so the sum's skewness stays near the
 * gamma's. */
bool azbi_model_paths_fit(azbi_model_work *w, double k1, double k2, double k3, int op_slot,
                          double weight)
{
    double shift = 0.0;
    double k = 0.0;
    double theta = 0.0;
    fit_gamma(k1, k2, k3, &shift, &k, &theta);
    azb_queue_stage st[AZBI_FIT_STAGES];
    int ns = 0;
    if (theta > 0.0) {
        double n = fmin(ceil(k / 16.0), (double)AZBI_FIT_STAGES);
        ns = n >= 1.0 ? (int)n : 1;
        for (int i = 0; i < ns; i++) {
            st[i] = (azb_queue_stage){0.0, 0.0, k * theta / (double)ns, sqrt((double)ns / k)};
        }
    }
    if (!mix_add(w, weight, op_slot, shift, st, ns)) {
        return false;
    }
    azbi_gfit *g = &w->mix_fit[w->nmix - 1];
    g->fitted = true;
    g->shift = fmin(shift, AZB_MODEL_MAX_MS);
    g->k = k;
    g->theta = theta;
    g->lgk = theta > 0.0 ? log_gamma(k) : 0.0;
    return true;
}

void azbi_model_paths_latency(azbi_model_work *w, int first, int n, const double *weights,
                              azb_latency *out)
{
    static const double q[3] = {0.50, 0.95, 0.99};
    out->p50 = out->p95 = out->p99 = 0.0;
    if (n <= 0) {
        return;
    }
    /* Enumerated paths only: azb_queue's law, exact for M/M/c stages. Once
     * one path is a moment fit the whole mixture is no better than that, so
     * every path is taken as its own shifted gamma: far cheaper to invert. */
    bool any_fitted = false;
    for (int i = first; i < first + n && !any_fitted; i++) {
        any_fitted = w->mix_fit[i].fitted;
    }
    if (any_fitted) {
        double m1 = 0.0;
        double m2 = 0.0;
        for (int i = first; i < first + n; i++) {
            const azbi_gfit *g = &w->mix_fit[i];
            double gm = g->shift + g->k * g->theta;
            m1 += weights[i] * gm;
            m2 += weights[i] * (g->k * g->theta * g->theta + gm * gm);
        }
        double sd = sqrt(fmax(m2 - m1 * m1, 0.0));
        out->p50 = gmix_quantile(w, first, n, weights, q[0], m1, sd);
        out->p95 = gmix_quantile(w, first, n, weights, q[1], m1, sd);
        out->p99 = gmix_quantile(w, first, n, weights, q[2], m1, sd);
        return;
    }
    azb_queue_latency lat;
    azb_queue_mix_latency(&w->mix[first], &weights[first], n, 3, q, &lat);
    out->p50 = lat.t[0];
    out->p95 = lat.t[1];
    out->p99 = lat.t[2];
}
