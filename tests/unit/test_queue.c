/* test_queue.c: partitions, claim order, overflow policies, the record accounting, and natural batching
 * (issue 12, case 3: a new batch size acts on the batches already queued). */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/queue.h"

static const uint64_t no_filter[FILTER_LAST] = {0};

static Batch* make_batch(uint32_t partition, uint32_t n, int64_t t) {
   Batch* b = Batch_new(n, partition);
   for (uint32_t i = 0; i < n; i++)
      b->rec[i] = (Record){.t_arrival = t + i, .value = i, .sensor = partition, .seq = i};
   b->n = n;
   return b;
}

/* Push n records the way the source does: counted as pending first, then sealed. */
static QueuePush push(Queue* q, Batch* b) {
   atomic_fetch_add(&q->pending, b->n);
   return Queue_push(q, b, 0);
}

static void assert_conserved(Queue* q) {
   QueueCounts c;
   Queue_counts(q, &c, NULL, NULL);
   assert_int_equal(c.entered, c.processed + c.filtered + c.dropped + c.queued + c.in_flight);
}

static void queue__single_worker__claims_in_seal_order_across_partitions(void** state) {
   (void)state;
   Queue q;
   Queue_init(&q, OVERFLOW_BLOCK, 0, 0, 0);
   uint32_t parts[] = {3, 3, 1, 7, 1, 3};
   for (int i = 0; i < 6; i++)
      assert_int_equal(push(&q, make_batch(parts[i], 2, i * 10)), QUEUE_ACCEPTED);
   for (int i = 0; i < 6; i++) {
      Batch* b = Queue_claim(&q, 0);
      assert_non_null(b);
      assert_int_equal(b->seq, (uint64_t)i + 1);
      assert_int_equal(b->partition, parts[i]);
      Queue_complete(&q, 0, b, b->n, no_filter);
      Batch_delete(b);
   }
   assert_conserved(&q);
   Queue_done(&q);
}

static void queue__held_partition__is_not_given_to_a_second_worker(void** state) {
   (void)state;
   Queue q;
   Queue_init(&q, OVERFLOW_BLOCK, 0, 0, 0);
   Queue_setActive(&q, 2);
   push(&q, make_batch(5, 1, 0));
   push(&q, make_batch(5, 1, 1));
   push(&q, make_batch(9, 1, 2));
   Batch* a = Queue_claim(&q, 0);
   assert_int_equal(a->partition, 5);
   /* partition 5 still has a batch, but it is held: worker 1 must get partition 9 */
   Batch* b = Queue_claim(&q, 1);
   assert_int_equal(b->partition, 9);
   Queue_complete(&q, 1, b, 1, no_filter);
   Batch_delete(b);
   QueueCounts c;
   Queue_counts(&q, &c, NULL, NULL);
   assert_int_equal(c.in_flight, 1);
   assert_int_equal(c.queued, 1);
   Queue_complete(&q, 0, a, 1, no_filter);
   Batch_delete(a);
   Batch* again = Queue_claim(&q, 1);
   assert_int_equal(again->partition, 5);
   assert_int_equal(again->rec[0].t_arrival, 1);
   Queue_complete(&q, 1, again, 1, no_filter);
   Batch_delete(again);
   assert_conserved(&q);
   Queue_done(&q);
}

static void queue__drop_newest__refuses_and_counts_over_the_cap(void** state) {
   (void)state;
   Queue q;
   Queue_init(&q, OVERFLOW_DROP_NEWEST, 10, 0, 0);
   assert_int_equal(push(&q, make_batch(0, 6, 0)), QUEUE_ACCEPTED);
   Batch* b = make_batch(1, 6, 0);
   assert_int_equal(push(&q, b), QUEUE_DROPPED);
   Batch_delete(b);
   QueueCounts c;
   Queue_counts(&q, &c, NULL, NULL);
   assert_int_equal(c.dropped, 6);
   assert_int_equal(c.dropped_by[DROP_NEWEST], 6);
   assert_int_equal(c.queued, 6);
   assert_int_equal(atomic_load(&q.pending), 0);
   assert_conserved(&q);
   Queue_done(&q);
}

/* The source hands sealed batches over in chains (one lock for many sparse sensors' small batches):
 * each is queued as Queue_push would, in the chain's order, and what the cap drops comes back. */
static void queue__push_chain__queues_in_order_and_hands_back_the_drops(void** state) {
   (void)state;
   Queue q;
   Queue_init(&q, OVERFLOW_DROP_NEWEST, 5, 0, 0);
   uint32_t parts[] = {9, 2, 9, 4};
   Batch* chain = NULL;
   for (int i = 3; i >= 0; i--) {
      Batch* b = make_batch(parts[i], 2, i * 10);
      b->next = chain;
      chain = b;
      atomic_fetch_add(&q.pending, b->n);
   }
   Batch* dropped = Queue_pushChain(&q, chain, 0, NULL);
   /* 2 + 2 fit under 5, the third pair does not, nor the fourth */
   assert_non_null(dropped);
   assert_int_equal(dropped->partition, 9);
   assert_int_equal(dropped->rec[0].t_arrival, 20);
   assert_non_null(dropped->next);
   assert_int_equal(dropped->next->partition, 4);
   assert_null(dropped->next->next);
   Batch_delete(dropped->next);
   Batch_delete(dropped);
   assert_int_equal(atomic_load(&q.pending), 0);
   for (int i = 0; i < 2; i++) {
      Batch* b = Queue_claim(&q, 0);
      assert_int_equal(b->seq, (uint64_t)i + 1);
      assert_int_equal(b->partition, parts[i]);
      assert_null(b->next);
      Queue_complete(&q, 0, b, b->n, no_filter);
      Batch_delete(b);
   }
   QueueCounts c;
   Queue_counts(&q, &c, NULL, NULL);
   assert_int_equal(c.processed, 4);
   assert_int_equal(c.dropped_by[DROP_NEWEST], 4);
   assert_int_equal(c.batches_queued, 2);
   assert_conserved(&q);
   Queue_done(&q);
}

static void queue__drop_oldest__evicts_the_oldest_batch_and_keeps_order(void** state) {
   (void)state;
   Queue q;
   Queue_init(&q, OVERFLOW_DROP_OLDEST, 8, 0, 0);
   push(&q, make_batch(2, 4, 100));
   push(&q, make_batch(2, 4, 200));
   assert_int_equal(push(&q, make_batch(2, 4, 300)), QUEUE_ACCEPTED);
   QueueCounts c;
   Queue_counts(&q, &c, NULL, NULL);
   assert_int_equal(c.dropped_by[DROP_OLDEST], 4);
   assert_int_equal(c.queued, 8);
   Batch* b = Queue_claim(&q, 0);
   assert_int_equal(b->rec[0].t_arrival, 200); /* 100 was evicted; order of the rest kept */
   Queue_complete(&q, 0, b, 4, no_filter);
   Batch_delete(b);
   assert_conserved(&q);
   Queue_done(&q);
}

static void queue__byte_cap__counts_batch_memory(void** state) {
   (void)state;
   Queue q;
   uint64_t one = Batch_bytes(16);
   Queue_init(&q, OVERFLOW_DROP_NEWEST, 0, 2 * one, 0);
   assert_int_equal(push(&q, make_batch(0, 16, 0)), QUEUE_ACCEPTED);
   assert_int_equal(push(&q, make_batch(1, 16, 0)), QUEUE_ACCEPTED);
   Batch* b = make_batch(2, 16, 0);
   assert_int_equal(push(&q, b), QUEUE_DROPPED);
   Batch_delete(b);
   QueueCounts c;
   Queue_counts(&q, &c, NULL, NULL);
   assert_int_equal(c.queued_bytes, 2 * one);
   Queue_done(&q);
}

static void queue__grow__passes_the_cap_until_the_safety_cap(void** state) {
   (void)state;
   Queue q;
   uint64_t one = Batch_bytes(10);
   Queue_init(&q, OVERFLOW_GROW, 5, 0, 3 * one);
   for (int i = 0; i < 3; i++)
      assert_int_equal(push(&q, make_batch((uint32_t)i, 10, 0)), QUEUE_ACCEPTED);
   Batch* b = make_batch(4, 10, 0);
   assert_int_equal(push(&q, b), QUEUE_DROPPED);
   Batch_delete(b);
   QueueCounts c;
   Queue_counts(&q, &c, NULL, NULL);
   assert_int_equal(c.queued, 30);
   assert_true(c.safety_cap_hit);
   assert_int_equal(c.dropped_by[DROP_SAFETY_CAP], 10);
   assert_conserved(&q);
   Queue_done(&q);
}

typedef struct Pusher {
   Queue* q;
   Batch* b;
   QueuePush result;
   atomic_bool done;
} Pusher;

static void* pusher_main(void* arg) {
   Pusher* p = arg;
   p->result = push(p->q, p->b);
   atomic_store(&p->done, true);
   return NULL;
}

static void wait_source_blocked(Queue* q) {
   for (;;) {
      pthread_mutex_lock(&q->lock);
      bool waiting = q->source_waiting;
      pthread_mutex_unlock(&q->lock);
      if (waiting)
         return;
      sched_yield();
   }
}

static void queue__block__waits_for_room_then_accepts(void** state) {
   (void)state;
   Queue q;
   Queue_init(&q, OVERFLOW_BLOCK, 4, 0, 0);
   push(&q, make_batch(0, 4, 0));
   Pusher p = {.q = &q, .b = make_batch(1, 4, 10)};
   pthread_t t;
   pthread_create(&t, NULL, pusher_main, &p);
   wait_source_blocked(&q);
   assert_false(atomic_load(&p.done));
   /* while the source waits, its batch is pending, not lost: the counts still balance */
   QueueCounts during;
   Queue_counts(&q, &during, NULL, NULL);
   assert_int_equal(during.entered, 4);
   assert_int_equal(atomic_load(&q.pending), 4);
   assert_conserved(&q);
   Batch* b = Queue_claim(&q, 0);
   Queue_complete(&q, 0, b, b->n, no_filter);
   Batch_delete(b);
   pthread_join(t, NULL);
   assert_int_equal(p.result, QUEUE_ACCEPTED);
   QueueCounts c;
   Queue_counts(&q, &c, NULL, NULL);
   assert_int_equal(c.queued, 4);
   assert_int_equal(c.dropped, 0);
   assert_conserved(&q);
   Queue_done(&q);
}

static void queue__block__stopping_the_source_queues_the_batch_instead_of_losing_it(void** state) {
   (void)state;
   Queue q;
   Queue_init(&q, OVERFLOW_BLOCK, 4, 0, 0);
   push(&q, make_batch(0, 4, 0));
   Pusher p = {.q = &q, .b = make_batch(1, 4, 10)};
   pthread_t t;
   pthread_create(&t, NULL, pusher_main, &p);
   wait_source_blocked(&q);
   Queue_stopSource(&q);
   pthread_join(t, NULL);
   assert_int_equal(p.result, QUEUE_STOPPED);
   QueueCounts c;
   Queue_counts(&q, &c, NULL, NULL);
   assert_int_equal(c.queued, 8);
   assert_conserved(&q);
   Queue_done(&q);
}

static void queue__inactive_worker__gets_nothing_until_stop(void** state) {
   (void)state;
   Queue q;
   Queue_init(&q, OVERFLOW_BLOCK, 0, 0, 0);
   Queue_setActive(&q, 1);
   push(&q, make_batch(0, 1, 0));
   Queue_stop(&q);
   /* worker 3 is above the active count: it never claims, and stop releases it */
   assert_null(Queue_claim(&q, 3));
   QueueCounts c;
   Queue_counts(&q, &c, NULL, NULL);
   assert_int_equal(c.queued, 1); /* still reported as queued, not discarded */
   Queue_done(&q);
}

static void queue__oldest_t__covers_queued_and_in_flight(void** state) {
   (void)state;
   Queue q;
   Queue_init(&q, OVERFLOW_BLOCK, 0, 0, 0);
   push(&q, make_batch(0, 1, 500));
   push(&q, make_batch(1, 1, 900));
   Batch* b = Queue_claim(&q, 0);
   QueueCounts c;
   Queue_counts(&q, &c, NULL, NULL);
   assert_int_equal(c.oldest_t, 500); /* in flight still counts as not done */
   Queue_complete(&q, 0, b, 1, no_filter);
   Batch_delete(b);
   Queue_counts(&q, &c, NULL, NULL);
   assert_int_equal(c.oldest_t, 900);
   Queue_done(&q);
}

/* A batch of n records from time t, their sequence numbers counting from t. */
static Batch* seq_batch(uint32_t partition, uint32_t n, int64_t t) {
   Batch* b = make_batch(partition, n, t);
   for (uint32_t i = 0; i < n; i++)
      b->rec[i].seq = (uint32_t)t + i;
   return b;
}

static void complete_chain(Queue* q, uint32_t id, Batch* b) {
   Queue_complete(q, id, b, Queue_claimRecords(b), no_filter);
   while (b) {
      Batch* next = b->next;
      Batch_delete(b);
      b = next;
   }
}

/* Case 3: ten batches of one record queued at batch 1; the batch size becomes 8. The next claim takes
 * eight of them in one hand-off, in order (before: one a claim, for as long as the old backlog lasted),
 * and the accounting stays exact; hand-offs claimed before the change count as stale. */
static void queue__natural_batching__a_new_batch_size_claims_older_batches_together(void** state) {
   (void)state;
   Queue q;
   Queue_init(&q, OVERFLOW_BLOCK, 0, 0, 0);
   Queue_setBatch(&q, 1);
   for (int i = 0; i < 10; i++)
      push(&q, seq_batch(4, 1, i));
   Batch* first = Queue_claim(&q, 0); /* claimed at batch 1: one batch */
   assert_null(first->next);
   Queue_setBatch(&q, 8);
   Queue_complete(&q, 0, first, 1, no_filter);
   Batch_delete(first);
   Batch* b = Queue_claim(&q, 0);
   assert_int_equal(Queue_claimRecords(b), 8);
   int64_t t = 1;
   for (const Batch* x = b; x; x = x->next)
      assert_int_equal(x->rec[0].t_arrival, t++);
   QueueCounts c;
   Queue_counts(&q, &c, NULL, NULL);
   assert_int_equal(c.in_flight, 8);
   assert_int_equal(c.queued, 1);
   assert_int_equal(c.in_flight_bytes, 8 * Batch_bytes(1));
   assert_conserved(&q);
   Queue_complete(&q, 0, b, 8, no_filter);
   while (b) {
      Batch* next = b->next;
      Batch_delete(b);
      b = next;
   }
   Queue_counts(&q, &c, NULL, NULL);
   assert_int_equal(c.processed, 9);
   assert_int_equal(c.batches_done, 2);
   assert_int_equal(c.done_stale, 1); /* the first hand-off was claimed under batch 1 */
   assert_int_equal(c.in_flight_bytes, 0);
   assert_conserved(&q);
   /* a claim never passes the batch size: the single left, then the full batch alone */
   push(&q, seq_batch(4, 8, 20));
   b = Queue_claim(&q, 0);
   assert_int_equal(Queue_claimRecords(b), 1); /* the older single first, alone: 1 + 8 would pass 8 */
   Queue_complete(&q, 0, b, 1, no_filter);
   Batch_delete(b);
   b = Queue_claim(&q, 0);
   assert_int_equal(Queue_claimRecords(b), 8);
   assert_null(b->next);
   Queue_complete(&q, 0, b, 8, no_filter);
   Batch_delete(b);
   assert_conserved(&q);
   Queue_done(&q);
}

/* The linger runs on event time, so a sensor that reports every 64 ms of data seals a batch a record:
 * NAB-like data at --speed max was handed off a record at a time (3M rows: 2.78M write()s, hand-off
 * 89% of the time at "1.1 records a hand-off"). One active worker claims the queued batches of every
 * partition in seal order up to the batch size, so its --output still follows the record stream; with
 * two, a claim keeps to its first partition and leaves the others to the other worker. */
static void queue__natural_batching__small_batches_of_many_partitions_make_one_hand_off(void** state) {
   (void)state;
   Queue q;
   Queue_init(&q, OVERFLOW_BLOCK, 0, 0, 0);
   Queue_setBatch(&q, 8);
   for (int i = 0; i < 12; i++)
      push(&q, seq_batch((uint32_t)i % 5, 1, i)); /* partitions 0 1 2 3 4 0 1 ... */
   Batch* b = Queue_claim(&q, 0);
   assert_int_equal(Queue_claimRecords(b), 8);
   int64_t t = 0;
   for (const Batch* x = b; x; x = x->next) {
      assert_int_equal(x->rec[0].t_arrival, t); /* seal order across partitions */
      assert_int_equal(x->partition, (uint32_t)t % 5);
      t++;
   }
   assert_conserved(&q);
   complete_chain(&q, 0, b);
   b = Queue_claim(&q, 0); /* the four left, every partition released */
   assert_int_equal(Queue_claimRecords(b), 4);
   assert_int_equal(b->rec[0].t_arrival, 8);
   complete_chain(&q, 0, b);
   /* two workers: a claim takes only its first partition's batches */
   Queue_setActive(&q, 2);
   for (int i = 0; i < 12; i++)
      push(&q, seq_batch((uint32_t)i % 3, 1, 100 + i)); /* partitions 0 1 2 0 1 2 ... */
   Batch* a = Queue_claim(&q, 0);
   assert_int_equal(Queue_claimRecords(a), 4);
   for (const Batch* x = a; x; x = x->next)
      assert_int_equal(x->partition, 0);
   Batch* c = Queue_claim(&q, 1); /* partition 0 is held: the other worker gets partition 1 */
   assert_int_equal(c->partition, 1);
   assert_int_equal(Queue_claimRecords(c), 4);
   complete_chain(&q, 0, a);
   complete_chain(&q, 1, c);
   QueueCounts n;
   Queue_counts(&q, &n, NULL, NULL);
   assert_int_equal(n.queued, 4);
   assert_int_equal(n.part_done[0], 3 + 4);
   assert_conserved(&q);
   Queue_done(&q);
}

/* The source checks the cap before each record: room is what queued and in flight leave. */
static void queue__wait_room__says_whether_queued_and_in_flight_fit(void** state) {
   (void)state;
   Queue q;
   Queue_init(&q, OVERFLOW_BLOCK, 10, 0, 0);
   push(&q, make_batch(0, 6, 0));
   assert_int_equal(atomic_load(&q.sealed_records), 6);
   assert_true(Queue_waitRoom(&q, 6, UINT64_MAX, 0));
   assert_false(Queue_waitRoom(&q, 5, UINT64_MAX, 0)); /* the deadline has passed: no wait */
   Batch* b = Queue_claim(&q, 0);
   assert_int_equal(atomic_load(&q.sealed_records), 6); /* in flight still holds its memory */
   Queue_complete(&q, 0, b, 6, no_filter);
   Batch_delete(b);
   assert_int_equal(atomic_load(&q.sealed_records), 0);
   assert_true(Queue_waitRoom(&q, 5, UINT64_MAX, 0));
   /* the source's own drops are counted as entered and dropped */
   Queue_countSourceDrop(&q, DROP_NEWEST, 3);
   QueueCounts c;
   Queue_counts(&q, &c, NULL, NULL);
   assert_int_equal(c.dropped_by[DROP_NEWEST], 3);
   assert_int_equal(c.entered, 9);
   assert_conserved(&q);
   Queue_done(&q);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(queue__single_worker__claims_in_seal_order_across_partitions),
      cmocka_unit_test(queue__held_partition__is_not_given_to_a_second_worker),
      cmocka_unit_test(queue__drop_newest__refuses_and_counts_over_the_cap),
      cmocka_unit_test(queue__push_chain__queues_in_order_and_hands_back_the_drops),
      cmocka_unit_test(queue__drop_oldest__evicts_the_oldest_batch_and_keeps_order),
      cmocka_unit_test(queue__byte_cap__counts_batch_memory),
      cmocka_unit_test(queue__grow__passes_the_cap_until_the_safety_cap),
      cmocka_unit_test(queue__block__waits_for_room_then_accepts),
      cmocka_unit_test(queue__block__stopping_the_source_queues_the_batch_instead_of_losing_it),
      cmocka_unit_test(queue__inactive_worker__gets_nothing_until_stop),
      cmocka_unit_test(queue__oldest_t__covers_queued_and_in_flight),
      cmocka_unit_test(queue__natural_batching__a_new_batch_size_claims_older_batches_together),
      cmocka_unit_test(queue__natural_batching__small_batches_of_many_partitions_make_one_hand_off),
      cmocka_unit_test(queue__wait_room__says_whether_queued_and_in_flight_fit),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
