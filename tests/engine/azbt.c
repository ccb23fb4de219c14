#include "azbt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *azbt_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "azbt_read: cannot open %s\n", path);
        abort();
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "azbt_read: cannot read %s\n", path);
        abort();
    }
    buf[n] = '\0';
    fclose(f);
    if (len != NULL) {
        *len = (size_t)n;
    }
    return buf;
}

void azbt_print_errors(const azb_errors *errs)
{
    for (int i = 0; i < errs->count; i++) {
        char line[1024];
        azb_error_format(&errs->items[i], line, sizeof(line));
        fprintf(stderr, "  %s\n", line);
    }
}

int azbt_errors_contain(const azb_errors *errs, const char *needle)
{
    for (int i = 0; i < errs->count; i++) {
        char line[1024];
        azb_error_format(&errs->items[i], line, sizeof(line));
        if (strstr(line, needle) != NULL) {
            return 1;
        }
    }
    return 0;
}

azb_catalog *azbt_catalog(void)
{
    azb_errors errs;
    azb_errors_init(&errs);
    azb_catalog *cat = azb_catalog_load_dir(AZB_SOURCE_DATA, &errs);
    if (cat == NULL) {
        fprintf(stderr, "the shipped catalog does not load:\n");
        azbt_print_errors(&errs);
        azb_errors_free(&errs);
        abort();
    }
    azb_errors_free(&errs);
    return cat;
}
