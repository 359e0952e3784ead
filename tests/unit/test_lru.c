/*
 * test_lru.c: src/lru.c. Known answers for hits, updates and eviction order,
 * and a long random run against a plain reference model (an array scanned by
 * last-use time), which exercises the hash table's deletions by backward shift.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/lru.h"

static void get__empty_cache__misses(void** state) {
   (void)state;
   Lru lru;
   Lru_init(&lru, 4);
   uint64_t v = 7;
   assert_false(Lru_get(&lru, 1, &v));
   assert_int_equal(v, 7);
   Lru_done(&lru);
}

static void put_then_get__hits_with_the_value(void** state) {
   (void)state;
   Lru lru;
   Lru_init(&lru, 4);
   Lru_put(&lru, 10, 100);
   Lru_put(&lru, 0, 5);
   Lru_put(&lru, UINT32_MAX - 1, 42);
   uint64_t v = 0;
   assert_true(Lru_get(&lru, 10, &v));
   assert_int_equal(v, 100);
   assert_true(Lru_get(&lru, 0, &v));
   assert_int_equal(v, 5);
   assert_true(Lru_get(&lru, UINT32_MAX - 1, &v));
   assert_int_equal(v, 42);
   assert_false(Lru_get(&lru, 11, &v));
   Lru_done(&lru);
}

static void put__full_cache__evicts_the_least_recently_used(void** state) {
   (void)state;
   Lru lru;
   Lru_init(&lru, 3);
   uint64_t v;
   Lru_put(&lru, 1, 1);
   Lru_put(&lru, 2, 2);
   Lru_put(&lru, 3, 3);
   assert_true(Lru_get(&lru, 1, &v)); /* 2 is now the least recently used */
   Lru_put(&lru, 4, 4);
   assert_false(Lru_get(&lru, 2, &v));
   assert_true(Lru_get(&lru, 1, &v));
   assert_true(Lru_get(&lru, 3, &v));
   assert_true(Lru_get(&lru, 4, &v));
   assert_int_equal(lru.evictions, 1);
   Lru_put(&lru, 5, 5); /* 1 is now the oldest use */
   assert_false(Lru_get(&lru, 1, &v));
   assert_int_equal(lru.size, 3);
   Lru_done(&lru);
}

static void put__existing_key__updates_without_evicting(void** state) {
   (void)state;
   Lru lru;
   Lru_init(&lru, 2);
   uint64_t v;
   Lru_put(&lru, 1, 1);
   Lru_put(&lru, 2, 2);
   Lru_put(&lru, 1, 11); /* also makes 1 the most recent */
   assert_int_equal(lru.evictions, 0);
   Lru_put(&lru, 3, 3); /* evicts 2 */
   assert_true(Lru_get(&lru, 1, &v));
   assert_int_equal(v, 11);
   assert_false(Lru_get(&lru, 2, &v));
   Lru_done(&lru);
}

static void init__capacity_zero__holds_one_entry(void** state) {
   (void)state;
   Lru lru;
   Lru_init(&lru, 0);
   uint64_t v;
   Lru_put(&lru, 1, 1);
   assert_true(Lru_get(&lru, 1, &v));
   Lru_put(&lru, 2, 2);
   assert_false(Lru_get(&lru, 1, &v));
   assert_true(Lru_get(&lru, 2, &v));
   Lru_done(&lru);
}

static void clear__forgets_every_entry(void** state) {
   (void)state;
   Lru lru;
   Lru_init(&lru, 8);
   uint64_t v;
   for (uint32_t k = 0; k < 8; k++)
      Lru_put(&lru, k, k);
   Lru_clear(&lru);
   for (uint32_t k = 0; k < 8; k++)
      assert_false(Lru_get(&lru, k, &v));
   Lru_put(&lru, 3, 9);
   assert_true(Lru_get(&lru, 3, &v));
   assert_int_equal(v, 9);
   Lru_done(&lru);
}

/* The reference: keys with their value and the time of their last use. */
typedef struct ModelEntry {
   uint32_t key;
   uint64_t value;
   uint64_t used;
} ModelEntry;

static void random_operations__agree_with_a_reference_model(void** state) {
   (void)state;
   enum { CAP = 37, KEYS = 120, OPS = 200000 };
   Lru lru;
   Lru_init(&lru, CAP);
   ModelEntry model[CAP];
   int n = 0;
   uint64_t clock = 0, rng = 12345, hits = 0;
   for (int op = 0; op < OPS; op++) {
      rng = rng * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
      /* keys spread over a multiple of the table size, so probe runs collide and wrap */
      uint32_t key = (uint32_t)((rng >> 33) % KEYS) * 128u;
      bool put = (rng >> 20) % 3 == 0;
      clock++;
      int at = -1;
      for (int i = 0; i < n; i++)
         if (model[i].key == key)
            at = i;
      if (put) {
         Lru_put(&lru, key, rng);
         if (at < 0 && n == CAP) {
            at = 0;
            for (int i = 1; i < n; i++)
               if (model[i].used < model[at].used)
                  at = i;
         } else if (at < 0) {
            at = n++;
         }
         model[at] = (ModelEntry){key, rng, clock};
      } else {
         uint64_t v = 0;
         bool hit = Lru_get(&lru, key, &v);
         assert_int_equal(hit, at >= 0);
         if (hit) {
            assert_int_equal(v, model[at].value);
            model[at].used = clock;
            hits++;
         }
      }
      assert_int_equal(lru.size, n);
   }
   assert_true(hits > OPS / 10); /* the run did exercise hits */
   Lru_done(&lru);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(get__empty_cache__misses),
      cmocka_unit_test(put_then_get__hits_with_the_value),
      cmocka_unit_test(put__full_cache__evicts_the_least_recently_used),
      cmocka_unit_test(put__existing_key__updates_without_evicting),
      cmocka_unit_test(init__capacity_zero__holds_one_entry),
      cmocka_unit_test(clear__forgets_every_entry),
      cmocka_unit_test(random_operations__agree_with_a_reference_model),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
