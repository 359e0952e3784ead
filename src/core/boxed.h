/*
 * boxed.h: a record held the way a dynamic language holds an object with a
 * __dict__ (--layout boxed): its own heap object with a small string-keyed
 * field map, looked up by name, grown with realloc as the stages add fields.
 *
 * Data model. A BoxedRecord (16 bytes) points at an array of entries
 * {hash, key, value}, as a Python dict's entries are; a new record gets room
 * for 8 entries (a Python dict's first size) and its 5 fields (t_event,
 * t_arrival, value, sensor, seq); the stages put the fields they derive
 * (norm, meta, mean, std, n_window, z, alert) beside them, which doubles the
 * room once. A value is the field's 8 bytes, copied bit for bit, so a boxed
 * record computes the same output as a packed one.
 *
 * Bytes: what glibc's malloc takes for each allocation, counted as its chunk
 * (the request plus an 8-byte header, rounded up to 16, at least 32), plus
 * the record's pointer in its batch: 32 + 208 + 8 = 248 bytes a queued record
 * (a packed one: 32, in its batch's one allocation).
 */
#ifndef KEEPUP_BOXED_H
#define KEEPUP_BOXED_H

#include <stdbool.h>
#include <stdint.h>

#include "core/stages/stage.h"

typedef struct BoxedEntry {
   uint64_t hash;   /* of key, compared before the strcmp */
   const char* key; /* a field name: "value", "norm", ... */
   uint64_t bits;   /* the field's value, its bytes as stored in a Record or a Row */
} BoxedEntry;

typedef struct BoxedRecord {
   uint32_t n;          /* entries in use */
   uint32_t cap;        /* entries allocated */
   BoxedEntry* entries; /* its own allocation, realloc'd as fields are added */
} BoxedRecord;

#define BOXED_FIRST_CAP 8u

/* A new object holding r's five fields by name. */
BoxedRecord* BoxedRecord_new(const Record* r);
void BoxedRecord_delete(BoxedRecord* this);
/* The field key's bits into *bits; false when the object has no such field. */
bool BoxedRecord_get(const BoxedRecord* this, const char* key, uint64_t* bits);
/* Set the field key (added when new, growing the map). */
void BoxedRecord_put(BoxedRecord* this, const char* key, uint64_t bits);
/* The record its fields make, each looked up by name. */
Record BoxedRecord_record(const BoxedRecord* this);
/* Bytes its allocations take, counted as glibc's chunks (see above), without its pointer in a batch. */
uint64_t BoxedRecord_bytes(const BoxedRecord* this);
/* Bytes a record newly boxed takes in the queue, its pointer in the batch included (248). */
uint64_t Boxed_queuedBytes(void);
/* The most a boxed batch takes beside its records' Boxed_queuedBytes: its header, its pointer array's chunk
 * header and rounding, and the spare pointer. */
uint64_t Boxed_batchOverhead(void);
/* The chunk glibc's malloc takes for a request of n bytes. */
uint64_t Boxed_chunk(uint64_t n);

/* A stage over rows [w->first, w->nrows) of records some of which are boxed (w->box): each boxed row's
 * fields the stage reads are got by name into the row, the stage's code runs, and the fields it derives
 * are put back by name. The filter (which reads b, the records unboxed by the worker) maps each row it
 * keeps to its object. Without w->box, the stage alone. */
void Boxed_runStage(Pipeline* p, Work* w, const Batch* b, StageId s, Variant v);
/* The fields stage s reads, from obj into row, each got by name. */
void Boxed_loadFields(const BoxedRecord* obj, Row* row, StageId s);
/* The fields stage s derives, from row into obj, each put by name. */
void Boxed_storeFields(BoxedRecord* obj, const Row* row, StageId s);

/* Boxed_loadFields, for a record that may be packed (NULL obj: nothing to do, at the cost of a test). */
static inline void Boxed_loadRow(const BoxedRecord* obj, Row* row, StageId s) {
   if (obj)
      Boxed_loadFields(obj, row, s);
}

/* Boxed_storeFields, for a record that may be packed (NULL obj: nothing to do). */
static inline void Boxed_storeRow(BoxedRecord* obj, const Row* row, StageId s) {
   if (obj)
      Boxed_storeFields(obj, row, s);
}

#endif
