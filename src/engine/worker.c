/*
 * worker.c: the worker threads. A worker claims the oldest available batch
 * (with the batches of an older batch size behind it, merged into one: the
 * queue's natural batching; boxed records are read by name into it), runs
 * the stage chain on it (with the simulated costs), writes the format
 * stage's text to --output, measures what it did, and completes the claim:
 * one hand-off. --dispatch decides how the chain
 * runs: stage by stage, each stage timed, or (record, fused: chain.h) as one
 * span timed as a whole.
 *
 * Busy time is the hand-off's wall time from the claim (once there is work:
 * waiting for it is idle) to the end of the completion; what the stages do
 * not account for of it is the hand-off's own cost (claim, merge, simulated
 * dispatch, measuring, output, completion). The monitor reads each worker
 * thread's CPU clock beside it (one read a tick, none on the hot path).
 *
 * What a worker measures goes into its own Worker slot: single-writer
 * atomics and histograms the monitor reads without a lock. Shared state is
 * touched only through the queue's lock, once to claim and once to complete
 * a batch, and the alert list's lock when a batch raised alerts.
 */
#include "config.h"

#include "engine/engine_impl.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "core/boxed.h"
#include "core/burn.h"
#include "core/stages/chain.h"

#define WORKER_BURN_SLICE_NS (10 * NS_PER_MS) /* simulated work between two looks at the stop */
#define WORKER_CPU_SAMPLE_NS (2 * NS_PER_MS) /* four CPU clock reads per this much wall time: about 0.1% */

/* The stages' span in a hand-off: wall time, and CPU time when sampled. */
typedef struct StageSpan {
   int64_t wall, cpu;
} StageSpan;

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

/* Simulated CPU work, in slices that look at the stop: a second per record of a large batch would
 * otherwise hold a stop for hours. False when the stop cut it short. */
static bool worker_burn(Worker* this, int64_t ns) {
   const _Atomic bool* stop = &this->engine->abort_work;
   while (ns > 0) {
      int64_t slice = ns < WORKER_BURN_SLICE_NS ? ns : WORKER_BURN_SLICE_NS;
      this->burnt += Burn_cpu(slice);
      ns -= slice;
      if (atomic_load_explicit(stop, memory_order_relaxed))
         return false;
   }
   return true;
}

/* The record chain or the fused loop, then the stages' simulated costs: one span, timed as a whole
 * (a clock read per stage and record would cost more than most stages). False when the engine stopped. */
static bool worker_runChain(Worker* this, Batch* b, Dispatch d, bool timed, int64_t* ts) {
   Engine* e = this->engine;
   Work* work = &this->work;
   uint32_t in[STAGE_LAST];
   bool done = d == DISPATCH_FUSED ? Chain_runFused(e->pipe, work, b, in)
                                   : Chain_runRecords(e->pipe, work, b, e->variant, in);
   if (!done)
      return false;
   int64_t extra = 0;
   for (int s = 0; s < STAGE_LAST; s++)
      extra += atomic_load_explicit(&e->stage_cost[s], memory_order_relaxed) * in[s];
   if ((extra > 0 && !worker_burn(this, extra)) || Work_stopped(work))
      return false;
   if (timed) {
      int64_t te = Clock_now();
      engine_add(&this->chain_ns, (uint64_t)(te - *ts));
      engine_add(&this->chain_records, in[STAGE_FILTER]);
      *ts = te;
   }
   return true;
}

/* The stages in order, each with its simulated cost; timed: add each stage's time to the worker's;
 * sampled: the span's CPU time too. False when the engine stopped meanwhile: the batch is left
 * unfinished, and nothing is written. */
static bool worker_runStages(Worker* this, Batch* b, bool timed, bool sampled, StageSpan* out) {
   Engine* e = this->engine;
   Work* work = &this->work;
   Work_begin(work, e->pipe, b->n);
   StageSpan span = {0, sampled ? -Clock_threadCpu() : 0};
   int64_t ts = timed ? Clock_now() : 0;
   span.wall = -ts;
   Dispatch d = (Dispatch)atomic_load_explicit(&e->dispatch, memory_order_relaxed);
   if (d != DISPATCH_BATCH && !worker_runChain(this, b, d, timed, &ts))
      return false;
   for (int s = 0; s < STAGE_LAST && d == DISPATCH_BATCH; s++) {
      int v = atomic_load_explicit(&e->variant[s], memory_order_relaxed);
      uint32_t in = s == STAGE_FILTER ? b->n : work->nrows;
      Boxed_runStage(e->pipe, work, b, (StageId)s, (Variant)v);
      int64_t extra = atomic_load_explicit(&e->stage_cost[s], memory_order_relaxed);
      if ((extra > 0 && in > 0 && !worker_burn(this, extra * in)) || Work_stopped(work))
         return false;
      if (timed) {
         int64_t te = Clock_now();
         engine_add(&this->stage_ns[s], (uint64_t)(te - ts));
         engine_add(&this->stage_records[s], in);
         ts = te;
      }
   }
   span.wall += ts;
   if (sampled)
      span.cpu += Clock_threadCpu();
   Sequencer_output(e, b, work);
   *out = span;
   return true;
}

/* What conservation needs whatever the metrics: the counts, then the claim back to the queue
 * (b: the records processed, the claim itself or its merge). */
static void worker_completeBatch(Worker* this, Batch* claim, const Batch* b) {
   Work* work = &this->work;
   uint64_t delta[FILTER_LAST];
   for (int r = 0; r < FILTER_LAST; r++) {
      delta[r] = work->filtered[r] - this->filtered_seen[r];
      this->filtered_seen[r] = work->filtered[r];
   }
   engine_add(&this->records, b->n);
   Queue_complete(&this->engine->queue, this->id, claim, work->nrows, delta);
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

/* The claim's records as one packed batch the stages read: the claim itself when it is one packed batch,
 * else the worker's buffer, in order (natural batching merges several batches). A boxed record's fields
 * are looked up by name into it, and work->box keeps its object by index, so that the stages get and put
 * its fields through the map; the records of packed batches stay packed (NULL objects). */
static Batch* worker_view(Worker* this, Batch* claim) {
   Work* work = &this->work;
   work->box = NULL;
   if (!claim->next && !claim->box)
      return claim;
   uint32_t n = Queue_claimRecords(claim);
   if (!this->merged || this->merged->cap < n) {
      Batch_delete(this->merged);
      this->merged = Batch_new(n, claim->partition);
      free(this->boxes);
      this->boxes = xmalloc(((size_t)n + 1) * sizeof *this->boxes);
   }
   Batch* m = this->merged;
   m->n = 0;
   m->partition = claim->partition;
   bool boxed = false;
   for (const Batch* x = claim; x && !boxed; x = x->next)
      boxed = x->box != NULL;
   for (const Batch* x = claim; x; x = x->next) {
      if (x->box)
         for (uint32_t i = 0; i < x->n; i++) {
            m->rec[m->n + i] = Batch_record(x, i);
            this->boxes[m->n + i] = x->box[i];
         }
      else
         memcpy(m->rec + m->n, x->rec, (size_t)x->n * sizeof(Record));
      if (boxed && !x->box) /* a packed batch in a claim with boxed ones: its records stay packed */
         memset(this->boxes + m->n, 0, (size_t)x->n * sizeof *this->boxes);
      m->n += x->n;
   }
   if (boxed)
      work->box = this->boxes;
   return m;
}

/* A hand-off's busy time, to the partitions of its batches by their records: a claim of one worker
 * may take batches of several partitions (natural batching in seal order), and each partition was
 * worked on for its records' part of the time, not the whole. */
static void worker_partitionBusy(Engine* e, const Batch* claim, int64_t ns) {
   if (!claim->next) {
      engine_add(&e->part_busy_ns[claim->partition], (uint64_t)ns);
      return;
   }
   uint32_t n = Queue_claimRecords(claim);
   for (const Batch* x = claim; x && n > 0; x = x->next)
      engine_add(&e->part_busy_ns[x->partition], (uint64_t)((double)ns * x->n / n));
}

/* One hand-off: the claim's records through the stages, measured, then completed.
 * t_claim: when the worker had work (the claim's start, or when work came). False when the engine
 * stopped before it was done (the claim then stays counted in flight). */
static bool worker_handoff(Worker* this, Batch* claim, int64_t t_claim) {
   Engine* e = this->engine;
   bool full = !e->minimal_metrics;
   int64_t t_start = full ? Clock_now() : 0;
   bool sampled = full && t_start - this->sampled_t >= WORKER_CPU_SAMPLE_NS;
   int64_t cpu0 = sampled ? Clock_threadCpu() : 0;
   Batch* b = worker_view(this, claim);
   int64_t dispatch = atomic_load_explicit(&e->dispatch_cost, memory_order_relaxed);
   if (dispatch > 0 && !worker_burn(this, dispatch))
      return false;
   if (full)
      worker_checkOrder(this, b);
   StageSpan span;
   if (!worker_runStages(this, b, full, sampled, &span))
      return false;
   if (full)
      worker_measure(this, b, Clock_now());
   worker_completeBatch(this, claim, b);
   if (!full)
      return true;
   int64_t t_end = Clock_now();
   engine_add(&this->busy_ns, (uint64_t)(t_end - t_claim));
   /* from the claim's success: a claim that waited overlaps the previous holder's */
   worker_partitionBusy(e, claim, t_end - t_start);
   if (sampled) {
      int64_t cpu = Clock_threadCpu() - cpu0;
      this->sampled_t = t_end;
      engine_add(&this->smp_stage_wall, (uint64_t)span.wall);
      engine_add(&this->smp_stage_cpu, (uint64_t)span.cpu);
      engine_add(&this->smp_hand_cpu, (uint64_t)(cpu > span.cpu ? cpu - span.cpu : 0));
      engine_add(&this->smp_hands, 1);
   }
   return true;
}

static void* worker_main(void* arg) {
   Worker* this = arg;
   bool full = !this->engine->minimal_metrics;
   for (;;) {
      int64_t t0 = full ? Clock_now() : 0, t_ready = 0;
      Batch* b = Queue_claimTimed(&this->engine->queue, this->id, full ? &t_ready : NULL);
      if (!b)
         break;
      bool done = worker_handoff(this, b, t_ready > t0 ? t_ready : t0);
      Queue_recycle(&this->engine->queue, b);
      if (!done)
         break;
   }
   atomic_store_explicit(&this->cpu_exit, Clock_threadCpu(), memory_order_relaxed);
   return NULL;
}

uint32_t Worker_start(Engine* engine, uint32_t n, int* why) {
   *why = 0;
   while (atomic_load(&engine->n_workers_started) < n) {
      Worker* w = xcalloc(1, sizeof *w);
      w->engine = engine;
      w->id = atomic_load(&engine->n_workers_started);
      atomic_store(&w->last_event_t, INT64_MIN);
      Histogram_reset(&w->latency);
      Histogram_reset(&w->alert_delay);
      Work_init(&w->work, engine->pipe);
      w->work.stop = &engine->abort_work;
      engine->workers[w->id] = w;
      int rc = pthread_create(&w->thread, NULL, worker_main, w);
      if (rc != 0) {
         /* no more threads (a process or memory limit): the caller caps the knob at what runs */
         engine->workers[w->id] = NULL;
         Work_done(&w->work);
         free(w);
         *why = rc;
         break;
      }
      w->has_cpu_clock = pthread_getcpuclockid(w->thread, &w->cpu_clock) == 0;
      atomic_store_explicit(&engine->n_workers_started, w->id + 1, memory_order_release);
   }
   return atomic_load(&engine->n_workers_started);
}

void Worker_delete(Worker* this) {
   Work_done(&this->work);
   Batch_delete(this->merged);
   free(this->boxes);
   free(this);
}
