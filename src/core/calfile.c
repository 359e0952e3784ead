/* calfile.c: a calibration written to and read from a text file. */
#include "config.h"

#include "core/calfile.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/sysinfo.h"

#define CALFILE_HEADER "# keepup calibration"

void CalFile_params(char* out, size_t len, const Setup* s) {
   snprintf(out, len, "window %" PRIu32 " allowlist %" PRIu32 " sensors %" PRIu32 " seed %" PRIu64
            " threshold %g cache %" PRIu32 " valid %g:%g",
            s->knobs.window, s->allowlist, s->sensors, s->seed, s->threshold, s->cache, s->valid_lo, s->valid_hi);
}

void CalFile_key(char* out, size_t len, const Setup* s) {
   char model[160], params[200];
   Sysinfo_cpuModel(model, sizeof model);
   CalFile_params(params, sizeof params, s);
   /* "costs 2": what a calibration measures (2: the source thread's cost too); a cache of another
    * measures again */
   snprintf(out, len, "keepup %s costs 2 | %s | %" PRIu32 " CPUs | %s", PACKAGE_VERSION, model, Sysinfo_cpuCount(),
            params);
}

bool CalFile_write(const char* path, const char* key, const Calibration* c, char* err, size_t errlen) {
   char tmp[4096];
   snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
   FILE* f = fopen(tmp, "w");
   if (!f) {
      snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
      return false;
   }
   fprintf(f, CALFILE_HEADER ": what each stage variant costs per record, in ns (keepup --calibrate)\n");
   fprintf(f, "key %s\n", key);
   fprintf(f, "measured %" PRId64 "\n", c->measured_at);
   fprintf(f, "elapsed %.17g\nspread %.17g\n", c->elapsed_s, c->spread);
   fprintf(f, "window %" PRIu32 "\nallowlist %" PRIu32 "\n", c->window, c->allowlist);
   fprintf(f, "feature_ns_per_w %.17g\nfilter_ns_per_k %.17g\n", c->feature_ns_per_w, c->filter_ns_per_k);
   fprintf(f, "source_ns %.17g\n", c->source_ns);
   for (int s = 0; s < STAGE_LAST; s++)
      fprintf(f, "stage %s %.17g %.17g\n", Stage_table[s].name, c->ns[s][VARIANT_NAIVE], c->ns[s][VARIANT_OPTIMIZED]);
   bool ok = !ferror(f);
   if (fclose(f) != 0)
      ok = false;
   if (ok && rename(tmp, path) != 0)
      ok = false;
   if (!ok) {
      snprintf(err, errlen, "%s: %s", path, strerror(errno));
      remove(tmp);
   }
   return ok;
}

/* A number >= 0 and finite, the whole of text. */
static bool calfile_number(const char* text, double* out) {
   char* end;
   errno = 0;
   double v = strtod(text, &end);
   if (end == text || *end != '\0' || errno != 0 || !isfinite(v) || v < 0)
      return false;
   *out = v;
   return true;
}

/* One "name value..." line into c; false when it is not one of ours or its value is bad. */
static bool calfile_line(char* name, char* rest, Calibration* c, char* key, uint64_t* seen) {
   double v;
   if (strcmp(name, "key") == 0) {
      snprintf(key, CALFILE_KEY_MAX, "%s", rest);
      *seen |= 1;
      return true;
   }
   if (strcmp(name, "stage") == 0) {
      char stage[32], a[64], b[64], extra;
      double n, o;
      if (sscanf(rest, "%31s %63s %63s %c", stage, a, b, &extra) != 3 || !calfile_number(a, &n) ||
          !calfile_number(b, &o))
         return false;
      for (int s = 0; s < STAGE_LAST; s++)
         if (strcmp(stage, Stage_table[s].name) == 0) {
            c->ns[s][VARIANT_NAIVE] = n;
            c->ns[s][VARIANT_OPTIMIZED] = o;
            *seen |= UINT64_C(1) << (8 + s);
            return true;
         }
      return false;
   }
   if (!calfile_number(rest, &v))
      return false;
   static const char* const names[] = {"measured", "elapsed", "spread", "window", "allowlist", "feature_ns_per_w",
                                       "filter_ns_per_k", "source_ns"};
   int i = 0;
   while (i < 8 && strcmp(name, names[i]) != 0)
      i++;
   switch (i) {
   case 0: c->measured_at = (int64_t)v; break;
   case 1: c->elapsed_s = v; break;
   case 2: c->spread = v; break;
   case 3: c->window = (uint32_t)fmin(v, UINT32_MAX); break;
   case 4: c->allowlist = (uint32_t)fmin(v, UINT32_MAX); break;
   case 5: c->feature_ns_per_w = v; break;
   case 6: c->filter_ns_per_k = v; break;
   case 7: c->source_ns = v; return true; /* optional: a file written before it was measured reads as 0 */
   default: return false;
   }
   *seen |= UINT64_C(1) << (1 + i);
   return true;
}

CalFileStatus CalFile_read(const char* path, Calibration* out, char* key, char* why, size_t whylen) {
   FILE* f = fopen(path, "r");
   if (!f) {
      snprintf(why, whylen, "%s: %s", path, strerror(errno));
      return errno == ENOENT ? CALFILE_MISSING : CALFILE_BAD;
   }
   memset(out, 0, sizeof *out);
   key[0] = '\0';
   char line[1024];
   uint64_t seen = 0, all = (UINT64_C(1) << (8 + STAGE_LAST)) - 1; /* the key, seven numbers, the stages */
   unsigned lineno = 0;
   CalFileStatus st = CALFILE_OK;
   while (st == CALFILE_OK && fgets(line, sizeof line, f)) {
      lineno++;
      size_t n = strlen(line);
      bool whole = n > 0 && line[n - 1] == '\n';
      line[strcspn(line, "\r\n")] = '\0';
      if (lineno == 1 && strncmp(line, CALFILE_HEADER, strlen(CALFILE_HEADER)) != 0) {
         snprintf(why, whylen, "%s:1: not a keepup calibration (it starts \"" CALFILE_HEADER "\")", path);
         st = CALFILE_BAD;
      } else if (!whole && !feof(f)) {
         snprintf(why, whylen, "%s:%u: line too long", path, lineno);
         st = CALFILE_BAD;
      } else if (line[0] != '#' && line[0] != '\0') {
         char* sp = strchr(line, ' ');
         if (sp)
            *sp = '\0';
         if (!sp || !calfile_line(line, sp + 1, out, key, &seen)) {
            snprintf(why, whylen, "%s:%u: unknown entry or bad value: \"%s\"", path, lineno, line);
            st = CALFILE_BAD;
         }
      }
   }
   if (st == CALFILE_OK && ferror(f)) {
      snprintf(why, whylen, "%s: %s", path, strerror(errno));
      st = CALFILE_BAD;
   }
   fclose(f);
   if (st == CALFILE_OK && (seen & all) != all) {
      snprintf(why, whylen, "%s:%u: incomplete (an entry is missing: it holds %u lines)", path, lineno, lineno);
      st = CALFILE_BAD;
   }
   if (st == CALFILE_OK && (out->window == 0 || out->ns[STAGE_FEATURE][VARIANT_NAIVE] <= 0 ||
                            out->feature_ns_per_w <= 0)) {
      snprintf(why, whylen, "%s: window 0 or a feature cost of 0: not a measured calibration", path);
      st = CALFILE_BAD;
   }
   return st;
}
