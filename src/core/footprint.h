/*
 * footprint.h: what a queued record costs in memory, per record layout (the
 * memory lesson; no curses, no engine).
 *
 * While the backlog grows, each record added takes its layout's bytes: the
 * table keeps, per layout, the growth of the queue's accounted bytes and of
 * the process RSS over the records added since the layout was set (a switch
 * leaves the records queued before it in their layout, so the whole backlog
 * mixes both; what was added since does not). From it, a prediction: how long
 * an empty queue takes to fill the byte cap at the measured growth in records.
 */
#ifndef KEEPUP_FOOTPRINT_H
#define KEEPUP_FOOTPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/snapshot.h"

#define FOOTPRINT_MIN_RECORDS 20000u /* records added before a layout's bytes are taken: the RSS moves in pages */

typedef struct FootprintRow {
   bool measured;
   uint64_t records; /* records added to the backlog over the span measured */
   double bytes;     /* the queue's accounted bytes per record added */
   double rss;       /* the process RSS growth per record added */
} FootprintRow;

typedef struct Footprint {
   FootprintRow row[LAYOUT_LAST];
   bool started;      /* a span has begun (a zeroed Footprint is a new one) */
   int current;       /* the layout of the span */
   uint64_t records0; /* the backlog, its bytes and the RSS when the span began */
   uint64_t bytes0, rss0;
   double growth;         /* the backlog's growth, records/s, last given while it grew */
   uint64_t last_records; /* the backlog at the last update */
   uint64_t cap_bytes;    /* the byte cap (0: none) */
} Footprint;

void Footprint_init(Footprint* this);
/* Take a snapshot: growth is the backlog's measured growth in records/s (the analysis'). A new layout, or a
 * backlog that shrank, begins a new span. */
void Footprint_update(Footprint* this, const Snapshot* s, double growth);
/* Predicted seconds for an empty queue to fill the byte cap at the growth given last while the backlog grew,
 * with the row's bytes per record (by RSS); INFINITY without a cap, a growth or a measurement. */
double Footprint_fillSeconds(const Footprint* this, RecordLayout l);
/* The lesson's caption from the table (false: nothing measured yet). */
bool Footprint_caption(const Footprint* this, char* line1, char* line2, size_t len);
/* The whole backlog's bytes per record by the RSS: what the process grew since the engine started over the
 * records queued (0 with none), as bench_memory measures it. */
double Footprint_rssPerRecord(const Snapshot* s);

#endif
