/* test_recording.c: default recording names and replay speed words. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui/recording.h"

static void name__date_and_time_then_a_number_when_taken(void** state) {
   (void)state;
   struct tm tm = {.tm_year = 2025 - 1900, .tm_mon = 2, .tm_mday = 7, .tm_hour = 9, .tm_min = 5, .tm_sec = 3};
   char b[64];
   Recording_defaultName(b, sizeof b, &tm, 1);
   assert_string_equal(b, "keepup-20250307-090503.csv");
   Recording_defaultName(b, sizeof b, &tm, 2);
   assert_string_equal(b, "keepup-20250307-090503-2.csv");
}

static void speed__factor_or_max(void** state) {
   (void)state;
   char b[16];
   Recording_speedText(b, sizeof b, 1);
   assert_string_equal(b, "x1");
   Recording_speedText(b, sizeof b, 0.5);
   assert_string_equal(b, "x0.5");
   Recording_speedText(b, sizeof b, 1.0 / 64);
   assert_string_equal(b, "x0.0156");
   Recording_speedText(b, sizeof b, 8192);
   assert_string_equal(b, "x8192");
   Recording_speedText(b, sizeof b, 0);
   assert_string_equal(b, "max");
}

static void basename__after_the_last_slash(void** state) {
   (void)state;
   assert_string_equal(Recording_baseName("/tmp/a/rec.csv"), "rec.csv");
   assert_string_equal(Recording_baseName("rec.csv"), "rec.csv");
   assert_string_equal(Recording_baseName("dir/"), "dir/");
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(name__date_and_time_then_a_number_when_taken),
       cmocka_unit_test(speed__factor_or_max),
       cmocka_unit_test(basename__after_the_last_slash),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
