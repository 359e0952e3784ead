/*
 * csvnum.h: numbers in CSV text. The value field of a replayed CSV row,
 * decimal text to double, and plain unsigned integers (column indexes, the
 * numbers of a recording's header).
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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse s[0..len) (surrounding blanks ignored): a decimal number with an
 * optional sign and exponent ("-1.5", ".5", "2e-3"), or inf, infinity or nan
 * (any case); hex and "nan(...)", which strtod also reads, are not numbers
 * here. Returns NULL and sets
 * *out, or returns why the text is not a number ("empty", "not a number",
 * "out of range"). s needs no terminating NUL; a NUL inside is not a number. */
const char* CsvNum_parse(const char* s, size_t len, double* out);

/* The same for a decimal comma (--decimal-comma): "2,6" is 2.6; a text with a '.' in it is not a number. */
const char* CsvNum_parseComma(const char* s, size_t len, double* out);

/* The same through strtod only (tests and benchmarks compare the two). */
const char* CsvNum_parseSlow(const char* s, size_t len, double* out);

/* Parse s (NUL-terminated, digits only: no sign, no blanks) as an integer of
 * at most max; false when it is anything else. */
bool CsvNum_parseU32(const char* s, uint32_t max, uint32_t* out);

#endif
