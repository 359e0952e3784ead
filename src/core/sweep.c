/* sweep.c: the live batch-size sweep's state machine and its knee. */
#include "config.h"

#include "core/sweep.h"

#include <stdio.h>
#include <string.h>

const uint32_t Sweep_defaultBatches[] = {1024, 256, 64, 16, 4, 1};
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
   this->phase_start = now;
   this->phase_end = now + SWEEP_SETTLE_NS;
   this->ref_t = 0;
   return batches[0];
}

SweepBegin Sweep_begin(Sweep* this, const uint32_t* batches, uint32_t n, uint32_t original, int64_t now,
                       const SweepMeasure* m, SweepTrend trend, uint32_t* batch) {
   *batch = 0;
   this->why[0] = '\0';
   if (m->oldest_age_ns < SWEEP_FRESH_NS && trend != SWEEP_TREND_GROWING) {
      *batch = Sweep_start(this, batches, n, original, now);
      return *batch ? SWEEP_BEGUN : SWEEP_REFUSED;
   }
   if (trend != SWEEP_TREND_DRAINING) {
      snprintf(this->why, sizeof this->why,
               "the backlog does not drain: its points would measure it; keep up first (S when it does)");
      this->phase = SWEEP_IDLE;
      return SWEEP_REFUSED;
   }
   Sweep_start(this, batches, n, original, now);
   this->phase = SWEEP_WAITING;
   this->phase_end = now + SWEEP_WAIT_POLL_NS;
   return SWEEP_WAITS;
}

bool Sweep_running(const Sweep* this) {
   return this->phase == SWEEP_WAITING || this->phase == SWEEP_SETTLING || this->phase == SWEEP_MEASURING;
}

/* Waiting for the old backlog: the first point once it is gone; cancelled when it takes too long. */
static uint32_t sweep_wait(Sweep* this, const SweepMeasure* m, int64_t now) {
   if (m->oldest_age_ns < SWEEP_FRESH_NS) {
      this->phase = SWEEP_SETTLING;
      this->phase_start = now;
      this->phase_end = now + SWEEP_SETTLE_NS;
      this->ref_t = 0;
      return this->point[0].batch;
   }
   if (now - this->started >= SWEEP_WAIT_MAX_NS) {
      snprintf(this->why, sizeof this->why, "the backlog did not drain within %.0f s",
               (double)SWEEP_WAIT_MAX_NS / 1e9);
      this->phase = SWEEP_CANCELLED;
      return 0;
   }
   this->phase_end = now + SWEEP_WAIT_POLL_NS;
   return 0;
}

bool Sweep_due(const Sweep* this, int64_t now) {
   return Sweep_running(this) && now >= this->phase_end;
}

uint32_t Sweep_advance(Sweep* this, const SweepMeasure* m, int64_t now) {
   if (this->phase == SWEEP_WAITING)
      return sweep_wait(this, m, now);
   if (this->phase == SWEEP_SETTLING) {
      /* records batched before the change still waiting: their batch size is not this point's */
      bool old_waiting = m->oldest_age_ns > 0 && m->oldest_age_ns >= m->t - this->phase_start;
      bool patient = now - this->phase_start < SWEEP_SETTLE_MAX_NS;
      bool draining = true;
      if (old_waiting) {
         this->ref_t = 0;
      } else if (this->ref_t == 0) {
         /* from here every record waiting has this point's batch size: watch the backlog */
         this->ref_t = m->t;
         this->ref_backlog = m->backlog;
      } else if (m->t - this->ref_t >= SWEEP_DRAIN_SPAN_NS) {
         double rate = (m->backlog - this->ref_backlog) / ((double)(m->t - this->ref_t) / 1e9);
         draining = m->backlog > 0 && rate < -SWEEP_DRAINING * m->in_rate;
         this->ref_t = m->t;
         this->ref_backlog = m->backlog;
      }
      if ((old_waiting || draining) && patient)
         return 0;
      this->point[this->current].unsettled = old_waiting || draining;
      this->t0 = m->t;
      this->generated0 = m->generated;
      this->completed0 = m->completed;
      this->stale0 = m->done_stale;
      Histogram_reset(&this->base);
      Histogram_add(&this->base, m->latency);
      this->point[this->current].backlog_start = m->backlog;
      this->phase = SWEEP_MEASURING;
      this->phase_start = now;
      this->phase_end = now + SWEEP_MEASURE_NS;
      return 0;
   }
   if (this->phase != SWEEP_MEASURING)
      return 0;
   SweepPoint* p = &this->point[this->current];
   double dt = (double)(m->t - this->t0) / 1e9;
   if (dt > 0) {
      p->in_rate = m->generated >= this->generated0 ? (double)(m->generated - this->generated0) / dt : 0;
      p->out_rate = m->completed >= this->completed0 ? (double)(m->completed - this->completed0) / dt : 0;
   }
   p->throughput = p->in_rate < p->out_rate ? p->in_rate : p->out_rate;
   Histogram_diff(&this->diff, m->latency, &this->base);
   p->p50_s = (double)Histogram_quantile(&this->diff, 0.50) / 1e9;
   p->p99_s = (double)Histogram_quantile(&this->diff, 0.99) / 1e9;
   p->backlog_end = m->backlog;
   /* hand-offs of an older batch size completed in the measured time: not only this point's */
   if (m->done_stale != this->stale0)
      p->unsettled = true;
   p->done = true;
   this->current++;
   if (this->current >= this->n) {
      this->phase = SWEEP_DONE;
      return this->original;
   }
   this->phase = SWEEP_SETTLING;
   this->phase_start = now;
   this->phase_end = now + SWEEP_SETTLE_NS;
   this->ref_t = 0;
   return this->point[this->current].batch;
}

uint32_t Sweep_cancel(Sweep* this) {
   if (!Sweep_running(this))
      return 0;
   bool changed = this->phase != SWEEP_WAITING; /* a waiting sweep has not changed the batch size yet */
   this->phase = SWEEP_CANCELLED;
   return changed ? this->original : 0;
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
   if (this->phase == SWEEP_WAITING)
      return 0;
   /* a point is half settling, half measuring; a long settle stays in its half */
   double in_phase = this->phase == SWEEP_MEASURING ? (double)(now - this->phase_start) / (double)SWEEP_MEASURE_NS
                                                    : (double)(now - this->phase_start) / (double)SWEEP_SETTLE_NS;
   if (in_phase < 0)
      in_phase = 0;
   if (in_phase > 1)
      in_phase = 1;
   double in_point = this->phase == SWEEP_MEASURING ? 0.5 + 0.5 * in_phase : 0.5 * in_phase;
   return ((double)this->current + in_point) / (double)this->n;
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
