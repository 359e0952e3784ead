/*
 * recformat.h: the format of a keepup recording (--record writes it,
 * --replay reads it), owned here: its version, the keys of its header and
 * what they mean, the writing and the reading of that header.
 *
 * A recording is a CSV file that opens with '#' lines, "# KEY VALUE" each,
 * the first one "# keepup-recording VERSION". The keys (RecFormat_keys)
 * carry the PipelineParams that shape processing, so a replay processes the
 * records as the recorded run did; any other key is a note ("# seed 3"), kept
 * as text. Then comes the row "time_s,sensor,value" and one line per record
 * (the recorder writes those): time_s is the record's event time in seconds,
 * the sensor its id, or its name (a CSV field) under "# names yes", and an
 * empty value is a missing one (Record_missing).
 *
 * A reader takes a header line by line: RecFormat_readFirst on the file's
 * first line, RecFormat_readLine on each '#' line, RecFormat_readEnd when
 * they are over. Numbers are written and read in the C locale, whatever the
 * program's locale: pass one (newlocale(LC_ALL_MASK, "C", 0)).
 */
#ifndef KEEPUP_RECFORMAT_H
#define KEEPUP_RECFORMAT_H

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/setup.h"
#include "core/stages/stage.h"

#define RECFORMAT_VERSION  2  /* the version written, and the newest one read (1: no names key) */
#define RECFORMAT_NOTES    32 /* notes a reader keeps */
/* A header is untrusted input: every value is bounded as the option it stands for (core/setup.h), so a
 * small file cannot make a replay allocate gigabytes or take hours per batch. */
#define RECFORMAT_IDS_MAX   SETUP_ID_SPACE_MAX  /* the largest id space read */
#define RECFORMAT_ALLOW_MAX SETUP_ALLOWLIST_MAX /* allowlist entries read */
#define RECFORMAT_CAL_MAX   SETUP_ID_SPACE_MAX  /* calibration entries read */

/* The header's keys, in the order they are written. */
typedef enum RecFormatKey {
   RECFORMAT_MAGIC,       /* "keepup-recording": the format's version; the first line */
   RECFORMAT_PROGRAM,     /* "version": the keepup that wrote it (read as a note) */
   RECFORMAT_SENSORS,     /* the id space: sensor ids are below it */
   RECFORMAT_WINDOW,      /* the feature stage's window */
   RECFORMAT_THRESHOLD,   /* the score stage's threshold */
   RECFORMAT_RANGE,       /* the filter's valid range, "LO:HI" */
   RECFORMAT_CACHE,       /* the enrich stage's cache capacity */
   RECFORMAT_ENRICH,      /* the enrich stage's work per lookup */
   RECFORMAT_ALLOW_COUNT, /* the filter's allowlist: how many ids follow */
   RECFORMAT_ALLOW,       /* ids, comma-separated, on as many lines as it takes */
   RECFORMAT_CAL_COUNT,   /* the normalize stage's calibration: how many entries follow */
   RECFORMAT_CAL,         /* ID:OFFSET:GAIN entries, comma-separated, on as many lines as it takes */
   RECFORMAT_NAMES,       /* "yes": the sensor column holds names (a replay's), ids in order of first appearance */
   RECFORMAT_KEY_LAST
} RecFormatKey;

typedef struct RecFormatKeyInfo {
   const char* name;
   bool required; /* a recording without it is refused */
} RecFormatKeyInfo;

extern const RecFormatKeyInfo RecFormat_keys[RECFORMAT_KEY_LAST];

/* ---------------------------------------------------------------- writing */

/* Where header text goes, piece by piece. */
typedef void RecFormatSink(void* ctx, const char* text, size_t len);

/* The '#' lines for params (names and t0 are not part of it). */
void RecFormat_writeHeader(const PipelineParams* params, locale_t c_locale, RecFormatSink* sink, void* ctx);
/* Whether "# key value" can be a note: key of a-z, 0-9 and '-' and none of the format's own, value on one line. */
bool RecFormat_noteOk(const char* key, const char* value);
/* A note line (check it with RecFormat_noteOk first). */
void RecFormat_writeNote(const char* key, const char* value, RecFormatSink* sink, void* ctx);
/* The column row that ends the header. */
void RecFormat_writeColumns(RecFormatSink* sink, void* ctx);

/* ---------------------------------------------------------------- reading */

typedef struct RecFormatHeader {
   uint32_t version;      /* from the first line; 0: not a recording */
   bool all_keys;         /* false: only the id space is read (the other files of a replay) */
   bool ended;            /* RecFormat_readEnd was called */
   uint32_t id_space;     /* '# sensors' */
   bool names;            /* '# names yes': the sensor column holds names */
   PipelineParams params; /* complete after RecFormat_readEnd (names NULL, t0 0); allow and cal point here */
   locale_t c_locale;
   uint32_t* allow;
   CalEntry* cal;
   uint32_t allow_expected, cal_expected;
   bool have_allow, have_cal;
   unsigned seen; /* bit k: RecFormat_keys[k] was read */
   char* note_key[RECFORMAT_NOTES];
   char* note_value[RECFORMAT_NOTES];
   uint32_t n_notes;
} RecFormatHeader;

typedef enum RecFormatFirst {
   RECFORMAT_OTHER,      /* not a recording: a CSV file with a comment */
   RECFORMAT_RECORDING,  /* a recording this reads */
   RECFORMAT_UNREADABLE, /* a recording, but a bad or newer version */
} RecFormatFirst;

void RecFormat_init(RecFormatHeader* this, bool all_keys, locale_t c_locale);
void RecFormat_done(RecFormatHeader* this);
/* A file's first line, its text after the '#': sets version when it opens a recording; why for UNREADABLE. */
RecFormatFirst RecFormat_readFirst(RecFormatHeader* this, const char* text, char* why, size_t whylen);
/* A '#' line (text after the '#', changed in place); false with why (to follow "FILE:LINE: "). */
bool RecFormat_readLine(RecFormatHeader* this, char* text, char* why, size_t whylen);
/* The '#' lines are over: false with why (to follow "FILE: ") when a key is missing or a list is short. */
bool RecFormat_readEnd(RecFormatHeader* this, char* why, size_t whylen);
/* A note's value ("version", "seed", ...); NULL when absent. */
const char* RecFormat_note(const RecFormatHeader* this, const char* key);

#endif
