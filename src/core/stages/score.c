/*
 * stage_score.c: stage 5, z = (norm - mean) / std (0 when std is 0 or the
 * window is empty) and an alert when the window is full and |z| >= k. Alerts
 * go to w->alerts (the engine stamps t_raised) and to the sensor's count.
 *
 * The arithmetic is the same in both variants; they differ in the alert
 * bookkeeping, which is what a careless version gets wrong: the naive one
 * grows the alert list one entry at a time (a realloc per alert) and counts
 * with an atomic read-modify-write (a locked instruction) per alert; the
 * optimized one reserves room for the whole batch once and, being the
 * sensor's only writer, counts with a plain relaxed load and store. Like
 * normalize, this stage is cheap either way.
 */
#include "config.h"

#include <math.h>

#include "core/stages/stage_impl.h"
#include "base/xalloc.h"

/* z and the alert decision, shared by both variants so they cannot differ. */
static bool score_row(Row* row, uint32_t W, double threshold) {
   row->z = (row->n_window == 0 || row->std == 0.0) ? 0.0 : (row->norm - row->mean) / row->std;
   row->alert = row->n_window == W && fabs(row->z) >= threshold;
   return row->alert;
}

static Alert score_alert(const Row* row) {
   return (Alert){
      .t_arrival = row->rec.t_arrival,
      .t_raised = 0,
      .value = row->rec.value,
      .z = row->z,
      .sensor = row->rec.sensor,
   };
}

void Stage_scoreNaive(Pipeline* p, Work* w, const Batch* b) {
   (void)b;
   double k = p->params.threshold;
   for (uint32_t i = w->first; i < w->nrows; i++) {
      Row* row = &w->rows[i];
      if (!score_row(row, w->window, k))
         continue;
      if (w->nalerts == w->alerts_cap) {
         w->alerts_cap++;
         w->alerts = xrealloc(w->alerts, (size_t)w->alerts_cap * sizeof(Alert));
      }
      w->alerts[w->nalerts++] = score_alert(row);
      atomic_fetch_add(&p->sensor[row->rec.sensor].alerts, 1);
   }
}

void Stage_scoreReserve(Work* w, uint32_t n) {
   if (w->alerts_cap >= w->nalerts + n)
      return;
   uint32_t cap = w->alerts_cap ? w->alerts_cap : 64;
   while (cap < w->nalerts + n)
      cap *= 2;
   w->alerts = xrealloc(w->alerts, (size_t)cap * sizeof(Alert));
   w->alerts_cap = cap;
}

void Stage_scoreRow(Pipeline* p, Work* w, Row* row) {
   if (!score_row(row, w->window, p->params.threshold))
      return;
   w->alerts[w->nalerts++] = score_alert(row);
   _Atomic uint64_t* count = &p->sensor[row->rec.sensor].alerts;
   atomic_store_explicit(count, atomic_load_explicit(count, memory_order_relaxed) + 1, memory_order_relaxed);
}

void Stage_scoreOptimized(Pipeline* p, Work* w, const Batch* b) {
   (void)b;
   Stage_scoreReserve(w, w->nrows - w->first);
   for (uint32_t i = w->first; i < w->nrows; i++)
      Stage_scoreRow(p, w, &w->rows[i]);
}
