/*
 * test_recorder.c: src/csv/recorder.c, read back through src/csv/replay.c. A
 * recording must replay exactly: the same records in the same order, the
 * same values bit for bit (NaN, infinities, -0, subnormals included, and a
 * missing value as missing), the same event times to the nanosecond even
 * past 2^53 ns whatever the arrival times were, the same sensor names and
 * ids, and the same processing parameters. A write error must stop the
 * recording, not the caller.
 */
#include "config.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/clock.h"
#include "core/record.h"
#include "csv/recorder.h"
#include "csv/replay.h"
#include "testutil.h"

/* xorshift64*: the test's own deterministic random source */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rng(void) {
   rng_state ^= rng_state >> 12;
   rng_state ^= rng_state << 25;
   rng_state ^= rng_state >> 27;
   return rng_state * 2685821657736338717u;
}

static bool same_double(double a, double b) {
   if (isnan(a) || isnan(b))
      return isnan(a) && isnan(b);
   return memcmp(&a, &b, sizeof a) == 0;
}

/* Replay path completely (speed 1) into out; returns the count. */
static size_t replay_all(const char* path, Record* out, size_t max, Replay** keep) {
   ReplayConfig config = {.files = &path, .n_files = 1, .speed = 1};
   char err[REPLAY_MSG_MAX];
   Replay* r = Replay_new(&config, err, sizeof err);
   if (!r)
      fail_msg("%s", err);
   Generator* g = Replay_generator(r);
   size_t n = 0;
   while (n < max && g->ops->next(g, &out[n]))
      n++;
   if (Replay_error(r))
      fail_msg("%s", Replay_error(r));
   *keep = r;
   return n;
}

static void round_trip__records_values_times_and_params__are_exact(void** state) {
   (void)state;
   char path[TESTUTIL_PATH_MAX];
   TestUtil_path(path, "round.csv");
   enum { N = 20000, ALLOW = 600, CAL = 300 };
   uint32_t allow[ALLOW];
   CalEntry cal[CAL];
   for (uint32_t i = 0; i < ALLOW; i++)
      allow[i] = (uint32_t)(rng() % 5000);
   for (uint32_t i = 0; i < CAL; i++) {
      cal[i].sensor = (uint32_t)(rng() % 5000);
      cal[i].offset = ((double)(rng() % 2000001) - 1e6) / 7.0;
      cal[i].gain = (double)(rng() >> 11) / 9007199254740992.0 * 3;
   }
   PipelineParams p = {
       .id_space = 5000,
       .allow = allow,
       .n_allow = ALLOW,
       .valid_lo = -1e9,
       .valid_hi = 1.5e9,
       .cal = cal,
       .n_cal = CAL,
       .window = 77,
       .threshold = 3.25,
       .cache_capacity = 256,
       .enrich_work = 12,
   };
   int64_t t0 = Clock_now();
   char err[512];
   Recorder* rec = Recorder_open(path, &p, err, sizeof err);
   assert_non_null(rec);
   assert_true(Recorder_note(rec, "seed", "42"));
   assert_false(Recorder_note(rec, "Bad Key", "x"));
   assert_false(Recorder_note(rec, "scenario", "two\nlines"));

   static Record in[N];
   const double special[] = {NAN,     INFINITY, -INFINITY, -0.0,  0.0,     DBL_MIN,  4.9406564584124654e-324,
                             DBL_MAX, -DBL_MAX, 0.1,       1e300, -1e-300, 1.0 / 3.0, Record_missing()};
   int64_t t = 0;
   for (size_t i = 0; i < N; i++) {
      uint64_t step = rng() % 4;
      t += step == 0 ? 0 : (int64_t)(rng() % 3000000); /* duplicates and irregular gaps */
      if (i == N / 2)
         t += INT64_C(20000000000000000); /* past 2^54 ns: beyond what a double holds to the ns */
      double v;
      if (i < sizeof special / sizeof special[0])
         v = special[i];
      else {
         uint64_t bits = rng();
         memcpy(&v, &bits, sizeof v);
         if (!isfinite(v))
            v = (double)(int64_t)bits;
      }
      /* arrivals on the clock, far from the event times: the recording keeps the event times */
      in[i] = (Record){.t_event = t,
                       .t_arrival = t0 + (int64_t)i * 1000,
                       .value = v,
                       .sensor = (uint32_t)(rng() % 5000),
                       .seq = (uint32_t)i};
      Recorder_tap(rec, &in[i]);
   }
   assert_false(Recorder_note(rec, "late", "1"));
   RecorderStats st;
   Recorder_stats(rec, &st);
   assert_int_equal(st.records, N);
   assert_false(st.failed);
   assert_null(Recorder_error(rec));
   assert_int_equal(Recorder_close(rec, err, sizeof err), 0);
   assert_string_equal(err, "");

   static Record out[N + 1];
   Replay* r;
   assert_int_equal(replay_all(path, out, N + 1, &r), N);
   for (size_t i = 0; i < N; i++) {
      if (out[i].t_event != in[i].t_event || out[i].sensor != in[i].sensor || !same_double(out[i].value, in[i].value) ||
          Record_isMissing(out[i].value) != Record_isMissing(in[i].value))
         fail_msg("record %zu: got (%lld, %u, %.17g), wrote (%lld, %u, %.17g)", i, (long long)out[i].t_event,
                  out[i].sensor, out[i].value, (long long)in[i].t_event, in[i].sensor, in[i].value);
   }
   assert_true(Record_isMissing(out[13].value));
   assert_true(Replay_isRecording(r));
   const PipelineParams* q = Replay_params(r);
   assert_int_equal(q->id_space, p.id_space);
   assert_int_equal(q->window, p.window);
   assert_true(same_double(q->threshold, p.threshold));
   assert_true(same_double(q->valid_lo, p.valid_lo));
   assert_true(same_double(q->valid_hi, p.valid_hi));
   assert_int_equal(q->cache_capacity, p.cache_capacity);
   assert_int_equal(q->enrich_work, p.enrich_work);
   assert_int_equal(q->n_allow, ALLOW);
   assert_memory_equal(q->allow, allow, sizeof allow);
   assert_int_equal(q->n_cal, CAL);
   for (size_t i = 0; i < CAL; i++) {
      assert_int_equal(q->cal[i].sensor, cal[i].sensor);
      assert_true(same_double(q->cal[i].offset, cal[i].offset));
      assert_true(same_double(q->cal[i].gain, cal[i].gain));
   }
   assert_null(q->names);
   assert_string_equal(Replay_note(r, "seed"), "42");
   assert_string_equal(Replay_note(r, "version"), PACKAGE_VERSION);
   Replay_delete(r);
}

static void round_trip__no_allowlist_and_infinite_range__stay_so(void** state) {
   (void)state;
   char path[TESTUTIL_PATH_MAX];
   TestUtil_path(path, "open.csv");
   PipelineParams p = {
       .id_space = 3, .valid_lo = -INFINITY, .valid_hi = INFINITY, .window = 1, .threshold = 4, .cache_capacity = 1};
   char err[512];
   Recorder* rec = Recorder_open(path, &p, err, sizeof err);
   assert_non_null(rec);
   /* 300 ms apart: every record is handed over on its own (the linger path) */
   for (int i = 0; i < 5; i++) {
      Record r = {.t_event = i * 300 * NS_PER_MS, .t_arrival = 1000 + i * 300 * NS_PER_MS, .value = i,
                  .sensor = (uint32_t)(i % 3)};
      Recorder_tap(rec, &r);
   }
   assert_int_equal(Recorder_close(rec, err, sizeof err), 0);
   Record out[8];
   Replay* r;
   assert_int_equal(replay_all(path, out, 8, &r), 5);
   for (int i = 0; i < 5; i++) {
      assert_int_equal(out[i].t_arrival, i * 300 * NS_PER_MS);
      assert_int_equal(out[i].sensor, (uint32_t)(i % 3));
   }
   const PipelineParams* q = Replay_params(r);
   assert_null(q->allow);
   assert_null(q->cal);
   assert_true(isinf(q->valid_lo) && q->valid_lo < 0);
   assert_true(isinf(q->valid_hi) && q->valid_hi > 0);
   Replay_delete(r);
}

static void file_format__is_commented_header_then_exact_lines(void** state) {
   (void)state;
   char path[TESTUTIL_PATH_MAX];
   TestUtil_path(path, "text.csv");
   uint32_t allow[] = {7, 3};
   CalEntry cal[] = {{.sensor = 3, .offset = 0.5, .gain = 2}};
   PipelineParams p = {.id_space = 8,
                       .allow = allow,
                       .n_allow = 2,
                       .valid_lo = -100,
                       .valid_hi = 100,
                       .cal = cal,
                       .n_cal = 1,
                       .window = 10,
                       .threshold = 4,
                       .cache_capacity = 16,
                       .enrich_work = 0};
   char err[512];
   Recorder* rec = Recorder_open(path, &p, err, sizeof err);
   assert_non_null(rec);
   Record r1 = {.t_event = 1, .t_arrival = 5 * NS_PER_SEC + 1, .value = 0.1, .sensor = 7};
   Record r2 = {.t_event = 12 * NS_PER_SEC + 250000000, .t_arrival = 99, .value = -2, .sensor = 3};
   Recorder_tap(rec, &r1);
   Recorder_tap(rec, &r2);
   assert_int_equal(Recorder_close(rec, err, sizeof err), 0);
   FILE* f = fopen(path, "r");
   char text[2048];
   size_t n = fread(text, 1, sizeof text - 1, f);
   fclose(f);
   text[n] = '\0';
   char want[1024];
   snprintf(want, sizeof want,
            "# keepup-recording 2\n# version %s\n# sensors 8\n# window 10\n# threshold 4\n# valid-range -100:100\n"
            "# cache 16\n# enrich-work 0\n# allow-count 2\n# allow 7,3\n# cal-count 1\n# cal 3:0.5:2\n"
            "time_s,sensor,value\n0.000000001,7,0.10000000000000001\n12.250000000,3,-2\n",
            PACKAGE_VERSION);
   assert_string_equal(text, want);
}

/* A replay's recording keeps its sensors' names (met while it ran, so the table grew), each row naming its
 * sensor, and a replay of the recording gives the names the same ids in the same order. */
static void round_trip__names__keep_their_ids_and_text(void** state) {
   (void)state;
   char path[TESTUTIL_PATH_MAX];
   TestUtil_path(path, "named.csv");
   const char* names[4] = {"pump/Current", "a,b \"quoted\"", NULL, NULL};
   PipelineParams p = {.id_space = 3, .window = 5, .threshold = 4, .valid_lo = -100, .valid_hi = 100,
                       .cache_capacity = 16, .names = names, .names_grow = true};
   char err[512];
   Recorder* rec = Recorder_open(path, &p, err, sizeof err);
   assert_non_null(rec);
   const uint32_t sensors[] = {0, 1, 0, 2, 1};
   for (int i = 0; i < 5; i++) {
      if (sensors[i] == 2)
         names[2] = "third"; /* named while the recording runs */
      Record r = {.t_event = INT64_C(1404172800000000000) + i * NS_PER_SEC, .value = i, .sensor = sensors[i]};
      Recorder_tap(rec, &r);
   }
   assert_int_equal(Recorder_close(rec, err, sizeof err), 0);
   Record out[8];
   Replay* r;
   assert_int_equal(replay_all(path, out, 8, &r), 5);
   const char* const* got = Replay_names(r);
   assert_non_null(got);
   assert_true(Replay_namesGrow(r));
   for (int i = 0; i < 5; i++) {
      assert_int_equal(out[i].sensor, sensors[i]);
      assert_int_equal(out[i].t_event, INT64_C(1404172800000000000) + i * NS_PER_SEC);
   }
   assert_string_equal(got[0], names[0]);
   assert_string_equal(got[1], names[1]);
   assert_string_equal(got[2], "third");
   Replay_delete(r);
}

static void write_error__stops_the_recording_and_reports_it(void** state) {
   (void)state;
   if (access("/dev/full", W_OK) != 0) {
      print_message("skipped: no /dev/full\n");
      skip();
   }
   PipelineParams p = {
       .id_space = 4, .valid_lo = -INFINITY, .valid_hi = INFINITY, .window = 1, .threshold = 4, .cache_capacity = 1};
   char err[512];
   Recorder* rec = Recorder_open("/dev/full", &p, err, sizeof err);
   assert_non_null(rec);
   /* far more than fits in the chunks in flight: the tap must neither block nor crash */
   for (int i = 0; i < 200000; i++) {
      Record r = {.t_arrival = i, .value = i, .sensor = 1};
      Recorder_tap(rec, &r);
   }
   RecorderStats st;
   Recorder_stats(rec, &st);
   assert_int_equal(st.records, 200000);
   assert_int_equal(st.written, 0);
   assert_int_equal(Recorder_close(rec, err, sizeof err), ENOSPC);
   assert_string_equal(err, "/dev/full: write failed after 0 records: No space left on device");
}

static void open__unwritable_path__fails_with_the_reason(void** state) {
   (void)state;
   PipelineParams p = {
       .id_space = 4, .valid_lo = -INFINITY, .valid_hi = INFINITY, .window = 1, .threshold = 4, .cache_capacity = 1};
   char err[512], path[TESTUTIL_PATH_MAX];
   TestUtil_path(path, "no/such/dir.csv");
   assert_null(Recorder_open(path, &p, err, sizeof err));
   char want[TESTUTIL_PATH_MAX + 64];
   snprintf(want, sizeof want, "cannot create %s: No such file or directory", path);
   assert_string_equal(err, want);
}

/* A recording started and stopped while the source was paused has no rows: it is still a recording,
 * and replays as an input with no records (it was refused as "no records" before). */
static void empty_recording__replays_as_an_input_with_no_records(void** state) {
   (void)state;
   char path[TESTUTIL_PATH_MAX];
   TestUtil_path(path, "empty.csv");
   PipelineParams p = {
       .id_space = 4, .valid_lo = -INFINITY, .valid_hi = INFINITY, .window = 1, .threshold = 4, .cache_capacity = 1};
   char err[512];
   Recorder* rec = Recorder_open(path, &p, err, sizeof err);
   assert_non_null(rec);
   assert_int_equal(Recorder_close(rec, err, sizeof err), 0);
   const char* files[] = {path};
   ReplayConfig config = {.files = files, .n_files = 1, .speed = 1};
   Replay* r = Replay_new(&config, err, sizeof err);
   if (!r)
      fail_msg("an empty recording was refused: %s", err);
   assert_true(Replay_isRecording(r));
   assert_int_equal(Replay_idSpace(r), 4);
   Generator* g = Replay_generator(r);
   Record none;
   assert_false(g->ops->next(g, &none));
   assert_null(Replay_error(r));
   Replay_delete(r);
   /* a file of another kind with no rows is still refused, saying so */
   TestUtil_writeText("norows.csv", "time,value\n");
   TestUtil_path(path, "norows.csv");
   assert_null(Replay_new(&config, err, sizeof err));
   assert_non_null(strstr(err, "norows.csv: no records after the header"));
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(round_trip__records_values_times_and_params__are_exact),
       cmocka_unit_test(round_trip__no_allowlist_and_infinite_range__stay_so),
       cmocka_unit_test(round_trip__names__keep_their_ids_and_text),
       cmocka_unit_test(file_format__is_commented_header_then_exact_lines),
       cmocka_unit_test(write_error__stops_the_recording_and_reports_it),
       cmocka_unit_test(open__unwritable_path__fails_with_the_reason),
       cmocka_unit_test(empty_recording__replays_as_an_input_with_no_records),
   };
   return cmocka_run_group_tests(tests, TestUtil_setupDir, TestUtil_teardownDir);
}
