/*
 * test_options.c: src/options.c. The defaults, every kind of option, and the
 * promise that a refused command line says which option, which value and what
 * would have been accepted. The defaults shown by --help are checked against
 * Options_init by parsing them back, so the two cannot drift apart.
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/options.h"

#define MAX_ARGS 16

/* An argv built from a NULL-terminated list; getopt may permute the pointers, never the strings. */
typedef struct Args {
   int argc;
   char* argv[MAX_ARGS + 2];
} Args;

static void args_fill(Args* a, const char* const* list) {
   a->argc = 0;
   a->argv[a->argc++] = (char*)"keepup";
   for (; *list; list++) {
      assert_true(a->argc <= MAX_ARGS);
      a->argv[a->argc++] = (char*)*list;
   }
   a->argv[a->argc] = NULL;
}

static OptionsResult options_run(Options* o, const char* const* list, char* err, size_t errlen) {
   Args a;
   args_fill(&a, list);
   Options_init(o);
   err[0] = '\0';
   return Options_parse(o, a.argc, a.argv, err, errlen);
}

/* Parse a command line that must be accepted. */
#define PARSE_OK(o, ...) parse_ok((o), (const char* const[]){__VA_ARGS__, NULL})

static void parse_ok(Options* o, const char* const* list) {
   char err[256];
   OptionsResult r = options_run(o, list, err, sizeof err);
   if (r != OPTIONS_OK)
      fail_msg("refused a good command line starting with '%s': %s", list[0], err);
}

/* Run Options_parse with stdout sent to /dev/null (for --help and --version). */
static OptionsResult options_runQuiet(Options* o, const char* const* list, char* err, size_t errlen) {
   fflush(stdout);
   int saved = dup(STDOUT_FILENO);
   int null = open("/dev/null", O_WRONLY);
   assert_true(saved >= 0 && null >= 0);
   dup2(null, STDOUT_FILENO);
   OptionsResult r = options_run(o, list, err, errlen);
   fflush(stdout);
   dup2(saved, STDOUT_FILENO);
   close(saved);
   close(null);
   return r;
}

static void options_assertSame(const Options* a, const Options* b) {
   assert_int_equal(a->mode, b->mode);
   assert_int_equal(a->duration_ns, b->duration_ns);
   assert_int_equal(a->interval_ns, b->interval_ns);
   assert_int_equal(a->json, b->json);
   assert_int_equal(a->drain, b->drain);
   assert_ptr_equal(a->metrics_csv, b->metrics_csv);
   assert_int_equal(a->setup.sensors, b->setup.sensors);
   assert_int_equal(a->setup.knobs.arrival, b->setup.knobs.arrival);
   assert_int_equal(a->setup.knobs.burst, b->setup.knobs.burst);
   assert_int_equal(a->setup.knobs.every_ns, b->setup.knobs.every_ns);
   assert_float_equal(a->setup.knobs.rate, b->setup.knobs.rate, 0);
   assert_int_equal(a->setup.seed, b->setup.seed);
   assert_float_equal(a->setup.anomaly_rate, b->setup.anomaly_rate, 0);
   assert_float_equal(a->setup.hot, b->setup.hot, 0);
   assert_int_equal(a->setup.knobs.batch, b->setup.knobs.batch);
   assert_int_equal(a->setup.knobs.linger_ns, b->setup.knobs.linger_ns);
   assert_int_equal(a->setup.knobs.threads, b->setup.knobs.threads);
   assert_int_equal(a->setup.knobs.max_backlog_records, b->setup.knobs.max_backlog_records);
   assert_int_equal(a->setup.knobs.max_backlog_bytes, b->setup.knobs.max_backlog_bytes);
   assert_int_equal(a->setup.knobs.overflow, b->setup.knobs.overflow);
   for (int s = 0; s < STAGE_LAST; s++)
      assert_int_equal(a->setup.knobs.variant[s], b->setup.knobs.variant[s]);
   assert_int_equal(a->setup.allowlist, b->setup.allowlist);
   assert_int_equal(a->setup.knobs.window, b->setup.knobs.window);
   assert_float_equal(a->setup.threshold, b->setup.threshold, 0);
   assert_int_equal(a->setup.cache, b->setup.cache);
   assert_float_equal(a->setup.valid_lo, b->setup.valid_lo, 0);
   assert_float_equal(a->setup.valid_hi, b->setup.valid_hi, 0);
   assert_ptr_equal(a->output, b->output);
   assert_int_equal(a->delay_ns, b->delay_ns);
   assert_int_equal(a->no_color, b->no_color);
}

static char* options_helpText(void) {
   char* text = NULL;
   size_t len = 0;
   FILE* f = open_memstream(&text, &len);
   assert_non_null(f);
   Options_printHelp(f);
   fclose(f);
   assert_non_null(text);
   return text;
}

static void init__defaults__are_the_documented_ones(void** state) {
   (void)state;
   Options o;
   Options_init(&o);
   assert_int_equal(o.mode, MODE_DASHBOARD);
   assert_int_equal(o.duration_ns, 0);
   assert_int_equal(o.interval_ns, INT64_C(1000000000));
   assert_false(o.json);
   assert_false(o.drain);
   assert_null(o.metrics_csv);
   assert_int_equal(o.setup.sensors, 64);
   assert_int_equal(o.setup.knobs.arrival, ARRIVAL_STEADY);
   assert_int_equal(o.setup.knobs.burst, 50000);
   assert_int_equal(o.setup.knobs.every_ns, INT64_C(10000000000));
   assert_float_equal(o.setup.knobs.rate, 200000, 0);
   assert_int_equal(o.setup.seed, 1);
   assert_int_equal(o.setup.knobs.batch, 256);
   assert_int_equal(o.setup.knobs.linger_ns, 5000000);
   assert_int_equal(o.setup.knobs.threads, 1);
   assert_int_equal(o.setup.knobs.max_backlog_records, 4000000);
   assert_int_equal(o.setup.knobs.max_backlog_bytes, 0);
   assert_int_equal(o.setup.knobs.overflow, OVERFLOW_BLOCK);
   for (int s = 0; s < STAGE_LAST; s++)
      assert_int_equal(o.setup.knobs.variant[s], VARIANT_NAIVE);
   assert_null(o.output);
   assert_false(o.no_color);
   assert_int_equal(o.given[0] | o.given[1], 0);
}

static void help__every_default_shown__parses_back_to_the_initial_value(void** state) {
   (void)state;
   char* text = options_helpText();
   Options init;
   Options_init(&init);
   init.mode = MODE_HEADLESS;
   int checked = 0;
   for (char* line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
      char* dash = strstr(line, "--");
      size_t n = strlen(line);
      if (!dash || n < 3 || line[n - 1] != ']' || line[0] != ' ')
         continue;
      char* open = strrchr(line, '[');
      assert_non_null(open);
      char name[64], def[64];
      size_t nl = strcspn(dash + 2, " ");
      assert_true(nl < sizeof name);
      memcpy(name, dash + 2, nl);
      name[nl] = '\0';
      size_t dl = (size_t)(line + n - 1 - (open + 1));
      assert_true(dl > 0 && dl < sizeof def);
      memcpy(def, open + 1, dl);
      def[dl] = '\0';
      char opt[80];
      snprintf(opt, sizeof opt, "--%s", name);
      Options o;
      char err[256];
      /* --headless so that headless-only options are accepted too */
      OptionsResult r = options_run(&o, (const char* const[]){"--headless", opt, def, NULL}, err, sizeof err);
      if (r == OPTIONS_ERROR && strstr(err, "works only with --sweep"))
         /* sweep-only options: add a sweep of one point, the form --help shows */
         r = options_run(&o, (const char* const[]){"--headless", "--sweep", "threads=1", opt, def, NULL}, err,
                         sizeof err);
      if (r != OPTIONS_OK)
         fail_msg("--help shows '%s' as the default of %s, but it is refused: %s", def, opt, err);
      memset(o.given, 0, sizeof o.given);
      options_assertSame(&o, &init);
      checked++;
   }
   free(text);
   assert_true(checked >= 15);
}

static void help__lists_each_kind_of_option__with_usage_units_and_exit_status(void** state) {
   (void)state;
   char* text = options_helpText();
   static const char* const want[] = {
      "Usage: keepup", "--headless", "--duration DUR", "--json", "--threads N", "--batch N", "--max-backlog",
      "--overflow POLICY", "--naive LIST", "--optimized LIST", "--valid-range LO:HI", "--help", "--version",
      "Exit status",
   };
   for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
      if (!strstr(text, want[i]))
         fail_msg("--help does not mention '%s'", want[i]);
   free(text);
}

static void parse__no_arguments__keeps_defaults_and_marks_nothing_given(void** state) {
   (void)state;
   Options o, init;
   char err[256];
   assert_int_equal(options_run(&o, (const char* const[]){NULL}, err, sizeof err), OPTIONS_OK);
   Options_init(&init);
   options_assertSame(&o, &init);
   assert_int_equal(o.given[0] | o.given[1], 0);
}

static void parse__mode_and_flags__are_set(void** state) {
   (void)state;
   Options o;
   PARSE_OK(&o, "--headless", "--json", "--drain", "--no-color");
   assert_int_equal(o.mode, MODE_HEADLESS);
   assert_true(o.json);
   assert_true(o.drain);
   assert_true(o.no_color);
   PARSE_OK(&o, "-H", "-j");
   assert_int_equal(o.mode, MODE_HEADLESS);
   assert_true(o.json);
   assert_false(o.drain);
   /* the dashboard honours --json and --duration too */
   PARSE_OK(&o, "--json", "--duration", "60s");
   assert_int_equal(o.mode, MODE_DASHBOARD);
   assert_true(o.json);
}

static void parse__counts__take_suffixes_and_short_names(void** state) {
   (void)state;
   Options o;
   PARSE_OK(&o, "--sensors", "1k", "-t", "4", "-b", "4096", "--burst", "2.5M", "--window", "100000", "--cache", "1M",
            "--allowlist", "0");
   assert_int_equal(o.setup.sensors, 1000);
   assert_int_equal(o.setup.knobs.threads, 4);
   assert_int_equal(o.setup.knobs.batch, 4096);
   assert_int_equal(o.setup.knobs.burst, 2500000);
   assert_int_equal(o.setup.knobs.window, 100000);
   assert_int_equal(o.setup.cache, 1000000);
   assert_int_equal(o.setup.allowlist, 0);
   PARSE_OK(&o, "--seed", "18446744073709551615");
   assert_int_equal(o.setup.seed, UINT64_MAX);
   /* read in 64 bits, not through a double: above 2^53 every seed is itself */
   PARSE_OK(&o, "--seed", "9007199254740993");
   assert_true(o.setup.seed == UINT64_C(9007199254740993));
   PARSE_OK(&o, "--seed", "18446744073709551614");
   assert_true(o.setup.seed == UINT64_C(18446744073709551614));
   PARSE_OK(&o, "--seed", "1.5k", "--burst", "1e6");
   assert_int_equal(o.setup.seed, 1500);
   assert_int_equal(o.setup.knobs.burst, 1000000);
   PARSE_OK(&o, "--seed", "0", "--threads=64", "--batch=1");
   assert_int_equal(o.setup.seed, 0);
   assert_int_equal(o.setup.knobs.threads, 64);
   assert_int_equal(o.setup.knobs.batch, 1);
}

static void parse__rates_and_plain_numbers__are_stored_as_doubles(void** state) {
   (void)state;
   Options o;
   PARSE_OK(&o, "--rate", "2.5M", "--anomalies", "0.01", "--hot", "0.25", "--threshold", "3.5");
   assert_float_equal(o.setup.knobs.rate, 2.5e6, 0);
   assert_float_equal(o.setup.anomaly_rate, 0.01, 0);
   assert_float_equal(o.setup.hot, 0.25, 0);
   assert_float_equal(o.setup.threshold, 3.5, 0);
   PARSE_OK(&o, "-r", "1");
   assert_float_equal(o.setup.knobs.rate, 1, 0);
}

static void parse__durations__are_stored_in_nanoseconds(void** state) {
   (void)state;
   Options o;
   PARSE_OK(&o, "-H", "-d", "10s", "-i", "500ms", "--linger", "0", "--every", "1.5s", "--delay", "250ms");
   assert_int_equal(o.duration_ns, INT64_C(10000000000));
   assert_int_equal(o.interval_ns, 500000000);
   assert_int_equal(o.setup.knobs.linger_ns, 0);
   assert_int_equal(o.setup.knobs.every_ns, 1500000000);
   assert_int_equal(o.delay_ns, 250000000);
   PARSE_OK(&o, "-H", "--duration", "2m", "--interval", "0");
   assert_int_equal(o.duration_ns, INT64_C(120000000000));
   assert_int_equal(o.interval_ns, 0);
}

static void parse__metrics_csv_and_its_interval__work_in_the_dashboard_too(void** state) {
   (void)state;
   Options o;
   PARSE_OK(&o, "--metrics-csv", "m.csv", "--interval", "250ms");
   assert_int_equal(o.mode, MODE_DASHBOARD);
   assert_string_equal(o.metrics_csv, "m.csv");
   assert_int_equal(o.interval_ns, 250000000);
   PARSE_OK(&o, "--metrics-csv", "m.csv");
   assert_int_equal(o.interval_ns, INT64_C(1000000000));
}

static void parse__enums__accept_every_listed_word(void** state) {
   (void)state;
   Options o;
   for (int i = 0; i < ARRIVAL_LAST; i++) {
      PARSE_OK(&o, "--arrival", Arrival_names[i]);
      assert_int_equal(o.setup.knobs.arrival, i);
   }
   for (int i = 0; i < OVERFLOW_LAST; i++) {
      PARSE_OK(&o, "--overflow", Overflow_names[i]);
      assert_int_equal(o.setup.knobs.overflow, i);
   }
   assert_string_equal(Arrival_names[ARRIVAL_BURST], "burst");
   assert_string_equal(Overflow_names[OVERFLOW_DROP_OLDEST], "drop-oldest");
}

static void parse__file_names__point_into_argv(void** state) {
   (void)state;
   Options o;
   Args a;
   args_fill(&a, (const char* const[]){"-H", "--output", "out.csv", "--metrics-csv", "m.csv", NULL});
   char* out = a.argv[3];
   char* metrics = a.argv[5];
   char err[256];
   Options_init(&o);
   assert_int_equal(Options_parse(&o, a.argc, a.argv, err, sizeof err), OPTIONS_OK);
   assert_ptr_equal(o.output, out);
   assert_ptr_equal(o.metrics_csv, metrics);
}

static void parse__max_backlog__is_records_or_bytes_never_both(void** state) {
   (void)state;
   Options o;
   PARSE_OK(&o, "--max-backlog", "2M");
   assert_int_equal(o.setup.knobs.max_backlog_records, 2000000);
   assert_int_equal(o.setup.knobs.max_backlog_bytes, 0);
   PARSE_OK(&o, "--max-backlog", "256MB");
   assert_int_equal(o.setup.knobs.max_backlog_records, 0);
   assert_int_equal(o.setup.knobs.max_backlog_bytes, 256000000);
   PARSE_OK(&o, "--max-backlog", "1GiB", "--max-backlog", "10");
   assert_int_equal(o.setup.knobs.max_backlog_records, 10);
   assert_int_equal(o.setup.knobs.max_backlog_bytes, 0);
   PARSE_OK(&o, "--max-backlog", "10", "--max-backlog", "1GiB");
   assert_int_equal(o.setup.knobs.max_backlog_records, 0);
   assert_int_equal(o.setup.knobs.max_backlog_bytes, UINT64_C(1073741824));
}

static void parse__valid_range__sets_both_bounds(void** state) {
   (void)state;
   Options o;
   PARSE_OK(&o, "--valid-range", "-100:100");
   assert_float_equal(o.setup.valid_lo, -100, 0);
   assert_float_equal(o.setup.valid_hi, 100, 0);
   PARSE_OK(&o, "--valid-range=0.5:1e3");
   assert_float_equal(o.setup.valid_lo, 0.5, 0);
   assert_float_equal(o.setup.valid_hi, 1000, 0);
   /* either side may be left open, alike */
   PARSE_OK(&o, "--valid-range", ":1");
   assert_true(isinf(o.setup.valid_lo) && o.setup.valid_lo < 0);
   assert_float_equal(o.setup.valid_hi, 1, 0);
   PARSE_OK(&o, "--valid-range", "1:");
   assert_float_equal(o.setup.valid_lo, 1, 0);
   assert_true(isinf(o.setup.valid_hi) && o.setup.valid_hi > 0);
   PARSE_OK(&o, "--valid-range", "-inf:inf");
   assert_true(isinf(o.setup.valid_lo) && isinf(o.setup.valid_hi));
}

static void parseStageList__names_and_all__give_the_mask(void** state) {
   (void)state;
   unsigned mask = 0;
   char err[256] = "";
   assert_true(Options_parseStageList("all", &mask, err, sizeof err));
   assert_int_equal(mask, (1u << STAGE_LAST) - 1);
   assert_true(Options_parseStageList("filter,score", &mask, err, sizeof err));
   assert_int_equal(mask, (1u << STAGE_FILTER) | (1u << STAGE_SCORE));
   assert_true(Options_parseStageList("format", &mask, err, sizeof err));
   assert_int_equal(mask, 1u << STAGE_FORMAT);
   assert_true(Options_parseStageList("normalize,enrich,feature", &mask, err, sizeof err));
   assert_int_equal(mask, (1u << STAGE_NORMALIZE) | (1u << STAGE_ENRICH) | (1u << STAGE_FEATURE));
}

static void parseStageList__unknown_or_empty__is_refused_with_the_name(void** state) {
   (void)state;
   unsigned mask = 99;
   char err[256] = "";
   assert_false(Options_parseStageList("filter,bogus", &mask, err, sizeof err));
   assert_non_null(strstr(err, "bogus"));
   assert_false(Options_parseStageList("", &mask, err, sizeof err));
   assert_false(Options_parseStageList(NULL, &mask, err, sizeof err));
   assert_false(Options_parseStageList("Filter", &mask, err, sizeof err));
}

static void parse__naive_and_optimized__apply_in_command_line_order(void** state) {
   (void)state;
   Options o;
   PARSE_OK(&o, "--optimized", "all", "--naive", "feature");
   for (int s = 0; s < STAGE_LAST; s++)
      assert_int_equal(o.setup.knobs.variant[s], s == STAGE_FEATURE ? VARIANT_NAIVE : VARIANT_OPTIMIZED);
   PARSE_OK(&o, "--naive", "all", "--optimized", "filter,score");
   for (int s = 0; s < STAGE_LAST; s++)
      assert_int_equal(o.setup.knobs.variant[s], (s == STAGE_FILTER || s == STAGE_SCORE) ? VARIANT_OPTIMIZED : VARIANT_NAIVE);
   PARSE_OK(&o, "--optimized", "enrich", "--naive", "all");
   for (int s = 0; s < STAGE_LAST; s++)
      assert_int_equal(o.setup.knobs.variant[s], VARIANT_NAIVE);
   PARSE_OK(&o, "--optimized", "enrich", "--optimized", "format");
   for (int s = 0; s < STAGE_LAST; s++)
      assert_int_equal(o.setup.knobs.variant[s], (s == STAGE_ENRICH || s == STAGE_FORMAT) ? VARIANT_OPTIMIZED : VARIANT_NAIVE);
}

static void given__marks_only_the_options_on_the_command_line(void** state) {
   (void)state;
   Options o;
   PARSE_OK(&o, "-b", "64", "--threads", "2", "--overflow", "grow");
   assert_true(Options_given(&o, "batch"));
   assert_true(Options_given(&o, "threads"));
   assert_true(Options_given(&o, "overflow"));
   assert_false(Options_given(&o, "sensors"));
   assert_false(Options_given(&o, "headless"));
   assert_false(Options_given(&o, "no-such-option"));
   /* given even when the value equals the default */
   PARSE_OK(&o, "--batch", "256");
   assert_true(Options_given(&o, "batch"));
   assert_false(Options_given(&o, "threads"));
   PARSE_OK(&o, "-H");
   assert_true(Options_given(&o, "headless"));
}

static void help_and_version__ask_for_a_clean_exit(void** state) {
   (void)state;
   Options o;
   char err[256];
   assert_int_equal(options_runQuiet(&o, (const char* const[]){"--help", NULL}, err, sizeof err), OPTIONS_EXIT_OK);
   assert_int_equal(options_runQuiet(&o, (const char* const[]){"-h", NULL}, err, sizeof err), OPTIONS_EXIT_OK);
   assert_int_equal(options_runQuiet(&o, (const char* const[]){"--version", NULL}, err, sizeof err), OPTIONS_EXIT_OK);
   assert_int_equal(options_runQuiet(&o, (const char* const[]){"-V", NULL}, err, sizeof err), OPTIONS_EXIT_OK);
}

/* A refused command line and the words its message must contain. */
typedef struct BadCase {
   const char* args[6];
   const char* want[6];
} BadCase;

static const BadCase options_bad[] = {
   /* out of range, negative, zero where not allowed, huge */
   {{"--threads", "0"}, {"--threads", "'0'", "1", "64"}},
   {{"--threads", "65"}, {"--threads", "'65'", "64"}},
   {{"--threads", "-1"}, {"--threads", "'-1'", "64"}},
   {{"-t", "1.5"}, {"--threads", "'1.5'", "64"}},
   {{"--batch", "0"}, {"--batch", "'0'", "65536"}},
   {{"--batch", "1G"}, {"--batch", "'1G'", "65536"}},
   {{"--sensors", "0"}, {"--sensors", "'0'", "100000"}},
   {{"--sensors", "many"}, {"--sensors", "'many'", "100000"}},
   {{"--window", "0"}, {"--window", "'0'", "100000"}},
   {{"--window", "100001"}, {"--window", "'100001'", "100000"}},
   {{"--burst", "0"}, {"--burst", "'0'"}},
   {{"--seed", "1e20"}, {"--seed", "'1e20'"}},
   {{"--rate", "0"}, {"--rate", "'0'", "from 1"}},
   {{"--rate", "-5"}, {"--rate", "'-5'"}},
   {{"--rate", "fast"}, {"--rate", "'fast'"}},
   {{"--rate", "nan"}, {"--rate", "'nan'"}},
   {{"--hot", "1.5"}, {"--hot", "'1.5'", "0", "1"}},
   {{"--hot", "inf"}, {"--hot", "'inf'"}},
   {{"--anomalies", "nan"}, {"--anomalies", "'nan'", "0.5"}},
   {{"--anomalies", "-0.1"}, {"--anomalies", "'-0.1'"}},
   {{"--threshold", "0"}, {"--threshold", "'0'", "1000"}},
   /* durations: unit-less, negative, out of range */
   {{"-H", "--duration", "10"}, {"--duration", "'10'", "unit"}},
   {{"-H", "--duration", "-1s"}, {"--duration", "'-1s'"}},
   {{"-H", "--duration", "1000000h"}, {"--duration", "'1000000h'"}},
   {{"--linger", "5"}, {"--linger", "'5'", "unit"}},
   {{"--linger", "11s"}, {"--linger", "'11s'", "10.0 s"}},
   {{"--every", "0"}, {"--every", "'0'", "1.00 ms"}},
   {{"--every", "10"}, {"--every", "'10'"}},
   {{"--delay", "1ms"}, {"--delay", "'1ms'", "10.0 ms", "10.0 s"}},
   {{"-H", "--interval", "2h"}, {"--interval", "'2h'"}},
   /* enums, stages, sizes, ranges, files */
   {{"--arrival", "sometimes"}, {"--arrival", "'sometimes'", "burst", "steady", "poisson"}},
   {{"--overflow", "explode"}, {"--overflow", "'explode'", "block", "drop-oldest", "drop-newest", "grow"}},
   {{"--naive", "bogus"}, {"--naive", "'bogus'", "filter"}},
   {{"--optimized", "feature,bogus"}, {"--optimized", "bogus"}},
   {{"--max-backlog", "1KB"}, {"--max-backlog", "'1KB'"}},
   {{"--max-backlog", "0"}, {"--max-backlog", "'0'"}},
   {{"--max-backlog", "-4M"}, {"--max-backlog", "'-4M'"}},
   {{"--max-backlog", "2G"}, {"--max-backlog", "'2G'"}},
   {{"--valid-range", "5:1"}, {"--valid-range", "'5:1'", "LO:HI"}},
   {{"--valid-range", "5"}, {"--valid-range", "'5'"}},
   {{"--valid-range", "inf:"}, {"--valid-range", "'inf:'"}},
   {{"--valid-range", "nan:1"}, {"--valid-range", "'nan:1'"}},
   {{"--output", ""}, {"--output"}},
   /* numbers: each in its own type and range; blanks and hex refused everywhere alike */
   {{"--seed", "18446744073709551616"}, {"--seed", "'18446744073709551616'", "18446744073709551615"}},
   {{"--seed", "1.5"}, {"--seed", "'1.5'"}},
   {{"--sensors", " 5"}, {"--sensors", "' 5'"}},
   {{"--batch", "0x10"}, {"--batch", "'0x10'"}},
   {{"--threshold", " 5"}, {"--threshold", "' 5'"}},
   {{"--threshold", "5 "}, {"--threshold", "'5 '"}},
   {{"--hot", "0x1p-1"}, {"--hot", "'0x1p-1'"}},
   {{"--anomalies", "\t0.1"}, {"--anomalies"}},
   {{"--valid-range", "0x10:20"}, {"--valid-range", "'0x10:20'"}},
   {{"--valid-range", " 1:5"}, {"--valid-range"}},
   {{"--speed", " 2"}, {"--speed", "' 2'"}},
   {{"--rate", "0x10"}, {"--rate", "'0x10'"}},
   /* durations that are not a whole number of ns: never rounded, least of all to 0 */
   {{"-H", "--duration", "0.4ns"}, {"--duration", "'0.4ns'", "whole number of ns"}},
   {{"--linger", "1.5ns"}, {"--linger", "'1.5ns'"}},
   {{"--spin", "0.0001ns"}, {"--spin", "'0.0001ns'"}},
   /* a status line more often than the snapshot period would repeat one */
   {{"-H", "--interval", "1ns"}, {"--interval", "'1ns'", "0 (none)", "100 ms"}},
   {{"-H", "--interval", "99ms"}, {"--interval", "'99ms'", "100 ms"}},
   /* empty list items */
   {{"--stage-cost", ""}, {"--stage-cost", "empty"}},
   {{"--stage-cost", ",,,"}, {"--stage-cost", "empty"}},
   {{"--stage-cost", "feature=1us,"}, {"--stage-cost", "empty"}},
   {{"--stage-cost", "feature=1us,feature=2us"}, {"--stage-cost", "feature", "twice"}},
   {{"-H", "--sweep", "batch=1,,4"}, {"--sweep", "empty"}},
   {{"-H", "--sweep", "batch=,1"}, {"--sweep", "empty"}},
   {{"-H", "--sweep", "batch="}, {"--sweep", "empty"}},
   {{"--naive", "feature,"}, {"--naive", "empty"}},
   /* the backlog cap has an upper bound in bytes as in records */
   {{"--max-backlog", "1001GB"}, {"--max-backlog", "'1001GB'", "1000GB"}},
   {{"--max-backlog", "1.5"}, {"--max-backlog", "'1.5'"}},
   /* missing values, unknown options, stray arguments */
   {{"--threads"}, {"--threads", "value"}},
   {{"-t"}, {"-t", "value"}},
   {{"-H", "--duration"}, {"--duration"}},
   {{"--bogus"}, {"--bogus"}},
   {{"--bogus=3"}, {"--bogus"}},
   {{"-x"}, {"-x"}},
   {{"stray"}, {"stray"}},
   {{"--batch", "64", "stray"}, {"stray"}},
   /* headless-only options without --headless; --interval in the dashboard is --metrics-csv's period */
   {{"--interval", "1s"}, {"--interval", "--metrics-csv"}},
   {{"--drain"}, {"--drain", "--headless"}},
};

static void parse__each_bad_value__is_refused_naming_option_value_and_range(void** state) {
   (void)state;
   for (size_t i = 0; i < sizeof options_bad / sizeof options_bad[0]; i++) {
      const BadCase* c = &options_bad[i];
      const char* list[7] = {0};
      for (int k = 0; k < 6 && c->args[k]; k++)
         list[k] = c->args[k];
      Options o;
      char err[256];
      OptionsResult r = options_run(&o, list, err, sizeof err);
      if (r != OPTIONS_ERROR)
         fail_msg("case %zu (%s %s) was not refused", i, c->args[0], c->args[1] ? c->args[1] : "");
      if (!err[0] || strchr(err, '\n'))
         fail_msg("case %zu (%s): the message must be one non-empty line, got '%s'", i, c->args[0], err);
      for (int k = 0; k < 6 && c->want[k]; k++)
         if (!strstr(err, c->want[k]))
            fail_msg("case %zu (%s %s): message '%s' lacks '%s'", i, c->args[0], c->args[1] ? c->args[1] : "", err,
                     c->want[k]);
   }
}

static void parse__flag_given_a_value__is_refused_naming_the_flag(void** state) {
   (void)state;
   Options o;
   char err[256];
   assert_int_equal(options_run(&o, (const char* const[]){"-H", "--json=1", NULL}, err, sizeof err), OPTIONS_ERROR);
   if (!strstr(err, "--json"))
      fail_msg("message '%s' does not name --json", err);
   for (const char* c = err; *c; c++)
      if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
         fail_msg("message has a control or non-ASCII byte 0x%02x: '%s'", (unsigned char)*c, err);
}

static void parse__after_an_error_inside_a_short_cluster__starts_afresh(void** state) {
   (void)state;
   Options o;
   char err[256];
   /* "-xH": the error stops getopt between x and H; the next parse must not resume there */
   assert_int_equal(options_run(&o, (const char* const[]){"-xH", NULL}, err, sizeof err), OPTIONS_ERROR);
   assert_int_equal(options_run(&o, (const char* const[]){"--batch", "64", NULL}, err, sizeof err), OPTIONS_OK);
   assert_int_equal(o.setup.knobs.batch, 64);
   assert_int_equal(o.mode, MODE_DASHBOARD);
}

static void parse__small_error_buffer__is_truncated_not_overrun(void** state) {
   (void)state;
   Options o;
   char err[64];
   memset(err, '#', sizeof err);
   Args a;
   args_fill(&a, (const char* const[]){"--threads", "1000", NULL});
   Options_init(&o);
   assert_int_equal(Options_parse(&o, a.argc, a.argv, err, 16), OPTIONS_ERROR);
   assert_int_equal(strlen(err), 15);
   for (size_t i = 16; i < sizeof err; i++)
      assert_int_equal(err[i], '#');
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(init__defaults__are_the_documented_ones),
      cmocka_unit_test(help__every_default_shown__parses_back_to_the_initial_value),
      cmocka_unit_test(help__lists_each_kind_of_option__with_usage_units_and_exit_status),
      cmocka_unit_test(parse__no_arguments__keeps_defaults_and_marks_nothing_given),
      cmocka_unit_test(parse__mode_and_flags__are_set),
      cmocka_unit_test(parse__metrics_csv_and_its_interval__work_in_the_dashboard_too),
      cmocka_unit_test(parse__counts__take_suffixes_and_short_names),
      cmocka_unit_test(parse__rates_and_plain_numbers__are_stored_as_doubles),
      cmocka_unit_test(parse__durations__are_stored_in_nanoseconds),
      cmocka_unit_test(parse__enums__accept_every_listed_word),
      cmocka_unit_test(parse__file_names__point_into_argv),
      cmocka_unit_test(parse__max_backlog__is_records_or_bytes_never_both),
      cmocka_unit_test(parse__valid_range__sets_both_bounds),
      cmocka_unit_test(parseStageList__names_and_all__give_the_mask),
      cmocka_unit_test(parseStageList__unknown_or_empty__is_refused_with_the_name),
      cmocka_unit_test(parse__naive_and_optimized__apply_in_command_line_order),
      cmocka_unit_test(given__marks_only_the_options_on_the_command_line),
      cmocka_unit_test(help_and_version__ask_for_a_clean_exit),
      cmocka_unit_test(parse__each_bad_value__is_refused_naming_option_value_and_range),
      cmocka_unit_test(parse__flag_given_a_value__is_refused_naming_the_flag),
      cmocka_unit_test(parse__small_error_buffer__is_truncated_not_overrun),
      /* last: a failure here leaves getopt's state behind */
      cmocka_unit_test(parse__after_an_error_inside_a_short_cluster__starts_afresh),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
