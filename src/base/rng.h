/*
 * rng.h: a small, fast, seedable random source (xoshiro256** seeded through
 * splitmix64). Deterministic across machines: the same seed gives the same
 * sequence, which is what makes a simulated run repeatable.
 */
#ifndef KEEPUP_RNG_H
#define KEEPUP_RNG_H

#include <stdint.h>

typedef struct Rng {
   uint64_t s[4];
   double spare;   /* second normal deviate of the last Box-Muller pair */
   int has_spare;
} Rng;

void Rng_seed(Rng* this, uint64_t seed);
uint64_t Rng_next(Rng* this);
/* Uniform in [0, 1). */
double Rng_uniform(Rng* this);
/* Uniform integer in [0, n), n > 0. */
uint32_t Rng_below(Rng* this, uint32_t n);
/* Standard normal deviate. */
double Rng_normal(Rng* this);
/* Exponential deviate with mean 1. */
double Rng_exponential(Rng* this);

#endif
