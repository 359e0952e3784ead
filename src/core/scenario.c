/* scenario.c: stage-cost calibration and the scenarios sized from it. */
#include "config.h"

#include "core/scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/signals.h"
#include "core/sim.h"
#include "base/xalloc.h"

const Scenario Scenario_table[SCENARIO_LAST] = {
   [SCENARIO_LECTURE] = {"bursts every 10 s that the naive pipeline needs 3 intervals to process",
                         {"Bursts arrive every interval; the naive pipeline needs 3x that per burst: it falls behind.",
                          "Find the stage that takes most of the time and press its key (4: feature) to fix it."}},
   [SCENARIO_AMDAHL] = {"one stage takes 70% of the time, another 8%: which one is worth fixing?",
                        {"feature takes ~70% of the time, filter ~8%. Optimize filter (1) first: barely helps.",
                         "Then optimize feature (4): the pipeline keeps up. Measure first, fix the big share."}},
   [SCENARIO_BATCHING] = {"a 0.5 ms hand-off per batch (simulated): batch size trades latency for throughput",
                          {"Each batch pays a 0.5 ms hand-off (simulated). At batch 1 the pipeline falls behind.",
                           "Press B to grow the batch: throughput rises, and so does latency. Find the knee."}},
   [SCENARIO_THREADS] = {"CPU-bound work: more threads help up to the number of CPUs, no further",
                         {"Each record costs 200 us of CPU (simulated); the load needs 1.5x the CPUs the workers get.",
                          "Press T to add threads: throughput rises until threads = CPUs, then stops."}},
   [SCENARIO_SKEW] = {"one hot sensor sends 90% of the records and caps parallelism",
                      {"One sensor sends 90% of the records; they must stay in order, so one thread does them.",
                       "Press T: more threads do not help. The hot sensor's partition is the bottleneck."}},
   [SCENARIO_OVERFLOW] = {"the backlog hits its memory cap: block, drop-oldest, drop-newest or grow",
                          {"The pipeline cannot keep up; the backlog hits its cap (a second of arrivals).",
                           "Press p to switch the overflow policy: block, drop-oldest, drop-newest, grow."}},
   [SCENARIO_STRUCTURE] = {"fast but messy, clean but slow, fast and structured: three shapes of one pipeline, measured",
                           {"Input beyond what one worker can do. x switches the shape: batch, record chain, fused loop.",
                            "Then T to a worker per CPU. The table fills with each shape's records/s and CPU per record."}},
   [SCENARIO_MEMORY] = {"a backlog grows toward its byte cap: packed records against boxed objects with a field map",
                        {"The backlog grows toward its 256 MB cap. Each queued record is packed: 32 bytes in its batch.",
                         "Press y to box each record (an object with a field map, as Python's __dict__): watch B/rec."}},
};

#define CAL_SENSORS 4    /* few sensors: their windows fill quickly */
#define CAL_BATCH 256
#define CAL_RECORDS 1024 /* measured per variant */

/* Time each stage of `variant` over records, in ns per record (out[s]). */
static void calibration_measure(Pipeline* p, const Record* rec, size_t n, Variant v, double out[STAGE_LAST]) {
   Work w;
   Work_init(&w, p);
   Batch* b = Batch_new(CAL_BATCH, 0);
   uint64_t ns[STAGE_LAST] = {0}, count[STAGE_LAST] = {0};
   for (size_t i = 0; i < n; i += CAL_BATCH) {
      uint32_t k = (uint32_t)(n - i < CAL_BATCH ? n - i : CAL_BATCH);
      memcpy(b->rec, rec + i, k * sizeof *rec);
      b->n = k;
      Work_begin(&w, p, k);
      for (int s = 0; s < STAGE_LAST; s++) {
         uint32_t in = s == STAGE_FILTER ? k : w.nrows;
         int64_t t0 = Clock_now();
         Stage_table[s].run[v](p, &w, b);
         ns[s] += (uint64_t)(Clock_now() - t0);
         count[s] += in;
      }
   }
   for (int s = 0; s < STAGE_LAST; s++)
      out[s] = count[s] ? (double)ns[s] / (double)count[s] : 0;
   Batch_delete(b);
   Work_done(&w);
}

/* Records of the fleet's first CAL_SENSORS sensors (allowlisted), all valid. Only those are drawn:
 * drawing the whole fleet's and keeping four sensors' cost time in proportion to the fleet (100k
 * sensors took minutes). */
static Record* calibration_records(const Setup* o, size_t n) {
   Setup so = *o;
   so.anomaly_rate = 0;
   so.hot = 0;
   Generator* g = Sim_newFirst(&so, CAL_SENSORS);
   Record* rec = xmalloc(n * sizeof *rec);
   size_t i = 0;
   while (i < n) {
      Record r;
      g->ops->next(g, &r);
      if (isfinite(r.value) && r.value <= 1e9)
         rec[i++] = r;
   }
   g->ops->destroy(g);
   return rec;
}

#define CAL_PASSES 5 /* the median of five passes: one or two preempted passes move nothing */

/* Measure both variants at window w (and the setup's allowlist), once. */
static void calibration_pass(const Setup* o, uint32_t window, double out[STAGE_LAST][VARIANT_LAST]) {
   Setup so = *o;
   so.knobs.window = window;
   so.sensors = o->sensors < CAL_SENSORS ? CAL_SENSORS : o->sensors;
   PipelineParams params;
   Sim_params(&so, &params);
   size_t warm = (size_t)window * CAL_SENSORS + CAL_BATCH;
   Record* rec = calibration_records(&so, warm + CAL_RECORDS);
   Pipeline* p = Pipeline_new(&params);
   Pipeline_setWindow(p, window);
   /* fill every window with the cheap variants, then time both on the same records */
   double scratch[STAGE_LAST];
   calibration_measure(p, rec, warm, VARIANT_OPTIMIZED, scratch);
   double v[STAGE_LAST];
   calibration_measure(p, rec + warm, CAL_RECORDS, VARIANT_OPTIMIZED, v);
   for (int s = 0; s < STAGE_LAST; s++)
      out[s][VARIANT_OPTIMIZED] = v[s];
   calibration_measure(p, rec + warm, CAL_RECORDS, VARIANT_NAIVE, v);
   for (int s = 0; s < STAGE_LAST; s++)
      out[s][VARIANT_NAIVE] = v[s];
   Pipeline_delete(p);
   free(rec);
   Sim_freeParams(&params);
}

/* More passes are worth it: the deadline has not passed and no signal has asked the run to end (a
 * signal during calibration gets its summary as soon as the pass in hand is done). */
static bool calibration_goOn(int64_t deadline) {
   return Clock_now() < deadline && Signals_first() == 0;
}

static int calibration_cmp(const void* a, const void* b) {
   double x = *(const double*)a, y = *(const double*)b;
   return (x > y) - (x < y);
}

static double calibration_median(double* v, int n) {
   qsort(v, (size_t)n, sizeof *v, calibration_cmp);
   return v[n / 2];
}

/* Each cost as the median over CAL_PASSES passes (fewer once the deadline has passed: one at least);
 * returns how far apart the passes' naive totals were, relative to their median: the second slowest
 * against the second fastest, so one preempted pass alone does not count as a busy machine (the
 * median has already discarded it); 0 with too few passes to tell. */
static double calibration_at(const Setup* o, uint32_t window, double out[STAGE_LAST][VARIANT_LAST], int64_t deadline) {
   double pass[CAL_PASSES][STAGE_LAST][VARIANT_LAST], total[CAL_PASSES];
   int n = 0;
   do {
      calibration_pass(o, window, pass[n]);
      total[n] = 0;
      for (int s = 0; s < STAGE_LAST; s++)
         total[n] += pass[n][s][VARIANT_NAIVE];
      n++;
   } while (n < CAL_PASSES && calibration_goOn(deadline));
   for (int s = 0; s < STAGE_LAST; s++)
      for (int v = 0; v < VARIANT_LAST; v++) {
         double x[CAL_PASSES];
         for (int i = 0; i < n; i++)
            x[i] = pass[i][s][v];
         out[s][v] = calibration_median(x, n);
      }
   double med = calibration_median(total, n);
   return n >= 4 && med > 0 ? (total[n - 2] - total[1]) / med : 0;
}

#define CAL_SOURCE_RECORDS 100
#define CAL_SOURCE_GAP_NS  50000 /* 20k records/s: each record its own wake-up, as in the threads lesson */
#define CAL_SOURCE_RUNS    3

/* What the source thread spends per record when records are due one at a time: the median of a few runs
 * of drawing a record and sleeping until it is due, on this thread's CPU clock. */
static double calibration_source(const Setup* o) {
   Setup so = *o;
   so.anomaly_rate = 0;
   so.hot = 0;
   Generator* g = Sim_newFirst(&so, CAL_SENSORS);
   double x[CAL_SOURCE_RUNS];
   for (int r = 0; r < CAL_SOURCE_RUNS; r++) {
      int64_t cpu0 = Clock_threadCpu(), due = Clock_now();
      for (int i = 0; i < CAL_SOURCE_RECORDS; i++) {
         Record rec;
         g->ops->next(g, &rec);
         due += CAL_SOURCE_GAP_NS;
         Clock_sleepUntil(due);
      }
      x[r] = (double)(Clock_threadCpu() - cpu0) / CAL_SOURCE_RECORDS;
   }
   g->ops->destroy(g);
   return calibration_median(x, CAL_SOURCE_RUNS);
}

void Calibration_run(Calibration* c, const Setup* o) {
   Calibration_runUntil(c, o, INT64_MAX);
}

void Calibration_runUntil(Calibration* c, const Setup* o, int64_t deadline) {
   int64_t t0 = Clock_now();
   memset(c, 0, sizeof *c);
   c->window = o->knobs.window;
   c->allowlist = o->allowlist;
   /* the naive feature is O(W) per record: at a large window the measurement itself would take seconds,
    * so it is measured at two windows up to CALIBRATION_WINDOW_MAX and extrapolated */
   uint32_t w1 = c->window <= CALIBRATION_WINDOW_MAX ? c->window : CALIBRATION_WINDOW_MAX / 2;
   c->spread = calibration_at(o, w1, c->ns, deadline);
   /* the naive feature's cost per window slot, from a second, larger window (none past the deadline) */
   double big[STAGE_LAST][VARIANT_LAST];
   uint32_t w2 = w1 < CALIBRATION_WINDOW_MAX ? CALIBRATION_WINDOW_MAX : w1 / 2;
   if (calibration_goOn(deadline)) {
      double spread2 = calibration_at(o, w2, big, deadline);
      if (spread2 > c->spread)
         c->spread = spread2;
   } else {
      w2 = w1;
   }
   double dw = (double)w2 - (double)w1;
   c->feature_ns_per_w = fabs(dw) > 0 ? (big[STAGE_FEATURE][VARIANT_NAIVE] - c->ns[STAGE_FEATURE][VARIANT_NAIVE]) / dw : 0;
   if (c->feature_ns_per_w <= 0)
      c->feature_ns_per_w = c->ns[STAGE_FEATURE][VARIANT_NAIVE] / (w1 ? w1 : 1);
   if (c->window > w1) {
      c->ns[STAGE_FEATURE][VARIANT_NAIVE] += c->feature_ns_per_w * (double)(c->window - w1);
      c->extrapolated_from = w1;
   }
   c->filter_ns_per_k = o->allowlist ? c->ns[STAGE_FILTER][VARIANT_NAIVE] / o->allowlist : 0;
   if (calibration_goOn(deadline))
      c->source_ns = calibration_source(o);
   c->elapsed_s = (double)(Clock_now() - t0) / 1e9;
   c->measured_at = (int64_t)time(NULL);
}

bool Calibration_quiet(const Calibration* c) {
   return c->spread <= CALIBRATION_QUIET_SPREAD;
}

double Calibration_total(const Calibration* c, Variant v) {
   double t = 0;
   for (int s = 0; s < STAGE_LAST; s++)
      t += c->ns[s][v];
   return t;
}

void Calibration_print(const Calibration* c, FILE* out) {
   fprintf(out,
           "stage cost per record on this machine (window %u, allowlist %u), median of %d passes measured in %.0f ms"
           " (passes %.0f%% apart%s)\n",
           c->window, c->allowlist, CAL_PASSES, c->elapsed_s * 1e3, c->spread * 100,
           Calibration_quiet(c) ? "" : ": the machine was busy");
   fprintf(out, "%-10s %12s %12s %9s\n", "stage", "naive ns", "optimized ns", "ratio");
   for (int s = 0; s < STAGE_LAST; s++) {
      double n = c->ns[s][VARIANT_NAIVE], opt = c->ns[s][VARIANT_OPTIMIZED];
      fprintf(out, "%-10s %12.1f %12.1f %8.1fx\n", Stage_table[s].name, n, opt, opt > 0 ? n / opt : 0);
   }
   double n = Calibration_total(c, VARIANT_NAIVE), opt = Calibration_total(c, VARIANT_OPTIMIZED);
   fprintf(out, "%-10s %12.1f %12.1f %8.1fx\n", "all", n, opt, opt > 0 ? n / opt : 0);
   fprintf(out, "naive feature: %.2f ns per window slot; naive filter: %.3f ns per allowlist entry\n",
           c->feature_ns_per_w, c->filter_ns_per_k);
   if (c->source_ns > 0)
      fprintf(out, "source thread: %.0f ns of CPU per record due on its own (its wake-up)\n", c->source_ns);
   if (c->extrapolated_from)
      fprintf(out, "naive feature at window %u: a prediction, extrapolated from windows %u and %u\n", c->window,
              c->extrapolated_from, c->extrapolated_from * 2);
}

void Scenario_list(FILE* out) {
   for (int i = 0; i < SCENARIO_LAST; i++)
      fprintf(out, "%-9s %s%s\n", Scenario_names[i], Scenario_table[i].summary,
              i == SCENARIO_LECTURE ? " (the default)" : "");
   fprintf(out, "%-9s %s\n", "none", "no scenario: every knob keeps the default listed in --help");
}

/* Knob setters that leave what the user gave explicitly alone. */
static void scenario_setU32(Setup* o, int given, uint32_t* field, uint32_t v) {
   if (!Setup_given(o, given))
      *field = v;
}

static void scenario_setDouble(Setup* o, int given, double* field, double v) {
   if (!Setup_given(o, given))
      *field = v;
}

static void scenario_setNs(Setup* o, int given, int64_t* field, int64_t v) {
   if (!Setup_given(o, given))
      *field = v;
}

static void scenario_setVariants(Setup* o, Variant v) {
   if (Setup_given(o, SETUP_VARIANTS))
      return;
   for (int s = 0; s < STAGE_LAST; s++)
      o->knobs.variant[s] = v;
}

/* Steady arrivals, unless the user chose an arrival mode. */
static void scenario_setSteady(Setup* o) {
   if (!Setup_given(o, KNOB_ARRIVAL))
      o->knobs.arrival = ARRIVAL_STEADY;
}

/* Simulated CPU work in the feature stage, unless the user gave stage costs. */
static void scenario_setFeatureCost(Setup* o, int64_t ns) {
   if (!Setup_given(o, SETUP_STAGE_COST))
      o->knobs.stage_cost_ns[STAGE_FEATURE] = ns;
}

/* Window at which the naive feature costs `ns` per record. */
static uint32_t scenario_windowFor(const Calibration* c, double ns) {
   double base = c->ns[STAGE_FEATURE][VARIANT_NAIVE] - c->feature_ns_per_w * c->window;
   double w = (ns - base) / c->feature_ns_per_w;
   if (w < 10)
      w = 10;
   if (w > KEEPUP_WINDOW_MAX)
      w = KEEPUP_WINDOW_MAX;
   return (uint32_t)w;
}

static double scenario_clamp(double v, double lo, double hi) {
   return v < lo ? lo : v > hi ? hi : v;
}

/* The naive cost per record of every stage but feature. */
static double scenario_othersNaive(const Calibration* c) {
   return Calibration_total(c, VARIANT_NAIVE) - c->ns[STAGE_FEATURE][VARIANT_NAIVE];
}

static void scenario_lecture(const Calibration* c, Setup* o) {
   /* the lecture's rolling window over many readings, so the naive feature dominates; at
    * most what at least 4 sensors fill within one burst (N >= 4.8 W where N = 3 T / cost(W)),
    * so the naive cost shows from the first burst even on a slow machine */
   double k = c->feature_ns_per_w;
   double c0 = Calibration_total(c, VARIANT_NAIVE) - k * c->window;
   double t_ns = (double)(Setup_given(o, KNOB_EVERY) ? o->knobs.every_ns : 10 * INT64_C(1000000000));
   double w_fill = (-c0 + sqrt(c0 * c0 + 4 * k * 0.625 * t_ns)) / (2 * k);
   scenario_setU32(o, KNOB_WINDOW, &o->knobs.window, (uint32_t)scenario_clamp(w_fill, 100, 10000));
   double per_record = scenario_othersNaive(c) + c->ns[STAGE_FEATURE][VARIANT_NAIVE] +
                       c->feature_ns_per_w * ((double)o->knobs.window - (double)c->window);
   /* bursts, unless the user asked for a rate or an arrival mode of their own */
   if (!Setup_given(o, KNOB_ARRIVAL) && !Setup_given(o, KNOB_RATE))
      o->knobs.arrival = ARRIVAL_BURST;
   scenario_setNs(o, KNOB_EVERY, &o->knobs.every_ns, 10 * INT64_C(1000000000));
   /* naive utilization 3: a burst takes three intervals */
   double n = 3.0 * (double)o->knobs.every_ns / per_record;
   if (!Setup_given(o, KNOB_BURST))
      o->knobs.burst = (uint64_t)scenario_clamp(n, 1000, 20e6);
   /* every sensor's window must fill within the first burst, or the naive cost ramps up
    * over many bursts instead of showing at once */
   if (o->knobs.arrival == ARRIVAL_BURST)
      scenario_setU32(o, SETUP_SENSORS, &o->sensors,
                      (uint32_t)scenario_clamp((double)o->knobs.burst / (1.2 * (double)o->knobs.window), 4, 64));
   scenario_setVariants(o, VARIANT_NAIVE);
   scenario_setU32(o, KNOB_THREADS, &o->knobs.threads, 1);
   scenario_setU32(o, KNOB_BATCH, &o->knobs.batch, 256);
}

static void scenario_amdahl(const Calibration* c, Setup* o) {
   /* the other four naive stages are ~22% of the time: size feature to 70% and filter to 8% */
   double rest = scenario_othersNaive(c) - c->ns[STAGE_FILTER][VARIANT_NAIVE];
   double total = rest / 0.22;
   scenario_setU32(o, KNOB_WINDOW, &o->knobs.window, scenario_windowFor(c, 0.70 * total));
   if (!Setup_given(o, SETUP_ALLOWLIST) && c->filter_ns_per_k > 0)
      o->allowlist = (uint32_t)scenario_clamp(0.08 * total / c->filter_ns_per_k, 64, 1000000);
   scenario_setSteady(o);
   /* naive utilization 1.3: optimizing filter leaves ~1.2, optimizing feature ~0.4 */
   scenario_setDouble(o, KNOB_RATE, &o->knobs.rate, scenario_clamp(1.3e9 / total, 100, 5e6));
   scenario_setVariants(o, VARIANT_NAIVE);
   scenario_setU32(o, KNOB_THREADS, &o->knobs.threads, 1);
}

static void scenario_batching(Setup* o) {
   scenario_setVariants(o, VARIANT_OPTIMIZED);
   scenario_setNs(o, KNOB_DISPATCH_COST, &o->knobs.dispatch_cost_ns, 500000); /* the lecture's 0.5 ms per hand-off */
   scenario_setFeatureCost(o, 10000); /* and 0.01 ms of work per record */
   scenario_setSteady(o);
   scenario_setDouble(o, KNOB_RATE, &o->knobs.rate, 10000);
   scenario_setU32(o, SETUP_SENSORS, &o->sensors, 8);
   scenario_setU32(o, KNOB_BATCH, &o->knobs.batch, 1);
   scenario_setNs(o, KNOB_LINGER, &o->knobs.linger_ns, 200 * INT64_C(1000000));
   scenario_setU32(o, KNOB_THREADS, &o->knobs.threads, 1);
}

static void scenario_threads(const Calibration* c, Setup* o) {
   scenario_setVariants(o, VARIANT_OPTIMIZED);
   scenario_setFeatureCost(o, SCENARIO_THREADS_COST_NS);
   scenario_setSteady(o);
   /* the workers need SCENARIO_THREADS_OVER times the CPUs they can have: all of them but the source
    * thread's share at this rate (rate x its measured cost per record). The dear records keep the rate,
    * and so the source's wake-ups, low: rate (per + over x src) = over x ncpu x 1e9 */
   double ncpu = (double)sysconf(_SC_NPROCESSORS_ONLN);
   double per = (double)o->knobs.stage_cost_ns[STAGE_FEATURE] + Calibration_total(c, VARIANT_OPTIMIZED);
   double over = SCENARIO_THREADS_OVER;
   scenario_setDouble(o, KNOB_RATE, &o->knobs.rate, over * ncpu * 1e9 / (per + over * c->source_ns));
   scenario_setU32(o, KNOB_THREADS, &o->knobs.threads, 1);
   scenario_setU32(o, KNOB_BATCH, &o->knobs.batch, 64);
}

static void scenario_skew(const Calibration* c, Setup* o) {
   scenario_setVariants(o, VARIANT_OPTIMIZED);
   scenario_setFeatureCost(o, 20000);
   scenario_setDouble(o, SETUP_HOT, &o->hot, 0.9);
   scenario_setSteady(o);
   /* the hot partition alone gets 1.2 workers' worth of records */
   double per = 20000 + Calibration_total(c, VARIANT_OPTIMIZED);
   scenario_setDouble(o, KNOB_RATE, &o->knobs.rate, 1.2e9 / (o->hot * per));
   uint32_t ncpu = (uint32_t)sysconf(_SC_NPROCESSORS_ONLN);
   scenario_setU32(o, KNOB_THREADS, &o->knobs.threads, ncpu > 1 ? ncpu : 2);
   scenario_setU32(o, KNOB_BATCH, &o->knobs.batch, 64);
}

static void scenario_overflow(const Calibration* c, Setup* o) {
   scenario_setVariants(o, VARIANT_NAIVE);
   scenario_setSteady(o);
   scenario_setDouble(o, KNOB_RATE, &o->knobs.rate,
                      scenario_clamp(2e9 / Calibration_total(c, VARIANT_NAIVE), 100, 5e6));
   /* one second of arrivals: the backlog reaches it within about two seconds */
   if (!Setup_given(o, SETUP_MAX_BACKLOG)) {
      o->knobs.max_backlog_records = (uint64_t)scenario_clamp(o->knobs.rate, 10000, 5e6);
      o->knobs.max_backlog_bytes = 0;
   }
   scenario_setU32(o, KNOB_THREADS, &o->knobs.threads, 1);
}

static void scenario_structure(const Calibration* c, Setup* o) {
   scenario_setVariants(o, VARIANT_OPTIMIZED);
   scenario_setSteady(o);
   /* twice what a worker per CPU could do, by the calibration: every shape runs with a full backlog,
    * so the records it completes a second are its capacity */
   uint32_t ncpu = (uint32_t)sysconf(_SC_NPROCESSORS_ONLN);
   double rate = 2.0 * (ncpu > 1 ? ncpu : 1) * 1e9 / Calibration_total(c, VARIANT_OPTIMIZED);
   scenario_setDouble(o, KNOB_RATE, &o->knobs.rate, scenario_clamp(rate, 1e5, 50e6));
   if (!Setup_given(o, SETUP_MAX_BACKLOG)) {
      o->knobs.max_backlog_records = (uint64_t)scenario_clamp(o->knobs.rate / 4, 100000, 2e6);
      o->knobs.max_backlog_bytes = 0;
   }
   scenario_setU32(o, KNOB_THREADS, &o->knobs.threads, 1);
   scenario_setU32(o, KNOB_BATCH, &o->knobs.batch, 256);
   if (!Setup_given(o, KNOB_DISPATCH))
      o->knobs.dispatch = DISPATCH_BATCH;
}

/* A backlog that grows whatever the layout: the worker's pace is set by a simulated cost, not by how fast
 * this machine runs the stages, and the input is four times it (the source boxes 400k records a second with
 * room to spare), so the backlog grows by three quarters of the input toward a cap in bytes. */
static void scenario_memory(Setup* o) {
   scenario_setVariants(o, VARIANT_OPTIMIZED);
   scenario_setFeatureCost(o, SCENARIO_MEMORY_COST_NS);
   scenario_setSteady(o);
   scenario_setDouble(o, KNOB_RATE, &o->knobs.rate, 4e9 / SCENARIO_MEMORY_COST_NS);
   if (!Setup_given(o, SETUP_MAX_BACKLOG)) {
      o->knobs.max_backlog_records = 0;
      o->knobs.max_backlog_bytes = SCENARIO_MEMORY_CAP;
   }
   scenario_setU32(o, KNOB_THREADS, &o->knobs.threads, 1);
   scenario_setU32(o, KNOB_BATCH, &o->knobs.batch, 256);
}

bool Scenario_sized(ScenarioId id) {
   return id != SCENARIO_MEMORY;
}

void Scenario_apply(ScenarioId id, const Calibration* c, Setup* o) {
   switch (id) {
   case SCENARIO_LECTURE:
      scenario_lecture(c, o);
      break;
   case SCENARIO_AMDAHL:
      scenario_amdahl(c, o);
      break;
   case SCENARIO_BATCHING:
      scenario_batching(o);
      break;
   case SCENARIO_THREADS:
      scenario_threads(c, o);
      break;
   case SCENARIO_SKEW:
      scenario_skew(c, o);
      break;
   case SCENARIO_OVERFLOW:
      scenario_overflow(c, o);
      break;
   case SCENARIO_STRUCTURE:
      scenario_structure(c, o);
      break;
   case SCENARIO_MEMORY:
      scenario_memory(o);
      break;
   case SCENARIO_LAST:
      break;
   }
}
