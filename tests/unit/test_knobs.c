/* test_knobs.c: the knob table's steps (the dashboard's keys) and how a knob's value is written. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/knobs.h"

#define MS 1e6
#define US 1e3

static void batch__powers_of_two_and_clamped(void** state) {
   (void)state;
   assert_float_equal(Knob_step(KNOB_BATCH, 256, +1), 512, 0);
   assert_float_equal(Knob_step(KNOB_BATCH, 256, -1), 128, 0);
   assert_float_equal(Knob_step(KNOB_BATCH, 100, +1), 128, 0); /* from a value given on the command line */
   assert_float_equal(Knob_step(KNOB_BATCH, 100, -1), 64, 0);
   assert_float_equal(Knob_step(KNOB_BATCH, 1, -1), 1, 0);
   assert_float_equal(Knob_step(KNOB_BATCH, 65536, +1), 65536, 0);
   assert_float_equal(Knob_step(KNOB_BATCH, 2, -1), 1, 0);
}

static void batch__walks_the_whole_range(void** state) {
   (void)state;
   double b = 1;
   int steps = 0;
   while (b < 65536) {
      b = Knob_step(KNOB_BATCH, b, +1);
      steps++;
   }
   assert_int_equal(steps, 16);
}

static void threads__one_by_one_from_1_to_64(void** state) {
   (void)state;
   assert_float_equal(Knob_step(KNOB_THREADS, 1, -1), 1, 0);
   assert_float_equal(Knob_step(KNOB_THREADS, 1, +1), 2, 0);
   assert_float_equal(Knob_step(KNOB_THREADS, 64, +1), 64, 0);
   assert_float_equal(Knob_step(KNOB_THREADS, 64, -1), 63, 0);
}

static void rate__round_numbers_about_a_quarter_apart(void** state) {
   (void)state;
   assert_float_equal(Knob_step(KNOB_RATE, 200e3, +1), 250e3, 1e-6);
   assert_float_equal(Knob_step(KNOB_RATE, 200e3, -1), 150e3, 1e-6);
   assert_float_equal(Knob_step(KNOB_RATE, 800e3, +1), 1e6, 1e-6);
   assert_float_equal(Knob_step(KNOB_RATE, 1e6, -1), 800e3, 1e-6);
   assert_float_equal(Knob_step(KNOB_RATE, 123456, +1), 150e3, 1e-6); /* off the series: to the next one */
   assert_float_equal(Knob_step(KNOB_RATE, 1, -1), 1, 0);
   assert_float_equal(Knob_step(KNOB_RATE, 1e9, +1), 1e9, 0);
   /* on the series, up then down comes back */
   assert_float_equal(Knob_step(KNOB_RATE, Knob_step(KNOB_RATE, 40e3, +1), -1), 40e3, 1e-6);
}

static void rate__every_step_grows_by_at_most_a_half(void** state) {
   (void)state;
   double r = 1;
   while (r < 1e9) {
      double n = Knob_step(KNOB_RATE, r, +1);
      assert_true(n > r);
      assert_true(n <= r * 1.5 + 1e-9);
      r = n;
   }
}

static void burst_and_window__same_series_and_ranges(void** state) {
   (void)state;
   assert_float_equal(Knob_step(KNOB_BURST, 50000, +1), 60000, 0);
   assert_float_equal(Knob_step(KNOB_BURST, 50000, -1), 40000, 0);
   assert_float_equal(Knob_step(KNOB_BURST, 1, -1), 1, 0);
   assert_float_equal(Knob_step(KNOB_WINDOW, 100, +1), 120, 0);
   assert_float_equal(Knob_step(KNOB_WINDOW, 100, -1), 80, 0);
   assert_float_equal(Knob_step(KNOB_WINDOW, 100000, +1), 100000, 0);
   assert_float_equal(Knob_step(KNOB_WINDOW, 1, -1), 1, 0);
}

static void linger__1_2_5_with_zero_below(void** state) {
   (void)state;
   assert_float_equal(Knob_step(KNOB_LINGER, 5 * MS, +1), 10 * MS, 0);
   assert_float_equal(Knob_step(KNOB_LINGER, 5 * MS, -1), 2 * MS, 0);
   assert_float_equal(Knob_step(KNOB_LINGER, 100 * US, -1), 0, 0);
   assert_float_equal(Knob_step(KNOB_LINGER, 0, -1), 0, 0);
   assert_float_equal(Knob_step(KNOB_LINGER, 0, +1), 100 * US, 0);
   assert_float_equal(Knob_step(KNOB_LINGER, 10000 * MS, +1), 10000 * MS, 0);
}

static void every__1_2_5_within_range(void** state) {
   (void)state;
   assert_float_equal(Knob_step(KNOB_EVERY, 10000 * MS, +1), 20000 * MS, 0);
   assert_float_equal(Knob_step(KNOB_EVERY, 10000 * MS, -1), 5000 * MS, 0);
   assert_float_equal(Knob_step(KNOB_EVERY, 1 * MS, -1), 1 * MS, 0);
}

static void overflow__cycles_through_every_policy(void** state) {
   (void)state;
   assert_float_equal(Knob_step(KNOB_OVERFLOW, OVERFLOW_BLOCK, +1), OVERFLOW_DROP_OLDEST, 0);
   assert_float_equal(Knob_step(KNOB_OVERFLOW, OVERFLOW_GROW, +1), OVERFLOW_BLOCK, 0);
   assert_float_equal(Knob_step(KNOB_OVERFLOW, OVERFLOW_BLOCK, -1), OVERFLOW_GROW, 0);
}

static void speed__halves_and_doubles_with_max_beyond_the_top(void** state) {
   (void)state;
   const KnobDef* d = &Knob_table[KNOB_SPEED];
   assert_float_equal(Knob_step(KNOB_SPEED, 1, +1), 2, 0);
   assert_float_equal(Knob_step(KNOB_SPEED, 1, -1), 0.5, 0);
   assert_float_equal(Knob_step(KNOB_SPEED, 10, -1), 5, 0);
   /* the slowest stays, the fastest doubles into max (0), and max halves back to the fastest */
   assert_float_equal(Knob_step(KNOB_SPEED, d->step_lo, -1), d->step_lo, 0);
   assert_float_equal(Knob_step(KNOB_SPEED, d->step_hi, +1), 0, 0);
   assert_float_equal(Knob_step(KNOB_SPEED, 0, -1), d->step_hi, 0);
   assert_float_equal(Knob_step(KNOB_SPEED, 0, +1), 0, 0);
   assert_float_equal(Knob_step(KNOB_SPEED, 300000, +1), d->step_hi, 0);
   /* within the whole range the command line accepts (0.01 .. 1e6) */
   assert_true(d->step_lo >= d->min && d->step_hi <= d->max);
}

static void step__every_stepped_knob_stays_in_its_range(void** state) {
   (void)state;
   for (int id = 0; id < KNOB_LAST; id++) {
      const KnobDef* d = &Knob_table[id];
      if (d->step == KNOB_STEP_NONE || d->step == KNOB_STEP_CYCLE || d->step == KNOB_STEP_DOUBLE)
         continue;
      assert_float_equal(Knob_step((KnobId)id, d->max, +1), d->max, 0);
      assert_float_equal(Knob_step((KnobId)id, d->min, -1), d->min, 0);
      assert_float_equal(Knob_step((KnobId)id, d->def, 0), d->def, 0);
   }
}

static void format__as_the_screen_writes_it(void** state) {
   (void)state;
   char b[32];
   Knob_format(KNOB_BATCH, 256, b, sizeof b);
   assert_string_equal(b, "256");
   Knob_format(KNOB_RATE, 200e3, b, sizeof b);
   assert_string_equal(b, "200k");
   Knob_format(KNOB_BURST, 60000, b, sizeof b);
   assert_string_equal(b, "60.0k");
   Knob_format(KNOB_LINGER, 5 * MS, b, sizeof b);
   assert_string_equal(b, "5.00 ms");
   Knob_format(KNOB_OVERFLOW, OVERFLOW_DROP_NEWEST, b, sizeof b);
   assert_string_equal(b, "drop-newest");
   Knob_format(KNOB_SPEED, 0, b, sizeof b);
   assert_string_equal(b, "max");
}

static void table__names_values_and_keys(void** state) {
   (void)state;
   Knobs k;
   memset(&k, 0, sizeof k);
   Knobs_initDefaults(&k);
   assert_int_equal(k.batch, 256);
   assert_int_equal(k.overflow, OVERFLOW_BLOCK);
   Knobs_set(&k, KNOB_THREADS, 1000); /* clamped to the range */
   assert_int_equal(k.threads, KNOBS_THREADS_MAX);
   assert_float_equal(Knobs_get(&k, KNOB_THREADS), KNOBS_THREADS_MAX, 0);
   assert_int_equal(Knob_byName("linger"), KNOB_LINGER);
   assert_int_equal(Knob_byName("no-such-knob"), KNOB_LAST);
   /* a knob with keys is live and stepped, and no two knobs share keys unless they share a row on screen */
   for (int i = 0; i < KNOB_LAST; i++) {
      const KnobDef* d = &Knob_table[i];
      if (!d->key_down)
         continue;
      assert_true(d->live && d->step != KNOB_STEP_NONE && d->key_up && d->what);
      for (int j = i + 1; j < KNOB_LAST; j++)
         if (Knob_table[j].key_down == d->key_down)
            assert_true((i == KNOB_BURST && j == KNOB_RATE) || (i == KNOB_RATE && j == KNOB_BURST));
   }
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(speed__halves_and_doubles_with_max_beyond_the_top),
       cmocka_unit_test(batch__powers_of_two_and_clamped),
       cmocka_unit_test(batch__walks_the_whole_range),
       cmocka_unit_test(threads__one_by_one_from_1_to_64),
       cmocka_unit_test(rate__round_numbers_about_a_quarter_apart),
       cmocka_unit_test(rate__every_step_grows_by_at_most_a_half),
       cmocka_unit_test(burst_and_window__same_series_and_ranges),
       cmocka_unit_test(linger__1_2_5_with_zero_below),
       cmocka_unit_test(every__1_2_5_within_range),
       cmocka_unit_test(overflow__cycles_through_every_policy),
       cmocka_unit_test(step__every_stepped_knob_stays_in_its_range),
       cmocka_unit_test(format__as_the_screen_writes_it),
       cmocka_unit_test(table__names_values_and_keys),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
