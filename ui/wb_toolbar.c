/* The toolbar: files, the practice prompt and the load scenario, undo and
 * redo, Run drill (wb_drill.h), Present. */
#include <dirent.h>
#include <string.h>

#include "wb.h"
#include "wb_drill.h"

typedef enum tool {
    T_NEW,
    T_OPEN,
    T_SAVE,
    T_PROMPT,
    T_SCENARIO,
    T_UNDO,
    T_REDO,
    T_DRILL,
    T_PRESENT,
    T_HELP,
    T_COUNT
} tool;

static const char *tool_label(wb_app *app, tool t)
{
    const azb_design *d = wb_design(app);
    switch (t) {
    case T_NEW:
        return "New";
    case T_OPEN:
        return "Open";
    case T_SAVE:
        return azb_edit_dirty(app->ed) ? "Save *" : "Save";
    case T_PROMPT:
        return d->has_prompt ? wb_fmt(app, "Prompt: %s \xe2\x96\xbe", d->prompt)
                             : "Prompt \xe2\x96\xbe";
    case T_SCENARIO: {
        const char *slash = strrchr(app->scenario, '/');
        return app->scenario[0] != '\0' ? wb_fmt(app, "Scenario: %s", slash ? slash + 1 : app->scenario)
                                        : "Scenario: steady";
    }
    case T_UNDO:
        return "Undo";
    case T_REDO:
        return "Redo";
    case T_DRILL:
        return "Run drill";
    case T_PRESENT:
        return app->present ? "Edit" : "Present";
    case T_HELP:
        return "?";
    case T_COUNT:
        break;
    }
    return "";
}

static wb_rect tool_rect(wb_app *app, tool t)
{
    wb_rect a = app->lay.toolbar;
    float h = wb_px(app, 28.0f);
    float y = a.y + (a.h - h) * 0.5f;
    float fs = wb_px(app, 12.0f);
    float x = a.x + wb_px(app, 112.0f);
    float gap = wb_px(app, 6.0f);
    for (int i = 0; i < T_COUNT; i++) {
        if (app->present && i != T_SCENARIO && i != T_DRILL && i != T_PRESENT && i != T_HELP) {
            continue; /* Present mode: no editing buttons */
        }
        float w = wb_text_width(&app->text, WB_REGULAR, fs, tool_label(app, (tool)i)) + wb_px(app, 24.0f);
        if (i == T_PROMPT || i == T_UNDO || i == T_DRILL) {
            x += wb_px(app, 14.0f);
        }
        if (i == T_HELP) {
            x = a.x + a.w - w - wb_px(app, 12.0f);
        }
        if (i == (int)t) {
            return (wb_rect){x, y, w, h};
        }
        x += w + gap;
    }
    return (wb_rect){0.0f, 0.0f, 0.0f, 0.0f};
}

static bool enabled(wb_app *app, tool t)
{
    switch (t) {
    case T_UNDO:
        return azb_edit_can_undo(app->ed);
    case T_REDO:
        return azb_edit_can_redo(app->ed);
    case T_DRILL:
        return !wb_drill_running(app);
    default:
        return true;
    }
}

static const char *tool_tip(tool t)
{
    switch (t) {
    case T_NEW:
        return "a new empty design (Ctrl+N)";
    case T_OPEN:
        return "open a practice prompt's design or a file (Ctrl+O)";
    case T_SAVE:
        return "save (Ctrl+S); Save As: Ctrl+Shift+S";
    case T_PROMPT:
        return "pick a practice prompt and open one of its designs";
    case T_SCENARIO:
        return "the load and failure scenario a drill runs (click to cycle)";
    case T_UNDO:
        return "undo (Ctrl+Z)";
    case T_REDO:
        return "redo (Ctrl+Shift+Z or Ctrl+Y)";
    case T_DRILL:
        return "run the scenario on the event simulator: charts over time, then replay it on the canvas";
    case T_PRESENT:
        return "present: the canvas and the results only (F5)";
    case T_HELP:
        return "every shortcut (F1)";
    case T_COUNT:
        break;
    }
    return "";
}

void wb_toolbar_draw(wb_app *app)
{
    SDL_Renderer *r = app->renderer;
    wb_rect a = app->lay.toolbar;
    wb_draw_fill(r, a, WB_RGB(WB_C_PANEL));
    wb_draw_fill(r, (wb_rect){a.x, a.y + a.h - 1.0f, a.w, 1.0f}, WB_RGB(WB_C_BORDER));
    /* Wordmark: a small board glyph and the name. */
    float s = wb_px(app, 18.0f);
    float gy = a.y + (a.h - s) * 0.5f;
    wb_draw_round(r, (wb_rect){a.x + wb_px(app, 14.0f), gy, s, s}, wb_px(app, 4.0f), WB_RGB(WB_C_ACCENT));
    wb_draw_fill(r, (wb_rect){a.x + wb_px(app, 18.0f), gy + s * 0.3f, s * 0.55f, s * 0.12f}, WB_RGB(0xffffff));
    wb_draw_fill(r, (wb_rect){a.x + wb_px(app, 18.0f), gy + s * 0.58f, s * 0.35f, s * 0.12f}, WB_RGB(0xffffff));
    float fs = wb_px(app, 14.0f);
    wb_text_draw(&app->text, WB_BOLD, fs, a.x + wb_px(app, 40.0f),
                 a.y + (a.h - wb_text_height(&app->text, WB_BOLD, fs)) * 0.5f, WB_RGB(WB_C_TEXT),
                 "azboard", 0.0f);
    for (int i = 0; i < T_COUNT; i++) {
        wb_rect b = tool_rect(app, (tool)i);
        if (b.w <= 0.0f) {
            continue;
        }
        bool hot = wb_button(app, b, tool_label(app, (tool)i), enabled(app, (tool)i), i == T_PRESENT && app->present);
        if (wb_rect_has(b, app->mx, app->my) && app->drag == WB_DRAG_NONE && app->modal == WB_MODAL_NONE) {
            (void)hot;
            snprintf(app->tooltip, sizeof(app->tooltip), "%s", tool_tip((tool)i));
        }
    }
    /* File name and the unsaved mark, centred in what is left. */
    const char *slash = strrchr(app->path, '/');
    const char *base = app->path[0] ? (slash ? slash + 1 : app->path) : "Untitled";
    const char *t = wb_fmt(app, "%s%s", base, azb_edit_dirty(app->ed) ? "  \xe2\x80\xa2 unsaved" : "");
    float tf = wb_px(app, 12.0f);
    float tw = wb_text_width(&app->text, WB_REGULAR, tf, t);
    wb_rect last = tool_rect(app, T_PRESENT);
    wb_rect help = tool_rect(app, T_HELP);
    float room = help.x - (last.x + last.w) - wb_px(app, 24.0f);
    if (room > wb_px(app, 60.0f)) {
        float x = last.x + last.w + wb_px(app, 12.0f) + fmaxf(0.0f, (room - tw) * 0.5f);
        wb_text_draw(&app->text, WB_REGULAR, tf, x, a.y + (a.h - wb_text_height(&app->text, WB_REGULAR, tf)) * 0.5f,
                     WB_RGB(WB_C_MUTED), t, room);
    }
}

/* Steady, then the scenario files that fit the design (wb_drill.c). */
static void cycle_scenario(wb_app *app)
{
    wb_drill_cycle_scenario(app);
}

bool wb_toolbar_event(wb_app *app, const SDL_Event *ev)
{
    if (ev->type == SDL_MOUSEMOTION) {
        /* The pointer left the canvas: nothing there is hovered any more. */
        app->hover_node = -1;
        app->hover_edge = -1;
        return true;
    }
    if (ev->type != SDL_MOUSEBUTTONDOWN || ev->button.button != SDL_BUTTON_LEFT) {
        return false;
    }
    for (int i = 0; i < T_COUNT; i++) {
        if (!wb_rect_has(tool_rect(app, (tool)i), app->mx, app->my) || !enabled(app, (tool)i)) {
            continue;
        }
        SDL_Event k = {0};
        memset(&k, 0, sizeof(k));
        k.type = SDL_KEYDOWN;
        switch ((tool)i) {
        case T_NEW:
            if (azb_edit_dirty(app->ed)) {
                app->modal = WB_MODAL_CONFIRM_NEW;
            } else {
                wb_app_new(app);
            }
            break;
        case T_OPEN:
            app->modal = WB_MODAL_OPEN;
            app->open_path[0] = '\0';
            break;
        case T_SAVE:
            wb_app_save_command(app);
            break;
        case T_PROMPT:
            app->modal = WB_MODAL_PROMPT;
            break;
        case T_SCENARIO:
            cycle_scenario(app);
            break;
        case T_UNDO:
        case T_REDO:
            k.key.keysym.sym = i == T_UNDO ? SDLK_z : SDLK_y;
            k.key.keysym.mod = KMOD_LCTRL;
            wb_app_event(app, &k);
            break;
        case T_DRILL:
            wb_drill_run(app);
            break;
        case T_PRESENT:
            wb_app_set_present(app, !app->present);
            break;
        case T_HELP:
            app->modal = WB_MODAL_HELP;
            break;
        case T_COUNT:
            break;
        }
        return true;
    }
    return false;
}
