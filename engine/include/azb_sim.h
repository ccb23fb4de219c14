/*
 * azb_sim: the discrete-event simulator (first slice: steady load, no
 * failures, no retries, no autoscale).
 *
 * Model.
 *  - Arrivals. One Poisson stream at the offered rate (config.offered_rps,
 *    or the workload's rps when <= 0, or the model result's offered rate
 *    when the workload has none). Each arrival is a request entering at
 *    workload.entry, or at one of the clients nodes chosen by their "share".
 *  - Nodes read their parameters from the analytic model's result, so both
 *    engines simulate the same thing: queueing, queues, servers_per_queue,
 *    service_ms and cv. The service distribution is the node's (or its
 *    SKU's) service_dist: exponential, deterministic, or lognormal with the
 *    model's cv.
 *      per_instance: `queues` FCFS queues of `servers_per_queue` servers;
 *        a visit picks one by round robin (balancing "round_robin") or at
 *        random (every other policy; hash of a request id is random).
 *      pooled (least connections): one FCFS queue of n x k servers.
 *      quota: a token bucket refilled at capacity_rps tokens/s (one token a
 *        visit) holding at most one second of quota (at least one token),
 *        full at the start; a visit finding no token is throttled (a 429):
 *        the whole request fails and is counted, not served. Admitted visits
 *        take the fixed service time, with no queue.
 *      source (clients): takes no time.
 *  - Calls. After its service a visit makes its out-edges' calls in the
 *    design's edge order: each edge is taken with probability p, then
 *    `calls` times (a fractional part is a Bernoulli extra call, so the mean
 *    is p x calls as in the model); "on": hit/miss edges out of a node
 *    follow one hit draw per visit with the node's hit_ratio. A sync call
 *    pays the edge's rtt_ms (from the model result) as a fixed delay before
 *    reaching the child and waits for its whole response; calls run in
 *    sequence. An async call spawns an independent request at the child
 *    (after the rtt) and the caller goes on at once; async requests are not
 *    in the latency figures, only in the nodes'. Edge "ops" filters are not
 *    simulated yet (every edge carries every request).
 *  - Nesting. A request keeps a fixed stack of AZB_SIM_MAX_DEPTH return
 *    points (one per node on its current sync path). A sync call that would
 *    go deeper is skipped and counted in `truncated` (only a looping design
 *    gets there).
 *  - Measurements start when warmup_requests root requests have completed:
 *    every figure below covers the window from then to the end. latency =
 *    completion - arrival of root requests (ms); a node's sojourn = wait +
 *    service of one visit (ms); utilisation = busy server time / (servers x
 *    window) (quota nodes: admitted visits / (capacity x window)); in_system
 *    = time-average number of visits waiting or in service (Little's L).
 *
 * Units. Times in ms (latency, sojourn, service), rates in requests/s,
 * sim_seconds in seconds.
 *
 * Determinism. Every draw comes from azb_rng streams of config.seed (one for
 * arrivals, one for entry choice, one for routing, one for balancing, one
 * per node for its service times); events are ordered by (time, sequence),
 * a total order. The same design, model result, config and libm give the
 * same result to the bit.
 *
 * Memory. Requests live in a pool and events in azbi_events; both, and the
 * FIFO queues, grow by doubling and never shrink, so once the peak number
 * of requests in flight has been reached a run allocates nothing per
 * request. Each node holds one azb_hist (about 32 KB).
 *
 * Stopping. After config.requests completed root requests (past warm-up),
 * or, when requests is 0, after duration_s simulated seconds past warm-up.
 * The run also stops when *config.cancel becomes non-zero (checked every
 * 4096 events): the result then covers what was simulated and `cancelled`
 * is set. config.progress (if not NULL) is called every 65536 events with
 * the fraction done, from the calling thread.
 *
 * Errors. A NULL design, catalog, model result, config or out is a contract
 * violation (assert). A model result that does not match the design, no
 * entry, no load, neither requests nor duration, or out of memory: returns
 * false with a message in errs (which may be NULL) and *out empty.
 *
 * Ownership. *out is the caller's struct; azb_sim_run fills it with buffers
 * it owns (nodes, latency_hist) that azb_sim_result_free releases (then
 * *out is empty; freeing an empty or zeroed result is fine). Nothing is
 * global; distinct runs may go on in parallel threads.
 */
#ifndef AZB_SIM_H
#define AZB_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "azb_catalog.h"
#include "azb_design.h"
#include "azb_error.h"
#include "azb_hist.h"
#include "azb_model.h"

/* Sync calls a request may have open at once (its stack of return points). */
#define AZB_SIM_MAX_DEPTH 32

typedef void (*azb_sim_progress_fn)(void *user, double fraction);

typedef struct azb_sim_config {
    uint64_t seed;
    uint64_t requests; /* stop after this many completed requests (past warm-up); 0: duration */
    double duration_s; /* used when requests is 0: simulated seconds past warm-up */
    uint64_t warmup_requests;     /* completed requests discarded before measuring */
    double offered_rps;           /* <= 0: the workload's rps */
    azb_sim_progress_fn progress; /* may be NULL */
    void *user;
    volatile int *cancel; /* may be NULL */
} azb_sim_config;

typedef struct azb_sim_latency {
    double mean;
    double p50;
    double p95;
    double p99;
    double p999;
    double max;
} azb_sim_latency;

typedef struct azb_sim_node {
    uint64_t visits;    /* arrivals at the node in the window (throttled included) */
    uint64_t throttled; /* quota nodes: visits refused */
    double rps;         /* visits per second */
    double utilization;
    double sojourn_mean_ms; /* wait + service per served visit */
    double sojourn_p99_ms;
    double in_system; /* time-average visits waiting or in service */
} azb_sim_node;

typedef struct azb_sim_result {
    uint64_t seed;
    azb_sim_latency latency; /* root requests, ms */
    azb_hist *latency_hist;  /* owned; the same values, for merging replications */
    double throughput_rps;   /* completed / window */
    uint64_t completed;      /* root requests completed in the window */
    uint64_t throttled;      /* root requests failed by a throttled visit in the window */
    uint64_t truncated;      /* sync calls skipped at AZB_SIM_MAX_DEPTH */
    uint64_t events;         /* events processed (warm-up included) */
    double sim_seconds;      /* the measured window */
    bool cancelled;
    int nnodes;
    azb_sim_node *nodes; /* owned; nodes[i] is the design's nodes[i] */
} azb_sim_result;

/* Simulate `d` with the node parameters of `model` (azb_model_run on the same
 * design and catalog). Fills *out (free with azb_sim_result_free). */
bool azb_sim_run(const azb_design *d, const azb_catalog *cat, const azb_result *model,
                 const azb_sim_config *config, azb_sim_result *out, azb_errors *errs);

/* Release what azb_sim_run put in *r and zero it (NULL is fine). */
void azb_sim_result_free(azb_sim_result *r);

#endif
