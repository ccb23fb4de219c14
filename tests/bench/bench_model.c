/*
 * bench_model: how long the analytic model takes on big designs.
 *
 * Generates designs of 100, 1,000 and 10,000 nodes (or the sizes given on
 * the command line), each a realistic service graph: users in two
 * geographies behind Front Door, then "cells" of ten nodes (gateway, API,
 * cache with hits and misses, database, a microservice, a queue, a worker,
 * blob storage and Cosmos DB with their stored GB, Azure OpenAI) spread
 * over four regions, each cell's API calling two child cells with
 * probability 0.2, with three API operations taking different edges.
 * Every size is parsed and validated once, outside the clock; then:
 *   - cold: azb_model_run (allocates, runs, frees);
 *   - warm: azb_model_update into a reused result, the whiteboard's path
 *     (the offered load changes on every run, so nothing is cached);
 *   - full: the whole analytic result as `azboard sim` computes it, minus
 *     loading and printing: azb_model_run, azb_cost_compute and
 *     azb_availability_compute into one error list, then all freed; with
 *     the cost and the availability parts of it on their own lines.
 * Each is run N times (default 51, or AZB_BENCH_RUNS) and the median, the
 * minimum and the 90th percentile printed, with the memory of the model's
 * result and of the full one.
 *
 * Not a ctest: run it by hand (tests/bench/run.sh, see README.md).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "azb_availability.h"
#include "azb_catalog.h"
#include "azb_cost.h"
#include "azb_design.h"
#include "azb_model.h"

typedef struct text {
    char *s;
    size_t len;
    size_t cap;
} text;

static void put(text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        if (t->s == NULL) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
    }
    memcpy(t->s + t->len, s, n + 1);
    t->len += n;
}

static const char *const regions[] = {"eastus", "westeurope", "westus2", "northeurope"};

/* One cell of ten nodes, c = its number. */
static void cell(text *nodes, text *edges, int c)
{
    char b[2048];
    const char *r = regions[c % 4];
    snprintf(
        b, sizeof(b),
        ",{\"id\": \"gw%d\", \"kind\": \"app_gateway\", \"count\": 4, \"region\": \"%s\", "
        "\"zones\": [1, 2, 3]}"
        ",{\"id\": \"api%d\", \"kind\": \"aks\", \"count\": 6, \"region\": \"%s\", \"zones\": [1, "
        "2, 3], "
        "\"autoscale\": {\"min\": 3, \"max\": 30, \"target\": 0.6}}"
        ",{\"id\": \"cache%d\", \"kind\": \"redis\", \"region\": \"%s\", \"zones\": [1], "
        "\"hit_ratio\": 0.85}"
        ",{\"id\": \"db%d\", \"kind\": \"sql_database\", \"sku\": \"BC_Gen5_4\", \"count\": 2, "
        "\"region\": \"%s\", \"balancing\": \"least_connections\"}"
        ",{\"id\": \"svc%d\", \"kind\": \"vm\", \"count\": 3, \"region\": \"%s\", \"zones\": [1, "
        "2]}"
        ",{\"id\": \"bus%d\", \"kind\": \"service_bus\", \"sku\": \"Premium\", \"region\": \"%s\"}"
        ",{\"id\": \"worker%d\", \"kind\": \"functions\", \"sku\": \"Premium_EP1\", \"count\": 4, "
        "\"region\": \"%s\"}"
        ",{\"id\": \"blob%d\", \"kind\": \"blob_storage\", \"region\": \"%s\", \"stored_gb\": 500}"
        ",{\"id\": \"cosmos%d\", \"kind\": \"cosmos_db\", \"region\": \"%s\", \"ru_per_s\": 20000, "
        "\"stored_gb\": 50}"
        ",{\"id\": \"llm%d\", \"kind\": \"azure_openai\", \"region\": \"%s\", \"tpm\": 2000000}",
        c, r, c, r, c, r, c, r, c, r, c, r, c, r, c, r, c, r, c, r);
    put(nodes, b);
    snprintf(
        b, sizeof(b),
        ",{\"from\": \"gw%d\", \"to\": \"api%d\"}"
        ",{\"from\": \"api%d\", \"to\": \"cache%d\", \"ops\": [\"GET /items\"]}"
        ",{\"from\": \"cache%d\", \"to\": \"db%d\", \"on\": \"miss\"}"
        ",{\"from\": \"api%d\", \"to\": \"db%d\", \"ops\": [\"PUT /items\"], \"calls\": 2}"
        ",{\"from\": \"api%d\", \"to\": \"svc%d\", \"p\": 0.5}"
        ",{\"from\": \"svc%d\", \"to\": \"cosmos%d\", \"calls\": 3}"
        ",{\"from\": \"api%d\", \"to\": \"bus%d\", \"mode\": \"async\", \"ops\": [\"PUT /items\"]}"
        ",{\"from\": \"bus%d\", \"to\": \"worker%d\", \"mode\": \"async\"}"
        ",{\"from\": \"worker%d\", \"to\": \"blob%d\"}"
        ",{\"from\": \"api%d\", \"to\": \"llm%d\", \"ops\": [\"POST /ask\"], \"p\": 0.1}",
        c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c);
    put(edges, b);
}

/* Two clients, Front Door, then cells; cells 0 and 1 are the roots Front
 * Door routes to, and cell i's API calls cells 2i and 2i + 1 (a binary
 * tree of services). */
static char *generate(int nnodes)
{
    text nodes = {0};
    text edges = {0};
    put(&nodes,
        "{\"id\": \"na\", \"kind\": \"clients\", \"geo\": \"north-america\", \"share\": 0.6}"
        ",{\"id\": \"eu\", \"kind\": \"clients\", \"geo\": \"europe\", \"share\": 0.4}"
        ",{\"id\": \"fd\", \"kind\": \"front_door\", \"sku\": \"Premium\"}");
    put(&edges, "{\"from\": \"na\", \"to\": \"fd\"}, {\"from\": \"eu\", \"to\": \"fd\"}"
                ",{\"from\": \"fd\", \"to\": \"gw0\", \"p\": 0.5}"
                ",{\"from\": \"fd\", \"to\": \"gw1\", \"p\": 0.5}");
    int ncells = (nnodes - 3) / 10;
    if (ncells < 2) {
        ncells = 2;
    }
    for (int c = 0; c < ncells; c++) {
        cell(&nodes, &edges, c);
    }
    for (int c = 1; c < ncells; c++) {
        for (int k = 0; k < 2; k++) {
            int child = 2 * c + k;
            if (child < ncells) {
                char b[128];
                snprintf(b, sizeof(b), ",{\"from\": \"api%d\", \"to\": \"gw%d\", \"p\": 0.2}", c,
                         child);
                put(&edges, b);
            }
        }
    }
    text all = {0};
    put(&all, "{\"format\": \"azboard/design\", \"version\": 1, \"name\": \"bench\", \"nodes\": [");
    put(&all, nodes.s);
    put(&all, "], \"edges\": [");
    put(&all, edges.s);
    put(&all,
        "], \"workload\": {\"rps\": 200, \"operations\": ["
        "{\"name\": \"GET /items\", \"share\": 0.7},"
        "{\"name\": \"PUT /items\", \"share\": 0.2, \"write\": true},"
        "{\"name\": \"POST /ask\", \"share\": 0.1, \"tokens_in\": 800, \"tokens_out\": 150}]}}");
    free(nodes.s);
    free(edges.s);
    return all.s;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, double *t, int n)
{
    qsort(t, (size_t)n, sizeof(double), cmp);
    printf("  %-7s median %9.3f ms   min %9.3f   p90 %9.3f\n", what, t[n / 2], t[0],
           t[(n * 9) / 10]);
}

/* Bytes of heap in use (glibc's allocator statistics; 0 elsewhere). */
static size_t heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
#else
    return 0;
#endif
}

int main(int argc, char **argv)
{
    const char *data = getenv("AZBOARD_DATA");
    if (data == NULL || data[0] == '\0') {
        data = ".";
    }
    int runs = 51;
    if (getenv("AZB_BENCH_RUNS") != NULL) {
        runs = atoi(getenv("AZB_BENCH_RUNS"));
        runs = runs > 0 ? runs : 51;
    }
    azb_errors errs;
    azb_errors_init(&errs);
    azb_catalog *cat = azb_catalog_load_dir(data, &errs);
    if (cat == NULL) {
        fprintf(stderr, "cannot load the catalog from %s (set AZBOARD_DATA to the source tree)\n",
                data);
        return 2;
    }
    int sizes[16] = {100, 1000, 10000};
    int nsizes = 3;
    if (argc > 1) {
        nsizes = 0;
        for (int i = 1; i < argc && nsizes < 16; i++) {
            sizes[nsizes++] = atoi(argv[i]);
        }
    }
    double *t = malloc((size_t)runs * sizeof(double));
    double *t_cost = malloc((size_t)runs * sizeof(double));
    double *t_avail = malloc((size_t)runs * sizeof(double));
    if (t == NULL || t_cost == NULL || t_avail == NULL) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    for (int s = 0; s < nsizes; s++) {
        char *json = generate(sizes[s]);
        azb_errors_clear(&errs);
        azb_design *d = azb_design_parse(json, strlen(json), "bench.json", cat, &errs);
        free(json);
        if (d == NULL) {
            char line[1024];
            for (int i = 0; i < errs.count; i++) {
                azb_error_format(&errs.items[i], line, sizeof(line));
                fprintf(stderr, "%s\n", line);
            }
            return 2;
        }
        printf("%d nodes, %d edges, %d operations, %d runs\n", d->nnodes, d->nedges,
               d->workload.nops, runs);
        for (int i = 0; i < runs; i++) {
            double t0 = now_ms();
            azb_result *r = azb_model_run(d, cat, 150.0 + (double)i, NULL);
            t[i] = now_ms() - t0;
            if (r == NULL) {
                fprintf(stderr, "model failed\n");
                return 2;
            }
            azb_result_destroy(r);
        }
        report("cold", t, runs);
        size_t before = heap_in_use();
        azb_result *r = azb_model_reserve(d);
        size_t bytes = heap_in_use() - before;
        for (int i = 0; i < runs; i++) {
            double t0 = now_ms();
            azb_model_update(r, d, cat, 150.0 + (double)i, NULL);
            t[i] = now_ms() - t0;
        }
        report("warm", t, runs);
        printf("  result: max %.1f rps (bottleneck %s), p99 %.1f ms%s\n", r->max_throughput_rps,
               r->bottleneck >= 0 ? d->nodes[r->bottleneck].id : "-", r->latency.p99,
               r->fitted ? " (moment fit)" : "");
        printf("  memory: %.1f KB for the result and its buffers (%.0f bytes a node)\n",
               (double)bytes / 1024.0, (double)bytes / (double)d->nnodes);
        azb_result_destroy(r);

        /* The CLI's path (ui/cli.c analyse): one error list for the three,
         * warnings formatted as they come; emptied outside the clock. */
        size_t full_bytes = 0;
        int nitems = 0;
        int nwarnings = 0;
        double monthly = 0.0;
        double sla = 0.0;
        int weakest = -1;
        for (int i = 0; i < runs; i++) {
            azb_errors_clear(&errs);
            size_t heap0 = heap_in_use();
            double t0 = now_ms();
            azb_result *fr = azb_model_run(d, cat, 150.0 + (double)i, &errs);
            double t1 = now_ms();
            azb_cost *fc = fr != NULL ? azb_cost_compute(d, cat, fr, &errs) : NULL;
            double t2 = now_ms();
            azb_availability *fa = fr != NULL ? azb_availability_compute(d, cat, fr, &errs) : NULL;
            double t3 = now_ms();
            if (fr == NULL || fc == NULL || fa == NULL || azb_errors_count_errors(&errs) > 0) {
                fprintf(stderr, "the full result failed\n");
                return 2;
            }
            t[i] = t3 - t0;
            t_cost[i] = t2 - t1;
            t_avail[i] = t3 - t2;
            full_bytes = heap_in_use() - heap0;
            nitems = fc->nitems;
            nwarnings = errs.count;
            monthly = fc->monthly_usd;
            sla = fa->sla;
            weakest = fa->weakest;
            azb_availability_destroy(fa);
            azb_cost_destroy(fc);
            azb_result_destroy(fr);
        }
        report("full", t, runs);
        report(" cost", t_cost, runs);
        report(" avail", t_avail, runs);
        printf("  full result: $%.2f a month in %d cost lines, availability %.6f (weakest %s), "
               "%d warnings\n",
               monthly, nitems, sla, weakest >= 0 ? d->nodes[weakest].id : "-", nwarnings);
        printf("  memory: %.1f KB for the full result: model, cost, availability (%.0f bytes a "
               "node)\n",
               (double)full_bytes / 1024.0, (double)full_bytes / (double)d->nnodes);
        azb_design_destroy(d);
    }
    free(t_avail);
    free(t_cost);
    free(t);
    azb_catalog_destroy(cat);
    azb_errors_free(&errs);
    return 0;
}
