/* lesson.c: each lesson's points, checkpoint captions and before/after table, from snapshots. */
#include "config.h"

#include "core/lesson.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/units.h"

/* What a lesson is about, and what it says. */
typedef struct LessonDef {
   uint64_t (*key)(const Knobs* k);                        /* the setting of the lesson's knob */
   void (*label)(const Knobs* k, char* buf, size_t len);   /* ... in a few words */
   void (*neutral)(Knobs* k);                              /* clear that knob, so that the rest compare */
   bool (*caption)(const Lesson* l, char* l0, char* l1, size_t len);
   bool (*ended)(const Lesson* l);
   void (*conclude)(const Lesson* l, char* buf, size_t len); /* the table's first line */
   const char* extra;                                         /* the table's extra column (NULL: none) */
   void (*extraText)(const LessonPoint* p, char* buf, size_t len);
} LessonDef;

/* ------------------------------------------------------------ points */

bool LessonPoint_measured(const LessonPoint* p) {
   return p->samples >= LESSON_MIN_SAMPLES;
}

double LessonPoint_rate(const LessonPoint* p) {
   return !p->samples ? 0 : p->bursty ? p->rate_now : p->rate_sum / p->samples;
}

static double lesson_offered(const LessonPoint* p) {
   return !p->samples ? 0 : p->bursty ? p->in_now : p->in_sum / p->samples;
}

static double lesson_busy(const LessonPoint* p) {
   return p->samples ? p->busy_sum / p->samples : 0;
}

static uint64_t lesson_drops(const LessonPoint* p) {
   return p->dropped > p->dropped0 ? p->dropped - p->dropped0 : 0;
}

static void lesson_count(char* buf, size_t len, double v) {
   Units_formatCount(buf, len, v);
}

static void lesson_secs(char* buf, size_t len, double s) {
   if (s > 0)
      Units_formatDuration(buf, len, (int64_t)(s * 1e9));
   else
      snprintf(buf, len, "0 s");
}

/* The measured point tried last before the current one (NULL: none). */
static const LessonPoint* lesson_previous(const Lesson* l) {
   for (int i = l->npoints - 1; i >= 0; i--)
      if (i != l->current && LessonPoint_measured(&l->point[i]))
         return &l->point[i];
   return NULL;
}

static const LessonPoint* lesson_now(const Lesson* l) {
   return l->current >= 0 && LessonPoint_measured(&l->point[l->current]) ? &l->point[l->current] : NULL;
}

/* Settings measured, each counted once (the first may be tried again at the end). */
static int lesson_measuredCount(const Lesson* l) {
   int n = 0;
   for (int i = 0; i < l->npoints; i++) {
      bool again = i > 0 && l->point[i].key == l->point[0].key;
      n += LessonPoint_measured(&l->point[i]) && !(again && LessonPoint_measured(&l->point[0]));
   }
   return n;
}

static const char* lesson_verdictWords(VerdictState v) {
   switch (v) {
   case VERDICT_KEEPING_UP:
      return "keeps up";
   case VERDICT_FALLING_BEHIND:
      return "falls behind";
   case VERDICT_CATCHING_UP:
      return "catches up";
   default:
      return "waits for its verdict";
   }
}

/* ------------------------------------------------------------ stage variants: lecture, amdahl */

static uint64_t lesson_variantKey(const Knobs* k) {
   uint64_t m = 0;
   for (int s = 0; s < STAGE_LAST; s++)
      if (k->variant[s] == VARIANT_OPTIMIZED)
         m |= UINT64_C(1) << s;
   return m;
}

static void lesson_variantLabel(const Knobs* k, char* buf, size_t len) {
   uint64_t m = lesson_variantKey(k);
   if (m == 0) {
      snprintf(buf, len, "naive");
      return;
   }
   if (m == (UINT64_C(1) << STAGE_LAST) - 1) {
      snprintf(buf, len, "all optimized");
      return;
   }
   size_t n = 0;
   for (int s = 0; s < STAGE_LAST && n < len; s++)
      if (m & (UINT64_C(1) << s))
         n += (size_t)snprintf(buf + n, len - n, "%s%d", n ? "+" : "", s + 1);
   if (n < len)
      snprintf(buf + n, len - n, " optimized");
}

static void lesson_variantNeutral(Knobs* k) {
   for (int s = 0; s < STAGE_LAST; s++)
      k->variant[s] = VARIANT_NAIVE;
}

static bool lesson_bigOptimized(const Lesson* l, const LessonPoint* p) {
   return l->big_stage >= 0 && (p->key & (UINT64_C(1) << l->big_stage));
}

/* The lecture: it falls behind, the big stage is optimized, it keeps up; the backlog's age before/after. */
static bool lesson_lectureCaption(const Lesson* l, char* l0, char* l1, size_t len) {
   const LessonPoint* first = &l->point[0];
   const LessonPoint* cur = l->current >= 0 ? &l->point[l->current] : NULL;
   if (!cur || !LessonPoint_measured(first))
      return false;
   char a[16], b[16], c[16];
   const char* big = l->big_stage >= 0 ? Stage_table[l->big_stage].name : "the big stage";
   if (cur == first) {
      if (cur->verdict != VERDICT_FALLING_BEHIND)
         return false;
      lesson_secs(a, sizeof a, cur->oldest_s);
      lesson_count(b, sizeof b, LessonPoint_rate(cur));
      lesson_count(c, sizeof c, lesson_offered(cur));
      snprintf(l0, len, "Measured: it falls behind: the oldest record is %s old; %s rec/s done of %s offered.", a,
               b, c);
      snprintf(l1, len, "%s takes %.0f%% of the time: press %d to optimize it.", big, 100 * l->big_share,
               l->big_stage + 1);
      return true;
   }
   lesson_secs(a, sizeof a, first->oldest_max_s);
   lesson_secs(b, sizeof b, cur->oldest_s);
   if (!lesson_bigOptimized(l, cur)) {
      snprintf(l0, len, "%s: the oldest record was %s old, now %s: it %s.", cur->label, a, b,
               lesson_verdictWords(cur->verdict));
      snprintf(l1, len, "The big share is %s (%.0f%% of the time): press %d.", big, 100 * l->big_share,
               l->big_stage + 1);
      return true;
   }
   snprintf(l0, len, "You optimized %s: the oldest record was %s old, now %s.", big, a, b);
   if (cur->verdict == VERDICT_KEEPING_UP)
      snprintf(l1, len, "It keeps up now: the stage with the time was the one to fix.");
   else if (cur->backlog == 0 && LessonPoint_measured(cur))
      snprintf(l1, len, "The backlog is empty; the verdict judges whole burst periods: wait for it.");
   else if (cur->verdict == VERDICT_FALLING_BEHIND && LessonPoint_measured(cur))
      snprintf(l1, len, "Still falling behind: look for the stage with the most time now.");
   else
      snprintf(l1, len, "The backlog drains: the verdict compares whole burst periods, wait for it.");
   return true;
}

/* It fell behind, then a setting kept up. */
static bool lesson_keptUpAfter(const Lesson* l) {
   const LessonPoint* cur = lesson_now(l);
   return l->npoints >= 2 && cur && cur != &l->point[0] && cur->verdict == VERDICT_KEEPING_UP &&
          l->point[0].verdict != VERDICT_KEEPING_UP && LessonPoint_measured(&l->point[0]);
}

static void lesson_lectureConclude(const Lesson* l, char* buf, size_t len) {
   const char* big = l->big_stage >= 0 ? Stage_table[l->big_stage].name : "the big stage";
   snprintf(buf, len, "Slowness was failure; optimizing %s (%.0f%% of the time) fixed it. Measured:", big,
            100 * l->big_share);
}

/* amdahl: the trial (core/amdahl.c) writes the checkpoints; the lesson keeps the points for the table. */
static bool lesson_none(const Lesson* l, char* l0, char* l1, size_t len) {
   (void)l, (void)l0, (void)l1, (void)len;
   return false;
}

static void lesson_amdahlConclude(const Lesson* l, char* buf, size_t len) {
   const char* big = l->big_stage >= 0 ? Stage_table[l->big_stage].name : "the big stage";
   snprintf(buf, len, "Measure first: the big share (%s, %.0f%%) is what made it keep up. Measured:", big,
            100 * l->big_share);
}

/* ------------------------------------------------------------ batching */

static uint64_t lesson_batchKey(const Knobs* k) {
   return k->batch;
}

static void lesson_batchLabel(const Knobs* k, char* buf, size_t len) {
   snprintf(buf, len, "batch %" PRIu32, k->batch);
}

static void lesson_batchNeutral(Knobs* k) {
   k->batch = 0;
}

#define LESSON_PACE 0.95 /* records done at this share of those offered, or more: the setting keeps pace */

/* Whether the setting did what was offered (a backlog draining counts): a fact of its rates, which the
 * verdict's hysteresis would only tell later. */
static bool lesson_keepsPace(const LessonPoint* p) {
   return lesson_offered(p) > 0 && LessonPoint_rate(p) >= LESSON_PACE * lesson_offered(p);
}

/* The trade-off from the measured points: the smallest batch behind, the smallest keeping up, the largest. */
static bool lesson_tradeoff(const Lesson* l, char* buf, size_t len) {
   const LessonPoint *behind = NULL, *keeps = NULL, *largest = NULL;
   for (int i = 0; i < l->npoints; i++) {
      const LessonPoint* p = &l->point[i];
      if (!LessonPoint_measured(p))
         continue;
      if (lesson_keepsPace(p)) {
         if (!keeps || p->key < keeps->key)
            keeps = p;
         if (!largest || p->key > largest->key)
            largest = p;
      } else if (!behind || p->key < behind->key) {
         behind = p;
      }
   }
   char a[16], b[16];
   if (keeps && behind) {
      lesson_secs(a, sizeof a, keeps->p99_s);
      size_t n = (size_t)snprintf(buf, len, "Measured: batch %" PRIu64 " falls behind; batch %" PRIu64
                                  " keeps pace, p99 %s", behind->key, keeps->key, a);
      if (largest != keeps && largest->p99_s > keeps->p99_s && n < len) {
         lesson_secs(b, sizeof b, largest->p99_s);
         snprintf(buf + n, len - n, "; batch %" PRIu64 " adds latency: p99 %s.", largest->key, b);
      } else if (n < len) {
         snprintf(buf + n, len - n, ".");
      }
      return true;
   }
   if (keeps) {
      lesson_secs(a, sizeof a, largest->p99_s);
      snprintf(buf, len, "Measured: it keeps pace at every batch tried; at batch %" PRIu64 " p99 is %s.",
               largest->key, a);
      return true;
   }
   if (behind) {
      snprintf(buf, len, "Measured: still behind at every batch tried: each batch pays its hand-off. Press B.");
      return true;
   }
   return false;
}

static bool lesson_batchingCaption(const Lesson* l, char* l0, char* l1, size_t len) {
   const LessonPoint* cur = lesson_now(l);
   const LessonPoint* prev = lesson_previous(l);
   if (!cur)
      cur = prev, prev = NULL;
   if (!cur)
      return false;
   char a[16], b[16], c[16], d[16];
   lesson_count(a, sizeof a, LessonPoint_rate(cur));
   lesson_secs(c, sizeof c, cur->p99_s);
   if (!prev) {
      lesson_count(b, sizeof b, lesson_offered(cur));
      snprintf(l0, len, "Batch %" PRIu64 ": %s rec/s done of %s offered, p99 %s: it %s.", cur->key, a, b, c,
               lesson_keepsPace(cur) ? "keeps pace" : "falls behind");
      snprintf(l1, len, "Press B to grow the batch, and watch both figures.");
      return true;
   }
   lesson_count(b, sizeof b, LessonPoint_rate(prev));
   lesson_secs(d, sizeof d, prev->p99_s);
   snprintf(l0, len, "Batch %" PRIu64 ": %s rec/s done (batch %" PRIu64 ": %s), p99 %s (was %s).", cur->key, a,
            prev->key, b, c, d);
   if (!lesson_tradeoff(l, l1, len))
      snprintf(l1, len, "Press B again.");
   return true;
}

static bool lesson_batchingEnded(const Lesson* l) {
   bool keeps = false, behind = false;
   for (int i = 0; i < l->npoints; i++) {
      const LessonPoint* p = &l->point[i];
      if (LessonPoint_measured(p)) {
         keeps = keeps || lesson_keepsPace(p);
         behind = behind || !lesson_keepsPace(p);
      }
   }
   return lesson_measuredCount(l) >= 3 && keeps && behind;
}

static void lesson_batchingConclude(const Lesson* l, char* buf, size_t len) {
   if (!lesson_tradeoff(l, buf, len))
      snprintf(buf, len, "Batch size trades latency for throughput. Measured:");
}

/* ------------------------------------------------------------ threads, skew */

static uint64_t lesson_threadsKey(const Knobs* k) {
   return k->threads;
}

static void lesson_threadsLabel(const Knobs* k, char* buf, size_t len) {
   snprintf(buf, len, "%" PRIu32 " thread%s", k->threads, k->threads == 1 ? "" : "s");
}

static void lesson_threadsNeutral(Knobs* k) {
   k->threads = 0;
}

/* By thread count: the points measured, fewest threads first (n of them). */
static int lesson_byThreads(const Lesson* l, const LessonPoint** out) {
   int n = 0;
   for (int i = 0; i < l->npoints; i++) {
      const LessonPoint* p = &l->point[i];
      if (!LessonPoint_measured(p))
         continue;
      int j = n++;
      while (j > 0 && out[j - 1]->key > p->key) {
         out[j] = out[j - 1];
         j--;
      }
      out[j] = p;
   }
   return n;
}

#define LESSON_RISE 1.2 /* more threads gave this many times the records: it rose */
#define LESSON_FLAT 1.1 /* ... less than this: it stopped rising */

/* The throughput rose with threads, then stopped: the point where it stopped (NULL: not seen). */
static const LessonPoint* lesson_threadsStop(const Lesson* l, const LessonPoint** rose_to) {
   const LessonPoint* p[LESSON_POINTS];
   int n = lesson_byThreads(l, p);
   const LessonPoint* top = NULL;
   for (int i = 1; i < n; i++) {
      double r0 = LessonPoint_rate(p[i - 1]), r1 = LessonPoint_rate(p[i]);
      if (r0 > 0 && r1 >= LESSON_RISE * r0)
         top = p[i];
      else if (top && r1 < LESSON_FLAT * LessonPoint_rate(top)) {
         *rose_to = top;
         return p[i];
      }
   }
   return NULL;
}

static bool lesson_threadsCaption(const Lesson* l, char* l0, char* l1, size_t len) {
   const LessonPoint* cur = lesson_now(l);
   if (!cur)
      return false;
   const LessonPoint* first = &l->point[0];
   char a[16], b[16];
   lesson_count(a, sizeof a, LessonPoint_rate(cur));
   if (cur == first || !LessonPoint_measured(first)) {
      lesson_count(b, sizeof b, lesson_offered(cur));
      snprintf(l0, len, "%s: %s rec/s done of %s offered; the workers used %.1f CPUs.", cur->label, a, b,
               lesson_busy(cur));
      snprintf(l1, len, "Press T to add a thread: does the throughput follow?");
      return true;
   }
   lesson_count(b, sizeof b, LessonPoint_rate(first));
   snprintf(l0, len, "%s: %s rec/s done (%s: %s, x%.2f); the workers used %.1f CPUs.", cur->label, a, first->label,
            b, LessonPoint_rate(cur) / LessonPoint_rate(first), lesson_busy(cur));
   const LessonPoint* top = NULL;
   const LessonPoint* stop = lesson_threadsStop(l, &top);
   if (stop) {
      lesson_count(a, sizeof a, LessonPoint_rate(top));
      snprintf(l1, len, "It rose to %s rec/s at %s, then stopped: the workers had %.1f CPUs, no more.", a,
               top->label, lesson_busy(stop));
   } else if (LessonPoint_rate(cur) < LESSON_FLAT * LessonPoint_rate(first) && cur->key > first->key) {
      snprintf(l1, len, "No gain: the workers got only %.1f CPUs here (the source and other load took the rest).",
               lesson_busy(cur));
   } else {
      snprintf(l1, len, "Press T again: does it keep rising?");
   }
   return true;
}

static bool lesson_threadsEnded(const Lesson* l) {
   const LessonPoint* top = NULL;
   return lesson_threadsStop(l, &top) != NULL;
}

static void lesson_threadsConclude(const Lesson* l, char* buf, size_t len) {
   const LessonPoint* top = NULL;
   const LessonPoint* stop = lesson_threadsStop(l, &top);
   if (!stop) {
      snprintf(buf, len, "Threads help up to the CPUs the workers can have. Measured:");
      return;
   }
   snprintf(buf, len, "More threads helped up to %s, then not: %.1f CPUs for the workers. Measured:", top->label,
            lesson_busy(stop));
}

static void lesson_cpuText(const LessonPoint* p, char* buf, size_t len) {
   snprintf(buf, len, "%.1f", lesson_busy(p));
}

static bool lesson_skewCaption(const Lesson* l, char* l0, char* l1, size_t len) {
   const LessonPoint* cur = lesson_now(l);
   if (!cur)
      return false;
   const LessonPoint* prev = lesson_previous(l);
   char a[16], b[16];
   lesson_count(a, sizeof a, LessonPoint_rate(cur));
   if (!prev) {
      lesson_count(b, sizeof b, lesson_offered(cur));
      snprintf(l0, len, "Partition %" PRIu32 " (sensor %" PRIu32 ") was busy %.0f%% of the time; %s rec/s done of %s.",
               cur->hot_part, cur->hot_sensor, 100 * cur->hot_busy, a, b);
      snprintf(l1, len, "Its records stay in order: one worker at a time. Press T: can a second help?");
      return true;
   }
   lesson_count(b, sizeof b, LessonPoint_rate(prev));
   snprintf(l0, len, "%s: %s rec/s done (%s: %s); partition %" PRIu32 " busy %.0f%% (was %.0f%%).", cur->label, a,
            prev->label, b, cur->hot_part, 100 * cur->hot_busy, 100 * prev->hot_busy);
   snprintf(l1, len, "One partition is one worker at a time: a second cannot help the hot sensor %" PRIu32 ".",
            cur->hot_sensor);
   return true;
}

static bool lesson_twoMeasured(const Lesson* l) {
   return lesson_measuredCount(l) >= 2;
}

static void lesson_skewConclude(const Lesson* l, char* buf, size_t len) {
   const LessonPoint* cur = lesson_now(l);
   if (!cur)
      cur = &l->point[0];
   snprintf(buf, len, "Partition %" PRIu32 " (sensor %" PRIu32 ") stays busy %.0f%%: one worker at a time. Measured:",
            cur->hot_part, cur->hot_sensor, 100 * cur->hot_busy);
}

static void lesson_hotText(const LessonPoint* p, char* buf, size_t len) {
   snprintf(buf, len, "%.0f%%", 100 * p->hot_busy);
}

/* ------------------------------------------------------------ overflow */

static uint64_t lesson_overflowKey(const Knobs* k) {
   return (uint64_t)k->overflow;
}

static void lesson_overflowLabel(const Knobs* k, char* buf, size_t len) {
   snprintf(buf, len, "%s", Overflow_names[k->overflow]);
}

static void lesson_overflowNeutral(Knobs* k) {
   k->overflow = OVERFLOW_BLOCK;
}

/* What a policy cost, measured: one line. */
static void lesson_policyCost(const LessonPoint* p, char* buf, size_t len) {
   char a[16], b[16], c[16];
   lesson_count(a, sizeof a, (double)lesson_drops(p));
   lesson_secs(b, sizeof b, p->oldest_s);
   switch ((Overflow)p->key) {
   case OVERFLOW_BLOCK:
      lesson_secs(c, sizeof c, p->held_s);
      lesson_count(a, sizeof a, (double)p->held_back);
      if (p->held_s > 0)
         snprintf(buf, len, "block: nothing dropped; the source held back %s behind its schedule (%s not admitted).",
                  c, a);
      else
         snprintf(buf, len, "block: nothing dropped; the source is 0 s behind its schedule.");
      break;
   case OVERFLOW_DROP_OLDEST:
      snprintf(buf, len, "drop-oldest: %s records dropped (counted); the oldest record %s old: old data lost.", a,
               b);
      break;
   case OVERFLOW_DROP_NEWEST:
      snprintf(buf, len, "drop-newest: %s records dropped (counted); the oldest record %s old: new data lost.", a,
               b);
      break;
   default:
      lesson_count(c, sizeof c, (double)p->backlog);
      snprintf(buf, len, "grow: %s dropped; the backlog holds %s records, the oldest %s old: memory pays.", a, c, b);
      break;
   }
}

static bool lesson_overflowCaption(const Lesson* l, char* l0, char* l1, size_t len) {
   const LessonPoint* cur = lesson_now(l);
   if (!cur)
      return false;
   lesson_policyCost(cur, l0, len);
   const LessonPoint* prev = lesson_previous(l);
   if (prev) {
      char before[LESSON_LINE];
      lesson_policyCost(prev, before, sizeof before);
      snprintf(l1, len, "Before, %s", before);
   } else {
      snprintf(l1, len, "Press p for the next policy: each one pays in its own way.");
   }
   return true;
}

/* Every policy tried. */
static bool lesson_overflowEnded(const Lesson* l) {
   return lesson_measuredCount(l) >= OVERFLOW_LAST;
}

static void lesson_overflowConclude(const Lesson* l, char* buf, size_t len) {
   (void)l;
   snprintf(buf, len, "Every policy pays: block holds the source, drops lose data, grow takes RAM. Measured:");
}

static void lesson_lostText(const LessonPoint* p, char* buf, size_t len) {
   char a[16];
   if (p->key == OVERFLOW_BLOCK && p->held_s > 0) {
      lesson_secs(a, sizeof a, p->held_s);
      snprintf(buf, len, "held %s", a);
   } else {
      lesson_count(a, sizeof a, (double)lesson_drops(p));
      snprintf(buf, len, "%s", a);
   }
}

/* ------------------------------------------------------------ the table of lessons */

static const LessonDef lesson_defs[SCENARIO_LAST] = {
   [SCENARIO_LECTURE] = {lesson_variantKey, lesson_variantLabel, lesson_variantNeutral, lesson_lectureCaption,
                         lesson_keptUpAfter, lesson_lectureConclude, NULL, NULL},
   [SCENARIO_AMDAHL] = {lesson_variantKey, lesson_variantLabel, lesson_variantNeutral, lesson_none,
                        lesson_keptUpAfter, lesson_amdahlConclude, NULL, NULL},
   [SCENARIO_BATCHING] = {lesson_batchKey, lesson_batchLabel, lesson_batchNeutral, lesson_batchingCaption,
                          lesson_batchingEnded, lesson_batchingConclude, NULL, NULL},
   [SCENARIO_THREADS] = {lesson_threadsKey, lesson_threadsLabel, lesson_threadsNeutral, lesson_threadsCaption,
                         lesson_threadsEnded, lesson_threadsConclude, "workers CPU", lesson_cpuText},
   [SCENARIO_SKEW] = {lesson_threadsKey, lesson_threadsLabel, lesson_threadsNeutral, lesson_skewCaption,
                      lesson_twoMeasured, lesson_skewConclude, "hot part", lesson_hotText},
   [SCENARIO_OVERFLOW] = {lesson_overflowKey, lesson_overflowLabel, lesson_overflowNeutral, lesson_overflowCaption,
                          lesson_overflowEnded, lesson_overflowConclude, "lost", lesson_lostText},
   /* structure: its own table and caption (core/structure.c) */
};

static const LessonDef* lesson_def(const Lesson* l) {
   if (l->scenario < 0 || l->scenario >= SCENARIO_LAST || !lesson_defs[l->scenario].key)
      return NULL;
   return &lesson_defs[l->scenario];
}

/* ------------------------------------------------------------ update */

void Lesson_init(Lesson* this, int scenario) {
   memset(this, 0, sizeof *this);
   this->scenario = scenario;
   this->current = -1;
   this->big_stage = -1;
}

/* Which knob, other than the lesson's own, differs from the lesson's (NULL: none). Every knob of the
 * table counts (a knob added later is covered), but the staleness limit: it only sets what the forecast
 * counts down to, not what the pipeline does. */
static const char* lesson_otherKnob(const Knobs* base, const Knobs* now) {
   for (KnobId id = 0; id < KNOB_LAST; id++)
      if (id != KNOB_STALE_LIMIT && Knobs_get(base, id) != Knobs_get(now, id))
         return Knob_table[id].name;
   for (int s = 0; s < STAGE_LAST; s++) {
      if (base->variant[s] != now->variant[s])
         return "a stage";
      if (base->stage_cost_ns[s] != now->stage_cost_ns[s])
         return "a stage cost";
   }
   return NULL;
}

/* The point for the setting now: the one tried before, else a new one (a ninth replaces the last). */
static LessonPoint* lesson_pointFor(Lesson* l, const LessonDef* d, const Snapshot* s) {
   uint64_t key = d->key(&s->knobs);
   /* the first point stays where the lesson began; a later one tried again moves to the end */
   int i = 1;
   while (i < l->npoints && l->point[i].key != key)
      i++;
   if (i < l->npoints) {
      memmove(&l->point[i], &l->point[i + 1], (size_t)(l->npoints - i - 1) * sizeof *l->point);
      l->npoints--;
   }
   if (l->npoints == LESSON_POINTS)
      l->npoints--;
   i = l->npoints++;
   LessonPoint* p = &l->point[i];
   memset(p, 0, sizeof *p);
   p->key = key;
   d->label(&s->knobs, p->label, sizeof p->label);
   p->since = s->t;
   p->dropped0 = s->dropped;
   p->verdict = VERDICT_STARTING;
   l->current = i;
   l->ended = false; /* a new setting: its checkpoint first */
   return p;
}

/* The busiest partition of the snapshot's window. */
static int lesson_hot(const Snapshot* s) {
   int hot = 0;
   for (int i = 1; i < SNAPSHOT_PARTITIONS; i++)
      if (s->part_busy[i] > s->part_busy[hot])
         hot = i;
   return hot;
}

/* The figures that are as they are now, every snapshot of the setting. */
static void lesson_state(LessonPoint* p, const Snapshot* s, VerdictState verdict) {
   if (s->latency_window.count > 0) /* else nothing completed in the window: the last figure stands */
      p->p99_s = (double)s->latency_window.p99 / 1e9;
   p->oldest_s = (double)s->oldest_age_ns / 1e9;
   if (p->oldest_s > p->oldest_max_s)
      p->oldest_max_s = p->oldest_s;
   p->backlog = s->backlog_records;
   p->verdict = verdict;
   p->dropped = s->dropped;
   p->held_back = s->held_back;
   p->held_s = (double)s->held_back_age_ns / 1e9;
   p->last_t = s->t;
}

/* The lecture's and amdahl's big stage: the largest share while every stage ran its first variant. */
static void lesson_bigStage(Lesson* l, const Snapshot* s) {
   if (l->current != 0 || (l->scenario != SCENARIO_LECTURE && l->scenario != SCENARIO_AMDAHL))
      return;
   int big = -1;
   for (int i = 0; i < STAGE_LAST; i++)
      if (s->stage[i].share > 0 && (big < 0 || s->stage[i].share > s->stage[big].share))
         big = i;
   if (big >= 0) {
      l->big_stage = big;
      l->big_share = s->stage[big].share;
   }
}

void Lesson_update(Lesson* this, const Snapshot* s, const Verdict* verdict) {
   const LessonDef* d = lesson_def(this);
   /* seq 0: no snapshot taken yet (the engine is starting) */
   if (!d || s->seq == 0 || (this->started && s->seq == this->seq))
      return;
   this->seq = s->seq;
   Knobs rest = s->knobs;
   d->neutral(&rest);
   if (!this->started) {
      this->started = true;
      this->base = rest;
   }
   const char* other = lesson_otherKnob(&this->base, &rest);
   this->off_script = other != NULL;
   snprintf(this->off_what, sizeof this->off_what, "%s", other ? other : "");
   if (this->off_script)
      return;
   LessonPoint* p = this->current >= 0 ? &this->point[this->current] : NULL;
   if (!p || p->key != d->key(&s->knobs))
      p = lesson_pointFor(this, d, s);
   lesson_state(p, s, verdict->state);
   if (s->knobs.paused || s->t - p->since < LESSON_SETTLE_NS)
      return;
   lesson_bigStage(this, s);
   int hot = lesson_hot(s);
   double n = p->samples;
   /* a hand-off's busy time lands in the window it completes in: a window may see more than its length */
   p->hot_busy = (p->hot_busy * n + fmin(s->part_busy[hot], 1)) / (n + 1);
   p->hot_part = (uint32_t)hot;
   p->hot_sensor = s->part_sensor[hot];
   p->rate_sum += s->out_rate;
   p->in_sum += s->in_rate;
   /* bursts: the verdict's window of whole burst periods, the rates its banner quotes */
   p->bursty = s->knobs.arrival == ARRIVAL_BURST;
   p->rate_now = verdict->last.out_rate;
   p->in_now = verdict->last.in_rate;
   p->busy_sum += s->busy;
   p->samples++;
   /* once over, the table stays until the next setting (the verdict may flicker between bursts) */
   if (!this->ended && this->npoints >= 2 && d->ended(this))
      this->ended = true;
}

/* ------------------------------------------------------------ what it says */

bool Lesson_caption(const Lesson* this, char* line0, char* line1, size_t len) {
   const LessonDef* d = lesson_def(this);
   if (!d)
      return false;
   if (this->off_script) {
      snprintf(line0, len, "The lesson compares one knob; %s changed too, so it measures no more.", this->off_what);
      snprintf(line1, len, "Set it back, or press z to start the lesson afresh.");
      return true;
   }
   /* a new setting settling, after one measured: what was measured before it (amdahl: its trial says) */
   const LessonPoint* prev = lesson_previous(this);
   const LessonPoint* cur = this->current >= 0 ? &this->point[this->current] : NULL;
   if (d->caption != lesson_none && cur && !LessonPoint_measured(cur) && prev) {
      char a[16], b[16], c[16];
      lesson_count(a, sizeof a, LessonPoint_rate(prev));
      lesson_secs(b, sizeof b, prev->p99_s);
      lesson_secs(c, sizeof c, prev->oldest_s);
      snprintf(line0, len, "%s: measuring (from %.1f s after the change, when the windows hold only its work).",
               cur->label, (double)LESSON_SETTLE_NS / 1e9);
      snprintf(line1, len, "Before, %s: %s rec/s done, p99 %s, the oldest record %s old.", prev->label, a, b, c);
      return true;
   }
   return d->caption(this, line0, line1, len);
}

bool Lesson_ended(const Lesson* this) {
   return this->ended && !this->off_script;
}

/* One row of the table: the setting, then its figures (at most 76 columns). */
static void lesson_row(const LessonDef* d, const LessonPoint* p, const char* when, char* buf, size_t len) {
   char label[24], rate[16], p99[16], oldest[16], backlog[16], extra[16] = "";
   snprintf(label, sizeof label, "%s %s", when, p->label);
   lesson_count(rate, sizeof rate, LessonPoint_rate(p));
   lesson_secs(p99, sizeof p99, p->p99_s);
   lesson_secs(oldest, sizeof oldest, p->oldest_s);
   lesson_count(backlog, sizeof backlog, (double)p->backlog);
   if (d->extraText)
      d->extraText(p, extra, sizeof extra);
   const char* v = Verdict_word(p->verdict);
   if (d->extra)
      snprintf(buf, len, "%-19s %7s %7s %7s %7s %11s %s", label, rate, p99, oldest, backlog, extra, v);
   else
      snprintf(buf, len, "%-19s %7s %7s %7s %7s %s", label, rate, p99, oldest, backlog, v);
}

int Lesson_table(const Lesson* this, char lines[][LESSON_LINE], int max) {
   const LessonDef* d = lesson_def(this);
   if (!d || max < LESSON_TABLE_ROWS || !Lesson_ended(this))
      return 0;
   const LessonPoint* after = lesson_now(this);
   /* batching compares each batch size with the one before; the others, with where the lesson began */
   const LessonPoint* before = this->scenario == SCENARIO_BATCHING ? lesson_previous(this) : &this->point[0];
   if (!before)
      return 0;
   if (!after || after == before)
      return 0;
   d->conclude(this, lines[0], LESSON_LINE);
   if (d->extra)
      snprintf(lines[1], LESSON_LINE, "%-19s %7s %7s %7s %7s %11s %s", "", "rec/s", "p99", "oldest", "backlog",
               d->extra, "verdict");
   else
      snprintf(lines[1], LESSON_LINE, "%-19s %7s %7s %7s %7s %s", "", "rec/s", "p99", "oldest", "backlog", "verdict");
   lesson_row(d, before, "before", lines[2], LESSON_LINE);
   lesson_row(d, after, "after", lines[3], LESSON_LINE);
   return LESSON_TABLE_ROWS;
}
