/*
 * numfmt.c: hand-written number formatting for the --output CSV.
 *
 * A double v becomes the 15-digit integer D = round(|v| * 10^p) and a decimal
 * exponent k, and D's digits are then laid out the way "%.15g" lays them out.
 *
 * Fast path (1.5e-8 <= |v| < 5.6e14, nearly every value a pipeline prints):
 * 10^p is an exact double there, so one multiplication gives the product
 * rounded once, and the rounding to an integer is decided from it exactly
 * (see numfmt_fast). General path (zero, subnormals, the far ends, NaN,
 * infinities): the scaling is done in double-double arithmetic (hi + lo,
 * about 106 bits), in steps of 1e22 each off by about 2^-105, far below the
 * half-unit of the 15th digit.
 *
 * The digits are made eight at a time inside one 64-bit word and written
 * with whole-word stores: a few tens of ns a number where printf takes a few
 * hundred, which is what lets the format stage keep up.
 */
#include "config.h"

#include "base/numfmt.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* x86-64 always has SSE2; elsewhere (or with -DNUMFMT_SSE2=0) the portable
 * word arithmetic is used. */
#ifndef NUMFMT_SSE2
#if defined(__SSE2__) && defined(__x86_64__)
#define NUMFMT_SSE2 1
#else
#define NUMFMT_SSE2 0
#endif
#endif
#if NUMFMT_SSE2
#include <emmintrin.h>
#endif

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
 * a value with one comparison; where an entry is inexact and the pick is
 * off, D falls out of range and the general path takes over. */
#define NUMFMT_NEAR_MIN (-22)
#define NUMFMT_NEAR_MAX 22
static const double numfmt_near[NUMFMT_NEAR_MAX - NUMFMT_NEAR_MIN + 1] = {
   1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11,
   1e-10, 1e-9,  1e-8,  1e-7,  1e-6,  1e-5,  1e-4,  1e-3,  1e-2,  1e-1,  1e0,   1e1,
   1e2,   1e3,   1e4,   1e5,   1e6,   1e7,   1e8,   1e9,   1e10,  1e11,  1e12,  1e13,
   1e14,  1e15,  1e16,  1e17,  1e18,  1e19,  1e20,  1e21,  1e22,
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

/* floor(log10(2^e)) for |e| <= 1100, without a branch: 78913 / 2^18 is
 * log10(2) closely enough over that range, and adding 400 * 2^18 before the
 * shift (and 400 after) keeps the shifted number positive. */
static int numfmt_floorLog10Pow2(int e) {
   return (int)((uint32_t)(e * 78913 + 400 * 262144) >> 18) - 400;
}

/* The 8 decimal digits of v < 10^8 as byte values 0..9, the first digit in
 * the lowest byte: splits into 4-digit, 2-digit, then 1-digit lanes that are
 * all divided at once inside one 64-bit word (multiply-and-shift division). */
static inline __attribute__((always_inline)) uint64_t numfmt_lanes8(uint32_t v) {
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

/* The 15 digits of 10^14 <= d < 10^15, as characters, and the index of the
 * last one that is not a trailing zero. */
typedef struct Numfmt_Digits {
   Numfmt_Chars c;
   int last;
} Numfmt_Digits;

#if NUMFMT_SSE2
/* The same with SSE2: the four 4-digit groups of D side by side in one
 * register, each step dividing all lanes at once (about 25 instructions
 * against about 50), and the trailing zeros found with one comparison. */
static inline __attribute__((always_inline)) Numfmt_Digits numfmt_digits(uint64_t d) {
   uint64_t h = d / 100000000u, l = d - h * 100000000u;
   __m128i v = _mm_set_epi64x((long long)l, (long long)h);
   /* /10000 (multiply by 2^45 / 10^4, rounded up, and shift), and the rest */
   __m128i q = _mm_srli_epi64(_mm_mul_epu32(v, _mm_set1_epi32((int)0xD1B71759)), 45);
   __m128i r = _mm_sub_epi32(v, _mm_mul_epu32(q, _mm_set1_epi32(10000)));
   __m128i g = _mm_or_si128(q, _mm_slli_epi64(r, 32)); /* 4-digit groups, 32-bit lanes */
   __m128i q2 = _mm_srli_epi16(_mm_mulhi_epu16(g, _mm_set1_epi16(5243)), 3); /* /100 */
   __m128i r2 = _mm_sub_epi16(g, _mm_mullo_epi16(q2, _mm_set1_epi16(100)));
   __m128i y = _mm_or_si128(q2, _mm_slli_epi32(r2, 16)); /* 2-digit groups, 16-bit lanes */
   __m128i t = _mm_mulhi_epu16(y, _mm_set1_epi16(6554)); /* /10 for y < 100 */
   __m128i u = _mm_sub_epi16(y, _mm_mullo_epi16(t, _mm_set1_epi16(10)));
   /* 16 digits, the first a 0 (h has 7): drop it, and a 0 byte enters at the end */
   __m128i dig = _mm_srli_si128(_mm_or_si128(t, _mm_slli_epi16(u, 8)), 1);
   unsigned zero = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(dig, _mm_setzero_si128()));
   Numfmt_Digits res;
   res.last = 31 - __builtin_clz(~zero & 0x7fffu); /* the first digit is not 0 */
   dig = _mm_add_epi8(dig, _mm_set_epi8(0, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48));
   res.c.lo = (uint64_t)_mm_cvtsi128_si64(dig);
   res.c.hi = (uint64_t)_mm_cvtsi128_si64(_mm_srli_si128(dig, 8));
   return res;
}
#else
static inline __attribute__((always_inline)) Numfmt_Digits numfmt_digits(uint64_t d) {
   /* 7 digits from the high half (whose first lane is a 0), then 8 from the
    * low half; the 16th byte stays 0, which ends the text. */
   uint64_t wh = numfmt_lanes8((uint32_t)(d / 100000000u));
   uint64_t wl = numfmt_lanes8((uint32_t)(d % 100000000u));
   Numfmt_Digits r;
   r.c.lo = (wh >> 8) | (wl << 56);
   r.c.hi = wl >> 8;
   /* trailing zero digits are the zero bytes at the top (the 16th byte is one of them) */
   if (r.c.hi)
      r.last = 15 - (int)((unsigned)__builtin_clzll(r.c.hi) >> 3);
   else
      r.last = 7 - (int)((unsigned)__builtin_clzll(r.c.lo) >> 3);
   r.c.lo += NUMFMT_ASCII;
   r.c.hi += NUMFMT_ASCII >> 8;
   return r;
}
#endif

/* Lays the digits out as "%.15g" does for decimal exponent k; returns the end
 * (a NUL is written there). Whole-word stores: bytes past the end are scratch. */
static inline __attribute__((always_inline)) char* numfmt_place(char* o, Numfmt_Digits g, int k) {
   Numfmt_Chars dig = g.c;
   int last = g.last;
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
   return o;
}

/* Every value: zeros, subnormals, the far ends of the range, NaN and infinities. */
static size_t numfmt_general(char* out, double v) {
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

   uint64_t d;
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
   return (size_t)(numfmt_place(o, numfmt_digits(d), k) - out);
}

/* The fast path's binary exponents (biased): 2^-26 <= |v| < 2^49, so that
 * the decimal exponent k lies in -8..14 and p = 14 - k in 0..22. */
#define NUMFMT_FAST_EMIN (1023 - 26)
#define NUMFMT_FAST_EMAX (1023 + 48)

/* D and k for most values; false sends v to the general path.
 *
 * In this range 10^p is an exact double, so prod = |v| * 10^p is the exact
 * product rounded once, off by at most half its ulp; prod >= 10^14 > 2^46
 * makes that ulp 2^-6 or more and prod's fraction a multiple of it. prod thus
 * rounds to the same integer as the exact product, unless it is exactly on a
 * half, where the exact product may lie on either side: that case, and a k
 * that was off, are left to the general path. */
static inline __attribute__((always_inline)) bool numfmt_fast(double v, uint64_t* out, int* kout) {
   uint64_t bits;
   memcpy(&bits, &v, sizeof bits);
   uint32_t e = (uint32_t)(bits >> 52) & 0x7ff;
   if (e - NUMFMT_FAST_EMIN > NUMFMT_FAST_EMAX - NUMFMT_FAST_EMIN)
      return false;
   double a = fabs(v);
   int k = numfmt_floorLog10Pow2((int)e - 1023);
   k += a >= numfmt_near[k + 1 - NUMFMT_NEAR_MIN];
   double scale = numfmt_pow10[NUMFMT_DIGITS - 1 - k];
   double prod = a * scale;
   /* Adding 1.5 * 2^52 leaves no bits below the unit: the sum is prod rounded
    * to an integer (ties to even), which its low mantissa bits then hold. */
   const double magic = 0x1.8p52;
   double t = prod + magic;
   uint64_t tb;
   memcpy(&tb, &t, sizeof tb);
   uint64_t d = tb - UINT64_C(0x4338000000000000); /* the bits of magic */
   double rest = prod - (t - magic);
   if (fabs(rest) == 0.5) {
      /* prod is on a half: the product's rounding error (exact) tells which
       * side the exact product is on; none at all is a true tie, to even */
      double err = numfmt_twoProd(a, scale).lo;
      d += (rest > 0 && err > 0) - (rest < 0 && err < 0);
   }
   if (d - NUMFMT_D_MIN >= NUMFMT_D_END - NUMFMT_D_MIN)
      return false;
   *out = d;
   *kout = k;
   return true;
}

size_t Numfmt_double(char* out, double v) {
   uint64_t d;
   int k;
   if (!numfmt_fast(v, &d, &k))
      return numfmt_general(out, v);
   char* o = out;
   *o = '-';
   o += signbit(v) != 0;
   return (size_t)(numfmt_place(o, numfmt_digits(d), k) - out);
}

size_t Numfmt_doubles(char* out, const double* v, size_t n, char sep) {
   /* In groups, each step for the whole group before the next: the values'
    * dependency chains are independent, and this lets them overlap. */
   enum { GROUP = 8 };
   char* o = out;
   *o = '\0';
   for (size_t at = 0; at < n; at += GROUP) {
      size_t m = n - at < GROUP ? n - at : GROUP;
      uint64_t d[GROUP];
      int k[GROUP];
      bool fast[GROUP];
      Numfmt_Digits g[GROUP];
      for (size_t i = 0; i < m; i++)
         fast[i] = numfmt_fast(v[at + i], &d[i], &k[i]);
      for (size_t i = 0; i < m; i++)
         if (fast[i])
            g[i] = numfmt_digits(d[i]);
      for (size_t i = 0; i < m; i++) {
         if (at + i > 0)
            *o++ = sep;
         if (fast[i]) {
            *o = '-';
            o += signbit(v[at + i]) != 0;
            o = numfmt_place(o, g[i], k[i]);
         } else {
            o += numfmt_general(o, v[at + i]);
         }
      }
   }
   return (size_t)(o - out);
}

/* Digits of v < 10^8 without leading zeros (v > 0), returned with their count. */
static Numfmt_Chars numfmt_trimmed8(uint32_t v, int* n) {
   uint64_t w = numfmt_lanes8(v);
   int lead = (int)((unsigned)__builtin_ctzll(w) >> 3); /* leading zero digits are the low zero bytes */
   *n = 8 - lead;
   Numfmt_Chars c = {(w + NUMFMT_ASCII) >> (8 * lead), 0};
   return c;
}

size_t Numfmt_u64(char* out, uint64_t v) {
   if (v < 100) { /* sensor ids and whole seconds are often this small */
      out[0] = (char)('0' + v / 10);
      out[1] = (char)('0' + v % 10);
      size_t n = 1 + (v >= 10);
      if (n == 1)
         out[0] = out[1];
      out[n] = '\0';
      return n;
   }
   if (v < 100000000u) {
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
      int last = frac % 10 ? 8 : 7 - (int)((unsigned)__builtin_clzll(w) >> 3); /* w > 0 then */
      *o++ = '.';
      numfmt_store8(o, w + NUMFMT_ASCII);
      o[8] = (char)('0' + frac % 10);
      o += last + 1;
   }
   *o = '\0';
   return (size_t)(o - out);
}
