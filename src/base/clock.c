/* clock.c: CLOCK_MONOTONIC and CPU-time reads. */
#include "config.h"

#include "base/clock.h"

#include <errno.h>
#include <time.h>

static int64_t clock_read(clockid_t id) {
   struct timespec ts;
   clock_gettime(id, &ts);
   return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

int64_t Clock_now(void) {
   return clock_read(CLOCK_MONOTONIC);
}

int64_t Clock_threadCpu(void) {
   return clock_read(CLOCK_THREAD_CPUTIME_ID);
}

int64_t Clock_processCpu(void) {
   return clock_read(CLOCK_PROCESS_CPUTIME_ID);
}

void Clock_sleepUntil(int64_t t) {
   struct timespec ts = {.tv_sec = (time_t)(t / NS_PER_SEC), .tv_nsec = (long)(t % NS_PER_SEC)};
   clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

int64_t Clock_after(int64_t t, int64_t d) {
   int64_t r;
   if (__builtin_add_overflow(t, d, &r))
      return d > 0 ? INT64_MAX : INT64_MIN;
   return r;
}
