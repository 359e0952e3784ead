/*
 * control.h: the steps the dashboard's keys take through each knob's values
 * (no curses, no engine): batch sizes by powers of two, threads one by one,
 * rates, bursts and windows through a fine series of round numbers (about
 * x1.25 a step, so the tipping point can be found), durations through 1-2-5.
 * Every step is clamped to the range the command line accepts.
 */
#ifndef KEEPUP_UI_CONTROL_H
#define KEEPUP_UI_CONTROL_H

#include <stdint.h>

#include "app/options.h"

/* The knobs the arrow keys walk through, in screen order. */
typedef enum KnobRow {
   ROW_BATCH,
   ROW_LINGER,
   ROW_THREADS,
   ROW_RATE,  /* the rate, or the burst size under --arrival burst */
   ROW_EVERY, /* burst period; only under --arrival burst */
   ROW_WINDOW,
   ROW_OVERFLOW,
   ROW_LAST
} KnobRow;

#define CONTROL_BATCH_MAX     65536u
#define CONTROL_THREADS_MAX   64u
#define CONTROL_RATE_MIN      1.0
#define CONTROL_RATE_MAX      1e9
#define CONTROL_BURST_MAX     UINT64_C(100000000)
#define CONTROL_WINDOW_MAX    100000u
#define CONTROL_LINGER_MIN_NS INT64_C(100000) /* the smallest step above 0 */
#define CONTROL_LINGER_MAX_NS INT64_C(10000000000)
#define CONTROL_EVERY_MIN_NS  INT64_C(1000000)
#define CONTROL_EVERY_MAX_NS  INT64_C(3600000000000)
#define CONTROL_SPEED_MIN     (1.0 / 64)
#define CONTROL_SPEED_MAX     8192.0 /* doubling beyond it gives max (0) */

/* dir > 0 up, dir < 0 down; the result stays in range (unchanged at an end). */
uint32_t Control_stepBatch(uint32_t batch, int dir);
uint32_t Control_stepThreads(uint32_t threads, int dir);
double Control_stepRate(double rate, int dir);
uint64_t Control_stepBurst(uint64_t burst, int dir);
uint32_t Control_stepWindow(uint32_t window, int dir);
/* 0, then 100 us, 200 us, 500 us, 1 ms, ... 10 s. */
int64_t Control_stepLinger(int64_t linger_ns, int dir);
/* 1 ms, 2 ms, 5 ms, ... 1 h. */
int64_t Control_stepEvery(int64_t every_ns, int dir);
/* Replay speed halved (dir < 0) or doubled (dir > 0); 0 is "as fast as possible": doubling the
 * largest speed gives it, halving it gives the largest speed. */
double Control_stepSpeed(double speed, int dir);
/* The next policy in block, drop-oldest, drop-newest, grow (dir < 0: the previous), wrapping. */
Overflow Control_stepOverflow(Overflow policy, int dir);
/* The next value of a round-number series: mantissas (ascending, in [1, 10)) times powers of ten. */
double Control_stepSeries(double v, int dir, const double* mantissas, int n, double lo, double hi);

#endif
