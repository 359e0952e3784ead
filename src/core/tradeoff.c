/* tradeoff.c: one throughput/latency point per setting the user has run. */
#include "config.h"

#include "core/tradeoff.h"

#include <math.h>
#include <string.h>

uint32_t Tradeoff_variants(const Variant variant[STAGE_LAST]) {
   uint32_t m = 0;
   for (int s = 0; s < STAGE_LAST; s++)
      if (variant[s] == VARIANT_OPTIMIZED)
         m |= 1u << s;
   return m;
}

void Tradeoff_init(Tradeoff* this) {
   memset(this, 0, sizeof *this);
}

bool TradeoffKey_equal(TradeoffKey a, TradeoffKey b) {
   return a.batch == b.batch && a.threads == b.threads && a.variants == b.variants;
}

/* Index of the point of this setting, or n when there is none. */
static size_t tradeoff_index(const Tradeoff* this, TradeoffKey key) {
   size_t i = 0;
   while (i < this->n && !TradeoffKey_equal(this->points[i].key, key))
      i++;
   return i;
}

const TradeoffPoint* Tradeoff_find(const Tradeoff* this, TradeoffKey key) {
   size_t i = tradeoff_index(this, key);
   return i < this->n ? &this->points[i] : NULL;
}

TradeoffKey Tradeoff_current(const Tradeoff* this) {
   return this->run;
}

/* Write the run in progress into its point (new, or replacing the stalest when full). */
static void tradeoff_store(Tradeoff* this) {
   size_t i = tradeoff_index(this, this->run);
   TradeoffPoint* p = i < this->n ? &this->points[i] : NULL;
   if (!p) {
      if (this->n < TRADEOFF_POINTS) {
         p = &this->points[this->n++];
      } else {
         p = &this->points[0];
         for (size_t k = 1; k < this->n; k++)
            if (this->points[k].stamp < p->stamp)
               p = &this->points[k];
      }
   }
   p->key = this->run;
   p->throughput = this->sum_throughput / this->count;
   p->p99_s = this->sum_p99 / this->count;
   p->seconds = (double)(this->settled_to - this->settled_from) / 1e9;
   p->stamp = ++this->stamp;
}

static void tradeoff_startRun(Tradeoff* this, const HistorySample* s, uint32_t variants, bool paused) {
   this->run = (TradeoffKey){.batch = s->batch, .threads = s->threads, .variants = variants};
   this->run_paused = paused;
   this->run_start = s->t;
   this->settled_from = 0;
   this->settled_to = 0;
   this->sum_throughput = 0;
   this->sum_p99 = 0;
   this->count = 0;
}

void Tradeoff_feed(Tradeoff* this, const HistorySample* s, size_t n, uint32_t variants, bool paused) {
   for (size_t k = 0; k < n; k++) {
      const HistorySample* x = &s[k];
      if (this->have_last && x->t <= this->last_t)
         continue;
      bool changed = !this->have_last || x->event != this->last_event || x->batch != this->last_batch ||
                     x->threads != this->last_threads || variants != this->run.variants || paused != this->run_paused;
      if (changed)
         tradeoff_startRun(this, x, variants, paused);
      this->have_last = true;
      this->last_t = x->t;
      this->last_event = x->event;
      this->last_batch = x->batch;
      this->last_threads = x->threads;
      if (paused || x->t - this->run_start < TRADEOFF_SETTLE_NS)
         continue;
      if (!isfinite(x->out_rate) || !isfinite(x->latency_p99_s) || (x->flags & HISTORY_MIXED))
         continue;
      if (this->count == 0)
         this->settled_from = x->t;
      this->settled_to = x->t;
      this->sum_throughput += x->out_rate;
      this->sum_p99 += x->latency_p99_s;
      this->count++;
      if (this->settled_to - this->settled_from >= TRADEOFF_MIN_NS)
         tradeoff_store(this);
   }
}
