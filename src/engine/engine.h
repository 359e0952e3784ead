/*
 * engine.h: the running pipeline. One source thread pulls records from a
 * Generator and seals them into per-partition batches; worker threads claim
 * partitions and run each batch through the stage chain; a monitor thread
 * takes a Snapshot every tick and appends it to the History.
 *
 * The control calls may come from any thread and take effect within one
 * tick (100 ms) at the most; none loses, duplicates or reorders a record.
 */
#ifndef KEEPUP_ENGINE_H
#define KEEPUP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/histogram.h"
#include "core/generator.h"
#include "core/history.h"
#include "core/knobs.h"
#include "core/snapshot.h"
#include "core/stages/stage.h"

#define ENGINE_TICK_NS INT64_C(100000000) /* snapshot period */
#define ENGINE_HISTORY_SAMPLES 6000       /* the history ring: ten minutes of ticks */

typedef struct Engine Engine;

/* Called by the source thread with every record as it enters the pipeline
 * (t_arrival absolute); must be cheap and must not block (--record). */
typedef void (*EngineTap)(void* ctx, const Record* rec);

typedef struct EngineSetup {
   Knobs knobs;                   /* at start; the engine sets safety_cap_bytes, and starts unpaused */
   int64_t spin_ns;               /* an idle worker spins this long before it sleeps; the source
                                   * spins rather than sleeps before a record due this soon */
   Generator* generator;          /* taken over: the engine destroys it */
   const PipelineParams* params;  /* copied */
   EngineTap tap;                 /* NULL: none */
   void* tap_ctx;
   int output_fd;                 /* -1: the format stage's text is discarded after rendering */
   /* --ordered: the output's lines in admission order (event-time order, ties in input order) whatever
    * the workers (engine/sequencer.c); false: each hand-off's lines as it completes */
   bool ordered;
   /* true: workers keep only what conservation and the queue need (record and filter
    * counts): no stage timing, latency or alert-delay histograms, order check, busy
    * time or alert list. For measuring what the metrics cost (tests/bench/bench_engine);
    * the snapshot's timing figures stay zero. */
   bool minimal_metrics;
} EngineSetup;

Engine* Engine_new(const EngineSetup* setup);
/* Start the threads. False when the source, the monitor or even one worker could not be started
 * (Engine_startError says why; Engine_stop still ends what did start). When some workers could not be
 * started, the threads knob becomes the number that run, marked as an event, and the snapshot's
 * threads_cap says so. */
bool Engine_start(Engine* this);
const char* Engine_startError(const Engine* this);
/* Replace the tap (NULL: none) while running; when it returns, the old tap is no longer called. */
void Engine_setTap(Engine* this, EngineTap tap, void* ctx);
/* Stop the source; with drain, wait until the backlog is empty (or timeout_ns passes);
 * then stop the workers and take the final snapshot. What is still queued stays counted as queued.
 * A batch a worker holds may finish within half a second; after that the stages leave it unfinished
 * and its records stay counted in flight, so a stop never waits for a batch of hours. */
void Engine_stop(Engine* this, bool drain, int64_t timeout_ns);
/* Stop the source and wait until the backlog is empty (true), or until deadline or cancelled(ctx)
 * (polled every tick; NULL: never) (false). The workers go on; Engine_stop ends them. */
bool Engine_drain(Engine* this, int64_t deadline, bool (*cancelled)(void* ctx), void* ctx);
void Engine_delete(Engine* this);

/* The newest snapshot (copied). */
void Engine_snapshot(Engine* this, Snapshot* out);
/* Up to max newest history samples, oldest first. */
size_t Engine_history(Engine* this, HistorySample* out, size_t max);
size_t Engine_events(Engine* this, HistoryEvent* out, size_t max);
/* Wait until a snapshot newer than seq exists, or timeout_ns passes; returns the newest seq. */
uint64_t Engine_waitSnapshot(Engine* this, uint64_t seq, int64_t timeout_ns);
/* True once a finite source is exhausted and every record has been completed, filtered or dropped. */
bool Engine_finished(Engine* this);
/* The source thread's CPU time (ns) when it ended: after Engine_stop; 0 before. */
int64_t Engine_sourceCpu(Engine* this);

/* Live control. Each marks an event on the history. */
/* A scalar knob of the table (core/knobs.h), clamped to its range; knobs that are not live are ignored.
 * The event reads "<name> <value>" as Knob_format writes it: "batch 512", "overflow drop-oldest". */
void Engine_setKnob(Engine* this, KnobId id, double value);
void Engine_setVariant(Engine* this, StageId stage, Variant v);
/* Every stage to v at once, logged as one event. */
void Engine_setAllVariants(Engine* this, Variant v);
void Engine_setPaused(Engine* this, bool paused);
/* Move the input (GeneratorOps.move; a replay): restart, seek by count tenths of its time span, loop (count
 * 1: on, 0: off), or play count bursts now (paused: the records sharing the next one's event time, each).
 * The source applies it before its next record and marks an event saying what it did or why it could not;
 * false (why in why) when the input cannot move at all. */
bool Engine_move(Engine* this, GeneratorMove how, int count, char* why, size_t len);
/* Simulated CPU work per record of a stage (real work, always labelled simulated; per batch: KNOB_DISPATCH_COST). */
void Engine_setStageCost(Engine* this, StageId stage, int64_t ns);
/* The end-to-end latency histogram since the start (cumulative; sweeps diff two). */
void Engine_latency(Engine* this, Histogram* out);
/* Forget the windowed statistics (rates, windowed latency, stage shares). */
void Engine_resetWindowed(Engine* this);
/* Add an event mark with free text (front ends: "recording started", ...). */
void Engine_mark(Engine* this, const char* text);

#endif
