/*
 * panel.h: what every panel writes with: numbers with their units, times as
 * durations or clocks, a severity colour for a value, wrapped text. The
 * panels themselves are grouped by family (timepanels, tablepanels,
 * teachpanels), the fixed parts of the screen in frame, the full-screen
 * views in screens; panels.h lists them.
 */
#ifndef KEEPUP_UI_PANEL_H
#define KEEPUP_UI_PANEL_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/canvas.h"

#define PANEL_MAX_COLS 512
#define PANEL_LABEL_W  7   /* y-axis labels: "2.00M", "500 ms" */
#define PANEL_LATE_S   1.0 /* an alert raised later than this after its reading is late */

/* Seconds as a duration ("1.20 s", "350 ms"); negative or not finite: 0. */
void Panel_seconds(char* buf, size_t len, double s);
/* "1:23" or "1:02:03"; with tenths, "1:23.4". */
void Panel_clock(char* buf, size_t len, double s, bool tenths);
/* CE_OK below warn, CE_WARN below crit, else CE_CRIT. */
ColorElement Panel_severity(double v, double warn, double crit);
/* Write label + value + unit in one go; returns the column after it. */
int Panel_field(const Canvas* c, int row, int col, const char* label, ColorElement e, const char* value,
                const char* unit);
/* The same, only when all of it fits in the canvas's width (optional parts of a title). */
int Panel_fieldIf(const Canvas* c, int row, int col, const char* label, ColorElement e, const char* value,
                  const char* unit);
/* Text in cols columns from (row, col): whole when it fits, else its first whole words (a name: its
 * first characters) and the glyph `more`, so that text cut short says so and a name cut short cannot
 * pass for another. */
void Panel_shortened(const Canvas* c, int row, int col, int cols, ColorElement e, const char* text, const char* more);
/* A number with up to `decimals` decimals in at most cols columns: fewer decimals, then fewer digits
 * with an exponent ("-1e+08") when it is too wide. */
void Panel_number(char* buf, size_t len, double v, int decimals, bool sign, int cols);
/* Wrapped text from (row, col) within the canvas, at most max_rows rows; returns the row after it. Lines
 * past those rows are lost (Canvas_lost): a caller that may have too few rows shortens its text first. */
int Panel_wrapped(const Canvas* c, int row, int col, ColorElement e, const char* text, int max_rows);
/* The same, but when the text needs more rows its last row shows the rest shortened with `more`. */
int Panel_wrappedShortened(const Canvas* c, int row, int col, ColorElement e, const char* text, int max_rows,
                           const char* more);

#endif
