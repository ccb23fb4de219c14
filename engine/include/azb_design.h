/*
 * azb_design: what a person draws. Nodes (deployed components), edges (calls
 * between them), groups (region and zone boxes on the canvas) and an optional
 * workload (where requests enter, how many per second, the API operations).
 *
 * File format "azboard/design" version 1, documented in docs/design-format.md
 * with a JSON Schema in docs/design.schema.json.
 *
 * Model.
 *  - A node deploys `count` instances of a catalog kind and SKU in a region
 *    and (optionally) zones. Per-node overrides of service_ms, service_dist,
 *    cv and concurrency replace the SKU's defaults. Kind settings (ru_per_s,
 *    stored_gb, hit_ratio, ...) are flat keys on the node, declared by the
 *    kind in the catalog.
 *  - An edge is a call: each request that reaches `from` makes `calls` calls
 *    to `to` with probability `p` (so p * calls per visit), sync (the caller
 *    waits) or async (only the enqueue counts). Out of a cache node, an edge
 *    marked "on": "miss" carries the misses (1 - hit_ratio of the visits) and
 *    "on": "hit" the hits. An edge may list the operations it carries in
 *    "ops"; none listed means all.
 *  - Units: sizes in KB (1 KB = 1,000 bytes), times in ms (service) and s
 *    (profiles), rates in requests per second, canvas positions in canvas
 *    units (one unit = one pixel at zoom 1).
 *
 * Round trip. Keys the format does not know are kept verbatim and written
 * back after the known ones (with a warning, so typos do not go unseen).
 * Optional keys that were absent stay absent. Saving writes the canonical
 * layout (azbi_json_print), so load + save of a canonical file is
 * byte-identical; `azboard fmt` makes any valid file canonical.
 *
 * Ownership. azb_design_load/parse/create return a design the caller frees
 * with azb_design_destroy. A validated design holds pointers into the catalog
 * it was validated against (kind_ref, sku_ref): keep that catalog alive.
 *
 * Errors. Loaders return NULL and fill `errs` with every problem found,
 * located (file:line:col) and named by JSON path; warnings never fail a
 * load. azb_design_validate re-checks a design edited in memory (no
 * positions, since there is no text).
 */
#ifndef AZB_DESIGN_H
#define AZB_DESIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "azb_catalog.h"
#include "azb_error.h"

#define AZB_DESIGN_FORMAT "azboard/design"
#define AZB_DESIGN_VERSION 1
#define AZB_DESIGN_MAX_NODES 100000
#define AZB_DESIGN_MAX_EDGES 400000
#define AZB_DESIGN_MAX_GROUPS 10000
#define AZB_DESIGN_MAX_OPS 256
#define AZB_DESIGN_MAX_DEPTH 16   /* the format needs 5; the rest is room for extra keys */
#define AZB_DESIGN_MAX_ZONES 3
#define AZB_ID_MAX 64
#define AZB_DESIGN_MAX_SCENARIOS 16

typedef enum azb_edge_mode { AZB_EDGE_SYNC, AZB_EDGE_ASYNC } azb_edge_mode;

typedef enum azb_edge_on {
    AZB_ON_ALWAYS,
    AZB_ON_HIT,
    AZB_ON_MISS
} azb_edge_on;

typedef enum azb_balancing {
    AZB_BAL_DEFAULT,      /* not set: hash for load balancers, per-instance queues */
    AZB_BAL_ROUND_ROBIN,
    AZB_BAL_HASH,
    AZB_BAL_RANDOM,
    AZB_BAL_LEAST_CONNECTIONS,
    AZB_BAL_COUNT
} azb_balancing;

typedef enum azb_profile_type {
    AZB_PROFILE_CONSTANT,
    AZB_PROFILE_RAMP,
    AZB_PROFILE_SPIKE,
    AZB_PROFILE_DIURNAL,
    AZB_PROFILE_PIECEWISE,
    AZB_PROFILE_COUNT
} azb_profile_type;

/* A key the format does not know, kept as its JSON text. */
typedef struct azb_extra {
    char *key;
    char *json;
} azb_extra;

typedef struct azb_extras {
    azb_extra *items;
    int count;
} azb_extras;

/* A kind setting on a node. */
typedef struct azb_setting {
    char name[32];
    azb_setting_type type;
    double num;           /* numbers; 0/1 for bools */
    char str[64];         /* strings */
} azb_setting;

/* Which optional keys were present (bits of `has`). */
enum {
    AZB_HAS_LABEL = 1u << 0,
    AZB_HAS_SKU = 1u << 1,
    AZB_HAS_COUNT = 1u << 2,
    AZB_HAS_REGION = 1u << 3,
    AZB_HAS_ZONES = 1u << 4,
    AZB_HAS_XY = 1u << 5,
    AZB_HAS_SERVICE_MS = 1u << 6,
    AZB_HAS_SERVICE_DIST = 1u << 7,
    AZB_HAS_CV = 1u << 8,
    AZB_HAS_CONCURRENCY = 1u << 9,
    AZB_HAS_BALANCING = 1u << 10,
    AZB_HAS_AUTOSCALE = 1u << 11,
    AZB_HAS_P = 1u << 12,
    AZB_HAS_CALLS = 1u << 13,
    AZB_HAS_MODE = 1u << 14,
    AZB_HAS_REQUEST_KB = 1u << 15,
    AZB_HAS_RESPONSE_KB = 1u << 16,
    AZB_HAS_ON = 1u << 17,
    AZB_HAS_OPS = 1u << 18,
    AZB_HAS_SIZE = 1u << 19,
    AZB_HAS_ZONE = 1u << 20,
    AZB_HAS_SHARE = 1u << 21,
    AZB_HAS_TOKENS = 1u << 22,
    AZB_HAS_WRITE = 1u << 23,
    AZB_HAS_TOKENS_OUT = 1u << 24, /* AZB_HAS_TOKENS is tokens_in */
    AZB_HAS_QUEUE_LIMIT = 1u << 25,
    AZB_HAS_TIMEOUT = 1u << 26,
    AZB_HAS_RETRIES = 1u << 27,
    AZB_HAS_BACKOFF = 1u << 28,
    AZB_HAS_BACKOFF_MULT = 1u << 29,
    AZB_HAS_JITTER = 1u << 30,
};

/* Retry delay jitter: full (a uniform share of the delay) or none. */
typedef enum azb_jitter { AZB_JITTER_FULL, AZB_JITTER_NONE, AZB_JITTER_COUNT } azb_jitter;

/* Defaults of the simulator's keys (docs/design-format.md, docs/models.md). */
#define AZB_DEFAULT_BACKOFF_MS 800.0
#define AZB_DEFAULT_BACKOFF_MULT 2.0

typedef struct azb_autoscale {
    int min;
    int max;
    double target;        /* target utilisation in (0, 0.99]; 0 = not given (0.7) */
    azb_extras extras;
} azb_autoscale;

typedef struct azb_node {
    char id[AZB_ID_MAX];
    char label[128];
    char kind[32];
    char sku[AZB_NAME_MAX];     /* "" = the kind's default SKU */
    int count;                  /* instances, default 1 */
    char region[32];            /* "" = global or unplaced */
    int zones[AZB_DESIGN_MAX_ZONES];
    int nzones;
    double x, y;
    double service_ms;          /* overrides, when present */
    azb_dist service_dist;
    double cv;
    int concurrency;
    azb_balancing balancing;
    azb_autoscale autoscale;
    int queue_limit;            /* simulator: waiting visits per instance; absent = unbounded */
    azb_setting *settings;
    int nsettings;
    azb_extras extras;
    unsigned has;
    /* Resolved by validation against a catalog. */
    const azb_kind *kind_ref;
    const azb_sku *sku_ref;
    int region_idx;             /* -1 when none */
} azb_node;

typedef struct azb_edge {
    char from[AZB_ID_MAX];
    char to[AZB_ID_MAX];
    double p;                   /* probability per visit, default 1 */
    double calls;               /* calls when it happens, default 1 */
    azb_edge_mode mode;
    double request_kb;
    double response_kb;
    azb_edge_on on;
    char label[128];
    char (*ops)[96];            /* operation names; none = all */
    int nops;
    /* Simulator only (sync calls): absent = no timeout, no retries. */
    double timeout_ms;          /* the caller gives up after this; 0 = never */
    int retries;                /* further attempts after a failure or timeout */
    double backoff_ms;          /* delay before the first retry (default 800) */
    double backoff_mult;        /* each later retry waits this much longer (default 2) */
    azb_jitter jitter;          /* default full */
    azb_extras extras;
    unsigned has;
    int from_idx;               /* resolved */
    int to_idx;
} azb_edge;

typedef struct azb_group {
    char id[AZB_ID_MAX];
    char kind[16];              /* "region" or "zone" */
    char region[32];
    int zone;                   /* zone groups: 1..3 */
    char label[128];
    double x, y, w, h;
    azb_extras extras;
    unsigned has;
} azb_group;

typedef struct azb_operation {
    char name[96];              /* "GET /links/{id}" */
    double share;               /* of all requests; shares sum to 1 */
    double request_kb;
    double response_kb;
    bool write;                 /* counts as a write at data stores */
    double tokens_in;           /* AI: tokens per request, when it calls a model */
    double tokens_out;
    azb_extras extras;
    unsigned has;
} azb_operation;

typedef struct azb_profile {
    azb_profile_type type;
    /* ramp: from -> to over duration; spike: base, peak from start for length;
     * diurnal: trough..peak sinusoid over period; piecewise: points. */
    double from_rps, to_rps, duration_s;
    double base_rps, peak_rps, start_s, length_s;
    double trough_rps, period_s;   /* period_s 0 = not given (86,400) */
    double (*points)[2];        /* piecewise: (t seconds, rps), t ascending */
    int npoints;
    azb_extras extras;
} azb_profile;

typedef struct azb_workload {
    bool present;
    char entry[AZB_ID_MAX];     /* "" = every clients node, by share */
    double rps;                 /* the rate the design is sized for */
    bool has_profile;
    azb_profile profile;
    azb_operation *ops;
    int nops;
    azb_extras extras;
    int entry_idx;              /* resolved; -1 when entries are the clients nodes */
} azb_workload;

typedef struct azb_design {
    char name[128];
    char description[512];
    bool has_description;
    char prompt[64];            /* the practice prompt it answers, "" if none */
    bool has_prompt;
    /* Load and failure scenarios the design is meant to be drilled with, by
     * name: NAME.json next to the design, else in its prompt's folder
     * (scenarios/<prompt>/). Fixed room, so a struct copy copies them. */
    char scenarios[AZB_DESIGN_MAX_SCENARIOS][64];
    int nscenarios;
    azb_node *nodes;
    int nnodes;
    azb_edge *edges;
    int nedges;
    azb_group *groups;
    int ngroups;
    azb_workload workload;
    azb_extras extras;
} azb_design;

azb_design *azb_design_create(const char *name);
void azb_design_destroy(azb_design *d);
azb_design *azb_design_clone(const azb_design *d);

azb_design *azb_design_load(const char *path, const azb_catalog *cat, azb_errors *errs);
azb_design *azb_design_parse(const char *text, size_t len, const char *name,
                             const azb_catalog *cat, azb_errors *errs);
/* Check a design (edited in memory, or loaded) against the catalog and
 * resolve its references. True when there are no errors. */
bool azb_design_validate(azb_design *d, const azb_catalog *cat, azb_errors *errs);

/* Canonical JSON text (malloc'd, NULL on out of memory). */
char *azb_design_to_json(const azb_design *d);
/* Write atomically; on failure the old file is untouched. */
bool azb_design_save(const azb_design *d, const char *path, azb_errors *errs);

int azb_design_find_node(const azb_design *d, const char *id);  /* -1 if none */
const azb_setting *azb_node_setting(const azb_node *n, const char *name);
/* A node's setting as a number: its value, else the kind's default, else `fallback`. */
double azb_node_setting_num(const azb_node *n, const char *name, double fallback);

/* Rate of the load profile at time t (s), and its average over one period
 * (the profile's span; constant: rps). */
double azb_profile_rate(const azb_workload *w, double t);
double azb_profile_average(const azb_workload *w);

/* The "format" string at the top of an azboard JSON file ("azboard/design",
 * "azboard/prompt", ...), so one command can check any of them. False when
 * the file cannot be read, is not JSON, or has no format string; the loader
 * of the right kind then says why in detail. */
bool azb_file_format(const char *path, char *format, size_t size);

const char *azb_balancing_name(azb_balancing b);
const char *azb_profile_type_name(azb_profile_type t);

#endif
