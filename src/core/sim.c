/* sim.c: the simulated sensor network: value model, anomalies and arrival schedule. */
#include "config.h"

#include "core/sim.h"

#include <math.h>
#include <stdlib.h>

#include "base/clock.h"
#include "base/rng.h"
#include "core/snapshot.h"
#include "base/xalloc.h"

typedef struct SimSensor {
   uint32_t id;
   double baseline;
   double amplitude; /* of the slow cycle */
   double omega;     /* rad/s of the slow cycle */
   double phase;
   double sigma;     /* noise */
   /* injected anomaly in progress */
   uint32_t drift_left;  /* records of a drift still to come */
   uint32_t drift_len;
   double drift_peak;
} SimSensor;

typedef struct Sim {
   Generator base;
   Rng rng;
   SimSensor* sensors;
   uint32_t n_sensors;
   double anomaly_rate;
   double hot;
   Arrival arrival;
   double rate;
   uint64_t burst;
   int64_t every_ns;
   /* schedule */
   double t_next;       /* ns, relative, as a double so slow rates accumulate exactly enough */
   uint64_t burst_left; /* records still to emit in the current burst */
   int64_t burst_t;
} Sim;

uint32_t Sim_sensorId(uint32_t i, uint32_t id_space) {
   /* a stride coprime with id_space spreads ids over the whole space */
   uint64_t stride = 7919;
   while (id_space % stride == 0)
      stride += 2;
   return (uint32_t)(((uint64_t)i * stride + 17) % id_space);
}

static uint32_t sim_idSpace(const Setup* o) {
   uint32_t space = SIM_ID_SPACE;
   if (o->sensors * 2u > space)
      space = o->sensors * 2u;
   if (o->allowlist + o->sensors > space)
      space = o->allowlist + o->sensors;
   return space;
}

static void sim_shuffle32(Rng* rng, uint32_t* a, uint32_t n) {
   for (uint32_t i = n; i > 1; i--) {
      uint32_t j = Rng_below(rng, i);
      uint32_t t = a[i - 1];
      a[i - 1] = a[j];
      a[j] = t;
   }
}

void Sim_params(const Setup* o, PipelineParams* out) {
   Rng rng;
   uint32_t space = sim_idSpace(o);
   Rng_seed(&rng, o->seed ^ UINT64_C(0x5eed0fa11c0ffee));
   *out = (PipelineParams){
      .id_space = space,
      .valid_lo = o->valid_lo,
      .valid_hi = o->valid_hi,
      .window = o->knobs.window,
      .threshold = o->threshold,
      .cache_capacity = o->cache,
      .enrich_work = KEEPUP_ENRICH_WORK_DEFAULT,
   };
   /* sensor models are drawn from the same seed in Sim_new; the calibration
    * table must agree with them, so it is derived from the same draws */
   Rng model;
   Rng_seed(&model, o->seed);
   CalEntry* cal = xcalloc(o->sensors, sizeof *cal);
   for (uint32_t i = 0; i < o->sensors; i++) {
      double baseline = 20.0 + 80.0 * Rng_uniform(&model);
      double amplitude = 0.5 + 4.5 * Rng_uniform(&model);
      (void)Rng_uniform(&model); /* period */
      (void)Rng_uniform(&model); /* phase */
      double sigma = 0.2 + 1.8 * Rng_uniform(&model);
      cal[i] = (CalEntry){.sensor = Sim_sensorId(i, space), .offset = baseline, .gain = 1.0 / (amplitude + sigma)};
   }
   for (uint32_t i = o->sensors; i > 1; i--) {
      uint32_t j = Rng_below(&rng, i);
      CalEntry t = cal[i - 1];
      cal[i - 1] = cal[j];
      cal[j] = t;
   }
   out->cal = cal;
   out->n_cal = o->sensors;

   if (o->allowlist == 0) {
      out->allow = NULL;
      out->n_allow = 0;
      return;
   }
   uint32_t k = o->allowlist;
   uint32_t* allow = xcalloc(k, sizeof *allow);
   uint8_t* used = xcalloc(space, 1);
   uint32_t n = 0;
   for (uint32_t i = 0; i < o->sensors; i++)
      used[Sim_sensorId(i, space)] = 1; /* emitted: only allowlisted ids below may be chosen as filler */
   for (uint32_t i = 0; i < o->sensors && n < k; i++) {
      if (i % 16 == 15)
         continue; /* one in 16 sensors is decommissioned: its records are filtered */
      allow[n++] = Sim_sensorId(i, space);
   }
   uint32_t probe = Rng_below(&rng, space);
   while (n < k) {
      if (!used[probe]) {
         used[probe] = 1;
         allow[n++] = probe;
      }
      probe = (probe + 1) % space;
   }
   free(used);
   sim_shuffle32(&rng, allow, k);
   out->allow = allow;
   out->n_allow = k;
}

void Sim_freeParams(PipelineParams* params) {
   free((void*)params->allow);
   free((void*)params->cal);
   params->allow = NULL;
   params->cal = NULL;
}

static double sim_value(Sim* this, SimSensor* s, int64_t t_ns) {
   double t = (double)t_ns / 1e9;
   double v = s->baseline + s->amplitude * sin(s->omega * t + s->phase) + s->sigma * Rng_normal(&this->rng);
   if (s->drift_left > 0) {
      /* a triangle: up to drift_peak over the first half, back over the second */
      double pos = (double)(s->drift_len - s->drift_left) / (double)s->drift_len;
      v += s->drift_peak * (pos < 0.5 ? 2 * pos : 2 * (1 - pos));
      s->drift_left--;
   }
   double u = Rng_uniform(&this->rng);
   if (u < this->anomaly_rate) {
      double size = (8.0 + 7.0 * Rng_uniform(&this->rng)) * (s->amplitude + s->sigma);
      if (Rng_uniform(&this->rng) < 0.5)
         size = -size;
      if (Rng_uniform(&this->rng) < 0.7) {
         v += size; /* spike: this reading only */
      } else if (s->drift_left == 0) {
         s->drift_len = 100 + Rng_below(&this->rng, 400);
         s->drift_left = s->drift_len;
         s->drift_peak = size;
      }
   } else if (u < this->anomaly_rate + SIM_GLITCH_NAN) {
      v = NAN;
   } else if (u < this->anomaly_rate + SIM_GLITCH_NAN + SIM_GLITCH_RANGE) {
      v = 1e12; /* a stuck ADC: far outside any sane range */
   }
   return v;
}

/* Advance the schedule; returns the relative event time of the next record. */
static int64_t sim_schedule(Sim* this) {
   switch (this->arrival) {
   case ARRIVAL_BURST:
      if (this->burst_left == 0) {
         this->burst_t += this->every_ns;
         this->burst_left = this->burst;
      }
      this->burst_left--;
      return this->burst_t;
   case ARRIVAL_POISSON: {
      int64_t t = (int64_t)this->t_next;
      this->t_next += Rng_exponential(&this->rng) * 1e9 / this->rate;
      return t;
   }
   case ARRIVAL_STEADY:
   case ARRIVAL_LAST:
      break;
   }
   int64_t t = (int64_t)this->t_next;
   this->t_next += 1e9 / this->rate;
   return t;
}

static bool sim_next(Generator* g, Record* out) {
   Sim* this = (Sim*)g;
   int64_t t = sim_schedule(this);
   uint32_t i;
   if (this->hot > 0 && Rng_uniform(&this->rng) < this->hot)
      i = 0;
   else
      i = Rng_below(&this->rng, this->n_sensors);
   SimSensor* s = &this->sensors[i];
   out->t_event = t; /* the simulated data's own time is its schedule */
   out->t_arrival = t;
   out->sensor = s->id;
   out->value = sim_value(this, s, t);
   out->seq = 0;
   return true;
}

static uint64_t sim_due(Generator* g, int64_t t, bool* exact) {
   Sim* this = (Sim*)g;
   switch (this->arrival) {
   case ARRIVAL_BURST: {
      /* what is left of the current burst, then whole bursts every every_ns */
      uint64_t n = this->burst_left > 0 && this->burst_t <= t ? this->burst_left : 0;
      if (this->every_ns > 0 && t >= this->burst_t + this->every_ns)
         n += (uint64_t)((t - this->burst_t) / this->every_ns) * this->burst;
      return n;
   }
   case ARRIVAL_POISSON:
      *exact = false; /* the gaps are random: the mean rate stands for them */
      break;
   case ARRIVAL_STEADY:
   case ARRIVAL_LAST:
      break;
   }
   if ((double)t < this->t_next || this->rate <= 0)
      return 0;
   return (uint64_t)(((double)t - this->t_next) * this->rate / 1e9) + 1;
}

static void sim_paused(Generator* g, int64_t pause_ns) {
   (void)g;
   (void)pause_ns; /* the engine shifts its own clock; the schedule stays relative */
}

static void sim_retune(Generator* g, const Knobs* k) {
   Sim* this = (Sim*)g;
   this->rate = k->rate;
   this->every_ns = k->every_ns;
   if (this->arrival == ARRIVAL_BURST && k->burst != this->burst) {
      /* a running burst keeps what it already emitted; the rest follows the new size */
      uint64_t done = this->burst - this->burst_left;
      this->burst_left = k->burst > done ? k->burst - done : 0;
   }
   this->burst = k->burst;
   this->arrival = k->arrival;
}

static void sim_destroy(Generator* g) {
   Sim* this = (Sim*)g;
   free(this->sensors);
   free(this);
}

static const GeneratorOps sim_ops = {
   .next = sim_next,
   .paused = sim_paused,
   .retune = sim_retune,
   .destroy = sim_destroy,
   .due = sim_due,
};

Generator* Sim_new(const Setup* o) {
   return Sim_newFirst(o, o->sensors);
}

Generator* Sim_newFirst(const Setup* o, uint32_t n) {
   Sim* this = xcalloc(1, sizeof *this);
   this->base.ops = &sim_ops;
   uint32_t space = sim_idSpace(o);
   Rng model;
   Rng_seed(&model, o->seed);
   this->n_sensors = n < o->sensors ? n : o->sensors;
   this->sensors = xcalloc(this->n_sensors, sizeof *this->sensors);
   for (uint32_t i = 0; i < this->n_sensors; i++) {
      SimSensor* s = &this->sensors[i];
      s->id = Sim_sensorId(i, space);
      s->baseline = 20.0 + 80.0 * Rng_uniform(&model);
      s->amplitude = 0.5 + 4.5 * Rng_uniform(&model);
      s->omega = 2 * M_PI / (60.0 + 540.0 * Rng_uniform(&model));
      s->phase = 2 * M_PI * Rng_uniform(&model);
      s->sigma = 0.2 + 1.8 * Rng_uniform(&model);
   }
   Rng_seed(&this->rng, o->seed * UINT64_C(0x9e3779b97f4a7c15) + 1);
   this->anomaly_rate = o->anomaly_rate;
   this->hot = o->hot;
   this->arrival = o->knobs.arrival;
   this->rate = o->knobs.rate;
   this->burst = o->knobs.burst;
   this->every_ns = o->knobs.every_ns;
   this->t_next = 0;
   this->burst_left = o->knobs.burst;
   this->burst_t = 0;
   return &this->base;
}
