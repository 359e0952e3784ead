/* test_layout.c: which panels fit where, for a given terminal size. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui/layout.h"

static bool rects_overlap(Rect a, Rect b) {
   return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static bool rect_inside(Rect r, int w, int h) {
   return r.x >= 0 && r.y >= 0 && r.w > 0 && r.h > 0 && r.x + r.w <= w && r.y + r.h <= h;
}

/* Every shown panel is on screen, between the verdict and the key bar, and overlaps nothing. */
static void check_sane(const Layout* l) {
   for (int p = 0; p < PANEL_LAST; p++) {
      if (!l->shown[p])
         continue;
      Rect r = l->panel[p];
      assert_true(rect_inside(r, l->width, l->height));
      assert_true(r.y >= l->verdict.y + l->verdict.h);
      assert_true(r.y + r.h <= l->keybar.y);
      for (int q = p + 1; q < PANEL_LAST; q++)
         if (l->shown[q])
            assert_false(rects_overlap(r, l->panel[q]));
   }
   assert_false(rects_overlap(l->header, l->verdict));
   assert_int_equal(l->keybar.y + l->keybar.h, l->height);
}

/* The sizes a lecture meets: a laptop, a projector's large font, and larger. */
static const int five_sizes[][2] = {{80, 24}, {100, 30}, {120, 36}, {160, 45}, {200, 50}};

/* Whether the panel table for a focus has the panel. */
static bool arranged(const LayoutFocus* focus, PanelId id) {
   PanelSpec specs[PANEL_LAST];
   int n = Layout_arrange(specs, focus);
   for (int i = 0; i < n; i++)
      if (specs[i].id == id)
         return true;
   return false;
}

static void layout__below_80x24__is_too_small(void** state) {
   (void)state;
   Layout l;
   Layout_compute(&l, 79, 24, 0, Layout_panels, Layout_panelCount);
   assert_true(l.too_small);
   Layout_compute(&l, 80, 23, 0, Layout_panels, Layout_panelCount);
   assert_true(l.too_small);
   Layout_compute(&l, 1, 1, 0, Layout_panels, Layout_panelCount);
   assert_true(l.too_small);
   for (int p = 0; p < PANEL_LAST; p++)
      assert_false(l.shown[p]);
}

static void layout__80x24__shows_the_charts_forecast_stages_knobs_and_tradeoff(void** state) {
   (void)state;
   Layout l;
   PanelSpec specs[PANEL_LAST];
   LayoutFocus none = {0};
   Layout_compute(&l, 80, 24, 0, specs, Layout_arrange(specs, &none));
   assert_false(l.too_small);
   assert_int_equal(l.columns, 2);
   const PanelId core[] = {PANEL_BACKLOG, PANEL_FORECAST, PANEL_THROUGHPUT, PANEL_STALENESS, PANEL_LATENCY,
                           PANEL_STAGES,  PANEL_KNOBS,    PANEL_TRADEOFF};
   for (size_t i = 0; i < sizeof core / sizeof core[0]; i++)
      assert_true(l.shown[core[i]]);
   check_sane(&l);
   /* the stage table needs its six rows, the hand-off's and a title */
   assert_int_equal(l.panel[PANEL_STAGES].h, 8);
   assert_true(l.panel[PANEL_BACKLOG].w >= 40);
}

static void layout__200x50__three_columns_with_more_charts(void** state) {
   (void)state;
   Layout small, big;
   Layout_compute(&small, 80, 24, 0, Layout_panels, Layout_panelCount);
   Layout_compute(&big, 200, 50, 0, Layout_panels, Layout_panelCount);
   assert_int_equal(big.columns, 3);
   check_sane(&big);
   for (int p = 0; p < PANEL_LAST; p++)
      assert_true(big.shown[p]);
   assert_false(small.shown[PANEL_ALERT_DELAY]);
   assert_false(small.shown[PANEL_EVENTS]);
   /* bigger charts on a bigger screen */
   assert_true(big.panel[PANEL_BACKLOG].h > small.panel[PANEL_BACKLOG].h);
   assert_true(big.panel[PANEL_BACKLOG].w > small.panel[PANEL_BACKLOG].w);
   assert_int_equal(big.verdict.h, 5);
   assert_int_equal(small.verdict.h, 2);
}

static void layout__every_size_from_80x24_to_240x70_is_sane(void** state) {
   (void)state;
   Layout l;
   PanelSpec specs[PANEL_LAST];
   for (int w = 80; w <= 240; w += 7) {
      for (int h = 24; h <= 70; h += 3) {
         for (int f = 0; f < 32; f += 5) {
            LayoutFocus focus = {.source = f & 1, .amdahl = f & 2, .trial = f & 4, .tradeoff = f & 8,
                                 .simulated = f & 16};
            int n = Layout_arrange(specs, &focus);
            Layout_compute(&l, w, h, f / 5 % 5, specs, n); /* captions of 0..4 rows */
            assert_false(l.too_small);
            check_sane(&l);
            assert_true(l.shown[PANEL_BACKLOG]);
            assert_true(l.shown[PANEL_STAGES]);
            assert_true(l.shown[PANEL_FORECAST]);
            assert_true(l.verdict.y == 1 + l.caption.h);
         }
      }
   }
}

static void layout__columns_tile_the_width(void** state) {
   (void)state;
   Layout l;
   const int widths[] = {80, 101, 149, 150, 200, 233};
   for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
      Layout_compute(&l, widths[i], 40, 0, Layout_panels, Layout_panelCount);
      int x = 0;
      for (int c = 0; c < l.columns; c++) {
         assert_int_equal(l.column[c].x, x);
         x += l.column[c].w;
      }
      assert_int_equal(x, widths[i]);
   }
}

static void layout__short_column_drops_the_least_important_panel_first(void** state) {
   (void)state;
   const PanelSpec specs[] = {
       {.id = PANEL_BACKLOG, .column = {0, 0}, .min_h = 8, .weight = 1, .priority = 0},
       {.id = PANEL_STALENESS, .column = {0, 0}, .min_h = 8, .weight = 1, .priority = 9},
       {.id = PANEL_THROUGHPUT, .column = {0, 0}, .min_h = 8, .weight = 1, .priority = 1},
   };
   Layout l;
   /* 24 rows: 20 for panels, so only two of the three 8-row panels fit */
   Layout_compute(&l, 80, 24, 0, specs, 3);
   assert_true(l.shown[PANEL_BACKLOG]);
   assert_true(l.shown[PANEL_THROUGHPUT]);
   assert_false(l.shown[PANEL_STALENESS]);
   /* the spare rows are shared, and the panels stay in table order */
   assert_int_equal(l.panel[PANEL_BACKLOG].h + l.panel[PANEL_THROUGHPUT].h, 20);
   assert_true(l.panel[PANEL_BACKLOG].y < l.panel[PANEL_THROUGHPUT].y);
}

static void layout__spare_rows_follow_weights_and_max(void** state) {
   (void)state;
   const PanelSpec specs[] = {
       {.id = PANEL_BACKLOG, .column = {0, 0}, .min_h = 4, .weight = 3, .priority = 0},
       {.id = PANEL_STALENESS, .column = {0, 0}, .min_h = 4, .weight = 1, .priority = 0},
       {.id = PANEL_STAGES, .column = {0, 0}, .min_h = 4, .max_h = 5, .weight = 10, .priority = 0},
   };
   Layout l;
   Layout_compute(&l, 80, 40, 0, specs, 3); /* 40 - 1 - 5 - 1 = 33 rows */
   assert_int_equal(l.verdict.h, 5);
   assert_int_equal(l.panel[PANEL_STAGES].h, 5);
   int a = l.panel[PANEL_BACKLOG].h - 4, b = l.panel[PANEL_STALENESS].h - 4;
   assert_int_equal(a + b + 5, 33 - 8);
   assert_in_range(a, 3 * b - 3, 3 * b + 3);
}

static void layout__panel_at_finds_the_panel_under_a_click(void** state) {
   (void)state;
   Layout l;
   Layout_compute(&l, 80, 24, 0, Layout_panels, Layout_panelCount);
   Rect s = l.panel[PANEL_STAGES];
   assert_int_equal(Layout_panelAt(&l, s.y + 2, s.x + 3), PANEL_STAGES);
   assert_int_equal(Layout_panelAt(&l, 0, 0), -1); /* the header */
}

static void layout__caption_rows_go_between_header_and_verdict(void** state) {
   (void)state;
   Layout l;
   Layout_compute(&l, 100, 30, 2, Layout_panels, Layout_panelCount);
   assert_int_equal(l.caption.y, 1);
   assert_int_equal(l.caption.h, 2);
   assert_int_equal(l.verdict.y, 3);
   check_sane(&l);
   Layout_compute(&l, 100, 30, 9, Layout_panels, Layout_panelCount); /* at most 4 */
   assert_int_equal(l.caption.h, 4);
   Layout_compute(&l, 100, 30, 0, Layout_panels, Layout_panelCount);
   assert_int_equal(l.caption.h, 0);
   assert_int_equal(l.verdict.y, 1);
}

static void layout__a_dropped_panel_that_fits_comes_back(void** state) {
   (void)state;
   const PanelSpec specs[] = {
       {.id = PANEL_STAGES, .column = {0, 0}, .min_h = 12, .priority = 0},
       {.id = PANEL_KNOBS, .column = {0, 0}, .min_h = 10, .priority = 2},
       {.id = PANEL_TRADEOFF, .column = {0, 0}, .min_h = 5, .priority = 3},
   };
   Layout l;
   /* 20 rows: dropping the tradeoff (5) first is not enough, dropping the knobs (10) is; then the
    * tradeoff fits again */
   Layout_compute(&l, 80, 24, 0, specs, 3);
   assert_true(l.shown[PANEL_STAGES]);
   assert_false(l.shown[PANEL_KNOBS]);
   assert_true(l.shown[PANEL_TRADEOFF]);
}

static void arrange__source_panel_only_when_recording_or_replaying(void** state) {
   (void)state;
   PanelSpec specs[PANEL_LAST];
   LayoutFocus none = {0}, rec = {.source = true};
   assert_false(arranged(&none, PANEL_SOURCE));
   int n = Layout_arrange(specs, &none);
   int m = Layout_arrange(specs, &rec);
   assert_int_equal(m, n + 1);
   Layout l;
   Layout_compute(&l, 80, 24, 3, specs, m);
   assert_true(l.shown[PANEL_SOURCE]);
}

static void arrange__a_lesson_about_a_stage_shows_amdahl_at_80x24(void** state) {
   (void)state;
   PanelSpec specs[PANEL_LAST];
   Layout l;
   LayoutFocus plain = {0}, amdahl = {.amdahl = true}, trial = {.amdahl = true, .trial = true};
   Layout_compute(&l, 80, 24, 3, specs, Layout_arrange(specs, &plain));
   assert_false(l.shown[PANEL_AMDAHL]);
   Layout_compute(&l, 80, 24, 3, specs, Layout_arrange(specs, &amdahl));
   assert_true(l.shown[PANEL_AMDAHL]);
   assert_int_equal(l.panel[PANEL_AMDAHL].h, 5);
   /* a toggle's comparison needs more rows */
   Layout_compute(&l, 80, 24, 3, specs, Layout_arrange(specs, &trial));
   assert_true(l.shown[PANEL_AMDAHL]);
   assert_int_equal(l.panel[PANEL_AMDAHL].h, 7);
}

static void arrange__batching_lesson_keeps_the_tradeoff_plot(void** state) {
   (void)state;
   PanelSpec specs[PANEL_LAST];
   Layout l;
   LayoutFocus f = {.tradeoff = true, .amdahl = false};
   Layout_compute(&l, 80, 24, 3, specs, Layout_arrange(specs, &f));
   assert_true(l.shown[PANEL_TRADEOFF]);
   /* the stage table gets a row to say what is simulated, and one when the workers wait for CPUs */
   LayoutFocus sim = {.simulated = true};
   Layout_compute(&l, 80, 24, 3, specs, Layout_arrange(specs, &sim));
   assert_int_equal(l.panel[PANEL_STAGES].h, 9);
   sim.oversubscribed = true;
   Layout_compute(&l, 80, 24, 3, specs, Layout_arrange(specs, &sim));
   assert_int_equal(l.panel[PANEL_STAGES].h, 10);
}

static void wrap__breaks_at_spaces_and_cuts_long_words(void** state) {
   (void)state;
   int st[8], ln[8];
   const char* t = "press its key to fix it";
   int n = Layout_wrap(t, 10, st, ln, 8);
   assert_int_equal(n, 3);
   assert_int_equal(st[0], 0);
   assert_int_equal(ln[0], 9); /* "press its" */
   assert_int_equal(st[1], 10);
   assert_int_equal(ln[1], 10); /* "key to fix": exactly the width */
   assert_int_equal(ln[2], 2);  /* "it" */
   assert_int_equal(Layout_wrap("abcdefghij klm", 4, st, ln, 8), 4); /* "abcd" "efgh" "ij" "klm" */
   assert_int_equal(ln[0], 4);
   assert_int_equal(ln[2], 2);
   assert_int_equal(Layout_wrap("short", 80, st, ln, 8), 1);
   assert_int_equal(Layout_wrap("", 80, st, ln, 8), 0);
   assert_int_equal(Layout_wrap("a b c d e f g h i j", 1, st, ln, 2), 10); /* counts past max */
}

/* What Layout_fit leaves of s in cols columns. */
static void fit_check(const char* s, int cols, const char* want) {
   size_t n = Layout_fit(s, cols);
   assert_int_equal(n, strlen(want));
   assert_memory_equal(s, want, n);
}

static void fit__never_leaves_a_fragment_of_a_word(void** state) {
   (void)state;
   /* what the screens showed: "gett", "the first ends i", "(FALLING BEHI", "rec/" */
   fit_check("oldest record 17.6 s old and getting older", 35, "oldest record 17.6 s old and");
   fit_check("the first ends in 2 s", 16, "the first ends");
   fit_check("backlog +5.62k rec/s (FALLING BEHIND if it holds)", 34, "backlog +5.62k rec/s");
   fit_check("Events knob changes, marked on the charts (e: all)", 47, "Events knob changes, marked on the charts");
   fit_check("f(x) and more", 8, "f(x) and");
   /* a number whose unit is cut goes with it */
   fit_check("ev-lag 98.9 ms", 13, "ev-lag");
   fit_check("RSS 70.5 MB; this dashboard", 6, "RSS");
   /* what fits is all drawn; a cut at a space or a glyph keeps the rest */
   fit_check("hand-off 43 ns", 14, "hand-off 43 ns");
   fit_check("hand-off 43 ns", 40, "hand-off 43 ns");
   fit_check("a b", 1, "a");
   fit_check("█████ 99%", 3, "███");
   /* not even the first word fits: nothing (a number too, its unit cut: "506 us/b") */
   fit_check("normalize", 4, "");
   fit_check("+135k/s", 3, "");
   fit_check("506 us/batch", 8, "");
   fit_check("", 5, "");
}

static void arrange__busy_meters_only_for_a_hot_partition(void** state) {
   (void)state;
   PanelSpec specs[PANEL_LAST];
   LayoutFocus plain = {0}, skew = {.skew = true};
   assert_false(arranged(&plain, PANEL_BUSY));
   Layout l;
   for (size_t i = 0; i < sizeof five_sizes / sizeof five_sizes[0]; i++) {
      LayoutBands bands = {.caption_rows = 2, .keybar_rows = five_sizes[i][0] < 120 ? 2 : 1, .big_letters = true};
      Layout_computeBands(&l, five_sizes[i][0], five_sizes[i][1], &bands, specs, Layout_arrange(specs, &skew));
      check_sane(&l);
      assert_true(l.shown[PANEL_BUSY]);
      assert_true(l.panel[PANEL_BUSY].h >= 6);
   }
}

static void verdict__big_letters_from_30_rows(void** state) {
   (void)state;
   assert_int_equal(Layout_verdictRows(24, true), 2);
   assert_int_equal(Layout_verdictRows(29, true), 2);
   assert_int_equal(Layout_verdictRows(30, true), 5);
   assert_int_equal(Layout_verdictRows(50, true), 5);
   /* without block glyphs (ASCII) the banner is the word and two lines: no rows for letters it cannot draw */
   assert_int_equal(Layout_verdictRows(30, false), 2);
   assert_int_equal(Layout_verdictRows(36, false), 3);
   assert_int_equal(Layout_verdictRows(50, false), 3);
}

/* The five sizes a lecture meets, a two-row key bar at 80 columns and captions of 2 to 4 rows:
 * the charts and the stage table are there, and the key bar is the last rows. */
static void layout__the_five_sizes_keep_the_core_panels(void** state) {
   (void)state;
   const int (*sizes)[2] = five_sizes;
   PanelSpec specs[PANEL_LAST];
   Layout l;
   for (size_t i = 0; i < sizeof five_sizes / sizeof five_sizes[0]; i++) {
      for (int cap = 2; cap <= 4; cap++) {
         for (int f = 0; f < 4; f++) {
            LayoutFocus focus = {.amdahl = f & 1, .tradeoff = f & 2};
            int bar = sizes[i][0] < 120 ? 2 : 1;
            LayoutBands bands = {.caption_rows = cap, .keybar_rows = bar, .big_letters = true};
            Layout_computeBands(&l, sizes[i][0], sizes[i][1], &bands, specs, Layout_arrange(specs, &focus));
            check_sane(&l);
            assert_int_equal(l.keybar.h, bar);
            assert_int_equal(l.keybar.y + l.keybar.h, sizes[i][1]);
            /* (the knobs give way to the Amdahl panel at 80x24: the header then names the batch and threads) */
            const PanelId core[] = {PANEL_BACKLOG, PANEL_THROUGHPUT, PANEL_STAGES};
            for (size_t k = 0; k < sizeof core / sizeof core[0]; k++)
               assert_true(l.shown[core[k]]);
            assert_int_equal(l.verdict.h, sizes[i][1] >= 30 ? 5 : 2);
         }
      }
   }
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(layout__below_80x24__is_too_small),
       cmocka_unit_test(layout__80x24__shows_the_charts_forecast_stages_knobs_and_tradeoff),
       cmocka_unit_test(layout__200x50__three_columns_with_more_charts),
       cmocka_unit_test(layout__every_size_from_80x24_to_240x70_is_sane),
       cmocka_unit_test(layout__columns_tile_the_width),
       cmocka_unit_test(layout__short_column_drops_the_least_important_panel_first),
       cmocka_unit_test(layout__spare_rows_follow_weights_and_max),
       cmocka_unit_test(layout__panel_at_finds_the_panel_under_a_click),
       cmocka_unit_test(layout__caption_rows_go_between_header_and_verdict),
       cmocka_unit_test(layout__a_dropped_panel_that_fits_comes_back),
       cmocka_unit_test(arrange__source_panel_only_when_recording_or_replaying),
       cmocka_unit_test(arrange__a_lesson_about_a_stage_shows_amdahl_at_80x24),
       cmocka_unit_test(arrange__batching_lesson_keeps_the_tradeoff_plot),
       cmocka_unit_test(wrap__breaks_at_spaces_and_cuts_long_words),
       cmocka_unit_test(fit__never_leaves_a_fragment_of_a_word),
       cmocka_unit_test(verdict__big_letters_from_30_rows),
       cmocka_unit_test(arrange__busy_meters_only_for_a_hot_partition),
       cmocka_unit_test(layout__the_five_sizes_keep_the_core_panels),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
