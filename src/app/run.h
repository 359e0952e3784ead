/*
 * run.h: one run of keepup put together from the options: the source (the
 * simulator, or CSV replay), the processing parameters (the simulated fleet's,
 * or those a recording carries, unless options override them), the --output
 * file, the --record recorder and the engine. Front ends get a ready Run and
 * never see how it was assembled.
 */
#ifndef KEEPUP_RUN_H
#define KEEPUP_RUN_H

#include <stdio.h>

#include "engine/engine.h"
#include "app/options.h"
#include "csv/recorder.h"
#include "csv/replay.h"
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

typedef struct Run {
   Options options;          /* as in force: a scenario and a recording's parameters applied */
   Calibration calibration;  /* stage costs measured at start */
   Engine* engine;
   PipelineParams params;
   bool params_owned;        /* the simulator's arrays, freed at close */
   Replay* replay;           /* NULL: simulated source; valid until the engine is deleted */
   Recorder* recorder;       /* --record, or started from the dashboard; NULL: none */
   char record_path[4096];
   int output_fd;
   int signal;               /* the signal that stopped the run (the front end sets it), or 0 */
} Run;

/* What the options say the replay plays (points into o). */
void Run_replayConfig(const Options* o, ReplayConfig* out);
/* Build the run; on failure err says why and the return is the exit status. */
int Run_open(Run* this, const Options* options, const Calibration* calibration, char* err, size_t errlen);
/* Start recording to path while running (the dashboard's key); 0, or EXIT_OUTPUT with err. */
int Run_startRecording(Run* this, const char* path, char* err, size_t errlen);
/* Stop a recording: every record tapped so far is written; 0, or EXIT_OUTPUT with err. */
int Run_stopRecording(Run* this, char* err, size_t errlen);
/* The recorder's write error, if any (any time while the run is open). */
const char* Run_recordError(const Run* this);
/* How a replay ended: "complete" (its input ended and every record was done), "interrupted" (a signal
 * stopped it before), "stopped" (--duration or q did), "failed" (an error stopped it); NULL for the simulator.
 * Until Run_close. */
const char* Run_replayState(Run* this);
/* Stop and free everything; returns 0, or the exit status of the first failure (err says why): a replay a
 * signal interrupted before its end is EXIT_SIGNAL + the signal. */
int Run_close(Run* this, char* err, size_t errlen);

#endif
