/*
 * exact.c: rounding an exact quotient of wide integers to a double, once.
 *
 * Exact_ratio takes the numerator's top 127 bits, divides them by the
 * normalized divisor (a 128-by-64-bit division with a precomputed
 * reciprocal: two multiplications instead of a hardware divide, after
 * Moller and Granlund, "Improved division by invariant integers", IEEE
 * Transactions on Computers, 2011) and rounds the 63 or 64-bit quotient to
 * 53 bits, with every bit below it (the numerator's dropped bits and the
 * remainder) folded into a sticky bit. That is all correct rounding needs:
 * the quotient's bits beyond the 55th only matter through whether any is set.
 */
#include "config.h"

#include "exact.h"

#include <math.h>

/* Leading zero bits of x != 0. */
static int exact_clz(uint64_t x) {
#if defined(__GNUC__) || defined(__clang__)
   return __builtin_clzll(x);
#else
   int n = 0;
   while (!(x >> 63)) {
      x <<= 1;
      n++;
   }
   return n;
#endif
}

ExactDivisor Exact_divisor(uint64_t D) {
   ExactDivisor div;
   div.D = D;
   div.shift = exact_clz(D);
   div.d = D << div.shift;
   /* v = floor((2^128 - 1) / d) - 2^64 = floor((~d * 2^64 + 2^64 - 1) / d),
    * a quotient below 2^64 since ~d < d */
#if EXACT_INT128
   __extension__ unsigned __int128 num = ((unsigned __int128)~div.d << 64) | ~UINT64_C(0);
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
static uint64_t exact_divide(uint64_t u1, uint64_t u0, const ExactDivisor* div, uint64_t* rem) {
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

double Exact_ratio(const ExactWide* num, bool neg, const ExactDivisor* div, int scale) {
   int t = 3;
   while (t >= 0 && num->w[t] == 0)
      t--;
   if (t < 0)
      return 0.0;
   int bits = 64 * t + 64 - exact_clz(num->w[t]);

   /* U: num scaled by 2^-sh to exactly 127 bits; sticky: a bit dropped on the way */
   int sh = bits - 127;
   uint64_t u1, u0;
   bool sticky = false;
   if (sh <= 0) {
      int k = -sh; /* num < 2^127: two limbs */
      uint64_t n0 = num->w[0], n1 = num->w[1];
      if (k == 0) {
         u1 = n1;
         u0 = n0;
      } else if (k < 64) {
         u1 = n1 << k | n0 >> (64 - k);
         u0 = n0 << k;
      } else {
         u1 = n0 << (k - 64);
         u0 = 0;
      }
   } else {
      int li = sh / 64, bo = sh % 64;
      uint64_t a0 = num->w[li], a1 = li + 1 < 4 ? num->w[li + 1] : 0, a2 = li + 2 < 4 ? num->w[li + 2] : 0;
      if (bo == 0) {
         u0 = a0;
         u1 = a1;
      } else {
         u0 = a0 >> bo | a1 << (64 - bo);
         u1 = a1 >> bo | a2 << (64 - bo);
         sticky = (a0 << (64 - bo)) != 0;
      }
      for (int j = 0; j < li; j++)
         sticky |= num->w[j] != 0;
   }

   /* num / D = U / d * 2^(sh + shift), and U / d is in [2^62, 2^64) */
   uint64_t rem;
   uint64_t q = exact_divide(u1, u0, div, &rem);
   sticky |= rem != 0;

   int k = 64 - exact_clz(q) - 53; /* 10 or 11 bits below the 53 kept */
   uint64_t m = q >> k, rest = q & ((UINT64_C(1) << k) - 1), half = UINT64_C(1) << (k - 1);
   /* up above the half, and at the half unless that is a tie to an even m
    * (computed without branches: the bits are random, a branch would miss) */
   m += (uint64_t)(rest > half) | ((uint64_t)(rest == half) & ((uint64_t)sticky | m));

   int e = k + sh + div->shift + scale; /* the result is m * 2^e */
   if (m >> 53) {
      m >>= 1;
      e++;
   }
   int biased = e + 52 + 1023;
   if (biased <= 0 || biased >= 2047)
      return ldexp(neg ? -(double)m : (double)m, e); /* not a normal double: not exact (see exact.h) */
   uint64_t out = (uint64_t)neg << 63 | (uint64_t)biased << 52 | (m & ((UINT64_C(1) << 52) - 1));
   double x;
   memcpy(&x, &out, sizeof x);
   return x;
}

double Exact_ratioInt(ExactInt num, const ExactDivisor* div, int scale) {
   ExactInt m = Exact_abs(num);
   ExactWide w = {{m.lo, m.hi, 0, 0}};
   return Exact_ratio(&w, Exact_isNegative(num), div, scale);
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
