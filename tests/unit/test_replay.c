/*
 * test_replay.c: src/csv/replay.c. Every format the reader accepts (fixtures in
 * tests/data), every error path with its exact "FILE:LINE: ..." message,
 * pacing (speed, live speed changes, --loop), merging of several files, and,
 * when ../shared/data is there, the real NAB series and the CSV parser
 * torture files.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/clock.h"
#include "app/optcheck.h"
#include "app/options.h"
#include "app/run.h"
#include "csv/replay.h"
#include "csv/sensornames.h"
#include "core/snapshot.h"
#include "testutil.h"

#define MAX_ARGS    32
#define MAX_RECORDS 4096

/* ---------------------------------------------------------------- helpers */

/* "@name" is tests/data/name, "%name" a file in the temporary directory, anything else as is. */
static char* arg_path(const char* a) {
   char buf[TESTUTIL_PATH_MAX];
   if (a[0] == '@')
      snprintf(buf, sizeof buf, "%s/tests/data/%s", TestUtil_srcdir(), a + 1);
   else if (a[0] == '%')
      TestUtil_path(buf, a + 1);
   else
      snprintf(buf, sizeof buf, "%s", a);
   return strdup(buf);
}

typedef struct Play {
   Replay* replay;
   char err[REPLAY_MSG_MAX * 2];
   Record rec[MAX_RECORDS];
   size_t n;
   char* argv[MAX_ARGS];
   int argc;
} Play;

/* Parse the options (NULL-terminated) and open the replay; false with run->err on failure. */
static bool run_open(Play* run, ...) {
   memset(run, 0, sizeof *run);
   run->argv[run->argc++] = strdup("keepup");
   va_list ap;
   va_start(ap, run);
   for (const char* a; (a = va_arg(ap, const char*)) && run->argc < MAX_ARGS;)
      run->argv[run->argc++] = arg_path(a);
   va_end(ap);
   Options o;
   Options_init(&o);
   if (Options_parse(&o, run->argc, run->argv, run->err, sizeof run->err) != OPTIONS_OK)
      fail_msg("options: %s", run->err);
   if (!OptCheck_replay(&o, run->err, sizeof run->err))
      return false;
   ReplayConfig config;
   Run_replayConfig(&o, &config);
   run->replay = Replay_new(&config, run->err, sizeof run->err);
   return run->replay != NULL;
}

static Generator* run_gen(Play* run) {
   return Replay_generator(run->replay);
}

/* Pull every record (up to max); returns how many. */
static size_t run_drain(Play* run, size_t max) {
   Generator* g = run_gen(run);
   while (run->n < max && run->n < MAX_RECORDS && g->ops->next(g, &run->rec[run->n]))
      run->n++;
   return run->n;
}

static void run_close(Play* run) {
   Replay_delete(run->replay);
   for (int i = 0; i < run->argc; i++)
      free(run->argv[i]);
   run->replay = NULL;
   run->argc = 0;
}

/* The message with the tests/data/ directory taken out, for comparisons. */
static const char* short_msg(const char* msg) {
   const char* at = strstr(msg, "tests/data/");
   if (at)
      return at + strlen("tests/data/");
   const char* dir = TestUtil_dir();
   at = strstr(msg, dir);
   if (at && dir[0])
      return at + strlen(dir) + 1;
   return msg;
}

static void expect_open_error(const char* expected, ...) {
   Play* run = malloc(sizeof *run);
   va_list ap;
   va_start(ap, expected);
   const char* args[MAX_ARGS + 1];
   int n = 0;
   for (const char* a; (a = va_arg(ap, const char*)) && n < MAX_ARGS;)
      args[n++] = a;
   va_end(ap);
   args[n] = NULL;
   bool ok;
   switch (n) {
   case 2:
      ok = run_open(run, args[0], args[1], NULL);
      break;
   case 4:
      ok = run_open(run, args[0], args[1], args[2], args[3], NULL);
      break;
   case 6:
      ok = run_open(run, args[0], args[1], args[2], args[3], args[4], args[5], NULL);
      break;
   default:
      fail_msg("expect_open_error takes 2, 4 or 6 arguments");
      return;
   }
   if (ok)
      fail_msg("opened, expected: %s", expected);
   if (strncmp(short_msg(run->err), expected, strlen(expected)) != 0)
      fail_msg("got      '%s'\nexpected '%s...'", short_msg(run->err), expected);
   run_close(run);
   free(run);
}

/* Replay a file to its end in stop mode with two more arguments (NULL: none): n records, then exactly this
 * error (NULL: none). */
static void expect_records_then_options(const char* file, size_t n, const char* error, const char* opt,
                                        const char* arg) {
   Play* run = malloc(sizeof *run);
   if (!run_open(run, "--replay", file, opt, arg, NULL))
      fail_msg("%s: %s", file, run->err);
   run_drain(run, MAX_RECORDS);
   assert_int_equal(run->n, n);
   const char* e = Replay_error(run->replay);
   if (error == NULL && e)
      fail_msg("%s: unexpected error %s", file, e);
   if (error) {
      assert_non_null(e);
      assert_string_equal(short_msg(e), error);
      ReplayPosition pos;
      Replay_position(run->replay, &pos);
      assert_true(pos.finished);
   }
   run_close(run);
   free(run);
}

static void expect_records_then(const char* file, size_t n, const char* error) {
   expect_records_then_options(file, n, error, NULL, NULL);
}

#define S(x) ((int64_t)((x)*1e9))
/* what a bad row that no option reads says under --on-bad-row stop */
#define SKIP_HINT " (--on-bad-row skip passes over such rows)"

/* ---------------------------------------------------------------- formats */

static void basic__named_sensors__get_ids_in_order_and_relative_times(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@replay_basic.csv", NULL));
   assert_false(Replay_isRecording(run->replay));
   assert_null(Replay_params(run->replay));
   assert_int_equal(Replay_sensors(run->replay), 2);
   /* names are met as the rows are read, in one pass: the id space is the names' cap */
   assert_int_equal(Replay_idSpace(run->replay), SENSORNAMES_MAX);
   assert_true(Replay_namesGrow(run->replay));
   const char* const* names = Replay_names(run->replay);
   assert_string_equal(names[0], "a");
   assert_string_equal(names[1], "b");
   assert_int_equal(run_drain(run, 100), 3);
   static const int64_t t[] = {0, S(0.5), S(1.0)};
   static const uint32_t sensor[] = {0, 1, 0};
   for (size_t i = 0; i < 3; i++) {
      assert_int_equal(run->rec[i].t_arrival, t[i]);
      assert_int_equal(run->rec[i].sensor, sensor[i]);
      assert_float_equal(run->rec[i].value, (double)(i + 1), 0);
   }
   assert_null(Replay_error(run->replay));
   ReplayPosition pos;
   Replay_position(run->replay, &pos);
   assert_int_equal(pos.rows, 3);
   assert_int_equal(pos.records, 3);
   assert_float_equal(pos.percent, 100, 1e-9);
   assert_int_equal(pos.bytes, pos.size);
   assert_float_equal(pos.t_recording_s, 1.0, 1e-12);
   assert_float_equal(pos.speed, 1, 0);
   assert_non_null(strstr(pos.file, "replay_basic.csv"));
   assert_true(pos.finished);
   run_close(run);
   free(run);
}

static void line_endings_bom_blank_lines_and_no_final_newline__all_read_the_same(void** state) {
   (void)state;
   static const struct {
      const char* file;
      size_t n;
   } cases[] = {
       {"@replay_crlf.csv", 3}, {"@replay_cr.csv", 3},      {"@replay_mixed.csv", 5},
       {"@replay_bom.csv", 2},  {"@replay_nofinal.csv", 3}, {"@replay_comments.csv", 2},
   };
   for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
      Play* run = malloc(sizeof *run);
      if (!run_open(run, "--replay", cases[c].file, NULL))
         fail_msg("%s: %s", cases[c].file, run->err);
      assert_int_equal(run_drain(run, 100), cases[c].n);
      for (size_t i = 0; i < cases[c].n; i++) {
         assert_int_equal(run->rec[i].t_arrival, S(i));
         assert_float_equal(run->rec[i].value, 10.0 * (double)(i + 1), 0);
         assert_int_equal(run->rec[i].sensor, 0);
      }
      assert_null(Replay_error(run->replay));
      run_close(run);
      free(run);
   }
}

static void bom__is_not_part_of_the_first_column_name(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@replay_bom.csv", "--columns", "time=time,value=value", NULL));
   assert_int_equal(run_drain(run, 100), 2);
   run_close(run);
   free(run);
}

static void quoted_fields__follow_rfc4180(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@replay_quoted.csv", NULL));
   assert_int_equal(run_drain(run, 100), 4);
   for (size_t i = 0; i < 4; i++) {
      assert_int_equal(run->rec[i].t_arrival, S(i));
      assert_float_equal(run->rec[i].value, 1.5 + (double)i, 0);
   }
   run_close(run);
   free(run);
}

static void delimiters__semicolon_and_tab__split_fields(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@replay_semicolon.csv", "--delimiter", ";", NULL));
   assert_int_equal(run_drain(run, 100), 2);
   assert_float_equal(run->rec[0].value, 0.5, 0);
   assert_float_equal(run->rec[1].value, -1000, 0);
   assert_string_equal(Replay_names(run->replay)[1], "y");
   run_close(run);
   assert_true(run_open(run, "--replay", "@replay_tab.tsv", "--delimiter", "tab", NULL));
   assert_int_equal(run_drain(run, 100), 2);
   assert_float_equal(run->rec[1].value, 8, 0);
   assert_int_equal(run->rec[1].sensor, 1);
   run_close(run);
   free(run);
}

static void iso_date_times__with_zones_and_fractions__are_placed_exactly(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@replay_iso.csv", NULL));
   assert_int_equal(run_drain(run, 100), 4);
   assert_int_equal(run->rec[0].t_arrival, 0);
   assert_int_equal(run->rec[1].t_arrival, S(3600.5));
   assert_int_equal(run->rec[2].t_arrival, S(3601));
   assert_int_equal(run->rec[3].t_arrival, S(5402.25));
   ReplayPosition pos;
   Replay_position(run->replay, &pos);
   assert_int_equal(pos.time_unit, CSVTIME_DATETIME);
   char text[64];
   CsvTime_format(text, sizeof text, pos.file_time, pos.time_unit);
   assert_string_equal(text, "2014-01-07 03:30:02.25");
   run_close(run);
   free(run);
}

static void epoch_milliseconds__auto_detects_them_and_s_refuses_them(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@replay_epoch_ms.csv", NULL));
   assert_int_equal(run_drain(run, 100), 3);
   assert_int_equal(run->rec[1].t_arrival, S(0.25));
   assert_int_equal(run->rec[2].t_arrival, S(1));
   run_close(run);
   assert_true(run_open(run, "--replay", "@replay_epoch_ms.csv", "--time-unit", "us", NULL));
   assert_int_equal(run_drain(run, 100), 3);
   assert_int_equal(run->rec[1].t_arrival, 250000);
   run_close(run);
   free(run);
   expect_open_error("replay_epoch_ms.csv:2: column ts_ms: unparsable time '1389060000000': out of range", "--replay",
                     "@replay_epoch_ms.csv", "--time-unit", "s", NULL);
}

static void no_sensor_column__makes_the_file_one_sensor_named_after_it(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@replay_nosensor.csv", "--replay", "@replay_crlf.csv", NULL));
   assert_int_equal(Replay_idSpace(run->replay), 2);
   assert_string_equal(Replay_names(run->replay)[0], "replay_nosensor");
   assert_string_equal(Replay_names(run->replay)[1], "replay_crlf");
   run_close(run);
   assert_true(run_open(run, "--replay", "@replay_basic.csv", "--columns", "sensor=none", NULL));
   assert_int_equal(Replay_idSpace(run->replay), 1);
   assert_string_equal(Replay_names(run->replay)[0], "replay_basic");
   run_close(run);
   free(run);
}

static void columns_option__by_name_or_index__picks_the_columns(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@replay_columns.csv", "--columns", "time=when,sensor=id,value=temp", NULL));
   assert_int_equal(run_drain(run, 100), 2);
   assert_int_equal(run->rec[1].t_arrival, S(10));
   assert_float_equal(run->rec[1].value, 2.5, 0);
   assert_string_equal(Replay_names(run->replay)[1], "s2");
   run_close(run);
   assert_true(run_open(run, "--replay", "@replay_columns.csv", "--columns", "value=3,time=1,sensor=2", NULL));
   assert_int_equal(run_drain(run, 100), 2);
   assert_float_equal(run->rec[0].value, 1.5, 0);
   run_close(run);
   free(run);
   expect_open_error("replay_columns.csv:1: --columns time=nope: no column named 'nope' (columns: when, id, temp, "
                     "extra)",
                     "--replay", "@replay_columns.csv", "--columns", "time=nope", NULL);
   expect_open_error("replay_columns.csv:1: --columns value=9, but the header has 4 columns", "--replay",
                     "@replay_columns.csv", "--columns", "value=9", NULL);
   expect_open_error("replay_columns.csv:1: time and value are the same column when", "--replay", "@replay_columns.csv",
                     "--columns", "time=1,value=when", NULL);
}

static void several_files__merge_in_time_order_with_ties_by_file_order(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@replay_merge_a.csv", "--replay", "@replay_merge_b.csv", NULL));
   /* names in the order the rows are read: file a's first slice (a, b) at open, then file b's (c) */
   assert_int_equal(Replay_sensors(run->replay), 3);
   assert_string_equal(Replay_names(run->replay)[2], "c");
   static const struct {
      int64_t t;
      uint32_t sensor;
      double value;
   } want[] = {{0, 0, 1}, {S(1), 2, 2}, {S(2), 0, 3}, {S(2), 1, 33}, {S(2), 2, 30}, {S(3), 1, 4}, {S(4), 0, 5}};
   assert_int_equal(run_drain(run, 100), 7);
   for (size_t i = 0; i < 7; i++) {
      assert_int_equal(run->rec[i].t_arrival, want[i].t);
      assert_int_equal(run->rec[i].sensor, want[i].sensor);
      assert_float_equal(run->rec[i].value, want[i].value, 0);
   }
   ReplayPosition pos;
   Replay_position(run->replay, &pos);
   assert_int_equal(pos.n_files, 2);
   assert_int_equal(pos.file_index, 0);
   assert_int_equal(pos.rows, 7);
   run_close(run);
   free(run);
}

/* ---------------------------------------------------------------- pacing */

static void speed__scales_file_time_and_max_plays_asap(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@replay_mixed.csv", "--speed", "4", NULL));
   assert_int_equal(run_drain(run, 100), 5);
   for (size_t i = 0; i < 5; i++)
      assert_int_equal(run->rec[i].t_arrival, S(0.25 * (double)i));
   run_close(run);
   assert_true(run_open(run, "--replay", "@replay_mixed.csv", "--speed", "max", NULL));
   assert_int_equal(run_drain(run, 100), 5);
   for (size_t i = 0; i < 5; i++)
      assert_true(run->rec[i].t_arrival == GENERATOR_ASAP);
   ReplayPosition pos;
   Replay_position(run->replay, &pos);
   assert_float_equal(pos.speed, 0, 0);
   run_close(run);
   free(run);
}

static void retune__faster_speed__continues_from_the_current_record(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@replay_mixed.csv", NULL)); /* 0 1 2 3 4 s */
   Generator* g = run_gen(run);
   Record r[5];
   assert_true(g->ops->next(g, &r[0]));
   assert_true(g->ops->next(g, &r[1])); /* the engine holds r[1], due at 1 s */
   assert_int_equal(r[1].t_arrival, S(1));
   Knobs k = {.speed = 2};
   g->ops->retune(g, &k);
   g->ops->retime(g, &r[1]);
   assert_int_equal(r[1].t_arrival, S(0.5)); /* 1 s of file time after r[0], at 2x */
   for (int i = 2; i < 5; i++)
      assert_true(g->ops->next(g, &r[i]));
   assert_int_equal(r[2].t_arrival, S(1.0));
   assert_int_equal(r[3].t_arrival, S(1.5));
   assert_int_equal(r[4].t_arrival, S(2.0));
   run_close(run);
   free(run);
}

static void retune__without_retime__never_goes_back_before_the_held_record(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@replay_mixed.csv", NULL));
   Generator* g = run_gen(run);
   Record r[5];
   assert_true(g->ops->next(g, &r[0]));
   assert_true(g->ops->next(g, &r[1]));
   Knobs k = {.speed = 4};
   g->ops->retune(g, &k);
   for (int i = 2; i < 5; i++)
      assert_true(g->ops->next(g, &r[i]));
   /* r[1] stays at 1 s; r[2] would be 0.5 s at 4x from r[0]: held back to 1 s */
   assert_int_equal(r[2].t_arrival, S(1.0));
   assert_int_equal(r[3].t_arrival, S(1.0));
   assert_int_equal(r[4].t_arrival, S(1.0));
   run_close(run);
   free(run);
}

static void retune__from_max_to_paced__spaces_records_from_now(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@replay_mixed.csv", "--speed", "max", NULL));
   Generator* g = run_gen(run);
   Record r[5];
   assert_true(g->ops->next(g, &r[0]));
   assert_true(g->ops->next(g, &r[1]));
   assert_true(r[1].t_arrival == GENERATOR_ASAP);
   g->ops->paused(g, 5 * NS_PER_SEC); /* the engine's clock moved 5 s: ours too */
   Knobs k = {.speed = 1};
   g->ops->retune(g, &k);
   g->ops->retime(g, &r[1]);
   int64_t now = r[1].t_arrival;
   assert_true(now >= 0 && now < 60 * NS_PER_SEC);
   for (int i = 2; i < 5; i++)
      assert_true(g->ops->next(g, &r[i]));
   assert_int_equal(r[2].t_arrival, now + S(1));
   assert_int_equal(r[4].t_arrival, now + S(3));
   k.speed = 0;
   g->ops->retune(g, &k);
   g->ops->retime(g, &r[4]);
   assert_true(r[4].t_arrival == GENERATOR_ASAP);
   run_close(run);
   free(run);
}

static void loop__continues_time_after_the_last_record(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@replay_basic.csv", "--loop", NULL));
   assert_int_equal(run_drain(run, 9), 9);
   for (size_t i = 0; i < 9; i++) {
      assert_int_equal(run->rec[i].t_arrival, S(0.5 * (double)i)); /* average interval 0.5 s */
      assert_float_equal(run->rec[i].value, (double)(i % 3 + 1), 0);
      assert_int_equal(run->rec[i].sensor, i % 3 == 1 ? 1 : 0);
   }
   ReplayPosition pos;
   Replay_position(run->replay, &pos);
   assert_int_equal(pos.loops, 2);
   assert_false(pos.finished);
   assert_int_equal(pos.records, 9);
   run_close(run);
   free(run);
}

static void loop__single_record_file__repeats_one_second_apart(void** state) {
   (void)state;
   TestUtil_writeFile("one.csv", "time,value\n5,1\n", 15);
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "%one.csv", "--loop", NULL));
   assert_int_equal(run_drain(run, 3), 3);
   assert_int_equal(run->rec[0].t_arrival, 0);
   assert_int_equal(run->rec[2].t_arrival, S(2));
   run_close(run);
   free(run);
}

/* A file without a sensor column is one sensor on every pass: a loop names no new ones. */
static void loop__file_named_sensor__stays_one_sensor_on_every_pass(void** state) {
   (void)state;
   TestUtil_writeFile("named.csv", "time,value\n1,10\n2,20\n", 21);
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "%named.csv", "--loop", NULL));
   assert_int_equal(run_drain(run, 7), 7);
   for (int i = 0; i < 7; i++)
      assert_int_equal(run->rec[i].sensor, 0);
   assert_int_equal(Replay_sensors(run->replay), 1);
   assert_true(Replay_idSpace(run->replay) >= 1);
   run_close(run);
   free(run);
}

/* ------------------------------------------------ moves (the dashboard's keys) */

/* time,value: rows 0 .. n-1 s, value i (with step > 1: every step s). */
static void write_seconds(const char* name, int n, int from, int step) {
   char text[8192];
   size_t at = (size_t)snprintf(text, sizeof text, "time,value\n");
   for (int i = 0; i < n && at < sizeof text - 32; i++)
      at += (size_t)snprintf(text + at, sizeof text - at, "%d,%d\n", from + i * step, from + i * step);
   TestUtil_writeFile(name, text, at);
}

static bool run_move(Play* run, GeneratorMove how, int count, int64_t now_rel, Record* held) {
   char what[GENERATOR_MOVE_TEXT];
   Generator* g = run_gen(run);
   return g->ops->move(g, how, count, now_rel, held, what, sizeof what);
}

/* Every record the engine was given so far is in event-time order (a move back must not go back in time). */
static void assert_event_order(const Play* run) {
   for (size_t i = 1; i < run->n; i++)
      assert_true(run->rec[i].t_event >= run->rec[i - 1].t_event);
}

/* Take up to max records, in blocks of up to block (next() where a block gives none); 0: next() only. */
static size_t run_take(Play* run, size_t max, size_t block) {
   Generator* g = run_gen(run);
   while (run->n < max && run->n < MAX_RECORDS) {
      size_t room = max - run->n < MAX_RECORDS - run->n ? max - run->n : MAX_RECORDS - run->n;
      size_t k = block ? g->ops->nextBlock(g, &run->rec[run->n], room < block ? room : block) : 0;
      if (k == 0 && !g->ops->next(g, &run->rec[run->n]))
         break;
      run->n += k ? k : 1;
   }
   return run->n;
}

/* --speed max, two files merged by time (rows sharing one), passes after passes (--loop): blocks of 7 give the
 * records next() gives, and a restart holding the last one a block gave goes on as after next(). */
static void next_block__gives_what_next_gives__and_a_move_after_it_holds_its_last(void** state) {
   (void)state;
   char a[16384] = "time,sensor,value\n", b[16384] = "time,sensor,value\n";
   for (int i = 0; i < 400; i++) {
      size_t at = strlen(a);
      snprintf(a + at, sizeof a - at, "%d,a%d,%d.5\n", i, i % 3, i);
      at = strlen(b);
      snprintf(b + at, sizeof b - at, "%d,b%d,%d.25\n", i + i % 2, i % 5, i);
   }
   TestUtil_writeFile("blocka.csv", a, strlen(a));
   TestUtil_writeFile("blockb.csv", b, strlen(b));
   Play* runs = malloc(2 * sizeof *runs);
   for (int r = 0; r < 2; r++) {
      Play* run = &runs[r];
      assert_true(run_open(run, "--replay", "%blocka.csv", "--replay", "%blockb.csv", "--speed", "max", "--loop", NULL));
      size_t block = r == 0 ? 0 : 7;
      assert_int_equal(run_take(run, 1000, block), 1000);
      assert_true(run_move(run, GENERATOR_MOVE_RESTART, 0, S(1), &run->rec[999]));
      run->n = 999; /* the held record was given back */
      run_take(run, 999 + 2500, block);
   }
   assert_int_equal(runs[0].n, 999 + 2500);
   assert_int_equal(runs[1].n, runs[0].n);
   for (size_t i = 0; i < runs[0].n; i++) {
      const Record *x = &runs[0].rec[i], *y = &runs[1].rec[i];
      if (x->t_event != y->t_event || x->sensor != y->sensor || x->value != y->value || x->t_arrival != y->t_arrival)
         fail_msg("record %zu: next() %lld %u %g, blocks %lld %u %g", i, (long long)x->t_event, x->sensor, x->value,
                  (long long)y->t_event, y->sensor, y->value);
   }
   for (int r = 0; r < 2; r++)
      run_close(&runs[r]);
   free(runs);
}

static void seek__forward_a_tenth__passes_rows_over_and_counts_them(void** state) {
   (void)state;
   write_seconds("hundred.csv", 100, 0, 1); /* 0 .. 99 s: a tenth is 9.9 s */
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "%hundred.csv", NULL));
   assert_int_equal(run_drain(run, 11), 11); /* 0 .. 9 played, 10 held */
   run->n = 10;
   assert_true(run_move(run, GENERATOR_MOVE_SEEK, 1, S(42), &run->rec[10]));
   assert_int_equal(run_drain(run, 12), 12);
   /* 10 + 9.9 s: the first row at or after 19.9 s, scheduled now; the held row and 11 .. 19 passed over */
   assert_float_equal(run->rec[10].value, 20, 0);
   assert_int_equal(run->rec[10].t_arrival, S(42));
   assert_int_equal(run->rec[11].t_arrival, S(43));
   assert_event_order(run);
   ReplayPosition pos;
   Replay_position(run->replay, &pos);
   assert_int_equal(pos.skipped_rows, 10);
   assert_int_equal(pos.skipped_records, 10);
   assert_int_equal(pos.records, 12);
   assert_int_equal(pos.seeks, 1);
   /* to the end: 21 + 9.9 s, and past the last row it stops at the last one */
   run->n = 11;
   assert_true(run_move(run, GENERATOR_MOVE_SEEK, 9, S(50), &run->rec[11]));
   assert_int_equal(run_drain(run, 100), 12);
   assert_float_equal(run->rec[11].value, 99, 0);
   Replay_position(run->replay, &pos);
   assert_int_equal(pos.skipped_rows, 10 + 78);
   assert_int_equal(pos.records + pos.skipped_records, 100);
   assert_true(pos.finished);
   assert_false(run_move(run, GENERATOR_MOVE_SEEK, 1, S(60), NULL)); /* at the end */
   run_close(run);
   free(run);
}

/* A seek over a large file passed every row before its target even when the run had stopped: q, SIGINT
 * and SIGTERM waited seconds for it (16M rows: 1.6 s). Once the engine's stop is set it ends within
 * 4096 rows; without it the same seek passes them all. */
static void seek__a_stopped_run__ends_a_long_seek_early(void** state) {
   (void)state;
   enum { ROWS = 40000 };
   char* text = malloc(ROWS * 16 + 16);
   assert_non_null(text);
   size_t at = (size_t)sprintf(text, "time,value\n");
   for (int i = 0; i < ROWS; i++)
      at += (size_t)sprintf(text + at, "%d,%d\n", i, i % 7);
   TestUtil_writeFile("long.csv", text, at);
   free(text);
   for (int stopped = 0; stopped < 2; stopped++) {
      _Atomic bool stop = stopped;
      Play* run = malloc(sizeof *run);
      assert_true(run_open(run, "--replay", "%long.csv", NULL));
      run_gen(run)->stop = &stop;
      assert_int_equal(run_drain(run, 2), 2);
      run->n = 1;
      assert_true(run_move(run, GENERATOR_MOVE_SEEK, 9, S(1), &run->rec[1]));
      ReplayPosition pos;
      Replay_position(run->replay, &pos);
      if (stopped)
         assert_true(pos.skipped_rows <= 4096);
      else
         assert_true(pos.skipped_rows > ROWS * 8 / 10);
      run_close(run);
      free(run);
   }
}

static void seek__back_and_restart__play_rows_again_later_in_event_time(void** state) {
   (void)state;
   write_seconds("hundred.csv", 100, 0, 1);
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "%hundred.csv", NULL));
   assert_int_equal(run_drain(run, 51), 51); /* 0 .. 49 played, 50 held */
   run->n = 50;
   assert_true(run_move(run, GENERATOR_MOVE_SEEK, -1, S(60), &run->rec[50]));
   assert_int_equal(run_drain(run, 52), 52);
   assert_float_equal(run->rec[50].value, 41, 0); /* 50 - 9.9 s: from 41 s on */
   assert_float_equal(run->rec[51].value, 42, 0);
   assert_int_equal(run->rec[50].t_arrival, S(60));
   assert_int_equal(run->rec[51].t_event - run->rec[50].t_event, S(1)); /* the spacing stays */
   assert_event_order(run);
   /* restart: from the first row, after the newest in event time */
   run->n = 51;
   assert_true(run_move(run, GENERATOR_MOVE_RESTART, 0, S(70), &run->rec[51]));
   assert_int_equal(run_drain(run, MAX_RECORDS), 51 + 100);
   assert_float_equal(run->rec[51].value, 0, 0);
   assert_float_equal(run->rec[150].value, 99, 0);
   assert_int_equal(run->rec[51].t_arrival, S(70));
   assert_event_order(run);
   ReplayPosition pos;
   Replay_position(run->replay, &pos);
   assert_int_equal(pos.records, 151); /* every record handed on counts, again after a move back */
   assert_int_equal(pos.rows, 151);
   assert_int_equal(pos.skipped_rows, 0);
   assert_int_equal(pos.seeks, 2);
   assert_true(pos.finished);
   /* after the end, a restart plays it all again */
   assert_true(run_move(run, GENERATOR_MOVE_RESTART, 0, S(200), NULL));
   Replay_position(run->replay, &pos);
   assert_false(pos.finished);
   run->n = 0;
   assert_int_equal(run_drain(run, MAX_RECORDS), 100);
   run_close(run);
   free(run);
}

static void seek__several_files__move_together_by_time(void** state) {
   (void)state;
   write_seconds("even.csv", 50, 0, 2); /* 0 2 .. 98 */
   write_seconds("odd.csv", 50, 1, 2);  /* 1 3 .. 99: the span is 0 .. 99 s */
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "%even.csv", "--replay", "%odd.csv", NULL));
   assert_int_equal(run_drain(run, 6), 6); /* 0 .. 4 played, 5 held */
   run->n = 5;
   assert_true(run_move(run, GENERATOR_MOVE_SEEK, 2, S(10), &run->rec[5]));
   assert_int_equal(run_drain(run, 9), 9);
   /* 5 + 19.8 s: 25 (odd.csv), 26 (even.csv), 27 (odd.csv) */
   assert_float_equal(run->rec[5].value, 25, 0);
   assert_float_equal(run->rec[6].value, 26, 0);
   assert_float_equal(run->rec[7].value, 27, 0);
   assert_int_equal(run->rec[6].sensor, 0);
   assert_int_equal(run->rec[5].sensor, 1);
   ReplayPosition pos;
   Replay_position(run->replay, &pos);
   assert_int_equal(pos.skipped_rows, 20); /* 5 .. 24 */
   run_close(run);
   free(run);
}

static void step__plays_the_held_burst_now_and_keeps_the_spacing(void** state) {
   (void)state;
   TestUtil_writeText("bursts.csv", "time,sensor,value\n0,a,1\n0,b,2\n5,a,3\n5,b,4\n15,a,5\n");
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "%bursts.csv", NULL));
   assert_int_equal(run_drain(run, 3), 3); /* the burst at 5 s is held, due at 5 s */
   assert_int_equal(run->rec[2].t_arrival, S(5));
   /* paused 2 s in: the held burst plays as of then */
   assert_true(run_move(run, GENERATOR_MOVE_STEP, 1, S(2), &run->rec[2]));
   assert_int_equal(run->rec[2].t_arrival, S(2));
   assert_int_equal(run_drain(run, 5), 5);
   assert_int_equal(run->rec[3].t_arrival, S(2)); /* the same burst */
   assert_int_equal(run->rec[4].t_arrival, S(12)); /* 10 s after it, as in the file */
   assert_event_order(run);
   assert_false(run_move(run, GENERATOR_MOVE_STEP, 1, S(20), NULL)); /* nothing held: the end */
   run_close(run);
   free(run);
}

static void loop__turned_on_and_off_live__plays_again_or_ends(void** state) {
   (void)state;
   write_seconds("three.csv", 3, 0, 1);
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "%three.csv", NULL));
   assert_int_equal(run_drain(run, 10), 3);
   ReplayPosition pos;
   Replay_position(run->replay, &pos);
   assert_true(pos.finished);
   assert_false(pos.loop);
   assert_true(run_move(run, GENERATOR_MOVE_LOOP, 1, S(10), NULL));
   assert_int_equal(run_drain(run, 8), 8); /* the ended replay goes on: two more passes, and part of one */
   assert_event_order(run);
   assert_int_equal(run->rec[3].t_event - run->rec[2].t_event, S(1));
   Replay_position(run->replay, &pos);
   assert_true(pos.loop);
   assert_int_equal(pos.loops, 2);
   assert_true(run_move(run, GENERATOR_MOVE_LOOP, 0, S(10), NULL));
   assert_int_equal(run_drain(run, 100), 9); /* the pass in play ends, and so does the replay */
   Replay_position(run->replay, &pos);
   assert_true(pos.finished);
   assert_false(pos.loop);
   run_close(run);
   free(run);
}

static void restart__late_rows__are_put_in_order_again(void** state) {
   (void)state;
   TestUtil_writeText("late.csv", "time,value\n0,0\n2,2\n1,1\n3,3\n5,5\n4,4\n6,6\n");
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "%late.csv", "--max-lateness", "5s", NULL));
   assert_int_equal(run_drain(run, 4), 4); /* 0 1 2 played, 3 held */
   run->n = 3;
   assert_true(run_move(run, GENERATOR_MOVE_RESTART, 0, S(10), &run->rec[3]));
   assert_int_equal(run_drain(run, MAX_RECORDS), 3 + 7);
   for (size_t i = 0; i < run->n; i++)
      assert_float_equal(run->rec[i].value, (double)(i < 3 ? i : i - 3), 0); /* the reorder buffer works again */
   assert_event_order(run);
   ReplayPosition pos;
   Replay_position(run->replay, &pos);
   assert_int_equal(pos.late_rows, 0);
   run_close(run);
   free(run);
}

static void moves__an_input_read_as_it_comes__are_refused(void** state) {
   (void)state;
   write_seconds("followed.csv", 3, 0, 1);
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "%followed.csv", "--follow", NULL));
   Record r;
   Generator* g = run_gen(run);
   assert_true(g->ops->next(g, &r));
   char what[GENERATOR_MOVE_TEXT];
   assert_false(g->ops->move(g, GENERATOR_MOVE_SEEK, 1, 0, &r, what, sizeof what));
   assert_non_null(strstr(what, "cannot seek: a stream or --follow"));
   assert_false(g->ops->move(g, GENERATOR_MOVE_RESTART, 0, 0, &r, what, sizeof what));
   assert_false(g->ops->move(g, GENERATOR_MOVE_LOOP, 1, 0, &r, what, sizeof what));
   ReplayPosition pos;
   Replay_position(run->replay, &pos);
   assert_false(pos.can_move);
   assert_int_equal(pos.seeks, 0);
   assert_true(g->ops->next(g, &r)); /* and it goes on */
   assert_float_equal(r.value, 1, 0);
   run_close(run);
   free(run);
}

/* --------------------------------------------------------- bad rows: stop */

static void stop__each_bad_row__fails_with_file_line_column_reason(void** state) {
   (void)state;
   expect_records_then("@bad_fields.csv", 1, "bad_fields.csv:3: expected 2 fields as in the header, found 3" SKIP_HINT);
   expect_records_then("@bad_number.csv", 1, "bad_number.csv:3: column value: unparsable number 'ten'" SKIP_HINT);
   expect_records_then("@bad_time.csv", 2, "bad_time.csv:4: column time: unparsable time 'later': not a number" SKIP_HINT);
   expect_records_then("@bad_utf8.csv", 1, "bad_utf8.csv:3: column sensor: sensor name is not valid UTF-8" SKIP_HINT);
   expect_records_then("@bad_nul.csv", 1, "bad_nul.csv:3: column value: unparsable number '2?0'" SKIP_HINT);
   expect_records_then("@bad_quoted_lines.csv", 2, "bad_quoted_lines.csv:7: column value: unparsable number 'thirty'" SKIP_HINT);
   expect_records_then("@bad_recording_id.csv", 1,
                       "bad_recording_id.csv:11: column sensor: sensor '9' is not an id below 4" SKIP_HINT);
}

static void open__unusable_files__are_refused_with_a_clear_message(void** state) {
   (void)state;
   expect_open_error("bad_empty.csv: empty file", "--replay", "@bad_empty.csv", NULL);
   expect_open_error("bad_header_only.csv: no records after the header (line 1)", "--replay", "@bad_header_only.csv",
                     NULL);
   expect_open_error("bad_comments_only.csv: no header row (only '#' lines)", "--replay", "@bad_comments_only.csv",
                     NULL);
   expect_open_error("bad_binary.bin:1: the header row is not text", "--replay", "@bad_binary.bin", NULL);
   expect_open_error("bad_recording_version.csv:1: recording format 3 is newer than this keepup reads (2)", "--replay",
                     "@bad_recording_version.csv", NULL);
   expect_open_error("no-such-file.csv: cannot open: No such file or directory", "--replay", "%no-such-file.csv", NULL);
   expect_open_error(": not a file, a pipe or a device (a directory?)", "--replay", "@", NULL);
   expect_open_error("replay_basic.csv and ", "--replay", "@replay_basic.csv", "--replay", "@bad_recording_id.csv",
                     NULL);
}

/* --------------------------------------------------------- bad rows: skip */

static void skip__bad_rows__are_counted_with_their_lines_and_skipped(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(
       run_open(run, "--replay", "@bad_quoted_lines.csv", "--replay", "@bad_fields.csv", "--on-bad-row", "skip", NULL));
   assert_int_equal(run_drain(run, 100), 4);
   assert_null(Replay_error(run->replay));
   const char* msgs[REPLAY_BAD_KEPT];
   size_t n;
   assert_int_equal(Replay_badRows(run->replay, msgs, REPLAY_BAD_KEPT, &n), 2);
   assert_int_equal(n, 2);
   /* rows are parsed one slice ahead of play, file by file */
   assert_string_equal(short_msg(msgs[0]), "bad_quoted_lines.csv:7: column value: unparsable number 'thirty'");
   assert_string_equal(short_msg(msgs[1]), "bad_fields.csv:3: expected 2 fields as in the header, found 3");
   ReplayPosition pos;
   Replay_position(run->replay, &pos);
   assert_int_equal(pos.bad_rows, 2);
   run_close(run);
   free(run);
}

/* A row whose time is before the previous row's is late, not bad: by default it plays at once, keeping its own
 * time, counted with its lateness and its line; --max-lateness puts it in order; --on-late drops it or stops. */
static void late_rows__play_drop_stop_or_reorder(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@bad_backwards.csv", "--speed", "max", NULL));
   assert_int_equal(run_drain(run, 100), 4);
   static const int64_t played[] = {S(1), S(3), S(2), S(4)};
   for (size_t i = 0; i < 4; i++)
      assert_int_equal(run->rec[i].t_event, played[i]);
   const char* msgs[2];
   size_t n;
   assert_int_equal(Replay_lateRows(run->replay, msgs, 2, &n), 1);
   assert_string_equal(short_msg(msgs[0]), "bad_backwards.csv:4: column time: time goes backwards (2 after 3): 1.00 s "
                                           "late, played at once (--max-lateness 1s would put it in order)");
   assert_int_equal(Replay_badRows(run->replay, NULL, 0, NULL), 0);
   assert_null(Replay_error(run->replay));
   run_close(run);

   assert_true(run_open(run, "--replay", "@bad_backwards.csv", "--speed", "max", "--max-lateness", "1s", NULL));
   assert_int_equal(run_drain(run, 100), 4);
   for (size_t i = 0; i < 4; i++)
      assert_int_equal(run->rec[i].t_event, S(1 + (double)i)); /* in time order */
   assert_int_equal(Replay_lateRows(run->replay, NULL, 0, NULL), 0);
   run_close(run);

   assert_true(run_open(run, "--replay", "@bad_backwards.csv", "--speed", "max", "--on-late", "drop", NULL));
   assert_int_equal(run_drain(run, 100), 3);
   assert_int_equal(run->rec[2].t_event, S(4));
   assert_int_equal(Replay_lateRows(run->replay, NULL, 0, NULL), 1);
   ReplayFileStats st;
   Replay_fileStats(run->replay, 0, &st);
   assert_int_equal(st.late, 1);
   assert_int_equal(st.late_dropped, 1);
   assert_int_equal(st.max_lateness_ns, S(1));
   assert_int_equal(st.rows_read, 4);
   assert_int_equal(st.rows_played, 3);
   run_close(run);
   free(run);

   expect_records_then_options("@bad_backwards.csv", 2,
                               "bad_backwards.csv:4: column time: time goes backwards (2 after 3, 1.00 s late): "
                               "--max-lateness 1s would put it in order; --on-late play or drop would go on",
                               "--on-late", "stop");
}

static void skip__only_bad_rows__is_refused_at_open(void** state) {
   (void)state;
   TestUtil_writeFile("allbad.csv", "time,value\nx,1\ny,2\n", 19);
   expect_open_error("allbad.csv: no valid records: all 2 data rows are bad (first: ", "--replay", "%allbad.csv",
                     "--on-bad-row", "skip", NULL);
}

/* ------------------------------------------------------- huge and binary */

static char* make_big(size_t field, const char* head, const char* tail, size_t* len, char fill, size_t nl_every) {
   size_t hl = strlen(head), tl = strlen(tail);
   char* buf = malloc(hl + field + tl);
   memcpy(buf, head, hl);
   for (size_t i = 0; i < field; i++)
      buf[hl + i] = nl_every && i % nl_every == nl_every - 1 ? '\n' : fill;
   memcpy(buf + hl + field, tail, tl);
   *len = hl + field + tl;
   return buf;
}

static void field_over_the_cap__is_a_bad_row_and_reading_goes_on(void** state) {
   (void)state;
   size_t len;
   char* data = make_big(2 * CSVREADER_FIELD_MAX, "time,value\n1,1\n2,", "\n3,3\n4,x\n", &len, '9', 0);
   TestUtil_writeFile("long.csv", data, len);
   free(data);
   expect_records_then("%long.csv", 1, "long.csv:3: column value: field longer than 1048576 bytes" SKIP_HINT);
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "%long.csv", "--on-bad-row", "skip", NULL));
   assert_int_equal(run_drain(run, 100), 2);
   assert_float_equal(run->rec[1].value, 3, 0);
   const char* msgs[2];
   size_t n;
   assert_int_equal(Replay_badRows(run->replay, msgs, 2, &n), 2);
   assert_string_equal(short_msg(msgs[1]), "long.csv:5: column value: unparsable number 'x'");
   run_close(run);
   free(run);
}

static void quoted_field_over_the_cap__keeps_line_numbers_right(void** state) {
   (void)state;
   size_t len;
   /* 3 MiB quoted field with a line break every 1000 bytes: 3145 breaks inside it */
   char* data = make_big(3 * CSVREADER_FIELD_MAX, "time,value\n1,1\n2,\"", "\",5\n3,3\n4,x\n", &len, 'q', 1000);
   TestUtil_writeFile("longq.csv", data, len);
   free(data);
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "%longq.csv", "--on-bad-row", "skip", NULL));
   assert_int_equal(run_drain(run, 100), 2);
   const char* msgs[2];
   size_t n;
   assert_int_equal(Replay_badRows(run->replay, msgs, 2, &n), 2);
   assert_string_equal(short_msg(msgs[0]), "longq.csv:3: column value: field longer than 1048576 bytes");
   char want[128];
   snprintf(want, sizeof want, "longq.csv:%d: column value: unparsable number 'x'",
            3 + 3 * CSVREADER_FIELD_MAX / 1000 + 2);
   assert_string_equal(short_msg(msgs[1]), want);
   run_close(run);
   free(run);
}

/* Line breaks inside short quoted fields of every length from 1 to 9 bytes, at each position: the reader
 * checks a short field's bytes in overlapping words, and a break it missed would put the bad row's
 * FILE:LINE too high. */
static void line_breaks_in_short_quoted_fields__keep_line_numbers_right(void** state) {
   (void)state;
   char data[8192] = "time,note,value\n";
   size_t at = strlen(data);
   int line = 2, t = 1;
   for (int n = 1; n <= 9; n++) {
      for (int k = 0; k < n; k++) {
         char field[16];
         memset(field, 'a', (size_t)n);
         field[k] = '\n';
         field[n] = '\0';
         at += (size_t)snprintf(data + at, sizeof data - at, "%d,\"%s\",1\n", t++, field);
         line += 2;
      }
   }
   snprintf(data + at, sizeof data - at, "%d,ok,x\n", t);
   TestUtil_writeFile("shortq.csv", data, strlen(data));
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "%shortq.csv", "--on-bad-row", "skip", NULL));
   assert_int_equal(run_drain(run, 100), (size_t)(t - 1));
   const char* msgs[1];
   size_t n;
   assert_int_equal(Replay_badRows(run->replay, msgs, 1, &n), 1);
   char want[128];
   snprintf(want, sizeof want, "shortq.csv:%d: column value: unparsable number 'x'", line);
   assert_string_equal(short_msg(msgs[0]), want);
   run_close(run);
   free(run);
}

static void ten_megabyte_single_field__is_refused_without_reading_it_all_into_memory(void** state) {
   (void)state;
   size_t len;
   char* data = make_big(10 * 1000 * 1000, "", "", &len, 'A', 0);
   TestUtil_writeFile("huge.csv", data, len);
   free(data);
   expect_open_error("huge.csv:1: header field longer than 1048576 bytes", "--replay", "%huge.csv", NULL);
   data = make_big(10 * 1000 * 1000, "time,value\n1,", "", &len, '7', 0);
   TestUtil_writeFile("huge2.csv", data, len);
   free(data);
   expect_open_error("huge2.csv:2: column value: field longer than 1048576 bytes", "--replay", "%huge2.csv", NULL);
}

static void many_rows__line_numbers_hold_across_read_buffers(void** state) {
   (void)state;
   /* 300,000 CRLF rows (several MB, many 256 KiB reads and 16 KiB slices), one bad row near the end */
   size_t rows = 300000, bad = 299990;
   FILE* f;
   char path[TESTUTIL_PATH_MAX];
   f = fopen(TestUtil_path(path, "many.csv"), "wb");
   assert_non_null(f);
   fputs("time,sensor,value\r\n", f);
   for (size_t i = 1; i <= rows; i++) {
      if (i == bad)
         fprintf(f, "%zu.5,\"s%zu\",oops\r\n", i, i % 7);
      else
         fprintf(f, "%zu.5,\"s%zu\",%zu\r\n", i, i % 7, i);
   }
   assert_int_equal(fclose(f), 0);
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "%many.csv", "--speed", "max", NULL));
   Generator* g = run_gen(run);
   Record r;
   size_t n = 0;
   double sum = 0;
   while (g->ops->next(g, &r)) {
      n++;
      sum += r.value;
   }
   assert_int_equal(n, bad - 1);
   assert_float_equal(sum, (double)(bad - 1) * (double)bad / 2, 0);
   char want[128];
   snprintf(want, sizeof want, "many.csv:%zu: column value: unparsable number 'oops'" SKIP_HINT, bad + 1);
   assert_string_equal(short_msg(Replay_error(run->replay)), want);
   assert_int_equal(Replay_sensors(run->replay), 7);
   run_close(run);
   free(run);
}

/* A file cut short while it plays ends the replay with a message, not as a clean end (exit 0 before). */
static void truncated_while_playing__stops_with_a_message(void** state) {
   (void)state;
   char path[TESTUTIL_PATH_MAX];
   FILE* f = fopen(TestUtil_path(path, "shrinks.csv"), "wb");
   assert_non_null(f);
   fputs("time,value\n", f);
   for (size_t i = 1; i <= 100000; i++) /* about 1.2 MB: more than one read at open */
      fprintf(f, "%zu,%zu\n", i, i);
   assert_int_equal(fclose(f), 0);
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "%shrinks.csv", "--speed", "max", NULL));
   assert_int_equal(truncate(path, 1000), 0);
   Generator* g = run_gen(run);
   Record r;
   size_t n = 0;
   while (g->ops->next(g, &r))
      n++;
   assert_true(n < 100000);
   const char* why = Replay_error(run->replay);
   if (!why)
      fail_msg("a file truncated while playing ended cleanly after %zu records", n);
   assert_non_null(strstr(why, "shrinks.csv: ended after"));
   assert_non_null(strstr(why, "truncated while being read"));
   run_close(run);
   free(run);
}

/* ------------------------------------------------------------- recordings */

static void recording_header__gives_params_and_notes(void** state) {
   (void)state;
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", "@bad_recording_id.csv", NULL));
   assert_true(Replay_isRecording(run->replay));
   const PipelineParams* p = Replay_params(run->replay);
   assert_non_null(p);
   assert_int_equal(p->id_space, 4);
   assert_int_equal(p->window, 10);
   assert_float_equal(p->threshold, 3, 0);
   assert_true(p->valid_lo < -1e308 && p->valid_hi > 1e308);
   assert_int_equal(p->cache_capacity, 16);
   assert_null(p->allow);
   assert_null(p->cal);
   assert_null(Replay_names(run->replay));
   assert_int_equal(Replay_idSpace(run->replay), 4);
   assert_string_equal(Replay_note(run->replay, "version"), "0.1.0");
   assert_null(Replay_note(run->replay, "seed"));
   /* a recording's times count from its start, not from its first record */
   Record r;
   Generator* g = run_gen(run);
   assert_true(g->ops->next(g, &r));
   assert_int_equal(r.t_arrival, 1);
   assert_int_equal(r.sensor, 1);
   run_close(run);
   free(run);
}

/* ---------------------------------------------------------------- options */

/* Options_parse over a NULL-terminated argument list (copied: argv entries must be writable). */
static OptionsResult parse_args(Options* o, char* err, size_t errlen, ...) {
   static char* argv[MAX_ARGS];
   static int argc;
   for (int i = 0; i < argc; i++)
      free(argv[i]);
   argc = 0;
   argv[argc++] = strdup("keepup");
   va_list ap;
   va_start(ap, errlen);
   for (const char* a; (a = va_arg(ap, const char*)) && argc < MAX_ARGS;)
      argv[argc++] = strdup(a);
   va_end(ap);
   Options_init(o);
   return Options_parse(o, argc, argv, err, errlen);
}

static void options__record_and_replay_rows__parse_and_check(void** state) {
   (void)state;
   Options o;
   char err[256];
   Options_init(&o);
   assert_float_equal(o.setup.knobs.speed, 1, 0);
   assert_int_equal(o.delimiter, 0); /* found in the header line */
   assert_int_equal(o.time_unit, CSVTIME_AUTO);
   assert_int_equal(o.on_bad_row, REPLAY_BAD_STOP);
   assert_int_equal(parse_args(&o, err, sizeof err, "--replay", "a.csv", "--replay", "b.csv", "--speed", "max",
                               "--delimiter", "tab", "--time-unit", "ms", "--on-bad-row", "skip", "--loop", "--columns",
                               "time=1,value=2", NULL),
                    OPTIONS_OK);
   assert_int_equal(o.replay.n, 2);
   assert_string_equal(o.replay.item[1], "b.csv");
   assert_float_equal(o.setup.knobs.speed, 0, 0);
   assert_int_equal(o.delimiter, '\t');
   assert_int_equal(o.time_unit, CSVTIME_MS);
   assert_int_equal(o.on_bad_row, REPLAY_BAD_SKIP);
   assert_true(o.loop);
   assert_true(OptCheck_replay(&o, err, sizeof err));
   assert_int_equal(parse_args(&o, err, sizeof err, "--delimiter", "\\t", "--speed", "2.5", NULL), OPTIONS_OK);
   assert_int_equal(o.delimiter, '\t');
   assert_float_equal(o.setup.knobs.speed, 2.5, 0);

   assert_int_equal(parse_args(&o, err, sizeof err, "--speed", "0.001", NULL), OPTIONS_ERROR);
   assert_string_equal(err, "--speed '0.001': expected a factor from 0.01 to 1000000, or max");
   assert_int_equal(parse_args(&o, err, sizeof err, "--delimiter", "\"", NULL), OPTIONS_ERROR);
   assert_int_equal(parse_args(&o, err, sizeof err, "--delimiter", ",,", NULL), OPTIONS_ERROR);
   assert_int_equal(parse_args(&o, err, sizeof err, "--time-unit", "h", NULL), OPTIONS_ERROR);
   assert_string_equal(err, "--time-unit 'h': expected one of auto, s, ms, us, ns");

   assert_int_equal(parse_args(&o, err, sizeof err, "--loop", NULL), OPTIONS_OK);
   assert_false(OptCheck_replay(&o, err, sizeof err));
   assert_string_equal(err, "--loop works only with --replay FILE");
   assert_int_equal(parse_args(&o, err, sizeof err, "--replay", "a.csv", "--columns", "temp=3", NULL), OPTIONS_OK);
   assert_false(OptCheck_replay(&o, err, sizeof err));
   assert_non_null(strstr(err, "--columns 'temp=3': expected time=COL"));
   assert_int_equal(parse_args(&o, err, sizeof err, "--replay", "a.csv", "--columns", "value=0", NULL), OPTIONS_OK);
   assert_false(OptCheck_replay(&o, err, sizeof err));
   /* an empty item is refused, not skipped */
   assert_int_equal(parse_args(&o, err, sizeof err, "--replay", "a.csv", "--columns", "time=1,", NULL), OPTIONS_OK);
   assert_false(OptCheck_replay(&o, err, sizeof err));
   assert_non_null(strstr(err, "--columns 'time=1,': an empty item"));
   assert_int_equal(parse_args(&o, err, sizeof err, "--replay", "a.csv", "--columns", "time=1,,value=2", NULL),
                    OPTIONS_OK);
   assert_false(OptCheck_replay(&o, err, sizeof err));
   assert_int_equal(parse_args(&o, err, sizeof err, "--replay", "x.csv", "--record", "x.csv", NULL), OPTIONS_OK);
   assert_false(OptCheck_outputs(&o, err, sizeof err));
   assert_non_null(strstr(err, "would overwrite it"));
   parse_args(&o, err, sizeof err, NULL);
}

/* ------------------------------------------------------------ shared data */

static bool shared_dir(char* out, size_t len) {
   const char* env = getenv("KEEPUP_SHARED_DATA");
   if (env && *env)
      snprintf(out, len, "%s", env);
   else
      snprintf(out, len, "%s/../shared/data", TestUtil_srcdir());
   struct stat st;
   return stat(out, &st) == 0 && S_ISDIR(st.st_mode);
}

static void nab__every_series__replays_all_its_rows(void** state) {
   (void)state;
   char dir[512];
   if (!shared_dir(dir, sizeof dir)) {
      print_message("skipped: no shared data (set KEEPUP_SHARED_DATA or put it at ../shared/data)\n");
      skip();
   }
   static const struct {
      const char* file;
      size_t rows;
   } nab[] = {
       {"realKnownCause/ambient_temperature_system_failure.csv", 7267},
       {"realKnownCause/cpu_utilization_asg_misconfiguration.csv", 18050},
       {"realKnownCause/ec2_request_latency_system_failure.csv", 4032},
       {"realKnownCause/machine_temperature_system_failure.csv", 22695},
       {"realKnownCause/nyc_taxi.csv", 10320},
       {"realKnownCause/rogue_agent_key_hold.csv", 1882},
       {"realKnownCause/rogue_agent_key_updown.csv", 5315},
       {"realTraffic/TravelTime_387.csv", 2500},
       {"realTraffic/TravelTime_451.csv", 2162},
       {"realTraffic/occupancy_6005.csv", 2380},
       {"realTraffic/occupancy_t4013.csv", 2500},
       {"realTraffic/speed_6005.csv", 2500},
       {"realTraffic/speed_7578.csv", 1127},
       {"realTraffic/speed_t4013.csv", 2495},
       {"realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv", 4032},
       {"realAWSCloudwatch/ec2_cpu_utilization_53ea38.csv", 4032},
       {"realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv", 4032},
       {"realAWSCloudwatch/ec2_cpu_utilization_77c1ca.csv", 4032},
       {"realAWSCloudwatch/ec2_cpu_utilization_825cc2.csv", 4032},
       {"realAWSCloudwatch/ec2_cpu_utilization_ac20cd.csv", 4032},
       {"realAWSCloudwatch/ec2_cpu_utilization_c6585a.csv", 4032},
       {"realAWSCloudwatch/ec2_cpu_utilization_fe7f93.csv", 4032},
       {"realAWSCloudwatch/ec2_disk_write_bytes_1ef3de.csv", 4730},
       {"realAWSCloudwatch/ec2_disk_write_bytes_c0d644.csv", 4032},
       {"realAWSCloudwatch/ec2_network_in_257a54.csv", 4032},
       {"realAWSCloudwatch/ec2_network_in_5abac7.csv", 4730},
       {"realAWSCloudwatch/elb_request_count_8c0756.csv", 4032},
       {"realAWSCloudwatch/grok_asg_anomaly.csv", 4621},
       {"realAWSCloudwatch/iio_us-east-1_i-a2eb1cd9_NetworkIn.csv", 1243},
       {"realAWSCloudwatch/rds_cpu_utilization_cc0c53.csv", 4032},
       {"realAWSCloudwatch/rds_cpu_utilization_e47b3b.csv", 4032},
   };
   for (size_t i = 0; i < sizeof nab / sizeof nab[0]; i++) {
      char path[1024];
      snprintf(path, sizeof path, "%s/nab/%s", dir, nab[i].file);
      /* with no option at all: the default plays late rows and counts them */
      Play* run = malloc(sizeof *run);
      if (!run_open(run, "--replay", path, "--speed", "max", NULL))
         fail_msg("%s", run->err);
      Generator* g = run_gen(run);
      Record r;
      size_t n = 0;
      while (g->ops->next(g, &r))
         n++;
      if (n != nab[i].rows)
         fail_msg("%s: %zu records, expected %zu", nab[i].file, n, nab[i].rows);
      assert_null(Replay_error(run->replay));
      assert_int_equal(Replay_badRows(run->replay, NULL, 0, NULL), 0);
      uint64_t late = Replay_lateRows(run->replay, NULL, 0, NULL);
      assert_int_equal(late, strstr(nab[i].file, "machine_temperature") ? 11 : 0);
      run_close(run);
      free(run);
   }
}

static void nab__machine_temperature__on_late_stop_stops_at_line_10151_naming_the_fix(void** state) {
   (void)state;
   char dir[512], path[1024];
   if (!shared_dir(dir, sizeof dir)) {
      print_message("skipped: no shared data\n");
      skip();
   }
   snprintf(path, sizeof path, "%s/nab/realKnownCause/machine_temperature_system_failure.csv", dir);
   Play* run = malloc(sizeof *run);
   assert_true(run_open(run, "--replay", path, "--speed", "max", "--on-late", "stop", NULL));
   Generator* g = run_gen(run);
   Record r;
   size_t n = 0;
   while (g->ops->next(g, &r))
      n++;
   assert_int_equal(n, 10149);
   const char* e = Replay_error(run->replay);
   assert_non_null(e);
   assert_non_null(strstr(e, "machine_temperature_system_failure.csv:10151: column timestamp: time goes backwards "
                             "(2014-01-07 02:00:00 after 2014-01-07 02:55:00, 55.0 min late): --max-lateness 55m would "
                             "put it in order"));
   run_close(run);
   /* --max-lateness 1h: the repeated hour is put in order, nothing is late */
   assert_true(run_open(run, "--replay", path, "--speed", "max", "--max-lateness", "1h", NULL));
   g = run_gen(run);
   n = 0;
   int64_t last = INT64_MIN;
   while (g->ops->next(g, &r)) {
      assert_true(r.t_event >= last);
      last = r.t_event;
      n++;
   }
   assert_int_equal(n, 22695);
   assert_int_equal(Replay_lateRows(run->replay, NULL, 0, NULL), 0);
   run_close(run);
   free(run);
}

static void csv_edge_cases__each_file__reads_or_is_refused_at_file_line(void** state) {
   (void)state;
   char dir[512];
   if (!shared_dir(dir, sizeof dir)) {
      print_message("skipped: no shared data\n");
      skip();
   }
   /* records played in stop mode, then the error's "FILE:LINE: ..." (NULL: read to the end);
    * rows: data rows read in skip mode (every row parsed, good, bad or empty) */
   static const struct {
      const char* file;
      size_t records;
      const char* error;
      size_t rows;
   } cases[] = {
       {"commons-csv/bom.csv", 0, "bom.csv:2: column Date: unparsable time '14-Mar-14'", 251},
       {"commons-csv/csv-141.csv", 0, "csv-141.csv:2: column android.widget.EditText: unparsable number", 2},
       {"commons-csv/psql.csv", 0, "psql.csv:3: column abc: unparsable number 'xyz'", 2},
       {"commons-csv/test.csv", 0, "test.csv:2: expected 4 fields as in the header, found 1", 12},
       {"commons-csv/testCSV85.csv", 0, "testCSV85.csv:3: expected 5 fields as in the header, found 1", 6},
       {"csv-spectrum/comma_in_quotes.csv", 0, "comma_in_quotes.csv:2: column first: unparsable time 'John'", 1},
       {"csv-spectrum/empty.csv", 0, "empty.csv:2: column b: empty value", 2},
       {"csv-spectrum/empty_crlf.csv", 0, "empty_crlf.csv:2: column b: empty value", 2},
       {"csv-spectrum/escaped_quotes.csv", 0, "escaped_quotes.csv:2: column b: unparsable number 'ha \"ha\" ha'", 2},
       {"csv-spectrum/json.csv", 0, "json.csv:2: column val: unparsable number '{\"type\": \"Point\"", 1},
       {"csv-spectrum/location_coordinates.csv", 0,
        "location_coordinates.csv:2: column Location Coordinates: unparsable number", 1},
       {"csv-spectrum/newlines.csv", 1, "newlines.csv:3: column a: unparsable time 'Once upon ?a time'", 3},
       {"csv-spectrum/newlines_crlf.csv", 1, "newlines_crlf.csv:3: column a: unparsable time 'Once upon ??a time'", 3},
       {"csv-spectrum/quotes_and_newlines.csv", 0, "quotes_and_newlines.csv:2: column b: unparsable number", 2},
       {"csv-spectrum/simple.csv", 1, NULL, 1},
       {"csv-spectrum/simple_crlf.csv", 1, NULL, 1},
       {"csv-spectrum/utf8.csv", 2, NULL, 2},
       {"csvlint/cr-line-endings.csv", 0, "cr-line-endings.csv:2: column Foo: unparsable time 'Biff'", 2},
       {"csvlint/crlf-line-endings.csv", 0, "crlf-line-endings.csv:2: column Foo: unparsable time 'Biff'", 2},
       {"csvlint/inconsistent-line-endings.csv", 0,
        "inconsistent-line-endings.csv:2: column Foo: unparsable time 'Biff'", 2},
       {"csvlint/inconsistent-line-endings-unquoted.csv", 0,
        "inconsistent-line-endings-unquoted.csv:2: column Foo: unparsable time 'Biff'", 2},
       {"csvlint/invalid-byte-sequence.csv", 0,
        "invalid-byte-sequence.csv:2: column Data: unparsable time '10/31/2012'", 23},
       /* line 4 goes back in time: a late row, played; line 5 is bad */
       {"csvlint/invalid_many_rows.csv", 3, "invalid_many_rows.csv:5: column Bar: unparsable number 'two'", 10},
       {"csvlint/title-row.csv", 0, "title-row.csv:2: column This is a title row: unparsable time 'Foo'", 3},
       {"papaparse/utf-8-bom-sample.csv", 0, "utf-8-bom-sample.csv:2: column A: unparsable time 'X'", 1},
   };
   for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      char path[1024];
      snprintf(path, sizeof path, "%s/csv-edge-cases/%s", dir, cases[i].file);
      Play* run = malloc(sizeof *run);
      bool opened = run_open(run, "--replay", path, NULL);
      const char* error = run->err;
      size_t n = 0;
      if (opened) {
         n = run_drain(run, MAX_RECORDS);
         error = Replay_error(run->replay);
      }
      if (n != cases[i].records)
         fail_msg("%s: %zu records, expected %zu", cases[i].file, n, cases[i].records);
      if (!cases[i].error && error && *error)
         fail_msg("%s: unexpected error %s", cases[i].file, error);
      if (cases[i].error) {
         const char* at = error ? strstr(error, cases[i].error) : NULL;
         if (!at || at == error || at[-1] != '/')
            fail_msg("%s: got '%s', expected '.../%s...'", cases[i].file, error ? error : "(none)", cases[i].error);
      }
      run_close(run);
      /* skip mode: every data row is reached */
      opened = run_open(run, "--replay", path, "--on-bad-row", "skip", NULL);
      if (opened) {
         run_drain(run, MAX_RECORDS);
         ReplayPosition pos;
         Replay_position(run->replay, &pos);
         if (pos.rows_read != cases[i].rows)
            fail_msg("%s: skip mode read %llu rows, expected %zu", cases[i].file, (unsigned long long)pos.rows_read,
                     cases[i].rows);
      } else {
         /* every row bad, or empty (",,," is nothing to read, not a bad row) */
         char want[64], also[64];
         snprintf(want, sizeof want, "all %zu data rows are bad", cases[i].rows);
         snprintf(also, sizeof also, "are bad (and %zu more are empty)", cases[i].rows > 10 ? cases[i].rows - 10 : 0);
         if (!strstr(run->err, want) && !strstr(run->err, also))
            fail_msg("%s: got '%s', expected '%s'", cases[i].file, run->err, want);
      }
      run_close(run);
      free(run);
   }
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(basic__named_sensors__get_ids_in_order_and_relative_times),
       cmocka_unit_test(line_endings_bom_blank_lines_and_no_final_newline__all_read_the_same),
       cmocka_unit_test(bom__is_not_part_of_the_first_column_name),
       cmocka_unit_test(quoted_fields__follow_rfc4180),
       cmocka_unit_test(delimiters__semicolon_and_tab__split_fields),
       cmocka_unit_test(iso_date_times__with_zones_and_fractions__are_placed_exactly),
       cmocka_unit_test(epoch_milliseconds__auto_detects_them_and_s_refuses_them),
       cmocka_unit_test(no_sensor_column__makes_the_file_one_sensor_named_after_it),
       cmocka_unit_test(columns_option__by_name_or_index__picks_the_columns),
       cmocka_unit_test(several_files__merge_in_time_order_with_ties_by_file_order),
       cmocka_unit_test(speed__scales_file_time_and_max_plays_asap),
       cmocka_unit_test(retune__faster_speed__continues_from_the_current_record),
       cmocka_unit_test(retune__without_retime__never_goes_back_before_the_held_record),
       cmocka_unit_test(retune__from_max_to_paced__spaces_records_from_now),
       cmocka_unit_test(loop__continues_time_after_the_last_record),
       cmocka_unit_test(loop__single_record_file__repeats_one_second_apart),
       cmocka_unit_test(loop__file_named_sensor__stays_one_sensor_on_every_pass),
       cmocka_unit_test(seek__forward_a_tenth__passes_rows_over_and_counts_them),
       cmocka_unit_test(seek__a_stopped_run__ends_a_long_seek_early),
       cmocka_unit_test(seek__back_and_restart__play_rows_again_later_in_event_time),
       cmocka_unit_test(seek__several_files__move_together_by_time),
       cmocka_unit_test(step__plays_the_held_burst_now_and_keeps_the_spacing),
       cmocka_unit_test(loop__turned_on_and_off_live__plays_again_or_ends),
       cmocka_unit_test(restart__late_rows__are_put_in_order_again),
       cmocka_unit_test(moves__an_input_read_as_it_comes__are_refused),
       cmocka_unit_test(stop__each_bad_row__fails_with_file_line_column_reason),
       cmocka_unit_test(open__unusable_files__are_refused_with_a_clear_message),
       cmocka_unit_test(skip__bad_rows__are_counted_with_their_lines_and_skipped),
       cmocka_unit_test(late_rows__play_drop_stop_or_reorder),
       cmocka_unit_test(skip__only_bad_rows__is_refused_at_open),
       cmocka_unit_test(field_over_the_cap__is_a_bad_row_and_reading_goes_on),
       cmocka_unit_test(quoted_field_over_the_cap__keeps_line_numbers_right),
       cmocka_unit_test(line_breaks_in_short_quoted_fields__keep_line_numbers_right),
       cmocka_unit_test(next_block__gives_what_next_gives__and_a_move_after_it_holds_its_last),
       cmocka_unit_test(ten_megabyte_single_field__is_refused_without_reading_it_all_into_memory),
       cmocka_unit_test(many_rows__line_numbers_hold_across_read_buffers),
       cmocka_unit_test(truncated_while_playing__stops_with_a_message),
       cmocka_unit_test(recording_header__gives_params_and_notes),
       cmocka_unit_test(options__record_and_replay_rows__parse_and_check),
       cmocka_unit_test(nab__every_series__replays_all_its_rows),
       cmocka_unit_test(nab__machine_temperature__on_late_stop_stops_at_line_10151_naming_the_fix),
       cmocka_unit_test(csv_edge_cases__each_file__reads_or_is_refused_at_file_line),
   };
   return cmocka_run_group_tests(tests, TestUtil_setupDir, TestUtil_teardownDir);
}
