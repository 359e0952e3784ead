/* optcheck.c: checks across options; the --columns syntax is the csv layer's (Columns_check). */
#include "config.h"

#include "app/optcheck.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "csv/columns.h"

/* Whether two paths name one file (the same text, or the same device and inode). */
static bool optcheck_sameFile(const char* a, const char* b) {
   if (strcmp(a, b) == 0)
      return true;
   struct stat sa, sb;
   return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

bool OptCheck_replay(const Options* options, char* err, size_t errlen) {
   static const char* const replay_only[] = {"speed", "loop", "columns", "time-unit", "delimiter", "on-bad-row"};
   if (options->replay.n == 0) {
      for (size_t i = 0; i < sizeof replay_only / sizeof replay_only[0]; i++) {
         if (Options_given(options, replay_only[i])) {
            snprintf(err, errlen, "--%s works only with --replay FILE", replay_only[i]);
            return false;
         }
      }
      return true;
   }
   if (!Columns_check(options->columns, err, errlen))
      return false;
   if (options->record) {
      for (uint32_t i = 0; i < options->replay.n; i++) {
         if (optcheck_sameFile(options->record, options->replay.item[i])) {
            snprintf(err, errlen, "--record '%s' is also a --replay file: recording would overwrite it",
                     options->record);
            return false;
         }
      }
   }
   return true;
}
