/*
 * runtotals.h: the cumulative counts of the pipelines a run has ended, so a
 * run that starts a new pipeline (a scenario switched in the dashboard)
 * still accounts for every record it generated.
 *
 * An ended pipeline's records still queued or in flight are not lost
 * silently: they are counted as dropped, reason DROP_SWITCH. Adding the
 * totals to a live snapshot keeps its identity
 *   generated == processed + filtered + dropped + queued + in_flight
 * over the whole run. Rates, latencies and shares are the live pipeline's
 * own: they describe the lesson in force, not an average over lessons.
 */
#ifndef KEEPUP_RUNTOTALS_H
#define KEEPUP_RUNTOTALS_H

#include <stdint.h>

#include "core/snapshot.h"

typedef struct RunTotals {
   uint32_t pipelines; /* ended so far */
   Snapshot sum;       /* their cumulative counts (what the ended pipelines left waiting: dropped); the
                        * windowed fields stay zero */
} RunTotals;

/* The counts of a pipeline that ended with final snapshot s (what was still waiting: dropped, DROP_SWITCH).
 * Returns the records it dropped so. */
uint64_t RunTotals_add(RunTotals* this, const Snapshot* s);
/* Add the ended pipelines' counts to the live pipeline's snapshot s. */
void RunTotals_apply(const RunTotals* this, Snapshot* s);

#endif
