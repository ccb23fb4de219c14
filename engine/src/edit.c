#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azb_edit.h"
#include "azbi_design.h"

/* ---- the editor ---- */

enum { REC_NODE, REC_EDGE, REC_GROUP, REC_WORKLOAD, REC_HEADER };

/* The design's own fields (name, description, prompt). */
typedef struct header {
    char name[128];
    char description[512];
    bool has_description;
    char prompt[64];
    bool has_prompt;
} header;
enum { CH_INSERT, CH_REMOVE, CH_REPLACE };

typedef union record {
    azb_node node;
    azb_edge edge;
    azb_group group;
    azb_workload wl;
    header hdr;
} record;

/* One record change. `rec` holds the version that is not in the design
 * (`holds`): applying and undoing swap it with the design's, so neither
 * copies nor allocates (array room is reserved when the change is made and
 * never given back, so an undone removal always fits again). */
typedef struct change {
    int type;
    int kind;
    int index;
    bool holds;
    record rec;
} change;

typedef struct step {
    char label[64];
    unsigned long id;
    change *ch;
    int n;
    int cap;
} step;

typedef struct stack {
    step *items;
    int n;
    int cap;
} stack;

#define MAX_DEPTH 64
#define WHY_MAX 320
#define SAVED_NEVER (~0ul)
#define BUFFER_KEEP 256 /* changes a reusable buffer keeps between calls */

struct azb_editor {
    azb_design *d;
    const azb_catalog *cat;
    int cap[3]; /* room in d->nodes, d->edges, d->groups */
    stack undo;
    stack redo;
    step pending; /* the open transaction */
    int depth;
    int marks[MAX_DEPTH]; /* pending.n at each begin */
    step op;              /* the changes of the call in progress */
    unsigned long revision;
    unsigned long next_id;
    unsigned long state; /* id of the step on top of the undo list, 0 for none */
    unsigned long saved;
    int base_errors; /* errors the design has (0 unless handed over broken) */
    char err[WHY_MAX];
};

static void set_err(azb_editor *ed, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void set_err(azb_editor *ed, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ed->err, sizeof(ed->err), fmt, ap);
    va_end(ap);
}

static void copy_why(const azb_editor *ed, char *why, size_t why_size)
{
    if (why != NULL && why_size > 0) {
        snprintf(why, why_size, "%s", ed->err);
    }
}

/* ---- records: deep copies and frees ---- */

static void node_clear(azb_node *n)
{
    free(n->settings);
    n->settings = NULL;
    n->nsettings = 0;
    azbi_extras_free(&n->extras);
    azbi_extras_free(&n->autoscale.extras);
}

static bool node_copy(azb_node *dst, const azb_node *src)
{
    memcpy(dst, src, sizeof(*dst));
    dst->settings = NULL;
    dst->nsettings = 0;
    dst->extras = (azb_extras){0};
    dst->autoscale.extras = (azb_extras){0};
    if (src->nsettings > 0) {
        dst->settings = malloc((size_t)src->nsettings * sizeof(*dst->settings));
        if (dst->settings == NULL) {
            goto fail;
        }
        memcpy(dst->settings, src->settings, (size_t)src->nsettings * sizeof(*dst->settings));
        dst->nsettings = src->nsettings;
    }
    if (!azbi_extras_copy(&dst->extras, &src->extras) ||
        !azbi_extras_copy(&dst->autoscale.extras, &src->autoscale.extras)) {
        goto fail;
    }
    return true;
fail:
    node_clear(dst);
    return false;
}

static void edge_clear(azb_edge *e)
{
    free(e->ops);
    e->ops = NULL;
    e->nops = 0;
    azbi_extras_free(&e->extras);
}

static bool edge_copy(azb_edge *dst, const azb_edge *src)
{
    memcpy(dst, src, sizeof(*dst));
    dst->ops = NULL;
    dst->nops = 0;
    dst->extras = (azb_extras){0};
    if (src->nops > 0) {
        dst->ops = malloc((size_t)src->nops * sizeof(*dst->ops));
        if (dst->ops == NULL) {
            goto fail;
        }
        memcpy(dst->ops, src->ops, (size_t)src->nops * sizeof(*dst->ops));
        dst->nops = src->nops;
    }
    if (!azbi_extras_copy(&dst->extras, &src->extras)) {
        goto fail;
    }
    return true;
fail:
    edge_clear(dst);
    return false;
}

static void group_clear(azb_group *g)
{
    azbi_extras_free(&g->extras);
}

static bool group_copy(azb_group *dst, const azb_group *src)
{
    memcpy(dst, src, sizeof(*dst));
    dst->extras = (azb_extras){0};
    if (!azbi_extras_copy(&dst->extras, &src->extras)) {
        group_clear(dst);
        return false;
    }
    return true;
}

static void workload_clear(azb_workload *w)
{
    for (int i = 0; i < w->nops; i++) {
        azbi_extras_free(&w->ops[i].extras);
    }
    free(w->ops);
    w->ops = NULL;
    w->nops = 0;
    azbi_profile_free(&w->profile);
    azbi_extras_free(&w->extras);
}

static bool workload_copy(azb_workload *dst, const azb_workload *src)
{
    memcpy(dst, src, sizeof(*dst));
    dst->ops = NULL;
    dst->nops = 0;
    dst->profile.points = NULL;
    dst->profile.npoints = 0;
    dst->profile.extras = (azb_extras){0};
    dst->extras = (azb_extras){0};
    if (src->nops > 0) {
        dst->ops = calloc((size_t)src->nops, sizeof(*dst->ops));
        if (dst->ops == NULL) {
            goto fail;
        }
        for (int i = 0; i < src->nops; i++) {
            dst->ops[i] = src->ops[i];
            dst->ops[i].extras = (azb_extras){0};
            dst->nops++;
            if (!azbi_extras_copy(&dst->ops[i].extras, &src->ops[i].extras)) {
                goto fail;
            }
        }
    }
    if (src->profile.npoints > 0) {
        size_t bytes = (size_t)src->profile.npoints * sizeof(*src->profile.points);
        dst->profile.points = malloc(bytes);
        if (dst->profile.points == NULL) {
            goto fail;
        }
        memcpy(dst->profile.points, src->profile.points, bytes);
        dst->profile.npoints = src->profile.npoints;
    }
    if (!azbi_extras_copy(&dst->profile.extras, &src->profile.extras) ||
        !azbi_extras_copy(&dst->extras, &src->extras)) {
        goto fail;
    }
    return true;
fail:
    workload_clear(dst);
    return false;
}

static void record_clear(int type, record *r)
{
    switch (type) {
    case REC_NODE:
        node_clear(&r->node);
        break;
    case REC_EDGE:
        edge_clear(&r->edge);
        break;
    case REC_GROUP:
        group_clear(&r->group);
        break;
    case REC_HEADER:
        break; /* nothing on the heap */
    default:
        workload_clear(&r->wl);
        break;
    }
}

static size_t extras_bytes(const azb_extras *x)
{
    size_t b = (size_t)x->count * sizeof(*x->items);
    for (int i = 0; i < x->count; i++) {
        b += strlen(x->items[i].key) + 1 + strlen(x->items[i].json) + 1;
    }
    return b;
}

static size_t record_heap_bytes(int type, const record *r)
{
    switch (type) {
    case REC_NODE:
        return (size_t)r->node.nsettings * sizeof(*r->node.settings) +
               extras_bytes(&r->node.extras) + extras_bytes(&r->node.autoscale.extras);
    case REC_EDGE:
        return (size_t)r->edge.nops * sizeof(*r->edge.ops) + extras_bytes(&r->edge.extras);
    case REC_GROUP:
        return extras_bytes(&r->group.extras);
    case REC_HEADER:
        return 0;
    default: {
        size_t b = (size_t)r->wl.nops * sizeof(*r->wl.ops) + extras_bytes(&r->wl.extras) +
                   (size_t)r->wl.profile.npoints * sizeof(*r->wl.profile.points) +
                   extras_bytes(&r->wl.profile.extras);
        for (int i = 0; i < r->wl.nops; i++) {
            b += extras_bytes(&r->wl.ops[i].extras);
        }
        return b;
    }
    }
}

/* ---- the design's arrays ---- */

static size_t elem_size(int type)
{
    switch (type) {
    case REC_NODE:
        return sizeof(azb_node);
    case REC_EDGE:
        return sizeof(azb_edge);
    default:
        return sizeof(azb_group);
    }
}

static char *arr_data(azb_design *d, int type)
{
    switch (type) {
    case REC_NODE:
        return (char *)d->nodes;
    case REC_EDGE:
        return (char *)d->edges;
    default:
        return (char *)d->groups;
    }
}

static int *arr_count(azb_design *d, int type)
{
    switch (type) {
    case REC_NODE:
        return &d->nnodes;
    case REC_EDGE:
        return &d->nedges;
    default:
        return &d->ngroups;
    }
}

static bool reserve(azb_editor *ed, int type, int need)
{
    if (need <= ed->cap[type]) {
        return true;
    }
    int cap = ed->cap[type] < 8 ? 8 : ed->cap[type];
    while (cap < need) {
        cap *= 2;
    }
    size_t bytes = (size_t)cap * elem_size(type);
    azb_design *d = ed->d;
    void *p = NULL;
    switch (type) {
    case REC_NODE:
        p = realloc(d->nodes, bytes);
        if (p != NULL) {
            d->nodes = p;
        }
        break;
    case REC_EDGE:
        p = realloc(d->edges, bytes);
        if (p != NULL) {
            d->edges = p;
        }
        break;
    default:
        p = realloc(d->groups, bytes);
        if (p != NULL) {
            d->groups = p;
        }
        break;
    }
    if (p == NULL) {
        return false;
    }
    ed->cap[type] = cap;
    return true;
}

static void arr_insert(azb_editor *ed, int type, int index, const record *r)
{
    int *count = arr_count(ed->d, type);
    assert(*count < ed->cap[type] && index >= 0 && index <= *count);
    size_t el = elem_size(type);
    char *base = arr_data(ed->d, type);
    memmove(base + (size_t)(index + 1) * el, base + (size_t)index * el,
            (size_t)(*count - index) * el);
    memcpy(base + (size_t)index * el, r, el);
    (*count)++;
}

static void arr_take(azb_editor *ed, int type, int index, record *out)
{
    int *count = arr_count(ed->d, type);
    assert(index >= 0 && index < *count);
    size_t el = elem_size(type);
    char *base = arr_data(ed->d, type);
    memcpy(out, base + (size_t)index * el, el);
    memmove(base + (size_t)index * el, base + (size_t)(index + 1) * el,
            (size_t)(*count - index - 1) * el);
    (*count)--;
}

static void arr_swap(azb_editor *ed, int type, int index, record *r)
{
    record tmp;
    if (type == REC_HEADER) {
        azb_design *d = ed->d;
        header cur;
        memset(&cur, 0, sizeof(cur));
        memcpy(cur.name, d->name, sizeof(cur.name));
        memcpy(cur.description, d->description, sizeof(cur.description));
        cur.has_description = d->has_description;
        memcpy(cur.prompt, d->prompt, sizeof(cur.prompt));
        cur.has_prompt = d->has_prompt;
        memcpy(d->name, r->hdr.name, sizeof(d->name));
        memcpy(d->description, r->hdr.description, sizeof(d->description));
        d->has_description = r->hdr.has_description;
        memcpy(d->prompt, r->hdr.prompt, sizeof(d->prompt));
        d->has_prompt = r->hdr.has_prompt;
        r->hdr = cur;
        return;
    }
    if (type == REC_WORKLOAD) {
        tmp.wl = ed->d->workload;
        ed->d->workload = r->wl;
        r->wl = tmp.wl;
        return;
    }
    assert(index >= 0 && index < *arr_count(ed->d, type));
    size_t el = elem_size(type);
    char *at = arr_data(ed->d, type) + (size_t)index * el;
    memcpy(&tmp, at, el);
    memcpy(at, r, el);
    memcpy(r, &tmp, el);
}

static void change_forward(azb_editor *ed, change *c)
{
    switch (c->kind) {
    case CH_INSERT:
        arr_insert(ed, c->type, c->index, &c->rec);
        c->holds = false;
        break;
    case CH_REMOVE:
        arr_take(ed, c->type, c->index, &c->rec);
        c->holds = true;
        break;
    default:
        arr_swap(ed, c->type, c->index, &c->rec);
        break;
    }
}

static void change_backward(azb_editor *ed, change *c)
{
    switch (c->kind) {
    case CH_INSERT:
        arr_take(ed, c->type, c->index, &c->rec);
        c->holds = true;
        break;
    case CH_REMOVE:
        arr_insert(ed, c->type, c->index, &c->rec);
        c->holds = false;
        break;
    default:
        arr_swap(ed, c->type, c->index, &c->rec);
        break;
    }
}

static void step_clear(step *s)
{
    for (int i = 0; i < s->n; i++) {
        if (s->ch[i].holds) {
            record_clear(s->ch[i].type, &s->ch[i].rec);
        }
    }
    s->n = 0;
}

static void step_free(step *s)
{
    step_clear(s);
    free(s->ch);
    memset(s, 0, sizeof(*s));
}

static bool step_reserve(step *s, int need)
{
    if (need <= s->cap) {
        return true;
    }
    int cap = s->cap < 4 ? 4 : s->cap;
    while (cap < need) {
        cap *= 2;
    }
    change *p = realloc(s->ch, (size_t)cap * sizeof(*p));
    if (p == NULL) {
        return false;
    }
    s->ch = p;
    s->cap = cap;
    return true;
}

static bool stack_reserve(stack *s, int need)
{
    if (need <= s->cap) {
        return true;
    }
    int cap = s->cap < 16 ? 16 : s->cap * 2;
    step *p = realloc(s->items, (size_t)cap * sizeof(*p));
    if (p == NULL) {
        return false;
    }
    s->items = p;
    s->cap = cap;
    return true;
}

static void stack_clear(stack *s)
{
    for (int i = 0; i < s->n; i++) {
        step_free(&s->items[i]);
    }
    s->n = 0;
}

/* ---- validation ---- */

/* Resolve references; true when the design has no more errors than before
 * (none, for a design that was valid). The first error goes to ed->err. */
static bool check(azb_editor *ed)
{
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design_validate(ed->d, ed->cat, &errs);
    int n = azb_errors_count_errors(&errs);
    bool ok = n == 0 || n <= ed->base_errors;
    if (ok) {
        ed->base_errors = n;
    } else {
        set_err(ed, "out of memory");
        for (int i = 0; i < errs.count; i++) {
            if (!errs.items[i].warning) {
                azb_error_format(&errs.items[i], ed->err, sizeof(ed->err));
                break;
            }
        }
    }
    azb_errors_free(&errs);
    return ok;
}

static void revalidate(azb_editor *ed)
{
    azb_errors errs;
    azb_errors_init(&errs);
    azb_design_validate(ed->d, ed->cat, &errs);
    ed->base_errors = azb_errors_count_errors(&errs);
    azb_errors_free(&errs);
}

/* ---- operations: the changes one call makes ----
 * A call applies its changes at once (ed->op), validates, and either undoes
 * them (refused) or moves them into the open transaction, folding a
 * replacement of a record the transaction already changed into that change. */

static bool op_room(azb_editor *ed)
{
    if (!step_reserve(&ed->op, ed->op.n + 1)) {
        set_err(ed, "out of memory");
        return false;
    }
    return true;
}

static void op_abort(azb_editor *ed)
{
    if (ed->op.n == 0) {
        return;
    }
    for (int i = ed->op.n - 1; i >= 0; i--) {
        change_backward(ed, &ed->op.ch[i]);
    }
    step_clear(&ed->op);
    revalidate(ed);
}

/* Each takes ownership of `r` (freed on failure). */
static bool op_insert(azb_editor *ed, int type, int index, record *r)
{
    if (!op_room(ed) || !reserve(ed, type, *arr_count(ed->d, type) + 1)) {
        set_err(ed, "out of memory");
        record_clear(type, r);
        return false;
    }
    change *c = &ed->op.ch[ed->op.n++];
    c->type = type;
    c->kind = CH_INSERT;
    c->index = index;
    c->holds = true;
    c->rec = *r;
    change_forward(ed, c);
    return true;
}

static bool op_remove(azb_editor *ed, int type, int index)
{
    if (!op_room(ed)) {
        return false;
    }
    change *c = &ed->op.ch[ed->op.n++];
    c->type = type;
    c->kind = CH_REMOVE;
    c->index = index;
    c->holds = false;
    change_forward(ed, c);
    return true;
}

static bool op_replace(azb_editor *ed, int type, int index, record *r)
{
    if (!op_room(ed)) {
        record_clear(type, r);
        return false;
    }
    change *c = &ed->op.ch[ed->op.n++];
    c->type = type;
    c->kind = CH_REPLACE;
    c->index = index;
    c->holds = true;
    c->rec = *r;
    change_forward(ed, c);
    return true;
}

static bool commit_pending(azb_editor *ed);

static void merge_op(azb_editor *ed)
{
    step *p = &ed->pending;
    int level = ed->depth < MAX_DEPTH ? ed->depth : MAX_DEPTH;
    int mark = level > 0 ? ed->marks[level - 1] : 0;
    for (int i = 0; i < ed->op.n; i++) {
        change *c = &ed->op.ch[i];
        bool folded = false;
        if (c->kind == CH_REPLACE) {
            for (int k = p->n - 1; k >= mark; k--) {
                const change *e = &p->ch[k];
                if (e->type != c->type) {
                    continue;
                }
                if (e->index == c->index && e->kind != CH_REMOVE) {
                    folded = true; /* the transaction keeps the older version */
                    break;
                }
                if (e->kind != CH_REPLACE) {
                    break; /* indices moved: stop looking */
                }
            }
        }
        if (folded) {
            record_clear(c->type, &c->rec);
        } else {
            p->ch[p->n++] = *c;
        }
    }
    ed->op.n = 0;
}

/* End a call: validate (when asked), record, count the revision. */
static bool op_finish(azb_editor *ed, bool validate, const char *label)
{
    if (ed->op.n == 0) {
        return true;
    }
    if (!step_reserve(&ed->pending, ed->pending.n + ed->op.n) ||
        (ed->depth == 0 && !stack_reserve(&ed->undo, ed->undo.n + 1))) {
        op_abort(ed);
        set_err(ed, "out of memory");
        return false;
    }
    if (validate && !check(ed)) {
        char why[WHY_MAX];
        memcpy(why, ed->err, sizeof(why));
        op_abort(ed);
        memcpy(ed->err, why, sizeof(why));
        return false;
    }
    if (ed->pending.label[0] == '\0' && label != NULL) {
        snprintf(ed->pending.label, sizeof(ed->pending.label), "%s", label);
    }
    merge_op(ed);
    if (ed->op.cap > BUFFER_KEEP) {
        free(ed->op.ch);
        ed->op.ch = NULL;
        ed->op.cap = 0;
    }
    ed->revision++;
    if (ed->depth == 0) {
        commit_pending(ed);
    }
    return true;
}

/* Move the pending changes to the undo list as one step. */
static bool commit_pending(azb_editor *ed)
{
    step *p = &ed->pending;
    if (p->n == 0) {
        p->label[0] = '\0';
        return true;
    }
    if (!stack_reserve(&ed->undo, ed->undo.n + 1)) {
        for (int i = p->n - 1; i >= 0; i--) {
            change_backward(ed, &p->ch[i]);
        }
        step_clear(p);
        p->label[0] = '\0';
        revalidate(ed);
        ed->revision++;
        set_err(ed, "out of memory: the change was undone");
        return false;
    }
    stack_clear(&ed->redo);
    p->id = ++ed->next_id;
    /* The step keeps an array of exactly its changes; the pending buffer
     * stays for the next transaction. */
    step s = *p;
    s.ch = malloc((size_t)p->n * sizeof(*s.ch));
    if (s.ch != NULL) {
        memcpy(s.ch, p->ch, (size_t)p->n * sizeof(*s.ch));
        s.cap = p->n;
        p->n = 0;
        p->label[0] = '\0';
        if (p->cap > BUFFER_KEEP) {
            free(p->ch);
            p->ch = NULL;
            p->cap = 0;
        }
    } else {
        s.ch = p->ch;
        memset(p, 0, sizeof(*p));
    }
    ed->undo.items[ed->undo.n++] = s;
    ed->state = s.id;
    return true;
}

/* ---- life ---- */

static void take_design(azb_editor *ed, azb_design *d)
{
    ed->d = d;
    if (d->name[0] == '\0') {
        snprintf(d->name, sizeof(d->name), "Untitled");
    }
    ed->cap[REC_NODE] = d->nnodes;
    ed->cap[REC_EDGE] = d->nedges;
    ed->cap[REC_GROUP] = d->ngroups;
    ed->state = 0;
    ed->saved = 0;
    revalidate(ed);
}

azb_editor *azb_edit_create(azb_design *d, const azb_catalog *cat)
{
    assert(cat != NULL);
    azb_editor *ed = calloc(1, sizeof(*ed));
    if (ed == NULL) {
        return NULL;
    }
    if (d == NULL) {
        d = azb_design_create("Untitled");
        if (d == NULL) {
            free(ed);
            return NULL;
        }
    }
    ed->cat = cat;
    take_design(ed, d);
    return ed;
}

static void history_free(azb_editor *ed)
{
    stack_clear(&ed->undo);
    stack_clear(&ed->redo);
    step_clear(&ed->pending);
    step_clear(&ed->op);
    ed->pending.label[0] = '\0';
    ed->depth = 0;
}

void azb_edit_destroy(azb_editor *ed)
{
    if (ed == NULL) {
        return;
    }
    history_free(ed);
    free(ed->undo.items);
    free(ed->redo.items);
    free(ed->pending.ch);
    free(ed->op.ch);
    azb_design_destroy(ed->d);
    free(ed);
}

const azb_design *azb_edit_design(const azb_editor *ed)
{
    assert(ed != NULL);
    return ed->d;
}

void azb_edit_reset(azb_editor *ed, azb_design *d)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    if (d == NULL) {
        d = azb_design_create("Untitled");
        if (d == NULL) {
            set_err(ed, "out of memory");
            return;
        }
    }
    history_free(ed);
    if (d != ed->d) {
        azb_design_destroy(ed->d);
    }
    take_design(ed, d);
    ed->revision++;
}

/* ---- transactions, undo, redo ---- */

void azb_edit_begin(azb_editor *ed)
{
    assert(ed != NULL);
    ed->depth++;
    if (ed->depth <= MAX_DEPTH) {
        ed->marks[ed->depth - 1] = ed->pending.n;
    }
}

void azb_edit_commit(azb_editor *ed, const char *label)
{
    assert(ed != NULL);
    if (ed->depth == 0) {
        return;
    }
    ed->depth--;
    if (ed->depth > 0) {
        return;
    }
    if (label != NULL && label[0] != '\0') {
        snprintf(ed->pending.label, sizeof(ed->pending.label), "%s", label);
    }
    commit_pending(ed);
}

void azb_edit_cancel(azb_editor *ed)
{
    assert(ed != NULL);
    if (ed->depth == 0) {
        return;
    }
    int level = ed->depth < MAX_DEPTH ? ed->depth : MAX_DEPTH;
    int mark = ed->marks[level - 1];
    step *p = &ed->pending;
    bool changed = p->n > mark;
    for (int i = p->n - 1; i >= mark; i--) {
        change_backward(ed, &p->ch[i]);
        if (p->ch[i].holds) {
            record_clear(p->ch[i].type, &p->ch[i].rec);
        }
    }
    p->n = mark;
    ed->depth--;
    if (ed->depth == 0) {
        p->label[0] = '\0';
    }
    if (changed) {
        revalidate(ed);
        ed->revision++;
    }
}

bool azb_edit_undo(azb_editor *ed)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    if (ed->depth > 0) {
        set_err(ed, "a change is in progress");
        return false;
    }
    if (ed->undo.n == 0) {
        set_err(ed, "nothing to undo");
        return false;
    }
    if (!stack_reserve(&ed->redo, ed->redo.n + 1)) {
        set_err(ed, "out of memory");
        return false;
    }
    step s = ed->undo.items[--ed->undo.n];
    for (int i = s.n - 1; i >= 0; i--) {
        change_backward(ed, &s.ch[i]);
    }
    ed->redo.items[ed->redo.n++] = s;
    ed->state = ed->undo.n > 0 ? ed->undo.items[ed->undo.n - 1].id : 0;
    revalidate(ed);
    ed->revision++;
    return true;
}

bool azb_edit_redo(azb_editor *ed)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    if (ed->depth > 0) {
        set_err(ed, "a change is in progress");
        return false;
    }
    if (ed->redo.n == 0) {
        set_err(ed, "nothing to redo");
        return false;
    }
    if (!stack_reserve(&ed->undo, ed->undo.n + 1)) {
        set_err(ed, "out of memory");
        return false;
    }
    step s = ed->redo.items[--ed->redo.n];
    for (int i = 0; i < s.n; i++) {
        change_forward(ed, &s.ch[i]);
    }
    ed->undo.items[ed->undo.n++] = s;
    ed->state = s.id;
    revalidate(ed);
    ed->revision++;
    return true;
}

bool azb_edit_can_undo(const azb_editor *ed)
{
    assert(ed != NULL);
    return ed->depth == 0 && ed->undo.n > 0;
}

bool azb_edit_can_redo(const azb_editor *ed)
{
    assert(ed != NULL);
    return ed->depth == 0 && ed->redo.n > 0;
}

const char *azb_edit_undo_label(const azb_editor *ed)
{
    assert(ed != NULL);
    return ed->undo.n > 0 ? ed->undo.items[ed->undo.n - 1].label : "";
}

const char *azb_edit_redo_label(const azb_editor *ed)
{
    assert(ed != NULL);
    return ed->redo.n > 0 ? ed->redo.items[ed->redo.n - 1].label : "";
}

int azb_edit_undo_count(const azb_editor *ed)
{
    assert(ed != NULL);
    return ed->undo.n;
}

int azb_edit_redo_count(const azb_editor *ed)
{
    assert(ed != NULL);
    return ed->redo.n;
}

unsigned long azb_edit_revision(const azb_editor *ed)
{
    assert(ed != NULL);
    return ed->revision;
}

void azb_edit_mark_saved(azb_editor *ed)
{
    assert(ed != NULL);
    ed->saved = ed->pending.n > 0 ? SAVED_NEVER : ed->state;
}

bool azb_edit_dirty(const azb_editor *ed)
{
    assert(ed != NULL);
    return ed->pending.n > 0 || ed->state != ed->saved;
}

const char *azb_edit_last_error(const azb_editor *ed)
{
    assert(ed != NULL);
    return ed->err;
}

static size_t step_bytes(const step *s)
{
    size_t b = (size_t)s->cap * sizeof(*s->ch);
    for (int i = 0; i < s->n; i++) {
        if (s->ch[i].holds) {
            b += record_heap_bytes(s->ch[i].type, &s->ch[i].rec);
        }
    }
    return b;
}

size_t azb_edit_history_bytes(const azb_editor *ed)
{
    assert(ed != NULL);
    size_t b = (size_t)(ed->undo.cap + ed->redo.cap) * sizeof(step) + step_bytes(&ed->pending);
    for (int i = 0; i < ed->undo.n; i++) {
        b += step_bytes(&ed->undo.items[i]);
    }
    for (int i = 0; i < ed->redo.n; i++) {
        b += step_bytes(&ed->redo.items[i]);
    }
    return b;
}

/* ---- ids ---- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211u;
    }
    return h;
}

/* A set of node ids (copies: the node array moves while a paste inserts). */
typedef struct idset {
    char (*ids)[AZB_ID_MAX];
    int n;
    int *slots;
    size_t mask;
} idset;

static bool idset_init(idset *s, const azb_design *d, int extra)
{
    memset(s, 0, sizeof(*s));
    int max = d->nnodes + extra;
    size_t size = 16;
    while (size < (size_t)max * 2u) {
        size *= 2;
    }
    s->ids = malloc((size_t)(max > 0 ? max : 1) * sizeof(*s->ids));
    s->slots = malloc(size * sizeof(int));
    if (s->ids == NULL || s->slots == NULL) {
        free(s->ids);
        free(s->slots);
        return false;
    }
    memset(s->slots, 0xff, size * sizeof(int));
    s->mask = size - 1;
    return true;
}

static bool idset_has(const idset *s, const char *id)
{
    for (size_t i = hash_str(id) & s->mask;; i = (i + 1) & s->mask) {
        int k = s->slots[i];
        if (k < 0) {
            return false;
        }
        if (strcmp(s->ids[k], id) == 0) {
            return true;
        }
    }
}

static void idset_add(idset *s, const char *id)
{
    if (idset_has(s, id)) {
        return;
    }
    snprintf(s->ids[s->n], sizeof(s->ids[s->n]), "%s", id);
    size_t i = hash_str(id) & s->mask;
    while (s->slots[i] >= 0) {
        i = (i + 1) & s->mask;
    }
    s->slots[i] = s->n++;
}

static void idset_free(idset *s)
{
    free(s->ids);
    free(s->slots);
}

/* "<prefix>-<n>", the smallest n >= 1 the set does not hold. */
static void fresh_id(const idset *s, const char *prefix, char *out)
{
    for (long n = 1;; n++) {
        snprintf(out, AZB_ID_MAX, "%s-%ld", prefix, n);
        if (!idset_has(s, out)) {
            return;
        }
    }
}

static bool node_ids(idset *s, const azb_design *d, int extra)
{
    if (!idset_init(s, d, extra)) {
        return false;
    }
    for (int i = 0; i < d->nnodes; i++) {
        idset_add(s, d->nodes[i].id);
    }
    return true;
}

/* ---- settings ---- */

static int def_index(const azb_kind *k, const char *name)
{
    for (int i = 0; k != NULL && i < k->nsettings; i++) {
        if (strcmp(k->settings[i].name, name) == 0) {
            return i;
        }
    }
    return INT32_MAX;
}

/* Put a setting, in the kind's declared order (the canonical save order). */
static bool setting_put(azb_node *n, const azb_kind *k, const azb_setting *s)
{
    for (int i = 0; i < n->nsettings; i++) {
        if (strcmp(n->settings[i].name, s->name) == 0) {
            n->settings[i] = *s;
            return true;
        }
    }
    azb_setting *p = realloc(n->settings, (size_t)(n->nsettings + 1) * sizeof(*p));
    if (p == NULL) {
        return false;
    }
    n->settings = p;
    int want = def_index(k, s->name);
    int at = n->nsettings;
    for (int i = 0; i < n->nsettings; i++) {
        if (def_index(k, n->settings[i].name) > want) {
            at = i;
            break;
        }
    }
    memmove(&n->settings[at + 1], &n->settings[at],
            (size_t)(n->nsettings - at) * sizeof(*n->settings));
    n->settings[at] = *s;
    n->nsettings++;
    return true;
}

static void setting_remove(azb_node *n, const char *name)
{
    for (int i = 0; i < n->nsettings; i++) {
        if (strcmp(n->settings[i].name, name) == 0) {
            memmove(&n->settings[i], &n->settings[i + 1],
                    (size_t)(n->nsettings - i - 1) * sizeof(*n->settings));
            n->nsettings--;
            if (n->nsettings == 0) {
                free(n->settings);
                n->settings = NULL;
            }
            return;
        }
    }
}

static bool setting_put_num(azb_node *n, const azb_kind *k, const char *name, double v)
{
    azb_setting s;
    memset(&s, 0, sizeof(s));
    snprintf(s.name, sizeof(s.name), "%s", name);
    s.type = AZB_SETTING_NUMBER;
    s.num = v;
    return setting_put(n, k, &s);
}

static bool is_source(const azb_kind *k)
{
    return k != NULL && k->capacity_model == AZB_CAP_SOURCE;
}

/* A new clients node: a geo when it has none, and the share left of 1 when
 * other clients nodes exist (`share_sum` is theirs, updated). */
static bool init_clients(const azb_editor *ed, azb_node *n, const azb_kind *k, bool others,
                         double *share_sum)
{
    if (azb_catalog_find_setting(k, "geo") != NULL && azb_node_setting(n, "geo") == NULL &&
        ed->cat->ngeos > 0) {
        azb_setting s;
        memset(&s, 0, sizeof(s));
        snprintf(s.name, sizeof(s.name), "geo");
        s.type = AZB_SETTING_STRING;
        snprintf(s.str, sizeof(s.str), "%s", ed->cat->geos[0].id);
        if (!setting_put(n, k, &s)) {
            return false;
        }
    }
    if (others && azb_catalog_find_setting(k, "share") != NULL) {
        double left = 1.0 - *share_sum;
        left = left < 1e-9 ? 0.0 : (left > 1.0 ? 1.0 : left);
        if (!setting_put_num(n, k, "share", left)) {
            return false;
        }
        *share_sum += left;
    }
    return true;
}

static double clients_share(const azb_design *d, int *count)
{
    double sum = 0.0;
    *count = 0;
    for (int i = 0; i < d->nnodes; i++) {
        if (is_source(d->nodes[i].kind_ref)) {
            sum += azb_node_setting_num(&d->nodes[i], "share", 1.0);
            (*count)++;
        }
    }
    return sum;
}

/* ---- placement ---- */

static bool group_holds(const azb_group *g, double x, double y)
{
    return (g->has & AZB_HAS_XY) != 0u && (g->has & AZB_HAS_SIZE) != 0u && x >= g->x &&
           x <= g->x + g->w && y >= g->y && y <= g->y + g->h;
}

/* Set region and zones from the innermost group under the node; true when
 * that changed anything. */
static bool place_node(const azb_design *d, azb_node *n)
{
    if ((n->has & AZB_HAS_XY) == 0u || is_source(n->kind_ref)) {
        return false;
    }
    const azb_group *best = NULL;
    for (int i = 0; i < d->ngroups; i++) {
        const azb_group *g = &d->groups[i];
        if (!group_holds(g, n->x, n->y)) {
            continue;
        }
        bool zone = strcmp(g->kind, "zone") == 0;
        bool best_zone = best != NULL && strcmp(best->kind, "zone") == 0;
        double area = g->w * g->h;
        double best_area = best != NULL ? best->w * best->h : 0.0;
        if (best == NULL || area < best_area || (area == best_area && zone && !best_zone) ||
            (area == best_area && zone == best_zone)) {
            best = g;
        }
    }
    if (best == NULL) {
        return false;
    }
    bool same_region = (n->has & AZB_HAS_REGION) != 0u && strcmp(n->region, best->region) == 0;
    if (strcmp(best->kind, "zone") == 0 && (best->has & AZB_HAS_ZONE) != 0u) {
        if (same_region && n->nzones == 1 && n->zones[0] == best->zone &&
            (n->has & AZB_HAS_ZONES) != 0u) {
            return false;
        }
        snprintf(n->region, sizeof(n->region), "%s", best->region);
        n->zones[0] = best->zone;
        n->nzones = 1;
        n->has |= AZB_HAS_REGION | AZB_HAS_ZONES;
        return true;
    }
    if (same_region) {
        return false;
    }
    snprintf(n->region, sizeof(n->region), "%s", best->region);
    n->nzones = 0;
    n->has |= AZB_HAS_REGION;
    n->has &= ~(unsigned)AZB_HAS_ZONES;
    return true;
}

/* ---- nodes ---- */

static bool node_ok(azb_editor *ed, int node)
{
    if (node < 0 || node >= ed->d->nnodes) {
        set_err(ed, "no node %d (the design has %d)", node, ed->d->nnodes);
        return false;
    }
    return true;
}

int azb_edit_add_node(azb_editor *ed, const char *kind, const char *sku, double x, double y,
                      char *why, size_t why_size)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    const azb_kind *k = azb_catalog_find_kind(ed->cat, kind);
    const azb_sku *s = NULL;
    idset ids;
    if (kind == NULL || kind[0] == '\0') {
        set_err(ed, "a node needs a kind");
        goto fail;
    }
    if (k == NULL) {
        const char *near = azb_catalog_suggest_kind(ed->cat, kind);
        set_err(ed, "unknown kind \"%s\"%s%s", kind, near != NULL ? "; did you mean " : "",
                near != NULL ? near : "");
        goto fail;
    }
    if (sku != NULL && sku[0] != '\0') {
        s = azb_catalog_find_sku(k, sku);
        if (s == NULL) {
            const char *near = azb_catalog_suggest_sku(k, sku);
            set_err(ed, "unknown SKU \"%s\" for kind %s%s%s", sku, k->id,
                    near != NULL ? "; did you mean " : "", near != NULL ? near : "");
            goto fail;
        }
    }
    if (!isfinite(x) || !isfinite(y)) {
        set_err(ed, "a position must be finite");
        goto fail;
    }
    record r;
    memset(&r, 0, sizeof(r));
    azb_node *n = &r.node;
    if (!node_ids(&ids, ed->d, 0)) {
        set_err(ed, "out of memory");
        goto fail;
    }
    fresh_id(&ids, k->id, n->id);
    idset_free(&ids);
    snprintf(n->kind, sizeof(n->kind), "%s", k->id);
    if (s != NULL) {
        snprintf(n->sku, sizeof(n->sku), "%s", s->name);
        n->has |= AZB_HAS_SKU;
    }
    n->count = 1;
    n->concurrency = 1;
    n->region_idx = -1;
    n->x = x;
    n->y = y;
    n->has |= AZB_HAS_XY;
    n->kind_ref = k;
    if (is_source(k)) {
        int others = 0;
        double sum = clients_share(ed->d, &others);
        if (!init_clients(ed, n, k, others > 0, &sum)) {
            node_clear(n);
            set_err(ed, "out of memory");
            goto fail;
        }
    }
    place_node(ed->d, n);
    char label[64];
    snprintf(label, sizeof(label), "Add %s", k->id);
    if (!op_insert(ed, REC_NODE, ed->d->nnodes, &r) || !op_finish(ed, true, label)) {
        goto fail;
    }
    return ed->d->nnodes - 1;
fail:
    copy_why(ed, why, why_size);
    return -1;
}

bool azb_edit_set_position(azb_editor *ed, int node, double x, double y)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    if (!node_ok(ed, node)) {
        return false;
    }
    if (!isfinite(x) || !isfinite(y)) {
        set_err(ed, "a position must be finite");
        return false;
    }
    const azb_node *cur = &ed->d->nodes[node];
    if ((cur->has & AZB_HAS_XY) != 0u && cur->x == x && cur->y == y) {
        return true;
    }
    record r;
    if (!node_copy(&r.node, cur)) {
        set_err(ed, "out of memory");
        return false;
    }
    r.node.x = x;
    r.node.y = y;
    r.node.has |= AZB_HAS_XY;
    return op_replace(ed, REC_NODE, node, &r) && op_finish(ed, false, "Move");
}

bool azb_edit_place(azb_editor *ed, int node)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    if (!node_ok(ed, node)) {
        return false;
    }
    record r;
    if (!node_copy(&r.node, &ed->d->nodes[node])) {
        set_err(ed, "out of memory");
        return false;
    }
    if (!place_node(ed->d, &r.node)) {
        node_clear(&r.node);
        return true;
    }
    return op_replace(ed, REC_NODE, node, &r) && op_finish(ed, true, "Place");
}

bool azb_edit_move_nodes(azb_editor *ed, const int *nodes, int n, double dx, double dy)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    if (n < 0 || (n > 0 && nodes == NULL)) {
        set_err(ed, "no nodes given");
        return false;
    }
    if (!isfinite(dx) || !isfinite(dy)) {
        set_err(ed, "a move must be finite");
        return false;
    }
    for (int i = 0; i < n; i++) {
        if (!node_ok(ed, nodes[i])) {
            return false;
        }
    }
    if (n == 0) {
        return true;
    }
    bool *seen = calloc((size_t)ed->d->nnodes, sizeof(bool));
    if (seen == NULL) {
        set_err(ed, "out of memory");
        return false;
    }
    bool placed = false;
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        int k = nodes[i];
        if (seen[k]) {
            continue;
        }
        seen[k] = true;
        record r;
        if (!node_copy(&r.node, &ed->d->nodes[k])) {
            set_err(ed, "out of memory");
            ok = false;
            break;
        }
        r.node.x += dx;
        r.node.y += dy;
        if (!isfinite(r.node.x) || !isfinite(r.node.y)) {
            node_clear(&r.node);
            set_err(ed, "a position must be finite");
            ok = false;
            break;
        }
        r.node.has |= AZB_HAS_XY;
        placed = place_node(ed->d, &r.node) || placed;
        ok = op_replace(ed, REC_NODE, k, &r);
    }
    free(seen);
    if (!ok) {
        op_abort(ed);
        return false;
    }
    return op_finish(ed, placed, "Move");
}

/* ---- edges ---- */

/* A balancer (Load Balancer, Application Gateway, Front Door, Traffic
 * Manager) spreads its requests over its targets: every request goes to one
 * of them, not to all. When its sync, unconditional calls all share one p
 * (as drawn, never retuned by hand), a new target splits the load evenly
 * with them; their indices go to `out`. Returns how many (0: none, or the
 * node is not a balancer, or the p's were set by hand). */
static int balanced_edges(const azb_design *d, const azb_node *a, int *out, int max)
{
    static const char *const balancers[] = {"load_balancer", "app_gateway", "front_door",
                                            "traffic_manager"};
    bool is = false;
    for (size_t i = 0; i < sizeof(balancers) / sizeof(balancers[0]); i++) {
        is = is || strcmp(a->kind, balancers[i]) == 0;
    }
    if (!is) {
        return 0;
    }
    int n = 0;
    double p0 = -1.0;
    for (int i = 0; i < d->nedges; i++) {
        const azb_edge *e = &d->edges[i];
        if (strcmp(e->from, a->id) != 0 || e->mode != AZB_EDGE_SYNC || e->on != AZB_ON_ALWAYS) {
            continue;
        }
        if (n >= max || (p0 >= 0.0 && fabs(e->p - p0) > 1e-9)) {
            return 0;
        }
        p0 = e->p;
        out[n++] = i;
    }
    return n;
}

int azb_edit_connect(azb_editor *ed, int from, int to)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    if (!node_ok(ed, from) || !node_ok(ed, to)) {
        return -1;
    }
    const azb_node *a = &ed->d->nodes[from];
    const azb_node *b = &ed->d->nodes[to];
    if (from == to) {
        set_err(ed, "a node does not call itself here: draw the edge to another node");
        return -1;
    }
    for (int i = 0; i < ed->d->nedges; i++) {
        const azb_edge *e = &ed->d->edges[i];
        if (strcmp(e->from, a->id) == 0 && strcmp(e->to, b->id) == 0) {
            set_err(ed, "%s already calls %s (edges[%d])", a->id, b->id, i);
            return -1;
        }
    }
    record r;
    memset(&r, 0, sizeof(r));
    azb_edge *e = &r.edge;
    snprintf(e->from, sizeof(e->from), "%s", a->id);
    snprintf(e->to, sizeof(e->to), "%s", b->id);
    e->p = 1.0;
    e->calls = 1.0;
    e->from_idx = from;
    e->to_idx = to;
    if (b->kind_ref != NULL && b->kind_ref->category == AZB_CAT_MESSAGING) {
        e->mode = AZB_EDGE_ASYNC;
        e->has |= AZB_HAS_MODE;
    }
    /* Out of a cache, a call is what a miss does: the hits never leave it. */
    if (a->kind_ref != NULL && azb_catalog_find_setting(a->kind_ref, "hit_ratio") != NULL) {
        e->on = AZB_ON_MISS;
        e->has |= AZB_HAS_ON;
    }
    int split[64];
    int nsplit = e->mode == AZB_EDGE_SYNC && e->on == AZB_ON_ALWAYS
                     ? balanced_edges(ed->d, a, split, (int)(sizeof(split) / sizeof(split[0])))
                     : -1;
    if (nsplit > 0) {
        e->p = 1.0 / (double)(nsplit + 1);
        e->has |= AZB_HAS_P;
    }
    if (!op_insert(ed, REC_EDGE, ed->d->nedges, &r)) {
        return -1;
    }
    for (int i = 0; i < nsplit; i++) {
        record q;
        if (!edge_copy(&q.edge, &ed->d->edges[split[i]])) {
            set_err(ed, "out of memory");
            op_abort(ed);
            return -1;
        }
        q.edge.p = 1.0 / (double)(nsplit + 1);
        q.edge.has |= AZB_HAS_P;
        if (!op_replace(ed, REC_EDGE, split[i], &q)) {
            op_abort(ed);
            return -1;
        }
    }
    if (!op_finish(ed, true, nsplit > 0 ? "Connect (load split evenly)" : "Connect")) {
        return -1;
    }
    return ed->d->nedges - 1;
}

/* ---- groups ---- */

static bool rect_ok(azb_editor *ed, double x, double y, double w, double h)
{
    if (!isfinite(x) || !isfinite(y) || !isfinite(w) || !isfinite(h) || !(w > 0.0) || !(h > 0.0)) {
        set_err(ed, "a box needs a finite position and a width and height above 0");
        return false;
    }
    return true;
}

int azb_edit_add_group(azb_editor *ed, const char *kind, const char *region, int zone, double x,
                       double y, double w, double h)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    bool is_zone = kind != NULL && strcmp(kind, "zone") == 0;
    if (kind == NULL || (!is_zone && strcmp(kind, "region") != 0)) {
        set_err(ed, "a group is a \"region\" box or a \"zone\" lane, not \"%s\"",
                kind != NULL ? kind : "(null)");
        return -1;
    }
    if (region == NULL || region[0] == '\0' || strlen(region) >= sizeof(ed->d->groups->region)) {
        set_err(ed, "a group needs a region");
        return -1;
    }
    if (is_zone && (zone < 1 || zone > AZB_DESIGN_MAX_ZONES)) {
        set_err(ed, "a zone lane needs a zone from 1 to %d, not %d", AZB_DESIGN_MAX_ZONES, zone);
        return -1;
    }
    if (!rect_ok(ed, x, y, w, h)) {
        return -1;
    }
    record r;
    memset(&r, 0, sizeof(r));
    azb_group *g = &r.group;
    for (long n = 1;; n++) {
        snprintf(g->id, sizeof(g->id), "%s-%ld", kind, n);
        bool used = false;
        for (int i = 0; i < ed->d->ngroups && !used; i++) {
            used = strcmp(ed->d->groups[i].id, g->id) == 0;
        }
        if (!used) {
            break;
        }
    }
    snprintf(g->kind, sizeof(g->kind), "%s", kind);
    snprintf(g->region, sizeof(g->region), "%s", region);
    if (is_zone) {
        g->zone = zone;
        g->has |= AZB_HAS_ZONE;
    }
    g->x = x;
    g->y = y;
    g->w = w;
    g->h = h;
    g->has |= AZB_HAS_XY | AZB_HAS_SIZE;
    if (!op_insert(ed, REC_GROUP, ed->d->ngroups, &r) ||
        !op_finish(ed, true, is_zone ? "Add zone lane" : "Add region box")) {
        return -1;
    }
    return ed->d->ngroups - 1;
}

bool azb_edit_set_group_rect(azb_editor *ed, int group, double x, double y, double w, double h)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    if (group < 0 || group >= ed->d->ngroups) {
        set_err(ed, "no group %d (the design has %d)", group, ed->d->ngroups);
        return false;
    }
    if (!rect_ok(ed, x, y, w, h)) {
        return false;
    }
    const azb_group *cur = &ed->d->groups[group];
    unsigned both = AZB_HAS_XY | AZB_HAS_SIZE;
    if ((cur->has & both) == both && cur->x == x && cur->y == y && cur->w == w && cur->h == h) {
        return true;
    }
    record r;
    if (!group_copy(&r.group, cur)) {
        set_err(ed, "out of memory");
        return false;
    }
    r.group.x = x;
    r.group.y = y;
    r.group.w = w;
    r.group.h = h;
    r.group.has |= both;
    return op_replace(ed, REC_GROUP, group, &r) && op_finish(ed, false, "Move box");
}

/* ---- delete ---- */

static bool mark_list(azb_editor *ed, const char *what, const int *list, int n, int count,
                      bool *mask)
{
    if (n < 0 || (n > 0 && list == NULL)) {
        set_err(ed, "no %s list given", what);
        return false;
    }
    for (int i = 0; i < n; i++) {
        if (list[i] < 0 || list[i] >= count) {
            set_err(ed, "no %s %d (the design has %d)", what, list[i], count);
            return false;
        }
        mask[list[i]] = true;
    }
    return true;
}

bool azb_edit_delete(azb_editor *ed, const int *nodes, int nn, const int *edges, int ne,
                     const int *groups, int ng)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    azb_design *d = ed->d;
    bool *nm = calloc((size_t)d->nnodes + 1, sizeof(bool));
    bool *em = calloc((size_t)d->nedges + 1, sizeof(bool));
    bool *gm = calloc((size_t)d->ngroups + 1, sizeof(bool));
    bool ok = nm != NULL && em != NULL && gm != NULL;
    if (!ok) {
        set_err(ed, "out of memory");
        goto done;
    }
    ok = mark_list(ed, "node", nodes, nn, d->nnodes, nm) &&
         mark_list(ed, "edge", edges, ne, d->nedges, em) &&
         mark_list(ed, "group", groups, ng, d->ngroups, gm);
    if (!ok) {
        goto done;
    }
    for (int i = 0; i < d->nedges; i++) {
        const azb_edge *e = &d->edges[i];
        if ((e->from_idx >= 0 && nm[e->from_idx]) || (e->to_idx >= 0 && nm[e->to_idx])) {
            em[i] = true;
        }
    }
    /* A balancer that loses evenly split targets spreads its load over the
     * ones left (the mirror of connect), so no share of its requests is
     * silently sent nowhere. Replaced before the removals: indices hold. */
    for (int u = 0; u < d->nnodes && ok; u++) {
        int split[64];
        int n = nm[u] ? 0 : balanced_edges(d, &d->nodes[u], split, 64);
        int left = 0;
        for (int i = 0; i < n; i++) {
            left += em[split[i]] ? 0 : 1;
        }
        if (n < 2 || left == n || left == 0) {
            continue;
        }
        for (int i = 0; i < n && ok; i++) {
            if (em[split[i]]) {
                continue;
            }
            record q;
            if (!edge_copy(&q.edge, &d->edges[split[i]])) {
                set_err(ed, "out of memory");
                ok = false;
                break;
            }
            q.edge.p = 1.0 / (double)left;
            q.edge.has |= AZB_HAS_P;
            ok = op_replace(ed, REC_EDGE, split[i], &q);
        }
    }
    /* From the end, so each recorded index is the one the record had. */
    for (int i = d->nedges - 1; i >= 0 && ok; i--) {
        ok = !em[i] || op_remove(ed, REC_EDGE, i);
    }
    for (int i = d->nnodes - 1; i >= 0 && ok; i--) {
        ok = !nm[i] || op_remove(ed, REC_NODE, i);
    }
    for (int i = d->ngroups - 1; i >= 0 && ok; i--) {
        ok = !gm[i] || op_remove(ed, REC_GROUP, i);
    }
    if (!ok) {
        op_abort(ed);
        goto done;
    }
    ok = op_finish(ed, true, "Delete");
done:
    free(nm);
    free(em);
    free(gm);
    return ok;
}

/* ---- workload ---- */

bool azb_edit_set_rps(azb_editor *ed, double rps)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    if (!isfinite(rps) || !(rps > 0.0) || rps > 1.0e9) {
        set_err(ed, "rps must be a number greater than 0 and at most 1e+09");
        return false;
    }
    const azb_workload *cur = &ed->d->workload;
    if (cur->present && cur->rps == rps) {
        return true;
    }
    record r;
    if (!workload_copy(&r.wl, cur)) {
        set_err(ed, "out of memory");
        return false;
    }
    r.wl.present = true;
    r.wl.rps = rps;
    return op_replace(ed, REC_WORKLOAD, 0, &r) && op_finish(ed, true, "Set rate");
}

/* ---- clipboard ---- */

azb_design *azb_edit_copy(const azb_editor *ed, const int *nodes, int n)
{
    assert(ed != NULL);
    const azb_design *d = ed->d;
    if (nodes == NULL || n <= 0) {
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        if (nodes[i] < 0 || nodes[i] >= d->nnodes) {
            return NULL;
        }
    }
    bool *mask = calloc((size_t)d->nnodes, sizeof(bool));
    azb_design *c = azb_design_create("clipboard");
    if (mask == NULL || c == NULL) {
        goto fail;
    }
    int count = 0;
    for (int i = 0; i < n; i++) {
        count += mask[nodes[i]] ? 0 : 1;
        mask[nodes[i]] = true;
    }
    int nedges = 0;
    for (int i = 0; i < d->nedges; i++) {
        const azb_edge *e = &d->edges[i];
        nedges += (e->from_idx >= 0 && e->to_idx >= 0 && mask[e->from_idx] && mask[e->to_idx]);
    }
    c->nodes = calloc((size_t)count, sizeof(*c->nodes));
    c->edges = nedges > 0 ? calloc((size_t)nedges, sizeof(*c->edges)) : NULL;
    if (c->nodes == NULL || (nedges > 0 && c->edges == NULL)) {
        goto fail;
    }
    for (int i = 0; i < d->nnodes; i++) {
        if (mask[i]) {
            if (!node_copy(&c->nodes[c->nnodes], &d->nodes[i])) {
                goto fail;
            }
            c->nnodes++;
        }
    }
    for (int i = 0; i < d->nedges; i++) {
        const azb_edge *e = &d->edges[i];
        if (e->from_idx >= 0 && e->to_idx >= 0 && mask[e->from_idx] && mask[e->to_idx]) {
            if (!edge_copy(&c->edges[c->nedges], e)) {
                goto fail;
            }
            c->nedges++;
        }
    }
    free(mask);
    return c;
fail:
    free(mask);
    azb_design_destroy(c);
    return NULL;
}

int azb_edit_paste(azb_editor *ed, const azb_design *clip, double dx, double dy, int *new_nodes)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    if (clip == NULL) {
        set_err(ed, "nothing to paste");
        return -1;
    }
    if (!isfinite(dx) || !isfinite(dy)) {
        set_err(ed, "a paste offset must be finite");
        return -1;
    }
    if (clip->nnodes == 0) {
        return 0;
    }
    int base = ed->d->nnodes;
    idset ids;
    char(*map)[AZB_ID_MAX] = calloc((size_t)clip->nnodes, sizeof(*map));
    if (map == NULL || !node_ids(&ids, ed->d, clip->nnodes)) {
        free(map);
        set_err(ed, "out of memory");
        return -1;
    }
    int nclients = 0;
    double share = clients_share(ed->d, &nclients);
    bool ok = true;
    for (int i = 0; i < clip->nnodes && ok; i++) {
        const azb_node *src = &clip->nodes[i];
        if (src->id[0] != '\0' && !idset_has(&ids, src->id)) {
            snprintf(map[i], sizeof(map[i]), "%s", src->id);
        } else {
            fresh_id(&ids, src->kind[0] != '\0' ? src->kind : "node", map[i]);
        }
        idset_add(&ids, map[i]);
        record r;
        if (!node_copy(&r.node, src)) {
            set_err(ed, "out of memory");
            ok = false;
            break;
        }
        azb_node *n = &r.node;
        snprintf(n->id, sizeof(n->id), "%s", map[i]);
        if ((n->has & AZB_HAS_XY) != 0u) {
            n->x += dx;
            n->y += dy;
        }
        n->kind_ref = azb_catalog_find_kind(ed->cat, n->kind);
        if (is_source(n->kind_ref)) {
            if (!init_clients(ed, n, n->kind_ref, nclients > 0, &share)) {
                node_clear(n);
                set_err(ed, "out of memory");
                ok = false;
                break;
            }
            if (nclients == 0) {
                share += azb_node_setting_num(n, "share", 1.0);
            }
            nclients++;
        }
        place_node(ed->d, n);
        ok = op_insert(ed, REC_NODE, ed->d->nnodes, &r);
    }
    for (int i = 0; i < clip->nedges && ok; i++) {
        const azb_edge *src = &clip->edges[i];
        int f = azb_design_find_node(clip, src->from);
        int t = azb_design_find_node(clip, src->to);
        if (f < 0 || t < 0) {
            continue; /* an edge out of the clip: nothing to attach it to */
        }
        record r;
        if (!edge_copy(&r.edge, src)) {
            set_err(ed, "out of memory");
            ok = false;
            break;
        }
        snprintf(r.edge.from, sizeof(r.edge.from), "%s", map[f]);
        snprintf(r.edge.to, sizeof(r.edge.to), "%s", map[t]);
        ok = op_insert(ed, REC_EDGE, ed->d->nedges, &r);
    }
    idset_free(&ids);
    free(map);
    if (!ok) {
        op_abort(ed);
        return -1;
    }
    if (!op_finish(ed, true, "Paste")) {
        return -1;
    }
    if (new_nodes != NULL) {
        for (int i = 0; i < clip->nnodes; i++) {
            new_nodes[i] = base + i;
        }
    }
    return clip->nnodes;
}

/* ---- fields ---- */

static const char *const node_fields[] = {
    "id",          "label",     "kind",          "sku",           "count",
    "region",      "zones",     "service_ms",    "service_dist",  "cv",
    "concurrency", "balancing", "autoscale.min", "autoscale.max", "autoscale.target"};
static const char *const edge_fields[] = {"label",      "p",           "calls", "mode",
                                          "request_kb", "response_kb", "on",    "ops"};
static const char *const group_fields[] = {"label", "region", "zone"};
static const char *const dist_names[] = {"exp", "det", "lognormal"};
static const char *const on_names[] = {"always", "hit", "miss"};
#define COUNT_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static bool target_ok(const azb_editor *ed, azb_target_type type, int index)
{
    switch (type) {
    case AZB_TARGET_NODE:
        return index >= 0 && index < ed->d->nnodes;
    case AZB_TARGET_EDGE:
        return index >= 0 && index < ed->d->nedges;
    case AZB_TARGET_GROUP:
        return index >= 0 && index < ed->d->ngroups;
    default:
        return false;
    }
}

static const azb_kind *node_kind(const azb_editor *ed, const azb_node *n)
{
    return n->kind_ref != NULL ? n->kind_ref : azb_catalog_find_kind(ed->cat, n->kind);
}

int azb_edit_fields(const azb_editor *ed, azb_target_type type, int index, const char **names,
                    int max)
{
    assert(ed != NULL);
    if (!target_ok(ed, type, index) || max < 0 || (max > 0 && names == NULL)) {
        return -1;
    }
    const char *const *base = node_fields;
    int nbase = COUNT_OF(node_fields);
    const azb_kind *k = NULL;
    if (type == AZB_TARGET_EDGE) {
        base = edge_fields;
        nbase = COUNT_OF(edge_fields);
    } else if (type == AZB_TARGET_GROUP) {
        base = group_fields;
        nbase = COUNT_OF(group_fields);
    } else {
        k = node_kind(ed, &ed->d->nodes[index]);
    }
    int total = nbase + (k != NULL ? k->nsettings : 0);
    for (int i = 0; i < total && i < max; i++) {
        names[i] = i < nbase ? base[i] : k->settings[i - nbase].name;
    }
    return total;
}

static void fmt_num(double v, char *out, size_t size)
{
    snprintf(out, size, "%.15g", v);
    if (strtod(out, NULL) != v) {
        snprintf(out, size, "%.17g", v);
    }
}

/* Parse a number typed by a person: the whole text, finite. */
static bool parse_num(const char *t, double *out)
{
    if (t[0] == '\0') {
        return false;
    }
    for (const char *c = t; *c != '\0'; c++) {
        if (strchr("0123456789+-.eE", *c) == NULL) {
            return false;
        }
    }
    char *end = NULL;
    double v = strtod(t, &end);
    if (end == t || *end != '\0' || !isfinite(v)) {
        return false;
    }
    *out = v;
    return true;
}

/* A number in [lo, hi] (above lo when lo_open), whole when `integer`. */
static bool num_in(azb_editor *ed, const char *field, const char *t, double lo, double hi,
                   bool lo_open, bool integer, const char *unit, double *out)
{
    double v = 0.0;
    bool ok =
        parse_num(t, &v) && (lo_open ? v > lo : v >= lo) && v <= hi && (!integer || v == floor(v));
    if (ok) {
        *out = v;
        return true;
    }
    const char *sp = unit != NULL && unit[0] != '\0' ? " " : "";
    const char *u = unit != NULL ? unit : "";
    char a[32];
    char b[32];
    fmt_num(integer && lo_open ? floor(lo) + 1.0 : lo, a, sizeof(a));
    fmt_num(hi, b, sizeof(b));
    if (integer) {
        set_err(ed, "%s must be a whole number from %s to %s%s%s", field, a, b, sp, u);
    } else if (lo_open) {
        set_err(ed, "%s must be a number greater than %s and at most %s%s%s", field, a, b, sp, u);
    } else {
        set_err(ed, "%s must be a number from %s to %s%s%s", field, a, b, sp, u);
    }
    return false;
}

static int enum_of(const char *t, const char *const *names, int n)
{
    for (int i = 0; i < n; i++) {
        if (names[i] != NULL && strcmp(t, names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

static bool set_label(azb_editor *ed, char *label, size_t size, unsigned *has, const char *raw)
{
    if (raw[0] == '\0') {
        label[0] = '\0';
        *has &= ~(unsigned)AZB_HAS_LABEL;
        return true;
    }
    if (strlen(raw) >= size) {
        set_err(ed, "label must be under %zu bytes", size);
        return false;
    }
    for (const char *c = raw; *c != '\0'; c++) {
        if ((unsigned char)*c < 0x20u || *c == 0x7f) {
            set_err(ed, "label must be one line of text");
            return false;
        }
    }
    snprintf(label, size, "%s", raw);
    *has |= AZB_HAS_LABEL;
    return true;
}

static bool set_kind(azb_editor *ed, azb_node *n, const char *t)
{
    if (t[0] == '\0') {
        set_err(ed, "a node needs a kind");
        return false;
    }
    const azb_kind *k = azb_catalog_find_kind(ed->cat, t);
    if (k == NULL) {
        const char *near = azb_catalog_suggest_kind(ed->cat, t);
        set_err(ed, "unknown kind \"%s\"%s%s", t, near != NULL ? "; did you mean " : "",
                near != NULL ? near : "");
        return false;
    }
    if (strcmp(n->kind, k->id) == 0) {
        return true;
    }
    /* Keep the settings the new kind declares with the same type, in its order. */
    azb_setting *kept = NULL;
    int nkept = 0;
    if (n->nsettings > 0) {
        kept = malloc((size_t)n->nsettings * sizeof(*kept));
        if (kept == NULL) {
            set_err(ed, "out of memory");
            return false;
        }
        for (int i = 0; i < k->nsettings; i++) {
            const azb_setting *s = azb_node_setting(n, k->settings[i].name);
            if (s != NULL && s->type == k->settings[i].type) {
                kept[nkept++] = *s;
            }
        }
    }
    free(n->settings);
    n->settings = nkept > 0 ? kept : NULL;
    n->nsettings = nkept;
    if (nkept == 0) {
        free(kept);
    }
    snprintf(n->kind, sizeof(n->kind), "%s", k->id);
    n->kind_ref = k;
    if ((n->has & AZB_HAS_SKU) != 0u && azb_catalog_find_sku(k, n->sku) == NULL) {
        n->sku[0] = '\0';
        n->has &= ~(unsigned)AZB_HAS_SKU;
    }
    n->sku_ref = NULL;
    if (is_source(k)) {
        double none = 0.0;
        if (!init_clients(ed, n, k, false, &none)) {
            set_err(ed, "out of memory");
            return false;
        }
    }
    return true;
}

static bool set_zones(azb_editor *ed, azb_node *n, const char *t)
{
    int zones[AZB_DESIGN_MAX_ZONES];
    int nz = 0;
    const char *c = t;
    if (*c == '[') {
        c++;
    }
    for (;;) {
        while (*c == ' ' || *c == '\t' || *c == ',') {
            c++;
        }
        if (*c == '\0' || *c == ']') {
            break;
        }
        if (*c < '1' || *c > '3' || isdigit((unsigned char)c[1])) {
            set_err(ed, "zones must be zone numbers 1 to 3 separated by commas, such as 1,2,3");
            return false;
        }
        int z = *c - '0';
        for (int i = 0; i < nz; i++) {
            if (zones[i] == z) {
                set_err(ed, "zone %d is listed twice", z);
                return false;
            }
        }
        zones[nz++] = z;
        c++;
        if (*c != '\0' && *c != ',' && *c != ' ' && *c != '\t' && *c != ']') {
            set_err(ed, "zones must be zone numbers 1 to 3 separated by commas, such as 1,2,3");
            return false;
        }
    }
    if (*c == ']' && c[1] != '\0') {
        set_err(ed, "zones must be zone numbers 1 to 3 separated by commas, such as 1,2,3");
        return false;
    }
    if (nz == 0) {
        set_err(ed, "zones must be zone numbers 1 to 3 separated by commas, such as 1,2,3");
        return false;
    }
    memcpy(n->zones, zones, (size_t)nz * sizeof(int));
    n->nzones = nz;
    n->has |= AZB_HAS_ZONES;
    return true;
}

static void remove_autoscale(azb_node *n)
{
    n->has &= ~(unsigned)AZB_HAS_AUTOSCALE;
    n->autoscale.min = 0;
    n->autoscale.max = 0;
    n->autoscale.target = 0.0;
    azbi_extras_free(&n->autoscale.extras);
}

static bool set_autoscale(azb_editor *ed, azb_node *n, const char *which, const char *t)
{
    bool present = (n->has & AZB_HAS_AUTOSCALE) != 0u;
    if (t[0] == '\0') {
        if (strcmp(which, "target") == 0) {
            n->autoscale.target = 0.0;
        } else {
            remove_autoscale(n);
        }
        return true;
    }
    double v = 0.0;
    char name[32];
    snprintf(name, sizeof(name), "autoscale.%s", which);
    int count = n->count > 0 ? n->count : 1;
    if (strcmp(which, "min") == 0) {
        if (!num_in(ed, name, t, 0.0, 100000.0, false, true, NULL, &v)) {
            return false;
        }
        if (!present) {
            n->autoscale.max = (int)v > count ? (int)v : count;
        } else if ((int)v > n->autoscale.max) {
            set_err(ed, "autoscale.min (%d) must not be above autoscale.max (%d)", (int)v,
                    n->autoscale.max);
            return false;
        }
        n->autoscale.min = (int)v;
    } else if (strcmp(which, "max") == 0) {
        if (!num_in(ed, name, t, 0.0, 100000.0, true, true, NULL, &v)) {
            return false;
        }
        if (!present) {
            n->autoscale.min = (int)v < count ? (int)v : count;
        } else if ((int)v < n->autoscale.min) {
            set_err(ed, "autoscale.max (%d) must not be below autoscale.min (%d)", (int)v,
                    n->autoscale.min);
            return false;
        }
        n->autoscale.max = (int)v;
    } else {
        if (!num_in(ed, name, t, 0.0, 0.99, true, false, NULL, &v)) {
            return false;
        }
        if (!present) {
            n->autoscale.min = count;
            n->autoscale.max = count;
        }
        n->autoscale.target = v;
    }
    n->has |= AZB_HAS_AUTOSCALE;
    return true;
}

static bool set_setting(azb_editor *ed, azb_node *n, const azb_kind *k, const azb_setting_def *def,
                        const char *t)
{
    if (t[0] == '\0') {
        setting_remove(n, def->name);
        return true;
    }
    azb_setting s;
    memset(&s, 0, sizeof(s));
    snprintf(s.name, sizeof(s.name), "%s", def->name);
    s.type = def->type;
    if (def->type == AZB_SETTING_NUMBER) {
        if (!num_in(ed, def->name, t, def->min, def->max, false, def->integer, def->unit, &s.num)) {
            return false;
        }
    } else if (def->type == AZB_SETTING_BOOL) {
        if (strcmp(t, "true") == 0 || strcmp(t, "yes") == 0 || strcmp(t, "on") == 0 ||
            strcmp(t, "1") == 0) {
            s.num = 1.0;
        } else if (strcmp(t, "false") == 0 || strcmp(t, "no") == 0 || strcmp(t, "off") == 0 ||
                   strcmp(t, "0") == 0) {
            s.num = 0.0;
        } else {
            set_err(ed, "%s must be true or false", def->name);
            return false;
        }
    } else {
        if (strlen(t) >= sizeof(s.str)) {
            set_err(ed, "%s must be under %zu bytes", def->name, sizeof(s.str));
            return false;
        }
        bool allowed = def->nchoices == 0;
        for (int i = 0; i < def->nchoices; i++) {
            allowed = allowed || strcmp(def->choices[i], t) == 0;
        }
        if (!allowed) {
            char list[300] = "";
            for (int i = 0; i < def->nchoices; i++) {
                size_t len = strlen(list);
                snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", def->choices[i]);
            }
            set_err(ed, "%s must be one of: %s", def->name, list);
            return false;
        }
        snprintf(s.str, sizeof(s.str), "%s", t);
    }
    if (!setting_put(n, k, &s)) {
        set_err(ed, "out of memory");
        return false;
    }
    return true;
}

static bool node_set(azb_editor *ed, azb_node *n, const char *f, const char *t, const char *raw)
{
    double v = 0.0;
    int e = 0;
    if (strcmp(f, "label") == 0) {
        return set_label(ed, n->label, sizeof(n->label), &n->has, raw);
    }
    if (strcmp(f, "kind") == 0) {
        return set_kind(ed, n, t);
    }
    const azb_kind *k = node_kind(ed, n);
    if (strcmp(f, "sku") == 0) {
        if (t[0] == '\0') {
            n->sku[0] = '\0';
            n->has &= ~(unsigned)AZB_HAS_SKU;
            return true;
        }
        const azb_sku *s = azb_catalog_find_sku(k, t);
        if (s == NULL) {
            const char *near = azb_catalog_suggest_sku(k, t);
            if (near == NULL && k != NULL && k->nskus > 0) {
                near = k->skus[k->default_sku].name;
            }
            set_err(ed, "unknown SKU \"%s\" for kind %s%s%s", t, n->kind,
                    near != NULL ? "; did you mean " : "", near != NULL ? near : "");
            return false;
        }
        snprintf(n->sku, sizeof(n->sku), "%s", s->name);
        n->has |= AZB_HAS_SKU;
        return true;
    }
    if (strcmp(f, "count") == 0) {
        if (t[0] == '\0') {
            n->count = 1;
            n->has &= ~(unsigned)AZB_HAS_COUNT;
            return true;
        }
        if (!num_in(ed, f, t, 1.0, 100000.0, false, true, NULL, &v)) {
            return false;
        }
        n->count = (int)v;
        n->has |= AZB_HAS_COUNT;
        return true;
    }
    if (strcmp(f, "region") == 0) {
        if (t[0] == '\0') {
            n->region[0] = '\0';
            n->nzones = 0;
            n->has &= ~(unsigned)(AZB_HAS_REGION | AZB_HAS_ZONES);
            return true;
        }
        if (azb_catalog_find_region(ed->cat, t) < 0) {
            const char *near = azb_catalog_suggest_region(ed->cat, t);
            set_err(ed, "unknown region \"%s\"%s%s", t, near != NULL ? "; did you mean " : "",
                    near != NULL ? near : " (azboard regions lists them)");
            return false;
        }
        snprintf(n->region, sizeof(n->region), "%s", t);
        n->has |= AZB_HAS_REGION;
        return true;
    }
    if (strcmp(f, "zones") == 0) {
        if (t[0] == '\0') {
            n->nzones = 0;
            n->has &= ~(unsigned)AZB_HAS_ZONES;
            return true;
        }
        return set_zones(ed, n, t);
    }
    if (strcmp(f, "service_ms") == 0) {
        if (t[0] == '\0') {
            n->service_ms = 0.0;
            n->has &= ~(unsigned)AZB_HAS_SERVICE_MS;
            return true;
        }
        if (!num_in(ed, f, t, 0.0, 3600000.0, true, false, "ms", &n->service_ms)) {
            return false;
        }
        n->has |= AZB_HAS_SERVICE_MS;
        return true;
    }
    if (strcmp(f, "service_dist") == 0) {
        if (t[0] == '\0') {
            n->service_dist = AZB_DIST_EXP;
            n->has &= ~(unsigned)AZB_HAS_SERVICE_DIST;
            return true;
        }
        e = enum_of(t, dist_names, COUNT_OF(dist_names));
        if (e < 0) {
            set_err(ed, "service_dist must be exp, det or lognormal");
            return false;
        }
        n->service_dist = (azb_dist)e;
        n->has |= AZB_HAS_SERVICE_DIST;
        return true;
    }
    if (strcmp(f, "cv") == 0) {
        if (t[0] == '\0') {
            n->cv = 0.0;
            n->has &= ~(unsigned)AZB_HAS_CV;
            return true;
        }
        if (!num_in(ed, f, t, 0.0, 20.0, false, false, NULL, &n->cv)) {
            return false;
        }
        n->has |= AZB_HAS_CV;
        return true;
    }
    if (strcmp(f, "concurrency") == 0) {
        if (t[0] == '\0') {
            n->concurrency = 1;
            n->has &= ~(unsigned)AZB_HAS_CONCURRENCY;
            return true;
        }
        if (!num_in(ed, f, t, 1.0, 1000000.0, false, true, NULL, &v)) {
            return false;
        }
        n->concurrency = (int)v;
        n->has |= AZB_HAS_CONCURRENCY;
        return true;
    }
    if (strcmp(f, "balancing") == 0) {
        if (t[0] == '\0' || strcmp(t, "default") == 0) {
            n->balancing = AZB_BAL_DEFAULT;
            n->has &= ~(unsigned)AZB_HAS_BALANCING;
            return true;
        }
        for (int i = 1; i < AZB_BAL_COUNT; i++) {
            if (strcmp(t, azb_balancing_name((azb_balancing)i)) == 0) {
                n->balancing = (azb_balancing)i;
                n->has |= AZB_HAS_BALANCING;
                return true;
            }
        }
        set_err(ed, "balancing must be round_robin, hash, random or least_connections "
                    "(empty for the default)");
        return false;
    }
    if (strncmp(f, "autoscale.", 10) == 0 &&
        (strcmp(f + 10, "min") == 0 || strcmp(f + 10, "max") == 0 ||
         strcmp(f + 10, "target") == 0)) {
        return set_autoscale(ed, n, f + 10, t);
    }
    const azb_setting_def *def = azb_catalog_find_setting(k, f);
    if (def != NULL) {
        return set_setting(ed, n, k, def, t);
    }
    set_err(ed, "a %s node has no field \"%s\"", n->kind, f);
    return false;
}

/* Split "a, b" into the edge's ops. */
static bool set_ops(azb_editor *ed, azb_edge *e, const char *t)
{
    if (t[0] == '\0') {
        free(e->ops);
        e->ops = NULL;
        e->nops = 0;
        e->has &= ~(unsigned)AZB_HAS_OPS;
        return true;
    }
    int max = 1;
    for (const char *c = t; *c != '\0'; c++) {
        max += *c == ',';
    }
    if (max > AZB_DESIGN_MAX_OPS) {
        set_err(ed, "ops lists at most %d operations", AZB_DESIGN_MAX_OPS);
        return false;
    }
    char(*ops)[96] = calloc((size_t)max, sizeof(*ops));
    if (ops == NULL) {
        set_err(ed, "out of memory");
        return false;
    }
    int n = 0;
    const char *c = t;
    for (;;) {
        const char *end = strchr(c, ',');
        size_t len = end != NULL ? (size_t)(end - c) : strlen(c);
        while (len > 0 && isspace((unsigned char)*c)) {
            c++;
            len--;
        }
        while (len > 0 && isspace((unsigned char)c[len - 1])) {
            len--;
        }
        if (len == 0 || len >= sizeof(ops[0])) {
            free(ops);
            set_err(ed, "ops must be operation names (each 1 to %zu bytes) separated by commas",
                    sizeof(ops[0]) - 1);
            return false;
        }
        memcpy(ops[n], c, len);
        ops[n][len] = '\0';
        for (int i = 0; i < n; i++) {
            if (strcmp(ops[i], ops[n]) == 0) {
                set_err(ed, "operation \"%s\" is listed twice", ops[n]);
                free(ops);
                return false;
            }
        }
        n++;
        if (end == NULL) {
            break;
        }
        c = end + 1;
    }
    free(e->ops);
    e->ops = ops;
    e->nops = n;
    e->has |= AZB_HAS_OPS;
    return true;
}

static bool edge_set(azb_editor *ed, azb_edge *e, const char *f, const char *t, const char *raw)
{
    int m = 0;
    if (strcmp(f, "label") == 0) {
        return set_label(ed, e->label, sizeof(e->label), &e->has, raw);
    }
    if (strcmp(f, "p") == 0 || strcmp(f, "calls") == 0) {
        bool is_p = f[0] == 'p';
        double *dst = is_p ? &e->p : &e->calls;
        unsigned bit = is_p ? AZB_HAS_P : AZB_HAS_CALLS;
        if (t[0] == '\0') {
            *dst = 1.0;
            e->has &= ~bit;
            return true;
        }
        bool ok = is_p ? num_in(ed, f, t, 0.0, 1.0, false, false, NULL, dst)
                       : num_in(ed, f, t, 0.0, 1000.0, true, false, NULL, dst);
        if (ok) {
            e->has |= bit;
        }
        return ok;
    }
    if (strcmp(f, "request_kb") == 0 || strcmp(f, "response_kb") == 0) {
        bool req = f[2] == 'q';
        double *dst = req ? &e->request_kb : &e->response_kb;
        unsigned bit = req ? AZB_HAS_REQUEST_KB : AZB_HAS_RESPONSE_KB;
        if (t[0] == '\0') {
            *dst = 0.0;
            e->has &= ~bit;
            return true;
        }
        if (!num_in(ed, f, t, 0.0, 4.0e6, false, false, "KB", dst)) {
            return false;
        }
        e->has |= bit;
        return true;
    }
    if (strcmp(f, "mode") == 0) {
        if (t[0] == '\0') {
            e->mode = AZB_EDGE_SYNC;
            e->has &= ~(unsigned)AZB_HAS_MODE;
            return true;
        }
        m = enum_of(t, (const char *const[]){"sync", "async"}, 2);
        if (m < 0) {
            set_err(ed, "mode must be sync or async");
            return false;
        }
        e->mode = (azb_edge_mode)m;
        e->has |= AZB_HAS_MODE;
        return true;
    }
    if (strcmp(f, "on") == 0) {
        if (t[0] == '\0') {
            e->on = AZB_ON_ALWAYS;
            e->has &= ~(unsigned)AZB_HAS_ON;
            return true;
        }
        m = enum_of(t, on_names, COUNT_OF(on_names));
        if (m < 0) {
            set_err(ed, "on must be always, hit or miss");
            return false;
        }
        /* The format has no "always" (it is what an absent "on" means). */
        e->on = (azb_edge_on)m;
        if (e->on == AZB_ON_ALWAYS) {
            e->has &= ~(unsigned)AZB_HAS_ON;
        } else {
            e->has |= AZB_HAS_ON;
        }
        return true;
    }
    if (strcmp(f, "ops") == 0) {
        return set_ops(ed, e, t);
    }
    set_err(ed, "an edge has no field \"%s\"", f);
    return false;
}

static bool group_set(azb_editor *ed, azb_group *g, const char *f, const char *t, const char *raw)
{
    double v = 0.0;
    bool zone_box = strcmp(g->kind, "zone") == 0;
    if (strcmp(f, "label") == 0) {
        return set_label(ed, g->label, sizeof(g->label), &g->has, raw);
    }
    if (strcmp(f, "region") == 0) {
        if (t[0] == '\0') {
            set_err(ed, "a group needs a region");
            return false;
        }
        if (azb_catalog_find_region(ed->cat, t) < 0) {
            const char *near = azb_catalog_suggest_region(ed->cat, t);
            set_err(ed, "unknown region \"%s\"%s%s", t, near != NULL ? "; did you mean " : "",
                    near != NULL ? near : " (azboard regions lists them)");
            return false;
        }
        snprintf(g->region, sizeof(g->region), "%s", t);
        return true;
    }
    if (strcmp(f, "zone") == 0) {
        if (t[0] == '\0') {
            if (zone_box) {
                set_err(ed, "a zone lane needs a zone");
                return false;
            }
            g->zone = 0;
            g->has &= ~(unsigned)AZB_HAS_ZONE;
            return true;
        }
        if (!zone_box) {
            set_err(ed, "a region box has no zone; zone lanes do");
            return false;
        }
        if (!num_in(ed, f, t, 1.0, AZB_DESIGN_MAX_ZONES, false, true, NULL, &v)) {
            return false;
        }
        g->zone = (int)v;
        g->has |= AZB_HAS_ZONE;
        return true;
    }
    set_err(ed, "a group has no field \"%s\"", f);
    return false;
}

/* ---- reading fields ---- */

static bool node_get(const azb_editor *ed, const azb_node *n, const char *f, char *out, size_t size)
{
    unsigned h = n->has;
    out[0] = '\0';
    if (strcmp(f, "id") == 0) {
        snprintf(out, size, "%s", n->id);
    } else if (strcmp(f, "label") == 0) {
        snprintf(out, size, "%s", (h & AZB_HAS_LABEL) != 0u ? n->label : "");
    } else if (strcmp(f, "kind") == 0) {
        snprintf(out, size, "%s", n->kind);
    } else if (strcmp(f, "sku") == 0) {
        snprintf(out, size, "%s", (h & AZB_HAS_SKU) != 0u ? n->sku : "");
    } else if (strcmp(f, "count") == 0) {
        if ((h & AZB_HAS_COUNT) != 0u) {
            snprintf(out, size, "%d", n->count);
        }
    } else if (strcmp(f, "region") == 0) {
        snprintf(out, size, "%s", (h & AZB_HAS_REGION) != 0u ? n->region : "");
    } else if (strcmp(f, "zones") == 0) {
        for (int i = 0; i < n->nzones && (h & AZB_HAS_ZONES) != 0u; i++) {
            size_t len = strlen(out);
            snprintf(out + len, size - len, "%s%d", i ? "," : "", n->zones[i]);
        }
    } else if (strcmp(f, "service_ms") == 0) {
        if ((h & AZB_HAS_SERVICE_MS) != 0u) {
            fmt_num(n->service_ms, out, size);
        }
    } else if (strcmp(f, "service_dist") == 0) {
        if ((h & AZB_HAS_SERVICE_DIST) != 0u && n->service_dist >= 0 &&
            n->service_dist < AZB_DIST_COUNT) {
            snprintf(out, size, "%s", dist_names[n->service_dist]);
        }
    } else if (strcmp(f, "cv") == 0) {
        if ((h & AZB_HAS_CV) != 0u) {
            fmt_num(n->cv, out, size);
        }
    } else if (strcmp(f, "concurrency") == 0) {
        if ((h & AZB_HAS_CONCURRENCY) != 0u) {
            snprintf(out, size, "%d", n->concurrency);
        }
    } else if (strcmp(f, "balancing") == 0) {
        if ((h & AZB_HAS_BALANCING) != 0u) {
            snprintf(out, size, "%s", azb_balancing_name(n->balancing));
        }
    } else if (strcmp(f, "autoscale.min") == 0 || strcmp(f, "autoscale.max") == 0) {
        if ((h & AZB_HAS_AUTOSCALE) != 0u) {
            snprintf(out, size, "%d", f[12] == 'n' ? n->autoscale.min : n->autoscale.max);
        }
    } else if (strcmp(f, "autoscale.target") == 0) {
        if ((h & AZB_HAS_AUTOSCALE) != 0u && n->autoscale.target > 0.0) {
            fmt_num(n->autoscale.target, out, size);
        }
    } else {
        const azb_setting_def *def = azb_catalog_find_setting(node_kind(ed, n), f);
        if (def == NULL) {
            return false;
        }
        const azb_setting *s = azb_node_setting(n, f);
        if (s == NULL) {
            return true;
        }
        if (s->type == AZB_SETTING_STRING) {
            snprintf(out, size, "%s", s->str);
        } else if (s->type == AZB_SETTING_BOOL) {
            snprintf(out, size, "%s", s->num != 0.0 ? "true" : "false");
        } else {
            fmt_num(s->num, out, size);
        }
    }
    return true;
}

static bool edge_get(const azb_edge *e, const char *f, char *out, size_t size)
{
    unsigned h = e->has;
    out[0] = '\0';
    if (strcmp(f, "from") == 0) {
        snprintf(out, size, "%s", e->from);
    } else if (strcmp(f, "to") == 0) {
        snprintf(out, size, "%s", e->to);
    } else if (strcmp(f, "label") == 0) {
        snprintf(out, size, "%s", (h & AZB_HAS_LABEL) != 0u ? e->label : "");
    } else if (strcmp(f, "p") == 0) {
        if ((h & AZB_HAS_P) != 0u) {
            fmt_num(e->p, out, size);
        }
    } else if (strcmp(f, "calls") == 0) {
        if ((h & AZB_HAS_CALLS) != 0u) {
            fmt_num(e->calls, out, size);
        }
    } else if (strcmp(f, "mode") == 0) {
        if ((h & AZB_HAS_MODE) != 0u) {
            snprintf(out, size, "%s", e->mode == AZB_EDGE_ASYNC ? "async" : "sync");
        }
    } else if (strcmp(f, "request_kb") == 0) {
        if ((h & AZB_HAS_REQUEST_KB) != 0u) {
            fmt_num(e->request_kb, out, size);
        }
    } else if (strcmp(f, "response_kb") == 0) {
        if ((h & AZB_HAS_RESPONSE_KB) != 0u) {
            fmt_num(e->response_kb, out, size);
        }
    } else if (strcmp(f, "on") == 0) {
        if ((h & AZB_HAS_ON) != 0u && e->on >= 0 && e->on <= AZB_ON_MISS) {
            snprintf(out, size, "%s", on_names[e->on]);
        }
    } else if (strcmp(f, "ops") == 0) {
        for (int i = 0; i < e->nops && (h & AZB_HAS_OPS) != 0u; i++) {
            size_t len = strlen(out);
            snprintf(out + len, size - len, "%s%s", i ? ", " : "", e->ops[i]);
        }
    } else {
        return false;
    }
    return true;
}

static bool group_get(const azb_group *g, const char *f, char *out, size_t size)
{
    out[0] = '\0';
    if (strcmp(f, "id") == 0) {
        snprintf(out, size, "%s", g->id);
    } else if (strcmp(f, "kind") == 0) {
        snprintf(out, size, "%s", g->kind);
    } else if (strcmp(f, "label") == 0) {
        snprintf(out, size, "%s", (g->has & AZB_HAS_LABEL) != 0u ? g->label : "");
    } else if (strcmp(f, "region") == 0) {
        snprintf(out, size, "%s", g->region);
    } else if (strcmp(f, "zone") == 0) {
        if ((g->has & AZB_HAS_ZONE) != 0u) {
            snprintf(out, size, "%d", g->zone);
        }
    } else {
        return false;
    }
    return true;
}

bool azb_edit_get_field(const azb_editor *ed, azb_target_type type, int index, const char *field,
                        char *out, size_t out_size)
{
    assert(ed != NULL);
    if (out == NULL || out_size == 0) {
        return false;
    }
    out[0] = '\0';
    if (field == NULL || !target_ok(ed, type, index)) {
        return false;
    }
    switch (type) {
    case AZB_TARGET_NODE:
        return node_get(ed, &ed->d->nodes[index], field, out, out_size);
    case AZB_TARGET_EDGE:
        return edge_get(&ed->d->edges[index], field, out, out_size);
    default:
        return group_get(&ed->d->groups[index], field, out, out_size);
    }
}

/* Same record as far as the inspector can tell: every field reads the same
 * (set_field changes nothing else). */
static bool same_fields(azb_editor *ed, int type, const void *cur, const record *b)
{
    const azb_node *an = cur;
    const azb_edge *ae = cur;
    const azb_group *ag = cur;
    const char *names[128];
    int n = 0;
    const azb_kind *k = NULL;
    if (type == REC_NODE) {
        k = node_kind(ed, &b->node);
        if (strcmp(an->kind, b->node.kind) != 0) {
            return false;
        }
        for (int i = 0; i < COUNT_OF(node_fields); i++) {
            names[n++] = node_fields[i];
        }
        for (int i = 0; k != NULL && i < k->nsettings && n < COUNT_OF(names); i++) {
            names[n++] = k->settings[i].name;
        }
    } else if (type == REC_EDGE) {
        for (int i = 0; i < COUNT_OF(edge_fields); i++) {
            names[n++] = edge_fields[i];
        }
    } else {
        for (int i = 0; i < COUNT_OF(group_fields); i++) {
            names[n++] = group_fields[i];
        }
    }
    char *x = malloc(2 * 32768);
    if (x == NULL) {
        return false;
    }
    char *y = x + 32768;
    bool same = true;
    for (int i = 0; i < n && same; i++) {
        if (type == REC_NODE) {
            node_get(ed, an, names[i], x, 32768);
            node_get(ed, &b->node, names[i], y, 32768);
        } else if (type == REC_EDGE) {
            edge_get(ae, names[i], x, 32768);
            edge_get(&b->edge, names[i], y, 32768);
        } else {
            group_get(ag, names[i], x, 32768);
            group_get(&b->group, names[i], y, 32768);
        }
        same = strcmp(x, y) == 0;
    }
    free(x);
    return same;
}

/* A new id for a node, and for every edge and workload entry naming it. */
static bool rename_node(azb_editor *ed, int index, const char *id)
{
    azb_design *d = ed->d;
    char old[AZB_ID_MAX];
    snprintf(old, sizeof(old), "%s", d->nodes[index].id);
    if (id[0] == '\0') {
        set_err(ed, "a node needs an id");
        return false;
    }
    if (strlen(id) >= AZB_ID_MAX) {
        set_err(ed, "id must be under %d bytes", AZB_ID_MAX);
        return false;
    }
    for (const char *c = id; *c != '\0'; c++) {
        if ((unsigned char)*c < 0x20u || *c == 0x7f) {
            set_err(ed, "id must be one line of text");
            return false;
        }
    }
    if (strcmp(old, id) == 0) {
        return true;
    }
    int other = azb_design_find_node(d, id);
    if (other >= 0) {
        set_err(ed, "id \"%s\" is taken (nodes[%d])", id, other);
        return false;
    }
    record r;
    if (!node_copy(&r.node, &d->nodes[index])) {
        set_err(ed, "out of memory");
        return false;
    }
    snprintf(r.node.id, sizeof(r.node.id), "%s", id);
    bool ok = op_replace(ed, REC_NODE, index, &r);
    for (int i = 0; i < d->nedges && ok; i++) {
        const azb_edge *e = &d->edges[i];
        bool from = strcmp(e->from, old) == 0;
        bool to = strcmp(e->to, old) == 0;
        if (!from && !to) {
            continue;
        }
        if (!edge_copy(&r.edge, e)) {
            set_err(ed, "out of memory");
            ok = false;
            break;
        }
        if (from) {
            snprintf(r.edge.from, sizeof(r.edge.from), "%s", id);
        }
        if (to) {
            snprintf(r.edge.to, sizeof(r.edge.to), "%s", id);
        }
        ok = op_replace(ed, REC_EDGE, i, &r);
    }
    if (ok && d->workload.present && strcmp(d->workload.entry, old) == 0) {
        if (!workload_copy(&r.wl, &d->workload)) {
            set_err(ed, "out of memory");
            ok = false;
        } else {
            snprintf(r.wl.entry, sizeof(r.wl.entry), "%s", id);
            ok = op_replace(ed, REC_WORKLOAD, 0, &r);
        }
    }
    if (!ok) {
        op_abort(ed);
        return false;
    }
    return op_finish(ed, true, "Rename");
}

static char *trimmed(const char *text)
{
    while (isspace((unsigned char)*text)) {
        text++;
    }
    size_t len = strlen(text);
    while (len > 0 && isspace((unsigned char)text[len - 1])) {
        len--;
    }
    char *t = malloc(len + 1);
    if (t != NULL) {
        memcpy(t, text, len);
        t[len] = '\0';
    }
    return t;
}

bool azb_edit_set_field(azb_editor *ed, azb_target_type type, int index, const char *field,
                        const char *text, char *why, size_t why_size)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    char *t = NULL;
    bool ok = false;
    record r;
    int rt = type == AZB_TARGET_NODE ? REC_NODE : (type == AZB_TARGET_EDGE ? REC_EDGE : REC_GROUP);
    if (field == NULL || text == NULL) {
        set_err(ed, "no field or no text given");
        goto done;
    }
    if (!target_ok(ed, type, index)) {
        set_err(ed, "no %s %d in the design",
                type == AZB_TARGET_NODE ? "node" : (type == AZB_TARGET_EDGE ? "edge" : "group"),
                index);
        goto done;
    }
    if (strlen(text) > 32000) {
        set_err(ed, "the text is too long");
        goto done;
    }
    t = trimmed(text);
    if (t == NULL) {
        set_err(ed, "out of memory");
        goto done;
    }
    if (rt == REC_NODE && strcmp(field, "id") == 0) {
        ok = rename_node(ed, index, t);
        goto done;
    }
    bool copied = false;
    bool set = false;
    switch (rt) {
    case REC_NODE:
        copied = node_copy(&r.node, &ed->d->nodes[index]);
        set = copied && node_set(ed, &r.node, field, t, text);
        break;
    case REC_EDGE:
        copied = edge_copy(&r.edge, &ed->d->edges[index]);
        set = copied && edge_set(ed, &r.edge, field, t, text);
        break;
    default:
        copied = group_copy(&r.group, &ed->d->groups[index]);
        set = copied && group_set(ed, &r.group, field, t, text);
        break;
    }
    if (!copied) {
        set_err(ed, "out of memory");
        goto done;
    }
    const void *cur = rt == REC_NODE   ? (const void *)&ed->d->nodes[index]
                      : rt == REC_EDGE ? (const void *)&ed->d->edges[index]
                                       : (const void *)&ed->d->groups[index];
    if (!set || same_fields(ed, rt, cur, &r)) {
        record_clear(rt, &r);
        ok = set;
        goto done;
    }
    char label[64];
    snprintf(label, sizeof(label), "Set %s", field);
    ok = op_replace(ed, rt, index, &r) && op_finish(ed, true, label);
done:
    free(t);
    if (!ok) {
        copy_why(ed, why, why_size);
    }
    return ok;
}

/* ---- the design's own fields and its workload ---- */

_Static_assert(sizeof(((header *)0)->name) == sizeof(((azb_design *)0)->name), "name size");
_Static_assert(sizeof(((header *)0)->description) == sizeof(((azb_design *)0)->description),
               "description size");
_Static_assert(sizeof(((header *)0)->prompt) == sizeof(((azb_design *)0)->prompt), "prompt size");

static bool prompt_id_ok(const char *t)
{
    for (const char *c = t; *c != '\0'; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_')) {
            return false;
        }
    }
    return true;
}

static bool set_header(azb_editor *ed, const char *field, const char *t)
{
    const azb_design *d = ed->d;
    record r;
    memset(&r, 0, sizeof(r));
    memcpy(r.hdr.name, d->name, sizeof(r.hdr.name));
    memcpy(r.hdr.description, d->description, sizeof(r.hdr.description));
    r.hdr.has_description = d->has_description;
    memcpy(r.hdr.prompt, d->prompt, sizeof(r.hdr.prompt));
    r.hdr.has_prompt = d->has_prompt;
    size_t len = strlen(t);
    const char *label = "Set name";
    if (strcmp(field, "name") == 0) {
        if (len == 0 || len >= sizeof(r.hdr.name)) {
            set_err(ed, "name must be 1 to %zu bytes", sizeof(r.hdr.name) - 1);
            return false;
        }
        snprintf(r.hdr.name, sizeof(r.hdr.name), "%s", t);
    } else if (strcmp(field, "description") == 0) {
        if (len >= sizeof(r.hdr.description)) {
            set_err(ed, "description must be under %zu bytes", sizeof(r.hdr.description));
            return false;
        }
        snprintf(r.hdr.description, sizeof(r.hdr.description), "%s", t);
        r.hdr.has_description = len > 0;
        label = "Set description";
    } else {
        if (len >= sizeof(r.hdr.prompt) || !prompt_id_ok(t)) {
            set_err(ed, "prompt must be a practice prompt's id such as url-shortener "
                        "(lower case, digits and '-'), or empty for none");
            return false;
        }
        snprintf(r.hdr.prompt, sizeof(r.hdr.prompt), "%s", t);
        r.hdr.has_prompt = len > 0;
        label = len > 0 ? "Set prompt" : "Clear prompt";
    }
    if (strcmp(r.hdr.name, d->name) == 0 && strcmp(r.hdr.description, d->description) == 0 &&
        r.hdr.has_description == d->has_description && strcmp(r.hdr.prompt, d->prompt) == 0 &&
        r.hdr.has_prompt == d->has_prompt) {
        return true; /* nothing changes, nothing recorded */
    }
    return op_replace(ed, REC_HEADER, 0, &r) && op_finish(ed, true, label);
}

static bool set_entry(azb_editor *ed, const char *t)
{
    const azb_workload *cur = &ed->d->workload;
    if (t[0] != '\0') {
        int i = azb_design_find_node(ed->d, t);
        if (i < 0) {
            set_err(ed, "no component with id \"%s\" to send the load to", t);
            return false;
        }
    }
    if (cur->present && strcmp(cur->entry, t) == 0) {
        return true;
    }
    record r;
    if (!workload_copy(&r.wl, cur)) {
        set_err(ed, "out of memory");
        return false;
    }
    if (!r.wl.present) {
        r.wl.present = true;
        r.wl.rps = 100.0; /* a workload needs a rate: the slider's starting point */
    }
    snprintf(r.wl.entry, sizeof(r.wl.entry), "%s", t);
    return op_replace(ed, REC_WORKLOAD, 0, &r) && op_finish(ed, true, "Set entry");
}

bool azb_edit_set_design_field(azb_editor *ed, const char *field, const char *text, char *why,
                               size_t why_size)
{
    assert(ed != NULL);
    ed->err[0] = '\0';
    bool ok = false;
    const char *t = text != NULL ? text : "";
    if (field == NULL) {
        set_err(ed, "no field named");
    } else if (strcmp(field, "name") == 0 || strcmp(field, "description") == 0 ||
               strcmp(field, "prompt") == 0) {
        ok = set_header(ed, field, t);
    } else if (strcmp(field, "workload.rps") == 0) {
        double v = 0.0;
        ok = num_in(ed, "workload.rps", t, 0.0, 1.0e9, true, false, "requests/s", &v) &&
             azb_edit_set_rps(ed, v);
    } else if (strcmp(field, "workload.entry") == 0) {
        ok = set_entry(ed, t);
    } else {
        set_err(ed, "the design has no field \"%s\" (name, description, prompt, workload.rps, "
                    "workload.entry)",
                field);
    }
    if (!ok) {
        copy_why(ed, why, why_size);
    }
    return ok;
}

bool azb_edit_get_design_field(const azb_editor *ed, const char *field, char *out, size_t size)
{
    assert(ed != NULL);
    if (out == NULL || size == 0) {
        return false;
    }
    out[0] = '\0';
    const azb_design *d = ed->d;
    if (field == NULL) {
        return false;
    }
    if (strcmp(field, "name") == 0) {
        snprintf(out, size, "%s", d->name);
    } else if (strcmp(field, "description") == 0) {
        snprintf(out, size, "%s", d->has_description ? d->description : "");
    } else if (strcmp(field, "prompt") == 0) {
        snprintf(out, size, "%s", d->has_prompt ? d->prompt : "");
    } else if (strcmp(field, "workload.rps") == 0) {
        if (d->workload.present && d->workload.rps > 0.0) {
            fmt_num(d->workload.rps, out, size);
        }
    } else if (strcmp(field, "workload.entry") == 0) {
        snprintf(out, size, "%s", d->workload.present ? d->workload.entry : "");
    } else {
        return false;
    }
    return true;
}
