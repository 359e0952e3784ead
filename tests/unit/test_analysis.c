/* test_analysis.c: the verdict, the forecast and its check, and the Amdahl costs, derived from snapshots and history.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/analysis.h"

#define S    INT64_C(1000000000)
#define MS   INT64_C(1000000)
#define TICK (100 * MS)
#define T0   (1000 * S) /* the engine's start */
#define MAXH 2000

static HistorySample hist[MAXH];

/* n samples, one a tick from T0 + TICK: rates in and out, the backlog growing by their difference. */
static size_t history(size_t n, double in, double out, double age) {
   double backlog = 0;
   for (size_t i = 0; i < n; i++) {
      backlog += (in - out) * 0.1;
      if (backlog < 0)
         backlog = 0;
      hist[i] = (HistorySample){
          .t = T0 + (int64_t)(i + 1) * TICK, .backlog = backlog, .oldest_age_s = age, .in_rate = in, .out_rate = out};
   }
   return n;
}

/* The snapshot at the newest of n samples, steady arrival. */
static Snapshot snapshot(size_t n) {
   Snapshot s;
   memset(&s, 0, sizeof s);
   s.t = hist[n - 1].t;
   s.uptime_s = (double)(s.t - T0) / 1e9;
   s.knobs.arrival = ARRIVAL_STEADY;
   s.knobs.linger_ns = 5 * MS;
   s.knobs.every_ns = 10 * S;
   s.knobs.stale_limit_ns = 60 * S;
   s.long_span_ns = 10 * S;
   s.in_rate = hist[n - 1].in_rate;
   s.out_rate = hist[n - 1].out_rate;
   s.backlog_records = (uint64_t)hist[n - 1].backlog;
   s.oldest_age_ns = (int64_t)(hist[n - 1].oldest_age_s * 1e9);
   s.passed_share = 1;
   return s;
}

static void verdict__falling_behind_and_keeping_up_from_the_history(void** state) {
   (void)state;
   Analysis a;
   Analysis_init(&a);
   size_t n = history(50, 200e3, 120e3, 3);
   Snapshot s = snapshot(n);
   Analysis_update(&a, &s, hist, n);
   assert_int_equal(a.verdict.state, VERDICT_FALLING_BEHIND);
   char reason[200];
   Analysis_reason(&a, &s, reason, sizeof reason);
   assert_string_equal(reason, "arriving 200k rec/s > processed 120k rec/s: backlog +80.0k rec/s");

   Analysis_init(&a);
   n = history(50, 20e3, 20e3, 0.005);
   s = snapshot(n);
   Analysis_update(&a, &s, hist, n);
   assert_int_equal(a.verdict.state, VERDICT_KEEPING_UP);
}

/* One update over many samples gives what an update per sample gives: the hysteresis sees every tick. */
static void verdict__sees_every_sample_however_rarely_it_is_updated(void** state) {
   (void)state;
   /* keeping up, a second of falling behind (which the 2 s horizon stretches past the hold time), keeping up again */
   size_t n = history(120, 20e3, 20e3, 0.005);
   for (size_t i = 50; i < 60; i++)
      hist[i].in_rate = 200e3, hist[i].out_rate = 20e3, hist[i].oldest_age_s = 2;
   Analysis every, once;
   Analysis_init(&every);
   Analysis_init(&once);
   for (size_t m = 2; m <= n; m++) {
      Snapshot s = snapshot(m);
      Analysis_update(&every, &s, hist, m);
   }
   Snapshot s = snapshot(n);
   Analysis_update(&once, &s, hist, n);
   assert_int_equal(every.verdict.state, VERDICT_KEEPING_UP);
   assert_true(every.verdict.since > hist[60].t);
   assert_int_equal(once.verdict.state, every.verdict.state);
   assert_int_equal(once.verdict.since, every.verdict.since);
   assert_int_equal(once.measured_t, hist[n - 1].t);

   /* a falling behind that holds shows, from when it began */
   n = history(80, 20e3, 20e3, 0.005);
   for (size_t i = 50; i < n; i++)
      hist[i].in_rate = 200e3, hist[i].out_rate = 20e3, hist[i].oldest_age_s = 2;
   Analysis_init(&once);
   s = snapshot(n);
   Analysis_update(&once, &s, hist, n);
   assert_int_equal(once.verdict.state, VERDICT_FALLING_BEHIND);
   assert_int_equal(once.verdict.since, hist[50].t);
}

static void verdict__bursts_wait_for_a_whole_period(void** state) {
   (void)state;
   Analysis a;
   Analysis_init(&a);
   size_t n = history(60, 50e3, 50e3, 0.005); /* 6 s of a 10 s period */
   Snapshot s = snapshot(n);
   s.knobs.arrival = ARRIVAL_BURST;
   Analysis_update(&a, &s, hist, n);
   assert_int_equal(a.verdict.state, VERDICT_STARTING);
   assert_true(Analysis_measuringBursts(&a, &s));
   assert_float_equal(Analysis_firstPeriodLeft(&s), 4, 1e-9);
   char reason[200];
   Analysis_reason(&a, &s, reason, sizeof reason);
   assert_string_equal(reason, "measuring: the verdict compares whole burst periods (10.0 s); the first ends in 4 s");
   n = history(110, 50e3, 50e3, 0.005);
   s = snapshot(n);
   s.knobs.arrival = ARRIVAL_BURST;
   Analysis_update(&a, &s, hist, n);
   assert_int_equal(a.verdict.state, VERDICT_KEEPING_UP);
   assert_false(Analysis_measuringBursts(&a, &s));
}

/* A window in which the workers did work: ns of wall time a record, all in the filter, one worker on a CPU of its own. */
static void with_costs(Snapshot* s, double ns) {
   s->stage[STAGE_FILTER] = (StageStat){.share = 1, .ns_per_record = ns};
   s->records_per_batch = 100;
   s->overhead_ns_per_batch = 0;
   s->cpu_ratio = 1;
   s->busy = 0.5;
   s->ncpu = 4;
   s->knobs.threads = 1;
}

static void forecast__held_between_bursts_on_the_last_capacity(void** state) {
   (void)state;
   Analysis a;
   Analysis_init(&a);
   size_t n = history(30, 50e3, 50e3, 0.005);
   Snapshot s = snapshot(n);
   /* nothing measured yet: no forecast */
   Analysis_update(&a, &s, hist, n);
   assert_float_equal(a.forecast.capacity, 0, 0);
   with_costs(&s, 12500); /* 80k records/s */
   Analysis_update(&a, &s, hist, n);
   assert_float_equal(a.forecast.capacity, 80e3, 1e-6);
   assert_int_equal(a.capacity_t, s.t);
   int64_t measured = s.t;
   /* between bursts the engine's window saw no work: the same model on the costs held, against
    * the offered rate of the verdict's window */
   n = history(40, 40e3, 40e3, 0.005);
   s = snapshot(n);
   s.ncpu = 4;
   s.knobs.threads = 1;
   Analysis_update(&a, &s, hist, n);
   assert_float_equal(a.forecast.capacity, 80e3, 1e-6);
   assert_float_equal(a.arrival, 40e3, 1e-6);
   assert_float_equal(a.forecast.utilization, 0.5, 1e-9);
   assert_int_equal(a.capacity_t, measured);
}

static void forecast__check_settles_after_a_knob_change_and_pauses_unsaturated(void** state) {
   (void)state;
   Analysis a;
   Analysis_init(&a);
   /* saturated: a backlog whose oldest record stays old over the whole long window */
   size_t n = history(200, 200e3, 120e3, 3);
   Snapshot s = snapshot(n);
   with_costs(&s, 1e9 / 120e3);
   Analysis_update(&a, &s, hist, n);
   assert_int_equal(a.check.state, PREDICTION_AGREES);
   assert_float_equal(a.growth_predicted, 80e3, 1e-6);
   assert_float_equal(a.growth_measured, 80e3, 1e-6);
   Analysis_knobChanged(&a, s.t);
   Analysis_update(&a, &s, hist, n);
   assert_int_equal(a.check.state, PREDICTION_SETTLING);
   assert_int_equal(a.check.settle_until, s.t + s.long_span_ns);

   /* unsaturated (the backlog empties): the model's growth cannot go below none */
   Analysis_init(&a);
   n = history(200, 50e3, 50e3, 0.005);
   s = snapshot(n);
   with_costs(&s, 1e9 / 120e3);
   Analysis_update(&a, &s, hist, n);
   assert_float_equal(a.forecast.growth, -70e3, 1e-6);
   assert_float_equal(a.growth_predicted, 0, 0);
   assert_int_equal(a.check.state, PREDICTION_UNSATURATED);
}

static void costs__from_the_stage_window_that_last_saw_work(void** state) {
   (void)state;
   Analysis a;
   Analysis_init(&a);
   size_t n = history(20, 50e3, 50e3, 0.005);
   Snapshot s = snapshot(n);
   for (int st = 0; st < STAGE_LAST; st++)
      s.stage[st] = (StageStat){.share = 0.1, .ns_per_record = 100};
   s.stage[STAGE_FEATURE] = (StageStat){.share = 0.5, .ns_per_record = 1000};
   s.passed_share = 0.5;
   s.records_per_batch = 100;
   s.overhead_ns_per_batch = 2000;
   s.busy = 0.5;
   s.out_rate = 50e3;
   Analysis_update(&a, &s, hist, n);
   assert_int_equal(a.stages_t, s.t);
   assert_float_equal(a.costs.ns[STAGE_FEATURE], 1000, 0);
   assert_float_equal(a.costs.passed, 0.5, 0);
   assert_float_equal(a.costs.overhead_per_record, 20, 0);
   assert_int_equal(a.largest, STAGE_FEATURE);
   assert_float_equal(a.per_busy, 100e3, 0);
   int64_t seen = s.t;
   /* a window without work: the costs stay those of the last one with work */
   n = history(30, 0, 0, 0);
   Snapshot idle = snapshot(n);
   idle.passed_share = 0.9;
   Analysis_update(&a, &idle, hist, n);
   assert_int_equal(a.stages_t, seen);
   assert_float_equal(a.costs.ns[STAGE_FEATURE], 1000, 0);
   assert_float_equal(a.costs.passed, 0.5, 0);
   assert_float_equal(a.costs.overhead_per_record, 20, 0);
   assert_float_equal(a.per_busy, 100e3, 0);
}

static void lookback__covers_the_horizons_and_what_was_not_seen(void** state) {
   (void)state;
   Analysis a;
   Analysis_init(&a);
   size_t n = history(50, 50e3, 50e3, 0.005);
   Snapshot s = snapshot(n);
   /* the first update reads everything since the start */
   assert_int_equal(Analysis_lookback(&a, &s), s.long_span_ns + 5 * S);
   Analysis_update(&a, &s, hist, n);
   s.t += 3 * S;
   assert_int_equal(Analysis_lookback(&a, &s), s.long_span_ns + 3 * S);
   /* bursts further apart than the long window: a whole period */
   s.knobs.arrival = ARRIVAL_BURST;
   s.knobs.every_ns = 30 * S;
   assert_int_equal(Analysis_lookback(&a, &s), 33 * S);
   assert_float_equal(Analysis_busyAge(&s.knobs), 0.25, 0);
   s.knobs.linger_ns = 200 * MS;
   assert_float_equal(Analysis_busyAge(&s.knobs), 0.6, 1e-12);
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(verdict__falling_behind_and_keeping_up_from_the_history),
       cmocka_unit_test(verdict__sees_every_sample_however_rarely_it_is_updated),
       cmocka_unit_test(verdict__bursts_wait_for_a_whole_period),
       cmocka_unit_test(forecast__held_between_bursts_on_the_last_capacity),
       cmocka_unit_test(forecast__check_settles_after_a_knob_change_and_pauses_unsaturated),
       cmocka_unit_test(costs__from_the_stage_window_that_last_saw_work),
       cmocka_unit_test(lookback__covers_the_horizons_and_what_was_not_seen),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
