/*
 * bench_queue.c: what a hand-off costs.
 *
 *   wake-up   the physical reference: one thread wakes another through a
 *             mutex and a condition variable (the queue's own primitives),
 *             one-way time = half a ping-pong round trip;
 *   queue     push + claim + complete of one-record batches on one thread:
 *             the queue's bookkeeping per batch, without any waiting;
 *   latency   the whole engine at low load (2,000 records/s, batch 1, linger
 *             0, one worker, optimized stages): end-to-end latency from the
 *             time a record should arrive to its completion, p50 and p99,
 *             sleeping threads against --spin 1ms (longer than the 500 us between records).
 * Medians of several runs, all in the same run of this program.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/clock.h"
#include "engine/engine.h"
#include "engine/queue.h"
#include "core/sim.h"
#include "base/stats.h"
#include "base/sysinfo.h"

#define REPEAT 5

typedef struct PingPong {
   pthread_mutex_t lock;
   pthread_cond_t cond;
   int turn; /* 0: main's, 1: the other's, -1: stop */
} PingPong;

static void* pong_main(void* arg) {
   PingPong* p = arg;
   pthread_mutex_lock(&p->lock);
   for (;;) {
      while (p->turn == 0)
         pthread_cond_wait(&p->cond, &p->lock);
      if (p->turn < 0)
         break;
      p->turn = 0;
      pthread_cond_signal(&p->cond);
   }
   pthread_mutex_unlock(&p->lock);
   return NULL;
}

/* One-way wake-up time in ns (half a round trip), median over rounds. */
static double bench_wakeup(int rounds) {
   PingPong p = {.turn = 0};
   pthread_mutex_init(&p.lock, NULL);
   pthread_cond_init(&p.cond, NULL);
   pthread_t t;
   pthread_create(&t, NULL, pong_main, &p);
   double* v = malloc((size_t)rounds * sizeof *v);
   for (int i = 0; i < rounds; i++) {
      int64_t t0 = Clock_now();
      pthread_mutex_lock(&p.lock);
      p.turn = 1;
      pthread_cond_signal(&p.cond);
      while (p.turn == 1)
         pthread_cond_wait(&p.cond, &p.lock);
      pthread_mutex_unlock(&p.lock);
      v[i] = (double)(Clock_now() - t0) / 2;
   }
   pthread_mutex_lock(&p.lock);
   p.turn = -1;
   pthread_cond_signal(&p.cond);
   pthread_mutex_unlock(&p.lock);
   pthread_join(t, NULL);
   double m = Stats_median(v, (size_t)rounds);
   free(v);
   return m;
}

/* ns per push + claim + complete of a one-record batch. */
static double bench_queueCycle(int n) {
   Queue q;
   Queue_init(&q, OVERFLOW_BLOCK, 0, 0, 0);
   static const uint64_t none[FILTER_LAST] = {0};
   int64_t t0 = Clock_now();
   for (int i = 0; i < n; i++) {
      Batch* b = Batch_new(1, (uint32_t)i % QUEUE_PARTITIONS);
      b->rec[0] = (Record){.t_arrival = i};
      b->n = 1;
      atomic_fetch_add(&q.pending, 1);
      Queue_push(&q, b, 0);
      Batch* c = Queue_claim(&q, 0);
      Queue_complete(&q, 0, c, 1, none);
      Batch_delete(c);
   }
   double ns = (double)(Clock_now() - t0) / n;
   Queue_done(&q);
   return ns;
}

/* Latency percentiles (ns) of a low-load engine run. */
static void bench_latency(int64_t spin, double* p50, double* p99) {
   Setup o;
   Setup_init(&o);
   o.knobs.arrival = ARRIVAL_STEADY;
   o.knobs.rate = 2000;
   o.knobs.batch = 1;
   o.knobs.linger_ns = 0;
   o.knobs.threads = 1;
   o.spin_ns = spin;
   for (int s = 0; s < STAGE_LAST; s++)
      o.knobs.variant[s] = VARIANT_OPTIMIZED;
   PipelineParams params;
   Sim_params(&o, &params);
   EngineSetup setup = {.knobs = o.knobs, .spin_ns = o.spin_ns, .generator = Sim_new(&o), .params = &params, .output_fd = -1};
   Engine* e = Engine_new(&setup);
   Histogram* h0 = malloc(sizeof *h0);
   Histogram* h1 = malloc(sizeof *h1);
   Engine_start(e);
   Clock_sleepUntil(Clock_now() + 300 * NS_PER_MS);
   Engine_latency(e, h0);
   Clock_sleepUntil(Clock_now() + 2 * NS_PER_SEC);
   Engine_latency(e, h1);
   Histogram_diff(h0, h1, h0);
   *p50 = (double)Histogram_quantile(h0, 0.5);
   *p99 = (double)Histogram_quantile(h0, 0.99);
   Engine_stop(e, false, 0);
   Engine_delete(e);
   Sim_freeParams(&params);
   free(h0);
   free(h1);
}

int main(void) {
   double wake[REPEAT], cycle[REPEAT];
   for (int r = 0; r < REPEAT; r++) {
      wake[r] = bench_wakeup(20000);
      cycle[r] = bench_queueCycle(200000);
   }
   double w = Stats_median(wake, REPEAT), c = Stats_median(cycle, REPEAT);
   printf("hand-off: median of %d runs, %u CPUs\n", REPEAT, Sysinfo_cpuCount());
   printf("  thread wake-up (mutex + condvar, one way)   %8.0f ns   (the physical reference)\n", w);
   printf("  queue push + claim + complete, one batch   %8.0f ns   (no waiting)\n", c);
   int64_t spins[] = {0, NS_PER_MS};
   for (size_t i = 0; i < 2; i++) {
      double a[3], b[3];
      for (int r = 0; r < 3; r++)
         bench_latency(spins[i], &a[r], &b[r]);
      double p50 = Stats_median(a, 3), p99 = Stats_median(b, 3);
      printf("  end-to-end latency, 2k rec/s, batch 1, %-11s p50 %8.0f ns (%5.1fx wake-up)  p99 %8.0f ns\n",
             spins[i] ? "spin 1ms:" : "no spin:", p50, p50 / w, p99);
   }
   return 0;
}
