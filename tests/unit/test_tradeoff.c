/* test_tradeoff.c: throughput-vs-latency points from history samples. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/tradeoff.h"

#define MS INT64_C(1000000)

/* n samples 100 ms apart from t0 with one setting. */
static void run(HistorySample* s, int n, int64_t t0, uint32_t batch, uint32_t threads, uint32_t event, double out,
                double p99) {
   for (int i = 0; i < n; i++) {
      memset(&s[i], 0, sizeof s[i]);
      s[i].t = t0 + i * 100 * MS;
      s[i].batch = batch;
      s[i].threads = threads;
      s[i].event = event;
      s[i].out_rate = out;
      s[i].latency_p99_s = p99;
   }
}

static void feed__run_shorter_than_settle_plus_min__gives_no_point(void** state) {
   (void)state;
   Tradeoff t;
   Tradeoff_init(&t);
   HistorySample s[45];
   run(s, 45, 0, 256, 1, 1, 1e5, 0.01); /* 4.4 s < 2 s settle + 3 s */
   Tradeoff_feed(&t, s, 45, 0, false);
   assert_int_equal(t.n, 0);
}

static void feed__settled_run__becomes_a_point_with_its_means(void** state) {
   (void)state;
   Tradeoff t;
   Tradeoff_init(&t);
   HistorySample s[60];
   run(s, 60, 0, 256, 1, 1, 1e5, 0.01);
   /* the settling samples are wild and must not count */
   for (int i = 0; i < 20; i++)
      s[i].out_rate = 9e9;
   for (int i = 30; i < 60; i++)
      s[i].latency_p99_s = 0.03; /* settled: 10 at 0.01, 30 at 0.03: mean 0.025 */
   Tradeoff_feed(&t, s, 60, 0, false);
   assert_int_equal(t.n, 1);
   const TradeoffPoint* p = Tradeoff_find(&t, (TradeoffKey){.batch = 256, .threads = 1, .variants = 0});
   assert_non_null(p);
   assert_float_equal(p->throughput, 1e5, 1e-6);
   assert_float_equal(p->p99_s, 0.025, 1e-12);
   assert_float_equal(p->seconds, 3.9, 1e-9);
}

static void feed__samples_fed_twice__are_counted_once(void** state) {
   (void)state;
   Tradeoff t;
   Tradeoff_init(&t);
   HistorySample s[60];
   run(s, 60, 0, 64, 1, 1, 1e5, 0.01);
   for (int i = 50; i < 60; i++)
      s[i].out_rate = 2e5;
   /* the dashboard copies overlapping windows of the history every frame */
   Tradeoff_feed(&t, s, 55, 0, false);
   Tradeoff_feed(&t, s, 60, 0, false);
   const TradeoffPoint* p = Tradeoff_find(&t, (TradeoffKey){.batch = 64, .threads = 1});
   assert_non_null(p);
   assert_float_equal(p->throughput, (30 * 1e5 + 10 * 2e5) / 40, 1e-6);
}

static void feed__each_batch_size_gets_its_own_point(void** state) {
   (void)state;
   Tradeoff t;
   Tradeoff_init(&t);
   HistorySample s[180];
   run(s, 60, 0, 1, 1, 1, 1e4, 0.001);
   run(s + 60, 60, 6000 * MS, 64, 1, 2, 1e5, 0.01);
   run(s + 120, 60, 12000 * MS, 4096, 1, 3, 2e5, 0.5);
   Tradeoff_feed(&t, s, 180, 0, false);
   assert_int_equal(t.n, 3);
   assert_float_equal(Tradeoff_find(&t, (TradeoffKey){.batch = 1, .threads = 1})->throughput, 1e4, 1e-9);
   assert_float_equal(Tradeoff_find(&t, (TradeoffKey){.batch = 4096, .threads = 1})->p99_s, 0.5, 1e-12);
   TradeoffKey cur = Tradeoff_current(&t);
   assert_int_equal(cur.batch, 4096);
}

static void feed__a_new_run_of_the_same_setting_replaces_the_old_point(void** state) {
   (void)state;
   Tradeoff t;
   Tradeoff_init(&t);
   HistorySample s[180];
   run(s, 60, 0, 256, 1, 1, 1e5, 0.01);
   run(s + 60, 60, 6000 * MS, 512, 1, 2, 1e5, 0.01);
   run(s + 120, 60, 12000 * MS, 256, 1, 3, 3e5, 0.02);
   Tradeoff_feed(&t, s, 180, 0, false);
   assert_int_equal(t.n, 2);
   assert_float_equal(Tradeoff_find(&t, (TradeoffKey){.batch = 256, .threads = 1})->throughput, 3e5, 1e-9);
}

static void feed__variants_and_threads_are_part_of_the_setting(void** state) {
   (void)state;
   Tradeoff t;
   Tradeoff_init(&t);
   HistorySample s[120];
   run(s, 60, 0, 256, 1, 1, 1e5, 0.01);
   run(s + 60, 60, 6000 * MS, 256, 2, 2, 2e5, 0.01);
   Tradeoff_feed(&t, s, 60, 0, false);
   Tradeoff_feed(&t, s, 120, 1u << 3, false);
   assert_int_equal(t.n, 2);
   assert_non_null(Tradeoff_find(&t, (TradeoffKey){.batch = 256, .threads = 1, .variants = 0}));
   assert_non_null(Tradeoff_find(&t, (TradeoffKey){.batch = 256, .threads = 2, .variants = 8}));
   assert_null(Tradeoff_find(&t, (TradeoffKey){.batch = 256, .threads = 2, .variants = 0}));
}

static void feed__paused_source__is_not_measured(void** state) {
   (void)state;
   Tradeoff t;
   Tradeoff_init(&t);
   HistorySample s[80];
   run(s, 80, 0, 256, 1, 1, 0, 0.01);
   Tradeoff_feed(&t, s, 80, 0, true);
   assert_int_equal(t.n, 0);
}

static void feed__full_table__evicts_the_stalest_point(void** state) {
   (void)state;
   Tradeoff t;
   Tradeoff_init(&t);
   HistorySample s[60];
   int64_t t0 = 0;
   for (uint32_t k = 0; k <= TRADEOFF_POINTS; k++) {
      run(s, 60, t0, 1000 + k, 1, k + 1, 1e5, 0.01);
      Tradeoff_feed(&t, s, 60, 0, false);
      t0 += 6000 * MS;
   }
   assert_int_equal(t.n, TRADEOFF_POINTS);
   assert_null(Tradeoff_find(&t, (TradeoffKey){.batch = 1000, .threads = 1}));
   assert_non_null(Tradeoff_find(&t, (TradeoffKey){.batch = 1000 + TRADEOFF_POINTS, .threads = 1}));
}

/* Case 3 of issue 12: after a new batch size, the backlog's hand-offs claimed under the older size still
 * complete for a while; a sample that counted them is not the new size's throughput. */
static void feed__hand_offs_claimed_under_an_older_batch_size__are_not_the_new_sizes(void** state) {
   (void)state;
   Tradeoff t;
   Tradeoff_init(&t);
   HistorySample s[80];
   run(s, 80, 0, 32, 1, 1, 3e4, 0.01);
   /* past the settle, 2 s more of the old size's throughput, flagged mixed */
   for (int i = 20; i < 40; i++) {
      s[i].out_rate = 2e3;
      s[i].flags = HISTORY_MIXED;
   }
   Tradeoff_feed(&t, s, 60, 0, false);
   assert_int_equal(t.n, 0); /* 2 s of the new size alone: not yet the 3 s a point needs */
   Tradeoff_feed(&t, s, 80, 0, false);
   const TradeoffPoint* p = Tradeoff_find(&t, (TradeoffKey){.batch = 32, .threads = 1});
   assert_non_null(p);
   assert_float_equal(p->throughput, 3e4, 1e-6);
   assert_float_equal(p->seconds, 3.9, 1e-9);
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(feed__run_shorter_than_settle_plus_min__gives_no_point),
       cmocka_unit_test(feed__settled_run__becomes_a_point_with_its_means),
       cmocka_unit_test(feed__samples_fed_twice__are_counted_once),
       cmocka_unit_test(feed__each_batch_size_gets_its_own_point),
       cmocka_unit_test(feed__a_new_run_of_the_same_setting_replaces_the_old_point),
       cmocka_unit_test(feed__variants_and_threads_are_part_of_the_setting),
       cmocka_unit_test(feed__paused_source__is_not_measured),
       cmocka_unit_test(feed__full_table__evicts_the_stalest_point),
       cmocka_unit_test(feed__hand_offs_claimed_under_an_older_batch_size__are_not_the_new_sizes),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
