/*
 * wb: the whiteboard. One app state struct (wb_app) that every panel reads
 * and writes; panels in their own files (wb_canvas.c, wb_palette.c,
 * wb_inspector.c, wb_results.c, wb_toolbar.c, wb_files.c, wb_help.c), the
 * drawing layer (wb_draw.c, wb_text.c) and the PNG writer (wb_png.c).
 *
 * Frame. Input (wb_app_event: each panel's event handler does the UI logic
 * and edits the design), then the model is brought up to date in the same
 * frame (every edit goes through wb_app_edited: azb_model_update, then cost
 * and availability), then wb_app_draw draws every panel from the state, then
 * present. The window waits for events when nothing moves (SDL_WaitEvent).
 *
 * Coordinates. Everything on screen is in drawable pixels; `scale` is the
 * HiDPI factor (drawable / window size, times --scale), so a UI size of
 * 12 is 12 * scale pixels. Canvas units are the design's (one unit = one
 * pixel at zoom 1); view.zoom is drawable pixels per canvas unit.
 *
 * Memory. Everything the frame needs is sized when a design is loaded or
 * edited (selection, model result); the frame itself allocates nothing: the
 * text cache rasterises a glyph once, per-frame strings go into an arena
 * (wb_app.arena) reset at the start of every frame.
 *
 * Ownership. wb_app_create/wb_app_destroy; the app owns the editor, the
 * catalog, the model result, cost and availability, the fonts and caches.
 */
#ifndef WB_H
#define WB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "azb_availability.h"
#include "azb_catalog.h"
#include "azb_cost.h"
#include "azb_design.h"
#include "azb_edit.h"
#include "azb_model.h"
#include "azb_prompt.h"

/* ---- drawing layer (wb_draw.c) ---- */

typedef struct wb_rect {
    float x, y, w, h;
} wb_rect;

typedef struct wb_color {
    Uint8 r, g, b, a;
} wb_color;

#define WB_RGB(v) ((wb_color){(Uint8)(((v) >> 16) & 0xff), (Uint8)(((v) >> 8) & 0xff), (Uint8)((v) & 0xff), 255})
#define WB_RGBA(v, a) ((wb_color){(Uint8)(((v) >> 16) & 0xff), (Uint8)(((v) >> 8) & 0xff), (Uint8)((v) & 0xff), (Uint8)(a)})

/* The palette of the whole UI: calm neutrals, one accent, three load colours. */
enum {
    WB_C_BG = 0xf5f6f8,        /* canvas */
    WB_C_GRID = 0xdfe3e8,
    WB_C_PANEL = 0xffffff,
    WB_C_PANEL_ALT = 0xf8f9fb,
    WB_C_BORDER = 0xe2e5ea,
    WB_C_TEXT = 0x1f2328,
    WB_C_MUTED = 0x69707d,
    WB_C_FAINT = 0x9aa1ad,
    WB_C_ACCENT = 0x0f6cbd,
    WB_C_ACCENT_SOFT = 0xe6f0fa,
    WB_C_CALM = 0x2f855a,
    WB_C_CALM_SOFT = 0xeef8f2,
    WB_C_WARM = 0xb7791f,
    WB_C_WARM_SOFT = 0xfdf6e7,
    WB_C_HOT = 0xc53030,
    WB_C_HOT_SOFT = 0xfdeeee,
    WB_C_EDGE = 0x8b94a3,
    WB_C_REGION = 0x6f8fb8,
    WB_C_REGION_FILL = 0xeef3f9,
    WB_C_ZONE = 0xa9bcd6,
    WB_C_ZONE_FILL = 0xe4ecf6,
};

void wb_draw_fill(SDL_Renderer *r, wb_rect a, wb_color c);
void wb_draw_frame(SDL_Renderer *r, wb_rect a, float width, wb_color c);
void wb_draw_round(SDL_Renderer *r, wb_rect a, float radius, wb_color c);
void wb_draw_round_frame(SDL_Renderer *r, wb_rect a, float radius, float width, wb_color c);
void wb_draw_line(SDL_Renderer *r, float x0, float y0, float x1, float y1, float width,
                  wb_color c);
void wb_draw_dashed(SDL_Renderer *r, float x0, float y0, float x1, float y1, float width,
                    float dash, wb_color c);
void wb_draw_dashed_frame(SDL_Renderer *r, wb_rect a, float width, float dash, wb_color c);
void wb_draw_circle(SDL_Renderer *r, float cx, float cy, float radius, wb_color c);
void wb_draw_ring(SDL_Renderer *r, float cx, float cy, float radius, float width, wb_color c);
void wb_draw_ellipse_ring(SDL_Renderer *r, float cx, float cy, float rx, float ry, float width,
                          wb_color c);
void wb_draw_triangle(SDL_Renderer *r, float x0, float y0, float x1, float y1, float x2,
                      float y2, wb_color c);
/* A convex polygon (n <= 16 points, xy pairs). */
void wb_draw_poly(SDL_Renderer *r, const float *xy, int n, wb_color c);
/* The glyph of a component kind (or "region"), drawn from primitives into
 * the box a. */
void wb_draw_glyph(SDL_Renderer *r, const char *kind, wb_rect a, wb_color c);
wb_color wb_category_color(azb_category cat);
/* a + (b - a) * t, opaque: translucent fills cost a blend per pixel in the
 * software renderer, so tints are mixed once instead. */
wb_color wb_mix(wb_color a, wb_color b, float t);
bool wb_rect_has(wb_rect a, float x, float y);
bool wb_rect_overlaps(wb_rect a, wb_rect b);

/* ---- text (wb_text.c) ---- */

typedef enum wb_face { WB_REGULAR, WB_BOLD, WB_FACE_COUNT } wb_face;

#define WB_TEXT_SLOTS 32
#define WB_GLYPHS_DIRECT 256 /* Latin-1 in a direct table */
#define WB_GLYPHS_EXTRA 64   /* a few others (arrows, dashes, the ellipsis) */

typedef struct wb_glyph {
    Uint32 cp;
    short x, y, w, h; /* in the atlas; w == 0: not rasterised */
    short adv;
} wb_glyph;

/* One face at one pixel size: its font, its glyph atlas. */
typedef struct wb_text_slot {
    TTF_Font *font;
    int face;
    int px;
    int height, ascent;
    SDL_Texture *atlas;
    int atlas_size;
    int pen_x, pen_y, row_h; /* shelf packing */
    unsigned long used;      /* last frame it was used (LRU) */
    wb_glyph direct[WB_GLYPHS_DIRECT];
    wb_glyph extra[WB_GLYPHS_EXTRA];
    int nextra;
} wb_text_slot;

typedef struct wb_text {
    SDL_Renderer *renderer;
    void *data[WB_FACE_COUNT]; /* the TTF files, loaded once */
    size_t size[WB_FACE_COUNT];
    wb_text_slot slots[WB_TEXT_SLOTS];
    unsigned long frame;
    unsigned long rasterised; /* glyphs rasterised so far (tests, bench) */
} wb_text;

bool wb_text_init(wb_text *t, SDL_Renderer *r, const char *data_dir, char *why, size_t why_size);
void wb_text_free(wb_text *t);
/* Pixel sizes are rounded to a fixed ladder so zooming reuses few fonts. */
float wb_text_width(wb_text *t, wb_face face, float px, const char *s);
float wb_text_height(wb_text *t, wb_face face, float px);
/* Draw s with its top at y; returns the width drawn. max_w > 0 clips with an ellipsis. */
float wb_text_draw(wb_text *t, wb_face face, float px, float x, float y, wb_color c,
                   const char *s, float max_w);

/* Word-wrapped text in width w, at most max_lines (the last one clipped
 * with an ellipsis); returns the height used. */
float wb_text_wrap(wb_text *t, wb_face face, float px, float x, float y, float w, wb_color c,
                   const char *s, int max_lines);

/* ---- the app ---- */

typedef enum wb_drag {
    WB_DRAG_NONE,
    WB_DRAG_PAN,
    WB_DRAG_MOVE,     /* nodes (and groups) */
    WB_DRAG_RUBBER,
    WB_DRAG_CONNECT,
    WB_DRAG_PALETTE,  /* a component from the palette */
    WB_DRAG_SLIDER,
    WB_DRAG_GROUP_RESIZE,
} wb_drag;

typedef enum wb_modal {
    WB_MODAL_NONE,
    WB_MODAL_OPEN,
    WB_MODAL_HELP,
    WB_MODAL_COST,
    WB_MODAL_CONFIRM_CLOSE,
    WB_MODAL_CONFIRM_NEW,
    WB_MODAL_SAVE_AS,
    WB_MODAL_PROMPT,
} wb_modal;

typedef struct wb_view {
    double ox, oy; /* canvas point at the canvas panel's top-left */
    double zoom;   /* drawable pixels per canvas unit */
} wb_view;

/* Card size in canvas units; a node's x, y is its top-left corner. */
#define WB_NODE_W 168.0
#define WB_NODE_H 72.0
#define WB_ARENA_SIZE (256 * 1024)
#define WB_PALETTE_MAX 64
#define WB_RECENT_MAX 8
#define WB_FIELD_MAX 64

typedef struct wb_layout {
    wb_rect toolbar, palette, canvas, inspector, results, status;
} wb_layout;

/* The edge labels the canvas placed (wb_canvas.c), kept while what placing
 * depends on is unchanged: the design's revision, the view, the canvas
 * size, the edge rates, the selected and hovered edge. On the software
 * renderer they are also drawn once into `layer` (a target texture of the
 * output's size, freed with the renderer) and copied from it each frame. */
#define WB_EDGE_LABELS_MAX 1024
typedef struct wb_edge_label {
    wb_rect pill;
    float tw, lw; /* widths of the top line and of the edge's label */
    int edge;
    bool show_label;
    int cluster;   /* the first label of those whose pixels may meet this one's */
    bool in_layer; /* copied from the layer (software renderer) */
    char top[64];
} wb_edge_label;

typedef struct wb_edge_labels {
    bool valid;
    unsigned long rev;
    const void *design;
    wb_view view;
    wb_rect canvas;
    int sel_edge, hover_edge;
    unsigned long long rates; /* hash of the edge rates shown; 0 none */
    int n;
    wb_edge_label items[WB_EDGE_LABELS_MAX];
    SDL_Texture *layer;
    int layer_w, layer_h;
    int reused;       /* frames that drew these placements again, up to 2 */
    bool layer_fresh; /* holds items as placed now */
    bool layer_off;   /* not the software renderer, or no texture: draw directly */
} wb_edge_labels;

/* A text field being edited (inspector, path box, palette filter). */
typedef struct wb_edit_box {
    int owner;              /* 0 none; 1 inspector field; 2 path box; 1000 palette filter */
    char field[48];         /* the inspector field being edited */
    char text[256];
    bool all;               /* Ctrl+A: the whole text is selected; typing replaces it */
} wb_edit_box;

/* What the inspector drew where in the last frame, for clicks. */
typedef enum wb_hit_kind { WB_HIT_FIELD, WB_HIT_SKU, WB_HIT_REGION, WB_HIT_CHOICE } wb_hit_kind;

typedef struct wb_hit {
    wb_rect r;
    wb_hit_kind kind;
    int index;
    const char *name; /* field name (static or the catalog's) */
    const char *value; /* WB_HIT_CHOICE: the value to set */
} wb_hit;

#define WB_HITS_MAX 192

typedef struct wb_app {
    SDL_Window *window;     /* NULL headless */
    SDL_Renderer *renderer;
    SDL_Surface *surface;   /* headless: what the software renderer draws on */
    wb_text text;
    int width, height;      /* drawable pixels */
    float scale;            /* HiDPI x --scale */
    float user_scale;
    bool headless;
    bool running;
    bool present;           /* Present mode: canvas and results only */
    wb_view edit_view;      /* the view before Present mode, restored after */

    char data_dir[4096];
    azb_catalog *cat;
    azb_prompts *prompts;
    azb_editor *ed;
    azb_result *result;
    azb_cost *cost;
    azb_availability *avail;
    bool model_ok;
    char model_msg[512];    /* why the model does not run, or its first warning */
    double rps;             /* the load slider: 0 = the workload's rps */
    unsigned long model_rev; /* editor revision the results are for */

    char path[AZB_PATH_MAX]; /* "" = not saved yet */
    char status[640];
    bool status_error;
    char recent[WB_RECENT_MAX][AZB_PATH_MAX];
    int nrecent;

    wb_view view;
    wb_layout lay;

    /* Selection, sized to the design (grown on edits, never per frame). */
    unsigned char *sel;
    int *scratch; /* room for sel_cap node indices */
    int sel_cap;
    int nsel;
    int sel_edge;  /* -1 */
    int sel_group; /* -1 */
    int hover_node;
    int hover_edge;

    /* Pointer and drags. */
    float mx, my;
    bool space_down;
    wb_drag drag;
    float drag_x0, drag_y0;   /* where it started (screen) */
    double drag_cx, drag_cy;  /* canvas point under the pointer at the start */
    double moved_x, moved_y;  /* what the move applied so far (canvas) */
    int drag_node;            /* connect: from; move: the node grabbed */
    int drag_kind;            /* palette: index into palette_kinds */
    bool drag_started;

    /* Palette: kinds grouped by category, filtered. */
    const char *palette_kinds[WB_PALETTE_MAX];
    int npalette;
    float palette_scroll;
    char filter[64];

    /* Inspector. */
    float inspector_scroll;
    float inspector_h;        /* height of what it drew last frame (caps the scroll) */
    long inspector_shown;     /* what it showed last frame; a change resets the scroll */
    char inspector_list[48];  /* the field whose choice list is open; "" none */
    wb_hit hits[WB_HITS_MAX];
    int nhits;
    wb_edit_box box;
    char field_error[320];
    char field_error_name[48];

    /* Modals. */
    wb_modal modal;
    int open_hover;
    char open_path[AZB_PATH_MAX];
    bool quit_after_save;
    char scenario[AZB_PATH_MAX]; /* the load and failure scenario picked for drills */
    struct wb_drill *drill;      /* the drill shown (wb_drill.h); NULL: none */

    /* Tooltip for the thing under the pointer. */
    char tooltip[256];

    /* Clipboard: a design made by azb_edit_copy. */
    azb_design *clip;
    int paste_count;

    wb_edge_labels edge_labels; /* wb_canvas.c's placement cache */

    /* Per-frame scratch strings. */
    char arena[WB_ARENA_SIZE];
    size_t arena_used;
    unsigned long frame;
    double last_frame_ms;
} wb_app;

typedef struct wb_options {
    int width, height; /* window or image size in points; 0 = default */
    float scale;       /* extra UI scale; 0 = 1 */
    bool headless;     /* software renderer on a surface, no window */
} wb_options;

/* ---- wb_app.c ---- */

wb_app *wb_app_create(const wb_options *opt, const char *data_dir, char *why, size_t why_size);
void wb_app_destroy(wb_app *app);
/* Load a design; on failure the current design stays and `status` says why
 * (file:line:col: path: message). NULL path: the default prompt's starter. */
bool wb_app_open(wb_app *app, const char *path);
bool wb_app_save(wb_app *app, const char *path);
void wb_app_new(wb_app *app);
/* Save (Ctrl+S, the toolbar): to the file, except for a new design and for
 * a shipped one (under the data dir's scenarios/), which are templates:
 * those open Save As and the status line says why. */
void wb_app_save_command(wb_app *app);
/* Whether a path is a shipped file (under data_dir/scenarios/). */
bool wb_app_is_shipped(const wb_app *app, const char *path);
/* Present mode on (fit the design to the larger canvas) or off (the view
 * from before comes back). */
void wb_app_set_present(wb_app *app, bool on);
/* Every edit ends here: the model, cost and availability re-run now. */
void wb_app_edited(wb_app *app);
void wb_app_run_model(wb_app *app);
void wb_app_layout(wb_app *app);
void wb_app_draw(wb_app *app);
/* One frame: count it, reset the per-frame arena, draw, present. The loop,
 * `render --bench` and the tests all go through it. */
void wb_app_frame(wb_app *app);
/* One event: UI logic and edits. Returns false when the app should quit. */
bool wb_app_event(wb_app *app, const SDL_Event *ev);
/* The window loop; returns the exit code. */
int wb_app_run(wb_app *app);
void wb_app_fit(wb_app *app);
const azb_design *wb_design(const wb_app *app);
void wb_app_status(wb_app *app, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
char *wb_fmt(wb_app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Room for `size` bytes in the frame's arena (aligned for any type); NULL
 * when it is full. Gone when the next frame or event resets the arena. */
void *wb_arena_alloc(wb_app *app, size_t size);
void wb_app_title(wb_app *app);
float wb_px(const wb_app *app, float v); /* UI size -> pixels */
void wb_sel_clear(wb_app *app);
void wb_sel_set(wb_app *app, int node, bool on);
bool wb_sel_has(const wb_app *app, int node);
void wb_sel_reserve(wb_app *app);

/* Numbers for people: 10,200; 12.4k; $1,234.50; 99.95%. */
const char *wb_num(char *buf, size_t size, double v);
const char *wb_rate(char *buf, size_t size, double rps);
const char *wb_usd(char *buf, size_t size, double usd);
const char *wb_ms(char *buf, size_t size, double ms, bool clamped);

/* ---- panels ---- */

void wb_canvas_draw(wb_app *app);
bool wb_canvas_event(wb_app *app, const SDL_Event *ev);
void wb_canvas_to_screen(const wb_app *app, double cx, double cy, float *sx, float *sy);
void wb_canvas_from_screen(const wb_app *app, float sx, float sy, double *cx, double *cy);
int wb_canvas_node_at(const wb_app *app, float sx, float sy);
void wb_canvas_zoom_at(wb_app *app, float sx, float sy, double factor);
/* Drop a palette entry at a screen point (used by drags and by tests). */
int wb_canvas_drop(wb_app *app, const char *kind, float sx, float sy);

void wb_palette_build(wb_app *app);
void wb_palette_draw(wb_app *app);
bool wb_palette_event(wb_app *app, const SDL_Event *ev);
/* Screen rectangle of a palette entry (tests drag from it); false if hidden. */
bool wb_palette_entry_rect(wb_app *app, const char *kind, wb_rect *out);

void wb_inspector_draw(wb_app *app);
bool wb_inspector_event(wb_app *app, const SDL_Event *ev);
/* Apply the field being typed (as Enter does); a refused value stays. */
void wb_inspector_commit(wb_app *app);
/* Apply text to a field of the selection, as the inspector does. */
bool wb_inspector_apply(wb_app *app, azb_target_type type, int index, const char *field,
                        const char *text);

void wb_results_draw(wb_app *app);
bool wb_results_event(wb_app *app, const SDL_Event *ev);
void wb_results_draw_cost(wb_app *app);
double wb_results_slider_rps(const wb_app *app, float x);
/* An availability truncated like the report (never rounded up: 99.9899%), and
 * a target percentage with the digits it has (99.99%, 99.995%). */
const char *wb_results_percent(char *buf, size_t size, double sla);
const char *wb_results_target_percent(char *buf, size_t size, double req);
/* What the strip says instead of figures: "No results yet", "No load", "No
 * path from the clients"; NULL when it shows figures. */
const char *wb_results_headline(const wb_app *app);

void wb_toolbar_draw(wb_app *app);
bool wb_toolbar_event(wb_app *app, const SDL_Event *ev);

void wb_files_draw(wb_app *app);
bool wb_files_event(wb_app *app, const SDL_Event *ev);
void wb_files_recent_add(wb_app *app, const char *path);
void wb_files_recent_load(wb_app *app);

void wb_help_draw(wb_app *app);
/* The shortcuts, one "keys\twhat" per entry, NULL-terminated. */
extern const char *const wb_help_shortcuts[];


/* Draw a modal dialog frame; returns its content rect. */
wb_rect wb_dialog(wb_app *app, float w, float h, const char *title);
/* A button: draws it and says whether the pointer is on it. */
bool wb_button(wb_app *app, wb_rect a, const char *label, bool enabled, bool primary);

/* ---- headless render (wb_render.c) and PNG (wb_png.c) ---- */

bool wb_png_write(const char *path, SDL_Surface *s, char *why, size_t why_size);
/* azboard render FILE -o OUT.png [--width W] [--height H] [--scale S] [--bench N]
 *                [--scenario NAME [--at S]] (a drill, wb_drill.h) */
int wb_render_main(int argc, char **argv, const char *data_dir, FILE *out, FILE *err);
/* The window (azboard [FILE]): returns -1 when there is no display, so the
 * caller prints the report instead. */
int wb_open_main(const char *path, const char *data_dir, FILE *err);

#endif
