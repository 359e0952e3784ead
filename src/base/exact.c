/*
 * exact.c: rounding an exact quotient of wide integers to a double, once.
 *
 * Exact_ratio takes the numerator's top 126 bits, divides them by the
 * normalized divisor (a 128-by-64-bit division with a precomputed
 * reciprocal: two multiplications instead of a hardware divide, after
 * Moller and Granlund, "Improved division by invariant integers", IEEE
 * Transactions on Computers, 2011), and lets the conversion of the 62 or
 * 63-bit quotient to double do the rounding, its last bit set when anything
 * was dropped below it (the numerator's low bits, the remainder). Beyond
 * the 54th bit only whether any bit is set matters for rounding to nearest,
 * so that is exact. It relies on the default rounding mode, which keepup
 * never changes. Exact_statsExact is the long way of Exact_stats (exact.h),
 * whose quick rounding settles nearly every case without it.
 */
#include "config.h"

#include "base/exact.h"

#include <math.h>

/* The rounding code is shared by several entry points, each one call. */
#if defined(__GNUC__) || defined(__clang__)
#define EXACT_INLINE __attribute__((always_inline)) inline
#else
#define EXACT_INLINE inline
#endif

ExactDivisor Exact_divisor(uint64_t D) {
   ExactDivisor div;
   div.D = D;
   div.shift = Exact_clz(D);
   div.d = D << div.shift;
   /* v = floor((2^128 - 1) / d) - 2^64 = floor((~d * 2^64 + 2^64 - 1) / d),
    * a quotient below 2^64 since ~d < d */
#if EXACT_INT128
   exact_u128 num = ((exact_u128)~div.d << 64) | ~UINT64_C(0);
   div.v = (uint64_t)(num / div.d);
#else
   uint64_t r = ~div.d, q = 0;
   for (int i = 63; i >= 0; i--) {
      uint64_t top = r >> 63;
      r = r << 1 | 1; /* the low word is all ones */
      if (top || r >= div.d) {
         r -= div.d;
         q |= UINT64_C(1) << i;
      }
   }
   div.v = q;
#endif
   return div;
}

/* (u1 * 2^64 + u0) / d for u1 < d: the quotient, *rem the remainder. The
 * reciprocal gives a quotient estimate at most one too small or too large. */
static EXACT_INLINE uint64_t exact_divide(uint64_t u1, uint64_t u0, const ExactDivisor* div, uint64_t* rem) {
   uint64_t qh, ql = Exact_mul64(div->v, u1, &qh);
   ql += u0;
   qh += u1 + (ql < u0) + 1;
   uint64_t r = u0 - qh * div->d;
   /* one too large about half the time: a mask rather than a mispredicted branch */
   uint64_t over = -(uint64_t)(r > ql);
   qh += over;
   r += div->d & over;
   if (r >= div->d) {
      qh++;
      r -= div->d;
   }
   *rem = r;
   return qh;
}

/* U / d * 2^(sh + shift + scale), rounded, negated when neg, for U = u1 *
 * 2^64 + u0 of exactly 126 bits; sticky says the true numerator is a little
 * above U * 2^sh (bits were dropped to make U). */
static EXACT_INLINE double exact_round(uint64_t u1, uint64_t u0, bool sticky, int sh, bool neg, const ExactDivisor* div,
                                       int scale) {
   /* U / d is in [2^61, 2^63): the quotient has 62 or 63 bits */
   uint64_t rem;
   uint64_t q = exact_divide(u1, u0, div, &rem);
   /* What is below the quotient's last bit only decides a tie, so one bit
    * standing for it (set when anything is there) gives the same rounding:
    * the conversion then rounds once, to nearest, ties to even. */
   q |= (uint64_t)(sticky | (rem != 0));
   double x = (double)(int64_t)q;
   int e = sh + div->shift + scale;
   if (e < -1022 || e > 960)
      return ldexp(neg ? -x : x, e); /* a result that is not a normal double: not exact (see exact.h) */
   /* times 2^e: exact, as the result is a normal double */
   uint64_t bits = (uint64_t)neg << 63 | (uint64_t)(e + 1023) << 52;
   double p2;
   memcpy(&p2, &bits, sizeof p2);
   return x * p2;
}

/* The top 126 bits U = u1:u0 of X = x2:x1:x0 * 2^base (x2 != 0), the
 * number below X's lowest limb being nonzero when below is: X ~ U * 2^sh,
 * the return value, and *sticky says whether any bit was dropped. X is
 * shifted left until its top bit is set, then right by 66 bits. */
static EXACT_INLINE int exact_top(uint64_t x2, uint64_t x1, uint64_t x0, uint64_t below, int base, uint64_t* u1,
                                  uint64_t* u0, bool* sticky) {
   int lz = Exact_clz(x2);
   /* (b >> 1) >> (63 - lz) is b >> (64 - lz), also for lz = 0 */
   uint64_t y2 = x2 << lz | (x1 >> 1) >> (63 - lz);
   uint64_t y1 = x1 << lz | (x0 >> 1) >> (63 - lz);
   uint64_t y0 = x0 << lz;
   *u1 = y2 >> 2;
   *u0 = y2 << 62 | y1 >> 2;
   *sticky = ((y1 & 3) | y0 | below) != 0;
   return base + 66 - lz;
}

static EXACT_INLINE double exact_ratio(const ExactWide* num, bool neg, const ExactDivisor* div, int scale) {
   const uint64_t* w = num->w;
   uint64_t u1, u0;
   bool sticky;
   int sh;
   /* the top limb that is not 0: the same from record to record, as a sensor's spread changes slowly */
   if (w[3])
      sh = exact_top(w[3], w[2], w[1], w[0], 64, &u1, &u0, &sticky);
   else if (w[2])
      sh = exact_top(w[2], w[1], w[0], 0, 0, &u1, &u0, &sticky);
   else if (w[1])
      sh = exact_top(w[1], w[0], 0, 0, -64, &u1, &u0, &sticky);
   else if (w[0])
      sh = exact_top(w[0], 0, 0, 0, -128, &u1, &u0, &sticky);
   else
      return 0.0;
   return exact_round(u1, u0, sticky, sh, neg, div, scale);
}

double Exact_ratio(const ExactWide* num, bool neg, const ExactDivisor* div, int scale) {
   return exact_ratio(num, neg, div, scale);
}

/* floor((2^(63 + L) - 1) / D) for D >= 1 of bit length L <= 63: a
 * quotient in [2^63 - 1, 2^64), as D < 2^L. */
static ExactRecip exact_recip(uint64_t D, int scale) {
   int L = 64 - Exact_clz(D);
   ExactRecip q = {.exp = scale - (L - 1)};
#if EXACT_INT128
   q.r = (uint64_t)((((exact_u128)1 << (63 + L)) - 1) / D);
#else
   /* long division of 2^(63+L) - 1 (63 + L one bits) by D, a bit at a time */
   uint64_t rem = 0;
   for (int i = 63 + L - 1; i >= 0; i--) {
      rem = rem << 1 | 1; /* rem < D < 2^63 before the shift: no overflow */
      q.r <<= 1;
      if (rem >= D) {
         rem -= D;
         q.r |= 1;
      }
   }
#endif
   return q;
}

void Exact_count(ExactCount* c, uint32_t n) {
   uint64_t n2 = (uint64_t)n * n;
   c->n = n;
   c->by_n = Exact_divisor(n);
   c->by_n2 = Exact_divisor(n2);
   c->quick_n = exact_recip(n, -EXACT_FRAC_BITS);
   c->quick_n2 = exact_recip(n2, -2 * EXACT_FRAC_BITS);
}

static EXACT_INLINE double exact_mean(ExactInt s1, const ExactCount* c) {
   ExactInt m = Exact_abs(s1);
   uint64_t u1, u0;
   bool sticky;
   int sh;
   if (m.hi)
      sh = exact_top(m.hi, m.lo, 0, 0, -64, &u1, &u0, &sticky);
   else if (m.lo)
      sh = exact_top(m.lo, 0, 0, 0, -128, &u1, &u0, &sticky);
   else
      return 0.0;
   return exact_round(u1, u0, sticky, sh, Exact_isNegative(s1), &c->by_n, -EXACT_FRAC_BITS);
}

void Exact_statsExact(ExactInt s1, const ExactWide* nm2, const ExactCount* c, double* mean, double* variance) {
   *mean = exact_mean(s1, c);
   *variance = exact_ratio(nm2, false, &c->by_n2, -2 * EXACT_FRAC_BITS);
}

ExactInt Exact_floorDiv(ExactInt a, uint32_t n, uint32_t* rem) {
   ExactInt m = Exact_abs(a);
   /* long division by 32-bit digits: each step divides a number below n * 2^32 */
   uint32_t digit[4] = {(uint32_t)(m.hi >> 32), (uint32_t)m.hi, (uint32_t)(m.lo >> 32), (uint32_t)m.lo};
   uint64_t r = 0;
   for (int i = 0; i < 4; i++) {
      uint64_t cur = r << 32 | digit[i];
      digit[i] = (uint32_t)(cur / n);
      r = cur % n;
   }
   ExactInt q = {(uint64_t)digit[2] << 32 | digit[3], (uint64_t)digit[0] << 32 | digit[1]};
   if (!Exact_isNegative(a)) {
      *rem = (uint32_t)r;
      return q;
   }
   /* -(q n + r) = -(q + 1) n + (n - r) */
   q = Exact_sub((ExactInt){0, 0}, q);
   if (r) {
      q = Exact_sub(q, (ExactInt){1, 0});
      r = n - r;
   }
   *rem = (uint32_t)r;
   return q;
}
