/*
 * chain.c: the record chain and the fused loop (see chain.h). The record
 * chain calls the stage table's functions on a batch of one record, so it
 * runs the very code of the batch pass, only once per record; the fused loop
 * runs the optimized stages' per-row pieces (stage_impl.h) in one loop.
 */
#include "config.h"

#include "core/stages/chain.h"

#include "core/stages/stage_impl.h"

bool Chain_runRecords(Pipeline* p, Work* w, const Batch* b, const _Atomic int variant[STAGE_LAST],
                      uint32_t in[STAGE_LAST]) {
   Batch* one = w->single;
   one->partition = b->partition;
   one->n = 1;
   for (int s = 0; s < STAGE_LAST; s++)
      in[s] = 0;
   bool done = true;
   for (uint32_t i = 0; i < b->n; i++) {
      if (Work_stopAt(w, i)) {
         done = false;
         break;
      }
      one->rec[0] = b->rec[i];
      w->first = w->nrows;
      /* each stage object looks up its variant for this record, then takes it alone */
      for (int s = 0; s < STAGE_LAST && (s == STAGE_FILTER || w->nrows > w->first); s++) {
         int v = atomic_load_explicit(&variant[s], memory_order_relaxed);
         in[s]++;
         Stage_table[s].run[v](p, w, one);
      }
   }
   w->first = 0;
   return done && !Work_stopped(w);
}

bool Chain_runFused(Pipeline* p, Work* w, const Batch* b, uint32_t in[STAGE_LAST]) {
   OutBuf* out = &w->out;
   OutBuf_reserve(out, (size_t)b->n * Pipeline_lineMax(p));
   Stage_scoreReserve(w, b->n);
   char* o = out->buf + out->len;
   FeatureCounts counts = {{0}, {0}};
   uint32_t W = w->window;
   bool done = true;
   for (uint32_t i = 0; i < b->n; i++) {
      if (Work_stopAt(w, i)) {
         done = false;
         break;
      }
      const Record* r = &b->rec[i];
      FilterReason why = Stage_filterAllowed(p, r->sensor) ? Stage_filterValue(p, r->value) : FILTER_NOT_ALLOWED;
      if (why != FILTER_LAST) {
         w->filtered[why]++;
         continue;
      }
      /* the row stays in the work rows, as a batch pass leaves it: --ordered reads which records have a line */
      Row* row = &w->rows[w->nrows];
      *row = (Row){.rec = *r};
      Stage_normalizeRow(p, row);
      Stage_enrichRow(p, w, row);
      Stage_featureRow(p, row, W, &counts);
      Stage_scoreRow(p, w, row);
      o = Stage_formatLine(p, row, o);
      w->nrows++;
   }
   out->len = (size_t)(o - out->buf);
   in[STAGE_FILTER] = b->n;
   for (int s = STAGE_FILTER + 1; s < STAGE_LAST; s++)
      in[s] = w->nrows;
   return done;
}
