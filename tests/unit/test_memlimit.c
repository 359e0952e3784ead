/*
 * test_memlimit.c: src/memlimit.c. The safety cap is the smallest of the
 * ceiling, a quarter of physical memory and half of each limit in force, and
 * never 0 (the queue's "no cap"); cgroup limits are found for the process's
 * own cgroup and its ancestors on cgroup v2, hybrid and v1 layouts, here
 * built as fake trees in a temporary directory.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "base/memlimit.h"
#include "testutil.h"

#define GiB (UINT64_C(1) << 30)
#define MiB (UINT64_C(1) << 20)

static uint64_t cap_of(uint64_t phys, uint64_t data, uint64_t as, uint64_t cgroup, MemlimitBound* bound) {
   MemlimitReadings r = {.phys = phys, .rlimit_data = data, .rlimit_as = as, .cgroup = cgroup};
   return Memlimit_cap(&r, bound);
}

static void cap__no_limits__is_a_quarter_of_physical_memory(void** state) {
   (void)state;
   MemlimitBound b = MEMLIMIT_LAST;
   assert_int_equal(cap_of(8 * GiB, 0, 0, 0, &b), 2 * GiB);
   assert_int_equal(b, MEMLIMIT_PHYS);
   assert_int_equal(cap_of(24 * GiB + 4096, 0, 0, 0, &b), 6 * GiB + 1024);
   assert_int_equal(b, MEMLIMIT_PHYS);
}

static void cap__large_machine_or_unknown_memory__is_the_16_GiB_ceiling(void** state) {
   (void)state;
   MemlimitBound b = MEMLIMIT_LAST;
   assert_int_equal(cap_of(256 * GiB, 0, 0, 0, &b), 16 * GiB);
   assert_int_equal(b, MEMLIMIT_CEILING);
   /* exactly 64 GiB: a quarter equals the ceiling, which is named first */
   assert_int_equal(cap_of(64 * GiB, 0, 0, 0, &b), 16 * GiB);
   assert_int_equal(b, MEMLIMIT_CEILING);
   assert_int_equal(cap_of(0, 0, 0, 0, &b), MEMLIMIT_CEILING_BYTES);
   assert_int_equal(b, MEMLIMIT_CEILING);
}

static void cap__each_limit_takes_half__the_smallest_wins(void** state) {
   (void)state;
   MemlimitBound b = MEMLIMIT_LAST;
   assert_int_equal(cap_of(24 * GiB, 1 * GiB, 0, 0, &b), 512 * MiB);
   assert_int_equal(b, MEMLIMIT_RLIMIT_DATA);
   assert_int_equal(cap_of(24 * GiB, 0, 600 * MiB, 0, &b), 300 * MiB);
   assert_int_equal(b, MEMLIMIT_RLIMIT_AS);
   assert_int_equal(cap_of(24 * GiB, 0, 0, 256 * MiB, &b), 128 * MiB);
   assert_int_equal(b, MEMLIMIT_CGROUP);
   /* all at once: whichever half is smallest, in any position */
   assert_int_equal(cap_of(24 * GiB, 1 * GiB, 600 * MiB, 256 * MiB, &b), 128 * MiB);
   assert_int_equal(b, MEMLIMIT_CGROUP);
   assert_int_equal(cap_of(24 * GiB, 100 * MiB, 600 * MiB, 256 * MiB, &b), 50 * MiB);
   assert_int_equal(b, MEMLIMIT_RLIMIT_DATA);
   assert_int_equal(cap_of(24 * GiB, 1 * GiB, 200 * MiB, 256 * MiB, &b), 100 * MiB);
   assert_int_equal(b, MEMLIMIT_RLIMIT_AS);
   /* with no physical memory known, a limit still applies */
   assert_int_equal(cap_of(0, 0, 0, 3 * GiB, &b), 1536 * MiB);
   assert_int_equal(b, MEMLIMIT_CGROUP);
}

static void cap__limits_above_the_machine__leave_the_quarter_or_the_ceiling(void** state) {
   (void)state;
   MemlimitBound b = MEMLIMIT_LAST;
   /* a cgroup allowed 32 GiB on a 16 GiB machine: the machine binds */
   assert_int_equal(cap_of(16 * GiB, 0, 0, 32 * GiB, &b), 4 * GiB);
   assert_int_equal(b, MEMLIMIT_PHYS);
   assert_int_equal(cap_of(1024 * GiB, 64 * GiB, 128 * GiB, 40 * GiB, &b), 16 * GiB);
   assert_int_equal(b, MEMLIMIT_CEILING);
}

static void cap__tiny_limit__still_caps_and_is_never_zero(void** state) {
   (void)state;
   MemlimitBound b = MEMLIMIT_LAST;
   assert_int_equal(cap_of(8 * GiB, 0, 1, 0, &b), 1);
   assert_int_equal(b, MEMLIMIT_RLIMIT_AS);
   assert_int_equal(cap_of(8 * GiB, 0, 0, 3, &b), 1);
   assert_int_equal(b, MEMLIMIT_CGROUP);
   assert_int_equal(cap_of(2, 0, 0, 0, &b), 1);
   assert_int_equal(b, MEMLIMIT_PHYS);
   /* the bound is optional */
   assert_int_equal(cap_of(8 * GiB, 0, 0, 0, NULL), 2 * GiB);
}

static void bound_names__every_bound_has_one(void** state) {
   (void)state;
   for (int i = 0; i < MEMLIMIT_LAST; i++) {
      assert_non_null(MemlimitBound_names[i]);
      assert_true(strlen(MemlimitBound_names[i]) > 0);
   }
   assert_non_null(strstr(MemlimitBound_names[MEMLIMIT_RLIMIT_AS], "ulimit -v"));
   assert_non_null(strstr(MemlimitBound_names[MEMLIMIT_RLIMIT_DATA], "ulimit -d"));
}

static void parseLimit__bytes_max_and_v1_unlimited(void** state) {
   (void)state;
   assert_int_equal(Memlimit_parseLimit("536870912\n"), 512 * MiB);
   assert_int_equal(Memlimit_parseLimit("4096"), 4096);
   assert_int_equal(Memlimit_parseLimit("max\n"), 0);
   /* cgroup v1's "unlimited", and anything near it */
   assert_int_equal(Memlimit_parseLimit("9223372036854771712\n"), 0);
   assert_int_equal(Memlimit_parseLimit("4611686018427387904"), 0);
   assert_int_equal(Memlimit_parseLimit("4611686018427387903"), UINT64_C(4611686018427387903));
}

static void parseLimit__garbage__is_no_limit(void** state) {
   (void)state;
   static const char* const bad[] = {
       "", "\n", "-1", "12abc", " 5", "1e9", "0x100", "99999999999999999999", "123456789012345678901234", "max max"};
   for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
      if (Memlimit_parseLimit(bad[i]) != 0)
         fail_msg("Memlimit_parseLimit took '%s'", bad[i]);
}

/* --- fake cgroup trees ------------------------------------------------------- */

/* The limit found for a process whose /proc/self/cgroup reads proc. */
static uint64_t limit_for(const char* proc) {
   TestUtil_writeText("proc-cgroup", proc);
   char path[TESTUTIL_PATH_MAX];
   return Memlimit_cgroupLimit(TestUtil_path(path, "proc-cgroup"), TestUtil_dir());
}

static void cgroup_v2__leaf_limit__is_found(void** state) {
   (void)state;
   TestUtil_writeText("app/job/memory.max", "268435456\n");
   TestUtil_writeText("app/memory.max", "max\n");
   assert_int_equal(limit_for("0::/app/job\n"), 256 * MiB);
}

static void cgroup_v2__a_parent_limit__binds_the_child(void** state) {
   (void)state;
   TestUtil_writeText("app/memory.max", "100000000\n");
   TestUtil_writeText("app/job/memory.max", "max\n");
   TestUtil_writeText("app/job/task/memory.max", "300000000\n");
   assert_int_equal(limit_for("0::/app/job/task\n"), 100000000);
}

static void cgroup_v2__no_limit_anywhere__is_none(void** state) {
   (void)state;
   TestUtil_writeText("app/memory.max", "max\n");
   TestUtil_writeText("app/job/memory.max", "max\n");
   assert_int_equal(limit_for("0::/app/job\n"), 0);
   /* a cgroup with no memory controller files at all */
   assert_int_equal(limit_for("0::/elsewhere\n"), 0);
}

static void cgroup_v2__path_hidden_by_a_namespace__reads_the_mount_root(void** state) {
   (void)state;
   TestUtil_writeText("memory.max", "777777777\n");
   assert_int_equal(limit_for("0::/\n"), 777777777);
   assert_int_equal(limit_for("0::/not/here\n"), 777777777);
}

static void cgroup_hybrid__v2_under_unified__is_found(void** state) {
   (void)state;
   TestUtil_writeText("unified/svc/memory.max", "50000000\n");
   assert_int_equal(limit_for("4:memory:/svc\n1:cpu:/\n0::/svc\n"), 50000000);
}

static void cgroup_v1__memory_controller__is_found_also_in_a_shared_hierarchy(void** state) {
   (void)state;
   TestUtil_writeText("memory/memory.limit_in_bytes", "9223372036854771712\n");
   TestUtil_writeText("memory/box/memory.limit_in_bytes", "9223372036854771712\n");
   TestUtil_writeText("memory/box/a/memory.limit_in_bytes", "2000000000\n");
   assert_int_equal(limit_for("5:cpu:/\n4:memory:/box/a\n0::/\n"), 2000000000);
   assert_int_equal(limit_for("4:cpu,memory:/box/a\n"), 2000000000);
   /* v1 unlimited all the way up */
   assert_int_equal(limit_for("4:memory:/box\n"), 0);
   /* not the memory controller */
   assert_int_equal(limit_for("4:memoryx,cpu:/box/a\n"), 0);
}

static void cgroup_v1_and_v2__the_lower_wins(void** state) {
   (void)state;
   TestUtil_writeText("memory/box/memory.limit_in_bytes", "3000000000\n");
   TestUtil_writeText("unified/box/memory.max", "1000000000\n");
   assert_int_equal(limit_for("4:memory:/box\n0::/box\n"), 1000000000);
   TestUtil_writeText("unified/box/memory.max", "4000000000\n");
   assert_int_equal(limit_for("4:memory:/box\n0::/box\n"), 3000000000);
}

static void cgroup__unreadable_or_malformed_file__is_none(void** state) {
   (void)state;
   char path[TESTUTIL_PATH_MAX];
   assert_int_equal(Memlimit_cgroupLimit(TestUtil_path(path, "no-such-file"), TestUtil_dir()), 0);
   TestUtil_writeText("memory.max", "1000000\n");
   /* lines without two colons, or with a relative path, are skipped */
   assert_int_equal(limit_for("garbage\n0:\n0:relative\n0::relative\n"), 0);
   /* no newline at the end of the last line */
   assert_int_equal(limit_for("0::/"), 1000000);
}

/* --- this process ------------------------------------------------------------- */

static void read__reports_the_soft_rlimits_in_force(void** state) {
   (void)state;
   struct rlimit data, as;
   assert_int_equal(getrlimit(RLIMIT_DATA, &data), 0);
   assert_int_equal(getrlimit(RLIMIT_AS, &as), 0);
   /* 1 PiB: a real limit, far above anything this process (or a sanitizer's
    * shadow memory) maps, so lowering to it cannot break an allocation */
   rlim_t pib = (rlim_t)1 << 50;
   struct rlimit want_data = {.rlim_cur = data.rlim_max < pib ? data.rlim_max : pib, .rlim_max = data.rlim_max};
   struct rlimit want_as = {.rlim_cur = as.rlim_max < pib ? as.rlim_max : pib, .rlim_max = as.rlim_max};
   assert_int_equal(setrlimit(RLIMIT_DATA, &want_data), 0);
   assert_int_equal(setrlimit(RLIMIT_AS, &want_as), 0);
   MemlimitReadings r;
   Memlimit_read(&r, 8 * GiB);
   uint64_t cap = Memlimit_safetyCap(8 * GiB);
   setrlimit(RLIMIT_DATA, &data);
   setrlimit(RLIMIT_AS, &as);
   assert_int_equal(r.phys, 8 * GiB);
   assert_int_equal(r.rlimit_data, want_data.rlim_cur == RLIM_INFINITY ? 0 : (uint64_t)want_data.rlim_cur);
   assert_int_equal(r.rlimit_as, want_as.rlim_cur == RLIM_INFINITY ? 0 : (uint64_t)want_as.rlim_cur);
   /* the engine's call combines the same readings by the same rule */
   assert_int_equal(cap, Memlimit_cap(&r, NULL));
   assert_true(cap >= 1 && cap <= 2 * GiB);
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(cap__no_limits__is_a_quarter_of_physical_memory),
       cmocka_unit_test(cap__large_machine_or_unknown_memory__is_the_16_GiB_ceiling),
       cmocka_unit_test(cap__each_limit_takes_half__the_smallest_wins),
       cmocka_unit_test(cap__limits_above_the_machine__leave_the_quarter_or_the_ceiling),
       cmocka_unit_test(cap__tiny_limit__still_caps_and_is_never_zero),
       cmocka_unit_test(bound_names__every_bound_has_one),
       cmocka_unit_test(parseLimit__bytes_max_and_v1_unlimited),
       cmocka_unit_test(parseLimit__garbage__is_no_limit),
       cmocka_unit_test_setup_teardown(cgroup_v2__leaf_limit__is_found, TestUtil_setupDir, TestUtil_teardownDir),
       cmocka_unit_test_setup_teardown(cgroup_v2__a_parent_limit__binds_the_child, TestUtil_setupDir,
                                       TestUtil_teardownDir),
       cmocka_unit_test_setup_teardown(cgroup_v2__no_limit_anywhere__is_none, TestUtil_setupDir, TestUtil_teardownDir),
       cmocka_unit_test_setup_teardown(cgroup_v2__path_hidden_by_a_namespace__reads_the_mount_root, TestUtil_setupDir,
                                       TestUtil_teardownDir),
       cmocka_unit_test_setup_teardown(cgroup_hybrid__v2_under_unified__is_found, TestUtil_setupDir,
                                       TestUtil_teardownDir),
       cmocka_unit_test_setup_teardown(cgroup_v1__memory_controller__is_found_also_in_a_shared_hierarchy,
                                       TestUtil_setupDir, TestUtil_teardownDir),
       cmocka_unit_test_setup_teardown(cgroup_v1_and_v2__the_lower_wins, TestUtil_setupDir, TestUtil_teardownDir),
       cmocka_unit_test_setup_teardown(cgroup__unreadable_or_malformed_file__is_none, TestUtil_setupDir,
                                       TestUtil_teardownDir),
       cmocka_unit_test(read__reports_the_soft_rlimits_in_force),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
