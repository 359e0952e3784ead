/*
 * stage_normalize.c: stage 2, norm = (value - offset) * gain from the
 * sensor's calibration (offset 0, gain 1 for a sensor the table lacks; the
 * first entry wins when a sensor appears twice). It costs little either way:
 * the stage that is not worth optimizing.
 */
#include "config.h"

#include "core/stages/stage_impl.h"

void Stage_normalizeNaive(Pipeline* p, Work* w, const Batch* b) {
   (void)b;
   const CalEntry* cal = p->params.cal;
   uint32_t n_cal = p->params.n_cal;
   for (uint32_t i = w->first; i < w->nrows && !Work_stopAt(w, i); i++) {
      Row* row = &w->rows[i];
      double offset = 0.0, gain = 1.0;
      for (uint32_t c = 0; c < n_cal; c++) {
         if (cal[c].sensor == row->rec.sensor) {
            offset = cal[c].offset;
            gain = cal[c].gain;
            break;
         }
      }
      row->norm = (row->rec.value - offset) * gain;
   }
}

void Stage_normalizeOptimized(Pipeline* p, Work* w, const Batch* b) {
   (void)b;
   const CalSlot* index = p->cal_index;
   for (uint32_t i = w->first; i < w->nrows; i++) {
      Row* row = &w->rows[i];
      CalSlot c = index[row->rec.sensor];
      row->norm = (row->rec.value - c.offset) * c.gain;
   }
}
