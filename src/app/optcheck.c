/* optcheck.c: checks across options; the --columns, --time-format and --tz syntax is the csv layer's. */
#include "config.h"

#include "app/optcheck.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "csv/columns.h"
#include "csv/csvtime.h"
#include "csv/replay.h"

/* Whether two paths name one file (the same text, or the same device and inode). */
static bool optcheck_sameFile(const char* a, const char* b) {
   if (strcmp(a, b) == 0)
      return true;
   struct stat sa, sb;
   return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

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
   uint32_t stdin_files = 0;
   for (uint32_t i = 0; i < options->replay.n; i++)
      stdin_files += strcmp(options->replay.item[i], "-") == 0;
   if (stdin_files > 1) {
      snprintf(err, errlen, "--replay - names standard input, which can be read only once");
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
                                             "delimiter",  "decimal-comma", "skip-rows", "na",        "on-bad-row"};
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
   if (!optcheck_dialect(options, err, errlen))
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
