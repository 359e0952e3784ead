/*
 * monitor.c: the monitor thread. Every tick (100 ms) it collects the
 * cumulative totals (the queue's counts under its lock, the workers' slots
 * without one), keeps them in a ring of the last second's ticks and in the
 * long window, turns them into a Snapshot (the arithmetic is metrics.c's)
 * with the model's forecast, and publishes it with a HistorySample.
 */
#include "config.h"

#include "engine/engine_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/sysinfo.h"
#include "base/xalloc.h"

#define MONITOR_WINDOW_TICKS 10 /* rates and windowed percentiles cover the last second */
#define MONITOR_LONG_TICKS 600  /* the long window's ring: up to 60 s of ticks */

void Monitor_init(Engine* engine) {
   engine->ring = xcalloc(MONITOR_WINDOW_TICKS + 1, sizeof *engine->ring);
   engine->long_window = (LongWindow){.ring = xcalloc(MONITOR_LONG_TICKS, sizeof(LongSample)),
                                      .cap = MONITOR_LONG_TICKS};
}

void Monitor_done(Engine* engine) {
   free(engine->ring);
   free(engine->long_window.ring);
}

typedef struct PendingRead {
   Engine* engine;
   uint64_t pending;
   uint64_t open_bytes;
} PendingRead;

/* Under the queue's lock: no batch is pushed or completed meanwhile, and the source takes its staged
 * bytes out of the open ones before it pushes them, so the open bytes read here add to the queue's
 * counts without counting a batch twice or one the workers finished (read after the lock, a backlog
 * held at its cap showed the cap passed by the batches completed in between). */
static void monitor_readPending(void* ctx) {
   PendingRead* r = ctx;
   r->pending = atomic_load_explicit(&r->engine->queue.pending, memory_order_relaxed);
   r->open_bytes = atomic_load_explicit(&r->engine->open_bytes, memory_order_relaxed);
}

/* A thread's CPU time by its clock while it runs (has), else what it left when it ended (exit, 0:
 * not yet): the clock of a joined thread is gone. */
static int64_t monitor_threadCpu(clockid_t clock, bool has, int64_t exit, int64_t* seen) {
   struct timespec ts;
   int64_t v = exit;
   if (has && clock_gettime(clock, &ts) == 0)
      v = (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
   if (v > *seen)
      *seen = v;
   return *seen;
}

void Monitor_counts(Engine* engine, QueueCounts* c, uint64_t* pending, uint64_t* open_bytes) {
   PendingRead pr = {.engine = engine};
   Queue_counts(&engine->queue, c, monitor_readPending, &pr);
   *pending = pr.pending;
   if (open_bytes)
      *open_bytes = pr.open_bytes;
}

static void monitor_totals(Engine* this, Totals* t, const QueueCounts* c, uint64_t pending) {
   t->t = Clock_now();
   t->generated = c->entered + pending;
   uint64_t offered = atomic_load_explicit(&this->offered, memory_order_relaxed);
   t->offered = offered > t->generated ? offered : t->generated;
   t->done_stale = c->done_stale;
   t->worker_cpu_ns = 0;
   t->completed = c->processed + c->filtered;
   t->dropped = c->dropped;
   t->backlog = (double)(c->queued + c->in_flight + pending);
   t->alerts = t->batches = t->records = t->busy_ns = 0;
   t->smp_stage_wall = t->smp_stage_cpu = t->smp_hand_cpu = t->smp_hands = 0;
   for (int s = 0; s < STAGE_LAST; s++)
      t->stage_ns[s] = t->stage_records[s] = 0;
   t->chain_ns = t->chain_records = 0;
   Histogram_reset(&t->latency);
   Histogram_reset(&t->alert_delay);
   uint32_t nw = atomic_load_explicit(&this->n_workers_started, memory_order_acquire);
   for (uint32_t i = 0; i < nw; i++) {
      Worker* w = this->workers[i];
      for (int s = 0; s < STAGE_LAST; s++) {
         t->stage_ns[s] += engine_load(&w->stage_ns[s]);
         t->stage_records[s] += engine_load(&w->stage_records[s]);
      }
      t->chain_ns += engine_load(&w->chain_ns);
      t->chain_records += engine_load(&w->chain_records);
      t->worker_busy_ns[i] = engine_load(&w->busy_ns);
      t->busy_ns += t->worker_busy_ns[i];
      t->smp_stage_wall += engine_load(&w->smp_stage_wall);
      t->smp_stage_cpu += engine_load(&w->smp_stage_cpu);
      t->smp_hand_cpu += engine_load(&w->smp_hand_cpu);
      t->smp_hands += engine_load(&w->smp_hands);
      /* once the threads are joined their clocks are gone: the last readings stand */
      t->worker_cpu_ns += monitor_threadCpu(w->cpu_clock, w->has_cpu_clock && !this->threads_joined,
                                            atomic_load_explicit(&w->cpu_exit, memory_order_relaxed), &w->cpu_seen);
      t->records += engine_load(&w->records);
      t->alerts += engine_load(&w->alerts);
      Histogram_add(&t->latency, &w->latency);
      Histogram_add(&t->alert_delay, &w->alert_delay);
   }
   t->batches = c->batches_done;
   memcpy(t->part_done, c->part_done, sizeof t->part_done);
   t->n_workers = nw;
   for (uint32_t p = 0; p < QUEUE_PARTITIONS; p++)
      t->part_busy_ns[p] = engine_load(&this->part_busy_ns[p]);
   bool src = atomic_load_explicit(&this->has_source_clock, memory_order_acquire) && !this->threads_joined;
   t->source_cpu_ns = monitor_threadCpu(this->source_clock, src,
                                        atomic_load_explicit(&this->source_cpu_exit, memory_order_relaxed),
                                        &this->source_cpu_seen);
   t->cpu_ns = Clock_processCpu();
   t->machine_ns = Sysinfo_machineBusy();
}

/* Take this tick's totals into the ring; *ref: the oldest tick still in the
 * window, the reference of every rate (the new totals themselves when the
 * window is empty, after the start or a reset). */
static const Totals* monitor_tick(Engine* this, const QueueCounts* c, uint64_t pending, const Totals** ref) {
   if (atomic_exchange(&this->reset_window, false)) {
      this->ring_n = 0;
      this->long_window.n = 0;
   }
   Totals* now = &this->ring[this->ring_head];
   monitor_totals(this, now, c, pending);
   uint32_t have = this->ring_n < MONITOR_WINDOW_TICKS ? this->ring_n : MONITOR_WINDOW_TICKS;
   *ref = &this->ring[(this->ring_head + MONITOR_WINDOW_TICKS + 1 - have) % (MONITOR_WINDOW_TICKS + 1)];
   this->ring_head = (this->ring_head + 1) % (MONITOR_WINDOW_TICKS + 1);
   if (this->ring_n < MONITOR_WINDOW_TICKS + 1)
      this->ring_n++;
   return now;
}

/* The accounting and the backlog as the queue counted them, with the source's open batches. */
static void monitor_backlog(Engine* this, Snapshot* s, const QueueCounts* c, uint64_t pending, uint64_t open_bytes) {
   s->processed = c->processed;
   s->filtered = c->filtered;
   s->dropped = c->dropped;
   s->queued = c->queued + pending;
   s->in_flight = c->in_flight;
   memcpy(s->filtered_by, c->filtered_by, sizeof s->filtered_by);
   memcpy(s->dropped_by, c->dropped_by, sizeof s->dropped_by);
   s->backlog_records = s->queued + s->in_flight;
   s->backlog_batches = c->queued_batches;
   s->backlog_bytes = c->queued_bytes + c->in_flight_bytes + open_bytes;
   s->peak_backlog_records = c->peak_records > s->backlog_records ? c->peak_records : s->backlog_records;
   s->safety_cap_hit = c->safety_cap_hit;
   s->batches_done = c->batches_done;
   s->batches_queued = c->batches_queued;
   int64_t oldest = c->oldest_t;
   int64_t open_oldest = atomic_load_explicit(&this->open_oldest, memory_order_relaxed);
   if (pending > 0 && open_oldest < oldest)
      oldest = open_oldest;
   /* records offered and not admitted count from their scheduled arrival too */
   int64_t held_due = atomic_load_explicit(&this->held_due, memory_order_relaxed);
   s->held_back_age_ns = 0;
   if (s->held_back > 0 && held_due < s->t) {
      s->held_back_age_ns = s->t - held_due;
      if (held_due < oldest)
         oldest = held_due;
   }
   s->oldest_age_ns = oldest == INT64_MAX || oldest > s->t ? 0 : s->t - oldest;
}

/* What only the workers' slots know: the newest event time done (and its lag behind the newest read), the
 * cache, the order check. */
static void monitor_workers(Engine* this, Snapshot* s) {
   int64_t newest_done = INT64_MIN;
   uint64_t hits = 0, misses = 0, violations = 0;
   uint32_t nw = atomic_load_explicit(&this->n_workers_started, memory_order_acquire);
   for (uint32_t i = 0; i < nw; i++) {
      Worker* w = this->workers[i];
      int64_t t = atomic_load_explicit(&w->last_event_t, memory_order_relaxed);
      if (t > newest_done)
         newest_done = t;
      hits += engine_load(&w->cache_hits);
      misses += engine_load(&w->cache_misses);
      violations += engine_load(&w->order_violations);
   }
   s->event_done = newest_done;
   s->event_read = atomic_load_explicit(&this->event_read, memory_order_relaxed);
   /* how much of the data's time has been taken in but not processed (before anything is done:
    * since the first record taken in) */
   int64_t done = newest_done != INT64_MIN ? newest_done : atomic_load_explicit(&this->event_first, memory_order_relaxed);
   s->event_lag_ns = s->event_read == INT64_MIN || s->event_read <= done ? 0 : s->event_read - done;
   s->cache_hits = hits;
   s->cache_misses = misses;
   s->order_violations = violations;
}

/* The newest alerts first. */
static void monitor_alerts(Engine* this, Snapshot* s) {
   pthread_mutex_lock(&this->alert_lock);
   s->n_recent = this->recent_n;
   for (uint32_t i = 0; i < this->recent_n; i++)
      s->recent[i] = this->recent[(this->recent_head + SNAPSHOT_ALERTS - 1 - i) % SNAPSHOT_ALERTS];
   pthread_mutex_unlock(&this->alert_lock);
}

/* The machine, the process and the knobs in force. */
static void monitor_state(Engine* this, Snapshot* s) {
   s->ncpu = Sysinfo_cpuCount();
   s->output_bytes = engine_load(&this->output_bytes);
   s->output_ordered = this->reorder != NULL;
   s->output_unordered = engine_load(&this->ordered_unordered);
   s->output_passed = engine_load(&this->ordered_passed);
   s->rss_bytes = Sysinfo_rss();
   s->rss_start_bytes = this->rss_start;
   s->source_done = atomic_load(&this->source_done);
   s->source_failed = atomic_load(&this->source_failed);
   pthread_mutex_lock(&this->knob_lock);
   s->knobs = this->knobs;
   s->threads_cap = this->threads_cap;
   pthread_mutex_unlock(&this->knob_lock);
   uint32_t started = atomic_load_explicit(&this->n_workers_started, memory_order_acquire);
   s->threads_running = s->knobs.threads < started ? s->knobs.threads : started;
}

/* Publish s as the newest snapshot, with its history sample. */
static void monitor_publish(Engine* this, Snapshot* s) {
   HistorySample h = {
      .t = s->t,
      .backlog = (double)s->backlog_records,
      .held_back = (double)s->held_back,
      .held_back_s = (double)s->held_back_age_ns / 1e9,
      .oldest_age_s = (double)s->oldest_age_ns / 1e9,
      .event_lag_s = (double)s->event_lag_ns / 1e9,
      .in_rate = s->in_rate,
      .out_rate = s->out_rate,
      .drop_rate = s->drop_rate,
      .latency_p50_s = (double)s->latency_window.p50 / 1e9,
      .latency_p99_s = (double)s->latency_window.p99 / 1e9,
      .latency_max_s = (double)s->latency_window.max / 1e9,
      .alert_rate = s->alert_rate,
      .alert_delay_p99_s = (double)s->alert_delay_window.p99 / 1e9,
      .batch = s->knobs.batch,
      .threads = s->knobs.threads,
      .busy_cpu = s->busy,
      .cpus_taken = s->source_cpu + (s->others_cpu > 0 ? s->others_cpu : 0),
      .flags = (s->source_done ? HISTORY_SOURCE_DONE : 0u) | (s->source_failed ? HISTORY_SOURCE_FAILED : 0u) |
               (s->mixed_handoffs ? HISTORY_MIXED : 0u),
   };
   for (int st = 0; st < STAGE_LAST; st++)
      h.stage_share[st] = s->stage[st].share;

   pthread_mutex_lock(&this->snap_lock);
   s->seq = ++this->snap_seq;
   memcpy(s->error, this->error, sizeof s->error);
   h.event = History_lastEventId(&this->history);
   History_push(&this->history, &h);
   this->snap = *s;
   pthread_cond_broadcast(&this->snap_cond);
   pthread_mutex_unlock(&this->snap_lock);
}

void Monitor_take(Engine* engine) {
   QueueCounts c;
   uint64_t pending, open_bytes;
   Monitor_counts(engine, &c, &pending, &open_bytes);
   const Totals* ref;
   const Totals* now = monitor_tick(engine, &c, pending, &ref);

   Snapshot* s = xcalloc(1, sizeof *s);
   s->t = now->t;
   s->uptime_s = (double)(now->t - engine->t_start) / 1e9;
   s->generated = now->generated;
   s->offered = now->offered;
   s->held_back = now->offered - now->generated;
   s->offered_exact = atomic_load_explicit(&engine->offered_exact, memory_order_relaxed);
   s->done_stale = now->done_stale;
   s->alerts = now->alerts;
   monitor_backlog(engine, s, &c, pending, open_bytes);
   monitor_workers(engine, s);
   for (uint32_t p = 0; p < QUEUE_PARTITIONS; p++) {
      s->part_sensor[p] = atomic_load_explicit(&engine->part_sensor[p], memory_order_relaxed);
      s->part_sensors[p] = atomic_load_explicit(&engine->part_sensors[p], memory_order_relaxed);
   }
   Metrics_window(s, now, ref, &engine->scratch);
   monitor_alerts(engine, s);
   monitor_state(engine, s);
   s->backlog_cap_records = Metrics_backlogCap(s);
   Metrics_longPush(&engine->long_window, now);
   Metrics_long(s, &engine->long_window, (int64_t)MONITOR_LONG_TICKS * ENGINE_TICK_NS);
   monitor_publish(engine, s);
   free(s);
}

void* Monitor_main(void* arg) {
   Engine* engine = arg;
   int64_t next = engine->t_start + ENGINE_TICK_NS;
   while (!atomic_load(&engine->monitor_stop)) {
      /* until the next tick, or until Engine_stop says so: a short run does not wait out a tick to end */
      struct timespec ts = {.tv_sec = (time_t)(next / NS_PER_SEC), .tv_nsec = (long)(next % NS_PER_SEC)};
      pthread_mutex_lock(&engine->snap_lock);
      while (!atomic_load(&engine->monitor_stop) &&
             pthread_cond_timedwait(&engine->snap_cond, &engine->snap_lock, &ts) != ETIMEDOUT)
         ;
      pthread_mutex_unlock(&engine->snap_lock);
      if (atomic_load(&engine->monitor_stop))
         break;
      Monitor_take(engine);
      next += ENGINE_TICK_NS;
      int64_t now = Clock_now();
      if (next < now) /* fell behind (suspended): skip the missed ticks, no burst of catch-up samples */
         next = now + ENGINE_TICK_NS;
   }
   return NULL;
}
