/*
 * scenario.h: calibration and the named teaching scenarios.
 *
 * Calibration measures, in a few hundred milliseconds, what each stage
 * variant costs per record on this machine, on simulated records with full
 * windows. A scenario then sizes its workload from those costs, so that each
 * lesson behaves the same on a slow laptop and a fast server: the lecture's
 * naive pipeline needs about three times the burst interval per burst,
 * whatever the machine.
 */
#ifndef KEEPUP_SCENARIO_H
#define KEEPUP_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/setup.h"
#include "core/stages/stage.h"

#define CALIBRATION_WINDOW_MAX 2000u /* the largest window the naive feature is measured at */

typedef struct Calibration {
   double ns[STAGE_LAST][VARIANT_LAST]; /* per record, at the setup's window and allowlist */
   double feature_ns_per_w;   /* naive feature: extra ns per record per window slot */
   double filter_ns_per_k;    /* naive filter: extra ns per record per allowlist entry */
   uint32_t window;           /* W and K the table is for */
   uint32_t allowlist;
   uint32_t extrapolated_from; /* 0, or the window the naive feature was measured at (W above CALIBRATION_WINDOW_MAX:
                                * its cost at W is extrapolated, linear in the window) */
   double elapsed_s;          /* how long calibration took */
   double spread;             /* (second slowest - second fastest) / median of the passes' naive chain totals */
   double source_ns;          /* the source thread's CPU per record when each record is due on its own (drawn,
                               * then a sleep until it is due: the wake-up dominates); 0: not measured */
   int64_t measured_at;       /* wall-clock seconds since the epoch when it was measured; 0: never */
} Calibration;

/* The threads lesson: each record's simulated cost, and how many times the CPUs the workers can have
 * (all but the source thread's measured share) the load needs. */
#define SCENARIO_THREADS_COST_NS 200000
#define SCENARIO_THREADS_OVER    1.5

/* The memory lesson: one worker held to 1e9 / SCENARIO_MEMORY_COST_NS records/s by a simulated cost, the input
 * at four times it, a byte cap the backlog grows toward. */
#define SCENARIO_MEMORY_COST_NS 10000
#define SCENARIO_MEMORY_CAP     UINT64_C(256000000) /* 256 MB, as the screen writes it (powers of 1000) */

/* Passes more apart than this (see Calibration.spread): the machine was too busy to trust the costs. */
#define CALIBRATION_QUIET_SPREAD 0.15

typedef struct Scenario {
   const char* summary;  /* one line for --list-scenarios */
   const char* caption[2]; /* two lines for the dashboard header: what to try */
} Scenario;

extern const Scenario Scenario_table[SCENARIO_LAST];

/* Measure the stage costs for the setup's window, allowlist and seed: each
 * cost the median of several passes, their spread kept as a check of how
 * quiet the machine was. */
void Calibration_run(Calibration* out, const Setup* setup);
/* The same, measuring no more once deadline (CLOCK_MONOTONIC ns) has passed or a stop signal has come
 * (base/signals.h): one pass at the window, and the costs it gives (--duration bounds a run, calibration
 * included, and a signal during it ends the run with its summary). */
void Calibration_runUntil(Calibration* out, const Setup* setup, int64_t deadline);
bool Calibration_quiet(const Calibration* c);
void Calibration_print(const Calibration* c, FILE* out);
/* Naive cost of the whole chain per record, in ns (all six stages). */
double Calibration_total(const Calibration* c, Variant v);

/* Whether the scenario sizes its knobs from the calibration (the memory lesson does not: its pace is a
 * simulated cost, so a headless run of it measures nothing first). */
bool Scenario_sized(ScenarioId id);
/* Size the scenario's knobs in setup, except those given on purpose (Setup_given). */
void Scenario_apply(ScenarioId id, const Calibration* c, Setup* setup);
void Scenario_list(FILE* out);

#endif
