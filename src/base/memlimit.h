/*
 * memlimit.h: the hard safety cap on the backlog under --overflow grow. It is
 * derived from the memory the machine has and from the limits the process
 * actually runs under (ulimit -d, ulimit -v, its cgroup), so that growth stops
 * while the process still has room to report it, instead of being killed by
 * the kernel or failing an allocation.
 *
 * Reading the limits (Memlimit_read) is kept apart from combining them
 * (Memlimit_cap), so the rule can be tested with any readings.
 */
#ifndef KEEPUP_MEMLIMIT_H
#define KEEPUP_MEMLIMIT_H

#include <stdint.h>

/* The cap never exceeds this, whatever the machine has. */
#define MEMLIMIT_CEILING_BYTES (UINT64_C(16) << 30)

/* Which limit set the cap. */
typedef enum MemlimitBound {
   MEMLIMIT_CEILING,     /* MEMLIMIT_CEILING_BYTES */
   MEMLIMIT_PHYS,        /* a quarter of physical memory */
   MEMLIMIT_RLIMIT_DATA, /* half of RLIMIT_DATA (ulimit -d) */
   MEMLIMIT_RLIMIT_AS,   /* half of RLIMIT_AS (ulimit -v) */
   MEMLIMIT_CGROUP,      /* half of the cgroup's memory limit */
   MEMLIMIT_LAST
} MemlimitBound;

/* Short descriptions of each bound, for messages ("half of ulimit -v"). */
extern const char* const MemlimitBound_names[MEMLIMIT_LAST];

/* What the process runs under; 0 in any field means unknown or unlimited. */
typedef struct MemlimitReadings {
   uint64_t phys;        /* physical memory */
   uint64_t rlimit_data; /* soft RLIMIT_DATA */
   uint64_t rlimit_as;   /* soft RLIMIT_AS */
   uint64_t cgroup;      /* the lowest memory limit of the process's cgroup and its ancestors */
} MemlimitReadings;

/* The safety cap in bytes: the smallest of the ceiling, a quarter of physical
 * memory, and half of each limit that is set (the other half is left to the
 * program itself: code, thread stacks, allocator arenas, slack). Never 0, which
 * the queue would read as "no cap". bound, when not NULL, receives the limit
 * that set it (the first in enum order on a tie). */
uint64_t Memlimit_cap(const MemlimitReadings* r, MemlimitBound* bound);

/* The text of a cgroup limit file: a byte count, or "max" (cgroup v2) or a
 * value near 2^63 (cgroup v1's "unlimited"), which give 0, as does anything
 * unreadable. */
uint64_t Memlimit_parseLimit(const char* text);

/* The lowest memory limit found for the cgroup that the file proc_cgroup (in
 * the format of /proc/self/cgroup) names, looking under root (normally
 * /sys/fs/cgroup) at the cgroup and each of its ancestors: memory.max of cgroup
 * v2 (mounted at root or at root/unified) and memory.limit_in_bytes of cgroup
 * v1's memory controller (root/memory). 0: no limit found. */
uint64_t Memlimit_cgroupLimit(const char* proc_cgroup, const char* root);

/* Fill r with this process's limits; phys is the machine's physical memory. */
void Memlimit_read(MemlimitReadings* r, uint64_t phys);

/* Memlimit_read then Memlimit_cap: the safety cap for this process. */
uint64_t Memlimit_safetyCap(uint64_t phys);

#endif
