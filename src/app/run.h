/*
 * run.h: one run of keepup put together from the options: the source (the
 * simulator, or CSV replay), the processing parameters (the simulated fleet's,
 * or those a recording carries, unless options override them), the --output
 * file, the --record recorder and the engine. Front ends get a ready Run and
 * never see how it was assembled.
 *
 * A run keeps every failure it meets (RunErrors): a replay's FILE:LINE, an
 * output or a recording that could not be written, threads that could not
 * be started, a drain that gave up. The first one decides the exit status;
 * all of them go to standard error and into the JSON summary, none is lost
 * because another came first.
 *
 * Life cycle: Run_open, Run_start (the engine's threads), the front end's
 * loop (where the dashboard may Run_switch to a new pipeline, any number of
 * times), Run_finish (the engine stopped, the files closed, every failure
 * collected), the summary, Run_close.
 */
#ifndef KEEPUP_RUN_H
#define KEEPUP_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "engine/engine.h"
#include "app/options.h"
#include "csv/recorder.h"
#include "csv/replay.h"
#include "core/runtotals.h"
#include "core/scenario.h"

/* Exit statuses, documented in keepup(1). */
enum {
   EXIT_RUNTIME = 1, /* a runtime error */
   EXIT_USAGE = 2,   /* bad command line */
   EXIT_OUTPUT = 3,  /* --output, --metrics-csv or --record could not be written */
   EXIT_NOMEM = 4,   /* out of memory */
   EXIT_REPLAY = 5,  /* a replayed file could not be read, or a bad row stopped it */
   EXIT_SIGNAL = 128 /* + the signal that interrupted a replay before its end (130 SIGINT, 143 SIGTERM) */
};

#define RUN_ERRORS    8   /* failures kept (one more says how many followed) */
#define RUN_ERROR_MAX 512 /* longest message, with its NUL */

typedef struct RunErrors {
   char text[RUN_ERRORS][RUN_ERROR_MAX];
   int status[RUN_ERRORS];
   uint32_t n;
   uint32_t more;    /* failures beyond RUN_ERRORS */
   uint32_t printed; /* already on standard error */
} RunErrors;

typedef struct Run {
   Options options;          /* as in force: a scenario and a recording's parameters applied */
   Calibration calibration;  /* stage costs measured at start */
   Engine* engine;
   PipelineParams params;
   bool params_owned;        /* the simulator's arrays, freed at close */
   Replay* replay;           /* NULL: simulated source; valid until the engine is deleted */
   Recorder* recorder;       /* --record, or started from the dashboard; NULL: none */
   char record_path[4096];
   char record_error[RUN_ERROR_MAX]; /* the recorder's failure, copied: valid after the recorder is gone */
   int output_fd;
   bool started, finished;
   int64_t deadline;         /* --duration's end (CLOCK_MONOTONIC ns, from Options.launched); INT64_MAX: none */
   RunErrors errors;
   RunTotals carried;        /* the pipelines Run_switch ended: their counts, for the whole run's summary */
} Run;

/* What the options say the replay plays (points into o). */
void Run_replayConfig(const Options* o, ReplayConfig* out);
/* Build the run; on failure err says why and the return is the exit status. */
int Run_open(Run* this, const Options* options, const Calibration* calibration, char* err, size_t errlen);
/* Start the engine's threads; false (the failure noted, exit status 4) when they could not be. */
bool Run_start(Run* this);
/* A new pipeline with target's options (a simulated run only, started and not finished): the engine
 * stops, its failures are noted and its counts carried (what it still had queued or in flight: dropped,
 * DROP_SWITCH, *dropped of them); --output goes on into the new one. The recorder, if any, must be
 * stopped first (its header describes the old fleet). Returns 0, or the exit status of a new engine
 * whose threads could not start (the failure noted). */
int Run_switch(Run* this, const Options* target, uint64_t* dropped);
/* The engine's newest snapshot with the ended pipelines' counts added: the whole run's accounting. */
void Run_snapshot(Run* this, Snapshot* out);
/* Stop the engine (what is queued stays queued), close the recording and --output, and note every
 * failure; bad rows a replay skipped are reported on stderr. Idempotent. */
void Run_finish(Run* this);
/* Note a failure: its exit status (0: reported, but the run did not fail) and one line (no "keepup: ");
 * the same text twice is kept once. */
void Run_fail(Run* this, int status, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
/* The exit status of the first failure that has one; 0: none. */
int Run_status(const Run* this);
/* The failures' texts (up to max, pointing into the run), oldest first; how many. */
size_t Run_errorTexts(const Run* this, const char** out, size_t max);
/* Each failure not printed yet, one "keepup: ..." line each. */
void Run_printErrors(Run* this, FILE* out);
/* Start recording to path while running (the dashboard's key); 0, or EXIT_OUTPUT with err. */
int Run_startRecording(Run* this, const char* path, char* err, size_t errlen);
/* Stop a recording: every record tapped so far is written; 0, or EXIT_OUTPUT with err (noted too). */
int Run_stopRecording(Run* this, char* err, size_t errlen);
/* The recorder's write error, if any: a copy the run owns, valid until Run_close even after the
 * recording stopped (the recorder's own text is freed with it). */
const char* Run_recordError(Run* this);
/* How a replay ended: "complete" (its input ended and every record was done), "interrupted" (a signal
 * stopped it before), "stopped" (--duration or q did), "failed" (an error stopped it); NULL for the simulator.
 * Until Run_close. */
const char* Run_replayState(Run* this);
/* Finish if needed, then free everything; returns Run_status (the failures stay readable): a replay a
 * signal interrupted before its end is EXIT_SIGNAL + the signal. */
int Run_close(Run* this);

#endif
