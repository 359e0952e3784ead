/* headless.c: status lines with the verdict (and a replay's progress), metrics CSV and the final summary. */
#include "config.h"

#include "app/headless.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/fileopen.h"
#include "base/signals.h"
#include "core/analysis.h"
#include "app/metricscsv.h"
#include "app/report.h"
#include "app/run.h"
#include "base/stats.h"
#include "base/units.h"
#include "base/xalloc.h"
#include "csv/replayprogress.h"

#define HEADLESS_DRAIN_NS (60 * NS_PER_SEC) /* --drain gives up after this */
#define HEADLESS_POLL_MIN_NS INT64_C(1000000) /* how often a run that just started checks for its end */

/* What was printed on standard output reached it; else a failure (exit status 3) naming what. */
static void headless_checkWritten(Run* run, const char* what) {
   char why[128];
   if (!FileOpen_flushed(stdout, why, sizeof why))
      Run_fail(run, EXIT_OUTPUT, "%s: cannot write to standard output: %s", what, why);
}

#define HEADLESS_REPLAY_WIDTH 34 /* the replay column of the status lines */

/* A replay's progress as the status lines and the metrics CSV show it. */
typedef struct HeadlessReplay {
   Replay* replay; /* NULL: the simulator */
   ReplayPosition pos;
   ReplayProgress progress;
   int64_t max_gap_ns;
} HeadlessReplay;

static void headless_statusHeader(FILE* out, const HeadlessReplay* r) {
   fprintf(out, "%7s %8s %8s %8s %8s %9s %9s %9s %9s %8s %6s %5s %3s ", "time_s", "in/s", "out/s", "backlog", "held",
           "stale", "ev-lag", "p50", "p99", "dropped", "alerts", "batch", "thr");
   if (r->replay)
      fprintf(out, "%-*s ", HEADLESS_REPLAY_WIDTH, "replay");
   fprintf(out, "verdict\n");
}

static void headless_statusLine(FILE* out, const Snapshot* s, const Analysis* a, const HeadlessReplay* r) {
   char in[16], outr[16], backlog[16], held[16], stale[16], lag[16], p50[16], p99[16], dropped[16], alerts[16];
   Units_formatCount(in, sizeof in, s->in_rate);
   Units_formatCount(held, sizeof held, (double)s->held_back);
   Units_formatCount(outr, sizeof outr, s->out_rate);
   Units_formatCount(backlog, sizeof backlog, (double)s->backlog_records);
   Units_formatDuration(stale, sizeof stale, s->oldest_age_ns);
   Units_formatDuration(lag, sizeof lag, s->event_lag_ns);
   Units_formatDuration(p50, sizeof p50, (int64_t)s->latency_window.p50);
   Units_formatDuration(p99, sizeof p99, (int64_t)s->latency_window.p99);
   Units_formatCount(dropped, sizeof dropped, (double)s->dropped);
   Units_formatCount(alerts, sizeof alerts, (double)s->alerts);
   fprintf(out, "%7.1f %8s %8s %8s %8s %9s %9s %9s %9s %8s %6s %5u %3u ", s->uptime_s, in, outr, backlog, held, stale,
           lag, p50, p99, dropped, alerts, s->knobs.batch, s->knobs.threads);
   if (r->replay) {
      char text[80];
      ReplayProgress_text(&r->progress, &r->pos, s->t, r->max_gap_ns, text, sizeof text);
      fprintf(out, "%-*s ", HEADLESS_REPLAY_WIDTH, text);
   }
   fprintf(out, "%s\n", Verdict_word(a->verdict.state));
   fflush(out);
}

/* The stages and the hand-off with their shares of the busy time and CPU per record: the dashboard's table. */
static void headless_stages(FILE* out, const Snapshot* s, const Analysis* a) {
   fprintf(out, "  stages    %-10s %-9s %7s %12s  (the last window with work)\n", "stage", "variant", "share",
           "CPU ns/rec");
   for (int st = 0; st < STAGE_LAST; st++)
      fprintf(out, "            %-10s %-9s %6.1f%% %12.1f\n", Stage_table[st].name, Variant_name(s->knobs.variant[st]),
              100 * Amdahl_share(&a->costs, st),
              a->costs.ns[st]);
   fprintf(out, "            %-10s %-9s %6.1f%% %12.1f  (%.0f ns a hand-off of %.1f records)\n", "hand-off", "",
           100 * Analysis_handoffShare(a), a->costs.overhead_per_record, a->handoff_ns, a->batch);
   char c[16];
   Units_formatCount(c, sizeof c, a->forecast.capacity);
   fprintf(out, "  forecast  capacity %s/s (predicted: %.0f ns CPU a record on %.2f CPUs%s)\n", c, a->forecast.cpu_ns,
           a->forecast.parallel, Analysis_oversubscribed(a) ? "; the workers wait for a CPU" : "");
}

static void headless_summary(FILE* out, const Snapshot* s, double trend, const Analysis* analysis,
                             const char* const* errors, size_t n_errors) {
   char a[16], b[16], c[16], d[16], reason[200];
   fprintf(out, "\nkeepup summary after %.1f s\n", s->uptime_s);
   Analysis_reason(analysis, s, reason, sizeof reason);
   fprintf(out, "  verdict   %s: %s\n", Verdict_name(analysis->verdict.state), reason);
   if (s->held_back > 0)
      fprintf(out, "  offered   %" PRIu64 " = generated (admitted) + held back %" PRIu64 " at the source, %.2f s behind%s\n",
              s->offered, s->held_back, (double)s->held_back_age_ns / 1e9, s->offered_exact ? "" : " (estimated)");
   fprintf(out, "  records   generated %" PRIu64 " = processed %" PRIu64 " + filtered %" PRIu64 " + dropped %" PRIu64
                " + queued %" PRIu64 " + in flight %" PRIu64 " (%s)\n",
           s->generated, s->processed, s->filtered, s->dropped, s->queued, s->in_flight,
           Snapshot_conserved(s) ? "conserved" : "NOT CONSERVED");
   Units_formatCount(a, sizeof a, (double)s->backlog_records);
   Units_formatBytes(b, sizeof b, (double)s->backlog_bytes);
   Units_formatDuration(c, sizeof c, s->oldest_age_ns);
   Units_formatCount(d, sizeof d, trend);
   fprintf(out, "  backlog   %s records (%s), oldest %s old, trend %s records/s\n", a, b, c, d);
   /* in is offered, as everywhere (the JSON's mean_in_per_s too): a held-back source's admitted rate is not it */
   Units_formatCount(a, sizeof a, s->uptime_s > 0 ? (double)s->offered / s->uptime_s : 0);
   Units_formatCount(b, sizeof b, s->uptime_s > 0 ? (double)(s->processed + s->filtered) / s->uptime_s : 0);
   fprintf(out, "  rates     in %s/s, out %s/s (means over the run)\n", a, b);
   Units_formatDuration(a, sizeof a, (int64_t)s->latency_total.p50);
   Units_formatDuration(b, sizeof b, (int64_t)s->latency_total.p99);
   Units_formatDuration(c, sizeof c, (int64_t)s->latency_total.max);
   fprintf(out, "  latency   p50 %s, p99 %s, max %s (from the scheduled arrival to completion, whole run)\n", a, b, c);
   headless_stages(out, s, analysis);
   fprintf(out, "  alerts    %" PRIu64 "; dropped %" PRIu64 " (drop-oldest %" PRIu64 ", drop-newest %" PRIu64
                ", safety cap %" PRIu64 "); order violations %" PRIu64 "\n",
           s->alerts, s->dropped, s->dropped_by[DROP_OLDEST], s->dropped_by[DROP_NEWEST], s->dropped_by[DROP_SAFETY_CAP],
           s->order_violations);
   if (s->safety_cap_hit)
      fprintf(out, "  the backlog reached the hard safety cap under --overflow grow: records were dropped\n");
   if (s->output_ordered && (s->output_unordered || s->output_passed))
      fprintf(out, "  output    --ordered: %" PRIu64 " lines written out of event-time order: late rows played at once"
                   " (--max-lateness orders them), or records its 64 MiB bound stopped waiting for (%" PRIu64
                   "; a smaller --batch stays within it)\n",
              s->output_unordered, s->output_passed);
   for (size_t i = 0; i < n_errors; i++)
      fprintf(out, "  %-9s %s\n", i ? "" : "errors", errors[i]);
}

typedef struct SweepResult {
   uint32_t batch, threads;
   double throughput[100]; /* records/s completed, per repeat */
   double p50[100], p99[100]; /* latency, s */
   bool conserved;
   uint32_t runs;
} SweepResult;

/* Median, and the spread (min, max) through lo/hi. */
static double headless_median(const double* v, uint32_t n, double* lo, double* hi) {
   double* c = xmalloc(n * sizeof *c);
   memcpy(c, v, n * sizeof *c);
   double m = Stats_median(c, n);
   *lo = c[0];
   *hi = c[n - 1];
   free(c);
   return m;
}

/* One measured run of one point: warm up, then measure throughput and latency over --point. */
static int headless_sweepRun(const Options* o, const Calibration* cal, SweepResult* r, uint32_t rep) {
   Run run;
   char err[512];
   int status = Run_open(&run, o, cal, err, sizeof err);
   if (status != 0) {
      fprintf(stderr, "keepup: %s\n", err);
      return status;
   }
   if (!Run_start(&run)) {
      status = Run_close(&run);
      Run_printErrors(&run, stderr);
      return status;
   }
   Engine* e = run.engine;
   Histogram* h0 = xmalloc(sizeof *h0);
   Histogram* h1 = xmalloc(sizeof *h1);
   Snapshot* s = xmalloc(sizeof *s);
   int64_t settled = Clock_now() + o->warmup_ns;
   while (!Signals_first() && Clock_now() < settled)
      Clock_sleepUntil(settled - Clock_now() < ENGINE_TICK_NS ? settled : Clock_now() + ENGINE_TICK_NS);
   Engine_latency(e, h0);
   Engine_snapshot(e, s);
   uint64_t done0 = s->processed + s->filtered;
   int64_t t0 = Clock_now();
   int64_t end = t0 + o->point_ns;
   while (!Signals_first() && Clock_now() < end)
      Clock_sleepUntil(Clock_now() + (end - Clock_now() < ENGINE_TICK_NS ? end - Clock_now() : ENGINE_TICK_NS));
   /* the counts come from the next snapshot, the latencies from the histograms at once */
   uint64_t seq = Engine_waitSnapshot(e, 0, 0);
   Engine_waitSnapshot(e, seq, 2 * ENGINE_TICK_NS);
   Engine_latency(e, h1);
   Engine_snapshot(e, s);
   uint64_t done1 = s->processed + s->filtered;
   double dt = (double)(s->t - t0) / 1e9;
   Histogram_diff(h0, h1, h0);
   r->throughput[rep] = dt > 0 ? (double)(done1 - done0) / dt : 0;
   r->p50[rep] = (double)Histogram_quantile(h0, 0.50) / 1e9;
   r->p99[rep] = (double)Histogram_quantile(h0, 0.99) / 1e9;
   Engine_stop(e, false, 0);
   Engine_snapshot(e, s);
   r->conserved = r->conserved && Snapshot_conserved(s);
   free(h0);
   free(h1);
   free(s);
   status = Run_close(&run);
   Run_printErrors(&run, stderr);
   return status;
}

int Headless_sweep(const Options* o, const Calibration* cal) {
   uint32_t n0 = o->sweep[0].n, n1 = o->n_sweep > 1 ? o->sweep[1].n : 1;
   uint32_t points = n0 * n1;
   SweepResult* res = xcalloc(points, sizeof *res);
   FILE* csv = NULL;
   if (o->metrics_csv) {
      csv = MetricsCsv_open(o->metrics_csv);
      if (!csv) {
         free(res);
         return EXIT_OUTPUT;
      }
      fprintf(csv, "batch,threads,repeat,throughput,latency_p50_s,latency_p99_s\n");
   }
   FILE* out = o->json ? stderr : stdout;
   fprintf(out, "sweep: %u point(s) x %u run(s), %.1f s warm-up + %.1f s measured each, seed %" PRIu64 "\n", points,
           o->repeat, (double)o->warmup_ns / 1e9, (double)o->point_ns / 1e9, o->setup.seed);
   fprintf(out, "%6s %7s %14s %21s %10s %10s\n", "batch", "threads", "records/s", "(min..max)", "p50", "p99");
   int status = 0;
   for (uint32_t i = 0; i < points && !Signals_first() && status == 0; i++) {
      Options po = *o;
      uint32_t v[2] = {o->sweep[0].value[i % n0], o->n_sweep > 1 ? o->sweep[1].value[i / n0] : 0};
      for (uint32_t d = 0; d < o->n_sweep; d++) {
         if (o->sweep[d].knob == SWEEP_BATCH)
            po.setup.knobs.batch = v[d];
         else
            po.setup.knobs.threads = v[d];
      }
      SweepResult* r = &res[i];
      r->batch = po.setup.knobs.batch;
      r->threads = po.setup.knobs.threads;
      r->conserved = true;
      uint32_t rep = 0;
      for (; rep < o->repeat && !Signals_first() && status == 0; rep++) {
         status = headless_sweepRun(&po, cal, r, rep);
         if (csv)
            fprintf(csv, "%u,%u,%u,%.1f,%.9f,%.9f\n", r->batch, r->threads, rep + 1, r->throughput[rep], r->p50[rep],
                    r->p99[rep]);
      }
      if (rep == 0)
         break;
      double lo, hi, p50lo, p50hi, p99lo, p99hi;
      double t = headless_median(r->throughput, rep, &lo, &hi);
      double p50 = headless_median(r->p50, rep, &p50lo, &p50hi);
      double p99 = headless_median(r->p99, rep, &p99lo, &p99hi);
      char a[16], b[16], c[16], d[16], e[16];
      Units_formatCount(a, sizeof a, t);
      Units_formatCount(b, sizeof b, lo);
      Units_formatCount(c, sizeof c, hi);
      Units_formatDuration(d, sizeof d, (int64_t)(p50 * 1e9));
      Units_formatDuration(e, sizeof e, (int64_t)(p99 * 1e9));
      char spread[48];
      snprintf(spread, sizeof spread, "(%s..%s)", b, c);
      fprintf(out, "%6u %7u %14s %21s %10s %10s%s\n", r->batch, r->threads, a, spread, d, e,
              r->conserved ? "" : "  NOT CONSERVED");
      fflush(out);
      r->runs = rep;
   }
   if (csv && fclose(csv) != 0) {
      fprintf(stderr, "keepup: --metrics-csv '%s': write failed: %s\n", o->metrics_csv, strerror(errno));
      if (status == 0)
         status = EXIT_OUTPUT;
   }
   if (o->json) {
      printf("{\"keepup_version\":\"%s\",\"sweep\":[", PACKAGE_VERSION);
      for (uint32_t i = 0; i < points; i++) {
         uint32_t n = res[i].runs;
         if (n == 0)
            continue;
         double lo, hi, l1, h1, l2, h2;
         double t = headless_median(res[i].throughput, n, &lo, &hi);
         double p50 = headless_median(res[i].p50, n, &l1, &h1);
         double p99 = headless_median(res[i].p99, n, &l2, &h2);
         printf("%s{\"batch\":%u,\"threads\":%u,\"runs\":%u,\"throughput\":%.1f,\"throughput_min\":%.1f,"
                "\"throughput_max\":%.1f,\"latency_p50_s\":%.9f,\"latency_p99_s\":%.9f,\"latency_p99_min_s\":%.9f,"
                "\"latency_p99_max_s\":%.9f,\"conservation_ok\":%s}",
                i ? "," : "", res[i].batch, res[i].threads, n, t, lo, hi, p50, p99, l2, h2,
                res[i].conserved ? "true" : "false");
      }
      printf("]}\n");
   }
   free(res);
   char why[128];
   if (!FileOpen_flushed(stdout, why, sizeof why)) {
      fprintf(stderr, "keepup: the sweep's %s: cannot write to standard output: %s\n", o->json ? "JSON" : "table",
              why);
      if (status == 0)
         status = EXIT_OUTPUT;
   }
   return status;
}

/* Feed the analysis a snapshot and as much of the engine's history as it reads. */
static void headless_analyse(Engine* engine, Analysis* a, const Snapshot* s, HistorySample* buf) {
   int64_t ticks = Analysis_lookback(a, s) / ENGINE_TICK_NS + 2;
   size_t want = ticks < ENGINE_HISTORY_SAMPLES ? (size_t)ticks : ENGINE_HISTORY_SAMPLES;
   size_t n = Engine_history(engine, buf, want);
   Analysis_update(a, s, buf, n);
}

static bool headless_drainCancelled(void* ctx) {
   return Signals_count() > *(const unsigned*)ctx;
}

/* --drain: nothing more enters, and the workers empty the backlog; a signal (a second one, when one
 * ended the run) or the time limit gives up, and says so (exit status 1). */
static void headless_drain(Run* run) {
   unsigned signals = Signals_count();
   if (Engine_drain(run->engine, Clock_now() + HEADLESS_DRAIN_NS, headless_drainCancelled, &signals))
      return;
   Snapshot* s = xmalloc(sizeof *s);
   Engine_snapshot(run->engine, s);
   char left[16];
   Units_formatCount(left, sizeof left, (double)s->backlog_records);
   if (Signals_count() > signals)
      Run_fail(run, EXIT_RUNTIME, "--drain: a signal ended it with %s records still queued or in flight", left);
   else
      Run_fail(run, EXIT_RUNTIME, "--drain: the backlog did not empty within %.0f s: %s records still queued or in flight",
               (double)HEADLESS_DRAIN_NS / 1e9, left);
   free(s);
}

/* The replay's progress now, and what a followed file had to say. */
static void headless_replayUpdate(HeadlessReplay* r, int64_t now) {
   if (!r->replay)
      return;
   Replay_position(r->replay, &r->pos);
   ReplayProgress_add(&r->progress, now, &r->pos);
   char notice[REPLAY_MSG_MAX];
   if (Replay_takeNotice(r->replay, notice, sizeof notice))
      fprintf(stderr, "keepup: %s\n", notice);
}

/* How each replayed file is read, before it plays. */
static void headless_describe(const Run* run) {
   if (!run->replay)
      return;
   for (uint32_t i = 0; i < Replay_files(run->replay); i++) {
      char line[REPLAY_DESCRIBE_MAX];
      Replay_describe(run->replay, i, line, sizeof line);
      fprintf(stderr, "keepup: %s\n", line);
   }
}

/* Status lines and metrics rows until the end, a signal or the input's end. */
static void headless_loop(Run* run, FILE* status, FILE* csv, HeadlessReplay* r, Snapshot* s, Analysis* analysis,
                          HistorySample* hist) {
   const Options* o = &run->options;
   Engine* engine = run->engine;
   int64_t start = Clock_now();
   int64_t end = run->deadline;
   int64_t next_status = o->interval_ns > 0 ? start + o->interval_ns : INT64_MAX;
   uint64_t seq = 0;
   unsigned lines = 0;
   while (!Signals_first()) {
      int64_t now = Clock_now();
      if (now >= end || Engine_finished(engine))
         break;
      int64_t wait = (next_status < end ? next_status : end) - now;
      /* a tick at most, and an eighth of the time run so far: a short replay ends when its input
       * does, not at the next tick, and a long run is not woken more than a tick's rhythm */
      int64_t poll = (now - start) / 8 > HEADLESS_POLL_MIN_NS ? (now - start) / 8 : HEADLESS_POLL_MIN_NS;
      if (wait > poll)
         wait = poll;
      if (wait > ENGINE_TICK_NS)
         wait = ENGINE_TICK_NS;
      seq = Engine_waitSnapshot(engine, seq, wait > 0 ? wait : 1);
      if (Clock_now() >= next_status) {
         Engine_snapshot(engine, s);
         headless_analyse(engine, analysis, s, hist);
         headless_replayUpdate(r, s->t);
         if (lines++ % 20 == 0)
            headless_statusHeader(status, r);
         headless_statusLine(status, s, analysis, r);
         if (csv)
            MetricsCsv_row(csv, s, r->replay ? &r->pos : NULL, &r->progress);
         next_status += o->interval_ns;
      }
   }
}

int Headless_run(Run* run) {
   const Options* o = &run->options;
   Engine* engine = run->engine;
   /* --output - has standard output: the lines for the eye go to stderr */
   bool out_taken = o->output && strcmp(o->output, "-") == 0;
   FILE* status = o->json || out_taken ? stderr : stdout;
   FILE* summary = out_taken ? stderr : stdout;
   FILE* csv = NULL;
   if (o->metrics_csv) {
      csv = MetricsCsv_open(o->metrics_csv);
      if (!csv)
         return EXIT_OUTPUT;
      MetricsCsv_header(csv);
   }
   headless_describe(run);
   HeadlessReplay* r = xcalloc(1, sizeof *r);
   r->replay = run->replay;
   r->max_gap_ns = o->max_gap_ns;
   Snapshot* s = xcalloc(1, sizeof *s);
   HistorySample* hist = xmalloc(ENGINE_HISTORY_SAMPLES * sizeof *hist);
   Analysis* analysis = xmalloc(sizeof *analysis);
   Analysis_init(analysis);
   if (Run_start(run)) {
      headless_loop(run, status, csv, r, s, analysis, hist);
      if (o->drain)
         headless_drain(run);
   }
   Run_finish(run);
   Engine_snapshot(engine, s);
   headless_analyse(engine, analysis, s, hist);
   headless_replayUpdate(r, s->t);
   double trend = Report_backlogTrend(engine, false);
   if (csv) {
      MetricsCsv_row(csv, s, r->replay ? &r->pos : NULL, &r->progress);
      if (fclose(csv) != 0)
         Run_fail(run, EXIT_OUTPUT, "--metrics-csv '%s': write failed: %s", o->metrics_csv, strerror(errno));
   }
   const char* errors[RUN_ERRORS];
   size_t n_errors = Run_errorTexts(run, errors, RUN_ERRORS);
   if (o->json) {
      Report_writeJson(stdout, run, s, trend, Report_backlogTrend(engine, true), analysis, errors, n_errors);
   } else {
      headless_summary(summary, s, trend, analysis, errors, n_errors);
      Report_replayText(summary, run);
   }
   headless_checkWritten(run, o->json ? "the JSON summary" : "the summary");
   Run_printErrors(run, stderr);
   free(analysis);
   free(hist);
   free(s);
   free(r);
   return Run_status(run);
}
