/*
 * csvnum.c: decimal text to double, exactly as strtod rounds, faster; and
 * plain unsigned integers.
 *
 * Fast path: the significant digits m (at most 19, so m < 2^64) and the
 * power of ten e are read exactly. If m < 2^53 and |e| <= 22, both m and
 * 10^|e| are exact doubles and one IEEE multiplication or division rounds
 * correctly (Clinger's fast path). Otherwise, where long double has a 64-bit
 * significand (x86), m and 10^|e| (|e| <= 27) are exact long doubles, and
 * one operation gives the exact result rounded to 64 bits: within half a
 * long-double unit. Rounding that to double gives the correctly rounded
 * result unless the 11 bits below the double's last bit sit next to the
 * halfway pattern 0x400; those cases, and everything else, go to strtod_l
 * with the C locale.
 */
#include "config.h"

#include "csv/csvnum.h"

#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"

static locale_t csvnum_locale;
static pthread_once_t csvnum_once = PTHREAD_ONCE_INIT;

static void csvnum_initLocale(void) {
   csvnum_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static const double csvnum_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static bool csvnum_isBlank(char c) {
   return c == ' ' || c == '\t';
}

/* Whether s[0..len) is a number in the documented grammar: an optional sign, then digits with at most
 * one point (a digit on one side of it at least) and an optional exponent, or inf, infinity or nan in
 * any case. strtod takes more (hex, "nan(...)"): those are not numbers here. */
static bool csvnum_grammar(const char* s, size_t len) {
   size_t i = 0;
   if (i < len && (s[i] == '+' || s[i] == '-'))
      i++;
   static const char* const words[] = {"inf", "infinity", "nan"};
   for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
      if (len - i == strlen(words[w]) && strncasecmp(s + i, words[w], len - i) == 0)
         return true;
   size_t digits = 0;
   for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
      digits++;
   if (i < len && s[i] == '.')
      for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
         digits++;
   if (digits == 0)
      return false;
   if (i < len && (s[i] == 'e' || s[i] == 'E')) {
      i++;
      if (i < len && (s[i] == '+' || s[i] == '-'))
         i++;
      size_t exp = 0;
      for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
         exp++;
      if (exp == 0)
         return false;
   }
   return i == len;
}

const char* CsvNum_parseSlow(const char* s, size_t len, double* out) {
   while (len && csvnum_isBlank(*s)) {
      s++;
      len--;
   }
   while (len && csvnum_isBlank(s[len - 1]))
      len--;
   if (len == 0)
      return "empty";
   /* strtod skips any leading white space, stops at a NUL and reads hex: none of them may pass here */
   if (!csvnum_grammar(s, len))
      return "not a number";
   pthread_once(&csvnum_once, csvnum_initLocale);
   char small[128];
   char* buf = len < sizeof small ? small : xmalloc(len + 1);
   memcpy(buf, s, len);
   buf[len] = '\0';
   char* end;
   errno = 0;
   double v = csvnum_locale ? strtod_l(buf, &end, csvnum_locale) : strtod(buf, &end);
   const char* why = NULL;
   if (end != buf + len)
      why = "not a number";
   else if (errno == ERANGE && isinf(v))
      why = "out of range";
   if (buf != small)
      free(buf);
   if (!why)
      *out = v;
   return why;
}

bool CsvNum_parseU32(const char* s, uint32_t max, uint32_t* out) {
   if (!*s)
      return false;
   uint64_t v = 0;
   for (; *s; s++) {
      if (*s < '0' || *s > '9')
         return false;
      v = v * 10 + (uint64_t)(*s - '0');
      if (v > max)
         return false;
   }
   *out = (uint32_t)v;
   return true;
}

#if LDBL_MANT_DIG == 64 && (defined(__x86_64__) || defined(__i386__))
#define CSVNUM_X87 1
static const long double csvnum_pow10l[28] = {
    1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,  1e10L, 1e11L, 1e12L, 1e13L,
    1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L,
};
#endif

/* m x 10^e (m > 0) correctly rounded, when that is cheap to be sure of. */
static bool csvnum_fast(uint64_t m, int e, bool neg, double* out) {
   double r;
   if (m <= (UINT64_C(1) << 53) && e >= -22 && e <= 22) {
      r = (double)m;
      r = e < 0 ? r / csvnum_pow10[-e] : r * csvnum_pow10[e];
      *out = neg ? -r : r;
      return true;
   }
#ifdef CSVNUM_X87
   if (e >= -27 && e <= 27) {
      long double x = (long double)m;
      x = e < 0 ? x / csvnum_pow10l[-e] : x * csvnum_pow10l[e];
      if (x < (long double)DBL_MIN || x > (long double)DBL_MAX)
         return false;
      uint64_t significand;
      memcpy(&significand, &x, sizeof significand); /* the x87 format keeps it in the low 8 bytes */
      unsigned below = (unsigned)(significand & 0x7FF);
      if (below >= 0x3FF && below <= 0x401)
         return false; /* too close to halfway between two doubles */
      r = (double)x;
      *out = neg ? -r : r;
      return true;
   }
#endif
   return false;
}

const char* CsvNum_parse(const char* s, size_t len, double* out) {
   const char* p = s;
   const char* end = s + len;
   while (p < end && csvnum_isBlank(*p))
      p++;
   while (end > p && csvnum_isBlank(end[-1]))
      end--;
   bool neg = false;
   if (p < end && (*p == '+' || *p == '-'))
      neg = *p++ == '-';
   /* leading zeros carry no digit (after the point each lowers the exponent); then the digits before the
    * point and after it in two plain loops: the common "20.1234" costs a few instructions a byte */
   uint64_t m = 0;
   int digits = 0, e = 0;
   const char* first = p;
   while (p < end && *p == '0')
      p++;
   for (; p < end && (unsigned)(*p - '0') < 10; p++) {
      if (digits == 19)
         goto slow;
      m = m * 10 + (uint64_t)(*p - '0');
      digits++;
   }
   bool any = p > first;
   if (p < end && *p == '.') {
      p++;
      const char* frac = p;
      if (m == 0) {
         while (p < end && *p == '0')
            p++;
         e -= (int)(p - frac);
      }
      for (; p < end && (unsigned)(*p - '0') < 10; p++) {
         if (digits == 19)
            goto slow;
         m = m * 10 + (uint64_t)(*p - '0');
         digits++;
         e--;
      }
      any |= p > frac;
   }
   if (!any)
      goto slow;
   if (p < end) {
      if (*p != 'e' && *p != 'E')
         goto slow;
      p++;
      bool eneg = false;
      if (p < end && (*p == '+' || *p == '-'))
         eneg = *p++ == '-';
      if (p == end)
         goto slow;
      int x = 0;
      for (; p < end && *p >= '0' && *p <= '9'; p++)
         if (x < 10000)
            x = x * 10 + (*p - '0');
      if (p != end)
         goto slow;
      e += eneg ? -x : x;
   }
   if (m == 0) {
      *out = neg ? -0.0 : 0.0;
      return NULL;
   }
   if (csvnum_fast(m, e, neg, out))
      return NULL;
slow:
   return CsvNum_parseSlow(s, len, out);
}

const char* CsvNum_parseComma(const char* s, size_t len, double* out) {
   if (memchr(s, '.', len))
      return "not a number";
   char small[64] = "";
   char* buf = len <= sizeof small ? small : xmalloc(len);
   for (size_t i = 0; i < len; i++)
      buf[i] = s[i] == ',' ? '.' : s[i];
   const char* why = CsvNum_parse(buf, len, out);
   if (buf != small)
      free(buf);
   return why;
}
