/*
 * recording.h: the words and names of the dashboard's record and replay
 * controls (no curses, no engine, no file system).
 */
#ifndef KEEPUP_UI_RECORDING_H
#define KEEPUP_UI_RECORDING_H

#include <stddef.h>
#include <time.h>

/* "keepup-YYYYmmdd-HHMMSS.csv" for the local time tm; attempt > 1 adds "-N"
 * before ".csv" (when the plain name is taken). */
void Recording_defaultName(char* buf, size_t len, const struct tm* tm, unsigned attempt);
/* A replay speed: "x1", "x0.5", "x2", "x0.016", "max" (0). */
void Recording_speedText(char* buf, size_t len, double speed);
/* Only the file's name, for narrow places: what follows the last '/'. */
const char* Recording_baseName(const char* path);

#endif
