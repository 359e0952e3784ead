/*
 * stage_format.c: stage 6, the sink: one CSV line per row appended to w->out,
 *    time_s,sensor,value,norm,mean,std,z,alert
 * time_s is (t_event - t0) in seconds, exact to the ns; sensor is the id, or
 * its name (quoted per RFC 4180 when needed) when the pipeline has names;
 * the other numbers are printed by numfmt (15 significant digits).
 *
 * Both variants write the same bytes with the same field writers. Naive:
 * each line is assembled with strcat and then strcat-ed onto the batch's
 * text, which makes strcat walk the whole text so far to find its end: the
 * batch costs O(n^2) in its length. Optimized: write at the tracked end.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "stage_impl.h"
#include "xalloc.h"

static size_t format_time(const Pipeline* p, const Row* r, char* o) {
   /* the difference in unsigned arithmetic: defined even at the extremes */
   return Numfmt_seconds(o, (int64_t)((uint64_t)r->rec.t_event - (uint64_t)p->params.t0));
}

static size_t format_sensor(const Pipeline* p, const Row* r, char* o) {
   uint32_t s = r->rec.sensor;
   if (p->name_field && p->name_field[s]) {
      size_t len = strlen(p->name_field[s]);
      memcpy(o, p->name_field[s], len + 1);
      return len;
   }
   return Numfmt_u64(o, s);
}

/* Writes the row's line at o (room: Pipeline_lineMax) and returns its end. */
static char* format_line(const Pipeline* p, const Row* r, char* o) {
   o += format_time(p, r, o);
   *o++ = ',';
   o += format_sensor(p, r, o);
   *o++ = ',';
   o += Numfmt_double(o, r->rec.value);
   *o++ = ',';
   o += Numfmt_double(o, r->norm);
   *o++ = ',';
   o += Numfmt_double(o, r->mean);
   *o++ = ',';
   o += Numfmt_double(o, r->std);
   *o++ = ',';
   o += Numfmt_double(o, r->z);
   *o++ = ',';
   *o++ = r->alert ? '1' : '0';
   *o++ = '\n';
   *o = '\0';
   return o;
}

void Stage_formatOptimized(Pipeline* p, Work* w, const Batch* b) {
   (void)b;
   OutBuf* out = &w->out;
   OutBuf_reserve(out, (size_t)w->nrows * Pipeline_lineMax(p));
   char* o = out->buf + out->len;
   for (uint32_t i = 0; i < w->nrows; i++)
      o = format_line(p, &w->rows[i], o);
   out->len = (size_t)(o - out->buf);
}

void Stage_formatNaive(Pipeline* p, Work* w, const Batch* b) {
   (void)b;
   OutBuf* out = &w->out;
   size_t line_max = Pipeline_lineMax(p);
   OutBuf_reserve(out, (size_t)w->nrows * line_max);
   char* line = xmalloc(line_max);
   char field[NUMFMT_MAX > 8 ? NUMFMT_MAX : 8];
   for (uint32_t i = 0; i < w->nrows; i++) {
      const Row* r = &w->rows[i];
      const double numbers[5] = {r->rec.value, r->norm, r->mean, r->std, r->z};
      format_time(p, r, field);
      strcpy(line, field);
      strcat(line, ",");
      if (p->name_field && p->name_field[r->rec.sensor]) {
         strcat(line, p->name_field[r->rec.sensor]);
      } else {
         format_sensor(p, r, field);
         strcat(line, field);
      }
      for (int f = 0; f < 5; f++) {
         strcat(line, ",");
         Numfmt_double(field, numbers[f]);
         strcat(line, field);
      }
      strcat(line, r->alert ? ",1\n" : ",0\n");
      strcat(out->buf, line);
   }
   free(line);
   out->len = strlen(out->buf);
}
