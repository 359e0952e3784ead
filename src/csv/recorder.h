/*
 * recorder.h: --record, the CSV writer behind the engine's tap.
 *
 * The tap runs on the engine's source thread and only copies each record
 * into a chunk of 4096; full chunks (or one whose first record is 200 ms
 * old) go to the recorder's own thread, which formats and writes them. So
 * the source never waits on the disk; it waits only if the writer is more
 * than RECORDER_MAX_PENDING bytes behind (sustained overload), and that wait
 * is counted (stall_ns). A write error (disk full, I/O error) stops the
 * recording, never the pipeline: the records after it are counted as lost
 * and Recorder_error() says what happened.
 *
 * The file: the header recformat.h describes ('#' lines with the format
 * version and the PipelineParams that shape processing, which a replay reads
 * back, and the row "time_s,sensor,value"), then one line per record. time_s
 * is the record's event time in seconds with all nine decimals, so it
 * converts back to the same nanosecond (a replayed file's own times, the
 * simulator's schedule); the sensor is its id, or its name when the run has
 * names (a replay's), so a replay of the recording names and numbers its
 * sensors as the original did; the value is written with 17 significant
 * digits, which reads back as the same double, and a missing one is empty.
 */
#ifndef KEEPUP_RECORDER_H
#define KEEPUP_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/record.h"
#include "core/stages/stage.h"

#define RECORDER_MAX_PENDING (128u << 20) /* bytes of records queued for the writer before the tap waits */

typedef struct Recorder Recorder;

typedef struct RecorderStats {
   const char* path;
   uint64_t records; /* the tap was called with */
   uint64_t written; /* handed to the file */
   uint64_t bytes;   /* written to the file, header included */
   uint64_t lost;    /* not written because a write error stopped the recording;
                      * after Recorder_close, written + lost == records */
   int64_t stall_ns; /* time the tap waited because the writer was RECORDER_MAX_PENDING behind */
   bool failed;
} RecorderStats;

/* Create (truncate) path and start the writer thread. params go into the
 * file's header; their names table (NULL: ids), which may grow while the run
 * goes on, names the sensors of the rows. NULL with "cannot create FILE:
 * reason" in err. */
Recorder* Recorder_open(const char* path, const PipelineParams* params, char* err, size_t errlen);

/* Add a note, a "# key value" line, to the header, e.g. ("seed", "1"). Only
 * before the first record; false when too late or when it cannot be a note
 * (RecFormat_noteOk: key of a-z, 0-9 and '-', not one of the format's own
 * keys, value on one line). */
bool Recorder_note(Recorder* this, const char* key, const char* value);

/* The EngineTap: ctx is the Recorder. Only one thread may call it. */
void Recorder_tap(void* ctx, const Record* rec);

/* "FILE: write failed after N records: reason" once the recording has
 * stopped on an error, else NULL. Any thread. */
const char* Recorder_error(const Recorder* this);
/* Any thread. */
void Recorder_stats(const Recorder* this, RecorderStats* out);

/* Write everything taken so far, close the file and free the recorder.
 * Call it only once the tap can no longer be called (the engine stopped or
 * the tap detached). Returns 0, or the errno of the first failure with its
 * message in err. */
int Recorder_close(Recorder* this, char* err, size_t errlen);

#endif
