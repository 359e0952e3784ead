/*
 * engine.c: the engine's lifecycle and what front ends read from it.
 *
 * Engine_new sets the pipeline, the queue and the locks up from an
 * EngineSetup; Engine_start starts the threads (the source in source.c, the
 * workers in worker.c, the monitor in monitor.c); Engine_stop ends them in
 * the order that loses nothing: the source first, then, after an optional
 * drain, the workers, and the monitor last, which takes the final snapshot.
 * The reading calls copy out under the snapshot lock. --output and the event
 * marks live here too: every thread writes to them.
 */
#include "config.h"

#include "engine/engine_impl.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/memlimit.h"
#include "base/signals.h"
#include "base/sysinfo.h"
#include "base/xalloc.h"

#define ENGINE_HISTORY_EVENTS 256
#define ENGINE_STOP_GRACE_NS  (500 * NS_PER_MS) /* a batch in hand at the stop may finish within this */
#define ENGINE_PIPE_SLICE     4096              /* bytes a FIFO takes without blocking once it polls writable */

static void engine_setError(Engine* this, const char* msg) {
   pthread_mutex_lock(&this->snap_lock);
   if (!this->error[0])
      snprintf(this->error, sizeof this->error, "%s", msg);
   pthread_mutex_unlock(&this->snap_lock);
}

void Engine_event(Engine* this, const char* fmt, ...) {
   char text[48];
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(text, sizeof text, fmt, ap);
   va_end(ap);
   pthread_mutex_lock(&this->snap_lock);
   History_addEvent(&this->history, Clock_now(), text);
   pthread_mutex_unlock(&this->snap_lock);
}

/* A FIFO whose reader does not read would block a write for good, and a stop with it: wait for room in
 * slices that look at the stop, then write no more than the room there is. */
static size_t engine_pipeRoom(Engine* this, size_t len) {
   struct pollfd p = {.fd = this->output_fd, .events = POLLOUT};
   while (poll(&p, 1, 100) == 0 || (p.revents & POLLOUT) == 0) {
      if (p.revents & (POLLERR | POLLHUP))
         return len; /* the write says what went wrong */
      if (atomic_load_explicit(&this->abort_work, memory_order_relaxed))
         return 0;
   }
   return len < ENGINE_PIPE_SLICE ? len : ENGINE_PIPE_SLICE;
}

void Engine_output(Engine* this, const char* buf, size_t len) {
   if (this->output_fd < 0 || len == 0)
      return;
   pthread_mutex_lock(&this->output_lock);
   Engine_outputLocked(this, buf, len);
   pthread_mutex_unlock(&this->output_lock);
}

void Engine_outputLocked(Engine* this, const char* buf, size_t len) {
   while (len > 0 && !this->output_failed) {
      size_t chunk = this->output_pipe ? engine_pipeRoom(this, len) : len;
      if (chunk == 0) {
         this->output_failed = true;
         engine_setError(this, "writing --output stopped: its reader was not reading when the run stopped");
         break;
      }
      ssize_t n = write(this->output_fd, buf, chunk);
      if (n < 0 && errno == EINTR)
         continue;
      if (n < 0) {
         char msg[160];
         snprintf(msg, sizeof msg, "writing --output failed: %s; output stopped, the pipeline goes on", strerror(errno));
         this->output_failed = true;
         engine_setError(this, msg);
         break;
      }
      buf += n;
      len -= (size_t)n;
      engine_add(&this->output_bytes, (uint64_t)n);
   }
}

void Engine_wakeSource(Engine* this) {
   pthread_mutex_lock(&this->source_lock);
   pthread_cond_broadcast(&this->source_cond);
   pthread_mutex_unlock(&this->source_lock);
}

/* ---------------------------------------------------------------- lifecycle */

static void engine_initLocks(Engine* this) {
   pthread_mutex_init(&this->output_lock, NULL);
   pthread_mutex_init(&this->knob_lock, NULL);
   pthread_mutex_init(&this->source_lock, NULL);
   pthread_mutex_init(&this->alert_lock, NULL);
   pthread_mutex_init(&this->snap_lock, NULL);
   pthread_condattr_t attr;
   pthread_condattr_init(&attr);
   pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
   pthread_cond_init(&this->source_cond, &attr);
   pthread_cond_init(&this->snap_cond, &attr);
   pthread_condattr_destroy(&attr);
}

/* The knobs at start, with the copies the workers read without the lock. */
static void engine_initKnobs(Engine* this, const Knobs* k, uint64_t safety_bytes) {
   this->knobs = *k;
   this->knobs.safety_cap_bytes = safety_bytes;
   this->knobs.paused = false;
   atomic_store(&this->dispatch_cost, k->dispatch_cost_ns);
   atomic_store(&this->dispatch, (int)k->dispatch);
   atomic_store(&this->layout, (int)k->layout);
   for (int s = 0; s < STAGE_LAST; s++) {
      atomic_store(&this->variant[s], (int)k->variant[s]);
      atomic_store(&this->stage_cost[s], k->stage_cost_ns[s]);
   }
   Pipeline_setWindow(this->pipe, k->window);
}

Engine* Engine_new(const EngineSetup* setup) {
   Engine* this = xcalloc(1, sizeof *this);
   const Knobs* k = &setup->knobs;
   this->gen = setup->generator;
   this->gen->stop = &this->source_stop;
   this->pipe = Pipeline_new(setup->params);
   this->id_space = setup->params->id_space;
   if (setup->tap) {
      this->tap_slot[0] = (TapSlot){setup->tap, setup->tap_ctx};
      atomic_store(&this->tap, &this->tap_slot[0]);
      this->tap_next = 1;
   }
   this->output_fd = setup->output_fd;
   struct stat st;
   this->output_pipe = this->output_fd >= 0 && fstat(this->output_fd, &st) == 0 && S_ISFIFO(st.st_mode);
   this->minimal_metrics = setup->minimal_metrics;
   this->spin_ns = setup->spin_ns;
   /* a hard cap for --overflow grow, within the memory the machine and the process limits allow */
   uint64_t safety_bytes = Memlimit_safetyCap(Sysinfo_physicalMemory());
   Queue_init(&this->queue, k->overflow, k->max_backlog_records, k->max_backlog_bytes, safety_bytes);
   Queue_setActive(&this->queue, k->threads);
   Queue_setSpin(&this->queue, setup->spin_ns);
   engine_initLocks(this);
   this->moves.loop = -1;
   History_init(&this->history, ENGINE_HISTORY_SAMPLES, ENGINE_HISTORY_EVENTS);
   Monitor_init(this);
   this->order_last = xcalloc(this->id_space, sizeof *this->order_last);
   this->order_seen = xcalloc(this->id_space, 1);
   atomic_store(&this->open_oldest, INT64_MAX);
   atomic_store(&this->held_due, INT64_MAX);
   atomic_store(&this->offered_exact, true);
   Queue_setBatch(&this->queue, k->batch);
   atomic_store(&this->event_read, INT64_MIN);
   atomic_store(&this->event_first, INT64_MIN);
   engine_initKnobs(this, k, safety_bytes);
   Sequencer_init(this, setup->ordered);
   if (this->output_fd >= 0) {
      OutBuf header = {0};
      Pipeline_formatHeader(this->pipe, &header);
      Engine_output(this, header.buf, header.len);
      free(header.buf);
   }
   return this;
}

void Engine_capThreads(Engine* this, uint32_t started, int why) {
   pthread_mutex_lock(&this->knob_lock);
   this->knobs.threads = started;
   this->threads_cap = started;
   pthread_mutex_unlock(&this->knob_lock);
   Queue_setActive(&this->queue, started);
   Engine_event(this, "threads %u: no more could be started (%s)", started, strerror(why));
}

bool Engine_start(Engine* this) {
   this->t_start = Clock_now();
   this->rss_start = Sysinfo_rss(); /* before any record: the backlog's share of the RSS is the growth from it */
   /* the engine's threads leave the stop signals to the thread that waits for them */
   sigset_t old;
   Signals_block(&old);
   /* the monitor and the source first: without them there is no run; the workers then take what room is left */
   int why = pthread_create(&this->monitor_thread, NULL, Monitor_main, this);
   this->monitor_started = why == 0;
   if (why == 0)
      why = pthread_create(&this->source_thread, NULL, Source_main, this);
   this->source_started = this->monitor_started && why == 0;
   if (this->source_started && pthread_getcpuclockid(this->source_thread, &this->source_clock) == 0)
      atomic_store_explicit(&this->has_source_clock, true, memory_order_release);
   uint32_t started = 0;
   if (this->source_started)
      started = Worker_start(this, this->knobs.threads, &why);
   Signals_unblock(&old);
   if (started == 0) {
      /* Engine_stop ends what did start */
      snprintf(this->start_error, sizeof this->start_error, "cannot start the pipeline's threads: %s",
               strerror(why ? why : EAGAIN));
      engine_setError(this, this->start_error);
      return false;
   }
   if (started < this->knobs.threads)
      Engine_capThreads(this, started, why);
   return true;
}

const char* Engine_startError(const Engine* this) {
   return this->start_error[0] ? this->start_error : NULL;
}

/* Nothing more enters: the source thread ends, and a push waiting for room queues its batch. */
static void engine_stopSource(Engine* this) {
   if (!this->source_started)
      return;
   atomic_store(&this->source_stop, true);
   Queue_stopSource(&this->queue);
   Engine_wakeSource(this);
   pthread_join(this->source_thread, NULL);
   this->source_started = false;
}

bool Engine_drain(Engine* this, int64_t deadline, bool (*cancelled)(void* ctx), void* ctx) {
   engine_stopSource(this);
   for (;;) {
      int64_t now = Clock_now();
      if (Queue_waitEmpty(&this->queue, deadline < now + ENGINE_TICK_NS ? deadline : now + ENGINE_TICK_NS))
         return true;
      if (Clock_now() >= deadline || (cancelled && cancelled(ctx)))
         return false;
   }
}

void Engine_stop(Engine* this, bool drain, int64_t timeout_ns) {
   if (this->stopped)
      return; /* the final snapshot is already taken */
   this->stopped = true;
   if (drain)
      Engine_drain(this, Clock_now() + timeout_ns, NULL, NULL);
   /* the monitor first: it reads the other threads' CPU clocks, which end with them */
   if (this->monitor_started) {
      pthread_mutex_lock(&this->snap_lock);
      atomic_store(&this->monitor_stop, true);
      pthread_cond_broadcast(&this->snap_cond); /* the monitor waits on it for its next tick */
      pthread_mutex_unlock(&this->snap_lock);
      pthread_join(this->monitor_thread, NULL);
      this->monitor_started = false;
   }
   engine_stopSource(this);
   Queue_stop(&this->queue);
   /* a batch in hand finishes if it can within the grace; one that cannot (a huge simulated cost, a naive
    * stage over a huge window) is left unfinished and stays counted in flight */
   if (!Queue_waitIdle(&this->queue, Clock_now() + ENGINE_STOP_GRACE_NS))
      atomic_store(&this->abort_work, true);
   for (uint32_t i = 0; i < atomic_load(&this->n_workers_started); i++)
      pthread_join(this->workers[i]->thread, NULL);
   this->threads_joined = true;
   Sequencer_flush(this);
   Monitor_take(this); /* the final state, after every thread has stopped */
}

void Engine_delete(Engine* this) {
   if (!this)
      return;
   Engine_stop(this, false, 0);
   for (uint32_t i = 0; i < atomic_load(&this->n_workers_started); i++)
      Worker_delete(this->workers[i]);
   Queue_done(&this->queue);
   if (this->gen && this->gen->ops->destroy)
      this->gen->ops->destroy(this->gen);
   Pipeline_delete(this->pipe);
   History_done(&this->history);
   Monitor_done(this);
   free(this->order_last);
   free(this->order_seen);
   Sequencer_done(this);
   pthread_cond_destroy(&this->source_cond);
   pthread_cond_destroy(&this->snap_cond);
   pthread_mutex_destroy(&this->output_lock);
   pthread_mutex_destroy(&this->knob_lock);
   pthread_mutex_destroy(&this->source_lock);
   pthread_mutex_destroy(&this->alert_lock);
   pthread_mutex_destroy(&this->snap_lock);
   free(this);
}

/* ---------------------------------------------------------------- reading */

void Engine_snapshot(Engine* this, Snapshot* out) {
   pthread_mutex_lock(&this->snap_lock);
   *out = this->snap;
   pthread_mutex_unlock(&this->snap_lock);
}

size_t Engine_history(Engine* this, HistorySample* out, size_t max) {
   pthread_mutex_lock(&this->snap_lock);
   size_t n = History_copy(&this->history, out, max);
   pthread_mutex_unlock(&this->snap_lock);
   return n;
}

size_t Engine_events(Engine* this, HistoryEvent* out, size_t max) {
   pthread_mutex_lock(&this->snap_lock);
   size_t n = History_copyEvents(&this->history, out, max);
   pthread_mutex_unlock(&this->snap_lock);
   return n;
}

uint64_t Engine_waitSnapshot(Engine* this, uint64_t seq, int64_t timeout_ns) {
   int64_t deadline = Clock_now() + timeout_ns;
   struct timespec ts = {.tv_sec = (time_t)(deadline / NS_PER_SEC), .tv_nsec = (long)(deadline % NS_PER_SEC)};
   pthread_mutex_lock(&this->snap_lock);
   while (this->snap_seq <= seq) {
      if (pthread_cond_timedwait(&this->snap_cond, &this->snap_lock, &ts) == ETIMEDOUT)
         break;
   }
   uint64_t now = this->snap_seq;
   pthread_mutex_unlock(&this->snap_lock);
   return now;
}

int64_t Engine_sourceCpu(Engine* this) {
   return atomic_load_explicit(&this->source_cpu_exit, memory_order_relaxed);
}

bool Engine_finished(Engine* this) {
   if (!atomic_load(&this->source_done))
      return false;
   QueueCounts c;
   uint64_t pending;
   Monitor_counts(this, &c, &pending, NULL);
   return c.queued == 0 && c.in_flight == 0 && pending == 0;
}

void Engine_latency(Engine* this, Histogram* out) {
   Histogram_reset(out);
   uint32_t nw = atomic_load_explicit(&this->n_workers_started, memory_order_acquire);
   for (uint32_t i = 0; i < nw; i++)
      Histogram_add(out, &this->workers[i]->latency);
}

void Engine_setTap(Engine* this, EngineTap tap, void* ctx) {
   TapSlot* slot = NULL;
   if (tap) {
      slot = &this->tap_slot[this->tap_next];
      this->tap_next ^= 1;
      *slot = (TapSlot){tap, ctx};
   }
   atomic_store(&this->tap, slot);
   /* a call that began before the swap may still hold the old slot: wait for it to end */
   uint64_t busy = atomic_load(&this->tap_busy);
   if (busy % 2)
      while (atomic_load(&this->tap_busy) == busy)
         sched_yield();
}

void Engine_mark(Engine* this, const char* text) {
   Engine_event(this, "%s", text);
}
