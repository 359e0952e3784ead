/* xalloc.h: allocation that never returns NULL: out of memory is fatal, said plainly. */
#ifndef KEEPUP_XALLOC_H
#define KEEPUP_XALLOC_H

#include <stddef.h>

void* xmalloc(size_t size);
void* xcalloc(size_t count, size_t size);
void* xrealloc(void* ptr, size_t size);
char* xstrdup(const char* s);

#endif
