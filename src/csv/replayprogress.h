/*
 * replayprogress.h: how fast a replay plays and when it will end, as pv
 * says it: the rate over a recent window of positions (not the mean since
 * the start, which a speed change or a gap would skew for minutes), and the
 * time the bytes left take at that rate. A front end adds a position now and
 * then (every frame, every status line) and reads the figures and the text.
 */
#ifndef KEEPUP_REPLAYPROGRESS_H
#define KEEPUP_REPLAYPROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "csv/replay.h"

#define REPLAYPROGRESS_SAMPLES 32
#define REPLAYPROGRESS_WINDOW_NS (10 * INT64_C(1000000000)) /* the rates' window */

typedef struct ReplayProgress {
   int64_t t[REPLAYPROGRESS_SAMPLES];
   uint64_t bytes[REPLAYPROGRESS_SAMPLES];
   uint64_t rows[REPLAYPROGRESS_SAMPLES];
   uint32_t n, head;
   uint64_t seeks; /* the position's seeks at the newest sample: a seek starts the window again */
} ReplayProgress;

/* A span of the data's time for the eye: Units_formatDuration's text, or "3.5 d" from two days on. */
void ReplayProgress_span(char* buf, size_t len, int64_t ns);

/* An empty window is all zeros. */
void ReplayProgress_add(ReplayProgress* this, int64_t now, const ReplayPosition* pos);
/* Rows and bytes played per second over the window (0 until two positions are in). */
double ReplayProgress_rowRate(const ReplayProgress* this);
double ReplayProgress_byteRate(const ReplayProgress* this);
/* The time the rest of the files takes at the window's rate, ns; -1 when unknown (a stream, no rate yet). */
int64_t ReplayProgress_eta(const ReplayProgress* this, const ReplayPosition* pos);
/* What the position says in a few words: "4.6k rows 45% ETA 1m02s", "4.6k rows 1.2k/s", "next row due in 3.2s",
 * "gap of 3.5d cut to 1s", "ended". */
void ReplayProgress_text(const ReplayProgress* this, const ReplayPosition* pos, int64_t now, int64_t max_gap_ns,
                         char* out, size_t len);

#endif
