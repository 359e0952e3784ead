/*
 * chain.h: the two other shapes of running the stages over a batch, beside
 * the engine's stage-by-stage pass (DISPATCH_BATCH), for the structure
 * lesson. Both write the same rows' output, alerts and counts as that pass.
 *
 * The record chain sends each record on its own through the six stage
 * functions: six indirect calls per record, each stage reading its variant
 * and its parameters again for that one record (the clean-but-slow shape of
 * a chain of small objects called once per record). The fused loop does the
 * six optimized stages for one record before it takes the next, with no
 * stage boundary and no rows kept between stages (fast, but one block of
 * code: no stage can be timed, swapped or switched to naive on its own).
 */
#ifndef KEEPUP_CHAIN_H
#define KEEPUP_CHAIN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/stages/stage.h"

/* The batch through the record chain, each stage in the variant variant[s] holds when the record
 * reaches it. in[s]: records each stage took in. False when the work's stop cut the batch short. */
bool Chain_runRecords(Pipeline* p, Work* w, const Batch* b, const _Atomic int variant[STAGE_LAST],
                      uint32_t in[STAGE_LAST]);
/* The batch through the fused loop: every stage optimized, whatever the variants. in[s] as above. */
bool Chain_runFused(Pipeline* p, Work* w, const Batch* b, uint32_t in[STAGE_LAST]);

#endif
