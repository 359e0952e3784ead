/*
 * stage.h: the processing chain, as a table of six stages, each with a naive
 * and an optimized implementation that compute the same result.
 *
 * Data model. A worker owns one Work (its scratch: rows, output text, enrich
 * cache, counters). A Pipeline holds what every worker shares: the parameters
 * (allowlist, calibration, window, threshold), the tables derived from them,
 * and one SensorState per sensor id. A sensor's state is touched only by the
 * worker that has claimed the sensor's partition, and the queue's lock orders
 * those claims, so the state needs no lock of its own; its alert count is
 * atomic only because snapshots read it from another thread.
 *
 * The engine calls the stages in order on each batch, timing each call:
 *   filter    Batch -> w->rows (survivors only; rejections counted by reason)
 *   normalize rows[i].norm
 *   enrich    rows[i].meta
 *   feature   rows[i].mean, rows[i].std, rows[i].n_window (window BEFORE the record),
 *             then pushes norm into the sensor's window
 *   score     rows[i].z, rows[i].alert, w->alerts
 *   format    w->out gets one CSV line per row
 */
#ifndef KEEPUP_STAGE_H
#define KEEPUP_STAGE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/record.h"

typedef enum StageId {
   STAGE_FILTER,
   STAGE_NORMALIZE,
   STAGE_ENRICH,
   STAGE_FEATURE,
   STAGE_SCORE,
   STAGE_FORMAT,
   STAGE_LAST
} StageId;

typedef enum Variant {
   VARIANT_NAIVE,
   VARIANT_OPTIMIZED,
   VARIANT_LAST
} Variant;

/* How a worker sends a batch through the six stages (--dispatch; chain.h runs the last two). */
typedef enum Dispatch {
   DISPATCH_BATCH,  /* stage by stage, each over the whole batch, each timed */
   DISPATCH_RECORD, /* each record on its own through the chain of stage calls */
   DISPATCH_FUSED,  /* one loop doing the six optimized stages per record, no stage boundary */
   DISPATCH_LAST
} Dispatch;

typedef enum FilterReason {
   FILTER_NOT_ALLOWED, /* sensor not in the allowlist */
   FILTER_NOT_FINITE,  /* NaN or infinite value */
   FILTER_OUT_OF_RANGE,/* outside [valid_lo, valid_hi] */
   FILTER_MISSING,     /* the input marked the value missing (Record_missing: --na, an empty recorded value) */
   FILTER_LAST
} FilterReason;

extern const char* const FilterReason_names[FILTER_LAST];

/* A record that passed the filter, with what the later stages derive from it. */
typedef struct Row {
   Record rec;
   double norm;       /* (value - offset) * gain */
   double mean;       /* rolling mean of norm over the previous n_window records of the sensor */
   double std;        /* population standard deviation over the same window */
   double z;          /* (norm - mean) / std, 0 when std == 0 or the window is empty */
   uint64_t meta;     /* enrich: the sensor's metadata word */
   uint32_t n_window; /* records in the window before this one (0..window) */
   uint32_t alert;    /* 1 when the window is full and |z| >= threshold */
} Row;

typedef struct Alert {
   int64_t t_arrival; /* when the reading arrived by the schedule (ns, CLOCK_MONOTONIC) */
   int64_t t_raised;/* when its batch completed (ns), stamped by the engine */
   double value;    /* raw value */
   double z;
   uint32_t sensor;
} Alert;

typedef struct CalEntry {
   uint32_t sensor;
   double offset;
   double gain;
} CalEntry;

/* The time_iso column of the output: none, the event time as a UTC date-time (a replay: since 1970), or as a
 * duration (the simulator: since the run's start). */
typedef enum PipelineTimeIso {
   PIPELINE_ISO_NONE,
   PIPELINE_ISO_DATE,
   PIPELINE_ISO_DURATION,
} PipelineTimeIso;

/* Everything that shapes the processing of records; a recording carries it. */
typedef struct PipelineParams {
   uint32_t id_space;        /* sensor ids are < id_space */
   const uint32_t* allow;    /* allowlist in table order; NULL: every sensor allowed */
   uint32_t n_allow;
   double valid_lo;          /* valid value range (inclusive); +-INFINITY for none */
   double valid_hi;
   const CalEntry* cal;      /* calibration table in table order; sensors absent: offset 0, gain 1 */
   uint32_t n_cal;
   uint32_t window;          /* W, 1..KEEPUP_WINDOW_MAX */
   double threshold;         /* k for |z| >= k */
   uint32_t cache_capacity;  /* enrich LRU entries per worker */
   uint32_t enrich_work;     /* rounds of the expensive metadata function (its cost knob) */
   const char* const* names; /* sensor names by id (replayed files), NULL: print numeric ids */
   /* names grow while the run goes on (a replay names sensors as it meets them): the table is
    * shared, not copied, and names[s] is set before the first record of sensor s enters */
   bool names_grow;
   /* --output-time iso: a time_iso column after time_s (not processing: a recording does not carry it) */
   PipelineTimeIso time_iso;
} PipelineParams;

/* The longest sensor name a pipeline prints, in bytes (a name table that grows is bounded by it). */
#define PIPELINE_NAME_MAX 255

#define KEEPUP_WINDOW_MAX 100000u
/* A default for PipelineParams.enrich_work: 16 rounds cost about 0.33 us per
 * metadata computation on a 3.7 GHz x86-64 core (about 20 ns a round). */
#define KEEPUP_ENRICH_WORK_DEFAULT 16u
#define KEEPUP_ENRICH_WORK_MAX     1024u /* about 20 us per metadata computation: a recording may not ask more */

typedef struct Pipeline Pipeline;

/* A growable text buffer the format stage writes into. */
typedef struct OutBuf {
   char* buf;
   size_t len;
   size_t cap;
} OutBuf;

typedef struct EnrichCache EnrichCache;

/* One worker's scratch, reused from batch to batch. */
typedef struct Work {
   Row* rows;
   uint32_t nrows;
   uint32_t first;  /* the stages after the filter run on rows [first, nrows): 0 but in the record chain */
   uint32_t cap;
   uint32_t window; /* W in force for this batch (read once per batch) */
   OutBuf out;
   EnrichCache* cache;
   uint64_t filtered[FILTER_LAST]; /* cumulative, this worker */
   uint64_t cache_hits;            /* cumulative, this worker */
   uint64_t cache_misses;
   Alert* alerts;   /* alerts raised in the current batch */
   uint32_t nalerts;
   uint32_t alerts_cap;
   /* set by the engine (NULL: never): once it reads true, the stages that can take long (the naive ones,
    * enrich, feature) leave the batch unfinished, looking every STAGE_STOP_ROWS rows */
   const _Atomic bool* stop;
   Batch* single;   /* the record chain's one-record batch: each record sent on its own */
   /* --layout boxed (core/boxed.h): the batch's records' objects by index (NULL: a packed record), or NULL
    * for a packed batch; rowbox: each row's object, set by the filter */
   struct BoxedRecord* const* box;
   struct BoxedRecord** rowbox;
   uint32_t rowbox_cap;
} Work;

#define STAGE_STOP_ROWS 64u

/* Whether the engine asked the stages to leave the batch (relaxed: a look, not a synchronization). */
static inline bool Work_stopped(const Work* this) {
   return this->stop && atomic_load_explicit(this->stop, memory_order_relaxed);
}

/* The stop look inside a stage's loop: every STAGE_STOP_ROWS rows. */
static inline bool Work_stopAt(const Work* this, uint32_t row) {
   return row % STAGE_STOP_ROWS == STAGE_STOP_ROWS - 1 && Work_stopped(this);
}

typedef void (*StageFn)(Pipeline* p, Work* w, const Batch* b);

typedef struct StageDef {
   const char* name;     /* "filter", ... */
   const char* naive;    /* one line: what the naive variant does */
   const char* optimized;/* one line: what the optimized variant does */
   StageFn run[VARIANT_LAST];
} StageDef;

extern const StageDef Stage_table[STAGE_LAST];

/* "filter" -> STAGE_FILTER; -1 when unknown. */
int Stage_byName(const char* name);
const char* Variant_name(Variant v);

/* The pipeline copies params (and the arrays they point to). */
Pipeline* Pipeline_new(const PipelineParams* params);
void Pipeline_delete(Pipeline* this);
const PipelineParams* Pipeline_params(const Pipeline* this);
/* Live knobs: take effect from the next batch a worker starts. */
void Pipeline_setWindow(Pipeline* this, uint32_t window);
uint32_t Pipeline_window(const Pipeline* this);
/* Alerts raised so far for one sensor (any thread). */
uint64_t Pipeline_sensorAlerts(const Pipeline* this, uint32_t sensor);
/* Write the CSV header line of --output into out. */
void Pipeline_formatHeader(const Pipeline* this, OutBuf* out);

void Work_init(Work* this, const Pipeline* p);
void Work_done(Work* this);
/* Start a batch: clear rows, output and alerts; read the live window. */
void Work_begin(Work* this, const Pipeline* p, uint32_t batch_n);

/* Run all six stages with the given variants (tests, benchmarks, calibration). */
void Pipeline_runAll(Pipeline* this, Work* w, const Batch* b, const Variant variants[STAGE_LAST]);

#endif
