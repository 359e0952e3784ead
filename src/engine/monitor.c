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
#include "core/model.h"

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
} PendingRead;

static void monitor_readPending(void* ctx) {
   PendingRead* r = ctx;
   r->pending = atomic_load_explicit(&r->engine->queue.pending, memory_order_relaxed);
}

void Monitor_counts(Engine* engine, QueueCounts* c, uint64_t* pending) {
   PendingRead pr = {.engine = engine};
   Queue_counts(&engine->queue, c, monitor_readPending, &pr);
   *pending = pr.pending;
}

static void monitor_totals(Engine* this, Totals* t, const QueueCounts* c, uint64_t pending) {
   t->t = Clock_now();
   t->generated = c->entered + pending;
   t->completed = c->processed + c->filtered;
   t->dropped = c->dropped;
   t->backlog = (double)(c->queued + c->in_flight + pending);
   t->alerts = t->batches = t->records = t->busy_ns = 0;
   for (int s = 0; s < STAGE_LAST; s++)
      t->stage_ns[s] = t->stage_records[s] = 0;
   Histogram_reset(&t->latency);
   Histogram_reset(&t->alert_delay);
   uint32_t nw = atomic_load_explicit(&this->n_workers_started, memory_order_acquire);
   for (uint32_t i = 0; i < nw; i++) {
      Worker* w = this->workers[i];
      for (int s = 0; s < STAGE_LAST; s++) {
         t->stage_ns[s] += engine_load(&w->stage_ns[s]);
         t->stage_records[s] += engine_load(&w->stage_records[s]);
      }
      t->busy_ns += engine_load(&w->busy_ns);
      t->records += engine_load(&w->records);
      t->alerts += engine_load(&w->alerts);
      Histogram_add(&t->latency, &w->latency);
      Histogram_add(&t->alert_delay, &w->alert_delay);
   }
   t->batches = c->batches_done;
   memcpy(t->part_done, c->part_done, sizeof t->part_done);
   t->cpu_ns = Clock_processCpu();
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
static void monitor_backlog(Engine* this, Snapshot* s, const QueueCounts* c, uint64_t pending) {
   s->processed = c->processed;
   s->filtered = c->filtered;
   s->dropped = c->dropped;
   s->queued = c->queued + pending;
   s->in_flight = c->in_flight;
   memcpy(s->filtered_by, c->filtered_by, sizeof s->filtered_by);
   memcpy(s->dropped_by, c->dropped_by, sizeof s->dropped_by);
   s->backlog_records = s->queued + s->in_flight;
   s->backlog_batches = c->queued_batches;
   s->backlog_bytes = c->queued_bytes + c->in_flight_bytes;
   s->peak_backlog_records = c->peak_records > s->backlog_records ? c->peak_records : s->backlog_records;
   s->safety_cap_hit = c->safety_cap_hit;
   s->batches_done = c->batches_done;
   int64_t oldest = c->oldest_t;
   int64_t open_oldest = atomic_load_explicit(&this->open_oldest, memory_order_relaxed);
   if (pending > 0 && open_oldest < oldest)
      oldest = open_oldest;
   s->oldest_age_ns = oldest == INT64_MAX || oldest > s->t ? 0 : s->t - oldest;
}

/* What only the workers' slots know: the newest event time done, the cache, the order check. */
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
   s->output_lag_ns = newest_done == INT64_MIN || newest_done > s->t ? 0 : s->t - newest_done;
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
   s->rss_bytes = Sysinfo_rss();
   s->source_done = atomic_load(&this->source_done);
   pthread_mutex_lock(&this->knob_lock);
   s->knobs = this->knobs;
   pthread_mutex_unlock(&this->knob_lock);
   s->threads_running = s->knobs.threads;
}

/* The model's predictions from this snapshot's measurements. */
static void monitor_forecast(Snapshot* s) {
   ModelInput in = {
      .overhead_ns = s->overhead_ns_per_batch,
      .batch = s->records_per_batch,
      .threads = s->knobs.threads,
      .ncpu = s->ncpu,
      .hot_share = s->hot_share,
      .arrival_rate = Snapshot_inRate(s),
      .backlog = (double)s->backlog_records,
      .backlog_cap = s->backlog_cap_records,
      .oldest_age_s = (double)s->oldest_age_ns / 1e9,
      .stale_limit_s = (double)s->knobs.stale_limit_ns / 1e9,
   };
   /* a filtered record stops after the filter: weigh the later stages by the share that passed */
   in.stage_ns = s->stage[STAGE_FILTER].ns_per_record;
   for (int st = STAGE_NORMALIZE; st < STAGE_LAST; st++)
      in.stage_ns += s->passed_share * s->stage[st].ns_per_record;
   Model_forecast(&in, &s->forecast);
}

/* Publish s as the newest snapshot, with its history sample. */
static void monitor_publish(Engine* this, Snapshot* s) {
   HistorySample h = {
      .t = s->t,
      .backlog = (double)s->backlog_records,
      .oldest_age_s = (double)s->oldest_age_ns / 1e9,
      .output_lag_s = (double)s->output_lag_ns / 1e9,
      .in_rate = s->in_rate,
      .out_rate = s->out_rate,
      .latency_p50_s = (double)s->latency_window.p50 / 1e9,
      .latency_p99_s = (double)s->latency_window.p99 / 1e9,
      .latency_max_s = (double)s->latency_window.max / 1e9,
      .alert_rate = s->alert_rate,
      .alert_delay_p99_s = (double)s->alert_delay_window.p99 / 1e9,
      .batch = s->knobs.batch,
      .threads = s->knobs.threads,
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
   uint64_t pending;
   Monitor_counts(engine, &c, &pending);
   const Totals* ref;
   const Totals* now = monitor_tick(engine, &c, pending, &ref);

   Snapshot* s = xcalloc(1, sizeof *s);
   s->t = now->t;
   s->uptime_s = (double)(now->t - engine->t_start) / 1e9;
   s->generated = now->generated;
   s->alerts = now->alerts;
   monitor_backlog(engine, s, &c, pending);
   monitor_workers(engine, s);
   Metrics_window(s, now, ref, &engine->scratch);
   monitor_alerts(engine, s);
   monitor_state(engine, s);
   s->backlog_cap_records = Metrics_backlogCap(s);
   Metrics_longPush(&engine->long_window, now);
   Metrics_long(s, &engine->long_window, (int64_t)MONITOR_LONG_TICKS * ENGINE_TICK_NS);
   monitor_forecast(s);
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
