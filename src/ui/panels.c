/*
 * panels.c: every panel of the dashboard, drawn from a View (UI thread only).
 *
 * Each panel's first row is its title with the numbers that matter most,
 * every number with its unit; the rest is a chart, a table or a list. Time
 * charts share one drawer: bars for the main series, a line for a second one,
 * event ticks through the columns where a knob changed. Scratch arrays are
 * static so that a frame allocates nothing.
 */
#include "config.h"

#include "ui/panels.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "core/stages/stage.h"
#include "base/units.h"
#include "ui/bigtext.h"
#include "ui/recording.h"

#define PANEL_MAX_COLS      512
#define PANEL_LABEL_W       7 /* y-axis labels: "2.00M", "500 ms" */
#define PANEL_CHART_SPAN_NS (60 * NS_PER_SEC)
#define PANEL_LATE_S        1.0 /* an alert raised later than this after its reading is late */

static double panel_a[PANEL_MAX_COLS];
static double panel_b[PANEL_MAX_COLS];
static bool panel_hasA[PANEL_MAX_COLS];
static bool panel_hasB[PANEL_MAX_COLS];
static uint32_t panel_ev[PANEL_MAX_COLS];

/* ------------------------------------------------------------ formatting */

static void panel_seconds(char* buf, size_t len, double s) {
   if (!isfinite(s) || s < 0)
      s = 0;
   Units_formatDuration(buf, len, (int64_t)llround(s * 1e9));
}

/* "1:23" or "1:02:03"; with tenths, "1:23.4" */
static void panel_clock(char* buf, size_t len, double s, bool tenths) {
   long ds = s > 0 ? (long)(s * 10) : 0;
   long t = ds / 10;
   if (t >= 3600)
      snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
   else if (tenths)
      snprintf(buf, len, "%ld:%02ld.%ld", t / 60, t % 60, ds % 10);
   else
      snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

static ColorElement panel_severity(double v, double warn, double crit) {
   return v >= crit ? CE_CRIT : v >= warn ? CE_WARN : CE_OK;
}

/* Write label + value + unit in one go; returns the column after it. */
static int panel_field(const Canvas* c, int row, int col, const char* label, ColorElement e, const char* value,
                       const char* unit) {
   if (label && *label)
      col = Canvas_text(c, row, col, CE_HINT, label);
   col = Canvas_text(c, row, col, e, value);
   if (unit && *unit)
      col = Canvas_text(c, row, col, CE_HINT, unit);
   return col;
}

/* The same, only when all of it fits in the canvas's width (optional parts of a title). */
static int panel_fieldIf(const Canvas* c, int row, int col, const char* label, ColorElement e, const char* value,
                         const char* unit) {
   int w = Canvas_width(label ? label : "") + Canvas_width(value) + Canvas_width(unit ? unit : "");
   return col + w <= c->r.w ? panel_field(c, row, col, label, e, value, unit) : col;
}

static const char* panel_eventText(const View* v, uint32_t id) {
   for (size_t i = v->nevents; i-- > 0;)
      if (v->events[i].id == id)
         return v->events[i].text;
   return "";
}

/* ------------------------------------------------------------ time charts */

static double h_backlog(const HistorySample* s) {
   return s->backlog;
}
static double h_oldest(const HistorySample* s) {
   return s->oldest_age_s;
}
static double h_lag(const HistorySample* s) {
   return s->output_lag_s;
}
static double h_in(const HistorySample* s) {
   return s->in_rate;
}
static double h_out(const HistorySample* s) {
   return s->out_rate;
}
static double h_p50(const HistorySample* s) {
   return s->latency_p50_s;
}
static double h_p99(const HistorySample* s) {
   return s->latency_p99_s;
}
static double h_alertDelay(const HistorySample* s) {
   return s->alert_delay_p99_s;
}

typedef struct TimeChart {
   double (*bars)(const HistorySample*);
   double (*line)(const HistorySample*); /* NULL: none */
   ChartScale scale;
   bool seconds; /* values are seconds (labels are durations), else counts */
   double floor; /* the smallest axis maximum */
   bool labels;  /* write the event's text beside its tick */
} TimeChart;

static void panel_axisLabel(const TimeChart* tc, char* buf, size_t len, double v) {
   if (tc->seconds)
      panel_seconds(buf, len, v);
   else
      Units_formatCount(buf, len, v);
}

/* Label the event ticks in the chart's top row: right of the tick when the
 * whole label fits before the next tick, else left of it when it fits after
 * the last label; a label that fits nowhere is left out (the event log has it). */
static void panel_markLabels(const View* v, const Canvas* chart, int w) {
   int used = -1; /* the last column a tick or a label took */
   for (int i = 0; i < w; i++) {
      if (!panel_ev[i])
         continue;
      int next = i + 1;
      while (next < w && !panel_ev[next])
         next++;
      const char* text = panel_eventText(v, panel_ev[i]);
      int len = Canvas_width(text);
      int right = next - i - 1;
      int left = i - used - 1;
      if (len > 0 && right >= len) {
         Canvas sub = Canvas_sub(chart, 0, i + 1, 1, len);
         Canvas_text(&sub, 0, 0, CE_MARK, text);
         used = i + len;
      } else if (len > 0 && left >= len) {
         Canvas sub = Canvas_sub(chart, 0, i - len, 1, len);
         Canvas_text(&sub, 0, 0, CE_MARK, text);
         used = i;
      } else {
         used = i;
      }
   }
}

static void panel_timeChart(View* v, const Canvas* c, int top, const TimeChart* tc) {
   const Glyphs* g = v->g;
   int rows = c->r.h - top;
   bool axis = rows >= 6;
   if (axis)
      rows--;
   int w = c->r.w - PANEL_LABEL_W - 1;
   if (rows < 1 || w < 4)
      return;
   if (w > PANEL_MAX_COLS)
      w = PANEL_MAX_COLS;
   int64_t end_t = v->nhist ? v->hist[v->nhist - 1].t : v->snap.t;
   int64_t span = Chart_span(w, PANEL_CHART_SPAN_NS);
   /* only the samples the chart covers, plus one before them for the event marks */
   size_t first = v->nhist;
   while (first > 0 && v->hist[first - 1].t > end_t - span * (w + 1))
      first--;
   if (first > 0)
      first--;
   const HistorySample* hs = v->hist + first;
   size_t n = v->nhist - first;
   Chart_columns(hs, n, tc->bars, CHART_MAX, end_t, span, w, panel_a, panel_hasA);
   double max = Chart_autoscale(panel_a, panel_hasA, w, tc->floor);
   if (tc->line) {
      Chart_columns(hs, n, tc->line, CHART_MEAN, end_t, span, w, panel_b, panel_hasB);
      double m2 = Chart_autoscale(panel_b, panel_hasB, w, tc->floor);
      if (m2 > max)
         max = m2;
   }
   Chart_events(hs, n, end_t, span, w, panel_ev);
   double log_min = max / 1e4;

   char lab[16];
   panel_axisLabel(tc, lab, sizeof lab, max);
   Canvas_textRight(c, top, PANEL_LABEL_W, CE_HINT, lab);
   if (rows >= 2) {
      if (tc->scale == CHART_LOG)
         panel_axisLabel(tc, lab, sizeof lab, log_min);
      else
         snprintf(lab, sizeof lab, "0");
      Canvas_textRight(c, top + rows - 1, PANEL_LABEL_W, CE_HINT, lab);
   }
   for (int r = 0; r < rows; r++)
      Canvas_text(c, top + r, PANEL_LABEL_W, CE_HINT, g->vaxis);

   Canvas chart = Canvas_sub(c, top, PANEL_LABEL_W + 1, rows, w);
   for (int i = 0; i < w; i++) {
      int e = panel_hasA[i] ? Chart_eighths(Chart_fraction(panel_a[i], max, tc->scale, log_min), rows) : 0;
      for (int r = 0; r < rows; r++) {
         int level = Chart_cellLevel(e, r);
         if (level > 0)
            Canvas_text(&chart, rows - 1 - r, i, CE_CHART, g->bar[level]);
         else if (panel_ev[i])
            Canvas_text(&chart, rows - 1 - r, i, CE_MARK, g->mark);
      }
      if (tc->line && panel_hasB[i]) {
         /* inside a bar the line is drawn in reverse so the bar does not hide it */
         int r = Chart_row(Chart_fraction(panel_b[i], max, tc->scale, log_min), rows);
         Canvas_text(&chart, rows - 1 - r, i, Chart_cellLevel(e, r) > 0 ? CE_CHART_LINE_IN : CE_CHART_LINE, g->line);
      }
   }
   if (tc->labels && rows >= 2)
      panel_markLabels(v, &chart, w);
   if (axis) {
      int y = top + rows;
      Canvas_text(c, y, PANEL_LABEL_W, CE_HINT, g->origin);
      Canvas_fill(c, y, PANEL_LABEL_W + 1, w, CE_HINT, g->haxis);
      char span_text[48];
      panel_seconds(lab, sizeof lab, (double)(span * w) / 1e9);
      snprintf(span_text, sizeof span_text, " -%s ", lab);
      Canvas_text(c, y, PANEL_LABEL_W + 1, CE_HINT, span_text);
      Canvas_textRight(c, y, PANEL_LABEL_W + 1 + w, CE_HINT, " now");
      panel_seconds(lab, sizeof lab, (double)span / 1e9);
      snprintf(span_text, sizeof span_text, " %s per column ", lab);
      Canvas_text(c, y, PANEL_LABEL_W + 1 + (w - Canvas_width(span_text)) / 2, CE_HINT, span_text);
   }
}

/* ------------------------------------------------------------ panels */

static void panel_backlog(View* v, const Canvas* c) {
   const Snapshot* s = &v->snap;
   bool wide = c->r.w >= 60;
   char a[16], b[16], r[16];
   Units_formatCount(a, sizeof a, (double)s->backlog_records);
   Units_formatBytes(b, sizeof b, (double)s->backlog_bytes);
   Units_formatCount(r, sizeof r, fabs(s->backlog_rate));
   ColorElement sev = panel_severity((double)s->oldest_age_ns / 1e9, 1, 10);
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Backlog ");
   x = panel_field(c, 0, x, NULL, sev, a, " rec ");
   /* the memory only when the rate of change still fits after it */
   int need = Canvas_width(b) + (wide ? 3 : 1) + 2 + Canvas_width(r) + 6;
   if (s->backlog_bytes > 0 && x + need <= c->r.w)
      x = Canvas_printf(c, 0, x, CE_HINT, wide ? "(%s) " : "%s ", b);
   const char* arrow = s->backlog_rate > 0.5 ? v->g->up : s->backlog_rate < -0.5 ? v->g->down : "";
   x = Canvas_text(c, 0, x, s->backlog_rate > 0.5 ? CE_WARN : CE_OK, arrow);
   x = panel_field(c, 0, x, NULL, CE_VALUE, s->backlog_rate >= 0 ? "+" : "-", NULL);
   x = panel_field(c, 0, x, NULL, CE_VALUE, r, " rec/s ");
   char cap[16];
   if (v->knobs.overflow == OVERFLOW_GROW)
      snprintf(cap, sizeof cap, "none");
   else if (v->knobs.max_backlog_records)
      Units_formatCount(cap, sizeof cap, (double)v->knobs.max_backlog_records);
   else
      Units_formatBytes(cap, sizeof cap, (double)v->knobs.max_backlog_bytes);
   if (s->dropped) {
      Units_formatCount(a, sizeof a, (double)s->dropped);
      x = panel_fieldIf(c, 0, x, wide ? " dropped " : "drop ", CE_CRIT, a, wide ? " rec " : " ");
   }
   panel_fieldIf(c, 0, x, wide ? " cap " : "cap ", CE_HINT, cap, wide && v->knobs.max_backlog_records ? " rec" : "");
   static const TimeChart tc = {.bars = h_backlog, .scale = CHART_LINEAR, .floor = 10, .labels = true};
   panel_timeChart(v, c, 1, &tc);
}

static void panel_staleness(View* v, const Canvas* c) {
   const Snapshot* s = &v->snap;
   bool wide = c->r.w >= 60;
   char a[16], b[16];
   double age = (double)s->oldest_age_ns / 1e9, lag = (double)s->output_lag_ns / 1e9;
   panel_seconds(a, sizeof a, age);
   panel_seconds(b, sizeof b, lag);
   if (s->oldest_age_ns == 0)
      snprintf(a, sizeof a, "none");
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Staleness ");
   x = panel_field(c, 0, x, wide ? "oldest waiting " : "oldest ", panel_severity(age, 1, 10), a, " ");
   x = Canvas_text(c, 0, x, CE_CHART, v->g->bar[8]);
   x = panel_field(c, 0, x, wide ? "  output lag " : " lag ", panel_severity(lag, 1, 10), b, " ");
   Canvas_text(c, 0, x, CE_CHART_LINE, v->g->line);
   static const TimeChart tc = {.bars = h_oldest, .line = h_lag, .scale = CHART_LINEAR, .seconds = true, .floor = 0.01};
   panel_timeChart(v, c, 1, &tc);
}

static void panel_throughput(View* v, const Canvas* c) {
   const Snapshot* s = &v->snap;
   bool wide = c->r.w >= 60;
   char a[16], b[16];
   Units_formatCount(a, sizeof a, s->in_rate);
   Units_formatCount(b, sizeof b, s->out_rate);
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Throughput ");
   x = panel_field(c, 0, x, "in ", CE_VALUE, a, wide ? " rec/s " : " ");
   x = Canvas_text(c, 0, x, CE_CHART_LINE, v->g->line);
   bool short_of = s->out_rate < s->in_rate * 0.98 && s->in_rate > 0;
   x = panel_field(c, 0, x, wide ? "  out " : " out ", short_of ? CE_WARN : CE_OK, b, " rec/s ");
   Canvas_text(c, 0, x, CE_CHART, v->g->bar[8]);
   static const TimeChart tc = {.bars = h_out, .line = h_in, .scale = CHART_LINEAR, .floor = 10};
   panel_timeChart(v, c, 1, &tc);
}

static void panel_latency(View* v, const Canvas* c) {
   const Snapshot* s = &v->snap;
   bool wide = c->r.w >= 60;
   char a[16], b[16], m[16];
   Units_formatDuration(a, sizeof a, (int64_t)s->latency_window.p50);
   Units_formatDuration(b, sizeof b, (int64_t)s->latency_window.p99);
   Units_formatDuration(m, sizeof m, (int64_t)s->latency_window.max);
   double p99 = (double)s->latency_window.p99 / 1e9;
   if (s->latency_window.count == 0) {
      /* nothing completed in the last second: there is no latency to show */
      snprintf(a, sizeof a, "-");
      snprintf(b, sizeof b, "-");
      snprintf(m, sizeof m, "-");
   }
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Latency ");
   x = panel_field(c, 0, x, "p50 ", CE_VALUE, a, " ");
   x = Canvas_text(c, 0, x, CE_CHART_LINE, v->g->line);
   x = panel_field(c, 0, x, wide ? "  p99 " : " p99 ", panel_severity(p99, 0.1, 1), b, " ");
   x = Canvas_text(c, 0, x, CE_CHART, v->g->bar[8]);
   x = panel_fieldIf(c, 0, x, wide ? "  max " : " max ", CE_VALUE, m, NULL);
   if (c->r.w >= 90)
      Canvas_text(c, 0, x, CE_HINT, "  (event time to done, last 1 s, log scale)");
   static const TimeChart tc = {.bars = h_p99, .line = h_p50, .scale = CHART_LOG, .seconds = true, .floor = 0.001};
   panel_timeChart(v, c, 1, &tc);
}

static void panel_alertDelay(View* v, const Canvas* c) {
   const Snapshot* s = &v->snap;
   char a[16];
   Units_formatDuration(a, sizeof a, (int64_t)s->alert_delay_window.p99);
   double p99 = (double)s->alert_delay_window.p99 / 1e9;
   if (s->alert_delay_window.count == 0)
      snprintf(a, sizeof a, "-");
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Alert delay ");
   x = panel_field(c, 0, x, "p99 ", panel_severity(p99, 0.1, PANEL_LATE_S), a, " ");
   x = Canvas_text(c, 0, x, CE_CHART, v->g->bar[8]);
   Canvas_text(c, 0, x, CE_HINT, c->r.w >= 64 ? "  reading to alert; late over 1 s (log)" : " late over 1 s");
   static const TimeChart tc = {.bars = h_alertDelay, .scale = CHART_LOG, .seconds = true, .floor = 0.001};
   panel_timeChart(v, c, 1, &tc);
}

static void panel_stages(View* v, const Canvas* c) {
   const Snapshot* s = &v->snap;
   const Glyphs* g = v->g;
   bool wide = c->r.w >= 56;
   /* columns: name | bar | share | time per record | variant */
   const int name_w = 13, share_w = 5;
   int ns_w = wide ? 11 : 9;
   /* simulated costs widen the variant column: "+sim" follows the variant */
   bool sim_rows = false;
   for (int st = 0; st < STAGE_LAST; st++)
      sim_rows = sim_rows || v->knobs.stage_cost_ns[st] > 0;
   bool sim = sim_rows || v->knobs.dispatch_cost_ns > 0;
   int var_w = (wide ? 10 : 6) + (sim_rows ? 4 : 0);
   int bar_w = c->r.w - name_w - share_w - ns_w - var_w;
   if (bar_w < 1)
      bar_w = 1;
   int x_share = name_w + bar_w;
   int x_var = x_share + share_w + ns_w + 1;
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Stages ");
   int hint_end = x_share + share_w - 6;
   Canvas hint = Canvas_sub(c, 0, x, 1, hint_end - x);
   /* between bursts the last second saw no work: show the last one that did, and say when */
   bool held = v->analysis.stages_t > 0 && v->analysis.stages_t < s->t;
   if (held) {
      char ago[16], text[48];
      panel_seconds(ago, sizeof ago, (double)(s->t - v->analysis.stages_t) / 1e9);
      snprintf(text, sizeof text, "idle, as of %s ago", ago);
      if (Canvas_width(text) > hint_end - x)
         snprintf(text, sizeof text, "idle");
      Canvas_text(&hint, 0, 0, CE_WARN, text);
   } else {
      Canvas_text(&hint, 0, 0, CE_HINT,
                  hint_end - x >= 34   ? "1-6 toggle; share of the stage time"
                  : hint_end - x >= 10 ? "1-6 toggle"
                                       : "1-6");
   }
   Canvas_textRight(c, 0, x_share + share_w, CE_HINT, "share");
   Canvas_textRight(c, 0, x_var - 1, CE_HINT, wide ? "per record" : "per rec");
   Canvas_text(c, 0, x_var, CE_HINT, wide ? "variant" : "var.");
   const StageStat* stat = v->analysis.stages_t > 0 ? v->analysis.stages : s->stage;
   int top = 0;
   for (int st = 1; st < STAGE_LAST; st++)
      if (stat[st].share > stat[top].share)
         top = st;
   v->stage_area = c->r;
   for (int st = 0; st < STAGE_LAST; st++) {
      int row = 1 + st;
      v->stage_y[st] = row < c->r.h ? c->r.y + row : -1;
      if (row >= c->r.h)
         break;
      const StageStat* ss = &stat[st];
      bool sel = v->selected == VIEW_KNOB_ROWS + st;
      bool dominant = st == top && ss->share > 0;
      char name[24];
      snprintf(name, sizeof name, "%s%d %-9s", sel ? g->select : " ", st + 1, Stage_table[st].name);
      Canvas_text(c, row, 0, sel ? CE_SELECTED : dominant ? CE_VALUE : CE_DEFAULT, name);
      int eighths = (int)lround(ss->share * bar_w * 8);
      int full = eighths / 8, part = eighths % 8;
      Canvas_fill(c, row, name_w, full, dominant ? CE_BAR_TOP : CE_BAR, g->hbar[8]);
      if (part && full < bar_w)
         Canvas_text(c, row, name_w + full, dominant ? CE_BAR_TOP : CE_BAR, g->hbar[part]);
      char pct[8], ns[16];
      snprintf(pct, sizeof pct, "%3.0f%%", ss->share * 100);
      Canvas_textRight(c, row, x_share + share_w, dominant ? CE_CRIT : CE_VALUE, pct);
      Units_formatDuration(ns, sizeof ns, (int64_t)llround(ss->ns_per_record));
      Canvas_textRight(c, row, x_var - 1, CE_DEFAULT, ss->ns_per_record > 0 ? ns : "-");
      Variant var = v->knobs.variant[st];
      const char* vname = var == VARIANT_OPTIMIZED ? (wide ? "optimized" : "optim") : "naive";
      int xv = Canvas_text(c, row, x_var, var == VARIANT_OPTIMIZED ? CE_OPTIMIZED : CE_NAIVE, vname);
      if (v->knobs.stage_cost_ns[st] > 0)
         Canvas_text(c, row, xv, CE_SIMULATED, "+sim");
   }
   /* what is simulated, in numbers, on the row the layout gives for it */
   if (sim && c->r.h > 1 + STAGE_LAST) {
      int row = 1 + STAGE_LAST;
      char text[160], a[16];
      int n = 0;
      text[0] = '\0';
      if (v->knobs.dispatch_cost_ns > 0) {
         Units_formatDuration(a, sizeof a, v->knobs.dispatch_cost_ns);
         n += snprintf(text + n, sizeof text - (size_t)n, wide ? "%s per batch" : "%s/batch", a);
      }
      for (int st = 0; st < STAGE_LAST && n < (int)sizeof text - 40; st++) {
         if (v->knobs.stage_cost_ns[st] <= 0)
            continue;
         Units_formatDuration(a, sizeof a, v->knobs.stage_cost_ns[st]);
         n += snprintf(text + n, sizeof text - (size_t)n, "%s%s +%s/rec", n ? ", " : "", Stage_table[st].name, a);
      }
      int xs = Canvas_text(c, row, 0, CE_SIMULATED, wide ? " simulated CPU work " : " sim ");
      Canvas_text(c, row, xs + (wide ? 1 : 0), CE_HINT, text);
   }
}

/* A knob's value as its row shows it, with what the run adds: the CPUs beside
 * the threads, the cap beside the overflow policy, the pace of a replay. */
static void panel_knobValue(const View* v, KnobId id, char* buf, size_t len) {
   const Knobs* k = &v->knobs;
   const KnobDef* d = &Knob_table[id];
   char a[16], b[16];
   Knob_format(id, Knobs_get(k, id), a, sizeof a);
   switch (id) {
   case KNOB_THREADS:
      snprintf(buf, len, "%s of %" PRIu32 " CPUs", a, v->snap.ncpu);
      break;
   case KNOB_SPEED:
      Recording_speedText(a, sizeof a, k->speed);
      snprintf(buf, len, "%s%s", a, k->speed > 0 ? " of the file's pace" : " (as fast as possible)");
      break;
   case KNOB_OVERFLOW:
      if (k->overflow == OVERFLOW_GROW) {
         snprintf(buf, len, "grow (no cap)");
         break;
      }
      if (k->max_backlog_records)
         Units_formatCount(b, sizeof b, (double)k->max_backlog_records);
      else
         Units_formatBytes(b, sizeof b, (double)k->max_backlog_bytes);
      snprintf(buf, len, "%s at %s%s", a, b, k->max_backlog_records ? " rec" : "");
      break;
   default:
      snprintf(buf, len, "%s%s%s", a, d->unit ? " " : "", d->unit ? d->unit : "");
      break;
   }
}

static void panel_knobs(View* v, const Canvas* c) {
   const Glyphs* g = v->g;
   Canvas_text(c, 0, 0, CE_TITLE, "Knobs");
   Canvas_text(c, 0, 7, CE_HINT,
               g->utf8 ? "\xe2\x86\x91\xe2\x86\x93 select  \xe2\x86\x90\xe2\x86\x92 change" : "arrows: select, change");
   v->knob_area = c->r;
   for (int i = 0; i < VIEW_KNOB_ROWS; i++) {
      int row = 1 + i;
      v->knob_y[i] = row < c->r.h ? c->r.y + row : -1;
      if (row >= c->r.h)
         break;
      KnobId id = View_rowKnob(v, i);
      const char* name;
      char val[48], keys[16];
      if (id == KNOB_LAST && v->replaying) {
         /* the row of a knob that does not apply here says what feeds the pipeline */
         name = "source";
         snprintf(val, sizeof val, "replay, %" PRIu32 " file%s", v->replay.n_files, v->replay.n_files == 1 ? "" : "s");
      } else if (id == KNOB_LAST) {
         name = "arrival";
         snprintf(val, sizeof val, "%s, %" PRIu32 " sensors", Arrival_names[v->knobs.arrival],
                  v->options->setup.sensors);
      } else {
         name = Knob_table[id].name;
         panel_knobValue(v, id, val, sizeof val);
      }
      if (id == KNOB_LAST)
         keys[0] = '\0';
      else if (Knob_table[id].key_down)
         snprintf(keys, sizeof keys, "%c %c", Knob_table[id].key_down, Knob_table[id].key_up);
      else
         snprintf(keys, sizeof keys, "%s", g->utf8 ? "\xe2\x86\x90 \xe2\x86\x92" : "< >");
      bool sel = id != KNOB_LAST && v->selected == i;
      char label[16];
      snprintf(label, sizeof label, "%s%-9s", sel ? g->select : " ", name);
      int x = Canvas_text(c, row, 0, sel ? CE_SELECTED : CE_DEFAULT, label);
      Canvas_text(c, row, x, sel ? CE_SELECTED : CE_VALUE, val);
      Canvas_textRight(c, row, c->r.w, CE_KEY, keys);
   }
}

#define PANEL_CURVE_ROWS 64
#define PANEL_PLOT_POINTS (TRADEOFF_POINTS + SWEEP_MAX_POINTS + 1)
static unsigned char panel_cells[PANEL_CURVE_ROWS * PANEL_MAX_COLS];

/* One point of the throughput-vs-latency plot. */
typedef struct PlotPoint {
   double x, y; /* p99 latency (s), throughput (records/s) */
   uint32_t batch;
   bool current; /* the live setting */
   bool knee;
   bool unsettled; /* a sweep point measured on an older backlog */
} PlotPoint;

/* The curve: braille lines through the points in batch-size order. */
static void panel_tradeoffCurve(const Canvas* plot, PlotPoint* pts, int m, double lo, double hi, double ymax) {
   int w = plot->r.w, h = plot->r.h;
   if (h > PANEL_CURVE_ROWS || w > PANEL_MAX_COLS || m < 2)
      return;
   int order[PANEL_PLOT_POINTS];
   for (int i = 0; i < m; i++)
      order[i] = i;
   for (int i = 1; i < m; i++) /* insertion sort by batch size */
      for (int j = i; j > 0 && pts[order[j - 1]].batch > pts[order[j]].batch; j--) {
         int t = order[j];
         order[j] = order[j - 1];
         order[j - 1] = t;
      }
   int dw = 2 * w, dh = 4 * h;
   memset(panel_cells, 0, (size_t)(w * h));
   int px = 0, py = 0;
   for (int i = 0; i < m; i++) {
      int cx, cy;
      const PlotPoint* p = &pts[order[i]];
      Chart_scatter(p->x, lo, hi, CHART_LOG, p->y, 0, ymax, CHART_LINEAR, dw, dh, &cx, &cy);
      if (i > 0)
         Chart_brailleLine(panel_cells, dw, dh, px, py, cx, cy);
      px = cx;
      py = cy;
   }
   char glyph[4];
   for (int r = 0; r < h; r++)
      for (int col = 0; col < w; col++)
         if (panel_cells[r * w + col]) {
            Chart_braille(panel_cells[r * w + col], glyph);
            Canvas_text(plot, r, col, CE_HINT, glyph);
         }
}

/* Whether the sweep's points belong on the plot now: measured at the current threads and variants. */
static bool panel_sweepShown(const View* v) {
   const Sweep* sw = v->sweep;
   if (!sw || sw->phase == SWEEP_IDLE || sw->n == 0)
      return false;
   return sw->threads == v->knobs.threads && sw->variants == Tradeoff_variants(v->knobs.variant);
}

/* The title line of the plot while a sweep is shown. */
static void panel_sweepTitle(View* v, const Canvas* c, int x, int knee) {
   const Sweep* sw = v->sweep;
   bool wide = c->r.w >= 60;
   char a[16];
   if (Sweep_running(sw)) {
      const SweepPoint* p = &sw->point[sw->current];
      x = Canvas_printf(c, 0, x, CE_WARN, "SWEEP %u/%u", sw->current + 1, sw->n);
      Canvas_printf(c, 0, x, CE_HINT, wide ? ": batch %u, %s (%.0f%%), S cancels" : " b%u %s", p->batch,
                    sw->phase == SWEEP_SETTLING ? "settling" : "measuring", 100 * Sweep_progress(sw, v->now));
      return;
   }
   if (knee >= 0) {
      double peak = 0;
      for (uint32_t i = 0; i < sw->n; i++)
         if (sw->point[i].done && sw->point[i].throughput > peak)
            peak = sw->point[i].throughput;
      Units_formatCount(a, sizeof a, peak);
      x = Canvas_text(c, 0, x, CE_HINT, sw->phase == SWEEP_CANCELLED ? "sweep cancelled; " : "sweep: ");
      x = Canvas_printf(c, 0, x, CE_OK, "knee at batch %u", sw->point[knee].batch);
      if (wide)
         Canvas_printf(c, 0, x, CE_HINT, " (%.0f%% of peak %s rec/s)", SWEEP_KNEE_SHARE * 100, a);
   } else {
      Canvas_text(c, 0, x, CE_HINT, "sweep cancelled before a point was measured");
   }
}

/* Throughput against p99 latency, one point per batch size: the live sweep's
 * points when there is one for the current threads and variants, else those
 * the user has run, each for the current threads and variants. */
static void panel_tradeoff(View* v, const Canvas* c) {
   const Snapshot* s = &v->snap;
   const Glyphs* g = v->g;
   bool sweep = panel_sweepShown(v);
   const Sweep* sw = v->sweep;
   /* the knee once every point the sweep will have is in */
   int knee = sweep && !Sweep_running(sw) ? Sweep_knee(sw->point, sw->n, SWEEP_KNEE_SHARE) : -1;
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Throughput vs latency ");
   if (sweep)
      panel_sweepTitle(v, c, x, knee);
   else
      Canvas_printf(c, 0, x, CE_HINT,
                    c->r.w >= 60 ? "per batch size, at %" PRIu32 " thread%s (S: sweep)" : "(%" PRIu32 " thr.)",
                    v->knobs.threads, v->knobs.threads == 1 ? "" : "s");
   int plot_h = c->r.h - 2;
   int plot_w = c->r.w - PANEL_LABEL_W - 1;
   if (plot_h < 1 || plot_w < 8)
      return;

   PlotPoint pts[PANEL_PLOT_POINTS];
   int m = 0;
   double cur_x = (double)s->latency_window.p99 / 1e9, cur_y = s->out_rate;
   bool have_cur = cur_x > 0 && s->latency_window.count > 0;
   if (sweep) {
      for (uint32_t i = 0; i < sw->n; i++) {
         const SweepPoint* p = &sw->point[i];
         if (p->done && p->p99_s > 0)
            pts[m++] = (PlotPoint){.x = p->p99_s, .y = p->throughput, .batch = p->batch, .knee = (int)i == knee,
                                   .unsettled = p->unsettled};
      }
      /* while it runs, the live point shows where the current batch size stands */
      if (!Sweep_running(sw))
         have_cur = false;
   } else {
      uint32_t mask = Tradeoff_variants(v->knobs.variant);
      for (size_t i = 0; i < v->tradeoff.n; i++) {
         const TradeoffPoint* p = &v->tradeoff.points[i];
         if (p->key.threads != v->knobs.threads || p->key.variants != mask || !(p->p99_s > 0))
            continue;
         if (have_cur && p->key.batch == v->knobs.batch)
            continue; /* the live point stands for the current setting */
         pts[m++] = (PlotPoint){.x = p->p99_s, .y = p->throughput, .batch = p->key.batch};
      }
   }
   if (have_cur)
      pts[m++] = (PlotPoint){.x = cur_x, .y = cur_y, .batch = v->knobs.batch, .current = true};

   double xmin = INFINITY, xmax = 0, ymax = 0;
   for (int i = 0; i < m; i++) {
      xmin = fmin(xmin, pts[i].x);
      xmax = fmax(xmax, pts[i].x);
      ymax = fmax(ymax, pts[i].y);
   }
   if (!(xmax > 0)) {
      Canvas_text(c, 1 + plot_h / 2, 1, CE_HINT,
                  sweep ? "sweeping: the first point comes after 5 s" : "waiting for latency measurements");
      return;
   }
   double lo = pow(10, floor(log10(xmin))), hi = pow(10, ceil(log10(xmax)));
   if (hi <= lo)
      hi = lo * 10;
   ymax = Chart_niceCeil(ymax);
   char lab[16];
   Units_formatCount(lab, sizeof lab, ymax);
   Canvas_textRight(c, 1, PANEL_LABEL_W, CE_HINT, lab);
   if (plot_h >= 3)
      Canvas_textRight(c, 2, PANEL_LABEL_W, CE_HINT, "rec/s");
   Canvas_textRight(c, plot_h, PANEL_LABEL_W, CE_HINT, "0");
   for (int r = 0; r < plot_h; r++)
      Canvas_text(c, 1 + r, PANEL_LABEL_W, CE_HINT, g->vaxis);
   int ya = 1 + plot_h;
   Canvas_text(c, ya, PANEL_LABEL_W, CE_HINT, g->origin);
   Canvas_fill(c, ya, PANEL_LABEL_W + 1, plot_w, CE_HINT, g->haxis);
   Units_formatDuration(lab, sizeof lab, (int64_t)llround(lo * 1e9));
   Canvas_text(c, ya, PANEL_LABEL_W + 1, CE_HINT, lab);
   Units_formatDuration(lab, sizeof lab, (int64_t)llround(hi * 1e9));
   Canvas_textRight(c, ya, c->r.w, CE_HINT, lab);
   const char* xl = plot_w >= 40 ? " p99 latency, log scale " : " p99 lat. ";
   Canvas_text(c, ya, PANEL_LABEL_W + 1 + (plot_w - Canvas_width(xl)) / 2, CE_HINT, xl);

   Canvas plot = Canvas_sub(c, 1, PANEL_LABEL_W + 1, plot_h, plot_w);
   /* the legend first, so that the curve and the points draw over it */
   bool unsettled = false;
   for (int i = 0; i < m; i++)
      unsettled = unsettled || pts[i].unsettled;
   if (unsettled && plot_h >= 2)
      Canvas_textRight(&plot, plot_h - 1, plot_w, CE_WARN,
                       plot_w >= 44 ? "?: measured on an older backlog" : "?: older backlog");
   if (g->utf8)
      panel_tradeoffCurve(&plot, pts, m, lo, hi, ymax);
   /* the current point first, then the knee, then the others; labels only where nothing is drawn yet */
   static bool used[PANEL_CURVE_ROWS][PANEL_MAX_COLS];
   int uh = plot_h < PANEL_CURVE_ROWS ? plot_h : PANEL_CURVE_ROWS;
   int uw = plot_w < PANEL_MAX_COLS ? plot_w : PANEL_MAX_COLS;
   for (int r = 0; r < uh; r++)
      memset(used[r], 0, (size_t)uw);
   for (int pass = 0; pass < 3; pass++) {
      for (int i = 0; i < m; i++) {
         const PlotPoint* p = &pts[i];
         int kind = p->current ? 0 : p->knee ? 1 : 2;
         if (kind != pass)
            continue;
         int col, row;
         Chart_scatter(p->x, lo, hi, CHART_LOG, p->y, 0, ymax, CHART_LINEAR, plot_w, plot_h, &col, &row);
         int y = plot_h - 1 - row;
         /* cells beyond the bookkeeping (plots taller or wider than it) get the point, no label */
         bool tracked = y < uh && col < uw;
         if (tracked && used[y][col])
            continue;
         char num[24];
         snprintf(num, sizeof num, "%" PRIu32 "%s%s", p->batch, p->unsettled ? "?" : "",
                  p->current ? " now" : p->knee ? " knee" : "");
         int wn = Canvas_width(num);
         ColorElement e = p->current ? CE_POINT_CURRENT : p->knee ? CE_OK : CE_POINT;
         Canvas_text(&plot, y, col, e, p->current ? g->current : p->knee ? g->knee : g->point);
         if (!tracked)
            continue;
         used[y][col] = true;
         /* the label right of the point, else left of it, if those cells are free */
         int at = col + 1 + wn <= uw ? col + 1 : col - wn;
         bool free_cells = at >= 0;
         for (int k = 0; free_cells && k < wn; k++)
            free_cells = !used[y][at + k];
         if (!free_cells)
            continue;
         Canvas_text(&plot, y, at, e, num);
         for (int k = 0; k < wn; k++)
            used[y][at + k] = true;
      }
   }
   if (!sweep && m <= 1 && plot_h >= 2)
      Canvas_text(&plot, 0, 1, CE_HINT,
                  plot_w >= 62 ? "S sweeps batch 1..1024; b/B: each size run 5 s adds a point"
                               : "S: sweep; b/B: a point per 5 s run");
}

static void panel_alerts(View* v, const Canvas* c) {
   const Snapshot* s = &v->snap;
   char a[16], b[16], d[16];
   Units_formatCount(a, sizeof a, s->alert_rate);
   Units_formatCount(b, sizeof b, (double)s->alerts);
   Units_formatDuration(d, sizeof d, (int64_t)s->alert_delay_window.p99);
   double p99 = (double)s->alert_delay_window.p99 / 1e9;
   bool late = p99 >= PANEL_LATE_S && s->alert_delay_window.count > 0;
   bool wide = c->r.w >= 52;
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Alerts ");
   x = panel_field(c, 0, x, NULL, CE_VALUE, a, wide ? "/s " : "/s, ");
   if (wide)
      x = panel_field(c, 0, x, "(", CE_VALUE, b, " total) ");
   panel_field(c, 0, x, wide ? "delay p99 " : "p99 delay ",
               s->alert_delay_window.count ? panel_severity(p99, 0.1, PANEL_LATE_S) : CE_HINT,
               s->alert_delay_window.count ? d : "-", NULL);
   int row = 1;
   if (late && row < c->r.h) {
      Canvas_band(c, row, CE_CRIT);
      Canvas_printf(
          c, row, 0, CE_CRIT,
          c->r.w >= 56 ? " LATE: alerts %s after the reading, too late to act" : " LATE: alerts %s after reading", d);
      row++;
   }
   if (s->n_recent == 0 && row < c->r.h) {
      Canvas_printf(c, row, 1, CE_HINT, "no anomaly alerts yet (the score stage alerts at |z| >= %g)",
                    v->options->setup.threshold);
      return;
   }
   /* a small table: sensor, value, z, delay from reading to alert, and when */
   int w_sensor = wide ? 8 : 6, w_value = wide ? 10 : 8, w_z = wide ? 7 : 6, w_delay = wide ? 10 : 8,
       w_ago = wide ? 10 : 9;
   int x_value = w_sensor, x_z = x_value + w_value, x_delay = x_z + w_z, x_ago = x_delay + w_delay;
   bool show_ago = x_ago + w_ago <= c->r.w;
   if (row < c->r.h) {
      Canvas_textRight(c, row, w_sensor, CE_HINT, "sensor");
      Canvas_textRight(c, row, x_z, CE_HINT, "value");
      Canvas_textRight(c, row, x_delay, CE_HINT, "z");
      Canvas_textRight(c, row, x_ago, CE_HINT, "delay");
      if (show_ago)
         Canvas_textRight(c, row, x_ago + w_ago, CE_HINT, "ago");
      row++;
   }
   for (uint32_t i = 0; i < s->n_recent && row < c->r.h; i++, row++) {
      const Alert* al = &s->recent[i];
      char num[24], delay[16];
      double dl = (double)(al->t_raised - al->t_event) / 1e9;
      snprintf(num, sizeof num, "%" PRIu32, al->sensor);
      Canvas_textRight(c, row, w_sensor, CE_DEFAULT, num);
      snprintf(num, sizeof num, "%.2f", al->value);
      Canvas_textRight(c, row, x_z, CE_DEFAULT, num);
      snprintf(num, sizeof num, "%+.1f", al->z);
      Canvas_textRight(c, row, x_delay, CE_VALUE, num);
      panel_seconds(delay, sizeof delay, dl);
      Canvas_textRight(c, row, x_ago, panel_severity(dl, 0.1, PANEL_LATE_S), delay);
      if (show_ago) {
         panel_seconds(num, sizeof num, (double)(s->t - al->t_raised) / 1e9);
         Canvas_textRight(c, row, x_ago + w_ago, CE_HINT, num);
      }
   }
}

static void panel_records(View* v, const Canvas* c) {
   const Snapshot* s = &v->snap;
   char gen[16], pro[16], fil[16], dro[16], que[16], inf[16], rss[16];
   Units_formatCount(gen, sizeof gen, (double)s->generated);
   Units_formatCount(pro, sizeof pro, (double)s->processed);
   Units_formatCount(fil, sizeof fil, (double)s->filtered);
   Units_formatCount(dro, sizeof dro, (double)s->dropped);
   Units_formatCount(que, sizeof que, (double)s->queued);
   Units_formatCount(inf, sizeof inf, (double)s->in_flight);
   Units_formatBytes(rss, sizeof rss, (double)s->rss_bytes);
   Canvas_text(c, 0, 0, CE_TITLE, "Records ");
   Canvas_text(c, 0, 8, CE_HINT, "every one accounted for");
   int row = 1, x;
   if (c->r.w >= 50) {
      x = panel_field(c, row, 1, "generated ", CE_VALUE, gen, " = ");
      x = panel_field(c, row, x, "processed ", CE_VALUE, pro, " + ");
      panel_field(c, row++, x, "filtered ", CE_VALUE, fil, NULL);
      x = panel_field(c, row, 1, "+ dropped ", s->dropped ? CE_CRIT : CE_VALUE, dro, " + ");
      x = panel_field(c, row, x, "queued ", CE_VALUE, que, " + ");
      panel_field(c, row++, x, "in flight ", CE_VALUE, inf, NULL);
   } else {
      /* narrow: the same identity over three rows */
      x = panel_field(c, row, 1, "generated ", CE_VALUE, gen, " = ");
      panel_field(c, row++, x, "processed ", CE_VALUE, pro, NULL);
      x = panel_field(c, row, 1, "+ filtered ", CE_VALUE, fil, NULL);
      panel_field(c, row++, x, " + dropped ", s->dropped ? CE_CRIT : CE_VALUE, dro, NULL);
      x = panel_field(c, row, 1, "+ queued ", CE_VALUE, que, NULL);
      panel_field(c, row++, x, " + in flight ", CE_VALUE, inf, NULL);
   }
   x = Canvas_printf(c, row, 1, CE_HINT, "CPU ");
   x = Canvas_printf(c, row, x, CE_VALUE, "%.2f", s->cpu_process);
   x = Canvas_printf(c, row, x, CE_HINT, " of %" PRIu32 ", workers busy ", s->ncpu);
   x = Canvas_printf(c, row, x, CE_VALUE, "%.2f", s->busy);
   panel_fieldIf(c, row++, x, ", RSS ", CE_VALUE, rss, NULL);
   x = Canvas_text(c, row, 1, CE_HINT, "this dashboard uses ");
   x = Canvas_printf(c, row, x, CE_VALUE, "%.1f%%", v->ui_cpu * 100);
   Canvas_text(c, row++, x, CE_HINT, " of one CPU");
   if (s->order_violations)
      Canvas_printf(c, row, 1, CE_CRIT, "per-sensor order violated %" PRIu64 " times", s->order_violations);
}

static void panel_events(View* v, const Canvas* c) {
   Canvas_text(c, 0, 0, CE_TITLE, "Events ");
   Canvas_text(c, 0, 7, CE_HINT, "knob changes, marked on the charts (e: all)");
   int rows = c->r.h - 1;
   size_t first = v->nevents > (size_t)rows ? v->nevents - (size_t)rows : 0;
   if (v->nevents == 0 && rows > 0)
      Canvas_text(c, 1, 1, CE_HINT, "none yet: change a knob");
   for (size_t i = first; i < v->nevents; i++) {
      const HistoryEvent* e = &v->events[i];
      char t[64];
      panel_clock(t, sizeof t, v->snap.uptime_s - (double)(v->snap.t - e->t) / 1e9, true);
      int row = 1 + (int)(i - first);
      int x = Canvas_printf(c, row, 1, CE_HINT, "%7s ", t);
      x = Canvas_text(c, row, x, CE_MARK, v->g->mark);
      Canvas_text(c, row, x + 1, CE_DEFAULT, e->text);
   }
}

/* ------------------------------------------------------------ teaching panels */

/* Wrapped text from (row, col) within the canvas; returns the row after it. */
static int panel_wrapped(const Canvas* c, int row, int col, ColorElement e, const char* text, int max_rows) {
   int st[16], ln[16];
   int n = Layout_wrap(text, c->r.w - col - 1, st, ln, 16);
   for (int i = 0; i < n && i < 16 && i < max_rows && row < c->r.h; i++) {
      char line[512];
      snprintf(line, sizeof line, "%.*s", ln[i], text + st[i]);
      Canvas_text(c, row++, col, e, line);
   }
   return row;
}


/* When the backlog will pass a limit, predicted at the given growth: already (critical), never, or a time. */
static void panel_eta(const Canvas* c, int row, int x, bool wide, double t_s, double growth) {
   char a[24], d[24];
   Prediction_eta(a, sizeof a, t_s);
   x = Canvas_text(c, row, x, t_s <= 0 ? CE_CRIT : isinf(t_s) ? CE_OK : CE_PREDICTION, a);
   if (growth > 0 && isfinite(t_s) && t_s > 0) {
      Prediction_rateShort(d, sizeof d, growth);
      panel_fieldIf(c, row, x, wide ? " at growth " : " at ", CE_PREDICTION, d, NULL);
   }
}

/* The memory cap the forecast counts down to, in words: "memory cap 4.00M rec", "safety cap 2.00 GB". */
static void panel_capText(const View* v, char* buf, size_t len, bool wide) {
   const Knobs* k = &v->knobs;
   char a[16];
   if (k->overflow == OVERFLOW_GROW) {
      Units_formatBytes(a, sizeof a, (double)k->safety_cap_bytes);
      snprintf(buf, len, "safety cap %s", a);
   } else if (k->max_backlog_records) {
      Units_formatCount(a, sizeof a, (double)k->max_backlog_records);
      snprintf(buf, len, "%s %s rec", wide ? "memory cap" : "cap", a);
   } else {
      Units_formatBytes(a, sizeof a, (double)k->max_backlog_bytes);
      snprintf(buf, len, "%s %s", wide ? "memory cap" : "cap", a);
   }
}

typedef enum ForecastLine {
   FL_CAPACITY, /* capacity and utilization */
   FL_MEASURED, /* the measured rates beside them */
   FL_GROWTH,   /* predicted vs measured backlog growth */
   FL_CHECK,    /* the prediction is off, or why it is not compared */
   FL_STALE,
   FL_CAP,
   FL_EMPTY,
   FL_LAST
} ForecastLine;

static void panel_forecastLine(View* v, const Canvas* c, int row, ForecastLine line) {
   const Snapshot* s = &v->snap;
   const Forecast* f = &v->analysis.forecast;
   bool wide = c->r.w >= 60;
   char a[24], b[24], d[24], t[64];
   int x = 1;
   switch (line) {
   case FL_CAPACITY:
      Units_formatCount(a, sizeof a, f->capacity);
      x = panel_field(c, row, x, "capacity ", CE_PREDICTION, a, wide ? " rec/s " : "/s ");
      snprintf(b, sizeof b, "%.2f", f->utilization);
      x = panel_field(c, row, x, wide ? " utilization " : " util ", panel_severity(f->utilization, 0.8, 1), b, NULL);
      if (wide) {
         Units_formatCount(d, sizeof d, Snapshot_inRate(s));
         panel_fieldIf(c, row, x, " (= in ", CE_HINT, d, " / capacity)");
      }
      break;
   case FL_MEASURED: {
      double in = Snapshot_inRate(s);
      double out = Snapshot_outRate(s);
      Units_formatCount(a, sizeof a, out);
      Units_formatCount(b, sizeof b, in);
      x = Canvas_text(c, row, x, CE_HINT, "measured ");
      x = panel_field(c, row, x, "out ", CE_VALUE, a, ", ");
      x = panel_field(c, row, x, "in ", CE_VALUE, b, wide ? " rec/s" : "/s");
      if (s->long_window_s > 0) {
         panel_seconds(d, sizeof d, s->long_window_s);
         panel_fieldIf(c, row, x, " over ", CE_HINT, d, NULL);
      }
      break;
   }
   case FL_GROWTH: {
      if (wide) {
         Prediction_rate(a, sizeof a, v->analysis.growth_predicted);
         Prediction_rate(b, sizeof b, v->analysis.growth_measured);
      } else {
         Prediction_rateShort(a, sizeof a, v->analysis.growth_predicted);
         Prediction_rateShort(b, sizeof b, v->analysis.growth_measured);
      }
      x = Canvas_text(c, row, x, CE_HINT, wide ? "backlog growth " : "growth ");
      x = panel_field(c, row, x, wide ? "predicted " : "pred ", CE_PREDICTION, a, NULL);
      x = panel_field(c, row, x, wide ? ", measured " : ", meas ", CE_VALUE, b, NULL);
      if (v->analysis.check.state == PREDICTION_AGREES || v->analysis.check.state == PREDICTION_OFF) {
         double diff = v->analysis.growth_measured - v->analysis.growth_predicted;
         Units_formatCount(d, sizeof d, fabs(diff));
         if (wide)
            snprintf(t, sizeof t, ", diff %s%s (%.0f%%)", diff < 0 ? "-" : "+", d, v->analysis.check.error * 100);
         else
            snprintf(t, sizeof t, " %.0f%%", v->analysis.check.error * 100);
         panel_fieldIf(c, row, x, NULL, v->analysis.check.error > PREDICTION_TOLERANCE ? CE_WARN : CE_HINT, t, NULL);
      }
      break;
   }
   case FL_CHECK: {
      int64_t off = PredictionCheck_offFor(&v->analysis.check, v->now);
      switch (v->analysis.check.state) {
      case PREDICTION_OFF:
         Canvas_band(c, row, CE_CRIT);
         panel_seconds(a, sizeof a, (double)off / 1e9);
         Canvas_printf(c, row, 0, CE_CRIT,
                       wide ? " PREDICTION OFF by %.0f%% for %s: the model misses something here"
                            : " PREDICTION OFF %.0f%% for %s",
                       v->analysis.check.error * 100, a);
         break;
      case PREDICTION_SETTLING:
         panel_seconds(a, sizeof a, (double)(v->analysis.check.settle_until - v->now) / 1e9);
         Canvas_printf(c, row, x, CE_HINT,
                       wide ? "growth compared again in %s (a knob changed in the window)" : "compared again in %s", a);
         break;
      case PREDICTION_UNSATURATED:
         Canvas_text(c, row, x, CE_HINT,
                     wide ? "growth not compared: the backlog empties (it is arrival - capacity only while it lasts)"
                          : "not compared: backlog empties");
         break;
      case PREDICTION_AGREES:
         if (v->analysis.check.off_since > 0) {
            /* over the tolerance, not yet for long: said, but not flagged */
            panel_seconds(a, sizeof a, (double)(v->now - v->analysis.check.off_since) / 1e9);
            Canvas_printf(c, row, x, CE_WARN,
                          wide ? "off by %.0f%% for %s (flagged after %.0f s)" : "off %.0f%% for %s",
                          v->analysis.check.error * 100, a, (double)PREDICTION_HOLD_NS / 1e9);
         } else {
            Canvas_printf(c, row, x, CE_OK, wide ? "the prediction holds (within %.0f%%)" : "holds (within %.0f%%)",
                          PREDICTION_TOLERANCE * 100);
         }
         break;
      case PREDICTION_UNKNOWN:
         Canvas_text(c, row, x, CE_HINT, "not compared yet");
         break;
      }
      break;
   }
   case FL_STALE:
      panel_seconds(b, sizeof b, (double)v->knobs.stale_limit_ns / 1e9);
      snprintf(t, sizeof t, wide ? "oldest record over %s " : "stale >%s ", b);
      x = Canvas_text(c, row, x, CE_HINT, t);
      panel_eta(c, row, x, wide, f->t_stale_s, f->growth);
      break;
   case FL_CAP:
      panel_capText(v, t, sizeof t, wide);
      x = Canvas_printf(c, row, x, CE_HINT, "%s ", t);
      panel_eta(c, row, x, wide, f->t_cap_s, f->growth);
      break;
   case FL_EMPTY:
      Prediction_eta(a, sizeof a, f->t_empty_s);
      x = Canvas_text(c, row, x, CE_HINT, wide ? "backlog empty " : "empty ");
      x = Canvas_text(c, row, x, CE_PREDICTION, a);
      Prediction_rateShort(d, sizeof d, f->growth);
      panel_fieldIf(c, row, x, wide ? " at growth " : " at ", CE_PREDICTION, d, wide ? " (draining)" : NULL);
      break;
   case FL_LAST:
      break;
   }
}

/* Capacity, utilization and the forecasts, each with the rate it assumes,
 * beside the measurements they can be checked against. */
static void panel_forecast(View* v, const Canvas* c) {
   const Forecast* f = &v->analysis.forecast;
   bool wide = c->r.w >= 60;
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Forecast ");
   x = Canvas_text(c, 0, x, CE_PREDICTION, wide ? "predicted from the measured stage costs" : "(predicted)");
   if (v->analysis.capacity_t > 0 && v->analysis.capacity_t < v->snap.t - NS_PER_SEC) {
      char ago[16];
      panel_seconds(ago, sizeof ago, (double)(v->snap.t - v->analysis.capacity_t) / 1e9);
      Canvas_printf(c, 0, x, CE_HINT, wide ? ", capacity as of %s ago" : ", as of %s ago", ago);
   }
   if (!(f->capacity > 0)) {
      if (c->r.h > 1)
         Canvas_text(c, 1, 1, CE_HINT, "waiting for the first measured batch");
      return;
   }
   if (Analysis_measuringBursts(&v->analysis, &v->snap)) {
      /* the rate of bursts needs a whole period: before it, a utilization or a growth would be a guess */
      char a[24];
      Units_formatCount(a, sizeof a, f->capacity);
      panel_field(c, 1, 1, "capacity ", CE_PREDICTION, a, wide ? " rec/s" : "/s");
      if (c->r.h > 2)
         Canvas_printf(c, 2, 1, CE_HINT, "%s %.0f s", wide ? "utilization: after the first burst period, in" : "util: after the first burst, in",
                       Analysis_firstPeriodLeft(&v->snap));
      return;
   }
   /* which lines, most important first, as many as there are rows */
   /* catching up: a backlog that takes a while to drain (one that empties within a second is kept up) */
   bool catching = f->growth < 0 && v->snap.backlog_records > 0 && isfinite(f->t_empty_s) && f->t_empty_s >= 1;
   ForecastLine want[FL_LAST];
   int n = 0;
   want[n++] = FL_CAPACITY;
   want[n++] = FL_GROWTH;
   if (v->analysis.check.state == PREDICTION_OFF)
      want[n++] = FL_CHECK;
   if (catching)
      want[n++] = FL_EMPTY;
   want[n++] = FL_STALE;
   want[n++] = FL_CAP;
   want[n++] = FL_MEASURED;
   if (v->analysis.check.state != PREDICTION_OFF)
      want[n++] = FL_CHECK;
   int rows = c->r.h - 1;
   if (n > rows)
      n = rows < 0 ? 0 : rows;
   bool on[FL_LAST] = {false};
   for (int i = 0; i < n; i++)
      on[want[i]] = true;
   int row = 1;
   for (int l = 0; l < FL_LAST; l++)
      if (on[l])
         panel_forecastLine(v, c, row++, (ForecastLine)l);
}

/* A share in percent; near 0 or 100 with a decimal, where the difference matters to Amdahl's law. */
static void panel_share(char* buf, size_t len, double p) {
   double pc = p * 100;
   snprintf(buf, len, pc >= 99.5 || (pc > 0 && pc < 1) ? "%.1f%%" : "%.0f%%", pc);
}

/* The selected stage's share p and Amdahl's law, then, after a toggle, the
 * predicted overall speedup next to the measured one. */
static void panel_amdahl(View* v, const Canvas* c) {
   const Glyphs* g = v->g;
   bool wide = c->r.w >= 60;
   int st = v->amdahl_stage;
   double p = Amdahl_share(&v->analysis.costs, st);
   char a[24], b[24], t[112];
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Amdahl ");
   snprintf(t, sizeof t, "%d %s", st + 1, Stage_table[st].name);
   x = Canvas_text(c, 0, x, CE_VALUE, t);
   panel_share(a, sizeof a, p);
   x = panel_field(c, 0, x, " p ", p >= 0.5 ? CE_CRIT : CE_VALUE, a, wide ? " of the busy time" : " of busy");
   if (!v->amdahl_chosen)
      panel_fieldIf(c, 0, x, NULL, CE_HINT, wide ? " (the largest; a: next stage)" : " (a: next)", NULL);
   if (!(p > 0)) {
      if (c->r.h > 1)
         Canvas_text(c, 1, 1, CE_HINT, "waiting for measured stage times");
      return;
   }
   int row = 1;
   if (row < c->r.h)
      Canvas_printf(c, row++, 1, CE_HINT,
                    wide ? "predicted overall speedup if %s alone got s times faster:"
                         : "predicted if %s got s x faster:",
                    Stage_table[st].name);
   if (row < c->r.h) {
      static const double s_values[] = {2, 10, INFINITY};
      x = 1;
      for (int i = 0; i < 3; i++) {
         if (isinf(s_values[i]))
            snprintf(t, sizeof t, "%ss=%s ", i ? "  " : "", g->infinity);
         else
            snprintf(t, sizeof t, "%ss=%.0f ", i ? "  " : "", s_values[i]);
         Prediction_factor(a, sizeof a, Model_amdahl(p, s_values[i]));
         x = panel_field(c, row, x, t, CE_PREDICTION, a, NULL);
      }
      row++;
   }
   const AmdahlTrial* tr = &v->trial;
   if (!tr->active || tr->stage != st) {
      if (row < c->r.h)
         Canvas_printf(c, row, 1, CE_HINT,
                       wide ? "press %d to toggle %s: its predicted speedup, then the measured one"
                            : "%d: toggle, then compare",
                       st + 1, Stage_table[st].name);
      return;
   }
   /* the stage's own speedup, before -> after */
   if (row < c->r.h) {
      Units_formatDuration(a, sizeof a, (int64_t)llround(tr->ns_before));
      x = Canvas_printf(c, row, 1, CE_HINT, "%s%s%s ", Variant_name(tr->from), g->arrow, Variant_name(tr->to));
      x = Canvas_text(c, row, x, CE_VALUE, a);
      x = Canvas_text(c, row, x, CE_HINT, g->arrow);
      if (tr->ns_after > 0) {
         Units_formatDuration(b, sizeof b, (int64_t)llround(tr->ns_after));
         x = panel_field(c, row, x, NULL, CE_VALUE, b, "/rec");
         Prediction_factor(a, sizeof a, AmdahlTrial_stageSpeedup(tr));
         panel_fieldIf(c, row, x, wide ? ", the stage alone " : " ", CE_VALUE, a, NULL);
      } else {
         Canvas_text(c, row, x, CE_HINT, "measuring");
      }
      row++;
   }
   if (row >= c->r.h)
      return;
   /* predicted next to measured */
   double pred = AmdahlTrial_predicted(tr);
   bool from_cal = !(pred > 0);
   if (from_cal)
      pred = AmdahlTrial_predictedCal(tr);
   AmdahlOutcome out = AmdahlTrial_outcome(tr);
   double busy = AmdahlTrial_measuredBusy(tr);
   Prediction_factor(a, sizeof a, pred);
   x = panel_field(c, row, 1, "predicted ", CE_PREDICTION, a, NULL);
   panel_share(b, sizeof b, tr->p);
   x = Canvas_printf(c, row, x, CE_HINT, wide ? " (p %s%s)" : " (p %s)", b, from_cal ? ", calibration" : "");
   x = Canvas_text(c, row, x, CE_HINT, "  measured ");
   if (out == AMDAHL_MEASURED) {
      Prediction_factor(b, sizeof b, AmdahlTrial_measured(tr));
      Canvas_text(c, row, x, CE_VALUE, b);
   } else if (out != AMDAHL_VOID && busy > 0) {
      Prediction_factor(b, sizeof b, busy);
      x = Canvas_text(c, row, x, CE_VALUE, b);
      Canvas_text(c, row, x, CE_HINT, "*");
   } else {
      Canvas_text(c, row, x, out == AMDAHL_MEASURING ? CE_HINT : CE_WARN, out == AMDAHL_MEASURING ? "..." : "n/a");
   }
   row++;
   /* how it was measured, or why it was not */
   const char* why = NULL;
   ColorElement e = CE_HINT;
   switch (out) {
   case AMDAHL_MEASURED:
      Units_formatCount(a, sizeof a, tr->thr_before);
      Units_formatCount(b, sizeof b, AmdahlTrial_throughputAfter(tr));
      snprintf(t, sizeof t,
               wide ? "throughput %s%s%s rec/s, saturated before and after%s" : "%s%s%s rec/s at saturation%s", a,
               g->arrow, b, tr->drained ? " (until drained)" : "");
      why = t;
      break;
   case AMDAHL_MEASURING:
      why = wide ? "measuring the throughput at saturation..." : "measuring at saturation...";
      break;
   case AMDAHL_NOT_SATURATED:
      why =
          wide ? "no saturated throughput: it kept up before (throughput = input)" : "it kept up before: no saturation";
      e = CE_WARN;
      break;
   case AMDAHL_DRAINED_AT_ONCE:
      why = wide ? "no saturated throughput: the backlog drained at once" : "backlog drained at once";
      e = CE_WARN;
      break;
   case AMDAHL_VOID:
      snprintf(t, sizeof t, "void: %s changed too", tr->void_why);
      why = t;
      e = CE_WARN;
      break;
   }
   if (why && row < c->r.h)
      Canvas_text(c, row++, 1, e, why);
   if (out != AMDAHL_MEASURED && out != AMDAHL_VOID && row < c->r.h) {
      if (busy > 0) {
         Units_formatCount(a, sizeof a, tr->per_busy_before);
         Units_formatCount(b, sizeof b, tr->per_busy_sum / tr->per_busy_n);
         Canvas_printf(c, row, 1, CE_HINT,
                       wide ? "* per busy worker-second: %s%s%s records" : "* per busy s: %s%s%s rec", a, g->arrow, b);
      } else if (out != AMDAHL_MEASURING) {
         Canvas_text(c, row, 1, CE_HINT, wide ? "* waiting for a window with work to measure per busy second"
                                               : "* waiting for work to measure");
      }
   }
}

/* Recording and replay: where, how far, how fast. */
static void panel_source(View* v, const Canvas* c) {
   bool wide = c->r.w >= 60;
   char a[32], b[32], t[64];
   int row = 0;
   if (v->replaying && row < c->r.h) {
      const ReplayPosition* rp = &v->replay;
      int x = Canvas_text(c, row, 0, CE_TITLE, "Replay ");
      x = Canvas_text(c, row, x, CE_VALUE, rp->file ? Recording_baseName(rp->file) : "-");
      if (rp->n_files > 1)
         x = Canvas_printf(c, row, x, CE_HINT, " (%u of %u)", rp->file_index + 1, rp->n_files);
      Recording_speedText(a, sizeof a, v->knobs.speed);
      x = panel_field(c, row, x, " speed ", CE_VALUE, a, NULL);
      if (rp->finished)
         x = Canvas_text(c, row, x + 1, CE_WARN, "ENDED");
      if (v->knobs.paused)
         x = Canvas_text(c, row, x + 1, CE_WARN, "PAUSED");
      Canvas_textRight(c, row, c->r.w, CE_KEY, wide ? "[ ] speed  { } x1/max" : "[ ] { }");
      row++;
      if (row < c->r.h) {
         Units_formatCount(a, sizeof a, (double)rp->file_rows);
         x = panel_field(c, row, 1, "row ", CE_VALUE, a, NULL);
         snprintf(t, sizeof t, "%.0f%%", rp->file_percent);
         x = panel_field(c, row, x, " (", CE_VALUE, t, wide ? " of the file)" : ")");
         panel_clock(b, sizeof b, rp->t_recording_s, true);
         x = panel_field(c, row, x, wide ? "  at " : " t ", CE_VALUE, b, wide ? " in the recording" : NULL);
         if (rp->loops)
            x = Canvas_printf(c, row, x, CE_HINT, "  loop %" PRIu64, rp->loops + 1);
         if (rp->bad_rows) {
            Units_formatCount(a, sizeof a, (double)rp->bad_rows);
            panel_fieldIf(c, row, x, "  ", CE_WARN, a, " bad rows");
         }
         row++;
      }
   }
   if (v->recording && row < c->r.h) {
      const RecorderStats* rs = &v->rec;
      int x = Canvas_text(c, row, 0, CE_REC, " REC ");
      x = Canvas_text(c, row, x + 1, CE_VALUE, wide ? v->rec_path : Recording_baseName(v->rec_path));
      Units_formatCount(a, sizeof a, (double)rs->records);
      Units_formatBytes(b, sizeof b, (double)rs->bytes);
      row++;
      if (row < c->r.h) {
         x = panel_field(c, row, 1, NULL, CE_VALUE, a, " records, ");
         x = panel_field(c, row, x, NULL, CE_VALUE, b, " written");
         Canvas_textRight(c, row, c->r.w, CE_KEY, "R stops");
         row++;
      } else {
         Canvas_printf(c, row - 1, x + 1, CE_HINT, "%s rec, %s", a, b);
      }
   }
   if (v->rec_error[0] && !v->recording && row < c->r.h) {
      if (!v->replaying) {
         int x = Canvas_text(c, row, 0, CE_TITLE, "Recording ");
         Canvas_text(c, row, x, CE_HINT, wide ? "R starts a new one" : "R: again");
         row++;
      }
      char text[600];
      snprintf(text, sizeof text, "STOPPED: %s", v->rec_error);
      panel_wrapped(c, row, 1, CE_CRIT, text, c->r.h - row);
      row = c->r.h;
   } else if (!v->recording && row < c->r.h) {
      Canvas_text(c, row, 1, CE_HINT, wide ? "R records what enters the pipeline to a CSV file" : "R: record to CSV");
      row++;
   }
}

const PanelDef Panels_table[PANEL_LAST] = {
    [PANEL_BACKLOG] = {"backlog", panel_backlog},
    [PANEL_STALENESS] = {"staleness", panel_staleness},
    [PANEL_THROUGHPUT] = {"throughput", panel_throughput},
    [PANEL_LATENCY] = {"latency", panel_latency},
    [PANEL_STAGES] = {"stages", panel_stages},
    [PANEL_KNOBS] = {"knobs", panel_knobs},
    [PANEL_ALERTS] = {"alerts", panel_alerts},
    [PANEL_TRADEOFF] = {"tradeoff", panel_tradeoff},
    [PANEL_RECORDS] = {"records", panel_records},
    [PANEL_ALERT_DELAY] = {"alert delay", panel_alertDelay},
    [PANEL_EVENTS] = {"events", panel_events},
    [PANEL_FORECAST] = {"forecast", panel_forecast},
    [PANEL_AMDAHL] = {"amdahl", panel_amdahl},
    [PANEL_SOURCE] = {"record/replay", panel_source},
};

/* ------------------------------------------------------------ fixed parts */

/* What feeds the pipeline, in words: the simulated workload, or the replayed file and its speed. */
static void panel_workText(const View* v, char* buf, size_t len, bool sensors) {
   const Knobs* k = &v->knobs;
   char a[16], b[16];
   if (v->replaying) {
      Recording_speedText(a, sizeof a, k->speed);
      snprintf(buf, len, "replay %s %s", v->replay.file ? Recording_baseName(v->replay.file) : "", a);
      return;
   }
   int n;
   if (k->arrival == ARRIVAL_BURST) {
      Units_formatCount(a, sizeof a, (double)k->burst);
      Units_formatDuration(b, sizeof b, k->every_ns);
      n = snprintf(buf, len, "bursts of %s rec every %s", a, b);
   } else {
      Units_formatCount(a, sizeof a, k->rate);
      n = snprintf(buf, len, "%s %s rec/s", Arrival_names[k->arrival], a);
   }
   if (sensors && n > 0 && (size_t)n < len)
      snprintf(buf + n, len - (size_t)n, " from %" PRIu32 " sensors", v->options->setup.sensors);
}

void Panels_header(View* v, const Canvas* c) {
   const Snapshot* s = &v->snap;
   const Knobs* k = &v->knobs;
   const Glyphs* g = v->g;
   Canvas_band(c, 0, CE_HEADER);
   /* the tags at the right first: they say what state the screen is in */
   int end = c->r.w;
   char tag[48], a[16];
   if (v->frozen)
      end = Canvas_textRight(c, 0, end, CE_HEADER_TAG, " FROZEN (f) ") - 1;
   if (k->paused)
      end = Canvas_textRight(c, 0, end, CE_HEADER_TAG, " PAUSED (space) ") - 1;
   if (s->source_done)
      end = Canvas_textRight(c, 0, end, CE_HEADER_TAG, " INPUT ENDED ") - 1;
   if (s->safety_cap_hit)
      end = Canvas_textRight(c, 0, end, CE_CRIT, " SAFETY CAP HIT: DROPPING ") - 1;
   if (v->sweep && Sweep_running(v->sweep)) {
      snprintf(tag, sizeof tag, " SWEEP %u/%u (S) ", v->sweep->current + 1, v->sweep->n);
      end = Canvas_textRight(c, 0, end, CE_HEADER_TAG, tag) - 1;
   }
   if (v->recording) {
      Units_formatBytes(a, sizeof a, (double)v->rec.bytes);
      snprintf(tag, sizeof tag, " REC %s (R) ", a);
      end = Canvas_textRight(c, 0, end, CE_REC, tag) - 1;
   } else if (v->rec_error[0]) {
      end = Canvas_textRight(c, 0, end, CE_CRIT, " REC FAILED ") - 1;
   }
   /* then the left part, as detailed as the room allows */
   char work[160], up[32], knobs[48], line[320];
   panel_clock(up, sizeof up, s->uptime_s, false);
   knobs[0] = '\0';
   if (!v->layout.shown[PANEL_KNOBS])
      snprintf(knobs, sizeof knobs, " %s batch %" PRIu32 ", %" PRIu32 " thread%s", g->sep, k->batch, k->threads,
               k->threads == 1 ? "" : "s");
   const char* scen = v->scenario >= 0 && v->scenario < SCENARIO_LAST ? Scenario_names[v->scenario] : NULL;
   char scen_text[48] = "";
   if (scen)
      snprintf(scen_text, sizeof scen_text, " %s %s", g->sep, scen);
   /* a message (a change just made, an error) takes its room from the line's details */
   bool msg = v->message[0] && v->now < v->message_until;
   int msg_w = msg ? Canvas_width(v->message) + 2 : 0;
   if (msg && msg_w > end / 2)
      msg_w = end / 2;
   int room = end - msg_w;
   int x = 0;
   for (int detail = 4; detail >= 0; detail--) {
      panel_workText(v, work, sizeof work, detail >= 3);
      if (detail == 4)
         snprintf(line, sizeof line, " keepup %s%s %s %s%s %s up %s %s CPU %.1f of %" PRIu32 " ", PACKAGE_VERSION,
                  scen_text, g->sep, work, knobs, g->sep, up, g->sep, s->cpu_process, s->ncpu);
      else if (detail == 3)
         snprintf(line, sizeof line, " keepup %s%s %s %s%s %s up %s ", PACKAGE_VERSION, scen_text, g->sep, work,
                  knobs, g->sep, up);
      else if (detail == 2)
         snprintf(line, sizeof line, " keepup%s %s %s%s %s up %s ", scen_text, g->sep, work, knobs, g->sep, up);
      else if (detail == 1)
         snprintf(line, sizeof line, " %s %s %s%s %s up %s ", scen ? scen : "keepup", g->sep, work, knobs, g->sep, up);
      else
         snprintf(line, sizeof line, " %s %s %s%s ", scen ? scen : "keepup", g->sep, work, knobs);
      if (Canvas_width(line) <= room)
         break;
   }
   Canvas left = Canvas_sub(c, 0, 0, 1, room);
   x = Canvas_text(&left, 0, 0, CE_HEADER, line);
   if (msg) {
      /* right-aligned when it fits; else its beginning, which says what happened */
      int mroom = end - x - 2;
      if (mroom > 8) {
         Canvas mc = Canvas_sub(c, 0, x + 1, 1, mroom);
         if (Canvas_width(v->message) <= mroom)
            Canvas_textRight(&mc, 0, mroom, v->message_elem, v->message);
         else
            Canvas_text(&mc, 0, 0, v->message_elem, v->message);
      }
   }
}

/* The caption as it is drawn at a width: its two lines one row each when
 * they fit, else both as one paragraph wrapped (fewer rows than wrapping each). */
static int panel_captionLayout(const View* v, int width, char text[4][256]) {
   if (v->scenario < 0 || v->scenario >= SCENARIO_LAST)
      return 0;
   const char* const* cap = Scenario_table[v->scenario].caption;
   int w = width - 4;
   if (Canvas_width(cap[0]) <= w && Canvas_width(cap[1]) <= w) {
      snprintf(text[0], 256, "%s", cap[0]);
      snprintf(text[1], 256, "%s", cap[1]);
      return 2;
   }
   char joined[512];
   snprintf(joined, sizeof joined, "%s %s", cap[0], cap[1]);
   int st[4], ln[4];
   int n = Layout_wrap(joined, w, st, ln, 4);
   if (n > 4)
      n = 4;
   for (int i = 0; i < n; i++)
      snprintf(text[i], 256, "%.*s", ln[i], joined + st[i]);
   return n;
}

int Panels_captionRows(const View* v, int width) {
   char text[4][256];
   return panel_captionLayout(v, width, text);
}

void Panels_caption(View* v, const Canvas* c) {
   char text[4][256];
   int n = panel_captionLayout(v, c->r.w, text);
   for (int r = 0; r < n && r < c->r.h; r++) {
      if (r == 0)
         Canvas_text(c, r, 1, CE_CAPTION, v->g->select);
      Canvas_text(c, r, 3, CE_CAPTION, text[r]);
   }
}

static ColorElement panel_verdictElem(VerdictState s) {
   switch (s) {
   case VERDICT_KEEPING_UP:
      return CE_VERDICT_OK;
   case VERDICT_CATCHING_UP:
      return CE_VERDICT_WARN;
   case VERDICT_FALLING_BEHIND:
      return CE_VERDICT_CRIT;
   default:
      return CE_VERDICT_NONE;
   }
}

void Panels_verdict(View* v, const Canvas* c) {
   const Verdict* vd = &v->analysis.verdict;
   ColorElement e = panel_verdictElem(vd->state);
   for (int r = 0; r < c->r.h; r++)
      Canvas_band(c, r, e);
   char name[40], dur[48], reason[200];
   const char* word = Verdict_name(vd->state);
   dur[0] = '\0';
   if (vd->state != VERDICT_STARTING) {
      char d[16];
      panel_seconds(d, sizeof d, (double)Verdict_age(vd, v->analysis.verdict.last.t) / 1e9);
      snprintf(dur, sizeof dur, "for %s%s", d, v->knobs.paused ? " (source paused)" : "");
   }
   int row = 0;
   int big_w = BigText_width(word);
   int side_w = Canvas_width(dur) > Canvas_width(word) ? Canvas_width(dur) : Canvas_width(word);
   if (c->r.h >= 5 && v->g->utf8 && big_w > 0 && big_w + 5 + side_w <= c->r.w) {
      char line[512];
      for (int r = 0; r < BIGTEXT_ROWS; r++)
         if (BigText_row(word, r, line, sizeof line))
            Canvas_text(c, r, 2, e, line);
      /* the word in plain letters too, for whoever copies the screen as text */
      Canvas_text(c, 0, 2 + big_w + 3, e, word);
      Canvas_text(c, 1, 2 + big_w + 3, e, dur);
      row = BIGTEXT_ROWS;
   } else {
      /* spaced letters read from further away, when there is room for them */
      if (c->r.w >= 120) {
         size_t j = 0;
         for (size_t i = 0; word[i] && j + 2 < sizeof name; i++) {
            name[j++] = word[i];
            name[j++] = ' ';
         }
         name[j ? j - 1 : 0] = '\0';
      } else {
         snprintf(name, sizeof name, "%s", word);
      }
      row = c->r.h >= 5 ? 1 : 0;
      int x = Canvas_text(c, row, 2, e, name);
      Canvas_text(c, row, x + 3, e, dur);
      row++;
   }
   Analysis_reason(&v->analysis, &v->snap, reason, sizeof reason);
   Canvas_printf(c, row++, 2, e, "%s", reason);
   if (row < c->r.h && c->r.h >= 3) {
      const Snapshot* s = &v->snap;
      char a[16], b[16], d[16], line[200];
      Units_formatCount(a, sizeof a, (double)s->backlog_records);
      panel_seconds(b, sizeof b, (double)s->oldest_age_ns / 1e9);
      if (s->oldest_age_ns == 0)
         snprintf(b, sizeof b, "none");
      Units_formatDuration(d, sizeof d, (int64_t)s->latency_window.p99);
      if (s->latency_window.count == 0)
         snprintf(d, sizeof d, "-");
      int n = snprintf(line, sizeof line, "backlog %s rec %s oldest waiting %s %s p99 latency %s", a, v->g->sep, b,
                       v->g->sep, d);
      if (s->alert_delay_window.count && n > 0 && (size_t)n < sizeof line) {
         Units_formatDuration(d, sizeof d, (int64_t)s->alert_delay_window.p99);
         snprintf(line + n, sizeof line - (size_t)n, " %s alerts raised %s after the reading (p99)", v->g->sep, d);
      }
      Canvas_text(c, row, 2, e, line);
   }
}

typedef enum KeyWhen {
   KEY_ALWAYS,
   KEY_SIMULATING, /* only with the simulated source */
   KEY_REPLAYING,  /* only while replaying */
} KeyWhen;

typedef struct KeyHint {
   const char* key;
   const char* label;
   int priority; /* 0: always; higher ones go first when the bar is too narrow */
   KeyWhen when;
} KeyHint;

static const KeyHint panel_keys[] = {
    {"F1", "Help", 0, KEY_ALWAYS},       {"q", "Quit", 0, KEY_ALWAYS},        {"s", "Scenario", 1, KEY_ALWAYS},
    {"b/B", "Batch", 1, KEY_ALWAYS},     {"t/T", "Threads", 1, KEY_ALWAYS},   {"-/+", "Rate", 2, KEY_SIMULATING},
    {"[/]", "Speed", 1, KEY_REPLAYING}, {"1-6", "Stage", 1, KEY_ALWAYS},     {"R", "Rec", 2, KEY_ALWAYS},
    {"S", "Sweep", 2, KEY_ALWAYS},       {"Spc", "Pause", 3, KEY_ALWAYS},     {"f", "Freeze", 4, KEY_ALWAYS},
    {"o/n", "All", 5, KEY_ALWAYS},       {"e", "Events", 6, KEY_ALWAYS},      {"r", "Reset", 7, KEY_ALWAYS},
};
#define PANEL_NKEYS (sizeof panel_keys / sizeof panel_keys[0])

static bool panel_keyShown(const View* v, const KeyHint* k, int max_prio) {
   if (k->priority > max_prio)
      return false;
   return k->when == KEY_ALWAYS || (k->when == KEY_REPLAYING) == v->replaying;
}

void Panels_keybar(View* v, const Canvas* c) {
   int max_prio = 7;
   for (; max_prio > 0; max_prio--) {
      int w = 0;
      for (size_t i = 0; i < PANEL_NKEYS; i++)
         if (panel_keyShown(v, &panel_keys[i], max_prio))
            w += Canvas_width(panel_keys[i].key) + Canvas_width(panel_keys[i].label) + 1;
      if (w <= c->r.w)
         break;
   }
   Canvas_band(c, 0, CE_KEY_LABEL);
   int x = 0;
   for (size_t i = 0; i < PANEL_NKEYS; i++) {
      if (!panel_keyShown(v, &panel_keys[i], max_prio))
         continue;
      x = Canvas_text(c, 0, x, CE_KEY, panel_keys[i].key);
      x = Canvas_text(c, 0, x, CE_KEY_LABEL, panel_keys[i].label);
      x = Canvas_text(c, 0, x, CE_KEY_LABEL, " ");
   }
}

/* ------------------------------------------------------------ full-screen views */

static const char* const panel_helpKeys[][2] = {
    {"? h F1", "this help (any key returns)"},
    {"q F10", "quit (also Ctrl-C)"},
    {"space", "pause / resume the source (a replay too)"},
    {"f", "freeze the display (the pipeline keeps running)"},
    {"r", "reset the windowed statistics"},
    {"b B", "batch size: halve / double (1 .. 65536)"},
    {"t T", "worker threads: one less / one more (1 .. 64)"},
    {"- +", "arrival rate, or burst size: down / up (a replay: its speed)"},
    {"l L", "linger: shorter / longer"},
    {"w W", "rolling window: smaller / larger"},
    {"p P", "overflow policy: next / previous"},
    {"1 .. 6", "toggle that stage naive / optimized (and select it)"},
    {"o n", "all stages optimized / all naive"},
    {"a A", "Amdahl panel: the next / previous stage"},
    {"up down", "select a knob or a stage"},
    {"left right", "change the selected knob (toggle a stage)"},
    {"s", "scenario menu: each lesson, applied live or how to restart"},
    {"S", "sweep batch sizes 1024 .. 1, mark the knee; again: cancel"},
    {"R", "record the input to keepup-DATE-TIME.csv; again: stop"},
    {"[ ]", "replay speed: halve / double"},
    {"{ }", "replay speed: the file's own pace (x1) / as fast as possible"},
    {"e", "event log: every knob change, with its time"},
    {"m", "put a mark on the charts"},
    {"Ctrl-L", "redraw the screen"},
    {"mouse", "click a knob to select it, a stage to toggle it"},
};

/* Lines of at most 78 columns: the help fits an 80-column terminal. */
static const char* const panel_helpText[] = {
    "",
    "Reading the screen",
    "  The banner says whether the pipeline keeps up with its input: KEEPING UP,",
    "  FALLING BEHIND (the backlog grows, records age, or records are dropped) or",
    "  CATCHING UP (the backlog shrinks), with the measured rates behind it and how",
    "  long it has been so. Under the header, the scenario's caption says what to",
    "  try.",
    "  Charts: bars are the main series, a line the second one (see each title); a",
    "  dotted tick marks a knob change, with its text in the backlog chart.",
    "  Every number is measured from the running pipeline; what the model computes",
    "  is labelled \"predicted\", and simulated CPU work is labelled \"sim\".",
    "",
    "Forecast",
    "  Capacity: what the workers can sustain, from the measured stage costs, the",
    "  per-batch overhead, the threads, the CPUs and the hottest partition.",
    "  Utilization is arrival / capacity: above 1 the backlog grows by arrival -",
    "  capacity. From that growth: when the oldest record passes the staleness",
    "  limit (--stale-limit), when the backlog hits its memory cap (the safety cap",
    "  under grow), or when it empties. The predicted growth is checked against",
    "  the measured one while the backlog persists; if it is off by more than 20%",
    "  for 5 s, the panel says so.",
    "",
    "Amdahl",
    "  p is the selected stage's share of the workers' busy time. Making that stage",
    "  s times faster makes the whole at most 1/((1-p) + p/s) times faster. Toggle",
    "  the stage: the panel shows the prediction from its cost before and after",
    "  next to the measured speedup (throughput after / before, valid only while",
    "  the pipeline is saturated; else records per busy worker-second, marked *).",
    "",
    "Sweep",
    "  S runs batch sizes 1024, 256, 64, 16, 4 and 1 on the live pipeline, each",
    "  settled, then measured for 3 s, and restores the batch size; the knee is the",
    "  smallest batch size reaching 90% of the peak throughput. A knob change",
    "  cancels it.",
    "",
    "Stages: what each variant does",
};

void Panels_help(View* v, const Canvas* c) {
   /* the lines: keys, the reading guide, then per stage two lines, or three
    * (the name on a line of its own) when the descriptions would not fit beside it */
   enum {
      HELP_KEYS = sizeof panel_helpKeys / sizeof panel_helpKeys[0],
      HELP_TEXT = sizeof panel_helpText / sizeof panel_helpText[0]
   };
   int longest = 0;
   for (int st = 0; st < STAGE_LAST; st++) {
      int a = Canvas_width(Stage_table[st].naive), b = Canvas_width(Stage_table[st].optimized);
      longest = a > longest ? a : longest;
      longest = b > longest ? b : longest;
   }
   int per_stage = 14 + 11 + longest <= c->r.w ? 2 : 3;
   int desc_x = per_stage == 2 ? 14 : 4;
   int total = HELP_KEYS + HELP_TEXT + per_stage * STAGE_LAST;
   int rows = c->r.h - 2;
   int max_scroll = total - rows > 0 ? total - rows : 0;
   if (v->scroll > max_scroll)
      v->scroll = max_scroll;
   if (v->scroll < 0)
      v->scroll = 0;
   Canvas_band(c, 0, CE_HEADER);
   Canvas_printf(c, 0, 0, CE_HEADER, " keepup %s: keys and how to read the screen", PACKAGE_VERSION);
   Canvas_textRight(c, 0, c->r.w, CE_HEADER, " any key returns ");
   for (int r = 0; r < rows; r++) {
      int i = v->scroll + r;
      int y = 1 + r;
      if (i < HELP_KEYS) {
         Canvas_text(c, y, 2, CE_KEY, panel_helpKeys[i][0]);
         Canvas_text(c, y, 14, CE_DEFAULT, panel_helpKeys[i][1]);
      } else if (i < HELP_KEYS + HELP_TEXT) {
         const char* t = panel_helpText[i - HELP_KEYS];
         Canvas_text(c, y, 0, t[0] == ' ' ? CE_DEFAULT : CE_TITLE, t);
      } else if (i < total) {
         int k = i - HELP_KEYS - HELP_TEXT;
         const StageDef* st = &Stage_table[k / per_stage];
         int line = k % per_stage;
         if (line == 0)
            Canvas_printf(c, y, 2, CE_KEY, "%d %-9s", k / per_stage + 1, st->name);
         if (line == per_stage - 2)
            Canvas_printf(c, y, desc_x, CE_NAIVE, "naive:     %s", st->naive);
         else if (line == per_stage - 1)
            Canvas_printf(c, y, desc_x, CE_OPTIMIZED, "optimized: %s", st->optimized);
      }
   }
   Canvas_band(c, c->r.h - 1, CE_KEY_LABEL);
   Canvas_text(c, c->r.h - 1, 1, CE_KEY_LABEL,
               max_scroll ? "up/down, PgUp/PgDn: scroll    keepup(1) has every option and key"
                          : "keepup(1) has every option and key");
}

void Panels_eventLog(View* v, const Canvas* c) {
   int rows = c->r.h - 2;
   int total = (int)v->nevents;
   int max_scroll = total - rows > 0 ? total - rows : 0;
   /* scroll counts from the newest end: 0 shows the newest events */
   if (v->scroll > max_scroll)
      v->scroll = max_scroll;
   if (v->scroll < 0)
      v->scroll = 0;
   Canvas_band(c, 0, CE_HEADER);
   Canvas_printf(c, 0, 0, CE_HEADER, " Event log: %d knob change%s and marks (time since start)", total,
                 total == 1 ? "" : "s");
   Canvas_textRight(c, 0, c->r.w, CE_HEADER, " any key returns ");
   int first = total - rows - v->scroll;
   if (first < 0)
      first = 0;
   if (total == 0)
      Canvas_text(c, 2, 2, CE_HINT, "No events yet. Every knob you change is listed here and marked on the charts.");
   for (int r = 0; r < rows && first + r < total - v->scroll; r++) {
      const HistoryEvent* e = &v->events[first + r];
      char t[64];
      panel_clock(t, sizeof t, v->snap.uptime_s - (double)(v->snap.t - e->t) / 1e9, true);
      int x = Canvas_printf(c, 1 + r, 2, CE_HINT, "#%-4" PRIu32 " %8s  ", e->id, t);
      Canvas_text(c, 1 + r, x, CE_DEFAULT, e->text);
   }
   Canvas_band(c, c->r.h - 1, CE_KEY_LABEL);
   Canvas_text(c, c->r.h - 1, 1, CE_KEY_LABEL, "up/down, PgUp/PgDn: scroll    any other key: back to the dashboard");
}

void Panels_scenarioMenu(View* v, const Canvas* c) {
   const ScenarioPlan* plan = &v->plan;
   Canvas_band(c, 0, CE_HEADER);
   Canvas_text(c, 0, 0, CE_HEADER,
               c->r.w >= 100 ? " Scenarios: each sets the knobs for one lesson, sized from this machine's stage costs"
                             : " Scenarios: the knobs for one lesson");
   Canvas_textRight(c, 0, c->r.w, CE_HEADER, " Esc returns ");
   int row = 2;
   for (int i = 0; i <= SCENARIO_LAST && row < c->r.h - 1; i++, row++) {
      bool sel = v->menu_selected == i;
      bool in_force = v->scenario == i;
      const char* name = Scenario_names[i];
      const char* summary = i < SCENARIO_LAST ? Scenario_table[i].summary : "no scenario: every knob at its default";
      int x = Canvas_text(c, row, 1, sel ? CE_SELECTED : CE_DEFAULT, sel ? v->g->select : " ");
      char label[24];
      snprintf(label, sizeof label, "%-9s", name);
      x = Canvas_text(c, row, x + 1, sel ? CE_SELECTED : CE_VALUE, label);
      if (in_force)
         x = Canvas_text(c, row, x + 1, CE_OK, "(in force)");
      /* a summary that does not fit ends in "..." (the caption below says more) */
      int room = c->r.w - x - 2;
      char cut[256];
      if (Canvas_width(summary) > room && room > 3) {
         snprintf(cut, sizeof cut, "%.*s...", room - 3, summary);
         summary = cut;
      }
      Canvas_text(c, row, x + 1, CE_HINT, summary);
   }
   row++;
   int last = c->r.h - 1;
   if (plan->id >= 0 && plan->id < SCENARIO_LAST && row < last) {
      for (int l = 0; l < 2; l++)
         row = panel_wrapped(c, row, 3, CE_CAPTION, Scenario_table[plan->id].caption[l], last - row);
      row++;
   }
   if (row >= last)
      goto footer;
   if (plan->replay)
      row = panel_wrapped(c, row, 1, CE_HINT,
                          "This run replays a file: the file decides the arrivals, the sensors, the allowlist and "
                          "the window; the scenario sets the rest.",
                          last - row);
   if (plan->live) {
      if (plan->n_changes == 0) {
         const char* text = v->scenario == plan->id
                                ? "Its knobs are all in force: Enter changes nothing."
                                : "Its knobs are all in force already: Enter makes it the lesson shown.";
         row = panel_wrapped(c, row, 1, CE_OK, text, last - row);
      } else {
         char text[400];
         snprintf(text, sizeof text, "Enter applies it now, live: %s.", plan->changes);
         row = panel_wrapped(c, row, 1, CE_OK, text, last - row);
      }
   } else {
      char text[400];
      snprintf(text, sizeof text, "Needs a restart: %s cannot change while the pipeline runs.", plan->restart);
      row = panel_wrapped(c, row, 1, CE_WARN, text, last - row);
      if (row < last)
         Canvas_text(c, row++, 1, CE_DEFAULT, "Quit (q) and run:");
      row = panel_wrapped(c, row, 3, CE_VALUE, v->plan_command, last - row);
   }
footer:
   Canvas_band(c, c->r.h - 1, CE_KEY_LABEL);
   Canvas_text(c, c->r.h - 1, 1, CE_KEY_LABEL,
               plan->live ? "up/down: choose    Enter: apply live    Esc: back to the dashboard"
                          : "up/down: choose    Esc: back to the dashboard (this one needs a restart)");
}

void Panels_tooSmall(View* v, const Canvas* c) {
   (void)v;
   char line[96];
   snprintf(line, sizeof line, "terminal too small (need %dx%d, have %dx%d)", LAYOUT_MIN_W, LAYOUT_MIN_H, c->r.w,
            c->r.h);
   int y = c->r.h / 2 - 1;
   if (y < 0)
      y = 0;
   int x = (c->r.w - Canvas_width(line)) / 2;
   Canvas_text(c, y, x > 0 ? x : 0, CE_CRIT, line);
   const char* hint = "enlarge the window, or press q to quit";
   x = (c->r.w - Canvas_width(hint)) / 2;
   Canvas_text(c, y + 1, x > 0 ? x : 0, CE_DEFAULT, hint);
}
