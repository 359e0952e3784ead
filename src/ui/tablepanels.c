/*
 * tablepanels.c: the panels that are tables and lists: the stages (each
 * one's share, cost and variant), the knobs, the alerts, the records'
 * accounting, the events, and record/replay. The stage and knob rows can be
 * selected: those panels note in the hit map where they drew them.
 */
#include "config.h"

#include "ui/tablepanels.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/units.h"
#include "ui/panel.h"
#include "ui/recording.h"

/* Where the stage table's columns go: name | bar | share | CPU per record | variant. */
typedef struct StageCols {
   int name_w, bar_w, x_share, share_w, x_var;
   bool wide;
} StageCols;

/* One row of the table: a name, a bar of its share, the share, the CPU time per record. */
static void tablepanels_stageRow(const View* v, const Canvas* c, const StageCols* k, int row, const char* name,
                                 ColorElement name_e, double share, double ns, bool dominant) {
   const Glyphs* g = v->g;
   Canvas_text(c, row, 0, name_e, name);
   int eighths = (int)lround(share * k->bar_w * 8);
   int full = eighths / 8, part = eighths % 8;
   Canvas_fill(c, row, k->name_w, full, dominant ? CE_BAR_TOP : CE_BAR, g->hbar[8]);
   if (part && full < k->bar_w)
      Canvas_text(c, row, k->name_w + full, dominant ? CE_BAR_TOP : CE_BAR, g->hbar[part]);
   char pct[8], t[16];
   snprintf(pct, sizeof pct, "%3.0f%%", share * 100);
   Canvas_textRight(c, row, k->x_share + k->share_w, dominant ? CE_CRIT : CE_VALUE, pct);
   Units_formatDuration(t, sizeof t, (int64_t)llround(ns));
   Canvas_textRight(c, row, k->x_var - 1, CE_DEFAULT, ns > 0 ? t : "-");
}

/* Under --dispatch record or fused no stage is timed alone: the stage rows' bars give way to the chain's,
 * timed as one (its share of the busy time, its CPU per record), with a line saying so. */
static void tablepanels_chainRows(const View* v, const Canvas* c, const StageCols* k) {
   bool fused = v->data.knobs.dispatch == DISPATCH_FUSED;
   const Analysis* an = &v->data.analysis;
   int w = k->x_share + k->share_w - k->name_w;
   bool roomy = w >= 34, mid = w >= 19;
   const char* lines[4] = {
      roomy ? (fused ? "fused loop: the six timed as one" : "record chain: the six timed as one")
      : mid ? (fused ? "fused, timed as one" : "chain, timed as one")
            : w >= 8 ? "6 as one" : w >= 6 ? "as one" : "",
      NULL, /* the chain's bar, share and CPU per record */
      /* narrow, "6 as one" says it, and the variant column says every stage runs optimized when fused */
      roomy ? "no stage's own time: x for batch" : mid ? "no stage timed alone" : "",
      fused ? (roomy ? "fused runs every stage optimized" : mid ? "all run optimized" : "") : "",
   };
   for (int i = 0; i < 4 && 1 + i < c->r.h; i++) {
      if (lines[i]) {
         Canvas line = Canvas_sub(c, 1 + i, k->name_w, 1, w);
         Canvas_text(&line, 0, 0, CE_HINT, lines[i]);
         continue;
      }
      double total = Amdahl_total(&an->costs);
      tablepanels_stageRow(v, c, k, 1 + i, "", CE_DEFAULT, total > 0 ? an->costs.chain_ns / total : 0,
                           an->costs.chain_ns, false);
   }
}

/* The notes under the table: what is simulated, in numbers; the workers waiting for CPUs. */
static void tablepanels_stageNotes(const View* v, const Canvas* c, int row, bool wide) {
   const Knobs* k = &v->data.knobs;
   const Analysis* an = &v->data.analysis;
   bool sim = k->dispatch_cost_ns > 0;
   for (int st = 0; st < STAGE_LAST; st++)
      sim = sim || k->stage_cost_ns[st] > 0;
   char text[160], a[16];
   if (sim && row < c->r.h) {
      int n = 0;
      text[0] = '\0';
      if (k->dispatch_cost_ns > 0) {
         Units_formatDuration(a, sizeof a, k->dispatch_cost_ns);
         n += snprintf(text + n, sizeof text - (size_t)n, wide ? "%s per hand-off" : "%s/hand-off", a);
      }
      const char* tag = wide ? " simulated " : " sim ";
      for (int st = 0; st < STAGE_LAST && n < (int)sizeof text - 40; st++) {
         if (k->stage_cost_ns[st] <= 0)
            continue;
         Units_formatDuration(a, sizeof a, k->stage_cost_ns[st]);
         char item[64];
         snprintf(item, sizeof item, "%s%s +%s/rec", n ? ", " : "", Stage_table[st].name, a);
         /* a stage's cost whole or not at all */
         if (Canvas_width(tag) + n + Canvas_width(item) > c->r.w)
            break;
         n += snprintf(text + n, sizeof text - (size_t)n, "%s", item);
      }
      int xs = Canvas_text(c, row, 0, CE_SIMULATED, tag);
      Canvas_text(c, row++, xs, CE_HINT, text);
   }
   if (Analysis_oversubscribed(an) && row < c->r.h) {
      double wall = 1 / an->cpu_ratio;
      if (k->threads > v->data.snap.ncpu)
         snprintf(text, sizeof text, "oversubscribed: %u threads on %u CPUs, wall %.1fx CPU", k->threads,
                  v->data.snap.ncpu, wall);
      else
         snprintf(text, sizeof text, "waiting for a CPU (other load): wall %.1fx CPU", wall);
      if (Canvas_width(text) > c->r.w - 1)
         snprintf(text, sizeof text, "waiting for a CPU: wall %.1fx CPU", wall);
      Canvas_text(c, row, 1, CE_WARN, text);
   }
}

/* The stages and the hand-off, each with its share of the workers' busy time (one total, the
 * Amdahl panel's and the forecast's) and its CPU time per record. */
void TablePanels_stages(const View* v, ViewHits* hits, const Canvas* c) {
   const Snapshot* s = &v->data.snap;
   const Analysis* an = &v->data.analysis;
   const Glyphs* g = v->g;
   bool wide = c->r.w >= 56;
   /* simulated costs widen the variant column: "+sim" follows the variant */
   bool sim_rows = false;
   for (int st = 0; st < STAGE_LAST; st++)
      sim_rows = sim_rows || v->data.knobs.stage_cost_ns[st] > 0;
   StageCols k = {.name_w = 13, .share_w = 5, .wide = wide};
   int ns_w = wide ? 11 : 8;
   int var_w = 10 + (sim_rows ? 4 : 0); /* "optimized" whole: an abbreviation reads as another word */
   k.bar_w = c->r.w - k.name_w - k.share_w - ns_w - var_w;
   if (k.bar_w < 1)
      k.bar_w = 1;
   k.x_share = k.name_w + k.bar_w;
   k.x_var = k.x_share + k.share_w + ns_w + 1;
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Stages ");
   int hint_end = k.x_share + k.share_w - 6;
   Canvas hint = Canvas_sub(c, 0, x, 1, hint_end - x);
   /* between bursts the last second saw no work: show the last one that did, and say when */
   bool held = an->stages_t > 0 && an->stages_t < s->t;
   if (held) {
      char ago[16], text[48];
      Panel_seconds(ago, sizeof ago, (double)(s->t - an->stages_t) / 1e9);
      snprintf(text, sizeof text, "idle, as of %s ago", ago);
      if (Canvas_width(text) > hint_end - x)
         snprintf(text, sizeof text, "idle");
      Canvas_text(&hint, 0, 0, CE_WARN, text);
   } else {
      Canvas_text(&hint, 0, 0, CE_HINT,
                  hint_end - x >= 34   ? "1-6 toggle; share of the busy time"
                  : hint_end - x >= 10 ? "1-6 toggle"
                                       : "1-6");
   }
   Canvas_textRight(c, 0, k.x_share + k.share_w, CE_HINT, "share");
   Canvas_textRight(c, 0, k.x_var - 1, CE_HINT, wide ? "CPU/record" : "CPU/rec");
   Canvas_text(c, 0, k.x_var, CE_HINT, "variant");
   const AmdahlCosts* costs = &an->costs;
   int top = 0;
   for (int st = 1; st < STAGE_LAST; st++)
      if (Amdahl_share(costs, st) > Amdahl_share(costs, top))
         top = st;
   double handoff = Analysis_handoffShare(an);
   bool handoff_top = handoff > Amdahl_share(costs, top);
   hits->stage_area = c->r;
   bool chain = v->data.knobs.dispatch != DISPATCH_BATCH, fused = v->data.knobs.dispatch == DISPATCH_FUSED;
   if (chain)
      tablepanels_chainRows(v, c, &k);
   for (int st = 0; st < STAGE_LAST; st++) {
      int row = 1 + st;
      hits->stage_y[st] = row < c->r.h ? c->r.y + row : -1;
      if (row >= c->r.h)
         break;
      double share = Amdahl_share(costs, st);
      bool sel = v->ui.selected == VIEW_KNOB_ROWS + st;
      bool dominant = st == top && share > 0 && !handoff_top;
      char name[24];
      snprintf(name, sizeof name, "%s%d %-9s", sel ? g->select : " ", st + 1, Stage_table[st].name);
      if (chain)
         Canvas_text(c, row, 0, sel ? CE_SELECTED : CE_DEFAULT, name);
      else
         tablepanels_stageRow(v, c, &k, row, name, sel ? CE_SELECTED : dominant ? CE_VALUE : CE_DEFAULT, share,
                              costs->ns[st], dominant);
      /* the fused loop runs the optimized code whatever the stage's setting */
      Variant var = fused ? VARIANT_OPTIMIZED : v->data.knobs.variant[st];
      const char* vname = var == VARIANT_OPTIMIZED ? "optimized" : "naive";
      int xv = Canvas_text(c, row, k.x_var, var == VARIANT_OPTIMIZED ? CE_OPTIMIZED : CE_NAIVE, vname);
      if (v->data.knobs.stage_cost_ns[st] > 0)
         Panel_fieldIf(c, row, xv, NULL, CE_SIMULATED, "+sim", NULL);
   }
   /* the hand-off: claim, merge, simulated dispatch, measuring, output, completion */
   int row = 1 + STAGE_LAST;
   if (row < c->r.h) {
      tablepanels_stageRow(v, c, &k, row, "  hand-off", handoff_top ? CE_VALUE : CE_DEFAULT, handoff,
                           costs->overhead_per_record, handoff_top && handoff > 0);
      if (an->handoff_ns > 0) {
         char a[16], t[32];
         Units_formatDuration(a, sizeof a, (int64_t)llround(an->handoff_ns));
         snprintf(t, sizeof t, "%s/batch", a);
         Panel_fieldIf(c, row, k.x_var, NULL, CE_DEFAULT, t, NULL);
      }
   }
   tablepanels_stageNotes(v, c, row + 1, wide);
}

/* A knob's value as its row shows it, with what the run adds: the CPUs beside
 * the threads, the cap beside the overflow policy, the pace of a replay. */
static void tablepanels_knobValue(const View* v, KnobId id, char* buf, size_t len) {
   const Knobs* k = &v->data.knobs;
   const KnobDef* d = &Knob_table[id];
   char a[16], b[16];
   Knob_format(id, Knobs_get(k, id), a, sizeof a);
   switch (id) {
   case KNOB_THREADS:
      snprintf(buf, len, "%s of %" PRIu32 " CPUs", a, v->data.snap.ncpu);
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

void TablePanels_knobs(const View* v, ViewHits* hits, const Canvas* c) {
   const Glyphs* g = v->g;
   Canvas_text(c, 0, 0, CE_TITLE, "Knobs");
   Canvas_text(c, 0, 7, CE_HINT,
               g->utf8 ? "\xe2\x86\x91\xe2\x86\x93 select  \xe2\x86\x90\xe2\x86\x92 change" : "arrows: select, change");
   hits->knob_area = c->r;
   for (int i = 0; i < VIEW_KNOB_ROWS; i++) {
      int row = 1 + i;
      hits->knob_y[i] = row < c->r.h ? c->r.y + row : -1;
      if (row >= c->r.h)
         break;
      KnobId id = View_rowKnob(v, i);
      const char* name;
      char val[48], keys[16];
      if (id == KNOB_LAST && v->data.replaying) {
         /* the row of a knob that does not apply here says what feeds the pipeline */
         name = "source";
         snprintf(val, sizeof val, "replay, %" PRIu32 " file%s", v->data.replay.n_files,
                  v->data.replay.n_files == 1 ? "" : "s");
      } else if (id == KNOB_LAST) {
         name = "arrival";
         snprintf(val, sizeof val, "%s, %" PRIu32 " sensors", Arrival_names[v->data.knobs.arrival],
                  v->data.options->setup.sensors);
      } else {
         name = Knob_table[id].name;
         tablepanels_knobValue(v, id, val, sizeof val);
      }
      if (id == KNOB_LAST)
         keys[0] = '\0';
      else if (Knob_table[id].key_down)
         snprintf(keys, sizeof keys, "%c %c", Knob_table[id].key_down, Knob_table[id].key_up);
      else
         snprintf(keys, sizeof keys, "%s", g->utf8 ? "\xe2\x86\x90 \xe2\x86\x92" : "< >");
      bool sel = id != KNOB_LAST && v->ui.selected == i;
      char label[16];
      snprintf(label, sizeof label, "%s%-9s", sel ? g->select : " ", name);
      int x = Canvas_text(c, row, 0, sel ? CE_SELECTED : CE_DEFAULT, label);
      Canvas_text(c, row, x, sel ? CE_SELECTED : CE_VALUE, val);
      Canvas_textRight(c, row, c->r.w, CE_KEY, keys);
   }
}

void TablePanels_alerts(const View* v, ViewHits* hits, const Canvas* c) {
   (void)hits;
   const Snapshot* s = &v->data.snap;
   char a[16], b[16], d[16];
   Units_formatCount(a, sizeof a, s->alert_rate);
   Units_formatCount(b, sizeof b, (double)s->alerts);
   Units_formatDuration(d, sizeof d, (int64_t)s->alert_delay_window.p99);
   double p99 = (double)s->alert_delay_window.p99 / 1e9;
   bool late = p99 >= PANEL_LATE_S && s->alert_delay_window.count > 0;
   bool wide = c->r.w >= 52;
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Alerts ");
   x = Panel_field(c, 0, x, NULL, CE_VALUE, a, wide ? "/s " : "/s, ");
   if (wide)
      x = Panel_field(c, 0, x, "(", CE_VALUE, b, " total) ");
   Panel_field(c, 0, x, wide ? "delay p99 " : "p99 delay ",
               s->alert_delay_window.count ? Panel_severity(p99, 0.1, PANEL_LATE_S) : CE_HINT,
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
                    v->data.options->setup.threshold);
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
      double dl = (double)(al->t_raised - al->t_arrival) / 1e9;
      const char* name = View_sensorName(&v->data, al->sensor);
      if (name) { /* a replayed file's sensor: its name, cut short to the column */
         Panel_shortened(c, row, 0, w_sensor - 1, CE_DEFAULT, name, v->g->more);
      } else {
         snprintf(num, sizeof num, "%" PRIu32, al->sensor);
         Canvas_textRight(c, row, w_sensor, CE_DEFAULT, num);
      }
      /* each in its column, whatever its size: a value running into the next column reads as one number */
      Panel_number(num, sizeof num, al->value, 2, false, w_value - 1);
      Canvas_textRight(c, row, x_z, CE_DEFAULT, num);
      Panel_number(num, sizeof num, al->z, 1, true, w_z - 1);
      Canvas_textRight(c, row, x_delay, CE_VALUE, num);
      Panel_seconds(delay, sizeof delay, dl);
      Canvas_textRight(c, row, x_ago, Panel_severity(dl, 0.1, PANEL_LATE_S), delay);
      if (show_ago) {
         Panel_seconds(num, sizeof num, (double)(s->t - al->t_raised) / 1e9);
         Canvas_textRight(c, row, x_ago + w_ago, CE_HINT, num);
      }
   }
}

void TablePanels_records(const View* v, ViewHits* hits, const Canvas* c) {
   (void)hits;
   const Snapshot* s = &v->data.snap;
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
   /* the identity first, then what the rows left allow: the held-back source, an order violation, the
    * CPUs, the memory (a row cut off below the panel would lose its figures without a word) */
   bool wide = c->r.w >= 50;
   int left = c->r.h - 1 - (wide ? 2 : 3);
   bool show_held = s->held_back > 0 && left > 0;
   left -= show_held;
   bool show_order = s->order_violations > 0 && left > 0;
   left -= show_order;
   bool show_cpu = left > 0;
   left -= show_cpu;
   bool show_rss = left > 0;
   if (show_held) {
      char off[16], held[16];
      Units_formatCount(off, sizeof off, (double)s->offered);
      Units_formatCount(held, sizeof held, (double)s->held_back);
      /* the longest form that fits whole: an estimate loses its word for a "~", then the words shorten */
      char approx[20];
      snprintf(approx, sizeof approx, "%s%s", s->offered_exact ? "" : "~", held);
      const char* mid[] = {" = admitted below + ", " = admitted below + ", " = admitted + "};
      const char* label[] = {"held back ", "held back ", "held "};
      const char* value[] = {held, approx, approx};
      const char* unit[] = {s->offered_exact ? NULL : " (estimated)", NULL, NULL};
      int f = 0;
      while (f < 2 && 1 + Canvas_width("offered ") + Canvas_width(off) + Canvas_width(mid[f]) +
                              Canvas_width(label[f]) + Canvas_width(value[f]) +
                              Canvas_width(unit[f] ? unit[f] : "") > c->r.w)
         f++;
      x = Panel_field(c, row, 1, "offered ", CE_VALUE, off, mid[f]);
      Panel_field(c, row++, x, label[f], CE_CRIT, value[f], unit[f]);
   }
   if (wide) {
      x = Panel_field(c, row, 1, "admitted ", CE_VALUE, gen, " = ");
      x = Panel_field(c, row, x, "processed ", CE_VALUE, pro, " + ");
      Panel_field(c, row++, x, "filtered ", CE_VALUE, fil, NULL);
      x = Panel_field(c, row, 1, "+ dropped ", s->dropped ? CE_CRIT : CE_VALUE, dro, " + ");
      x = Panel_field(c, row, x, "queued ", CE_VALUE, que, " + ");
      Panel_field(c, row++, x, "in flight ", CE_VALUE, inf, NULL);
   } else {
      /* narrow: the same identity over three rows */
      x = Panel_field(c, row, 1, "admitted ", CE_VALUE, gen, " = ");
      Panel_field(c, row++, x, "processed ", CE_VALUE, pro, NULL);
      x = Panel_field(c, row, 1, "+ filtered ", CE_VALUE, fil, NULL);
      Panel_field(c, row++, x, " + dropped ", s->dropped ? CE_CRIT : CE_VALUE, dro, NULL);
      x = Panel_field(c, row, 1, "+ queued ", CE_VALUE, que, NULL);
      Panel_field(c, row++, x, " + in flight ", CE_VALUE, inf, NULL);
   }
   if (show_order)
      Canvas_printf(c, row++, 1, CE_CRIT, "per-sensor order violated %" PRIu64 " times", s->order_violations);
   /* CPUs by their clocks: the workers' can never pass the CPUs */
   /* each field whole or not at all: a label without its number would read as another figure */
   char num[24], of[24];
   if (show_cpu) {
      snprintf(num, sizeof num, "%.2f", s->cpu_process);
      snprintf(of, sizeof of, " of %" PRIu32, s->ncpu);
      x = Panel_fieldIf(c, row, 1, "CPU ", CE_VALUE, num, of);
      snprintf(num, sizeof num, "%.2f", s->busy);
      x = Panel_fieldIf(c, row, x, ": workers ", CE_VALUE, num, NULL);
      snprintf(num, sizeof num, "%.2f", s->source_cpu);
      x = Panel_fieldIf(c, row, x, ", source ", CE_VALUE, num, NULL);
      snprintf(num, sizeof num, "%.2f", s->others_cpu);
      if (s->others_cpu >= 0)
         Panel_fieldIf(c, row, x, "; other load ", CE_VALUE, num, NULL);
      row++;
   }
   if (show_rss) {
      x = Panel_field(c, row, 1, "RSS ", CE_VALUE, rss, NULL);
      snprintf(num, sizeof num, "%.1f%%", v->data.ui_cpu * 100);
      int after = Panel_fieldIf(c, row, x, "; this dashboard uses ", CE_VALUE, num, " of one CPU");
      if (after == x)
         Panel_fieldIf(c, row, x, "; dashboard ", CE_VALUE, num, " of a CPU");
   }
}

void TablePanels_events(const View* v, ViewHits* hits, const Canvas* c) {
   (void)hits;
   Canvas_text(c, 0, 0, CE_TITLE, "Events ");
   if (Panel_fieldIf(c, 0, 7, NULL, CE_HINT, "knob changes, marked on the charts (e: all)", NULL) == 7)
      Panel_fieldIf(c, 0, 7, NULL, CE_HINT, "knob changes (e: all)", NULL);
   int rows = c->r.h - 1;
   size_t first = v->data.nevents > (size_t)rows ? v->data.nevents - (size_t)rows : 0;
   if (v->data.nevents == 0 && rows > 0)
      Canvas_text(c, 1, 1, CE_HINT, "none yet: change a knob");
   for (size_t i = first; i < v->data.nevents; i++) {
      const HistoryEvent* e = &v->data.events[i];
      char t[64];
      Panel_clock(t, sizeof t, v->data.snap.uptime_s - (double)(v->data.snap.t - e->t) / 1e9, true);
      int row = 1 + (int)(i - first);
      int x = Canvas_printf(c, row, 1, CE_HINT, "%7s ", t);
      x = Canvas_text(c, row, x, CE_MARK, v->g->mark);
      Canvas_text(c, row, x + 1, CE_DEFAULT, e->text);
   }
}

/* The start-up line (how the file is read), wrapped at words under the replay's rows. It names the
 * delimiter, the columns, how times read, the span and the fixes, and the panel has one or two rows for
 * it at most sizes: when it does not fit they show it a page at a time, the next page every
 * TABLEPANELS_ABOUT_S seconds, over the R hint's row (the key bar names R). Returns the next row. */
#define TABLEPANELS_ABOUT_S 4
static int tablepanels_about(const View* v, const Canvas* c, int row) {
   const char* about = v->data.replay_about;
   const char* colon = strstr(about, ": delimiter");
   const char* text = colon ? colon + 2 : about;
   int st[32], ln[32];
   int n = Layout_wrap(text, c->r.w - 2, st, ln, 32);
   n = n < 32 ? n : 32;
   int rows = c->r.h - row;
   if (n == 0 || rows <= 0)
      return row;
   if (n <= rows - 1)
      rows = n; /* it fits with the R hint under it */
   int pages = (n + rows - 1) / rows;
   int first = pages > 1 ? (int)(v->data.snap.uptime_s / TABLEPANELS_ABOUT_S) % pages * rows : 0;
   for (int i = first; i < n && i < first + rows; i++) {
      char line[512];
      snprintf(line, sizeof line, "%.*s", ln[i], text + st[i]);
      Canvas_text(c, row++, 1, CE_HINT, line);
   }
   return pages > 1 ? c->r.h : row;
}

/* The replay's title row: the file, its place among several, the speed, the state, the keys. */
static void tablepanels_replayTitle(const View* v, const Canvas* c, int row, bool wide) {
   const ReplayPosition* rp = &v->data.replay;
   char a[32], t[80];
   int x = Canvas_text(c, row, 0, CE_TITLE, "Replay ");
   /* the file's name leaves the speed and the state their room: shortened, it says so */
   Recording_speedText(a, sizeof a, v->data.knobs.speed);
   const char* state = v->data.replay_error[0] ? "STOPPED" : rp->finished ? "ENDED" : NULL;
   ColorElement state_e = v->data.replay_error[0] ? CE_CRIT : CE_WARN;
   const char* name = rp->file ? Recording_baseName(rp->file) : "-";
   int room = c->r.w - x - Canvas_width(" speed ") - Canvas_width(a) - (state ? Canvas_width(state) + 1 : 0);
   int name_w = Canvas_width(name) < room ? Canvas_width(name) : room > 8 ? room : 8;
   Panel_shortened(c, row, x, name_w, CE_VALUE, name, v->g->more);
   x += name_w;
   if (rp->n_files > 1) {
      snprintf(t, sizeof t, " (%u of %u)", rp->file_index + 1, rp->n_files);
      x = Panel_fieldIf(c, row, x, NULL, CE_HINT, t, NULL);
   }
   x = Panel_fieldIf(c, row, x, " speed ", CE_VALUE, a, NULL);
   if (state)
      x = Panel_fieldIf(c, row, x, " ", state_e, state, NULL);
   if (v->data.knobs.paused)
      x = Panel_fieldIf(c, row, x, " ", CE_WARN, "PAUSED", NULL);
   if (rp->loop)
      x = Panel_fieldIf(c, row, x, " ", CE_HINT, "LOOP", NULL);
   const char* keys = wide ? "[ ] { } speed  < > Home . @" : "[ ]{ }<>.@ Home";
   if (x + 1 + (int)strlen(keys) <= c->r.w)
      Canvas_textRight(c, row, c->r.w, CE_KEY, keys);
}

/* Recording and replay: where, how far, how fast. */
void TablePanels_source(const View* v, ViewHits* hits, const Canvas* c) {
   (void)hits;
   bool wide = c->r.w >= 60;
   char a[32], b[32], t[80];
   int row = 0;
   if (v->data.replaying && row < c->r.h) {
      const ReplayPosition* rp = &v->data.replay;
      tablepanels_replayTitle(v, c, row, wide);
      row++;
      if (row < c->r.h) {
         /* what has been played (not how far the reader has read ahead), and the time it is at in the data */
         char text[80];
         ReplayProgress_text(&v->data.replay_progress, rp, v->data.snap.t, v->data.options->max_gap_ns, text,
                             sizeof text);
         int x = Canvas_text(c, row, 1, CE_VALUE, text);
         if (rp->file) {
            CsvTime_format(t, sizeof t, rp->file_time, rp->time_unit);
            x = Panel_fieldIf(c, row, x, wide ? "  at " : " ", CE_VALUE, t, NULL);
         }
         if (rp->loops) {
            snprintf(t, sizeof t, "%" PRIu64, rp->loops + 1);
            x = Panel_fieldIf(c, row, x, "  loop ", CE_HINT, t, NULL);
         }
         if (rp->late_rows) {
            Units_formatCount(a, sizeof a, (double)rp->late_rows);
            x = Panel_fieldIf(c, row, x, "  ", CE_WARN, a, " late");
         }
         if (rp->bad_rows) {
            Units_formatCount(a, sizeof a, (double)rp->bad_rows);
            x = Panel_fieldIf(c, row, x, "  ", CE_WARN, a, " bad rows");
         }
         if (rp->skipped_rows) {
            Units_formatCount(a, sizeof a, (double)rp->skipped_rows);
            Panel_fieldIf(c, row, x, "  ", CE_HINT, a, wide ? " skipped by seek" : " skipped");
         }
         row++;
      }
      if (v->data.replay_error[0] && row < c->r.h)
         row = Panel_wrappedShortened(c, row, 1, CE_CRIT, v->data.replay_error, c->r.h - row > 2 ? 2 : c->r.h - row,
                                      v->g->more);
   }
   /* how the file is read, when no recording needs the rows */
   if (v->data.replaying && v->data.replay_about[0] && row < c->r.h && !v->data.recording && !v->data.rec_error[0])
      row = tablepanels_about(v, c, row);
   if (v->data.recording && row < c->r.h) {
      const RecorderStats* rs = &v->data.rec;
      int x = Canvas_text(c, row, 0, CE_REC, " REC ");
      const char* path = wide ? v->data.rec_path : Recording_baseName(v->data.rec_path);
      int path_w = Canvas_width(path) < c->r.w - x - 1 ? Canvas_width(path) : c->r.w - x - 1;
      Panel_shortened(c, row, x + 1, path_w, CE_VALUE, path, v->g->more);
      x += 1 + path_w;
      Units_formatCount(a, sizeof a, (double)rs->records);
      Units_formatBytes(b, sizeof b, (double)rs->bytes);
      row++;
      if (row < c->r.h) {
         x = Panel_field(c, row, 1, NULL, CE_VALUE, a, " records, ");
         x = Panel_field(c, row, x, NULL, CE_VALUE, b, " written");
         Canvas_textRight(c, row, c->r.w, CE_KEY, "R stops");
         row++;
      } else {
         snprintf(t, sizeof t, "%s rec, %s", a, b);
         Panel_fieldIf(c, row - 1, x + 1, NULL, CE_HINT, t, NULL);
      }
   }
   if (v->data.rec_error[0] && !v->data.recording && row < c->r.h) {
      if (!v->data.replaying) {
         int x = Canvas_text(c, row, 0, CE_TITLE, "Recording ");
         Canvas_text(c, row, x, CE_HINT, wide ? "R starts a new one" : "R: again");
         row++;
      }
      char text[600];
      snprintf(text, sizeof text, "STOPPED: %s", v->data.rec_error);
      Panel_wrappedShortened(c, row, 1, CE_CRIT, text, c->r.h - row, v->g->more);
      row = c->r.h;
   } else if (!v->data.recording && row < c->r.h) {
      Canvas_text(c, row, 1, CE_HINT, wide ? "R records what enters the pipeline to a CSV file" : "R: record to CSV");
      row++;
   }
}
