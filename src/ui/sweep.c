/* sweep.c: the live batch-size sweep's state machine and its knee. */
#include "config.h"

#include "ui/sweep.h"

#include <string.h>

const uint32_t Sweep_defaultBatches[] = {1, 4, 16, 64, 256, 1024};
const uint32_t Sweep_defaultCount = sizeof Sweep_defaultBatches / sizeof Sweep_defaultBatches[0];

void Sweep_init(Sweep* this) {
   memset(this, 0, sizeof *this);
   this->phase = SWEEP_IDLE;
}

uint32_t Sweep_start(Sweep* this, const uint32_t* batches, uint32_t n, uint32_t original, int64_t now) {
   if (n > SWEEP_MAX_POINTS)
      n = SWEEP_MAX_POINTS;
   if (n == 0)
      return 0;
   memset(this->point, 0, sizeof this->point);
   for (uint32_t i = 0; i < n; i++)
      this->point[i].batch = batches[i];
   this->n = n;
   this->current = 0;
   this->original = original;
   this->started = now;
   this->phase = SWEEP_SETTLING;
   this->phase_end = now + SWEEP_SETTLE_NS;
   return batches[0];
}

bool Sweep_running(const Sweep* this) {
   return this->phase == SWEEP_SETTLING || this->phase == SWEEP_MEASURING;
}

bool Sweep_due(const Sweep* this, int64_t now) {
   return Sweep_running(this) && now >= this->phase_end;
}

uint32_t Sweep_advance(Sweep* this, const SweepMeasure* m, int64_t now) {
   if (this->phase == SWEEP_SETTLING) {
      this->t0 = m->t;
      this->completed0 = m->completed;
      Histogram_reset(&this->base);
      Histogram_add(&this->base, m->latency);
      this->point[this->current].backlog_start = m->backlog;
      this->phase = SWEEP_MEASURING;
      this->phase_end = now + SWEEP_MEASURE_NS;
      return 0;
   }
   if (this->phase != SWEEP_MEASURING)
      return 0;
   SweepPoint* p = &this->point[this->current];
   double dt = (double)(m->t - this->t0) / 1e9;
   p->throughput = dt > 0 && m->completed >= this->completed0 ? (double)(m->completed - this->completed0) / dt : 0;
   Histogram_diff(&this->diff, m->latency, &this->base);
   p->p50_s = (double)Histogram_quantile(&this->diff, 0.50) / 1e9;
   p->p99_s = (double)Histogram_quantile(&this->diff, 0.99) / 1e9;
   p->backlog_end = m->backlog;
   p->done = true;
   this->current++;
   if (this->current >= this->n) {
      this->phase = SWEEP_DONE;
      return this->original;
   }
   this->phase = SWEEP_SETTLING;
   this->phase_end = now + SWEEP_SETTLE_NS;
   return this->point[this->current].batch;
}

uint32_t Sweep_cancel(Sweep* this) {
   if (!Sweep_running(this))
      return 0;
   this->phase = SWEEP_CANCELLED;
   return this->original;
}

uint32_t Sweep_doneCount(const Sweep* this) {
   uint32_t k = 0;
   for (uint32_t i = 0; i < this->n; i++)
      k += this->point[i].done;
   return k;
}

double Sweep_progress(const Sweep* this, int64_t now) {
   if (this->phase == SWEEP_DONE)
      return 1;
   if (!Sweep_running(this) || this->n == 0)
      return (double)Sweep_doneCount(this) / (this->n ? this->n : 1);
   double per = (double)(SWEEP_SETTLE_NS + SWEEP_MEASURE_NS);
   double left = (double)(this->phase_end - now);
   if (left < 0)
      left = 0;
   /* time spent in this point: the whole settle when measuring, plus what has passed of the phase */
   double in_point = this->phase == SWEEP_MEASURING ? (double)SWEEP_SETTLE_NS + (double)SWEEP_MEASURE_NS - left
                                                    : (double)SWEEP_SETTLE_NS - left;
   double f = ((double)this->current * per + in_point) / ((double)this->n * per);
   return f < 0 ? 0 : f > 1 ? 1 : f;
}

int Sweep_knee(const SweepPoint* points, uint32_t n, double share) {
   double peak = 0;
   bool any = false;
   for (uint32_t i = 0; i < n; i++) {
      if (!points[i].done)
         continue;
      any = true;
      if (points[i].throughput > peak)
         peak = points[i].throughput;
   }
   if (!any)
      return -1;
   int knee = -1;
   for (uint32_t i = 0; i < n; i++) {
      if (!points[i].done || points[i].throughput < share * peak)
         continue;
      if (knee < 0 || points[i].batch < points[knee].batch)
         knee = (int)i;
   }
   return knee;
}
