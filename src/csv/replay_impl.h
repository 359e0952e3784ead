/*
 * replay_impl.h: the Replay's insides, shared by replay.c (opening, merging
 * the files, pacing) and replaymove.c (the dashboard's restart, seek, step
 * and loop). Only those two include it.
 */
#ifndef KEEPUP_REPLAY_IMPL_H
#define KEEPUP_REPLAY_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "csv/replay.h"
#include "csv/replayfile.h"

struct Replay {
   Generator gen; /* first: the engine holds a Generator* */
   ReplayShared shared;
   ReplayFile** files;
   uint32_t n_files;
   bool loop;
   bool live; /* a stream or --follow among the inputs */

   /* sensors */
   bool recordings;
   uint32_t id_space;
   bool names_grow;

   /* pacing (source thread only) */
   int64_t origin;
   int64_t shift; /* added to the files' times in this pass (--loop) */
   double speed;
   int64_t eff_anchor, rel_anchor;
   int64_t clock_origin;
   bool clock_started;
   int64_t paused_total;
   bool have_last;
   int64_t last_eff, last_rel; /* the record the engine holds */
   int64_t prev_eff, prev_rel; /* the one before it */
   int64_t held_cut;           /* replay time the cut to --max-gap saved on the held record (0: none) */
   bool last_asap;
   uint64_t pass_records;
   int64_t pass_first, last_event;
   bool done;

   /* moves (replaymove.c; source thread) */
   int64_t first_t;      /* the earliest first time of the files, as they have it */
   int64_t held_t;       /* the time of the record from the last next(), as its file has it */
   ReplayFile* held_file; /* its file, and whether it was its row's last record */
   bool held_last;
   bool reanchor;        /* the next record is scheduled at reanchor_rel */
   int64_t reanchor_rel;

   /* read from other threads */
   char error[REPLAY_MSG_MAX];
   atomic_bool failed;
   atomic_bool finished;
   _Atomic uint64_t a_loops;
   _Atomic int64_t a_time;     /* file time of the latest record */
   _Atomic int64_t a_rel_time; /* event time of the latest record from the origin */
   _Atomic int32_t a_file;     /* -1 before the first record */
   _Atomic int a_unit;         /* CsvTimeUnit of that file */
   _Atomic uint64_t a_speed;   /* bits of the speed in force */
   _Atomic int64_t a_due_at;   /* CLOCK_MONOTONIC ns the held record is due (0: now, or asap) */
   _Atomic uint64_t a_gaps;
   _Atomic int64_t a_gap_ns, a_gap_at, a_gaps_saved;
   _Atomic uint32_t a_sensors;
   _Atomic bool a_loop;               /* playing again at the end, in force */
   _Atomic uint64_t a_seeks;          /* restarts and seeks done */
   _Atomic uint64_t a_skipped_rows;   /* rows a seek forward passed over */
   _Atomic uint64_t a_skipped_records;
   pthread_mutex_t notice_lock;
   char notice[REPLAY_MSG_MAX]; /* under notice_lock */
};

/* replay.c */
/* Stop the replay with msg (the first error wins). */
void Replay_fail(Replay* this, const char* msg);
/* Time arithmetic that saturates, keeping INT64_MIN (GENERATOR_ASAP) out. */
int64_t Replay_timeAdd(int64_t a, int64_t b);
int64_t Replay_timeSub(int64_t a, int64_t b);
/* The file whose queued record comes first; NULL at the end of every file (after --loop's next pass, if
 * any), on an error, or (*waiting) when a live input has nothing yet. */
ReplayFile* Replay_earliest(Replay* this, bool* waiting);
/* The average interval between the records of this pass (1 s when it cannot tell). */
int64_t Replay_passGap(const Replay* this);
void Replay_publishDue(Replay* this);
/* Forget the cut to --max-gap counted for the held record. */
void Replay_uncut(Replay* this);

/* replaymove.c: GeneratorOps.move. */
bool ReplayMove_move(Generator* gen, GeneratorMove how, int count, int64_t now_rel, Record* held, char* what,
                     size_t len);

#endif
