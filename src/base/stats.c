/* stats.c: least-squares slope and median, for trends and for repeated measurements. */
#include "config.h"

#include "base/stats.h"

#include <stdlib.h>

void Stats_fitAdd(StatsFit* this, double x, double y) {
   this->n += 1;
   this->sx += x;
   this->sy += y;
   this->sxx += x * x;
   this->sxy += x * y;
}

double Stats_fitSlope(const StatsFit* this) {
   double den = this->n * this->sxx - this->sx * this->sx;
   /* equal x leave only rounding error in den: no slope, not a huge one */
   return this->n >= 2 && den > 1e-12 * this->n * this->sxx ? (this->n * this->sxy - this->sx * this->sy) / den : 0;
}

static int stats_cmpDouble(const void* a, const void* b) {
   double x = *(const double*)a, y = *(const double*)b;
   return (x > y) - (x < y);
}

double Stats_median(double* v, size_t n) {
   if (n == 0)
      return 0;
   qsort(v, n, sizeof *v, stats_cmpDouble);
   return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
