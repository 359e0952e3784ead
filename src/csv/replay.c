/*
 * replay.c: CSV replay. Data model:
 *
 * ReplayFile is one file being read: a 256 KiB read buffer handed to libcsv
 * 16 KiB at a time, the parser, the header's columns, the state of the row
 * being parsed and a queue of parsed rows waiting to be played. A slice is
 * parsed only when the queue is empty, so the queue holds at most one
 * slice's rows. Before libcsv sees a file, a small line reader drops a UTF-8
 * BOM and the leading '#' lines (a keepup recording's parameters).
 *
 * Line numbers: libcsv runs with CSV_REPALL_NL, so every unquoted CR or LF
 * reaches the row callback (an LF right after a CR is the same line break);
 * quoted line breaks are counted in the field text. A row's line is the line
 * of its first field.
 *
 * Replay merges the files: next() plays the earliest queued row of all
 * files (the lower file index on a tie) and turns its file time into the
 * engine's relative time: rel = rel_anchor + (eff - eff_anchor) / speed,
 * where eff is the file time from the origin plus the loop offset. The
 * anchors move on a speed change, so the schedule goes on from where it is.
 */
#include "config.h"

#include "csv/replay.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "csv/csvnum.h"
#include "core/snapshot.h"
#include "base/xalloc.h"

#define REPLAY_READ_SIZE    (256 * 1024)
#define REPLAY_SLICE        (16 * 1024)
#define REPLAY_MAX_COLUMNS  4096
#define REPLAY_NAME_MAX     255   /* longest sensor name */
#define REPLAY_SHOWN_MAX    48    /* longest text quoted in a message */
#define REPLAY_COMMENT_MAX  65536 /* longest '#' line of a recording */
#define REPLAY_NOTES        32
#define REPLAY_ID_SPACE_MAX (16u << 20)
#define REPLAY_LIST_MAX     (16u << 20) /* allowlist or calibration entries in a recording */
#define REPLAY_FORMAT       1           /* the recording format this reader understands */

enum { COL_TIME, COL_SENSOR, COL_VALUE, COL_LAST };
static const char* const replay_colKeys[COL_LAST] = {"time", "sensor", "value"};

typedef enum ReplayPhase {
   PHASE_LINE_START, /* at the start of a line before the header: '#', blank, or the CSV begins */
   PHASE_COMMENT,    /* inside a '#' line */
   PHASE_CSV,        /* libcsv has the rest */
} ReplayPhase;

typedef enum ReplayMode {
   MODE_PLAY, /* rows become records */
   MODE_SCAN, /* the opening pass over a file with a sensor column: only names are collected */
} ReplayMode;

/* Where the row skipper is after a field was too long: a small copy of libcsv's states. */
typedef enum SkipState {
   SKIP_FIELD_START,
   SKIP_UNQUOTED,
   SKIP_QUOTED,
   SKIP_QUOTE_SEEN,
} SkipState;

typedef struct ReplayRow {
   int64_t t; /* file time, ns */
   double value;
   uint32_t sensor;
   uint32_t pad_;
   uint64_t line;
} ReplayRow;

typedef struct ReplayColumn {
   char* shown; /* for messages: printable, short */
   char* key;   /* the name, blanks trimmed, for --columns; NULL when too long */
} ReplayColumn;

/* --columns, parsed: for each of time, sensor, value a name, a 1-based index, or none. */
typedef struct ReplayColSpec {
   char* name[COL_LAST];
   uint32_t index[COL_LAST]; /* 0: not given by index */
   bool none[COL_LAST];      /* sensor=none */
} ReplayColSpec;

typedef struct ReplayFile {
   struct Replay* owner;
   uint32_t index;
   char* path;
   int fd;
   uint64_t size;
   unsigned char* buf;
   size_t len, pos;
   bool eof;
   struct csv_parser csv;
   ReplayMode mode;
   bool scanned;      /* the sensor-name scan is done */
   bool named;        /* file_sensor is interned */
   bool header_read;  /* the recording's '#' lines were taken in (first pass) */
   bool recording;    /* starts with "# keepup-recording" */
   uint32_t id_space; /* the recording's sensors */

   /* the line reader in front of libcsv */
   ReplayPhase phase;
   bool at_start;
   bool pending_cr;
   bool any_content;
   uint64_t n_comments;
   char* comment;
   size_t comment_len;
   bool comment_long;

   uint64_t line;     /* the physical line being read, from 1 */
   bool last_term_cr; /* libcsv's last row ended on a CR */

   /* header */
   bool header_done;
   bool header_binary; /* a header field holds NUL or control bytes */
   uint32_t n_fields;
   ReplayColumn* cols;
   uint32_t n_cols;
   int col[COL_LAST]; /* -1: none */
   uint32_t file_sensor;
   CsvTimeUnit unit;

   /* the row being parsed */
   uint32_t row_fields;
   uint64_t row_line;
   int64_t row_t;
   double row_value;
   uint32_t row_sensor;
   bool row_bad;
   char row_err[REPLAY_MSG_MAX];
   char scan_name[REPLAY_NAME_MAX + 1];
   bool scan_ok;

   int64_t last_t;
   bool have_last;

   bool skipping;
   SkipState skip;
   bool skip_cr;

   ReplayRow* rows;
   size_t head, count, cap;
   bool ended;   /* this pass read to the end of the file */
   bool stopped; /* an error ended it: message in error */
   char error[REPLAY_MSG_MAX];
   uint64_t pass_rows;
   uint64_t pass_records;

   _Atomic uint64_t a_consumed;
   _Atomic uint64_t a_rows;
} ReplayFile;

struct Replay {
   Generator gen; /* first: the engine holds a Generator* */
   ReplayFile* files;
   uint32_t n_files;
   ReplayOnBadRow on_bad;
   unsigned char delim;
   bool loop;
   CsvTimeUnit unit_opt;
   ReplayColSpec spec;
   locale_t c_locale;

   /* sensors */
   bool recordings;
   uint32_t id_space;
   char** names;
   uint32_t n_names, names_cap;
   uint32_t* hash; /* open addressing: name index + 1, 0 empty */
   uint32_t hash_cap;

   /* the first recording's header */
   PipelineParams params;
   uint32_t* allow;
   CalEntry* cal;
   uint32_t allow_expected, cal_expected;
   bool have_allow, have_cal;
   unsigned seen_keys;
   char* note_key[REPLAY_NOTES];
   char* note_value[REPLAY_NOTES];
   uint32_t n_notes;

   /* pacing (source thread only) */
   int64_t origin;
   int64_t loop_base;
   double speed;
   int64_t eff_anchor, rel_anchor;
   int64_t clock_origin;
   bool clock_started;
   int64_t paused_total;
   bool have_last;
   int64_t last_eff, last_rel; /* the record the engine holds */
   int64_t prev_eff, prev_rel; /* the one before it */
   bool last_asap;
   uint64_t pass_records;
   int64_t pass_first_eff;
   bool done;

   /* read from other threads */
   char error[REPLAY_MSG_MAX];
   atomic_bool failed;
   atomic_bool finished;
   char kept[REPLAY_BAD_KEPT][REPLAY_MSG_MAX];
   _Atomic uint32_t n_kept;
   _Atomic uint64_t n_bad;
   _Atomic uint64_t a_records;
   _Atomic uint64_t a_loops;
   _Atomic int64_t a_time;     /* file time of the latest record */
   _Atomic int64_t a_rel_time; /* same, from the origin */
   _Atomic int32_t a_file;     /* -1 before the first record */
   _Atomic int a_unit;         /* CsvTimeUnit of that file */
   _Atomic uint64_t a_speed;   /* bits of the speed in force */
   uint64_t total_size;
};

static void replay_field(void* data, size_t len, void* ctx);
static void replay_rowEnd(int c, void* ctx);

/* ------------------------------------------------------------------ text */

/* snprintf for messages, where cutting a long path or name short is fine. */
static void replay_print(char* out, size_t len, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

static void replay_print(char* out, size_t len, const char* fmt, ...) {
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(out, len, fmt, ap);
   va_end(ap);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when invalid. */
static size_t replay_utf8(const unsigned char* s, size_t n) {
   unsigned char c = s[0];
   if (c < 0x80)
      return 1;
   size_t need;
   unsigned char lo = 0x80, hi = 0xBF;
   if (c >= 0xC2 && c <= 0xDF)
      need = 1;
   else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      if (c == 0xE0)
         lo = 0xA0;
      if (c == 0xED)
         hi = 0x9F;
   } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      if (c == 0xF0)
         lo = 0x90;
      if (c == 0xF4)
         hi = 0x8F;
   } else
      return 0;
   if (n < need + 1)
      return 0;
   if (s[1] < lo || s[1] > hi)
      return 0;
   for (size_t i = 2; i <= need; i++)
      if (s[i] < 0x80 || s[i] > 0xBF)
         return 0;
   return need + 1;
}

/* Copy s[0..n) for a message or a name: control bytes and invalid UTF-8 become '?', long text ends in "...". */
static void replay_shown(char* out, size_t outlen, const char* s, size_t n, size_t max) {
   const unsigned char* p = (const unsigned char*)s;
   size_t o = 0, i = 0;
   if (max > outlen - 1)
      max = outlen - 1;
   while (i < n) {
      size_t k = replay_utf8(p + i, n - i);
      bool ok = k > 0 && !(k == 1 && (p[i] < 0x20 || p[i] == 0x7f));
      size_t w = ok ? k : 1;
      if (o + w > max) {
         if (max >= 3) {
            while (o > max - 3) {
               o--;
               while (o > 0 && (out[o] & 0xC0) == 0x80)
                  o--;
            }
            memcpy(out + o, "...", 3);
            o += 3;
         }
         break;
      }
      if (ok)
         memcpy(out + o, p + i, k);
      else
         out[o] = '?';
      o += w;
      i += w;
   }
   out[o] = '\0';
}

static void replay_trim(const char** s, size_t* n) {
   while (*n && (**s == ' ' || **s == '\t')) {
      (*s)++;
      (*n)--;
   }
   while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
      (*n)--;
}

/* Whether s has a byte below 0x0E (CR, LF and a few others): eight bytes at a time, as fields are short. */
static bool replay_hasControl(const unsigned char* s, size_t n) {
   const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
   size_t i = 0;
   for (; i + 8 <= n; i += 8) {
      uint64_t x;
      memcpy(&x, s + i, sizeof x);
      if ((x - 0x0E * ones) & ~x & highs)
         return true;
   }
   for (; i < n; i++)
      if (s[i] < 0x0E)
         return true;
   return false;
}

/* Newlines in s, an LF right after a CR counting once; *cr carries a trailing CR across calls. */
static uint64_t replay_countLines(const unsigned char* s, size_t n, bool* cr) {
   uint64_t lines = 0;
   for (size_t i = 0; i < n; i++) {
      if (s[i] == '\n') {
         if (!*cr)
            lines++;
         *cr = false;
      } else if (s[i] == '\r') {
         lines++;
         *cr = true;
      } else
         *cr = false;
   }
   return lines;
}

static bool replay_parseU32(const char* s, uint32_t max, uint32_t* out) {
   if (!*s)
      return false;
   uint64_t v = 0;
   for (; *s; s++) {
      if (*s < '0' || *s > '9')
         return false;
      v = v * 10 + (uint64_t)(*s - '0');
      if (v > max)
         return false;
   }
   *out = (uint32_t)v;
   return true;
}

static bool replay_parseDouble(Replay* this, const char* s, double* out) {
   char* end;
   errno = 0;
   double v = strtod_l(s, &end, this->c_locale);
   if (end == s || *end || (errno == ERANGE && isinf(v)))
      return false;
   *out = v;
   return true;
}

/* ---------------------------------------------------------------- errors */

static void replay_fail(Replay* this, const char* msg) {
   if (atomic_load(&this->failed))
      return;
   snprintf(this->error, sizeof this->error, "%s", msg);
   atomic_store_explicit(&this->failed, true, memory_order_release);
}

/* A file-level error: the file stops here whatever --on-bad-row says. */
static void replay_fatal(ReplayFile* f, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

static void replay_fatal(ReplayFile* f, const char* fmt, ...) {
   if (f->stopped)
      return;
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(f->error, sizeof f->error, fmt, ap);
   va_end(ap);
   f->stopped = true;
}

static void replay_colName(const ReplayFile* f, uint32_t col, char* out, size_t len) {
   if (col < f->n_cols && f->cols[col].shown[0])
      snprintf(out, len, "%s", f->cols[col].shown);
   else
      snprintf(out, len, "#%u", col + 1);
}

/* Note the first error of the current row: "FILE:LINE: column NAME: reason". */
static void replay_rowError(ReplayFile* f, uint32_t col, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

static void replay_rowError(ReplayFile* f, uint32_t col, const char* fmt, ...) {
   if (f->row_bad)
      return;
   char name[REPLAY_SHOWN_MAX + 8], reason[REPLAY_MSG_MAX];
   replay_colName(f, col, name, sizeof name);
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(reason, sizeof reason, fmt, ap);
   va_end(ap);
   replay_print(f->row_err, sizeof f->row_err, "%s:%llu: column %s: %s", f->path, (unsigned long long)f->row_line, name,
                reason);
   f->row_bad = true;
}

/* A bad row: stop the file, or count it and keep its message. */
static void replay_reject(ReplayFile* f, const char* msg) {
   Replay* this = f->owner;
   if (this->on_bad == REPLAY_BAD_STOP) {
      snprintf(f->error, sizeof f->error, "%s", msg);
      f->stopped = true;
      return;
   }
   uint32_t k = atomic_load_explicit(&this->n_kept, memory_order_relaxed);
   if (k < REPLAY_BAD_KEPT) {
      snprintf(this->kept[k], sizeof this->kept[k], "%s", msg);
      atomic_store_explicit(&this->n_kept, k + 1, memory_order_release);
   }
   atomic_fetch_add_explicit(&this->n_bad, 1, memory_order_relaxed);
}

/* --------------------------------------------------------------- sensors */

static uint32_t replay_hashName(const char* s) {
   uint32_t h = 2166136261u;
   for (; *s; s++)
      h = (h ^ (unsigned char)*s) * 16777619u;
   return h;
}

static int64_t replay_findName(const Replay* this, const char* name) {
   if (!this->hash_cap)
      return -1;
   for (uint32_t i = replay_hashName(name) & (this->hash_cap - 1);; i = (i + 1) & (this->hash_cap - 1)) {
      uint32_t slot = this->hash[i];
      if (!slot)
         return -1;
      if (strcmp(this->names[slot - 1], name) == 0)
         return slot - 1;
   }
}

static void replay_hashInsert(Replay* this, uint32_t id) {
   uint32_t i = replay_hashName(this->names[id]) & (this->hash_cap - 1);
   while (this->hash[i])
      i = (i + 1) & (this->hash_cap - 1);
   this->hash[i] = id + 1;
}

/* The id of name, adding it when new; -1 when the table is full. */
static int64_t replay_intern(Replay* this, const char* name) {
   int64_t id = replay_findName(this, name);
   if (id >= 0)
      return id;
   if (this->n_names >= REPLAY_MAX_SENSORS)
      return -1;
   if (this->n_names == this->names_cap) {
      this->names_cap = this->names_cap ? this->names_cap * 2 : 64;
      this->names = xrealloc(this->names, this->names_cap * sizeof *this->names);
   }
   this->names[this->n_names] = xstrdup(name);
   if (2 * (this->n_names + 1) > this->hash_cap) {
      free(this->hash);
      this->hash_cap = this->hash_cap ? this->hash_cap * 2 : 128;
      this->hash = xcalloc(this->hash_cap, sizeof *this->hash);
      for (uint32_t i = 0; i < this->n_names; i++)
         replay_hashInsert(this, i);
   }
   replay_hashInsert(this, this->n_names);
   return this->n_names++;
}

/* Why text is not a usable sensor name, or NULL. */
static const char* replay_badName(const char* s, size_t n) {
   if (n == 0)
      return "empty sensor name";
   if (n > REPLAY_NAME_MAX)
      return "sensor name longer than 255 bytes";
   const unsigned char* p = (const unsigned char*)s;
   for (size_t i = 0; i < n;) {
      size_t k = replay_utf8(p + i, n - i);
      if (!k)
         return "sensor name is not valid UTF-8";
      if (k == 1 && (p[i] < 0x20 || p[i] == 0x7f))
         return "control character or NUL in sensor name";
      i += k;
   }
   return NULL;
}

/* A file with no sensor column is a sensor named after the file: "dir/nyc_taxi.csv" is "nyc_taxi". */
static uint32_t replay_fileSensor(Replay* this, const char* path) {
   const char* base = strrchr(path, '/');
   base = base ? base + 1 : path;
   size_t n = strlen(base);
   const char* dot = strrchr(base, '.');
   if (dot && dot != base)
      n = (size_t)(dot - base);
   char name[REPLAY_NAME_MAX + 1];
   replay_shown(name, sizeof name, base, n, REPLAY_NAME_MAX - 8);
   if (!name[0])
      snprintf(name, sizeof name, "file");
   char unique[REPLAY_NAME_MAX + 1];
   snprintf(unique, sizeof unique, "%s", name);
   for (unsigned k = 2; replay_findName(this, unique) >= 0; k++)
      replay_print(unique, sizeof unique, "%s#%u", name, k);
   int64_t id = replay_intern(this, unique);
   return id < 0 ? 0 : (uint32_t)id;
}

/* ------------------------------------------------------------ --columns */

static void replay_specFree(ReplayColSpec* spec) {
   for (int c = 0; c < COL_LAST; c++)
      free(spec->name[c]);
   memset(spec, 0, sizeof *spec);
}

static bool replay_specParse(const char* text, ReplayColSpec* spec, char* err, size_t errlen) {
   memset(spec, 0, sizeof *spec);
   if (!text)
      return true;
   char* copy = xstrdup(text);
   char* save = NULL;
   bool ok = true;
   for (char* item = strtok_r(copy, ",", &save); item && ok; item = strtok_r(NULL, ",", &save)) {
      char* eq = strchr(item, '=');
      int c = -1;
      if (eq) {
         *eq = '\0';
         for (int k = 0; k < COL_LAST; k++)
            if (strcmp(item, replay_colKeys[k]) == 0)
               c = k;
      }
      if (c < 0 || !eq[1]) {
         snprintf(err, errlen,
                  "--columns '%s': expected time=COL,sensor=COL,value=COL (COL: a column name or a 1-based index)",
                  text);
         ok = false;
      } else if (spec->name[c] || spec->index[c] || spec->none[c]) {
         snprintf(err, errlen, "--columns '%s': %s is given twice", text, replay_colKeys[c]);
         ok = false;
      } else if (c == COL_SENSOR && strcmp(eq + 1, "none") == 0) {
         spec->none[c] = true;
      } else if (strspn(eq + 1, "0123456789") == strlen(eq + 1)) {
         uint32_t index;
         if (!replay_parseU32(eq + 1, REPLAY_MAX_COLUMNS, &index) || index == 0) {
            snprintf(err, errlen, "--columns '%s': column index %s is not between 1 and %u", text, eq + 1,
                     REPLAY_MAX_COLUMNS);
            ok = false;
         } else
            spec->index[c] = index;
      } else {
         spec->name[c] = xstrdup(eq + 1);
      }
   }
   if (ok && !strchr(text, '=')) {
      snprintf(err, errlen, "--columns '%s': expected time=COL,sensor=COL,value=COL", text);
      ok = false;
   }
   free(copy);
   if (!ok)
      replay_specFree(spec);
   return ok;
}

static bool replay_sameFile(const char* a, const char* b) {
   if (strcmp(a, b) == 0)
      return true;
   struct stat sa, sb;
   return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

bool Replay_checkOptions(const Options* options, char* err, size_t errlen) {
   static const char* const replay_only[] = {"speed", "loop", "columns", "time-unit", "delimiter", "on-bad-row"};
   if (options->replay.n == 0) {
      for (size_t i = 0; i < sizeof replay_only / sizeof replay_only[0]; i++) {
         if (Options_given(options, replay_only[i])) {
            snprintf(err, errlen, "--%s works only with --replay FILE", replay_only[i]);
            return false;
         }
      }
      return true;
   }
   ReplayColSpec spec;
   if (!replay_specParse(options->columns, &spec, err, errlen))
      return false;
   replay_specFree(&spec);
   if (options->record) {
      for (uint32_t i = 0; i < options->replay.n; i++) {
         if (replay_sameFile(options->record, options->replay.item[i])) {
            snprintf(err, errlen, "--record '%s' is also a --replay file: recording would overwrite it",
                     options->record);
            return false;
         }
      }
   }
   return true;
}

/* ------------------------------------------------- the recording's header */

enum {
   KEY_SENSORS = 1 << 0,
   KEY_WINDOW = 1 << 1,
   KEY_THRESHOLD = 1 << 2,
   KEY_RANGE = 1 << 3,
   KEY_CACHE = 1 << 4,
   KEY_ENRICH = 1 << 5,
};
#define KEYS_REQUIRED (KEY_SENSORS | KEY_WINDOW | KEY_THRESHOLD | KEY_RANGE | KEY_CACHE | KEY_ENRICH)

static void replay_note(Replay* this, const char* key, const char* value) {
   for (uint32_t i = 0; i < this->n_notes; i++) {
      if (strcmp(this->note_key[i], key) == 0) {
         free(this->note_value[i]);
         this->note_value[i] = xstrdup(value);
         return;
      }
   }
   if (this->n_notes < REPLAY_NOTES) {
      this->note_key[this->n_notes] = xstrdup(key);
      this->note_value[this->n_notes] = xstrdup(value);
      this->n_notes++;
   }
}

/* "# allow 1,2,3": append ids. */
static bool replay_allowLine(Replay* this, char* value) {
   if (!this->have_allow)
      return false;
   char* save = NULL;
   for (char* tok = strtok_r(value, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      uint32_t id;
      if (this->params.n_allow >= this->allow_expected || !replay_parseU32(tok, UINT32_MAX, &id))
         return false;
      this->allow[this->params.n_allow++] = id;
   }
   return true;
}

/* "# cal 3:0.5:1.25,7:0:2": append id:offset:gain entries. */
static bool replay_calLine(Replay* this, char* value) {
   if (!this->have_cal)
      return false;
   char* save = NULL;
   for (char* tok = strtok_r(value, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      char* c1 = strchr(tok, ':');
      char* c2 = c1 ? strchr(c1 + 1, ':') : NULL;
      if (!c2 || this->params.n_cal >= this->cal_expected)
         return false;
      *c1 = *c2 = '\0';
      CalEntry* e = &this->cal[this->params.n_cal];
      if (!replay_parseU32(tok, UINT32_MAX, &e->sensor) || !replay_parseDouble(this, c1 + 1, &e->offset) ||
          !replay_parseDouble(this, c2 + 1, &e->gain))
         return false;
      this->params.n_cal++;
   }
   return true;
}

/* One "# key value" line of a recording (text after the '#'). */
static void replay_headerLine(ReplayFile* f, char* text) {
   Replay* this = f->owner;
   bool first = f->index == 0;
   while (*text == ' ')
      text++;
   char* value = text + strcspn(text, " \t");
   if (*value)
      *value++ = '\0';
   while (*value == ' ' || *value == '\t')
      value++;
   size_t vlen = strlen(value);
   while (vlen && (value[vlen - 1] == ' ' || value[vlen - 1] == '\t'))
      value[--vlen] = '\0';
   const char* key = text;
   bool ok = true;
   if (strcmp(key, "keepup-recording") == 0) {
      return;
   } else if (strcmp(key, "sensors") == 0) {
      ok = replay_parseU32(value, REPLAY_ID_SPACE_MAX, &f->id_space) && f->id_space > 0;
      if (ok && first) {
         this->params.id_space = f->id_space;
         this->seen_keys |= KEY_SENSORS;
      }
   } else if (!first) {
      return; /* only the first recording's parameters are used */
   } else if (strcmp(key, "window") == 0) {
      ok = replay_parseU32(value, KEEPUP_WINDOW_MAX, &this->params.window) && this->params.window > 0;
      this->seen_keys |= KEY_WINDOW;
   } else if (strcmp(key, "threshold") == 0) {
      ok = replay_parseDouble(this, value, &this->params.threshold) && isfinite(this->params.threshold);
      this->seen_keys |= KEY_THRESHOLD;
   } else if (strcmp(key, "valid-range") == 0) {
      char* colon = strchr(value + (value[0] == '-'), ':');
      ok = colon != NULL;
      if (ok) {
         *colon = '\0';
         ok = replay_parseDouble(this, value, &this->params.valid_lo) &&
              replay_parseDouble(this, colon + 1, &this->params.valid_hi);
         *colon = ':';
      }
      this->seen_keys |= KEY_RANGE;
   } else if (strcmp(key, "cache") == 0) {
      ok = replay_parseU32(value, UINT32_MAX, &this->params.cache_capacity);
      this->seen_keys |= KEY_CACHE;
   } else if (strcmp(key, "enrich-work") == 0) {
      ok = replay_parseU32(value, UINT32_MAX, &this->params.enrich_work);
      this->seen_keys |= KEY_ENRICH;
   } else if (strcmp(key, "allow-count") == 0) {
      ok = !this->have_allow && replay_parseU32(value, REPLAY_LIST_MAX, &this->allow_expected);
      if (ok) {
         this->have_allow = true;
         this->allow = xmalloc(((size_t)this->allow_expected + 1) * sizeof *this->allow);
      }
   } else if (strcmp(key, "allow") == 0) {
      ok = replay_allowLine(this, value);
   } else if (strcmp(key, "cal-count") == 0) {
      ok = !this->have_cal && replay_parseU32(value, REPLAY_LIST_MAX, &this->cal_expected);
      if (ok) {
         this->have_cal = true;
         this->cal = xmalloc(((size_t)this->cal_expected + 1) * sizeof *this->cal);
      }
   } else if (strcmp(key, "cal") == 0) {
      ok = replay_calLine(this, value);
   } else {
      replay_note(this, key, value);
   }
   if (!ok)
      replay_fatal(f, "%s:%llu: bad recording header line '# %.40s'", f->path, (unsigned long long)f->line, key);
}

/* A complete '#' line before the header (text after the '#', NUL-terminated). */
static void replay_comment(ReplayFile* f, char* text) {
   if (f->n_comments++ == 0 && f->line == 1) {
      const char* magic = " keepup-recording ";
      if (strncmp(text, magic, strlen(magic)) == 0) {
         uint32_t format;
         if (!replay_parseU32(text + strlen(magic), 1000000, &format) || format == 0) {
            replay_fatal(f, "%s:1: bad recording format line", f->path);
            return;
         }
         if (format > REPLAY_FORMAT) {
            replay_fatal(f, "%s:1: recording format %u is newer than this keepup reads (%d)", f->path, format,
                         REPLAY_FORMAT);
            return;
         }
         f->recording = true;
      }
   }
   if (!f->recording || f->header_read)
      return;
   if (f->comment_long) {
      replay_fatal(f, "%s:%llu: recording header line longer than %d bytes", f->path, (unsigned long long)f->line,
                   REPLAY_COMMENT_MAX);
      return;
   }
   replay_headerLine(f, text);
}

/* The recording's '#' lines are all in: check them. */
static void replay_headerCheck(ReplayFile* f) {
   Replay* this = f->owner;
   if (!f->recording || f->header_read)
      return;
   f->header_read = true;
   if (f->id_space == 0) {
      replay_fatal(f, "%s: recording header lacks '# sensors'", f->path);
      return;
   }
   if (f->index != 0)
      return;
   if ((this->seen_keys & KEYS_REQUIRED) != KEYS_REQUIRED) {
      replay_fatal(f, "%s: recording header lacks one of sensors, window, threshold, valid-range, cache, enrich-work",
                   f->path);
      return;
   }
   if ((this->have_allow && this->params.n_allow != this->allow_expected) ||
       (this->have_cal && this->params.n_cal != this->cal_expected)) {
      replay_fatal(f, "%s: recording header: the allow or cal lines do not match their count", f->path);
      return;
   }
   this->params.allow = this->have_allow ? this->allow : NULL;
   this->params.cal = this->have_cal ? this->cal : NULL;
}

/* ----------------------------------------------------------- the header */

static int replay_findColumn(const ReplayFile* f, const char* name) {
   for (uint32_t i = 0; i < f->n_cols; i++)
      if (f->cols[i].key && strcasecmp(f->cols[i].key, name) == 0)
         return (int)i;
   return -1;
}

static int replay_findAny(const ReplayFile* f, const char* const* names) {
   for (; *names; names++) {
      int c = replay_findColumn(f, *names);
      if (c >= 0)
         return c;
   }
   return -1;
}

static void replay_listColumns(const ReplayFile* f, char* out, size_t len) {
   size_t at = 0;
   out[0] = '\0';
   for (uint32_t i = 0; i < f->n_cols && at + 8 < len; i++) {
      int n = snprintf(out + at, len - at, "%s%s", i ? ", " : "", f->cols[i].shown);
      if (n < 0)
         break;
      at += (size_t)n;
   }
}

/* Pick the time, sensor and value columns; false with the file stopped when it cannot. */
static bool replay_resolveColumns(ReplayFile* f) {
   static const char* const time_names[] = {"time_s", "time", "timestamp", "datetime", "date_time", "ts", "date", NULL};
   static const char* const sensor_names[] = {"sensor", "sensor_id", NULL};
   static const char* const value_names[] = {"value", NULL};
   static const char* const* const defaults[COL_LAST] = {time_names, sensor_names, value_names};
   const ReplayColSpec* spec = &f->owner->spec;
   char list[256];
   for (int c = 0; c < COL_LAST; c++) {
      f->col[c] = -1;
      if (spec->none[c])
         continue;
      if (spec->index[c]) {
         if (spec->index[c] > f->n_fields) {
            replay_fatal(f, "%s:%llu: --columns %s=%u, but the header has %u columns", f->path,
                         (unsigned long long)f->row_line, replay_colKeys[c], spec->index[c], f->n_fields);
            return false;
         }
         f->col[c] = (int)spec->index[c] - 1;
      } else if (spec->name[c]) {
         f->col[c] = replay_findColumn(f, spec->name[c]);
         if (f->col[c] < 0) {
            char shown[REPLAY_SHOWN_MAX + 4];
            replay_shown(shown, sizeof shown, spec->name[c], strlen(spec->name[c]), REPLAY_SHOWN_MAX);
            replay_listColumns(f, list, sizeof list);
            replay_fatal(f, "%s:%llu: no column named '%s' (columns: %s)", f->path, (unsigned long long)f->row_line,
                         shown, list);
            return false;
         }
      } else {
         f->col[c] = replay_findAny(f, defaults[c]);
      }
   }
   /* without names to go by, the first column is time and the next free one the value */
   if (f->col[COL_TIME] < 0)
      f->col[COL_TIME] = 0;
   if (f->col[COL_VALUE] < 0) {
      for (uint32_t i = 0; i < f->n_fields && f->col[COL_VALUE] < 0; i++)
         if ((int)i != f->col[COL_TIME] && (int)i != f->col[COL_SENSOR])
            f->col[COL_VALUE] = (int)i;
      if (f->col[COL_VALUE] < 0) {
         replay_listColumns(f, list, sizeof list);
         replay_fatal(f, "%s:%llu: no value column: the header has only %s", f->path, (unsigned long long)f->row_line,
                      list);
         return false;
      }
   }
   for (int a = 0; a < COL_LAST; a++) {
      for (int b = a + 1; b < COL_LAST; b++) {
         if (f->col[a] >= 0 && f->col[a] == f->col[b]) {
            char name[REPLAY_SHOWN_MAX + 8];
            replay_colName(f, (uint32_t)f->col[a], name, sizeof name);
            replay_fatal(f, "%s:%llu: %s and %s are the same column %s (see --columns)", f->path,
                         (unsigned long long)f->row_line, replay_colKeys[a], replay_colKeys[b], name);
            return false;
         }
      }
   }
   if (f->recording && f->col[COL_SENSOR] < 0) {
      replay_fatal(f, "%s:%llu: a keepup recording needs its sensor column", f->path, (unsigned long long)f->row_line);
      return false;
   }
   return true;
}

static void replay_headerEnd(ReplayFile* f) {
   Replay* this = f->owner;
   f->n_fields = f->row_fields;
   if (f->header_binary) {
      replay_fatal(f, "%s:%llu: the header row is not text (NUL or control bytes): not a CSV file?", f->path,
                   (unsigned long long)f->row_line);
      return;
   }
   if (f->n_fields > REPLAY_MAX_COLUMNS) {
      replay_fatal(f, "%s:%llu: the header has %u columns; at most %d are read", f->path,
                   (unsigned long long)f->row_line, f->n_fields, REPLAY_MAX_COLUMNS);
      return;
   }
   if (!replay_resolveColumns(f))
      return;
   f->header_done = true;
   if (f->recording)
      return;
   if (f->col[COL_SENSOR] < 0) {
      if (!f->named) {
         f->file_sensor = replay_fileSensor(this, f->path);
         f->named = true;
      }
   } else if (!f->scanned) {
      f->mode = MODE_SCAN;
   }
}

static void replay_headerField(ReplayFile* f, uint32_t col, const char* data, size_t len) {
   if (col >= REPLAY_MAX_COLUMNS)
      return;
   if (col >= f->n_cols) {
      f->cols = xrealloc(f->cols, (col + 1) * sizeof *f->cols);
      f->n_cols = col + 1;
   }
   replay_trim(&data, &len);
   for (size_t i = 0; i < len; i++)
      if (((unsigned char)data[i] < 0x20 && !strchr("\t\n\r", data[i])) || data[i] == '\0')
         f->header_binary = true;
   char shown[REPLAY_SHOWN_MAX + 4];
   replay_shown(shown, sizeof shown, data, len, REPLAY_SHOWN_MAX);
   f->cols[col].shown = xstrdup(shown);
   f->cols[col].key = NULL;
   if (len <= REPLAY_NAME_MAX && !memchr(data, '\0', len)) {
      f->cols[col].key = xmalloc(len + 1);
      memcpy(f->cols[col].key, data, len);
      f->cols[col].key[len] = '\0';
   }
}

static void replay_freeColumns(ReplayFile* f) {
   for (uint32_t i = 0; i < f->n_cols; i++) {
      free(f->cols[i].shown);
      free(f->cols[i].key);
   }
   free(f->cols);
   f->cols = NULL;
   f->n_cols = 0;
}

/* ------------------------------------------------------------ the fields */

static void replay_timeField(ReplayFile* f, uint32_t col, const char* data, size_t len) {
   char shown[REPLAY_SHOWN_MAX + 4];
   if (f->unit == CSVTIME_AUTO) {
      CsvTimeUnit unit = CsvTime_detect(data, len);
      const char* s = data;
      size_t n = len;
      replay_trim(&s, &n);
      if (n == 0) {
         replay_rowError(f, col, "empty time");
         return;
      }
      if (unit == CSVTIME_AUTO) {
         replay_shown(shown, sizeof shown, data, len, REPLAY_SHOWN_MAX);
         replay_rowError(f, col, "unparsable time '%s': neither a number nor a date-time", shown);
         return;
      }
      f->unit = unit;
   }
   const char* why = CsvTime_parse(data, len, f->unit, &f->row_t);
   if (why && strcmp(why, "empty") == 0) {
      replay_rowError(f, col, "empty time");
   } else if (why) {
      replay_shown(shown, sizeof shown, data, len, REPLAY_SHOWN_MAX);
      replay_rowError(f, col, "unparsable time '%s': %s", shown, why);
   }
}

static void replay_valueField(ReplayFile* f, uint32_t col, const char* data, size_t len) {
   const char* why = CsvNum_parse(data, len, &f->row_value);
   if (!why)
      return;
   char shown[REPLAY_SHOWN_MAX + 4];
   replay_shown(shown, sizeof shown, data, len, REPLAY_SHOWN_MAX);
   if (strcmp(why, "empty") == 0)
      replay_rowError(f, col, "empty value");
   else if (strcmp(why, "out of range") == 0)
      replay_rowError(f, col, "number out of range '%s'", shown);
   else
      replay_rowError(f, col, "unparsable number '%s'", shown);
}

static void replay_sensorField(ReplayFile* f, uint32_t col, const char* data, size_t len) {
   Replay* this = f->owner;
   const char* s = data;
   size_t n = len;
   replay_trim(&s, &n);
   char shown[REPLAY_SHOWN_MAX + 4];
   if (f->recording) {
      uint64_t id = 0;
      size_t i = 0;
      for (; i < n && i < 11 && s[i] >= '0' && s[i] <= '9'; i++)
         id = id * 10 + (uint64_t)(s[i] - '0');
      if (n == 0 || i != n || id >= f->id_space) {
         replay_shown(shown, sizeof shown, data, len, REPLAY_SHOWN_MAX);
         replay_rowError(f, col, "sensor '%s' is not an id below %u", shown, f->id_space);
         return;
      }
      f->row_sensor = (uint32_t)id;
      return;
   }
   const char* why = replay_badName(s, n);
   if (why) {
      replay_rowError(f, col, "%s", why);
      return;
   }
   if (f->mode == MODE_SCAN) {
      memcpy(f->scan_name, s, n);
      f->scan_name[n] = '\0';
      f->scan_ok = true;
      return;
   }
   char name[REPLAY_NAME_MAX + 1];
   memcpy(name, s, n);
   name[n] = '\0';
   int64_t id = replay_findName(this, name);
   if (id < 0) {
      replay_shown(shown, sizeof shown, data, len, REPLAY_SHOWN_MAX);
      replay_rowError(f, col, "sensor '%s' appeared after the replay started (the file changed?)", shown);
      return;
   }
   f->row_sensor = (uint32_t)id;
}

static void replay_push(ReplayFile* f) {
   if (f->count == f->cap) {
      size_t cap = f->cap ? f->cap * 2 : 256;
      ReplayRow* rows = xmalloc(cap * sizeof *rows);
      for (size_t i = 0; i < f->count; i++)
         rows[i] = f->rows[(f->head + i) % f->cap];
      free(f->rows);
      f->rows = rows;
      f->cap = cap;
      f->head = 0;
   }
   ReplayRow* row = &f->rows[(f->head + f->count) % f->cap];
   row->t = f->row_t;
   row->value = f->row_value;
   row->sensor = f->col[COL_SENSOR] >= 0 ? f->row_sensor : f->file_sensor;
   row->pad_ = 0;
   row->line = f->row_line;
   f->count++;
}

/* A complete data row. */
static void replay_dataRow(ReplayFile* f) {
   f->pass_rows++;
   atomic_store_explicit(&f->a_rows, f->pass_rows, memory_order_relaxed);
   if (f->mode == MODE_SCAN) {
      if (f->row_fields == f->n_fields && f->scan_ok && replay_intern(f->owner, f->scan_name) < 0)
         replay_fatal(f, "%s:%llu: more than %d distinct sensor names", f->path, (unsigned long long)f->row_line,
                      REPLAY_MAX_SENSORS);
      return;
   }
   if (f->row_fields != f->n_fields) {
      char msg[REPLAY_MSG_MAX];
      snprintf(msg, sizeof msg, "%s:%llu: expected %u fields as in the header, found %u", f->path,
               (unsigned long long)f->row_line, f->n_fields, f->row_fields);
      replay_reject(f, msg);
      return;
   }
   if (f->row_bad) {
      replay_reject(f, f->row_err);
      return;
   }
   if (f->have_last && f->row_t < f->last_t) {
      char now[48], before[48];
      CsvTime_format(now, sizeof now, f->row_t, f->unit);
      CsvTime_format(before, sizeof before, f->last_t, f->unit);
      replay_rowError(f, (uint32_t)f->col[COL_TIME], "time goes backwards (%s after %s)", now, before);
      replay_reject(f, f->row_err);
      if (f->stopped)
         return;
      f->row_t = f->last_t; /* played at the current time */
   }
   f->last_t = f->row_t;
   f->have_last = true;
   f->pass_records++;
   replay_push(f);
}

static void replay_field(void* data, size_t len, void* ctx) {
   ReplayFile* f = ctx;
   if (f->row_fields == 0) {
      f->row_line = f->line;
      f->row_bad = false;
      f->scan_ok = false;
   }
   if (replay_hasControl(data, len)) {
      bool cr = false; /* only a quoted field holds line breaks */
      f->line += replay_countLines(data, len, &cr);
   }
   uint32_t col = f->row_fields;
   if (f->row_fields < UINT32_MAX)
      f->row_fields++;
   if (f->stopped)
      return;
   if (!f->header_done) {
      replay_headerField(f, col, data, len);
      return;
   }
   if ((int)col == f->col[COL_TIME]) {
      if (f->mode == MODE_PLAY)
         replay_timeField(f, col, data, len);
   } else if ((int)col == f->col[COL_VALUE]) {
      if (f->mode == MODE_PLAY)
         replay_valueField(f, col, data, len);
   } else if ((int)col == f->col[COL_SENSOR]) {
      replay_sensorField(f, col, data, len);
   }
}

static void replay_rowEnd(int c, void* ctx) {
   ReplayFile* f = ctx;
   if (c == '\n' && f->last_term_cr && f->row_fields == 0) {
      f->last_term_cr = false; /* the LF of a CRLF */
      return;
   }
   if (f->row_fields > 0 && !f->stopped) {
      if (!f->header_done)
         replay_headerEnd(f);
      else
         replay_dataRow(f);
   }
   f->row_fields = 0;
   if (c == '\r' || c == '\n')
      f->line++;
   f->last_term_cr = c == '\r';
}

/* -------------------------------------------------------------- reading */

/* libcsv grows a field's buffer with this: refusing to pass REPLAY_FIELD_MAX
 * makes it stop with CSV_ENOMEM, which is how a too-long field is noticed. */
static void* replay_realloc(void* p, size_t size) {
   if (size > (size_t)REPLAY_FIELD_MAX + 1)
      return NULL;
   return xrealloc(p, size);
}

static void replay_csvInit(ReplayFile* f) {
   csv_init(&f->csv, CSV_REPALL_NL | CSV_APPEND_NULL);
   csv_set_delim(&f->csv, f->owner->delim);
   csv_set_realloc_func(&f->csv, replay_realloc);
   csv_set_blk_size(&f->csv, 64 * 1024);
}

/* A '#' line ended (at a line break or the end of the file). */
static void replay_commentEnd(ReplayFile* f) {
   char none[1] = "";
   char* text = none;
   if (f->comment) {
      f->comment[f->comment_len] = '\0';
      text = f->comment;
   }
   replay_comment(f, text);
   f->comment_len = 0;
}

/* The line reader before the CSV: BOM already gone; blank and '#' lines. Returns bytes consumed. */
static size_t replay_lines(ReplayFile* f, const unsigned char* p, size_t n) {
   size_t i = 0;
   while (i < n && !f->stopped) {
      unsigned char c = p[i];
      if (f->pending_cr) {
         f->pending_cr = false;
         if (c == '\n') {
            i++;
            continue;
         }
      }
      if (f->phase == PHASE_LINE_START) {
         if (c == '\n' || c == '\r') {
            f->line++;
            f->pending_cr = c == '\r';
            i++;
            continue;
         }
         if (c == '#') {
            f->any_content = true;
            f->phase = PHASE_COMMENT;
            f->comment_len = 0;
            f->comment_long = false;
            i++;
            continue;
         }
         f->any_content = true;
         f->phase = PHASE_CSV;
         replay_headerCheck(f);
         return i;
      }
      /* inside a comment: up to the line break */
      size_t j = i;
      while (j < n && p[j] != '\n' && p[j] != '\r')
         j++;
      bool keep = f->recording ? !f->header_read : f->n_comments == 0 && f->line == 1;
      if (keep) {
         if (!f->comment)
            f->comment = xmalloc(REPLAY_COMMENT_MAX + 1);
         size_t room = REPLAY_COMMENT_MAX - f->comment_len;
         size_t take = j - i < room ? j - i : room;
         if (take < j - i)
            f->comment_long = true;
         memcpy(f->comment + f->comment_len, p + i, take);
         f->comment_len += take;
      }
      i = j;
      if (j < n) {
         replay_commentEnd(f);
         f->line++;
         f->pending_cr = p[j] == '\r';
         f->phase = PHASE_LINE_START;
         i++;
      }
   }
   return i;
}

/* Skip the rest of a row whose field was too long, the way libcsv would read it. */
static size_t replay_skipRow(ReplayFile* f, const unsigned char* p, size_t n) {
   unsigned char delim = f->owner->delim;
   for (size_t i = 0; i < n; i++) {
      unsigned char c = p[i];
      bool nl = c == '\n' || c == '\r';
      switch (f->skip) {
      case SKIP_QUOTED:
         if (c == '"')
            f->skip = SKIP_QUOTE_SEEN;
         else if (nl) {
            if (c == '\r' || !f->skip_cr)
               f->line++;
         }
         f->skip_cr = c == '\r';
         continue;
      case SKIP_QUOTE_SEEN:
         if (c == '"' || (c != delim && !nl && c != ' ' && c != '\t')) {
            f->skip = SKIP_QUOTED;
            f->skip_cr = false;
            continue;
         }
         break;
      case SKIP_FIELD_START:
         if (c == '"') {
            f->skip = SKIP_QUOTED;
            f->skip_cr = false;
            continue;
         }
         break;
      case SKIP_UNQUOTED:
         break;
      }
      if (c == delim) {
         f->skip = SKIP_FIELD_START;
      } else if (nl) {
         if (c == '\r' || !f->skip_cr)
            f->line++;
         f->skipping = false;
         f->last_term_cr = c == '\r';
         f->row_fields = 0;
         return i + 1;
      } else if (f->skip == SKIP_FIELD_START && c != ' ' && c != '\t') {
         f->skip = SKIP_UNQUOTED;
      }
      f->skip_cr = false;
   }
   return n;
}

/* libcsv refused to grow a field past REPLAY_FIELD_MAX. */
static void replay_tooLong(ReplayFile* f) {
   uint64_t line = f->row_fields ? f->row_line : f->line;
   if (f->row_fields == 0)
      f->row_line = line;
   /* the line breaks inside the part of the field already read */
   bool cr = false;
   f->line += replay_countLines(f->csv.entry_buf, f->csv.entry_pos, &cr);
   if (!f->header_done) {
      replay_fatal(f, "%s:%llu: header field longer than %d bytes", f->path, (unsigned long long)line,
                   REPLAY_FIELD_MAX);
      return;
   }
   if (f->mode == MODE_PLAY) {
      f->pass_rows++;
      f->row_bad = false;
      replay_rowError(f, f->row_fields, "field longer than %d bytes", REPLAY_FIELD_MAX);
      replay_reject(f, f->row_err);
      if (f->stopped)
         return;
   }
   f->skipping = true;
   f->skip_cr = cr;
   if (f->csv.pstate == 3) /* FIELD_MIGHT_HAVE_ENDED */
      f->skip = SKIP_QUOTE_SEEN;
   else
      f->skip = f->csv.quoted ? SKIP_QUOTED : SKIP_UNQUOTED;
   csv_free(&f->csv);
   replay_csvInit(f);
}

/* The end of the file (this pass). */
static void replay_finish(ReplayFile* f) {
   if (f->phase == PHASE_COMMENT && !f->stopped) {
      replay_commentEnd(f);
      f->phase = PHASE_LINE_START;
   }
   if (f->phase == PHASE_CSV && !f->skipping && !f->stopped)
      csv_fini(&f->csv, replay_field, replay_rowEnd, f);
   f->ended = true;
   if (f->stopped || f->header_done)
      return;
   replay_headerCheck(f);
   if (!f->any_content)
      replay_fatal(f, "%s: empty file", f->path);
   else if (f->phase != PHASE_CSV)
      replay_fatal(f, "%s: no header row (only '#' lines)", f->path);
   else
      replay_fatal(f, "%s: no header row", f->path);
}

/* Parse one slice more (reading when the buffer is empty). */
static void replay_feed(ReplayFile* f) {
   if (f->pos == f->len) {
      if (f->eof) {
         replay_finish(f);
         return;
      }
      ssize_t n;
      do
         n = read(f->fd, f->buf, REPLAY_READ_SIZE);
      while (n < 0 && errno == EINTR);
      if (n < 0) {
         replay_fatal(f, "%s: read failed: %s", f->path, strerror(errno));
         return;
      }
      if (n == 0) {
         f->eof = true;
         replay_finish(f);
         return;
      }
      f->len = (size_t)n;
      f->pos = 0;
      if (f->at_start) {
         f->at_start = false;
         if (f->len >= 3 && memcmp(f->buf, "\xEF\xBB\xBF", 3) == 0) {
            f->pos = 3;
            atomic_store_explicit(&f->a_consumed, 3, memory_order_relaxed);
            return;
         }
      }
   }
   size_t n = f->len - f->pos < REPLAY_SLICE ? f->len - f->pos : REPLAY_SLICE;
   const unsigned char* p = f->buf + f->pos;
   size_t used;
   if (f->skipping)
      used = replay_skipRow(f, p, n);
   else if (f->phase != PHASE_CSV)
      used = replay_lines(f, p, n);
   else {
      used = csv_parse(&f->csv, p, n, replay_field, replay_rowEnd, f);
      if (used < n && !f->stopped)
         replay_tooLong(f);
   }
   f->pos += used;
   atomic_fetch_add_explicit(&f->a_consumed, used, memory_order_relaxed);
}

/* Parse until a row is queued, the file ends, or it stops on an error. */
static void replay_fill(ReplayFile* f) {
   while (f->count == 0 && !f->ended && !f->stopped)
      replay_feed(f);
}

/* Back to the start of the file, for the next pass (or after the name scan). */
static void replay_rewind(ReplayFile* f) {
   if (lseek(f->fd, 0, SEEK_SET) < 0) {
      replay_fatal(f, "%s: cannot read it again: %s", f->path, strerror(errno));
      return;
   }
   f->len = f->pos = 0;
   f->eof = false;
   csv_free(&f->csv);
   replay_csvInit(f);
   f->mode = MODE_PLAY;
   f->phase = PHASE_LINE_START;
   f->at_start = true;
   f->pending_cr = false;
   f->n_comments = 0;
   f->line = 1;
   f->last_term_cr = false;
   f->header_done = false;
   f->header_binary = false;
   replay_freeColumns(f);
   f->row_fields = 0;
   f->have_last = false;
   f->skipping = false;
   f->head = f->count = 0;
   f->ended = false;
   f->pass_rows = f->pass_records = 0;
   f->unit = f->owner->unit_opt;
   atomic_store_explicit(&f->a_consumed, 0, memory_order_relaxed);
   atomic_store_explicit(&f->a_rows, 0, memory_order_relaxed);
}

static bool replay_open(ReplayFile* f, char* err, size_t errlen) {
   f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
   if (f->fd < 0) {
      snprintf(err, errlen, "%s: cannot open: %s", f->path, strerror(errno));
      return false;
   }
   struct stat st;
   if (fstat(f->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
      snprintf(err, errlen, "%s: not a regular file", f->path);
      return false;
   }
   f->size = (uint64_t)st.st_size;
   posix_fadvise(f->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
   f->buf = xmalloc(REPLAY_READ_SIZE);
   replay_rewind(f);
   return true;
}

/* ------------------------------------------------------------ generator */

/* Time arithmetic that saturates: files may hold any int64 times, and
 * INT64_MIN stays reserved for GENERATOR_ASAP. */
static int64_t replay_clampTime(int64_t t) {
   return t == INT64_MIN ? INT64_MIN + 1 : t;
}

static int64_t replay_add(int64_t a, int64_t b) {
   int64_t r;
   if (__builtin_add_overflow(a, b, &r))
      return b > 0 ? INT64_MAX : INT64_MIN + 1;
   return replay_clampTime(r);
}

static int64_t replay_sub(int64_t a, int64_t b) {
   int64_t r;
   if (__builtin_sub_overflow(a, b, &r))
      return b < 0 ? INT64_MAX : INT64_MIN + 1;
   return replay_clampTime(r);
}

static int64_t replay_nowRel(Replay* this) {
   return Clock_now() - this->clock_origin - this->paused_total;
}

/* File time to the engine's relative time under the current anchors. */
static int64_t replay_schedule(const Replay* this, int64_t eff) {
   int64_t d = replay_sub(eff, this->eff_anchor);
   if (this->speed != 1.0) {
      double scaled = (double)d / this->speed;
      d = scaled >= 9.2e18 ? INT64_MAX : scaled <= -9.2e18 ? INT64_MIN + 1 : llround(scaled);
   }
   return replay_add(this->rel_anchor, d);
}

static void replay_setSpeed(Replay* this, double speed) {
   if (speed == this->speed)
      return;
   if (speed > 0 && this->have_last) {
      if (this->speed > 0 && !this->last_asap) {
         /* go on from the record before the held one: the held one can be retimed */
         this->eff_anchor = this->prev_eff;
         this->rel_anchor = this->prev_rel;
      } else {
         /* from as-fast-as-possible: the held record is now */
         this->eff_anchor = this->last_eff;
         this->rel_anchor = replay_nowRel(this);
         if (this->rel_anchor < this->prev_rel)
            this->rel_anchor = this->prev_rel;
      }
   }
   this->speed = speed;
   uint64_t bits;
   memcpy(&bits, &speed, sizeof bits);
   atomic_store_explicit(&this->a_speed, bits, memory_order_relaxed);
}

/* Start the next pass (--loop): one average interval after the last record. */
static bool replay_restart(Replay* this) {
   int64_t gap = NS_PER_SEC;
   if (this->pass_records > 1 && this->last_eff > this->pass_first_eff)
      gap = replay_sub(this->last_eff, this->pass_first_eff) / (int64_t)(this->pass_records - 1);
   int64_t first_file_eff = replay_sub(this->pass_first_eff, this->loop_base);
   this->loop_base = replay_sub(replay_add(this->last_eff, gap), first_file_eff);
   this->pass_records = 0;
   for (uint32_t i = 0; i < this->n_files; i++) {
      replay_rewind(&this->files[i]);
      if (this->files[i].stopped) {
         replay_fail(this, this->files[i].error);
         return false;
      }
   }
   atomic_fetch_add_explicit(&this->a_loops, 1, memory_order_relaxed);
   return true;
}

static bool replay_next(Generator* gen, Record* out) {
   Replay* this = (Replay*)gen;
   if (this->done)
      return false;
   if (!this->clock_started) {
      this->clock_origin = Clock_now();
      this->clock_started = true;
   }
   ReplayFile* best;
   for (;;) {
      best = NULL;
      for (uint32_t i = 0; i < this->n_files; i++) {
         ReplayFile* f = &this->files[i];
         replay_fill(f);
         if (f->count == 0) {
            if (f->stopped) {
               replay_fail(this, f->error);
               this->done = true;
               atomic_store(&this->finished, true);
               return false;
            }
            continue;
         }
         if (!best || f->rows[f->head].t < best->rows[best->head].t)
            best = f;
      }
      if (best)
         break;
      if (!this->loop || this->pass_records == 0 || !replay_restart(this)) {
         this->done = true;
         atomic_store(&this->finished, true);
         return false;
      }
   }
   ReplayRow* row = &best->rows[best->head];
   best->head = (best->head + 1) % best->cap;
   best->count--;
   int64_t eff = replay_add(replay_sub(row->t, this->origin), this->loop_base);
   if (this->pass_records++ == 0)
      this->pass_first_eff = eff;
   out->value = row->value;
   out->sensor = row->sensor;
   out->seq = 0;
   this->prev_eff = this->have_last ? this->last_eff : 0;
   this->prev_rel = this->have_last ? this->last_rel : 0;
   if (this->speed == 0) {
      out->t_event = GENERATOR_ASAP;
      this->last_asap = true;
      /* an as-fast-as-possible record is played about now */
      this->last_rel = this->have_last ? this->last_rel : 0;
   } else {
      int64_t t = replay_schedule(this, eff);
      if (this->have_last && t < this->last_rel)
         t = this->last_rel;
      out->t_event = t;
      this->last_rel = t;
      this->last_asap = false;
   }
   this->last_eff = eff;
   this->have_last = true;
   atomic_store_explicit(&this->a_file, (int32_t)best->index, memory_order_relaxed);
   atomic_store_explicit(&this->a_unit, (int)best->unit, memory_order_relaxed);
   atomic_store_explicit(&this->a_time, row->t, memory_order_relaxed);
   atomic_store_explicit(&this->a_rel_time, replay_sub(row->t, this->origin), memory_order_relaxed);
   atomic_fetch_add_explicit(&this->a_records, 1, memory_order_relaxed);
   return true;
}

static void replay_paused(Generator* gen, int64_t pause_ns) {
   Replay* this = (Replay*)gen;
   this->paused_total += pause_ns;
}

static void replay_retune(Generator* gen, const Knobs* knobs) {
   Replay* this = (Replay*)gen;
   replay_setSpeed(this, knobs->speed > 0 ? knobs->speed : 0);
}

static void replay_retime(Generator* gen, Record* held) {
   Replay* this = (Replay*)gen;
   if (!this->have_last)
      return;
   if (this->speed == 0) {
      held->t_event = GENERATOR_ASAP;
      this->last_asap = true;
      return;
   }
   int64_t t = replay_schedule(this, this->last_eff);
   if (t < this->prev_rel)
      t = this->prev_rel;
   held->t_event = t;
   this->last_rel = t;
   this->last_asap = false;
}

static void replay_destroy(Generator* gen) {
   Replay* this = (Replay*)gen;
   for (uint32_t i = 0; i < this->n_files; i++) {
      ReplayFile* f = &this->files[i];
      if (f->fd >= 0)
         close(f->fd);
      csv_free(&f->csv);
      replay_freeColumns(f);
      free(f->buf);
      free(f->rows);
      free(f->comment);
      free(f->path);
   }
   free(this->files);
   for (uint32_t i = 0; i < this->n_names; i++)
      free(this->names[i]);
   free(this->names);
   free(this->hash);
   free(this->allow);
   free(this->cal);
   for (uint32_t i = 0; i < this->n_notes; i++) {
      free(this->note_key[i]);
      free(this->note_value[i]);
   }
   replay_specFree(&this->spec);
   if (this->c_locale)
      freelocale(this->c_locale);
   free(this);
}

static const GeneratorOps replay_ops = {
    .next = replay_next,
    .paused = replay_paused,
    .retune = replay_retune,
    .destroy = replay_destroy,
    .retime = replay_retime,
};

/* ------------------------------------------------------------- opening */

/* Read a file up to its first record, scanning sensor names on the way if it needs that. */
static bool replay_prime(Replay* this, ReplayFile* f, char* err, size_t errlen) {
   (void)this;
   while (!f->header_done && !f->stopped && !f->ended)
      replay_feed(f);
   if (f->mode == MODE_SCAN && !f->stopped) {
      while (!f->ended && !f->stopped)
         replay_feed(f);
      f->scanned = true;
      if (!f->stopped)
         replay_rewind(f);
   }
   replay_fill(f);
   if (f->count == 0 && f->stopped) {
      snprintf(err, errlen, "%s", f->error);
      return false;
   }
   if (f->count == 0) {
      if (f->pass_rows == 0)
         snprintf(err, errlen, "%s: no records after the header (line %llu)", f->path, (unsigned long long)f->row_line);
      else {
         const char* first = atomic_load(&this->n_kept) ? this->kept[0] : "";
         snprintf(err, errlen, "%s: no valid records: all %llu data rows are bad (first: %s)", f->path,
                  (unsigned long long)f->pass_rows, first);
      }
      return false;
   }
   return true;
}

Replay* Replay_new(const Options* options, char* err, size_t errlen) {
   if (options->replay.n == 0) {
      snprintf(err, errlen, "no --replay file");
      return NULL;
   }
   Replay* this = xcalloc(1, sizeof *this);
   this->gen.ops = &replay_ops;
   this->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
   if (!this->c_locale) {
      snprintf(err, errlen, "cannot create the C locale: %s", strerror(errno));
      free(this);
      return NULL;
   }
   this->on_bad = options->on_bad_row == REPLAY_BAD_SKIP ? REPLAY_BAD_SKIP : REPLAY_BAD_STOP;
   this->delim = (unsigned char)(options->delimiter ? options->delimiter : ',');
   this->loop = options->loop;
   this->unit_opt = options->time_unit >= 0 && options->time_unit < CSVTIME_OPTION_UNITS
                        ? (CsvTimeUnit)options->time_unit
                        : CSVTIME_AUTO;
   this->speed = options->setup.knobs.speed > 0 ? options->setup.knobs.speed : 0;
   uint64_t speed_bits;
   memcpy(&speed_bits, &this->speed, sizeof speed_bits);
   atomic_store(&this->a_speed, speed_bits);
   atomic_store(&this->a_file, -1);
   this->params.valid_lo = -INFINITY;
   this->params.valid_hi = INFINITY;
   if (!replay_specParse(options->columns, &this->spec, err, errlen)) {
      replay_destroy(&this->gen);
      return NULL;
   }
   this->n_files = options->replay.n;
   this->files = xcalloc(this->n_files, sizeof *this->files);
   for (uint32_t i = 0; i < this->n_files; i++) {
      this->files[i].fd = -1;
      this->files[i].owner = this;
      this->files[i].index = i;
      this->files[i].path = xstrdup(options->replay.item[i]);
   }
   bool ok = true;
   for (uint32_t i = 0; i < this->n_files && ok; i++) {
      ReplayFile* f = &this->files[i];
      replay_csvInit(f);
      ok = replay_open(f, err, errlen) && replay_prime(this, f, err, errlen);
      this->total_size += f->size;
   }
   if (ok) {
      this->recordings = this->files[0].recording;
      for (uint32_t i = 1; i < this->n_files && ok; i++) {
         if (this->files[i].recording != this->recordings) {
            snprintf(err, errlen, "%s and %s: a keepup recording cannot be replayed together with other CSV files",
                     this->files[0].path, this->files[i].path);
            ok = false;
         }
      }
   }
   if (!ok) {
      replay_destroy(&this->gen);
      return NULL;
   }
   if (this->recordings) {
      this->origin = 0; /* a recording's times already count from its start */
      for (uint32_t i = 0; i < this->n_files; i++)
         if (this->files[i].id_space > this->id_space)
            this->id_space = this->files[i].id_space;
   } else {
      this->origin = INT64_MAX;
      for (uint32_t i = 0; i < this->n_files; i++) {
         ReplayFile* f = &this->files[i];
         if (f->rows[f->head].t < this->origin)
            this->origin = f->rows[f->head].t;
      }
      this->id_space = this->n_names;
   }
   return this;
}

Generator* Replay_generator(Replay* this) {
   return &this->gen;
}

void Replay_delete(Replay* this) {
   if (this)
      replay_destroy(&this->gen);
}

bool Replay_isRecording(const Replay* this) {
   return this->recordings;
}

const PipelineParams* Replay_params(const Replay* this) {
   return this->recordings ? &this->params : NULL;
}

const char* Replay_note(const Replay* this, const char* key) {
   for (uint32_t i = 0; i < this->n_notes; i++)
      if (strcmp(this->note_key[i], key) == 0)
         return this->note_value[i];
   return NULL;
}

uint32_t Replay_idSpace(const Replay* this) {
   return this->id_space;
}

const char* const* Replay_names(const Replay* this) {
   return this->recordings ? NULL : (const char* const*)this->names;
}

const char* Replay_error(const Replay* this) {
   return atomic_load_explicit(&this->failed, memory_order_acquire) ? this->error : NULL;
}

uint64_t Replay_badRows(const Replay* this, const char** msgs, size_t max, size_t* n_msgs) {
   uint32_t k = atomic_load_explicit(&this->n_kept, memory_order_acquire);
   size_t n = k < max ? k : max;
   for (size_t i = 0; i < n; i++)
      msgs[i] = this->kept[i];
   if (n_msgs)
      *n_msgs = n;
   return atomic_load_explicit(&this->n_bad, memory_order_relaxed);
}

void Replay_position(const Replay* this, ReplayPosition* out) {
   memset(out, 0, sizeof *out);
   out->n_files = this->n_files;
   uint64_t consumed = 0;
   for (uint32_t i = 0; i < this->n_files; i++) {
      consumed += atomic_load_explicit(&this->files[i].a_consumed, memory_order_relaxed);
      out->rows += atomic_load_explicit(&this->files[i].a_rows, memory_order_relaxed);
   }
   out->percent = this->total_size ? 100.0 * (double)consumed / (double)this->total_size : 100.0;
   int32_t fi = atomic_load_explicit(&this->a_file, memory_order_relaxed);
   if (fi >= 0) {
      const ReplayFile* f = &this->files[fi];
      out->file = f->path;
      out->file_index = (uint32_t)fi;
      out->file_rows = atomic_load_explicit(&f->a_rows, memory_order_relaxed);
      uint64_t fc = atomic_load_explicit(&f->a_consumed, memory_order_relaxed);
      out->file_percent = f->size ? 100.0 * (double)fc / (double)f->size : 100.0;
      out->time_unit = (CsvTimeUnit)atomic_load_explicit(&this->a_unit, memory_order_relaxed);
   }
   out->records = atomic_load_explicit(&this->a_records, memory_order_relaxed);
   out->file_time = atomic_load_explicit(&this->a_time, memory_order_relaxed);
   out->t_recording_s = (double)atomic_load_explicit(&this->a_rel_time, memory_order_relaxed) / 1e9;
   uint64_t bits = atomic_load_explicit(&this->a_speed, memory_order_relaxed);
   memcpy(&out->speed, &bits, sizeof out->speed);
   out->loops = atomic_load_explicit(&this->a_loops, memory_order_relaxed);
   out->bad_rows = atomic_load_explicit(&this->n_bad, memory_order_relaxed);
   out->finished = atomic_load(&this->finished);
}
