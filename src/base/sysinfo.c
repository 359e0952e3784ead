/* sysinfo.c: sysconf and /proc reads, kept in one place so callers stay portable. */
#include "config.h"

#include "base/sysinfo.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

uint32_t Sysinfo_cpuCount(void) {
   long n = sysconf(_SC_NPROCESSORS_ONLN);
   return n > 0 ? (uint32_t)n : 1;
}

uint64_t Sysinfo_physicalMemory(void) {
   long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
   if (pages <= 0 || size <= 0)
      return UINT64_C(8) << 30;
   return (uint64_t)pages * (uint64_t)size;
}

uint64_t Sysinfo_rss(void) {
   FILE* f = fopen("/proc/self/statm", "r");
   unsigned long size = 0, resident = 0;
   if (!f)
      return 0;
   if (fscanf(f, "%lu %lu", &size, &resident) != 2)
      resident = 0;
   fclose(f);
   long page = sysconf(_SC_PAGESIZE);
   return page > 0 ? (uint64_t)resident * (uint64_t)page : 0;
}

void Sysinfo_cpuModel(char* out, size_t len) {
   snprintf(out, len, "unknown");
   FILE* f = fopen("/proc/cpuinfo", "r");
   if (!f)
      return;
   char line[512];
   while (fgets(line, sizeof line, f)) {
      char* colon = strchr(line, ':');
      if (strncmp(line, "model name", 10) != 0 || !colon)
         continue;
      colon += 1 + strspn(colon + 1, " \t");
      colon[strcspn(colon, "\n")] = '\0';
      if (*colon)
         snprintf(out, len, "%s", colon);
      break;
   }
   fclose(f);
}
