/* Internal to the model: shared by model.c (the API, nodes, results),
 * model_graph.c (graph order and the linear solves), model_net.c (round
 * trips) and model_paths.c (path enumeration, moment fits, quantiles). */
#ifndef AZBI_MODEL_H
#define AZBI_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "azb_model.h"
#include "azb_queue.h"

/* Where a node is, for round trips. */
enum {
    AZBI_LOC_REGION,  /* in a region (zones known or not) */
    AZBI_LOC_CLIENT,  /* users in a geography */
    AZBI_LOC_EDGE,    /* Front Door / CDN without a region: a POP next to the users */
    AZBI_LOC_DNS,     /* Traffic Manager / Azure DNS without a region: no data path */
    AZBI_LOC_UNPLACED /* no region where one is needed: assumed next to its callers */
};

typedef struct azbi_mnode {
    unsigned char loc;
    bool source;
    bool msg;        /* a messaging kind: an async send waits for its sojourn */
    bool background; /* data or messaging: its async edges are its own background work */
    bool opdep;      /* service time depends on the operation (AI tokens) */
    bool tokens;     /* quota counted in tokens per minute */
    bool saturated;
    bool has_stage; /* servers node with a stable queue */
    int geo;        /* clients: geography index */
    int region;     /* region index or -1 */
    unsigned zmask; /* zones as bits 1..3; 0 = unknown */
    int nzones;
    azb_queueing queueing;
    azb_dist dist;
    double svc_ms; /* service mean when not opdep */
    double cv;
    double hit;        /* hit_ratio (caches) */
    double cost_read;  /* quota units per read / per input token */
    double cost_write; /* per write / per output token */
    double tok_in;     /* node's default tokens per request */
    double tok_out;
    double ttft_ms;
    double tokens_per_s;
    azb_queue_stage stage; /* servers nodes: the queue's sojourn law (ms) */
    int opdep_slot;        /* row in work->opdep_w, or -1 */
} azbi_mnode;

/* A path of the enumeration: probability, fixed delay, stages [s0, s0+ns). */
typedef struct azbi_ppath {
    double prob;
    double delay;
    int s0;
    int ns;
} azbi_ppath;

/* A moment-fitted path as a shifted gamma (theta 0: a constant). */
typedef struct azbi_gfit {
    bool fitted;
    double shift;
    double k;
    double theta;
    double lgk; /* log Gamma(k) */
} azbi_gfit;

enum {
    AZBI_SET_MAX = 64,       /* paths one request can take, before the fit */
    AZBI_ENUM_PATHS = 4096,  /* path pool of one enumeration */
    AZBI_ENUM_STAGES = 4096, /* stage pool of one enumeration */
    AZBI_ENUM_VISITS = 512,  /* node expansions of one enumeration */
    AZBI_ENUM_DEPTH = 64,
    AZBI_ENUM_CALLS = 8,   /* calls per edge the enumeration expands */
    AZBI_MIX_PATHS = 1024, /* paths of all operations and entries together */
    AZBI_MIX_STAGES = 8192,
    AZBI_FIT_STAGES = 4, /* stages of one moment-fitted path */
    AZBI_QCACHE = 8      /* distinct service cvs whose p99 one update keeps */
};

struct azbi_model_work {
    int cap_nodes, cap_edges, cap_ops, cap_entries, cap_opdep;
    int opbytes;

    /* graph */
    int *out_start, *out_adj, *in_start, *in_adj;
    int *order, *scc_start;
    unsigned char *scc_loop;
    int nscc;
    int *t_index, *t_low, *t_stack, *t_cnode, *t_cedge, *t_order, *t_start;
    unsigned char *t_on;

    /* nodes */
    azbi_mnode *mn;
    double *v, *e;
    double *s1, *s2, *s3;
    double *t1, *t2, *t3, *tn;
    unsigned char *tsat; /* T(u) reaches a saturated node */
    double *vis, *units, *svc;
    double *resp_num, *resp_den;
    unsigned char *rsat; /* some visit's response reaches a saturated node */
    int *routers;        /* edge POPs and DNS routers choosing among regions */
    int nrouters;
    int *memo_first, *memo_count;
    unsigned *memo_stamp, *stack_stamp;
    unsigned stamp;
    double *opdep_w; /* cap_opdep x cap_ops: share_k v_k(u) */

    /* edges */
    double *p_raw, *p_act, *calls, *rtt_static, *rtt_cur, *ertt_num, *ertt_den, *erate;
    unsigned char *geo_dep;
    unsigned char *opmask;
    int *geo_edges;
    int ngeo_edges;

    /* entries */
    int *entry;
    double *entry_share;
    int *entry_geo;
    int nentries;

    /* one enumeration */
    azbi_ppath *ep;
    int nep;
    azb_queue_stage *es;
    int nes;
    int visits;
    bool failed;

    /* p99 of a unit-mean service, by cv (reset every update) */
    double qcache_cv[AZBI_QCACHE];
    double qcache_q[AZBI_QCACHE];
    int nqcache;

    /* the mixture of every operation's paths */
    azb_queue_path *mix;
    double *mix_w;
    double *mix_wn;
    int *mix_op;
    azbi_gfit *mix_fit;
    int nmix;
    azb_queue_stage *mix_st;
    int nmix_st;
};

/* model_graph.c */
void azbi_model_graph_build(azbi_model_work *w, const azb_design *d);
/* v = e + W^T v with W = p_act x calls. */
void azbi_model_solve_visits(azbi_model_work *w, const azb_design *d, const double *e, double *v);
/* The backward recursion: t1..t3 (cumulants of T) and tn (its network mean). */
void azbi_model_solve_latency(azbi_model_work *w, const azb_design *d);

/* model_net.c */
void azbi_model_net_static(azbi_model_work *w, const azb_design *d, const azb_catalog *cat,
                           azb_edge_result *out);
void azbi_model_net_geo(azbi_model_work *w, const azb_design *d, const azb_catalog *cat, int geo);

/* model_paths.c */
/* Cumulants of one node's sojourn for operation `op` (-1: none listed). */
void azbi_model_node_cumulants(const azbi_model_work *w, const azb_design *d, int u, int op,
                               double *k1, double *k2, double *k3);
double azbi_model_node_service(const azbi_mnode *m, const azb_design *d, int op);
/* Append to the mixture the paths a request entering at `entry` with
 * operation `op` can take, each with weight x its probability, leaving
 * `room` slots free. False (nothing added) when there are too many paths,
 * a loop, fractional calls, or no room. */
bool azbi_model_paths_enum(azbi_model_work *w, const azb_design *d, int entry, int op, int op_slot,
                           double weight, int room);
/* Append one path fitted to the first three cumulants (a shifted gamma). */
bool azbi_model_paths_fit(azbi_model_work *w, double k1, double k2, double k3, int op_slot,
                          double weight);
/* p50, p95, p99 of the mixture paths [first, first+n) with these weights
 * (indexed like the paths, summing to 1 over the range). */
void azbi_model_paths_latency(azbi_model_work *w, int first, int n, const double *weights,
                              azb_latency *out);

#endif
