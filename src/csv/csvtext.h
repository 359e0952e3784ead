/*
 * csvtext.h: the text of CSV fields as messages and names need it. A field
 * may hold any bytes; before a piece of it is quoted in a message or used as
 * a name it is checked (UTF-8, no control bytes) or made printable, and cut
 * short.
 */
#ifndef KEEPUP_CSVTEXT_H
#define KEEPUP_CSVTEXT_H

#include <stddef.h>

#define CSVTEXT_SHOWN_MAX 48  /* longest text quoted in a message */
#define CSVTEXT_NAME_MAX  255 /* longest name (a column's, a sensor's), in bytes */

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when invalid. */
size_t CsvText_utf8(const unsigned char* s, size_t n);
/* s[0..n) for a message or a name: control bytes and invalid UTF-8 become '?', text over max bytes ends in "...". */
void CsvText_shown(char* out, size_t outlen, const char* s, size_t n, size_t max);
/* Drop blanks (spaces, tabs) at both ends of s[0..*n). */
void CsvText_trim(const char** s, size_t* n);
/* name as one CSV field split at delim, at out (room: 2 * strlen(name) + 3): quoted, quotes doubled, when it
 * holds delim, a quote or a line break (RFC 4180). Returns the length written (a NUL follows). */
size_t CsvText_field(char* out, const char* name, char delim);

#endif
