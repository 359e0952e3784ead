/*
 * replay.c: CSV replay. Data model:
 *
 * ReplayFile is one file being played: its CsvReader, the columns picked
 * for it, a recording's header, the state of the row being parsed and a
 * queue of parsed rows waiting to be played. A slice is parsed only when the
 * queue is empty, so the queue holds at most one slice's rows. The reader
 * calls back here (replay_readerOps) with the '#' lines, the header and each
 * field and row; sensor names are interned in the Replay's SensorNames, the
 * files' ids shared.
 *
 * Replay merges the files: next() plays the earliest queued row of all
 * files (the lower file index on a tie) and turns its file time into the
 * engine's relative time: rel = rel_anchor + (eff - eff_anchor) / speed,
 * where eff is the file time from the origin plus the loop offset. The
 * anchors move on a speed change, so the schedule goes on from where it is.
 */
#include "config.h"

#include "csv/replay.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "core/knobs.h"
#include "csv/columns.h"
#include "csv/csvnum.h"
#include "csv/csvtext.h"
#include "csv/recformat.h"
#include "csv/sensornames.h"

typedef struct ReplayRow {
   int64_t t; /* file time, ns */
   double value;
   uint32_t sensor;
} ReplayRow;

typedef struct ReplayFile {
   struct Replay* owner;
   uint32_t index;
   CsvReader* reader;
   RecFormatHeader header; /* a recording's: in full for the first file, the id space for the others */
   bool scanning;          /* the opening pass over a file with a sensor column: only names are collected */
   bool scanned;           /* the sensor-name scan is done */
   bool named;             /* file_sensor is interned */
   int col[COLUMNS_LAST];  /* -1: none */
   uint32_t file_sensor;
   CsvTimeUnit unit;

   /* the row being parsed */
   int64_t row_t;
   double row_value;
   uint32_t row_sensor;
   char scan_name[CSVTEXT_NAME_MAX + 1];

   int64_t last_t;
   bool have_last;

   ReplayRow* rows;
   size_t head, count, cap;
   uint64_t pass_records;
} ReplayFile;

struct Replay {
   Generator gen; /* first: the engine holds a Generator* */
   ReplayFile* files;
   uint32_t n_files;
   bool loop;
   CsvTimeUnit unit_opt;
   Columns columns;
   locale_t c_locale;

   /* sensors */
   bool recordings;
   uint32_t id_space;
   SensorNames names; /* of files that are not recordings */

   /* pacing (source thread only) */
   int64_t origin;
   int64_t loop_base;
   double speed;
   int64_t eff_anchor, rel_anchor;
   int64_t clock_origin;
   bool clock_started;
   int64_t paused_total;
   bool have_last;
   int64_t last_eff, last_rel; /* the record the engine holds */
   int64_t prev_eff, prev_rel; /* the one before it */
   bool last_asap;
   uint64_t pass_records;
   int64_t pass_first_eff;
   bool done;

   /* read from other threads */
   char error[REPLAY_MSG_MAX];
   atomic_bool failed;
   atomic_bool finished;
   CsvReaderBadRows bad;
   _Atomic uint64_t a_records;
   _Atomic uint64_t a_loops;
   _Atomic int64_t a_time;     /* file time of the latest record */
   _Atomic int64_t a_rel_time; /* same, from the origin */
   _Atomic int32_t a_file;     /* -1 before the first record */
   _Atomic int a_unit;         /* CsvTimeUnit of that file */
   _Atomic uint64_t a_speed;   /* bits of the speed in force */
   uint64_t total_size;
};

static void replay_fail(Replay* this, const char* msg) {
   if (atomic_load(&this->failed))
      return;
   snprintf(this->error, sizeof this->error, "%s", msg);
   atomic_store_explicit(&this->failed, true, memory_order_release);
}

/* ------------------------------------------------------ a file's header */

/* A '#' line: the first one says whether the file is a recording, a recording's say how it was processed. */
static void replay_comment(void* ctx, char* text, bool too_long, uint64_t line) {
   ReplayFile* f = ctx;
   const char* path = CsvReader_path(f->reader);
   char why[REPLAY_MSG_MAX];
   if (line == 1 && RecFormat_readFirst(&f->header, text, why, sizeof why) == RECFORMAT_UNREADABLE) {
      CsvReader_fatal(f->reader, "%s:1: %s", path, why);
      return;
   }
   if (!f->header.version || f->header.ended)
      return;
   if (too_long) {
      CsvReader_fatal(f->reader, "%s:%llu: recording header line longer than %d bytes", path, (unsigned long long)line,
                      CSVREADER_COMMENT_MAX);
      return;
   }
   if (!RecFormat_readLine(&f->header, text, why, sizeof why))
      CsvReader_fatal(f->reader, "%s:%llu: %s", path, (unsigned long long)line, why);
}

/* The recording's '#' lines are all in: check them. */
static void replay_commentsEnd(void* ctx) {
   ReplayFile* f = ctx;
   char why[REPLAY_MSG_MAX];
   if (!RecFormat_readEnd(&f->header, why, sizeof why))
      CsvReader_fatal(f->reader, "%s: %s", CsvReader_path(f->reader), why);
}

/* The header row is in: pick the columns, name the file's sensor or scan the names first. */
static void replay_header(void* ctx) {
   ReplayFile* f = ctx;
   Replay* this = f->owner;
   const char* path = CsvReader_path(f->reader);
   unsigned long long line = (unsigned long long)CsvReader_rowLine(f->reader);
   char why[REPLAY_MSG_MAX];
   if (!Columns_resolve(&this->columns, f->reader, f->col, why, sizeof why)) {
      CsvReader_fatal(f->reader, "%s:%llu: %s", path, line, why);
      return;
   }
   if (f->header.version && f->col[COLUMNS_SENSOR] < 0) {
      CsvReader_fatal(f->reader, "%s:%llu: a keepup recording needs its sensor column", path, line);
      return;
   }
   if (f->header.version)
      return;
   if (f->col[COLUMNS_SENSOR] < 0) {
      if (!f->named) {
         f->file_sensor = SensorNames_internFile(&this->names, path);
         f->named = true;
      }
   } else if (!f->scanned) {
      f->scanning = true;
      CsvReader_setQuiet(f->reader, true);
   }
}

/* ------------------------------------------------------------ the fields */

static void replay_timeField(ReplayFile* f, uint32_t col, const char* data, size_t len) {
   char shown[CSVTEXT_SHOWN_MAX + 4];
   if (f->unit == CSVTIME_AUTO) {
      CsvTimeUnit unit = CsvTime_detect(data, len);
      const char* s = data;
      size_t n = len;
      CsvText_trim(&s, &n);
      if (n == 0) {
         CsvReader_rowError(f->reader, col, "empty time");
         return;
      }
      if (unit == CSVTIME_AUTO) {
         CsvText_shown(shown, sizeof shown, data, len, CSVTEXT_SHOWN_MAX);
         CsvReader_rowError(f->reader, col, "unparsable time '%s': neither a number nor a date-time", shown);
         return;
      }
      f->unit = unit;
   }
   const char* why = CsvTime_parse(data, len, f->unit, &f->row_t);
   if (why && strcmp(why, "empty") == 0) {
      CsvReader_rowError(f->reader, col, "empty time");
   } else if (why) {
      CsvText_shown(shown, sizeof shown, data, len, CSVTEXT_SHOWN_MAX);
      CsvReader_rowError(f->reader, col, "unparsable time '%s': %s", shown, why);
   }
}

static void replay_valueField(ReplayFile* f, uint32_t col, const char* data, size_t len) {
   const char* why = CsvNum_parse(data, len, &f->row_value);
   if (!why)
      return;
   char shown[CSVTEXT_SHOWN_MAX + 4];
   CsvText_shown(shown, sizeof shown, data, len, CSVTEXT_SHOWN_MAX);
   if (strcmp(why, "empty") == 0)
      CsvReader_rowError(f->reader, col, "empty value");
   else if (strcmp(why, "out of range") == 0)
      CsvReader_rowError(f->reader, col, "number out of range '%s'", shown);
   else
      CsvReader_rowError(f->reader, col, "unparsable number '%s'", shown);
}

/* A recording's sensor is an id below its id space. */
static void replay_sensorId(ReplayFile* f, uint32_t col, const char* data, size_t len) {
   const char* s = data;
   size_t n = len;
   CsvText_trim(&s, &n);
   uint64_t id = 0;
   size_t i = 0;
   for (; i < n && i < 11 && s[i] >= '0' && s[i] <= '9'; i++)
      id = id * 10 + (uint64_t)(s[i] - '0');
   if (n == 0 || i != n || id >= f->header.id_space) {
      char shown[CSVTEXT_SHOWN_MAX + 4];
      CsvText_shown(shown, sizeof shown, data, len, CSVTEXT_SHOWN_MAX);
      CsvReader_rowError(f->reader, col, "sensor '%s' is not an id below %u", shown, f->header.id_space);
      return;
   }
   f->row_sensor = (uint32_t)id;
}

/* Another file's sensor is a name: noted while scanning, looked up while playing. */
static void replay_sensorName(ReplayFile* f, uint32_t col, const char* data, size_t len) {
   const char* s = data;
   size_t n = len;
   CsvText_trim(&s, &n);
   const char* why = SensorNames_check(s, n);
   if (why) {
      CsvReader_rowError(f->reader, col, "%s", why);
      return;
   }
   if (f->scanning) {
      memcpy(f->scan_name, s, n);
      f->scan_name[n] = '\0';
      return;
   }
   char name[CSVTEXT_NAME_MAX + 1];
   memcpy(name, s, n);
   name[n] = '\0';
   int64_t id = SensorNames_find(&f->owner->names, name);
   if (id < 0) {
      char shown[CSVTEXT_SHOWN_MAX + 4];
      CsvText_shown(shown, sizeof shown, data, len, CSVTEXT_SHOWN_MAX);
      CsvReader_rowError(f->reader, col, "sensor '%s' appeared after the replay started (the file changed?)", shown);
      return;
   }
   f->row_sensor = (uint32_t)id;
}

static void replay_field(void* ctx, uint32_t col, const char* data, size_t len) {
   ReplayFile* f = ctx;
   if ((int)col == f->col[COLUMNS_TIME]) {
      if (!f->scanning)
         replay_timeField(f, col, data, len);
   } else if ((int)col == f->col[COLUMNS_VALUE]) {
      if (!f->scanning)
         replay_valueField(f, col, data, len);
   } else if ((int)col == f->col[COLUMNS_SENSOR]) {
      if (f->header.version)
         replay_sensorId(f, col, data, len);
      else
         replay_sensorName(f, col, data, len);
   }
}

static void replay_push(ReplayFile* f) {
   if (f->count == f->cap) {
      size_t cap = f->cap ? f->cap * 2 : 256;
      ReplayRow* rows = xmalloc(cap * sizeof *rows);
      for (size_t i = 0; i < f->count; i++)
         rows[i] = f->rows[(f->head + i) % f->cap];
      free(f->rows);
      f->rows = rows;
      f->cap = cap;
      f->head = 0;
   }
   ReplayRow* row = &f->rows[(f->head + f->count) % f->cap];
   row->t = f->row_t;
   row->value = f->row_value;
   row->sensor = f->col[COLUMNS_SENSOR] >= 0 ? f->row_sensor : f->file_sensor;
   f->count++;
}

/* A good data row: intern its sensor (scanning) or queue it, at the current time if it went backwards. */
static void replay_row(void* ctx) {
   ReplayFile* f = ctx;
   if (f->scanning) {
      if (SensorNames_intern(&f->owner->names, f->scan_name) < 0)
         CsvReader_fatal(f->reader, "%s:%llu: more than %d distinct sensor names in the --replay files together",
                         CsvReader_path(f->reader), (unsigned long long)CsvReader_rowLine(f->reader), SENSORNAMES_MAX);
      return;
   }
   if (f->have_last && f->row_t < f->last_t) {
      char now[48], before[48];
      CsvTime_format(now, sizeof now, f->row_t, f->unit);
      CsvTime_format(before, sizeof before, f->last_t, f->unit);
      CsvReader_rowError(f->reader, (uint32_t)f->col[COLUMNS_TIME], "time goes backwards (%s after %s)", now, before);
      CsvReader_rejectRow(f->reader);
      if (CsvReader_error(f->reader))
         return;
      f->row_t = f->last_t; /* played at the current time */
   }
   f->last_t = f->row_t;
   f->have_last = true;
   f->pass_records++;
   replay_push(f);
}

static const CsvReaderOps replay_readerOps = {
    .comment = replay_comment,
    .commentsEnd = replay_commentsEnd,
    .header = replay_header,
    .field = replay_field,
    .row = replay_row,
};

/* -------------------------------------------------------------- a file */

/* Parse until a row is queued, the file ends, or it stops on an error. */
static void replay_fill(ReplayFile* f) {
   while (f->count == 0 && !CsvReader_ended(f->reader) && !CsvReader_error(f->reader))
      CsvReader_feed(f->reader);
}

/* Back to the start of the file, for the next pass (or after the name scan). */
static void replay_rewind(ReplayFile* f) {
   if (!CsvReader_rewind(f->reader))
      return;
   f->scanning = false;
   f->have_last = false;
   f->head = f->count = 0;
   f->pass_records = 0;
   f->unit = f->owner->unit_opt;
}

/* Open a file and read it up to its first record, scanning sensor names on the way if it needs that. */
static bool replay_prime(Replay* this, ReplayFile* f, char* err, size_t errlen) {
   CsvReader* r = f->reader;
   if (!CsvReader_open(r, err, errlen))
      return false;
   while (!CsvReader_headerDone(r) && !CsvReader_error(r) && !CsvReader_ended(r))
      CsvReader_feed(r);
   if (f->scanning && !CsvReader_error(r)) {
      while (!CsvReader_ended(r) && !CsvReader_error(r))
         CsvReader_feed(r);
      f->scanned = true;
      if (!CsvReader_error(r))
         replay_rewind(f);
   }
   replay_fill(f);
   if (f->count == 0 && CsvReader_error(r)) {
      snprintf(err, errlen, "%s", CsvReader_error(r));
      return false;
   }
   if (f->count == 0) {
      /* a recording of no records (made while the source was paused) is a valid, empty input */
      if (CsvReader_rows(r) == 0 && f->header.version && CsvReader_headerDone(r))
         return true;
      if (CsvReader_rows(r) == 0)
         snprintf(err, errlen, "%s: no records after the header (line %llu)", CsvReader_path(r),
                  (unsigned long long)CsvReader_rowLine(r));
      else {
         const char* first = atomic_load(&this->bad.n_kept) ? this->bad.kept[0] : "";
         snprintf(err, errlen, "%s: no valid records: all %llu data rows are bad (first: %s)", CsvReader_path(r),
                  (unsigned long long)CsvReader_rows(r), first);
      }
      return false;
   }
   return true;
}

/* ------------------------------------------------------------ generator */

/* Time arithmetic that saturates: files may hold any int64 times, and
 * INT64_MIN stays reserved for GENERATOR_ASAP. */
static int64_t replay_clampTime(int64_t t) {
   return t == INT64_MIN ? INT64_MIN + 1 : t;
}

static int64_t replay_add(int64_t a, int64_t b) {
   int64_t r;
   if (__builtin_add_overflow(a, b, &r))
      return b > 0 ? INT64_MAX : INT64_MIN + 1;
   return replay_clampTime(r);
}

static int64_t replay_sub(int64_t a, int64_t b) {
   int64_t r;
   if (__builtin_sub_overflow(a, b, &r))
      return b < 0 ? INT64_MAX : INT64_MIN + 1;
   return replay_clampTime(r);
}

static int64_t replay_nowRel(Replay* this) {
   return Clock_now() - this->clock_origin - this->paused_total;
}

/* File time to the engine's relative time under the current anchors. */
static int64_t replay_schedule(const Replay* this, int64_t eff) {
   int64_t d = replay_sub(eff, this->eff_anchor);
   if (this->speed != 1.0) {
      double scaled = (double)d / this->speed;
      d = scaled >= 9.2e18 ? INT64_MAX : scaled <= -9.2e18 ? INT64_MIN + 1 : llround(scaled);
   }
   return replay_add(this->rel_anchor, d);
}

static void replay_setSpeed(Replay* this, double speed) {
   if (speed == this->speed)
      return;
   if (speed > 0 && this->have_last) {
      if (this->speed > 0 && !this->last_asap) {
         /* go on from the record before the held one: the held one can be retimed */
         this->eff_anchor = this->prev_eff;
         this->rel_anchor = this->prev_rel;
      } else {
         /* from as-fast-as-possible: the held record is now */
         this->eff_anchor = this->last_eff;
         this->rel_anchor = replay_nowRel(this);
         if (this->rel_anchor < this->prev_rel)
            this->rel_anchor = this->prev_rel;
      }
   }
   this->speed = speed;
   uint64_t bits;
   memcpy(&bits, &speed, sizeof bits);
   atomic_store_explicit(&this->a_speed, bits, memory_order_relaxed);
}

/* Start the next pass (--loop): one average interval after the last record. */
static bool replay_restart(Replay* this) {
   int64_t gap = NS_PER_SEC;
   if (this->pass_records > 1 && this->last_eff > this->pass_first_eff)
      gap = replay_sub(this->last_eff, this->pass_first_eff) / (int64_t)(this->pass_records - 1);
   int64_t first_file_eff = replay_sub(this->pass_first_eff, this->loop_base);
   this->loop_base = replay_sub(replay_add(this->last_eff, gap), first_file_eff);
   this->pass_records = 0;
   for (uint32_t i = 0; i < this->n_files; i++) {
      replay_rewind(&this->files[i]);
      if (CsvReader_error(this->files[i].reader)) {
         replay_fail(this, CsvReader_error(this->files[i].reader));
         return false;
      }
   }
   atomic_fetch_add_explicit(&this->a_loops, 1, memory_order_relaxed);
   return true;
}

/* The file whose queued row comes first; NULL at the end of every file or on an error (then done). */
static ReplayFile* replay_earliest(Replay* this) {
   for (;;) {
      ReplayFile* best = NULL;
      for (uint32_t i = 0; i < this->n_files; i++) {
         ReplayFile* f = &this->files[i];
         replay_fill(f);
         if (f->count == 0) {
            if (CsvReader_error(f->reader)) {
               replay_fail(this, CsvReader_error(f->reader));
               return NULL;
            }
            continue;
         }
         if (!best || f->rows[f->head].t < best->rows[best->head].t)
            best = f;
      }
      if (best)
         return best;
      if (!this->loop || this->pass_records == 0 || !replay_restart(this))
         return NULL;
   }
}

static bool replay_next(Generator* gen, Record* out) {
   Replay* this = (Replay*)gen;
   if (this->done)
      return false;
   if (!this->clock_started) {
      this->clock_origin = Clock_now();
      this->clock_started = true;
   }
   ReplayFile* best = replay_earliest(this);
   if (!best) {
      this->done = true;
      atomic_store(&this->finished, true);
      return false;
   }
   ReplayRow* row = &best->rows[best->head];
   best->head = (best->head + 1) % best->cap;
   best->count--;
   int64_t eff = replay_add(replay_sub(row->t, this->origin), this->loop_base);
   if (this->pass_records++ == 0)
      this->pass_first_eff = eff;
   out->t_event = row->t; /* the row's own time, as the file has it (ns) */
   out->value = row->value;
   out->sensor = row->sensor;
   out->seq = 0;
   this->prev_eff = this->have_last ? this->last_eff : 0;
   this->prev_rel = this->have_last ? this->last_rel : 0;
   if (this->speed == 0) {
      out->t_arrival = GENERATOR_ASAP;
      this->last_asap = true;
      /* an as-fast-as-possible record is played about now */
      this->last_rel = this->have_last ? this->last_rel : 0;
   } else {
      int64_t t = replay_schedule(this, eff);
      if (this->have_last && t < this->last_rel)
         t = this->last_rel;
      out->t_arrival = t;
      this->last_rel = t;
      this->last_asap = false;
   }
   this->last_eff = eff;
   this->have_last = true;
   atomic_store_explicit(&this->a_file, (int32_t)best->index, memory_order_relaxed);
   atomic_store_explicit(&this->a_unit, (int)best->unit, memory_order_relaxed);
   atomic_store_explicit(&this->a_time, row->t, memory_order_relaxed);
   atomic_store_explicit(&this->a_rel_time, replay_sub(row->t, this->origin), memory_order_relaxed);
   atomic_fetch_add_explicit(&this->a_records, 1, memory_order_relaxed);
   return true;
}

static void replay_paused(Generator* gen, int64_t pause_ns) {
   Replay* this = (Replay*)gen;
   this->paused_total += pause_ns;
}

static void replay_retune(Generator* gen, const Knobs* knobs) {
   Replay* this = (Replay*)gen;
   replay_setSpeed(this, knobs->speed > 0 ? knobs->speed : 0);
}

static void replay_retime(Generator* gen, Record* held) {
   Replay* this = (Replay*)gen;
   if (!this->have_last)
      return;
   if (this->speed == 0) {
      held->t_arrival = GENERATOR_ASAP;
      this->last_asap = true;
      return;
   }
   int64_t t = replay_schedule(this, this->last_eff);
   if (t < this->prev_rel)
      t = this->prev_rel;
   held->t_arrival = t;
   this->last_rel = t;
   this->last_asap = false;
}

static void replay_destroy(Generator* gen) {
   Replay* this = (Replay*)gen;
   for (uint32_t i = 0; i < this->n_files; i++) {
      ReplayFile* f = &this->files[i];
      CsvReader_delete(f->reader);
      RecFormat_done(&f->header);
      free(f->rows);
   }
   free(this->files);
   SensorNames_done(&this->names);
   Columns_done(&this->columns);
   if (this->c_locale)
      freelocale(this->c_locale);
   free(this);
}

static const GeneratorOps replay_ops = {
    .next = replay_next,
    .paused = replay_paused,
    .retune = replay_retune,
    .destroy = replay_destroy,
    .retime = replay_retime,
};

/* ------------------------------------------------------------- opening */

/* The settings every file is read with; false with a message when the --columns spec does not parse. */
static bool replay_configure(Replay* this, const ReplayConfig* config, char* err, size_t errlen) {
   this->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
   if (!this->c_locale) {
      snprintf(err, errlen, "cannot create the C locale: %s", strerror(errno));
      return false;
   }
   this->bad.stop = config->on_bad_row != REPLAY_BAD_SKIP;
   this->loop = config->loop;
   int unit = (int)config->time_unit;
   this->unit_opt = unit >= 0 && unit < CSVTIME_OPTION_UNITS ? (CsvTimeUnit)unit : CSVTIME_AUTO;
   this->speed = config->speed > 0 ? config->speed : 0;
   uint64_t speed_bits;
   memcpy(&speed_bits, &this->speed, sizeof speed_bits);
   atomic_store(&this->a_speed, speed_bits);
   atomic_store(&this->a_file, -1);
   return Columns_parse(&this->columns, config->columns, err, errlen);
}

/* Open every file; false with a message when one cannot be played, or recordings and other files are mixed. */
static bool replay_openFiles(Replay* this, const ReplayConfig* config, char* err, size_t errlen) {
   unsigned char delim = (unsigned char)(config->delimiter ? config->delimiter : ',');
   this->n_files = config->n_files;
   this->files = xcalloc(this->n_files, sizeof *this->files);
   for (uint32_t i = 0; i < this->n_files; i++) {
      ReplayFile* f = &this->files[i];
      f->owner = this;
      f->index = i;
      f->reader = CsvReader_new(config->files[i], delim, &this->bad, &replay_readerOps, f);
      f->unit = this->unit_opt;
      RecFormat_init(&f->header, i == 0, this->c_locale);
   }
   for (uint32_t i = 0; i < this->n_files; i++) {
      bool ok = replay_prime(this, &this->files[i], err, errlen);
      this->total_size += CsvReader_size(this->files[i].reader);
      if (!ok)
         return false;
   }
   this->recordings = this->files[0].header.version != 0;
   for (uint32_t i = 1; i < this->n_files; i++) {
      if ((this->files[i].header.version != 0) != this->recordings) {
         snprintf(err, errlen, "%s and %s: a keepup recording cannot be replayed together with other CSV files",
                  CsvReader_path(this->files[0].reader), CsvReader_path(this->files[i].reader));
         return false;
      }
   }
   return true;
}

Replay* Replay_new(const ReplayConfig* config, char* err, size_t errlen) {
   if (config->n_files == 0) {
      snprintf(err, errlen, "no --replay file");
      return NULL;
   }
   Replay* this = xcalloc(1, sizeof *this);
   this->gen.ops = &replay_ops;
   if (!replay_configure(this, config, err, errlen) || !replay_openFiles(this, config, err, errlen)) {
      replay_destroy(&this->gen);
      return NULL;
   }
   if (this->recordings) {
      this->origin = 0; /* a recording's times already count from its start */
      for (uint32_t i = 0; i < this->n_files; i++)
         if (this->files[i].header.id_space > this->id_space)
            this->id_space = this->files[i].header.id_space;
   } else {
      this->origin = INT64_MAX;
      for (uint32_t i = 0; i < this->n_files; i++) {
         ReplayFile* f = &this->files[i];
         if (f->rows[f->head].t < this->origin)
            this->origin = f->rows[f->head].t;
      }
      this->id_space = this->names.n;
   }
   return this;
}

Generator* Replay_generator(Replay* this) {
   return &this->gen;
}

void Replay_delete(Replay* this) {
   if (this)
      replay_destroy(&this->gen);
}

bool Replay_isRecording(const Replay* this) {
   return this->recordings;
}

const PipelineParams* Replay_params(const Replay* this) {
   return this->recordings ? &this->files[0].header.params : NULL;
}

const char* Replay_note(const Replay* this, const char* key) {
   return RecFormat_note(&this->files[0].header, key);
}

uint32_t Replay_idSpace(const Replay* this) {
   return this->id_space;
}

const char* const* Replay_names(const Replay* this) {
   return this->recordings ? NULL : (const char* const*)this->names.names;
}

const char* Replay_error(const Replay* this) {
   return atomic_load_explicit(&this->failed, memory_order_acquire) ? this->error : NULL;
}

uint64_t Replay_badRows(const Replay* this, const char** msgs, size_t max, size_t* n_msgs) {
   return CsvReader_badRows(&this->bad, msgs, max, n_msgs);
}

void Replay_position(const Replay* this, ReplayPosition* out) {
   memset(out, 0, sizeof *out);
   out->n_files = this->n_files;
   uint64_t consumed = 0;
   for (uint32_t i = 0; i < this->n_files; i++) {
      consumed += CsvReader_consumed(this->files[i].reader);
      out->rows += CsvReader_rowsSeen(this->files[i].reader);
   }
   out->percent = this->total_size ? 100.0 * (double)consumed / (double)this->total_size : 100.0;
   int32_t fi = atomic_load_explicit(&this->a_file, memory_order_relaxed);
   if (fi >= 0) {
      const ReplayFile* f = &this->files[fi];
      out->file = CsvReader_path(f->reader);
      out->file_index = (uint32_t)fi;
      out->file_rows = CsvReader_rowsSeen(f->reader);
      uint64_t fc = CsvReader_consumed(f->reader);
      uint64_t size = CsvReader_size(f->reader);
      out->file_percent = size ? 100.0 * (double)fc / (double)size : 100.0;
      out->time_unit = (CsvTimeUnit)atomic_load_explicit(&this->a_unit, memory_order_relaxed);
   }
   out->records = atomic_load_explicit(&this->a_records, memory_order_relaxed);
   out->file_time = atomic_load_explicit(&this->a_time, memory_order_relaxed);
   out->t_recording_s = (double)atomic_load_explicit(&this->a_rel_time, memory_order_relaxed) / 1e9;
   uint64_t bits = atomic_load_explicit(&this->a_speed, memory_order_relaxed);
   memcpy(&out->speed, &bits, sizeof out->speed);
   out->loops = atomic_load_explicit(&this->a_loops, memory_order_relaxed);
   out->bad_rows = atomic_load_explicit(&this->bad.n, memory_order_relaxed);
   out->finished = atomic_load(&this->finished);
}
