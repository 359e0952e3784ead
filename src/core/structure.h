/*
 * structure.h: the table of the structure lesson (no curses, no engine).
 *
 * The seed builds one pipeline three ways: fast but messy (one fused loop),
 * clean but slow (a chain of small objects called once per record), and
 * fast and structured (the modular stages over chunks, in parallel). keepup
 * runs all of them for real: --dispatch fused, record and batch on one
 * worker, and batch on as many workers as CPUs. The table keeps, for each
 * shape, what the running pipeline measured while the knobs were that
 * shape's: records per second completed (its capacity when the backlog stayed
 * full, else the input's rate) and the workers' CPU time per record. It
 * fills as the student switches shapes; a shape measured again replaces its
 * row. A row is measured only with every stage optimized and no simulated
 * cost, so the rows differ by their shape alone.
 */
#ifndef KEEPUP_STRUCTURE_H
#define KEEPUP_STRUCTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/snapshot.h"

typedef enum StructureShape {
   STRUCTURE_FUSED,    /* --dispatch fused, one worker: fast but messy */
   STRUCTURE_RECORD,   /* --dispatch record, one worker: clean but slow */
   STRUCTURE_BATCH,    /* --dispatch batch, one worker: the stages over a batch */
   STRUCTURE_PARALLEL, /* --dispatch batch, a worker per CPU: fast and structured */
   STRUCTURE_LAST
} StructureShape;

extern const char* const StructureShape_names[STRUCTURE_LAST];

#define STRUCTURE_SETTLE_NS INT64_C(1500000000) /* after a change, the rate window holds only the new shape */
#define STRUCTURE_FULL      0.25 /* the backlog at this share of its cap or more: the workers never wait */
#define STRUCTURE_SCALES    1.2  /* a worker per CPU at this many times one worker's rate: parallel pays */

typedef struct StructureRow {
   uint32_t samples;  /* snapshots averaged (0: not measured yet) */
   double rate;       /* records completed per second, their mean */
   double cpu_ns;     /* the workers' CPU time per record completed, mean */
   bool saturated;    /* every sample had a full backlog: the rate is the shape's capacity */
   uint32_t threads;  /* the workers it ran on */
} StructureRow;

typedef struct Structure {
   StructureRow row[STRUCTURE_LAST];
   int current;       /* the shape the knobs make now; -1: none of the four */
   int64_t since;     /* when the knobs became what they are */
   Knobs knobs;       /* the knobs of the last update, to see a change */
   bool started;
   bool fresh;        /* no sample taken since the change: the first one replaces the row's old figures */
   uint64_t seq;      /* the last snapshot taken: the same one twice counts once */
} Structure;

void Structure_init(Structure* this);
/* The shape the knobs make on ncpu CPUs; -1 when they make none (a naive stage, a simulated cost,
 * a thread count that is neither 1 nor the CPUs, or one CPU for the parallel row). */
int Structure_shape(const Knobs* k, uint32_t ncpu);
/* One snapshot: a knob change restarts the settling; once settled, the shape's row takes the sample. */
void Structure_update(Structure* this, const Snapshot* s);
/* The caption from the rows measured: two lines (room len each); false while too few rows are in
 * (the batch row and one other are needed to draw a conclusion). */
bool Structure_caption(const Structure* this, char* line0, char* line1, size_t len);

#endif
