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

#include "engine/engine.h"
#include "core/history.h"
#include "core/model.h"
#include "app/options.h"
#include "csv/recorder.h"
#include "csv/replay.h"
#include "core/scenario.h"
#include "core/snapshot.h"
#include "core/amdahl.h"
#include "core/analysis.h"
#include "ui/chart.h"
#include "ui/crt.h"
#include "ui/layout.h"
#include "core/prediction.h"
#include "ui/scenarioplan.h"
#include "core/sweep.h"
#include "core/tradeoff.h"
#include "core/verdict.h"

#define VIEW_HISTORY    ENGINE_HISTORY_SAMPLES
#define VIEW_EVENTS     256
#define VIEW_KNOB_ROWS  7 /* the knob panel's rows, from View_knobRows */
#define VIEW_SELECTABLE (VIEW_KNOB_ROWS + STAGE_LAST) /* the knob rows, then the stage rows */

typedef struct View {
   const Options* options;
   Snapshot snap;                /* the newest copy (held while frozen) */
   Knobs knobs;                  /* as the dashboard last set them: shown at once, before the engine's next snapshot */
   const HistorySample* hist;    /* oldest first */
   size_t nhist;
   HistoryEvent events[VIEW_EVENTS]; /* oldest first */
   size_t nevents;
   Analysis analysis;            /* the verdict, the forecast and its check, the Amdahl costs */
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
   /* the lesson */
   int scenario;                 /* ScenarioId in force; SCENARIO_LAST: none */
   const Calibration* calibration;
   /* Amdahl */
   int amdahl_stage;             /* the stage the Amdahl panel is about */
   bool amdahl_chosen;           /* selected by the user (else the largest share) */
   AmdahlTrial trial;
   /* the live batch-size sweep (owned by the dashboard) */
   const Sweep* sweep;
   /* record and replay */
   bool replaying;
   ReplayPosition replay;
   bool recording;
   RecorderStats rec;            /* its path points into rec_path */
   char rec_path[4096];
   char rec_error[512];          /* the last recording's failure, kept on screen */
   /* the scenario menu */
   int menu_selected;            /* 0..SCENARIO_LAST (the last: none) */
   ScenarioPlan plan;            /* of the selected entry */
   char plan_command[1024];
   /* where the last frame drew the selectable rows (screen y, -1 when not drawn) */
   int knob_y[VIEW_KNOB_ROWS];
   int stage_y[STAGE_LAST];
   Rect knob_area;
   Rect stage_area;
} View;

/* The knob panel's rows, in screen order: the knob each one is about. */
extern const KnobId View_knobRows[VIEW_KNOB_ROWS];

/* Whether a selection index is a stage row (else a knob row). */
static inline bool View_isStage(int selected) {
   return selected >= VIEW_KNOB_ROWS;
}

/* The knob a key or a row of id acts on here: the rate's is the burst size under
 * --arrival burst and the replay speed while replaying; the burst period's is
 * none (KNOB_LAST) unless the arrivals come in bursts from the simulator. */
KnobId View_knobInForce(const View* v, KnobId id);
/* The knob of a knob row here (KNOB_LAST: the row says what feeds the pipeline, and cannot be selected). */
KnobId View_rowKnob(const View* v, int row);

#endif
