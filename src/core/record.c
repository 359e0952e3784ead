/* record.c: allocation of batches (records themselves are plain values), and the missing value. */
#include "config.h"

#include "core/record.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

Batch* Batch_new(uint32_t cap, uint32_t partition) {
   Batch* this = xmalloc(sizeof(Batch) + (size_t)cap * sizeof(Record));
   this->next = NULL;
   this->seq = 0;
   this->t_sealed = 0;
   this->n = 0;
   this->cap = cap;
   this->partition = partition;
   return this;
}

void Batch_delete(Batch* this) {
   free(this);
}

Batch* Batch_resize(Batch* this, uint32_t cap) {
   Batch* b = xrealloc(this, sizeof(Batch) + (size_t)cap * sizeof(Record));
   b->cap = cap;
   return b;
}

uint64_t Batch_bytes(uint32_t cap) {
   return sizeof(Batch) + (uint64_t)cap * sizeof(Record);
}

double Record_missing(void) {
   uint64_t bits = RECORD_MISSING_BITS;
   double v;
   memcpy(&v, &bits, sizeof v);
   return v;
}

bool Record_isMissing(double v) {
   uint64_t bits;
   memcpy(&bits, &v, sizeof bits);
   return bits == RECORD_MISSING_BITS;
}
