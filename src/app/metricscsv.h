/*
 * metricscsv.h: --metrics-csv, the same file from both front ends: a header,
 * then a row per --interval and one at the end, each from one snapshot (the
 * headless loop's, or the dashboard's UI thread's own copy). The sweep's
 * rows are its own (a run per row); it opens its file here too.
 */
#ifndef KEEPUP_APP_METRICSCSV_H
#define KEEPUP_APP_METRICSCSV_H

#include <stdio.h>

#include "core/snapshot.h"
#include "csv/replay.h"
#include "csv/replayprogress.h"

/* Open path as every output is (a FIFO without a reader is refused, not waited for); NULL after saying
 * why on stderr. */
FILE* MetricsCsv_open(const char* path);
/* The header of the snapshot rows. */
void MetricsCsv_header(FILE* f);
/* A row from s; pos and progress give the replay's columns (pos NULL: the simulator, columns empty). */
void MetricsCsv_row(FILE* f, const Snapshot* s, const ReplayPosition* pos, const ReplayProgress* progress);

#endif
