/*
 * analysis.h: what a front end derives from the engine's snapshots and
 * history, written once for the dashboard and headless (no curses, no
 * threads, no engine):
 *
 *  - the verdict (KEEPING UP, FALLING BEHIND, CATCHING UP) with its
 *    hysteresis, fed every history sample not yet seen, so that it behaves
 *    the same however often the front end looks (a dashboard frame, a
 *    headless status line, the summary after a drain);
 *  - the costs per record in CPU time, from the stage window that last saw
 *    work (between bursts the recent window is empty): each stage's (its
 *    wall time where the workers had a CPU) and the hand-off's own, with the
 *    share past the filter. The stage table, the Amdahl panel and the
 *    forecast all divide by their one total;
 *  - the forecast: the model on those costs, the threads, the CPUs free for
 *    the workers and the hot partition, against the offered rate of the
 *    verdict's window (one window for the verdict and the forecast, so the
 *    numbers on screen agree); and the check of its predicted growth against
 *    the measured one over the same window, which pauses while a knob change
 *    is inside the long window or while the backlog empties.
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
   Forecast forecast;       /* the model on the costs below (0 capacity: nothing measured yet) */
   int64_t capacity_t;      /* when the costs were measured (a snapshot's time; 0: never) */
   double arrival;          /* records/s offered, over the window below: what the forecast assumes */
   double window_s;         /* the verdict's window, which the forecast's rates share (0: none yet) */
   double growth_predicted; /* growth of what waits, records/s: the model's, and the measured one */
   double growth_measured;
   double cpus_free;        /* CPUs the workers can have: the machine's less the source's and others' use */
   PredictionCheck check;
   StageStat stages[STAGE_LAST]; /* the stage window that last saw work */
   int64_t stages_t;             /* when it was measured; 0: never */
   AmdahlCosts costs;            /* CPU time per record, from that window, the hand-off included */
   double handoff_ns;            /* the hand-off's own CPU time per hand-off, from that window */
   double handoff_wall_ns;       /* ... and its wall time (a lock slept on, a CPU waited for included) */
   double batch;                 /* records per hand-off, from that window */
   double cpu_ratio;             /* of the stages' wall time, the share the workers had a CPU, from that window */
   double hot_share;             /* the busiest partition's share of the records, from that window */
   int largest;                  /* the stage with the largest share of those costs */
   double per_busy;              /* records per busy worker CPU-second, from the last window with work (0: none) */
   /* what the updates carry over */
   int64_t started;    /* the engine's start (from the first snapshot) */
   int64_t changed;    /* the latest knob change (0: none) */
   int64_t measured_t; /* the newest history sample the verdict has seen */
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
/* The window the verdict and the forecast share, in words: "the last 2.0 s", "the last burst period (10 s)". */
void Analysis_windowText(const Analysis* this, const Snapshot* s, char* buf, size_t len);
/* The hand-off's share of the workers' busy time, from the costs (the same total as the stages'). */
double Analysis_handoffShare(const Analysis* this);
/* Workers wait for a CPU: more than a fifth of their busy wall time without one. */
bool Analysis_oversubscribed(const Analysis* this);

#endif
