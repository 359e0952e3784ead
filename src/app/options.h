/*
 * options.h: the command line, parsed. Options holds the run's Setup (the
 * knobs at start, the simulated fleet, the stages' parameters) and what only
 * the front ends read: the mode, headless output, replay files, sweeps. The
 * option table in options.c drives getopt_long, --help and validation; the
 * knobs' rows come from the knob table (core/knobs.c), and the defaults are
 * the knob table's and Setup_init's, plus the front ends' own in
 * Options_init. A knob that the dashboard changes live starts from here; the
 * engine owns it after start.
 */
#ifndef KEEPUP_OPTIONS_H
#define KEEPUP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/knobs.h"
#include "core/setup.h"
#include "core/stages/stage.h"

/* Limits of the options that are not knobs. */
#define OPTIONS_INTERVAL_MIN_NS     INT64_C(100000000) /* the snapshot period: a status line more often repeats one */
#define OPTIONS_BACKLOG_RECORDS_MAX UINT64_C(1000000000)
#define OPTIONS_BACKLOG_BYTES_MAX   1e12 /* 1000 GB */

typedef enum OptionsSweepKnob {
   SWEEP_BATCH,
   SWEEP_THREADS,
   SWEEP_LAST
} OptionsSweepKnob;

extern const char* const OptionsSweepKnob_names[SWEEP_LAST];

/* --output-time's words, in their order. */
enum { OPTIONS_TIME_S, OPTIONS_TIME_ISO };

typedef enum OutputMode {
   MODE_DASHBOARD,
   MODE_HEADLESS,
} OutputMode;

typedef struct Options {
   OutputMode mode;
   Setup setup; /* the knobs at start, the simulated fleet, the stages' parameters */
   /* headless */
   int64_t duration_ns; /* 0: until SIGINT/SIGTERM */
   int64_t interval_ns; /* status line period; 0: none */
   bool json;
   bool drain;
   bool ordered;                /* --ordered: --output's lines in event-time order whatever the threads */
   int output_time;             /* --output-time: OPTIONS_TIME_S, or OPTIONS_TIME_ISO (a time_iso column too) */
   const char* metrics_csv;
   const char* output;
   /* record and replay */
#define OPTIONS_REPLAY_MAX 64
   const char* record;          /* --record FILE */
   struct OptionsList {
      const char* item[OPTIONS_REPLAY_MAX]; /* point into argv */
      uint32_t n;
   } replay;                    /* --replay FILE, repeated: played together */
   bool loop;                   /* replay again when every file has ended */
   bool follow;                 /* --follow: read a file as it grows; a live input's idle time seals batches */
   const char* columns;         /* --columns time=COL[+COL],sensor=COL,value=COL[,COL]|* (OptCheck_replay) */
   int time_unit;               /* CsvTimeUnit: auto, s, ms, us, ns */
   const char* time_format;     /* --time-format (strptime-style; checked by OptCheck_replay) */
   const char* tz;              /* --tz OFFSET (checked and read by OptCheck_replay) */
   int32_t tz_s;                /* its seconds east of UTC */
   char delimiter;              /* replay field separator; 0: found in the header line */
   bool decimal_comma;          /* --decimal-comma */
   uint32_t skip_rows;          /* --skip-rows N */
   const char* na;              /* --na TEXT[,TEXT...]: missing-value markers */
   const char* stdin_name;      /* --stdin-name NAME: standard input's one sensor (checked by OptCheck_replay) */
   int on_bad_row;              /* ReplayOnBadRow: stop, skip */
   int64_t max_lateness_ns;     /* --max-lateness: the reorder window in event time */
   int on_late;                 /* ReplayOnLate: play, drop, stop */
   int64_t max_gap_ns;          /* --max-gap: a longer pause in a replay is cut to it (0: never) */
   /* teaching: scenarios, simulated costs, forecasts, sweeps */
   int scenario;                /* ScenarioId; SCENARIO_LAST: none */
   bool list_scenarios;
   bool calibrate;
   bool recalibrate;            /* measure the stage costs again, replacing the cache (or FILE) */
   const char* calibration_file; /* --calibration FILE: read it, or measure and write it */
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
   /* set by main, not an option: CLOCK_MONOTONIC ns at launch, so that --duration bounds the whole run,
    * start-up included; 0: from the engine's start */
   int64_t launched;
   /* which table rows were given on the command line (bit i % 64 of word i / 64 = row i) */
#define OPTIONS_GIVEN_WORDS 2
   uint64_t given[OPTIONS_GIVEN_WORDS];
} Options;

typedef enum OptionsResult {
   OPTIONS_OK,       /* run */
   OPTIONS_EXIT_OK,  /* --help or --version was printed */
   OPTIONS_ERROR,    /* message in err; exit status 2 */
} OptionsResult;

/* The defaults: Setup_init's for the setup, and the front ends' own. */
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
