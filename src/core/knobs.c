/*
 * knobs.c: the names of the shared enums, and the knob table with what it
 * takes to read, step and write a knob from its row alone.
 */
#include "config.h"

#include "core/knobs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/units.h"
#include "core/boxed.h"

const char* const Arrival_names[ARRIVAL_LAST] = {"burst", "steady", "poisson"};
const char* const Overflow_names[OVERFLOW_LAST] = {"block", "drop-oldest", "drop-newest", "grow"};
const char* const Dispatch_names[DISPATCH_LAST] = {"batch", "record", "fused"};
const char* const RecordLayout_names[LAYOUT_LAST] = {"packed", "boxed"};
const char* const DropReason_names[DROP_LAST] = {"drop_oldest", "drop_newest", "safety_cap", "scenario_switch"};
const char* const Scenario_names[SCENARIO_LAST + 1] = {"lecture", "amdahl", "batching", "threads", "skew", "overflow",
                                                        "structure", "memory", "none"};

#define KNOB_AT(field) offsetof(Knobs, field)
#define NS_MS          1e6
#define NS_S           1e9

/* layers: table */
const KnobDef Knob_table[KNOB_LAST] = {
   [KNOB_BATCH] = {
      .name = "batch", .short_name = 'b', .arg = "N", .type = KNOB_TYPE_U32, .offset = KNOB_AT(batch),
      .min = 1, .max = KNOBS_BATCH_MAX, .def = 256, .def_text = "256",
      .step = KNOB_STEP_POW2, .unit = "rec/batch", .what = "the batch size", .key_down = 'b', .key_up = 'B',
      .live = true, .help = "records per batch handed to a worker", .group = "Queue and workers",
   },
   [KNOB_LINGER] = {
      .name = "linger", .arg = "DUR", .type = KNOB_TYPE_DURATION, .offset = KNOB_AT(linger_ns),
      .min = 0, .max = (double)KNOBS_LINGER_MAX_NS, .def = 5 * NS_MS, .def_text = "5ms",
      .step = KNOB_STEP_125, .step_lo = 0.1 * NS_MS, .step_hi = (double)KNOBS_LINGER_MAX_NS,
      .what = "the linger", .key_down = 'l', .key_up = 'L', .live = true,
      .help = "flush a partial batch once its first record is this old", .group = "Queue and workers",
   },
   [KNOB_THREADS] = {
      .name = "threads", .short_name = 't', .arg = "N", .type = KNOB_TYPE_U32, .offset = KNOB_AT(threads),
      .min = 1, .max = KNOBS_THREADS_MAX, .def = 1, .def_text = "1",
      .step = KNOB_STEP_ONE, .what = "the worker threads", .key_down = 't', .key_up = 'T', .live = true,
      .help = "worker threads", .group = "Queue and workers",
   },
   [KNOB_ARRIVAL] = {
      .name = "arrival", .short_name = 'a', .arg = "MODE", .type = KNOB_TYPE_ENUM, .offset = KNOB_AT(arrival),
      .def = ARRIVAL_STEADY, .def_text = "steady", .names = Arrival_names, .n_names = ARRIVAL_LAST,
      .what = "the arrival pattern", .help = "arrival pattern: burst, steady or poisson", .group = "Simulated source",
   },
   [KNOB_RATE] = {
      .name = "rate", .short_name = 'r', .arg = "R", .type = KNOB_TYPE_RATE, .offset = KNOB_AT(rate),
      .min = 1, .max = KNOBS_RATE_MAX, .def = 200000, .def_text = "200k",
      .step = KNOB_STEP_FINE, .unit = "rec/s", .what = "the arrival rate", .key_down = '-', .key_up = '+', .live = true,
      .help = "records per second (--arrival steady or poisson)", .group = "Simulated source",
   },
   [KNOB_BURST] = {
      .name = "burst", .arg = "N", .type = KNOB_TYPE_U64, .offset = KNOB_AT(burst),
      .min = 1, .max = (double)KNOBS_BURST_MAX, .def = 50000, .def_text = "50k",
      .step = KNOB_STEP_FINE, .unit = "rec", .what = "the burst size", .key_down = '-', .key_up = '+', .live = true,
      .help = "records per burst (--arrival burst)", .group = "Simulated source",
   },
   [KNOB_EVERY] = {
      .name = "every", .arg = "DUR", .type = KNOB_TYPE_DURATION, .offset = KNOB_AT(every_ns),
      .min = (double)KNOBS_EVERY_MIN_NS, .max = (double)KNOBS_EVERY_MAX_NS, .def = 10 * NS_S, .def_text = "10s",
      .step = KNOB_STEP_125, .step_lo = (double)KNOBS_EVERY_MIN_NS, .step_hi = (double)KNOBS_EVERY_MAX_NS,
      .what = "the burst period", .live = true,
      .help = "time between bursts (--arrival burst)", .group = "Simulated source",
   },
   [KNOB_WINDOW] = {
      .name = "window", .short_name = 'w', .arg = "W", .type = KNOB_TYPE_U32, .offset = KNOB_AT(window),
      .min = 1, .max = KNOBS_WINDOW_MAX, .def = 100, .def_text = "100",
      .step = KNOB_STEP_FINE, .unit = "rec/sensor", .what = "the rolling window", .key_down = 'w', .key_up = 'W',
      .live = true, .help = "records per sensor in the rolling window", .group = "Stages",
   },
   [KNOB_DISPATCH] = {
      .name = "dispatch", .arg = "SHAPE", .type = KNOB_TYPE_ENUM, .offset = KNOB_AT(dispatch),
      .def = DISPATCH_BATCH, .def_text = "batch", .names = Dispatch_names, .n_names = DISPATCH_LAST,
      .step = KNOB_STEP_CYCLE, .what = "the dispatch", .key_down = 'X', .key_up = 'x', .live = true,
      .help = "batch (stage by stage), record (each record alone through the chain) or fused (one loop)",
      .group = "Stages",
   },
   [KNOB_LAYOUT] = {
      .name = "layout", .arg = "LAYOUT", .type = KNOB_TYPE_ENUM, .offset = KNOB_AT(layout),
      .def = LAYOUT_PACKED, .def_text = "packed", .names = RecordLayout_names, .n_names = LAYOUT_LAST,
      .step = KNOB_STEP_CYCLE, .what = "the record layout", .key_down = 'Y', .key_up = 'y', .live = true,
      .help = "queued records packed (32 bytes each in their batch) or boxed (each its own object with a field map)",
      .group = "Queue and workers",
   },
   [KNOB_OVERFLOW] = {
      .name = "overflow", .arg = "POLICY", .type = KNOB_TYPE_ENUM, .offset = KNOB_AT(overflow),
      .def = OVERFLOW_BLOCK, .def_text = "block", .names = Overflow_names, .n_names = OVERFLOW_LAST,
      .step = KNOB_STEP_CYCLE, .what = "the overflow policy", .key_down = 'P', .key_up = 'p', .live = true,
      .help = "at the cap: block, drop-oldest, drop-newest or grow", .group = "Queue and workers",
   },
   [KNOB_SPEED] = {
      .name = "speed", .arg = "X|max", .type = KNOB_TYPE_SPEED, .offset = KNOB_AT(speed),
      .min = KNOBS_SPEED_MIN, .max = KNOBS_SPEED_MAX, .def = 1, .def_text = "1",
      .step = KNOB_STEP_DOUBLE, .step_lo = 1.0 / 64, .step_hi = 524288,
      .what = "the replay speed", .key_down = '[', .key_up = ']', .live = true,
      .help = "replay at X times the file's pace; max: as fast as possible", .group = "Record and replay",
   },
   [KNOB_DISPATCH_COST] = {
      .name = "dispatch-cost", .arg = "DUR", .type = KNOB_TYPE_DURATION, .offset = KNOB_AT(dispatch_cost_ns),
      .min = 0, .max = (double)KNOBS_COST_MAX_NS, .def = 0, .def_text = "0",
      .unit = "per batch", .what = "the dispatch cost", .live = true,
      .help = "simulated CPU work per batch hand-off (real work, labelled simulated)", .group = "Teaching",
   },
   [KNOB_STALE_LIMIT] = {
      .name = "stale-limit", .arg = "DUR", .type = KNOB_TYPE_DURATION, .offset = KNOB_AT(stale_limit_ns),
      .min = 1 * NS_MS, .max = 86400 * NS_S, .def = 60 * NS_S, .def_text = "60s",
      .what = "the staleness limit", .help = "staleness limit the forecast counts down to", .group = "Teaching",
   },
};

void Knobs_initDefaults(Knobs* k) {
   for (int i = 0; i < KNOB_LAST; i++)
      Knobs_set(k, (KnobId)i, Knob_table[i].def);
}

double Knobs_get(const Knobs* k, KnobId id) {
   const KnobDef* d = &Knob_table[id];
   const char* p = (const char*)k + d->offset;
   switch (d->type) {
   case KNOB_TYPE_U32:
      return (double)*(const uint32_t*)(const void*)p;
   case KNOB_TYPE_U64:
      return (double)*(const uint64_t*)(const void*)p;
   case KNOB_TYPE_RATE:
   case KNOB_TYPE_SPEED:
      return *(const double*)(const void*)p;
   case KNOB_TYPE_DURATION:
      return (double)*(const int64_t*)(const void*)p;
   case KNOB_TYPE_ENUM:
      return (double)*(const int*)(const void*)p;
   }
   return 0;
}

void Knobs_set(Knobs* k, KnobId id, double v) {
   const KnobDef* d = &Knob_table[id];
   char* p = (char*)k + d->offset;
   if (isnan(v))
      return;
   bool zero_ok = d->type == KNOB_TYPE_SPEED && v == 0; /* "max" */
   if (d->type == KNOB_TYPE_ENUM) {
      v = v < 0 ? 0 : v >= d->n_names ? d->n_names - 1 : v;
   } else if (!zero_ok) {
      v = v < d->min ? d->min : v > d->max ? d->max : v;
   }
   switch (d->type) {
   case KNOB_TYPE_U32:
      *(uint32_t*)(void*)p = (uint32_t)llround(v);
      break;
   case KNOB_TYPE_U64:
      *(uint64_t*)(void*)p = (uint64_t)llround(v);
      break;
   case KNOB_TYPE_RATE:
   case KNOB_TYPE_SPEED:
      *(double*)(void*)p = v;
      break;
   case KNOB_TYPE_DURATION:
      *(int64_t*)(void*)p = (int64_t)llround(v);
      break;
   case KNOB_TYPE_ENUM:
      *(int*)(void*)p = (int)v;
      break;
   }
}

/* About x1.25 a step, all round numbers. */
static const double knobs_fine[] = {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8};
static const double knobs_125[] = {1, 2, 5};

double Knob_stepSeries(double v, int dir, const double* mantissas, int n, double lo, double hi) {
   if (dir == 0 || !isfinite(v))
      return v;
   /* walk the series around v's decade; compare with a relative tolerance so
    * values that are already on the series move by exactly one step */
   double decade = pow(10, floor(log10(v > 0 ? v : lo)));
   double best = dir > 0 ? hi : lo;
   for (int d = -1; d <= 1; d++) {
      double p = decade * pow(10, d);
      for (int i = 0; i < n; i++) {
         double c = mantissas[i] * p;
         if (dir > 0 && c > v * (1 + 1e-9) && c < best)
            best = c;
         if (dir < 0 && c < v * (1 - 1e-9) && c > best)
            best = c;
      }
   }
   if (best < lo)
      best = lo;
   if (best > hi)
      best = hi;
   return best;
}

static double knob_stepPow2(const KnobDef* d, double v, int dir) {
   double b = 1;
   if (dir > 0) {
      while (b <= v && b < d->max)
         b *= 2;
      return b > d->max ? d->max : b;
   }
   if (v <= 1)
      return 1;
   while (b * 2 < v) /* the largest power of two below v */
      b *= 2;
   return b;
}

static double knob_step125(const KnobDef* d, double v, int dir) {
   if (dir > 0 && v < d->step_lo)
      return d->step_lo;
   if (dir < 0 && v <= d->step_lo)
      return d->min < d->step_lo ? d->min : d->step_lo;
   return llround(Knob_stepSeries(v, dir, knobs_125, 3, d->step_lo, d->step_hi));
}

static double knob_stepDouble(const KnobDef* d, double v, int dir) {
   if (!(v > 0))
      return dir > 0 ? 0 : d->step_hi;
   if (dir > 0)
      return v >= d->step_hi ? 0 : fmin(v * 2, d->step_hi);
   return fmax(v / 2, d->step_lo);
}

double Knob_step(KnobId id, double v, int dir) {
   const KnobDef* d = &Knob_table[id];
   if (dir == 0)
      return v;
   switch (d->step) {
   case KNOB_STEP_NONE:
      return v;
   case KNOB_STEP_POW2:
      return knob_stepPow2(d, v, dir);
   case KNOB_STEP_ONE:
      return dir > 0 ? fmin(v + 1, d->max) : fmax(v - 1, d->min);
   case KNOB_STEP_FINE: {
      double n = Knob_stepSeries(v, dir, knobs_fine, 10, d->min, d->max);
      return d->type == KNOB_TYPE_RATE ? n : (double)llround(n);
   }
   case KNOB_STEP_125:
      return knob_step125(d, v, dir);
   case KNOB_STEP_DOUBLE:
      return knob_stepDouble(d, v, dir);
   case KNOB_STEP_CYCLE: {
      int p = (int)v + (dir < 0 ? -1 : 1);
      return p < 0 ? d->n_names - 1 : p >= d->n_names ? 0 : p;
   }
   }
   return v;
}

void Knob_format(KnobId id, double v, char* buf, size_t len) {
   const KnobDef* d = &Knob_table[id];
   switch (d->type) {
   case KNOB_TYPE_U32:
      snprintf(buf, len, "%.0f", v);
      break;
   case KNOB_TYPE_U64: /* a burst: as large as a count gets, so with a suffix */
   case KNOB_TYPE_RATE:
      Units_formatCount(buf, len, v);
      break;
   case KNOB_TYPE_DURATION:
      Units_formatDuration(buf, len, (int64_t)llround(v));
      break;
   case KNOB_TYPE_ENUM:
      snprintf(buf, len, "%s", v >= 0 && v < d->n_names ? d->names[(int)v] : "?");
      break;
   case KNOB_TYPE_SPEED:
      if (v > 0)
         snprintf(buf, len, "x%g", v);
      else
         snprintf(buf, len, "max");
      break;
   }
}

uint64_t Knobs_batchBytes(const Knobs* k, uint32_t batch) {
   if (k->layout == LAYOUT_BOXED)
      return Boxed_batchOverhead() + (uint64_t)batch * Boxed_queuedBytes();
   return Batch_bytes(batch);
}

uint32_t Knobs_batchMax(const Knobs* k) {
   uint64_t max = KNOBS_BATCH_MAX;
   if (k->max_backlog_records && k->max_backlog_records < max)
      max = k->max_backlog_records;
   if (k->max_backlog_bytes) {
      uint64_t head = Knobs_batchBytes(k, 0), per = Knobs_batchBytes(k, 1) - head;
      uint64_t fit = k->max_backlog_bytes > head ? (k->max_backlog_bytes - head) / per : 0;
      if (fit < max)
         max = fit;
   }
   return max > 0 ? (uint32_t)max : 1;
}

KnobId Knob_byName(const char* name) {
   for (int i = 0; i < KNOB_LAST; i++)
      if (strcmp(Knob_table[i].name, name) == 0)
         return (KnobId)i;
   return KNOB_LAST;
}
