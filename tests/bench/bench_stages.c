/*
 * bench_stages.c: what each stage costs, naive against optimized, in ns per
 * record, at the sizes where the difference shows:
 *   filter     allowlist 16, 1,000, 10,000 (half the records allowed)
 *   normalize  calibration table of 64 and 1,000 entries
 *   enrich     64 and 1,000 sensors through a 256-entry cache
 *   feature    W = 10, 100, 1,000, 10,000 (64 sensors, windows full)
 *   score      W = 100
 *   format     batch 64, 1,024, 16,384
 * and the whole chain at the simulator's defaults. The stages before the one
 * measured run untimed (optimized) to give it its input, as in the engine.
 * Each figure is the median of REPEAT runs; ratios are taken in the same run.
 * Stage calls are timed in thread CPU time (less the cost of reading that
 * clock, measured at start), so that other processes on a shared machine do
 * not inflate the figures; a quiet machine gives the same figures in wall time.
 * The exit status is 1 when a target of the stages issue is missed.
 *
 * Usage: bench_stages [quick]   (quick: shorter runs, for a smoke test)
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "core/boxed.h"
#include "core/record.h"
#include "core/knobs.h"
#include "core/stages/chain.h"
#include "core/stages/stage.h"
#include "base/stats.h"

#define REPEAT 5

static int64_t bench_min_ns = 60 * NS_PER_MS; /* per run */
static int bench_missed = 0;
static int64_t bench_clock_cost = 0; /* ns one Clock_threadCpu pair adds to a measurement */

static uint64_t bench_rng = 42;

static uint64_t bench_random(void) {
   uint64_t z = (bench_rng += UINT64_C(0x9E3779B97F4A7C15));
   z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
   z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
   return z ^ (z >> 31);
}

static double bench_unit(void) {
   return (double)(bench_random() >> 11) * 0x1p-53;
}

/* A workload: records of `sensors` emitting ids, cut into batches. */
typedef struct Load {
   Batch** batch;
   uint32_t n_batch;
   uint64_t records;
} Load;

/* Records from the given sensor ids (uniformly), values around a per-sensor
 * baseline with noise and now and then a spike. */
static Load load_make(const uint32_t* ids, uint32_t n_ids, uint32_t batch, uint64_t records) {
   Load l;
   l.n_batch = (uint32_t)((records + batch - 1) / batch);
   l.batch = calloc(l.n_batch, sizeof(Batch*));
   l.records = 0;
   int64_t t = 0;
   for (uint32_t b = 0; b < l.n_batch; b++) {
      Batch* bt = Batch_new(batch, 0);
      for (uint32_t i = 0; i < batch && l.records < records; i++, l.records++) {
         uint32_t s = ids[bench_random() % n_ids];
         double base = 20.0 + (double)(s % 97) * 3.7;
         double v = base + (bench_unit() - 0.5) * 2.0;
         if (bench_random() % 2000 == 0)
            v += 40.0;
         t += 5000;
         bt->rec[bt->n++] = (Record){.t_arrival = t, .value = v, .sensor = s, .seq = (uint32_t)l.records};
      }
      l.batch[b] = bt;
   }
   return l;
}

static void load_free(Load* l) {
   for (uint32_t b = 0; b < l->n_batch; b++)
      Batch_delete(l->batch[b]);
   free(l->batch);
}

static const Variant all_optimized[STAGE_LAST] = {VARIANT_OPTIMIZED, VARIANT_OPTIMIZED, VARIANT_OPTIMIZED,
                                                  VARIANT_OPTIMIZED, VARIANT_OPTIMIZED, VARIANT_OPTIMIZED};

/* One run: ns per record of `stage` in variant v, over the load at least once
 * and for at least bench_min_ns of stage time. */
static double run_stage(Pipeline* p, Work* w, const Load* l, int stage, Variant v) {
   int64_t ns = 0;
   uint64_t records = 0;
   for (uint32_t i = 0; i < l->n_batch || ns < bench_min_ns; i++) {
      const Batch* b = l->batch[i % l->n_batch];
      Work_begin(w, p, b->n);
      for (int s = 0; s < stage; s++)
         Stage_table[s].run[VARIANT_OPTIMIZED](p, w, b);
      uint32_t n = stage == STAGE_FILTER ? b->n : w->nrows;
      int64_t t0 = Clock_threadCpu();
      Stage_table[stage].run[v](p, w, b);
      int64_t t = Clock_threadCpu() - t0 - bench_clock_cost;
      ns += t > 0 ? t : 0;
      records += n;
   }
   return (double)ns / (double)records;
}

/* Both variants of a stage, each on its own pipeline warmed by warm_batches
 * untimed batches through the optimized chain (windows full, caches warm);
 * their REPEAT runs alternate, so that a change in the machine's load
 * touches both alike. out[v] gets the median of variant v's runs. */
static void measure(const PipelineParams* params, const Load* l, int stage, uint32_t warm_batches,
                    double out[VARIANT_LAST]) {
   Pipeline* p[VARIANT_LAST];
   Work w[VARIANT_LAST];
   for (int v = 0; v < VARIANT_LAST; v++) {
      p[v] = Pipeline_new(params);
      Work_init(&w[v], p[v]);
      for (uint32_t i = 0; i < warm_batches; i++)
         Pipeline_runAll(p[v], &w[v], l->batch[i % l->n_batch], all_optimized);
   }
   double runs[VARIANT_LAST][REPEAT];
   for (int r = 0; r < REPEAT; r++)
      for (int v = 0; v < VARIANT_LAST; v++)
         runs[v][r] = run_stage(p[v], &w[v], l, stage, (Variant)v);
   for (int v = 0; v < VARIANT_LAST; v++) {
      out[v] = Stats_median(runs[v], REPEAT);
      Work_done(&w[v]);
      Pipeline_delete(p[v]);
   }
}

static PipelineParams params_default(uint32_t id_space) {
   return (PipelineParams){
      .id_space = id_space,
      .valid_lo = -1e9,
      .valid_hi = 1e9,
      .window = 100,
      .threshold = 4,
      .cache_capacity = 256,
      .enrich_work = KEEPUP_ENRICH_WORK_DEFAULT,
   };
}

/* Prints one row; with target > 0, the ratio must reach it. */
static void row(const char* stage, const char* size, double naive, double optimized, double target) {
   double ratio = naive / optimized;
   const char* verdict = "";
   if (target > 0) {
      verdict = ratio >= target ? "  (target >= " : "  MISSED (target >= ";
      bench_missed += ratio < target;
   }
   printf("%-10s %-22s %14.1f %14.1f %10.1fx", stage, size, naive, optimized, ratio);
   if (target > 0)
      printf("%s%gx)", verdict, target);
   printf("\n");
   fflush(stdout);
}

static uint32_t* ids_range(uint32_t n) {
   uint32_t* ids = malloc(n * sizeof(uint32_t));
   for (uint32_t i = 0; i < n; i++)
      ids[i] = i;
   return ids;
}

static void bench_filter(void) {
   const uint32_t sizes[] = {16, 1000, 10000};
   for (int k = 0; k < 3; k++) {
      uint32_t K = sizes[k], space = 2 * K;
      /* the allowlist: every other id of the space, in shuffled order */
      uint32_t* allow = malloc(K * sizeof(uint32_t));
      for (uint32_t i = 0; i < K; i++)
         allow[i] = 2 * i;
      for (uint32_t i = K; i > 1; i--) {
         uint32_t j = (uint32_t)(bench_random() % i), tmp = allow[i - 1];
         allow[i - 1] = allow[j];
         allow[j] = tmp;
      }
      uint32_t* ids = ids_range(space);
      Load l = load_make(ids, space, 1024, 64 * 1024);
      PipelineParams params = params_default(space);
      params.allow = allow;
      params.n_allow = K;
      char size[32];
      snprintf(size, sizeof size, "allowlist %u", K);
      double ns[VARIANT_LAST];
      measure(&params, &l, STAGE_FILTER, 0, ns);
      double naive = ns[VARIANT_NAIVE], opt = ns[VARIANT_OPTIMIZED];
      row("filter", size, naive, opt, K == 10000 ? 50 : 0);
      load_free(&l);
      free(ids);
      free(allow);
   }
}

static void bench_normalize(void) {
   const uint32_t sizes[] = {64, 1000};
   for (int k = 0; k < 2; k++) {
      uint32_t n = sizes[k];
      CalEntry* cal = malloc(n * sizeof(CalEntry));
      for (uint32_t i = 0; i < n; i++)
         cal[i] = (CalEntry){n - 1 - i, (double)i * 0.5, 1.0 + (double)i * 1e-3};
      uint32_t* ids = ids_range(n);
      Load l = load_make(ids, n, 1024, 64 * 1024);
      PipelineParams params = params_default(n);
      params.cal = cal;
      params.n_cal = n;
      char size[32];
      snprintf(size, sizeof size, "calibration %u", n);
      double ns[VARIANT_LAST];
      measure(&params, &l, STAGE_NORMALIZE, 0, ns);
      double naive = ns[VARIANT_NAIVE], opt = ns[VARIANT_OPTIMIZED];
      row("normalize", size, naive, opt, 0);
      load_free(&l);
      free(ids);
      free(cal);
   }
}

static void bench_enrich(void) {
   const uint32_t sensors[] = {64, 1000};
   for (int k = 0; k < 2; k++) {
      uint32_t* ids = ids_range(sensors[k]);
      Load l = load_make(ids, sensors[k], 1024, 32 * 1024);
      PipelineParams params = params_default(sensors[k]);
      char size[40];
      snprintf(size, sizeof size, "%u sensors, cache 256", sensors[k]);
      double ns[VARIANT_LAST];
      measure(&params, &l, STAGE_ENRICH, 0, ns);
      double naive = ns[VARIANT_NAIVE], opt = ns[VARIANT_OPTIMIZED];
      row("enrich", size, naive, opt, 0);
      load_free(&l);
      free(ids);
   }
}

static void bench_feature(void) {
   const uint32_t windows[] = {10, 100, 1000, 10000};
   uint32_t* ids = ids_range(64);
   Load l = load_make(ids, 64, 1024, 64 * 1024);
   for (int k = 0; k < 4; k++) {
      uint32_t W = windows[k];
      PipelineParams params = params_default(64);
      params.window = W;
      /* enough batches to fill every sensor's window before timing */
      uint32_t warm = (uint32_t)((uint64_t)W * 64 * 2 / 1024 + 1);
      char size[32];
      snprintf(size, sizeof size, "W = %u", W);
      double ns[VARIANT_LAST];
      measure(&params, &l, STAGE_FEATURE, warm, ns);
      double naive = ns[VARIANT_NAIVE], opt = ns[VARIANT_OPTIMIZED];
      row("feature", size, naive, opt, W == 1000 ? 100 : 0);
   }
   load_free(&l);
   free(ids);
}

static void bench_score(void) {
   uint32_t* ids = ids_range(64);
   Load l = load_make(ids, 64, 1024, 64 * 1024);
   PipelineParams params = params_default(64);
   double ns[VARIANT_LAST];
   measure(&params, &l, STAGE_SCORE, 20, ns);
   double naive = ns[VARIANT_NAIVE], opt = ns[VARIANT_OPTIMIZED];
   row("score", "W = 100", naive, opt, 0);
   load_free(&l);
   free(ids);
}

static void bench_format(void) {
   const uint32_t batches[] = {64, 1024, 16384};
   uint32_t* ids = ids_range(64);
   for (int k = 0; k < 3; k++) {
      uint32_t B = batches[k];
      Load l = load_make(ids, 64, B, B > 4096 ? B : 64 * 1024);
      PipelineParams params = params_default(64);
      char size[32];
      snprintf(size, sizeof size, "batch %u", B);
      double ns[VARIANT_LAST];
      measure(&params, &l, STAGE_FORMAT, 10, ns);
      double naive = ns[VARIANT_NAIVE], opt = ns[VARIANT_OPTIMIZED];
      row("format", size, naive, opt, B == 16384 ? 100 : 0);
      load_free(&l);
   }
   free(ids);
}

/* The simulator's defaults: 64 sensors among 1,000 allowed ids of 10,000, calibrated, W = 100, cache 256. */
typedef struct ChainSetup {
   uint32_t* allow;
   uint32_t ids[64];
   CalEntry cal[64];
   PipelineParams params;
} ChainSetup;

static void chain_setup(ChainSetup* c) {
   const uint32_t space = 10000, K = 1000;
   c->allow = malloc(K * sizeof(uint32_t));
   for (uint32_t i = 0; i < K; i++)
      c->allow[i] = (i * 7919u) % space;
   for (uint32_t i = 0; i < 64; i++)
      c->ids[i] = c->allow[(i * 13u) % K];
   for (uint32_t i = 0; i < 64; i++)
      c->cal[i] = (CalEntry){c->ids[i], 10.0 + i, 0.5 + (double)i * 0.01};
   c->params = params_default(space);
   c->params.allow = c->allow;
   c->params.n_allow = K;
   c->params.cal = c->cal;
   c->params.n_cal = 64;
}

/* One run of the whole chain in one dispatch and layout: ns per record the filter took in. Boxed: each batch's
 * records are boxed afresh before it is timed (the source does that), and the time counts what a worker does:
 * reading each record's fields by name into its rows, then the stages through the map. */
static double run_dispatch(Pipeline* p, Work* w, const Load* l, Dispatch d, RecordLayout layout, Batch* view) {
   _Atomic int variant[STAGE_LAST];
   for (int s = 0; s < STAGE_LAST; s++)
      atomic_init(&variant[s], VARIANT_OPTIMIZED);
   uint32_t in[STAGE_LAST];
   int64_t ns = 0;
   uint64_t records = 0;
   BoxedRecord** box = malloc(((size_t)view->cap + 1) * sizeof *box);
   for (uint32_t i = 0; i < l->n_batch || ns < bench_min_ns; i++) {
      const Batch* b = l->batch[i % l->n_batch];
      if (layout == LAYOUT_BOXED)
         for (uint32_t k = 0; k < b->n; k++)
            box[k] = BoxedRecord_new(&b->rec[k]);
      int64_t t0 = Clock_threadCpu();
      if (layout == LAYOUT_BOXED) {
         for (uint32_t k = 0; k < b->n; k++)
            view->rec[k] = BoxedRecord_record(box[k]);
         view->n = b->n;
         b = view;
      }
      Work_begin(w, p, b->n);
      w->box = layout == LAYOUT_BOXED ? box : NULL;
      if (d == DISPATCH_BATCH)
         for (int s = 0; s < STAGE_LAST; s++)
            Boxed_runStage(p, w, b, (StageId)s, VARIANT_OPTIMIZED);
      else if (d == DISPATCH_RECORD)
         Chain_runRecords(p, w, b, variant, in);
      else
         Chain_runFused(p, w, b, in);
      int64_t t = Clock_threadCpu() - t0 - bench_clock_cost;
      w->box = NULL;
      if (layout == LAYOUT_BOXED)
         for (uint32_t k = 0; k < b->n; k++)
            BoxedRecord_delete(box[k]);
      ns += t > 0 ? t : 0;
      records += b->n;
   }
   free(box);
   return (double)ns / (double)records;
}

/* The three shapes of --dispatch over the whole optimized chain in both layouts, each on its own warmed
 * pipeline, their runs alternating: ns per record and the ratio to batch over packed records. */
static void bench_dispatch(void) {
   ChainSetup c;
   chain_setup(&c);
   Load l = load_make(c.ids, 64, 256, 64 * 1024);
   Batch* view = Batch_new(256, 0);
   enum { SHAPES = DISPATCH_LAST * LAYOUT_LAST };
   Pipeline* p[SHAPES];
   Work w[SHAPES];
   double runs[SHAPES][REPEAT];
   for (int k = 0; k < SHAPES; k++) {
      p[k] = Pipeline_new(&c.params);
      Work_init(&w[k], p[k]);
      for (uint32_t i = 0; i < 300; i++)
         Pipeline_runAll(p[k], &w[k], l.batch[i % l.n_batch], all_optimized);
   }
   for (int r = 0; r < REPEAT; r++)
      for (int k = 0; k < SHAPES; k++)
         runs[k][r] = run_dispatch(p[k], &w[k], &l, (Dispatch)(k % DISPATCH_LAST), (RecordLayout)(k / DISPATCH_LAST), view);
   printf("\n--dispatch and --layout, all six stages optimized, the same load, batch 256 (ns per record, ratio to "
          "batch over packed records):\n");
   double batch = Stats_median(runs[DISPATCH_BATCH], REPEAT);
   for (int k = 0; k < SHAPES; k++) {
      double ns = Stats_median(runs[k], REPEAT);
      char name[32];
      snprintf(name, sizeof name, "%s %s", Dispatch_names[k % DISPATCH_LAST], RecordLayout_names[k / DISPATCH_LAST]);
      printf("dispatch   %-22s %14.1f %25.2fx\n", name, ns, ns / batch);
      Work_done(&w[k]);
      Pipeline_delete(p[k]);
   }
   Batch_delete(view);
   fflush(stdout);
   load_free(&l);
   free(c.allow);
}

/* The whole chain at the simulator's defaults: 64 sensors among 1,000
 * allowed ids of 10,000, calibrated, W = 100, cache 256, batch 256. */
static void bench_chain(void) {
   ChainSetup c;
   chain_setup(&c);
   Load l = load_make(c.ids, 64, 256, 64 * 1024);

   double stage_ns[VARIANT_LAST][STAGE_LAST];
   for (int s = 0; s < STAGE_LAST; s++) {
      double ns[VARIANT_LAST];
      measure(&c.params, &l, s, 300, ns);
      for (int v = 0; v < VARIANT_LAST; v++)
         stage_ns[v][s] = ns[v];
   }
   printf("\nwhole chain, 64 sensors, allowlist 1000 of 10000 ids, calibration 64, W = 100, cache 256, batch 256:\n");
   double first5[VARIANT_LAST] = {0, 0};
   for (int s = 0; s < STAGE_LAST; s++) {
      row(Stage_table[s].name, "chain", stage_ns[0][s], stage_ns[1][s], 0);
      if (s < STAGE_FORMAT)
         for (int v = 0; v < VARIANT_LAST; v++)
            first5[v] += stage_ns[v][s];
   }
   row("chain", "first five stages", first5[0], first5[1], 0);
   row("chain", "all six stages", first5[0] + stage_ns[0][STAGE_FORMAT], first5[1] + stage_ns[1][STAGE_FORMAT], 0);
   bool ok5 = first5[1] <= 40.0, okf = stage_ns[1][STAGE_FORMAT] <= 100.0;
   printf("optimized first five stages: %.1f ns/record (%s target <= 40)\n", first5[1], ok5 ? "meets" : "MISSES");
   printf("optimized format:            %.1f ns/record (%s target <= 100)\n", stage_ns[1][STAGE_FORMAT],
          okf ? "meets" : "MISSES");
   bench_missed += !ok5 + !okf;
   load_free(&l);
   free(c.allow);
}

/* The median cost of an empty Clock_threadCpu interval. */
static int64_t clock_cost(void) {
   double t[101];
   for (int i = 0; i < 101; i++) {
      int64_t t0 = Clock_threadCpu();
      t[i] = (double)(Clock_threadCpu() - t0);
   }
   return (int64_t)Stats_median(t, 101);
}

int main(int argc, char** argv) {
   if (argc > 1 && strcmp(argv[1], "quick") == 0)
      bench_min_ns = 5 * NS_PER_MS;
   bench_clock_cost = clock_cost();
   printf("ns per record (median of %d runs, thread CPU time less %lld ns a reading), naive vs optimized, "
          "one core\n\n",
          REPEAT, (long long)bench_clock_cost);
   printf("%-10s %-22s %14s %14s %11s\n", "stage", "size", "naive", "optimized", "ratio");
   bench_filter();
   bench_normalize();
   bench_enrich();
   bench_feature();
   bench_score();
   bench_format();
   bench_chain();
   bench_dispatch();
   if (bench_missed)
      printf("\n%d target(s) missed\n", bench_missed);
   return bench_missed ? 1 : 0;
}
