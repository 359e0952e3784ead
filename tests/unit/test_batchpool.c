/* test_batchpool.c: small batches kept for reuse by exact cap, within their bound, and passed from the
 * workers to the source through the queue (Queue_recycle, Queue_pushChain's refill). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/batchpool.h"
#include "engine/queue.h"

static const uint64_t no_filter[FILTER_LAST] = {0};

static void batchpool__take__reuses_a_batch_of_the_same_cap_reset(void** state) {
   (void)state;
   BatchPool pool = {0};
   Batch* b = Batch_new(3, 7);
   b->n = 2;
   b->seq = 99;
   assert_true(BatchPool_put(&pool, b));
   assert_int_equal(pool.n, 1);
   Batch* other = BatchPool_take(&pool, 4, 1); /* no batch of cap 4 pooled: a new one */
   assert_ptr_not_equal(other, b);
   assert_int_equal(other->cap, 4);
   Batch* again = BatchPool_take(&pool, 3, 5);
   assert_ptr_equal(again, b);
   assert_int_equal(again->cap, 3);
   assert_int_equal(again->n, 0);
   assert_int_equal(again->seq, 0);
   assert_int_equal(again->partition, 5);
   assert_null(again->next);
   assert_int_equal(pool.n, 0);
   Batch_delete(again);
   Batch_delete(other);
   BatchPool_done(&pool);
}

static void batchpool__put__refuses_large_batches_and_a_full_pool(void** state) {
   (void)state;
   BatchPool pool = {0};
   Batch* big = Batch_new(BATCHPOOL_CAP + 1, 0);
   assert_false(BatchPool_put(&pool, big));
   Batch_delete(big);
   for (uint32_t i = 0; i < BATCHPOOL_MAX; i++)
      assert_true(BatchPool_put(&pool, Batch_new(1 + i % BATCHPOOL_CAP, 0)));
   Batch* one_more = Batch_new(1, 0);
   assert_false(BatchPool_put(&pool, one_more));
   Batch_delete(one_more);
   assert_int_equal(pool.n, BATCHPOOL_MAX);
   BatchPool_done(&pool);
   assert_int_equal(pool.n, 0);
}

static void batchpool__refill__moves_whole_lists_within_the_bound(void** state) {
   (void)state;
   BatchPool from = {0}, to = {0};
   for (int i = 0; i < 3; i++)
      BatchPool_put(&from, Batch_new(1, 0));
   BatchPool_put(&from, Batch_new(2, 0));
   BatchPool_put(&to, Batch_new(2, 0)); /* to has a short list of cap 2: from's goes in front of it */
   for (uint32_t i = 0; i < BATCHPOOL_LOW; i++)
      BatchPool_put(&to, Batch_new(3, 0)); /* enough of cap 3: that list stays */
   BatchPool_put(&from, Batch_new(3, 0));
   BatchPool_refill(&to, &from);
   assert_int_equal(to.count[1], 3);
   assert_int_equal(to.count[2], 2);
   assert_int_equal(to.count[3], BATCHPOOL_LOW);
   assert_int_equal(to.n, 5 + BATCHPOOL_LOW);
   assert_int_equal(from.count[1], 0);
   assert_int_equal(from.count[2], 0);
   assert_int_equal(from.count[3], 1);
   assert_int_equal(from.n, 1);
   /* every batch moved can be taken again: the spliced lists hold together */
   for (int i = 0; i < 2; i++)
      Batch_delete(BatchPool_take(&to, 2, 0));
   assert_int_equal(to.count[2], 0);
   assert_null(to.free[2]);
   assert_null(to.last[2]);
   BatchPool_done(&from);
   BatchPool_done(&to);
}

/* A claim's batches come back to the source at its next hand-over, not to malloc. */
static void batchpool__queue__recycled_batches_reach_the_source_at_its_next_push(void** state) {
   (void)state;
   Queue q;
   Queue_init(&q, OVERFLOW_BLOCK, 0, 0, 0);
   Queue_setBatch(&q, 256); /* one claim takes the three */
   BatchPool source = {0};
   Batch* chain = NULL;
   Batch* sent[3];
   for (int i = 2; i >= 0; i--) {
      Batch* b = BatchPool_take(&source, 1, (uint32_t)i);
      b->rec[0] = (Record){.t_arrival = i};
      b->n = 1;
      b->next = chain;
      chain = b;
      sent[i] = b;
      atomic_fetch_add(&q.pending, 1);
   }
   assert_null(Queue_pushChain(&q, chain, 0, &source));
   Batch* claim = Queue_claim(&q, 0);
   assert_int_equal(Queue_claimRecords(claim), 3);
   Queue_complete(&q, 0, claim, 3, no_filter);
   Queue_recycle(&q, claim);
   assert_int_equal(q.pool.n, 3);
   assert_int_equal(source.n, 0);
   assert_null(Queue_pushChain(&q, NULL, 0, &source));
   assert_int_equal(source.n, 3);
   assert_int_equal(q.pool.n, 0);
   Batch* again = BatchPool_take(&source, 1, 0);
   assert_true(again == sent[0] || again == sent[1] || again == sent[2]);
   Batch_delete(again);
   BatchPool_done(&source);
   Queue_done(&q);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(batchpool__take__reuses_a_batch_of_the_same_cap_reset),
      cmocka_unit_test(batchpool__put__refuses_large_batches_and_a_full_pool),
      cmocka_unit_test(batchpool__refill__moves_whole_lists_within_the_bound),
      cmocka_unit_test(batchpool__queue__recycled_batches_reach_the_source_at_its_next_push),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
