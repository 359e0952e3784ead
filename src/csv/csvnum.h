/*
 * csvnum.h: the value field of a replayed CSV row, decimal text to double.
 *
 * The result is always the double strtod gives in the C locale (the one
 * nearest to the decimal), whatever locale the program runs in; what
 * changes is the speed: plain decimals of up to 19 significant digits and a
 * modest exponent (all that --record writes for ordinary readings) are
 * converted with one exact multiplication or division and a check that the
 * rounding cannot be ambiguous, about four times faster than glibc's strtod,
 * which handles the rest.
 */
#ifndef KEEPUP_CSVNUM_H
#define KEEPUP_CSVNUM_H

#include <stddef.h>

/* Parse s[0..len) (surrounding blanks ignored): a decimal number with an
 * optional exponent, or nan/inf as strtod spells them. Returns NULL and sets
 * *out, or returns why the text is not a number ("empty", "not a number",
 * "out of range"). s needs no terminating NUL; a NUL inside is not a number. */
const char* CsvNum_parse(const char* s, size_t len, double* out);

/* The same through strtod only (tests and benchmarks compare the two). */
const char* CsvNum_parseSlow(const char* s, size_t len, double* out);

#endif
