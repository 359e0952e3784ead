/*
 * textlist.h: comma-separated lists as people type them ("a,b,c"). strtok
 * silently skips empty items, so "feature=1us," or ",,," would read as a
 * shorter list, or none: every list keepup reads is checked here first.
 */
#ifndef KEEPUP_TEXTLIST_H
#define KEEPUP_TEXTLIST_H

#include <stdbool.h>

/* Whether s is empty, or has an empty item: a separator at either end or two in a row. */
bool TextList_hasEmpty(const char* s, char sep);

#endif
