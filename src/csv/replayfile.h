/*
 * replayfile.h: one input of a replay, read in one pass: its CsvReader, the
 * columns picked for it (csv/columns.h), a recording's header, the row being
 * parsed, a reorder buffer for rows within --max-lateness, and the queue of
 * records ready to be played. replay.c merges the files; only the csv layer
 * includes this.
 *
 * A data row becomes one record per value column, all of the row's time;
 * they go through the reorder buffer (a min-heap on time, then read order)
 * into the ready queue, which holds at most one slice's rows.
 */
#ifndef KEEPUP_REPLAYFILE_H
#define KEEPUP_REPLAYFILE_H

#include <locale.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "csv/columns.h"
#include "csv/csvreader.h"
#include "csv/recformat.h"
#include "csv/replay.h"
#include "csv/sensornames.h"

#define REPLAYFILE_PIECE_MAX 64 /* bytes of each part of a two-column time */

/* Messages kept about rows that are counted and not stopped on (late rows). */
/* What every file of a replay reads with, and shares. */
typedef struct ReplayShared {
   ReplayConfig config; /* files and na NULL; time_format points to the copy below */
   char* time_format;
   char* na_text;           /* --na, split at its commas into na */
   char* stdin_name;        /* --stdin-name's copy (config.stdin_name points to it) */
   const char* na[REPLAY_NA_MAX];
   uint32_t n_na;
   Columns columns;
   SensorNames names; /* of files that are not recordings with ids */
   CsvReaderBadRows bad;
   CsvReaderBadRows late; /* late rows, kept as bad rows are (its stop flag unused) */
   locale_t c_locale;
} ReplayShared;

/* A record waiting to be played. */
typedef struct ReplayRow {
   int64_t t; /* the row's time as the file has it (ns) */
   double value;
   uint32_t sensor;
   uint32_t last;  /* 1: the last record of its row */
   uint64_t end;   /* bytes of the file up to the end of its row */
   uint64_t order; /* read order, for ties in the reorder buffer */
} ReplayRow;

typedef struct ReplayFile {
   ReplayShared* shared;
   uint32_t index;
   CsvReader* reader;
   RecFormatHeader header; /* a recording's: in full for the first file, the id space for the others */
   ColumnsMap map;
   int32_t* role; /* by header column: REPLAYFILE_ROLE_* or a value slot (>= 0) */
   uint32_t role_n;
   uint32_t* value_sensor; /* by value slot, without a sensor column */
   uint32_t named_values;  /* value slots named so far: a pass after the first (--loop) keeps the names */
   uint32_t* combo;        /* sensor column and named values: (base id * n_value + slot) -> id + 1, 0: not yet */
   uint32_t combo_bases;
   bool named;             /* the file's own sensors (file or columns) are interned */
   CsvTimeUnit unit;
   const char* unit_why;   /* how unit was chosen, for the start-up line */
   char first_time[48];    /* the first time as written, for the start-up line */
   int64_t first_t;
   bool have_first;

   /* the row being parsed */
   int64_t row_t;
   double* row_values;
   uint32_t row_sensor;
   char piece[2][REPLAYFILE_PIECE_MAX + 1];
   size_t piece_len[2];

   /* time order */
   int64_t max_seen; /* the newest time of this pass */
   bool have_seen;
   uint64_t order;
   ReplayRow* heap; /* the reorder buffer */
   size_t heap_n, heap_cap;

   /* ready to play: a ring whose cap is a power of two (256, doubled), so a position wraps with a mask,
    * not a division a row */
   ReplayRow* rows;
   size_t head, count, cap;

   /* counts: the source thread's; the played ones published for other threads */
   uint64_t rows_read_before; /* rows of the passes before this one */
   uint64_t late, late_dropped;
   int64_t max_lateness;
   _Atomic uint64_t a_rows_played;
   _Atomic uint64_t a_records;
   _Atomic uint64_t a_bytes_played; /* this pass */
} ReplayFile;

ReplayFile* ReplayFile_new(ReplayShared* shared, uint32_t index, const char* path, bool all_keys);
void ReplayFile_delete(ReplayFile* this);
/* Open the file and read up to its first record; false with a message in err. */
bool ReplayFile_prime(ReplayFile* this, char* err, size_t errlen);
/* Parse until a record is ready, the file ends, it stops on an error, or (now) nothing can be read without
 * waiting (a stream, --follow). */
void ReplayFile_fill(ReplayFile* this, bool now);
/* The record to play next, NULL when none is ready; pop takes it (and counts it played). */
const ReplayRow* ReplayFile_head(const ReplayFile* this);
void ReplayFile_pop(ReplayFile* this);
/* Take the record to play next without playing it (a seek passes it over); true when it was its row's last. */
bool ReplayFile_skip(ReplayFile* this);
/* The record popped last is not played after all (a seek gave it back): out of the played counts. */
void ReplayFile_unplay(ReplayFile* this, bool last);
/* Every record of this pass was played: the input ended and nothing waits. */
bool ReplayFile_done(const ReplayFile* this);
/* Back to the start for another pass (--loop); false when it cannot (see the reader's error). */
bool ReplayFile_rewind(ReplayFile* this);
/* Rows read from this file, every pass. */
uint64_t ReplayFile_rowsRead(const ReplayFile* this);

/* replayinfo.c: how the file is read, in one line, with the span of time it covers (a regular file's last
 * row is read from its end) and how long that takes at speed (0: as fast as possible). */
/* The time of a regular file's last row, read from its end; false when it cannot be read. */
bool ReplayFile_lastTime(ReplayFile* this, int64_t* t);
void ReplayFile_describe(ReplayFile* this, double speed, int64_t max_gap_ns, char* out, size_t len);

#endif
