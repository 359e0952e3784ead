/*
 * csvreader.c: one CSV file through libcsv. Data model: a 256 KiB read
 * buffer handed to libcsv 16 KiB at a time (the owner asks for one slice at
 * a time, so it decides how far ahead the reading goes). Before libcsv sees
 * a file, a small line reader drops a UTF-8 BOM, blank lines and the leading
 * '#' lines.
 *
 * Line numbers: libcsv runs with CSV_REPALL_NL, so every unquoted CR or LF
 * reaches the row callback (an LF right after a CR is the same line break);
 * quoted line breaks are counted in the field text. A row's line is the line
 * of its first field.
 *
 * A field over CSVREADER_FIELD_MAX: libcsv's buffer refuses to grow, libcsv
 * stops, and a small copy of its state machine skips the rest of the row
 * (counting its lines) before libcsv starts again on the next one.
 */
#include "config.h"

#include "csv/csvreader.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileopen.h"
#include "base/xalloc.h"
#include "csv/csvtext.h"

#define CSVREADER_READ_SIZE (256 * 1024)
#define CSVREADER_SLICE     (16 * 1024)

typedef enum CsvReaderPhase {
   PHASE_LINE_START, /* at the start of a line before the header: '#', blank, or the CSV begins */
   PHASE_COMMENT,    /* inside a '#' line */
   PHASE_CSV,        /* libcsv has the rest */
} CsvReaderPhase;

/* Where the row skipper is after a field was too long: a small copy of libcsv's states. */
typedef enum CsvReaderSkip {
   SKIP_FIELD_START,
   SKIP_UNQUOTED,
   SKIP_QUOTED,
   SKIP_QUOTE_SEEN,
} CsvReaderSkip;

typedef struct CsvReaderColumn {
   char* shown; /* for messages: printable, short */
   char* key;   /* the name, blanks trimmed, for lookups; NULL when too long */
} CsvReaderColumn;

struct CsvReader {
   const CsvReaderOps* ops;
   void* ctx;
   CsvReaderBadRows* bad;
   char* path;
   int fd;
   uint64_t size;       /* when opened */
   uint64_t read_total; /* bytes read in this pass */
   unsigned char* buf;
   size_t len, pos;
   bool eof;
   bool at_start;
   unsigned char delim;
   struct csv_parser csv;
   bool quiet;

   /* the line reader in front of libcsv */
   CsvReaderPhase phase;
   bool pending_cr;
   bool any_content;
   bool comments_ended; /* commentsEnd was called in this pass */
   char* comment;
   size_t comment_len;
   bool comment_long;

   uint64_t line;     /* the physical line being read, from 1 */
   bool last_term_cr; /* libcsv's last row ended on a CR */

   /* header */
   bool header_done;
   bool header_binary; /* a header field holds NUL or control bytes */
   uint32_t n_fields;
   CsvReaderColumn* cols;
   uint32_t n_cols;

   /* the row being parsed */
   uint32_t row_fields;
   uint64_t row_line;
   bool row_bad;
   char row_err[CSVREADER_MSG_MAX];

   bool skipping;
   CsvReaderSkip skip;
   bool skip_cr;

   bool ended;   /* this pass read to the end of the file */
   bool stopped; /* an error ended it: message in error */
   char error[CSVREADER_MSG_MAX];
   uint64_t rows; /* data rows in this pass */

   _Atomic uint64_t a_consumed;
   _Atomic uint64_t a_rows;
};

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
   for (; i < n; i++)
      if (s[i] < 0x0E)
         return true;
   return false;
}

/* Newlines in s, an LF right after a CR counting once; *cr carries a trailing CR across calls. */
static uint64_t csvreader_countLines(const unsigned char* s, size_t n, bool* cr) {
   uint64_t lines = 0;
   for (size_t i = 0; i < n; i++) {
      if (s[i] == '\n') {
         if (!*cr)
            lines++;
         *cr = false;
      } else if (s[i] == '\r') {
         lines++;
         *cr = true;
      } else
         *cr = false;
   }
   return lines;
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
   csvreader_print(this->row_err, sizeof this->row_err, "%s:%llu: column %s: %s", this->path,
                   (unsigned long long)this->row_line, name, reason);
   this->row_bad = true;
}

/* A bad row: stop the file, or count it and keep its message. */
static void csvreader_reject(CsvReader* this, const char* msg) {
   CsvReaderBadRows* bad = this->bad;
   if (bad->stop) {
      snprintf(this->error, sizeof this->error, "%s", msg);
      this->stopped = true;
      return;
   }
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
      CsvReader_fatal(this, "%s:%llu: the header row is not text (NUL or control bytes): not a CSV file?", this->path,
                      (unsigned long long)this->row_line);
      return;
   }
   if (this->n_fields > CSVREADER_MAX_COLUMNS) {
      CsvReader_fatal(this, "%s:%llu: the header has %u columns; at most %d are read", this->path,
                      (unsigned long long)this->row_line, this->n_fields, CSVREADER_MAX_COLUMNS);
      return;
   }
   this->header_done = true;
   this->ops->header(this->ctx);
}

/* ------------------------------------------------------------- the rows */

/* A complete data row. */
static void csvreader_dataRow(CsvReader* this) {
   this->rows++;
   atomic_store_explicit(&this->a_rows, this->rows, memory_order_relaxed);
   if (this->quiet) {
      if (this->row_fields == this->n_fields && !this->row_bad)
         this->ops->row(this->ctx);
      return;
   }
   if (this->row_fields != this->n_fields) {
      char msg[CSVREADER_MSG_MAX];
      snprintf(msg, sizeof msg, "%s:%llu: expected %u fields as in the header, found %u", this->path,
               (unsigned long long)this->row_line, this->n_fields, this->row_fields);
      csvreader_reject(this, msg);
      return;
   }
   if (this->row_bad) {
      csvreader_reject(this, this->row_err);
      return;
   }
   this->ops->row(this->ctx);
}

static void csvreader_field(void* data, size_t len, void* ctx) {
   CsvReader* this = ctx;
   if (this->row_fields == 0) {
      this->row_line = this->line;
      this->row_bad = false;
   }
   if (csvreader_hasControl(data, len)) {
      bool cr = false; /* only a quoted field holds line breaks */
      this->line += csvreader_countLines(data, len, &cr);
   }
   uint32_t col = this->row_fields;
   if (this->row_fields < UINT32_MAX)
      this->row_fields++;
   if (this->stopped)
      return;
   if (!this->header_done)
      csvreader_headerField(this, col, data, len);
   else
      this->ops->field(this->ctx, col, data, len);
}

static void csvreader_rowEnd(int c, void* ctx) {
   CsvReader* this = ctx;
   if (c == '\n' && this->last_term_cr && this->row_fields == 0) {
      this->last_term_cr = false; /* the LF of a CRLF */
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

static void csvreader_csvInit(CsvReader* this) {
   csv_init(&this->csv, CSV_REPALL_NL | CSV_APPEND_NULL);
   csv_set_delim(&this->csv, this->delim);
   csv_set_realloc_func(&this->csv, csvreader_realloc);
   csv_set_blk_size(&this->csv, 64 * 1024);
}

/* The '#' lines are over: once per pass. */
static void csvreader_commentsEnd(CsvReader* this) {
   if (this->comments_ended)
      return;
   this->comments_ended = true;
   this->ops->commentsEnd(this->ctx);
}

/* A '#' line ended (at a line break or the end of the file). */
static void csvreader_commentEnd(CsvReader* this) {
   char none[1] = "";
   char* text = none;
   if (this->comment) {
      this->comment[this->comment_len] = '\0';
      text = this->comment;
   }
   this->ops->comment(this->ctx, text, this->comment_long, this->line);
   this->comment_len = 0;
}

/* The text of a '#' line, up to CSVREADER_COMMENT_MAX bytes of it. */
static void csvreader_commentText(CsvReader* this, const unsigned char* p, size_t n) {
   if (!this->comment)
      this->comment = xmalloc(CSVREADER_COMMENT_MAX + 1);
   size_t room = CSVREADER_COMMENT_MAX - this->comment_len;
   size_t take = n < room ? n : room;
   if (take < n)
      this->comment_long = true;
   memcpy(this->comment + this->comment_len, p, take);
   this->comment_len += take;
}

/* The line reader before the CSV: BOM already gone; blank and '#' lines. Returns bytes consumed. */
static size_t csvreader_lines(CsvReader* this, const unsigned char* p, size_t n) {
   size_t i = 0;
   while (i < n && !this->stopped) {
      unsigned char c = p[i];
      if (this->pending_cr) {
         this->pending_cr = false;
         if (c == '\n') {
            i++;
            continue;
         }
      }
      if (this->phase == PHASE_LINE_START) {
         if (c == '\n' || c == '\r') {
            this->line++;
            this->pending_cr = c == '\r';
            i++;
            continue;
         }
         this->any_content = true;
         if (c == '#') {
            this->phase = PHASE_COMMENT;
            this->comment_len = 0;
            this->comment_long = false;
            i++;
            continue;
         }
         this->phase = PHASE_CSV;
         csvreader_commentsEnd(this);
         return i;
      }
      /* inside a comment: up to the line break */
      size_t j = i;
      while (j < n && p[j] != '\n' && p[j] != '\r')
         j++;
      csvreader_commentText(this, p + i, j - i);
      i = j;
      if (j < n) {
         csvreader_commentEnd(this);
         this->line++;
         this->pending_cr = p[j] == '\r';
         this->phase = PHASE_LINE_START;
         i++;
      }
   }
   return i;
}

/* Skip the rest of a row whose field was too long, the way libcsv would read it. */
static size_t csvreader_skipRow(CsvReader* this, const unsigned char* p, size_t n) {
   unsigned char delim = this->delim;
   for (size_t i = 0; i < n; i++) {
      unsigned char c = p[i];
      bool nl = c == '\n' || c == '\r';
      switch (this->skip) {
      case SKIP_QUOTED:
         if (c == '"')
            this->skip = SKIP_QUOTE_SEEN;
         else if (nl) {
            if (c == '\r' || !this->skip_cr)
               this->line++;
         }
         this->skip_cr = c == '\r';
         continue;
      case SKIP_QUOTE_SEEN:
         if (c == '"' || (c != delim && !nl && c != ' ' && c != '\t')) {
            this->skip = SKIP_QUOTED;
            this->skip_cr = false;
            continue;
         }
         break;
      case SKIP_FIELD_START:
         if (c == '"') {
            this->skip = SKIP_QUOTED;
            this->skip_cr = false;
            continue;
         }
         break;
      case SKIP_UNQUOTED:
         break;
      }
      if (c == delim) {
         this->skip = SKIP_FIELD_START;
      } else if (nl) {
         if (c == '\r' || !this->skip_cr)
            this->line++;
         this->skipping = false;
         this->last_term_cr = c == '\r';
         this->row_fields = 0;
         return i + 1;
      } else if (this->skip == SKIP_FIELD_START && c != ' ' && c != '\t') {
         this->skip = SKIP_UNQUOTED;
      }
      this->skip_cr = false;
   }
   return n;
}

/* libcsv refused to grow a field past CSVREADER_FIELD_MAX. */
static void csvreader_tooLong(CsvReader* this) {
   uint64_t line = this->row_fields ? this->row_line : this->line;
   if (this->row_fields == 0)
      this->row_line = line;
   /* the line breaks inside the part of the field already read */
   bool cr = false;
   this->line += csvreader_countLines(this->csv.entry_buf, this->csv.entry_pos, &cr);
   if (!this->header_done) {
      CsvReader_fatal(this, "%s:%llu: header field longer than %d bytes", this->path, (unsigned long long)line,
                      CSVREADER_FIELD_MAX);
      return;
   }
   if (!this->quiet) {
      this->rows++;
      this->row_bad = false;
      CsvReader_rowError(this, this->row_fields, "field longer than %d bytes", CSVREADER_FIELD_MAX);
      csvreader_reject(this, this->row_err);
      if (this->stopped)
         return;
   }
   this->skipping = true;
   this->skip_cr = cr;
   if (this->csv.pstate == 3) /* FIELD_MIGHT_HAVE_ENDED */
      this->skip = SKIP_QUOTE_SEEN;
   else
      this->skip = this->csv.quoted ? SKIP_QUOTED : SKIP_UNQUOTED;
   csv_free(&this->csv);
   csvreader_csvInit(this);
}

/* The end of the file (this pass). */
static void csvreader_finish(CsvReader* this) {
   if (this->phase == PHASE_COMMENT && !this->stopped) {
      csvreader_commentEnd(this);
      this->phase = PHASE_LINE_START;
   }
   if (this->phase == PHASE_CSV && !this->skipping && !this->stopped)
      csv_fini(&this->csv, csvreader_field, csvreader_rowEnd, this);
   this->ended = true;
   if (this->stopped || this->header_done)
      return;
   csvreader_commentsEnd(this);
   if (!this->any_content)
      CsvReader_fatal(this, "%s: empty file", this->path);
   else if (this->phase != PHASE_CSV)
      CsvReader_fatal(this, "%s: no header row (only '#' lines)", this->path);
   else
      CsvReader_fatal(this, "%s: no header row", this->path);
}

/* Refill the buffer; false when there is nothing to parse (the end, or an error). */
static bool csvreader_read(CsvReader* this) {
   if (this->eof) {
      csvreader_finish(this);
      return false;
   }
   ssize_t n;
   do
      n = read(this->fd, this->buf, CSVREADER_READ_SIZE);
   while (n < 0 && errno == EINTR);
   if (n < 0) {
      CsvReader_fatal(this, "%s: read failed: %s", this->path, strerror(errno));
      return false;
   }
   if (n == 0) {
      this->eof = true;
      if (this->read_total < this->size) {
         /* the end came before the bytes the file had when it was opened: cut short under us */
         CsvReader_fatal(this, "%s: ended after %llu bytes, but it had %llu when the replay opened it "
                         "(truncated while being read?)", this->path, (unsigned long long)this->read_total,
                         (unsigned long long)this->size);
         return false;
      }
      csvreader_finish(this);
      return false;
   }
   this->read_total += (uint64_t)n;
   this->len = (size_t)n;
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
   if (this->pos == this->len && !csvreader_read(this))
      return;
   size_t n = this->len - this->pos < CSVREADER_SLICE ? this->len - this->pos : CSVREADER_SLICE;
   const unsigned char* p = this->buf + this->pos;
   size_t used;
   if (this->skipping)
      used = csvreader_skipRow(this, p, n);
   else if (this->phase != PHASE_CSV)
      used = csvreader_lines(this, p, n);
   else {
      used = csv_parse(&this->csv, p, n, csvreader_field, csvreader_rowEnd, this);
      if (used < n && !this->stopped)
         csvreader_tooLong(this);
   }
   this->pos += used;
   atomic_fetch_add_explicit(&this->a_consumed, used, memory_order_relaxed);
}

/* ------------------------------------------------------------ lifetime */

CsvReader* CsvReader_new(const char* path, unsigned char delim, CsvReaderBadRows* bad, const CsvReaderOps* ops,
                         void* ctx) {
   CsvReader* this = xcalloc(1, sizeof *this);
   this->ops = ops;
   this->ctx = ctx;
   this->bad = bad;
   this->path = xstrdup(path);
   this->fd = -1;
   this->delim = delim;
   csvreader_csvInit(this);
   return this;
}

void CsvReader_delete(CsvReader* this) {
   if (!this)
      return;
   if (this->fd >= 0)
      close(this->fd);
   csv_free(&this->csv);
   csvreader_freeColumns(this);
   free(this->buf);
   free(this->comment);
   free(this->path);
   free(this);
}

bool CsvReader_rewind(CsvReader* this) {
   if (lseek(this->fd, 0, SEEK_SET) < 0) {
      CsvReader_fatal(this, "%s: cannot read it again: %s", this->path, strerror(errno));
      return false;
   }
   this->len = this->pos = 0;
   this->read_total = 0;
   this->eof = false;
   csv_free(&this->csv);
   csvreader_csvInit(this);
   this->quiet = false;
   this->phase = PHASE_LINE_START;
   this->at_start = true;
   this->pending_cr = false;
   this->comments_ended = false;
   this->line = 1;
   this->last_term_cr = false;
   this->header_done = false;
   this->header_binary = false;
   csvreader_freeColumns(this);
   this->row_fields = 0;
   this->skipping = false;
   this->ended = false;
   this->rows = 0;
   atomic_store_explicit(&this->a_consumed, 0, memory_order_relaxed);
   atomic_store_explicit(&this->a_rows, 0, memory_order_relaxed);
   return true;
}

bool CsvReader_open(CsvReader* this, char* err, size_t errlen) {
   char why[256];
   this->fd = FileOpen_read(this->path, why, sizeof why); /* a FIFO without a writer: no wait in open */
   if (this->fd < 0) {
      snprintf(err, errlen, "%s: cannot open: %s", this->path, why);
      return false;
   }
   struct stat st;
   if (fstat(this->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
      snprintf(err, errlen, "%s: not a regular file", this->path);
      return false;
   }
   this->size = (uint64_t)st.st_size;
   posix_fadvise(this->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
   this->buf = xmalloc(CSVREADER_READ_SIZE);
   CsvReader_rewind(this);
   return true;
}

void CsvReader_setQuiet(CsvReader* this, bool quiet) {
   this->quiet = quiet;
}

const char* CsvReader_path(const CsvReader* this) {
   return this->path;
}

uint64_t CsvReader_size(const CsvReader* this) {
   return this->size;
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

uint64_t CsvReader_rowLine(const CsvReader* this) {
   return this->row_line;
}

uint64_t CsvReader_rows(const CsvReader* this) {
   return this->rows;
}

uint64_t CsvReader_rowsSeen(const CsvReader* this) {
   return atomic_load_explicit(&this->a_rows, memory_order_relaxed);
}

uint64_t CsvReader_consumed(const CsvReader* this) {
   return atomic_load_explicit(&this->a_consumed, memory_order_relaxed);
}
