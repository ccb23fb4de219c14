/* Shared helpers for the engine tests. */
#ifndef AZBT_H
#define AZBT_H

#include <stddef.h>

#include "azb_catalog.h"
#include "azb_error.h"

/* Read a whole file; aborts the test run when it cannot. */
char *azbt_read(const char *path, size_t *len);
/* The shipped catalog (assets/ of the source tree), loaded once per call;
 * the caller destroys it. Prints every error and fails when it will not load. */
azb_catalog *azbt_catalog(void);
/* Print an error list to stderr (for failing assertions). */
void azbt_print_errors(const azb_errors *errs);
/* True when some record's formatted text contains `needle`. */
int azbt_errors_contain(const azb_errors *errs, const char *needle);

#endif
