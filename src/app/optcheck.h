/*
 * optcheck.h: the checks across options that the option table cannot make,
 * run once the command line is parsed (exit status 2 when one fails, with a
 * one-line message naming the options). An option that would do nothing is
 * refused rather than ignored, and no output may overwrite an input or
 * another output.
 */
#ifndef KEEPUP_OPTCHECK_H
#define KEEPUP_OPTCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "app/options.h"

/* The record and replay options: options that need --replay, the --columns syntax. */
bool OptCheck_replay(const Options* options, char* err, size_t errlen);
/* Options the rest of the command line makes do nothing: the simulator's next to --replay, the
 * dashboard's with --headless, what a --sweep sets itself or ignores. */
bool OptCheck_unused(const Options* options, char* err, size_t errlen);
/* Every output (--output, --record, --metrics-csv, the --calibration FILE, and standard output when it
 * is a file) against every --replay file and every other output: the same file by device and inode
 * (symbolic and hard links included) or, for one not created yet, by directory and name; "-" is
 * standard output (input, for --replay), except for --calibration. A --calibration FILE that exists
 * must be a regular file (a FIFO would hang its read). */
bool OptCheck_outputs(const Options* options, char* err, size_t errlen);
/* Once a scenario has set the knobs not given: the arrival knobs that the arrival mode in force
 * ignores, and a backlog cap too small to hold one batch (it would stall the source for good). */
bool OptCheck_setup(const Options* options, char* err, size_t errlen);

/* The hint when the dashboard cannot run: "Run without a screen instead, e.g.: keepup --headless ..." with
 * the options given (quoted for a shell where needed), and --duration 10s when nothing else would end it. */
void OptCheck_headlessHint(FILE* out, const Options* options, int argc, const char* const* argv);

#endif
