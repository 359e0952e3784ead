/*
 * dashboard.h: the full-screen front end (ncursesw) over a running engine.
 *
 * The dashboard is two modules over one Dashboard: the loop (dashboard.c:
 * copy and derive, draw, wait for a key or the next frame) and the actions
 * (actions.c: what each key of the key table and each click does). Both
 * see the struct below; nothing else needs more than Dashboard_run.
 */
#ifndef KEEPUP_UI_DASHBOARD_H
#define KEEPUP_UI_DASHBOARD_H

#include <stdint.h>
#include <stdio.h>

#include "app/run.h"
#include "base/histogram.h"
#include "core/sweep.h"
#include "ui/crt.h"
#include "ui/view.h"

/* Which screen the keys act on. */
typedef enum DashMode {
   MODE_MAIN,
   MODE_HELP,
   MODE_EVENTS,
   MODE_LATENCY, /* the latency percentile view */
   MODE_MENU, /* the scenario menu */
} DashMode;

typedef struct Dashboard {
   Run* run;
   const Options* options;
   Engine* engine;
   View view;
   ViewHits hits; /* where the last frame drew what a click can hit */
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
   Sweep sweep;
   Snapshot* sweep_snap; /* the counts at a sweep boundary (the view's copy may be frozen) */
   Histogram* sweep_latency;
   /* --metrics-csv: a row every --interval from the UI thread's own snapshot (the view's may be frozen) */
   FILE* metrics;
   const char* metrics_path;
   int64_t metrics_next;
   Snapshot* metrics_snap;
   ReplayPosition metrics_pos;
   ReplayProgress metrics_progress;
   /* pipelines Run_switch replaced: their events, kept; event ids of the newer ones count on from them */
   HistoryEvent ev_old[VIEW_EVENTS];
   size_t nev_old;
   uint32_t event_base;
   int64_t pipeline_t0; /* when the running pipeline replaced another (0: the run's first) */
   HistoryEvent ev_fetch[VIEW_EVENTS];
   /* the command line, for the restart command the scenario menu shows */
   const char* const* argv;
   int argc;
} Dashboard;

/* Take the terminal, start the run's engine, show it live and let the keys
 * turn its knobs (and start or stop recording) until q, F10, a signal that
 * ends the run (base/signals.h) or the end of --duration; then restore the
 * terminal, finish the run (what is still queued stays queued), print a
 * one-line summary to stdout (with --json: the JSON summary to stdout, the
 * line to stderr) and every failure of the run to stderr, and return the
 * exit status: the run's (Run_status: a recording started or stopped here
 * that failed, a replay stopped by a bad row, ...), EXIT_OUTPUT when the
 * summary or --metrics-csv could not be written (a file that cannot be
 * opened is said before the terminal is taken), or EXIT_USAGE when the terminal cannot host
 * the dashboard (the message is on stderr and the engine was never
 * started). argv (argc of them, argv[0] first) is the command line, for the
 * restart command of a scenario that cannot be applied live. The caller
 * opens the run before and closes it after. */
int Dashboard_run(Run* run, int argc, const char* const* argv);

/* A line for the header, shown for duration ns. */
void Dashboard_message(Dashboard* this, ColorElement e, int64_t duration, const char* fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The dashboard set a knob at time t: its own values win for a while, and the prediction check settles. */
void Dashboard_knobChanged(Dashboard* this, int64_t t);
/* Start a new pipeline with target's options (a simulated run: Run_switch) in place of the running one,
 * as scenario id, with mark on the charts; the history stays. What the lesson measured ends (a sweep, a
 * trial, the verdict and the trade-off). Returns false, with the failure on screen, when the new
 * pipeline could not start. */
bool Dashboard_switchPipeline(Dashboard* this, const Options* target, int id, const char* mark);
/* The first of the view's history samples that the running pipeline took (those before are a replaced
 * pipeline's: the charts show them, the analysis and the Amdahl trial do not measure them). */
size_t Dashboard_pipelineFirst(const Dashboard* this);
/* Copy where the replay and the recording stand. */
void Dashboard_updateSource(Dashboard* this);

#endif
