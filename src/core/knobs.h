/*
 * knobs.h: the types every layer shares about how a run is set up: the
 * arrival patterns, the overflow policies, the reasons a record is dropped,
 * the teaching scenarios, and Knobs, the settings the engine can change
 * while it runs. The command line, the engine, the snapshot and the front
 * ends all speak these; none of them needs another's header for it.
 *
 * The knob table (Knob_table) describes each scalar knob once: its option
 * name, its unit and range, its default, how the dashboard steps it, how it
 * is written, its keys and its help line. The option parser, --help, the
 * engine's setter, the dashboard's steps and knob panel and the scenario
 * plan all read it. Adding a knob is a field in Knobs, a row here and, when
 * the engine must do more than store the value, a case in its setter.
 */
#ifndef KEEPUP_KNOBS_H
#define KEEPUP_KNOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/stages/stage.h"

/* Limits, each defined here once. */
#define KNOBS_BATCH_MAX      65536u
#define KNOBS_THREADS_MAX    64u
#define KNOBS_WINDOW_MAX     KEEPUP_WINDOW_MAX
#define KNOBS_RATE_MAX       1e9
#define KNOBS_BURST_MAX      UINT64_C(100000000)
#define KNOBS_LINGER_MAX_NS  INT64_C(10000000000)
#define KNOBS_EVERY_MIN_NS   INT64_C(1000000)
#define KNOBS_EVERY_MAX_NS   INT64_C(3600000000000)
#define KNOBS_SPEED_MIN      0.01
#define KNOBS_SPEED_MAX      1e6
#define KNOBS_COST_MAX_NS    INT64_C(1000000000) /* simulated work per batch or per record */

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

typedef enum DropReason {
   DROP_OLDEST,     /* --overflow drop-oldest evicted it */
   DROP_NEWEST,     /* --overflow drop-newest refused it */
   DROP_SAFETY_CAP, /* --overflow grow reached the hard safety cap */
   DROP_SWITCH,     /* still queued when the dashboard started a scenario afresh (a new pipeline) */
   DROP_LAST
} DropReason;

/* The teaching scenarios (src/core/scenario.c sets their knobs); SCENARIO_LAST: none. */
typedef enum ScenarioId {
   SCENARIO_LECTURE,
   SCENARIO_AMDAHL,
   SCENARIO_BATCHING,
   SCENARIO_THREADS,
   SCENARIO_SKEW,
   SCENARIO_OVERFLOW,
   SCENARIO_STRUCTURE,
   SCENARIO_MEMORY,
   SCENARIO_LAST
} ScenarioId;

extern const char* const Arrival_names[ARRIVAL_LAST];
extern const char* const Overflow_names[OVERFLOW_LAST];
extern const char* const Dispatch_names[DISPATCH_LAST];
extern const char* const RecordLayout_names[LAYOUT_LAST];
extern const char* const DropReason_names[DROP_LAST];
/* The words --scenario takes: the scenarios' names, then "none" (index SCENARIO_LAST). */
extern const char* const Scenario_names[SCENARIO_LAST + 1];

/* The knobs in force. The command line sets them at start; the engine owns them after. */
typedef struct Knobs {
   uint32_t batch;
   int64_t linger_ns;
   uint32_t threads;
   Arrival arrival;
   double rate;                       /* steady/poisson records/s */
   uint64_t burst;                    /* burst records */
   int64_t every_ns;                  /* burst period */
   uint32_t window;
   Overflow overflow;
   uint64_t max_backlog_records;      /* 0: cap in bytes */
   uint64_t max_backlog_bytes;        /* 0: cap in records */
   uint64_t safety_cap_bytes;         /* hard cap under grow (set by the engine) */
   double speed;                      /* replay pacing factor; 0: as fast as possible */
   int64_t dispatch_cost_ns;          /* simulated CPU work per batch (0: none) */
   int64_t stage_cost_ns[STAGE_LAST]; /* simulated CPU work per record and stage (0: none) */
   int64_t stale_limit_ns;
   Variant variant[STAGE_LAST];
   Dispatch dispatch;                 /* how a worker runs the stages over a batch */
   RecordLayout layout;               /* how the source queues records: packed or boxed */
   bool paused;
} Knobs;

/* The scalar knobs, in the order the table lists them. */
typedef enum KnobId {
   KNOB_BATCH,
   KNOB_LINGER,
   KNOB_THREADS,
   KNOB_OVERFLOW,
   KNOB_ARRIVAL,
   KNOB_BURST,
   KNOB_EVERY,
   KNOB_RATE,
   KNOB_WINDOW,
   KNOB_DISPATCH,
   KNOB_LAYOUT,
   KNOB_SPEED,
   KNOB_DISPATCH_COST,
   KNOB_STALE_LIMIT,
   KNOB_LAST
} KnobId;

/* How a knob's value is stored in Knobs and read from the command line. */
typedef enum KnobType {
   KNOB_TYPE_U32,      /* a count with k/M/G suffixes */
   KNOB_TYPE_U64,      /* a count with k/M/G suffixes */
   KNOB_TYPE_RATE,     /* a count with suffixes, stored as a double */
   KNOB_TYPE_DURATION, /* a duration with a unit, stored in ns (int64_t) */
   KNOB_TYPE_ENUM,     /* one of names[], stored as an enum */
   KNOB_TYPE_SPEED,    /* a factor, or "max" stored as 0 */
} KnobType;

/* How the dashboard's keys step a knob. */
typedef enum KnobStep {
   KNOB_STEP_NONE,   /* not stepped (set at start only) */
   KNOB_STEP_POW2,   /* powers of two */
   KNOB_STEP_ONE,    /* one by one */
   KNOB_STEP_FINE,   /* round numbers about x1.25 apart: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 */
   KNOB_STEP_125,    /* 1, 2, 5 times a power of ten; below step_lo: 0 */
   KNOB_STEP_DOUBLE, /* halve and double between step_lo and step_hi; above step_hi: 0 (max) */
   KNOB_STEP_CYCLE,  /* the next name, wrapping */
} KnobStep;

typedef struct KnobDef {
   const char* name;   /* the long option, and the word in events and messages */
   int short_name;     /* the short option; 0: none */
   const char* arg;    /* placeholder in --help */
   KnobType type;
   size_t offset;      /* of the value in Knobs */
   double min, max;    /* accepted range, in the stored unit (ns for durations) */
   double def;         /* default */
   const char* def_text; /* the default as --help shows it */
   const char* const* names; /* KNOB_TYPE_ENUM: the accepted words */
   int n_names;
   KnobStep step;
   double step_lo, step_hi; /* KNOB_STEP_125: the smallest step above 0; KNOB_STEP_DOUBLE: its range */
   const char* unit;   /* after the value on screen: "rec/batch"; NULL: none */
   const char* what;   /* "the batch size": for messages about a change */
   char key_down, key_up; /* the dashboard's keys; 0: none */
   bool live;          /* the engine can change it while running */
   const char* help;   /* the --help line */
   const char* group;  /* the --help heading it is listed under */
} KnobDef;

extern const KnobDef Knob_table[KNOB_LAST];

/* The defaults of the table into k (other fields untouched). */
void Knobs_initDefaults(Knobs* k);
/* A knob's value as a double (counts and ns are exact up to 2^53). */
double Knobs_get(const Knobs* k, KnobId id);
/* Store v, clamped to the knob's range and rounded to its type. */
void Knobs_set(Knobs* k, KnobId id, double v);
/* The value one step up (dir > 0) or down (dir < 0); unchanged at an end or without a step. */
double Knob_step(KnobId id, double v, int dir);
/* The value as the screen and the event log write it: "256", "60.0k", "5.00 ms", "block", "max". */
void Knob_format(KnobId id, double v, char* buf, size_t len);
/* The largest batch the backlog cap of k can hold (KNOBS_BATCH_MAX without a smaller cap): a larger
 * one could never be queued under block, and would always be dropped under drop-newest. */
uint32_t Knobs_batchMax(const Knobs* k);
/* The bytes one batch of `batch` records counts against a byte cap in k's layout: the smallest
 * --max-backlog SIZE that holds it. */
uint64_t Knobs_batchBytes(const Knobs* k, uint32_t batch);
/* The knob with this option name; KNOB_LAST when none. */
KnobId Knob_byName(const char* name);
/* The next value of a round-number series: mantissas (ascending, in [1, 10)) times powers of ten. */
double Knob_stepSeries(double v, int dir, const double* mantissas, int n, double lo, double hi);

#endif
