/*
 * actions.h: what the dashboard's keys and clicks do. A key is looked up in
 * the key table (ui/keys.h) and its row's action runs; the help, event-log
 * and scenario-menu screens have a few keys of their own (scrolling,
 * choosing, returning).
 */
#ifndef KEEPUP_UI_ACTIONS_H
#define KEEPUP_UI_ACTIONS_H

#include "ui/dashboard.h"

/* What an action asks of the loop. */
enum {
   ACTION_HANDLED = 1 << 0,
   ACTION_REDRAW = 1 << 1,
   ACTION_RESIZE = 1 << 2,
   ACTION_QUIT = 1 << 3,
};

/* Act on one key (a curses key code) in the screen the dashboard shows; returns ACTION_* flags (0: not a key). */
int Actions_key(Dashboard* d, int ch);
/* What the live sweep measures of the pipeline: s's counts and the latency histogram now. */
void Actions_sweepMeasure(Dashboard* d, const Snapshot* s, SweepMeasure* m);

#endif
