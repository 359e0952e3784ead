/*
 * sequencer.c: --output in order (--ordered). A worker hands each completed
 * hand-off's lines here with the hand-off's records; under the output lock,
 * once per hand-off, they go through the reorder buffer (core/reorder.c),
 * and whatever is now in admission order is written. The watermark is the
 * smallest admission number not yet done: the buffer learns of every
 * admitted record, processed or filtered in a hand-off, or dropped from the
 * queue (the queue's drop hook and the source's dropped push queue those
 * records under drop_lock; the next hand-off takes them in). Records the
 * source never admitted (drop-newest, the safety cap) have no admission
 * number. At the end, what is held (behind records still queued or left
 * unfinished by the stop) is written in order.
 *
 * Memory: the held lines and their entries may take SEQUENCER_MAX_BYTES;
 * past that the buffer stops waiting for the oldest missing records
 * (counted as passed over), so a stuck hand-off cannot make it grow without
 * bound. Lines written behind a later event time are counted (unordered).
 */
#include "config.h"

#include "engine/engine_impl.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define SEQUENCER_MAX_BYTES (UINT64_C(64) << 20)

void Sequencer_init(Engine* engine, bool ordered) {
   pthread_mutex_init(&engine->drop_lock, NULL);
   if (!ordered || engine->output_fd < 0)
      return;
   engine->reorder = Reorder_new(SEQUENCER_MAX_BYTES);
   Queue_onDrop(&engine->queue, Sequencer_dropped, engine);
}

void Sequencer_done(Engine* engine) {
   Reorder_delete(engine->reorder);
   engine->reorder = NULL;
   free(engine->ordered_text.buf);
   free(engine->dropped);
   pthread_mutex_destroy(&engine->drop_lock);
}

void Sequencer_dropped(void* ctx, const Batch* b) {
   Engine* engine = ctx;
   if (!engine->reorder || b->n == 0)
      return;
   pthread_mutex_lock(&engine->drop_lock);
   if (engine->dropped_n + b->n > engine->dropped_cap) {
      uint32_t cap = engine->dropped_cap ? engine->dropped_cap : 256;
      while (cap < engine->dropped_n + b->n)
         cap *= 2;
      engine->dropped = xrealloc(engine->dropped, (size_t)cap * sizeof *engine->dropped);
      engine->dropped_cap = cap;
   }
   for (uint32_t i = 0; i < b->n; i++)
      engine->dropped[engine->dropped_n + i] = Batch_record(b, i);
   engine->dropped_n += b->n;
   pthread_mutex_unlock(&engine->drop_lock);
}

/* The dropped records into the buffer (output_lock held). They came from several batches: each batch's
 * records ascend, so each ascending run is skipped on its own. */
static void sequencer_takeDropped(Engine* engine) {
   pthread_mutex_lock(&engine->drop_lock);
   uint32_t n = engine->dropped_n;
   for (uint32_t start = 0, i = 1; i <= n; i++) {
      if (i == n || (int32_t)(engine->dropped[i].seq - engine->dropped[i - 1].seq) <= 0) {
         Reorder_skip(engine->reorder, engine->dropped + start, i - start, &engine->ordered_text);
         start = i;
      }
   }
   engine->dropped_n = 0;
   pthread_mutex_unlock(&engine->drop_lock);
}

/* Write what the buffer released, and publish its counts (output_lock held). */
static void sequencer_write(Engine* engine) {
   OutBuf* text = &engine->ordered_text;
   Engine_outputLocked(engine, text->buf, text->len);
   text->len = 0;
   ReorderStats st;
   Reorder_stats(engine->reorder, &st);
   atomic_store_explicit(&engine->ordered_unordered, st.unordered, memory_order_relaxed);
   atomic_store_explicit(&engine->ordered_passed, st.passed, memory_order_relaxed);
   atomic_store_explicit(&engine->ordered_peak, st.peak_bytes, memory_order_relaxed);
}

void Sequencer_output(Engine* engine, const Batch* b, const Work* work) {
   if (!engine->reorder) {
      Engine_output(engine, work->out.buf, work->out.len);
      return;
   }
   /* the entries and the copy of the text are made before the lock: under it, only the merge */
   ReorderChunk* c = Reorder_chunk(b->rec, b->n, work->rows, work->nrows, work->out.buf, work->out.len);
   pthread_mutex_lock(&engine->output_lock);
   sequencer_takeDropped(engine);
   Reorder_put(engine->reorder, c, &engine->ordered_text);
   sequencer_write(engine);
   pthread_mutex_unlock(&engine->output_lock);
}

void Sequencer_flush(Engine* engine) {
   if (!engine->reorder)
      return;
   pthread_mutex_lock(&engine->output_lock);
   sequencer_takeDropped(engine);
   Reorder_flush(engine->reorder, &engine->ordered_text);
   sequencer_write(engine);
   pthread_mutex_unlock(&engine->output_lock);
}
