/* scenarioplan.c: a scenario's knobs against the running pipeline's. */
#include "config.h"

#include "ui/scenarioplan.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/units.h"

/* Put back the default of every knob, unless the command line gave it: a
 * scenario then starts from what `--scenario` would start from. */
static void plan_reset(Setup* t, const Setup* def) {
   for (int id = 0; id < KNOB_LAST; id++)
      if (!Setup_given(t, id))
         Knobs_set(&t->knobs, (KnobId)id, Knobs_get(&def->knobs, (KnobId)id));
   if (!Setup_given(t, SETUP_ALLOWLIST))
      t->allowlist = def->allowlist;
   if (!Setup_given(t, SETUP_SENSORS))
      t->sensors = def->sensors;
   if (!Setup_given(t, SETUP_HOT))
      t->hot = def->hot;
   if (!Setup_given(t, SETUP_STAGE_COST))
      memcpy(t->knobs.stage_cost_ns, def->knobs.stage_cost_ns, sizeof t->knobs.stage_cost_ns);
   if (!Setup_given(t, SETUP_MAX_BACKLOG)) {
      t->knobs.max_backlog_records = def->knobs.max_backlog_records;
      t->knobs.max_backlog_bytes = def->knobs.max_backlog_bytes;
   }
   if (!Setup_given(t, SETUP_VARIANTS))
      memcpy(t->knobs.variant, def->knobs.variant, sizeof t->knobs.variant);
}

/* Append ", text" (or text) to a list in buf. */
static void plan_add(char* buf, size_t len, const char* text) {
   size_t n = strlen(buf);
   if (n + 1 >= len)
      return;
   snprintf(buf + n, len - n, "%s%s", n ? ", " : "", text);
}

static void plan_duration(char* buf, size_t len, int64_t ns) {
   if (ns == 0)
      snprintf(buf, len, "0");
   else
      Units_formatDuration(buf, len, ns);
}

static void plan_cap(char* buf, size_t len, uint64_t records, uint64_t bytes) {
   char n[16];
   if (records) {
      Units_formatCount(n, sizeof n, (double)records);
      snprintf(buf, len, "%s rec", n);
   } else {
      Units_formatBytes(buf, len, (double)bytes);
   }
}

/* Whether a knob's difference belongs in the plan: a replay's file decides the
 * arrivals and the window, only the arrival mode in force uses the rate or the
 * burst, and the replay's pace is the user's, never a lesson's. */
static bool plan_concerns(KnobId id, const Knobs* target, const Knobs* now, bool replaying) {
   bool same_arrival = !replaying && target->arrival == now->arrival;
   switch (id) {
   case KNOB_ARRIVAL:
   case KNOB_WINDOW:
      return !replaying;
   case KNOB_RATE:
      return same_arrival && target->arrival != ARRIVAL_BURST;
   case KNOB_BURST:
   case KNOB_EVERY:
      return same_arrival && target->arrival == ARRIVAL_BURST;
   case KNOB_SPEED:
      return false;
   default:
      return true;
   }
}

/* "batch 64 -> 1 rec/batch", "dispatch cost 0 -> 500 us per batch (simulated)". */
static void plan_knobText(char* buf, size_t len, KnobId id, double from, double to) {
   const KnobDef* d = &Knob_table[id];
   char name[32], a[32], b[32];
   snprintf(name, sizeof name, "%s", d->name);
   for (char* c = name; *c; c++)
      if (*c == '-')
         *c = ' ';
   if (d->type == KNOB_TYPE_DURATION) {
      plan_duration(a, sizeof a, (int64_t)from);
      plan_duration(b, sizeof b, (int64_t)to);
   } else {
      Knob_format(id, from, a, sizeof a);
      Knob_format(id, to, b, sizeof b);
   }
   snprintf(buf, len, "%s %s -> %s%s%s%s", name, a, b, d->unit ? " " : "", d->unit ? d->unit : "",
            id == KNOB_DISPATCH_COST ? " (simulated)" : "");
}

/* Every scalar knob once: a live one's difference is a change, another's needs a restart. */
static void plan_knobs(ScenarioPlan* out, const Knobs* now) {
   const Knobs* t = &out->target.setup.knobs;
   char text[112];
   for (int i = 0; i < KNOB_LAST; i++) {
      KnobId id = (KnobId)i;
      double from = Knobs_get(now, id), to = Knobs_get(t, id);
      if (from == to || !plan_concerns(id, t, now, out->replay))
         continue;
      plan_knobText(text, sizeof text, id, from, to);
      if (Knob_table[id].live) {
         out->knob[id] = true;
         out->n_changes++;
         plan_add(out->changes, sizeof out->changes, text);
      } else {
         plan_add(out->restart, sizeof out->restart, text);
      }
   }
}

/* The simulated fleet and the memory cap: set at start only. */
static void plan_fleet(ScenarioPlan* out, const Options* in_force, const Knobs* now) {
   const Setup* t = &out->target.setup;
   const Setup* f = &in_force->setup;
   char a[32], b[32], text[112];
   char* r = out->restart;
   size_t rl = sizeof out->restart;
   if (!out->replay && t->sensors != f->sensors) {
      snprintf(text, sizeof text, "sensors %" PRIu32 " -> %" PRIu32, f->sensors, t->sensors);
      plan_add(r, rl, text);
   }
   if (!out->replay && t->hot != f->hot) {
      snprintf(text, sizeof text, "hot sensor %.0f%% -> %.0f%%", f->hot * 100, t->hot * 100);
      plan_add(r, rl, text);
   }
   if (!out->replay && t->allowlist != f->allowlist) {
      snprintf(text, sizeof text, "allowlist %" PRIu32 " -> %" PRIu32, f->allowlist, t->allowlist);
      plan_add(r, rl, text);
   }
   if (t->knobs.max_backlog_records != now->max_backlog_records ||
       t->knobs.max_backlog_bytes != now->max_backlog_bytes) {
      plan_cap(a, sizeof a, now->max_backlog_records, now->max_backlog_bytes);
      plan_cap(b, sizeof b, t->knobs.max_backlog_records, t->knobs.max_backlog_bytes);
      snprintf(text, sizeof text, "memory cap %s -> %s", a, b);
      plan_add(r, rl, text);
   }
}

static void plan_variants(ScenarioPlan* out, const Knobs* now) {
   const Knobs* t = &out->target.setup.knobs;
   int changed = 0, to_opt = 0;
   for (int s = 0; s < STAGE_LAST; s++) {
      if (t->variant[s] != now->variant[s]) {
         changed++;
         to_opt += t->variant[s] == VARIANT_OPTIMIZED;
      }
   }
   if (changed == 0)
      return;
   out->n_changes += changed;
   char text[64];
   if (changed == STAGE_LAST && (to_opt == 0 || to_opt == STAGE_LAST)) {
      snprintf(text, sizeof text, "all stages %s", to_opt ? "optimized" : "naive");
      plan_add(out->changes, sizeof out->changes, text);
      return;
   }
   for (int s = 0; s < STAGE_LAST; s++) {
      if (t->variant[s] == now->variant[s])
         continue;
      snprintf(text, sizeof text, "%s %s", Stage_table[s].name, Variant_name(t->variant[s]));
      plan_add(out->changes, sizeof out->changes, text);
   }
}

static void plan_stageCosts(ScenarioPlan* out, const Knobs* now) {
   const Knobs* t = &out->target.setup.knobs;
   char a[32], b[32], text[112];
   for (int s = 0; s < STAGE_LAST; s++) {
      if (t->stage_cost_ns[s] == now->stage_cost_ns[s])
         continue;
      plan_duration(a, sizeof a, now->stage_cost_ns[s]);
      plan_duration(b, sizeof b, t->stage_cost_ns[s]);
      snprintf(text, sizeof text, "%s cost %s -> %s per record (simulated)", Stage_table[s].name, a, b);
      plan_add(out->changes, sizeof out->changes, text);
      out->n_changes++;
   }
}

void ScenarioPlan_make(ScenarioPlan* out, int id, const Calibration* cal, const Options* in_force, const Knobs* now,
                       bool replaying) {
   memset(out, 0, sizeof *out);
   out->id = id;
   out->replay = replaying;
   Options def;
   Options_init(&def);
   out->target = *in_force;
   Setup* t = &out->target.setup;
   plan_reset(t, &def.setup);
   if (id >= 0 && id < SCENARIO_LAST)
      Scenario_apply((ScenarioId)id, cal, t);
   out->target.scenario = id;
   plan_knobs(out, now);
   plan_fleet(out, in_force, now);
   out->live = out->restart[0] == '\0';
   out->fresh = !replaying;
   plan_variants(out, now);
   plan_stageCosts(out, now);
}

/* Whether a shell would read arg as one word, unchanged. */
static bool plan_plainWord(const char* arg) {
   if (!*arg)
      return false;
   for (const char* p = arg; *p; p++) {
      char ch = *p;
      bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                strchr("_./=,:+-@%", ch) != NULL;
      if (!ok)
         return false;
   }
   return true;
}

/* Append s at *n: what fits is written (buf stays a string), and *n counts all of it. */
static void plan_append(char* buf, size_t len, size_t* n, const char* s) {
   size_t k = strlen(s);
   if (*n + 1 < len) {
      size_t room = len - 1 - *n;
      size_t take = k < room ? k : room;
      memcpy(buf + *n, s, take);
      buf[*n + take] = '\0';
   }
   *n += k;
}

static void plan_appendArg(char* buf, size_t len, size_t* n, const char* arg) {
   if (*n)
      plan_append(buf, len, n, " ");
   if (plan_plainWord(arg)) {
      plan_append(buf, len, n, arg);
      return;
   }
   plan_append(buf, len, n, "'");
   char one[2] = {0, 0};
   for (const char* p = arg; *p; p++) {
      if (*p == '\'') {
         plan_append(buf, len, n, "'\\''");
      } else {
         one[0] = *p;
         plan_append(buf, len, n, one);
      }
   }
   plan_append(buf, len, n, "'");
}

size_t ScenarioPlan_command(char* buf, size_t len, const char* const* argv, int argc, int id) {
   if (len > 0)
      buf[0] = '\0';
   size_t n = 0;
   plan_appendArg(buf, len, &n, argc > 0 && argv[0] && argv[0][0] ? argv[0] : "keepup");
   for (int i = 1; i < argc; i++) {
      const char* a = argv[i];
      if (strcmp(a, "--") == 0)
         break;
      if (strcmp(a, "--scenario") == 0) {
         i++; /* and its value */
         continue;
      }
      if (strncmp(a, "--scenario=", 11) == 0)
         continue;
      plan_appendArg(buf, len, &n, a);
   }
   plan_append(buf, len, &n, " --scenario ");
   plan_append(buf, len, &n, Scenario_names[id >= 0 && id <= SCENARIO_LAST ? id : SCENARIO_LAST]);
   return n;
}
