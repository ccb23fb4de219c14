/*
 * azb_availability: how available a design is, from the SLAs of what it is
 * built of, and which component limits it.
 *
 * Model (docs/models.md, "Availability").
 *  - A node's availability is its SKU's SLA for the way it is deployed: one
 *    instance (sla.value), two or more instances (multi_instance), spread
 *    over two or more zones or zone redundant (zone_redundant), deployed in
 *    several regions (multi_region), falling back to the best figure the
 *    catalog gives that applies.
 *  - Redundancy across regions: where a router (Front Door, CDN, Traffic
 *    Manager, DNS) sends sync calls of one kind to two or more regions with
 *    probabilities adding up to 1, the regional branches are alternatives
 *    (a health probe fails over to whatever answers): each branch is
 *    evaluated as its own path and the group is 1 - product of (1 - A_b).
 *    A geo-replicated store (Cosmos DB with several regions) takes the
 *    catalog's multi-region figure, Microsoft's statement for the account.
 *  - The request path: nodes that a request must reach (visited with
 *    probability 1 over required sync calls) are in series: the product of
 *    their availabilities. Nodes reached only by async calls, or only on a
 *    cache miss, do not take the request down and are listed but not
 *    multiplied in (the report says so).
 *  - Downtime per month = (1 - availability) x 730 h x 60.
 *
 * Ownership. azb_availability_compute returns a result the caller frees with
 * azb_availability_destroy (NULL when out of memory); it holds no pointers
 * into its inputs.
 *
 * Errors. The design must be validated and `r` its model result; NULL
 * arguments are contract violations; a node whose SKU has no SLA is a
 * warning in `errs` (may be NULL) and counts as available (1) with its
 * basis saying so.
 */
#ifndef AZB_AVAILABILITY_H
#define AZB_AVAILABILITY_H

#include <stdbool.h>

#include "azb_catalog.h"
#include "azb_design.h"
#include "azb_error.h"
#include "azb_model.h"

typedef struct azb_avail_node {
    double sla;          /* the SLA figure chosen for how it is deployed */
    double effective;    /* after redundancy with its peers in other regions */
    bool on_path;        /* multiplied into the request path */
    char basis[96];      /* "2+ instances across zones", "single instance", ... */
} azb_avail_node;

typedef struct azb_availability {
    double sla;                     /* composite availability of the request path */
    double downtime_min_per_month;
    int weakest;                    /* node index of the lowest effective figure on the path; -1 */
    int nnodes;
    azb_avail_node *nodes;          /* per design node */
} azb_availability;

azb_availability *azb_availability_compute(const azb_design *d, const azb_catalog *cat,
                                           const azb_result *r, azb_errors *errs);
void azb_availability_destroy(azb_availability *a);

#endif
