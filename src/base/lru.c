/* lru.c: the bounded LRU map (see lru.h for its layout). */
#include "config.h"

#include "base/lru.h"

#include <stdlib.h>

#include "base/xalloc.h"

static uint32_t lru_home(const Lru* this, uint32_t key) {
   return (uint32_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & this->mask;
}

void Lru_init(Lru* this, uint32_t capacity) {
   if (capacity == 0)
      capacity = 1;
   uint32_t size = 4;
   while (size < 2 * (uint64_t)capacity)
      size *= 2;
   this->entry = xmalloc((size_t)capacity * sizeof(LruEntry));
   this->slot = xmalloc((size_t)size * sizeof(uint32_t));
   this->mask = size - 1;
   this->capacity = capacity;
   this->evictions = 0;
   Lru_clear(this);
}

void Lru_done(Lru* this) {
   free(this->entry);
   free(this->slot);
   this->entry = NULL;
   this->slot = NULL;
}

void Lru_clear(Lru* this) {
   for (uint32_t i = 0; i <= this->mask; i++)
      this->slot[i] = LRU_NONE;
   this->size = 0;
   this->head = LRU_NONE;
   this->tail = LRU_NONE;
}

/* The table slot holding key, or the empty slot where it would go. */
static uint32_t lru_find(const Lru* this, uint32_t key) {
   uint32_t i = lru_home(this, key);
   while (this->slot[i] != LRU_NONE && this->entry[this->slot[i]].key != key)
      i = (i + 1) & this->mask;
   return i;
}

static void lru_unlink(Lru* this, uint32_t e) {
   LruEntry* x = &this->entry[e];
   if (x->prev != LRU_NONE)
      this->entry[x->prev].next = x->next;
   else
      this->head = x->next;
   if (x->next != LRU_NONE)
      this->entry[x->next].prev = x->prev;
   else
      this->tail = x->prev;
}

static void lru_pushFront(Lru* this, uint32_t e) {
   LruEntry* x = &this->entry[e];
   x->prev = LRU_NONE;
   x->next = this->head;
   if (this->head != LRU_NONE)
      this->entry[this->head].prev = e;
   else
      this->tail = e;
   this->head = e;
}

/* Empties table slot i, moving later members of its probe run back so that
 * every key stays reachable from its home slot without tombstones. */
static void lru_removeSlot(Lru* this, uint32_t i) {
   uint32_t j = i;
   for (;;) {
      j = (j + 1) & this->mask;
      if (this->slot[j] == LRU_NONE)
         break;
      uint32_t home = lru_home(this, this->entry[this->slot[j]].key);
      /* the member at j may move to i only if its home is not in (i, j] (cyclically) */
      bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays) {
         this->slot[i] = this->slot[j];
         i = j;
      }
   }
   this->slot[i] = LRU_NONE;
}

bool Lru_get(Lru* this, uint32_t key, uint64_t* value) {
   uint32_t e = this->slot[lru_find(this, key)];
   if (e == LRU_NONE)
      return false;
   if (this->head != e) {
      lru_unlink(this, e);
      lru_pushFront(this, e);
   }
   *value = this->entry[e].value;
   return true;
}

void Lru_put(Lru* this, uint32_t key, uint64_t value) {
   uint32_t i = lru_find(this, key);
   uint32_t e = this->slot[i];
   if (e != LRU_NONE) {
      this->entry[e].value = value;
      if (this->head != e) {
         lru_unlink(this, e);
         lru_pushFront(this, e);
      }
      return;
   }
   if (this->size < this->capacity) {
      e = this->size++;
   } else {
      e = this->tail;
      lru_unlink(this, e);
      lru_removeSlot(this, lru_find(this, this->entry[e].key));
      this->evictions++;
      i = lru_find(this, key); /* the removal may have moved the free slot */
   }
   this->entry[e].key = key;
   this->entry[e].value = value;
   this->slot[i] = e;
   lru_pushFront(this, e);
}
