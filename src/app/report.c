/* report.c: the JSON summary of a run, with the backlog trend and the verdict it reports. */
#include "config.h"

#include "app/report.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "base/numfmt.h"
#include "base/units.h"
#include "core/footprint.h"
#include "core/history.h"
#include "core/stages/stage.h"
#include "base/stats.h"
#include "base/xalloc.h"

#define REPORT_NAMES_MAX  1000 /* sensor names in the JSON summary */
#define REPORT_NAMES_TEXT 12   /* in the text summary */

double Report_backlogTrend(Engine* engine, bool held) {
   size_t max = ENGINE_HISTORY_SAMPLES;
   HistorySample* h = xmalloc(max * sizeof *h);
   size_t n = Engine_history(engine, h, max);
   StatsFit fit = {0};
   for (size_t i = 0; i < n; i++)
      Stats_fitAdd(&fit, (double)(h[i].t - h[0].t) / 1e9, h[i].backlog + (held ? h[i].held_back : 0));
   free(h);
   return Stats_fitSlope(&fit);
}

static void report_percentiles(FILE* out, const char* name, const Percentiles* p) {
   fprintf(out, "\"%s\":{\"count\":%" PRIu64 ",\"p50\":%.9f,\"p90\":%.9f,\"p99\":%.9f,\"p999\":%.9f,\"max\":%.9f}",
           name, p->count, (double)p->p50 / 1e9, (double)p->p90 / 1e9, (double)p->p99 / 1e9, (double)p->p999 / 1e9,
           (double)p->max / 1e9);
}

/* A JSON string: error texts come from strerror and file names, so escape them. */
static void report_string(FILE* out, const char* s) {
   fputc('"', out);
   for (const unsigned char* c = (const unsigned char*)s; *c; c++) {
      if (*c == '"' || *c == '\\')
         fprintf(out, "\\%c", *c);
      else if (*c < 0x20)
         fprintf(out, "\\u%04x", *c);
      else
         fputc(*c, out);
   }
   fputc('"', out);
}

/* The hand-off, the workers' CPUs, and the forecast with the window it shares with the verdict. */
static void report_analysis(FILE* out, const Snapshot* s, const Analysis* a) {
   fprintf(out,
           "\"handoff\":{\"ns_per_handoff\":%.1f,\"cpu_ns_per_handoff\":%.1f,\"records_per_handoff\":%.2f,"
           "\"share\":%.4f,\"stale_records\":%" PRIu64 "},",
           a->handoff_wall_ns, a->handoff_ns, a->batch, Analysis_handoffShare(a), s->done_stale);
   fprintf(out,
           "\"workers\":{\"threads\":%u,\"threads_cap\":%u,\"ncpu\":%u,\"busy\":%.3f,\"busy_wall\":%.3f,\"cpu_ratio\":%.3f,"
           "\"source_cpu\":%.3f,\"others_cpu\":%.3f,\"oversubscribed\":%s},",
           s->threads_running, s->threads_cap, s->ncpu, s->busy, s->busy_wall, s->cpu_ratio, s->source_cpu, s->others_cpu,
           Analysis_oversubscribed(a) ? "true" : "false");
   const Forecast* f = &a->forecast;
   fprintf(out,
           "\"forecast\":{\"capacity\":%.1f,\"utilization\":%.4f,\"cpu_ns_per_record\":%.1f,\"parallel\":%.3f,"
           "\"cpus_free\":%.3f,\"window_s\":%.3f,\"in_per_s\":%.1f,\"out_per_s\":%.1f,\"growth_per_s\":%.1f,"
           "\"growth_predicted_per_s\":%.1f,\"cap_records\":%.0f,\"cap_in_s\":",
           f->capacity, f->utilization, f->cpu_ns, f->parallel, a->cpus_free, a->window_s, a->arrival,
           a->window_s > 0 ? a->verdict.last.out_rate : s->out_rate, a->growth_measured, a->growth_predicted,
           s->backlog_cap_records);
   if (isfinite(f->t_cap_s))
      fprintf(out, "%.3f},", f->t_cap_s);
   else
      fprintf(out, "null},");
}

/* The knobs that shaped this run: the simulator's workload, or a replay's speed and files' own. */
static void report_knobs(FILE* out, const Run* run, const Knobs* k) {
   const Options* o = &run->options;
   fprintf(out, "\"knobs\":{");
   if (run->replay && k->speed > 0)
      fprintf(out, "\"speed\":%.17g,", k->speed);
   else if (run->replay)
      fprintf(out, "\"speed\":\"max\",");
   else
      fprintf(out,
              "\"sensors\":%u,\"arrival\":\"%s\",\"rate\":%.1f,\"burst\":%" PRIu64 ",\"every_s\":%.6f,\"seed\":%" PRIu64
              ",\"allowlist\":%u,",
              o->setup.sensors, Arrival_names[k->arrival], k->rate, k->burst, (double)k->every_ns / 1e9, o->setup.seed,
              o->setup.allowlist);
   fprintf(out,
           "\"batch\":%u,\"linger_s\":%.6f,\"threads\":%u,\"max_backlog_records\":%" PRIu64
           ",\"max_backlog_bytes\":%" PRIu64 ",\"safety_cap_bytes\":%" PRIu64 ",\"overflow\":\"%s\",\"dispatch\":\"%s\",\"layout\":\"%s\",\"window\":%u,"
           "\"threshold\":%g,\"cache\":%u,\"paused\":%s,\"variants\":{",
           k->batch, (double)k->linger_ns / 1e9, k->threads, k->max_backlog_records, k->max_backlog_bytes,
           k->safety_cap_bytes, Overflow_names[k->overflow], Dispatch_names[k->dispatch], RecordLayout_names[k->layout], k->window, o->setup.threshold, o->setup.cache,
           k->paused ? "true" : "false");
   for (int st = 0; st < STAGE_LAST; st++)
      fprintf(out, "%s\"%s\":\"%s\"", st ? "," : "", Stage_table[st].name, Variant_name(k->variant[st]));
   fprintf(out, "}},");
}

/* A list of kept messages as a JSON array. */
static void report_messages(FILE* out, const char* const* msgs, size_t n) {
   fputc('[', out);
   for (size_t i = 0; i < n; i++) {
      if (i)
         fputc(',', out);
      report_string(out, msgs[i]);
   }
   fputc(']', out);
}

/* The first names of a replay's sensors, by id. */
static void report_sensorNames(FILE* out, const Replay* replay) {
   const char* const* names = Replay_names(replay);
   uint32_t n = Replay_sensors(replay);
   fputc('[', out);
   for (uint32_t i = 0; names && i < n && i < REPORT_NAMES_MAX; i++) {
      if (i)
         fputc(',', out);
      report_string(out, names[i] ? names[i] : "");
   }
   fputc(']', out);
}

static void report_replayFile(FILE* out, const ReplayFileStats* f) {
   fprintf(out, "{\"path\":");
   report_string(out, f->path);
   fprintf(out,
           ",\"stream\":%s,\"size\":%" PRIu64 ",\"bytes_read\":%" PRIu64 ",\"rows_read\":%" PRIu64
           ",\"rows_played\":%" PRIu64 ",\"records\":%" PRIu64 ",\"skipped\":%" PRIu64 ",\"empty\":%" PRIu64
           ",\"late\":%" PRIu64 ",\"late_dropped\":%" PRIu64 ",\"max_lateness_s\":%.9f}",
           f->stream ? "true" : "false", f->size, f->bytes, f->rows_read, f->rows_played, f->records, f->bad, f->empty,
           f->late, f->late_dropped, (double)f->max_lateness_ns / 1e9);
}

/* The replay: how it ended, its files and their counts, the sensors it named; null for the simulator. */
static void report_replay(FILE* out, Run* run) {
   if (!run->replay) {
      fprintf(out, "\"replay\":null,");
      return;
   }
   const Replay* r = run->replay;
   ReplayPosition pos;
   Replay_position(r, &pos);
   fprintf(out, "\"replay\":{\"state\":\"%s\",\"speed\":", Run_replayState(run));
   if (pos.speed > 0)
      fprintf(out, "%.17g", pos.speed);
   else
      fprintf(out, "\"max\"");
   fprintf(out,
           ",\"loops\":%" PRIu64 ",\"rows_played\":%" PRIu64 ",\"records\":%" PRIu64 ",\"bad_rows\":%" PRIu64
           ",\"late_rows\":%" PRIu64 ",\"gaps_cut\":%" PRIu64 ",\"gaps_saved_s\":%.9f,\"sensors\":%u,\"sensor_names\":",
           pos.loops, pos.rows, pos.records, pos.bad_rows, pos.late_rows, pos.gaps, (double)pos.gaps_saved_ns / 1e9,
           Replay_sensors(r));
   report_sensorNames(out, r);
   /* the dashboard's moves: rows a seek forward passed over are never played */
   fprintf(out,
           ",\"loop\":%s,\"seeks\":%" PRIu64 ",\"skipped_by\":{\"seek\":%" PRIu64 "},\"skipped_records_by\":{\"seek\":%" PRIu64
           "}",
           pos.loop ? "true" : "false", pos.seeks, pos.skipped_rows, pos.skipped_records);
   fprintf(out, ",\"files\":[");
   for (uint32_t i = 0; i < Replay_files(r); i++) {
      ReplayFileStats f;
      Replay_fileStats(r, i, &f);
      if (i)
         fputc(',', out);
      report_replayFile(out, &f);
   }
   const char* msgs[REPLAY_BAD_KEPT];
   size_t n = 0;
   Replay_badRows(r, msgs, REPLAY_BAD_KEPT, &n);
   fprintf(out, "],\"bad_first\":");
   report_messages(out, msgs, n);
   Replay_lateRows(r, msgs, REPLAY_BAD_KEPT, &n);
   fprintf(out, ",\"late_first\":");
   report_messages(out, msgs, n);
   fprintf(out, ",\"error\":");
   if (Replay_error(r))
      report_string(out, Replay_error(r));
   else
      fputs("null", out);
   fprintf(out, "},");
}

/* A time in the data's clock, in seconds as --output writes it; null when there is none yet. */
static void report_seconds(FILE* out, int64_t ns) {
   if (ns == INT64_MIN) {
      fputs("null", out);
      return;
   }
   char text[NUMFMT_MAX];
   Numfmt_seconds(text, ns);
   fputs(text, out);
}

/* Event time: the newest the source took in and the newest processed, and the lag between them. */
static void report_eventTime(FILE* out, const Snapshot* s) {
   fprintf(out, "\"event_time\":{\"read_s\":");
   report_seconds(out, s->event_read);
   fprintf(out, ",\"done_s\":");
   report_seconds(out, s->event_done);
   fprintf(out, ",\"lag_s\":%.9f},", (double)s->event_lag_ns / 1e9);
}

void Report_replayText(FILE* out, Run* run) {
   if (!run->replay)
      return;
   const Replay* r = run->replay;
   ReplayPosition pos;
   Replay_position(r, &pos);
   char speed[32];
   if (pos.speed > 0)
      snprintf(speed, sizeof speed, "x%g", pos.speed);
   else
      snprintf(speed, sizeof speed, "max");
   uint64_t read = 0, empty = 0;
   for (uint32_t i = 0; i < Replay_files(r); i++) {
      ReplayFileStats f;
      Replay_fileStats(r, i, &f);
      read += f.rows_read;
      empty += f.empty;
   }
   fprintf(out, "  replay    %s at %s: %u file%s, %" PRIu64 " rows read, %" PRIu64 " played (%" PRIu64 " records), %" PRIu64
                " bad, %" PRIu64 " empty, %" PRIu64 " late",
           Run_replayState(run), speed, Replay_files(r), Replay_files(r) == 1 ? "" : "s", read, pos.rows, pos.records,
           pos.bad_rows, empty, pos.late_rows);
   if (pos.loops)
      fprintf(out, ", %" PRIu64 " loops", pos.loops);
   if (pos.seeks)
      fprintf(out, ", %" PRIu64 " restarts and seeks (%" PRIu64 " rows skipped by seek)", pos.seeks, pos.skipped_rows);
   if (pos.gaps) {
      char saved[32];
      Units_formatDuration(saved, sizeof saved, pos.gaps_saved_ns);
      fprintf(out, ", %" PRIu64 " gaps cut to --max-gap (%s saved)", pos.gaps, saved);
   }
   fputc('\n', out);
   const char* const* names = Replay_names(r);
   uint32_t n = Replay_sensors(r);
   fprintf(out, "  sensors   %u", n);
   for (uint32_t i = 0; names && i < n && i < REPORT_NAMES_TEXT; i++)
      fprintf(out, "%s%s", i ? ", " : ": ", names[i] ? names[i] : "?");
   fprintf(out, "%s\n", names && n > REPORT_NAMES_TEXT ? ", ..." : "");
}

void Report_writeJson(FILE* out, Run* run, const Snapshot* s, double backlog_trend, double waiting_trend,
                      const Analysis* analysis, const char* const* errors, size_t n_errors) {
   const Knobs* k = &s->knobs;
   uint64_t total_stage_ns = 0;
   for (int st = 0; st < STAGE_LAST; st++)
      total_stage_ns += s->stage[st].ns;
   fprintf(out, "{\"keepup_version\":\"%s\",\"duration_s\":%.3f,", PACKAGE_VERSION, s->uptime_s);
   report_knobs(out, run, k);
   fprintf(out, "\"offered\":%" PRIu64 ",\"held_back\":{\"records\":%" PRIu64 ",\"age_s\":%.6f,\"exact\":%s},", s->offered,
           s->held_back, (double)s->held_back_age_ns / 1e9, s->offered_exact ? "true" : "false");
   report_replay(out, run);
   report_eventTime(out, s);
   fprintf(out,
           "\"generated\":%" PRIu64 ",\"processed\":%" PRIu64 ",\"filtered\":%" PRIu64 ",\"dropped\":%" PRIu64
           ",\"queued\":%" PRIu64 ",\"in_flight\":%" PRIu64 ",\"conservation_ok\":%s,\"order_violations\":%" PRIu64 ",",
           s->generated, s->processed, s->filtered, s->dropped, s->queued, s->in_flight,
           Snapshot_conserved(s) ? "true" : "false", s->order_violations);
   fprintf(out, "\"filtered_by\":{");
   for (int r = 0; r < FILTER_LAST; r++)
      fprintf(out, "%s\"%s\":%" PRIu64, r ? "," : "", FilterReason_names[r], s->filtered_by[r]);
   fprintf(out, "},\"dropped_by\":{");
   for (int r = 0; r < DROP_LAST; r++)
      fprintf(out, "%s\"%s\":%" PRIu64, r ? "," : "", DropReason_names[r], s->dropped_by[r]);
   fprintf(out, "},");
   fprintf(out,
           "\"backlog\":{\"records\":%" PRIu64 ",\"batches\":%" PRIu64 ",\"bytes\":%" PRIu64
           ",\"peak_records\":%" PRIu64 ",\"oldest_age_s\":%.6f,\"event_lag_s\":%.6f,\"rate_per_s\":%.1f,"
           "\"trend_per_s\":%.1f,\"waiting_trend_per_s\":%.1f,\"safety_cap_hit\":%s,\"bytes_per_record\":%.1f,"
           "\"rss_bytes_per_record\":%.1f},",
           s->backlog_records, s->backlog_batches, s->backlog_bytes, s->peak_backlog_records,
           (double)s->oldest_age_ns / 1e9, (double)s->event_lag_ns / 1e9, s->backlog_rate, backlog_trend,
           waiting_trend, s->safety_cap_hit ? "true" : "false",
           s->backlog_records ? (double)s->backlog_bytes / (double)s->backlog_records : 0.0,
           Footprint_rssPerRecord(s));
   double completed = (double)(s->processed + s->filtered);
   fprintf(out,
           "\"rates\":{\"window_s\":%.3f,\"in_per_s\":%.1f,\"admitted_per_s\":%.1f,\"out_per_s\":%.1f,"
           "\"drop_per_s\":%.1f,\"mean_in_per_s\":%.1f,\"mean_out_per_s\":%.1f},",
           s->window_s, s->in_rate, s->admitted_rate, s->out_rate, s->drop_rate,
           s->uptime_s > 0 ? (double)s->offered / s->uptime_s : 0, s->uptime_s > 0 ? completed / s->uptime_s : 0);
   fprintf(out, "\"latency_s\":{");
   report_percentiles(out, "window", &s->latency_window);
   fputc(',', out);
   report_percentiles(out, "total", &s->latency_total);
   fprintf(out, "},\"stages\":[");
   for (int st = 0; st < STAGE_LAST; st++) {
      const StageStat* x = &s->stage[st];
      fprintf(out,
              "%s{\"name\":\"%s\",\"variant\":\"%s\",\"ns\":%" PRIu64 ",\"records\":%" PRIu64
              ",\"share\":%.4f,\"ns_per_record\":%.1f,\"window_share\":%.4f,\"window_ns_per_record\":%.1f,"
              "\"cpu_ns_per_record\":%.1f}",
              st ? "," : "", Stage_table[st].name, Variant_name(k->variant[st]), x->ns, x->records,
              total_stage_ns ? (double)x->ns / (double)total_stage_ns : 0,
              x->records ? (double)x->ns / (double)x->records : 0, Amdahl_share(&analysis->costs, st),
              x->ns_per_record, analysis->costs.ns[st]);
   }
   fprintf(out,
           "],\"chain\":{\"ns\":%" PRIu64 ",\"records\":%" PRIu64 ",\"ns_per_record\":%.1f,\"window_ns_per_record\":%.1f,"
           "\"cpu_ns_per_record\":%.1f},",
           s->chain.ns, s->chain.records, s->chain.records ? (double)s->chain.ns / (double)s->chain.records : 0,
           s->chain.ns_per_record, analysis->costs.chain_ns);
   fprintf(out, "\"batches\":%" PRIu64 ",\"records_per_batch\":%.1f,", s->batches_done, s->records_per_batch);
   report_analysis(out, s, analysis);
   fprintf(out, "\"alerts\":{\"count\":%" PRIu64 ",\"rate_per_s\":%.3f,", s->alerts, s->alert_rate);
   report_percentiles(out, "delay_s", &s->alert_delay_window);
   fprintf(out, "},\"cache\":{\"hits\":%" PRIu64 ",\"misses\":%" PRIu64 "},", s->cache_hits, s->cache_misses);
   fprintf(out,
           "\"output_bytes\":%" PRIu64 ",\"output_ordered\":%s,\"output_unordered\":%" PRIu64
           ",\"output_passed\":%" PRIu64 ",\"rss_bytes\":%" PRIu64 ",\"cpu_process\":%.3f,\"error\":",
           s->output_bytes, s->output_ordered ? "true" : "false", s->output_unordered, s->output_passed, s->rss_bytes,
           s->cpu_process);
   if (n_errors)
      report_string(out, errors[0]);
   else
      fputs("null", out);
   fputs(",\"errors\":[", out);
   for (size_t i = 0; i < n_errors; i++) {
      if (i)
         fputc(',', out);
      report_string(out, errors[i]);
   }
   fputc(']', out);
   char reason[200];
   Analysis_reason(analysis, s, reason, sizeof reason);
   fprintf(out, ",\"verdict\":{\"state\":");
   report_string(out, Verdict_name(analysis->verdict.state));
   fprintf(out, ",\"reason\":");
   report_string(out, reason);
   fputs("}}\n", out);
}
