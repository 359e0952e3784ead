/*
 * replayinfo.c: how a replayed file is read, said in one line before it
 * plays (stderr in headless runs, the replay panel in the dashboard): the
 * delimiter, the time column and how its times are read, the value and
 * sensor columns, what is left out or skipped, and the span of time the
 * file covers with how long it takes at the speed. A regular file's last
 * time comes from its last row, read from its end without reading the rest
 * (so the replay stays one pass); a stream's span is known only at its end.
 */
#include "config.h"

#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/units.h"
#include "base/xalloc.h"
#include "csv/csvtext.h"
#include "csv/replayfile.h"
#include "csv/replayprogress.h"

#define REPLAYINFO_TAIL 65536 /* bytes read from a file's end for its last row */

/* text appended at out[*at], as much as fits. */
static void replayinfo_add(char* out, size_t len, size_t* at, const char* fmt, ...) __attribute__((format(printf, 4, 5)));

static void replayinfo_add(char* out, size_t len, size_t* at, const char* fmt, ...) {
   if (*at + 1 >= len)
      return;
   va_list ap;
   va_start(ap, fmt);
   int n = vsnprintf(out + *at, len - *at, fmt, ap);
   va_end(ap);
   if (n > 0)
      *at = *at + (size_t)n < len ? *at + (size_t)n : len - 1;
}

/* The fields of the last row libcsv reads from the tail: kept as it goes, the last non-empty row wins. */
typedef struct ReplayInfoTail {
   char fields[2][REPLAYFILE_PIECE_MAX + 1];
   char row[2][REPLAYFILE_PIECE_MAX + 1];
   int want[2];
   int n_want;
   uint32_t col;
   bool nonempty;
   bool have;
} ReplayInfoTail;

static void replayinfo_field(void* data, size_t len, void* ctx) {
   ReplayInfoTail* t = ctx;
   for (int k = 0; k < t->n_want; k++) {
      if ((int)t->col == t->want[k]) {
         size_t n = len < REPLAYFILE_PIECE_MAX ? len : REPLAYFILE_PIECE_MAX;
         memcpy(t->row[k], data, n);
         t->row[k][n] = '\0';
      }
   }
   t->nonempty |= len > 0;
   t->col++;
}

static void replayinfo_rowEnd(int c, void* ctx) {
   (void)c;
   ReplayInfoTail* t = ctx;
   if (t->col > 0 && t->nonempty) {
      memcpy(t->fields, t->row, sizeof t->fields);
      t->have = true;
   }
   memset(t->row, 0, sizeof t->row);
   t->col = 0;
   t->nonempty = false;
}

bool ReplayFile_lastTime(ReplayFile* f, int64_t* t) {
   if (!f->have_first)
      return false;
   char* buf = xmalloc(REPLAYINFO_TAIL);
   size_t n = CsvReader_tail(f->reader, buf, REPLAYINFO_TAIL);
   /* start after the first line break: the first line in the buffer may be cut */
   size_t from = 0;
   if (n == REPLAYINFO_TAIL) {
      while (from < n && buf[from] != '\n' && buf[from] != '\r')
         from++;
      from++;
   }
   ReplayInfoTail tail = {.n_want = (int)f->map.n_time};
   for (uint32_t k = 0; k < f->map.n_time; k++)
      tail.want[k] = f->map.time[k] + (int)CsvReader_rowNames(f->reader);
   struct csv_parser p;
   bool parsed = csv_init(&p, CSV_APPEND_NULL) == 0;
   if (parsed) {
      csv_set_delim(&p, CsvReader_delimiter(f->reader));
      if (from < n)
         csv_parse(&p, buf + from, n - from, replayinfo_field, replayinfo_rowEnd, &tail);
      csv_fini(&p, replayinfo_field, replayinfo_rowEnd, &tail);
      csv_free(&p);
   }
   free(buf);
   if (!parsed || !tail.have)
      return false;
   char text[2 * REPLAYFILE_PIECE_MAX + 2];
   int len = f->map.n_time > 1 ? snprintf(text, sizeof text, "%s %s", tail.fields[0], tail.fields[1])
                               : snprintf(text, sizeof text, "%s", tail.fields[0]);
   const ReplayConfig* c = &f->shared->config;
   const char* why = c->time_format ? CsvTime_parseFormat(c->time_format, text, (size_t)len, c->tz_s, t)
                                    : CsvTime_parseZoned(text, (size_t)len, f->unit, c->tz_s, t);
   return why == NULL;
}

/* The time columns' names: "timestamp", or "Date+Time". */
static void replayinfo_timeColumns(const ReplayFile* f, char* out, size_t len) {
   char a[CSVTEXT_SHOWN_MAX + 8], b[CSVTEXT_SHOWN_MAX + 8];
   CsvReader_columnName(f->reader, (uint32_t)f->map.time[0], a, sizeof a);
   if (f->map.n_time > 1) {
      CsvReader_columnName(f->reader, (uint32_t)f->map.time[1], b, sizeof b);
      snprintf(out, len, "%s+%s", a, b);
   } else {
      snprintf(out, len, "%s", a);
   }
}

/* How the times are read: "date-times (UTC)", "'%d/%m/%Y %H.%M.%S' (--time-format, UTC)", "numbers in ms
 * (from the column's name; --time-unit to change)". */
static void replayinfo_timeHow(const ReplayFile* f, char* out, size_t len) {
   const ReplayConfig* c = &f->shared->config;
   char zone[16] = "UTC";
   if (c->tz_s)
      snprintf(zone, sizeof zone, "UTC%+03d:%02d", c->tz_s / 3600, (c->tz_s < 0 ? -c->tz_s : c->tz_s) / 60 % 60);
   if (c->time_format)
      snprintf(out, len, "'%s' (--time-format, %s unless a zone is given)", c->time_format, zone);
   else if (f->unit == CSVTIME_DATETIME)
      snprintf(out, len, "date-times (%s unless a zone is given)", zone);
   else
      snprintf(out, len, "numbers in %s (%s%s)", CsvTime_unitNames[f->unit], f->unit_why,
               strcmp(f->unit_why, "by --time-unit") == 0 || f->header.version ? "" : "; --time-unit to change");
}

/* The value columns and the sensors they make. */
static void replayinfo_values(const ReplayFile* f, char* out, size_t len, size_t* at) {
   char name[CSVTEXT_SHOWN_MAX + 8], sensor[CSVTEXT_SHOWN_MAX + 8];
   if (f->map.sensor >= 0)
      CsvReader_columnName(f->reader, (uint32_t)f->map.sensor, sensor, sizeof sensor);
   if (f->header.version) {
      replayinfo_add(out, len, at, "; a keepup recording: sensor %s", f->header.names ? "names" : "ids");
      return;
   }
   if (!f->map.value_named) {
      CsvReader_columnName(f->reader, (uint32_t)f->map.value[0], name, sizeof name);
      if (f->map.sensor >= 0)
         replayinfo_add(out, len, at, "; value %s, sensors named by column %s", name, sensor);
      else
         replayinfo_add(out, len, at, "; value %s, one sensor named '%s'%s", name,
                        f->shared->names.names ? f->shared->names.names[f->value_sensor[0]] : "?",
                        !CsvReader_isStdin(f->reader) ? " (after the file)"
                        : f->shared->config.stdin_name ? " (by --stdin-name)"
                                                       : " (standard input has no file name: --stdin-name NAME names it)");
      return;
   }
   replayinfo_add(out, len, at, "; %u value columns, each a sensor%s%s%s (", f->map.n_value,
                  f->map.sensor >= 0 ? " named " : "", f->map.sensor >= 0 ? sensor : "",
                  f->map.sensor >= 0 ? "/COLUMN" : " named after it");
   for (uint32_t k = 0; k < f->map.n_value; k++) {
      CsvReader_columnName(f->reader, (uint32_t)f->map.value[k], name, sizeof name);
      replayinfo_add(out, len, at, "%s%s", k ? ", " : "", name);
   }
   replayinfo_add(out, len, at, ")%s%s", f->map.sensor >= 0 ? "" : "; no sensor column", "");
}

/* The span of time the file covers and how long it takes at this speed. */
static void replayinfo_span(ReplayFile* f, double speed, int64_t max_gap_ns, char* out, size_t len, size_t* at) {
   if (!CsvReader_isFile(f->reader) || f->shared->config.follow) {
      replayinfo_add(out, len, at, "; from %s on (%s: read as it comes)", f->first_time,
                     CsvReader_isFile(f->reader) ? "--follow" : "a stream");
      return;
   }
   int64_t last;
   if (!ReplayFile_lastTime(f, &last) || last < f->first_t) {
      replayinfo_add(out, len, at, "; from %s on (the last row's time could not be read ahead)", f->first_time);
      return;
   }
   char first[48], end[48], span[32], play[32];
   CsvTime_format(first, sizeof first, f->first_t, f->unit);
   CsvTime_format(end, sizeof end, last, f->unit);
   ReplayProgress_span(span, sizeof span, last - f->first_t);
   replayinfo_add(out, len, at, "; %s to %s (%s)", first, end, span);
   if (speed > 0) {
      ReplayProgress_span(play, sizeof play, (int64_t)((double)(last - f->first_t) / speed));
      replayinfo_add(out, len, at, ": %s at x%g%s", play, speed, max_gap_ns > 0 ? " at most (less with --max-gap)" : "");
   } else {
      replayinfo_add(out, len, at, ": as fast as it goes (--speed max)");
   }
}

void ReplayFile_describe(ReplayFile* f, double speed, int64_t max_gap_ns, char* out, size_t len) {
   const ReplayConfig* c = &f->shared->config;
   size_t at = 0;
   out[0] = '\0';
   unsigned char d = CsvReader_delimiter(f->reader);
   char dshown[8];
   snprintf(dshown, sizeof dshown, d == '\t' ? "tab" : "'%c'", d);
   replayinfo_add(out, len, &at, "%s: delimiter %s%s", CsvReader_path(f->reader), dshown,
                  CsvReader_delimiterFound(f->reader) ? " (found in the header)" : "");
   if (c->skip_rows)
      replayinfo_add(out, len, &at, "; %u row%s skipped before the header", c->skip_rows, c->skip_rows == 1 ? "" : "s");
   if (CsvReader_rowNames(f->reader))
      replayinfo_add(out, len, &at, "; the header is one field short: the rows' first column holds row names, passed over");
   char cols[2 * CSVTEXT_SHOWN_MAX + 20], how[160];
   replayinfo_timeColumns(f, cols, sizeof cols);
   replayinfo_timeHow(f, how, sizeof how);
   replayinfo_add(out, len, &at, "; time %s as %s", cols, how);
   replayinfo_values(f, out, len, &at);
   if (f->map.left_out[0])
      replayinfo_add(out, len, &at, "; left out: %s", f->map.left_out);
   if (c->decimal_comma)
      replayinfo_add(out, len, &at, "; decimal comma");
   for (uint32_t i = 0; i < f->shared->n_na; i++)
      replayinfo_add(out, len, &at, "%s'%s'", i ? ", " : "; missing values: ", f->shared->na[i]);
   replayinfo_span(f, speed, max_gap_ns, out, len, &at);
}
