/* analysis.c: the verdict, the forecast and its check, and the Amdahl costs, from snapshots and history. */
#include "config.h"

#include "core/analysis.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/units.h"

#define ANALYSIS_CATCHUP_NS        INT64_C(60000000000) /* the verdict catches up at most this much unseen history */
#define ANALYSIS_SATURATED_SAMPLES 10                   /* the fewest samples that show the workers never idle */

void Analysis_init(Analysis* this) {
   memset(this, 0, sizeof *this);
   Verdict_init(&this->verdict);
   PredictionCheck_init(&this->check);
   this->costs.passed = 1;
   this->cpu_ratio = 1;
}

void Analysis_knobChanged(Analysis* this, int64_t t) {
   this->changed = t;
}

void Analysis_restartVerdict(Analysis* this) {
   Verdict_init(&this->verdict);
}

double Analysis_busyAge(const Knobs* k) {
   return fmax(0.25, 3.0 * (double)k->linger_ns / 1e9);
}

/* The horizon the verdict compares over: a whole burst period when bursts come further apart than the default. */
static int64_t analysis_horizon(const Knobs* k) {
   if (k->arrival == ARRIVAL_BURST && k->every_ns > VERDICT_HORIZON_NS)
      return k->every_ns;
   return VERDICT_HORIZON_NS;
}

int64_t Analysis_lookback(const Analysis* this, const Snapshot* s) {
   int64_t back = analysis_horizon(&s->knobs);
   if (s->long_span_ns > back)
      back = s->long_span_ns;
   int64_t since = this->measured_t > 0 ? s->t - this->measured_t : (int64_t)(s->uptime_s * 1e9);
   return back + (since < ANALYSIS_CATCHUP_NS ? since : ANALYSIS_CATCHUP_NS);
}

/* Feed the verdict every sample it has not seen (up to ANALYSIS_CATCHUP_NS of them), oldest first. */
/* The end of the input is a fact the snapshot knows before the history shows it: a run shorter than
 * two samples (a small file at --speed max) must not end MEASURING, nor a failed one DONE. */
static void analysis_ended(Analysis* this, const Snapshot* s) {
   VerdictState st = this->verdict.state;
   if (!s->source_done || st == VERDICT_FAILED || (st == VERDICT_DONE && !s->source_failed))
      return;
   VerdictInput in = this->verdict.last;
   in.t = s->t > in.t ? s->t : in.t;
   in.ended = true;
   in.failed = s->source_failed;
   in.backlog = (double)s->backlog_records;
   in.held_back = 0;
   in.held_back_s = 0;
   in.oldest_age_s = (double)s->oldest_age_ns / 1e9;
   Verdict_update(&this->verdict, &in);
}

static void analysis_verdict(Analysis* this, const Snapshot* s, const HistorySample* h, size_t n) {
   if (n < 2) {
      analysis_ended(this, s);
      return;
   }
   int64_t horizon = analysis_horizon(&s->knobs);
   /* a burst and its drain compare like with like only over a whole period */
   bool whole_period = horizon > VERDICT_HORIZON_NS;
   int64_t from = this->measured_t;
   if (h[n - 1].t - from > ANALYSIS_CATCHUP_NS)
      from = h[n - 1].t - ANALYSIS_CATCHUP_NS;
   size_t first = n - 1;
   while (first > 1 && h[first - 1].t > from)
      first--;
   for (size_t i = first; i < n; i++) {
      if (h[i].t <= from)
         continue;
      if (whole_period && this->verdict.state == VERDICT_STARTING && h[i].t - this->started < horizon)
         continue;
      VerdictInput in;
      if (Verdict_measure(h, i + 1, horizon, &in))
         Verdict_update(&this->verdict, &in);
   }
   this->measured_t = h[n - 1].t;
   analysis_ended(this, s);
}

/* Whether the workers had work all the time over the last span: the growth is then arrival - capacity. */
static bool analysis_saturated(const HistorySample* h, size_t n, int64_t span, double busy_age) {
   if (n == 0)
      return false;
   int64_t end = h[n - 1].t;
   size_t seen = 0;
   for (size_t i = n; i-- > 0 && end - h[i].t <= span; seen++)
      if (!(h[i].backlog > 0 && h[i].oldest_age_s >= busy_age))
         return false;
   return seen >= ANALYSIS_SATURATED_SAMPLES;
}

/* The CPUs the workers can have over the last horizon_s of samples (the verdict's window): the
 * machine's, less what the source thread and other processes used; and at least what the workers got
 * (saturated, they take what is free whatever others did). */
static double analysis_cpusFree(const Snapshot* s, const HistorySample* h, size_t n, double horizon_s) {
   double busy = 0, taken = 0;
   size_t k = 0;
   for (size_t i = n; i-- > 0 && (k == 0 || (double)(h[n - 1].t - h[i].t) / 1e9 < horizon_s); k++) {
      busy += h[i].busy_cpu;
      taken += h[i].cpus_taken;
   }
   if (k == 0) {
      busy = s->busy;
      taken = s->source_cpu + (s->others_cpu > 0 ? s->others_cpu : 0);
      k = 1;
   }
   double free = fmax((double)s->ncpu - taken / (double)k, busy / (double)k);
   return free < 0.1 ? 0.1 : free;
}

/* The forecast: the model on the costs held, against the offered rate of the verdict's window;
 * then its growth against the measured one over the same window. */
static void analysis_forecast(Analysis* this, const Snapshot* s, const HistorySample* h, size_t n) {
   double per_record = Amdahl_total(&this->costs);
   const VerdictInput* w = &this->verdict.last;
   bool windowed = this->verdict.state != VERDICT_STARTING && w->horizon_s > 0;
   this->arrival = windowed ? w->in_rate : Snapshot_inRate(s);
   this->window_s = windowed ? w->horizon_s : 0;
   this->cpus_free = analysis_cpusFree(s, h, n, this->window_s);
   if (!(per_record > 0)) {
      memset(&this->forecast, 0, sizeof this->forecast);
      return;
   }
   ModelInput in = {
       .stage_ns = per_record - this->costs.overhead_per_record,
       .overhead_ns = this->costs.overhead_per_record,
       .batch = 1,
       .threads = s->knobs.threads,
       .ncpu = s->ncpu,
       .cpus_free = this->cpus_free,
       .hot_share = this->hot_share,
       .arrival_rate = this->arrival,
       .backlog = (double)s->backlog_records,
       .held_back = (double)s->held_back,
       .backlog_cap = s->backlog_cap_records,
       .oldest_age_s = (double)s->oldest_age_ns / 1e9,
       .stale_limit_s = (double)s->knobs.stale_limit_ns / 1e9,
   };
   Model_forecast(&in, &this->forecast);
   bool saturated = analysis_saturated(h, n, s->long_span_ns, Analysis_busyAge(&s->knobs));
   /* the backlog cannot shrink below empty: unsaturated, the model predicts no growth at most */
   this->growth_predicted = saturated ? this->forecast.growth : fmax(0, this->forecast.growth);
   this->growth_measured = windowed ? w->trend : s->backlog_trend + s->drop_rate;
   int64_t changed = this->changed > this->started ? this->changed : this->started;
   PredictionCheck_update(&this->check, s->t, this->growth_predicted, this->growth_measured, this->arrival,
                          saturated, changed + s->long_span_ns);
}

/* The costs per record of the stage window that last saw work, the hand-off included. */
static void analysis_costs(Analysis* this, const Snapshot* s) {
   double busy = 0;
   for (int st = 0; st < STAGE_LAST; st++)
      busy += s->stage[st].share;
   busy += s->chain.share;
   if (busy > 0 && s->records_per_batch > 0) {
      memcpy(this->stages, s->stage, sizeof this->stages);
      this->stages_t = s->t;
      this->capacity_t = s->t;
      /* CPU time: the stages' wall time where the workers had a CPU, and the hand-off's own CPU time
       * (both sampled on the workers' CPU clocks; the last ones measured when this window has none) */
      if (s->cpu_ratio > 0)
         this->cpu_ratio = s->cpu_ratio;
      if (s->handoff_cpu_ns > 0)
         this->handoff_ns = s->handoff_cpu_ns;
      else if (!(this->handoff_ns > 0))
         this->handoff_ns = s->overhead_ns_per_batch * this->cpu_ratio;
      for (int i = 0; i < STAGE_LAST; i++)
         this->costs.ns[i] = s->stage[i].ns_per_record * this->cpu_ratio;
      this->costs.chain_ns = s->chain.ns_per_record * this->cpu_ratio;
      this->costs.passed = s->passed_share;
      this->costs.overhead_per_record = this->handoff_ns / s->records_per_batch;
      this->handoff_wall_ns = s->overhead_ns_per_batch;
      this->batch = s->records_per_batch;
      if (s->hot_share > 0)
         this->hot_share = s->hot_share;
   }
   if (s->busy >= AMDAHL_MIN_BUSY && s->out_rate > 0)
      this->per_busy = s->out_rate / s->busy;
   this->largest = 0;
   for (int i = 1; i < STAGE_LAST; i++)
      if (Amdahl_share(&this->costs, i) > Amdahl_share(&this->costs, this->largest))
         this->largest = i;
}

void Analysis_update(Analysis* this, const Snapshot* s, const HistorySample* h, size_t n) {
   if (this->started == 0)
      this->started = s->t - (int64_t)llround(s->uptime_s * 1e9);
   analysis_verdict(this, s, h, n);
   analysis_costs(this, s);
   analysis_forecast(this, s, h, n);
}

double Analysis_handoffShare(const Analysis* this) {
   double total = Amdahl_total(&this->costs);
   return total > 0 && this->costs.overhead_per_record > 0 ? this->costs.overhead_per_record / total : 0;
}

bool Analysis_oversubscribed(const Analysis* this) {
   return this->stages_t > 0 && this->cpu_ratio < 0.8;
}

void Analysis_windowText(const Analysis* this, const Snapshot* s, char* buf, size_t len) {
   char d[16];
   Units_formatDuration(d, sizeof d, (int64_t)llround(this->window_s * 1e9));
   if (s->knobs.arrival == ARRIVAL_BURST && analysis_horizon(&s->knobs) > VERDICT_HORIZON_NS)
      snprintf(buf, len, "the last burst period (%s)", d);
   else
      snprintf(buf, len, "the last %s", d);
}

bool Analysis_measuringBursts(const Analysis* this, const Snapshot* s) {
   return this->verdict.state == VERDICT_STARTING && s->knobs.arrival == ARRIVAL_BURST;
}

double Analysis_firstPeriodLeft(const Snapshot* s) {
   return fmax(0, (double)s->knobs.every_ns / 1e9 - s->uptime_s);
}

void Analysis_reason(const Analysis* this, const Snapshot* s, char* buf, size_t len) {
   if (this->verdict.state == VERDICT_DONE) {
      char a[16], b[16], c[16];
      Units_formatCount(a, sizeof a, (double)s->processed);
      Units_formatCount(b, sizeof b, (double)s->filtered);
      Units_formatCount(c, sizeof c, (double)s->dropped);
      snprintf(buf, len, "the input ended and every record is done: %s processed, %s filtered, %s dropped", a, b, c);
      return;
   }
   if (!Analysis_measuringBursts(this, s)) {
      Verdict_reason(&this->verdict, buf, len);
      return;
   }
   char every[16];
   Units_formatDuration(every, sizeof every, s->knobs.every_ns);
   snprintf(buf, len, "measuring: the verdict compares whole burst periods (%s); the first ends in %.0f s", every,
            Analysis_firstPeriodLeft(s));
}
