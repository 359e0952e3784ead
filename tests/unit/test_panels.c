/*
 * test_panels.c: every panel's text fits its place at the five sizes a
 * lecture meets, without a terminal. The dashboard's own layout and drawing
 * (Frame_layout, Frame_drawMain) run on a synthetic view with long values
 * (big counts, long sensor names, every verdict state, each lesson's
 * checkpoint caption and before/after table), and so do the full-screen
 * views (help, event log, latency, the scenario menu at each entry). This
 * file's Paint_* stand in for the terminal's, so every piece of text a panel
 * writes arrives here whole with what its canvas let through. A word the canvas's edge left out (a
 * line too long for its panel, a row below its panel's last) fails, and so
 * do two pieces of text written over each other (labels run together).
 * A panel that drops a field as designed checks the room before it writes,
 * so nothing of it arrives here.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/options.h"
#include "core/scenario.h"
#include "ui/frame.h"
#include "ui/paint.h"
#include "ui/screens.h"

#define S          INT64_C(1000000000)
#define GRID_W     200
#define GRID_H     50
#define MAX_REPORT 20

/* ------------------------------------------------------------ the stand-in terminal */

/* Which write put the text in each cell (0: none), and what was wrong, for the report. */
static int grid[GRID_H][GRID_W];
static char grid_ch[GRID_H][GRID_W];
static int writes;
static int problems;
static char report[MAX_REPORT][400];
static const char* frame_name; /* "lecture 80x24 checkpoint": for the report */

static void problem(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
static void problem(const char* fmt, ...) {
   if (problems < MAX_REPORT) {
      va_list ap;
      va_start(ap, fmt);
      vsnprintf(report[problems], sizeof report[problems], fmt, ap);
      va_end(ap);
   }
   problems++;
}

/* A letter, a digit or an underscore: part of a word, a number or a name (glyphs and punctuation are not). */
static bool wordish(char ch) {
   return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* Nothing of a word or number in the first n bytes of s. */
static bool blank(const char* s, size_t n) {
   for (size_t i = 0; i < n && s[i]; i++)
      if (wordish(s[i]))
         return false;
   return true;
}

/* What a canvas's edge did to a piece of text, when it did harm: NULL when the text is whole or what it
 * lost is blank. A panel that has no room for a field leaves it out before it writes (Panel_fieldIf);
 * words the edge took are words the reader never knew were there. */
static const char* cut_harm(const Rect* r, int row, const char* s, size_t from, size_t n) {
   size_t len = strlen(s);
   const char* rest = s + from + n;
   if (blank(s, from) && blank(rest, len - from - n))
      return NULL;
   if (row < 0 || row >= r->h)
      return "below its panel's last row";
   if (!blank(s, from))
      return "cut on the left";
   if (n > 0 && wordish(s[from + n - 1]) && wordish(rest[0]))
      return "a word cut";
   if (n == 0)
      return "no room at all";
   /* a label left without its number: "batch" of "batch 256" */
   const char* next = rest;
   while (*next == ' ' || *next == ':')
      next++;
   size_t end = from + n;
   while (end > from && s[end - 1] == ' ')
      end--;
   if (end > from && ((s[end - 1] >= 'a' && s[end - 1] <= 'z') || (s[end - 1] >= 'A' && s[end - 1] <= 'Z')) &&
       ((*next >= '0' && *next <= '9') ||
        ((*next == '-' || *next == '+' || *next == '~') && next[1] >= '0' && next[1] <= '9')))
      return "a label without its number";
   return "words cut off at its panel's edge";
}

void Paint_text(const Rect* r, int row, int col, ColorElement e, const char* s, size_t from, size_t n) {
   (void)e;
   const char* harm = cut_harm(r, row, s, from, n);
   if (harm)
      problem("%s: %s at (%d,%d) of %dx%d at (%d,%d): \"%s\" shows \"%.*s\"", frame_name, harm, row, col, r->w, r->h,
              r->y, r->x, s, (int)n, s + from);
   writes++;
   /* one column a character: count lead bytes */
   int y = r->y + row, x = r->x + col;
   for (size_t i = from; i < from + n; i++) {
      unsigned char u = (unsigned char)s[i];
      if ((u & 0xc0) == 0x80)
         continue;
      if (y >= 0 && y < GRID_H && x >= 0 && x < GRID_W && u != ' ') {
         if (grid[y][x] && grid[y][x] != writes && wordish(grid_ch[y][x]) && wordish((char)u))
            problem("%s: \"%s\" written over other text at (%d,%d)", frame_name, s, y, x);
         grid[y][x] = writes;
         grid_ch[y][x] = (char)u;
      }
      x++;
   }
}

void Paint_fill(int y, int x, int n, ColorElement e, const char* g) {
   (void)e;
   /* a fill (bars, bands) may lie under text: it takes the cells back from text */
   for (int i = 0; i < n; i++)
      if (y >= 0 && y < GRID_H && x + i >= 0 && x + i < GRID_W) {
         grid[y][x + i] = 0;
         grid_ch[y][x + i] = g[0] == ' ' ? ' ' : '#';
      }
}

static void grid_clear(void) {
   memset(grid, 0, sizeof grid);
   memset(grid_ch, 0, sizeof grid_ch);
   writes = 0;
}

/* ------------------------------------------------------------ the synthetic view */

/* This machine's costs, as --calibrate measured them (ns a record, naive and optimized). */
static Calibration calibration(void) {
   Calibration c;
   memset(&c, 0, sizeof c);
   c.window = 100;
   c.allowlist = 1000;
   const double ns[STAGE_LAST][2] = {
       [STAGE_FILTER] = {202.5, 5.5},    [STAGE_NORMALIZE] = {18.9, 0.9}, [STAGE_ENRICH] = {368.2, 12.1},
       [STAGE_FEATURE] = {1377.8, 33.0}, [STAGE_SCORE] = {3.0, 4.3},      [STAGE_FORMAT] = {1346.6, 127.7}};
   for (int s = 0; s < STAGE_LAST; s++) {
      c.ns[s][VARIANT_NAIVE] = ns[s][0];
      c.ns[s][VARIANT_OPTIMIZED] = ns[s][1];
   }
   c.feature_ns_per_w = 13.1;
   c.filter_ns_per_k = 0.2;
   c.source_ns = 19492.6;
   c.spread = 0.05;
   return c;
}

static const char* const long_names[] = {
    "machine_temperature_system_failure", "ec2_cpu_utilization_825cc2",     "rds_cpu_utilization_e47b3b",
    "ambient_temperature_system_failure", "nyc_taxi_passenger_count_30min",
};

typedef struct Fixture {
   Options options;
   Calibration cal;
   View view;
   HistorySample hist[VIEW_HISTORY];
} Fixture;

/* Figures at their longest: counts in the billions, hours-old records, every field non-zero. */
static void fill_snapshot(Snapshot* s, const Knobs* k, int64_t t) {
   memset(s, 0, sizeof *s);
   s->t = t;
   s->uptime_s = 35999.9;
   s->seq = (uint64_t)(t / (S / 10));
   s->knobs = *k;
   s->generated = UINT64_C(987654321012);
   s->held_back = UINT64_C(123456789012);
   s->offered = s->generated + s->held_back;
   s->held_back_age_ns = 3599 * S;
   s->offered_exact = false;
   s->filtered = UINT64_C(123456789012);
   s->dropped = UINT64_C(23456789012);
   s->queued = UINT64_C(3456789012);
   s->in_flight = 65536;
   s->processed = s->generated - s->filtered - s->dropped - s->queued - s->in_flight;
   for (int f = 0; f < FILTER_LAST; f++)
      s->filtered_by[f] = s->filtered / FILTER_LAST;
   for (int d = 0; d < DROP_LAST; d++)
      s->dropped_by[d] = s->dropped / DROP_LAST;
   s->backlog_records = s->queued + s->in_flight;
   s->backlog_batches = 12345678;
   s->backlog_bytes = UINT64_C(987654321098);
   s->peak_backlog_records = s->backlog_records;
   s->oldest_age_ns = 35999 * S;
   s->event_read = t;
   s->event_done = t - 3599 * S;
   s->event_lag_ns = 3599 * S;
   s->window_s = 2;
   s->in_rate = 12345678;
   s->admitted_rate = 9876543;
   s->out_rate = 8765432;
   s->drop_rate = 1234567;
   s->backlog_rate = -1234567;
   s->long_window_s = 60;
   s->in_rate_long = 12345678;
   s->out_rate_long = 8765432;
   s->backlog_trend = 3456789;
   s->long_span_ns = 60 * S;
   s->backlog_cap_records = 1e10;
   s->passed_share = 0.873;
   const uint64_t lat[] = {999 * S, 1999 * S, 2999 * S, 3599 * S, 3600 * S, 35999 * S};
   Percentiles p = {.count = UINT64_C(987654321), lat[0], lat[1], lat[2], lat[3], lat[4], lat[5]};
   s->latency_window = s->latency_total = p;
   for (int st = 0; st < STAGE_LAST; st++) {
      s->stage[st] =
          (StageStat){.ns = UINT64_C(9876543210987), .records = s->generated, .share = 0.123, .ns_per_record = 12345.6};
   }
   s->stage[STAGE_FEATURE].share = 0.765;
   s->chain = s->stage[STAGE_FEATURE];
   s->batches_done = UINT64_C(98765432109);
   s->batches_queued = s->batches_done;
   s->records_per_batch = 4095.9;
   s->overhead_ns_per_batch = 987654.3;
   s->handoff_share = 0.087;
   s->mixed_handoffs = true;
   s->done_stale = 1234567;
   s->hot_share = 0.9;
   for (int i = 0; i < SNAPSHOT_PARTITIONS; i++) {
      s->part_busy[i] = i == 17 ? 1.0 : 0.01 * (i % 50);
      s->part_sensor[i] = i % 2 ? (uint32_t)(i % 5) : (uint32_t)(99990 - i); /* named and numbered sensors */
      s->part_sensors[i] = 1563;
   }
   s->ncpu = 2;
   s->threads_running = k->threads;
   s->threads_cap = 0;
   s->n_workers = k->threads < SNAPSHOT_WORKERS ? k->threads : SNAPSHOT_WORKERS;
   for (uint32_t w = 0; w < s->n_workers; w++)
      s->worker_busy[w] = 0.999;
   s->busy = 1.99;
   s->busy_wall = 63.9;
   s->cpu_ratio = 0.031;
   s->handoff_cpu_ns = 987654.3;
   s->source_cpu = 0.999;
   s->others_cpu = 1.99;
   s->alerts = UINT64_C(98765432109);
   s->alert_rate = 987654.3;
   s->alert_delay_window = p;
   s->n_recent = SNAPSHOT_ALERTS;
   for (int a = 0; a < SNAPSHOT_ALERTS; a++)
      s->recent[a] = (Alert){.t_arrival = t - 3599 * S,
                             .t_raised = t,
                             .value = -123456789.123,
                             .z = -98765.4,
                             .sensor = (uint32_t)(a % 5)};
   s->cache_hits = UINT64_C(987654321012);
   s->cache_misses = UINT64_C(98765432101);
   s->output_bytes = UINT64_C(987654321098765);
   s->rss_bytes = UINT64_C(98765432109);
   s->rss_start_bytes = 12345678;
   s->cpu_process = 1.99;
   s->safety_cap_hit = true;
}

/* A long history: every sample with figures at their longest, a knob change marked now and then. */
static void fill_history(Fixture* f, int64_t t) {
   ViewData* v = &f->view.data;
   for (size_t i = 0; i < VIEW_HISTORY; i++) {
      HistorySample* h = &f->hist[i];
      memset(h, 0, sizeof *h);
      h->t = t - (int64_t)(VIEW_HISTORY - i) * (S / 2);
      double up = (double)(i % 97) / 97.0;
      h->backlog = 3.4e9 * up;
      h->held_back = 1.2e9 * up;
      h->held_back_s = 3599 * up;
      h->oldest_age_s = 35999 * up;
      h->event_lag_s = 3599 * up;
      h->in_rate = 12345678;
      h->out_rate = 8765432 * (1 - up / 2);
      h->drop_rate = 1234567 * up;
      h->latency_p50_s = 999 * up;
      h->latency_p99_s = 3599 * up;
      h->latency_max_s = 35999 * up;
      h->alert_rate = 987654 * up;
      h->alert_delay_p99_s = 3599 * up;
      for (int st = 0; st < STAGE_LAST; st++)
         h->stage_share[st] = st == STAGE_FEATURE ? 0.765 : 0.047;
      h->busy_cpu = 1.99;
      h->cpus_taken = 1.99;
      h->batch = i < VIEW_HISTORY / 2 ? 1 : 65536;
      h->threads = i < VIEW_HISTORY / 3 ? 1 : 64;
      h->event = (uint32_t)(i / 40);
   }
   v->hist = f->hist;
   v->nhist = VIEW_HISTORY;
   v->nevents = 0;
   for (uint32_t e = 1; e <= VIEW_HISTORY / 40 && v->nevents < VIEW_EVENTS; e++) {
      HistoryEvent* ev = &v->events[v->nevents++];
      ev->id = e;
      ev->t = f->hist[e * 40 < VIEW_HISTORY ? e * 40 : VIEW_HISTORY - 1].t;
      snprintf(ev->text, sizeof ev->text, "%s", e % 2 ? "overflow drop-oldest" : "feature optimized+sim");
   }
}

/* The lesson fed n snapshots 100 ms apart with these rates, its knob as in v->knobs. */
static void feed_lesson(Fixture* f, int n, double out, double in, VerdictState state) {
   ViewData* v = &f->view.data;
   for (int i = 0; i < n; i++) {
      v->now += S / 10;
      fill_snapshot(&v->snap, &v->knobs, v->now);
      v->snap.out_rate = v->snap.out_rate_long = out;
      v->snap.in_rate = v->snap.in_rate_long = in;
      Verdict vd;
      Verdict_init(&vd);
      vd.state = state;
      vd.last.in_rate = in;
      vd.last.out_rate = out;
      Lesson_update(&v->lesson, &v->snap, &vd);
      /* the structure and memory lessons' tables, as the dashboard feeds them */
      Structure_update(&v->structure, &v->snap);
      Footprint_update(&v->footprint, &v->snap, 374014);
   }
}

/* A finished Amdahl trial of a stage optimized a minute ago: its checkpoint caption and panel. */
static void set_trial(Fixture* f, int stage) {
   ViewData* v = &f->view.data;
   v->trial = (AmdahlTrial){.active = true,
                            .stage = stage,
                            .from = VARIANT_NAIVE,
                            .to = VARIANT_OPTIMIZED,
                            .t = v->now - 60 * S,
                            .p = 0.765,
                            .ns_before = 12345.6,
                            .ns_after = 123.4,
                            .cal_speedup = 41.7,
                            .busy_age_s = 1,
                            .thr_before = 1234567,
                            .sd_before = 12345,
                            .n_before = 123,
                            .before_s = 59.9,
                            .saturated_before = true,
                            .sum_after = 9.87e8,
                            .sumsq_after = 1e16,
                            .n_after = 100,
                            .after_s = 59.9,
                            .first_after = v->now - 50 * S,
                            .last_after = v->now,
                            .finished = true,
                            .last_t = v->now};
}

/* Each lesson's steps, at their longest: after `step` of them the caption quotes what they measured;
 * the last ends the lesson (its before/after table). Returns false when there is no such step. */
static bool lesson_step(Fixture* f, int step) {
   ViewData* v = &f->view.data;
   Knobs* k = &v->knobs;
   const VerdictState behind = VERDICT_FALLING_BEHIND, kept = VERDICT_KEEPING_UP;
   switch (v->scenario) {
   case SCENARIO_LECTURE:
   case SCENARIO_AMDAHL:
      if (step == 1)
         feed_lesson(f, 25, 1234567, 12345678, behind);
      else if (step == 2)
         k->variant[STAGE_FILTER] = VARIANT_OPTIMIZED, feed_lesson(f, 25, 2345678, 12345678, behind);
      else if (step == 3)
         k->variant[STAGE_FEATURE] = VARIANT_OPTIMIZED, feed_lesson(f, 25, 12345678, 12345678, kept);
      else
         return false;
      if (v->scenario == SCENARIO_AMDAHL && step > 1) /* its checkpoints are the Amdahl trial's */
         set_trial(f, step == 2 ? STAGE_FILTER : STAGE_FEATURE);
      return true;
   case SCENARIO_BATCHING:
      if (step > 4)
         return false;
      k->batch = step == 1 ? 1 : step == 2 ? 16 : step == 3 ? 4096 : 65536;
      feed_lesson(f, 25, step == 1 ? 123.4 : 12345678, 12345678, step == 1 ? behind : kept);
      return true;
   case SCENARIO_THREADS:
   case SCENARIO_SKEW:
      if (step > 3)
         return false;
      k->threads = step == 1 ? 1 : step == 2 ? 2 : 64;
      feed_lesson(f, 25, step == 1 ? 1234567 : 9876543, 12345678, behind);
      return true;
   case SCENARIO_OVERFLOW:
      if (step > OVERFLOW_LAST)
         return false;
      k->overflow = (Overflow)(step - 1);
      feed_lesson(f, 25, 1234567, 12345678, behind);
      return true;
   default:
      return false;
   }
}

static void fixture_init(Fixture* f, int scenario) {
   memset(f, 0, sizeof *f);
   Options_init(&f->options);
   f->cal = calibration();
   f->options.scenario = scenario;
   if (scenario < SCENARIO_LAST)
      Scenario_apply((ScenarioId)scenario, &f->cal, &f->options.setup);
   ViewData* v = &f->view.data;
   v->options = &f->options;
   v->calibration = &f->cal;
   v->scenario = scenario;
   v->knobs = f->options.setup.knobs;
   v->now = 36000 * S;
   v->sensor_names = long_names;
   v->n_sensor_names = sizeof long_names / sizeof long_names[0];
   v->ui_cpu = 0.99;
   Analysis_init(&v->analysis);
   Tradeoff_init(&v->tradeoff);
   Lesson_init(&v->lesson, scenario);
   Structure_init(&v->structure);
   Footprint_init(&v->footprint);
   AmdahlTrial_void(&v->trial, "the pipeline");
   f->view.g = Chart_glyphs(true);
   f->view.ui.selected = 0;
   fill_history(f, v->now);
   fill_snapshot(&v->snap, &v->knobs, v->now);
   Analysis_update(&v->analysis, &v->snap, v->hist, v->nhist);
   Tradeoff_feed(&v->tradeoff, v->hist, v->nhist, Tradeoff_variants(v->knobs.variant), false);
}

/* Everything else a screen can carry at once: a replay with its position and errors, a recording, the
 * header's tags and a message, an order violation, a finished Amdahl trial, ASCII glyphs. */
static void add_frills(Fixture* f) {
   ViewData* v = &f->view.data;
   static const char* const files[] = {"/home/instructor/lectures/2026/machine_temperature_system_failure.csv"};
   f->options.replay.item[0] = files[0];
   f->options.replay.n = 1;
   v->replaying = true;
   v->knobs.speed = 1000;
   v->replay = (ReplayPosition){.file = files[0],
                                .n_files = 12,
                                .file_index = 11,
                                .rows_read = UINT64_C(98765432109),
                                .rows = UINT64_C(98765432109),
                                .bytes = UINT64_C(987654321098),
                                .size = UINT64_C(998765432109),
                                .percent = 99.9,
                                .records = UINT64_C(98765432109),
                                .t_recording_s = 3.1e7,
                                .file_time = INT64_C(1796668731) * S,
                                .speed = 1000,
                                .loops = 12345,
                                .bad_rows = 1234567,
                                .late_rows = 1234567,
                                .due_in_ns = 3599 * S,
                                .gaps = 123456,
                                .gap_ns = 35999 * S,
                                .gap_at = v->now - S,
                                .gaps_saved_ns = 359999 * S,
                                .loop = true,
                                .can_move = true,
                                .seeks = 1234,
                                .skipped_rows = UINT64_C(9876543210),
                                .skipped_records = UINT64_C(9876543210)};
   for (int i = 0; i < 8; i++) {
      ReplayPosition p = v->replay;
      p.bytes = (uint64_t)i * 1000000;
      p.rows = (uint64_t)i * 100000;
      ReplayProgress_add(&v->replay_progress, v->now - (8 - i) * S, &p);
   }
   snprintf(v->replay_about, sizeof v->replay_about, "%s", "time=timestamp (ISO 8601, UTC), sensor=name, value=*");
   snprintf(v->replay_error, sizeof v->replay_error, "%s",
            "machine_temperature_system_failure.csv:123456789: a time before the previous row's by 3.5 d");
   v->recording = true;
   snprintf(v->rec_path, sizeof v->rec_path, "%s", "/home/instructor/recordings/lecture-2026-12-08-bursts.csv");
   v->rec = (RecorderStats){.path = v->rec_path,
                            .records = UINT64_C(98765432109),
                            .written = UINT64_C(98765432109),
                            .bytes = UINT64_C(987654321098),
                            .stall_ns = 3599 * S};
   v->knobs.paused = true;
   f->view.ui.frozen = true;
   snprintf(f->view.ui.message, sizeof f->view.ui.message, "%s",
            "feature optimized: Amdahl predicts x3.21 (76% of the time)");
   f->view.ui.message_until = v->now + 10 * S;
   f->view.ui.selected = VIEW_KNOB_ROWS + STAGE_FEATURE; /* a stage row: the Amdahl panel comes up */
   f->view.ui.amdahl_stage = STAGE_FEATURE;
   set_trial(f, STAGE_FEATURE);
   f->view.g = Chart_glyphs(false);
}

/* ------------------------------------------------------------ the checks */

static const int five_sizes[][2] = {{80, 24}, {100, 30}, {120, 36}, {160, 45}, {200, 50}};

/* Lay out and draw one frame at each size, in each verdict state. */
static void draw_everywhere(Fixture* f, const char* moment) {
   ViewData* v = &f->view.data;
   fill_snapshot(&v->snap, &v->knobs, v->now);
   if (v->replaying) {
      v->snap.source_done = true;
      v->snap.order_violations = 12345;
   }
   Analysis_update(&v->analysis, &v->snap, v->hist, v->nhist);
   char name[120];
   for (size_t i = 0; i < sizeof five_sizes / sizeof five_sizes[0]; i++) {
      int w = five_sizes[i][0], h = five_sizes[i][1];
      for (int st = 0; st < VERDICT_LAST; st++) {
         f->view.data.analysis.verdict.state = (VerdictState)st;
         snprintf(name, sizeof name, "%s %dx%d %s verdict %d", Scenario_names[v->scenario], w, h, moment, st);
         frame_name = name;
         Frame_layout(&f->view, w, h, false);
         assert_false(f->view.layout.too_small);
         ViewHits hits;
         ViewHits_clear(&hits);
         grid_clear();
         Frame_drawMain(&f->view, &hits, w);
      }
      /* the full-screen views: help, the event log, the latency percentiles, the scenario menu */
      Canvas full = Canvas_make((Rect){.y = 0, .x = 0, .h = h, .w = w});
      grid_clear();
      Screens_help(&f->view, &full);
      grid_clear();
      Screens_eventLog(&f->view, &full);
      grid_clear();
      Screens_latency(&f->view, &full);
      /* the menu at each entry: what switching to it changes, and the command that starts it */
      static const char* const argv[] = {"keepup", "--scenario", "lecture", "--replay",
                                         "/home/instructor/lectures/2026/machine_temperature_system_failure.csv"};
      static char command[1024];
      f->view.data.plan_command = command;
      f->view.data.plan_command_len = sizeof command;
      for (int id = 0; id <= SCENARIO_LAST; id++) {
         f->view.ui.menu_selected = id;
         ScenarioPlan_make(&v->plan, id, v->calibration, &f->options, &v->knobs, v->replaying);
         ScenarioPlan_command(command, sizeof command, argv, 5, id);
         grid_clear();
         Screens_scenarioMenu(&f->view, &full);
      }
   }
}

static void expect_no_problems(void) {
   for (int i = 0; i < problems && i < MAX_REPORT; i++)
      print_message("%s\n", report[i]);
   if (problems > MAX_REPORT)
      print_message("... and %d more\n", problems - MAX_REPORT);
   assert_int_equal(problems, 0);
}

static void every_scenario(void** state) {
   (void)state;
   static Fixture f;
   problems = 0;
   for (int s = 0; s <= SCENARIO_LAST; s++) {
      fixture_init(&f, s);
      draw_everywhere(&f, "at start");
      char moment[32], l0[LESSON_LINE], l1[LESSON_LINE];
      int step = 1;
      for (; lesson_step(&f, step); step++) {
         /* the lesson's own text is what is on screen: a checkpoint, then its table at the end */
         if (!Lesson_caption(&f.view.data.lesson, l0, l1, LESSON_LINE) && !Lesson_ended(&f.view.data.lesson) &&
             !f.view.data.trial.active && !(s == SCENARIO_AMDAHL && step == 1))
            fail_msg("%s step %d: the lesson has nothing to say", Scenario_names[s], step);
         snprintf(moment, sizeof moment, "lesson step %d", step);
         draw_everywhere(&f, moment);
      }
      if (step > 1 && !Lesson_ended(&f.view.data.lesson))
         fail_msg("%s: the lesson did not end", Scenario_names[s]);
      /* the record chain and the fused loop (their stage table), records boxed */
      f.view.data.knobs.layout = LAYOUT_BOXED;
      for (int d = DISPATCH_RECORD; d < DISPATCH_LAST; d++) {
         f.view.data.knobs.dispatch = (Dispatch)d;
         feed_lesson(&f, 25, 12345678, 23456789, VERDICT_FALLING_BEHIND);
         draw_everywhere(&f, Dispatch_names[d]);
      }
      add_frills(&f);
      draw_everywhere(&f, "replay, recording, trial, ASCII");
   }
   expect_no_problems();
}

/* The check itself: a label too long for its panel is reported. */
static void a_cut_label__is_reported(void** state) {
   (void)state;
   problems = 0;
   frame_name = "a canvas";
   grid_clear();
   Canvas c = Canvas_make((Rect){.y = 0, .x = 0, .h = 2, .w = 20});
   Canvas_text(&c, 0, 0, CE_TITLE, "Backlog 12.3M records");
   assert_int_equal(problems, 1);
   Canvas_text(&c, 2, 0, CE_TITLE, "below");
   assert_int_equal(problems, 2);
   Canvas_text(&c, 1, 0, CE_TITLE, "twelve");
   Canvas_text(&c, 1, 3, CE_TITLE, "x");
   assert_int_equal(problems, 3);
   Canvas_text(&c, 1, 10, CE_TITLE, "fits   ");
   assert_int_equal(problems, 3);
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(a_cut_label__is_reported),
       cmocka_unit_test(every_scenario),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
