/*
 * test_units.c: src/units.c. Parsing must accept what people type and refuse
 * anything ambiguous (no unit on a duration, nan, inf, hex, signs); formatting
 * must give the exact short strings the screen layout is sized for.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/units.h"

/* Texts no parser may accept, whatever its units. */
static const char* const units_garbage[] = {
   "", " ", "abc", "-1", "-0.5", "+1", " 1", "1 ", "nan", "NaN", "inf", "-inf", "infinity",
   "0x10", "0X1p3", "1e", "1.2.3", "..", "1,5", "1e999", "--1", "1_000",
};

static void parseCount__plain_numbers__are_taken_as_is(void** state) {
   (void)state;
   double v = -1;
   assert_true(Units_parseCount("0", &v));
   assert_float_equal(v, 0, 0);
   assert_true(Units_parseCount("950", &v));
   assert_float_equal(v, 950, 0);
   assert_true(Units_parseCount("2.5", &v));
   assert_float_equal(v, 2.5, 0);
   assert_true(Units_parseCount("1e6", &v));
   assert_float_equal(v, 1e6, 0);
   assert_true(Units_parseCount("1.5E3", &v));
   assert_float_equal(v, 1500, 0);
}

static void parseCount__k_M_G_suffixes__multiply_by_powers_of_1000(void** state) {
   (void)state;
   double v = -1;
   assert_true(Units_parseCount("50k", &v));
   assert_float_equal(v, 50e3, 0);
   assert_true(Units_parseCount("50K", &v));
   assert_float_equal(v, 50e3, 0);
   assert_true(Units_parseCount("2.5M", &v));
   assert_float_equal(v, 2.5e6, 0);
   assert_true(Units_parseCount("1G", &v));
   assert_float_equal(v, 1e9, 0);
   assert_true(Units_parseCount("0.001k", &v));
   assert_float_equal(v, 1, 1e-12);
}

static void parseCount__garbage_negative_nan_inf_hex__is_refused_and_leaves_output(void** state) {
   (void)state;
   for (size_t i = 0; i < sizeof units_garbage / sizeof units_garbage[0]; i++) {
      double v = 42;
      if (Units_parseCount(units_garbage[i], &v))
         fail_msg("Units_parseCount accepted '%s'", units_garbage[i]);
      assert_float_equal(v, 42, 0);
   }
   double v = 42;
   assert_false(Units_parseCount(NULL, &v));
   assert_false(Units_parseCount("5x", &v));
   assert_false(Units_parseCount("5kk", &v));
   assert_false(Units_parseCount("5 k", &v));
   assert_false(Units_parseCount("k", &v));
   assert_false(Units_parseCount("5m", &v)); /* milli is not a count suffix */
   assert_false(Units_parseCount("5MB", &v));
   assert_float_equal(v, 42, 0);
}

static void parseDuration__each_unit__gives_nanoseconds(void** state) {
   (void)state;
   int64_t ns = -1;
   assert_true(Units_parseDuration("100ns", &ns));
   assert_int_equal(ns, 100);
   assert_true(Units_parseDuration("250us", &ns));
   assert_int_equal(ns, 250000);
   assert_true(Units_parseDuration("500ms", &ns));
   assert_int_equal(ns, 500000000);
   assert_true(Units_parseDuration("10s", &ns));
   assert_int_equal(ns, INT64_C(10000000000));
   assert_true(Units_parseDuration("1.5s", &ns));
   assert_int_equal(ns, INT64_C(1500000000));
   assert_true(Units_parseDuration("2m", &ns));
   assert_int_equal(ns, INT64_C(120000000000));
   assert_true(Units_parseDuration("2min", &ns));
   assert_int_equal(ns, INT64_C(120000000000));
   assert_true(Units_parseDuration("1h", &ns));
   assert_int_equal(ns, INT64_C(3600000000000));
   assert_true(Units_parseDuration("0.5ms", &ns));
   assert_int_equal(ns, 500000);
}

static void parseDuration__zero__needs_no_unit(void** state) {
   (void)state;
   int64_t ns = -1;
   assert_true(Units_parseDuration("0", &ns));
   assert_int_equal(ns, 0);
   ns = -1;
   assert_true(Units_parseDuration("0s", &ns));
   assert_int_equal(ns, 0);
}

static void parseDuration__missing_unit__is_refused(void** state) {
   (void)state;
   static const char* const unitless[] = {"10", "1.5", "500", "1e3", "0.1"};
   for (size_t i = 0; i < sizeof unitless / sizeof unitless[0]; i++) {
      int64_t ns = 7;
      if (Units_parseDuration(unitless[i], &ns))
         fail_msg("Units_parseDuration accepted the unit-less '%s'", unitless[i]);
      assert_int_equal(ns, 7);
   }
}

static void parseDuration__bad_units_garbage_and_overflow__are_refused(void** state) {
   (void)state;
   static const char* const bad[] = {
      "10sec", "10 s", "10S", "10M", "10k", "s", "ms", "-1s", "-0.5ms", "+1s", "nans", "infs", "nan", "inf",
      "0x10s", "1e19s", "1e400s", "300000000h", "10s5", "1s1s",
   };
   for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      int64_t ns = 7;
      if (Units_parseDuration(bad[i], &ns))
         fail_msg("Units_parseDuration accepted '%s'", bad[i]);
      assert_int_equal(ns, 7);
   }
   for (size_t i = 0; i < sizeof units_garbage / sizeof units_garbage[0]; i++) {
      int64_t ns = 7;
      if (Units_parseDuration(units_garbage[i], &ns))
         fail_msg("Units_parseDuration accepted '%s'", units_garbage[i]);
   }
   int64_t ns = 7;
   assert_false(Units_parseDuration(NULL, &ns));
}

static void parseBytes__decimal_and_binary_units__scale_right(void** state) {
   (void)state;
   uint64_t b = 0;
   assert_true(Units_parseBytes("512B", &b));
   assert_int_equal(b, 512);
   assert_true(Units_parseBytes("1KB", &b));
   assert_int_equal(b, 1000);
   assert_true(Units_parseBytes("1kB", &b));
   assert_int_equal(b, 1000);
   assert_true(Units_parseBytes("1.5KB", &b));
   assert_int_equal(b, 1500);
   assert_true(Units_parseBytes("64MB", &b));
   assert_int_equal(b, 64000000);
   assert_true(Units_parseBytes("2GB", &b));
   assert_int_equal(b, UINT64_C(2000000000));
   assert_true(Units_parseBytes("1KiB", &b));
   assert_int_equal(b, 1024);
   assert_true(Units_parseBytes("256MiB", &b));
   assert_int_equal(b, UINT64_C(268435456));
   assert_true(Units_parseBytes("1GiB", &b));
   assert_int_equal(b, UINT64_C(1073741824));
}

static void parseBytes__missing_or_wrong_unit__is_refused(void** state) {
   (void)state;
   static const char* const bad[] = {
      "64", "1.5", "64M", "64k", "64mb", "64 MB", "MB", "-1MB", "+1MB", "nanMB", "infGB", "0x10MB", "1e30GB", "64MBs",
   };
   for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      uint64_t b = 7;
      if (Units_parseBytes(bad[i], &b))
         fail_msg("Units_parseBytes accepted '%s'", bad[i]);
      assert_int_equal(b, 7);
   }
   for (size_t i = 0; i < sizeof units_garbage / sizeof units_garbage[0]; i++) {
      uint64_t b = 7;
      if (Units_parseBytes(units_garbage[i], &b))
         fail_msg("Units_parseBytes accepted '%s'", units_garbage[i]);
   }
   uint64_t b = 7;
   assert_false(Units_parseBytes(NULL, &b));
}

static void parseBytes__beyond_int64__is_exact_or_refused(void** state) {
   (void)state;
   uint64_t b = 7;
   /* 1e19 B fits a uint64_t but not an int64_t: accept it exactly or refuse it, never wrap */
   if (Units_parseBytes("1e10GB", &b))
      assert_int_equal(b, UINT64_C(10000000000000000000));
   else
      assert_int_equal(b, 7);
   assert_false(Units_parseBytes("1.9e10GB", &b)); /* above UINT64_MAX */
}

static void hasByteUnit__tells_sizes_from_counts(void** state) {
   (void)state;
   assert_true(Units_hasByteUnit("64MB"));
   assert_true(Units_hasByteUnit("1GiB"));
   assert_true(Units_hasByteUnit("512B"));
   assert_false(Units_hasByteUnit("2M"));
   assert_false(Units_hasByteUnit("4000000"));
   assert_false(Units_hasByteUnit(""));
   assert_false(Units_hasByteUnit(NULL));
}

static void formatCount__three_significant_digits__exact_strings(void** state) {
   (void)state;
   static const struct {
      double v;
      const char* want;
   } cases[] = {
      {0, "0"},           {7, "7"},           {950, "950"},       {999, "999"},
      {999.4, "999"},     {999.5, "1.00k"},   {1000, "1.00k"},    {1200, "1.20k"},
      {9994, "9.99k"},    {12345, "12.3k"},   {99949, "99.9k"},   {99950, "100k"},
      {123456, "123k"},   {999499, "999k"},   {999500, "1.00M"},  {3.4e6, "3.40M"},
      {12e9, "12.0G"},    {250e9, "250G"},    {1.5e12, "1.50T"},  {-1500, "-1.50k"},
      {-42, "-42"},
   };
   for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      char buf[32];
      Units_formatCount(buf, sizeof buf, cases[i].v);
      if (strcmp(buf, cases[i].want) != 0)
         fail_msg("Units_formatCount(%g) = '%s', want '%s'", cases[i].v, buf, cases[i].want);
   }
}

static void formatCount__any_non_negative_value_below_1e18__fits_6_characters(void** state) {
   (void)state;
   for (double v = 0.3; v < 1e18; v *= 1.0137) {
      char buf[32];
      Units_formatCount(buf, sizeof buf, v);
      if (strlen(buf) > 6)
         fail_msg("Units_formatCount(%g) = '%s' is longer than 6 characters", v, buf);
   }
}

static void formatCount__small_buffer__is_truncated_not_overrun(void** state) {
   (void)state;
   char buf[8];
   memset(buf, 'x', sizeof buf);
   Units_formatCount(buf, 3, 123456);
   assert_string_equal(buf, "12");
   assert_int_equal(buf[3], 'x');
}

static void formatDuration__each_range__exact_strings(void** state) {
   (void)state;
   static const struct {
      int64_t ns;
      const char* want;
   } cases[] = {
      {0, "0 ns"},
      {850, "850 ns"},
      {999, "999 ns"},
      {1000, "1.00 us"},
      {12345, "12.3 us"},
      {123456, "123 us"},
      {999499, "999 us"},
      {999500, "1.00 ms"},
      {4200000, "4.20 ms"},
      {45670000, "45.7 ms"},
      {250000000, "250 ms"},
      {1500000000, "1.50 s"},
      {INT64_C(12340000000), "12.3 s"},
      {INT64_C(59900000000), "59.9 s"},
      {INT64_C(150000000000), "2.5 min"},
      {INT64_C(3540000000000), "59.0 min"},
      {INT64_C(4320000000000), "1.2 h"},
      {INT64_C(360000000000000), "100.0 h"},
      {-4200000, "-4.20 ms"},
      {-850, "-850 ns"},
   };
   for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      char buf[32];
      Units_formatDuration(buf, sizeof buf, cases[i].ns);
      if (strcmp(buf, cases[i].want) != 0)
         fail_msg("Units_formatDuration(%lld) = '%s', want '%s'", (long long)cases[i].ns, buf, cases[i].want);
   }
}

static void formatDuration__most_negative_value__keeps_one_sign(void** state) {
   (void)state;
   char buf[32];
   Units_formatDuration(buf, sizeof buf, INT64_MIN);
   assert_int_equal(buf[0], '-');
   if (buf[1] == '-' || !strchr(buf, 'h'))
      fail_msg("Units_formatDuration(INT64_MIN) = '%s', want about -2562047.8 h", buf);
}

static void formatDuration__up_to_9999_hours__fits_8_characters(void** state) {
   (void)state;
   const double limit = 9999.0 * 3600e9;
   for (double v = 1; v < limit; v *= 1.0113) {
      char buf[32];
      int64_t ns = (int64_t)v;
      Units_formatDuration(buf, sizeof buf, ns);
      if (strlen(buf) > 8)
         fail_msg("Units_formatDuration(%lld) = '%s' is longer than 8 characters", (long long)ns, buf);
   }
}

static void formatBytes__powers_of_1000__exact_strings(void** state) {
   (void)state;
   static const struct {
      double b;
      const char* want;
   } cases[] = {
      {0, "0 B"},           {512, "512 B"},      {999, "999 B"},      {1000, "1.00 KB"},
      {1200, "1.20 KB"},    {34.5e6, "34.5 MB"}, {2.1e9, "2.10 GB"},  {999.4e6, "999 MB"},
      {999.5e6, "1.00 GB"}, {123e12, "123 TB"},
   };
   for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      char buf[32];
      Units_formatBytes(buf, sizeof buf, cases[i].b);
      if (strcmp(buf, cases[i].want) != 0)
         fail_msg("Units_formatBytes(%g) = '%s', want '%s'", cases[i].b, buf, cases[i].want);
   }
}

static void parse_then_format__round_trips_typical_knobs(void** state) {
   (void)state;
   char buf[32];
   int64_t ns;
   assert_true(Units_parseDuration("500ms", &ns));
   Units_formatDuration(buf, sizeof buf, ns);
   assert_string_equal(buf, "500 ms");
   double v;
   assert_true(Units_parseCount("2.5M", &v));
   Units_formatCount(buf, sizeof buf, v);
   assert_string_equal(buf, "2.50M");
   uint64_t b;
   assert_true(Units_parseBytes("64MB", &b));
   Units_formatBytes(buf, sizeof buf, (double)b);
   assert_string_equal(buf, "64.0 MB");
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(parseCount__plain_numbers__are_taken_as_is),
      cmocka_unit_test(parseCount__k_M_G_suffixes__multiply_by_powers_of_1000),
      cmocka_unit_test(parseCount__garbage_negative_nan_inf_hex__is_refused_and_leaves_output),
      cmocka_unit_test(parseDuration__each_unit__gives_nanoseconds),
      cmocka_unit_test(parseDuration__zero__needs_no_unit),
      cmocka_unit_test(parseDuration__missing_unit__is_refused),
      cmocka_unit_test(parseDuration__bad_units_garbage_and_overflow__are_refused),
      cmocka_unit_test(parseBytes__decimal_and_binary_units__scale_right),
      cmocka_unit_test(parseBytes__missing_or_wrong_unit__is_refused),
      cmocka_unit_test(parseBytes__beyond_int64__is_exact_or_refused),
      cmocka_unit_test(hasByteUnit__tells_sizes_from_counts),
      cmocka_unit_test(formatCount__three_significant_digits__exact_strings),
      cmocka_unit_test(formatCount__any_non_negative_value_below_1e18__fits_6_characters),
      cmocka_unit_test(formatCount__small_buffer__is_truncated_not_overrun),
      cmocka_unit_test(formatDuration__each_range__exact_strings),
      cmocka_unit_test(formatDuration__most_negative_value__keeps_one_sign),
      cmocka_unit_test(formatDuration__up_to_9999_hours__fits_8_characters),
      cmocka_unit_test(formatBytes__powers_of_1000__exact_strings),
      cmocka_unit_test(parse_then_format__round_trips_typical_knobs),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
