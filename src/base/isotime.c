/*
 * isotime.c: ISO 8601 text of event times (see isotime.h). The date comes
 * from the count of days with the proleptic Gregorian calendar's
 * arithmetic (days to civil, in 400-year eras), the seconds and their
 * fraction from Numfmt_seconds, so the digits are those of time_s.
 */
#include "config.h"

#include "base/isotime.h"

#include <stdio.h>

#include "base/numfmt.h"

#define ISOTIME_NS_DAY (INT64_C(86400) * 1000000000)

/* Days since 1970-01-01 as year, month (1..12), day (1..31). */
static void isotime_civil(int64_t days, int64_t* y, unsigned* m, unsigned* d) {
   days += 719468; /* from 0000-03-01 */
   int64_t era = (days >= 0 ? days : days - 146096) / 146097;
   unsigned doe = (unsigned)(days - era * 146097);                        /* [0, 146096] */
   unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* [0, 399] */
   unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                /* [0, 365] */
   unsigned mp = (5 * doy + 2) / 153;                                     /* [0, 11], from March */
   *d = doy - (153 * mp + 2) / 5 + 1;
   *m = mp < 10 ? mp + 3 : mp - 9;
   *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

size_t IsoTime_date(char* out, int64_t ns) {
   int64_t days = ns / ISOTIME_NS_DAY, rem = ns % ISOTIME_NS_DAY;
   if (rem < 0) {
      rem += ISOTIME_NS_DAY;
      days--;
   }
   int64_t y;
   unsigned m, d;
   isotime_civil(days, &y, &m, &d);
   int64_t sec = rem / 1000000000;
   unsigned hh = (unsigned)(sec / 3600), mm = (unsigned)(sec / 60 % 60);
   int n = snprintf(out, ISOTIME_MAX, "%04lld-%02u-%02uT%02u:%02u:%s", (long long)y, m, d, hh, mm,
                    sec % 60 < 10 ? "0" : "");
   n += (int)Numfmt_seconds(out + n, rem - (sec - sec % 60) * 1000000000);
   out[n++] = 'Z';
   out[n] = '\0';
   return (size_t)n;
}

size_t IsoTime_duration(char* out, int64_t ns) {
   size_t n = 0;
   if (ns < 0) {
      out[n++] = '-';
      ns = ns == INT64_MIN ? INT64_MAX : -ns; /* one nanosecond short at the very edge */
   }
   out[n++] = 'P';
   out[n++] = 'T';
   n += Numfmt_seconds(out + n, ns);
   out[n++] = 'S';
   out[n] = '\0';
   return n;
}
