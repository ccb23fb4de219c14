/*
 * azb_sim: the discrete-event simulator. It plays a design against steady
 * load or a scenario (azb_workload.h: a load profile, request classes and
 * failures) and measures what the analytic model can only estimate: tails,
 * transients, failures, retries and autoscale. docs/models.md
 * ("Simulator") gives every assumption with its source.
 *
 * Model.
 *  - Arrivals. Without a scenario: one Poisson stream at config.offered_rps
 *    (or the workload's rps when <= 0, or the model result's offered rate).
 *    With config.scenario: a non-homogeneous Poisson stream of its load
 *    profile, drawn by thinning a Poisson stream at azb_scenario_peak_rate,
 *    over [0, duration_s) of scenario time. Each arrival enters at
 *    workload.entry, or at a clients node chosen by their "share", and gets
 *    a request class: the scenario's classes by share, else the workload's
 *    operations by share, else none. An edge listing "ops" carries only the
 *    requests whose class has one of those names.
 *  - Nodes take their parameters from the analytic model's result (service
 *    time, cv, servers per instance, quota capacity), so both engines
 *    simulate the same thing. The service distribution is the node's (or
 *    its SKU's) service_dist: exponential, deterministic or lognormal.
 *      servers nodes: instances, each `k` servers with its own FCFS queue
 *        holding at most the node's queue_limit waiting visits (absent:
 *        unbounded); a visit finding the queue full is dropped (503,
 *        `dropped`): M/M/c/K per instance. Balancing picks an instance among
 *        those the balancer believes up: random; hash (of the root request's
 *        id, so stable per request); round_robin; least_connections (fewest
 *        visits in the instance, ties to the lowest index). The policy is
 *        the node's "balancing", else that of the first caller that sets
 *        one, else hash.
 *      quota nodes: a token bucket refilled at capacity_rps (x any quota_cut
 *        factor) tokens/s, holding at most one second of quota, full at the
 *        start. A visit takes one token when the request has no class; with
 *        classes, its class's quota units (cost_read, or cost_write for a
 *        write class) over the model's mixed units_per_request, so the
 *        model's mix averages one token (token quotas: always one). A visit
 *        finding too few tokens is throttled (429). Admitted visits take a
 *        service time drawn from the node's distribution (as in the model:
 *        its mean below the quota whatever the load), with no queue.
 *      source (clients): takes no time.
 *  - Calls. After its service a visit makes its out-edges' calls in the
 *    design's edge order: each edge with probability p, `calls` times (a
 *    fractional part is a Bernoulli extra call); "on": hit/miss edges follow
 *    one hit draw per visit with the node's hit_ratio (lowered after a
 *    cache_flush, see Failures). A sync call pays the edge's rtt_ms (plus
 *    any edge failure's extra_ms) before reaching the child and waits for
 *    its whole response; calls run in sequence. An async call spawns an
 *    independent request at the child; its outcome is not in the root
 *    figures, only in the nodes'. A sync call that would nest deeper than
 *    AZB_SIM_MAX_DEPTH is skipped and counted in `truncated`.
 *  - Timeouts and retries (edge keys timeout_ms, retries, backoff_ms,
 *    backoff_multiplier, jitter). A sync call not answered within timeout_ms
 *    is abandoned (the callee goes on working: its server stays busy) and
 *    counts in timed_out_calls; a failed or timed-out call is retried up to
 *    `retries` times after backoff_ms x multiplier^(attempt - 1) (x a
 *    uniform draw in (0, 1) with full jitter). A call whose retries are
 *    spent fails its caller with the same cause, up to the root.
 *  - Failures (the scenario's, over [at, recover_at)). node/zone/region/
 *    instances: the instances hit are down; visits waiting or in service
 *    there fail at once (`failed`). Balancers keep choosing a dead instance
 *    until the detection delay of whoever balances it has passed (probe
 *    interval x unhealthy probes + DNS TTL: the catalog's kind-level "sim"
 *    figures of the first load_balancer, app_gateway, front_door or
 *    traffic_manager that calls the node, else of the node's own kind);
 *    a visit sent to a dead instance gets no answer: the call times out if
 *    it has a timeout, else fails at once. A recovered instance is used
 *    again after one probe interval (+ TTL). Front Door and Traffic
 *    Manager send a call whose target they see down to another of their
 *    sync edges (by p x calls). A quota node (no instances) in a failed
 *    region, or a zone outage of the single zone it is pinned to, refuses
 *    visits (`failed`); a Cosmos DB account with regions >= 2 serves again
 *    after its failover delay. slow: service times x factor. edge:
 *    extra_ms on every call, a share `loss` of calls lost (no answer).
 *    cache_flush: the hit ratio restarts from 0 and climbs linearly back
 *    over warm_s. quota_cut: the bucket's rate x factor.
 *  - Autoscale (nodes with "autoscale"): every scale_interval_s of the
 *    kind, the utilisation u over the interval gives
 *    desired = ceil(active x u / target), within [min, max]; new instances
 *    take provision_s to join and then delay their first services by
 *    cold_start_ms; surplus instances stop receiving visits and drain.
 *    Without a scenario the node starts at the model's count; with one,
 *    at what the scenario's rate at t = 0 needs.
 *  - Measurements start when warmup_requests root requests have completed
 *    (without a scenario, the first requests; with one, likewise, from
 *    t = 0): the figures below cover the window from then to the end.
 *    latency = completion - arrival of successful root requests (ms); a
 *    node's sojourn = wait + service of one visit (ms); utilisation = busy
 *    server time / server time available (the instances active and up;
 *    quota nodes: units admitted / quota); in_system = time-average visits waiting or in service
 * (Little's L).
 *  - Time series (config.timeseries): one row per second of simulated time
 *    from t = 0 (warm-up included) with root requests offered, served and
 *    failed by cause, retries, the served requests' p50 and p99, and per
 *    node the active instances and utilisation; config.on_second, when set,
 *    gets each row as soon as its second is over. Memory: one row (and
 *    nnodes x 8 bytes) per simulated second; one reused histogram.
 *
 * Units. Times in ms (latency, sojourn, service, timeouts), rates in
 * requests/s, sim_seconds and scenario times in seconds.
 *
 * Determinism. Every draw comes from azb_rng streams of config.seed (one each
 * for arrivals, entry choice, classes, routing, balancing, losses and
 * retries, one per node for its service times); events are ordered by
 * (time, sequence), a total order. The same design, model result, config
 * (scenario included) and libm give the same result to the bit.
 *
 * Memory. Requests (one per visit in progress) live in a pool and events in
 * azbi_events; both, and the FIFO queues, grow by doubling and never shrink,
 * so once the peak number in flight has been reached a run allocates
 * nothing per request. A node's sojourn histogram (about 32 KB) is
 * allocated on its first measured visit, so nodes never visited cost none.
 *
 * Stopping. With a scenario: at its duration_s, or at config.duration_s
 * when that is shorter (the scenario's first seconds), or earlier after
 * config.requests completed root requests past warm-up, when > 0.
 * Without: after config.requests completed root requests (past warm-up),
 * or, when requests is 0, after duration_s simulated seconds past warm-up.
 * The run also stops when *config.cancel becomes non-zero (checked every
 * 4096 events): the result then covers what was simulated and `cancelled`
 * is set. config.progress (if not NULL) is called every 65536 events with
 * the fraction done, from the calling thread.
 *
 * Errors. A NULL design, catalog, model result, config or out is a contract
 * violation (assert). A model result that does not match the design, no
 * entry, no load, neither requests nor duration, a scenario naming what the
 * design lacks, more than AZB_SIM_MAX_IN_FLIGHT visits in flight (a queue or
 * a retry storm growing without bound), or out of memory: returns false with a message in errs
 * (which may be NULL) and *out empty.
 *
 * Ownership. *out is the caller's struct; azb_sim_run fills it with buffers
 * it owns (nodes, latency_hist, seconds and their node rows) that
 * azb_sim_result_free releases (then *out is empty; freeing an empty or
 * zeroed result is fine). config.scenario is only read. Nothing is global;
 * distinct runs may go on in parallel threads.
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
#include "azb_workload.h"

/* Sync calls a request may have open at once (nested calls). */
#define AZB_SIM_MAX_DEPTH 32
/* Visits in flight at once (about 100 bytes each): a run that needs more is
 * overloaded without bound; it stops there and says so (result.overloaded),
 * its figures covering what was simulated. */
#define AZB_SIM_MAX_IN_FLIGHT (1u << 20)

typedef void (*azb_sim_progress_fn)(void *user, double fraction);

struct azb_sim_second; /* below: one row of the time series */

typedef struct azb_sim_config {
    uint64_t seed;
    uint64_t requests; /* stop after this many finished (served or failed) requests past warm-up; 0: duration */
    double duration_s; /* used when requests is 0: simulated seconds past warm-up */
    uint64_t warmup_requests;     /* finished (served or failed) requests discarded before measuring */
    double offered_rps;           /* <= 0: the workload's rps */
    azb_sim_progress_fn progress; /* may be NULL */
    void *user;
    volatile int *cancel;         /* may be NULL */
    const azb_scenario *scenario; /* may be NULL: steady load as above */
    bool timeseries;              /* fill result.seconds */
    /* May be NULL. With timeseries, called from the simulating thread each
     * time a second of the series is complete, with that row (its nodes
     * array holds the design's nnodes entries; both valid only during the
     * call): a whiteboard copies it to draw charts while the run goes on. */
    void (*on_second)(void *user, const struct azb_sim_second *row);
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
    double in_system;      /* time-average visits waiting or in service */
    uint64_t dropped;      /* visits refused by a full queue (503) */
    uint64_t failed;       /* visits lost to a dead instance or node */
    int instances;         /* active at the end */
    double instances_mean; /* time-average instances active and up in the window */
} azb_sim_node;

/* One second of simulated time (rows of result.seconds). */
typedef struct azb_sim_second_node {
    int32_t instances; /* active at the end of the second */
    float utilization; /* over the second */
} azb_sim_second_node;

typedef struct azb_sim_second {
    double t_s;                                    /* start of the second */
    uint32_t offered;                              /* root requests that arrived */
    uint32_t served;                               /* root requests that completed */
    uint32_t dropped, timeouts, throttled, failed; /* root requests that failed, by cause */
    uint32_t retries;
    double p50_ms, p99_ms;      /* of the requests served in the second; 0 when none */
    azb_sim_second_node *nodes; /* nnodes entries */
} azb_sim_second;

typedef struct azb_sim_result {
    uint64_t seed;
    azb_sim_latency latency;  /* root requests, ms */
    azb_hist *latency_hist;   /* owned; the same values, for merging replications */
    double throughput_rps;    /* completed / window */
    uint64_t completed;       /* root requests completed in the window */
    uint64_t throttled;       /* root requests failed by a throttled visit in the window */
    uint64_t offered;         /* root requests that arrived in the window */
    uint64_t dropped;         /* root requests failed by a full queue (503) */
    uint64_t timeouts;        /* root requests failed by a timed-out call */
    uint64_t failed;          /* root requests failed by an outage or a lost call */
    uint64_t retries;         /* retry attempts, all levels */
    uint64_t timed_out_calls; /* calls abandoned at their timeout, all levels */
    uint64_t truncated;       /* sync calls skipped at AZB_SIM_MAX_DEPTH */
    uint64_t events;          /* events processed (warm-up included) */
    double sim_seconds;       /* the measured window */
    bool cancelled;
    bool overloaded; /* stopped at AZB_SIM_MAX_IN_FLIGHT: queues grow without bound */
    int nnodes;
    azb_sim_node *nodes; /* owned; nodes[i] is the design's nodes[i] */
    int nseconds;
    azb_sim_second *seconds; /* owned; config.timeseries, else NULL */
} azb_sim_result;

/* A figure across replications: mean and the half-width of its 95%
 * confidence interval, t(0.975, k - 1) x sd / sqrt(k); for the latency
 * percentiles never less than the histogram's error bound at the value
 * (value / 257), since replications within one bucket agree exactly. */
typedef struct azb_sim_ci {
    double mean;
    double half;
} azb_sim_ci;

typedef struct azb_sim_summary {
    int k;
    azb_sim_ci mean, p50, p95, p99, p999, max; /* latency, ms */
    azb_sim_ci throughput_rps;
    azb_sim_ci error_rate; /* failed root requests / (completed + failed) */
} azb_sim_summary;

/* Simulate `d` with the node parameters of `model` (azb_model_run on the same
 * design and catalog). Fills *out (free with azb_sim_result_free). */
bool azb_sim_run(const azb_design *d, const azb_catalog *cat, const azb_result *model,
                 const azb_sim_config *config, azb_sim_result *out, azb_errors *errs);

/* Release what azb_sim_run put in *r and zero it (NULL is fine). */
void azb_sim_result_free(azb_sim_result *r);

/* Merge k independent replications (k >= 2): each figure's mean and 95%
 * confidence interval (Student t). False (and *out zeroed) when k < 2. */
bool azb_sim_summarize(const azb_sim_result *results, int k, azb_sim_summary *out);

/* Student t 0.975 quantile for df >= 1 degrees of freedom (exact table to
 * 30, then interpolated in 1/df; within 1e-4). */
double azb_sim_t975(int df);

#endif
