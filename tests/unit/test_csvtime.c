/*
 * test_csvtime.c: src/csvtime.c. Numbers must convert to nanoseconds
 * exactly (no floating-point detour), date-times must match the C library's
 * timegm on every day from 1678 to 2261 whatever TZ says, and anything that
 * is not a time must be refused with a reason.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "csv/csvtime.h"

static int64_t parse_ok(const char* s, CsvTimeUnit unit) {
   int64_t t = -12345;
   const char* why = CsvTime_parse(s, strlen(s), unit, &t);
   if (why)
      fail_msg("'%s' as %s: %s", s, CsvTime_unitNames[unit], why);
   return t;
}

static const char* parse_err(const char* s, CsvTimeUnit unit) {
   int64_t t = -12345;
   const char* why = CsvTime_parse(s, strlen(s), unit, &t);
   if (!why)
      fail_msg("'%s' as %s parsed as %lld", s, CsvTime_unitNames[unit], (long long)t);
   assert_int_equal(t, -12345); /* untouched on failure */
   return why;
}

static void parse__seconds_with_nine_decimals__are_exact_at_any_magnitude(void** state) {
   (void)state;
   assert_int_equal(parse_ok("0", CSVTIME_S), 0);
   assert_int_equal(parse_ok("12.345678901", CSVTIME_S), INT64_C(12345678901));
   assert_int_equal(parse_ok("0.000000001", CSVTIME_S), 1);
   /* 2^53 ns and more: a double could not carry these */
   assert_int_equal(parse_ok("9007199.254740993", CSVTIME_S), INT64_C(9007199254740993));
   assert_int_equal(parse_ok("9223372036.854775807", CSVTIME_S), INT64_MAX);
   assert_int_equal(parse_ok("-9223372036.854775807", CSVTIME_S), -INT64_MAX);
   assert_int_equal(parse_ok("1400000000.123456789", CSVTIME_S), INT64_C(1400000000123456789));
}

static void parse__every_unit__scales_by_its_power_of_ten(void** state) {
   (void)state;
   assert_int_equal(parse_ok("1.5", CSVTIME_S), INT64_C(1500000000));
   assert_int_equal(parse_ok("1.5", CSVTIME_MS), INT64_C(1500000));
   assert_int_equal(parse_ok("1.5", CSVTIME_US), INT64_C(1500));
   assert_int_equal(parse_ok("15", CSVTIME_NS), 15);
   assert_int_equal(parse_ok("1389060000250", CSVTIME_MS), INT64_C(1389060000250000000));
   assert_int_equal(parse_ok("1389060000250123", CSVTIME_US), INT64_C(1389060000250123000));
   assert_int_equal(parse_ok("1389060000250123456", CSVTIME_NS), INT64_C(1389060000250123456));
}

static void parse__digits_below_a_nanosecond__round_half_away_from_zero(void** state) {
   (void)state;
   assert_int_equal(parse_ok("0.0000000014", CSVTIME_S), 1);
   assert_int_equal(parse_ok("0.0000000015", CSVTIME_S), 2);
   assert_int_equal(parse_ok("-0.0000000015", CSVTIME_S), -2);
   assert_int_equal(parse_ok("2.5", CSVTIME_NS), 3);
   assert_int_equal(parse_ok("0.9999999999", CSVTIME_S), INT64_C(1000000000));
}

static void parse__exponents_signs_and_blanks__are_accepted(void** state) {
   (void)state;
   assert_int_equal(parse_ok("1.5e3", CSVTIME_S), INT64_C(1500000000000));
   assert_int_equal(parse_ok("15E-1", CSVTIME_S), INT64_C(1500000000));
   assert_int_equal(parse_ok("1.389060000250e12", CSVTIME_MS), INT64_C(1389060000250000000));
   assert_int_equal(parse_ok("+7", CSVTIME_S), INT64_C(7000000000));
   assert_int_equal(parse_ok("  7 ", CSVTIME_S), INT64_C(7000000000));
   assert_int_equal(parse_ok(".5", CSVTIME_S), INT64_C(500000000));
   assert_int_equal(parse_ok("5.", CSVTIME_S), INT64_C(5000000000));
   assert_int_equal(parse_ok("000012", CSVTIME_S), INT64_C(12000000000));
   assert_int_equal(parse_ok("1e-20", CSVTIME_S), 0);
}

/* The plain form ([+-]digits[.digits]) has a fast reading; the same text with "e0" after it takes the
 * general one: random texts of every length around the limits (17 digits before the point, the unit's
 * digits after it and the one that rounds) read alike in every unit, refused alike when out of range. */
static void parse__plain_texts__read_as_the_general_path_reads_them(void** state) {
   (void)state;
   uint64_t x = 88172645463325252u;
   for (int i = 0; i < 200000; i++) {
      char text[64], with_e[72];
      size_t at = 0;
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      int sign = (int)(x % 3), whole = (int)(x / 3 % 20), frac = (int)(x / 60 % 14);
      bool point = whole == 0 || x / 840 % 2;
      if (sign)
         text[at++] = sign == 1 ? '-' : '+';
      for (int k = 0; k < whole; k++, x ^= x << 13, x ^= x >> 7, x ^= x << 17)
         text[at++] = (char)('0' + (k == 0 && x % 4 == 0 ? 0 : x % 10));
      if (point) {
         text[at++] = '.';
         for (int k = 0; k < frac; k++, x ^= x << 13, x ^= x >> 7, x ^= x << 17)
            text[at++] = (char)('0' + x % 10);
      }
      text[at] = '\0';
      snprintf(with_e, sizeof with_e, "%se0", text);
      for (CsvTimeUnit u = CSVTIME_S; u <= CSVTIME_NS; u++) {
         int64_t a = -1, b = -2;
         const char* wa = CsvTime_parse(text, strlen(text), u, &a);
         const char* wb = CsvTime_parse(with_e, strlen(with_e), u, &b);
         if ((wa == NULL) != (wb == NULL) || (!wa && a != b))
            fail_msg("'%s' unit %d: plain %s %lld, general %s %lld", text, (int)u, wa ? wa : "ok", (long long)a,
                     wb ? wb : "ok", (long long)b);
      }
   }
}

static void parse__non_numbers__are_refused_with_a_reason(void** state) {
   (void)state;
   static const char* const bad[] = {"",    "  ",  "abc", "1,5", "1.2.3", "nan",   "inf",   "0x10", "1e",
                                     "1e+", "--1", "1 2", "+",   ".",     "1_000", "12:00", "1\n"};
   for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
      parse_err(bad[i], CSVTIME_S);
   assert_string_equal(parse_err("", CSVTIME_S), "empty");
   assert_string_equal(parse_err("abc", CSVTIME_S), "not a number");
   assert_non_null(strstr(parse_err("2014-01-07", CSVTIME_S), "date-time"));
}

static void parse__beyond_int64_nanoseconds__is_out_of_range(void** state) {
   (void)state;
   assert_string_equal(parse_err("9223372036.854775808", CSVTIME_S), "out of range");
   assert_string_equal(parse_err("10000000000", CSVTIME_S), "out of range");
   assert_string_equal(parse_err("1e300", CSVTIME_MS), "out of range");
   assert_string_equal(parse_err("99999999999999999999999", CSVTIME_NS), "out of range");
}

static void parse__date_time_forms__all_give_the_same_instant(void** state) {
   (void)state;
   int64_t t = INT64_C(1389060000) * 1000000000; /* 2014-01-07T02:00:00Z */
   assert_int_equal(parse_ok("2014-01-07 02:00:00", CSVTIME_DATETIME), t);
   assert_int_equal(parse_ok("2014-01-07T02:00:00", CSVTIME_DATETIME), t);
   assert_int_equal(parse_ok("2014-01-07T02:00:00Z", CSVTIME_DATETIME), t);
   assert_int_equal(parse_ok("2014-01-07t02:00:00z", CSVTIME_DATETIME), t);
   assert_int_equal(parse_ok("2014-01-07T03:00:00+01:00", CSVTIME_DATETIME), t);
   assert_int_equal(parse_ok("2014-01-07T03:00:00+0100", CSVTIME_DATETIME), t);
   assert_int_equal(parse_ok("2014-01-07T03:00:00+01", CSVTIME_DATETIME), t);
   assert_int_equal(parse_ok("2014-01-06T21:30:00-04:30", CSVTIME_DATETIME), t);
   assert_int_equal(parse_ok("2014-01-07 02:00:00 +00:00", CSVTIME_DATETIME), t);
   assert_int_equal(parse_ok("2014-01-07 02:00", CSVTIME_DATETIME), t);
   assert_int_equal(parse_ok("2014-01-07T02:00Z", CSVTIME_DATETIME), t);
   assert_int_equal(parse_ok("2014-01-07", CSVTIME_DATETIME), t - 2 * INT64_C(3600000000000));
   assert_int_equal(parse_ok(" 2014-01-07 02:00:00 ", CSVTIME_DATETIME), t);
}

static void parse__date_time_fractions__keep_nanoseconds(void** state) {
   (void)state;
   int64_t t = INT64_C(1389060000) * 1000000000;
   assert_int_equal(parse_ok("2014-01-07 02:00:00.5", CSVTIME_DATETIME), t + 500000000);
   assert_int_equal(parse_ok("2014-01-07 02:00:00.000000", CSVTIME_DATETIME), t);
   assert_int_equal(parse_ok("2014-01-07T02:00:00.123456789Z", CSVTIME_DATETIME), t + 123456789);
   assert_int_equal(parse_ok("2014-01-07T02:00:00,25", CSVTIME_DATETIME), t + 250000000);
   assert_int_equal(parse_ok("2014-01-07T02:00:00.9999999996", CSVTIME_DATETIME), t + 1000000000);
}

static void parse__invalid_date_times__are_refused(void** state) {
   (void)state;
   static const char* const bad[] = {
       "2014-13-01 00:00:00",
       "2014-00-10",
       "2014-02-29",
       "2013-04-31",
       "2014-01-07 24:00:00",
       "2014-01-07 12:60:00",
       "2014-01-07 12:00:61",
       "2014-01-07X12:00:00",
       "2014-1-7 12:00:00",
       "14-Mar-14",
       "2014-01-07 12:00:00.",
       "2014-01-07 12:00:00+1",
       "2014-01-07 12:00:00+25:00",
       "2014-01-07 12:00:00 junk",
       "2014/01/07 12:00:00",
       "2014-01-07 12",
       "10/31/2012",
   };
   for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
      parse_err(bad[i], CSVTIME_DATETIME);
   assert_string_equal(parse_err("2014-13-01", CSVTIME_DATETIME), "month out of range (01 to 12)");
   assert_string_equal(parse_err("2014-02-29", CSVTIME_DATETIME), "day out of range for the month");
   assert_int_equal(parse_ok("2016-02-29", CSVTIME_DATETIME) / 1000000000, INT64_C(1456704000));
   assert_int_equal(parse_ok("2000-02-29", CSVTIME_DATETIME) / 1000000000, INT64_C(951782400));
   parse_err("1900-02-29", CSVTIME_DATETIME);
}

static void parse__dates_outside_int64_nanoseconds__are_out_of_range(void** state) {
   (void)state;
   assert_non_null(strstr(parse_err("1677-01-01", CSVTIME_DATETIME), "out of range"));
   assert_non_null(strstr(parse_err("2262-12-31", CSVTIME_DATETIME), "out of range"));
   assert_int_equal(parse_ok("1678-01-01", CSVTIME_DATETIME), INT64_C(-9214560000) * 1000000000);
   assert_int_equal(parse_ok("1969-12-31 23:59:59.5", CSVTIME_DATETIME), -500000000);
}

static void daysFromCivil__every_day_from_1678_to_2261__matches_timegm(void** state) {
   (void)state;
   struct tm tm = {0};
   for (int year = 1678; year <= 2261; year++) {
      for (unsigned month = 1; month <= 12; month++) {
         for (unsigned day = 1; day <= 31; day += 3) {
            tm = (struct tm){.tm_year = year - 1900, .tm_mon = (int)month - 1, .tm_mday = (int)day};
            time_t expected = timegm(&tm);
            if (tm.tm_mon != (int)month - 1)
               continue; /* day does not exist in that month */
            assert_int_equal(CsvTime_daysFromCivil(year, month, day) * 86400, (int64_t)expected);
         }
      }
   }
   assert_int_equal(CsvTime_daysFromCivil(1970, 1, 1), 0);
   assert_int_equal(CsvTime_daysFromCivil(1969, 12, 31), -1);
   assert_int_equal(CsvTime_daysFromCivil(2000, 3, 1), 11017);
}

static void parse__naive_date_times__ignore_the_TZ_variable(void** state) {
   (void)state;
   const char* s = "2014-07-01 00:30:00";
   setenv("TZ", "America/New_York", 1);
   tzset();
   int64_t ny = parse_ok(s, CSVTIME_DATETIME);
   setenv("TZ", "Asia/Kolkata", 1);
   tzset();
   int64_t in = parse_ok(s, CSVTIME_DATETIME);
   unsetenv("TZ");
   tzset();
   assert_int_equal(ny, in);
   assert_int_equal(ny, INT64_C(1404174600) * 1000000000);
}

static void detect__picks_date_times_or_a_unit_by_magnitude(void** state) {
   (void)state;
   static const struct {
      const char* text;
      CsvTimeUnit unit;
   } cases[] = {
       {"2014-01-07 02:00:00", CSVTIME_DATETIME},
       {"2014-01-07T02:00:00Z", CSVTIME_DATETIME},
       {"0.000123", CSVTIME_S},
       {"12.5", CSVTIME_S},
       {"1389060000", CSVTIME_S},
       {"99999999999", CSVTIME_S},
       {"100000000000", CSVTIME_MS},
       {"1389060000250", CSVTIME_MS},
       {"1389060000250123", CSVTIME_US},
       {"1389060000250123456", CSVTIME_NS},
       {"1.38906e12", CSVTIME_MS},
       {"-5", CSVTIME_S},
       {"later", CSVTIME_AUTO},
       {"", CSVTIME_AUTO},
       {"14-Mar-14", CSVTIME_AUTO},
   };
   for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      CsvTimeUnit got = CsvTime_detect(cases[i].text, strlen(cases[i].text));
      if (got != cases[i].unit)
         fail_msg("'%s': detected %s, expected %s", cases[i].text, CsvTime_unitNames[got],
                  CsvTime_unitNames[cases[i].unit]);
   }
   int64_t t;
   assert_null(CsvTime_parse("1389060000250", 13, CSVTIME_AUTO, &t));
   assert_int_equal(t, INT64_C(1389060000250000000));
}

static void format__then_parse__gives_the_same_time(void** state) {
   (void)state;
   static const int64_t times[] = {0,
                                   1,
                                   -1,
                                   500000000,
                                   INT64_C(1389060000) * 1000000000 + 250000000,
                                   INT64_C(-9214560000) * 1000000000,
                                   INT64_C(9000000000) * 1000000000 + 7};
   char buf[64];
   for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
      for (CsvTimeUnit u = CSVTIME_S; u <= CSVTIME_DATETIME; u++) {
         int64_t t = times[i];
         if (u == CSVTIME_MS)
            t -= t % 1000000;
         else if (u == CSVTIME_US)
            t -= t % 1000;
         CsvTime_format(buf, sizeof buf, t, u);
         assert_int_equal(parse_ok(buf, u), t);
      }
   }
   CsvTime_format(buf, sizeof buf, INT64_C(1389060000) * 1000000000 + 500000000, CSVTIME_DATETIME);
   assert_string_equal(buf, "2014-01-07 02:00:00.5");
   CsvTime_format(buf, sizeof buf, INT64_C(12345678901), CSVTIME_S);
   assert_string_equal(buf, "12.345678901");
   CsvTime_format(buf, sizeof buf, -INT64_C(1500000), CSVTIME_MS);
   assert_string_equal(buf, "-1.5");
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(parse__seconds_with_nine_decimals__are_exact_at_any_magnitude),
       cmocka_unit_test(parse__every_unit__scales_by_its_power_of_ten),
       cmocka_unit_test(parse__digits_below_a_nanosecond__round_half_away_from_zero),
       cmocka_unit_test(parse__exponents_signs_and_blanks__are_accepted),
       cmocka_unit_test(parse__plain_texts__read_as_the_general_path_reads_them),
       cmocka_unit_test(parse__non_numbers__are_refused_with_a_reason),
       cmocka_unit_test(parse__beyond_int64_nanoseconds__is_out_of_range),
       cmocka_unit_test(parse__date_time_forms__all_give_the_same_instant),
       cmocka_unit_test(parse__date_time_fractions__keep_nanoseconds),
       cmocka_unit_test(parse__invalid_date_times__are_refused),
       cmocka_unit_test(parse__dates_outside_int64_nanoseconds__are_out_of_range),
       cmocka_unit_test(daysFromCivil__every_day_from_1678_to_2261__matches_timegm),
       cmocka_unit_test(parse__naive_date_times__ignore_the_TZ_variable),
       cmocka_unit_test(detect__picks_date_times_or_a_unit_by_magnitude),
       cmocka_unit_test(format__then_parse__gives_the_same_time),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
