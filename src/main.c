/* main.c: parse the options, pick a front end, run it. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "headless.h"
#include "options.h"
#include "run.h"
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
   if (options.mode == MODE_DASHBOARD && (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO))) {
      fprintf(stderr, "keepup: the dashboard needs a terminal, and %s is not one.\n"
                      "Run without a screen instead, e.g.: keepup --headless --duration 10s\n",
              isatty(STDOUT_FILENO) ? "standard input" : "standard output");
      return EXIT_USAGE;
   }
   /* a closed pipe on --output or stdout is an error to report, not a signal to die of */
   signal(SIGPIPE, SIG_IGN);

   Run run;
   int status = Run_open(&run, &options, err, sizeof err);
   if (status != 0) {
      fprintf(stderr, "keepup: %s\n", err);
      return status;
   }
   if (options.mode == MODE_HEADLESS)
      status = Headless_run(&options, run.engine);
   if (options.mode == MODE_DASHBOARD)
      status = Dashboard_run(&options, run.engine);
   int close_status = Run_close(&run, err, sizeof err);
   if (close_status != 0) {
      fprintf(stderr, "keepup: %s\n", err);
      if (status == 0)
         status = close_status;
   }
   return status;
}
