/*
 * control.c: the live controls. Any thread may call them. Each stores the
 * new value in the engine's Knobs under the knob lock (the snapshot reports
 * those), does what makes it take effect (the atomics the workers read per
 * batch, the queue's policy, the pipeline's window, more workers), wakes the
 * source when it is a value the source reads, and marks an event.
 */
#include "config.h"

#include "engine/engine_impl.h"

#include <stdio.h>

#include "base/units.h"

/* The knobs the source reads changed: bump their version and wake it so it reads them. */
static void control_sourceKnobs(Engine* this) {
   atomic_fetch_add(&this->knob_version, 1);
   Engine_wakeSource(this);
}

void Engine_setKnob(Engine* this, KnobId id, double value) {
   if ((unsigned)id >= KNOB_LAST || !Knob_table[id].live)
      return;
   pthread_mutex_lock(&this->knob_lock);
   Knobs_set(&this->knobs, id, value);
   /* never more workers than could be started, never a batch the backlog cap cannot hold */
   if (id == KNOB_THREADS && this->threads_cap && this->knobs.threads > this->threads_cap)
      this->knobs.threads = this->threads_cap;
   if ((id == KNOB_BATCH || id == KNOB_LAYOUT) && this->knobs.batch > Knobs_batchMax(&this->knobs))
      this->knobs.batch = Knobs_batchMax(&this->knobs);
   Knobs k = this->knobs;
   pthread_mutex_unlock(&this->knob_lock);
   const char* note = "";
   switch (id) {
   case KNOB_BATCH:
      /* the queue merges batches of an older size up to the new one: it acts on the backlog at once */
      Queue_setBatch(&this->queue, k.batch);
      control_sourceKnobs(this);
      break;
   case KNOB_LINGER:
   case KNOB_RATE:
   case KNOB_BURST:
   case KNOB_EVERY:
   case KNOB_SPEED:
      control_sourceKnobs(this);
      break;
   case KNOB_THREADS:
      if (this->monitor_started) {
         int why;
         uint32_t started = Worker_start(this, k.threads, &why);
         if (started < k.threads) {
            Engine_capThreads(this, started, why); /* the event says so */
            return;
         }
      }
      Queue_setActive(&this->queue, k.threads);
      break;
   case KNOB_OVERFLOW:
      Queue_setPolicy(&this->queue, k.overflow, k.max_backlog_records, k.max_backlog_bytes);
      control_sourceKnobs(this); /* the source checks the cap before every record */
      break;
   case KNOB_WINDOW:
      Pipeline_setWindow(this->pipe, k.window);
      break;
   case KNOB_DISPATCH_COST:
      atomic_store(&this->dispatch_cost, k.dispatch_cost_ns);
      note = " (sim)";
      break;
   case KNOB_DISPATCH:
      atomic_store(&this->dispatch, (int)k.dispatch);
      break;
   case KNOB_LAYOUT:
      /* batches sealed from now on; those queued keep theirs. A boxed record takes more of a byte cap:
       * the batch may have been made smaller to fit it */
      atomic_store(&this->layout, (int)k.layout);
      Queue_setBatch(&this->queue, k.batch);
      control_sourceKnobs(this);
      break;
   case KNOB_ARRIVAL:
   case KNOB_STALE_LIMIT:
   case KNOB_LAST:
      break;
   }
   char text[24];
   Knob_format(id, Knobs_get(&k, id), text, sizeof text);
   Engine_event(this, "%s %s%s", Knob_table[id].name, text, note);
}

void Engine_setVariant(Engine* this, StageId stage, Variant v) {
   if ((unsigned)stage >= STAGE_LAST || (unsigned)v >= VARIANT_LAST)
      return;
   pthread_mutex_lock(&this->knob_lock);
   this->knobs.variant[stage] = v;
   pthread_mutex_unlock(&this->knob_lock);
   atomic_store(&this->variant[stage], (int)v);
   Engine_event(this, "%s %s", Stage_table[stage].name, Variant_name(v));
}

void Engine_setAllVariants(Engine* this, Variant v) {
   if ((unsigned)v >= VARIANT_LAST)
      return;
   pthread_mutex_lock(&this->knob_lock);
   for (int s = 0; s < STAGE_LAST; s++)
      this->knobs.variant[s] = v;
   pthread_mutex_unlock(&this->knob_lock);
   for (int s = 0; s < STAGE_LAST; s++)
      atomic_store(&this->variant[s], (int)v);
   /* one change the user made: one event, one mark on the charts */
   Engine_event(this, "all stages %s", Variant_name(v));
}

void Engine_setPaused(Engine* this, bool paused) {
   pthread_mutex_lock(&this->knob_lock);
   this->knobs.paused = paused;
   pthread_mutex_unlock(&this->knob_lock);
   atomic_store(&this->paused, paused);
   Engine_wakeSource(this);
   Engine_event(this, paused ? "source paused" : "source resumed");
}

bool Engine_move(Engine* this, GeneratorMove how, int count, char* why, size_t len) {
   if (!this->gen->ops->move) {
      snprintf(why, len, "only a replay can restart, seek, step or loop");
      return false;
   }
   pthread_mutex_lock(&this->source_lock);
   SourceMoves* m = &this->moves;
   switch (how) {
   case GENERATOR_MOVE_RESTART:
      /* a restart forgets the seeks asked before it */
      m->restart = true;
      m->seek = 0;
      break;
   case GENERATOR_MOVE_SEEK:
      m->seek += count;
      break;
   case GENERATOR_MOVE_LOOP:
      m->loop = count != 0;
      break;
   case GENERATOR_MOVE_STEP:
      m->steps += (uint32_t)(count > 0 ? count : 1);
      break;
   case GENERATOR_MOVE_LAST:
      break;
   }
   atomic_store(&this->moves_pending, true);
   pthread_cond_broadcast(&this->source_cond);
   pthread_mutex_unlock(&this->source_lock);
   return true;
}

void Engine_setStageCost(Engine* this, StageId stage, int64_t ns) {
   if ((unsigned)stage >= STAGE_LAST)
      return;
   if (ns < 0)
      ns = 0;
   pthread_mutex_lock(&this->knob_lock);
   this->knobs.stage_cost_ns[stage] = ns;
   pthread_mutex_unlock(&this->knob_lock);
   atomic_store(&this->stage_cost[stage], ns);
   char d[16];
   Units_formatDuration(d, sizeof d, ns);
   Engine_event(this, "%s cost %s (sim)", Stage_table[stage].name, d);
}

void Engine_resetWindowed(Engine* this) {
   atomic_store(&this->reset_window, true);
   Engine_event(this, "statistics reset");
}
