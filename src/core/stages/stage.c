/*
 * stage.c: the stage table, the Pipeline (parameters, derived tables, sensor
 * states) and a worker's Work. The stages themselves are in stage_<name>.c.
 */
#include "config.h"

#include "core/stages/stage.h"

#include <stdlib.h>
#include <string.h>

#include "base/isotime.h"
#include "base/numfmt.h"
#include "core/stages/stage_impl.h"
#include "base/xalloc.h"

const char* const FilterReason_names[FILTER_LAST] = {"not_allowed", "not_finite", "out_of_range",
                                                             "missing"};

const StageDef Stage_table[STAGE_LAST] = {
   [STAGE_FILTER] = {
      .name = "filter",
      .naive = "scans the allowlist array for every record",
      .optimized = "tests one bit of a bitmap over the sensor ids",
      .run = {Stage_filterNaive, Stage_filterOptimized},
   },
   [STAGE_NORMALIZE] = {
      .name = "normalize",
      .naive = "searches the calibration table for every record",
      .optimized = "reads the calibration from an index by sensor id",
      .run = {Stage_normalizeNaive, Stage_normalizeOptimized},
   },
   [STAGE_ENRICH] = {
      .name = "enrich",
      .naive = "recomputes the sensor's metadata hash for every record",
      .optimized = "keeps recent metadata in a bounded LRU cache",
      .run = {Stage_enrichNaive, Stage_enrichOptimized},
   },
   [STAGE_FEATURE] = {
      .name = "feature",
      .naive = "two exact passes over the whole window per record: O(W)",
      .optimized = "exact running sums, updated in O(1)",
      .run = {Stage_featureNaive, Stage_featureOptimized},
   },
   [STAGE_SCORE] = {
      .name = "score",
      .naive = "grows the alert list one entry at a time, atomic add per alert",
      .optimized = "reserves the batch's alert room once, plain counter store",
      .run = {Stage_scoreNaive, Stage_scoreOptimized},
   },
   [STAGE_FORMAT] = {
      .name = "format",
      .naive = "strcat per field: rescans the batch text, quadratic",
      .optimized = "appends at the tracked end of the text",
      .run = {Stage_formatNaive, Stage_formatOptimized},
   },
};

int Stage_byName(const char* name) {
   for (int s = 0; s < STAGE_LAST; s++)
      if (strcmp(Stage_table[s].name, name) == 0)
         return s;
   return -1;
}

const char* Variant_name(Variant v) {
   switch (v) {
   case VARIANT_NAIVE:
      return "naive";
   case VARIANT_OPTIMIZED:
      return "optimized";
   default:
      return "?";
   }
}

void OutBuf_reserve(OutBuf* out, size_t extra) {
   size_t need = out->len + extra + 1;
   if (need <= out->cap)
      return;
   size_t cap = out->cap ? out->cap : 4096;
   while (cap < need)
      cap *= 2;
   out->buf = xrealloc(out->buf, cap);
   out->cap = cap;
}

/* name as one CSV field: quoted (with quotes doubled) when it holds a
 * delimiter, a quote or a line break, as RFC 4180 asks. */
static char* stage_csvField(const char* name) {
   if (!strpbrk(name, ",\"\r\n"))
      return xstrdup(name);
   size_t len = strlen(name), quotes = 0;
   for (const char* c = name; *c; c++)
      quotes += *c == '"';
   char* field = xmalloc(len + quotes + 3);
   char* o = field;
   *o++ = '"';
   for (const char* c = name; *c; c++) {
      if (*c == '"')
         *o++ = '"';
      *o++ = *c;
   }
   *o++ = '"';
   *o = '\0';
   return field;
}

Pipeline* Pipeline_new(const PipelineParams* params) {
   Pipeline* this = xcalloc(1, sizeof(Pipeline));
   this->params = *params;
   uint32_t ids = params->id_space;

   if (params->allow) {
      this->allow = xmalloc(((size_t)params->n_allow + 1) * sizeof(uint32_t));
      memcpy(this->allow, params->allow, (size_t)params->n_allow * sizeof(uint32_t));
      this->params.allow = this->allow;
      this->allow_bits = xcalloc(((size_t)ids + 63) / 64 + 1, sizeof(uint64_t));
      for (uint32_t i = 0; i < params->n_allow; i++)
         if (params->allow[i] < ids)
            this->allow_bits[params->allow[i] / 64] |= UINT64_C(1) << (params->allow[i] % 64);
   } else {
      this->params.n_allow = 0;
   }

   this->cal = xmalloc(((size_t)params->n_cal + 1) * sizeof(CalEntry));
   if (params->n_cal)
      memcpy(this->cal, params->cal, (size_t)params->n_cal * sizeof(CalEntry));
   this->params.cal = this->cal;
   this->cal_index = xmalloc(((size_t)ids + 1) * sizeof(CalSlot));
   for (uint32_t s = 0; s < ids; s++)
      this->cal_index[s] = (CalSlot){0.0, 1.0};
   /* Backwards, so that the first entry of a sensor wins, as in the naive search. */
   for (uint32_t i = params->n_cal; i-- > 0;)
      if (params->cal[i].sensor < ids)
         this->cal_index[params->cal[i].sensor] = (CalSlot){params->cal[i].offset, params->cal[i].gain};

   if (params->names && params->names_grow) {
      /* the table is the replay's and grows: each name's field is made when its sensor first shows */
      this->live_names = params->names;
      this->name_field = xcalloc((size_t)ids + 1, sizeof(char*));
      this->name_field_max = 2 * PIPELINE_NAME_MAX + 2;
   } else if (params->names) {
      this->names = xcalloc((size_t)ids + 1, sizeof(char*));
      this->name_field = xcalloc((size_t)ids + 1, sizeof(char*));
      for (uint32_t s = 0; s < ids; s++) {
         if (!params->names[s])
            continue;
         this->names[s] = xstrdup(params->names[s]);
         this->name_field[s] = stage_csvField(params->names[s]);
         size_t len = strlen(this->name_field[s]);
         if (len > this->name_field_max)
            this->name_field_max = len;
      }
      this->params.names = (const char* const*)this->names;
   }

   if (this->params.window < 1)
      this->params.window = 1;
   if (this->params.window > KEEPUP_WINDOW_MAX)
      this->params.window = KEEPUP_WINDOW_MAX;
   atomic_init(&this->window, this->params.window);
   /* calloc: pages of sensors never seen are never touched */
   this->sensor = xcalloc((size_t)ids + 1, sizeof(SensorState));
   return this;
}

void Pipeline_delete(Pipeline* this) {
   if (!this)
      return;
   uint32_t ids = this->params.id_space;
   for (uint32_t s = 0; s < ids; s++)
      free(this->sensor[s].ring);
   free(this->sensor);
   if (this->name_field) {
      for (uint32_t s = 0; s < ids; s++) {
         if (this->names)
            free(this->names[s]);
         free(this->name_field[s]);
      }
   }
   free(this->names);
   free(this->name_field);
   free(this->cal_index);
   free(this->cal);
   free(this->allow_bits);
   free(this->allow);
   free(this);
}

const PipelineParams* Pipeline_params(const Pipeline* this) {
   return &this->params;
}

void Pipeline_setWindow(Pipeline* this, uint32_t window) {
   if (window < 1)
      window = 1;
   if (window > KEEPUP_WINDOW_MAX)
      window = KEEPUP_WINDOW_MAX;
   atomic_store_explicit(&this->window, window, memory_order_relaxed);
}

const char* Pipeline_nameField(Pipeline* this, uint32_t sensor) {
   if (!this->name_field || sensor >= this->params.id_space)
      return NULL;
   char* field = this->name_field[sensor];
   if (!field && this->live_names && this->live_names[sensor]) {
      /* only the worker holding the sensor's partition gets here: no other thread writes this slot */
      field = stage_csvField(this->live_names[sensor]);
      this->name_field[sensor] = field;
   }
   return field;
}

uint32_t Pipeline_window(const Pipeline* this) {
   return atomic_load_explicit(&this->window, memory_order_relaxed);
}

uint64_t Pipeline_sensorAlerts(const Pipeline* this, uint32_t sensor) {
   if (sensor >= this->params.id_space)
      return 0;
   return atomic_load_explicit(&this->sensor[sensor].alerts, memory_order_relaxed);
}

static const char stage_header[] = "time_s,sensor,value,norm,mean,std,z,alert\n";
static const char stage_headerIso[] = "time_s,time_iso,sensor,value,norm,mean,std,z,alert\n";

void Pipeline_formatHeader(const Pipeline* this, OutBuf* out) {
   bool iso = this->params.time_iso != PIPELINE_ISO_NONE;
   const char* h = iso ? stage_headerIso : stage_header;
   size_t size = iso ? sizeof stage_headerIso : sizeof stage_header;
   OutBuf_reserve(out, size);
   memcpy(out->buf + out->len, h, size);
   out->len += size - 1;
}

size_t Pipeline_lineMax(const Pipeline* this) {
   /* time, value, norm, mean, std, z: numbers; sensor: a number or a name;
    * 7 commas, the alert digit, the newline */
   size_t name = this->name_field_max > NUMFMT_MAX ? this->name_field_max : NUMFMT_MAX;
   size_t iso = this->params.time_iso != PIPELINE_ISO_NONE ? ISOTIME_MAX + 1 : 0;
   return 6 * NUMFMT_MAX + name + iso + 16;
}

void Work_init(Work* this, const Pipeline* p) {
   *this = (Work){0};
   OutBuf_reserve(&this->out, 4096);
   this->out.buf[0] = '\0';
   this->cache = xmalloc(sizeof(EnrichCache));
   Lru_init(&this->cache->lru, p->params.cache_capacity);
   this->window = Pipeline_window(p);
   this->single = Batch_new(1, 0);
}

void Work_done(Work* this) {
   free(this->rows);
   free(this->out.buf);
   if (this->cache) {
      Lru_done(&this->cache->lru);
      free(this->cache);
   }
   free(this->alerts);
   free(this->rowbox);
   Batch_delete(this->single);
   *this = (Work){0};
}

void Work_begin(Work* this, const Pipeline* p, uint32_t batch_n) {
   if (batch_n > this->cap) {
      uint32_t cap = this->cap ? this->cap : 64;
      while (cap < batch_n)
         cap = cap > UINT32_MAX / 2 ? batch_n : cap * 2;
      free(this->rows);
      this->rows = xmalloc((size_t)cap * sizeof(Row));
      this->cap = cap;
   }
   this->nrows = 0;
   this->first = 0;
   this->nalerts = 0;
   this->out.len = 0;
   this->out.buf[0] = '\0';
   this->window = Pipeline_window(p);
}

void Pipeline_runAll(Pipeline* this, Work* w, const Batch* b, const Variant variants[STAGE_LAST]) {
   Work_begin(w, this, b->n);
   for (int s = 0; s < STAGE_LAST; s++)
      Stage_table[s].run[variants[s]](this, w, b);
}
