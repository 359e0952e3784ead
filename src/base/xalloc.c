/* xalloc.c: allocation wrappers; exit status 4 (documented in keepup(1)) when memory runs out. */
#include "config.h"

#include "base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void xalloc_fail(size_t size) {
   /* write(2) rather than stdio: the heap may be unusable here. */
   char msg[96];
   int len = snprintf(msg, sizeof msg, "keepup: out of memory allocating %zu bytes\n", size);
   if (len > 0 && write(STDERR_FILENO, msg, (size_t)len) < 0) {
      /* nothing more can be done */
   }
   _exit(4);
}

void* xmalloc(size_t size) {
   void* p = malloc(size ? size : 1);
   if (!p)
      xalloc_fail(size);
   return p;
}

void* xcalloc(size_t count, size_t size) {
   void* p = calloc(count ? count : 1, size ? size : 1);
   if (!p)
      xalloc_fail(count * size);
   return p;
}

void* xrealloc(void* ptr, size_t size) {
   void* p = realloc(ptr, size ? size : 1);
   if (!p)
      xalloc_fail(size);
   return p;
}

char* xstrdup(const char* s) {
   size_t n = strlen(s) + 1;
   char* p = xmalloc(n);
   memcpy(p, s, n);
   return p;
}
