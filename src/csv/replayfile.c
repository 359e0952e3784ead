/*
 * replayfile.c: one input of a replay. The reader calls back here
 * (replayfile_ops) with the '#' lines, the header, the first row's layout,
 * each field and each row. A field's header column says its role in one
 * lookup (role[]): the time (parsed as it comes, or kept when the time is
 * made of two columns), the sensor (interned), a value (parsed, or missing),
 * or nothing. At the row's end its records go through the reorder buffer.
 * Messages name FILE:LINE, the column, and the option that would read what
 * the row holds, when there is one.
 */
#include "config.h"

#include "csv/replayfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/units.h"
#include "base/xalloc.h"
#include "core/record.h"
#include "csv/csvnum.h"
#include "csv/csvtext.h"

enum {
   REPLAYFILE_ROLE_NONE = -1,
   REPLAYFILE_ROLE_TIME0 = -2,
   REPLAYFILE_ROLE_TIME1 = -3,
   REPLAYFILE_ROLE_SENSOR = -4,
};

/* ------------------------------------------------------ a file's header */

/* A '#' line: the first one says whether the file is a recording, a recording's say how it was processed. */
static void replayfile_comment(void* ctx, char* text, bool too_long, uint64_t line) {
   ReplayFile* f = ctx;
   const char* path = CsvReader_path(f->reader);
   char why[REPLAY_MSG_MAX];
   if (line == 1 + f->shared->config.skip_rows &&
       RecFormat_readFirst(&f->header, text, why, sizeof why) == RECFORMAT_UNREADABLE) {
      CsvReader_fatal(f->reader, "%s:%llu: %s", path, (unsigned long long)line, why);
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
static void replayfile_commentsEnd(void* ctx) {
   ReplayFile* f = ctx;
   char why[REPLAY_MSG_MAX];
   if (!RecFormat_readEnd(&f->header, why, sizeof why))
      CsvReader_fatal(f->reader, "%s: %s", CsvReader_path(f->reader), why);
}

/* The role of every header column, from the map. */
static void replayfile_roles(ReplayFile* f) {
   uint32_t width = CsvReader_fields(f->reader);
   if (width > f->role_n) {
      f->role = xrealloc(f->role, width * sizeof *f->role);
      f->role_n = width;
   }
   for (uint32_t i = 0; i < f->role_n; i++)
      f->role[i] = REPLAYFILE_ROLE_NONE;
   for (uint32_t k = 0; k < f->map.n_value; k++)
      f->role[f->map.value[k]] = (int32_t)k;
   if (f->map.sensor >= 0)
      f->role[f->map.sensor] = REPLAYFILE_ROLE_SENSOR;
   f->role[f->map.time[0]] = REPLAYFILE_ROLE_TIME0;
   if (f->map.n_time > 1)
      f->role[f->map.time[1]] = REPLAYFILE_ROLE_TIME1;
   f->row_values = xrealloc(f->row_values, (f->map.n_value + 1) * sizeof *f->row_values);
}

/* The sensor of a file with one value column and no sensor column: named after the file; standard input
 * has no name of its own: --stdin-name's, else REPLAY_STDIN_NAME. */
static uint32_t replayfile_fileSensor(ReplayFile* f) {
   SensorNames* names = &f->shared->names;
   if (!CsvReader_isStdin(f->reader))
      return SensorNames_internFile(names, CsvReader_path(f->reader));
   const char* name = f->shared->config.stdin_name ? f->shared->config.stdin_name : REPLAY_STDIN_NAME;
   return SensorNames_internUnique(names, name, strlen(name));
}

/* Name the file's own sensors (no sensor column): the file, or each value column. */
static void replayfile_nameSensors(ReplayFile* f) {
   SensorNames* names = &f->shared->names;
   f->value_sensor = xrealloc(f->value_sensor, (f->map.n_value + 1) * sizeof *f->value_sensor);
   if (f->map.sensor >= 0 || f->header.version)
      return;
   /* again at every pass's header: the slots named before keep their sensors (a new name each pass
    * would make every loop of the file new sensors, past the id space the replay announced) */
   for (uint32_t k = f->named_values; k < f->map.n_value; k++) {
      const char* key = CsvReader_columnKey(f->reader, (uint32_t)f->map.value[k]);
      if (!f->map.value_named || !key || SensorNames_check(key, strlen(key))) {
         f->value_sensor[k] = replayfile_fileSensor(f);
         continue;
      }
      int64_t id = SensorNames_intern(names, key);
      f->value_sensor[k] = id < 0 ? 0 : (uint32_t)id;
   }
   if (f->map.n_value > f->named_values)
      f->named_values = f->map.n_value;
}

/* The header row is in: pick the columns (a recording's are fixed). */
static void replayfile_header(void* ctx) {
   ReplayFile* f = ctx;
   const char* path = CsvReader_path(f->reader);
   unsigned long long line = (unsigned long long)CsvReader_rowLine(f->reader);
   char why[REPLAY_MSG_MAX];
   const Columns* spec = &f->shared->columns;
   Columns recording = {0};
   if (f->header.version)
      spec = &recording; /* time_s, sensor, value by their names */
   if (!Columns_resolve(spec, f->reader, &f->map, why, sizeof why)) {
      CsvReader_fatal(f->reader, "%s:%llu: %s", path, line, why);
      return;
   }
   if (f->header.version && (f->map.sensor < 0 || f->map.n_value != 1)) {
      CsvReader_fatal(f->reader, "%s:%llu: a keepup recording needs its sensor and value columns", path, line);
      return;
   }
   replayfile_roles(f);
   if (!f->map.value_all)
      replayfile_nameSensors(f);
}

/* Whether s (trimmed) is one of the --na markers. */
static bool replayfile_isNa(const ReplayShared* sh, const char* s, size_t n) {
   for (uint32_t i = 0; i < sh->n_na; i++)
      if (strlen(sh->na[i]) == n && memcmp(sh->na[i], s, n) == 0)
         return true;
   return false;
}

static const char* replayfile_number(const ReplayShared* sh, const char* s, size_t n, double* out) {
   return sh->config.decimal_comma ? CsvNum_parseComma(s, n, out) : CsvNum_parse(s, n, out);
}

/* value=*: a column holds values when its first row has a number or a missing-value marker. */
static bool replayfile_isValue(void* ctx, const char* s, size_t n) {
   const ReplayShared* sh = ctx;
   double v;
   return replayfile_isNa(sh, s, n) || !replayfile_number(sh, s, n, &v);
}

/* The first data row is in: value=* keeps the columns that hold numbers there. */
static void replayfile_layout(void* ctx) {
   ReplayFile* f = ctx;
   if (!f->map.value_all)
      return;
   char why[REPLAY_MSG_MAX];
   if (!Columns_layout(&f->map, f->reader, replayfile_isValue, f->shared, why, sizeof why)) {
      CsvReader_fatal(f->reader, "%s:%llu: %s", CsvReader_path(f->reader),
                      (unsigned long long)CsvReader_rowLine(f->reader), why);
      return;
   }
   replayfile_roles(f);
   replayfile_nameSensors(f);
}

/* ------------------------------------------------------------ the fields */

/* The unit of a file's times, chosen on its first time: the option, the column's name, or the text. */
static bool replayfile_chooseUnit(ReplayFile* f, const char* s, size_t n) {
   if (f->shared->config.time_format) {
      f->unit = CSVTIME_DATETIME;
      f->unit_why = "by --time-format";
      return true;
   }
   CsvTimeUnit detected = CsvTime_detect(s, n);
   if (detected == CSVTIME_AUTO)
      return false;
   f->unit = detected;
   f->unit_why = detected == CSVTIME_DATETIME ? "date-time" : "guessed from the size of the first time";
   if (detected != CSVTIME_DATETIME && f->header.version) {
      f->unit = CSVTIME_S;
      f->unit_why = "a recording's";
   } else if (detected != CSVTIME_DATETIME) {
      CsvTimeUnit named = CsvTime_unitOfName(CsvReader_columnKey(f->reader, (uint32_t)f->map.time[0]));
      if (named != CSVTIME_AUTO) {
         f->unit = named;
         f->unit_why = "from the column's name";
      }
   }
   return true;
}

/* A date-time where --time-unit said numbers: the fix is to leave the option out (--time-format, which
 * a date-time without a known form needs, is refused beside it). False when s is no date-time. */
static bool replayfile_dateNotNumber(ReplayFile* f, uint32_t col, const char* s, size_t n, const char* shown) {
   char fmt[48] = "";
   bool ambiguous = false;
   if (CsvTime_detect(s, n) != CSVTIME_DATETIME && !CsvTime_suggestFormat(s, n, fmt, sizeof fmt, &ambiguous))
      return false;
   const char* unit = CsvTime_unitNames[f->unit];
   CsvReader_rowError(f->reader, col,
                      "time '%s' is a date-time, not a number in %s (--time-unit %s): leave the option out%s%s%s",
                      shown, unit, unit, fmt[0] ? " and try --time-format '" : "", fmt, fmt[0] ? "'" : "");
   return true;
}

/* Why a time does not read, with the option that would read it. */
static void replayfile_timeError(ReplayFile* f, uint32_t col, const char* s, size_t n, const char* why) {
   char shown[CSVTEXT_SHOWN_MAX + 4], fmt[48];
   CsvText_shown(shown, sizeof shown, s, n, CSVTEXT_SHOWN_MAX);
   if (f->shared->config.time_unit != CSVTIME_AUTO && replayfile_dateNotNumber(f, col, s, n, shown))
      return;
   bool ambiguous = false;
   if (!f->shared->config.time_format && CsvTime_suggestFormat(s, n, fmt, sizeof fmt, &ambiguous)) {
      char other[48] = "";
      if (ambiguous) {
         /* day first was suggested; say how the other reading is written too */
         snprintf(other, sizeof other, "%s", fmt);
         char* d = strstr(other, "%d");
         char* m = strstr(other, "%m");
         if (d && m) {
            d[1] = 'm';
            m[1] = 'd';
         }
      }
      CsvReader_rowError(f->reader, col, "unparsable time '%s': looks like a %s date: try --time-format '%s'%s%s%s",
                         shown, strstr(fmt, "%d") < strstr(fmt, "%m") ? "day-first" : strncmp(fmt, "%Y", 2) == 0 ? "year-first" : "month-first",
                         fmt, ambiguous ? " (or '" : "", ambiguous ? other : "", ambiguous ? "' if the month comes first)" : "");
      return;
   }
   unsigned h, m, sec;
   char c1, c2;
   if (f->map.n_time == 1 && sscanf(shown, "%2u%c%2u%c%2u", &h, &c1, &m, &c2, &sec) == 5 && c1 == c2 &&
       (c1 == ':' || c1 == '.') && n <= 8) {
      CsvReader_rowError(f->reader, col, "time '%s' is a time of day without a date: name the date's column too "
                         "(--columns time=DATE+%s)", shown, CsvReader_columnKey(f->reader, col) ? CsvReader_columnKey(f->reader, col) : "TIME");
      return;
   }
   /* a word where the first row's time should be: the real header is likely this row, below title lines */
   bool digits = CsvReader_rows(f->reader) > 1;
   for (size_t i = 0; i < n && !digits; i++)
      digits = s[i] >= '0' && s[i] <= '9';
   CsvReader_rowError(f->reader, col, "unparsable time '%s': %s%s", shown, why,
                      digits || n == 0 ? "" : " (is this row the header, below title lines? try --skip-rows N)");
}

/* Parse a time's text into row_t; false (with the row's error noted) when it does not read. */
static bool replayfile_parseTime(ReplayFile* f, uint32_t col, const char* data, size_t len) {
   const ReplayShared* sh = f->shared;
   const char* s = data;
   size_t n = len;
   CsvText_trim(&s, &n);
   if (n == 0) {
      CsvReader_rowError(f->reader, col, "empty time");
      return false;
   }
   if (f->unit == CSVTIME_AUTO && !replayfile_chooseUnit(f, s, n)) {
      replayfile_timeError(f, col, s, n, "neither a number nor a date-time");
      return false;
   }
   const char* why = sh->config.time_format
                         ? CsvTime_parseFormat(sh->config.time_format, s, n, sh->config.tz_s, &f->row_t)
                         : CsvTime_parseZoned(s, n, f->unit, sh->config.tz_s, &f->row_t);
   if (why) {
      if (sh->config.time_format) {
         char shown[CSVTEXT_SHOWN_MAX + 4];
         CsvText_shown(shown, sizeof shown, s, n, CSVTEXT_SHOWN_MAX);
         CsvReader_rowError(f->reader, col, "time '%s' %s '%s'", shown, why, sh->config.time_format);
      } else {
         replayfile_timeError(f, col, s, n, why);
      }
      return false;
   }
   if (!f->have_first) {
      CsvText_shown(f->first_time, sizeof f->first_time, s, n, sizeof f->first_time - 4);
      f->first_t = f->row_t;
      f->have_first = true;
   }
   return true;
}

/* Whether a text is one of the usual marks of a missing value ("NA", "null", "-", ...). */
static bool replayfile_looksMissing(const char* s) {
   static const char* const marks[] = {"na", "n/a", "#n/a", "null", "none", "nil", "missing", "-", "--", "?", NULL};
   for (const char* const* m = marks; *m; m++)
      if (strcasecmp(s, *m) == 0)
         return true;
   return false;
}

/* Why a value does not read, with the option that would read it. */
static void replayfile_valueError(ReplayFile* f, uint32_t col, const char* s, size_t n, const char* why) {
   const ReplayShared* sh = f->shared;
   char shown[CSVTEXT_SHOWN_MAX + 4];
   CsvText_shown(shown, sizeof shown, s, n, CSVTEXT_SHOWN_MAX);
   double v;
   if (strcmp(why, "empty") == 0)
      CsvReader_rowError(f->reader, col, "empty value%s", sh->n_na ? "" : ": read empty values as missing with --na ''");
   else if (strcmp(why, "out of range") == 0)
      CsvReader_rowError(f->reader, col, "number out of range '%s'", shown);
   else if (!sh->config.decimal_comma && memchr(s, ',', n) && !CsvNum_parseComma(s, n, &v))
      CsvReader_rowError(f->reader, col, "value '%s' has a decimal comma: try --decimal-comma", shown);
   else if (sh->config.decimal_comma && memchr(s, '.', n) && !CsvNum_parse(s, n, &v))
      CsvReader_rowError(f->reader, col, "value '%s' has a decimal point, but --decimal-comma was given", shown);
   else if (replayfile_looksMissing(shown))
      CsvReader_rowError(f->reader, col, "unparsable number '%s': if it marks a missing value, try --na '%s'", shown,
                         shown);
   else
      CsvReader_rowError(f->reader, col, "unparsable number '%s'", shown);
}

static void replayfile_valueField(ReplayFile* f, uint32_t col, uint32_t slot, const char* data, size_t len) {
   const ReplayShared* sh = f->shared;
   const char* s = data;
   size_t n = len;
   if (sh->n_na || f->header.version) {
      CsvText_trim(&s, &n);
      if ((f->header.version && n == 0) || replayfile_isNa(sh, s, n)) {
         f->row_values[slot] = Record_missing();
         return;
      }
   }
   const char* why = replayfile_number(sh, data, len, &f->row_values[slot]);
   if (why) {
      CsvText_trim(&s, &n);
      replayfile_valueError(f, col, s, n, why);
   }
}

/* A recording's sensor is an id below its id space. */
static void replayfile_sensorId(ReplayFile* f, uint32_t col, const char* data, size_t len) {
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

/* A sensor's name, interned as it is met. */
static void replayfile_sensorName(ReplayFile* f, uint32_t col, const char* data, size_t len) {
   const char* s = data;
   size_t n = len;
   CsvText_trim(&s, &n);
   /* a name met before passed the check then: only a new one is checked */
   int64_t id = SensorNames_findN(&f->shared->names, s, n);
   if (id >= 0) {
      f->row_sensor = (uint32_t)id;
      return;
   }
   const char* why = SensorNames_check(s, n);
   if (why) {
      CsvReader_rowError(f->reader, col, "%s", why);
      return;
   }
   id = SensorNames_internN(&f->shared->names, s, n);
   if (id < 0) {
      CsvReader_fatal(f->reader, "%s:%llu: more than %d distinct sensor names in the --replay files together",
                      CsvReader_path(f->reader), (unsigned long long)CsvReader_rowLine(f->reader), SENSORNAMES_MAX);
      return;
   }
   f->row_sensor = (uint32_t)id;
}

static void replayfile_field(void* ctx, uint32_t col, const char* data, size_t len) {
   ReplayFile* f = ctx;
   if (col >= f->role_n)
      return;
   int32_t role = f->role[col];
   if (role >= 0) {
      replayfile_valueField(f, col, (uint32_t)role, data, len);
   } else if (role == REPLAYFILE_ROLE_TIME0 && f->map.n_time == 1) {
      replayfile_parseTime(f, col, data, len);
   } else if (role == REPLAYFILE_ROLE_TIME0 || role == REPLAYFILE_ROLE_TIME1) {
      int k = role == REPLAYFILE_ROLE_TIME0 ? 0 : 1;
      CsvText_trim(&data, &len);
      if (len > REPLAYFILE_PIECE_MAX) {
         CsvReader_rowError(f->reader, col, "time part longer than %d bytes", REPLAYFILE_PIECE_MAX);
         return;
      }
      memcpy(f->piece[k], data, len);
      f->piece_len[k] = len;
   } else if (role == REPLAYFILE_ROLE_SENSOR) {
      if (f->header.version && !f->header.names)
         replayfile_sensorId(f, col, data, len);
      else
         replayfile_sensorName(f, col, data, len);
   }
}

/* ------------------------------------------------------------- the rows */

static bool replayfile_before(const ReplayRow* a, const ReplayRow* b) {
   return a->t < b->t || (a->t == b->t && a->order < b->order);
}

static void replayfile_ready(ReplayFile* f, const ReplayRow* row) {
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
   f->rows[(f->head + f->count) & (f->cap - 1)] = *row;
   f->count++;
}

static void replayfile_heapPush(ReplayFile* f, const ReplayRow* row) {
   if (f->heap_n == f->heap_cap) {
      f->heap_cap = f->heap_cap ? f->heap_cap * 2 : 256;
      f->heap = xrealloc(f->heap, f->heap_cap * sizeof *f->heap);
   }
   size_t i = f->heap_n++;
   f->heap[i] = *row;
   while (i > 0 && replayfile_before(&f->heap[i], &f->heap[(i - 1) / 2])) {
      ReplayRow t = f->heap[i];
      f->heap[i] = f->heap[(i - 1) / 2];
      f->heap[(i - 1) / 2] = t;
      i = (i - 1) / 2;
   }
}

static void replayfile_heapPop(ReplayFile* f) {
   f->heap[0] = f->heap[--f->heap_n];
   for (size_t i = 0;;) {
      size_t l = 2 * i + 1, r = l + 1, m = i;
      if (l < f->heap_n && replayfile_before(&f->heap[l], &f->heap[m]))
         m = l;
      if (r < f->heap_n && replayfile_before(&f->heap[r], &f->heap[m]))
         m = r;
      if (m == i)
         break;
      ReplayRow t = f->heap[i];
      f->heap[i] = f->heap[m];
      f->heap[m] = t;
      i = m;
   }
}

/* Rows up to the reorder window's edge are ready (all of them at the end). */
static void replayfile_release(ReplayFile* f, bool all) {
   int64_t edge = f->max_seen - f->shared->config.max_lateness_ns;
   while (f->heap_n > 0 && (all || f->heap[0].t <= edge)) {
      replayfile_ready(f, &f->heap[0]);
      replayfile_heapPop(f);
   }
}

/* The sensor of value slot k of this row. */
static uint32_t replayfile_sensorOf(ReplayFile* f, uint32_t k) {
   if (f->map.sensor < 0 && !f->header.version)
      return f->value_sensor[k];
   if (f->header.version || !f->map.value_named)
      return f->row_sensor;
   uint32_t base = f->row_sensor;
   if (base >= f->combo_bases) {
      uint32_t bases = f->combo_bases ? f->combo_bases : 64;
      while (bases <= base)
         bases *= 2;
      f->combo = xrealloc(f->combo, (size_t)bases * f->map.n_value * sizeof *f->combo);
      memset(f->combo + (size_t)f->combo_bases * f->map.n_value, 0,
             (size_t)(bases - f->combo_bases) * f->map.n_value * sizeof *f->combo);
      f->combo_bases = bases;
   }
   uint32_t* slot = &f->combo[(size_t)base * f->map.n_value + k];
   if (!*slot) {
      char name[2 * CSVTEXT_NAME_MAX + 2];
      const char* col = CsvReader_columnKey(f->reader, (uint32_t)f->map.value[k]);
      snprintf(name, sizeof name, "%s/%s", f->shared->names.names[base], col ? col : "?");
      name[CSVTEXT_NAME_MAX] = '\0';
      int64_t id = SensorNames_intern(&f->shared->names, name);
      *slot = id < 0 ? base + 1 : (uint32_t)id + 1;
   }
   return *slot - 1;
}

/* ns as an option's value that reads back exactly: "55m", "1500ms". */
static void replayfile_durationArg(char* out, size_t len, int64_t ns) {
   static const struct {
      int64_t ns;
      const char* unit;
   } units[] = {{INT64_C(3600000000000), "h"}, {INT64_C(60000000000), "m"}, {INT64_C(1000000000), "s"},
                {INT64_C(1000000), "ms"},      {INT64_C(1000), "us"},       {1, "ns"}};
   for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
      if (ns % units[i].ns == 0) {
         snprintf(out, len, "%lld%s", (long long)(ns / units[i].ns), units[i].unit);
         return;
      }
   }
}

/* A row whose time is before the newest by more than --max-lateness: play it, drop it or stop. */
static bool replayfile_late(ReplayFile* f) {
   const ReplayConfig* c = &f->shared->config;
   int64_t behind = f->max_seen - f->row_t;
   char now[48], newest[48], by[32], arg[32], msg[REPLAY_MSG_MAX];
   CsvTime_format(now, sizeof now, f->row_t, f->unit);
   CsvTime_format(newest, sizeof newest, f->max_seen, f->unit);
   Units_formatDuration(by, sizeof by, behind);
   replayfile_durationArg(arg, sizeof arg, behind);
   char col[CSVTEXT_SHOWN_MAX + 8];
   CsvReader_columnName(f->reader, (uint32_t)f->map.time[0], col, sizeof col);
   const char* path = CsvReader_path(f->reader);
   unsigned long long line = (unsigned long long)CsvReader_rowLine(f->reader);
   if (c->on_late == REPLAY_LATE_STOP) {
      CsvReader_fatal(f->reader,
                      "%s:%llu: column %s: time goes backwards (%s after %s, %s late): --max-lateness %s would put it "
                      "in order; --on-late play or drop would go on", path, line, col, now, newest, by, arg);
      return false;
   }
   f->late++;
   if (behind > f->max_lateness)
      f->max_lateness = behind;
   bool drop = c->on_late == REPLAY_LATE_DROP;
   f->late_dropped += drop;
   snprintf(msg, sizeof msg, "%s:%llu: column %s: time goes backwards (%s after %s): %s late, %s (--max-lateness %s "
            "would put it in order)", path, line, col, now, newest, by, drop ? "dropped" : "played at once", arg);
   CsvReader_noteBadRow(&f->shared->late, msg);
   return !drop;
}

/* A good data row: its records into the reorder buffer, or (late) straight on or nowhere. */
static void replayfile_row(void* ctx) {
   ReplayFile* f = ctx;
   if (f->map.n_time > 1) {
      char joined[2 * REPLAYFILE_PIECE_MAX + 2];
      int n = snprintf(joined, sizeof joined, "%.*s %.*s", (int)f->piece_len[0], f->piece[0], (int)f->piece_len[1],
                       f->piece[1]);
      if (!replayfile_parseTime(f, (uint32_t)f->map.time[0], joined, (size_t)n)) {
         CsvReader_rejectRow(f->reader);
         return;
      }
   }
   bool late = f->have_seen && f->row_t < f->max_seen - f->shared->config.max_lateness_ns;
   if (late && !replayfile_late(f))
      return;
   bool direct = late || f->shared->config.max_lateness_ns == 0;
   uint64_t end = CsvReader_rowEnd(f->reader);
   for (uint32_t k = 0; k < f->map.n_value; k++) {
      ReplayRow row = {.t = f->row_t,
                       .value = f->row_values[k],
                       .sensor = replayfile_sensorOf(f, k),
                       .last = k + 1 == f->map.n_value,
                       .end = end,
                       .order = f->order++};
      if (direct)
         replayfile_ready(f, &row);
      else
         replayfile_heapPush(f, &row);
   }
   if (!late && (!f->have_seen || f->row_t > f->max_seen)) {
      f->max_seen = f->row_t;
      f->have_seen = true;
   }
   if (!direct)
      replayfile_release(f, false);
}

static const CsvReaderOps replayfile_ops = {
    .comment = replayfile_comment,
    .commentsEnd = replayfile_commentsEnd,
    .header = replayfile_header,
    .layout = replayfile_layout,
    .field = replayfile_field,
    .row = replayfile_row,
};

/* -------------------------------------------------------------- a file */

ReplayFile* ReplayFile_new(ReplayShared* shared, uint32_t index, const char* path, bool all_keys) {
   ReplayFile* this = xcalloc(1, sizeof *this);
   this->shared = shared;
   this->index = index;
   CsvReaderSetup setup = {
       .delim = (unsigned char)shared->config.delimiter,
       .skip_rows = shared->config.skip_rows,
       .follow = shared->config.follow,
   };
   this->reader = CsvReader_new(path, &setup, &shared->bad, &replayfile_ops, this);
   int unit = (int)shared->config.time_unit;
   this->unit = unit >= 0 && unit < CSVTIME_OPTION_UNITS ? (CsvTimeUnit)unit : CSVTIME_AUTO;
   this->unit_why = "by --time-unit";
   RecFormat_init(&this->header, all_keys, shared->c_locale);
   return this;
}

void ReplayFile_delete(ReplayFile* this) {
   if (!this)
      return;
   CsvReader_delete(this->reader);
   RecFormat_done(&this->header);
   ColumnsMap_done(&this->map);
   free(this->role);
   free(this->value_sensor);
   free(this->combo);
   free(this->row_values);
   free(this->heap);
   free(this->rows);
   free(this);
}

void ReplayFile_fill(ReplayFile* this, bool now) {
   CsvReader* r = this->reader;
   while (this->count == 0 && !CsvReader_ended(r) && !CsvReader_error(r)) {
      if (now && !CsvReader_ready(r, 0))
         return;
      CsvReader_feed(r);
      if (CsvReader_starved(r))
         return;
   }
   if (this->count == 0 && CsvReader_ended(r))
      replayfile_release(this, true);
}

const ReplayRow* ReplayFile_head(const ReplayFile* this) {
   return this->count ? &this->rows[this->head] : NULL;
}

void ReplayFile_pop(ReplayFile* this) {
   const ReplayRow* row = &this->rows[this->head];
   atomic_store_explicit(&this->a_records, atomic_load_explicit(&this->a_records, memory_order_relaxed) + 1,
                         memory_order_relaxed);
   if (row->last) {
      atomic_store_explicit(&this->a_rows_played,
                            atomic_load_explicit(&this->a_rows_played, memory_order_relaxed) + 1, memory_order_relaxed);
      atomic_store_explicit(&this->a_bytes_played, row->end, memory_order_relaxed);
   }
   this->head = (this->head + 1) & (this->cap - 1);
   this->count--;
}

bool ReplayFile_skip(ReplayFile* this) {
   const ReplayRow* row = &this->rows[this->head];
   bool last = row->last;
   if (last)
      atomic_store_explicit(&this->a_bytes_played, row->end, memory_order_relaxed);
   this->head = (this->head + 1) & (this->cap - 1);
   this->count--;
   return last;
}

void ReplayFile_unplay(ReplayFile* this, bool last) {
   atomic_store_explicit(&this->a_records, atomic_load_explicit(&this->a_records, memory_order_relaxed) - 1,
                         memory_order_relaxed);
   if (last)
      atomic_store_explicit(&this->a_rows_played,
                            atomic_load_explicit(&this->a_rows_played, memory_order_relaxed) - 1, memory_order_relaxed);
}

bool ReplayFile_done(const ReplayFile* this) {
   return this->count == 0 && this->heap_n == 0 && CsvReader_ended(this->reader);
}

bool ReplayFile_prime(ReplayFile* this, char* err, size_t errlen) {
   CsvReader* r = this->reader;
   if (!CsvReader_open(r, err, errlen))
      return false;
   ReplayFile_fill(this, false);
   while (this->count == 0 && CsvReader_starved(r) && !CsvReader_error(r)) {
      CsvReader_ready(r, 100 * INT64_C(1000000)); /* --follow: a file with no row yet waits for one */
      ReplayFile_fill(this, false);
   }
   if (this->count == 0 && CsvReader_error(r)) {
      snprintf(err, errlen, "%s", CsvReader_error(r));
      return false;
   }
   if (this->count == 0) {
      /* a recording of no records (made while the source was paused) is a valid, empty input */
      if (CsvReader_rows(r) == 0 && this->header.version && CsvReader_headerDone(r))
         return true;
      uint64_t rows = CsvReader_rows(r), empty = CsvReader_emptyRows(r);
      if (rows == empty)
         snprintf(err, errlen, "%s: no records after the header (line %llu)%s", CsvReader_path(r),
                  (unsigned long long)CsvReader_rowLine(r), empty ? ": every row is empty" : "");
      else if (this->late)
         snprintf(err, errlen, "%s: no records: every row was late and dropped (--on-late drop)", CsvReader_path(r));
      else {
         const char* first = atomic_load(&this->shared->bad.n_kept) ? this->shared->bad.kept[0] : "";
         char more[48] = "";
         if (empty)
            snprintf(more, sizeof more, " (and %llu more are empty)", (unsigned long long)empty);
         snprintf(err, errlen, "%s: no valid records: all %llu data rows are bad%s (first: %s)", CsvReader_path(r),
                  (unsigned long long)(rows - empty), more, first);
      }
      return false;
   }
   return true;
}

bool ReplayFile_rewind(ReplayFile* this) {
   this->rows_read_before += CsvReader_rows(this->reader);
   if (!CsvReader_rewind(this->reader))
      return false;
   this->head = this->count = 0;
   this->heap_n = 0;
   this->have_seen = false;
   atomic_store_explicit(&this->a_bytes_played, 0, memory_order_relaxed);
   return true;
}

uint64_t ReplayFile_rowsRead(const ReplayFile* this) {
   return this->rows_read_before + CsvReader_rowsSeen(this->reader);
}
