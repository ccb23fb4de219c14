#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azb_catalog.h"
#include "azb_design.h"
#include "azb_error.h"
#include "azb_availability.h"
#include "azb_cost.h"
#include "azb_model.h"
#include "azb_prompt.h"
#include "azb_report.h"
#include "azb_workload.h"
#include "wb.h"

typedef struct cli {
    FILE *out;
    FILE *err;
    char data[4096];
    azb_catalog *cat;
} cli;

static const char usage_text[] =
    "usage: azboard [--no-window] [FILE]\n"
    "       azboard COMMAND [ARGS]\n"
    "\n"
    "With no command, azboard opens FILE (or the default practice prompt's\n"
    "starter design) on the whiteboard; with no display, or with --no-window,\n"
    "it prints the design's report (as azboard sim does).\n"
    "\n"
    "commands:\n"
    "  validate FILE...          check designs, prompts, scenarios; ok or every problem\n"
    "  fmt [--check] FILE...     rewrite designs in the canonical layout\n"
    "  sim FILE [--rps N] [--json|--markdown]\n"
    "                            throughput, latency, availability and cost at a load\n"
    "  sim FILE --des [--scenario FILE|NAME] [--seed N] [--requests N | --duration S]\n"
    "          [--replications K] [--timeseries OUT.csv] [--json|--markdown]\n"
    "                            the event simulator: load and failure drills, tails and\n"
    "                            errors; K replications over all cores, with 95% CIs\n"
    "  cost FILE [--rps N] [--json|--markdown]\n"
    "                            the monthly cost, line by line\n"
    "  compare A B [--rps N] [--json|--markdown]\n"
    "                            two designs side by side, the better value marked\n"
    "  show FILE                 the design's components, SKUs and list prices\n"
    "  render FILE -o OUT.png [--width W] [--height H] [--scale S] [--zoom Z] [--rps N]\n"
    "                            draw the whiteboard with its results to a PNG, no window\n"
    "  render FILE --scenario NAME [--at S] -o OUT.png\n"
    "                            run a drill and draw its charts, the canvas at second S\n"
    "  render FILE --bench N     time N frames of the headless whiteboard\n"
    "  catalog [--json] [KIND]   the component kinds, SKUs, prices and sources\n"
    "  regions [--json]          the regions, zones and round-trip latencies\n"
    "  prompts [--json]          the practice prompts in scenarios/\n"
    "  help                      this text\n"
    "  version                   azboard's version and the data folder it reads\n"
    "\n"
    "options:\n"
    "  -h, --help                this text\n"
    "  -V, --version             azboard's version\n"
    "\n"
    "exit codes: 0 ok, 1 fmt --check found files to reformat, 2 bad input or usage,\n"
    "            130 a simulation stopped by Ctrl-C (its report covers what ran)\n"
    "environment: AZBOARD_DATA names the folder holding assets/ and scenarios/\n";

static void print_errors(cli *c, const azb_errors *errs)
{
    for (int i = 0; i < errs->count; i++) {
        char line[1024];
        azb_error_format(&errs->items[i], line, sizeof(line));
        fprintf(c->err, "%s\n", line);
    }
    if (errs->dropped > 0) {
        fprintf(c->err, "... and %d more problems\n", errs->dropped);
    }
}

/* Print text the engine made (NULL: it ran out of memory) and free it. */
static int emit(cli *c, char *text)
{
    if (text == NULL) {
        fprintf(c->err, "azboard: out of memory\n");
        return AZB_EXIT_BAD;
    }
    fputs(text, c->out);
    fflush(c->out);
    free(text);
    return AZB_EXIT_OK;
}

static bool load_catalog(cli *c)
{
    if (c->cat != NULL) {
        return true;
    }
    azb_errors errs;
    azb_errors_init(&errs);
    c->cat = azb_catalog_load_dir(c->data, &errs);
    if (c->cat == NULL) {
        fprintf(c->err, "azboard: the catalog in %s/assets does not load:\n", c->data);
        print_errors(c, &errs);
    }
    azb_errors_free(&errs);
    return c->cat != NULL;
}

static int usage_error(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage_error(cli *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(c->err, "azboard: ");
    vfprintf(c->err, fmt, ap);
    va_end(ap);
    fprintf(c->err, "\nRun 'azboard help' for usage.\n");
    return AZB_EXIT_BAD;
}

/* Parse `--json`-style flags; the rest are positional. Returns false on an
 * unknown option. */
typedef struct flags {
    bool json;
    bool markdown;
    bool check;
    double rps;       /* --rps; 0 = the workload's */
    const char *pos[64];
    int npos;
} flags;

enum {
    FLAG_CHECK = 1 << 0,
    FLAG_RPS = 1 << 1,
    FLAG_MARKDOWN = 1 << 2,
};

static bool parse_flags_ex(cli *c, int argc, char **argv, flags *f, unsigned allowed)
{
    memset(f, 0, sizeof(*f));
    bool only_pos = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!only_pos && strcmp(a, "--") == 0) {
            only_pos = true;
        } else if (!only_pos && strcmp(a, "--json") == 0 && (allowed & FLAG_CHECK) == 0u) {
            f->json = true;
        } else if (!only_pos && strcmp(a, "--markdown") == 0 && (allowed & FLAG_MARKDOWN) != 0u) {
            f->markdown = true;
        } else if (!only_pos && strcmp(a, "--rps") == 0 && (allowed & FLAG_RPS) != 0u) {
            char *end = NULL;
            f->rps = i + 1 < argc ? strtod(argv[i + 1], &end) : 0.0;
            if (i + 1 >= argc || end == argv[i + 1] || *end != '\0' || !(f->rps > 0.0) ||
                f->rps > 1e9) {
                usage_error(c, "--rps needs a rate in requests per second (0 < N <= 1e9), got %s",
                            i + 1 < argc ? argv[i + 1] : "nothing");
                return false;
            }
            i++;
        } else if (!only_pos && strcmp(a, "--check") == 0 && (allowed & FLAG_CHECK) != 0u) {
            f->check = true;
        } else if (!only_pos && a[0] == '-' && a[1] != '\0') {
            usage_error(c, "unknown option %s", a);
            return false;
        } else if (f->npos < 64) {
            f->pos[f->npos++] = a;
        } else {
            usage_error(c, "too many files (at most 64 at once; got more after %s)", a);
            return false;
        }
    }
    if (f->json && f->markdown) {
        usage_error(c, "%s", "--json and --markdown: choose one");
        return false;
    }
    return true;
}

static bool parse_flags(cli *c, int argc, char **argv, flags *f, bool allow_check)
{
    return parse_flags_ex(c, argc, argv, f, allow_check ? FLAG_CHECK : 0u);
}

/* ---- validate ---- */

/* The scenarios a design names must exist and fit it. */
static bool check_named_scenarios(cli *c, const char *path, const azb_design *d, azb_errors *errs)
{
    bool ok = true;
    for (int i = 0; i < d->nscenarios; i++) {
        char where[4096];
        if (!azb_cli_find_scenario(d->scenarios[i], path, d, c->data, where, sizeof(where))) {
            char jp[48];
            snprintf(jp, sizeof(jp), "scenarios[%d]", i);
            azb_errors_add(errs, false, path, 0, 0, jp,
                           "no scenario \"%s\": no %s.json next to the design%s%s",
                           d->scenarios[i], d->scenarios[i],
                           d->has_prompt ? " or in the folder of prompt " : "",
                           d->has_prompt ? d->prompt : "");
            ok = false;
            continue;
        }
        azb_scenario *sc = azb_scenario_load(where, errs);
        ok = sc != NULL && azb_scenario_check(sc, d, c->cat, errs) && ok;
        azb_scenario_destroy(sc);
    }
    return ok;
}

/* Any azboard file: a prompt, the prompt index, a load and failure
 * scenario, or (by default, so its loader explains what is wrong with
 * anything else) a design. */
static bool validate_file(cli *c, const char *path, azb_errors *errs)
{
    char format[64];
    if (azb_file_format(path, format, sizeof(format))) {
        if (strcmp(format, "azboard/prompt") == 0) {
            azb_prompt p;
            bool ok = azb_prompt_load(path, &p, errs);
            azb_prompt_free(&p);
            return ok;
        }
        if (strcmp(format, "azboard/scenario") == 0) {
            azb_scenario *sc = azb_scenario_load(path, errs);
            azb_scenario_destroy(sc);
            return sc != NULL;
        }
        if (strcmp(format, "azboard/index") == 0) {
            char dir[4096];
            const char *slash = strrchr(path, '/');
            const char *base = slash != NULL ? slash + 1 : path;
            if (strcmp(base, "index.json") != 0) {
                azb_errors_add(errs, false, path, 0, 0, "",
                               "a prompt index must be named index.json");
                return false;
            }
            snprintf(dir, sizeof(dir), "%.*s", slash != NULL ? (int)(slash - path) : 1,
                     slash != NULL ? path : ".");
            azb_prompts *p = azb_prompts_load(dir[0] != '\0' ? dir : "/", errs);
            azb_prompts_destroy(p);
            return p != NULL;
        }
    }
    azb_design *d = azb_design_load(path, c->cat, errs);
    bool ok = d != NULL && check_named_scenarios(c, path, d, errs);
    azb_design_destroy(d);
    return ok;
}

static int cmd_validate(cli *c, int argc, char **argv)
{
    flags f;
    if (!parse_flags(c, argc, argv, &f, false)) {
        return AZB_EXIT_BAD;
    }
    if (f.npos == 0) {
        return usage_error(c, "%s", "validate needs at least one FILE");
    }
    if (!load_catalog(c)) {
        return AZB_EXIT_BAD;
    }
    int rc = AZB_EXIT_OK;
    for (int i = 0; i < f.npos; i++) {
        azb_errors errs;
        azb_errors_init(&errs);
        bool ok = validate_file(c, f.pos[i], &errs);
        print_errors(c, &errs);
        if (!ok) {
            int n = azb_errors_count_errors(&errs);
            fprintf(c->out, "%s: %d problem%s\n", f.pos[i], n, n == 1 ? "" : "s");
            rc = AZB_EXIT_BAD;
        } else {
            fprintf(c->out, f.npos > 1 ? "%s: ok\n" : "ok\n", f.pos[i]);
        }
        azb_errors_free(&errs);
    }
    return rc;
}

/* ---- fmt ---- */

static int cmd_fmt(cli *c, int argc, char **argv)
{
    flags f;
    if (!parse_flags(c, argc, argv, &f, true)) {
        return AZB_EXIT_BAD;
    }
    if (f.npos == 0) {
        return usage_error(c, "%s", "fmt needs at least one FILE");
    }
    if (!load_catalog(c)) {
        return AZB_EXIT_BAD;
    }
    int rc = AZB_EXIT_OK;
    for (int i = 0; i < f.npos; i++) {
        const char *path = f.pos[i];
        azb_errors errs;
        azb_errors_init(&errs);
        azb_design *d = azb_design_load(path, c->cat, &errs);
        char *text = d != NULL ? azb_design_to_json(d) : NULL;
        FILE *in = d != NULL ? fopen(path, "rb") : NULL;
        char *old = NULL;
        size_t old_len = 0;
        if (in != NULL) {
            fseek(in, 0, SEEK_END);
            long n = ftell(in);
            fseek(in, 0, SEEK_SET);
            old = n >= 0 ? malloc((size_t)n + 1) : NULL;
            if (old != NULL) {
                old_len = fread(old, 1, (size_t)n, in);
            }
            fclose(in);
        }
        bool same = text != NULL && old != NULL && strlen(text) == old_len &&
                    memcmp(text, old, old_len) == 0;
        if (d == NULL) {
            print_errors(c, &errs);
            fprintf(c->err, "%s: not formatted: fix the problems above first\n", path);
            rc = AZB_EXIT_BAD;
        } else if (text == NULL) {
            fprintf(c->err, "%s: out of memory\n", path);
            rc = AZB_EXIT_BAD;
        } else if (f.check) {
            if (!same) {
                fprintf(c->out, "%s: not in canonical layout (run azboard fmt %s)\n", path, path);
                if (rc == AZB_EXIT_OK) {
                    rc = AZB_EXIT_DIFF;
                }
            }
        } else if (!same) {
            azb_errors werrs;
            azb_errors_init(&werrs);
            if (!azb_design_save(d, path, &werrs)) {
                print_errors(c, &werrs);
                rc = AZB_EXIT_BAD;
            } else {
                fprintf(c->out, "%s: formatted\n", path);
            }
            azb_errors_free(&werrs);
        }
        free(old);
        free(text);
        azb_design_destroy(d);
        azb_errors_free(&errs);
    }
    return rc;
}

/* ---- catalog ---- */

/* Money without exponents: $0.000016, $0.192, $18.25, $1,234.50 style not
 * needed here; list prices keep every significant digit the catalog has. */
static const char *usd(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.8f", v);
    char *dot = strchr(buf, '.');
    if (dot != NULL) {
        char *end = buf + strlen(buf) - 1;
        while (end > dot + 2 && *end == '0') {
            *end-- = '\0';
        }
        if (v >= 1.0 && end == dot + 2 && *end == '0' && *(end - 1) == '0') {
            *dot = '\0';
        }
    }
    return buf;
}

static const azb_price *main_price(const azb_sku *s)
{
    return s->nprices > 0 ? &s->prices[0] : NULL;
}

static void print_price(FILE *out, const azb_price *p)
{
    if (p == NULL) {
        fprintf(out, "%-30s", "-");
        return;
    }
    char buf[64];
    char m[40];
    snprintf(buf, sizeof(buf), "$%s/%s", usd(m, sizeof(m), p->usd), azb_price_unit_name(p->unit));
    fprintf(out, "%-30s", buf);
}

static void print_sla(FILE *out, const azb_sla *s)
{
    if (s->value > 0.0) {
        fprintf(out, "%8.3f%%", s->value * 100.0);
    } else {
        fprintf(out, "%9s", "-");
    }
}

static int catalog_kind(cli *c, const azb_kind *k)
{
    FILE *o = c->out;
    fprintf(o, "%s: %s (%s, %s)\n", k->id, k->name, azb_category_name(k->category), k->arm_type);
    fprintf(o, "capacity model: %s; default SKU %s\n", azb_capacity_model_name(k->capacity_model),
            k->nskus > 0 ? k->skus[k->default_sku].name : "-");
    for (int i = 0; i < k->nsettings; i++) {
        const azb_setting_def *s = &k->settings[i];
        fprintf(o, "  setting %-16s %s", s->name, s->description);
        if (s->type == AZB_SETTING_NUMBER) {
            fprintf(o, " [%.10g..%.10g %s, default %.10g]", s->min, s->max, s->unit, s->def);
        }
        fprintf(o, "\n");
    }
    for (int j = 0; j < k->nskus; j++) {
        const azb_sku *s = &k->skus[j];
        fprintf(o, "\n  %s (ARM %s) %s\n", s->name, s->arm_sku, s->description);
        const azb_capacity *cap = &s->capacity;
        if (k->capacity_model == AZB_CAP_SERVERS) {
            fprintf(o, "    capacity   %d concurrent per instance, %g ms mean (%s, cv %g)  [%s]\n",
                    cap->concurrency, cap->service_ms, azb_dist_name(cap->dist), cap->cv,
                    azb_tag_name(cap->prov.tag));
        } else if (k->capacity_model == AZB_CAP_QUOTA) {
            fprintf(o, "    capacity   quota %g %s, %g ms mean  [%s]\n", cap->quota,
                    azb_quota_unit_name(cap->quota_unit), cap->service_ms,
                    azb_tag_name(cap->prov.tag));
        }
        for (int p = 0; p < s->nprices; p++) {
            const azb_price *pr = &s->prices[p];
            char m[40];
            fprintf(o, "    price      %-22s $%s per %s", pr->item, usd(m, sizeof(m), pr->usd),
                    azb_price_unit_name(pr->unit));
            if (pr->free_qty > 0.0) {
                fprintf(o, " (%g %s free each month)", pr->free_qty, azb_price_unit_name(pr->unit));
            }
            fprintf(o, "  [%s %s]\n", azb_tag_name(pr->prov.tag),
                    pr->prov.source >= 0 ? c->cat->sources[pr->prov.source].id : "?");
        }
        if (s->sla.value > 0.0) {
            fprintf(o, "    sla        %.3f%%", s->sla.value * 100.0);
            if (s->sla.multi_instance > 0.0) {
                fprintf(o, ", %.3f%% with 2+ instances", s->sla.multi_instance * 100.0);
            }
            if (s->sla.zone_redundant > 0.0) {
                fprintf(o, ", %.3f%% across zones", s->sla.zone_redundant * 100.0);
            }
            fprintf(o, "  [%s %s]\n", azb_tag_name(s->sla.prov.tag),
                    s->sla.prov.source >= 0 ? c->cat->sources[s->sla.prov.source].id : "?");
        }
        for (int l = 0; l < s->nlimits; l++) {
            const azb_limit *lim = &s->limits[l];
            fprintf(o, "    limit      %-22s %.10g %s  [%s]\n", lim->name, lim->value, lim->unit,
                    azb_tag_name(lim->prov.tag));
        }
    }
    return AZB_EXIT_OK;
}

static int cmd_catalog(cli *c, int argc, char **argv)
{
    flags f;
    if (!parse_flags(c, argc, argv, &f, false)) {
        return AZB_EXIT_BAD;
    }
    if (f.npos > 1) {
        return usage_error(c, "catalog takes at most one KIND, got %s", f.pos[1]);
    }
    if (!load_catalog(c)) {
        return AZB_EXIT_BAD;
    }
    if (f.json) {
        return emit(c, azb_catalog_kinds_json(c->cat));
    }
    if (f.npos == 1) {
        const azb_kind *k = azb_catalog_find_kind(c->cat, f.pos[0]);
        if (k == NULL) {
            const char *near = azb_catalog_suggest_kind(c->cat, f.pos[0]);
            fprintf(c->err, "azboard: unknown kind \"%s\"%s%s%s\n", f.pos[0],
                    near ? "; did you mean " : "", near ? near : "", near ? "?" : "");
            return AZB_EXIT_BAD;
        }
        return catalog_kind(c, k);
    }
    FILE *o = c->out;
    int nskus = 0;
    fprintf(o, "%-16s %-10s %-26s %-30s %9s\n", "KIND", "CATEGORY", "SKU", "FIRST PRICE", "SLA");
    for (int i = 0; i < c->cat->nkinds; i++) {
        const azb_kind *k = &c->cat->kinds[i];
        for (int j = 0; j < k->nskus; j++) {
            const azb_sku *s = &k->skus[j];
            fprintf(o, "%-16s %-10s %-26s ", j == 0 ? k->id : "",
                    j == 0 ? azb_category_name(k->category) : "", s->name);
            print_price(o, main_price(s));
            fprintf(o, " ");
            print_sla(o, &s->sla);
            fprintf(o, "\n");
            nskus++;
        }
    }
    fprintf(o, "\n%d kinds, %d SKUs; USD list prices, %d sources. "
               "'azboard catalog KIND' shows every price, limit and source.\n",
            c->cat->nkinds, nskus, c->cat->nsources);
    return AZB_EXIT_OK;
}

/* ---- regions ---- */

static int cmd_regions(cli *c, int argc, char **argv)
{
    flags f;
    if (!parse_flags(c, argc, argv, &f, false)) {
        return AZB_EXIT_BAD;
    }
    if (f.npos > 0) {
        return usage_error(c, "regions takes no arguments, got %s", f.pos[0]);
    }
    if (!load_catalog(c)) {
        return AZB_EXIT_BAD;
    }
    if (f.json) {
        return emit(c, azb_catalog_regions_json(c->cat));
    }
    FILE *o = c->out;
    const azb_catalog *cat = c->cat;
    fprintf(o, "%-20s %-22s %-14s %-20s %5s\n", "REGION", "NAME", "GEOGRAPHY", "PAIRED", "ZONES");
    for (int i = 0; i < cat->nregions; i++) {
        const azb_region *r = &cat->regions[i];
        fprintf(o, "%-20s %-22s %-14s %-20s %5d\n", r->name, r->display, cat->geos[r->geo].id,
                r->paired[0] ? r->paired : "-", r->zones);
    }
    fprintf(o, "\nRound-trip latency between regions, median ms (rows: from):\n%-20s", "");
    for (int j = 0; j < cat->nregions; j++) {
        fprintf(o, " %5.5s", cat->regions[j].name);
    }
    fprintf(o, "\n");
    for (int i = 0; i < cat->nregions; i++) {
        fprintf(o, "%-20s", cat->regions[i].name);
        for (int j = 0; j < cat->nregions; j++) {
            if (i == j) {
                fprintf(o, " %5s", "-");
            } else {
                fprintf(o, " %5.0f", azb_catalog_rtt_ms(cat, i, j));
            }
        }
        fprintf(o, "\n");
    }
    fprintf(o, "\nWithin a region: %.1f ms between zones, %.1f ms within a zone.\n",
            cat->inter_zone_rtt_ms, cat->intra_zone_rtt_ms);
    fprintf(o, "'azboard regions --json' adds client-to-region latency and the sources.\n");
    return AZB_EXIT_OK;
}

/* ---- prompts and the default design ---- */

static azb_prompts *load_prompts(cli *c)
{
    char dir[4200];
    snprintf(dir, sizeof(dir), "%s/scenarios", c->data);
    azb_errors errs;
    azb_errors_init(&errs);
    azb_prompts *p = azb_prompts_load(dir, &errs);
    if (p == NULL) {
        fprintf(c->err, "azboard: the practice prompts in %s do not load:\n", dir);
        print_errors(c, &errs);
    }
    azb_errors_free(&errs);
    return p;
}

static int cmd_prompts(cli *c, int argc, char **argv)
{
    flags f;
    if (!parse_flags(c, argc, argv, &f, false)) {
        return AZB_EXIT_BAD;
    }
    if (f.npos > 0) {
        return usage_error(c, "prompts takes no arguments, got %s", f.pos[0]);
    }
    azb_prompts *p = load_prompts(c);
    if (p == NULL) {
        return AZB_EXIT_BAD;
    }
    FILE *o = c->out;
    if (f.json) {
        fprintf(o, "{\n  \"default\": \"%s\",\n  \"prompts\": [\n", p->items[p->default_index].id);
        for (int i = 0; i < p->count; i++) {
            const azb_prompt *q = &p->items[i];
            fprintf(o, "    {\"id\": \"%s\", \"level\": \"%s\", \"designs\": %d}%s\n", q->id,
                    q->level, q->ndesigns + 1, i + 1 < p->count ? "," : "");
        }
        fprintf(o, "  ]\n}\n");
    } else {
        fprintf(o, "%-20s %-9s %s\n", "PROMPT", "LEVEL", "TITLE");
        for (int i = 0; i < p->count; i++) {
            const azb_prompt *q = &p->items[i];
            fprintf(o, "%-20s %-9s %s%s\n", q->id, q->level, q->title,
                    i == p->default_index ? "  (default)" : "");
        }
    }
    azb_prompts_destroy(p);
    return AZB_EXIT_OK;
}

static int show_design(cli *c, const char *path)
{
    if (!load_catalog(c)) {
        return AZB_EXIT_BAD;
    }
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = azb_design_load(path, c->cat, &errs);
    print_errors(c, &errs);
    azb_errors_free(&errs);
    if (d == NULL) {
        return AZB_EXIT_BAD;
    }
    FILE *o = c->out;
    fprintf(o, "design   %s\n", d->name);
    if (d->has_prompt) {
        fprintf(o, "prompt   %s\n", d->prompt);
    }
    if (d->nscenarios > 0) {
        fprintf(o, "drills  ");
        for (int i = 0; i < d->nscenarios; i++) {
            fprintf(o, "%s %s", i > 0 ? "," : "", d->scenarios[i]);
        }
        fprintf(o, "  (azboard sim FILE --des --scenario NAME)\n");
    }
    fprintf(o, "nodes    %d, edges %d, groups %d\n\n", d->nnodes, d->nedges, d->ngroups);
    fprintf(o, "%-16s %-16s %-22s %5s %-16s %-6s %s\n", "NODE", "KIND", "SKU", "COUNT", "REGION",
            "ZONES", "LIST PRICE");
    for (int i = 0; i < d->nnodes; i++) {
        const azb_node *n = &d->nodes[i];
        char zones[16] = "-";
        for (int z = 0; z < n->nzones; z++) {
            size_t len = z == 0 ? 0 : strlen(zones);
            snprintf(zones + len, sizeof(zones) - len, "%s%d", z ? "," : "", n->zones[z]);
        }
        const azb_sku *s = n->sku_ref;
        fprintf(o, "%-16s %-16s %-22s %5d %-16s %-6s ", n->id, n->kind, s ? s->name : "-",
                n->count, n->region[0] ? n->region : "global", zones);
        if (s != NULL && s->nprices > 0) {
            for (int p = 0; p < s->nprices && p < 2; p++) {
                char m[40];
                fprintf(o, "%s$%s/%s", p ? ", " : "", usd(m, sizeof(m), s->prices[p].usd),
                        azb_price_unit_name(s->prices[p].unit));
            }
            if (s->nprices > 2) {
                fprintf(o, ", +%d more", s->nprices - 2);
            }
        } else {
            fprintf(o, "-");
        }
        fprintf(o, "\n");
    }
    if (d->workload.present) {
        fprintf(o, "\nworkload %g requests/s into %s", d->workload.rps,
                d->workload.entry[0] ? d->workload.entry : "the clients nodes");
        if (d->workload.has_profile) {
            fprintf(o, ", %s profile averaging %.4g requests/s",
                    azb_profile_type_name(d->workload.profile.type), azb_profile_average(&d->workload));
        }
        fprintf(o, "\n");
        for (int i = 0; i < d->workload.nops; i++) {
            const azb_operation *op = &d->workload.ops[i];
            fprintf(o, "  %-28s %5.1f%%%s\n", op->name, op->share * 100.0, op->write ? "  write" : "");
        }
    }
    azb_design_destroy(d);
    return AZB_EXIT_OK;
}

/* One design, loaded and run through every model. */
typedef struct analysis {
    azb_design *design;
    azb_result *result;
    azb_cost *cost;
    azb_availability *availability;
    azb_report_input in;
    azb_errors warnings; /* printed after the report, so it comes first */
} analysis;

static void analysis_free(analysis *a)
{
    azb_errors_free(&a->warnings);
    azb_availability_destroy(a->availability);
    azb_cost_destroy(a->cost);
    azb_result_destroy(a->result);
    azb_design_destroy(a->design);
    memset(a, 0, sizeof(*a));
}

static bool analyse(cli *c, const char *path, double rps, analysis *a)
{
    memset(a, 0, sizeof(*a));
    if (!load_catalog(c)) {
        return false;
    }
    azb_errors errs;
    azb_errors_init(&errs);
    a->design = azb_design_load(path, c->cat, &errs);
    if (a->design != NULL) {
        a->result = azb_model_run(a->design, c->cat, rps, &errs);
    }
    if (a->result != NULL) {
        a->cost = azb_cost_compute(a->design, c->cat, a->result, &errs);
        a->availability = azb_availability_compute(a->design, c->cat, a->result, &errs);
    }
    /* The models know no file names: say which design their records are about. */
    for (int i = 0; i < errs.count; i++) {
        if (errs.items[i].file[0] == '\0') {
            snprintf(errs.items[i].file, sizeof(errs.items[i].file), "%s", path);
        }
    }
    bool ok = a->result != NULL && a->cost != NULL && a->availability != NULL &&
              azb_errors_count_errors(&errs) == 0;
    if (!ok) {
        print_errors(c, &errs);
        azb_errors_free(&errs);
        analysis_free(a);
        return false;
    }
    a->warnings = errs;
    a->in = (azb_report_input){path, a->design, c->cat, a->result, a->cost, a->availability};
    return true;
}

static azb_report_format format_of(const flags *f)
{
    return f->json ? AZB_REPORT_JSON : (f->markdown ? AZB_REPORT_MARKDOWN : AZB_REPORT_TEXT);
}

static void print_warnings(cli *c, const analysis *a)
{
    print_errors(c, &a->warnings);
}

/* sim and cost: one design, the whole report or its cost lines. */
static int cmd_report(cli *c, int argc, char **argv, const char *name, bool cost_only)
{
    flags f;
    if (!parse_flags_ex(c, argc, argv, &f, FLAG_RPS | FLAG_MARKDOWN)) {
        return AZB_EXIT_BAD;
    }
    if (f.npos != 1) {
        return usage_error(c, "%s needs one FILE", name);
    }
    analysis a;
    if (!analyse(c, f.pos[0], f.rps, &a)) {
        return AZB_EXIT_BAD;
    }
    azb_report_format fmt = format_of(&f);
    int rc = emit(c, cost_only ? azb_report_cost(&a.in, fmt) : azb_report_sim(&a.in, fmt));
    print_warnings(c, &a);
    analysis_free(&a);
    return rc;
}

static int cmd_compare(cli *c, int argc, char **argv)
{
    flags f;
    if (!parse_flags_ex(c, argc, argv, &f, FLAG_RPS | FLAG_MARKDOWN)) {
        return AZB_EXIT_BAD;
    }
    if (f.npos != 2) {
        return usage_error(c, "%s", "compare needs two FILEs");
    }
    analysis a;
    analysis b;
    if (!analyse(c, f.pos[0], f.rps, &a)) {
        return AZB_EXIT_BAD;
    }
    if (!analyse(c, f.pos[1], f.rps, &b)) {
        analysis_free(&a);
        return AZB_EXIT_BAD;
    }
    int rc = emit(c, azb_report_compare(&a.in, &b.in, format_of(&f)));
    print_warnings(c, &a);
    print_warnings(c, &b);
    analysis_free(&a);
    analysis_free(&b);
    return rc;
}

static int cmd_show(cli *c, int argc, char **argv)
{
    flags f;
    if (!parse_flags(c, argc, argv, &f, false)) {
        return AZB_EXIT_BAD;
    }
    if (f.npos != 1) {
        return usage_error(c, "%s", "show needs one FILE");
    }
    return show_design(c, f.pos[0]);
}

static int cmd_open(cli *c, const char *path, bool window)
{
    if (window) {
        int wrc = wb_open_main(path, c->data, c->err);
        if (wrc >= 0) {
            return wrc;
        }
    }
    char starter[AZB_PATH_MAX + 64];
    if (path == NULL) {
        azb_prompts *p = load_prompts(c);
        if (p == NULL) {
            return AZB_EXIT_BAD;
        }
        const azb_prompt *q = &p->items[p->default_index];
        snprintf(starter, sizeof(starter), "%s", q->starter);
        fprintf(c->out, "Practice prompt: %s\n%s\n\n", q->title, q->summary);
        azb_prompts_destroy(p);
        path = starter;
    }
    analysis a;
    if (!analyse(c, path, 0.0, &a)) {
        return AZB_EXIT_BAD;
    }
    int rc = emit(c, azb_report_sim(&a.in, AZB_REPORT_TEXT));
    print_warnings(c, &a);
    analysis_free(&a);
    if (rc == AZB_EXIT_OK) {
        fprintf(c->out,
                "\nThis is the report; the whiteboard opens where there is a display.\n"
                "Try a load with 'azboard sim FILE --rps N', weigh two designs with "
                "'azboard compare A B'.\n");
    }
    return rc;
}

static bool has_arg(int argc, char **argv, const char *arg)
{
    for (int i = 0; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], arg) == 0) {
            return true;
        }
    }
    return false;
}

int azb_cli_main(int argc, char **argv, FILE *out, FILE *err)
{
    cli c;
    memset(&c, 0, sizeof(c));
    c.out = out;
    c.err = err;
    azb_cli_data_dir(c.data, sizeof(c.data));
    int rc = AZB_EXIT_OK;
    const char *cmd = argc > 1 ? argv[1] : NULL;
    int rest_argc = argc > 2 ? argc - 2 : 0;
    char **rest = argv + 2;
    if (cmd == NULL) {
        rc = cmd_open(&c, NULL, true);
    } else if (strcmp(cmd, "--no-window") == 0 && argc <= 3) {
        rc = cmd_open(&c, argc == 3 ? argv[2] : NULL, false);
    } else if (strcmp(cmd, "render") == 0) {
        rc = wb_render_main(rest_argc, rest, c.data, out, err);
    } else if (strcmp(cmd, "help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        fputs(usage_text, out);
    } else if (strcmp(cmd, "version") == 0 || strcmp(cmd, "-V") == 0 ||
               strcmp(cmd, "--version") == 0) {
        fprintf(out, "azboard %s\n", AZB_VERSION);
        if (strcmp(cmd, "version") == 0) {
            fprintf(out, "data: %s\n", c.data);
        }
    } else if (strcmp(cmd, "validate") == 0) {
        rc = cmd_validate(&c, rest_argc, rest);
    } else if (strcmp(cmd, "fmt") == 0) {
        rc = cmd_fmt(&c, rest_argc, rest);
    } else if (strcmp(cmd, "catalog") == 0) {
        rc = cmd_catalog(&c, rest_argc, rest);
    } else if (strcmp(cmd, "regions") == 0) {
        rc = cmd_regions(&c, rest_argc, rest);
    } else if (strcmp(cmd, "prompts") == 0) {
        rc = cmd_prompts(&c, rest_argc, rest);
    } else if (strcmp(cmd, "sim") == 0 && has_arg(rest_argc, rest, "--des")) {
        rc = azb_cli_sim_des(c.data, rest_argc, rest, out, err);
    } else if (strcmp(cmd, "sim") == 0) {
        rc = cmd_report(&c, rest_argc, rest, "sim", false);
    } else if (strcmp(cmd, "cost") == 0) {
        rc = cmd_report(&c, rest_argc, rest, "cost", true);
    } else if (strcmp(cmd, "compare") == 0) {
        rc = cmd_compare(&c, rest_argc, rest);
    } else if (strcmp(cmd, "show") == 0) {
        rc = cmd_show(&c, rest_argc, rest);
    } else if (cmd[0] == '-') {
        rc = usage_error(&c, "unknown option %s", cmd);
    } else if (argc == 2) {
        rc = cmd_open(&c, cmd, true);
    } else {
        rc = usage_error(&c, "unknown command \"%s\"", cmd);
    }
    azb_catalog_destroy(c.cat);
    return rc;
}
