/*
 * burn.h: simulated cost as real CPU work. --dispatch-cost and --stage-cost
 * must load the CPU the way real work does (so that threads compete for
 * cores as they would), so the time is spent computing, never sleeping, and
 * it is measured on the thread's own CPU clock: a thread that is descheduled
 * does not get its simulated work done for free.
 */
#ifndef KEEPUP_BURN_H
#define KEEPUP_BURN_H

#include <stdint.h>

/* Compute until the calling thread has used ns of CPU time; returns a value
 * derived from the work so the compiler cannot drop it. */
uint64_t Burn_cpu(int64_t ns);

#endif
