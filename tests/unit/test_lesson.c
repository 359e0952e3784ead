/* test_lesson.c: the lessons' checkpoints and before/after tables, from synthetic snapshots. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/lesson.h"

#define MS INT64_C(1000000)

/* What the snapshots of one stretch say. */
typedef struct Figures {
   double out, in;      /* records/s done, offered */
   double oldest_s;     /* the oldest record's age */
   uint64_t backlog;
   double p99_ms;
   double busy;         /* workers' CPUs */
   VerdictState verdict;
   uint64_t dropped;    /* cumulative */
   uint64_t held_back;
   double held_s;
} Figures;

typedef struct Feed {
   Lesson lesson;
   Knobs knobs;
   int64_t t_ms;
   uint64_t seq;
   Snapshot s;
} Feed;

static void feed_init(Feed* f, int scenario) {
   memset(f, 0, sizeof *f);
   Knobs_initDefaults(&f->knobs);
   Lesson_init(&f->lesson, scenario);
   f->t_ms = 1000;
}

/* n snapshots 100 ms apart with the knobs now and these figures. */
static void feed(Feed* f, int n, const Figures* x) {
   for (int i = 0; i < n; i++) {
      Snapshot* s = &f->s;
      memset(s, 0, sizeof *s);
      s->seq = ++f->seq;
      s->t = f->t_ms * MS;
      s->knobs = f->knobs;
      s->ncpu = 2;
      s->out_rate = x->out;
      s->in_rate = x->in;
      s->oldest_age_ns = (int64_t)(x->oldest_s * 1e9);
      s->backlog_records = x->backlog;
      s->latency_window.p99 = (uint64_t)(x->p99_ms * 1e6);
      s->latency_window.count = x->p99_ms > 0 ? 1000 : 0;
      s->busy = x->busy;
      s->dropped = x->dropped;
      s->held_back = x->held_back;
      s->held_back_age_ns = (int64_t)(x->held_s * 1e9);
      /* stage 4 (feature) takes the time; partition 3 (sensor 17) is the hot one */
      s->stage[STAGE_FEATURE].share = 0.85;
      s->stage[STAGE_FILTER].share = 0.05;
      s->part_busy[3] = 0.97;
      s->part_busy[5] = 0.10;
      s->part_sensor[3] = 17;
      Verdict v;
      Verdict_init(&v);
      v.state = x->verdict;
      v.last.in_rate = x->in;
      v.last.out_rate = x->out;
      Lesson_update(&f->lesson, s, &v);
      f->t_ms += 100;
   }
}

static bool caption(const Feed* f, char l0[LESSON_LINE], char l1[LESSON_LINE]) {
   return Lesson_caption(&f->lesson, l0, l1, LESSON_LINE);
}

/* Every line of the table but the conclusion fits the caption's 76 columns at 80x24. */
static int table(const Feed* f, char lines[LESSON_TABLE_ROWS][LESSON_LINE]) {
   int n = Lesson_table(&f->lesson, lines, LESSON_TABLE_ROWS);
   for (int i = 1; i < n; i++)
      assert_true(strlen(lines[i]) <= 76);
   return n;
}

static void lecture__falls_behind_then_keeps_up__quotes_the_backlogs_age_before_and_after(void** state) {
   (void)state;
   Feed f;
   feed_init(&f, SCENARIO_LECTURE);
   f.knobs.arrival = ARRIVAL_BURST; /* the rates quoted are the verdict's, over whole burst periods */
   char l0[LESSON_LINE], l1[LESSON_LINE], t[LESSON_TABLE_ROWS][LESSON_LINE];
   Figures behind = {.out = 10000, .in = 30000, .oldest_s = 12.5, .backlog = 200000, .p99_ms = 9000,
                     .verdict = VERDICT_FALLING_BEHIND};
   feed(&f, 10, &behind); /* in the settle: nothing measured, the scenario's own caption stands */
   assert_false(caption(&f, l0, l1));
   feed(&f, 10, &behind);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "Measured: it falls behind: the oldest record is 12.5 s old; 10.0k rec/s done of 30.0k "
                           "offered.");
   assert_string_equal(l1, "feature takes 85% of the time: press 4 to optimize it.");
   behind.oldest_s = 20;
   feed(&f, 1, &behind);
   /* the big stage optimized: the age before and now */
   f.knobs.variant[STAGE_FEATURE] = VARIANT_OPTIMIZED;
   Figures drain = {.out = 80000, .in = 30000, .oldest_s = 6, .backlog = 50000, .p99_ms = 20000,
                    .verdict = VERDICT_CATCHING_UP};
   feed(&f, 20, &drain);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "You optimized feature: the oldest record was 20.0 s old, now 6.00 s.");
   assert_string_equal(l1, "The backlog drains: the verdict compares whole burst periods, wait for it.");
   assert_false(Lesson_ended(&f.lesson));
   assert_int_equal(table(&f, t), 0);
   /* drained, while the verdict (whole burst periods, held 1.5 s) still says what the last period did */
   Figures empty = {.out = 30000, .in = 30000, .verdict = VERDICT_FALLING_BEHIND};
   feed(&f, 2, &empty);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "You optimized feature: the oldest record was 20.0 s old, now 0 s.");
   assert_string_equal(l1, "The backlog is empty; the verdict judges whole burst periods: wait for it.");
   Figures kept = {.out = 30000, .in = 30000, .oldest_s = 0.2, .backlog = 100, .p99_ms = 150,
                   .verdict = VERDICT_KEEPING_UP};
   feed(&f, 5, &kept);
   assert_true(Lesson_ended(&f.lesson));
   assert_int_equal(table(&f, t), LESSON_TABLE_ROWS);
   assert_string_equal(t[0], "Slowness was failure; optimizing feature (85% of the time) fixed it. Measured:");
   assert_non_null(strstr(t[1], "rec/s"));
   assert_non_null(strstr(t[1], "oldest"));
   assert_non_null(strstr(t[2], "before naive"));
   assert_non_null(strstr(t[2], "20.0 s"));
   assert_non_null(strstr(t[2], "FALLING"));
   assert_non_null(strstr(t[3], "after 4 optimized"));
   assert_non_null(strstr(t[3], "200 ms"));
   assert_non_null(strstr(t[3], "KEEPING"));
   /* between bursts the verdict may say otherwise for a while, and no record completes: the table stays,
    * with the last p99 measured */
   Figures idle = {.out = 0, .in = 30000, .verdict = VERDICT_FALLING_BEHIND};
   feed(&f, 10, &idle);
   assert_true(Lesson_ended(&f.lesson));
   assert_int_equal(table(&f, t), LESSON_TABLE_ROWS);
   assert_non_null(strstr(t[3], "150 ms"));
   /* a new setting: its checkpoint first */
   f.knobs.variant[STAGE_FILTER] = VARIANT_OPTIMIZED;
   feed(&f, 1, &kept);
   assert_false(Lesson_ended(&f.lesson));
}

static void lecture__a_small_stage_first__points_at_the_big_one(void** state) {
   (void)state;
   Feed f;
   feed_init(&f, SCENARIO_LECTURE);
   char l0[LESSON_LINE], l1[LESSON_LINE];
   Figures behind = {.out = 10000, .in = 30000, .oldest_s = 12, .backlog = 200000, .verdict = VERDICT_FALLING_BEHIND};
   feed(&f, 20, &behind);
   f.knobs.variant[STAGE_FILTER] = VARIANT_OPTIMIZED;
   behind.oldest_s = 15;
   feed(&f, 20, &behind);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "1 optimized: the oldest record was 12.0 s old, now 15.0 s: it falls behind.");
   assert_string_equal(l1, "The big share is feature (85% of the time): press 4.");
   assert_false(Lesson_ended(&f.lesson));
}

static void batching__each_batch_size_against_the_last__and_the_tradeoff_from_the_points(void** state) {
   (void)state;
   Feed f;
   feed_init(&f, SCENARIO_BATCHING);
   f.knobs.batch = 1;
   char l0[LESSON_LINE], l1[LESSON_LINE], t[LESSON_TABLE_ROWS][LESSON_LINE];
   Figures b1 = {.out = 2000, .in = 10000, .oldest_s = 5, .p99_ms = 4000, .verdict = VERDICT_FALLING_BEHIND};
   feed(&f, 20, &b1);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "Batch 1: 2.00k rec/s done of 10.0k offered, p99 4.00 s: it falls behind.");
   f.knobs.batch = 8;
   Figures b8 = {.out = 10000, .in = 10000, .oldest_s = 0.01, .p99_ms = 12, .verdict = VERDICT_KEEPING_UP};
   feed(&f, 20, &b8);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "Batch 8: 10.0k rec/s done (batch 1: 2.00k), p99 12.0 ms (was 4.00 s).");
   assert_string_equal(l1, "Measured: batch 1 falls behind; batch 8 keeps pace, p99 12.0 ms.");
   assert_false(Lesson_ended(&f.lesson)); /* two sizes: not yet the trade-off's three */
   f.knobs.batch = 64;
   Figures b64 = {.out = 10000, .in = 10000, .oldest_s = 0.1, .p99_ms = 90, .verdict = VERDICT_KEEPING_UP};
   feed(&f, 20, &b64);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l1, "Measured: batch 1 falls behind; batch 8 keeps pace, p99 12.0 ms; batch 64 adds latency: "
                           "p99 90.0 ms.");
   assert_true(Lesson_ended(&f.lesson));
   assert_int_equal(table(&f, t), LESSON_TABLE_ROWS);
   assert_string_equal(t[0], l1); /* the trade-off; then the batch size before and this one */
   assert_non_null(strstr(t[2], "before batch 8"));
   assert_non_null(strstr(t[3], "after batch 64"));
   assert_non_null(strstr(t[3], "90.0 ms"));
   /* the next batch size settling: what the last one measured */
   f.knobs.batch = 128;
   feed(&f, 3, &b64);
   assert_false(Lesson_ended(&f.lesson));
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "batch 128: measuring (from 1.5 s after the change, when the windows hold only its work).");
   assert_string_equal(l1, "Before, batch 64: 10.0k rec/s done, p99 90.0 ms, the oldest record 100 ms old.");
}

static void threads__rises_then_stops__says_the_cpus_the_workers_had(void** state) {
   (void)state;
   Feed f;
   feed_init(&f, SCENARIO_THREADS);
   f.knobs.threads = 1;
   char l0[LESSON_LINE], l1[LESSON_LINE], t[LESSON_TABLE_ROWS][LESSON_LINE];
   Figures t1 = {.out = 5000, .in = 13300, .busy = 0.98, .oldest_s = 3, .verdict = VERDICT_FALLING_BEHIND};
   feed(&f, 20, &t1);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "1 thread: 5.00k rec/s done of 13.3k offered; the workers used 1.0 CPUs.");
   f.knobs.threads = 2;
   Figures t2 = {.out = 8900, .in = 13300, .busy = 1.78, .oldest_s = 4, .verdict = VERDICT_FALLING_BEHIND};
   feed(&f, 20, &t2);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "2 threads: 8.90k rec/s done (1 thread: 5.00k, x1.78); the workers used 1.8 CPUs.");
   assert_string_equal(l1, "Press T again: does it keep rising?");
   assert_false(Lesson_ended(&f.lesson));
   f.knobs.threads = 3;
   Figures t3 = {.out = 9000, .in = 13300, .busy = 1.80, .oldest_s = 5, .verdict = VERDICT_FALLING_BEHIND};
   feed(&f, 20, &t3);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l1, "It rose to 8.90k rec/s at 2 threads, then stopped: the workers had 1.8 CPUs, no more.");
   assert_true(Lesson_ended(&f.lesson));
   assert_int_equal(table(&f, t), LESSON_TABLE_ROWS);
   assert_non_null(strstr(t[1], "workers CPU"));
   assert_non_null(strstr(t[3], "after 3 threads"));
}

static void threads__no_gain_on_a_busy_machine__says_so(void** state) {
   (void)state;
   Feed f;
   feed_init(&f, SCENARIO_THREADS);
   f.knobs.threads = 1;
   char l0[LESSON_LINE], l1[LESSON_LINE];
   Figures t1 = {.out = 2000, .in = 13300, .busy = 0.4, .verdict = VERDICT_FALLING_BEHIND};
   feed(&f, 20, &t1);
   f.knobs.threads = 2;
   feed(&f, 20, &t1);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l1, "No gain: the workers got only 0.4 CPUs here (the source and other load took the rest).");
   assert_false(Lesson_ended(&f.lesson));
}

static void skew__names_the_hot_partition_and_its_sensor(void** state) {
   (void)state;
   Feed f;
   feed_init(&f, SCENARIO_SKEW);
   f.knobs.threads = 1;
   char l0[LESSON_LINE], l1[LESSON_LINE], t[LESSON_TABLE_ROWS][LESSON_LINE];
   Figures x = {.out = 9000, .in = 12000, .busy = 0.98, .verdict = VERDICT_FALLING_BEHIND};
   feed(&f, 20, &x);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "Partition 3 (sensor 17) was busy 97% of the time; 9.00k rec/s done of 12.0k.");
   f.knobs.threads = 2;
   x.out = 9200;
   feed(&f, 20, &x);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "2 threads: 9.20k rec/s done (1 thread: 9.00k); partition 3 busy 97% (was 97%).");
   assert_string_equal(l1, "One partition is one worker at a time: a second cannot help the hot sensor 17.");
   assert_true(Lesson_ended(&f.lesson));
   assert_int_equal(table(&f, t), LESSON_TABLE_ROWS);
   assert_non_null(strstr(t[3], "97%"));
}

static void overflow__each_policy_with_what_it_cost(void** state) {
   (void)state;
   Feed f;
   feed_init(&f, SCENARIO_OVERFLOW);
   f.knobs.overflow = OVERFLOW_BLOCK;
   char l0[LESSON_LINE], l1[LESSON_LINE], t[LESSON_TABLE_ROWS][LESSON_LINE];
   Figures block = {.out = 5000, .in = 10000, .oldest_s = 3, .backlog = 50000, .held_back = 30000, .held_s = 2.5,
                    .verdict = VERDICT_FALLING_BEHIND};
   feed(&f, 20, &block);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "block: nothing dropped; the source held back 2.50 s behind its schedule (30.0k not "
                           "admitted).");
   f.knobs.overflow = OVERFLOW_DROP_OLDEST;
   Figures drop = {.out = 5000, .in = 10000, .oldest_s = 0.9, .backlog = 50000, .held_back = 30000,
                   .verdict = VERDICT_FALLING_BEHIND};
   feed(&f, 1, &drop);
   drop.dropped = 12000; /* counted from the change */
   feed(&f, 20, &drop);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "drop-oldest: 12.0k records dropped (counted); the oldest record 900 ms old: old data lost.");
   assert_non_null(strstr(l1, "Before, block: nothing dropped; the source held back 2.50 s"));
   assert_false(Lesson_ended(&f.lesson)); /* the lesson is over once every policy was tried */
   f.knobs.overflow = OVERFLOW_DROP_NEWEST;
   feed(&f, 1, &drop);
   drop.dropped = 20000;
   feed(&f, 20, &drop);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "drop-newest: 8.00k records dropped (counted); the oldest record 900 ms old: new data lost.");
   f.knobs.overflow = OVERFLOW_GROW;
   Figures grow = {.out = 5000, .in = 10000, .oldest_s = 4, .backlog = 90000, .dropped = 20000,
                   .verdict = VERDICT_FALLING_BEHIND};
   feed(&f, 20, &grow);
   assert_true(caption(&f, l0, l1) || Lesson_ended(&f.lesson));
   assert_true(Lesson_ended(&f.lesson));
   assert_int_equal(table(&f, t), LESSON_TABLE_ROWS);
   assert_non_null(strstr(t[2], "before block"));
   assert_non_null(strstr(t[2], "held 2.50 s"));
   assert_non_null(strstr(t[3], "after grow"));
   assert_non_null(strstr(t[3], "90.0k"));
   /* p again: block, tried again, is a new point; the lesson began with the first */
   f.knobs.overflow = OVERFLOW_BLOCK;
   feed(&f, 20, &block);
   assert_int_equal(f.lesson.npoints, 5);
   assert_true(Lesson_ended(&f.lesson));
   assert_int_equal(table(&f, t), LESSON_TABLE_ROWS);
   assert_non_null(strstr(t[2], "before block"));
   assert_non_null(strstr(t[3], "after block"));
   /* drop-oldest again: its old point goes, the new one comes last */
   f.knobs.overflow = OVERFLOW_DROP_OLDEST;
   feed(&f, 20, &drop);
   assert_int_equal(f.lesson.npoints, 5);
   assert_string_equal(f.lesson.point[4].label, "drop-oldest");
   assert_string_equal(f.lesson.point[3].label, "block");
   assert_string_equal(f.lesson.point[0].label, "block");
}

static void another_knob__takes_the_lesson_off_its_script(void** state) {
   (void)state;
   Feed f;
   feed_init(&f, SCENARIO_BATCHING);
   f.knobs.batch = 1;
   char l0[LESSON_LINE], l1[LESSON_LINE];
   Figures x = {.out = 2000, .in = 10000, .verdict = VERDICT_FALLING_BEHIND};
   feed(&f, 20, &x);
   uint32_t samples = f.lesson.point[0].samples;
   f.knobs.threads = 2;
   feed(&f, 20, &x);
   assert_int_equal(f.lesson.point[0].samples, samples);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "The lesson compares one knob; threads changed too, so it measures no more.");
   f.knobs.threads = 1;
   feed(&f, 1, &x);
   assert_true(caption(&f, l0, l1));
   assert_non_null(strstr(l0, "Batch 1:"));
   /* boxed records cost four times as much a record: a layout switch voids the comparison too */
   f.knobs.layout = LAYOUT_BOXED;
   feed(&f, 20, &x);
   assert_int_equal(f.lesson.point[0].samples, samples + 1);
   assert_true(caption(&f, l0, l1));
   assert_string_equal(l0, "The lesson compares one knob; layout changed too, so it measures no more.");
}

static void update__counts_a_snapshot_once_and_waits_out_the_settle(void** state) {
   (void)state;
   Feed f;
   feed_init(&f, SCENARIO_SKEW);
   Figures x = {.out = 1000, .verdict = VERDICT_KEEPING_UP};
   feed(&f, 15, &x); /* 0 .. 1.4 s: settling */
   assert_int_equal(f.lesson.point[0].samples, 0);
   feed(&f, 1, &x);
   assert_int_equal(f.lesson.point[0].samples, 1);
   Verdict v;
   Verdict_init(&v);
   v.state = VERDICT_KEEPING_UP;
   Lesson_update(&f.lesson, &f.s, &v); /* the same snapshot again */
   assert_int_equal(f.lesson.point[0].samples, 1);
   /* no lesson: structure has its own table, none has none */
   Lesson l;
   Lesson_init(&l, SCENARIO_STRUCTURE);
   Lesson_update(&l, &f.s, &v);
   char l0[LESSON_LINE], l1[LESSON_LINE];
   assert_false(Lesson_caption(&l, l0, l1, sizeof l0));
   Lesson_init(&l, SCENARIO_LAST);
   Lesson_update(&l, &f.s, &v);
   assert_false(Lesson_caption(&l, l0, l1, sizeof l0));
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(lecture__falls_behind_then_keeps_up__quotes_the_backlogs_age_before_and_after),
      cmocka_unit_test(lecture__a_small_stage_first__points_at_the_big_one),
      cmocka_unit_test(batching__each_batch_size_against_the_last__and_the_tradeoff_from_the_points),
      cmocka_unit_test(threads__rises_then_stops__says_the_cpus_the_workers_had),
      cmocka_unit_test(threads__no_gain_on_a_busy_machine__says_so),
      cmocka_unit_test(skew__names_the_hot_partition_and_its_sensor),
      cmocka_unit_test(overflow__each_policy_with_what_it_cost),
      cmocka_unit_test(another_knob__takes_the_lesson_off_its_script),
      cmocka_unit_test(update__counts_a_snapshot_once_and_waits_out_the_settle),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
