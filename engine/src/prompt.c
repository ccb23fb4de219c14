#define _POSIX_C_SOURCE 200809L
#include "azb_prompt.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "azbi_json.h"

#define INDEX_FORMAT "azboard/index"
#define PROMPT_FORMAT "azboard/prompt"
#define FORMAT_VERSION 1
#define MAX_DEPTH 8     /* the formats need 3 */
#define MAX_PROMPTS 256

static const char *const index_keys[] = {"format", "version", "default", "prompts", NULL};
static const char *const entry_keys[] = {"id", "file", NULL};
static const char *const prompt_keys[] = {"format", "version", "id", "title", "level",
                                          "summary", "brief", "requirements", "starter",
                                          "designs", NULL};
static const char *const req_keys[] = {"peak_rps", "p99_ms", "availability",
                                       "monthly_budget_usd", "stored_gb", "regions",
                                       "geos", NULL};
static const char *const levels[] = {"warm-up", "core", "stretch", NULL};

static bool in_list(const char *s, const char *const *list)
{
    for (int i = 0; list[i] != NULL; i++) {
        if (strcmp(s, list[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Duplicate keys are errors (cJSON keeps the first silently); unknown keys
 * are warnings, since nothing rewrites these files and a typo should show. */
static void scan_keys(azbi_jdoc *doc, const cJSON *obj, const char *path,
                      const char *const *known)
{
    for (const cJSON *c = obj->child; c != NULL; c = c->next) {
        char p[200];
        azbi_path_key(p, sizeof(p), path, c->string);
        bool dup = false;
        for (const cJSON *prev = obj->child; prev != c && !dup; prev = prev->next) {
            dup = strcmp(prev->string, c->string) == 0;
        }
        if (dup) {
            azbi_jerr(doc, p, "duplicate key \"%s\"", c->string);
        } else if (!in_list(c->string, known)) {
            azbi_jwarn(doc, p, "unknown key \"%s\", ignored", c->string);
        }
    }
}

static bool need_object(azbi_jdoc *doc, const cJSON *it, const char *path)
{
    if (cJSON_IsObject(it)) {
        return true;
    }
    azbi_jerr(doc, path, "expected an object, got %s", azbi_jtype_name(it));
    return false;
}

/* A required, non-empty string. */
static bool need_str(azbi_jdoc *doc, const cJSON *obj, const char *key, const char *base,
                     size_t size, char *out)
{
    bool present = false;
    if (!azbi_jstr(doc, obj, key, base, size, out, &present)) {
        return false;
    }
    if (!present) {
        azbi_jmissing(doc, base, key);
        return false;
    }
    if (out[0] == '\0') {
        char p[200];
        azbi_path_key(p, sizeof(p), base, key);
        azbi_jerr(doc, p, "%s must not be empty", key);
        return false;
    }
    return true;
}

static bool need_num(azbi_jdoc *doc, const cJSON *obj, const char *key, const char *base,
                     unsigned flags, double max, double *out)
{
    bool present = false;
    if (!azbi_jnum(doc, obj, key, base, flags, max, out, &present)) {
        return false;
    }
    if (!present) {
        azbi_jmissing(doc, base, key);
    }
    return present;
}

static void opt_num(azbi_jdoc *doc, const cJSON *obj, const char *key, const char *base,
                    unsigned flags, double max, double *out)
{
    bool present = false;
    azbi_jnum(doc, obj, key, base, flags, max, out, &present); /* records its own errors */
}

/* Prompt ids name folders and appear on the command line: lower-case
 * letters, digits and single hyphens, starting with a letter. */
static bool id_ok(const char *id)
{
    if (!(id[0] >= 'a' && id[0] <= 'z')) {
        return false;
    }
    for (const char *c = id; *c != '\0'; c++) {
        bool alnum = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9');
        if (!alnum && !(*c == '-' && c[1] != '\0' && c[1] != '-')) {
            return false;
        }
    }
    return true;
}

static void check_id(azbi_jdoc *doc, const char *id, const char *path)
{
    if (id[0] != '\0' && !id_ok(id)) {
        azbi_jerr(doc, path,
            "id \"%s\" must be lower-case letters, digits and single hyphens, starting with a "
            "letter",
            id);
    }
}

/* Read and parse a JSON file; false (with the error recorded) when it cannot. */
static bool open_doc(azbi_jdoc *doc, const char *path, azb_errors *errs)
{
    memset(doc, 0, sizeof(*doc));
    char *text = NULL;
    size_t len = 0;
    if (!azbi_file_read(path, AZBI_MAX_FILE_BYTES, &text, &len, errs)) {
        return false;
    }
    bool parsed = azbi_jdoc_parse(doc, path, text, len, MAX_DEPTH, errs);
    free(text);
    if (!parsed) {
        azbi_jdoc_free(doc);
        return false;
    }
    if (!cJSON_IsObject(doc->root)) {
        azbi_jerr(doc, "", "expected a JSON object at the top, got %s",
                  azbi_jtype_name(doc->root));
        azbi_jdoc_free(doc);
        return false;
    }
    return true;
}

/* out = the folder part of `path` (without the final slash); "." when none. */
static void dir_of(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        snprintf(out, size, ".");
    } else if (slash == path) {
        snprintf(out, size, "/");
    } else {
        snprintf(out, size, "%.*s", (int)(slash - path), path);
    }
}

/* Join `rel` (from the file, at `path`) onto `dir` and check that a regular
 * file is there. References stay inside the scenarios tree's own layout, so
 * absolute paths are refused: they would not survive an install. */
static bool ref_file(azbi_jdoc *doc, const char *dir, const char *rel, const char *path,
                     char *out)
{
    if (rel[0] == '/') {
        azbi_jerr(doc, path, "\"%s\" is an absolute path; write it relative to this file", rel);
        return false;
    }
    int n = snprintf(out, AZB_PATH_MAX, "%s/%s", dir, rel);
    if (n < 0 || n >= AZB_PATH_MAX) {
        azbi_jerr(doc, path, "the joined path is longer than %d bytes: %s", AZB_PATH_MAX - 1,
                  rel);
        out[0] = '\0';
        return false;
    }
    struct stat st;
    if (stat(out, &st) != 0) {
        azbi_jerr(doc, path, "\"%s\" not found (%s: %s)", rel, out, strerror(errno));
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        azbi_jerr(doc, path, "\"%s\" is not a regular file (%s)", rel, out);
        return false;
    }
    return true;
}

/* An array of short names (ARM regions, geographies): at most 8, unique. */
static void read_names(azbi_jdoc *doc, const cJSON *obj, const char *key, const char *base,
                       char (*out)[32], int *count, bool required)
{
    *count = 0;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, key);
    char p[200];
    azbi_path_key(p, sizeof(p), base, key);
    if (arr == NULL) {
        if (required) {
            azbi_jmissing(doc, base, key);
        }
        return;
    }
    if (!cJSON_IsArray(arr)) {
        azbi_jerr(doc, p, "expected an array of names, got %s", azbi_jtype_name(arr));
        return;
    }
    if (cJSON_GetArraySize(arr) > 8) {
        azbi_jerr(doc, p, "%d names; a prompt lists at most 8", cJSON_GetArraySize(arr));
        return;
    }
    if (required && cJSON_GetArraySize(arr) == 0) {
        azbi_jerr(doc, p, "%s must list at least one name", key);
        return;
    }
    int i = 0;
    const cJSON *it = NULL;
    cJSON_ArrayForEach(it, arr)
    {
        char pi[220];
        azbi_path_index(pi, sizeof(pi), p, i++);
        if (!cJSON_IsString(it) || it->valuestring[0] == '\0' || strlen(it->valuestring) >= 32) {
            azbi_jerr(doc, pi, "expected a name (1 to 31 bytes), got %s",
                      azbi_jtype_name(it));
            continue;
        }
        bool dup = false;
        for (int k = 0; k < *count && !dup; k++) {
            dup = strcmp(out[k], it->valuestring) == 0;
        }
        if (dup) {
            azbi_jerr(doc, pi, "\"%s\" is listed twice", it->valuestring);
            continue;
        }
        snprintf(out[(*count)++], 32, "%s", it->valuestring);
    }
}

static void read_requirements(azbi_jdoc *doc, const cJSON *root, azb_requirements *q)
{
    const char *base = "requirements";
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, base);
    if (obj == NULL) {
        azbi_jmissing(doc, "", base);
        return;
    }
    if (!need_object(doc, obj, base)) {
        return;
    }
    scan_keys(doc, obj, base, req_keys);
    need_num(doc, obj, "peak_rps", base, AZBI_NUM_POSITIVE, 1.0e9, &q->peak_rps);
    need_num(doc, obj, "p99_ms", base, AZBI_NUM_POSITIVE, 3.6e6, &q->p99_ms);
    double a = 0.0;
    if (need_num(doc, obj, "availability", base, AZBI_NUM_ANY, 0, &a)) {
        if (!(a > 0.0 && a < 1.0)) {
            azbi_jerr(doc, "requirements.availability",
                      "availability is a fraction between 0 and 1 such as 0.999 (99.9%%), got %g",
                      a);
        } else {
            q->availability = a;
        }
    }
    opt_num(doc, obj, "monthly_budget_usd", base, AZBI_NUM_POSITIVE, 1.0e9,
            &q->monthly_budget_usd);
    opt_num(doc, obj, "stored_gb", base, AZBI_NUM_NONNEG, 1.0e9, &q->stored_gb);
    read_names(doc, obj, "regions", base, q->regions, &q->nregions, false);
    read_names(doc, obj, "geos", base, q->geos, &q->ngeos, true);
}

static bool read_designs(azbi_jdoc *doc, const cJSON *root, const char *dir, azb_prompt *p)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "designs");
    if (arr == NULL) {
        return true;
    }
    if (!cJSON_IsArray(arr)) {
        azbi_jerr(doc, "designs", "expected an array of design files, got %s",
                  azbi_jtype_name(arr));
        return true;
    }
    int n = cJSON_GetArraySize(arr);
    if (n > 64) {
        azbi_jerr(doc, "designs", "%d designs; a prompt lists at most 64", n);
        return true;
    }
    if (n == 0) {
        return true;
    }
    p->designs = calloc((size_t)n, sizeof(*p->designs));
    if (p->designs == NULL) {
        return false;
    }
    int i = 0;
    const cJSON *it = NULL;
    cJSON_ArrayForEach(it, arr)
    {
        char pi[64];
        azbi_path_index(pi, sizeof(pi), "designs", i++);
        if (!cJSON_IsString(it) || it->valuestring[0] == '\0') {
            azbi_jerr(doc, pi, "expected a design file name, got %s", azbi_jtype_name(it));
            continue;
        }
        for (int k = 0; k < i - 1; k++) {
            const cJSON *prev = cJSON_GetArrayItem(arr, k);
            if (cJSON_IsString(prev) && strcmp(prev->valuestring, it->valuestring) == 0) {
                azbi_jerr(doc, pi, "\"%s\" is listed twice", it->valuestring);
                break;
            }
        }
        ref_file(doc, dir, it->valuestring, pi, p->designs[p->ndesigns]);
        p->ndesigns++;
    }
    return true;
}

/* Load one prompt file into `p`. The index listed it as `want_id` (NULL: a
 * file checked on its own, with no index to match). False
 * only on out of memory; data errors go to errs. */
static bool load_prompt(const char *file, const char *want_id, azb_prompt *p, azb_errors *errs)
{
    azbi_jdoc doc;
    snprintf(p->file, sizeof(p->file), "%s", file);
    if (!open_doc(&doc, p->file, errs)) {
        return true;
    }
    const cJSON *root = doc.root;
    scan_keys(&doc, root, "", prompt_keys);
    azbi_check_header(&doc, root, PROMPT_FORMAT, FORMAT_VERSION, "prompt");
    if (need_str(&doc, root, "id", "", sizeof(p->id), p->id)) {
        check_id(&doc, p->id, "id");
        if (want_id != NULL && strcmp(p->id, want_id) != 0) {
            azbi_jerr(&doc, "id",
                      "id \"%s\" does not match the index, which lists this file as \"%s\"",
                      p->id, want_id);
        }
    }
    need_str(&doc, root, "title", "", sizeof(p->title), p->title);
    if (need_str(&doc, root, "level", "", sizeof(p->level), p->level) &&
        !in_list(p->level, levels)) {
        azbi_jerr(&doc, "level", "unknown level \"%s\"; expected one of: warm-up, core, stretch",
                  p->level);
    }
    need_str(&doc, root, "summary", "", sizeof(p->summary), p->summary);
    need_str(&doc, root, "brief", "", sizeof(p->brief), p->brief);
    read_requirements(&doc, root, &p->req);
    char dir[AZB_PATH_MAX];
    dir_of(p->file, dir, sizeof(dir));
    char starter[AZB_PATH_MAX] = "";
    if (need_str(&doc, root, "starter", "", sizeof(starter), starter)) {
        ref_file(&doc, dir, starter, "starter", p->starter);
    }
    bool mem = read_designs(&doc, root, dir, p);
    if (!mem) {
        azb_errors_add(errs, false, p->file, 0, 0, "designs", "out of memory");
    }
    azbi_jdoc_free(&doc);
    return mem;
}

/* The scenarios folder as an absolute path, so every path in the list is.
 * Joined onto the working folder rather than resolved with realpath, so the
 * paths shown to a user keep the names (and symlinks) they gave. */
static bool abs_dir(const char *dir, char *out, size_t size)
{
    char cwd[AZB_PATH_MAX];
    int n = 0;
    if (dir[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL) {
        n = snprintf(out, size, "%s", dir);
    } else if (strcmp(dir, ".") == 0) {
        n = snprintf(out, size, "%s", cwd);
    } else {
        n = snprintf(out, size, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd,
                     strncmp(dir, "./", 2) == 0 ? dir + 2 : dir);
    }
    if (n < 0 || (size_t)n >= size) {
        return false;
    }
    size_t len = strlen(out);
    while (len > 1 && out[len - 1] == '/') {
        out[--len] = '\0';
    }
    return true;
}

azb_prompts *azb_prompts_load(const char *scenarios_dir, azb_errors *errs)
{
    assert(scenarios_dir != NULL && errs != NULL);
    int before = azb_errors_count_errors(errs);
    char dir[AZB_PATH_MAX];
    char index_path[AZB_PATH_MAX + 16];
    azbi_jdoc doc;
    bool opened = false;
    azb_prompts *list = NULL;

    bool fits = abs_dir(scenarios_dir, dir, sizeof(dir));
    snprintf(index_path, sizeof(index_path), "%s/index.json", fits ? dir : scenarios_dir);
    if (!fits || strlen(dir) + 12 >= AZB_PATH_MAX) {
        azb_errors_add(errs, false, index_path, 0, 0, "", "path is longer than %d bytes",
                       AZB_PATH_MAX - 1);
        goto fail;
    }
    if (!open_doc(&doc, index_path, errs)) {
        goto fail;
    }
    opened = true;
    list = calloc(1, sizeof(*list));
    if (list == NULL) {
        azb_errors_add(errs, false, index_path, 0, 0, "", "out of memory");
        goto fail;
    }
    const cJSON *root = doc.root;
    scan_keys(&doc, root, "", index_keys);
    azbi_check_header(&doc, root, INDEX_FORMAT, FORMAT_VERSION, "prompt index");

    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "prompts");
    int n = 0;
    if (arr == NULL) {
        azbi_jmissing(&doc, "", "prompts");
    } else if (!cJSON_IsArray(arr)) {
        azbi_jerr(&doc, "prompts", "expected an array, got %s", azbi_jtype_name(arr));
    } else if ((n = cJSON_GetArraySize(arr)) == 0) {
        azbi_jerr(&doc, "prompts", "%s", "the index lists no prompts");
    } else if (n > MAX_PROMPTS) {
        azbi_jerr(&doc, "prompts", "%d prompts; the index holds at most %d", n, MAX_PROMPTS);
        n = 0;
    }
    if (n > 0) {
        list->items = calloc((size_t)n, sizeof(*list->items));
        if (list->items == NULL) {
            azb_errors_add(errs, false, index_path, 0, 0, "prompts", "out of memory");
            goto fail;
        }
    }
    int i = 0;
    const cJSON *it = NULL;
    const cJSON *entries = n > 0 ? arr : NULL;
    cJSON_ArrayForEach(it, entries)
    {
        char p[64];
        azbi_path_index(p, sizeof(p), "prompts", i++);
        azb_prompt *q = &list->items[list->count++];
        if (!need_object(&doc, it, p)) {
            continue;
        }
        scan_keys(&doc, it, p, entry_keys);
        char id[sizeof(q->id)] = "";
        char rel[AZB_PATH_MAX] = "";
        bool has_id = need_str(&doc, it, "id", p, sizeof(id), id);
        bool has_file = need_str(&doc, it, "file", p, sizeof(rel), rel);
        char pk[80];
        azbi_path_key(pk, sizeof(pk), p, "id");
        if (has_id) {
            check_id(&doc, id, pk);
            for (int k = 0; k < list->count - 1; k++) {
                if (strcmp(list->items[k].id, id) == 0) {
                    azbi_jerr(&doc, pk, "duplicate prompt id \"%s\" (also prompts[%d])", id, k);
                    has_id = false;
                    break;
                }
            }
        }
        /* Keep the index's id even when the file does not load, so a
         * later duplicate is still caught and the default still resolves. */
        snprintf(q->id, sizeof(q->id), "%s", id);
        char pf[80];
        azbi_path_key(pf, sizeof(pf), p, "file");
        char file[AZB_PATH_MAX] = "";
        if (!has_id || !has_file || !ref_file(&doc, dir, rel, pf, file)) {
            continue;
        }
        if (!load_prompt(file, id, q, errs)) {
            goto fail;
        }
        snprintf(q->id, sizeof(q->id), "%s", id);
    }

    char def[sizeof(list->items[0].id)] = "";
    if (need_str(&doc, root, "default", "", sizeof(def), def)) {
        list->default_index = -1;
        for (int k = 0; k < list->count; k++) {
            if (strcmp(list->items[k].id, def) == 0) {
                list->default_index = k;
            }
        }
        if (list->default_index < 0) {
            azbi_jerr(&doc, "default", "default \"%s\" is not one of the prompts listed", def);
            list->default_index = 0;
        }
    }
    if (azb_errors_count_errors(errs) > before) {
        goto fail;
    }
    azbi_jdoc_free(&doc);
    return list;

fail:
    if (opened) {
        azbi_jdoc_free(&doc);
    }
    azb_prompts_destroy(list);
    return NULL;
}

void azb_prompts_destroy(azb_prompts *p)
{
    if (p == NULL) {
        return;
    }
    for (int i = 0; i < p->count; i++) {
        free(p->items[i].designs);
    }
    free(p->items);
    free(p);
}

const azb_prompt *azb_prompts_find(const azb_prompts *p, const char *id)
{
    if (p == NULL || id == NULL) {
        return NULL;
    }
    for (int i = 0; i < p->count; i++) {
        if (strcmp(p->items[i].id, id) == 0) {
            return &p->items[i];
        }
    }
    return NULL;
}

bool azb_prompt_load(const char *path, azb_prompt *out, azb_errors *errs)
{
    assert(path != NULL && out != NULL && errs != NULL);
    memset(out, 0, sizeof(*out));
    int before = azb_errors_count_errors(errs);
    char dir[AZB_PATH_MAX];
    char file[AZB_PATH_MAX + 64];
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    if (slash == NULL) {
        snprintf(dir, sizeof(dir), ".");
    } else {
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
        if (dir[0] == '\0') {
            snprintf(dir, sizeof(dir), "/");
        }
    }
    char absdir[AZB_PATH_MAX];
    if (!abs_dir(dir, absdir, sizeof(absdir)) ||
        snprintf(file, sizeof(file), "%s/%s", strcmp(absdir, "/") == 0 ? "" : absdir, base) >=
            (int)AZB_PATH_MAX) {
        azb_errors_add(errs, false, path, 0, 0, "", "path is too long");
        return false;
    }
    bool mem = load_prompt(file, NULL, out, errs);
    if (!mem || azb_errors_count_errors(errs) > before) {
        azb_prompt_free(out);
        return false;
    }
    return true;
}

void azb_prompt_free(azb_prompt *p)
{
    if (p != NULL) {
        free(p->designs);
        p->designs = NULL;
        p->ndesigns = 0;
    }
}
