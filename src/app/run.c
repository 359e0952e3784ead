/* run.c: assemble a run from the options (front ends share this). */
#include "config.h"

#include "app/run.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/fileopen.h"
#include "base/signals.h"
#include "base/xalloc.h"
#include "core/sim.h"

/* A recording's parameters, except where the command line said otherwise. */
static void run_recordingParams(Run* this, const PipelineParams* rec) {
   Options* o = &this->options;
   this->params = *rec;
   if (Options_given(o, "window"))
      this->params.window = o->setup.knobs.window;
   else
      o->setup.knobs.window = rec->window;
   if (Options_given(o, "threshold"))
      this->params.threshold = o->setup.threshold;
   else
      o->setup.threshold = rec->threshold;
   if (Options_given(o, "cache"))
      this->params.cache_capacity = o->setup.cache;
   else
      o->setup.cache = rec->cache_capacity;
   if (Options_given(o, "valid-range")) {
      this->params.valid_lo = o->setup.valid_lo;
      this->params.valid_hi = o->setup.valid_hi;
   } else {
      o->setup.valid_lo = rec->valid_lo;
      o->setup.valid_hi = rec->valid_hi;
   }
   if (Options_given(o, "allowlist") && o->setup.allowlist == 0) {
      this->params.allow = NULL;
      this->params.n_allow = 0;
   }
   o->setup.allowlist = this->params.n_allow;
}

/* Files keepup did not write: every sensor allowed, every finite value valid. */
static void run_foreignParams(Run* this) {
   Options* o = &this->options;
   this->params = (PipelineParams){
      .id_space = Replay_idSpace(this->replay),
      .valid_lo = Options_given(o, "valid-range") ? o->setup.valid_lo : -INFINITY,
      .valid_hi = Options_given(o, "valid-range") ? o->setup.valid_hi : INFINITY,
      .window = o->setup.knobs.window,
      .threshold = o->setup.threshold,
      .cache_capacity = o->setup.cache,
      .enrich_work = KEEPUP_ENRICH_WORK_DEFAULT,
      .names = Replay_names(this->replay),
      .names_grow = Replay_namesGrow(this->replay),
   };
   o->setup.allowlist = 0;
   if (!Options_given(o, "valid-range")) {
      o->setup.valid_lo = -INFINITY;
      o->setup.valid_hi = INFINITY;
   }
}

static void run_recordTap(void* ctx, const Record* rec) {
   Recorder_tap(((Run*)ctx)->recorder, rec);
}

static Recorder* run_openRecorder(Run* this, const char* path, char* err, size_t errlen) {
   char why[512];
   Recorder* r = Recorder_open(path, &this->params, why, sizeof why);
   if (!r) {
      snprintf(err, errlen, "--record '%s': %s", path, why);
      return NULL;
   }
   char seed[32];
   snprintf(seed, sizeof seed, "%" PRIu64, this->options.setup.seed);
   Recorder_note(r, "seed", seed);
   if (this->options.scenario < SCENARIO_LAST)
      Recorder_note(r, "scenario", Scenario_names[this->options.scenario]);
   Recorder_note(r, "source", this->replay ? "replay" : "simulator");
   snprintf(this->record_path, sizeof this->record_path, "%s", path);
   return r;
}

/* Undo a half-built run: nothing may leak on the way out. */
static int run_fail(Run* this, Generator* gen) {
   gen->ops->destroy(gen);
   this->replay = NULL;
   if (this->output_fd >= 0)
      close(this->output_fd);
   this->output_fd = -1;
   if (this->params_owned)
      Sim_freeParams(&this->params);
   this->params_owned = false;
   return EXIT_OUTPUT;
}

void Run_replayConfig(const Options* o, ReplayConfig* out) {
   *out = (ReplayConfig){
      .files = o->replay.item,
      .n_files = o->replay.n,
      .loop = o->loop,
      .follow = o->follow,
      .speed = o->setup.knobs.speed,
      .columns = o->columns,
      .time_unit = (CsvTimeUnit)o->time_unit,
      .time_format = o->time_format,
      .delimiter = o->delimiter,
      .decimal_comma = o->decimal_comma,
      .skip_rows = o->skip_rows,
      .on_bad_row = (ReplayOnBadRow)o->on_bad_row,
      .max_lateness_ns = o->max_lateness_ns,
      .on_late = (ReplayOnLate)o->on_late,
      .max_gap_ns = o->max_gap_ns,
      .na = o->na,
      .stdin_name = o->stdin_name,
   };
   if (o->tz && !CsvTime_parseOffset(o->tz, &out->tz_s))
      out->tz_s = 0; /* OptCheck_replay refuses it first */
}

/* The engine over gen, with the options and parameters in force. */
static void run_newEngine(Run* this, Generator* gen) {
   const Options* o = &this->options;
   EngineSetup setup = {
      .knobs = o->setup.knobs,
      .spin_ns = o->setup.spin_ns,
      .generator = gen,
      .params = &this->params,
      .tap = this->recorder ? run_recordTap : NULL,
      .tap_ctx = this,
      .output_fd = this->output_fd,
      .ordered = o->ordered,
   };
   this->engine = Engine_new(&setup);
}

int Run_open(Run* this, const Options* options, const Calibration* calibration, char* err, size_t errlen) {
   memset(this, 0, sizeof *this);
   this->options = *options;
   this->calibration = *calibration;
   this->output_fd = -1;
   Options* o = &this->options;
   Generator* gen;
   if (o->replay.n > 0) {
      char why[512];
      ReplayConfig config;
      Run_replayConfig(o, &config);
      this->replay = Replay_new(&config, why, sizeof why);
      if (!this->replay) {
         snprintf(err, errlen, "%s", why);
         return EXIT_REPLAY;
      }
      if (Replay_params(this->replay)) {
         run_recordingParams(this, Replay_params(this->replay));
         this->params.names = Replay_names(this->replay);
         this->params.names_grow = Replay_namesGrow(this->replay);
      } else {
         run_foreignParams(this);
      }
      gen = Replay_generator(this->replay);
   } else {
      Sim_params(&o->setup, &this->params);
      this->params_owned = true;
      gen = Sim_new(&o->setup);
   }
   if (o->output_time == OPTIONS_TIME_ISO) {
      /* a date for the data's own times; the simulator's count from the run's start, and so do those of a
       * recording it made */
      const char* source = this->replay ? Replay_note(this->replay, "source") : "simulator";
      this->params.time_iso = source && strcmp(source, "simulator") == 0 ? PIPELINE_ISO_DURATION : PIPELINE_ISO_DATE;
   }
   if (o->output && strcmp(o->output, "-") == 0) {
      /* a copy: closing it at the end leaves standard output open for what comes after */
      this->output_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
      if (this->output_fd < 0) {
         snprintf(err, errlen, "--output -: standard output: %s", strerror(errno));
         return run_fail(this, gen);
      }
   } else if (o->output) {
      char why[256];
      this->output_fd = FileOpen_write(o->output, why, sizeof why);
      if (this->output_fd < 0) {
         snprintf(err, errlen, "--output '%s': cannot write: %s", o->output, why);
         return run_fail(this, gen);
      }
   }
   if (o->record) {
      this->recorder = run_openRecorder(this, o->record, err, errlen);
      if (!this->recorder)
         return run_fail(this, gen);
   }
   run_newEngine(this, gen);
   this->deadline = INT64_MAX;
   return 0;
}

void Run_fail(Run* this, int status, const char* fmt, ...) {
   RunErrors* e = &this->errors;
   char text[RUN_ERROR_MAX];
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(text, sizeof text, fmt, ap);
   va_end(ap);
   for (uint32_t i = 0; i < e->n; i++)
      if (strcmp(e->text[i], text) == 0)
         return;
   if (e->n == RUN_ERRORS) {
      e->more++;
      return;
   }
   memcpy(e->text[e->n], text, sizeof text);
   e->status[e->n++] = status;
}

int Run_status(const Run* this) {
   for (uint32_t i = 0; i < this->errors.n; i++)
      if (this->errors.status[i] != 0)
         return this->errors.status[i];
   return 0;
}

size_t Run_errorTexts(const Run* this, const char** out, size_t max) {
   size_t n = this->errors.n < max ? this->errors.n : max;
   for (size_t i = 0; i < n; i++)
      out[i] = this->errors.text[i];
   return n;
}

void Run_printErrors(Run* this, FILE* out) {
   RunErrors* e = &this->errors;
   for (; e->printed < e->n; e->printed++)
      fprintf(out, "keepup: %s\n", e->text[e->printed]);
   if (e->more) {
      fprintf(out, "keepup: and %u more failure(s)\n", e->more);
      e->more = 0;
   }
   fflush(out);
}

bool Run_start(Run* this) {
   int64_t now = Clock_now();
   const Options* o = &this->options;
   if (o->duration_ns > 0)
      this->deadline = (o->launched > 0 ? o->launched : now) + o->duration_ns;
   this->started = true;
   if (Engine_start(this->engine))
      return true;
   Run_fail(this, EXIT_NOMEM, "%s", Engine_startError(this->engine));
   return false;
}

int Run_startRecording(Run* this, const char* path, char* err, size_t errlen) {
   if (this->recorder) {
      snprintf(err, errlen, "already recording to %s", this->record_path);
      return EXIT_OUTPUT;
   }
   Recorder* r = run_openRecorder(this, path, err, errlen);
   if (!r) {
      Run_fail(this, EXIT_OUTPUT, "%s", err);
      return EXIT_OUTPUT;
   }
   this->recorder = r;
   /* an earlier recording's failure is reported already (Run_fail): the dashboard must not read it as
    * this one's and stop it */
   this->record_error[0] = '\0';
   Engine_setTap(this->engine, run_recordTap, this);
   Engine_mark(this->engine, "recording started");
   return 0;
}

/* Close the recorder; its failure, if any, noted (the text kept in record_error). */
static int run_closeRecorder(Run* this, char* err, size_t errlen) {
   char why[512];
   int rc = Recorder_close(this->recorder, why, sizeof why);
   this->recorder = NULL;
   if (rc == 0)
      return 0;
   snprintf(this->record_error, sizeof this->record_error, "%s", why);
   snprintf(err, errlen, "--record '%.200s': %s", this->record_path, why);
   Run_fail(this, EXIT_OUTPUT, "%s", err);
   return EXIT_OUTPUT;
}

int Run_stopRecording(Run* this, char* err, size_t errlen) {
   if (!this->recorder)
      return 0;
   Engine_setTap(this->engine, NULL, NULL);
   int rc = run_closeRecorder(this, err, errlen);
   Engine_mark(this->engine, "recording stopped");
   return rc;
}

const char* Run_recordError(Run* this) {
   const char* why = this->recorder ? Recorder_error(this->recorder) : NULL;
   if (why)
      snprintf(this->record_error, sizeof this->record_error, "%s", why);
   return why || this->record_error[0] ? this->record_error : NULL;
}

/* Bad rows skipped (--on-bad-row skip) and late rows: the counts and the first few, with their lines. */
static void run_reportRows(Run* this) {
   const char* msgs[REPLAY_BAD_KEPT];
   size_t n = 0;
   uint64_t bad = Replay_badRows(this->replay, msgs, REPLAY_BAD_KEPT, &n);
   if (bad) {
      fprintf(stderr, "keepup: %" PRIu64 " bad row(s) skipped; the first %zu:\n", bad, n);
      for (size_t i = 0; i < n; i++)
         fprintf(stderr, "  %s\n", msgs[i]);
   }
   uint64_t late = Replay_lateRows(this->replay, msgs, REPLAY_BAD_KEPT, &n);
   if (late) {
      fprintf(stderr, "keepup: %" PRIu64 " late row(s) (before the newest of their file by more than --max-lateness);"
                      " the first %zu:\n", late, n);
      for (size_t i = 0; i < n; i++)
         fprintf(stderr, "  %s\n", msgs[i]);
   }
   ReplayPosition pos;
   Replay_position(this->replay, &pos);
   if (pos.seeks)
      fprintf(stderr,
              "keepup: %" PRIu64 " restart(s) and seek(s): %" PRIu64 " row(s) (%" PRIu64 " records) skipped by seek,"
              " never played; rows played again are generated again\n",
              pos.seeks, pos.skipped_rows, pos.skipped_records);
}

const char* Run_replayState(Run* this) {
   if (!this->replay)
      return NULL;
   if (Replay_error(this->replay))
      return "failed";
   if (this->engine && Engine_finished(this->engine))
      return "complete";
   return Signals_first() ? "interrupted" : "stopped";
}

/* Every failure the stopped engine and the replay know of. */
static void run_collect(Run* this) {
   Snapshot* last = xmalloc(sizeof *last);
   Engine_snapshot(this->engine, last);
   if (last->error[0] && !Engine_startError(this->engine))
      Run_fail(this, EXIT_OUTPUT, "%s", last->error);
   if (last->threads_cap) /* a cap the run lived with: reported, not a failure */
      Run_fail(this, 0, "threads %u: no more could be started (the run went on with them)", last->threads_cap);
   free(last);
   if (this->replay) {
      const char* why = Replay_error(this->replay);
      if (why)
         Run_fail(this, EXIT_REPLAY, "replay stopped: %s", why);
      /* a replay a signal cut short exits with it, as a shell expects (130 for SIGINT) */
      if (strcmp(Run_replayState(this), "interrupted") == 0) {
         int sig = Signals_first();
         int status = Run_status(this) ? Run_status(this) : EXIT_SIGNAL + sig;
         const char* name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" : NULL;
         if (name)
            Run_fail(this, EXIT_SIGNAL + sig, "the replay was interrupted by %s before its end (exit status %d)", name,
                     status);
         else
            Run_fail(this, EXIT_SIGNAL + sig, "the replay was interrupted by signal %d before its end (exit status %d)",
                     sig, status);
      }
      run_reportRows(this);
   }
}

int Run_switch(Run* this, const Options* target, uint64_t* dropped) {
   *dropped = 0;
   if (this->replay || !this->started || this->finished) {
      Run_fail(this, EXIT_RUNTIME, "only a simulated run that is running can start a new pipeline");
      return EXIT_RUNTIME;
   }
   /* the old pipeline ends as a run would (no tap runs after this), and its counts are carried */
   Engine_stop(this->engine, false, 0);
   run_collect(this);
   Snapshot* last = xmalloc(sizeof *last);
   Engine_snapshot(this->engine, last);
   *dropped = RunTotals_add(&this->carried, last);
   free(last);
   Engine_delete(this->engine);
   this->engine = NULL;
   if (this->params_owned)
      Sim_freeParams(&this->params);
   this->options = *target;
   Sim_params(&this->options.setup, &this->params);
   this->params_owned = true;
   run_newEngine(this, Sim_new(&this->options.setup));
   if (Engine_start(this->engine))
      return 0;
   Run_fail(this, EXIT_NOMEM, "%s", Engine_startError(this->engine));
   return EXIT_NOMEM;
}

void Run_snapshot(Run* this, Snapshot* out) {
   Engine_snapshot(this->engine, out);
   RunTotals_apply(&this->carried, out);
}

void Run_finish(Run* this) {
   if (this->finished)
      return;
   this->finished = true;
   char err[RUN_ERROR_MAX];
   if (this->engine) {
      /* the engine stops first: no tap can run after this */
      Engine_stop(this->engine, false, 0);
      run_collect(this);
   }
   if (this->recorder)
      run_closeRecorder(this, err, sizeof err);
   if (this->output_fd >= 0) {
      if (close(this->output_fd) != 0)
         Run_fail(this, EXIT_OUTPUT, "--output: closing failed: %s", strerror(errno));
      this->output_fd = -1;
   }
}

int Run_close(Run* this) {
   Run_finish(this);
   if (this->engine) {
      Engine_delete(this->engine);
      this->engine = NULL;
      this->replay = NULL;
   }
   if (this->params_owned)
      Sim_freeParams(&this->params);
   this->params_owned = false;
   return Run_status(this);
}
