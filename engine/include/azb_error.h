/*
 * azb_error: the error record every loader fills.
 *
 * Model. Bad external data (a design, a catalog, a scenario) is not a bug:
 * loaders return false and append records to an azb_errors list, one per
 * problem, so a user sees every mistake in one run. Each record carries the
 * file, the 1-based line and column of the offending JSON value (0 when no
 * position applies, such as a missing file), the JSON path in the form
 * `nodes[3].sku`, and a message. Broken contracts inside the program (a NULL
 * handle) are asserts, never records.
 *
 * Ownership. azb_errors owns its array; azb_errors_free releases it. The list
 * keeps at most AZB_ERRORS_MAX records and counts the rest in `dropped`, so a
 * file with a million mistakes cannot exhaust memory. Warnings (unknown keys
 * that were kept, for example) live in the same list with `warning` set; they
 * never make a loader fail.
 */
#ifndef AZB_ERROR_H
#define AZB_ERROR_H

#include <stdbool.h>
#include <stddef.h>

#define AZB_ERRORS_MAX 200

typedef struct azb_error {
    char file[256];
    int line;          /* 1-based; 0 when unknown */
    int col;           /* 1-based; 0 when unknown */
    char path[160];    /* JSON path, "" for the whole file */
    char message[320];
    bool warning;
} azb_error;

typedef struct azb_errors {
    azb_error *items;
    int count;
    int cap;
    int dropped;       /* records past AZB_ERRORS_MAX, counted not kept */
    int dropped_errors; /* how many of those were errors (not warnings) */
} azb_errors;

void azb_errors_init(azb_errors *errs);
void azb_errors_free(azb_errors *errs);
void azb_errors_clear(azb_errors *errs);

/* Append a record; printf-style message. Returns the record or NULL when the
 * list is full (the record is then only counted). */
azb_error *azb_errors_add(azb_errors *errs, bool warning, const char *file, int line,
                          int col, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* Order the records from index `from` on by file position (line, column),
 * keeping the order of records at the same place; records without a
 * position keep their place before the located ones. */
void azb_errors_sort(azb_errors *errs, int from);

/* Number of records that are errors (not warnings), dropped ones included. */
int azb_errors_count_errors(const azb_errors *errs);

/* "FILE:LINE:COL: PATH: message" (parts that are unknown are left out, and a
 * warning says "warning: " before the message). Returns the length it
 * wanted, like snprintf. */
int azb_error_format(const azb_error *e, char *buf, size_t size);

#endif
