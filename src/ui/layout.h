/*
 * layout.h: which panels fit on a W x H terminal and where (no curses).
 *
 * The screen is a header row, the scenario's caption (0 to a few rows), a
 * verdict banner, columns of panels and a key bar. Each panel is a row of a
 * PanelSpec table: the column it goes to in the two- and three-column
 * arrangements, its minimum and maximum height, how eagerly it takes spare
 * rows, and its priority when the column is too short for everything (the
 * least important panel goes first; a smaller one dropped earlier comes back
 * if it fits after all). A new panel is one enum value and one table row.
 *
 * Layout_arrange() adapts the table to what the user is doing: the
 * record/replay panel exists only while there is something to show, and the
 * Amdahl and trade-off panels move up when they are what the lesson is about.
 */
#ifndef KEEPUP_UI_LAYOUT_H
#define KEEPUP_UI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#define LAYOUT_MIN_W       80
#define LAYOUT_MIN_H       24
#define LAYOUT_MAX_COLUMNS 3
#define LAYOUT_WIDE_W      150 /* from this width on, three columns */

typedef enum PanelId {
   PANEL_BACKLOG,
   PANEL_STALENESS,
   PANEL_THROUGHPUT,
   PANEL_LATENCY,
   PANEL_STAGES,
   PANEL_KNOBS,
   PANEL_ALERTS,
   PANEL_TRADEOFF,
   PANEL_RECORDS,
   PANEL_ALERT_DELAY,
   PANEL_EVENTS,
   PANEL_FORECAST, /* the model's predictions beside the measurements */
   PANEL_AMDAHL,   /* the selected stage's share and Amdahl's law */
   PANEL_SOURCE,   /* recording and replay */
   PANEL_BUSY,     /* the workers' and partitions' busy meters: the skew lesson */
   PANEL_LAST
} PanelId;

typedef struct Rect {
   int y, x, h, w;
} Rect;

typedef struct PanelSpec {
   PanelId id;
   int column[2]; /* its column in the two- and three-column arrangements; -1: not shown there */
   int min_h;     /* rows including its title row */
   int max_h;     /* 0: no limit */
   int weight;    /* share of the spare rows (0: stays at min_h) */
   int priority;  /* 0 most important; the highest is dropped first */
} PanelSpec;

typedef struct Layout {
   int width, height;
   bool too_small; /* below LAYOUT_MIN_W x LAYOUT_MIN_H: nothing but a message fits */
   int columns;
   Rect header;
   Rect caption; /* h 0: no caption */
   Rect verdict;
   Rect keybar;
   Rect column[LAYOUT_MAX_COLUMNS];
   Rect panel[PANEL_LAST];
   bool shown[PANEL_LAST];
} Layout;

/* What the screen should favour now. */
typedef struct LayoutFocus {
   bool source;    /* recording or replaying: the record/replay panel is shown */
   bool amdahl;    /* a stage is selected, a toggle is measured, or the lesson is about a stage */
   bool trial;     /* a toggle's prediction and measurement are shown: the Amdahl panel needs more rows */
   bool tradeoff;  /* a sweep runs or has run, or the lesson is about batching */
   bool simulated; /* simulated costs are in force: the stage table has a row to say so */
   bool oversubscribed; /* the workers wait for CPUs: the stage table has a row to say so */
   bool skew;           /* one partition is the bottleneck, or the lesson is about it: the busy meters */
} LayoutFocus;

extern const PanelSpec Layout_panels[];
extern const int Layout_panelCount;

/* The panel table for a focus (out has room for PANEL_LAST rows); returns the number of rows. */
int Layout_arrange(PanelSpec* out, const LayoutFocus* focus);

/* How many columns a width gets. */
int Layout_columnsFor(int width);
/* The bands around the panels that vary: the caption's rows under the header (0: none), the key
 * bar's (1, or 2 when a narrow screen's keys take two), and whether the verdict may be in big
 * letters (they need UTF-8 block glyphs). */
typedef struct LayoutBands {
   int caption_rows;
   int keybar_rows;
   bool big_letters;
} LayoutBands;

/* Rows of the verdict banner at this height: 5 for big letters from 30 rows, else 3 from 36, else 2. */
int Layout_verdictRows(int height, bool big_letters);
/* Compute the layout of the given panels for a width x height terminal, with caption_rows
 * rows of caption under the header (0: none), a key bar of one row and big letters allowed. */
void Layout_compute(Layout* out, int width, int height, int caption_rows, const PanelSpec* specs, int nspecs);
/* The same with the bands given. */
void Layout_computeBands(Layout* out, int width, int height, const LayoutBands* bands, const PanelSpec* specs,
                         int nspecs);
/* Break ASCII text into lines of at most width columns at spaces (a longer word is cut):
 * line i is text[start[i] .. start[i] + len[i]). Stores at most max lines; returns how many
 * lines the whole text takes. */
int Layout_wrap(const char* text, int width, int* start, int* len, int max);
/* Bytes of UTF-8 text s that make up its first cols characters. */
size_t Layout_bytes(const char* s, int cols);
/* Bytes of UTF-8 text s (one column a character) to draw in cols columns without cutting a word:
 * all of it when it fits; else its first cols characters, backed up to the end of the last whole
 * word when the cut would fall inside an ASCII word, past a separator left dangling (space, comma,
 * semicolon, colon, parenthesis), past a number whose unit was cut, and past an aside whose closing
 * parenthesis was cut: 0 when not even the first word fits. */
size_t Layout_fit(const char* s, int cols);
/* The panel at (y, x), or -1. */
int Layout_panelAt(const Layout* this, int y, int x);

#endif
