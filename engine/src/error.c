#include "azb_error.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void azb_errors_init(azb_errors *errs)
{
    assert(errs != NULL);
    memset(errs, 0, sizeof(*errs));
}

void azb_errors_free(azb_errors *errs)
{
    assert(errs != NULL);
    free(errs->items);
    memset(errs, 0, sizeof(*errs));
}

void azb_errors_clear(azb_errors *errs)
{
    assert(errs != NULL);
    errs->count = 0;
    errs->dropped = 0;
    errs->dropped_errors = 0;
}

static void copy_str(char *dst, size_t size, const char *src)
{
    if (src == NULL) {
        src = "";
    }
    size_t n = strlen(src);
    if (n >= size) {
        n = size - 1;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

azb_error *azb_errors_add(azb_errors *errs, bool warning, const char *file, int line,
                          int col, const char *path, const char *fmt, ...)
{
    assert(errs != NULL && fmt != NULL);
    if (errs->count >= AZB_ERRORS_MAX) {
        errs->dropped++;
        errs->dropped_errors += warning ? 0 : 1;
        return NULL;
    }
    if (errs->count == errs->cap) {
        int cap = errs->cap == 0 ? 8 : errs->cap * 2;
        azb_error *items = realloc(errs->items, (size_t)cap * sizeof(*items));
        if (items == NULL) {
            errs->dropped++;
            errs->dropped_errors += warning ? 0 : 1;
            return NULL;
        }
        errs->items = items;
        errs->cap = cap;
    }
    azb_error *e = &errs->items[errs->count++];
    memset(e, 0, sizeof(*e));
    copy_str(e->file, sizeof(e->file), file);
    copy_str(e->path, sizeof(e->path), path);
    e->line = line;
    e->col = col;
    e->warning = warning;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
    return e;
}

int azb_errors_count_errors(const azb_errors *errs)
{
    assert(errs != NULL);
    int n = errs->dropped_errors;
    for (int i = 0; i < errs->count; i++) {
        if (!errs->items[i].warning) {
            n++;
        }
    }
    return n;
}

int azb_error_format(const azb_error *e, char *buf, size_t size)
{
    assert(e != NULL && buf != NULL);
    char where[320] = "";
    if (e->file[0] != '\0' && e->line > 0) {
        snprintf(where, sizeof(where), "%s:%d:%d: ", e->file, e->line, e->col);
    } else if (e->file[0] != '\0') {
        snprintf(where, sizeof(where), "%s: ", e->file);
    }
    return snprintf(buf, size, "%s%s%s%s%s", where, e->path, e->path[0] ? ": " : "",
                    e->warning ? "warning: " : "", e->message);
}

void azb_errors_sort(azb_errors *errs, int from)
{
    assert(errs != NULL);
    /* Insertion sort: stable, and error lists are short (AZB_ERRORS_MAX). */
    for (int i = from + 1; i < errs->count; i++) {
        azb_error key = errs->items[i];
        int j = i - 1;
        while (j >= from && (errs->items[j].line > key.line ||
                             (errs->items[j].line == key.line && errs->items[j].col > key.col))) {
            errs->items[j + 1] = errs->items[j];
            j--;
        }
        errs->items[j + 1] = key;
    }
}
