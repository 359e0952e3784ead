/*
 * source.c: the source thread. It pulls records from the Generator at their
 * scheduled times, appends each to its partition's open batch, and seals a
 * batch when it is full or when its linger time has passed in event time
 * (so batch boundaries depend only on the record stream: the same input
 * gives the same batches). It keeps time itself: it sleeps until the next
 * record is due, or spins when it is due sooner than --spin.
 *
 * The knobs it reads (batch, linger, the overflow policy and its cap, and
 * through the generator's retune the rate, burst and speed) it copies under
 * the knob lock when their version changes; everything else it owns alone.
 *
 * Offered, admitted: a record is admitted when it enters an open batch. The
 * source also knows its schedule: when it cannot admit a record when it is
 * due (--overflow block at the cap, or a source that cannot keep pace), the
 * records due by now and not admitted are behind, and it publishes
 * offered = admitted + behind, counted by the generator when it can (the
 * simulator's steady and burst schedules), else estimated from the
 * schedule's recent rate; and the scheduled arrival of the first record not
 * admitted, from which staleness counts.
 *
 * The memory cap is checked before every record, open batches included, so
 * the backlog never passes it: under block the source waits (held back),
 * under drop-newest and grow's safety cap the record is dropped, under
 * drop-oldest the oldest queued batch goes.
 */
#include "config.h"

#include "engine/engine_impl.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "base/clock.h"
#include "base/xalloc.h"
#include "core/boxed.h"

#define SOURCE_FIRST_CAP 16u /* records a new open batch has room for */
#define SOURCE_ASAP_CLOCK 16u /* as-soon-as-possible records per clock read */
#define SOURCE_OFFERED_EVERY 256u /* records between two updates of the offered count while admitting */
#define SOURCE_HELD_POLL_NS (10 * NS_PER_MS) /* held back: how often the offered count is updated */
#define SOURCE_RATE_MARK 1024u /* scheduled records between two marks of the schedule's rate (estimates) */
/* and schedule time at least between them: a burst's records share one time, and a rate over a
 * burst alone was records per nanosecond (a replayed burst at x100 was offered "23006P rec/s") */
#define SOURCE_RATE_SPAN_NS (100 * NS_PER_MS)
/* sealed batches handed to the queue under one lock: a sparse sensor's batch sealed by the linger holds
 * a record or two, and a lock, a clock read and a wake-up a batch cost more than reading its row */
#define SOURCE_STAGE_BATCHES 64u
/* records asked of the generator at once when they are played as soon as possible (GeneratorOps.nextBlock):
 * a call a record cost a replay about a tenth of reading its row */
#define SOURCE_BLOCK 64u

typedef enum SourceRoom {
   SOURCE_ADMIT, /* the record goes into its open batch */
   SOURCE_DROP,  /* the cap's policy dropped it (counted) */
   SOURCE_RETRY, /* the source must look at a stop, a pause or new knobs first */
} SourceRoom;

typedef struct OpenBatch {
   Batch* batch;
   Batch* spare; /* the buffer of the partition's last partial batch, for its next one */
   int64_t first_event;   /* event time of its first record: linger counts from it */
   int64_t first_arrival; /* arrival of its first record: staleness counts from it */
   bool boxed;            /* --layout boxed when it took its first record: sealed boxed */
   uint64_t promised;     /* boxed: the bytes its records will take once boxed, counted in open_bytes */
   struct OpenBatch* prev; /* creation order: the oldest open batch is the list head */
   struct OpenBatch* next;
} OpenBatch;

typedef struct Source {
   Engine* engine;
   OpenBatch open[QUEUE_PARTITIONS];
   OpenBatch* oldest;
   OpenBatch* newest;
   int16_t* partition_of; /* per sensor id, -1: not seen yet */
   uint32_t next_partition;
   uint32_t batch;        /* knobs as the source last read them */
   int64_t linger;
   uint32_t version;
   int64_t offset;        /* added to relative arrival times: the start plus time spent paused */
   int64_t event_max;     /* newest event time taken in (published as engine->event_read) */
   bool any;              /* a record has been taken in */
   uint32_t asap_run;     /* as-soon-as-possible records since the clock was last read for one; 0: read it */
   bool paused;           /* as the source last saw it */
   /* the cap, as the source last read it */
   Overflow overflow;
   uint64_t cap_records, cap_bytes, safety_bytes;
   bool capped;
   bool boxed;            /* --layout boxed, as the source last read it: batches opened from now on */
   uint64_t open_bytes;   /* allocated by the open batches (with what their boxed records will take), and the staged ones */
   /* sealed, not queued yet: handed over together (source_flush) before the source waits for anything,
    * and at least every SOURCE_STAGE_BATCHES batches or a batch size of records */
   Batch* staged;
   Batch* staged_tail;
   uint32_t staged_n;
   uint64_t staged_records;
   uint64_t staged_bytes;
   int64_t staged_oldest; /* arrival of the oldest staged record; INT64_MAX: none */
   BatchPool pool; /* small batches the workers are done with, refilled at each hand-over */
   /* a block from the generator: block[block_at..block_n) not taken yet. While it lasts the source looks at
    * no move, pause or knob change (only the stop), so that the record it holds when it does is the last
    * one the generator handed out */
   Record block[SOURCE_BLOCK];
   uint32_t block_at, block_n;
   /* offered and admitted */
   uint64_t admitted;     /* records that entered an open batch */
   int64_t held_due;      /* scheduled arrival of the record held (not admitted yet); INT64_MAX: none */
   uint64_t published;    /* the offered count last published */
   uint32_t since_update; /* records admitted since the offered count was last updated */
   double sched_rate;     /* records per ns of schedule, recently: estimates the records behind */
   uint64_t mark_n;
   int64_t mark_t;
} Source;

static void source_publishOldest(Source* s) {
   int64_t oldest = s->oldest ? s->oldest->first_arrival : INT64_MAX;
   if (s->staged_oldest < oldest)
      oldest = s->staged_oldest;
   atomic_store_explicit(&s->engine->open_oldest, oldest, memory_order_relaxed);
}

static void source_addOpenBytes(Source* s, int64_t delta) {
   s->open_bytes = (uint64_t)((int64_t)s->open_bytes + delta);
   atomic_store_explicit(&s->engine->open_bytes, s->open_bytes, memory_order_relaxed);
}

/* Publish offered = admitted + the records due by now and not admitted: the
 * generator counts those when it can, else they are estimated from the
 * schedule's recent rate. */
static void source_publishOffered(Source* s, int64_t now) {
   Engine* e = s->engine;
   uint64_t behind = 0;
   bool exact = true;
   if (s->held_due != INT64_MAX && s->held_due <= now) {
      if (e->gen->ops->due) {
         behind = 1 + e->gen->ops->due(e->gen, now - s->offset, &exact);
      } else {
         exact = false;
         behind = 1 + (uint64_t)((double)(now - s->held_due) * s->sched_rate);
      }
   }
   uint64_t offered = s->admitted + behind;
   if (offered != s->published) {
      s->published = offered;
      atomic_store_explicit(&e->offered, offered, memory_order_relaxed);
   }
   if (!exact)
      atomic_store_explicit(&e->offered_exact, false, memory_order_relaxed);
   s->since_update = 0;
}

/* The record the source now holds (have: there is one): its scheduled arrival, and the schedule's rate. */
static void source_hold(Source* s, bool have, const Record* next) {
   if (have && next->t_arrival != GENERATOR_ASAP) {
      s->held_due = Clock_after(s->offset, next->t_arrival);
      if (s->admitted - s->mark_n >= SOURCE_RATE_MARK &&
          (s->mark_n == 0 || next->t_arrival - s->mark_t >= SOURCE_RATE_SPAN_NS)) {
         if (next->t_arrival > s->mark_t && s->mark_n > 0)
            s->sched_rate = (double)(s->admitted - s->mark_n) / (double)(next->t_arrival - s->mark_t);
         s->mark_n = s->admitted;
         s->mark_t = next->t_arrival;
      }
   } else {
      s->held_due = INT64_MAX;
   }
   atomic_store_explicit(&s->engine->held_due, s->held_due, memory_order_relaxed);
}

/* Hand the staged batches to the queue (it may wait there under --overflow block). */
static void source_flush(Source* s) {
   if (!s->staged)
      return;
   Engine* e = s->engine;
   Batch* chain = s->staged;
   source_addOpenBytes(s, -(int64_t)s->staged_bytes);
   s->staged = s->staged_tail = NULL;
   s->staged_n = 0;
   s->staged_records = s->staged_bytes = 0;
   s->staged_oldest = INT64_MAX;
   source_publishOldest(s);
   for (Batch* b = Queue_pushChain(&e->queue, chain, Clock_now(), &s->pool); b;) {
      Batch* next = b->next;
      if (e->reorder)
         Sequencer_dropped(e, b);
      Batch_delete(b);
      b = next;
   }
   s->asap_run = 0; /* the push may have waited (--overflow block) */
}

static void source_stage(Source* s, Batch* b) {
   b->next = NULL;
   if (s->staged_tail)
      s->staged_tail->next = b;
   else
      s->staged = b;
   s->staged_tail = b;
   s->staged_n++;
   s->staged_records += b->n;
   s->staged_bytes += Batch_size(b);
   source_addOpenBytes(s, (int64_t)Batch_size(b));
   if (b->n && Batch_record(b, 0).t_arrival < s->staged_oldest)
      s->staged_oldest = Batch_record(b, 0).t_arrival;
   if (s->staged_n >= SOURCE_STAGE_BATCHES || s->staged_records >= s->batch)
      source_flush(s);
}

static void source_seal(Source* s, OpenBatch* ob) {
   Batch* b = ob->batch;
   source_addOpenBytes(s, -(int64_t)(Batch_bytes(b->cap) + ob->promised));
   ob->promised = 0;
   if (b->n < b->cap) {
      /* a partial batch goes out as an exact copy, so the memory cap counts the bytes it
       * holds, and the open buffer stays with the partition for its next batch: shrinking
       * it in place instead left the heap so fragmented that RSS reached 1.6x the cap
       * (tests/memcap.sh) */
      Batch* c = BatchPool_take(&s->pool, b->n, b->partition);
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
   if (ob->boxed)
      b = Batch_box(b); /* each record its own object: it stays boxed until a worker is done with it */
   source_stage(s, b);
   source_publishOldest(s);
}

/* Seal every open batch and hand them over. */
static void source_sealAll(Source* s) {
   while (s->oldest)
      source_seal(s, s->oldest);
   source_flush(s);
}

/* A batch takes records up to linger after its first one: seal those that
 * cannot take a record of event time t. The same rule runs before every
 * record and before every sleep, so batch boundaries never depend on
 * whether the source is ahead of its schedule or behind it. */
static void source_sealExpired(Source* s, int64_t t) {
   while (s->oldest && s->oldest->first_event < t - s->linger)
      source_seal(s, s->oldest);
}

static uint32_t source_partition(Source* s, uint32_t sensor) {
   if (sensor >= s->engine->id_space)
      return sensor % QUEUE_PARTITIONS;
   if (s->partition_of[sensor] < 0) {
      uint32_t p = s->next_partition++ % QUEUE_PARTITIONS;
      s->partition_of[sensor] = (int16_t)p;
      /* what the dashboard names a hot partition by: once per sensor, not per record */
      Engine* e = s->engine;
      if (atomic_fetch_add_explicit(&e->part_sensors[p], 1, memory_order_relaxed) == 0)
         atomic_store_explicit(&e->part_sensor[p], sensor, memory_order_relaxed);
   }
   return (uint32_t)s->partition_of[sensor];
}

static void source_append(Source* s, Record* r, uint32_t p) {
   Engine* e = s->engine;
   OpenBatch* ob = &s->open[p];
   r->seq = (uint32_t)s->admitted; /* the admission number: --ordered writes in its order */
   if (!ob->batch) {
      /* batches start small and double: a partition that gets few records before
       * its linger ends does not hold memory for a full batch */
      if (ob->spare) {
         ob->batch = ob->spare;
         ob->spare = NULL;
         ob->batch->n = 0;
      } else {
         ob->batch = BatchPool_take(&s->pool, s->batch < SOURCE_FIRST_CAP ? s->batch : SOURCE_FIRST_CAP, p);
      }
      source_addOpenBytes(s, (int64_t)Batch_bytes(ob->batch->cap));
      ob->first_event = r->t_event;
      ob->first_arrival = r->t_arrival;
      ob->boxed = s->boxed;
      if (ob->boxed) {
         ob->promised = Boxed_batchOverhead();
         source_addOpenBytes(s, (int64_t)ob->promised);
      }
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
      source_addOpenBytes(s, (int64_t)Batch_bytes(cap) - (int64_t)Batch_bytes(ob->batch->cap));
      ob->batch = Batch_resize(ob->batch, cap);
   }
   ob->batch->rec[ob->batch->n++] = *r;
   if (ob->boxed) {
      /* the cap counts what the record will take boxed, so sealing it can never pass the cap */
      ob->promised += Boxed_queuedBytes();
      source_addOpenBytes(s, (int64_t)Boxed_queuedBytes());
   }
   s->admitted++;
   if (!s->any || r->t_event > s->event_max) {
      if (!s->any)
         atomic_store_explicit(&e->event_first, r->t_event, memory_order_relaxed);
      s->any = true;
      s->event_max = r->t_event;
      atomic_store_explicit(&e->event_read, r->t_event, memory_order_relaxed);
   }
   /* the source thread is the only writer of pending (Queue_push runs here too): no locked add */
   atomic_store_explicit(&e->queue.pending, atomic_load_explicit(&e->queue.pending, memory_order_relaxed) + 1,
                         memory_order_relaxed);
   if (atomic_load_explicit(&e->tap, memory_order_relaxed)) {
      atomic_fetch_add(&e->tap_busy, 1);
      TapSlot* t = atomic_load(&e->tap);
      if (t)
         t->fn(t->ctx, r);
      atomic_fetch_add(&e->tap_busy, 1);
      s->asap_run = 0; /* the tap may have waited for its writer */
   }
   if (ob->batch->n >= s->batch)
      source_seal(s, ob);
}

/* Bytes a record adds to partition p's open batch: a new buffer, a doubling, or nothing; and in a boxed
 * batch, what it will take boxed (a new boxed batch: its overhead too). */
static uint64_t source_addBytes(const Source* s, uint32_t p) {
   const OpenBatch* ob = &s->open[p];
   if (!ob->batch) {
      uint64_t boxed = s->boxed ? Boxed_batchOverhead() + Boxed_queuedBytes() : 0;
      return boxed + (ob->spare ? Batch_bytes(ob->spare->cap)
                                : Batch_bytes(s->batch < SOURCE_FIRST_CAP ? s->batch : SOURCE_FIRST_CAP));
   }
   uint64_t boxed = ob->boxed ? Boxed_queuedBytes() : 0;
   if (ob->batch->n < ob->batch->cap)
      return boxed;
   uint32_t cap = ob->batch->cap * 2 < s->batch ? ob->batch->cap * 2 : s->batch;
   return boxed + Batch_bytes(cap) - Batch_bytes(ob->batch->cap);
}

static uint64_t source_pending(const Source* s) {
   return atomic_load_explicit(&s->engine->queue.pending, memory_order_relaxed);
}

/* Would one more record, adding add bytes, take the backlog (open batches included) over the cap? */
static bool source_over(const Source* s, uint64_t add) {
   if (!s->capped)
      return false;
   const Queue* q = &s->engine->queue;
   uint64_t bytes = atomic_load_explicit(&q->sealed_bytes, memory_order_relaxed) + s->open_bytes + add;
   if (s->overflow == OVERFLOW_GROW)
      return bytes > s->safety_bytes;
   uint64_t recs = atomic_load_explicit(&q->sealed_records, memory_order_relaxed) + source_pending(s) + 1;
   return (s->cap_records && recs > s->cap_records) || (s->cap_bytes && bytes > s->cap_bytes);
}

/* Whether a block's records are still being taken: the source looks at nothing but the stop meanwhile. */
static bool source_inBlock(const Source* s) {
   return s->block_at < s->block_n;
}

/* Whether the source must stop waiting and look at a stop, a pause or new knobs. */
static bool source_interrupted(const Source* s) {
   const Engine* e = s->engine;
   if (atomic_load_explicit(&e->source_stop, memory_order_relaxed))
      return true;
   return !source_inBlock(s) && (atomic_load_explicit(&e->paused, memory_order_relaxed) ||
          atomic_load_explicit(&e->moves_pending, memory_order_relaxed) ||
          atomic_load_explicit(&e->knob_version, memory_order_relaxed) != s->version);
}

/* Block: wait until the workers make room for a record of partition p; meanwhile the schedule goes on
 * and the records it offers are counted behind. SOURCE_RETRY when something else needs the source. */
static SourceRoom source_waitRoom(Source* s, uint32_t p) {
   Queue* q = &s->engine->queue;
   uint64_t add = source_addBytes(s, p);
   while (source_over(s, add)) {
      /* what is staged goes first: the workers can free only what is queued */
      source_flush(s);
      uint64_t pending = source_pending(s);
      bool open_over = (s->cap_records && pending + 1 > s->cap_records) ||
                       (s->cap_bytes && s->open_bytes + add > s->cap_bytes);
      if (open_over || atomic_load_explicit(&q->sealed_records, memory_order_relaxed) == 0) {
         /* the open batches alone are over the cap, or nothing is queued for a worker to free: seal one */
         if (!s->oldest)
            return SOURCE_ADMIT;
         source_seal(s, s->oldest);
         add = source_addBytes(s, p);
         continue;
      }
      uint64_t max_r = s->cap_records ? s->cap_records - pending - 1 : UINT64_MAX;
      uint64_t max_b = s->cap_bytes ? s->cap_bytes - s->open_bytes - add : UINT64_MAX;
      Queue_waitRoom(q, max_r, max_b, Clock_now() + SOURCE_HELD_POLL_NS);
      source_publishOffered(s, Clock_now());
      s->asap_run = 0;
      if (source_interrupted(s))
         return SOURCE_RETRY;
   }
   return SOURCE_ADMIT;
}

/* Room for a record of partition p under the cap and its policy. */
static SourceRoom source_room(Source* s, uint32_t p) {
   Queue* q = &s->engine->queue;
   uint64_t add = source_addBytes(s, p);
   if (!source_over(s, add))
      return SOURCE_ADMIT;
   switch (s->overflow) {
   case OVERFLOW_DROP_NEWEST:
      Queue_countSourceDrop(q, DROP_NEWEST, 1);
      return SOURCE_DROP;
   case OVERFLOW_GROW:
      Queue_countSourceDrop(q, DROP_SAFETY_CAP, 1);
      return SOURCE_DROP;
   case OVERFLOW_DROP_OLDEST:
      /* only in-flight and open batches left: accept rather than loop */
      source_flush(s);
      while (source_over(s, add) && Queue_dropOldestBatch(q)) {
      }
      return SOURCE_ADMIT;
   case OVERFLOW_BLOCK:
   case OVERFLOW_LAST:
      break;
   }
   return source_waitRoom(s, p);
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
   s->overflow = k.overflow;
   s->cap_records = k.max_backlog_records;
   s->cap_bytes = k.max_backlog_bytes;
   s->safety_bytes = k.safety_cap_bytes;
   s->capped = k.overflow == OVERFLOW_GROW ? s->safety_bytes > 0 : s->cap_records > 0 || s->cap_bytes > 0;
   s->boxed = k.layout == LAYOUT_BOXED;
   if (e->gen->ops->retune)
      e->gen->ops->retune(e->gen, &k);
   /* open batches larger than the new size are sealed now */
   for (OpenBatch* ob = s->oldest; ob;) {
      OpenBatch* next = ob->next;
      if (ob->batch->n >= s->batch)
         source_seal(s, ob);
      ob = next;
   }
   source_flush(s);
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
       atomic_load(&e->paused) == s->paused && !atomic_load(&e->moves_pending))
      pthread_cond_timedwait(&e->source_cond, &e->source_lock, &ts);
   pthread_mutex_unlock(&e->source_lock);
}

/* The record the source holds (next, when have), or (pending) must ask the generator for. */
typedef struct SourceHeld {
   Record* next;
   bool* have;
   bool* pending;
} SourceHeld;

static bool source_take(Source* s, Record* next, bool* pending, bool block);

/* Paused: play the burst held (the records of the held one's event time) now, and hold the next one. */
static void source_step(Source* s, SourceHeld* h, int64_t rel) {
   Engine* e = s->engine;
   if (*h->pending) {
      *h->have = source_take(s, h->next, h->pending, false);
      if (*h->pending)
         return;
   }
   char what[GENERATOR_MOVE_TEXT];
   if (!e->gen->ops->move(e->gen, GENERATOR_MOVE_STEP, 1, rel, *h->have ? h->next : NULL, what, sizeof what)) {
      Engine_event(e, "%s", what);
      return;
   }
   int64_t t = h->next->t_event;
   while (*h->have && h->next->t_event == t) {
      uint32_t p = source_partition(s, h->next->sensor);
      SourceRoom room = source_room(s, p);
      if (room == SOURCE_RETRY)
         break; /* held back at the cap (--overflow block): the rest of the burst waits */
      if (room == SOURCE_ADMIT) {
         h->next->t_arrival = Clock_now();
         source_append(s, h->next, p);
      }
      *h->have = source_take(s, h->next, h->pending, false);
      if (*h->pending)
         break;
   }
   source_sealAll(s);
   source_publishOffered(s, Clock_now());
   Engine_event(e, "%s", what);
}

/* One move of the input; a restart or a seek gives the held record back, and the generator is asked again. */
static void source_moveOne(Source* s, SourceHeld* h, GeneratorMove how, int count, int64_t rel) {
   Engine* e = s->engine;
   char what[GENERATOR_MOVE_TEXT];
   bool ok = e->gen->ops->move(e->gen, how, count, rel, *h->have && !*h->pending ? h->next : NULL, what, sizeof what);
   if (ok && how != GENERATOR_MOVE_LOOP) {
      *h->have = false;
      *h->pending = true;
   } else if (ok && !*h->have) {
      *h->pending = true; /* looping now: ask for the next pass */
   }
   Engine_event(e, "%s", what);
}

/* Apply the moves asked since the last look (rel: when the first record after a seek is scheduled). */
static void source_moves(Source* s, SourceHeld* h, int64_t rel) {
   Engine* e = s->engine;
   pthread_mutex_lock(&e->source_lock);
   SourceMoves m = e->moves;
   e->moves = (SourceMoves){.loop = -1};
   atomic_store(&e->moves_pending, false);
   pthread_mutex_unlock(&e->source_lock);
   if (m.restart)
      source_moveOne(s, h, GENERATOR_MOVE_RESTART, 0, rel);
   if (m.seek)
      source_moveOne(s, h, GENERATOR_MOVE_SEEK, m.seek, rel);
   if (m.loop >= 0)
      source_moveOne(s, h, GENERATOR_MOVE_LOOP, m.loop, rel);
   for (uint32_t i = 0; i < m.steps && atomic_load(&e->paused); i++)
      source_step(s, h, rel);
   source_hold(s, *h->have && !*h->pending, h->next);
}

/* Paused: seal what is open, wait for the resume (or the stop), and shift the schedule by the time paused.
 * Moves asked meanwhile take effect now, as of the moment the pause began. */
static void source_pause(Source* s, SourceHeld* h) {
   Engine* e = s->engine;
   source_sealAll(s);
   int64_t t0 = Clock_now();
   s->paused = true;
   while (atomic_load(&e->paused) && !atomic_load(&e->source_stop)) {
      if (atomic_load(&e->moves_pending))
         source_moves(s, h, t0 - s->offset);
      else
         source_wait(s, Clock_now() + ENGINE_TICK_NS);
   }
   s->paused = false;
   s->asap_run = 0;
   int64_t paused_for = Clock_now() - t0;
   s->offset += paused_for;
   if (e->gen->ops->paused)
      e->gen->ops->paused(e->gen, paused_for);
}

/* The next record (of event time t) is due at due, later than now: a batch
 * whose linger ends before t cannot grow, so it goes now; then wait for the
 * record (or for a tick, to look at the knobs and the stop flag again). */
static void source_idle(Source* s, int64_t t, int64_t due, int64_t now) {
   Engine* e = s->engine;
   source_sealExpired(s, t);
   source_flush(s);
   if (due - now <= e->spin_ns) {
      /* --spin: keep the CPU rather than pay a wake-up before a record due this soon */
      while (Clock_now() < due && !atomic_load_explicit(&e->source_stop, memory_order_relaxed)) {
      }
   } else {
      source_wait(s, due < now + ENGINE_TICK_NS ? due : now + ENGINE_TICK_NS);
   }
   s->asap_run = 0;
}

static Source* source_new(Engine* e) {
   Source* s = xcalloc(1, sizeof *s);
   s->engine = e;
   s->partition_of = xmalloc(e->id_space * sizeof *s->partition_of);
   for (uint32_t i = 0; i < e->id_space; i++)
      s->partition_of[i] = -1;
   s->offset = e->t_start;
   s->staged_oldest = INT64_MAX;
   source_readKnobs(s);
   return s;
}

/* The input ended (or failed): say so, then wait for the stop, or for a move that gives it more records (a
 * restart, a seek back, loop on): true then. */
static bool source_ended(Source* s, SourceHeld* h) {
   Engine* e = s->engine;
   source_sealAll(s);
   source_publishOffered(s, Clock_now());
   if (e->gen->ops->error && e->gen->ops->error(e->gen))
      atomic_store(&e->source_failed, true);
   atomic_store(&e->source_done, true);
   while (!atomic_load(&e->source_stop)) {
      if (atomic_load(&e->knob_version) != s->version)
         source_readKnobs(s);
      s->paused = atomic_load(&e->paused); /* nothing to pause: only so the wait below waits */
      if (atomic_load(&e->moves_pending)) {
         source_moves(s, h, Clock_now() - s->offset);
         if (*h->pending) {
            s->paused = false;
            atomic_store(&e->source_done, false);
            return true;
         }
      }
      source_wait(s, Clock_now() + ENGINE_TICK_NS);
   }
   return false;
}

static void source_delete(Source* s) {
   source_sealAll(s);
   source_dropSpares(s, 0);
   BatchPool_done(&s->pool);
   free(s->partition_of);
   free(s);
}

/* The next record from the generator into *next: true with it; false at the end of a finite source, or
 * (*pending) when a live input has nothing yet: then a live input that says it is idle has its open
 * batches sealed (nothing more is known of them), and the caller looks at its flags and asks again.
 * block: it may be the first of a block (the main loop, which takes the rest before anything else). */
static bool source_take(Source* s, Record* next, bool* pending, bool block) {
   Generator* g = s->engine->gen;
   *pending = false;
   if (source_inBlock(s)) {
      *next = s->block[s->block_at++];
      return true;
   }
   if (g->ops->wait) {
      /* what is staged goes to the queue before the source waits for an input */
      GeneratorWait w = g->ops->wait(g, s->staged ? 0 : ENGINE_TICK_NS);
      if (w != GENERATOR_READY && s->staged) {
         source_flush(s);
         w = g->ops->wait(g, ENGINE_TICK_NS);
      }
      if (w != GENERATOR_READY) {
         if (w == GENERATOR_IDLE)
            source_sealAll(s);
         s->asap_run = 0;
         *pending = true;
         return false;
      }
   }
   if (block && g->ops->nextBlock) {
      size_t n = g->ops->nextBlock(g, s->block, SOURCE_BLOCK);
      if (n > 0) {
         *next = s->block[0];
         s->block_n = (uint32_t)n;
         s->block_at = 1;
         return true;
      }
   }
   return g->ops->next(g, next);
}

void* Source_main(void* arg) {
   Engine* e = arg;
#ifdef __linux__
   /* the default 50 us timer slack would make every record that much late: the source keeps time */
   prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
#endif
   Source* s = source_new(e);
   Record next;
   int64_t now = 0;
   bool have = false, pending = true;
   SourceHeld held = {.next = &next, .have = &have, .pending = &pending};
   while (!atomic_load_explicit(&e->source_stop, memory_order_relaxed)) {
      /* a block's records are taken first: only then is anything else looked at (the stop aside) */
      if (!source_inBlock(s)) {
         if (atomic_load_explicit(&e->knob_version, memory_order_relaxed) != s->version) {
            source_readKnobs(s);
            /* a new replay speed applies to the record already held, not only to the next one */
            if (have && e->gen->ops->retime)
               e->gen->ops->retime(e->gen, &next);
            source_hold(s, have, &next);
         }
         if (atomic_load_explicit(&e->paused, memory_order_relaxed)) {
            source_pause(s, &held);
            source_hold(s, have && !pending, &next);
            continue;
         }
         if (atomic_load_explicit(&e->moves_pending, memory_order_relaxed)) {
            source_moves(s, &held, Clock_now() - s->offset);
            continue;
         }
      }
      if (pending) {
         have = source_take(s, &next, &pending, false);
         if (pending)
            continue;
         source_hold(s, have, &next);
      }
      if (!have) {
         if (source_ended(s, &held))
            continue;
         break;
      }
      /* the clock is read only when the next record is not already known to be due;
       * as-soon-as-possible records (--speed max) take their arrival time from a clock
       * read once per SOURCE_ASAP_CLOCK of them, and again after anything that may have
       * waited (a push, the tap, a pause, a sleep): a read costs as much as batching a
       * record, and stamping a few records a fraction of a microsecond early is far
       * below any latency the dashboard shows */
      if (next.t_arrival == GENERATOR_ASAP && s->asap_run++ % SOURCE_ASAP_CLOCK == 0)
         now = Clock_now();
      int64_t due = next.t_arrival == GENERATOR_ASAP ? now : Clock_after(s->offset, next.t_arrival);
      if (due > now) {
         now = Clock_now();
         if (due > now) {
            if (s->published != s->admitted)
               source_publishOffered(s, now); /* on schedule: nothing behind */
            source_idle(s, next.t_event, due, now);
            continue;
         }
      }
      source_sealExpired(s, next.t_event);
      uint32_t p = source_partition(s, next.sensor);
      SourceRoom room = source_room(s, p);
      if (room == SOURCE_RETRY)
         continue;
      if (room == SOURCE_ADMIT) {
         next.t_arrival = due;
         source_append(s, &next, p);
      }
      have = source_take(s, &next, &pending, true);
      if (!pending)
         source_hold(s, have, &next);
      if (++s->since_update >= SOURCE_OFFERED_EVERY) {
         /* behind the schedule the clock is not read per record: count what is behind now and then */
         now = Clock_now();
         source_publishOffered(s, now);
      }
   }
   source_delete(s);
   atomic_store_explicit(&e->source_cpu_exit, Clock_threadCpu(), memory_order_relaxed);
   return NULL;
}
