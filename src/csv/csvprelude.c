/*
 * csvprelude.c: what the reader does around libcsv. Before the header: the
 * lines --skip-rows passes over, blank lines, '#' lines, and the delimiter
 * found in the header line when none is given. Inside the data: the rest of
 * a row whose field passed CSVREADER_FIELD_MAX, skipped by a small copy of
 * libcsv's state machine that counts its lines.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "csv/csvreader_impl.h"

uint64_t CsvPrelude_countLines(const unsigned char* s, size_t n, bool* cr) {
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

/* The delimiter of the header line at p[0..n): the candidate found most often outside quotes
 * (',' on a tie or when none is there). */
static unsigned char csvprelude_findDelimiter(const unsigned char* p, size_t n) {
   static const unsigned char candidates[] = {',', ';', '\t', '|'};
   size_t count[sizeof candidates] = {0};
   bool quoted = false;
   for (size_t i = 0; i < n; i++) {
      unsigned char c = p[i];
      if (c == '"')
         quoted = !quoted;
      else if (!quoted && (c == '\n' || c == '\r'))
         break;
      else if (!quoted)
         for (size_t k = 0; k < sizeof candidates; k++)
            count[k] += c == candidates[k];
   }
   size_t best = 0;
   for (size_t k = 1; k < sizeof candidates; k++)
      if (count[k] > count[best])
         best = k;
   return candidates[best];
}

/* The CSV begins at p (the header line): its delimiter, when none was given. */
static void csvprelude_csvStarts(CsvReader* this, const unsigned char* p) {
   this->phase = PHASE_CSV;
   if (!this->setup.delim && !this->delim_found) {
      this->delim = csvprelude_findDelimiter(p, (size_t)(this->buf + this->len - p));
      this->delim_found = true;
      csv_set_delim(&this->csv, this->delim);
   }
   CsvReader_commentsEnd(this);
}

/* The text of a '#' line, up to CSVREADER_COMMENT_MAX bytes of it. */
static void csvprelude_commentText(CsvReader* this, const unsigned char* p, size_t n) {
   if (!this->comment)
      this->comment = xmalloc(CSVREADER_COMMENT_MAX + 1);
   size_t room = CSVREADER_COMMENT_MAX - this->comment_len;
   size_t take = n < room ? n : room;
   if (take < n)
      this->comment_long = true;
   memcpy(this->comment + this->comment_len, p, take);
   this->comment_len += take;
}

size_t CsvPrelude_lines(CsvReader* this, const unsigned char* p, size_t n) {
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
      if (this->phase == PHASE_LINE_START && this->skip_left > 0)
         this->phase = PHASE_SKIP;
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
         csvprelude_csvStarts(this, p + i);
         return i;
      }
      /* inside a skipped line or a comment: up to the line break */
      size_t j = i;
      while (j < n && p[j] != '\n' && p[j] != '\r')
         j++;
      if (j > i)
         this->any_content = true;
      if (this->phase == PHASE_COMMENT)
         csvprelude_commentText(this, p + i, j - i);
      i = j;
      if (j < n) {
         if (this->phase == PHASE_COMMENT)
            CsvReader_commentEnd(this);
         else
            this->skip_left--;
         this->line++;
         this->pending_cr = p[j] == '\r';
         this->phase = PHASE_LINE_START;
         i++;
      }
   }
   return i;
}

size_t CsvPrelude_skipRow(CsvReader* this, const unsigned char* p, size_t n) {
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

void CsvPrelude_tooLong(CsvReader* this) {
   uint64_t line = this->row_fields ? this->row_line : this->line;
   if (this->row_fields == 0)
      this->row_line = line;
   /* the line breaks inside the part of the field already read */
   bool cr = false;
   this->line += CsvPrelude_countLines(this->csv.entry_buf, this->csv.entry_pos, &cr);
   if (!this->header_done) {
      CsvReader_fatal(this, "%s:%llu: header field longer than %d bytes", CsvReader_path(this),
                      (unsigned long long)line, CSVREADER_FIELD_MAX);
      return;
   }
   this->rows++;
   this->row_bad = false;
   uint32_t col = this->row_fields >= this->shift ? this->row_fields - this->shift : 0;
   CsvReader_rowError(this, col, "field longer than %d bytes", CSVREADER_FIELD_MAX);
   if (!this->first_done)
      CsvReader_clearHeld(this);
   CsvReader_rejectRow(this);
   if (this->stopped)
      return;
   this->skipping = true;
   this->skip_cr = cr;
   if (this->csv.pstate == 3) /* FIELD_MIGHT_HAVE_ENDED */
      this->skip = SKIP_QUOTE_SEEN;
   else
      this->skip = this->csv.quoted ? SKIP_QUOTED : SKIP_UNQUOTED;
   csv_free(&this->csv);
   CsvReader_csvInit(this);
}
