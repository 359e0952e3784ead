/*
 * record.h: the unit of data that flows through keepup, and the batch that
 * carries records from the source to a worker.
 *
 * A Record is 32 bytes (checked below): the queue's memory cost per record is
 * what decides how large a backlog fits under --max-backlog, so everything a
 * stage derives (norm, mean, std, z, ...) lives in the worker's scratch Row
 * (stage.h), never in the queued record.
 *
 * A record carries two of the three times keepup keeps apart: its event time
 * (the data's own: the simulator's schedule, or a replayed row's timestamp),
 * which the output carries, and its arrival (when the schedule offered it),
 * from which latency counts. The third, processing, is when a worker
 * completes it.
 */
#ifndef KEEPUP_RECORD_H
#define KEEPUP_RECORD_H

#include <stdbool.h>
#include <stdint.h>

typedef struct Record {
   int64_t t_event;   /* ns: the data's own time (the simulator: since its start; a replay: as the file has it) */
   int64_t t_arrival; /* ns on CLOCK_MONOTONIC: when the record should have arrived by the schedule */
   double value;    /* raw sensor reading */
   uint32_t sensor; /* sensor id, < the pipeline's id space */
   uint32_t seq;    /* admission number: the source counts every record it admits (wraps at 2^32); --ordered
                     * writes in its order, and it checks per-sensor order (while a sensor's records are
                     * fewer than 2^31 admissions apart) */
} Record;

_Static_assert(sizeof(Record) == 32, "Record must stay 32 bytes");

/* A missing value (the input said so: a --na marker, an empty value in a recording) is a NaN with
 * this payload, so the filter can count it apart from other non-finite values without a wider record. */
#define RECORD_MISSING_BITS UINT64_C(0x7FF800004D495353)

/* The value of a record whose input marked it missing. */
double Record_missing(void);
/* Whether v is Record_missing(). */
bool Record_isMissing(double v);

struct BoxedRecord;

/* How the source queues records (--layout): packed in their batch, or each boxed as its own object. */
typedef enum RecordLayout {
   LAYOUT_PACKED, /* 32-byte Records in the batch's one allocation */
   LAYOUT_BOXED,  /* each record its own heap object with a string-keyed field map (core/boxed.h) */
   LAYOUT_LAST
} RecordLayout;

/* A batch of records of one partition, as queued; allocated with room for cap records. A boxed batch
 * (--layout boxed, core/boxed.h) has no room in rec: box holds its n records, each its own object. */
typedef struct Batch {
   struct Batch* next;  /* FIFO link inside a partition */
   uint64_t seq;        /* global seal order: one worker processes batches in this order */
   int64_t t_sealed;    /* ns, when the source handed it to the queue */
   uint32_t n;          /* records in use */
   uint32_t cap;        /* records allocated */
   uint32_t partition;  /* index of the partition it belongs to */
   struct BoxedRecord** box; /* NULL: packed, the records in rec */
   uint64_t boxed_bytes;     /* a boxed batch: its bytes, the objects' and the pointers' (Batch_size) */
   Record rec[];
} Batch;

Batch* Batch_new(uint32_t cap, uint32_t partition);
void Batch_delete(Batch* this);
/* Reallocate to room for cap >= n records; returns the (possibly moved) batch. */
Batch* Batch_resize(Batch* this, uint32_t cap);
/* Bytes a batch of cap records occupies, for the memory cap. */
uint64_t Batch_bytes(uint32_t cap);
/* The batch's records boxed, each its own object (the packed batch is deleted). */
Batch* Batch_box(Batch* packed);
/* Bytes the batch occupies, for the memory cap: a packed one's Batch_bytes, a boxed one's allocations. */
uint64_t Batch_size(const Batch* this);
/* Record i (a boxed one's fields looked up by name). */
Record Batch_record(const Batch* this, uint32_t i);

#endif
