/* units.c: parsing and formatting of counts, durations and sizes. */
#include "config.h"

#include "base/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"

/* Parse a leading non-negative finite number; *end points past it. */
static bool units_number(const char* s, double* out, const char** end) {
   if (!s || !*s || isspace((unsigned char)*s) || *s == '-' || *s == '+')
      return false;
   char* e;
   errno = 0;
   double v = strtod(s, &e);
   if (e == s || errno == ERANGE || !isfinite(v) || v < 0)
      return false;
   /* strtod accepts "nan", "inf" and hex; keep to plain decimals. */
   for (const char* c = s; c < e; c++)
      if (!(isdigit((unsigned char)*c) || *c == '.' || *c == 'e' || *c == 'E' || *c == '-' || *c == '+'))
         return false;
   *out = v;
   *end = e;
   return true;
}

typedef struct Suffix {
   const char* name;
   double scale;
} Suffix;

static bool units_scaled(const char* s, const Suffix* table, bool unit_required, double* out) {
   const char* end;
   double v;
   if (!units_number(s, &v, &end))
      return false;
   if (*end == '\0') {
      if (unit_required && v != 0)
         return false;
      *out = v;
      return true;
   }
   for (const Suffix* u = table; u->name; u++) {
      if (strcmp(end, u->name) == 0) {
         *out = v * u->scale;
         return isfinite(*out);
      }
   }
   return false;
}

static const Suffix units_count[] = {
   {"k", 1e3}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {NULL, 0},
};

static const Suffix units_time[] = {
   {"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"min", 60e9}, {"h", 3600e9}, {NULL, 0},
};

static const Suffix units_bytes[] = {
   {"B", 1},
   {"KB", 1e3}, {"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9},
   {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0},
   {NULL, 0},
};

bool Units_parseCount(const char* s, double* out) {
   return units_scaled(s, units_count, false, out);
}

bool Units_parseDuration(const char* s, int64_t* out_ns) {
   double v;
   if (!units_scaled(s, units_time, true, &v) || v > 9.2e18)
      return false;
   *out_ns = (int64_t)llround(v);
   return true;
}

bool Units_parseBytes(const char* s, uint64_t* out) {
   double v;
   /* 2^64 itself does not fit; above 2^53 a double is a whole number, so the cast is exact */
   if (!units_scaled(s, units_bytes, true, &v) || v >= 18446744073709551616.0)
      return false;
   *out = v < 9007199254740992.0 ? (uint64_t)llround(v) : (uint64_t)v;
   return true;
}

bool Units_hasByteUnit(const char* s) {
   size_t n = s ? strlen(s) : 0;
   return n > 0 && s[n - 1] == 'B';
}

void Units_formatCount(char* buf, size_t len, double v) {
   static const char suffix[] = {'\0', 'k', 'M', 'G', 'T', 'P'};
   double a = fabs(v);
   int i = 0;
   if (!isfinite(v)) {
      snprintf(buf, len, "-");
      return;
   }
   if (a < 999.5) {
      snprintf(buf, len, "%.0f", v);
      return;
   }
   while (a >= 999.5 && i < 5) {
      a /= 1000;
      v /= 1000;
      i++;
   }
   if (a < 9.995)
      snprintf(buf, len, "%.2f%c", v, suffix[i]);
   else if (a < 99.95)
      snprintf(buf, len, "%.1f%c", v, suffix[i]);
   else
      snprintf(buf, len, "%.0f%c", v, suffix[i]);
}

void Units_formatDuration(char* buf, size_t len, int64_t ns) {
   double a = ns < 0 ? -(double)ns : (double)ns; /* -INT64_MIN would overflow */
   const char* sign = ns < 0 ? "-" : "";
   if (a < 999.5)
      snprintf(buf, len, "%s%.0f ns", sign, a);
   else if (a < 999.5e3)
      snprintf(buf, len, a < 9.995e3 ? "%s%.2f us" : a < 99.95e3 ? "%s%.1f us" : "%s%.0f us", sign, a / 1e3);
   else if (a < 999.5e6)
      snprintf(buf, len, a < 9.995e6 ? "%s%.2f ms" : a < 99.95e6 ? "%s%.1f ms" : "%s%.0f ms", sign, a / 1e6);
   else if (a < 59.95e9)
      snprintf(buf, len, a < 9.995e9 ? "%s%.2f s" : "%s%.1f s", sign, a / 1e9);
   else if (a < 59.95 * 60e9)
      snprintf(buf, len, "%s%.1f min", sign, a / 60e9);
   else
      snprintf(buf, len, "%s%.1f h", sign, a / 3600e9);
}

void Units_formatBytes(char* buf, size_t len, double bytes) {
   static const char* const name[] = {"B", "KB", "MB", "GB", "TB"};
   double a = bytes;
   int i = 0;
   while (a >= 999.5 && i < 4) {
      a /= 1000;
      i++;
   }
   if (i == 0)
      snprintf(buf, len, "%.0f B", a);
   else
      snprintf(buf, len, a < 9.995 ? "%.2f %s" : a < 99.95 ? "%.1f %s" : "%.0f %s", a, name[i]);
}
