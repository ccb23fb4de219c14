/* The cost model (azb_cost.h, docs/models.md "Cost").
 *
 * Every case is a small design written here (JSON with ' for ", parsed
 * against the shipped catalog), run through the analytic model, then
 * priced. Each expected figure is worked by hand next to it from the
 * catalog's prices (docs/catalog.md), so a failure says which rule moved.
 * A month is 730 h = 2,628,000 s; 1 GB = 10^6 KB.
 *
 * Contract violations (NULL design, catalog or result) assert, as the
 * header says; the nonsense that is legal (a result of another design, NaN
 * or huge offered load, a price unit the model cannot count, a NULL error
 * list, destroying NULL) is exercised. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "azb_cost.h"
#include "azb_design.h"
#include "azb_model.h"
#include "azb_prompt.h"
#include "azbt.h"

#define MONTH_S 2628000.0
#define PI 3.14159265358979323846

/* ---- comparing numbers, and saying which case failed ------------------ */

static int near(const char *where, const char *field, double expected, double got, double rel)
{
    return azbt_near(where, field, expected, got, rel, 1e-9);
}

/* ---- designs built in code --------------------------------------------- */

static azb_cost *price(const azb_design *d, const azb_catalog *cat, const azb_result *r,
                       azb_errors *errs)
{
    azb_cost *c = azb_cost_compute(d, cat, r, errs);
    if (c == NULL) {
        if (errs != NULL) {
            azbt_print_errors(errs);
        }
        fail_msg("azb_cost_compute failed");
    }
    return c;
}

/* The line of `node` ("" = design-wide) named `item`, or NULL. */
static const azb_cost_item *line(const azb_cost *c, const char *node, const char *item)
{
    for (int i = 0; i < c->nitems; i++) {
        if (strcmp(c->items[i].node_id, node) == 0 && strcmp(c->items[i].item, item) == 0) {
            return &c->items[i];
        }
    }
    return NULL;
}

static void print_lines(const azb_cost *c)
{
    for (int i = 0; i < c->nitems; i++) {
        const azb_cost_item *it = &c->items[i];
        print_error("    %-10s %-36s %14.6f %-22s free %12.4f x %-9g = %12.6f\n", it->node_id,
                    it->item, it->quantity, azb_price_unit_name(it->unit), it->free_qty,
                    it->unit_usd, it->monthly_usd);
    }
}

/* Every line finite and sourced, the total the sum of the lines, the nodes'
 * totals the sum of theirs, design-wide lines on no node. */
static int check_sane(const char *where, const azb_catalog *cat, const azb_design *d,
                      const azb_cost *c)
{
    int fails = 0;
    double total = 0.0;
    double *per = calloc((size_t)(d->nnodes > 0 ? d->nnodes : 1), sizeof(double));
    assert_non_null(per);
    fails += azbt_truth(where, "one figure per node", c->nnodes == d->nnodes);
    for (int i = 0; i < c->nitems; i++) {
        const azb_cost_item *it = &c->items[i];
        char what[256];
        snprintf(what, sizeof(what), "line %d (%s %s) finite, >= 0, sourced, a known unit", i,
                 it->node_id, it->item);
        int ok = isfinite(it->quantity) && isfinite(it->free_qty) && isfinite(it->unit_usd) &&
                 isfinite(it->monthly_usd) && it->quantity >= 0.0 && it->free_qty >= 0.0 &&
                 it->free_qty <= it->quantity && it->unit_usd >= 0.0 && it->monthly_usd >= 0.0 &&
                 it->prov.source >= 0 && it->prov.source < cat->nsources &&
                 (int)it->prov.tag >= 0 && it->prov.tag < AZB_TAG_COUNT && (int)it->unit >= 0 &&
                 it->unit < AZB_UNIT_COUNT && it->item[0] != '\0' && (int)it->category >= 0 &&
                 it->category < AZB_CAT_COUNT;
        ok = ok && it->node >= -1 && it->node < d->nnodes &&
             (it->node < 0 ? it->node_id[0] == '\0'
                           : strcmp(it->node_id, d->nodes[it->node].id) == 0);
        fails += azbt_truth(where, what, ok);
        total += it->monthly_usd;
        if (it->node >= 0 && it->node < d->nnodes) {
            per[it->node] += it->monthly_usd;
        }
    }
    fails += near(where, "monthly_usd = sum of lines", total, c->monthly_usd, 1e-12);
    for (int u = 0; u < d->nnodes && u < c->nnodes; u++) {
        fails += near(where, d->nodes[u].id, per[u], c->node_monthly_usd[u], 1e-12);
    }
    fails += azbt_truth(where, "finite totals",
                        isfinite(c->monthly_usd) && isfinite(c->per_million_requests_usd) &&
                            isfinite(c->average_rps) && c->per_million_requests_usd >= 0.0 &&
                            c->average_rps >= 0.0);
    free(per);
    return fails;
}

/* ---- every price item on a small design -------------------------------- */

typedef struct want {
    const char *node; /* "" = a design-wide line; NULL ends the list */
    const char *item;
    double quantity; /* < 0: the line must not exist */
    double monthly;
    double free_qty; /* < 0: not checked */
} want;

typedef struct cost_case {
    const char *name;
    const char *nodes;
    const char *edges;
    const char *workload;
    want lines[6];
    double total;       /* the month; < 0: not checked */
    double per_million; /* < 0: not checked */
} cost_case;

#define USERS "{'id': 'users', 'kind': 'clients', 'geo': 'north-america'},"
#define API "{'id': 'api', 'kind': 'vm', 'sku': 'Standard_D4s_v5', 'region': 'eastus'}"
#define API_ API ","
#define TO_API "{'from': 'users', 'to': 'api'}"
/* api: 1 x Standard_D4s_v5 = 0.192 x 730 = 140.16 a month */

static const cost_case cases[] = {
    {"VM hours x count; cost per million requests",
     USERS "{'id': 'vm', 'kind': 'vm', 'sku': 'Standard_D4s_v5', 'count': 2, 'region': 'eastus'}",
     "{'from': 'users', 'to': 'vm'}",
     "'entry': 'users', 'rps': 10",
     {{"vm", "compute", 1460.0, 280.32, -1},  /* 2 x 730 h = 1460 h; 2 x 0.192 x 730 = 280.32 */
      {"", "internet egress", 0.0, 0.0, 0.0}, /* no response sizes: 0 GB */
      {NULL, NULL, 0, 0, 0}},
     280.32,
     10.666666666666667}, /* 280.32 / (10 rps x 2,628,000 s = 26.28 M) = 10.6667 per million */

    {"Functions Consumption under the free grants",
     USERS "{'id': 'fn', 'kind': 'functions', 'sku': 'Consumption', 'region': 'eastus'}",
     "{'from': 'users', 'to': 'fn'}",
     "'entry': 'users', 'rps': 0.1",
     {{"fn", "executions", 0.2628, 0.0, 0.2628},     /* 0.1 x 2,628,000 = 0.2628 M < 1 M free */
      {"fn", "execution time", 3285.0, 0.0, 3285.0}, /* 262,800 x 0.025 s x 0.5 GB = 3,285 GB-s
                                                         < 400,000 free */
      {NULL, NULL, 0, 0, 0}},
     0.0,
     0.0},

    {"Functions Consumption over the free grants",
     USERS "{'id': 'fn', 'kind': 'functions', 'sku': 'Consumption', 'region': 'eastus', "
           "'service_ms': 200, 'concurrency': 50, 'memory_gb': 1}",
     "{'from': 'users', 'to': 'fn'}",
     "'entry': 'users', 'rps': 100",
     {{"fn", "executions", 262.8, 52.36, 1.0}, /* 100 x 2,628,000 = 262.8 M; (262.8 - 1) x 0.20 */
      {"fn", "execution time", 52560000.0, 834.56, 400000.0}, /* 262.8 M x 0.2 s x 1 GB =
                                      52,560,000 GB-s; (52,560,000 - 400,000) x 0.000016 */
      {NULL, NULL, 0, 0, 0}},
     886.92, /* 52.36 + 834.56 */
     -1},

    {"Functions Flex Consumption bills at least 1,000 ms an execution",
     USERS "{'id': 'fn', 'kind': 'functions', 'sku': 'FlexConsumption', 'region': 'eastus', "
           "'service_ms': 100, 'memory_gb': 2}",
     "{'from': 'users', 'to': 'fn'}",
     "'entry': 'users', 'rps': 10",
     {{"fn", "executions", 26.28, 10.412, 0.25},               /* 26.28 M; (26.28 - 0.25) x 0.40 */
      {"fn", "execution time", 52560000.0, 1363.96, 100000.0}, /* 26.28 M x max(0.1, 1.0) s x
                                      2 GB = 52,560,000; (52,560,000 - 100,000) x 0.000026 */
      {NULL, NULL, 0, 0, 0}},
     1374.372,
     -1},

    {"Premium_EP1: vCPU hours and memory hours x count",
     USERS
     "{'id': 'fn', 'kind': 'functions', 'sku': 'Premium_EP1', 'count': 3, 'region': 'eastus'}",
     "{'from': 'users', 'to': 'fn'}",
     "'entry': 'users', 'rps': 10",
     {{"fn", "vCPU", 2190.0, 378.87, -1},             /* 1 vCPU x 3 x 730 = 2,190 x 0.173 */
      {"fn", "memory (3.5 GB)", 2190.0, 94.2795, -1}, /* 3 x 730 = 2,190 x 0.04305 */
      {NULL, NULL, 0, 0, 0}},
     473.1495,
     -1},

    {"Container Apps Consumption: replica seconds and requests with free grants",
     USERS "{'id': 'ca', 'kind': 'container_apps', 'sku': 'Consumption', 'count': 2, "
           "'region': 'eastus'}",
     "{'from': 'users', 'to': 'ca'}",
     "'entry': 'users', 'rps': 10",
     {{"ca", "active vCPU", 2628000.0, 58.752, 180000.0},   /* 2 x 2,628,000 s x 0.5 vCPU;
                                                     (2,628,000 - 180,000) x 0.000024 */
      {"ca", "active memory", 5256000.0, 14.688, 360000.0}, /* 2 x 2,628,000 x 1 GiB;
                                                   (5,256,000 - 360,000) x 0.000003 */
      {"ca", "requests", 26.28, 9.712, 2.0},                /* (26.28 - 2) x 0.40 */
      {NULL, NULL, 0, 0, 0}},
     83.152,
     -1},

    {"Internet egress under the free 100 GB",
     USERS API,
     "{'from': 'users', 'to': 'api', 'response_kb': 10}",
     "'entry': 'users', 'rps': 1",
     {{"", "internet egress", 26.28, 0.0, 26.28}, /* 1 x 10 KB x 2,628,000 / 10^6 = 26.28 GB */
      {"api", "compute", 730.0, 140.16, -1},
      {NULL, NULL, 0, 0, 0}},
     140.16,
     -1},

    {"Internet egress inside the first tier",
     USERS API,
     "{'from': 'users', 'to': 'api', 'response_kb': 100}",
     "'entry': 'users', 'rps': 10",
     {{"", "internet egress", 2628.0, 219.936, 100.0}, /* 10 x 100 KB x 2,628,000 = 2,628 GB;
                                                          (2,628 - 100) x 0.087 */
      {NULL, NULL, 0, 0, 0}},
     360.096, /* 140.16 + 219.936 */
     -1},

    {"Internet egress across a tier boundary",
     USERS API,
     "{'from': 'users', 'to': 'api', 'response_kb': 100}",
     "'entry': 'users', 'rps': 50",
     {{"", "internet egress", 13140.0, 1122.88, 100.0}, /* 13,140 GB: (10,240 - 100) x 0.087 =
                                   882.18, + (13,140 - 10,240) x 0.083 = 240.70 */
      {NULL, NULL, 0, 0, 0}},
     1263.04,
     -1},

    {"Internet egress from the operations' sizes when the edge gives none",
     USERS API,
     TO_API,
     "'entry': 'users', 'rps': 10, 'operations': [{'name': 'GET', 'share': 0.9, "
     "'response_kb': 20}, {'name': 'POST', 'share': 0.1, 'request_kb': 5, 'response_kb': 2, "
     "'write': true}]",
     {{"", "internet egress", 478.296, 32.911752, 100.0}, /* 0.9 x 20 + 0.1 x 2 = 18.2 KB a call;
                           10 x 18.2 x 2.628 = 478.296 GB; (478.296 - 100) x 0.087 */
      {NULL, NULL, 0, 0, 0}},
     173.071752,
     -1},

    {"Front Door: base fee, requests, its own egress; no internet egress line",
     USERS "{'id': 'fd', 'kind': 'front_door', 'sku': 'Standard'}," API,
     "{'from': 'users', 'to': 'fd', 'response_kb': 10}, "
     "{'from': 'fd', 'to': 'api', 'response_kb': 10}",
     "'entry': 'users', 'rps': 10",
     {{"fd", "base fee", 1.0, 35.0, -1},
      {"fd", "requests", 26.28, 23.652, -1},                     /* 26.28 M x 0.90 */
      {"fd", "egress, first 10 TB (NA/EU)", 262.8, 21.8124, -1}, /* 10 x 10 KB: 262.8 GB x 0.083 */
      {"", "internet egress", -1, 0, -1},
      {NULL, NULL, 0, 0, 0}},
     220.6244, /* 35 + 23.652 + 21.8124 + 140.16 */
     -1},

    {"Inter-region transfer, billed where the bytes leave",
     USERS API_ "{'id': 'far', 'kind': 'vm', 'sku': 'Standard_D4s_v5', 'region': 'brazilsouth'},"
                "{'id': 'near', 'kind': 'vm', 'sku': 'Standard_D4s_v5', 'region': 'westus'}",
     TO_API ", {'from': 'api', 'to': 'far', 'request_kb': 10, 'response_kb': 40}, "
            "{'from': 'api', 'to': 'near', 'request_kb': 5, 'response_kb': 5}",
     "'entry': 'users', 'rps': 10",
     {{"api", "transfer eastus->brazilsouth", 262.8, 13.14, -1},    /* 10 x 10 KB: 262.8 GB x 0.05
                                                           (north-america to anywhere) */
      {"far", "transfer brazilsouth->eastus", 1051.2, 168.192, -1}, /* 10 x 40 KB: 1,051.2 GB x
                                                        0.16 (south-america to anywhere) */
      {"api", "transfer eastus->westus", 131.4, 2.628, -1},         /* 131.4 GB x 0.02 within NA */
      {"near", "transfer westus->eastus", 131.4, 2.628, -1},
      {NULL, NULL, 0, 0, 0}},
     607.068, /* 3 x 140.16 + 13.14 + 168.192 + 2 x 2.628 */
     -1},

    {"Inter-zone transfer: the cross-zone share of the bytes",
     USERS "{'id': 'a', 'kind': 'vm', 'sku': 'Standard_D4s_v5', 'region': 'eastus', 'zones': [1]},"
           "{'id': 'b', 'kind': 'vm', 'sku': 'Standard_D4s_v5', 'count': 3, 'region': 'eastus', "
           "'zones': [1, 2, 3]}",
     "{'from': 'users', 'to': 'a'}, {'from': 'a', 'to': 'b', 'request_kb': 30, 'response_kb': 60}",
     "'entry': 'users', 'rps': 10",
     {{"", "inter-zone transfer", 1576.8, 0.0, -1}, /* 10 x 90 KB x 2.628 = 2,365.2 GB x 2/3
                              across zones (a in 1, b spread over 1-3) = 1,576.8 GB x $0 */
      {NULL, NULL, 0, 0, 0}},
     560.64, /* 4 x 140.16 */
     -1},

    {"Cosmos DB provisioned RU/s x regions, zone redundant",
     USERS API_ "{'id': 'db', 'kind': 'cosmos_db', 'sku': 'Provisioned', 'region': 'eastus', "
                "'ru_per_s': 1000, 'regions': 3, 'zone_redundant': true, 'stored_gb': 10}",
     TO_API ", {'from': 'api', 'to': 'db'}",
     "'entry': 'users', 'rps': 10",
     {{"db", "throughput", 21900.0, 175.2,
       -1}, /* 1,000 / 100 x 730 h x 3 regions = 21,900 x 0.008 */
      {"db", "availability zones (x1.25)", 21900.0, 43.8, -1}, /* 21,900 x 0.002 */
      {"db", "multi-region writes", -1, 0, -1},
      {"db", "storage", 30.0, 7.5, -1}, /* 10 GB x 3 regions x 0.25 */
      {NULL, NULL, 0, 0, 0}},
     366.66, /* 140.16 + 175.2 + 43.8 + 7.5 */
     -1},

    {"Cosmos DB default RU/s, multi-region writes, no zones",
     USERS API_ "{'id': 'db', 'kind': 'cosmos_db', 'sku': 'Provisioned', 'region': 'eastus', "
                "'regions': 2, 'multi_region_writes': true}",
     TO_API ", {'from': 'api', 'to': 'db'}",
     "'entry': 'users', 'rps': 10",
     {{"db", "throughput", 5840.0, 46.72, -1}, /* the SKU's 400 RU/s: 4 x 730 x 2 = 5,840 x 0.008 */
      {"db", "multi-region writes", 5840.0, 46.72, -1},
      {"db", "availability zones (x1.25)", -1, 0, -1},
      {"db", "storage", 0.0, 0.0, -1}, /* stored_gb not set (a warning) */
      {NULL, NULL, 0, 0, 0}},
     233.6,
     -1},

    {"Cosmos DB serverless: RU consumed from the read/write mix",
     USERS API_ "{'id': 'db', 'kind': 'cosmos_db', 'sku': 'Serverless', 'region': 'eastus', "
                "'zone_redundant': true}",
     TO_API ", {'from': 'api', 'to': 'db'}",
     "'entry': 'users', 'rps': 10, 'operations': [{'name': 'read', 'share': 0.8}, "
     "{'name': 'write', 'share': 0.2, 'write': true}]",
     {{"db", "request units", 47.304, 13.197816, -1}, /* 0.8 x 1 + 0.2 x 5 = 1.8 RU a request;
                                         10 x 1.8 x 2,628,000 = 47.304 M RU x 0.279 */
      {"db", "availability zones (x1.25)", 47.304, 3.299454, -1}, /* 47.304 x 0.06975 */
      {NULL, NULL, 0, 0, 0}},
     156.65727,
     -1},

    {"Azure OpenAI pay-as-you-go: tokens from the operation",
     USERS API_
     "{'id': 'llm', 'kind': 'azure_openai', 'sku': 'gpt-4o_GlobalStandard', 'region': 'eastus'}",
     TO_API ", {'from': 'api', 'to': 'llm'}",
     "'entry': 'users', 'rps': 0.2, 'operations': [{'name': 'ask', 'share': 1, "
     "'tokens_in': 1000, 'tokens_out': 100}]",
     {{"llm", "input tokens", 525.6, 1314.0, -1}, /* 0.2 x 1,000 x 2,628,000 = 525.6 M x 2.50 */
      {"llm", "output tokens", 52.56, 525.6, -1}, /* 0.2 x 100 x 2,628,000 = 52.56 M x 10 */
      {NULL, NULL, 0, 0, 0}},
     1979.76,
     -1},

    {"Azure OpenAI provisioned: PTU hours whatever the tokens",
     USERS API_
     "{'id': 'llm', 'kind': 'azure_openai', 'sku': 'gpt-4o_GlobalProvisioned', 'region': 'eastus'}",
     TO_API ", {'from': 'api', 'to': 'llm'}",
     "'entry': 'users', 'rps': 0.2, 'operations': [{'name': 'ask', 'share': 1, "
     "'tokens_in': 1000, 'tokens_out': 100}]",
     {{"llm", "provisioned throughput units", 10950.0, 10950.0, -1}, /* the SKU's minimum 15 PTU
                                                       (37,500 / 2,500) x 730 h x 1.00 */
      {"llm", "input tokens", -1, 0, -1},
      {NULL, NULL, 0, 0, 0}},
     11090.16,
     -1},

    {"Azure OpenAI: tokens from the node's settings",
     USERS API_ "{'id': 'llm', 'kind': 'azure_openai', 'sku': 'gpt-4o-mini_GlobalStandard', "
                "'region': 'eastus', 'tokens_in': 2000, 'tokens_out': 500}",
     TO_API ", {'from': 'api', 'to': 'llm'}",
     "'entry': 'users', 'rps': 1",
     {{"llm", "input tokens", 5256.0, 788.4, -1},  /* 1 x 2,000 x 2.628 M = 5,256 M x 0.15 */
      {"llm", "output tokens", 1314.0, 788.4, -1}, /* 1 x 500 x 2.628 M = 1,314 M x 0.60 */
      {NULL, NULL, 0, 0, 0}},
     1716.96,
     -1},

    {"Blob storage: GB-month, reads and writes from the operations",
     USERS API_ "{'id': 'blob', 'kind': 'blob_storage', 'sku': 'Hot_LRS', 'region': 'eastus', "
                "'stored_gb': 1000}",
     TO_API ", {'from': 'api', 'to': 'blob'}",
     "'entry': 'users', 'rps': 4, 'operations': [{'name': 'get', 'share': 0.75}, "
     "{'name': 'put', 'share': 0.25, 'write': true}]",
     {{"blob", "storage", 1000.0, 20.8, -1},           /* 1,000 GB x 0.0208 */
      {"blob", "read operations", 788.4, 3.46896, -1}, /* 4 x 0.75 x 2,628,000 / 10^4 = 788.4
                                                          x 0.0044 */
      {"blob", "write operations", 262.8, 14.454, -1}, /* 4 x 0.25 x 262.8 x 0.055 */
      {NULL, NULL, 0, 0, 0}},
     178.88296,
     -1},

    {"Blob storage across a storage tier",
     USERS API_ "{'id': 'blob', 'kind': 'blob_storage', 'sku': 'Hot_LRS', 'region': 'eastus', "
                "'stored_gb': 60000}",
     TO_API ", {'from': 'api', 'to': 'blob'}",
     "'entry': 'users', 'rps': 1",
     {{"blob", "storage", 60000.0, 1240.96, -1}, /* 51,200 x 0.0208 = 1,064.96 + 8,800 x 0.02 */
      {"blob", "read operations", 262.8, 1.15632, -1}, /* no operations: every visit reads */
      {"blob", "write operations", 0.0, 0.0, -1},
      {NULL, NULL, 0, 0, 0}},
     1382.27632,
     -1},

    {"Cool blob: data retrieval from the read responses",
     USERS API_ "{'id': 'blob', 'kind': 'blob_storage', 'sku': 'Cool_LRS', 'region': 'eastus', "
                "'stored_gb': 100}",
     TO_API ", {'from': 'api', 'to': 'blob', 'response_kb': 100}",
     "'entry': 'users', 'rps': 3",
     {{"blob", "storage", 100.0, 1.52, -1},          /* 100 x 0.0152 */
      {"blob", "read operations", 788.4, 7.884, -1}, /* 3 x 2,628,000 / 10^4 x 0.01 */
      {"blob", "data retrieval", 788.4, 7.884, -1},  /* 3 x 100 KB x 2.628 = 788.4 GB x 0.01 */
      {NULL, NULL, 0, 0, 0}},
     157.448,
     -1},

    {"Azure SQL: vCore hours, licence, storage, zone redundancy",
     USERS API_ "{'id': 'sql', 'kind': 'sql_database', 'sku': 'GP_Gen5_2', 'region': 'eastus', "
                "'stored_gb': 50, 'zone_redundant': true}",
     TO_API ", {'from': 'api', 'to': 'sql'}",
     "'entry': 'users', 'rps': 10",
     {{"sql", "compute", 1460.0, 222.212, -1},         /* 2 vCores x 730 = 1,460 x 0.1522 */
      {"sql", "SQL licence", 1460.0, 146.0, -1},       /* 1,460 x 0.10 */
      {"sql", "storage", 50.0, 5.75, -1},              /* 50 x 0.115 */
      {"sql", "zone redundancy", 1460.0, 133.298, -1}, /* 1,460 x 0.0913 */
      {"sql", "zone-redundant storage", 50.0, 5.75, -1},
      {NULL, NULL, 0, 0, 0}},
     653.17,
     -1},

    {"Load Balancer: rules and data processed",
     USERS "{'id': 'lb', 'kind': 'load_balancer', 'sku': 'Standard', 'region': 'eastus'}," API,
     "{'from': 'users', 'to': 'lb', 'request_kb': 2, 'response_kb': 8}, {'from': 'lb', 'to': "
     "'api'}",
     "'entry': 'users', 'rps': 100",
     {{"lb", "first 5 rules", 1.0, 18.25, -1},
      {"lb", "data processed", 2628.0, 13.14, -1}, /* 100 x (2 + 8) KB x 2.628 = 2,628 GB x 0.005 */
      {"", "internet egress", 2102.4, 174.2088, 100}, /* 100 x 8 KB: 2,102.4 GB; 2,002.4 x 0.087 */
      {NULL, NULL, 0, 0, 0}},
     345.7588,
     -1},

    {"Application Gateway: 10 capacity units an instance at least",
     USERS "{'id': 'gw', 'kind': 'app_gateway', 'sku': 'Standard_v2', 'count': 2, "
           "'region': 'eastus'}," API,
     "{'from': 'users', 'to': 'gw', 'request_kb': 2, 'response_kb': 8}, {'from': 'gw', 'to': "
     "'api'}",
     "'entry': 'users', 'rps': 100",
     {{"gw", "fixed (per gateway)", 1.0, 179.58, -1},
      {"gw", "capacity units", 14600.0, 116.8, -1}, /* 1,000 KB/s = 8 Mbps = 3.6 CU < 2 x 10 CU;
                                                       20 x 730 = 14,600 x 0.008 */
      {NULL, NULL, 0, 0, 0}},
     610.7488, /* 179.58 + 116.8 + 140.16 + 174.2088 */
     -1},

    {"Application Gateway: capacity units from traffic; three egress tiers",
     USERS "{'id': 'gw', 'kind': 'app_gateway', 'sku': 'Standard_v2', 'region': 'eastus'},"
           "{'id': 'api', 'kind': 'vm', 'sku': 'Standard_D4s_v5', 'count': 2, 'region': 'eastus'}",
     "{'from': 'users', 'to': 'gw', 'request_kb': 20, 'response_kb': 80}, {'from': 'gw', 'to': "
     "'api'}",
     "'entry': 'users', 'rps': 500",
     {{"gw", "capacity units", 131531.53153153153, 1052.2522522522522, -1}, /* 500 x 100 KB =
                 400 Mbps / 2.22 = 180.18 CU > 10; x 730 h x 0.008 */
      {"", "internet egress", 105120.0, 8056.26, 100}, /* 500 x 80 KB x 2.628 = 105,120 GB:
                 10,140 x 0.087 + 40,960 x 0.083 + 53,920 x 0.07 = 882.18 + 3,399.68 + 3,774.40 */
      {NULL, NULL, 0, 0, 0}},
     9568.4122522522522, /* 179.58 + 1,052.2523 + 280.32 + 8,056.26 */
     -1},

    {"Event Hubs: throughput units and ingress events",
     USERS "{'id': 'hub', 'kind': 'event_hubs', 'sku': 'Standard', 'region': 'eastus', "
           "'throughput_units': 4}",
     "{'from': 'users', 'to': 'hub'}",
     "'entry': 'users', 'rps': 100",
     {{"hub", "throughput units", 2920.0, 87.6, -1}, /* 4 TU x 730 x 0.03 */
      {"hub", "ingress events", 262.8, 7.3584, -1},  /* 262.8 M x 0.028 */
      {NULL, NULL, 0, 0, 0}},
     94.9584,
     -1},

    {"Service Bus Standard: operations by tier after 13 M free",
     USERS API_ "{'id': 'sb', 'kind': 'service_bus', 'sku': 'Standard', 'region': 'eastus'}",
     TO_API ", {'from': 'api', 'to': 'sb', 'mode': 'async'}",
     "'entry': 'users', 'rps': 50",
     {{"sb", "base", 1.0, 9.81, -1},
      {"sb", "operations", 131.4, 85.3, 13.0}, /* 131.4 M: 13 free, (100 - 13) x 0.80 = 69.6,
                                                  (131.4 - 100) x 0.50 = 15.7 */
      {NULL, NULL, 0, 0, 0}},
     235.27,
     -1},

    {"Traffic Manager: DNS queries and health checks x endpoints",
     USERS "{'id': 'tm', 'kind': 'traffic_manager', 'sku': 'Standard', 'endpoints': 3}," API,
     "{'from': 'users', 'to': 'tm'}, {'from': 'tm', 'to': 'api'}",
     "'entry': 'users', 'rps': 10",
     {{"tm", "DNS queries", 26.28, 14.1912, -1},                  /* 26.28 M x 0.54 */
      {"tm", "health checks, per Azure endpoint", 3.0, 1.08, -1}, /* 1 x 3 endpoints x 0.36 */
      {NULL, NULL, 0, 0, 0}},
     155.4312,
     -1},

    {"Managed disk: a flat monthly price",
     USERS API_ "{'id': 'disk', 'kind': 'managed_disk', 'sku': 'P10', 'region': 'eastus'}",
     TO_API ", {'from': 'api', 'to': 'disk'}",
     "'entry': 'users', 'rps': 10",
     {{"disk", "disk", 1.0, 19.71, -1}, {NULL, NULL, 0, 0, 0}},
     159.87,
     -1},
};

static void test_items(void **state)
{
    const azb_catalog *cat = *state;
    int fails = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const cost_case *k = &cases[i];
        azb_design *d = azbt_design(cat, k->nodes, k->edges, k->workload);
        azb_result *r = azbt_run(d, cat, 0.0);
        azb_errors errs;
        azb_errors_init(&errs);
        azb_cost *c = price(d, cat, r, &errs);
        int before = fails;
        fails += azbt_truth(k->name, "the design is not saturated", !r->saturated);
        for (int w = 0; k->lines[w].node != NULL; w++) {
            const want *x = &k->lines[w];
            const azb_cost_item *it = line(c, x->node, x->item);
            char what[160];
            snprintf(what, sizeof(what), "%s line \"%s\"", x->node[0] != '\0' ? x->node : "design",
                     x->item);
            if (x->quantity < 0.0) {
                char absent[200];
                snprintf(absent, sizeof(absent), "no %s", what);
                fails += azbt_truth(k->name, absent, it == NULL);
                continue;
            }
            if (it == NULL) {
                fails += azbt_truth(k->name, what, 0);
                continue;
            }
            char f[200];
            snprintf(f, sizeof(f), "%s quantity", what);
            fails += near(k->name, f, x->quantity, it->quantity, 1e-9);
            snprintf(f, sizeof(f), "%s monthly_usd", what);
            fails += near(k->name, f, x->monthly, it->monthly_usd, 1e-9);
            if (x->free_qty >= 0.0) {
                snprintf(f, sizeof(f), "%s free_qty", what);
                fails += near(k->name, f, x->free_qty, it->free_qty, 1e-9);
            }
        }
        if (k->total >= 0.0) {
            fails += near(k->name, "monthly_usd", k->total, c->monthly_usd, 1e-9);
        }
        if (k->per_million >= 0.0) {
            fails += near(k->name, "per_million_requests_usd", k->per_million,
                          c->per_million_requests_usd, 1e-9);
        }
        fails += check_sane(k->name, cat, d, c);
        if (fails > before) {
            print_lines(c);
            azbt_print_errors(&errs);
        }
        azb_errors_free(&errs);
        azb_cost_destroy(c);
        azb_result_destroy(r);
        azb_design_destroy(d);
    }
    assert_int_equal(fails, 0);
}

/* ---- autoscale: the average instance count ------------------------------ */

/* Fraction of a day a diurnal profile between lo and hi spends above x:
 * rate = lo + (hi - lo)(1 - cos 2 pi t / T) / 2 > x  <=>  cos < 1 - 2 (x - lo) / (hi - lo). */
static double diurnal_above(double lo, double hi, double x)
{
    double q = 2.0 * (x - lo) / (hi - lo) - 1.0;
    return q >= 1.0 ? 0.0 : q <= -1.0 ? 1.0 : acos(q) / PI;
}

static void test_autoscale(void **state)
{
    const azb_catalog *cat = *state;
    int fails = 0;
    /* D4s_v5: 8 servers of 20 ms; at target 0.5 one instance takes 8 x 0.5 / 0.02 = 200 rps. */
#define AUTOSCALED(min)                                                                            \
    USERS "{'id': 'vm', 'kind': 'vm', 'sku': 'Standard_D4s_v5', 'region': 'eastus', "              \
          "'autoscale': {'min': " #min ", 'max': 10, 'target': 0.5}}"

    /* Constant 500 rps: ceil(500 / 200) = 3 instances, the model's count:
     * 3 x 730 = 2,190 h x 0.192 = 420.48. */
    azb_design *d = azbt_design(cat, AUTOSCALED(1), "{'from': 'users', 'to': 'vm'}",
                                "'entry': 'users', 'rps': 500");
    azb_result *r = azbt_run(d, cat, 0.0);
    azb_cost *c = price(d, cat, r, NULL);
    const azb_cost_item *it = line(c, "vm", "compute");
    fails += azbt_truth("constant", "the model runs 3", r->nodes[1].instances == 3);
    fails += azbt_truth("constant", "a compute line", it != NULL);
    if (it != NULL) {
        fails += near("constant", "instance hours", 2190.0, it->quantity, 1e-12);
        fails += near("constant", "monthly_usd", 420.48, it->monthly_usd, 1e-12);
    }
    azb_cost_destroy(c);
    azb_result_destroy(r);
    azb_design_destroy(d);

    /* Diurnal 100..900 rps, min 2: n(t) = clamp(ceil(rate / 200), 2, 10), so
     * its average is 2 + sum over m = 2..9 of the time the rate exceeds 200 m:
     * acos(-0.25)/pi + acos(0.25)/pi + acos(0.75)/pi = 1 + acos(0.75)/pi,
     * = 3.2300 instances (the model's peak count is 5; at the 500 rps average
     * it would be 3: the floor of 2 at night costs the difference). */
    d = azbt_design(
        cat, AUTOSCALED(2), "{'from': 'users', 'to': 'vm'}",
        "'entry': 'users', 'rps': 900, 'profile': {'type': 'diurnal', 'trough_rps': 100, "
        "'peak_rps': 900, 'period_s': 86400}");
    r = azbt_run(d, cat, 0.0);
    c = price(d, cat, r, NULL);
    double avg = 2.0;
    for (int m = 2; m < 10; m++) {
        avg += diurnal_above(100.0, 900.0, 200.0 * m);
    }
    fails += near("diurnal", "closed form", 3.0 + acos(0.75) / PI, avg, 1e-12);
    /* and by brute force over the day, from the profile itself */
    double sum = 0.0;
    const int steps = 864000;
    for (int i = 0; i < steps; i++) {
        double rate = azb_profile_rate(&d->workload, (i + 0.5) * 86400.0 / steps);
        double n = ceil(rate / 200.0 - 1e-9);
        sum += n < 2.0 ? 2.0 : n > 10.0 ? 10.0 : n;
    }
    fails += near("diurnal", "sampled average", avg, sum / steps, 1e-5);
    it = line(c, "vm", "compute");
    fails += azbt_truth("diurnal", "peak count 5", r->nodes[1].instances == 5);
    fails += azbt_truth("diurnal", "a compute line", it != NULL);
    if (it != NULL) {
        fails += near("diurnal", "instance hours", avg * 730.0, it->quantity, 1e-9);
        fails += near("diurnal", "monthly_usd", avg * 730.0 * 0.192, it->monthly_usd, 1e-9);
    }
    azb_cost_destroy(c);
    azb_result_destroy(r);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* ---- usage at the profile's average ------------------------------------- */

static void test_profile_average(void **state)
{
    const azb_catalog *cat = *state;
    int fails = 0;
    /* Diurnal 20..180 rps averages 100: 262.8 M executions, not the 473 M the
     * peak would bill. executions (262.8 - 1) x 0.20 = 52.36; GB-s 262.8 M x
     * 0.025 s x 0.5 GB = 3,285,000, (3,285,000 - 400,000) x 0.000016 = 46.16;
     * 98.52 a month, 98.52 / 262.8 = 0.374886 per million requests. */
    azb_design *d = azbt_design(cat,
                                USERS "{'id': 'fn', 'kind': 'functions', 'sku': 'Consumption', "
                                      "'region': 'eastus', 'concurrency': 100}",
                                "{'from': 'users', 'to': 'fn'}",
                                "'entry': 'users', 'rps': 180, 'profile': {'type': 'diurnal', "
                                "'trough_rps': 20, 'peak_rps': 180, 'period_s': 86400}");
    static const struct {
        const char *name;
        double offered;
        double average, executions, total;
    } runs[] = {
        {"the workload's rate", 0.0, 100.0, 262.8, 98.52},
        /* --rps 360 doubles the profile: 200 on average, 525.6 M executions:
         * (525.6 - 1) x 0.2 = 104.92; 525.6 M x 0.0125 GB-s = 6,570,000,
         * (6,570,000 - 400,000) x 0.000016 = 98.72 */
        {"offered twice the rate", 360.0, 200.0, 525.6, 203.64},
    };
    for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
        azb_result *r = azbt_run(d, cat, runs[i].offered);
        azb_cost *c = price(d, cat, r, NULL);
        fails += near(runs[i].name, "average_rps", runs[i].average, c->average_rps, 1e-12);
        const azb_cost_item *it = line(c, "fn", "executions");
        fails += azbt_truth(runs[i].name, "an executions line", it != NULL);
        if (it != NULL) {
            fails += near(runs[i].name, "executions", runs[i].executions, it->quantity, 1e-9);
        }
        fails += near(runs[i].name, "monthly_usd", runs[i].total, c->monthly_usd, 1e-9);
        fails += near(runs[i].name, "per_million_requests_usd",
                      runs[i].total / (runs[i].average * MONTH_S / 1e6),
                      c->per_million_requests_usd, 1e-9);
        fails += check_sane(runs[i].name, cat, d, c);
        azb_cost_destroy(c);
        azb_result_destroy(r);
    }
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* ---- warnings, never silent zeros -------------------------------------- */

static void test_warnings(void **state)
{
    (void)state;
    int fails = 0;
    /* A catalog of our own, to break on purpose. */
    azb_catalog *cat = azbt_catalog();
    azb_design *d = azbt_design(
        cat,
        USERS API_ "{'id': 'fn', 'kind': 'functions', 'sku': 'Premium_EP1', 'region': 'eastus'},"
                   "{'id': 'db', 'kind': 'cosmos_db', 'sku': 'Serverless', 'region': 'eastus'}",
        TO_API ", {'from': 'api', 'to': 'fn'}, {'from': 'fn', 'to': 'db'}",
        "'entry': 'users', 'rps': 10");
    azb_result *r = azbt_run(d, cat, 0.0);
    azb_sku *vm = (azb_sku *)d->nodes[1].sku_ref;
    azb_sku *ep1 = (azb_sku *)d->nodes[2].sku_ref;
    azb_price_unit saved_unit = vm->prices[0].unit;
    double saved_vcpu = ep1->vcpu;
    vm->prices[0].unit = AZB_UNIT_COUNT; /* a unit the cost model cannot know */
    ep1->vcpu = 0.0;                     /* vCore hours of a SKU without vCPUs */
    azb_errors errs;
    azb_errors_init(&errs);
    azb_cost *c = price(d, cat, r, &errs);
    fails += azbt_truth("unknown unit", "a warning",
                        azbt_errors_contain(&errs, "does not know this price unit"));
    fails += azbt_truth("unknown unit", "no line", line(c, "api", "compute") == NULL);
    fails += azbt_truth("no vCPUs", "a warning", azbt_errors_contain(&errs, "states no vCPUs"));
    fails += azbt_truth("no vCPUs", "no line", line(c, "fn", "vCPU") == NULL);
    fails +=
        azbt_truth("no vCPUs", "the memory line stays", line(c, "fn", "memory (3.5 GB)") != NULL);
    fails +=
        azbt_truth("stored_gb", "a warning", azbt_errors_contain(&errs, "stored_gb is not set"));
    fails += azbt_truth("warnings only", "no errors", azb_errors_count_errors(&errs) == 0);
    fails += check_sane("broken catalog", cat, d, c);
    vm->prices[0].unit = saved_unit;
    ep1->vcpu = saved_vcpu;
    azb_cost_destroy(c);
    azb_errors_free(&errs);
    azb_result_destroy(r);
    azb_design_destroy(d);

    /* Saturated: 1,000 rps offered to one D4s_v5 (400 rps). It answers 400,
     * so egress is 400 x 10 KB x 2.628 = 10,512 GB: 10,140 x 0.087 + 272 x
     * 0.083 = 904.756, and a warning says so. */
    d = azbt_design(cat, USERS API, "{'from': 'users', 'to': 'api', 'response_kb': 10}",
                    "'entry': 'users', 'rps': 1000");
    r = azbt_run(d, cat, 0.0);
    azb_errors_init(&errs);
    c = price(d, cat, r, &errs);
    fails += azbt_truth("saturated", "the model says so", r->saturated);
    fails += azbt_truth("saturated", "a warning", azbt_errors_contain(&errs, "over its capacity"));
    const azb_cost_item *it = line(c, "", "internet egress");
    fails += azbt_truth("saturated", "an egress line", it != NULL);
    if (it != NULL) {
        fails += near("saturated", "egress GB", 10512.0, it->quantity, 1e-9);
        fails += near("saturated", "egress USD", 904.756, it->monthly_usd, 1e-9);
    }
    fails += check_sane("saturated", cat, d, c);
    azb_cost_destroy(c);
    azb_errors_free(&errs);
    azb_result_destroy(r);
    azb_design_destroy(d);
    azb_catalog_destroy(cat);
    assert_int_equal(fails, 0);
}

/* ---- nonsense in, no nonsense out -------------------------------------- */

static void test_errors(void **state)
{
    const azb_catalog *cat = *state;
    int fails = 0;
    azb_cost_destroy(NULL);

    azb_design *d = azbt_design(cat, USERS API, "{'from': 'users', 'to': 'api', 'response_kb': 10}",
                                "'entry': 'users', 'rps': 10");
    azb_design *other =
        azbt_design(cat, USERS API_ "{'id': 'x', 'kind': 'vm', 'region': 'eastus'}",
                    TO_API ", {'from': 'api', 'to': 'x'}", "'entry': 'users', 'rps': 10");
    azb_result *r = azbt_run(other, cat, 0.0);
    azb_errors errs;
    azb_errors_init(&errs);
    azb_cost *c = azb_cost_compute(d, cat, r, &errs);
    fails += azbt_truth("another design's result", "NULL", c == NULL);
    fails += azbt_truth("another design's result", "an error",
                        azb_errors_count_errors(&errs) == 1 &&
                            azbt_errors_contain(&errs, "is not this design's"));
    c = azb_cost_compute(d, cat, r, NULL); /* no error list: still NULL, still no crash */
    fails += azbt_truth("another design's result, no list", "NULL", c == NULL);
    azb_errors_free(&errs);
    azb_result_destroy(r);

    /* An empty result (reserved, never run). */
    r = azb_model_reserve(d);
    assert_non_null(r);
    c = azb_cost_compute(d, cat, r, NULL);
    fails += azbt_truth("reserved result", "NULL", c == NULL);
    azb_result_destroy(r);

    /* Offered loads the model accepts: NaN, negative, zero (the workload's),
     * huge. Whatever comes back is finite. */
    static const double offered[] = {NAN, -5.0, 0.0, 1e9, 1e-12};
    for (size_t i = 0; i < sizeof(offered) / sizeof(offered[0]); i++) {
        char where[64];
        snprintf(where, sizeof(where), "offered %g", offered[i]);
        azb_errors_init(&errs);
        r = azb_model_run(d, cat, offered[i], &errs);
        if (r != NULL) {
            c = azb_cost_compute(d, cat, r, NULL);
            fails += azbt_truth(where, "a cost", c != NULL);
            if (c != NULL) {
                fails += check_sane(where, cat, d, c);
                azb_cost_destroy(c);
            }
            azb_result_destroy(r);
        }
        azb_errors_free(&errs);
    }
    azb_design_destroy(other);
    azb_design_destroy(d);

    /* A design of clients only: nothing to price, nothing divided by zero. */
    d = azbt_design(cat, "{'id': 'users', 'kind': 'clients', 'geo': 'europe'}", "",
                    "'entry': 'users', 'rps': 10");
    azb_errors_init(&errs);
    r = azb_model_run(d, cat, 0.0, &errs);
    if (r != NULL) {
        c = price(d, cat, r, NULL);
        fails +=
            azbt_truth("clients only", "no lines, $0", c->nitems == 0 && c->monthly_usd == 0.0);
        fails += check_sane("clients only", cat, d, c);
        azb_cost_destroy(c);
        azb_result_destroy(r);
    }
    azb_errors_free(&errs);
    azb_design_destroy(d);
    assert_int_equal(fails, 0);
}

/* ---- every shipped design --------------------------------------------- */

static int scenario(const azb_catalog *cat, const char *path, double budget, bool reference)
{
    int fails = 0;
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = azb_design_load(path, cat, &errs);
    if (d == NULL) {
        azbt_print_errors(&errs);
        azb_errors_free(&errs);
        return 1;
    }
    azb_result *r = azb_model_run(d, cat, 0.0, &errs);
    fails += azbt_truth(path, "the model runs", r != NULL);
    if (r != NULL) {
        azb_cost *c = azb_cost_compute(d, cat, r, &errs);
        fails += azbt_truth(path, "a cost", c != NULL);
        if (c != NULL) {
            fails += check_sane(path, cat, d, c);
            fails += azbt_truth(path, "something to pay", c->monthly_usd > 0.0 && c->nitems > 0);
            print_message("  %-56s $%10.2f a month (budget $%.0f), $%.4f per million requests\n",
                          strstr(path, "scenarios/") != NULL ? strstr(path, "scenarios/") : path,
                          c->monthly_usd, budget, c->per_million_requests_usd);
            if (reference && budget > 0.0) {
                fails += azbt_truth(path, "the reference design within the prompt's budget",
                                    c->monthly_usd <= budget);
            }
            azb_cost_destroy(c);
        }
        azb_result_destroy(r);
    }
    azb_errors_free(&errs);
    azb_design_destroy(d);
    return fails;
}

static void test_scenarios(void **state)
{
    const azb_catalog *cat = *state;
    azb_errors errs;
    azb_errors_init(&errs);
    azb_prompts *ps = azb_prompts_load(AZB_SOURCE_DATA "/scenarios", &errs);
    if (ps == NULL) {
        azbt_print_errors(&errs);
    }
    assert_non_null(ps);
    azb_errors_free(&errs);
    int fails = 0;
    int n = 0;
    for (int i = 0; i < ps->count; i++) {
        const azb_prompt *p = &ps->items[i];
        double budget = p->req.monthly_budget_usd;
        if (p->starter[0] != '\0') {
            fails += scenario(cat, p->starter, budget, false);
            n++;
        }
        for (int k = 0; k < p->ndesigns; k++) {
            fails += scenario(cat, p->designs[k], budget, true);
            n++;
        }
    }
    azb_prompts_destroy(ps);
    assert_true(n > 0);
    assert_int_equal(fails, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_items),           cmocka_unit_test(test_autoscale),
        cmocka_unit_test(test_profile_average), cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_errors),          cmocka_unit_test(test_scenarios),
    };
    return cmocka_run_group_tests(tests, azbt_setup_catalog, azbt_teardown_catalog);
}
