/* test_verdict.c: the keeping-up verdict and its hysteresis; issue 12's cases: a held-back source is
 * falling behind (1), an ended input is a state of its own (2), the reason line agrees with its numbers (6). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/verdict.h"

#define S  INT64_C(1000000000)
#define MS INT64_C(1000000)

static VerdictInput input(int64_t t, double in, double out, double backlog, double trend, double age,
                          double age_trend) {
   return (VerdictInput){.t = t,
                         .horizon_s = 2,
                         .in_rate = in,
                         .out_rate = out,
                         .backlog = backlog,
                         .trend = trend,
                         .oldest_age_s = age,
                         .age_trend = age_trend};
}

static void classify__fresh_backlog__keeping_up(void** state) {
   (void)state;
   VerdictCause c;
   VerdictInput in = input(0, 200e3, 200e3, 3000, 0, 0.004, 0);
   assert_int_equal(Verdict_classify(&in, &c), VERDICT_KEEPING_UP);
   assert_int_equal(c, CAUSE_FRESH);
}

static void classify__young_but_growing_backlog__falling_behind(void** state) {
   (void)state;
   VerdictCause c;
   /* in 200k, out 172k: the backlog is only half a second old but grows 28k records/s */
   VerdictInput in = input(0, 200e3, 172e3, 112e3, 28e3, 0.56, 0.3);
   assert_int_equal(Verdict_classify(&in, &c), VERDICT_FALLING_BEHIND);
   assert_int_equal(c, CAUSE_GROWING);
}

static void classify__young_shrinking_backlog__keeping_up(void** state) {
   (void)state;
   VerdictCause c;
   VerdictInput in = input(0, 100e3, 150e3, 20e3, -50e3, 0.2, -0.1);
   assert_int_equal(Verdict_classify(&in, &c), VERDICT_KEEPING_UP);
   assert_int_equal(c, CAUSE_FRESH);
}

static void classify__old_growing_backlog__falling_behind(void** state) {
   (void)state;
   VerdictCause c;
   VerdictInput in = input(0, 200e3, 120e3, 1e6, 80e3, 5, 0.4);
   assert_int_equal(Verdict_classify(&in, &c), VERDICT_FALLING_BEHIND);
   assert_int_equal(c, CAUSE_GROWING);
}

static void classify__old_shrinking_backlog__catching_up(void** state) {
   (void)state;
   VerdictCause c;
   VerdictInput in = input(0, 100e3, 400e3, 1e6, -300e3, 5, -0.8);
   assert_int_equal(Verdict_classify(&in, &c), VERDICT_CATCHING_UP);
   assert_int_equal(c, CAUSE_SHRINKING);
}

static void classify__trend_inside_the_noise_band__steady(void** state) {
   (void)state;
   VerdictCause c;
   /* 1% of the traffic is noise, not a trend (the band is 2%) */
   VerdictInput in = input(0, 200e3, 200e3, 1e6, 2e3, 5, 0.01);
   assert_int_equal(Verdict_classify(&in, &c), VERDICT_KEEPING_UP);
   assert_int_equal(c, CAUSE_STEADY);
   /* 5% is a trend */
   in.trend = 10e3;
   assert_int_equal(Verdict_classify(&in, &c), VERDICT_FALLING_BEHIND);
}

static void classify__flat_backlog_with_aging_records__falling_behind(void** state) {
   (void)state;
   VerdictCause c;
   /* --overflow block at the cap: the backlog cannot grow, the records get older */
   VerdictInput in = input(0, 120e3, 120e3, 4e6, 0, 30, 1.0);
   assert_int_equal(Verdict_classify(&in, &c), VERDICT_FALLING_BEHIND);
   assert_int_equal(c, CAUSE_AGING);
}

static void classify__dropping__falling_behind_even_when_fresh(void** state) {
   (void)state;
   VerdictCause c;
   VerdictInput in = input(0, 200e3, 120e3, 1000, 0, 0.01, 0);
   in.drop_rate = 80e3;
   assert_int_equal(Verdict_classify(&in, &c), VERDICT_FALLING_BEHIND);
   assert_int_equal(c, CAUSE_DROPPING);
}

static void update__first_measurement__shown_at_once(void** state) {
   (void)state;
   Verdict v;
   Verdict_init(&v);
   assert_int_equal(v.state, VERDICT_STARTING);
   VerdictInput in = input(5 * S, 200e3, 120e3, 1e6, 80e3, 5, 0.4);
   Verdict_update(&v, &in);
   assert_int_equal(v.state, VERDICT_FALLING_BEHIND);
   assert_int_equal(v.since, 5 * S);
}

static void update__flapping_input__does_not_flicker(void** state) {
   (void)state;
   Verdict v;
   Verdict_init(&v);
   VerdictInput behind = input(0, 200e3, 120e3, 1e6, 80e3, 5, 0.4);
   VerdictInput catching = input(0, 100e3, 400e3, 1e6, -300e3, 5, -0.8);
   Verdict_update(&v, &behind);
   /* alternate every 400 ms for 10 s: never held for 1.5 s, so never shown */
   for (int i = 1; i <= 25; i++) {
      VerdictInput in = (i % 2) ? catching : behind;
      in.t = i * 400 * MS;
      Verdict_update(&v, &in);
      assert_int_equal(v.state, VERDICT_FALLING_BEHIND);
   }
   assert_int_equal(v.since, 0);
}

static void update__held_change__shown_and_dated_from_when_it_began(void** state) {
   (void)state;
   Verdict v;
   Verdict_init(&v);
   VerdictInput in = input(0, 200e3, 120e3, 1e6, 80e3, 5, 0.4);
   Verdict_update(&v, &in);
   VerdictInput c = input(10 * S, 100e3, 400e3, 1e6, -300e3, 5, -0.8);
   Verdict_update(&v, &c);
   assert_int_equal(v.state, VERDICT_FALLING_BEHIND);
   c.t = 11 * S;
   Verdict_update(&v, &c);
   assert_int_equal(v.state, VERDICT_FALLING_BEHIND);
   c.t = 11 * S + 500 * MS;
   Verdict_update(&v, &c);
   assert_int_equal(v.state, VERDICT_CATCHING_UP);
   assert_int_equal(v.since, 10 * S);
   assert_int_equal(Verdict_age(&v, 13 * S), 3 * S);
}

static void update__cause_follows_while_state_holds(void** state) {
   (void)state;
   Verdict v;
   Verdict_init(&v);
   VerdictInput in = input(0, 200e3, 120e3, 1e6, 80e3, 5, 0.4);
   Verdict_update(&v, &in);
   assert_int_equal(v.cause, CAUSE_GROWING);
   VerdictInput capped = input(S, 120e3, 120e3, 4e6, 0, 30, 1.0);
   Verdict_update(&v, &capped);
   assert_int_equal(v.state, VERDICT_FALLING_BEHIND);
   assert_int_equal(v.cause, CAUSE_AGING);
   assert_int_equal(v.since, 0);
}

static HistorySample sample(int64_t t, double backlog, double in, double out, double age) {
   HistorySample s;
   memset(&s, 0, sizeof s);
   s.t = t;
   s.backlog = backlog;
   s.in_rate = in;
   s.out_rate = out;
   s.oldest_age_s = age;
   return s;
}

static void measure__trend_over_the_horizon(void** state) {
   (void)state;
   HistorySample s[41];
   /* 4 s of 100 ms samples: the backlog grows 50k records per second */
   for (int i = 0; i <= 40; i++)
      s[i] = sample(i * 100 * MS, 50e3 * i / 10.0, 150e3, 100e3, 0.1 * i);
   VerdictInput in;
   assert_true(Verdict_measure(s, 41, 2 * S, &in));
   assert_float_equal(in.horizon_s, 2, 1e-9);
   assert_float_equal(in.trend, 50e3, 1e-6);
   assert_float_equal(in.in_rate, 150e3, 1e-6);
   assert_float_equal(in.out_rate, 100e3, 1e-6);
   assert_float_equal(in.age_trend, 1, 1e-9);
   assert_float_equal(in.backlog, 200e3, 1e-6);
   assert_int_equal(in.t, 4 * S);
}

static void measure__too_little_history__not_yet(void** state) {
   (void)state;
   HistorySample s[3] = {sample(0, 0, 0, 0, 0), sample(100 * MS, 0, 0, 0, 0), sample(200 * MS, 0, 0, 0, 0)};
   VerdictInput in;
   assert_false(Verdict_measure(s, 3, 2 * S, &in));
   assert_false(Verdict_measure(s, 1, 2 * S, &in));
}

static void measure__burst_period_horizon__averages_burst_and_drain(void** state) {
   (void)state;
   /* a burst of 50k every 10 s drained in 3 s: over the 1 s windows the
    * samples carry, arrival spikes and completion follows; over a whole
    * period both average 5k records/s, so the trend is zero */
   HistorySample s[301];
   for (int i = 0; i <= 300; i++) {
      int phase = i % 100; /* 100 ms ticks */
      double in = phase < 10 ? 50e3 : 0;
      double out = phase < 30 ? 50e3 / 3 : 0;
      double backlog = phase < 30 ? 50e3 * (30 - phase) / 30.0 : 0;
      s[i] = sample(i * 100 * MS, backlog, in, out, phase < 30 ? 0.1 * phase : 0);
   }
   VerdictInput in;
   assert_true(Verdict_measure(s, 301, 10 * S, &in));
   assert_float_equal(in.in_rate, 5e3, 1e-6);
   assert_float_equal(in.out_rate, 5e3, 1e-6);
   assert_float_equal(in.trend, 0, 1e-6);
   VerdictCause c;
   assert_int_equal(Verdict_classify(&in, &c), VERDICT_KEEPING_UP);
   /* over 2 s, a burst that just arrived reads as growth: hence the horizon of one period */
   assert_true(Verdict_measure(s, 206, 2 * S, &in));
   assert_true(in.trend > 1e3);
}

static void measure__drops_count_against_the_trend(void** state) {
   (void)state;
   HistorySample s[21];
   for (int i = 0; i <= 20; i++) {
      s[i] = sample(i * 100 * MS, 4e6, 200e3, 120e3, 3);
      s[i].drop_rate = 80e3; /* the samples carry the drops of their window */
   }
   VerdictInput in;
   assert_true(Verdict_measure(s, 21, 2 * S, &in));
   assert_float_equal(in.trend, 0, 1e-6);
   assert_float_equal(in.drop_rate, 80e3, 0);
   VerdictCause c;
   assert_int_equal(Verdict_classify(&in, &c), VERDICT_FALLING_BEHIND);
   assert_int_equal(c, CAUSE_DROPPING);
}

static void reason__says_the_numbers_with_units(void** state) {
   (void)state;
   Verdict v;
   Verdict_init(&v);
   char buf[160];
   Verdict_reason(&v, buf, sizeof buf);
   assert_non_null(strstr(buf, "measuring"));
   VerdictInput in = input(0, 200e3, 120e3, 1e6, 80e3, 5, 0.4);
   Verdict_update(&v, &in);
   Verdict_reason(&v, buf, sizeof buf);
   assert_string_equal(buf, "arriving 200k rec/s > processed 120k rec/s: backlog +80.0k rec/s");
   VerdictInput c = input(0, 100e3, 400e3, 1.5e6, -300e3, 5, -0.8);
   Verdict_init(&v);
   Verdict_update(&v, &c);
   Verdict_reason(&v, buf, sizeof buf);
   assert_string_equal(buf, "processed 400k rec/s > arriving 100k rec/s: backlog -300k rec/s");
   VerdictInput capped = input(0, 120e3, 120e3, 4e6, 0, 30, 1.0);
   Verdict_init(&v);
   Verdict_update(&v, &capped);
   Verdict_reason(&v, buf, sizeof buf);
   assert_string_equal(buf, "backlog stuck at 4.00M rec, oldest 30.0 s old and aging");
}

static void name__readable_words(void** state) {
   (void)state;
   assert_string_equal(Verdict_name(VERDICT_KEEPING_UP), "KEEPING UP");
   assert_string_equal(Verdict_name(VERDICT_FALLING_BEHIND), "FALLING BEHIND");
   assert_string_equal(Verdict_name(VERDICT_CATCHING_UP), "CATCHING UP");
   /* one word each for a status line's column */
   assert_string_equal(Verdict_word(VERDICT_STARTING), "MEASURING");
   assert_string_equal(Verdict_word(VERDICT_KEEPING_UP), "KEEPING");
   assert_string_equal(Verdict_word(VERDICT_FALLING_BEHIND), "FALLING");
   assert_string_equal(Verdict_word(VERDICT_CATCHING_UP), "CATCHING");
}

/* Case 1: the source held back at the cap (the backlog flat at it) while its schedule offers more than the
 * workers do: falling behind, and the reason says how far behind its schedule the source is. */
static void classify__held_back_source__falling_behind(void** state) {
   (void)state;
   VerdictInput in = input(0, 219e3, 151e3, 683e3, 68e3, 7.3, 1.0);
   in.held_back = 1.05e6;
   in.held_back_s = 4.6;
   VerdictCause c;
   assert_int_equal(Verdict_classify(&in, &c), VERDICT_FALLING_BEHIND);
   assert_int_equal(c, CAUSE_HELD);
   Verdict v;
   Verdict_init(&v);
   Verdict_update(&v, &in);
   char buf[200];
   Verdict_reason(&v, buf, sizeof buf);
   /* the held-back source first: on a narrow terminal it is the part of the line that must show */
   assert_string_equal(buf, "source held back: 1.05M records behind its schedule, 4.60 s; arriving 219k rec/s > "
                            "processed 151k rec/s: +68.0k rec/s behind");
}

/* Case 2: once the input has ended there is no arrival rate to compare: INPUT ENDED while records wait,
 * then DONE, each at once (a fact, not a measurement to hold), never FALLING BEHIND or CATCHING UP. */
static void update__ended_input__input_ended_then_done_at_once(void** state) {
   (void)state;
   Verdict v;
   Verdict_init(&v);
   VerdictInput in = input(0, 10e3, 10e3, 100, 0, 0.01, 0);
   Verdict_update(&v, &in);
   assert_int_equal(v.state, VERDICT_KEEPING_UP);
   /* nothing arrives any more, 4.74k processed a second: the old verdict said FALLING BEHIND
    * ("arriving 0 < processed 4.74k: backlog +4.74k") or CATCHING UP */
   VerdictInput ended = input(S, 0, 4.74e3, 9.48e3, -4.74e3, 2, -0.5);
   ended.ended = true;
   Verdict_update(&v, &ended);
   assert_int_equal(v.state, VERDICT_INPUT_ENDED);
   assert_int_equal(v.since, S);
   char buf[200];
   Verdict_reason(&v, buf, sizeof buf);
   assert_string_equal(buf, "no more input: 9.48k queued, empty in ~2.00 s at 4.74k rec/s (prediction)");
   VerdictInput done = input(3 * S, 0, 0, 0, 0, 0, 0);
   done.ended = true;
   Verdict_update(&v, &done);
   assert_int_equal(v.state, VERDICT_DONE);
   assert_string_equal(Verdict_name(v.state), "DONE");
   assert_string_equal(Verdict_word(VERDICT_INPUT_ENDED), "ENDED");
}

/* An input that stopped on an error did not end: REPLAY FAILED at once and for good, even with an empty
 * backlog (the old verdict said DONE, "every record is done", beside the replay's error), and the
 * history flag carries it from the engine to the verdict. */
static void update__failed_input__replay_failed_not_done(void** state) {
   (void)state;
   Verdict v;
   Verdict_init(&v);
   VerdictInput in = input(0, 10e3, 10e3, 100, 0, 0.01, 0);
   Verdict_update(&v, &in);
   VerdictInput failed = input(S, 0, 0, 0, 0, 0, 0);
   failed.ended = true;
   failed.failed = true;
   Verdict_update(&v, &failed);
   assert_int_equal(v.state, VERDICT_FAILED);
   assert_int_equal(v.since, S);
   assert_string_equal(Verdict_name(v.state), "REPLAY FAILED");
   assert_string_equal(Verdict_word(v.state), "FAILED");
   char buf[200];
   Verdict_reason(&v, buf, sizeof buf);
   assert_string_equal(buf, "the input stopped on an error before its end (see the errors); 0 still queued");
   HistorySample h[2] = {{.t = 0}, {.t = S, .flags = HISTORY_SOURCE_DONE | HISTORY_SOURCE_FAILED}};
   VerdictInput measured;
   assert_true(Verdict_measure(h, 2, VERDICT_HORIZON_NS, &measured));
   assert_true(measured.failed);
   assert_int_equal(Verdict_classify(&measured, NULL), VERDICT_FAILED);
}

/* Case 6: while a new state has not held long enough to be shown, the reason line must not print the
 * new numbers under the old state's words ("FALLING BEHIND ... arriving 28.3k < processed 35.1k:
 * backlog +6.80k rec/s"): the numbers and the words agree, and the line says which state is coming. */
static void reason__numbers_agree_with_the_words_while_the_state_holds(void** state) {
   (void)state;
   Verdict v;
   Verdict_init(&v);
   VerdictInput behind = input(0, 200e3, 120e3, 1e6, 80e3, 5, 0.4);
   Verdict_update(&v, &behind);
   VerdictInput catching = input(S, 28.3e3, 35.1e3, 1e6, -6.8e3, 5, -0.8);
   Verdict_update(&v, &catching);
   assert_int_equal(v.state, VERDICT_FALLING_BEHIND);
   char buf[200];
   Verdict_reason(&v, buf, sizeof buf);
   assert_null(strstr(buf, "backlog +"));
   assert_string_equal(buf, "processed 35.1k rec/s > arriving 28.3k rec/s: backlog -6.80k rec/s (CATCHING UP if it holds)");
   /* and the other way: KEEPING UP shown while the newest numbers grow */
   Verdict_init(&v);
   VerdictInput fresh = input(0, 20e3, 20e3, 0, 0, 0.01, 0);
   Verdict_update(&v, &fresh);
   VerdictInput growing = input(S, 28.3e3, 23.7e3, 50e3, 4.6e3, 0.5, 0.5);
   Verdict_update(&v, &growing);
   assert_int_equal(v.state, VERDICT_KEEPING_UP);
   Verdict_reason(&v, buf, sizeof buf);
   assert_string_equal(buf, "arriving 28.3k rec/s > processed 23.7k rec/s: backlog +4.60k rec/s (FALLING BEHIND if it holds)");
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(classify__fresh_backlog__keeping_up),
       cmocka_unit_test(classify__young_but_growing_backlog__falling_behind),
       cmocka_unit_test(classify__young_shrinking_backlog__keeping_up),
       cmocka_unit_test(classify__old_growing_backlog__falling_behind),
       cmocka_unit_test(classify__old_shrinking_backlog__catching_up),
       cmocka_unit_test(classify__trend_inside_the_noise_band__steady),
       cmocka_unit_test(classify__flat_backlog_with_aging_records__falling_behind),
       cmocka_unit_test(classify__dropping__falling_behind_even_when_fresh),
       cmocka_unit_test(update__first_measurement__shown_at_once),
       cmocka_unit_test(update__flapping_input__does_not_flicker),
       cmocka_unit_test(update__held_change__shown_and_dated_from_when_it_began),
       cmocka_unit_test(update__cause_follows_while_state_holds),
       cmocka_unit_test(measure__trend_over_the_horizon),
       cmocka_unit_test(measure__too_little_history__not_yet),
       cmocka_unit_test(measure__burst_period_horizon__averages_burst_and_drain),
       cmocka_unit_test(measure__drops_count_against_the_trend),
       cmocka_unit_test(reason__says_the_numbers_with_units),
       cmocka_unit_test(name__readable_words),
       cmocka_unit_test(classify__held_back_source__falling_behind),
       cmocka_unit_test(update__ended_input__input_ended_then_done_at_once),
       cmocka_unit_test(update__failed_input__replay_failed_not_done),
       cmocka_unit_test(reason__numbers_agree_with_the_words_while_the_state_holds),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
