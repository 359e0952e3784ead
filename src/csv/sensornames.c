/*
 * sensornames.c: names to dense ids through an open-addressing hash table
 * (FNV-1a, linear probing, at most half full), which a file of millions of
 * rows consults once per row.
 */
#include "config.h"

#include "csv/sensornames.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "csv/csvtext.h"

void SensorNames_done(SensorNames* this) {
   for (uint32_t i = 0; i < this->n; i++)
      free(this->names[i]);
   free(this->names);
   free(this->lens);
   free(this->hash);
   memset(this, 0, sizeof *this);
}

static uint32_t sensornames_hash(const char* s, size_t n) {
   uint32_t h = 2166136261u;
   for (size_t i = 0; i < n; i++)
      h = (h ^ (unsigned char)s[i]) * 16777619u;
   return h;
}

int64_t SensorNames_findN(const SensorNames* this, const char* name, size_t n) {
   if (!this->hash_cap)
      return -1;
   for (uint32_t i = sensornames_hash(name, n) & (this->hash_cap - 1);; i = (i + 1) & (this->hash_cap - 1)) {
      uint32_t slot = this->hash[i];
      if (!slot)
         return -1;
      if (this->lens[slot - 1] == n && memcmp(this->names[slot - 1], name, n) == 0)
         return slot - 1;
   }
}

int64_t SensorNames_find(const SensorNames* this, const char* name) {
   return SensorNames_findN(this, name, strlen(name));
}

static void sensornames_insert(SensorNames* this, uint32_t id) {
   uint32_t i = sensornames_hash(this->names[id], strlen(this->names[id])) & (this->hash_cap - 1);
   while (this->hash[i])
      i = (i + 1) & (this->hash_cap - 1);
   this->hash[i] = id + 1;
}

int64_t SensorNames_intern(SensorNames* this, const char* name) {
   return SensorNames_internN(this, name, strlen(name));
}

int64_t SensorNames_internN(SensorNames* this, const char* name, size_t len) {
   int64_t id = SensorNames_findN(this, name, len);
   if (id >= 0)
      return id;
   if (this->n >= SENSORNAMES_MAX)
      return -1;
   if (!this->names) {
      this->names = xcalloc(SENSORNAMES_MAX + 1, sizeof *this->names); /* never moves: see sensornames.h */
      this->lens = xcalloc(SENSORNAMES_MAX, sizeof *this->lens);
   }
   char* copy = xmalloc(len + 1);
   memcpy(copy, name, len);
   copy[len] = '\0';
   this->names[this->n] = copy;
   this->lens[this->n] = (uint32_t)len;
   if (2 * (this->n + 1) > this->hash_cap) {
      free(this->hash);
      this->hash_cap = this->hash_cap ? this->hash_cap * 2 : 128;
      this->hash = xcalloc(this->hash_cap, sizeof *this->hash);
      for (uint32_t i = 0; i < this->n; i++)
         sensornames_insert(this, i);
   }
   sensornames_insert(this, this->n);
   return this->n++;
}

const char* SensorNames_check(const char* s, size_t n) {
   if (n == 0)
      return "empty sensor name";
   if (n > CSVTEXT_NAME_MAX)
      return "sensor name longer than 255 bytes";
   const unsigned char* p = (const unsigned char*)s;
   for (size_t i = 0; i < n;) {
      size_t k = CsvText_utf8(p + i, n - i);
      if (!k)
         return "sensor name is not valid UTF-8";
      if (k == 1 && (p[i] < 0x20 || p[i] == 0x7f))
         return "control character or NUL in sensor name";
      i += k;
   }
   return NULL;
}

uint32_t SensorNames_internFile(SensorNames* this, const char* path) {
   const char* base = strrchr(path, '/');
   base = base ? base + 1 : path;
   size_t n = strlen(base);
   const char* dot = strrchr(base, '.');
   if (dot && dot != base)
      n = (size_t)(dot - base);
   return SensorNames_internUnique(this, base, n);
}

uint32_t SensorNames_internUnique(SensorNames* this, const char* name, size_t n) {
   /* room for "#k" after the name */
   char shown[CSVTEXT_NAME_MAX + 1];
   CsvText_shown(shown, sizeof shown, name, n, CSVTEXT_NAME_MAX - 8);
   if (!shown[0])
      snprintf(shown, sizeof shown, "file");
   size_t len = strlen(shown);
   char unique[CSVTEXT_NAME_MAX + 1];
   memcpy(unique, shown, len + 1);
   for (unsigned k = 2; SensorNames_find(this, unique) >= 0; k++)
      snprintf(unique + len, sizeof unique - len, "#%u", k);
   int64_t id = SensorNames_intern(this, unique);
   return id < 0 ? 0 : (uint32_t)id;
}
