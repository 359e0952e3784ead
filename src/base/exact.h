/*
 * exact.h: exact integer arithmetic for the feature stage's window
 * statistics, so that its two variants compute the same quantities and
 * round them once, and so agree bit for bit.
 *
 * A window value x (a double) becomes the integer q = x * 2^EXACT_FRAC_BITS
 * on a fixed binary grid: exact for every double of magnitude >= 2^-12 (its
 * last bit is worth at least 2^-64), rounded to the nearest grid point, ties
 * to even, below that. Only |x| < 2^EXACT_VALUE_BITS fits (|q| < 2^108);
 * larger values, infinities and NaN are out of range and the caller must
 * take another path for a window that holds one.
 *
 * With n <= EXACT_COUNT_MAX values, the sum S1 of their q's fits an ExactInt
 * (|S1| < 2^125), and the sum S2 of their squares, n times it, and
 * N = n * S2 - S1^2 (n times the sum of the squared deviations from the
 * mean) fit an ExactWide (< 2^251): they can be kept up to date as values
 * enter and leave a window without any rounding. The mean S1 / n and the
 * variance N / n^2 are then rounded once, to the nearest double (ties to
 * even), by Exact_stats: a quick rounding with a 64-bit reciprocal that
 * proves its result or hands the case to the exact division.
 *
 * The small operations are inline: the optimized feature stage does a few
 * per record. Everything works on 64-bit limbs in plain C. Two switches, on
 * by default where they apply, speed it up: EXACT_X86 (x86-64 with GCC or
 * clang) writes the 64 x 64 -> 128-bit products and the one 128 x 128-bit
 * product of each record in inline assembly; EXACT_INT128 (a compiler with
 * unsigned __int128) uses it for the products otherwise and for the one
 * division per divisor. With both off (-DEXACT_INT128=0 -DEXACT_X86=0, as
 * tests/test_exact_portable builds it), portable code does the same.
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
/* Inline assembly for the hot multiplications on x86-64: the compilers
 * spill and reload around 128-bit products and make poor add-with-carry
 * chains of them (GCC 12 took twice the instructions). Only in optimized
 * builds, where the registers it asks for are free. */
#ifndef EXACT_X86
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__)
#define EXACT_X86 1
#else
#define EXACT_X86 0
#endif
#endif

/* F: q = x * 2^F. */
#define EXACT_FRAC_BITS 64
/* A value fits when |x| < 2^EXACT_VALUE_BITS (about 1.76e13). */
#define EXACT_VALUE_BITS 44
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
   uint64_t D; /* the divisor, >= 1 */
   uint64_t d; /* D << shift */
   uint64_t v; /* floor((2^128 - 1) / d) - 2^64 */
   int shift;  /* leading zero bits of D */
} ExactDivisor;

#if EXACT_INT128
__extension__ typedef unsigned __int128 exact_u128;
#endif

/* The full product a * b: returns the low word, *hi the high one. */
static inline uint64_t Exact_mul64(uint64_t a, uint64_t b, uint64_t* hi) {
#if EXACT_X86
   uint64_t lo, h;
   __asm__("mulq %[b]" : "=a"(lo), "=d"(h) : "a"(a), [b] "rm"(b) : "cc");
   *hi = h;
   return lo;
#elif EXACT_INT128
   exact_u128 p = (exact_u128)a * b;
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

/* a + b + c for a carry c <= 1; *carry gets the carry out (0 or 1). */
static inline uint64_t exact_adc(uint64_t a, uint64_t b, uint64_t c, uint64_t* carry) {
   uint64_t s = a + b, t = s + c;
   *carry = (s < a) | (t < s);
   return t;
}

/* a - b - c for a borrow c <= 1; *borrow gets the borrow out (0 or 1). */
static inline uint64_t exact_sbb(uint64_t a, uint64_t b, uint64_t c, uint64_t* borrow) {
   uint64_t d = a - b, t = d - c;
   *borrow = (a < b) | (d < c);
   return t;
}

/* -(hi:lo) when neg is 1, hi:lo when it is 0, without a branch: -a = ~a + 1. */
static inline ExactInt exact_negateIf(uint64_t lo, uint64_t hi, uint64_t neg) {
   uint64_t s = (uint64_t)0 - neg;
   return (ExactInt){(lo ^ s) - s, (hi ^ s) - s - (s & (lo != 0))};
}

/* q = x * 2^64 on the grid (rounded to nearest, ties to even, below 2^-12);
 * false, with q = 0, when |x| >= 2^EXACT_VALUE_BITS or x is not finite. */
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
   /* negated without a branch: the signs of a sensor's values may alternate */
   *q = exact_negateIf(lo, hi, bits >> 63);
   return true;
}

/* The two-limb operations in plain 64-bit C: the compilers turn the carry
 * tests into add-with-carry, but not conversions to and from __int128. */
static inline ExactInt Exact_add(ExactInt a, ExactInt b) {
   uint64_t lo = a.lo + b.lo;
   return (ExactInt){lo, a.hi + b.hi + (lo < a.lo)};
}

static inline ExactInt Exact_sub(ExactInt a, ExactInt b) {
   return (ExactInt){a.lo - b.lo, a.hi - b.hi - (a.lo < b.lo)};
}

static inline bool Exact_isNegative(ExactInt a) {
   return a.hi >> 63;
}

/* |a| (for a = -2^127, 2^127 read as unsigned). */
static inline ExactInt Exact_abs(ExactInt a) {
   return exact_negateIf(a.lo, a.hi, a.hi >> 63);
}

/* a * k modulo 2^128. */
static inline ExactInt Exact_mulSmall(ExactInt a, uint64_t k) {
   uint64_t hi;
   uint64_t lo = Exact_mul64(a.lo, k, &hi);
   return (ExactInt){lo, a.hi * k + hi};
}

/* a^2, exactly. */
static inline ExactWide Exact_square(ExactInt a) {
   ExactInt m = Exact_abs(a);
   uint64_t p1, c1, e1;
   uint64_t p0 = Exact_mul64(m.lo, m.lo, &p1);
   uint64_t c0 = Exact_mul64(m.lo, m.hi, &c1); /* the cross term, doubled below: < 2^128 as m.hi <= 2^63 */
   uint64_t e0 = Exact_mul64(m.hi, m.hi, &e1);
   uint64_t k;
   ExactWide r;
   r.w[0] = p0;
   r.w[1] = exact_adc(p1, c0 << 1, 0, &k);
   r.w[2] = exact_adc(e0, c1 << 1 | c0 >> 63, k, &k);
   r.w[3] = e1 + k;
   return r;
}

/* *acc += a * b (mod 2^256), exactly for signed a and b whose product fits
 * 255 bits: the product of a and b read as unsigned, less 2^128 b when
 * a < 0 and 2^128 a when b < 0 (two's complement). */
static inline void Exact_wideAddProduct(ExactWide* acc, ExactInt a, ExactInt b) {
   uint64_t ma = (uint64_t)0 - (a.hi >> 63), mb = (uint64_t)0 - (b.hi >> 63);
#if EXACT_X86
   /* The optimized feature's one multiplication per record: the compilers'
    * carry chains from C cost it twice the instructions. */
   uint64_t p0, p1, p2, p3;
   __asm__("movq %[al], %%rax\n\t"
           "mulq %[bl]\n\t"
           "movq %%rax, %[p0]\n\t"
           "movq %%rdx, %[p1]\n\t"
           "movq %[al], %%rax\n\t"
           "mulq %[bh]\n\t"
           "xorl %k[p3], %k[p3]\n\t"
           "addq %%rax, %[p1]\n\t"
           "adcq $0, %%rdx\n\t"
           "movq %%rdx, %[p2]\n\t"
           "movq %[ah], %%rax\n\t"
           "mulq %[bl]\n\t"
           "addq %%rax, %[p1]\n\t"
           "adcq %%rdx, %[p2]\n\t"
           "adcq $0, %[p3]\n\t"
           "movq %[ah], %%rax\n\t"
           "mulq %[bh]\n\t"
           "addq %%rax, %[p2]\n\t"
           "adcq %%rdx, %[p3]"
           : [p0] "=&r"(p0), [p1] "=&r"(p1), [p2] "=&r"(p2), [p3] "=&r"(p3)
           : [al] "rm"(a.lo), [ah] "rm"(a.hi), [bl] "rm"(b.lo), [bh] "rm"(b.hi)
           : "rax", "rdx", "cc");
   __asm__(
       "subq %[c0], %[p2]\n\t"
       "sbbq %[c1], %[p3]\n\t"
       "subq %[d0], %[p2]\n\t"
       "sbbq %[d1], %[p3]\n\t"
       "addq %[p0], %[w0]\n\t"
       "adcq %[p1], %[w1]\n\t"
       "adcq %[p2], %[w2]\n\t"
       "adcq %[p3], %[w3]"
       : [w0] "+m"(acc->w[0]), [w1] "+m"(acc->w[1]), [w2] "+m"(acc->w[2]), [w3] "+m"(acc->w[3]), [p2] "+&r"(p2),
         [p3] "+&r"(p3)
       : [p0] "r"(p0), [p1] "r"(p1), [c0] "r"(ma & b.lo), [c1] "r"(ma & b.hi), [d0] "r"(mb & a.lo), [d1] "r"(mb & a.hi)
       : "cc");
#else
   uint64_t h00, h01, h10, h11, k, c1, c2;
   uint64_t p0 = Exact_mul64(a.lo, b.lo, &h00);
   uint64_t l01 = Exact_mul64(a.lo, b.hi, &h01);
   uint64_t l10 = Exact_mul64(a.hi, b.lo, &h10);
   uint64_t l11 = Exact_mul64(a.hi, b.hi, &h11);
   uint64_t p1 = exact_adc(h00, l01, 0, &c1);
   p1 = exact_adc(p1, l10, 0, &c2);
   uint64_t p2 = exact_adc(h01, h10, c1, &c1);
   uint64_t p3 = h11 + c1;
   p2 = exact_adc(p2, l11, c2, &c2);
   p3 += c2;
   p2 = exact_sbb(p2, ma & b.lo, 0, &k);
   p3 -= (ma & b.hi) + k;
   p2 = exact_sbb(p2, mb & a.lo, 0, &k);
   p3 -= (mb & a.hi) + k;
   acc->w[0] = exact_adc(acc->w[0], p0, 0, &k);
   acc->w[1] = exact_adc(acc->w[1], p1, k, &k);
   acc->w[2] = exact_adc(acc->w[2], p2, k, &k);
   acc->w[3] += p3 + k;
#endif
}

/* *a += *b (mod 2^256). */
static inline void Exact_wideAdd(ExactWide* a, const ExactWide* b) {
   uint64_t k;
   a->w[0] = exact_adc(a->w[0], b->w[0], 0, &k);
   a->w[1] = exact_adc(a->w[1], b->w[1], k, &k);
   a->w[2] = exact_adc(a->w[2], b->w[2], k, &k);
   a->w[3] += b->w[3] + k;
}

/* *a -= *b (mod 2^256). */
static inline void Exact_wideSub(ExactWide* a, const ExactWide* b) {
   uint64_t k;
   a->w[0] = exact_sbb(a->w[0], b->w[0], 0, &k);
   a->w[1] = exact_sbb(a->w[1], b->w[1], k, &k);
   a->w[2] = exact_sbb(a->w[2], b->w[2], k, &k);
   a->w[3] -= b->w[3] + k;
}

/* *a *= k (mod 2^256). */
static inline void Exact_wideMul(ExactWide* a, uint64_t k) {
   uint64_t h0, h1, h2, c;
   uint64_t l0 = Exact_mul64(a->w[0], k, &h0);
   uint64_t l1 = Exact_mul64(a->w[1], k, &h1);
   uint64_t l2 = Exact_mul64(a->w[2], k, &h2);
   a->w[3] = a->w[3] * k + h2;
   a->w[0] = l0;
   a->w[1] = exact_adc(l1, h0, 0, &c);
   a->w[2] = exact_adc(l2, h1, c, &c);
   a->w[3] += c;
}

/* n * S2 - S1^2 for the sums S1 of n values q and S2 of their squares:
 * n times the sum of the squared deviations from the mean, exactly. */
static inline ExactWide Exact_spread(ExactInt s1, const ExactWide* s2, uint32_t n) {
   ExactWide r = *s2;
   Exact_wideMul(&r, n);
   ExactWide sq = Exact_square(s1);
   Exact_wideSub(&r, &sq);
   return r;
}

/* The change of N = n * S2 - S1^2 when, in a window of n values summing to
 * s1, the value out is replaced by in: N grows by
 * (in - out) * (n * (in + out) - s1 - s1'), s1' = s1 + in - out, an O(1)
 * update that needs no S2. *s1 becomes s1'. The factors fit 128 bits when
 * |q| < 2^108 and n <= 2^17: |in - out| < 2^109, and the second factor is
 * (n - 1)(in - mean) + (n + 1)(out - mean), below 2n * 2^109. */
static inline void Exact_replace(ExactWide* nm2, ExactInt* s1, uint32_t n, ExactInt in, ExactInt out) {
   ExactInt d = Exact_sub(in, out);
   ExactInt s1_new = Exact_add(*s1, d);
   ExactInt g = Exact_sub(Exact_sub(Exact_mulSmall(Exact_add(in, out), n), *s1), s1_new);
   Exact_wideAddProduct(nm2, d, g);
   *s1 = s1_new;
}

/* The ExactDivisor for D >= 1 (a division: compute it once per divisor). */
ExactDivisor Exact_divisor(uint64_t D);

/* num / D * 2^scale, rounded to the nearest double, ties to even, negated
 * when neg (0 is +0.0). Exact as long as the result is a normal double. */
double Exact_ratio(const ExactWide* num, bool neg, const ExactDivisor* div, int scale);

/* Leading zero bits of x != 0. */
static inline int Exact_clz(uint64_t x) {
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

/* What the quick rounding of a ratio num / D needs of D: a 64-bit
 * reciprocal and the exponent it carries (see exact_quick). */
typedef struct ExactRecip {
   uint64_t r; /* floor((2^(63 + L) - 1) / D), L the bit length of D: in [2^63 - 1, 2^64) */
   int exp;    /* scale - (L - 1): the power of two that takes the quotient to the result */
} ExactRecip;

/* A window's count n (1..EXACT_COUNT_MAX) with its divisors n and n^2,
 * exact and quick. */
typedef struct ExactCount {
   uint32_t n;
   ExactDivisor by_n;
   ExactDivisor by_n2;
   ExactRecip quick_n;  /* for the mean: scale -EXACT_FRAC_BITS */
   ExactRecip quick_n2; /* for the variance: scale -2 * EXACT_FRAC_BITS */
} ExactCount;

void Exact_count(ExactCount* c, uint32_t n);

/* The mean and variance by the long way (exact.c), always exact: what
 * Exact_stats falls back to when its quick rounding cannot decide. */
void Exact_statsExact(ExactInt s1, const ExactWide* nm2, const ExactCount* c, double* mean, double* variance);

/* The quick rounding of num / D * 2^scale, num = x1:x0 * 2^base with
 * x1 != 0 and x0 the next 64 bits (bits below x0 only make num larger, by
 * less than one unit of x0). T, the top 62 bits of num, is in [2^61, 2^62);
 * num = (T + delta) * 2^g with 0 <= delta < 1. With r and L as in
 * ExactRecip, Q = floor(T * r / 2^64) is at most X = num / D * 2^(L-1-g)
 * and more than X - 3 (r falls short of 2^(63+L) / D by less than 2, T is
 * below 2^63 and 2^(L-1) / D is at most 1: each of the truncations, r's,
 * the product's and delta's, costs less than one unit). Rounding to nearest
 * is monotonic, so when Q and Q + 3 round to the same double, so does X:
 * that double, times 2^(g + exp), is the correctly rounded result, as long
 * as it is a normal double. Otherwise (about one case in a hundred, when X
 * lies within 3 units of a midpoint between two doubles, and for results
 * near the ends of the range) it returns false and the caller takes the
 * long way. Q < 2^62, so Q + 3 converts as a signed integer. */
static inline bool exact_quick(uint64_t x1, uint64_t x0, int base, const ExactRecip* q, uint64_t sign, double* out) {
   int lz = Exact_clz(x1);
   /* (x0 >> 1) >> (63 - lz) is x0 >> (64 - lz), also for lz = 0 */
   uint64_t T = (x1 << lz | (x0 >> 1) >> (63 - lz)) >> 2;
   uint64_t Q;
   Exact_mul64(T, q->r, &Q);
   double lo = (double)(int64_t)Q, hi = (double)(int64_t)(Q + 3);
   int e = base + 2 - lz + q->exp;
   if (lo != hi || e < -1022 || e > 960)
      return false;
   /* times 2^e: exact, the result being a normal double (lo is below 2^62) */
   uint64_t bits = sign << 63 | (uint64_t)(e + 1023) << 52;
   double p2;
   memcpy(&p2, &bits, sizeof p2);
   *out = lo * p2;
   return true;
}

/* The mean and the population variance of n values from the sum S1 of
 * their q's and from nm2 = n times the sum of their squared deviations from
 * the mean (Exact_spread): S1 / n / 2^64 and nm2 / n^2 / 2^128, each rounded
 * to the nearest double, ties to even (0 is +0.0). Inline, as the optimized
 * feature stage calls it for every record: the quick rounding decides
 * nearly every case, Exact_statsExact the rest. */
static inline void Exact_stats(ExactInt s1, const ExactWide* nm2, const ExactCount* c, double* mean, double* variance) {
   ExactInt m = Exact_abs(s1);
   const uint64_t* w = nm2->w;
   double mu = 0.0, var = 0.0;
   bool ok = true;
   if (m.hi)
      ok = exact_quick(m.hi, m.lo, 64, &c->quick_n, s1.hi >> 63, &mu);
   else if (m.lo)
      ok = exact_quick(m.lo, 0, 0, &c->quick_n, s1.hi >> 63, &mu);
   if (w[3])
      ok &= exact_quick(w[3], w[2], 192, &c->quick_n2, 0, &var);
   else if (w[2])
      ok &= exact_quick(w[2], w[1], 128, &c->quick_n2, 0, &var);
   else if (w[1])
      ok &= exact_quick(w[1], w[0], 64, &c->quick_n2, 0, &var);
   else if (w[0])
      ok &= exact_quick(w[0], 0, 0, &c->quick_n2, 0, &var);
   if (!ok) {
      Exact_statsExact(s1, nm2, c, mean, variance);
      return;
   }
   *mean = mu;
   *variance = var;
}

/* floor(a / n) for 1 <= n < 2^32; *rem gets a - n * floor(a / n), in [0, n). */
ExactInt Exact_floorDiv(ExactInt a, uint32_t n, uint32_t* rem);

#endif
