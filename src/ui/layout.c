/* layout.c: panel placement arithmetic (no curses). */
#include "config.h"

#include "ui/layout.h"

#include <ctype.h>
#include <string.h>

/* The dashboard's panels, in the order they stack in a column. The time
 * charts and the forecast fill the first column; the stage bars and the
 * knobs, which the user acts on, stay near the top of the next; with three
 * columns the teaching panels get the third. */
const PanelSpec Layout_panels[] = {
    {.id = PANEL_BACKLOG, .column = {0, 0}, .min_h = 4, .max_h = 0, .weight = 3, .priority = 0},
    {.id = PANEL_FORECAST, .column = {0, 2}, .min_h = 6, .max_h = 8, .weight = 2, .priority = 1},
    {.id = PANEL_THROUGHPUT, .column = {0, 0}, .min_h = 3, .max_h = 0, .weight = 2, .priority = 2},
    {.id = PANEL_STALENESS, .column = {0, 0}, .min_h = 3, .max_h = 0, .weight = 2, .priority = 3},
    {.id = PANEL_LATENCY, .column = {0, 0}, .min_h = 3, .max_h = 0, .weight = 2, .priority = 4},
    {.id = PANEL_STAGES, .column = {1, 1}, .min_h = 8, .max_h = 8, .weight = 0, .priority = 0},
    {.id = PANEL_AMDAHL, .column = {1, 2}, .min_h = 5, .max_h = 5, .weight = 0, .priority = 4},
    {.id = PANEL_SOURCE, .column = {1, 1}, .min_h = 3, .max_h = 4, .weight = 1, .priority = 1},
    /* 7 rows: the last knob's row goes first when the stage table's hand-off row needs the room (80x24) */
    {.id = PANEL_KNOBS, .column = {1, 1}, .min_h = 7, .max_h = 8, .weight = 1, .priority = 2},
    {.id = PANEL_ALERTS, .column = {0, 1}, .min_h = 4, .max_h = 12, .weight = 1, .priority = 5},
    {.id = PANEL_TRADEOFF, .column = {1, 2}, .min_h = 5, .max_h = 0, .weight = 2, .priority = 3},
    {.id = PANEL_RECORDS, .column = {1, 1}, .min_h = 4, .max_h = 6, .weight = 1, .priority = 6},
    {.id = PANEL_ALERT_DELAY, .column = {-1, 2}, .min_h = 5, .max_h = 0, .weight = 2, .priority = 5},
    {.id = PANEL_EVENTS, .column = {-1, 2}, .min_h = 4, .max_h = 0, .weight = 1, .priority = 7},
    {.id = PANEL_BUSY, .column = {1, 2}, .min_h = 6, .max_h = 10, .weight = 1, .priority = 1},
};

const int Layout_panelCount = (int)(sizeof Layout_panels / sizeof Layout_panels[0]);

int Layout_arrange(PanelSpec* out, const LayoutFocus* f) {
   int n = 0;
   for (int i = 0; i < Layout_panelCount && n < PANEL_LAST; i++) {
      PanelSpec p = Layout_panels[i];
      switch (p.id) {
      case PANEL_SOURCE:
         if (!f->source)
            continue;
         break;
      case PANEL_BUSY:
         if (!f->skew)
            continue;
         break;
      case PANEL_AMDAHL:
         if (f->amdahl || f->trial)
            p.priority = 1;
         if (f->trial)
            p.min_h = p.max_h = 7;
         break;
      case PANEL_TRADEOFF:
         if (f->tradeoff)
            p.priority = 1;
         break;
      case PANEL_STAGES:
         /* the six stages and the hand-off, and a row for each note */
         p.min_h = p.max_h = 8 + (f->simulated ? 1 : 0) + (f->oversubscribed ? 1 : 0);
         break;
      default:
         break;
      }
      out[n++] = p;
   }
   return n;
}

int Layout_columnsFor(int width) {
   return width >= LAYOUT_WIDE_W ? 3 : 2;
}

int Layout_verdictRows(int height, bool big_letters) {
   /* from 30 rows the letters are three rows high: the verdict is for the back of the room, and a
    * projector's large font gives few rows */
   return big_letters && height >= 30 ? 5 : height >= 36 ? 3 : 2;
}

/* Stack the panels of one column into its rectangle. */
static void layout_column(Layout* out, Rect col, const PanelSpec* specs, int nspecs, int arrangement, int c) {
   int idx[PANEL_LAST];
   int h[PANEL_LAST];
   bool keep[PANEL_LAST];
   int n = 0;
   for (int i = 0; i < nspecs && n < PANEL_LAST; i++) {
      if (specs[i].column[arrangement] == c && specs[i].id >= 0 && specs[i].id < PANEL_LAST) {
         idx[n] = i;
         keep[n] = true;
         h[n] = specs[i].min_h;
         n++;
      }
   }
   int sum = 0;
   for (int k = 0; k < n; k++)
      sum += h[k];
   /* too short: drop the least important panels, the later one on a tie */
   while (sum > col.h) {
      int worst = -1;
      for (int k = 0; k < n; k++)
         if (keep[k] && (worst < 0 || specs[idx[k]].priority >= specs[idx[worst]].priority))
            worst = k;
      if (worst < 0)
         break;
      keep[worst] = false;
      sum -= h[worst];
   }
   /* a smaller panel dropped on the way may fit in what the drops freed: the most important first */
   for (;;) {
      int best = -1;
      for (int k = 0; k < n; k++)
         if (!keep[k] && sum + h[k] <= col.h && (best < 0 || specs[idx[k]].priority < specs[idx[best]].priority))
            best = k;
      if (best < 0)
         break;
      keep[best] = true;
      sum += h[best];
   }
   /* spare rows, one at a time, to the panel furthest below its weighted share */
   int extra = col.h - sum;
   while (extra > 0) {
      int best = -1;
      double best_ratio = 0;
      for (int k = 0; k < n; k++) {
         const PanelSpec* s = &specs[idx[k]];
         if (!keep[k] || s->weight <= 0 || (s->max_h > 0 && h[k] >= s->max_h))
            continue;
         double ratio = (double)(h[k] - s->min_h + 1) / s->weight;
         if (best < 0 || ratio < best_ratio) {
            best = k;
            best_ratio = ratio;
         }
      }
      if (best < 0)
         break;
      h[best]++;
      extra--;
   }
   int y = col.y;
   for (int k = 0; k < n; k++) {
      if (!keep[k])
         continue;
      PanelId id = specs[idx[k]].id;
      out->panel[id] = (Rect){.y = y, .x = col.x, .h = h[k], .w = col.w};
      out->shown[id] = true;
      y += h[k];
   }
}

void Layout_compute(Layout* out, int width, int height, int caption_rows, const PanelSpec* specs, int nspecs) {
   LayoutBands bands = {.caption_rows = caption_rows, .keybar_rows = 1, .big_letters = true};
   Layout_computeBands(out, width, height, &bands, specs, nspecs);
}

void Layout_computeBands(Layout* out, int width, int height, const LayoutBands* bands, const PanelSpec* specs,
                         int nspecs) {
   int caption_rows = bands->caption_rows, keybar_rows = bands->keybar_rows;
   memset(out, 0, sizeof *out);
   out->width = width;
   out->height = height;
   if (width < LAYOUT_MIN_W || height < LAYOUT_MIN_H) {
      out->too_small = true;
      return;
   }
   int vr = Layout_verdictRows(height, bands->big_letters);
   if (caption_rows < 0)
      caption_rows = 0;
   if (caption_rows > 4)
      caption_rows = 4;
   out->header = (Rect){.y = 0, .x = 0, .h = 1, .w = width};
   out->caption = (Rect){.y = 1, .x = 0, .h = caption_rows, .w = width};
   out->verdict = (Rect){.y = 1 + caption_rows, .x = 0, .h = vr, .w = width};
   keybar_rows = keybar_rows < 1 ? 1 : keybar_rows > 2 ? 2 : keybar_rows;
   out->keybar = (Rect){.y = height - keybar_rows, .x = 0, .h = keybar_rows, .w = width};
   int top = 1 + caption_rows + vr;
   int body = height - keybar_rows - top;
   int ncol = Layout_columnsFor(width);
   out->columns = ncol;
   /* the charts column is the widest: half of two columns, two fifths of three */
   int w0 = ncol == 2 ? width / 2 : width * 2 / 5;
   int rest = width - w0;
   int x = 0;
   for (int c = 0; c < ncol; c++) {
      int w = c == 0 ? w0 : c == ncol - 1 ? width - x : rest / (ncol - 1);
      out->column[c] = (Rect){.y = top, .x = x, .h = body, .w = w};
      x += w;
   }
   for (int c = 0; c < ncol; c++)
      layout_column(out, out->column[c], specs, nspecs, ncol - 2, c);
}

int Layout_wrap(const char* text, int width, int* start, int* len, int max) {
   if (width < 1)
      width = 1;
   int n = 0;
   int i = 0;
   int total = (int)strlen(text);
   while (i < total) {
      while (i < total && text[i] == ' ')
         i++;
      if (i >= total)
         break;
      int end = i + width < total ? i + width : total;
      if (end < total && text[end] != ' ') {
         /* back up to the last space on the line, unless the word alone is too long */
         int sp = end;
         while (sp > i && text[sp] != ' ')
            sp--;
         if (sp > i)
            end = sp;
      }
      int e = end;
      while (e > i && text[e - 1] == ' ')
         e--;
      if (n < max) {
         start[n] = i;
         len[n] = e - i;
      }
      n++;
      i = end;
   }
   return n;
}

/* Part of an ASCII word: a cut between two of these leaves a fragment on screen. */
static bool layout_wordByte(char ch) {
   unsigned char u = (unsigned char)ch;
   return u > ' ' && u < 0x7f;
}

/* No separator left dangling at the end of the first n bytes. */
static size_t layout_trimEnd(const char* s, size_t n) {
   while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == ',' || s[n - 1] == ';' || s[n - 1] == '(' || s[n - 1] == ':'))
      n--;
   return n;
}

size_t Layout_bytes(const char* s, int cols) {
   size_t i = 0;
   int c = 0;
   while (s[i]) {
      if (((unsigned char)s[i] & 0xc0) != 0x80) {
         if (c == cols)
            break;
         c++;
      }
      i++;
   }
   return i;
}

size_t Layout_fit(const char* s, int cols) {
   size_t i = Layout_bytes(s, cols);
   if (!s[i] || i == 0 || !layout_wordByte(s[i]) || !layout_wordByte(s[i - 1]))
      return i;
   size_t n = i;
   while (n > 0 && layout_wordByte(s[n - 1]))
      n--;
   n = layout_trimEnd(s, n);
   /* a number whose unit was cut goes too: "98.9" without its "ms" misleads */
   size_t w = n;
   while (w > 0 && layout_wordByte(s[w - 1]))
      w--;
   if (w < n && (isdigit((unsigned char)s[w]) || s[w] == '+' || s[w] == '-'))
      n = layout_trimEnd(s, w);
   /* an aside cut before its closing parenthesis goes whole */
   size_t open = n;
   while (open > 0 && s[open - 1] != '(' && s[open - 1] != ')')
      open--;
   if (open > 1 && s[open - 1] == '(')
      n = layout_trimEnd(s, open - 1);
   return n;
}

int Layout_panelAt(const Layout* this, int y, int x) {
   for (int p = 0; p < PANEL_LAST; p++) {
      const Rect* r = &this->panel[p];
      if (this->shown[p] && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w)
         return p;
   }
   return -1;
}
