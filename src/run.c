/* run.c: assemble a run from the options (front ends share this). */
#include "config.h"

#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim.h"

int Run_open(Run* this, const Options* o, char* err, size_t errlen) {
   memset(this, 0, sizeof *this);
   this->output_fd = -1;
   if (o->output) {
      this->output_fd = open(o->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (this->output_fd < 0) {
         snprintf(err, errlen, "--output '%s': cannot write: %s", o->output, strerror(errno));
         return EXIT_OUTPUT;
      }
   }
   Sim_params(o, &this->params);
   EngineSetup setup = {
      .options = o,
      .generator = Sim_new(o),
      .params = &this->params,
      .output_fd = this->output_fd,
   };
   this->engine = Engine_new(&setup);
   return 0;
}

int Run_close(Run* this, char* err, size_t errlen) {
   int status = 0;
   if (this->engine) {
      Snapshot last;
      Engine_snapshot(this->engine, &last);
      if (last.error[0]) {
         snprintf(err, errlen, "%s", last.error);
         status = EXIT_OUTPUT;
      }
      Engine_delete(this->engine);
      this->engine = NULL;
   }
   if (this->output_fd >= 0) {
      if (close(this->output_fd) != 0 && status == 0) {
         snprintf(err, errlen, "--output: closing failed: %s", strerror(errno));
         status = EXIT_OUTPUT;
      }
      this->output_fd = -1;
   }
   Sim_freeParams(&this->params);
   return status;
}
