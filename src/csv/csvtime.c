/*
 * csvtime.c: parsing and writing of time fields. Numbers are parsed as
 * decimal digits and a shifted point, so a unit change is a shift of the
 * point, never a multiplication in floating point: the recorder's
 * "12.345678901" comes back as exactly 12345678901 ns at any magnitude.
 */
#include "config.h"

#include "csv/csvtime.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const char* const CsvTime_unitNames[CSVTIME_LAST] = {"auto", "s", "ms", "us", "ns", "date-time"};

/* Decimal digits below the unit in a nanosecond count: 1 s = 10^9 ns. */
static const int csvtime_unitDigits[CSVTIME_LAST] = {
    [CSVTIME_AUTO] = 9, [CSVTIME_S] = 9, [CSVTIME_MS] = 6, [CSVTIME_US] = 3, [CSVTIME_NS] = 0, [CSVTIME_DATETIME] = 9,
};

#define CSVTIME_MAX_DIGITS 40 /* significant digits kept; int64 needs 19, one more decides rounding */

/* A decimal number as its significant digits and the position of the point:
 * value = 0.d1d2d3... x 10^point, sign apart. */
typedef struct CsvTimeDecimal {
   char dig[CSVTIME_MAX_DIGITS];
   int n;
   int point;
   bool neg;
} CsvTimeDecimal;

static bool csvtime_isDigit(char c) {
   return c >= '0' && c <= '9';
}

static bool csvtime_isBlank(char c) {
   return c == ' ' || c == '\t';
}

/* Parse [+-]digits[.digits][(e|E)[+-]digits]; false unless all of p..end is such a number. */
static bool csvtime_decimal(const char* p, const char* end, CsvTimeDecimal* d) {
   d->n = 0;
   d->point = 0;
   d->neg = false;
   if (p < end && (*p == '+' || *p == '-')) {
      d->neg = *p == '-';
      p++;
   }
   bool any = false;
   for (; p < end && csvtime_isDigit(*p); p++) {
      any = true;
      if (d->n == 0 && *p == '0')
         continue;
      if (d->n < CSVTIME_MAX_DIGITS)
         d->dig[d->n++] = *p;
      if (d->point < 100000)
         d->point++;
   }
   if (p < end && *p == '.') {
      for (p++; p < end && csvtime_isDigit(*p); p++) {
         any = true;
         if (d->n == 0 && *p == '0') {
            if (d->point > -100000)
               d->point--;
            continue;
         }
         if (d->n < CSVTIME_MAX_DIGITS)
            d->dig[d->n++] = *p;
      }
   }
   if (!any)
      return false;
   if (p < end && (*p == 'e' || *p == 'E')) {
      p++;
      bool eneg = false;
      if (p < end && (*p == '+' || *p == '-')) {
         eneg = *p == '-';
         p++;
      }
      if (p == end || !csvtime_isDigit(*p))
         return false;
      int e = 0;
      for (; p < end && csvtime_isDigit(*p); p++)
         if (e < 100000)
            e = e * 10 + (*p - '0');
      d->point += eneg ? -e : e;
   }
   return p == end;
}

/* The decimal scaled by 10^shift, rounded half away from zero to an integer. */
static const char* csvtime_scaled(const CsvTimeDecimal* d, int shift, int64_t* out) {
   if (d->n == 0) {
      *out = 0;
      return NULL;
   }
   int k = d->point + shift; /* digits before the point after the shift */
   if (k > 19)
      return "out of range";
   uint64_t v = 0;
   for (int i = 0; i < k; i++) {
      unsigned digit = i < d->n ? (unsigned)(d->dig[i] - '0') : 0;
      v = v * 10 + digit; /* at most 19 digits: fits in uint64_t */
   }
   if (k >= 0 && k < d->n && d->dig[k] >= '5')
      v++;
   if (v > (uint64_t)INT64_MAX)
      return "out of range";
   *out = d->neg ? -(int64_t)v : (int64_t)v;
   return NULL;
}

int64_t CsvTime_daysFromCivil(int64_t year, unsigned month, unsigned day) {
   /* Count years from March, so the leap day is the last day of a year and
    * every 400-year era has the same 146097 days. */
   int64_t y = year - (month <= 2);
   int64_t era = (y >= 0 ? y : y - 399) / 400;
   int64_t year_of_era = y - era * 400;
   int64_t month_from_march = (month + 9) % 12;
   int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
   int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
   return era * 146097 + day_of_era - 719468;
}

/* The inverse of CsvTime_daysFromCivil. */
static void csvtime_civil(int64_t days, int64_t* year, unsigned* month, unsigned* day) {
   days += 719468;
   int64_t era = (days >= 0 ? days : days - 146096) / 146097;
   int64_t day_of_era = days - era * 146097;
   int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
   int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
   int64_t month_from_march = (5 * day_of_year + 2) / 153;
   *day = (unsigned)(day_of_year - (153 * month_from_march + 2) / 5 + 1);
   *month = (unsigned)(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
   *year = year_of_era + era * 400 + (*month <= 2);
}

static unsigned csvtime_daysInMonth(int64_t year, unsigned month) {
   static const unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
   bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
   return month == 2 && leap ? 29 : days[month - 1];
}

/* Read exactly n digits as a number; false when they are not all digits. */
static bool csvtime_digits(const char** p, const char* end, int n, unsigned* out) {
   if (end - *p < n)
      return false;
   unsigned v = 0;
   for (int i = 0; i < n; i++) {
      char c = (*p)[i];
      if (!csvtime_isDigit(c))
         return false;
      v = v * 10 + (unsigned)(c - '0');
   }
   *p += n;
   *out = v;
   return true;
}

static const char csvtime_notDateTime[] = "not a date-time (expected YYYY-MM-DD HH:MM:SS or ISO 8601)";

static const char* csvtime_dateTime(const char* p, const char* end, int32_t tz_s, int64_t* out) {
   unsigned year, month, day, hour = 0, minute = 0, second = 0;
   if (!csvtime_digits(&p, end, 4, &year) || p == end || *p++ != '-' || !csvtime_digits(&p, end, 2, &month) ||
       p == end || *p++ != '-' || !csvtime_digits(&p, end, 2, &day))
      return csvtime_notDateTime;
   if (month < 1 || month > 12)
      return "month out of range (01 to 12)";
   if (day < 1 || day > csvtime_daysInMonth(year, month))
      return "day out of range for the month";
   int64_t frac_ns = 0;
   int64_t offset_s = tz_s; /* a time without a zone: --tz, UTC by default */
   if (p < end) {
      if (*p != 'T' && *p != 't' && *p != ' ')
         return csvtime_notDateTime;
      p++;
      if (!csvtime_digits(&p, end, 2, &hour) || p == end || *p++ != ':' || !csvtime_digits(&p, end, 2, &minute))
         return csvtime_notDateTime;
      if (p < end && *p == ':') {
         p++;
         if (!csvtime_digits(&p, end, 2, &second))
            return csvtime_notDateTime;
         if (p < end && (*p == '.' || *p == ',')) {
            p++;
            const char* start = p;
            int kept = 0;
            for (; p < end && csvtime_isDigit(*p); p++) {
               if (kept < 9) {
                  frac_ns = frac_ns * 10 + (*p - '0');
                  kept++;
               } else if (kept == 9) {
                  frac_ns += *p >= '5'; /* round on the first digit below a nanosecond */
                  kept++;
               }
            }
            if (p == start)
               return csvtime_notDateTime;
            for (; kept < 9; kept++)
               frac_ns *= 10;
         }
      }
      if (hour > 23 || minute > 59 || second > 60)
         return "time of day out of range";
      if (p < end && *p == ' ' && end - p > 1 && (p[1] == '+' || p[1] == '-' || p[1] == 'Z'))
         p++;
      if (p < end && (*p == 'Z' || *p == 'z')) {
         p++;
         offset_s = 0;
      } else if (p < end && (*p == '+' || *p == '-')) {
         bool neg = *p++ == '-';
         unsigned oh, om = 0;
         if (!csvtime_digits(&p, end, 2, &oh))
            return "bad time zone offset (expected +hh:mm, +hhmm or +hh)";
         if (p < end && *p == ':')
            p++;
         if (p < end && !csvtime_digits(&p, end, 2, &om))
            return "bad time zone offset (expected +hh:mm, +hhmm or +hh)";
         if (oh > 23 || om > 59)
            return "time zone offset out of range";
         offset_s = (int64_t)(oh * 3600 + om * 60) * (neg ? -1 : 1);
      }
   }
   if (p != end)
      return csvtime_notDateTime;
   int64_t days = CsvTime_daysFromCivil(year, month, day);
   int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_s;
   int64_t ns;
   if (__builtin_mul_overflow(seconds, INT64_C(1000000000), &ns) || __builtin_add_overflow(ns, frac_ns, &ns))
      return "date out of range (1678 to 2262)";
   *out = ns;
   return NULL;
}

/* The common case without the general decimal: [+-]digits[.digits], at most
 * 17 digits before the point; false leaves the text to the general path. */
/* 10^0 .. 10^9: a unit's scale in ns, and the zeros a short fraction lacks */
static const uint64_t csvtime_pow10[10] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

static bool csvtime_plain(const char* p, const char* end, int unit_digits, int64_t* out) {
   bool neg = false;
   if (p < end && (*p == '+' || *p == '-'))
      neg = *p++ == '-';
   const char* start = p;
   uint64_t whole = 0;
   for (; p < end && csvtime_isDigit(*p); p++) {
      if (p - start == 17)
         return false;
      whole = whole * 10 + (uint64_t)(*p - '0');
   }
   bool any = p > start;
   uint64_t frac = 0;
   int kept = 0;
   bool up = false;
   if (p < end && *p == '.') {
      const char* digits = ++p;
      for (; p < end && csvtime_isDigit(*p); p++) {
         if (kept < unit_digits) {
            frac = frac * 10 + (uint64_t)(*p - '0');
            kept++;
         } else if (p - digits == unit_digits) {
            up = *p >= '5';
         }
      }
      any = any || p > digits;
   }
   if (!any || p != end)
      return false;
   uint64_t scale = csvtime_pow10[unit_digits];
   frac *= csvtime_pow10[unit_digits - kept];
   if (whole > (uint64_t)INT64_MAX / scale - 1)
      return false;
   uint64_t v = whole * scale + frac + up;
   *out = neg ? -(int64_t)v : (int64_t)v;
   return true;
}

static void csvtime_trim(const char** s, const char** end) {
   while (*s < *end && csvtime_isBlank(**s))
      (*s)++;
   while (*end > *s && csvtime_isBlank((*end)[-1]))
      (*end)--;
}

static bool csvtime_looksLikeDate(const char* p, const char* end) {
   return end - p >= 6 && csvtime_isDigit(p[0]) && csvtime_isDigit(p[1]) && csvtime_isDigit(p[2]) &&
          csvtime_isDigit(p[3]) && p[4] == '-' && csvtime_isDigit(p[5]);
}

const char* CsvTime_parse(const char* s, size_t len, CsvTimeUnit unit, int64_t* out_ns) {
   return CsvTime_parseZoned(s, len, unit, 0, out_ns);
}

const char* CsvTime_parseZoned(const char* s, size_t len, CsvTimeUnit unit, int32_t tz_s, int64_t* out_ns) {
   const char* end = s + len;
   csvtime_trim(&s, &end);
   if (s == end)
      return "empty";
   if (unit == CSVTIME_DATETIME)
      return csvtime_dateTime(s, end, tz_s, out_ns);
   if (unit == CSVTIME_AUTO) {
      unit = CsvTime_detect(s, (size_t)(end - s));
      if (unit == CSVTIME_AUTO)
         return "neither a number nor a date-time";
      return CsvTime_parseZoned(s, (size_t)(end - s), unit, tz_s, out_ns);
   }
   if (csvtime_plain(s, end, csvtime_unitDigits[unit], out_ns))
      return NULL;
   CsvTimeDecimal d;
   if (!csvtime_decimal(s, end, &d))
      return csvtime_looksLikeDate(s, end) ? "a date-time where a number was expected (try --time-unit auto)"
                                           : "not a number";
   return csvtime_scaled(&d, csvtime_unitDigits[unit], out_ns);
}

CsvTimeUnit CsvTime_detect(const char* s, size_t len) {
   const char* end = s + len;
   csvtime_trim(&s, &end);
   if (csvtime_looksLikeDate(s, end))
      return CSVTIME_DATETIME;
   CsvTimeDecimal d;
   if (!csvtime_decimal(s, end, &d))
      return CSVTIME_AUTO;
   /* d.point is the count of digits before the point: 1e11 has 12 */
   if (d.n == 0 || d.point <= 11)
      return CSVTIME_S;
   if (d.point <= 14)
      return CSVTIME_MS;
   if (d.point <= 17)
      return CSVTIME_US;
   return CSVTIME_NS;
}

/* Write ".ddd" with the trailing zeros of a fraction of `digits` digits removed (nothing when 0). */
static void csvtime_fraction(char* buf, size_t len, uint64_t frac, int digits) {
   if (frac == 0 || digits == 0) {
      if (len)
         buf[0] = '\0';
      return;
   }
   while (frac % 10 == 0) {
      frac /= 10;
      digits--;
   }
   snprintf(buf, len, ".%0*llu", digits, (unsigned long long)frac);
}

void CsvTime_format(char* buf, size_t len, int64_t t, CsvTimeUnit unit) {
   char frac[16];
   if (unit == CSVTIME_DATETIME) {
      int64_t days = t / (86400 * INT64_C(1000000000));
      int64_t rest = t % (86400 * INT64_C(1000000000));
      if (rest < 0) {
         rest += 86400 * INT64_C(1000000000);
         days--;
      }
      int64_t year;
      unsigned month, day;
      csvtime_civil(days, &year, &month, &day);
      int64_t sec = rest / INT64_C(1000000000);
      csvtime_fraction(frac, sizeof frac, (uint64_t)(rest % INT64_C(1000000000)), 9);
      snprintf(buf, len, "%04lld-%02u-%02u %02lld:%02lld:%02lld%s", (long long)year, month, day,
               (long long)(sec / 3600), (long long)(sec / 60 % 60), (long long)(sec % 60), frac);
      return;
   }
   int digits = csvtime_unitDigits[unit];
   uint64_t scale = 1;
   for (int i = 0; i < digits; i++)
      scale *= 10;
   uint64_t mag = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
   csvtime_fraction(frac, sizeof frac, mag % scale, digits);
   snprintf(buf, len, "%s%llu%s", t < 0 ? "-" : "", (unsigned long long)(mag / scale), frac);
}

bool CsvTime_parseOffset(const char* text, int32_t* tz_s) {
   if (strcmp(text, "Z") == 0 || strcmp(text, "UTC") == 0 || strcmp(text, "utc") == 0) {
      *tz_s = 0;
      return true;
   }
   const char* p = text;
   const char* end = text + strlen(text);
   if (p == end || (*p != '+' && *p != '-'))
      return false;
   bool neg = *p++ == '-';
   unsigned h, m = 0;
   if (!csvtime_digits(&p, end, 2, &h))
      return false;
   if (p < end && *p == ':')
      p++;
   if (p < end && !csvtime_digits(&p, end, 2, &m))
      return false;
   if (p != end || h > 18 || m > 59)
      return false;
   *tz_s = (int32_t)(h * 3600 + m * 60) * (neg ? -1 : 1);
   return true;
}

/* Whether name ends with suffix, case aside, after '_' or '-' or as the whole name. */
static bool csvtime_endsWith(const char* name, const char* suffix) {
   size_t n = strlen(name), k = strlen(suffix);
   if (n < k || strcasecmp(name + n - k, suffix) != 0)
      return false;
   return n == k || name[n - k - 1] == '_' || name[n - k - 1] == '-' || name[n - k - 1] == ' ';
}

CsvTimeUnit CsvTime_unitOfName(const char* name) {
   static const struct {
      const char* suffix;
      CsvTimeUnit unit;
   } units[] = {
       {"ms", CSVTIME_MS},     {"msec", CSVTIME_MS},   {"millis", CSVTIME_MS}, {"milliseconds", CSVTIME_MS},
       {"us", CSVTIME_US},     {"usec", CSVTIME_US},   {"micros", CSVTIME_US}, {"microseconds", CSVTIME_US},
       {"ns", CSVTIME_NS},     {"nsec", CSVTIME_NS},   {"nanos", CSVTIME_NS},  {"nanoseconds", CSVTIME_NS},
       {"s", CSVTIME_S},       {"sec", CSVTIME_S},     {"secs", CSVTIME_S},    {"seconds", CSVTIME_S},
   };
   if (!name)
      return CSVTIME_AUTO;
   for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
      if (csvtime_endsWith(name, units[i].suffix) && strlen(name) > strlen(units[i].suffix))
         return units[i].unit;
   return CSVTIME_AUTO;
}
