/* footprint.c: the memory lesson's table (see footprint.h) and its caption. */
#include "config.h"

#include "core/footprint.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/units.h"

void Footprint_init(Footprint* this) {
   memset(this, 0, sizeof *this);
}

static void footprint_begin(Footprint* this, const Snapshot* s) {
   this->started = true;
   this->current = (int)s->knobs.layout;
   this->records0 = s->backlog_records;
   this->bytes0 = s->backlog_bytes;
   this->rss0 = s->rss_bytes;
}

void Footprint_update(Footprint* this, const Snapshot* s, double growth) {
   this->cap_bytes = s->knobs.max_backlog_records ? 0 : s->knobs.max_backlog_bytes;
   if (!this->started || this->current != (int)s->knobs.layout || s->backlog_records < this->records0) {
      footprint_begin(this, s);
      return;
   }
   uint64_t added = s->backlog_records - this->records0;
   if (added < FOOTPRINT_MIN_RECORDS || s->backlog_bytes < this->bytes0)
      return;
   /* the growth while the backlog grew: at the cap it stops, and the prediction is of a queue filling */
   if (growth > 0 && s->backlog_records > this->last_records)
      this->growth = growth;
   this->last_records = s->backlog_records;
   FootprintRow* r = &this->row[this->current];
   r->measured = true;
   r->records = added;
   r->bytes = (double)(s->backlog_bytes - this->bytes0) / (double)added;
   r->rss = s->rss_bytes > this->rss0 ? (double)(s->rss_bytes - this->rss0) / (double)added : 0;
}

double Footprint_fillSeconds(const Footprint* this, RecordLayout l) {
   const FootprintRow* r = &this->row[l];
   if (!r->measured || r->rss <= 0 || this->growth <= 0 || this->cap_bytes == 0)
      return INFINITY;
   return (double)this->cap_bytes / (r->rss * this->growth);
}

/* "12 s", "1.3 min": a predicted duration. */
static void footprint_duration(double s, char* buf, size_t len) {
   if (!isfinite(s))
      snprintf(buf, len, "never");
   else
      Units_formatDuration(buf, len, (int64_t)(s * 1e9));
}

bool Footprint_caption(const Footprint* this, char* line1, char* line2, size_t len) {
   const FootprintRow* p = &this->row[LAYOUT_PACKED];
   const FootprintRow* b = &this->row[LAYOUT_BOXED];
   if (!p->measured && !b->measured)
      return false;
   char cap[32], rate[32], tp[32], tb[32];
   Units_formatBytes(cap, sizeof cap, (double)this->cap_bytes);
   Units_formatCount(rate, sizeof rate, this->growth);
   footprint_duration(Footprint_fillSeconds(this, LAYOUT_PACKED), tp, sizeof tp);
   footprint_duration(Footprint_fillSeconds(this, LAYOUT_BOXED), tb, sizeof tb);
   if (p->measured && b->measured && p->rss > 0) {
      snprintf(line1, len,
               "Measured (RSS): a queued record takes %.0f B boxed, %.0f B packed: %.1fx, as the lecture's "
               "300 MB against 30 MB.",
               b->rss, p->rss, b->rss / p->rss);
      snprintf(line2, len,
               "Predicted at +%s rec/s: the %s cap fills in %s boxed, %s packed. Compact records keep "
               "a backlog small.",
               rate, cap, tb, tp);
      return true;
   }
   const FootprintRow* m = p->measured ? p : b;
   const char* name = p->measured ? "packed" : "boxed";
   snprintf(line1, len, "Measured (RSS): a queued record takes %.0f B %s (%.0f B by the queue's count). y: %s.", m->rss,
            name, m->bytes, p->measured ? "box each record" : "pack them");
   snprintf(line2, len, "Predicted at +%s rec/s: the %s cap fills in %s %s.", rate, cap, p->measured ? tp : tb, name);
   return true;
}

double Footprint_rssPerRecord(const Snapshot* s) {
   if (s->backlog_records == 0 || s->rss_bytes <= s->rss_start_bytes)
      return 0;
   return (double)(s->rss_bytes - s->rss_start_bytes) / (double)s->backlog_records;
}
