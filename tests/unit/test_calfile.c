/* test_calfile.c: a calibration written to a file reads back bit for bit,
 * with its key; a missing file, a foreign file, a bad value, an unknown
 * entry and a truncated file are told apart, naming FILE:LINE. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/calfile.h"

static Calibration sample(void) {
   Calibration c;
   memset(&c, 0, sizeof c);
   for (int s = 0; s < STAGE_LAST; s++) {
      c.ns[s][VARIANT_NAIVE] = 100.0 / 3 + s;
      c.ns[s][VARIANT_OPTIMIZED] = 0.1 + s / 7.0;
   }
   c.feature_ns_per_w = 12.345678901234567;
   c.filter_ns_per_k = 0.1279365234375;
   c.window = 100;
   c.allowlist = 1000;
   c.elapsed_s = 0.123;
   c.spread = 0.05;
   c.source_ns = 4321.0625;
   c.measured_at = 1796654620;
   return c;
}

static void write__then_read__gives_the_same_bits(void** state) {
   (void)state;
   char path[TESTUTIL_PATH_MAX], key[CALFILE_KEY_MAX], got[CALFILE_KEY_MAX], why[TESTUTIL_PATH_MAX + 200];
   Setup setup;
   Setup_init(&setup);
   CalFile_key(key, sizeof key, &setup);
   assert_non_null(strstr(key, PACKAGE_VERSION));
   assert_non_null(strstr(key, "window 100"));
   Calibration c = sample(), back;
   assert_true(CalFile_write(TestUtil_path(path, "cal"), key, &c, why, sizeof why));
   assert_int_equal(CalFile_read(path, &back, got, why, sizeof why), CALFILE_OK);
   assert_memory_equal(&c, &back, sizeof c);
   assert_string_equal(key, got);
}

static void params__differ_with_the_window(void** state) {
   (void)state;
   char a[256], b[256];
   Setup setup;
   Setup_init(&setup);
   CalFile_params(a, sizeof a, &setup);
   setup.knobs.window = 1000;
   CalFile_params(b, sizeof b, &setup);
   assert_string_not_equal(a, b);
}

static CalFileStatus read_text(const char* text, char* why, size_t len) {
   char path[TESTUTIL_PATH_MAX], key[CALFILE_KEY_MAX];
   Calibration c;
   TestUtil_writeText("bad", text);
   return CalFile_read(TestUtil_path(path, "bad"), &c, key, why, len);
}

static void bad_files__are_told_apart_with_file_and_line(void** state) {
   (void)state;
   char path[TESTUTIL_PATH_MAX], key[CALFILE_KEY_MAX], why[TESTUTIL_PATH_MAX + 200], text[2048];
   Calibration c = sample(), back;
   assert_int_equal(CalFile_read(TestUtil_path(path, "none"), &back, key, why, sizeof why), CALFILE_MISSING);

   assert_int_equal(read_text("time_s,sensor,value\n", why, sizeof why), CALFILE_BAD);
   assert_non_null(strstr(why, "bad:1: not a keepup calibration"));

   /* a good file with one line changed, or cut short */
   assert_true(CalFile_write(TestUtil_path(path, "good"), "k", &c, why, sizeof why));
   FILE* f = fopen(path, "r");
   size_t n = fread(text, 1, sizeof text - 1, f);
   fclose(f);
   text[n] = '\0';
   char* feature = strstr(text, "stage feature ");
   char edited[4096];
   snprintf(edited, sizeof edited, "%.*sstage feature -1 2\n%s", (int)(feature - text), text,
            strchr(feature, '\n') + 1);
   assert_int_equal(read_text(edited, why, sizeof why), CALFILE_BAD);
   assert_non_null(strstr(why, "bad:"));
   assert_non_null(strstr(why, "\"stage\""));
   snprintf(edited, sizeof edited, "%sspeed 3\n", text);
   assert_int_equal(read_text(edited, why, sizeof why), CALFILE_BAD);
   assert_non_null(strstr(why, "\"speed\""));
   snprintf(edited, sizeof edited, "%.*s", (int)(feature - text), text);
   assert_int_equal(read_text(edited, why, sizeof why), CALFILE_BAD);
   assert_non_null(strstr(why, "incomplete"));
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(write__then_read__gives_the_same_bits),
       cmocka_unit_test(params__differ_with_the_window),
       cmocka_unit_test(bad_files__are_told_apart_with_file_and_line),
   };
   return cmocka_run_group_tests(tests, TestUtil_setupDir, TestUtil_teardownDir);
}
