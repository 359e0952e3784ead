/*
 * headless.h: keepup without a screen: a vmstat-like status line every
 * --interval (ending in the verdict), optional --metrics-csv rows, and a
 * final summary (text or one JSON object, both with the verdict and its
 * reason) of the state at the moment the run stopped.
 */
#ifndef KEEPUP_HEADLESS_H
#define KEEPUP_HEADLESS_H

#include <stdio.h>

#include "engine/engine.h"
#include "app/options.h"
#include "app/run.h"

/* Run until --duration, SIGINT/SIGTERM, or the end of a finite source; returns the exit status. */
int Headless_run(Run* run);

/* Run every point of --sweep (each --repeat times) and print the table; returns the exit status. */
int Headless_sweep(const Options* options, const Calibration* calibration);

#endif
