/*
 * stage_enrich.c: stage 3, attach the sensor's metadata word. The metadata
 * comes from an expensive but deterministic function of the sensor id (its
 * configuration blob hashed params.enrich_work times over), standing in for
 * a lookup in a slow service. Naive: compute it for every record. Optimized:
 * a bounded LRU cache per worker, hits and misses counted in the Work.
 */
#include "config.h"

#include "core/stages/stage_impl.h"

static uint64_t enrich_mix(uint64_t x) {
   x ^= x >> 30;
   x *= UINT64_C(0xBF58476D1CE4E5B9);
   x ^= x >> 27;
   x *= UINT64_C(0x94D049BB133111EB);
   x ^= x >> 31;
   return x;
}

static uint64_t enrich_rotl(uint64_t x, int r) {
   return (x << r) | (x >> (64 - r));
}

uint64_t Stage_enrichMeta(uint32_t sensor, uint32_t work) {
   /* The blob: 16 words of "configuration" derived from the id. */
   uint64_t blob[16];
   uint64_t seed = UINT64_C(0x9E3779B97F4A7C15) * (sensor + UINT64_C(1));
   for (int i = 0; i < 16; i++) {
      seed += UINT64_C(0x9E3779B97F4A7C15);
      blob[i] = enrich_mix(seed);
   }
   /* Each round folds every word into the hash and feeds the hash back into
    * the blob, so no round can be skipped or hoisted: the cost is real work. */
   uint64_t h = UINT64_C(0xCBF29CE484222325) ^ sensor;
   for (uint32_t r = 0; r < work; r++) {
      for (int i = 0; i < 16; i++) {
         h = (h ^ blob[i]) * UINT64_C(0x100000001B3);
         blob[i] = enrich_rotl(blob[i] + h, 23);
      }
   }
   return enrich_mix(h);
}

void Stage_enrichNaive(Pipeline* p, Work* w, const Batch* b) {
   (void)b;
   uint32_t work = p->params.enrich_work;
   for (uint32_t i = w->first; i < w->nrows && !Work_stopAt(w, i); i++)
      w->rows[i].meta = Stage_enrichMeta(w->rows[i].rec.sensor, work);
}

void Stage_enrichOptimized(Pipeline* p, Work* w, const Batch* b) {
   (void)b;
   for (uint32_t i = w->first; i < w->nrows && !Work_stopAt(w, i); i++)
      Stage_enrichRow(p, w, &w->rows[i]);
}
