/* Shared helpers for the engine tests. */
#ifndef AZBT_H
#define AZBT_H

#include <stdbool.h>
#include <stddef.h>

#include "azb_catalog.h"
#include "azb_design.h"
#include "azb_error.h"
#include "azb_model.h"

#include "azbi_json.h"

struct cJSON;

/* The engine's growing string (azbi_json.h); zero-initialise, free .data.
 * The azbt_ wrappers fail the test on out of memory. */
typedef azbi_buf azbt_buf;

/* A JSON file parsed (the caller deletes it with cJSON_Delete); fails the
 * test when it cannot be read or parsed. */
struct cJSON *azbt_read_json(const char *path);
/* Read a whole file; aborts the test run when it cannot. */
char *azbt_read(const char *path, size_t *len);
/* The shipped catalog (assets/ of the source tree), loaded once per call;
 * the caller destroys it. Prints every error and fails when it will not load. */
azb_catalog *azbt_catalog(void);
/* cmocka group setup: *state = azbt_catalog(). */
int azbt_setup_catalog(void **state);
/* cmocka group teardown: destroys the catalog in *state. */
int azbt_teardown_catalog(void **state);
/* Print an error list to stderr (for failing assertions). */
void azbt_print_errors(const azb_errors *errs);
/* The first record whose formatted text contains `needle`, or NULL. */
const azb_error *azbt_find_error(const azb_errors *errs, const char *needle);
/* True when some record's formatted text contains `needle`. */
int azbt_errors_contain(const azb_errors *errs, const char *needle);

/* Append n bytes of s to b. */
void azbt_buf_put(azbt_buf *b, const char *s, size_t n);
/* Append the string s to b. */
void azbt_buf_puts(azbt_buf *b, const char *s);
/* Append printf-formatted text (any length) to b. */
void azbt_buf_printf(azbt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A malloc'd copy of s with single quotes turned into double quotes. */
char *azbt_dq(const char *s);
/* text with its first `find` replaced by `repl` (malloc'd; NULL if absent); sets *at if non-NULL.
 */
char *azbt_replace_first(const char *text, const char *find, const char *repl, size_t *at);
/* Offset in text of the nth (0-based) match of `at` (' for ", a '^' marks the spot); false if none.
 */
bool azbt_find_marked(const char *text, const char *at, int nth, size_t *off);
/* 1-based line and column of byte `off`; UTF-8 continuation bytes do not advance the column. */
void azbt_linecol(const char *text, size_t off, int *line, int *col);

/* A fresh directory "$TMPDIR/<prefix>XXXXXX" (TMPDIR unset: /tmp), malloc'd path. */
char *azbt_tempdir(const char *prefix);
/* Remove dir and everything under it (best effort; subdirectories are chmod'ed 0700 first). */
void azbt_remove_tree(const char *dir);

/* 0 when got is finite and within rel (relative) or abs_tol of expected; else prints, returns 1. */
int azbt_near(const char *where, const char *field, double expected, double got, double rel,
              double abs_tol);
/* 0 when ok, else prints "where: expected what" and returns 1. */
int azbt_truth(const char *where, const char *what, int ok);
/* The number `key` of a JSON object; fails the test when it is not a number. */
double azbt_num(const struct cJSON *obj, const char *key);
/* The case of erlang_reference.json's "cases" with c servers at utilisation
 * rho, or NULL when the file has none. */
const struct cJSON *azbt_erlang_case(const struct cJSON *cases, int c, double rho);

/* A design from nodes/edges/workload JSON fragments (' for "); an error prints and fails. */
azb_design *azbt_design(const azb_catalog *cat, const char *nodes, const char *edges,
                        const char *workload);
/* azb_model_run at rps; a failure prints its errors and fails the test. */
azb_result *azbt_run(const azb_design *d, const azb_catalog *cat, double rps);
/* Index of the node `id` of d; fails the test when there is none. */
int azbt_node_of(const azb_design *d, const char *id);

#endif
