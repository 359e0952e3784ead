/* scenarioplan.c: a scenario's knobs against the running pipeline's. */
#include "config.h"

#include "ui/scenarioplan.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "units.h"

/* Put back the default of every knob a scenario may set, unless the command line gave it. */
static void plan_reset(Options* t, const Options* def) {
   if (!Options_given(t, "window"))
      t->window = def->window;
   if (!Options_given(t, "arrival"))
      t->arrival = def->arrival;
   if (!Options_given(t, "burst"))
      t->burst = def->burst;
   if (!Options_given(t, "every"))
      t->every_ns = def->every_ns;
   if (!Options_given(t, "rate"))
      t->rate = def->rate;
   if (!Options_given(t, "threads"))
      t->threads = def->threads;
   if (!Options_given(t, "batch"))
      t->batch = def->batch;
   if (!Options_given(t, "linger"))
      t->linger_ns = def->linger_ns;
   if (!Options_given(t, "allowlist"))
      t->allowlist = def->allowlist;
   if (!Options_given(t, "sensors"))
      t->sensors = def->sensors;
   if (!Options_given(t, "hot"))
      t->hot = def->hot;
   if (!Options_given(t, "dispatch-cost"))
      t->dispatch_cost_ns = def->dispatch_cost_ns;
   if (!Options_given(t, "stage-cost"))
      memcpy(t->stage_cost_ns, def->stage_cost_ns, sizeof t->stage_cost_ns);
   if (!Options_given(t, "max-backlog")) {
      t->max_backlog_records = def->max_backlog_records;
      t->max_backlog_bytes = def->max_backlog_bytes;
   }
   if (!Options_given(t, "naive") && !Options_given(t, "optimized"))
      memcpy(t->variant, def->variant, sizeof t->variant);
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
      Scenario_apply((ScenarioId)id, cal, t);
   t->scenario = id;

   char a[32], b[32], text[112];
   /* what the engine cannot change while it runs */
   char* r = out->restart;
   size_t rl = sizeof out->restart;
   if (!replaying && t->sensors != in_force->sensors) {
      snprintf(text, sizeof text, "sensors %" PRIu32 " -> %" PRIu32, in_force->sensors, t->sensors);
      plan_add(r, rl, text);
   }
   if (!replaying && t->arrival != now->arrival) {
      snprintf(text, sizeof text, "arrival %s -> %s", Arrival_names[now->arrival], Arrival_names[t->arrival]);
      plan_add(r, rl, text);
   }
   if (!replaying && t->hot != in_force->hot) {
      snprintf(text, sizeof text, "hot sensor %.0f%% -> %.0f%%", in_force->hot * 100, t->hot * 100);
      plan_add(r, rl, text);
   }
   if (!replaying && t->allowlist != in_force->allowlist) {
      snprintf(text, sizeof text, "allowlist %" PRIu32 " -> %" PRIu32, in_force->allowlist, t->allowlist);
      plan_add(r, rl, text);
   }
   if (t->max_backlog_records != now->max_backlog_records || t->max_backlog_bytes != now->max_backlog_bytes) {
      plan_cap(a, sizeof a, now->max_backlog_records, now->max_backlog_bytes);
      plan_cap(b, sizeof b, t->max_backlog_records, t->max_backlog_bytes);
      snprintf(text, sizeof text, "memory cap %s -> %s", a, b);
      plan_add(r, rl, text);
   }
   out->live = out->restart[0] == '\0';

   /* what it can */
   char* c = out->changes;
   size_t cl = sizeof out->changes;
   if (t->batch != now->batch) {
      snprintf(text, sizeof text, "batch %" PRIu32 " -> %" PRIu32, now->batch, t->batch);
      plan_add(c, cl, text);
      out->n_changes++;
   }
   if (t->linger_ns != now->linger_ns) {
      plan_duration(a, sizeof a, now->linger_ns);
      plan_duration(b, sizeof b, t->linger_ns);
      snprintf(text, sizeof text, "linger %s -> %s", a, b);
      plan_add(c, cl, text);
      out->n_changes++;
   }
   if (t->threads != now->threads) {
      snprintf(text, sizeof text, "threads %" PRIu32 " -> %" PRIu32, now->threads, t->threads);
      plan_add(c, cl, text);
      out->n_changes++;
   }
   if (!replaying && t->arrival == now->arrival) {
      if (t->arrival == ARRIVAL_BURST && (t->burst != now->burst || t->every_ns != now->every_ns)) {
         plan_count(a, sizeof a, (double)now->burst);
         plan_count(b, sizeof b, (double)t->burst);
         snprintf(text, sizeof text, "burst %s -> %s rec", a, b);
         plan_add(c, cl, text);
         if (t->every_ns != now->every_ns) {
            plan_duration(a, sizeof a, now->every_ns);
            plan_duration(b, sizeof b, t->every_ns);
            snprintf(text, sizeof text, "every %s -> %s", a, b);
            plan_add(c, cl, text);
         }
         out->n_changes++;
      } else if (t->arrival != ARRIVAL_BURST && t->rate != now->rate) {
         plan_count(a, sizeof a, now->rate);
         plan_count(b, sizeof b, t->rate);
         snprintf(text, sizeof text, "rate %s -> %s rec/s", a, b);
         plan_add(c, cl, text);
         out->n_changes++;
      }
   }
   if (!replaying && t->window != now->window) {
      snprintf(text, sizeof text, "window %" PRIu32 " -> %" PRIu32, now->window, t->window);
      plan_add(c, cl, text);
      out->n_changes++;
   }
   plan_variants(out, now);
   if (t->dispatch_cost_ns != now->dispatch_cost_ns) {
      plan_duration(a, sizeof a, now->dispatch_cost_ns);
      plan_duration(b, sizeof b, t->dispatch_cost_ns);
      snprintf(text, sizeof text, "dispatch cost %s -> %s per batch (simulated)", a, b);
      plan_add(c, cl, text);
      out->n_changes++;
   }
   for (int s = 0; s < STAGE_LAST; s++) {
      if (t->stage_cost_ns[s] == now->stage_cost_ns[s])
         continue;
      plan_duration(a, sizeof a, now->stage_cost_ns[s]);
      plan_duration(b, sizeof b, t->stage_cost_ns[s]);
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
