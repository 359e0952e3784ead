/*
 * columns.c: the --columns spec and the header lookup. Names match without
 * regard to case and to blanks around them; an index is checked against the
 * header's width only when a file is read.
 */
#include "config.h"

#include "csv/columns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/textlist.h"
#include "base/xalloc.h"
#include "csv/csvnum.h"
#include "csv/csvtext.h"

static const char columns_usage[] =
    "expected time=COL[+COL],sensor=COL|none,value=COL[,COL...]|* (COL: a column name or a 1-based index)";

/* The common names of each role, tried in order. */
static const char* const columns_timeNames[] = {
    "time_s", "time", "timestamp", "datetime", "date_time", "ts",    "date",     "t",  "t_s",
    "t_ms",   "t_us", "t_ns",      "time_ms",  "time_us",   "time_ns", "timestamp_ms", "epoch", NULL};
static const char* const columns_sensorNames[] = {"sensor", "sensor_id", "device", "device_id", "id",
                                                  "name",   "series",    NULL};
static const char* const columns_valueNames[] = {"value", NULL};
/* Columns that hold labels, not readings: never values unless named. */
static const char* const columns_labelNames[] = {"anomaly", "anomalies", "changepoint", "label",  "labels",
                                                 "is_anomaly", "outlier", "target",     "class", NULL};

static void columns_freeRef(ColumnsRef* r) {
   free(r->name);
   r->name = NULL;
   r->index = 0;
}

void Columns_done(Columns* this) {
   for (uint32_t i = 0; i < this->n_time; i++)
      columns_freeRef(&this->time[i]);
   columns_freeRef(&this->sensor);
   for (uint32_t i = 0; i < this->n_value; i++)
      columns_freeRef(&this->value[i]);
   free(this->value);
   memset(this, 0, sizeof *this);
}

/* COL: a 1-based index or a name; false with err when an index is out of range or the name empty. */
static bool columns_ref(ColumnsRef* r, const char* spec, const char* col, char* err, size_t errlen) {
   if (!*col) {
      snprintf(err, errlen, "--columns '%s': %s", spec, columns_usage);
      return false;
   }
   if (strspn(col, "0123456789") == strlen(col)) {
      if (!CsvNum_parseU32(col, CSVREADER_MAX_COLUMNS, &r->index) || r->index == 0) {
         snprintf(err, errlen, "--columns '%s': column index %s is not between 1 and %u", spec, col,
                  CSVREADER_MAX_COLUMNS);
         return false;
      }
   } else {
      r->name = xstrdup(col);
   }
   return true;
}

static bool columns_twice(const char* spec, const char* role, char* err, size_t errlen) {
   snprintf(err, errlen, "--columns '%s': %s is given twice", spec, role);
   return false;
}

/* One "ROLE=COL" item, or (role NULL) one more COL of the value list. */
static bool columns_item(Columns* this, const char* spec, const char* role, char* col, bool* in_values, char* err,
                         size_t errlen) {
   if (!role) {
      if (!*in_values || this->value_all) {
         snprintf(err, errlen, "--columns '%s': %s", spec, columns_usage);
         return false;
      }
      this->value = xrealloc(this->value, (this->n_value + 1) * sizeof *this->value);
      memset(&this->value[this->n_value], 0, sizeof *this->value);
      return columns_ref(&this->value[this->n_value++], spec, col, err, errlen);
   }
   *in_values = false;
   if (strcmp(role, "time") == 0) {
      if (this->n_time)
         return columns_twice(spec, role, err, errlen);
      char* plus = strchr(col, '+');
      if (plus)
         *plus = '\0';
      if (!columns_ref(&this->time[this->n_time++], spec, col, err, errlen))
         return false;
      if (plus && (strchr(plus + 1, '+') || !columns_ref(&this->time[this->n_time++], spec, plus + 1, err, errlen))) {
         if (strchr(plus + 1, '+'))
            snprintf(err, errlen, "--columns '%s': a time is one column or two (time=DATE+TIME)", spec);
         return false;
      }
      return true;
   }
   if (strcmp(role, "sensor") == 0) {
      if (this->sensor_given)
         return columns_twice(spec, role, err, errlen);
      this->sensor_given = true;
      if (strcmp(col, "none") == 0) {
         this->sensor_none = true;
         return true;
      }
      return columns_ref(&this->sensor, spec, col, err, errlen);
   }
   if (strcmp(role, "value") == 0) {
      if (this->n_value || this->value_all)
         return columns_twice(spec, role, err, errlen);
      *in_values = true;
      if (strcmp(col, "*") == 0) {
         this->value_all = true;
         return true;
      }
      return columns_item(this, spec, NULL, col, in_values, err, errlen);
   }
   snprintf(err, errlen, "--columns '%s': %s", spec, columns_usage);
   return false;
}

bool Columns_parse(Columns* this, const char* spec, char* err, size_t errlen) {
   memset(this, 0, sizeof *this);
   if (!spec)
      return true;
   if (TextList_hasEmpty(spec, ',')) {
      snprintf(err, errlen, "--columns '%s': an empty item; expected time=COL,sensor=COL,value=COL", spec);
      return false;
   }
   char* copy = xstrdup(spec);
   char* save = NULL;
   bool ok = true, in_values = false;
   for (char* item = strtok_r(copy, ",", &save); item && ok; item = strtok_r(NULL, ",", &save)) {
      char* eq = strchr(item, '=');
      if (eq)
         *eq = '\0';
      ok = columns_item(this, spec, eq ? item : NULL, eq ? eq + 1 : item, &in_values, err, errlen);
   }
   if (ok && !strchr(spec, '=')) {
      snprintf(err, errlen, "--columns '%s': %s", spec, columns_usage);
      ok = false;
   }
   free(copy);
   if (!ok)
      Columns_done(this);
   return ok;
}

bool Columns_check(const char* spec, char* err, size_t errlen) {
   Columns columns;
   if (!Columns_parse(&columns, spec, err, errlen))
      return false;
   Columns_done(&columns);
   return true;
}

static bool columns_inList(const char* name, const char* const* list) {
   for (; name && *list; list++)
      if (strcasecmp(name, *list) == 0)
         return true;
   return false;
}

bool Columns_isLabel(const char* name) {
   return columns_inList(name, columns_labelNames);
}

static int columns_find(const CsvReader* reader, const char* name) {
   for (uint32_t i = 0; i < CsvReader_columns(reader); i++) {
      const char* key = CsvReader_columnKey(reader, i);
      if (key && strcasecmp(key, name) == 0)
         return (int)i;
   }
   return -1;
}

static int columns_findAny(const CsvReader* reader, const char* const* names) {
   for (; *names; names++) {
      int c = columns_find(reader, *names);
      if (c >= 0)
         return c;
   }
   return -1;
}

/* The column a reference names; false with why when the header has no such column. */
static bool columns_lookup(const ColumnsRef* r, const char* role, const CsvReader* reader, int* col, char* why,
                           size_t whylen) {
   if (r->index) {
      if (r->index > CsvReader_fields(reader)) {
         snprintf(why, whylen, "--columns %s=%u, but the header has %u columns", role, r->index,
                  CsvReader_fields(reader));
         return false;
      }
      *col = (int)r->index - 1;
      return true;
   }
   *col = columns_find(reader, r->name);
   if (*col < 0) {
      char shown[CSVTEXT_SHOWN_MAX + 4], list[256];
      CsvText_shown(shown, sizeof shown, r->name, strlen(r->name), CSVTEXT_SHOWN_MAX);
      CsvReader_listColumns(reader, list, sizeof list);
      /* the option first: the role is what the user changes to fix it */
      snprintf(why, whylen, "--columns %s=%s: no column named '%s' (columns: %s)", role, shown, shown, list);
      return false;
   }
   return true;
}

static bool columns_taken(const ColumnsMap* m, int col) {
   for (uint32_t i = 0; i < m->n_time; i++)
      if (m->time[i] == col)
         return true;
   return m->sensor == col;
}

/* Add a column's name to the left-out list, with why after the last of a kind. */
static void columns_leaveOut(ColumnsMap* m, const CsvReader* reader, int col) {
   char name[CSVTEXT_SHOWN_MAX + 8];
   CsvReader_columnName(reader, (uint32_t)col, name, sizeof name);
   size_t at = strlen(m->left_out);
   snprintf(m->left_out + at, sizeof m->left_out - at, "%s%s", at ? ", " : "", name);
}

static void columns_because(ColumnsMap* m, const char* why) {
   size_t at = strlen(m->left_out);
   snprintf(m->left_out + at, sizeof m->left_out - at, " (%s)", why);
}

static void columns_addValue(ColumnsMap* m, int col) {
   m->value = xrealloc(m->value, (m->n_value + 1) * sizeof *m->value);
   m->value[m->n_value++] = col;
}

/* The value columns: those given, every candidate (value=*), "value", or the first free column. */
static bool columns_values(const Columns* this, const CsvReader* reader, ColumnsMap* m, char* why, size_t whylen) {
   uint32_t width = CsvReader_fields(reader);
   for (uint32_t i = 0; i < this->n_value; i++) {
      int col;
      if (!columns_lookup(&this->value[i], "value", reader, &col, why, whylen))
         return false;
      columns_addValue(m, col);
   }
   m->value_named = this->n_value > 1 || this->value_all;
   if (this->value_all) {
      m->value_all = true;
      bool labels = false;
      for (uint32_t i = 0; i < width; i++) {
         if (columns_taken(m, (int)i))
            continue;
         if (Columns_isLabel(CsvReader_columnKey(reader, i))) {
            columns_leaveOut(m, reader, (int)i);
            labels = true;
         } else {
            columns_addValue(m, (int)i);
         }
      }
      if (labels)
         columns_because(m, "labels");
   } else if (m->n_value == 0) {
      int col = columns_findAny(reader, columns_valueNames);
      for (uint32_t i = 0; i < width && col < 0; i++)
         if (!columns_taken(m, (int)i))
            col = (int)i;
      if (col >= 0)
         columns_addValue(m, col);
   }
   if (m->n_value == 0) {
      char list[256];
      CsvReader_listColumns(reader, list, sizeof list);
      snprintf(why, whylen, "no value column: the header has only %s (title lines above the header? try --skip-rows N)",
               list);
      if (width == 1 && strpbrk(list, ";\t|"))
         snprintf(why, whylen, "the header is one column, '%.60s': is the delimiter right? (try --delimiter '%c')",
                  list, strchr(list, ';') ? ';' : strchr(list, '|') ? '|' : 't');
      return false;
   }
   return true;
}

/* Two roles on one column: refused, naming both. */
static bool columns_distinct(const ColumnsMap* m, const CsvReader* reader, char* why, size_t whylen) {
   int cols[COLUMNS_TIME_MAX + 1];
   const char* roles[COLUMNS_TIME_MAX + 1];
   uint32_t n = 0;
   for (uint32_t i = 0; i < m->n_time; i++) {
      cols[n] = m->time[i];
      roles[n++] = "time";
   }
   if (m->sensor >= 0) {
      cols[n] = m->sensor;
      roles[n++] = "sensor";
   }
   for (uint32_t a = 0; a < n; a++) {
      for (uint32_t b = a + 1; b <= n; b++) {
         for (uint32_t v = 0; b == n && v < m->n_value; v++) {
            if (cols[a] == m->value[v]) {
               char name[CSVTEXT_SHOWN_MAX + 8];
               CsvReader_columnName(reader, (uint32_t)cols[a], name, sizeof name);
               snprintf(why, whylen, "%s and value are the same column %s (see --columns)", roles[a], name);
               return false;
            }
         }
         if (b < n && cols[a] == cols[b]) {
            char name[CSVTEXT_SHOWN_MAX + 8];
            CsvReader_columnName(reader, (uint32_t)cols[a], name, sizeof name);
            snprintf(why, whylen, "%s and %s are the same column %s (see --columns)", roles[a], roles[b], name);
            return false;
         }
      }
   }
   return true;
}

bool Columns_resolve(const Columns* this, const CsvReader* reader, ColumnsMap* m, char* why, size_t whylen) {
   ColumnsMap_done(m);
   m->sensor = -1;
   for (uint32_t i = 0; i < this->n_time; i++)
      if (!columns_lookup(&this->time[i], "time", reader, &m->time[i], why, whylen))
         return false;
   m->n_time = this->n_time;
   if (m->n_time == 0) {
      /* a date and a time of day side by side are one time; without names to go by, the first column is it */
      int date = columns_find(reader, "date"), time = columns_find(reader, "time");
      if (date >= 0 && time >= 0 && date != time) {
         m->time[m->n_time++] = date;
         m->time[m->n_time++] = time;
      } else {
         int col = columns_findAny(reader, columns_timeNames);
         m->time[m->n_time++] = col >= 0 ? col : 0;
      }
   }
   if (this->sensor_given && !this->sensor_none && !columns_lookup(&this->sensor, "sensor", reader, &m->sensor, why,
                                                                   whylen))
      return false;
   if (!this->sensor_given) {
      m->sensor = columns_findAny(reader, columns_sensorNames);
      for (uint32_t i = 0; i < m->n_time; i++)
         if (m->sensor == m->time[i])
            m->sensor = -1;
   }
   return columns_values(this, reader, m, why, whylen) && columns_distinct(m, reader, why, whylen);
}

bool Columns_layout(ColumnsMap* this, const CsvReader* reader, bool (*is_value)(void* ctx, const char* s, size_t n),
                    void* ctx, char* why, size_t whylen) {
   if (!this->value_all)
      return true;
   uint32_t kept = 0;
   for (uint32_t i = 0; i < this->n_value; i++) {
      size_t len = 0;
      const char* field = CsvReader_firstField(reader, (uint32_t)this->value[i], &len);
      const char* s = field;
      CsvText_trim(&s, &len);
      if (field && len > 0 && is_value(ctx, s, len))
         this->value[kept++] = this->value[i];
      else
         columns_leaveOut(this, reader, this->value[i]);
   }
   if (kept < this->n_value)
      columns_because(this, "no number in the first row");
   this->n_value = kept;
   if (kept == 0) {
      snprintf(why, whylen, "--columns value=*: no column holds a number in the first row (left out: %s)",
               this->left_out);
      return false;
   }
   return true;
}

void ColumnsMap_done(ColumnsMap* this) {
   free(this->value);
   memset(this, 0, sizeof *this);
}
