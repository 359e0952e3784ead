/*
 * csvreader_impl.h: what csvreader.c and csvprelude.c share, and nothing
 * else includes: struct CsvReader, and the prelude's calls (the lines before
 * the header, the delimiter found in the header line, the skipping of a row
 * whose field is too long).
 */
#ifndef KEEPUP_CSVREADER_IMPL_H
#define KEEPUP_CSVREADER_IMPL_H

#include <csv.h>

#include "csv/csvinput.h"
#include "csv/csvreader.h"

typedef enum CsvReaderPhase {
   PHASE_SKIP,       /* --skip-rows: inside a line skipped whole */
   PHASE_LINE_START, /* at the start of a line before the header: '#', blank, or the CSV begins */
   PHASE_COMMENT,    /* inside a '#' line */
   PHASE_CSV,        /* libcsv has the rest */
} CsvReaderPhase;

/* Where the row skipper is after a field was too long: a small copy of libcsv's states. */
typedef enum CsvReaderSkip {
   SKIP_FIELD_START,
   SKIP_UNQUOTED,
   SKIP_QUOTED,
   SKIP_QUOTE_SEEN,
} CsvReaderSkip;

typedef struct CsvReaderColumn {
   char* shown; /* for messages: printable, short */
   char* key;   /* the name, blanks trimmed, for lookups; NULL when too long */
} CsvReaderColumn;

/* A field of the first data row, held until the row is complete. */
typedef struct CsvReaderHeld {
   char* data;
   size_t len;
} CsvReaderHeld;

struct CsvReader {
   const CsvReaderOps* ops;
   void* ctx;
   CsvReaderBadRows* bad;
   CsvReaderSetup setup;
   CsvInput in;
   bool opened;
   unsigned char* buf;
   size_t len, pos;
   bool eof;
   bool at_start;
   bool starved;
   unsigned char delim;
   bool delim_found;
   struct csv_parser csv;

   /* the line reader in front of libcsv */
   CsvReaderPhase phase;
   uint32_t skip_left;
   bool pending_cr;
   bool any_content;
   bool comments_ended; /* commentsEnd was called in this pass */
   char* comment;
   size_t comment_len;
   bool comment_long;

   uint64_t line;     /* the physical line being read, from 1 */
   bool last_term_cr; /* libcsv's last row ended on a CR */
   uint64_t slice_end; /* input bytes up to the end of the slice libcsv is parsing */

   /* header */
   bool header_done;
   bool header_binary; /* a header field holds NUL or control bytes */
   uint32_t n_fields;
   CsvReaderColumn* cols;
   uint32_t n_cols;

   /* the first data row, held back (row names, layout) */
   bool first_done;
   uint32_t shift; /* 1: rows have a row-name column the header lacks */
   CsvReaderHeld* held;
   uint32_t n_held, held_cap;
   uint64_t held_line;

   /* the row being parsed */
   uint32_t row_fields;
   uint64_t row_line;
   uint64_t row_end; /* input bytes up to the end of the last complete row */
   bool row_bad;
   bool row_nonempty;
   char row_err[CSVREADER_MSG_MAX];

   bool skipping;
   CsvReaderSkip skip;
   bool skip_cr;

   bool ended;   /* this pass read to the end of the input */
   bool stopped; /* an error ended it: message in error */
   char error[CSVREADER_MSG_MAX];
   char notice[CSVREADER_MSG_MAX];
   uint64_t rows;       /* data rows in this pass */
   uint64_t empty_rows; /* of which all fields were empty */
   uint64_t skipped;    /* bad rows counted, every pass */

   _Atomic uint64_t a_consumed;
   _Atomic uint64_t a_rows;
};

/* csvreader.c */
void CsvReader_csvInit(CsvReader* this);
/* Free the fields of a first data row that will not be handed over. */
void CsvReader_clearHeld(CsvReader* this);
void CsvReader_commentsEnd(CsvReader* this);
void CsvReader_commentEnd(CsvReader* this);

/* csvprelude.c */
/* The lines before the CSV (BOM already gone): skipped rows, blank and '#' lines. Returns bytes consumed. */
size_t CsvPrelude_lines(CsvReader* this, const unsigned char* p, size_t n);
/* Skip the rest of a row whose field was too long, the way libcsv would read it. Returns bytes consumed. */
size_t CsvPrelude_skipRow(CsvReader* this, const unsigned char* p, size_t n);
/* libcsv refused to grow a field past CSVREADER_FIELD_MAX: reject its row and start skipping it. */
void CsvPrelude_tooLong(CsvReader* this);
/* Newlines in s, an LF right after a CR counting once; *cr carries a trailing CR across calls. */
uint64_t CsvPrelude_countLines(const unsigned char* s, size_t n, bool* cr);

#endif
