/*
 * test_csvnum.c: src/csv/csvnum.c. The fast conversion must give, bit for bit,
 * the double strtod gives, for every form a value column holds: what
 * --record writes (%.17g of any double), shorter forms, long digit strings
 * with exponents, the classic hard cases near halfway points; and it must
 * refuse what strtod refuses.
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "csv/csvnum.h"

static uint64_t rng_state = 0x2545F4914F6CDD1Du;
static uint64_t rng(void) {
   rng_state ^= rng_state >> 12;
   rng_state ^= rng_state << 25;
   rng_state ^= rng_state >> 27;
   return rng_state * 2685821657736338717u;
}

/* Both parsers agree on text: same verdict, same bits. */
static void agree(const char* text) {
   double fast = 12345, slow = 54321;
   const char* wf = CsvNum_parse(text, strlen(text), &fast);
   const char* ws = CsvNum_parseSlow(text, strlen(text), &slow);
   if ((wf == NULL) != (ws == NULL))
      fail_msg("'%s': fast says %s, strtod says %s", text, wf ? wf : "ok", ws ? ws : "ok");
   if (!wf && !(isnan(fast) && isnan(slow)) && memcmp(&fast, &slow, sizeof fast) != 0)
      fail_msg("'%s': fast %.17g (%a), strtod %.17g (%a)", text, fast, fast, slow, slow);
}

static void parse__what_record_writes__matches_strtod_for_any_double(void** state) {
   (void)state;
   char text[64];
   for (int i = 0; i < 300000; i++) {
      uint64_t bits = rng();
      double v;
      memcpy(&v, &bits, sizeof v);
      snprintf(text, sizeof text, "%.17g", v);
      agree(text);
      double u = ((double)(rng() >> 11) / 9007199254740992.0 - 0.5) * pow(10, (double)(rng() % 24) - 12);
      snprintf(text, sizeof text, "%.17g", u);
      agree(text);
      double back;
      assert_null(CsvNum_parse(text, strlen(text), &back));
      assert_memory_equal(&back, &u, sizeof u); /* and it is the value that was written */
   }
}

static void parse__shorter_and_other_forms__match_strtod(void** state) {
   (void)state;
   char text[128];
   for (int i = 0; i < 100000; i++) {
      double v = ((double)(rng() >> 11) / 9007199254740992.0 - 0.5) * pow(10, (double)(rng() % 40) - 20);
      switch (i % 6) {
      case 0:
         snprintf(text, sizeof text, "%.15g", v);
         break;
      case 1:
         snprintf(text, sizeof text, "%.6f", v);
         break;
      case 2:
         snprintf(text, sizeof text, "%g", v);
         break;
      case 3:
         snprintf(text, sizeof text, "%.3e", v);
         break;
      case 4:
         snprintf(text, sizeof text, "%.20f", v);
         break;
      default:
         snprintf(text, sizeof text, "%.19e", v);
         break;
      }
      agree(text);
   }
}

static void parse__random_digit_strings_with_exponents__match_strtod(void** state) {
   (void)state;
   char text[96];
   for (int i = 0; i < 300000; i++) {
      int n = 1 + (int)(rng() % 24), point = (int)(rng() % (uint64_t)(n + 1)), at = 0;
      if (rng() % 4 == 0)
         text[at++] = '-';
      for (int k = 0; k < n; k++) {
         if (k == point && k > 0)
            text[at++] = '.';
         text[at++] = (char)('0' + rng() % 10);
      }
      if (rng() % 2)
         at += snprintf(text + at, sizeof text - (size_t)at, "e%d", (int)(rng() % 70) - 35);
      text[at] = '\0';
      agree(text);
   }
}

static void parse__hard_cases__match_strtod(void** state) {
   (void)state;
   static const char* const hard[] = {
       "9007199254740993",
       "9007199254740992",
       "9007199254740995",
       "18446744073709551615",
       "18446744073709551616",
       "1e23",
       "8.98846567431158e307",
       "1.7976931348623157e308",
       "1.7976931348623159e308",
       "2.2250738585072011e-308",
       "2.2250738585072014e-308",
       "4.9406564584124654e-324",
       "5e-324",
       "2e-324",
       "0.1",
       "0.2",
       "0.3",
       "123456789012345678",
       "1234567890123456789",
       "12345678901234567890",
       "0.000000000000000000000000000001",
       "7.2057594037927933e16",
       "3.0000000000000004",
       "0.30000000000000004",
       "1.0000000000000002",
       "0.99999999999999989",
       "4503599627370496.5",
       "4503599627370497.5",
       "2.5e-8",
       "6.02214076e23",
       "-0",
       "-0.0",
       "0",
       "+0",
       "00000.00000",
       "1e-400",
       "1e400",
       "-1e400",
       "nan",
       "NaN",
       "inf",
       "-inf",
       "infinity",
       "1.5E+3",
       "1.5e-3",
       " 42 ",
       "\t42",
       "1.",
       ".5",
       "-.5",
   };
   for (size_t i = 0; i < sizeof hard / sizeof hard[0]; i++)
      agree(hard[i]);
   double v;
   assert_null(CsvNum_parse("9007199254740993", 16, &v));
   assert_true(v == 9007199254740992.0); /* ties to even */
   assert_null(CsvNum_parse("-0", 2, &v));
   assert_true(v == 0 && signbit(v));
   assert_string_equal(CsvNum_parse("1e400", 5, &v), "out of range");
}

static void parse__non_numbers__are_refused_like_strtod_does(void** state) {
   (void)state;
   static const char* const bad[] = {"",    "  ", "abc", "1e", "1e+", "1.2.3", "--1", "+-1", "1,5",
                                     "1 2", ".",  "-",   "e5", "1x",  "0x",    "\n1", "1\n", "٣"};
   double v = 7;
   for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      agree(bad[i]);
      assert_non_null(CsvNum_parse(bad[i], strlen(bad[i]), &v));
   }
   assert_float_equal(v, 7, 0); /* untouched */
   assert_string_equal(CsvNum_parse("", 0, &v), "empty");
   assert_string_equal(CsvNum_parse("2\0"
                                    "5",
                                    3, &v),
                       "not a number");
   /* no terminating NUL needed: the length decides */
   assert_null(CsvNum_parse("12345", 3, &v));
   assert_float_equal(v, 123, 0);
}

/* The documented grammar is decimal: what strtod reads beyond it (hex, nan payloads) is not a number. */
static void parse__hex_and_nan_payloads__are_not_numbers(void** state) {
   (void)state;
   static const char* const bad[] = {"0x1p3", "0X10", "-0x.8p1", "0x1", "nan(1)", "nan()", "infinit", "in", "1e5e5"};
   double v = 7;
   for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      if (!CsvNum_parse(bad[i], strlen(bad[i]), &v))
         fail_msg("'%s' was read as %g", bad[i], v);
      assert_non_null(CsvNum_parseSlow(bad[i], strlen(bad[i]), &v));
   }
   assert_float_equal(v, 7, 0);
   static const char* const words[] = {"INF", "Infinity", "-inf", "+NaN", " nan "};
   for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
      if (CsvNum_parse(words[i], strlen(words[i]), &v))
         fail_msg("'%s' was refused", words[i]);
}

static void parseU32__digits_up_to_the_maximum__and_nothing_else(void** state) {
   (void)state;
   uint32_t v = 7;
   assert_true(CsvNum_parseU32("0", 10, &v));
   assert_int_equal(v, 0);
   assert_true(CsvNum_parseU32("4096", 4096, &v));
   assert_int_equal(v, 4096);
   assert_true(CsvNum_parseU32("4294967295", UINT32_MAX, &v));
   assert_int_equal(v, UINT32_MAX);
   assert_true(CsvNum_parseU32("007", 10, &v));
   assert_int_equal(v, 7);
   static const char* const bad[] = {"",   "4097", "-1",   "+1",         " 1",
                                     "1 ", "1e3",  "0x10", "4294967296", "99999999999999999999"};
   for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      v = 7;
      if (CsvNum_parseU32(bad[i], i == 1 ? 4096 : UINT32_MAX, &v))
         fail_msg("took '%s'", bad[i]);
      assert_int_equal(v, 7);
   }
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(parse__what_record_writes__matches_strtod_for_any_double),
       cmocka_unit_test(parse__shorter_and_other_forms__match_strtod),
       cmocka_unit_test(parse__random_digit_strings_with_exponents__match_strtod),
       cmocka_unit_test(parse__hard_cases__match_strtod),
       cmocka_unit_test(parse__non_numbers__are_refused_like_strtod_does),
       cmocka_unit_test(parse__hex_and_nan_payloads__are_not_numbers),
       cmocka_unit_test(parseU32__digits_up_to_the_maximum__and_nothing_else),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
