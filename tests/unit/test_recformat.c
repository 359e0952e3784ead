/*
 * test_recformat.c: src/csv/recformat.c. A header written by the module
 * reads back as the same parameters and notes (long lists across lines,
 * doubles bit for bit, open ranges), every key of the table is written, and
 * the reader refuses what it must with the message the replay shows: a bad
 * or newer version, a missing key, a list that does not match its count, a
 * value that does not read; unknown keys are notes.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv/recformat.h"

/* ------------------------------------------------------------- helpers */

typedef struct Text {
   char buf[64 * 1024];
   size_t len;
} Text;

static void text_sink(void* ctx, const char* s, size_t len) {
   Text* t = ctx;
   assert_true(t->len + len < sizeof t->buf);
   memcpy(t->buf + t->len, s, len);
   t->len += len;
   t->buf[t->len] = '\0';
}

static locale_t c_locale(void) {
   static locale_t c;
   if (!c)
      c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
   assert_non_null(c);
   return c;
}

/* Read the '#' lines of text as the replay does; returns the first failure's message ("" when none). */
static const char* read_header(RecFormatHeader* h, const char* text, bool all_keys) {
   static char why[256];
   why[0] = '\0';
   RecFormat_init(h, all_keys, c_locale());
   char* copy = strdup(text);
   int line = 1;
   for (char *save = NULL, *s = strtok_r(copy, "\n", &save); s && s[0] == '#'; s = strtok_r(NULL, "\n", &save)) {
      if (line++ == 1 && RecFormat_readFirst(h, s + 1, why, sizeof why) == RECFORMAT_UNREADABLE)
         break;
      if (h->version && !RecFormat_readLine(h, s + 1, why, sizeof why))
         break;
   }
   free(copy);
   if (!why[0])
      RecFormat_readEnd(h, why, sizeof why);
   return why;
}

static bool same_double(double a, double b) {
   return memcmp(&a, &b, sizeof a) == 0;
}

/* --------------------------------------------------------------- tests */

static void round_trip__params_lists_and_notes__read_back_the_same(void** state) {
   (void)state;
   enum { ALLOW = 700, CAL = 300 };
   uint32_t allow[ALLOW];
   CalEntry cal[CAL];
   for (uint32_t i = 0; i < ALLOW; i++)
      allow[i] = i * 7 % 5000;
   for (uint32_t i = 0; i < CAL; i++)
      cal[i] = (CalEntry){.sensor = i * 3, .offset = -(double)i / 7.0, .gain = 1 + i / 3.0};
   PipelineParams p = {.id_space = 5000,
                       .allow = allow,
                       .n_allow = ALLOW,
                       .valid_lo = -0.1,
                       .valid_hi = 1e300,
                       .cal = cal,
                       .n_cal = CAL,
                       .window = 77,
                       .threshold = 2.0 / 3.0,
                       .cache_capacity = 4096,
                       .enrich_work = 16,
                       .names = (const char* const[]){"a", NULL}};
   Text t = {.len = 0};
   RecFormat_writeHeader(&p, c_locale(), text_sink, &t);
   assert_true(RecFormat_noteOk("seed", "42"));
   RecFormat_writeNote("seed", "42", text_sink, &t);
   RecFormat_writeColumns(text_sink, &t);
   /* every key of the table is in the header, each once at the start of a line */
   for (int k = 0; k < RECFORMAT_KEY_LAST; k++) {
      char want[64];
      snprintf(want, sizeof want, "# %s ", RecFormat_keys[k].name);
      assert_non_null(strstr(t.buf, want));
   }
   assert_non_null(strstr(t.buf, "\ntime_s,sensor,value\n"));

   RecFormatHeader h;
   assert_string_equal(read_header(&h, t.buf, true), "");
   assert_int_equal(h.version, RECFORMAT_VERSION);
   assert_int_equal(h.id_space, 5000);
   const PipelineParams* q = &h.params;
   assert_int_equal(q->id_space, 5000);
   assert_int_equal(q->window, 77);
   assert_true(same_double(q->threshold, 2.0 / 3.0));
   assert_true(same_double(q->valid_lo, -0.1) && same_double(q->valid_hi, 1e300));
   assert_int_equal(q->cache_capacity, 4096);
   assert_int_equal(q->enrich_work, 16);
   assert_int_equal(q->n_allow, ALLOW);
   assert_memory_equal(q->allow, allow, sizeof allow);
   assert_int_equal(q->n_cal, CAL);
   for (uint32_t i = 0; i < CAL; i++) {
      assert_int_equal(q->cal[i].sensor, cal[i].sensor);
      assert_true(same_double(q->cal[i].offset, cal[i].offset) && same_double(q->cal[i].gain, cal[i].gain));
   }
   assert_null(q->names);
   assert_string_equal(RecFormat_note(&h, "version"), PACKAGE_VERSION);
   assert_string_equal(RecFormat_note(&h, "seed"), "42");
   assert_null(RecFormat_note(&h, "scenario"));
   RecFormat_done(&h);
}

static void round_trip__no_lists_and_open_range__stay_so(void** state) {
   (void)state;
   PipelineParams p = {
       .id_space = 3, .valid_lo = -INFINITY, .valid_hi = INFINITY, .window = 1, .threshold = 4, .cache_capacity = 1};
   Text t = {.len = 0};
   RecFormat_writeHeader(&p, c_locale(), text_sink, &t);
   assert_null(strstr(t.buf, "allow"));
   assert_null(strstr(t.buf, "cal"));
   RecFormatHeader h;
   assert_string_equal(read_header(&h, t.buf, true), "");
   assert_null(h.params.allow);
   assert_null(h.params.cal);
   assert_true(isinf(h.params.valid_lo) && h.params.valid_lo < 0);
   assert_true(isinf(h.params.valid_hi) && h.params.valid_hi > 0);
   RecFormat_done(&h);
}

static void first_line__tells_recordings_and_refuses_bad_or_newer_versions(void** state) {
   (void)state;
   RecFormatHeader h;
   char why[128];
   static const struct {
      const char* text;
      RecFormatFirst first;
      const char* why;
   } cases[] = {
       {" keepup-recording 1", RECFORMAT_RECORDING, NULL},
       {" keepup-recording 2", RECFORMAT_RECORDING, NULL},
       {" keepup-recording 3", RECFORMAT_UNREADABLE, "recording format 3 is newer than this keepup reads (2)"},
       {" keepup-recording 0", RECFORMAT_UNREADABLE, "bad recording format line"},
       {" keepup-recording x", RECFORMAT_UNREADABLE, "bad recording format line"},
       {" keepup-recording 1 ", RECFORMAT_UNREADABLE, "bad recording format line"},
       {" keepup-recording 99999999", RECFORMAT_UNREADABLE, "bad recording format line"},
       {"keepup-recording 1", RECFORMAT_OTHER, NULL},
       {" keepup-recording", RECFORMAT_OTHER, NULL},
       {" a comment", RECFORMAT_OTHER, NULL},
       {"", RECFORMAT_OTHER, NULL},
   };
   for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      RecFormat_init(&h, true, c_locale());
      why[0] = '\0';
      RecFormatFirst first = RecFormat_readFirst(&h, cases[i].text, why, sizeof why);
      if (first != cases[i].first)
         fail_msg("'%s': %d, expected %d", cases[i].text, (int)first, (int)cases[i].first);
      if (cases[i].why)
         assert_string_equal(why, cases[i].why);
      assert_int_equal(h.version, first == RECFORMAT_RECORDING ? (uint32_t)(cases[i].text[18] - '0') : 0);
      /* a file that is not a recording has nothing to miss */
      if (first == RECFORMAT_OTHER)
         assert_true(RecFormat_readEnd(&h, why, sizeof why));
      RecFormat_done(&h);
   }
}

#define HEAD "# keepup-recording 1\n"
#define KEYS "# sensors 4\n# window 10\n# threshold 3\n# valid-range -inf:inf\n# cache 16\n# enrich-work 0\n"

static void missing_or_bad_keys__are_refused_with_the_reason(void** state) {
   (void)state;
   static const struct {
      const char* text;
      const char* why;
   } cases[] = {
       {HEAD "# window 10\n", "recording header lacks '# sensors'"},
       {HEAD "# sensors 4\n# window 10\n",
        "recording header lacks one of sensors, window, threshold, valid-range, cache, enrich-work"},
       {HEAD KEYS "# allow-count 3\n# allow 1,2\n",
        "recording header: the allow or cal lines do not match their count"},
       {HEAD KEYS "# cal-count 1\n", "recording header: the allow or cal lines do not match their count"},
       {HEAD KEYS "# allow 1,2\n",
        "recording header '# allow 1,2': expected ids after '# allow-count', as many as it says, no empty item"},
       {HEAD KEYS "# allow-count 1\n# allow 1,2\n",
        "recording header '# allow 1,2': expected ids after '# allow-count', as many as it says, no empty item"},
       {HEAD KEYS "# allow-count 2\n# allow 1,,2\n",
        "recording header '# allow 1,,2': expected ids after '# allow-count', as many as it says, no empty item"},
       {HEAD KEYS "# allow-count 1\n# allow-count 1\n",
        "recording header '# allow-count 1': expected a whole number up to 1000000, given once"},
       {HEAD KEYS "# cal-count 1\n# cal 3:x:1\n",
        "recording header '# cal 3:x:1': expected ID:OFFSET:GAIN entries after '# cal-count', as many as it says, "
        "no empty item"},
       {HEAD "# sensors 0\n", "recording header '# sensors 0': expected a whole number from 1 to 1100000"},
       {HEAD "# sensors 4\n# window 0\n",
        "recording header '# window 0': expected a whole number from 1 to 100000 (as --window)"},
       {HEAD "# sensors 4\n# threshold nan\n",
        "recording header '# threshold nan': expected a number from 0.1 to 1000 (as --threshold)"},
       {HEAD "# sensors 4\n# valid-range 5\n",
        "recording header '# valid-range 5': expected LO:HI with LO < HI (as --valid-range)"},
       {HEAD "# sensors 4\n# cache -1\n",
        "recording header '# cache -1': expected a whole number from 1 to 1000000 (as --cache)"},
       /* bounded as the options they stand for: a small file must not cost hours or gigabytes */
       {HEAD "# sensors 16777216\n", "recording header '# sensors 16777216': expected a whole number from 1 to 1100000"},
       {HEAD "# sensors 4\n# enrich-work 4000000000\n",
        "recording header '# enrich-work 4000000000': expected a whole number from 0 to 1024"},
       {HEAD "# sensors 4\n# cache 4000000000\n",
        "recording header '# cache 4000000000': expected a whole number from 1 to 1000000 (as --cache)"},
       {HEAD "# sensors 4\n# cache 0\n",
        "recording header '# cache 0': expected a whole number from 1 to 1000000 (as --cache)"},
       {HEAD "# sensors 4\n# threshold 1e300\n",
        "recording header '# threshold 1e300': expected a number from 0.1 to 1000 (as --threshold)"},
       {HEAD "# sensors 4\n# valid-range 5:1\n",
        "recording header '# valid-range 5:1': expected LO:HI with LO < HI (as --valid-range)"},
       {HEAD KEYS "# allow-count 16000000\n",
        "recording header '# allow-count 16000000': expected a whole number up to 1000000, given once"},
       {HEAD KEYS "# cal-count 16000000\n",
        "recording header '# cal-count 16000000': expected a whole number up to 1100000, given once"},
       {HEAD KEYS, ""},
       {HEAD KEYS "# allow-count 2\n# allow 1,2\n# cal-count 1\n# cal 3:0.5:2\n", ""},
   };
   for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      RecFormatHeader h;
      const char* why = read_header(&h, cases[i].text, true);
      if (strcmp(why, cases[i].why) != 0)
         fail_msg("case %zu: got '%s', expected '%s'", i, why, cases[i].why);
      RecFormat_done(&h);
   }
}

static void other_files__read_only_the_id_space(void** state) {
   (void)state;
   RecFormatHeader h;
   /* the parameters of a replay's later files are not used: not even a bad one stops them */
   assert_string_equal(read_header(&h, HEAD "# sensors 9\n# window 0\n# seed 3\n", false), "");
   assert_int_equal(h.id_space, 9);
   assert_int_equal(h.params.window, 0);
   assert_null(RecFormat_note(&h, "seed"));
   RecFormat_done(&h);
   assert_string_equal(read_header(&h, HEAD "# window 10\n", false), "recording header lacks '# sensors'");
   RecFormat_done(&h);
}

static void unknown_keys__are_notes_the_last_value_wins(void** state) {
   (void)state;
   RecFormatHeader h;
   const char* text = HEAD KEYS "# scenario  lecture-bursts \n# seed 1\n# seed 2\n#   source\treplay\n# empty\n";
   assert_string_equal(read_header(&h, text, true), "");
   assert_string_equal(RecFormat_note(&h, "scenario"), "lecture-bursts");
   assert_string_equal(RecFormat_note(&h, "seed"), "2");
   assert_string_equal(RecFormat_note(&h, "source"), "replay");
   assert_string_equal(RecFormat_note(&h, "empty"), "");
   assert_null(RecFormat_note(&h, "window"));
   RecFormat_done(&h);
}

static void notes__must_fit_on_a_line_and_not_take_a_key_of_the_format(void** state) {
   (void)state;
   assert_true(RecFormat_noteOk("seed", "3"));
   assert_true(RecFormat_noteOk("x-2", "any text, even with spaces"));
   assert_false(RecFormat_noteOk("", "3"));
   assert_false(RecFormat_noteOk("Seed", "3"));
   assert_false(RecFormat_noteOk("my seed", "3"));
   assert_false(RecFormat_noteOk("seed", "3\n4"));
   assert_false(RecFormat_noteOk("seed", "3\r"));
   for (int k = 0; k < RECFORMAT_KEY_LAST; k++)
      assert_false(RecFormat_noteOk(RecFormat_keys[k].name, "1"));
   Text t = {.len = 0};
   RecFormat_writeNote("seed", "3", text_sink, &t);
   assert_string_equal(t.buf, "# seed 3\n");
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(round_trip__params_lists_and_notes__read_back_the_same),
       cmocka_unit_test(round_trip__no_lists_and_open_range__stay_so),
       cmocka_unit_test(first_line__tells_recordings_and_refuses_bad_or_newer_versions),
       cmocka_unit_test(missing_or_bad_keys__are_refused_with_the_reason),
       cmocka_unit_test(other_files__read_only_the_id_space),
       cmocka_unit_test(unknown_keys__are_notes_the_last_value_wins),
       cmocka_unit_test(notes__must_fit_on_a_line_and_not_take_a_key_of_the_format),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
