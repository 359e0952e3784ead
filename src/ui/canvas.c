/* canvas.c: clipped drawing; ui/paint puts what is left on the screen. */
#include "config.h"

#include "ui/canvas.h"

#include <stdarg.h>
#include <stdio.h>

#include "ui/paint.h"

Canvas Canvas_make(Rect r) {
   return (Canvas){.r = r};
}

Canvas Canvas_sub(const Canvas* this, int row, int col, int h, int w) {
   Rect r = {.y = this->r.y + row, .x = this->r.x + col, .h = h, .w = w};
   if (row < 0) {
      r.h += row;
      r.y = this->r.y;
   }
   if (col < 0) {
      r.w += col;
      r.x = this->r.x;
   }
   if (r.y + r.h > this->r.y + this->r.h)
      r.h = this->r.y + this->r.h - r.y;
   if (r.x + r.w > this->r.x + this->r.w)
      r.w = this->r.x + this->r.w - r.x;
   if (r.h < 0)
      r.h = 0;
   if (r.w < 0)
      r.w = 0;
   return (Canvas){.r = r};
}

int Canvas_width(const char* s) {
   int n = 0;
   for (; *s; s++)
      if (((unsigned char)*s & 0xc0) != 0x80)
         n++;
   return n;
}

int Canvas_text(const Canvas* this, int row, int col, ColorElement e, const char* s) {
   int w = Canvas_width(s);
   if (row < 0 || row >= this->r.h || col >= this->r.w) {
      Paint_text(&this->r, row, col, e, s, 0, 0);
      return col + w;
   }
   const char* p = s;
   int at = col;
   if (at < 0) {
      /* skip the characters left of the canvas */
      p += Layout_bytes(p, -at);
      at = 0;
   }
   int room = this->r.w - at;
   /* clipped text ends at a whole word: a fragment reads as a different word */
   size_t n = Layout_fit(p, room);
   if (n == 0 && at == 0)
      n = Layout_bytes(p, room); /* wider than the whole canvas: its beginning is all there can be */
   Paint_text(&this->r, row, at, e, s, (size_t)(p - s), n);
   return col + w;
}

int Canvas_printf(const Canvas* this, int row, int col, ColorElement e, const char* fmt, ...) {
   char buf[512];
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(buf, sizeof buf, fmt, ap);
   va_end(ap);
   return Canvas_text(this, row, col, e, buf);
}

int Canvas_textRight(const Canvas* this, int row, int end, ColorElement e, const char* s) {
   int start = end - Canvas_width(s);
   Canvas_text(this, row, start, e, s);
   return start;
}

void Canvas_lost(const Canvas* this, ColorElement e, const char* s) {
   Paint_text(&this->r, this->r.h, 0, e, s, 0, 0);
}

void Canvas_fill(const Canvas* this, int row, int col, int n, ColorElement e, const char* g) {
   if (row < 0 || row >= this->r.h)
      return;
   if (col < 0) {
      n += col;
      col = 0;
   }
   if (col + n > this->r.w)
      n = this->r.w - col;
   if (n <= 0)
      return;
   Paint_fill(this->r.y + row, this->r.x + col, n, e, g);
}

void Canvas_band(const Canvas* this, int row, ColorElement e) {
   Canvas_fill(this, row, 0, this->r.w, e, " ");
}
