/* verdict.c: the keeping-up verdict as a pure function of measurements, plus hysteresis. */
#include "config.h"

#include "core/verdict.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/units.h"

/* How each state is written: in full (the banner), and in one word (a column). */
static const struct {
   const char* name;
   const char* word;
} verdict_text[VERDICT_LAST] = {
    [VERDICT_STARTING] = {"MEASURING", "MEASURING"},
    [VERDICT_KEEPING_UP] = {"KEEPING UP", "KEEPING"},
    [VERDICT_FALLING_BEHIND] = {"FALLING BEHIND", "FALLING"},
    [VERDICT_CATCHING_UP] = {"CATCHING UP", "CATCHING"},
    [VERDICT_INPUT_ENDED] = {"INPUT ENDED", "ENDED"},
    [VERDICT_DONE] = {"DONE", "DONE"},
    [VERDICT_FAILED] = {"REPLAY FAILED", "FAILED"},
};

const char* Verdict_name(VerdictState state) {
   return state >= 0 && state < VERDICT_LAST ? verdict_text[state].name : "?";
}

const char* Verdict_word(VerdictState state) {
   return state >= 0 && state < VERDICT_LAST ? verdict_text[state].word : "?";
}

void Verdict_init(Verdict* this) {
   *this = (Verdict){.state = VERDICT_STARTING, .pending = VERDICT_STARTING};
}

/* Trends smaller than this are noise: 2% of the traffic, and at least 50 records/s. */
static double verdict_tolerance(const VerdictInput* in) {
   double traffic = fmax(in->in_rate, in->out_rate);
   return fmax(0.02 * traffic, 50.0);
}

VerdictState Verdict_classify(const VerdictInput* in, VerdictCause* cause) {
   double tol = verdict_tolerance(in);
   VerdictCause c;
   VerdictState s;
   if (in->failed) {
      s = VERDICT_FAILED;
      c = CAUSE_FAILED;
   } else if (in->ended) {
      /* nothing arrives any more: no rate to compare, only what is left */
      s = in->backlog > 0 ? VERDICT_INPUT_ENDED : VERDICT_DONE;
      c = CAUSE_ENDED;
   } else if (in->drop_rate >= 1.0) {
      s = VERDICT_FALLING_BEHIND;
      c = CAUSE_DROPPING;
   } else if (in->trend > tol) {
      /* growing is falling behind even while the backlog is still young */
      s = VERDICT_FALLING_BEHIND;
      c = in->held_back_s >= VERDICT_HELD_S ? CAUSE_HELD : CAUSE_GROWING;
   } else if (in->oldest_age_s < VERDICT_FRESH_S) {
      s = VERDICT_KEEPING_UP;
      c = CAUSE_FRESH;
   } else if (in->trend < -tol) {
      s = VERDICT_CATCHING_UP;
      c = CAUSE_SHRINKING;
   } else if (in->age_trend > 0.5) {
      /* records get older while nothing grows */
      s = VERDICT_FALLING_BEHIND;
      c = in->held_back_s >= VERDICT_HELD_S ? CAUSE_HELD : CAUSE_AGING;
   } else if (in->age_trend < -0.5) {
      s = VERDICT_CATCHING_UP;
      c = CAUSE_SHRINKING;
   } else {
      s = VERDICT_KEEPING_UP;
      c = CAUSE_STEADY;
   }
   if (cause)
      *cause = c;
   return s;
}

void Verdict_update(Verdict* this, const VerdictInput* in) {
   VerdictCause cause;
   VerdictState raw = Verdict_classify(in, &cause);
   this->last = *in;
   this->pending_cause = cause;
   if (raw != this->pending) {
      this->pending = raw;
      this->pending_since = in->t;
   }
   /* the end of the input is a fact, not a measurement that may flicker: shown at once */
   bool at_once = this->state == VERDICT_STARTING || raw == VERDICT_INPUT_ENDED || raw == VERDICT_DONE ||
                  raw == VERDICT_FAILED;
   if (raw == this->state || at_once) {
      if (raw != this->state)
         this->since = in->t;
      this->state = raw;
      this->cause = cause;
      return;
   }
   if (in->t - this->pending_since >= VERDICT_HOLD_NS) {
      this->state = raw;
      this->cause = cause;
      this->since = this->pending_since;
   }
}

bool Verdict_measure(const HistorySample* s, size_t n, int64_t horizon_ns, VerdictInput* out) {
   if (n < 2)
      return false;
   const HistorySample* now = &s[n - 1];
   size_t j = n - 1;
   while (j > 0 && now->t - s[j - 1].t <= horizon_ns)
      j--;
   double dt = (double)(now->t - s[j].t) / 1e9;
   /* an ended input needs no rates to be judged: it is INPUT ENDED or DONE from its first sample on */
   bool ended = (now->flags & HISTORY_SOURCE_DONE) != 0;
   bool failed = (now->flags & HISTORY_SOURCE_FAILED) != 0;
   if (dt < 0.3 && !(ended && dt > 0))
      return false;
   double in_sum = 0, out_sum = 0, drop_sum = 0;
   for (size_t k = j + 1; k < n; k++) {
      in_sum += s[k].in_rate;
      out_sum += s[k].out_rate;
      drop_sum += s[k].drop_rate;
   }
   size_t m = n - 1 - j;
   double in = in_sum / (double)m, done = out_sum / (double)m, drop = drop_sum / (double)m;
   *out = (VerdictInput){
       .t = now->t,
       .horizon_s = dt,
       .in_rate = in,
       .out_rate = done,
       .drop_rate = drop,
       /* from the rates rather than the backlog's two ends, so that the
        * reason line adds up: arriving - processed - dropped = growth */
       .trend = in - done - drop,
       .backlog = now->backlog,
       .held_back = now->held_back,
       .held_back_s = now->held_back_s,
       .oldest_age_s = now->oldest_age_s,
       .age_trend = (now->oldest_age_s - s[j].oldest_age_s) / dt,
       .ended = ended,
       .failed = failed,
   };
   return true;
}

int64_t Verdict_age(const Verdict* this, int64_t now) {
   if (this->state == VERDICT_STARTING || now < this->since)
      return 0;
   return now - this->since;
}

/* The reason for the state the input classifies as, in numbers that agree with it. */
static void verdict_causeText(const VerdictInput* in, VerdictCause cause, char* buf, size_t len) {
   char a[16], b[16], c[16], d[16], e[16];
   Units_formatCount(a, sizeof a, in->in_rate);
   Units_formatCount(b, sizeof b, in->out_rate);
   Units_formatCount(c, sizeof c, fabs(in->trend));
   Units_formatDuration(d, sizeof d, (int64_t)(in->oldest_age_s * 1e9));
   double tol = verdict_tolerance(in);
   const char* cmp = in->in_rate > in->out_rate + tol ? " >" : in->in_rate + tol < in->out_rate ? " <" : ",";
   double waiting = in->backlog + in->held_back;
   switch (cause) {
   case CAUSE_DROPPING:
      Units_formatCount(e, sizeof e, in->drop_rate);
      snprintf(buf, len, "arriving %s rec/s%s processed %s rec/s: dropping %s rec/s", a, cmp, b, e);
      break;
   case CAUSE_GROWING:
      snprintf(buf, len, "arriving %s rec/s%s processed %s rec/s: backlog +%s rec/s", a, cmp, b, c);
      break;
   case CAUSE_HELD:
      Units_formatCount(e, sizeof e, in->held_back);
      Units_formatDuration(d, sizeof d, (int64_t)(in->held_back_s * 1e9));
      /* the held-back source first: on a narrow terminal it is what must show */
      snprintf(buf, len, "source held back: %s records behind its schedule, %s; arriving %s rec/s%s processed %s rec/s: "
               "+%s rec/s behind", e, d, a, cmp, b, c);
      break;
   case CAUSE_SHRINKING:
      /* when it will be empty is the forecast's to say (a prediction, from the model's capacity) */
      if (in->trend < 0 && waiting > 0)
         snprintf(buf, len, "processed %s rec/s%s arriving %s rec/s: backlog -%s rec/s", b,
                  in->out_rate > in->in_rate + tol ? " >" : ",", a, c);
      else
         snprintf(buf, len, "processed %s rec/s, arriving %s rec/s: oldest record %s old and getting younger", b, a, d);
      break;
   case CAUSE_AGING:
      Units_formatCount(e, sizeof e, in->backlog);
      snprintf(buf, len, "backlog stuck at %s rec, oldest %s old and aging", e, d);
      break;
   case CAUSE_STEADY:
      snprintf(buf, len, "arriving %s rec/s%s processed %s rec/s: backlog steady, oldest record %s old", a, cmp, b, d);
      break;
   case CAUSE_ENDED:
      Units_formatCount(e, sizeof e, in->backlog);
      if (in->backlog > 0 && in->out_rate > 0) {
         Units_formatDuration(d, sizeof d, (int64_t)(in->backlog / in->out_rate * 1e9));
         snprintf(buf, len, "no more input: %s queued, empty in ~%s at %s rec/s (prediction)", e, d, b);
      } else if (in->backlog > 0) {
         snprintf(buf, len, "no more input: %s queued", e);
      } else {
         snprintf(buf, len, "no more input, and every record is done");
      }
      break;
   case CAUSE_FAILED:
      Units_formatCount(e, sizeof e, in->backlog);
      snprintf(buf, len, "the input stopped on an error before its end (see the errors); %s still queued", e);
      break;
   case CAUSE_FRESH:
   case CAUSE_NONE:
   default:
      if (waiting <= 0)
         snprintf(buf, len, "arriving %s rec/s%s processed %s rec/s: backlog empty", a, cmp, b);
      else
         snprintf(buf, len, "arriving %s rec/s%s processed %s rec/s: oldest record %s old", a, cmp, b, d);
      break;
   }
}

void Verdict_reason(const Verdict* this, char* buf, size_t len) {
   if (this->state == VERDICT_STARTING || this->state >= VERDICT_LAST) {
      snprintf(buf, len, "measuring: not enough history for a verdict yet");
      return;
   }
   /* the newest measurement's own reason: a reason of the shown state with today's numbers could contradict them */
   verdict_causeText(&this->last, this->pending_cause, buf, len);
   if (this->pending != this->state) {
      size_t n = strlen(buf);
      if (n < len)
         snprintf(buf + n, len - n, " (%s if it holds)", Verdict_name(this->pending));
   }
}
