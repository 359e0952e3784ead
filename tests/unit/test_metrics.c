/*
 * test_metrics.c: src/engine/metrics.c. Every windowed figure of a snapshot
 * is a difference of two cumulative totals over the time between them: the
 * tests hand it totals with round numbers and check each figure, the case
 * without a window yet, the share past the filter, the long window's span,
 * rates and trend, and the backlog cap in records.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "base/clock.h"
#include "engine/metrics.h"

/* Totals hold two histograms (30 KiB): on the heap, zeroed. */
typedef struct Pair {
   Totals ref, now;
   Histogram scratch;
   Snapshot s;
} Pair;

static int pair_setup(void** state) {
   Pair* p = calloc(1, sizeof *p);
   if (!p)
      return -1;
   p->ref.t = 1 * NS_PER_SEC;
   p->now.t = 3 * NS_PER_SEC; /* a two-second window */
   *state = p;
   return 0;
}

static int pair_teardown(void** state) {
   free(*state);
   return 0;
}

static void window__rates__are_counts_per_second_between_the_two_totals(void** state) {
   Pair* p = *state;
   p->ref.offered = 1000, p->now.offered = 6000; /* the source fell 1000 records behind its schedule */
   p->ref.generated = 1000, p->now.generated = 5000;
   p->ref.completed = 900, p->now.completed = 4900;
   p->now.dropped = 200;
   p->ref.backlog = 100, p->now.backlog = 300;
   p->now.alerts = 10;
   p->now.busy_ns = 3 * (uint64_t)NS_PER_SEC;
   p->now.worker_cpu_ns = 2 * NS_PER_SEC;
   p->now.source_cpu_ns = NS_PER_SEC;
   p->ref.cpu_ns = NS_PER_SEC, p->now.cpu_ns = 2 * NS_PER_SEC;
   p->ref.machine_ns = NS_PER_SEC, p->now.machine_ns = 4 * NS_PER_SEC;
   Metrics_window(&p->s, &p->now, &p->ref, &p->scratch);
   assert_float_equal(p->s.window_s, 2, 1e-12);
   assert_float_equal(p->s.in_rate, 2500, 1e-9); /* offered */
   assert_float_equal(p->s.admitted_rate, 2000, 1e-9);
   assert_float_equal(p->s.out_rate, 2000, 1e-9);
   assert_float_equal(p->s.drop_rate, 100, 1e-9);
   assert_float_equal(p->s.backlog_rate, 100, 1e-9);
   assert_float_equal(p->s.alert_rate, 5, 1e-9);
   /* busy by the wall clock one and a half workers, by their CPU clocks one CPU */
   assert_float_equal(p->s.busy_wall, 1.5, 1e-12);
   assert_float_equal(p->s.busy, 1, 1e-12);
   /* of the hand-offs timed on both clocks, the stages had a CPU two thirds of their wall time */
   assert_float_equal(p->s.cpu_ratio, 0, 1e-12); /* none timed yet */
   p->now.smp_stage_wall = 3000, p->now.smp_stage_cpu = 2000;
   p->now.smp_hands = 4, p->now.smp_hand_cpu = 400;
   Metrics_window(&p->s, &p->now, &p->ref, &p->scratch);
   assert_float_equal(p->s.cpu_ratio, 2.0 / 3, 1e-12);
   assert_float_equal(p->s.handoff_cpu_ns, 100, 1e-12);
   assert_float_equal(p->s.source_cpu, 0.5, 1e-12);
   assert_float_equal(p->s.cpu_process, 0.5, 1e-12);
   /* the machine was busy 1.5 CPUs, the process 0.5 of them */
   assert_float_equal(p->s.others_cpu, 1, 1e-12);
}

static void window__per_batch__records_and_the_busy_time_no_stage_accounts_for(void** state) {
   Pair* p = *state;
   p->ref.batches = 10, p->now.batches = 20;
   p->ref.records = 1000, p->now.records = 3000;
   p->ref.busy_ns = 1000000000, p->now.busy_ns = 1500000000;
   p->now.stage_ns[STAGE_FILTER] = 100000000;
   p->now.stage_ns[STAGE_SCORE] = 200000000;
   Metrics_window(&p->s, &p->now, &p->ref, &p->scratch);
   assert_float_equal(p->s.records_per_batch, 200, 1e-12);
   assert_float_equal(p->s.overhead_ns_per_batch, 2e7, 1e-6); /* (500 ms - 300 ms) / 10 batches */
   /* the stages and the hand-off share one total, the busy time: 100 + 200 + 200 of 500 ms */
   assert_float_equal(p->s.stage[STAGE_FILTER].share, 0.2, 1e-12);
   assert_float_equal(p->s.stage[STAGE_SCORE].share, 0.4, 1e-12);
   assert_float_equal(p->s.handoff_share, 0.4, 1e-12);

   /* the stages took all the busy time (timer granularity can make them take more): no overhead */
   p->now.stage_ns[STAGE_SCORE] = 500000000;
   Metrics_window(&p->s, &p->now, &p->ref, &p->scratch);
   assert_float_equal(p->s.overhead_ns_per_batch, 0, 0);

   /* no batch in the window: neither figure */
   p->now.batches = p->ref.batches;
   Metrics_window(&p->s, &p->now, &p->ref, &p->scratch);
   assert_float_equal(p->s.records_per_batch, 0, 0);
   assert_float_equal(p->s.overhead_ns_per_batch, 0, 0);
}

static void window__hot_share__is_the_busiest_partitions_share_of_the_records_done(void** state) {
   Pair* p = *state;
   p->ref.part_done[3] = 1000, p->now.part_done[3] = 1030; /* cumulative: only the window counts */
   p->now.part_done[7] = 10;
   Metrics_window(&p->s, &p->now, &p->ref, &p->scratch);
   assert_float_equal(p->s.hot_share, 0.75, 1e-12);

   p->now.part_done[3] = 1000, p->now.part_done[7] = 0;
   Metrics_window(&p->s, &p->now, &p->ref, &p->scratch);
   assert_float_equal(p->s.hot_share, 0, 0);
}

static void window__busy_meters__each_partitions_and_workers_wall_time_share(void** state) {
   Pair* p = *state;
   /* the hot partition held 1.8 s of the two-second window, another 0.1 s; cumulative totals */
   p->ref.part_busy_ns[5] = 7 * NS_PER_SEC, p->now.part_busy_ns[5] = 7 * NS_PER_SEC + 1800 * NS_PER_MS;
   p->now.part_busy_ns[9] = 100 * NS_PER_MS;
   /* worker 0 busy 1 s of the 2; worker 1 started within the window (the reference has one worker) */
   p->ref.n_workers = 1, p->now.n_workers = 2;
   p->ref.worker_busy_ns[0] = 4 * NS_PER_SEC, p->now.worker_busy_ns[0] = 5 * NS_PER_SEC;
   p->ref.worker_busy_ns[1] = 9 * NS_PER_SEC; /* a stale slot the reference does not count */
   p->now.worker_busy_ns[1] = 500 * NS_PER_MS;
   Metrics_window(&p->s, &p->now, &p->ref, &p->scratch);
   assert_float_equal(p->s.part_busy[5], 0.9, 1e-12);
   assert_float_equal(p->s.part_busy[9], 0.05, 1e-12);
   assert_float_equal(p->s.part_busy[0], 0, 0);
   assert_int_equal(p->s.n_workers, 2);
   assert_float_equal(p->s.worker_busy[0], 0.5, 1e-12);
   assert_float_equal(p->s.worker_busy[1], 0.25, 1e-12);
}

static void window__stages__share_of_the_stage_time_and_ns_per_record(void** state) {
   Pair* p = *state;
   p->ref.stage_ns[STAGE_FILTER] = 50, p->now.stage_ns[STAGE_FILTER] = 150;
   p->now.stage_ns[STAGE_FEATURE] = 300;
   p->ref.stage_records[STAGE_FILTER] = 5, p->now.stage_records[STAGE_FILTER] = 15;
   p->now.stage_records[STAGE_FEATURE] = 10;
   Metrics_window(&p->s, &p->now, &p->ref, &p->scratch);
   assert_float_equal(p->s.stage[STAGE_FILTER].share, 0.25, 1e-12);
   assert_float_equal(p->s.stage[STAGE_FEATURE].share, 0.75, 1e-12);
   assert_float_equal(p->s.stage[STAGE_SCORE].share, 0, 0);
   assert_float_equal(p->s.stage[STAGE_FILTER].ns_per_record, 10, 1e-12);
   assert_float_equal(p->s.stage[STAGE_FEATURE].ns_per_record, 30, 1e-12);
   assert_float_equal(p->s.stage[STAGE_SCORE].ns_per_record, 0, 0);
   /* the cumulative figures are the newest totals */
   assert_int_equal(p->s.stage[STAGE_FILTER].ns, 150);
   assert_int_equal(p->s.stage[STAGE_FILTER].records, 15);
}

static void window__percentiles__of_the_window_and_since_the_start(void** state) {
   Pair* p = *state;
   Histogram_recordN(&p->ref.latency, 1000, 100);
   Histogram_recordN(&p->now.latency, 1000, 100);
   Histogram_recordN(&p->now.latency, 5000, 300);
   Histogram_recordN(&p->now.alert_delay, 2000, 4);
   Metrics_window(&p->s, &p->now, &p->ref, &p->scratch);
   assert_int_equal(p->s.latency_window.count, 300);
   assert_in_range(p->s.latency_window.p50, 4900, 5100); /* the histogram is within 1.6% */
   assert_int_equal(p->s.latency_total.count, 400);
   assert_in_range(p->s.latency_total.p50, 4900, 5100);
   assert_in_range(p->s.latency_total.p999, 4900, 5100);
   assert_int_equal(p->s.alert_delay_window.count, 4);
   assert_in_range(p->s.alert_delay_window.p99, 1960, 2040);
}

static void window__without_a_reference__leaves_the_windowed_figures_zero(void** state) {
   Pair* p = *state;
   p->now.generated = 5000;
   p->now.batches = 10, p->now.records = 5000;
   p->now.stage_ns[STAGE_FILTER] = 1000;
   p->now.stage_records[STAGE_FILTER] = 100;
   p->now.stage_records[STAGE_NORMALIZE] = 40;
   p->now.part_done[0] = 5000;
   Histogram_recordN(&p->now.latency, 1000, 10);
   Metrics_window(&p->s, &p->now, &p->now, &p->scratch);
   assert_float_equal(p->s.window_s, 0, 0);
   assert_float_equal(p->s.in_rate, 0, 0);
   assert_float_equal(p->s.records_per_batch, 0, 0);
   assert_float_equal(p->s.hot_share, 0, 0);
   assert_float_equal(p->s.stage[STAGE_FILTER].share, 0, 0);
   assert_int_equal(p->s.latency_window.count, 0);
   /* what is cumulative is there already */
   assert_int_equal(p->s.stage[STAGE_FILTER].ns, 1000);
   assert_int_equal(p->s.latency_total.count, 10);
   assert_float_equal(p->s.passed_share, 0.4, 1e-12);
}

static void window__passed_share__over_the_window_else_since_the_start_else_all(void** state) {
   Pair* p = *state;
   p->ref.stage_records[STAGE_FILTER] = 1000, p->now.stage_records[STAGE_FILTER] = 1100;
   p->ref.stage_records[STAGE_NORMALIZE] = 100, p->now.stage_records[STAGE_NORMALIZE] = 160;
   Metrics_window(&p->s, &p->now, &p->ref, &p->scratch);
   assert_float_equal(p->s.passed_share, 0.6, 1e-12);

   /* the filter saw nothing in the window: the share since the start */
   p->ref.stage_records[STAGE_FILTER] = 1100;
   p->ref.stage_records[STAGE_NORMALIZE] = 160;
   Metrics_window(&p->s, &p->now, &p->ref, &p->scratch);
   assert_float_equal(p->s.passed_share, 160.0 / 1100.0, 1e-12);

   /* nothing yet: everything passes */
   for (int st = 0; st < STAGE_LAST; st++)
      p->ref.stage_records[st] = p->now.stage_records[st] = 0;
   Metrics_window(&p->s, &p->now, &p->ref, &p->scratch);
   assert_float_equal(p->s.passed_share, 1, 0);
}

static void longSpan__ten_seconds__or_two_and_a_half_bursts__at_most_the_ring(void** state) {
   (void)state;
   Knobs k = {.arrival = ARRIVAL_STEADY, .every_ns = 60 * NS_PER_SEC};
   assert_int_equal(Metrics_longSpan(&k, 60 * NS_PER_SEC), 10 * NS_PER_SEC);
   k.arrival = ARRIVAL_BURST;
   k.every_ns = 2 * NS_PER_SEC;
   assert_int_equal(Metrics_longSpan(&k, 60 * NS_PER_SEC), 10 * NS_PER_SEC);
   k.every_ns = 10 * NS_PER_SEC;
   assert_int_equal(Metrics_longSpan(&k, 60 * NS_PER_SEC), 25 * NS_PER_SEC);
   k.every_ns = 60 * NS_PER_SEC;
   assert_int_equal(Metrics_longSpan(&k, 60 * NS_PER_SEC), 60 * NS_PER_SEC);
   k.arrival = ARRIVAL_STEADY;
   assert_int_equal(Metrics_longSpan(&k, 5 * NS_PER_SEC), 5 * NS_PER_SEC);
}

/* One sample a second: offered 100/s, completed 80/s, the backlog growing 20/s. */
static void long_feed(LongWindow* w, int seconds) {
   for (int i = 0; i <= seconds; i++) {
      Totals* t = calloc(1, sizeof *t);
      t->t = i * NS_PER_SEC;
      t->offered = 100 * (uint64_t)i;
      t->completed = 80 * (uint64_t)i;
      t->backlog = 20.0 * i;
      Metrics_longPush(w, t);
      free(t);
   }
}

static void long__rates_and_trend__over_the_samples_within_the_span(void** state) {
   (void)state;
   LongSample ring[64];
   LongWindow w = {.ring = ring, .cap = 64};
   Snapshot s = {.knobs = {.arrival = ARRIVAL_STEADY}};
   long_feed(&w, 20);
   Metrics_long(&s, &w, 60 * NS_PER_SEC);
   assert_int_equal(s.long_span_ns, 10 * NS_PER_SEC);
   assert_float_equal(s.long_window_s, 10, 1e-12); /* t = 10 .. 20 s */
   assert_float_equal(s.in_rate_long, 100, 1e-9);
   assert_float_equal(s.out_rate_long, 80, 1e-9);
   assert_float_equal(s.backlog_trend, 20, 1e-9);
   assert_float_equal(Snapshot_inRate(&s), 100, 1e-9);
}

static void long__a_full_ring__keeps_only_the_newest_samples(void** state) {
   (void)state;
   LongSample ring[4];
   LongWindow w = {.ring = ring, .cap = 4};
   Snapshot s = {.knobs = {.arrival = ARRIVAL_STEADY}};
   long_feed(&w, 20);
   assert_int_equal(w.n, 4);
   Metrics_long(&s, &w, 60 * NS_PER_SEC);
   assert_float_equal(s.long_window_s, 3, 1e-12); /* t = 17 .. 20 s */
   assert_float_equal(s.in_rate_long, 100, 1e-9);
}

static void long__one_sample__gives_the_span_and_no_rate(void** state) {
   (void)state;
   LongSample ring[8];
   LongWindow w = {.ring = ring, .cap = 8};
   Snapshot s = {.knobs = {.arrival = ARRIVAL_STEADY}, .in_rate = 7};
   Metrics_long(&s, &w, 60 * NS_PER_SEC);
   assert_int_equal(s.long_span_ns, 10 * NS_PER_SEC);
   long_feed(&w, 0);
   Metrics_long(&s, &w, 60 * NS_PER_SEC);
   assert_float_equal(s.long_window_s, 0, 0);
   assert_float_equal(s.in_rate_long, 0, 0);
   assert_float_equal(Snapshot_inRate(&s), 7, 0); /* the short window's rate stands in */
}

static void backlogCap__records__or_bytes_at_the_bytes_per_record_queued(void** state) {
   (void)state;
   Snapshot s = {.knobs = {.overflow = OVERFLOW_BLOCK, .max_backlog_records = 5000}};
   assert_float_equal(Metrics_backlogCap(&s), 5000, 0);

   s.knobs.max_backlog_records = 0;
   s.knobs.max_backlog_bytes = 24000;
   assert_float_equal(Metrics_backlogCap(&s), 0, 0); /* nothing queued: bytes per record unknown */
   s.backlog_records = 100;
   s.backlog_bytes = 3200; /* 32 B per record */
   assert_float_equal(Metrics_backlogCap(&s), 750, 1e-9);

   /* grow: only the safety cap bounds it */
   s.knobs.overflow = OVERFLOW_GROW;
   s.knobs.max_backlog_records = 5000;
   s.knobs.safety_cap_bytes = 32000000;
   assert_float_equal(Metrics_backlogCap(&s), 1e6, 1e-6);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(window__rates__are_counts_per_second_between_the_two_totals, pair_setup,
                                      pair_teardown),
      cmocka_unit_test_setup_teardown(window__per_batch__records_and_the_busy_time_no_stage_accounts_for, pair_setup,
                                      pair_teardown),
      cmocka_unit_test_setup_teardown(window__busy_meters__each_partitions_and_workers_wall_time_share, pair_setup,
                                      pair_teardown),
      cmocka_unit_test_setup_teardown(window__hot_share__is_the_busiest_partitions_share_of_the_records_done,
                                      pair_setup, pair_teardown),
      cmocka_unit_test_setup_teardown(window__stages__share_of_the_stage_time_and_ns_per_record, pair_setup,
                                      pair_teardown),
      cmocka_unit_test_setup_teardown(window__percentiles__of_the_window_and_since_the_start, pair_setup,
                                      pair_teardown),
      cmocka_unit_test_setup_teardown(window__without_a_reference__leaves_the_windowed_figures_zero, pair_setup,
                                      pair_teardown),
      cmocka_unit_test_setup_teardown(window__passed_share__over_the_window_else_since_the_start_else_all, pair_setup,
                                      pair_teardown),
      cmocka_unit_test(longSpan__ten_seconds__or_two_and_a_half_bursts__at_most_the_ring),
      cmocka_unit_test(long__rates_and_trend__over_the_samples_within_the_span),
      cmocka_unit_test(long__a_full_ring__keeps_only_the_newest_samples),
      cmocka_unit_test(long__one_sample__gives_the_span_and_no_rate),
      cmocka_unit_test(backlogCap__records__or_bytes_at_the_bytes_per_record_queued),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
