/*
 * setup.h: what shapes one run below the front ends: the live knobs, the
 * simulated sensor fleet and the stages' fixed parameters, with a note of
 * which were set on purpose (on the command line) so that a scenario sizes
 * only the rest. The command line fills a Setup (src/app/options.c); the
 * simulator, the calibration and the scenarios read it.
 */
#ifndef KEEPUP_SETUP_H
#define KEEPUP_SETUP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/knobs.h"

#define SETUP_SENSORS_MAX   100000u
#define SETUP_ALLOWLIST_MAX 1000000u
#define SETUP_CACHE_MAX     1000000u
#define SETUP_THRESHOLD_MIN 0.1
#define SETUP_THRESHOLD_MAX 1000.0
/* The largest sensor id space a run can have: the simulator's holds the fleet and the allowlist's
 * filler ids (sim.c), a replay's its names; a recording claiming more is refused. */
#define SETUP_ID_SPACE_MAX  (SETUP_ALLOWLIST_MAX + SETUP_SENSORS_MAX)

/* What a Setup may have been given explicitly: every scalar knob (its KnobId), then the rest. */
typedef enum SetupField {
   SETUP_SENSORS = KNOB_LAST,
   SETUP_SEED,
   SETUP_ANOMALIES,
   SETUP_HOT,
   SETUP_ALLOWLIST,
   SETUP_THRESHOLD,
   SETUP_CACHE,
   SETUP_VALID_RANGE,
   SETUP_SPIN,
   SETUP_VARIANTS,   /* --naive, --optimized */
   SETUP_STAGE_COST,
   SETUP_MAX_BACKLOG,
   SETUP_LAST
} SetupField;

_Static_assert(SETUP_LAST <= 64, "Setup.given has one bit per field");

typedef struct Setup {
   Knobs knobs;         /* at start */
   /* the simulated fleet */
   uint32_t sensors;
   uint64_t seed;
   double anomaly_rate; /* injected anomalies per record */
   double hot;          /* fraction of records from the hot sensor */
   /* the stages' fixed parameters */
   uint32_t allowlist;
   double threshold;
   uint32_t cache;
   double valid_lo;
   double valid_hi;
   /* workers */
   int64_t spin_ns;     /* an idle worker spins this long before sleeping */
   uint64_t given;      /* bit SetupField (or KnobId): set on purpose */
} Setup;

/* Every default. */
void Setup_init(Setup* this);
/* Whether a field (a SetupField, or a KnobId) was set on purpose. */
bool Setup_given(const Setup* this, int field);
void Setup_markGiven(Setup* this, int field);

#endif
