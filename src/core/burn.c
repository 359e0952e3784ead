/* burn.c: spin on real arithmetic against the thread's CPU clock. */
#include "config.h"

#include "core/burn.h"

#include "base/clock.h"

uint64_t Burn_cpu(int64_t ns) {
   if (ns <= 0)
      return 0;
   int64_t end = Clock_threadCpu() + ns;
   uint64_t x = (uint64_t)ns | 1;
   do {
      /* about a microsecond of dependent multiplies between clock reads */
      for (int i = 0; i < 256; i++)
         x = x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
   } while (Clock_threadCpu() < end);
   return x;
}
