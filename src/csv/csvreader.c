/*
 * csvreader.c: one CSV input through libcsv. Data model: a 256 KiB read
 * buffer handed to libcsv 16 KiB at a time (the owner asks for one slice at
 * a time, so it decides how far ahead the reading goes). Before libcsv sees
 * the input, the prelude (csvprelude.c) drops a UTF-8 BOM, the skipped rows,
 * blank lines and the leading '#' lines, and finds the delimiter.
 *
 * Line numbers: libcsv runs with CSV_REPALL_NL, so every unquoted CR or LF
 * reaches the row callback (an LF right after a CR is the same line break);
 * quoted line breaks are counted in the field text. A row's line is the line
 * of its first field.
 *
 * Byte positions: libcsv does not say where in a slice a row ends, so a
 * row's end is the slice's start plus the bytes of the fields before it in
 * that slice (one more for each delimiter and line break), at most the
 * slice's end: exact at every slice's end, close inside one. Progress needs
 * no more.
 */
#include "config.h"

#include "csv/csvreader.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "csv/csvreader_impl.h"
#include "csv/csvtext.h"

#define CSVREADER_READ_SIZE (256 * 1024)
#define CSVREADER_SLICE     (16 * 1024)

static void csvreader_field(void* data, size_t len, void* ctx);
static void csvreader_rowEnd(int c, void* ctx);

/* ------------------------------------------------------------------ text */

/* snprintf for messages, where cutting a long path or name short is fine. */
static void csvreader_print(char* out, size_t len, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

static void csvreader_print(char* out, size_t len, const char* fmt, ...) {
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(out, len, fmt, ap);
   va_end(ap);
}

/* Whether s has a byte below 0x0E (CR, LF and a few others): eight bytes at a time, as fields are short. */
static bool csvreader_hasControl(const unsigned char* s, size_t n) {
   const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
   size_t i = 0;
   for (; i + 8 <= n; i += 8) {
      uint64_t x;
      memcpy(&x, s + i, sizeof x);
      if ((x - 0x0E * ones) & ~x & highs)
         return true;
   }
   if (i == n)
      return false;
   if (n >= 8) {
      /* the last eight bytes, overlapping what was checked */
      uint64_t x;
      memcpy(&x, s + n - 8, sizeof x);
      return (x - 0x0E * ones) & ~x & highs;
   }
   /* fewer than eight: the first and the last four (or two) bytes, overlapping, cover them all */
   if (n >= 4) {
      uint32_t a, b;
      memcpy(&a, s, sizeof a);
      memcpy(&b, s + n - 4, sizeof b);
      return ((a - 0x0E0E0E0Eu) & ~a & 0x80808080u) | ((b - 0x0E0E0E0Eu) & ~b & 0x80808080u);
   }
   return s[0] < 0x0E || s[n / 2] < 0x0E || s[n - 1] < 0x0E;
}

/* ---------------------------------------------------------------- errors */

void CsvReader_fatal(CsvReader* this, const char* fmt, ...) {
   if (this->stopped)
      return;
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(this->error, sizeof this->error, fmt, ap);
   va_end(ap);
   this->stopped = true;
}

void CsvReader_columnName(const CsvReader* this, uint32_t col, char* out, size_t len) {
   if (col < this->n_cols && this->cols[col].shown[0])
      snprintf(out, len, "%s", this->cols[col].shown);
   else
      snprintf(out, len, "#%u", col + 1);
}

void CsvReader_rowError(CsvReader* this, uint32_t col, const char* fmt, ...) {
   if (this->row_bad)
      return;
   char name[CSVTEXT_SHOWN_MAX + 8], reason[CSVREADER_MSG_MAX];
   CsvReader_columnName(this, col, name, sizeof name);
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(reason, sizeof reason, fmt, ap);
   va_end(ap);
   csvreader_print(this->row_err, sizeof this->row_err, "%s:%llu: column %s: %s", CsvReader_path(this),
                   (unsigned long long)this->row_line, name, reason);
   this->row_bad = true;
}

/* A bad row: stop the file, or count it and keep its message. */
static void csvreader_reject(CsvReader* this, const char* msg) {
   CsvReaderBadRows* bad = this->bad;
   if (bad->stop) {
      /* a row no option reads can still be passed over */
      bool hinted = strstr(msg, "try --") || strstr(msg, "(--");
      /* a message at the limit loses the end of its hint, never its place */
      if (snprintf(this->error, sizeof this->error, "%s%s", msg, hinted ? "" : " (--on-bad-row skip passes over such rows)") >=
          (int)sizeof this->error)
         this->error[sizeof this->error - 1] = 0;
      this->stopped = true;
      return;
   }
   this->skipped++;
   CsvReader_noteBadRow(bad, msg);
}

void CsvReader_noteBadRow(CsvReaderBadRows* bad, const char* msg) {
   uint32_t k = atomic_load_explicit(&bad->n_kept, memory_order_relaxed);
   if (k < CSVREADER_BAD_KEPT) {
      snprintf(bad->kept[k], sizeof bad->kept[k], "%s", msg);
      atomic_store_explicit(&bad->n_kept, k + 1, memory_order_release);
   }
   atomic_fetch_add_explicit(&bad->n, 1, memory_order_relaxed);
}

void CsvReader_rejectRow(CsvReader* this) {
   csvreader_reject(this, this->row_err);
}

uint64_t CsvReader_badRows(const CsvReaderBadRows* bad, const char** msgs, size_t max, size_t* n_msgs) {
   uint32_t k = atomic_load_explicit(&bad->n_kept, memory_order_acquire);
   size_t n = k < max ? k : max;
   for (size_t i = 0; i < n; i++)
      msgs[i] = bad->kept[i];
   if (n_msgs)
      *n_msgs = n;
   return atomic_load_explicit(&bad->n, memory_order_relaxed);
}

/* ----------------------------------------------------------- the header */

uint32_t CsvReader_fields(const CsvReader* this) {
   return this->n_fields;
}

uint32_t CsvReader_columns(const CsvReader* this) {
   return this->n_cols;
}

const char* CsvReader_columnKey(const CsvReader* this, uint32_t i) {
   return i < this->n_cols ? this->cols[i].key : NULL;
}

void CsvReader_listColumns(const CsvReader* this, char* out, size_t len) {
   size_t at = 0;
   out[0] = '\0';
   for (uint32_t i = 0; i < this->n_cols && at + 8 < len; i++) {
      int n = snprintf(out + at, len - at, "%s%s", i ? ", " : "", this->cols[i].shown);
      if (n < 0)
         break;
      at += (size_t)n;
   }
}

static void csvreader_headerField(CsvReader* this, uint32_t col, const char* data, size_t len) {
   if (col >= CSVREADER_MAX_COLUMNS)
      return;
   if (col >= this->n_cols) {
      this->cols = xrealloc(this->cols, (col + 1) * sizeof *this->cols);
      this->n_cols = col + 1;
   }
   CsvText_trim(&data, &len);
   for (size_t i = 0; i < len; i++)
      if (((unsigned char)data[i] < 0x20 && !strchr("\t\n\r", data[i])) || data[i] == '\0')
         this->header_binary = true;
   char shown[CSVTEXT_SHOWN_MAX + 4];
   CsvText_shown(shown, sizeof shown, data, len, CSVTEXT_SHOWN_MAX);
   this->cols[col].shown = xstrdup(shown);
   this->cols[col].key = NULL;
   if (len <= CSVTEXT_NAME_MAX && !memchr(data, '\0', len)) {
      this->cols[col].key = xmalloc(len + 1);
      memcpy(this->cols[col].key, data, len);
      this->cols[col].key[len] = '\0';
   }
}

static void csvreader_freeColumns(CsvReader* this) {
   for (uint32_t i = 0; i < this->n_cols; i++) {
      free(this->cols[i].shown);
      free(this->cols[i].key);
   }
   free(this->cols);
   this->cols = NULL;
   this->n_cols = 0;
}

static void csvreader_headerEnd(CsvReader* this) {
   this->n_fields = this->row_fields;
   if (this->header_binary) {
      CsvReader_fatal(this, "%s:%llu: the header row is not text (NUL or control bytes): not a CSV file?",
                      CsvReader_path(this), (unsigned long long)this->row_line);
      return;
   }
   if (this->n_fields > CSVREADER_MAX_COLUMNS) {
      CsvReader_fatal(this, "%s:%llu: the header has %u columns; at most %d are read", CsvReader_path(this),
                      (unsigned long long)this->row_line, this->n_fields, CSVREADER_MAX_COLUMNS);
      return;
   }
   this->header_done = true;
   this->ops->header(this->ctx);
}

/* ------------------------------------------------------------- the rows */

void CsvReader_clearHeld(CsvReader* this) {
   for (uint32_t i = 0; i < this->n_held; i++)
      free(this->held[i].data);
   this->n_held = 0;
}

const char* CsvReader_firstField(const CsvReader* this, uint32_t col, size_t* len) {
   uint32_t i = col + this->shift;
   if (this->first_done || i >= this->n_held)
      return NULL;
   *len = this->held[i].len;
   return this->held[i].data;
}

/* The first data row is complete: find a row-name column, let the owner look, then hand its fields over. */
static void csvreader_releaseFirst(CsvReader* this) {
   this->shift = this->n_held == this->n_fields + 1 ? 1 : 0;
   if (this->ops->layout)
      this->ops->layout(this->ctx);
   this->first_done = true;
   for (uint32_t i = this->shift; i < this->n_held && !this->stopped; i++)
      this->ops->field(this->ctx, i - this->shift, this->held[i].data, this->held[i].len);
   CsvReader_clearHeld(this);
}

/* A complete data row. */
static void csvreader_dataRow(CsvReader* this) {
   this->rows++;
   atomic_store_explicit(&this->a_rows, this->rows, memory_order_relaxed);
   if (!this->row_nonempty) {
      /* every field empty (";;;;" at the end of a spreadsheet's export): nothing to read, nothing wrong */
      this->empty_rows++;
      CsvReader_clearHeld(this);
      return;
   }
   if (!this->first_done)
      csvreader_releaseFirst(this);
   if (this->stopped)
      return;
   if (this->row_fields != this->n_fields + this->shift) {
      char msg[CSVREADER_MSG_MAX];
      const char* hint = this->shift ? " after the row-name column" : "";
      if (this->row_fields == 1 && this->n_fields > 1)
         hint = ": is the delimiter right (--delimiter)?";
      snprintf(msg, sizeof msg, "%s:%llu: expected %u fields as in the header, found %u%s", CsvReader_path(this),
               (unsigned long long)this->row_line, this->n_fields, this->row_fields - this->shift, hint);
      csvreader_reject(this, msg);
      return;
   }
   if (this->row_bad) {
      csvreader_reject(this, this->row_err);
      return;
   }
   this->ops->row(this->ctx);
}

/* Keep a field of the first data row until the row is complete. */
static void csvreader_hold(CsvReader* this, const char* data, size_t len) {
   if (this->n_held == this->held_cap) {
      this->held_cap = this->held_cap ? this->held_cap * 2 : 16;
      this->held = xrealloc(this->held, this->held_cap * sizeof *this->held);
   }
   char* copy = xmalloc(len + 1);
   memcpy(copy, data, len);
   copy[len] = '\0';
   this->held[this->n_held++] = (CsvReaderHeld){copy, len};
}

static void csvreader_field(void* data, size_t len, void* ctx) {
   CsvReader* this = ctx;
   if (this->row_fields == 0) {
      this->row_line = this->line;
      this->row_bad = false;
      this->row_nonempty = false;
   }
   this->row_end += len + 1;
   if (csvreader_hasControl(data, len)) {
      bool cr = false; /* only a quoted field holds line breaks */
      this->line += CsvPrelude_countLines(data, len, &cr);
   }
   uint32_t col = this->row_fields;
   if (this->row_fields < UINT32_MAX)
      this->row_fields++;
   if (this->stopped)
      return;
   if (!this->header_done) {
      csvreader_headerField(this, col, data, len);
      return;
   }
   this->row_nonempty |= len > 0;
   if (!this->first_done)
      csvreader_hold(this, data, len);
   else if (col >= this->shift)
      this->ops->field(this->ctx, col - this->shift, data, len);
}

static void csvreader_rowEnd(int c, void* ctx) {
   CsvReader* this = ctx;
   if (c == '\n' && this->last_term_cr && this->row_fields == 0) {
      this->last_term_cr = false; /* the LF of a CRLF */
      this->row_end++;
      return;
   }
   if (this->row_fields > 0 && !this->stopped) {
      if (!this->header_done)
         csvreader_headerEnd(this);
      else
         csvreader_dataRow(this);
   }
   this->row_fields = 0;
   if (c == '\r' || c == '\n')
      this->line++;
   this->last_term_cr = c == '\r';
}

/* -------------------------------------------------------------- reading */

/* libcsv grows a field's buffer with this: refusing to pass CSVREADER_FIELD_MAX
 * makes it stop with CSV_ENOMEM, which is how a too-long field is noticed. */
static void* csvreader_realloc(void* p, size_t size) {
   if (size > (size_t)CSVREADER_FIELD_MAX + 1)
      return NULL;
   return xrealloc(p, size);
}

void CsvReader_csvInit(CsvReader* this) {
   csv_init(&this->csv, CSV_REPALL_NL | CSV_APPEND_NULL);
   csv_set_delim(&this->csv, this->delim);
   csv_set_realloc_func(&this->csv, csvreader_realloc);
   csv_set_blk_size(&this->csv, 64 * 1024);
}

/* The '#' lines are over: once per pass. */
void CsvReader_commentsEnd(CsvReader* this) {
   if (this->comments_ended)
      return;
   this->comments_ended = true;
   this->ops->commentsEnd(this->ctx);
}

/* A '#' line ended (at a line break or the end of the file). */
void CsvReader_commentEnd(CsvReader* this) {
   char none[1] = "";
   char* text = none;
   if (this->comment) {
      this->comment[this->comment_len] = '\0';
      text = this->comment;
   }
   this->ops->comment(this->ctx, text, this->comment_long, this->line);
   this->comment_len = 0;
}

/* The end of the input (this pass). */
static void csvreader_finish(CsvReader* this) {
   if (this->phase == PHASE_COMMENT && !this->stopped) {
      CsvReader_commentEnd(this);
      this->phase = PHASE_LINE_START;
   }
   if (this->phase == PHASE_CSV && !this->skipping && !this->stopped)
      csv_fini(&this->csv, csvreader_field, csvreader_rowEnd, this);
   this->ended = true;
   if (this->stopped || this->header_done)
      return;
   CsvReader_commentsEnd(this);
   const char* path = CsvReader_path(this);
   if (!this->any_content)
      CsvReader_fatal(this, "%s: empty %s", path, this->in.kind == CSVINPUT_FILE ? "file" : "input");
   else if (this->phase != PHASE_CSV)
      CsvReader_fatal(this, "%s: no header row (only '#' lines%s)", path, this->setup.skip_rows ? " and skipped rows" : "");
   else
      CsvReader_fatal(this, "%s: no header row", path);
}

static void csvreader_restart(CsvReader* this);

/* Refill the buffer; false when there is nothing to parse (the end, nothing yet, or an error). */
static bool csvreader_read(CsvReader* this) {
   if (this->eof) {
      csvreader_finish(this);
      return false;
   }
   size_t got = 0;
   char err[CSVREADER_MSG_MAX];
   switch (CsvInput_read(&this->in, this->buf, CSVREADER_READ_SIZE, &got, err, sizeof err)) {
   case CSVINPUT_FAILED:
      CsvReader_fatal(this, "%s", err);
      return false;
   case CSVINPUT_END:
      this->eof = true;
      if (this->in.kind == CSVINPUT_FILE && !this->in.follow && this->in.offset < this->in.size) {
         /* the end came before the bytes the file had when it was opened: cut short under us */
         CsvReader_fatal(this, "%s: ended after %llu bytes, but it had %llu when the replay opened it "
                         "(truncated while being read? --follow reads a file that is rewritten)",
                         CsvReader_path(this), (unsigned long long)this->in.offset,
                         (unsigned long long)this->in.size);
         return false;
      }
      csvreader_finish(this);
      return false;
   case CSVINPUT_NOTHING:
      this->starved = true;
      return false;
   case CSVINPUT_TRUNCATED:
      csvreader_print(this->notice, sizeof this->notice,
                      "%s: truncated to %llu bytes after %llu were read: reading it again from its start",
                      CsvReader_path(this), (unsigned long long)this->in.size, (unsigned long long)this->in.offset);
      if (CsvInput_rewind(&this->in, err, sizeof err))
         csvreader_restart(this);
      else
         CsvReader_fatal(this, "%s", err);
      return false;
   case CSVINPUT_DATA:
      break;
   }
   this->len = got;
   this->pos = 0;
   if (this->at_start) {
      this->at_start = false;
      if (this->len >= 3 && memcmp(this->buf, "\xEF\xBB\xBF", 3) == 0) {
         this->pos = 3;
         atomic_store_explicit(&this->a_consumed, 3, memory_order_relaxed);
         return false; /* the next slice starts after the BOM */
      }
   }
   return true;
}

void CsvReader_feed(CsvReader* this) {
   this->starved = false;
   if (this->pos == this->len && !csvreader_read(this))
      return;
   size_t n = this->len - this->pos < CSVREADER_SLICE ? this->len - this->pos : CSVREADER_SLICE;
   const unsigned char* p = this->buf + this->pos;
   uint64_t base = atomic_load_explicit(&this->a_consumed, memory_order_relaxed);
   size_t used;
   if (this->skipping)
      used = CsvPrelude_skipRow(this, p, n);
   else if (this->phase != PHASE_CSV)
      used = CsvPrelude_lines(this, p, n);
   else {
      this->row_end = base;
      this->slice_end = base + n;
      used = csv_parse(&this->csv, p, n, csvreader_field, csvreader_rowEnd, this);
      if (used < n && !this->stopped)
         CsvPrelude_tooLong(this);
   }
   this->pos += used;
   if (this->row_end > base + used)
      this->row_end = base + used;
   atomic_store_explicit(&this->a_consumed, base + used, memory_order_relaxed);
}

bool CsvReader_ready(CsvReader* this, int64_t timeout_ns) {
   if (this->pos < this->len || this->eof || this->stopped)
      return true;
   return CsvInput_ready(&this->in, timeout_ns);
}

bool CsvReader_starved(const CsvReader* this) {
   return this->starved;
}

/* ------------------------------------------------------------ lifetime */

CsvReader* CsvReader_new(const char* path, const CsvReaderSetup* setup, CsvReaderBadRows* bad,
                         const CsvReaderOps* ops, void* ctx) {
   CsvReader* this = xcalloc(1, sizeof *this);
   this->ops = ops;
   this->ctx = ctx;
   this->bad = bad;
   this->setup = *setup;
   this->in.fd = -1;
   this->in.path = xstrdup(path);
   this->in.is_stdin = strcmp(path, "-") == 0;
   this->delim = setup->delim ? setup->delim : ',';
   CsvReader_csvInit(this);
   return this;
}

void CsvReader_delete(CsvReader* this) {
   if (!this)
      return;
   CsvInput_close(&this->in);
   free(this->in.path);
   csv_free(&this->csv);
   csvreader_freeColumns(this);
   CsvReader_clearHeld(this);
   free(this->held);
   free(this->buf);
   free(this->comment);
   free(this);
}

/* The state of a new pass, the input already at its start. */
static void csvreader_restart(CsvReader* this) {
   this->len = this->pos = 0;
   this->eof = false;
   csv_free(&this->csv);
   CsvReader_csvInit(this);
   this->phase = PHASE_LINE_START;
   this->skip_left = this->setup.skip_rows;
   this->at_start = true;
   this->pending_cr = false;
   this->any_content = false;
   this->comments_ended = false;
   this->line = 1;
   this->last_term_cr = false;
   this->header_done = false;
   this->header_binary = false;
   csvreader_freeColumns(this);
   this->first_done = false;
   this->shift = 0;
   CsvReader_clearHeld(this);
   this->row_fields = 0;
   this->row_end = 0;
   this->skipping = false;
   this->ended = false;
   this->rows = 0;
   this->empty_rows = 0;
   atomic_store_explicit(&this->a_consumed, 0, memory_order_relaxed);
   atomic_store_explicit(&this->a_rows, 0, memory_order_relaxed);
}

bool CsvReader_rewind(CsvReader* this) {
   char err[CSVREADER_MSG_MAX];
   if (this->stopped)
      return false;
   if (!CsvInput_rewind(&this->in, err, sizeof err)) {
      CsvReader_fatal(this, "%s", err);
      return false;
   }
   csvreader_restart(this);
   return true;
}

bool CsvReader_open(CsvReader* this, char* err, size_t errlen) {
   char* path = this->in.path;
   this->in.path = NULL;
   bool ok = CsvInput_open(&this->in, path, this->setup.follow, err, errlen);
   free(path);
   if (!ok)
      return false;
   this->opened = true;
   this->buf = xmalloc(CSVREADER_READ_SIZE);
   csvreader_restart(this);
   return true;
}

const char* CsvReader_path(const CsvReader* this) {
   return this->in.is_stdin ? "<stdin>" : this->in.path;
}

bool CsvReader_isStdin(const CsvReader* this) {
   return this->in.is_stdin;
}

uint64_t CsvReader_size(const CsvReader* this) {
   return this->in.kind == CSVINPUT_FILE ? this->in.size : 0;
}

bool CsvReader_isFile(const CsvReader* this) {
   return this->in.kind == CSVINPUT_FILE;
}

size_t CsvReader_tail(const CsvReader* this, char* buf, size_t cap) {
   return CsvInput_tail(&this->in, buf, cap);
}

bool CsvReader_ended(const CsvReader* this) {
   return this->ended;
}

bool CsvReader_headerDone(const CsvReader* this) {
   return this->header_done;
}

const char* CsvReader_error(const CsvReader* this) {
   return this->stopped ? this->error : NULL;
}

bool CsvReader_takeNotice(CsvReader* this, char* out, size_t len) {
   if (!this->notice[0])
      return false;
   snprintf(out, len, "%s", this->notice);
   this->notice[0] = '\0';
   return true;
}

uint64_t CsvReader_rowLine(const CsvReader* this) {
   return this->row_line;
}

uint64_t CsvReader_rowEnd(const CsvReader* this) {
   return this->row_end < this->slice_end ? this->row_end : this->slice_end;
}

uint64_t CsvReader_rows(const CsvReader* this) {
   return this->rows;
}

uint64_t CsvReader_emptyRows(const CsvReader* this) {
   return this->empty_rows;
}

uint64_t CsvReader_skippedRows(const CsvReader* this) {
   return this->skipped;
}

uint64_t CsvReader_rowsSeen(const CsvReader* this) {
   return atomic_load_explicit(&this->a_rows, memory_order_relaxed);
}

uint64_t CsvReader_consumed(const CsvReader* this) {
   return atomic_load_explicit(&this->a_consumed, memory_order_relaxed);
}

unsigned char CsvReader_delimiter(const CsvReader* this) {
   return this->delim;
}

bool CsvReader_delimiterFound(const CsvReader* this) {
   return this->delim_found;
}

uint32_t CsvReader_rowNames(const CsvReader* this) {
   return this->shift;
}
