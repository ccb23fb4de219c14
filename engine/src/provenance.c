#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "azbi_catalog.h"

static const char *const tag_names[AZB_TAG_COUNT] = {"SEEN", "DERIVED", "3P", "EST"};

const char *azb_tag_name(azb_tag t)
{
    return (t >= 0 && t < AZB_TAG_COUNT) ? tag_names[t] : "?";
}

int azbi_source_find(const azb_catalog *cat, const char *id)
{
    for (int i = 0; i < cat->nsources; i++) {
        if (strcmp(cat->sources[i].id, id) == 0) {
            return i;
        }
    }
    return -1;
}

bool azbi_sources_parse(azb_catalog *cat, azbi_jdoc *doc, const cJSON *arr, const char *path)
{
    assert(cat != NULL && doc != NULL);
    if (!cJSON_IsArray(arr)) {
        azbi_jerr(doc, path, "expected an array of sources, got %s", azbi_jtype_name(arr));
        return false;
    }
    int n = cJSON_GetArraySize(arr);
    azb_source *grown = realloc(cat->sources, (size_t)(cat->nsources + n + 1) * sizeof(*grown));
    if (grown == NULL) {
        azbi_jerr(doc, path, "out of memory");
        return false;
    }
    cat->sources = grown;
    bool ok = true;
    int i = 0;
    const cJSON *it = NULL;
    cJSON_ArrayForEach(it, arr)
    {
        char p[200];
        azbi_path_index(p, sizeof(p), path, i++);
        if (!cJSON_IsObject(it)) {
            azbi_jerr(doc, p, "expected an object, got %s", azbi_jtype_name(it));
            ok = false;
            continue;
        }
        azb_source s;
        memset(&s, 0, sizeof(s));
        bool has_id = false;
        bool has_url = false;
        bool good = azbi_jstr(doc, it, "id", p, sizeof(s.id), s.id, &has_id);
        good = azbi_jstr(doc, it, "url", p, sizeof(s.url), s.url, &has_url) && good;
        good = azbi_jstr(doc, it, "date", p, sizeof(s.date), s.date, NULL) && good;
        good = azbi_jstr(doc, it, "what", p, sizeof(s.what), s.what, NULL) && good;
        if (!has_id) {
            azbi_jmissing(doc, p, "id");
            good = false;
        }
        if (!has_url) {
            azbi_jmissing(doc, p, "url");
            good = false;
        }
        if (good && azbi_source_find(cat, s.id) >= 0) {
            char pid[220];
            azbi_path_key(pid, sizeof(pid), p, "id");
            azbi_jerr(doc, pid, "duplicate source id \"%s\"", s.id);
            good = false;
        }
        if (good) {
            cat->sources[cat->nsources++] = s;
        }
        ok = ok && good;
    }
    return ok;
}

bool azbi_prov_parse(const azb_catalog *cat, azbi_jdoc *doc, const cJSON *obj,
                     const char *path, azb_prov *out)
{
    assert(cat != NULL && doc != NULL && out != NULL);
    out->source = -1;
    out->tag = AZB_TAG_EST;
    char src[32] = "";
    char tag[16] = "";
    bool has_src = false;
    bool has_tag = false;
    bool estimate = false;
    bool ok = azbi_jstr(doc, obj, "source", path, sizeof(src), src, &has_src);
    ok = azbi_jstr(doc, obj, "tag", path, sizeof(tag), tag, &has_tag) && ok;
    ok = azbi_jbool(doc, obj, "estimate", path, &estimate, NULL) && ok;
    if (!ok) {
        return false;
    }
    char p[220];
    if (!has_src) {
        azbi_jerr(doc, path, "missing \"source\": every figure names where it comes from");
        return false;
    }
    out->source = azbi_source_find(cat, src);
    if (out->source < 0) {
        azbi_path_key(p, sizeof(p), path, "source");
        azbi_jerr(doc, p, "unknown source \"%s\" (not in the sources list)", src);
        return false;
    }
    if (!has_tag) {
        azbi_jerr(doc, path, "missing \"tag\" (SEEN, DERIVED, 3P or EST)");
        return false;
    }
    bool found = false;
    for (int t = 0; t < AZB_TAG_COUNT; t++) {
        if (strcmp(tag, tag_names[t]) == 0) {
            out->tag = (azb_tag)t;
            found = true;
        }
    }
    azbi_path_key(p, sizeof(p), path, "tag");
    if (!found) {
        azbi_jerr(doc, p, "unknown tag \"%s\" (SEEN, DERIVED, 3P or EST)", tag);
        return false;
    }
    if ((out->tag == AZB_TAG_EST) != estimate) {
        azbi_jerr(doc, p, "%s", estimate ? "\"estimate\": true needs the tag EST"
                                         : "tag EST needs \"estimate\": true");
        return false;
    }
    return true;
}
