/* histogram.c: log-linear histogram buckets and percentiles. */
#include "config.h"

#include "base/histogram.h"

#include <string.h>

#define SUB (1u << HISTOGRAM_SUB_BITS)  /* 64: values below are exact */
#define HALF (SUB >> 1)                 /* 32 buckets per power of two */

unsigned Histogram_index(uint64_t v) {
   if (v < SUB)
      return (unsigned)v;
   unsigned msb = 63u - (unsigned)__builtin_clzll(v);
   unsigned shift = msb - (HISTOGRAM_SUB_BITS - 1);
   return shift * HALF + (unsigned)(v >> shift);
}

uint64_t Histogram_lowest(unsigned index) {
   if (index < SUB)
      return index;
   unsigned shift = index / HALF - 1;
   uint64_t m = index - shift * HALF;
   return m << shift;
}

uint64_t Histogram_highest(unsigned index) {
   if (index < SUB)
      return index;
   if (index == HISTOGRAM_BUCKETS - 1)
      return UINT64_MAX;
   return Histogram_lowest(index + 1) - 1;
}

static uint64_t hist_load(const _Atomic uint64_t* p) {
   return atomic_load_explicit(p, memory_order_relaxed);
}

static void hist_store(_Atomic uint64_t* p, uint64_t v) {
   atomic_store_explicit(p, v, memory_order_relaxed);
}

void Histogram_reset(Histogram* this) {
   hist_store(&this->count, 0);
   hist_store(&this->max, 0);
   for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++)
      hist_store(&this->bucket[i], 0);
}

void Histogram_recordN(Histogram* this, uint64_t v, uint64_t n) {
   unsigned i = Histogram_index(v);
   hist_store(&this->bucket[i], hist_load(&this->bucket[i]) + n);
   hist_store(&this->count, hist_load(&this->count) + n);
   if (v > hist_load(&this->max))
      hist_store(&this->max, v);
}

void Histogram_record(Histogram* this, uint64_t v) {
   Histogram_recordN(this, v, 1);
}

void Histogram_recordLatencies(Histogram* this, const int64_t* first, size_t stride, uint32_t n, int64_t t_done) {
   uint64_t top = 0;
   const char* at = (const char*)first;
   for (uint32_t i = 0; i < n; i++, at += stride) {
      int64_t d = t_done - *(const int64_t*)(const void*)at;
      uint64_t v = d > 0 ? (uint64_t)d : 0;
      unsigned k = Histogram_index(v);
      hist_store(&this->bucket[k], hist_load(&this->bucket[k]) + 1);
      if (v > top)
         top = v;
   }
   hist_store(&this->count, hist_load(&this->count) + n);
   if (top > hist_load(&this->max))
      hist_store(&this->max, top);
}

void Histogram_add(Histogram* this, const Histogram* other) {
   uint64_t total = 0;
   for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++) {
      uint64_t b = hist_load(&other->bucket[i]);
      if (b) {
         hist_store(&this->bucket[i], hist_load(&this->bucket[i]) + b);
         total += b;
      }
   }
   /* count from the buckets read, so count and buckets agree even while the writer runs */
   hist_store(&this->count, hist_load(&this->count) + total);
   uint64_t m = hist_load(&other->max);
   if (m > hist_load(&this->max))
      hist_store(&this->max, m);
}

void Histogram_diff(Histogram* this, const Histogram* a, const Histogram* b) {
   uint64_t total = 0;
   uint64_t top = 0;
   for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++) {
      uint64_t x = hist_load(&a->bucket[i]);
      uint64_t y = hist_load(&b->bucket[i]);
      uint64_t d = x > y ? x - y : 0;
      hist_store(&this->bucket[i], d);
      total += d;
      if (d)
         top = i;
   }
   hist_store(&this->count, total);
   /* the window's max is not known exactly; its bucket's top bounds it, and a's max caps that */
   uint64_t m = total ? Histogram_highest((unsigned)top) : 0;
   uint64_t am = hist_load(&a->max);
   hist_store(&this->max, m < am ? m : am);
}

uint64_t Histogram_quantile(const Histogram* this, double q) {
   uint64_t count = 0;
   for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++)
      count += hist_load(&this->bucket[i]);
   if (count == 0)
      return 0;
   if (q < 0)
      q = 0;
   if (q > 1)
      q = 1;
   uint64_t rank = (uint64_t)(q * (double)count + 0.5);
   if (rank < 1)
      rank = 1;
   if (rank > count)
      rank = count;
   uint64_t seen = 0;
   uint64_t max = hist_load(&this->max);
   for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++) {
      seen += hist_load(&this->bucket[i]);
      if (seen >= rank) {
         uint64_t lo = Histogram_lowest(i), hi = Histogram_highest(i);
         uint64_t mid = lo + (hi - lo) / 2;
         return max && mid > max ? max : mid;
      }
   }
   return max;
}

void Histogram_percentiles(const Histogram* this, Percentiles* out) {
   uint64_t count = 0;
   for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++)
      count += hist_load(&this->bucket[i]);
   out->count = count;
   out->p50 = Histogram_quantile(this, 0.50);
   out->p90 = Histogram_quantile(this, 0.90);
   out->p99 = Histogram_quantile(this, 0.99);
   out->p999 = Histogram_quantile(this, 0.999);
   out->p9999 = Histogram_quantile(this, 0.9999);
   out->max = count ? hist_load(&this->max) : 0;
}
