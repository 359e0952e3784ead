/* setup.c: the defaults of a run's setup. */
#include "config.h"

#include "core/setup.h"

void Setup_init(Setup* this) {
   *this = (Setup){
      .sensors = 64,
      .seed = 1,
      .anomaly_rate = 0.0005,
      .hot = 0,
      .allowlist = 1000,
      .threshold = 4,
      .cache = 256,
      .valid_lo = -1e9,
      .valid_hi = 1e9,
   };
   Knobs_initDefaults(&this->knobs);
   this->knobs.max_backlog_records = 4000000;
   for (int s = 0; s < STAGE_LAST; s++)
      this->knobs.variant[s] = VARIANT_NAIVE;
}

bool Setup_given(const Setup* this, int field) {
   return field >= 0 && field < SETUP_LAST && ((this->given >> field) & 1);
}

void Setup_markGiven(Setup* this, int field) {
   if (field >= 0 && field < SETUP_LAST)
      this->given |= UINT64_C(1) << field;
}
