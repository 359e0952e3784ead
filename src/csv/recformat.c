/*
 * recformat.c: a recording's header, written and read. Every number is
 * written so that it reads back the same: integers in decimal, doubles with
 * 17 significant digits ("inf" and "-inf" for an open range). Long lists
 * (the allowlist, the calibration) are split into lines of
 * RECFORMAT_PER_LINE entries after a count line, so no line grows with the
 * fleet and the reader can allocate once.
 */
#include "config.h"

#include "csv/recformat.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/textlist.h"
#include "base/xalloc.h"
#include "csv/csvnum.h"

#define RECFORMAT_PER_LINE    256     /* allowlist ids or calibration entries per header line */
#define RECFORMAT_VERSION_MAX 1000000 /* a larger version number is not a version */

const RecFormatKeyInfo RecFormat_keys[RECFORMAT_KEY_LAST] = {
    [RECFORMAT_MAGIC] = {"keepup-recording", false},
    [RECFORMAT_PROGRAM] = {"version", false},
    [RECFORMAT_SENSORS] = {"sensors", true},
    [RECFORMAT_WINDOW] = {"window", true},
    [RECFORMAT_THRESHOLD] = {"threshold", true},
    [RECFORMAT_RANGE] = {"valid-range", true},
    [RECFORMAT_CACHE] = {"cache", true},
    [RECFORMAT_ENRICH] = {"enrich-work", true},
    [RECFORMAT_ALLOW_COUNT] = {"allow-count", false},
    [RECFORMAT_ALLOW] = {"allow", false},
    [RECFORMAT_CAL_COUNT] = {"cal-count", false},
    [RECFORMAT_CAL] = {"cal", false},
    [RECFORMAT_NAMES] = {"names", false},
};

/* ---------------------------------------------------------------- writing */

static void recformat_printf(RecFormatSink* sink, void* ctx, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void recformat_printf(RecFormatSink* sink, void* ctx, const char* fmt, ...) {
   char text[256];
   va_list ap;
   va_start(ap, fmt);
   int n = vsnprintf(text, sizeof text, fmt, ap);
   va_end(ap);
   if (n > 0)
      sink(ctx, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
}

static const char* recformat_name(RecFormatKey key) {
   return RecFormat_keys[key].name;
}

/* "# allow-count N" then "# allow 1,2,3" lines; the same for "cal". */
static void recformat_writeList(const PipelineParams* p, bool cal, RecFormatSink* sink, void* ctx) {
   uint32_t n = cal ? p->n_cal : p->n_allow;
   recformat_printf(sink, ctx, "# %s %u\n", recformat_name(cal ? RECFORMAT_CAL_COUNT : RECFORMAT_ALLOW_COUNT), n);
   for (uint32_t i = 0; i < n; i++) {
      if (i % RECFORMAT_PER_LINE == 0)
         recformat_printf(sink, ctx, "# %s ", recformat_name(cal ? RECFORMAT_CAL : RECFORMAT_ALLOW));
      else
         sink(ctx, ",", 1);
      if (cal)
         recformat_printf(sink, ctx, "%u:%.17g:%.17g", p->cal[i].sensor, p->cal[i].offset, p->cal[i].gain);
      else
         recformat_printf(sink, ctx, "%u", p->allow[i]);
      if (i % RECFORMAT_PER_LINE == RECFORMAT_PER_LINE - 1 || i + 1 == n)
         sink(ctx, "\n", 1);
   }
}

void RecFormat_writeHeader(const PipelineParams* p, locale_t c_locale, RecFormatSink* sink, void* ctx) {
   locale_t old = uselocale(c_locale);
   recformat_printf(sink, ctx, "# %s %d\n", recformat_name(RECFORMAT_MAGIC), RECFORMAT_VERSION);
   recformat_printf(sink, ctx, "# %s %s\n", recformat_name(RECFORMAT_PROGRAM), PACKAGE_VERSION);
   recformat_printf(sink, ctx, "# %s %u\n", recformat_name(RECFORMAT_SENSORS), p->id_space);
   recformat_printf(sink, ctx, "# %s %u\n", recformat_name(RECFORMAT_WINDOW), p->window);
   recformat_printf(sink, ctx, "# %s %.17g\n", recformat_name(RECFORMAT_THRESHOLD), p->threshold);
   recformat_printf(sink, ctx, "# %s %.17g:%.17g\n", recformat_name(RECFORMAT_RANGE), p->valid_lo, p->valid_hi);
   recformat_printf(sink, ctx, "# %s %u\n", recformat_name(RECFORMAT_CACHE), p->cache_capacity);
   recformat_printf(sink, ctx, "# %s %u\n", recformat_name(RECFORMAT_ENRICH), p->enrich_work);
   if (p->allow)
      recformat_writeList(p, false, sink, ctx);
   if (p->cal)
      recformat_writeList(p, true, sink, ctx);
   if (p->names)
      recformat_printf(sink, ctx, "# %s yes\n", recformat_name(RECFORMAT_NAMES));
   uselocale(old);
}

static int recformat_find(const char* name) {
   for (int k = 0; k < RECFORMAT_KEY_LAST; k++)
      if (strcmp(name, RecFormat_keys[k].name) == 0)
         return k;
   return -1;
}

bool RecFormat_noteOk(const char* key, const char* value) {
   return *key && strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(key) && !strpbrk(value, "\r\n") &&
          recformat_find(key) < 0;
}

void RecFormat_writeNote(const char* key, const char* value, RecFormatSink* sink, void* ctx) {
   sink(ctx, "# ", 2);
   sink(ctx, key, strlen(key));
   sink(ctx, " ", 1);
   sink(ctx, value, strlen(value));
   sink(ctx, "\n", 1);
}

void RecFormat_writeColumns(RecFormatSink* sink, void* ctx) {
   static const char columns[] = "time_s,sensor,value\n";
   sink(ctx, columns, sizeof columns - 1);
}

/* ---------------------------------------------------------------- reading */

void RecFormat_init(RecFormatHeader* this, bool all_keys, locale_t c_locale) {
   memset(this, 0, sizeof *this);
   this->all_keys = all_keys;
   this->c_locale = c_locale;
   this->params.valid_lo = -INFINITY;
   this->params.valid_hi = INFINITY;
}

void RecFormat_done(RecFormatHeader* this) {
   free(this->allow);
   free(this->cal);
   for (uint32_t i = 0; i < this->n_notes; i++) {
      free(this->note_key[i]);
      free(this->note_value[i]);
   }
   memset(this, 0, sizeof *this);
}

RecFormatFirst RecFormat_readFirst(RecFormatHeader* this, const char* text, char* why, size_t whylen) {
   const char* magic = recformat_name(RECFORMAT_MAGIC);
   size_t n = strlen(magic);
   if (text[0] != ' ' || strncmp(text + 1, magic, n) != 0 || text[1 + n] != ' ')
      return RECFORMAT_OTHER;
   uint32_t version;
   if (!CsvNum_parseU32(text + 2 + n, RECFORMAT_VERSION_MAX, &version) || version == 0) {
      snprintf(why, whylen, "bad recording format line");
      return RECFORMAT_UNREADABLE;
   }
   if (version > RECFORMAT_VERSION) {
      snprintf(why, whylen, "recording format %u is newer than this keepup reads (%d)", version, RECFORMAT_VERSION);
      return RECFORMAT_UNREADABLE;
   }
   this->version = version;
   return RECFORMAT_RECORDING;
}

static bool recformat_double(const RecFormatHeader* this, const char* s, double* out) {
   char* end;
   errno = 0;
   double v = strtod_l(s, &end, this->c_locale);
   if (end == s || *end || (errno == ERANGE && isinf(v)))
      return false;
   *out = v;
   return true;
}

static void recformat_note(RecFormatHeader* this, const char* key, const char* value) {
   for (uint32_t i = 0; i < this->n_notes; i++) {
      if (strcmp(this->note_key[i], key) == 0) {
         free(this->note_value[i]);
         this->note_value[i] = xstrdup(value);
         return;
      }
   }
   if (this->n_notes < RECFORMAT_NOTES) {
      this->note_key[this->n_notes] = xstrdup(key);
      this->note_value[this->n_notes] = xstrdup(value);
      this->n_notes++;
   }
}

/* "# allow-count N" or "# cal-count N": the list's room. */
static bool recformat_count(RecFormatHeader* this, bool cal, const char* value) {
   if (cal) {
      if (this->have_cal || !CsvNum_parseU32(value, RECFORMAT_CAL_MAX, &this->cal_expected))
         return false;
      this->have_cal = true;
      this->cal = xmalloc(((size_t)this->cal_expected + 1) * sizeof *this->cal);
   } else {
      if (this->have_allow || !CsvNum_parseU32(value, RECFORMAT_ALLOW_MAX, &this->allow_expected))
         return false;
      this->have_allow = true;
      this->allow = xmalloc(((size_t)this->allow_expected + 1) * sizeof *this->allow);
   }
   return true;
}

/* "# allow 1,2,3": append ids. */
static bool recformat_allowLine(RecFormatHeader* this, char* value) {
   if (!this->have_allow || TextList_hasEmpty(value, ','))
      return false;
   char* save = NULL;
   for (char* tok = strtok_r(value, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      uint32_t id;
      if (this->params.n_allow >= this->allow_expected || !CsvNum_parseU32(tok, UINT32_MAX, &id))
         return false;
      this->allow[this->params.n_allow++] = id;
   }
   return true;
}

/* "# cal 3:0.5:1.25,7:0:2": append id:offset:gain entries. */
static bool recformat_calLine(RecFormatHeader* this, char* value) {
   if (!this->have_cal || TextList_hasEmpty(value, ','))
      return false;
   char* save = NULL;
   for (char* tok = strtok_r(value, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      char* c1 = strchr(tok, ':');
      char* c2 = c1 ? strchr(c1 + 1, ':') : NULL;
      if (!c2 || this->params.n_cal >= this->cal_expected)
         return false;
      *c1 = *c2 = '\0';
      CalEntry* e = &this->cal[this->params.n_cal];
      if (!CsvNum_parseU32(tok, UINT32_MAX, &e->sensor) || !recformat_double(this, c1 + 1, &e->offset) ||
          !recformat_double(this, c2 + 1, &e->gain))
         return false;
      this->params.n_cal++;
   }
   return true;
}

/* "LO:HI", either side possibly negative or infinite, LO below HI (as --valid-range). */
static bool recformat_range(RecFormatHeader* this, char* value) {
   char* colon = strchr(value + (value[0] == '-'), ':');
   if (!colon)
      return false;
   *colon = '\0';
   bool ok = recformat_double(this, value, &this->params.valid_lo) &&
             recformat_double(this, colon + 1, &this->params.valid_hi);
   *colon = ':';
   return ok && this->params.valid_lo < this->params.valid_hi;
}

/* What a key's value must be, for a message. */
static void recformat_expected(RecFormatKey key, char* buf, size_t len) {
   switch (key) {
   case RECFORMAT_SENSORS:
      snprintf(buf, len, "a whole number from 1 to %u", RECFORMAT_IDS_MAX);
      break;
   case RECFORMAT_WINDOW:
      snprintf(buf, len, "a whole number from 1 to %u (as --window)", KEEPUP_WINDOW_MAX);
      break;
   case RECFORMAT_THRESHOLD:
      snprintf(buf, len, "a number from %g to %g (as --threshold)", SETUP_THRESHOLD_MIN, SETUP_THRESHOLD_MAX);
      break;
   case RECFORMAT_RANGE:
      snprintf(buf, len, "LO:HI with LO < HI (as --valid-range)");
      break;
   case RECFORMAT_CACHE:
      snprintf(buf, len, "a whole number from 1 to %u (as --cache)", SETUP_CACHE_MAX);
      break;
   case RECFORMAT_ENRICH:
      snprintf(buf, len, "a whole number from 0 to %u", KEEPUP_ENRICH_WORK_MAX);
      break;
   case RECFORMAT_ALLOW_COUNT:
   case RECFORMAT_CAL_COUNT:
      snprintf(buf, len, "a whole number up to %u, given once",
               key == RECFORMAT_ALLOW_COUNT ? RECFORMAT_ALLOW_MAX : RECFORMAT_CAL_MAX);
      break;
   case RECFORMAT_ALLOW:
   case RECFORMAT_CAL:
      snprintf(buf, len, "%s after '# %s', as many as it says, no empty item",
               key == RECFORMAT_ALLOW ? "ids" : "ID:OFFSET:GAIN entries",
               recformat_name(key == RECFORMAT_ALLOW ? RECFORMAT_ALLOW_COUNT : RECFORMAT_CAL_COUNT));
      break;
   case RECFORMAT_NAMES:
      snprintf(buf, len, "yes");
      break;
   case RECFORMAT_MAGIC:
   case RECFORMAT_PROGRAM:
   case RECFORMAT_KEY_LAST:
      snprintf(buf, len, "a value");
      break;
   }
}

/* The value of a key the first file gives in full, bounded as its option; false when it is not one. */
static bool recformat_value(RecFormatHeader* this, RecFormatKey key, char* value) {
   PipelineParams* p = &this->params;
   switch (key) {
   case RECFORMAT_WINDOW:
      return CsvNum_parseU32(value, KEEPUP_WINDOW_MAX, &p->window) && p->window > 0;
   case RECFORMAT_THRESHOLD:
      return recformat_double(this, value, &p->threshold) && p->threshold >= SETUP_THRESHOLD_MIN &&
             p->threshold <= SETUP_THRESHOLD_MAX;
   case RECFORMAT_RANGE:
      return recformat_range(this, value);
   case RECFORMAT_CACHE:
      return CsvNum_parseU32(value, SETUP_CACHE_MAX, &p->cache_capacity) && p->cache_capacity > 0;
   case RECFORMAT_ENRICH:
      return CsvNum_parseU32(value, KEEPUP_ENRICH_WORK_MAX, &p->enrich_work);
   case RECFORMAT_ALLOW_COUNT:
   case RECFORMAT_CAL_COUNT:
      return recformat_count(this, key == RECFORMAT_CAL_COUNT, value);
   case RECFORMAT_ALLOW:
      return recformat_allowLine(this, value);
   case RECFORMAT_CAL:
      return recformat_calLine(this, value);
   case RECFORMAT_MAGIC:
   case RECFORMAT_PROGRAM:
   case RECFORMAT_SENSORS:
   case RECFORMAT_NAMES:
   case RECFORMAT_KEY_LAST:
      break;
   }
   return true;
}

bool RecFormat_readLine(RecFormatHeader* this, char* text, char* why, size_t whylen) {
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
   int k = recformat_find(key);
   bool ok = true;
   char shown[48]; /* the value as it was: the lists are split in place */
   snprintf(shown, sizeof shown, "%.40s%s", value, vlen > 40 ? "..." : "");
   if (k == RECFORMAT_MAGIC) {
      return true;
   } else if (k == RECFORMAT_SENSORS) {
      ok = CsvNum_parseU32(value, RECFORMAT_IDS_MAX, &this->id_space) && this->id_space > 0;
      if (ok && this->all_keys)
         this->params.id_space = this->id_space;
   } else if (k == RECFORMAT_NAMES) {
      ok = strcmp(value, "yes") == 0;
      this->names = ok;
   } else if (!this->all_keys) {
      return true; /* only the first recording's parameters are used */
   } else if (k < 0 || k == RECFORMAT_PROGRAM) {
      recformat_note(this, key, value);
   } else {
      ok = recformat_value(this, (RecFormatKey)k, value);
   }
   if (k >= 0)
      this->seen |= 1u << k;
   if (!ok) {
      char expected[160];
      recformat_expected((RecFormatKey)k, expected, sizeof expected);
      snprintf(why, whylen, "recording header '# %.40s %s': expected %s", key, shown, expected);
   }
   return ok;
}

bool RecFormat_readEnd(RecFormatHeader* this, char* why, size_t whylen) {
   if (!this->version || this->ended)
      return true;
   this->ended = true;
   if (this->id_space == 0) {
      snprintf(why, whylen, "recording header lacks '# %s'", recformat_name(RECFORMAT_SENSORS));
      return false;
   }
   if (!this->all_keys)
      return true;
   unsigned required = 0;
   for (int k = 0; k < RECFORMAT_KEY_LAST; k++)
      if (RecFormat_keys[k].required)
         required |= 1u << k;
   if ((this->seen & required) != required) {
      size_t at = (size_t)snprintf(why, whylen, "recording header lacks one of");
      const char* sep = " ";
      for (int k = 0; k < RECFORMAT_KEY_LAST && at < whylen; k++) {
         if (RecFormat_keys[k].required) {
            at += (size_t)snprintf(why + at, whylen - at, "%s%s", sep, RecFormat_keys[k].name);
            sep = ", ";
         }
      }
      return false;
   }
   if ((this->have_allow && this->params.n_allow != this->allow_expected) ||
       (this->have_cal && this->params.n_cal != this->cal_expected)) {
      snprintf(why, whylen, "recording header: the allow or cal lines do not match their count");
      return false;
   }
   this->params.allow = this->have_allow ? this->allow : NULL;
   this->params.cal = this->have_cal ? this->cal : NULL;
   return true;
}

const char* RecFormat_note(const RecFormatHeader* this, const char* key) {
   for (uint32_t i = 0; i < this->n_notes; i++)
      if (strcmp(this->note_key[i], key) == 0)
         return this->note_value[i];
   return NULL;
}
