/*
 * options.c: the option table and its parser. One row per option, and one
 * row per group of knobs that the knob table (src/core/knobs.c) describes:
 * getopt_long is built from the rows, --help is printed from them, and every
 * value is checked against its row's range, so an error always names the
 * option, the value and what would be accepted.
 */
#include "config.h"

#include "app/options.h"

#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "base/textlist.h"
#include "base/units.h"
#include "base/xalloc.h"
#include "csv/csvtime.h"

_Static_assert(OPTIONS_INTERVAL_MIN_NS == ENGINE_TICK_NS, "a status line is at most one per snapshot");

const char* const OptionsSweepKnob_names[SWEEP_LAST] = {"batch", "threads"};

typedef enum OptKind {
   OPT_FLAG,     /* bool, no argument */
   OPT_U32,      /* count with k/M/G suffix, stored as uint32_t */
   OPT_U64,      /* count with k/M/G suffix, stored as uint64_t */
   OPT_RATE,     /* count with k/M/G suffix, stored as double */
   OPT_DOUBLE,   /* plain number, stored as double */
   OPT_DURATION, /* duration with a unit, stored as int64_t ns */
   OPT_PERIOD,   /* the same, or 0 (none) below min */
   OPT_ENUM,     /* one of names[], stored as int (enum) */
   OPT_STRING,   /* stored as const char* (points into argv) */
   OPT_BACKLOG,  /* records (count) or bytes (with a byte unit) */
   OPT_STAGES,   /* stage list for --naive / --optimized */
   OPT_RANGE,    /* LO:HI, stored into valid_lo/valid_hi */
   OPT_MODE,     /* sets the output mode */
   OPT_LIST,     /* appended to a struct OptionsList (repeatable) */
   OPT_SPEED,    /* a factor in [min, max], or "max" stored as 0 */
   OPT_CHAR,     /* one character, or "tab" / "\\t", stored as char */
   OPT_STAGECOST,/* stage=DUR,... into stage_cost_ns */
   OPT_SWEEP,    /* knob=v,v,... appended to sweep[] */
   OPT_KNOBS,    /* the knob table's rows of this group (a marker, expanded at start) */
   OPT_HELP,
   OPT_VERSION,
} OptKind;

typedef struct OptionDef {
   const char* name;
   int short_name;    /* 0: long only */
   const char* arg;   /* placeholder in --help; NULL for flags */
   OptKind kind;
   size_t offset;     /* into Options */
   double min, max;   /* accepted range, in the stored unit (ns for durations) */
   const char* const* names; /* OPT_ENUM: the accepted words */
   int n_names;
   const char* def;   /* default, as shown in --help */
   const char* help;
   const char* group; /* a heading printed before this row in --help */
   int field;         /* the SetupField (or KnobId) it sets, marked as given; -1: none */
} OptionDef;

#define OFF(field) offsetof(Options, field)
#define SET(field) offsetof(Options, setup.field)

/* record and replay: --on-bad-row's and --on-late's words, in ReplayOnBadRow's and ReplayOnLate's order (replay.h) */
static const char* const options_badRowNames[] = {"stop", "skip"};
static const char* const options_lateNames[] = {"play", "drop", "stop"};
/* --output-time's words, in OPTIONS_TIME_*'s order */
static const char* const options_timeNames[] = {"s", "iso"};

/* The options, in --help's order; a row of kind OPT_KNOBS stands for every knob of its group. */
/* layers: table */
static const OptionDef options_table[] = {
   {"headless", 'H', NULL, OPT_MODE, 0, 0, 0, NULL, 0, NULL,
    "run without a screen: status lines, then a summary", "Mode", -1},
   {"duration", 'd', "DUR", OPT_DURATION, OFF(duration_ns), 0, 365 * 86400e9, NULL, 0, "0",
    "stop after DUR (0: run until interrupted, or q in the dashboard)", NULL, -1},
   {"interval", 'i', "DUR", OPT_PERIOD, OFF(interval_ns), (double)OPTIONS_INTERVAL_MIN_NS, 3600e9, NULL, 0, "1s",
    "headless status line and --metrics-csv row every DUR (0: none)", NULL, -1},
   {"json", 'j', NULL, OPT_FLAG, OFF(json), 0, 0, NULL, 0, NULL,
    "at the end, print the summary as one JSON object on stdout", NULL, -1},
   {"metrics-csv", 0, "FILE", OPT_STRING, OFF(metrics_csv), 0, 0, NULL, 0, NULL,
    "write a snapshot row every --interval to FILE (headless or dashboard)", NULL, -1},
   {"drain", 0, NULL, OPT_FLAG, OFF(drain), 0, 0, NULL, 0, NULL,
    "headless: at the end, wait for the backlog to empty before reporting", NULL, -1},

   {"sensors", 's', "N", OPT_U32, SET(sensors), 1, SETUP_SENSORS_MAX, NULL, 0, "64",
    "number of simulated sensors", "Simulated source", SETUP_SENSORS},
   {NULL, 0, NULL, OPT_KNOBS, 0, 0, 0, NULL, 0, NULL, NULL, "Simulated source", -1},
   {"seed", 0, "N", OPT_U64, SET(seed), 0, 18446744073709551615.0, NULL, 0, "1",
    "seed of the simulated data: the same seed gives the same records", NULL, SETUP_SEED},
   {"anomalies", 0, "F", OPT_DOUBLE, SET(anomaly_rate), 0, 0.5, NULL, 0, "0.0005",
    "fraction of records that start an injected anomaly (spike or drift)", NULL, SETUP_ANOMALIES},
   {"hot", 0, "F", OPT_DOUBLE, SET(hot), 0, 1, NULL, 0, "0",
    "fraction of all records that come from one hot sensor", NULL, SETUP_HOT},

   {NULL, 0, NULL, OPT_KNOBS, 0, 0, 0, NULL, 0, NULL, NULL, "Queue and workers", -1},
   {"spin", 0, "DUR", OPT_DURATION, SET(spin_ns), 0, 10e6, NULL, 0, "0",
    "an idle worker spins this long for new work before sleeping: lower latency for CPU", NULL, SETUP_SPIN},
   {"max-backlog", 0, "N|SIZE", OPT_BACKLOG, 0, 1, OPTIONS_BACKLOG_BYTES_MAX, NULL, 0, "4M",
    "backlog cap, in records (4M) or memory (256MB)", NULL, SETUP_MAX_BACKLOG},

   {"naive", 0, "LIST", OPT_STAGES, 0, 0, 0, NULL, 0, "all",
    "stages to run naive: names (filter,normalize,enrich,feature,score,format) or all", "Stages", SETUP_VARIANTS},
   {"optimized", 0, "LIST", OPT_STAGES, 1, 0, 0, NULL, 0, NULL,
    "stages to run optimized: names or all", NULL, SETUP_VARIANTS},
   {"allowlist", 0, "K", OPT_U32, SET(allowlist), 0, SETUP_ALLOWLIST_MAX, NULL, 0, "1000",
    "sensor ids in the filter's allowlist (0: allow every sensor)", NULL, SETUP_ALLOWLIST},
   {NULL, 0, NULL, OPT_KNOBS, 0, 0, 0, NULL, 0, NULL, NULL, "Stages", -1},
   {"threshold", 0, "K", OPT_DOUBLE, SET(threshold), SETUP_THRESHOLD_MIN, SETUP_THRESHOLD_MAX, NULL, 0, "4",
    "alert when |z| >= K over a full window", NULL, SETUP_THRESHOLD},
   {"cache", 0, "N", OPT_U32, SET(cache), 1, SETUP_CACHE_MAX, NULL, 0, "256",
    "entries of the enrich stage's LRU cache, per worker", NULL, SETUP_CACHE},
   {"valid-range", 0, "LO:HI", OPT_RANGE, 0, 0, 0, NULL, 0, "-1e9:1e9",
    "the filter keeps values inside LO..HI", NULL, SETUP_VALID_RANGE},
   {"output", 'o', "FILE", OPT_STRING, OFF(output), 0, 0, NULL, 0, NULL,
    "write every record that passed the filter to FILE as CSV (-: standard output)", NULL, -1},
   {"output-time", 0, "FORM", OPT_ENUM, OFF(output_time), 0, 0, options_timeNames, 2, "s",
    "--output's time: s (time_s, seconds), or iso (a time_iso column too: UTC date-time, or PT<s>S since start)",
    NULL, -1},
   {"ordered", 0, NULL, OPT_FLAG, OFF(ordered), 0, 0, NULL, 0, NULL,
    "--output in event-time order (ties in input order): the same bytes with any --threads", NULL, -1},

   {"record", 0, "FILE", OPT_STRING, OFF(record), 0, 0, NULL, 0, NULL,
    "write every record entering the pipeline to FILE (CSV)", "Record and replay", -1},
   {"replay", 0, "FILE", OPT_LIST, OFF(replay), 0, OPTIONS_REPLAY_MAX, NULL, 0, NULL,
    "play CSV FILE (-: standard input; a pipe or FIFO too) instead of the simulator (repeat: merged by time)", NULL,
    -1},
   {NULL, 0, NULL, OPT_KNOBS, 0, 0, 0, NULL, 0, NULL, NULL, "Record and replay", -1},
   {"loop", 0, NULL, OPT_FLAG, OFF(loop), 0, 0, NULL, 0, NULL,
    "replay the files again each time they all end", NULL, -1},
   {"follow", 0, NULL, OPT_FLAG, OFF(follow), 0, 0, NULL, 0, NULL,
    "keep reading a file as it grows (tail -f), until stopped; a live input: idle time seals batches", NULL, -1},
   {"max-gap", 0, "DUR", OPT_DURATION, OFF(max_gap_ns), 0, 365 * 86400e9, NULL, 0, "0",
    "cut a pause between rows longer than DUR of replay time to DUR (0: never)", NULL, -1},
   {"max-lateness", 0, "DUR", OPT_DURATION, OFF(max_lateness_ns), 0, 365 * 86400e9, NULL, 0, "0",
    "rows up to DUR behind the newest wait and play in time order", NULL, -1},
   {"on-late", 0, "ACTION", OPT_ENUM, OFF(on_late), 0, 0, options_lateNames, 3, "play",
    "a row later than --max-lateness: play it at once, drop it, or stop (all counted)", NULL, -1},
   {"stdin-name", 0, "NAME", OPT_STRING, OFF(stdin_name), 0, 0, NULL, 0, "<stdin>",
    "the sensor name of --replay -'s data without a sensor column (a file's is its name: nyc_taxi)", NULL, -1},
   {"columns", 0, "SPEC", OPT_STRING, OFF(columns), 0, 0, NULL, 0, NULL,
    "replay columns time=COL[+COL],sensor=COL|none,value=COL[,COL...]|* (name or 1-based)", NULL, -1},
   {"time-unit", 0, "UNIT", OPT_ENUM, OFF(time_unit), 0, 0, CsvTime_unitNames, CSVTIME_OPTION_UNITS, "auto",
    "replay time numbers: s, ms, us, ns, or auto (the column's name, else the size)", NULL, -1},
   {"time-format", 0, "FMT", OPT_STRING, OFF(time_format), 0, 0, NULL, 0, NULL,
    "replay date-times as FMT, strptime-style: '%d/%m/%Y %H.%M.%S'", NULL, -1},
   {"tz", 0, "OFFSET", OPT_STRING, OFF(tz), 0, 0, NULL, 0, NULL,
    "replay date-times without a zone are at OFFSET (+01:00, -0500; else UTC)", NULL, -1},
   {"delimiter", 0, "C", OPT_CHAR, OFF(delimiter), 0, 0, NULL, 0, NULL,
    "replay field separator: one character, or tab (else found in the header: , ; tab |)", NULL, -1},
   {"decimal-comma", 0, NULL, OPT_FLAG, OFF(decimal_comma), 0, 0, NULL, 0, NULL,
    "replay values with a decimal comma: 2,6 is 2.6", NULL, -1},
   {"skip-rows", 0, "N", OPT_U32, OFF(skip_rows), 0, 1000000, NULL, 0, "0",
    "replay: skip N lines before the header (a title)", NULL, -1},
   {"na", 0, "TEXT,..", OPT_STRING, OFF(na), 0, 0, NULL, 0, NULL,
    "replay values that mark a missing reading (filtered as missing), e.g. -200 or NA", NULL, -1},
   {"on-bad-row", 0, "ACTION", OPT_ENUM, OFF(on_bad_row), 0, 0, options_badRowNames, 2, "stop",
    "a bad replay row: stop with FILE:LINE, or skip and count it", NULL, -1},

   {"scenario", 0, "NAME", OPT_ENUM, OFF(scenario), 0, 0, Scenario_names, SCENARIO_LAST + 1, "lecture",
    "set the knobs not given for a lesson, sized from this machine's measured costs (none: plain defaults)",
    "Teaching", -1},
   {"list-scenarios", 0, NULL, OPT_FLAG, OFF(list_scenarios), 0, 0, NULL, 0, NULL,
    "list the scenarios and exit", NULL, -1},
   {"calibrate", 0, NULL, OPT_FLAG, OFF(calibrate), 0, 0, NULL, 0, NULL,
    "print what each stage variant costs per record here (cached; see --recalibrate) and exit", NULL, -1},
   {"recalibrate", 0, NULL, OPT_FLAG, OFF(recalibrate), 0, 0, NULL, 0, NULL,
    "measure the stage costs again instead of reading them from the cache", NULL, -1},
   {"calibration", 0, "FILE", OPT_STRING, OFF(calibration_file), 0, 0, NULL, 0, NULL,
    "read the stage costs from FILE, or measure them and write FILE when it does not exist", NULL, -1},
   {NULL, 0, NULL, OPT_KNOBS, 0, 0, 0, NULL, 0, NULL, NULL, "Teaching", -1},
   {"stage-cost", 0, "LIST", OPT_STAGECOST, 0, 0, (double)KNOBS_COST_MAX_NS, NULL, 0, NULL,
    "simulated CPU work per record: stage=DUR,... e.g. feature=600us", NULL, SETUP_STAGE_COST},
   {"sweep", 0, "KNOB=V,..", OPT_SWEEP, 0, 1, KNOBS_BATCH_MAX, NULL, 0, NULL,
    "headless: run each value (batch=1,4,16 or threads=1,2,4) and print a table; twice for a grid", NULL, -1},
   {"repeat", 0, "N", OPT_U32, OFF(repeat), 1, 100, NULL, 0, "3",
    "sweep: runs of each point (the table shows the median and the spread)", NULL, -1},
   {"point", 0, "DUR", OPT_DURATION, OFF(point_ns), 100e6, 3600e9, NULL, 0, "2s",
    "sweep: measured time of each run", NULL, -1},
   {"warmup", 0, "DUR", OPT_DURATION, OFF(warmup_ns), 0, 600e9, NULL, 0, "1s",
    "sweep: time each run settles before it is measured", NULL, -1},

   {"delay", 0, "DUR", OPT_DURATION, OFF(delay_ns), 10e6, 10e9, NULL, 0, "100ms",
    "dashboard refresh period", "Dashboard", -1},
   {"no-color", 'C', NULL, OPT_FLAG, OFF(no_color), 0, 0, NULL, 0, NULL,
    "monochrome (also when NO_COLOR is set)", NULL, -1},

   {"help", 'h', NULL, OPT_HELP, 0, 0, 0, NULL, 0, NULL, "show this help and exit", "Other", -1},
   {"version", 'V', NULL, OPT_VERSION, 0, 0, 0, NULL, 0, NULL, "show the version and exit", NULL, -1},
};

#define N_TABLE   (sizeof options_table / sizeof options_table[0])
#define N_OPTIONS (N_TABLE + KNOB_LAST) /* at most: each marker stands for one group of knobs */


static OptionDef options_knobRow(KnobId id) {
   static const OptKind kinds[] = {
      [KNOB_TYPE_U32] = OPT_U32,       [KNOB_TYPE_U64] = OPT_U64,   [KNOB_TYPE_RATE] = OPT_RATE,
      [KNOB_TYPE_DURATION] = OPT_DURATION, [KNOB_TYPE_ENUM] = OPT_ENUM, [KNOB_TYPE_SPEED] = OPT_SPEED,
   };
   const KnobDef* k = &Knob_table[id];
   return (OptionDef){k->name, k->short_name, k->arg, kinds[k->type], offsetof(Options, setup.knobs) + k->offset,
                      k->min, k->max, k->names, k->n_names, k->def_text, k->help, NULL, (int)id};
}

/* The rows as getopt, --help and the parser see them: each marker replaced by its group's knobs,
 * the group's heading on the first row of a group. */
static size_t options_rows(OptionDef* out) {
   size_t n = 0;
   const char* heading = NULL;
   for (size_t i = 0; i < N_TABLE; i++) {
      const OptionDef* o = &options_table[i];
      if (o->kind != OPT_KNOBS) {
         out[n++] = *o;
         if (o->group)
            heading = o->group;
         continue;
      }
      for (int k = 0; k < KNOB_LAST; k++) {
         if (strcmp(Knob_table[k].group, o->group) != 0)
            continue;
         out[n] = options_knobRow((KnobId)k);
         if (!heading || strcmp(heading, o->group) != 0)
            out[n].group = heading = o->group;
         n++;
      }
   }
   return n;
}

void Options_init(Options* this) {
   *this = (Options){
      .mode = MODE_DASHBOARD,
      .duration_ns = 0,
      .interval_ns = INT64_C(1000000000),
      .delay_ns = 100000000,
      .scenario = SCENARIO_LECTURE,
      .repeat = 3,
      .point_ns = INT64_C(2000000000),
      .warmup_ns = INT64_C(1000000000),
      .delimiter = 0, /* record and replay: found in the header line */
   };
   Setup_init(&this->setup);
}

static void options_error(char* err, size_t errlen, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

static void options_error(char* err, size_t errlen, const char* fmt, ...) {
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(err, errlen, fmt, ap);
   va_end(ap);
}

/* The accepted range of a row, in words, for error messages. */
static void options_rangeText(const OptionDef* o, char* buf, size_t len) {
   char lo[32], hi[32];
   switch (o->kind) {
   case OPT_DURATION:
   case OPT_PERIOD:
      Units_formatDuration(lo, sizeof lo, (int64_t)o->min);
      Units_formatDuration(hi, sizeof hi, (int64_t)o->max);
      snprintf(buf, len, "%sa whole number of ns with a unit (ns, us, ms, s, m, h) from %s to %s",
               o->kind == OPT_PERIOD ? "0 (none) or " : "", lo, hi);
      break;
   case OPT_U32:
   case OPT_U64:
      if (o->max >= 18446744073709551615.0)
         snprintf(buf, len, "a whole number from %.0f to 18446744073709551615 (k, M, G suffixes allowed)", o->min);
      else
         snprintf(buf, len, "a whole number from %.0f to %.0f (k, M, G suffixes allowed)", o->min, o->max);
      break;
   case OPT_RATE:
      snprintf(buf, len, "a number from %g to %g (k, M, G suffixes allowed)", o->min, o->max);
      break;
   case OPT_DOUBLE:
      snprintf(buf, len, "a number from %g to %g", o->min, o->max);
      break;
   case OPT_BACKLOG:
      snprintf(buf, len, "a record count (1 to 1G, e.g. 4M) or a size with a unit (4KiB to 1000GB, e.g. 256MB)");
      break;
   case OPT_ENUM: {
      size_t at = 0;
      at += (size_t)snprintf(buf + at, len - at, "one of");
      for (int i = 0; i < o->n_names && at < len; i++)
         at += (size_t)snprintf(buf + at, len - at, "%s %s", i ? "," : "", o->names[i]);
      break;
   }
   case OPT_RANGE:
      snprintf(buf, len, "LO:HI with LO < HI, e.g. -100:100 (an empty side or inf: unbounded)");
      break;
   case OPT_SPEED:
      snprintf(buf, len, "a factor from %g to %.0f, or max", o->min, o->max);
      break;
   case OPT_CHAR:
      snprintf(buf, len, "one character other than a quote or a line break, or tab");
      break;
   default:
      snprintf(buf, len, "a value");
      break;
   }
}

bool Options_parseStageList(const char* s, unsigned* mask, char* err, size_t errlen) {
   *mask = 0;
   if (!s || !*s) {
      options_error(err, errlen, "an empty stage list");
      return false;
   }
   if (TextList_hasEmpty(s, ',')) {
      options_error(err, errlen, "an empty stage name in '%s'", s);
      return false;
   }
   char* copy = xstrdup(s);
   bool ok = true;
   char* save = NULL;
   for (char* tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      if (strcmp(tok, "all") == 0) {
         *mask |= (1u << STAGE_LAST) - 1;
         continue;
      }
      int id = Stage_byName(tok);
      if (id < 0) {
         options_error(err, errlen, "unknown stage '%s' (stages: filter, normalize, enrich, feature, score, format, all)", tok);
         ok = false;
         break;
      }
      *mask |= 1u << id;
   }
   free(copy);
   return ok;
}

/* --stage-cost feature=600us,filter=2us */
static bool options_stageCost(Options* this, const OptionDef* o, const char* arg, char* err, size_t errlen) {
   if (TextList_hasEmpty(arg, ',')) {
      options_error(err, errlen, "--%s '%s': an empty item; expected stage=DUR,... (e.g. feature=600us)", o->name,
                    arg);
      return false;
   }
   char* copy = xstrdup(arg);
   char* save = NULL;
   bool ok = true;
   unsigned seen = 0;
   for (char* tok = strtok_r(copy, ",", &save); tok && ok; tok = strtok_r(NULL, ",", &save)) {
      char* eq = strchr(tok, '=');
      int64_t ns;
      if (eq)
         *eq = '\0';
      int stage = eq ? Stage_byName(tok) : -1;
      if (!eq || stage < 0) {
         options_error(err, errlen, "--%s '%s': expected stage=DUR,... with a stage of filter, normalize, enrich, "
                       "feature, score, format (e.g. feature=600us)", o->name, arg);
         ok = false;
      } else if (seen & (1u << stage)) {
         options_error(err, errlen, "--%s '%s': %s is given twice", o->name, arg, tok);
         ok = false;
      } else if (!Units_parseDuration(eq + 1, &ns) || ns > (int64_t)o->max) {
         options_error(err, errlen, "--%s '%s': '%s' is not a whole number of ns with a unit from 0 to 1 s "
                       "(e.g. 600us)", o->name, arg, eq + 1);
         ok = false;
      } else {
         seen |= 1u << stage;
         this->setup.knobs.stage_cost_ns[stage] = ns;
      }
   }
   free(copy);
   return ok;
}

/* --sweep batch=1,4,16 */
static bool options_sweep(Options* this, const OptionDef* o, const char* arg, char* err, size_t errlen) {
   if (this->n_sweep >= OPTIONS_SWEEP_DIMS) {
      options_error(err, errlen, "--%s: at most %d sweeps (a grid of two knobs)", o->name, OPTIONS_SWEEP_DIMS);
      return false;
   }
   struct OptionsSweep* sw = &this->sweep[this->n_sweep];
   const char* eq = strchr(arg, '=');
   int knob = -1;
   for (int k = 0; eq && k < SWEEP_LAST; k++)
      if (strlen(OptionsSweepKnob_names[k]) == (size_t)(eq - arg) && strncmp(arg, OptionsSweepKnob_names[k], (size_t)(eq - arg)) == 0)
         knob = k;
   if (knob < 0) {
      options_error(err, errlen, "--%s '%s': expected batch=V,V,... or threads=V,V,...", o->name, arg);
      return false;
   }
   for (uint32_t i = 0; i < this->n_sweep; i++) {
      if (this->sweep[i].knob == knob) {
         options_error(err, errlen, "--%s '%s': %s is swept twice", o->name, arg, OptionsSweepKnob_names[knob]);
         return false;
      }
   }
   sw->knob = knob;
   sw->n = 0;
   uint64_t max = knob == SWEEP_THREADS ? KNOBS_THREADS_MAX : KNOBS_BATCH_MAX;
   if (TextList_hasEmpty(eq + 1, ',')) {
      options_error(err, errlen, "--%s '%s': an empty value; expected %s=V,V,...", o->name, arg,
                    OptionsSweepKnob_names[knob]);
      return false;
   }
   char* copy = xstrdup(eq + 1);
   char* save = NULL;
   bool ok = true;
   for (char* tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      uint64_t v;
      if (sw->n >= OPTIONS_SWEEP_VALUES || !Units_parseWhole(tok, &v) || v < 1 || v > max) {
         options_error(err, errlen, "--%s '%s': expected up to %d whole numbers from 1 to %llu", o->name, arg,
                       OPTIONS_SWEEP_VALUES, (unsigned long long)max);
         ok = false;
         break;
      }
      sw->value[sw->n++] = (uint32_t)v;
   }
   free(copy);
   if (ok && sw->n == 0) {
      options_error(err, errlen, "--%s '%s': no values", o->name, arg);
      ok = false;
   }
   if (ok)
      this->n_sweep++;
   return ok;
}

static bool options_inRange(const OptionDef* o, double v) {
   return v >= o->min && v <= o->max;
}

/* A whole number of the row's range, read exactly in 64 bits (a seed above 2^53 is not rounded). */
static bool options_whole(const OptionDef* o, const char* arg, uint64_t* v) {
   if (!Units_parseWhole(arg, v) || (double)*v < o->min)
      return false;
   return o->max >= 18446744073709551615.0 || *v <= (uint64_t)o->max;
}

/* A number of the row's kind (a rate, a plain number, a speed factor or "max" as 0) in its
 * range; false when arg is not one. */
static bool options_number(const OptionDef* o, const char* arg, double* v) {
   if (o->kind == OPT_RATE)
      return Units_parseCount(arg, v) && options_inRange(o, *v);
   if (o->kind == OPT_SPEED && strcmp(arg, "max") == 0) {
      *v = 0;
      return true;
   }
   return Units_parseNumber(arg, v) && options_inRange(o, *v);
}

static bool options_enum(const OptionDef* o, const char* arg, int* field) {
   for (int i = 0; i < o->n_names; i++) {
      if (strcmp(arg, o->names[i]) == 0) {
         *field = i;
         return true;
      }
   }
   return false;
}

/* --max-backlog: records, or bytes when it has a byte unit; the other cap is then off (0). */
static bool options_backlog(Options* this, const char* arg) {
   uint64_t v;
   if (Units_hasByteUnit(arg)) {
      if (!Units_parseBytes(arg, &v) || v < 4096 || v > (uint64_t)OPTIONS_BACKLOG_BYTES_MAX)
         return false;
      this->setup.knobs.max_backlog_bytes = v;
      this->setup.knobs.max_backlog_records = 0;
   } else {
      if (!Units_parseWhole(arg, &v) || v < 1 || v > OPTIONS_BACKLOG_RECORDS_MAX)
         return false;
      this->setup.knobs.max_backlog_records = v;
      this->setup.knobs.max_backlog_bytes = 0;
   }
   return true;
}

/* --naive / --optimized LIST: the row's offset says which (0 naive, 1 optimized). */
static bool options_stages(Options* this, const OptionDef* o, const char* arg, char* err, size_t errlen) {
   unsigned mask;
   char why[128];
   if (!Options_parseStageList(arg, &mask, why, sizeof why)) {
      options_error(err, errlen, "--%s '%s': %s", o->name, arg, why);
      return false;
   }
   for (int s = 0; s < STAGE_LAST; s++)
      if (mask & (1u << s))
         this->setup.knobs.variant[s] = o->offset ? VARIANT_OPTIMIZED : VARIANT_NAIVE;
   return true;
}

/* One side of --valid-range: a plain decimal, or empty, "inf" or "-inf" for no bound there. */
static bool options_bound(const char* s, size_t n, double open, double* out) {
   char text[64];
   if (n >= sizeof text)
      return false;
   memcpy(text, s, n);
   text[n] = '\0';
   if (n == 0 || strcmp(text, open < 0 ? "-inf" : "inf") == 0 || (open > 0 && strcmp(text, "+inf") == 0)) {
      *out = open;
      return true;
   }
   return Units_parseNumber(text, out);
}

/* --valid-range LO:HI; either side may be left open */
static bool options_range(Options* this, const char* arg) {
   const char* colon = strchr(arg, ':');
   double lo, hi;
   if (!colon || !options_bound(arg, (size_t)(colon - arg), -INFINITY, &lo) ||
       !options_bound(colon + 1, strlen(colon + 1), INFINITY, &hi) || !(lo < hi))
      return false;
   this->setup.valid_lo = lo;
   this->setup.valid_hi = hi;
   return true;
}

/* An empty argument, named by what the option takes (--na takes markers, not a file) */
static bool options_emptyName(const OptionDef* o, char* err, size_t errlen) {
   bool file = !o->arg || strcmp(o->arg, "FILE") == 0;
   options_error(err, errlen, "--%s: expected %s, got an empty one", o->name, file ? "a file name" : o->arg);
   return false;
}

/* A repeatable file option (--replay): one more file, up to the row's max. */
static bool options_list(const OptionDef* o, const char* arg, struct OptionsList* list, char* err, size_t errlen) {
   if (!*arg)
      return options_emptyName(o, err, errlen);
   if (list->n >= (uint32_t)o->max) {
      options_error(err, errlen, "--%s '%s': at most %.0f files", o->name, arg, o->max);
      return false;
   }
   list->item[list->n++] = arg;
   return true;
}

/* --delimiter: one character that cannot be confused with the CSV's quoting or lines, or tab. */
static bool options_char(const char* arg, char* field) {
   char c = arg[0];
   if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
      c = '\t';
   else if (!arg[0] || arg[1] || c == '"' || c == '\n' || c == '\r')
      return false;
   *field = c;
   return true;
}

/* Store one option's value by its row's kind; false with err set when it is not acceptable. */
static bool options_set(Options* this, const OptionDef* o, const char* arg, char* err, size_t errlen) {
   void* field = (char*)this + o->offset;
   bool ok = false;
   double v;
   uint64_t u;
   int64_t ns;
   switch (o->kind) {
   case OPT_FLAG:
      *(bool*)field = true;
      return true;
   case OPT_MODE:
      this->mode = MODE_HEADLESS;
      return true;
   case OPT_U32:
      if ((ok = options_whole(o, arg, &u)))
         *(uint32_t*)field = (uint32_t)u;
      break;
   case OPT_U64:
      if ((ok = options_whole(o, arg, &u)))
         *(uint64_t*)field = u;
      break;
   case OPT_RATE:
   case OPT_DOUBLE:
   case OPT_SPEED:
      if ((ok = options_number(o, arg, &v)))
         *(double*)field = v;
      break;
   case OPT_DURATION:
   case OPT_PERIOD:
      if ((ok = Units_parseDuration(arg, &ns) && (options_inRange(o, (double)ns) || (o->kind == OPT_PERIOD && ns == 0))))
         *(int64_t*)field = ns;
      break;
   case OPT_ENUM:
      ok = options_enum(o, arg, field);
      break;
   case OPT_STRING:
      if (!*arg)
         return options_emptyName(o, err, errlen);
      *(const char**)field = arg;
      return true;
   case OPT_BACKLOG:
      ok = options_backlog(this, arg);
      break;
   case OPT_STAGES:
      return options_stages(this, o, arg, err, errlen);
   case OPT_RANGE:
      ok = options_range(this, arg);
      break;
   case OPT_LIST:
      return options_list(o, arg, field, err, errlen);
   case OPT_CHAR:
      ok = options_char(arg, field);
      break;
   case OPT_STAGECOST:
      return options_stageCost(this, o, arg, err, errlen);
   case OPT_SWEEP:
      return options_sweep(this, o, arg, err, errlen);
   case OPT_KNOBS: /* expanded by options_rows */
   case OPT_HELP:
   case OPT_VERSION:
      return true;
   }
   if (!ok) {
      char range[160];
      options_rangeText(o, range, sizeof range);
      options_error(err, errlen, "--%s '%s': expected %s", o->name, arg, range);
   }
   return ok;
}

OptionsResult Options_parse(Options* this, int argc, char** argv, char* err, size_t errlen) {
   OptionDef rows[N_OPTIONS];
   size_t nrows = options_rows(rows);
   struct option longopts[N_OPTIONS + 1];
   char shortopts[3 * N_OPTIONS + 2];
   size_t ns = 0;
   shortopts[ns++] = ':'; /* report a missing argument as ':' */
   for (size_t i = 0; i < nrows; i++) {
      const OptionDef* o = &rows[i];
      longopts[i] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL, 256 + (int)i};
      if (o->short_name) {
         shortopts[ns++] = (char)o->short_name;
         if (o->arg)
            shortopts[ns++] = ':';
      }
   }
   shortopts[ns] = '\0';
   longopts[nrows] = (struct option){0, 0, 0, 0};

   opterr = 0;
   optind = 0; /* 0, not 1: glibc then also forgets a half-read cluster of short options */
   for (;;) {
      int longindex = -1;
      int c = getopt_long(argc, argv, shortopts, longopts, &longindex);
      if (c == -1)
         break;
      if (c == '?') {
         if (optopt >= 256 && (size_t)(optopt - 256) < nrows)
            options_error(err, errlen, "option '--%s' takes no value (see keepup --help)", rows[optopt - 256].name);
         else if (optopt > 0 && optopt < 256)
            options_error(err, errlen, "unknown option '-%c' (see keepup --help)", optopt);
         else
            options_error(err, errlen, "unknown option '%s' (see keepup --help)", argv[optind - 1]);
         return OPTIONS_ERROR;
      }
      if (c == ':') {
         const char* given = argv[optind - 1];
         options_error(err, errlen, "option '%s' needs a value (see keepup --help)", given);
         return OPTIONS_ERROR;
      }
      size_t row = nrows;
      if (c >= 256)
         row = (size_t)(c - 256);
      else
         for (size_t i = 0; i < nrows; i++)
            if (rows[i].short_name == c)
               row = i;
      if (row >= nrows) {
         options_error(err, errlen, "unknown option (see keepup --help)");
         return OPTIONS_ERROR;
      }
      const OptionDef* o = &rows[row];
      if (o->kind == OPT_HELP || o->kind == OPT_VERSION)
         this->given[row / 64] |= UINT64_C(1) << (row % 64); /* so the caller can name what it printed */
      if (o->kind == OPT_HELP) {
         Options_printHelp(stdout);
         return OPTIONS_EXIT_OK;
      }
      if (o->kind == OPT_VERSION) {
         printf("%s\n", PACKAGE_STRING);
         return OPTIONS_EXIT_OK;
      }
      if (!options_set(this, o, optarg, err, errlen))
         return OPTIONS_ERROR;
      this->given[row / 64] |= UINT64_C(1) << (row % 64);
      Setup_markGiven(&this->setup, o->field);
   }
   if (optind < argc) {
      options_error(err, errlen, "unexpected argument '%s' (keepup takes only options; see keepup --help)", argv[optind]);
      return OPTIONS_ERROR;
   }
   if (this->n_sweep == 0) {
      static const char* const sweep_only[] = {"repeat", "point", "warmup"};
      for (size_t i = 0; i < sizeof sweep_only / sizeof sweep_only[0]; i++) {
         if (Options_given(this, sweep_only[i])) {
            options_error(err, errlen, "--%s works only with --sweep", sweep_only[i]);
            return OPTIONS_ERROR;
         }
      }
   }
   if (this->mode != MODE_HEADLESS) {
      static const char* const headless_only[] = {"drain", "sweep", "repeat", "point", "warmup"};
      for (size_t i = 0; i < sizeof headless_only / sizeof headless_only[0]; i++) {
         if (Options_given(this, headless_only[i])) {
            options_error(err, errlen, "--%s works only with --headless", headless_only[i]);
            return OPTIONS_ERROR;
         }
      }
      if (Options_given(this, "interval") && !this->metrics_csv) {
         options_error(err, errlen, "--interval works in the dashboard only with --metrics-csv (its rows' period)");
         return OPTIONS_ERROR;
      }
   }
   return OPTIONS_OK;
}

bool Options_given(const Options* this, const char* name) {
   OptionDef rows[N_OPTIONS];
   size_t nrows = options_rows(rows);
   for (size_t i = 0; i < nrows; i++)
      if (strcmp(rows[i].name, name) == 0)
         return (this->given[i / 64] >> (i % 64)) & 1;
   return false;
}

void Options_printHelp(FILE* out) {
   fprintf(out,
           "Usage: keepup [OPTION]...\n"
           "Run a multi-threaded sensor pipeline and show, live, whether it keeps up.\n"
           "With no mode, keepup starts the full-screen dashboard.\n");
   OptionDef rows[N_OPTIONS];
   size_t nrows = options_rows(rows);
   for (size_t i = 0; i < nrows; i++) {
      const OptionDef* o = &rows[i];
      char left[64];
      if (o->group)
         fprintf(out, "\n%s:\n", o->group);
      if (o->short_name)
         snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
      else
         snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
      fprintf(out, "  %-24s %s", left, o->help);
      if (o->def)
         fprintf(out, " [%s]", o->def);
      fputc('\n', out);
   }
   fprintf(out,
           "\nUnits: counts take k, M, G (2.5M); durations need ns, us, ms, s, m or h (500ms);\n"
           "sizes need B, KB, MB, GB, KiB, MiB or GiB (64MB).\n"
           "\nExit status: 0 success, 1 runtime error, 2 bad command line, 3 output or\n"
           "recording failed, 4 out of memory, 5 a replayed file could not be read.\n"
           "\nExamples:\n"
           "  keepup                                   the dashboard, the lecture scenario\n"
           "  keepup --scenario amdahl                 which stage is worth optimizing?\n"
           "  keepup -H -d 10s --json                  10 s headless, JSON summary\n"
           "  keepup -d 60s --json > run.json          a 60 s dashboard demo, its summary kept\n"
           "  keepup -H -d 30s -a burst --burst 50k --every 1s --optimized all\n"
           "  keepup -H --sweep batch=1,16,256,4096 --scenario none --optimized all\n"
           "  keepup --replay rec.csv --speed 10      replay a recording ten times as fast\n"
           "\nSee keepup(1) for every key of the dashboard.\n");
}
