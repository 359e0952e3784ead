/*
 * view.h: everything one frame of the dashboard draws from, in three parts
 * that change for different reasons:
 *
 *  - ViewData: the dashboard's own copies of the engine's snapshot, history
 *    and events, and what is derived from them (the analysis, the trade-off
 *    points, the Amdahl trial). The update step writes it; drawing reads it.
 *  - ViewUi: the UI's own state (selection, freeze, a message, scrolling, the
 *    menu's choice). The key and mouse actions write it; drawing reads it.
 *  - ViewHits: where the last frame drew the rows a mouse click can hit.
 *    Drawing writes it; the mouse action reads it.
 *
 * The panels take the View const and the hits apart, so that a frame cannot
 * change what it shows while it draws.
 */
#ifndef KEEPUP_UI_VIEW_H
#define KEEPUP_UI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/options.h"
#include "core/amdahl.h"
#include "core/analysis.h"
#include "core/history.h"
#include "core/knobs.h"
#include "core/lesson.h"
#include "core/scenario.h"
#include "core/snapshot.h"
#include "core/footprint.h"
#include "core/structure.h"
#include "core/sweep.h"
#include "core/tradeoff.h"
#include "csv/recorder.h"
#include "csv/replay.h"
#include "csv/replayprogress.h"
#include "engine/engine.h"
#include "ui/crt.h"
#include "ui/layout.h"
#include "ui/scenarioplan.h"

#define VIEW_HISTORY    ENGINE_HISTORY_SAMPLES
#define VIEW_EVENTS     256
#define VIEW_KNOB_ROWS  9                             /* the knob panel's rows, from View_knobRows */
#define VIEW_SELECTABLE (VIEW_KNOB_ROWS + STAGE_LAST) /* the knob rows, then the stage rows */

/* The copies and what is derived from them. */
typedef struct ViewData {
   const Options* options;
   const Calibration* calibration;
   int64_t now;               /* when the frame is drawn */
   Snapshot snap;             /* the newest copy (held while frozen) */
   Knobs knobs;               /* as the dashboard last set them: shown at once, before the engine's next snapshot */
   const HistorySample* hist; /* oldest first */
   size_t nhist;
   HistoryEvent events[VIEW_EVENTS]; /* oldest first */
   size_t nevents;
   Analysis analysis; /* the verdict, the forecast and its check, the Amdahl costs */
   Tradeoff tradeoff;
   AmdahlTrial trial;  /* the latest stage toggle's prediction and measurement */
   Structure structure; /* the structure lesson's table: each shape's measured figures */
   Lesson lesson;       /* the lesson in force: its checkpoints and before/after table, measured */
   Footprint footprint; /* the memory lesson's table: each layout's bytes per queued record */
   const Sweep* sweep; /* the live batch-size sweep (owned by the dashboard) */
   int scenario;       /* ScenarioId in force; SCENARIO_LAST: none */
   double ui_cpu;      /* share of one CPU the UI thread used over the last seconds */
   /* record and replay */
   const char* const* sensor_names; /* a replayed file's sensor names by id (NULL: numeric ids) */
   uint32_t n_sensor_names;
   bool replaying;
   ReplayPosition replay;
   ReplayProgress replay_progress; /* rates and time to go over a recent window */
   char replay_about[REPLAY_DESCRIBE_MAX]; /* how the (first) file is read */
   bool recording;
   RecorderStats rec; /* its path points into rec_path */
   char rec_path[4096];
   char rec_error[512]; /* the last recording's failure, kept on screen */
   char replay_error[REPLAY_MSG_MAX]; /* why the replay stopped early (FILE:LINE: ...), kept on screen */
   /* the scenario menu's entry, planned */
   ScenarioPlan plan;
   char* plan_command;      /* the restart command, whole: sized for the longest at start */
   size_t plan_command_len; /* its buffer's size */
} ViewData;

/* The UI's own state. */
typedef struct ViewUi {
   int selected; /* 0..VIEW_SELECTABLE-1 */
   bool frozen;
   int scroll;        /* first line of the help or event-log view */
   char message[160]; /* a line for the header (a change made, a captured stderr line) */
   ColorElement message_elem;
   int64_t message_until;
   int amdahl_stage;   /* the stage the Amdahl panel is about */
   bool amdahl_chosen; /* selected by the user (else the largest share) */
   int menu_selected;  /* 0..SCENARIO_LAST (the last: none) */
} ViewUi;

/* Where the last frame drew the selectable rows (screen y, -1 when not drawn). */
typedef struct ViewHits {
   int knob_y[VIEW_KNOB_ROWS];
   int stage_y[STAGE_LAST];
   Rect knob_area;
   Rect stage_area;
} ViewHits;

typedef struct View {
   ViewData data;
   ViewUi ui;
   Layout layout; /* this frame's: where each panel goes */
   const Glyphs* g;
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
/* A sensor's name when the replayed files name their sensors; NULL: show its number. */
const char* View_sensorName(const ViewData* v, uint32_t sensor);
/* Forget where rows were drawn (before a frame draws them again). */
void ViewHits_clear(ViewHits* this);

#endif
