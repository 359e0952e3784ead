/* chart.c: chart arithmetic and glyph sets (no curses). */
#include "config.h"

#include "ui/chart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const Glyphs Chart_utf8 = {
    .utf8 = true,
    .bar = {" ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
            "\xe2\x96\x87", "\xe2\x96\x88"},
    .hbar = {" ", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c", "\xe2\x96\x8b", "\xe2\x96\x8a",
             "\xe2\x96\x89", "\xe2\x96\x88"},
    .line = "\xe2\x94\x81",    /* ━ */
    .mark = "\xe2\x94\x8a",    /* ┊ */
    .point = "\xe2\x97\x8b",   /* ○ */
    .current = "\xe2\x97\x8f", /* ● */
    .knee = "\xe2\x97\x86",    /* ◆ */
    .infinity = "\xe2\x88\x9e", /* ∞ */
    .arrow = "\xe2\x86\x92",    /* → */
    .vaxis = "\xe2\x94\x82",   /* │ */
    .haxis = "\xe2\x94\x80",   /* ─ */
    .origin = "\xe2\x94\x94",  /* └ */
    .sep = "\xe2\x94\x82",     /* │ */
    .up = "\xe2\x96\xb2",      /* ▲ */
    .down = "\xe2\x96\xbc",    /* ▼ */
    .select = "\xe2\x96\xb6",  /* ▶ */
    .more = "\xe2\x80\xa6",    /* … */
};

/* Partial cells in ASCII: the lower half of a cell reads as '.', the upper as ':'. */
const Glyphs Chart_ascii = {
    .utf8 = false,
    .bar = {" ", ".", ".", ".", "o", "o", "o", "#", "#"},
    .hbar = {" ", " ", "-", "-", "-", "=", "=", "=", "#"},
    .line = "-",
    .mark = "|",
    .point = "o",
    .current = "@",
    .knee = "#",
    .infinity = "inf",
    .arrow = "->",
    .vaxis = "|",
    .haxis = "-",
    .origin = "+",
    .sep = "|",
    .up = "^",
    .down = "v",
    .select = ">",
    .more = "~",
};

const Glyphs* Chart_glyphs(bool utf8) {
   return utf8 ? &Chart_utf8 : &Chart_ascii;
}

double Chart_niceCeil(double v) {
   if (!isfinite(v) || v <= 0)
      return 1;
   double p = pow(10, floor(log10(v)));
   static const double steps[] = {1, 2, 5, 10};
   for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
      /* a hair of tolerance so 2.0000000001 (from rounding) does not become 5 */
      if (v <= steps[i] * p * (1 + 1e-9))
         return steps[i] * p;
   }
   return 10 * p;
}

double Chart_autoscale(const double* v, const bool* has, int n, double floor) {
   double m = 0;
   for (int i = 0; i < n; i++)
      if ((!has || has[i]) && isfinite(v[i]) && v[i] > m)
         m = v[i];
   double c = Chart_niceCeil(m);
   return c < floor ? floor : c;
}

double Chart_fraction(double v, double max, ChartScale scale, double log_min) {
   if (!isfinite(v) || v <= 0 || !(max > 0))
      return 0;
   double f;
   if (scale == CHART_LOG) {
      if (!(log_min > 0) || log_min >= max)
         return v >= max ? 1 : 0;
      if (v <= log_min)
         return 0;
      f = log(v / log_min) / log(max / log_min);
   } else {
      f = v / max;
   }
   return f < 0 ? 0 : f > 1 ? 1 : f;
}

int Chart_eighths(double fraction, int rows) {
   if (rows <= 0 || !(fraction > 0))
      return 0;
   int total = rows * 8;
   int e = (int)lround(fraction * total);
   if (e < 1)
      e = 1;
   return e > total ? total : e;
}

int Chart_cellLevel(int eighths, int row) {
   int l = eighths - row * 8;
   return l < 0 ? 0 : l > 8 ? 8 : l;
}

int Chart_row(double fraction, int rows) {
   if (rows <= 0)
      return 0;
   int r = (int)floor(fraction * rows);
   return r < 0 ? 0 : r >= rows ? rows - 1 : r;
}

int64_t Chart_span(int width, int64_t want_ns) {
   static const int64_t spans_ms[] = {100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000};
   size_t n = sizeof spans_ms / sizeof spans_ms[0];
   if (width < 1)
      width = 1;
   for (size_t i = 0; i < n; i++) {
      int64_t span = spans_ms[i] * INT64_C(1000000);
      if (span * width >= want_ns)
         return span;
   }
   return spans_ms[n - 1] * INT64_C(1000000);
}

/* Bucket index of time t: floor division, also right for negative t. */
static int64_t chart_bucket(int64_t t, int64_t span) {
   int64_t q = t / span;
   return (t % span != 0 && t < 0) ? q - 1 : q;
}

int Chart_columnOf(int64_t t, int64_t end_t, int64_t span_ns, int width) {
   if (span_ns <= 0 || width <= 0)
      return -1;
   int64_t back = chart_bucket(end_t, span_ns) - chart_bucket(t, span_ns);
   if (back < 0 || back >= width)
      return -1;
   return width - 1 - (int)back;
}

void Chart_columns(const HistorySample* s, size_t n, double (*get)(const HistorySample*), ChartReduce reduce,
                   int64_t end_t, int64_t span_ns, int width, double* out, bool* has) {
   if (width <= 0)
      return;
   for (int i = 0; i < width; i++) {
      out[i] = 0;
      has[i] = false;
   }
   /* samples are oldest first, so columns are visited in order and one
    * running count serves the mean */
   int current = -1;
   int count = 0;
   for (size_t k = 0; k < n; k++) {
      int c = Chart_columnOf(s[k].t, end_t, span_ns, width);
      if (c < 0)
         continue;
      double v = get(&s[k]);
      if (!isfinite(v))
         continue;
      if (c != current) {
         if (current >= 0 && reduce == CHART_MEAN && count > 0)
            out[current] /= count;
         current = c;
         count = 0;
      }
      if (!has[c]) {
         out[c] = v;
         has[c] = true;
      } else if (reduce == CHART_MAX) {
         if (v > out[c])
            out[c] = v;
      } else if (reduce == CHART_MEAN) {
         out[c] += v;
      } else {
         out[c] = v;
      }
      count++;
   }
   if (current >= 0 && reduce == CHART_MEAN && count > 0)
      out[current] /= count;
}

void Chart_events(const HistorySample* s, size_t n, int64_t end_t, int64_t span_ns, int width, uint32_t* out) {
   for (int i = 0; i < width; i++)
      out[i] = 0;
   for (size_t k = 1; k < n; k++) {
      if (s[k].event <= s[k - 1].event)
         continue;
      int c = Chart_columnOf(s[k].t, end_t, span_ns, width);
      if (c >= 0 && s[k].event > out[c])
         out[c] = s[k].event;
   }
}

static double chart_position(double v, double lo, double hi, ChartScale scale) {
   if (scale == CHART_LOG) {
      if (!(lo > 0) || !(v > 0) || !(hi > lo))
         return 0;
      return log(v / lo) / log(hi / lo);
   }
   if (!(hi > lo))
      return 0;
   return (v - lo) / (hi - lo);
}

static int chart_cell(double f, int n) {
   if (n <= 0 || !isfinite(f))
      return 0;
   int c = (int)lround(f * (n - 1));
   return c < 0 ? 0 : c >= n ? n - 1 : c;
}

void Chart_scatter(double x, double x_min, double x_max, ChartScale xs, double y, double y_min, double y_max,
                   ChartScale ys, int w, int h, int* col, int* row) {
   *col = chart_cell(chart_position(x, x_min, x_max, xs), w);
   *row = chart_cell(chart_position(y, y_min, y_max, ys), h);
}

unsigned Chart_brailleBit(int dx, int dy) {
   /* dot numbering of the braille cell: left column 1,2,3,7 and right column 4,5,6,8 from the top */
   static const unsigned bits[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};
   dx = dx < 0 ? 0 : dx > 1 ? 1 : dx;
   dy = dy < 0 ? 0 : dy > 3 ? 3 : dy;
   return bits[dx][dy];
}

void Chart_braille(unsigned bits, char out[4]) {
   unsigned cp = 0x2800u + (bits & 0xffu);
   out[0] = (char)(0xe0 | (cp >> 12));
   out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
   out[2] = (char)(0x80 | (cp & 0x3f));
   out[3] = '\0';
}

void Chart_brailleLine(unsigned char* cells, int w, int h, int x0, int y0, int x1, int y1) {
   int cols = (w + 1) / 2, rows = (h + 3) / 4;
   int dx = x1 - x0, dy = y1 - y0;
   int steps = abs(dx) > abs(dy) ? abs(dx) : abs(dy);
   for (int i = 0; i <= steps; i++) {
      int x = steps ? x0 + (int)lround((double)dx * i / steps) : x0;
      int y = steps ? y0 + (int)lround((double)dy * i / steps) : y0;
      if (x < 0 || x >= w || y < 0 || y >= h)
         continue;
      int top = h - 1 - y; /* dot rows counted from the top */
      int col = x / 2, row = top / 4;
      if (col < cols && row < rows)
         cells[row * cols + col] |= (unsigned char)Chart_brailleBit(x % 2, top % 4);
   }
}
