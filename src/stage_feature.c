/*
 * stage_feature.c: stage 4, the rolling mean and population standard
 * deviation of norm over the W records of the same sensor before the current
 * one (fewer while the window fills; n_window says how many), then the
 * record's norm enters the window.
 *
 * Naive: the textbook two passes over the whole window for every record
 * (the mean, then the squared deviations from it): O(W).
 * Optimized: Welford's running mean and sum of squared deviations (of the
 * values minus a shift near their mean), updated in O(1) as a value enters
 * and the oldest leaves. Rounding makes running sums drift, so every W
 * updates (and whenever the naive variant ran on the sensor, the window
 * changed or the sums stopped being finite) they are recomputed from the
 * ring in two passes, O(W) once per W records. The two variants agree to
 * about 1e-13 relative (tests/test_stage.c checks 1e-9, also after 10^7
 * records of 1e6 +- 1), but not bit for bit.
 *
 * A window of equal values is recognized exactly (SensorState.run) in both
 * variants, so std = 0 there is exact rather than a rounding residue that
 * would turn z into noise.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "stage_impl.h"
#include "xalloc.h"

#define FEATURE_RING_MIN 16u

/* The i-th oldest value of the window. */
static double feature_at(const SensorState* st, uint32_t i) {
   uint32_t k = st->head + i;
   return st->ring[k < st->alloc ? k : k - st->alloc];
}

/* Makes the ring fit the window W, keeping its newest min(n, W) values. */
static void feature_fit(SensorState* st, uint32_t W) {
   if (st->win == W)
      return;
   uint32_t keep = st->n < W ? st->n : W;
   uint32_t alloc = W < FEATURE_RING_MIN ? W : FEATURE_RING_MIN;
   while (alloc < keep)
      alloc = alloc < W / 2 ? alloc * 2 : W;
   double* ring = xmalloc((size_t)alloc * sizeof(double));
   for (uint32_t i = 0; i < keep; i++)
      ring[i] = feature_at(st, st->n - keep + i);
   free(st->ring);
   st->ring = ring;
   st->alloc = alloc;
   st->head = 0;
   st->n = keep;
   st->win = W;
   st->stats = false;
   uint32_t run = keep ? 1 : 0;
   while (run < keep && ring[keep - 1 - run] == ring[keep - 1])
      run++;
   st->run = run;
}

/* Appends x; returns true and the value that left when the window was full. */
static bool feature_push(SensorState* st, double x, double* left) {
   if (st->n > 0 && x == feature_at(st, st->n - 1))
      st->run += st->run < st->win;
   else
      st->run = 1;
   if (st->n < st->win) {
      /* a window that is not full yet starts at slot 0 (head moves only when full) */
      if (st->n == st->alloc) {
         st->alloc = st->alloc < st->win / 2 ? st->alloc * 2 : st->win;
         st->ring = xrealloc(st->ring, (size_t)st->alloc * sizeof(double));
      }
      st->ring[st->n++] = x;
      return false;
   }
   *left = st->ring[st->head];
   st->ring[st->head] = x;
   if (++st->head == st->alloc)
      st->head = 0;
   return true;
}

/* The naive computation: the mean, then the squared deviations from it, oldest value first. */
static void feature_twoPass(const SensorState* st, double* mean_out, double* m2_out) {
   const double* r = st->ring;
   uint32_t n = st->n, head = st->head;
   uint32_t first = st->alloc - head < n ? st->alloc - head : n; /* values from head to the end of the array */
   double sum = 0.0;
   for (uint32_t i = head; i < head + first; i++)
      sum += r[i];
   for (uint32_t i = 0; i < n - first; i++)
      sum += r[i];
   double mean = sum / n;
   double m2 = 0.0;
   for (uint32_t i = head; i < head + first; i++) {
      double d = r[i] - mean;
      m2 += d * d;
   }
   for (uint32_t i = 0; i < n - first; i++) {
      double d = r[i] - mean;
      m2 += d * d;
   }
   *mean_out = mean;
   *m2_out = m2;
}

/* Fills the row's window statistics when they need no arithmetic: empty or constant window. */
static bool feature_trivial(const SensorState* st, Row* row) {
   if (st->n == 0) {
      row->mean = 0.0;
      row->std = 0.0;
      return true;
   }
   if (st->run >= st->n) {
      row->mean = feature_at(st, st->n - 1) + 0.0; /* + 0.0: -0.0 and 0.0 are equal, print one */
      row->std = 0.0;
      return true;
   }
   return false;
}

void Stage_featureNaive(Pipeline* p, Work* w, const Batch* b) {
   (void)b;
   uint32_t W = w->window;
   for (uint32_t i = 0; i < w->nrows; i++) {
      Row* row = &w->rows[i];
      SensorState* st = &p->sensor[row->rec.sensor];
      feature_fit(st, W);
      row->n_window = st->n;
      if (!feature_trivial(st, row)) {
         double m2;
         feature_twoPass(st, &row->mean, &m2);
         row->std = sqrt(m2 / st->n);
      }
      double left;
      feature_push(st, row->norm, &left);
      st->stats = false;
   }
}

/* The running statistics recomputed from the ring, re-centred on the plain
 * mean. The plain mean carries the rounding of a sum of large values, so the
 * second pass also measures how far off it is (the mean of the shifted
 * values), which the running updates rely on. m2 is the naive variant's own
 * sum of squares, bit for bit; it differs from the sum of squared deviations
 * from the true mean by n * mean^2, a rounding-level amount both variants share. */
static void feature_recompute(SensorState* st) {
   const double* r = st->ring;
   uint32_t n = st->n, head = st->head;
   uint32_t first = st->alloc - head < n ? st->alloc - head : n;
   double sum = 0.0;
   for (uint32_t i = head; i < head + first; i++)
      sum += r[i];
   for (uint32_t i = 0; i < n - first; i++)
      sum += r[i];
   double shift = sum / n;
   double sy = 0.0, syy = 0.0;
   for (uint32_t i = head; i < head + first; i++) {
      double y = r[i] - shift;
      sy += y;
      syy += y * y;
   }
   for (uint32_t i = 0; i < n - first; i++) {
      double y = r[i] - shift;
      sy += y;
      syy += y * y;
   }
   st->shift = shift;
   st->mean = sy / n;
   st->m2 = syy;
   st->stats = isfinite(st->shift) && isfinite(st->mean) && isfinite(st->m2);
   st->since = 0;
}

void Stage_featureOptimized(Pipeline* p, Work* w, const Batch* b) {
   (void)b;
   uint32_t W = w->window;
   for (uint32_t i = 0; i < w->nrows; i++) {
      Row* row = &w->rows[i];
      SensorState* st = &p->sensor[row->rec.sensor];
      feature_fit(st, W);
      uint32_t n = st->n;
      row->n_window = n;
      if (!feature_trivial(st, row)) {
         if (!st->stats)
            feature_recompute(st);
         if (st->stats) {
            row->mean = st->shift + st->mean;
            row->std = sqrt((st->m2 > 0.0 ? st->m2 : 0.0) / n);
         } else {
            /* an infinite norm is in the window: no running sum means anything */
            double m2;
            feature_twoPass(st, &row->mean, &m2);
            row->std = sqrt(m2 / n);
         }
      }

      double x = row->norm, left;
      bool full = feature_push(st, x, &left);
      if (n == 0) {
         st->shift = x;
         st->mean = 0.0;
         st->m2 = 0.0;
         st->stats = true;
         st->since = 0;
         continue;
      }
      if (!st->stats)
         continue; /* recomputed when next needed */
      double y = x - st->shift;
      if (full) {
         /* replace the value that left by y; the count stays n */
         double yl = left - st->shift;
         double d = y - yl;
         double mean = st->mean + d / n;
         st->m2 += d * ((y - mean) + (yl - st->mean));
         st->mean = mean;
      } else {
         double d = y - st->mean;
         st->mean += d / (n + 1);
         st->m2 += d * (y - st->mean);
      }
      if (++st->since >= st->win || !isfinite(st->m2) || !isfinite(st->mean))
         st->stats = false;
   }
}
