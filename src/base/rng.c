/* rng.c: xoshiro256** and the distributions the simulator draws from. */
#include "config.h"

#include "base/rng.h"

#include <math.h>

static uint64_t rng_splitmix(uint64_t* x) {
   uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
   z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
   z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
   return z ^ (z >> 31);
}

static uint64_t rng_rotl(uint64_t x, int k) {
   return (x << k) | (x >> (64 - k));
}

void Rng_seed(Rng* this, uint64_t seed) {
   uint64_t x = seed;
   for (int i = 0; i < 4; i++)
      this->s[i] = rng_splitmix(&x);
   this->has_spare = 0;
   this->spare = 0;
}

uint64_t Rng_next(Rng* this) {
   uint64_t* s = this->s;
   uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
   uint64_t t = s[1] << 17;
   s[2] ^= s[0];
   s[3] ^= s[1];
   s[1] ^= s[2];
   s[0] ^= s[3];
   s[2] ^= t;
   s[3] = rng_rotl(s[3], 45);
   return result;
}

double Rng_uniform(Rng* this) {
   return (double)(Rng_next(this) >> 11) * 0x1.0p-53;
}

uint32_t Rng_below(Rng* this, uint32_t n) {
   /* multiply-shift: unbiased enough for simulation, and branch-free */
   return (uint32_t)(((Rng_next(this) >> 32) * (uint64_t)n) >> 32);
}

double Rng_normal(Rng* this) {
   if (this->has_spare) {
      this->has_spare = 0;
      return this->spare;
   }
   double u, v, s;
   do {
      u = 2.0 * Rng_uniform(this) - 1.0;
      v = 2.0 * Rng_uniform(this) - 1.0;
      s = u * u + v * v;
   } while (s >= 1.0 || s == 0.0);
   double f = sqrt(-2.0 * log(s) / s);
   this->spare = v * f;
   this->has_spare = 1;
   return u * f;
}

double Rng_exponential(Rng* this) {
   return -log1p(-Rng_uniform(this));
}
