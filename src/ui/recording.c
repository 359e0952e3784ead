/* recording.c: default recording names and replay speed words. */
#include "config.h"

#include "ui/recording.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void Recording_defaultName(char* buf, size_t len, const struct tm* tm, unsigned attempt) {
   char stamp[32];
   if (strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", tm) == 0)
      snprintf(stamp, sizeof stamp, "now");
   if (attempt > 1)
      snprintf(buf, len, "keepup-%s-%u.csv", stamp, attempt);
   else
      snprintf(buf, len, "keepup-%s.csv", stamp);
}

void Recording_speedText(char* buf, size_t len, double speed) {
   if (!(speed > 0) || !isfinite(speed)) {
      snprintf(buf, len, "max");
      return;
   }
   /* as many digits as the value needs, at most three significant ones below 100 */
   if (speed >= 100)
      snprintf(buf, len, "x%.0f", speed);
   else
      snprintf(buf, len, "x%.3g", speed);
}

const char* Recording_baseName(const char* path) {
   const char* slash = strrchr(path, '/');
   return slash && slash[1] ? slash + 1 : path;
}
