#ifndef KEEPUP_STATS_H
#define KEEPUP_STATS_H
/* stats.h: the two summaries several places take of noisy measurements. */

#include <stddef.h>

/* A least-squares line through points added one by one. */
typedef struct StatsFit {
   double n, sx, sy, sxx, sxy;
} StatsFit;

void Stats_fitAdd(StatsFit* this, double x, double y);
/* The slope of the fitted line; 0 with fewer than two distinct x. */
double Stats_fitSlope(const StatsFit* this);

/* The median of v[0..n) (0 when n is 0); sorts v in place. */
double Stats_median(double* v, size_t n);

#endif
