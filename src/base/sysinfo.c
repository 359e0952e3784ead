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

int64_t Sysinfo_machineBusy(void) {
   FILE* f = fopen("/proc/stat", "r");
   if (!f)
      return -1;
   /* cpu user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait */
   unsigned long long v[8] = {0};
   int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
                  &v[7]);
   fclose(f);
   long hz = sysconf(_SC_CLK_TCK);
   if (n < 4 || hz <= 0)
      return -1;
   unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
   return (int64_t)(busy * (1000000000ULL / (unsigned long long)hz));
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
