/* test_footprint.c: the memory lesson's table: bytes per record added since the layout was set, a new span on a
 * switch or a shrinking backlog, the predicted fill time, the caption and the whole backlog's RSS per record. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/footprint.h"

#define MB (UINT64_C(1) << 20)

/* A snapshot: the layout, the backlog (records and accounted bytes) and the RSS, under a 256 MiB cap. */
static Snapshot snap(RecordLayout l, uint64_t records, uint64_t bytes, uint64_t rss) {
   Snapshot s;
   memset(&s, 0, sizeof s);
   Knobs_initDefaults(&s.knobs);
   s.knobs.layout = l;
   s.knobs.max_backlog_records = 0;
   s.knobs.max_backlog_bytes = 256 * MB;
   s.backlog_records = records;
   s.backlog_bytes = bytes;
   s.rss_bytes = rss;
   s.rss_start_bytes = 10 * MB;
   return s;
}

/* Packed, then boxed after a switch: each row is the growth over the records added in its own span, not the
 * whole backlog's mix (the packed records queued before the switch stay packed). */
static void footprint__switch__measures_the_records_added_since(void** state) {
   (void)state;
   Footprint f;
   Footprint_init(&f);
   char l1[256], l2[256];
   assert_false(Footprint_caption(&f, l1, l2, sizeof l1));
   Snapshot s = snap(LAYOUT_PACKED, 1000, 32000, 20 * MB);
   Footprint_update(&f, &s, 300000);
   s = snap(LAYOUT_PACKED, 11000, 32000 + 10000 * 33, 20 * MB + 10000 * 35);
   Footprint_update(&f, &s, 300000);
   assert_false(f.row[LAYOUT_PACKED].measured); /* 10k records added: too few to take */
   s = snap(LAYOUT_PACKED, 101000, 32000 + 100000 * 33, 20 * MB + 100000 * 35);
   Footprint_update(&f, &s, 300000);
   assert_true(f.row[LAYOUT_PACKED].measured);
   assert_float_equal(f.row[LAYOUT_PACKED].bytes, 33, 1e-9);
   assert_float_equal(f.row[LAYOUT_PACKED].rss, 35, 1e-9);
   assert_true(Footprint_caption(&f, l1, l2, sizeof l1));
   assert_non_null(strstr(l1, "35 B packed"));
   assert_non_null(strstr(l2, "Predicted"));
   /* the switch: 101k packed records stay queued; 100k boxed ones are added */
   uint64_t b0 = 32000 + 100000 * 33, r0 = 20 * MB + 100000 * 35;
   s = snap(LAYOUT_BOXED, 101000, b0, r0);
   Footprint_update(&f, &s, 300000);
   s = snap(LAYOUT_BOXED, 201000, b0 + 100000 * 248, r0 + 100000 * 252);
   Footprint_update(&f, &s, 300000);
   assert_float_equal(f.row[LAYOUT_BOXED].bytes, 248, 1e-9);
   assert_float_equal(f.row[LAYOUT_BOXED].rss, 252, 1e-9);
   assert_float_equal(f.row[LAYOUT_PACKED].rss, 35, 1e-9); /* kept */
   /* an empty queue fills 256 MiB at 300k records/s: 252 B boxed, 35 B packed */
   assert_float_equal(Footprint_fillSeconds(&f, LAYOUT_BOXED), 256.0 * MB / (252 * 300000.0), 1e-9);
   assert_float_equal(Footprint_fillSeconds(&f, LAYOUT_PACKED), 256.0 * MB / (35 * 300000.0), 1e-9);
   assert_true(Footprint_caption(&f, l1, l2, sizeof l1));
   assert_non_null(strstr(l1, "252 B boxed, 35 B packed: 7.2x"));
   assert_non_null(strstr(l1, "300 MB against 30 MB"));
   assert_non_null(strstr(l2, "boxed"));
}

/* A backlog that shrank (drained, or dropped) begins a new span: the bytes it lost are no record's. */
static void footprint__shrinking_backlog__begins_a_new_span(void** state) {
   (void)state;
   Footprint f;
   Footprint_init(&f);
   Snapshot s = snap(LAYOUT_BOXED, 500000, 500000 * 248, 200 * MB);
   Footprint_update(&f, &s, 100000);
   s = snap(LAYOUT_BOXED, 100000, 100000 * 248, 200 * MB); /* the RSS stays: freed memory is kept by malloc */
   Footprint_update(&f, &s, 100000);
   s = snap(LAYOUT_BOXED, 150000, 150000 * 248, 200 * MB + 50000 * 250);
   Footprint_update(&f, &s, 100000);
   assert_true(f.row[LAYOUT_BOXED].measured);
   assert_float_equal(f.row[LAYOUT_BOXED].rss, 250, 1e-9);
   assert_false(f.row[LAYOUT_PACKED].measured);
   /* at the cap the backlog stops growing: the prediction keeps the growth it had while it grew */
   double t = Footprint_fillSeconds(&f, LAYOUT_BOXED);
   assert_float_equal(t, 256.0 * MB / (250 * 100000.0), 1e-9);
   Footprint_update(&f, &s, 0);
   assert_float_equal(Footprint_fillSeconds(&f, LAYOUT_BOXED), t, 1e-9);
   /* no byte cap: never fills */
   s.knobs.max_backlog_records = 1000000;
   Footprint_update(&f, &s, 100000);
   assert_true(isinf(Footprint_fillSeconds(&f, LAYOUT_BOXED)));
}

/* The whole backlog's bytes per record by the RSS, as bench_memory measures it: the growth since the engine
 * started over the records queued. */
static void footprint__rss_per_record__is_the_growth_over_the_queue(void** state) {
   (void)state;
   Snapshot s = snap(LAYOUT_PACKED, 1000000, 33000000, 10 * MB + 34000000);
   assert_float_equal(Footprint_rssPerRecord(&s), 34, 1e-9);
   s.backlog_records = 0;
   assert_float_equal(Footprint_rssPerRecord(&s), 0, 0);
   s = snap(LAYOUT_PACKED, 10, 320, 5 * MB); /* below the start: 0, not a negative */
   assert_float_equal(Footprint_rssPerRecord(&s), 0, 0);
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(footprint__switch__measures_the_records_added_since),
       cmocka_unit_test(footprint__shrinking_backlog__begins_a_new_span),
       cmocka_unit_test(footprint__rss_per_record__is_the_growth_over_the_queue),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
