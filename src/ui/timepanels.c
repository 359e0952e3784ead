/*
 * timepanels.c: the time charts (backlog, staleness, throughput, latency,
 * alert delay), all drawn by one drawer: bars for the main series, a line
 * for a second one, event ticks through the columns where a knob changed,
 * autoscaled, over the last minute or more. Scratch arrays are static so
 * that a frame allocates nothing.
 */
#include "config.h"

#include "ui/timepanels.h"

#include <math.h>
#include <stdio.h>

#include "base/clock.h"
#include "base/units.h"
#include "ui/chart.h"
#include "ui/panel.h"

#define TIMEPANELS_SPAN_NS (60 * NS_PER_SEC) /* what a chart covers at least */

static double timepanels_a[PANEL_MAX_COLS];
static double timepanels_b[PANEL_MAX_COLS];
static bool timepanels_hasA[PANEL_MAX_COLS];
static bool timepanels_hasB[PANEL_MAX_COLS];
static uint32_t timepanels_ev[PANEL_MAX_COLS];

static const char* timepanels_eventText(const View* v, uint32_t id) {
   for (size_t i = v->data.nevents; i-- > 0;)
      if (v->data.events[i].id == id)
         return v->data.events[i].text;
   return "";
}

static double timepanels_backlogOf(const HistorySample* s) {
   return s->backlog;
}
static double timepanels_waitingOf(const HistorySample* s) {
   return s->backlog + s->held_back;
}
static double timepanels_oldestOf(const HistorySample* s) {
   return s->oldest_age_s;
}
static double timepanels_lagOf(const HistorySample* s) {
   return s->event_lag_s;
}
static double timepanels_inOf(const HistorySample* s) {
   return s->in_rate;
}
static double timepanels_outOf(const HistorySample* s) {
   return s->out_rate;
}
static double timepanels_p50Of(const HistorySample* s) {
   return s->latency_p50_s;
}
static double timepanels_p99Of(const HistorySample* s) {
   return s->latency_p99_s;
}
static double timepanels_alertDelayOf(const HistorySample* s) {
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

static void timepanels_axisLabel(const TimeChart* tc, char* buf, size_t len, double v) {
   if (tc->seconds)
      Panel_seconds(buf, len, v);
   else
      Units_formatCount(buf, len, v);
}

/* Label the event ticks in the chart's top row, newest first: the latest change (a scenario switched to)
 * is the one a reader looks for, so it gets its room before older marks take it. A label goes right of
 * its tick when it fits before the next newer tick or label, else left of it (over older ticks' top
 * cells: an older tick it covers keeps its rows below, and no label); a label that fits nowhere is left
 * out (the event log has it). */
static void timepanels_markLabels(const View* v, const Canvas* chart, int w) {
   int limit = w; /* the first column a newer tick or label took */
   for (int i = w - 1; i >= 0; i--) {
      if (!timepanels_ev[i] || i >= limit) /* none, or under a newer label */
         continue;
      const char* text = timepanels_eventText(v, timepanels_ev[i]);
      int len = Canvas_width(text);
      int right = limit - i - 1;
      int left = i; /* over older ticks' top cells: they keep the rows below */
      if (len > 0 && right >= len) {
         Canvas sub = Canvas_sub(chart, 0, i + 1, 1, len);
         Canvas_text(&sub, 0, 0, CE_MARK, text);
         limit = i;
      } else if (len > 0 && left >= len) {
         Canvas sub = Canvas_sub(chart, 0, i - len, 1, len);
         Canvas_text(&sub, 0, 0, CE_MARK, text);
         limit = i - len;
      } else {
         limit = i;
      }
   }
}

static void timepanels_chart(const View* v, const Canvas* c, int top, const TimeChart* tc) {
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
   int64_t end_t = v->data.nhist ? v->data.hist[v->data.nhist - 1].t : v->data.snap.t;
   int64_t span = Chart_span(w, TIMEPANELS_SPAN_NS);
   /* only the samples the chart covers, plus one before them for the event marks */
   size_t first = v->data.nhist;
   while (first > 0 && v->data.hist[first - 1].t > end_t - span * (w + 1))
      first--;
   if (first > 0)
      first--;
   const HistorySample* hs = v->data.hist + first;
   size_t n = v->data.nhist - first;
   Chart_columns(hs, n, tc->bars, CHART_MAX, end_t, span, w, timepanels_a, timepanels_hasA);
   double max = Chart_autoscale(timepanels_a, timepanels_hasA, w, tc->floor);
   if (tc->line) {
      Chart_columns(hs, n, tc->line, CHART_MEAN, end_t, span, w, timepanels_b, timepanels_hasB);
      double m2 = Chart_autoscale(timepanels_b, timepanels_hasB, w, tc->floor);
      if (m2 > max)
         max = m2;
   }
   Chart_events(hs, n, end_t, span, w, timepanels_ev);
   double log_min = max / 1e4;

   char lab[16];
   timepanels_axisLabel(tc, lab, sizeof lab, max);
   Canvas_textRight(c, top, PANEL_LABEL_W, CE_HINT, lab);
   if (rows >= 2) {
      if (tc->scale == CHART_LOG)
         timepanels_axisLabel(tc, lab, sizeof lab, log_min);
      else
         snprintf(lab, sizeof lab, "0");
      Canvas_textRight(c, top + rows - 1, PANEL_LABEL_W, CE_HINT, lab);
   }
   for (int r = 0; r < rows; r++)
      Canvas_text(c, top + r, PANEL_LABEL_W, CE_HINT, g->vaxis);

   Canvas chart = Canvas_sub(c, top, PANEL_LABEL_W + 1, rows, w);
   for (int i = 0; i < w; i++) {
      int e = timepanels_hasA[i] ? Chart_eighths(Chart_fraction(timepanels_a[i], max, tc->scale, log_min), rows) : 0;
      for (int r = 0; r < rows; r++) {
         int level = Chart_cellLevel(e, r);
         if (level > 0)
            Canvas_text(&chart, rows - 1 - r, i, CE_CHART, g->bar[level]);
         else if (timepanels_ev[i])
            Canvas_text(&chart, rows - 1 - r, i, CE_MARK, g->mark);
      }
      if (tc->line && timepanels_hasB[i]) {
         /* inside a bar the line is drawn in reverse so the bar does not hide it */
         int r = Chart_row(Chart_fraction(timepanels_b[i], max, tc->scale, log_min), rows);
         Canvas_text(&chart, rows - 1 - r, i, Chart_cellLevel(e, r) > 0 ? CE_CHART_LINE_IN : CE_CHART_LINE, g->line);
      }
   }
   if (tc->labels && rows >= 2)
      timepanels_markLabels(v, &chart, w);
   if (axis) {
      int y = top + rows;
      Canvas_text(c, y, PANEL_LABEL_W, CE_HINT, g->origin);
      Canvas_fill(c, y, PANEL_LABEL_W + 1, w, CE_HINT, g->haxis);
      char span_text[48];
      Panel_seconds(lab, sizeof lab, (double)(span * w) / 1e9);
      snprintf(span_text, sizeof span_text, " -%s ", lab);
      Canvas_text(c, y, PANEL_LABEL_W + 1, CE_HINT, span_text);
      Canvas_textRight(c, y, PANEL_LABEL_W + 1 + w, CE_HINT, " now");
      Panel_seconds(lab, sizeof lab, (double)span / 1e9);
      snprintf(span_text, sizeof span_text, " %s per column ", lab);
      Canvas_text(c, y, PANEL_LABEL_W + 1 + (w - Canvas_width(span_text)) / 2, CE_HINT, span_text);
   }
}

/* ------------------------------------------------------------ panels */

/* The backlog's change over the last second, or that it emptied (a drained backlog's rate would read -216k at 0). */
static int timepanels_backlogRate(const View* v, const Canvas* c, int x, bool wide) {
   const Snapshot* s = &v->data.snap;
   char r[16];
   if (s->backlog_records == 0 && s->backlog_rate < -0.5)
      return Canvas_text(c, 0, x, CE_OK, wide ? "emptied within the last second " : "emptied ");
   Units_formatCount(r, sizeof r, fabs(s->backlog_rate));
   const char* arrow = s->backlog_rate > 0.5 ? v->g->up : s->backlog_rate < -0.5 ? v->g->down : "";
   /* the rate with its unit or not at all: a bare number beside the backlog's would read as records */
   const char* unit = " rec/s ";
   int w = Canvas_width(arrow) + 1 + Canvas_width(r);
   if (x + w + Canvas_width(unit) > c->r.w)
      unit = "/s ";
   if (x + w + Canvas_width(unit) - 1 > c->r.w)
      return x;
   x = Canvas_text(c, 0, x, s->backlog_rate > 0.5 ? CE_WARN : CE_OK, arrow);
   x = Panel_field(c, 0, x, NULL, CE_VALUE, s->backlog_rate >= 0 ? "+" : "-", NULL);
   return Panel_field(c, 0, x, NULL, CE_VALUE, r, unit);
}

void TimePanels_backlog(const View* v, ViewHits* hits, const Canvas* c) {
   (void)hits;
   const Snapshot* s = &v->data.snap;
   bool wide = c->r.w >= 60;
   char a[16], b[16];
   Units_formatCount(a, sizeof a, (double)s->backlog_records);
   Units_formatBytes(b, sizeof b, (double)s->backlog_bytes);
   ColorElement sev = Panel_severity((double)s->oldest_age_ns / 1e9, 1, 10);
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Backlog ");
   x = Panel_field(c, 0, x, NULL, sev, a, " rec ");
   /* the memory only when the rate of change still fits after it; wide, what a queued record takes too (its
    * layout's: --layout) */
   int need = Canvas_width(b) + (wide ? 3 : 1) + 14;
   bool per = wide && s->backlog_records > 0 && x + need + 12 <= c->r.w;
   if (per)
      x = Canvas_printf(c, 0, x, CE_HINT, "(%s, %.0f B/rec) ", b, (double)s->backlog_bytes / (double)s->backlog_records);
   else if (s->backlog_bytes > 0 && x + need <= c->r.w)
      x = Canvas_printf(c, 0, x, CE_HINT, wide ? "(%s) " : "%s ", b);
   x = Canvas_text(c, 0, x, CE_CHART, v->g->bar[8]);
   x = timepanels_backlogRate(v, c, x + 1, wide);
   if (s->held_back > 0) {
      /* what the source could not admit waits too: the line is backlog + held back */
      Units_formatCount(a, sizeof a, (double)s->held_back);
      x = Panel_fieldIf(c, 0, x, wide ? "+ held back " : "+held ", CE_CRIT, a, " ");
      x = Canvas_text(c, 0, x, CE_CHART_LINE, v->g->line);
      x++;
   }
   char cap[16];
   if (v->data.knobs.overflow == OVERFLOW_GROW)
      snprintf(cap, sizeof cap, "none");
   else if (v->data.knobs.max_backlog_records)
      Units_formatCount(cap, sizeof cap, (double)v->data.knobs.max_backlog_records);
   else
      Units_formatBytes(cap, sizeof cap, (double)v->data.knobs.max_backlog_bytes);
   if (s->dropped) {
      Units_formatCount(a, sizeof a, (double)s->dropped);
      x = Panel_fieldIf(c, 0, x, wide ? " dropped " : "drop ", CE_CRIT, a, wide ? " rec " : " ");
   }
   Panel_fieldIf(c, 0, x, wide ? " cap " : "cap ", CE_HINT, cap,
                 wide && v->data.knobs.max_backlog_records ? " rec" : "");
   static const TimeChart plain = {.bars = timepanels_backlogOf, .scale = CHART_LINEAR, .floor = 10, .labels = true};
   static const TimeChart held = {.bars = timepanels_backlogOf,
                                  .line = timepanels_waitingOf,
                                  .scale = CHART_LINEAR,
                                  .floor = 10,
                                  .labels = true};
   timepanels_chart(v, c, 1, s->held_back > 0 ? &held : &plain);
}

void TimePanels_staleness(const View* v, ViewHits* hits, const Canvas* c) {
   (void)hits;
   const Snapshot* s = &v->data.snap;
   bool wide = c->r.w >= 60;
   char a[16], b[16];
   double age = (double)s->oldest_age_ns / 1e9, lag = (double)s->event_lag_ns / 1e9;
   Panel_seconds(a, sizeof a, age);
   Panel_seconds(b, sizeof b, lag);
   if (s->oldest_age_ns == 0)
      snprintf(a, sizeof a, "none");
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Staleness ");
   x = Panel_field(c, 0, x, wide ? "oldest waiting " : "oldest ", Panel_severity(age, 1, 10), a, " ");
   x = Canvas_text(c, 0, x, CE_CHART, v->g->bar[8]);
   /* a replay's event-time lag is in the data's time, not the clock's: a number, not on the chart's axis */
   bool replay = v->data.replaying;
   x = Panel_field(c, 0, x, wide ? "  event lag " : " ev-lag ", replay ? CE_VALUE : Panel_severity(lag, 1, 10), b,
                   replay && wide ? " of data " : " ");
   if (!replay)
      Canvas_text(c, 0, x, CE_CHART_LINE, v->g->line);
   static const TimeChart sim = {
       .bars = timepanels_oldestOf, .line = timepanels_lagOf, .scale = CHART_LINEAR, .seconds = true, .floor = 0.01};
   static const TimeChart data = {.bars = timepanels_oldestOf, .scale = CHART_LINEAR, .seconds = true, .floor = 0.01};
   timepanels_chart(v, c, 1, replay ? &data : &sim);
}

void TimePanels_throughput(const View* v, ViewHits* hits, const Canvas* c) {
   (void)hits;
   const Snapshot* s = &v->data.snap;
   bool wide = c->r.w >= 60;
   char a[16], b[16];
   Units_formatCount(a, sizeof a, s->in_rate);
   Units_formatCount(b, sizeof b, s->out_rate);
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Throughput ");
   x = Panel_field(c, 0, x, wide ? "offered " : "in ", CE_VALUE, a, wide ? " rec/s " : " ");
   x = Canvas_text(c, 0, x, CE_CHART_LINE, v->g->line);
   bool short_of = s->out_rate < s->in_rate * 0.98 && s->in_rate > 0;
   x = Panel_field(c, 0, x, wide ? "  out " : " out ", short_of ? CE_WARN : CE_OK, b, " rec/s ");
   x = Canvas_text(c, 0, x, CE_CHART, v->g->bar[8]);
   if (c->r.w >= 70)
      Canvas_text(c, 0, x, CE_HINT, "  (last 1 s)");
   static const TimeChart tc = {.bars = timepanels_outOf, .line = timepanels_inOf, .scale = CHART_LINEAR, .floor = 10};
   timepanels_chart(v, c, 1, &tc);
}

void TimePanels_latency(const View* v, ViewHits* hits, const Canvas* c) {
   (void)hits;
   const Snapshot* s = &v->data.snap;
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
   x = Panel_field(c, 0, x, "p50 ", CE_VALUE, a, " ");
   x = Canvas_text(c, 0, x, CE_CHART_LINE, v->g->line);
   x = Panel_field(c, 0, x, wide ? "  p99 " : " p99 ", Panel_severity(p99, 0.1, 1), b, " ");
   x = Canvas_text(c, 0, x, CE_CHART, v->g->bar[8]);
   x = Panel_fieldIf(c, 0, x, wide ? "  max " : " max ", CE_VALUE, m, NULL);
   if (c->r.w >= 90)
      Canvas_text(c, 0, x, CE_HINT, "  (event time to done, last 1 s, log scale)");
   static const TimeChart tc = {
       .bars = timepanels_p99Of, .line = timepanels_p50Of, .scale = CHART_LOG, .seconds = true, .floor = 0.001};
   timepanels_chart(v, c, 1, &tc);
}

void TimePanels_alertDelay(const View* v, ViewHits* hits, const Canvas* c) {
   (void)hits;
   const Snapshot* s = &v->data.snap;
   char a[16];
   Units_formatDuration(a, sizeof a, (int64_t)s->alert_delay_window.p99);
   double p99 = (double)s->alert_delay_window.p99 / 1e9;
   if (s->alert_delay_window.count == 0)
      snprintf(a, sizeof a, "-");
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Alert delay ");
   x = Panel_field(c, 0, x, "p99 ", Panel_severity(p99, 0.1, PANEL_LATE_S), a, " ");
   x = Canvas_text(c, 0, x, CE_CHART, v->g->bar[8]);
   Canvas_text(c, 0, x, CE_HINT, c->r.w >= 64 ? "  reading to alert; late over 1 s (log)" : " late over 1 s");
   static const TimeChart tc = {.bars = timepanels_alertDelayOf, .scale = CHART_LOG, .seconds = true, .floor = 0.001};
   timepanels_chart(v, c, 1, &tc);
}
