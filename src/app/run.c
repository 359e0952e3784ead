/* run.c: assemble a run from the options (front ends share this). */
#include "config.h"

#include "app/run.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
   };
   if (o->tz && !CsvTime_parseOffset(o->tz, &out->tz_s))
      out->tz_s = 0; /* OptCheck_replay refuses it first */
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
   if (o->output && strcmp(o->output, "-") == 0) {
      /* a copy: closing it at the end leaves standard output open for what comes after */
      this->output_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
      if (this->output_fd < 0) {
         snprintf(err, errlen, "--output -: standard output: %s", strerror(errno));
         return run_fail(this, gen);
      }
   } else if (o->output) {
      this->output_fd = open(o->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (this->output_fd < 0) {
         snprintf(err, errlen, "--output '%s': cannot write: %s", o->output, strerror(errno));
         return run_fail(this, gen);
      }
   }
   if (o->record) {
      this->recorder = run_openRecorder(this, o->record, err, errlen);
      if (!this->recorder)
         return run_fail(this, gen);
   }
   EngineSetup setup = {
      .knobs = o->setup.knobs,
      .spin_ns = o->setup.spin_ns,
      .generator = gen,
      .params = &this->params,
      .tap = this->recorder ? run_recordTap : NULL,
      .tap_ctx = this,
      .output_fd = this->output_fd,
   };
   this->engine = Engine_new(&setup);
   return 0;
}

int Run_startRecording(Run* this, const char* path, char* err, size_t errlen) {
   if (this->recorder) {
      snprintf(err, errlen, "already recording to %s", this->record_path);
      return EXIT_OUTPUT;
   }
   Recorder* r = run_openRecorder(this, path, err, errlen);
   if (!r)
      return EXIT_OUTPUT;
   this->recorder = r;
   Engine_setTap(this->engine, run_recordTap, this);
   Engine_mark(this->engine, "recording started");
   return 0;
}

int Run_stopRecording(Run* this, char* err, size_t errlen) {
   if (!this->recorder)
      return 0;
   Engine_setTap(this->engine, NULL, NULL);
   char why[256];
   int rc = Recorder_close(this->recorder, why, sizeof why);
   this->recorder = NULL;
   Engine_mark(this->engine, "recording stopped");
   if (rc != 0) {
      snprintf(err, errlen, "--record '%s': %s", this->record_path, why);
      return EXIT_OUTPUT;
   }
   return 0;
}

const char* Run_recordError(const Run* this) {
   return this->recorder ? Recorder_error(this->recorder) : NULL;
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
}

const char* Run_replayState(Run* this) {
   if (!this->replay)
      return NULL;
   if (Replay_error(this->replay))
      return "failed";
   if (this->engine && Engine_finished(this->engine))
      return "complete";
   return this->signal ? "interrupted" : "stopped";
}

int Run_close(Run* this, char* err, size_t errlen) {
   int status = 0;
   if (this->engine) {
      /* the engine stops first: no tap can run after this */
      Engine_stop(this->engine, false, 0);
      Snapshot last;
      Engine_snapshot(this->engine, &last);
      if (last.error[0]) {
         snprintf(err, errlen, "%s", last.error);
         status = EXIT_OUTPUT;
      }
      if (this->replay) {
         const char* why = Replay_error(this->replay);
         if (why && status == 0) {
            snprintf(err, errlen, "replay stopped: %s", why);
            status = EXIT_REPLAY;
         }
         if (status == 0 && strcmp(Run_replayState(this), "interrupted") == 0) {
            status = EXIT_SIGNAL + this->signal;
            const char* sig = this->signal == SIGINT ? "SIGINT" : this->signal == SIGTERM ? "SIGTERM" : "SIGHUP";
            snprintf(err, errlen, "the replay was interrupted by %s before its end (exit status %d)", sig, status);
         }
         run_reportRows(this);
      }
   }
   /* before the engine goes: the writer may still be writing a replay's names, which the replay owns */
   if (this->recorder) {
      char why[256];
      if (Recorder_close(this->recorder, why, sizeof why) != 0 && status == 0) {
         snprintf(err, errlen, "--record '%s': %s", this->record_path, why);
         status = EXIT_OUTPUT;
      }
      this->recorder = NULL;
   }
   if (this->engine) {
      Engine_delete(this->engine);
      this->engine = NULL;
      this->replay = NULL;
   }
   if (this->output_fd >= 0) {
      if (close(this->output_fd) != 0 && status == 0) {
         snprintf(err, errlen, "--output: closing failed: %s", strerror(errno));
         status = EXIT_OUTPUT;
      }
      this->output_fd = -1;
   }
   if (this->params_owned)
      Sim_freeParams(&this->params);
   return status;
}
