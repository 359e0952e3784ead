/*
 * metrics.h: the windowed figures of a snapshot, derived from cumulative
 * totals. The monitor takes the totals every tick; a rate, a share or a
 * per-batch figure is the difference of two totals over the time between
 * them. Pure arithmetic: no threads, no clock, no engine state, so a test
 * hands it totals and checks what comes out.
 */
#ifndef KEEPUP_METRICS_H
#define KEEPUP_METRICS_H

#include <stdint.h>

#include "base/histogram.h"
#include "core/snapshot.h"
#include "engine/queue.h"

/* Everything counted since the start, as it stood at time t. */
typedef struct Totals {
   int64_t t;
   uint64_t offered, generated, completed, dropped, alerts, batches, records;
   uint64_t done_stale;                /* records done in hand-offs claimed under an older batch size */
   uint64_t stage_ns[STAGE_LAST];      /* time spent in each stage */
   uint64_t stage_records[STAGE_LAST]; /* records each stage took in */
   uint64_t chain_ns, chain_records;   /* the record chain and the fused loop, timed as one (--dispatch) */
   uint64_t busy_ns;                   /* the workers' wall time in hand-offs */
   uint64_t smp_stage_wall, smp_stage_cpu, smp_hand_cpu, smp_hands; /* hand-offs timed on the CPU clock too */
   int64_t worker_cpu_ns;              /* the worker threads' CPU time */
   int64_t source_cpu_ns;              /* the source thread's CPU time */
   int64_t cpu_ns;                     /* the process's CPU time */
   int64_t machine_ns;                 /* the machine's busy CPU time (-1: unknown) */
   double backlog;                     /* records queued, in flight or in open batches (a level, not a total) */
   uint64_t part_done[QUEUE_PARTITIONS];
   uint64_t part_busy_ns[QUEUE_PARTITIONS]; /* wall time workers held each partition in hand-offs */
   uint32_t n_workers;
   uint64_t worker_busy_ns[QUEUE_MAX_WORKERS]; /* each worker's busy_ns */
   Histogram latency;
   Histogram alert_delay;
} Totals;

/* One tick as the long window keeps it. */
typedef struct LongSample {
   int64_t t;
   uint64_t offered, completed;
   double backlog;
} LongSample;

/* The long window: a ring of the newest samples (storage the caller provides). */
typedef struct LongWindow {
   LongSample* ring;
   uint32_t cap;
   uint32_t n, head;
} LongWindow;

/* The figures over the window from ref to now into s: the rates (offered,
 * admitted, completed, dropped), the workers' busy time by the wall and CPU
 * clocks, the source's and other processes' CPU, records and hand-off time per
 * hand-off, the hot partition's share, each stage's and the hand-off's share
 * of the busy time and the stages' ns per record, the latency and alert delay
 * percentiles, the share past the filter; and the cumulative stage totals and
 * latency. ref == now: no window yet (the windowed figures stay 0; the share
 * past the filter is the one since the start). scratch: a histogram to work in. */
void Metrics_window(Snapshot* s, const Totals* now, const Totals* ref, Histogram* scratch);

/* The long window's length for the knobs in force: 10 s, or two and a half
 * bursts when they come further apart, at most max_ns. */
int64_t Metrics_longSpan(const Knobs* k, int64_t max_ns);
/* Add now to the long window (the oldest sample goes when it is full). */
void Metrics_longPush(LongWindow* w, const Totals* now);
/* Over the samples within the span the knobs in s give (at most max_ns): long_span_ns,
 * long_window_s, the long rates and the backlog trend (records/s); rates and trend
 * stay as they are until the window holds two samples. */
void Metrics_long(Snapshot* s, const LongWindow* w, int64_t max_ns);

/* The cap the backlog can reach, in records: the cap in records, or a cap in bytes
 * (the safety cap under grow) at the bytes per record the backlog holds now (0:
 * unknown while the backlog is empty). */
double Metrics_backlogCap(const Snapshot* s);

#endif
