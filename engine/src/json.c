#define _POSIX_C_SOURCE 200809L
#include "azbi_json.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool azbi_file_read(const char *path, size_t max_bytes, char **out, size_t *out_len,
                    azb_errors *errs)
{
    assert(path != NULL && out != NULL && out_len != NULL && errs != NULL);
    *out = NULL;
    *out_len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        azb_errors_add(errs, false, path, 0, 0, "", "cannot open: %s", strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        azb_errors_add(errs, false, path, 0, 0, "", "is a directory, not a JSON file");
        fclose(f);
        return false;
    }
    size_t cap = 65536;
    size_t len = 0;
    char *buf = malloc(cap + 1);
    if (buf == NULL) {
        fclose(f);
        azb_errors_add(errs, false, path, 0, 0, "", "out of memory");
        return false;
    }
    for (;;) {
        if (len == cap) {
            if (cap > max_bytes) {
                break;
            }
            size_t ncap = cap * 2;
            char *nbuf = realloc(buf, ncap + 1);
            if (nbuf == NULL) {
                free(buf);
                fclose(f);
                azb_errors_add(errs, false, path, 0, 0, "", "out of memory");
                return false;
            }
            buf = nbuf;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            break;
        }
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        free(buf);
        azb_errors_add(errs, false, path, 0, 0, "", "read error");
        return false;
    }
    if (len > max_bytes) {
        free(buf);
        azb_errors_add(errs, false, path, 0, 0, "",
                       "file is larger than %zu MiB; azboard reads files up to that size",
                       max_bytes / (1024u * 1024u));
        return false;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return true;
}

void azbi_offset_to_linecol(const char *text, size_t len, size_t off, int *line, int *col)
{
    int l = 1;
    int c = 1;
    if (off > len) {
        off = len;
    }
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)text[i] & 0xC0u) != 0x80u) {
            c++; /* count characters, not UTF-8 continuation bytes */
        }
    }
    *line = l;
    *col = c;
}

/* Depth check before cJSON sees the text: cJSON recurses, and its own limit
 * (1000) is far deeper than any design. Returns the offset of the first
 * bracket that goes too deep, or (size_t)-1. */
static size_t depth_violation(const char *text, size_t len, int max_depth)
{
    int depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (in_str) {
            if (ch == '\\') {
                i++;
            } else if (ch == '"') {
                in_str = false;
            }
        } else if (ch == '"') {
            in_str = true;
        } else if (ch == '{' || ch == '[') {
            if (++depth > max_depth) {
                return i;
            }
        } else if (ch == '}' || ch == ']') {
            depth--;
        }
    }
    return (size_t)-1;
}

/* ---- finding where malformed JSON goes wrong ---- */

typedef struct jscan {
    const char *t;
    size_t len;
    size_t i;
    const char *why; /* set on failure; s->i is the place */
} jscan;

static void js_ws(jscan *s)
{
    while (s->i < s->len && strchr(" \t\r\n", s->t[s->i]) != NULL && s->t[s->i] != '\0') {
        s->i++;
    }
}

static bool js_fail(jscan *s, const char *why)
{
    s->why = s->i >= s->len ? "the text ends too early (an unclosed { [ or \"?)" : why;
    return false;
}

static bool js_string(jscan *s)
{
    size_t open = s->i++;
    while (s->i < s->len && s->t[s->i] != '"') {
        unsigned char ch = (unsigned char)s->t[s->i];
        if (ch < 0x20) {
            return js_fail(s, "a control character in a string (write \\n, \\t, ...)");
        }
        if (ch == '\\') {
            s->i++;
            if (s->i < s->len && strchr("\"\\/bfnrtu", s->t[s->i]) == NULL) {
                s->i--;
                return js_fail(s, "an unknown escape in a string");
            }
        }
        s->i++;
    }
    if (s->i >= s->len) {
        s->i = open;
        s->why = "a string that never ends (a missing \")";
        return false;
    }
    s->i++;
    return true;
}

static bool js_number(jscan *s)
{
    size_t start = s->i;
    if (s->t[s->i] == '-') {
        s->i++;
    }
    size_t digits = s->i;
    while (s->i < s->len && s->t[s->i] >= '0' && s->t[s->i] <= '9') {
        s->i++;
    }
    bool ok = s->i > digits && !(s->t[digits] == '0' && s->i - digits > 1);
    if (ok && s->i < s->len && s->t[s->i] == '.') {
        size_t frac = ++s->i;
        while (s->i < s->len && s->t[s->i] >= '0' && s->t[s->i] <= '9') {
            s->i++;
        }
        ok = s->i > frac;
    }
    if (ok && s->i < s->len && (s->t[s->i] == 'e' || s->t[s->i] == 'E')) {
        s->i++;
        if (s->i < s->len && (s->t[s->i] == '+' || s->t[s->i] == '-')) {
            s->i++;
        }
        size_t exp = s->i;
        while (s->i < s->len && s->t[s->i] >= '0' && s->t[s->i] <= '9') {
            s->i++;
        }
        ok = s->i > exp;
    }
    if (!ok) {
        s->i = start;
        return js_fail(s, "a malformed number");
    }
    return true;
}

static bool js_value(jscan *s);

static bool js_members(jscan *s, char close)
{
    s->i++;
    js_ws(s);
    if (s->i < s->len && s->t[s->i] == close) {
        s->i++;
        return true;
    }
    for (;;) {
        js_ws(s);
        if (close == '}') {
            if (s->i >= s->len || s->t[s->i] != '"') {
                return js_fail(s, s->i < s->len && s->t[s->i] == '}'
                                      ? "a comma before the }"
                                      : "expected a key in double quotes");
            }
            if (!js_string(s)) {
                return false;
            }
            js_ws(s);
            if (s->i >= s->len || s->t[s->i] != ':') {
                return js_fail(s, "expected : after the key");
            }
            s->i++;
        }
        js_ws(s);
        if (close == ']' && s->i < s->len && s->t[s->i] == ']') {
            return js_fail(s, "a comma before the ]");
        }
        if (!js_value(s)) {
            return false;
        }
        js_ws(s);
        if (s->i < s->len && s->t[s->i] == ',') {
            s->i++;
            continue;
        }
        if (s->i < s->len && s->t[s->i] == close) {
            s->i++;
            return true;
        }
        if (s->i < s->len && strchr("\"{[-0123456789tfn", s->t[s->i]) != NULL) {
            return js_fail(s, "a comma is missing before it");
        }
        return js_fail(s, close == '}' ? "expected , or }" : "expected , or ]");
    }
}

static bool js_value(jscan *s)
{
    js_ws(s);
    if (s->i >= s->len) {
        return js_fail(s, "");
    }
    char ch = s->t[s->i];
    if (ch == '{' || ch == '[') {
        return js_members(s, ch == '{' ? '}' : ']');
    }
    if (ch == '"') {
        return js_string(s);
    }
    if (ch == '-' || (ch >= '0' && ch <= '9')) {
        return js_number(s);
    }
    static const char *const words[] = {"true", "false", "null"};
    for (int k = 0; k < 3; k++) {
        size_t n = strlen(words[k]);
        if (s->len - s->i >= n && memcmp(s->t + s->i, words[k], n) == 0) {
            s->i += n;
            return true;
        }
    }
    return js_fail(s, "expected a value (JSON has no comments, single quotes, NaN or Infinity)");
}

static void report_syntax(azb_errors *errs, const char *file, const char *text, size_t len,
                          size_t off, const char *why)
{
    int line = 0;
    int col = 0;
    azbi_offset_to_linecol(text, len, off, &line, &col);
    if (off >= len) {
        azb_errors_add(errs, false, file, line, col, "",
                       "malformed JSON: the text ends too early (an unclosed { [ or \"?)");
        return;
    }
    char near[24];
    size_t n = 0;
    while (n < sizeof(near) - 1 && off + n < len && text[off + n] != '\n' && text[off + n] != '\r') {
        near[n] = text[off + n];
        n++;
    }
    near[n] = '\0';
    azb_errors_add(errs, false, file, line, col, "", "malformed JSON near '%s'%s%s", near,
                   why[0] != '\0' ? ": " : "", why);
}

bool azbi_jdoc_parse(azbi_jdoc *doc, const char *file, const char *text, size_t len,
                     int max_depth, azb_errors *errs)
{
    assert(doc != NULL && text != NULL && errs != NULL);
    memset(doc, 0, sizeof(*doc));
    doc->file = file;
    doc->errs = errs;
    doc->text = malloc(len + 1);
    if (doc->text == NULL) {
        azb_errors_add(errs, false, file, 0, 0, "", "out of memory");
        return false;
    }
    memcpy(doc->text, text, len);
    doc->text[len] = '\0';
    doc->len = len;
    int line = 0;
    int col = 0;
    if (memchr(text, '\0', len) != NULL) {
        size_t off = (size_t)((const char *)memchr(text, '\0', len) - text);
        azbi_offset_to_linecol(text, len, off, &line, &col);
        azb_errors_add(errs, false, file, line, col, "", "malformed JSON: a NUL byte in the text");
        return false;
    }
    size_t deep = depth_violation(text, len, max_depth);
    if (deep != (size_t)-1) {
        azbi_offset_to_linecol(text, len, deep, &line, &col);
        azb_errors_add(errs, false, file, line, col, "",
                       "nesting deeper than %d levels; the format never needs that many",
                       max_depth);
        return false;
    }
    const char *end = NULL;
    doc->root = cJSON_ParseWithLengthOpts(doc->text, len, &end, false);
    if (doc->root == NULL) {
        /* cJSON's end pointer is one byte late after a bad key or an open
         * string, and clamped to the last byte when the text ends early:
         * find the place (and the reason) with a strict scan of our own.
         * The depth check above bounds its recursion. */
        jscan sc = {doc->text, len, 0, NULL};
        if (!js_value(&sc)) {
            report_syntax(errs, file, doc->text, len, sc.i, sc.why);
        } else {
            size_t off = end != NULL ? (size_t)(end - doc->text) : 0;
            report_syntax(errs, file, doc->text, len, off, "");
        }
        return false;
    }
    /* Trailing content after the value. */
    size_t off = (size_t)(end - doc->text);
    while (off < len && (text[off] == ' ' || text[off] == '\t' || text[off] == '\n' ||
                         text[off] == '\r')) {
        off++;
    }
    if (off < len) {
        azbi_offset_to_linecol(text, len, off, &line, &col);
        azb_errors_add(errs, false, file, line, col, "",
                       "malformed JSON: unexpected text after the end of the document");
        return false;
    }
    return true;
}

void azbi_jdoc_free(azbi_jdoc *doc)
{
    if (doc == NULL) {
        return;
    }
    cJSON_Delete(doc->root);
    free(doc->text);
    doc->root = NULL;
    doc->text = NULL;
}

/* ---- locating a path in valid JSON text ---- */

static size_t skip_ws(const char *t, size_t len, size_t i)
{
    while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) {
        i++;
    }
    return i;
}

static size_t skip_string(const char *t, size_t len, size_t i)
{
    /* t[i] == '"' */
    i++;
    while (i < len && t[i] != '"') {
        if (t[i] == '\\') {
            i++;
        }
        i++;
    }
    return i < len ? i + 1 : len;
}

static size_t skip_value(const char *t, size_t len, size_t i)
{
    i = skip_ws(t, len, i);
    if (i >= len) {
        return len;
    }
    if (t[i] == '"') {
        return skip_string(t, len, i);
    }
    if (t[i] == '{' || t[i] == '[') {
        int depth = 0;
        while (i < len) {
            char ch = t[i];
            if (ch == '"') {
                i = skip_string(t, len, i);
                continue;
            }
            if (ch == '{' || ch == '[') {
                depth++;
            } else if (ch == '}' || ch == ']') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
            i++;
        }
        return len;
    }
    while (i < len && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' &&
           t[i] != '\n' && t[i] != '\r' && t[i] != '\t') {
        i++;
    }
    return i;
}

/* Find member `key` (length klen) in the object at t[i] == '{'. Returns the
 * offset of its value, or (size_t)-1. */
static size_t find_member(const char *t, size_t len, size_t i, const char *key, size_t klen,
                          int skip)
{
    i = skip_ws(t, len, i + 1);
    while (i < len && t[i] == '"') {
        size_t kstart = i + 1;
        size_t kend = skip_string(t, len, i) - 1;
        i = skip_ws(t, len, kend + 1);
        if (i < len && t[i] == ':') {
            i = skip_ws(t, len, i + 1);
        }
        if (kend - kstart == klen && memcmp(t + kstart, key, klen) == 0 && skip-- == 0) {
            return i;
        }
        i = skip_ws(t, len, skip_value(t, len, i));
        if (i < len && t[i] == ',') {
            i = skip_ws(t, len, i + 1);
        }
    }
    return (size_t)-1;
}

static size_t find_element(const char *t, size_t len, size_t i, long index)
{
    i = skip_ws(t, len, i + 1);
    for (long k = 0; i < len && t[i] != ']'; k++) {
        if (k == index) {
            return i;
        }
        i = skip_ws(t, len, skip_value(t, len, i));
        if (i < len && t[i] == ',') {
            i = skip_ws(t, len, i + 1);
        }
    }
    return (size_t)-1;
}

size_t azbi_json_locate(const char *text, size_t len, const char *path)
{
    return azbi_json_locate_nth(text, len, path, 0);
}

size_t azbi_json_locate_nth(const char *text, size_t len, const char *path, int nth)
{
    size_t at = skip_ws(text, len, 0);
    const char *p = path;
    while (*p != '\0' && at < len) {
        if (*p == '.') {
            p++;
        }
        if (*p == '[') {
            char *endp = NULL;
            long index = strtol(p + 1, &endp, 10);
            if (text[at] != '[' || endp == NULL || *endp != ']') {
                return at;
            }
            size_t next = find_element(text, len, at, index);
            if (next == (size_t)-1) {
                return at;
            }
            at = next;
            p = endp + 1;
        } else {
            size_t klen = strcspn(p, ".[");
            if (text[at] != '{') {
                return at;
            }
            size_t next = find_member(text, len, at, p, klen, p[klen] == '\0' ? nth : 0);
            if (next == (size_t)-1) {
                return at;
            }
            at = next;
            p += klen;
        }
    }
    return at;
}

static void jadd(azbi_jdoc *doc, bool warning, int nth, const char *path, const char *fmt,
                 va_list ap)
{
    if (doc->errs->count >= AZB_ERRORS_MAX) {
        doc->errs->dropped++; /* counted, not located: locating costs a scan of the text */
        doc->errs->dropped_errors += warning ? 0 : 1;
        return;
    }
    char msg[320];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    int line = 0;
    int col = 0;
    if (doc->text != NULL) {
        size_t off = azbi_json_locate_nth(doc->text, doc->len, path, nth);
        azbi_offset_to_linecol(doc->text, doc->len, off, &line, &col);
    }
    azb_errors_add(doc->errs, warning, doc->file, line, col, path, "%s", msg);
}

void azbi_jerr(azbi_jdoc *doc, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jadd(doc, false, 0, path, fmt, ap);
    va_end(ap);
}

void azbi_jwarn(azbi_jdoc *doc, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jadd(doc, true, 0, path, fmt, ap);
    va_end(ap);
}

void azbi_jerr_nth(azbi_jdoc *doc, int nth, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jadd(doc, false, nth, path, fmt, ap);
    va_end(ap);
}

typedef struct member {
    const char *name;
    int index;
} member;

static int member_cmp(const void *a, const void *b)
{
    const member *x = a;
    const member *y = b;
    int c = strcmp(x->name, y->name);
    return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

int azbi_check_duplicate_keys(azbi_jdoc *doc, const cJSON *obj, const char *path)
{
    int n = 0;
    for (const cJSON *c = obj->child; c != NULL; c = c->next) {
        n++;
    }
    if (n < 2) {
        return 0;
    }
    member *m = malloc((size_t)n * sizeof(*m));
    if (m == NULL) {
        azbi_jerr(doc, path, "out of memory");
        return 1;
    }
    int i = 0;
    for (const cJSON *c = obj->child; c != NULL; c = c->next, i++) {
        m[i].name = c->string;
        m[i].index = i;
    }
    qsort(m, (size_t)n, sizeof(*m), member_cmp);
    int found = 0;
    for (int k = 1, run = 0; k < n; k++) {
        run = strcmp(m[k].name, m[k - 1].name) == 0 ? run + 1 : 0;
        if (run > 0) {
            char p[200];
            azbi_path_key(p, sizeof(p), path, m[k].name);
            azbi_jerr_nth(doc, run, p, "duplicate key \"%s\"", m[k].name);
            found++;
        }
    }
    free(m);
    return found;
}

bool azbi_check_header(azbi_jdoc *doc, const cJSON *root, const char *format, int version,
                       const char *what)
{
    bool ok = true;
    char got[64] = "";
    bool present = false;
    /* A wrong type is recorded by the typed read itself. */
    if (!azbi_jstr(doc, root, "format", "", sizeof(got), got, &present)) {
        ok = false;
    } else if (!present) {
        azbi_jerr(doc, "", "missing \"format\": \"%s\"; is this an azboard %s?", format, what);
        ok = false;
    } else if (strcmp(got, format) != 0) {
        azbi_jerr(doc, "format", "\"%s\" is not an azboard %s (expected \"%s\")", got, what,
                  format);
        ok = false;
    }
    double v = 0.0;
    if (!azbi_jnum(doc, root, "version", "", AZBI_NUM_INT, 0, &v, &present)) {
        ok = false;
    } else if (!present) {
        azbi_jmissing(doc, "", "version");
        ok = false;
    } else if (v != (double)version) {
        azbi_jerr(doc, "version", "version %g is not supported (this azboard reads version %d)", v,
                  version);
        ok = false;
    }
    return ok;
}

void azbi_path_key(char *out, size_t size, const char *base, const char *key)
{
    if (base == NULL || base[0] == '\0') {
        snprintf(out, size, "%s", key);
    } else {
        snprintf(out, size, "%s.%s", base, key);
    }
}

void azbi_path_index(char *out, size_t size, const char *base, int index)
{
    snprintf(out, size, "%s[%d]", base != NULL ? base : "", index);
}

const char *azbi_jtype_name(const cJSON *item)
{
    if (item == NULL) {
        return "nothing";
    }
    if (cJSON_IsString(item)) {
        return "a string";
    }
    if (cJSON_IsNumber(item)) {
        return "a number";
    }
    if (cJSON_IsBool(item)) {
        return "a boolean";
    }
    if (cJSON_IsNull(item)) {
        return "null";
    }
    if (cJSON_IsArray(item)) {
        return "an array";
    }
    if (cJSON_IsObject(item)) {
        return "an object";
    }
    return "an unknown value";
}

void azbi_jmissing(azbi_jdoc *doc, const char *base, const char *key)
{
    azbi_jerr(doc, base, "missing required key \"%s\"", key);
}

bool azbi_jnum(azbi_jdoc *doc, const cJSON *obj, const char *key, const char *base,
               unsigned flags, double max, double *out, bool *present)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (present != NULL) {
        *present = it != NULL;
    }
    if (it == NULL) {
        return true;
    }
    char path[200];
    azbi_path_key(path, sizeof(path), base, key);
    if (!cJSON_IsNumber(it)) {
        azbi_jerr(doc, path, "expected a number, got %s", azbi_jtype_name(it));
        return false;
    }
    double v = it->valuedouble;
    if (!isfinite(v)) {
        azbi_jerr(doc, path, "number is out of range (not finite)");
        return false;
    }
    if ((flags & AZBI_NUM_INT) != 0u && (v != floor(v) || fabs(v) > 2147483647.0)) {
        azbi_jerr(doc, path, "expected a whole number, got %g", v);
        return false;
    }
    if ((flags & AZBI_NUM_POSITIVE) != 0u && !(v > 0.0)) {
        azbi_jerr(doc, path, "must be greater than 0, got %g", v);
        return false;
    }
    if ((flags & AZBI_NUM_NONNEG) != 0u && v < 0.0) {
        azbi_jerr(doc, path, "must not be negative, got %g", v);
        return false;
    }
    if ((flags & AZBI_NUM_UNIT) != 0u && (v < 0.0 || v > 1.0)) {
        azbi_jerr(doc, path, "must be within [0, 1], got %g", v);
        return false;
    }
    if (max > 0.0 && v > max) {
        azbi_jerr(doc, path, "must be at most %g, got %g", max, v);
        return false;
    }
    *out = v;
    return true;
}

bool azbi_jstr(azbi_jdoc *doc, const cJSON *obj, const char *key, const char *base,
               size_t max_len, char *out, bool *present)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (present != NULL) {
        *present = it != NULL;
    }
    if (it == NULL) {
        return true;
    }
    char path[200];
    azbi_path_key(path, sizeof(path), base, key);
    if (!cJSON_IsString(it) || it->valuestring == NULL) {
        azbi_jerr(doc, path, "expected a string, got %s", azbi_jtype_name(it));
        return false;
    }
    size_t n = strlen(it->valuestring);
    if (n >= max_len) {
        azbi_jerr(doc, path, "string is too long (%zu bytes; at most %zu)", n, max_len - 1);
        return false;
    }
    memcpy(out, it->valuestring, n + 1);
    return true;
}

bool azbi_jbool(azbi_jdoc *doc, const cJSON *obj, const char *key, const char *base,
                bool *out, bool *present)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (present != NULL) {
        *present = it != NULL;
    }
    if (it == NULL) {
        return true;
    }
    if (!cJSON_IsBool(it)) {
        char path[200];
        azbi_path_key(path, sizeof(path), base, key);
        azbi_jerr(doc, path, "expected true or false, got %s", azbi_jtype_name(it));
        return false;
    }
    *out = cJSON_IsTrue(it);
    return true;
}

/* ---- writing ---- */

void azbi_buf_put(azbi_buf *b, const char *s, size_t n)
{
    if (b->oom) {
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap == 0 ? 1024 : b->cap;
        while (b->len + n + 1 > cap) {
            cap *= 2;
        }
        char *d = realloc(b->data, cap);
        if (d == NULL) {
            b->oom = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void azbi_buf_puts(azbi_buf *b, const char *s)
{
    azbi_buf_put(b, s, strlen(s));
}

void azbi_buf_printf(azbi_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        azbi_buf_put(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (big == NULL) {
        b->oom = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    azbi_buf_put(b, big, (size_t)n);
    free(big);
}

char *azbi_buf_take(azbi_buf *b)
{
    if (b->oom || b->data == NULL) {
        free(b->data);
        b->data = NULL;
        if (b->oom) {
            return NULL;
        }
        char *empty = malloc(1);
        if (empty != NULL) {
            empty[0] = '\0';
        }
        return empty;
    }
    char *d = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

static void sb_indent(azbi_buf *b, int depth)
{
    for (int i = 0; i < depth; i++) {
        azbi_buf_put(b, "  ", 2);
    }
}

static void put_string(azbi_buf *b, const char *s)
{
    azbi_buf_put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        char esc[8];
        switch (*p) {
        case '"': azbi_buf_put(b, "\\\"", 2); break;
        case '\\': azbi_buf_put(b, "\\\\", 2); break;
        case '\n': azbi_buf_put(b, "\\n", 2); break;
        case '\r': azbi_buf_put(b, "\\r", 2); break;
        case '\t': azbi_buf_put(b, "\\t", 2); break;
        case '\b': azbi_buf_put(b, "\\b", 2); break;
        case '\f': azbi_buf_put(b, "\\f", 2); break;
        default:
            if (*p < 0x20) {
                snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)*p);
                azbi_buf_puts(b, esc);
            } else {
                azbi_buf_put(b, (const char *)p, 1);
            }
        }
    }
    azbi_buf_put(b, "\"", 1);
}

static void put_number(azbi_buf *b, double v)
{
    char num[40];
    if (!isfinite(v)) {
        azbi_buf_puts(b, "null"); /* never written by azboard; kept valid JSON */
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(num, sizeof(num), "%.0f", v);
        if (strcmp(num, "-0") == 0) {
            snprintf(num, sizeof(num), "0");
        }
    } else {
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(num, sizeof(num), "%.*g", prec, v);
            if (strtod(num, NULL) == v) {
                break;
            }
        }
    }
    azbi_buf_puts(b, num);
}

static bool is_scalar(const cJSON *it)
{
    return !cJSON_IsArray(it) && !cJSON_IsObject(it);
}

static void put_value(azbi_buf *b, const cJSON *it, int depth);

static void put_array(azbi_buf *b, const cJSON *it, int depth)
{
    const cJSON *child = it->child;
    if (child == NULL) {
        azbi_buf_puts(b, "[]");
        return;
    }
    bool flat = true;
    for (const cJSON *c = child; c != NULL; c = c->next) {
        if (!is_scalar(c) && !(cJSON_IsArray(c) && c->child != NULL && is_scalar(c->child) &&
                               cJSON_GetArraySize(c) <= 4)) {
            flat = false;
        }
    }
    if (flat) {
        azbi_buf_puts(b, "[");
        for (const cJSON *c = child; c != NULL; c = c->next) {
            put_value(b, c, depth);
            if (c->next != NULL) {
                azbi_buf_puts(b, ", ");
            }
        }
        azbi_buf_puts(b, "]");
        return;
    }
    azbi_buf_puts(b, "[\n");
    for (const cJSON *c = child; c != NULL; c = c->next) {
        sb_indent(b, depth + 1);
        put_value(b, c, depth + 1);
        azbi_buf_puts(b, c->next != NULL ? ",\n" : "\n");
    }
    sb_indent(b, depth);
    azbi_buf_puts(b, "]");
}

static void put_object(azbi_buf *b, const cJSON *it, int depth)
{
    const cJSON *child = it->child;
    if (child == NULL) {
        azbi_buf_puts(b, "{}");
        return;
    }
    azbi_buf_puts(b, "{\n");
    for (const cJSON *c = child; c != NULL; c = c->next) {
        sb_indent(b, depth + 1);
        put_string(b, c->string != NULL ? c->string : "");
        azbi_buf_puts(b, ": ");
        put_value(b, c, depth + 1);
        azbi_buf_puts(b, c->next != NULL ? ",\n" : "\n");
    }
    sb_indent(b, depth);
    azbi_buf_puts(b, "}");
}

static void put_value(azbi_buf *b, const cJSON *it, int depth)
{
    if (cJSON_IsObject(it)) {
        put_object(b, it, depth);
    } else if (cJSON_IsArray(it)) {
        put_array(b, it, depth);
    } else if (cJSON_IsString(it)) {
        put_string(b, it->valuestring != NULL ? it->valuestring : "");
    } else if (cJSON_IsNumber(it)) {
        put_number(b, it->valuedouble);
    } else if (cJSON_IsTrue(it)) {
        azbi_buf_puts(b, "true");
    } else if (cJSON_IsFalse(it)) {
        azbi_buf_puts(b, "false");
    } else {
        azbi_buf_puts(b, "null");
    }
}

char *azbi_json_print(const cJSON *item)
{
    assert(item != NULL);
    azbi_buf b = {0};
    put_value(&b, item, 0);
    azbi_buf_puts(&b, "\n");
    if (b.oom) {
        free(b.data);
        return NULL;
    }
    return b.data;
}

bool azbi_write_atomic(const char *path, const char *data, size_t len, azb_errors *errs)
{
    assert(path != NULL && data != NULL && errs != NULL);
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (tmp == NULL) {
        azb_errors_add(errs, false, path, 0, 0, "", "out of memory");
        return false;
    }
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        azb_errors_add(errs, false, path, 0, 0, "", "cannot create a temporary file beside it: %s",
                       strerror(errno));
        free(tmp);
        return false;
    }
    struct stat st;
    mode_t mode = 0644;
    if (stat(path, &st) == 0) {
        mode = st.st_mode & 07777;
    }
    (void)fchmod(fd, mode);
    size_t off = 0;
    bool ok = true;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            ok = false;
            break;
        }
        off += (size_t)w;
    }
    if (ok && fsync(fd) != 0) {
        ok = false;
    }
    int saved = errno;
    if (close(fd) != 0) {
        ok = false;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        unlink(tmp);
        azb_errors_add(errs, false, path, 0, 0, "", "write failed, file left as it was: %s",
                       strerror(saved));
    }
    free(tmp);
    return ok;
}

static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a);
    size_t lb = strlen(b);
    if (la > 63 || lb > 63) {
        return 1 << 20;
    }
    int row[64];
    for (size_t j = 0; j <= lb; j++) {
        row[j] = (int)j;
    }
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int cost = (a[i - 1] | 0x20) == (b[j - 1] | 0x20) ? 0 : 1;
            int best = prev + cost;
            if (row[j] + 1 < best) {
                best = row[j] + 1;
            }
            if (row[j - 1] + 1 < best) {
                best = row[j - 1] + 1;
            }
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

/* Where two names of the same length differ digit for digit, how many of
 * those digits the candidate makes smaller: on a tie in edit distance the
 * suggestion sizes up, not down (asked for a D3 that does not exist, a D4
 * still carries the load). */
static int downsizes(const char *name, const char *cand)
{
    if (strlen(name) != strlen(cand)) {
        return 0;
    }
    int n = 0;
    for (size_t i = 0; name[i] != '\0'; i++) {
        if (name[i] >= '0' && name[i] <= '9' && cand[i] >= '0' && cand[i] <= '9' &&
            cand[i] < name[i]) {
            n++;
        }
    }
    return n;
}

const char *azbi_closest(const char *name, const char *const *candidates, int n)
{
    const char *best = NULL;
    int best_d = 1 << 20;
    for (int i = 0; i < n; i++) {
        int d = edit_distance(name, candidates[i]);
        if (d < best_d || (d == best_d && best != NULL &&
                           downsizes(name, candidates[i]) < downsizes(name, best))) {
            best_d = d;
            best = candidates[i];
        }
    }
    int limit = (int)strlen(name) / 3 + 2;
    return best_d <= limit ? best : NULL;
}
