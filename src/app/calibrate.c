/* calibrate.c: the calibration a run needs, from a file, the cache or a measurement. */
#include "config.h"

#include "app/calibrate.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app/run.h"
#include "base/clock.h"
#include "base/signals.h"
#include "core/calfile.h"

bool Calibrate_needed(const Options* o) {
   return o->calibrate || (o->scenario < SCENARIO_LAST && Scenario_sized(o->scenario)) || o->mode == MODE_DASHBOARD;
}

bool Calibrate_cachePath(const Setup* setup, char* out, size_t len) {
   const char* xdg = getenv("XDG_CACHE_HOME");
   const char* home = getenv("HOME");
   char dir[2048];
   /* the XDG base directory spec: a relative XDG_CACHE_HOME is ignored */
   if (xdg && xdg[0] == '/')
      snprintf(dir, sizeof dir, "%s/keepup", xdg);
   else if (home && home[0] == '/')
      snprintf(dir, sizeof dir, "%s/.cache/keepup", home);
   else
      return false;
   /* one file per set of cost parameters (FNV-1a of them): alternating windows does not measure again */
   char params[256];
   CalFile_params(params, sizeof params, setup);
   uint64_t h = UINT64_C(14695981039346656037);
   for (const char* p = params; *p; p++)
      h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
   snprintf(out, len, "%s/calibration-%016" PRIx64, dir, h);
   return true;
}

/* mkdir -p of the directory that holds path. */
static void calibrate_mkdirs(const char* path) {
   char dir[4096];
   snprintf(dir, sizeof dir, "%s", path);
   char* slash = strrchr(dir, '/');
   if (!slash || slash == dir)
      return;
   *slash = '\0';
   for (char* p = dir + 1; *p; p++)
      if (*p == '/') {
         *p = '\0';
         mkdir(dir, 0700);
         *p = '/';
      }
   mkdir(dir, 0700);
}

static void calibrate_age(char* out, size_t len, int64_t measured_at) {
   double age = difftime(time(NULL), (time_t)measured_at);
   if (age < 0)
      snprintf(out, len, "in the future (the clock moved)");
   else if (age < 120)
      snprintf(out, len, "%.0f s ago", age);
   else if (age < 7200)
      snprintf(out, len, "%.0f min ago", age / 60);
   else if (age < 172800)
      snprintf(out, len, "%.0f h ago", age / 3600);
   else
      snprintf(out, len, "%.0f days ago", age / 86400);
}

/* --duration bounds the whole run, calibration included (not --calibrate's, which is all there is). */
static int64_t calibrate_deadline(const Options* o) {
   return o->duration_ns > 0 && o->launched > 0 && !o->calibrate ? o->launched + o->duration_ns : INT64_MAX;
}

/* Measure, warn when the machine was busy, and store in path (when there is one). A cache that
 * cannot be written is a note; a --calibration FILE that cannot be, an error (false, err set). */
static bool calibrate_measure(const Options* o, Calibration* cal, const char* path, const char* key, FILE* notes,
                              char* err, size_t errlen) {
   /* --duration bounds the whole run, calibration included, and a signal ends it: then fewer passes,
    * and nothing stored */
   int64_t deadline = calibrate_deadline(o);
   Calibration_runUntil(cal, &o->setup, deadline);
   if (Clock_now() >= deadline || Signals_first() != 0)
      path = NULL;
   if (!Calibration_quiet(cal))
      fprintf(notes,
              "keepup: warning: the machine was busy while measuring the stage costs (passes %.0f%% apart);"
              " a scenario sized from them may differ from a quiet launch (the next launch measures again and"
              " keeps the quieter)\n",
              cal->spread * 100);
   if (!path)
      return true;
   char why[4200];
   if (!o->calibration_file)
      calibrate_mkdirs(path);
   if (CalFile_write(path, key, cal, why, sizeof why)) {
      fprintf(notes, "keepup: stage costs measured in %.0f ms, stored in %s\n", cal->elapsed_s * 1e3, path);
   } else if (o->calibration_file) {
      snprintf(err, errlen, "--calibration: cannot write %s", why);
      return false;
   } else {
      fprintf(notes, "keepup: note: could not store the stage costs (%s): measured again at the next launch\n", why);
   }
   return true;
}

/* A cache measured on a busy machine is provisional: every launch that reads it measures again and
 * keeps the quieter of the two (stored), so the cache settles on a quiet machine's costs and then stays;
 * until then launches on a busy machine may size a scenario differently, and say so. A --calibration
 * FILE is not replaced: the user chose it. */
static int calibrate_busyCache(const Options* o, Calibration* cal, const char* file, const char* key, FILE* notes) {
   Calibration cached = *cal;
   char age[64];
   calibrate_age(age, sizeof age, cached.measured_at);
   fprintf(notes,
           "keepup: note: the cached stage costs (%s, measured %s) were measured on a busy machine (passes %.0f%%"
           " apart): measuring again, the quieter kept\n",
           file, age, cached.spread * 100);
   int64_t deadline = calibrate_deadline(o);
   Calibration_runUntil(cal, &o->setup, deadline);
   bool whole = Clock_now() < deadline && Signals_first() == 0;
   if (!whole || cal->spread >= cached.spread) {
      if (whole)
         fprintf(notes, "keepup: stage costs from %s kept (passes %.0f%% apart; this launch's %.0f%%)\n", file,
                 cached.spread * 100, cal->spread * 100);
      else
         fprintf(notes, "keepup: stage costs from %s kept: this launch's measurement was cut short\n", file);
      *cal = cached;
      return 0;
   }
   char why[4200];
   if (CalFile_write(file, key, cal, why, sizeof why))
      fprintf(notes, "keepup: stage costs measured in %.0f ms (passes %.0f%% apart), stored in %s\n",
              cal->elapsed_s * 1e3, cal->spread * 100, file);
   else
      fprintf(notes, "keepup: note: could not store the stage costs (%s)\n", why);
   if (!Calibration_quiet(cal))
      fprintf(notes, "keepup: warning: the machine is still busy (passes %.0f%% apart): a later quiet launch"
                     " measures again\n", cal->spread * 100);
   return 0;
}

int Calibrate_obtain(const Options* o, Calibration* cal, FILE* notes, char* err, size_t errlen) {
   char key[CALFILE_KEY_MAX], got[CALFILE_KEY_MAX], why[4400], path[4096], age[64];
   CalFile_key(key, sizeof key, &o->setup);
   const char* file = o->calibration_file;
   if (!file && !Calibrate_cachePath(&o->setup, path, sizeof path)) {
      fprintf(notes, "keepup: note: no cache directory (XDG_CACHE_HOME and HOME unset): stage costs not stored\n");
      calibrate_measure(o, cal, NULL, key, notes, err, errlen);
      return 0;
   }
   if (!file)
      file = path;
   CalFileStatus st = o->recalibrate ? CALFILE_MISSING : CalFile_read(file, cal, got, why, sizeof why);
   if (st == CALFILE_BAD && o->calibration_file) {
      /* a file given on purpose is not overwritten: the user says which to keep */
      snprintf(err, errlen, "%s; --recalibrate writes a new one there, or give another --calibration FILE", why);
      return EXIT_USAGE;
   }
   if (st == CALFILE_BAD)
      fprintf(notes, "keepup: note: the calibration cache is unreadable (%s): measuring again\n", why);
   if (st == CALFILE_OK && !o->calibration_file && strcmp(got, key) != 0) {
      fprintf(notes, "keepup: note: the cached stage costs are for another version, CPU or setup: measuring again\n");
      st = CALFILE_MISSING;
   }
   if (st != CALFILE_OK)
      return calibrate_measure(o, cal, file, key, notes, err, errlen) ? 0 : EXIT_OUTPUT;
   if (!o->calibration_file && !Calibration_quiet(cal))
      return calibrate_busyCache(o, cal, file, key, notes);
   calibrate_age(age, sizeof age, cal->measured_at);
   fprintf(notes, "keepup: stage costs from %s, measured %s%s (--recalibrate measures again)\n", file, age,
           Calibration_quiet(cal) ? "" : " on a busy machine");
   if (o->calibration_file && strcmp(got, key) != 0)
      fprintf(notes, "keepup: note: %s was measured elsewhere (%s); this machine is %s\n", file, got, key);
   return 0;
}
