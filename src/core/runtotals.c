/* runtotals.c: the counts of ended pipelines, carried over to the run's whole. */
#include "config.h"

#include "core/runtotals.h"

#include <stdlib.h>

#include "base/xalloc.h"

/* Add from's cumulative counts to into's (the peak backlog: the larger). */
static void runtotals_sum(Snapshot* into, const Snapshot* from) {
   into->uptime_s += from->uptime_s;
   into->offered += from->offered;
   into->generated += from->generated;
   into->processed += from->processed;
   into->filtered += from->filtered;
   into->dropped += from->dropped;
   for (int i = 0; i < FILTER_LAST; i++)
      into->filtered_by[i] += from->filtered_by[i];
   for (int i = 0; i < DROP_LAST; i++)
      into->dropped_by[i] += from->dropped_by[i];
   into->order_violations += from->order_violations;
   if (from->peak_backlog_records > into->peak_backlog_records)
      into->peak_backlog_records = from->peak_backlog_records;
   into->batches_done += from->batches_done;
   into->batches_queued += from->batches_queued;
   into->done_stale += from->done_stale;
   into->alerts += from->alerts;
   into->cache_hits += from->cache_hits;
   into->cache_misses += from->cache_misses;
   into->output_bytes += from->output_bytes;
   for (int i = 0; i < STAGE_LAST; i++) {
      into->stage[i].ns += from->stage[i].ns;
      into->stage[i].records += from->stage[i].records;
   }
}

uint64_t RunTotals_add(RunTotals* this, const Snapshot* s) {
   Snapshot* ended = xmalloc(sizeof *ended);
   *ended = *s;
   uint64_t waiting = s->queued + s->in_flight;
   ended->dropped += waiting;
   ended->dropped_by[DROP_SWITCH] += waiting;
   ended->queued = ended->in_flight = 0;
   /* what the schedule offered and the source never admitted was never generated: not carried */
   ended->offered = s->generated;
   runtotals_sum(&this->sum, ended);
   free(ended);
   this->pipelines++;
   return waiting;
}

void RunTotals_apply(const RunTotals* this, Snapshot* s) {
   if (this->pipelines > 0)
      runtotals_sum(s, &this->sum);
}
