/*
 * actions.c: what the dashboard's keys and clicks do. The key table
 * (ui/keys.h) says which action a key takes; the table below gives each
 * action its function. A knob changes in the engine at once (Engine_setKnob)
 * and in the view's own copy, which the screen shows before the engine's
 * next snapshot confirms it. A change the user makes ends what measured the
 * old setting: a sweep in progress and an Amdahl trial.
 */
#include "config.h"

#include "ui/actions.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_NCURSESW_CURSES_H
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

#include "base/clock.h"
#include "base/units.h"
#include "base/sysinfo.h"
#include "ui/keys.h"
#include "ui/recording.h"

#define ACTIONS_MESSAGE_NS (3 * NS_PER_SEC)
#define ACTIONS_DONE       (ACTION_HANDLED | ACTION_REDRAW)

/* ------------------------------------------------------------ knobs and stages */

static uint32_t actions_ncpu(const Dashboard* d) {
   return d->view.data.snap.ncpu ? d->view.data.snap.ncpu : Sysinfo_cpuCount();
}

/* A knob the user changes ends what measured the old setting: a sweep in
 * progress (the batch size it replaced comes back, unless the user set the
 * batch size) and an Amdahl trial (it would no longer isolate its stage). */
static void actions_userChange(Dashboard* d, const char* what, bool batch) {
   if (Sweep_running(&d->sweep)) {
      uint32_t b = Sweep_cancel(&d->sweep);
      if (!batch && b) {
         Engine_setKnob(d->engine, KNOB_BATCH, b);
         d->view.data.knobs.batch = b;
      }
      Engine_mark(d->engine, "sweep cancelled");
      Dashboard_message(d, CE_WARN, ACTIONS_MESSAGE_NS, "sweep cancelled: %s changed", what);
   }
   AmdahlTrial_void(&d->view.data.trial, what);
}

static void actions_setSpeed(Dashboard* d, double speed) {
   Knobs* k = &d->view.data.knobs;
   char a[16];
   if (!d->view.data.replaying) {
      Dashboard_message(d, CE_WARN, ACTIONS_MESSAGE_NS, "no replay: the speed is a replay's (keepup --replay FILE)");
      return;
   }
   if (speed == k->speed) {
      Recording_speedText(a, sizeof a, speed);
      Dashboard_message(d, CE_WARN, ACTIONS_MESSAGE_NS, "replay speed already %s", a);
      return;
   }
   actions_userChange(d, Knob_table[KNOB_SPEED].what, false);
   k->speed = speed;
   Engine_setKnob(d->engine, KNOB_SPEED, speed);
   Dashboard_knobChanged(d, Clock_now());
   Recording_speedText(a, sizeof a, speed);
   Dashboard_message(d, CE_VALUE, ACTIONS_MESSAGE_NS, "replay speed %s%s", a,
                     speed > 0 ? "" : " (as fast as possible)");
}

/* Move a knob one step (the one its key or row acts on here); a step that
 * changes nothing says so and touches nothing. */
static void actions_step(Dashboard* d, KnobId id, int dir) {
   id = View_knobInForce(&d->view, id);
   if (id == KNOB_LAST)
      return;
   Knobs* k = &d->view.data.knobs;
   if (id == KNOB_SPEED) {
      actions_setSpeed(d, Knob_step(id, k->speed, dir));
      return;
   }
   double from = Knobs_get(k, id), to = Knob_step(id, from, dir);
   /* the engine's own limits: a batch the backlog cap holds, the threads the system let start */
   uint32_t cap = id == KNOB_BATCH ? Knobs_batchMax(k) : id == KNOB_THREADS ? d->view.data.snap.threads_cap : 0;
   if (cap && to > cap) {
      to = cap > from ? cap : from;
      if (to == from) {
         Dashboard_message(d, CE_WARN, ACTIONS_MESSAGE_NS,
                           id == KNOB_BATCH ? "batch %u: the backlog cap holds no larger batch"
                                            : "threads %u: no more could be started",
                           cap);
         return;
      }
   }
   if (to == from) {
      Dashboard_message(d, CE_WARN, ACTIONS_MESSAGE_NS, "already at its %s", dir > 0 ? "maximum" : "minimum");
      return;
   }
   Knobs_set(k, id, to);
   Engine_setKnob(d->engine, id, to);
   const KnobDef* def = &Knob_table[id];
   char value[32];
   Knob_format(id, to, value, sizeof value);
   bool over = id == KNOB_THREADS && to > actions_ncpu(d);
   Dashboard_message(d, over ? CE_WARN : CE_VALUE, ACTIONS_MESSAGE_NS, "%s %s%s%s%s", def->name, value,
                     def->unit ? " " : "", def->unit ? def->unit : "", over ? " (more than the CPUs)" : "");
   actions_userChange(d, def->what, id == KNOB_BATCH);
   Dashboard_knobChanged(d, Clock_now());
}

static void actions_setVariant(Dashboard* d, int stage, Variant to) {
   ViewData* v = &d->view.data;
   Variant from = v->knobs.variant[stage];
   if (from == to)
      return;
   actions_userChange(d, Stage_table[stage].name, false);
   /* the trial of this toggle: the costs and throughput before it */
   const Calibration* cal = v->calibration;
   double cal_speedup = cal && cal->ns[stage][to] > 0 ? cal->ns[stage][from] / cal->ns[stage][to] : 0;
   size_t first = Dashboard_pipelineFirst(d);
   AmdahlTrial_begin(&v->trial, stage, from, to, Clock_now(), &v->analysis.costs, cal_speedup,
                     Analysis_busyAge(&v->knobs), v->analysis.per_busy, v->hist + first, v->nhist - first);
   d->view.ui.amdahl_stage = stage;
   d->view.ui.amdahl_chosen = true;
   v->knobs.variant[stage] = to;
   Engine_setVariant(d->engine, (StageId)stage, to);
   Dashboard_knobChanged(d, Clock_now());
   Dashboard_message(d, to == VARIANT_OPTIMIZED ? CE_OK : CE_WARN, ACTIONS_MESSAGE_NS, "%s %s", Stage_table[stage].name,
                     Variant_name(to));
}

static void actions_toggleStage(Dashboard* d, int stage) {
   Variant cur = d->view.data.knobs.variant[stage];
   actions_setVariant(d, stage, cur == VARIANT_OPTIMIZED ? VARIANT_NAIVE : VARIANT_OPTIMIZED);
}

static bool actions_selectable(const Dashboard* d, int i) {
   return View_isStage(i) || View_rowKnob(&d->view, i) != KNOB_LAST;
}

static void actions_selectIndex(Dashboard* d, int i) {
   d->view.ui.selected = i;
   if (View_isStage(i)) {
      d->view.ui.amdahl_stage = i - VIEW_KNOB_ROWS;
      d->view.ui.amdahl_chosen = true;
   }
}

/* ------------------------------------------------------------ record, sweep, scenarios */

/* Stop the recording: its counts, or its failure kept on screen and in the exit status. */
static void actions_stopRecording(Dashboard* d) {
   Run* run = d->run;
   ViewData* v = &d->view.data;
   char err[512], a[16], b[16], path[sizeof run->record_path];
   RecorderStats st;
   Recorder_stats(run->recorder, &st);
   snprintf(path, sizeof path, "%s", run->record_path);
   if (Run_stopRecording(run, err, sizeof err) != 0) { /* the run keeps the failure for the exit status */
      snprintf(v->rec_error, sizeof v->rec_error, "%s", err);
      Dashboard_message(d, CE_CRIT, 60 * NS_PER_SEC, "%s", err);
   } else {
      Units_formatCount(a, sizeof a, (double)st.records);
      Units_formatBytes(b, sizeof b, (double)st.bytes);
      Dashboard_message(d, CE_OK, 10 * NS_PER_SEC, "recorded %s records (%s) to %s", a, b, path);
   }
   v->recording = false;
}

/* Start recording: to the --record path once (unless it was used at start), then a fresh name each time. */
static void actions_startRecording(Dashboard* d) {
   Run* run = d->run;
   ViewData* v = &d->view.data;
   char err[512], path[4096];
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
      Dashboard_message(d, CE_CRIT, 30 * NS_PER_SEC, "%s", err);
      return;
   }
   v->rec_error[0] = '\0';
   Dashboard_updateSource(d);
   Dashboard_message(d, CE_OK, ACTIONS_MESSAGE_NS, "recording to %s (R stops)", path);
}

static void actions_planMenu(Dashboard* d) {
   ViewData* v = &d->view.data;
   int id = d->view.ui.menu_selected;
   ScenarioPlan_make(&v->plan, id, v->calibration, &d->run->options, &v->knobs, v->replaying);
   ScenarioPlan_command(v->plan_command, v->plan_command_len, d->argv, d->argc, id);
}

/* Start the plan's scenario in a new pipeline (the simulator), the charts marked with mark: a recording
 * ends first, its header describing the fleet it recorded. False: the new pipeline could not start. */
static bool actions_fresh(Dashboard* d, const char* mark) {
   if (d->run->recorder)
      actions_stopRecording(d);
   actions_userChange(d, "the scenario", false);
   const ScenarioPlan* p = &d->view.data.plan;
   return Dashboard_switchPipeline(d, &p->target, p->id, mark);
}

/* Set every knob of the plan in the running pipeline (only plans that need no restart). */
static void actions_applyPlan(Dashboard* d) {
   ViewData* v = &d->view.data;
   const ScenarioPlan* p = &v->plan;
   const Knobs* t = &p->target.setup.knobs;
   Knobs* k = &v->knobs;
   Engine* e = d->engine;
   actions_userChange(d, "the scenario", false);
   for (int i = 0; i < KNOB_LAST; i++) {
      if (!p->knob[i])
         continue;
      double value = Knobs_get(t, (KnobId)i);
      Knobs_set(k, (KnobId)i, value);
      Engine_setKnob(e, (KnobId)i, value);
   }
   for (int s = 0; s < STAGE_LAST; s++) {
      if (t->variant[s] != k->variant[s])
         Engine_setVariant(e, (StageId)s, k->variant[s] = t->variant[s]);
      if (t->stage_cost_ns[s] != k->stage_cost_ns[s])
         Engine_setStageCost(e, (StageId)s, k->stage_cost_ns[s] = t->stage_cost_ns[s]);
   }
   Dashboard_knobChanged(d, Clock_now());
   v->scenario = p->id;
   d->run->options.scenario = p->id;
   char mark[48];
   snprintf(mark, sizeof mark, "scenario %s", Scenario_names[p->id]);
   Engine_mark(e, mark);
   /* a new lesson: the verdict measures afresh */
   Analysis_restartVerdict(&v->analysis);
   Lesson_init(&v->lesson, p->id);
   Dashboard_message(d, CE_OK, 10 * NS_PER_SEC, "%s applied live (%d change%s)", Scenario_names[p->id], p->n_changes,
                     p->n_changes == 1 ? "" : "s");
}

/* ------------------------------------------------------------ the key table's actions */

typedef int (*ActionFn)(Dashboard* d, const KeyBinding* b, int ch, int dir);

static int actions_help(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   d->mode = MODE_HELP;
   d->view.ui.scroll = 0;
   return ACTIONS_DONE;
}

static int actions_quit(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)d, (void)b, (void)ch, (void)dir;
   return ACTION_HANDLED | ACTION_QUIT;
}

static int actions_menu(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   int in_force = d->view.data.scenario;
   d->mode = MODE_MENU;
   d->view.ui.menu_selected = in_force >= 0 && in_force <= SCENARIO_LAST ? in_force : 0;
   actions_planMenu(d);
   return ACTIONS_DONE;
}

static int actions_knob(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)ch;
   actions_step(d, b->knob, dir);
   return ACTIONS_DONE;
}

/* { : the file's own pace; } : as fast as possible */
static int actions_speedEnds(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch;
   actions_setSpeed(d, dir < 0 ? 1 : 0);
   return ACTIONS_DONE;
}

/* Whether the replay can move (what: "seek", "restart", "loop"); says why not. */
static bool actions_canMove(Dashboard* d, const char* what) {
   const ViewData* v = &d->view.data;
   const char* why = NULL;
   if (!v->replaying)
      why = "no replay (keepup --replay FILE)";
   else if (v->replay_error[0])
      why = "the replay stopped on an error";
   else if (!v->replay.can_move)
      why = "the input is a stream or --follow";
   if (why)
      Dashboard_message(d, CE_WARN, ACTIONS_MESSAGE_NS, "cannot %s: %s", what, why);
   return why == NULL;
}

/* Ask the source to move the replay; it applies the move before its next record. */
static void actions_move(Dashboard* d, GeneratorMove how, int count, const char* what) {
   char why[GENERATOR_MOVE_TEXT];
   actions_userChange(d, "the replay's position", false);
   if (!Engine_move(d->engine, how, count, why, sizeof why)) {
      Dashboard_message(d, CE_WARN, ACTIONS_MESSAGE_NS, "%s", why);
      return;
   }
   Dashboard_knobChanged(d, Clock_now());
   Dashboard_message(d, CE_VALUE, ACTIONS_MESSAGE_NS, "%s", what);
}

/* < >: a tenth of the files' time back or forward */
static int actions_seek(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch;
   if (actions_canMove(d, "seek"))
      actions_move(d, GENERATOR_MOVE_SEEK, dir,
                   dir < 0 ? "seek -10%: those rows play again" : "seek +10%: the rows passed over are counted");
   return ACTIONS_DONE;
}

/* Home: from the first row again */
static int actions_restart(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   if (actions_canMove(d, "restart"))
      actions_move(d, GENERATOR_MOVE_RESTART, 0, "restart: every row plays again, counted again");
   return ACTIONS_DONE;
}

/* .: pause, and play the next burst */
static int actions_stepBurst(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   ViewData* v = &d->view.data;
   if (!v->replaying || v->replay_error[0] || v->replay.finished) {
      Dashboard_message(d, CE_WARN, ACTIONS_MESSAGE_NS, "nothing to step: %s",
                        !v->replaying ? "no replay (keepup --replay FILE)" : "the replay has ended");
      return ACTIONS_DONE;
   }
   if (!v->knobs.paused) {
      v->knobs.paused = true;
      Engine_setPaused(d->engine, true);
   }
   actions_move(d, GENERATOR_MOVE_STEP, 1, "stepped one burst (paused; space resumes)");
   return ACTIONS_DONE;
}

/* @: play again at the end, or not */
static int actions_loop(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   bool on = !d->view.data.replay.loop;
   if (!on || actions_canMove(d, "loop")) {
      actions_move(d, GENERATOR_MOVE_LOOP, on,
                   on ? "loop on: the replay plays again at its end" : "loop off");
      d->view.data.replay.loop = on; /* until the next position says so */
   }
   return ACTIONS_DONE;
}

static int actions_stage(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)dir;
   int stage = ch - '1';
   if (stage < 0 || stage >= STAGE_LAST)
      return 0;
   actions_selectIndex(d, VIEW_KNOB_ROWS + stage);
   actions_toggleStage(d, stage);
   return ACTIONS_DONE;
}

static int actions_record(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   if (d->run->recorder)
      actions_stopRecording(d);
   else
      actions_startRecording(d);
   return ACTIONS_DONE;
}

/* The sweep's measurement of the pipeline now. */
void Actions_sweepMeasure(Dashboard* d, const Snapshot* s, SweepMeasure* m) {
   Engine_latency(d->engine, d->sweep_latency);
   *m = (SweepMeasure){
       .t = s->t,
       .generated = s->generated,
       .completed = s->processed + s->filtered,
       .backlog = (double)(s->backlog_records + s->held_back),
       .in_rate = s->in_rate,
       .oldest_age_ns = s->oldest_age_ns,
       .done_stale = s->done_stale,
       .latency = d->sweep_latency,
   };
}

static int actions_sweep(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   Knobs* k = &d->view.data.knobs;
   Sweep* sw = &d->sweep;
   if (Sweep_running(sw)) {
      uint32_t batch = Sweep_cancel(sw);
      if (batch) {
         Engine_setKnob(d->engine, KNOB_BATCH, batch);
         k->batch = batch;
         Dashboard_knobChanged(d, Clock_now());
      }
      Engine_mark(d->engine, "sweep cancelled");
      Dashboard_message(d, CE_WARN, ACTIONS_MESSAGE_NS, "sweep cancelled; batch %u %s", k->batch,
                        batch ? "restored" : "kept");
      return ACTIONS_DONE;
   }
   if (k->paused) {
      Dashboard_message(d, CE_WARN, ACTIONS_MESSAGE_NS, "the source is paused: resume it (space) to sweep");
      return ACTIONS_DONE;
   }
   int64_t now = Clock_now();
   SweepMeasure m;
   Actions_sweepMeasure(d, &d->view.data.snap, &m);
   /* the verdict, or before it has judged (MEASURING) the last second's backlog: growing by more than
    * a twentieth of what arrives is growing */
   VerdictState state = d->view.data.analysis.verdict.state;
   const Snapshot* snap = &d->view.data.snap;
   bool grows = snap->backlog_rate > 0 && snap->backlog_rate > 0.05 * snap->in_rate;
   SweepTrend trend = SWEEP_TREND_STEADY;
   if (state == VERDICT_CATCHING_UP)
      trend = SWEEP_TREND_DRAINING;
   else if (state == VERDICT_FALLING_BEHIND || grows)
      trend = SWEEP_TREND_GROWING;
   uint32_t batch = 0;
   SweepBegin begun = Sweep_begin(sw, Sweep_defaultBatches, Sweep_defaultCount, k->batch, now, &m, trend, &batch);
   if (begun == SWEEP_REFUSED) {
      Dashboard_message(d, CE_WARN, 2 * ACTIONS_MESSAGE_NS, "no sweep: %s", sw->why);
      return ACTIONS_DONE;
   }
   sw->threads = k->threads;
   sw->variants = Tradeoff_variants(k->variant);
   AmdahlTrial_void(&d->view.data.trial, Knob_table[KNOB_BATCH].what);
   Engine_mark(d->engine, "sweep started");
   if (begun == SWEEP_WAITS) {
      Dashboard_message(d, CE_WARN, ACTIONS_MESSAGE_NS, "sweep: waiting for the backlog to drain first (S cancels)");
      return ACTIONS_DONE;
   }
   Engine_setKnob(d->engine, KNOB_BATCH, batch);
   k->batch = batch;
   Dashboard_knobChanged(d, now);
   Dashboard_message(d, CE_VALUE, ACTIONS_MESSAGE_NS,
                     "sweeping batch sizes 1024 down to 1, %.0f s or more each (S cancels)",
                     (double)(SWEEP_SETTLE_NS + SWEEP_MEASURE_NS) / 1e9);
   return ACTIONS_DONE;
}

static int actions_pause(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   Knobs* k = &d->view.data.knobs;
   actions_userChange(d, "the source's pause", false);
   k->paused = !k->paused;
   Engine_setPaused(d->engine, k->paused);
   Dashboard_knobChanged(d, Clock_now());
   Dashboard_message(d, CE_VALUE, ACTIONS_MESSAGE_NS, "source %s", k->paused ? "paused" : "resumed");
   return ACTIONS_DONE;
}

static int actions_freeze(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   bool frozen = d->view.ui.frozen = !d->view.ui.frozen;
   Dashboard_message(d, CE_VALUE, ACTIONS_MESSAGE_NS, frozen ? "display frozen, pipeline running" : "live again");
   return ACTIONS_DONE;
}

/* o: every stage optimized; n: every stage naive */
static int actions_all(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch;
   Variant to = dir > 0 ? VARIANT_OPTIMIZED : VARIANT_NAIVE;
   Knobs* k = &d->view.data.knobs;
   actions_userChange(d, "every stage", false);
   for (int s = 0; s < STAGE_LAST; s++)
      k->variant[s] = to;
   Engine_setAllVariants(d->engine, to);
   Dashboard_knobChanged(d, Clock_now());
   Dashboard_message(d, to == VARIANT_OPTIMIZED ? CE_OK : CE_WARN, ACTIONS_MESSAGE_NS, "all stages %s",
                     Variant_name(to));
   return ACTIONS_DONE;
}

static int actions_events(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   d->mode = MODE_EVENTS;
   d->view.ui.scroll = 0;
   return ACTIONS_DONE;
}

static int actions_latency(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   d->mode = MODE_LATENCY;
   return ACTIONS_DONE;
}

/* z: the scenario in force again, from its own knobs, in a new pipeline */
static int actions_afresh(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   ViewData* v = &d->view.data;
   if (v->replaying) {
      Dashboard_message(d, CE_WARN, ACTIONS_MESSAGE_NS, "z starts a simulated demo afresh; this run replays a file");
      return ACTIONS_DONE;
   }
   int id = v->scenario >= 0 && v->scenario <= SCENARIO_LAST ? v->scenario : SCENARIO_LAST;
   ScenarioPlan_make(&v->plan, id, v->calibration, &d->run->options, &v->knobs, false);
   char mark[48];
   snprintf(mark, sizeof mark, "%s afresh", Scenario_names[id]);
   if (!actions_fresh(d, mark))
      return ACTION_HANDLED | ACTION_QUIT;
   return ACTIONS_DONE;
}

static int actions_reset(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   Engine_resetWindowed(d->engine);
   Dashboard_message(d, CE_VALUE, ACTIONS_MESSAGE_NS, "windowed statistics reset");
   return ACTIONS_DONE;
}

/* The Amdahl panel's stage: the next or previous one (selected, so arrows and Enter act on it). */
static int actions_amdahl(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch;
   int st = (d->view.ui.amdahl_stage + dir + STAGE_LAST) % STAGE_LAST;
   actions_selectIndex(d, VIEW_KNOB_ROWS + st);
   return ACTIONS_DONE;
}

static int actions_select(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch;
   int i = d->view.ui.selected;
   do {
      i = (i + dir + VIEW_SELECTABLE) % VIEW_SELECTABLE;
   } while (!actions_selectable(d, i));
   actions_selectIndex(d, i);
   return ACTIONS_DONE;
}

static int actions_change(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch;
   int i = d->view.ui.selected;
   if (View_isStage(i))
      actions_setVariant(d, i - VIEW_KNOB_ROWS, dir > 0 ? VARIANT_OPTIMIZED : VARIANT_NAIVE);
   else
      actions_step(d, View_rowKnob(&d->view, i), dir);
   return ACTIONS_DONE;
}

static int actions_enter(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   if (View_isStage(d->view.ui.selected))
      actions_toggleStage(d, d->view.ui.selected - VIEW_KNOB_ROWS);
   return ACTIONS_DONE;
}

static int actions_mark(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   Engine_mark(d->engine, "mark");
   Dashboard_message(d, CE_VALUE, ACTIONS_MESSAGE_NS, "mark set on the charts");
   return ACTIONS_DONE;
}

static int actions_redraw(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)d, (void)b, (void)ch, (void)dir;
   clearok(curscr, TRUE);
   return ACTIONS_DONE;
}

static bool actions_inside(Rect r, int y, int x) {
   return y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

/* A click on a knob selects it; on a stage, selects and toggles it. */
static int actions_mouse(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)b, (void)ch, (void)dir;
   MEVENT ev;
   if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
      return ACTION_HANDLED;
   const ViewHits* h = &d->hits;
   if (d->mode != MODE_MAIN)
      return ACTION_HANDLED;
   if (actions_inside(h->knob_area, ev.y, ev.x)) {
      for (int i = 0; i < VIEW_KNOB_ROWS; i++)
         if (h->knob_y[i] == ev.y && actions_selectable(d, i))
            actions_selectIndex(d, i);
   } else if (actions_inside(h->stage_area, ev.y, ev.x)) {
      for (int s = 0; s < STAGE_LAST; s++) {
         if (h->stage_y[s] == ev.y) {
            actions_selectIndex(d, VIEW_KNOB_ROWS + s);
            actions_toggleStage(d, s);
         }
      }
   }
   return ACTIONS_DONE;
}

static int actions_resize(Dashboard* d, const KeyBinding* b, int ch, int dir) {
   (void)d, (void)b, (void)ch, (void)dir;
   return ACTION_HANDLED | ACTION_RESIZE | ACTION_REDRAW;
}

static const ActionFn actions_table[KEYS_ACTION_LAST] = {
    [KEYS_HELP] = actions_help,
    [KEYS_QUIT] = actions_quit,
    [KEYS_MENU] = actions_menu,
    [KEYS_KNOB] = actions_knob,
    [KEYS_SPEED_ENDS] = actions_speedEnds,
    [KEYS_SEEK] = actions_seek,
    [KEYS_RESTART] = actions_restart,
    [KEYS_STEP] = actions_stepBurst,
    [KEYS_LOOP] = actions_loop,
    [KEYS_STAGE] = actions_stage,
    [KEYS_RECORD] = actions_record,
    [KEYS_SWEEP] = actions_sweep,
    [KEYS_PAUSE] = actions_pause,
    [KEYS_FREEZE] = actions_freeze,
    [KEYS_ALL] = actions_all,
    [KEYS_EVENTS] = actions_events,
    [KEYS_LATENCY] = actions_latency,
    [KEYS_RESET] = actions_reset,
    [KEYS_AFRESH] = actions_afresh,
    [KEYS_AMDAHL] = actions_amdahl,
    [KEYS_SELECT] = actions_select,
    [KEYS_CHANGE] = actions_change,
    [KEYS_ENTER] = actions_enter,
    [KEYS_MARK] = actions_mark,
    [KEYS_REDRAW] = actions_redraw,
    [KEYS_MOUSE] = actions_mouse,
    [KEYS_RESIZE] = actions_resize,
};

/* ------------------------------------------------------------ the other screens' keys */

/* The scenario menu: up and down choose, Enter switches (the simulator: a new pipeline; a replay: live, or
 * says a restart is needed), q quits, any
 * other key returns. */
static int actions_menuKey(Dashboard* d, int ch) {
   ViewUi* ui = &d->view.ui;
   int dir = 0;
   const KeyBinding* b = Keys_find(ch, &dir);
   KeyAction a = b ? b->action : KEYS_ACTION_LAST;
   if (a == KEYS_QUIT || a == KEYS_RESIZE)
      return actions_table[a](d, b, ch, dir);
   if (a == KEYS_MOUSE) {
      MEVENT ev;
      getmouse(&ev);
   } else if (a == KEYS_SELECT) {
      ui->menu_selected = (ui->menu_selected + dir + SCENARIO_LAST + 1) % (SCENARIO_LAST + 1);
      actions_planMenu(d);
   } else if (a == KEYS_ENTER) {
      actions_planMenu(d); /* the knobs may have moved since the menu opened */
      const ScenarioPlan* p = &d->view.data.plan;
      if (p->fresh) {
         char mark[48];
         snprintf(mark, sizeof mark, "scenario %s", Scenario_names[p->id]);
         d->mode = MODE_MAIN;
         return actions_fresh(d, mark) ? ACTIONS_DONE : ACTION_HANDLED | ACTION_QUIT;
      }
      if (!p->live) {
         Dashboard_message(d, CE_WARN, 10 * NS_PER_SEC, "%s needs a restart: see the command in the menu",
                           Scenario_names[d->view.data.plan.id]);
         return ACTIONS_DONE;
      }
      actions_applyPlan(d);
      d->mode = MODE_MAIN;
   } else {
      d->mode = MODE_MAIN;
   }
   return ACTIONS_DONE;
}

/* The help and event-log screens: arrows and pages scroll, F10 quits, anything else returns. */
static int actions_viewKey(Dashboard* d, int ch) {
   int page = LINES > 4 ? LINES - 3 : 1;
   /* the event log counts its scroll from the newest end */
   int sign = d->mode == MODE_EVENTS ? -1 : 1;
   int* scroll = &d->view.ui.scroll;
   switch (ch) {
   case KEY_UP:
      *scroll -= sign;
      break;
   case KEY_DOWN:
      *scroll += sign;
      break;
   case KEY_PPAGE:
      *scroll -= sign * page;
      break;
   case KEY_NPAGE:
      *scroll += sign * page;
      break;
   case KEY_HOME:
      *scroll = sign > 0 ? 0 : 1 << 20;
      break;
   case KEY_END:
      *scroll = sign > 0 ? 1 << 20 : 0;
      break;
   case KEY_RESIZE:
      return ACTION_HANDLED | ACTION_RESIZE | ACTION_REDRAW;
   case KEY_MOUSE:
      return actions_mouse(d, NULL, ch, 0);
   case KEY_F(10):
      return ACTION_HANDLED | ACTION_QUIT;
   default:
      d->mode = MODE_MAIN;
      break;
   }
   if (*scroll < 0)
      *scroll = 0;
   return ACTIONS_DONE;
}

int Actions_key(Dashboard* d, int ch) {
   if (d->mode == MODE_MENU)
      return actions_menuKey(d, ch);
   if (d->mode != MODE_MAIN)
      return actions_viewKey(d, ch);
   int dir = 0;
   const KeyBinding* b = Keys_find(ch, &dir);
   return b ? actions_table[b->action](d, b, ch, dir) : 0;
}
