/*
 * bench_csv.c: how fast the CSV side is, measured in one run.
 *
 *  1. --record: a recording of about 100 MB is written through Recorder_tap;
 *     the time spent in the tap on the calling thread is the recording's
 *     cost to the pipeline, per record (the writer thread's throughput is
 *     given too).
 *  2. --replay at --speed max: rows/s and MB/s of Replay over that file and
 *     over a foreign file of the same size (ISO date-times, named sensors),
 *     against a plain read() in 1 MiB chunks counting newlines (what wc -l
 *     does) of the same file, from the page cache. The ratio is the price of
 *     parsing. Medians of 5 runs.
 *
 * BENCH_CSV_MB sets the file size (default 100).
 */
#include "config.h"

#include <fcntl.h>
#include <sched.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "csv/csvtime.h"
#include "csv/recorder.h"
#include "csv/replay.h"
#include "base/stats.h"

#define RUNS 5

static uint64_t file_size(const char* path) {
   struct stat st;
   return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static long rss_kb(void) {
   FILE* f = fopen("/proc/self/statm", "r");
   long pages = 0, rss = 0;
   if (f) {
      if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
         rss = 0;
      fclose(f);
   }
   return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* The wc -l equivalent: read() 1 MiB at a time, count newlines. */
static uint64_t plain_read(const char* path, double* seconds) {
   static char buf[1 << 20];
   int fd = open(path, O_RDONLY);
   if (fd < 0) {
      perror(path);
      exit(1);
   }
   int64_t t = Clock_now();
   uint64_t lines = 0;
   ssize_t n;
   while ((n = read(fd, buf, sizeof buf)) > 0)
      for (const char* p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))); p++)
         lines++;
   *seconds = (double)(Clock_now() - t) / 1e9;
   close(fd);
   return lines;
}

static uint64_t replay_file(const char* path, double* seconds, long* rss_growth) {
   ReplayConfig config = {.files = &path, .n_files = 1, .speed = 0};
   char err[REPLAY_MSG_MAX];
   long rss0 = rss_kb();
   int64_t t = Clock_now();
   Replay* r = Replay_new(&config, err, sizeof err);
   if (!r) {
      fprintf(stderr, "%s\n", err);
      exit(1);
   }
   Generator* g = Replay_generator(r);
   Record rec;
   uint64_t n = 0;
   double sum = 0;
   while (g->ops->next(g, &rec)) {
      n++;
      sum += rec.value;
   }
   *seconds = (double)(Clock_now() - t) / 1e9;
   *rss_growth = rss_kb() - rss0;
   if (Replay_error(r) || !isfinite(sum)) {
      fprintf(stderr, "replay failed: %s\n", Replay_error(r) ? Replay_error(r) : "bad sum");
      exit(1);
   }
   Replay_delete(r);
   return n;
}

static void compare(const char* label, const char* path) {
   double mb = (double)file_size(path) / 1e6;
   double plain[RUNS], parsed[RUNS];
   uint64_t lines = 0, rows = 0;
   long growth = 0, max_growth = 0;
   plain_read(path, &plain[0]); /* warm the page cache */
   for (int i = 0; i < RUNS; i++) {
      lines = plain_read(path, &plain[i]);
      rows = replay_file(path, &parsed[i], &growth);
      if (growth > max_growth)
         max_growth = growth;
   }
   double tp = Stats_median(plain, RUNS), tr = Stats_median(parsed, RUNS);
   printf("%s: %.1f MB, %llu lines\n", label, mb, (unsigned long long)lines);
   printf("  plain read (wc -l):   %8.3f s  %10.0f lines/s  %8.1f MB/s\n", tp, (double)lines / tp, mb / tp);
   printf("  replay, speed max:    %8.3f s  %10.0f rows/s   %8.1f MB/s  %6.1f ns/row read (%llu records)\n", tr,
          (double)rows / tr, mb / tr, tr * 1e9 / (double)rows, (unsigned long long)rows);
   printf("  ratio replay / plain read: %.1fx the time; RSS growth during a replay: %ld KB\n", tr / tp, max_growth);
}

int main(void) {
   const char* env = getenv("BENCH_CSV_MB");
   double target_mb = env ? atof(env) : 100;
   if (!(target_mb > 0))
      target_mb = 100;
   const char* tmp = getenv("TMPDIR");
   char rec_path[512], foreign_path[512];
   snprintf(rec_path, sizeof rec_path, "%s/keepup-bench-%d.csv", tmp && *tmp ? tmp : "/tmp", (int)getpid());
   snprintf(foreign_path, sizeof foreign_path, "%s/keepup-bench-%d-foreign.csv", tmp && *tmp ? tmp : "/tmp",
            (int)getpid());

   /* 1. recording: about 38 bytes per record */
   uint64_t n = (uint64_t)(target_mb * 1e6 / 38) / 4096 * 4096 + 4096; /* whole bursts of 4096 below */
   PipelineParams p = {
       .id_space = 10000, .valid_lo = -1e9, .valid_hi = 1e9, .window = 100, .threshold = 4, .cache_capacity = 256};
   char err[512];
   double tap_ns[RUNS], base_ns[RUNS], write_s[RUNS];
   int64_t stall = 0;
   for (int run = 0; run < RUNS; run++) {
      /* the same loop without the tap: what making the records costs */
      uint64_t x = 88172645463325252u;
      volatile double sink = 0;
      int64_t start = Clock_now();
      for (uint64_t i = 0; i < n; i++) {
         x ^= x << 13;
         x ^= x >> 7;
         x ^= x << 17;
         sink += (double)(x >> 11) + (double)(x % 10000);
      }
      base_ns[run] = (double)(Clock_now() - start) / (double)n;

      Recorder* rec = Recorder_open(rec_path, &p, err, sizeof err);
      if (!rec) {
         fprintf(stderr, "%s\n", err);
         return 1;
      }
      x = 88172645463325252u;
      Record r = {0};
      start = Clock_now();
      for (uint64_t i = 0; i < n; i++) {
         x ^= x << 13;
         x ^= x >> 7;
         x ^= x << 17;
         r.t_arrival = (int64_t)(i * 5000 + x % 5000);
         r.sensor = (uint32_t)(x % 10000);
         r.value = (double)(x >> 11) / 9007199254740992.0 * 200 - 100;
         Recorder_tap(rec, &r);
      }
      int64_t loop_end = Clock_now();
      RecorderStats st;
      Recorder_stats(rec, &st);
      stall = st.stall_ns;
      if (Recorder_close(rec, err, sizeof err) != 0) {
         fprintf(stderr, "%s\n", err);
         return 1;
      }
      tap_ns[run] = (double)(loop_end - start) / (double)n;
      write_s[run] = (double)(Clock_now() - start) / 1e9;
   }
   /* the tap in steady state: bursts of 4096 records that the writer keeps up with, so
    * chunks are reused; only the time inside the tap loop counts */
   double steady_ns[RUNS];
   for (int run = 0; run < RUNS; run++) {
      Recorder* rec = Recorder_open(rec_path, &p, err, sizeof err);
      if (!rec) {
         fprintf(stderr, "%s\n", err);
         return 1;
      }
      Record r = {0};
      int64_t in_tap = 0;
      uint64_t x = 88172645463325252u, done = 0;
      while (done < n) {
         int64_t t = Clock_now();
         for (int k = 0; k < 4096; k++, done++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            r.t_arrival = (int64_t)(done * 5000 + x % 5000);
            r.sensor = (uint32_t)(x % 10000);
            r.value = (double)(x >> 11) / 9007199254740992.0 * 200 - 100;
            Recorder_tap(rec, &r);
         }
         in_tap += Clock_now() - t;
         RecorderStats st;
         do {
            Recorder_stats(rec, &st);
            if (st.written < done - 4096)
               sched_yield();
         } while (st.written < done - 4096);
      }
      if (Recorder_close(rec, err, sizeof err) != 0) {
         fprintf(stderr, "%s\n", err);
         return 1;
      }
      steady_ns[run] = (double)in_tap / (double)done;
   }
   double mb = (double)file_size(rec_path) / 1e6;
   double tw = Stats_median(write_s, RUNS);
   printf("record: %llu records, %.1f MB\n", (unsigned long long)n, mb);
   double loop = Stats_median(tap_ns, RUNS), base = Stats_median(base_ns, RUNS);
   double steady = Stats_median(steady_ns, RUNS);
   printf("  tap, steady (writer keeping up): %.1f ns/record in the loop, %.1f without the tap: %.1f ns/record\n",
          steady, base, steady - base);
   printf("  tap, flat out (writer behind, buffer growing): %.1f ns/record in the loop: %.1f ns/record\n", loop,
          loop - base);
   printf("  (the tap waited for the writer %.1f ms in the last flat-out run: its buffer holds %u MiB)\n",
          (double)stall / 1e6, RECORDER_MAX_PENDING >> 20);
   printf("  writer thread to close:    %.3f s  %.0f records/s  %.1f MB/s\n", tw, (double)n / tw, mb / tw);

   /* 2a. replay of the recording */
   compare("replay of a keepup recording", rec_path);

   /* 2b. a foreign file: ISO date-times with milliseconds, 64 named sensors */
   FILE* f = fopen(foreign_path, "w");
   if (!f) {
      perror(foreign_path);
      return 1;
   }
   fputs("timestamp,sensor,value\n", f);
   uint64_t bytes = 0;
   int64_t base_t = CsvTime_daysFromCivil(2014, 1, 1) * 86400 * NS_PER_SEC;
   for (uint64_t i = 0; bytes < (uint64_t)(target_mb * 1e6); i++) {
      char when[48];
      CsvTime_format(when, sizeof when, base_t + (int64_t)i * 250 * NS_PER_MS + NS_PER_MS, CSVTIME_DATETIME);
      int len = fprintf(f, "%s,sensor-%02d,%.6f\n", when, (int)(i % 64), sin((double)i / 1000.0) * 50);
      bytes += (uint64_t)len;
   }
   fclose(f);
   compare("replay of a foreign CSV (ISO date-times, named sensors; read twice: names are scanned first)",
           foreign_path);

   unlink(rec_path);
   unlink(foreign_path);
   return 0;
}
