/*
 * csvreader.h: one CSV file read through libcsv in fixed-size slices, so
 * memory stays constant whatever its size. The reader knows text, not
 * meaning: it drops a UTF-8 BOM, hands the '#' lines before the header to
 * its owner (blank lines there are skipped), reads the header row (column names, at most
 * CSVREADER_MAX_COLUMNS), counts physical lines, refuses a field over
 * CSVREADER_FIELD_MAX bytes without holding it, and hands every data field
 * and every complete data row to its owner, which says what they mean.
 *
 * Messages. Errors name the place: "FILE:LINE: column NAME: reason" for a
 * row, "FILE:LINE: reason" or "FILE: reason" for the file. LINE is the
 * physical line where the row starts (a quoted line break counts). A bad row
 * either stops the file (its message becomes the file's error) or is
 * counted in the CsvReaderBadRows that the readers of one replay share, the
 * first CSVREADER_BAD_KEPT messages kept. A file-level error always stops
 * the file.
 *
 * Threads: one thread reads; CsvReader_consumed, CsvReader_rowsSeen and
 * CsvReader_badRows may be called from any thread.
 */
#ifndef KEEPUP_CSVREADER_H
#define KEEPUP_CSVREADER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CSVREADER_FIELD_MAX   (1024 * 1024) /* longest field read, in bytes: a longer one is a bad row */
#define CSVREADER_MAX_COLUMNS 4096          /* header columns read */
#define CSVREADER_COMMENT_MAX (64 * 1024)   /* longest '#' line handed over whole */
#define CSVREADER_BAD_KEPT    10            /* bad-row messages kept */
#define CSVREADER_MSG_MAX     384           /* longest message, with its NUL */

typedef struct CsvReader CsvReader;

/* Where the readers of one replay put the bad rows they do not stop on. */
typedef struct CsvReaderBadRows {
   bool stop; /* the first bad row stops its file instead */
   char kept[CSVREADER_BAD_KEPT][CSVREADER_MSG_MAX];
   _Atomic uint32_t n_kept;
   _Atomic uint64_t n;
} CsvReaderBadRows;

/* What the owner is told, in file order; ctx is CsvReader_new's. */
typedef struct CsvReaderOps {
   /* A '#' line before the header: text after the '#', cut at CSVREADER_COMMENT_MAX (too_long), NUL-terminated
    * and writable; line is its line (1: the file's first line). */
   void (*comment)(void* ctx, char* text, bool too_long, uint64_t line);
   /* Once per pass, after the last '#' line: at the header row's start or at the end of a file without one. */
   void (*commentsEnd)(void* ctx);
   /* The header row is in: the columns can be looked up. */
   void (*header)(void* ctx);
   /* A field of a data row (col from 0); data is NUL-terminated at len. */
   void (*field)(void* ctx, uint32_t col, const char* data, size_t len);
   /* A data row as wide as the header with no error noted: the owner takes it. */
   void (*row)(void* ctx);
} CsvReaderOps;

/* A reader of path (not opened yet) that splits fields at delim and puts bad rows in bad. */
CsvReader* CsvReader_new(const char* path, unsigned char delim, CsvReaderBadRows* bad, const CsvReaderOps* ops,
                         void* ctx);
void CsvReader_delete(CsvReader* this);
/* Open the file (a regular file) at its start; false with "FILE: reason" in err. */
bool CsvReader_open(CsvReader* this, char* err, size_t errlen);
/* Back to the start for another pass; false when the file stopped (it cannot be read again). */
bool CsvReader_rewind(CsvReader* this);
/* Parse one slice more, reading when the buffer is empty; the owner is called back meanwhile. */
void CsvReader_feed(CsvReader* this);
/* A quiet pass (the owner only looks): bad rows are passed over, neither counted nor reported. */
void CsvReader_setQuiet(CsvReader* this, bool quiet);

const char* CsvReader_path(const CsvReader* this);
uint64_t CsvReader_size(const CsvReader* this);
/* This pass reached the end of the file. */
bool CsvReader_ended(const CsvReader* this);
/* The header row of this pass is in. */
bool CsvReader_headerDone(const CsvReader* this);
/* Why the file stopped ("FILE:LINE: ..."); NULL while it reads on. */
const char* CsvReader_error(const CsvReader* this);
/* The line where the current (or last) row starts. */
uint64_t CsvReader_rowLine(const CsvReader* this);
/* Data rows met in this pass, good or bad. */
uint64_t CsvReader_rows(const CsvReader* this);
/* Any thread: data rows met in this pass as last published, and bytes read of the file. */
uint64_t CsvReader_rowsSeen(const CsvReader* this);
uint64_t CsvReader_consumed(const CsvReader* this);

/* The header: its width, and column i's name trimmed for lookup (NULL when not usable as a name). */
uint32_t CsvReader_fields(const CsvReader* this);
uint32_t CsvReader_columns(const CsvReader* this);
const char* CsvReader_columnKey(const CsvReader* this, uint32_t i);
/* Column i for a message: its printable name, or "#N". */
void CsvReader_columnName(const CsvReader* this, uint32_t i, char* out, size_t len);
/* The header's names, comma-separated, as much as fits in out. */
void CsvReader_listColumns(const CsvReader* this, char* out, size_t len);

/* Stop the file with a message (the first one stays). */
void CsvReader_fatal(CsvReader* this, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
/* Note the current row's first error, "FILE:LINE: column NAME: reason"; the row is then rejected when it ends. */
void CsvReader_rowError(CsvReader* this, uint32_t col, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
/* Reject the current row now with its noted error: the file stops (bad->stop) or the row is counted. */
void CsvReader_rejectRow(CsvReader* this);
/* Bad rows counted; the first (up to max, at most CSVREADER_BAD_KEPT) messages are pointed to by msgs. Any thread. */
uint64_t CsvReader_badRows(const CsvReaderBadRows* bad, const char** msgs, size_t max, size_t* n_msgs);

#endif
