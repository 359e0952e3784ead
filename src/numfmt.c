/*
 * numfmt.c: hand-written number formatting for the --output CSV.
 *
 * A double v is turned into the integer D = round(|v| * 10^p) with 15 digits,
 * then D's digits are laid out the way "%.15g" lays them out. The scaling is
 * done in double-double arithmetic (a value is hi + lo, about 106 bits): for
 * the values a pipeline usually sees (1e-8 <= |v| < 1e37) 10^|p| is an exact
 * double, so the product or quotient is exact and the rounding is correct,
 * ties included. Further out, 10^|p| is applied in steps of 1e22, each off by
 * about 2^-105, far below the half-unit of the 15th digit.
 */
#include "config.h"

#include "numfmt.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

typedef struct Numfmt_DD {
   double hi;
   double lo;
} Numfmt_DD;

/* Every power of ten a double holds exactly. */
static const double numfmt_pow10[23] = {
   1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* 10^-22 .. 10^22 as the nearest doubles, to pick the decimal exponent of
 * most values at once; an inexact entry only costs a second try. */
#define NUMFMT_NEAR_MIN (-22)
#define NUMFMT_NEAR_MAX 22
static const double numfmt_near[NUMFMT_NEAR_MAX - NUMFMT_NEAR_MIN + 1] = {
   1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11,
   1e-10, 1e-9,  1e-8,  1e-7,  1e-6,  1e-5,  1e-4,  1e-3,  1e-2,  1e-1,  1e0,   1e1,
   1e2,   1e3,   1e4,   1e5,   1e6,   1e7,   1e8,   1e9,   1e10,  1e11,  1e12,  1e13,
   1e14,  1e15,  1e16,  1e17,  1e18,  1e19,  1e20,  1e21,  1e22,
};

static const uint64_t numfmt_pow10u[20] = {
   UINT64_C(1),
   UINT64_C(10),
   UINT64_C(100),
   UINT64_C(1000),
   UINT64_C(10000),
   UINT64_C(100000),
   UINT64_C(1000000),
   UINT64_C(10000000),
   UINT64_C(100000000),
   UINT64_C(1000000000),
   UINT64_C(10000000000),
   UINT64_C(100000000000),
   UINT64_C(1000000000000),
   UINT64_C(10000000000000),
   UINT64_C(100000000000000),
   UINT64_C(1000000000000000),
   UINT64_C(10000000000000000),
   UINT64_C(100000000000000000),
   UINT64_C(1000000000000000000),
   UINT64_C(10000000000000000000),
};

#define NUMFMT_D_MIN UINT64_C(100000000000000)  /* 10^14: the smallest 15-digit D */
#define NUMFMT_D_END UINT64_C(1000000000000000) /* 10^15 */

/* s + e exactly, given |s| >= |e|. */
static Numfmt_DD numfmt_quickSum(double s, double e) {
   Numfmt_DD r;
   r.hi = s + e;
   r.lo = e - (r.hi - s);
   return r;
}

/* a * b exactly, as hi + lo. */
static Numfmt_DD numfmt_twoProd(double a, double b) {
   Numfmt_DD r;
   r.hi = a * b;
#ifdef FP_FAST_FMA
   r.lo = fma(a, b, -r.hi);
#else
   /* Dekker: split each factor into 26-bit halves whose products are exact. */
   const double splitter = 134217729.0; /* 2^27 + 1 */
   double ca = splitter * a, cb = splitter * b;
   double ah = ca - (ca - a), bh = cb - (cb - b);
   double al = a - ah, bl = b - bh;
   r.lo = ((ah * bh - r.hi) + ah * bl + al * bh) + al * bl;
#endif
   return r;
}

static Numfmt_DD numfmt_mul(Numfmt_DD x, double b) {
   Numfmt_DD p = numfmt_twoProd(x.hi, b);
   return numfmt_quickSum(p.hi, p.lo + x.lo * b);
}

static Numfmt_DD numfmt_div(Numfmt_DD x, double b) {
   double q = x.hi / b;
   Numfmt_DD p = numfmt_twoProd(q, b);
   /* x.hi - p.hi is exact (they are within a rounding of each other), and so
    * is the remainder: the low part is the exact rest of the division. */
   double rest = ((x.hi - p.hi) - p.lo) + x.lo;
   return numfmt_quickSum(q, rest / b);
}

/* a * 10^p for a > 0, p in about -330..350, in double-double. */
static Numfmt_DD numfmt_scale(double a, int p) {
   Numfmt_DD x = {a, 0.0};
   if (p >= 0) {
      x = numfmt_mul(x, numfmt_pow10[p % 22]);
      for (int i = p / 22; i > 0; i--)
         x = numfmt_mul(x, 1e22);
   } else {
      int q = -p;
      x = numfmt_div(x, numfmt_pow10[q % 22]);
      for (int i = q / 22; i > 0; i--)
         x = numfmt_div(x, 1e22);
   }
   return x;
}

/* x (about 1e14..1e15) rounded to an integer, ties to even. */
static uint64_t numfmt_round(Numfmt_DD x) {
   uint64_t n = (uint64_t)x.hi;
   /* hi - n is exact and a multiple of ulp(hi) >= 2^-7, while |lo| <= ulp(hi) / 2,
    * so lo only decides when hi sits exactly on an integer or a half. */
   double f = x.hi - (double)n;
   if (f > 0.5 || (f == 0.5 && (x.lo > 0 || (x.lo == 0 && (n & 1)))))
      n++;
   /* f == 0 with lo < 0 is just below n, which still rounds to n. */
   return n;
}

/* The usual case, 1e-8 <= a < 1e15, where p = 14 - k lies in 0..22 and
 * 10^p is exact: P = a * 10^p is then the exact product rounded once, off by
 * at most half its ulp (P >= 10^14 > 2^46 makes that ulp 2^-6 or more, and
 * P's fraction a multiple of it). So P rounds to the same integer as the
 * exact product unless P is exactly on a half, where the exact product may
 * lie on either side: that case, and any k that was off, return false for
 * the general path to decide. */
static bool numfmt_fastScale(double a, int k, uint64_t* out) {
   int p = NUMFMT_DIGITS - 1 - k;
   if (p < 0 || p > 22)
      return false;
   double prod = a * numfmt_pow10[p];
   if (!(prod < (double)NUMFMT_D_END))
      return false;
   uint64_t d = (uint64_t)prod;
   double f = prod - (double)d;
   if (f == 0.5)
      return false;
   d += f > 0.5;
   if (d < NUMFMT_D_MIN || d >= NUMFMT_D_END)
      return false;
   *out = d;
   return true;
}

/* floor(log10(2^e)) for |e| <= 1650. */
static int numfmt_floorLog10Pow2(int e) {
   if (e >= 0)
      return (int)(((uint32_t)e * 78913u) >> 18);
   return -(int)((((uint32_t)-e * 78913u) >> 18) + 1);
}

/* The 8 decimal digits of v < 10^8 as byte values 0..9, the first digit in
 * the lowest byte: splits into 4-digit, 2-digit, then 1-digit lanes that are
 * all divided at once inside one 64-bit word (multiply-and-shift division). */
static uint64_t numfmt_lanes8(uint32_t v) {
   uint64_t x = (uint64_t)(v / 10000) | ((uint64_t)(v % 10000) << 32);
   uint64_t q = ((x * 5243) >> 19) & UINT64_C(0x0000007F0000007F); /* /100 in each 32-bit lane */
   uint64_t y = q | ((x - q * 100) << 16);
   uint64_t t = ((y * 103) >> 10) & UINT64_C(0x000F000F000F000F); /* /10 in each 16-bit lane */
   return t | ((y - t * 10) << 8);
}

/* Stores the 8 bytes of w at p, its lowest byte first. */
static void numfmt_store8(char* p, uint64_t w) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
   w = __builtin_bswap64(w);
#endif
   memcpy(p, &w, 8);
}

#define NUMFMT_ASCII UINT64_C(0x3030303030303030)

/* 16 characters held as two words, the first character in the lowest byte of lo. */
typedef struct Numfmt_Chars {
   uint64_t lo;
   uint64_t hi;
} Numfmt_Chars;

/* c without its first n characters (0 < n < 16). */
static Numfmt_Chars numfmt_drop(Numfmt_Chars c, int n) {
   Numfmt_Chars r;
   if (n < 8) {
      int b = 8 * n;
      r.lo = (c.lo >> b) | (c.hi << (64 - b));
      r.hi = c.hi >> b;
   } else {
      r.lo = c.hi >> (8 * (n - 8));
      r.hi = 0;
   }
   return r;
}

static void numfmt_store16(char* p, Numfmt_Chars c) {
   numfmt_store8(p, c.lo);
   numfmt_store8(p + 8, c.hi);
}

size_t Numfmt_double(char* out, double v) {
   char* o = out;
   if (isnan(v)) {
      memcpy(o, "nan", 4);
      return 3;
   }
   if (signbit(v))
      *o++ = '-';
   double a = fabs(v);
   if (isinf(a)) {
      memcpy(o, "inf", 4);
      return (size_t)(o - out) + 3;
   }
   if (a == 0.0) {
      memcpy(o, "0", 2);
      return (size_t)(o - out) + 1;
   }

   /* Values at the ends of the range are moved by 2^+-256 first (exactly), so
    * that no partial product underflows and no splitting overflows. */
   int lift = 0;
   if (a < 0x1p-700) {
      lift = 256;
      a *= 0x1p256;
   } else if (a >= 0x1p900) {
      lift = -256;
      a *= 0x1p-256;
   }
   uint64_t bits;
   memcpy(&bits, &a, sizeof bits);
   int e2 = (int)((bits >> 52) & 0x7ff) - 1023 - lift; /* the original a is in [2^e2, 2^(e2+1)) */
   int k = numfmt_floorLog10Pow2(e2);                  /* k or k + 1 is floor(log10(a)) */
   /* Most values are near 1: decide between k and k + 1 without a failed try. */
   if (!lift && k >= NUMFMT_NEAR_MIN && k < NUMFMT_NEAR_MAX)
      k += a >= numfmt_near[k + 1 - NUMFMT_NEAR_MIN];

   uint64_t d;
   if (lift || !numfmt_fastScale(a, k, &d)) {
      for (;;) {
         Numfmt_DD s = numfmt_scale(a, NUMFMT_DIGITS - 1 - k);
         if (lift) {
            double back = lift > 0 ? 0x1p-256 : 0x1p256;
            s.hi *= back;
            s.lo *= back;
         }
         if (s.hi >= (double)NUMFMT_D_END) {
            k++; /* a >= 10^(k+1) */
            continue;
         }
         d = numfmt_round(s);
         if (d == NUMFMT_D_END) { /* 9.999...95 rounded up to 10.0... */
            d = NUMFMT_D_MIN;
            k++;
         }
         if (d < NUMFMT_D_MIN) { /* cannot happen with an exact k; stay total */
            k--;
            continue;
         }
         break;
      }
   }

   /* The 15 digits of d in two words: 7 from the high half (its first lane
    * is a 0), then 8 from the low half; the 16th byte is 0, the NUL. */
   uint64_t wh = numfmt_lanes8((uint32_t)(d / 100000000u));
   uint64_t wl = numfmt_lanes8((uint32_t)(d % 100000000u));
   Numfmt_Chars dig = {(wh >> 8) | (wl << 56), wl >> 8};
   /* Trailing zero digits are the zero bytes at the top (the 16th byte is one of them). */
   int last = dig.hi ? 14 - (__builtin_clzll(dig.hi) / 8 - 1) : 7 - __builtin_clzll(dig.lo) / 8;
   dig.lo += NUMFMT_ASCII;
   dig.hi += NUMFMT_ASCII >> 8;

   /* Text is written with whole-word stores; bytes past the end are scratch. */
   if (k >= -4 && k < NUMFMT_DIGITS) {
      if (k >= 0) {
         numfmt_store16(o, dig);
         o += k + 1;
         if (last > k) {
            *o++ = '.';
            numfmt_store16(o, numfmt_drop(dig, k + 1));
            o += last - k;
         }
      } else {
         memcpy(o, "0.000000", 8);
         o += 1 - k; /* "0." and -k-1 zeros */
         numfmt_store16(o, dig);
         o += last + 1;
      }
   } else {
      *o++ = (char)(dig.lo & 0xff);
      if (last > 0) {
         *o++ = '.';
         numfmt_store16(o, numfmt_drop(dig, 1));
         o += last;
      }
      *o++ = 'e';
      *o++ = k < 0 ? '-' : '+';
      int x = k < 0 ? -k : k;
      if (x >= 100) {
         *o++ = (char)('0' + x / 100);
         x %= 100;
      }
      *o++ = (char)('0' + x / 10);
      *o++ = (char)('0' + x % 10);
   }
   *o = '\0';
   return (size_t)(o - out);
}

/* Digits of v < 10^8 without leading zeros (v > 0), returned with their count. */
static Numfmt_Chars numfmt_trimmed8(uint32_t v, int* n) {
   uint64_t w = numfmt_lanes8(v);
   int lead = __builtin_ctzll(w) / 8; /* leading zero digits are the low zero bytes */
   *n = 8 - lead;
   Numfmt_Chars c = {(w + NUMFMT_ASCII) >> (8 * lead), 0};
   return c;
}

size_t Numfmt_u64(char* out, uint64_t v) {
   if (v < 100000000u) {
      if (v == 0) {
         memcpy(out, "0", 2);
         return 1;
      }
      int n;
      numfmt_store8(out, numfmt_trimmed8((uint32_t)v, &n).lo);
      out[n] = '\0';
      return (size_t)n;
   }
   /* the lowest 8 digits are written whole, the rest recursively in front */
   size_t n = Numfmt_u64(out, v / 100000000u);
   numfmt_store8(out + n, numfmt_lanes8((uint32_t)(v % 100000000u)) + NUMFMT_ASCII);
   out[n + 8] = '\0';
   return n + 8;
}

size_t Numfmt_seconds(char* out, int64_t ns) {
   char* o = out;
   uint64_t mag = (uint64_t)ns;
   if (ns < 0) {
      *o++ = '-';
      mag = 0 - mag;
   }
   uint32_t frac = (uint32_t)(mag % 1000000000u);
   o += Numfmt_u64(o, mag / 1000000000u);
   if (frac) {
      /* 9 digits: 8 in a word, then the last; trailing zeros dropped */
      uint64_t w = numfmt_lanes8(frac / 10);
      int last = frac % 10 ? 8 : 7 - __builtin_clzll(w) / 8;
      *o++ = '.';
      numfmt_store8(o, w + NUMFMT_ASCII);
      o[8] = (char)('0' + frac % 10);
      o += last + 1;
   }
   *o = '\0';
   return (size_t)(o - out);
}
