/* clock.h: the one monotonic clock everything is measured with (a seam tests can replace). */
#ifndef KEEPUP_CLOCK_H
#define KEEPUP_CLOCK_H

#include <stdint.h>

#define NS_PER_SEC INT64_C(1000000000)
#define NS_PER_MS INT64_C(1000000)
#define NS_PER_US INT64_C(1000)

/* Nanoseconds on CLOCK_MONOTONIC. */
int64_t Clock_now(void);
/* CPU time of the calling thread, in ns. */
int64_t Clock_threadCpu(void);
/* CPU time of the whole process, in ns. */
int64_t Clock_processCpu(void);
/* t + d, held at INT64_MAX: a schedule may lie centuries ahead (a recording's times are any int64). */
int64_t Clock_after(int64_t t, int64_t d);
/* Sleep until the absolute monotonic time t (ns); returns early on a signal. */
void Clock_sleepUntil(int64_t t);

#endif
