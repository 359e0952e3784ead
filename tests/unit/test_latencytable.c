/* test_latencytable.c: the latency percentile view's text: HdrHistogram's labels, each percentile in its
 * column, "-" for a column without records, the counts, and the note on too few records for p99.99. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ui/latencytable.h"

typedef char Lines[LATENCYTABLE_LINES][LATENCYTABLE_WIDTH];

/* The words of a line, split at runs of spaces, in words[] (at most 8). */
static int lt_words(const char* line, char words[8][32]) {
   int n = 0;
   const char* p = line;
   while (*p && n < 8) {
      while (*p == ' ')
         p++;
      if (!*p)
         break;
      /* a value keeps its unit ("38.0 us"): a single space does not split */
      int k = 0;
      while (*p && !(p[0] == ' ' && (p[1] == ' ' || p[1] == '\0')) && k < 31)
         words[n][k++] = *p++;
      words[n++][k] = '\0';
   }
   return n;
}

static void lines__hdrhistogram_labels_and_both_columns(void** state) {
   (void)state;
   Percentiles w = {
       .count = 51200, .p50 = 38000, .p90 = 61000, .p99 = 89000, .p999 = 1200000, .p9999 = 4500000, .max = 7250000};
   Percentiles t = {.count = 1230000,
                    .p50 = 41000,
                    .p90 = 70000,
                    .p99 = 95000,
                    .p999 = 2500000,
                    .p9999 = 9900000,
                    .max = 1500000000};
   Lines l;
   LatencyTable_lines(&w, 5.0, &t, 42.0, l);
   char words[8][32];
   assert_int_equal(lt_words(l[0], words), 3);
   assert_string_equal(words[0], "percentile");
   assert_string_equal(words[1], "last 5.00 s");
   assert_string_equal(words[2], "whole run 42.0 s");
   static const char* const want[][3] = {
       {"50.000%", "38.0 us", "41.0 us"}, {"90.000%", "61.0 us", "70.0 us"}, {"99.000%", "89.0 us", "95.0 us"},
       {"99.900%", "1.20 ms", "2.50 ms"}, {"99.990%", "4.50 ms", "9.90 ms"}, {"100.000%", "7.25 ms", "1.50 s"},
   };
   for (int r = 0; r < 6; r++) {
      int n = lt_words(l[1 + r], words);
      assert_int_equal(n, r == 5 ? 4 : 3);
      for (int k = 0; k < 3; k++)
         assert_string_equal(words[k], want[r][k]);
   }
   assert_string_equal(words[3], "max");
   assert_int_equal(lt_words(l[7], words), 3);
   assert_string_equal(words[0], "records");
   assert_string_equal(words[1], "51.2k");
   assert_string_equal(words[2], "1.23M");
   /* the columns line up: every value ends where its heading does */
   size_t end1 = strstr(l[0], "5.00 s") - l[0] + strlen("5.00 s");
   for (int r = 1; r < LATENCYTABLE_LINES; r++)
      assert_true(strlen(l[r]) >= end1 && l[r][end1 - 1] != ' ' && l[r][end1] == ' ');
   /* every line fits an 80-column screen from its indent of 2 */
   for (int r = 0; r < LATENCYTABLE_LINES; r++)
      assert_true(strlen(l[r]) + 2 <= 78);
}

static void lines__a_column_without_records_is_a_dash(void** state) {
   (void)state;
   Percentiles w = {0};
   Percentiles t = {.count = 3, .p50 = 500, .p90 = 900, .p99 = 900, .p999 = 900, .p9999 = 900, .max = 900};
   Lines l;
   LatencyTable_lines(&w, 0, &t, 0.25, l);
   char words[8][32];
   lt_words(l[0], words);
   assert_string_equal(words[1], "last -");
   assert_string_equal(words[2], "whole run 250 ms");
   for (int r = 1; r < LATENCYTABLE_LINES - 1; r++) {
      lt_words(l[r], words);
      assert_string_equal(words[1], "-");
   }
   lt_words(l[1], words);
   assert_string_equal(words[2], "500 ns");
   lt_words(l[7], words);
   assert_string_equal(words[1], "0");
   assert_string_equal(words[2], "3");
}

static void origin__says_scheduled_arrival_and_coordinated_omission(void** state) {
   (void)state;
   assert_non_null(strstr(LatencyTable_origin, "scheduled arrival"));
   assert_non_null(strstr(LatencyTable_origin, "no coordinated omission"));
}

static void note__only_for_a_column_with_too_few_records(void** state) {
   (void)state;
   Percentiles none = {0}, few = {.count = LATENCYTABLE_P9999_RECORDS - 1},
               enough = {.count = LATENCYTABLE_P9999_RECORDS};
   assert_null(LatencyTable_note(&none, &none));
   assert_null(LatencyTable_note(&enough, &enough));
   assert_null(LatencyTable_note(&none, &enough));
   assert_non_null(LatencyTable_note(&few, &enough));
   assert_non_null(LatencyTable_note(&enough, &few));
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(lines__hdrhistogram_labels_and_both_columns),
       cmocka_unit_test(lines__a_column_without_records_is_a_dash),
       cmocka_unit_test(origin__says_scheduled_arrival_and_coordinated_omission),
       cmocka_unit_test(note__only_for_a_column_with_too_few_records),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
