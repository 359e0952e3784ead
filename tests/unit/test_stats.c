/*
 * test_stats.c: src/stats.c. The slope drives the backlog trend on screen and
 * the soak's leak check; the median every benchmark figure. Known answers,
 * and the degenerate inputs a short run produces (one point, equal times).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/stats.h"

static void fitSlope__points_on_a_line__give_its_slope(void** state) {
   (void)state;
   StatsFit f = {0};
   for (int i = -5; i <= 20; i++)
      Stats_fitAdd(&f, i * 0.1, 3.0 - 2.5 * i * 0.1);
   assert_float_equal(Stats_fitSlope(&f), -2.5, 1e-9);
}

static void fitSlope__noise_around_a_line__averages_out(void** state) {
   (void)state;
   StatsFit f = {0};
   for (int i = 0; i < 100; i++)
      Stats_fitAdd(&f, i, 1000 + 7.0 * i + (i % 2 ? 50 : -50));
   assert_float_equal(Stats_fitSlope(&f), 7.0, 0.05);
}

static void fitSlope__fewer_than_two_distinct_x__is_zero(void** state) {
   (void)state;
   StatsFit f = {0};
   assert_float_equal(Stats_fitSlope(&f), 0, 0);
   Stats_fitAdd(&f, 1e9, 5);
   assert_float_equal(Stats_fitSlope(&f), 0, 0);
   /* the same x many times: rounding must not turn into a huge slope */
   StatsFit g = {0};
   for (int i = 0; i < 50; i++)
      Stats_fitAdd(&g, 12345.678, i * 1e6);
   assert_float_equal(Stats_fitSlope(&g), 0, 0);
}

static void median__odd_and_even_counts__middle_value_or_mean_of_two(void** state) {
   (void)state;
   double odd[] = {9, 1, 5, 3, 7};
   assert_float_equal(Stats_median(odd, 5), 5, 0);
   assert_float_equal(odd[0], 1, 0); /* sorted in place */
   double even[] = {4, 1, 3, 2};
   assert_float_equal(Stats_median(even, 4), 2.5, 0);
   double one[] = {42};
   assert_float_equal(Stats_median(one, 1), 42, 0);
   assert_float_equal(Stats_median(NULL, 0), 0, 0);
}

static void median__an_outlier__does_not_move_it(void** state) {
   (void)state;
   double v[] = {10, 11, 10.5, 1e9, 10.2};
   assert_float_equal(Stats_median(v, 5), 10.5, 0);
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(fitSlope__points_on_a_line__give_its_slope),
       cmocka_unit_test(fitSlope__noise_around_a_line__averages_out),
       cmocka_unit_test(fitSlope__fewer_than_two_distinct_x__is_zero),
       cmocka_unit_test(median__odd_and_even_counts__middle_value_or_mean_of_two),
       cmocka_unit_test(median__an_outlier__does_not_move_it),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
