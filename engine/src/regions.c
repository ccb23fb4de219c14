#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azbi_catalog.h"

#define REGIONS_FORMAT "azboard/regions"
#define REGIONS_VERSION 1
#define REGIONS_MAX 256
#define GEOS_MAX 64
#define ZONES_MAX 3
/* No round trip on Earth through fibre comes near this; a larger figure is a
 * typo (seconds for ms, an extra digit), not a measurement. */
#define RTT_MAX_MS 1000.0

static const char *const continents[] = {"north-america", "south-america", "europe", "asia",
                                         "oceania",       "middle-east",   "africa"};
#define NCONTINENTS ((int)(sizeof(continents) / sizeof(continents[0])))

static const char *const top_keys[] = {"format",      "version",       "sources",
                                       "geographies", "regions",       "zones_rtt_ms",
                                       "rtt_ms",      "client_rtt_ms", "note"};
static const char *const geo_keys[] = {"id", "name", "note"};
static const char *const region_keys[] = {"name",   "display", "geography",  "continent",
                                          "paired", "zones",   "provenance", "note"};
static const char *const region_prov_keys[] = {"paired", "zones"};
static const char *const zone_keys[] = {"inter_zone", "intra_zone", "source",
                                        "tag",        "estimate",   "note"};
static const char *const rtt_keys[] = {"source", "tag", "estimate", "note", "matrix"};
/* method, access_ms and hubs document how the estimate was built;
 * docs/regions.md and the tests read them, the engine does not. */
static const char *const client_keys[] = {"source", "tag",       "estimate", "note",
                                          "method", "access_ms", "hubs",     "matrix"};

#define NKEYS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void warn_unknown_keys(azbi_jdoc *doc, const cJSON *obj, const char *path,
                              const char *const *known, int nknown)
{
    const cJSON *it = NULL;
    cJSON_ArrayForEach(it, obj)
    {
        bool found = false;
        for (int i = 0; i < nknown && !found; i++) {
            found = strcmp(it->string, known[i]) == 0;
        }
        if (!found) {
            char p[200];
            azbi_path_key(p, sizeof(p), path, it->string);
            const char *near = azbi_closest(it->string, known, nknown);
            if (near != NULL) {
                azbi_jwarn(doc, p, "unknown key \"%s\" ignored; did you mean \"%s\"?", it->string,
                           near);
            } else {
                azbi_jwarn(doc, p, "unknown key \"%s\" ignored", it->string);
            }
        }
    }
}

/* A required string key. */
static bool req_str(azbi_jdoc *doc, const cJSON *obj, const char *key, const char *path,
                    size_t size, char *out)
{
    bool present = false;
    if (!azbi_jstr(doc, obj, key, path, size, out, &present)) {
        return false;
    }
    if (!present) {
        azbi_jmissing(doc, path, key);
        return false;
    }
    return true;
}

/* A required object member; records why when it is missing or not an object. */
static const cJSON *req_obj(azbi_jdoc *doc, const cJSON *obj, const char *key, const char *path,
                            const char *why)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (it == NULL) {
        azbi_jerr(doc, path, "missing required key \"%s\"%s", key, why);
        return NULL;
    }
    if (!cJSON_IsObject(it)) {
        char p[200];
        azbi_path_key(p, sizeof(p), path, key);
        azbi_jerr(doc, p, "expected an object, got %s", azbi_jtype_name(it));
        return NULL;
    }
    return it;
}

/* ARM region names are lowercase letters and digits ("westus2"); geography
 * ids may also hold '-'. Keeping them plain also keeps JSON paths unambiguous. */
static bool name_ok(const char *s, bool allow_dash)
{
    if (s[0] == '\0') {
        return false;
    }
    for (const char *p = s; *p != '\0'; p++) {
        bool good =
            (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (allow_dash && *p == '-');
        if (!good) {
            return false;
        }
    }
    return true;
}

static int continent_find(const char *s)
{
    for (int i = 0; i < NCONTINENTS; i++) {
        if (strcmp(continents[i], s) == 0) {
            return i;
        }
    }
    return -1;
}

static bool parse_header(azbi_jdoc *doc, const cJSON *root)
{
    char format[64] = "";
    bool present = false;
    if (!azbi_jstr(doc, root, "format", "", sizeof(format), format, &present)) {
        return false;
    }
    if (!present) {
        azbi_jerr(doc, "", "missing \"format\": \"%s\"; is this a regions file?", REGIONS_FORMAT);
        return false;
    }
    if (strcmp(format, REGIONS_FORMAT) != 0) {
        azbi_jerr(doc, "format", "format must be \"%s\", got \"%s\"", REGIONS_FORMAT, format);
        return false;
    }
    double version = 0.0;
    if (!azbi_jnum(doc, root, "version", "", AZBI_NUM_INT, 0.0, &version, &present)) {
        return false;
    }
    if (!present) {
        azbi_jmissing(doc, "", "version");
        return false;
    }
    if (version != (double)REGIONS_VERSION) {
        azbi_jerr(doc, "version", "unsupported version %g; this azboard reads version %d", version,
                  REGIONS_VERSION);
        return false;
    }
    return true;
}

static bool parse_geos(azb_catalog *cat, azbi_jdoc *doc, const cJSON *arr)
{
    if (arr == NULL) {
        azbi_jmissing(doc, "", "geographies");
        return false;
    }
    if (!cJSON_IsArray(arr)) {
        azbi_jerr(doc, "geographies", "expected an array, got %s", azbi_jtype_name(arr));
        return false;
    }
    int n = cJSON_GetArraySize(arr);
    if (n == 0 || n > GEOS_MAX) {
        azbi_jerr(doc, "geographies", "expected 1 to %d geographies, got %d", GEOS_MAX, n);
        return false;
    }
    cat->geos = calloc((size_t)n, sizeof(*cat->geos));
    if (cat->geos == NULL) {
        azbi_jerr(doc, "geographies", "out of memory");
        return false;
    }
    bool ok = true;
    int i = 0;
    const cJSON *it = NULL;
    cJSON_ArrayForEach(it, arr)
    {
        char p[200];
        azbi_path_index(p, sizeof(p), "geographies", i++);
        if (!cJSON_IsObject(it)) {
            azbi_jerr(doc, p, "expected an object, got %s", azbi_jtype_name(it));
            ok = false;
            continue;
        }
        warn_unknown_keys(doc, it, p, geo_keys, NKEYS(geo_keys));
        azb_geo g;
        memset(&g, 0, sizeof(g));
        bool good = req_str(doc, it, "id", p, sizeof(g.id), g.id);
        good = req_str(doc, it, "name", p, sizeof(g.name), g.name) && good;
        char pid[220];
        azbi_path_key(pid, sizeof(pid), p, "id");
        if (good && !name_ok(g.id, true)) {
            azbi_jerr(doc, pid, "geography id \"%s\" must be lowercase letters, digits and '-'",
                      g.id);
            good = false;
        }
        if (good && azb_catalog_find_geo(cat, g.id) >= 0) {
            azbi_jerr(doc, pid, "duplicate geography \"%s\"", g.id);
            good = false;
        }
        if (good) {
            cat->geos[cat->ngeos++] = g;
        }
        ok = ok && good;
    }
    return ok;
}

static void list_geos(const azb_catalog *cat, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < cat->ngeos && len < size; i++) {
        int w = snprintf(out + len, size - len, "%s%s", i > 0 ? ", " : "", cat->geos[i].id);
        if (w < 0) {
            break;
        }
        len += (size_t)w;
    }
}

static bool parse_region_prov(const azb_catalog *cat, azbi_jdoc *doc, const cJSON *obj,
                              const char *path)
{
    const cJSON *prov = req_obj(doc, obj, "provenance", path,
                                " ({\"paired\": {source, tag}, \"zones\": {source, tag}})");
    if (prov == NULL) {
        return false;
    }
    char pp[220];
    azbi_path_key(pp, sizeof(pp), path, "provenance");
    warn_unknown_keys(doc, prov, pp, region_prov_keys, NKEYS(region_prov_keys));
    bool ok = true;
    for (int k = 0; k < NKEYS(region_prov_keys); k++) {
        const cJSON *fig = req_obj(doc, prov, region_prov_keys[k], pp, "");
        if (fig == NULL) {
            ok = false;
            continue;
        }
        char pf[240];
        azbi_path_key(pf, sizeof(pf), pp, region_prov_keys[k]);
        azb_prov unused;
        ok = azbi_prov_parse(cat, doc, fig, pf, &unused) && ok;
    }
    return ok;
}

/* Fills *r. Returns whether every field was good; *keep says whether the
 * region has a usable, unique name, so later checks can still refer to it. */
static bool parse_region(const azb_catalog *cat, azbi_jdoc *doc, const cJSON *obj, const char *path,
                         azb_region *r, bool *keep)
{
    *keep = false;
    memset(r, 0, sizeof(*r));
    r->geo = -1;
    if (!cJSON_IsObject(obj)) {
        azbi_jerr(doc, path, "expected an object, got %s", azbi_jtype_name(obj));
        return false;
    }
    warn_unknown_keys(doc, obj, path, region_keys, NKEYS(region_keys));
    char p[220];
    bool ok = req_str(doc, obj, "name", path, sizeof(r->name), r->name);
    azbi_path_key(p, sizeof(p), path, "name");
    if (ok && !name_ok(r->name, false)) {
        azbi_jerr(doc, p, "region name \"%s\" must be its ARM name: lowercase letters and digits",
                  r->name);
        ok = false;
    } else if (ok && azb_catalog_find_region(cat, r->name) >= 0) {
        azbi_jerr(doc, p, "duplicate region \"%s\"", r->name);
        ok = false;
    } else if (ok) {
        *keep = true;
    }

    ok = req_str(doc, obj, "display", path, sizeof(r->display), r->display) && ok;

    char geo[32] = "";
    if (req_str(doc, obj, "geography", path, sizeof(geo), geo)) {
        r->geo = azb_catalog_find_geo(cat, geo);
        if (r->geo < 0) {
            char list[400];
            list_geos(cat, list, sizeof(list));
            azbi_path_key(p, sizeof(p), path, "geography");
            azbi_jerr(doc, p, "unknown geography \"%s\"; the geographies are: %s", geo, list);
            ok = false;
        }
    } else {
        ok = false;
    }

    if (req_str(doc, obj, "continent", path, sizeof(r->continent), r->continent)) {
        if (continent_find(r->continent) < 0) {
            azbi_path_key(p, sizeof(p), path, "continent");
            const char *near = azbi_closest(r->continent, continents, NCONTINENTS);
            azbi_jerr(doc, p,
                      "unknown continent \"%s\"%s%s%s (north-america, south-america, europe, "
                      "asia, oceania, middle-east, africa)",
                      r->continent, near != NULL ? "; did you mean " : "", near != NULL ? near : "",
                      near != NULL ? "?" : "");
            ok = false;
        }
    } else {
        ok = false;
    }

    /* The pair may name a region this file does not list (Azure pairs some
     * regions with access-restricted ones), so only its form is checked. */
    if (req_str(doc, obj, "paired", path, sizeof(r->paired), r->paired)) {
        azbi_path_key(p, sizeof(p), path, "paired");
        if (r->paired[0] != '\0' && !name_ok(r->paired, false)) {
            azbi_jerr(doc, p,
                      "paired region \"%s\" must be an ARM name (lowercase letters and digits) "
                      "or \"\" for none",
                      r->paired);
            ok = false;
        } else if (r->paired[0] != '\0' && strcmp(r->paired, r->name) == 0) {
            azbi_jerr(doc, p, "region %s cannot be paired with itself", r->name);
            ok = false;
        }
    } else {
        ok = false;
    }

    double zones = 0.0;
    bool present = false;
    if (azbi_jnum(doc, obj, "zones", path, AZBI_NUM_ANY, 0.0, &zones, &present)) {
        if (!present) {
            azbi_jmissing(doc, path, "zones");
            ok = false;
        } else if (zones != floor(zones) || zones < 0.0 || zones > (double)ZONES_MAX) {
            azbi_path_key(p, sizeof(p), path, "zones");
            azbi_jerr(doc, p,
                      "zones must be 0 (no availability zones) or a whole number from 1 to %d, "
                      "got %g",
                      ZONES_MAX, zones);
            ok = false;
        } else {
            r->zones = (int)zones;
        }
    } else {
        ok = false;
    }

    ok = parse_region_prov(cat, doc, obj, path) && ok;
    return ok;
}

static bool parse_regions(azb_catalog *cat, azbi_jdoc *doc, const cJSON *arr)
{
    if (arr == NULL) {
        azbi_jmissing(doc, "", "regions");
        return false;
    }
    if (!cJSON_IsArray(arr)) {
        azbi_jerr(doc, "regions", "expected an array, got %s", azbi_jtype_name(arr));
        return false;
    }
    int n = cJSON_GetArraySize(arr);
    if (n == 0 || n > REGIONS_MAX) {
        azbi_jerr(doc, "regions", "expected 1 to %d regions, got %d", REGIONS_MAX, n);
        return false;
    }
    cat->regions = calloc((size_t)n, sizeof(*cat->regions));
    if (cat->regions == NULL) {
        azbi_jerr(doc, "regions", "out of memory");
        return false;
    }
    bool ok = true;
    int i = 0;
    const cJSON *it = NULL;
    cJSON_ArrayForEach(it, arr)
    {
        char p[200];
        azbi_path_index(p, sizeof(p), "regions", i++);
        azb_region r;
        bool keep = false;
        ok = parse_region(cat, doc, it, p, &r, &keep) && ok;
        if (keep) {
            cat->regions[cat->nregions++] = r;
        }
    }
    return ok;
}

static bool parse_zone_rtt(azb_catalog *cat, azbi_jdoc *doc, const cJSON *root)
{
    const char *path = "zones_rtt_ms";
    const cJSON *obj =
        req_obj(doc, root, path, "", " ({\"inter_zone\": ms, \"intra_zone\": ms, source, tag})");
    if (obj == NULL) {
        return false;
    }
    warn_unknown_keys(doc, obj, path, zone_keys, NKEYS(zone_keys));
    bool ok = true;
    static const char *const keys[2] = {"inter_zone", "intra_zone"};
    double *outs[2] = {&cat->inter_zone_rtt_ms, &cat->intra_zone_rtt_ms};
    for (int k = 0; k < 2; k++) {
        bool present = false;
        if (!azbi_jnum(doc, obj, keys[k], path, AZBI_NUM_POSITIVE, RTT_MAX_MS, outs[k], &present)) {
            ok = false;
        } else if (!present) {
            azbi_jmissing(doc, path, keys[k]);
            ok = false;
        }
    }
    if (ok && cat->intra_zone_rtt_ms > cat->inter_zone_rtt_ms) {
        azbi_jerr(doc, "zones_rtt_ms.intra_zone",
                  "the RTT within one zone (%g ms) exceeds the RTT between zones (%g ms)",
                  cat->intra_zone_rtt_ms, cat->inter_zone_rtt_ms);
        ok = false;
    }
    ok = azbi_prov_parse(cat, doc, obj, path, &cat->zone_rtt_prov) && ok;
    return ok;
}

/* One square or rectangular matrix: rows named by `row_name(i)` (nrows of
 * them), columns by region. Cells not given stay NAN; `skip_diag` says the
 * row for region i omits column i. */
typedef struct matrix_spec {
    const char *path;     /* "rtt_ms" */
    const char *row_what; /* "region", "geography" */
    int nrows;
    bool skip_diag;
    double *cells; /* nrows x nregions */
} matrix_spec;

static int row_find(const azb_catalog *cat, const matrix_spec *m, const char *name)
{
    return m->skip_diag ? azb_catalog_find_region(cat, name) : azb_catalog_find_geo(cat, name);
}

static const char *row_name(const azb_catalog *cat, const matrix_spec *m, int i)
{
    return m->skip_diag ? cat->regions[i].name : cat->geos[i].id;
}

static void unknown_region(const azb_catalog *cat, azbi_jdoc *doc, const char *path,
                           const char *name)
{
    const char *near = azb_catalog_suggest_region(cat, name);
    if (near != NULL) {
        azbi_jerr(doc, path, "unknown region \"%s\" (not in regions); did you mean %s?", name,
                  near);
    } else {
        azbi_jerr(doc, path, "unknown region \"%s\" (not in regions)", name);
    }
}

static bool parse_matrix(const azb_catalog *cat, azbi_jdoc *doc, const cJSON *mat,
                         const matrix_spec *m)
{
    char mpath[64];
    azbi_path_key(mpath, sizeof(mpath), m->path, "matrix");
    int n = cat->nregions;
    bool ok = true;
    bool *seen_row = calloc((size_t)m->nrows, sizeof(*seen_row));
    if (seen_row == NULL) {
        azbi_jerr(doc, mpath, "out of memory");
        return false;
    }
    const cJSON *row = NULL;
    cJSON_ArrayForEach(row, mat)
    {
        char rpath[200];
        azbi_path_key(rpath, sizeof(rpath), mpath, row->string);
        int from = row_find(cat, m, row->string);
        if (from < 0) {
            if (m->skip_diag) {
                unknown_region(cat, doc, rpath, row->string);
            } else {
                char list[400];
                list_geos(cat, list, sizeof(list));
                azbi_jerr(doc, rpath, "unknown geography \"%s\"; the geographies are: %s",
                          row->string, list);
            }
            ok = false;
            continue;
        }
        if (seen_row[from]) {
            azbi_jerr(doc, rpath, "duplicate row for %s \"%s\"", m->row_what, row->string);
            ok = false;
            continue;
        }
        seen_row[from] = true;
        if (!cJSON_IsObject(row)) {
            azbi_jerr(doc, rpath, "expected an object of region: ms, got %s", azbi_jtype_name(row));
            ok = false;
            continue;
        }
        double *cells = m->cells + (size_t)from * (size_t)n;
        const cJSON *cell = NULL;
        cJSON_ArrayForEach(cell, row)
        {
            char cpath[240];
            azbi_path_key(cpath, sizeof(cpath), rpath, cell->string);
            int to = azb_catalog_find_region(cat, cell->string);
            if (to < 0) {
                unknown_region(cat, doc, cpath, cell->string);
                ok = false;
                continue;
            }
            if (m->skip_diag && to == from) {
                azbi_jerr(doc, cpath,
                          "a region's RTT to itself is not given here; it is "
                          "zones_rtt_ms.inter_zone");
                ok = false;
                continue;
            }
            if (!isnan(cells[to])) {
                azbi_jerr(doc, cpath, "duplicate entry for region \"%s\"", cell->string);
                ok = false;
                continue;
            }
            double v = 0.0;
            if (!azbi_jnum(doc, row, cell->string, rpath, AZBI_NUM_POSITIVE, RTT_MAX_MS, &v,
                           NULL)) {
                ok = false;
            }
            cells[to] = v; /* 0 after an error: marks the cell as given */
        }
    }
    for (int i = 0; i < m->nrows; i++) {
        if (!seen_row[i]) {
            azbi_jerr(doc, mpath, "missing row for %s %s", m->row_what, row_name(cat, m, i));
            ok = false;
            continue;
        }
        char rpath[200];
        azbi_path_key(rpath, sizeof(rpath), mpath, row_name(cat, m, i));
        const double *cells = m->cells + (size_t)i * (size_t)n;
        for (int j = 0; j < n; j++) {
            if ((!m->skip_diag || j != i) && isnan(cells[j])) {
                azbi_jerr(doc, rpath, "missing RTT from %s %s to %s", m->row_what,
                          row_name(cat, m, i), cat->regions[j].name);
                ok = false;
            }
        }
    }
    free(seen_row);
    return ok;
}

static double *nan_cells(size_t count)
{
    double *cells = malloc(count * sizeof(*cells));
    if (cells != NULL) {
        for (size_t i = 0; i < count; i++) {
            cells[i] = NAN;
        }
    }
    return cells;
}

static bool parse_rtt(azb_catalog *cat, azbi_jdoc *doc, const cJSON *root)
{
    const char *path = "rtt_ms";
    const cJSON *obj = req_obj(doc, root, path, "", " (source, tag and \"matrix\")");
    if (obj == NULL) {
        return false;
    }
    warn_unknown_keys(doc, obj, path, rtt_keys, NKEYS(rtt_keys));
    bool ok = azbi_prov_parse(cat, doc, obj, path, &cat->rtt_prov);
    const cJSON *mat = req_obj(doc, obj, "matrix", path, " ({from: {to: ms}})");
    if (mat == NULL) {
        return false;
    }
    size_t n = (size_t)cat->nregions;
    cat->rtt_ms = nan_cells(n * n);
    if (cat->rtt_ms == NULL) {
        azbi_jerr(doc, path, "out of memory");
        return false;
    }
    matrix_spec m = {path, "region", cat->nregions, true, cat->rtt_ms};
    ok = parse_matrix(cat, doc, mat, &m) && ok;
    /* Two nodes in one region whose zones are unknown: the conservative
     * figure. Callers that know both share a zone use intra_zone_rtt_ms. */
    for (size_t i = 0; i < n; i++) {
        cat->rtt_ms[i * n + i] = cat->inter_zone_rtt_ms;
    }
    return ok;
}

static bool parse_client(azb_catalog *cat, azbi_jdoc *doc, const cJSON *root)
{
    const char *path = "client_rtt_ms";
    const cJSON *obj = req_obj(doc, root, path, "", " (source, tag and \"matrix\")");
    if (obj == NULL) {
        return false;
    }
    warn_unknown_keys(doc, obj, path, client_keys, NKEYS(client_keys));
    bool ok = azbi_prov_parse(cat, doc, obj, path, &cat->client_rtt_prov);
    const cJSON *mat = req_obj(doc, obj, "matrix", path, " ({geography: {region: ms}})");
    if (mat == NULL) {
        return false;
    }
    cat->client_rtt_ms = nan_cells((size_t)cat->ngeos * (size_t)cat->nregions);
    if (cat->client_rtt_ms == NULL) {
        azbi_jerr(doc, path, "out of memory");
        return false;
    }
    matrix_spec m = {path, "geography", cat->ngeos, false, cat->client_rtt_ms};
    return parse_matrix(cat, doc, mat, &m) && ok;
}

static const azb_transfer_rule *transfer_rule(const azb_catalog *cat, const char *a, const char *b)
{
    for (int i = 0; i < cat->ntransfer; i++) {
        const azb_transfer_rule *r = &cat->transfer[i];
        if ((strcmp(r->from, "*") == 0 || strcmp(r->from, a) == 0) &&
            (strcmp(r->to, "*") == 0 || strcmp(r->to, b) == 0)) {
            return r;
        }
    }
    return NULL;
}

/* Azure bills inter-region transfer by where it leaves, so a rule written in
 * the direction of travel wins; the reverse direction is the fallback that
 * lets one rule cover both ways. */
static const azb_transfer_rule *transfer_find(const azb_catalog *cat, const char *from,
                                              const char *to)
{
    const azb_transfer_rule *r = transfer_rule(cat, from, to);
    return r != NULL ? r : transfer_rule(cat, to, from);
}

/* When catalog.json gave transfer rules, every pair of continents that two
 * listed regions span must be priced; otherwise a design could move data
 * between two regions for free without anyone noticing. */
static bool check_transfer(const azb_catalog *cat, azbi_jdoc *doc)
{
    if (cat->ntransfer == 0) {
        return true;
    }
    bool ok = true;
    int first[NCONTINENTS];
    int count[NCONTINENTS];
    for (int c = 0; c < NCONTINENTS; c++) {
        first[c] = -1;
        count[c] = 0;
    }
    for (int i = 0; i < cat->nregions; i++) {
        int c = continent_find(cat->regions[i].continent);
        if (c >= 0) {
            first[c] = first[c] < 0 ? i : first[c];
            count[c]++;
        }
    }
    for (int a = 0; a < NCONTINENTS; a++) {
        for (int b = a; b < NCONTINENTS; b++) {
            /* Within one continent only when two regions share it. */
            if (count[a] == 0 || count[b] == 0 || (a == b && count[a] < 2)) {
                continue;
            }
            if (transfer_find(cat, continents[a], continents[b]) == NULL) {
                char p[200];
                char pi[64];
                azbi_path_index(pi, sizeof(pi), "regions", first[b]);
                azbi_path_key(p, sizeof(p), pi, "continent");
                azbi_jerr(doc, p,
                          "no rule in catalog.json bandwidth.inter_region prices transfer "
                          "between %s and %s",
                          continents[a], continents[b]);
                ok = false;
            }
        }
    }
    return ok;
}

bool azbi_regions_parse(azb_catalog *cat, azbi_jdoc *doc)
{
    assert(cat != NULL && doc != NULL && doc->root != NULL);
    assert(cat->regions == NULL && cat->geos == NULL);
    const cJSON *root = doc->root;
    if (!cJSON_IsObject(root)) {
        azbi_jerr(doc, "", "expected a JSON object, got %s", azbi_jtype_name(root));
        return false;
    }
    /* A wrong format or version means the rest cannot be read as regions;
     * a flood of follow-on errors would hide the one that matters. */
    if (!parse_header(doc, root)) {
        return false;
    }
    warn_unknown_keys(doc, root, "", top_keys, NKEYS(top_keys));
    bool ok = true;
    const cJSON *sources = cJSON_GetObjectItemCaseSensitive(root, "sources");
    if (sources != NULL) {
        ok = azbi_sources_parse(cat, doc, sources, "sources") && ok;
    }
    ok = parse_geos(cat, doc, cJSON_GetObjectItemCaseSensitive(root, "geographies")) && ok;
    ok = parse_regions(cat, doc, cJSON_GetObjectItemCaseSensitive(root, "regions")) && ok;
    ok = parse_zone_rtt(cat, doc, root) && ok;
    if (cat->nregions > 0) {
        ok = parse_rtt(cat, doc, root) && ok;
        if (cat->ngeos > 0) {
            ok = parse_client(cat, doc, root) && ok;
        }
    }
    ok = check_transfer(cat, doc) && ok;
    return ok;
}

void azbi_regions_free(azb_catalog *cat)
{
    if (cat == NULL) {
        return;
    }
    free(cat->geos);
    free(cat->regions);
    free(cat->rtt_ms);
    free(cat->client_rtt_ms);
    cat->geos = NULL;
    cat->ngeos = 0;
    cat->regions = NULL;
    cat->nregions = 0;
    cat->rtt_ms = NULL;
    cat->client_rtt_ms = NULL;
}

int azb_catalog_find_region(const azb_catalog *cat, const char *name)
{
    assert(cat != NULL && name != NULL);
    for (int i = 0; i < cat->nregions; i++) {
        if (strcmp(cat->regions[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

int azb_catalog_find_geo(const azb_catalog *cat, const char *id)
{
    assert(cat != NULL && id != NULL);
    for (int i = 0; i < cat->ngeos; i++) {
        if (strcmp(cat->geos[i].id, id) == 0) {
            return i;
        }
    }
    return -1;
}

double azb_catalog_rtt_ms(const azb_catalog *cat, int from_region, int to_region)
{
    assert(cat != NULL && cat->rtt_ms != NULL);
    assert(from_region >= 0 && from_region < cat->nregions);
    assert(to_region >= 0 && to_region < cat->nregions);
    return cat->rtt_ms[(size_t)from_region * (size_t)cat->nregions + (size_t)to_region];
}

double azb_catalog_client_rtt_ms(const azb_catalog *cat, int geo, int region)
{
    assert(cat != NULL && cat->client_rtt_ms != NULL);
    assert(geo >= 0 && geo < cat->ngeos);
    assert(region >= 0 && region < cat->nregions);
    return cat->client_rtt_ms[(size_t)geo * (size_t)cat->nregions + (size_t)region];
}

double azb_catalog_transfer_usd_per_gb(const azb_catalog *cat, int from_region, int to_region)
{
    assert(cat != NULL);
    assert(from_region >= 0 && from_region < cat->nregions);
    assert(to_region >= 0 && to_region < cat->nregions);
    if (from_region == to_region) {
        return 0.0;
    }
    const azb_transfer_rule *r =
        transfer_find(cat, cat->regions[from_region].continent, cat->regions[to_region].continent);
    return r != NULL ? r->usd_per_gb : 0.0;
}

/* "East US", "East-US" and "EASTUS" all squash to "eastus". */
static void squash(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = s; *p != '\0' && n + 1 < size; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == ' ' || ch == '-' || ch == '_') {
            continue;
        }
        out[n++] = (char)tolower(ch);
    }
    out[n] = '\0';
}

const char *azb_catalog_suggest_region(const azb_catalog *cat, const char *name)
{
    assert(cat != NULL && name != NULL);
    if (cat->nregions <= 0) {
        return NULL;
    }
    char want[64];
    squash(name, want, sizeof(want));
    for (int i = 0; i < cat->nregions; i++) {
        char disp[64];
        squash(cat->regions[i].display, disp, sizeof(disp));
        if (strcmp(want, cat->regions[i].name) == 0 || strcmp(want, disp) == 0) {
            return cat->regions[i].name;
        }
    }
    const char **names = malloc((size_t)cat->nregions * sizeof(*names));
    if (names == NULL) {
        return NULL;
    }
    for (int i = 0; i < cat->nregions; i++) {
        names[i] = cat->regions[i].name;
    }
    const char *best = azbi_closest(want, names, cat->nregions);
    free(names);
    return best;
}

/* ---- JSON out ---- */

typedef struct jout {
    bool oom;
} jout;

static cJSON *add_obj(jout *o, cJSON *parent, const char *key)
{
    cJSON *it = cJSON_CreateObject();
    if (it == NULL || (key != NULL ? !cJSON_AddItemToObject(parent, key, it)
                                   : !cJSON_AddItemToArray(parent, it))) {
        cJSON_Delete(it);
        o->oom = true;
        return NULL;
    }
    return it;
}

static cJSON *add_arr(jout *o, cJSON *parent, const char *key)
{
    cJSON *it = cJSON_AddArrayToObject(parent, key);
    if (it == NULL) {
        o->oom = true;
    }
    return it;
}

static void add_str(jout *o, cJSON *obj, const char *key, const char *value)
{
    if (obj != NULL && cJSON_AddStringToObject(obj, key, value) == NULL) {
        o->oom = true;
    }
}

static void add_num(jout *o, cJSON *obj, const char *key, double value)
{
    if (obj != NULL && cJSON_AddNumberToObject(obj, key, value) == NULL) {
        o->oom = true;
    }
}

static void add_prov(jout *o, const azb_catalog *cat, cJSON *parent, const char *key, azb_prov prov)
{
    cJSON *p = parent != NULL ? add_obj(o, parent, key) : NULL;
    bool known = prov.source >= 0 && prov.source < cat->nsources;
    add_str(o, p, "source", known ? cat->sources[prov.source].id : "");
    add_str(o, p, "tag", azb_tag_name(prov.tag));
    if (p != NULL && prov.tag == AZB_TAG_EST && cJSON_AddTrueToObject(p, "estimate") == NULL) {
        o->oom = true;
    }
}

static void add_matrix(jout *o, const azb_catalog *cat, cJSON *parent, const char *key,
                       bool regions_rows)
{
    cJSON *m = parent != NULL ? add_obj(o, parent, key) : NULL;
    int nrows = regions_rows ? cat->nregions : cat->ngeos;
    const double *cells = regions_rows ? cat->rtt_ms : cat->client_rtt_ms;
    for (int i = 0; i < nrows && m != NULL && cells != NULL; i++) {
        cJSON *row = add_obj(o, m, regions_rows ? cat->regions[i].name : cat->geos[i].id);
        for (int j = 0; j < cat->nregions && row != NULL; j++) {
            if (!regions_rows || i != j) {
                add_num(o, row, cat->regions[j].name,
                        cells[(size_t)i * (size_t)cat->nregions + (size_t)j]);
            }
        }
    }
}

char *azb_catalog_regions_json(const azb_catalog *cat)
{
    assert(cat != NULL);
    jout o = {false};
    cJSON *root = cJSON_CreateObject();
    if (root == NULL) {
        return NULL;
    }
    cJSON *regions = add_arr(&o, root, "regions");
    for (int i = 0; i < cat->nregions && regions != NULL; i++) {
        const azb_region *r = &cat->regions[i];
        cJSON *it = add_obj(&o, regions, NULL);
        add_str(&o, it, "name", r->name);
        add_str(&o, it, "display", r->display);
        add_str(&o, it, "geography",
                (r->geo >= 0 && r->geo < cat->ngeos) ? cat->geos[r->geo].id : "");
        add_str(&o, it, "paired", r->paired);
        add_num(&o, it, "zones", (double)r->zones);
        add_str(&o, it, "continent", r->continent);
    }
    cJSON *geos = add_arr(&o, root, "geographies");
    for (int i = 0; i < cat->ngeos && geos != NULL; i++) {
        cJSON *it = add_obj(&o, geos, NULL);
        add_str(&o, it, "id", cat->geos[i].id);
        add_str(&o, it, "name", cat->geos[i].name);
    }
    add_matrix(&o, cat, root, "rtt_ms", true);
    add_matrix(&o, cat, root, "client_rtt_ms", false);
    cJSON *zones = add_obj(&o, root, "zones_rtt_ms");
    add_num(&o, zones, "inter_zone", cat->inter_zone_rtt_ms);
    add_num(&o, zones, "intra_zone", cat->intra_zone_rtt_ms);
    cJSON *prov = add_obj(&o, root, "provenance");
    if (prov != NULL) {
        add_prov(&o, cat, prov, "rtt_ms", cat->rtt_prov);
        add_prov(&o, cat, prov, "client_rtt_ms", cat->client_rtt_prov);
        add_prov(&o, cat, prov, "zones_rtt_ms", cat->zone_rtt_prov);
    }
    /* The sources the provenance above names, each once, in catalog order. */
    cJSON *sources = add_arr(&o, root, "sources");
    const azb_prov used[3] = {cat->rtt_prov, cat->client_rtt_prov, cat->zone_rtt_prov};
    for (int s = 0; s < cat->nsources && sources != NULL; s++) {
        bool named = false;
        for (int k = 0; k < 3; k++) {
            named = named || used[k].source == s;
        }
        if (!named) {
            continue;
        }
        cJSON *it = add_obj(&o, sources, NULL);
        add_str(&o, it, "id", cat->sources[s].id);
        add_str(&o, it, "url", cat->sources[s].url);
        add_str(&o, it, "date", cat->sources[s].date);
        add_str(&o, it, "what", cat->sources[s].what);
    }
    char *text = o.oom ? NULL : azbi_json_print(root);
    cJSON_Delete(root);
    return text;
}
