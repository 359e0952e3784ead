/*
 * csvtimefmt.c: date-times by a strptime-style format (--time-format), and
 * the format a message suggests for a date-time keepup cannot read alone.
 * Pure: no locale (month names are English, as in the data files), no
 * time zone database (a fixed offset: %z in the text, or --tz).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "csv/csvtime.h"

typedef struct CsvTimeParts {
   int64_t year;
   unsigned month, day, hour, minute, second;
   int64_t frac_ns;
   int32_t offset_s;
   bool have_date, have_year, have_zone;
} CsvTimeParts;

static const char* const csvtimefmt_months[12] = {"january", "february", "march",     "april",   "may",      "june",
                                                  "july",    "august",   "september", "october", "november", "december"};

static bool csvtimefmt_digit(char c) {
   return c >= '0' && c <= '9';
}

/* 1 to max digits as a number. */
static bool csvtimefmt_number(const char** p, const char* end, int max, unsigned* out) {
   unsigned v = 0;
   int n = 0;
   while (*p < end && n < max && csvtimefmt_digit(**p)) {
      v = v * 10 + (unsigned)(**p - '0');
      (*p)++;
      n++;
   }
   *out = v;
   return n > 0;
}

/* A month's name, in full or its first three letters. */
static bool csvtimefmt_month(const char** p, const char* end, unsigned* month) {
   for (unsigned m = 0; m < 12; m++) {
      size_t full = strlen(csvtimefmt_months[m]);
      if ((size_t)(end - *p) >= full && strncasecmp(*p, csvtimefmt_months[m], full) == 0) {
         *p += full;
         *month = m + 1;
         return true;
      }
      if (end - *p >= 3 && strncasecmp(*p, csvtimefmt_months[m], 3) == 0) {
         *p += 3;
         *month = m + 1;
         return true;
      }
   }
   return false;
}

static bool csvtimefmt_zone(const char** p, const char* end, int32_t* offset_s) {
   if (*p < end && (**p == 'Z' || **p == 'z')) {
      (*p)++;
      *offset_s = 0;
      return true;
   }
   if (*p == end || (**p != '+' && **p != '-'))
      return false;
   bool neg = **p == '-';
   (*p)++;
   unsigned h = 0, m = 0;
   const char* start = *p;
   if (!csvtimefmt_number(p, end, 2, &h) || *p - start != 2)
      return false;
   if (*p < end && **p == ':')
      (*p)++;
   start = *p;
   if (*p < end && csvtimefmt_digit(**p) && (!csvtimefmt_number(p, end, 2, &m) || *p - start != 2))
      return false;
   if (h > 23 || m > 59)
      return false;
   *offset_s = (int32_t)(h * 3600 + m * 60) * (neg ? -1 : 1);
   return true;
}

/* One directive (the letter after '%') read from the text into parts; false when the text does not fit. */
static bool csvtimefmt_directive(char d, const char** p, const char* end, CsvTimeParts* t) {
   unsigned v = 0;
   switch (d) {
   case 'Y':
      if (!csvtimefmt_number(p, end, 4, &v))
         return false;
      t->year = v;
      t->have_year = true;
      return true;
   case 'y':
      if (!csvtimefmt_number(p, end, 2, &v))
         return false;
      t->year = v < 69 ? 2000 + v : 1900 + v; /* POSIX: 69-99 are the 1900s */
      t->have_year = true;
      return true;
   case 'm':
      t->have_date = true;
      return csvtimefmt_number(p, end, 2, &t->month);
   case 'e':
      while (*p < end && **p == ' ')
         (*p)++;
      /* fall through */
   case 'd':
      t->have_date = true;
      return csvtimefmt_number(p, end, 2, &t->day);
   case 'b':
   case 'B':
   case 'h':
      t->have_date = true;
      return csvtimefmt_month(p, end, &t->month);
   case 'H':
      return csvtimefmt_number(p, end, 2, &t->hour);
   case 'M':
      return csvtimefmt_number(p, end, 2, &t->minute);
   case 'S':
      return csvtimefmt_number(p, end, 2, &t->second);
   case 'f': {
      int kept = 0;
      const char* start = *p;
      for (; *p < end && csvtimefmt_digit(**p); (*p)++) {
         if (kept < 9) {
            t->frac_ns = t->frac_ns * 10 + (**p - '0');
            kept++;
         }
      }
      for (; kept < 9; kept++)
         t->frac_ns *= 10;
      return *p > start;
   }
   case 'z':
      t->have_zone = true;
      return csvtimefmt_zone(p, end, &t->offset_s);
   case '%':
      return *p < end && *(*p)++ == '%';
   default:
      return false;
   }
}

static unsigned csvtimefmt_daysIn(int64_t year, unsigned month) {
   static const unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
   bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
   return month == 2 && leap ? 29 : days[month - 1];
}

/* The format with %T and %F spelled out, into out; false when it does not fit. */
static bool csvtimefmt_expand(const char* fmt, char* out, size_t len) {
   size_t o = 0;
   for (const char* f = fmt; *f; f++) {
      const char* piece = NULL;
      char two[3] = {f[0], f[1], '\0'};
      if (f[0] == '%' && f[1] == 'T')
         piece = "%H:%M:%S";
      else if (f[0] == '%' && f[1] == 'F')
         piece = "%Y-%m-%d";
      else if (f[0] == '%' && f[1])
         piece = two;
      else {
         two[1] = '\0';
         piece = two;
      }
      size_t n = strlen(piece);
      if (o + n + 1 > len)
         return false;
      memcpy(out + o, piece, n);
      o += n;
      if (f[0] == '%' && f[1])
         f++;
   }
   out[o] = '\0';
   return true;
}

const char* CsvTime_parseFormat(const char* fmt, const char* s, size_t len, int32_t tz_s, int64_t* out_ns) {
   char expanded[256];
   if (!csvtimefmt_expand(fmt, expanded, sizeof expanded))
      return "the time format is too long";
   const char* p = s;
   const char* end = s + len;
   while (p < end && (*p == ' ' || *p == '\t'))
      p++;
   while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
      end--;
   if (p == end)
      return "empty";
   CsvTimeParts t = {.year = 1970, .month = 1, .day = 1, .offset_s = tz_s};
   for (const char* f = expanded; *f; f++) {
      if (*f == '%' && f[1]) {
         if (!csvtimefmt_directive(*++f, &p, end, &t))
            return "does not fit the --time-format";
      } else if (*f == ' ') {
         if (p == end || (*p != ' ' && *p != '\t'))
            return "does not fit the --time-format";
         while (p < end && (*p == ' ' || *p == '\t'))
            p++;
      } else if (p == end || *p++ != *f) {
         return "does not fit the --time-format";
      }
   }
   if (p != end)
      return "has text after what the --time-format reads";
   if (t.month < 1 || t.month > 12)
      return "month out of range (01 to 12)";
   if (t.day < 1 || t.day > csvtimefmt_daysIn(t.year, t.month))
      return "day out of range for the month";
   if (t.hour > 23 || t.minute > 59 || t.second > 60)
      return "time of day out of range";
   int64_t days = CsvTime_daysFromCivil(t.year, t.month, t.day);
   int64_t seconds = days * 86400 + t.hour * 3600 + t.minute * 60 + t.second - t.offset_s;
   int64_t ns;
   if (__builtin_mul_overflow(seconds, INT64_C(1000000000), &ns) || __builtin_add_overflow(ns, t.frac_ns, &ns))
      return "date out of range (1678 to 2262)";
   *out_ns = ns;
   return NULL;
}

bool CsvTime_checkFormat(const char* fmt, char* err, size_t errlen) {
   char expanded[256];
   if (!*fmt || !csvtimefmt_expand(fmt, expanded, sizeof expanded)) {
      snprintf(err, errlen, "the format is empty or too long");
      return false;
   }
   bool year = false, date = false;
   for (const char* f = expanded; *f; f++) {
      if (*f != '%')
         continue;
      char d = *++f;
      if (!d || !strchr("YymdebBhHMSfz%", d)) {
         snprintf(err, errlen, "%%%c is not a directive it knows (%%Y %%y %%m %%d %%e %%b %%B %%H %%M %%S %%f %%z %%T "
                               "%%F %%%%)", d ? d : ' ');
         return false;
      }
      year |= d == 'Y' || d == 'y';
      date |= strchr("mdebBh", d) != NULL;
      if (!d)
         break;
   }
   if (!year || !date) {
      snprintf(err, errlen, "the format needs a date: a year (%%Y or %%y), and a month or a day");
      return false;
   }
   return true;
}

/* Up to three numbers split by one separator ("10/03/2004", "18.00.00"): their digit counts and values. */
typedef struct CsvTimeTriple {
   unsigned v[3];
   int digits[3];
   int n;
   char sep;
} CsvTimeTriple;

static const char* csvtimefmt_triple(const char* p, const char* end, CsvTimeTriple* t) {
   memset(t, 0, sizeof *t);
   while (t->n < 3 && p < end && csvtimefmt_digit(*p)) {
      const char* start = p;
      csvtimefmt_number(&p, end, 4, &t->v[t->n]);
      t->digits[t->n++] = (int)(p - start);
      if (p < end && t->n < 3 && strchr("/.-:", *p) && (t->sep == 0 || *p == t->sep)) {
         t->sep = *p;
         p++;
      } else {
         break;
      }
   }
   return p;
}

bool CsvTime_suggestFormat(const char* s, size_t len, char* fmt, size_t fmtlen, bool* ambiguous) {
   const char* end = s + len;
   while (s < end && (*s == ' ' || *s == '\t'))
      s++;
   while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
      end--;
   CsvTimeTriple d, t = {0};
   const char* p = csvtimefmt_triple(s, end, &d);
   if (d.n != 3 || d.sep == ':')
      return false;
   char date[16];
   *ambiguous = false;
   if (d.digits[0] == 4) {
      snprintf(date, sizeof date, "%%Y%c%%m%c%%d", d.sep, d.sep);
   } else if (d.digits[2] == 4 || d.digits[2] == 2) {
      const char* year = d.digits[2] == 4 ? "%Y" : "%y";
      bool month_first = d.v[1] > 12 && d.v[0] <= 12;
      *ambiguous = d.v[0] <= 12 && d.v[1] <= 12;
      snprintf(date, sizeof date, month_first ? "%%m%c%%d%c%s" : "%%d%c%%m%c%s", d.sep, d.sep, year);
   } else {
      return false;
   }
   char time[16] = "";
   if (p < end && (*p == ' ' || *p == 'T')) {
      char between = *p == 'T' ? 'T' : ' ';
      while (p < end && (*p == ' ' || *p == 'T'))
         p++;
      p = csvtimefmt_triple(p, end, &t);
      if (t.n < 2 || (t.sep != ':' && t.sep != '.'))
         return false;
      snprintf(time, sizeof time, t.n == 3 ? "%c%%H%c%%M%c%%S" : "%c%%H%c%%M", between, t.sep, t.sep);
   }
   if (p != end)
      return false;
   snprintf(fmt, fmtlen, "%s%s", date, time);
   return true;
}
