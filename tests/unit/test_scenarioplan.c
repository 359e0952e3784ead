/* test_scenarioplan.c: what choosing a scenario in the dashboard's menu would change. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/units.h"

#include "app/options.h"
#include "core/scenario.h"
#include "ui/scenarioplan.h"

/* A machine where every stage costs 100 ns per record, and the naive feature 20 ns per window slot. */
static Calibration fake_calibration(void) {
   Calibration c;
   memset(&c, 0, sizeof c);
   for (int s = 0; s < STAGE_LAST; s++) {
      c.ns[s][VARIANT_NAIVE] = 100;
      c.ns[s][VARIANT_OPTIMIZED] = 50;
   }
   c.window = 100;
   c.allowlist = 1000;
   c.feature_ns_per_w = 20;
   c.ns[STAGE_FEATURE][VARIANT_NAIVE] = 100 + 20 * 100;
   c.filter_ns_per_k = 0.1;
   return c;
}

/* Options as main makes them: parsed, then the scenario applied. */
static void options_for(Options* o, const Calibration* cal, const char* const* args) {
   char* argv[16];
   int argc = 0;
   argv[argc++] = (char*)"keepup";
   for (; *args; args++)
      argv[argc++] = (char*)*args;
   argv[argc] = NULL;
   char err[256];
   Options_init(o);
   assert_int_equal(Options_parse(o, argc, argv, err, sizeof err), OPTIONS_OK);
   if (o->scenario < SCENARIO_LAST)
      Scenario_apply((ScenarioId)o->scenario, cal, &o->setup);
}

/* The knobs a fresh engine would report for those options: all of them, as given. */
static void knobs_for(Knobs* k, const Options* o) {
   *k = o->setup.knobs;
}

static void plan__the_scenario_in_force_changes_nothing(void** state) {
   (void)state;
   Calibration cal = fake_calibration();
   Options o;
   options_for(&o, &cal, (const char* const[]){"--scenario", "amdahl", NULL});
   Knobs k;
   knobs_for(&k, &o);
   ScenarioPlan p;
   ScenarioPlan_make(&p, SCENARIO_AMDAHL, &cal, &o, &k, false);
   assert_true(p.live);
   assert_int_equal(p.n_changes, 0);
   assert_string_equal(p.changes, "");
   assert_string_equal(p.restart, "");
}

static void plan__reverts_the_knobs_the_user_turned(void** state) {
   (void)state;
   Calibration cal = fake_calibration();
   Options o;
   options_for(&o, &cal, (const char* const[]){"--scenario", "batching", NULL});
   Knobs k;
   knobs_for(&k, &o);
   k.batch = 64; /* pressed B six times */
   k.threads = 2;
   k.variant[STAGE_FEATURE] = VARIANT_NAIVE;
   ScenarioPlan p;
   ScenarioPlan_make(&p, SCENARIO_BATCHING, &cal, &o, &k, false);
   assert_true(p.live);
   assert_int_equal(p.n_changes, 3);
   assert_non_null(strstr(p.changes, "batch 64 -> 1"));
   assert_non_null(strstr(p.changes, "threads 2 -> 1"));
   assert_non_null(strstr(p.changes, "feature optimized"));
}

static void plan__arrival_and_sensors_need_a_restart(void** state) {
   (void)state;
   Calibration cal = fake_calibration();
   Options o;
   options_for(&o, &cal, (const char* const[]){"--scenario", "lecture", NULL});
   Knobs k;
   knobs_for(&k, &o);
   ScenarioPlan p;
   ScenarioPlan_make(&p, SCENARIO_BATCHING, &cal, &o, &k, false);
   assert_false(p.live);
   /* the lecture sizes its sensors from the calibration; batching wants 8 */
   assert_non_null(strstr(p.restart, "sensors "));
   assert_non_null(strstr(p.restart, " -> 8"));
   assert_non_null(strstr(p.restart, "arrival burst -> steady"));
   /* the live part is still listed, for whoever restarts */
   assert_non_null(strstr(p.changes, "dispatch cost 0 -> 500 us per batch (simulated)"));
   assert_non_null(strstr(p.changes, "feature cost 0 -> 10.0 us per record (simulated)"));
   assert_int_equal(p.target.scenario, SCENARIO_BATCHING);
}

/* With the simulator a switch starts a new pipeline: whatever differs, the target is exactly the setup
 * `--scenario NAME` would have started with, and nothing waits for a restart. */
static void plan__the_simulator_switches_everything_in_a_new_pipeline(void** state) {
   (void)state;
   Calibration cal = fake_calibration();
   Options o, want;
   options_for(&o, &cal, (const char* const[]){"--scenario", "lecture", NULL});
   options_for(&want, &cal, (const char* const[]){"--scenario", "amdahl", NULL});
   Knobs k;
   knobs_for(&k, &o);
   k.variant[STAGE_FEATURE] = VARIANT_OPTIMIZED; /* pressed 4 */
   ScenarioPlan p;
   ScenarioPlan_make(&p, SCENARIO_AMDAHL, &cal, &o, &k, false);
   assert_true(p.fresh);
   assert_false(p.live); /* the running pipeline alone could not take it */
   const Setup* t = &p.target.setup;
   assert_int_equal(t->sensors, want.setup.sensors);
   assert_int_equal(t->allowlist, want.setup.allowlist);
   assert_int_equal(t->knobs.arrival, ARRIVAL_STEADY);
   assert_int_equal(t->knobs.window, want.setup.knobs.window);
   assert_float_equal(t->knobs.rate, want.setup.knobs.rate, 1e-9);
   assert_int_equal(t->knobs.batch, want.setup.knobs.batch);
   for (int s = 0; s < STAGE_LAST; s++)
      assert_int_equal(t->knobs.variant[s], VARIANT_NAIVE);
   assert_int_equal(p.target.scenario, SCENARIO_AMDAHL);
   /* the same scenario again (z): its own knobs back, the user's toggle undone */
   ScenarioPlan_make(&p, SCENARIO_LECTURE, &cal, &o, &k, false);
   assert_true(p.fresh);
   assert_int_equal(p.target.setup.knobs.variant[STAGE_FEATURE], VARIANT_NAIVE);
   assert_int_equal(p.target.setup.sensors, o.setup.sensors);
   /* a replay's file decides its arrivals: no new pipeline there */
   ScenarioPlan_make(&p, SCENARIO_AMDAHL, &cal, &o, &k, true);
   assert_false(p.fresh);
}

static void plan__options_given_on_the_command_line_stay(void** state) {
   (void)state;
   Calibration cal = fake_calibration();
   Options o;
   options_for(&o, &cal, (const char* const[]){"--scenario", "lecture", "--sensors", "8", "--arrival", "steady", NULL});
   Knobs k;
   knobs_for(&k, &o);
   ScenarioPlan p;
   ScenarioPlan_make(&p, SCENARIO_BATCHING, &cal, &o, &k, false);
   /* batching wants 8 sensors and steady arrival: the command line already gave both */
   assert_true(p.live);
   assert_int_equal(p.target.setup.sensors, 8);
   assert_int_equal(p.target.setup.knobs.arrival, ARRIVAL_STEADY);
}

static void plan__nothing_is_left_behind_by_the_previous_scenario(void** state) {
   (void)state;
   Calibration cal = fake_calibration();
   Options o;
   options_for(&o, &cal, (const char* const[]){"--scenario", "batching", NULL});
   Knobs k;
   knobs_for(&k, &o);
   ScenarioPlan p;
   ScenarioPlan_make(&p, SCENARIO_LAST, &cal, &o, &k, false); /* none: the plain defaults */
   Options def;
   Options_init(&def);
   assert_int_equal(p.target.setup.knobs.dispatch_cost_ns, 0);
   assert_int_equal(p.target.setup.knobs.stage_cost_ns[STAGE_FEATURE], 0);
   assert_int_equal(p.target.setup.knobs.batch, def.setup.knobs.batch);
   assert_int_equal(p.target.setup.sensors, def.setup.sensors);
   assert_false(p.live); /* 8 sensors -> 64 */
}

static void plan__a_replay_keeps_what_the_file_decides(void** state) {
   (void)state;
   Calibration cal = fake_calibration();
   Options o;
   options_for(&o, &cal, (const char* const[]){"--scenario", "none", NULL});
   Knobs k;
   knobs_for(&k, &o);
   ScenarioPlan p;
   ScenarioPlan_make(&p, SCENARIO_BATCHING, &cal, &o, &k, true);
   assert_true(p.replay);
   /* batching's 8 sensors and steady arrival do not apply to a file: the rest applies live */
   assert_true(p.live);
   assert_string_equal(p.restart, "");
   assert_null(strstr(p.changes, "rate"));
   assert_non_null(strstr(p.changes, "batch 256 -> 1"));
   assert_non_null(strstr(p.changes, "dispatch cost"));
   /* the lecture's window would come from the file too */
   ScenarioPlan_make(&p, SCENARIO_LECTURE, &cal, &o, &k, true);
   assert_null(strstr(p.changes, "window"));
   assert_null(strstr(p.changes, "burst"));
   /* the memory cap still needs a restart */
   ScenarioPlan_make(&p, SCENARIO_OVERFLOW, &cal, &o, &k, true);
   assert_false(p.live);
   /* the overflow cap is one second of its arrivals: twice the naive capacity of 1 / 2600 ns */
   char cap[16], want[64];
   Units_formatCount(cap, sizeof cap, (double)(uint64_t)(2e9 / Calibration_total(&cal, VARIANT_NAIVE)));
   snprintf(want, sizeof want, "memory cap 4.00M rec -> %s rec", cap);
   assert_non_null(strstr(p.restart, want));
}

static void command__replaces_the_scenario_and_quotes(void** state) {
   (void)state;
   char b[256];
   const char* a1[] = {"./src/keepup", "--scenario", "lecture", "--every", "1s", "--record", "my file.csv"};
   ScenarioPlan_command(b, sizeof b, a1, 7, SCENARIO_AMDAHL);
   assert_string_equal(b, "./src/keepup --every 1s --record 'my file.csv' --scenario amdahl");
   const char* a2[] = {"keepup", "--scenario=batching", "--stage-cost", "feature=600us"};
   ScenarioPlan_command(b, sizeof b, a2, 4, SCENARIO_LAST);
   assert_string_equal(b, "keepup --stage-cost feature=600us --scenario none");
   const char* a3[] = {"keepup", "--output", "it's.csv"};
   ScenarioPlan_command(b, sizeof b, a3, 3, SCENARIO_SKEW);
   assert_string_equal(b, "keepup --output 'it'\\''s.csv' --scenario skew");
   /* no command line known: the program's name */
   ScenarioPlan_command(b, sizeof b, NULL, 0, SCENARIO_THREADS);
   assert_string_equal(b, "keepup --scenario threads");
   /* too small a buffer: cut, still a string, and the length it needs is returned */
   char small[12];
   size_t need = ScenarioPlan_command(small, sizeof small, a1, 7, SCENARIO_AMDAHL);
   assert_int_equal(strlen(small), sizeof small - 1);
   assert_int_equal(need, strlen("./src/keepup --every 1s --record 'my file.csv' --scenario amdahl"));
   assert_int_equal(ScenarioPlan_command(NULL, 0, a1, 7, SCENARIO_AMDAHL), need);
}

/* A command line of hundreds of arguments (cut at 1024 bytes, about 128 arguments, before) comes back
 * whole, its --scenario last, from a buffer sized by a first call. */
static void command__a_long_command_line__is_never_cut(void** state) {
   (void)state;
   enum { ARGS = 401 };
   const char* argv[ARGS];
   argv[0] = "keepup";
   for (int i = 1; i < ARGS; i += 2) {
      argv[i] = "--batch";
      argv[i + 1] = "4096";
   }
   size_t need = ScenarioPlan_command(NULL, 0, argv, ARGS, SCENARIO_SKEW);
   char* b = malloc(need + 1);
   assert_int_equal(ScenarioPlan_command(b, need + 1, argv, ARGS, SCENARIO_SKEW), need);
   assert_int_equal(strlen(b), need);
   assert_true(need > 2500);
   assert_string_equal(b + need - strlen(" --batch 4096 --scenario skew"), " --batch 4096 --scenario skew");
   free(b);
}

int main(void) {
   const struct CMUnitTest tests[] = {
       cmocka_unit_test(plan__the_scenario_in_force_changes_nothing),
       cmocka_unit_test(plan__reverts_the_knobs_the_user_turned),
       cmocka_unit_test(plan__arrival_and_sensors_need_a_restart),
       cmocka_unit_test(plan__the_simulator_switches_everything_in_a_new_pipeline),
       cmocka_unit_test(plan__options_given_on_the_command_line_stay),
       cmocka_unit_test(plan__nothing_is_left_behind_by_the_previous_scenario),
       cmocka_unit_test(plan__a_replay_keeps_what_the_file_decides),
       cmocka_unit_test(command__replaces_the_scenario_and_quotes),
       cmocka_unit_test(command__a_long_command_line__is_never_cut),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
