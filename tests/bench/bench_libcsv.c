/*
 * bench_libcsv.c: the CSV reader's ceiling. libcsv alone over a file (read
 * in 1 MiB chunks), with strtod on each field of each row and nothing else:
 * what any reader built on libcsv cannot beat. Prints the rows/s of the
 * median of N runs (default 5) on one line, "rows ROWS rows_per_s R".
 * Usage: bench_libcsv FILE [N]
 */
#include "config.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"

typedef struct Count {
   unsigned long rows;
   double sum; /* of every field's number: kept so the parsing is not optimized away */
} Count;

static void bench_field(void* data, size_t len, void* arg) {
   Count* c = arg;
   (void)len;
   /* CSV_APPEND_NULL: libcsv ends the field with a NUL, so strtod reads it in place */
   c->sum += data ? strtod(data, NULL) : 0;
}

static void bench_row(int term, void* arg) {
   (void)term;
   ((Count*)arg)->rows++;
}

static int bench_cmp(const void* a, const void* b) {
   double x = *(const double*)a, y = *(const double*)b;
   return (x > y) - (x < y);
}

int main(int argc, char** argv) {
   if (argc < 2) {
      fprintf(stderr, "usage: bench_libcsv FILE [RUNS]\n");
      return 2;
   }
   int runs = argc > 2 ? atoi(argv[2]) : 5;
   if (runs < 1 || runs > 100)
      runs = 5;
   static char buf[1 << 20];
   double rate[100];
   Count c;
   for (int r = 0; r < runs; r++) {
      FILE* f = fopen(argv[1], "rb");
      if (!f) {
         perror(argv[1]);
         return 1;
      }
      struct csv_parser p;
      csv_init(&p, CSV_APPEND_NULL);
      memset(&c, 0, sizeof c);
      int64_t t0 = Clock_now();
      size_t n;
      while ((n = fread(buf, 1, sizeof buf, f)) > 0)
         csv_parse(&p, buf, n, bench_field, bench_row, &c);
      csv_fini(&p, bench_field, bench_row, &c);
      double s = (double)(Clock_now() - t0) / 1e9;
      csv_free(&p);
      fclose(f);
      rate[r] = (double)c.rows / s;
   }
   qsort(rate, (size_t)runs, sizeof rate[0], bench_cmp);
   printf("rows %lu rows_per_s %.0f checksum %g\n", c.rows, rate[runs / 2], c.sum);
   return 0;
}
