/* test_bigtext.c: the three-row letters of the verdict. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui/bigtext.h"

#define FULL  "\xe2\x96\x88"
#define UPPER "\xe2\x96\x80"
#define LOWER "\xe2\x96\x84"

/* Columns of a string of one-column characters. */
static int columns(const char* s) {
   int n = 0;
   for (; *s; s++)
      if (((unsigned char)*s & 0xc0) != 0x80)
         n++;
   return n;
}

static void width__letters_plus_one_column_between(void** state) {
   (void)state;
   assert_int_equal(BigText_width("L"), 4);
   assert_int_equal(BigText_width("LI"), 4 + 1 + 3);
   assert_int_equal(BigText_width("KEEPING UP"), 46);
   assert_int_equal(BigText_width("FALLING BEHIND"), 65);
   assert_int_equal(BigText_width("x"), -1);
}

static void row__two_pixel_rows_per_text_row(void** state) {
   (void)state;
   char out[128];
   assert_true(BigText_row("LI", 0, out, sizeof out));
   assert_string_equal(out, FULL "    " UPPER FULL UPPER);
   assert_true(BigText_row("LI", 1, out, sizeof out));
   assert_string_equal(out, FULL "     " FULL " ");
   /* the last text row holds the fifth pixel row in its upper half */
   assert_true(BigText_row("LI", 2, out, sizeof out));
   assert_string_equal(out, UPPER UPPER UPPER UPPER " " UPPER UPPER UPPER);
}

static void row__every_verdict_word_renders_at_its_width(void** state) {
   (void)state;
   const char* words[] = {"KEEPING UP", "FALLING BEHIND", "CATCHING UP", "MEASURING"};
   char out[512];
   for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
      for (int r = 0; r < BIGTEXT_ROWS; r++) {
         assert_true(BigText_row(words[i], r, out, sizeof out));
         assert_int_equal(columns(out), BigText_width(words[i]));
      }
   }
}

static void row__unknown_character_or_small_buffer__fails(void** state) {
   (void)state;
   char out[8];
   assert_false(BigText_row("keeping", 0, out, sizeof out));
   assert_false(BigText_row("KEEPING UP", 0, out, sizeof out));
   assert_false(BigText_row("L", 3, out, sizeof out));
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(width__letters_plus_one_column_between),
       cmocka_unit_test(row__two_pixel_rows_per_text_row),
       cmocka_unit_test(row__every_verdict_word_renders_at_its_width),
       cmocka_unit_test(row__unknown_character_or_small_buffer__fails),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
