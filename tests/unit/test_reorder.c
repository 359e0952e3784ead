/*
 * test_reorder.c: src/core/reorder.c, the buffer behind --ordered. What can
 * go wrong: a line written before an older record is done (out of order), a
 * line held for good (a filtered or dropped record never unblocks it), the
 * admission numbers' wrap, the memory bound (it must pass over a gap and
 * count it, and the record that comes after all must still be written), and
 * the end (flush writes what is held, nothing twice, nothing lost).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/reorder.h"

#define HAND_MAX 64

/* A hand-off: records with admission numbers seq[], those with keep[] set have a line "L<seq>\n". */
typedef struct Hand {
   Record rec[HAND_MAX];
   Row rows[HAND_MAX];
   uint32_t n, nrows;
   char text[HAND_MAX * 16];
   size_t len;
} Hand;

static void hand_add(Hand* h, uint32_t seq, int64_t t, int keep) {
   Record* r = &h->rec[h->n++];
   memset(r, 0, sizeof *r);
   r->seq = seq;
   r->t_event = t;
   if (!keep)
      return;
   memset(&h->rows[h->nrows], 0, sizeof(Row));
   h->rows[h->nrows++].rec = *r;
   h->len += (size_t)sprintf(h->text + h->len, "L%u\n", seq);
}

static void hand_give(Reorder* ro, const Hand* h, OutBuf* out) {
   Reorder_add(ro, h->rec, h->n, h->rows, h->nrows, h->text, h->len, out);
}

static const char* out_text(const OutBuf* out) {
   return out->len ? out->buf : "";
}

static void add__in_order__is_written_at_once(void** state) {
   (void)state;
   Reorder* ro = Reorder_new(1 << 20);
   OutBuf out = {0};
   Hand h = {0};
   for (uint32_t s = 0; s < 3; s++)
      hand_add(&h, s, s, 1);
   hand_give(ro, &h, &out);
   assert_string_equal(out_text(&out), "L0\nL1\nL2\n");
   ReorderStats st;
   Reorder_stats(ro, &st);
   assert_int_equal(st.held_records, 0);
   assert_int_equal(st.lines, 3);
   assert_int_equal(st.unordered, 0);
   free(out.buf);
   Reorder_delete(ro);
}

/* One worker's hand-off may take batches of several partitions in seal order, so its admission numbers
 * interleave (partition A's 0 2 4, then B's 1 3): each goes to its own place. The old buffer stepped from
 * one entry to the next by their difference, so 4 then 1 stepped 2^32 - 3 ahead: the lines came out of order. */
static void add__interleaved_numbers_in_one_hand_off__each_in_its_place(void** state) {
   (void)state;
   Reorder* ro = Reorder_new(1 << 20);
   OutBuf out = {0};
   Hand h = {0};
   const uint32_t seqs[] = {0, 2, 4, 1, 3};
   for (int i = 0; i < 5; i++)
      hand_add(&h, seqs[i], seqs[i], 1);
   hand_give(ro, &h, &out);
   assert_string_equal(out_text(&out), "L0\nL1\nL2\nL3\nL4\n");
   ReorderStats st;
   Reorder_stats(ro, &st);
   assert_int_equal(st.held_records, 0);
   assert_int_equal(st.unordered, 0);
   assert_int_equal(st.passed, 0);
   free(out.buf);
   Reorder_delete(ro);
}

static void add__later_hand_off_first__waits_for_the_older_records(void** state) {
   (void)state;
   Reorder* ro = Reorder_new(1 << 20);
   OutBuf out = {0};
   Hand a = {0}, b = {0};
   /* two partitions: a has 0, 2, 4; b has 1, 3, 5; b finishes first */
   for (uint32_t s = 0; s < 6; s++)
      hand_add(s % 2 ? &b : &a, s, s, 1);
   hand_give(ro, &b, &out);
   assert_string_equal(out_text(&out), "");
   ReorderStats st;
   Reorder_stats(ro, &st);
   assert_int_equal(st.held_records, 3);
   hand_give(ro, &a, &out);
   assert_string_equal(out_text(&out), "L0\nL1\nL2\nL3\nL4\nL5\n");
   Reorder_stats(ro, &st);
   assert_int_equal(st.held_records, 0);
   assert_int_equal(st.held_bytes, 0);
   free(out.buf);
   Reorder_delete(ro);
}

static void add__filtered_records__do_not_hold_the_lines_after_them(void** state) {
   (void)state;
   Reorder* ro = Reorder_new(1 << 20);
   OutBuf out = {0};
   Hand a = {0}, b = {0};
   hand_add(&a, 0, 0, 0); /* filtered: no line */
   hand_add(&a, 2, 2, 1);
   hand_add(&b, 1, 1, 1);
   hand_add(&b, 3, 3, 0);
   hand_add(&b, 4, 4, 1);
   hand_give(ro, &b, &out);
   assert_string_equal(out_text(&out), "");
   hand_give(ro, &a, &out);
   assert_string_equal(out_text(&out), "L1\nL2\nL4\n");
   free(out.buf);
   Reorder_delete(ro);
}

static void skip__dropped_records__release_what_waited_for_them(void** state) {
   (void)state;
   Reorder* ro = Reorder_new(1 << 20);
   OutBuf out = {0};
   Hand a = {0}, dropped = {0};
   hand_add(&a, 1, 1, 1);
   hand_add(&a, 3, 3, 1);
   hand_add(&dropped, 0, 0, 0);
   hand_add(&dropped, 2, 2, 0);
   hand_give(ro, &a, &out);
   assert_string_equal(out_text(&out), "");
   Reorder_skip(ro, dropped.rec, dropped.n, &out);
   assert_string_equal(out_text(&out), "L1\nL3\n");
   free(out.buf);
   Reorder_delete(ro);
}

static void flush__writes_what_is_held_in_order__without_counting_it_passed(void** state) {
   (void)state;
   Reorder* ro = Reorder_new(1 << 20);
   OutBuf out = {0};
   Hand a = {0}, b = {0};
   hand_add(&a, 5, 5, 1);
   hand_add(&a, 7, 7, 1);
   hand_add(&b, 2, 2, 1);
   hand_add(&b, 6, 6, 1);
   hand_give(ro, &a, &out);
   hand_give(ro, &b, &out);
   assert_string_equal(out_text(&out), ""); /* 0, 1, 3, 4 never came (still queued at a stop) */
   Reorder_flush(ro, &out);
   assert_string_equal(out_text(&out), "L2\nL5\nL6\nL7\n");
   ReorderStats st;
   Reorder_stats(ro, &st);
   assert_int_equal(st.passed, 0);
   assert_int_equal(st.held_records, 0);
   assert_int_equal(st.lines, 4);
   free(out.buf);
   Reorder_delete(ro);
}

static void add__across_the_32_bit_wrap__keeps_admission_order(void** state) {
   (void)state;
   Reorder* ro = Reorder_new(1 << 20);
   OutBuf out = {0};
   /* move the watermark up to 2^32 - 2 in steps below 2^31: records skipped far ahead of the window (the
    * bound passes the gap over, counted), then the end */
   static const uint32_t bases[] = {0x7FFFFF00u, 0xC0000000u, 0xFFFFFFFAu};
   for (int k = 0; k < 3; k++) {
      Record rec[4] = {{.seq = bases[k]}, {.seq = bases[k] + 1}, {.seq = bases[k] + 2}, {.seq = bases[k] + 3}};
      Reorder_skip(ro, rec, 4, &out);
      Reorder_flush(ro, &out);
   }
   ReorderStats st;
   Reorder_stats(ro, &st);
   assert_int_equal(st.held_records, 0);
   const uint64_t gaps = UINT32_MAX - 1 - 3 * 4; /* every number below 2^32 - 2 but the twelve skipped */
   assert_int_equal(st.passed, gaps);
   /* now across the wrap: 2^32 - 2, 2^32 - 1, 0, 1 in two partitions, the later one first */
   Hand a = {0}, b = {0};
   hand_add(&a, UINT32_MAX - 1, 10, 1);
   hand_add(&a, 0, 12, 1);
   hand_add(&b, UINT32_MAX, 11, 1);
   hand_add(&b, 1, 13, 1);
   hand_give(ro, &b, &out);
   assert_string_equal(out_text(&out), "");
   hand_give(ro, &a, &out);
   assert_string_equal(out_text(&out), "L4294967294\nL4294967295\nL0\nL1\n");
   Reorder_stats(ro, &st);
   assert_int_equal(st.unordered, 0);
   assert_int_equal(st.passed, gaps);
   assert_int_equal(st.held_records, 0);
   free(out.buf);
   Reorder_delete(ro);
}

static void add__far_ahead_within_the_bound__grows_the_window_and_waits(void** state) {
   (void)state;
   Reorder* ro = Reorder_new(1 << 24);
   OutBuf out = {0};
   Hand ahead = {0};
   hand_add(&ahead, 100000, 100000, 1); /* past the first window of 4096 numbers */
   hand_give(ro, &ahead, &out);
   assert_string_equal(out_text(&out), "");
   Record* rec = calloc(100000, sizeof *rec);
   for (uint32_t s = 0; s < 100000; s++)
      rec[s].seq = s;
   Reorder_skip(ro, rec, 100000, &out);
   free(rec);
   assert_string_equal(out_text(&out), "L100000\n");
   ReorderStats st;
   Reorder_stats(ro, &st);
   assert_int_equal(st.passed, 0);
   assert_int_equal(st.held_records, 0);
   free(out.buf);
   Reorder_delete(ro);
}

static void add__over_the_bound__passes_the_gap_over_and_counts_it(void** state) {
   (void)state;
   /* room for about two lines and their entries */
   Reorder* ro = Reorder_new(80);
   OutBuf out = {0};
   Hand a = {0};
   for (uint32_t s = 1; s <= 6; s++)
      hand_add(&a, s, (int64_t)s, 1);
   hand_give(ro, &a, &out); /* 0 is missing: the bound gives up on it */
   assert_string_equal(out_text(&out), "L1\nL2\nL3\nL4\nL5\nL6\n");
   ReorderStats st;
   Reorder_stats(ro, &st);
   assert_int_equal(st.passed, 1);
   assert_int_equal(st.held_records, 0);
   /* 0 comes after all: written at once, and counted as out of event-time order */
   Hand late = {0};
   hand_add(&late, 0, 0, 1);
   hand_give(ro, &late, &out);
   assert_string_equal(out_text(&out), "L1\nL2\nL3\nL4\nL5\nL6\nL0\n");
   Reorder_stats(ro, &st);
   assert_int_equal(st.unordered, 1);
   assert_int_equal(st.lines, 7);
   free(out.buf);
   Reorder_delete(ro);
}

static void add__event_time_going_back__is_counted_unordered(void** state) {
   (void)state;
   Reorder* ro = Reorder_new(1 << 20);
   OutBuf out = {0};
   Hand h = {0};
   hand_add(&h, 0, 100, 1);
   hand_add(&h, 1, 50, 1); /* a late row the replay played at once */
   hand_add(&h, 2, 100, 1);
   hand_give(ro, &h, &out);
   assert_string_equal(out_text(&out), "L0\nL1\nL2\n");
   ReorderStats st;
   Reorder_stats(ro, &st);
   assert_int_equal(st.unordered, 1);
   free(out.buf);
   Reorder_delete(ro);
}

static void add__quoted_line_break__stays_in_its_line(void** state) {
   (void)state;
   Reorder* ro = Reorder_new(1 << 20);
   OutBuf out = {0};
   Record rec[2] = {{.seq = 1}, {.seq = 0}};
   Row rows[2];
   memset(rows, 0, sizeof rows);
   rows[0].rec = rec[0];
   const char* t1 = "1,\"a\nb\",1\n";
   Reorder_add(ro, &rec[0], 1, rows, 1, t1, strlen(t1), &out);
   rows[1].rec = rec[1];
   const char* t0 = "0,c,0\n";
   Reorder_add(ro, &rec[1], 1, &rows[1], 1, t0, strlen(t0), &out);
   assert_string_equal(out_text(&out), "0,c,0\n1,\"a\nb\",1\n");
   free(out.buf);
   Reorder_delete(ro);
}

/* Many partitions, hand-offs finishing in a random order, some records filtered, some dropped: the
 * text is every kept line once, in admission order. */
static void add__random_completion_order__gives_admission_order(void** state) {
   (void)state;
   enum { N = 20000, PARTS = 7 };
   srand(7);
   Hand* hands = calloc(N, sizeof *hands);
   uint32_t nh = 0;
   Hand* open[PARTS] = {0};
   uint32_t size[PARTS] = {0};
   char* want = malloc((size_t)N * 16);
   size_t want_len = 0;
   for (uint32_t s = 0; s < N; s++) {
      uint32_t p = (uint32_t)rand() % PARTS;
      if (!open[p] || open[p]->n == size[p]) {
         open[p] = &hands[nh++];
         size[p] = 1 + (uint32_t)rand() % 8;
      }
      int keep = rand() % 5 != 0;
      hand_add(open[p], s, s / 3, keep);
      if (keep)
         want_len += (size_t)sprintf(want + want_len, "L%u\n", s);
   }
   for (uint32_t i = nh - 1; i > 0; i--) { /* shuffle */
      uint32_t j = (uint32_t)rand() % (i + 1);
      Hand t = hands[i];
      hands[i] = hands[j];
      hands[j] = t;
   }
   Reorder* ro = Reorder_new(1 << 30);
   OutBuf out = {0};
   for (uint32_t i = 0; i < nh; i++) {
      if (i % 11 == 0)
         Reorder_skip(ro, hands[i].rec, hands[i].n, &out); /* dropped: its lines go too */
      else
         hand_give(ro, &hands[i], &out);
   }
   Reorder_flush(ro, &out);
   /* the dropped hand-offs' lines are not in the text: take them out of want */
   char* kept = malloc((size_t)N * 16);
   size_t kept_len = 0;
   uint8_t* gone = calloc(N, 1);
   for (uint32_t i = 0; i < nh; i += 11)
      for (uint32_t k = 0; k < hands[i].n; k++)
         gone[hands[i].rec[k].seq] = 1;
   for (const char* l = want; l < want + want_len;) {
      const char* nl = strchr(l, '\n');
      uint32_t s = (uint32_t)strtoul(l + 1, NULL, 10);
      if (!gone[s]) {
         memcpy(kept + kept_len, l, (size_t)(nl - l) + 1);
         kept_len += (size_t)(nl - l) + 1;
      }
      l = nl + 1;
   }
   kept[kept_len] = '\0';
   assert_int_equal(out.len, kept_len);
   assert_string_equal(out_text(&out), kept);
   ReorderStats st;
   Reorder_stats(ro, &st);
   assert_int_equal(st.unordered, 0);
   assert_int_equal(st.passed, 0);
   assert_true(st.peak_bytes > 0);
   free(gone);
   free(kept);
   free(want);
   free(hands);
   free(out.buf);
   Reorder_delete(ro);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(add__in_order__is_written_at_once),
      cmocka_unit_test(add__interleaved_numbers_in_one_hand_off__each_in_its_place),
      cmocka_unit_test(add__later_hand_off_first__waits_for_the_older_records),
      cmocka_unit_test(add__filtered_records__do_not_hold_the_lines_after_them),
      cmocka_unit_test(skip__dropped_records__release_what_waited_for_them),
      cmocka_unit_test(flush__writes_what_is_held_in_order__without_counting_it_passed),
      cmocka_unit_test(add__across_the_32_bit_wrap__keeps_admission_order),
      cmocka_unit_test(add__far_ahead_within_the_bound__grows_the_window_and_waits),
      cmocka_unit_test(add__over_the_bound__passes_the_gap_over_and_counts_it),
      cmocka_unit_test(add__event_time_going_back__is_counted_unordered),
      cmocka_unit_test(add__quoted_line_break__stays_in_its_line),
      cmocka_unit_test(add__random_completion_order__gives_admission_order),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
