/*
 * chain.c: the record chain and the fused loop (see chain.h). The record
 * chain calls the stage table's functions on a batch of one record, so it
 * runs the very code of the batch pass, only once per record; the fused loop
 * runs the optimized stages' per-row pieces (stage_impl.h) in one loop.
 */
#include "config.h"

#include "core/stages/chain.h"

#include "core/boxed.h"
#include "core/stages/stage_impl.h"

bool Chain_runRecords(Pipeline* p, Work* w, const Batch* b, const _Atomic int variant[STAGE_LAST],
                      uint32_t in[STAGE_LAST]) {
   Batch* one = w->single;
   one->partition = b->partition;
   one->n = 1;
   for (int s = 0; s < STAGE_LAST; s++)
      in[s] = 0;
   bool done = true;
   BoxedRecord* const* box = w->box;
   BoxedRecord* obj = NULL;
   for (uint32_t i = 0; i < b->n; i++) {
      if (Work_stopAt(w, i)) {
         done = false;
         break;
      }
      one->rec[0] = b->rec[i];
      w->first = w->nrows;
      if (box) {
         obj = box[i];
         w->box = &obj; /* the one record's object, as the one-record batch's */
      }
      /* each stage object looks up its variant for this record, then takes it alone */
      for (int s = 0; s < STAGE_LAST && (s == STAGE_FILTER || w->nrows > w->first); s++) {
         int v = atomic_load_explicit(&variant[s], memory_order_relaxed);
         in[s]++;
         Boxed_runStage(p, w, one, (StageId)s, (Variant)v);
      }
   }
   w->box = box;
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
      /* a boxed record's fields are got and put by name around each piece (NULL obj: packed, no-ops) */
      BoxedRecord* obj = w->box ? w->box[i] : NULL;
      Boxed_loadRow(obj, row, STAGE_NORMALIZE);
      Stage_normalizeRow(p, row);
      Boxed_storeRow(obj, row, STAGE_NORMALIZE);
      Boxed_loadRow(obj, row, STAGE_ENRICH);
      Stage_enrichRow(p, w, row);
      Boxed_storeRow(obj, row, STAGE_ENRICH);
      Boxed_loadRow(obj, row, STAGE_FEATURE);
      Stage_featureRow(p, row, W, &counts);
      Boxed_storeRow(obj, row, STAGE_FEATURE);
      Boxed_loadRow(obj, row, STAGE_SCORE);
      Stage_scoreRow(p, w, row);
      Boxed_storeRow(obj, row, STAGE_SCORE);
      Boxed_loadRow(obj, row, STAGE_FORMAT);
      o = Stage_formatLine(p, row, o);
      w->nrows++;
   }
   out->len = (size_t)(o - out->buf);
   in[STAGE_FILTER] = b->n;
   for (int s = STAGE_FILTER + 1; s < STAGE_LAST; s++)
      in[s] = w->nrows;
   return done;
}
