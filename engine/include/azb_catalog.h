/*
 * azb_catalog: what Azure offers, what it costs, how fast and how available
 * it is. Loaded once from assets/catalog.json and assets/regions.json,
 * validated, then immutable: every other module only reads it, so one
 * catalog may be shared by any number of designs and threads.
 *
 * Model.
 *  - A kind (vm, functions, cosmos_db, ...) has a category, an ARM resource
 *    type, a capacity model, the kind-specific settings a design node may
 *    carry (ru_per_s, stored_gb, hit_ratio, ...), and its SKUs.
 *  - A SKU is what a node deploys: the ARM SKU name as Azure spells it, its
 *    price items, its SLA, its capacity and default service time, and its
 *    documented limits.
 *  - Capacity model "servers": an instance is `concurrency` servers, each
 *    serving one request at a time with mean `service_ms`. Capacity model
 *    "quota": the service's capacity is a quota (requests/s, RU/s, events/s,
 *    tokens/min); the node's setting or the SKU's default gives its size.
 *    Capacity model "source": client populations, which offer load and serve
 *    nothing.
 *  - Regions have a geography (where their users are), a paired region, a
 *    number of availability zones and a transfer-pricing continent. The
 *    round-trip matrices give region-to-region and geography-to-region
 *    latency (median, ms).
 *
 * Units. Money in USD (list, pay as you go); time in ms for latencies and
 * service times; a month is 730 hours. Price units are the azb_price_unit
 * values below; each says what its quantity counts. SLAs are fractions
 * (0.9995, not 99.95).
 *
 * Provenance. Every figure (price, SLA, capacity, limit, latency) names a
 * source from the catalog's `sources` list (an address and a date) and a tag:
 * SEEN in the source, DERIVED from seen figures, 3P (seen only in third-party
 * material) or EST (an estimate; docs/catalog.md says why).
 *
 * Ownership and errors. azb_catalog_load returns a catalog the caller frees
 * with azb_catalog_destroy, or NULL with every problem in `errs`. Pointers
 * returned by the find functions live as long as the catalog.
 */
#ifndef AZB_CATALOG_H
#define AZB_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "azb_error.h"

#define AZB_HOURS_PER_MONTH 730.0
#define AZB_NAME_MAX 64

typedef enum azb_category {
    AZB_CAT_COMPUTE,
    AZB_CAT_NETWORK,
    AZB_CAT_DATA,
    AZB_CAT_MESSAGING,
    AZB_CAT_AI,
    AZB_CAT_SOURCE,
    AZB_CAT_COUNT
} azb_category;

typedef enum azb_capacity_model {
    AZB_CAP_SERVERS,
    AZB_CAP_QUOTA,
    AZB_CAP_SOURCE,
    AZB_CAP_COUNT
} azb_capacity_model;

typedef enum azb_dist {
    AZB_DIST_EXP,       /* exponential, cv = 1 */
    AZB_DIST_DET,       /* deterministic, cv = 0 */
    AZB_DIST_LOGNORMAL, /* lognormal with the stated cv */
    AZB_DIST_COUNT
} azb_dist;

typedef enum azb_tag {
    AZB_TAG_SEEN,
    AZB_TAG_DERIVED,
    AZB_TAG_3P,
    AZB_TAG_EST,
    AZB_TAG_COUNT
} azb_tag;

/* What a price's quantity counts. The cost model computes each. */
typedef enum azb_price_unit {
    AZB_UNIT_INSTANCE_HOUR,     /* per instance (node count) per hour */
    AZB_UNIT_VCORE_HOUR,        /* per vCore of the SKU per instance per hour */
    AZB_UNIT_MONTH,             /* flat per node per month */
    AZB_UNIT_CAPACITY_UNIT_HOUR,/* Application Gateway capacity units per hour */
    AZB_UNIT_THROUGHPUT_UNIT_HOUR, /* Event Hubs TU / PU, Service Bus MU per hour */
    AZB_UNIT_PTU_HOUR,          /* Azure OpenAI provisioned throughput units per hour */
    AZB_UNIT_RU100_HOUR,        /* Cosmos DB: per 100 RU/s provisioned per hour */
    AZB_UNIT_MILLION_RU,        /* Cosmos DB serverless: per million RU consumed */
    AZB_UNIT_GB_MONTH,          /* stored GB per month */
    AZB_UNIT_GB_PROCESSED,      /* GB through a load balancer, gateway, NAT */
    AZB_UNIT_GB_EGRESS,         /* GB of responses to the internet */
    AZB_UNIT_GB_RETRIEVAL,      /* GB read back from cool/cold/archive storage */
    AZB_UNIT_MILLION_REQUESTS,  /* per million requests, executions, messages, queries */
    AZB_UNIT_10K_READS,         /* storage read operations, per 10,000 */
    AZB_UNIT_10K_WRITES,        /* storage write operations, per 10,000 */
    AZB_UNIT_GB_SECOND,         /* Functions execution time x memory */
    AZB_UNIT_VCPU_SECOND,       /* Container Apps active vCPU-seconds */
    AZB_UNIT_GIB_SECOND,        /* Container Apps active memory GiB-seconds */
    AZB_UNIT_MILLION_INPUT_TOKENS,
    AZB_UNIT_MILLION_OUTPUT_TOKENS,
    AZB_UNIT_COUNT
} azb_price_unit;

/* What a quota counts. */
typedef enum azb_quota_unit {
    AZB_QUOTA_NONE,
    AZB_QUOTA_REQUESTS_PER_S,
    AZB_QUOTA_RU_PER_S,
    AZB_QUOTA_EVENTS_PER_S,
    AZB_QUOTA_TOKENS_PER_MIN,
    AZB_QUOTA_COUNT
} azb_quota_unit;

typedef struct azb_source {
    char id[32];
    char url[320];
    char date[32];
    char what[160];
} azb_source;

/* Provenance of one figure: an index into catalog->sources and a tag. */
typedef struct azb_prov {
    int source;
    azb_tag tag;
} azb_prov;

#define AZB_PRICE_TIERS_MAX 8
typedef struct azb_price_tier {
    double up_to;  /* quantity at which this tier ends; 0 = no end */
    double usd;    /* per unit within the tier */
} azb_price_tier;

typedef struct azb_price {
    char item[48];          /* "compute", "executions", "storage", ... */
    azb_price_unit unit;
    double usd;             /* per unit (the first tier when tiered) */
    double free_qty;        /* free grant per month, in the unit's quantity */
    int ntiers;             /* 0 = flat price */
    azb_price_tier tiers[AZB_PRICE_TIERS_MAX];
    char when[32];          /* "" = always; else a bool setting of the kind that
                               must be true on the node ("zone_redundant") */
    char per[32];           /* "" = once; else a number setting of the kind that
                               multiplies the quantity ("regions") */
    azb_prov prov;
} azb_price;

typedef struct azb_limit {
    char name[48];
    double value;
    char unit[24];
    azb_prov prov;
} azb_limit;

/* Monthly uptime SLA as a fraction; 0 where the configuration has none. */
typedef struct azb_sla {
    double value;          /* the SKU as deployed, single instance */
    double multi_instance; /* >= 2 instances (availability set / scale set) */
    double zone_redundant; /* spread over >= 2 zones, or the zone-redundant option */
    double multi_region;   /* deployed in >= 2 regions (where Azure states one) */
    azb_prov prov;
} azb_sla;

typedef struct azb_capacity {
    int concurrency;        /* servers per instance (AZB_CAP_SERVERS) */
    double service_ms;      /* mean service time per request */
    azb_dist dist;
    double cv;              /* coefficient of variation of service time */
    double quota;           /* default quota (AZB_CAP_QUOTA) */
    azb_quota_unit quota_unit;
    /* "" = the quota is fixed; else a number setting of the kind that sizes
     * it: a node that gives the setting a value > 0 (or whose kind's default
     * is > 0) has quota = value x quota_per_unit ("ru_per_s" x 1,
     * "throughput_units" x 1000 events/s, "ptu" x TPM per PTU). */
    char quota_setting[32];
    double quota_per_unit;
    double cost_read;       /* quota units per read (RU per 1 KB read, ...) */
    double cost_write;      /* quota units per write */
    double tokens_per_s;    /* AI: generation speed per request */
    double ttft_ms;         /* AI: time to first token */
    azb_prov prov;
} azb_capacity;

typedef struct azb_sku {
    char name[AZB_NAME_MAX];     /* what designs write: "Standard_D4s_v5", "Hot_LRS" */
    char arm_sku[AZB_NAME_MAX];  /* as ARM spells it */
    char description[128];
    double vcpu;                 /* 0 when not applicable */
    double memory_gib;
    double gpus;
    azb_capacity capacity;
    azb_price *prices;
    int nprices;
    azb_sla sla;
    azb_limit *limits;
    int nlimits;
} azb_sku;

/* A kind-specific setting a node may carry (flat key on the node). */
#define AZB_CHOICES_MAX 8
typedef enum azb_setting_type {
    AZB_SETTING_NUMBER,
    AZB_SETTING_STRING,
    AZB_SETTING_BOOL,
} azb_setting_type;

typedef struct azb_setting_def {
    char name[32];
    char unit[24];
    char description[128];
    azb_setting_type type;
    double min, max, def;        /* numbers (def: 0/1 for bools) */
    bool integer;
    char def_str[32];            /* strings */
    char choices[AZB_CHOICES_MAX][32]; /* strings: allowed values; none = any */
    int nchoices;
} azb_setting_def;

typedef struct azb_kind {
    char id[32];
    char name[64];
    azb_category category;
    char arm_type[96];
    azb_capacity_model capacity_model;
    azb_setting_def *settings;
    int nsettings;
    azb_sku *skus;
    int nskus;
    int default_sku;             /* index into skus */
    /* Kind-level figures the simulator uses (catalog.json "sim", each a
     * name, value, unit and provenance, like SKU limits): probe_interval_s,
     * unhealthy_probes, dns_ttl_s, scale_interval_s, provision_s,
     * cold_start_ms, failover_s, failover_multi_write_s. */
    azb_limit *sim;
    int nsim;
} azb_kind;

typedef struct azb_geo {
    char id[32];                 /* "north-america" */
    char name[48];
} azb_geo;

typedef struct azb_region {
    char name[32];               /* ARM name, "eastus" */
    char display[48];            /* "East US" */
    int geo;                     /* index into geos */
    char paired[32];             /* ARM name of the paired region, "" if none */
    int zones;                   /* 0 = no availability zones */
    char continent[24];          /* transfer pricing: "north-america", "europe", ... */
} azb_region;

/* Data transfer between regions, by the continents of the two ends; "*"
 * matches any continent. The first matching rule applies. */
typedef struct azb_transfer_rule {
    char from[24];
    char to[24];
    double usd_per_gb;
    azb_prov prov;
} azb_transfer_rule;

typedef struct azb_catalog {
    azb_source *sources;
    int nsources;
    azb_kind *kinds;
    int nkinds;
    azb_geo *geos;
    int ngeos;
    azb_region *regions;
    int nregions;
    double *rtt_ms;              /* nregions x nregions, row = from */
    azb_prov rtt_prov;
    double *client_rtt_ms;       /* ngeos x nregions */
    azb_prov client_rtt_prov;
    double inter_zone_rtt_ms;    /* between zones of one region */
    double intra_zone_rtt_ms;    /* within one zone */
    azb_prov zone_rtt_prov;
    /* Bandwidth (catalog.json "bandwidth"). */
    azb_price internet_egress;   /* AZB_UNIT_GB_EGRESS, tiered, free grant */
    azb_transfer_rule *transfer; /* inter-region */
    int ntransfer;
    double inter_zone_usd_per_gb;
    azb_prov inter_zone_prov;
} azb_catalog;

/* Load assets/catalog.json and assets/regions.json from `data_dir` (the
 * folder that holds assets/). */
azb_catalog *azb_catalog_load_dir(const char *data_dir, azb_errors *errs);
azb_catalog *azb_catalog_load(const char *catalog_path, const char *regions_path,
                              azb_errors *errs);
/* Same from memory; the names are used in messages. */
azb_catalog *azb_catalog_parse(const char *catalog_text, size_t catalog_len,
                               const char *catalog_name, const char *regions_text,
                               size_t regions_len, const char *regions_name, azb_errors *errs);
void azb_catalog_destroy(azb_catalog *cat);

/* find_kind, find_sku and find_setting (and suggest_kind, suggest_sku)
 * return NULL for a NULL catalog, kind or name, so
 * azb_catalog_find_sku(azb_catalog_find_kind(cat, k), s) is safe. */
const azb_kind *azb_catalog_find_kind(const azb_catalog *cat, const char *id);
const azb_sku *azb_catalog_find_sku(const azb_kind *kind, const char *name);
const azb_setting_def *azb_catalog_find_setting(const azb_kind *kind, const char *name);
/* A kind's "sim" figure by name, or `fallback` when the kind (or NULL) has none. */
double azb_kind_sim(const azb_kind *kind, const char *name, double fallback);
const azb_limit *azb_kind_sim_figure(const azb_kind *kind, const char *name);
int azb_catalog_find_region(const azb_catalog *cat, const char *name); /* -1 if none */
int azb_catalog_find_geo(const azb_catalog *cat, const char *id);      /* -1 if none */
double azb_catalog_rtt_ms(const azb_catalog *cat, int from_region, int to_region);
double azb_catalog_client_rtt_ms(const azb_catalog *cat, int geo, int region);
/* USD per GB between two regions (0 within one region). */
double azb_catalog_transfer_usd_per_gb(const azb_catalog *cat, int from_region, int to_region);
/* Closest known name, for "did you mean"; NULL when nothing is close. */
const char *azb_catalog_suggest_kind(const azb_catalog *cat, const char *id);
const char *azb_catalog_suggest_sku(const azb_kind *kind, const char *name);
const char *azb_catalog_suggest_region(const azb_catalog *cat, const char *name);

const char *azb_category_name(azb_category c);
const char *azb_capacity_model_name(azb_capacity_model m);
const char *azb_dist_name(azb_dist d);
bool azb_dist_parse(const char *s, azb_dist *out);
const char *azb_tag_name(azb_tag t);
const char *azb_price_unit_name(azb_price_unit u);
const char *azb_quota_unit_name(azb_quota_unit u);

/* The whole catalog (kinds, SKUs, prices with their sources) and the regions
 * as JSON text in azboard's layout, for `azboard catalog --json` and
 * `azboard regions --json`. malloc'd; NULL on out of memory. */
char *azb_catalog_kinds_json(const azb_catalog *cat);
char *azb_catalog_regions_json(const azb_catalog *cat);

#endif
