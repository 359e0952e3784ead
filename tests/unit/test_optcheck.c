/*
 * test_optcheck.c: src/app/optcheck.c, the checks across options. An option
 * that the rest of the command line makes do nothing is refused, naming
 * both; no output may overwrite a --replay file or another output, however
 * the two names reach the same file (the same text, "./", a symbolic or a
 * hard link, standard output redirected to it), nor standard output a
 * --replay file; a --calibration FILE counts as an output and must be a
 * regular file; a backlog cap that cannot hold one batch is refused with
 * the smallest valid values (the named cap holding it, in either layout); the arrival
 * knobs that the arrival mode ignores are refused.
 */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/optcheck.h"
#include "app/options.h"
#include "testutil.h"

#define MAX_ARGS 16

/* Parse a command line (NULL-terminated) that Options_parse accepts. */
static void parse(Options* o, ...) {
   static char* argv[MAX_ARGS + 2];
   int argc = 0;
   argv[argc++] = (char*)"keepup";
   va_list ap;
   va_start(ap, o);
   for (const char* a; (a = va_arg(ap, const char*)) != NULL;) {
      assert_true(argc <= MAX_ARGS);
      argv[argc++] = (char*)a;
   }
   va_end(ap);
   argv[argc] = NULL;
   char err[256];
   Options_init(o);
   if (Options_parse(o, argc, argv, err, sizeof err) != OPTIONS_OK)
      fail_msg("the parser refused '%s ...': %s", argv[1], err);
}

/* check refuses o with a message holding every word of want (NULL-terminated). */
static void refused(bool (*check)(const Options*, char*, size_t), const Options* o, ...) {
   char err[512] = "";
   if (check(o, err, sizeof err))
      fail_msg("accepted a command line that must be refused");
   va_list ap;
   va_start(ap, o);
   for (const char* w; (w = va_arg(ap, const char*)) != NULL;)
      if (!strstr(err, w))
         fail_msg("the message '%s' lacks '%s'", err, w);
   va_end(ap);
}

static void accepted(bool (*check)(const Options*, char*, size_t), const Options* o) {
   char err[512] = "";
   if (!check(o, err, sizeof err))
      fail_msg("refused: %s", err);
}

/* ------------------------------------------------------------ options that do nothing */

static void unused__simulator_options_with_replay__are_refused(void** state) {
   (void)state;
   static const char* const sim[][2] = {{"--sensors", "5"}, {"--rate", "5k"},    {"--arrival", "burst"},
                                        {"--burst", "5k"},  {"--every", "1s"},   {"--seed", "3"},
                                        {"--hot", "0.5"},   {"--anomalies", "0"}};
   Options o;
   for (size_t i = 0; i < sizeof sim / sizeof sim[0]; i++) {
      parse(&o, "-H", "--replay", "r.csv", sim[i][0], sim[i][1], NULL);
      refused(OptCheck_unused, &o, sim[i][0], "--replay", NULL);
   }
   parse(&o, "-H", "--replay", "r.csv", "--allowlist", "10", NULL);
   refused(OptCheck_unused, &o, "--allowlist 10", "--replay", NULL);
   /* what a replay does use */
   parse(&o, "-H", "--replay", "r.csv", "--allowlist", "0", "--window", "7", "--threads", "2", "--speed", "max", NULL);
   accepted(OptCheck_unused, &o);
}

static void unused__dashboard_options_headless__are_refused(void** state) {
   (void)state;
   Options o;
   parse(&o, "-H", "--no-color", NULL);
   refused(OptCheck_unused, &o, "--no-color", "--headless", NULL);
   parse(&o, "-H", "--delay", "50ms", NULL);
   refused(OptCheck_unused, &o, "--delay", "--headless", NULL);
   parse(&o, "--delay", "50ms", "--no-color", NULL);
   accepted(OptCheck_unused, &o);
}

static void unused__what_a_sweep_sets_or_ignores__is_refused(void** state) {
   (void)state;
   Options o;
   static const char* const ignored[][2] = {{"--duration", "5s"}, {"--interval", "1s"}, {"--output", "o.csv"},
                                            {"--record", "r.csv"}};
   for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) {
      parse(&o, "-H", "--sweep", "batch=1,4", ignored[i][0], ignored[i][1], NULL);
      refused(OptCheck_unused, &o, ignored[i][0], "--sweep", NULL);
   }
   parse(&o, "-H", "--sweep", "batch=1,4", "--drain", NULL);
   refused(OptCheck_unused, &o, "--drain", "--sweep", NULL);
   parse(&o, "-H", "--sweep", "batch=1,4", "--batch", "8", NULL);
   refused(OptCheck_unused, &o, "--batch", "the sweep sets it", NULL);
   parse(&o, "-H", "--sweep", "threads=1,2", "--threads", "2", NULL);
   refused(OptCheck_unused, &o, "--threads", "the sweep sets it", NULL);
   /* the knob not swept is the sweep's fixed value */
   parse(&o, "-H", "--sweep", "threads=1,2", "--batch", "64", "--metrics-csv", "m.csv", NULL);
   accepted(OptCheck_unused, &o);
}

/* --calibrate and --list-scenarios print and exit: --json, --duration, an output... did nothing (exit 0). */
static void unused__run_options_with_a_print_and_exit_mode__are_refused(void** state) {
   (void)state;
   static const char* const given[][2] = {{"--json", NULL},      {"--duration", "5s"},       {"--interval", "2s"},
                                          {"--output", "o.csv"}, {"--metrics-csv", "m.csv"}, {"--record", "r.csv"},
                                          {"--calibrate", NULL}};
   Options o;
   for (size_t i = 0; i < sizeof given / sizeof given[0]; i++) {
      parse(&o, "-H", "--list-scenarios", given[i][0], given[i][1], NULL);
      refused(OptCheck_unused, &o, given[i][0], "does nothing with --list-scenarios", NULL);
      if (strcmp(given[i][0], "--calibrate") == 0)
         continue;
      parse(&o, "-H", "--calibrate", given[i][0], given[i][1], NULL);
      refused(OptCheck_unused, &o, given[i][0], "does nothing with --calibrate", "stage costs", NULL);
   }
   /* what a calibration is for (the setup it measures, its file) is not refused */
   parse(&o, "-H", "--calibrate", "--calibration", "c.txt", "--window", "200", NULL);
   accepted(OptCheck_unused, &o);
   parse(&o, "--list-scenarios", NULL);
   accepted(OptCheck_unused, &o);
}

/* ------------------------------------------------------------ outputs */

static void outputs__an_output_over_a_replay_file__is_refused_however_named(void** state) {
   (void)state;
   char in[TESTUTIL_PATH_MAX], sym[TESTUTIL_PATH_MAX], hard[TESTUTIL_PATH_MAX], dot[TESTUTIL_PATH_MAX + 8];
   TestUtil_writeText("in.csv", "time,value\n1,2\n");
   TestUtil_path(in, "in.csv");
   TestUtil_path(sym, "link.csv");
   TestUtil_path(hard, "hard.csv");
   snprintf(dot, sizeof dot, "%s/./in.csv", TestUtil_dir());
   assert_int_equal(symlink(in, sym), 0);
   assert_int_equal(link(in, hard), 0);
   Options o;
   parse(&o, "-H", "--replay", in, "--output", in, NULL);
   refused(OptCheck_outputs, &o, "--output", "is also a --replay file", NULL);
   parse(&o, "-H", "--replay", in, "--metrics-csv", dot, NULL);
   refused(OptCheck_outputs, &o, "--metrics-csv", "is also a --replay file", NULL);
   parse(&o, "-H", "--replay", sym, "--record", in, NULL);
   refused(OptCheck_outputs, &o, "--record", "recording would overwrite it", NULL);
   parse(&o, "-H", "--replay", in, "--output", hard, NULL);
   refused(OptCheck_outputs, &o, "--output", "is also a --replay file", NULL);
   char out[TESTUTIL_PATH_MAX];
   parse(&o, "-H", "--replay", in, "--output", TestUtil_path(out, "out.csv"), NULL);
   accepted(OptCheck_outputs, &o);
}

static void outputs__two_outputs_on_one_file__are_refused_even_before_it_exists(void** state) {
   (void)state;
   char f[TESTUTIL_PATH_MAX], dot[TESTUTIL_PATH_MAX + 8], g[TESTUTIL_PATH_MAX];
   TestUtil_path(f, "new.csv"); /* not there yet */
   snprintf(dot, sizeof dot, "%s/./new.csv", TestUtil_dir());
   TestUtil_path(g, "other.csv");
   Options o;
   parse(&o, "-H", "--output", f, "--record", f, NULL);
   refused(OptCheck_outputs, &o, "--output", "--record", "name the same file", NULL);
   parse(&o, "-H", "--record", f, "--metrics-csv", dot, NULL);
   refused(OptCheck_outputs, &o, "--record", "--metrics-csv", "name the same file", NULL);
   parse(&o, "-H", "--output", f, "--metrics-csv", f, NULL);
   refused(OptCheck_outputs, &o, "--output", "--metrics-csv", NULL);
   /* "-" is standard output: twice is once too many */
   parse(&o, "-H", "--output", "-", "--record", "-", NULL);
   refused(OptCheck_outputs, &o, "--output '-'", "--record '-'", NULL);
   parse(&o, "-H", "--output", f, "--record", g, "--metrics-csv", "/dev/null", NULL);
   accepted(OptCheck_outputs, &o);
   /* devices are written, not overwritten */
   parse(&o, "-H", "--output", "/dev/null", "--record", "/dev/null", NULL);
   accepted(OptCheck_outputs, &o);
}

/* OptCheck_outputs of o with standard output on the file at path; its message in err. */
static bool outputs_withStdoutOn(const char* path, const Options* o, char* err, size_t errlen) {
   fflush(stdout);
   int saved = dup(STDOUT_FILENO);
   int fd = open(path, O_WRONLY | O_APPEND);
   assert_true(saved >= 0 && fd >= 0);
   dup2(fd, STDOUT_FILENO);
   bool ok = OptCheck_outputs(o, err, errlen);
   dup2(saved, STDOUT_FILENO);
   close(saved);
   close(fd);
   return ok;
}

static void outputs__an_output_that_is_standard_output__is_refused(void** state) {
   (void)state;
   char f[TESTUTIL_PATH_MAX];
   TestUtil_writeText("stdout.txt", "");
   TestUtil_path(f, "stdout.txt");
   Options o;
   char err[512] = "";
   parse(&o, "-H", "--output", f, NULL);
   assert_false(outputs_withStdoutOn(f, &o, err, sizeof err));
   assert_non_null(strstr(err, "is also standard output"));
}

/* keepup >>in.csv --replay in.csv appended its summary to the replayed file */
static void outputs__standard_output_on_a_replay_file__is_refused(void** state) {
   (void)state;
   char in[TESTUTIL_PATH_MAX], other[TESTUTIL_PATH_MAX];
   TestUtil_writeText("played.csv", "time,value\n1,2\n");
   TestUtil_writeText("printed.txt", "");
   TestUtil_path(in, "played.csv");
   TestUtil_path(other, "printed.txt");
   Options o;
   char err[512] = "";
   parse(&o, "-H", "--replay", in, NULL);
   assert_false(outputs_withStdoutOn(in, &o, err, sizeof err));
   assert_non_null(strstr(err, "standard output is also the --replay file"));
   assert_true(outputs_withStdoutOn(other, &o, err, sizeof err));
}

/* A --calibration FILE not there yet is written: -o f --calibration f ended with the records in f and
 * the stage costs lost (exit 0); a FIFO there hung its read. */
static void outputs__the_calibration_file_is_an_output_too(void** state) {
   (void)state;
   char in[TESTUTIL_PATH_MAX], cal[TESTUTIL_PATH_MAX], fifo[TESTUTIL_PATH_MAX], printed[TESTUTIL_PATH_MAX];
   TestUtil_writeText("cal_in.csv", "time,value\n1,2\n");
   TestUtil_writeText("cal_printed.txt", "");
   TestUtil_path(in, "cal_in.csv");
   TestUtil_path(cal, "cal_new.txt"); /* not there yet */
   TestUtil_path(fifo, "cal_fifo");
   TestUtil_path(printed, "cal_printed.txt");
   assert_int_equal(mkfifo(fifo, 0600), 0);
   Options o;
   char err[512] = "";
   parse(&o, "-H", "--calibration", cal, "--output", cal, NULL);
   refused(OptCheck_outputs, &o, "--output", "--calibration", "name the same file", NULL);
   parse(&o, "-H", "--metrics-csv", cal, "--calibration", cal, NULL);
   refused(OptCheck_outputs, &o, "--metrics-csv", "--calibration", NULL);
   parse(&o, "-H", "--replay", in, "--calibration", in, NULL);
   refused(OptCheck_outputs, &o, "--calibration", "is also a --replay file", NULL);
   parse(&o, "-H", "--calibration", fifo, NULL);
   refused(OptCheck_outputs, &o, "--calibration", "not a regular file (a FIFO)", NULL);
   parse(&o, "-H", "--calibration", TestUtil_dir(), NULL);
   refused(OptCheck_outputs, &o, "not a regular file (a folder)", NULL);
   parse(&o, "-H", "--calibration", printed, NULL);
   assert_false(outputs_withStdoutOn(printed, &o, err, sizeof err));
   assert_non_null(strstr(err, "--calibration"));
   assert_non_null(strstr(err, "is also standard output"));
   /* its "-" is a file of that name, not standard output */
   parse(&o, "-H", "--calibration", "-", "--output", "-", NULL);
   accepted(OptCheck_outputs, &o);
   parse(&o, "-H", "--calibration", cal, "--output", printed, NULL);
   accepted(OptCheck_outputs, &o);
}

/* ------------------------------------------------------------ after the scenario */

static void setup__a_cap_smaller_than_a_batch__is_refused_with_what_fits(void** state) {
   (void)state;
   Options o;
   parse(&o, "-H", "--max-backlog", "100", NULL); /* --batch 256 by default */
   refused(OptCheck_setup, &o, "--max-backlog 100", "256", "--max-backlog 256 or more", "--batch 100 or less", NULL);
   parse(&o, "-H", "--max-backlog", "8", "--batch", "16", NULL);
   refused(OptCheck_setup, &o, "--max-backlog 8", "--batch 8 or less", NULL);
   parse(&o, "-H", "--max-backlog", "4KiB", NULL);
   refused(OptCheck_setup, &o, "--max-backlog", "256 records", "B or more", NULL);
   parse(&o, "-H", "--max-backlog", "100", "--sweep", "batch=1,128", NULL);
   refused(OptCheck_setup, &o, "128", NULL);
   parse(&o, "-H", "--max-backlog", "256", NULL);
   accepted(OptCheck_setup, &o);
   parse(&o, "-H", "--max-backlog", "4KiB", "--batch", "64", NULL);
   accepted(OptCheck_setup, &o);
}

/* The byte cap named as the smallest is accepted, a byte less is not, in either layout: boxed, the
 * message named the packed batch's bytes (8248B for 256 records), which boxed refused again. */
static void setup__the_smallest_byte_cap_named__holds_a_batch_in_either_layout(void** state) {
   (void)state;
   static const char* const layouts[] = {"packed", "boxed"};
   for (size_t i = 0; i < 2; i++) {
      Options o;
      char err[512] = "", cap[32];
      parse(&o, "-H", "--max-backlog", "8KiB", "--layout", layouts[i], NULL);
      assert_false(OptCheck_setup(&o, err, sizeof err));
      const char* named = strstr(err, "give --max-backlog ");
      assert_non_null(named);
      unsigned long long bytes = strtoull(named + strlen("give --max-backlog "), NULL, 10);
      snprintf(cap, sizeof cap, "%lluB", bytes);
      parse(&o, "-H", "--max-backlog", cap, "--layout", layouts[i], NULL);
      accepted(OptCheck_setup, &o);
      snprintf(cap, sizeof cap, "%lluB", bytes - 1);
      parse(&o, "-H", "--max-backlog", cap, "--layout", layouts[i], NULL);
      refused(OptCheck_setup, &o, "cannot hold one batch of 256 records", NULL);
   }
}

static void setup__arrival_knobs_the_mode_ignores__are_refused(void** state) {
   (void)state;
   Options o;
   parse(&o, "-H", "--arrival", "burst", "--rate", "5k", NULL);
   refused(OptCheck_setup, &o, "--rate", "--arrival burst", NULL);
   parse(&o, "-H", "--arrival", "steady", "--burst", "5k", NULL);
   refused(OptCheck_setup, &o, "--burst", "--arrival steady", NULL);
   parse(&o, "-H", "--every", "2s", NULL); /* steady by default */
   refused(OptCheck_setup, &o, "--every", NULL);
   parse(&o, "-H", "--arrival", "burst", "--burst", "5k", "--every", "2s", NULL);
   accepted(OptCheck_setup, &o);
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(unused__simulator_options_with_replay__are_refused),
       cmocka_unit_test(unused__dashboard_options_headless__are_refused),
       cmocka_unit_test(unused__what_a_sweep_sets_or_ignores__is_refused),
       cmocka_unit_test(unused__run_options_with_a_print_and_exit_mode__are_refused),
       cmocka_unit_test(outputs__an_output_over_a_replay_file__is_refused_however_named),
       cmocka_unit_test(outputs__two_outputs_on_one_file__are_refused_even_before_it_exists),
       cmocka_unit_test(outputs__an_output_that_is_standard_output__is_refused),
       cmocka_unit_test(outputs__standard_output_on_a_replay_file__is_refused),
       cmocka_unit_test(outputs__the_calibration_file_is_an_output_too),
       cmocka_unit_test(setup__a_cap_smaller_than_a_batch__is_refused_with_what_fits),
       cmocka_unit_test(setup__the_smallest_byte_cap_named__holds_a_batch_in_either_layout),
       cmocka_unit_test(setup__arrival_knobs_the_mode_ignores__are_refused),
   };
   return cmocka_run_group_tests(tests, TestUtil_setupDir, TestUtil_teardownDir);
}
