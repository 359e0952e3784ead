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
 */
#ifndef KEEPUP_QUEUE_H
#define KEEPUP_QUEUE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/knobs.h"
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
   uint64_t batches_done;
   int64_t oldest_t;   /* event time of the oldest record queued or in flight; INT64_MAX: none */
   uint64_t part_done[QUEUE_PARTITIONS]; /* records completed per partition (for the hot-partition share) */
   bool safety_cap_hit;
} QueueCounts;

typedef struct Partition {
   Batch* head;
   Batch* tail;
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
   /* records in the source's open (unsealed) batches: the source adds one per
    * record without the lock; Queue_push takes a batch's records off under it,
    * so a count taken under the lock always satisfies the accounting */
   _Atomic uint64_t pending;
   _Atomic uint32_t ready;  /* heap_n, readable without the lock: spinning workers watch it */
   _Atomic int64_t spin_ns; /* how long an idle worker spins before it sleeps (--spin) */
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
/* Take the oldest available batch for worker id; waits; NULL when stopping. */
Batch* Queue_claim(Queue* this, uint32_t id);
/* The worker is done with b: release its partition and count it (filtered_by: FILTER_LAST counts). */
void Queue_complete(Queue* this, uint32_t id, Batch* b, uint32_t processed, const uint64_t* filtered_by);

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
