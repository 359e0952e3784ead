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

#include "clock.h"
#include "stage.h"
#include "units.h"
#include "ui/bigtext.h"

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

static uint32_t panel_variantMask(const Knobs* k) {
   uint32_t m = 0;
   for (int s = 0; s < STAGE_LAST; s++)
      if (k->variant[s] == VARIANT_OPTIMIZED)
         m |= 1u << s;
   return m;
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

/* Label the event ticks in the chart's top row: right of the tick when there
 * is room before the next one, else left of it. */
static void panel_markLabels(const View* v, const Canvas* chart, int w) {
   int prev = -1;
   for (int i = 0; i < w; i++) {
      if (!panel_ev[i])
         continue;
      int next = i + 1;
      while (next < w && !panel_ev[next])
         next++;
      const char* text = panel_eventText(v, panel_ev[i]);
      int len = Canvas_width(text);
      int right = next - i - 1;
      int left = i - prev - 1;
      if (right >= len || right >= left) {
         Canvas sub = Canvas_sub(chart, 0, i + 1, 1, right);
         Canvas_text(&sub, 0, 0, CE_MARK, text);
      } else {
         Canvas sub = Canvas_sub(chart, 0, prev + 1, 1, left);
         Canvas_textRight(&sub, 0, left, CE_MARK, text);
      }
      prev = i;
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
   int var_w = wide ? 10 : 6;
   int bar_w = c->r.w - name_w - share_w - ns_w - var_w;
   if (bar_w < 1)
      bar_w = 1;
   int x_share = name_w + bar_w;
   int x_var = x_share + share_w + ns_w + 1;
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Stages ");
   int hint_end = x_share + share_w - 6;
   Canvas hint = Canvas_sub(c, 0, x, 1, hint_end - x);
   /* between bursts the last second saw no work: show the last one that did, and say when */
   bool held = v->stages_t > 0 && v->stages_t < s->t;
   if (held) {
      char ago[16], text[48];
      panel_seconds(ago, sizeof ago, (double)(s->t - v->stages_t) / 1e9);
      snprintf(text, sizeof text, "idle, as of %s ago", ago);
      if (Canvas_width(text) > hint_end - x)
         snprintf(text, sizeof text, "idle");
      Canvas_text(&hint, 0, 0, CE_WARN, text);
   } else {
      Canvas_text(&hint, 0, 0, CE_HINT, hint_end - x >= 34 ? "1-6 toggle; share of the stage time" : "1-6 toggle");
   }
   Canvas_textRight(c, 0, x_share + share_w, CE_HINT, "share");
   Canvas_textRight(c, 0, x_var - 1, CE_HINT, wide ? "per record" : "per rec");
   Canvas_text(c, 0, x_var, CE_HINT, wide ? "variant" : "var.");
   const StageStat* stat = v->stages_t > 0 ? v->stages : s->stage;
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
      bool sel = v->selected == KNOB_LAST + st;
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
      Canvas_text(c, row, x_var, var == VARIANT_OPTIMIZED ? CE_OPTIMIZED : CE_NAIVE, vname);
   }
}

static void panel_knobs(View* v, const Canvas* c) {
   const Knobs* k = &v->knobs;
   const Glyphs* g = v->g;
   char val[48], a[16], b[16];
   Canvas_text(c, 0, 0, CE_TITLE, "Knobs");
   Canvas_text(c, 0, 7, CE_HINT,
               g->utf8 ? "\xe2\x86\x91\xe2\x86\x93 select  \xe2\x86\x90\xe2\x86\x92 change" : "arrows: select, change");
   v->knob_area = c->r;
   for (int i = 0; i < KNOB_LAST; i++) {
      int row = 1 + i;
      v->knob_y[i] = row < c->r.h ? c->r.y + row : -1;
      if (row >= c->r.h)
         break;
      const char* name = "";
      const char* keys = "";
      bool selectable = true;
      switch ((KnobId)i) {
      case KNOB_BATCH:
         name = "batch";
         snprintf(val, sizeof val, "%" PRIu32 " rec/batch", k->batch);
         keys = "b B";
         break;
      case KNOB_LINGER:
         name = "linger";
         Units_formatDuration(a, sizeof a, k->linger_ns);
         snprintf(val, sizeof val, "%s", a);
         keys = "l L";
         break;
      case KNOB_THREADS:
         name = "threads";
         snprintf(val, sizeof val, "%" PRIu32 " of %" PRIu32 " CPUs", k->threads, v->snap.ncpu);
         keys = "t T";
         break;
      case KNOB_RATE:
         if (k->arrival == ARRIVAL_BURST) {
            name = "burst";
            Units_formatCount(a, sizeof a, (double)k->burst);
            snprintf(val, sizeof val, "%s rec", a);
         } else {
            name = "rate";
            Units_formatCount(a, sizeof a, k->rate);
            snprintf(val, sizeof val, "%s rec/s", a);
         }
         keys = "- +";
         break;
      case KNOB_EVERY:
         if (k->arrival == ARRIVAL_BURST) {
            name = "every";
            Units_formatDuration(a, sizeof a, k->every_ns);
            snprintf(val, sizeof val, "%s", a);
            keys = g->utf8 ? "\xe2\x86\x90 \xe2\x86\x92" : "< >";
         } else {
            name = "arrival";
            snprintf(val, sizeof val, "%s, %" PRIu32 " sensors", Arrival_names[k->arrival], v->options->sensors);
            selectable = false;
         }
         break;
      case KNOB_WINDOW:
         name = "window";
         snprintf(val, sizeof val, "%" PRIu32 " rec/sensor", k->window);
         keys = "w W";
         break;
      case KNOB_OVERFLOW:
         name = "overflow";
         if (k->overflow == OVERFLOW_GROW) {
            snprintf(val, sizeof val, "grow (no cap)");
         } else {
            if (k->max_backlog_records)
               Units_formatCount(b, sizeof b, (double)k->max_backlog_records);
            else
               Units_formatBytes(b, sizeof b, (double)k->max_backlog_bytes);
            snprintf(val, sizeof val, "%s at %s%s", Overflow_names[k->overflow], b,
                     k->max_backlog_records ? " rec" : "");
         }
         keys = "p";
         break;
      case KNOB_LAST:
         break;
      }
      bool sel = selectable && v->selected == i;
      char label[16];
      snprintf(label, sizeof label, "%s%-9s", sel ? g->select : " ", name);
      int x = Canvas_text(c, row, 0, sel ? CE_SELECTED : CE_DEFAULT, label);
      Canvas_text(c, row, x, sel ? CE_SELECTED : CE_VALUE, val);
      Canvas_textRight(c, row, c->r.w, CE_KEY, keys);
   }
}

#define PANEL_CURVE_ROWS 64
static unsigned char panel_cells[PANEL_CURVE_ROWS * PANEL_MAX_COLS];

/* The trade-off curve: braille lines through the points in batch-size order
 * (the live point stands for the current batch size). */
static void panel_tradeoffCurve(const View* v, const Canvas* plot, const TradeoffPoint* const* pts, int n,
                                bool have_cur, double cur_x, double cur_y, double lo, double hi, double ymax) {
   int w = plot->r.w, h = plot->r.h;
   if (h > PANEL_CURVE_ROWS || w > PANEL_MAX_COLS)
      return;
   double x[TRADEOFF_POINTS + 1], y[TRADEOFF_POINTS + 1];
   uint32_t b[TRADEOFF_POINTS + 1];
   int m = 0;
   for (int i = 0; i < n; i++) {
      if (have_cur && pts[i]->key.batch == v->knobs.batch)
         continue;
      x[m] = pts[i]->p99_s;
      y[m] = pts[i]->throughput;
      b[m++] = pts[i]->key.batch;
   }
   if (have_cur) {
      x[m] = cur_x;
      y[m] = cur_y;
      b[m++] = v->knobs.batch;
   }
   if (m < 2)
      return;
   for (int i = 1; i < m; i++) /* insertion sort by batch size */
      for (int j = i; j > 0 && b[j - 1] > b[j]; j--) {
         double tx = x[j], ty = y[j];
         uint32_t tb = b[j];
         x[j] = x[j - 1], y[j] = y[j - 1], b[j] = b[j - 1];
         x[j - 1] = tx, y[j - 1] = ty, b[j - 1] = tb;
      }
   int dw = 2 * w, dh = 4 * h;
   memset(panel_cells, 0, (size_t)(w * h));
   int px = 0, py = 0;
   for (int i = 0; i < m; i++) {
      int cx, cy;
      Chart_scatter(x[i], lo, hi, CHART_LOG, y[i], 0, ymax, CHART_LINEAR, dw, dh, &cx, &cy);
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

/* Draw the points of the trade-off panel that belong to the current threads and variants. */
static void panel_tradeoff(View* v, const Canvas* c) {
   const Snapshot* s = &v->snap;
   const Glyphs* g = v->g;
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Throughput vs latency ");
   Canvas_printf(c, 0, x, CE_HINT, c->r.w >= 60 ? "per batch size, at %" PRIu32 " thread%s" : "(%" PRIu32 " thr.)",
                 v->knobs.threads, v->knobs.threads == 1 ? "" : "s");
   int plot_h = c->r.h - 2;
   int plot_w = c->r.w - PANEL_LABEL_W - 1;
   if (plot_h < 1 || plot_w < 8)
      return;
   uint32_t mask = panel_variantMask(&v->knobs);
   const TradeoffPoint* pts[TRADEOFF_POINTS];
   int n = 0;
   for (size_t i = 0; i < v->tradeoff.n; i++) {
      const TradeoffPoint* p = &v->tradeoff.points[i];
      if (p->key.threads == v->knobs.threads && p->key.variants == mask && p->p99_s > 0)
         pts[n++] = p;
   }
   double cur_x = (double)s->latency_window.p99 / 1e9, cur_y = s->out_rate;
   bool have_cur = cur_x > 0 && s->latency_window.count > 0;
   double xmin = INFINITY, xmax = 0, ymax = 0;
   for (int i = 0; i < n; i++) {
      xmin = fmin(xmin, pts[i]->p99_s);
      xmax = fmax(xmax, pts[i]->p99_s);
      ymax = fmax(ymax, pts[i]->throughput);
   }
   if (have_cur) {
      xmin = fmin(xmin, cur_x);
      xmax = fmax(xmax, cur_x);
      ymax = fmax(ymax, cur_y);
   }
   if (!(xmax > 0)) {
      Canvas_text(c, 1 + plot_h / 2, 1, CE_HINT, "waiting for latency measurements");
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
   if (g->utf8)
      panel_tradeoffCurve(v, &plot, pts, n, have_cur, cur_x, cur_y, lo, hi, ymax);
   /* the current point first; the others and their labels only where nothing is drawn yet */
   static bool used[PANEL_CURVE_ROWS][PANEL_MAX_COLS];
   int uh = plot_h < PANEL_CURVE_ROWS ? plot_h : PANEL_CURVE_ROWS;
   int uw = plot_w < PANEL_MAX_COLS ? plot_w : PANEL_MAX_COLS;
   for (int r = 0; r < uh; r++)
      memset(used[r], 0, (size_t)uw);
   for (int i = -1; i < n; i++) {
      bool current = i < 0;
      double px = current ? cur_x : pts[i]->p99_s, py = current ? cur_y : pts[i]->throughput;
      if ((current && !have_cur) || (!current && have_cur && pts[i]->key.batch == v->knobs.batch))
         continue; /* the live point stands for the current setting */
      int col, row;
      Chart_scatter(px, lo, hi, CHART_LOG, py, 0, ymax, CHART_LINEAR, plot_w, plot_h, &col, &row);
      int y = plot_h - 1 - row;
      if (y >= uh || col >= uw || used[y][col])
         continue;
      char num[24];
      snprintf(num, sizeof num, current ? "%" PRIu32 " now" : "%" PRIu32, current ? v->knobs.batch : pts[i]->key.batch);
      int wn = Canvas_width(num);
      ColorElement e = current ? CE_POINT_CURRENT : CE_POINT;
      Canvas_text(&plot, y, col, e, current ? g->current : g->point);
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
   if (n == 0 && plot_h >= 2)
      Canvas_text(&plot, 0, 1, CE_HINT,
                  plot_w >= 50 ? "press b or B: each batch size run for 5 s adds a point"
                               : "b/B: each batch size run 5 s adds a point");
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
                    v->options->threshold);
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
   int x = panel_field(c, 1, 1, "generated ", CE_VALUE, gen, " = ");
   x = panel_field(c, 1, x, "processed ", CE_VALUE, pro, " + ");
   panel_field(c, 1, x, "filtered ", CE_VALUE, fil, NULL);
   x = panel_field(c, 2, 1, "+ dropped ", s->dropped ? CE_CRIT : CE_VALUE, dro, " + ");
   x = panel_field(c, 2, x, "queued ", CE_VALUE, que, " + ");
   panel_field(c, 2, x, "in flight ", CE_VALUE, inf, NULL);
   x = Canvas_printf(c, 3, 1, CE_HINT, "CPU ");
   x = Canvas_printf(c, 3, x, CE_VALUE, "%.2f", s->cpu_process);
   x = Canvas_printf(c, 3, x, CE_HINT, " of %" PRIu32 ", workers busy ", s->ncpu);
   x = Canvas_printf(c, 3, x, CE_VALUE, "%.2f", s->busy);
   panel_field(c, 3, x, ", RSS ", CE_VALUE, rss, NULL);
   x = Canvas_text(c, 4, 1, CE_HINT, "this dashboard uses ");
   x = Canvas_printf(c, 4, x, CE_VALUE, "%.1f%%", v->ui_cpu * 100);
   Canvas_text(c, 4, x, CE_HINT, " of one CPU");
   if (s->order_violations)
      Canvas_printf(c, 5, 1, CE_CRIT, "per-sensor order violated %" PRIu64 " times", s->order_violations);
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
};

/* ------------------------------------------------------------ fixed parts */

void Panels_header(View* v, const Canvas* c) {
   const Snapshot* s = &v->snap;
   const Knobs* k = &v->knobs;
   Canvas_band(c, 0, CE_HEADER);
   char work[96], a[16], b[16], up[64], rss[16];
   if (k->arrival == ARRIVAL_BURST) {
      Units_formatCount(a, sizeof a, (double)k->burst);
      Units_formatDuration(b, sizeof b, k->every_ns);
      snprintf(work, sizeof work, "bursts of %s rec every %s", a, b);
   } else {
      Units_formatCount(a, sizeof a, k->rate);
      snprintf(work, sizeof work, "%s %s rec/s", Arrival_names[k->arrival], a);
   }
   panel_clock(up, sizeof up, s->uptime_s, false);
   Units_formatBytes(rss, sizeof rss, (double)s->rss_bytes);
   int x = Canvas_printf(c, 0, 0, CE_HEADER, " keepup %s ", PACKAGE_VERSION);
   x = Canvas_text(c, 0, x, CE_HEADER, v->g->sep);
   x = Canvas_printf(c, 0, x, CE_HEADER, " %s from %" PRIu32 " sensors ", work, v->options->sensors);
   x = Canvas_text(c, 0, x, CE_HEADER, v->g->sep);
   x = Canvas_printf(c, 0, x, CE_HEADER, " up %s ", up);
   if (c->r.w >= 110) {
      x = Canvas_text(c, 0, x, CE_HEADER, v->g->sep);
      x = Canvas_printf(c, 0, x, CE_HEADER, " CPU %.1f of %" PRIu32 " ", s->cpu_process, s->ncpu);
      x = Canvas_text(c, 0, x, CE_HEADER, v->g->sep);
      x = Canvas_printf(c, 0, x, CE_HEADER, " RSS %s ", rss);
   }
   int end = c->r.w;
   if (v->frozen)
      end = Canvas_textRight(c, 0, end, CE_HEADER_TAG, " FROZEN (f) ") - 1;
   if (k->paused)
      end = Canvas_textRight(c, 0, end, CE_HEADER_TAG, " PAUSED (space) ") - 1;
   if (s->source_done)
      end = Canvas_textRight(c, 0, end, CE_HEADER_TAG, " INPUT ENDED ") - 1;
   if (s->safety_cap_hit)
      end = Canvas_textRight(c, 0, end, CE_CRIT, " SAFETY CAP HIT: DROPPING ") - 1;
   if (v->message[0] && v->now < v->message_until) {
      int room = end - x - 2;
      if (room > 8) {
         Canvas msg = Canvas_sub(c, 0, x + 1, 1, room);
         Canvas_textRight(&msg, 0, room, v->message_elem, v->message);
      }
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
   const Verdict* vd = &v->verdict;
   ColorElement e = panel_verdictElem(vd->state);
   for (int r = 0; r < c->r.h; r++)
      Canvas_band(c, r, e);
   char name[40], dur[48], reason[200];
   const char* word = Verdict_name(vd->state);
   dur[0] = '\0';
   if (vd->state != VERDICT_STARTING) {
      char d[16];
      panel_seconds(d, sizeof d, (double)Verdict_age(vd, v->verdict.last.t) / 1e9);
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
   Verdict_reason(vd, reason, sizeof reason);
   if (vd->state == VERDICT_STARTING && v->knobs.arrival == ARRIVAL_BURST) {
      char every[16];
      Units_formatDuration(every, sizeof every, v->knobs.every_ns);
      snprintf(reason, sizeof reason,
               "measuring: the verdict compares whole burst periods (%s); the first ends in %.0f s", every,
               fmax(0, (double)v->knobs.every_ns / 1e9 - v->snap.uptime_s));
   }
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

typedef struct KeyHint {
   const char* key;
   const char* label;
   int priority; /* 0: always; higher ones go first when the bar is too narrow */
} KeyHint;

static const KeyHint panel_keys[] = {
    {"F1", "Help", 0},   {"q", "Quit", 0},      {"Spc", "Pause", 2}, {"f", "Freeze", 3},
    {"b/B", "Batch", 1}, {"t/T", "Threads", 1}, {"-/+", "Rate", 2},  {"1-6", "Stage", 1},
    {"o/n", "All", 4},   {"e", "Events", 5},    {"r", "Reset", 6},
};
#define PANEL_NKEYS (sizeof panel_keys / sizeof panel_keys[0])

void Panels_keybar(View* v, const Canvas* c) {
   (void)v;
   int max_prio = 6;
   for (; max_prio > 0; max_prio--) {
      int w = 0;
      for (size_t i = 0; i < PANEL_NKEYS; i++)
         if (panel_keys[i].priority <= max_prio)
            w += Canvas_width(panel_keys[i].key) + Canvas_width(panel_keys[i].label) + 1;
      if (w <= c->r.w)
         break;
   }
   Canvas_band(c, 0, CE_KEY_LABEL);
   int x = 0;
   for (size_t i = 0; i < PANEL_NKEYS; i++) {
      if (panel_keys[i].priority > max_prio)
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
    {"space", "pause / resume the source"},
    {"f", "freeze the display (the pipeline keeps running)"},
    {"r", "reset the windowed statistics"},
    {"b B", "batch size: halve / double (1 .. 65536)"},
    {"t T", "worker threads: one less / one more (1 .. 64)"},
    {"- +", "arrival rate, or burst size: down / up"},
    {"l L", "linger: shorter / longer"},
    {"w W", "rolling window: smaller / larger"},
    {"p P", "overflow policy: next / previous"},
    {"1 .. 6", "toggle that stage naive / optimized"},
    {"o n", "all stages optimized / all naive"},
    {"up down", "select a knob or a stage"},
    {"left right", "change the selected knob (toggle a stage)"},
    {"e", "event log: every knob change, with its time"},
    {"m", "put a mark on the charts"},
    {"Ctrl-L", "redraw the screen"},
    {"mouse", "click a knob to select it, a stage to toggle it"},
};

static const char* const panel_helpText[] = {
    "",
    "Reading the screen",
    "  The banner says whether the pipeline keeps up with its input: KEEPING UP, FALLING",
    "  BEHIND (the backlog grows, records age, or records are dropped) or CATCHING UP (the",
    "  backlog shrinks), with the measured rates behind it and how long it has been so.",
    "  Charts: bars are the main series, a line the second one (see each title); a dotted",
    "  tick marks a knob change, with its text in the backlog chart.",
    "  Every number is measured from the running pipeline; anything computed instead",
    "  is labelled \"prediction\".",
    "",
    "Stages: what each variant does",
};

void Panels_help(View* v, const Canvas* c) {
   /* the lines: keys, the reading guide, then two lines per stage */
   enum {
      HELP_KEYS = sizeof panel_helpKeys / sizeof panel_helpKeys[0],
      HELP_TEXT = sizeof panel_helpText / sizeof panel_helpText[0]
   };
   int total = HELP_KEYS + HELP_TEXT + 2 * STAGE_LAST;
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
         const StageDef* st = &Stage_table[k / 2];
         if (k % 2 == 0) {
            Canvas_printf(c, y, 2, CE_KEY, "%d %-9s", k / 2 + 1, st->name);
            Canvas_printf(c, y, 14, CE_NAIVE, "naive:     %s", st->naive);
         } else {
            Canvas_printf(c, y, 14, CE_OPTIMIZED, "optimized: %s", st->optimized);
         }
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
