/* F1 / ?: every shortcut on one sheet. The same list is in README.md under
 * "Whiteboard"; keep them together. */
#include <string.h>

#include "wb.h"

const char *const wb_help_shortcuts[] = {
    "Drag from the palette\tadd a component (into a zone lane or region box: placed there)",
    "Drag from a card's right handle\tconnect two components",
    "Click, Shift+click, drag on empty canvas\tselect, add to the selection, rubber band",
    "Drag a card or a region's title\tmove (snaps to a 10-unit grid)",
    "Arrow keys, Shift+arrows\tnudge the selection by 1 or 20 units",
    "Delete or Backspace\tdelete the selection",
    "Ctrl+C, Ctrl+V, Ctrl+D\tcopy, paste, duplicate",
    "Ctrl+Z; Ctrl+Shift+Z or Ctrl+Y\tundo; redo",
    "Space+drag, middle drag, two-finger scroll\tpan",
    "Wheel, Ctrl+wheel, Ctrl+= and Ctrl+-\tzoom around the pointer",
    "Ctrl+0\tfit the whole design",
    "Ctrl+A, Esc\tselect all, clear the selection",
    "Ctrl+N, Ctrl+O, Ctrl+S, Ctrl+Shift+S\tnew, open, save, save as",
    "Load slider (bottom right)\tsweep the offered load; double-click: the workload's rate",
    "Click the monthly cost\tthe cost by node and price item",
    "Run drill (toolbar)\trun the chosen scenario in the event simulator; Cancel stops it",
    "P, [ and ], Home and End, Esc\tdrill: play or pause, step a second (Shift: ten), ends, close",
    "F5 (or Present); F5 or Esc to leave\tpresent: the design fitted, with its results; editing off",
    "F1 or ?\tthis sheet",
    "Ctrl+Q\tquit (asks when there are unsaved changes)",
    NULL,
};

void wb_help_draw(wb_app *app)
{
    int n = 0;
    while (wb_help_shortcuts[n] != NULL) {
        n++;
    }
    /* Tall enough for every row and the closing line, whatever the list holds. */
    wb_rect a = wb_dialog(app, 760.0f, 110.0f + 25.0f * (float)n, "Shortcuts");
    float fs = wb_px(app, 12.5f);
    float lh = wb_px(app, 25.0f);
    float y = a.y;
    for (int i = 0; wb_help_shortcuts[i] != NULL; i++) {
        const char *s = wb_help_shortcuts[i];
        const char *tab = strchr(s, '\t');
        char keys[128] = "";
        snprintf(keys, sizeof(keys), "%.*s", tab != NULL ? (int)(tab - s) : (int)strlen(s), s);
        wb_text_draw(&app->text, WB_BOLD, fs, a.x, y, WB_RGB(WB_C_TEXT), keys, a.w * 0.44f);
        if (tab != NULL) {
            wb_text_draw(&app->text, WB_REGULAR, fs, a.x + a.w * 0.46f, y, WB_RGB(0x3c4350), tab + 1,
                         a.w * 0.54f);
        }
        y += lh;
    }
    wb_text_draw(&app->text, WB_REGULAR, wb_px(app, 11.0f), a.x, a.y + a.h - wb_px(app, 14.0f),
                 WB_RGB(WB_C_FAINT), "Esc or a click closes this sheet.", 0.0f);
}
