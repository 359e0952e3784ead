/*
 * memlimit.c: the hard safety cap under --overflow grow, from the machine's
 * memory, the process's resource limits and its cgroup's memory limit.
 * Anything that cannot be read counts as no limit: the cap then falls back on
 * physical memory and the fixed ceiling, as it did before limits were read.
 */
#include "config.h"

#include "base/memlimit.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* cgroup v1 writes "unlimited" as the largest page-aligned signed 64-bit count;
 * no real limit comes near 2^62 bytes */
#define MEMLIMIT_UNLIMITED (UINT64_C(1) << 62)

const char* const MemlimitBound_names[MEMLIMIT_LAST] = {
    [MEMLIMIT_CEILING] = "the 16 GiB ceiling",
    [MEMLIMIT_PHYS] = "a quarter of physical memory",
    [MEMLIMIT_RLIMIT_DATA] = "half of the data size limit (ulimit -d)",
    [MEMLIMIT_RLIMIT_AS] = "half of the address space limit (ulimit -v)",
    [MEMLIMIT_CGROUP] = "half of the cgroup memory limit",
};

/* Lower *cap to limit / share when the limit is set and that is smaller; on a
 * tie the earlier bound stays. A tiny limit still caps at a byte: 0 would mean
 * no cap at all. */
static void memlimit_lower(uint64_t* cap, MemlimitBound* bound, uint64_t limit, uint64_t share, MemlimitBound why) {
   if (!limit)
      return;
   uint64_t v = limit / share ? limit / share : 1;
   if (v < *cap) {
      *cap = v;
      *bound = why;
   }
}

uint64_t Memlimit_cap(const MemlimitReadings* r, MemlimitBound* bound) {
   uint64_t cap = MEMLIMIT_CEILING_BYTES;
   MemlimitBound why = MEMLIMIT_CEILING;
   memlimit_lower(&cap, &why, r->phys, 4, MEMLIMIT_PHYS);
   memlimit_lower(&cap, &why, r->rlimit_data, 2, MEMLIMIT_RLIMIT_DATA);
   memlimit_lower(&cap, &why, r->rlimit_as, 2, MEMLIMIT_RLIMIT_AS);
   memlimit_lower(&cap, &why, r->cgroup, 2, MEMLIMIT_CGROUP);
   if (bound)
      *bound = why;
   return cap;
}

uint64_t Memlimit_parseLimit(const char* text) {
   size_t len = strlen(text);
   while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' ' || text[len - 1] == '\t'))
      len--;
   if (len == 0 || len > 20)
      return 0;
   char digits[21];
   memcpy(digits, text, len);
   digits[len] = '\0';
   for (size_t i = 0; i < len; i++)
      if (digits[i] < '0' || digits[i] > '9')
         return 0; /* "max", or not a limit */
   errno = 0;
   unsigned long long v = strtoull(digits, NULL, 10);
   if (errno || v >= MEMLIMIT_UNLIMITED)
      return 0;
   return (uint64_t)v;
}

/* The limit in the file dir/name, 0 when it is missing or says unlimited. */
static uint64_t memlimit_readFile(const char* dir, const char* name) {
   char path[PATH_MAX];
   int n = snprintf(path, sizeof path, "%s/%s", dir, name);
   if (n < 0 || (size_t)n >= sizeof path)
      return 0;
   FILE* f = fopen(path, "re");
   if (!f)
      return 0;
   char text[64];
   uint64_t v = fgets(text, sizeof text, f) ? Memlimit_parseLimit(text) : 0;
   fclose(f);
   return v;
}

/* Keep the lower of two limits, 0 being none. */
static void memlimit_lowest(uint64_t* lowest, uint64_t v) {
   if (v && (!*lowest || v < *lowest))
      *lowest = v;
}

/* The lowest limit in file name of cgroup path under mount, and of each of
 * its ancestors up to the mount's root: a parent's limit binds its children.
 * A path that is not there (a cgroup namespace that hides it) leaves the
 * mount's root, which is then the process's own cgroup. */
static uint64_t memlimit_walk(const char* mount, const char* path, const char* name) {
   if (path[0] != '/')
      return 0;
   char dir[PATH_MAX];
   int n = snprintf(dir, sizeof dir, "%s%s", mount, path);
   if (n < 0 || (size_t)n >= sizeof dir)
      return 0;
   size_t root_len = strlen(mount);
   uint64_t lowest = 0;
   for (;;) {
      size_t len = strlen(dir);
      while (len > root_len && dir[len - 1] == '/')
         dir[--len] = '\0';
      memlimit_lowest(&lowest, memlimit_readFile(dir, name));
      if (len <= root_len)
         break;
      char* slash = strrchr(dir + root_len, '/');
      if (!slash)
         break;
      *slash = '\0';
   }
   return lowest;
}

/* Is "memory" one of the comma-separated controllers in list? */
static bool memlimit_hasMemory(const char* list) {
   size_t want = strlen("memory");
   for (const char* p = list; *p;) {
      size_t len = strcspn(p, ",");
      if (len == want && strncmp(p, "memory", want) == 0)
         return true;
      p += len;
      if (*p == ',')
         p++;
   }
   return false;
}

uint64_t Memlimit_cgroupLimit(const char* proc_cgroup, const char* root) {
   FILE* f = fopen(proc_cgroup, "re");
   if (!f)
      return 0;
   char mount[PATH_MAX];
   uint64_t lowest = 0;
   char* line = NULL;
   size_t size = 0;
   ssize_t got;
   /* each line: hierarchy-id:controllers:path (cgroup v2: 0::path) */
   while ((got = getline(&line, &size, f)) > 0) {
      if (line[got - 1] == '\n')
         line[got - 1] = '\0';
      char* controllers = strchr(line, ':');
      char* path = controllers ? strchr(controllers + 1, ':') : NULL;
      if (!path)
         continue;
      *controllers++ = '\0';
      *path++ = '\0';
      if (strcmp(line, "0") == 0 && controllers[0] == '\0') {
         /* unified hierarchy: at root itself, or at root/unified on hybrid systems */
         memlimit_lowest(&lowest, memlimit_walk(root, path, "memory.max"));
         int n = snprintf(mount, sizeof mount, "%s/unified", root);
         if (n > 0 && (size_t)n < sizeof mount)
            memlimit_lowest(&lowest, memlimit_walk(mount, path, "memory.max"));
      } else if (memlimit_hasMemory(controllers)) {
         int n = snprintf(mount, sizeof mount, "%s/memory", root);
         if (n > 0 && (size_t)n < sizeof mount)
            memlimit_lowest(&lowest, memlimit_walk(mount, path, "memory.limit_in_bytes"));
      }
   }
   free(line);
   fclose(f);
   return lowest;
}

/* The soft limit of resource, 0 when unlimited or unreadable. */
static uint64_t memlimit_rlimit(int resource) {
   struct rlimit rl;
   if (getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
      return 0;
   return (uint64_t)rl.rlim_cur;
}

void Memlimit_read(MemlimitReadings* r, uint64_t phys) {
   r->phys = phys;
   r->rlimit_data = memlimit_rlimit(RLIMIT_DATA);
   r->rlimit_as = memlimit_rlimit(RLIMIT_AS);
   r->cgroup = Memlimit_cgroupLimit("/proc/self/cgroup", "/sys/fs/cgroup");
}

uint64_t Memlimit_safetyCap(uint64_t phys) {
   MemlimitReadings r;
   Memlimit_read(&r, phys);
   return Memlimit_cap(&r, NULL);
}
