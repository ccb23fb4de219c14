/*
 * wb_drill: load and failure drills on the whiteboard. "Run drill" plays a
 * scenario (azb_workload.h) against the design on the event simulator
 * (azb_sim.h) in a worker thread, while the UI thread draws its progress
 * and the per-second time series as charts; when it is done a timeline
 * scrubber replays the run on the canvas (utilisation colours of that
 * second, failed instances, zones and regions greyed out).
 *
 * Model.
 *  - A drill runs on a private clone of the design (azb_design_clone) with
 *    its own model result (azb_model_run), so the person may go on editing
 *    while it runs; the canvas maps the drill's nodes back by id. The seed
 *    is fixed (1, as `azboard sim --des`), so a drill and the command line
 *    give the same figures for the same design and scenario.
 *  - Time series rows (one per simulated second, azb_sim_second) land in a
 *    buffer sized from the scenario's duration before the thread starts:
 *    from the simulator's on_second callback as the run goes on, and any
 *    not delivered that way from the final result's `seconds` when it ends.
 *    Rows are append-only: the worker fills row n, then publishes n + 1
 *    with a release store; the UI thread reads rows below an acquire load
 *    of that count, so neither side locks and no row changes once seen.
 *  - Cancel. The UI thread sets an atomic request; the worker copies it
 *    into the simulator's cancel flag from its own progress and row
 *    callbacks (every 65,536 events at most), so that flag is only ever
 *    touched by the simulating thread. Closing the view, opening another
 *    design and destroying the app cancel and join.
 *  - Wake-up. The worker pushes one SDL user event (type registered once,
 *    wb_drill_event_type) when progress moves, a row arrives or the run
 *    ends, at most one in the queue at a time, so a window waiting in
 *    SDL_WaitEvent draws the new state. Playback uses an SDL timer that
 *    pushes the same event. Without SDL's event system (headless) pushes
 *    fail quietly and callers poll wb_drill_finished.
 *  - Failures on the canvas at second t are worked out from the scenario as
 *    the simulator does (instance j of a node sits in zones[j % nzones]); a
 *    quota service in a failed region is shown down even where the
 *    simulator fails it over after its failover delay.
 *
 * Units. Times in seconds of simulated time, rates in requests per second,
 * latency in ms.
 *
 * Memory. Start allocates everything: clone, model, the row buffer
 * (duration x (row + nnodes x 8 bytes); refused above 256 MB), the view's
 * per-node statistics. Frames allocate nothing.
 *
 * Ownership. wb_drill_start returns a drill the caller releases with
 * wb_drill_destroy (which cancels and joins first). In the app, app->drill
 * is owned by this module: wb_drill_run makes it, wb_drill_close and
 * wb_drill_free release it. The catalog must outlive the drill.
 *
 * Errors. Bad scenarios, designs that cannot be modelled or simulated and
 * out of memory: start returns NULL with a message in `why` (file:line:col
 * where the scenario says where); a run that fails on the worker reports
 * through wb_drill_error, in plain words with the second it reached (the
 * rows simulated until then stay readable). NULL drills and rows out of range are contract
 * violations (assert).
 */
#ifndef WB_DRILL_H
#define WB_DRILL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "azb_sim.h"
#include "azb_workload.h"
#include "wb.h"

typedef struct wb_drill wb_drill;

/* ---- the runner (no drawing; what the tests drive) ---- */

/* Load the scenario at `scenario_path`, check it against `d`, clone `d`, run
 * the model and start the worker thread. NULL with `why` filled on failure. */
wb_drill *wb_drill_start(const azb_design *d, const azb_catalog *cat, const char *scenario_path,
                         uint64_t seed, char *why, size_t why_size);
/* The same with a scenario already in memory, which the drill takes (it is
 * freed on failure too); `label` names it in the panel (a path or
 * WB_DRILL_STEADY). */
wb_drill *wb_drill_start_scenario(const azb_design *d, const azb_catalog *cat, azb_scenario *sc,
                                  const char *label, uint64_t seed, char *why, size_t why_size);
/* The steady drill: constant load at the design's workload rate for
 * duration_s, no failures. NULL with `why` filled when the design has no
 * rate. The caller frees it (azb_scenario_destroy) unless a drill took it. */
azb_scenario *wb_drill_steady_scenario(const azb_design *d, double duration_s, char *why,
                                       size_t why_size);
#define WB_DRILL_STEADY "steady"
#define WB_DRILL_STEADY_S 120.0
/* Ask the worker to stop; the result then covers what was simulated. */
void wb_drill_cancel(wb_drill *dr);
/* Block until the worker has ended and join it. */
void wb_drill_wait(wb_drill *dr);
/* True once the worker has ended (it is then joined). Never blocks. */
bool wb_drill_finished(wb_drill *dr);
/* Cancel, join and free (NULL is fine). */
void wb_drill_destroy(wb_drill *dr);

double wb_drill_progress(const wb_drill *dr); /* 0..1 */
/* Rows published so far; rows below this never change. */
int wb_drill_nrows(const wb_drill *dr);
const azb_sim_second *wb_drill_row(const wb_drill *dr, int i);
const azb_scenario *wb_drill_scenario(const wb_drill *dr);
/* The private clone the drill simulates (its node indices are the rows'). */
const azb_design *wb_drill_design(const wb_drill *dr);
/* After wb_drill_finished: the simulator's result (NULL when it failed). */
const azb_sim_result *wb_drill_result(const wb_drill *dr);
/* After wb_drill_finished: why the run failed ("" when it did not). */
const char *wb_drill_error(const wb_drill *dr);
bool wb_drill_cancelled(const wb_drill *dr);

/* Of the `n` instances of the drill design's node `node`, how many the
 * scenario's failures hold down at time t; n for a node that is down as a
 * whole (node and region failures, a pinned quota service in a failed
 * zone). */
int wb_drill_node_down(const wb_drill *dr, int node, double t, int n);
/* Whether a region box or zone lane is inside a failed region or zone at t. */
bool wb_drill_group_failed(const wb_drill *dr, const azb_group *g, double t);

/* The SDL user event that wakes the UI (registered on first use; 0 when
 * SDL has no room for it). */
Uint32 wb_drill_event_type(void);

/* ---- the app's drill view ---- */

/* Run drill: the toolbar's scenario (app->scenario, a path), else ("") the
 * steady drill; says why not in the status line, in plain words. */
bool wb_drill_run(wb_app *app);
/* The Scenario button: steady, then each scenario file next to the design
 * or in its prompt's folder that fits the design (azb_scenario_check), by
 * name, then steady again. Files that do not fit are skipped and the status
 * line says why. */
void wb_drill_cycle_scenario(wb_app *app);
/* Whether the scenario file at `path` fits the open design; when not, why
 * in plain words. */
bool wb_drill_scenario_fits(const wb_app *app, const char *path, char *why, size_t why_size);
/* Leave drill view: cancel, join and free the drill. */
void wb_drill_close(wb_app *app);
/* At exit (wb_app_destroy). */
void wb_drill_free(wb_app *app);
bool wb_drill_shown(const wb_app *app);
bool wb_drill_running(const wb_app *app);
/* Height of the drills panel, which takes the results strip's place. */
float wb_drill_panel_h(const wb_app *app);
void wb_drill_draw(wb_app *app);
/* Wake-ups, the panel's buttons, the scrubber and the drill keys (Esc,
 * P play/pause, [ and ] step, Home, End). True when the event was used. */
bool wb_drill_event(wb_app *app, const SDL_Event *ev);
/* Show second t (clamped to the rows there are). */
void wb_drill_scrub(wb_app *app, double t);
/* The second the canvas shows; -1 when there is no row yet. */
double wb_drill_scrub_time(const wb_app *app);

/* Canvas hooks. node_state: the drill's utilisation and active instances of
 * the design's node `node` at the scrubbed second (false: draw the model's).
 * draw_groups: grey failed regions and zones (after the groups); draw_nodes:
 * grey failed instances and badge degraded nodes (after the nodes). */
bool wb_drill_node_state(const wb_app *app, int node, double *u, int *instances);
void wb_drill_draw_groups(wb_app *app);
void wb_drill_draw_nodes(wb_app *app);

/* Headless (azboard render --scenario NAME [--at S]): run the drill on the
 * open design to the end and show it at second at_s (< 0: the middle of the
 * first failure, else the end). False with `why` filled on failure. */
bool wb_drill_render(wb_app *app, const char *scenario, double at_s, char *why, size_t why_size);

#endif
