/*
 * test_sysinfo.c: src/base/sysinfo.c. The figures are the machine's, so the
 * tests check what holds anywhere: at least one CPU, memory that is there,
 * and a resident set that grows when the process touches new pages.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/sysinfo.h"

static void cpuCount__is_at_least_one(void** state) {
   (void)state;
   assert_true(Sysinfo_cpuCount() >= 1);
}

static void physicalMemory__is_more_than_the_process_holds(void** state) {
   (void)state;
   uint64_t phys = Sysinfo_physicalMemory();
   assert_true(phys >= UINT64_C(16) << 20);
   assert_true(phys > Sysinfo_rss());
}

static void rss__grows_when_pages_are_touched(void** state) {
   (void)state;
   if (access("/proc/self/statm", R_OK) != 0) {
      assert_int_equal(Sysinfo_rss(), 0);
      skip();
   }
   uint64_t before = Sysinfo_rss();
   assert_true(before > 0);
   size_t len = 64u << 20;
   char* p = malloc(len);
   assert_non_null(p);
   volatile char* touch = p; /* volatile: the writes must happen, unread as they are */
   for (size_t i = 0; i < len; i += 4096)
      touch[i] = 1;
   uint64_t after = Sysinfo_rss();
   assert_true(after >= before + len / 2);
   assert_true(after % (uint64_t)sysconf(_SC_PAGESIZE) == 0);
   free(p);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(cpuCount__is_at_least_one),
      cmocka_unit_test(physicalMemory__is_more_than_the_process_holds),
      cmocka_unit_test(rss__grows_when_pages_are_touched),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
