/*
 * stage_format.c: stage 6, the sink: one CSV line per row appended to w->out,
 *    time_s,sensor,value,norm,mean,std,z,alert
 * time_s is the record's event time in seconds, exact to the ns, whatever the
 * pace it was played at: a replayed file's own time (seconds since 1970 for
 * date-times), the simulator's schedule since its start; with --output-time
 * iso a time_iso column follows it (base/isotime.h: a UTC date-time for a
 * replay, a duration since the start for the simulator); sensor is the id,
 * or its name (quoted per RFC 4180 when needed) when the pipeline has names;
 * the other numbers are printed by numfmt (15 significant digits).
 *
 * Both variants write the same bytes with the same field writers. Naive:
 * each field (with its comma) is strcat-ed onto the batch's text, and strcat
 * walks the whole text so far to find its end: a batch costs O(n^2) in its
 * length. Optimized: write at the tracked end.
 */
#include "config.h"

#include <string.h>

#include "base/isotime.h"
#include "base/numfmt.h"
#include "core/stages/stage_impl.h"

/* time_s, and with --output-time iso the time_iso field after it. */
static size_t format_time(const Pipeline* p, const Row* r, char* o) {
   size_t n = Numfmt_seconds(o, r->rec.t_event);
   PipelineTimeIso iso = p->params.time_iso;
   if (iso == PIPELINE_ISO_NONE)
      return n;
   o[n++] = ',';
   return n + (iso == PIPELINE_ISO_DATE ? IsoTime_date : IsoTime_duration)(o + n, r->rec.t_event);
}

static size_t format_sensor(Pipeline* p, const Row* r, char* o) {
   uint32_t s = r->rec.sensor;
   const char* field = Pipeline_nameField(p, s);
   if (field) {
      size_t len = strlen(field);
      memcpy(o, field, len + 1);
      return len;
   }
   return Numfmt_u64(o, s);
}

/* Writes the row's line at o (room: Pipeline_lineMax) and returns its end. */
char* Stage_formatLine(Pipeline* p, const Row* r, char* o) {
   o += format_time(p, r, o);
   *o++ = ',';
   o += format_sensor(p, r, o);
   *o++ = ',';
   const double numbers[5] = {r->rec.value, r->norm, r->mean, r->std, r->z};
   o += Numfmt_doubles(o, numbers, 5, ',');
   *o++ = ',';
   *o++ = r->alert ? '1' : '0';
   *o++ = '\n';
   *o = '\0';
   return o;
}

void Stage_formatOptimized(Pipeline* p, Work* w, const Batch* b) {
   (void)b;
   OutBuf* out = &w->out;
   OutBuf_reserve(out, (size_t)(w->nrows - w->first) * Pipeline_lineMax(p));
   char* o = out->buf + out->len;
   for (uint32_t i = w->first; i < w->nrows; i++)
      o = Stage_formatLine(p, &w->rows[i], o);
   out->len = (size_t)(o - out->buf);
}

void Stage_formatNaive(Pipeline* p, Work* w, const Batch* b) {
   (void)b;
   OutBuf* out = &w->out;
   OutBuf_reserve(out, (size_t)(w->nrows - w->first) * Pipeline_lineMax(p));
   char field[NUMFMT_MAX + ISOTIME_MAX + 2];
   for (uint32_t i = w->first; i < w->nrows && !Work_stopAt(w, i); i++) {
      const Row* r = &w->rows[i];
      /* every strcat walks the whole text so far to find where it ends */
      format_time(p, r, field);
      strcat(out->buf, field);
      const char* name = Pipeline_nameField(p, r->rec.sensor);
      if (name) {
         strcat(out->buf, ",");
         strcat(out->buf, name);
      } else {
         field[0] = ',';
         format_sensor(p, r, field + 1);
         strcat(out->buf, field);
      }
      const double numbers[5] = {r->rec.value, r->norm, r->mean, r->std, r->z};
      for (int f = 0; f < 5; f++) {
         field[0] = ',';
         Numfmt_double(field + 1, numbers[f]);
         strcat(out->buf, field);
      }
      strcat(out->buf, r->alert ? ",1\n" : ",0\n");
   }
   out->len = strlen(out->buf);
}
