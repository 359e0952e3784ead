/*
 * units.h: numbers with units, both ways. Parsing accepts what people type on
 * a command line (2.5M, 500ms, 64MB); formatting gives what a screen needs
 * (1.2k, 3.4M, 12 ms, 1.5 min) in a bounded width.
 */
#ifndef KEEPUP_UNITS_H
#define KEEPUP_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Each parser returns false for an empty, malformed, negative or out-of-range text. */

/* The numbers are plain decimals: digits with at most one point and an
 * optional exponent ("2.5", "1e6"); no sign, blank, hex, inf or nan. A
 * whole-number parser reads the text exactly (no rounding through a double)
 * and refuses what is not a whole number of its unit or does not fit. */

/* A count with an optional k/M/G suffix (x1000): "50k", "2.5M", "1e6", as a double (rates). */
bool Units_parseCount(const char* s, double* out);
/* The same as a whole number, exactly: "18446744073709551615", "2.5k"; "1.5" and "2^64" are refused. */
bool Units_parseWhole(const char* s, uint64_t* out);
/* A whole number of nanoseconds; a unit is required except for 0: ns, us, ms, s, m (or min), h.
 * "0.4ns" is refused, never rounded to 0. */
bool Units_parseDuration(const char* s, int64_t* out_ns);
/* A whole number of bytes: B, KB, MB, GB (x1000) or KiB, MiB, GiB (x1024); a unit is required. */
bool Units_parseBytes(const char* s, uint64_t* out);
/* A finite plain decimal with an optional sign: "-1e9", "0.5". */
bool Units_parseNumber(const char* s, double* out);
/* True when s ends in a byte unit (to tell "--max-backlog 64MB" from "--max-backlog 2M"). */
bool Units_hasByteUnit(const char* s);

/* Three significant digits: "950", "1.20k", "34.0M", "120G". */
void Units_formatCount(char* buf, size_t len, double v);
/* "850 ns", "12.3 us", "4.20 ms", "1.50 s", "2.5 min", "1.2 h" (longer only for hours beyond 9999). */
void Units_formatDuration(char* buf, size_t len, int64_t ns);
/* "512 B", "1.20 KB", "34.5 MB", "210 GB" (powers of 1000). */
void Units_formatBytes(char* buf, size_t len, double bytes);

#endif
