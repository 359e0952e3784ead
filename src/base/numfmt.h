/*
 * numfmt.h: number to text, fast and exact enough for the --output CSV.
 *
 * printf("%.15g") costs a few hundred ns a number, which alone would blow the
 * format stage's budget; these functions cost a few tens of ns. Doubles get
 * the same text as "%.15g" (15 significant digits, correctly rounded, ties to
 * even, trailing zeros dropped, exponent form below 1e-4 and from 1e15), so a
 * reader parsing them back is within 5e-15 relative of the value written.
 * Every function writes a NUL after the text and returns the text's length.
 */
#ifndef KEEPUP_NUMFMT_H
#define KEEPUP_NUMFMT_H

#include <stddef.h>
#include <stdint.h>

/* The room every function needs at out: the text is at most 25 bytes with
 * its NUL, but the bytes after the NUL up to NUMFMT_MAX may be overwritten. */
#define NUMFMT_MAX 48

/* Significant digits of Numfmt_double. */
#define NUMFMT_DIGITS 15

/* v as "%.15g" would print it; NaN is "nan" (either sign), infinities "inf"/"-inf". */
size_t Numfmt_double(char* out, double v);
/* v[0..n) as Numfmt_double writes them, sep between them; out needs room
 * for n * NUMFMT_MAX bytes. Faster than n calls: the values overlap. */
size_t Numfmt_doubles(char* out, const double* v, size_t n, char sep);
/* Decimal digits of v. */
size_t Numfmt_u64(char* out, uint64_t v);
/* ns as seconds, exact: "12.5", "-0.000000001", "3" (no trailing zeros). */
size_t Numfmt_seconds(char* out, int64_t ns);

#endif
