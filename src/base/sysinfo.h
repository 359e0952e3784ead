/* sysinfo.h: what the machine and the process offer: CPUs, memory, the resident set. */
#ifndef KEEPUP_SYSINFO_H
#define KEEPUP_SYSINFO_H

#include <stddef.h>
#include <stdint.h>

/* Online CPUs; at least 1. */
uint32_t Sysinfo_cpuCount(void);
/* Physical memory in bytes; 8 GiB when the system does not say. */
uint64_t Sysinfo_physicalMemory(void);
/* The process's resident set in bytes; 0 when it cannot be read (no /proc). */
uint64_t Sysinfo_rss(void);
/* CPU time the whole machine has spent busy (every CPU, every process, steal
 * included), cumulative, in ns; -1 when it cannot be read (no /proc/stat). */
int64_t Sysinfo_machineBusy(void);
/* The CPU's model name (/proc/cpuinfo's first "model name"), or "unknown". */
void Sysinfo_cpuModel(char* out, size_t len);

#endif
