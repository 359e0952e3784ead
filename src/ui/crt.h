/*
 * crt.h: the one module that owns the terminal. It starts and ends curses,
 * picks colours by meaning (or a monochrome scheme without colours, with
 * NO_COLOR set or --no-color), picks UTF-8 or ASCII glyphs from the locale,
 * draws on the controlling terminal (/dev/tty) when standard output is
 * redirected (it then carries --json's summary),
 * turns signals into flags for the event loop, keeps stderr in a file while
 * the screen is up (replayed after the terminal is restored), and restores
 * the terminal first on every way out: normal end, exit(), a fatal error, a
 * crash.
 *
 * Only the UI thread calls these (and curses).
 */
#ifndef KEEPUP_UI_CRT_H
#define KEEPUP_UI_CRT_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/chart.h"

/* What a piece of the screen means; each scheme maps these to attributes. */
typedef enum ColorElement {
   CE_DEFAULT,
   CE_HEADER,       /* the top line */
   CE_HEADER_TAG,   /* PAUSED / FROZEN in the top line */
   CE_VERDICT_NONE, /* measuring */
   CE_VERDICT_OK,   /* keeping up */
   CE_VERDICT_WARN, /* catching up */
   CE_VERDICT_CRIT, /* falling behind */
   CE_TITLE,        /* a panel's title */
   CE_VALUE,        /* a number */
   CE_HINT,         /* units, key hints, axis labels */
   CE_OK,
   CE_WARN,
   CE_CRIT,
   CE_CHART,         /* bars of a time chart */
   CE_CHART_LINE,    /* the second series over the bars */
   CE_CHART_LINE_IN, /* the second series where it runs inside a bar */
   CE_MARK,          /* event ticks and their labels */
   CE_BAR,           /* a stage's share bar */
   CE_BAR_TOP,       /* the dominating stage's bar */
   CE_NAIVE,
   CE_OPTIMIZED,
   CE_SELECTED,      /* the knob or stage the arrow keys act on */
   CE_KEY,           /* a key in the key bar */
   CE_KEY_LABEL,     /* what it does */
   CE_POINT,         /* a scatter point */
   CE_POINT_CURRENT, /* the current setting's point */
   CE_PREDICTION,    /* something not measured: a prediction */
   CE_CAPTION,       /* the scenario's caption: what to try */
   CE_SIMULATED,     /* a simulated cost in force */
   CE_REC,           /* recording: the tag in the top line */
   CE_LAST
} ColorElement;

/* Take the terminal: standard output's, or /dev/tty when standard output is
 * not a terminal. False when it cannot be used (TERM unset or dumb, no
 * cursor addressing, no terminal to draw on); err then says why and the
 * terminal is untouched. */
bool CRT_init(bool no_color, char* err, size_t errlen);
/* Give the terminal back and replay what was written to stderr meanwhile. Idempotent. */
void CRT_done(void);
bool CRT_active(void);

/* The attribute (colour pair and video attributes) of an element. */
int CRT_attr(ColorElement e);
bool CRT_color(void);
bool CRT_utf8(void);
const Glyphs* CRT_glyphs(void);

/* A signal that ends the run was received (its number: SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1,
 * SIGXCPU, ... see base/signals.h), or 0. */
int CRT_quitSignal(void);
/* Act on a pending SIGTSTP: restore the terminal, stop, and take the screen
 * back on resume. True when the screen must be redrawn in full (after a
 * suspension, or after SIGCONT from an outside SIGSTOP). */
bool CRT_handleSuspend(void);

/* Text written to stderr since the last call: its last line, into buf; false when none. */
bool CRT_stderrLine(char* buf, size_t len);

/* Restore the terminal, print the message to stderr and exit with status. */
void CRT_fatal(int status, const char* fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

#endif
