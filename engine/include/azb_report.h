/*
 * azb_report: a design's results as text, JSON or Markdown. The one place
 * that turns numbers into words, so the command line, the whiteboard's
 * export and the tests all say the same thing.
 *
 * Formats.
 *  - Text: a readable summary (load, latency, availability, cost), then the
 *    per-node table, the operations, and the cost lines.
 *  - JSON: stable keys scripts can rely on: offered_rps, throughput_rps,
 *    max_throughput_rps, saturated, bottleneck, latency_ms {mean, p50, p95,
 *    p99}, availability {sla, downtime_min_per_month, weakest}, cost
 *    {monthly_usd, per_million_requests_usd, items [{node, item, quantity,
 *    unit, unit_usd, monthly_usd}]}, nodes [{id, rps, servers, utilization,
 *    latency_ms {mean, p99}}], operations [{name, rps, latency_ms {mean,
 *    p99}}]. Figures are rounded to what they can defend (0.001 ms, 0.01
 *    USD a month); nothing is ever inf or NaN.
 *  - Markdown: the same as text, as tables, for pasting into notes.
 *  - The event simulator's report (azb_report_des) has the same keys where
 *    they mean the same thing (throughput_rps, latency_ms with p999 and max
 *    added, availability, cost, nodes) plus engine "des", scenario, seed,
 *    replications, latency_ci95_ms and throughput_ci95_rps (half-widths of
 *    95% confidence intervals, with 2 or more replications), errors
 *    {dropped, timeouts, throttled, failed, retries}, requests, completed,
 *    events, sim_seconds, cancelled, and "model" (the steady-state figures
 *    beside it). Replications are one view: latency and throughput are
 *    their mean, counts their sum, node figures their mean.
 *
 * Ownership. Every function returns a malloc'd, NUL-terminated string the
 * caller frees, or NULL when out of memory. Inputs are only read.
 */
#ifndef AZB_REPORT_H
#define AZB_REPORT_H

#include <stdbool.h>

#include "azb_availability.h"
#include "azb_catalog.h"
#include "azb_cost.h"
#include "azb_design.h"
#include "azb_error.h"
#include "azb_model.h"
#include "azb_sim.h"

typedef enum azb_report_format {
    AZB_REPORT_TEXT,
    AZB_REPORT_JSON,
    AZB_REPORT_MARKDOWN
} azb_report_format;

/* Everything one design's report needs. `file` names it in the heading. */
typedef struct azb_report_input {
    const char *file;
    const azb_design *design;
    const azb_catalog *catalog;
    const azb_result *result;
    const azb_cost *cost;
    const azb_availability *availability;
} azb_report_input;

char *azb_report_sim(const azb_report_input *in, azb_report_format format);
/* The cost lines alone, grouped by node and category. */
char *azb_report_cost(const azb_report_input *in, azb_report_format format);
/* Two designs side by side: max throughput, p99, availability, monthly cost,
 * cost per million requests; the better value of each row marked. */
char *azb_report_compare(const azb_report_input *a, const azb_report_input *b,
                         azb_report_format format);

/* What the simulator's report says about its run beyond the results. */
typedef struct azb_des_info {
    const char *scenario; /* its name, or NULL for steady load */
} azb_des_info;

/* k >= 1 replications of the event simulator on in->design (in->result is
 * the steady-state model the runs took their parameters from; cost and
 * availability, when given, are reported as they are). `info` may be NULL. */
char *azb_report_des(const azb_report_input *in, const azb_sim_result *runs, int k,
                     const azb_des_info *info, azb_report_format format);
/* One run's per-second time series as CSV (header row, then one row per
 * simulated second: t_s, offered, served, dropped, timeouts, throttled,
 * failed, retries, p50_ms, p99_ms, then <node>.instances and
 * <node>.utilization for every node). Empty body when the run kept none. */
char *azb_report_timeseries_csv(const azb_design *d, const azb_sim_result *r);

/* Write a report (any text) to `path` atomically: a temporary file in the
 * same folder renamed over it, so a failed write leaves the old file as it
 * was. False with a record in errs on failure. */
bool azb_report_save(const char *path, const char *text, azb_errors *errs);

#endif
