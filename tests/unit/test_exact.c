/*
 * test_exact.c: src/exact.c and the inline arithmetic of src/exact.h. The
 * wide operations are checked against a separate, slow reference (numbers
 * as 32-bit digits, schoolbook arithmetic); the rounding against IEEE
 * division where both operands are exact doubles, against known ties, and
 * on wide random cases by checking that the result lies within half a unit
 * in the last place of the exact quotient (ties to even). Built twice: with
 * the defaults and with -DEXACT_INT128=0 -DEXACT_X86=0 (the portable code).
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/exact.h"

static uint64_t test_rng = UINT64_C(0x6A09E667F3BCC908);

static uint64_t test_random(void) {
   uint64_t z = (test_rng += UINT64_C(0x9E3779B97F4A7C15));
   z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
   z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
   return z ^ (z >> 31);
}

/* A random 64-bit word with a random number of significant bits (0..64), so
 * that small, large and edge values all come up. */
static uint64_t test_word(void) {
   int bits = (int)(test_random() % 65);
   uint64_t w = test_random();
   return bits == 64 ? w : w & ((UINT64_C(1) << bits) - 1);
}

/* A random ExactInt with |value| < 2^bits (bits <= 127). */
static ExactInt test_int(int bits) {
   uint64_t lo = test_random(), hi = test_random();
   if (bits <= 64) {
      hi = 0;
      lo = bits == 64 ? lo : lo & ((UINT64_C(1) << bits) - 1);
   } else {
      hi &= (UINT64_C(1) << (bits - 64)) - 1;
   }
   ExactInt a = {lo, hi};
   return test_random() & 1 ? Exact_sub((ExactInt){0, 0}, a) : a;
}

/* ---- reference arithmetic: 512-bit two's complement in 32-bit digits ---- */

#define REF_DIGITS 16

typedef struct Ref {
   uint32_t d[REF_DIGITS]; /* d[0] least significant */
} Ref;

static Ref ref_zero(void) {
   Ref r;
   memset(&r, 0, sizeof r);
   return r;
}

static Ref ref_fromWords(const uint64_t* w, int n, bool sign_extend) {
   Ref r = ref_zero();
   for (int i = 0; i < n; i++) {
      r.d[2 * i] = (uint32_t)w[i];
      r.d[2 * i + 1] = (uint32_t)(w[i] >> 32);
   }
   if (sign_extend && (w[n - 1] >> 63))
      for (int i = 2 * n; i < REF_DIGITS; i++)
         r.d[i] = UINT32_MAX;
   return r;
}

static Ref ref_fromInt(ExactInt a) {
   uint64_t w[2] = {a.lo, a.hi};
   return ref_fromWords(w, 2, true);
}

static Ref ref_fromWide(const ExactWide* a) {
   return ref_fromWords(a->w, 4, false);
}

static Ref ref_fromU64(uint64_t v) {
   return ref_fromWords(&v, 1, false);
}

static Ref ref_add(Ref a, Ref b) {
   uint64_t carry = 0;
   for (int i = 0; i < REF_DIGITS; i++) {
      uint64_t s = (uint64_t)a.d[i] + b.d[i] + carry;
      a.d[i] = (uint32_t)s;
      carry = s >> 32;
   }
   return a;
}

static Ref ref_neg(Ref a) {
   for (int i = 0; i < REF_DIGITS; i++)
      a.d[i] = ~a.d[i];
   return ref_add(a, ref_fromU64(1));
}

static Ref ref_sub(Ref a, Ref b) {
   return ref_add(a, ref_neg(b));
}

static Ref ref_mul(Ref a, Ref b) {
   Ref r = ref_zero();
   for (int i = 0; i < REF_DIGITS; i++) {
      uint64_t carry = 0;
      for (int j = 0; i + j < REF_DIGITS; j++) {
         uint64_t t = (uint64_t)a.d[i] * b.d[j] + r.d[i + j] + carry;
         r.d[i + j] = (uint32_t)t;
         carry = t >> 32;
      }
   }
   return r;
}

static Ref ref_shl(Ref a, int k) {
   Ref r = ref_zero();
   for (int i = REF_DIGITS - 1; i >= 0; i--) {
      int from = i - k / 32;
      if (from < 0)
         continue;
      uint64_t v = (uint64_t)a.d[from] << (k % 32);
      r.d[i] |= (uint32_t)v;
      if (i + 1 < REF_DIGITS && k % 32)
         r.d[i + 1] |= (uint32_t)(v >> 32);
   }
   return r;
}

/* Unsigned comparison: -1, 0, 1. */
static int ref_cmp(Ref a, Ref b) {
   for (int i = REF_DIGITS - 1; i >= 0; i--)
      if (a.d[i] != b.d[i])
         return a.d[i] < b.d[i] ? -1 : 1;
   return 0;
}

/* The low 256 bits equal the ExactWide. */
static bool ref_equalsWide(Ref a, const ExactWide* w) {
   Ref b = ref_fromWide(w);
   return memcmp(a.d, b.d, 8 * sizeof(uint32_t)) == 0;
}

/* The low 128 bits equal the ExactInt. */
static bool ref_equalsInt(Ref a, ExactInt x) {
   Ref b = ref_fromInt(x);
   return memcmp(a.d, b.d, 4 * sizeof(uint32_t)) == 0;
}

/* ---- fromDouble ------------------------------------------------------------- */

static void assert_q(double x, uint64_t lo, uint64_t hi) {
   ExactInt q;
   assert_true(Exact_fromDouble(x, &q));
   assert_int_equal(q.lo, lo);
   assert_int_equal(q.hi, hi);
}

static void fromDouble__known_values__are_x_times_2_to_the_64(void** state) {
   (void)state;
   assert_q(1.0, 0, 1);
   assert_q(-1.0, 0, UINT64_MAX);
   assert_q(0.5, UINT64_C(1) << 63, 0);
   assert_q(-0.5, UINT64_C(1) << 63, UINT64_MAX);
   assert_q(0x1p-64, 1, 0);
   assert_q(3.25, UINT64_C(1) << 62, 3);
   assert_q(0.0, 0, 0);
   assert_q(-0.0, 0, 0);
   assert_q(5e-324, 0, 0); /* subnormal */
   /* the largest value in range: (2^44 - 2^-9) * 2^64 = 2^108 - 2^55 */
   assert_q(nextafter(0x1p44, 0), (uint64_t)0 - (UINT64_C(1) << 55), (UINT64_C(1) << 44) - 1);
}

static void fromDouble__below_the_grid__rounds_to_nearest_ties_to_even(void** state) {
   (void)state;
   assert_q(0x1p-65, 0, 0);   /* 0.5: tie, to even 0 */
   assert_q(0x1.8p-65, 1, 0); /* 0.75 */
   assert_q(0x1.8p-64, 2, 0); /* 1.5: tie, to even 2 */
   assert_q(0x1.4p-63, 2, 0); /* 2.5: tie, to even 2 */
   assert_q(0x1.cp-63, 4, 0); /* 3.5: tie, to even 4 */
   assert_q(-0x1.4p-63, (uint64_t)0 - 2, UINT64_MAX);
   assert_q(0x1p-66, 0, 0);                                     /* 0.25 */
   assert_q(0x1.0000000000001p-13, (UINT64_C(1) << 51) + 0, 0); /* 2^51 + 2^-1: tie, to even */
   assert_q(0x1.0000000000003p-13, (UINT64_C(1) << 51) + 2, 0); /* 2^51 + 1.5: tie, to even */
}

static void fromDouble__out_of_range__is_refused(void** state) {
   (void)state;
   const double bad[] = {0x1p44, -0x1p44, 1e300, -1e20, INFINITY, -INFINITY, NAN};
   for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      ExactInt q = {7, 7};
      assert_false(Exact_fromDouble(bad[i], &q));
      assert_int_equal(q.lo, 0);
      assert_int_equal(q.hi, 0);
   }
}

static void fromDouble__random_values__match_rint_of_the_scaled_value(void** state) {
   (void)state;
   for (int i = 0; i < 200000; i++) {
      int e = (int)(test_random() % 124) - 80; /* 2^-80 .. 2^43 */
      double m = 1.0 + (double)(test_random() >> 11) * 0x1p-53;
      double x = ldexp(m, e) * (test_random() & 1 ? -1.0 : 1.0);
      ExactInt q;
      assert_true(Exact_fromDouble(x, &q));
      /* |x * 2^64| rounded to an integer: below 2^108 with at most 53
       * significant bits, so the two words convert back exactly */
      double want = rint(ldexp(fabs(x), 64));
      ExactInt m_q = Exact_abs(q);
      double got = (double)m_q.hi * 0x1p64 + (double)m_q.lo;
      assert_true(got == want);
      assert_true(want == 0 || Exact_isNegative(q) == (x < 0));
   }
}

/* ---- two-limb and wide operations ----------------------------------------- */

static void int__add_sub_abs_mulSmall__match_the_reference(void** state) {
   (void)state;
   for (int i = 0; i < 100000; i++) {
      ExactInt a = test_int(1 + (int)(test_random() % 127)), b = test_int(1 + (int)(test_random() % 127));
      uint64_t k = test_word();
      Ref ra = ref_fromInt(a), rb = ref_fromInt(b);
      assert_true(ref_equalsInt(ref_add(ra, rb), Exact_add(a, b)));
      assert_true(ref_equalsInt(ref_sub(ra, rb), Exact_sub(a, b)));
      assert_true(ref_equalsInt(ref_mul(ra, ref_fromU64(k)), Exact_mulSmall(a, k)));
      ExactInt m = Exact_abs(a);
      assert_false(Exact_isNegative(m));
      assert_true(ref_equalsInt(Exact_isNegative(a) ? ref_neg(ra) : ra, m));
      uint64_t hi;
      uint64_t lo = Exact_mul64(a.lo, k, &hi);
      uint64_t w[2] = {lo, hi};
      assert_int_equal(ref_cmp(ref_fromWords(w, 2, false), ref_mul(ref_fromU64(a.lo), ref_fromU64(k))), 0);
   }
   /* the edges of the two's complement range */
   ExactInt min = {0, UINT64_C(1) << 63};
   assert_int_equal(Exact_abs(min).hi, UINT64_C(1) << 63);
   assert_int_equal(Exact_abs((ExactInt){UINT64_MAX, UINT64_MAX}).lo, 1);
   assert_int_equal(Exact_abs((ExactInt){UINT64_MAX, UINT64_MAX}).hi, 0);
   assert_int_equal(Exact_add((ExactInt){UINT64_MAX, 0}, (ExactInt){1, 0}).hi, 1);
   assert_int_equal(Exact_sub((ExactInt){0, 1}, (ExactInt){1, 0}).lo, UINT64_MAX);
}

static ExactWide test_wide(void) {
   ExactWide w;
   for (int i = 0; i < 4; i++)
      w.w[i] = test_word();
   return w;
}

static void wide__operations__match_the_reference_modulo_2_to_the_256(void** state) {
   (void)state;
   for (int i = 0; i < 100000; i++) {
      ExactWide a = test_wide(), b = test_wide();
      uint64_t k = test_word();
      Ref ra = ref_fromWide(&a), rb = ref_fromWide(&b);
      ExactWide s = a;
      Exact_wideAdd(&s, &b);
      assert_true(ref_equalsWide(ref_add(ra, rb), &s));
      ExactWide d = a;
      Exact_wideSub(&d, &b);
      assert_true(ref_equalsWide(ref_sub(ra, rb), &d));
      ExactWide m = a;
      Exact_wideMul(&m, k);
      assert_true(ref_equalsWide(ref_mul(ra, ref_fromU64(k)), &m));

      ExactInt x = test_int(1 + (int)(test_random() % 127)), y = test_int(1 + (int)(test_random() % 127));
      Ref rx = ref_fromInt(x), ry = ref_fromInt(y);
      ExactWide sq = Exact_square(x);
      assert_true(ref_equalsWide(ref_mul(rx, rx), &sq));
      /* exact when the product fits, which it does here; modulo 2^256 in any case */
      ExactWide acc = a;
      Exact_wideAddProduct(&acc, x, y);
      assert_true(ref_equalsWide(ref_add(ra, ref_mul(rx, ry)), &acc));
   }
}

/* The sums of a window of values, from scratch. */
typedef struct TestSums {
   ExactInt s1;
   ExactWide s2;
} TestSums;

static TestSums test_sums(const ExactInt* q, uint32_t n) {
   TestSums t = {{0, 0}, {{0, 0, 0, 0}}};
   for (uint32_t i = 0; i < n; i++) {
      t.s1 = Exact_add(t.s1, q[i]);
      ExactWide q2 = Exact_square(q[i]);
      Exact_wideAdd(&t.s2, &q2);
   }
   return t;
}

static void spread__equals_n_S2_minus_S1_squared(void** state) {
   (void)state;
   for (int i = 0; i < 20000; i++) {
      ExactInt s1 = test_int(1 + (int)(test_random() % 125));
      ExactWide s2 = test_wide();
      s2.w[3] &= (UINT64_C(1) << 40) - 1; /* S2 < 2^232 */
      uint32_t n = 1 + (uint32_t)(test_random() % EXACT_COUNT_MAX);
      Ref want = ref_sub(ref_mul(ref_fromWide(&s2), ref_fromU64(n)), ref_mul(ref_fromInt(s1), ref_fromInt(s1)));
      ExactWide got = Exact_spread(s1, &s2, n);
      assert_true(ref_equalsWide(want, &got));
   }
}

/* Replacing values one at a time keeps N equal to n * S2 - S1^2 recomputed
 * from scratch, here at the documented limits: 2^17 values of magnitude up
 * to 2^108 - 1, alternating in sign or all of one sign. */
static void replace__at_the_limits__keeps_N_exact(void** state) {
   (void)state;
   const uint32_t n = EXACT_COUNT_MAX;
   ExactInt* q = malloc(n * sizeof(ExactInt));
   const ExactInt top = {UINT64_MAX, (UINT64_C(1) << 44) - 1}; /* 2^108 - 1 */
   const ExactInt bottom = Exact_sub((ExactInt){0, 0}, top);
   for (int pattern = 0; pattern < 3; pattern++) {
      for (uint32_t i = 0; i < n; i++)
         q[i] = pattern == 0 ? (i % 2 ? top : bottom) : pattern == 1 ? top : test_int(108);
      TestSums t = test_sums(q, n);
      ExactInt s1 = t.s1;
      ExactWide nm2 = Exact_spread(t.s1, &t.s2, n);
      for (int step = 0; step < 64; step++) {
         uint32_t k = (uint32_t)(test_random() % n);
         ExactInt in = step % 3 == 0 ? top : step % 3 == 1 ? bottom : test_int(108);
         Exact_replace(&nm2, &s1, n, in, q[k]);
         q[k] = in;
         if (step % 16 == 15) {
            TestSums check = test_sums(q, n);
            ExactWide want = Exact_spread(check.s1, &check.s2, n);
            assert_memory_equal(&s1, &check.s1, sizeof s1);
            assert_memory_equal(&nm2, &want, sizeof nm2);
         }
      }
   }
   free(q);
}

/* ---- division and rounding ------------------------------------------------ */

static void divisor__reciprocal__is_floor_of_2_to_the_128_less_one_over_d(void** state) {
   (void)state;
   const uint64_t fixed[] = {1, 2, 3, 7, 100, 10000, 131072, UINT64_C(17179869184), UINT64_MAX, UINT64_C(1) << 63};
   for (int i = 0; i < 10000; i++) {
      uint64_t D = i < 10 ? fixed[i] : test_word();
      if (D == 0)
         D = 1;
      ExactDivisor div = Exact_divisor(D);
      assert_int_equal(div.D, D);
      assert_true(div.d >> 63);
      assert_int_equal(div.d >> div.shift, D);
      /* v + 2^64 = floor((2^128 - 1) / d): (v + 2^64) d <= 2^128 - 1 < (v + 2^64 + 1) d */
      Ref v = ref_add(ref_fromU64(div.v), ref_shl(ref_fromU64(1), 64));
      Ref d = ref_fromU64(div.d);
      Ref max = ref_sub(ref_shl(ref_fromU64(1), 128), ref_fromU64(1));
      assert_true(ref_cmp(ref_mul(v, d), max) <= 0);
      assert_true(ref_cmp(ref_mul(ref_add(v, ref_fromU64(1)), d), max) > 0);
   }
}

static double test_ratio(uint64_t num_lo, uint64_t num_hi, uint64_t D, int scale) {
   ExactWide num = {{num_lo, num_hi, 0, 0}};
   ExactDivisor div = Exact_divisor(D);
   return Exact_ratio(&num, false, &div, scale);
}

static void ratio__exact_operands__match_ieee_division(void** state) {
   (void)state;
   for (int i = 0; i < 300000; i++) {
      uint64_t num = test_random() >> (11 + test_random() % 53); /* < 2^53 */
      uint64_t D = test_random() >> (11 + test_random() % 53);
      if (D == 0)
         D = 1;
      int scale = -(int)(test_random() % 200);
      bool neg = test_random() & 1;
      ExactWide w = {{num, 0, 0, 0}};
      ExactDivisor div = Exact_divisor(D);
      double got = Exact_ratio(&w, neg, &div, scale);
      /* IEEE division of two exact doubles is correctly rounded; the power of two is exact */
      double want = ldexp((double)num / (double)D, scale);
      if (neg)
         want = -want;
      if (num == 0)
         want = 0.0; /* +0.0 whatever the sign */
      assert_memory_equal(&got, &want, sizeof got);
   }
}

static void ratio__ties__go_to_even(void** state) {
   (void)state;
   const uint64_t t = (UINT64_C(1) << 53) + 1; /* halfway between 2^53 and 2^53 + 2 */
   assert_true(test_ratio(t, 0, 1, 0) == 0x1p53);
   assert_true(test_ratio(t + 2, 0, 1, 0) == 0x1p53 + 4);
   assert_true(test_ratio(3 * t, 0, 3, 0) == 0x1p53);         /* a tie after an exact division */
   assert_true(test_ratio(3 * t + 1, 0, 3, 0) == 0x1p53 + 2); /* a remainder: just above the tie */
   assert_true(test_ratio(3 * t - 1, 0, 3, 0) == 0x1p53);     /* just below */
   /* ties and near-ties whose deciding bits lie far below, in dropped limbs */
   ExactWide wide = {{0, 0, t << 10, t >> 54}}; /* t * 2^138 */
   ExactDivisor one = Exact_divisor(1);
   assert_true(Exact_ratio(&wide, false, &one, -138) == 0x1p53);
   wide.w[0] = 1; /* t * 2^138 + 1: above the tie */
   assert_true(Exact_ratio(&wide, false, &one, -138) == 0x1p53 + 2);
   wide.w[0] = 0;
   wide.w[1] = UINT64_C(1) << 63; /* + 2^127 */
   assert_true(Exact_ratio(&wide, true, &one, -138) == -(0x1p53 + 2));
}

/* x (a positive normal double) is num / D * 2^scale rounded to nearest, ties
 * to even: it lies within half a unit in its last place, checked in exact
 * integers as num * 2^a against (2M +- 1) * D * 2^b. */
static void assert_correctly_rounded(double x, const ExactWide* num, uint64_t D, int scale) {
   int e2;
   double f = frexp(x, &e2); /* x = f * 2^e2, f in [0.5, 1) */
   uint64_t M = (uint64_t)ldexp(f, 53);
   int E = e2 - 53; /* x = M * 2^E */
   Ref n = ref_fromWide(num), d = ref_fromU64(D);
   /* the midpoints below and above x: (2M - 1) 2^(E-1) (or (4M - 1) 2^(E-2)
    * when M = 2^52, where the spacing below halves) and (2M + 1) 2^(E-1) */
   Ref lo_c = M == UINT64_C(1) << 52 ? ref_fromU64(4 * M - 1) : ref_fromU64(2 * M - 1);
   int lo_e = M == UINT64_C(1) << 52 ? E - 2 : E - 1;
   Ref hi_c = ref_fromU64(2 * M + 1);
   int hi_e = E - 1;
   /* compare num * 2^scale with c * D * 2^e: shift whichever side needs it */
   int g = lo_e - scale;
   int lo_cmp = g >= 0 ? ref_cmp(n, ref_shl(ref_mul(lo_c, d), g)) : ref_cmp(ref_shl(n, -g), ref_mul(lo_c, d));
   g = hi_e - scale;
   int hi_cmp = g >= 0 ? ref_cmp(n, ref_shl(ref_mul(hi_c, d), g)) : ref_cmp(ref_shl(n, -g), ref_mul(hi_c, d));
   assert_true(lo_cmp >= 0 && hi_cmp <= 0);
   if (lo_cmp == 0 || hi_cmp == 0)
      assert_int_equal(M % 2, 0);
}

static void ratio__wide_random_cases__are_correctly_rounded(void** state) {
   (void)state;
   for (int i = 0; i < 100000; i++) {
      ExactWide num = test_wide();
      int top = (int)(test_random() % 4);
      for (int k = top + 1; k < 4; k++)
         num.w[k] = 0;
      if (!(num.w[0] | num.w[1] | num.w[2] | num.w[3]))
         num.w[0] = 1;
      uint64_t D;
      switch (test_random() % 3) {
      case 0: { /* a window count n or n^2, as the feature stage divides by */
         uint64_t n = 1 + test_random() % EXACT_COUNT_MAX;
         D = test_random() & 1 ? n : n * n;
         break;
      }
      case 1:
         D = test_word();
         break;
      default:
         D = UINT64_MAX - test_random() % 1000;
         break;
      }
      if (D == 0)
         D = 1;
      int scale = -(int)(test_random() % 300);
      ExactDivisor div = Exact_divisor(D);
      double x = Exact_ratio(&num, false, &div, scale);
      assert_true(isnormal(x));
      assert_correctly_rounded(x, &num, D, scale);
      assert_true(Exact_ratio(&num, true, &div, scale) == -x);
   }
}

static void floorDiv__quotient_and_remainder__follow_the_definition(void** state) {
   (void)state;
   uint32_t r;
   ExactInt q = Exact_floorDiv((ExactInt){7, 0}, 2, &r);
   assert_true(q.lo == 3 && q.hi == 0 && r == 1);
   q = Exact_floorDiv((ExactInt){(uint64_t)-7, UINT64_MAX}, 2, &r);
   assert_true(q.lo == (uint64_t)-4 && q.hi == UINT64_MAX && r == 1);
   q = Exact_floorDiv((ExactInt){(uint64_t)-8, UINT64_MAX}, 2, &r);
   assert_true(q.lo == (uint64_t)-4 && q.hi == UINT64_MAX && r == 0);
   for (int i = 0; i < 100000; i++) {
      ExactInt a = test_int(1 + (int)(test_random() % 126));
      uint32_t n = (uint32_t)(test_word() >> 32);
      if (n == 0)
         n = 1 + (uint32_t)(test_random() % 1000);
      q = Exact_floorDiv(a, n, &r);
      assert_true(r < n);
      Ref back = ref_add(ref_mul(ref_fromInt(q), ref_fromU64(n)), ref_fromU64(r));
      assert_int_equal(ref_cmp(back, ref_fromInt(a)), 0);
   }
}

/* ---- the statistics --------------------------------------------------------- */

/* Mean and variance of n doubles through the exact path, from scratch. */
static void test_stats(const double* x, uint32_t n, double* mean, double* variance) {
   ExactInt* q = malloc(n * sizeof(ExactInt));
   for (uint32_t i = 0; i < n; i++)
      assert_true(Exact_fromDouble(x[i], &q[i]));
   TestSums t = test_sums(q, n);
   ExactWide nm2 = Exact_spread(t.s1, &t.s2, n);
   ExactCount c;
   Exact_count(&c, n);
   assert_int_equal(c.n, n);
   Exact_stats(t.s1, &nm2, &c, mean, variance);
   free(q);
}

static void stats__known_answers__are_exact(void** state) {
   (void)state;
   double mean, var;
   const double a[] = {1, 2, 3, 4};
   test_stats(a, 4, &mean, &var);
   assert_true(mean == 2.5 && var == 1.25);
   const double b[] = {1, 2, 4};
   test_stats(b, 3, &mean, &var);
   assert_true(mean == 7.0 / 3.0 && var == 14.0 / 9.0);
   const double c[] = {0.1, 0.1, 0.1, 0.1, 0.1};
   test_stats(c, 5, &mean, &var);
   assert_true(mean == 0.1 && var == 0.0); /* equal values: exactly 0 */
   const double d[] = {-1e6 - 1, -1e6 + 1};
   test_stats(d, 2, &mean, &var);
   assert_true(mean == -1e6 && var == 1.0);
   const double z[] = {0.0, -0.0};
   test_stats(z, 2, &mean, &var);
   assert_true(mean == 0.0 && !signbit(mean) && var == 0.0);
}

/* Small integer windows: the exact mean and variance are S / n and
 * (n * Q - S^2) / n^2 with integers small enough for doubles, so IEEE
 * division gives the correctly rounded reference. */
static void stats__small_windows__are_correctly_rounded(void** state) {
   (void)state;
   double x[64];
   for (int i = 0; i < 50000; i++) {
      uint32_t n = 1 + (uint32_t)(test_random() % 64);
      int shift = (int)(test_random() % 40) - 20; /* values k * 2^shift */
      int64_t S = 0, Q = 0;
      for (uint32_t j = 0; j < n; j++) {
         int64_t k = (int64_t)(test_random() % 200001) - 100000;
         S += k;
         Q += k * k;
         x[j] = ldexp((double)k, shift);
      }
      double mean, var;
      test_stats(x, n, &mean, &var);
      double want_mean = ldexp((double)S / (double)n, shift);
      double want_var = ldexp((double)((int64_t)n * Q - S * S) / ((double)n * n), 2 * shift);
      assert_memory_equal(&mean, S ? &want_mean : &(double){0.0}, sizeof mean);
      assert_true(var == want_var);
   }
}

/* A sum S1 of n values and its N as the feature stage holds them, random
 * but within the documented bounds (|q| < 2^108, n <= 2^17), of every size. */
static void test_randomSums(uint32_t* n, ExactInt* s1, ExactWide* nm2) {
   *n = 1 + (uint32_t)(test_random() % (test_random() & 1 ? 128 : EXACT_COUNT_MAX));
   *s1 = test_int(1 + (int)(test_random() % 125));
   *nm2 = test_wide();
   int top = (int)(test_random() % 4);
   for (int k = top + 1; k < 4; k++)
      nm2->w[k] = 0;
   nm2->w[3] &= (UINT64_C(1) << 59) - 1; /* N < 2^251 */
   nm2->w[top] >>= test_random() % 64;
}

/* The quick rounding is a shortcut: where it answers, the long way gives the
 * same bits, and it answers nearly always (else it would cost, not save). */
static void stats__quick_rounding__equals_the_long_way(void** state) {
   (void)state;
   uint32_t answered = 0, asked = 0;
   for (uint32_t i = 0; i < 200000; i++) {
      uint32_t n;
      ExactInt s1;
      ExactWide nm2;
      test_randomSums(&n, &s1, &nm2);
      ExactCount c;
      Exact_count(&c, n);
      double mean, var, want_mean, want_var;
      Exact_stats(s1, &nm2, &c, &mean, &var);
      Exact_statsExact(s1, &nm2, &c, &want_mean, &want_var);
      assert_memory_equal(&mean, &want_mean, sizeof mean);
      assert_memory_equal(&var, &want_var, sizeof var);
      /* the quick way alone, on the variance's top limbs */
      int top = nm2.w[3] ? 3 : nm2.w[2] ? 2 : nm2.w[1] ? 1 : 0;
      double quick;
      if (!nm2.w[top])
         continue;
      asked++;
      if (exact_quick(nm2.w[top], top ? nm2.w[top - 1] : 0, 64 * top, &c.quick_n2, 0, &quick)) {
         assert_memory_equal(&quick, &want_var, sizeof quick);
         answered++;
      }
   }
   assert_true(answered > asked / 100 * 97);
}

/* Exact ties and the cases next to them, where the quick rounding must hand
 * over: S1 = n * (2M + 1) * 2^(k-1) + d for small d, a mean halfway between
 * two doubles M * 2^k and (M + 1) * 2^k (in units of 2^-64), and its
 * neighbours just above and below. */
static void stats__ties_and_near_ties__round_to_nearest_even(void** state) {
   (void)state;
   for (int i = 0; i < 20000; i++) {
      uint32_t n = 1 + (uint32_t)(test_random() % EXACT_COUNT_MAX);
      uint64_t M = (UINT64_C(1) << 52) | (test_random() >> 12);
      int k = 1 + (int)(test_random() % 50);
      Ref mid = ref_shl(ref_mul(ref_fromU64(2 * M + 1), ref_fromU64(n)), k - 1);
      int64_t d = (int64_t)(test_random() % 7) - 3;
      Ref s = d >= 0 ? ref_add(mid, ref_fromU64((uint64_t)d)) : ref_sub(mid, ref_fromU64((uint64_t)-d));
      ExactInt s1 = {(uint64_t)s.d[0] | (uint64_t)s.d[1] << 32, (uint64_t)s.d[2] | (uint64_t)s.d[3] << 32};
      bool neg = test_random() & 1;
      if (neg)
         s1 = Exact_sub((ExactInt){0, 0}, s1);
      ExactCount c;
      Exact_count(&c, n);
      ExactWide zero = {{0, 0, 0, 0}};
      double mean, var;
      Exact_stats(s1, &zero, &c, &mean, &var);
      /* M * 2^k (or the next double) times 2^-64, to even on the tie */
      uint64_t want = d > 0 || (d == 0 && (M & 1)) ? M + 1 : M;
      double w = ldexp((double)want, k - 64);
      assert_true(mean == (neg ? -w : w));
      assert_true(var == 0.0);
   }
}

/* The documented limits: 2^17 values of magnitude just below 2^44. */
static void stats__at_the_limits__do_not_overflow(void** state) {
   (void)state;
   const uint32_t n = EXACT_COUNT_MAX;
   const double X = nextafter(0x1p44, 0);
   double* x = malloc(n * sizeof(double));
   for (uint32_t i = 0; i < n; i++)
      x[i] = i % 2 ? X : -X;
   double mean, var;
   test_stats(x, n, &mean, &var);
   assert_true(mean == 0.0 && var == X * X); /* X * X: IEEE rounds the exact square once too */
   for (uint32_t i = 0; i < n; i++)
      x[i] = i < n / 4 ? -X : X;
   test_stats(x, n, &mean, &var);
   /* mean X/2; variance 3/4 X^2 = 3 * 2^86 - 3 * 2^34 + 3 * 2^-20 (X = 2^44 - 2^-9),
    * just above the midpoint 3 * 2^86 - 1.5 * 2^35 of two doubles: rounded
    * once it goes up. (0.75 * (X * X) rounds twice, lands on the midpoint and
    * goes to the even neighbour below.) */
   assert_true(mean == X / 2);
   assert_true(var == 0x1.7ffffffffffffp+87);
   assert_true(0.75 * (X * X) == 0x1.7fffffffffffep+87);
   free(x);
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(fromDouble__known_values__are_x_times_2_to_the_64),
       cmocka_unit_test(fromDouble__below_the_grid__rounds_to_nearest_ties_to_even),
       cmocka_unit_test(fromDouble__out_of_range__is_refused),
       cmocka_unit_test(fromDouble__random_values__match_rint_of_the_scaled_value),
       cmocka_unit_test(int__add_sub_abs_mulSmall__match_the_reference),
       cmocka_unit_test(wide__operations__match_the_reference_modulo_2_to_the_256),
       cmocka_unit_test(spread__equals_n_S2_minus_S1_squared),
       cmocka_unit_test(replace__at_the_limits__keeps_N_exact),
       cmocka_unit_test(divisor__reciprocal__is_floor_of_2_to_the_128_less_one_over_d),
       cmocka_unit_test(ratio__exact_operands__match_ieee_division),
       cmocka_unit_test(ratio__ties__go_to_even),
       cmocka_unit_test(ratio__wide_random_cases__are_correctly_rounded),
       cmocka_unit_test(floorDiv__quotient_and_remainder__follow_the_definition),
       cmocka_unit_test(stats__known_answers__are_exact),
       cmocka_unit_test(stats__small_windows__are_correctly_rounded),
       cmocka_unit_test(stats__at_the_limits__do_not_overflow),
       cmocka_unit_test(stats__quick_rounding__equals_the_long_way),
       cmocka_unit_test(stats__ties_and_near_ties__round_to_nearest_even),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
