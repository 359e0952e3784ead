/*
 * bench_memory.c: what a queued record costs in memory.
 *
 * The real engine path: the source seals batches as it does in any run, while
 * the one worker is held back by a large simulated stage cost, so nearly every
 * record stays queued. Reported per batch size: the queue's own accounting
 * (batch bytes / queued records) and the process RSS growth per queued record,
 * for a backlog of 10 million records (the target: at most a quarter over the
 * record itself, 40 bytes for a 32-byte record, batch overhead included, at
 * batch >= 64).
 *
 * Then --layout boxed at batch 256, for a tenth of the records (each boxed record takes about 8 times the
 * memory), with the ratio of its RSS per record to packed's at the same batch.
 *
 * Each row runs in a fresh process (this program runs itself again), so
 * memory freed by one measurement cannot hide the next one's growth.
 *
 * Usage: bench_memory [records]   (default 10,000,000)
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/sysinfo.h"
#include "core/boxed.h"
#include "core/setup.h"
#include "engine/engine.h"

/* bytes per queued record, batch overhead included: the record plus a quarter */
#define BENCH_MEMORY_TARGET (1.25 * (double)sizeof(Record))

typedef struct FlatGen {
   Generator base;
   uint64_t n, i;
} FlatGen;

static bool flat_next(Generator* g, Record* out) {
   FlatGen* f = (FlatGen*)g;
   if (f->i >= f->n)
      return false;
   out->sensor = (uint32_t)(f->i % 64);
   out->value = (double)f->i;
   out->t_arrival = GENERATOR_ASAP;
   f->i++;
   return true;
}

static void flat_destroy(Generator* g) {
   free(g);
}

static const GeneratorOps flat_ops = {.next = flat_next, .destroy = flat_destroy};

static long rss_kb(void) {
   return (long)(Sysinfo_rss() / 1024);
}

/* One measurement in this process; returns the accounted bytes per queued record. */
static double measure(uint64_t n, uint32_t batch, RecordLayout layout) {
   uint64_t m = batch == 1 || layout == LAYOUT_BOXED ? n / 10 : n; /* 10M one-record batches would take long to
                                                                     * seal; 10M boxed records take 2.5 GB */
   Setup o;
   Setup_init(&o);
   o.knobs.batch = batch;
   o.knobs.linger_ns = 10 * NS_PER_SEC;
   o.knobs.overflow = OVERFLOW_GROW;
   o.knobs.layout = layout;
   o.knobs.stage_cost_ns[STAGE_FILTER] = NS_PER_MS; /* the worker crawls: the backlog stays */
   PipelineParams p = {.id_space = 64, .valid_lo = -1e300, .valid_hi = 1e300, .window = 10,
                       .threshold = 4, .cache_capacity = 64};
   FlatGen* g = calloc(1, sizeof *g);
   g->base.ops = &flat_ops;
   g->n = m;
   long rss0 = rss_kb();
   EngineSetup setup = {.knobs = o.knobs, .spin_ns = o.spin_ns, .generator = &g->base, .params = &p, .output_fd = -1};
   Engine* e = Engine_new(&setup);
   Engine_start(e);
   Snapshot s;
   uint64_t seq = 0;
   do {
      seq = Engine_waitSnapshot(e, seq, ENGINE_TICK_NS);
      Engine_snapshot(e, &s);
   } while (!s.source_done && s.generated < m);
   seq = Engine_waitSnapshot(e, seq, 2 * ENGINE_TICK_NS);
   Engine_snapshot(e, &s);
   long rss1 = rss_kb();
   double acct = s.backlog_records ? (double)s.backlog_bytes / (double)s.backlog_records : 0;
   double real = s.backlog_records ? (double)(rss1 - rss0) * 1024 / (double)s.backlog_records : 0;
   printf("%6s %6u %14llu %14.1f %12.1f %12.1f\n", RecordLayout_names[layout], batch,
          (unsigned long long)s.backlog_records, acct, (double)rss1 / 1024, real);
   fflush(stdout);
   Engine_setStageCost(e, STAGE_FILTER, 0);
   Engine_stop(e, false, 0);
   Engine_delete(e);
   return acct;
}

/* Run one row in a fresh process: this program with the records, the batch and the layout; its line is
 * printed, and its RSS bytes per record kept in *rss. Nonzero when it missed its target or failed. */
static int child(const char* self, uint64_t n, uint32_t batch, RecordLayout layout, double* rss) {
   char cmd[4096], line[256];
   snprintf(cmd, sizeof cmd, "'%s' %llu %u %d", self, (unsigned long long)n, batch, (int)layout);
   FILE* f = popen(cmd, "r");
   if (!f)
      return 1;
   *rss = 0;
   while (fgets(line, sizeof line, f)) {
      fputs(line, stdout);
      const char* last = strrchr(line, ' ');
      if (last)
         *rss = atof(last + 1);
   }
   fflush(stdout);
   return pclose(f) != 0;
}

int main(int argc, char** argv) {
   uint64_t n = argc > 1 ? (uint64_t)atof(argv[1]) : 10000000;
   if (argc > 3) { /* a child: one batch size in one layout */
      RecordLayout layout = (RecordLayout)atoi(argv[3]);
      double acct = measure(n, (uint32_t)atoi(argv[2]), layout);
      return layout == LAYOUT_PACKED && acct > BENCH_MEMORY_TARGET && atoi(argv[2]) >= 64;
   }
   static const uint32_t batches[] = {1, 16, 64, 256, 1024};
   int status = 0;
   double rss[2] = {0, 0}, any;
   printf("memory per queued record, %llu records queued (%zu-byte records; boxed: a tenth), one process per row\n",
          (unsigned long long)n, sizeof(Record));
   printf("%6s %6s %14s %14s %12s %12s\n", "layout", "batch", "queued", "batch B/rec", "RSS MB", "RSS B/rec");
   fflush(stdout);
   for (size_t k = 0; k < sizeof batches / sizeof batches[0]; k++)
      status |= child(argv[0], n, batches[k], LAYOUT_PACKED, batches[k] == 256 ? &rss[0] : &any);
   status |= child(argv[0], n, 256, LAYOUT_BOXED, &rss[1]);
   printf("target: at most %.0f bytes per queued record packed at batch >= 64: %s\n", BENCH_MEMORY_TARGET,
          status ? "MISSED" : "met");
   printf("boxed against packed at batch 256, by the RSS: %.1f / %.1f bytes a queued record = %.2fx (the queue counts "
          "%llu boxed: glibc's chunks and the pointer)\n",
          rss[1], rss[0], rss[0] > 0 ? rss[1] / rss[0] : 0, (unsigned long long)Boxed_queuedBytes());
   return status;
}
