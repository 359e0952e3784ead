/* scenarioplan.c: a scenario's knobs against the running pipeline's. */
#include "config.h"

#include "ui/scenarioplan.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/units.h"

/* Put back the default of every knob a scenario may set, unless the command line gave it. */
static void plan_reset(Options* t, const Options* def) {
   if (!Options_given(t, "window"))
      t->setup.knobs.window = def->setup.knobs.window;
   if (!Options_given(t, "arrival"))
      t->setup.knobs.arrival = def->setup.knobs.arrival;
   if (!Options_given(t, "burst"))
      t->setup.knobs.burst = def->setup.knobs.burst;
   if (!Options_given(t, "every"))
      t->setup.knobs.every_ns = def->setup.knobs.every_ns;
   if (!Options_given(t, "rate"))
      t->setup.knobs.rate = def->setup.knobs.rate;
   if (!Options_given(t, "threads"))
      t->setup.knobs.threads = def->setup.knobs.threads;
   if (!Options_given(t, "batch"))
      t->setup.knobs.batch = def->setup.knobs.batch;
   if (!Options_given(t, "linger"))
      t->setup.knobs.linger_ns = def->setup.knobs.linger_ns;
   if (!Options_given(t, "allowlist"))
      t->setup.allowlist = def->setup.allowlist;
   if (!Options_given(t, "sensors"))
      t->setup.sensors = def->setup.sensors;
   if (!Options_given(t, "hot"))
      t->setup.hot = def->setup.hot;
   if (!Options_given(t, "dispatch-cost"))
      t->setup.knobs.dispatch_cost_ns = def->setup.knobs.dispatch_cost_ns;
   if (!Options_given(t, "stage-cost"))
      memcpy(t->setup.knobs.stage_cost_ns, def->setup.knobs.stage_cost_ns, sizeof t->setup.knobs.stage_cost_ns);
   if (!Options_given(t, "max-backlog")) {
      t->setup.knobs.max_backlog_records = def->setup.knobs.max_backlog_records;
      t->setup.knobs.max_backlog_bytes = def->setup.knobs.max_backlog_bytes;
   }
   if (!Options_given(t, "naive") && !Options_given(t, "optimized"))
      memcpy(t->setup.knobs.variant, def->setup.knobs.variant, sizeof t->setup.knobs.variant);
}

/* Append ", text" (or text) to a list in buf. */
static void plan_add(char* buf, size_t len, const char* text) {
   size_t n = strlen(buf);
   if (n + 1 >= len)
      return;
   snprintf(buf + n, len - n, "%s%s", n ? ", " : "", text);
}

static void plan_count(char* buf, size_t len, double v) {
   Units_formatCount(buf, len, v);
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

static void plan_variants(ScenarioPlan* out, const Knobs* now) {
   const Options* t = &out->target;
   int changed = 0, to_opt = 0;
   for (int s = 0; s < STAGE_LAST; s++) {
      if (t->setup.knobs.variant[s] != now->variant[s]) {
         changed++;
         to_opt += t->setup.knobs.variant[s] == VARIANT_OPTIMIZED;
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
      if (t->setup.knobs.variant[s] == now->variant[s])
         continue;
      snprintf(text, sizeof text, "%s %s", Stage_table[s].name, Variant_name(t->setup.knobs.variant[s]));
      plan_add(out->changes, sizeof out->changes, text);
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
   Options* t = &out->target;
   plan_reset(t, &def);
   if (id >= 0 && id < SCENARIO_LAST)
      Scenario_apply((ScenarioId)id, cal, &t->setup);
   t->scenario = id;

   char a[32], b[32], text[112];
   /* what the engine cannot change while it runs */
   char* r = out->restart;
   size_t rl = sizeof out->restart;
   if (!replaying && t->setup.sensors != in_force->setup.sensors) {
      snprintf(text, sizeof text, "sensors %" PRIu32 " -> %" PRIu32, in_force->setup.sensors, t->setup.sensors);
      plan_add(r, rl, text);
   }
   if (!replaying && t->setup.knobs.arrival != now->arrival) {
      snprintf(text, sizeof text, "arrival %s -> %s", Arrival_names[now->arrival], Arrival_names[t->setup.knobs.arrival]);
      plan_add(r, rl, text);
   }
   if (!replaying && t->setup.hot != in_force->setup.hot) {
      snprintf(text, sizeof text, "hot sensor %.0f%% -> %.0f%%", in_force->setup.hot * 100, t->setup.hot * 100);
      plan_add(r, rl, text);
   }
   if (!replaying && t->setup.allowlist != in_force->setup.allowlist) {
      snprintf(text, sizeof text, "allowlist %" PRIu32 " -> %" PRIu32, in_force->setup.allowlist, t->setup.allowlist);
      plan_add(r, rl, text);
   }
   if (t->setup.knobs.max_backlog_records != now->max_backlog_records || t->setup.knobs.max_backlog_bytes != now->max_backlog_bytes) {
      plan_cap(a, sizeof a, now->max_backlog_records, now->max_backlog_bytes);
      plan_cap(b, sizeof b, t->setup.knobs.max_backlog_records, t->setup.knobs.max_backlog_bytes);
      snprintf(text, sizeof text, "memory cap %s -> %s", a, b);
      plan_add(r, rl, text);
   }
   out->live = out->restart[0] == '\0';

   /* what it can */
   char* c = out->changes;
   size_t cl = sizeof out->changes;
   if (t->setup.knobs.batch != now->batch) {
      snprintf(text, sizeof text, "batch %" PRIu32 " -> %" PRIu32, now->batch, t->setup.knobs.batch);
      plan_add(c, cl, text);
      out->n_changes++;
   }
   if (t->setup.knobs.linger_ns != now->linger_ns) {
      plan_duration(a, sizeof a, now->linger_ns);
      plan_duration(b, sizeof b, t->setup.knobs.linger_ns);
      snprintf(text, sizeof text, "linger %s -> %s", a, b);
      plan_add(c, cl, text);
      out->n_changes++;
   }
   if (t->setup.knobs.threads != now->threads) {
      snprintf(text, sizeof text, "threads %" PRIu32 " -> %" PRIu32, now->threads, t->setup.knobs.threads);
      plan_add(c, cl, text);
      out->n_changes++;
   }
   if (!replaying && t->setup.knobs.arrival == now->arrival) {
      if (t->setup.knobs.arrival == ARRIVAL_BURST && (t->setup.knobs.burst != now->burst || t->setup.knobs.every_ns != now->every_ns)) {
         plan_count(a, sizeof a, (double)now->burst);
         plan_count(b, sizeof b, (double)t->setup.knobs.burst);
         snprintf(text, sizeof text, "burst %s -> %s rec", a, b);
         plan_add(c, cl, text);
         if (t->setup.knobs.every_ns != now->every_ns) {
            plan_duration(a, sizeof a, now->every_ns);
            plan_duration(b, sizeof b, t->setup.knobs.every_ns);
            snprintf(text, sizeof text, "every %s -> %s", a, b);
            plan_add(c, cl, text);
         }
         out->n_changes++;
      } else if (t->setup.knobs.arrival != ARRIVAL_BURST && t->setup.knobs.rate != now->rate) {
         plan_count(a, sizeof a, now->rate);
         plan_count(b, sizeof b, t->setup.knobs.rate);
         snprintf(text, sizeof text, "rate %s -> %s rec/s", a, b);
         plan_add(c, cl, text);
         out->n_changes++;
      }
   }
   if (!replaying && t->setup.knobs.window != now->window) {
      snprintf(text, sizeof text, "window %" PRIu32 " -> %" PRIu32, now->window, t->setup.knobs.window);
      plan_add(c, cl, text);
      out->n_changes++;
   }
   plan_variants(out, now);
   if (t->setup.knobs.dispatch_cost_ns != now->dispatch_cost_ns) {
      plan_duration(a, sizeof a, now->dispatch_cost_ns);
      plan_duration(b, sizeof b, t->setup.knobs.dispatch_cost_ns);
      snprintf(text, sizeof text, "dispatch cost %s -> %s per batch (simulated)", a, b);
      plan_add(c, cl, text);
      out->n_changes++;
   }
   for (int s = 0; s < STAGE_LAST; s++) {
      if (t->setup.knobs.stage_cost_ns[s] == now->stage_cost_ns[s])
         continue;
      plan_duration(a, sizeof a, now->stage_cost_ns[s]);
      plan_duration(b, sizeof b, t->setup.knobs.stage_cost_ns[s]);
      snprintf(text, sizeof text, "%s cost %s -> %s per record (simulated)", Stage_table[s].name, a, b);
      plan_add(c, cl, text);
      out->n_changes++;
   }
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

/* Append s at *n; what does not fit is cut, and *n becomes len so that nothing follows. */
static void plan_append(char* buf, size_t len, size_t* n, const char* s) {
   if (*n >= len)
      return;
   size_t k = strlen(s);
   size_t room = len - 1 - *n;
   if (k > room) {
      memcpy(buf + *n, s, room);
      buf[len - 1] = '\0';
      *n = len;
      return;
   }
   memcpy(buf + *n, s, k + 1);
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

void ScenarioPlan_command(char* buf, size_t len, const char* const* argv, int argc, int id) {
   if (len == 0)
      return;
   buf[0] = '\0';
   size_t n = 0;
   plan_appendArg(buf, len, &n, argc > 0 && argv[0] && argv[0][0] ? argv[0] : "keepup");
   for (int i = 1; i < argc && n < len; i++) {
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
   if (n < len) {
      plan_append(buf, len, &n, " --scenario ");
      plan_append(buf, len, &n, Scenario_names[id >= 0 && id <= SCENARIO_LAST ? id : SCENARIO_LAST]);
   }
   if (n >= len)
      buf[len - 1] = '\0';
}
