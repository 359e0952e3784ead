/* metricscsv.c: --metrics-csv's file, header and snapshot rows, for the headless loop and the dashboard. */
#include "config.h"

#include "app/metricscsv.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "base/fileopen.h"
#include "base/numfmt.h"

FILE* MetricsCsv_open(const char* path) {
   char why[256];
   int fd = FileOpen_write(path, why, sizeof why);
   FILE* f = fd >= 0 ? fdopen(fd, "w") : NULL;
   if (!f) {
      if (fd >= 0) {
         snprintf(why, sizeof why, "%s", strerror(errno));
         close(fd);
      }
      fprintf(stderr, "keepup: --metrics-csv '%s': cannot write: %s\n", path, why);
   }
   return f;
}

void MetricsCsv_header(FILE* f) {
   fprintf(f, "time_s,generated,processed,filtered,dropped,queued,in_flight,backlog_records,backlog_bytes,"
              "oldest_age_s,event_lag_s,in_rate,out_rate,backlog_rate,latency_p50_s,latency_p99_s,latency_max_s,"
              "alerts,alert_rate,batch,threads");
   for (int s = 0; s < STAGE_LAST; s++)
      fprintf(f, ",%s_share", Stage_table[s].name);
   fprintf(f,
           ",rss_bytes,offered,held_back,held_back_age_s,admitted_rate,handoff_share,busy_cpu,busy_wall,event_time_s,"
           "replay_rows,replay_bytes,replay_percent,replay_rows_per_s,replay_eta_s\n");
}

/* A replay's columns (empty for the simulator, and where a figure is unknown). */
static void metricscsv_replay(FILE* f, const ReplayPosition* pos, const ReplayProgress* progress) {
   if (!pos) {
      fprintf(f, ",,,,,");
      return;
   }
   fprintf(f, ",%" PRIu64 ",%" PRIu64 ",", pos->rows, pos->bytes);
   if (pos->percent >= 0)
      fprintf(f, "%.3f", pos->percent);
   fprintf(f, ",%.1f,", ReplayProgress_rowRate(progress));
   int64_t eta = ReplayProgress_eta(progress, pos);
   if (eta >= 0)
      fprintf(f, "%.3f", (double)eta / 1e9);
}

void MetricsCsv_row(FILE* f, const Snapshot* s, const ReplayPosition* pos, const ReplayProgress* progress) {
   fprintf(f,
           "%.3f,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
           ",%.6f,%.6f,%.1f,%.1f,%.1f,%.9f,%.9f,%.9f,%" PRIu64 ",%.3f,%u,%u",
           s->uptime_s, s->generated, s->processed, s->filtered, s->dropped, s->queued, s->in_flight,
           s->backlog_records, s->backlog_bytes, (double)s->oldest_age_ns / 1e9, (double)s->event_lag_ns / 1e9,
           s->in_rate, s->out_rate, s->backlog_rate, (double)s->latency_window.p50 / 1e9,
           (double)s->latency_window.p99 / 1e9, (double)s->latency_window.max / 1e9, s->alerts, s->alert_rate,
           s->knobs.batch, s->knobs.threads);
   for (int st = 0; st < STAGE_LAST; st++)
      fprintf(f, ",%.4f", s->stage[st].share);
   fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.6f,%.1f,%.4f,%.3f,%.3f,", s->rss_bytes, s->offered, s->held_back,
           (double)s->held_back_age_ns / 1e9, s->admitted_rate, s->handoff_share, s->busy, s->busy_wall);
   if (s->event_done != INT64_MIN) {
      char t[NUMFMT_MAX];
      Numfmt_seconds(t, s->event_done);
      fputs(t, f);
   }
   metricscsv_replay(f, pos, progress);
   fputc('\n', f);
}
