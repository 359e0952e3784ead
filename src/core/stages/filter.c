/*
 * stage_filter.c: stage 1, keep a record only if its sensor is allowed and
 * its value is finite and inside [valid_lo, valid_hi]. Survivors are copied
 * into w->rows in batch order; a rejection is counted under the first check
 * it fails (not allowed, then not finite, then out of range); a value the
 * input marked missing (Record_missing) is not finite, counted as missing. A sensor id
 * outside the id space counts as not allowed, in both variants.
 */
#include "config.h"

#include <math.h>

#include "core/stages/stage_impl.h"
#include "base/xalloc.h"

/* Room for every record of the batch, should Work_begin have been given less. */
static void filter_reserve(Work* w, uint32_t n) {
   if ((uint64_t)w->nrows + n <= w->cap)
      return;
   w->cap = w->nrows + n;
   w->rows = xrealloc(w->rows, (size_t)w->cap * sizeof(Row));
}

FilterReason Stage_filterValue(const Pipeline* p, double v) {
   if (!isfinite(v))
      return Record_isMissing(v) ? FILTER_MISSING : FILTER_NOT_FINITE;
   if (v < p->params.valid_lo || v > p->params.valid_hi)
      return FILTER_OUT_OF_RANGE;
   return FILTER_LAST;
}

/* The checks after the allowlist, shared by both variants. */
static void filter_keep(const Pipeline* p, Work* w, const Record* r) {
   FilterReason why = Stage_filterValue(p, r->value);
   if (why != FILTER_LAST)
      w->filtered[why]++;
   else
      w->rows[w->nrows++] = (Row){.rec = *r};
}

/* The lecture's version: is s in the list? Look at every entry until found. */
static bool filter_allowedByScan(const Pipeline* p, uint32_t s) {
   if (s >= p->params.id_space)
      return false;
   if (!p->params.allow)
      return true;
   const uint32_t* allow = p->params.allow;
   for (uint32_t i = 0; i < p->params.n_allow; i++)
      if (allow[i] == s)
         return true;
   return false;
}

void Stage_filterNaive(Pipeline* p, Work* w, const Batch* b) {
   filter_reserve(w, b->n);
   for (uint32_t i = 0; i < b->n && !Work_stopAt(w, i); i++) {
      const Record* r = &b->rec[i];
      if (!filter_allowedByScan(p, r->sensor))
         w->filtered[FILTER_NOT_ALLOWED]++;
      else
         filter_keep(p, w, r);
   }
}

void Stage_filterOptimized(Pipeline* p, Work* w, const Batch* b) {
   filter_reserve(w, b->n);
   for (uint32_t i = 0; i < b->n; i++) {
      const Record* r = &b->rec[i];
      if (!Stage_filterAllowed(p, r->sensor))
         w->filtered[FILTER_NOT_ALLOWED]++;
      else
         filter_keep(p, w, r);
   }
}
