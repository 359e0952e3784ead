/*
 * generator.h: where records come from. The engine's source thread pulls
 * records from a Generator one at a time (or, as fast as possible, in
 * blocks: nextBlock), in schedule order, and does all
 * the pacing, batching and queueing itself, so the simulator and CSV replay
 * differ only in how they make the next record.
 */
#ifndef KEEPUP_GENERATOR_H
#define KEEPUP_GENERATOR_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/record.h"

struct Knobs;

/* t_arrival of a record that should be played as soon as possible (replay --speed max). */
#define GENERATOR_ASAP INT64_MIN

typedef struct Generator Generator;

/* What a live input has for the source (GeneratorOps.wait). */
typedef enum GeneratorWait {
   GENERATOR_READY,   /* next() answers without waiting: a record, or the end */
   GENERATOR_PENDING, /* nothing yet; what is open may still grow (a file read as it comes) */
   GENERATOR_IDLE,    /* nothing yet, and the input is live: seal what is open (--follow) */
} GeneratorWait;

#define GENERATOR_MOVE_TEXT 192 /* what a move did, or why it could not (GeneratorOps.move), with its NUL */

/* How the dashboard moves a replay (GeneratorOps.move). */
typedef enum GeneratorMove {
   GENERATOR_MOVE_RESTART, /* back to the first row */
   GENERATOR_MOVE_SEEK,    /* by count tenths of the input's time span (negative: back) */
   GENERATOR_MOVE_STEP,    /* paused: the held record is played now (the source plays its burst) */
   GENERATOR_MOVE_LOOP,    /* count 1: play again at the end (--loop); 0: stop at the end */
   GENERATOR_MOVE_LAST
} GeneratorMove;

typedef struct GeneratorOps {
   /* Fill *out with the next record: t_event, its time in the data (ns);
    * t_arrival relative to the start of the run (ns, never less than the
    * previous one's) or GENERATOR_ASAP; sensor; value. out->seq is set by the
    * engine. Returns false when there are no
    * more records (a finite replay), and then keeps returning false. */
   bool (*next)(Generator* this, Record* out);
   /* The source was paused for pause_ns: schedule-based generators shift their clock. */
   void (*paused)(Generator* this, int64_t pause_ns);
   /* The knobs changed (rate, burst, speed): take the new values from the next record on. */
   void (*retune)(Generator* this, const struct Knobs* knobs);
   /* Free the generator. */
   void (*destroy)(Generator* this);
   /* Optional (NULL: none). Called right after retune with the record the
    * engine holds from the last next(), not yet played: recompute its
    * t_arrival under the new knobs, so a speed change applies to it too
    * instead of after it (replay's gaps can be minutes long). */
   void (*retime)(Generator* this, Record* held);
   /* Optional (NULL: the engine estimates it from the schedule's recent rate).
    * How many records not yet returned by next() the schedule has at or
    * before t (relative, ns): what a source held back is behind by. *exact:
    * set false when the count is an estimate (a random schedule). */
   uint64_t (*due)(Generator* this, int64_t t, bool* exact);
   /* Optional (NULL: next() always answers at once). An input that may have
    * nothing yet (a pipe, a file that grows) waits here up to timeout_ns,
    * so the source never blocks in next() and still sees a stop or a pause. */
   GeneratorWait (*wait)(Generator* this, int64_t timeout_ns);
   /* Optional (NULL: it never fails). After next() returned false: why the
    * input stopped early (a read error, a bad row that stops a replay), or
    * NULL when it ended as it should. */
   const char* (*error)(Generator* this);
   /* Optional (NULL: the input cannot move). Move as asked (the source thread, between two records).
    * held: the record the engine holds from the last next(), not played (NULL: none). RESTART and SEEK
    * give it back (the engine forgets it) and the next record next() returns is the first at the new
    * position, scheduled at now_rel (the engine's relative time) with the ones after it keeping their
    * spacing; event times go on after the newest handed out (a move back plays rows again, later in
    * event time, as --loop does). STEP schedules held at now_rel. True with what was done in what;
    * false, with why, when the input cannot move so (a stream, an error, the end). */
   bool (*move)(Generator* this, GeneratorMove how, int count, int64_t now_rel, Record* held, char* what,
                size_t len);
   /* Optional (NULL: one record a call). Up to max records into out, as that many calls of next() would
    * give them, when each is there at once and is played as soon as possible (t_arrival GENERATOR_ASAP);
    * fewer, 0 included, where it cannot say so (then the caller asks next()). The source plays a block's
    * records before it looks at a move, a pause or new knobs, so the record it holds then is the last one
    * handed out, as with next(). */
   size_t (*nextBlock)(Generator* this, Record* out, size_t max);
} GeneratorOps;

struct Generator {
   const GeneratorOps* ops;
   /* Set by the engine (NULL: never): true once the run stops. A move that reads on for long (a seek
    * passing millions of rows) looks at it and stops where it is, so a signal or q does not wait. */
   const _Atomic bool* stop;
};

#endif
