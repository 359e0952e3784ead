/*
 * csvreader.h: one CSV input read through libcsv in fixed-size slices, so
 * memory stays constant whatever its size, in one pass (a pipe cannot be
 * read twice). The reader knows text, not meaning: it drops a UTF-8 BOM,
 * skips --skip-rows lines, hands the '#' lines before the header to its
 * owner (blank lines there are skipped), finds the delimiter from the header
 * line when none is given (',' ';' tab '|'), reads the header row (column
 * names, at most CSVREADER_MAX_COLUMNS), counts physical lines, refuses a
 * field over CSVREADER_FIELD_MAX bytes without holding it, and hands every
 * data field and every complete data row to its owner, which says what they
 * mean.
 *
 * The first data row is held back until it is complete: when it is one
 * field wider than the header, the header lacks a row-name column (R's
 * write.csv) and every row's first field is passed over (rowNames()); then
 * the owner looks at that row (layout) before its fields come. A row whose
 * fields are all empty is skipped and counted (emptyRows()), never bad.
 *
 * Messages. Errors name the place: "FILE:LINE: column NAME: reason" for a
 * row, "FILE:LINE: reason" or "FILE: reason" for the file. LINE is the
 * physical line where the row starts (a quoted line break counts). A bad row
 * either stops the file (its message becomes the file's error) or is
 * counted in the CsvReaderBadRows that the readers of one replay share, the
 * first CSVREADER_BAD_KEPT messages kept. A file-level error always stops
 * the file.
 *
 * Live input: feed() on a stream may block unless ready() said it would
 * not; starved() says the last feed found nothing to read yet (a followed
 * file at its end). A followed file that shrinks is read again from its
 * start: its header is read again, and notice() says what happened.
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
   /* Optional: the first data row is in (CsvReader_firstField), before its fields are handed over. */
   void (*layout)(void* ctx);
   /* A field of a data row (col from 0, in the header's columns); data is NUL-terminated at len. */
   void (*field)(void* ctx, uint32_t col, const char* data, size_t len);
   /* A data row as wide as the header with no error noted: the owner takes it. */
   void (*row)(void* ctx);
} CsvReaderOps;

/* How to read: the delimiter (0: find it in the header line), lines to skip before anything else,
 * and --follow for a regular file. */
typedef struct CsvReaderSetup {
   unsigned char delim;
   uint32_t skip_rows;
   bool follow;
} CsvReaderSetup;

/* A reader of path ("-": standard input; not opened yet) that puts bad rows in bad. */
CsvReader* CsvReader_new(const char* path, const CsvReaderSetup* setup, CsvReaderBadRows* bad,
                         const CsvReaderOps* ops, void* ctx);
void CsvReader_delete(CsvReader* this);
/* Open the input at its start; false with "FILE: reason" in err. */
bool CsvReader_open(CsvReader* this, char* err, size_t errlen);
/* Back to the start for another pass; false when the file stopped or cannot be read again (a stream). */
bool CsvReader_rewind(CsvReader* this);
/* Parse one slice more, reading when the buffer is empty; the owner is called back meanwhile. */
void CsvReader_feed(CsvReader* this);
/* Wait up to timeout_ns until feed() would not block; true when it would not. */
bool CsvReader_ready(CsvReader* this, int64_t timeout_ns);
/* The last feed found nothing to read yet (--follow at the end, a stream with nothing new). */
bool CsvReader_starved(const CsvReader* this);

const char* CsvReader_path(const CsvReader* this);
/* Whether the input is standard input ("-"). */
bool CsvReader_isStdin(const CsvReader* this);
/* A regular file's size (grows under --follow); 0 for a stream. */
uint64_t CsvReader_size(const CsvReader* this);
/* Whether the input is a regular file (it has a size and can be read again). */
bool CsvReader_isFile(const CsvReader* this);
/* The last bytes of a regular file, without moving the reading (CsvInput_tail). */
size_t CsvReader_tail(const CsvReader* this, char* buf, size_t cap);
/* This pass reached the end of the input. */
bool CsvReader_ended(const CsvReader* this);
/* The header row of this pass is in. */
bool CsvReader_headerDone(const CsvReader* this);
/* Why the file stopped ("FILE:LINE: ..."); NULL while it reads on. */
const char* CsvReader_error(const CsvReader* this);
/* What happened to a followed file that the owner should say ("FILE: truncated ..."), into out; false when
 * nothing new. Taking it clears it. */
bool CsvReader_takeNotice(CsvReader* this, char* out, size_t len);
/* The line where the current (or last) row starts. */
uint64_t CsvReader_rowLine(const CsvReader* this);
/* Bytes of the input read up to the end of the current (or last) row. */
uint64_t CsvReader_rowEnd(const CsvReader* this);
/* Data rows met in this pass, good or bad (empty rows too). */
uint64_t CsvReader_rows(const CsvReader* this);
/* Rows whose fields were all empty, skipped in this pass. */
uint64_t CsvReader_emptyRows(const CsvReader* this);
/* Bad rows counted and skipped (not stopped on), every pass. */
uint64_t CsvReader_skippedRows(const CsvReader* this);
/* Any thread: data rows met in this pass as last published, and bytes read of the file. */
uint64_t CsvReader_rowsSeen(const CsvReader* this);
uint64_t CsvReader_consumed(const CsvReader* this);

/* The delimiter in use, and whether it was found in the header line rather than given. */
unsigned char CsvReader_delimiter(const CsvReader* this);
bool CsvReader_delimiterFound(const CsvReader* this);
/* Rows carry a row-name column the header has no name for (their first field): 1, else 0. */
uint32_t CsvReader_rowNames(const CsvReader* this);
/* A field of the first data row, in the header's columns (during layout); NULL past its end. */
const char* CsvReader_firstField(const CsvReader* this, uint32_t col, size_t* len);

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
/* Count a row in bad and keep its message while fewer than CSVREADER_BAD_KEPT are kept (the reader's thread). */
void CsvReader_noteBadRow(CsvReaderBadRows* bad, const char* msg);
/* Bad rows counted; the first (up to max, at most CSVREADER_BAD_KEPT) messages are pointed to by msgs. Any thread. */
uint64_t CsvReader_badRows(const CsvReaderBadRows* bad, const char** msgs, size_t max, size_t* n_msgs);

#endif
