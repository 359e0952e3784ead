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

/* The roles' words in --columns. */
static const char* const columns_roleNames[COLUMNS_LAST] = {"time", "sensor", "value"};

/* The common names of each role, tried in order. */
static const char* const columns_timeNames[] = {"time_s",    "time", "timestamp", "datetime",
                                                "date_time", "ts",   "date",      NULL};
static const char* const columns_sensorNames[] = {"sensor", "sensor_id", NULL};
static const char* const columns_valueNames[] = {"value", NULL};
static const char* const* const columns_common[COLUMNS_LAST] = {columns_timeNames, columns_sensorNames,
                                                                columns_valueNames};

void Columns_done(Columns* this) {
   for (int c = 0; c < COLUMNS_LAST; c++)
      free(this->name[c]);
   memset(this, 0, sizeof *this);
}

/* One "ROLE=COL" item of spec (already split at '='). */
static bool columns_item(Columns* this, const char* spec, const char* role, const char* col, char* err, size_t errlen) {
   int c = -1;
   for (int k = 0; k < COLUMNS_LAST; k++)
      if (strcmp(role, columns_roleNames[k]) == 0)
         c = k;
   if (c < 0 || !col[0]) {
      snprintf(err, errlen,
               "--columns '%s': expected time=COL,sensor=COL,value=COL (COL: a column name or a 1-based index)", spec);
      return false;
   }
   if (this->name[c] || this->index[c] || this->none[c]) {
      snprintf(err, errlen, "--columns '%s': %s is given twice", spec, columns_roleNames[c]);
      return false;
   }
   if (c == COLUMNS_SENSOR && strcmp(col, "none") == 0) {
      this->none[c] = true;
   } else if (strspn(col, "0123456789") == strlen(col)) {
      uint32_t index;
      if (!CsvNum_parseU32(col, CSVREADER_MAX_COLUMNS, &index) || index == 0) {
         snprintf(err, errlen, "--columns '%s': column index %s is not between 1 and %u", spec, col,
                  CSVREADER_MAX_COLUMNS);
         return false;
      }
      this->index[c] = index;
   } else {
      this->name[c] = xstrdup(col);
   }
   return true;
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
   bool ok = true;
   for (char* item = strtok_r(copy, ",", &save); item && ok; item = strtok_r(NULL, ",", &save)) {
      char* eq = strchr(item, '=');
      if (eq)
         *eq = '\0';
      ok = columns_item(this, spec, item, eq ? eq + 1 : "", err, errlen);
   }
   if (ok && !strchr(spec, '=')) {
      snprintf(err, errlen, "--columns '%s': expected time=COL,sensor=COL,value=COL", spec);
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

/* The column of one role from the spec or the common names; false with why when the spec names a missing one. */
static bool columns_resolveRole(const Columns* this, const CsvReader* reader, int c, int* col, char* why,
                                size_t whylen) {
   *col = -1;
   if (this->none[c])
      return true;
   if (this->index[c]) {
      if (this->index[c] > CsvReader_fields(reader)) {
         snprintf(why, whylen, "--columns %s=%u, but the header has %u columns", columns_roleNames[c], this->index[c],
                  CsvReader_fields(reader));
         return false;
      }
      *col = (int)this->index[c] - 1;
   } else if (this->name[c]) {
      *col = columns_find(reader, this->name[c]);
      if (*col < 0) {
         char shown[CSVTEXT_SHOWN_MAX + 4], list[256];
         CsvText_shown(shown, sizeof shown, this->name[c], strlen(this->name[c]), CSVTEXT_SHOWN_MAX);
         CsvReader_listColumns(reader, list, sizeof list);
         snprintf(why, whylen, "no column named '%s' (columns: %s)", shown, list);
         return false;
      }
   } else {
      *col = columns_findAny(reader, columns_common[c]);
   }
   return true;
}

bool Columns_resolve(const Columns* this, const CsvReader* reader, int col[COLUMNS_LAST], char* why, size_t whylen) {
   for (int c = 0; c < COLUMNS_LAST; c++)
      if (!columns_resolveRole(this, reader, c, &col[c], why, whylen))
         return false;
   /* without names to go by, the first column is time and the next free one the value */
   if (col[COLUMNS_TIME] < 0)
      col[COLUMNS_TIME] = 0;
   if (col[COLUMNS_VALUE] < 0) {
      for (uint32_t i = 0; i < CsvReader_fields(reader) && col[COLUMNS_VALUE] < 0; i++)
         if ((int)i != col[COLUMNS_TIME] && (int)i != col[COLUMNS_SENSOR])
            col[COLUMNS_VALUE] = (int)i;
      if (col[COLUMNS_VALUE] < 0) {
         char list[256];
         CsvReader_listColumns(reader, list, sizeof list);
         snprintf(why, whylen, "no value column: the header has only %s", list);
         return false;
      }
   }
   for (int a = 0; a < COLUMNS_LAST; a++) {
      for (int b = a + 1; b < COLUMNS_LAST; b++) {
         if (col[a] >= 0 && col[a] == col[b]) {
            char name[CSVTEXT_SHOWN_MAX + 8];
            CsvReader_columnName(reader, (uint32_t)col[a], name, sizeof name);
            snprintf(why, whylen, "%s and %s are the same column %s (see --columns)", columns_roleNames[a],
                     columns_roleNames[b], name);
            return false;
         }
      }
   }
   return true;
}
