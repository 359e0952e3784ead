/*
 * batchpool.h: small batches kept for reuse instead of freed. A sensor that
 * reports less often than the linger seals a batch of a record or two, so
 * the source would pay a malloc and a worker a free for nearly every
 * record, the free landing in the source's heap arena under its lock. The
 * workers put their small batches in the queue's pool under the queue's
 * lock (Queue_recycle); the source takes that pool's lists into its own
 * when it hands over a chain of batches (Queue_pushChain), under the same
 * lock, and takes batches from its own without any lock.
 *
 * A pool keeps batches of exactly cap records for each cap up to
 * BATCHPOOL_CAP (the memory cap counts a batch by its cap, so a partial
 * batch stays an exact fit): at most BATCHPOOL_MAX put in, and twice that
 * refilled (the source's pool may hold lists of caps it has no use for
 * now), so a pool holds at most 2 x BATCHPOOL_MAX x Batch_bytes(BATCHPOOL_CAP)
 * bytes (1.1 MB; 150 KB in batches of one record).
 */
#ifndef KEEPUP_BATCHPOOL_H
#define KEEPUP_BATCHPOOL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/record.h"

#define BATCHPOOL_CAP 16u   /* batches of up to this many records are pooled */
#define BATCHPOOL_MAX 1024u /* batches put in a pool at most: a few claims' worth */
#define BATCHPOOL_LOW 256u  /* a list shorter than this takes another pool's list of its cap */

typedef struct BatchPool {
   Batch* free[BATCHPOOL_CAP + 1]; /* by cap, chained through next */
   Batch* last[BATCHPOOL_CAP + 1]; /* each list's last batch: a list moves to another pool in one step */
   uint32_t count[BATCHPOOL_CAP + 1];
   uint32_t n;
} BatchPool;

/* An empty batch of cap records for partition: a pooled one when there is one. */
Batch* BatchPool_take(BatchPool* this, uint32_t cap, uint32_t partition);
/* Keep b for reuse; false when it is not kept (too large, or the pool is full): the caller frees it. */
bool BatchPool_put(BatchPool* this, Batch* b);
/* Move from's lists into this where this has fewer than BATCHPOOL_LOW of that cap, up to 2 x BATCHPOOL_MAX
 * in all. */
void BatchPool_refill(BatchPool* this, BatchPool* from);
/* Free every pooled batch. */
void BatchPool_done(BatchPool* this);

#endif
