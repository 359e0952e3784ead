/* view.c: the knob panel's rows, the knob each row or key acts on in the run's context, and the hit map. */
#include "config.h"

#include "ui/view.h"

const KnobId View_knobRows[VIEW_KNOB_ROWS] = {KNOB_BATCH, KNOB_LINGER, KNOB_THREADS, KNOB_RATE,
                                              KNOB_EVERY, KNOB_WINDOW, KNOB_OVERFLOW, KNOB_DISPATCH, KNOB_LAYOUT};

KnobId View_knobInForce(const View* v, KnobId id) {
   const ViewData* d = &v->data;
   bool bursts = !d->replaying && d->knobs.arrival == ARRIVAL_BURST;
   switch (id) {
   case KNOB_RATE:
   case KNOB_BURST:
      return d->replaying ? KNOB_SPEED : bursts ? KNOB_BURST : KNOB_RATE;
   case KNOB_EVERY:
      return bursts ? KNOB_EVERY : KNOB_LAST;
   default:
      return id;
   }
}

KnobId View_rowKnob(const View* v, int row) {
   return row >= 0 && row < VIEW_KNOB_ROWS ? View_knobInForce(v, View_knobRows[row]) : KNOB_LAST;
}

void ViewHits_clear(ViewHits* this) {
   for (int i = 0; i < VIEW_KNOB_ROWS; i++)
      this->knob_y[i] = -1;
   for (int i = 0; i < STAGE_LAST; i++)
      this->stage_y[i] = -1;
   this->knob_area = this->stage_area = (Rect){0, 0, 0, 0};
}

const char* View_sensorName(const ViewData* v, uint32_t sensor) {
   return v->sensor_names && sensor < v->n_sensor_names ? v->sensor_names[sensor] : NULL;
}
