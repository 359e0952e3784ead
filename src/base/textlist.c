/* textlist.c: empty items in separated lists. */
#include "config.h"

#include "base/textlist.h"

#include <string.h>

bool TextList_hasEmpty(const char* s, char sep) {
   if (!s || !*s)
      return true;
   size_t n = strlen(s);
   if (s[0] == sep || s[n - 1] == sep)
      return true;
   for (size_t i = 1; i < n; i++)
      if (s[i] == sep && s[i - 1] == sep)
         return true;
   return false;
}
