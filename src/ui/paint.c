/* paint.c: a canvas's text and fills, onto stdscr. */
#include "config.h"

#include "ui/paint.h"

#include <string.h>

#ifdef HAVE_NCURSESW_CURSES_H
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

void Paint_text(const Rect* r, int row, int col, ColorElement e, const char* s, size_t from, size_t n) {
   if (n == 0)
      return;
   attrset(CRT_attr(e));
   mvaddnstr(r->y + row, r->x + col, s + from, (int)n);
}

void Paint_fill(int y, int x, int n, ColorElement e, const char* g) {
   attrset(CRT_attr(e));
   int len = (int)strlen(g);
   move(y, x);
   for (int i = 0; i < n; i++)
      addnstr(g, len);
}
