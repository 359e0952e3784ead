/*
 * calibrate.h: where a run's stage costs come from. Only a run that needs
 * them gets them (a scenario's sizing, --calibrate, the dashboard, whose
 * scenario menu and Amdahl panel use them); they come from --calibration
 * FILE, or from the cache in $XDG_CACHE_HOME/keepup (~/.cache/keepup), or
 * are measured and stored there. A missing, stale or corrupt cache is
 * measured again with a note, never an error.
 */
#ifndef KEEPUP_CALIBRATE_H
#define KEEPUP_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "app/options.h"
#include "core/scenario.h"

/* Whether the run that options describe reads the stage costs. */
bool Calibrate_needed(const Options* options);

/* Fill cal (notes, such as the cache's age, go to notes). Returns 0, or
 * with err set EXIT_USAGE when --calibration FILE is not a calibration and
 * EXIT_OUTPUT when it cannot be written. */
int Calibrate_obtain(const Options* options, Calibration* cal, FILE* notes, char* err, size_t errlen);

/* The cache file for this setup, under the XDG cache directory; false when
 * neither XDG_CACHE_HOME nor HOME says where that is. */
bool Calibrate_cachePath(const Setup* setup, char* out, size_t len);

#endif
