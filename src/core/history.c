/* history.c: fixed-size rings of samples and events. */
#include "config.h"

#include "core/history.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void History_init(History* this, size_t cap, size_t event_cap) {
   memset(this, 0, sizeof *this);
   this->samples = xcalloc(cap, sizeof *this->samples);
   this->cap = cap;
   this->events = xcalloc(event_cap, sizeof *this->events);
   this->ev_cap = event_cap;
   this->next_event_id = 1;
}

void History_done(History* this) {
   free(this->samples);
   free(this->events);
   memset(this, 0, sizeof *this);
}

void History_clear(History* this) {
   this->count = 0;
   this->head = 0;
}

void History_push(History* this, const HistorySample* s) {
   this->samples[this->head] = *s;
   this->head = (this->head + 1) % this->cap;
   if (this->count < this->cap)
      this->count++;
}

/* Copy the newest n of a ring of count items ending before head, oldest first. */
static size_t history_ringCopy(void* out, const void* ring, size_t size, size_t cap, size_t count, size_t head, size_t max) {
   size_t n = count < max ? count : max;
   size_t start = (head + cap - n) % cap;
   for (size_t i = 0; i < n; i++)
      memcpy((char*)out + i * size, (const char*)ring + ((start + i) % cap) * size, size);
   return n;
}

size_t History_copy(const History* this, HistorySample* out, size_t max) {
   return history_ringCopy(out, this->samples, sizeof *out, this->cap, this->count, this->head, max);
}

uint32_t History_addEvent(History* this, int64_t t, const char* text) {
   HistoryEvent* e = &this->events[this->ev_head];
   e->id = this->next_event_id++;
   e->t = t;
   strncpy(e->text, text, sizeof e->text - 1);
   e->text[sizeof e->text - 1] = '\0';
   this->ev_head = (this->ev_head + 1) % this->ev_cap;
   if (this->ev_count < this->ev_cap)
      this->ev_count++;
   return e->id;
}

size_t History_copyEvents(const History* this, HistoryEvent* out, size_t max) {
   return history_ringCopy(out, this->events, sizeof *out, this->ev_cap, this->ev_count, this->ev_head, max);
}

uint32_t History_lastEventId(const History* this) {
   return this->next_event_id - 1;
}
