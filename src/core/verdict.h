/*
 * verdict.h: KEEPING UP, FALLING BEHIND or CATCHING UP, decided from
 * measured history (no curses, no engine), with hysteresis so that the
 * verdict a room reads does not flicker.
 *
 * The measure is the backlog's trend over a horizon (2 s, or one burst
 * period under bursty arrival so that a burst and its drain average out), the trend of the oldest record's age (a
 * blocked source shows up there, not in the backlog), drops, and whether the backlog is fresh (its oldest record
 * younger than VERDICT_FRESH_S). In that order: drops or a growing backlog are falling behind even while the backlog is
 * young; a fresh backlog that does not grow is kept up; an old one is judged by its trend, then by the trend of its
 * age.
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
   VERDICT_LAST
} VerdictState;

/* Why a state was chosen; the reason line is written from it. */
typedef enum VerdictCause {
   CAUSE_NONE,
   CAUSE_FRESH,     /* the oldest record is young */
   CAUSE_STEADY,    /* the backlog is old but neither grows nor shrinks */
   CAUSE_GROWING,   /* the backlog grows */
   CAUSE_SHRINKING, /* the backlog shrinks */
   CAUSE_AGING,     /* the backlog is flat but its records get older (a blocked source) */
   CAUSE_DROPPING,  /* records are being dropped */
} VerdictCause;

typedef struct VerdictInput {
   int64_t t;           /* ns, monotonic: time of the newest sample */
   double horizon_s;    /* what the rates and trends below cover */
   double in_rate;      /* records/s arriving, mean over the horizon */
   double out_rate;     /* records/s completed, mean over the horizon */
   double drop_rate;    /* records/s dropped, now */
   double backlog;      /* records, now */
   double trend;        /* backlog change, records/s over the horizon: in - out - dropped */
   double oldest_age_s; /* age of the oldest unprocessed record, now */
   double age_trend;    /* change of that age per second over the horizon */
} VerdictInput;

typedef struct Verdict {
   VerdictState state; /* the one shown */
   VerdictCause cause;
   int64_t since;         /* when the shown state began (ns) */
   VerdictState pending;  /* the newest raw state */
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
 * mean rates, trend = in - out - drop_rate (the samples carry no drops; the
 * caller gives the current rate), the age's trend between the horizon's ends.
 * False while the samples cover less than a third of a second. */
bool Verdict_measure(const HistorySample* s, size_t n, int64_t horizon_ns, double drop_rate, VerdictInput* out);
/* "KEEPING UP", ... */
const char* Verdict_name(VerdictState state);
/* One word for a column: "MEASURING", "KEEPING", "FALLING", "CATCHING". */
const char* Verdict_word(VerdictState state);
/* The reason in numbers, one line: "in 200k rec/s > out 120k rec/s: backlog +80.0k rec/s". */
void Verdict_reason(const Verdict* this, char* buf, size_t len);
/* How long the shown state has lasted at time now (ns). */
int64_t Verdict_age(const Verdict* this, int64_t now);

#endif
