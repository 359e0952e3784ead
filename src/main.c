/* main.c: parse the options, pick a front end, run it. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/calibrate.h"
#include "app/headless.h"
#include "app/optcheck.h"
#include "app/options.h"
#include "app/run.h"
#include "base/clock.h"
#include "base/fileopen.h"
#include "base/signals.h"
#include "core/scenario.h"
#include "ui/dashboard.h"

/* What was printed on standard output reached it: 0, or EXIT_OUTPUT with a message. */
static int main_stdoutWritten(const char* what) {
   char why[128];
   if (FileOpen_flushed(stdout, why, sizeof why))
      return 0;
   fprintf(stderr, "keepup: %s: cannot write to standard output: %s\n", what, why);
   return EXIT_OUTPUT;
}

static int main_usage(const char* err) {
   fprintf(stderr, "keepup: %s\n", err);
   return EXIT_USAGE;
}

/* The checks that come before calibration; 0, or the exit status. */
static int main_check(Options* options, char* err, size_t errlen) {
   if (!OptCheck_replay(options, err, errlen) || !OptCheck_unused(options, err, errlen) ||
       !OptCheck_outputs(options, err, errlen))
      return main_usage(err);
   return 0;
}

/* The front end of the options, over an open run; the exit status. */
static int main_run(Run* run, int argc, char** argv) {
   int status = 0;
   if (run->options.mode == MODE_HEADLESS)
      status = Headless_run(run);
   else
      status = Dashboard_run(run, argc, (const char* const*)argv);
   int run_status = Run_close(run);
   Run_printErrors(run, stderr);
   return status ? status : run_status;
}

/* --replay - reads the data from standard input. */
static bool main_stdinIsData(const Options* o) {
   for (uint32_t i = 0; i < o->replay.n; i++)
      if (strcmp(o->replay.item[i], "-") == 0)
         return true;
   return false;
}

int main(int argc, char** argv) {
   int64_t launched = Clock_now();
   /* before anything is opened: no file may become standard output, no signal may go unheard */
   FileOpen_standardFds();
   Signals_install();
   Options options;
   char err[512];
   Options_init(&options);
   options.launched = launched;
   switch (Options_parse(&options, argc, argv, err, sizeof err)) {
   case OPTIONS_EXIT_OK:
      return main_stdoutWritten(Options_given(&options, "version") ? "--version" : "--help");
   case OPTIONS_ERROR:
      return main_usage(err);
   case OPTIONS_OK:
      break;
   }
   int status = main_check(&options, err, sizeof err);
   if (status != 0)
      return status;
   if (options.list_scenarios) {
      Scenario_list(stdout);
      return main_stdoutWritten("--list-scenarios");
   }
   /* a replay plays what the file holds: no default scenario reshapes it */
   if (options.replay.n > 0 && !Options_given(&options, "scenario"))
      options.scenario = SCENARIO_LAST;
   /* with --json, standard output may be a file: the dashboard then draws on the terminal (/dev/tty);
    * checked before any calibration, so a launch that cannot run says so at once */
   bool no_out = !isatty(STDOUT_FILENO) && !options.json;
   /* with --replay - standard input is the data: the keys then come from the terminal (/dev/tty) */
   bool no_in = !isatty(STDIN_FILENO) && !main_stdinIsData(&options);
   if (!options.calibrate && options.mode == MODE_DASHBOARD && (no_out || no_in)) {
      fprintf(stderr, "keepup: the dashboard needs a terminal, and %s is not one.\n",
              no_out ? "standard output" : "standard input");
      OptCheck_headlessHint(stderr, &options, argc, (const char* const*)argv);
      return EXIT_USAGE;
   }
   /* what each stage variant costs here, only when something reads it: scenarios are sized from it,
    * the dashboard predicts with it; a run without it starts processing at once */
   Calibration calibration = {0};
   if (Calibrate_needed(&options)) {
      status = Calibrate_obtain(&options, &calibration, stderr, err, sizeof err);
      if (status != 0) {
         fprintf(stderr, "keepup: %s\n", err);
         return status;
      }
   }
   if (options.calibrate && Signals_first() != 0) { /* its figures are from fewer passes: not printed */
      fprintf(stderr, "keepup: --calibrate: a signal stopped it before it measured everything\n");
      return EXIT_SIGNAL + Signals_first();
   }
   if (options.calibrate) {
      Calibration_print(&calibration, stdout);
      return main_stdoutWritten("--calibrate");
   }
   if (options.scenario < SCENARIO_LAST)
      Scenario_apply((ScenarioId)options.scenario, &calibration, &options.setup);
   if (!OptCheck_setup(&options, err, sizeof err))
      return main_usage(err);
   if (options.n_sweep > 0)
      status = Headless_sweep(&options, &calibration);
   else {
      Run run;
      status = Run_open(&run, &options, &calibration, err, sizeof err);
      if (status != 0)
         fprintf(stderr, "keepup: %s\n", err);
      else
         status = main_run(&run, argc, argv);
   }
   /* a signal that ends a process by default (SIGQUIT, SIGUSR1, SIGXCPU, ...) does so now, reported */
   Signals_reraise();
   return status;
}
