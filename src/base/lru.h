/*
 * lru.h: a bounded least-recently-used map from a 32-bit key to a 64-bit
 * value (the enrich stage's per-worker cache of sensor metadata).
 *
 * Fixed memory after Lru_init: the entries live in one array, linked in
 * recency order by indices, and found through an open-addressing table of
 * indices (linear probing, twice the capacity, deletion by backward shift),
 * so a hit or a miss costs O(1) and never allocates. One thread only.
 */
#ifndef KEEPUP_LRU_H
#define KEEPUP_LRU_H

#include <stdbool.h>
#include <stdint.h>

typedef struct LruEntry {
   uint32_t key;
   uint32_t prev; /* towards the most recently used; LRU_NONE at the head */
   uint32_t next; /* towards the least recently used; LRU_NONE at the tail */
   uint32_t pad_;
   uint64_t value;
} LruEntry;

#define LRU_NONE UINT32_MAX

typedef struct Lru {
   LruEntry* entry; /* capacity entries, the first size in use */
   uint32_t* slot;  /* hash table of entry indices, LRU_NONE when empty */
   uint32_t mask;   /* table size - 1 (a power of two >= 2 * capacity) */
   uint32_t capacity;
   uint32_t size;
   uint32_t head; /* most recently used */
   uint32_t tail; /* least recently used: the next eviction */
   uint64_t evictions;
} Lru;

/* capacity >= 1 (0 is taken as 1). */
void Lru_init(Lru* this, uint32_t capacity);
void Lru_done(Lru* this);
/* On a hit, stores the value, makes the key the most recently used and returns true. */
bool Lru_get(Lru* this, uint32_t key, uint64_t* value);
/* Inserts or updates key as the most recently used, evicting the least recently used when full. */
void Lru_put(Lru* this, uint32_t key, uint64_t value);
/* Forgets every entry. */
void Lru_clear(Lru* this);

#endif
