/*
 * histogram.h: a log-linear histogram of non-negative integers (latencies in
 * ns): exact below 64, then 32 buckets per power of two, so any percentile it
 * reports is within 1.6% of the true sample value. 1,920 buckets cover the
 * whole uint64 range in 15 KiB.
 *
 * One thread records, any thread may read: counters are atomics used with
 * relaxed loads and stores (a single writer needs no read-modify-write), so a
 * record costs a few instructions and no lock.
 */
#ifndef KEEPUP_HISTOGRAM_H
#define KEEPUP_HISTOGRAM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define HISTOGRAM_SUB_BITS 6
#define HISTOGRAM_BUCKETS ((64 - HISTOGRAM_SUB_BITS + 1) * (1 << (HISTOGRAM_SUB_BITS - 1)) + (1 << (HISTOGRAM_SUB_BITS - 1)))

typedef struct Histogram {
   _Atomic uint64_t count;
   _Atomic uint64_t max;
   _Atomic uint64_t bucket[HISTOGRAM_BUCKETS];
} Histogram;

/* The percentiles every front end shows, in the histogram's unit. */
typedef struct Percentiles {
   uint64_t count;
   uint64_t p50, p90, p99, p999, p9999, max;
} Percentiles;

void Histogram_reset(Histogram* this);
/* Single writer only. */
void Histogram_record(Histogram* this, uint64_t v);
/* Add n samples of v (single writer only). */
void Histogram_recordN(Histogram* this, uint64_t v, uint64_t n);
/* Record t_done - t for n event times t found every stride bytes from first (negative
 * differences count as 0): the engine's per-batch latencies, with one update of
 * count and max for the whole batch (single writer only). */
void Histogram_recordLatencies(Histogram* this, const int64_t* first, size_t stride, uint32_t n, int64_t t_done);
/* this += other (this must not be written concurrently). */
void Histogram_add(Histogram* this, const Histogram* other);
/* this = a - b, bucket by bucket (a taken after b from the same writer); max is a's. */
void Histogram_diff(Histogram* this, const Histogram* a, const Histogram* b);
/* The smallest recorded value v such that at least q of the samples are <= v (q in 0..1); 0 when empty. */
uint64_t Histogram_quantile(const Histogram* this, double q);
void Histogram_percentiles(const Histogram* this, Percentiles* out);

/* Bucket arithmetic, exposed for tests. */
unsigned Histogram_index(uint64_t v);
uint64_t Histogram_lowest(unsigned index);
uint64_t Histogram_highest(unsigned index);

#endif
