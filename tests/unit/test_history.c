/*
 * test_history.c: src/history.c. The charts read the ring oldest first and the
 * event marks by id, so wrap-around, partial copies and event numbering are
 * what can go wrong.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/history.h"

static HistorySample history_sample(int64_t t) {
   HistorySample s;
   memset(&s, 0, sizeof s);
   s.t = t;
   s.backlog = (double)t * 10;
   s.batch = (uint32_t)t;
   s.event = (uint32_t)(t % 7);
   return s;
}

static void history_pushRange(History* h, int64_t from, int64_t to) {
   for (int64_t t = from; t <= to; t++) {
      HistorySample s = history_sample(t);
      History_push(h, &s);
   }
}

/* out[0..n) must be the samples first..first+n-1, whole. */
static void history_assertRun(const HistorySample* out, size_t n, int64_t first) {
   for (size_t i = 0; i < n; i++) {
      HistorySample want = history_sample(first + (int64_t)i);
      if (out[i].t != want.t)
         fail_msg("sample %zu has t=%lld, want %lld", i, (long long)out[i].t, (long long)want.t);
      assert_float_equal(out[i].backlog, want.backlog, 0);
      assert_int_equal(out[i].batch, want.batch);
      assert_int_equal(out[i].event, want.event);
   }
}

static void copy__empty_ring__gives_nothing(void** state) {
   (void)state;
   History h;
   History_init(&h, 8, 4);
   HistorySample out[8];
   assert_int_equal(History_copy(&h, out, 8), 0);
   HistoryEvent ev[4];
   assert_int_equal(History_copyEvents(&h, ev, 4), 0);
   assert_int_equal(History_lastEventId(&h), 0);
   History_done(&h);
}

static void copy__partly_filled_ring__is_oldest_first(void** state) {
   (void)state;
   History h;
   History_init(&h, 8, 4);
   history_pushRange(&h, 1, 3);
   assert_int_equal(h.count, 3);
   HistorySample out[8];
   assert_int_equal(History_copy(&h, out, 8), 3);
   history_assertRun(out, 3, 1);
   History_done(&h);
}

static void push__past_capacity__keeps_the_newest_oldest_first(void** state) {
   (void)state;
   History h;
   History_init(&h, 4, 4);
   HistorySample out[16];
   /* exactly full, then wrapped once, then wrapped many times at every phase */
   history_pushRange(&h, 1, 4);
   assert_int_equal(History_copy(&h, out, 16), 4);
   history_assertRun(out, 4, 1);
   for (int64_t last = 5; last <= 23; last++) {
      history_pushRange(&h, last, last);
      assert_int_equal(h.count, 4);
      assert_int_equal(History_copy(&h, out, 16), 4);
      history_assertRun(out, 4, last - 3);
   }
   History_done(&h);
}

static void copy__max_below_count__gives_the_newest_max_oldest_first(void** state) {
   (void)state;
   History h;
   History_init(&h, 5, 4);
   HistorySample out[8];
   history_pushRange(&h, 1, 12); /* holds 8..12, head in the middle of the array */
   assert_int_equal(History_copy(&h, out, 2), 2);
   history_assertRun(out, 2, 11);
   assert_int_equal(History_copy(&h, out, 4), 4);
   history_assertRun(out, 4, 9);
   assert_int_equal(History_copy(&h, out, 1), 1);
   history_assertRun(out, 1, 12);
   assert_int_equal(History_copy(&h, out, 0), 0);
   /* not yet wrapped */
   History_clear(&h);
   history_pushRange(&h, 100, 103);
   assert_int_equal(History_copy(&h, out, 3), 3);
   history_assertRun(out, 3, 101);
   History_done(&h);
}

static void copy__does_not_write_past_the_number_returned(void** state) {
   (void)state;
   History h;
   History_init(&h, 6, 2);
   history_pushRange(&h, 1, 9);
   HistorySample out[8];
   memset(out, 0xab, sizeof out);
   HistorySample guard;
   memset(&guard, 0xab, sizeof guard);
   assert_int_equal(History_copy(&h, out, 3), 3);
   for (size_t i = 3; i < 8; i++)
      assert_memory_equal(&out[i], &guard, sizeof guard);
   History_done(&h);
}

static void ring_of_one__holds_the_last_sample(void** state) {
   (void)state;
   History h;
   History_init(&h, 1, 1);
   HistorySample out[2];
   history_pushRange(&h, 1, 5);
   assert_int_equal(History_copy(&h, out, 2), 1);
   history_assertRun(out, 1, 5);
   assert_int_equal(History_addEvent(&h, 10, "a"), 1);
   assert_int_equal(History_addEvent(&h, 20, "b"), 2);
   HistoryEvent ev[2];
   assert_int_equal(History_copyEvents(&h, ev, 2), 1);
   assert_int_equal(ev[0].id, 2);
   assert_string_equal(ev[0].text, "b");
   History_done(&h);
}

static void clear__empties_the_samples_and_the_ring_refills(void** state) {
   (void)state;
   History h;
   History_init(&h, 4, 4);
   history_pushRange(&h, 1, 6);
   History_clear(&h);
   HistorySample out[4];
   assert_int_equal(History_copy(&h, out, 4), 0);
   history_pushRange(&h, 50, 51);
   assert_int_equal(History_copy(&h, out, 4), 2);
   history_assertRun(out, 2, 50);
   History_done(&h);
}

static void events__get_increasing_ids_from_1_and_keep_their_text(void** state) {
   (void)state;
   History h;
   History_init(&h, 4, 8);
   assert_int_equal(History_addEvent(&h, 100, "batch 256"), 1);
   assert_int_equal(History_addEvent(&h, 200, "threads 4"), 2);
   assert_int_equal(History_addEvent(&h, 300, "feature optimized"), 3);
   assert_int_equal(History_lastEventId(&h), 3);
   HistoryEvent ev[8];
   assert_int_equal(History_copyEvents(&h, ev, 8), 3);
   assert_int_equal(ev[0].id, 1);
   assert_int_equal(ev[0].t, 100);
   assert_string_equal(ev[0].text, "batch 256");
   assert_int_equal(ev[2].id, 3);
   assert_int_equal(ev[2].t, 300);
   assert_string_equal(ev[2].text, "feature optimized");
   History_done(&h);
}

static void events__past_capacity__keep_the_newest_and_ids_keep_counting(void** state) {
   (void)state;
   History h;
   History_init(&h, 4, 3);
   for (int i = 1; i <= 10; i++) {
      char text[16];
      snprintf(text, sizeof text, "event %d", i);
      assert_int_equal(History_addEvent(&h, i * 1000, text), (uint32_t)i);
   }
   assert_int_equal(History_lastEventId(&h), 10);
   HistoryEvent ev[5];
   assert_int_equal(History_copyEvents(&h, ev, 5), 3);
   for (int k = 0; k < 3; k++) {
      char want[16];
      snprintf(want, sizeof want, "event %d", 8 + k);
      assert_int_equal(ev[k].id, 8 + k);
      assert_int_equal(ev[k].t, (8 + k) * 1000);
      assert_string_equal(ev[k].text, want);
   }
   assert_int_equal(History_copyEvents(&h, ev, 2), 2);
   assert_int_equal(ev[0].id, 9);
   assert_int_equal(ev[1].id, 10);
   History_done(&h);
}

static void events__long_text__is_cut_and_terminated(void** state) {
   (void)state;
   History h;
   History_init(&h, 2, 2);
   char longtext[200];
   memset(longtext, 'x', sizeof longtext - 1);
   longtext[sizeof longtext - 1] = '\0';
   History_addEvent(&h, 1, longtext);
   HistoryEvent ev[1];
   assert_int_equal(History_copyEvents(&h, ev, 1), 1);
   assert_int_equal(strlen(ev[0].text), sizeof ev[0].text - 1);
   assert_int_equal(ev[0].text[0], 'x');
   History_done(&h);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(copy__empty_ring__gives_nothing),
      cmocka_unit_test(copy__partly_filled_ring__is_oldest_first),
      cmocka_unit_test(push__past_capacity__keeps_the_newest_oldest_first),
      cmocka_unit_test(copy__max_below_count__gives_the_newest_max_oldest_first),
      cmocka_unit_test(copy__does_not_write_past_the_number_returned),
      cmocka_unit_test(ring_of_one__holds_the_last_sample),
      cmocka_unit_test(clear__empties_the_samples_and_the_ring_refills),
      cmocka_unit_test(events__get_increasing_ids_from_1_and_keep_their_text),
      cmocka_unit_test(events__past_capacity__keep_the_newest_and_ids_keep_counting),
      cmocka_unit_test(events__long_text__is_cut_and_terminated),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
