/*
 * fileopen.h: opening the files a run names without ever hanging, and
 * telling whether two names are one file.
 *
 * open(2) blocks on a FIFO until the other end shows up: forever, and
 * deaf to SIGINT's flag, when it never does. These open every file
 * non-blocking first and then decide: an output FIFO without a reader is
 * refused with a message (ENXIO), an input FIFO opens at once and its
 * reader decides what to do with it. The descriptor they return blocks
 * again, as any other file's.
 *
 * A FileId says which file a name means, so that an output never
 * overwrites an input or another output: the same device and inode for a
 * file that exists (symbolic and hard links included), the same directory
 * and last component for one that does not exist yet. Character devices
 * (/dev/null, a terminal) and sockets are never "the same file": writing
 * to one twice overwrites nothing.
 */
#ifndef KEEPUP_FILEOPEN_H
#define KEEPUP_FILEOPEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#define FILEOPEN_NAME_MAX 256

/* Make sure descriptors 0, 1 and 2 are open (on /dev/null when they were
 * closed), so that the first file opened cannot become standard output. */
void FileOpen_standardFds(void);
/* Whether what was printed on f (stdout or stderr) reached it: flushed, no write error, and its descriptor
 * was open when the program started (what went to a closed one stands in for nothing). false with the
 * reason in why. */
bool FileOpen_flushed(FILE* f, char* why, size_t whylen);

/* Create or truncate path for writing (mode 0644, close-on-exec); -1 with
 * the reason in err ("a FIFO with no reader: start the reader first", or
 * strerror's text). */
int FileOpen_write(const char* path, char* err, size_t errlen);
/* Open path for reading (close-on-exec), never waiting for a FIFO's
 * writer; -1 with strerror's text in err. */
int FileOpen_read(const char* path, char* err, size_t errlen);

typedef enum FileIdKind {
   FILEID_NONE,  /* nothing another name can overwrite: a device, a socket, or a name that cannot be resolved */
   FILEID_INODE, /* an existing regular file, FIFO or directory */
   FILEID_NEW,   /* a file that does not exist yet: its directory and name */
} FileIdKind;

typedef struct FileId {
   FileIdKind kind;
   dev_t dev;
   ino_t ino;
   char name[FILEOPEN_NAME_MAX]; /* FILEID_NEW: the last component */
} FileId;

/* Which file path names (following symbolic links). */
void FileId_ofPath(FileId* this, const char* path);
/* Which file an open descriptor is. */
void FileId_ofFd(FileId* this, int fd);
/* Whether writing through one would overwrite what the other holds. */
bool FileId_same(const FileId* a, const FileId* b);

#endif
