/* test_prediction.c: forecast words and the predicted-vs-measured watch. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/prediction.h"

#define S INT64_C(1000000000)

static void error__relative_to_the_larger_magnitude_with_a_floor(void** state) {
   (void)state;
   assert_float_equal(Prediction_error(10000, 8000, 100), 0.2, 1e-12);
   assert_float_equal(Prediction_error(-5000, -5000, 100), 0, 0);
   /* near zero on both sides the floor keeps noise from looking like a 100% error */
   assert_float_equal(Prediction_error(10, -30, 1000), 0.04, 1e-12);
   assert_float_equal(Prediction_error(0, 0, 0), 0, 0);
}

static void check__off_only_after_the_hold_time(void** state) {
   (void)state;
   PredictionCheck c;
   PredictionCheck_init(&c);
   assert_int_equal(c.state, PREDICTION_UNKNOWN);
   /* predicted +10k/s, measured +14k/s at 40k/s arrival: 29% off */
   PredictionCheck_update(&c, 10 * S, 10000, 14000, 40000, true, 0);
   assert_int_equal(c.state, PREDICTION_AGREES);
   assert_float_equal(c.error, 4000.0 / 14000, 1e-12);
   PredictionCheck_update(&c, 10 * S + PREDICTION_HOLD_NS - 1, 10000, 14000, 40000, true, 0);
   assert_int_equal(c.state, PREDICTION_AGREES);
   assert_int_equal(PredictionCheck_offFor(&c, 15 * S), 0);
   PredictionCheck_update(&c, 10 * S + PREDICTION_HOLD_NS, 10000, 14000, 40000, true, 0);
   assert_int_equal(c.state, PREDICTION_OFF);
   assert_int_equal(PredictionCheck_offFor(&c, 20 * S), 10 * S);
   /* back within the tolerance: agrees again, and the clock restarts */
   PredictionCheck_update(&c, 21 * S, 10000, 11000, 40000, true, 0);
   assert_int_equal(c.state, PREDICTION_AGREES);
   PredictionCheck_update(&c, 22 * S, 10000, 14000, 40000, true, 0);
   assert_int_equal(c.state, PREDICTION_AGREES);
   assert_int_equal(c.off_since, 22 * S);
}

static void check__pauses_while_settling_or_unsaturated(void** state) {
   (void)state;
   PredictionCheck c;
   PredictionCheck_init(&c);
   PredictionCheck_update(&c, 1 * S, 10000, 30000, 40000, true, 0);
   PredictionCheck_update(&c, 9 * S, 10000, 30000, 40000, true, 0);
   assert_int_equal(c.state, PREDICTION_OFF);
   /* a knob changed: the long window mixes two settings until settle_until */
   PredictionCheck_update(&c, 10 * S, 10000, 30000, 40000, true, 30 * S);
   assert_int_equal(c.state, PREDICTION_SETTLING);
   assert_int_equal(c.settle_until, 30 * S);
   PredictionCheck_update(&c, 31 * S, 10000, 30000, 40000, true, 30 * S);
   assert_int_equal(c.state, PREDICTION_AGREES); /* off again, but the hold starts over */
   /* the backlog emptied: growth is no longer arrival - capacity */
   PredictionCheck_update(&c, 40 * S, -5000, 0, 40000, false, 30 * S);
   assert_int_equal(c.state, PREDICTION_UNSATURATED);
   assert_int_equal(c.off_since, 0);
   /* nothing arriving: nothing to compare */
   PredictionCheck_update(&c, 41 * S, 0, 0, 0, true, 0);
   assert_int_equal(c.state, PREDICTION_UNKNOWN);
}

static void reforecast__keeps_the_capacity_with_the_inputs_of_now(void** state) {
   (void)state;
   ModelInput now = {.arrival_rate = 500,
                     .backlog = 0,
                     .backlog_cap = 1e6,
                     .stale_limit_s = 60,
                     .threads = 8,
                     .ncpu = 8,
                     .hot_share = 0.9,
                     .stage_ns = 1,
                     .batch = 1000};
   Forecast f;
   Prediction_reforecast(2000, &now, &f);
   assert_float_equal(f.capacity, 2000, 1e-9);
   assert_float_equal(f.utilization, 0.25, 1e-12);
   assert_float_equal(f.growth, -1500, 1e-9);
   assert_true(isinf(f.t_stale_s));
   assert_true(isinf(f.t_cap_s));
   assert_float_equal(f.t_empty_s, 0, 0);
   now.arrival_rate = 3000;
   now.backlog = 1000;
   Prediction_reforecast(2000, &now, &f);
   assert_float_equal(f.growth, 1000, 1e-9);
   assert_float_equal(f.t_cap_s, (1e6 - 1000) / 1000, 1e-9);
}

static void eta__in_words(void** state) {
   (void)state;
   char b[32];
   Prediction_eta(b, sizeof b, INFINITY);
   assert_string_equal(b, "never");
   Prediction_eta(b, sizeof b, NAN);
   assert_string_equal(b, "never");
   Prediction_eta(b, sizeof b, 0);
   assert_string_equal(b, "now");
   Prediction_eta(b, sizeof b, 2.46);
   assert_string_equal(b, "in 2.5 s");
   Prediction_eta(b, sizeof b, 23.4);
   assert_string_equal(b, "in 23 s");
   Prediction_eta(b, sizeof b, 90);
   assert_string_equal(b, "in 1.5 min");
   Prediction_eta(b, sizeof b, 7200);
   assert_string_equal(b, "in 2.0 h");
   Prediction_eta(b, sizeof b, 3 * 86400);
   assert_string_equal(b, "in 3 days");
   Prediction_eta(b, sizeof b, 400 * 86400.0);
   assert_string_equal(b, "never");
}

static void rate_and_factor__signed_and_compact(void** state) {
   (void)state;
   char b[32];
   Prediction_rate(b, sizeof b, 10700);
   assert_string_equal(b, "+10.7k rec/s");
   Prediction_rate(b, sizeof b, -950);
   assert_string_equal(b, "-950 rec/s");
   Prediction_rate(b, sizeof b, 0.3);
   assert_string_equal(b, "0 rec/s");
   Prediction_rateShort(b, sizeof b, 2480);
   assert_string_equal(b, "+2.48k/s");
   Prediction_rateShort(b, sizeof b, NAN);
   assert_string_equal(b, "-/s");
   Prediction_factor(b, sizeof b, 1.0869);
   assert_string_equal(b, "x1.09");
   Prediction_factor(b, sizeof b, 12.34);
   assert_string_equal(b, "x12.3");
   Prediction_factor(b, sizeof b, 221.4);
   assert_string_equal(b, "x221");
   Prediction_factor(b, sizeof b, 0);
   assert_string_equal(b, "x-");
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(error__relative_to_the_larger_magnitude_with_a_floor),
       cmocka_unit_test(check__off_only_after_the_hold_time),
       cmocka_unit_test(check__pauses_while_settling_or_unsaturated),
       cmocka_unit_test(reforecast__keeps_the_capacity_with_the_inputs_of_now),
       cmocka_unit_test(eta__in_words),
       cmocka_unit_test(rate_and_factor__signed_and_compact),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
