/*
 * reorder.h: the reorder buffer behind --ordered. Workers finish hand-offs
 * in any order; each hands its records' admission numbers (Record.seq: the
 * order the source admitted them, one count for every record) and the
 * output lines of those that have one. The buffer writes a line only once
 * every record admitted before it is done (processed, filtered or dropped):
 * the watermark is the smallest admission number not yet done, so the text
 * comes out in admission order whatever the number of workers. The source
 * admits records in event-time order (a replay merges its files by time and
 * puts rows within --max-lateness in order; the simulator's schedule only
 * goes forward), so that is event-time order, ties in input order.
 *
 * Within a hand-off the admission numbers need not ascend (one worker's
 * hand-off may take batches of several partitions, whose numbers
 * interleave); they are 32 bits and wrap, and each is widened against the
 * watermark, so the buffer may hold up to 2^31 numbers.
 *
 * Memory is bounded: when the held text and entries pass max_bytes, or a
 * record comes further ahead of the watermark than the window's slots
 * allow (a quarter of max_bytes, 16 bytes a slot), the buffer stops waiting
 * for the oldest missing records, writes what it holds in order, and counts
 * the records it passed over (passed); one of them that comes after all is
 * written at once. Every line written with an event
 * time before one already written is counted (unordered): a late row played
 * at once, or one the bound passed over. Nothing is lost: flush writes
 * whatever is held, in order, at the end.
 *
 * Pure and single-threaded: the engine owns the lock around it.
 */
#ifndef KEEPUP_REORDER_H
#define KEEPUP_REORDER_H

#include <stddef.h>
#include <stdint.h>

#include "core/record.h"
#include "core/stages/stage.h"

typedef struct Reorder Reorder;
/* A hand-off made ready for the buffer: its entries and a copy of its text. */
typedef struct ReorderChunk ReorderChunk;

typedef struct ReorderStats {
   uint64_t held_records; /* done, waiting for an older record */
   uint64_t held_bytes;   /* their text and entries */
   uint64_t peak_bytes;   /* the most held_bytes has been */
   uint64_t lines;        /* lines written */
   uint64_t unordered;    /* lines written with an event time before one written earlier */
   uint64_t passed;       /* records the bound stopped waiting for */
} ReorderStats;

/* max_bytes: what the held lines and entries may take before the oldest gaps are passed over. */
Reorder* Reorder_new(uint64_t max_bytes);
void Reorder_delete(Reorder* this);

/* A hand-off done: rec[0..n) its records, in admission order; rows[0..nrows) those with a line, in the same
 * order, and text[0..len) their lines, one each, ending in '\n'. What is now in order is appended to out. */
void Reorder_add(Reorder* this, const Record* rec, uint32_t n, const Row* rows, uint32_t nrows, const char* text,
                 size_t len, OutBuf* out);
/* The same in two steps: the chunk (pure: a worker makes it before it takes the lock), then into the buffer,
 * which takes it over. */
ReorderChunk* Reorder_chunk(const Record* rec, uint32_t n, const Row* rows, uint32_t nrows, const char* text,
                            size_t len);
void Reorder_put(Reorder* this, ReorderChunk* chunk, OutBuf* out);
/* A chunk never put (NULL: nothing). */
void Reorder_freeChunk(ReorderChunk* chunk);
/* Records that will have no line and were not in a hand-off (dropped from the queue). */
void Reorder_skip(Reorder* this, const Record* rec, uint32_t n, OutBuf* out);
/* The end: append everything held to out, in order, whatever is missing. */
void Reorder_flush(Reorder* this, OutBuf* out);
void Reorder_stats(const Reorder* this, ReorderStats* out);

#endif
