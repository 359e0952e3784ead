/* batchpool.c: lists of small free batches by cap (see batchpool.h for who holds them and why). */
#include "config.h"

#include "engine/batchpool.h"

#include <string.h>

Batch* BatchPool_take(BatchPool* this, uint32_t cap, uint32_t partition) {
   Batch* b = cap <= BATCHPOOL_CAP ? this->free[cap] : NULL;
   if (!b)
      return Batch_new(cap, partition);
   this->free[cap] = b->next;
   if (!b->next)
      this->last[cap] = NULL;
   this->count[cap]--;
   this->n--;
   b->next = NULL;
   b->seq = 0;
   b->t_sealed = 0;
   b->n = 0;
   b->partition = partition;
   return b;
}

bool BatchPool_put(BatchPool* this, Batch* b) {
   /* a boxed batch (cap 0) owns its records' objects: it is freed, not kept */
   if (b->box || b->cap == 0 || b->cap > BATCHPOOL_CAP || this->n >= BATCHPOOL_MAX)
      return false;
   b->next = this->free[b->cap];
   if (!b->next)
      this->last[b->cap] = b;
   this->free[b->cap] = b;
   this->count[b->cap]++;
   this->n++;
   return true;
}

void BatchPool_refill(BatchPool* this, BatchPool* from) {
   for (uint32_t cap = 1; cap <= BATCHPOOL_CAP; cap++) {
      uint32_t k = from->count[cap];
      if (this->count[cap] >= BATCHPOOL_LOW || k == 0 || this->n + k > 2 * BATCHPOOL_MAX)
         continue;
      /* from's list goes in front of this one's */
      from->last[cap]->next = this->free[cap];
      if (!this->free[cap])
         this->last[cap] = from->last[cap];
      this->free[cap] = from->free[cap];
      this->count[cap] += k;
      this->n += k;
      from->free[cap] = from->last[cap] = NULL;
      from->count[cap] = 0;
      from->n -= k;
   }
}

void BatchPool_done(BatchPool* this) {
   for (uint32_t cap = 0; cap <= BATCHPOOL_CAP; cap++) {
      for (Batch* b = this->free[cap]; b;) {
         Batch* next = b->next;
         Batch_delete(b);
         b = next;
      }
   }
   memset(this, 0, sizeof *this);
}
