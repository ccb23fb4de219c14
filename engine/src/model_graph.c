#include <math.h>

#include "azbi_model.h"

/* Adjacency (CSR, out and in) and an order of the strongly connected
 * components: Tarjan's algorithm, iterative so that a chain of 100,000
 * nodes cannot overflow the stack, emits the components sinks first; the
 * order is that reversed, so every edge between two components points
 * forward. Only components with a cycle need iterating; everything else is
 * one pass. */
void azbi_model_graph_build(azbi_model_work *w, const azb_design *d)
{
    int n = d->nnodes;
    int m = d->nedges;
    for (int i = 0; i <= n; i++) {
        w->out_start[i] = 0;
        w->in_start[i] = 0;
    }
    for (int j = 0; j < m; j++) {
        w->out_start[d->edges[j].from_idx + 1]++;
        w->in_start[d->edges[j].to_idx + 1]++;
    }
    for (int i = 0; i < n; i++) {
        w->out_start[i + 1] += w->out_start[i];
        w->in_start[i + 1] += w->in_start[i];
    }
    /* t_low and t_index double as fill counters before Tarjan uses them */
    for (int i = 0; i < n; i++) {
        w->t_low[i] = w->out_start[i];
        w->t_index[i] = w->in_start[i];
    }
    for (int j = 0; j < m; j++) {
        w->out_adj[w->t_low[d->edges[j].from_idx]++] = j;
        w->in_adj[w->t_index[d->edges[j].to_idx]++] = j;
    }

    for (int i = 0; i < n; i++) {
        w->t_index[i] = -1;
        w->t_on[i] = 0;
    }
    int next = 0;
    int sp = 0;
    int nout = 0;  /* nodes emitted into t_order */
    int ncomp = 0; /* components emitted; t_start[c] = first position */
    for (int root = 0; root < n; root++) {
        if (w->t_index[root] >= 0) {
            continue;
        }
        int depth = 0;
        w->t_cnode[0] = root;
        w->t_cedge[0] = w->out_start[root];
        w->t_index[root] = w->t_low[root] = next++;
        w->t_stack[sp++] = root;
        w->t_on[root] = 1;
        while (depth >= 0) {
            int u = w->t_cnode[depth];
            if (w->t_cedge[depth] < w->out_start[u + 1]) {
                int v = d->edges[w->out_adj[w->t_cedge[depth]++]].to_idx;
                if (w->t_index[v] < 0) {
                    w->t_index[v] = w->t_low[v] = next++;
                    w->t_stack[sp++] = v;
                    w->t_on[v] = 1;
                    depth++;
                    w->t_cnode[depth] = v;
                    w->t_cedge[depth] = w->out_start[v];
                } else if (w->t_on[v] && w->t_index[v] < w->t_low[u]) {
                    w->t_low[u] = w->t_index[v];
                }
                continue;
            }
            if (w->t_low[u] == w->t_index[u]) {
                w->t_start[ncomp++] = nout;
                int x = -1;
                do {
                    x = w->t_stack[--sp];
                    w->t_on[x] = 0;
                    w->t_order[nout++] = x;
                } while (x != u);
            }
            depth--;
            if (depth >= 0) {
                int parent = w->t_cnode[depth];
                if (w->t_low[u] < w->t_low[parent]) {
                    w->t_low[parent] = w->t_low[u];
                }
            }
        }
    }
    w->t_start[ncomp] = nout;
    /* Reverse the component sequence. */
    int pos = 0;
    for (int c = ncomp - 1; c >= 0; c--) {
        int k = ncomp - 1 - c;
        w->scc_start[k] = pos;
        int size = w->t_start[c + 1] - w->t_start[c];
        for (int i = 0; i < size; i++) {
            w->order[pos++] = w->t_order[w->t_start[c] + i];
        }
        bool loop = size > 1;
        if (!loop) {
            int u = w->order[pos - 1];
            for (int x = w->out_start[u]; x < w->out_start[u + 1] && !loop; x++) {
                loop = d->edges[w->out_adj[x]].to_idx == u;
            }
        }
        w->scc_loop[k] = loop ? 1 : 0;
    }
    w->scc_start[ncomp] = pos;
    w->nscc = ncomp;
}

enum { GS_SWEEPS = 200000 };
#define GS_TOL 1e-13

static bool close_enough(double a, double b)
{
    return fabs(a - b) <= GS_TOL * fmax(fabs(a), fabs(b)) || fabs(a - b) < 1e-300;
}

static double visit_in(const azbi_model_work *w, const azb_design *d, const double *e,
                       const double *v, int u)
{
    double x = e[u];
    for (int k = w->in_start[u]; k < w->in_start[u + 1]; k++) {
        int j = w->in_adj[k];
        double p = w->p_act[j];
        if (p > 0.0) {
            x += p * w->calls[j] * v[d->edges[j].from_idx];
        }
    }
    return x;
}

void azbi_model_solve_visits(azbi_model_work *w, const azb_design *d, const double *e, double *v)
{
    for (int c = 0; c < w->nscc; c++) {
        int a = w->scc_start[c];
        int b = w->scc_start[c + 1];
        if (!w->scc_loop[c]) {
            int u = w->order[a];
            v[u] = visit_in(w, d, e, v, u);
            continue;
        }
        for (int i = a; i < b; i++) {
            v[w->order[i]] = 0.0;
        }
        for (int sweep = 0; sweep < GS_SWEEPS; sweep++) {
            bool done = true;
            for (int i = a; i < b; i++) {
                int u = w->order[i];
                double x = visit_in(w, d, e, v, u);
                if (!close_enough(x, v[u])) {
                    done = false;
                }
                v[u] = x;
            }
            if (done) {
                break;
            }
        }
    }
}

/* Cumulants of X = B (Y_1 + ... + Y_c): B ~ Bernoulli(p), the Y_i
 * independent copies of Y with cumulants (y1, y2, y3). The raw moments of X
 * are p times those of the sum; written so that nothing cancels. */
static void compound(double p, double c, double y1, double y2, double y3, double *a1, double *a2,
                     double *a3)
{
    double z1 = c * y1;
    double z2 = c * y2;
    double z3 = c * y3;
    if (p >= 1.0) {
        *a1 = z1;
        *a2 = z2;
        *a3 = z3;
        return;
    }
    double q = 1.0 - p;
    *a1 = p * z1;
    *a2 = p * z2 + p * q * z1 * z1;
    *a3 = p * z3 + 3.0 * p * q * z1 * z2 + p * q * (1.0 - 2.0 * p) * z1 * z1 * z1;
}

static void latency_at(azbi_model_work *w, const azb_design *d, int u, double *o1, double *o2,
                       double *o3, double *on, unsigned char *osat)
{
    unsigned char sat = w->mn[u].saturated ? 1 : 0;
    double k1 = w->s1[u];
    double k2 = w->s2[u];
    double k3 = w->s3[u];
    double kn = 0.0;
    for (int x = w->out_start[u]; x < w->out_start[u + 1]; x++) {
        int j = w->out_adj[x];
        double p = w->p_act[j];
        const azb_edge *e = &d->edges[j];
        if (p <= 0.0 || (e->mode == AZB_EDGE_ASYNC && w->mn[u].background)) {
            continue;
        }
        int v = e->to_idx;
        double r = w->rtt_cur[j];
        double y1 = r;
        double y2 = 0.0;
        double y3 = 0.0;
        double yn = r;
        if (e->mode == AZB_EDGE_SYNC) {
            y1 += w->t1[v];
            y2 = w->t2[v];
            y3 = w->t3[v];
            yn += w->tn[v];
            sat |= w->tsat[v];
        } else if (w->mn[v].msg) {
            y1 += w->s1[v];
            y2 = w->s2[v];
            y3 = w->s3[v];
            sat |= w->mn[v].saturated ? 1 : 0;
        }
        double a1 = 0.0;
        double a2 = 0.0;
        double a3 = 0.0;
        compound(p, w->calls[j], y1, y2, y3, &a1, &a2, &a3);
        k1 += a1;
        k2 += a2;
        k3 += a3;
        kn += p * w->calls[j] * yn;
    }
    *o1 = k1;
    *o2 = k2;
    *o3 = k3;
    *on = kn;
    *osat = sat;
}

void azbi_model_solve_latency(azbi_model_work *w, const azb_design *d)
{
    for (int c = w->nscc - 1; c >= 0; c--) {
        int a = w->scc_start[c];
        int b = w->scc_start[c + 1];
        if (!w->scc_loop[c]) {
            int u = w->order[a];
            latency_at(w, d, u, &w->t1[u], &w->t2[u], &w->t3[u], &w->tn[u], &w->tsat[u]);
            continue;
        }
        for (int i = a; i < b; i++) {
            int u = w->order[i];
            w->t1[u] = w->t2[u] = w->t3[u] = w->tn[u] = 0.0;
            w->tsat[u] = 0;
        }
        for (int sweep = 0; sweep < GS_SWEEPS; sweep++) {
            bool done = true;
            for (int i = b - 1; i >= a; i--) {
                int u = w->order[i];
                double k1 = 0.0;
                double k2 = 0.0;
                double k3 = 0.0;
                double kn = 0.0;
                unsigned char sat = 0;
                latency_at(w, d, u, &k1, &k2, &k3, &kn, &sat);
                if (!close_enough(k1, w->t1[u]) || !close_enough(k2, w->t2[u]) ||
                    !close_enough(k3, w->t3[u]) || !close_enough(kn, w->tn[u]) ||
                    sat != w->tsat[u]) {
                    done = false;
                }
                w->tsat[u] = sat;
                w->t1[u] = k1;
                w->t2[u] = k2;
                w->t3[u] = k3;
                w->tn[u] = kn;
            }
            if (done) {
                break;
            }
        }
    }
}
