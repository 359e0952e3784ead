/* control.c: knob stepping for the dashboard's keys. */
#include "config.h"

#include "ui/control.h"

#include <math.h>

/* About x1.25 a step, all round numbers. */
static const double control_fine[] = {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8};
static const double control_125[] = {1, 2, 5};

double Control_stepSeries(double v, int dir, const double* mantissas, int n, double lo, double hi) {
   if (dir == 0 || !isfinite(v))
      return v;
   /* walk the series around v's decade; compare with a relative tolerance so
    * values that are already on the series move by exactly one step */
   double decade = pow(10, floor(log10(v > 0 ? v : lo)));
   double best = dir > 0 ? hi : lo;
   for (int d = -1; d <= 1; d++) {
      double p = decade * pow(10, d);
      for (int i = 0; i < n; i++) {
         double c = mantissas[i] * p;
         if (dir > 0 && c > v * (1 + 1e-9) && c < best)
            best = c;
         if (dir < 0 && c < v * (1 - 1e-9) && c > best)
            best = c;
      }
   }
   if (best < lo)
      best = lo;
   if (best > hi)
      best = hi;
   return best;
}

uint32_t Control_stepBatch(uint32_t batch, int dir) {
   uint32_t b = 1;
   if (dir > 0) {
      while (b <= batch && b < CONTROL_BATCH_MAX)
         b <<= 1;
      return b > CONTROL_BATCH_MAX ? CONTROL_BATCH_MAX : b;
   }
   if (dir < 0) {
      if (batch <= 1)
         return 1;
      /* the largest power of two below batch */
      while ((b << 1) < batch)
         b <<= 1;
      return b;
   }
   return batch;
}

uint32_t Control_stepThreads(uint32_t threads, int dir) {
   if (dir > 0)
      return threads >= CONTROL_THREADS_MAX ? CONTROL_THREADS_MAX : threads + 1;
   if (dir < 0)
      return threads <= 1 ? 1 : threads - 1;
   return threads;
}

double Control_stepRate(double rate, int dir) {
   return Control_stepSeries(rate, dir, control_fine, 10, CONTROL_RATE_MIN, CONTROL_RATE_MAX);
}

uint64_t Control_stepBurst(uint64_t burst, int dir) {
   double v = Control_stepSeries((double)burst, dir, control_fine, 10, 1, (double)CONTROL_BURST_MAX);
   return (uint64_t)llround(v);
}

uint32_t Control_stepWindow(uint32_t window, int dir) {
   double v = Control_stepSeries((double)window, dir, control_fine, 10, 1, CONTROL_WINDOW_MAX);
   return (uint32_t)lround(v);
}

int64_t Control_stepLinger(int64_t linger_ns, int dir) {
   if (dir > 0 && linger_ns < CONTROL_LINGER_MIN_NS)
      return CONTROL_LINGER_MIN_NS;
   if (dir < 0 && linger_ns <= CONTROL_LINGER_MIN_NS)
      return 0;
   double v = Control_stepSeries((double)linger_ns, dir, control_125, 3, (double)CONTROL_LINGER_MIN_NS,
                                 (double)CONTROL_LINGER_MAX_NS);
   return (int64_t)llround(v);
}

int64_t Control_stepEvery(int64_t every_ns, int dir) {
   double v = Control_stepSeries((double)every_ns, dir, control_125, 3, (double)CONTROL_EVERY_MIN_NS,
                                 (double)CONTROL_EVERY_MAX_NS);
   return (int64_t)llround(v);
}

double Control_stepSpeed(double speed, int dir) {
   if (dir == 0)
      return speed;
   if (!(speed > 0))
      return dir > 0 ? 0 : CONTROL_SPEED_MAX;
   if (dir > 0)
      return speed >= CONTROL_SPEED_MAX ? 0 : fmin(speed * 2, CONTROL_SPEED_MAX);
   return fmax(speed / 2, CONTROL_SPEED_MIN);
}

Overflow Control_stepOverflow(Overflow policy, int dir) {
   int p = (int)policy + (dir < 0 ? -1 : 1);
   if (p < 0)
      p = OVERFLOW_LAST - 1;
   if (p >= OVERFLOW_LAST)
      p = 0;
   return (Overflow)p;
}
