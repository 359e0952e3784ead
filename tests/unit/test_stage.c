/*
 * test_stage.c: the six stages (src/stage*.c). Known answers for each stage
 * on hand-computed inputs; then naive and optimized run side by side over
 * long random streams (interleaved sensors, NaN, infinities, values out of
 * range, large offsets), alone and switching variants batch by batch, and
 * must give identical rows, alerts and --output text, bit for bit (the
 * feature stage's two variants compute the same exact sums and round them
 * once: src/exact.h); then the live window change, correct rounding, the
 * fallback for values out of the exact range, and 10^7 records of 1e6 +- 1.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/boxed.h"
#include "core/record.h"
#include "core/stages/chain.h"
#include "core/stages/stage.h"
#include "core/stages/stage_impl.h"

/* ---- helpers ------------------------------------------------------------ */

static const Variant all_naive[STAGE_LAST] = {VARIANT_NAIVE, VARIANT_NAIVE, VARIANT_NAIVE,
                                              VARIANT_NAIVE, VARIANT_NAIVE, VARIANT_NAIVE};
static const Variant all_optimized[STAGE_LAST] = {VARIANT_OPTIMIZED, VARIANT_OPTIMIZED, VARIANT_OPTIMIZED,
                                                  VARIANT_OPTIMIZED, VARIANT_OPTIMIZED, VARIANT_OPTIMIZED};

static PipelineParams test_params(uint32_t id_space, uint32_t window, double threshold) {
   return (PipelineParams){
      .id_space = id_space,
      .valid_lo = -INFINITY,
      .valid_hi = INFINITY,
      .window = window,
      .threshold = threshold,
      .cache_capacity = 16,
      .enrich_work = 2,
   };
}

typedef struct TestRng {
   uint64_t s;
} TestRng;

static uint64_t rng_next(TestRng* r) {
   uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
   z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
   z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
   return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_unit(TestRng* r) {
   return (double)(rng_next(r) >> 11) * 0x1p-53;
}

/* Roughly normal, mean 0, std 1 (sum of 4 uniforms). */
static double rng_gauss(TestRng* r) {
   return (rng_unit(r) + rng_unit(r) + rng_unit(r) + rng_unit(r) - 2.0) * sqrt(3.0);
}

/* A batch of records (sensor, value); event times 1 ms apart from t. */
static Batch* test_batch(const uint32_t* sensors, const double* values, uint32_t n, int64_t t) {
   Batch* b = Batch_new(n ? n : 1, 0);
   for (uint32_t i = 0; i < n; i++)
      /* the arrival is far from the event time: the output must carry the event time */
      b->rec[i] = (Record){.t_event = t + (int64_t)i * 1000000,
                           .t_arrival = INT64_C(987654321000) + t + (int64_t)i * 7,
                           .value = values[i],
                           .sensor = sensors[i],
                           .seq = i};
   b->n = n;
   return b;
}

/* Runs one batch with every stage in variant v on a fresh pipeline and work. */
typedef struct Fixture {
   Pipeline* p;
   Work w;
} Fixture;

static void fixture_open(Fixture* f, const PipelineParams* params) {
   f->p = Pipeline_new(params);
   Work_init(&f->w, f->p);
}

static void fixture_close(Fixture* f) {
   Work_done(&f->w);
   Pipeline_delete(f->p);
}

/* Feeds norms of one sensor through feature (and score), one row per batch. */
static Row test_featureStep(Fixture* f, uint32_t sensor, double norm, Variant v) {
   Batch* b = test_batch(&sensor, &norm, 1, 0);
   Work_begin(&f->w, f->p, 1);
   Stage_table[STAGE_FILTER].run[v](f->p, &f->w, b);
   Stage_table[STAGE_NORMALIZE].run[v](f->p, &f->w, b);
   Stage_table[STAGE_FEATURE].run[v](f->p, &f->w, b);
   Stage_table[STAGE_SCORE].run[v](f->p, &f->w, b);
   assert_int_equal(f->w.nrows, 1);
   Row row = f->w.rows[0];
   Batch_delete(b);
   return row;
}

/* a and b are the same double, bit for bit (NaN included). */
static bool same_bits(double a, double b) {
   return memcmp(&a, &b, sizeof a) == 0;
}

/* ---- table -------------------------------------------------------------- */

static void table__every_stage__has_a_name_and_two_variants(void** state) {
   (void)state;
   for (int s = 0; s < STAGE_LAST; s++) {
      assert_non_null(Stage_table[s].name);
      assert_non_null(Stage_table[s].naive);
      assert_non_null(Stage_table[s].optimized);
      assert_non_null(Stage_table[s].run[VARIANT_NAIVE]);
      assert_non_null(Stage_table[s].run[VARIANT_OPTIMIZED]);
      assert_ptr_not_equal(Stage_table[s].run[VARIANT_NAIVE], Stage_table[s].run[VARIANT_OPTIMIZED]);
      assert_int_equal(Stage_byName(Stage_table[s].name), s);
   }
   assert_int_equal(Stage_byName("feature"), STAGE_FEATURE);
   assert_int_equal(Stage_byName("nope"), -1);
   assert_int_equal(Stage_byName(""), -1);
   assert_string_equal(Variant_name(VARIANT_NAIVE), "naive");
   assert_string_equal(Variant_name(VARIANT_OPTIMIZED), "optimized");
}

/* ---- filter ------------------------------------------------------------- */

static void filter__known_answer__keeps_allowed_finite_in_range_in_batch_order(void** state) {
   (void)state;
   const uint32_t allow[] = {7, 3, 7};
   const uint32_t sensors[] = {3, 5, 7, 7, 3, 5, 99, 7, 7, 3, 4};
   const double values[] = {1.0, 1.0, NAN, INFINITY, 200.0, NAN, 1.0, -100.0, 100.0, -INFINITY, 0.0};
   /* kept:                  yes  no-a  no-f no-f    no-r   no-a no-a yes     yes    no-f      no-a */
   for (int v = 0; v < VARIANT_LAST; v++) {
      PipelineParams params = test_params(16, 4, 4);
      params.allow = allow;
      params.n_allow = 3;
      params.valid_lo = -100;
      params.valid_hi = 100;
      Fixture f;
      fixture_open(&f, &params);
      Batch* b = test_batch(sensors, values, 11, 0);
      Work_begin(&f.w, f.p, b->n);
      Stage_table[STAGE_FILTER].run[v](f.p, &f.w, b);
      assert_int_equal(f.w.nrows, 3);
      assert_int_equal(f.w.rows[0].rec.sensor, 3);
      assert_int_equal(f.w.rows[0].rec.seq, 0);
      assert_int_equal(f.w.rows[1].rec.seq, 7);
      assert_float_equal(f.w.rows[1].rec.value, -100.0, 0);
      assert_int_equal(f.w.rows[2].rec.seq, 8);
      assert_int_equal(f.w.filtered[FILTER_NOT_ALLOWED], 4);
      assert_int_equal(f.w.filtered[FILTER_NOT_FINITE], 3);
      assert_int_equal(f.w.filtered[FILTER_OUT_OF_RANGE], 1);
      /* counts are cumulative across batches */
      Work_begin(&f.w, f.p, b->n);
      Stage_table[STAGE_FILTER].run[v](f.p, &f.w, b);
      assert_int_equal(f.w.nrows, 3);
      assert_int_equal(f.w.filtered[FILTER_NOT_ALLOWED], 8);
      Batch_delete(b);
      fixture_close(&f);
   }
}

static void filter__no_allowlist__allows_every_sensor_of_the_id_space(void** state) {
   (void)state;
   const uint32_t sensors[] = {0, 15, 16, UINT32_MAX};
   const double values[] = {1, 2, 3, 4};
   for (int v = 0; v < VARIANT_LAST; v++) {
      PipelineParams params = test_params(16, 4, 4);
      Fixture f;
      fixture_open(&f, &params);
      Batch* b = test_batch(sensors, values, 4, 0);
      Work_begin(&f.w, f.p, b->n);
      Stage_table[STAGE_FILTER].run[v](f.p, &f.w, b);
      assert_int_equal(f.w.nrows, 2);
      assert_int_equal(f.w.filtered[FILTER_NOT_ALLOWED], 2); /* ids outside the id space */
      Batch_delete(b);
      fixture_close(&f);
   }
}

static void filter__empty_allowlist__allows_nothing(void** state) {
   (void)state;
   const uint32_t none[1] = {0};
   const uint32_t sensors[] = {0, 1};
   const double values[] = {1, 2};
   for (int v = 0; v < VARIANT_LAST; v++) {
      PipelineParams params = test_params(16, 4, 4);
      params.allow = none;
      params.n_allow = 0;
      Fixture f;
      fixture_open(&f, &params);
      Batch* b = test_batch(sensors, values, 2, 0);
      Work_begin(&f.w, f.p, b->n);
      Stage_table[STAGE_FILTER].run[v](f.p, &f.w, b);
      assert_int_equal(f.w.nrows, 0);
      assert_int_equal(f.w.filtered[FILTER_NOT_ALLOWED], 2);
      Batch_delete(b);
      fixture_close(&f);
   }
}

/* ---- normalize ---------------------------------------------------------- */

static void normalize__known_answer__applies_the_first_calibration_entry(void** state) {
   (void)state;
   const CalEntry cal[] = {{1, 10.0, 2.0}, {2, -1.0, 0.5}, {1, 0.0, 100.0}, {40, 5.0, 5.0}};
   const uint32_t sensors[] = {1, 2, 3, 1};
   const double values[] = {13.0, 3.0, 7.25, -10.0};
   const double expect[] = {6.0, 2.0, 7.25, -40.0};
   for (int v = 0; v < VARIANT_LAST; v++) {
      PipelineParams params = test_params(16, 4, 4);
      params.cal = cal;
      params.n_cal = 4;
      Fixture f;
      fixture_open(&f, &params);
      Batch* b = test_batch(sensors, values, 4, 0);
      Work_begin(&f.w, f.p, b->n);
      Stage_table[STAGE_FILTER].run[v](f.p, &f.w, b);
      Stage_table[STAGE_NORMALIZE].run[v](f.p, &f.w, b);
      for (int i = 0; i < 4; i++)
         assert_float_equal(f.w.rows[i].norm, expect[i], 0);
      Batch_delete(b);
      fixture_close(&f);
   }
}

/* ---- enrich ------------------------------------------------------------- */

static void enrich__meta__is_deterministic_and_depends_on_sensor_and_work(void** state) {
   (void)state;
   assert_int_equal(Stage_enrichMeta(5, 10), Stage_enrichMeta(5, 10));
   assert_int_not_equal(Stage_enrichMeta(5, 10), Stage_enrichMeta(6, 10));
   assert_int_not_equal(Stage_enrichMeta(5, 10), Stage_enrichMeta(5, 11));
}

static void enrich__optimized__caches_with_lru_and_counts_hits_and_misses(void** state) {
   (void)state;
   const uint32_t sensors[] = {1, 2, 1, 3, 2, 2};
   const double values[] = {0, 0, 0, 0, 0, 0};
   PipelineParams params = test_params(16, 4, 4);
   params.cache_capacity = 2;
   params.enrich_work = 7;
   Fixture f;
   fixture_open(&f, &params);
   Batch* b = test_batch(sensors, values, 6, 0);
   Work_begin(&f.w, f.p, b->n);
   Stage_filterOptimized(f.p, &f.w, b);
   Stage_enrichOptimized(f.p, &f.w, b);
   /* 1 miss, 2 miss, 1 hit, 3 miss (evicts 2), 2 miss (evicts 1), 2 hit */
   assert_int_equal(f.w.cache_hits, 2);
   assert_int_equal(f.w.cache_misses, 4);
   for (int i = 0; i < 6; i++)
      assert_int_equal(f.w.rows[i].meta, Stage_enrichMeta(sensors[i], 7));
   /* the naive variant computes the same words and touches no counter */
   Work_begin(&f.w, f.p, b->n);
   Stage_filterNaive(f.p, &f.w, b);
   Stage_enrichNaive(f.p, &f.w, b);
   for (int i = 0; i < 6; i++)
      assert_int_equal(f.w.rows[i].meta, Stage_enrichMeta(sensors[i], 7));
   assert_int_equal(f.w.cache_hits + f.w.cache_misses, 6);
   Batch_delete(b);
   fixture_close(&f);
}

/* ---- feature ------------------------------------------------------------ */

static void feature__window_fill_up__uses_fewer_records(void** state) {
   (void)state;
   const double norms[] = {1, 2, 3, 4, 5};
   const uint32_t n_window[] = {0, 1, 2, 3, 3};
   const double mean[] = {0, 1, 1.5, 2, 3};
   const double std[] = {0, 0, 0.5, sqrt(2.0 / 3.0), sqrt(2.0 / 3.0)};
   for (int v = 0; v < VARIANT_LAST; v++) {
      PipelineParams params = test_params(4, 3, 100);
      Fixture f;
      fixture_open(&f, &params);
      for (int i = 0; i < 5; i++) {
         Row r = test_featureStep(&f, 2, norms[i], (Variant)v);
         assert_int_equal(r.n_window, n_window[i]);
         /* exact: the true mean and std rounded once (2/3 is rounded, then its sqrt) */
         assert_true(same_bits(r.mean, mean[i]));
         assert_true(same_bits(r.std, std[i]));
      }
      fixture_close(&f);
   }
}

static void feature__equal_values__give_std_zero_exactly(void** state) {
   (void)state;
   for (int v = 0; v < VARIANT_LAST; v++) {
      PipelineParams params = test_params(4, 4, 1);
      Fixture f;
      fixture_open(&f, &params);
      /* 0.1 + 0.1 + 0.1 is not 0.3 in binary: a plain sum would leave a residue */
      for (int i = 0; i < 6; i++) {
         Row r = test_featureStep(&f, 1, 0.1, (Variant)v);
         if (i > 0) {
            assert_true(r.mean == 0.1);
            assert_true(r.std == 0.0);
            assert_true(r.z == 0.0);
         }
      }
      /* a jump after a constant window: std is 0, so z is 0 and nothing alerts */
      Row r = test_featureStep(&f, 1, 50.0, (Variant)v);
      assert_int_equal(r.n_window, 4);
      assert_true(r.std == 0.0);
      assert_true(r.z == 0.0);
      assert_int_equal(r.alert, 0);
      /* the jump is in the window now */
      r = test_featureStep(&f, 1, 0.1, (Variant)v);
      assert_true(r.std > 0.0);
      fixture_close(&f);
   }
}

static void feature__sensors__keep_separate_windows(void** state) {
   (void)state;
   for (int v = 0; v < VARIANT_LAST; v++) {
      PipelineParams params = test_params(8, 2, 100);
      Fixture f;
      fixture_open(&f, &params);
      const uint32_t sensors[] = {1, 5, 1, 5, 1, 5};
      const double values[] = {10, -1, 20, -3, 30, -5};
      Batch* b = test_batch(sensors, values, 6, 0);
      Pipeline_runAll(f.p, &f.w, b, v ? all_optimized : all_naive);
      assert_int_equal(f.w.rows[4].n_window, 2);
      assert_float_equal(f.w.rows[4].mean, 15.0, 0);
      assert_float_equal(f.w.rows[4].std, 5.0, 0);
      assert_float_equal(f.w.rows[5].mean, -2.0, 0);
      assert_float_equal(f.w.rows[5].std, 1.0, 0);
      Batch_delete(b);
      fixture_close(&f);
   }
}

static void feature__infinite_norm__both_variants_agree_and_recover(void** state) {
   (void)state;
   /* the filter passes only finite values, but a large gain can still overflow the norm */
   const CalEntry cal[] = {{0, 0.0, 1e300}};
   PipelineParams params = test_params(4, 3, 100);
   params.cal = cal;
   params.n_cal = 1;
   Fixture f[2];
   fixture_open(&f[0], &params);
   fixture_open(&f[1], &params);
   const double values[] = {1e-300, 2e-300, 1e10, 4e-300, 5e-300, 7e-300, 6e-300, 8e-300, 1e-300, 3e-300};
   for (int i = 0; i < 10; i++) {
      Row a = test_featureStep(&f[0], 0, values[i], VARIANT_NAIVE);
      Row b = test_featureStep(&f[1], 0, values[i], VARIANT_OPTIMIZED);
      assert_true(i != 2 || isinf(a.norm));
      assert_true(i < 3 || i > 5 || isnan(a.std)); /* the infinity is in the window */
      assert_true(same_bits(a.mean, b.mean));
      assert_true(same_bits(a.std, b.std));
      assert_true(same_bits(a.z, b.z));
      if (i >= 6) { /* the infinity has left the window */
         assert_true(isfinite(b.mean));
         assert_true(isfinite(b.std));
      }
   }
   fixture_close(&f[0]);
   fixture_close(&f[1]);
}

static void feature__window_change__keeps_the_newest_values(void** state) {
   (void)state;
   for (int v = 0; v < VARIANT_LAST; v++) {
      PipelineParams params = test_params(4, 5, 100);
      Fixture f;
      fixture_open(&f, &params);
      for (int i = 1; i <= 5; i++)
         test_featureStep(&f, 3, i, (Variant)v); /* window: 1 2 3 4 5 */
      Pipeline_setWindow(f.p, 3);
      assert_int_equal(Pipeline_window(f.p), 3);
      Row r = test_featureStep(&f, 3, 6, (Variant)v); /* window 3 4 5 */
      assert_int_equal(r.n_window, 3);
      assert_float_equal(r.mean, 4.0, 0);
      Pipeline_setWindow(f.p, 6);
      r = test_featureStep(&f, 3, 7, (Variant)v); /* window 4 5 6, then fills up again */
      assert_int_equal(r.n_window, 3);
      assert_float_equal(r.mean, 5.0, 0);
      r = test_featureStep(&f, 3, 8, (Variant)v);
      assert_int_equal(r.n_window, 4);
      assert_float_equal(r.mean, 5.5, 0);
      /* only the sensor seen got a ring */
      assert_non_null(f.p->sensor[3].ring);
      assert_null(f.p->sensor[0].ring);
      assert_null(f.p->sensor[2].ring);
      fixture_close(&f);
   }
}

static void feature__window_knob__is_clamped_and_read_per_batch(void** state) {
   (void)state;
   PipelineParams params = test_params(4, 5, 100);
   Fixture f;
   fixture_open(&f, &params);
   Pipeline_setWindow(f.p, 0);
   assert_int_equal(Pipeline_window(f.p), 1);
   Pipeline_setWindow(f.p, KEEPUP_WINDOW_MAX + 1);
   assert_int_equal(Pipeline_window(f.p), KEEPUP_WINDOW_MAX);
   Pipeline_setWindow(f.p, 42);
   assert_int_equal(f.w.window, 5); /* until the next batch starts */
   Work_begin(&f.w, f.p, 1);
   assert_int_equal(f.w.window, 42);
   fixture_close(&f);
}

/* ---- score -------------------------------------------------------------- */

static void score__known_answer__alerts_only_on_a_full_window(void** state) {
   (void)state;
   for (int v = 0; v < VARIANT_LAST; v++) {
      PipelineParams params = test_params(8, 2, 2.0);
      Fixture f;
      fixture_open(&f, &params);
      Row r = test_featureStep(&f, 6, 0, (Variant)v);
      assert_true(r.z == 0); /* empty window */
      r = test_featureStep(&f, 6, 100, (Variant)v);
      assert_true(r.z == 0); /* std 0 */
      assert_int_equal(r.alert, 0);
      r = test_featureStep(&f, 6, 50, (Variant)v); /* window 0 100: mean 50, std 50 */
      assert_float_equal(r.z, 0.0, 0);
      r = test_featureStep(&f, 6, 1000, (Variant)v); /* window 100 50: mean 75, std 25 */
      assert_float_equal(r.z, 37.0, 0);
      assert_int_equal(r.alert, 1);
      assert_int_equal(f.w.nalerts, 1);
      assert_int_equal(f.w.alerts[0].sensor, 6);
      assert_float_equal(f.w.alerts[0].z, 37.0, 0);
      assert_float_equal(f.w.alerts[0].value, 1000.0, 0);
      assert_int_equal(f.w.alerts[0].t_raised, 0);
      r = test_featureStep(&f, 6, 1000 - 1900, (Variant)v); /* window 50 1000: mean 525, std 475: z = -3 */
      assert_float_equal(r.z, -3.0, 0);
      assert_int_equal(r.alert, 1);
      assert_int_equal(Pipeline_sensorAlerts(f.p, 6), 2);
      assert_int_equal(Pipeline_sensorAlerts(f.p, 5), 0);
      assert_int_equal(Pipeline_sensorAlerts(f.p, 1000), 0);
      fixture_close(&f);
   }
}

static void score__z_equal_to_threshold__alerts(void** state) {
   (void)state;
   for (int v = 0; v < VARIANT_LAST; v++) {
      PipelineParams params = test_params(8, 2, 3.0);
      Fixture f;
      fixture_open(&f, &params);
      test_featureStep(&f, 1, 1, (Variant)v);
      test_featureStep(&f, 1, 3, (Variant)v);      /* window 1 3: mean 2, std 1 */
      Row r = test_featureStep(&f, 1, 5, (Variant)v); /* z = 3 */
      assert_float_equal(r.z, 3.0, 0);
      assert_int_equal(r.alert, 1);
      r = test_featureStep(&f, 1, 5.5, (Variant)v); /* window 3 5: mean 4, std 1: z = 1.5 */
      assert_int_equal(r.alert, 0);
      fixture_close(&f);
   }
}

/* ---- format ------------------------------------------------------------- */

static void format__known_answer__writes_the_csv_lines(void** state) {
   (void)state;
   for (int v = 0; v < VARIANT_LAST; v++) {
      PipelineParams params = test_params(8, 2, 2.0);
      const CalEntry cal[] = {{3, 0.5, 2.0}};
      params.cal = cal;
      params.n_cal = 1;
      Fixture f;
      fixture_open(&f, &params);
      const uint32_t sensors[] = {3, 3, 3, 3};
      const double values[] = {2.5, 1.0, -1.25, 100};
      Batch* b = test_batch(sensors, values, 4, INT64_C(1500000000));
      Pipeline_runAll(f.p, &f.w, b, v ? all_optimized : all_naive);
      /* norms 4, 1, -3.5, 199; windows of 2 */
      assert_string_equal(f.w.out.buf, "1.5,3,2.5,4,0,0,0,0\n"
                                       "1.501,3,1,1,4,0,0,0\n"
                                       "1.502,3,-1.25,-3.5,2.5,1.5,-4,1\n"
                                       "1.503,3,100,199,-1.25,2.25,89,1\n");
      assert_int_equal(f.w.out.len, strlen(f.w.out.buf));
      Batch_delete(b);
      fixture_close(&f);
   }
}

static void format__names__are_quoted_as_rfc4180_asks(void** state) {
   (void)state;
   const char* names[] = {"plain", "a,b", "say \"hi\"", NULL};
   for (int v = 0; v < VARIANT_LAST; v++) {
      PipelineParams params = test_params(4, 2, 2.0);
      params.names = names;
      Fixture f;
      fixture_open(&f, &params);
      const uint32_t sensors[] = {0, 1, 2, 3};
      const double values[] = {1, 2, 3, 4};
      Batch* b = test_batch(sensors, values, 4, 0);
      Pipeline_runAll(f.p, &f.w, b, v ? all_optimized : all_naive);
      assert_string_equal(f.w.out.buf, "0,plain,1,1,0,0,0,0\n"
                                       "0.001,\"a,b\",2,2,0,0,0,0\n"
                                       "0.002,\"say \"\"hi\"\"\",3,3,0,0,0,0\n"
                                       "0.003,3,4,4,0,0,0,0\n");
      assert_string_equal(Pipeline_params(f.p)->names[2], "say \"hi\"");
      Batch_delete(b);
      fixture_close(&f);
   }
}

/* A replay names sensors as it meets them: the table grows while the run goes on, and is not copied. */
static void format__names_that_grow__are_read_when_their_sensor_first_shows(void** state) {
   (void)state;
   const char* names[5] = {"first", NULL, NULL, NULL, NULL};
   for (int v = 0; v < VARIANT_LAST; v++) {
      PipelineParams params = test_params(4, 2, 2.0);
      params.names = names;
      params.names_grow = true;
      names[1] = NULL;
      Fixture f;
      fixture_open(&f, &params);
      names[1] = "second, later"; /* named after the pipeline was made, before its first record */
      const uint32_t sensors[] = {0, 1};
      const double values[] = {1, 2};
      Batch* b = test_batch(sensors, values, 2, INT64_C(1404172800000000000));
      Pipeline_runAll(f.p, &f.w, b, v ? all_optimized : all_naive);
      assert_string_equal(f.w.out.buf, "1404172800,first,1,1,0,0,0,0\n"
                                       "1404172800.001,\"second, later\",2,2,0,0,0,0\n");
      Batch_delete(b);
      fixture_close(&f);
   }
}

static void format__header__names_the_columns(void** state) {
   (void)state;
   PipelineParams params = test_params(4, 2, 2.0);
   Pipeline* p = Pipeline_new(&params);
   OutBuf out = {0};
   Pipeline_formatHeader(p, &out);
   assert_string_equal(out.buf, "time_s,sensor,value,norm,mean,std,z,alert\n");
   assert_int_equal(out.len, strlen(out.buf));
   free(out.buf);
   Pipeline_delete(p);
}

/* --output-time iso: a time_iso column after time_s, the same in both variants; time_s unchanged. */
static void format__time_iso__adds_the_date_or_the_duration(void** state) {
   (void)state;
   static const struct {
      PipelineTimeIso iso;
      int64_t t;
      const char* want;
   } cases[] = {
      {PIPELINE_ISO_DATE, INT64_C(1577836800250000000),
       "time_s,time_iso,sensor,value,norm,mean,std,z,alert\n"
       "1577836800.25,2020-01-01T00:00:00.25Z,1,7,7,0,0,0,0\n1577836800.251,2020-01-01T00:00:00.251Z,1,8,8,7,0,0,0\n"},
      {PIPELINE_ISO_DURATION, INT64_C(12000000000),
       "time_s,time_iso,sensor,value,norm,mean,std,z,alert\n"
       "12,PT12S,1,7,7,0,0,0,0\n12.001,PT12.001S,1,8,8,7,0,0,0\n"},
   };
   for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
      for (int v = 0; v < VARIANT_LAST; v++) {
         PipelineParams params = test_params(4, 2, 2.0);
         params.time_iso = cases[c].iso;
         Fixture f;
         fixture_open(&f, &params);
         const uint32_t sensors[] = {1, 1};
         const double values[] = {7, 8};
         Batch* b = test_batch(sensors, values, 2, cases[c].t);
         Work_begin(&f.w, f.p, 2);
         Pipeline_formatHeader(f.p, &f.w.out);
         for (int s = 0; s < STAGE_LAST; s++)
            Stage_table[s].run[v](f.p, &f.w, b);
         assert_string_equal(f.w.out.buf, cases[c].want);
         assert_true(strlen(f.w.out.buf) <= 2 * Pipeline_lineMax(f.p));
         Batch_delete(b);
         fixture_close(&f);
      }
   }
}

static void format__appends__to_the_text_already_there(void** state) {
   (void)state;
   for (int v = 0; v < VARIANT_LAST; v++) {
      PipelineParams params = test_params(4, 2, 2.0);
      Fixture f;
      fixture_open(&f, &params);
      const uint32_t sensors[] = {1};
      const double values[] = {7};
      Batch* b = test_batch(sensors, values, 1, 0);
      Work_begin(&f.w, f.p, 1);
      Pipeline_formatHeader(f.p, &f.w.out);
      for (int s = 0; s < STAGE_LAST; s++)
         Stage_table[s].run[v](f.p, &f.w, b);
      assert_string_equal(f.w.out.buf, "time_s,sensor,value,norm,mean,std,z,alert\n0,1,7,7,0,0,0,0\n");
      Batch_delete(b);
      fixture_close(&f);
   }
}

/* ---- equivalence over long random streams --------------------------------- */

#define EQ_IDS 300u
#define EQ_SENSORS 240u /* sensors that emit; some ids >= EQ_IDS too */

/* A random stream: per-sensor baselines up to +-1e6 with noise scales from 0
 * (constant sensors) to 1e3, spikes, NaN, infinities, values out of range,
 * and now and then a sensor id outside the id space. */
typedef struct Stream {
   TestRng rng;
   double base[EQ_SENSORS];
   double scale[EQ_SENSORS];
   uint32_t seq[EQ_SENSORS];
   int64_t t;
} Stream;

static void stream_init(Stream* s, uint64_t seed) {
   s->rng.s = seed;
   for (uint32_t i = 0; i < EQ_SENSORS; i++) {
      s->base[i] = (rng_unit(&s->rng) - 0.5) * 2e6;
      s->scale[i] = i % 17 == 0 ? 0.0 : pow(10.0, rng_unit(&s->rng) * 6 - 3);
      s->seq[i] = 0;
   }
   s->t = INT64_C(5000000000);
}

static Record stream_next(Stream* s) {
   TestRng* r = &s->rng;
   uint32_t i = (uint32_t)(rng_next(r) % EQ_SENSORS);
   uint32_t sensor = i * 5 / 4; /* ids 0..299, with gaps */
   double u = rng_unit(r);
   double value;
   if (u < 0.004)
      value = NAN;
   else if (u < 0.006)
      value = INFINITY;
   else if (u < 0.008)
      value = -INFINITY;
   else if (u < 0.012)
      value = s->base[i] + (u < 0.01 ? 3e9 : -3e9); /* out of range */
   else if (u < 0.03)
      value = s->base[i] + s->scale[i] * (u < 0.02 ? 25.0 : -40.0); /* spikes: alerts */
   else
      value = s->base[i] + s->scale[i] * rng_gauss(r);
   if (rng_next(r) % 997 == 0)
      sensor = EQ_IDS + 7;
   s->t += 1000;
   return (Record){.t_arrival = s->t, .value = value, .sensor = sensor, .seq = s->seq[i]++};
}

/* Values that test the feature stage's exact arithmetic, by sensor kind:
 * large offsets with small noise (1e6 +- 1, -1e6 +- 1, 1e9 + multiples of
 * its last bit, 1e12 +- 1e-3), values below the exact grid (1e-9 noise
 * around 0, rounded to multiples of 2^-64), noise crossing zero, constants,
 * values beyond the exact range (3e13, and now and then 2e13 in a sensor
 * otherwise in range), and NaN and infinities for the filter. */
static Record stream_nextWide(Stream* s) {
   TestRng* r = &s->rng;
   uint32_t i = (uint32_t)(rng_next(r) % EQ_SENSORS);
   double u = rng_unit(r) * 2.0 - 1.0, value;
   switch (i % 8) {
   case 0:
      value = 1e6 + u;
      break;
   case 1:
      value = -1e6 + u;
      break;
   case 2:
      value = 1e9 + (double)(rng_next(r) % 64) * 0x1p-23;
      break;
   case 3:
      value = 1e12 + u * 1e-3;
      break;
   case 4:
      value = u * 1e-9;
      break;
   case 5:
      value = rng_gauss(r) * (1.0 + i);
      break;
   case 6:
      value = rng_next(r) % 50 ? 42.5 : 43.5;
      break;
   default:
      value = 3e13 + u * 1e3;
      break;
   }
   uint64_t odd = rng_next(r) % 1000;
   if (odd == 0)
      value = 2e13; /* beyond the exact range for a while */
   else if (odd == 1)
      value = NAN;
   else if (odd == 2)
      value = -INFINITY;
   s->t += 1000;
   return (Record){.t_arrival = s->t, .value = value, .sensor = i * 5 / 4, .seq = s->seq[i]++};
}

static PipelineParams eq_params(uint32_t* allow, CalEntry* cal, uint32_t window) {
   PipelineParams params = test_params(EQ_IDS, window, 3.0);
   /* 2/3 of the ids allowed, in shuffled order; calibration with large offsets for half */
   uint32_t n = 0;
   for (uint32_t id = 0; id < EQ_IDS; id++)
      if (id % 3 != 1)
         allow[n++] = (id * 7919u) % EQ_IDS;
   params.allow = allow;
   params.n_allow = n;
   uint32_t nc = 0;
   for (uint32_t id = 0; id < EQ_IDS; id += 2)
      cal[nc++] = (CalEntry){(id * 31u) % EQ_IDS, (id % 5) * 1e5 - 2e5, id % 3 ? 0.5 : 3.0};
   params.cal = cal;
   params.n_cal = nc;
   params.valid_lo = -1e9;
   params.valid_hi = 1e9;
   params.cache_capacity = 64;
   params.enrich_work = 1;
   return params;
}

/* What a run produced, batch after batch, kept for comparison. */
typedef struct Outcome {
   Row* rows;
   size_t nrows, cap;
   Alert* alerts;
   size_t nalerts, alerts_cap;
   uint64_t filtered[FILTER_LAST];
   char* text;
   size_t len;
   uint64_t sensor_alerts[EQ_IDS];
   uint64_t cache_hits, cache_misses;
   bool rows_kept; /* false when a batch went through the fused loop, which keeps no rows */
} Outcome;

static void outcome_add(Outcome* o, const Work* w, bool rows_kept) {
   o->rows_kept &= rows_kept;
   if (o->nrows + w->nrows + 1 > o->cap) {
      o->cap = (o->nrows + w->nrows) * 2;
      o->rows = realloc(o->rows, o->cap * sizeof(Row));
   }
   if (w->nrows)
      memcpy(o->rows + o->nrows, w->rows, w->nrows * sizeof(Row));
   o->nrows += w->nrows;
   if (o->nalerts + w->nalerts > o->alerts_cap) {
      o->alerts_cap = (o->nalerts + w->nalerts) * 2 + 1;
      o->alerts = realloc(o->alerts, o->alerts_cap * sizeof(Alert));
   }
   if (w->nalerts)
      memcpy(o->alerts + o->nalerts, w->alerts, w->nalerts * sizeof(Alert));
   o->nalerts += w->nalerts;
   o->text = realloc(o->text, o->len + w->out.len + 1);
   memcpy(o->text + o->len, w->out.buf, w->out.len + 1);
   o->len += w->out.len;
}

static void outcome_free(Outcome* o) {
   free(o->rows);
   free(o->alerts);
   free(o->text);
}

/* Runs the stream through a fresh pipeline; choose(batch, stage) picks the variant. */
typedef Variant (*Chooser)(uint32_t batch, int stage, TestRng* rng);

static Variant choose_naive(uint32_t batch, int stage, TestRng* rng) {
   (void)batch, (void)stage, (void)rng;
   return VARIANT_NAIVE;
}

static Variant choose_optimized(uint32_t batch, int stage, TestRng* rng) {
   (void)batch, (void)stage, (void)rng;
   return VARIANT_OPTIMIZED;
}

static Variant choose_random(uint32_t batch, int stage, TestRng* rng) {
   (void)batch, (void)stage;
   return (Variant)(rng_next(rng) & 1);
}

/* Every stage switches at random, except feature which stays optimized. */
static Variant choose_random_but_feature(uint32_t batch, int stage, TestRng* rng) {
   return stage == STAGE_FEATURE ? VARIANT_OPTIMIZED : choose_random(batch, stage, rng);
}

/* The wide stream's pipeline: every sensor allowed, any finite value valid,
 * no calibration but a gain of 1e303 on sensor 0, whose norms (1e6 +- 1) overflow to
 * infinity. */
static PipelineParams eq_paramsWide(CalEntry* cal, uint32_t window) {
   PipelineParams params = test_params(EQ_IDS, window, 3.0);
   cal[0] = (CalEntry){0, 0.0, 1e303};
   params.cal = cal;
   params.n_cal = 1;
   params.cache_capacity = 64;
   params.enrich_work = 1;
   return params;
}

/* --layout boxed: eq_dispatch gives each record of a batch its own object and the stages go through them. */
static bool eq_boxed;

/* The batch pass with the batch's records boxed (f->w.box set): each stage through Boxed_runStage; then each
 * row's object holds the fields the stages derived, bit for bit. */
static void eq_runBoxed(Fixture* f, const Batch* b, const Variant v[STAGE_LAST]) {
   Work_begin(&f->w, f->p, b->n);
   for (int st = 0; st < STAGE_LAST; st++)
      Boxed_runStage(f->p, &f->w, b, (StageId)st, v[st]);
   for (uint32_t j = 0; j < f->w.nrows; j++) {
      uint64_t bits, want;
      assert_true(BoxedRecord_get(f->w.rowbox[j], "z", &bits));
      memcpy(&want, &f->w.rows[j].z, sizeof want);
      assert_int_equal(bits, want);
   }
}

/* One batch through the pipeline in the given dispatch (DISPATCH_LAST: one at random); false: fused. */
static bool eq_dispatchIn(Fixture* f, const Batch* b, const Variant v[STAGE_LAST], Dispatch how, TestRng* pick) {
   if (how == DISPATCH_LAST)
      how = (Dispatch)(rng_next(pick) % DISPATCH_LAST);
   if (how == DISPATCH_BATCH) {
      if (f->w.box)
         eq_runBoxed(f, b, v);
      else
         Pipeline_runAll(f->p, &f->w, b, v);
      return true;
   }
   uint32_t in[STAGE_LAST];
   Work_begin(&f->w, f->p, b->n);
   if (how == DISPATCH_FUSED) {
      assert_true(Chain_runFused(f->p, &f->w, b, in));
      assert_int_equal(in[STAGE_FILTER], b->n);
      return false;
   }
   _Atomic int variant[STAGE_LAST];
   for (int st = 0; st < STAGE_LAST; st++)
      atomic_init(&variant[st], (int)v[st]);
   assert_true(Chain_runRecords(f->p, &f->w, b, variant, in));
   assert_int_equal(in[STAGE_FILTER], b->n);
   assert_int_equal(in[STAGE_FORMAT], f->w.nrows);
   return true;
}

/* eq_dispatchIn, with the records boxed when eq_boxed says so (a new object each, as the source makes). */
static bool eq_dispatch(Fixture* f, const Batch* b, const Variant v[STAGE_LAST], Dispatch how, TestRng* pick) {
   if (!eq_boxed)
      return eq_dispatchIn(f, b, v, how, pick);
   BoxedRecord** box = malloc(((size_t)b->n + 1) * sizeof *box);
   for (uint32_t i = 0; i < b->n; i++)
      box[i] = BoxedRecord_new(&b->rec[i]);
   f->w.box = box;
   bool kept = eq_dispatchIn(f, b, v, how, pick);
   f->w.box = NULL;
   for (uint32_t i = 0; i < b->n; i++)
      BoxedRecord_delete(box[i]);
   free(box);
   return kept;
}

static void eq_runDispatch(Outcome* o, uint32_t n_records, uint32_t window, Chooser choose, const uint32_t* windows,
                           bool wide, Dispatch how) {
   uint32_t allow[EQ_IDS];
   CalEntry cal[EQ_IDS];
   PipelineParams params = wide ? eq_paramsWide(cal, window) : eq_params(allow, cal, window);
   Fixture f;
   fixture_open(&f, &params);
   Stream s;
   stream_init(&s, 77);
   TestRng sizes = {1234}, pick = {99};
   memset(o, 0, sizeof *o);
   o->rows_kept = true;
   Batch* b = Batch_new(300, 0);
   for (uint32_t done = 0, batch = 0; done < n_records; batch++) {
      b->n = 1 + (uint32_t)(rng_next(&sizes) % 300);
      if (b->n > n_records - done)
         b->n = n_records - done;
      for (uint32_t i = 0; i < b->n; i++)
         b->rec[i] = wide ? stream_nextWide(&s) : stream_next(&s);
      done += b->n;
      if (windows)
         Pipeline_setWindow(f.p, windows[batch % 4]);
      Variant v[STAGE_LAST];
      for (int st = 0; st < STAGE_LAST; st++)
         v[st] = choose(batch, st, &pick);
      outcome_add(o, &f.w, eq_dispatch(&f, b, v, how, &pick));
   }
   memcpy(o->filtered, f.w.filtered, sizeof o->filtered);
   o->cache_hits = f.w.cache_hits;
   o->cache_misses = f.w.cache_misses;
   for (uint32_t id = 0; id < EQ_IDS; id++)
      o->sensor_alerts[id] = Pipeline_sensorAlerts(f.p, id);
   Batch_delete(b);
   fixture_close(&f);
}

static void eq_run(Outcome* o, uint32_t n_records, uint32_t window, Chooser choose, const uint32_t* windows,
                   bool wide) {
   eq_runDispatch(o, n_records, window, choose, windows, wide, DISPATCH_BATCH);
}

/* Identical records, decisions, statistics, alerts and text, bit for bit (the rows where both kept them). */
static void eq_compare(const Outcome* a, const Outcome* b) {
   assert_int_equal(a->nrows, b->nrows);
   for (int r = 0; r < FILTER_LAST; r++)
      assert_int_equal(a->filtered[r], b->filtered[r]);
   for (size_t i = 0; i < a->nrows && a->rows_kept && b->rows_kept; i++) {
      const Row* x = &a->rows[i];
      const Row* y = &b->rows[i];
      assert_memory_equal(&x->rec, &y->rec, sizeof(Record));
      assert_true(same_bits(x->norm, y->norm));
      assert_int_equal(x->meta, y->meta);
      assert_int_equal(x->n_window, y->n_window);
      assert_int_equal(x->alert, y->alert);
      if (!same_bits(x->mean, y->mean) || !same_bits(x->std, y->std) || !same_bits(x->z, y->z))
         fail_msg("row %zu sensor %u: mean %a vs %a, std %a vs %a, z %a vs %a", i, x->rec.sensor, x->mean, y->mean,
                  x->std, y->std, x->z, y->z);
   }
   assert_int_equal(a->nalerts, b->nalerts);
   for (size_t i = 0; i < a->nalerts; i++) {
      assert_int_equal(a->alerts[i].sensor, b->alerts[i].sensor);
      assert_int_equal(a->alerts[i].t_arrival, b->alerts[i].t_arrival);
      assert_true(same_bits(a->alerts[i].z, b->alerts[i].z));
   }
   for (uint32_t id = 0; id < EQ_IDS; id++)
      assert_int_equal(a->sensor_alerts[id], b->sensor_alerts[id]);
   assert_int_equal(a->len, b->len);
   assert_memory_equal(a->text, b->text, a->len);
}

static void equivalence__random_stream__naive_and_optimized_agree(void** state) {
   (void)state;
   Outcome naive, optimized;
   eq_run(&naive, 150000, 40, choose_naive, NULL, false);
   eq_run(&optimized, 150000, 40, choose_optimized, NULL, false);
   assert_true(naive.nalerts > 100); /* the stream does raise alerts */
   assert_true(naive.filtered[FILTER_NOT_ALLOWED] > 0 && naive.filtered[FILTER_NOT_FINITE] > 0 &&
               naive.filtered[FILTER_OUT_OF_RANGE] > 0);
   eq_compare(&naive, &optimized);
   outcome_free(&naive);
   outcome_free(&optimized);
}

static void equivalence__format_variants__write_identical_bytes(void** state) {
   (void)state;
   /* the same rows formatted both ways: run optimized, then format the rows again naively */
   uint32_t allow[EQ_IDS];
   CalEntry cal[EQ_IDS];
   PipelineParams params = eq_params(allow, cal, 20);
   Fixture f;
   fixture_open(&f, &params);
   Stream s;
   stream_init(&s, 5);
   Batch* b = Batch_new(4000, 0);
   size_t compared = 0;
   for (int batch = 0; batch < 20; batch++) {
      b->n = 1 + (uint32_t)batch * 199;
      for (uint32_t i = 0; i < b->n; i++)
         b->rec[i] = stream_next(&s);
      Pipeline_runAll(f.p, &f.w, b, all_optimized);
      char* first = strdup(f.w.out.buf);
      size_t len = f.w.out.len;
      f.w.out.len = 0;
      f.w.out.buf[0] = '\0';
      Stage_formatNaive(f.p, &f.w, b);
      assert_int_equal(f.w.out.len, len);
      assert_string_equal(f.w.out.buf, first);
      compared += len;
      free(first);
   }
   assert_true(compared > 100000);
   Batch_delete(b);
   fixture_close(&f);
}

static void switching__variants_every_batch__change_no_result(void** state) {
   (void)state;
   Outcome naive, optimized, mixed, mixed_but_feature;
   eq_run(&naive, 120000, 40, choose_naive, NULL, false);
   eq_run(&optimized, 120000, 40, choose_optimized, NULL, false);
   eq_run(&mixed, 120000, 40, choose_random, NULL, false);
   eq_run(&mixed_but_feature, 120000, 40, choose_random_but_feature, NULL, false);
   eq_compare(&naive, &optimized);
   eq_compare(&naive, &mixed);
   eq_compare(&naive, &mixed_but_feature);
   assert_true(naive.len > 1000000); /* the --output text compared byte for byte */
   outcome_free(&naive);
   outcome_free(&optimized);
   outcome_free(&mixed);
   outcome_free(&mixed_but_feature);
}

/* The record chain (in any variants) and the fused loop give what the stage-by-stage pass gives,
 * dispatch by dispatch and switching dispatch, variants and window at every batch. */
static void dispatch__record_chain_and_fused_loop__agree_with_the_batch_pass(void** state) {
   (void)state;
   const uint32_t windows[4] = {40, 7, 120, 1};
   Outcome batch, record, record_mixed, fused, switching, wide_batch, wide_switching;
   eq_runDispatch(&batch, 120000, 40, choose_optimized, NULL, false, DISPATCH_BATCH);
   eq_runDispatch(&record, 120000, 40, choose_optimized, NULL, false, DISPATCH_RECORD);
   eq_runDispatch(&record_mixed, 120000, 40, choose_random, NULL, false, DISPATCH_RECORD);
   eq_runDispatch(&fused, 120000, 40, choose_naive, NULL, false, DISPATCH_FUSED);
   assert_true(batch.nalerts > 100 && batch.len > 1000000);
   assert_true(batch.rows_kept && record.rows_kept && !fused.rows_kept);
   eq_compare(&batch, &record);
   eq_compare(&batch, &record_mixed);
   eq_compare(&batch, &fused);
   /* the enrich cache sees the same sensors in the same order: the same hits and misses */
   assert_true(batch.cache_hits > 0 && batch.cache_misses > 0);
   assert_int_equal(record.cache_hits, batch.cache_hits);
   assert_int_equal(fused.cache_hits, batch.cache_hits);
   assert_int_equal(fused.cache_misses, batch.cache_misses);
   eq_runDispatch(&switching, 120000, 40, choose_random, windows, false, DISPATCH_LAST);
   outcome_free(&batch);
   eq_runDispatch(&batch, 120000, 40, choose_naive, windows, false, DISPATCH_BATCH);
   eq_compare(&batch, &switching);
   eq_runDispatch(&wide_batch, 60000, 60, choose_optimized, windows, true, DISPATCH_BATCH);
   eq_runDispatch(&wide_switching, 60000, 60, choose_random, windows, true, DISPATCH_LAST);
   eq_compare(&wide_batch, &wide_switching);
   Outcome* all[] = {&batch, &record, &record_mixed, &fused, &switching, &wide_batch, &wide_switching};
   for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
      outcome_free(all[i]);
}

/* --layout boxed: every dispatch, in any variants, switching at every batch, gives what the packed batch
 * pass gives, while each stage gets and puts its fields by name. */
static void boxed__every_dispatch__agrees_with_the_packed_batch_pass(void** state) {
   (void)state;
   const uint32_t windows[4] = {40, 7, 120, 1};
   Outcome packed, batch, record, fused, switching;
   eq_runDispatch(&packed, 60000, 40, choose_naive, windows, false, DISPATCH_BATCH);
   eq_boxed = true;
   eq_runDispatch(&batch, 60000, 40, choose_random, windows, false, DISPATCH_BATCH);
   eq_runDispatch(&record, 60000, 40, choose_random, windows, false, DISPATCH_RECORD);
   eq_runDispatch(&fused, 60000, 40, choose_naive, windows, false, DISPATCH_FUSED);
   eq_runDispatch(&switching, 60000, 40, choose_random, windows, false, DISPATCH_LAST);
   eq_boxed = false;
   assert_true(packed.nalerts > 10 && packed.len > 500000);
   eq_compare(&packed, &batch);
   eq_compare(&packed, &record);
   eq_compare(&packed, &fused);
   eq_compare(&packed, &switching);
   Outcome* all[] = {&packed, &batch, &record, &fused, &switching};
   for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
      outcome_free(all[i]);
}

/* A boxed record's map: its five fields by name, the stages' fields added (the map grows once), its bytes as
 * glibc's chunks; a boxed batch gives its records back and counts its allocations. */
static void boxed__record__keeps_its_fields_by_name_and_counts_its_bytes(void** state) {
   (void)state;
   Record r = {.t_event = -5, .t_arrival = 123456789, .value = 2.5, .sensor = 77, .seq = 4000000000u};
   BoxedRecord* o = BoxedRecord_new(&r);
   assert_int_equal(o->n, 5);
   assert_int_equal(o->cap, BOXED_FIRST_CAP);
   assert_int_equal(BoxedRecord_bytes(o), 32 + 208);
   assert_int_equal(Boxed_queuedBytes(), 32 + 208 + 8);
   Record back = BoxedRecord_record(o);
   assert_memory_equal(&back, &r, sizeof r);
   uint64_t bits;
   assert_false(BoxedRecord_get(o, "norm", &bits));
   const char* derived[] = {"norm", "meta", "mean", "std", "n_window", "z", "alert"};
   for (uint64_t i = 0; i < 7; i++)
      BoxedRecord_put(o, derived[i], i * 3);
   assert_int_equal(o->n, 12);
   assert_int_equal(o->cap, 2 * BOXED_FIRST_CAP);
   assert_int_equal(BoxedRecord_bytes(o), 32 + 400);
   assert_true(BoxedRecord_get(o, "std", &bits));
   assert_int_equal(bits, 9);
   BoxedRecord_put(o, "std", 42); /* a field set again is replaced, not added */
   assert_int_equal(o->n, 12);
   assert_true(BoxedRecord_get(o, "std", &bits));
   assert_int_equal(bits, 42);
   BoxedRecord_delete(o);

   Batch* b = Batch_new(100, 3);
   b->n = 10;
   for (uint32_t i = 0; i < b->n; i++)
      b->rec[i] = (Record){.t_event = i, .t_arrival = 1000 + i, .value = i * 0.5, .sensor = i % 4, .seq = i};
   Record keep[10];
   memcpy(keep, b->rec, sizeof keep);
   Batch* x = Batch_box(b);
   assert_non_null(x->box);
   assert_int_equal(x->n, 10);
   assert_int_equal(x->partition, 3);
   assert_int_equal(Batch_size(x), Batch_bytes(0) + Boxed_chunk(11 * sizeof(BoxedRecord*)) + 10 * (32 + 208));
   assert_true(Batch_size(x) <= Boxed_batchOverhead() + 10 * Boxed_queuedBytes());
   for (uint32_t i = 0; i < x->n; i++) {
      Record y = Batch_record(x, i);
      assert_memory_equal(&y, &keep[i], sizeof y);
   }
   Batch_delete(x);
}

/* The stages read a boxed record's fields from its map, not from the row: a value put in the map between
 * the filter and normalize is the one normalize uses, and normalize's norm is put back by name. */
static void boxed__stages__read_and_write_the_fields_by_name(void** state) {
   (void)state;
   PipelineParams params = test_params(16, 4, 3.0);
   Fixture f;
   fixture_open(&f, &params);
   Batch* b = Batch_new(2, 0);
   b->n = 2;
   b->rec[0] = (Record){.value = 1.0, .sensor = 1, .seq = 1};
   b->rec[1] = (Record){.value = 2.0, .sensor = 2, .seq = 2};
   BoxedRecord* box[2] = {BoxedRecord_new(&b->rec[0]), BoxedRecord_new(&b->rec[1])};
   f.w.box = box;
   Work_begin(&f.w, f.p, b->n);
   Boxed_runStage(f.p, &f.w, b, STAGE_FILTER, VARIANT_OPTIMIZED);
   assert_int_equal(f.w.nrows, 2);
   assert_ptr_equal(f.w.rowbox[1], box[1]);
   double v = 7.0;
   uint64_t bits;
   memcpy(&bits, &v, sizeof bits);
   BoxedRecord_put(box[1], "value", bits);
   Boxed_runStage(f.p, &f.w, b, STAGE_NORMALIZE, VARIANT_OPTIMIZED);
   assert_true(f.w.rows[0].norm == 1.0);
   assert_true(f.w.rows[1].norm == 7.0);
   assert_true(BoxedRecord_get(box[1], "norm", &bits));
   memcpy(&v, &bits, sizeof v);
   assert_true(v == 7.0);
   f.w.box = NULL;
   BoxedRecord_delete(box[0]);
   BoxedRecord_delete(box[1]);
   Batch_delete(b);
   fixture_close(&f);
}

static void switching__window_changes_with_variant_changes__agree(void** state) {
   (void)state;
   const uint32_t windows[4] = {40, 7, 120, 1};
   Outcome naive, mixed;
   eq_run(&naive, 100000, 40, choose_naive, windows, false);
   eq_run(&mixed, 100000, 40, choose_random, windows, false);
   eq_compare(&naive, &mixed);
   outcome_free(&naive);
   outcome_free(&mixed);
}

/* ---- numerical stability -------------------------------------------------- */

static void switching__feature_hard_cases__give_identical_output(void** state) {
   (void)state;
   const uint32_t windows[4] = {60, 5, 300, 1};
   Outcome naive, optimized, mixed, resized;
   eq_run(&naive, 120000, 60, choose_naive, NULL, true);
   eq_run(&optimized, 120000, 60, choose_optimized, NULL, true);
   eq_run(&mixed, 120000, 60, choose_random, NULL, true);
   eq_compare(&naive, &optimized);
   eq_compare(&naive, &mixed);
   /* the stream does reach every path: infinite norms, the double fallback, exact windows */
   size_t inf_norms = 0, fallback = 0, exact = 0;
   for (size_t i = 0; i < naive.nrows; i++) {
      const Row* r = &naive.rows[i];
      inf_norms += isinf(r->norm);
      fallback += r->rec.sensor % 10 == 8 && r->n_window > 0; /* kind 7: 3e13 */
      exact += r->rec.sensor % 10 == 0 && r->rec.sensor != 0 && r->n_window == 60;
   }
   print_message("      %zu infinite norms, %zu rows from the fallback sensors, %zu exact full windows\n", inf_norms,
                 fallback, exact);
   assert_true(inf_norms > 100 && fallback > 1000 && exact > 1000);
   outcome_free(&naive);
   outcome_free(&mixed);
   eq_run(&naive, 120000, 60, choose_naive, windows, true);
   eq_run(&resized, 120000, 60, choose_random, windows, true);
   eq_compare(&naive, &resized);
   outcome_free(&naive);
   outcome_free(&optimized);
   outcome_free(&resized);
}

/* The exact statistics of small integer windows, k * 2^shift with |k| <=
 * 1e5, are S / n and (n * Q - S^2) / n^2 with integers that doubles hold:
 * IEEE division rounds them correctly, and both variants must give exactly
 * that, at every step of the fill-up and after. */
static void feature__small_integer_windows__are_correctly_rounded(void** state) {
   (void)state;
   enum { W = 7, N = 3000 };
   const int shifts[] = {0, -30, 20};
   for (int v = 0; v < VARIANT_LAST; v++)
      for (int si = 0; si < 3; si++) {
         PipelineParams params = test_params(2, W, 100);
         Fixture f;
         fixture_open(&f, &params);
         TestRng rng = {(uint64_t)(si * 7 + v + 1)};
         int64_t ring[W];
         uint32_t n = 0;
         for (int i = 0; i < N; i++) {
            int64_t k = (int64_t)(rng_next(&rng) % 200001) - 100000;
            if (i % 100 > 90)
               k = 77; /* runs of equal values: std exactly 0 */
            Row r = test_featureStep(&f, 1, ldexp((double)k, shifts[si]), (Variant)v);
            int64_t S = 0, Q = 0;
            for (uint32_t j = 0; j < n; j++) {
               S += ring[j];
               Q += ring[j] * ring[j];
            }
            assert_int_equal(r.n_window, n);
            double mean = n ? ldexp((double)S / (double)n, shifts[si]) + 0.0 : 0.0;
            double var = n ? ldexp((double)((int64_t)n * Q - S * S) / ((double)n * n), 2 * shifts[si]) : 0.0;
            if (!same_bits(r.mean, mean) || !same_bits(r.std, sqrt(var)))
               fail_msg("%s, record %d: mean %a vs %a, std %a vs %a", Variant_name((Variant)v), i, r.mean, mean, r.std,
                        sqrt(var));
            if (n == W) {
               memmove(ring, ring + 1, (W - 1) * sizeof ring[0]);
               ring[W - 1] = k;
            } else {
               ring[n++] = k;
            }
         }
         fixture_close(&f);
      }
}

/* A value beyond the exact range (|x| >= 2^44) sends both variants to the
 * same two passes in doubles while it is in the window, and back to the
 * exact sums once it has left. */
static void feature__out_of_range_value__falls_back_alike_and_recovers(void** state) {
   (void)state;
   const double x[] = {1, 2, 2e13, 3, 4, 5, 6, 7, 8};
   Row rows[VARIANT_LAST + 1][9];
   for (int run = 0; run <= VARIANT_LAST; run++) {
      PipelineParams params = test_params(1, 4, 100);
      Fixture f;
      fixture_open(&f, &params);
      for (int i = 0; i < 9; i++) /* run VARIANT_LAST switches at every record */
         rows[run][i] = test_featureStep(&f, 0, x[i], run < VARIANT_LAST ? (Variant)run : (Variant)(i % 2));
      fixture_close(&f);
   }
   for (int i = 0; i < 9; i++) {
      for (int run = 1; run <= VARIANT_LAST; run++) {
         assert_true(same_bits(rows[run][i].mean, rows[0][i].mean));
         assert_true(same_bits(rows[run][i].std, rows[0][i].std));
         assert_true(same_bits(rows[run][i].z, rows[0][i].z));
      }
   }
   /* window 2 2e13 3 4 (record 5): the doubles' two passes */
   double w[4] = {2, 2e13, 3, 4}, sum = 0, m2 = 0;
   for (int j = 0; j < 4; j++)
      sum += w[j];
   double mean = sum / 4;
   for (int j = 0; j < 4; j++)
      m2 += (w[j] - mean) * (w[j] - mean);
   assert_true(same_bits(rows[0][5].mean, mean));
   assert_true(same_bits(rows[0][5].std, sqrt(m2 / 4)));
   /* window 4 5 6 7 (record 8): exact again */
   assert_true(rows[0][8].mean == 5.5);
   assert_true(rows[0][8].std == sqrt(1.25));
}

/* 10^7 records of one sensor, values 1e6 +- 1, through the optimized feature;
 * at checkpoints a naive pipeline is given the same last W records and must
 * give the checkpoint record the same mean and std, bit for bit: the running
 * sums are exact, so nothing drifts however long the run. */
static void feature__optimized_after_1e7_records__equals_two_pass(void** state) {
   (void)state;
   enum { W = 100, TOTAL = 10000000, BATCH = 4096, CHECK_EVERY = 250007 };
   PipelineParams params = test_params(1, W, 1000);
   Fixture opt;
   fixture_open(&opt, &params);
   TestRng rng = {2024};
   /* the last W + 1 values, to replay into the naive pipeline */
   static double recent[W + 1];
   uint32_t checks = 0;
   Batch* one = Batch_new(1, 0);
   one->n = 1;
   for (uint32_t done = 0; done < TOTAL;) {
      uint32_t n = TOTAL - done < BATCH ? TOTAL - done : BATCH;
      Work_begin(&opt.w, opt.p, n);
      for (uint32_t i = 0; i < n; i++) {
         double x = 1e6 + (rng_unit(&rng) * 2.0 - 1.0);
         opt.w.rows[i] = (Row){.rec = {.sensor = 0, .value = x}, .norm = x};
      }
      opt.w.nrows = n;
      Stage_featureOptimized(opt.p, &opt.w, one);
      for (uint32_t i = 0; i < n; i++) {
         uint32_t k = done + i;
         memmove(recent, recent + 1, W * sizeof(double));
         recent[W] = opt.w.rows[i].norm;
         if (k < W || (k % CHECK_EVERY != 0 && k != TOTAL - 1))
            continue;
         Fixture naive;
         fixture_open(&naive, &params);
         Row r = {0};
         for (int j = 0; j <= W; j++)
            r = test_featureStep(&naive, 0, recent[j], VARIANT_NAIVE);
         fixture_close(&naive);
         const Row* o = &opt.w.rows[i];
         assert_int_equal(r.n_window, W);
         assert_int_equal(o->n_window, W);
         if (!same_bits(o->mean, r.mean) || !same_bits(o->std, r.std))
            fail_msg("record %u: mean %a vs %a, std %a vs %a", k, o->mean, r.mean, o->std, r.std);
         assert_true(o->std > 0.4 && o->std < 0.75); /* about 1/sqrt(3) */
         checks++;
      }
      done += n;
   }
   assert_true(checks >= 40);
   Batch_delete(one);
   fixture_close(&opt);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(table__every_stage__has_a_name_and_two_variants),
      cmocka_unit_test(filter__known_answer__keeps_allowed_finite_in_range_in_batch_order),
      cmocka_unit_test(filter__no_allowlist__allows_every_sensor_of_the_id_space),
      cmocka_unit_test(filter__empty_allowlist__allows_nothing),
      cmocka_unit_test(normalize__known_answer__applies_the_first_calibration_entry),
      cmocka_unit_test(enrich__meta__is_deterministic_and_depends_on_sensor_and_work),
      cmocka_unit_test(enrich__optimized__caches_with_lru_and_counts_hits_and_misses),
      cmocka_unit_test(feature__window_fill_up__uses_fewer_records),
      cmocka_unit_test(feature__equal_values__give_std_zero_exactly),
      cmocka_unit_test(feature__sensors__keep_separate_windows),
      cmocka_unit_test(feature__infinite_norm__both_variants_agree_and_recover),
      cmocka_unit_test(feature__window_change__keeps_the_newest_values),
      cmocka_unit_test(feature__window_knob__is_clamped_and_read_per_batch),
      cmocka_unit_test(score__known_answer__alerts_only_on_a_full_window),
      cmocka_unit_test(score__z_equal_to_threshold__alerts),
      cmocka_unit_test(format__known_answer__writes_the_csv_lines),
      cmocka_unit_test(format__names__are_quoted_as_rfc4180_asks),
      cmocka_unit_test(format__names_that_grow__are_read_when_their_sensor_first_shows),
      cmocka_unit_test(format__header__names_the_columns),
      cmocka_unit_test(format__time_iso__adds_the_date_or_the_duration),
      cmocka_unit_test(format__appends__to_the_text_already_there),
      cmocka_unit_test(equivalence__random_stream__naive_and_optimized_agree),
      cmocka_unit_test(dispatch__record_chain_and_fused_loop__agree_with_the_batch_pass),
      cmocka_unit_test(boxed__every_dispatch__agrees_with_the_packed_batch_pass),
      cmocka_unit_test(boxed__record__keeps_its_fields_by_name_and_counts_its_bytes),
      cmocka_unit_test(boxed__stages__read_and_write_the_fields_by_name),
      cmocka_unit_test(equivalence__format_variants__write_identical_bytes),
      cmocka_unit_test(switching__variants_every_batch__change_no_result),
      cmocka_unit_test(switching__window_changes_with_variant_changes__agree),
      cmocka_unit_test(switching__feature_hard_cases__give_identical_output),
      cmocka_unit_test(feature__small_integer_windows__are_correctly_rounded),
      cmocka_unit_test(feature__out_of_range_value__falls_back_alike_and_recovers),
      cmocka_unit_test(feature__optimized_after_1e7_records__equals_two_pass),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
