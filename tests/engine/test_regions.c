/* Regions, geographies and latency: the shipped assets/regions.json, the
 * lookups, the JSON view, and every way a regions file can be wrong. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "azb_catalog.h"
#include "azbt.h"

/* ---- a small catalog of our own, for the cases that need exact texts ---- */

/* Just enough catalog.json for azb_catalog_parse: no kinds, and inter-region
 * rules chosen so that the direction of travel matters (europe -> anywhere
 * costs 0.05, anything else between continents 0.08). */
static const char min_catalog[] =
    "{\n"
    "  \"format\": \"azboard/catalog\",\n"
    "  \"version\": 1,\n"
    "  \"sources\": [{\"id\": \"t-cat\", \"url\": \"https://example.com/cat\", \"date\": "
    "\"2026-01-01\", \"what\": \"test\"}],\n"
    "  \"kinds\": [],\n"
    "  \"bandwidth\": {\n"
    "    \"internet_egress\": {\"item\": \"egress\", \"unit\": \"gb_egress\", \"usd\": 0.087, "
    "\"free\": 100, \"source\": \"t-cat\", \"tag\": \"3P\"},\n"
    "    \"inter_region\": [\n"
    "      {\"from\": \"north-america\", \"to\": \"north-america\", \"usd_per_gb\": 0.02, "
    "\"source\": \"t-cat\", \"tag\": \"3P\"},\n"
    "      {\"from\": \"europe\", \"to\": \"europe\", \"usd_per_gb\": 0.02, \"source\": "
    "\"t-cat\", \"tag\": \"3P\"},\n"
    "      {\"from\": \"europe\", \"to\": \"*\", \"usd_per_gb\": 0.05, \"source\": \"t-cat\", "
    "\"tag\": \"3P\"},\n"
    "      {\"from\": \"*\", \"to\": \"*\", \"usd_per_gb\": 0.08, \"source\": \"t-cat\", "
    "\"tag\": \"3P\"}\n"
    "    ],\n"
    "    \"inter_zone\": {\"usd_per_gb\": 0, \"source\": \"t-cat\", \"tag\": \"3P\"}\n"
    "  }\n"
    "}\n";

/* Three regions on three continents, two geographies. Each fragment a case
 * edits occurs once. */
static const char min_regions[] =
    "{\n"
    "  \"format\": \"azboard/regions\",\n"
    "  \"version\": 1,\n"
    "  \"sources\": [{\"id\": \"t-reg\", \"url\": \"https://example.com/reg\", \"date\": "
    "\"2026-01-01\", \"what\": \"test\"}],\n"
    "  \"geographies\": [{\"id\": \"north-america\", \"name\": \"North America\"},\n"
    "                  {\"id\": \"europe\", \"name\": \"Europe\"}],\n"
    "  \"regions\": [\n"
    "    {\"name\": \"eastus\", \"display\": \"East US\", \"geography\": \"north-america\", "
    "\"continent\": \"north-america\", \"paired\": \"westus\", \"zones\": 3,\n"
    "     \"provenance\": {\"paired\": {\"source\": \"t-reg\", \"tag\": \"SEEN\"}, \"zones\": "
    "{\"source\": \"t-reg\", \"tag\": \"SEEN\"}}},\n"
    "    {\"name\": \"westeurope\", \"display\": \"West Europe\", \"geography\": \"europe\", "
    "\"continent\": \"europe\", \"paired\": \"northeurope\", \"zones\": 3,\n"
    "     \"provenance\": {\"paired\": {\"source\": \"t-reg\", \"tag\": \"SEEN\"}, \"zones\": "
    "{\"source\": \"t-cat\", \"tag\": \"DERIVED\"}}},\n"
    "    {\"name\": \"japaneast\", \"display\": \"Japan East\", \"geography\": "
    "\"north-america\", \"continent\": \"asia\", \"paired\": \"japanwest\", \"zones\": 0,\n"
    "     \"provenance\": {\"paired\": {\"source\": \"t-reg\", \"tag\": \"SEEN\"}, \"zones\": "
    "{\"source\": \"t-reg\", \"tag\": \"SEEN\"}}}\n"
    "  ],\n"
    "  \"zones_rtt_ms\": {\"inter_zone\": 1.5, \"intra_zone\": 0.9, \"source\": \"t-reg\", "
    "\"tag\": \"3P\"},\n"
    "  \"rtt_ms\": {\"source\": \"t-reg\", \"tag\": \"SEEN\", \"matrix\": {\n"
    "    \"eastus\": {\"westeurope\": 83, \"japaneast\": 162},\n"
    "    \"westeurope\": {\"eastus\": 85, \"japaneast\": 233},\n"
    "    \"japaneast\": {\"eastus\": 163, \"westeurope\": 234}\n"
    "  }},\n"
    "  \"client_rtt_ms\": {\"source\": \"t-reg\", \"tag\": \"EST\", \"estimate\": true, "
    "\"matrix\": {\n"
    "    \"north-america\": {\"eastus\": 30, \"westeurope\": 110, \"japaneast\": 190},\n"
    "    \"europe\": {\"eastus\": 112, \"westeurope\": 30, \"japaneast\": 260}\n"
    "  }}\n"
    "}\n";

/* `base` with `find` (which must occur exactly once) replaced. */
static char *edited_text(const char *base, const char *find, const char *repl)
{
    const char *at = strstr(base, find);
    if (at == NULL || strstr(at + 1, find) != NULL) {
        fail_msg("fragment \"%s\" must occur exactly once", find);
    }
    return azbt_replace_first(base, find, repl, NULL);
}

static char *edited(const char *find, const char *repl)
{
    return edited_text(min_regions, find, repl);
}

static azb_catalog *parse_texts(const char *catalog_text, const char *regions_text,
                                azb_errors *errs)
{
    return azb_catalog_parse(catalog_text, strlen(catalog_text), "catalog.json", regions_text,
                             strlen(regions_text), "regions.json", errs);
}

static azb_catalog *parse_min(const char *regions_text, azb_errors *errs)
{
    return parse_texts(min_catalog, regions_text, errs);
}

/* ---- the shipped file ---- */

static const char *const facts_regions[] = {"eastus",
                                            "eastus2",
                                            "westus2",
                                            "centralus",
                                            "canadacentral",
                                            "brazilsouth",
                                            "northeurope",
                                            "westeurope",
                                            "uksouth",
                                            "francecentral",
                                            "germanywestcentral",
                                            "southeastasia",
                                            "eastasia",
                                            "japaneast",
                                            "australiaeast",
                                            "centralindia"};
#define NFACTS ((int)(sizeof(facts_regions) / sizeof(facts_regions[0])))

static void test_shipped_complete(void **state)
{
    (void)state;
    azb_catalog *cat = azbt_catalog();
    assert_true(cat->nregions >= 16);
    assert_true(cat->ngeos >= 8);
    for (int i = 0; i < NFACTS; i++) {
        if (azb_catalog_find_region(cat, facts_regions[i]) < 0) {
            fail_msg("region %s from docs/research/azure-facts.md B1 is missing", facts_regions[i]);
        }
    }
    static const char *const geos[] = {"north-america", "south-america", "europe", "uk",
                                       "asia",          "japan",         "india",  "australia"};
    for (size_t g = 0; g < sizeof(geos) / sizeof(geos[0]); g++) {
        if (azb_catalog_find_geo(cat, geos[g]) < 0) {
            fail_msg("geography %s is missing", geos[g]);
        }
    }
    for (int a = 0; a < cat->nregions; a++) {
        const azb_region *r = &cat->regions[a];
        assert_true(r->geo >= 0 && r->geo < cat->ngeos);
        assert_true(r->zones >= 0 && r->zones <= 3);
        assert_true(r->display[0] != '\0' && r->continent[0] != '\0');
        for (int b = 0; b < cat->nregions; b++) {
            double v = azb_catalog_rtt_ms(cat, a, b);
            if (!isfinite(v) || !(v > 0.0)) {
                fail_msg("rtt %s -> %s = %g", r->name, cat->regions[b].name, v);
            }
            if (a == b && v != cat->inter_zone_rtt_ms) {
                fail_msg("diagonal %s = %g, expected inter_zone %g", r->name, v,
                         cat->inter_zone_rtt_ms);
            }
            if (a != b && v < 2.0) {
                fail_msg("rtt %s -> %s = %g is below any inter-region figure", r->name,
                         cat->regions[b].name, v);
            }
        }
        for (int g = 0; g < cat->ngeos; g++) {
            double v = azb_catalog_client_rtt_ms(cat, g, a);
            if (!isfinite(v) || !(v > 0.0)) {
                fail_msg("client rtt %s -> %s = %g", cat->geos[g].id, r->name, v);
            }
        }
    }
    assert_true(cat->intra_zone_rtt_ms > 0.0);
    assert_true(cat->intra_zone_rtt_ms <= cat->inter_zone_rtt_ms);
    assert_true(cat->inter_zone_rtt_ms < 2.0); /* Microsoft's design goal */
    assert_int_equal(cat->rtt_prov.tag, AZB_TAG_SEEN);
    assert_int_equal(cat->client_rtt_prov.tag, AZB_TAG_EST);
    azb_catalog_destroy(cat);
}

static void test_shipped_spot_checks(void **state)
{
    (void)state;
    static const struct {
        const char *from;
        const char *to;
        double ms;
    } cases[] = {
        {"eastus", "westeurope", 83},
        {"westeurope", "eastus", 85},
        {"eastus2", "japaneast", 161},
        {"japaneast", "eastus2", 165},
        {"eastus", "eastus2", 8},
        {"eastus2", "eastus", 9},
        {"brazilsouth", "southeastasia", 331},
        {"uksouth", "westeurope", 11},
        {"westus", "westus3", 19},
        {"southafricanorth", "uaenorth", 103},
    };
    azb_catalog *cat = azbt_catalog();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int a = azb_catalog_find_region(cat, cases[i].from);
        int b = azb_catalog_find_region(cat, cases[i].to);
        if (a < 0 || b < 0) {
            fail_msg("case %zu: %s or %s not found", i, cases[i].from, cases[i].to);
        }
        double got = azb_catalog_rtt_ms(cat, a, b);
        if (got != cases[i].ms) {
            fail_msg("case %zu: rtt %s -> %s expected %g, got %g", i, cases[i].from, cases[i].to,
                     cases[i].ms, got);
        }
    }
    azb_catalog_destroy(cat);
}

/* Split "| a | b | c |" into trimmed cells. */
static int split_row(char *line, char cells[][48], int max)
{
    int n = 0;
    char *p = strchr(line, '|');
    while (p != NULL && n < max) {
        char *q = strchr(p + 1, '|');
        if (q == NULL) {
            break;
        }
        char *s = p + 1;
        while (s < q && *s == ' ') {
            s++;
        }
        char *e = q;
        while (e > s && e[-1] == ' ') {
            e--;
        }
        size_t len = (size_t)(e - s) < 47 ? (size_t)(e - s) : 47;
        memcpy(cells[n], s, len);
        cells[n][len] = '\0';
        n++;
        p = q;
    }
    return n;
}

/* Every figure of Microsoft's 16 x 16 P50 table (tests/data/ms_latency_p50.md,
 * transcribed apart from assets/regions.json) is in the catalog unchanged. */
static void test_shipped_matches_microsoft_table(void **state)
{
    (void)state;
    const char *path = AZB_TEST_DATA "/ms_latency_p50.md";
    char *text = azbt_read(path, NULL);
    char *sec = strstr(text, "| src");
    assert_non_null(sec);
    azb_catalog *cat = azbt_catalog();
    char cols[20][48];
    int ncols = 0;
    int checked = 0;
    for (char *line = strtok(sec, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        char cells[20][48];
        if (strncmp(line, "| src", 5) == 0) {
            ncols = split_row(line, cols, 20);
            continue;
        }
        if (ncols == 0 || strncmp(line, "| ", 2) != 0 || line[2] < 'a' || line[2] > 'z') {
            continue;
        }
        int n = split_row(line, cells, 20);
        int from = azb_catalog_find_region(cat, cells[0]);
        if (from < 0) {
            fail_msg("table row %s is not a catalog region", cells[0]);
        }
        for (int c = 1; c < n && c < ncols; c++) {
            if (strcmp(cells[c], "-") == 0) {
                continue;
            }
            int to = azb_catalog_find_region(cat, cols[c]);
            assert_true(to >= 0);
            double want = strtod(cells[c], NULL);
            double got = azb_catalog_rtt_ms(cat, from, to);
            if (got != want) {
                fail_msg("%s -> %s: Microsoft's table %g, catalog %g", cells[0], cols[c], want, got);
            }
            checked++;
        }
    }
    assert_int_equal(checked, 16 * 15);
    azb_catalog_destroy(cat);
    free(text);
}

/* The client matrix is an estimate; this holds it to its stated method:
 * round(access_ms + sum of hub weight x RTT(hub, region)), RTT(h, h) = 0. */
static void test_shipped_client_follows_method(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = azbt_read(AZB_SOURCE_DATA "/assets/regions.json", &len);
    cJSON *root = cJSON_ParseWithLength(text, len);
    assert_non_null(root);
    const cJSON *client = cJSON_GetObjectItemCaseSensitive(root, "client_rtt_ms");
    const cJSON *access = cJSON_GetObjectItemCaseSensitive(client, "access_ms");
    const cJSON *hubs = cJSON_GetObjectItemCaseSensitive(client, "hubs");
    assert_true(cJSON_IsNumber(access));
    assert_true(cJSON_IsObject(hubs));
    azb_catalog *cat = azbt_catalog();
    for (int g = 0; g < cat->ngeos; g++) {
        const cJSON *h = cJSON_GetObjectItemCaseSensitive(hubs, cat->geos[g].id);
        if (!cJSON_IsObject(h)) {
            fail_msg("geography %s has no hubs", cat->geos[g].id);
        }
        double wsum = 0.0;
        const cJSON *w = NULL;
        cJSON_ArrayForEach(w, h)
        {
            assert_true(azb_catalog_find_region(cat, w->string) >= 0);
            wsum += w->valuedouble;
        }
        assert_true(fabs(wsum - 1.0) < 1e-9);
        for (int r = 0; r < cat->nregions; r++) {
            double est = access->valuedouble;
            cJSON_ArrayForEach(w, h)
            {
                int hub = azb_catalog_find_region(cat, w->string);
                est += hub == r ? 0.0 : w->valuedouble * azb_catalog_rtt_ms(cat, hub, r);
            }
            double got = azb_catalog_client_rtt_ms(cat, g, r);
            if (fabs(got - floor(est + 0.5 + 1e-9)) > 0.0) {
                fail_msg("client %s -> %s: file %g, method gives %g", cat->geos[g].id,
                         cat->regions[r].name, got, est);
            }
        }
    }
    azb_catalog_destroy(cat);
    cJSON_Delete(root);
    free(text);
}

static void test_shipped_transfer(void **state)
{
    (void)state;
    azb_catalog *cat = azbt_catalog();
    int eastus = azb_catalog_find_region(cat, "eastus");
    int eastus2 = azb_catalog_find_region(cat, "eastus2");
    int westeurope = azb_catalog_find_region(cat, "westeurope");
    int japaneast = azb_catalog_find_region(cat, "japaneast");
    assert_true(eastus >= 0 && eastus2 >= 0 && westeurope >= 0 && japaneast >= 0);
    for (int r = 0; r < cat->nregions; r++) {
        assert_true(azb_catalog_transfer_usd_per_gb(cat, r, r) == 0.0);
    }
    if (cat->ntransfer == 0) {
        fprintf(stderr, "  (catalog.json has no inter-region rules; in-memory tests cover them)\n");
    } else {
        double same = azb_catalog_transfer_usd_per_gb(cat, eastus, eastus2);
        double cross = azb_catalog_transfer_usd_per_gb(cat, eastus, japaneast);
        assert_true(same > 0.0);
        assert_true(cross >= same);
        assert_true(azb_catalog_transfer_usd_per_gb(cat, eastus, westeurope) > 0.0);
        /* Every pair of regions is priced by some rule (the loader checks). */
        for (int a = 0; a < cat->nregions; a++) {
            for (int b = 0; b < cat->nregions; b++) {
                double v = azb_catalog_transfer_usd_per_gb(cat, a, b);
                if (a != b && !(v > 0.0 && v < 1.0)) {
                    fail_msg("transfer %s -> %s = %g", cat->regions[a].name, cat->regions[b].name,
                             v);
                }
            }
        }
    }
    azb_catalog_destroy(cat);
}

static void test_shipped_json(void **state)
{
    (void)state;
    azb_catalog *cat = azbt_catalog();
    char *text = azb_catalog_regions_json(cat);
    assert_non_null(text);
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "regions")),
                     cat->nregions);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "geographies")),
                     cat->ngeos);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "regions"), 0);
    static const char *const keys[] = {"name",   "display", "geography",
                                       "paired", "zones",   "continent"};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        if (cJSON_GetObjectItemCaseSensitive(first, keys[k]) == NULL) {
            fail_msg("regions[0] lacks \"%s\"", keys[k]);
        }
    }
    const cJSON *rtt = cJSON_GetObjectItemCaseSensitive(root, "rtt_ms");
    const cJSON *row = cJSON_GetObjectItemCaseSensitive(rtt, "eastus");
    assert_int_equal(cJSON_GetArraySize(row), cat->nregions - 1);
    assert_true(cJSON_GetObjectItemCaseSensitive(row, "westeurope")->valuedouble == 83.0);
    const cJSON *client = cJSON_GetObjectItemCaseSensitive(root, "client_rtt_ms");
    assert_int_equal(cJSON_GetArraySize(client), cat->ngeos);
    const cJSON *zones = cJSON_GetObjectItemCaseSensitive(root, "zones_rtt_ms");
    assert_true(cJSON_GetObjectItemCaseSensitive(zones, "inter_zone")->valuedouble ==
                cat->inter_zone_rtt_ms);
    const cJSON *prov = cJSON_GetObjectItemCaseSensitive(root, "provenance");
    const cJSON *cp = cJSON_GetObjectItemCaseSensitive(prov, "client_rtt_ms");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(cp, "tag")->valuestring, "EST");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cp, "estimate")));
    const cJSON *sources = cJSON_GetObjectItemCaseSensitive(root, "sources");
    assert_true(cJSON_GetArraySize(sources) >= 2);
    cJSON_Delete(root);
    free(text);
    azb_catalog_destroy(cat);
}

static void test_find_and_suggest(void **state)
{
    (void)state;
    azb_catalog *cat = azbt_catalog();
    static const struct {
        const char *name;
        const char *want; /* NULL: no suggestion */
    } cases[] = {
        {"East US 2", "eastus2"},
        {"EASTUS", "eastus"},
        {"west-europe", "westeurope"},
        {"westeurop", "westeurope"},
        {"japaneest", "japaneast"},
        {"zzzzzzzzzzzz", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = azb_catalog_suggest_region(cat, cases[i].name);
        if ((got == NULL) != (cases[i].want == NULL) ||
            (got != NULL && strcmp(got, cases[i].want) != 0)) {
            fail_msg("suggest \"%s\": expected %s, got %s", cases[i].name,
                     cases[i].want != NULL ? cases[i].want : "NULL", got != NULL ? got : "NULL");
        }
    }
    assert_int_equal(azb_catalog_find_region(cat, "East US"), -1);
    assert_int_equal(azb_catalog_find_region(cat, ""), -1);
    assert_int_equal(azb_catalog_find_geo(cat, "mars"), -1);
    assert_int_equal(azb_catalog_find_geo(cat, ""), -1);
    assert_true(azb_catalog_find_geo(cat, "europe") >= 0);
    azb_catalog_destroy(cat);
}

/* ---- in-memory texts ---- */

static void test_min_valid(void **state)
{
    (void)state;
    azb_errors errs;
    azb_errors_init(&errs);
    azb_catalog *cat = parse_min(min_regions, &errs);
    if (cat == NULL) {
        azbt_print_errors(&errs);
        fail_msg("the minimal texts must load");
    }
    assert_int_equal(azb_errors_count_errors(&errs), 0);
    assert_int_equal(cat->nregions, 3);
    assert_int_equal(cat->ngeos, 2);
    int us = azb_catalog_find_region(cat, "eastus");
    int eu = azb_catalog_find_region(cat, "westeurope");
    int jp = azb_catalog_find_region(cat, "japaneast");
    assert_true(azb_catalog_rtt_ms(cat, us, eu) == 83.0);
    assert_true(azb_catalog_rtt_ms(cat, eu, us) == 85.0);
    assert_true(azb_catalog_rtt_ms(cat, jp, jp) == 1.5);
    assert_true(azb_catalog_client_rtt_ms(cat, azb_catalog_find_geo(cat, "europe"), jp) == 260.0);
    assert_int_equal(cat->regions[jp].zones, 0);
    assert_string_equal(cat->regions[us].paired, "westus");
    /* Provenance may name either file's sources. */
    assert_string_equal(cat->sources[cat->rtt_prov.source].id, "t-reg");
    static const struct {
        int from;
        int to;
        double usd;
    } transfer[] = {
        {0, 0, 0.0},  /* one region */
        {1, 0, 0.05}, /* europe -> * matches the direction of travel */
        {0, 1, 0.08}, /* * -> * matches before the reverse of europe -> * */
        {0, 2, 0.08}, {1, 2, 0.05},
    };
    for (size_t i = 0; i < sizeof(transfer) / sizeof(transfer[0]); i++) {
        double got = azb_catalog_transfer_usd_per_gb(cat, transfer[i].from, transfer[i].to);
        if (fabs(got - transfer[i].usd) > 1e-12) {
            fail_msg("transfer case %zu (%s -> %s): expected %g, got %g", i,
                     cat->regions[transfer[i].from].name, cat->regions[transfer[i].to].name,
                     transfer[i].usd, got);
        }
    }
    azb_catalog_destroy(cat);
    azb_errors_free(&errs);
}

static void test_min_bad(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *find;
        const char *repl;
        const char *expect;
    } cases[] = {
        {"unknown geography", "\"geography\": \"europe\"", "\"geography\": \"mars\"",
         "regions[1].geography: unknown geography \"mars\""},
        {"duplicate region", "\"name\": \"japaneast\"", "\"name\": \"eastus\"",
         "regions[2].name: duplicate region \"eastus\""},
        {"missing RTT pair", "\"westeurope\": 83, \"japaneast\": 162", "\"westeurope\": 83",
         "rtt_ms.matrix.eastus: missing RTT from region eastus to japaneast"},
        {"missing RTT row", "},\n    \"japaneast\": {\"eastus\": 163, \"westeurope\": 234}", "}",
         "rtt_ms.matrix: missing row for region japaneast"},
        {"negative RTT", "\"westeurope\": 83", "\"westeurope\": -83",
         "rtt_ms.matrix.eastus.westeurope: must be greater than 0, got -83"},
        {"zero RTT", "\"westeurope\": 83", "\"westeurope\": 0", "must be greater than 0, got 0"},
        {"infinite RTT", "\"westeurope\": 83", "\"westeurope\": 1e999", "not finite"},
        {"RTT as a string", "\"westeurope\": 83", "\"westeurope\": \"83\"",
         "expected a number, got a string"},
        {"absurd RTT", "\"westeurope\": 83", "\"westeurope\": 83000", "must be at most 1000"},
        {"self RTT", "\"westeurope\": 83,", "\"eastus\": 1, \"westeurope\": 83,",
         "rtt_ms.matrix.eastus.eastus: a region's RTT to itself"},
        {"unknown RTT column", "\"japaneast\": 162", "\"japaneest\": 162",
         "unknown region \"japaneest\" (not in regions); did you mean japaneast?"},
        {"unknown RTT row", "\"westeurope\": {\"eastus\": 85", "\"westeuropa\": {\"eastus\": 85",
         "rtt_ms.matrix.westeuropa: unknown region \"westeuropa\""},
        {"missing client cell", "\"eastus\": 112, ", "",
         "client_rtt_ms.matrix.europe: missing RTT from geography europe to eastus"},
        {"unknown client row", "\"europe\": {\"eastus\": 112", "\"uk\": {\"eastus\": 112",
         "unknown geography \"uk\""},
        {"zones 4", "\"paired\": \"westus\", \"zones\": 3", "\"paired\": \"westus\", \"zones\": 4",
         "regions[0].zones: zones must be 0 (no availability zones) or a whole number from 1 "
         "to 3, got 4"},
        {"zones -1", "\"paired\": \"westus\", \"zones\": 3",
         "\"paired\": \"westus\", \"zones\": -1", "got -1"},
        {"zones 2.5", "\"paired\": \"westus\", \"zones\": 3",
         "\"paired\": \"westus\", \"zones\": 2.5", "got 2.5"},
        {"zones missing", "\"paired\": \"westus\", \"zones\": 3,", "\"paired\": \"westus\",",
         "regions[0]: missing required key \"zones\""},
        {"paired with itself", "\"paired\": \"westus\"", "\"paired\": \"eastus\"",
         "regions[0].paired: region eastus cannot be paired with itself"},
        {"paired not a name", "\"paired\": \"westus\"", "\"paired\": \"West US\"",
         "must be an ARM name"},
        {"paired not a string", "\"paired\": \"westus\"", "\"paired\": 3",
         "regions[0].paired: expected a string, got a number"},
        {"region name not ARM", "\"name\": \"eastus\"", "\"name\": \"East US\"",
         "must be its ARM name"},
        {"unknown continent", "\"continent\": \"asia\"", "\"continent\": \"asai\"",
         "unknown continent \"asai\"; did you mean asia?"},
        {"duplicate geography", "{\"id\": \"europe\", \"name\": \"Europe\"}",
         "{\"id\": \"north-america\", \"name\": \"Europe\"}",
         "duplicate geography \"north-america\""},
        {"wrong format", "\"azboard/regions\"", "\"azboard/design\"",
         "format: format must be \"azboard/regions\", got \"azboard/design\""},
        {"wrong version", "\"version\": 1", "\"version\": 2", "unsupported version 2"},
        {"missing matrix provenance", "\"rtt_ms\": {\"source\": \"t-reg\", \"tag\": \"SEEN\", ",
         "\"rtt_ms\": {", "rtt_ms: missing \"source\""},
        {"missing region provenance",
         ",\n     \"provenance\": {\"paired\": {\"source\": \"t-reg\", \"tag\": \"SEEN\"}, "
         "\"zones\": {\"source\": \"t-cat\", \"tag\": \"DERIVED\"}}",
         "", "regions[1]: missing required key \"provenance\""},
        {"unknown source", "\"zones\": {\"source\": \"t-cat\"",
         "\"zones\": {\"source\": \"t-nope\"", "unknown source \"t-nope\""},
        {"estimate not tagged EST", "\"tag\": \"EST\", \"estimate\": true",
         "\"tag\": \"SEEN\", \"estimate\": true", "\"estimate\": true needs the tag EST"},
        {"EST without estimate", "\"tag\": \"EST\", \"estimate\": true", "\"tag\": \"EST\"",
         "tag EST needs \"estimate\": true"},
        {"intra above inter", "\"intra_zone\": 0.9", "\"intra_zone\": 2",
         "the RTT within one zone (2 ms) exceeds the RTT between zones (1.5 ms)"},
        {"zones_rtt missing", "\"inter_zone\": 1.5, ", "", "missing required key \"inter_zone\""},
        {"no regions", "\"regions\": [\n", "\"regions\": [], \"x\": [\n",
         "expected 1 to 256 regions, got 0"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *text = edited(cases[i].find, cases[i].repl);
        azb_errors errs;
        azb_errors_init(&errs);
        azb_catalog *cat = parse_min(text, &errs);
        const azb_error *e = azbt_find_error(&errs, cases[i].expect);
        if (cat != NULL || e == NULL) {
            fprintf(stderr, "case \"%s\": expected failure with \"%s\"; got %s and:\n",
                    cases[i].name, cases[i].expect, cat != NULL ? "a catalog" : "NULL");
            azbt_print_errors(&errs);
            fail_msg("case \"%s\"", cases[i].name);
        }
        if (e->line <= 0 || e->col <= 0 || strcmp(e->file, "regions.json") != 0 || e->warning) {
            fail_msg("case \"%s\": error at %s:%d:%d (warning %d); expected a located error in "
                     "regions.json",
                     cases[i].name, e->file, e->line, e->col, (int)e->warning);
        }
        azb_catalog_destroy(cat);
        azb_errors_free(&errs);
        free(text);
    }
}

/* Without the "*" -> "*" rule nothing prices asia <-> north-america, and the
 * loader says so rather than letting that transfer cost nothing. */
static void test_min_transfer_coverage(void **state)
{
    (void)state;
    char *catalog = edited_text(min_catalog,
                                ",\n      {\"from\": \"*\", \"to\": \"*\", \"usd_per_gb\": 0.08, "
                                "\"source\": \"t-cat\", \"tag\": \"3P\"}",
                                "");
    azb_errors errs;
    azb_errors_init(&errs);
    azb_catalog *cat = parse_texts(catalog, min_regions, &errs);
    const azb_error *e = azbt_find_error(&errs, "no rule in catalog.json bandwidth.inter_region "
                                                "prices transfer between north-america and asia");
    if (cat != NULL || e == NULL) {
        azbt_print_errors(&errs);
        fail_msg("expected the uncovered continent pair to be reported");
    }
    assert_true(e->line > 0 && e->col > 0);
    assert_string_equal(e->path, "regions[2].continent");
    azb_errors_free(&errs);
    free(catalog);
}

static void test_min_warnings(void **state)
{
    (void)state;
    char *text = edited("\"paired\": \"westus\", \"zones\": 3",
                        "\"paired\": \"westus\", \"zones\": 3, \"zonez\": 2");
    azb_errors errs;
    azb_errors_init(&errs);
    azb_catalog *cat = parse_min(text, &errs);
    assert_non_null(cat);
    const azb_error *e =
        azbt_find_error(&errs, "unknown key \"zonez\" ignored; did you mean \"zones\"?");
    assert_non_null(e);
    assert_true(e->warning);
    assert_true(e->line > 0 && e->col > 0);
    azb_catalog_destroy(cat);
    azb_errors_free(&errs);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_complete),
        cmocka_unit_test(test_shipped_spot_checks),
        cmocka_unit_test(test_shipped_matches_microsoft_table),
        cmocka_unit_test(test_shipped_client_follows_method),
        cmocka_unit_test(test_shipped_transfer),
        cmocka_unit_test(test_shipped_json),
        cmocka_unit_test(test_find_and_suggest),
        cmocka_unit_test(test_min_valid),
        cmocka_unit_test(test_min_bad),
        cmocka_unit_test(test_min_transfer_coverage),
        cmocka_unit_test(test_min_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
