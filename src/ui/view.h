/*
 * view.h: everything one frame of the dashboard draws from: the dashboard's
 * own copies of the engine's snapshot, history and events, what the UI
 * derives from them (the verdict, the trade-off points), and the UI's state
 * (selection, freeze, a message). Panels read it and record where they drew
 * the rows a mouse click can hit; only the dashboard loop changes the rest.
 */
#ifndef KEEPUP_UI_VIEW_H
#define KEEPUP_UI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "options.h"
#include "snapshot.h"
#include "ui/chart.h"
#include "ui/control.h"
#include "ui/crt.h"
#include "ui/layout.h"
#include "ui/tradeoff.h"
#include "ui/verdict.h"

#define VIEW_HISTORY    6000 /* ten minutes of 100 ms samples */
#define VIEW_EVENTS     256
#define VIEW_SELECTABLE (KNOB_LAST + STAGE_LAST) /* the knob rows, then the stage rows */

typedef struct View {
   const Options* options;
   Snapshot snap;                /* the newest copy (held while frozen) */
   StageStat stages[STAGE_LAST]; /* the stage window that last saw work (between bursts the live one is empty) */
   int64_t stages_t;             /* when it was measured; 0: never */
   Knobs knobs;                  /* as the dashboard last set them: shown at once, before the engine's next snapshot */
   const HistorySample* hist;    /* oldest first */
   size_t nhist;
   HistoryEvent events[VIEW_EVENTS]; /* oldest first */
   size_t nevents;
   Verdict verdict;
   Tradeoff tradeoff;
   const Glyphs* g;
   Layout layout;
   int selected; /* 0..VIEW_SELECTABLE-1 */
   bool frozen;
   double ui_cpu;     /* share of one CPU the UI thread used over the last seconds */
   int scroll;        /* first line of the help or event-log view */
   char message[160]; /* a line for the key bar (a change made, a captured stderr line) */
   ColorElement message_elem;
   int64_t message_until;
   int64_t now;
   /* where the last frame drew the selectable rows (screen y, -1 when not drawn) */
   int knob_y[KNOB_LAST];
   int stage_y[STAGE_LAST];
   Rect knob_area;
   Rect stage_area;
} View;

/* Whether a selection index is a stage row (else a knob row). */
static inline bool View_isStage(int selected) {
   return selected >= KNOB_LAST;
}

#endif
