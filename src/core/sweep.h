/*
 * sweep.h: the dashboard's batch-size sweep on the live pipeline (no curses,
 * no engine), as a state machine the dashboard drives.
 *
 * The sweep runs the same points as `--sweep batch=1,4,16,64,256,1024`: for
 * each batch size it lets the pipeline settle after the change, then measures
 * for SWEEP_MEASURE_NS: throughput from the completed count, p50/p99 from the
 * cumulative latency histogram taken at both ends (the difference is the
 * latency of the records completed in between). After the last point, or on
 * cancel, the batch size the user had is restored.
 *
 * Unlike the headless sweep, the points share one running pipeline, and the
 * source seals batches as records arrive: a backlog left by one point is
 * still queued in that point's batch size at the next. So a point settles
 * for at least SWEEP_SETTLE_NS, until no record from before the change is
 * waiting (the oldest record is younger than the change) and until the
 * backlog no longer drains, over SWEEP_DRAIN_SPAN_NS from then on (a point
 * that keeps up is measured without a backlog it inherited in its latency);
 * at most SWEEP_SETTLE_MAX_NS, and
 * a point measured before that is marked unsettled. The dashboard runs the
 * points from the largest batch size down: the large ones keep up, and a
 * small one that falls behind leaves a backlog of its own size, which the
 * next, smaller one clears quickly.
 *
 * A point's throughput is what the pipeline sustained: the smaller of the
 * arrival and completion rates over the measured time. A fresh pipeline
 * (the headless sweep's) completes at most what arrives; here a point that
 * still drains a backlog completes more than that, which would overstate
 * what its batch size sustains.
 *
 * A sweep started on an old backlog would measure that backlog, not its
 * points: Sweep_begin waits for a backlog that drains to be gone (saying so,
 * at most SWEEP_WAIT_MAX_NS) and refuses, with the reason, to start on one
 * that does not drain. A point measured while hand-offs claimed under an
 * older batch size were still completing is marked unsettled.
 *
 * The dashboard asks Sweep_due() every frame; at a phase boundary it measures
 * (a snapshot's counts and Engine_latency) and calls Sweep_advance(), which
 * says which batch size to set next.
 */
#ifndef KEEPUP_UI_SWEEP_H
#define KEEPUP_UI_SWEEP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/histogram.h"

#define SWEEP_MAX_POINTS    16
#define SWEEP_SETTLE_NS     INT64_C(2000000000)
#define SWEEP_SETTLE_MAX_NS INT64_C(20000000000)
#define SWEEP_MEASURE_NS    INT64_C(3000000000)
#define SWEEP_KNEE_SHARE    0.9 /* the knee: the smallest batch size reaching this share of the peak throughput */
#define SWEEP_DRAINING      0.1 /* a backlog shrinking by more than this share of the arrival rate still drains */
#define SWEEP_DRAIN_SPAN_NS INT64_C(500000000) /* ... measured over this long, once no older record waits */
#define SWEEP_FRESH_NS      INT64_C(1000000000) /* a backlog whose oldest record is younger is no old backlog */
#define SWEEP_WAIT_MAX_NS   INT64_C(60000000000) /* how long a sweep waits for an old backlog to drain */
#define SWEEP_WAIT_POLL_NS  INT64_C(500000000)

/* The dashboard's points: those of the man page's --sweep example, largest first. */
extern const uint32_t Sweep_defaultBatches[];
extern const uint32_t Sweep_defaultCount;

typedef enum SweepPhase {
   SWEEP_IDLE,      /* never started */
   SWEEP_WAITING,   /* waits for an old backlog to drain before the first point */
   SWEEP_SETTLING,  /* the point's batch size is set; not measured yet */
   SWEEP_MEASURING, /* counts and latencies since the settle ended */
   SWEEP_DONE,      /* every point measured; the original batch size is back */
   SWEEP_CANCELLED, /* stopped early; the points measured so far are kept */
} SweepPhase;

typedef struct SweepPoint {
   uint32_t batch;
   bool done;
   bool unsettled;    /* measured while records from before the change were still waiting */
   double throughput; /* records/s sustained: min(arrival, completion) over the measured time */
   double in_rate;    /* records/s arriving, and completed, over the measured time */
   double out_rate;
   double p50_s, p99_s;  /* latency of the records completed in it */
   double backlog_start; /* records, when the measured time began and ended */
   double backlog_end;
} SweepPoint;

/* What the dashboard measures at a boundary. */
typedef struct SweepMeasure {
   int64_t t;                /* when the counts were taken (the snapshot's time) */
   uint64_t generated;       /* cumulative */
   uint64_t completed;       /* processed + filtered, cumulative */
   double backlog;           /* records */
   double in_rate;           /* records/s arriving over the last second */
   int64_t oldest_age_ns;    /* of the oldest record not completed (0: none) */
   uint64_t done_stale;      /* records completed in hand-offs claimed under an older batch size, cumulative */
   const Histogram* latency; /* cumulative end-to-end latency (ns) */
} SweepMeasure;

typedef struct Sweep {
   SweepPhase phase;
   SweepPoint point[SWEEP_MAX_POINTS];
   uint32_t n;        /* points */
   uint32_t current;  /* the point in progress */
   uint32_t original; /* the batch size to restore */
   int64_t phase_start;
   int64_t phase_end; /* when the current phase ends (settling: at the earliest) */
   int64_t started;
   uint32_t threads;  /* the setting it runs at (the caller's to set; any change cancels the sweep) */
   uint32_t variants; /* bit s: stage s optimized */
   /* the measured time's start */
   int64_t t0;
   uint64_t generated0;
   uint64_t completed0;
   uint64_t stale0;
   int64_t ref_t; /* settling: the backlog at ref_t, to see whether it drains (0: none yet) */
   double ref_backlog;
   char why[96]; /* why it was refused or cancelled by itself ("": it was not) */
   Histogram base;
   Histogram diff; /* scratch */
} Sweep;

void Sweep_init(Sweep* this);
/* Start over the batches (at most SWEEP_MAX_POINTS); returns the first batch size to set. */
uint32_t Sweep_start(Sweep* this, const uint32_t* batches, uint32_t n, uint32_t original, int64_t now);

typedef enum SweepBegin {
   SWEEP_BEGUN,   /* the first point's batch size is set now */
   SWEEP_WAITS,   /* an old backlog drains first (phase SWEEP_WAITING) */
   SWEEP_REFUSED, /* an old backlog that does not drain: why says so */
} SweepBegin;
/* Which way the backlog goes when a sweep is asked for (the verdict's CATCHING UP, FALLING BEHIND). */
typedef enum SweepTrend {
   SWEEP_TREND_STEADY,
   SWEEP_TREND_DRAINING,
   SWEEP_TREND_GROWING,
} SweepTrend;
/* Start, looking at the pipeline first: m is now, trend which way its backlog goes; a growing backlog
 * is refused even while its oldest record is young (it falls behind at any batch size the sweep would
 * measure from it). *batch: the batch size to set (0: none yet). */
SweepBegin Sweep_begin(Sweep* this, const uint32_t* batches, uint32_t n, uint32_t original, int64_t now,
                       const SweepMeasure* m, SweepTrend trend, uint32_t* batch);
bool Sweep_running(const Sweep* this);
/* True when the phase in progress has ended at now: measure and call Sweep_advance. */
bool Sweep_due(const Sweep* this, int64_t now);
/* Close the phase with the measurement m (a settle that is not over yet goes on). Returns the batch
 * size to set now, 0 for none; after the last point that is the original one (phase SWEEP_DONE). */
uint32_t Sweep_advance(Sweep* this, const SweepMeasure* m, int64_t now);
/* Stop early; returns the batch size to restore, or 0 when no sweep was running. */
uint32_t Sweep_cancel(Sweep* this);
/* Points measured so far. */
uint32_t Sweep_doneCount(const Sweep* this);
/* How far the whole sweep is, 0..1. */
double Sweep_progress(const Sweep* this, int64_t now);
/* Index of the knee among n points: the smallest batch size whose throughput reaches share of the
 * peak (points not done are ignored); -1 when no point is done. */
int Sweep_knee(const SweepPoint* points, uint32_t n, double share);

#endif
