/*
 * boxed.c: the boxed record's field map (see boxed.h), and the stages run
 * through it: each stage gets the fields it reads by name, runs the same row
 * code as for packed records, and puts the fields it derives back by name.
 */
#include "config.h"

#include "core/boxed.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

/* A field of a Row by name: where its bytes are. */
typedef struct BoxedField {
   const char* key;
   size_t offset; /* in Row */
   size_t size;   /* 4 or 8 */
} BoxedField;

/* where a field of a Row, or of its Record, is: in a static initializer, where no function can serve */
#define BOXED_ROW(f) offsetof(Row, f), sizeof(((Row*)0)->f)
#define BOXED_REC(f) offsetof(Row, rec) + offsetof(Record, f), sizeof(((Record*)0)->f)

enum { F_T_EVENT, F_T_ARRIVAL, F_VALUE, F_SENSOR, F_SEQ, F_NORM, F_META, F_MEAN, F_STD, F_N_WINDOW, F_Z, F_ALERT };

static const BoxedField boxed_fields[] = {
    [F_T_EVENT] = {"t_event", BOXED_REC(t_event)},
    [F_T_ARRIVAL] = {"t_arrival", BOXED_REC(t_arrival)},
    [F_VALUE] = {"value", BOXED_REC(value)},
    [F_SENSOR] = {"sensor", BOXED_REC(sensor)},
    [F_SEQ] = {"seq", BOXED_REC(seq)},
    [F_NORM] = {"norm", BOXED_ROW(norm)},
    [F_META] = {"meta", BOXED_ROW(meta)},
    [F_MEAN] = {"mean", BOXED_ROW(mean)},
    [F_STD] = {"std", BOXED_ROW(std)},
    [F_N_WINDOW] = {"n_window", BOXED_ROW(n_window)},
    [F_Z] = {"z", BOXED_ROW(z)},
    [F_ALERT] = {"alert", BOXED_ROW(alert)},
};

#define BOXED_STAGE_FIELDS 8
#define BOXED_END          (-1)

/* What each stage reads and what it derives, by field (BOXED_END ends a list). The filter reads the
 * records the worker unboxed (all five fields) and derives no field. */
static const int boxed_reads[STAGE_LAST][BOXED_STAGE_FIELDS + 1] = {
    [STAGE_FILTER] = {BOXED_END},
    [STAGE_NORMALIZE] = {F_SENSOR, F_VALUE, BOXED_END},
    [STAGE_ENRICH] = {F_SENSOR, BOXED_END},
    [STAGE_FEATURE] = {F_SENSOR, F_NORM, BOXED_END},
    [STAGE_SCORE] = {F_SENSOR, F_VALUE, F_T_ARRIVAL, F_NORM, F_MEAN, F_STD, F_N_WINDOW, BOXED_END},
    [STAGE_FORMAT] = {F_T_EVENT, F_SENSOR, F_VALUE, F_NORM, F_MEAN, F_STD, F_Z, F_ALERT, BOXED_END},
};
static const int boxed_derives[STAGE_LAST][BOXED_STAGE_FIELDS + 1] = {
    [STAGE_FILTER] = {BOXED_END},
    [STAGE_NORMALIZE] = {F_NORM, BOXED_END},
    [STAGE_ENRICH] = {F_META, BOXED_END},
    [STAGE_FEATURE] = {F_MEAN, F_STD, F_N_WINDOW, BOXED_END},
    [STAGE_SCORE] = {F_Z, F_ALERT, BOXED_END},
    [STAGE_FORMAT] = {BOXED_END},
};

/* FNV-1a over the name: what a dictionary hashes a string key with (Python caches it in the string). */
static uint64_t boxed_hash(const char* key) {
   uint64_t h = UINT64_C(0xCBF29CE484222325);
   for (const unsigned char* c = (const unsigned char*)key; *c; c++)
      h = (h ^ *c) * UINT64_C(0x100000001B3);
   return h;
}

static const BoxedEntry* boxed_find(const BoxedRecord* this, const char* key, uint64_t hash) {
   for (uint32_t i = 0; i < this->n; i++) {
      const BoxedEntry* e = &this->entries[i];
      if (e->hash == hash && strcmp(e->key, key) == 0)
         return e;
   }
   return NULL;
}

bool BoxedRecord_get(const BoxedRecord* this, const char* key, uint64_t* bits) {
   const BoxedEntry* e = boxed_find(this, key, boxed_hash(key));
   if (!e)
      return false;
   *bits = e->bits;
   return true;
}

void BoxedRecord_put(BoxedRecord* this, const char* key, uint64_t bits) {
   uint64_t hash = boxed_hash(key);
   BoxedEntry* e = (BoxedEntry*)boxed_find(this, key, hash);
   if (e) {
      e->bits = bits;
      return;
   }
   if (this->n == this->cap) {
      this->cap *= 2;
      this->entries = xrealloc(this->entries, (size_t)this->cap * sizeof(BoxedEntry));
   }
   this->entries[this->n++] = (BoxedEntry){hash, key, bits};
}

/* A field's bytes in row, as the map's 8. */
static uint64_t boxed_bitsOf(const Row* row, const BoxedField* f) {
   uint64_t bits = 0;
   memcpy(&bits, (const char*)row + f->offset, f->size);
   return bits;
}

static void boxed_setIn(Row* row, const BoxedField* f, uint64_t bits) {
   memcpy((char*)row + f->offset, &bits, f->size);
}

BoxedRecord* BoxedRecord_new(const Record* r) {
   BoxedRecord* this = xmalloc(sizeof *this);
   this->n = 0;
   this->cap = BOXED_FIRST_CAP;
   this->entries = xmalloc(BOXED_FIRST_CAP * sizeof(BoxedEntry));
   Row row;
   row.rec = *r;
   for (int f = F_T_EVENT; f <= F_SEQ; f++)
      BoxedRecord_put(this, boxed_fields[f].key, boxed_bitsOf(&row, &boxed_fields[f]));
   return this;
}

void BoxedRecord_delete(BoxedRecord* this) {
   if (!this)
      return;
   free(this->entries);
   free(this);
}

Record BoxedRecord_record(const BoxedRecord* this) {
   Row row;
   memset(&row.rec, 0, sizeof row.rec);
   for (int f = F_T_EVENT; f <= F_SEQ; f++) {
      uint64_t bits = 0;
      BoxedRecord_get(this, boxed_fields[f].key, &bits);
      boxed_setIn(&row, &boxed_fields[f], bits);
   }
   return row.rec;
}

uint64_t Boxed_chunk(uint64_t n) {
   uint64_t c = (n + 8 + 15) & ~UINT64_C(15);
   return c < 32 ? 32 : c;
}

uint64_t Boxed_queuedBytes(void) {
   return Boxed_chunk(sizeof(BoxedRecord)) + Boxed_chunk(BOXED_FIRST_CAP * sizeof(BoxedEntry)) + sizeof(BoxedRecord*);
}

uint64_t Boxed_batchOverhead(void) {
   return Batch_bytes(0) + 8 + 15 + sizeof(BoxedRecord*);
}

uint64_t BoxedRecord_bytes(const BoxedRecord* this) {
   return Boxed_chunk(sizeof *this) + Boxed_chunk((uint64_t)this->cap * sizeof(BoxedEntry));
}

void Boxed_loadFields(const BoxedRecord* obj, Row* row, StageId s) {
   for (const int* f = boxed_reads[s]; *f != BOXED_END; f++) {
      uint64_t bits = 0;
      BoxedRecord_get(obj, boxed_fields[*f].key, &bits);
      boxed_setIn(row, &boxed_fields[*f], bits);
   }
}

void Boxed_storeFields(BoxedRecord* obj, const Row* row, StageId s) {
   for (const int* f = boxed_derives[s]; *f != BOXED_END; f++)
      BoxedRecord_put(obj, boxed_fields[*f].key, boxed_bitsOf(row, &boxed_fields[*f]));
}

/* Each row the filter kept, from first on, to its record's object: the filter keeps rows in the batch's
 * order, each a copy of its record (two equal records are interchangeable: same fields, same result). */
static void boxed_mapRows(Work* w, const Batch* b, uint32_t first) {
   if (w->nrows > w->rowbox_cap) {
      w->rowbox_cap = w->nrows > 2 * w->rowbox_cap ? w->nrows : 2 * w->rowbox_cap;
      w->rowbox = xrealloc(w->rowbox, (size_t)w->rowbox_cap * sizeof *w->rowbox);
   }
   uint32_t j = first;
   for (uint32_t i = 0; i < b->n && j < w->nrows; i++)
      if (memcmp(&w->rows[j].rec, &b->rec[i], sizeof(Record)) == 0)
         w->rowbox[j++] = w->box[i];
}

void Boxed_runStage(Pipeline* p, Work* w, const Batch* b, StageId s, Variant v) {
   if (!w->box) {
      Stage_table[s].run[v](p, w, b);
      return;
   }
   uint32_t first = w->first;
   if (s == STAGE_FILTER) {
      Stage_table[s].run[v](p, w, b);
      boxed_mapRows(w, b, first);
      return;
   }
   for (uint32_t j = first; j < w->nrows; j++)
      Boxed_loadRow(w->rowbox[j], &w->rows[j], s);
   Stage_table[s].run[v](p, w, b);
   for (uint32_t j = first; j < w->nrows; j++)
      Boxed_storeRow(w->rowbox[j], &w->rows[j], s);
}
