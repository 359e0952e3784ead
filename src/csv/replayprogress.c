/*
 * replayprogress.c: a replay's rates over a recent window and its time to
 * go. The window is a ring of positions at least a tenth of it apart, so a
 * caller adding one every frame and another every second see the same rates.
 */
#include "config.h"

#include "csv/replayprogress.h"

#include <stdio.h>

#include "base/units.h"

#define REPLAYPROGRESS_DAY_NS (86400 * INT64_C(1000000000))

void ReplayProgress_span(char* buf, size_t len, int64_t ns) {
   if (ns >= 2 * REPLAYPROGRESS_DAY_NS)
      snprintf(buf, len, "%.1f d", (double)ns / (double)REPLAYPROGRESS_DAY_NS);
   else
      Units_formatDuration(buf, len, ns);
}

void ReplayProgress_add(ReplayProgress* this, int64_t now, const ReplayPosition* pos) {
   if (pos->seeks != this->seeks)
      this->n = 0; /* a restart or a seek: the bytes jumped */
   this->seeks = pos->seeks;
   if (this->n > 0) {
      uint32_t newest = (this->head + REPLAYPROGRESS_SAMPLES - 1) % REPLAYPROGRESS_SAMPLES;
      if (now - this->t[newest] < REPLAYPROGRESS_WINDOW_NS / 10 && this->n > 1) {
         /* too close to the last one: it moves up to now instead */
         this->t[newest] = now;
         this->bytes[newest] = pos->bytes;
         this->rows[newest] = pos->rows;
         return;
      }
      if (pos->rows < this->rows[newest] || pos->bytes < this->bytes[newest] / 2)
         this->n = 0; /* a new pass (--loop) or a truncated file: start the window again */
   }
   this->t[this->head] = now;
   this->bytes[this->head] = pos->bytes;
   this->rows[this->head] = pos->rows;
   this->head = (this->head + 1) % REPLAYPROGRESS_SAMPLES;
   if (this->n < REPLAYPROGRESS_SAMPLES)
      this->n++;
}

/* The oldest sample within the window of the newest, and the newest; false with fewer than two. */
static bool replayprogress_ends(const ReplayProgress* this, uint32_t* old, uint32_t* newest) {
   if (this->n < 2)
      return false;
   *newest = (this->head + REPLAYPROGRESS_SAMPLES - 1) % REPLAYPROGRESS_SAMPLES;
   for (uint32_t k = this->n - 1; k > 0; k--) {
      uint32_t i = (this->head + REPLAYPROGRESS_SAMPLES - 1 - k) % REPLAYPROGRESS_SAMPLES;
      if (this->t[*newest] - this->t[i] <= REPLAYPROGRESS_WINDOW_NS) {
         *old = i;
         return this->t[*newest] > this->t[i];
      }
   }
   return false;
}

double ReplayProgress_rowRate(const ReplayProgress* this) {
   uint32_t a, b;
   if (!replayprogress_ends(this, &a, &b))
      return 0;
   return (double)(this->rows[b] - this->rows[a]) * 1e9 / (double)(this->t[b] - this->t[a]);
}

double ReplayProgress_byteRate(const ReplayProgress* this) {
   uint32_t a, b;
   if (!replayprogress_ends(this, &a, &b))
      return 0;
   return (double)(this->bytes[b] - this->bytes[a]) * 1e9 / (double)(this->t[b] - this->t[a]);
}

int64_t ReplayProgress_eta(const ReplayProgress* this, const ReplayPosition* pos) {
   double rate = ReplayProgress_byteRate(this);
   if (pos->size == 0 || pos->live || rate <= 0 || pos->bytes > pos->size)
      return -1;
   double s = (double)(pos->size - pos->bytes) / rate;
   return s > 1e7 ? -1 : (int64_t)(s * 1e9);
}

void ReplayProgress_text(const ReplayProgress* this, const ReplayPosition* pos, int64_t now, int64_t max_gap_ns,
                         char* out, size_t len) {
   char rows[16], a[32], b[32];
   Units_formatCount(rows, sizeof rows, (double)pos->rows);
   if (pos->finished) {
      snprintf(out, len, "%s rows, ended", rows);
   } else if (pos->gap_at && now - pos->gap_at < 2 * INT64_C(1000000000)) {
      ReplayProgress_span(a, sizeof a, pos->gap_ns);
      Units_formatDuration(b, sizeof b, max_gap_ns);
      snprintf(out, len, "gap of %s compressed to %s", a, b);
   } else if (pos->due_in_ns > INT64_C(1000000000)) {
      Units_formatDuration(a, sizeof a, pos->due_in_ns);
      snprintf(out, len, "next row due in %s", a);
   } else if (pos->percent >= 0) {
      int64_t eta = ReplayProgress_eta(this, pos);
      if (eta >= 0)
         Units_formatDuration(a, sizeof a, eta);
      snprintf(out, len, "%s rows %.0f%%%s%s", rows, pos->percent, eta >= 0 ? " ETA " : "", eta >= 0 ? a : "");
   } else {
      Units_formatCount(a, sizeof a, ReplayProgress_rowRate(this));
      snprintf(out, len, "%s rows %s/s", rows, a);
   }
}
