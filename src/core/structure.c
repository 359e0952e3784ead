/* structure.c: the structure lesson's table, filled from snapshots as the shapes are switched. */
#include "config.h"

#include "core/structure.h"

#include <stdio.h>
#include <string.h>

#include "base/units.h"

const char* const StructureShape_names[STRUCTURE_LAST] = {"fused", "record", "batch", "batch, parallel"};

void Structure_init(Structure* this) {
   memset(this, 0, sizeof *this);
   this->current = -1;
}

int Structure_shape(const Knobs* k, uint32_t ncpu) {
   if (k->dispatch_cost_ns > 0)
      return -1;
   for (int s = 0; s < STAGE_LAST; s++)
      if (k->stage_cost_ns[s] > 0 || k->variant[s] != VARIANT_OPTIMIZED)
         return -1;
   if (k->threads == 1)
      return k->dispatch == DISPATCH_FUSED ? STRUCTURE_FUSED
             : k->dispatch == DISPATCH_RECORD ? STRUCTURE_RECORD
                                              : STRUCTURE_BATCH;
   if (k->dispatch == DISPATCH_BATCH && ncpu > 1 && k->threads == ncpu)
      return STRUCTURE_PARALLEL;
   return -1;
}

/* Whether a change of these knobs changes what the rows measure. */
static bool structure_changed(const Knobs* a, const Knobs* b) {
   if (a->dispatch != b->dispatch || a->threads != b->threads || a->batch != b->batch || a->rate != b->rate ||
       a->window != b->window || a->paused != b->paused || a->dispatch_cost_ns != b->dispatch_cost_ns)
      return true;
   for (int s = 0; s < STAGE_LAST; s++)
      if (a->variant[s] != b->variant[s] || a->stage_cost_ns[s] != b->stage_cost_ns[s])
         return true;
   return false;
}

void Structure_update(Structure* this, const Snapshot* s) {
   if (this->started && s->seq == this->seq)
      return;
   this->seq = s->seq;
   if (!this->started || structure_changed(&this->knobs, &s->knobs)) {
      this->started = true;
      this->knobs = s->knobs;
      this->since = s->t;
      this->current = Structure_shape(&s->knobs, s->ncpu);
      this->fresh = true;
      return;
   }
   if (this->current < 0 || s->t - this->since < STRUCTURE_SETTLE_NS || s->knobs.paused || !(s->out_rate > 0))
      return;
   StructureRow* r = &this->row[this->current];
   if (this->fresh)
      r->samples = 0; /* measured again: the new samples replace the old (kept until then) */
   this->fresh = false;
   bool full = s->backlog_cap_records > 0 && (double)s->backlog_records >= STRUCTURE_FULL * s->backlog_cap_records;
   double cpu_ns = s->busy * 1e9 / s->out_rate;
   double n = (double)r->samples;
   r->rate = (r->rate * n + s->out_rate) / (n + 1);
   r->cpu_ns = (r->cpu_ns * n + cpu_ns) / (n + 1);
   r->saturated = (r->samples == 0 || r->saturated) && full;
   r->threads = s->knobs.threads;
   r->samples++;
}

bool Structure_caption(const Structure* this, char* line0, char* line1, size_t len) {
   const StructureRow* b = &this->row[STRUCTURE_BATCH];
   const StructureRow* rec = &this->row[STRUCTURE_RECORD];
   const StructureRow* fu = &this->row[STRUCTURE_FUSED];
   const StructureRow* par = &this->row[STRUCTURE_PARALLEL];
   if (!b->samples || !(rec->samples || fu->samples || par->samples))
      return false;
   char r[16];
   size_t n = (size_t)snprintf(line0, len, "Measured: batch %.0f ns/rec", b->cpu_ns);
   if (rec->samples && n < len)
      n += (size_t)snprintf(line0 + n, len - n, ", record %.0f (%.2fx)", rec->cpu_ns, rec->cpu_ns / b->cpu_ns);
   if (fu->samples && n < len)
      n += (size_t)snprintf(line0 + n, len - n, ", fused %.0f (%.2fx)", fu->cpu_ns, fu->cpu_ns / b->cpu_ns);
   if (par->samples && n < len) {
      Units_formatCount(r, sizeof r, par->rate);
      snprintf(line0 + n, len - n, "; %u workers %s rec/s, %.1fx one's", par->threads, r, par->rate / b->rate);
   }
   double saved = fu->samples ? 1 - fu->cpu_ns / b->cpu_ns : 0;
   if (rec->samples)
      n = (size_t)snprintf(line1, len, "In C a call chain per record costs %.2fx batch (the lecture's Python loop: 10-100x); ",
                           rec->cpu_ns / b->cpu_ns);
   else if (saved >= 0.01)
      n = (size_t)snprintf(line1, len, "Fusing saves %.0f%% of the CPU but no stage can be timed or changed; ",
                           100 * saved);
   else
      n = (size_t)snprintf(line1, len, "Fusing saves nothing measurable, and no stage can be timed or changed; ");
   if (n >= len)
      return true;
   double scale = par->samples && b->rate > 0 ? par->rate / b->rate : 0;
   if (!par->samples)
      snprintf(line1 + n, len - n, "now run batch on a worker per CPU (T).");
   else if (scale >= STRUCTURE_SCALES)
      snprintf(line1 + n, len - n, "the stages in parallel did %.1fx: structure that scales, keep both.", scale);
   else
      snprintf(line1 + n, len - n, "a worker per CPU did only %.1fx here: no CPU was free for it (see CPU).", scale);
   return true;
}
