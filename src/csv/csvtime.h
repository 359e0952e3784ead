/*
 * csvtime.h: the time column of a replayed CSV file, text to nanoseconds.
 *
 * Numbers are a count of seconds, milliseconds, microseconds or nanoseconds
 * (fractions allowed), converted exactly: "12.345678901" seconds is
 * 12345678901 ns, with no detour through a double unless the text has an
 * exponent. Date-times are ISO 8601 ("2014-01-07T02:55:00.5+01:00") or the
 * common "2014-01-07 02:55:00"; one without a zone is taken as UTC, so the
 * result never depends on the machine's TZ. Everything here is pure: no
 * locale, no allocation, no global state.
 */
#ifndef KEEPUP_CSVTIME_H
#define KEEPUP_CSVTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum CsvTimeUnit {
   CSVTIME_AUTO,     /* decide from the text: a date-time, or a number (unit from its magnitude) */
   CSVTIME_S,        /* seconds */
   CSVTIME_MS,       /* milliseconds */
   CSVTIME_US,       /* microseconds */
   CSVTIME_NS,       /* nanoseconds */
   CSVTIME_DATETIME, /* a date-time; the result is ns since 1970-01-01T00:00:00Z */
   CSVTIME_LAST
} CsvTimeUnit;

/* The words --time-unit accepts are the first CSVTIME_OPTION_UNITS names. */
#define CSVTIME_OPTION_UNITS 5
extern const char* const CsvTime_unitNames[CSVTIME_LAST];

/* Parse s[0..len) (surrounding blanks ignored) as a time in unit (not AUTO).
 * Returns NULL and sets *out_ns, or returns why the text is not a time. */
const char* CsvTime_parse(const char* s, size_t len, CsvTimeUnit unit, int64_t* out_ns);
/* The same, a date-time without a zone being at tz_s seconds east of UTC (--tz). */
const char* CsvTime_parseZoned(const char* s, size_t len, CsvTimeUnit unit, int32_t tz_s, int64_t* out_ns);

/* Parse s[0..len) with a strptime-style format (--time-format): %Y %y %m %d %e %b %B %H %M %S %f (a
 * fraction of a second) %z (+hh:mm, +hhmm, +hh, Z) %T %F %%; a space matches one blank or more, any
 * other character itself. A time without %z is at tz_s seconds east of UTC. Returns NULL and sets
 * *out_ns (since 1970), or why the text does not fit. */
const char* CsvTime_parseFormat(const char* fmt, const char* s, size_t len, int32_t tz_s, int64_t* out_ns);
/* Whether fmt is a format parseFormat takes, with a date in it; false with why in err. */
bool CsvTime_checkFormat(const char* fmt, char* err, size_t errlen);
/* A format that reads s (a date-time keepup cannot read by itself: "10/03/2004 18.00.00" gives
 * "%d/%m/%Y %H.%M.%S"), for a message; false when none is found. *ambiguous: the day and the month could
 * be either way round (the format says day first). */
bool CsvTime_suggestFormat(const char* s, size_t len, char* fmt, size_t fmtlen, bool* ambiguous);
/* --tz: "+01:00", "-0500", "+01", "Z" or "UTC" as seconds east of UTC; false when it is none of those. */
bool CsvTime_parseOffset(const char* text, int32_t* tz_s);
/* The unit a column's name says its numbers are in ("t_ms", "time_us", "elapsed_ns"...); CSVTIME_AUTO when it
 * says none. */
CsvTimeUnit CsvTime_unitOfName(const char* name);

/* The unit --time-unit auto picks for this text: CSVTIME_DATETIME when it
 * starts like a date (YYYY-MM-DD), otherwise a number's unit by its
 * magnitude (epoch times): below 1e11 seconds, below 1e14 milliseconds,
 * below 1e17 microseconds, else nanoseconds. CSVTIME_AUTO when it is neither. */
CsvTimeUnit CsvTime_detect(const char* s, size_t len);

/* The time t (as parse returned it) written back in unit, for messages:
 * "2014-01-07 02:55:00.5" or "12.5". */
void CsvTime_format(char* buf, size_t len, int64_t t, CsvTimeUnit unit);

/* Days from 1970-01-01 to the given day of the proleptic Gregorian calendar. */
int64_t CsvTime_daysFromCivil(int64_t year, unsigned month, unsigned day);

#endif
