/* optcheck.c: checks across options; the --columns, --time-format and --tz syntax is the csv layer's. */
#include "config.h"

#include "app/optcheck.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileopen.h"
#include "base/units.h"
#include "csv/columns.h"
#include "csv/csvtime.h"
#include "csv/replay.h"
#include "csv/sensornames.h"

/* --output -, --replay - : standard output and input, each for one thing. */
static bool optcheck_standard(const Options* options, char* err, size_t errlen) {
   bool out = options->output && strcmp(options->output, "-") == 0;
   if (out && options->json) {
      snprintf(err, errlen, "--output - and --json both write to standard output: give --output a file");
      return false;
   }
   if (out && options->mode != MODE_HEADLESS) {
      snprintf(err, errlen, "--output - writes to standard output, where the dashboard draws: add --headless");
      return false;
   }
   if (options->ordered && !options->output) {
      snprintf(err, errlen, "--ordered puts the lines of --output in order: give --output FILE too");
      return false;
   }
   if (Options_given(options, "output-time") && !options->output) {
      snprintf(err, errlen, "--output-time says how --output writes time: give --output FILE too");
      return false;
   }
   uint32_t stdin_files = 0;
   for (uint32_t i = 0; i < options->replay.n; i++)
      stdin_files += strcmp(options->replay.item[i], "-") == 0;
   if (stdin_files > 1) {
      snprintf(err, errlen, "--replay - names standard input, which can be read only once");
      return false;
   }
   if (options->stdin_name && stdin_files == 0 && options->replay.n > 0) {
      snprintf(err, errlen, "--stdin-name names the data of --replay - (standard input), which is not replayed");
      return false;
   }
   const char* why;
   if (options->stdin_name && (why = SensorNames_check(options->stdin_name, strlen(options->stdin_name)))) {
      snprintf(err, errlen, "--stdin-name '%s': %s", options->stdin_name, why);
      return false;
   }
   return true;
}

/* The dialect options whose syntax the csv layer knows. */
static bool optcheck_dialect(const Options* options, char* err, size_t errlen) {
   char why[256];
   if (!Columns_check(options->columns, err, errlen))
      return false;
   if (options->time_format && !CsvTime_checkFormat(options->time_format, why, sizeof why)) {
      snprintf(err, errlen, "--time-format '%s': %s", options->time_format, why);
      return false;
   }
   int32_t tz;
   if (options->tz && !CsvTime_parseOffset(options->tz, &tz)) {
      snprintf(err, errlen, "--tz '%s': expected an offset from UTC: +01:00, -0500, +01, Z or UTC", options->tz);
      return false;
   }
   if (options->na) {
      size_t markers = 1;
      for (const char* c = options->na; *c; c++)
         markers += *c == ',';
      if (markers > REPLAY_NA_MAX) {
         snprintf(err, errlen, "--na '%s': at most %d markers", options->na, REPLAY_NA_MAX);
         return false;
      }
   }
   if (options->time_format && Options_given(options, "time-unit")) {
      snprintf(err, errlen, "--time-unit and --time-format both say how times are written: give one");
      return false;
   }
   if (options->loop && options->follow) {
      snprintf(err, errlen, "--loop plays files again at their end, --follow waits at it for more: give one");
      return false;
   }
   return true;
}

void OptCheck_headlessHint(FILE* out, const Options* options, int argc, const char* const* argv) {
   fputs("Run without a screen instead, e.g.: keepup --headless", out);
   for (int i = 1; i < argc; i++) {
      const char* a = argv[i];
      bool plain = *a != 0;
      for (const char* c = a; *c; c++)
         plain &= strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=+.,:/@%", *c) != NULL;
      if (plain) {
         fprintf(out, " %s", a);
         continue;
      }
      /* single quotes, and a quote inside as '\'' */
      fputs(" '", out);
      for (const char* c = a; *c; c++) {
         if (*c == '\'')
            fputs("'\\''", out);
         else
            fputc(*c, out);
      }
      fputc('\'', out);
   }
   /* a replay ends with its files (unless it loops or follows); the simulator runs until stopped */
   bool ends = options->duration_ns > 0 || (options->replay.n > 0 && !options->loop && !options->follow);
   fprintf(out, "%s\n", ends ? "" : " --duration 10s");
}

bool OptCheck_replay(const Options* options, char* err, size_t errlen) {
   static const char* const replay_only[] = {"speed",      "loop",         "follow",    "max-gap",   "max-lateness",
                                             "on-late",    "columns",      "time-unit", "time-format", "tz",
                                             "delimiter",  "decimal-comma", "skip-rows", "na",        "on-bad-row",
                                             "stdin-name"};
   if (!optcheck_standard(options, err, errlen))
      return false;
   if (options->replay.n == 0) {
      for (size_t i = 0; i < sizeof replay_only / sizeof replay_only[0]; i++) {
         if (Options_given(options, replay_only[i])) {
            snprintf(err, errlen, "--%s works only with --replay FILE", replay_only[i]);
            return false;
         }
      }
      return true;
   }
   return optcheck_dialect(options, err, errlen);
}

/* The first of names given on the command line; NULL when none. */
static const char* optcheck_anyGiven(const Options* o, const char* const* names, size_t n) {
   for (size_t i = 0; i < n; i++)
      if (Options_given(o, names[i]))
         return names[i];
   return NULL;
}

/* With --sweep: what the sweep sets, or what a sweep run never uses. */
static bool optcheck_sweep(const Options* o, char* err, size_t errlen) {
   static const char* const ignored[] = {"duration", "drain", "interval"};
   static const char* const overwritten[] = {"output", "record"};
   const char* name;
   if ((name = optcheck_anyGiven(o, ignored, sizeof ignored / sizeof ignored[0]))) {
      snprintf(err, errlen, "--%s does nothing with --sweep: each run settles for --warmup and is measured for --point",
               name);
      return false;
   }
   if ((name = optcheck_anyGiven(o, overwritten, sizeof overwritten / sizeof overwritten[0]))) {
      snprintf(err, errlen, "--%s does not go with --sweep: every run of the sweep would overwrite the file", name);
      return false;
   }
   for (uint32_t d = 0; d < o->n_sweep; d++) {
      const char* knob = OptionsSweepKnob_names[o->sweep[d].knob];
      if (Options_given(o, knob)) {
         snprintf(err, errlen, "--%s does nothing with --sweep %s=...: the sweep sets it", knob, knob);
         return false;
      }
   }
   return true;
}

/* --list-scenarios and --calibrate print and exit: what shapes or reports a run does nothing next to them. */
static bool optcheck_printAndExit(const Options* o, char* err, size_t errlen) {
   static const char* const run_only[] = {"duration", "interval",    "json",  "drain",   "output",
                                          "record",   "metrics-csv", "sweep", "ordered", "calibrate"};
   const char* mode = o->list_scenarios ? "list-scenarios" : o->calibrate ? "calibrate" : NULL;
   if (!mode)
      return true;
   for (size_t i = 0; i < sizeof run_only / sizeof run_only[0]; i++) {
      if (strcmp(run_only[i], mode) != 0 && Options_given(o, run_only[i])) {
         snprintf(err, errlen, "--%s does nothing with --%s: it prints %s and exits, running nothing", run_only[i],
                  mode, o->list_scenarios ? "the scenarios" : "the stage costs");
         return false;
      }
   }
   return true;
}

bool OptCheck_unused(const Options* o, char* err, size_t errlen) {
   static const char* const simulator[] = {"sensors", "rate", "arrival", "burst", "every", "seed", "hot", "anomalies"};
   static const char* const dashboard[] = {"no-color", "delay"};
   const char* name;
   if (!optcheck_printAndExit(o, err, errlen))
      return false;
   if (o->replay.n > 0 && (name = optcheck_anyGiven(o, simulator, sizeof simulator / sizeof simulator[0]))) {
      snprintf(err, errlen, "--%s does nothing with --replay: the replayed files set the records and their pace "
                            "(--speed changes the pace)", name);
      return false;
   }
   if (o->replay.n > 0 && Options_given(o, "allowlist") && o->setup.allowlist != 0) {
      snprintf(err, errlen, "--allowlist %" PRIu32 " does nothing with --replay: a replay keeps the recording's "
                            "allowlist; only --allowlist 0 (allow every sensor) applies", o->setup.allowlist);
      return false;
   }
   if (o->mode == MODE_HEADLESS && (name = optcheck_anyGiven(o, dashboard, sizeof dashboard / sizeof dashboard[0]))) {
      snprintf(err, errlen, "--%s works only in the dashboard, not with --headless", name);
      return false;
   }
   return o->n_sweep == 0 || optcheck_sweep(o, err, errlen);
}

/* ------------------------------------------------------------ outputs */

typedef struct OptCheckFile {
   const char* option; /* "--output"; NULL: standard output itself */
   const char* path;
   bool standard; /* "-": a standard descriptor, not a file of that name */
   FileId id;
} OptCheckFile;

/* std_fd: the standard descriptor "-" names for this option; -1: "-" is a file of that name. */
static void optcheck_file(OptCheckFile* f, const char* option, const char* path, int std_fd) {
   f->option = option;
   f->path = path;
   f->standard = std_fd >= 0 && strcmp(path, "-") == 0;
   if (f->standard)
      FileId_ofFd(&f->id, std_fd);
   else
      FileId_ofPath(&f->id, path);
}

/* What writing each output would overwrite. */
static const char* optcheck_overwrites(const char* option) {
   if (!option)
      return "what keepup prints would land in it; send standard output elsewhere";
   if (strcmp(option, "--record") == 0)
      return "recording would overwrite it";
   if (strcmp(option, "--metrics-csv") == 0)
      return "the metrics would overwrite it";
   if (strcmp(option, "--calibration") == 0)
      return "the stage costs measured would overwrite it";
   return "the output would overwrite it";
}

/* Two outputs on one file; "-" twice is standard output twice, whatever it is. */
static bool optcheck_sameAs(const OptCheckFile* a, const OptCheckFile* b) {
   bool both_dash = a->option && b->option && a->standard && b->standard;
   return both_dash || FileId_same(&a->id, &b->id);
}

/* The stage costs are kept in a plain file: a FIFO would hang the read, a device or folder cannot hold them. */
static bool optcheck_calibrationFile(const char* path, char* err, size_t errlen) {
   struct stat st;
   if (!path || stat(path, &st) != 0 || S_ISREG(st.st_mode))
      return true;
   const char* kind = "a device or socket";
   if (S_ISFIFO(st.st_mode))
      kind = "a FIFO";
   else if (S_ISDIR(st.st_mode))
      kind = "a folder";
   snprintf(err, errlen, "--calibration '%s' is not a regular file (%s): the stage costs are kept in a plain file",
            path, kind);
   return false;
}

/* Output i over a --replay file: false with err set. */
static bool optcheck_notInput(const Options* o, const OptCheckFile* out, char* err, size_t errlen) {
   for (uint32_t r = 0; r < o->replay.n; r++) {
      OptCheckFile in;
      optcheck_file(&in, "--replay", o->replay.item[r], STDIN_FILENO);
      if (!FileId_same(&out->id, &in.id))
         continue;
      if (out->option)
         snprintf(err, errlen, "%s '%s' is also a --replay file: %s", out->option, out->path,
                  optcheck_overwrites(out->option));
      else
         snprintf(err, errlen, "standard output is also the --replay file '%s': %s", in.path,
                  optcheck_overwrites(NULL));
      return false;
   }
   return true;
}

bool OptCheck_outputs(const Options* o, char* err, size_t errlen) {
   OptCheckFile out[5];
   size_t n = 0;
   bool dash = false;
   const char* const named[][2] = {{"--output", o->output}, {"--record", o->record}, {"--metrics-csv", o->metrics_csv}};
   for (size_t i = 0; i < 3; i++) {
      if (!named[i][1])
         continue;
      optcheck_file(&out[n++], named[i][0], named[i][1], STDOUT_FILENO);
      dash = dash || strcmp(named[i][1], "-") == 0;
   }
   /* a --calibration FILE that does not hold the stage costs yet is written */
   if (!optcheck_calibrationFile(o->calibration_file, err, errlen))
      return false;
   if (o->calibration_file)
      optcheck_file(&out[n++], "--calibration", o->calibration_file, -1);
   /* what keepup prints goes to standard output: a file there is an output too (unless one is "-") */
   if (!dash) {
      out[n] = (OptCheckFile){.option = NULL, .path = "-"};
      FileId_ofFd(&out[n++].id, STDOUT_FILENO);
   }
   for (size_t i = 0; i < n; i++) {
      if (!optcheck_notInput(o, &out[i], err, errlen))
         return false;
      for (size_t j = i + 1; j < n; j++) {
         if (!optcheck_sameAs(&out[i], &out[j]))
            continue;
         if (out[j].option)
            snprintf(err, errlen, "%s '%s' and %s '%s' name the same file: give each its own", out[i].option,
                     out[i].path, out[j].option, out[j].path);
         else
            snprintf(err, errlen, "%s '%s' is also standard output: what keepup prints would land in it; "
                                  "give it a file of its own", out[i].option, out[i].path);
         return false;
      }
   }
   return true;
}

/* ------------------------------------------------------------ after the scenario */

/* The largest batch the run will use: --batch, or the largest value a sweep tries. */
static uint32_t optcheck_largestBatch(const Options* o) {
   uint32_t batch = o->setup.knobs.batch;
   for (uint32_t d = 0; d < o->n_sweep; d++) {
      if (o->sweep[d].knob != SWEEP_BATCH)
         continue;
      batch = 0;
      for (uint32_t i = 0; i < o->sweep[d].n; i++)
         if (o->sweep[d].value[i] > batch)
            batch = o->sweep[d].value[i];
   }
   return batch;
}

bool OptCheck_setup(const Options* o, char* err, size_t errlen) {
   const Knobs* k = &o->setup.knobs;
   if (o->replay.n == 0 && k->arrival == ARRIVAL_BURST && Options_given(o, "rate")) {
      snprintf(err, errlen, "--rate does nothing with --arrival burst: the source sends --burst records every --every");
      return false;
   }
   if (o->replay.n == 0 && k->arrival != ARRIVAL_BURST) {
      static const char* const burst_only[] = {"burst", "every"};
      const char* name = optcheck_anyGiven(o, burst_only, sizeof burst_only / sizeof burst_only[0]);
      if (name) {
         snprintf(err, errlen, "--%s does nothing with --arrival %s: it is for --arrival burst", name,
                  Arrival_names[k->arrival]);
         return false;
      }
   }
   uint32_t batch = optcheck_largestBatch(o), max = Knobs_batchMax(k);
   if (batch > max) {
      char cap[32], need[32];
      if (k->max_backlog_records) {
         snprintf(cap, sizeof cap, "%" PRIu64, k->max_backlog_records);
         snprintf(need, sizeof need, "%" PRIu32, batch);
      } else {
         Units_formatBytes(cap, sizeof cap, (double)k->max_backlog_bytes);
         snprintf(need, sizeof need, "%" PRIu64 "B", Knobs_batchBytes(k, batch));
      }
      snprintf(err, errlen, "--max-backlog %s cannot hold one batch of %" PRIu32 " records: the source would wait "
                            "for good; give --max-backlog %s or more, or --batch %" PRIu32 " or less",
               cap, batch, need, max);
      return false;
   }
   return true;
}
