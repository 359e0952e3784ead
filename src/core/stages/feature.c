/*
 * stage_feature.c: stage 4, the rolling mean and population standard
 * deviation of norm over the W records of the same sensor before the current
 * one (fewer while the window fills; n_window says how many), then the
 * record's norm enters the window.
 *
 * Both variants compute the same exact quantities and round them once, so
 * their results are identical bit for bit and switching between them changes
 * nothing in the output. Each value x is the integer q = x * 2^64 (exact for
 * |x| >= 2^-12, rounded to that grid below; see src/exact.h); with S1 the sum
 * of the window's n q's,
 *    mean     = S1 / n / 2^64
 *    variance = N / n^2 / 2^128,  N = n * sum (q - S1/n)^2 = n * S2 - S1^2
 * are rounded to the nearest double and std = sqrt(variance): a window of
 * equal values has std 0 exactly, and 1e6 +- 1 loses nothing after 10^7
 * records.
 *
 * Naive: the textbook two passes over the whole window for every record,
 * O(W): the mean's numerator S1, then the squared deviations from the mean.
 * In integers, with a = floor(S1 / n) and b = S1 - n * a (0 <= b < n),
 * sum (q - S1/n)^2 = sum (q - a)^2 - b^2 / n, so N = n * sum (q - a)^2 - b^2.
 * Optimized: S1 and N kept per sensor, O(1) per record: while the window
 * fills, S1 and S2 (the sum of q^2) grow by the entering value and N is
 * n * S2 - S1^2; once it is full, the entering value replaces the leaving one
 * and N changes by (in - out) * (n * (in + out) - S1 - S1'), one 128 x 128-bit
 * product (Exact_replace). The sums are exact, so nothing drifts and nothing
 * needs recomputing, except after the naive variant ran on the sensor or the
 * window changed, when they are rebuilt from the ring.
 *
 * A value the grid cannot hold (|x| >= 2^44, an infinite or NaN norm from a
 * huge gain) sends both variants, while it is in the window, to the same
 * two-pass computation in doubles: the same code on the same values, so they
 * still agree bit for bit, and both cost O(W) there.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "base/exact.h"
#include "core/stages/stage_impl.h"
#include "base/xalloc.h"

#define FEATURE_RING_MIN 16u

_Static_assert(KEEPUP_WINDOW_MAX <= EXACT_COUNT_MAX, "window sums must fit the exact integers");

/* The i-th oldest value of the window. */
static double feature_at(const SensorState* st, uint32_t i) {
   uint32_t k = st->head + i;
   return st->ring[k < st->alloc ? k : k - st->alloc];
}

/* Makes the ring fit a new window W, keeping its newest min(n, W) values. */
static void feature_refit(SensorState* st, uint32_t W) {
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
}

/* Appends x; returns true and the value that left when the window was full. */
static inline bool feature_push(SensorState* st, double x, double* left) {
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

/* The window as two runs of the ring: from head to the end of the array, then from its start. */
static void feature_spans(const SensorState* st, const double* span[2], uint32_t len[2]) {
   uint32_t first = st->alloc - st->head < st->n ? st->alloc - st->head : st->n;
   span[0] = st->ring + st->head;
   len[0] = first;
   span[1] = st->ring;
   len[1] = st->n - first;
}

/* The fallback in doubles: the mean, then the squared deviations from it,
 * oldest value first; a window of equal values gives that value and 0
 * exactly, where rounding would leave a tiny std that turns z into noise. */
static void feature_doubles(const SensorState* st, Row* row) {
   const double* span[2];
   uint32_t len[2];
   feature_spans(st, span, len);
   double last = feature_at(st, st->n - 1);
   bool equal = true;
   for (int s = 0; s < 2; s++)
      for (uint32_t i = 0; i < len[s]; i++)
         equal &= span[s][i] == last;
   if (equal) {
      row->mean = last + 0.0; /* + 0.0: -0.0 and 0.0 are equal, print one */
      row->std = 0.0;
      return;
   }
   double sum = 0.0;
   for (int s = 0; s < 2; s++)
      for (uint32_t i = 0; i < len[s]; i++)
         sum += span[s][i];
   double mean = sum / st->n;
   double m2 = 0.0;
   for (int s = 0; s < 2; s++)
      for (uint32_t i = 0; i < len[s]; i++) {
         double d = span[s][i] - mean;
         m2 += d * d;
      }
   row->mean = mean;
   row->std = sqrt(m2 / st->n);
}

/* mean and std of a window of n values from S1 and N = n * (the sum of
 * squared deviations), both exact: the one rounding both variants share.
 * count caches the divisors for the last n seen, so that rows of full
 * windows (all of size W) do not recompute them. */
static inline void feature_round(Row* row, uint32_t n, ExactInt s1, const ExactWide* nm2, ExactCount* count) {
   if (count->n != n)
      Exact_count(count, n);
   double variance;
   Exact_stats(s1, nm2, count, &row->mean, &variance);
   row->std = sqrt(variance);
}

/* The naive variant's two exact passes; false when a value is out of the grid's range. */
static bool feature_twoPass(const SensorState* st, Row* row, ExactCount* count) {
   const double* span[2];
   uint32_t len[2];
   feature_spans(st, span, len);
   uint32_t n = st->n;
   ExactInt s1 = {0, 0}, q;
   for (int s = 0; s < 2; s++)
      for (uint32_t i = 0; i < len[s]; i++) {
         if (!Exact_fromDouble(span[s][i], &q))
            return false;
         s1 = Exact_add(s1, q);
      }
   uint32_t b;
   ExactInt a = Exact_floorDiv(s1, n, &b);
   ExactWide nm2 = {{0, 0, 0, 0}};
   for (int s = 0; s < 2; s++)
      for (uint32_t i = 0; i < len[s]; i++) {
         Exact_fromDouble(span[s][i], &q);
         ExactWide d2 = Exact_square(Exact_sub(q, a));
         Exact_wideAdd(&nm2, &d2);
      }
   Exact_wideMul(&nm2, n);
   ExactWide b2 = {{(uint64_t)b * b, 0, 0, 0}};
   Exact_wideSub(&nm2, &b2);
   feature_round(row, n, s1, &nm2, count);
   return true;
}

void Stage_featureNaive(Pipeline* p, Work* w, const Batch* b) {
   (void)b;
   uint32_t W = w->window;
   ExactCount count = {0};
   for (uint32_t i = w->first; i < w->nrows && !Work_stopAt(w, i); i++) {
      Row* row = &w->rows[i];
      SensorState* st = &p->sensor[row->rec.sensor];
      if (st->win != W)
         feature_refit(st, W);
      row->n_window = st->n;
      if (st->n == 0) {
         row->mean = 0.0;
         row->std = 0.0;
      } else if (!feature_twoPass(st, row, &count)) {
         feature_doubles(st, row);
      }
      double left;
      feature_push(st, row->norm, &left);
      st->stats = false;
   }
}

/* The running sums rebuilt from the ring. */
static void feature_rebuild(SensorState* st) {
   const double* span[2];
   uint32_t len[2];
   feature_spans(st, span, len);
   st->s1 = (ExactInt){0, 0};
   st->s2 = (ExactWide){{0, 0, 0, 0}};
   st->bad = 0;
   for (int s = 0; s < 2; s++)
      for (uint32_t i = 0; i < len[s]; i++) {
         ExactInt q;
         if (!Exact_fromDouble(span[s][i], &q)) {
            st->bad++;
            continue;
         }
         st->s1 = Exact_add(st->s1, q);
         ExactWide q2 = Exact_square(q);
         Exact_wideAdd(&st->s2, &q2);
      }
   st->nm2 = Exact_spread(st->s1, &st->s2, st->n);
   st->stats = true;
}

/* One record on the optimized variant's general path: a window filling,
 * a value out of the grid's range in it, sums to rebuild or a new W. */
static void feature_optimizedRow(SensorState* st, Row* row, uint32_t W, ExactCount* count) {
   if (st->win != W)
      feature_refit(st, W);
   if (!st->stats)
      feature_rebuild(st);
   uint32_t n = st->n;
   row->n_window = n;
   if (n == 0) {
      row->mean = 0.0;
      row->std = 0.0;
   } else if (st->bad) {
      feature_doubles(st, row);
   } else {
      feature_round(row, n, st->s1, &st->nm2, count);
   }

   double left;
   bool full = feature_push(st, row->norm, &left);
   ExactInt in, out = {0, 0};
   bool ok = Exact_fromDouble(row->norm, &in);
   if (full)
      ok &= Exact_fromDouble(left, &out);
   if (!ok || st->bad) {
      st->stats = false; /* a value out of range is, or was, in the window: rebuilt when next needed */
   } else if (full) {
      Exact_replace(&st->nm2, &st->s1, n, in, out);
   } else {
      st->s1 = Exact_add(st->s1, in);
      ExactWide q2 = Exact_square(in);
      Exact_wideAdd(&st->s2, &q2);
      st->nm2 = Exact_spread(st->s1, &st->s2, n + 1);
   }
}

/* The steady state gets its own short path: a full window of W values, all
 * on the grid, its sums up to date. The value that enters replaces the
 * oldest (a full ring has W slots). */
void Stage_featureRow(Pipeline* p, Row* row, uint32_t W, FeatureCounts* c) {
   SensorState* st = &p->sensor[row->rec.sensor];
   if (st->n != W || st->win != W || !st->stats || st->bad) {
      feature_optimizedRow(st, row, W, &c->count);
      return;
   }
   row->n_window = W;
   feature_round(row, W, st->s1, &st->nm2, &c->full);
   double x = row->norm, left = st->ring[st->head];
   st->ring[st->head] = x;
   st->head = st->head + 1 == W ? 0 : st->head + 1;
   ExactInt in, out;
   bool ok = Exact_fromDouble(x, &in);
   ok &= Exact_fromDouble(left, &out);
   if (ok)
      Exact_replace(&st->nm2, &st->s1, W, in, out);
   else
      st->stats = false;
}

void Stage_featureOptimized(Pipeline* p, Work* w, const Batch* b) {
   (void)b;
   FeatureCounts c = {{0}, {0}};
   for (uint32_t i = w->first; i < w->nrows && !Work_stopAt(w, i); i++)
      Stage_featureRow(p, &w->rows[i], w->window, &c);
}
