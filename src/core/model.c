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
   out->per_worker = 1e9 / per_record;
   uint32_t parallel = in->threads < in->ncpu ? in->threads : in->ncpu;
   if (parallel < 1)
      parallel = 1;
   double cap = out->per_worker * parallel;
   if (in->hot_share > 0 && out->per_worker / in->hot_share < cap)
      cap = out->per_worker / in->hot_share;
   out->capacity = cap;
   out->utilization = in->arrival_rate / cap;
   out->growth = in->arrival_rate - cap;
   if (out->growth > 0) {
      /* a record arriving now waits for the backlog ahead of it: backlog / capacity */
      double limit_backlog = in->stale_limit_s * cap;
      if (in->oldest_age_s >= in->stale_limit_s)
         out->t_stale_s = 0;
      else
         out->t_stale_s = in->backlog >= limit_backlog ? 0 : (limit_backlog - in->backlog) / out->growth;
      if (in->backlog_cap > 0)
         out->t_cap_s = in->backlog >= in->backlog_cap ? 0 : (in->backlog_cap - in->backlog) / out->growth;
   } else if (in->backlog > 0) {
      out->t_empty_s = in->backlog / -out->growth;
   } else {
      out->t_empty_s = 0;
   }
}
