/*
 * sensornames.h: the sensors of CSV files that are not recordings, by name.
 * Each distinct name gets the next id (0, 1, ...) the first time it is
 * interned, so ids follow the order of first appearance and the names, by
 * id, are the table the output prints them with.
 */
#ifndef KEEPUP_SENSORNAMES_H
#define KEEPUP_SENSORNAMES_H

#include <stddef.h>
#include <stdint.h>

#define SENSORNAMES_MAX 100000 /* distinct names, in all the files of a replay together (their ids are shared) */

typedef struct SensorNames {
   char** names; /* by id */
   uint32_t n, cap;
   uint32_t* hash; /* open addressing: id + 1, 0 empty */
   uint32_t hash_cap;
} SensorNames;

/* An empty table is all zeros. */
void SensorNames_done(SensorNames* this);
/* The id of name; -1 when it has none. */
int64_t SensorNames_find(const SensorNames* this, const char* name);
/* The id of name, given the next one when it is new; -1 when SENSORNAMES_MAX names are taken. */
int64_t SensorNames_intern(SensorNames* this, const char* name);
/* The sensor of a file without a sensor column: named after the file ("dir/nyc_taxi.csv" is "nyc_taxi",
 * "nyc_taxi#2" when that is taken). */
uint32_t SensorNames_internFile(SensorNames* this, const char* path);
/* Why s[0..n) cannot be a sensor name (empty, too long, not UTF-8, control bytes); NULL when it can. */
const char* SensorNames_check(const char* s, size_t n);

#endif
