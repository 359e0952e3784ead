/* latencytable.c: the latency percentile view's lines (HdrHistogram's percentile labels, two columns). */
#include "config.h"

#include "ui/latencytable.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "base/units.h"

const char* const LatencyTable_origin =
    "Latency counts from each record's scheduled arrival to its completion, not from when the source took "
    "it in: a stalled or held-back pipeline cannot hide its queueing here (no coordinated omission).";

/* The rows: HdrHistogram's label, and the percentile it reads from a Percentiles. */
typedef struct LatencyRow {
   const char* label;
   size_t offset;
} LatencyRow;

static const LatencyRow latencytable_rows[LATENCYTABLE_LINES - 2] = {
    {"50.000%", offsetof(Percentiles, p50)},   {"90.000%", offsetof(Percentiles, p90)},
    {"99.000%", offsetof(Percentiles, p99)},   {"99.900%", offsetof(Percentiles, p999)},
    {"99.990%", offsetof(Percentiles, p9999)}, {"100.000%", offsetof(Percentiles, max)},
};

/* One cell: the duration at offset in p, or "-" when p counts no record. */
static void latencytable_cell(char* buf, size_t len, const Percentiles* p, size_t offset) {
   if (p->count == 0) {
      snprintf(buf, len, "-");
      return;
   }
   uint64_t ns = *(const uint64_t*)((const char*)p + offset);
   Units_formatDuration(buf, len, ns > INT64_MAX ? INT64_MAX : (int64_t)ns);
}

/* A heading's span: "last 5.00 s". */
static void latencytable_span(char* buf, size_t len, const char* what, double s) {
   char d[24] = "-";
   if (isfinite(s) && s > 0)
      Units_formatDuration(d, sizeof d, (int64_t)llround(s * 1e9));
   snprintf(buf, len, "%s %s", what, d);
}

void LatencyTable_lines(const Percentiles* window, double window_s, const Percentiles* total, double run_s,
                        char lines[LATENCYTABLE_LINES][LATENCYTABLE_WIDTH]) {
   char a[32], b[32];
   latencytable_span(a, sizeof a, "last", window_s);
   latencytable_span(b, sizeof b, "whole run", run_s);
   snprintf(lines[0], LATENCYTABLE_WIDTH, "%10s %16s %18s", "percentile", a, b);
   for (int r = 0; r < LATENCYTABLE_LINES - 2; r++) {
      const LatencyRow* row = &latencytable_rows[r];
      latencytable_cell(a, sizeof a, window, row->offset);
      latencytable_cell(b, sizeof b, total, row->offset);
      snprintf(lines[1 + r], LATENCYTABLE_WIDTH, "%10s %16s %18s%s", row->label, a, b,
               row->offset == offsetof(Percentiles, max) ? "  max" : "");
   }
   Units_formatCount(a, sizeof a, (double)window->count);
   Units_formatCount(b, sizeof b, (double)total->count);
   snprintf(lines[LATENCYTABLE_LINES - 1], LATENCYTABLE_WIDTH, "%10s %16s %18s", "records", a, b);
}

const char* LatencyTable_note(const Percentiles* window, const Percentiles* total) {
   bool few = (window->count > 0 && window->count < LATENCYTABLE_P9999_RECORDS) ||
              (total->count > 0 && total->count < LATENCYTABLE_P9999_RECORDS);
   return few ? "A column of fewer than 10,000 records has no record beyond its 99.990%: there it is the max." : NULL;
}
