/*
 * csvinput.h: where a replayed file's bytes come from. A path names a
 * regular file, a pipe, a FIFO or a character device; "-" is standard
 * input. A regular file has a size (progress, the span of its times) and
 * can be read again (--loop); the others are streams, read once, as their
 * bytes come. --follow keeps a regular file open at its end, as tail -f
 * does: bytes appended later are read, and a file truncated under it is
 * read again from its start (truncated() says so).
 *
 * Nothing here waits unless asked to: read() on a stream may block, so a
 * reader that must not block calls ready() first, which waits at most as
 * long as it is told.
 */
#ifndef KEEPUP_CSVINPUT_H
#define KEEPUP_CSVINPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum CsvInputKind {
   CSVINPUT_FILE,   /* a regular file */
   CSVINPUT_STREAM, /* a pipe, a FIFO, a character device, standard input */
} CsvInputKind;

typedef enum CsvInputRead {
   CSVINPUT_DATA,      /* *got bytes were read */
   CSVINPUT_END,       /* the end: a file's, or a stream's writer closed it */
   CSVINPUT_NOTHING,   /* --follow at the end of the file: nothing appended yet */
   CSVINPUT_TRUNCATED, /* --follow: the file shrank below what was read: read it from its start again */
   CSVINPUT_FAILED,    /* a read error: err says why */
} CsvInputRead;

typedef struct CsvInput {
   char* path;   /* as given ("-": standard input) */
   int fd;
   CsvInputKind kind;
   bool follow;
   bool is_stdin;
   uint64_t size;   /* a file's size at open (grows under --follow); 0 for a stream */
   uint64_t offset; /* bytes read in this pass */
} CsvInput;

/* Open path for reading; false with "PATH: reason" in err. A FIFO opens at once, writer or not. */
bool CsvInput_open(CsvInput* this, const char* path, bool follow, char* err, size_t errlen);
void CsvInput_close(CsvInput* this);
/* Read up to cap bytes into buf. A stream may block: call ready() first not to. */
CsvInputRead CsvInput_read(CsvInput* this, void* buf, size_t cap, size_t* got, char* err, size_t errlen);
/* Wait up to timeout_ns for read() to have something to say without blocking (bytes, the end, a
 * truncation); true when it has. A file not followed always has. */
bool CsvInput_ready(CsvInput* this, int64_t timeout_ns);
/* Whether read() answers without blocking now. */
bool CsvInput_readyNow(CsvInput* this);
/* Back to the start for another pass (a regular file only); false with the reason in err. */
bool CsvInput_rewind(CsvInput* this, char* err, size_t errlen);
/* The last bytes of a regular file (up to cap, without moving the reading position): its last lines
 * before a single pass reads them. 0 for a stream or on an error. */
size_t CsvInput_tail(const CsvInput* this, char* buf, size_t cap);
/* "standard input" for "-", else the path: for messages. */
const char* CsvInput_name(const CsvInput* this);

#endif
