/* test_structure.c: the structure lesson's table: which shape the knobs make, when a sample counts, the caption. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/structure.h"

#define MS INT64_C(1000000)

static Knobs optimized(Dispatch d, uint32_t threads) {
   Knobs k;
   memset(&k, 0, sizeof k);
   Knobs_initDefaults(&k);
   for (int s = 0; s < STAGE_LAST; s++)
      k.variant[s] = VARIANT_OPTIMIZED;
   k.dispatch = d;
   k.threads = threads;
   return k;
}

/* A snapshot at t ms: the knobs, records out a second, the workers' CPUs busy, the backlog against a cap of 1000. */
static Snapshot snap(uint64_t seq, int64_t t_ms, const Knobs* k, double out, double busy, uint64_t backlog) {
   Snapshot s;
   memset(&s, 0, sizeof s);
   s.seq = seq;
   s.t = t_ms * MS;
   s.knobs = *k;
   s.ncpu = 4;
   s.out_rate = out;
   s.busy = busy;
   s.backlog_records = backlog;
   s.backlog_cap_records = 1000;
   return s;
}

static void shape__from_dispatch_and_threads_with_every_stage_optimized(void** state) {
   (void)state;
   Knobs k = optimized(DISPATCH_FUSED, 1);
   assert_int_equal(Structure_shape(&k, 4), STRUCTURE_FUSED);
   k = optimized(DISPATCH_RECORD, 1);
   assert_int_equal(Structure_shape(&k, 4), STRUCTURE_RECORD);
   k = optimized(DISPATCH_BATCH, 1);
   assert_int_equal(Structure_shape(&k, 4), STRUCTURE_BATCH);
   k = optimized(DISPATCH_BATCH, 4);
   assert_int_equal(Structure_shape(&k, 4), STRUCTURE_PARALLEL);
   assert_int_equal(Structure_shape(&k, 8), -1); /* neither one worker nor one per CPU */
   k = optimized(DISPATCH_RECORD, 4);
   assert_int_equal(Structure_shape(&k, 4), -1);
   k = optimized(DISPATCH_BATCH, 1);
   k.variant[STAGE_FEATURE] = VARIANT_NAIVE;
   assert_int_equal(Structure_shape(&k, 4), -1);
   k = optimized(DISPATCH_BATCH, 1);
   k.stage_cost_ns[STAGE_SCORE] = 1000;
   assert_int_equal(Structure_shape(&k, 4), -1);
}

/* Samples count once settled, once per snapshot; the mean rate, CPU per record and saturation. */
static void update__averages_settled_samples_of_the_shape_in_force(void** state) {
   (void)state;
   Structure st;
   Structure_init(&st);
   Knobs k = optimized(DISPATCH_BATCH, 1);
   Snapshot s = snap(1, 0, &k, 4e6, 0.5, 900);
   Structure_update(&st, &s);
   s = snap(2, 1000, &k, 4e6, 0.5, 900); /* not settled yet: the rate window still holds the start */
   Structure_update(&st, &s);
   assert_int_equal(st.row[STRUCTURE_BATCH].samples, 0);
   s = snap(3, 1600, &k, 4e6, 0.5, 900);
   Structure_update(&st, &s);
   Structure_update(&st, &s); /* the same snapshot again: counted once */
   s = snap(4, 1700, &k, 6e6, 0.5, 900);
   Structure_update(&st, &s);
   const StructureRow* r = &st.row[STRUCTURE_BATCH];
   assert_int_equal(r->samples, 2);
   assert_float_equal(r->rate, 5e6, 1);
   /* 0.5 CPU for 4M and for 6M records a second: 125 and 83.3 ns per record */
   assert_float_equal(r->cpu_ns, (125 + 500.0 / 6) / 2, 1e-6);
   assert_true(r->saturated);
   s = snap(5, 1800, &k, 6e6, 0.5, 10); /* the backlog ran low: the rate was the input's */
   Structure_update(&st, &s);
   assert_false(st.row[STRUCTURE_BATCH].saturated);
}

/* Another shape fills its own row; coming back measures the old row again, replacing it only once a new
 * sample is in (a shape left before it settled keeps what it had). */
static void update__switching_fills_rows_and_replaces_on_a_new_sample(void** state) {
   (void)state;
   Structure st;
   Structure_init(&st);
   Knobs batch = optimized(DISPATCH_BATCH, 1), record = optimized(DISPATCH_RECORD, 1);
   uint64_t seq = 0;
   int64_t t = 0;
   Snapshot s;
   for (int i = 0; i < 20; i++, t += 100) {
      s = snap(++seq, t, &batch, 4e6, 0.5, 900);
      Structure_update(&st, &s);
   }
   for (int i = 0; i < 20; i++, t += 100) {
      s = snap(++seq, t, &record, 3e6, 0.5, 900);
      Structure_update(&st, &s);
   }
   assert_true(st.row[STRUCTURE_BATCH].samples > 0);
   assert_true(st.row[STRUCTURE_RECORD].samples > 0);
   assert_float_equal(st.row[STRUCTURE_RECORD].rate, 3e6, 1);
   /* back to batch for less than the settling time: its row stays as it was */
   for (int i = 0; i < 5; i++, t += 100) {
      s = snap(++seq, t, &batch, 1e6, 0.5, 900);
      Structure_update(&st, &s);
   }
   assert_float_equal(st.row[STRUCTURE_BATCH].rate, 4e6, 1);
   for (int i = 0; i < 20; i++, t += 100) {
      s = snap(++seq, t, &batch, 2e6, 0.5, 900);
      Structure_update(&st, &s);
   }
   assert_float_equal(st.row[STRUCTURE_BATCH].rate, 2e6, 1);
}

/* The caption waits for batch and one other shape, then states the measured ratios. */
static void caption__states_the_measured_ratios(void** state) {
   (void)state;
   Structure st;
   Structure_init(&st);
   char l0[256], l1[256];
   assert_false(Structure_caption(&st, l0, l1, sizeof l0));
   st.row[STRUCTURE_BATCH] = (StructureRow){.samples = 3, .rate = 4e6, .cpu_ns = 100, .saturated = true, .threads = 1};
   assert_false(Structure_caption(&st, l0, l1, sizeof l0));
   st.row[STRUCTURE_RECORD] = (StructureRow){.samples = 3, .rate = 3e6, .cpu_ns = 128, .saturated = true, .threads = 1};
   assert_true(Structure_caption(&st, l0, l1, sizeof l0));
   assert_non_null(strstr(l0, "record 128 (1.28x)"));
   assert_non_null(strstr(l1, "1.28x batch"));
   assert_non_null(strstr(l1, "worker per CPU"));
   st.row[STRUCTURE_PARALLEL] = (StructureRow){.samples = 3, .rate = 7e6, .cpu_ns = 110, .saturated = true, .threads = 2};
   assert_true(Structure_caption(&st, l0, l1, sizeof l0));
   assert_non_null(strstr(l0, "2 workers 7.00M rec/s, 1.8x one's"));
   assert_non_null(strstr(l1, "parallel did 1.8x"));
   /* a worker per CPU that did not scale is not said to */
   st.row[STRUCTURE_PARALLEL].rate = 4.2e6;
   assert_true(Structure_caption(&st, l0, l1, sizeof l0));
   assert_null(strstr(l1, "scales"));
   assert_non_null(strstr(l1, "only 1.1x"));
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(shape__from_dispatch_and_threads_with_every_stage_optimized),
      cmocka_unit_test(update__averages_settled_samples_of_the_shape_in_force),
      cmocka_unit_test(update__switching_fills_rows_and_replaces_on_a_new_sample),
      cmocka_unit_test(caption__states_the_measured_ratios),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
