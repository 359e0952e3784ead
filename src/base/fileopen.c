/* fileopen.c: opens that cannot hang, and file identities by device and inode. */
#include "config.h"

#include "base/fileopen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool fileopen_closed[3]; /* the standard descriptors that were closed at start */

void FileOpen_standardFds(void) {
   for (int fd = 0; fd <= 2; fd++) {
      if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
         continue;
      fileopen_closed[fd] = true;
      /* open returns the lowest free descriptor: this one */
      int got = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
      if (got >= 0 && got != fd)
         close(got);
   }
}

bool FileOpen_flushed(FILE* f, char* why, size_t whylen) {
   int fd = fileno(f);
   errno = 0;
   bool ok = fflush(f) == 0 && !ferror(f);
   if (!ok) /* the error flag may come from an earlier write, whose errno is gone */
      snprintf(why, whylen, "%s", errno ? strerror(errno) : "a write to it failed");
   else if (fd >= 0 && fd <= 2 && fileopen_closed[fd])
      snprintf(why, whylen, "it was closed when keepup started");
   return ok && !(fd >= 0 && fd <= 2 && fileopen_closed[fd]);
}

/* Back to blocking writes and reads once the open itself is done. */
static void fileopen_blocking(int fd) {
   int flags = fcntl(fd, F_GETFL);
   if (flags >= 0)
      fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
}

int FileOpen_write(const char* path, char* err, size_t errlen) {
   int fd;
   do
      fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK, 0644);
   while (fd < 0 && errno == EINTR);
   if (fd < 0) {
      if (errno == ENXIO)
         snprintf(err, errlen, "a FIFO with no reader: start the reader first");
      else
         snprintf(err, errlen, "%s", strerror(errno));
      return -1;
   }
   fileopen_blocking(fd);
   return fd;
}

int FileOpen_read(const char* path, char* err, size_t errlen) {
   int fd;
   do
      fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
   while (fd < 0 && errno == EINTR);
   if (fd < 0) {
      snprintf(err, errlen, "%s", strerror(errno));
      return -1;
   }
   fileopen_blocking(fd);
   return fd;
}

static void fileid_ofStat(FileId* this, const struct stat* st) {
   if (S_ISREG(st->st_mode) || S_ISFIFO(st->st_mode) || S_ISDIR(st->st_mode)) {
      this->kind = FILEID_INODE;
      this->dev = st->st_dev;
      this->ino = st->st_ino;
   }
}

void FileId_ofPath(FileId* this, const char* path) {
   memset(this, 0, sizeof *this);
   struct stat st;
   if (stat(path, &st) == 0) {
      fileid_ofStat(this, &st);
      return;
   }
   if (errno != ENOENT)
      return;
   /* not there yet: the directory it would be created in, and its name there */
   char dir[4096];
   const char* slash = strrchr(path, '/');
   const char* name = slash ? slash + 1 : path;
   if (!*name || strlen(name) >= sizeof this->name)
      return;
   if (!slash)
      snprintf(dir, sizeof dir, ".");
   else if (slash == path)
      snprintf(dir, sizeof dir, "/");
   else
      snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
   if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
      return;
   this->kind = FILEID_NEW;
   this->dev = st.st_dev;
   this->ino = st.st_ino;
   snprintf(this->name, sizeof this->name, "%s", name);
}

void FileId_ofFd(FileId* this, int fd) {
   memset(this, 0, sizeof *this);
   struct stat st;
   if (fstat(fd, &st) == 0)
      fileid_ofStat(this, &st);
}

bool FileId_same(const FileId* a, const FileId* b) {
   if (a->kind == FILEID_NONE || a->kind != b->kind || a->dev != b->dev || a->ino != b->ino)
      return false;
   return a->kind == FILEID_INODE || strcmp(a->name, b->name) == 0;
}
