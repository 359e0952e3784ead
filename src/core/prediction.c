/* prediction.c: forecast words and the predicted-vs-measured watch. */
#include "config.h"

#include "core/prediction.h"

#include <math.h>
#include <stdio.h>

#include "base/units.h"

void PredictionCheck_init(PredictionCheck* this) {
   *this = (PredictionCheck){.state = PREDICTION_UNKNOWN};
}

double Prediction_error(double predicted, double measured, double floor) {
   double scale = fmax(fabs(predicted), fabs(measured));
   if (scale < floor)
      scale = floor;
   return scale > 0 ? fabs(predicted - measured) / scale : 0;
}

void PredictionCheck_update(PredictionCheck* this, int64_t t, double predicted, double measured, double arrival,
                            bool saturated, int64_t settle_until) {
   this->settle_until = settle_until;
   if (!isfinite(predicted) || !isfinite(measured) || !(arrival > 0)) {
      this->state = PREDICTION_UNKNOWN;
      this->off_since = 0;
      return;
   }
   this->error = Prediction_error(predicted, measured, PREDICTION_FLOOR * arrival);
   if (t < settle_until) {
      this->state = PREDICTION_SETTLING;
      this->off_since = 0;
      return;
   }
   if (!saturated) {
      this->state = PREDICTION_UNSATURATED;
      this->off_since = 0;
      return;
   }
   if (this->error <= PREDICTION_TOLERANCE) {
      this->off_since = 0;
      this->state = PREDICTION_AGREES;
      return;
   }
   if (this->off_since == 0)
      this->off_since = t;
   this->state = t - this->off_since >= PREDICTION_HOLD_NS ? PREDICTION_OFF : PREDICTION_AGREES;
}

int64_t PredictionCheck_offFor(const PredictionCheck* this, int64_t t) {
   return this->state == PREDICTION_OFF && this->off_since ? t - this->off_since : 0;
}

void Prediction_reforecast(double capacity, const ModelInput* now, Forecast* out) {
   ModelInput in = *now;
   /* one worker at the measured capacity stands for the whole pipeline */
   in.stage_ns = capacity > 0 ? 1e9 / capacity : 0;
   in.overhead_ns = 0;
   in.batch = 1;
   in.threads = 1;
   in.ncpu = 1;
   in.hot_share = 0;
   Model_forecast(&in, out);
}

void Prediction_eta(char* buf, size_t len, double s) {
   if (isnan(s) || isinf(s) || s > 365.0 * 86400) {
      snprintf(buf, len, "never");
      return;
   }
   if (s <= 0) {
      snprintf(buf, len, "now");
      return;
   }
   if (s < 9.95)
      snprintf(buf, len, "in %.1f s", s);
   else if (s < 59.5)
      snprintf(buf, len, "in %.0f s", s);
   else if (s < 3600 * 0.9995)
      snprintf(buf, len, "in %.1f min", s / 60);
   else if (s < 48 * 3600)
      snprintf(buf, len, "in %.1f h", s / 3600);
   else
      snprintf(buf, len, "in %.0f days", s / 86400);
}

static void prediction_rate(char* buf, size_t len, double rate, const char* unit) {
   char n[16];
   if (!isfinite(rate)) {
      snprintf(buf, len, "-%s", unit);
      return;
   }
   Units_formatCount(n, sizeof n, fabs(rate));
   if (n[0] == '0' && n[1] == '\0')
      snprintf(buf, len, "0%s", unit);
   else
      snprintf(buf, len, "%s%s%s", rate < 0 ? "-" : "+", n, unit);
}

void Prediction_rate(char* buf, size_t len, double rate) {
   prediction_rate(buf, len, rate, " rec/s");
}

void Prediction_rateShort(char* buf, size_t len, double rate) {
   prediction_rate(buf, len, rate, "/s");
}

void Prediction_factor(char* buf, size_t len, double f) {
   if (!isfinite(f) || f <= 0)
      snprintf(buf, len, "x-");
   else if (f < 9.995)
      snprintf(buf, len, "x%.2f", f);
   else if (f < 99.95)
      snprintf(buf, len, "x%.1f", f);
   else
      snprintf(buf, len, "x%.0f", f);
}
