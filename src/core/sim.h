/*
 * sim.h: the simulated sensor network, as a Generator.
 *
 * S sensors with ids spread over an id space (10,000 ids by default, so an
 * allowlist has ids that never appear, as in a real fleet). Each sensor has
 * a baseline, a slow cycle, Gaussian noise and, now and then, an injected
 * anomaly: a spike (one reading far off) or a drift (a ramp away from the
 * baseline and back). A few readings are glitches the filter must catch
 * (NaN dropouts, out-of-range values). Arrival follows --arrival; every
 * record carries the time it should arrive by that schedule.
 *
 * Everything is drawn from one seeded Rng, so --seed fixes every value.
 */
#ifndef KEEPUP_SIM_H
#define KEEPUP_SIM_H

#include <stdint.h>

#include "core/generator.h"
#include "core/setup.h"
#include "core/stages/stage.h"

#define SIM_ID_SPACE 10000u
#define SIM_GLITCH_NAN 0.0001   /* share of readings that are NaN (sensor dropout) */
#define SIM_GLITCH_RANGE 0.00005/* share of readings far outside the valid range */

/* The processing parameters that match the simulated fleet: allowlist
 * (--allowlist K ids: every emitted sensor but one in 16, filled up with ids
 * that never appear, in shuffled order), calibration (one entry per emitted
 * sensor, shuffled), the valid range, window, threshold and cache size. The
 * arrays are allocated; free them with Sim_freeParams. */
void Sim_params(const Setup* setup, PipelineParams* out);
void Sim_freeParams(PipelineParams* params);

/* The sensor id of the i-th simulated sensor (0 <= i < sensors). */
uint32_t Sim_sensorId(uint32_t i, uint32_t id_space);

Generator* Sim_new(const Setup* setup);
/* The same fleet's first n sensors only (n <= setup->sensors), with their ids and readings as in the
 * whole fleet: what calibration measures on, without drawing readings of sensors it would discard. */
Generator* Sim_newFirst(const Setup* setup, uint32_t n);

#endif
