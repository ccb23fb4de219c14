/*
 * Internal: reading JSON with positions, and writing it in azboard's layout.
 *
 * cJSON keeps no source positions, so errors find theirs afterwards: a JSON
 * path is walked over the original text with a small skipper (the text has
 * already parsed, so the skipper may trust it). This costs nothing on the
 * happy path and keeps cJSON unmodified. No cJSON pointer leaves a loader.
 */
#ifndef AZBI_JSON_H
#define AZBI_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "azb_error.h"

#define AZBI_MAX_FILE_BYTES (16u * 1024u * 1024u)

typedef struct azbi_jdoc {
    const char *file;  /* name used in messages; not owned */
    char *text;        /* owned copy of the bytes */
    size_t len;
    cJSON *root;       /* owned */
    azb_errors *errs;  /* not owned */
} azbi_jdoc;

/* Read a whole file (at most max_bytes). On failure adds an error. */
bool azbi_file_read(const char *path, size_t max_bytes, char **out, size_t *out_len,
                    azb_errors *errs);

/* Parse text (copied) after checking nesting depth <= max_depth. */
bool azbi_jdoc_parse(azbi_jdoc *doc, const char *file, const char *text, size_t len,
                     int max_depth, azb_errors *errs);
void azbi_jdoc_free(azbi_jdoc *doc);

void azbi_offset_to_linecol(const char *text, size_t len, size_t off, int *line, int *col);
/* Byte offset of the value at `path` ("a.b[2].c"), or of the deepest part of
 * it that exists; 0 for "" or the root. */
size_t azbi_json_locate(const char *text, size_t len, const char *path);
/* The same, where the path's last key is the nth (0-based) of that name in
 * its object: a duplicate key's own place. */
size_t azbi_json_locate_nth(const char *text, size_t len, const char *path, int nth);

/* Add an error (or a warning) located at `path`. */
void azbi_jerr(azbi_jdoc *doc, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* An error at the nth member named by the path's last key. */
void azbi_jerr_nth(azbi_jdoc *doc, int nth, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void azbi_jwarn(azbi_jdoc *doc, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Duplicate keys are errors (cJSON would silently keep the first): the keys
 * are sorted by name (then place), so a huge object stays O(n log n), and
 * each repeat is reported at its own place. Returns how many were found (1
 * on out of memory, which is also recorded). */
int azbi_check_duplicate_keys(azbi_jdoc *doc, const cJSON *obj, const char *path);

/* The "format" and "version" every azboard file opens with: records what is
 * wrong ("is this an azboard <what>?") and returns false. */
bool azbi_check_header(azbi_jdoc *doc, const cJSON *root, const char *format, int version,
                       const char *what);

/* Path building: out = base + ".key" or base + "[i]". */
void azbi_path_key(char *out, size_t size, const char *base, const char *key);
void azbi_path_index(char *out, size_t size, const char *base, int index);

/* Typed reads. Each returns false (and records why) when the key is present
 * but wrong; *present tells whether it was there at all. */
enum {
    AZBI_NUM_ANY = 0,
    AZBI_NUM_INT = 1 << 0,        /* must be a whole number */
    AZBI_NUM_POSITIVE = 1 << 1,   /* > 0 */
    AZBI_NUM_NONNEG = 1 << 2,     /* >= 0 */
    AZBI_NUM_UNIT = 1 << 3,       /* within [0, 1] */
};
bool azbi_jnum(azbi_jdoc *doc, const cJSON *obj, const char *key, const char *base,
               unsigned flags, double max, double *out, bool *present);
bool azbi_jstr(azbi_jdoc *doc, const cJSON *obj, const char *key, const char *base,
               size_t max_len, char *out, bool *present);
bool azbi_jbool(azbi_jdoc *doc, const cJSON *obj, const char *key, const char *base,
                bool *out, bool *present);
/* A required key that is missing: records "missing key". */
void azbi_jmissing(azbi_jdoc *doc, const char *base, const char *key);
const char *azbi_jtype_name(const cJSON *item);

/* A growing string. Out of memory is sticky: later writes are ignored and
 * azbi_buf_take returns NULL. Zero-initialise to start. */
typedef struct azbi_buf {
    char *data;
    size_t len;
    size_t cap;
    bool oom;
} azbi_buf;
void azbi_buf_put(azbi_buf *b, const char *s, size_t n);
void azbi_buf_puts(azbi_buf *b, const char *s);
void azbi_buf_printf(azbi_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The text (the caller frees it; "" when nothing was written), or NULL
 * after out of memory. The buffer is empty afterwards. */
char *azbi_buf_take(azbi_buf *b);

/* Serialize in azboard's canonical layout: two-space indent, one key per line,
 * arrays of scalars on one line, numbers in the shortest form that reads back
 * exactly, a final newline. Returns a malloc'd string or NULL. */
char *azbi_json_print(const cJSON *item);

/* Write atomically: a temporary file in the same folder, flushed and synced,
 * then renamed over `path`. On failure the old file is untouched. */
bool azbi_write_atomic(const char *path, const char *data, size_t len, azb_errors *errs);

/* Smallest edit distance candidate, or NULL when none is close enough. */
const char *azbi_closest(const char *name, const char *const *candidates, int n);

#endif
