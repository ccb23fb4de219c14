/* Headless whiteboard tests: the app on a software renderer (no window, no
 * display), driven by synthetic SDL events through wb_app_event exactly as
 * the window loop feeds them, with a frame drawn after each batch. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <png.h>

#include "wb.h"

static char tmpdir[256];

static void path_in_tmp(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmpdir, name);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    assert_non_null(in);
    FILE *out = fopen(to, "wb");
    assert_non_null(out);
    char buf[8192] = "";
    size_t n = 0;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
        assert_int_equal(fwrite(buf, 1, n, out), n);
    }
    fclose(in);
    fclose(out);
}

static wb_app *make_app(int w, int h)
{
    wb_options opt = {w, h, 1.0f, true};
    char why[1024] = "";
    wb_app *app = wb_app_create(&opt, AZB_SOURCE_DATA, why, sizeof(why));
    if (app == NULL) {
        fail_msg("wb_app_create: %s", why);
    }
    return app;
}

static void frame(wb_app *app)
{
    wb_app_frame(app);
}

/* AZB_UI_SHOTS=DIR keeps PNGs of interesting states, to look at by eye. */
static void shot(wb_app *app, const char *name)
{
    const char *dir = getenv("AZB_UI_SHOTS");
    if (dir == NULL || dir[0] == '\0') {
        return;
    }
    char path[1024] = "";
    snprintf(path, sizeof(path), "%s/%s.png", dir, name);
    char why[256] = "";
    if (!wb_png_write(path, app->surface, why, sizeof(why))) {
        fprintf(stderr, "%s\n", why);
    }
}

static void send(wb_app *app, SDL_Event *ev)
{
    wb_app_event(app, ev);
    frame(app);
}

static void mouse_move(wb_app *app, float x, float y)
{
    SDL_Event ev = {0};
    memset(&ev, 0, sizeof(ev));
    ev.type = SDL_MOUSEMOTION;
    ev.motion.x = (int)x;
    ev.motion.y = (int)y;
    ev.motion.xrel = (int)(x - app->mx);
    ev.motion.yrel = (int)(y - app->my);
    send(app, &ev);
}

static void mouse_button(wb_app *app, float x, float y, bool down)
{
    SDL_Event ev = {0};
    memset(&ev, 0, sizeof(ev));
    ev.type = down ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP;
    ev.button.button = SDL_BUTTON_LEFT;
    ev.button.state = down ? SDL_PRESSED : SDL_RELEASED;
    ev.button.clicks = 1;
    ev.button.x = (int)x;
    ev.button.y = (int)y;
    send(app, &ev);
}

static void drag(wb_app *app, float x0, float y0, float x1, float y1)
{
    mouse_move(app, x0, y0);
    mouse_button(app, x0, y0, true);
    for (int i = 1; i <= 8; i++) {
        float t = (float)i / 8.0f;
        mouse_move(app, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
    }
    mouse_button(app, x1, y1, false);
}

static void click(wb_app *app, float x, float y)
{
    mouse_move(app, x, y);
    mouse_button(app, x, y, true);
    mouse_button(app, x, y, false);
}

static void key(wb_app *app, SDL_Keycode k, Uint16 mod)
{
    SDL_Event ev = {0};
    memset(&ev, 0, sizeof(ev));
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = k;
    ev.key.keysym.mod = mod;
    send(app, &ev);
}

static void node_center(wb_app *app, int i, float *x, float *y)
{
    const azb_node *n = &wb_design(app)->nodes[i];
    wb_canvas_to_screen(app, n->x + WB_NODE_W * 0.5, n->y + WB_NODE_H * 0.5, x, y);
}

static int find_edge(const azb_design *d, const char *from, const char *to)
{
    for (int i = 0; i < d->nedges; i++) {
        if (strcmp(d->edges[i].from, from) == 0 && strcmp(d->edges[i].to, to) == 0) {
            return i;
        }
    }
    return -1;
}

static int find_group(const azb_design *d, const char *kind, int zone)
{
    for (int i = 0; i < d->ngroups; i++) {
        if (strcmp(d->groups[i].kind, kind) == 0 && (zone == 0 || d->groups[i].zone == zone)) {
            return i;
        }
    }
    return -1;
}

/* Drag Redis from the palette into zone 1, connect web to it, pick a SKU
 * in the inspector, refuse a bad count, undo, redo, save, reload. */
static void test_edit_flow(void **state)
{
    (void)state;
    char design[512] = "";
    path_in_tmp(design, sizeof(design), "flow.json");
    copy_file(AZB_SOURCE_DATA "/scenarios/url-shortener/starter.json", design);
    wb_app *app = make_app(1600, 1000);
    assert_true(wb_app_open(app, design));
    frame(app);
    const azb_design *d = wb_design(app);
    int n0 = d->nnodes;
    int zone = find_group(d, "zone", 1);
    assert_true(zone >= 0);
    const azb_group *z = &d->groups[zone];

    /* 1. Palette -> zone lane, to the right of the nodes already there. */
    wb_rect entry = {0};
    assert_true(wb_palette_entry_rect(app, "redis", &entry));
    float zx = 0.0f, zy = 0.0f;
    wb_canvas_to_screen(app, z->x + z->w - 100.0, z->y + z->h * 0.5, &zx, &zy);
    drag(app, entry.x + entry.w * 0.5f, entry.y + entry.h * 0.5f, zx, zy);
    d = wb_design(app);
    assert_int_equal(d->nnodes, n0 + 1);
    int redis = n0;
    assert_string_equal(d->nodes[redis].kind, "redis");
    assert_string_equal(d->nodes[redis].region, "eastus");
    assert_int_equal(d->nodes[redis].nzones, 1);
    assert_int_equal(d->nodes[redis].zones[0], 1);
    char redis_id[AZB_ID_MAX] = "";
    snprintf(redis_id, sizeof(redis_id), "%s", d->nodes[redis].id);
    assert_true(app->model_ok);

    /* 2. Connect web -> redis from web's handle. */
    int web = azb_design_find_node(d, "web");
    assert_true(web >= 0);
    float wx = 0.0f, wy = 0.0f;
    wb_canvas_to_screen(app, d->nodes[web].x + WB_NODE_W, d->nodes[web].y + WB_NODE_H * 0.5, &wx,
                        &wy);
    float rx = 0.0f, ry = 0.0f;
    node_center(app, redis, &rx, &ry);
    mouse_move(app, wx - 20.0f, wy); /* hover the card so its handle shows */
    drag(app, wx, wy, rx, ry);
    d = wb_design(app);
    assert_true(find_edge(d, "web", redis_id) >= 0);
    assert_true(app->sel_edge >= 0);

    /* 3. Select redis and pick Standard_C1 in the inspector's SKU list. */
    click(app, rx, ry);
    assert_true(wb_sel_has(app, redis));
    frame(app);
    wb_rect sku = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int i = 0; i < app->nhits; i++) {
        if (app->hits[i].kind == WB_HIT_SKU && strcmp(app->hits[i].value, "Standard_C1") == 0) {
            sku = app->hits[i].r;
        }
    }
    assert_true(sku.w > 0.0f);
    click(app, sku.x + sku.w * 0.5f, sku.y + sku.h * 0.5f);
    d = wb_design(app);
    assert_string_equal(d->nodes[redis].sku, "Standard_C1");
    shot(app, "flow-inspector-node");

    /* 4. A bad value is refused with a reason and not applied. */
    assert_false(wb_inspector_apply(app, AZB_TARGET_NODE, redis, "count", "0"));
    assert_true(strlen(app->field_error) > 0);
    assert_int_equal(wb_design(app)->nodes[redis].count, 1);
    frame(app);
    shot(app, "flow-bad-value");

    /* 4b. Typed into the count box: a bad value stays red, a good one applies. */
    wb_rect count_box = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int i = 0; i < app->nhits; i++) {
        if (app->hits[i].kind == WB_HIT_FIELD && strcmp(app->hits[i].name, "count") == 0) {
            count_box = app->hits[i].r;
        }
    }
    assert_true(count_box.w > 0.0f);
    click(app, count_box.x + 10.0f, count_box.y + 5.0f);
    assert_int_equal(app->box.owner, 1);
    SDL_Event text = {0};
    memset(&text, 0, sizeof(text));
    text.type = SDL_TEXTINPUT;
    snprintf(text.text.text, sizeof(text.text.text), "x7");
    send(app, &text);
    key(app, SDLK_RETURN, 0);
    assert_int_equal(app->box.owner, 1); /* refused: still editing, reason shown */
    assert_true(strlen(app->field_error) > 0);
    assert_int_equal(wb_design(app)->nodes[redis].count, 1);
    key(app, SDLK_BACKSPACE, 0);
    key(app, SDLK_BACKSPACE, 0);
    snprintf(text.text.text, sizeof(text.text.text), "2");
    send(app, &text);
    key(app, SDLK_RETURN, 0);
    assert_int_equal(app->box.owner, 0);
    assert_int_equal(wb_design(app)->nodes[redis].count, 2);
    key(app, SDLK_z, KMOD_LCTRL);
    assert_int_equal(wb_design(app)->nodes[redis].count, 1);

    /* 5. Undo the SKU, redo it. */
    key(app, SDLK_z, KMOD_LCTRL);
    d = wb_design(app);
    assert_string_not_equal(d->nodes[azb_design_find_node(d, redis_id)].sku, "Standard_C1");
    key(app, SDLK_z, KMOD_LCTRL | KMOD_LSHIFT);
    d = wb_design(app);
    assert_string_equal(d->nodes[azb_design_find_node(d, redis_id)].sku, "Standard_C1");
    assert_true(azb_edit_dirty(app->ed));

    /* 6. Save, and the file holds it all; reload in the app. */
    char saved[512] = "";
    path_in_tmp(saved, sizeof(saved), "saved.json");
    assert_true(wb_app_save(app, saved));
    assert_false(azb_edit_dirty(app->ed));
    azb_errors errs = {0};
    azb_errors_init(&errs);
    azb_design *back = azb_design_load(saved, app->cat, &errs);
    azb_errors_free(&errs);
    assert_non_null(back);
    assert_int_equal(back->nnodes, n0 + 1);
    int b = azb_design_find_node(back, redis_id);
    assert_true(b >= 0);
    assert_string_equal(back->nodes[b].sku, "Standard_C1");
    assert_string_equal(back->nodes[b].region, "eastus");
    assert_true(find_edge(back, "web", redis_id) >= 0);
    azb_design_destroy(back);
    assert_true(wb_app_open(app, saved));
    assert_int_equal(wb_design(app)->nnodes, n0 + 1);

    /* 7. A file that does not load: the error is shown, the design kept. */
    char bad[512] = "";
    path_in_tmp(bad, sizeof(bad), "bad.json");
    FILE *f = fopen(bad, "w");
    assert_non_null(f);
    fputs("{\"format\": \"azboard/design\", \"version\": 1,\n \"name\": \"x\", \"nodes\": [}\n", f);
    fclose(f);
    assert_false(wb_app_open(app, bad));
    assert_true(app->status_error);
    assert_non_null(strstr(app->status, "bad.json:2:"));
    assert_int_equal(wb_design(app)->nnodes, n0 + 1);
    assert_string_equal(app->path, saved);
    wb_app_destroy(app);
}

/* Rubber band, nudge, duplicate, delete, each undoable. */
static void test_select_and_clipboard(void **state)
{
    (void)state;
    wb_app *app = make_app(1600, 1000);
    assert_true(wb_app_open(app, AZB_SOURCE_DATA "/scenarios/url-shortener/reference.json"));
    frame(app);
    int n0 = wb_design(app)->nnodes;
    wb_rect c = app->lay.canvas;
    drag(app, c.x + 4.0f, c.y + 4.0f, c.x + c.w - 4.0f, c.y + c.h - 4.0f);
    assert_int_equal(app->nsel, n0);
    key(app, SDLK_ESCAPE, 0);
    assert_int_equal(app->nsel, 0);
    int appn = azb_design_find_node(wb_design(app), "app");
    float x = 0.0f, y = 0.0f;
    node_center(app, appn, &x, &y);
    click(app, x, y);
    assert_true(wb_sel_has(app, appn));
    double x0 = wb_design(app)->nodes[appn].x;
    key(app, SDLK_RIGHT, 0);
    assert_true(wb_design(app)->nodes[appn].x == x0 + 1.0);
    key(app, SDLK_z, KMOD_LCTRL);
    assert_true(wb_design(app)->nodes[appn].x == x0);
    click(app, x, y);
    key(app, SDLK_d, KMOD_LCTRL);
    assert_int_equal(wb_design(app)->nnodes, n0 + 1);
    assert_int_equal(app->nsel, 1);
    key(app, SDLK_DELETE, 0);
    assert_int_equal(wb_design(app)->nnodes, n0);
    /* Drag a card: one undo step, snapped to the grid. */
    node_center(app, appn, &x, &y);
    drag(app, x, y, x + 47.0f * (float)app->view.zoom, y);
    double moved = wb_design(app)->nodes[appn].x;
    assert_true(moved != x0);
    assert_true(moved == x0 + 50.0 || moved == x0 + 40.0);
    key(app, SDLK_z, KMOD_LCTRL);
    assert_true(wb_design(app)->nodes[appn].x == x0);
    /* Closing with unsaved changes asks; Esc cancels, Discard quits. */
    assert_true(azb_edit_dirty(app->ed));
    SDL_Event quit = {0};
    memset(&quit, 0, sizeof(quit));
    quit.type = SDL_QUIT;
    send(app, &quit);
    assert_true(app->running);
    assert_int_equal(app->modal, WB_MODAL_CONFIRM_CLOSE);
    key(app, SDLK_ESCAPE, 0);
    assert_int_equal(app->modal, WB_MODAL_NONE);
    send(app, &quit);
    wb_rect discard = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int i = 0; i < app->nhits; i++) {
        if (app->hits[i].kind == WB_HIT_CHOICE && strcmp(app->hits[i].value, "\001discard") == 0) {
            discard = app->hits[i].r;
        }
    }
    assert_true(discard.w > 0.0f);
    shot(app, "confirm-close");
    click(app, discard.x + 5.0f, discard.y + 5.0f);
    assert_false(app->running);
    wb_app_destroy(app);
}

/* Region entry: a region box with three zone lanes, undone as one step. */
static void test_region_drop(void **state)
{
    (void)state;
    wb_app *app = make_app(1400, 900);
    wb_app_new(app);
    frame(app);
    wb_rect entry = {0};
    assert_true(wb_palette_entry_rect(app, "region", &entry));
    wb_rect c = app->lay.canvas;
    drag(app, entry.x + 10.0f, entry.y + 10.0f, c.x + c.w * 0.5f, c.y + c.h * 0.5f);
    const azb_design *d = wb_design(app);
    assert_int_equal(d->ngroups, 4);
    shot(app, "region-drop");
    assert_true(find_group(d, "region", 0) >= 0);
    assert_true(find_group(d, "zone", 3) >= 0);
    key(app, SDLK_z, KMOD_LCTRL);
    assert_int_equal(wb_design(app)->ngroups, 0);
    /* Pan and zoom do not edit. */
    unsigned long rev = azb_edit_revision(app->ed);
    wb_canvas_zoom_at(app, c.x + 100.0f, c.y + 100.0f, 2.0);
    key(app, SDLK_0, KMOD_LCTRL);
    assert_int_equal(azb_edit_revision(app->ed), rev);
    wb_app_destroy(app);
}

static uint32_t pixel(SDL_Surface *s, int x, int y)
{
    const uint8_t *row = (const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch;
    uint32_t v = 0;
    memcpy(&v, row + (size_t)x * 4, 4);
    return v & 0xffffffu;
}

static bool read_png(const char *path, png_image *img, uint8_t **buf)
{
    memset(img, 0, sizeof(*img));
    img->version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(img, path)) {
        return false;
    }
    img->format = PNG_FORMAT_RGB;
    *buf = malloc(PNG_IMAGE_SIZE(*img));
    return *buf != NULL && png_image_finish_read(img, NULL, *buf, 0, NULL) != 0;
}

/* The rendered PNG: the saturated web node is painted hot, the results
 * strip has text in it. */
static void test_render_pixels(void **state)
{
    (void)state;
    wb_app *app = make_app(1600, 1000);
    assert_true(wb_app_open(app, AZB_SOURCE_DATA "/scenarios/url-shortener/starter.json"));
    frame(app);
    const azb_design *d = wb_design(app);
    int web = azb_design_find_node(d, "web");
    assert_true(web >= 0);
    assert_true(app->result->nodes[web].saturated);
    float px = 0.0f, py = 0.0f;
    wb_canvas_to_screen(app, d->nodes[web].x + 5.0, d->nodes[web].y + 50.0, &px, &py);
    assert_int_equal(pixel(app->surface, (int)px, (int)py), WB_C_HOT_SOFT);

    char png[512] = "";
    path_in_tmp(png, sizeof(png), "starter.png");
    char why[256] = "";
    assert_true(wb_png_write(png, app->surface, why, sizeof(why)));
    png_image img = {0};
    uint8_t *buf = NULL;
    assert_true(read_png(png, &img, &buf));
    assert_int_equal(img.width, 1600);
    assert_int_equal(img.height, 1000);
    const uint8_t *p = buf + ((size_t)py * img.width + (size_t)px) * 3;
    assert_int_equal((p[0] << 16) | (p[1] << 8) | p[2], WB_C_HOT_SOFT);
    /* The results strip's first tiles: dark text pixels on white. */
    wb_rect rs = app->lay.results;
    int dark = 0;
    for (int y = (int)rs.y + 8; y < (int)(rs.y + rs.h) - 8; y++) {
        for (int x = (int)rs.x + 10; x < (int)rs.x + 600; x++) {
            const uint8_t *q = buf + ((size_t)y * img.width + (size_t)x) * 3;
            if (q[0] < 120 && q[1] < 120 && q[2] < 120) {
                dark++;
            }
        }
    }
    assert_true(dark > 500);
    free(buf);
    wb_app_destroy(app);
}

/* Frames allocate no glyphs once warm, and every shipped design draws. */
static void test_every_design_draws(void **state)
{
    (void)state;
    static const char *const files[] = {
        "url-shortener/starter.json",     "url-shortener/reference.json",
        "global-checkout/starter.json",   "global-checkout/reference.json",
        "data-archival/starter.json",     "data-archival/reference.json",
        "telemetry-anomaly/starter.json", "telemetry-anomaly/reference.json",
        "rag-assistant/starter.json",     "rag-assistant/reference.json",
    };
    wb_app *app = make_app(1280, 800);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char path[1024] = "";
        snprintf(path, sizeof(path), "%s/scenarios/%s", AZB_SOURCE_DATA, files[i]);
        if (!wb_app_open(app, path)) {
            fail_msg("%s: %s", files[i], app->status);
        }
        frame(app);
        assert_true(app->model_ok);
        unsigned long g = app->text.rasterised;
        frame(app);
        assert_int_equal(app->text.rasterised, g);
        assert_true(app->arena_used < WB_ARENA_SIZE / 2);
    }
    /* Help and the cost breakdown draw too. */
    key(app, SDLK_F1, 0);
    assert_int_equal(app->modal, WB_MODAL_HELP);
    shot(app, "help");
    key(app, SDLK_ESCAPE, 0);
    assert_int_equal(app->modal, WB_MODAL_NONE);
    app->modal = WB_MODAL_COST;
    frame(app);
    shot(app, "cost");
    app->modal = WB_MODAL_OPEN;
    frame(app);
    shot(app, "open");
    app->modal = WB_MODAL_NONE;
    wb_app_destroy(app);
}

/* Negative cases: no such file, a bad save path, nonsense numbers. */
/* The inspector's hit for a field (index -1: the design's own fields). */
static const wb_hit *find_hit(const wb_app *app, wb_hit_kind kind, int index, const char *name,
                              const char *value)
{
    for (int i = 0; i < app->nhits; i++) {
        const wb_hit *h = &app->hits[i];
        if (h->kind == kind && h->index == index && h->name != NULL &&
            strcmp(h->name, name) == 0 &&
            (value == NULL || (h->value != NULL && strcmp(h->value, value) == 0))) {
            return h;
        }
    }
    return NULL;
}

/* As a keyboard does: the key goes down, then its text arrives. */
static void type_text(wb_app *app, const char *text)
{
    SDL_Event ev = {0};
    memset(&ev, 0, sizeof(ev));
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = (SDL_Keycode)(unsigned char)text[0];
    send(app, &ev);
    memset(&ev, 0, sizeof(ev));
    ev.type = SDL_TEXTINPUT;
    snprintf(ev.text.text, sizeof(ev.text.text), "%s", text);
    send(app, &ev);
}

static void click_hit(wb_app *app, const wb_hit *h)
{
    if (h == NULL) {
        fail_msg("the inspector drew no such field or choice");
        return;
    }
    wb_rect r = h->r;
    click(app, r.x + r.w * 0.5f, r.y + r.h * 0.5f);
}

/* A design built from scratch: no load until the Design panel gets a rate,
 * no path until the clients call something; the rate, entry and prompt set
 * in the inspector are undoable and saved. */
static void test_design_panel(void **state)
{
    (void)state;
    wb_app *app = make_app(1280, 800);
    wb_app_new(app);
    frame(app);
    wb_rect c = app->lay.canvas;
    assert_true(wb_canvas_drop(app, "clients", c.x + 150.0f, c.y + 120.0f) >= 0);
    assert_true(wb_canvas_drop(app, "app_service", c.x + 450.0f, c.y + 120.0f) >= 0);
    wb_sel_clear(app);
    frame(app);
    const char *head = wb_results_headline(app);
    if (head == NULL || strcmp(head, "No load") != 0) {
        fail_msg("no workload: expected \"No load\", got \"%s\"", head ? head : "(figures)");
    }
    /* Nothing selected: the rate in the Design panel. */
    click_hit(app, find_hit(app, WB_HIT_FIELD, -1, "workload.rps", NULL));
    type_text(app, "250");
    key(app, SDLK_RETURN, 0);
    const azb_design *d = wb_design(app);
    assert_true(d->workload.present);
    assert_true(d->workload.rps == 250.0);
    head = wb_results_headline(app);
    if (head == NULL || strcmp(head, "No path from the clients") != 0) {
        fail_msg("unconnected: expected \"No path from the clients\", got \"%s\"",
                 head ? head : "(figures)");
    }
    assert_true(azb_edit_connect(app->ed, 0, 1) >= 0);
    wb_app_edited(app);
    frame(app);
    assert_null(wb_results_headline(app));
    assert_true(app->result->offered_rps == 250.0);
    /* The entry and the prompt from their choice lists. */
    wb_sel_clear(app);
    frame(app);
    click_hit(app, find_hit(app, WB_HIT_FIELD, -1, "workload.entry", NULL));
    click_hit(app, find_hit(app, WB_HIT_CHOICE, -1, "workload.entry", "clients-1"));
    assert_string_equal(wb_design(app)->workload.entry, "clients-1");
    assert_non_null(app->prompts);
    const char *pid = app->prompts->items[0].id;
    click_hit(app, find_hit(app, WB_HIT_FIELD, -1, "prompt", NULL));
    click_hit(app, find_hit(app, WB_HIT_CHOICE, -1, "prompt", pid));
    assert_string_equal(wb_design(app)->prompt, pid);
    /* A name, Ctrl+A replacing what the field holds. */
    click_hit(app, find_hit(app, WB_HIT_FIELD, -1, "name", NULL));
    key(app, SDLK_a, KMOD_LCTRL);
    type_text(app, "Shop");
    key(app, SDLK_RETURN, 0);
    assert_string_equal(wb_design(app)->name, "Shop");
    /* Undoable, one step each. */
    key(app, SDLK_z, KMOD_LCTRL);
    assert_string_equal(wb_design(app)->name, "Untitled");
    key(app, SDLK_y, KMOD_LCTRL);
    assert_string_equal(wb_design(app)->name, "Shop");
    if (strncmp(app->status, "Redid: ", 7) != 0) {
        fail_msg("status: expected \"Redid: ...\", got \"%s\"", app->status);
    }
    shot(app, "design_panel");
    char path[512] = "";
    path_in_tmp(path, sizeof(path), "scratch.json");
    assert_true(wb_app_save(app, path));
    assert_true(wb_app_open(app, path));
    d = wb_design(app);
    assert_string_equal(d->name, "Shop");
    assert_true(d->workload.rps == 250.0);
    assert_string_equal(d->workload.entry, "clients-1");
    assert_string_equal(d->prompt, pid);
    /* The status line counts what went. */
    wb_sel_set(app, 1, true);
    key(app, SDLK_DELETE, 0);
    if (strcmp(app->status, "Deleted 1 component and 1 connection") != 0) {
        fail_msg("status: expected \"Deleted 1 component and 1 connection\", got \"%s\"", app->status);
    }
    wb_app_destroy(app);
}

/* Availability is truncated, never rounded up onto a target it misses;
 * engine paths stay out of the inspector's reasons. */
static void test_figures_and_reasons(void **state)
{
    (void)state;
    static const struct {
        double sla;
        const char *want;
    } cases[] = {
        {0.999899956, "99.9899%"}, {0.9999, "99.9900%"}, {0.99995, "99.9950%"},
        {0.98009999999999997, "98.010%"}, {0.9989999, "99.899%"}, {1.0, "100.0000%"},
    };
    char buf[32] = "";
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        wb_results_percent(buf, sizeof(buf), cases[i].sla);
        if (strcmp(buf, cases[i].want) != 0) {
            fail_msg("availability %.12g: expected %s, got %s", cases[i].sla, cases[i].want, buf);
        }
    }
    assert_string_equal(wb_results_target_percent(buf, sizeof(buf), 0.9999), "99.99%");
    assert_string_equal(wb_results_target_percent(buf, sizeof(buf), 0.99995), "99.995%");
    assert_string_equal(wb_results_target_percent(buf, sizeof(buf), 0.999), "99.90%");

    wb_app *app = make_app(1280, 800);
    wb_app_new(app);
    frame(app);
    wb_rect c = app->lay.canvas;
    assert_true(wb_canvas_drop(app, "region", c.x + 100.0f, c.y + 100.0f) >= 0 ||
                wb_design(app)->ngroups > 0);
    int z = find_group(wb_design(app), "zone", 1);
    assert_true(z >= 0);
    assert_false(wb_inspector_apply(app, AZB_TARGET_GROUP, z, "zone", "7"));
    assert_true(app->field_error[0] != '\0');
    if (strstr(app->field_error, "groups[") != NULL) {
        fail_msg("reason keeps the JSON path: %s", app->field_error);
    }
    /* The palette filter: Ctrl+A selects its text, New clears it. */
    wb_rect p = app->lay.palette;
    click(app, p.x + p.w * 0.5f, p.y + 20.0f);
    type_text(app, "redis");
    key(app, SDLK_a, KMOD_LCTRL);
    type_text(app, "sql");
    assert_string_equal(app->filter, "sql");
    key(app, SDLK_RETURN, 0);
    wb_app_new(app);
    assert_string_equal(app->filter, "");
    /* Leaving the canvas for the inspector drops the hover card. */
    app->hover_node = 0;
    mouse_move(app, app->lay.inspector.x + 20.0f, app->lay.inspector.y + 200.0f);
    assert_int_equal(app->hover_node, -1);
    wb_app_destroy(app);
}

static void test_bad_input(void **state)
{
    (void)state;
    wb_app *app = make_app(1000, 700);
    assert_false(wb_app_open(app, "/no/such/design.json"));
    assert_true(app->status_error);
    assert_false(wb_app_save(app, "/no/such/dir/x.json"));
    assert_false(wb_app_save(app, NULL));
    char buf[32] = "";
    assert_string_equal(wb_num(buf, sizeof(buf), 10200.0), "10,200");
    assert_string_equal(wb_ms(buf, sizeof(buf), AZB_MODEL_MAX_MS, false), "unbounded");
    assert_string_equal(wb_rate(buf, sizeof(buf), 12400.0), "12.4k/s");
    wb_app_destroy(app);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = calloc(1, 1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    return buf;
}

/* Ctrl+S on a shipped design opens Save As with a copy's path outside the
 * data dir and says why; the shipped file is not written. */
static void test_shipped_is_a_template(void **state)
{
    (void)state;
    wb_app *app = make_app(1400, 900);
    char shipped[1024] = "";
    snprintf(shipped, sizeof(shipped), "%s/scenarios/url-shortener/starter.json", AZB_SOURCE_DATA);
    size_t len0 = 0;
    char *before = slurp(shipped, &len0);
    assert_true(wb_app_open(app, shipped));
    assert_true(wb_app_is_shipped(app, shipped));
    char mine[512] = "";
    path_in_tmp(mine, sizeof(mine), "mine.json");
    assert_false(wb_app_is_shipped(app, mine));
    key(app, SDLK_RIGHT, 0); /* nothing selected: no edit */
    key(app, SDLK_s, KMOD_LCTRL);
    size_t len1 = 0;
    char *after = slurp(shipped, &len1);
    bool same = len0 == len1 && memcmp(before, after, len0) == 0;
    if (!same) {
        FILE *f = fopen(shipped, "wb"); /* put it back before failing */
        if (f != NULL) {
            fwrite(before, 1, len0, f);
            fclose(f);
        }
    }
    free(after);
    free(before);
    assert_true(same);
    assert_int_equal(app->modal, WB_MODAL_SAVE_AS);
    assert_false(wb_app_is_shipped(app, app->open_path));
    assert_non_null(strstr(app->open_path, "url-shortener-starter.json"));
    assert_non_null(strstr(app->status, "template"));
    /* Saving the copy where the person chose is an ordinary save. */
    app->modal = WB_MODAL_NONE;
    assert_true(wb_app_save(app, mine));
    assert_string_equal(app->path, mine);
    key(app, SDLK_s, KMOD_LCTRL);
    assert_int_equal(app->modal, WB_MODAL_NONE);
    wb_app_destroy(app);
}

/* F5 fits the design to the larger canvas and hides the editing buttons;
 * nothing edits; F5 again brings back the view from before. */
static void test_present_fits(void **state)
{
    (void)state;
    wb_app *app = make_app(1400, 900);
    char path[1024] = "";
    snprintf(path, sizeof(path), "%s/scenarios/url-shortener/reference.json", AZB_SOURCE_DATA);
    assert_true(wb_app_open(app, path));
    frame(app);
    wb_rect c = app->lay.canvas;
    wb_canvas_zoom_at(app, c.x + 50.0f, c.y + 50.0f, 3.0);
    wb_view before = app->view;
    key(app, SDLK_F5, 0);
    assert_true(app->present);
    const azb_design *d = wb_design(app);
    c = app->lay.canvas;
    for (int i = 0; i < d->nnodes; i++) {
        float x = 0.0f, y = 0.0f;
        wb_canvas_to_screen(app, d->nodes[i].x, d->nodes[i].y, &x, &y);
        float z = (float)app->view.zoom;
        if (x < c.x || y < c.y || x + (float)WB_NODE_W * z > c.x + c.w ||
            y + (float)WB_NODE_H * z > c.y + c.h) {
            fail_msg("present: node %s at (%.0f, %.0f) is outside the canvas", d->nodes[i].id,
                     (double)x, (double)y);
        }
    }
    shot(app, "present");
    unsigned long rev = azb_edit_revision(app->ed);
    key(app, SDLK_a, KMOD_LCTRL);
    key(app, SDLK_DELETE, 0);
    assert_int_equal(azb_edit_revision(app->ed), rev);
    key(app, SDLK_F5, 0);
    assert_false(app->present);
    assert_true(app->view.zoom == before.zoom && app->view.ox == before.ox &&
                app->view.oy == before.oy);
    wb_app_destroy(app);
}

/* A region dropped at the canvas's bottom-right corner keeps its title on
 * screen; a connection dropped on empty canvas says what to do. */
static void test_drop_and_connect_feedback(void **state)
{
    (void)state;
    wb_app *app = make_app(1400, 900);
    char path[1024] = "";
    snprintf(path, sizeof(path), "%s/scenarios/url-shortener/starter.json", AZB_SOURCE_DATA);
    assert_true(wb_app_open(app, path));
    frame(app);
    wb_rect c = app->lay.canvas;
    int g = wb_canvas_drop(app, "region", c.x + c.w - 5.0f, c.y + c.h - 5.0f);
    assert_true(g >= 0);
    const azb_group *gr = &wb_design(app)->groups[g];
    float x = 0.0f, y = 0.0f;
    wb_canvas_to_screen(app, gr->x, gr->y, &x, &y);
    float title_h = 30.0f * (float)app->view.zoom;
    if (x < c.x || y < c.y || x + 150.0f > c.x + c.w || y + title_h > c.y + c.h) {
        fail_msg("region title at (%.0f, %.0f) is not inside the canvas (%.0f, %.0f, %.0f, %.0f)",
                 (double)x, (double)y, (double)c.x, (double)c.y, (double)c.w, (double)c.h);
    }
    key(app, SDLK_z, KMOD_LCTRL);
    int web = azb_design_find_node(wb_design(app), "web");
    assert_true(web >= 0);
    float cx = 0.0f, cy = 0.0f;
    node_center(app, web, &cx, &cy);
    mouse_move(app, cx, cy);
    float hx = cx + (float)WB_NODE_W * 0.5f * (float)app->view.zoom;
    int edges = wb_design(app)->nedges;
    drag(app, hx, cy, hx, c.y + c.h - 10.0f);
    assert_int_equal(wb_design(app)->nedges, edges);
    if (strstr(app->status, "drop on a component to connect") == NULL) {
        fail_msg("status: %s", app->status);
    }
    wb_app_destroy(app);
}

int main(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/azb-ui-test-XXXXXX");
    if (mkdtemp(tmpdir) == NULL) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edit_flow),      cmocka_unit_test(test_region_drop),
        cmocka_unit_test(test_select_and_clipboard),
        cmocka_unit_test(test_render_pixels),  cmocka_unit_test(test_every_design_draws),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_design_panel),   cmocka_unit_test(test_figures_and_reasons),
        cmocka_unit_test(test_shipped_is_a_template), cmocka_unit_test(test_present_fits),
        cmocka_unit_test(test_drop_and_connect_feedback),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[400] = "";
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", tmpdir);
    }
    return rc;
}
