/* record.c: allocation of batches, packed or boxed (core/boxed.h), and the missing value. */
#include "config.h"

#include "core/record.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "core/boxed.h"

Batch* Batch_new(uint32_t cap, uint32_t partition) {
   Batch* this = xmalloc(sizeof(Batch) + (size_t)cap * sizeof(Record));
   this->next = NULL;
   this->seq = 0;
   this->t_sealed = 0;
   this->n = 0;
   this->cap = cap;
   this->partition = partition;
   this->box = NULL;
   this->boxed_bytes = 0;
   return this;
}

void Batch_delete(Batch* this) {
   if (this && this->box) {
      for (uint32_t i = 0; i < this->n; i++)
         BoxedRecord_delete(this->box[i]);
      free(this->box);
   }
   free(this);
}

Batch* Batch_box(Batch* packed) {
   Batch* this = Batch_new(0, packed->partition);
   this->seq = packed->seq;
   this->t_sealed = packed->t_sealed;
   this->n = packed->n;
   this->box = xmalloc(((size_t)packed->n + 1) * sizeof *this->box);
   uint64_t bytes = Batch_bytes(0) + Boxed_chunk(((uint64_t)packed->n + 1) * sizeof *this->box);
   for (uint32_t i = 0; i < packed->n; i++) {
      this->box[i] = BoxedRecord_new(&packed->rec[i]);
      bytes += BoxedRecord_bytes(this->box[i]);
   }
   this->boxed_bytes = bytes;
   Batch_delete(packed);
   return this;
}

uint64_t Batch_size(const Batch* this) {
   return this->box ? this->boxed_bytes : Batch_bytes(this->cap);
}

Record Batch_record(const Batch* this, uint32_t i) {
   return this->box ? BoxedRecord_record(this->box[i]) : this->rec[i];
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
