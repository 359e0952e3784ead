/*
 * amdahl.h: the numbers of the Amdahl panel (no curses, no engine).
 *
 * A stage's share p is its part of the workers' busy time per record: the
 * filter runs on every record, the later stages on those that passed it,
 * and every hand-off also costs time outside the stages (claim, simulated
 * dispatch, measuring, output, completion), which no stage speedup touches.
 * That total is the one denominator of the stage table, this panel and the
 * forecast. Amdahl's law then predicts the overall speedup when that stage
 * alone gets s times faster.
 *
 * A trial follows one toggle of one stage. At the toggle it keeps the share
 * and the stage's measured cost before, the calibration's speedup of the
 * stage, and the throughput over the last seconds before, which is the
 * pipeline's capacity only if it was saturated all that time (the workers
 * never waited for input: the backlog's oldest record stayed old). After
 * AMDAHL_SETTLE_NS (the 1 s rate window then holds only the new variant's
 * work) it averages the throughput of the saturated samples for up to
 * AMDAHL_MEASURE_NS: while a backlog remains, the throughput is the new
 * capacity. Once the backlog drains the throughput is the input's, so the
 * measurement stops there; if it drained before AMDAHL_MIN_MEASURE_NS of
 * saturated time, there is nothing to measure at saturation and the outcome
 * says so.
 *
 * A second measurement needs no saturation: records completed per second of
 * worker busy time (out rate / busy fraction of a window that saw work),
 * before the toggle and after it. It is what the workers' speed became,
 * measured on the same code and data, and is shown as such when the
 * saturated one is not available (a pipeline that keeps up, or one whose
 * backlog drained at once).
 *
 * A measured speedup carries its uncertainty (from the spread of the
 * throughput before and after). Amdahl's law bounds it: no speedup of one
 * stage can beat 1 / (1 - p). A measurement above that bound, beyond its
 * uncertainty, means something else changed too: AmdahlTrial_otherChange
 * names the other stage (or the hand-off) whose cost moved the most.
 */
#ifndef KEEPUP_UI_AMDAHL_H
#define KEEPUP_UI_AMDAHL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/history.h"
#include "core/stages/stage.h"

#define AMDAHL_BEFORE_NS      INT64_C(5000000000) /* throughput before: the mean over this long */
#define AMDAHL_MIN_BEFORE_NS  INT64_C(2000000000) /* ... and at least this long */
#define AMDAHL_SETTLE_NS      INT64_C(1200000000)
#define AMDAHL_MEASURE_NS     INT64_C(4000000000)
#define AMDAHL_MIN_MEASURE_NS INT64_C(500000000)   /* saturated time after, before a measured speedup is shown */
#define AMDAHL_BUSY_NS        INT64_C(30000000000) /* after the settle, windows with work count this long */
#define AMDAHL_MIN_BUSY       0.05 /* a window whose workers were busier than this measures records per busy second */
#define AMDAHL_BUSY_WINDOWS   10   /* ... and this many such windows after the toggle are averaged */
/* another stage's change explains a speedup past the bound only if it moved this share of the busy time at
 * least (score 2 ns -> 1 ns cannot) */
#define AMDAHL_OTHER_SHARE 0.05

/* What a record costs, measured over the recent window. */
typedef struct AmdahlCosts {
   double ns[STAGE_LAST];      /* per record the stage ran on */
   double passed;              /* share of records that passed the filter (0..1) */
   double overhead_per_record; /* worker time outside the stages, per record */
   double chain_ns;            /* the stages timed as one (--dispatch record, fused), per record; 0 in batch */
} AmdahlCosts;

/* Busy time per arriving record, ns. */
double Amdahl_total(const AmdahlCosts* c);
/* The stage's share p of the busy time (0..1); 0 when nothing was measured. */
double Amdahl_share(const AmdahlCosts* c, int stage);

typedef enum AmdahlOutcome {
   AMDAHL_MEASURING,       /* waiting for the settle, or for enough saturated time */
   AMDAHL_MEASURED,        /* measured at saturation before and after (updated until the measuring time ends) */
   AMDAHL_NOT_SATURATED,   /* the pipeline kept up before: its throughput was the input's, not its capacity */
   AMDAHL_DRAINED_AT_ONCE, /* saturated before, but the backlog was gone before anything could be measured */
   AMDAHL_VOID,            /* another knob changed: the comparison no longer isolates the stage */
} AmdahlOutcome;

typedef struct AmdahlTrial {
   bool active;
   int stage;
   Variant from, to;
   int64_t t;          /* the toggle */
   double p;           /* share before */
   AmdahlCosts before; /* every cost before */
   double ns_before;   /* the stage's cost per record before */
   double ns_after;    /* after, once measured (0: not yet) */
   double cal_speedup; /* the stage's speedup by the calibration table (before / after) */
   double busy_age_s;  /* a sample is saturated when its oldest record is at least this old */
   double thr_before;  /* records/s, mean over the saturated time before (0: none) */
   double sd_before;   /* their standard deviation */
   uint32_t n_before;  /* samples */
   double before_s;    /* how long that was */
   bool saturated_before;
   double sum_after; /* out rates of the saturated samples after the settle */
   double sumsq_after;
   uint32_t n_after;
   double after_s; /* saturated time measured after */
   int64_t first_after, last_after;
   bool drained;   /* the backlog emptied after the settle */
   bool finished;  /* the measuring time is over */
   int64_t last_t; /* newest sample consumed */
   bool void_;
   char void_why[48];
   /* records per busy worker-second, before and after */
   double per_busy_before;
   double per_busy_sum;
   uint32_t per_busy_n;
   int64_t per_busy_last_t;
} AmdahlTrial;

/* Start a trial at the toggle (time t) from the costs measured before, the
 * records per busy worker-second of the last window with work before it (0:
 * none), and the history up to the toggle (oldest first). */
void AmdahlTrial_begin(AmdahlTrial* this, int stage, Variant from, Variant to, int64_t t, const AmdahlCosts* before,
                       double cal_speedup, double busy_age_s, double per_busy_before, const HistorySample* hist,
                       size_t n);
/* A snapshot's window ending at t: out rate and busy fraction (a window already seen is skipped). */
void AmdahlTrial_feedBusy(AmdahlTrial* this, int64_t t, double out_rate, double busy);
/* Consume history samples (oldest first; those already seen are skipped). */
void AmdahlTrial_feed(AmdahlTrial* this, const HistorySample* s, size_t n);
/* The stage's cost per record measured after the toggle (call once the stage window is past the settle). */
void AmdahlTrial_setAfterCost(AmdahlTrial* this, double ns_after);
/* Another knob changed: the trial stops measuring, with why. */
void AmdahlTrial_void(AmdahlTrial* this, const char* why);
/* Whether the stage window measured at time t holds only the new variant's work. */
bool AmdahlTrial_settled(const AmdahlTrial* this, int64_t t);

/* The stage's own speedup (ns before / ns after); 0 until measured. */
double AmdahlTrial_stageSpeedup(const AmdahlTrial* this);
/* Amdahl's prediction of the overall speedup from the stage's measured costs; 0 until measured. */
double AmdahlTrial_predicted(const AmdahlTrial* this);
/* The same from the calibration table, available at once. */
double AmdahlTrial_predictedCal(const AmdahlTrial* this);
/* The measured overall speedup: throughput after / before; 0 when it cannot be measured (see outcome). */
double AmdahlTrial_measured(const AmdahlTrial* this);
/* The measured overall speedup in records per busy worker-second, after / before; 0 until measured. */
double AmdahlTrial_measuredBusy(const AmdahlTrial* this);
/* Throughput after, records/s (0: none). */
double AmdahlTrial_throughputAfter(const AmdahlTrial* this);
AmdahlOutcome AmdahlTrial_outcome(const AmdahlTrial* this);
/* The measured speedup's uncertainty (one standard error, as a speedup; 0: none measured). */
double AmdahlTrial_uncertainty(const AmdahlTrial* this);
/* Amdahl's bound: the speedup if the stage took no time at all, 1 / (1 - p). */
double AmdahlTrial_bound(const AmdahlTrial* this);
/* The measured speedup passes the bound by more than its uncertainty. */
bool AmdahlTrial_pastBound(const AmdahlTrial* this);
/* The amdahl lesson's checkpoint for a trial that optimized a stage, measured live, in two lines of at most
 * len bytes: "You optimized filter (8% of the time): predicted x1.09, measured x1.08: Amdahl." and what to
 * do next ("Now find the stage with 76% of the time.", from the shares now); false (nothing written) for
 * no trial, a void one or one back to naive. The prediction is from the stage's measured costs, else the
 * calibration's; the measurement at saturation, else in records per busy second. */
bool AmdahlTrial_checkpoint(const AmdahlTrial* this, const AmdahlCosts* now, char* line1, char* line2, size_t len);
/* Of the other stages and the hand-off (STAGE_LAST), the one whose cost per record changed the most
 * between the toggle and now (its costs before and now in *before, *after); -1 when none moved by 20%
 * and by AMDAHL_OTHER_SHARE of the busy time before (then the load, not a stage, changed). */
int AmdahlTrial_otherChange(const AmdahlTrial* this, const AmdahlCosts* now, double* before, double* after);

#endif
