/*
 * reorder.c: the reorder buffer behind --ordered (see reorder.h). Each
 * hand-off becomes a chunk: its entries (one per record: admission number,
 * event time, where its line is in the chunk's copy of the text, or no
 * line) and the text. The entries wait in a window indexed by admission
 * number (a ring of slots from the watermark on, doubled when a number
 * falls past its end), and the watermark walks the window while its slot is
 * filled: a constant cost per record, whatever the number of hand-offs
 * held. A chunk is freed once all its entries are written.
 */
#include "config.h"

#include "core/reorder.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define REORDER_MIN_SLOTS UINT64_C(4096) /* the window's first size (admission numbers) */

typedef struct ReorderEntry {
   int64_t t_event;
   uint64_t off; /* of its line in the chunk's text */
   uint32_t seq; /* admission number, as the record has it (32 bits, wrapping) */
   uint32_t len; /* of its line; 0: none (filtered, dropped) */
} ReorderEntry;

struct ReorderChunk {
   uint32_t n;
   uint32_t left; /* entries not yet written */
   size_t len;    /* of text */
   char* text;
   ReorderEntry e[];
};

/* A slot of the window: an entry of a chunk. */
typedef struct ReorderRef {
   ReorderChunk* c; /* NULL: the record is not done yet */
   uint32_t i;
} ReorderRef;

struct Reorder {
   ReorderRef* ring; /* the window: slot k & (cap - 1) holds admission number k, for next <= k < next + cap */
   uint64_t cap;
   uint64_t next; /* the watermark: every record admitted before it is done */
   uint64_t end;  /* one past the newest admission number held */
   uint64_t max_bytes;
   uint64_t max_slots;
   int64_t last_t; /* the newest event time written */
   bool any;       /* a line has been written */
   ReorderStats st;
};

Reorder* Reorder_new(uint64_t max_bytes) {
   Reorder* this = xcalloc(1, sizeof *this);
   this->max_bytes = max_bytes;
   /* the window's slots take a quarter of the bound at most */
   this->max_slots = REORDER_MIN_SLOTS;
   while (this->max_slots * 2 * sizeof(ReorderRef) <= max_bytes / 4)
      this->max_slots *= 2;
   this->cap = REORDER_MIN_SLOTS;
   this->ring = xcalloc(this->cap, sizeof *this->ring);
   return this;
}

void Reorder_delete(Reorder* this) {
   if (!this)
      return;
   for (uint64_t k = this->next; k < this->end; k++) {
      ReorderRef* r = &this->ring[k & (this->cap - 1)];
      if (r->c && --r->c->left == 0)
         Reorder_freeChunk(r->c);
   }
   free(this->ring);
   free(this);
}

static void reorder_append(OutBuf* out, const char* s, size_t n) {
   size_t need = out->len + n + 1;
   if (need > out->cap) {
      size_t cap = out->cap ? out->cap : 4096;
      while (cap < need)
         cap *= 2;
      out->buf = xrealloc(out->buf, cap);
      out->cap = cap;
   }
   memcpy(out->buf + out->len, s, n);
   out->len += n;
   out->buf[out->len] = '\0';
}

/* Entry i of c to out (its line, if it has one); the chunk goes once every entry is written. */
static void reorder_write(Reorder* this, ReorderChunk* c, uint32_t i, OutBuf* out) {
   const ReorderEntry* x = &c->e[i];
   if (x->len) {
      if (this->any && x->t_event < this->last_t)
         this->st.unordered++;
      else
         this->last_t = x->t_event;
      this->any = true;
      this->st.lines++;
      reorder_append(out, c->text + x->off, x->len);
   }
   this->st.held_records--;
   this->st.held_bytes -= sizeof *x + x->len;
   if (--c->left == 0)
      Reorder_freeChunk(c);
}

/* Write what the watermark has reached, moving it on. */
static void reorder_emit(Reorder* this, OutBuf* out) {
   uint64_t mask = this->cap - 1;
   while (this->next < this->end) {
      ReorderRef* r = &this->ring[this->next & mask];
      if (!r->c)
         return;
      ReorderChunk* c = r->c;
      r->c = NULL;
      this->next++;
      reorder_write(this, c, r->i, out);
   }
}

/* Stop waiting for the oldest missing records: the watermark moves to the oldest held (counted: passed). */
static void reorder_pass(Reorder* this, bool count, OutBuf* out) {
   uint64_t k = this->next, mask = this->cap - 1;
   while (k < this->end && !this->ring[k & mask].c)
      k++;
   if (count)
      this->st.passed += k - this->next;
   this->next = k;
   reorder_emit(this, out);
}

static void reorder_grow(Reorder* this) {
   uint64_t cap = this->cap * 2;
   ReorderRef* ring = xcalloc(cap, sizeof *ring);
   for (uint64_t k = this->next; k < this->end; k++)
      ring[k & (cap - 1)] = this->ring[k & (this->cap - 1)];
   free(this->ring);
   this->ring = ring;
   this->cap = cap;
}

/* Room in the window for admission number k: a larger window, or, at its bound, a watermark moved on. */
static void reorder_room(Reorder* this, uint64_t k, OutBuf* out) {
   while (k >= this->next + this->cap) {
      if (this->cap < this->max_slots) {
         reorder_grow(this);
         continue;
      }
      if (this->st.held_records > 0 && this->end > this->next)
         reorder_pass(this, true, out);
      if (k >= this->next + this->cap && this->next >= this->end) {
         /* nothing held: the watermark jumps to where the window reaches k */
         uint64_t to = k - this->cap + 1;
         this->st.passed += to - this->next;
         this->next = this->end = to;
      }
   }
}

void Reorder_put(Reorder* this, ReorderChunk* c, OutBuf* out) {
   if (c->n == 0) {
      Reorder_freeChunk(c);
      return;
   }
   c->left = c->n;
   this->st.held_records += c->n;
   this->st.held_bytes += (uint64_t)c->n * sizeof(ReorderEntry) + c->len;
   if (this->st.held_bytes > this->st.peak_bytes)
      this->st.peak_bytes = this->st.held_bytes;
   for (uint32_t i = 0, n = c->n; i < n; i++) {
      /* each entry widened on its own: one worker's hand-off may take batches of several partitions in
       * seal order, whose admission numbers interleave */
      uint64_t k = this->next + (uint64_t)(int64_t)(int32_t)(c->e[i].seq - (uint32_t)this->next);
      if (k < this->next) {
         reorder_write(this, c, i, out); /* passed over: written at once (the last one frees c: n is kept) */
         continue;
      }
      reorder_room(this, k, out);
      this->ring[k & (this->cap - 1)] = (ReorderRef){c, i};
      if (k >= this->end)
         this->end = k + 1;
   }
   reorder_emit(this, out);
   while (this->st.held_bytes > this->max_bytes && this->st.held_records > 0)
      reorder_pass(this, true, out);
}

/* The length of the line that starts at s, its '\n' included; a quoted field may hold one. */
static size_t reorder_lineLen(const char* s, const char* end) {
   const char* p = s;
   for (;;) {
      const char* nl = memchr(p, '\n', (size_t)(end - p));
      if (!nl)
         return (size_t)(end - s);
      const char* q = memchr(p, '"', (size_t)(nl - p));
      if (!q)
         return (size_t)(nl - s) + 1;
      /* a quoted field: on past its closing quote ("" inside it is two quotes, the same walk) */
      const char* close = memchr(q + 1, '"', (size_t)(end - q - 1));
      if (!close)
         return (size_t)(end - s);
      p = close + 1;
   }
}

ReorderChunk* Reorder_chunk(const Record* rec, uint32_t n, const Row* rows, uint32_t nrows, const char* text,
                            size_t len) {
   ReorderChunk* c = xmalloc(sizeof *c + (size_t)n * sizeof(ReorderEntry));
   c->n = n;
   c->len = len;
   c->text = len ? xmalloc(len) : NULL;
   if (len)
      memcpy(c->text, text, len);
   uint32_t j = 0;
   size_t off = 0;
   for (uint32_t i = 0; i < n; i++) {
      ReorderEntry* x = &c->e[i];
      x->seq = rec[i].seq;
      x->t_event = rec[i].t_event;
      x->off = off;
      x->len = 0;
      if (j < nrows && rows[j].rec.seq == rec[i].seq && off < len) {
         x->len = (uint32_t)reorder_lineLen(text + off, text + len);
         off += x->len;
         j++;
      }
   }
   return c;
}

void Reorder_freeChunk(ReorderChunk* c) {
   if (!c)
      return;
   free(c->text);
   free(c);
}

void Reorder_add(Reorder* this, const Record* rec, uint32_t n, const Row* rows, uint32_t nrows, const char* text,
                 size_t len, OutBuf* out) {
   Reorder_put(this, Reorder_chunk(rec, n, rows, nrows, text, len), out);
}

void Reorder_skip(Reorder* this, const Record* rec, uint32_t n, OutBuf* out) {
   Reorder_add(this, rec, n, NULL, 0, NULL, 0, out);
}

void Reorder_flush(Reorder* this, OutBuf* out) {
   while (this->next < this->end)
      reorder_pass(this, false, out);
}

void Reorder_stats(const Reorder* this, ReorderStats* out) {
   *out = this->st;
}
