/* test_scenario.c: each lesson's documented ratios, from the plan that
 * Scenario_apply makes out of a calibration (no timing: the calibrations
 * here are made up, for a fast, a slow and a lopsided machine). */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/scenario.h"
#include "core/setup.h"

/* A machine whose stages cost `unit` ns per record naive (a tenth optimized), the naive
 * feature `per_w` more per window slot, the naive filter 0.1 ns per allowlist entry. */
static Calibration machine(double unit, double per_w) {
   Calibration c;
   memset(&c, 0, sizeof c);
   c.window = 100;
   c.allowlist = 1000;
   for (int s = 0; s < STAGE_LAST; s++) {
      c.ns[s][VARIANT_NAIVE] = unit;
      c.ns[s][VARIANT_OPTIMIZED] = unit / 10;
   }
   c.feature_ns_per_w = per_w;
   c.ns[STAGE_FEATURE][VARIANT_NAIVE] = unit + per_w * c.window;
   c.filter_ns_per_k = 0.1;
   c.ns[STAGE_FILTER][VARIANT_NAIVE] = 0.1 * c.allowlist;
   return c;
}

static const Calibration* machines(int i) {
   static Calibration m[3];
   m[0] = machine(100, 20);   /* fast */
   m[1] = machine(1000, 200); /* ten times slower */
   m[2] = machine(400, 5);    /* cheap window slots, dear other stages */
   return &m[i];
}

static Setup planned(ScenarioId id, const Calibration* c) {
   Setup s;
   Setup_init(&s);
   Scenario_apply(id, c, &s);
   return s;
}

/* What the model says a naive record costs at the plan's window and allowlist. */
static double feature_naive(const Calibration* c, const Setup* s) {
   return c->ns[STAGE_FEATURE][VARIANT_NAIVE] + c->feature_ns_per_w * ((double)s->knobs.window - c->window);
}

static double filter_naive(const Calibration* c, const Setup* s) {
   return c->filter_ns_per_k * s->allowlist;
}

static double total_naive(const Calibration* c, const Setup* s) {
   double t = 0;
   for (int i = 0; i < STAGE_LAST; i++)
      t += c->ns[i][VARIANT_NAIVE];
   return t - c->ns[STAGE_FEATURE][VARIANT_NAIVE] - c->ns[STAGE_FILTER][VARIANT_NAIVE] + feature_naive(c, s) +
          filter_naive(c, s);
}

static void assert_near(double got, double want, double rel) {
   if (fabs(got - want) > rel * fabs(want))
      fail_msg("%g is not within %.0f%% of %g", got, rel * 100, want);
}

/* lecture: a burst takes the naive pipeline three intervals, and every sensor's window fills in one burst */
static void lecture__a_burst_takes_three_intervals(void** state) {
   (void)state;
   for (int i = 0; i < 3; i++) {
      const Calibration* c = machines(i);
      Setup s = planned(SCENARIO_LECTURE, c);
      double need = (double)s.knobs.burst * total_naive(c, &s) / (double)s.knobs.every_ns;
      assert_near(need, 3.0, 0.05);
      assert_true((double)s.knobs.burst >= 1.2 * s.knobs.window * s.sensors * 0.99);
      assert_int_equal(s.knobs.arrival, ARRIVAL_BURST);
   }
}

/* amdahl: feature ~70% of the naive time, filter ~8%, the load 1.3 times the naive capacity */
static void amdahl__shares_and_load_as_documented(void** state) {
   (void)state;
   for (int i = 0; i < 3; i++) {
      const Calibration* c = machines(i);
      Setup s = planned(SCENARIO_AMDAHL, c);
      double total = total_naive(c, &s);
      assert_near(feature_naive(c, &s) / total, 0.70, 0.05);
      assert_near(filter_naive(c, &s) / total, 0.08, 0.05);
      assert_near(s.knobs.rate * total / 1e9, 1.3, 0.05);
   }
}

/* overflow: arrivals twice the naive capacity, the cap a second of them */
static void overflow__twice_the_capacity(void** state) {
   (void)state;
   for (int i = 0; i < 3; i++) {
      const Calibration* c = machines(i);
      Setup s = planned(SCENARIO_OVERFLOW, c);
      assert_near(s.knobs.rate * total_naive(c, &s) / 1e9, 2.0, 0.01);
      assert_near((double)s.knobs.max_backlog_records, s.knobs.rate, 0.01);
   }
}

/* threads: the pipeline needs more workers than the CPUs the workers can have (all of them but the
 * source thread's measured share at the planned rate), so throughput rises with threads up to the CPUs
 * and then stops rising; the source keeps a small share, whatever its wake-ups cost */
static void threads__more_work_than_the_workers_CPUs(void** state) {
   (void)state;
   double ncpu = (double)sysconf(_SC_NPROCESSORS_ONLN);
   static const double source_ns[] = {0, 2000, 8000, 20000};
   for (int i = 0; i < 3; i++) {
      for (size_t k = 0; k < sizeof source_ns / sizeof source_ns[0]; k++) {
         Calibration c = *machines(i);
         c.source_ns = source_ns[k];
         Setup t = planned(SCENARIO_THREADS, &c);
         double per = (double)t.knobs.stage_cost_ns[STAGE_FEATURE] + Calibration_total(&c, VARIANT_OPTIMIZED);
         double need = t.knobs.rate * per / 1e9;             /* workers' worth of records */
         double source = t.knobs.rate * c.source_ns / 1e9;  /* the source thread's CPUs */
         double room = ncpu - source;                        /* the CPUs the workers can have */
         assert_near(need / room, SCENARIO_THREADS_OVER, 0.01);
         assert_true(need > room + 0.25);
         /* one thread does a worker's worth: less than the load, so adding threads helps */
         assert_true(need >= 1.4);
         assert_true(source < 0.15 * ncpu);
         assert_int_equal(t.knobs.threads, 1);
      }
   }
}

/* skew: the hot partition alone gets 1.2 workers' worth, from the 20 us simulated cost plus the optimized
 * chain */
static void skew__the_hot_partition_needs_more_than_one_worker(void** state) {
   (void)state;
   for (int i = 0; i < 3; i++) {
      const Calibration* c = machines(i);
      double per = 20000 + Calibration_total(c, VARIANT_OPTIMIZED);
      Setup k = planned(SCENARIO_SKEW, c);
      assert_near(k.hot * k.knobs.rate * per / 1e9, 1.2, 0.01);
   }
}

/* structure: all optimized, batch on one worker, twice what a worker per CPU could do by the
 * calibration (every shape then runs with a full backlog), the cap a quarter second of it */
static void structure__every_shape_saturated(void** state) {
   (void)state;
   long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
   for (int i = 0; i < 3; i++) {
      const Calibration* c = machines(i);
      Setup s = planned(SCENARIO_STRUCTURE, c);
      double want = 2.0 * (double)(ncpu > 1 ? ncpu : 1) * 1e9 / Calibration_total(c, VARIANT_OPTIMIZED);
      assert_near(s.knobs.rate, want < 50e6 ? want : 50e6, 0.01); /* at most 50M/s: past a source's reach */
      assert_int_equal(s.knobs.threads, 1);
      assert_int_equal(s.knobs.dispatch, DISPATCH_BATCH);
      for (int st = 0; st < STAGE_LAST; st++)
         assert_int_equal(s.knobs.variant[st], VARIANT_OPTIMIZED);
      assert_true(s.knobs.max_backlog_records >= 100000 && s.knobs.max_backlog_records <= 2000000);
   }
}

/* memory: the same plan on every machine (no calibration needed, so a headless run measures none): the worker
 * held to 100k records/s by a simulated cost, the input at four times it, a cap in bytes; the layout is the
 * student's (packed unless given) */
static void memory__the_backlog_grows_toward_a_byte_cap_on_any_machine(void** state) {
   (void)state;
   assert_false(Scenario_sized(SCENARIO_MEMORY));
   for (int id = 0; id < SCENARIO_LAST; id++)
      assert_true(id == SCENARIO_MEMORY || Scenario_sized((ScenarioId)id));
   Setup a = planned(SCENARIO_MEMORY, machines(0));
   Setup b = planned(SCENARIO_MEMORY, machines(1));
   assert_memory_equal(&a.knobs, &b.knobs, sizeof a.knobs);
   assert_int_equal(a.knobs.stage_cost_ns[STAGE_FEATURE], SCENARIO_MEMORY_COST_NS);
   assert_near(a.knobs.rate, 4e9 / SCENARIO_MEMORY_COST_NS, 1e-9);
   assert_int_equal(a.knobs.max_backlog_records, 0);
   assert_int_equal(a.knobs.max_backlog_bytes, SCENARIO_MEMORY_CAP);
   assert_int_equal(a.knobs.overflow, OVERFLOW_BLOCK);
   assert_int_equal(a.knobs.layout, LAYOUT_PACKED);
   assert_int_equal(a.knobs.threads, 1);
}

/* the same calibration gives the same plan: what makes a cached calibration reproduce a lesson */
static void same_calibration__same_plan(void** state) {
   (void)state;
   for (int id = 0; id < SCENARIO_LAST; id++) {
      Setup a = planned((ScenarioId)id, machines(2)), b = planned((ScenarioId)id, machines(2));
      assert_memory_equal(&a, &b, sizeof a);
   }
}

/* the quietness check: passes within 15% of each other are quiet */
static void quiet__by_the_spread_of_the_passes(void** state) {
   (void)state;
   Calibration c = *machines(0);
   c.spread = 0.05;
   assert_true(Calibration_quiet(&c));
   c.spread = 0.4;
   assert_false(Calibration_quiet(&c));
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(lecture__a_burst_takes_three_intervals),
       cmocka_unit_test(amdahl__shares_and_load_as_documented),
       cmocka_unit_test(overflow__twice_the_capacity),
       cmocka_unit_test(threads__more_work_than_the_workers_CPUs),
       cmocka_unit_test(skew__the_hot_partition_needs_more_than_one_worker),
       cmocka_unit_test(structure__every_shape_saturated),
       cmocka_unit_test(memory__the_backlog_grows_toward_a_byte_cap_on_any_machine),
       cmocka_unit_test(same_calibration__same_plan),
       cmocka_unit_test(quiet__by_the_spread_of_the_passes),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
