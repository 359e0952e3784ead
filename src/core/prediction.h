/*
 * prediction.h: the forecast panel's arithmetic and words (no curses, no
 * engine): when a forecast's moment comes ("in 1.2 min", "now", "never"),
 * the predicted backlog growth next to the measured one, and the watch that
 * says so on screen when the prediction has been off by more than
 * PREDICTION_TOLERANCE for PREDICTION_HOLD_NS.
 *
 * The comparison is fair only when both sides describe the same thing: the
 * model predicts arrival - capacity, which is what the backlog does only
 * while the pipeline is saturated (its backlog never empties), and the
 * measured trend covers the long window, so a knob change inside that
 * window mixes two settings. Outside those conditions the check pauses and
 * says why instead of comparing.
 */
#ifndef KEEPUP_UI_PREDICTION_H
#define KEEPUP_UI_PREDICTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

#define PREDICTION_TOLERANCE 0.20
#define PREDICTION_HOLD_NS   INT64_C(5000000000)
#define PREDICTION_FLOOR     0.05 /* differences below this share of the arrival rate are noise */

typedef enum PredictionState {
   PREDICTION_UNKNOWN,     /* nothing measured yet */
   PREDICTION_SETTLING,    /* a knob changed within the long window */
   PREDICTION_UNSATURATED, /* the backlog emptied within the long window: growth is not arrival - capacity */
   PREDICTION_AGREES,      /* within the tolerance, or off for less than the hold time */
   PREDICTION_OFF,         /* off by more than the tolerance for the hold time */
} PredictionState;

typedef struct PredictionCheck {
   PredictionState state;
   double error;         /* |predicted - measured| / scale at the last comparison */
   int64_t off_since;    /* when the error last went over the tolerance (0: within it) */
   int64_t settle_until; /* SETTLING until then */
} PredictionCheck;

void PredictionCheck_init(PredictionCheck* this);
/* The relative difference: |predicted - measured| over the larger of the two magnitudes, and at least floor. */
double Prediction_error(double predicted, double measured, double floor);
/* One comparison at time t. saturated: the backlog stayed non-empty over the long window;
 * settle_until: the end of the long window after the latest knob change. */
void PredictionCheck_update(PredictionCheck* this, int64_t t, double predicted, double measured, double arrival,
                            bool saturated, int64_t settle_until);
/* How long the prediction has been off, ns (0 unless PREDICTION_OFF). */
int64_t PredictionCheck_offFor(const PredictionCheck* this, int64_t t);

/* The forecast for a pipeline whose recent window saw no work: the capacity
 * last measured, the arrival rate, backlog and its cap now. */
void Prediction_reforecast(double capacity, const ModelInput* now, Forecast* out);

/* When a forecast's moment comes: "now", "in 12 s", "in 3.5 min", "in 2.0 h", "in 3 days", "never". */
void Prediction_eta(char* buf, size_t len, double seconds);
/* A signed rate: "+10.7k rec/s", "-950 rec/s", "0 rec/s"; short: "+10.7k/s". */
void Prediction_rate(char* buf, size_t len, double rate);
void Prediction_rateShort(char* buf, size_t len, double rate);
/* A speedup factor: "x1.09", "x12.3", "x250". */
void Prediction_factor(char* buf, size_t len, double f);

#endif
