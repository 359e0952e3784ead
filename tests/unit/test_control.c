/* test_control.c: the steps the dashboard's keys take through knob values. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ui/control.h"

#define MS INT64_C(1000000)
#define US INT64_C(1000)

static void batch__powers_of_two_and_clamped(void** state) {
   (void)state;
   assert_int_equal(Control_stepBatch(256, +1), 512);
   assert_int_equal(Control_stepBatch(256, -1), 128);
   assert_int_equal(Control_stepBatch(100, +1), 128); /* from a value given on the command line */
   assert_int_equal(Control_stepBatch(100, -1), 64);
   assert_int_equal(Control_stepBatch(1, -1), 1);
   assert_int_equal(Control_stepBatch(65536, +1), 65536);
   assert_int_equal(Control_stepBatch(2, -1), 1);
}

static void batch__walks_the_whole_range(void** state) {
   (void)state;
   uint32_t b = 1;
   int steps = 0;
   while (b < 65536) {
      b = Control_stepBatch(b, +1);
      steps++;
   }
   assert_int_equal(steps, 16);
}

static void threads__one_by_one_from_1_to_64(void** state) {
   (void)state;
   assert_int_equal(Control_stepThreads(1, -1), 1);
   assert_int_equal(Control_stepThreads(1, +1), 2);
   assert_int_equal(Control_stepThreads(64, +1), 64);
   assert_int_equal(Control_stepThreads(64, -1), 63);
}

static void rate__round_numbers_about_a_quarter_apart(void** state) {
   (void)state;
   assert_float_equal(Control_stepRate(200e3, +1), 250e3, 1e-6);
   assert_float_equal(Control_stepRate(200e3, -1), 150e3, 1e-6);
   assert_float_equal(Control_stepRate(800e3, +1), 1e6, 1e-6);
   assert_float_equal(Control_stepRate(1e6, -1), 800e3, 1e-6);
   assert_float_equal(Control_stepRate(123456, +1), 150e3, 1e-6); /* off the series: to the next one */
   assert_float_equal(Control_stepRate(1, -1), 1, 0);
   assert_float_equal(Control_stepRate(1e9, +1), 1e9, 0);
   /* on the series, up then down comes back */
   assert_float_equal(Control_stepRate(Control_stepRate(40e3, +1), -1), 40e3, 1e-6);
}

static void rate__every_step_grows_by_at_most_a_half(void** state) {
   (void)state;
   double r = 1;
   while (r < 1e9) {
      double n = Control_stepRate(r, +1);
      assert_true(n > r);
      assert_true(n <= r * 1.5 + 1e-9);
      r = n;
   }
}

static void burst_and_window__same_series_and_ranges(void** state) {
   (void)state;
   assert_int_equal(Control_stepBurst(50000, +1), 60000);
   assert_int_equal(Control_stepBurst(50000, -1), 40000);
   assert_int_equal(Control_stepBurst(1, -1), 1);
   assert_int_equal(Control_stepWindow(100, +1), 120);
   assert_int_equal(Control_stepWindow(100, -1), 80);
   assert_int_equal(Control_stepWindow(100000, +1), 100000);
   assert_int_equal(Control_stepWindow(1, -1), 1);
}

static void linger__1_2_5_with_zero_below(void** state) {
   (void)state;
   assert_int_equal(Control_stepLinger(5 * MS, +1), 10 * MS);
   assert_int_equal(Control_stepLinger(5 * MS, -1), 2 * MS);
   assert_int_equal(Control_stepLinger(100 * US, -1), 0);
   assert_int_equal(Control_stepLinger(0, -1), 0);
   assert_int_equal(Control_stepLinger(0, +1), 100 * US);
   assert_int_equal(Control_stepLinger(10000 * MS, +1), 10000 * MS);
}

static void every__1_2_5_within_range(void** state) {
   (void)state;
   assert_int_equal(Control_stepEvery(10000 * MS, +1), 20000 * MS);
   assert_int_equal(Control_stepEvery(10000 * MS, -1), 5000 * MS);
   assert_int_equal(Control_stepEvery(1 * MS, -1), 1 * MS);
}

static void overflow__cycles_through_every_policy(void** state) {
   (void)state;
   assert_int_equal(Control_stepOverflow(OVERFLOW_BLOCK, +1), OVERFLOW_DROP_OLDEST);
   assert_int_equal(Control_stepOverflow(OVERFLOW_GROW, +1), OVERFLOW_BLOCK);
   assert_int_equal(Control_stepOverflow(OVERFLOW_BLOCK, -1), OVERFLOW_GROW);
}

static void speed__halves_and_doubles_with_max_beyond_the_top(void** state) {
   (void)state;
   assert_float_equal(Control_stepSpeed(1, +1), 2, 0);
   assert_float_equal(Control_stepSpeed(1, -1), 0.5, 0);
   assert_float_equal(Control_stepSpeed(10, -1), 5, 0);
   /* the slowest stays, the fastest doubles into max (0), and max halves back to the fastest */
   assert_float_equal(Control_stepSpeed(CONTROL_SPEED_MIN, -1), CONTROL_SPEED_MIN, 0);
   assert_float_equal(Control_stepSpeed(CONTROL_SPEED_MAX, +1), 0, 0);
   assert_float_equal(Control_stepSpeed(0, -1), CONTROL_SPEED_MAX, 0);
   assert_float_equal(Control_stepSpeed(0, +1), 0, 0);
   assert_float_equal(Control_stepSpeed(6000, +1), CONTROL_SPEED_MAX, 0);
   /* the whole range the command line accepts (0.01 .. 10000) */
   assert_true(CONTROL_SPEED_MIN >= 0.01 && CONTROL_SPEED_MAX <= 10000);
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
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
