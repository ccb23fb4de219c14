/* Internal to the design module: shared by load, check and save. */
#ifndef AZBI_DESIGN_H
#define AZBI_DESIGN_H

#include "azb_design.h"
#include "azbi_json.h"

/* Validation with positions when `doc` is the text the design came from. */
bool azbi_design_check(azb_design *d, const azb_catalog *cat, azb_errors *errs, azbi_jdoc *doc);

void azbi_extras_free(azb_extras *x);
bool azbi_extras_copy(azb_extras *dst, const azb_extras *src);
bool azbi_extras_add(azb_extras *x, const char *key, const cJSON *value);
/* Add every kept extra key of `x` to `obj` (parsed back from its text). */
bool azbi_extras_emit(cJSON *obj, const azb_extras *x);

void azbi_profile_free(azb_profile *p);
/* A piecewise profile's "points" under obj (designs and scenarios share
 * it): every problem recorded at its place; false when there was one. */
bool azbi_profile_points(azbi_jdoc *doc, const cJSON *obj, const char *path, int max,
                         azb_profile *p);

#endif
