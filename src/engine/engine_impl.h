/*
 * engine_impl.h: what the engine's files share, and nothing outside
 * src/engine/ includes: struct Engine, a worker's slot, and the calls one
 * thread's file makes into another's.
 *
 *   engine.c   lifecycle, the reading API, --output, the event marks
 *   control.c  the live controls (knobs, variants, pause, costs, reset)
 *   source.c   the source thread: open batches, sealing, pacing
 *   worker.c   the worker threads: a batch through the stages, per-worker counters
 *   monitor.c  the monitor thread: totals, Snapshot and HistorySample every tick
 *   sequencer.c --ordered: the hand-offs' lines through the reorder buffer to --output
 *
 * Hot-path rules: a worker touches shared state only through the queue's
 * lock, once to claim and once to complete a batch; everything it measures
 * goes into its own Worker slot as single-writer atomics that the monitor
 * reads without a lock.
 */
#ifndef KEEPUP_ENGINE_IMPL_H
#define KEEPUP_ENGINE_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/reorder.h"
#include "engine/engine.h"
#include "engine/metrics.h"
#include "engine/queue.h"

typedef struct Worker {
   struct Engine* engine;
   uint32_t id;
   pthread_t thread;
   Work work;
   uint64_t filtered_seen[FILTER_LAST]; /* work.filtered at the last completion */
   uint64_t burnt; /* keeps the simulated work observable */
   Batch* merged;  /* the buffer a claim of several batches, or of boxed records, is read into */
   struct BoxedRecord** boxes; /* beside merged: each record's object (--layout boxed), NULL: packed */
   clockid_t cpu_clock; /* the thread's CPU clock, which the monitor reads */
   bool has_cpu_clock;
   int64_t cpu_seen;    /* the monitor's: its last reading */
   _Atomic int64_t cpu_exit; /* the thread's CPU time when it ended (its clock ends with it) */
   int64_t sampled_t;   /* when a hand-off was last timed on the CPU clock too */
   /* single writer (this worker), read by the monitor */
   _Atomic uint64_t stage_ns[STAGE_LAST];
   _Atomic uint64_t stage_records[STAGE_LAST];
   /* the record chain and the fused loop, timed as one: their time, and the records they took in */
   _Atomic uint64_t chain_ns;
   _Atomic uint64_t chain_records;
   _Atomic uint64_t busy_ns;
   /* the hand-offs timed on the CPU clock too: the stages' wall and CPU time, the hand-off's own CPU time */
   _Atomic uint64_t smp_stage_wall;
   _Atomic uint64_t smp_stage_cpu;
   _Atomic uint64_t smp_hand_cpu;
   _Atomic uint64_t smp_hands;
   _Atomic uint64_t records;
   _Atomic uint64_t alerts;
   _Atomic uint64_t cache_hits;
   _Atomic uint64_t cache_misses;
   _Atomic uint64_t order_violations;
   _Atomic int64_t last_event_t; /* newest event time (Record.t_event) completed; INT64_MIN: none */
   Histogram latency;
   Histogram alert_delay;
} Worker;

/* The tap: the source calls the slot Engine.tap points to. */
typedef struct TapSlot {
   EngineTap fn;
   void* ctx;
} TapSlot;

/* Moves of the input asked since the source last looked (Engine_move), applied in this order. */
typedef struct SourceMoves {
   bool restart;
   int seek;       /* tenths of the span, net (negative: back) */
   int loop;       /* -1: unchanged; 0: off; 1: on */
   uint32_t steps; /* bursts to play now while paused */
} SourceMoves;

struct Engine {
   Pipeline* pipe;
   Generator* gen;
   Queue queue;
   /* the tap: two slots, so a new one is filled while the source may still call the old;
    * tap_busy is odd while it does */
   TapSlot tap_slot[2];
   _Atomic(TapSlot*) tap;
   _Atomic uint64_t tap_busy;
   int tap_next;
   int64_t t_start;
   uint32_t id_space;
   int64_t spin_ns;
   bool minimal_metrics;

   /* output (--output) */
   int output_fd;
   bool output_pipe;             /* a FIFO or a pipe: wait for room in slices, so a stop is never stuck in write */
   pthread_mutex_t output_lock;
   bool output_failed;           /* under output_lock */
   _Atomic uint64_t output_bytes;
   uint64_t rss_start; /* the process RSS when the engine started, before its threads (set once) */
   /* --ordered (sequencer.c): the reorder buffer and the text it releases, under output_lock; the
    * records of batches dropped from the queue wait under drop_lock (taken under the queue's lock and
    * under output_lock, never the other way) until a worker hands them on */
   Reorder* reorder;             /* NULL: not ordered */
   OutBuf ordered_text;
   pthread_mutex_t drop_lock;
   Record* dropped;
   uint32_t dropped_n, dropped_cap;
   _Atomic uint64_t ordered_unordered; /* ReorderStats, copied after each hand-off for the monitor */
   _Atomic uint64_t ordered_passed;
   _Atomic uint64_t ordered_peak;

   /* knobs: written under knob_lock, version bumped so the source notices */
   pthread_mutex_t knob_lock;
   Knobs knobs;
   _Atomic uint32_t knob_version;
   /* copies of knobs the workers read per batch or per stage, without the lock */
   _Atomic int variant[STAGE_LAST];
   _Atomic int64_t dispatch_cost;
   _Atomic int64_t stage_cost[STAGE_LAST];
   _Atomic int dispatch; /* a Dispatch: how the workers run the stages, read per batch */
   _Atomic int layout;   /* a Layout: how the source queues the batches it seals, read per batch */

   /* source */
   pthread_t source_thread;
   pthread_mutex_t source_lock;
   pthread_cond_t source_cond;
   _Atomic bool source_stop;
   _Atomic bool paused;
   SourceMoves moves;          /* asked from the dashboard, under source_lock */
   _Atomic bool moves_pending; /* set with them: the source looks at them at its next record */
   _Atomic bool source_done;
   _Atomic bool source_failed; /* set before source_done when the generator stopped on an error */
   _Atomic int64_t open_oldest; /* arrival of the oldest record in an open batch, INT64_MAX: none */
   _Atomic uint64_t open_bytes; /* allocated by the open batches */
   /* the schedule: records offered (admitted + due and not admitted), the scheduled arrival of
    * the record the source holds (INT64_MAX: none), and whether the count behind is exact */
   _Atomic uint64_t offered;
   _Atomic int64_t held_due;
   _Atomic bool offered_exact;
   _Atomic int64_t event_read;  /* newest event time of the records the source took in; INT64_MIN: none */
   _Atomic int64_t event_first; /* event time of the first record it took in */
   bool source_started;
   clockid_t source_clock; /* the source thread's CPU clock */
   _Atomic bool has_source_clock; /* release-stored once source_clock is set */
   int64_t source_cpu_seen; /* the monitor's: its last reading */
   _Atomic int64_t source_cpu_exit; /* the source thread's CPU time when it ended */

   /* per partition: wall time workers held it in hand-offs (any worker adds, one at a time); the first
    * sensor the source gave it and how many (the source writes, when it meets a new sensor) */
   _Atomic uint64_t part_busy_ns[QUEUE_PARTITIONS];
   _Atomic uint32_t part_sensor[QUEUE_PARTITIONS];
   _Atomic uint32_t part_sensors[QUEUE_PARTITIONS];

   /* workers */
   Worker* workers[QUEUE_MAX_WORKERS];
   _Atomic uint32_t n_workers_started; /* release-stored after the slot is ready */
   uint32_t threads_cap;  /* under knob_lock: workers the system let us start, when fewer than asked; 0: none */
   _Atomic bool abort_work; /* stopping, and a batch outlived the grace: stages leave it unfinished */
   char start_error[160];   /* why Engine_start failed */
   uint32_t* order_last;  /* per sensor id: last seq completed; touched only by the partition's holder */
   uint8_t* order_seen;

   /* alerts */
   pthread_mutex_t alert_lock;
   Alert recent[SNAPSHOT_ALERTS];
   uint32_t recent_n;
   uint32_t recent_head;

   /* monitor */
   pthread_t monitor_thread;
   bool monitor_started;
   bool stopped;
   bool threads_joined; /* every other thread is joined: set by Engine_stop once the monitor thread is gone */
   _Atomic bool monitor_stop;
   _Atomic bool reset_window;
   pthread_mutex_t snap_lock;
   pthread_cond_t snap_cond;
   Snapshot snap;      /* newest, under snap_lock */
   History history;    /* under snap_lock */
   char error[160];    /* under snap_lock */
   uint64_t snap_seq;  /* under snap_lock */
   /* the monitor thread's own (and Engine_stop's, after it has joined the monitor) */
   Totals* ring;       /* the short window's ticks */
   uint32_t ring_n, ring_head;
   LongWindow long_window;
   Histogram scratch;
};

static inline uint64_t engine_load(const _Atomic uint64_t* p) {
   return atomic_load_explicit(p, memory_order_relaxed);
}

/* Single-writer add: a relaxed load and store, no read-modify-write. */
static inline void engine_add(_Atomic uint64_t* p, uint64_t v) {
   atomic_store_explicit(p, atomic_load_explicit(p, memory_order_relaxed) + v, memory_order_relaxed);
}

/* engine.c */
/* Add an event mark to the history (any thread). */
void Engine_event(Engine* this, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
/* Write to --output (any worker; the first failure stops the output and is reported in the snapshot). */
void Engine_output(Engine* this, const char* buf, size_t len);
/* The same, output_lock held. */
void Engine_outputLocked(Engine* this, const char* buf, size_t len);
/* Wake the source wherever it waits, so it looks at its stop flag, the pause and the knobs. */
void Engine_wakeSource(Engine* this);
/* Fewer workers than asked could be started: the threads knob becomes what runs (caller holds no lock). */
void Engine_capThreads(Engine* this, uint32_t started, int why);

/* worker.c */
/* Start workers up to n (they are never stopped before the end: extra ones just wait); returns how many
 * run, fewer than n when the system refused a thread (errno-style code in *why). */
uint32_t Worker_start(Engine* engine, uint32_t n, int* why);
/* Free a worker whose thread has been joined. */
void Worker_delete(Worker* this);

/* sequencer.c */
/* Set --ordered up (nothing to do without --output); Sequencer_done frees it. */
void Sequencer_init(Engine* engine, bool ordered);
void Sequencer_done(Engine* engine);
/* A hand-off's lines (work->out) for the records of b: to --output now, or through the reorder buffer. */
void Sequencer_output(Engine* engine, const Batch* b, const Work* work);
/* A batch dropped from the queue (any thread, the queue's lock held or not): its records will have no line. */
void Sequencer_dropped(void* engine, const Batch* b);
/* The end (every worker joined): write what the reorder buffer holds, in order. */
void Sequencer_flush(Engine* engine);

/* source.c: the source thread's body (arg: the Engine). */
void* Source_main(void* arg);

/* monitor.c */
void Monitor_init(Engine* engine);
void Monitor_done(Engine* engine);
/* The monitor thread's body (arg: the Engine). */
void* Monitor_main(void* arg);
/* Take a snapshot now and publish it (the monitor thread, or Engine_stop once it has joined it). */
void Monitor_take(Engine* engine);
/* The queue's counts and the records in open batches, read together under the queue's lock. */
void Monitor_counts(Engine* engine, QueueCounts* c, uint64_t* pending, uint64_t* open_bytes);

#endif
