/*
 * replay.c: CSV replay as a Generator. Data model: the files
 * (replayfile.h), each with a queue of records ready to play; the Replay
 * merges them: next() plays the earliest queued record of all files (the
 * lower file index on a tie) and turns its event time into the engine's
 * relative arrival time: rel = rel_anchor + (eff - eff_anchor) / speed,
 * where eff is the event time from the origin. The anchors move on a speed
 * change, so the schedule goes on from where it is, and on a pause cut to
 * --max-gap, so the rows after it keep their spacing.
 *
 * Live inputs (a stream, --follow) get the generator's wait op: the source
 * asks it, with a timeout, whether next() can answer without blocking.
 * Without --follow a stream is read like a file (next() waits for every
 * input to have a row, so the order does not depend on when bytes come);
 * with --follow an input that has nothing yet is passed over, and an idle
 * input lets the source seal what it holds.
 */
#include "config.h"

#include "csv/replay.h"
#include "csv/replay_impl.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "core/knobs.h"
#include "csv/replayfile.h"

#define REPLAY_POLL_NS (5 * NS_PER_MS) /* how often several idle streams are looked at */


void Replay_fail(Replay* this, const char* msg) {
   if (atomic_load(&this->failed))
      return;
   snprintf(this->error, sizeof this->error, "%s", msg);
   atomic_store_explicit(&this->failed, true, memory_order_release);
}

/* ---------------------------------------------------- time arithmetic */

/* Arithmetic that saturates: files may hold any int64 times, and INT64_MIN stays reserved for
 * GENERATOR_ASAP. */
static int64_t replay_clampTime(int64_t t) {
   return t == INT64_MIN ? INT64_MIN + 1 : t;
}

int64_t Replay_timeAdd(int64_t a, int64_t b) {
   return replay_clampTime(Clock_after(a, b));
}

int64_t Replay_timeSub(int64_t a, int64_t b) {
   int64_t r;
   if (__builtin_sub_overflow(a, b, &r))
      return b < 0 ? INT64_MAX : INT64_MIN + 1;
   return replay_clampTime(r);
}

static int64_t replay_nowRel(Replay* this) {
   return Replay_timeSub(Replay_timeSub(Clock_now(), this->clock_origin), this->paused_total);
}

/* Event time from the origin to the engine's relative time under the current anchors. */
static int64_t replay_schedule(const Replay* this, int64_t eff) {
   int64_t d = Replay_timeSub(eff, this->eff_anchor);
   if (this->speed != 1.0) {
      double scaled = (double)d / this->speed;
      d = scaled >= 9.2e18 ? INT64_MAX : scaled <= -9.2e18 ? INT64_MIN + 1 : llround(scaled);
   }
   return Replay_timeAdd(this->rel_anchor, d);
}

/* The held record's time t after the one before it (at prev_eff, prev_rel): a pause longer than --max-gap is
 * cut to it, the anchors moved to go on from there, and the cut counted. */
static int64_t replay_cutGap(Replay* this, int64_t eff, int64_t t, int64_t prev_eff, int64_t prev_rel) {
   int64_t max_gap = this->shared.config.max_gap_ns;
   if (max_gap <= 0 || Replay_timeSub(t, prev_rel) <= max_gap)
      return t;
   int64_t cut = Replay_timeAdd(prev_rel, max_gap);
   this->held_cut = Replay_timeSub(t, cut);
   this->eff_anchor = eff;
   this->rel_anchor = cut;
   atomic_fetch_add_explicit(&this->a_gaps, 1, memory_order_relaxed);
   atomic_store_explicit(&this->a_gap_ns, Replay_timeSub(eff, prev_eff), memory_order_relaxed);
   atomic_store_explicit(&this->a_gap_at, Clock_now(), memory_order_relaxed);
   atomic_fetch_add_explicit(&this->a_gaps_saved, this->held_cut, memory_order_relaxed);
   return cut;
}

/* Forget the cut counted for the held record (it is timed again). */
void Replay_uncut(Replay* this) {
   if (!this->held_cut)
      return;
   atomic_fetch_sub_explicit(&this->a_gaps, 1, memory_order_relaxed);
   atomic_fetch_sub_explicit(&this->a_gaps_saved, this->held_cut, memory_order_relaxed);
   this->held_cut = 0;
}

void Replay_publishDue(Replay* this) {
   /* saturating: a recording's times may reach the int64 edge (the schedule saturates there too) */
   int64_t due = this->last_asap ? 0 : Replay_timeAdd(Replay_timeAdd(this->clock_origin, this->paused_total), this->last_rel);
   atomic_store_explicit(&this->a_due_at, due, memory_order_relaxed);
}

static void replay_setSpeed(Replay* this, double speed) {
   if (speed == this->speed)
      return;
   if (speed > 0 && this->have_last) {
      if (this->speed > 0 && !this->last_asap) {
         /* go on from the record before the held one: the held one can be retimed */
         this->eff_anchor = this->prev_eff;
         this->rel_anchor = this->prev_rel;
      } else {
         /* from as-fast-as-possible: the held record is now */
         this->eff_anchor = this->last_eff;
         this->rel_anchor = replay_nowRel(this);
         if (this->rel_anchor < this->prev_rel)
            this->rel_anchor = this->prev_rel;
      }
   }
   this->speed = speed;
   uint64_t bits;
   memcpy(&bits, &speed, sizeof bits);
   atomic_store_explicit(&this->a_speed, bits, memory_order_relaxed);
}

/* ------------------------------------------------------------- merging */

int64_t Replay_passGap(const Replay* this) {
   int64_t span = Replay_timeSub(this->last_event, this->pass_first);
   if (this->pass_records > 1 && span > 0)
      return span / (int64_t)(this->pass_records - 1);
   return NS_PER_SEC;
}

/* Start the next pass (--loop): its times go on one average interval after the last record. */
static bool replay_nextPass(Replay* this) {
   int64_t span = Replay_timeSub(this->last_event, this->pass_first);
   this->shift = Replay_timeAdd(this->shift, Replay_timeAdd(span, Replay_passGap(this)));
   this->pass_first = Replay_timeAdd(this->first_t, this->shift);
   this->pass_records = 0;
   for (uint32_t i = 0; i < this->n_files; i++) {
      ReplayFile* f = this->files[i];
      if (!ReplayFile_rewind(f)) {
         Replay_fail(this, CsvReader_error(f->reader));
         return false;
      }
   }
   atomic_fetch_add_explicit(&this->a_loops, 1, memory_order_relaxed);
   return true;
}

/* Say what a followed file's reader has to say (a truncation). */
static void replay_notice(Replay* this, ReplayFile* f) {
   char text[REPLAY_MSG_MAX];
   if (!CsvReader_takeNotice(f->reader, text, sizeof text))
      return;
   pthread_mutex_lock(&this->notice_lock);
   snprintf(this->notice, sizeof this->notice, "%s", text);
   pthread_mutex_unlock(&this->notice_lock);
}

/* The file whose queued record comes first; NULL at the end of every file, on an error (then done), or
 * (*waiting) when a live input has nothing yet. */
ReplayFile* Replay_earliest(Replay* this, bool* waiting) {
   for (;;) {
      ReplayFile* best = NULL;
      *waiting = false;
      for (uint32_t i = 0; i < this->n_files; i++) {
         ReplayFile* f = this->files[i];
         ReplayFile_fill(f, this->shared.config.follow);
         replay_notice(this, f);
         const ReplayRow* head = ReplayFile_head(f);
         if (!head) {
            if (CsvReader_error(f->reader)) {
               Replay_fail(this, CsvReader_error(f->reader));
               return NULL;
            }
            *waiting |= !ReplayFile_done(f);
            continue;
         }
         if (!best || head->t < ReplayFile_head(best)->t)
            best = f;
      }
      if (best || *waiting)
         return best;
      if (!this->loop || this->pass_records == 0 || !replay_nextPass(this))
         return NULL;
   }
}

/* The first row of best as the next record: what next() hands out, and the state the engine's held record
 * is judged by (a move, a retime). */
static void replay_take(Replay* this, ReplayFile* best, Record* out) {
   const ReplayRow* row = ReplayFile_head(best);
   int64_t t_event = Replay_timeAdd(row->t, this->shift);
   int64_t eff = Replay_timeSub(t_event, this->origin);
   this->pass_records++;
   this->last_event = t_event;
   out->t_event = t_event;
   out->value = row->value;
   out->sensor = row->sensor;
   out->seq = 0;
   this->held_t = row->t;
   this->held_file = best;
   this->held_last = row->last;
   ReplayFile_pop(best);
   this->prev_eff = this->have_last ? this->last_eff : 0;
   this->prev_rel = this->have_last ? this->last_rel : 0;
   this->held_cut = 0;
   if (this->speed == 0) {
      out->t_arrival = GENERATOR_ASAP;
      this->last_asap = true;
      /* an as-fast-as-possible record is played about now */
      this->last_rel = this->have_last ? this->last_rel : 0;
   } else {
      if (this->reanchor) {
         /* the first record after a move: now, and the ones after it keep their spacing */
         this->eff_anchor = eff;
         this->rel_anchor = this->have_last && this->reanchor_rel < this->last_rel ? this->last_rel : this->reanchor_rel;
      }
      int64_t t = replay_schedule(this, eff);
      if (this->have_last && !this->last_asap && !this->reanchor)
         t = replay_cutGap(this, eff, t, this->prev_eff, this->prev_rel);
      if (this->have_last && t < this->last_rel)
         t = this->last_rel;
      out->t_arrival = t;
      this->last_rel = t;
      this->last_asap = false;
   }
   this->reanchor = false;
   this->last_eff = eff;
   this->have_last = true;
}

/* What the dashboard shows of the position: the last record handed out, from best. */
static void replay_publishTaken(Replay* this, const ReplayFile* best) {
   atomic_store_explicit(&this->a_time, this->held_t, memory_order_relaxed);
   Replay_publishDue(this);
   atomic_store_explicit(&this->a_file, (int32_t)best->index, memory_order_relaxed);
   atomic_store_explicit(&this->a_unit, (int)best->unit, memory_order_relaxed);
   atomic_store_explicit(&this->a_rel_time, this->last_eff, memory_order_relaxed);
   atomic_store_explicit(&this->a_sensors, this->shared.names.n, memory_order_relaxed);
}

static bool replay_next(Generator* gen, Record* out) {
   Replay* this = (Replay*)gen;
   if (this->done)
      return false;
   if (!this->clock_started) {
      this->clock_origin = Clock_now();
      this->clock_started = true;
   }
   bool waiting;
   ReplayFile* best = Replay_earliest(this, &waiting);
   while (!best && waiting && !atomic_load(&this->failed)) {
      /* a live input with nothing yet, and the caller did not ask wait() first: wait here */
      for (uint32_t i = 0; i < this->n_files; i++)
         CsvReader_ready(this->files[i]->reader, REPLAY_POLL_NS);
      best = Replay_earliest(this, &waiting);
   }
   if (!best) {
      this->done = true;
      atomic_store(&this->finished, true);
      return false;
   }
   replay_take(this, best, out);
   replay_publishTaken(this, best);
   return true;
}

/* As fast as possible (--speed max), the rows every file has read already, in the order next() gives them;
 * it stops where next() would read, wait, end or start a loop's next pass (an empty file's queue): then
 * the caller asks next(). */
static size_t replay_nextBlock(Generator* gen, Record* out, size_t max) {
   Replay* this = (Replay*)gen;
   if (this->done || this->speed != 0 || !this->clock_started)
      return 0;
   size_t k = 0;
   while (k < max) {
      ReplayFile* best = NULL;
      bool unread = false; /* a file that may have rows it has not read yet */
      for (uint32_t i = 0; i < this->n_files && !unread; i++) {
         ReplayFile* f = this->files[i];
         const ReplayRow* head = ReplayFile_head(f);
         if (!head)
            unread = !ReplayFile_done(f);
         else if (!best || head->t < ReplayFile_head(best)->t)
            best = f;
      }
      if (!best || unread)
         break;
      replay_take(this, best, &out[k++]);
   }
   if (k)
      replay_publishTaken(this, this->held_file);
   return k;
}

/* Whether next() can answer now: every input has a record (with --follow: one has), or has ended or failed. */
static bool replay_answerable(Replay* this, bool* idle) {
   bool any = false, missing = false;
   *idle = false;
   for (uint32_t i = 0; i < this->n_files; i++) {
      ReplayFile* f = this->files[i];
      ReplayFile_fill(f, true);
      if (ReplayFile_head(f) || CsvReader_error(f->reader))
         any = true;
      else if (!ReplayFile_done(f))
         missing = true;
   }
   if (!missing)
      return true;
   *idle = this->shared.config.follow;
   return any && this->shared.config.follow;
}

static GeneratorWait replay_wait(Generator* gen, int64_t timeout_ns) {
   Replay* this = (Replay*)gen;
   bool idle;
   if (this->done || replay_answerable(this, &idle))
      return GENERATOR_READY;
   int64_t end = Clock_now() + timeout_ns;
   for (;;) {
      /* one input to wait for: poll it; several: look at each in turn */
      ReplayFile* only = NULL;
      uint32_t waiting = 0;
      for (uint32_t i = 0; i < this->n_files; i++) {
         ReplayFile* f = this->files[i];
         if (!ReplayFile_head(f) && !ReplayFile_done(f) && !CsvReader_error(f->reader)) {
            only = f;
            waiting++;
         }
      }
      int64_t left = end - Clock_now();
      if (left <= 0)
         break;
      if (waiting == 1)
         CsvReader_ready(only->reader, left);
      else
         Clock_sleepUntil(Clock_now() + (left < REPLAY_POLL_NS ? left : REPLAY_POLL_NS));
      if (replay_answerable(this, &idle))
         return GENERATOR_READY;
   }
   return idle ? GENERATOR_IDLE : GENERATOR_PENDING;
}

static void replay_paused(Generator* gen, int64_t pause_ns) {
   Replay* this = (Replay*)gen;
   this->paused_total += pause_ns;
   Replay_publishDue(this);
}

static void replay_retune(Generator* gen, const Knobs* knobs) {
   Replay* this = (Replay*)gen;
   replay_setSpeed(this, knobs->speed > 0 ? knobs->speed : 0);
}

static void replay_retime(Generator* gen, Record* held) {
   Replay* this = (Replay*)gen;
   if (!this->have_last)
      return;
   Replay_uncut(this);
   if (this->speed == 0) {
      held->t_arrival = GENERATOR_ASAP;
      this->last_asap = true;
      Replay_publishDue(this);
      return;
   }
   int64_t t = replay_schedule(this, this->last_eff);
   t = replay_cutGap(this, this->last_eff, t, this->prev_eff, this->prev_rel);
   if (t < this->prev_rel)
      t = this->prev_rel;
   held->t_arrival = t;
   this->last_rel = t;
   this->last_asap = false;
   Replay_publishDue(this);
}

static void replay_destroy(Generator* gen) {
   Replay* this = (Replay*)gen;
   for (uint32_t i = 0; i < this->n_files; i++)
      ReplayFile_delete(this->files[i]);
   free(this->files);
   SensorNames_done(&this->shared.names);
   Columns_done(&this->shared.columns);
   free(this->shared.time_format);
   free(this->shared.na_text);
   free(this->shared.stdin_name);
   if (this->shared.c_locale)
      freelocale(this->shared.c_locale);
   pthread_mutex_destroy(&this->notice_lock);
   free(this);
}

static const char* replay_errorOp(Generator* gen) {
   return Replay_error((Replay*)gen);
}

static const GeneratorOps replay_ops = {
    .next = replay_next,
    .nextBlock = replay_nextBlock,
    .paused = replay_paused,
    .retune = replay_retune,
    .destroy = replay_destroy,
    .retime = replay_retime,
    .error = replay_errorOp,
    .move = ReplayMove_move,
};

/* The same with wait, for live inputs: the source never blocks in next() on them. */
static const GeneratorOps replay_liveOps = {
    .next = replay_next,
    .paused = replay_paused,
    .retune = replay_retune,
    .destroy = replay_destroy,
    .retime = replay_retime,
    .wait = replay_wait,
    .error = replay_errorOp,
    .move = ReplayMove_move,
};

/* ------------------------------------------------------------- opening */

/* The settings every file is read with; false with a message when the --columns spec does not parse. */
static bool replay_configure(Replay* this, const ReplayConfig* config, char* err, size_t errlen) {
   ReplayShared* sh = &this->shared;
   sh->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
   if (!sh->c_locale) {
      snprintf(err, errlen, "cannot create the C locale: %s", strerror(errno));
      return false;
   }
   sh->config = *config;
   sh->config.files = NULL;
   if (config->time_format)
      sh->config.time_format = sh->time_format = xstrdup(config->time_format);
   sh->config.na = NULL;
   if (config->stdin_name)
      sh->config.stdin_name = sh->stdin_name = xstrdup(config->stdin_name);
   if (config->na) {
      /* the markers, split at commas; an empty one is the empty text */
      sh->na_text = xstrdup(config->na);
      for (char* at = sh->na_text; sh->n_na < REPLAY_NA_MAX;) {
         char* comma = strchr(at, ',');
         sh->na[sh->n_na++] = at;
         if (!comma)
            break;
         *comma = '\0';
         at = comma + 1;
      }
   }
   sh->bad.stop = config->on_bad_row != REPLAY_BAD_SKIP;
   this->loop = config->loop;
   atomic_store(&this->a_loop, config->loop);
   this->speed = config->speed > 0 ? config->speed : 0;
   uint64_t speed_bits;
   memcpy(&speed_bits, &this->speed, sizeof speed_bits);
   atomic_store(&this->a_speed, speed_bits);
   atomic_store(&this->a_file, -1);
   return Columns_parse(&sh->columns, config->columns, err, errlen);
}

/* Open every file; false with a message when one cannot be played, or recordings and other files are mixed. */
static bool replay_openFiles(Replay* this, const ReplayConfig* config, char* err, size_t errlen) {
   this->n_files = config->n_files;
   this->files = xcalloc(this->n_files, sizeof *this->files);
   for (uint32_t i = 0; i < this->n_files; i++)
      this->files[i] = ReplayFile_new(&this->shared, i, config->files[i], i == 0);
   for (uint32_t i = 0; i < this->n_files; i++) {
      ReplayFile* f = this->files[i];
      if (!ReplayFile_prime(f, err, errlen))
         return false;
      bool file = CsvReader_isFile(f->reader);
      this->live |= !file || config->follow;
      if (config->loop && !file) {
         snprintf(err, errlen, "%s: --loop reads its files again, and this is a stream (a pipe, a FIFO or a device)",
                  CsvReader_path(f->reader));
         return false;
      }
   }
   this->recordings = this->files[0]->header.version != 0;
   for (uint32_t i = 1; i < this->n_files; i++) {
      if ((this->files[i]->header.version != 0) != this->recordings) {
         snprintf(err, errlen, "%s and %s: a keepup recording cannot be replayed together with other CSV files",
                  CsvReader_path(this->files[0]->reader), CsvReader_path(this->files[i]->reader));
         return false;
      }
   }
   return true;
}

/* The id space and whether names are met as the files are read: a sensor column, or a recording's names. */
static void replay_sensorSpace(Replay* this) {
   for (uint32_t i = 0; i < this->n_files; i++) {
      const ReplayFile* f = this->files[i];
      this->names_grow |= this->recordings ? f->header.names : f->map.sensor >= 0;
      if (this->recordings && f->header.id_space > this->id_space)
         this->id_space = f->header.id_space;
   }
   if (!this->recordings)
      this->id_space = this->names_grow ? SENSORNAMES_MAX : this->shared.names.n;
   if (this->recordings && this->names_grow && this->id_space > SENSORNAMES_MAX)
      this->id_space = SENSORNAMES_MAX;
   atomic_store(&this->a_sensors, this->shared.names.n);
}

Replay* Replay_new(const ReplayConfig* config, char* err, size_t errlen) {
   if (config->n_files == 0) {
      snprintf(err, errlen, "no --replay file");
      return NULL;
   }
   Replay* this = xcalloc(1, sizeof *this);
   pthread_mutex_init(&this->notice_lock, NULL);
   this->gen.ops = &replay_ops;
   if (!replay_configure(this, config, err, errlen) || !replay_openFiles(this, config, err, errlen)) {
      replay_destroy(&this->gen);
      return NULL;
   }
   if (this->live)
      this->gen.ops = &replay_liveOps;
   replay_sensorSpace(this);
   /* a recording's times count from its start; other files' from the earliest first time */
   this->first_t = INT64_MAX;
   for (uint32_t i = 0; i < this->n_files; i++) {
      const ReplayRow* head = ReplayFile_head(this->files[i]);
      if (head && head->t < this->first_t)
         this->first_t = head->t;
   }
   this->origin = this->recordings ? 0 : this->first_t;
   this->pass_first = this->first_t; /* the shifted time of the pass's first row */
   return this;
}

/* ------------------------------------------------------------- queries */

Generator* Replay_generator(Replay* this) {
   return &this->gen;
}

void Replay_delete(Replay* this) {
   if (this)
      replay_destroy(&this->gen);
}

bool Replay_isRecording(const Replay* this) {
   return this->recordings;
}

const PipelineParams* Replay_params(const Replay* this) {
   return this->recordings ? &this->files[0]->header.params : NULL;
}

const char* Replay_note(const Replay* this, const char* key) {
   return RecFormat_note(&this->files[0]->header, key);
}

uint32_t Replay_idSpace(const Replay* this) {
   return this->id_space;
}

const char* const* Replay_names(const Replay* this) {
   if (this->recordings && !this->names_grow)
      return NULL;
   return (const char* const*)this->shared.names.names;
}

bool Replay_namesGrow(const Replay* this) {
   return this->names_grow;
}

uint32_t Replay_sensors(const Replay* this) {
   return this->recordings && !this->names_grow ? this->id_space
                                                : atomic_load_explicit(&this->a_sensors, memory_order_relaxed);
}

uint32_t Replay_files(const Replay* this) {
   return this->n_files;
}

bool Replay_takeNotice(Replay* this, char* out, size_t len) {
   pthread_mutex_lock(&this->notice_lock);
   bool any = this->notice[0] != '\0';
   if (any)
      snprintf(out, len, "%s", this->notice);
   this->notice[0] = '\0';
   pthread_mutex_unlock(&this->notice_lock);
   return any;
}

const char* Replay_error(const Replay* this) {
   return atomic_load_explicit(&this->failed, memory_order_acquire) ? this->error : NULL;
}

uint64_t Replay_badRows(const Replay* this, const char** msgs, size_t max, size_t* n_msgs) {
   return CsvReader_badRows(&this->shared.bad, msgs, max, n_msgs);
}

uint64_t Replay_lateRows(const Replay* this, const char** msgs, size_t max, size_t* n_msgs) {
   return CsvReader_badRows(&this->shared.late, msgs, max, n_msgs);
}

void Replay_position(const Replay* this, ReplayPosition* out) {
   memset(out, 0, sizeof *out);
   out->n_files = this->n_files;
   out->live = this->live;
   bool sized = true;
   for (uint32_t i = 0; i < this->n_files; i++) {
      const ReplayFile* f = this->files[i];
      out->rows_read += CsvReader_rowsSeen(f->reader);
      out->rows += atomic_load_explicit(&f->a_rows_played, memory_order_relaxed);
      out->bytes += atomic_load_explicit(&f->a_bytes_played, memory_order_relaxed);
      sized &= CsvReader_isFile(f->reader);
      out->size += CsvReader_size(f->reader);
   }
   if (!sized)
      out->size = 0;
   out->percent = out->size ? 100.0 * (double)out->bytes / (double)out->size : -1;
   if (out->percent > 100)
      out->percent = 100;
   int32_t fi = atomic_load_explicit(&this->a_file, memory_order_relaxed);
   if (fi >= 0) {
      out->file = CsvReader_path(this->files[fi]->reader);
      out->file_index = (uint32_t)fi;
      out->time_unit = (CsvTimeUnit)atomic_load_explicit(&this->a_unit, memory_order_relaxed);
   }
   for (uint32_t i = 0; i < this->n_files; i++)
      out->records += atomic_load_explicit(&this->files[i]->a_records, memory_order_relaxed);
   out->file_time = atomic_load_explicit(&this->a_time, memory_order_relaxed);
   out->t_recording_s = (double)atomic_load_explicit(&this->a_rel_time, memory_order_relaxed) / 1e9;
   uint64_t bits = atomic_load_explicit(&this->a_speed, memory_order_relaxed);
   memcpy(&out->speed, &bits, sizeof out->speed);
   out->loops = atomic_load_explicit(&this->a_loops, memory_order_relaxed);
   out->bad_rows = atomic_load_explicit(&this->shared.bad.n, memory_order_relaxed);
   out->late_rows = atomic_load_explicit(&this->shared.late.n, memory_order_relaxed);
   int64_t due = atomic_load_explicit(&this->a_due_at, memory_order_relaxed);
   int64_t now = Clock_now();
   out->due_in_ns = due > now ? due - now : 0;
   out->gaps = atomic_load_explicit(&this->a_gaps, memory_order_relaxed);
   out->gap_ns = atomic_load_explicit(&this->a_gap_ns, memory_order_relaxed);
   out->gap_at = atomic_load_explicit(&this->a_gap_at, memory_order_relaxed);
   out->gaps_saved_ns = atomic_load_explicit(&this->a_gaps_saved, memory_order_relaxed);
   out->finished = atomic_load(&this->finished);
   out->loop = atomic_load_explicit(&this->a_loop, memory_order_relaxed);
   out->can_move = !this->live;
   out->seeks = atomic_load_explicit(&this->a_seeks, memory_order_relaxed);
   out->skipped_rows = atomic_load_explicit(&this->a_skipped_rows, memory_order_relaxed);
   out->skipped_records = atomic_load_explicit(&this->a_skipped_records, memory_order_relaxed);
}

void Replay_fileStats(const Replay* this, uint32_t i, ReplayFileStats* out) {
   const ReplayFile* f = this->files[i];
   *out = (ReplayFileStats){
       .path = CsvReader_path(f->reader),
       .rows_read = ReplayFile_rowsRead(f),
       .rows_played = atomic_load(&f->a_rows_played),
       .records = atomic_load(&f->a_records),
       .empty = CsvReader_emptyRows(f->reader),
       .late = f->late,
       .bad = CsvReader_skippedRows(f->reader),
       .late_dropped = f->late_dropped,
       .max_lateness_ns = f->max_lateness,
       .size = CsvReader_size(f->reader),
       .bytes = CsvReader_consumed(f->reader),
       .stream = !CsvReader_isFile(f->reader),
   };
}

void Replay_describe(const Replay* this, uint32_t i, char* out, size_t len) {
   ReplayFile_describe(this->files[i], this->speed, this->shared.config.max_gap_ns, out, len);
}
