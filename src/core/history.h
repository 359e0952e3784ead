/*
 * history.h: a ring of compact samples, one per engine tick, that the charts
 * draw from, plus the log of events (knob changes) that marks them.
 */
#ifndef KEEPUP_HISTORY_H
#define KEEPUP_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "core/stages/stage.h"

/* HistorySample.flags */
#define HISTORY_SOURCE_DONE 1u /* a finite source had no more records */
#define HISTORY_MIXED       2u /* the window completed hand-offs claimed under an older batch size */
#define HISTORY_SOURCE_FAILED 4u /* ... because the input failed (with HISTORY_SOURCE_DONE) */

typedef struct HistorySample {
   int64_t t;             /* ns */
   double backlog;        /* records queued, claimed or in open batches */
   double held_back;      /* records offered and not admitted yet */
   double held_back_s;    /* how far behind its schedule the source is */
   double oldest_age_s;   /* staleness: from the scheduled arrival of the oldest record not done */
   double event_lag_s;    /* Snapshot.event_lag_ns in s of the data's time */
   double in_rate;        /* records/s offered by the schedule */
   double out_rate;       /* records/s completed */
   double drop_rate;
   double latency_p50_s;
   double latency_p99_s;
   double latency_max_s;
   double alert_rate;
   double alert_delay_p99_s;
   double stage_share[STAGE_LAST];
   double busy_cpu;       /* CPUs the workers used */
   double cpus_taken;     /* CPUs the source thread and other processes used */
   uint32_t batch;        /* knob values, for the throughput-vs-latency panel */
   uint32_t threads;
   uint32_t event;        /* id of the newest event at this time (0: none yet) */
   uint32_t flags;        /* HISTORY_* */
} HistorySample;

typedef struct HistoryEvent {
   uint32_t id;   /* 1, 2, ... */
   int64_t t;     /* ns */
   char text[48]; /* "batch 256", "feature optimized", ... */
} HistoryEvent;

typedef struct History {
   HistorySample* samples;
   size_t cap;
   size_t count;  /* <= cap */
   size_t head;   /* next slot to write */
   HistoryEvent* events;
   size_t ev_cap;
   size_t ev_count;
   size_t ev_head;
   uint32_t next_event_id;
} History;

void History_init(History* this, size_t cap, size_t event_cap);
void History_done(History* this);
void History_clear(History* this);
void History_push(History* this, const HistorySample* s);
/* Copy up to max newest samples, oldest first; returns how many. */
size_t History_copy(const History* this, HistorySample* out, size_t max);
/* Append an event; returns its id. */
uint32_t History_addEvent(History* this, int64_t t, const char* text);
/* Copy up to max newest events, oldest first; returns how many. */
size_t History_copyEvents(const History* this, HistoryEvent* out, size_t max);
uint32_t History_lastEventId(const History* this);

#endif
