/* panel.c: the writing helpers every panel shares. */
#include "config.h"

#include "ui/panel.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/units.h"

void Panel_seconds(char* buf, size_t len, double s) {
   if (!isfinite(s) || s < 0)
      s = 0;
   Units_formatDuration(buf, len, (int64_t)llround(s * 1e9));
}

void Panel_clock(char* buf, size_t len, double s, bool tenths) {
   long ds = s > 0 ? (long)(s * 10) : 0;
   long t = ds / 10;
   if (t >= 3600)
      snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
   else if (tenths)
      snprintf(buf, len, "%ld:%02ld.%ld", t / 60, t % 60, ds % 10);
   else
      snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

ColorElement Panel_severity(double v, double warn, double crit) {
   return v >= crit ? CE_CRIT : v >= warn ? CE_WARN : CE_OK;
}

int Panel_field(const Canvas* c, int row, int col, const char* label, ColorElement e, const char* value,
                const char* unit) {
   if (label && *label)
      col = Canvas_text(c, row, col, CE_HINT, label);
   col = Canvas_text(c, row, col, e, value);
   if (unit && *unit)
      col = Canvas_text(c, row, col, CE_HINT, unit);
   return col;
}

int Panel_fieldIf(const Canvas* c, int row, int col, const char* label, ColorElement e, const char* value,
                  const char* unit) {
   int w = Canvas_width(label ? label : "") + Canvas_width(value) + Canvas_width(unit ? unit : "");
   return col + w <= c->r.w ? Panel_field(c, row, col, label, e, value, unit) : col;
}

void Panel_shortened(const Canvas* c, int row, int col, int cols, ColorElement e, const char* text, const char* more) {
   if (cols <= 0)
      return;
   if (Canvas_width(text) <= cols) {
      Canvas_text(c, row, col, e, text);
      return;
   }
   size_t n = Layout_fit(text, cols - 1);
   if (n == 0)
      n = Layout_bytes(text, cols - 1);
   char buf[PANEL_MAX_COLS];
   snprintf(buf, sizeof buf, "%.*s%s", (int)n, text, more);
   Canvas_text(c, row, col, e, buf);
}

void Panel_number(char* buf, size_t len, double v, int decimals, bool sign, int cols) {
   for (int d = decimals; d >= 0; d--) {
      snprintf(buf, len, sign ? "%+.*f" : "%.*f", d, v);
      if ((int)strlen(buf) <= cols)
         return;
   }
   for (int p = 3; p >= 1; p--) {
      snprintf(buf, len, sign ? "%+.*g" : "%.*g", p, v);
      if ((int)strlen(buf) <= cols)
         return;
   }
}

int Panel_wrappedShortened(const Canvas* c, int row, int col, ColorElement e, const char* text, int max_rows,
                           const char* more) {
   int st[16], ln[16];
   int rows = c->r.h - row < max_rows ? c->r.h - row : max_rows;
   int n = Layout_wrap(text, c->r.w - col - 1, st, ln, 16);
   if (rows <= 0 || n <= rows)
      return Panel_wrapped(c, row, col, e, text, max_rows);
   /* the rows but the last as wrapped, the rest shortened on the last */
   char head[1024];
   size_t cut = (size_t)st[rows - 1];
   snprintf(head, sizeof head, "%.*s", (int)cut, text);
   row = Panel_wrapped(c, row, col, e, head, rows - 1);
   Panel_shortened(c, row, col, c->r.w - col - 1, e, text + cut, more);
   return row + 1;
}

int Panel_wrapped(const Canvas* c, int row, int col, ColorElement e, const char* text, int max_rows) {
   int st[16], ln[16];
   int n = Layout_wrap(text, c->r.w - col - 1, st, ln, 16);
   int i = 0;
   for (; i < n && i < 16 && i < max_rows && row < c->r.h; i++) {
      char line[512];
      snprintf(line, sizeof line, "%.*s", ln[i], text + st[i]);
      Canvas_text(c, row++, col, e, line);
   }
   if (i < n && i < 16)
      Canvas_lost(c, e, text + st[i]);
   return row;
}
