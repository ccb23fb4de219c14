#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static bool has_catalog(const char *dir)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof(path), "%s/assets/catalog.json", dir);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *azb_cli_data_dir(char *buf, size_t size)
{
    const char *env = getenv("AZBOARD_DATA");
    if (env != NULL && env[0] != '\0') {
        snprintf(buf, size, "%s", env);
        return buf;
    }
    /* Installed: <prefix>/bin/azboard next to <prefix>/share/azboard. */
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            snprintf(buf, size, "%s/../share/azboard", exe);
            if (has_catalog(buf)) {
                return buf;
            }
        }
    }
    if (has_catalog(AZB_SOURCE_DATA)) {
        snprintf(buf, size, "%s", AZB_SOURCE_DATA);
        return buf;
    }
    snprintf(buf, size, "%s", AZB_INSTALL_DATA);
    return buf;
}
