/*
 * azb_workload: load and failure scenarios, what the simulator plays
 * against a design ("what if a zone goes down during the spike?").
 *
 * File format "azboard/scenario" version 1, documented in
 * docs/scenario-format.md ("Load and failure scenarios").
 *
 * Model.
 *  - A scenario lasts `duration_s` seconds of simulated time, from t = 0.
 *  - Its load is an offered rate in requests per second as a function of
 *    time: constant (`rps`), ramp, spike, diurnal or piecewise, with the same
 *    keys and the same meaning as a design's workload.profile (azb_profile in
 *    azb_design.h; azb_scenario_rate is azb_profile_rate over it). Optional
 *    request classes split the load (shares sum to 1); with none, the
 *    simulator uses the design's workload operations.
 *  - Failures each hold over [at_s, recover_s): from `at` until `recover_at`,
 *    or until the end of the scenario when no recovery is given. They may
 *    overlap. The array is sorted by (at_s, position in the file), a total
 *    order, so a simulator can walk it with one cursor.
 *
 * Units. Times in seconds (at, recover_at, duration_s, warm_s) except edge
 * latency (extra_ms, milliseconds); rates in requests per second; sizes in KB
 * (1 KB = 1,000 bytes); loss a probability; factors are multipliers.
 *
 * Ownership. azb_scenario_load/parse return a scenario the caller frees with
 * azb_scenario_destroy. It holds no pointer into a design or catalog: node,
 * region and edge references are names, checked by azb_scenario_check and
 * looked up by the caller (azb_design_find_node). The scenario keeps a copy
 * of its source text so later checks can say where a bad reference is.
 *
 * Errors. Loaders return NULL and append every problem found to `errs`,
 * located (file:line:col) and named by JSON path (`failures[2].zone`);
 * unknown keys are warnings and are ignored. azb_scenario_check appends
 * the references a design does not satisfy, located the same way. NULL
 * handles are contract violations (asserts), never records.
 */
#ifndef AZB_WORKLOAD_H
#define AZB_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "azb_catalog.h"
#include "azb_design.h"
#include "azb_error.h"

#define AZB_SCENARIO_FORMAT "azboard/scenario"
#define AZB_SCENARIO_VERSION 1
#define AZB_SCENARIO_MAX_FAILURES 10000
#define AZB_SCENARIO_MAX_CLASSES 256
#define AZB_SCENARIO_MAX_POINTS 100000
#define AZB_SCENARIO_MAX_DURATION_S 31622400.0 /* 366 days */

typedef enum azb_failure_what {
    AZB_FAIL_NODE,        /* every instance of `node` down */
    AZB_FAIL_ZONE,        /* every instance in `region`, zone `zone` down */
    AZB_FAIL_REGION,      /* every instance in `region` down */
    AZB_FAIL_INSTANCES,   /* `kill` of `node`'s instances down */
    AZB_FAIL_SLOW,        /* `node`'s service times multiplied by `factor` (> 1) */
    AZB_FAIL_EDGE,        /* calls from -> to: `extra_ms` added, `loss` of them lost */
    AZB_FAIL_CACHE_FLUSH, /* `node`'s hit ratio drops to 0, back over `warm_s` */
    AZB_FAIL_QUOTA_CUT,   /* `node`'s quota multiplied by `factor` (in (0, 1)) */
    AZB_FAIL_COUNT
} azb_failure_what;

typedef struct azb_failure {
    azb_failure_what what;
    double at_s;
    double recover_s;          /* = duration_s when the file gives no recover_at */
    bool recovers;             /* recover_at was given */
    char node[AZB_ID_MAX];     /* node, instances, slow, cache_flush, quota_cut */
    char region[32];           /* zone, region */
    int zone;                  /* zone: 1..3 */
    char from[AZB_ID_MAX];     /* edge */
    char to[AZB_ID_MAX];
    int kill;                  /* instances: >= 1 */
    double factor;             /* slow: > 1; quota_cut: in (0, 1) */
    double extra_ms;           /* edge: >= 0 */
    double loss;               /* edge: in [0, 1] */
    double warm_s;             /* cache_flush: >= 0 */
    int index;                 /* its place in the file: failures[index] */
} azb_failure;

typedef struct azb_request_class {
    char name[96];
    double share;              /* of all requests, in (0, 1]; shares sum to 1 */
    bool write;
    double request_kb;
    double response_kb;
} azb_request_class;

typedef struct azb_scenario {
    char name[128];
    double duration_s;         /* > 0 */
    double rps;                /* constant load */
    azb_profile load;          /* type, and the keys of that type */
    azb_request_class *classes;
    int nclasses;
    azb_failure *failures;     /* sorted by (at_s, index) */
    int nfailures;
    /* Private: the source, for locating errors found by azb_scenario_check. */
    char file[256];
    char *text;
    size_t len;
} azb_scenario;

azb_scenario *azb_scenario_load(const char *path, azb_errors *errs);
azb_scenario *azb_scenario_parse(const char *text, size_t len, const char *name,
                                 azb_errors *errs);
void azb_scenario_destroy(azb_scenario *s);

/* Check the scenario's references against a design (validated against
 * `cat`): nodes exist; regions are known and some node of the design is in
 * them; a zone is one of its region's zones; an edge failure names an edge
 * of the design; kill <= the node's count (its autoscale max when larger);
 * cache_flush is on a kind with a hit ratio, quota_cut on a quota kind. True
 * when nothing is wrong; every problem is appended to `errs`. */
bool azb_scenario_check(const azb_scenario *s, const azb_design *d, const azb_catalog *cat,
                        azb_errors *errs);

/* Offered load at time t (s), requests per second. */
double azb_scenario_rate(const azb_scenario *s, double t);
/* The largest offered rate over [0, duration_s] (for thinning arrivals). */
double azb_scenario_peak_rate(const azb_scenario *s);
/* Whether f holds at time t: at_s <= t < recover_s. */
bool azb_failure_active(const azb_failure *f, double t);
/* "node", "zone", ... as the file writes it; "?" when out of range. */
const char *azb_failure_what_name(azb_failure_what w);

#endif
