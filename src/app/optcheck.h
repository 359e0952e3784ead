/*
 * optcheck.h: the checks across options that the option table cannot make,
 * run once the command line is parsed (exit status 2 when one fails).
 */
#ifndef KEEPUP_OPTCHECK_H
#define KEEPUP_OPTCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "app/options.h"

/* The record and replay options: options that need --replay, the --columns
 * syntax, --record naming a replayed file. false with a one-line message. */
bool OptCheck_replay(const Options* options, char* err, size_t errlen);

/* The hint when the dashboard cannot run: "Run without a screen instead, e.g.: keepup --headless ..." with
 * the options given (quoted for a shell where needed), and --duration 10s when nothing else would end it. */
void OptCheck_headlessHint(FILE* out, const Options* options, int argc, const char* const* argv);

#endif
