/*
 * queue.h: the backlog between the source and the workers.
 *
 * P partitions, each a FIFO of sealed batches; a sensor always maps to the
 * same partition, and a partition is held by at most one worker at a time,
 * so each sensor's records are processed in order whatever the number of
 * workers. Partitions that have batches and no holder wait in a min-heap
 * keyed by the seal number of their head batch: a worker always takes the
 * oldest available batch, which keeps staleness low and makes a single
 * worker process batches exactly in seal order (a deterministic --output).
 *
 * One mutex guards everything here; it is taken once per batch by the source
 * (push) and twice per batch by a worker (claim, complete), never per record.
 * The record accounting lives under the same lock, so a snapshot of it is
 * exact: entered == processed + filtered + dropped + queued + in_flight.
 *
 * Natural batching: a claim is one hand-off, and takes what is queued up
 * to the batch size in force (the LMAX Disruptor's smart batching): the
 * batch size, not how the source happened to seal, sets the hand-off, so a
 * new size acts on the backlog at once, and a sparse sensor whose batches
 * the linger (on event time) seals a record at a time is not handed off a
 * record at a time when records wait. With one active worker a claim takes
 * batches of any partition in seal order, so one worker's --output follows
 * the record stream whatever was queued when it claimed; with several, only
 * its first batch's partition (no other worker could process it meanwhile).
 * The batches reach the worker as a chain through Batch.next, in order.
 *
 * The memory cap counts the source's open batches too: the source checks
 * before every record (sealed_records and sealed_bytes are readable without
 * the lock), so the backlog never passes the cap, and records the source
 * drops there are counted here (src_dropped) as entered and dropped.
 */
#ifndef KEEPUP_QUEUE_H
#define KEEPUP_QUEUE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/knobs.h"
#include "engine/batchpool.h"
#include "core/record.h"
#include "core/snapshot.h"


#define QUEUE_PARTITIONS 64u
#define QUEUE_MAX_WORKERS KNOBS_THREADS_MAX /* a worker per thread the knob allows */

typedef struct QueueCounts {
   uint64_t entered;   /* records sealed into batches (pushed or dropped) */
   uint64_t processed;
   uint64_t filtered;
   uint64_t dropped;
   uint64_t queued;    /* in partitions */
   uint64_t in_flight;
   uint64_t filtered_by[FILTER_LAST];
   uint64_t dropped_by[DROP_LAST];
   uint64_t queued_batches;
   uint64_t queued_bytes;
   uint64_t in_flight_bytes;
   uint64_t peak_records;
   uint64_t batches_queued; /* batches the source sealed into the queue */
   uint64_t batches_done; /* hand-offs completed (a claim may take several batches) */
   uint64_t done_stale;   /* records completed in hand-offs claimed under an older batch size */
   int64_t oldest_t;   /* event time of the oldest record queued or in flight; INT64_MAX: none */
   uint64_t part_done[QUEUE_PARTITIONS]; /* records completed per partition (for the hot-partition share) */
   bool safety_cap_hit;
} QueueCounts;

typedef struct Partition {
   Batch* head;
   Batch* tail;
   uint64_t head_seq; /* head->seq, kept here: the heap compares it without touching the batches */
   uint32_t batches;
   bool held;     /* a worker holds it */
   int heap_at;   /* index in the ready heap, -1 when not in it */
} Partition;

typedef struct Queue {
   pthread_mutex_t lock;
   pthread_cond_t work;  /* workers wait here for a batch */
   pthread_cond_t space; /* the source waits here under --overflow block */
   pthread_cond_t idle;  /* Queue_waitEmpty waits here */
   Partition part[QUEUE_PARTITIONS];
   uint32_t heap[QUEUE_PARTITIONS];
   uint32_t heap_n;
   uint64_t next_seq;
   /* policy */
   Overflow overflow;
   uint64_t cap_records; /* 0: no record cap */
   uint64_t cap_bytes;   /* 0: no byte cap */
   uint64_t safety_bytes;
   /* workers */
   uint32_t active;      /* workers with id < active may claim */
   bool stopping;
   bool source_waiting;
   uint32_t idle_waiters; /* in Queue_waitIdle */
   bool source_stop;
   int64_t held_t[QUEUE_MAX_WORKERS]; /* first event time of each worker's batch, INT64_MAX: none */
   uint32_t held_epoch[QUEUE_MAX_WORKERS]; /* the batch size's epoch when each worker claimed */
   /* natural batching */
   uint32_t claim_target; /* the batch size in force (0: a claim takes one batch) */
   uint32_t epoch;        /* counts batch size changes */
   /* queued + in flight, records and bytes: written under the lock, read by the source without it */
   _Atomic uint64_t sealed_records;
   _Atomic uint64_t sealed_bytes;
   /* records the source dropped before they entered a batch, per reason (only the source writes) */
   _Atomic uint64_t src_dropped[DROP_LAST];
   _Atomic bool src_safety_hit;
   /* records in the source's open (unsealed) batches: the source adds one per
    * record without the lock; Queue_push takes a batch's records off under it,
    * so a count taken under the lock always satisfies the accounting */
   _Atomic uint64_t pending;
   _Atomic uint32_t ready;  /* heap_n, readable without the lock: spinning workers watch it */
   _Atomic int64_t spin_ns; /* how long an idle worker spins before it sleeps (--spin) */
   /* told of every batch dropped from the queue, under the lock, before it is freed (NULL: none) */
   void (*on_drop)(void* ctx, const Batch* b);
   void* on_drop_ctx;
   BatchPool pool; /* the workers' small batches, for the source to reuse */
   QueueCounts c;
} Queue;

typedef enum QueuePush {
   QUEUE_ACCEPTED,
   QUEUE_DROPPED,  /* the incoming batch was dropped (counted); the caller frees it */
   QUEUE_STOPPED,  /* stopping while blocked: the batch was accepted anyway (never lost) */
} QueuePush;

void Queue_init(Queue* this, Overflow overflow, uint64_t cap_records, uint64_t cap_bytes, uint64_t safety_bytes);
/* Free every batch still queued (after the workers are gone). */
void Queue_done(Queue* this);

/* Seal and enqueue b (source thread). May wait under --overflow block until there is room. */
QueuePush Queue_push(Queue* this, Batch* b, int64_t now);
/* Seal and enqueue a chain of batches (linked through next, in seal order) under one lock (source thread):
 * each as Queue_push would; then refill (NULL: none) takes what the queue's pool has. Returns the batches
 * dropped (counted), chained, for the caller to free. */
Batch* Queue_pushChain(Queue* this, Batch* chain, int64_t now, BatchPool* refill);
/* A worker is done with a claim's batches (chained through next): the small ones are kept for the source. */
void Queue_recycle(Queue* this, Batch* chain);
/* Take the oldest available batch for worker id, with the batches of an older size that follow it in
 * its partition (chained through next); waits; NULL when stopping. */
Batch* Queue_claim(Queue* this, uint32_t id);
/* The same; *t_ready: when work was found after a wait (0: there was work at once). */
Batch* Queue_claimTimed(Queue* this, uint32_t id, int64_t* t_ready);
/* The worker is done with the claim b (and its chain): release its partition and count it
 * (filtered_by: FILTER_LAST counts). */
void Queue_complete(Queue* this, uint32_t id, Batch* b, uint32_t processed, const uint64_t* filtered_by);
/* Records in a claim, and bytes. */
uint32_t Queue_claimRecords(const Batch* b);
/* The batch size in force: older batches are merged up to it, and a change starts a new epoch. */
void Queue_setBatch(Queue* this, uint32_t batch);
/* The source: wait until queued + in flight are at most max_records and max_bytes, or until
 * deadline, a stop, or a policy change; true when there is room. */
bool Queue_waitRoom(Queue* this, uint64_t max_records, uint64_t max_bytes, int64_t deadline);
/* The source, under drop-oldest: drop the oldest queued batch (counted); false when none is queued. */
bool Queue_dropOldestBatch(Queue* this);
/* Tell fn(ctx, batch) of every batch dropped from the queue, before any thread runs. */
void Queue_onDrop(Queue* this, void (*fn)(void* ctx, const Batch* b), void* ctx);
/* The source dropped n records before they entered a batch: counted as entered and dropped. */
void Queue_countSourceDrop(Queue* this, DropReason why, uint64_t n);

void Queue_setActive(Queue* this, uint32_t active);
/* An idle worker spins this long for new work before it sleeps (trades CPU for wake-up latency). */
void Queue_setSpin(Queue* this, int64_t ns);
void Queue_setPolicy(Queue* this, Overflow overflow, uint64_t cap_records, uint64_t cap_bytes);
/* Wake every waiter and make Queue_claim return NULL from now on. */
void Queue_stop(Queue* this);
/* The source is stopping: a push blocked on --overflow block queues its batch and returns. */
void Queue_stopSource(Queue* this);
/* Wait until nothing is queued or in flight, or until deadline (monotonic ns); true when empty. */
bool Queue_waitEmpty(Queue* this, int64_t deadline);
/* Wait until no worker holds a batch, or until deadline; true when none does. */
bool Queue_waitIdle(Queue* this, int64_t deadline);
/* Copy the counts under the lock; extra runs under the lock too (NULL: none). */
void Queue_counts(Queue* this, QueueCounts* out, void (*extra)(void* ctx), void* ctx);

#endif
