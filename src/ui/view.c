/* view.c: the knob panel's rows, and the knob each row or key acts on in the run's context. */
#include "config.h"

#include "ui/view.h"

const KnobId View_knobRows[VIEW_KNOB_ROWS] = {KNOB_BATCH, KNOB_LINGER, KNOB_THREADS, KNOB_RATE,
                                              KNOB_EVERY, KNOB_WINDOW, KNOB_OVERFLOW};

KnobId View_knobInForce(const View* v, KnobId id) {
   bool bursts = !v->replaying && v->knobs.arrival == ARRIVAL_BURST;
   switch (id) {
   case KNOB_RATE:
   case KNOB_BURST:
      return v->replaying ? KNOB_SPEED : bursts ? KNOB_BURST : KNOB_RATE;
   case KNOB_EVERY:
      return bursts ? KNOB_EVERY : KNOB_LAST;
   default:
      return id;
   }
}

KnobId View_rowKnob(const View* v, int row) {
   return row >= 0 && row < VIEW_KNOB_ROWS ? View_knobInForce(v, View_knobRows[row]) : KNOB_LAST;
}
