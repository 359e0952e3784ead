/*
 * teachpanels.c: the panels that put the model beside the measurement: the
 * forecast (capacity, utilization, when the backlog passes a limit, and the
 * predicted growth checked against the measured one), Amdahl's law for the
 * selected stage with a toggle's prediction and measurement, and throughput
 * against latency per batch size (the live sweep's points, or those the user
 * has run). What the model computes is labelled as predicted.
 */
#include "config.h"

#include "ui/teachpanels.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/units.h"
#include "ui/chart.h"
#include "ui/panel.h"
#include "ui/structurepanel.h"

#define TEACHPANELS_CURVE_ROWS  64
#define TEACHPANELS_PLOT_POINTS (TRADEOFF_POINTS + SWEEP_MAX_POINTS + 1)
static unsigned char teachpanels_cells[TEACHPANELS_CURVE_ROWS * PANEL_MAX_COLS];

/* One point of the throughput-vs-latency plot. */
typedef struct PlotPoint {
   double x, y; /* p99 latency (s), throughput (records/s) */
   uint32_t batch;
   bool current; /* the live setting */
   bool knee;
   bool unsettled; /* a sweep point measured on an older backlog */
} PlotPoint;

/* The curve: braille lines through the points in batch-size order. */
static void teachpanels_tradeoffCurve(const Canvas* plot, PlotPoint* pts, int m, double lo, double hi, double ymax) {
   int w = plot->r.w, h = plot->r.h;
   if (h > TEACHPANELS_CURVE_ROWS || w > PANEL_MAX_COLS || m < 2)
      return;
   int order[TEACHPANELS_PLOT_POINTS];
   for (int i = 0; i < m; i++)
      order[i] = i;
   for (int i = 1; i < m; i++) /* insertion sort by batch size */
      for (int j = i; j > 0 && pts[order[j - 1]].batch > pts[order[j]].batch; j--) {
         int t = order[j];
         order[j] = order[j - 1];
         order[j - 1] = t;
      }
   int dw = 2 * w, dh = 4 * h;
   memset(teachpanels_cells, 0, (size_t)(w * h));
   int px = 0, py = 0;
   for (int i = 0; i < m; i++) {
      int cx, cy;
      const PlotPoint* p = &pts[order[i]];
      Chart_scatter(p->x, lo, hi, CHART_LOG, p->y, 0, ymax, CHART_LINEAR, dw, dh, &cx, &cy);
      if (i > 0)
         Chart_brailleLine(teachpanels_cells, dw, dh, px, py, cx, cy);
      px = cx;
      py = cy;
   }
   char glyph[4];
   for (int r = 0; r < h; r++)
      for (int col = 0; col < w; col++)
         if (teachpanels_cells[r * w + col]) {
            Chart_braille(teachpanels_cells[r * w + col], glyph);
            Canvas_text(plot, r, col, CE_HINT, glyph);
         }
}

/* Whether the sweep's points belong on the plot now: measured at the current threads and variants. */
static bool teachpanels_sweepShown(const View* v) {
   const Sweep* sw = v->data.sweep;
   if (!sw || sw->phase == SWEEP_IDLE || sw->n == 0)
      return false;
   return sw->threads == v->data.knobs.threads && sw->variants == Tradeoff_variants(v->data.knobs.variant);
}

/* The title line of the plot while a sweep is shown. */
static void teachpanels_sweepTitle(const View* v, const Canvas* c, int x, int knee) {
   const Sweep* sw = v->data.sweep;
   bool wide = c->r.w >= 60;
   char a[16];
   if (Sweep_running(sw)) {
      const SweepPoint* p = &sw->point[sw->current];
      x = Canvas_printf(c, 0, x, CE_WARN, "SWEEP %u/%u", sw->current + 1, sw->n);
      Canvas_printf(c, 0, x, CE_HINT, wide ? ": batch %u, %s (%.0f%%), S cancels" : " b%u %s", p->batch,
                    sw->phase == SWEEP_SETTLING ? "settling" : "measuring", 100 * Sweep_progress(sw, v->data.now));
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

/* The points to plot: the sweep's measured ones (and the live one while it runs), else
 * those the user has run at the current threads and variants, and the live one. */
static int teachpanels_points(const View* v, bool sweep, int knee, PlotPoint* pts) {
   const Snapshot* s = &v->data.snap;
   const Knobs* k = &v->data.knobs;
   const Sweep* sw = v->data.sweep;
   int m = 0;
   double cur_x = (double)s->latency_window.p99 / 1e9, cur_y = s->out_rate;
   bool have_cur = cur_x > 0 && s->latency_window.count > 0;
   if (sweep) {
      for (uint32_t i = 0; i < sw->n; i++) {
         const SweepPoint* p = &sw->point[i];
         if (p->done && p->p99_s > 0)
            pts[m++] = (PlotPoint){.x = p->p99_s,
                                   .y = p->throughput,
                                   .batch = p->batch,
                                   .knee = (int)i == knee,
                                   .unsettled = p->unsettled};
      }
      /* while it runs, the live point shows where the current batch size stands */
      if (!Sweep_running(sw))
         have_cur = false;
   } else {
      uint32_t mask = Tradeoff_variants(k->variant);
      for (size_t i = 0; i < v->data.tradeoff.n; i++) {
         const TradeoffPoint* p = &v->data.tradeoff.points[i];
         if (p->key.threads != k->threads || p->key.variants != mask || !(p->p99_s > 0))
            continue;
         if (have_cur && p->key.batch == k->batch)
            continue; /* the live point stands for the current setting */
         pts[m++] = (PlotPoint){.x = p->p99_s, .y = p->throughput, .batch = p->key.batch};
      }
   }
   if (have_cur)
      pts[m++] = (PlotPoint){.x = cur_x, .y = cur_y, .batch = k->batch, .current = true};
   return m;
}

/* The axes around a plot of plot_h x plot_w from row 1: throughput up to ymax, p99 latency lo..hi (log). */
static void teachpanels_axes(const View* v, const Canvas* c, int plot_h, int plot_w, double lo, double hi,
                             double ymax) {
   const Glyphs* g = v->g;
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
}

/* The points, the current one first, then the knee, then the others, each labelled with its batch
 * size where nothing is drawn yet (right of it, else left). */
static void teachpanels_plotPoints(const View* v, const Canvas* plot, const PlotPoint* pts, int m, double lo, double hi,
                                   double ymax) {
   const Glyphs* g = v->g;
   int plot_h = plot->r.h, plot_w = plot->r.w;
   static bool used[TEACHPANELS_CURVE_ROWS][PANEL_MAX_COLS];
   int uh = plot_h < TEACHPANELS_CURVE_ROWS ? plot_h : TEACHPANELS_CURVE_ROWS;
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
                  p->current ? " now"
                  : p->knee  ? " knee"
                             : "");
         int wn = Canvas_width(num);
         ColorElement e = p->current ? CE_POINT_CURRENT : p->knee ? CE_OK : CE_POINT;
         Canvas_text(plot, y, col, e, p->current ? g->current : p->knee ? g->knee : g->point);
         if (!tracked)
            continue;
         used[y][col] = true;
         int at = col + 1 + wn <= uw ? col + 1 : col - wn;
         bool free_cells = at >= 0;
         for (int k = 0; free_cells && k < wn; k++)
            free_cells = !used[y][at + k];
         if (!free_cells)
            continue;
         Canvas_text(plot, y, at, e, num);
         for (int k = 0; k < wn; k++)
            used[y][at + k] = true;
      }
   }
}

/* Throughput against p99 latency, one point per batch size: the live sweep's
 * points when there is one for the current threads and variants, else those
 * the user has run, each for the current threads and variants. */
void TeachPanels_tradeoff(const View* v, ViewHits* hits, const Canvas* c) {
   (void)hits;
   bool sweep = teachpanels_sweepShown(v);
   if (!sweep && v->data.scenario == SCENARIO_STRUCTURE) {
      StructurePanel_draw(v, c);
      return;
   }
   const Sweep* sw = v->data.sweep;
   /* the knee once every point the sweep will have is in */
   int knee = sweep && !Sweep_running(sw) ? Sweep_knee(sw->point, sw->n, SWEEP_KNEE_SHARE) : -1;
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Throughput vs latency ");
   if (sweep)
      teachpanels_sweepTitle(v, c, x, knee);
   else
      Canvas_printf(c, 0, x, CE_HINT,
                    c->r.w >= 60 ? "per batch size, at %" PRIu32 " thread%s (S: sweep)" : "(%" PRIu32 " thread%s)",
                    v->data.knobs.threads, v->data.knobs.threads == 1 ? "" : "s");
   int plot_h = c->r.h - 2;
   int plot_w = c->r.w - PANEL_LABEL_W - 1;
   if (plot_h < 1 || plot_w < 8)
      return;
   PlotPoint pts[TEACHPANELS_PLOT_POINTS];
   int m = teachpanels_points(v, sweep, knee, pts);
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
   teachpanels_axes(v, c, plot_h, plot_w, lo, hi, ymax);
   Canvas plot = Canvas_sub(c, 1, PANEL_LABEL_W + 1, plot_h, plot_w);
   /* the legend first, so that the curve and the points draw over it */
   bool unsettled = false;
   for (int i = 0; i < m; i++)
      unsettled = unsettled || pts[i].unsettled;
   if (unsettled && plot_h >= 2)
      Canvas_textRight(&plot, plot_h - 1, plot_w, CE_WARN,
                       plot_w >= 44 ? "?: measured on an older backlog" : "?: older backlog");
   if (!sweep && m == 1 && plot_h >= 2) {
      /* the hint takes a row the point and its label leave free */
      int col, row;
      Chart_scatter(pts[0].x, lo, hi, CHART_LOG, pts[0].y, 0, ymax, CHART_LINEAR, plot_w, plot_h, &col, &row);
      const char* hint = plot_w >= 62   ? "S sweeps batch 1..1024; b/B: each size run 5 s adds a point"
                         : plot_w >= 36 ? "S: sweep; b/B: a point per 5 s run"
                                        : "S: sweep";
      Panel_fieldIf(&plot, row == plot_h - 1 ? plot_h - 1 : 0, 1, NULL, CE_HINT, hint, NULL);
   }
   if (v->g->utf8)
      teachpanels_tradeoffCurve(&plot, pts, m, lo, hi, ymax);
   teachpanels_plotPoints(v, &plot, pts, m, lo, hi, ymax);
}

/* When the backlog will pass a limit, predicted at the given growth: already (critical), never, or a time. */
static void teachpanels_eta(const Canvas* c, int row, int x, bool wide, double t_s, double growth) {
   char a[24], d[24];
   Prediction_eta(a, sizeof a, t_s);
   x = Canvas_text(c, row, x, t_s <= 0 ? CE_CRIT : isinf(t_s) ? CE_OK : CE_PREDICTION, a);
   if (growth > 0 && isfinite(t_s) && t_s > 0) {
      Prediction_rateShort(d, sizeof d, growth);
      Panel_fieldIf(c, row, x, wide ? " at growth " : " at ", CE_PREDICTION, d, NULL);
   }
}

/* The memory cap the forecast counts down to, in words: "memory cap 4.00M rec", "safety cap 2.00 GB". */
static void teachpanels_capText(const View* v, char* buf, size_t len, bool wide) {
   const Knobs* k = &v->data.knobs;
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

/* Predicted against measured backlog growth, and how far apart they are when they are compared. */
static void teachpanels_growthLine(const View* v, const Canvas* c, int row, bool wide) {
   const Analysis* an = &v->data.analysis;
   char a[24], b[24], d[24], t[64];
   if (wide) {
      Prediction_rate(a, sizeof a, an->growth_predicted);
      Prediction_rate(b, sizeof b, an->growth_measured);
   } else {
      Prediction_rateShort(a, sizeof a, an->growth_predicted);
      Prediction_rateShort(b, sizeof b, an->growth_measured);
   }
   int x = Canvas_text(c, row, 1, CE_HINT, wide ? "growth (offered - out) " : "growth ");
   /* the panel is the forecast: narrow, the predicted growth goes without its label */
   x = Panel_field(c, row, x, wide ? "predicted " : "", CE_PREDICTION, a, NULL);
   x = Panel_field(c, row, x, ", measured ", CE_VALUE, b, NULL);
   if (an->check.state == PREDICTION_AGREES || an->check.state == PREDICTION_OFF) {
      double diff = an->growth_measured - an->growth_predicted;
      Units_formatCount(d, sizeof d, fabs(diff));
      if (wide)
         snprintf(t, sizeof t, ", diff %s%s (%.0f%%)", diff < 0 ? "-" : "+", d, an->check.error * 100);
      else
         snprintf(t, sizeof t, " (off by %.0f%%)", an->check.error * 100);
      Panel_fieldIf(c, row, x, NULL, an->check.error > PREDICTION_TOLERANCE ? CE_WARN : CE_HINT, t, NULL);
   }
}

/* The prediction check: off (flagged), settling, not compared and why, or holding. */
static void teachpanels_checkLine(const View* v, const Canvas* c, int row, bool wide) {
   const PredictionCheck* check = &v->data.analysis.check;
   int64_t now = v->data.now;
   char a[24];
   switch (check->state) {
   case PREDICTION_OFF:
      Canvas_band(c, row, CE_CRIT);
      Panel_seconds(a, sizeof a, (double)PredictionCheck_offFor(check, now) / 1e9);
      Canvas_printf(c, row, 0, CE_CRIT,
                    wide ? " PREDICTION OFF by %.0f%% for %s: the model misses something here"
                         : " PREDICTION OFF %.0f%% for %s",
                    check->error * 100, a);
      break;
   case PREDICTION_SETTLING:
      Panel_seconds(a, sizeof a, (double)(check->settle_until - now) / 1e9);
      Canvas_printf(c, row, 1, CE_HINT,
                    wide ? "growth compared again in %s (a knob changed in the window)" : "compared again in %s", a);
      break;
   case PREDICTION_UNSATURATED:
      Canvas_text(c, row, 1, CE_HINT,
                  wide ? "growth not compared: the backlog empties (it is arrival - capacity only while it lasts)"
                       : "not compared: backlog empties");
      break;
   case PREDICTION_AGREES:
      if (check->off_since > 0) {
         /* over the tolerance, not yet for long: said, but not flagged */
         Panel_seconds(a, sizeof a, (double)(now - check->off_since) / 1e9);
         Canvas_printf(c, row, 1, CE_WARN, wide ? "off by %.0f%% for %s (flagged after %.0f s)" : "off %.0f%% for %s",
                       check->error * 100, a, (double)PREDICTION_HOLD_NS / 1e9);
      } else {
         Canvas_printf(c, row, 1, CE_OK, wide ? "the prediction holds (within %.0f%%)" : "holds (within %.0f%%)",
                       PREDICTION_TOLERANCE * 100);
      }
      break;
   case PREDICTION_UNKNOWN:
      Canvas_text(c, row, 1, CE_HINT, "not compared yet");
      break;
   }
}

static void teachpanels_forecastLine(const View* v, const Canvas* c, int row, ForecastLine line) {
   const Snapshot* s = &v->data.snap;
   const Forecast* f = &v->data.analysis.forecast;
   bool wide = c->r.w >= 60;
   char a[24], b[24], d[24], t[64];
   int x = 1;
   switch (line) {
   case FL_CAPACITY:
      Units_formatCount(a, sizeof a, f->capacity);
      x = Panel_field(c, row, x, "capacity ", CE_PREDICTION, a, wide ? " rec/s " : "/s ");
      snprintf(b, sizeof b, "%.2f", f->utilization);
      x = Panel_field(c, row, x, wide ? " utilization " : " util ", Panel_severity(f->utilization, 0.8, 1), b, NULL);
      if (wide) {
         Units_formatCount(d, sizeof d, v->data.analysis.arrival);
         x = Panel_fieldIf(c, row, x, " (= offered ", CE_HINT, d, " / capacity)");
         snprintf(t, sizeof t, "%.1f", f->parallel);
         Panel_fieldIf(c, row, x, "; on ", CE_HINT, t, " CPUs");
      }
      break;
   case FL_MEASURED: {
      /* the verdict's window: the banner's numbers, the same */
      const VerdictInput* w = &v->data.analysis.verdict.last;
      bool windowed = v->data.analysis.window_s > 0;
      Units_formatCount(a, sizeof a, windowed ? w->out_rate : Snapshot_outRate(s));
      Units_formatCount(b, sizeof b, v->data.analysis.arrival);
      x = Canvas_text(c, row, x, CE_HINT, "measured ");
      x = Panel_field(c, row, x, wide ? "offered " : "in ", CE_VALUE, b, ", ");
      x = Panel_field(c, row, x, "out ", CE_VALUE, a, wide ? " rec/s" : "/s");
      if (windowed) {
         Analysis_windowText(&v->data.analysis, s, t, sizeof t);
         Panel_fieldIf(c, row, x, " over ", CE_HINT, t, NULL);
      }
      break;
   }
   case FL_GROWTH:
      teachpanels_growthLine(v, c, row, wide);
      break;
   case FL_CHECK:
      teachpanels_checkLine(v, c, row, wide);
      break;
   case FL_STALE:
      Panel_seconds(b, sizeof b, (double)v->data.knobs.stale_limit_ns / 1e9);
      snprintf(t, sizeof t, wide ? "oldest record over %s " : "stale >%s ", b);
      x = Canvas_text(c, row, x, CE_HINT, t);
      teachpanels_eta(c, row, x, wide, f->t_stale_s, f->growth);
      break;
   case FL_CAP:
      teachpanels_capText(v, t, sizeof t, wide);
      x = Canvas_printf(c, row, x, CE_HINT, "%s ", t);
      teachpanels_eta(c, row, x, wide, f->t_cap_s, f->growth);
      break;
   case FL_EMPTY:
      Prediction_eta(a, sizeof a, f->t_empty_s);
      x = Canvas_text(c, row, x, CE_HINT, wide ? "backlog empty " : "empty ");
      x = Canvas_text(c, row, x, CE_PREDICTION, a);
      Prediction_rateShort(d, sizeof d, f->growth);
      Panel_fieldIf(c, row, x, wide ? " at growth " : " at ", CE_PREDICTION, d, wide ? " (draining)" : NULL);
      break;
   case FL_LAST:
      break;
   }
}

/* Capacity, utilization and the forecasts, each with the rate it assumes,
 * beside the measurements they can be checked against. */
void TeachPanels_forecast(const View* v, ViewHits* hits, const Canvas* c) {
   (void)hits;
   const Forecast* f = &v->data.analysis.forecast;
   bool wide = c->r.w >= 60;
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Forecast ");
   x = Canvas_text(c, 0, x, CE_PREDICTION, wide ? "predicted from the measured stage costs" : "(predicted)");
   if (v->data.analysis.capacity_t > 0 && v->data.analysis.capacity_t < v->data.snap.t - NS_PER_SEC) {
      char ago[16];
      Panel_seconds(ago, sizeof ago, (double)(v->data.snap.t - v->data.analysis.capacity_t) / 1e9);
      Canvas_printf(c, 0, x, CE_HINT, wide ? ", capacity as of %s ago" : ", as of %s ago", ago);
   }
   if (!(f->capacity > 0)) {
      if (c->r.h > 1)
         Canvas_text(c, 1, 1, CE_HINT, "waiting for the first measured batch");
      return;
   }
   if (v->data.snap.source_done) {
      /* nothing arrives any more: no utilization or growth, only what is left */
      char a[24], t[160];
      Units_formatCount(a, sizeof a, f->capacity);
      Panel_field(c, 1, 1, "capacity ", CE_PREDICTION, a, wide ? " rec/s" : "/s");
      if (c->r.h > 2) {
         Analysis_reason(&v->data.analysis, &v->data.snap, t, sizeof t);
         Panel_wrapped(c, 2, 1, CE_HINT, t, c->r.h - 2);
      }
      return;
   }
   if (Analysis_measuringBursts(&v->data.analysis, &v->data.snap)) {
      /* the rate of bursts needs a whole period: before it, a utilization or a growth would be a guess */
      char a[24];
      Units_formatCount(a, sizeof a, f->capacity);
      Panel_field(c, 1, 1, "capacity ", CE_PREDICTION, a, wide ? " rec/s" : "/s");
      if (c->r.h > 2)
         Canvas_printf(c, 2, 1, CE_HINT, "%s %.0f s",
                       wide ? "utilization: after the first burst period, in" : "util: after the first burst, in",
                       Analysis_firstPeriodLeft(&v->data.snap));
      return;
   }
   /* which lines, most important first, as many as there are rows */
   /* catching up: a backlog that takes a while to drain (one that empties within a second is kept up) */
   bool catching = f->growth < 0 && v->data.snap.backlog_records > 0 && isfinite(f->t_empty_s) && f->t_empty_s >= 1;
   ForecastLine want[FL_LAST];
   int n = 0;
   want[n++] = FL_CAPACITY;
   want[n++] = FL_GROWTH;
   if (v->data.analysis.check.state == PREDICTION_OFF)
      want[n++] = FL_CHECK;
   if (catching)
      want[n++] = FL_EMPTY;
   want[n++] = FL_STALE;
   want[n++] = FL_CAP;
   want[n++] = FL_MEASURED;
   if (v->data.analysis.check.state != PREDICTION_OFF)
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
         teachpanels_forecastLine(v, c, row++, (ForecastLine)l);
}

/* A share in percent; near 0 or 100 with a decimal, where the difference matters to Amdahl's law. */
static void teachpanels_share(char* buf, size_t len, double p) {
   double pc = p * 100;
   snprintf(buf, len, pc >= 99.5 || (pc > 0 && pc < 1) ? "%.1f%%" : "%.0f%%", pc);
}

/* Amdahl's law for the stage's share p: the overall speedup if it alone got 2, 10 or infinitely many times
 * faster, from row 1; returns the row after it. */
static int teachpanels_amdahlLaw(const View* v, const Canvas* c, int st, double p, bool wide) {
   char a[24], t[48];
   int row = 1;
   if (row < c->r.h)
      Canvas_printf(c, row++, 1, CE_HINT,
                    wide ? "predicted overall speedup if %s alone got s times faster:"
                         : "predicted if %s got s x faster:",
                    Stage_table[st].name);
   if (row < c->r.h) {
      static const double s_values[] = {2, 10, INFINITY};
      int x = 1;
      for (int i = 0; i < 3; i++) {
         if (isinf(s_values[i]))
            snprintf(t, sizeof t, "%ss=%s ", i ? "  " : "", v->g->infinity);
         else
            snprintf(t, sizeof t, "%ss=%.0f ", i ? "  " : "", s_values[i]);
         Prediction_factor(a, sizeof a, Model_amdahl(p, s_values[i]));
         x = Panel_field(c, row, x, t, CE_PREDICTION, a, NULL);
      }
      row++;
   }
   return row;
}

/* The toggled stage's own speedup: its cost per record before -> after. */
static void teachpanels_trialStage(const View* v, const Canvas* c, int row, bool wide) {
   const AmdahlTrial* tr = &v->data.trial;
   const Glyphs* g = v->g;
   char a[24], b[24];
   Units_formatDuration(a, sizeof a, (int64_t)llround(tr->ns_before));
   int x = Canvas_printf(c, row, 1, CE_HINT, "%s%s%s ", Variant_name(tr->from), g->arrow, Variant_name(tr->to));
   x = Canvas_text(c, row, x, CE_VALUE, a);
   x = Canvas_text(c, row, x, CE_HINT, g->arrow);
   if (tr->ns_after > 0) {
      Units_formatDuration(b, sizeof b, (int64_t)llround(tr->ns_after));
      x = Panel_field(c, row, x, NULL, CE_VALUE, b, "/rec");
      Prediction_factor(a, sizeof a, AmdahlTrial_stageSpeedup(tr));
      Panel_fieldIf(c, row, x, wide ? ", the stage alone " : " ", CE_VALUE, a, NULL);
   } else {
      Canvas_text(c, row, x, CE_HINT, "measuring");
   }
}

/* How the trial was measured, or why it was not (NULL: nothing to say); *e gets its colour. */
static const char* teachpanels_trialWhy(const View* v, AmdahlOutcome out, bool wide, char* t, size_t len,
                                        ColorElement* e) {
   const AmdahlTrial* tr = &v->data.trial;
   char a[24], b[24];
   *e = out == AMDAHL_MEASURED || out == AMDAHL_MEASURING ? CE_HINT : CE_WARN;
   switch (out) {
   case AMDAHL_MEASURED:
      Units_formatCount(a, sizeof a, tr->thr_before);
      Units_formatCount(b, sizeof b, AmdahlTrial_throughputAfter(tr));
      snprintf(t, len, wide ? "throughput %s%s%s rec/s, saturated before and after%s" : "%s%s%s rec/s at saturation%s",
               a, v->g->arrow, b, tr->drained ? " (until drained)" : "");
      return t;
   case AMDAHL_MEASURING:
      return wide ? "measuring the throughput at saturation..." : "measuring at saturation...";
   case AMDAHL_NOT_SATURATED:
      return wide ? "no saturated throughput: it kept up before (throughput = input)"
                  : "it kept up before: no saturation";
   case AMDAHL_DRAINED_AT_ONCE:
      return wide ? "no saturated throughput: the backlog drained at once" : "backlog drained at once";
   case AMDAHL_VOID:
      snprintf(t, len, "void: %s changed too", tr->void_why);
      return t;
   }
   return NULL;
}

/* The predicted overall speedup next to the measured one, then how it was measured. */
static void teachpanels_trialOutcome(const View* v, const Canvas* c, int row, bool wide) {
   const AmdahlTrial* tr = &v->data.trial;
   char a[24], b[24], t[112];
   double pred = AmdahlTrial_predicted(tr);
   bool from_cal = !(pred > 0);
   if (from_cal)
      pred = AmdahlTrial_predictedCal(tr);
   AmdahlOutcome out = AmdahlTrial_outcome(tr);
   double busy = AmdahlTrial_measuredBusy(tr);
   Prediction_factor(a, sizeof a, pred);
   int x = Panel_field(c, row, 1, "predicted ", CE_PREDICTION, a, NULL);
   /* the measured figure, and after it its uncertainty, or a "*" (per busy worker-second) */
   char m[24] = "", tail[24] = "", p[48];
   ColorElement me = CE_VALUE;
   if (out == AMDAHL_MEASURED) {
      Prediction_factor(m, sizeof m, AmdahlTrial_measured(tr));
      double u = AmdahlTrial_uncertainty(tr);
      if (u > 0)
         snprintf(tail, sizeof tail, " %s%.2f", v->g->utf8 ? "\xc2\xb1" : "+-", u);
   } else if (out != AMDAHL_VOID && busy > 0) {
      Prediction_factor(m, sizeof m, busy);
      snprintf(tail, sizeof tail, "*");
   } else {
      snprintf(m, sizeof m, "%s", out == AMDAHL_MEASURING ? "..." : "n/a");
      me = out == AMDAHL_MEASURING ? CE_HINT : CE_WARN;
   }
   /* the share goes before the measurement does, and each part goes whole */
   teachpanels_share(b, sizeof b, tr->p);
   snprintf(p, sizeof p, wide ? " (p %s%s)" : " (p %s)", b, from_cal ? ", calibration" : "");
   if (x + Canvas_width(p) + Canvas_width("  measured ") + Canvas_width(m) > c->r.w)
      p[0] = '\0';
   x = Panel_fieldIf(c, row, x, NULL, CE_HINT, p, NULL);
   x = Panel_fieldIf(c, row, x, "  measured ", me, m, NULL);
   Panel_fieldIf(c, row, x, NULL, CE_HINT, tail, NULL);
   row++;
   if (AmdahlTrial_pastBound(tr) && row < c->r.h) {
      /* past 1 / (1 - p): this stage alone cannot do that, something else changed */
      double before = 0, after = 0;
      int other = AmdahlTrial_otherChange(tr, &v->data.analysis.costs, &before, &after);
      Prediction_factor(a, sizeof a, AmdahlTrial_bound(tr));
      if (other >= 0) {
         char d[16], e[16];
         Units_formatDuration(d, sizeof d, (int64_t)llround(before));
         Units_formatDuration(e, sizeof e, (int64_t)llround(after));
         snprintf(t, sizeof t, "above the bound %s: %s changed too, %s%s%s/rec", a,
                  other == STAGE_LAST ? "the hand-off" : Stage_table[other].name, d, v->g->arrow, e);
      } else {
         snprintf(t, sizeof t, "above the bound %s for this stage alone: the load changed too", a);
      }
      if (Canvas_width(t) > c->r.w - 1) /* the short form: what changed is in the next line's reason */
         snprintf(t, sizeof t, "above the bound %s: load changed", a);
      Panel_shortened(c, row++, 1, c->r.w - 1, CE_WARN, t, v->g->more);
   }
   ColorElement e;
   const char* why = teachpanels_trialWhy(v, out, wide, t, sizeof t, &e);
   if (why && row < c->r.h)
      Canvas_text(c, row++, 1, e, why);
   if (out == AMDAHL_MEASURED || out == AMDAHL_VOID || row >= c->r.h)
      return;
   if (busy > 0) {
      Units_formatCount(a, sizeof a, tr->per_busy_before);
      Units_formatCount(b, sizeof b, tr->per_busy_sum / tr->per_busy_n);
      Canvas_printf(c, row, 1, CE_HINT, wide ? "* per busy worker-second: %s%s%s records" : "* per busy s: %s%s%s rec",
                    a, v->g->arrow, b);
   } else if (out != AMDAHL_MEASURING) {
      Canvas_text(c, row, 1, CE_HINT,
                  wide ? "* waiting for a window with work to measure per busy second"
                       : "* waiting for work to measure");
   }
}

/* The selected stage's share p and Amdahl's law, then, after a toggle, the
 * predicted overall speedup next to the measured one. */
void TeachPanels_amdahl(const View* v, ViewHits* hits, const Canvas* c) {
   (void)hits;
   bool wide = c->r.w >= 60;
   int st = v->ui.amdahl_stage;
   double p = Amdahl_share(&v->data.analysis.costs, st);
   char a[24], t[48];
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Amdahl ");
   snprintf(t, sizeof t, "%d %s", st + 1, Stage_table[st].name);
   x = Canvas_text(c, 0, x, CE_VALUE, t);
   teachpanels_share(a, sizeof a, p);
   x = Panel_field(c, 0, x, " p ", p >= 0.5 ? CE_CRIT : CE_VALUE, a, wide ? " of the busy time" : " of busy");
   if (!v->ui.amdahl_chosen)
      Panel_fieldIf(c, 0, x, NULL, CE_HINT, wide ? " (the largest; a: next stage)" : " (a: next)", NULL);
   if (!(p > 0)) {
      if (c->r.h > 1)
         Canvas_text(c, 1, 1, CE_HINT,
                     v->data.knobs.dispatch != DISPATCH_BATCH ? "no stage timed alone: x for --dispatch batch"
                                                              : "waiting for measured stage times");
      return;
   }
   int row = teachpanels_amdahlLaw(v, c, st, p, wide);
   const AmdahlTrial* tr = &v->data.trial;
   if (!tr->active || tr->stage != st) {
      if (row < c->r.h)
         Canvas_printf(c, row, 1, CE_HINT,
                       wide ? "press %d to toggle %s: its predicted speedup, then the measured one"
                            : "%d: toggle, then compare",
                       st + 1, Stage_table[st].name);
      return;
   }
   if (row < c->r.h)
      teachpanels_trialStage(v, c, row++, wide);
   if (row < c->r.h)
      teachpanels_trialOutcome(v, c, row, wide);
}
