/*
 * columns.h: which columns of a CSV file hold the time, the sensor and the
 * values. --columns names them:
 *
 *   time=COL or time=COL+COL   the time, or a date and a time of day in two
 *                              columns (joined with one space)
 *   sensor=COL or sensor=none  a column of sensor names, or none (the file
 *                              is one sensor, or its value columns are)
 *   value=COL[,COL...]         one value column or several, each its own sensor
 *   value=*                    every numeric column but the time, the sensor
 *                              and labels (anomaly, changepoint, label, ...)
 *
 * COL is a name (case and blanks around it do not matter) or a 1-based
 * index. What the spec does not name is found by the common names (time_s,
 * time, timestamp, date, ...; a Date and a Time column side by side are one
 * time; sensor, sensor_id, device, id, name, series; value), and failing
 * that the first column is the time and the next free one the value.
 */
#ifndef KEEPUP_COLUMNS_H
#define KEEPUP_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csv/csvreader.h"

#define COLUMNS_TIME_MAX 2 /* columns a time may be made of */

/* A column as the spec names it: by name, or by 1-based index. */
typedef struct ColumnsRef {
   char* name;
   uint32_t index; /* 0: by name */
} ColumnsRef;

/* --columns, parsed. */
typedef struct Columns {
   ColumnsRef time[COLUMNS_TIME_MAX];
   uint32_t n_time; /* 0: by the common names */
   ColumnsRef sensor;
   bool sensor_given;
   bool sensor_none;
   ColumnsRef* value;
   uint32_t n_value; /* 0: by the common names (unless value_all) */
   bool value_all;   /* value=* */
} Columns;

/* The columns of one file's header. */
typedef struct ColumnsMap {
   int time[COLUMNS_TIME_MAX];
   uint32_t n_time;
   int sensor;      /* -1: none */
   int* value;      /* header columns, in the file's order for value=* */
   uint32_t n_value;
   bool value_all;  /* value=*: columns whose first row is not a value are left out at Columns_layout */
   bool value_named;/* the values are named after their columns (several given, or value=*) */
   char left_out[200]; /* what value=* left out and why, for the start-up line ("" when nothing) */
} ColumnsMap;

/* Parse a --columns spec (NULL: nothing given); false with "--columns 'SPEC': reason" in err. */
bool Columns_parse(Columns* this, const char* spec, char* err, size_t errlen);
void Columns_done(Columns* this);
/* Only check a spec's syntax, as Columns_parse does. */
bool Columns_check(const char* spec, char* err, size_t errlen);

/* The columns of each role in the header reader has read; false with the reason in why (to follow
 * "FILE:LINE: "). */
bool Columns_resolve(const Columns* this, const CsvReader* reader, ColumnsMap* out, char* why, size_t whylen);
/* value=*: keep the candidate columns whose field in the first data row is a value (is_value), and note
 * the others in left_out; false with why when none is left. */
bool Columns_layout(ColumnsMap* this, const CsvReader* reader, bool (*is_value)(void* ctx, const char* s, size_t n),
                    void* ctx, char* why, size_t whylen);
void ColumnsMap_done(ColumnsMap* this);
/* Whether a column name says it holds labels, not readings (anomaly, changepoint, label, ...). */
bool Columns_isLabel(const char* name);

#endif
