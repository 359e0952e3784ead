/* test_layout.c: which panels fit where, for a given terminal size. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

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
   assert_int_equal(l->keybar.y, l->height - 1);
}

static void layout__below_80x24__is_too_small(void** state) {
   (void)state;
   Layout l;
   Layout_compute(&l, 79, 24, Layout_panels, Layout_panelCount);
   assert_true(l.too_small);
   Layout_compute(&l, 80, 23, Layout_panels, Layout_panelCount);
   assert_true(l.too_small);
   Layout_compute(&l, 1, 1, Layout_panels, Layout_panelCount);
   assert_true(l.too_small);
   for (int p = 0; p < PANEL_LAST; p++)
      assert_false(l.shown[p]);
}

static void layout__80x24__shows_every_core_panel(void** state) {
   (void)state;
   Layout l;
   Layout_compute(&l, 80, 24, Layout_panels, Layout_panelCount);
   assert_false(l.too_small);
   assert_int_equal(l.columns, 2);
   const PanelId core[] = {PANEL_BACKLOG, PANEL_STALENESS, PANEL_THROUGHPUT, PANEL_LATENCY,
                           PANEL_STAGES,  PANEL_KNOBS,     PANEL_ALERTS,     PANEL_TRADEOFF};
   for (size_t i = 0; i < sizeof core / sizeof core[0]; i++)
      assert_true(l.shown[core[i]]);
   check_sane(&l);
   /* the stage table needs its six rows plus a title */
   assert_int_equal(l.panel[PANEL_STAGES].h, 7);
   assert_true(l.panel[PANEL_BACKLOG].w >= 40);
}

static void layout__200x50__three_columns_with_more_charts(void** state) {
   (void)state;
   Layout small, big;
   Layout_compute(&small, 80, 24, Layout_panels, Layout_panelCount);
   Layout_compute(&big, 200, 50, Layout_panels, Layout_panelCount);
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
   for (int w = 80; w <= 240; w += 7) {
      for (int h = 24; h <= 70; h += 3) {
         Layout_compute(&l, w, h, Layout_panels, Layout_panelCount);
         assert_false(l.too_small);
         check_sane(&l);
         assert_true(l.shown[PANEL_BACKLOG]);
         assert_true(l.shown[PANEL_STAGES]);
         assert_true(l.shown[PANEL_KNOBS]);
      }
   }
}

static void layout__columns_tile_the_width(void** state) {
   (void)state;
   Layout l;
   const int widths[] = {80, 101, 149, 150, 200, 233};
   for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
      Layout_compute(&l, widths[i], 40, Layout_panels, Layout_panelCount);
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
   Layout_compute(&l, 80, 24, specs, 3);
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
   Layout_compute(&l, 80, 40, specs, 3); /* 40 - 1 - 3 - 1 = 35 rows */
   assert_int_equal(l.verdict.h, 3);
   assert_int_equal(l.panel[PANEL_STAGES].h, 5);
   int a = l.panel[PANEL_BACKLOG].h - 4, b = l.panel[PANEL_STALENESS].h - 4;
   assert_int_equal(a + b + 5, 35 - 8);
   assert_in_range(a, 3 * b - 3, 3 * b + 3);
}

static void layout__panel_at_finds_the_panel_under_a_click(void** state) {
   (void)state;
   Layout l;
   Layout_compute(&l, 80, 24, Layout_panels, Layout_panelCount);
   Rect s = l.panel[PANEL_STAGES];
   assert_int_equal(Layout_panelAt(&l, s.y + 2, s.x + 3), PANEL_STAGES);
   assert_int_equal(Layout_panelAt(&l, 0, 0), -1); /* the header */
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(layout__below_80x24__is_too_small),
       cmocka_unit_test(layout__80x24__shows_every_core_panel),
       cmocka_unit_test(layout__200x50__three_columns_with_more_charts),
       cmocka_unit_test(layout__every_size_from_80x24_to_240x70_is_sane),
       cmocka_unit_test(layout__columns_tile_the_width),
       cmocka_unit_test(layout__short_column_drops_the_least_important_panel_first),
       cmocka_unit_test(layout__spare_rows_follow_weights_and_max),
       cmocka_unit_test(layout__panel_at_finds_the_panel_under_a_click),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
