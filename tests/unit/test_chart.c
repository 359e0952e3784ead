/* test_chart.c: chart scaling, columns, event marks, glyph choice. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui/chart.h"

#define S  INT64_C(1000000000)
#define MS INT64_C(1000000)

static double sample_backlog(const HistorySample* s) {
   return s->backlog;
}

static void nice_ceil__rounds_up_to_1_2_5(void** state) {
   (void)state;
   assert_float_equal(Chart_niceCeil(0.7), 1, 1e-12);
   assert_float_equal(Chart_niceCeil(1), 1, 1e-12);
   assert_float_equal(Chart_niceCeil(1.01), 2, 1e-12);
   assert_float_equal(Chart_niceCeil(3), 5, 1e-12);
   assert_float_equal(Chart_niceCeil(5.5), 10, 1e-12);
   assert_float_equal(Chart_niceCeil(123456), 200000, 1e-6);
   assert_float_equal(Chart_niceCeil(0.0031), 0.005, 1e-12);
}

static void nice_ceil__zero_negative_or_nan__gives_one(void** state) {
   (void)state;
   assert_float_equal(Chart_niceCeil(0), 1, 0);
   assert_float_equal(Chart_niceCeil(-5), 1, 0);
   assert_float_equal(Chart_niceCeil(NAN), 1, 0);
}

static void autoscale__ignores_columns_without_data_and_respects_floor(void** state) {
   (void)state;
   double v[4] = {10, 900, 30, 40};
   bool has[4] = {true, false, true, true};
   assert_float_equal(Chart_autoscale(v, has, 4, 1), 50, 1e-9);
   assert_float_equal(Chart_autoscale(v, NULL, 4, 1), 1000, 1e-9);
   assert_float_equal(Chart_autoscale(v, has, 4, 100), 100, 1e-9);
}

static void fraction__linear_and_clamped(void** state) {
   (void)state;
   assert_float_equal(Chart_fraction(50, 200, CHART_LINEAR, 0), 0.25, 1e-12);
   assert_float_equal(Chart_fraction(500, 200, CHART_LINEAR, 0), 1, 1e-12);
   assert_float_equal(Chart_fraction(-3, 200, CHART_LINEAR, 0), 0, 1e-12);
}

static void fraction__log_scale_puts_decades_evenly(void** state) {
   (void)state;
   /* 1 us .. 1 s is six decades: 1 ms sits half way */
   assert_float_equal(Chart_fraction(1e-3, 1, CHART_LOG, 1e-6), 0.5, 1e-9);
   assert_float_equal(Chart_fraction(1e-5, 1, CHART_LOG, 1e-6), 1.0 / 6, 1e-9);
   assert_float_equal(Chart_fraction(1e-7, 1, CHART_LOG, 1e-6), 0, 1e-12);
}

static void eighths__tiny_values_stay_visible_and_full_fills_all(void** state) {
   (void)state;
   assert_int_equal(Chart_eighths(0, 4), 0);
   assert_int_equal(Chart_eighths(1e-9, 4), 1);
   assert_int_equal(Chart_eighths(0.5, 4), 16);
   assert_int_equal(Chart_eighths(1, 4), 32);
   assert_int_equal(Chart_eighths(2, 4), 32);
}

static void cell_level__splits_a_column_into_cells(void** state) {
   (void)state;
   /* 19 eighths: two full cells, then 3/8 of the third, then nothing */
   assert_int_equal(Chart_cellLevel(19, 0), 8);
   assert_int_equal(Chart_cellLevel(19, 1), 8);
   assert_int_equal(Chart_cellLevel(19, 2), 3);
   assert_int_equal(Chart_cellLevel(19, 3), 0);
}

static void glyphs__utf8_blocks_and_ascii_fallback(void** state) {
   (void)state;
   const Glyphs* u = Chart_glyphs(true);
   const Glyphs* a = Chart_glyphs(false);
   assert_true(u->utf8);
   assert_false(a->utf8);
   assert_string_equal(u->bar[8], "\xe2\x96\x88"); /* full block */
   assert_string_equal(u->bar[4], "\xe2\x96\x84"); /* lower half */
   assert_string_equal(u->bar[0], " ");
   for (int i = 0; i <= 8; i++) {
      /* every ASCII glyph is one 7-bit character */
      assert_int_equal(strlen(a->bar[i]), 1);
      assert_true((unsigned char)a->bar[i][0] < 0x80);
      assert_int_equal(strlen(a->hbar[i]), 1);
   }
   assert_string_equal(a->bar[8], "#");
}

static void span__smallest_nice_span_covering_the_wanted_time(void** state) {
   (void)state;
   assert_int_equal(Chart_span(600, 60 * S), 100 * MS);
   assert_int_equal(Chart_span(60, 60 * S), 1 * S);
   assert_int_equal(Chart_span(30, 60 * S), 2 * S);
   assert_int_equal(Chart_span(31, 60 * S), 2 * S);
   assert_int_equal(Chart_span(1, 3600 * S), 60 * S);
}

static void column_of__aligned_to_absolute_time(void** state) {
   (void)state;
   /* 1 s columns, 10 wide, ending at t = 100.5 s: column 9 is [100, 101) */
   assert_int_equal(Chart_columnOf(100 * S, 100 * S + 500 * MS, S, 10), 9);
   assert_int_equal(Chart_columnOf(99 * S + 999 * MS, 100 * S + 500 * MS, S, 10), 8);
   assert_int_equal(Chart_columnOf(91 * S, 100 * S + 500 * MS, S, 10), 0);
   assert_int_equal(Chart_columnOf(90 * S, 100 * S + 500 * MS, S, 10), -1);
   assert_int_equal(Chart_columnOf(101 * S, 100 * S + 500 * MS, S, 10), -1);
}

static void columns__max_keeps_a_spike_and_mean_averages(void** state) {
   (void)state;
   HistorySample s[6];
   memset(s, 0, sizeof s);
   const double v[6] = {1, 9, 2, 4, 4, 4};
   for (int i = 0; i < 6; i++) {
      s[i].t = 10 * S + i * 500 * MS; /* two samples per 1 s column */
      s[i].backlog = v[i];
   }
   double out[4];
   bool has[4];
   Chart_columns(s, 6, sample_backlog, CHART_MAX, s[5].t, S, 4, out, has);
   assert_false(has[0]);
   assert_true(has[1] && has[2] && has[3]);
   assert_float_equal(out[1], 9, 0);
   assert_float_equal(out[2], 4, 0);
   assert_float_equal(out[3], 4, 0);
   Chart_columns(s, 6, sample_backlog, CHART_MEAN, s[5].t, S, 4, out, has);
   assert_float_equal(out[1], 5, 1e-12);
   assert_float_equal(out[2], 3, 1e-12);
   assert_float_equal(out[3], 4, 1e-12);
   Chart_columns(s, 6, sample_backlog, CHART_LAST, s[5].t, S, 4, out, has);
   assert_float_equal(out[1], 9, 0);
   assert_float_equal(out[2], 4, 0);
}

static void columns__do_not_shift_when_a_sample_arrives_inside_the_same_column(void** state) {
   (void)state;
   HistorySample s[3];
   memset(s, 0, sizeof s);
   for (int i = 0; i < 3; i++) {
      s[i].t = 20 * S + i * 300 * MS; /* 20.0, 20.3, 20.6 */
      s[i].backlog = 10 * (i + 1);
   }
   double a[5], b[5];
   bool ha[5], hb[5];
   Chart_columns(s, 2, sample_backlog, CHART_MAX, s[1].t, S, 5, a, ha);
   Chart_columns(s, 3, sample_backlog, CHART_MAX, s[2].t, S, 5, b, hb);
   /* both end in the column of second 20: the column keeps its place */
   assert_true(ha[4] && hb[4]);
   assert_float_equal(a[4], 20, 0);
   assert_float_equal(b[4], 30, 0);
   assert_false(hb[3]);
}

static void events__mark_the_column_where_a_new_event_id_appears(void** state) {
   (void)state;
   HistorySample s[8];
   memset(s, 0, sizeof s);
   const uint32_t ev[8] = {2, 2, 3, 3, 3, 3, 5, 5};
   for (int i = 0; i < 8; i++) {
      s[i].t = 50 * S + i * S;
      s[i].event = ev[i];
   }
   uint32_t out[8];
   Chart_events(s, 8, s[7].t, S, 8, out);
   assert_int_equal(out[0], 0); /* the first sample's event predates the chart */
   assert_int_equal(out[2], 3);
   assert_int_equal(out[6], 5);
   for (int i = 0; i < 8; i++)
      if (i != 2 && i != 6)
         assert_int_equal(out[i], 0);
}

static void scatter__log_axes_and_clamping(void** state) {
   (void)state;
   int c, r;
   /* x log 1 ms..1 s on 31 columns: 31.6 ms is in the middle; y linear */
   Chart_scatter(0.0316228, 1e-3, 1, CHART_LOG, 50, 0, 100, CHART_LINEAR, 31, 11, &c, &r);
   assert_int_equal(c, 15);
   assert_int_equal(r, 5);
   Chart_scatter(10, 1e-3, 1, CHART_LOG, 500, 0, 100, CHART_LINEAR, 31, 11, &c, &r);
   assert_int_equal(c, 30);
   assert_int_equal(r, 10);
   Chart_scatter(1e-9, 1e-3, 1, CHART_LOG, -1, 0, 100, CHART_LINEAR, 31, 11, &c, &r);
   assert_int_equal(c, 0);
   assert_int_equal(r, 0);
}

static void braille__dots_encode_as_utf8(void** state) {
   (void)state;
   char b[4];
   Chart_braille(Chart_brailleBit(0, 0), b);
   assert_string_equal(b, "\xe2\xa0\x81"); /* U+2801 */
   Chart_braille(Chart_brailleBit(1, 3), b);
   assert_string_equal(b, "\xe2\xa2\x80"); /* U+2880 */
   Chart_braille(0xff, b);
   assert_string_equal(b, "\xe2\xa3\xbf"); /* U+28FF, all eight dots */
}

static void braille_line__sets_every_dot_between_the_ends(void** state) {
   (void)state;
   /* a 4 x 8 dot grid is 2 columns by 2 rows of cells; the diagonal from the
    * bottom left to the top right */
   unsigned char cells[4] = {0};
   Chart_brailleLine(cells, 4, 8, 0, 0, 3, 7);
   int dots = 0;
   for (int i = 0; i < 4; i++)
      for (unsigned b = cells[i]; b; b >>= 1)
         dots += (int)(b & 1);
   assert_int_equal(dots, 8); /* one dot per dot row */
   /* bottom left cell holds the start: its lowest left dot */
   assert_true(cells[2] & Chart_brailleBit(0, 3));
   /* top right cell holds the end: its highest right dot */
   assert_true(cells[1] & Chart_brailleBit(1, 0));
   /* nothing outside the grid is touched */
   unsigned char clip[4] = {0};
   Chart_brailleLine(clip, 4, 8, -10, -10, -5, -5);
   assert_int_equal(clip[0] | clip[1] | clip[2] | clip[3], 0);
}

static void row__fraction_to_row_index(void** state) {
   (void)state;
   assert_int_equal(Chart_row(0, 4), 0);
   assert_int_equal(Chart_row(0.49, 4), 1);
   assert_int_equal(Chart_row(1, 4), 3);
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(nice_ceil__rounds_up_to_1_2_5),
       cmocka_unit_test(nice_ceil__zero_negative_or_nan__gives_one),
       cmocka_unit_test(autoscale__ignores_columns_without_data_and_respects_floor),
       cmocka_unit_test(fraction__linear_and_clamped),
       cmocka_unit_test(fraction__log_scale_puts_decades_evenly),
       cmocka_unit_test(eighths__tiny_values_stay_visible_and_full_fills_all),
       cmocka_unit_test(cell_level__splits_a_column_into_cells),
       cmocka_unit_test(glyphs__utf8_blocks_and_ascii_fallback),
       cmocka_unit_test(span__smallest_nice_span_covering_the_wanted_time),
       cmocka_unit_test(column_of__aligned_to_absolute_time),
       cmocka_unit_test(columns__max_keeps_a_spike_and_mean_averages),
       cmocka_unit_test(columns__do_not_shift_when_a_sample_arrives_inside_the_same_column),
       cmocka_unit_test(events__mark_the_column_where_a_new_event_id_appears),
       cmocka_unit_test(scatter__log_axes_and_clamping),
       cmocka_unit_test(braille__dots_encode_as_utf8),
       cmocka_unit_test(braille_line__sets_every_dot_between_the_ends),
       cmocka_unit_test(row__fraction_to_row_index),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
