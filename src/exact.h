/*
 * exact.h: exact integer arithmetic for the feature stage's window
 * statistics, so that its two variants compute the same quantities and
 * round them once, and so agree bit for bit.
 *
 * A window value x (a double) becomes the integer q = x * 2^EXACT_FRAC_BITS
 * on a fixed binary grid: exact for every double of magnitude >= 2^-12 (its
 * last bit is worth at least 2^-64), rounded to the nearest grid point, ties
 * to even, below that. Only |x| < 2^EXACT_VALUE_BITS fits (|q| < 2^110);
 * larger values, infinities and NaN are out of range and the caller must
 * take another path for a window that holds one.
 *
 * With at most EXACT_COUNT_MAX values in a window, the sum of the q's fits
 * an ExactInt (|S1| < 2^127) and the sum of their squares, and n times it,
 * fit an ExactWide (< 2^254): sums can be updated by adding the entering
 * value and subtracting the leaving one with no rounding at all. The mean
 * S1 / n and the variance (n*S2 - S1^2) / n^2 are then rounded once, to the
 * nearest double (ties to even), by Exact_ratio.
 *
 * The small updates are inline: the optimized feature stage does a few per
 * record. Everything works on 64-bit limbs; with EXACT_INT128 (the default
 * where the compiler has unsigned __int128) the 64 x 64 -> 128 products and
 * one division use it, otherwise portable code does the same.
 */
#ifndef KEEPUP_EXACT_H
#define KEEPUP_EXACT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#ifndef EXACT_INT128
#ifdef __SIZEOF_INT128__
#define EXACT_INT128 1
#else
#define EXACT_INT128 0
#endif
#endif

/* F: q = x * 2^F. */
#define EXACT_FRAC_BITS 64
/* A value fits when |x| < 2^EXACT_VALUE_BITS (about 7.04e13). */
#define EXACT_VALUE_BITS 46
/* Values a sum may hold for the bounds above (2^17 = 131,072). */
#define EXACT_COUNT_MAX 131072u

/* A signed 128-bit integer, two's complement: the sign is hi's top bit. */
typedef struct ExactInt {
   uint64_t lo;
   uint64_t hi;
} ExactInt;

/* An unsigned 256-bit integer, w[0] least significant; arithmetic wraps
 * modulo 2^256, which is harmless while the true values fit. */
typedef struct ExactWide {
   uint64_t w[4];
} ExactWide;

/* A divisor D with what division by it needs, computed once: D normalized
 * (shifted left until its top bit is set) and its reciprocal. */
typedef struct ExactDivisor {
   uint64_t D;     /* the divisor, >= 1 */
   uint64_t d;     /* D << shift */
   uint64_t v;     /* floor((2^128 - 1) / d) - 2^64 */
   int shift;      /* leading zero bits of D */
} ExactDivisor;

/* The full product a * b: returns the low word, *hi the high one. */
static inline uint64_t Exact_mul64(uint64_t a, uint64_t b, uint64_t* hi) {
#if EXACT_INT128
   __extension__ unsigned __int128 p = (unsigned __int128)a * b;
   *hi = (uint64_t)(p >> 64);
   return (uint64_t)p;
#else
   uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
   uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
   uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
   *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
   return (mid << 32) | (p00 & 0xffffffffu);
#endif
}

/* q = x * 2^64 on the grid (rounded to nearest, ties to even, below 2^-12);
 * false, with q = 0, when |x| >= 2^46 or x is not finite. */
static inline bool Exact_fromDouble(double x, ExactInt* q) {
   uint64_t bits;
   memcpy(&bits, &x, sizeof bits);
   int e = (int)(bits >> 52 & 0x7ff);
   uint64_t m = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1) << 52);
   /* a normal x is m * 2^(e - 1075), so q = m * 2^(e - 1075 + 64) */
   int sh = e - 1011;
   uint64_t lo, hi;
   if (sh >= 0) {
      if (e >= 1023 + EXACT_VALUE_BITS) { /* also infinities and NaN (e = 2047) */
         *q = (ExactInt){0, 0};
         return false;
      }
      lo = m << sh;
      hi = sh ? m >> (64 - sh) : 0;
   } else if (sh > -54) {
      int k = -sh;
      uint64_t rest = m & ((UINT64_C(1) << k) - 1), half = UINT64_C(1) << (k - 1);
      lo = (m >> k) + (rest > half || (rest == half && (m >> k & 1)));
      hi = 0;
   } else {
      /* |x| < 2^-65 (zero and subnormals too): rounds to 0 */
      lo = hi = 0;
   }
   if (bits >> 63) {
      hi = -hi - (lo != 0);
      lo = -lo;
   }
   *q = (ExactInt){lo, hi};
   return true;
}

static inline ExactInt Exact_add(ExactInt a, ExactInt b) {
   ExactInt s;
   s.lo = a.lo + b.lo;
   s.hi = a.hi + b.hi + (s.lo < a.lo);
   return s;
}

static inline ExactInt Exact_sub(ExactInt a, ExactInt b) {
   ExactInt s;
   s.lo = a.lo - b.lo;
   s.hi = a.hi - b.hi - (a.lo < b.lo);
   return s;
}

static inline bool Exact_isNegative(ExactInt a) {
   return a.hi >> 63;
}

/* |a| (for a = -2^127, 2^127 read as unsigned). */
static inline ExactInt Exact_abs(ExactInt a) {
   if (!Exact_isNegative(a))
      return a;
   return (ExactInt){-a.lo, -a.hi - (a.lo != 0)};
}

/* a^2, exactly. */
static inline ExactWide Exact_square(ExactInt a) {
   ExactInt m = Exact_abs(a);
   uint64_t p1, c1, e1;
   uint64_t p0 = Exact_mul64(m.lo, m.lo, &p1);
   uint64_t c0 = Exact_mul64(m.lo, m.hi, &c1); /* the cross term, doubled below: < 2^128 as m.hi <= 2^63 */
   uint64_t e0 = Exact_mul64(m.hi, m.hi, &e1);
   uint64_t d0 = c0 << 1, d1 = c1 << 1 | c0 >> 63;
   ExactWide r;
   r.w[0] = p0;
   r.w[1] = p1 + d0;
   uint64_t k = r.w[1] < d0;
   uint64_t t = e0 + d1;
   uint64_t k2 = t < d1;
   r.w[2] = t + k;
   k2 += r.w[2] < t;
   r.w[3] = e1 + k2;
   return r;
}

/* *a += *b (mod 2^256). */
static inline void Exact_wideAdd(ExactWide* a, const ExactWide* b) {
   uint64_t carry = 0;
   for (int i = 0; i < 4; i++) {
      uint64_t s = a->w[i] + carry;
      carry = s < carry;
      a->w[i] = s + b->w[i];
      carry += a->w[i] < s;
   }
}

/* *a -= *b (mod 2^256). */
static inline void Exact_wideSub(ExactWide* a, const ExactWide* b) {
   uint64_t borrow = 0;
   for (int i = 0; i < 4; i++) {
      uint64_t s = b->w[i] + borrow;
      borrow = s < borrow;
      borrow += a->w[i] < s;
      a->w[i] -= s;
   }
}

/* *a *= k (mod 2^256). */
static inline void Exact_wideMul(ExactWide* a, uint64_t k) {
   uint64_t carry = 0;
   for (int i = 0; i < 4; i++) {
      uint64_t hi;
      uint64_t lo = Exact_mul64(a->w[i], k, &hi);
      a->w[i] = lo + carry;
      carry = hi + (a->w[i] < lo);
   }
}

/* The ExactDivisor for D >= 1 (a division: compute it once per divisor). */
ExactDivisor Exact_divisor(uint64_t D);

/* num / D * 2^scale, rounded to the nearest double, ties to even, negated
 * when neg (0 is +0.0). Exact as long as the result is a normal double. */
double Exact_ratio(const ExactWide* num, bool neg, const ExactDivisor* div, int scale);

/* The same for a signed 128-bit numerator. */
double Exact_ratioInt(ExactInt num, const ExactDivisor* div, int scale);

/* floor(a / n) for 1 <= n < 2^32; *rem gets a - n * floor(a / n), in [0, n). */
ExactInt Exact_floorDiv(ExactInt a, uint32_t n, uint32_t* rem);

#endif
