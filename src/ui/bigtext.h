/*
 * bigtext.h: words three text rows high, for the verdict a room reads from
 * the back (no curses). Letters are drawn on a 5-pixel-high grid and two
 * pixel rows share one text row through the upper and lower half blocks, so
 * this needs UTF-8; without it the caller writes the word plainly.
 */
#ifndef KEEPUP_UI_BIGTEXT_H
#define KEEPUP_UI_BIGTEXT_H

#include <stdbool.h>
#include <stddef.h>

#define BIGTEXT_ROWS 3

/* Columns the word takes; -1 when it has a character the font lacks. */
int BigText_width(const char* word);
/* Text row `row` (0..BIGTEXT_ROWS-1) of the word as UTF-8 into out; false
 * when the font lacks a character or out is too small. */
bool BigText_row(const char* word, int row, char* out, size_t len);

#endif
