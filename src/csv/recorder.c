/*
 * recorder.c: --record. Data model: the tap (source thread) fills `cur`, a
 * chunk of raw Records; handing a chunk over appends it to the `full` FIFO
 * under the lock and takes an empty one from `spare` (or allocates one while
 * less than RECORDER_MAX_PENDING is queued). The writer thread pops chunks,
 * formats a whole chunk into text and writes it with one write(). All text
 * formatting happens on the writer thread, in the C locale, so a locale set
 * for the terminal can never turn "0.5" into "0,5" in the file.
 */
#include "config.h"

#include "csv/recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/fileopen.h"
#include "base/xalloc.h"
#include "csv/csvtext.h"
#include "csv/recformat.h"

#define RECORDER_CHUNK     4096
#define RECORDER_LINGER_NS (200 * NS_PER_MS) /* a partial chunk is handed over once its first record is this old */
#define RECORDER_LINE_MAX  80 /* "-9223372036.854775808,4294967295,-2.2250738585072014e-308\n" fits */
#define RECORDER_NAME_MAX  (2 * PIPELINE_NAME_MAX + 3) /* a name as a quoted CSV field */

typedef struct RecorderChunk {
   struct RecorderChunk* next;
   uint32_t n;
   Record rec[RECORDER_CHUNK];
} RecorderChunk;

struct Recorder {
   char* path;
   int fd;
   const char* const* names; /* by id, NULL: ids; may grow (a name is set before its first record is tapped) */
   locale_t c_locale;

   /* the header, complete once sealed (by the writer, before it writes anything) */
   char* header;
   size_t header_len, header_cap;
   bool sealed;

   /* source thread only, with the counter it publishes on a cache line of their own */
   _Alignas(64) RecorderChunk* cur;
   int64_t cur_first_t;
   uint64_t taken;
   _Atomic uint64_t a_taken;

   /* under lock */
   _Alignas(64) pthread_mutex_t lock;
   pthread_cond_t work;  /* the writer waits for chunks */
   pthread_cond_t space; /* the tap waits for a spare chunk */
   RecorderChunk* full_head;
   RecorderChunk* full_tail;
   RecorderChunk* spare;
   size_t chunks; /* allocated, in any list or in use */
   bool closing;
   pthread_t writer;

   /* written by the writer, read by any thread */
   _Alignas(64) _Atomic uint64_t a_written;
   _Atomic uint64_t a_bytes;
   _Atomic uint64_t a_lost;
   _Atomic int64_t a_stall_ns;
   atomic_bool failed;
   int err_no;
   char error[512];
};

/* The header's RecFormatSink: ctx is the Recorder. */
static void recorder_append(void* ctx, const char* text, size_t len) {
   Recorder* this = ctx;
   if (this->header_len + len + 1 > this->header_cap) {
      while (this->header_len + len + 1 > this->header_cap)
         this->header_cap = this->header_cap ? this->header_cap * 2 : 4096;
      this->header = xrealloc(this->header, this->header_cap);
   }
   memcpy(this->header + this->header_len, text, len);
   this->header_len += len;
   this->header[this->header_len] = '\0';
}

/* Write all of buf; false with errno set on failure. */
static bool recorder_writeAll(int fd, const char* buf, size_t len) {
   while (len) {
      ssize_t n = write(fd, buf, len);
      if (n < 0) {
         if (errno == EINTR)
            continue;
         return false;
      }
      if (n == 0) {
         errno = EIO;
         return false;
      }
      buf += n;
      len -= (size_t)n;
   }
   return true;
}

static void recorder_fail(Recorder* this, int err_no, const char* what) {
   if (atomic_load(&this->failed))
      return;
   this->err_no = err_no;
   snprintf(this->error, sizeof this->error, "%s: %s after %llu records: %s", this->path, what,
            (unsigned long long)atomic_load(&this->a_written), strerror(err_no));
   atomic_store_explicit(&this->failed, true, memory_order_release);
}

static char* recorder_u64(char* p, uint64_t v) {
   char tmp[20];
   int n = 0;
   do {
      tmp[n++] = (char)('0' + v % 10);
      v /= 10;
   } while (v);
   while (n)
      *p++ = tmp[--n];
   return p;
}

/* One line: all nine decimals of the event time's seconds (exact), the id or the name, the value in 17
 * digits (exact; empty when missing). */
static size_t recorder_line(char* out, const Record* r, const char* const* names) {
   char* p = out;
   int64_t t = r->t_event;
   uint64_t mag = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
   if (t < 0)
      *p++ = '-';
   p = recorder_u64(p, mag / 1000000000u);
   *p++ = '.';
   uint32_t frac = (uint32_t)(mag % 1000000000u);
   for (int i = 8; i >= 0; i--) {
      p[i] = (char)('0' + frac % 10);
      frac /= 10;
   }
   p += 9;
   *p++ = ',';
   if (names && names[r->sensor])
      p += CsvText_field(p, names[r->sensor], ',');
   else
      p = recorder_u64(p, r->sensor);
   *p++ = ',';
   if (!Record_isMissing(r->value)) {
      int n = snprintf(p, 32, "%.17g", r->value);
      p += n > 0 ? n : 0;
   }
   *p++ = '\n';
   return (size_t)(p - out);
}

static void recorder_writeText(Recorder* this, const char* text, size_t len, uint64_t records) {
   if (atomic_load_explicit(&this->failed, memory_order_relaxed)) {
      atomic_fetch_add_explicit(&this->a_lost, records, memory_order_relaxed);
      return;
   }
   if (!recorder_writeAll(this->fd, text, len)) {
      recorder_fail(this, errno, "write failed");
      atomic_fetch_add_explicit(&this->a_lost, records, memory_order_relaxed);
      return;
   }
   atomic_fetch_add_explicit(&this->a_bytes, len, memory_order_relaxed);
   atomic_fetch_add_explicit(&this->a_written, records, memory_order_relaxed);
}

static void* recorder_main(void* arg) {
   Recorder* this = arg;
   uselocale(this->c_locale);
   size_t line_max = RECORDER_LINE_MAX + (this->names ? RECORDER_NAME_MAX : 0);
   char* text = xmalloc((size_t)RECORDER_CHUNK * line_max);
   bool header_done = false;
   pthread_mutex_lock(&this->lock);
   for (;;) {
      while (!this->full_head && !this->closing)
         pthread_cond_wait(&this->work, &this->lock);
      RecorderChunk* c = this->full_head;
      if (c) {
         this->full_head = c->next;
         if (!this->full_head)
            this->full_tail = NULL;
      }
      this->sealed = true; /* Recorder_note cannot change the header from now on */
      pthread_mutex_unlock(&this->lock);
      if (!header_done) {
         RecFormat_writeColumns(recorder_append, this);
         recorder_writeText(this, this->header, this->header_len, 0);
         header_done = true;
      }
      if (!c) {
         pthread_mutex_lock(&this->lock);
         break;
      }
      size_t len = 0;
      for (uint32_t i = 0; i < c->n; i++)
         len += recorder_line(text + len, &c->rec[i], this->names);
      recorder_writeText(this, text, len, c->n);
      pthread_mutex_lock(&this->lock);
      c->n = 0;
      c->next = this->spare;
      this->spare = c;
      pthread_cond_signal(&this->space);
   }
   pthread_mutex_unlock(&this->lock);
   free(text);
   return NULL;
}

Recorder* Recorder_open(const char* path, const PipelineParams* params, char* err, size_t errlen) {
   char why[256];
   int fd = FileOpen_write(path, why, sizeof why);
   if (fd < 0) {
      snprintf(err, errlen, "cannot create %s: %s", path, why);
      return NULL;
   }
   locale_t c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
   if (!c_locale) {
      snprintf(err, errlen, "cannot record to %s: no C locale: %s", path, strerror(errno));
      close(fd);
      return NULL;
   }
   Recorder* this = aligned_alloc(64, (sizeof(Recorder) + 63) / 64 * 64);
   if (!this) {
      snprintf(err, errlen, "cannot record to %s: out of memory", path);
      close(fd);
      freelocale(c_locale);
      return NULL;
   }
   memset(this, 0, sizeof *this);
   this->path = xstrdup(path);
   this->fd = fd;
   this->names = params->names;
   this->c_locale = c_locale;
   RecFormat_writeHeader(params, c_locale, recorder_append, this);
   pthread_mutex_init(&this->lock, NULL);
   pthread_cond_init(&this->work, NULL);
   pthread_cond_init(&this->space, NULL);
   this->cur = xmalloc(sizeof *this->cur);
   this->cur->n = 0;
   this->chunks = 1;
   /* the writer takes no signals: they go to the threads that handle them */
   sigset_t all, old;
   sigfillset(&all);
   pthread_sigmask(SIG_SETMASK, &all, &old);
   int rc = pthread_create(&this->writer, NULL, recorder_main, this);
   pthread_sigmask(SIG_SETMASK, &old, NULL);
   if (rc != 0) {
      snprintf(err, errlen, "cannot record to %s: no writer thread: %s", path, strerror(rc));
      close(fd);
      pthread_mutex_destroy(&this->lock);
      pthread_cond_destroy(&this->work);
      pthread_cond_destroy(&this->space);
      freelocale(c_locale);
      free(this->cur);
      free(this->header);
      free(this->path);
      free(this);
      return NULL;
   }
   return this;
}

bool Recorder_note(Recorder* this, const char* key, const char* value) {
   if (!RecFormat_noteOk(key, value))
      return false;
   pthread_mutex_lock(&this->lock);
   bool ok = !this->sealed && atomic_load(&this->a_taken) == 0;
   if (ok)
      RecFormat_writeNote(key, value, recorder_append, this);
   pthread_mutex_unlock(&this->lock);
   return ok;
}

/* Queue cur for the writer and take an empty chunk (caller holds no lock). */
static void recorder_handOver(Recorder* this, bool need_spare) {
   pthread_mutex_lock(&this->lock);
   RecorderChunk* c = this->cur;
   c->next = NULL;
   if (this->full_tail)
      this->full_tail->next = c;
   else
      this->full_head = c;
   this->full_tail = c;
   this->cur = NULL;
   pthread_cond_signal(&this->work);
   if (need_spare) {
      if (!this->spare && this->chunks * sizeof(RecorderChunk) >= RECORDER_MAX_PENDING) {
         int64_t t = Clock_now();
         while (!this->spare)
            pthread_cond_wait(&this->space, &this->lock);
         atomic_fetch_add_explicit(&this->a_stall_ns, Clock_now() - t, memory_order_relaxed);
      }
      if (this->spare) {
         this->cur = this->spare;
         this->spare = this->cur->next;
      } else {
         this->cur = xmalloc(sizeof *this->cur);
         this->chunks++;
      }
      this->cur->n = 0;
   }
   pthread_mutex_unlock(&this->lock);
}

void Recorder_tap(void* ctx, const Record* rec) {
   Recorder* this = ctx;
   atomic_store_explicit(&this->a_taken, ++this->taken, memory_order_relaxed);
   if (atomic_load_explicit(&this->failed, memory_order_relaxed)) {
      atomic_fetch_add_explicit(&this->a_lost, 1, memory_order_relaxed);
      return;
   }
   RecorderChunk* c = this->cur;
   if (c->n == 0)
      this->cur_first_t = rec->t_arrival;
   c->rec[c->n++] = *rec;
   if (c->n == RECORDER_CHUNK || rec->t_arrival - this->cur_first_t >= RECORDER_LINGER_NS)
      recorder_handOver(this, true);
}

const char* Recorder_error(const Recorder* this) {
   return atomic_load_explicit(&this->failed, memory_order_acquire) ? this->error : NULL;
}

void Recorder_stats(const Recorder* this, RecorderStats* out) {
   out->path = this->path;
   out->records = atomic_load_explicit(&this->a_taken, memory_order_relaxed);
   out->written = atomic_load_explicit(&this->a_written, memory_order_relaxed);
   out->bytes = atomic_load_explicit(&this->a_bytes, memory_order_relaxed);
   out->lost = atomic_load_explicit(&this->a_lost, memory_order_relaxed);
   out->stall_ns = atomic_load_explicit(&this->a_stall_ns, memory_order_relaxed);
   out->failed = atomic_load_explicit(&this->failed, memory_order_acquire);
}

int Recorder_close(Recorder* this, char* err, size_t errlen) {
   if (this->cur && this->cur->n)
      recorder_handOver(this, false);
   pthread_mutex_lock(&this->lock);
   this->closing = true;
   pthread_cond_signal(&this->work);
   pthread_mutex_unlock(&this->lock);
   pthread_join(this->writer, NULL);
   if (close(this->fd) < 0 && !atomic_load(&this->failed))
      recorder_fail(this, errno, "closing failed");
   int status = 0;
   if (atomic_load(&this->failed)) {
      status = this->err_no ? this->err_no : EIO;
      if (err && errlen)
         snprintf(err, errlen, "%s", this->error);
   } else if (err && errlen) {
      err[0] = '\0';
   }
   free(this->cur);
   while (this->spare) {
      RecorderChunk* next = this->spare->next;
      free(this->spare);
      this->spare = next;
   }
   pthread_mutex_destroy(&this->lock);
   pthread_cond_destroy(&this->work);
   pthread_cond_destroy(&this->space);
   freelocale(this->c_locale);
   free(this->header);
   free(this->path);
   free(this);
   return status;
}
