/*
 * azb_cost: what a design costs a month, line by line, each line naming the
 * catalog price it used.
 *
 * Model (docs/models.md, "Cost", has every rule and a worked example).
 *  - A month is AZB_HOURS_PER_MONTH (730) hours. List prices, pay as you go,
 *    USD, as assets/catalog.json gives them.
 *  - Fixed charges (instance hours, vCore hours, capacity/throughput units,
 *    PTUs, RU/s provisioned, flat monthly fees) come from the design: count
 *    (or, under autoscale, the average instance count the model's result
 *    implies), the SKU's vCores, the node's settings.
 *  - Usage charges (requests, executions, GB-seconds, operations, RU
 *    consumed, tokens, GB processed, egress, transfer) come from the
 *    workload's AVERAGE rate (azb_profile_average), not its peak: the
 *    model's per-node and per-edge rates are scaled by average / offered.
 *  - Free grants are taken off the month's quantity before pricing; tiered
 *    prices are applied tier by tier.
 *  - Internet egress is billed on the responses of edges out of clients
 *    nodes (the catalog's bandwidth.internet_egress); inter-region transfer
 *    on edges whose ends are in different regions (request one way,
 *    response the other); inter-zone transfer on the cross-zone share of
 *    calls inside a region.
 *  - A price with `when` applies only when that bool setting is true; a
 *    price with `per` is multiplied by that setting.
 *
 * Ownership. azb_cost_compute returns a cost the caller frees with
 * azb_cost_destroy; it holds no pointers into the design, catalog or result.
 *
 * Errors. The design must be validated and `r` must be its model result;
 * NULL arguments are contract violations. Items a design cannot price (a
 * unit the cost model does not know how to count) are warnings in `errs`
 * (may be NULL), never silent zeros.
 */
#ifndef AZB_COST_H
#define AZB_COST_H

#include <stdbool.h>

#include "azb_catalog.h"
#include "azb_design.h"
#include "azb_error.h"
#include "azb_model.h"

typedef struct azb_cost_item {
    int node;                /* design node index; -1 for design-wide lines */
    char node_id[AZB_ID_MAX];
    azb_category category;   /* the node kind's category; network for transfer */
    char item[48];           /* the catalog price item ("compute", "egress", ...) */
    azb_price_unit unit;
    double quantity;         /* per month, in the unit's quantity, before free grants */
    double free_qty;         /* the part of quantity the free grant covered */
    double unit_usd;         /* list price per unit (the first tier when tiered) */
    double monthly_usd;
    azb_prov prov;           /* the catalog price's source and tag */
} azb_cost_item;

typedef struct azb_cost {
    double monthly_usd;
    double per_million_requests_usd; /* monthly / (average rps x seconds per month) x 1e6 */
    double average_rps;              /* the rate usage charges use */
    int nitems;
    azb_cost_item *items;            /* grouped by node, in design order */
    int nnodes;
    double *node_monthly_usd;        /* per design node */
} azb_cost;

azb_cost *azb_cost_compute(const azb_design *d, const azb_catalog *cat, const azb_result *r,
                           azb_errors *errs);
void azb_cost_destroy(azb_cost *c);

#endif
