/*
 * azb_model: the analytic (steady-state) performance model. Given a validated
 * design, its catalog and an offered load, it says at once what the design
 * sustains, where it breaks and how fast it answers. Every face reads the
 * one azb_result it fills: the text, JSON and Markdown reports, the
 * whiteboard overlay, and the cost and availability modules.
 *
 * Model (docs/models.md has every formula, its assumptions and its error).
 *  - Visits. Each request entering the design (at workload.entry, or at the
 *    clients nodes split by their "share") makes v_i visits to node i:
 *    v = e + W^T v, with edge weight p x calls (x hit_ratio or 1 - hit_ratio
 *    for "on": "hit"/"miss" edges out of a cache). Solved exactly: in
 *    topological order where there is no loop, by Gauss-Seidel to 1e-13
 *    inside loops (the validator guarantees they converge). With operations,
 *    each operation has its own visits over the edges that carry it, and a
 *    node's rate is the sum over operations weighted by their shares.
 *  - Nodes. A "servers" node of count n (or the count autoscale settles at)
 *    and concurrency k is n separate M/G/k queues each taking 1/n of the
 *    load (hash or round-robin balancing), or one pooled M/G/(n k) queue when
 *    least connections balances it (set on the node, or on a node that calls
 *    it). Exponential service is exact M/M/c (Erlang C); other distributions
 *    use Allen-Cunneen. A "quota" node (RU/s, requests/s, events/s, tokens
 *    per minute) is a rate cap with no queue in front: below the cap every
 *    request takes the service time, at the cap Azure throttles (429). Its
 *    capacity = quota / (quota units one request uses). Azure OpenAI's
 *    service time is ttft_ms + tokens_out / tokens_per_s. A clients node is a
 *    source: it offers load and serves nothing.
 *  - Network. Every call pays one round trip: same zone, across zones of a
 *    region (the expected figure for instances spread uniformly over their
 *    zones), between regions (RTT matrix), from users (geography to region).
 *    Front Door and CDN are edge POPs next to the users; Traffic Manager and
 *    DNS answer from the resolver's cache and add no round trip. Both kinds
 *    of router send users to the origin region nearest them.
 *  - Latency. T(u) = sojourn(u) + sum over sync out-edges of p x calls x
 *    (rtt + T(v)); an async edge adds only the enqueue (the round trip, plus
 *    the broker's own time when the target is a queue or event stream), and
 *    nothing at all out of a data store or broker (replication, lifecycle,
 *    delivery to consumers are the service's background work).
 *    Means are exact. Percentiles: the paths a request can take are
 *    enumerated when they are few (the law of each path is then exact, given
 *    independent stages; azb_queue does the inversion), otherwise the first
 *    three moments are matched by a shifted gamma.
 *  - Throughput. max_throughput_rps = min over nodes of capacity_rps / visits
 *    (autoscaled nodes at their max count); that node is the bottleneck.
 *    saturated = offered >= max.
 *
 * Units. Rates in requests per second, times in milliseconds, utilisation a
 * fraction (above 1 when a node is offered more than it can serve).
 *
 * Invariants. No figure is ever inf or NaN. A saturated node (utilisation
 * >= 1) has no steady state: its wait is set to AZB_MODEL_MAX_MS and every
 * latency it contributes to is capped at AZB_MODEL_MAX_MS and marked
 * `clamped`. Per-node and per-edge rates are the offered load (so
 * utilisation shows how far over a node is); throughput_rps and the
 * operations' rps are what the design serves (min(offered, max)).
 *
 * Indices. result->nodes[i], ->edges[j] and ->ops[k] are the design's
 * nodes[i], edges[j] and workload.ops[k] at the last update.
 *
 * Ownership. azb_model_run and azb_model_reserve return a result the caller
 * frees with azb_result_destroy. A result keeps its own buffers and never
 * points into the design or the catalog. azb_model_update reuses them and
 * allocates only when the design has outgrown them (they then grow by half
 * again), so a whiteboard re-running the model on every edit allocates a
 * handful of times per session and never on an ordinary frame. One result
 * must not be updated from two threads at once; distinct results may.
 *
 * Errors. The design must have been validated against `cat` (its kind and
 * SKU references resolved); a NULL design, catalog or result is a contract
 * violation (assert). Problems with the design as a model input (no entry
 * point, a node without a region) go to `errs` (which may be NULL): errors
 * make run/update fail, warnings do not.
 */
#ifndef AZB_MODEL_H
#define AZB_MODEL_H

#include <stdbool.h>

#include "azb_catalog.h"
#include "azb_design.h"
#include "azb_error.h"

/* Every latency figure is at most this (one hour): a saturated queue has no
 * finite wait, and no request waits an hour, so a figure at the cap reads
 * "unbounded" (and its `clamped` flag says so). */
#define AZB_MODEL_MAX_MS 3.6e6
/* Round trip from users to the nearest Azure edge (last mile and ISP), used
 * for clients -> Front Door/CDN; the same 25 ms regions.json's client matrix
 * is built on (client_rtt_ms.access_ms, docs/regions.md). */
#define AZB_MODEL_ACCESS_RTT_MS 25.0

/* How a node queues. */
typedef enum azb_queueing {
    AZB_QUEUEING_SOURCE,       /* clients: offers load, serves nothing, takes no time */
    AZB_QUEUEING_PER_INSTANCE, /* n queues of k servers, each lambda/n (hash, round robin) */
    AZB_QUEUEING_POOLED,       /* one queue of n x k servers (least connections) */
    AZB_QUEUEING_QUOTA,        /* a rate cap from a quota; no queue below it */
    AZB_QUEUEING_COUNT
} azb_queueing;

/* What a call's round trip crosses. */
typedef enum azb_hop {
    AZB_HOP_ZONE,         /* both ends in one availability zone */
    AZB_HOP_REGION,       /* within one region, across zones (or zones unknown) */
    AZB_HOP_INTER_REGION, /* between two regions: the RTT matrix */
    AZB_HOP_INTERNET,     /* from users to a region or to an edge POP */
    AZB_HOP_BACKBONE,     /* from an edge POP (Front Door, CDN) to its origin */
    AZB_HOP_DNS,          /* to or through a DNS-based router: no round trip */
    AZB_HOP_COUNT
} azb_hop;

typedef struct azb_latency {
    double mean;
    double p50;
    double p95;
    double p99;
} azb_latency;

typedef struct azb_node_result {
    double visits; /* visits per request entering the design */
    double rps;    /* offered arrival rate at the node */
    azb_queueing queueing;
    int instances;            /* in use: count, or where autoscale settles */
    int max_instances;        /* count, or autoscale.max: what capacity_rps assumes */
    int queues;               /* separate queues (per instance: instances; else 1; source: 0) */
    int servers_per_queue;    /* k, or n x k when pooled; 0 for quota and source nodes */
    int servers;              /* queues x servers_per_queue */
    double service_ms;        /* mean service time per visit (mixed over operations) */
    double cv;                /* its coefficient of variation */
    double capacity_rps;      /* the rate at which utilisation reaches 1 (0 for sources) */
    double utilization;       /* rps over capacity at the instances in use; may exceed 1 */
    bool saturated;           /* utilisation >= 1: no steady state */
    bool clamped;             /* some latency figure below is at AZB_MODEL_MAX_MS */
    double quota_per_s;       /* quota nodes: the quota in its units per second */
    double units_per_request; /* quota nodes: quota units one visit uses (RU, tokens) */
    double p_wait;            /* probability a visit waits (Erlang C; Allen-Cunneen) */
    double wait_ms;           /* mean wait in queue per visit */
    double sojourn_ms;        /* mean wait + service per visit */
    double sojourn_p99_ms;    /* its 99th percentile */
    double response_ms;       /* mean from arrival to reply, sync calls below included */
} azb_node_result;

typedef struct azb_edge_result {
    double rps;    /* calls per second */
    double rtt_ms; /* network round trip per call (traffic-weighted mean) */
    azb_hop hop;
    double cross_zone; /* fraction of calls that cross zones inside a region */
} azb_edge_result;

typedef struct azb_op_result {
    char name[96];
    double share;        /* of all requests */
    double rps;          /* served: throughput_rps x share */
    azb_latency latency; /* end to end, ms */
    double network_ms;   /* mean network part of latency.mean */
    bool clamped;        /* some figure is at AZB_MODEL_MAX_MS */
    bool fitted;         /* percentiles from the moment fit, not enumerated paths */
} azb_op_result;

typedef struct azbi_model_work azbi_model_work;

typedef struct azb_result {
    double offered_rps;
    double throughput_rps;     /* offered, or max_throughput_rps when saturated */
    double max_throughput_rps; /* 0 when no node limits (a design of sources only) */
    bool saturated;            /* offered >= max_throughput_rps */
    int bottleneck;            /* node index; -1 when no node limits */
    azb_latency latency;       /* end to end over all operations and entries, ms */
    double network_ms;         /* mean network part of latency.mean */
    bool clamped;
    bool fitted;
    int nnodes;
    int nedges;
    int nops; /* the workload's operations; 0 when it lists none */
    azb_node_result *nodes;
    azb_edge_result *edges;
    azb_op_result *ops;
    azbi_model_work *work; /* private: buffers reused by azb_model_update */
} azb_result;

/* Run the model once: a new result (free with azb_result_destroy), or NULL
 * with errors in `errs`. offered_rps <= 0 means the workload's rps. */
azb_result *azb_model_run(const azb_design *d, const azb_catalog *cat, double offered_rps,
                          azb_errors *errs);

/* An empty result with buffers for `d` (NULL: for nothing yet), to be filled
 * by azb_model_update. NULL when out of memory. */
azb_result *azb_model_reserve(const azb_design *d);

/* Re-run the model into `r`, reusing its buffers. False (r then holds no
 * nodes) when the design cannot be modelled or memory ran out. */
bool azb_model_update(azb_result *r, const azb_design *d, const azb_catalog *cat,
                      double offered_rps, azb_errors *errs);

void azb_result_destroy(azb_result *r);

/* "source", "per_instance", "pooled", "quota". */
const char *azb_model_queueing_name(azb_queueing q);
/* "zone", "region", "inter_region", "internet", "backbone", "dns". */
const char *azb_model_hop_name(azb_hop h);

#endif
