/*
 * test_histogram.c: src/histogram.c. The bucket arithmetic must tile the whole
 * uint64 range with no gap and no overlap, and the percentiles it reports
 * must stay within 1/64 of the true sample value, checked against a sorted
 * copy of the same samples on several distributions.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/histogram.h"

/* splitmix64: a fixed, seedable source so every run checks the same samples. */
static uint64_t hist_rand(uint64_t* s) {
   uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
   z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
   z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
   return z ^ (z >> 31);
}

/* Uniform in (0, 1]. */
static double hist_unit(uint64_t* s) {
   return ((double)(hist_rand(s) >> 11) + 1.0) / 9007199254740992.0;
}

static Histogram* hist_new(void) {
   Histogram* h = calloc(1, sizeof *h);
   assert_non_null(h);
   Histogram_reset(h);
   return h;
}

static int hist_cmp(const void* a, const void* b) {
   uint64_t x = *(const uint64_t*)a, y = *(const uint64_t*)b;
   return x < y ? -1 : x > y;
}

static void index__below_64__is_exact(void** state) {
   (void)state;
   for (uint64_t v = 0; v < 64; v++) {
      assert_int_equal(Histogram_index(v), v);
      assert_int_equal(Histogram_lowest((unsigned)v), v);
      assert_int_equal(Histogram_highest((unsigned)v), v);
   }
   assert_int_equal(Histogram_index(64), 64);
}

static void buckets__tile_the_whole_uint64_range_without_gap_or_overlap(void** state) {
   (void)state;
   assert_int_equal(HISTOGRAM_BUCKETS, 1920);
   assert_int_equal(Histogram_lowest(0), 0);
   assert_int_equal(Histogram_highest(HISTOGRAM_BUCKETS - 1), UINT64_MAX);
   assert_int_equal(Histogram_index(UINT64_MAX), HISTOGRAM_BUCKETS - 1);
   for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++) {
      uint64_t lo = Histogram_lowest(i), hi = Histogram_highest(i);
      if (lo > hi)
         fail_msg("bucket %u: lowest %llu > highest %llu", i, (unsigned long long)lo, (unsigned long long)hi);
      if (Histogram_index(lo) != i || Histogram_index(hi) != i)
         fail_msg("bucket %u: its bounds %llu..%llu map to %u and %u", i, (unsigned long long)lo,
                  (unsigned long long)hi, Histogram_index(lo), Histogram_index(hi));
      if (i + 1 < HISTOGRAM_BUCKETS && Histogram_lowest(i + 1) != hi + 1)
         fail_msg("bucket %u ends at %llu but bucket %u starts at %llu", i, (unsigned long long)hi, i + 1,
                  (unsigned long long)Histogram_lowest(i + 1));
   }
}

static void buckets__are_at_most_1_32_of_their_lowest_value_wide(void** state) {
   (void)state;
   for (unsigned i = 64; i < HISTOGRAM_BUCKETS; i++) {
      uint64_t lo = Histogram_lowest(i), hi = Histogram_highest(i);
      if (hi - lo + 1 > lo / 32)
         fail_msg("bucket %u: %llu..%llu is wider than 1/32 of its start", i, (unsigned long long)lo,
                  (unsigned long long)hi);
   }
}

static void index__is_monotonic_and_bracketed_at_the_edges(void** state) {
   (void)state;
   /* every power of two and its neighbours, 0, 63, 64 and UINT64_MAX included */
   uint64_t edges[64 * 3 + 4];
   size_t n = 0;
   edges[n++] = 0;
   edges[n++] = 63;
   edges[n++] = 64;
   edges[n++] = UINT64_MAX;
   for (int b = 0; b < 64; b++) {
      uint64_t p = UINT64_C(1) << b;
      edges[n++] = p - 1;
      edges[n++] = p;
      edges[n++] = p + 1;
   }
   qsort(edges, n, sizeof edges[0], hist_cmp);
   unsigned prev = 0;
   for (size_t k = 0; k < n; k++) {
      uint64_t v = edges[k];
      unsigned i = Histogram_index(v);
      assert_true(i < HISTOGRAM_BUCKETS);
      assert_true(Histogram_lowest(i) <= v);
      assert_true(v <= Histogram_highest(i));
      if (i < prev)
         fail_msg("index(%llu) = %u is below the index of a smaller value (%u)", (unsigned long long)v, i, prev);
      prev = i;
   }
   /* random values across every magnitude */
   uint64_t s = 42;
   for (int k = 0; k < 200000; k++) {
      uint64_t v = hist_rand(&s) >> (hist_rand(&s) % 64);
      unsigned i = Histogram_index(v);
      assert_true(i < HISTOGRAM_BUCKETS);
      assert_true(Histogram_lowest(i) <= v && v <= Histogram_highest(i));
      if (v < UINT64_MAX)
         assert_true(Histogram_index(v + 1) >= i);
   }
}

typedef enum Dist { DIST_UNIFORM, DIST_EXPONENTIAL, DIST_LOGNORMAL, DIST_PARETO, DIST_SMALL, DIST_HUGE, DIST_BIMODAL, DIST_LAST } Dist;

static const char* const hist_distName[DIST_LAST] = {
   "uniform", "exponential", "lognormal", "pareto", "small integers", "near UINT64_MAX", "bimodal",
};

static uint64_t hist_sample(Dist d, uint64_t* s) {
   switch (d) {
   case DIST_UNIFORM:
      return hist_rand(s) % 1000000;
   case DIST_EXPONENTIAL:
      return (uint64_t)(-log(hist_unit(s)) * 1e5);
   case DIST_LOGNORMAL: {
      double z = sqrt(-2 * log(hist_unit(s))) * cos(6.283185307179586 * hist_unit(s));
      return (uint64_t)exp(11.0 + 2.0 * z);
   }
   case DIST_PARETO:
      return (uint64_t)(1000.0 / pow(hist_unit(s), 1.0 / 1.1));
   case DIST_SMALL:
      return hist_rand(s) % 64;
   case DIST_HUGE:
      return UINT64_MAX - hist_rand(s) % (UINT64_C(1) << 62);
   case DIST_BIMODAL:
      return hist_rand(s) % 10 == 0 ? 50000000 + hist_rand(s) % 1000000 : 2000 + hist_rand(s) % 500;
   case DIST_LAST:
      break;
   }
   return 0;
}

/* |got - want| <= want / 64 (exact below 64). */
static void hist_assertClose(uint64_t got, uint64_t want, const char* what, const char* dist) {
   uint64_t err = got > want ? got - want : want - got;
   if (err > want / 64)
      fail_msg("%s of %s: got %llu, sorted reference %llu (error %.4f%%, limit 1.5625%%)", what, dist,
               (unsigned long long)got, (unsigned long long)want, 100.0 * (double)err / (double)want);
}

static void percentiles__match_a_sorted_reference_within_1_64(void** state) {
   (void)state;
   enum { N = 100000 };
   uint64_t* v = malloc(N * sizeof *v);
   assert_non_null(v);
   Histogram* h = hist_new();
   for (Dist d = 0; d < DIST_LAST; d++) {
      uint64_t s = 1000 + (uint64_t)d;
      Histogram_reset(h);
      for (int k = 0; k < N; k++) {
         v[k] = hist_sample(d, &s);
         Histogram_record(h, v[k]);
      }
      qsort(v, N, sizeof *v, hist_cmp);
      /* rank r (1-based) is the smallest value with at least r/N of the samples at or below it */
      Percentiles p;
      Histogram_percentiles(h, &p);
      assert_int_equal(p.count, N);
      assert_int_equal(p.max, v[N - 1]);
      hist_assertClose(p.p50, v[50000 - 1], "p50", hist_distName[d]);
      hist_assertClose(p.p90, v[90000 - 1], "p90", hist_distName[d]);
      hist_assertClose(p.p99, v[99000 - 1], "p99", hist_distName[d]);
      hist_assertClose(p.p999, v[99900 - 1], "p99.9", hist_distName[d]);
      hist_assertClose(p.p9999, v[99990 - 1], "p99.99", hist_distName[d]);
      static const int ranks[] = {1, 10, 1000, 25000, 75000, 99990, 100000};
      for (size_t r = 0; r < sizeof ranks / sizeof ranks[0]; r++) {
         char what[32];
         snprintf(what, sizeof what, "quantile(%d/%d)", ranks[r], N);
         hist_assertClose(Histogram_quantile(h, (double)ranks[r] / N), v[ranks[r] - 1], what, hist_distName[d]);
      }
   }
   free(h);
   free(v);
}

static void quantile__never_exceeds_the_max_recorded(void** state) {
   (void)state;
   Histogram* h = hist_new();
   Histogram_record(h, 1000000); /* bucket 999424..1015807: its middle is above the sample */
   assert_int_equal(Histogram_quantile(h, 1.0), 1000000);
   assert_int_equal(Histogram_quantile(h, 0.5), 1000000);
   Histogram_record(h, 5);
   assert_int_equal(Histogram_quantile(h, 0.0), 5);
   assert_int_equal(Histogram_quantile(h, -1.0), 5);
   assert_int_equal(Histogram_quantile(h, 2.0), 1000000);
   free(h);
}

static void recordN__equals_n_single_records(void** state) {
   (void)state;
   Histogram* a = hist_new();
   Histogram* b = hist_new();
   Histogram_recordN(a, 12345, 7);
   Histogram_recordN(a, 3, 2);
   Histogram_recordN(a, 99, 0);
   for (int k = 0; k < 7; k++)
      Histogram_record(b, 12345);
   Histogram_record(b, 3);
   Histogram_record(b, 3);
   assert_memory_equal(a->bucket, b->bucket, sizeof a->bucket);
   assert_int_equal(atomic_load(&a->count), 9);
   assert_int_equal(atomic_load(&a->max), 12345);
   free(a);
   free(b);
}

static void add__sums_buckets_and_counts_and_keeps_the_larger_max(void** state) {
   (void)state;
   Histogram* a = hist_new();
   Histogram* b = hist_new();
   Histogram* both = hist_new();
   uint64_t s = 7;
   for (int k = 0; k < 5000; k++) {
      uint64_t x = hist_sample(DIST_EXPONENTIAL, &s);
      Histogram_record(k % 3 ? a : b, x);
      Histogram_record(both, x);
   }
   Histogram_record(b, UINT64_MAX);
   Histogram_record(both, UINT64_MAX);
   Histogram_add(a, b);
   assert_memory_equal(a->bucket, both->bucket, sizeof a->bucket);
   assert_int_equal(atomic_load(&a->count), 5001);
   assert_int_equal(atomic_load(&a->max), UINT64_MAX);
   Percentiles pa, pb;
   Histogram_percentiles(a, &pa);
   Histogram_percentiles(both, &pb);
   assert_memory_equal(&pa, &pb, sizeof pa);
   free(a);
   free(b);
   free(both);
}

static void diff__leaves_only_the_samples_recorded_in_between(void** state) {
   (void)state;
   Histogram* live = hist_new();
   Histogram* before = hist_new();
   Histogram* window = hist_new();
   Histogram* only = hist_new();
   uint64_t s = 99;
   for (int k = 0; k < 20000; k++)
      Histogram_record(live, hist_sample(DIST_LOGNORMAL, &s));
   Histogram_add(before, live); /* the snapshot at the start of the window */
   uint64_t window_max = 0;
   for (int k = 0; k < 3000; k++) {
      uint64_t x = hist_sample(DIST_UNIFORM, &s);
      Histogram_record(live, x);
      Histogram_record(only, x);
      if (x > window_max)
         window_max = x;
   }
   Histogram_diff(window, live, before);
   assert_memory_equal(window->bucket, only->bucket, sizeof window->bucket);
   assert_int_equal(atomic_load(&window->count), 3000);
   Percentiles pw, po;
   Histogram_percentiles(window, &pw);
   Histogram_percentiles(only, &po);
   assert_int_equal(pw.count, 3000);
   assert_int_equal(pw.p50, po.p50);
   assert_int_equal(pw.p90, po.p90);
   /* the window's max is only known to its bucket, and never above the live max */
   uint64_t m = atomic_load(&window->max);
   assert_true(m >= window_max);
   assert_int_equal(Histogram_index(m), Histogram_index(window_max));
   assert_true(m <= atomic_load(&live->max));
   free(live);
   free(before);
   free(window);
   free(only);
}

static void diff__of_equal_histograms__is_empty(void** state) {
   (void)state;
   Histogram* a = hist_new();
   Histogram* d = hist_new();
   for (uint64_t v = 1; v < 1000000; v *= 3)
      Histogram_record(a, v);
   Histogram_diff(d, a, a);
   Percentiles p;
   Histogram_percentiles(d, &p);
   assert_int_equal(p.count, 0);
   assert_int_equal(p.max, 0);
   assert_int_equal(p.p50, 0);
   assert_int_equal(atomic_load(&d->max), 0);
   free(a);
   free(d);
}

static void empty__reports_zero_everywhere(void** state) {
   (void)state;
   Histogram* h = hist_new();
   Percentiles p;
   memset(&p, 0xff, sizeof p);
   Histogram_percentiles(h, &p);
   assert_int_equal(p.count, 0);
   assert_int_equal(p.p50, 0);
   assert_int_equal(p.p90, 0);
   assert_int_equal(p.p99, 0);
   assert_int_equal(p.p999, 0);
   assert_int_equal(p.p9999, 0);
   assert_int_equal(p.max, 0);
   assert_int_equal(Histogram_quantile(h, 0.5), 0);
   assert_int_equal(Histogram_quantile(h, 1.0), 0);
   /* reset really empties a used histogram */
   Histogram_record(h, 77);
   Histogram_reset(h);
   Histogram_percentiles(h, &p);
   assert_int_equal(p.count, 0);
   assert_int_equal(p.max, 0);
   free(h);
}

static void single_value__gives_every_percentile_near_it(void** state) {
   (void)state;
   Histogram* h = hist_new();
   Histogram_recordN(h, 0, 10);
   Percentiles p;
   Histogram_percentiles(h, &p);
   assert_int_equal(p.count, 10);
   assert_int_equal(p.p50, 0);
   assert_int_equal(p.p999, 0);
   assert_int_equal(p.max, 0);
   Histogram_reset(h);
   Histogram_record(h, UINT64_MAX);
   Histogram_percentiles(h, &p);
   hist_assertClose(p.p50, UINT64_MAX, "p50", "one UINT64_MAX");
   assert_int_equal(p.max, UINT64_MAX);
   free(h);
}

/* The engine's per-batch path records exactly what one call per value would. */
static void recordLatencies__matches_one_record_per_value(void** state) {
   (void)state;
   struct {
      int64_t t;
      double pad;
   } ev[300];
   Histogram* a = calloc(1, sizeof *a);
   Histogram* b = calloc(1, sizeof *b);
   int64_t t_done = 5000000000;
   for (int i = 0; i < 300; i++) {
      ev[i].t = t_done - (int64_t)i * i * 977 + (i % 7 == 0 ? 100000 : 0); /* some in the future: count as 0 */
      int64_t d = t_done - ev[i].t;
      Histogram_record(a, d > 0 ? (uint64_t)d : 0);
   }
   Histogram_recordLatencies(b, &ev[0].t, sizeof ev[0], 300, t_done);
   assert_int_equal(atomic_load(&a->count), atomic_load(&b->count));
   assert_int_equal(atomic_load(&a->max), atomic_load(&b->max));
   for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++)
      assert_int_equal(atomic_load(&a->bucket[i]), atomic_load(&b->bucket[i]));
   free(a);
   free(b);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(index__below_64__is_exact),
      cmocka_unit_test(buckets__tile_the_whole_uint64_range_without_gap_or_overlap),
      cmocka_unit_test(buckets__are_at_most_1_32_of_their_lowest_value_wide),
      cmocka_unit_test(index__is_monotonic_and_bracketed_at_the_edges),
      cmocka_unit_test(percentiles__match_a_sorted_reference_within_1_64),
      cmocka_unit_test(quantile__never_exceeds_the_max_recorded),
      cmocka_unit_test(recordN__equals_n_single_records),
      cmocka_unit_test(add__sums_buckets_and_counts_and_keeps_the_larger_max),
      cmocka_unit_test(diff__leaves_only_the_samples_recorded_in_between),
      cmocka_unit_test(diff__of_equal_histograms__is_empty),
      cmocka_unit_test(empty__reports_zero_everywhere),
      cmocka_unit_test(single_value__gives_every_percentile_near_it),
      cmocka_unit_test(recordLatencies__matches_one_record_per_value),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
