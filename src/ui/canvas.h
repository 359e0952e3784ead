/*
 * canvas.h: drawing into one rectangle of the screen, clipped to it, so a
 * panel can never spill into its neighbour whatever its numbers are. Text is
 * UTF-8 whose characters are all one column wide (the glyph sets and ASCII).
 */
#ifndef KEEPUP_UI_CANVAS_H
#define KEEPUP_UI_CANVAS_H

#include "ui/crt.h"
#include "ui/layout.h"

typedef struct Canvas {
   Rect r; /* screen coordinates */
} Canvas;

Canvas Canvas_make(Rect r);
/* A canvas for rows [row, row + h) and columns [col, col + w) of this one, clipped to it. */
Canvas Canvas_sub(const Canvas* this, int row, int col, int h, int w);
/* Columns of a one-column-per-character UTF-8 string. */
int Canvas_width(const char* s);
/* Write s at (row, col) with element e; returns the column after it (clipped). */
int Canvas_text(const Canvas* this, int row, int col, ColorElement e, const char* s);
int Canvas_printf(const Canvas* this, int row, int col, ColorElement e, const char* fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Write s so that it ends at column `end` (exclusive); returns its first column. */
int Canvas_textRight(const Canvas* this, int row, int end, ColorElement e, const char* s);
/* Text the canvas had no room for at all (lines of a wrapped text past the rows it was given): nothing
 * is drawn, but the painter hears of it (a test's painter fails on it). */
void Canvas_lost(const Canvas* this, ColorElement e, const char* s);
/* Fill n columns from (row, col) with glyph g. */
void Canvas_fill(const Canvas* this, int row, int col, int n, ColorElement e, const char* g);
/* Fill a whole row with spaces in element e (a coloured band). */
void Canvas_band(const Canvas* this, int row, ColorElement e);

#endif
