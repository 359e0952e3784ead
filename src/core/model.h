/*
 * model.h: the predictions keepup shows beside its measurements, each
 * computed from measured inputs and always labelled as a prediction on
 * screen: the capacity the pipeline can sustain, the utilization, and when
 * the backlog will pass the staleness limit, hit its memory cap, or empty.
 *
 * The capacity model: a worker spends stage_ns of CPU per record plus
 * overhead_ns per hand-off (CPU time: with more busy threads than CPUs the
 * wall time per record grows, the CPU time does not), so one worker on a CPU
 * of its own completes 1e9 / (stage_ns + overhead_ns / batch) records per
 * second. N workers run min(N, the CPUs free for them) of those at once:
 * the machine's CPUs less what the source thread and other processes use.
 * No partition can go faster than one worker, so a partition carrying a
 * share h of all records caps the total at one worker's rate / h.
 */
#ifndef KEEPUP_MODEL_H
#define KEEPUP_MODEL_H

#include <stdint.h>

typedef struct ModelInput {
   double stage_ns;          /* measured stage CPU time per record (all stages, current variants) */
   double overhead_ns;       /* measured hand-off CPU time per hand-off (outside the stages) */
   double batch;             /* records per hand-off */
   uint32_t threads;
   uint32_t ncpu;
   double cpus_free;         /* CPUs the workers can have (0: ncpu) */
   double hot_share;         /* largest share of records in one partition, 0..1 (0: unknown) */
   double arrival_rate;      /* records/s offered */
   double backlog;           /* records waiting in the pipeline */
   double held_back;         /* records offered and not admitted yet */
   double backlog_cap;       /* records; 0: no cap */
   double oldest_age_s;
   double stale_limit_s;
} ModelInput;

typedef struct Forecast {
   double capacity;      /* records/s (0: nothing measured yet) */
   double per_worker;    /* records/s of one worker on a CPU of its own */
   double cpu_ns;        /* CPU time per record */
   double parallel;      /* workers running at once: min(threads, CPUs free) */
   double utilization;   /* arrival / capacity */
   double growth;        /* predicted change of backlog + held back, records/s (arrival - capacity) */
   double t_stale_s;     /* until the oldest record is older than the limit; INFINITY: never; 0: already */
   double t_cap_s;       /* until the backlog reaches its cap; INFINITY: never */
   double t_empty_s;     /* until nothing waits when catching up; INFINITY: not catching up */
} Forecast;

void Model_forecast(const ModelInput* in, Forecast* out);
/* Amdahl's law: overall speedup when a share p of the time gets s times faster (s may be INFINITY). */
double Model_amdahl(double p, double s);

#endif
