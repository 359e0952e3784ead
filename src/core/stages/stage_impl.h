/*
 * stage_impl.h: what the stage files share and nothing else sees: the
 * Pipeline's layout, a sensor's state, the per-worker cache, and each stage's
 * two variants. Only stage*.c (and the stage tests) include it.
 */
#ifndef KEEPUP_STAGE_IMPL_H
#define KEEPUP_STAGE_IMPL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/exact.h"
#include "base/lru.h"
#include "core/stages/stage.h"

/*
 * One sensor's state, touched only by the worker that holds its partition.
 *
 * The window is a ring of the last n norms (n <= win), oldest at head. It is
 * allocated when the sensor is first seen, at most 16 slots, and doubled as
 * it fills, so a sensor seen a few times costs little even at W = 100,000.
 * When the live window changes, the ring is rebuilt for the new W on the
 * sensor's next record, keeping its newest min(n, W) values.
 *
 * s1/s2/nm2/bad are the optimized feature's running sums (src/exact.h),
 * exact, over q = norm * 2^64: s1 the sum of the q's, nm2 = n * s2 - s1^2
 * (n times the sum of squared deviations), and s2 the sum of their squares,
 * needed only while the window fills (a full window updates nm2 directly).
 * bad counts the values the grid does not hold (|norm| >= 2^44, inf, NaN);
 * while there is one, the sums are not kept. Exact sums do not drift, so
 * they are updated for as long as the sensor stays optimized. Only the
 * optimized variant keeps them up to date; the naive one clears `stats`,
 * and the optimized one then rebuilds them from the ring before use, so the
 * two can be switched at any batch.
 */
typedef struct SensorState {
   double* ring;    /* alloc slots */
   uint32_t alloc;  /* slots allocated: min(win, 16) doubling up to win */
   uint32_t win;    /* the W the ring was built for; 0: sensor not seen yet */
   uint32_t head;   /* slot of the oldest value */
   uint32_t n;      /* values in the window */
   uint32_t bad;    /* values in the window outside the grid's range */
   bool stats;      /* s1/nm2/bad describe the ring, and s2 too while n < win */
   ExactInt s1;     /* sum of q */
   ExactWide nm2;   /* n * s2 - s1^2 */
   ExactWide s2;    /* sum of q^2 */
   _Atomic uint64_t alerts; /* alerts raised, single writer (relaxed load + store) */
} SensorState;

/* A sensor's calibration, by id (the optimized normalize's direct index). */
typedef struct CalSlot {
   double offset;
   double gain;
} CalSlot;

struct Pipeline {
   PipelineParams params; /* allow, cal and names point at the copies below */
   uint32_t* allow;
   CalEntry* cal;
   char** names;          /* id_space entries or NULL (a copy of params.names) */
   const char* const* live_names; /* params.names when they grow during the run (not copied) */
   char** name_field;     /* names as CSV fields (quoted when needed), or NULL */
   size_t name_field_max; /* length of the longest name field */
   uint64_t* allow_bits;  /* bitmap over id_space; NULL: every sensor allowed */
   CalSlot* cal_index;    /* id_space entries, {0, 1} where the table has none */
   SensorState* sensor;   /* id_space entries */
   _Atomic uint32_t window;
};

/* The per-worker cache behind the opaque EnrichCache of stage.h. */
struct EnrichCache {
   Lru lru;
};

/* A sensor's name as a CSV field (quoted when needed); NULL when it has none. Called by the worker
 * that holds the sensor's partition: the field of a name that grows is made on first use. */
const char* Pipeline_nameField(Pipeline* this, uint32_t sensor);
/* Room for extra more bytes after out->len, plus the NUL. */
void OutBuf_reserve(OutBuf* out, size_t extra);
/* Bytes the longest possible CSV line of this pipeline can take, with the
 * formatter's scratch room (see NUMFMT_MAX). */
size_t Pipeline_lineMax(const Pipeline* this);
/* The expensive, deterministic metadata of a sensor: work rounds of hashing
 * its configuration blob. */
uint64_t Stage_enrichMeta(uint32_t sensor, uint32_t work);

/* The per-record pieces of the optimized stages, which their batch passes and the fused loop
 * (chain.c) share, so that every dispatch computes the same bytes with the same code. */

/* Whether the allowlist's bitmap lets sensor s through (the optimized filter's test). */
static inline bool Stage_filterAllowed(const Pipeline* p, uint32_t s) {
   const uint64_t* bits = p->allow_bits;
   return s < p->params.id_space && (!bits || (bits[s / 64] >> (s % 64)) & 1);
}
/* Why the filter drops a value (the checks after the allowlist); FILTER_LAST: it passes. */
FilterReason Stage_filterValue(const Pipeline* p, double v);

/* The optimized normalize of one row. */
static inline void Stage_normalizeRow(const Pipeline* p, Row* row) {
   CalSlot c = p->cal_index[row->rec.sensor];
   row->norm = (row->rec.value - c.offset) * c.gain;
}

/* The optimized enrich of one row: the worker's cache, then the expensive function on a miss. */
static inline void Stage_enrichRow(const Pipeline* p, Work* w, Row* row) {
   Lru* lru = &w->cache->lru;
   if (Lru_get(lru, row->rec.sensor, &row->meta)) {
      w->cache_hits++;
   } else {
      row->meta = Stage_enrichMeta(row->rec.sensor, p->params.enrich_work);
      Lru_put(lru, row->rec.sensor, row->meta);
      w->cache_misses++;
   }
}

/* The divisors the optimized feature caches across the rows of one pass. */
typedef struct FeatureCounts {
   ExactCount count; /* the last window size seen on the general path */
   ExactCount full;  /* W, on the steady state's short path */
} FeatureCounts;
/* The optimized feature of one row (window W): mean, std, n_window, then norm enters the window. */
void Stage_featureRow(Pipeline* p, Row* row, uint32_t W, FeatureCounts* c);

/* Room in w->alerts for n more alerts, so that Stage_scoreRow never grows it. */
void Stage_scoreReserve(Work* w, uint32_t n);
/* The optimized score of one row: z, the alert decision, the alert and the sensor's count. */
void Stage_scoreRow(Pipeline* p, Work* w, Row* row);

/* Writes the row's CSV line at o (room: Pipeline_lineMax) and returns its end. */
char* Stage_formatLine(Pipeline* p, const Row* r, char* o);

void Stage_filterNaive(Pipeline* p, Work* w, const Batch* b);
void Stage_filterOptimized(Pipeline* p, Work* w, const Batch* b);
void Stage_normalizeNaive(Pipeline* p, Work* w, const Batch* b);
void Stage_normalizeOptimized(Pipeline* p, Work* w, const Batch* b);
void Stage_enrichNaive(Pipeline* p, Work* w, const Batch* b);
void Stage_enrichOptimized(Pipeline* p, Work* w, const Batch* b);
void Stage_featureNaive(Pipeline* p, Work* w, const Batch* b);
void Stage_featureOptimized(Pipeline* p, Work* w, const Batch* b);
void Stage_scoreNaive(Pipeline* p, Work* w, const Batch* b);
void Stage_scoreOptimized(Pipeline* p, Work* w, const Batch* b);
void Stage_formatNaive(Pipeline* p, Work* w, const Batch* b);
void Stage_formatOptimized(Pipeline* p, Work* w, const Batch* b);

#endif
