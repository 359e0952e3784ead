/*
 * paint.h: where a canvas's clipped text and fills go: the terminal (paint.c,
 * curses), or in a unit test a grid of its own (tests/unit/test_panels.c
 * links its own Paint_*), so that the panels' text can be checked at every
 * size without a terminal. Canvas is the only caller.
 */
#ifndef KEEPUP_UI_PAINT_H
#define KEEPUP_UI_PAINT_H

#include <stddef.h>

#include "ui/crt.h"

#include "ui/layout.h"

/* Draw the n bytes of s from byte `from` at (row, col) of the screen's rectangle r, in element e. s is
 * the whole text the panel wrote at (row, col - the columns of its first `from` bytes): what the
 * canvas's edges left out of it is the rest (n 0: none of it fit, row or col may be outside r). */
void Paint_text(const Rect* r, int row, int col, ColorElement e, const char* s, size_t from, size_t n);
/* Fill n columns from screen (y, x) with glyph g in element e (already clipped). */
void Paint_fill(int y, int x, int n, ColorElement e, const char* g);

#endif
