/*
 * worker.c: the worker threads. A worker claims the oldest available batch,
 * runs the stage chain on it (with the simulated costs), writes the format
 * stage's text to --output, measures what it did, and completes the batch.
 *
 * What a worker measures goes into its own Worker slot: single-writer
 * atomics and histograms the monitor reads without a lock. Shared state is
 * touched only through the queue's lock, once to claim and once to complete
 * a batch, and the alert list's lock when a batch raised alerts.
 */
#include "config.h"

#include "engine/engine_impl.h"

#include <stdlib.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "core/burn.h"

static void worker_pushAlerts(Worker* this, int64_t t_done) {
   Engine* e = this->engine;
   Work* work = &this->work;
   if (work->nalerts == 0)
      return;
   for (uint32_t i = 0; i < work->nalerts; i++) {
      Alert* a = &work->alerts[i];
      a->t_raised = t_done;
      int64_t delay = t_done - a->t_arrival;
      Histogram_record(&this->alert_delay, delay > 0 ? (uint64_t)delay : 0);
   }
   engine_add(&this->alerts, work->nalerts);
   pthread_mutex_lock(&e->alert_lock);
   for (uint32_t i = 0; i < work->nalerts; i++) {
      e->recent[e->recent_head] = work->alerts[i];
      e->recent_head = (e->recent_head + 1) % SNAPSHOT_ALERTS;
      if (e->recent_n < SNAPSHOT_ALERTS)
         e->recent_n++;
   }
   pthread_mutex_unlock(&e->alert_lock);
}

/* Per-sensor order: a record must never come after a later one of the same sensor. */
static void worker_checkOrder(Worker* this, const Batch* b) {
   Engine* e = this->engine;
   uint64_t bad = 0;
   for (uint32_t i = 0; i < b->n; i++) {
      uint32_t s = b->rec[i].sensor;
      if (s >= e->id_space)
         continue;
      if (e->order_seen[s] && (int32_t)(b->rec[i].seq - e->order_last[s]) <= 0)
         bad++;
      e->order_seen[s] = 1;
      e->order_last[s] = b->rec[i].seq;
   }
   if (bad)
      engine_add(&this->order_violations, bad);
}

/* The stages in order, each with its simulated cost; timed: add each stage's time to the worker's. */
static void worker_runStages(Worker* this, Batch* b, bool timed) {
   Engine* e = this->engine;
   Work* work = &this->work;
   Work_begin(work, e->pipe, b->n);
   int64_t ts = timed ? Clock_now() : 0;
   for (int s = 0; s < STAGE_LAST; s++) {
      int v = atomic_load_explicit(&e->variant[s], memory_order_relaxed);
      uint32_t in = s == STAGE_FILTER ? b->n : work->nrows;
      Stage_table[s].run[v](e->pipe, work, b);
      int64_t extra = atomic_load_explicit(&e->stage_cost[s], memory_order_relaxed);
      if (extra > 0 && in > 0)
         this->burnt += Burn_cpu(extra * in);
      if (timed) {
         int64_t te = Clock_now();
         engine_add(&this->stage_ns[s], (uint64_t)(te - ts));
         engine_add(&this->stage_records[s], in);
         ts = te;
      }
   }
   Engine_output(e, work->out.buf, work->out.len);
}

/* What conservation needs whatever the metrics: the counts, then the batch back to the queue. */
static void worker_completeBatch(Worker* this, Batch* b) {
   Work* work = &this->work;
   uint64_t delta[FILTER_LAST];
   for (int r = 0; r < FILTER_LAST; r++) {
      delta[r] = work->filtered[r] - this->filtered_seen[r];
      this->filtered_seen[r] = work->filtered[r];
   }
   engine_add(&this->records, b->n);
   Queue_complete(&this->engine->queue, this->id, b, work->nrows, delta);
}

/* The latencies (from arrival), the newest event time done, the alerts and the cache counts of a processed batch. */
static void worker_measure(Worker* this, const Batch* b, int64_t t_done) {
   int64_t newest = INT64_MIN;
   for (uint32_t i = 0; i < b->n; i++)
      if (b->rec[i].t_event > newest)
         newest = b->rec[i].t_event;
   Histogram_recordLatencies(&this->latency, &b->rec[0].t_arrival, sizeof(Record), b->n, t_done);
   if (newest > atomic_load_explicit(&this->last_event_t, memory_order_relaxed))
      atomic_store_explicit(&this->last_event_t, newest, memory_order_relaxed);
   worker_pushAlerts(this, t_done);
   atomic_store_explicit(&this->cache_hits, this->work.cache_hits, memory_order_relaxed);
   atomic_store_explicit(&this->cache_misses, this->work.cache_misses, memory_order_relaxed);
}

static void worker_processBatch(Worker* this, Batch* b) {
   Engine* e = this->engine;
   bool full = !e->minimal_metrics;
   int64_t t0 = full ? Clock_now() : 0;
   int64_t dispatch = atomic_load_explicit(&e->dispatch_cost, memory_order_relaxed);
   if (dispatch > 0)
      this->burnt += Burn_cpu(dispatch);
   if (full)
      worker_checkOrder(this, b);
   worker_runStages(this, b, full);
   if (full) {
      int64_t t_done = Clock_now();
      worker_measure(this, b, t_done);
      engine_add(&this->busy_ns, (uint64_t)(t_done - t0));
   }
   worker_completeBatch(this, b);
}

static void* worker_main(void* arg) {
   Worker* this = arg;
   Batch* b;
   while ((b = Queue_claim(&this->engine->queue, this->id)) != NULL) {
      worker_processBatch(this, b);
      Batch_delete(b);
   }
   return NULL;
}

void Worker_start(Engine* engine, uint32_t n) {
   while (atomic_load(&engine->n_workers_started) < n) {
      Worker* w = xcalloc(1, sizeof *w);
      w->engine = engine;
      w->id = atomic_load(&engine->n_workers_started);
      atomic_store(&w->last_event_t, INT64_MIN);
      Histogram_reset(&w->latency);
      Histogram_reset(&w->alert_delay);
      Work_init(&w->work, engine->pipe);
      engine->workers[w->id] = w;
      pthread_create(&w->thread, NULL, worker_main, w);
      atomic_store_explicit(&engine->n_workers_started, w->id + 1, memory_order_release);
   }
}

void Worker_delete(Worker* this) {
   Work_done(&this->work);
   free(this);
}
