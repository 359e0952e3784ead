/*
 * busypanel.c: the busy meters of the workers and of the hottest partitions,
 * each a bar of the last second's wall time (0..100%: a worker holds one
 * partition at a time, and a partition is held by one worker at a time), and
 * the sentence that says why the hot one caps the pipeline.
 */
#include "config.h"

#include "ui/busypanel.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "ui/panel.h"

#define BUSYPANEL_LABEL_W 13  /* "partition 63 " */
#define BUSYPANEL_HOT     0.5 /* a partition busy this share of the time is named as the bottleneck */

int BusyPanel_hottest(const Snapshot* s, int* out, int max) {
   int n = 0;
   for (int p = 0; p < SNAPSHOT_PARTITIONS; p++) {
      if (!(s->part_busy[p] > 0.005))
         continue;
      /* insertion into the busiest-first list */
      int at = n < max ? n : max;
      while (at > 0 && s->part_busy[out[at - 1]] < s->part_busy[p])
         at--;
      if (at >= max)
         continue;
      for (int k = (n < max ? n : max - 1); k > at; k--)
         out[k] = out[k - 1];
      out[at] = p;
      if (n < max)
         n++;
   }
   return n;
}

/* One meter: a label, a bar of share (0..1) over the room, the percentage, and a note after it. */
static void busypanel_meter(const View* v, const Canvas* c, int row, const char* label, double share, bool hot,
                            const char* note) {
   const Glyphs* g = v->g;
   if (share < 0)
      share = 0;
   if (share > 1)
      share = 1;
   Canvas_text(c, row, 1, hot ? CE_VALUE : CE_DEFAULT, label);
   int note_w = note ? Canvas_width(note) + 1 : 0;
   int bar_w = c->r.w - BUSYPANEL_LABEL_W - 1 - 5 - note_w;
   if (bar_w < 4) {
      note = NULL;
      bar_w = c->r.w - BUSYPANEL_LABEL_W - 1 - 5;
   }
   int x = 1 + BUSYPANEL_LABEL_W;
   if (bar_w > 0) {
      int eighths = (int)lround(share * bar_w * 8);
      int full = eighths / 8, part = eighths % 8;
      Canvas_fill(c, row, x, full, hot ? CE_BAR_TOP : CE_BAR, g->hbar[8]);
      if (part && full < bar_w)
         Canvas_text(c, row, x + full, hot ? CE_BAR_TOP : CE_BAR, g->hbar[part]);
      x += bar_w;
   }
   char pct[8];
   snprintf(pct, sizeof pct, "%4.0f%%", share * 100);
   x = Canvas_text(c, row, x, hot ? CE_CRIT : CE_VALUE, pct);
   if (note)
      Canvas_text(c, row, x + 1, CE_HINT, note);
}

/* The sensors of partition p, in words: "sensor 17", "boiler-7 and 3 more". */
static void busypanel_sensors(const View* v, int p, char* buf, size_t len) {
   const Snapshot* s = &v->data.snap;
   uint32_t n = s->part_sensors[p];
   if (n == 0) {
      buf[0] = '\0';
      return;
   }
   const char* name = View_sensorName(&v->data, s->part_sensor[p]);
   char who[64];
   if (name)
      snprintf(who, sizeof who, "%s", name);
   else
      snprintf(who, sizeof who, "sensor %" PRIu32, s->part_sensor[p]);
   if (n == 1)
      snprintf(buf, len, "%s", who);
   else
      snprintf(buf, len, "%s and %" PRIu32 " more", who, n - 1);
}

/* The workers on one row, each its percentage, when the panel has no room for a meter each. */
static void busypanel_workersRow(const View* v, const Canvas* c, int row, uint32_t nw) {
   const Snapshot* s = &v->data.snap;
   int x = Canvas_text(c, row, 1, CE_DEFAULT, nw == 1 ? "worker " : "workers ");
   char pct[16];
   for (uint32_t w = 0; w < nw; w++) {
      snprintf(pct, sizeof pct, "%.0f%%%s", fmin(s->worker_busy[w], 1) * 100, w + 1 < nw ? " " : "");
      if (x + Canvas_width(pct) > c->r.w) {
         Canvas_text(c, row, x, CE_HINT, "...");
         return;
      }
      x = Canvas_text(c, row, x, CE_VALUE, pct);
   }
}

/* Why the hottest partition caps the pipeline, in the rows given (the longer sentence when it fits). */
static void busypanel_why(const View* v, const Canvas* c, int row, int rows, int p) {
   const Snapshot* s = &v->data.snap;
   char sensors[64], why[320];
   busypanel_sensors(v, p, sensors, sizeof sensors);
   snprintf(why, sizeof why,
            "Partition %d (%s) is busy %.0f%% of the time: its records stay in order, so one worker at a time "
            "holds it, and a second worker cannot share it.",
            p, sensors[0] ? sensors : "its sensors", fmin(s->part_busy[p], 1) * 100);
   int st[8], ln[8];
   if (Layout_wrap(why, c->r.w - 2, st, ln, 8) > rows)
      snprintf(why, sizeof why, "Partition %d stays in order: one worker at a time, a second cannot help.", p);
   if (Layout_wrap(why, c->r.w - 2, st, ln, 8) > rows)
      snprintf(why, sizeof why, "Partition %d: one worker at a time; a second cannot help.", p);
   Panel_wrapped(c, row, 1, CE_CAPTION, why, rows);
}

void BusyPanel_draw(const View* v, ViewHits* hits, const Canvas* c) {
   (void)hits;
   const Snapshot* s = &v->data.snap;
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Busy ");
   Canvas_text(c, 0, x, CE_HINT, "per worker and partition (1 s)");
   int hot[2];
   int nhot = BusyPanel_hottest(s, hot, 2);
   bool capped = nhot > 0 && s->part_busy[hot[0]] >= BUSYPANEL_HOT;
   uint32_t nw = s->n_workers < SNAPSHOT_WORKERS ? s->n_workers : SNAPSHOT_WORKERS;
   /* the rows, the why first: two or three rows for it, the hottest partitions, then the workers */
   int rows = c->r.h - 1;
   int why_rows = capped ? (rows >= 9 ? 3 : rows >= 5 ? 2 : 0) : 0;
   int part_rows = nhot < rows - why_rows - 1 ? nhot : rows - why_rows - 1;
   if (part_rows < 0)
      part_rows = 0;
   int worker_rows = rows - why_rows - part_rows;
   int row = 1;
   char label[32], note[96];
   if ((int)nw <= worker_rows) {
      for (uint32_t w = 0; w < nw; w++) {
         snprintf(label, sizeof label, "worker %" PRIu32, w + 1);
         busypanel_meter(v, c, row++, label, s->worker_busy[w], false, NULL);
      }
   } else if (worker_rows > 0) {
      busypanel_workersRow(v, c, row++, nw);
   }
   for (int i = 0; i < part_rows; i++) {
      int p = hot[i];
      snprintf(label, sizeof label, "partition %d", p);
      busypanel_sensors(v, p, note, sizeof note);
      busypanel_meter(v, c, row++, label, s->part_busy[p], i == 0 && capped, note[0] ? note : NULL);
   }
   if (why_rows > 0)
      busypanel_why(v, c, c->r.h - why_rows, why_rows, hot[0]);
}
