/*
 * isotime.h: event times as ISO 8601 text, for --output-time iso. A time
 * since 1970 is a UTC date-time, its seconds with as many fraction digits
 * as the nanoseconds need ("2020-01-01T00:00:00Z", "...T00:00:05.25Z"); a
 * time since a run's start (the simulator's) is a duration ("PT12.5S").
 * Exact to the nanosecond, over the whole int64_t range (years 1677 to
 * 2262), without the C library's time zone machinery.
 */
#ifndef KEEPUP_ISOTIME_H
#define KEEPUP_ISOTIME_H

#include <stddef.h>
#include <stdint.h>

/* The longest text either writes, with its NUL. */
#define ISOTIME_MAX 40

/* ns since 1970-01-01T00:00:00Z as a UTC date-time; returns its length. */
size_t IsoTime_date(char* out, int64_t ns);
/* ns as an ISO 8601 duration: "PT3S", "PT0.000000001S", "-PT1.5S". */
size_t IsoTime_duration(char* out, int64_t ns);

#endif
