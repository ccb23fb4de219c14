/*
 * azb_edit: editing a design in memory, with unbounded undo and redo.
 *
 * Model.
 *  - An azb_editor owns one design (validated against a catalog it borrows)
 *    and a history of steps. Every change goes through this module, so every
 *    change can be undone: the whiteboard never writes into the design
 *    directly.
 *  - A step is a list of record changes: a node, edge or group inserted,
 *    removed or replaced, or the workload replaced. A change keeps the one
 *    version of its record that is not in the design (the old one while the
 *    step is applied, the new one once it is undone): undo and redo swap it
 *    with the design's, so they copy nothing and cannot fail. Steps hold only
 *    the records they touch, so a long session on a big design costs memory
 *    in proportion to what was edited, not to the design's size times the
 *    number of edits (azb_edit_history_bytes measures it).
 *  - A transaction groups changes into one step: azb_edit_begin, any number
 *    of changes, azb_edit_commit(label). A drag is one transaction: the node
 *    is replaced on every frame but the step keeps the position it had at
 *    begin (later replacements of a record already in the transaction are
 *    folded into its change). A change made outside a transaction is a step
 *    of its own. Committing an empty transaction records nothing. Nested
 *    begin calls nest: the outermost commit records, a cancel undoes only
 *    what was changed since the innermost begin. While a transaction is
 *    open, undo and redo refuse (false). Unbalanced commit or cancel calls
 *    do nothing.
 *  - Undo applies the latest step backwards and moves it to the redo list;
 *    any new step clears the redo list.
 *  - Revision and dirty. azb_edit_revision counts applied changes (every
 *    edit, also inside a transaction, every undo, redo and cancel): a cache
 *    key for whoever draws or simulates the design. Dirty compares the state
 *    with the one marked saved by step identity, not by counting: undoing
 *    back to the saved state is clean again, redoing away from it is dirty.
 *    A transaction with changes is dirty; marking saved inside one counts as
 *    dirty once it commits.
 *  - After every change (and every undo and redo) the design is re-validated
 *    (azb_design_validate) so kind_ref, sku_ref and indices are resolved. A
 *    change after which the design has an error is refused (undone at once)
 *    with the validator's message ("PATH: message"). A design handed over
 *    with errors can still be edited, but no change may add errors.
 *    Pure moves (azb_edit_set_position, azb_edit_set_group_rect) only check
 *    that the numbers are finite (and sizes positive): they cannot break
 *    anything else, and a drag on a big design stays cheap.
 *
 * Indices. New nodes, edges and groups are appended: existing indices do not
 * change. Deleting removes records and moves every later one down; undo
 * puts each back at its old index, redo removes them again. So after an
 * undo or redo a selection held as indices may be stale: re-resolve it by
 * id (nodes) or drop it.
 *
 * Fields. The inspector edits a record's field by name with the text a
 * person typed. azb_edit_fields lists the names a record has, in inspector
 * order:
 *  - node: id, label, kind, sku, count, region, zones ("1,2,3"), service_ms,
 *    service_dist (exp, det, lognormal), cv, concurrency, balancing
 *    (round_robin, hash, random, least_connections), autoscale.min,
 *    autoscale.max, autoscale.target, then every setting its kind declares
 *    in the catalog (number, true/false or string, in the declared range or
 *    choices);
 *  - edge: label, p, calls, mode (sync, async), request_kb, response_kb, on
 *    (always, hit, miss), ops (operation names separated by commas);
 *  - group: label, region, zone (zone boxes only).
 * azb_edit_set_field parses and checks the text; on failure nothing is
 * applied and `why` holds the reason, one line ("count must be a whole
 * number from 1 to 100000"). An empty text clears an optional field (its key
 * leaves the file; the kind's or SKU's default applies). Clearing a node's
 * region also clears its zones; clearing autoscale.min or autoscale.max
 * removes autoscale. Changing a node's kind keeps the settings the new kind
 * declares with the same type (drops the others) and the SKU when the new
 * kind has it (else the new kind's default). Setting a field to the value it
 * has records nothing. Text is trimmed of surrounding blanks, except labels.
 * Keys the format does not know (extras) are never touched by an edit.
 * Renaming a node (field "id", unique, under 64 bytes) renames it in every
 * edge and in the workload's entry too, as one change. azb_edit_get_field
 * also reads a group's "id" and "kind" and an edge's "from" and "to".
 *
 * Placement. Canvas units as in azb_design (one unit = one pixel at zoom 1).
 * azb_edit_place finds the innermost group (smallest area, zone before
 * region) whose rectangle holds the node's position: a zone lane sets the
 * node's region and zones = [zone]; a region box sets its region and clears
 * the zones when the region changes (a zone-redundant node moved within its
 * region keeps its zones); no group leaves region and zones as they were.
 * Nodes without a position and clients nodes (their "geo" says where their
 * users are) are never placed.
 *
 * Clients nodes. A new (added or pasted) clients node gets "geo" (the first
 * geography of the catalog when it has none) and, when the design already
 * has clients nodes, "share" = what is left of 1 (0 when nothing is), so
 * the shares still add up and the design stays valid; set them afterwards.
 *
 * Ids. New nodes get "<kind>-<n>" and new groups "region-<n>" or "zone-<n>"
 * with the smallest n >= 1 not in use ("app_service-2"); pasted nodes keep
 * their id when it is free. Pasted nodes are placed like added ones.
 *
 * Additions to the first contract: azb_edit_fields, azb_edit_last_error,
 * azb_edit_undo_count, azb_edit_redo_count, azb_edit_history_bytes.
 *
 * Ownership. azb_edit_create takes ownership of the design (NULL: a new
 * empty one named "Untitled"; a design with an empty name is named
 * "Untitled" too, since a design needs a name to validate) and borrows the
 * catalog, which must outlive the editor. azb_edit_design returns the
 * editor's design: read it, never write it, and do not keep its node
 * pointers across a change. azb_edit_copy returns a new design the caller
 * destroys; azb_edit_paste only reads `clip`.
 *
 * Errors. A NULL editor or catalog is a contract violation (assert).
 * Anything else wrong (an index out of range, a NULL array with a count, a
 * value that is not valid, out of memory) returns false (or -1) with nothing
 * applied; azb_edit_last_error then says why, one line.
 */
#ifndef AZB_EDIT_H
#define AZB_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "azb_catalog.h"
#include "azb_design.h"
#include "azb_error.h"

typedef struct azb_editor azb_editor;

typedef enum azb_target_type { AZB_TARGET_NODE, AZB_TARGET_EDGE, AZB_TARGET_GROUP } azb_target_type;

azb_editor *azb_edit_create(azb_design *d, const azb_catalog *cat);
void azb_edit_destroy(azb_editor *ed);

const azb_design *azb_edit_design(const azb_editor *ed);
/* Replace the whole design (a file opened, New): clears the history and
 * marks the new design saved. Takes ownership of `d`. */
void azb_edit_reset(azb_editor *ed, azb_design *d);

/* Transactions. Nested begin calls nest; the outermost commit records. */
void azb_edit_begin(azb_editor *ed);
void azb_edit_commit(azb_editor *ed, const char *label);
/* Undo what the open transaction changed and drop it. */
void azb_edit_cancel(azb_editor *ed);

bool azb_edit_undo(azb_editor *ed);
bool azb_edit_redo(azb_editor *ed);
bool azb_edit_can_undo(const azb_editor *ed);
bool azb_edit_can_redo(const azb_editor *ed);
/* Label of the step undo (or redo) would apply, "" if none. */
const char *azb_edit_undo_label(const azb_editor *ed);
const char *azb_edit_redo_label(const azb_editor *ed);

unsigned long azb_edit_revision(const azb_editor *ed);
void azb_edit_mark_saved(azb_editor *ed);
bool azb_edit_dirty(const azb_editor *ed);

/* Nodes. add: a node of `kind` with its default SKU (or `sku` when not NULL
 * or ""), count 1, at (x, y), placed by azb_edit_place; sku and count stay
 * absent from the file unless given. Returns its index (the last) or -1
 * (unknown kind or SKU: `why` says so when not NULL). */
int azb_edit_add_node(azb_editor *ed, const char *kind, const char *sku, double x, double y,
                      char *why, size_t why_size);
/* Move nodes by (dx, dy), then place each by its new position. A node
 * listed twice moves once. A node without a position starts from (0, 0). */
bool azb_edit_move_nodes(azb_editor *ed, const int *nodes, int n, double dx, double dy);
/* Set a node's position exactly (no placement); for drags, inside a transaction. */
bool azb_edit_set_position(azb_editor *ed, int node, double x, double y);
bool azb_edit_place(azb_editor *ed, int node);

/* Edges. connect: a sync call from -> to with p 1 and calls 1 (async when
 * `to` is a queue or event stream kind: catalog category "messaging", such
 * as service_bus and event_hubs). p, calls and sync stay absent from the
 * file (they are the defaults); async is written. Returns the edge index,
 * or -1 when from == to, an edge from -> to already exists, an index is
 * wrong, or the validator refuses it (a call into a clients node, a loop
 * without end). */
int azb_edit_connect(azb_editor *ed, int from, int to);

/* Groups. A region box (kind "region"; `zone` is ignored) or a zone lane
 * (kind "zone" with zone 1..3, drawn inside a region box) with the given
 * rectangle (w and h > 0). Returns its index or -1. */
int azb_edit_add_group(azb_editor *ed, const char *kind, const char *region, int zone, double x,
                       double y, double w, double h);
bool azb_edit_set_group_rect(azb_editor *ed, int group, double x, double y, double w, double h);

/* Delete nodes (with every edge touching them), edges and groups, as one
 * step. Any of the arrays may be NULL with its count 0; an index listed
 * twice counts once. Refused when the design would not validate (deleting
 * the workload's entry node, the last clients node of a workload without
 * an entry). */
bool azb_edit_delete(azb_editor *ed, const int *nodes, int nn, const int *edges, int ne,
                     const int *groups, int ng);

/* The inspector. Apply `text` to the named field of a node, edge or group;
 * false with the reason in `why` (never applied) when the text is not a
 * valid value. azb_edit_get_field writes the field's current value as the
 * inspector shows it ("" for an absent optional field). */
bool azb_edit_set_field(azb_editor *ed, azb_target_type type, int index, const char *field,
                        const char *text, char *why, size_t why_size);
bool azb_edit_get_field(const azb_editor *ed, azb_target_type type, int index, const char *field,
                        char *out, size_t out_size);
/* The workload's offered rate (the slider), > 0 and at most 1e9. A design
 * without a workload gets one (valid only when it has a clients node). */
bool azb_edit_set_rps(azb_editor *ed, double rps);

/* The design's own fields, as the inspector shows them when nothing is
 * selected: "name" (1 to 127 bytes), "description" (empty: none), "prompt"
 * (a practice prompt's id, empty: none), "workload.rps" (requests/s, > 0;
 * creates the workload when the design has none) and "workload.entry" (a
 * node id, or empty for every clients node; creates the workload at 100
 * requests/s when absent). Same contract as azb_edit_set_field: refused
 * text applies nothing and `why` says why; one undoable step each. */
bool azb_edit_set_design_field(azb_editor *ed, const char *field, const char *text, char *why,
                               size_t why_size);
/* Writes the field's current value ("" when absent); false for an unknown field. */
bool azb_edit_get_design_field(const azb_editor *ed, const char *field, char *out, size_t size);

/* Clipboard. copy: the selected nodes (in design order, each once) and the
 * edges between them as a new design without groups or workload (NULL when
 * nodes is NULL, n <= 0, an index is out of range, or out of memory).
 * paste: add a copy of every node and edge of `clip` moved by (dx, dy),
 * with fresh ids where taken, placed like added nodes, as one step; the new
 * node indices go to `new_nodes` (room for clip->nnodes) when not NULL.
 * Returns the number of nodes pasted (0 for an empty clip), -1 on failure
 * (a pasted edge listing operations the workload lacks is refused). */
azb_design *azb_edit_copy(const azb_editor *ed, const int *nodes, int n);
int azb_edit_paste(azb_editor *ed, const azb_design *clip, double dx, double dy, int *new_nodes);

/* The inspector's field names of a record, in display order: writes at most
 * `max` pointers (static strings or the catalog's setting names, valid as
 * long as the catalog) to `names` (may be NULL with max 0) and returns how
 * many the record has, -1 for a wrong index. */
int azb_edit_fields(const azb_editor *ed, azb_target_type type, int index, const char **names,
                    int max);
/* Why the last refused call was refused (one line), "" after a success
 * (begin, commit, cancel and the readers leave it as it was). */
const char *azb_edit_last_error(const azb_editor *ed);
/* Steps on the undo and redo lists (an open transaction not counted). */
int azb_edit_undo_count(const azb_editor *ed);
int azb_edit_redo_count(const azb_editor *ed);
/* Bytes the history holds (steps, their change lists and the records they
 * keep, with their settings, extras and lists); walks the history. */
size_t azb_edit_history_bytes(const azb_editor *ed);

#endif
