/* test_amdahl.c: a stage's share of the busy time, and the toggle trial. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/amdahl.h"

#define MS INT64_C(1000000)
#define S  INT64_C(1000000000)

/* n samples 100 ms apart from t0: backlog, oldest age, out rate. */
static void samples(HistorySample* s, int n, int64_t t0, double backlog, double age, double out) {
   for (int i = 0; i < n; i++) {
      memset(&s[i], 0, sizeof s[i]);
      s[i].t = t0 + i * 100 * MS;
      s[i].backlog = backlog;
      s[i].oldest_age_s = age;
      s[i].out_rate = out;
   }
}

static AmdahlCosts costs_70_8(void) {
   /* feature 700 ns, filter 80 ns, the rest 200 ns, overhead 20 ns: 1000 ns per record */
   AmdahlCosts c = {.passed = 1, .overhead_per_record = 20};
   c.ns[STAGE_FEATURE] = 700;
   c.ns[STAGE_FILTER] = 80;
   c.ns[STAGE_ENRICH] = 200;
   return c;
}

static void share__of_the_busy_time_including_the_overhead(void** state) {
   (void)state;
   AmdahlCosts c = costs_70_8();
   assert_float_equal(Amdahl_total(&c), 1000, 1e-9);
   assert_float_equal(Amdahl_share(&c, STAGE_FEATURE), 0.70, 1e-12);
   assert_float_equal(Amdahl_share(&c, STAGE_FILTER), 0.08, 1e-12);
   assert_float_equal(Amdahl_share(&c, STAGE_SCORE), 0, 0);
   assert_float_equal(Amdahl_share(&c, -1), 0, 0);
}

static void share__later_stages_weigh_by_what_passed_the_filter(void** state) {
   (void)state;
   AmdahlCosts c = {.passed = 0.5};
   c.ns[STAGE_FILTER] = 100;  /* every record */
   c.ns[STAGE_FEATURE] = 200; /* half of them: 100 per arriving record */
   assert_float_equal(Amdahl_total(&c), 200, 1e-9);
   assert_float_equal(Amdahl_share(&c, STAGE_FILTER), 0.5, 1e-12);
   assert_float_equal(Amdahl_share(&c, STAGE_FEATURE), 0.5, 1e-12);
   AmdahlCosts none = {0};
   assert_float_equal(Amdahl_share(&none, STAGE_FILTER), 0, 0);
}

static void trial__saturated_before_uses_the_whole_second_windows(void** state) {
   (void)state;
   HistorySample h[60];
   samples(h, 60, 0, 5000, 3.0, 1000);
   /* the stretch within 5 s of the toggle starts at 1.0 s; its first second is excluded (the rate
    * window of those samples reaches back before the stretch) */
   for (int i = 20; i < 60; i++)
      h[i].out_rate = 2000;
   int64_t t = h[59].t + 50 * MS;
   AmdahlCosts c = costs_70_8();
   AmdahlTrial tr;
   AmdahlTrial_begin(&tr, STAGE_FEATURE, VARIANT_NAIVE, VARIANT_OPTIMIZED, t, &c, 50, 0.25, 0, h, 60);
   assert_true(tr.active);
   assert_true(tr.saturated_before);
   assert_float_equal(tr.p, 0.70, 1e-12);
   assert_float_equal(tr.ns_before, 700, 0);
   /* the 5 s before the toggle: samples from 0.1 s on, the first second of them excluded */
   assert_float_equal(tr.thr_before, 2000, 1e-9);
   assert_float_equal(AmdahlTrial_predictedCal(&tr), 1 / (0.3 + 0.7 / 50), 1e-12);
   assert_float_equal(AmdahlTrial_predicted(&tr), 0, 0); /* not measured after yet */
   assert_int_equal(AmdahlTrial_outcome(&tr), AMDAHL_MEASURING);
}

static void trial__kept_up_before_is_not_measured_at_saturation(void** state) {
   (void)state;
   HistorySample h[50];
   samples(h, 50, 0, 80, 0.005, 1000); /* a small, fresh backlog: the workers waited for input */
   AmdahlCosts c = costs_70_8();
   AmdahlTrial tr;
   AmdahlTrial_begin(&tr, STAGE_FEATURE, VARIANT_NAIVE, VARIANT_OPTIMIZED, 5 * S, &c, 50, 0.25, 0, h, 50);
   assert_false(tr.saturated_before);
   assert_int_equal(AmdahlTrial_outcome(&tr), AMDAHL_NOT_SATURATED);
   assert_float_equal(AmdahlTrial_measured(&tr), 0, 0);
}

static void trial__measured_after_the_settle_while_saturated(void** state) {
   (void)state;
   HistorySample h[50];
   samples(h, 50, 0, 5000, 3.0, 1000);
   int64_t t = 5 * S;
   AmdahlCosts c = costs_70_8();
   AmdahlTrial tr;
   AmdahlTrial_begin(&tr, STAGE_FEATURE, VARIANT_NAIVE, VARIANT_OPTIMIZED, t, &c, 50, 0.25, 0, h, 50);
   assert_float_equal(tr.thr_before, 1000, 1e-9);
   /* during the settle the rate is mixed (ignored); after it, 2500/s */
   HistorySample a[60];
   samples(a, 60, t + 100 * MS, 4000, 2.0, 9999);
   for (int i = 0; i < 60; i++)
      if (a[i].t - t >= AMDAHL_SETTLE_NS)
         a[i].out_rate = 2500;
   AmdahlTrial_feed(&tr, a, 20);
   AmdahlTrial_setAfterCost(&tr, 14); /* 700 ns -> 14 ns: the stage 50x faster */
   AmdahlTrial_feed(&tr, a, 60);      /* those already seen are skipped */
   assert_int_equal(AmdahlTrial_outcome(&tr), AMDAHL_MEASURED);
   assert_float_equal(AmdahlTrial_measured(&tr), 2.5, 1e-9);
   assert_float_equal(AmdahlTrial_stageSpeedup(&tr), 50, 1e-9);
   assert_float_equal(AmdahlTrial_predicted(&tr), 1 / (0.3 + 0.7 / 50), 1e-12);
   assert_false(tr.drained);
}

static void trial__backlog_drained_at_once_says_so(void** state) {
   (void)state;
   HistorySample h[50];
   samples(h, 50, 0, 5000, 3.0, 1000);
   int64_t t = 5 * S;
   AmdahlCosts c = costs_70_8();
   AmdahlTrial tr;
   AmdahlTrial_begin(&tr, STAGE_FEATURE, VARIANT_NAIVE, VARIANT_OPTIMIZED, t, &c, 50, 0.25, 1000, h, 50);
   HistorySample a[40];
   samples(a, 40, t + 100 * MS, 0, 0, 400); /* empty within the settle, and after */
   AmdahlTrial_feed(&tr, a, 40);
   assert_true(tr.drained);
   assert_int_equal(AmdahlTrial_outcome(&tr), AMDAHL_DRAINED_AT_ONCE);
   assert_float_equal(AmdahlTrial_measured(&tr), 0, 0);
   /* per busy worker-second it is still measured: 400 rec/s at 10% busy = 4000 per busy second */
   assert_float_equal(AmdahlTrial_measuredBusy(&tr), 0, 0);
   AmdahlTrial_feedBusy(&tr, t + 500 * MS, 400, 0.1); /* inside the settle: ignored */
   AmdahlTrial_feedBusy(&tr, t + 2 * S, 400, 0.01);   /* too little work to measure */
   assert_float_equal(AmdahlTrial_measuredBusy(&tr), 0, 0);
   AmdahlTrial_feedBusy(&tr, t + 3 * S, 400, 0.1);
   AmdahlTrial_feedBusy(&tr, t + 3 * S, 999, 0.1); /* the same window again: skipped */
   assert_float_equal(AmdahlTrial_measuredBusy(&tr), 4, 1e-9);
}

static void trial__another_knob_voids_it(void** state) {
   (void)state;
   HistorySample h[50];
   samples(h, 50, 0, 5000, 3.0, 1000);
   AmdahlCosts c = costs_70_8();
   AmdahlTrial tr;
   AmdahlTrial_begin(&tr, STAGE_FILTER, VARIANT_NAIVE, VARIANT_OPTIMIZED, 5 * S, &c, 10, 0.25, 1000, h, 50);
   AmdahlTrial_void(&tr, "the threads");
   assert_int_equal(AmdahlTrial_outcome(&tr), AMDAHL_VOID);
   assert_string_equal(tr.void_why, "the threads");
   HistorySample a[60];
   samples(a, 60, 5 * S + 100 * MS, 4000, 2.0, 2500);
   AmdahlTrial_feed(&tr, a, 60);
   AmdahlTrial_feedBusy(&tr, 8 * S, 2500, 1);
   assert_int_equal(tr.n_after, 0);
   assert_float_equal(AmdahlTrial_measured(&tr), 0, 0);
   assert_float_equal(AmdahlTrial_measuredBusy(&tr), 0, 0);
   /* the calibration's prediction stays: it was made before the change */
   assert_float_equal(AmdahlTrial_predictedCal(&tr), 1 / (0.92 + 0.08 / 10), 1e-12);
}

static void trial__measuring_ends_after_its_time(void** state) {
   (void)state;
   HistorySample h[50];
   samples(h, 50, 0, 5000, 3.0, 1000);
   int64_t t = 5 * S;
   AmdahlCosts c = costs_70_8();
   AmdahlTrial tr;
   AmdahlTrial_begin(&tr, STAGE_FEATURE, VARIANT_NAIVE, VARIANT_OPTIMIZED, t, &c, 50, 0.25, 0, h, 50);
   int n = (int)((AMDAHL_SETTLE_NS + AMDAHL_MEASURE_NS) / (100 * MS)) + 20;
   HistorySample a[200];
   samples(a, n, t + 100 * MS, 4000, 2.0, 1500);
   AmdahlTrial_feed(&tr, a, (size_t)n);
   assert_true(tr.finished);
   /* only the measuring time counts: samples 100 ms apart over AMDAHL_MEASURE_NS */
   assert_float_equal(tr.after_s, (double)AMDAHL_MEASURE_NS / 1e9, 0.15);
   assert_float_equal(AmdahlTrial_measured(&tr), 1.5, 1e-9);
}

/* A trial of the feature stage (p 0.7: bound x3.33) from a steady 1000/s to after-rates a[i] = out(i). */
static void trial_after(AmdahlTrial* tr, const AmdahlCosts* c, double hi, double lo) {
   HistorySample h[50];
   samples(h, 50, 0, 5000, 3.0, 1000);
   int64_t t = 5 * S;
   AmdahlTrial_begin(tr, STAGE_FEATURE, VARIANT_NAIVE, VARIANT_OPTIMIZED, t, c, 50, 0.25, 0, h, 50);
   HistorySample a[40];
   samples(a, 40, t + 100 * MS, 4000, 2.0, 0);
   for (int i = 0; i < 40; i++)
      a[i].out_rate = i % 2 ? hi : lo;
   AmdahlTrial_feed(tr, a, 40);
}

/* Case 6: a measured speedup above Amdahl's bound for an infinitely fast stage (x87.3 against x63.7) is
 * not the stage's doing. Beyond its uncertainty it is flagged, and the other stage whose cost moved is
 * named; within its uncertainty (a noisy throughput) it is not. */
static void trial__past_the_bound_beyond_its_uncertainty_names_the_other_change(void** state) {
   (void)state;
   AmdahlCosts c = costs_70_8();
   AmdahlTrial tr;
   trial_after(&tr, &c, 4000, 4000); /* x4, steady: no uncertainty */
   assert_float_equal(AmdahlTrial_bound(&tr), 1 / 0.3, 1e-9);
   assert_float_equal(AmdahlTrial_measured(&tr), 4, 1e-9);
   assert_float_equal(AmdahlTrial_uncertainty(&tr), 0, 1e-9);
   assert_true(AmdahlTrial_pastBound(&tr));
   /* the filter got 4x cheaper meanwhile (20% is noise: enrich's 10% is not named) */
   AmdahlCosts now = c;
   now.ns[STAGE_FEATURE] = 14;
   now.ns[STAGE_FILTER] = 20;
   now.ns[STAGE_ENRICH] = 220;
   double before = 0, after = 0;
   assert_int_equal(AmdahlTrial_otherChange(&tr, &now, &before, &after), STAGE_FILTER);
   assert_float_equal(before, 80, 1e-9);
   assert_float_equal(after, 20, 1e-9);
   /* only the stage itself changed: no other named */
   now.ns[STAGE_FILTER] = 80;
   assert_int_equal(AmdahlTrial_otherChange(&tr, &now, &before, &after), -1);
   /* the hand-off is one of the others */
   now.overhead_per_record = 200;
   assert_int_equal(AmdahlTrial_otherChange(&tr, &now, &before, &after), STAGE_LAST);
   /* a stage too small to move the total is not the cause, however much it moved: a busy machine's
    * throughput swings past the bound while score went from 2 ns to 1 ns ("score changed too" misled) */
   now.overhead_per_record = 20;
   AmdahlCosts tiny = c;
   tiny.ns[STAGE_SCORE] = 2;
   trial_after(&tr, &tiny, 4000, 4000);
   now.ns[STAGE_SCORE] = 1;
   assert_int_equal(AmdahlTrial_otherChange(&tr, &now, &before, &after), -1);
   /* ... while the filter's 60 ns of the 1000 (6%) is named */
   now.ns[STAGE_FILTER] = 20;
   assert_int_equal(AmdahlTrial_otherChange(&tr, &now, &before, &after), STAGE_FILTER);

   /* the same mean throughput, but swinging 2000..6000: its uncertainty covers the bound */
   trial_after(&tr, &c, 6000, 2000);
   assert_float_equal(AmdahlTrial_measured(&tr), 4, 0.2);
   assert_true(AmdahlTrial_uncertainty(&tr) > AmdahlTrial_measured(&tr) - AmdahlTrial_bound(&tr));
   assert_false(AmdahlTrial_pastBound(&tr));
   /* below the bound: never flagged */
   trial_after(&tr, &c, 2500, 2500);
   assert_false(AmdahlTrial_pastBound(&tr));
}

/* The amdahl lesson's checkpoint: the student optimized the small stage; the caption says what Amdahl
 * predicted, what was measured, and where the time is now; then the big one */
static void checkpoint__follows_the_trial_the_student_made(void** state) {
   (void)state;
   HistorySample h[50];
   samples(h, 50, 0, 5000, 3.0, 1000);
   int64_t t = 5 * S;
   AmdahlCosts c = costs_70_8();
   AmdahlTrial tr;
   char l1[160], l2[160];
   memset(&tr, 0, sizeof tr);
   assert_false(AmdahlTrial_checkpoint(&tr, &c, l1, l2, sizeof l1)); /* no trial yet: the lesson's caption */
   /* filter 80 ns -> 8 ns, 10x by the calibration: p 8%, predicted 1 / (0.92 + 0.008) = x1.08 */
   AmdahlTrial_begin(&tr, STAGE_FILTER, VARIANT_NAIVE, VARIANT_OPTIMIZED, t, &c, 10, 0.25, 0, h, 50);
   assert_true(AmdahlTrial_checkpoint(&tr, &c, l1, l2, sizeof l1));
   assert_string_equal(l1, "You optimized filter (8% of the time): Amdahl predicts x1.08; measuring...");
   HistorySample a[60];
   samples(a, 60, t + 100 * MS, 4000, 2.0, 1070);
   AmdahlTrial_feed(&tr, a, 60);
   AmdahlTrial_setAfterCost(&tr, 8);
   AmdahlCosts now = c;
   now.ns[STAGE_FILTER] = 8; /* feature is now 700 of 928 ns */
   assert_true(AmdahlTrial_checkpoint(&tr, &now, l1, l2, sizeof l1));
   assert_string_equal(l1, "You optimized filter (8% of the time): predicted x1.08, measured x1.07: Amdahl.");
   assert_string_equal(l2, "Now find the stage with 75% of the time.");
   /* the big share next */
   AmdahlTrial_begin(&tr, STAGE_FEATURE, VARIANT_NAIVE, VARIANT_OPTIMIZED, t, &c, 50, 0.25, 0, h, 50);
   assert_true(AmdahlTrial_checkpoint(&tr, &c, l1, l2, sizeof l1));
   assert_string_equal(l2, "That was the big share: fixing it is what saves the pipeline.");
   /* back to naive, or voided by another knob: no checkpoint */
   AmdahlTrial_void(&tr, "the batch size");
   assert_false(AmdahlTrial_checkpoint(&tr, &c, l1, l2, sizeof l1));
   AmdahlTrial_begin(&tr, STAGE_FEATURE, VARIANT_OPTIMIZED, VARIANT_NAIVE, t, &c, 0.02, 0.25, 0, h, 50);
   assert_false(AmdahlTrial_checkpoint(&tr, &c, l1, l2, sizeof l1));
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(share__of_the_busy_time_including_the_overhead),
       cmocka_unit_test(trial__past_the_bound_beyond_its_uncertainty_names_the_other_change),
       cmocka_unit_test(share__later_stages_weigh_by_what_passed_the_filter),
       cmocka_unit_test(trial__saturated_before_uses_the_whole_second_windows),
       cmocka_unit_test(trial__kept_up_before_is_not_measured_at_saturation),
       cmocka_unit_test(trial__measured_after_the_settle_while_saturated),
       cmocka_unit_test(trial__backlog_drained_at_once_says_so),
       cmocka_unit_test(trial__another_knob_voids_it),
       cmocka_unit_test(trial__measuring_ends_after_its_time),
       cmocka_unit_test(checkpoint__follows_the_trial_the_student_made),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
