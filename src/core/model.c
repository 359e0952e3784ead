/* model.c: capacity, utilization, forecasts, Amdahl's law. */
#include "config.h"

#include "core/model.h"

#include <math.h>

double Model_amdahl(double p, double s) {
   if (p <= 0)
      return 1;
   if (p > 1)
      p = 1;
   double rest = isinf(s) ? 0 : p / s;
   double t = (1 - p) + rest;
   return t > 0 ? 1 / t : INFINITY;
}

void Model_forecast(const ModelInput* in, Forecast* out) {
   *out = (Forecast){.t_stale_s = INFINITY, .t_cap_s = INFINITY, .t_empty_s = INFINITY};
   double batch = in->batch >= 1 ? in->batch : 1;
   double per_record = in->stage_ns + in->overhead_ns / batch;
   if (per_record <= 0)
      return;
   out->cpu_ns = per_record;
   out->per_worker = 1e9 / per_record;
   double cpus = in->cpus_free > 0 && in->cpus_free < in->ncpu ? in->cpus_free : in->ncpu;
   double parallel = fmin(in->threads, cpus);
   if (parallel < 0.1)
      parallel = 0.1; /* a machine that leaves the workers next to nothing */
   out->parallel = parallel;
   double cap = out->per_worker * parallel;
   if (in->hot_share > 0 && out->per_worker / in->hot_share < cap)
      cap = out->per_worker / in->hot_share;
   out->capacity = cap;
   out->utilization = in->arrival_rate / cap;
   out->growth = in->arrival_rate - cap;
   double waiting = in->backlog + in->held_back;
   if (out->growth > 0) {
      /* first in, first out: the oldest record not done moves forward in arrival time at
       * capacity / arrival seconds a second, so its age grows by 1 - capacity / arrival */
      if (in->oldest_age_s >= in->stale_limit_s)
         out->t_stale_s = 0;
      else
         out->t_stale_s = (in->stale_limit_s - in->oldest_age_s) / (1 - cap / in->arrival_rate);
      if (in->backlog_cap > 0)
         out->t_cap_s = in->backlog >= in->backlog_cap ? 0 : (in->backlog_cap - in->backlog) / out->growth;
   } else if (waiting > 0) {
      if (out->growth < 0)
         out->t_empty_s = waiting / -out->growth;
   } else {
      out->t_empty_s = 0;
   }
}
