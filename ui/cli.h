/*
 * The command line: `azboard COMMAND ...`. Each command returns the process
 * exit code: 0 success, 1 a check that found differences (fmt --check),
 * 2 bad input or bad usage. Output goes to the given streams so the golden
 * tests and the whiteboard can capture it.
 */
#ifndef AZB_CLI_H
#define AZB_CLI_H

#include <stdbool.h>
#include <stdio.h>

enum { AZB_EXIT_OK = 0, AZB_EXIT_DIFF = 1, AZB_EXIT_BAD = 2 };

/* Where assets/ and scenarios/ are: AZBOARD_DATA, else the install prefix
 * next to the binary, else the source tree the binary was built from. */
const char *azb_cli_data_dir(char *buf, size_t size);

int azb_cli_main(int argc, char **argv, FILE *out, FILE *err);

/* `azboard sim FILE --des ...` (ui/cli_sim.c): argv holds the arguments
 * after "sim". Exit 130 when Ctrl-C stopped the run (the report still
 * covers what was simulated). */
int azb_cli_sim_des(const char *data_dir, int argc, char **argv, FILE *out, FILE *err);

struct azb_design;
/* A scenario named NAME: NAME.json next to the design at design_path, else
 * in <data_dir>/scenarios/<the design's prompt>/; an argument with a '/'
 * or ending in .json is a path, used as it is. False when no file is
 * there (out then holds the last place tried). */
bool azb_cli_find_scenario(const char *arg, const char *design_path, const struct azb_design *d,
                           const char *data_dir, char *out, size_t size);

#endif
