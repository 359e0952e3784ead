/*
 * tradeoff.h: the points of the throughput-vs-latency panel, aggregated from
 * history samples (no curses). A run is a stretch of samples with one
 * setting: any knob change (an event) starts a new one. The first
 * TRADEOFF_SETTLE_NS of a run are skipped while the pipeline settles; once a
 * run has TRADEOFF_MIN_NS of settled samples it becomes the point of its
 * setting (batch size, threads, stage variants), replacing an older run of
 * the same setting. Runs while the source is paused are not measured, and
 * neither are samples whose window completed hand-offs claimed under an
 * older batch size (HISTORY_MIXED): a point counts only the hand-offs made
 * under the setting it is plotted for.
 */
#ifndef KEEPUP_UI_TRADEOFF_H
#define KEEPUP_UI_TRADEOFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/history.h"

#define TRADEOFF_POINTS    48
#define TRADEOFF_SETTLE_NS INT64_C(2000000000)
#define TRADEOFF_MIN_NS    INT64_C(3000000000)

typedef struct TradeoffKey {
   uint32_t batch;
   uint32_t threads;
   uint32_t variants; /* bit s set: stage s runs optimized */
} TradeoffKey;

typedef struct TradeoffPoint {
   TradeoffKey key;
   double throughput; /* records/s completed, mean over the run */
   double p99_s;      /* end-to-end p99 latency, mean over the run */
   double seconds;    /* settled time measured */
   uint64_t stamp;    /* when it was last updated (feed count), to evict the stalest */
} TradeoffPoint;

typedef struct Tradeoff {
   TradeoffPoint points[TRADEOFF_POINTS];
   size_t n;
   uint64_t stamp;
   /* the run in progress */
   bool have_last;
   int64_t last_t; /* newest sample consumed */
   uint32_t last_event;
   uint32_t last_batch;
   uint32_t last_threads;
   TradeoffKey run;
   bool run_paused;
   int64_t run_start;
   int64_t settled_from; /* first settled sample, or 0 */
   int64_t settled_to;
   double sum_throughput;
   double sum_p99;
   uint32_t count;
} Tradeoff;

/* The variants key of a setting: bit s set when stage s runs optimized. */
uint32_t Tradeoff_variants(const Variant variant[STAGE_LAST]);

void Tradeoff_init(Tradeoff* this);
/* Consume the samples (oldest first) newer than the last consumed one;
 * variants and paused are the engine's state now (samples do not carry them,
 * and a change of either is an event, so it also starts a new run). */
void Tradeoff_feed(Tradeoff* this, const HistorySample* s, size_t n, uint32_t variants, bool paused);
/* The point of this setting, or NULL. */
const TradeoffPoint* Tradeoff_find(const Tradeoff* this, TradeoffKey key);
/* The setting of the run in progress. */
TradeoffKey Tradeoff_current(const Tradeoff* this);
bool TradeoffKey_equal(TradeoffKey a, TradeoffKey b);

#endif
