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
   uint64_t exact; /* the same, as an integer */
} Suffix;

static const Suffix* units_suffix(const Suffix* table, const char* end) {
   for (const Suffix* u = table; u->name; u++)
      if (strcmp(end, u->name) == 0)
         return u;
   return NULL;
}

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
   const Suffix* u = units_suffix(table, end);
   if (!u)
      return false;
   *out = v * u->scale;
   return isfinite(*out);
}

static const Suffix units_count[] = {
   {"k", 1e3, 1000}, {"K", 1e3, 1000}, {"M", 1e6, 1000000}, {"G", 1e9, 1000000000}, {NULL, 0, 0},
};

static const Suffix units_time[] = {
   {"ns", 1, 1},
   {"us", 1e3, 1000},
   {"ms", 1e6, 1000000},
   {"s", 1e9, 1000000000},
   {"m", 60e9, UINT64_C(60000000000)},
   {"min", 60e9, UINT64_C(60000000000)},
   {"h", 3600e9, UINT64_C(3600000000000)},
   {NULL, 0, 0},
};

static const Suffix units_bytes[] = {
   {"B", 1, 1},
   {"KB", 1e3, 1000}, {"kB", 1e3, 1000}, {"MB", 1e6, 1000000}, {"GB", 1e9, 1000000000},
   {"KiB", 1024.0, 1024}, {"MiB", 1048576.0, 1048576}, {"GiB", 1073741824.0, 1073741824},
   {NULL, 0, 0},
};

/* ---------------------------------------------------------------- exact decimals */

#define UNITS_DIGITS_MAX 64 /* significant digits read; more is not a number a person typed */

/* A plain decimal read exactly: value = m * 10^p, unless big. */
typedef struct UnitsDecimal {
   uint64_t m;
   int p;
   bool big; /* its digits do not fit m */
} UnitsDecimal;

/* The plain decimal at the start of s (digits, at most one point, an optional exponent; no sign, blank,
 * hex, inf or nan): false when there is none; *end points past it. */
static bool units_decimal(const char* s, UnitsDecimal* d, const char** end) {
   char digits[UNITS_DIGITS_MAX];
   int n = 0, p = 0;
   bool any = false;
   const char* c = s;
   for (bool point = false;; c++) {
      if (*c == '.' && !point) {
         point = true;
         continue;
      }
      if (*c < '0' || *c > '9')
         break;
      any = true;
      if (n == 0 && *c == '0') {
         p -= point; /* a leading zero only moves the point */
         continue;
      }
      if (n < UNITS_DIGITS_MAX)
         digits[n] = *c;
      n++;
      p -= point;
   }
   if (!any)
      return false;
   if ((*c == 'e' || *c == 'E') && (isdigit((unsigned char)c[1]) || ((c[1] == '+' || c[1] == '-') && isdigit((unsigned char)c[2])))) {
      bool neg = c[1] == '-';
      c += c[1] == '+' || c[1] == '-' ? 2 : 1;
      int x = 0;
      for (; isdigit((unsigned char)*c); c++)
         if (x < 100000)
            x = x * 10 + (*c - '0');
      p += neg ? -x : x;
   }
   d->big = n > UNITS_DIGITS_MAX;
   while (!d->big && n > 0 && digits[n - 1] == '0') { /* trailing zeros: a power of ten */
      n--;
      p++;
   }
   uint64_t m = 0;
   for (int i = 0; i < n && !d->big; i++) {
      uint64_t digit = (uint64_t)(digits[i] - '0');
      d->big = m > (UINT64_MAX - digit) / 10;
      m = m * 10 + digit;
   }
   d->m = m;
   d->p = m ? p : 0;
   *end = c;
   return true;
}

static uint64_t units_gcd(uint64_t a, uint64_t b) {
   while (b) {
      uint64_t t = a % b;
      a = b;
      b = t;
   }
   return a;
}

/* d times mult as a whole number: false when it is not one, or does not fit 64 bits. */
static bool units_whole(const UnitsDecimal* d, uint64_t mult, uint64_t* out) {
   uint64_t m = d->m;
   if (d->big)
      return false;
   if (m == 0 || mult == 0) {
      *out = 0;
      return true;
   }
   if (d->p < 0) {
      if (d->p < -19)
         return false;
      uint64_t den = 1;
      for (int i = 0; i < -d->p; i++)
         den *= 10;
      uint64_t g = units_gcd(m, den);
      m /= g;
      den /= g;
      if (mult % den != 0)
         return false;
      mult /= den;
   }
   if (m > UINT64_MAX / mult)
      return false;
   uint64_t v = m * mult;
   for (int i = 0; i < d->p; i++) {
      if (v > UINT64_MAX / 10)
         return false;
      v *= 10;
   }
   *out = v;
   return true;
}

/* s exactly, a whole number of the table's smallest unit; a unit is needed unless unit_required is false
 * or the value is 0. */
static bool units_exact(const char* s, const Suffix* table, bool unit_required, uint64_t* out) {
   if (!s)
      return false;
   UnitsDecimal d;
   const char* end;
   if (!units_decimal(s, &d, &end))
      return false;
   uint64_t mult = 1;
   if (*end) {
      const Suffix* u = units_suffix(table, end);
      if (!u)
         return false;
      mult = u->exact;
   } else if (unit_required && (d.m != 0 || d.big)) {
      return false;
   }
   return units_whole(&d, mult, out);
}

bool Units_parseCount(const char* s, double* out) {
   return units_scaled(s, units_count, false, out);
}

bool Units_parseWhole(const char* s, uint64_t* out) {
   return units_exact(s, units_count, false, out);
}

bool Units_parseDuration(const char* s, int64_t* out_ns) {
   uint64_t ns;
   if (!units_exact(s, units_time, true, &ns) || ns > (uint64_t)INT64_MAX)
      return false;
   *out_ns = (int64_t)ns;
   return true;
}

bool Units_parseBytes(const char* s, uint64_t* out) {
   return units_exact(s, units_bytes, true, out);
}

bool Units_parseNumber(const char* s, double* out) {
   if (!s)
      return false;
   const char* digits = s + (*s == '-' || *s == '+');
   UnitsDecimal d;
   const char* end;
   if (!units_decimal(digits, &d, &end) || *end)
      return false;
   char* e;
   errno = 0;
   double v = strtod(s, &e);
   if (*e || errno == ERANGE || !isfinite(v))
      return false;
   *out = v;
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
