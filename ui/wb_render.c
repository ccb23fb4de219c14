/* azboard render: the whiteboard drawn headless (software renderer on a
 * surface, no window, no display) through the same code as the window, to
 * a PNG; --bench N times N frames. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "wb.h"
#include "wb_drill.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

static bool parse_num(const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    double v = s != NULL ? strtod(s, &end) : 0.0;
    if (s == NULL || end == s || *end != '\0' || !(v >= lo) || !(v <= hi)) {
        return false;
    }
    *out = v;
    return true;
}

static int usage(FILE *err, const char *msg, const char *arg)
{
    fprintf(err, "azboard: %s%s%s\nRun 'azboard help' for usage.\n", msg, arg ? " " : "",
            arg ? arg : "");
    return AZB_EXIT_BAD;
}

int wb_render_main(int argc, char **argv, const char *data_dir, FILE *out, FILE *err)
{
    const char *file = NULL;
    const char *png = NULL;
    const char *select = NULL;
    const char *scenario = NULL; /* --scenario NAME: run a drill, draw its panel */
    double at = -1.0;
    double width = 1600.0, height = 1000.0, scale = 1.0, bench = 0.0, rps = 0.0, zoom = 0.0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true;
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            png = v;
            ok = v != NULL;
            i++;
        } else if (strcmp(a, "--width") == 0) {
            ok = parse_num(v, 320.0, 8192.0, &width);
            i++;
        } else if (strcmp(a, "--height") == 0) {
            ok = parse_num(v, 240.0, 8192.0, &height);
            i++;
        } else if (strcmp(a, "--scale") == 0) {
            ok = parse_num(v, 0.5, 4.0, &scale);
            i++;
        } else if (strcmp(a, "--bench") == 0) {
            ok = parse_num(v, 1.0, 100000.0, &bench);
            i++;
        } else if (strcmp(a, "--rps") == 0) {
            ok = parse_num(v, 1e-9, 1e9, &rps);
            i++;
        } else if (strcmp(a, "--zoom") == 0) {
            ok = parse_num(v, 0.05, 4.0, &zoom);
            i++;
        } else if (strcmp(a, "--select") == 0) {
            select = v;
            ok = v != NULL;
            i++;
        } else if (strcmp(a, "--scenario") == 0) {
            scenario = v;
            ok = v != NULL;
            i++;
        } else if (strcmp(a, "--at") == 0) {
            ok = parse_num(v, 0.0, 1e9, &at);
            i++;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage(err, "unknown option", a);
        } else if (file == NULL) {
            file = a;
        } else {
            return usage(err, "render takes one FILE, got", a);
        }
        if (!ok) {
            return usage(err, "bad value for", a);
        }
    }
    if (file == NULL) {
        return usage(err, "render needs a FILE", NULL);
    }
    if (png == NULL && bench <= 0.0) {
        return usage(err, "render needs -o OUT.png (or --bench N)", NULL);
    }
    wb_options opt = {(int)width, (int)height, (float)scale, true};
    char why[1024] = "";
    wb_app *app = wb_app_create(&opt, data_dir, why, sizeof(why));
    if (app == NULL) {
        fprintf(err, "azboard: %s\n", why);
        return AZB_EXIT_BAD;
    }
    if (!wb_app_open(app, file)) {
        fprintf(err, "azboard: %s\n", app->status);
        wb_app_destroy(app);
        return AZB_EXIT_BAD;
    }
    if (rps > 0.0) {
        app->rps = rps;
        wb_app_run_model(app);
    }
    if (select != NULL) {
        int n = azb_design_find_node(wb_design(app), select);
        if (n < 0) {
            fprintf(err, "azboard: no node \"%s\" in %s\n", select, file);
            wb_app_destroy(app);
            return AZB_EXIT_BAD;
        }
        wb_sel_set(app, n, true);
    }
    if (scenario != NULL && !wb_drill_render(app, scenario, at, why, sizeof(why))) {
        fprintf(err, "azboard: %s\n", why);
        wb_app_destroy(app);
        return AZB_EXIT_BAD;
    }
    if (zoom > 0.0) {
        /* Zoom around the centre of the fitted view. */
        wb_rect c = app->lay.canvas;
        wb_canvas_zoom_at(app, c.x + c.w * 0.5f, c.y + c.h * 0.5f,
                          zoom * (double)app->scale / app->view.zoom);
    }
    app->status[0] = '\0';
    int rc = AZB_EXIT_OK;
    int frames = bench > 0.0 ? (int)bench : 1;
    double *ms = calloc((size_t)frames, sizeof(double));
    if (ms == NULL) {
        wb_app_destroy(app);
        return AZB_EXIT_BAD;
    }
    unsigned long glyphs_first = 0;
    for (int f = 0; f < frames; f++) {
        Uint64 t0 = SDL_GetPerformanceCounter();
        wb_app_frame(app);
        ms[f] = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                (double)SDL_GetPerformanceFrequency();
        if (f == 0) {
            glyphs_first = app->text.rasterised;
        }
    }
    if (png != NULL) {
        SDL_Surface *target = NULL;
        SDL_Rect all = {0, 0, app->width, app->height};
        target = SDL_CreateRGBSurfaceWithFormat(0, app->width, app->height, 32,
                                                SDL_PIXELFORMAT_ARGB8888);
        if (target == NULL ||
            SDL_RenderReadPixels(app->renderer, &all, SDL_PIXELFORMAT_ARGB8888, target->pixels,
                                 target->pitch) != 0 ||
            !wb_png_write(png, target, why, sizeof(why))) {
            fprintf(err, "azboard: %s\n", why[0] ? why : SDL_GetError());
            rc = AZB_EXIT_BAD;
        }
        if (target != NULL) {
            SDL_FreeSurface(target);
        }
    }
    if (bench > 0.0) {
        const azb_design *d = wb_design(app);
        double first = ms[0];
        int n = frames > 1 ? frames - 1 : 1;
        double *warm = frames > 1 ? ms + 1 : ms;
        qsort(warm, (size_t)n, sizeof(double), cmp_double);
        /* The model on its own, as an edit re-runs it. */
        Uint64 t0 = SDL_GetPerformanceCounter();
        int runs = 20;
        for (int i = 0; i < runs; i++) {
            wb_app_run_model(app);
        }
        double model_ms = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
                          (double)SDL_GetPerformanceFrequency() / runs;
        fprintf(out,
                "render %s: %d nodes, %d edges, %dx%d px, zoom %.2f\n"
                "first frame %.2f ms (%lu glyphs rasterised)\n"
                "frames %d: median %.2f ms, p90 %.2f ms, min %.2f ms, max %.2f ms "
                "(%lu glyphs rasterised after the first)\n"
                "model + cost + availability per edit: %.2f ms\n",
                file, d->nnodes, d->nedges, app->width, app->height, app->view.zoom, first,
                glyphs_first, n, warm[n / 2], warm[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1],
                warm[0], warm[n - 1], app->text.rasterised - glyphs_first, model_ms);
    }
    free(ms);
    wb_app_destroy(app);
    return rc;
}
