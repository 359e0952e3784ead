/*
 * dashboard.c: the event loop. getch waits at most until the next frame's
 * absolute monotonic deadline (frames do not drift and missed ones are
 * skipped, not caught up); a frame copies the newest snapshot and the new
 * history samples, updates the verdict and the trade-off points, and draws
 * everything into stdscr with one doupdate. Keys return a bitmask telling
 * the loop what to do next. Knob changes go to the engine's control calls at
 * once and show on screen before the engine's next snapshot confirms them.
 *
 * The teaching layer rides on the same loop: the forecast is held between
 * bursts and checked against the measured growth, a stage toggle starts an
 * Amdahl trial that the history feeds, the batch-size sweep advances at its
 * phase boundaries (also while the display is frozen), and the recorder is
 * watched for a write error, which stops the recording and is kept on
 * screen and in the exit status.
 *
 * Everything is allocated once before the loop: a frame allocates nothing.
 */
#include "config.h"

#include "ui/dashboard.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_NCURSESW_CURSES_H
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

#include "base/clock.h"
#include "app/report.h"
#include "base/units.h"
#include "base/xalloc.h"
#include "ui/canvas.h"
#include "ui/crt.h"
#include "ui/panels.h"
#include "ui/recording.h"
#include "ui/view.h"

#define DASH_MESSAGE_NS     (3 * NS_PER_SEC)
#define DASH_KNOB_SETTLE_NS (400 * NS_PER_MS) /* our own knob values win this long after a change */
#define DASH_CPU_PERIOD_NS  (2 * NS_PER_SEC)
#define DASH_ARGS           128 /* arguments kept from /proc/self/cmdline for the restart command */

/* What a key handler asks of the loop. */
enum {
   DASH_HANDLED = 1 << 0,
   DASH_REDRAW = 1 << 1,
   DASH_RESIZE = 1 << 2,
   DASH_QUIT = 1 << 3,
};

typedef enum DashMode {
   MODE_MAIN,
   MODE_HELP,
   MODE_EVENTS,
   MODE_MENU, /* the scenario menu */
} DashMode;

typedef struct Dashboard {
   Run* run;
   const Options* options;
   Engine* engine;
   View view;
   DashMode mode;
   /* the history mirror: samples appended at the end, compacted when full */
   HistorySample* hist;
   size_t nhist;
   HistorySample* fetch; /* what Engine_history copies into */
   uint64_t last_seq;
   uint32_t events_seen; /* newest event id copied */
   int64_t knob_changed; /* when the dashboard last set a knob */
   char last_error[sizeof(((Snapshot*)0)->error)];
   /* the UI thread's own CPU use */
   int64_t cpu_t0, cpu_wall0;
   int64_t started;        /* when the engine started */
   Sweep sweep;
   Snapshot* sweep_snap;   /* the counts at a sweep boundary (the view's copy may be frozen) */
   Histogram* sweep_latency;
   int status;             /* the exit status a failure during the run asks for (a recording's) */
   char exit_error[512];   /* printed after the terminal is restored */
   /* the command line, for the restart command the scenario menu shows */
   char cmdline[8192];
   const char* argv[DASH_ARGS];
   int argc;
} Dashboard;

/* ------------------------------------------------------------ model */

static void dashboard_message(Dashboard* d, ColorElement e, int64_t duration, const char* fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void dashboard_message(Dashboard* d, ColorElement e, int64_t duration, const char* fmt, ...) {
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(d->view.message, sizeof d->view.message, fmt, ap);
   va_end(ap);
   d->view.message_elem = e;
   d->view.message_until = Clock_now() + duration;
}

/* The dashboard set a knob at time t: its own values win for a while, and the prediction check settles. */
static void dashboard_knobChanged(Dashboard* d, int64_t t) {
   d->knob_changed = t;
   Analysis_knobChanged(&d->view.analysis, t);
}

/* Append the samples newer than the newest we hold. */
static void dashboard_pullHistory(Dashboard* d) {
   size_t want = VIEW_HISTORY;
   if (d->nhist > 0 && d->view.snap.seq >= d->last_seq) {
      uint64_t fresh = d->view.snap.seq - d->last_seq + 2; /* a sample or two may land between the two copies */
      want = fresh < VIEW_HISTORY ? (size_t)fresh : VIEW_HISTORY;
   }
   size_t got = Engine_history(d->engine, d->fetch, want);
   int64_t newest = d->nhist ? d->hist[d->nhist - 1].t : INT64_MIN;
   size_t first = 0;
   while (first < got && d->fetch[first].t <= newest)
      first++;
   size_t add = got - first;
   if (add == 0)
      return;
   if (d->nhist + add > 2 * VIEW_HISTORY) {
      size_t keep = VIEW_HISTORY - (add < VIEW_HISTORY ? add : VIEW_HISTORY);
      memmove(d->hist, d->hist + d->nhist - keep, keep * sizeof *d->hist);
      d->nhist = keep;
   }
   memcpy(d->hist + d->nhist, d->fetch + first, add * sizeof *d->hist);
   size_t from = d->nhist;
   d->nhist += add;
   d->last_seq = d->view.snap.seq;
   /* the views see at most VIEW_HISTORY samples */
   size_t shown = d->nhist < VIEW_HISTORY ? d->nhist : VIEW_HISTORY;
   d->view.hist = d->hist + d->nhist - shown;
   d->view.nhist = shown;

   Tradeoff_feed(&d->view.tradeoff, d->hist + from, add, Tradeoff_variants(d->view.snap.knobs.variant),
                 d->view.snap.knobs.paused);
   AmdahlTrial_feed(&d->view.trial, d->hist + from, add);

   uint32_t ev = d->hist[d->nhist - 1].event;
   if (ev != d->events_seen) {
      d->view.nevents = Engine_events(d->engine, d->view.events, VIEW_EVENTS);
      d->events_seen = ev;
   }
}

static void dashboard_updateCpu(Dashboard* d, int64_t now) {
   if (now - d->cpu_wall0 < DASH_CPU_PERIOD_NS)
      return;
   int64_t cpu = Clock_threadCpu();
   d->view.ui_cpu = (double)(cpu - d->cpu_t0) / (double)(now - d->cpu_wall0);
   d->cpu_t0 = cpu;
   d->cpu_wall0 = now;
}

/* The analysis's parts that follow the user: the Amdahl panel's stage, and the toggle's trial. */
static void dashboard_updateTrial(Dashboard* d) {
   View* v = &d->view;
   const Snapshot* s = &v->snap;
   if (!v->amdahl_chosen)
      v->amdahl_stage = v->analysis.largest;
   /* the toggled stage's cost once the window holds only the new variant's work */
   AmdahlTrial* tr = &v->trial;
   if (tr->active && !tr->finished && AmdahlTrial_settled(tr, s->t) && s->stage[tr->stage].ns_per_record > 0)
      AmdahlTrial_setAfterCost(tr, s->stage[tr->stage].ns_per_record);
   AmdahlTrial_feedBusy(tr, s->t, s->out_rate, s->busy);
}

static void dashboard_updateSource(Dashboard* d) {
   View* v = &d->view;
   Run* run = d->run;
   v->replaying = run->replay != NULL;
   if (run->replay)
      Replay_position(run->replay, &v->replay);
   v->recording = run->recorder != NULL;
   if (run->recorder) {
      Recorder_stats(run->recorder, &v->rec);
      snprintf(v->rec_path, sizeof v->rec_path, "%s", run->record_path);
      v->rec.path = v->rec_path;
   }
}

/* A write error stops the recording at once; the pipeline goes on, the error stays on screen. */
static void dashboard_watchRecording(Dashboard* d) {
   Run* run = d->run;
   const char* why = Run_recordError(run);
   if (!why)
      return;
   char err[512];
   snprintf(d->view.rec_error, sizeof d->view.rec_error, "%s", why);
   if (Run_stopRecording(run, err, sizeof err) == 0)
      snprintf(err, sizeof err, "--record '%.200s': %.250s", run->record_path, why);
   snprintf(d->exit_error, sizeof d->exit_error, "%s", err);
   d->status = EXIT_OUTPUT;
   d->view.recording = false;
   dashboard_message(d, CE_CRIT, 60 * NS_PER_SEC, "recording stopped: %s", why);
}

/* The sweep's phase boundaries, measured from a fresh snapshot and the latency histogram. */
static void dashboard_sweepStep(Dashboard* d, int64_t now) {
   Sweep* sw = &d->sweep;
   if (!Sweep_due(sw, now))
      return;
   Snapshot* s = d->sweep_snap;
   Engine_snapshot(d->engine, s);
   Engine_latency(d->engine, d->sweep_latency);
   SweepMeasure m = {
      .t = s->t,
      .generated = s->generated,
      .completed = s->processed + s->filtered,
      .backlog = (double)s->backlog_records,
      .in_rate = s->in_rate,
      .oldest_age_ns = s->oldest_age_ns,
      .latency = d->sweep_latency,
   };
   uint32_t b = Sweep_advance(sw, &m, now);
   if (b == 0)
      return;
   Engine_setKnob(d->engine, KNOB_BATCH, b);
   d->view.knobs.batch = b;
   dashboard_knobChanged(d, now);
   AmdahlTrial_void(&d->view.trial, "the batch size");
   if (sw->phase == SWEEP_DONE) {
      int knee = Sweep_knee(sw->point, sw->n, SWEEP_KNEE_SHARE);
      Engine_mark(d->engine, "sweep done");
      if (knee >= 0)
         dashboard_message(d, CE_OK, 10 * NS_PER_SEC, "sweep done: knee at batch %u; batch %u restored",
                           sw->point[knee].batch, b);
   }
}

/* One frame's worth of new data (the display's part: nothing while frozen). */
static void dashboard_update(Dashboard* d, int64_t now) {
   View* v = &d->view;
   v->now = now;
   dashboard_updateCpu(d, now);
   char line[160];
   if (CRT_stderrLine(line, sizeof line))
      dashboard_message(d, CE_WARN, 10 * NS_PER_SEC, "stderr: %s", line);
   dashboard_watchRecording(d);
   dashboard_sweepStep(d, now);
   if (v->frozen)
      return;
   Engine_snapshot(d->engine, &v->snap);
   dashboard_pullHistory(d);
   Analysis_update(&v->analysis, &v->snap, v->hist, v->nhist);
   if (now - d->knob_changed > DASH_KNOB_SETTLE_NS)
      v->knobs = v->snap.knobs;
   dashboard_updateTrial(d);
   dashboard_updateSource(d);
   if (v->snap.error[0] && strcmp(v->snap.error, d->last_error) != 0) {
      memcpy(d->last_error, v->snap.error, sizeof d->last_error);
      dashboard_message(d, CE_CRIT, 60 * NS_PER_SEC, "%s", v->snap.error);
   }
}

/* ------------------------------------------------------------ drawing */

static void dashboard_draw(Dashboard* d) {
   View* v = &d->view;
   int h, w;
   getmaxyx(stdscr, h, w);
   v->now = Clock_now();
   const Knobs* k = &v->knobs;
   bool simulated = k->dispatch_cost_ns > 0;
   for (int s = 0; s < STAGE_LAST; s++)
      simulated = simulated || k->stage_cost_ns[s] > 0;
   LayoutFocus focus = {
      .source = v->replaying || v->recording || v->rec_error[0],
      .amdahl = View_isStage(v->selected) || v->scenario == SCENARIO_LECTURE || v->scenario == SCENARIO_AMDAHL,
      .trial = v->trial.active && v->trial.stage == v->amdahl_stage,
      .tradeoff = d->sweep.phase != SWEEP_IDLE || v->scenario == SCENARIO_BATCHING,
      .simulated = simulated,
   };
   PanelSpec specs[PANEL_LAST];
   int nspecs = Layout_arrange(specs, &focus);
   Layout_compute(&v->layout, w, h, Panels_captionRows(v, w), specs, nspecs);
   for (int i = 0; i < VIEW_KNOB_ROWS; i++)
      v->knob_y[i] = -1;
   for (int i = 0; i < STAGE_LAST; i++)
      v->stage_y[i] = -1;
   v->knob_area = v->stage_area = (Rect){0, 0, 0, 0};
   erase();
   Canvas full = Canvas_make((Rect){.y = 0, .x = 0, .h = h, .w = w});
   if (d->mode == MODE_HELP) {
      Panels_help(v, &full);
   } else if (d->mode == MODE_EVENTS) {
      Panels_eventLog(v, &full);
   } else if (d->mode == MODE_MENU) {
      Panels_scenarioMenu(v, &full);
   } else if (v->layout.too_small) {
      Panels_tooSmall(v, &full);
   } else {
      Canvas c = Canvas_make(v->layout.header);
      Panels_header(v, &c);
      if (v->layout.caption.h > 0) {
         c = Canvas_make(v->layout.caption);
         Panels_caption(v, &c);
      }
      c = Canvas_make(v->layout.verdict);
      Panels_verdict(v, &c);
      for (int p = 0; p < PANEL_LAST; p++) {
         if (!v->layout.shown[p])
            continue;
         /* one blank column between neighbouring panels */
         Rect r = v->layout.panel[p];
         if (r.x + r.w < w)
            r.w -= 1;
         if (r.x > 0) {
            r.x += 1;
            r.w -= 1;
         }
         c = Canvas_make(r);
         Panels_table[p].draw(v, &c);
      }
      c = Canvas_make(v->layout.keybar);
      Panels_keybar(v, &c);
   }
   wnoutrefresh(stdscr);
   doupdate();
}

/* ------------------------------------------------------------ keys */

static uint32_t dashboard_ncpu(const Dashboard* d) {
   return d->view.snap.ncpu ? d->view.snap.ncpu : Engine_cpuCount();
}

/* A knob the user changes ends what measured the old setting: a sweep in
 * progress (the batch size it replaced comes back, unless the user set the
 * batch size) and an Amdahl trial (it would no longer isolate its stage). */
static void dashboard_userChange(Dashboard* d, const char* what, bool batch) {
   if (Sweep_running(&d->sweep)) {
      uint32_t b = Sweep_cancel(&d->sweep);
      if (!batch && b) {
         Engine_setKnob(d->engine, KNOB_BATCH, b);
         d->view.knobs.batch = b;
      }
      Engine_mark(d->engine, "sweep cancelled");
      dashboard_message(d, CE_WARN, DASH_MESSAGE_NS, "sweep cancelled: %s changed", what);
   }
   AmdahlTrial_void(&d->view.trial, what);
}

static void dashboard_setSpeed(Dashboard* d, double speed) {
   Knobs* k = &d->view.knobs;
   char a[16];
   if (!d->view.replaying) {
      dashboard_message(d, CE_WARN, DASH_MESSAGE_NS, "no replay: the speed is a replay's (keepup --replay FILE)");
      return;
   }
   if (speed == k->speed) {
      Recording_speedText(a, sizeof a, speed);
      dashboard_message(d, CE_WARN, DASH_MESSAGE_NS, "replay speed already %s", a);
      return;
   }
   dashboard_userChange(d, "the speed", false);
   k->speed = speed;
   Engine_setKnob(d->engine, KNOB_SPEED, speed);
   dashboard_knobChanged(d, Clock_now());
   Recording_speedText(a, sizeof a, speed);
   dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, "replay speed %s%s", a, speed > 0 ? "" : " (as fast as possible)");
}

/* Move a knob one step (the one its key or row acts on here); a step that changes nothing says so and
 * touches nothing. */
static void dashboard_step(Dashboard* d, KnobId id, int dir) {
   id = View_knobInForce(&d->view, id);
   if (id == KNOB_LAST)
      return;
   Knobs* k = &d->view.knobs;
   if (id == KNOB_SPEED) {
      dashboard_setSpeed(d, Knob_step(id, k->speed, dir));
      return;
   }
   double from = Knobs_get(k, id), to = Knob_step(id, from, dir);
   if (to == from) {
      dashboard_message(d, CE_WARN, DASH_MESSAGE_NS, "already at its %s", dir > 0 ? "maximum" : "minimum");
      return;
   }
   Knobs_set(k, id, to);
   Engine_setKnob(d->engine, id, to);
   const KnobDef* def = &Knob_table[id];
   char value[32];
   Knob_format(id, to, value, sizeof value);
   bool over = id == KNOB_THREADS && to > dashboard_ncpu(d);
   dashboard_message(d, over ? CE_WARN : CE_VALUE, DASH_MESSAGE_NS, "%s %s%s%s%s", def->name, value,
                     def->unit ? " " : "", def->unit ? def->unit : "", over ? " (more than the CPUs)" : "");
   dashboard_userChange(d, def->what, id == KNOB_BATCH);
   dashboard_knobChanged(d, Clock_now());
}

static void dashboard_setVariant(Dashboard* d, int stage, Variant v) {
   View* view = &d->view;
   Variant from = view->knobs.variant[stage];
   if (from == v)
      return;
   dashboard_userChange(d, Stage_table[stage].name, false);
   /* the trial of this toggle: the costs and throughput before it */
   const Calibration* cal = view->calibration;
   double cal_speedup = cal && cal->ns[stage][v] > 0 ? cal->ns[stage][from] / cal->ns[stage][v] : 0;
   AmdahlTrial_begin(&view->trial, stage, from, v, Clock_now(), &view->analysis.costs, cal_speedup,
                     Analysis_busyAge(&view->knobs), view->analysis.per_busy, view->hist, view->nhist);
   view->amdahl_stage = stage;
   view->amdahl_chosen = true;
   d->view.knobs.variant[stage] = v;
   Engine_setVariant(d->engine, (StageId)stage, v);
   dashboard_knobChanged(d, Clock_now());
   dashboard_message(d, v == VARIANT_OPTIMIZED ? CE_OK : CE_WARN, DASH_MESSAGE_NS, "%s %s", Stage_table[stage].name,
                     Variant_name(v));
}

static void dashboard_toggleStage(Dashboard* d, int stage) {
   Variant cur = d->view.knobs.variant[stage];
   dashboard_setVariant(d, stage, cur == VARIANT_OPTIMIZED ? VARIANT_NAIVE : VARIANT_OPTIMIZED);
}

static void dashboard_setAll(Dashboard* d, Variant v) {
   dashboard_userChange(d, "every stage", false);
   for (int s = 0; s < STAGE_LAST; s++) {
      if (d->view.knobs.variant[s] == v)
         continue;
      d->view.knobs.variant[s] = v;
      Engine_setVariant(d->engine, (StageId)s, v);
   }
   dashboard_knobChanged(d, Clock_now());
   dashboard_message(d, v == VARIANT_OPTIMIZED ? CE_OK : CE_WARN, DASH_MESSAGE_NS, "all stages %s", Variant_name(v));
}

static bool dashboard_selectable(const Dashboard* d, int i) {
   return View_isStage(i) || View_rowKnob(&d->view, i) != KNOB_LAST;
}

static void dashboard_selectIndex(Dashboard* d, int i) {
   d->view.selected = i;
   if (View_isStage(i)) {
      d->view.amdahl_stage = i - VIEW_KNOB_ROWS;
      d->view.amdahl_chosen = true;
   }
}

static void dashboard_select(Dashboard* d, int dir) {
   int i = d->view.selected;
   do {
      i = (i + dir + VIEW_SELECTABLE) % VIEW_SELECTABLE;
   } while (!dashboard_selectable(d, i));
   dashboard_selectIndex(d, i);
}

/* The Amdahl panel's stage: the next or previous one (selected, so arrows and Enter act on it). */
static void dashboard_amdahlStage(Dashboard* d, int dir) {
   int st = (d->view.amdahl_stage + dir + STAGE_LAST) % STAGE_LAST;
   dashboard_selectIndex(d, VIEW_KNOB_ROWS + st);
}

static void dashboard_change(Dashboard* d, int dir) {
   int i = d->view.selected;
   if (View_isStage(i))
      dashboard_setVariant(d, i - VIEW_KNOB_ROWS, dir > 0 ? VARIANT_OPTIMIZED : VARIANT_NAIVE);
   else
      dashboard_step(d, View_rowKnob(&d->view, i), dir);
}

static bool dashboard_inside(Rect r, int y, int x) {
   return y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

static int dashboard_mouse(Dashboard* d) {
   MEVENT ev;
   if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
      return DASH_HANDLED;
   View* v = &d->view;
   if (d->mode != MODE_MAIN)
      return DASH_HANDLED;
   if (dashboard_inside(v->knob_area, ev.y, ev.x)) {
      for (int i = 0; i < VIEW_KNOB_ROWS; i++)
         if (v->knob_y[i] == ev.y && dashboard_selectable(d, i))
            dashboard_selectIndex(d, i);
   } else if (dashboard_inside(v->stage_area, ev.y, ev.x)) {
      for (int s = 0; s < STAGE_LAST; s++) {
         if (v->stage_y[s] == ev.y) {
            dashboard_selectIndex(d, VIEW_KNOB_ROWS + s);
            dashboard_toggleStage(d, s);
         }
      }
   }
   return DASH_HANDLED | DASH_REDRAW;
}

/* ------------------------------------------------------------ record, sweep, scenarios */

/* Start or stop recording what enters the pipeline. */
static void dashboard_toggleRecording(Dashboard* d) {
   Run* run = d->run;
   View* v = &d->view;
   char err[512], a[16], b[16];
   if (run->recorder) {
      RecorderStats st;
      Recorder_stats(run->recorder, &st);
      char path[sizeof run->record_path];
      snprintf(path, sizeof path, "%s", run->record_path);
      if (Run_stopRecording(run, err, sizeof err) != 0) {
         snprintf(v->rec_error, sizeof v->rec_error, "%s", err);
         snprintf(d->exit_error, sizeof d->exit_error, "%s", err);
         d->status = EXIT_OUTPUT;
         dashboard_message(d, CE_CRIT, 60 * NS_PER_SEC, "%s", err);
      } else {
         Units_formatCount(a, sizeof a, (double)st.records);
         Units_formatBytes(b, sizeof b, (double)st.bytes);
         dashboard_message(d, CE_OK, 10 * NS_PER_SEC, "recorded %s records (%s) to %s", a, b, path);
      }
      v->recording = false;
      return;
   }
   /* the --record path once (unless it was used at start), then a fresh name each time */
   char path[4096];
   if (d->options->record && !run->record_path[0]) {
      snprintf(path, sizeof path, "%s", d->options->record);
   } else {
      time_t now = time(NULL);
      struct tm tm;
      localtime_r(&now, &tm);
      unsigned attempt = 1;
      do {
         Recording_defaultName(path, sizeof path, &tm, attempt++);
      } while (access(path, F_OK) == 0 && attempt < 1000);
   }
   /* the recording's header carries the processing parameters in force now */
   run->params.window = v->knobs.window;
   if (Run_startRecording(run, path, err, sizeof err) != 0) {
      snprintf(v->rec_error, sizeof v->rec_error, "%s", err);
      dashboard_message(d, CE_CRIT, 30 * NS_PER_SEC, "%s", err);
      return;
   }
   v->rec_error[0] = '\0';
   dashboard_updateSource(d);
   dashboard_message(d, CE_OK, DASH_MESSAGE_NS, "recording to %s (R stops)", path);
}

static void dashboard_toggleSweep(Dashboard* d) {
   View* v = &d->view;
   Sweep* sw = &d->sweep;
   if (Sweep_running(sw)) {
      uint32_t b = Sweep_cancel(sw);
      Engine_setKnob(d->engine, KNOB_BATCH, b);
      v->knobs.batch = b;
      dashboard_knobChanged(d, Clock_now());
      Engine_mark(d->engine, "sweep cancelled");
      dashboard_message(d, CE_WARN, DASH_MESSAGE_NS, "sweep cancelled; batch %u restored", b);
      return;
   }
   if (v->knobs.paused) {
      dashboard_message(d, CE_WARN, DASH_MESSAGE_NS, "the source is paused: resume it (space) to sweep");
      return;
   }
   AmdahlTrial_void(&v->trial, "the batch size");
   int64_t now = Clock_now();
   uint32_t b = Sweep_start(sw, Sweep_defaultBatches, Sweep_defaultCount, v->knobs.batch, now);
   sw->threads = v->knobs.threads;
   sw->variants = Tradeoff_variants(v->knobs.variant);
   Engine_mark(d->engine, "sweep started");
   Engine_setKnob(d->engine, KNOB_BATCH, b);
   v->knobs.batch = b;
   dashboard_knobChanged(d, now);
   dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS,
                     "sweeping batch sizes 1024 down to 1, %.0f s or more each (S cancels)",
                     (double)(SWEEP_SETTLE_NS + SWEEP_MEASURE_NS) / 1e9);
}

static void dashboard_planMenu(Dashboard* d) {
   View* v = &d->view;
   ScenarioPlan_make(&v->plan, v->menu_selected, v->calibration, &d->run->options, &v->knobs, v->replaying);
   ScenarioPlan_command(v->plan_command, sizeof v->plan_command, d->argv, d->argc, v->menu_selected);
}

static void dashboard_openMenu(Dashboard* d) {
   d->mode = MODE_MENU;
   d->view.menu_selected = d->view.scenario >= 0 && d->view.scenario <= SCENARIO_LAST ? d->view.scenario : 0;
   dashboard_planMenu(d);
}

/* Set every knob of the plan in the running pipeline (only plans that need no restart). */
static void dashboard_applyPlan(Dashboard* d) {
   View* v = &d->view;
   const ScenarioPlan* p = &v->plan;
   const Options* t = &p->target;
   Knobs* k = &v->knobs;
   Engine* e = d->engine;
   dashboard_userChange(d, "the scenario", false);
   for (int i = 0; i < KNOB_LAST; i++) {
      if (!p->knob[i])
         continue;
      double value = Knobs_get(&t->setup.knobs, (KnobId)i);
      Knobs_set(k, (KnobId)i, value);
      Engine_setKnob(e, (KnobId)i, value);
   }
   for (int s = 0; s < STAGE_LAST; s++) {
      if (t->setup.knobs.variant[s] != k->variant[s])
         Engine_setVariant(e, (StageId)s, k->variant[s] = t->setup.knobs.variant[s]);
      if (t->setup.knobs.stage_cost_ns[s] != k->stage_cost_ns[s])
         Engine_setStageCost(e, (StageId)s, k->stage_cost_ns[s] = t->setup.knobs.stage_cost_ns[s]);
   }
   dashboard_knobChanged(d, Clock_now());
   v->scenario = p->id;
   d->run->options.scenario = p->id;
   char mark[48];
   snprintf(mark, sizeof mark, "scenario %s", Scenario_names[p->id]);
   Engine_mark(e, mark);
   /* a new lesson: the verdict measures afresh */
   Analysis_restartVerdict(&v->analysis);
   dashboard_message(d, CE_OK, 10 * NS_PER_SEC, "%s applied live (%d change%s)", Scenario_names[p->id],
                     p->n_changes, p->n_changes == 1 ? "" : "s");
}

static int dashboard_menuKey(Dashboard* d, int ch) {
   View* v = &d->view;
   switch (ch) {
   case KEY_UP:
      v->menu_selected = (v->menu_selected + SCENARIO_LAST) % (SCENARIO_LAST + 1);
      dashboard_planMenu(d);
      break;
   case KEY_DOWN:
      v->menu_selected = (v->menu_selected + 1) % (SCENARIO_LAST + 1);
      dashboard_planMenu(d);
      break;
   case '\n':
   case '\r':
   case KEY_ENTER:
      dashboard_planMenu(d); /* the knobs may have moved since the menu opened */
      if (!v->plan.live) {
         dashboard_message(d, CE_WARN, 10 * NS_PER_SEC, "%s needs a restart: see the command in the menu",
                           Scenario_names[v->plan.id]);
         break;
      }
      dashboard_applyPlan(d);
      d->mode = MODE_MAIN;
      break;
   case 'q':
   case 'Q':
   case KEY_F(10):
      return DASH_HANDLED | DASH_QUIT;
   case KEY_RESIZE:
      return DASH_HANDLED | DASH_RESIZE | DASH_REDRAW;
   case KEY_MOUSE: {
      MEVENT ev;
      getmouse(&ev);
      break;
   }
   default:
      d->mode = MODE_MAIN;
      break;
   }
   return DASH_HANDLED | DASH_REDRAW;
}

/* Keys of the help and event-log views: arrows scroll, anything else returns. */
static int dashboard_viewKey(Dashboard* d, int ch) {
   int page = LINES > 4 ? LINES - 3 : 1;
   /* the event log counts its scroll from the newest end */
   int sign = d->mode == MODE_EVENTS ? -1 : 1;
   switch (ch) {
   case KEY_UP:
      d->view.scroll -= sign;
      break;
   case KEY_DOWN:
      d->view.scroll += sign;
      break;
   case KEY_PPAGE:
      d->view.scroll -= sign * page;
      break;
   case KEY_NPAGE:
      d->view.scroll += sign * page;
      break;
   case KEY_HOME:
      d->view.scroll = sign > 0 ? 0 : 1 << 20;
      break;
   case KEY_END:
      d->view.scroll = sign > 0 ? 1 << 20 : 0;
      break;
   case KEY_RESIZE:
      return DASH_HANDLED | DASH_RESIZE | DASH_REDRAW;
   case KEY_MOUSE:
      return dashboard_mouse(d);
   case KEY_F(10):
      return DASH_HANDLED | DASH_QUIT;
   default:
      d->mode = MODE_MAIN;
      break;
   }
   if (d->view.scroll < 0)
      d->view.scroll = 0;
   return DASH_HANDLED | DASH_REDRAW;
}

static int dashboard_key(Dashboard* d, int ch) {
   if (d->mode == MODE_MENU)
      return dashboard_menuKey(d, ch);
   if (d->mode != MODE_MAIN)
      return dashboard_viewKey(d, ch);
   View* v = &d->view;
   switch (ch) {
   case 'q':
   case 'Q':
   case KEY_F(10):
      return DASH_HANDLED | DASH_QUIT;
   case '?':
   case 'h':
   case 'H':
   case KEY_F(1):
      d->mode = MODE_HELP;
      v->scroll = 0;
      break;
   case 'e':
   case 'E':
      d->mode = MODE_EVENTS;
      v->scroll = 0;
      break;
   case ' ':
      dashboard_userChange(d, "the source's pause", false);
      v->knobs.paused = !v->knobs.paused;
      Engine_setPaused(d->engine, v->knobs.paused);
      dashboard_knobChanged(d, Clock_now());
      dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, "source %s", v->knobs.paused ? "paused" : "resumed");
      break;
   case 'f':
   case 'F':
      v->frozen = !v->frozen;
      dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, v->frozen ? "display frozen, pipeline running" : "live again");
      break;
   case 'R':
      dashboard_toggleRecording(d);
      break;
   case 's':
      dashboard_openMenu(d);
      break;
   case 'S':
      dashboard_toggleSweep(d);
      break;
   case '[':
      dashboard_step(d, KNOB_SPEED, -1);
      break;
   case ']':
      dashboard_step(d, KNOB_SPEED, +1);
      break;
   case '{':
      dashboard_setSpeed(d, 1);
      break;
   case '}':
      dashboard_setSpeed(d, 0);
      break;
   case 'a':
      dashboard_amdahlStage(d, +1);
      break;
   case 'A':
      dashboard_amdahlStage(d, -1);
      break;
   case 'r':
      Engine_resetWindowed(d->engine);
      dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, "windowed statistics reset");
      break;
   case 'b':
      dashboard_step(d, KNOB_BATCH, -1);
      break;
   case 'B':
      dashboard_step(d, KNOB_BATCH, +1);
      break;
   case 't':
      dashboard_step(d, KNOB_THREADS, -1);
      break;
   case 'T':
      dashboard_step(d, KNOB_THREADS, +1);
      break;
   case '-':
   case '_':
      dashboard_step(d, KNOB_RATE, -1);
      break;
   case '+':
   case '=':
      dashboard_step(d, KNOB_RATE, +1);
      break;
   case 'l':
      dashboard_step(d, KNOB_LINGER, -1);
      break;
   case 'L':
      dashboard_step(d, KNOB_LINGER, +1);
      break;
   case 'w':
      dashboard_step(d, KNOB_WINDOW, -1);
      break;
   case 'W':
      dashboard_step(d, KNOB_WINDOW, +1);
      break;
   case 'p':
      dashboard_step(d, KNOB_OVERFLOW, +1);
      break;
   case 'P':
      dashboard_step(d, KNOB_OVERFLOW, -1);
      break;
   case 'o':
   case 'O':
      dashboard_setAll(d, VARIANT_OPTIMIZED);
      break;
   case 'n':
   case 'N':
      dashboard_setAll(d, VARIANT_NAIVE);
      break;
   case 'm':
   case 'M':
      Engine_mark(d->engine, "mark");
      dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, "mark set on the charts");
      break;
   case KEY_UP:
      dashboard_select(d, -1);
      break;
   case KEY_DOWN:
      dashboard_select(d, +1);
      break;
   case KEY_LEFT:
      dashboard_change(d, -1);
      break;
   case KEY_RIGHT:
      dashboard_change(d, +1);
      break;
   case '\n':
   case '\r':
   case KEY_ENTER:
      if (View_isStage(v->selected))
         dashboard_toggleStage(d, v->selected - VIEW_KNOB_ROWS);
      break;
   case 12: /* Ctrl-L */
      clearok(curscr, TRUE);
      break;
   case KEY_RESIZE:
      return DASH_HANDLED | DASH_RESIZE | DASH_REDRAW;
   case KEY_MOUSE:
      return dashboard_mouse(d);
   default:
      if (ch >= '1' && ch < '1' + STAGE_LAST) {
         dashboard_selectIndex(d, VIEW_KNOB_ROWS + (ch - '1'));
         dashboard_toggleStage(d, ch - '1');
         break;
      }
      return 0;
   }
   return DASH_HANDLED | DASH_REDRAW;
}

/* ------------------------------------------------------------ run */

static void dashboard_summary(FILE* out, const Snapshot* s) {
   char up[16], gen[16], pro[16], fil[16], dro[16], back[16];
   Units_formatDuration(up, sizeof up, (int64_t)llround(s->uptime_s * 1e9));
   Units_formatCount(gen, sizeof gen, (double)s->generated);
   Units_formatCount(pro, sizeof pro, (double)s->processed);
   Units_formatCount(fil, sizeof fil, (double)s->filtered);
   Units_formatCount(dro, sizeof dro, (double)s->dropped);
   Units_formatCount(back, sizeof back, (double)(s->queued + s->in_flight));
   fprintf(
       out,
       "keepup: stopped after %s: %s records generated = %s processed + %s filtered + %s dropped + %s still queued\n",
       up, gen, pro, fil, dro, back);
   fflush(out);
}

/* The command line this process was started with, for the restart command (Linux; else none). */
static void dashboard_readCmdline(Dashboard* d) {
   d->argc = 0;
   int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
   if (fd < 0)
      return;
   ssize_t n = read(fd, d->cmdline, sizeof d->cmdline - 1);
   close(fd);
   if (n <= 0 || (size_t)n >= sizeof d->cmdline - 1)
      return; /* too long to be sure it is whole: better none than a wrong one */
   d->cmdline[n] = '\0';
   for (ssize_t i = 0; i < n && d->argc < DASH_ARGS; i += (ssize_t)strlen(d->cmdline + i) + 1)
      d->argv[d->argc++] = d->cmdline + i;
}

int Dashboard_run(Run* run) {
   const Options* options = &run->options;
   Engine* engine = run->engine;
   char err[256];
   if (!CRT_init(options->no_color, err, sizeof err)) {
      fprintf(stderr, "keepup: %s.\nRun without a screen instead, e.g.: keepup --headless --duration 10s\n", err);
      return 2;
   }
   Dashboard* d = xcalloc(1, sizeof *d);
   d->run = run;
   d->options = options;
   d->engine = engine;
   d->hist = xcalloc(2 * VIEW_HISTORY, sizeof *d->hist);
   d->fetch = xcalloc(VIEW_HISTORY, sizeof *d->fetch);
   d->sweep_snap = xcalloc(1, sizeof *d->sweep_snap);
   d->sweep_latency = xcalloc(1, sizeof *d->sweep_latency);
   Sweep_init(&d->sweep);
   dashboard_readCmdline(d);
   View* v = &d->view;
   v->options = options;
   v->g = CRT_glyphs();
   v->hist = d->hist;
   v->scenario = options->scenario;
   v->calibration = &run->calibration;
   v->sweep = &d->sweep;
   Analysis_init(&v->analysis);
   Tradeoff_init(&v->tradeoff);

   Engine_start(engine);
   d->started = Clock_now();
   Engine_snapshot(engine, &v->snap);
   v->knobs = v->snap.knobs;
   dashboard_updateSource(d);
   d->cpu_t0 = Clock_threadCpu();
   d->cpu_wall0 = Clock_now();

   int64_t delay = options->delay_ns > 0 ? options->delay_ns : 100 * NS_PER_MS;
   int64_t end = options->duration_ns > 0 ? d->started + options->duration_ns : INT64_MAX;
   int64_t next = Clock_now();
   bool dirty = true;
   for (;;) {
      if (CRT_quitSignal())
         break;
      if (CRT_handleSuspend())
         dirty = true;
      int64_t now = Clock_now();
      if (now >= end) /* --duration: the same way out as q */
         break;
      if (now >= next) {
         dashboard_update(d, now);
         dirty = true;
         next += delay;
         if (next <= now) /* late (suspended, or a slow terminal): skip, do not catch up */
            next = now + delay;
      }
      if (dirty) {
         dashboard_draw(d);
         dirty = false;
      }
      int64_t wait_ns = (next < end ? next : end) - Clock_now();
      int wait_ms = wait_ns <= 0 ? 0 : (int)((wait_ns + NS_PER_MS - 1) / NS_PER_MS);
      timeout(wait_ms);
      int ch = getch();
      if (ch == ERR)
         continue;
      int r = dashboard_key(d, ch);
      if (r & DASH_QUIT)
         break;
      if (r & (DASH_REDRAW | DASH_RESIZE))
         dirty = true;
   }

   /* a sweep in progress gives the batch size back before the summary */
   if (Sweep_running(&d->sweep))
      Engine_setKnob(engine, KNOB_BATCH, Sweep_cancel(&d->sweep));
   CRT_done();
   Engine_stop(engine, false, 0);
   /* the final state, and the verdict on it (the display may have been frozen) */
   Engine_snapshot(engine, &v->snap);
   dashboard_pullHistory(d);
   Analysis_update(&v->analysis, &v->snap, v->hist, v->nhist);
   const Snapshot* last = &v->snap;
   int status = d->status;
   if (options->json) {
      /* standard output carries the JSON alone, as headless; the line for the eye goes to stderr */
      dashboard_summary(stderr, last);
      Report_writeJson(stdout, options, last, Report_backlogTrend(engine), &v->analysis);
      if (fflush(stdout) != 0) {
         fprintf(stderr, "keepup: --json: cannot write the summary: %s\n", strerror(errno));
         if (status == 0)
            status = EXIT_OUTPUT;
      }
   } else {
      dashboard_summary(stdout, last);
   }
   if (d->exit_error[0])
      fprintf(stderr, "keepup: %s\n", d->exit_error);
   free(d->sweep_latency);
   free(d->sweep_snap);
   free(d->fetch);
   free(d->hist);
   free(d);
   return status;
}
