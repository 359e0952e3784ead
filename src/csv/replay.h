/*
 * replay.h: CSV files as a Generator (--replay). One or more inputs (files,
 * pipes, FIFOs, standard input) are streamed through libcsv in fixed-size
 * slices, in one pass, and merged in time order, so memory stays constant
 * whatever their size.
 *
 * Time. A record's event time (Record.t_event) is its row's time as the
 * file has it, in ns: seconds since 1970 for date-times, the file's own
 * number for numeric times (after --time-unit); with --loop each pass goes
 * on after the last (shifted by the files' span and one average interval).
 * Its arrival (t_arrival) is the schedule: the event time from an origin
 * (a recording's start, or the earliest first time of all files) divided by
 * the speed; --speed max makes every record GENERATOR_ASAP. A live speed
 * change goes on from the current position; --max-gap cuts a pause between
 * two rows longer than that (in replay time) down to it, and says so.
 *
 * Late rows. A row whose time is before the newest of its file by more than
 * --max-lateness is late: played at once and counted (--on-late play, the
 * default), dropped and counted (drop), or the end of the replay (stop).
 * Rows within --max-lateness of the newest wait in a reorder buffer
 * (bounded in event time) and are played in time order.
 *
 * Sensors. A keepup recording keeps its numeric sensor ids, or its names
 * ("# names yes"). In other files names are given ids 0.. in order of first
 * appearance as the rows are read (the table grows while the run goes on);
 * a file with no sensor column is one sensor named after the file, or one
 * sensor per value column, named after it ("SENSOR/COLUMN" with a sensor
 * column). Replay_names() is the table to print them.
 *
 * Dialects (issue 14's): the delimiter is found in the header line when not
 * given; --decimal-comma, --time-format with a time of one or two columns,
 * --time-unit (else from the column's name, else from the first time's
 * size), --tz for naive date-times, --skip-rows before the header, --na
 * markers of missing values (played as Record_missing, counted by the filter
 * as missing), a header one field short (a row-name column, passed over),
 * rows with every field empty (skipped and counted). Replay_describe says
 * how each file is read.
 *
 * Bad rows (wrong field count, a number or time that does not parse, a
 * field over CSVREADER_FIELD_MAX bytes) stop the replay with "FILE:LINE:
 * column NAME: reason" and, where one exists, the option that would read it
 * (--on-bad-row stop), or are counted and skipped (skip). LINE is the
 * physical line in the file where the row starts.
 *
 * Threads: the engine's source thread calls the Generator ops; the query
 * functions below may be called from any thread while it runs, except
 * Replay_fileStats, which is for after the run.
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

/* What --on-late accepts, in the order of its words. */
typedef enum ReplayOnLate {
   REPLAY_LATE_PLAY, /* played at once, out of time order, and counted */
   REPLAY_LATE_DROP, /* counted and not played */
   REPLAY_LATE_STOP, /* the replay fails at the first late row */
   REPLAY_LATE_LAST
} ReplayOnLate;

#define REPLAY_BAD_KEPT CSVREADER_BAD_KEPT /* bad-row (and late-row) messages kept for the report */
#define REPLAY_MSG_MAX  CSVREADER_MSG_MAX  /* longest message, with its NUL */
#define REPLAY_NA_MAX   16                 /* --na markers */
#define REPLAY_DESCRIBE_MAX 768            /* a file's start-up line, with its NUL */

/* What a replay plays and how (the command line's replay options). */
typedef struct ReplayConfig {
   const char* const* files; /* the paths ("-": standard input), played together (copied) */
   uint32_t n_files;
   bool loop;             /* play again when every file has ended (regular files only) */
   bool follow;           /* --follow: a regular file is read as it grows; a live input's idle time seals batches */
   double speed;          /* pacing factor; 0: as fast as possible */
   const char* columns;   /* a --columns spec (Columns_parse); NULL: by the common names */
   CsvTimeUnit time_unit; /* how the files write time; CSVTIME_AUTO: from the column's name or the first time */
   const char* time_format; /* --time-format (strptime-style); NULL: ISO 8601 and numbers */
   int32_t tz_s;          /* --tz: seconds east of UTC of date-times without a zone */
   char delimiter;        /* field separator; 0: found in the header line */
   bool decimal_comma;    /* "2,6" is 2.6 */
   uint32_t skip_rows;    /* lines skipped before anything else (a title above the header) */
   const char* na;        /* --na: values read as missing, comma-separated (exact text after trimming blanks;
                           * "" is one empty marker); NULL: none */
   ReplayOnBadRow on_bad_row;
   int64_t max_lateness_ns; /* reorder window in event time (0: rows must not go back) */
   ReplayOnLate on_late;
   int64_t max_gap_ns;    /* a pause longer than this (replay time) is cut to it; 0: never */
   const char* stdin_name; /* --stdin-name: the sensor of standard input's data when it has no sensor column
                            * and one value column; NULL: REPLAY_STDIN_NAME */
} ReplayConfig;

/* Standard input's one sensor when --stdin-name does not name it. */
#define REPLAY_STDIN_NAME "<stdin>"

typedef struct Replay Replay;

/* Where the replay is, for a dashboard or a status line: what has been played (handed to the engine). */
typedef struct ReplayPosition {
   const char* file;    /* the file the latest record came from, as given (NULL before the first) */
   uint32_t file_index; /* its place in the --replay list */
   uint32_t n_files;
   uint64_t rows_read;    /* data rows read from every file in this pass (ahead of what is played) */
   uint64_t rows;         /* data rows played, every pass */
   uint64_t bytes;        /* bytes of the files played up to, this pass */
   uint64_t size;         /* bytes of every file (0: a stream among them: no size, no percent) */
   double percent;        /* bytes played of size, this pass, 0..100; -1 without a size */
   uint64_t records;      /* records handed to the engine, every pass */
   double t_recording_s;  /* the latest record's event time since the origin, in this pass (s) */
   int64_t file_time;     /* the latest record's time as the file has it (ns; since 1970 for date-times) */
   CsvTimeUnit time_unit; /* how that file writes time (CsvTime_format turns file_time into its text) */
   double speed;          /* pacing factor in force; 0: as fast as possible */
   uint64_t loops;        /* passes completed (--loop) */
   uint64_t bad_rows;     /* rows skipped (--on-bad-row skip) */
   uint64_t late_rows;    /* rows late (played at once or dropped) */
   int64_t due_in_ns;     /* the record the source holds is due this long from now (0: now, or none) */
   uint64_t gaps;         /* pauses cut to --max-gap */
   int64_t gap_ns;        /* the latest one, in the data's time */
   int64_t gap_at;        /* when it was cut (CLOCK_MONOTONIC ns; 0: never) */
   int64_t gaps_saved_ns; /* replay time the cuts saved */
   bool live;             /* a stream or --follow: no end to wait for, no ETA */
   bool finished;         /* no more records: every file ended, or an error stopped the replay */
   bool loop;             /* plays again at the end (--loop, or turned on in the dashboard) */
   bool can_move;         /* restart, seek and loop work (not a stream, not --follow) */
   uint64_t seeks;        /* restarts and seeks done */
   uint64_t skipped_rows; /* rows a seek forward passed over (never played, unless a seek back reached them) */
   uint64_t skipped_records;
} ReplayPosition;

/* One file's counts, for the summary (after the run). */
typedef struct ReplayFileStats {
   const char* path;
   uint64_t rows_read;   /* data rows read (every pass) */
   uint64_t rows_played; /* of which played (every record of the row handed on) */
   uint64_t records;     /* records handed on (a row gives one per value column) */
   uint64_t bad;         /* skipped as bad (--on-bad-row skip) */
   uint64_t empty;       /* every field empty: skipped */
   uint64_t late;        /* late: played at once or dropped */
   uint64_t late_dropped;
   int64_t max_lateness_ns; /* the latest of them, behind the newest row of the file */
   uint64_t size;        /* bytes (0: a stream) */
   uint64_t bytes;       /* bytes read */
   bool stream;
} ReplayFileStats;

/* Open config's files: read their headers and up to the first record of each. NULL with a message
 * ("FILE: empty file", "FILE:LINE: column NAME: reason", "--columns 'SPEC': ...") when a file cannot be
 * replayed. */
Replay* Replay_new(const ReplayConfig* config, char* err, size_t errlen);

/* The Generator to hand to the engine, which then owns it: its destroy frees
 * the Replay, so query the Replay only until the engine is deleted. */
Generator* Replay_generator(Replay* this);
/* Free a Replay whose generator was never handed over (tests, errors). */
void Replay_delete(Replay* this);

/* True when every file is a keepup recording (numeric sensor ids or names, a header of parameters). */
bool Replay_isRecording(const Replay* this);
/* The processing parameters the first recording carries (names NULL); NULL for files that are not
 * keepup recordings. */
const PipelineParams* Replay_params(const Replay* this);
/* The value of a "# key value" line of the first recording ("version", "seed", ...); NULL when absent. */
const char* Replay_note(const Replay* this, const char* key);
/* Sensor ids are below this: the recording's id space, the number of names, or SENSORNAMES_MAX when
 * names are met as the files are read. */
uint32_t Replay_idSpace(const Replay* this);
/* Sensor names by id for PipelineParams.names; NULL for recordings with ids. namesGrow: the table grows
 * while the replay runs (PipelineParams.names_grow). */
const char* const* Replay_names(const Replay* this);
bool Replay_namesGrow(const Replay* this);
/* Sensors named so far (any thread). */
uint32_t Replay_sensors(const Replay* this);

/* How file i is read, in one line (delimiter, time column and how its times are read, value and sensor
 * columns, what is left out, the span of time it covers and how long it takes at the speed). */
void Replay_describe(const Replay* this, uint32_t i, char* out, size_t len);
uint32_t Replay_files(const Replay* this);
/* Something to say since the last call (a followed file truncated): true with it in out. Source thread's
 * news, any thread may take it. */
bool Replay_takeNotice(Replay* this, char* out, size_t len);

/* Why next returned false early: "FILE:LINE: column NAME: reason"; NULL
 * while there is no error (also after a clean end). */
const char* Replay_error(const Replay* this);
/* Bad rows skipped so far; the first (up to max, at most REPLAY_BAD_KEPT) messages are pointed to by msgs,
 * their number in *n_msgs. */
uint64_t Replay_badRows(const Replay* this, const char** msgs, size_t max, size_t* n_msgs);
/* Late rows so far, the same way. */
uint64_t Replay_lateRows(const Replay* this, const char** msgs, size_t max, size_t* n_msgs);
void Replay_position(const Replay* this, ReplayPosition* out);
/* File i's counts (after the run: the source thread has stopped). */
void Replay_fileStats(const Replay* this, uint32_t i, ReplayFileStats* out);

#endif
