/*
 * columns.h: which columns of a CSV file hold the time, the sensor and the
 * value. --columns names them ("time=COL,sensor=COL,value=COL", COL a name
 * or a 1-based index, sensor=none for a file that is one sensor); what it
 * does not name is found by the common names (time_s, time, timestamp, ...;
 * sensor, sensor_id; value), and failing that the first column is the time
 * and the next free one the value.
 */
#ifndef KEEPUP_COLUMNS_H
#define KEEPUP_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv/csvreader.h"

typedef enum ColumnsRole { COLUMNS_TIME, COLUMNS_SENSOR, COLUMNS_VALUE, COLUMNS_LAST } ColumnsRole;

/* --columns, parsed: for each role a name, a 1-based index, or none. */
typedef struct Columns {
   char* name[COLUMNS_LAST];
   uint32_t index[COLUMNS_LAST]; /* 0: not given by index */
   bool none[COLUMNS_LAST];      /* sensor=none */
} Columns;

/* Parse a --columns spec (NULL: nothing given); false with "--columns 'SPEC': reason" in err. */
bool Columns_parse(Columns* this, const char* spec, char* err, size_t errlen);
void Columns_done(Columns* this);
/* Only check a spec's syntax, as Columns_parse does. */
bool Columns_check(const char* spec, char* err, size_t errlen);

/* The column of each role in the header reader has read (-1: none); false with the reason in why (to follow
 * "FILE:LINE: "). */
bool Columns_resolve(const Columns* this, const CsvReader* reader, int col[COLUMNS_LAST], char* why, size_t whylen);

#endif
