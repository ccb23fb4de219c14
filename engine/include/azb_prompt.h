/*
 * azb_prompt: the practice prompts shipped in scenarios/, what a candidate is
 * asked to design, with the requirements a panel would hold them to.
 *
 * Files. scenarios/index.json lists the prompts in order and names the
 * default one (what `azboard` opens with no arguments):
 *   {"format": "azboard/index", "version": 1, "default": "url-shortener",
 *    "prompts": [{"id": "url-shortener", "file": "url-shortener/prompt.json"}]}
 * Each prompt file (format "azboard/prompt") opens with a fixed header block
 * (id, title, level, summary) and then the brief, the requirements, the
 * starter design and any reference designs (paths relative to the prompt
 * file). docs/scenario-format.md documents every key.
 *
 * Units. Rates in requests per second, latency in ms, availability as a
 * fraction (0.9999), budget in USD per month, data sizes in GB.
 *
 * Ownership. azb_prompts_load returns a list the caller frees with
 * azb_prompts_destroy; paths inside it are absolute (joined with the
 * scenarios folder) and live as long as the list.
 *
 * Errors. Located records in `errs` (file:line:col, JSON path, message), as
 * every loader does; NULL on failure.
 */
#ifndef AZB_PROMPT_H
#define AZB_PROMPT_H

#include <stdbool.h>

#include "azb_error.h"

#define AZB_PATH_MAX 512

typedef struct azb_requirements {
    double peak_rps;            /* 0 = not stated */
    double p99_ms;
    double availability;        /* fraction */
    double monthly_budget_usd;
    double stored_gb;
    char regions[8][32];        /* where data may live (residency); none = anywhere */
    int nregions;
    char geos[8][32];           /* where the users are */
    int ngeos;
} azb_requirements;

typedef struct azb_prompt {
    char id[64];
    char title[128];
    char level[32];             /* "warm-up", "core", "stretch" */
    char summary[256];
    char brief[2048];
    azb_requirements req;
    char file[AZB_PATH_MAX];    /* the prompt file */
    char starter[AZB_PATH_MAX]; /* the starter design */
    char (*designs)[AZB_PATH_MAX]; /* reference designs */
    int ndesigns;
} azb_prompt;

typedef struct azb_prompts {
    azb_prompt *items;
    int count;
    int default_index;
} azb_prompts;

/* Load scenarios/index.json and every prompt it lists. `scenarios_dir` is the
 * folder holding index.json. Designs are not loaded (see azb_design_load). */
azb_prompts *azb_prompts_load(const char *scenarios_dir, azb_errors *errs);
void azb_prompts_destroy(azb_prompts *p);
const azb_prompt *azb_prompts_find(const azb_prompts *p, const char *id);

/* One prompt file on its own (as `azboard validate` checks it), into a
 * caller-owned struct; azb_prompt_free releases what it holds. False with
 * the problems in `errs`. */
bool azb_prompt_load(const char *path, azb_prompt *out, azb_errors *errs);
void azb_prompt_free(azb_prompt *p);

#endif
