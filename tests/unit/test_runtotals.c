/*
 * test_runtotals.c: src/core/runtotals.c. A run that starts a new pipeline
 * must still account for every record: what the ended one left waiting is
 * dropped with its reason, and the identity holds over the whole run.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/runtotals.h"

/* A conserved snapshot: g generated, p processed, f filtered, d dropped (oldest), q queued, i in flight. */
static Snapshot runtotals_snap(uint64_t p, uint64_t f, uint64_t d, uint64_t q, uint64_t i) {
   Snapshot s;
   memset(&s, 0, sizeof s);
   s.processed = p;
   s.filtered = f;
   s.filtered_by[0] = f;
   s.dropped = d;
   s.dropped_by[DROP_OLDEST] = d;
   s.queued = q;
   s.in_flight = i;
   s.generated = p + f + d + q + i;
   s.offered = s.generated + 7; /* 7 held back, never admitted */
   s.held_back = 7;
   s.uptime_s = 2.5;
   s.stage[0].records = p + f;
   s.stage[0].ns = 1000;
   return s;
}

static void runtotals__nothing_carried__leaves_the_snapshot_alone(void** state) {
   (void)state;
   RunTotals t;
   memset(&t, 0, sizeof t);
   Snapshot s = runtotals_snap(10, 2, 1, 3, 4), before = s;
   RunTotals_apply(&t, &s);
   assert_memory_equal(&s, &before, sizeof s);
}

static void runtotals__what_waited__is_dropped_with_its_reason(void** state) {
   (void)state;
   RunTotals t;
   memset(&t, 0, sizeof t);
   Snapshot ended = runtotals_snap(100, 20, 5, 300, 64);
   assert_int_equal(RunTotals_add(&t, &ended), 364);
   assert_int_equal(t.sum.dropped_by[DROP_SWITCH], 364);
   assert_int_equal(t.sum.dropped_by[DROP_OLDEST], 5);
   assert_int_equal(t.sum.dropped, 369);
   assert_int_equal(t.pipelines, 1);
}

static void runtotals__two_switches__conserve_over_the_whole_run(void** state) {
   (void)state;
   RunTotals t;
   memset(&t, 0, sizeof t);
   Snapshot a = runtotals_snap(100, 20, 5, 300, 64), b = runtotals_snap(1000, 0, 0, 12, 0);
   RunTotals_add(&t, &a);
   RunTotals_add(&t, &b);
   Snapshot live = runtotals_snap(50, 1, 0, 9, 2);
   RunTotals_apply(&t, &live);
   assert_true(Snapshot_conserved(&live));
   assert_int_equal(live.generated, 489 + 1012 + 62);
   /* the live pipeline's waiting records stay queued: only ended pipelines' are dropped */
   assert_int_equal(live.queued, 9);
   assert_int_equal(live.in_flight, 2);
   assert_int_equal(live.dropped_by[DROP_SWITCH], 364 + 12);
   uint64_t by = 0;
   for (int r = 0; r < DROP_LAST; r++)
      by += live.dropped_by[r];
   assert_int_equal(by, live.dropped);
   assert_int_equal(live.stage[0].records, 120 + 1000 + 51);
   assert_float_equal(live.uptime_s, 7.5, 1e-9);
   /* held back records were never admitted: the offered count of ended pipelines is what they generated */
   assert_int_equal(live.offered, 489 + 1012 + 62 + 7);
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(runtotals__nothing_carried__leaves_the_snapshot_alone),
       cmocka_unit_test(runtotals__what_waited__is_dropped_with_its_reason),
       cmocka_unit_test(runtotals__two_switches__conserve_over_the_whole_run),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
