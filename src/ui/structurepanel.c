/*
 * structurepanel.c: one row per shape of the pipeline (fused loop, record
 * chain, batch on one worker, batch on a worker per CPU), each with what the
 * running pipeline measured while it had that shape: records per second,
 * that rate against batch on one worker, and the workers' CPU per record.
 */
#include "config.h"

#include "ui/structurepanel.h"

#include <stdio.h>

#include "base/units.h"

static const char* const structurepanel_labels[STRUCTURE_LAST] = {
   "fused loop (messy)", "record chain (slow)", "batch (stages)", "batch, a worker/CPU"};

/* One shape's row: the measured figures, or how to measure them. */
static void structurepanel_row(const View* v, const Canvas* c, int row, int shape, bool wide, bool ratio_col) {
   const Structure* st = &v->data.structure;
   const StructureRow* r = &st->row[shape];
   const StructureRow* b = &st->row[STRUCTURE_BATCH];
   bool now = st->current == shape;
   char text[96], rate[16];
   snprintf(text, sizeof text, "%s%s", now ? v->g->select : " ", wide ? structurepanel_labels[shape] : StructureShape_names[shape]);
   int x = Canvas_text(c, row, 0, now ? CE_SELECTED : CE_DEFAULT, text);
   int col = wide ? 22 : 17;
   if (x > col)
      return;
   if (!r->samples) {
      bool settling = now && v->data.snap.t - st->since < STRUCTURE_SETTLE_NS;
      const char* how = shape != STRUCTURE_PARALLEL ? "x: switch to it"
                        : c->r.w - col >= 27          ? "x: batch, T: threads = CPUs"
                                                      : "batch, then T";
      Canvas_text(c, row, col, CE_HINT, settling ? "measuring..." : how);
      return;
   }
   Units_formatCount(rate, sizeof rate, r->rate);
   /* a backlog that was not full: the input's rate, which the shape at least reaches */
   char ratio[16] = "";
   if (b->samples && b->rate > 0)
      snprintf(ratio, sizeof ratio, "%5.2fx", r->rate / b->rate);
   if (ratio_col)
      snprintf(text, sizeof text, "%u %s%7s %6s %7.0f ns", r->threads, r->saturated ? "  " : ">=", rate, ratio,
               r->cpu_ns);
   else
      snprintf(text, sizeof text, "%u %s%6s %5.0fns", r->threads, r->saturated ? "  " : ">=", rate, r->cpu_ns);
   Canvas_text(c, row, col, now ? CE_VALUE : CE_DEFAULT, text);
}

void StructurePanel_draw(const View* v, const Canvas* c) {
   bool wide = c->r.w >= 58;
   int x = Canvas_text(c, 0, 0, CE_TITLE, "Structure ");
   Canvas_text(c, 0, x, CE_HINT, wide ? "one pipeline, four shapes, measured (x, T)" : "(x, T)");
   int col = wide ? 22 : 17;
   bool ratio_col = c->r.w >= col + 30; /* the rate against batch's, when there is room */
   if (c->r.h > 1)
      Canvas_text(c, 1, col, CE_HINT, ratio_col ? "w   rec/s  x batch   CPU/rec" : "w  rec/s CPU/rec");
   for (int s = 0; s < STRUCTURE_LAST && 2 + s < c->r.h; s++)
      structurepanel_row(v, c, 2 + s, s, wide, ratio_col);
   if (2 + STRUCTURE_LAST < c->r.h)
      Canvas_text(c, 2 + STRUCTURE_LAST, 1, CE_HINT,
                  wide ? "all optimized, nothing simulated; >=: backlog not full"
                       : ">=: backlog not full");
}
