/* test_sweep.c: the live batch-size sweep's state machine and its knee; a sweep never measures an old
 * backlog or hand-offs of an older batch size as its points (issue 12, case 3). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sweep.h"

#define MS INT64_C(1000000)
#define S  INT64_C(1000000000)

typedef struct Fixture {
   Sweep sweep;
   Histogram lat; /* cumulative, as Engine_latency gives it */
   uint64_t generated;
   uint64_t completed;
   uint64_t stale; /* records done in hand-offs claimed under an older batch size */
   double in_rate;
} Fixture;

static int setup(void** state) {
   Fixture* f = calloc(1, sizeof *f);
   Sweep_init(&f->sweep);
   Histogram_reset(&f->lat);
   *state = f;
   return 0;
}

static int teardown(void** state) {
   free(*state);
   return 0;
}

static SweepMeasure measure(Fixture* f, int64_t t, double backlog, int64_t oldest) {
   return (SweepMeasure){.t = t,
                         .generated = f->generated,
                         .completed = f->completed,
                         .backlog = backlog,
                         .in_rate = f->in_rate,
                         .oldest_age_ns = oldest,
                         .done_stale = f->stale,
                         .latency = &f->lat};
}

/* Settle the point in progress at t: no older record waiting, a backlog that holds still over the
 * span watched; returns the time the measuring begins. */
static int64_t settle(Fixture* f, int64_t t, double backlog) {
   SweepMeasure m = measure(f, t, backlog, 0);
   assert_int_equal(Sweep_advance(&f->sweep, &m, t), 0);
   assert_int_equal(f->sweep.phase, SWEEP_SETTLING);
   t += SWEEP_DRAIN_SPAN_NS;
   m = measure(f, t, backlog, 0);
   assert_int_equal(Sweep_advance(&f->sweep, &m, t), 0);
   assert_int_equal(f->sweep.phase, SWEEP_MEASURING);
   return t;
}

static void start__sets_the_first_batch_and_settles_first(void** state) {
   Fixture* f = *state;
   const uint32_t b[] = {1024, 16};
   assert_false(Sweep_running(&f->sweep));
   assert_int_equal(Sweep_start(&f->sweep, b, 2, 256, 0), 1024);
   assert_true(Sweep_running(&f->sweep));
   assert_int_equal(f->sweep.phase, SWEEP_SETTLING);
   assert_false(Sweep_due(&f->sweep, SWEEP_SETTLE_NS - 1));
   assert_true(Sweep_due(&f->sweep, SWEEP_SETTLE_NS));
}

static void point__throughput_and_latency_of_the_measured_time_only(void** state) {
   Fixture* f = *state;
   const uint32_t b[] = {64, 4};
   Sweep_start(&f->sweep, b, 2, 256, 0);
   /* settling: slow records that must not count */
   f->completed = 1000;
   Histogram_recordN(&f->lat, 5 * S, 1000);
   int64_t t = settle(f, SWEEP_SETTLE_NS, 10);
   assert_false(Sweep_due(&f->sweep, t + SWEEP_MEASURE_NS - 1));
   /* measured: 30,000 records in 3 s, 99 at 1 ms and 1 at 10 ms; 36,000 arrived */
   f->completed += 30000;
   f->generated += 36000;
   Histogram_recordN(&f->lat, 1 * MS, 99);
   Histogram_record(&f->lat, 10 * MS);
   t += SWEEP_MEASURE_NS;
   assert_true(Sweep_due(&f->sweep, t));
   SweepMeasure m = measure(f, t, 20, 0);
   assert_int_equal(Sweep_advance(&f->sweep, &m, t), 4); /* the next point's batch size */
   const SweepPoint* p = &f->sweep.point[0];
   assert_true(p->done);
   assert_false(p->unsettled);
   assert_float_equal(p->throughput, 10000, 1e-6);
   assert_float_equal(p->in_rate, 12000, 1e-6);
   assert_float_equal(p->out_rate, 10000, 1e-6);
   /* within the histogram's 1.6% */
   assert_float_equal(p->p50_s, 0.001, 0.001 * 0.02);
   assert_float_equal(p->p99_s, 0.001, 0.001 * 0.02);
   assert_float_equal(p->backlog_start, 10, 0);
   assert_float_equal(p->backlog_end, 20, 0);
   assert_int_equal(Sweep_doneCount(&f->sweep), 1);
}

static void settle__waits_while_records_from_before_the_change_wait(void** state) {
   Fixture* f = *state;
   const uint32_t b[] = {4};
   Sweep_start(&f->sweep, b, 1, 256, 0);
   int64_t t = SWEEP_SETTLE_NS;
   /* the oldest record is 3 s old at 2 s after the change: it was batched at the old size */
   SweepMeasure m = measure(f, t, 5000, 3 * S);
   assert_int_equal(Sweep_advance(&f->sweep, &m, t), 0);
   assert_int_equal(f->sweep.phase, SWEEP_SETTLING);
   /* at 5 s the oldest is 1 s old: everything waiting came after the change */
   t = 5 * S;
   m = measure(f, t, 5000, 1 * S);
   Sweep_advance(&f->sweep, &m, t);
   assert_int_equal(f->sweep.phase, SWEEP_SETTLING); /* the backlog is watched from here */
   t += SWEEP_DRAIN_SPAN_NS;
   m = measure(f, t, 5100, 1 * S);
   Sweep_advance(&f->sweep, &m, t);
   assert_int_equal(f->sweep.phase, SWEEP_MEASURING);
   assert_false(f->sweep.point[0].unsettled);
}

static void settle__waits_while_a_backlog_drains_and_counts_only_what_arrives(void** state) {
   Fixture* f = *state;
   const uint32_t b[] = {1024};
   Sweep_start(&f->sweep, b, 1, 1, 0);
   f->in_rate = 10000;
   /* no record from before the change waits: the backlog is watched from here */
   int64_t t = SWEEP_SETTLE_NS;
   SweepMeasure m = measure(f, t, 150000, 1 * S);
   Sweep_advance(&f->sweep, &m, t);
   assert_int_equal(f->sweep.phase, SWEEP_SETTLING);
   /* 0.5 s later it shrank by 45,000: draining at 90k/s */
   t += SWEEP_DRAIN_SPAN_NS;
   m = measure(f, t, 105000, 1 * S);
   Sweep_advance(&f->sweep, &m, t);
   assert_int_equal(f->sweep.phase, SWEEP_SETTLING);
   /* then it holds: 105,000 -> 104,800 over the span is -400/s, under a tenth of the arrival rate */
   t += SWEEP_DRAIN_SPAN_NS;
   m = measure(f, t, 104800, 100 * MS);
   Sweep_advance(&f->sweep, &m, t);
   assert_int_equal(f->sweep.phase, SWEEP_MEASURING);
   assert_false(f->sweep.point[0].unsettled);
   /* what remains drains while measuring: 3 s, 30,000 arrived, 33,000 completed */
   f->generated += 30000;
   f->completed += 33000;
   t += SWEEP_MEASURE_NS;
   m = measure(f, t, 0, 0);
   Sweep_advance(&f->sweep, &m, t);
   assert_float_equal(f->sweep.point[0].throughput, 10000, 1e-6); /* what it sustained, not what it drained */
   assert_float_equal(f->sweep.point[0].out_rate, 11000, 1e-6);
}

static void settle__gives_up_after_the_maximum_and_marks_the_point(void** state) {
   Fixture* f = *state;
   const uint32_t b[] = {1};
   Sweep_start(&f->sweep, b, 1, 256, 0);
   int64_t t = SWEEP_SETTLE_MAX_NS - 1;
   SweepMeasure m = measure(f, t, 9e5, t + 5 * S);
   Sweep_advance(&f->sweep, &m, t);
   assert_int_equal(f->sweep.phase, SWEEP_SETTLING);
   t = SWEEP_SETTLE_MAX_NS;
   m = measure(f, t, 9e5, t + 5 * S);
   Sweep_advance(&f->sweep, &m, t);
   assert_int_equal(f->sweep.phase, SWEEP_MEASURING);
   assert_true(f->sweep.point[0].unsettled);
}

static void last_point__restores_the_original_batch(void** state) {
   Fixture* f = *state;
   const uint32_t b[] = {16};
   Sweep_start(&f->sweep, b, 1, 256, 0);
   int64_t t = settle(f, SWEEP_SETTLE_NS, 0);
   t += SWEEP_MEASURE_NS;
   f->completed += 100;
   SweepMeasure m = measure(f, t, 0, 0);
   assert_int_equal(Sweep_advance(&f->sweep, &m, t), 256);
   assert_int_equal(f->sweep.phase, SWEEP_DONE);
   assert_false(Sweep_running(&f->sweep));
   assert_false(Sweep_due(&f->sweep, t + 100 * S));
   assert_float_equal(Sweep_progress(&f->sweep, t), 1, 0);
}

static void cancel__restores_and_keeps_the_points_measured(void** state) {
   Fixture* f = *state;
   assert_int_equal(Sweep_cancel(&f->sweep), 0); /* nothing running */
   Sweep_start(&f->sweep, Sweep_defaultBatches, Sweep_defaultCount, 512, 0);
   int64_t t = settle(f, SWEEP_SETTLE_NS, 0);
   t += SWEEP_MEASURE_NS;
   f->completed += 100;
   SweepMeasure m = measure(f, t, 0, 0);
   Sweep_advance(&f->sweep, &m, t);
   assert_int_equal(Sweep_cancel(&f->sweep), 512);
   assert_int_equal(f->sweep.phase, SWEEP_CANCELLED);
   assert_int_equal(Sweep_doneCount(&f->sweep), 1);
   assert_false(Sweep_running(&f->sweep));
}

static void progress__grows_through_the_sweep(void** state) {
   Fixture* f = *state;
   const uint32_t b[] = {8, 4};
   Sweep_start(&f->sweep, b, 2, 1, 0);
   double p0 = Sweep_progress(&f->sweep, 0);
   double p1 = Sweep_progress(&f->sweep, SWEEP_SETTLE_NS / 2);
   assert_float_equal(p0, 0, 0);
   assert_true(p1 > p0 && p1 < 0.5);
   int64_t t = settle(f, SWEEP_SETTLE_NS, 0);
   double p2 = Sweep_progress(&f->sweep, t + SWEEP_MEASURE_NS / 2);
   assert_true(p2 > p1 && p2 < 0.5);
}

static void defaults__are_the_man_pages_points_largest_first(void** state) {
   (void)state;
   const uint32_t want[] = {1024, 256, 64, 16, 4, 1};
   assert_int_equal(Sweep_defaultCount, 6);
   for (uint32_t i = 0; i < Sweep_defaultCount; i++)
      assert_int_equal(Sweep_defaultBatches[i], want[i]);
}

static void knee__smallest_batch_within_90_percent_of_the_peak(void** state) {
   (void)state;
   SweepPoint p[] = {
       {.batch = 1024, .done = true, .throughput = 10000}, {.batch = 256, .done = true, .throughput = 9950},
       {.batch = 64, .done = true, .throughput = 9100},    {.batch = 16, .done = true, .throughput = 8900},
       {.batch = 4, .done = false, .throughput = 9999}, /* not measured: ignored */
       {.batch = 1, .done = true, .throughput = 1900},
   };
   assert_int_equal(Sweep_knee(p, 6, 0.9), 2); /* 64: 9100 >= 9000; 16: 8900 < 9000 */
   assert_int_equal(Sweep_knee(p, 6, 0.5), 3);
   /* order does not matter */
   SweepPoint q[] = {p[5], p[3], p[2], p[0]};
   assert_int_equal(q[Sweep_knee(q, 4, 0.9)].batch, 64);
}

static void knee__none_without_a_measured_point(void** state) {
   (void)state;
   SweepPoint p[] = {{.batch = 1, .done = false, .throughput = 5}};
   assert_int_equal(Sweep_knee(p, 1, 0.9), -1);
   assert_int_equal(Sweep_knee(p, 0, 0.9), -1);
}

/* Issue 12, case 3: a point that saw hand-offs claimed under an older batch size measured them too. */
static void point__hand_offs_of_an_older_batch_size_mark_it_unsettled(void** state) {
   Fixture* f = *state;
   const uint32_t b[] = {64, 4};
   Sweep_start(&f->sweep, b, 2, 256, 0);
   int64_t t = settle(f, SWEEP_SETTLE_NS, 10);
   f->completed += 30000;
   f->generated += 30000;
   f->stale += 64; /* a hand-off claimed before the change completed in the measured time */
   t += SWEEP_MEASURE_NS;
   SweepMeasure m = measure(f, t, 10, 0);
   assert_int_equal(Sweep_advance(&f->sweep, &m, t), 4);
   assert_true(f->sweep.point[0].done);
   assert_true(f->sweep.point[0].unsettled);
   /* the next point, with none: settled */
   t = settle(f, t + SWEEP_SETTLE_NS, 10);
   f->completed += 30000;
   f->generated += 30000;
   t += SWEEP_MEASURE_NS;
   m = measure(f, t, 10, 0);
   assert_int_equal(Sweep_advance(&f->sweep, &m, t), 256);
   assert_false(f->sweep.point[1].unsettled);
}

/* Issue 12, case 3: a sweep begun on an old backlog would measure the backlog. One that does not drain
 * is refused with the reason; one that drains is waited for (the batch size untouched), then the first
 * point begins; with no old backlog it begins at once. */
static void begin__refuses_a_growing_backlog_and_waits_for_a_draining_one(void** state) {
   Fixture* f = *state;
   const uint32_t b[] = {1024, 16};
   uint32_t batch = 99;
   SweepMeasure old = measure(f, 0, 5000, 3 * S);
   assert_int_equal(Sweep_begin(&f->sweep, b, 2, 256, 0, &old, SWEEP_TREND_STEADY, &batch), SWEEP_REFUSED);
   assert_int_equal(batch, 0);
   assert_false(Sweep_running(&f->sweep));
   assert_non_null(strstr(f->sweep.why, "does not drain"));

   assert_int_equal(Sweep_begin(&f->sweep, b, 2, 256, 0, &old, SWEEP_TREND_DRAINING, &batch), SWEEP_WAITS);
   assert_int_equal(batch, 0);
   assert_true(Sweep_running(&f->sweep));
   assert_int_equal(f->sweep.phase, SWEEP_WAITING);
   assert_float_equal(Sweep_progress(&f->sweep, 0), 0, 0);
   assert_int_equal(Sweep_cancel(&f->sweep), 0); /* nothing to restore: the batch size never changed */

   assert_int_equal(Sweep_begin(&f->sweep, b, 2, 256, 0, &old, SWEEP_TREND_DRAINING, &batch), SWEEP_WAITS);
   SweepMeasure m = measure(f, SWEEP_WAIT_POLL_NS, 2000, 2 * S);
   assert_true(Sweep_due(&f->sweep, SWEEP_WAIT_POLL_NS));
   assert_int_equal(Sweep_advance(&f->sweep, &m, SWEEP_WAIT_POLL_NS), 0); /* still draining */
   assert_int_equal(f->sweep.phase, SWEEP_WAITING);
   m = measure(f, 2 * SWEEP_WAIT_POLL_NS, 0, 0);
   assert_int_equal(Sweep_advance(&f->sweep, &m, 2 * SWEEP_WAIT_POLL_NS), 1024); /* drained: the first point */
   assert_int_equal(f->sweep.phase, SWEEP_SETTLING);

   SweepMeasure fresh = measure(f, 0, 10, 0);
   Sweep_init(&f->sweep);
   assert_int_equal(Sweep_begin(&f->sweep, b, 2, 256, 0, &fresh, SWEEP_TREND_STEADY, &batch), SWEEP_BEGUN);
   assert_int_equal(batch, 1024);

   /* a backlog that grows is refused while its oldest record is still young (the verdict already falls behind) */
   Sweep_init(&f->sweep);
   assert_int_equal(Sweep_begin(&f->sweep, b, 2, 256, 0, &fresh, SWEEP_TREND_GROWING, &batch), SWEEP_REFUSED);
   assert_false(Sweep_running(&f->sweep));
   assert_non_null(strstr(f->sweep.why, "does not drain"));
}

/* A backlog that takes too long to drain cancels the waiting sweep, saying so. */
static void begin__a_wait_too_long_cancels_with_the_reason(void** state) {
   Fixture* f = *state;
   const uint32_t b[] = {1024, 16};
   uint32_t batch;
   SweepMeasure old = measure(f, 0, 5000, 3 * S);
   assert_int_equal(Sweep_begin(&f->sweep, b, 2, 256, 0, &old, SWEEP_TREND_DRAINING, &batch), SWEEP_WAITS);
   SweepMeasure m = measure(f, SWEEP_WAIT_MAX_NS, 4000, 30 * S);
   assert_int_equal(Sweep_advance(&f->sweep, &m, SWEEP_WAIT_MAX_NS), 0);
   assert_int_equal(f->sweep.phase, SWEEP_CANCELLED);
   assert_false(Sweep_running(&f->sweep));
   assert_non_null(strstr(f->sweep.why, "did not drain"));
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test_setup_teardown(start__sets_the_first_batch_and_settles_first, setup, teardown),
       cmocka_unit_test_setup_teardown(point__throughput_and_latency_of_the_measured_time_only, setup, teardown),
       cmocka_unit_test_setup_teardown(settle__waits_while_records_from_before_the_change_wait, setup, teardown),
       cmocka_unit_test_setup_teardown(settle__waits_while_a_backlog_drains_and_counts_only_what_arrives, setup,
                                       teardown),
       cmocka_unit_test_setup_teardown(settle__gives_up_after_the_maximum_and_marks_the_point, setup, teardown),
       cmocka_unit_test_setup_teardown(last_point__restores_the_original_batch, setup, teardown),
       cmocka_unit_test_setup_teardown(cancel__restores_and_keeps_the_points_measured, setup, teardown),
       cmocka_unit_test_setup_teardown(progress__grows_through_the_sweep, setup, teardown),
       cmocka_unit_test_setup_teardown(point__hand_offs_of_an_older_batch_size_mark_it_unsettled, setup, teardown),
       cmocka_unit_test_setup_teardown(begin__refuses_a_growing_backlog_and_waits_for_a_draining_one, setup, teardown),
       cmocka_unit_test_setup_teardown(begin__a_wait_too_long_cancels_with_the_reason, setup, teardown),
       cmocka_unit_test(defaults__are_the_man_pages_points_largest_first),
       cmocka_unit_test(knee__smallest_batch_within_90_percent_of_the_peak),
       cmocka_unit_test(knee__none_without_a_measured_point),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
