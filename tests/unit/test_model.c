/* test_model.c: capacity, forecasts and Amdahl's law on hand-computed cases; issue 12's cases: capacity from
 * CPU time and the CPUs free (5), staleness from the oldest record's age (6). */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/model.h"

static void model__amdahl__matches_the_lecture(void** state) {
   (void)state;
   /* 8% made infinitely fast: 8.7%; 70% made twice as fast: 1.54x */
   assert_float_equal(Model_amdahl(0.08, INFINITY), 1.0 / 0.92, 1e-12);
   assert_float_equal(Model_amdahl(0.70, 2), 1.0 / 0.65, 1e-12);
   assert_float_equal(Model_amdahl(0.70, 10), 1.0 / 0.37, 1e-12);
   assert_float_equal(Model_amdahl(0, 10), 1, 0);
   assert_true(isinf(Model_amdahl(1, INFINITY)));
}

static ModelInput base(void) {
   return (ModelInput){
      .stage_ns = 1000, /* 1 us per record: 1M records/s per worker */
      .overhead_ns = 0,
      .batch = 100,
      .threads = 1,
      .ncpu = 4,
      .arrival_rate = 500000,
      .stale_limit_s = 60,
   };
}

static void model__capacity__scales_with_threads_up_to_the_cpus(void** state) {
   (void)state;
   ModelInput in = base();
   Forecast f;
   Model_forecast(&in, &f);
   assert_float_equal(f.capacity, 1e6, 1e-6);
   assert_float_equal(f.utilization, 0.5, 1e-12);
   in.threads = 3;
   Model_forecast(&in, &f);
   assert_float_equal(f.capacity, 3e6, 1e-6);
   in.threads = 16; /* only 4 CPUs */
   Model_forecast(&in, &f);
   assert_float_equal(f.capacity, 4e6, 1e-6);
}

static void model__batch_overhead__is_shared_by_the_records_of_a_batch(void** state) {
   (void)state;
   ModelInput in = base();
   in.stage_ns = 10000;      /* the lecture: 0.01 ms of work per record */
   in.overhead_ns = 500000;  /* and 0.5 ms per hand-off */
   in.batch = 1;
   Forecast f;
   Model_forecast(&in, &f);
   assert_float_equal(f.capacity, 1e9 / 510000, 1e-6);
   in.batch = 50;
   Model_forecast(&in, &f);
   assert_float_equal(f.capacity, 1e9 / 20000, 1e-6);
}

static void model__hot_sensor__caps_parallelism(void** state) {
   (void)state;
   ModelInput in = base();
   in.threads = 4;
   in.hot_share = 0.5; /* half of all records in one partition: at most 2 workers' worth */
   Forecast f;
   Model_forecast(&in, &f);
   assert_float_equal(f.capacity, 2e6, 1e-6);
}

static void model__falling_behind__forecasts_staleness_and_the_cap(void** state) {
   (void)state;
   ModelInput in = base();
   in.arrival_rate = 1.5e6; /* 0.5M/s more than the capacity */
   in.backlog = 1e6;
   in.backlog_cap = 4e6;
   in.stale_limit_s = 10;
   in.oldest_age_s = 4;
   Forecast f;
   Model_forecast(&in, &f);
   assert_float_equal(f.growth, 5e5, 1e-6);
   assert_float_equal(f.t_cap_s, 6, 1e-9);
   /* first in, first out: the oldest record's age grows by 1 - 1/1.5 a second, from 4 s to 10 s in 18 s */
   assert_float_equal(f.t_stale_s, 18, 1e-9);
   assert_true(isinf(f.t_empty_s));
}

static void model__catching_up__forecasts_the_empty_backlog(void** state) {
   (void)state;
   ModelInput in = base();
   in.arrival_rate = 2.5e5;
   in.backlog = 1.5e6;
   Forecast f;
   Model_forecast(&in, &f);
   assert_float_equal(f.t_empty_s, 2, 1e-9);
   assert_true(isinf(f.t_stale_s));
   assert_true(isinf(f.t_cap_s));
}

static void model__already_stale__says_zero(void** state) {
   (void)state;
   ModelInput in = base();
   in.arrival_rate = 2e6;
   in.oldest_age_s = 61;
   Forecast f;
   Model_forecast(&in, &f);
   assert_float_equal(f.t_stale_s, 0, 0);
}

static void model__nothing_measured__predicts_nothing(void** state) {
   (void)state;
   ModelInput in = base();
   in.stage_ns = 0;
   Forecast f;
   Model_forecast(&in, &f);
   assert_float_equal(f.capacity, 0, 0);
   assert_true(isinf(f.t_stale_s));
}

/* Case 5: 4 threads on 2 CPUs, 1 us of CPU a record (its wall time is twice that: each busy thread has
 * a CPU half the time): capacity is 2 CPUs' worth of 1 us records, and less the CPUs others take. */
static void model__oversubscribed__capacity_from_cpu_time_and_the_cpus(void** state) {
   (void)state;
   ModelInput in = base();
   in.stage_ns = 1000;
   in.threads = 4;
   in.ncpu = 2;
   Forecast f;
   Model_forecast(&in, &f);
   assert_float_equal(f.cpu_ns, 1000, 1e-9);
   assert_float_equal(f.parallel, 2, 0);
   assert_float_equal(f.capacity, 2e6, 1e-6);
   /* the CPUs free for the workers: 2, less 0.3 the source and 0.5 other load */
   in.cpus_free = 1.2;
   Model_forecast(&in, &f);
   assert_float_equal(f.capacity, 1.2e6, 1e-6);
}

/* Case 6: 80M records waiting at a capacity of 1M/s is 80 s of work, but the oldest record is 37.6 s
 * old against a limit of 60 s: "stale >1.0 min now" was the wait of a record arriving now, not the
 * oldest record's age. Its age grows by 1 - capacity/arrival = 0.2 s a second: the limit in 112 s. */
static void model__stale_forecast__follows_the_oldest_records_age(void** state) {
   (void)state;
   ModelInput in = base();
   in.arrival_rate = 1.25e6;
   in.backlog = 80e6;
   in.oldest_age_s = 37.6;
   in.stale_limit_s = 60;
   Forecast f;
   Model_forecast(&in, &f);
   assert_float_equal(f.t_stale_s, 112, 1e-6);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(model__amdahl__matches_the_lecture),
      cmocka_unit_test(model__capacity__scales_with_threads_up_to_the_cpus),
      cmocka_unit_test(model__batch_overhead__is_shared_by_the_records_of_a_batch),
      cmocka_unit_test(model__hot_sensor__caps_parallelism),
      cmocka_unit_test(model__falling_behind__forecasts_staleness_and_the_cap),
      cmocka_unit_test(model__catching_up__forecasts_the_empty_backlog),
      cmocka_unit_test(model__already_stale__says_zero),
      cmocka_unit_test(model__nothing_measured__predicts_nothing),
      cmocka_unit_test(model__oversubscribed__capacity_from_cpu_time_and_the_cpus),
      cmocka_unit_test(model__stale_forecast__follows_the_oldest_records_age),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
