/* Files: the in-app picker (the practice prompts' designs, recent files, a
 * path box), Save As, and the question before unsaved work is dropped.
 * Recent files live in $XDG_CONFIG_HOME/azboard/recent (or
 * ~/.config/azboard/recent), one path a line. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "wb.h"

#define BOX_PATH 2

static bool recent_file(char *buf, size_t size, bool make_dir)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char dir[AZB_PATH_MAX] = "";
    if (xdg != NULL && xdg[0] != '\0') {
        snprintf(dir, sizeof(dir), "%s/azboard", xdg);
    } else if (home != NULL && home[0] != '\0') {
        snprintf(dir, sizeof(dir), "%s/.config/azboard", home);
    } else {
        return false;
    }
    if (make_dir) {
        char parent[AZB_PATH_MAX] = "";
        snprintf(parent, sizeof(parent), "%s", dir);
        char *slash = strrchr(parent, '/');
        if (slash != NULL) {
            *slash = '\0';
            mkdir(parent, 0755);
        }
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
            return false;
        }
    }
    snprintf(buf, size, "%s/recent", dir);
    return true;
}

void wb_files_recent_load(wb_app *app)
{
    app->nrecent = 0;
    char path[AZB_PATH_MAX + 16] = "";
    if (app->headless || !recent_file(path, sizeof(path), false)) {
        return;
    }
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return;
    }
    char line[AZB_PATH_MAX + 2] = "";
    while (app->nrecent < WB_RECENT_MAX && fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] != '\0') {
            snprintf(app->recent[app->nrecent++], AZB_PATH_MAX, "%.511s", line);
        }
    }
    fclose(f);
}

void wb_files_recent_add(wb_app *app, const char *p)
{
    if (app->headless || p == NULL || p[0] == '\0') {
        return;
    }
    char abs[AZB_PATH_MAX] = "";
    char *real = realpath(p, NULL);
    snprintf(abs, sizeof(abs), "%s", real != NULL ? real : p);
    free(real);
    int at = app->nrecent < WB_RECENT_MAX ? app->nrecent : WB_RECENT_MAX - 1;
    for (int i = 0; i < app->nrecent; i++) {
        if (strcmp(app->recent[i], abs) == 0) {
            at = i;
            break;
        }
    }
    for (int i = at; i > 0; i--) {
        memcpy(app->recent[i], app->recent[i - 1], AZB_PATH_MAX);
    }
    snprintf(app->recent[0], AZB_PATH_MAX, "%s", abs);
    if (at == app->nrecent && app->nrecent < WB_RECENT_MAX) {
        app->nrecent++;
    }
    char path[AZB_PATH_MAX + 16] = "";
    if (!recent_file(path, sizeof(path), true)) {
        return;
    }
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        return;
    }
    for (int i = 0; i < app->nrecent; i++) {
        fprintf(f, "%s\n", app->recent[i]);
    }
    fclose(f);
}

static void add_choice(wb_app *app, wb_rect r, const char *value)
{
    if (app->nhits < WB_HITS_MAX) {
        app->hits[app->nhits++] = (wb_hit){r, WB_HIT_CHOICE, 0, "", value};
    }
}

static float choice_row(wb_app *app, float x, float y, float w, const char *title, const char *note,
                        const char *value)
{
    float rh = wb_px(app, 24.0f);
    wb_rect row = {x - wb_px(app, 6.0f), y, w + wb_px(app, 12.0f), rh};
    if (wb_rect_has(row, app->mx, app->my)) {
        wb_draw_round(app->renderer, row, wb_px(app, 4.0f), WB_RGB(WB_C_ACCENT_SOFT));
    }
    float fs = wb_px(app, 12.0f);
    float ty = y + (rh - wb_text_height(&app->text, WB_REGULAR, fs)) * 0.5f;
    float tw = wb_text_draw(&app->text, WB_REGULAR, fs, x + wb_px(app, 10.0f), ty,
                            WB_RGB(WB_C_TEXT), title, w * 0.5f);
    if (note != NULL) {
        wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 11.0f), x + wb_px(app, 22.0f) + tw, ty,
                     WB_RGB(WB_C_FAINT), note, w - tw - wb_px(app, 24.0f));
    }
    add_choice(app, row, value);
    return y + rh;
}

static void path_box(wb_app *app, wb_rect box, const char *placeholder)
{
    bool focus = true;
    wb_draw_round(app->renderer, box, wb_px(app, 5.0f), WB_RGB(WB_C_PANEL_ALT));
    wb_draw_round_frame(app->renderer, box, wb_px(app, 5.0f), focus ? 2.0f : 1.0f,
                        focus ? WB_RGB(WB_C_ACCENT) : WB_RGB(WB_C_BORDER));
    float fs = wb_px(app, 12.0f);
    float ty = box.y + (box.h - wb_text_height(&app->text, WB_REGULAR, fs)) * 0.5f;
    if (app->open_path[0] == '\0') {
        wb_text_draw(&app->text, WB_REGULAR, fs, box.x + wb_px(app, 8.0f), ty, WB_RGB(WB_C_FAINT),
                     placeholder, box.w - wb_px(app, 16.0f));
        return;
    }
    float w = wb_text_draw(&app->text, WB_REGULAR, fs, box.x + wb_px(app, 8.0f), ty,
                           WB_RGB(WB_C_TEXT), app->open_path, box.w - wb_px(app, 16.0f));
    if (focus) {
        wb_draw_fill(app->renderer, (wb_rect){box.x + wb_px(app, 8.0f) + w + 1.0f, ty, 1.0f,
                                              wb_text_height(&app->text, WB_REGULAR, fs)},
                     WB_RGB(WB_C_TEXT));
    }
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s != NULL ? s + 1 : p;
}

static void draw_open(wb_app *app)
{
    wb_rect a = wb_dialog(app, 720.0f, 620.0f,
                          app->modal == WB_MODAL_PROMPT ? "Practice prompts" : "Open a design");
    float x = a.x;
    float w = a.w;
    float y = a.y;
    float bottom = a.y + a.h - wb_px(app, 44.0f);
    for (int i = 0; app->prompts != NULL && i < app->prompts->count && y < bottom; i++) {
        const azb_prompt *q = &app->prompts->items[i];
        wb_text_draw(&app->text, WB_BOLD, wb_px(app, 12.5f), x, y + wb_px(app, 4.0f),
                     WB_RGB(WB_C_TEXT), q->title, w * 0.7f);
        wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 11.0f), x + w * 0.75f, y + wb_px(app, 5.0f),
                     WB_RGB(WB_C_FAINT), wb_fmt(app, "%s%s", q->level, i == app->prompts->default_index ? ", default" : ""),
                     w * 0.25f);
        y += wb_px(app, 24.0f);
        y = choice_row(app, x, y, w, base_name(q->starter), "the starter design", q->starter);
        for (int k = 0; k < q->ndesigns && y < bottom; k++) {
            y = choice_row(app, x, y, w, base_name(q->designs[k]), "a reference design", q->designs[k]);
        }
        y += wb_px(app, 6.0f);
    }
    if (app->modal == WB_MODAL_OPEN && app->nrecent > 0 && y < bottom) {
        wb_text_draw(&app->text, WB_BOLD, wb_px(app, 12.5f), x, y + wb_px(app, 4.0f),
                     WB_RGB(WB_C_TEXT), "Recent", 0.0f);
        y += wb_px(app, 24.0f);
        for (int i = 0; i < app->nrecent && y < bottom; i++) {
            y = choice_row(app, x, y, w, base_name(app->recent[i]), app->recent[i], app->recent[i]);
        }
    }
    wb_rect box = {x, a.y + a.h - wb_px(app, 32.0f), w - wb_px(app, 96.0f), wb_px(app, 30.0f)};
    path_box(app, box, "or type a path and press Enter");
    wb_rect ok = {x + w - wb_px(app, 88.0f), box.y, wb_px(app, 88.0f), box.h};
    wb_button(app, ok, "Open", true, true);
    add_choice(app, ok, "\001open");
}

static void draw_save_as(wb_app *app)
{
    wb_rect a = wb_dialog(app, 620.0f, 190.0f, "Save the design as");
    wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 12.0f), a.x, a.y, WB_RGB(WB_C_MUTED),
                 "A path to a .json file; the write is atomic (a failed save leaves the old file).", a.w);
    wb_rect box = {a.x, a.y + wb_px(app, 30.0f), a.w, wb_px(app, 30.0f)};
    path_box(app, box, "designs/my-design.json");
    wb_rect ok = {a.x + a.w - wb_px(app, 88.0f), a.y + a.h - wb_px(app, 30.0f), wb_px(app, 88.0f), wb_px(app, 30.0f)};
    wb_rect cancel = {ok.x - wb_px(app, 96.0f), ok.y, wb_px(app, 88.0f), ok.h};
    wb_button(app, ok, "Save", true, true);
    wb_button(app, cancel, "Cancel", true, false);
    add_choice(app, ok, "\001save");
    add_choice(app, cancel, "\001cancel");
}

static void draw_confirm(wb_app *app)
{
    wb_rect a = wb_dialog(app, 520.0f, 170.0f, "Unsaved changes");
    wb_text_wrap(&app->text, WB_REGULAR, wb_px(app, 12.5f), a.x, a.y, a.w, WB_RGB(WB_C_TEXT),
                 app->modal == WB_MODAL_CONFIRM_CLOSE
                     ? "The design has changes that are not saved. Save them before closing?"
                     : "The design has changes that are not saved. Save them before starting a new one?",
                 3);
    float bh = wb_px(app, 30.0f);
    float bw = wb_px(app, 100.0f);
    float y = a.y + a.h - bh;
    wb_rect save = {a.x + a.w - bw, y, bw, bh};
    wb_rect discard = {save.x - bw - wb_px(app, 8.0f), y, bw, bh};
    wb_rect cancel = {discard.x - bw - wb_px(app, 8.0f), y, bw, bh};
    wb_button(app, save, "Save", true, true);
    wb_button(app, discard, "Discard", true, false);
    wb_button(app, cancel, "Cancel", true, false);
    add_choice(app, save, "\001save");
    add_choice(app, discard, "\001discard");
    add_choice(app, cancel, "\001cancel");
}

void wb_files_draw(wb_app *app)
{
    switch (app->modal) {
    case WB_MODAL_OPEN:
    case WB_MODAL_PROMPT:
        draw_open(app);
        break;
    case WB_MODAL_SAVE_AS:
        draw_save_as(app);
        break;
    case WB_MODAL_CONFIRM_CLOSE:
    case WB_MODAL_CONFIRM_NEW:
        draw_confirm(app);
        break;
    default:
        break;
    }
}

static void close_modal(wb_app *app)
{
    app->modal = WB_MODAL_NONE;
    if (app->box.owner == BOX_PATH) {
        app->box.owner = 0;
        /* text input stays on: the path box and fields take typing at once */
    }
}

static void finish_confirm(wb_app *app)
{
    if (app->modal == WB_MODAL_CONFIRM_CLOSE) {
        app->running = false;
    } else {
        wb_app_new(app);
    }
    close_modal(app);
}

static void choose(wb_app *app, const char *v)
{
    if (strcmp(v, "\001cancel") == 0) {
        close_modal(app);
        app->quit_after_save = false;
    } else if (strcmp(v, "\001discard") == 0) {
        finish_confirm(app);
    } else if (strcmp(v, "\001save") == 0) {
        if (app->modal == WB_MODAL_SAVE_AS) {
            if (app->open_path[0] != '\0' && wb_app_save(app, app->open_path)) {
                close_modal(app);
                if (app->quit_after_save) {
                    app->running = false;
                }
            }
        } else if (app->path[0] == '\0' || wb_app_is_shipped(app, app->path)) {
            app->quit_after_save = app->modal == WB_MODAL_CONFIRM_CLOSE;
            wb_app_save_command(app); /* Save As, with why */
        } else if (wb_app_save(app, app->path)) {
            finish_confirm(app);
        }
    } else if (strcmp(v, "\001open") == 0) {
        if (app->open_path[0] != '\0' && wb_app_open(app, app->open_path)) {
            close_modal(app);
        }
    } else {
        char keep[AZB_PATH_MAX] = "";
        snprintf(keep, sizeof(keep), "%s", v);
        if (azb_edit_dirty(app->ed)) {
            /* Opening replaces the design: keep the work by saving first. */
            wb_app_status(app, true, "Save or undo your changes first (Ctrl+S), then open %s",
                          base_name(keep));
            close_modal(app);
            return;
        }
        close_modal(app);
        wb_app_open(app, keep);
    }
}

bool wb_files_event(wb_app *app, const SDL_Event *ev)
{
    bool path_modal = app->modal == WB_MODAL_OPEN || app->modal == WB_MODAL_PROMPT ||
                      app->modal == WB_MODAL_SAVE_AS;
    if (ev->type == SDL_TEXTINPUT && path_modal) {
        size_t len = strlen(app->open_path);
        snprintf(app->open_path + len, sizeof(app->open_path) - len, "%s", ev->text.text);
        return true;
    }
    if (ev->type == SDL_KEYDOWN) {
        SDL_Keycode k = ev->key.keysym.sym;
        if (k == SDLK_ESCAPE) {
            close_modal(app);
            app->quit_after_save = false;
        } else if (k == SDLK_BACKSPACE && path_modal) {
            size_t len = strlen(app->open_path);
            if (len > 0) {
                app->open_path[len - 1] = '\0';
            }
        } else if (k == SDLK_RETURN || k == SDLK_KP_ENTER) {
            if (app->modal == WB_MODAL_SAVE_AS) {
                choose(app, "\001save");
            } else if (app->modal == WB_MODAL_OPEN || app->modal == WB_MODAL_PROMPT) {
                choose(app, "\001open");
            }
        }
        return true;
    }
    if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT) {
        for (int i = 0; i < app->nhits; i++) {
            const wb_hit *h = &app->hits[i];
            if (h->kind == WB_HIT_CHOICE && wb_rect_has(h->r, app->mx, app->my)) {
                choose(app, h->value);
                return true;
            }
        }
        if (app->modal == WB_MODAL_OPEN || app->modal == WB_MODAL_PROMPT || app->modal == WB_MODAL_SAVE_AS) {
            /* A click anywhere else in the dialog focuses the path box. */
            app->box.owner = BOX_PATH;
            SDL_StartTextInput();
        }
        return true;
    }
    return true;
}
