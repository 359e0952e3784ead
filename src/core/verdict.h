/*
 * verdict.h: KEEPING UP, FALLING BEHIND, CATCHING UP, INPUT ENDED or DONE,
 * decided from measured history (no curses, no engine), with hysteresis so
 * that the verdict a room reads does not flicker.
 *
 * The measure compares what the schedule offered with what was processed
 * over a horizon (2 s, or one burst period under bursty arrival so that a
 * burst and its drain average out): their difference, less the drops, is
 * the growth of everything waiting, the backlog and the records a held-back
 * source has not admitted alike. Beside it: the trend of the oldest record's
 * age (counted from its scheduled arrival, admitted or not), drops, and
 * whether the backlog is fresh (its oldest record younger than
 * VERDICT_FRESH_S). In that order: drops or growth are falling behind even
 * while the backlog is young; a fresh backlog that does not grow is kept up;
 * an old one is judged by its trend, then by the trend of its age. Once a
 * finite input has ended nothing arrives: INPUT ENDED while records wait,
 * then DONE; those are facts, shown at once. An input that stopped on an
 * error (a replay's bad row, a read error) did not end: REPLAY FAILED, at
 * once and for good, whatever the rates say.
 */
#ifndef KEEPUP_UI_VERDICT_H
#define KEEPUP_UI_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/history.h"

#define VERDICT_FRESH_S    1.0                 /* a backlog whose oldest record is younger is "kept up" */
#define VERDICT_HOLD_NS    INT64_C(1500000000) /* a new verdict must hold this long to be shown */
#define VERDICT_HORIZON_NS INT64_C(2000000000)

typedef enum VerdictState {
   VERDICT_STARTING, /* not enough history yet */
   VERDICT_KEEPING_UP,
   VERDICT_FALLING_BEHIND,
   VERDICT_CATCHING_UP,
   VERDICT_INPUT_ENDED, /* a finite input has ended; records still wait */
   VERDICT_DONE,        /* a finite input has ended and every record is done */
   VERDICT_FAILED,      /* the input stopped on an error before its end */
   VERDICT_LAST
} VerdictState;

/* Why a state was chosen; the reason line is written from it. */
typedef enum VerdictCause {
   CAUSE_NONE,
   CAUSE_FRESH,     /* the oldest record is young */
   CAUSE_STEADY,    /* the backlog is old but neither grows nor shrinks */
   CAUSE_GROWING,   /* the backlog grows */
   CAUSE_SHRINKING, /* the backlog shrinks */
   CAUSE_AGING,     /* the backlog is flat but its records get older */
   CAUSE_DROPPING,  /* records are being dropped */
   CAUSE_HELD,      /* the source is held back behind its schedule (--overflow block at the cap) */
   CAUSE_ENDED,     /* the input ended */
   CAUSE_FAILED,    /* the input stopped on an error */
} VerdictCause;

#define VERDICT_HELD_S 0.1 /* a source this far behind its schedule is held back */

typedef struct VerdictInput {
   int64_t t;           /* ns, monotonic: time of the newest sample */
   double horizon_s;    /* what the rates and trends below cover */
   double in_rate;      /* records/s offered by the schedule, mean over the horizon */
   double out_rate;     /* records/s completed, mean over the horizon */
   double drop_rate;    /* records/s dropped, mean over the horizon */
   double backlog;      /* records waiting in the pipeline, now */
   double held_back;    /* records offered and not admitted (a held-back source), now */
   double held_back_s;  /* how far behind its schedule the source is, now */
   double trend;        /* growth of backlog + held back, records/s over the horizon: in - out - dropped */
   double oldest_age_s; /* age of the oldest record not done (from its scheduled arrival), now */
   double age_trend;    /* change of that age per second over the horizon */
   bool ended;          /* the input has ended: nothing more arrives */
   bool failed;         /* ... because it failed (a replay an error stopped) */
} VerdictInput;

typedef struct Verdict {
   VerdictState state; /* the one shown */
   VerdictCause cause;
   int64_t since;         /* when the shown state began (ns) */
   VerdictState pending;  /* the newest raw state */
   VerdictCause pending_cause;
   int64_t pending_since; /* when the raw state last changed */
   VerdictInput last;
} Verdict;

void Verdict_init(Verdict* this);
/* The raw state of one measurement, without hysteresis. */
VerdictState Verdict_classify(const VerdictInput* in, VerdictCause* cause);
/* Feed a measurement; the shown state changes only once a new raw state has
 * held for VERDICT_HOLD_NS (at once from VERDICT_STARTING). */
void Verdict_update(Verdict* this, const VerdictInput* in);
/* The measurement at the newest of n samples (oldest first) over horizon_ns:
 * mean rates, trend = in - out - drop, the age's trend between the horizon's
 * ends, the held-back source and the end of the input as the newest sample
 * has them. False while the samples cover less than a third of a second
 * (unless the input has ended). */
bool Verdict_measure(const HistorySample* s, size_t n, int64_t horizon_ns, VerdictInput* out);
/* "KEEPING UP", ... */
const char* Verdict_name(VerdictState state);
/* One word for a column: "MEASURING", "KEEPING", "FALLING", "CATCHING", "ENDED", "DONE". */
const char* Verdict_word(VerdictState state);
/* The reason in numbers, one line, for the newest measurement: "arriving 200k rec/s > processed
 * 120k rec/s: backlog +80.0k rec/s"; the numbers always agree with the words, and while a new
 * state has not held long enough to be shown, the line says which it would be. */
void Verdict_reason(const Verdict* this, char* buf, size_t len);
/* How long the shown state has lasted at time now (ns). */
int64_t Verdict_age(const Verdict* this, int64_t now);

#endif
