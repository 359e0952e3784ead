/*
 * latencytable.h: the latency percentile view's text, as HdrHistogram's
 * tools print a distribution (50.000% ... 99.990%, then 100.000%, the max):
 * one column for the recent window and one for the whole run, from the two
 * Percentiles a snapshot carries. Pure text, no curses, so a unit test reads
 * exactly what the screen shows.
 */
#ifndef KEEPUP_UI_LATENCYTABLE_H
#define KEEPUP_UI_LATENCYTABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/histogram.h"

#define LATENCYTABLE_LINES 8  /* the heading, six percentiles (the last is the max), the record counts */
#define LATENCYTABLE_WIDTH 96 /* columns of a line, at most (with its terminating NUL) */
/* The fewest records a column needs for its p99.99 to be below its max: 1 / (1 - 0.9999). */
#define LATENCYTABLE_P9999_RECORDS 10000

/* Where latency counts from, in a sentence: the view says it under the table. */
extern const char* const LatencyTable_origin;

/* The table's lines: window covers the last window_s seconds, total the run's run_s seconds. A column
 * without a completed record shows "-". */
void LatencyTable_lines(const Percentiles* window, double window_s, const Percentiles* total, double run_s,
                        char lines[LATENCYTABLE_LINES][LATENCYTABLE_WIDTH]);
/* A note for a column with records but fewer than LATENCYTABLE_P9999_RECORDS (its p99.99 is then its
 * max); NULL when neither has so few. */
const char* LatencyTable_note(const Percentiles* window, const Percentiles* total);

#endif
