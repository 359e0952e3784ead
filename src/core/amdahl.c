/* amdahl.c: a stage's share of the busy time, and the toggle trial. */
#include "config.h"

#include "core/amdahl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/model.h"
#include "core/stages/stage.h"

static double amdahl_weight(const AmdahlCosts* c, int stage) {
   double passed = c->passed > 0 && c->passed <= 1 ? c->passed : 1;
   return stage == STAGE_FILTER ? 1 : passed;
}

double Amdahl_total(const AmdahlCosts* c) {
   double t = c->overhead_per_record > 0 ? c->overhead_per_record : 0;
   if (c->chain_ns > 0)
      t += c->chain_ns;
   for (int s = 0; s < STAGE_LAST; s++)
      if (c->ns[s] > 0)
         t += amdahl_weight(c, s) * c->ns[s];
   return t;
}

double Amdahl_share(const AmdahlCosts* c, int stage) {
   if (stage < 0 || stage >= STAGE_LAST || !(c->ns[stage] > 0))
      return 0;
   double total = Amdahl_total(c);
   return total > 0 ? amdahl_weight(c, stage) * c->ns[stage] / total : 0;
}

static bool amdahl_saturated(const AmdahlTrial* this, const HistorySample* s) {
   return s->backlog > 0 && s->oldest_age_s >= this->busy_age_s;
}

void AmdahlTrial_begin(AmdahlTrial* this, int stage, Variant from, Variant to, int64_t t, const AmdahlCosts* before,
                       double cal_speedup, double busy_age_s, double per_busy_before, const HistorySample* hist,
                       size_t n) {
   memset(this, 0, sizeof *this);
   this->per_busy_before = per_busy_before > 0 ? per_busy_before : 0;
   this->per_busy_last_t = t;
   this->active = true;
   this->stage = stage;
   this->from = from;
   this->to = to;
   this->t = t;
   this->p = Amdahl_share(before, stage);
   this->before = *before;
   this->ns_before = before->ns[stage];
   this->cal_speedup = cal_speedup;
   this->busy_age_s = busy_age_s;
   this->last_t = t;
   /* the saturated stretch that ends at the toggle, at most AMDAHL_BEFORE_NS long */
   size_t end = n;
   while (end > 0 && hist[end - 1].t > t)
      end--;
   size_t first = end;
   while (first > 0 && t - hist[first - 1].t <= AMDAHL_BEFORE_NS && amdahl_saturated(this, &hist[first - 1]))
      first--;
   if (first == end)
      return;
   int64_t from_t = hist[first].t;
   /* a sample's rate covers the second before it: only those whose whole second was saturated */
   double sum = 0, sumsq = 0;
   uint32_t k = 0;
   for (size_t i = first; i < end; i++) {
      if (hist[i].t - from_t < INT64_C(1000000000))
         continue;
      sum += hist[i].out_rate;
      sumsq += hist[i].out_rate * hist[i].out_rate;
      k++;
   }
   if (k == 0)
      return;
   this->before_s = (double)(hist[end - 1].t - from_t) / 1e9;
   this->thr_before = sum / k;
   this->sd_before = sqrt(fmax(0, sumsq / k - this->thr_before * this->thr_before));
   this->n_before = k;
   this->saturated_before = this->before_s * 1e9 >= (double)AMDAHL_MIN_BEFORE_NS * 0.95 && this->thr_before > 0;
}

bool AmdahlTrial_settled(const AmdahlTrial* this, int64_t t) {
   return this->active && t - this->t >= AMDAHL_SETTLE_NS;
}

void AmdahlTrial_feed(AmdahlTrial* this, const HistorySample* s, size_t n) {
   if (!this->active || this->void_)
      return;
   for (size_t i = 0; i < n; i++) {
      const HistorySample* x = &s[i];
      if (x->t <= this->last_t)
         continue;
      this->last_t = x->t;
      int64_t since = x->t - this->t;
      if (since < AMDAHL_SETTLE_NS)
         continue;
      if (since > AMDAHL_SETTLE_NS + AMDAHL_MEASURE_NS) {
         this->finished = true;
         continue;
      }
      if (this->drained || this->finished)
         continue;
      if (!amdahl_saturated(this, x)) {
         this->drained = true;
         continue;
      }
      if (this->n_after == 0)
         this->first_after = x->t;
      this->last_after = x->t;
      this->sum_after += x->out_rate;
      this->sumsq_after += x->out_rate * x->out_rate;
      this->n_after++;
      /* samples are 100 ms apart: each stands for one tick */
      this->after_s = (double)(this->last_after - this->first_after) / 1e9 + 0.1;
   }
}

void AmdahlTrial_feedBusy(AmdahlTrial* this, int64_t t, double out_rate, double busy) {
   if (!this->active || this->void_ || t <= this->per_busy_last_t)
      return;
   this->per_busy_last_t = t;
   if (t - this->t < AMDAHL_SETTLE_NS || t - this->t > AMDAHL_SETTLE_NS + AMDAHL_BUSY_NS)
      return;
   if (this->per_busy_n >= AMDAHL_BUSY_WINDOWS || !(busy >= AMDAHL_MIN_BUSY) || !(out_rate > 0))
      return;
   this->per_busy_sum += out_rate / busy;
   this->per_busy_n++;
}

double AmdahlTrial_measuredBusy(const AmdahlTrial* this) {
   if (this->void_ || !(this->per_busy_before > 0) || this->per_busy_n == 0)
      return 0;
   return this->per_busy_sum / this->per_busy_n / this->per_busy_before;
}

void AmdahlTrial_setAfterCost(AmdahlTrial* this, double ns_after) {
   if (this->active && !this->void_ && ns_after > 0)
      this->ns_after = ns_after;
}

void AmdahlTrial_void(AmdahlTrial* this, const char* why) {
   if (!this->active || this->void_)
      return;
   this->void_ = true;
   snprintf(this->void_why, sizeof this->void_why, "%s", why);
}

double AmdahlTrial_stageSpeedup(const AmdahlTrial* this) {
   return this->ns_before > 0 && this->ns_after > 0 ? this->ns_before / this->ns_after : 0;
}

double AmdahlTrial_predicted(const AmdahlTrial* this) {
   double s = AmdahlTrial_stageSpeedup(this);
   return s > 0 ? Model_amdahl(this->p, s) : 0;
}

double AmdahlTrial_predictedCal(const AmdahlTrial* this) {
   return this->cal_speedup > 0 ? Model_amdahl(this->p, this->cal_speedup) : 0;
}

double AmdahlTrial_throughputAfter(const AmdahlTrial* this) {
   return this->n_after ? this->sum_after / this->n_after : 0;
}

AmdahlOutcome AmdahlTrial_outcome(const AmdahlTrial* this) {
   if (this->void_)
      return AMDAHL_VOID;
   if (!this->saturated_before)
      return AMDAHL_NOT_SATURATED;
   if (this->after_s * 1e9 >= (double)AMDAHL_MIN_MEASURE_NS * 0.95)
      return AMDAHL_MEASURED;
   if (this->drained || this->finished)
      return AMDAHL_DRAINED_AT_ONCE;
   return AMDAHL_MEASURING;
}

double AmdahlTrial_measured(const AmdahlTrial* this) {
   if (AmdahlTrial_outcome(this) != AMDAHL_MEASURED || !(this->thr_before > 0))
      return 0;
   return AmdahlTrial_throughputAfter(this) / this->thr_before;
}

/* Samples 100 ms apart each cover a second: about one in ten is independent. */
static double amdahl_independent(uint32_t n) {
   return fmax(1, n / 10.0);
}

double AmdahlTrial_uncertainty(const AmdahlTrial* this) {
   double m = AmdahlTrial_measured(this);
   if (!(m > 0) || this->n_after == 0)
      return 0;
   double a = AmdahlTrial_throughputAfter(this);
   double sd_a = sqrt(fmax(0, this->sumsq_after / this->n_after - a * a));
   double ra = sd_a / a / sqrt(amdahl_independent(this->n_after));
   double rb = this->sd_before / this->thr_before / sqrt(amdahl_independent(this->n_before));
   return m * sqrt(ra * ra + rb * rb);
}

double AmdahlTrial_bound(const AmdahlTrial* this) {
   return Model_amdahl(this->p, INFINITY);
}

bool AmdahlTrial_pastBound(const AmdahlTrial* this) {
   double m = AmdahlTrial_measured(this);
   if (!(m > 0))
      m = AmdahlTrial_measuredBusy(this);
   double bound = AmdahlTrial_bound(this);
   return m > 0 && isfinite(bound) && m - AmdahlTrial_uncertainty(this) > bound;
}

/* A cost of costs: a stage's per record it ran on, or (STAGE_LAST) the hand-off's per record. */
static double amdahl_cost(const AmdahlCosts* c, int i) {
   return i == STAGE_LAST ? c->overhead_per_record : c->ns[i];
}

int AmdahlTrial_otherChange(const AmdahlTrial* this, const AmdahlCosts* now, double* before, double* after) {
   int best = -1;
   double most = log(1.2); /* a change under 20% is noise */
   /* ... and one too small to move the total cannot explain a speedup past the bound */
   double material = AMDAHL_OTHER_SHARE * Amdahl_total(&this->before);
   for (int i = 0; i <= STAGE_LAST; i++) {
      double b = amdahl_cost(&this->before, i), a = amdahl_cost(now, i);
      if (i == this->stage || !(b > 0) || !(a > 0))
         continue;
      double weight = i == STAGE_LAST ? 1 : amdahl_weight(&this->before, i);
      if (weight * fabs(a - b) < material)
         continue;
      double change = fabs(log(a / b));
      if (change > most) {
         most = change;
         best = i;
         *before = b;
         *after = a;
      }
   }
   return best;
}

bool AmdahlTrial_checkpoint(const AmdahlTrial* this, const AmdahlCosts* now, char* line1, char* line2, size_t len) {
   if (!this->active || this->void_ || this->to != VARIANT_OPTIMIZED)
      return false;
   const char* name = Stage_table[this->stage].name;
   double p = this->p * 100;
   double predicted = AmdahlTrial_predicted(this);
   if (!(predicted > 0))
      predicted = AmdahlTrial_predictedCal(this);
   double measured = AmdahlTrial_measured(this);
   if (!(measured > 0))
      measured = AmdahlTrial_measuredBusy(this);
   if (measured > 0 && predicted > 0)
      snprintf(line1, len, "You optimized %s (%.0f%% of the time): predicted x%.2f, measured x%.2f: Amdahl.", name, p,
               predicted, measured);
   else if (predicted > 0)
      snprintf(line1, len, "You optimized %s (%.0f%% of the time): Amdahl predicts x%.2f; measuring...", name, p,
               predicted);
   else
      snprintf(line1, len, "You optimized %s (%.0f%% of the time): measuring...", name, p);
   /* the largest share now, among the stages still naive to the student: any but the one just optimized */
   double top = 0;
   for (int s = 0; s < STAGE_LAST; s++)
      if (s != this->stage && Amdahl_share(now, s) > top)
         top = Amdahl_share(now, s);
   if (this->p >= 0.5)
      snprintf(line2, len, "That was the big share: fixing it is what saves the pipeline.");
   else if (top > this->p)
      snprintf(line2, len, "Now find the stage with %.0f%% of the time.", top * 100);
   else
      snprintf(line2, len, "Measure first: the stage with the largest share is the one worth fixing.");
   return true;
}
