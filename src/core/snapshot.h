/*
 * snapshot.h: everything a front end shows, measured at one instant and
 * copied out of the engine in one piece. Front ends draw only from their own
 * copy, never from live engine state.
 *
 * Conservation, exact at every snapshot:
 *   generated == processed + filtered + dropped + queued + in_flight
 *
 * Offered, admitted, processed: the schedule (the simulator's, or a replay's
 * pace) offers records; the source admits them into the pipeline (generated
 * counts those); the workers complete them. A source held back (--overflow
 * block at the cap) or too slow for its schedule has records offered and
 * not admitted: held_back. Arrival rates (in_rate) are offered rates, so the
 * verdict and the forecasts compare what was offered with what was done.
 */
#ifndef KEEPUP_SNAPSHOT_H
#define KEEPUP_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/histogram.h"
#include "core/knobs.h"
#include "core/stages/stage.h"

#define SNAPSHOT_ALERTS     8  /* most recent alerts carried in a snapshot */
#define SNAPSHOT_PARTITIONS 64 /* the queue's partitions (QUEUE_PARTITIONS) */
#define SNAPSHOT_WORKERS    64 /* the most worker threads (QUEUE_MAX_WORKERS) */

typedef struct StageStat {
   uint64_t ns;         /* busy time in the stage, cumulative */
   uint64_t records;    /* records the stage was run on, cumulative */
   double share;        /* of the workers' busy time (stages and hand-offs), over the recent window (0..1) */
   double ns_per_record;/* wall time, over the recent window */
} StageStat;

typedef struct Snapshot {
   int64_t t;          /* CLOCK_MONOTONIC ns when taken */
   double uptime_s;    /* since the engine started */
   uint64_t seq;       /* increases with every snapshot the engine takes */

   /* record accounting (cumulative) */
   uint64_t offered;   /* the schedule's records due by now: generated + held_back */
   uint64_t held_back; /* offered but not admitted: the source is behind its schedule */
   int64_t held_back_age_ns; /* how far behind: now - scheduled arrival of the first record not admitted (0: none) */
   bool offered_exact; /* false: held_back is estimated from the schedule's recent rate (replay, Poisson) */
   uint64_t generated; /* admitted into the pipeline */
   uint64_t processed; /* passed the filter and went through every stage */
   uint64_t filtered;
   uint64_t dropped;
   uint64_t queued;    /* waiting: in partitions, or in the source's open batches */
   uint64_t in_flight; /* in a batch a worker holds */
   uint64_t filtered_by[FILTER_LAST];
   uint64_t dropped_by[DROP_LAST];
   uint64_t order_violations; /* a sensor's record seen before an earlier one: must stay 0 */

   /* backlog */
   uint64_t backlog_records; /* queued + in_flight */
   uint64_t backlog_batches;
   uint64_t backlog_bytes;  /* what the backlog holds: queued and claimed batches and the source's open ones */
   uint64_t peak_backlog_records;
   int64_t oldest_age_ns;  /* processing lag: age of the oldest record not yet completed, from its scheduled
                            * arrival, held back at the source or not (0: none) */
   /* event time (the data's clock, Record.t_event) */
   int64_t event_read;     /* newest event time the source has taken in; INT64_MIN: none yet */
   int64_t event_done;     /* newest event time completed; INT64_MIN: none yet */
   int64_t event_lag_ns;   /* event-time lag: event_read - event_done (0 when every record read is done) */

   /* rates over the recent window (records/s) */
   double window_s;     /* length of the window the rates cover */
   double in_rate;      /* offered (arriving by the schedule) */
   double admitted_rate;/* generated */
   double out_rate;     /* completed: processed + filtered */
   double drop_rate;
   double backlog_rate; /* change of backlog_records per second */
   /* the same over a long window that spans several bursts (max(10 s, 2.5 x --every), at most 60 s),
    * which is what tells keeping up from falling behind when arrivals come in bursts */
   double long_window_s;
   double in_rate_long; /* offered */
   double out_rate_long;
   double backlog_trend;  /* least-squares slope of the backlog over the long window, records/s */
   int64_t long_span_ns;  /* the long window's full length for the knobs in force (long_window_s reaches it) */
   double backlog_cap_records; /* the cap the backlog can reach, in records (the safety cap under grow; 0: unknown) */
   double passed_share;   /* of the records the filter saw, the share that passed it (recent window, else since start) */

   /* end-to-end latency: event time to completion, ns */
   Percentiles latency_window;
   Percentiles latency_total;

   /* stages */
   StageStat stage[STAGE_LAST];
   StageStat chain;          /* the record chain and the fused loop (--dispatch record, fused): the six stages
                              * timed as one, per record the filter took in; no stage's own time is known */
   uint64_t batches_done;    /* hand-offs: a claim, its batches through the stages, the completion */
   uint64_t batches_queued;  /* batches the source sealed into the queue (a hand-off may take several) */
   double records_per_batch; /* per hand-off, recent window */
   double overhead_ns_per_batch; /* the hand-off's own wall time (claim, merge, simulated dispatch, measuring,
                                  * output, completion): busy time outside the stages, per hand-off, recent window */
   double handoff_share;     /* of the workers' busy time: 1 - the stages' shares */
   bool mixed_handoffs;      /* the recent window completed hand-offs claimed under an older batch size */
   uint64_t done_stale;      /* records completed in hand-offs claimed under an older batch size, cumulative */
   double hot_share;         /* largest share of the recent window's records in one partition */
   /* per partition, recent window: the share of the wall time a worker held it and ran its batches
    * (0..1: one partition is one worker at a time); the first sensor it was given and how many */
   double part_busy[SNAPSHOT_PARTITIONS];
   uint32_t part_sensor[SNAPSHOT_PARTITIONS];
   uint32_t part_sensors[SNAPSHOT_PARTITIONS];

   /* workers */
   uint32_t ncpu;
   uint32_t threads_running; /* threads currently processing or waiting for work */
   uint32_t threads_cap;     /* the most worker threads the system let start when more were asked; 0: none met */
   uint32_t n_workers;                     /* worker threads started (worker_busy's entries) */
   double worker_busy[SNAPSHOT_WORKERS];   /* each worker's wall time in hand-offs, recent window (0..1) */
   double busy;              /* CPUs the workers' threads used (their CPU clocks), recent window: never
                              * more than the CPUs */
   double busy_wall;         /* workers busy by the wall clock (0..1 per worker summed): a busy thread
                              * waiting for a CPU or a lock counts, so it may pass the CPUs */
   double cpu_ratio;         /* of the stages' wall time, the share the workers had a CPU (sampled on
                              * their CPU clocks; 1: always; 0: not measured in the window) */
   double handoff_cpu_ns;    /* the hand-off's own CPU time per hand-off (sampled; 0: not measured) */
   double source_cpu;        /* CPUs the source thread used, recent window */
   double others_cpu;        /* CPUs the machine's other processes used, recent window (-1: unknown) */

   /* alerts */
   uint64_t alerts;
   double alert_rate;
   Percentiles alert_delay_window; /* ns from reading to alert */
   Alert recent[SNAPSHOT_ALERTS];  /* newest first */
   uint32_t n_recent;

   /* enrich cache */
   uint64_t cache_hits;
   uint64_t cache_misses;

   /* output and process */
   uint64_t output_bytes;
   bool output_ordered;        /* --ordered with --output */
   uint64_t output_unordered;  /* --ordered: lines written behind a later event time (late rows played at once) */
   uint64_t output_passed;     /* --ordered: records its memory bound stopped waiting for */
   uint64_t rss_bytes;
   uint64_t rss_start_bytes; /* the RSS when the engine started: what the run added since is rss_bytes - it */
   double cpu_process; /* CPUs used by the whole process, recent window */
   bool source_done;   /* a finite source (replay) has no more records */
   bool source_failed; /* ... because it stopped on an error (GeneratorOps.error) */
   bool safety_cap_hit;
   char error[160];    /* a runtime error the front end must show (output write failed, ...) */

   Knobs knobs;
} Snapshot;

/* The offered and completion rates over the long window once it has one (bursts average out
 * there), else over the recent window. */
static inline double Snapshot_inRate(const Snapshot* s) {
   return s->long_window_s > 0 ? s->in_rate_long : s->in_rate;
}

static inline double Snapshot_outRate(const Snapshot* s) {
   return s->long_window_s > 0 ? s->out_rate_long : s->out_rate;
}

/* The accounting identity: every record generated is processed, filtered, dropped, queued or in flight. */
static inline bool Snapshot_conserved(const Snapshot* s) {
   return s->generated == s->processed + s->filtered + s->dropped + s->queued + s->in_flight;
}

#endif
