/*
 * engine.c: the threads around the core.
 *
 *   source   pulls records from the Generator at their scheduled times,
 *            appends each to its partition's open batch, and seals a batch
 *            when it is full or when its linger time has passed in event
 *            time (so batch boundaries depend only on the record stream:
 *            the same input gives the same batches);
 *   workers  claim the oldest available batch, run the stage chain on it,
 *            write the format stage's text, and complete it;
 *   monitor  every tick (100 ms) turns the counters into a Snapshot and a
 *            HistorySample.
 *
 * Hot-path rules: a worker touches shared state only through the queue's
 * lock, once to claim and once to complete a batch; everything it measures
 * goes into its own Worker slot as single-writer atomics that the monitor
 * reads without a lock.
 */
#include "config.h"

#include "engine/engine.h"

#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "core/burn.h"
#include "base/clock.h"
#include "base/memlimit.h"
#include "core/model.h"
#include "engine/queue.h"
#include "base/stats.h"
#include "base/sysinfo.h"
#include "base/units.h"
#include "base/xalloc.h"


#define WINDOW_TICKS 10   /* rates and windowed percentiles cover the last second */
#define HISTORY_EVENTS 256
#define LONG_TICKS 600 /* the long window's ring: up to 60 s of ticks */

typedef struct LongSample {
   int64_t t;
   uint64_t generated, completed;
   double backlog;
} LongSample;

typedef struct Worker {
   struct Engine* engine;
   uint32_t id;
   pthread_t thread;
   Work work;
   uint64_t filtered_seen[FILTER_LAST]; /* work.filtered at the last completion */
   uint64_t burnt; /* keeps the simulated work observable */
   /* single writer (this worker), read by the monitor */
   _Atomic uint64_t stage_ns[STAGE_LAST];
   _Atomic uint64_t stage_records[STAGE_LAST];
   _Atomic uint64_t busy_ns;
   _Atomic uint64_t records;
   _Atomic uint64_t alerts;
   _Atomic uint64_t cache_hits;
   _Atomic uint64_t cache_misses;
   _Atomic uint64_t order_violations;
   _Atomic int64_t last_event_t; /* newest event time completed */
   Histogram latency;
   Histogram alert_delay;
} Worker;

/* Cumulative totals at one tick; windowed figures are differences of two. */
typedef struct Totals {
   int64_t t;
   uint64_t generated, completed, dropped, alerts, batches, records;
   uint64_t stage_ns[STAGE_LAST];
   uint64_t stage_records[STAGE_LAST];
   uint64_t busy_ns;
   int64_t cpu_ns;
   double backlog;
   uint64_t part_done[QUEUE_PARTITIONS];
   Histogram latency;
   Histogram alert_delay;
} Totals;

struct Engine {
   Pipeline* pipe;
   Generator* gen;
   Queue queue;
   /* the tap: two slots, the source calls the one `tap` points to; tap_busy is odd while it does */
   struct TapSlot {
      EngineTap fn;
      void* ctx;
   } tap_slot[2];
   _Atomic(struct TapSlot*) tap;
   _Atomic uint64_t tap_busy;
   int tap_next;
   EngineStartHook on_start;
   void* start_ctx;
   int64_t t_start;
   uint32_t id_space;
   int64_t spin_ns;
   bool minimal_metrics;

   /* output (--output) */
   int output_fd;
   pthread_mutex_t output_lock;
   bool output_failed;           /* under output_lock */
   _Atomic uint64_t output_bytes;

   /* knobs: written under knob_lock, version bumped so the source notices */
   pthread_mutex_t knob_lock;
   Knobs knobs;
   _Atomic uint32_t knob_version;
   _Atomic int variant[STAGE_LAST];
   _Atomic int64_t dispatch_cost;
   _Atomic int64_t stage_cost[STAGE_LAST];

   /* source */
   pthread_t source_thread;
   pthread_mutex_t source_lock;
   pthread_cond_t source_cond;
   _Atomic bool source_stop;
   _Atomic bool paused;
   _Atomic bool source_done;
   _Atomic uint64_t pending;   /* records in the source's open batches */
   _Atomic int64_t open_oldest;/* event time of the oldest record in an open batch, INT64_MAX: none */
   bool source_started;

   /* workers */
   Worker* workers[QUEUE_MAX_WORKERS];
   _Atomic uint32_t n_workers_started; /* release-stored after the slot is ready */
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
   _Atomic bool monitor_stop;
   _Atomic bool reset_window;
   pthread_mutex_t snap_lock;
   pthread_cond_t snap_cond;
   Snapshot snap;      /* newest, under snap_lock */
   History history;    /* under snap_lock */
   char error[160];    /* under snap_lock */
   LongSample* long_ring; /* monitor thread only */
   uint32_t long_n, long_head;
   Totals* ring;       /* monitor thread only */
   uint32_t ring_n, ring_head;
   uint64_t snap_seq;
   Histogram latency_total; /* monitor's scratch */
};

static uint64_t engine_load(const _Atomic uint64_t* p) {
   return atomic_load_explicit(p, memory_order_relaxed);
}

/* Single-writer add: a relaxed load and store, no read-modify-write. */
static void engine_add(_Atomic uint64_t* p, uint64_t v) {
   atomic_store_explicit(p, atomic_load_explicit(p, memory_order_relaxed) + v, memory_order_relaxed);
}

static void engine_setError(Engine* this, const char* msg) {
   pthread_mutex_lock(&this->snap_lock);
   if (!this->error[0])
      snprintf(this->error, sizeof this->error, "%s", msg);
   pthread_mutex_unlock(&this->snap_lock);
}

static void engine_event(Engine* this, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

static void engine_event(Engine* this, const char* fmt, ...) {
   char text[48];
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(text, sizeof text, fmt, ap);
   va_end(ap);
   pthread_mutex_lock(&this->snap_lock);
   History_addEvent(&this->history, Clock_now(), text);
   pthread_mutex_unlock(&this->snap_lock);
}

/* ---------------------------------------------------------------- output */

static void engine_write(Engine* this, const char* buf, size_t len) {
   if (this->output_fd < 0 || len == 0)
      return;
   pthread_mutex_lock(&this->output_lock);
   while (len > 0 && !this->output_failed) {
      ssize_t n = write(this->output_fd, buf, len);
      if (n < 0 && errno == EINTR)
         continue;
      if (n < 0) {
         char msg[160];
         snprintf(msg, sizeof msg, "writing --output failed: %s; output stopped, the pipeline goes on", strerror(errno));
         this->output_failed = true;
         engine_setError(this, msg);
         break;
      }
      buf += n;
      len -= (size_t)n;
      engine_add(&this->output_bytes, (uint64_t)n);
   }
   pthread_mutex_unlock(&this->output_lock);
}

/* ---------------------------------------------------------------- workers */

static void engine_pushAlerts(Engine* this, Worker* w, int64_t t_done) {
   Work* work = &w->work;
   if (work->nalerts == 0)
      return;
   for (uint32_t i = 0; i < work->nalerts; i++) {
      Alert* a = &work->alerts[i];
      a->t_raised = t_done;
      int64_t delay = t_done - a->t_event;
      Histogram_record(&w->alert_delay, delay > 0 ? (uint64_t)delay : 0);
   }
   engine_add(&w->alerts, work->nalerts);
   pthread_mutex_lock(&this->alert_lock);
   for (uint32_t i = 0; i < work->nalerts; i++) {
      this->recent[this->recent_head] = work->alerts[i];
      this->recent_head = (this->recent_head + 1) % SNAPSHOT_ALERTS;
      if (this->recent_n < SNAPSHOT_ALERTS)
         this->recent_n++;
   }
   pthread_mutex_unlock(&this->alert_lock);
}

/* Per-sensor order: a record must never come after a later one of the same sensor. */
static void engine_checkOrder(Engine* this, Worker* w, const Batch* b) {
   uint64_t bad = 0;
   for (uint32_t i = 0; i < b->n; i++) {
      uint32_t s = b->rec[i].sensor;
      if (s >= this->id_space)
         continue;
      if (this->order_seen[s] && (int32_t)(b->rec[i].seq - this->order_last[s]) <= 0)
         bad++;
      this->order_seen[s] = 1;
      this->order_last[s] = b->rec[i].seq;
   }
   if (bad)
      engine_add(&w->order_violations, bad);
}

/* The stages in order, each with its simulated cost; timed: add each stage's time to the worker's. */
static void engine_runStages(Engine* this, Worker* w, Batch* b, bool timed) {
   Work* work = &w->work;
   Work_begin(work, this->pipe, b->n);
   int64_t ts = timed ? Clock_now() : 0;
   for (int s = 0; s < STAGE_LAST; s++) {
      int v = atomic_load_explicit(&this->variant[s], memory_order_relaxed);
      uint32_t in = s == STAGE_FILTER ? b->n : work->nrows;
      Stage_table[s].run[v](this->pipe, work, b);
      int64_t extra = atomic_load_explicit(&this->stage_cost[s], memory_order_relaxed);
      if (extra > 0 && in > 0)
         w->burnt += Burn_cpu(extra * in);
      if (timed) {
         int64_t te = Clock_now();
         engine_add(&w->stage_ns[s], (uint64_t)(te - ts));
         engine_add(&w->stage_records[s], in);
         ts = te;
      }
   }
   engine_write(this, work->out.buf, work->out.len);
}

/* What conservation needs whatever the metrics: the counts, then the batch back to the queue. */
static void engine_completeBatch(Engine* this, Worker* w, Batch* b) {
   Work* work = &w->work;
   uint64_t delta[FILTER_LAST];
   for (int r = 0; r < FILTER_LAST; r++) {
      delta[r] = work->filtered[r] - w->filtered_seen[r];
      w->filtered_seen[r] = work->filtered[r];
   }
   engine_add(&w->records, b->n);
   Queue_complete(&this->queue, w->id, b, work->nrows, delta);
}

static void engine_processBatch(Engine* this, Worker* w, Batch* b) {
   Work* work = &w->work;
   bool full = !this->minimal_metrics;
   int64_t t0 = full ? Clock_now() : 0;
   int64_t dispatch = atomic_load_explicit(&this->dispatch_cost, memory_order_relaxed);
   if (dispatch > 0)
      w->burnt += Burn_cpu(dispatch);
   if (full)
      engine_checkOrder(this, w, b);
   engine_runStages(this, w, b, full);
   if (full) {
      int64_t t_done = Clock_now();
      int64_t newest = INT64_MIN;
      for (uint32_t i = 0; i < b->n; i++)
         if (b->rec[i].t_event > newest)
            newest = b->rec[i].t_event;
      Histogram_recordLatencies(&w->latency, &b->rec[0].t_event, sizeof(Record), b->n, t_done);
      if (newest > atomic_load_explicit(&w->last_event_t, memory_order_relaxed))
         atomic_store_explicit(&w->last_event_t, newest, memory_order_relaxed);
      engine_pushAlerts(this, w, t_done);
      atomic_store_explicit(&w->cache_hits, work->cache_hits, memory_order_relaxed);
      atomic_store_explicit(&w->cache_misses, work->cache_misses, memory_order_relaxed);
      engine_add(&w->busy_ns, (uint64_t)(t_done - t0));
   }
   engine_completeBatch(this, w, b);
}

static void* engine_workerMain(void* arg) {
   Worker* w = arg;
   Engine* this = w->engine;
   Batch* b;
   while ((b = Queue_claim(&this->queue, w->id)) != NULL) {
      engine_processBatch(this, w, b);
      Batch_delete(b);
   }
   return NULL;
}

/* Start workers up to n (they are never stopped before the end: extra ones just wait). */
static void engine_startWorkers(Engine* this, uint32_t n) {
   while (atomic_load(&this->n_workers_started) < n) {
      Worker* w = xcalloc(1, sizeof *w);
      w->engine = this;
      w->id = atomic_load(&this->n_workers_started);
      atomic_store(&w->last_event_t, INT64_MIN);
      Histogram_reset(&w->latency);
      Histogram_reset(&w->alert_delay);
      Work_init(&w->work, this->pipe);
      this->workers[w->id] = w;
      pthread_create(&w->thread, NULL, engine_workerMain, w);
      atomic_store_explicit(&this->n_workers_started, w->id + 1, memory_order_release);
   }
}

/* ---------------------------------------------------------------- source */

#define SOURCE_FIRST_CAP 16u /* records a new open batch has room for */
#define SOURCE_ASAP_CLOCK 16u /* as-soon-as-possible records per clock read */

typedef struct OpenBatch {
   Batch* batch;
   Batch* spare; /* the buffer of the partition's last partial batch, for its next one */
   int64_t first_t;
   struct OpenBatch* prev; /* creation order: the oldest open batch is the list head */
   struct OpenBatch* next;
} OpenBatch;

typedef struct Source {
   Engine* engine;
   OpenBatch open[QUEUE_PARTITIONS];
   OpenBatch* oldest;
   OpenBatch* newest;
   int16_t* partition_of; /* per sensor id, -1: not seen yet */
   uint32_t* seq_next;    /* per sensor id */
   uint32_t next_partition;
   uint32_t batch;        /* knobs as the source last read them */
   int64_t linger;
   uint32_t version;
   int64_t offset;        /* added to relative event times: the start plus time spent paused */
   uint32_t asap_run;     /* as-soon-as-possible records since the clock was last read for one; 0: read it */
   bool paused;           /* as the source last saw it */
} Source;

static void source_publishOldest(Source* s) {
   atomic_store_explicit(&s->engine->open_oldest, s->oldest ? s->oldest->first_t : INT64_MAX, memory_order_relaxed);
}

static void source_seal(Source* s, OpenBatch* ob) {
   Engine* e = s->engine;
   Batch* b = ob->batch;
   if (b->n < b->cap) {
      /* a partial batch goes out as an exact copy, so the memory cap counts the bytes it
       * holds, and the open buffer stays with the partition for its next batch: shrinking
       * it in place instead left the heap so fragmented that RSS reached 1.6x the cap
       * (tests/memcap.sh) */
      Batch* c = Batch_new(b->n, b->partition);
      memcpy(c->rec, b->rec, (size_t)b->n * sizeof(Record));
      c->n = b->n;
      if (b->cap <= s->batch)
         ob->spare = b;
      else
         Batch_delete(b); /* from before a smaller --batch */
      b = c;
   }
   if (ob->prev)
      ob->prev->next = ob->next;
   else
      s->oldest = ob->next;
   if (ob->next)
      ob->next->prev = ob->prev;
   else
      s->newest = ob->prev;
   ob->prev = ob->next = NULL;
   ob->batch = NULL;
   source_publishOldest(s);
   if (Queue_push(&e->queue, b, Clock_now()) == QUEUE_DROPPED)
      Batch_delete(b);
   s->asap_run = 0; /* the push may have waited (--overflow block) */
}

static void source_sealAll(Source* s) {
   while (s->oldest)
      source_seal(s, s->oldest);
}

/* A batch takes records up to linger after its first one: seal those that
 * cannot take a record of event time t. The same rule runs before every
 * record and before every sleep, so batch boundaries never depend on
 * whether the source is ahead of its schedule or behind it. */
static void source_sealExpired(Source* s, int64_t t) {
   while (s->oldest && s->oldest->first_t + s->linger < t)
      source_seal(s, s->oldest);
}

static uint32_t source_partition(Source* s, uint32_t sensor) {
   if (sensor >= s->engine->id_space)
      return sensor % QUEUE_PARTITIONS;
   if (s->partition_of[sensor] < 0)
      s->partition_of[sensor] = (int16_t)(s->next_partition++ % QUEUE_PARTITIONS);
   return (uint32_t)s->partition_of[sensor];
}

static void source_append(Source* s, Record* r) {
   Engine* e = s->engine;
   uint32_t p = source_partition(s, r->sensor);
   OpenBatch* ob = &s->open[p];
   if (r->sensor < e->id_space)
      r->seq = s->seq_next[r->sensor]++;
   if (!ob->batch) {
      /* batches start small and double: a partition that gets few records before
       * its linger ends does not hold memory for a full batch */
      if (ob->spare) {
         ob->batch = ob->spare;
         ob->spare = NULL;
         ob->batch->n = 0;
      } else {
         ob->batch = Batch_new(s->batch < SOURCE_FIRST_CAP ? s->batch : SOURCE_FIRST_CAP, p);
      }
      ob->first_t = r->t_event;
      ob->prev = s->newest;
      ob->next = NULL;
      if (s->newest)
         s->newest->next = ob;
      else
         s->oldest = ob;
      s->newest = ob;
      source_publishOldest(s);
   }
   if (ob->batch->n == ob->batch->cap) {
      uint32_t cap = ob->batch->cap * 2 < s->batch ? ob->batch->cap * 2 : s->batch;
      ob->batch = Batch_resize(ob->batch, cap);
   }
   ob->batch->rec[ob->batch->n++] = *r;
   /* the source thread is the only writer of pending (Queue_push runs here too): no locked add */
   atomic_store_explicit(&e->queue.pending, atomic_load_explicit(&e->queue.pending, memory_order_relaxed) + 1,
                         memory_order_relaxed);
   if (atomic_load_explicit(&e->tap, memory_order_relaxed)) {
      atomic_fetch_add(&e->tap_busy, 1);
      struct TapSlot* t = atomic_load(&e->tap);
      if (t)
         t->fn(t->ctx, r);
      atomic_fetch_add(&e->tap_busy, 1);
      s->asap_run = 0; /* the tap may have waited for its writer */
   }
   if (ob->batch->n >= s->batch)
      source_seal(s, ob);
}

/* Free the spare buffers with room for more than cap records (cap 0: all of them). */
static void source_dropSpares(Source* s, uint32_t cap) {
   for (uint32_t p = 0; p < QUEUE_PARTITIONS; p++) {
      if (s->open[p].spare && s->open[p].spare->cap > cap) {
         Batch_delete(s->open[p].spare);
         s->open[p].spare = NULL;
      }
   }
}

static void source_readKnobs(Source* s) {
   Engine* e = s->engine;
   pthread_mutex_lock(&e->knob_lock);
   Knobs k = e->knobs;
   s->version = atomic_load(&e->knob_version);
   pthread_mutex_unlock(&e->knob_lock);
   s->batch = k.batch;
   s->linger = k.linger_ns;
   if (e->gen->ops->retune)
      e->gen->ops->retune(e->gen, &k);
   /* open batches larger than the new size are sealed now */
   for (OpenBatch* ob = s->oldest; ob;) {
      OpenBatch* next = ob->next;
      if (ob->batch->n >= s->batch)
         source_seal(s, ob);
      ob = next;
   }
   source_dropSpares(s, s->batch);
}

/* Sleep until deadline unless something the source must look at changes:
 * a stop, a pause or resume, or new knobs (checked under the lock that every
 * waker takes, so no wake-up is lost). */
static void source_wait(Source* s, int64_t deadline) {
   Engine* e = s->engine;
   struct timespec ts = {.tv_sec = (time_t)(deadline / NS_PER_SEC), .tv_nsec = (long)(deadline % NS_PER_SEC)};
   pthread_mutex_lock(&e->source_lock);
   if (!atomic_load(&e->source_stop) && atomic_load(&e->knob_version) == s->version &&
       atomic_load(&e->paused) == s->paused)
      pthread_cond_timedwait(&e->source_cond, &e->source_lock, &ts);
   pthread_mutex_unlock(&e->source_lock);
}

static void* engine_sourceMain(void* arg) {
   Engine* e = arg;
#ifdef __linux__
   /* the default 50 us timer slack would make every record that much late: the source keeps time */
   prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
#endif
   Source* s = xcalloc(1, sizeof *s);
   s->engine = e;
   s->partition_of = xmalloc(e->id_space * sizeof *s->partition_of);
   for (uint32_t i = 0; i < e->id_space; i++)
      s->partition_of[i] = -1;
   s->seq_next = xcalloc(e->id_space, sizeof *s->seq_next);
   s->offset = e->t_start;
   source_readKnobs(s);

   Record next;
   int64_t now = 0;
   bool have = e->gen->ops->next(e->gen, &next);
   while (!atomic_load_explicit(&e->source_stop, memory_order_relaxed)) {
      if (atomic_load_explicit(&e->knob_version, memory_order_relaxed) != s->version) {
         source_readKnobs(s);
         /* a new replay speed applies to the record already held, not only to the next one */
         if (have && e->gen->ops->retime)
            e->gen->ops->retime(e->gen, &next);
      }
      if (atomic_load_explicit(&e->paused, memory_order_relaxed)) {
         source_sealAll(s);
         int64_t t0 = Clock_now();
         s->paused = true;
         while (atomic_load(&e->paused) && !atomic_load(&e->source_stop))
            source_wait(s, Clock_now() + ENGINE_TICK_NS);
         s->paused = false;
         s->asap_run = 0;
         int64_t paused_for = Clock_now() - t0;
         s->offset += paused_for;
         if (e->gen->ops->paused)
            e->gen->ops->paused(e->gen, paused_for);
         continue;
      }
      if (!have) {
         source_sealAll(s);
         atomic_store(&e->source_done, true);
         while (!atomic_load(&e->source_stop))
            source_wait(s, Clock_now() + ENGINE_TICK_NS);
         break;
      }
      /* the clock is read only when the next record is not already known to be due;
       * as-soon-as-possible records (--speed max) take their arrival time from a clock
       * read once per SOURCE_ASAP_CLOCK of them, and again after anything that may have
       * waited (a push, the tap, a pause, a sleep): a read costs as much as batching a
       * record, and stamping a few records a fraction of a microsecond early is far
       * below any latency the dashboard shows */
      if (next.t_event == GENERATOR_ASAP && s->asap_run++ % SOURCE_ASAP_CLOCK == 0)
         now = Clock_now();
      int64_t due = next.t_event == GENERATOR_ASAP ? now : s->offset + next.t_event;
      if (due > now) {
         now = Clock_now();
         if (due > now) {
            /* nothing is due: a batch whose linger ends before the next record cannot grow, so it goes now */
            source_sealExpired(s, due);
            if (due - now <= e->spin_ns) {
               /* --spin: keep the CPU rather than pay a wake-up before a record due this soon */
               while (Clock_now() < due && !atomic_load_explicit(&e->source_stop, memory_order_relaxed)) {
               }
            } else {
               source_wait(s, due < now + ENGINE_TICK_NS ? due : now + ENGINE_TICK_NS);
            }
            s->asap_run = 0;
            continue;
         }
      }
      next.t_event = due;
      source_sealExpired(s, due);
      source_append(s, &next);
      have = e->gen->ops->next(e->gen, &next);
   }
   source_sealAll(s);
   source_dropSpares(s, 0);
   free(s->partition_of);
   free(s->seq_next);
   free(s);
   return NULL;
}

/* ---------------------------------------------------------------- monitor */

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

typedef struct PendingRead {
   Engine* engine;
   uint64_t pending;
} PendingRead;

static void monitor_readPending(void* ctx) {
   PendingRead* r = ctx;
   r->pending = atomic_load_explicit(&r->engine->queue.pending, memory_order_relaxed);
}

/* Rates and the backlog trend over the long window. */
static void monitor_long(Engine* this, Snapshot* s, const Totals* now) {
   this->long_ring[this->long_head] = (LongSample){now->t, now->generated, now->completed, now->backlog};
   this->long_head = (this->long_head + 1) % LONG_TICKS;
   if (this->long_n < LONG_TICKS)
      this->long_n++;
   int64_t span = 10 * NS_PER_SEC;
   if (s->knobs.arrival == ARRIVAL_BURST && s->knobs.every_ns * 5 / 2 > span)
      span = s->knobs.every_ns * 5 / 2;
   if (span > (int64_t)LONG_TICKS * ENGINE_TICK_NS)
      span = (int64_t)LONG_TICKS * ENGINE_TICK_NS;
   s->long_span_ns = span;
   /* take the samples within span, newest backwards */
   StatsFit fit = {0};
   const LongSample* first = NULL;
   for (uint32_t i = 0; i < this->long_n; i++) {
      const LongSample* x = &this->long_ring[(this->long_head + LONG_TICKS - 1 - i) % LONG_TICKS];
      if (now->t - x->t > span)
         break;
      Stats_fitAdd(&fit, (double)(x->t - now->t) / 1e9, x->backlog);
      first = x;
   }
   if (!first || first->t >= now->t)
      return;
   double dt = (double)(now->t - first->t) / 1e9;
   s->long_window_s = dt;
   s->in_rate_long = (double)(now->generated - first->generated) / dt;
   s->out_rate_long = (double)(now->completed - first->completed) / dt;
   s->backlog_trend = Stats_fitSlope(&fit);
}

/* The model's predictions from this snapshot's measurements. */
/* The backlog cap in records: the cap in records, or a cap in bytes (the safety cap under grow)
 * at the bytes per record the backlog holds now (0: unknown while the backlog is empty). */
static double monitor_backlogCap(const Snapshot* s) {
   const Knobs* k = &s->knobs;
   double per =
       s->backlog_records > 0 && s->backlog_bytes > 0 ? (double)s->backlog_bytes / (double)s->backlog_records : 0;
   if (k->overflow == OVERFLOW_GROW)
      return per > 0 ? (double)k->safety_cap_bytes / per : 0;
   if (k->max_backlog_records)
      return (double)k->max_backlog_records;
   return per > 0 ? (double)k->max_backlog_bytes / per : 0;
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

static void monitor_take(Engine* this) {
   QueueCounts c;
   PendingRead pr = {.engine = this};
   Queue_counts(&this->queue, &c, monitor_readPending, &pr);

   if (atomic_exchange(&this->reset_window, false)) {
      this->ring_n = 0;
      this->long_n = 0;
   }
   Totals* now = &this->ring[this->ring_head];
   monitor_totals(this, now, &c, pr.pending);
   /* the oldest tick still in the window is the reference of every rate */
   uint32_t have = this->ring_n < WINDOW_TICKS ? this->ring_n : WINDOW_TICKS;
   const Totals* ref = &this->ring[(this->ring_head + WINDOW_TICKS + 1 - have) % (WINDOW_TICKS + 1)];
   this->ring_head = (this->ring_head + 1) % (WINDOW_TICKS + 1);
   if (this->ring_n < WINDOW_TICKS + 1)
      this->ring_n++;

   Snapshot* s = xcalloc(1, sizeof *s);
   s->t = now->t;
   s->uptime_s = (double)(now->t - this->t_start) / 1e9;
   s->generated = now->generated;
   s->processed = c.processed;
   s->filtered = c.filtered;
   s->dropped = c.dropped;
   s->queued = c.queued + pr.pending;
   s->in_flight = c.in_flight;
   memcpy(s->filtered_by, c.filtered_by, sizeof s->filtered_by);
   memcpy(s->dropped_by, c.dropped_by, sizeof s->dropped_by);
   s->backlog_records = s->queued + s->in_flight;
   s->backlog_batches = c.queued_batches;
   s->backlog_bytes = c.queued_bytes + c.in_flight_bytes;
   s->peak_backlog_records = c.peak_records > s->backlog_records ? c.peak_records : s->backlog_records;
   s->safety_cap_hit = c.safety_cap_hit;
   int64_t oldest = c.oldest_t;
   int64_t open_oldest = atomic_load_explicit(&this->open_oldest, memory_order_relaxed);
   if (pr.pending > 0 && open_oldest < oldest)
      oldest = open_oldest;
   s->oldest_age_ns = oldest == INT64_MAX || oldest > now->t ? 0 : now->t - oldest;

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
   s->output_lag_ns = newest_done == INT64_MIN || newest_done > now->t ? 0 : now->t - newest_done;
   s->cache_hits = hits;
   s->cache_misses = misses;
   s->order_violations = violations;
   s->batches_done = c.batches_done;
   s->alerts = now->alerts;

   double dt = have ? (double)(now->t - ref->t) / 1e9 : 0;
   s->window_s = dt;
   uint64_t window_stage_ns = 0;
   for (int st = 0; st < STAGE_LAST; st++) {
      s->stage[st].ns = now->stage_ns[st];
      s->stage[st].records = now->stage_records[st];
      if (have)
         window_stage_ns += now->stage_ns[st] - ref->stage_ns[st];
   }
   Histogram* scratch = &this->latency_total;
   if (dt > 0) {
      s->in_rate = (double)(now->generated - ref->generated) / dt;
      s->out_rate = (double)(now->completed - ref->completed) / dt;
      s->drop_rate = (double)(now->dropped - ref->dropped) / dt;
      s->backlog_rate = (now->backlog - ref->backlog) / dt;
      s->alert_rate = (double)(now->alerts - ref->alerts) / dt;
      s->busy = (double)(now->busy_ns - ref->busy_ns) / 1e9 / dt;
      s->cpu_process = (double)(now->cpu_ns - ref->cpu_ns) / 1e9 / dt;
      uint64_t nb = now->batches - ref->batches;
      s->records_per_batch = nb ? (double)(now->records - ref->records) / (double)nb : 0;
      uint64_t busy = now->busy_ns - ref->busy_ns;
      s->overhead_ns_per_batch = nb && busy > window_stage_ns ? (double)(busy - window_stage_ns) / (double)nb : 0;
      uint64_t done = 0, top = 0;
      for (uint32_t p = 0; p < QUEUE_PARTITIONS; p++) {
         uint64_t d = now->part_done[p] - ref->part_done[p];
         done += d;
         if (d > top)
            top = d;
      }
      s->hot_share = done ? (double)top / (double)done : 0;
      for (int st = 0; st < STAGE_LAST; st++) {
         uint64_t ns = now->stage_ns[st] - ref->stage_ns[st];
         uint64_t n = now->stage_records[st] - ref->stage_records[st];
         s->stage[st].share = window_stage_ns ? (double)ns / (double)window_stage_ns : 0;
         s->stage[st].ns_per_record = n ? (double)ns / (double)n : 0;
      }
      Histogram_diff(scratch, &now->latency, &ref->latency);
      Histogram_percentiles(scratch, &s->latency_window);
      Histogram_diff(scratch, &now->alert_delay, &ref->alert_delay);
      Histogram_percentiles(scratch, &s->alert_delay_window);
   }
   Histogram_percentiles(&now->latency, &s->latency_total);

   pthread_mutex_lock(&this->alert_lock);
   s->n_recent = this->recent_n;
   for (uint32_t i = 0; i < this->recent_n; i++)
      s->recent[i] = this->recent[(this->recent_head + SNAPSHOT_ALERTS - 1 - i) % SNAPSHOT_ALERTS];
   pthread_mutex_unlock(&this->alert_lock);

   s->ncpu = Sysinfo_cpuCount();
   s->output_bytes = engine_load(&this->output_bytes);
   s->rss_bytes = Sysinfo_rss();
   s->source_done = atomic_load(&this->source_done);
   pthread_mutex_lock(&this->knob_lock);
   s->knobs = this->knobs;
   pthread_mutex_unlock(&this->knob_lock);
   s->threads_running = s->knobs.threads;
   s->backlog_cap_records = monitor_backlogCap(s);
   /* the share past the filter, over the window the stage costs cover (since the start while it saw none) */
   uint64_t win_in = have ? now->stage_records[STAGE_FILTER] - ref->stage_records[STAGE_FILTER] : 0;
   uint64_t win_out = have ? now->stage_records[STAGE_NORMALIZE] - ref->stage_records[STAGE_NORMALIZE] : 0;
   if (win_in > 0)
      s->passed_share = (double)win_out / (double)win_in;
   else
      s->passed_share = s->stage[STAGE_FILTER].records
                            ? (double)s->stage[STAGE_NORMALIZE].records / (double)s->stage[STAGE_FILTER].records
                            : 1;
   monitor_long(this, s, now);
   monitor_forecast(s);

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
   free(s);
}

static void* engine_monitorMain(void* arg) {
   Engine* this = arg;
   int64_t next = this->t_start + ENGINE_TICK_NS;
   while (!atomic_load(&this->monitor_stop)) {
      Clock_sleepUntil(next);
      if (atomic_load(&this->monitor_stop))
         break;
      monitor_take(this);
      next += ENGINE_TICK_NS;
      int64_t now = Clock_now();
      if (next < now) /* fell behind (suspended): skip the missed ticks, no burst of catch-up samples */
         next = now + ENGINE_TICK_NS;
   }
   return NULL;
}

/* ---------------------------------------------------------------- lifecycle */

Engine* Engine_new(const EngineSetup* setup) {
   Engine* this = xcalloc(1, sizeof *this);
   const Knobs* k = &setup->knobs;
   this->gen = setup->generator;
   this->pipe = Pipeline_new(setup->params);
   this->id_space = setup->params->id_space;
   if (setup->tap) {
      this->tap_slot[0] = (struct TapSlot){setup->tap, setup->tap_ctx};
      atomic_store(&this->tap, &this->tap_slot[0]);
      this->tap_next = 1;
   }
   this->on_start = setup->on_start;
   this->start_ctx = setup->tap_ctx;
   this->output_fd = setup->output_fd;
   this->minimal_metrics = setup->minimal_metrics;
   this->spin_ns = setup->spin_ns;
   /* a hard cap for --overflow grow, within the memory the machine and the process limits allow */
   uint64_t safety_bytes = Memlimit_safetyCap(Sysinfo_physicalMemory());
   Queue_init(&this->queue, k->overflow, k->max_backlog_records, k->max_backlog_bytes, safety_bytes);
   Queue_setActive(&this->queue, k->threads);
   Queue_setSpin(&this->queue, setup->spin_ns);
   pthread_mutex_init(&this->output_lock, NULL);
   pthread_mutex_init(&this->knob_lock, NULL);
   pthread_mutex_init(&this->source_lock, NULL);
   pthread_mutex_init(&this->alert_lock, NULL);
   pthread_mutex_init(&this->snap_lock, NULL);
   pthread_condattr_t attr;
   pthread_condattr_init(&attr);
   pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
   pthread_cond_init(&this->source_cond, &attr);
   pthread_cond_init(&this->snap_cond, &attr);
   pthread_condattr_destroy(&attr);
   History_init(&this->history, ENGINE_HISTORY_SAMPLES, HISTORY_EVENTS);
   this->ring = xcalloc(WINDOW_TICKS + 1, sizeof *this->ring);
   this->long_ring = xcalloc(LONG_TICKS, sizeof *this->long_ring);
   this->order_last = xcalloc(this->id_space, sizeof *this->order_last);
   this->order_seen = xcalloc(this->id_space, 1);
   atomic_store(&this->open_oldest, INT64_MAX);
   this->knobs = *k;
   this->knobs.safety_cap_bytes = safety_bytes;
   this->knobs.paused = false;
   atomic_store(&this->dispatch_cost, k->dispatch_cost_ns);
   for (int s = 0; s < STAGE_LAST; s++) {
      atomic_store(&this->variant[s], (int)k->variant[s]);
      atomic_store(&this->stage_cost[s], k->stage_cost_ns[s]);
   }
   Pipeline_setWindow(this->pipe, k->window);
   if (this->output_fd >= 0) {
      OutBuf header = {0};
      Pipeline_formatHeader(&header);
      engine_write(this, header.buf, header.len);
      free(header.buf);
   }
   return this;
}

void Engine_start(Engine* this) {
   this->t_start = Clock_now();
   Pipeline_setOrigin(this->pipe, this->t_start);
   if (this->on_start)
      this->on_start(this->start_ctx, this->t_start);
   engine_startWorkers(this, this->knobs.threads);
   pthread_create(&this->monitor_thread, NULL, engine_monitorMain, this);
   this->monitor_started = true;
   pthread_create(&this->source_thread, NULL, engine_sourceMain, this);
   this->source_started = true;
}

static void engine_wakeSource(Engine* this) {
   pthread_mutex_lock(&this->source_lock);
   pthread_cond_broadcast(&this->source_cond);
   pthread_mutex_unlock(&this->source_lock);
}

void Engine_stop(Engine* this, bool drain, int64_t timeout_ns) {
   if (this->stopped)
      return; /* the final snapshot is already taken */
   this->stopped = true;
   if (this->source_started) {
      atomic_store(&this->source_stop, true);
      Queue_stopSource(&this->queue);
      engine_wakeSource(this);
      pthread_join(this->source_thread, NULL);
      this->source_started = false;
   }
   if (drain)
      Queue_waitEmpty(&this->queue, Clock_now() + timeout_ns);
   Queue_stop(&this->queue);
   for (uint32_t i = 0; i < atomic_load(&this->n_workers_started); i++)
      pthread_join(this->workers[i]->thread, NULL);
   if (this->monitor_started) {
      atomic_store(&this->monitor_stop, true);
      pthread_join(this->monitor_thread, NULL);
      this->monitor_started = false;
   }
   monitor_take(this); /* the final state, after every thread has stopped */
}

void Engine_delete(Engine* this) {
   if (!this)
      return;
   Engine_stop(this, false, 0);
   for (uint32_t i = 0; i < atomic_load(&this->n_workers_started); i++) {
      Work_done(&this->workers[i]->work);
      free(this->workers[i]);
   }
   Queue_done(&this->queue);
   if (this->gen && this->gen->ops->destroy)
      this->gen->ops->destroy(this->gen);
   Pipeline_delete(this->pipe);
   History_done(&this->history);
   free(this->ring);
   free(this->long_ring);
   free(this->order_last);
   free(this->order_seen);
   pthread_cond_destroy(&this->source_cond);
   pthread_cond_destroy(&this->snap_cond);
   pthread_mutex_destroy(&this->output_lock);
   pthread_mutex_destroy(&this->knob_lock);
   pthread_mutex_destroy(&this->source_lock);
   pthread_mutex_destroy(&this->alert_lock);
   pthread_mutex_destroy(&this->snap_lock);
   free(this);
}

/* ---------------------------------------------------------------- reading */

void Engine_snapshot(Engine* this, Snapshot* out) {
   pthread_mutex_lock(&this->snap_lock);
   *out = this->snap;
   pthread_mutex_unlock(&this->snap_lock);
}

size_t Engine_history(Engine* this, HistorySample* out, size_t max) {
   pthread_mutex_lock(&this->snap_lock);
   size_t n = History_copy(&this->history, out, max);
   pthread_mutex_unlock(&this->snap_lock);
   return n;
}

size_t Engine_events(Engine* this, HistoryEvent* out, size_t max) {
   pthread_mutex_lock(&this->snap_lock);
   size_t n = History_copyEvents(&this->history, out, max);
   pthread_mutex_unlock(&this->snap_lock);
   return n;
}

uint64_t Engine_waitSnapshot(Engine* this, uint64_t seq, int64_t timeout_ns) {
   int64_t deadline = Clock_now() + timeout_ns;
   struct timespec ts = {.tv_sec = (time_t)(deadline / NS_PER_SEC), .tv_nsec = (long)(deadline % NS_PER_SEC)};
   pthread_mutex_lock(&this->snap_lock);
   while (this->snap_seq <= seq) {
      if (pthread_cond_timedwait(&this->snap_cond, &this->snap_lock, &ts) == ETIMEDOUT)
         break;
   }
   uint64_t now = this->snap_seq;
   pthread_mutex_unlock(&this->snap_lock);
   return now;
}

bool Engine_finished(Engine* this) {
   if (!atomic_load(&this->source_done))
      return false;
   QueueCounts c;
   PendingRead pr = {.engine = this};
   Queue_counts(&this->queue, &c, monitor_readPending, &pr);
   return c.queued == 0 && c.in_flight == 0 && pr.pending == 0;
}

/* ---------------------------------------------------------------- control */

/* The knobs changed: bump their version and wake the source so it reads them. */
static void engine_knobsChanged(Engine* this) {
   atomic_fetch_add(&this->knob_version, 1);
   engine_wakeSource(this);
}

void Engine_setVariant(Engine* this, StageId stage, Variant v) {
   if ((unsigned)stage >= STAGE_LAST || (unsigned)v >= VARIANT_LAST)
      return;
   pthread_mutex_lock(&this->knob_lock);
   this->knobs.variant[stage] = v;
   pthread_mutex_unlock(&this->knob_lock);
   atomic_store(&this->variant[stage], (int)v);
   engine_event(this, "%s %s", Stage_table[stage].name, Variant_name(v));
}

void Engine_setPaused(Engine* this, bool paused) {
   pthread_mutex_lock(&this->knob_lock);
   this->knobs.paused = paused;
   pthread_mutex_unlock(&this->knob_lock);
   atomic_store(&this->paused, paused);
   engine_wakeSource(this);
   engine_event(this, paused ? "source paused" : "source resumed");
}

void Engine_resetWindowed(Engine* this) {
   atomic_store(&this->reset_window, true);
   engine_event(this, "statistics reset");
}

void Engine_setStageCost(Engine* this, StageId stage, int64_t ns) {
   if ((unsigned)stage >= STAGE_LAST)
      return;
   if (ns < 0)
      ns = 0;
   pthread_mutex_lock(&this->knob_lock);
   this->knobs.stage_cost_ns[stage] = ns;
   pthread_mutex_unlock(&this->knob_lock);
   atomic_store(&this->stage_cost[stage], ns);
   char d[16];
   Units_formatDuration(d, sizeof d, ns);
   engine_event(this, "%s cost %s (sim)", Stage_table[stage].name, d);
}

void Engine_latency(Engine* this, Histogram* out) {
   Histogram_reset(out);
   uint32_t nw = atomic_load_explicit(&this->n_workers_started, memory_order_acquire);
   for (uint32_t i = 0; i < nw; i++)
      Histogram_add(out, &this->workers[i]->latency);
}

int64_t Engine_origin(const Engine* this) {
   return this->t_start;
}

void Engine_setTap(Engine* this, EngineTap tap, void* ctx) {
   struct TapSlot* slot = NULL;
   if (tap) {
      slot = &this->tap_slot[this->tap_next];
      this->tap_next ^= 1;
      *slot = (struct TapSlot){tap, ctx};
   }
   atomic_store(&this->tap, slot);
   /* a call that began before the swap may still hold the old slot: wait for it to end */
   uint64_t busy = atomic_load(&this->tap_busy);
   if (busy % 2)
      while (atomic_load(&this->tap_busy) == busy)
         sched_yield();
}

void Engine_mark(Engine* this, const char* text) {
   engine_event(this, "%s", text);
}

void Engine_setKnob(Engine* this, KnobId id, double value) {
   if ((unsigned)id >= KNOB_LAST || !Knob_table[id].live)
      return;
   pthread_mutex_lock(&this->knob_lock);
   Knobs_set(&this->knobs, id, value);
   Knobs k = this->knobs;
   pthread_mutex_unlock(&this->knob_lock);
   const char* note = "";
   switch (id) {
   case KNOB_BATCH:
   case KNOB_LINGER:
   case KNOB_RATE:
   case KNOB_BURST:
   case KNOB_EVERY:
   case KNOB_SPEED:
      engine_knobsChanged(this); /* the source reads these */
      break;
   case KNOB_THREADS:
      if (this->monitor_started)
         engine_startWorkers(this, k.threads);
      Queue_setActive(&this->queue, k.threads);
      break;
   case KNOB_OVERFLOW:
      Queue_setPolicy(&this->queue, k.overflow, k.max_backlog_records, k.max_backlog_bytes);
      break;
   case KNOB_WINDOW:
      Pipeline_setWindow(this->pipe, k.window);
      break;
   case KNOB_DISPATCH_COST:
      atomic_store(&this->dispatch_cost, k.dispatch_cost_ns);
      note = " (sim)";
      break;
   case KNOB_ARRIVAL:
   case KNOB_STALE_LIMIT:
   case KNOB_LAST:
      break;
   }
   char text[24];
   Knob_format(id, Knobs_get(&k, id), text, sizeof text);
   engine_event(this, "%s %s%s", Knob_table[id].name, text, note);
}
