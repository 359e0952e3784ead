/*
 * sensornames.h: the sensors of CSV files that are not recordings, by name.
 * Each distinct name gets the next id (0, 1, ...) the first time it is
 * interned, so ids follow the order of first appearance and the names, by
 * id, are the table the output prints them with.
 *
 * The table by id never moves (room for SENSORNAMES_MAX names is reserved,
 * its pages touched only as they fill): a replay names sensors as it meets
 * them, in one pass, while the workers print the names met so far. A name
 * is in the table before the first record of its sensor is handed on, and
 * that hand-off is what makes it visible to the thread that prints it.
 */
#ifndef KEEPUP_SENSORNAMES_H
#define KEEPUP_SENSORNAMES_H

#include <stddef.h>
#include <stdint.h>

#define SENSORNAMES_MAX 100000 /* distinct names, in all the files of a replay together (their ids are shared) */

typedef struct SensorNames {
   char** names; /* by id: SENSORNAMES_MAX entries, NULL past n */
   uint32_t* lens; /* by id, the names' lengths: a lookup compares lengths before bytes */
   uint32_t n;
   uint32_t* hash; /* open addressing: id + 1, 0 empty */
   uint32_t hash_cap;
} SensorNames;

/* An empty table is all zeros. */
void SensorNames_done(SensorNames* this);
/* The id of name; -1 when it has none. */
int64_t SensorNames_find(const SensorNames* this, const char* name);
/* The id of name, given the next one when it is new; -1 when SENSORNAMES_MAX names are taken. */
int64_t SensorNames_intern(SensorNames* this, const char* name);
/* The same for name[0..n) (no NUL needed; it must hold none). */
int64_t SensorNames_findN(const SensorNames* this, const char* name, size_t n);
int64_t SensorNames_internN(SensorNames* this, const char* name, size_t n);
/* The sensor of a file without a sensor column: named after the file ("dir/nyc_taxi.csv" is "nyc_taxi",
 * "nyc_taxi#2" when that is taken). */
uint32_t SensorNames_internFile(SensorNames* this, const char* path);
/* The sensor named name[0..n) as given (--stdin-name), "name#2" when that is taken. */
uint32_t SensorNames_internUnique(SensorNames* this, const char* name, size_t n);
/* Why s[0..n) cannot be a sensor name (empty, too long, not UTF-8, control bytes); NULL when it can. */
const char* SensorNames_check(const char* s, size_t n);

#endif
