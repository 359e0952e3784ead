/*
 * run.h: one run of keepup put together from the options: the generator
 * (simulator), the processing parameters, the --output file and the engine.
 * Front ends get a ready Engine and never see how it was assembled.
 */
#ifndef KEEPUP_RUN_H
#define KEEPUP_RUN_H

#include <stddef.h>

#include "engine.h"
#include "options.h"

/* Exit statuses, documented in keepup(1). */
enum {
   EXIT_RUNTIME = 1,  /* a runtime error */
   EXIT_USAGE = 2,    /* bad command line */
   EXIT_OUTPUT = 3,   /* --output, --metrics-csv or --record could not be written */
   EXIT_NOMEM = 4,    /* out of memory */
};

typedef struct Run {
   Engine* engine;
   PipelineParams params;
   int output_fd;
} Run;

/* Build the run; on failure err says why and the return is the exit status. */
int Run_open(Run* this, const Options* options, char* err, size_t errlen);
/* Close the output; returns 0, or EXIT_OUTPUT when a write failed (err says why). */
int Run_close(Run* this, char* err, size_t errlen);

#endif
