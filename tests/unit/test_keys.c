/* test_keys.c: the dashboard's key table: every key once, every knob's keys, and what the help and key bar say. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#ifdef HAVE_NCURSESW_CURSES_H
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

#include "ui/keys.h"

/* Every code a row answers to, with its direction. */
static int codes_of(const KeyBinding* b, int* codes, int* dirs) {
   int n = 0;
   for (int i = 0; i < KEYS_CODES && b->plus[i]; i++)
      codes[n] = b->plus[i], dirs[n++] = +1;
   for (int i = 0; i < KEYS_CODES && b->minus[i]; i++)
      codes[n] = b->minus[i], dirs[n++] = -1;
   if (b->action == KEYS_KNOB) {
      codes[n] = Knob_table[b->knob].key_up, dirs[n++] = +1;
      codes[n] = Knob_table[b->knob].key_down, dirs[n++] = -1;
   }
   return n;
}

static void table__every_key_acts_once_in_its_direction(void** state) {
   (void)state;
   for (size_t i = 0; i < Keys_count; i++) {
      int codes[2 * KEYS_CODES + 2], dirs[2 * KEYS_CODES + 2];
      int n = codes_of(&Keys_table[i], codes, dirs);
      assert_true(n > 0);
      for (int k = 0; k < n; k++) {
         int dir = 0;
         const KeyBinding* b = Keys_find(codes[k], &dir);
         /* found in its own row: no earlier row takes the same key */
         assert_ptr_equal(b, &Keys_table[i]);
         assert_int_equal(dir, dirs[k]);
      }
   }
   int dir = 0;
   assert_null(Keys_find('Z', &dir));
}

static void table__every_knob_with_keys_has_its_row(void** state) {
   (void)state;
   for (int id = 0; id < KNOB_LAST; id++) {
      if (!Knob_table[id].key_down)
         continue;
      int dir = 0;
      const KeyBinding* b = Keys_find(Knob_table[id].key_up, &dir);
      assert_non_null(b);
      assert_int_equal(b->action, KEYS_KNOB);
      assert_int_equal(dir, +1);
      assert_int_equal(Knob_table[b->knob].key_up, Knob_table[id].key_up);
   }
   int dir = 0;
   const KeyBinding* b = Keys_find('_', &dir);
   assert_int_equal(b->knob, KNOB_RATE);
   assert_int_equal(dir, -1);
   b = Keys_find(KEY_UP, &dir);
   assert_int_equal(b->action, KEYS_SELECT);
   assert_int_equal(dir, -1);
   b = Keys_find(KEY_F(10), &dir);
   assert_int_equal(b->action, KEYS_QUIT);
}

static void help__lines_from_the_knob_table_and_the_rows(void** state) {
   (void)state;
   char keys[24], line[160];
   int dir = 0;
   const KeyBinding* b = Keys_find('B', &dir);
   Keys_helpKeys(b, keys, sizeof keys);
   assert_true(Keys_helpLine(b, line, sizeof line));
   assert_string_equal(keys, "b B");
   assert_string_equal(line, "batch size: halve / double (1 .. 65536)");
   b = Keys_find('+', &dir);
   assert_true(Keys_helpLine(b, line, sizeof line));
   assert_string_equal(line, "arrival rate, or burst size: down / up (a replay: its speed)");
   b = Keys_find('L', &dir);
   assert_true(Keys_helpLine(b, line, sizeof line));
   assert_string_equal(line, "linger: shorter / longer");
   b = Keys_find('?', &dir);
   Keys_helpKeys(b, keys, sizeof keys);
   assert_string_equal(keys, "? h F1");
   b = Keys_find(KEY_RESIZE, &dir);
   assert_false(Keys_helpLine(b, line, sizeof line));
   /* the help fits an 80-column terminal: keys from column 2, the line from column 14 */
   for (size_t i = 0; i < Keys_count; i++) {
      if (!Keys_helpLine(&Keys_table[i], line, sizeof line))
         continue;
      Keys_helpKeys(&Keys_table[i], keys, sizeof keys);
      assert_true(strlen(keys) <= 11);
      assert_true(strlen(line) <= 80 - 14 - 1);
   }
}

static void bar__labels_by_priority_and_run(void** state) {
   (void)state;
   char keys[16];
   int dir = 0;
   const KeyBinding* b = Keys_find('t', &dir);
   Keys_barKeys(b, keys, sizeof keys);
   assert_string_equal(keys, "t/T");
   assert_true(Keys_inBar(b, false, 1));
   assert_false(Keys_inBar(b, false, 0));
   /* the rate's keys in a simulated run, the speed's in a replay */
   const KeyBinding* rate = Keys_find('+', &dir);
   const KeyBinding* speed = Keys_find(']', &dir);
   assert_true(Keys_inBar(rate, false, 7) && !Keys_inBar(rate, true, 7));
   assert_true(Keys_inBar(speed, true, 7) && !Keys_inBar(speed, false, 7));
   /* help and quit are always there */
   assert_true(Keys_inBar(Keys_find(KEY_F(1), &dir), true, 0));
   assert_true(Keys_inBar(Keys_find('q', &dir), false, 0));
   /* a row without a label never is */
   assert_false(Keys_inBar(Keys_find('m', &dir), false, 100));
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(table__every_key_acts_once_in_its_direction),
       cmocka_unit_test(table__every_knob_with_keys_has_its_row),
       cmocka_unit_test(help__lines_from_the_knob_table_and_the_rows),
       cmocka_unit_test(bar__labels_by_priority_and_run),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
