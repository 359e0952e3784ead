/* main.c: parse the options, pick a front end, run it. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "app/calibrate.h"
#include "app/headless.h"
#include "app/optcheck.h"
#include "app/options.h"
#include "app/run.h"
#include "core/scenario.h"
#include "ui/dashboard.h"

int main(int argc, char** argv) {
   Options options;
   char err[512];
   Options_init(&options);
   switch (Options_parse(&options, argc, argv, err, sizeof err)) {
   case OPTIONS_EXIT_OK:
      return 0;
   case OPTIONS_ERROR:
      fprintf(stderr, "keepup: %s\n", err);
      return EXIT_USAGE;
   case OPTIONS_OK:
      break;
   }
   if (!OptCheck_replay(&options, err, sizeof err)) {
      fprintf(stderr, "keepup: %s\n", err);
      return EXIT_USAGE;
   }
   if (options.list_scenarios) {
      Scenario_list(stdout);
      return 0;
   }
   /* a replay plays what the file holds: no default scenario reshapes it */
   if (options.replay.n > 0 && !Options_given(&options, "scenario"))
      options.scenario = SCENARIO_LAST;
   /* with --json, standard output may be a file: the dashboard then draws on the terminal (/dev/tty);
    * checked before any calibration, so a launch that cannot run says so at once */
   bool no_out = !isatty(STDOUT_FILENO) && !options.json;
   if (!options.calibrate && options.mode == MODE_DASHBOARD && (no_out || !isatty(STDIN_FILENO))) {
      fprintf(stderr, "keepup: the dashboard needs a terminal, and %s is not one.\n"
                      "Run without a screen instead, e.g.: keepup --headless --duration 10s\n",
              no_out ? "standard output" : "standard input");
      return EXIT_USAGE;
   }
   /* what each stage variant costs here, only when something reads it: scenarios are sized from it,
    * the dashboard predicts with it; a run without it starts processing at once */
   Calibration calibration = {0};
   if (Calibrate_needed(&options)) {
      int status = Calibrate_obtain(&options, &calibration, stderr, err, sizeof err);
      if (status != 0) {
         fprintf(stderr, "keepup: %s\n", err);
         return status;
      }
   }
   if (options.calibrate) {
      Calibration_print(&calibration, stdout);
      return 0;
   }
   if (options.scenario < SCENARIO_LAST)
      Scenario_apply((ScenarioId)options.scenario, &calibration, &options.setup);
   /* a closed pipe on --output or stdout, or a file-size limit, is an error to report, not a signal to die of */
   signal(SIGPIPE, SIG_IGN);
   signal(SIGXFSZ, SIG_IGN);
   if (options.n_sweep > 0)
      return Headless_sweep(&options, &calibration);

   Run run;
   int status = Run_open(&run, &options, &calibration, err, sizeof err);
   if (status != 0) {
      fprintf(stderr, "keepup: %s\n", err);
      return status;
   }
   if (options.mode == MODE_HEADLESS)
      status = Headless_run(&run);
   if (options.mode == MODE_DASHBOARD)
      status = Dashboard_run(&run, argc, (const char* const*)argv);
   int close_status = Run_close(&run, err, sizeof err);
   if (close_status != 0) {
      fprintf(stderr, "keepup: %s\n", err);
      if (status == 0)
         status = close_status;
   }
   return status;
}
