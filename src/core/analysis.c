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
   this->held_passed = 1;
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
static void analysis_verdict(Analysis* this, const Snapshot* s, const HistorySample* h, size_t n) {
   if (n < 2)
      return;
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
      if (Verdict_measure(h, i + 1, horizon, s->drop_rate, &in))
         Verdict_update(&this->verdict, &in);
   }
   this->measured_t = h[n - 1].t;
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

/* The forecast to show: the engine's while the workers have work, else the
 * same model on the last measured capacity; then its growth against the measured one. */
static void analysis_forecast(Analysis* this, const Snapshot* s, const HistorySample* h, size_t n) {
   if (s->forecast.capacity > 0) {
      this->forecast = s->forecast;
      this->capacity_t = s->t;
      this->held_capacity = s->forecast.capacity;
   } else if (this->held_capacity > 0) {
      ModelInput in = {
          .arrival_rate = Snapshot_inRate(s),
          .backlog = (double)s->backlog_records,
          .backlog_cap = s->backlog_cap_records,
          .oldest_age_s = (double)s->oldest_age_ns / 1e9,
          .stale_limit_s = (double)s->knobs.stale_limit_ns / 1e9,
      };
      Prediction_reforecast(this->held_capacity, &in, &this->forecast);
   } else {
      memset(&this->forecast, 0, sizeof this->forecast);
      return;
   }
   bool saturated = analysis_saturated(h, n, s->long_span_ns, Analysis_busyAge(&s->knobs));
   /* the backlog cannot shrink below empty: unsaturated, the model predicts no growth at most */
   this->growth_predicted = saturated ? this->forecast.growth : fmax(0, this->forecast.growth);
   this->growth_measured = s->backlog_trend + s->drop_rate;
   int64_t changed = this->changed > this->started ? this->changed : this->started;
   PredictionCheck_update(&this->check, s->t, this->growth_predicted, this->growth_measured, Snapshot_inRate(s),
                          saturated, changed + s->long_span_ns);
}

/* The costs per record of the stage window that last saw work. */
static void analysis_costs(Analysis* this, const Snapshot* s) {
   double busy = 0;
   for (int st = 0; st < STAGE_LAST; st++)
      busy += s->stage[st].share;
   if (busy > 0) {
      memcpy(this->stages, s->stage, sizeof this->stages);
      this->stages_t = s->t;
      this->held_passed = s->passed_share;
      if (s->records_per_batch > 0)
         this->held_overhead = s->overhead_ns_per_batch / s->records_per_batch;
   }
   if (s->busy >= AMDAHL_MIN_BUSY && s->out_rate > 0)
      this->per_busy = s->out_rate / s->busy;
   const StageStat* st = this->stages_t > 0 ? this->stages : s->stage;
   for (int i = 0; i < STAGE_LAST; i++)
      this->costs.ns[i] = st[i].ns_per_record;
   this->costs.passed = this->stages_t > 0 ? this->held_passed : s->passed_share;
   this->costs.overhead_per_record = this->held_overhead;
   this->largest = 0;
   for (int i = 1; i < STAGE_LAST; i++)
      if (Amdahl_share(&this->costs, i) > Amdahl_share(&this->costs, this->largest))
         this->largest = i;
}

void Analysis_update(Analysis* this, const Snapshot* s, const HistorySample* h, size_t n) {
   if (this->started == 0)
      this->started = s->t - (int64_t)llround(s->uptime_s * 1e9);
   analysis_verdict(this, s, h, n);
   analysis_forecast(this, s, h, n);
   analysis_costs(this, s);
}

bool Analysis_measuringBursts(const Analysis* this, const Snapshot* s) {
   return this->verdict.state == VERDICT_STARTING && s->knobs.arrival == ARRIVAL_BURST;
}

double Analysis_firstPeriodLeft(const Snapshot* s) {
   return fmax(0, (double)s->knobs.every_ns / 1e9 - s->uptime_s);
}

void Analysis_reason(const Analysis* this, const Snapshot* s, char* buf, size_t len) {
   if (!Analysis_measuringBursts(this, s)) {
      Verdict_reason(&this->verdict, buf, len);
      return;
   }
   char every[16];
   Units_formatDuration(every, sizeof every, s->knobs.every_ns);
   snprintf(buf, len, "measuring: the verdict compares whole burst periods (%s); the first ends in %.0f s", every,
            Analysis_firstPeriodLeft(s));
}
