/*
 * replay.h: CSV files as a Generator (--replay). One or more files are
 * streamed through libcsv in fixed-size slices and merged in time order, so
 * memory stays constant whatever their size.
 *
 * Time. Each record's t_arrival is its file time minus an origin, divided by
 * the speed: for a keepup recording the origin is the recording's start (its
 * times are already relative), for other files the earliest first time of
 * all files. With --speed max every record is GENERATOR_ASAP. A live speed
 * change continues the schedule from the current position; --loop starts the
 * files again one average record interval after the last record, so time
 * never goes backwards.
 *
 * Sensors. A keepup recording keeps its numeric sensor ids. In other files
 * sensor names are given ids 0.. in order of first appearance (the files are
 * scanned once at open for that), and a file with no sensor column is one
 * sensor named after the file. Replay_names() is the table to print them.
 *
 * Bad rows (wrong field count, a number or time that does not parse, time
 * going backwards, a field over CSVREADER_FIELD_MAX bytes) stop the replay
 * with "FILE:LINE: column NAME: reason" (--on-bad-row stop), or are counted
 * and skipped (skip); a row whose time goes backwards is then played at the
 * current time. LINE is the physical line in the file where the row starts.
 * The reading itself is csvreader's, the choice of columns columns', a
 * recording's header recformat's.
 *
 * Threads: the engine's source thread calls the Generator ops; the query
 * functions below may be called from any thread while it runs.
 */
#ifndef KEEPUP_REPLAY_H
#define KEEPUP_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/generator.h"
#include "core/stages/stage.h"
#include "csv/csvreader.h"
#include "csv/csvtime.h"

/* What --on-bad-row accepts, in the order of its words. */
typedef enum ReplayOnBadRow {
   REPLAY_BAD_STOP, /* the replay fails at the first bad row */
   REPLAY_BAD_SKIP, /* bad rows are counted, the first few kept, and skipped */
   REPLAY_BAD_LAST
} ReplayOnBadRow;

#define REPLAY_BAD_KEPT CSVREADER_BAD_KEPT /* bad-row messages kept for the report */
#define REPLAY_MSG_MAX  CSVREADER_MSG_MAX  /* longest message, with its NUL */

/* What a replay plays and how (the command line's --replay, --loop, --speed, --columns, --time-unit,
 * --delimiter, --on-bad-row). */
typedef struct ReplayConfig {
   const char* const* files; /* the paths, played together (copied) */
   uint32_t n_files;
   bool loop;             /* play again when every file has ended */
   double speed;          /* pacing factor; 0: as fast as possible */
   const char* columns;   /* a --columns spec (Columns_parse); NULL: by the common names */
   CsvTimeUnit time_unit; /* how the files write time; CSVTIME_AUTO: detected per file */
   char delimiter;        /* field separator; 0: ',' */
   ReplayOnBadRow on_bad_row;
} ReplayConfig;

typedef struct Replay Replay;

/* Where the replay is, for a dashboard. */
typedef struct ReplayPosition {
   const char* file;    /* the file the latest record came from, as given (NULL before the first) */
   uint32_t file_index; /* its place in the --replay list */
   uint32_t n_files;
   uint64_t file_rows;    /* data rows read from that file in this pass */
   double file_percent;   /* bytes of that file read, of its size, 0..100 */
   uint64_t rows;         /* data rows read from every file in this pass */
   double percent;        /* bytes read of every file in this pass, 0..100 */
   uint64_t records;      /* records handed to the engine, every pass */
   double t_recording_s;  /* the latest record's file time since the origin, in this pass (s) */
   int64_t file_time;     /* the latest record's time as the file has it (ns; since 1970 for date-times) */
   CsvTimeUnit time_unit; /* how that file writes time (CsvTime_format turns file_time into its text) */
   double speed;          /* pacing factor in force; 0: as fast as possible */
   uint64_t loops;        /* passes completed (--loop) */
   uint64_t bad_rows;     /* rows skipped or played at the current time (--on-bad-row skip) */
   bool finished;         /* no more records: every file ended, or an error stopped the replay */
} ReplayPosition;

/* Open config's files: read their headers, scan sensor names where
 * needed and read up to the first record of each. NULL with a message
 * ("FILE: empty file", "FILE:LINE: column NAME: reason", "--columns 'SPEC':
 * ...") when a file cannot be replayed. */
Replay* Replay_new(const ReplayConfig* config, char* err, size_t errlen);

/* The Generator to hand to the engine, which then owns it: its destroy frees
 * the Replay, so query the Replay only until the engine is deleted. */
Generator* Replay_generator(Replay* this);
/* Free a Replay whose generator was never handed over (tests, errors). */
void Replay_delete(Replay* this);

/* True when every file is a keepup recording (numeric sensor ids, a header of parameters). */
bool Replay_isRecording(const Replay* this);
/* The processing parameters the first recording carries (names NULL, t0 0);
 * NULL for files that are not keepup recordings. */
const PipelineParams* Replay_params(const Replay* this);
/* The value of a "# key value" line of the first recording ("version", "seed", ...); NULL when absent. */
const char* Replay_note(const Replay* this, const char* key);
/* Sensor ids are below this: the recording's id space, or the number of names. */
uint32_t Replay_idSpace(const Replay* this);
/* Sensor names by id (Replay_idSpace entries) for PipelineParams.names; NULL for recordings. */
const char* const* Replay_names(const Replay* this);

/* Why next returned false early: "FILE:LINE: column NAME: reason"; NULL
 * while there is no error (also after a clean end). */
const char* Replay_error(const Replay* this);
/* Bad rows skipped or clamped so far; the first (up to max, at most
 * REPLAY_BAD_KEPT) messages are pointed to by msgs, their number in *n_msgs. */
uint64_t Replay_badRows(const Replay* this, const char** msgs, size_t max, size_t* n_msgs);
void Replay_position(const Replay* this, ReplayPosition* out);

#endif
