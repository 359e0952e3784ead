/*
 * metrics.c: windowed figures as differences of cumulative totals. Totals
 * only grow, so the difference of two is what happened between them, and a
 * reader that misses a tick loses nothing: the next window covers it.
 */
#include "config.h"

#include "engine/metrics.h"

#include <math.h>

#include "base/clock.h"
#include "base/stats.h"

#define METRICS_LONG_SPAN_NS (10 * NS_PER_SEC) /* the long window when bursts do not need more */

/* What every rate needs: counts per second over dt seconds. */
static void metrics_rates(Snapshot* s, const Totals* now, const Totals* ref, double dt) {
   s->in_rate = (double)(now->offered - ref->offered) / dt;
   s->admitted_rate = (double)(now->generated - ref->generated) / dt;
   s->out_rate = (double)(now->completed - ref->completed) / dt;
   s->drop_rate = (double)(now->dropped - ref->dropped) / dt;
   s->backlog_rate = (now->backlog - ref->backlog) / dt;
   s->alert_rate = (double)(now->alerts - ref->alerts) / dt;
   s->cpu_process = (double)(now->cpu_ns - ref->cpu_ns) / 1e9 / dt;
   s->source_cpu = (double)(now->source_cpu_ns - ref->source_cpu_ns) / 1e9 / dt;
   s->others_cpu = now->machine_ns >= 0 && ref->machine_ns >= 0
                       ? fmax(0, (double)(now->machine_ns - ref->machine_ns - (now->cpu_ns - ref->cpu_ns)) / 1e9 / dt)
                       : -1;
}

/* Busy time by the wall and by the CPU clock: the workers' threads' CPU (which can never pass the
 * CPUs), and of the hand-offs timed on both clocks, the share of the stages' wall time the workers
 * had a CPU and the hand-off's own CPU time (its wall time may include sleeping on a lock). */
static void metrics_busy(Snapshot* s, const Totals* now, const Totals* ref, double dt) {
   s->busy_wall = (double)(now->busy_ns - ref->busy_ns) / 1e9 / dt;
   s->busy = (double)(now->worker_cpu_ns - ref->worker_cpu_ns) / 1e9 / dt;
   double wall = (double)(now->smp_stage_wall - ref->smp_stage_wall);
   double cpu = (double)(now->smp_stage_cpu - ref->smp_stage_cpu);
   s->cpu_ratio = wall > 0 ? fmin(1, cpu / wall) : 0;
   uint64_t hands = now->smp_hands - ref->smp_hands;
   s->handoff_cpu_ns = hands ? (double)(now->smp_hand_cpu - ref->smp_hand_cpu) / (double)hands : 0;
}

/* Records per hand-off, and the busy time no stage accounts for, per hand-off (the hand-off's own). */
static void metrics_batches(Snapshot* s, const Totals* now, const Totals* ref, uint64_t stage_ns) {
   uint64_t nb = now->batches - ref->batches;
   uint64_t busy = now->busy_ns - ref->busy_ns;
   s->records_per_batch = nb ? (double)(now->records - ref->records) / (double)nb : 0;
   s->overhead_ns_per_batch = nb && busy > stage_ns ? (double)(busy - stage_ns) / (double)nb : 0;
   s->handoff_share = busy > stage_ns ? (double)(busy - stage_ns) / (double)busy : 0;
   s->mixed_handoffs = now->done_stale > ref->done_stale;
}

/* The busiest partition's share of the records completed: a hot sensor makes one partition the bottleneck. */
static double metrics_hotShare(const Totals* now, const Totals* ref) {
   uint64_t done = 0, top = 0;
   for (uint32_t p = 0; p < QUEUE_PARTITIONS; p++) {
      uint64_t d = now->part_done[p] - ref->part_done[p];
      done += d;
      if (d > top)
         top = d;
   }
   return done ? (double)top / (double)done : 0;
}

static void metrics_stageStat(StageStat* x, uint64_t ns, uint64_t n, uint64_t denom) {
   x->share = denom ? (double)ns / (double)denom : 0;
   x->ns_per_record = n ? (double)ns / (double)n : 0;
}

/* Each partition's and each worker's busy time as a share of the window's wall time. */
static void metrics_perBusy(Snapshot* s, const Totals* now, const Totals* ref, double dt) {
   _Static_assert(SNAPSHOT_PARTITIONS == QUEUE_PARTITIONS, "a snapshot entry per partition");
   _Static_assert(SNAPSHOT_WORKERS >= QUEUE_MAX_WORKERS, "a snapshot entry per worker");
   for (uint32_t p = 0; p < QUEUE_PARTITIONS; p++)
      s->part_busy[p] = (double)(now->part_busy_ns[p] - ref->part_busy_ns[p]) / 1e9 / dt;
   s->n_workers = now->n_workers;
   for (uint32_t w = 0; w < now->n_workers && w < QUEUE_MAX_WORKERS; w++)
      /* a worker started within the window has no earlier total */
      s->worker_busy[w] =
          (double)(now->worker_busy_ns[w] - (w < ref->n_workers ? ref->worker_busy_ns[w] : 0)) / 1e9 / dt;
}

/* Each stage's share of the busy time (the same denominator as the hand-off's), and its cost per record;
 * the same for the stages timed as one chain. */
static void metrics_stages(Snapshot* s, const Totals* now, const Totals* ref, uint64_t stage_ns) {
   uint64_t busy = now->busy_ns - ref->busy_ns;
   uint64_t denom = busy > stage_ns ? busy : stage_ns;
   for (int st = 0; st < STAGE_LAST; st++)
      metrics_stageStat(&s->stage[st], now->stage_ns[st] - ref->stage_ns[st],
                        now->stage_records[st] - ref->stage_records[st], denom);
   metrics_stageStat(&s->chain, now->chain_ns - ref->chain_ns, now->chain_records - ref->chain_records, denom);
}

/* The share past the filter, over the window the stage costs cover (since the start while it saw none). */
static double metrics_passedShare(const Totals* now, const Totals* ref) {
   uint64_t in = now->stage_records[STAGE_FILTER] - ref->stage_records[STAGE_FILTER];
   uint64_t out = now->stage_records[STAGE_NORMALIZE] - ref->stage_records[STAGE_NORMALIZE];
   if (in > 0)
      return (double)out / (double)in;
   in = now->stage_records[STAGE_FILTER];
   out = now->stage_records[STAGE_NORMALIZE];
   return in ? (double)out / (double)in : 1;
}

void Metrics_window(Snapshot* s, const Totals* now, const Totals* ref, Histogram* scratch) {
   double dt = (double)(now->t - ref->t) / 1e9;
   s->window_s = dt;
   uint64_t stage_ns = 0;
   for (int st = 0; st < STAGE_LAST; st++) {
      s->stage[st].ns = now->stage_ns[st];
      s->stage[st].records = now->stage_records[st];
      stage_ns += now->stage_ns[st] - ref->stage_ns[st];
   }
   s->chain.ns = now->chain_ns;
   s->chain.records = now->chain_records;
   stage_ns += now->chain_ns - ref->chain_ns;
   if (dt > 0) {
      metrics_rates(s, now, ref, dt);
      metrics_busy(s, now, ref, dt);
      metrics_batches(s, now, ref, stage_ns);
      s->hot_share = metrics_hotShare(now, ref);
      metrics_perBusy(s, now, ref, dt);
      metrics_stages(s, now, ref, stage_ns);
      Histogram_diff(scratch, &now->latency, &ref->latency);
      Histogram_percentiles(scratch, &s->latency_window);
      Histogram_diff(scratch, &now->alert_delay, &ref->alert_delay);
      Histogram_percentiles(scratch, &s->alert_delay_window);
   }
   Histogram_percentiles(&now->latency, &s->latency_total);
   s->passed_share = metrics_passedShare(now, ref);
}

int64_t Metrics_longSpan(const Knobs* k, int64_t max_ns) {
   int64_t span = METRICS_LONG_SPAN_NS;
   if (k->arrival == ARRIVAL_BURST && k->every_ns * 5 / 2 > span)
      span = k->every_ns * 5 / 2;
   return span < max_ns ? span : max_ns;
}

void Metrics_longPush(LongWindow* w, const Totals* now) {
   w->ring[w->head] = (LongSample){now->t, now->offered, now->completed, now->backlog};
   w->head = (w->head + 1) % w->cap;
   if (w->n < w->cap)
      w->n++;
}

void Metrics_long(Snapshot* s, const LongWindow* w, int64_t max_ns) {
   int64_t span = Metrics_longSpan(&s->knobs, max_ns);
   s->long_span_ns = span;
   if (w->n == 0)
      return;
   const LongSample* now = &w->ring[(w->head + w->cap - 1) % w->cap];
   /* take the samples within span, newest backwards */
   StatsFit fit = {0};
   const LongSample* first = NULL;
   for (uint32_t i = 0; i < w->n; i++) {
      const LongSample* x = &w->ring[(w->head + w->cap - 1 - i) % w->cap];
      if (now->t - x->t > span)
         break;
      Stats_fitAdd(&fit, (double)(x->t - now->t) / 1e9, x->backlog);
      first = x;
   }
   if (!first || first->t >= now->t)
      return;
   double dt = (double)(now->t - first->t) / 1e9;
   s->long_window_s = dt;
   s->in_rate_long = (double)(now->offered - first->offered) / dt;
   s->out_rate_long = (double)(now->completed - first->completed) / dt;
   s->backlog_trend = Stats_fitSlope(&fit);
}

double Metrics_backlogCap(const Snapshot* s) {
   const Knobs* k = &s->knobs;
   double per =
       s->backlog_records > 0 && s->backlog_bytes > 0 ? (double)s->backlog_bytes / (double)s->backlog_records : 0;
   if (k->overflow == OVERFLOW_GROW)
      return per > 0 ? (double)k->safety_cap_bytes / per : 0;
   if (k->max_backlog_records)
      return (double)k->max_backlog_records;
   return per > 0 ? (double)k->max_backlog_bytes / per : 0;
}
