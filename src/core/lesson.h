/*
 * lesson.h: the checkpoints of the lessons, measured live (no curses, no
 * engine).
 *
 * Each lesson is about one knob: the stage variants (lecture, amdahl), the
 * batch size (batching), the thread count (threads, skew), the overflow
 * policy (overflow). Fed every snapshot with the verdict in force, a Lesson
 * keeps a point per setting of that knob the student tried, in the order
 * tried: the records completed a second, the offered rate and the workers'
 * CPUs (means over the setting, from LESSON_SETTLE_NS after the change, when
 * the windows hold only its work; under bursts, the rates of the verdict's
 * window of whole burst periods, which its banner quotes), and, as they were
 * when the setting ended (or now), the p99 latency, the oldest record's age,
 * the backlog, the verdict, the drops and the held-back source; the busiest
 * partition's share of the wall time. A setting tried again moves to the end
 * (the first stays where the lesson began).
 *
 * From the points each lesson writes its checkpoint caption (two lines that
 * quote the measured figures and say what to do next) and, at its end (the
 * lesson's own condition: the pipeline kept up after falling behind, three
 * batch sizes with one keeping pace, the throughput stopped rising with more
 * threads, ...), a before/after table of the key figures: the point the
 * lesson began with (batching: the batch size before) and the one in force,
 * kept until the next setting. A change of any other knob takes the lesson
 * off its script: nothing more is measured until the knob is back, and the
 * caption says so.
 *
 * Adding a lesson (the memory scenario, say) is a row of lesson_defs in
 * lesson.c: the knob it is about (key and label), its caption, its end, and
 * an optional extra column for the table.
 */
#ifndef KEEPUP_LESSON_H
#define KEEPUP_LESSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/snapshot.h"
#include "core/verdict.h"

#define LESSON_SETTLE_NS    INT64_C(1500000000) /* after a change, the rate windows hold only the new setting */
#define LESSON_MIN_SAMPLES  5                   /* snapshots after the settle before a point is measured */
#define LESSON_POINTS       8                   /* settings kept (a ninth replaces the last) */
#define LESSON_TABLE_ROWS   4                   /* the end: a conclusion, the table's header, before, after */
#define LESSON_LINE         160

typedef struct LessonPoint {
   uint64_t key;         /* the lesson knob's setting */
   char label[16];       /* "naive", "4 optimized", "batch 16", "2 threads", "drop-oldest" */
   uint32_t samples;     /* snapshots averaged (LESSON_MIN_SAMPLES: measured) */
   double rate_sum;      /* records completed a second (sum over the samples) */
   double in_sum;        /* records offered a second */
   bool bursty;          /* bursts: the rates are the verdict's, over whole burst periods, as they are now */
   double rate_now, in_now;
   double busy_sum;      /* CPUs the workers used */
   double hot_busy;      /* the busiest partition's share of the wall time, mean */
   uint32_t hot_part;    /* that partition, and the first sensor it was given */
   uint32_t hot_sensor;
   /* as the setting ended, or now */
   double p99_s;
   double oldest_s;
   double oldest_max_s;  /* the oldest record's age at most, while the setting was in force */
   uint64_t backlog;
   VerdictState verdict;
   uint64_t dropped0, dropped;     /* records dropped when the setting began, and now */
   uint64_t held_back;             /* records offered and not admitted (a held-back source) */
   double held_s;                  /* how far behind its schedule the source was */
   int64_t since;                  /* when the setting began */
   int64_t last_t;                 /* the newest snapshot taken in */
} LessonPoint;

typedef struct Lesson {
   int scenario;         /* ScenarioId; SCENARIO_LAST: no lesson */
   LessonPoint point[LESSON_POINTS];
   int npoints;
   int current;          /* the point of the setting in force (-1: none yet) */
   Knobs base;           /* the knobs the lesson runs under, its own knob aside */
   bool started;
   bool off_script;      /* another knob differs from base: not measuring */
   bool ended;           /* the end condition held since the setting began: the table is shown */
   char off_what[24];    /* which */
   int big_stage;        /* lecture, amdahl: the stage with the largest share seen (-1: none) */
   double big_share;
   uint64_t seq;         /* the last snapshot taken: the same one twice counts once */
} Lesson;

void Lesson_init(Lesson* this, int scenario);
/* One snapshot and the verdict shown with it (its state, and its window's rates under bursts). */
void Lesson_update(Lesson* this, const Snapshot* s, const Verdict* verdict);
/* Whether a point has enough samples to be quoted. */
bool LessonPoint_measured(const LessonPoint* p);
/* Mean records completed a second over the setting (0: none measured). */
double LessonPoint_rate(const LessonPoint* p);
/* The checkpoint: two lines (len bytes each) quoting the measured points; false while the lesson has
 * nothing measured to say (the scenario's own caption stands) or has no checkpoints (structure). */
bool Lesson_caption(const Lesson* this, char* line0, char* line1, size_t len);
/* The lesson is over: its end condition held on the points measured. */
bool Lesson_ended(const Lesson* this);
/* The before/after table at the end: up to max lines (LESSON_LINE bytes each, at most 76 columns of
 * text each but the first, the conclusion), 0 before the end. */
int Lesson_table(const Lesson* this, char lines[][LESSON_LINE], int max);

#endif
