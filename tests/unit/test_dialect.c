/*
 * test_dialect.c: the CSV dialects of issue 14 (src/csv/replay.c and the
 * reading behind it), each on a small file of the project's own in
 * tests/data/dialect_*.csv, replayed through the csv layer's public API
 * (ReplayConfig, Replay_new, the generator): the exact records (sensor
 * names, event times in ns, values), how the start-up line says the file is
 * read, and, for each dialect an option reads, the same file without the
 * option refused with a message that names it.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/record.h"
#include "csv/replay.h"
#include "testutil.h"

#define MAX_RECORDS 64
#define S(x)        ((int64_t)((x)*1e9))

typedef struct Play {
   Replay* replay;
   char path[TESTUTIL_PATH_MAX];
   const char* files[1];
   char err[REPLAY_MSG_MAX * 2];
   char describe[REPLAY_DESCRIBE_MAX];
   Record rec[MAX_RECORDS];
   size_t n;
} Play;

/* What the command line gives with no options: as fast as possible, stop at a bad row. */
static ReplayConfig dialect_config(void) {
   return (ReplayConfig){
       .speed = 0, .time_unit = CSVTIME_AUTO, .on_bad_row = REPLAY_BAD_STOP, .on_late = REPLAY_LATE_PLAY};
}

/* Open tests/data/file (or file, a path the test wrote) with config c; false with play->err when refused. */
static bool dialect_open(Play* play, const char* file, ReplayConfig c) {
   memset(play, 0, sizeof *play);
   if (file[0] == '/')
      snprintf(play->path, sizeof play->path, "%s", file); /* written by the test */
   else
      snprintf(play->path, sizeof play->path, "%s/tests/data/%s", TestUtil_srcdir(), file);
   play->files[0] = play->path;
   c.files = play->files;
   c.n_files = 1;
   play->replay = Replay_new(&c, play->err, sizeof play->err);
   if (play->replay)
      Replay_describe(play->replay, 0, play->describe, sizeof play->describe);
   return play->replay != NULL;
}

/* Open and drain every record; the file must play to its end without an error. */
static Play* dialect_play(const char* file, ReplayConfig c) {
   Play* play = malloc(sizeof *play);
   assert_non_null(play);
   if (!dialect_open(play, file, c))
      fail_msg("%s: %s", file, play->err);
   Generator* g = Replay_generator(play->replay);
   while (play->n < MAX_RECORDS && g->ops->next(g, &play->rec[play->n]))
      play->n++;
   if (Replay_error(play->replay))
      fail_msg("%s: %s", file, Replay_error(play->replay));
   return play;
}

static void dialect_close(Play* play) {
   Replay_delete(play->replay);
   free(play);
}

/* The message with the directory taken out. */
static const char* dialect_shortMsg(const char* msg) {
   const char* at = strstr(msg, "tests/data/");
   return at ? at + strlen("tests/data/") : msg;
}

/* file with config c is refused, at open or when its rows are read, with exactly this message. */
static void dialect_expectRefused(const char* file, ReplayConfig c, const char* expected) {
   Play* play = malloc(sizeof *play);
   assert_non_null(play);
   const char* msg = play->err;
   if (dialect_open(play, file, c)) {
      Generator* g = Replay_generator(play->replay);
      while (play->n < MAX_RECORDS && g->ops->next(g, &play->rec[play->n]))
         play->n++;
      msg = Replay_error(play->replay);
      if (!msg)
         fail_msg("%s played to its end, expected: %s", file, expected);
   }
   assert_string_equal(dialect_shortMsg(msg), expected);
   if (play->replay)
      Replay_delete(play->replay);
   free(play);
}

typedef struct Want {
   const char* sensor;
   int64_t t_event;
   double value; /* NAN: Record_missing() */
} Want;

/* The records are exactly these, in this order. */
static void dialect_expectRecords(const Play* play, const Want* want, size_t n) {
   assert_int_equal(play->n, n);
   const char* const* names = Replay_names(play->replay);
   for (size_t i = 0; i < n; i++) {
      const Record* r = &play->rec[i];
      if (strcmp(names[r->sensor], want[i].sensor) != 0 || r->t_event != want[i].t_event)
         fail_msg("record %zu: sensor %s at %lld ns, expected %s at %lld ns", i, names[r->sensor],
                  (long long)r->t_event, want[i].sensor, (long long)want[i].t_event);
      if (want[i].value != want[i].value)
         assert_true(Record_isMissing(r->value));
      else
         assert_float_equal(r->value, want[i].value, 0);
   }
}

static void dialect_expectSaid(const Play* play, const char* part) {
   if (!strstr(play->describe, part))
      fail_msg("the start-up line does not say '%s': %s", part, dialect_shortMsg(play->describe));
}

/* ---------------------------------------------------------------- several value columns */

static void wide__value_list_and_star__play_each_column_as_a_sensor_named_after_it(void** state) {
   (void)state;
   static const Want want[] = {{"temp", 0, 20.5}, {"hum", 0, 40}, {"temp", S(1), 21}, {"hum", S(1), 41.5}};
   static const char* const specs[] = {"value=temp,hum", "value=*"};
   for (size_t k = 0; k < 2; k++) {
      ReplayConfig c = dialect_config();
      c.columns = specs[k];
      Play* play = dialect_play("dialect_wide.csv", c);
      dialect_expectRecords(play, want, 4);
      dialect_expectSaid(play, "2 value columns, each a sensor named after it (temp, hum); no sensor column");
      if (k == 1)
         dialect_expectSaid(play, "left out: status (no number in the first row)");
      dialect_close(play);
   }
   /* without the option one column plays, as one sensor named after the file, and the line says which */
   Play* play = dialect_play("dialect_wide.csv", dialect_config());
   static const Want first[] = {{"dialect_wide", 0, 20.5}, {"dialect_wide", S(1), 21}};
   dialect_expectRecords(play, first, 2);
   dialect_expectSaid(play, "value temp, one sensor named 'dialect_wide'");
   dialect_close(play);
}

static void columns__a_name_not_in_the_header_names_the_option_and_lists_the_columns(void** state) {
   (void)state;
   ReplayConfig c = dialect_config();
   c.columns = "value=temp,humidity";
   dialect_expectRefused("dialect_wide.csv", c,
                         "dialect_wide.csv:1: --columns value=humidity: no column named 'humidity' (columns: time, "
                         "temp, hum, status)");
   c.columns = "sensor=device";
   dialect_expectRefused("dialect_long.csv", c,
                         "dialect_long.csv:1: --columns sensor=device: no column named 'device' (columns: time, "
                         "sensor, temp, hum)");
}

static void long__value_list__names_each_sensor_SENSOR_slash_COLUMN(void** state) {
   (void)state;
   ReplayConfig c = dialect_config();
   c.columns = "value=temp,hum";
   Play* play = dialect_play("dialect_long.csv", c);
   static const Want want[] = {{"a/temp", 0, 1}, {"a/hum", 0, 10},    {"b/temp", 0, 2},
                               {"b/hum", 0, 20}, {"a/temp", S(1), 3}, {"a/hum", S(1), 30}};
   dialect_expectRecords(play, want, 6);
   dialect_expectSaid(play, "2 value columns, each a sensor named sensor/COLUMN (temp, hum)");
   dialect_close(play);
}

static void sensor__a_column_of_a_common_name_or_sensor_eq_names_the_sensors(void** state) {
   (void)state;
   static const char* const common[] = {"sensor", "sensor_id", "device", "id", "name", "series", "who"};
   char path[TESTUTIL_PATH_MAX], text[96], said[64];
   TestUtil_path(path, "sensors.csv");
   for (size_t k = 0; k < sizeof common / sizeof common[0]; k++) {
      snprintf(text, sizeof text, "time,%s,value\n0,a,1\n1,b,2\n", common[k]);
      TestUtil_writeText("sensors.csv", text);
      /* "who" is no common name: sensor= names it */
      ReplayConfig c = dialect_config();
      c.columns = strcmp(common[k], "who") == 0 ? "sensor=who" : NULL;
      Play* play = dialect_play(path, c);
      static const Want want[] = {{"a", 0, 1}, {"b", S(1), 2}};
      dialect_expectRecords(play, want, 2);
      snprintf(said, sizeof said, "value value, sensors named by column %s", common[k]);
      dialect_expectSaid(play, said);
      dialect_close(play);
   }
   /* without sensor= a column of another name is no sensor column: one sensor named after the file */
   Play* play = dialect_play(path, dialect_config());
   static const Want one[] = {{"sensors", 0, 1}, {"sensors", S(1), 2}};
   dialect_expectRecords(play, one, 2);
   dialect_expectSaid(play, "value value, one sensor named 'sensors' (after the file)");
   dialect_close(play);
}

/* ---------------------------------------------------------------- numbers */

static void decimal_comma__reads_2_6_as_2_point_6_and_without_it_names_the_option(void** state) {
   (void)state;
   ReplayConfig c = dialect_config();
   c.decimal_comma = true;
   Play* play = dialect_play("dialect_decimal_comma.csv", c);
   static const Want want[] = {
       {"dialect_decimal_comma", 0, 2.6}, {"dialect_decimal_comma", S(1), -0.5}, {"dialect_decimal_comma", S(2), 1000}};
   dialect_expectRecords(play, want, 3);
   dialect_expectSaid(play, "delimiter ';' (found in the header)");
   dialect_close(play);
   dialect_expectRefused(
       "dialect_decimal_comma.csv", dialect_config(),
       "dialect_decimal_comma.csv:2: column value: value '2,6' has a decimal comma: try --decimal-comma");
}

static void na__markers_play_as_missing_and_without_it_names_the_option(void** state) {
   (void)state;
   ReplayConfig c = dialect_config();
   c.na = "NA,-200";
   Play* play = dialect_play("dialect_na.csv", c);
   static const Want want[] = {
       {"dialect_na", 0, 1.5}, {"dialect_na", S(1), NAN}, {"dialect_na", S(2), NAN}, {"dialect_na", S(3), 2.5}};
   dialect_expectRecords(play, want, 4);
   dialect_expectSaid(play, "missing values: 'NA', '-200'");
   dialect_close(play);
   dialect_expectRefused("dialect_na.csv", dialect_config(),
                         "dialect_na.csv:3: column value: unparsable number 'NA': if it marks a missing value, try "
                         "--na 'NA'");
}

/* ---------------------------------------------------------------- times */

static void day_first_date_and_time_columns__time_format_reads_them_and_without_it_names_the_option(void** state) {
   (void)state;
   ReplayConfig c = dialect_config();
   c.time_format = "%d/%m/%Y %H.%M.%S";
   Play* play = dialect_play("dialect_dayfirst.csv", c);
   /* 2004-03-13 18:00:00 UTC is 1079200800 s since 1970 */
   static const Want want[] = {{"dialect_dayfirst", S(1079200800), 1},
                               {"dialect_dayfirst", S(1079200830), 2},
                               {"dialect_dayfirst", S(1079222400), 3}};
   dialect_expectRecords(play, want, 3);
   dialect_expectSaid(play, "Date+Time");
   dialect_expectSaid(play, "'%d/%m/%Y %H.%M.%S' (--time-format, UTC unless a zone is given)");
   dialect_close(play);
   /* the two columns named explicitly read the same */
   c.columns = "time=Date+Time,value=value";
   play = dialect_play("dialect_dayfirst.csv", c);
   dialect_expectRecords(play, want, 3);
   dialect_close(play);
   dialect_expectRefused("dialect_dayfirst.csv", dialect_config(),
                         "dialect_dayfirst.csv:2: column Date: unparsable time '13/03/2004 18.00.00': looks like a "
                         "day-first date: try --time-format '%d/%m/%Y %H.%M.%S'");
}

static void time_unit__scales_relative_numbers_by_s_ms_us_ns_and_the_guess_names_the_option(void** state) {
   (void)state;
   static const struct {
      CsvTimeUnit unit;
      int64_t ns; /* one unit */
      const char* said;
   } units[] = {{CSVTIME_S, 1000000000, "numbers in s (by --time-unit)"},
                {CSVTIME_MS, 1000000, "numbers in ms (by --time-unit)"},
                {CSVTIME_US, 1000, "numbers in us (by --time-unit)"},
                {CSVTIME_NS, 1, "numbers in ns (by --time-unit)"}};
   for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
      ReplayConfig c = dialect_config();
      c.time_unit = units[k].unit;
      Play* play = dialect_play("dialect_time_unit.csv", c);
      const Want want[] = {{"dialect_time_unit", 0, 1},
                           {"dialect_time_unit", 250 * units[k].ns, 2},
                           {"dialect_time_unit", 1500 * units[k].ns, 3}};
      dialect_expectRecords(play, want, 3);
      dialect_expectSaid(play, units[k].said);
      dialect_close(play);
   }
   /* a relative time is no refusal without the option: it is read as seconds, and the line says it is a guess */
   Play* play = dialect_play("dialect_time_unit.csv", dialect_config());
   assert_int_equal(play->rec[2].t_event, S(1500));
   dialect_expectSaid(play, "numbers in s (guessed from the size of the first time; --time-unit to change)");
   dialect_close(play);
}

static void time_unit__on_date_times_names_the_option_to_leave_out(void** state) {
   (void)state;
   /* the fix a refusal names must work: --time-format beside --time-unit is refused, so the message says
    * to leave --time-unit out, and which format reads a date-time keepup does not read by itself */
   ReplayConfig c = dialect_config();
   c.time_unit = CSVTIME_MS;
   dialect_expectRefused("dialect_tz.csv", c,
                         "dialect_tz.csv:2: column time: time '2024-01-01 12:00:00' is a date-time, not a number in "
                         "ms (--time-unit ms): leave the option out");
   c.time_unit = CSVTIME_S;
   dialect_expectRefused("dialect_dayfirst.csv", c,
                         "dialect_dayfirst.csv:2: column Date: time '13/03/2004 18.00.00' is a date-time, not a "
                         "number in s (--time-unit s): leave the option out and try --time-format '%d/%m/%Y "
                         "%H.%M.%S'");
}

static void tz__places_naive_date_times_east_of_utc_and_without_it_they_are_utc(void** state) {
   (void)state;
   ReplayConfig c = dialect_config();
   c.tz_s = 2 * 3600;
   Play* play = dialect_play("dialect_tz.csv", c);
   /* 2024-01-01 12:00:00 UTC is 1704110400 s; at UTC+02:00 the same text is two hours earlier */
   static const Want east[] = {{"dialect_tz", S(1704110400 - 7200), 1}, {"dialect_tz", S(1704110401.5 - 7200), 2}};
   dialect_expectRecords(play, east, 2);
   dialect_expectSaid(play, "date-times (UTC+02:00 unless a zone is given)");
   dialect_close(play);
   play = dialect_play("dialect_tz.csv", dialect_config());
   static const Want utc[] = {{"dialect_tz", S(1704110400), 1}, {"dialect_tz", S(1704110401.5), 2}};
   dialect_expectRecords(play, utc, 2);
   dialect_expectSaid(play, "date-times (UTC unless a zone is given)");
   dialect_close(play);
}

/* ---------------------------------------------------------------- layout */

static void skip_rows__passes_over_a_title_above_the_header(void** state) {
   (void)state;
   ReplayConfig c = dialect_config();
   c.skip_rows = 2;
   Play* play = dialect_play("dialect_skip_rows.csv", c);
   static const Want want[] = {{"dialect_skip_rows", 0, 1}, {"dialect_skip_rows", S(1), 2}};
   dialect_expectRecords(play, want, 2);
   dialect_expectSaid(play, "2 rows skipped before the header");
   dialect_close(play);
   /* refused without it, naming the option */
   dialect_expectRefused("dialect_skip_rows.csv", dialect_config(),
                         "dialect_skip_rows.csv:1: no value column: the header has only Plant 3 sensor export "
                         "(title lines above the header? try --skip-rows N)");
}

static void row_names__a_header_one_field_short_passes_over_the_first_column(void** state) {
   (void)state;
   Play* play = dialect_play("dialect_rownames.csv", dialect_config());
   static const Want want[] = {
       {"dialect_rownames", 0, 5}, {"dialect_rownames", S(1), 6}, {"dialect_rownames", S(2), 7}};
   dialect_expectRecords(play, want, 3);
   dialect_expectSaid(play, "the header is one field short: the rows' first column holds row names, passed over");
   dialect_close(play);
}

static void semicolon__is_found_in_the_header_and_a_wrong_delimiter_names_the_option(void** state) {
   (void)state;
   Play* play = dialect_play("dialect_semicolon.csv", dialect_config());
   static const Want want[] = {{"a", 0, 1.5}, {"b", S(1), 2}};
   dialect_expectRecords(play, want, 2);
   dialect_expectSaid(play, "delimiter ';' (found in the header)");
   dialect_close(play);
   ReplayConfig c = dialect_config();
   c.delimiter = ',';
   dialect_expectRefused("dialect_semicolon.csv", c,
                         "dialect_semicolon.csv:1: the header is one column, 'time;sensor;value': is the delimiter "
                         "right? (try --delimiter ';')");
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(wide__value_list_and_star__play_each_column_as_a_sensor_named_after_it),
       cmocka_unit_test(columns__a_name_not_in_the_header_names_the_option_and_lists_the_columns),
       cmocka_unit_test(long__value_list__names_each_sensor_SENSOR_slash_COLUMN),
       cmocka_unit_test_setup_teardown(sensor__a_column_of_a_common_name_or_sensor_eq_names_the_sensors,
                                       TestUtil_setupDir, TestUtil_teardownDir),
       cmocka_unit_test(decimal_comma__reads_2_6_as_2_point_6_and_without_it_names_the_option),
       cmocka_unit_test(na__markers_play_as_missing_and_without_it_names_the_option),
       cmocka_unit_test(day_first_date_and_time_columns__time_format_reads_them_and_without_it_names_the_option),
       cmocka_unit_test(time_unit__scales_relative_numbers_by_s_ms_us_ns_and_the_guess_names_the_option),
       cmocka_unit_test(time_unit__on_date_times_names_the_option_to_leave_out),
       cmocka_unit_test(tz__places_naive_date_times_east_of_utc_and_without_it_they_are_utc),
       cmocka_unit_test(skip_rows__passes_over_a_title_above_the_header),
       cmocka_unit_test(row_names__a_header_one_field_short_passes_over_the_first_column),
       cmocka_unit_test(semicolon__is_found_in_the_header_and_a_wrong_delimiter_names_the_option),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
