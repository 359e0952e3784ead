/*
 * scenarioplan.h: what choosing a scenario in the dashboard's menu would do
 * to the running pipeline (no curses, no engine).
 *
 * The plan starts from the options in force, puts every knob back to its
 * default unless it was given on the command line (so the previous scenario
 * leaves nothing behind), and applies the scenario, sized from this
 * session's calibration, exactly as `--scenario` would at start. It then
 * walks the knob table once and sorts the differences from the running
 * pipeline: a live knob's is a change the engine makes at once, another's
 * (the arrival mode) needs a restart; so do the number of sensors, the hot
 * sensor, the allowlist and the memory cap, while the stage variants and the
 * simulated costs per record change live. With the simulator (fresh), the
 * dashboard applies any plan by starting a new pipeline with the target's
 * options (app/run.h: Run_switch), so nothing needs a restart. A replay's
 * plan with anything that needs a restart is not applied: the menu says so,
 * and which command line gives it. The replay speed is the user's: no plan
 * changes it.
 *
 * A replay takes its arrivals, sensors, allowlist and window from the file
 * (or the recording's parameters), not from a scenario: those are left out
 * of a replay's plan and said to be so; the rest applies as it would to the
 * simulator.
 */
#ifndef KEEPUP_UI_SCENARIOPLAN_H
#define KEEPUP_UI_SCENARIOPLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "app/options.h"
#include "core/scenario.h"
#include "core/snapshot.h"

typedef struct ScenarioPlan {
   int id;            /* ScenarioId; SCENARIO_LAST: none */
   Options target;    /* the options the scenario gives */
   bool replay;       /* the run replays files: the file decides arrivals, sensors, allowlist, window */
   bool live;         /* every difference can be set in the running pipeline */
   bool fresh;        /* the simulator: Enter starts a new pipeline with target, whatever differs */
   int n_changes;     /* live differences */
   bool knob[KNOB_LAST]; /* the scalar knobs it changes live (to target's values) */
   char changes[320]; /* "batch 256 -> 1, threads 1 -> 2, dispatch cost 0 -> 500 us (simulated)" */
   char restart[320]; /* what only a new pipeline sets: "sensors 64 -> 8, arrival burst -> steady" */
} ScenarioPlan;

/* The plan of scenario id for a run with these options in force and these knobs now. */
void ScenarioPlan_make(ScenarioPlan* out, int id, const Calibration* cal, const Options* in_force, const Knobs* now,
                       bool replaying);
/* The command line that starts the scenario: args (argv[0] first, as the run was started) without
 * their --scenario, then --scenario NAME; arguments that need it are quoted for a POSIX shell. Returns
 * its length, as snprintf does: what does not fit len is cut (buf may be NULL when len is 0), so a
 * caller sizes its buffer from a first call and never shows a command cut short. */
size_t ScenarioPlan_command(char* buf, size_t len, const char* const* argv, int argc, int id);

#endif
