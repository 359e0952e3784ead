/*
 * analysis.h: what a front end derives from the engine's snapshots and
 * history, written once for the dashboard and headless (no curses, no
 * threads, no engine):
 *
 *  - the verdict (KEEPING UP, FALLING BEHIND, CATCHING UP) with its
 *    hysteresis, fed every history sample not yet seen, so that it behaves
 *    the same however often the front end looks (a dashboard frame, a
 *    headless status line, the summary after a drain);
 *  - the forecast: the engine's while the workers have work, else the same
 *    model on the capacity last measured (between bursts the recent window
 *    is empty), and the check of its predicted backlog growth against the
 *    measured one, which pauses while a knob change is inside the long
 *    window or while the backlog empties;
 *  - the costs per record the Amdahl panel splits, from the stage window
 *    that last saw work, with the share past the filter of that window.
 *
 * A front end calls Analysis_update with every snapshot it takes and the
 * newest history samples (oldest first, reaching back Analysis_lookback),
 * and Analysis_knobChanged when it turns a knob.
 */
#ifndef KEEPUP_ANALYSIS_H
#define KEEPUP_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/amdahl.h"
#include "core/history.h"
#include "core/model.h"
#include "core/prediction.h"
#include "core/snapshot.h"
#include "core/verdict.h"

typedef struct Analysis {
   Verdict verdict;
   Forecast forecast;       /* the engine's, or recomputed from the last measured capacity between bursts */
   int64_t capacity_t;      /* when the capacity was measured (a snapshot's time; 0: never) */
   double growth_predicted; /* backlog growth, records/s: the model's, and what the backlog did */
   double growth_measured;
   PredictionCheck check;
   StageStat stages[STAGE_LAST]; /* the stage window that last saw work */
   int64_t stages_t;             /* when it was measured; 0: never */
   AmdahlCosts costs;            /* per record, from that window */
   int largest;                  /* the stage with the largest share of those costs */
   double per_busy;              /* records per busy worker-second, from the last window with work (0: none) */
   /* what the updates carry over */
   int64_t started;      /* the engine's start (from the first snapshot) */
   int64_t changed;      /* the latest knob change (0: none) */
   int64_t measured_t;   /* the newest history sample the verdict has seen */
   double held_capacity; /* the last capacity measured while the workers had work */
   double held_overhead; /* ns per record outside the stages, from the last window with work */
   double held_passed;   /* the share past the filter, from the stage window held */
} Analysis;

void Analysis_init(Analysis* this);
/* A knob changed at time t: the prediction check settles for a long window from then. */
void Analysis_knobChanged(Analysis* this, int64_t t);
/* A new lesson: the verdict measures afresh. */
void Analysis_restartVerdict(Analysis* this);
/* Derive everything from a snapshot and the newest history samples (oldest first, n of them). */
void Analysis_update(Analysis* this, const Snapshot* s, const HistorySample* h, size_t n);
/* How far back (ns) the next update reads history, for a front end that copies only what it needs. */
int64_t Analysis_lookback(const Analysis* this, const Snapshot* s);

/* The oldest record's age from which the workers count as never idle: a batch
 * waiting out its linger is not a sign of saturation. */
double Analysis_busyAge(const Knobs* k);
/* Bursts, and the first whole period not over: the arrival rate is not measured yet. */
bool Analysis_measuringBursts(const Analysis* this, const Snapshot* s);
/* Seconds until the first burst period is over (0: it is). */
double Analysis_firstPeriodLeft(const Snapshot* s);
/* The verdict's reason line, as the banner and the JSON summary write it. */
void Analysis_reason(const Analysis* this, const Snapshot* s, char* buf, size_t len);

#endif
