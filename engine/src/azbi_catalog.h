/*
 * Internal to the catalog module: the pieces shared by catalog.c (kinds,
 * SKUs, prices) and regions.c (regions, geographies, latency matrices).
 */
#ifndef AZBI_CATALOG_H
#define AZBI_CATALOG_H

#include "azb_catalog.h"
#include "azbi_json.h"

#define AZBI_CATALOG_MAX_DEPTH 12

/* Append the entries of `arr` ({"id","url","date","what"}) to cat->sources.
 * Ids must be unique across both files. */
bool azbi_sources_parse(azb_catalog *cat, azbi_jdoc *doc, const cJSON *arr, const char *path);
int azbi_source_find(const azb_catalog *cat, const char *id);
/* Read "source" (a source id) and "tag" (SEEN, DERIVED, 3P, EST) of a
 * figure's object. A figure tagged EST must also say "estimate": true, and a
 * figure that says "estimate": true must be tagged EST, so an estimate can
 * never pass for a seen figure. */
bool azbi_prov_parse(const azb_catalog *cat, azbi_jdoc *doc, const cJSON *obj,
                     const char *path, azb_prov *out);

/* regions.c: geographies, regions, RTT matrices from regions.json. */
bool azbi_regions_parse(azb_catalog *cat, azbi_jdoc *doc);
void azbi_regions_free(azb_catalog *cat);

#endif
