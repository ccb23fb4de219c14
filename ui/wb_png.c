/* PNG output through libpng: the reference encoder, a small write API, and
 * a Debian package (libpng-dev) already on every machine that builds SDL2.
 * SDL2_image 2.6 can write PNG (IMG_SavePNG) but then pulls in every image
 * codec it was built with for one function; libpng is that function's own
 * back end. The file is written to a temporary name and renamed, so a
 * failed render never leaves half a PNG. */
#define _POSIX_C_SOURCE 200809L
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb.h"

bool wb_png_write(const char *path, SDL_Surface *s, char *why, size_t why_size)
{
    SDL_Surface *rgb = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0);
    if (rgb == NULL) {
        snprintf(why, why_size, "cannot convert the image: %s", SDL_GetError());
        return false;
    }
    char tmp[4200] = "";
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) {
        snprintf(why, why_size, "cannot write %s", tmp);
        SDL_FreeSurface(rgb);
        return false;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png != NULL ? png_create_info_struct(png) : NULL;
    volatile bool ok = false;
    if (png != NULL && info != NULL && setjmp(png_jmpbuf(png)) == 0) {
        png_init_io(png, f);
        png_set_IHDR(png, info, (png_uint_32)rgb->w, (png_uint_32)rgb->h, 8, PNG_COLOR_TYPE_RGB,
                     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        png_set_compression_level(png, 6);
        png_write_info(png, info);
        for (int y = 0; y < rgb->h; y++) {
            png_write_row(png, (png_const_bytep)rgb->pixels + (size_t)y * (size_t)rgb->pitch);
        }
        png_write_end(png, info);
        ok = true;
    }
    png_destroy_write_struct(png != NULL ? &png : NULL, info != NULL ? &info : NULL);
    if (fclose(f) != 0) {
        ok = false;
    }
    SDL_FreeSurface(rgb);
    if (!ok || rename(tmp, path) != 0) {
        snprintf(why, why_size, "cannot write %s", path);
        remove(tmp);
        return false;
    }
    return true;
}
