/* test_sim.c: the simulated source: determinism, schedules, the fleet's parameters. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/sim.h"
#include "core/snapshot.h"

static Setup base_setup(void) {
   Setup o;
   Setup_init(&o);
   return o;
}

static void sim__same_seed__gives_the_same_records(void** state) {
   (void)state;
   Setup o = base_setup();
   o.seed = 42;
   Generator* a = Sim_new(&o);
   Generator* b = Sim_new(&o);
   for (int i = 0; i < 20000; i++) {
      Record ra, rb;
      assert_true(a->ops->next(a, &ra));
      assert_true(b->ops->next(b, &rb));
      assert_int_equal(ra.t_arrival, rb.t_arrival);
      assert_int_equal(ra.sensor, rb.sensor);
      assert_true(ra.value == rb.value || (isnan(ra.value) && isnan(rb.value)));
   }
   a->ops->destroy(a);
   b->ops->destroy(b);
}

static void sim__other_seed__gives_other_values(void** state) {
   (void)state;
   Setup o = base_setup();
   Generator* a = Sim_new(&o);
   o.seed = 2;
   Generator* b = Sim_new(&o);
   int same = 0;
   for (int i = 0; i < 1000; i++) {
      Record ra, rb;
      a->ops->next(a, &ra);
      b->ops->next(b, &rb);
      same += ra.value == rb.value;
   }
   assert_true(same < 10);
   a->ops->destroy(a);
   b->ops->destroy(b);
}

static void sim__steady__spaces_records_evenly(void** state) {
   (void)state;
   Setup o = base_setup();
   o.knobs.arrival = ARRIVAL_STEADY;
   o.knobs.rate = 1000;
   Generator* g = Sim_new(&o);
   Record r;
   for (int i = 0; i < 5000; i++) {
      g->ops->next(g, &r);
      assert_true(llabs(r.t_arrival - (int64_t)i * 1000000) <= 1);
   }
   g->ops->destroy(g);
}

static void sim__burst__emits_n_records_at_each_period(void** state) {
   (void)state;
   Setup o = base_setup();
   o.knobs.arrival = ARRIVAL_BURST;
   o.knobs.burst = 500;
   o.knobs.every_ns = 2000000000;
   Generator* g = Sim_new(&o);
   Record r;
   for (int burst = 0; burst < 4; burst++) {
      for (int i = 0; i < 500; i++) {
         g->ops->next(g, &r);
         assert_int_equal(r.t_arrival, (int64_t)burst * 2000000000);
      }
   }
   g->ops->destroy(g);
}

static void sim__poisson__has_the_configured_mean_rate(void** state) {
   (void)state;
   Setup o = base_setup();
   o.knobs.arrival = ARRIVAL_POISSON;
   o.knobs.rate = 10000;
   Generator* g = Sim_new(&o);
   Record r;
   int64_t prev = -1;
   for (int i = 0; i < 100000; i++) {
      g->ops->next(g, &r);
      assert_true(r.t_arrival >= prev);
      prev = r.t_arrival;
   }
   /* 100k gaps of mean 100 us: 10 s, within 2% (the sd of the sum is 0.3%) */
   assert_true(fabs((double)prev / 1e9 - 10.0) < 0.2);
   g->ops->destroy(g);
}

static void sim__hot_sensor__gets_its_share(void** state) {
   (void)state;
   Setup o = base_setup();
   o.hot = 0.5;
   Generator* g = Sim_new(&o);
   uint32_t hot_id = Sim_sensorId(0, SIM_ID_SPACE);
   int hot = 0;
   Record r;
   for (int i = 0; i < 100000; i++) {
      g->ops->next(g, &r);
      hot += r.sensor == hot_id;
   }
   /* 50% + 50%/64 of the rest */
   assert_true(hot > 49000 && hot < 53000);
   g->ops->destroy(g);
}

static void sim__params__allowlist_has_k_distinct_ids_and_misses_one_sensor_in_16(void** state) {
   (void)state;
   Setup o = base_setup();
   o.allowlist = 1000;
   PipelineParams p;
   Sim_params(&o, &p);
   assert_int_equal(p.n_allow, 1000);
   uint8_t* seen = calloc(p.id_space, 1);
   for (uint32_t i = 0; i < p.n_allow; i++) {
      assert_true(p.allow[i] < p.id_space);
      assert_int_equal(seen[p.allow[i]], 0);
      seen[p.allow[i]] = 1;
   }
   for (uint32_t i = 0; i < o.sensors; i++)
      assert_int_equal(seen[Sim_sensorId(i, p.id_space)], i % 16 == 15 ? 0 : 1);
   assert_int_equal(p.n_cal, o.sensors);
   free(seen);
   Sim_freeParams(&p);
}

static void sim__calibration__normalizes_values_near_zero(void** state) {
   (void)state;
   Setup o = base_setup();
   o.anomaly_rate = 0;
   PipelineParams p;
   Sim_params(&o, &p);
   Generator* g = Sim_new(&o);
   double sum = 0;
   int n = 0;
   for (int i = 0; i < 50000; i++) {
      Record r;
      g->ops->next(g, &r);
      if (!isfinite(r.value) || r.value > 1e9)
         continue;
      for (uint32_t c = 0; c < p.n_cal; c++) {
         if (p.cal[c].sensor == r.sensor) {
            sum += fabs((r.value - p.cal[c].offset) * p.cal[c].gain);
            n++;
         }
      }
   }
   assert_true(n > 49000);
   assert_true(sum / n < 1.5); /* the gain puts cycle and noise within about +-1 */
   g->ops->destroy(g);
   Sim_freeParams(&p);
}

static void sim__anomalies__appear_at_about_the_configured_rate(void** state) {
   (void)state;
   Setup o = base_setup();
   o.anomaly_rate = 0.01;
   o.sensors = 1;
   PipelineParams p;
   Sim_params(&o, &p);
   Generator* g = Sim_new(&o);
   int far = 0;
   for (int i = 0; i < 100000; i++) {
      Record r;
      g->ops->next(g, &r);
      double norm = (r.value - p.cal[0].offset) * p.cal[0].gain;
      if (isfinite(r.value) && r.value < 1e9 && fabs(norm) > 5)
         far++;
   }
   assert_true(far > 300); /* spikes alone give ~700 far readings; drifts add more */
   g->ops->destroy(g);
   Sim_freeParams(&p);
}

int main(void) {
   const struct CMUnitTest tests[] = {
      cmocka_unit_test(sim__same_seed__gives_the_same_records),
      cmocka_unit_test(sim__other_seed__gives_other_values),
      cmocka_unit_test(sim__steady__spaces_records_evenly),
      cmocka_unit_test(sim__burst__emits_n_records_at_each_period),
      cmocka_unit_test(sim__poisson__has_the_configured_mean_rate),
      cmocka_unit_test(sim__hot_sensor__gets_its_share),
      cmocka_unit_test(sim__params__allowlist_has_k_distinct_ids_and_misses_one_sensor_in_16),
      cmocka_unit_test(sim__calibration__normalizes_values_near_zero),
      cmocka_unit_test(sim__anomalies__appear_at_about_the_configured_rate),
   };
   return cmocka_run_group_tests(tests, NULL, NULL);
}
