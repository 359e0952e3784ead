/*
 * test_isotime.c: src/base/isotime.c, the time_iso column. What can go
 * wrong: the calendar (leap days, centuries, before 1970: the day and the
 * second of a negative time floor, they do not truncate), the fraction's
 * digits (as many as needed, none for whole seconds, the zero before a
 * second below 10), the edges of int64_t, and the duration's sign.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/isotime.h"

static void date__known_times__are_written_as_iso_8601(void** state) {
   (void)state;
   static const struct {
      int64_t ns;
      const char* want;
   } cases[] = {
      {0, "1970-01-01T00:00:00Z"},
      {INT64_C(1577836800000000000), "2020-01-01T00:00:00Z"},
      {INT64_C(1577836805250000000), "2020-01-01T00:00:05.25Z"},
      {INT64_C(1577836859000000001), "2020-01-01T00:00:59.000000001Z"},
      {INT64_C(1709210096000000000), "2024-02-29T12:34:56Z"},   /* a leap day */
      {INT64_C(951782400000000000), "2000-02-29T00:00:00Z"},    /* 2000 is a leap year */
      {INT64_C(4107542400000000000), "2100-03-01T00:00:00Z"},   /* 2100 is not */
      {-1, "1969-12-31T23:59:59.999999999Z"},
      {INT64_C(-86400000000000), "1969-12-31T00:00:00Z"},
      {INT64_MAX, "2262-04-11T23:47:16.854775807Z"},
      {INT64_MIN, "1677-09-21T00:12:43.145224192Z"},
   };
   for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      char out[ISOTIME_MAX];
      size_t n = IsoTime_date(out, cases[i].ns);
      assert_string_equal(out, cases[i].want);
      assert_int_equal(n, strlen(cases[i].want));
   }
}

/* Whole seconds over four centuries, against the C library's gmtime_r. */
static void date__whole_seconds__agree_with_gmtime(void** state) {
   (void)state;
   uint64_t x = 88172645463325252u;
   for (int i = 0; i < 100000; i++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      int64_t s = (int64_t)(x % (UINT64_C(400) * 366 * 86400)) - INT64_C(200) * 365 * 86400;
      time_t t = (time_t)s;
      struct tm tm;
      assert_non_null(gmtime_r(&t, &tm));
      char want[64], out[ISOTIME_MAX];
      snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
               tm.tm_hour, tm.tm_min, tm.tm_sec);
      IsoTime_date(out, s * 1000000000);
      assert_string_equal(out, want);
   }
}

static void duration__since_the_start__is_written_pt_seconds(void** state) {
   (void)state;
   char out[ISOTIME_MAX];
   IsoTime_duration(out, 0);
   assert_string_equal(out, "PT0S");
   IsoTime_duration(out, INT64_C(12500000000));
   assert_string_equal(out, "PT12.5S");
   IsoTime_duration(out, 1);
   assert_string_equal(out, "PT0.000000001S");
   IsoTime_duration(out, INT64_C(-1500000000));
   assert_string_equal(out, "-PT1.5S");
   size_t n = IsoTime_duration(out, INT64_MIN);
   assert_string_equal(out, "-PT9223372036.854775807S"); /* one ns short at the very edge, said in isotime.c */
   assert_int_equal(n, strlen(out));
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(date__known_times__are_written_as_iso_8601),
      cmocka_unit_test(date__whole_seconds__agree_with_gmtime),
      cmocka_unit_test(duration__since_the_start__is_written_pt_seconds),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
