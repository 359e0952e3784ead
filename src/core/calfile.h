/*
 * calfile.h: a calibration as a small text file, written and read back
 * exactly (the costs as %.17g), so that every launch that reads it sizes a
 * scenario the same way. The file carries a key: keepup's version, the CPU
 * model and count, and the setup's parameters that change the costs; the
 * cache (app/calibrate.c) measures again when the key differs.
 */
#ifndef KEEPUP_CALFILE_H
#define KEEPUP_CALFILE_H

#include <stddef.h>

#include "core/scenario.h"
#include "core/setup.h"

#define CALFILE_KEY_MAX 400

typedef enum CalFileStatus {
   CALFILE_OK,
   CALFILE_MISSING, /* no such file */
   CALFILE_BAD,     /* unreadable or not a calibration: why names FILE:LINE */
} CalFileStatus;

/* The key of a calibration measured for setup on this machine. */
void CalFile_key(char* out, size_t len, const Setup* setup);
/* The part of the key from the setup alone (no version, no CPU): names the cache file. */
void CalFile_params(char* out, size_t len, const Setup* setup);

/* Read path into out and its key (CALFILE_KEY_MAX bytes) into key. */
CalFileStatus CalFile_read(const char* path, Calibration* out, char* key, char* why, size_t whylen);
/* Write c with its key to path, by a temporary file renamed over it. */
bool CalFile_write(const char* path, const char* key, const Calibration* c, char* err, size_t errlen);

#endif
