/*
 * dashboard.c: the event loop. getch waits at most until the next frame's
 * absolute monotonic deadline (frames do not drift and missed ones are
 * skipped, not caught up); a frame copies the newest snapshot and the new
 * history samples, feeds the analysis (verdict, forecast, Amdahl costs) and
 * the trade-off points, and draws everything into stdscr with one doupdate.
 * A key goes to the actions (ui/actions.c), which return a bitmask telling
 * the loop what to do next.
 *
 * The teaching layer rides on the same loop: a stage toggle's Amdahl trial
 * is fed from the history, the batch-size sweep advances at its phase
 * boundaries (also while the display is frozen), and the recorder is watched
 * for a write error, which stops the recording and is kept on screen and in
 * the exit status.
 *
 * Everything is allocated once before the loop: a frame allocates nothing.
 */
#include "config.h"

#include "ui/dashboard.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_NCURSESW_CURSES_H
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

#include "app/metricscsv.h"
#include "app/optcheck.h"
#include "app/report.h"
#include "base/clock.h"
#include "base/fileopen.h"
#include "base/units.h"
#include "base/xalloc.h"
#include "ui/actions.h"
#include "ui/canvas.h"
#include "ui/frame.h"
#include "ui/panels.h"
#include "ui/screens.h"

#define DASH_KNOB_SETTLE_NS (400 * NS_PER_MS) /* our own knob values win this long after a change */
#define DASH_CPU_PERIOD_NS  (2 * NS_PER_SEC)
#define DASH_DELAY_NS       (100 * NS_PER_MS) /* between frames, without --delay */

/* ------------------------------------------------------------ shared with the actions */

void Dashboard_message(Dashboard* this, ColorElement e, int64_t duration, const char* fmt, ...) {
   ViewUi* ui = &this->view.ui;
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(ui->message, sizeof ui->message, fmt, ap);
   va_end(ap);
   ui->message_elem = e;
   ui->message_until = Clock_now() + duration;
}

void Dashboard_knobChanged(Dashboard* this, int64_t t) {
   this->knob_changed = t;
   Analysis_knobChanged(&this->view.data.analysis, t);
}

void Dashboard_updateSource(Dashboard* this) {
   ViewData* v = &this->view.data;
   Run* run = this->run;
   v->replaying = run->replay != NULL;
   if (run->replay) {
      Replay_position(run->replay, &v->replay);
      ReplayProgress_add(&v->replay_progress, Clock_now(), &v->replay);
      char notice[REPLAY_MSG_MAX];
      if (Replay_takeNotice(run->replay, notice, sizeof notice))
         Dashboard_message(this, CE_WARN, 10 * NS_PER_SEC, "%s", notice);
   }
   v->recording = run->recorder != NULL;
   if (run->recorder) {
      Recorder_stats(run->recorder, &v->rec);
      snprintf(v->rec_path, sizeof v->rec_path, "%s", run->record_path);
      v->rec.path = v->rec_path;
   }
}

/* ------------------------------------------------------------ update */

/* The events: the replaced pipelines' first, then the running one's (their ids counted on), the newest
 * VIEW_EVENTS of them. */
static void dashboard_pullEvents(Dashboard* d) {
   ViewData* v = &d->view.data;
   size_t n = Engine_events(d->engine, d->ev_fetch, VIEW_EVENTS);
   size_t old = d->nev_old + n > VIEW_EVENTS ? VIEW_EVENTS - n : d->nev_old;
   memcpy(v->events, d->ev_old + d->nev_old - old, old * sizeof *v->events);
   for (size_t i = 0; i < n; i++) {
      v->events[old + i] = d->ev_fetch[i];
      v->events[old + i].id += d->event_base;
   }
   v->nevents = old + n;
}

/* Append the samples newer than the newest we hold, and feed what follows them. */
static void dashboard_pullHistory(Dashboard* d) {
   ViewData* v = &d->view.data;
   size_t want = VIEW_HISTORY;
   if (d->nhist > 0 && v->snap.seq >= d->last_seq) {
      uint64_t fresh = v->snap.seq - d->last_seq + 2; /* a sample or two may land between the two copies */
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
   for (size_t i = from; i < from + add; i++)
      d->hist[i].event += d->event_base;
   d->nhist += add;
   d->last_seq = v->snap.seq;
   /* the views see at most VIEW_HISTORY samples */
   size_t shown = d->nhist < VIEW_HISTORY ? d->nhist : VIEW_HISTORY;
   v->hist = d->hist + d->nhist - shown;
   v->nhist = shown;

   Tradeoff_feed(&v->tradeoff, d->hist + from, add, Tradeoff_variants(v->snap.knobs.variant), v->snap.knobs.paused);
   AmdahlTrial_feed(&v->trial, d->hist + from, add);

   uint32_t ev = d->hist[d->nhist - 1].event;
   if (ev != d->events_seen) {
      dashboard_pullEvents(d);
      d->events_seen = ev;
   }
}

/* The analysis of the running pipeline: from its snapshot and its own samples (the charts show the
 * replaced pipelines' too, but the verdict and the forecasts judge the lesson in force). */
size_t Dashboard_pipelineFirst(const Dashboard* this) {
   const ViewData* v = &this->view.data;
   size_t first = 0;
   while (first < v->nhist && v->hist[first].t < this->pipeline_t0)
      first++;
   return first;
}

static void dashboard_analyse(Dashboard* d) {
   ViewData* v = &d->view.data;
   size_t first = Dashboard_pipelineFirst(d);
   Analysis_update(&v->analysis, &v->snap, v->hist + first, v->nhist - first);
}

static void dashboard_updateCpu(Dashboard* d, int64_t now) {
   if (now - d->cpu_wall0 < DASH_CPU_PERIOD_NS)
      return;
   int64_t cpu = Clock_threadCpu();
   d->view.data.ui_cpu = (double)(cpu - d->cpu_t0) / (double)(now - d->cpu_wall0);
   d->cpu_t0 = cpu;
   d->cpu_wall0 = now;
}

/* What follows the user's choices: the Amdahl panel's stage, and the toggle's trial. */
static void dashboard_updateTrial(Dashboard* d) {
   ViewData* v = &d->view.data;
   const Snapshot* s = &v->snap;
   if (!d->view.ui.amdahl_chosen)
      d->view.ui.amdahl_stage = v->analysis.largest;
   /* the toggled stage's cost once the window holds only the new variant's work */
   AmdahlTrial* tr = &v->trial;
   if (tr->active && !tr->finished && AmdahlTrial_settled(tr, s->t) && s->stage[tr->stage].ns_per_record > 0)
      AmdahlTrial_setAfterCost(tr, s->stage[tr->stage].ns_per_record);
   AmdahlTrial_feedBusy(tr, s->t, s->out_rate, s->busy);
}

/* A write error stops the recording at once; the pipeline goes on, the error stays on screen and in the
 * run's failures. The text is copied before the recorder that wrote it is closed (and freed). */
static void dashboard_watchRecording(Dashboard* d) {
   Run* run = d->run;
   if (!run->recorder || !Run_recordError(run))
      return;
   ViewData* v = &d->view.data;
   snprintf(v->rec_error, sizeof v->rec_error, "%s", Run_recordError(run));
   char err[RUN_ERROR_MAX];
   if (Run_stopRecording(run, err, sizeof err) == 0)
      Run_fail(run, EXIT_OUTPUT, "--record '%.200s': %s", run->record_path, v->rec_error);
   v->recording = false;
   Dashboard_message(d, CE_CRIT, 60 * NS_PER_SEC, "recording stopped: %s", v->rec_error);
}

/* A replay stopped by a bad row says where at once, not only after quitting. */
static void dashboard_watchReplay(Dashboard* d) {
   ViewData* v = &d->view.data;
   const char* why = d->run->replay ? Replay_error(d->run->replay) : NULL;
   if (!why || v->replay_error[0])
      return;
   snprintf(v->replay_error, sizeof v->replay_error, "%s", why);
   Dashboard_message(d, CE_CRIT, 60 * NS_PER_SEC, "replay stopped: %s", v->replay_error);
}

/* The sweep's phase boundaries, measured from a fresh snapshot and the latency histogram. */
static void dashboard_sweepStep(Dashboard* d, int64_t now) {
   Sweep* sw = &d->sweep;
   if (!Sweep_due(sw, now))
      return;
   Snapshot* s = d->sweep_snap;
   Engine_snapshot(d->engine, s);
   SweepMeasure m;
   Actions_sweepMeasure(d, s, &m);
   uint32_t b = Sweep_advance(sw, &m, now);
   if (sw->phase == SWEEP_CANCELLED && sw->why[0]) {
      Engine_mark(d->engine, "sweep cancelled");
      Dashboard_message(d, CE_WARN, 10 * NS_PER_SEC, "sweep cancelled: %s", sw->why);
      sw->why[0] = '\0';
   }
   if (b == 0)
      return;
   Engine_setKnob(d->engine, KNOB_BATCH, b);
   d->view.data.knobs.batch = b;
   Dashboard_knobChanged(d, now);
   AmdahlTrial_void(&d->view.data.trial, Knob_table[KNOB_BATCH].what);
   if (sw->phase == SWEEP_DONE) {
      int knee = Sweep_knee(sw->point, sw->n, SWEEP_KNEE_SHARE);
      Engine_mark(d->engine, "sweep done");
      if (knee >= 0)
         Dashboard_message(d, CE_OK, 10 * NS_PER_SEC, "sweep done: knee at batch %u; batch %u restored",
                           sw->point[knee].batch, b);
   }
}

/* A --metrics-csv row from s, with the replay's position now. */
static void dashboard_metricsWrite(Dashboard* d, const Snapshot* s) {
   const ReplayPosition* pos = NULL;
   if (d->run->replay) {
      Replay_position(d->run->replay, &d->metrics_pos);
      ReplayProgress_add(&d->metrics_progress, s->t, &d->metrics_pos);
      pos = &d->metrics_pos;
   }
   MetricsCsv_row(d->metrics, s, pos, &d->metrics_progress);
}

/* --metrics-csv's row when it is due, from a snapshot of its own: a frozen display does not hold it. */
static void dashboard_metricsRow(Dashboard* d, int64_t now) {
   int64_t interval = d->options->interval_ns;
   if (!d->metrics || interval <= 0 || now < d->metrics_next)
      return;
   Run_snapshot(d->run, d->metrics_snap);
   dashboard_metricsWrite(d, d->metrics_snap);
   d->metrics_next += interval;
   if (d->metrics_next <= now) /* late (suspended): the next row one interval on, not a burst of rows */
      d->metrics_next = now + interval;
}

/* One frame's worth of new data (the display's part: nothing while frozen). */
static void dashboard_update(Dashboard* d, int64_t now) {
   ViewData* v = &d->view.data;
   v->now = now;
   dashboard_updateCpu(d, now);
   char line[160];
   if (CRT_stderrLine(line, sizeof line))
      Dashboard_message(d, CE_WARN, 10 * NS_PER_SEC, "stderr: %s", line);
   dashboard_watchRecording(d);
   dashboard_watchReplay(d);
   dashboard_sweepStep(d, now);
   dashboard_metricsRow(d, now);
   if (d->view.ui.frozen)
      return;
   Engine_snapshot(d->engine, &v->snap);
   dashboard_pullHistory(d);
   dashboard_analyse(d);
   if (now - d->knob_changed > DASH_KNOB_SETTLE_NS)
      v->knobs = v->snap.knobs;
   dashboard_updateTrial(d);
   Structure_update(&v->structure, &v->snap);
   Lesson_update(&v->lesson, &v->snap, &v->analysis.verdict);
   Footprint_update(&v->footprint, &v->snap, v->analysis.growth_measured);
   Dashboard_updateSource(d);
   if (v->snap.error[0] && strcmp(v->snap.error, d->last_error) != 0) {
      memcpy(d->last_error, v->snap.error, sizeof d->last_error);
      Dashboard_message(d, CE_CRIT, 60 * NS_PER_SEC, "%s", v->snap.error);
   }
}

bool Dashboard_switchPipeline(Dashboard* this, const Options* target, int id, const char* mark) {
   Dashboard* d = this;
   ViewData* v = &d->view.data;
   /* the old pipeline's last samples and events, before it goes */
   Engine_snapshot(d->engine, &v->snap);
   dashboard_pullHistory(d);
   dashboard_pullEvents(d);
   memcpy(d->ev_old, v->events, v->nevents * sizeof *v->events);
   d->nev_old = v->nevents;
   uint32_t newest = d->nhist ? d->hist[d->nhist - 1].event : 0;
   if (v->nevents && v->events[v->nevents - 1].id > newest)
      newest = v->events[v->nevents - 1].id;
   d->event_base = newest;
   d->events_seen = newest;
   /* a sweep ends with its pipeline: the new one starts at the scenario's batch size */
   Sweep_cancel(&d->sweep);
   Sweep_init(&d->sweep);
   uint64_t dropped = 0;
   d->pipeline_t0 = Clock_now();
   int rc = Run_switch(d->run, target, &dropped);
   d->engine = d->run->engine;
   d->last_seq = 0;
   v->sensor_names = d->run->params.names;
   v->n_sensor_names = d->run->params.names ? d->run->params.id_space : 0;
   if (rc != 0) {
      const char* texts[RUN_ERRORS];
      size_t nt = Run_errorTexts(d->run, texts, RUN_ERRORS);
      Dashboard_message(d, CE_CRIT, 60 * NS_PER_SEC, "%s", nt ? texts[nt - 1] : "the new pipeline could not start");
      return false;
   }
   Engine_mark(d->engine, mark);
   v->scenario = id;
   d->run->options.scenario = id;
   Engine_snapshot(d->engine, &v->snap);
   v->knobs = v->snap.knobs;
   /* a new lesson measures afresh */
   Analysis_init(&v->analysis);
   Tradeoff_init(&v->tradeoff);
   Lesson_init(&v->lesson, id);
   AmdahlTrial_void(&v->trial, "the pipeline");
   d->view.ui.amdahl_chosen = false;
   Dashboard_knobChanged(d, Clock_now());
   /* short: the header has half a line for it */
   char n[16];
   Units_formatCount(n, sizeof n, (double)dropped);
   if (dropped)
      Dashboard_message(d, CE_OK, 10 * NS_PER_SEC, "%s (%s queued, dropped)", mark, n);
   else
      Dashboard_message(d, CE_OK, 10 * NS_PER_SEC, "%s (nothing was queued)", mark);
   return true;
}

/* ------------------------------------------------------------ drawing */

static void dashboard_draw(Dashboard* d) {
   View* v = &d->view;
   int h, w;
   getmaxyx(stdscr, h, w);
   v->data.now = Clock_now();
   Frame_layout(v, w, h, d->sweep.phase != SWEEP_IDLE);
   ViewHits_clear(&d->hits);
   erase();
   Canvas full = Canvas_make((Rect){.y = 0, .x = 0, .h = h, .w = w});
   if (d->mode == MODE_HELP)
      v->ui.scroll = Screens_help(v, &full);
   else if (d->mode == MODE_EVENTS)
      v->ui.scroll = Screens_eventLog(v, &full);
   else if (d->mode == MODE_LATENCY)
      Screens_latency(v, &full);
   else if (d->mode == MODE_MENU)
      Screens_scenarioMenu(v, &full);
   else if (v->layout.too_small)
      Screens_tooSmall(v, &full);
   else
      Frame_drawMain(v, &d->hits, w);
   wnoutrefresh(stdscr);
   doupdate();
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
   char sw[64] = "";
   if (s->dropped_by[DROP_SWITCH]) {
      char n[16];
      Units_formatCount(n, sizeof n, (double)s->dropped_by[DROP_SWITCH]);
      snprintf(sw, sizeof sw, " (%s of them queued at a scenario switch)", n);
   }
   fprintf(out,
           "keepup: stopped after %s: %s records generated = %s processed + %s filtered + %s dropped%s + %s still "
           "queued\n",
           up, gen, pro, fil, dro, sw, back);
   fflush(out);
}

static Dashboard* dashboard_new(Run* run, int argc, const char* const* argv) {
   Dashboard* d = xcalloc(1, sizeof *d);
   d->run = run;
   d->options = &run->options;
   d->engine = run->engine;
   d->argc = argc;
   d->argv = argv;
   d->hist = xcalloc(2 * VIEW_HISTORY, sizeof *d->hist);
   d->fetch = xcalloc(VIEW_HISTORY, sizeof *d->fetch);
   d->sweep_snap = xcalloc(1, sizeof *d->sweep_snap);
   d->sweep_latency = xcalloc(1, sizeof *d->sweep_latency);
   d->metrics_snap = xcalloc(1, sizeof *d->metrics_snap);
   Sweep_init(&d->sweep);
   View* v = &d->view;
   v->g = CRT_glyphs();
   v->data.options = d->options;
   v->data.hist = d->hist;
   v->data.scenario = d->options->scenario;
   v->data.calibration = &run->calibration;
   v->data.sensor_names = run->params.names; /* the replay's, alive as long as the engine */
   v->data.n_sensor_names = run->params.names ? run->params.id_space : 0;
   v->data.sweep = &d->sweep;
   /* room for the scenario menu's restart command, however long the command line */
   for (int id = 0; id <= SCENARIO_LAST; id++) {
      size_t need = ScenarioPlan_command(NULL, 0, argv, argc, id) + 1;
      if (need > v->data.plan_command_len)
         v->data.plan_command_len = need;
   }
   v->data.plan_command = xcalloc(v->data.plan_command_len, 1);
   Analysis_init(&v->data.analysis);
   Tradeoff_init(&v->data.tradeoff);
   Lesson_init(&v->data.lesson, v->data.scenario);
   ViewHits_clear(&d->hits);
   return d;
}

static void dashboard_delete(Dashboard* d) {
   if (d->metrics)
      fclose(d->metrics);
   free(d->metrics_snap);
   free(d->view.data.plan_command);
   free(d->sweep_latency);
   free(d->sweep_snap);
   free(d->fetch);
   free(d->hist);
   free(d);
}

/* Frames on absolute deadlines, keys in between, until a way out. */
static void dashboard_loop(Dashboard* d) {
   const Options* o = d->options;
   int64_t delay = o->delay_ns > 0 ? o->delay_ns : DASH_DELAY_NS;
   int64_t end = d->run->deadline;
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
      timeout(wait_ns <= 0 ? 0 : (int)((wait_ns + NS_PER_MS - 1) / NS_PER_MS));
      int ch = getch();
      if (ch == ERR)
         continue;
      int r = Actions_key(d, ch);
      if (r & ACTION_QUIT)
         break;
      if (r & (ACTION_REDRAW | ACTION_RESIZE))
         dirty = true;
   }
}

/* The terminal is back and the run finished: the final state, its verdict (the display may have been
 * frozen), the summaries and every failure. */
static void dashboard_finish(Dashboard* d) {
   ViewData* v = &d->view.data;
   Run* run = d->run;
   Engine_snapshot(d->engine, &v->snap);
   dashboard_pullHistory(d);
   dashboard_analyse(d);
   /* the summary is the whole run's: the counts of the pipelines a switch ended are added */
   RunTotals_apply(&run->carried, &v->snap);
   if (d->metrics) {
      /* the final row, as headless: the state the summary reports */
      dashboard_metricsWrite(d, &v->snap);
      if (fclose(d->metrics) != 0)
         Run_fail(run, EXIT_OUTPUT, "--metrics-csv '%s': write failed: %s", d->metrics_path, strerror(errno));
      d->metrics = NULL;
   }
   if (d->options->json) {
      /* standard output carries the JSON alone, as headless; the line for the eye goes to stderr */
      dashboard_summary(stderr, &v->snap);
      const char* errors[RUN_ERRORS];
      size_t n_errors = Run_errorTexts(run, errors, RUN_ERRORS);
      Report_writeJson(stdout, run, &v->snap, Report_backlogTrend(d->engine, false),
                       Report_backlogTrend(d->engine, true), &v->analysis, errors, n_errors);
   } else {
      dashboard_summary(stdout, &v->snap);
   }
   char why[128];
   if (!FileOpen_flushed(stdout, why, sizeof why))
      Run_fail(run, EXIT_OUTPUT, "%s: cannot write to standard output: %s",
               d->options->json ? "the JSON summary" : "the summary", why);
   Run_printErrors(run, stderr);
}

int Dashboard_run(Run* run, int argc, const char* const* argv) {
   char err[256];
   /* how the files are read, said before they play: on the terminal, where it stays after the dashboard */
   for (uint32_t i = 0; run->replay && i < Replay_files(run->replay); i++) {
      char line[REPLAY_DESCRIBE_MAX];
      Replay_describe(run->replay, i, line, sizeof line);
      fprintf(stderr, "keepup: %s\n", line);
   }
   /* --metrics-csv is opened before the terminal is taken: a file that cannot be written is said plainly */
   FILE* metrics = NULL;
   if (run->options.metrics_csv) {
      metrics = MetricsCsv_open(run->options.metrics_csv);
      if (!metrics)
         return EXIT_OUTPUT;
      MetricsCsv_header(metrics);
   }
   if (!CRT_init(run->options.no_color, err, sizeof err)) {
      fprintf(stderr, "keepup: %s.\n", err);
      OptCheck_headlessHint(stderr, &run->options, argc, argv);
      if (metrics)
         fclose(metrics);
      return EXIT_USAGE;
   }
   Dashboard* d = dashboard_new(run, argc, argv);
   d->metrics = metrics;
   d->metrics_path = run->options.metrics_csv;
   /* and the first file's in the replay panel */
   if (run->replay)
      Replay_describe(run->replay, 0, d->view.data.replay_about, sizeof d->view.data.replay_about);
   if (Run_start(run)) {
      Engine_snapshot(d->engine, &d->view.data.snap);
      d->view.data.knobs = d->view.data.snap.knobs;
      Dashboard_updateSource(d);
      d->cpu_t0 = Clock_threadCpu();
      d->cpu_wall0 = Clock_now();
      d->metrics_next = d->cpu_wall0 + d->options->interval_ns;
      dashboard_loop(d);
   }
   /* a sweep in progress gives the batch size back before the summary */
   if (Sweep_running(&d->sweep)) {
      uint32_t b = Sweep_cancel(&d->sweep);
      if (b)
         Engine_setKnob(d->engine, KNOB_BATCH, b);
   }
   CRT_done();
   Run_finish(run);
   dashboard_finish(d);
   dashboard_delete(d);
   return Run_status(run);
}
