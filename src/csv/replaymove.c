/*
 * replaymove.c: the dashboard's moves of a replay (GeneratorOps.move):
 * restart, seek by tenths of the files' time span, step (the held record
 * now), and loop on or off.
 *
 * A seek goes by time, not bytes: its target is the position (the time of
 * the record the engine holds) plus or minus a tenth of the span from the
 * earliest first row to the latest last row of every file. Forward, the
 * files are read on from where they are; back (and restart), they are read
 * again from the start; either way the rows before the target are passed
 * over in the merged time order of every file, so several inputs move
 * together. Rows a seek forward passes over are never played and are
 * counted (skipped by seek). A move back plays rows again with event times
 * that go on after the newest handed out, as --loop's next pass does, so
 * the engine is still given records in event-time order (its linger, its
 * windows and its late-row logic need that) and its counts add up:
 * generated counts the rows played again.
 */
#include "config.h"

#include <stdio.h>

#include "base/clock.h"
#include "csv/csvtime.h"
#include "csv/replay_impl.h"

#define REPLAYMOVE_TIME_MAX   48   /* a time as its file writes it */
#define REPLAYMOVE_STOP_EVERY 4096 /* rows passed over between two looks at the run's stop */

/* The latest last row of every file (read from their ends); false when one cannot be read. */
static bool replayMove_lastTime(Replay* this, int64_t* last) {
   *last = INT64_MIN;
   for (uint32_t i = 0; i < this->n_files; i++) {
      int64_t t;
      if (!ReplayFile_lastTime(this->files[i], &t))
         return false;
      if (t > *last)
         *last = t;
   }
   return *last >= this->first_t;
}

/* The record the engine holds is given back: out of the played counts, and (a seek forward) counted as
 * passed over. The schedule goes on from the record before it. */
static void replayMove_giveBack(Replay* this, Record* held, bool skipped) {
   if (!held || !this->held_file)
      return;
   ReplayFile_unplay(this->held_file, this->held_last);
   if (skipped) {
      atomic_fetch_add_explicit(&this->a_skipped_records, 1, memory_order_relaxed);
      atomic_fetch_add_explicit(&this->a_skipped_rows, this->held_last ? 1 : 0, memory_order_relaxed);
   }
   Replay_uncut(this);
   this->last_rel = this->prev_rel;
   this->last_eff = this->prev_eff;
   this->held_file = NULL;
}

/* Pass over the records before target, in time order (counted when skipped); false when every file ended
 * first. A pass of --loop that starts on the way ends it: the target is not in the files. A run that
 * stops ends it where it is (millions of rows take seconds). */
static bool replayMove_passOver(Replay* this, int64_t target, bool skipped) {
   uint64_t loops = atomic_load_explicit(&this->a_loops, memory_order_relaxed);
   const _Atomic bool* stop = this->gen.stop;
   for (uint32_t n = 1;; n++) {
      bool waiting;
      ReplayFile* f = Replay_earliest(this, &waiting);
      if (!f)
         return false;
      if (ReplayFile_head(f)->t >= target || atomic_load_explicit(&this->a_loops, memory_order_relaxed) != loops)
         return true;
      if (n % REPLAYMOVE_STOP_EVERY == 0 && stop && atomic_load_explicit(stop, memory_order_relaxed))
         return true;
      bool last = ReplayFile_skip(f);
      this->pass_records++;
      if (skipped) {
         atomic_fetch_add_explicit(&this->a_skipped_records, 1, memory_order_relaxed);
         atomic_fetch_add_explicit(&this->a_skipped_rows, last ? 1 : 0, memory_order_relaxed);
      }
   }
}

/* Every file from its start again, its event times after the newest handed out; false on a read error. */
static bool replayMove_rewind(Replay* this, int64_t target, char* why, size_t len) {
   if (this->have_last) {
      /* the target goes on one average interval after the newest record */
      int64_t next = Replay_timeAdd(this->last_event, Replay_passGap(this));
      this->shift = Replay_timeSub(next, target);
   }
   for (uint32_t i = 0; i < this->n_files; i++) {
      ReplayFile* f = this->files[i];
      if (!ReplayFile_rewind(f)) {
         Replay_fail(this, CsvReader_error(f->reader));
         snprintf(why, len, "%s", CsvReader_error(f->reader));
         return false;
      }
   }
   this->pass_first = Replay_timeAdd(this->first_t, this->shift);
   this->pass_records = 0;
   return true;
}

/* Restart (tenths 0) or seek by tenths of the span; the first record after it is scheduled at now_rel. */
static bool replayMove_seek(Replay* this, bool restart, int tenths, int64_t now_rel, Record* held, char* what,
                            size_t len) {
   if (this->live) {
      snprintf(what, len, "cannot %s: a stream or --follow", restart ? "restart" : "seek");
      return false;
   }
   int64_t first = this->first_t, last;
   if (!replayMove_lastTime(this, &last)) {
      snprintf(what, len, "cannot %s: the last row's time is unreadable", restart ? "restart" : "seek");
      return false;
   }
   int64_t from = this->have_last ? this->held_t : first;
   int64_t target = restart ? first : from;
   int64_t tenth = Replay_timeSub(last, first) / 10;
   for (int i = 0; i < (tenths < 0 ? -tenths : tenths); i++)
      target = tenths < 0 ? Replay_timeSub(target, tenth) : Replay_timeAdd(target, tenth);
   target = target < first ? first : target > last ? last : target;
   bool back = restart || tenths < 0;
   if (!back && (this->done || target <= from)) {
      snprintf(what, len, "cannot seek forward: at the end");
      return false;
   }
   replayMove_giveBack(this, held, !back);
   if (back && !replayMove_rewind(this, target, what, len))
      return false;
   if (replayMove_passOver(this, target, !back)) {
      bool waiting;
      target = ReplayFile_head(Replay_earliest(this, &waiting))->t; /* where it landed: a row's own time */
   }
   this->done = false;
   atomic_store(&this->finished, false);
   this->reanchor = true;
   this->reanchor_rel = now_rel;
   atomic_fetch_add_explicit(&this->a_seeks, 1, memory_order_relaxed);
   char at[REPLAYMOVE_TIME_MAX];
   CsvTime_format(at, sizeof at, target, this->files[0]->unit);
   if (restart)
      snprintf(what, len, "restart at %s", at);
   else if (back)
      snprintf(what, len, "seek %d%% to %s", 10 * tenths, at);
   else
      snprintf(what, len, "seek +%d%% to %s", 10 * tenths, at);
   return true;
}

/* The held record is played now (paused: a step); the ones after it keep their spacing from it. */
static bool replayMove_step(Replay* this, int64_t now_rel, Record* held, char* what, size_t len) {
   if (!held) {
      snprintf(what, len, "nothing to step: at the end");
      return false;
   }
   if (this->speed > 0 && !this->last_asap) {
      Replay_uncut(this);
      int64_t rel = now_rel < this->prev_rel ? this->prev_rel : now_rel;
      this->eff_anchor = this->last_eff;
      this->rel_anchor = rel;
      held->t_arrival = rel;
      this->last_rel = rel;
      Replay_publishDue(this);
   }
   char at[REPLAYMOVE_TIME_MAX];
   CsvTime_format(at, sizeof at, this->held_t, this->held_file ? this->held_file->unit : this->files[0]->unit);
   snprintf(what, len, "step to %s", at);
   return true;
}

static bool replayMove_loop(Replay* this, bool on, char* what, size_t len) {
   if (on && this->live) {
      snprintf(what, len, "cannot loop: a stream or --follow");
      return false;
   }
   this->loop = on;
   atomic_store_explicit(&this->a_loop, on, memory_order_relaxed);
   if (on && this->done && this->pass_records > 0) {
      /* ended: the next pass starts at the next record asked for */
      this->done = false;
      atomic_store(&this->finished, false);
   }
   snprintf(what, len, "loop %s", on ? "on" : "off");
   return true;
}

bool ReplayMove_move(Generator* gen, GeneratorMove how, int count, int64_t now_rel, Record* held, char* what,
                     size_t len) {
   Replay* this = (Replay*)gen;
   if (Replay_error(this)) {
      snprintf(what, len, "cannot move: the replay failed");
      return false;
   }
   switch (how) {
   case GENERATOR_MOVE_RESTART:
      return replayMove_seek(this, true, 0, now_rel, held, what, len);
   case GENERATOR_MOVE_SEEK:
      return replayMove_seek(this, false, count, now_rel, held, what, len);
   case GENERATOR_MOVE_STEP:
      return replayMove_step(this, now_rel, held, what, len);
   case GENERATOR_MOVE_LOOP:
      return replayMove_loop(this, count != 0, what, len);
   case GENERATOR_MOVE_LAST:
      break;
   }
   snprintf(what, len, "unknown move");
   return false;
}
