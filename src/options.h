/*
 * options.h: every knob keepup has, in one struct, and the one table that
 * drives getopt_long, --help, validation and the defaults. A knob that the
 * dashboard can change live has its start value here; the engine owns it
 * after start.
 */
#ifndef KEEPUP_OPTIONS_H
#define KEEPUP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stage.h"

typedef enum Arrival {
   ARRIVAL_BURST,   /* --burst N records at once, every --every */
   ARRIVAL_STEADY,  /* --rate R records/s, evenly spaced */
   ARRIVAL_POISSON, /* --rate R records/s, exponential gaps */
   ARRIVAL_LAST
} Arrival;

typedef enum Overflow {
   OVERFLOW_BLOCK,       /* the source waits: its lateness shows as latency */
   OVERFLOW_DROP_OLDEST, /* evict the oldest queued batch, counted */
   OVERFLOW_DROP_NEWEST, /* refuse the incoming batch, counted */
   OVERFLOW_GROW,        /* no cap but the hard safety cap */
   OVERFLOW_LAST
} Overflow;

extern const char* const Arrival_names[ARRIVAL_LAST];
extern const char* const Overflow_names[OVERFLOW_LAST];

/* The teaching scenarios (src/scenario.c sets their knobs); SCENARIO_LAST: none. */
typedef enum ScenarioId {
   SCENARIO_LECTURE,
   SCENARIO_AMDAHL,
   SCENARIO_BATCHING,
   SCENARIO_THREADS,
   SCENARIO_SKEW,
   SCENARIO_OVERFLOW,
   SCENARIO_LAST
} ScenarioId;

/* The words --scenario takes: the scenarios' names, then "none" (index SCENARIO_LAST). */
extern const char* const Scenario_names[SCENARIO_LAST + 1];

typedef enum OptionsSweepKnob {
   SWEEP_BATCH,
   SWEEP_THREADS,
   SWEEP_LAST
} OptionsSweepKnob;

extern const char* const OptionsSweepKnob_names[SWEEP_LAST];

typedef enum OutputMode {
   MODE_DASHBOARD,
   MODE_HEADLESS,
} OutputMode;

typedef struct Options {
   OutputMode mode;
   /* headless */
   int64_t duration_ns; /* 0: until SIGINT/SIGTERM */
   int64_t interval_ns; /* status line period; 0: none */
   bool json;
   bool drain;
   const char* metrics_csv;
   /* simulated source */
   uint32_t sensors;
   Arrival arrival;
   uint64_t burst;
   int64_t every_ns;
   double rate;
   uint64_t seed;
   double anomaly_rate; /* injected anomalies per record */
   double hot;          /* fraction of records from the hot sensor */
   /* queue and workers */
   uint32_t batch;
   int64_t linger_ns;
   uint32_t threads;
   int64_t spin_ns;  /* idle workers spin this long before sleeping */
   uint64_t max_backlog_records; /* 0 when the cap is given in bytes */
   uint64_t max_backlog_bytes;   /* 0 when the cap is given in records */
   Overflow overflow;
   /* stages */
   Variant variant[STAGE_LAST];
   uint32_t allowlist;
   uint32_t window;
   double threshold;
   uint32_t cache;
   double valid_lo;
   double valid_hi;
   const char* output;
   /* record and replay */
#define OPTIONS_REPLAY_MAX 64
   const char* record;          /* --record FILE */
   struct OptionsList {
      const char* item[OPTIONS_REPLAY_MAX]; /* point into argv */
      uint32_t n;
   } replay;                    /* --replay FILE, repeated: played together */
   double speed;                /* replay pace factor; 0: as fast as possible (--speed max) */
   bool loop;                   /* replay again when every file has ended */
   const char* columns;         /* --columns time=COL,sensor=COL,value=COL (checked by Replay_checkOptions) */
   int time_unit;               /* CsvTimeUnit: auto, s, ms, us, ns */
   char delimiter;              /* replay field separator */
   int on_bad_row;              /* ReplayOnBadRow: stop, skip */
   /* teaching: scenarios, simulated costs, forecasts, sweeps */
   int scenario;                /* ScenarioId; SCENARIO_LAST: none */
   bool list_scenarios;
   bool calibrate;
   int64_t dispatch_cost_ns;    /* simulated CPU work per batch */
   int64_t stage_cost_ns[STAGE_LAST]; /* simulated CPU work per record, per stage */
   int64_t stale_limit_ns;      /* staleness limit for the forecast */
#define OPTIONS_SWEEP_DIMS 2
#define OPTIONS_SWEEP_VALUES 16
   struct OptionsSweep {
      int knob;                  /* OptionsSweepKnob */
      uint32_t value[OPTIONS_SWEEP_VALUES];
      uint32_t n;
   } sweep[OPTIONS_SWEEP_DIMS];
   uint32_t n_sweep;
   uint32_t repeat;             /* sweep: runs of each point */
   int64_t point_ns;            /* sweep: measured time of each run */
   int64_t warmup_ns;           /* sweep: time before measuring */
   /* dashboard */
   int64_t delay_ns;
   bool no_color;
   /* which table rows were given on the command line (bit i = row i) */
   uint64_t given;
} Options;

typedef enum OptionsResult {
   OPTIONS_OK,       /* run */
   OPTIONS_EXIT_OK,  /* --help or --version was printed */
   OPTIONS_ERROR,    /* message in err; exit status 2 */
} OptionsResult;

/* Defaults for every knob. */
void Options_init(Options* this);
/* Parse argv into this; on error err holds one line naming the option, the value and the valid range. */
OptionsResult Options_parse(Options* this, int argc, char** argv, char* err, size_t errlen);
/* Whether the option with this long name was given explicitly. */
bool Options_given(const Options* this, const char* name);
/* The --help text. */
void Options_printHelp(FILE* out);
/* Parse "filter,feature" or "all" into a stage mask; false on an unknown name. */
bool Options_parseStageList(const char* s, unsigned* mask, char* err, size_t errlen);

#endif
