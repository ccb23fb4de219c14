#define _POSIX_C_SOURCE 200809L
#include "azbt.h"

#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

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

cJSON *azbt_read_json(const char *path)
{
    size_t len = 0;
    char *text = azbt_read(path, &len);
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    assert_non_null(doc);
    return doc;
}

void azbt_print_errors(const azb_errors *errs)
{
    for (int i = 0; i < errs->count; i++) {
        char line[1024];
        azb_error_format(&errs->items[i], line, sizeof(line));
        fprintf(stderr, "  %s\n", line);
    }
}

const azb_error *azbt_find_error(const azb_errors *errs, const char *needle)
{
    for (int i = 0; i < errs->count; i++) {
        char line[1024];
        azb_error_format(&errs->items[i], line, sizeof(line));
        if (strstr(line, needle) != NULL) {
            return &errs->items[i];
        }
    }
    return NULL;
}

int azbt_errors_contain(const azb_errors *errs, const char *needle)
{
    return azbt_find_error(errs, needle) != NULL;
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

int azbt_setup_catalog(void **state)
{
    *state = azbt_catalog();
    return 0;
}

int azbt_teardown_catalog(void **state)
{
    azb_catalog_destroy(*state);
    return 0;
}

/* ---- strings ---- */

void azbt_buf_put(azbt_buf *b, const char *s, size_t n)
{
    azbi_buf_put(b, s, n);
    assert_false(b->oom);
}

void azbt_buf_puts(azbt_buf *b, const char *s)
{
    azbt_buf_put(b, s, strlen(s));
}

void azbt_buf_printf(azbt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    char *tmp = malloc((size_t)n + 1);
    assert_non_null(tmp);
    vsnprintf(tmp, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    azbt_buf_put(b, tmp, (size_t)n);
    free(tmp);
}

char *azbt_dq(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    assert_non_null(out);
    for (size_t i = 0; i <= n; i++) {
        out[i] = s[i] == '\'' ? '"' : s[i];
    }
    return out;
}

char *azbt_replace_first(const char *text, const char *find, const char *repl, size_t *at)
{
    const char *hit = strstr(text, find);
    if (hit == NULL) {
        return NULL;
    }
    size_t pre = (size_t)(hit - text);
    size_t flen = strlen(find);
    size_t rlen = strlen(repl);
    size_t tail = strlen(hit + flen);
    char *out = malloc(pre + rlen + tail + 1);
    assert_non_null(out);
    memcpy(out, text, pre);
    memcpy(out + pre, repl, rlen);
    memcpy(out + pre + rlen, hit + flen, tail + 1);
    if (at != NULL) {
        *at = pre;
    }
    return out;
}

bool azbt_find_marked(const char *text, const char *at, int nth, size_t *off)
{
    char *pat = azbt_dq(at);
    char *caret = strchr(pat, '^');
    size_t shift = 0;
    if (caret != NULL) {
        shift = (size_t)(caret - pat);
        memmove(caret, caret + 1, strlen(caret + 1) + 1);
    }
    const char *hit = text;
    for (int k = 0; hit != NULL && k <= nth; k++) {
        hit = strstr(k == 0 ? text : hit + 1, pat);
    }
    free(pat);
    if (hit == NULL) {
        return false;
    }
    *off = (size_t)(hit - text) + shift;
    return true;
}

void azbt_linecol(const char *text, size_t off, int *line, int *col)
{
    int l = 1;
    int c = 1;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)text[i] & 0xC0u) != 0x80u) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* ---- temporary directories ---- */

char *azbt_tempdir(const char *prefix)
{
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof(tmpl), "%s/%sXXXXXX", base != NULL && base[0] != '\0' ? base : "/tmp",
             prefix);
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char *copy = malloc(strlen(dir) + 1);
    assert_non_null(copy);
    strcpy(copy, dir);
    return copy;
}

void azbt_remove_tree(const char *dir)
{
    DIR *dh = opendir(dir);
    if (dh == NULL) {
        return;
    }
    for (struct dirent *de = readdir(dh); de != NULL; de = readdir(dh)) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
            continue;
        }
        azbt_buf p = {0};
        azbt_buf_printf(&p, "%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(p.data, &st) == 0 && S_ISDIR(st.st_mode)) {
            chmod(p.data, 0700);
            azbt_remove_tree(p.data);
        } else {
            unlink(p.data);
        }
        free(p.data);
    }
    closedir(dh);
    rmdir(dir);
}

/* ---- figures ---- */

int azbt_near(const char *where, const char *field, double expected, double got, double rel,
              double abs_tol)
{
    double err = fabs(got - expected);
    if (isfinite(got) && (err <= abs_tol || err <= rel * fabs(expected))) {
        return 0;
    }
    double rerr = expected != 0.0 ? err / fabs(expected) : err;
    print_error("%s: %s expected %.17g got %.17g (abs err %.3g, rel err %.3g, tol rel %.1g)\n",
                where, field, expected, got, err, rerr, rel);
    return 1;
}

int azbt_truth(const char *where, const char *what, int ok)
{
    if (!ok) {
        print_error("%s: expected %s\n", where, what);
    }
    return ok ? 0 : 1;
}

double azbt_num(const struct cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsNumber(v)) {
        fail_msg("reference: missing number %s", key);
    }
    return v->valuedouble;
}

const cJSON *azbt_erlang_case(const cJSON *cases, int c, double rho)
{
    const cJSON *cs = NULL;
    cJSON_ArrayForEach(cs, cases)
    {
        if ((int)azbt_num(cs, "c") == c && fabs(azbt_num(cs, "rho") - rho) < 1e-9) {
            return cs;
        }
    }
    return NULL;
}

/* ---- designs and runs ---- */

azb_design *azbt_design(const azb_catalog *cat, const char *nodes, const char *edges,
                        const char *workload)
{
    azbt_buf b = {0};
    azbt_buf_printf(&b,
                    "{'format': 'azboard/design', 'version': 1, 'name': 't', 'nodes': [%s], "
                    "'edges': [%s], 'workload': {%s}}",
                    nodes, edges, workload);
    for (size_t i = 0; i < b.len; i++) {
        if (b.data[i] == '\'') {
            b.data[i] = '"';
        }
    }
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design *d = azb_design_parse(b.data, b.len, "t.json", cat, &errs);
    if (d == NULL || azb_errors_count_errors(&errs) > 0) {
        print_error("design does not load:\n%s\n", b.data);
        azbt_print_errors(&errs);
        fail();
    }
    azb_errors_free(&errs);
    free(b.data);
    return d;
}

azb_result *azbt_run(const azb_design *d, const azb_catalog *cat, double rps)
{
    azb_errors errs;
    azb_errors_init(&errs);
    azb_result *r = azb_model_run(d, cat, rps, &errs);
    if (r == NULL) {
        azbt_print_errors(&errs);
        fail_msg("azb_model_run failed");
    }
    azb_errors_free(&errs);
    return r;
}

int azbt_node_of(const azb_design *d, const char *id)
{
    int i = azb_design_find_node(d, id);
    if (i < 0) {
        fail_msg("no node %s", id);
    }
    return i;
}
