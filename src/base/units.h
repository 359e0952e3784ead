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

/* A count with an optional k/M/G suffix (x1000): "50k", "2.5M", "1e6". */
bool Units_parseCount(const char* s, double* out);
/* A duration; a unit is required except for "0": ns, us, ms, s, m (or min), h. */
bool Units_parseDuration(const char* s, int64_t* out_ns);
/* A size in bytes: B, KB, MB, GB (x1000) or KiB, MiB, GiB (x1024); a unit is required. */
bool Units_parseBytes(const char* s, uint64_t* out);
/* True when s ends in a byte unit (to tell "--max-backlog 64MB" from "--max-backlog 2M"). */
bool Units_hasByteUnit(const char* s);

/* Three significant digits: "950", "1.20k", "34.0M", "120G". */
void Units_formatCount(char* buf, size_t len, double v);
/* "850 ns", "12.3 us", "4.20 ms", "1.50 s", "2.5 min", "1.2 h" (longer only for hours beyond 9999). */
void Units_formatDuration(char* buf, size_t len, int64_t ns);
/* "512 B", "1.20 KB", "34.5 MB", "210 GB" (powers of 1000). */
void Units_formatBytes(char* buf, size_t len, double bytes);

#endif
