/*
 * chart.h: the arithmetic of the dashboard's charts, with no curses in it so
 * that it can be tested on its own: nice axis maxima, linear and log scales,
 * bucketing of history samples into time columns aligned to absolute time
 * (so a chart scrolls without its columns jittering), the glyph of each cell
 * in eighths, event-mark columns and scatter positions.
 *
 * Two glyph sets: UTF-8 (block elements, box drawing, braille) and a pure
 * ASCII fallback for terminals whose locale is not UTF-8.
 */
#ifndef KEEPUP_UI_CHART_H
#define KEEPUP_UI_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/history.h"

typedef enum ChartScale {
   CHART_LINEAR,
   CHART_LOG,
} ChartScale;

/* How the samples that fall into one column are combined. */
typedef enum ChartReduce {
   CHART_MAX, /* spikes stay visible however wide the column */
   CHART_MEAN,
   CHART_LAST,
} ChartReduce;

typedef struct Glyphs {
   bool utf8;
   const char* bar[9];  /* vertical bar cell filled 0..8 eighths from the bottom */
   const char* hbar[9]; /* horizontal bar cell filled 0..8 eighths from the left */
   const char* line;    /* a second series drawn over the bars */
   const char* mark;    /* event tick, drawn through a chart column */
   const char* point;   /* a scatter point */
   const char* current; /* the highlighted scatter point */
   const char* knee;    /* the knee of a sweep's curve */
   const char* infinity;
   const char* arrow;   /* before -> after */
   const char* vaxis;   /* y axis */
   const char* haxis;   /* x axis */
   const char* origin;  /* where the axes meet */
   const char* sep;     /* a separator between fields in a line of text */
   const char* up;      /* rising */
   const char* down;    /* falling */
   const char* select;  /* the selected row */
   const char* more;    /* the end of a name cut short */
} Glyphs;

extern const Glyphs Chart_utf8;
extern const Glyphs Chart_ascii;

/* The glyph set for a terminal: UTF-8 only when its locale encodes UTF-8. */
const Glyphs* Chart_glyphs(bool utf8);

/* The smallest 1, 2, 5 x 10^k that is >= v; 1 for v <= 0 or not finite. */
double Chart_niceCeil(double v);
/* The axis maximum for n values: the nice ceiling of their maximum, at least floor. */
double Chart_autoscale(const double* v, const bool* has, int n, double floor);

/* Where v sits between 0 and max (0..1). With CHART_LOG the axis runs from
 * log_min to max on a log scale and values at or below log_min give 0. */
double Chart_fraction(double v, double max, ChartScale scale, double log_min);
/* How many eighths of a rows-high column the fraction fills (0..rows*8);
 * any value above zero fills at least one eighth so it does not vanish. */
int Chart_eighths(double fraction, int rows);
/* The eighths (0..8) of the cell `row` rows above the bottom that a column of `eighths` fills. */
int Chart_cellLevel(int eighths, int row);
/* The row (0 = bottom) a point at this fraction sits in, for rows rows. */
int Chart_row(double fraction, int rows);

/* The time one column covers: the smallest of 0.1, 0.2, 0.5, 1, 2, 5, 10, 30
 * and 60 s such that width columns span at least want_ns (60 s when none does). */
int64_t Chart_span(int width, int64_t want_ns);

/* Bucket samples (oldest first) into width columns of span_ns each; the
 * rightmost column holds end_t. Columns are aligned to multiples of span_ns.
 * has[i] says whether any sample fell into column i. */
void Chart_columns(const HistorySample* s, size_t n, double (*get)(const HistorySample*), ChartReduce reduce,
                   int64_t end_t, int64_t span_ns, int width, double* out, bool* has);
/* For each column, the newest event id that first appears in it (0: none):
 * a sample whose event id is newer than its predecessor's marks its column.
 * The first sample marks nothing (its event may be older than the chart). */
void Chart_events(const HistorySample* s, size_t n, int64_t end_t, int64_t span_ns, int width, uint32_t* out);
/* The column of time t, or -1 when it is outside the chart. */
int Chart_columnOf(int64_t t, int64_t end_t, int64_t span_ns, int width);

/* A point of a scatter plot with both axes on the given scales, into a
 * w x h grid: col 0 left, row 0 bottom. Values outside the ranges clamp. */
void Chart_scatter(double x, double x_min, double x_max, ChartScale xs, double y, double y_min, double y_max,
                   ChartScale ys, int w, int h, int* col, int* row);

/* The bit of the braille dot at sub-column dx (0..1) and sub-row dy (0 = top .. 3). */
unsigned Chart_brailleBit(int dx, int dy);
/* The braille cell U+2800 + bits (the OR of Chart_brailleBit values) as UTF-8. */
void Chart_braille(unsigned bits, char out[4]);
/* Set the dots of a straight line from (x0, y0) to (x1, y1) on a grid of
 * w x h braille dots (y 0 = bottom), stored as one byte of bits per cell
 * (cells[row * cols + col], row 0 = top, cols = (w + 1) / 2). */
void Chart_brailleLine(unsigned char* cells, int w, int h, int x0, int y0, int x1, int y1);

#endif
