/*
 * csvinput.c: a replayed file's descriptor. Opening never waits for a
 * FIFO's writer (non-blocking open, then blocking reads again); a stream is
 * polled before it is read by a caller that must not block. --follow polls
 * a file's size: it grows (read on), stays (nothing yet) or shrinks (read it
 * again from the start).
 */
#include "config.h"

#include "csv/csvinput.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/xalloc.h"

#define CSVINPUT_FOLLOW_POLL_NS (50 * NS_PER_MS) /* how often --follow looks at a file's size */

/* Open without waiting for a FIFO's writer, then read blocking as from any file. */
static int csvinput_openFd(const char* path) {
   int fd;
   do
      fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
   while (fd < 0 && errno == EINTR);
   if (fd >= 0) {
      int flags = fcntl(fd, F_GETFL);
      if (flags >= 0)
         fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
   }
   return fd;
}

const char* CsvInput_name(const CsvInput* this) {
   return this->is_stdin ? "<stdin>" : this->path;
}

bool CsvInput_open(CsvInput* this, const char* path, bool follow, char* err, size_t errlen) {
   memset(this, 0, sizeof *this);
   this->fd = -1;
   this->path = xstrdup(path);
   this->is_stdin = strcmp(path, "-") == 0;
   this->fd = this->is_stdin ? STDIN_FILENO : csvinput_openFd(path);
   if (this->fd < 0) {
      snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
      return false;
   }
   struct stat st;
   if (fstat(this->fd, &st) < 0) {
      snprintf(err, errlen, "%s: cannot read: %s", CsvInput_name(this), strerror(errno));
      return false;
   }
   if (S_ISREG(st.st_mode)) {
      this->kind = CSVINPUT_FILE;
      this->size = (uint64_t)st.st_size;
      posix_fadvise(this->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
   } else if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode)) {
      this->kind = CSVINPUT_STREAM;
   } else {
      snprintf(err, errlen, "%s: not a file, a pipe or a device (a directory?)", CsvInput_name(this));
      return false;
   }
   this->follow = follow;
   return true;
}

void CsvInput_close(CsvInput* this) {
   if (this->fd >= 0 && !this->is_stdin)
      close(this->fd);
   this->fd = -1;
   free(this->path);
   this->path = NULL;
}

/* --follow at the end of a file: has it grown, shrunk, or neither? */
static CsvInputRead csvinput_followEnd(CsvInput* this, char* err, size_t errlen) {
   struct stat st;
   if (fstat(this->fd, &st) < 0) {
      snprintf(err, errlen, "%s: cannot read: %s", CsvInput_name(this), strerror(errno));
      return CSVINPUT_FAILED;
   }
   this->size = (uint64_t)st.st_size;
   if (this->size < this->offset)
      return CSVINPUT_TRUNCATED;
   return CSVINPUT_NOTHING;
}

CsvInputRead CsvInput_read(CsvInput* this, void* buf, size_t cap, size_t* got, char* err, size_t errlen) {
   *got = 0;
   ssize_t n;
   do
      n = read(this->fd, buf, cap);
   while (n < 0 && errno == EINTR);
   if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK)
         return CSVINPUT_NOTHING; /* a descriptor someone else set non-blocking */
      snprintf(err, errlen, "%s: read failed: %s", CsvInput_name(this), strerror(errno));
      return CSVINPUT_FAILED;
   }
   if (n == 0) {
      if (this->follow && this->kind == CSVINPUT_FILE)
         return csvinput_followEnd(this, err, errlen);
      return CSVINPUT_END;
   }
   *got = (size_t)n;
   this->offset += (uint64_t)n;
   if (this->kind == CSVINPUT_FILE && this->offset > this->size)
      this->size = this->offset; /* grown since it was opened */
   return CSVINPUT_DATA;
}

/* Whether a followed file has something new: bytes past what was read, or fewer than that. */
static bool csvinput_followChanged(CsvInput* this) {
   struct stat st;
   return fstat(this->fd, &st) < 0 || (uint64_t)st.st_size != this->offset;
}

bool CsvInput_readyNow(CsvInput* this) {
   if (this->kind == CSVINPUT_FILE)
      return !this->follow || csvinput_followChanged(this);
   struct pollfd p = {.fd = this->fd, .events = POLLIN};
   return poll(&p, 1, 0) != 0;
}

bool CsvInput_ready(CsvInput* this, int64_t timeout_ns) {
   if (this->kind == CSVINPUT_FILE) {
      if (!this->follow)
         return true;
      int64_t end = Clock_now() + timeout_ns;
      for (;;) {
         if (csvinput_followChanged(this))
            return true;
         int64_t left = end - Clock_now();
         if (left <= 0)
            return false;
         Clock_sleepUntil(Clock_now() + (left < CSVINPUT_FOLLOW_POLL_NS ? left : CSVINPUT_FOLLOW_POLL_NS));
      }
   }
   struct pollfd p = {.fd = this->fd, .events = POLLIN};
   int ms = (int)((timeout_ns + NS_PER_MS - 1) / NS_PER_MS);
   return poll(&p, 1, ms) != 0; /* readable, hung up or failed: read() says which without blocking */
}

bool CsvInput_rewind(CsvInput* this, char* err, size_t errlen) {
   if (this->kind != CSVINPUT_FILE || lseek(this->fd, 0, SEEK_SET) < 0) {
      snprintf(err, errlen, "%s: cannot read it again: %s", CsvInput_name(this),
               this->kind != CSVINPUT_FILE ? "not a regular file" : strerror(errno));
      return false;
   }
   this->offset = 0;
   return true;
}

size_t CsvInput_tail(const CsvInput* this, char* buf, size_t cap) {
   if (this->kind != CSVINPUT_FILE || this->size == 0)
      return 0;
   uint64_t from = this->size > cap ? this->size - cap : 0;
   ssize_t n;
   do
      n = pread(this->fd, buf, (size_t)(this->size - from), (off_t)from);
   while (n < 0 && errno == EINTR);
   return n > 0 ? (size_t)n : 0;
}
