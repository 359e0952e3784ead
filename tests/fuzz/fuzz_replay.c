/*
 * fuzz_replay.c: libFuzzer target for the CSV reader (make fuzz).
 *
 * Input: one byte of options, then the file. The options byte picks the
 * delimiter (bits 0-1: ',' ';' tab ','), --on-bad-row skip (bit 2), the
 * time unit (bits 3-5: auto s ms us ns, the rest auto), --loop (bit 6) and
 * --speed max (bit 7). A line "--8<--" splits the rest into two files that
 * are replayed together. The files live in memfds, so no disk is touched.
 *
 * Beyond the sanitizers, it checks what replay promises: times never go
 * backwards, ids stay below the id space, a refusal comes with a message,
 * a recording's header is bounded as the options its keys stand for (a
 * small file must not cost gigabytes or hours: the id space, the window,
 * the threshold, the cache, the enrich work, the lists); and that the fast
 * number parser agrees with strtod on the input's start. The corpus has
 * recordings with every header key, lists, notes, bounds and no rows.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/setup.h"
#include "csv/csvnum.h"
#include "csv/recformat.h"
#include "csv/replay.h"

#define FUZZ_MAX_RECORDS 500 /* --loop never ends by itself */

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

/* A recording's parameters, as a replay would hand them to the pipeline, within the options' bounds. */
static void fuzz_checkParams(const Replay* r) {
   const PipelineParams* p = Replay_params(r);
   if (!p)
      return;
   if (p->id_space == 0 || p->id_space > RECFORMAT_IDS_MAX || Replay_idSpace(r) > RECFORMAT_IDS_MAX)
      abort();
   if (p->window < 1 || p->window > KEEPUP_WINDOW_MAX || p->enrich_work > KEEPUP_ENRICH_WORK_MAX)
      abort();
   if (p->cache_capacity < 1 || p->cache_capacity > SETUP_CACHE_MAX)
      abort();
   if (!(p->threshold >= SETUP_THRESHOLD_MIN && p->threshold <= SETUP_THRESHOLD_MAX))
      abort();
   if (!(p->valid_lo < p->valid_hi) || p->n_allow > RECFORMAT_ALLOW_MAX || p->n_cal > RECFORMAT_CAL_MAX)
      abort();
}

static int fuzz_file(const uint8_t* data, size_t size, char* path, size_t pathlen) {
   int fd = memfd_create("fuzz.csv", 0);
   if (fd < 0)
      abort();
   size_t done = 0;
   while (done < size) {
      ssize_t n = write(fd, data + done, size - done);
      if (n <= 0)
         abort();
      done += (size_t)n;
   }
   snprintf(path, pathlen, "/proc/self/fd/%d", fd);
   return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   if (size < 1)
      return 0;
   static const char delims[4] = {',', ';', '\t', ','};
   uint8_t flags = data[0];
   data++;
   size--;

   const char* files[2];
   unsigned unit = (flags >> 3) & 7;
   ReplayConfig config = {
       .files = files,
       .delimiter = delims[flags & 3],
       .on_bad_row = flags & 4 ? REPLAY_BAD_SKIP : REPLAY_BAD_STOP,
       .time_unit = unit < CSVTIME_OPTION_UNITS ? (CsvTimeUnit)unit : CSVTIME_AUTO,
       .loop = flags & 64,
       .speed = flags & 128 ? 0 : 1,
   };

   /* the fast number parser gives what strtod gives, on any text */
   double fast = 0, slow = 0;
   size_t nlen = size < 64 ? size : 64;
   const char* wf = CsvNum_parse((const char*)data, nlen, &fast);
   const char* ws = CsvNum_parseSlow((const char*)data, nlen, &slow);
   if ((wf == NULL) != (ws == NULL) || (!wf && !(fast != fast && slow != slow) && memcmp(&fast, &slow, sizeof fast)))
      abort();

   static const char cut[] = "\n--8<--\n";
   const uint8_t* second = memmem(data, size, cut, sizeof cut - 1);
   size_t first_len = second ? (size_t)(second - data) : size;
   char path[2][64];
   int fd[2] = {-1, -1};
   fd[0] = fuzz_file(data, first_len, path[0], sizeof path[0]);
   files[config.n_files++] = path[0];
   if (second) {
      second += sizeof cut - 1;
      fd[1] = fuzz_file(second, size - (size_t)(second - data), path[1], sizeof path[1]);
      files[config.n_files++] = path[1];
   }

   char err[REPLAY_MSG_MAX];
   Replay* r = Replay_new(&config, err, sizeof err);
   if (!r) {
      if (!err[0])
         abort(); /* a refusal always says why */
   } else {
      fuzz_checkParams(r);
      Generator* g = Replay_generator(r);
      uint32_t ids = Replay_idSpace(r);
      Record rec;
      int64_t last = INT64_MIN;
      for (int i = 0; i < FUZZ_MAX_RECORDS && g->ops->next(g, &rec); i++) {
         if (rec.sensor >= ids)
            abort();
         if (rec.t_arrival != GENERATOR_ASAP) {
            if (rec.t_arrival < last)
               abort();
            last = rec.t_arrival;
         }
      }
      const char* e = Replay_error(r);
      if (e && config.on_bad_row == REPLAY_BAD_SKIP && !strstr(e, ": "))
         abort();
      ReplayPosition pos;
      Replay_position(r, &pos);
      if (pos.percent < 0 || pos.percent > 100.0001)
         abort();
      Replay_delete(r);
   }
   for (int i = 0; i < 2; i++)
      if (fd[i] >= 0)
         close(fd[i]);
   return 0;
}
