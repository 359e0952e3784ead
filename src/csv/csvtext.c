/*
 * csvtext.c: UTF-8 checks and printable excerpts. The UTF-8 check is the
 * strict one (no overlong forms, no surrogates, nothing past U+10FFFF), so a
 * name that passes prints the same everywhere.
 */
#include "config.h"

#include "csv/csvtext.h"

#include <stdbool.h>
#include <string.h>

size_t CsvText_utf8(const unsigned char* s, size_t n) {
   unsigned char c = s[0];
   if (c < 0x80)
      return 1;
   size_t need;
   unsigned char lo = 0x80, hi = 0xBF;
   if (c >= 0xC2 && c <= 0xDF)
      need = 1;
   else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      if (c == 0xE0)
         lo = 0xA0;
      if (c == 0xED)
         hi = 0x9F;
   } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      if (c == 0xF0)
         lo = 0x90;
      if (c == 0xF4)
         hi = 0x8F;
   } else
      return 0;
   if (n < need + 1)
      return 0;
   if (s[1] < lo || s[1] > hi)
      return 0;
   for (size_t i = 2; i <= need; i++)
      if (s[i] < 0x80 || s[i] > 0xBF)
         return 0;
   return need + 1;
}

void CsvText_shown(char* out, size_t outlen, const char* s, size_t n, size_t max) {
   const unsigned char* p = (const unsigned char*)s;
   size_t o = 0, i = 0;
   if (max > outlen - 1)
      max = outlen - 1;
   while (i < n) {
      size_t k = CsvText_utf8(p + i, n - i);
      bool ok = k > 0 && !(k == 1 && (p[i] < 0x20 || p[i] == 0x7f));
      size_t w = ok ? k : 1;
      if (o + w > max) {
         if (max >= 3) {
            while (o > max - 3) {
               o--;
               while (o > 0 && (out[o] & 0xC0) == 0x80)
                  o--;
            }
            memcpy(out + o, "...", 3);
            o += 3;
         }
         break;
      }
      if (ok)
         memcpy(out + o, p + i, k);
      else
         out[o] = '?';
      o += w;
      i += w;
   }
   out[o] = '\0';
}

void CsvText_trim(const char** s, size_t* n) {
   while (*n && (**s == ' ' || **s == '\t')) {
      (*s)++;
      (*n)--;
   }
   while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
      (*n)--;
}

size_t CsvText_field(char* out, const char* name, char delim) {
   bool quote = false;
   for (const char* c = name; *c && !quote; c++)
      quote = *c == delim || *c == '"' || *c == '\r' || *c == '\n';
   char* o = out;
   if (quote)
      *o++ = '"';
   for (const char* c = name; *c; c++) {
      if (*c == '"')
         *o++ = '"';
      *o++ = *c;
   }
   if (quote)
      *o++ = '"';
   *o = '\0';
   return (size_t)(o - out);
}
