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
 *
 * Ownership. Every function returns a malloc'd, NUL-terminated string the
 * caller frees, or NULL when out of memory. Inputs are only read.
 */
#ifndef AZB_REPORT_H
#define AZB_REPORT_H

#include "azb_availability.h"
#include "azb_catalog.h"
#include "azb_cost.h"
#include "azb_design.h"
#include "azb_model.h"

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

#endif
