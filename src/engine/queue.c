/* queue.c: partitions, the ready heap, the memory cap and the overflow policies. */
#include "config.h"

#include "engine/queue.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"

static uint64_t queue_headSeq(const Queue* this, uint32_t p) {
   return this->part[p].head_seq;
}

static void queue_heapSwap(Queue* this, uint32_t i, uint32_t j) {
   uint32_t a = this->heap[i], b = this->heap[j];
   this->heap[i] = b;
   this->heap[j] = a;
   this->part[b].heap_at = (int)i;
   this->part[a].heap_at = (int)j;
}

static void queue_heapUp(Queue* this, uint32_t i) {
   while (i > 0) {
      uint32_t parent = (i - 1) / 2;
      if (queue_headSeq(this, this->heap[parent]) <= queue_headSeq(this, this->heap[i]))
         break;
      queue_heapSwap(this, i, parent);
      i = parent;
   }
}

static void queue_heapDown(Queue* this, uint32_t i) {
   for (;;) {
      uint32_t l = 2 * i + 1, r = l + 1, m = i;
      if (l < this->heap_n && queue_headSeq(this, this->heap[l]) < queue_headSeq(this, this->heap[m]))
         m = l;
      if (r < this->heap_n && queue_headSeq(this, this->heap[r]) < queue_headSeq(this, this->heap[m]))
         m = r;
      if (m == i)
         return;
      queue_heapSwap(this, i, m);
      i = m;
   }
}

static void queue_heapPush(Queue* this, uint32_t p) {
   uint32_t i = this->heap_n++;
   atomic_store_explicit(&this->ready, this->heap_n, memory_order_relaxed);
   this->heap[i] = p;
   this->part[p].heap_at = (int)i;
   queue_heapUp(this, i);
}

static void queue_heapRemove(Queue* this, uint32_t p) {
   uint32_t i = (uint32_t)this->part[p].heap_at;
   uint32_t last = --this->heap_n;
   atomic_store_explicit(&this->ready, this->heap_n, memory_order_relaxed);
   if (i != last) {
      queue_heapSwap(this, i, last);
      queue_heapDown(this, i);
      queue_heapUp(this, i);
   }
   this->part[p].heap_at = -1;
}

void Queue_init(Queue* this, Overflow overflow, uint64_t cap_records, uint64_t cap_bytes, uint64_t safety_bytes) {
   memset(this, 0, sizeof *this);
   pthread_mutex_init(&this->lock, NULL);
   pthread_condattr_t attr;
   pthread_condattr_init(&attr);
   pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
   pthread_cond_init(&this->work, &attr);
   pthread_cond_init(&this->space, &attr);
   pthread_cond_init(&this->idle, &attr);
   pthread_condattr_destroy(&attr);
   for (uint32_t p = 0; p < QUEUE_PARTITIONS; p++)
      this->part[p].heap_at = -1;
   for (uint32_t w = 0; w < QUEUE_MAX_WORKERS; w++)
      this->held_t[w] = INT64_MAX;
   this->overflow = overflow;
   this->cap_records = cap_records;
   this->cap_bytes = cap_bytes;
   this->safety_bytes = safety_bytes;
   this->active = 1;
   this->next_seq = 1;
   this->c.oldest_t = INT64_MAX;
}

void Queue_done(Queue* this) {
   for (uint32_t p = 0; p < QUEUE_PARTITIONS; p++) {
      Batch* b = this->part[p].head;
      while (b) {
         Batch* next = b->next;
         Batch_delete(b);
         b = next;
      }
      this->part[p].head = this->part[p].tail = NULL;
   }
   BatchPool_done(&this->pool);
   pthread_cond_destroy(&this->work);
   pthread_cond_destroy(&this->space);
   pthread_cond_destroy(&this->idle);
   pthread_mutex_destroy(&this->lock);
}

static void queue_timedWait(pthread_cond_t* cond, pthread_mutex_t* lock, int64_t deadline) {
   struct timespec ts = {.tv_sec = (time_t)(deadline / NS_PER_SEC), .tv_nsec = (long)(deadline % NS_PER_SEC)};
   pthread_cond_timedwait(cond, lock, &ts);
}

/* Would adding a batch of n records and bytes go over the cap in force? */
static bool queue_over(const Queue* this, uint64_t n, uint64_t bytes) {
   if (this->c.queued + this->c.in_flight == 0)
      return false; /* a batch larger than the cap goes when nothing else is held: waiting would wait forever */
   uint64_t recs = this->c.queued + this->c.in_flight + n;
   uint64_t mem = this->c.queued_bytes + this->c.in_flight_bytes + bytes;
   if (this->overflow == OVERFLOW_GROW)
      return this->safety_bytes && mem > this->safety_bytes;
   if (this->cap_records && recs > this->cap_records)
      return true;
   if (this->cap_bytes && mem > this->cap_bytes)
      return true;
   return false;
}

/* The source reads these without the lock, before every record. */
static void queue_publishSealed(Queue* this) {
   atomic_store_explicit(&this->sealed_records, this->c.queued + this->c.in_flight, memory_order_relaxed);
   atomic_store_explicit(&this->sealed_bytes, this->c.queued_bytes + this->c.in_flight_bytes, memory_order_relaxed);
}

static void queue_unlink(Queue* this, uint32_t p, Batch* b) {
   Partition* part = &this->part[p];
   part->head = b->next;
   if (part->head)
      part->head_seq = part->head->seq;
   else
      part->tail = NULL;
   part->batches--;
   this->c.queued -= b->n;
   this->c.queued_batches--;
   this->c.queued_bytes -= Batch_size(b);
}

/* Drop the oldest queued batch (smallest seal number), if any. */
static bool queue_dropOldest(Queue* this) {
   int best = -1;
   for (uint32_t p = 0; p < QUEUE_PARTITIONS; p++)
      if (this->part[p].head && (best < 0 || this->part[p].head->seq < queue_headSeq(this, (uint32_t)best)))
         best = (int)p;
   if (best < 0)
      return false;
   Partition* part = &this->part[best];
   Batch* b = part->head;
   bool in_heap = part->heap_at >= 0;
   if (in_heap)
      queue_heapRemove(this, (uint32_t)best);
   queue_unlink(this, (uint32_t)best, b);
   if (in_heap && part->head)
      queue_heapPush(this, (uint32_t)best);
   this->c.dropped += b->n;
   this->c.dropped_by[DROP_OLDEST] += b->n;
   queue_publishSealed(this);
   if (this->on_drop)
      this->on_drop(this->on_drop_ctx, b);
   Batch_delete(b);
   return true;
}

void Queue_onDrop(Queue* this, void (*fn)(void* ctx, const Batch* b), void* ctx) {
   this->on_drop = fn;
   this->on_drop_ctx = ctx;
}

/* The batch leaves the source's hands: from pending to entered (under the lock). */
static void queue_enter(Queue* this, const Batch* b) {
   this->c.entered += b->n;
   /* only the source thread writes pending, and this runs on it */
   atomic_store_explicit(&this->pending, atomic_load_explicit(&this->pending, memory_order_relaxed) - b->n,
                         memory_order_relaxed);
}

/* Queue b under the lock (it may wait there under block); *woke: a worker was given a partition to take. */
static QueuePush queue_pushLocked(Queue* this, Batch* b, int64_t now, bool* woke) {
   uint64_t bytes = Batch_size(b);
   QueuePush result = QUEUE_ACCEPTED;
   /* while the source waits for room, the batch is still pending: it is counted
    * as entered only once it is queued or dropped, so a snapshot taken during
    * the wait (which releases the lock) still balances */
   while (queue_over(this, b->n, bytes)) {
      if (this->overflow == OVERFLOW_GROW || this->overflow == OVERFLOW_DROP_NEWEST) {
         DropReason why = this->overflow == OVERFLOW_GROW ? DROP_SAFETY_CAP : DROP_NEWEST;
         if (why == DROP_SAFETY_CAP)
            this->c.safety_cap_hit = true;
         queue_enter(this, b);
         this->c.dropped += b->n;
         this->c.dropped_by[why] += b->n;
         return QUEUE_DROPPED;
      }
      if (this->overflow == OVERFLOW_DROP_OLDEST) {
         if (!queue_dropOldest(this))
            break; /* only in-flight batches are left: accept rather than loop */
         continue;
      }
      /* block: wait for room; a stop request ends the wait and the batch is still queued */
      if (this->stopping || this->source_stop) {
         result = QUEUE_STOPPED;
         break;
      }
      if (*woke) {
         /* batches queued earlier in this chain wait for a worker that was not told yet */
         pthread_cond_signal(&this->work);
         *woke = false;
      }
      this->source_waiting = true;
      queue_timedWait(&this->space, &this->lock, Clock_now() + 100 * NS_PER_MS);
      this->source_waiting = false;
   }
   queue_enter(this, b);
   b->seq = this->next_seq++;
   this->c.batches_queued++;
   b->t_sealed = now;
   b->next = NULL;
   Partition* part = &this->part[b->partition];
   if (part->tail) {
      part->tail->next = b;
   } else {
      part->head = b;
      part->head_seq = b->seq;
   }
   part->tail = b;
   part->batches++;
   this->c.queued += b->n;
   this->c.queued_batches++;
   this->c.queued_bytes += bytes;
   queue_publishSealed(this);
   uint64_t backlog = this->c.queued + this->c.in_flight + atomic_load_explicit(&this->pending, memory_order_relaxed);
   if (backlog > this->c.peak_records)
      this->c.peak_records = backlog;
   if (!part->held && part->heap_at < 0) {
      queue_heapPush(this, b->partition);
      *woke = true;
   }
   return result;
}

QueuePush Queue_push(Queue* this, Batch* b, int64_t now) {
   bool woke = false;
   pthread_mutex_lock(&this->lock);
   QueuePush result = queue_pushLocked(this, b, now, &woke);
   if (woke)
      pthread_cond_signal(&this->work);
   pthread_mutex_unlock(&this->lock);
   return result;
}

Batch* Queue_pushChain(Queue* this, Batch* chain, int64_t now, BatchPool* refill) {
   Batch* dropped = NULL;
   Batch** dropped_tail = &dropped;
   bool woke = false;
   pthread_mutex_lock(&this->lock);
   while (chain) {
      Batch* b = chain;
      chain = b->next;
      if (queue_pushLocked(this, b, now, &woke) == QUEUE_DROPPED) {
         b->next = NULL;
         *dropped_tail = b;
         dropped_tail = &b->next;
      }
   }
   /* one wake-up for the chain: a worker that claims passes it on while more is ready */
   if (woke)
      pthread_cond_signal(&this->work);
   if (refill)
      BatchPool_refill(refill, &this->pool);
   pthread_mutex_unlock(&this->lock);
   return dropped;
}

void Queue_recycle(Queue* this, Batch* chain) {
   Batch* unkept = NULL;
   pthread_mutex_lock(&this->lock);
   while (chain) {
      Batch* b = chain;
      chain = b->next;
      if (!BatchPool_put(&this->pool, b)) {
         b->next = unkept;
         unkept = b;
      }
   }
   pthread_mutex_unlock(&this->lock);
   /* freed outside the lock */
   while (unkept) {
      Batch* next = unkept->next;
      Batch_delete(unkept);
      unkept = next;
   }
}

/* Take b (the head of partition p, out of the heap) into a claim: unlinked, in flight, its partition held. */
static void queue_take(Queue* this, uint32_t p, Batch* b) {
   queue_unlink(this, p, b);
   this->part[p].held = true;
   this->c.in_flight += b->n;
   this->c.in_flight_bytes += Batch_size(b);
   b->next = NULL;
}

/* Natural batching (the LMAX Disruptor's smart batching): behind its first batch b, a claim takes what
 * is queued up to the batch size in force, so the batch size, not how the source happened to seal
 * (its linger runs on event time: a sparse sensor seals a batch a record), sets the hand-off. With one
 * active worker it takes batches of any partition in seal order, so the claim's records, and one
 * worker's --output, follow the record stream whatever was queued at the moment; with several it takes
 * only b's own partition, which no other worker may process meanwhile (a claim never holds
 * partitions another worker could use). They follow b through next, in order. */
static void queue_claimMore(Queue* this, uint32_t p, Batch* b) {
   uint32_t target = this->claim_target;
   uint32_t n = b->n;
   Batch* last = b;
   bool any = this->active <= 1;
   /* with one worker the claim's own partitions stay in the heap while it grows, each keyed by its
    * next batch, so the heap's top is always the oldest batch the claim may take */
   if (any && this->part[p].head)
      queue_heapPush(this, p);
   while (n < target) {
      uint32_t xp = p;
      if (any) {
         if (this->heap_n == 0)
            break;
         xp = this->heap[0];
      }
      Batch* x = this->part[xp].head;
      if (!x || n + x->n > target)
         break;
      queue_take(this, xp, x);
      if (any) {
         if (this->part[xp].head)
            queue_heapDown(this, 0); /* the partition's next batch is younger: sift it down */
         else
            queue_heapRemove(this, xp);
      }
      n += x->n;
      last->next = x;
      last = x;
   }
   if (any)
      for (const Batch* x = b; x; x = x->next)
         if (this->part[x->partition].heap_at >= 0)
            queue_heapRemove(this, x->partition); /* held until the claim completes */
}

Batch* Queue_claimTimed(Queue* this, uint32_t id, int64_t* t_ready) {
   pthread_mutex_lock(&this->lock);
   bool waited = false;
   int64_t spin = atomic_load_explicit(&this->spin_ns, memory_order_relaxed);
   if (spin > 0 && this->heap_n == 0 && id < this->active && !this->stopping) {
      /* spin outside the lock, watching the ready count, before paying for a sleep and a wake-up */
      pthread_mutex_unlock(&this->lock);
      int64_t end = Clock_now() + spin;
      while (atomic_load_explicit(&this->ready, memory_order_relaxed) == 0 && Clock_now() < end) {
      }
      pthread_mutex_lock(&this->lock);
      waited = true;
   }
   while (!this->stopping && (id >= this->active || this->heap_n == 0)) {
      pthread_cond_wait(&this->work, &this->lock);
      waited = true;
   }
   if (this->stopping) {
      pthread_mutex_unlock(&this->lock);
      return NULL;
   }
   if (t_ready)
      *t_ready = waited ? Clock_now() : 0;
   uint32_t p = this->heap[0];
   queue_heapRemove(this, p);
   Batch* b = this->part[p].head;
   queue_take(this, p, b);
   queue_claimMore(this, p, b);
   this->held_t[id] = b->n ? Batch_record(b, 0).t_arrival : INT64_MAX;
   this->held_epoch[id] = this->epoch;
   /* more work and more idle workers: pass the wake-up on */
   if (this->heap_n > 0)
      pthread_cond_signal(&this->work);
   pthread_mutex_unlock(&this->lock);
   return b;
}

Batch* Queue_claim(Queue* this, uint32_t id) {
   return Queue_claimTimed(this, id, NULL);
}

uint32_t Queue_claimRecords(const Batch* b) {
   uint32_t n = 0;
   for (; b; b = b->next)
      n += b->n;
   return n;
}

void Queue_complete(Queue* this, uint32_t id, Batch* b, uint32_t processed, const uint64_t* filtered_by) {
   pthread_mutex_lock(&this->lock);
   uint32_t n = 0;
   for (const Batch* x = b; x; x = x->next) {
      n += x->n;
      this->c.in_flight_bytes -= Batch_size(x);
      this->c.part_done[x->partition] += x->n;
      this->part[x->partition].held = false;
   }
   this->c.in_flight -= n;
   if (this->held_epoch[id] != this->epoch)
      this->c.done_stale += n;
   queue_publishSealed(this);
   this->c.processed += processed;
   uint64_t filtered = 0;
   for (int r = 0; r < FILTER_LAST; r++) {
      this->c.filtered_by[r] += filtered_by[r];
      filtered += filtered_by[r];
   }
   this->c.filtered += filtered;
   this->c.batches_done++;
   this->held_t[id] = INT64_MAX;
   for (const Batch* x = b; x; x = x->next) {
      Partition* part = &this->part[x->partition];
      if (part->head && part->heap_at < 0) {
         queue_heapPush(this, x->partition);
         pthread_cond_signal(&this->work);
      }
   }
   if (this->source_waiting)
      pthread_cond_signal(&this->space);
   if (this->c.in_flight == 0 && (this->c.queued == 0 || this->idle_waiters))
      pthread_cond_broadcast(&this->idle);
   pthread_mutex_unlock(&this->lock);
}

void Queue_setActive(Queue* this, uint32_t active) {
   pthread_mutex_lock(&this->lock);
   this->active = active;
   pthread_cond_broadcast(&this->work);
   pthread_mutex_unlock(&this->lock);
}

void Queue_setSpin(Queue* this, int64_t ns) {
   atomic_store(&this->spin_ns, ns > 0 ? ns : 0);
}

void Queue_setPolicy(Queue* this, Overflow overflow, uint64_t cap_records, uint64_t cap_bytes) {
   pthread_mutex_lock(&this->lock);
   this->overflow = overflow;
   this->cap_records = cap_records;
   this->cap_bytes = cap_bytes;
   pthread_cond_broadcast(&this->space);
   pthread_mutex_unlock(&this->lock);
}

void Queue_stop(Queue* this) {
   pthread_mutex_lock(&this->lock);
   this->stopping = true;
   pthread_cond_broadcast(&this->work);
   pthread_cond_broadcast(&this->space);
   pthread_cond_broadcast(&this->idle);
   pthread_mutex_unlock(&this->lock);
}

void Queue_stopSource(Queue* this) {
   pthread_mutex_lock(&this->lock);
   this->source_stop = true;
   pthread_cond_broadcast(&this->space);
   pthread_mutex_unlock(&this->lock);
}

bool Queue_waitEmpty(Queue* this, int64_t deadline) {
   pthread_mutex_lock(&this->lock);
   while ((this->c.queued > 0 || this->c.in_flight > 0) && !this->stopping && Clock_now() < deadline)
      queue_timedWait(&this->idle, &this->lock, deadline);
   bool empty = this->c.queued == 0 && this->c.in_flight == 0;
   pthread_mutex_unlock(&this->lock);
   return empty;
}

bool Queue_waitIdle(Queue* this, int64_t deadline) {
   pthread_mutex_lock(&this->lock);
   this->idle_waiters++;
   while (this->c.in_flight > 0 && Clock_now() < deadline)
      queue_timedWait(&this->idle, &this->lock, deadline);
   this->idle_waiters--;
   bool idle = this->c.in_flight == 0;
   pthread_mutex_unlock(&this->lock);
   return idle;
}

void Queue_counts(Queue* this, QueueCounts* out, void (*extra)(void* ctx), void* ctx) {
   pthread_mutex_lock(&this->lock);
   int64_t oldest = INT64_MAX;
   for (uint32_t p = 0; p < QUEUE_PARTITIONS; p++) {
      const Batch* h = this->part[p].head;
      int64_t t = h && h->n ? Batch_record(h, 0).t_arrival : INT64_MAX;
      if (t < oldest)
         oldest = t;
   }
   for (uint32_t w = 0; w < QUEUE_MAX_WORKERS; w++)
      if (this->held_t[w] < oldest)
         oldest = this->held_t[w];
   this->c.oldest_t = oldest;
   *out = this->c;
   /* what the source dropped before a batch: entered and dropped at once */
   for (int r = 0; r < DROP_LAST; r++) {
      uint64_t d = atomic_load_explicit(&this->src_dropped[r], memory_order_relaxed);
      out->entered += d;
      out->dropped += d;
      out->dropped_by[r] += d;
   }
   out->safety_cap_hit = out->safety_cap_hit || atomic_load_explicit(&this->src_safety_hit, memory_order_relaxed);
   if (extra)
      extra(ctx);
   pthread_mutex_unlock(&this->lock);
}

void Queue_setBatch(Queue* this, uint32_t batch) {
   pthread_mutex_lock(&this->lock);
   if (batch != this->claim_target) {
      this->claim_target = batch;
      this->epoch++;
   }
   pthread_mutex_unlock(&this->lock);
}

bool Queue_waitRoom(Queue* this, uint64_t max_records, uint64_t max_bytes, int64_t deadline) {
   pthread_mutex_lock(&this->lock);
   bool over = this->c.queued + this->c.in_flight > max_records ||
               this->c.queued_bytes + this->c.in_flight_bytes > max_bytes;
   if (over && !this->stopping && !this->source_stop) {
      this->source_waiting = true;
      queue_timedWait(&this->space, &this->lock, deadline);
      this->source_waiting = false;
      over = this->c.queued + this->c.in_flight > max_records ||
             this->c.queued_bytes + this->c.in_flight_bytes > max_bytes;
   }
   pthread_mutex_unlock(&this->lock);
   return !over;
}

bool Queue_dropOldestBatch(Queue* this) {
   pthread_mutex_lock(&this->lock);
   bool dropped = queue_dropOldest(this);
   pthread_mutex_unlock(&this->lock);
   return dropped;
}

void Queue_countSourceDrop(Queue* this, DropReason why, uint64_t n) {
   /* only the source writes these: a relaxed load and store */
   atomic_store_explicit(&this->src_dropped[why], atomic_load_explicit(&this->src_dropped[why], memory_order_relaxed) + n,
                         memory_order_relaxed);
   if (why == DROP_SAFETY_CAP)
      atomic_store_explicit(&this->src_safety_hit, true, memory_order_relaxed);
}
