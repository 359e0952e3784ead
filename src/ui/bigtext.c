/* bigtext.c: a 5-pixel-high font for the verdict words, drawn with half blocks. */
#include "config.h"

#include "ui/bigtext.h"

#include <string.h>

typedef struct BigGlyph {
   char c;
   const char* px[5]; /* rows of pixels, '#' set; every row as wide as the glyph */
} BigGlyph;

/* Only the letters the verdicts need, and a space. */
static const BigGlyph bigtext_font[] = {
    {'A', {".##.", "#..#", "####", "#..#", "#..#"}}, {'B', {"###.", "#..#", "###.", "#..#", "###."}},
    {'C', {".###", "#...", "#...", "#...", ".###"}}, {'D', {"###.", "#..#", "#..#", "#..#", "###."}},
    {'E', {"####", "#...", "###.", "#...", "####"}}, {'F', {"####", "#...", "###.", "#...", "#..."}},
    {'G', {".###", "#...", "#.##", "#..#", ".###"}}, {'H', {"#..#", "#..#", "####", "#..#", "#..#"}},
    {'I', {"###", ".#.", ".#.", ".#.", "###"}},      {'K', {"#..#", "#.#.", "##..", "#.#.", "#..#"}},
    {'L', {"#...", "#...", "#...", "#...", "####"}}, {'M', {"#...#", "##.##", "#.#.#", "#...#", "#...#"}},
    {'N', {"#..#", "##.#", "#.##", "#..#", "#..#"}}, {'P', {"###.", "#..#", "###.", "#...", "#..."}},
    {'R', {"###.", "#..#", "###.", "#.#.", "#..#"}}, {'S', {".###", "#...", ".##.", "...#", "###."}},
    {'T', {"###", ".#.", ".#.", ".#.", ".#."}},      {'U', {"#..#", "#..#", "#..#", "#..#", ".##."}},
    {' ', {"..", "..", "..", "..", ".."}},
};

static const BigGlyph* bigtext_glyph(char c) {
   for (size_t i = 0; i < sizeof bigtext_font / sizeof bigtext_font[0]; i++)
      if (bigtext_font[i].c == c)
         return &bigtext_font[i];
   return NULL;
}

int BigText_width(const char* word) {
   int w = 0;
   for (const char* p = word; *p; p++) {
      const BigGlyph* g = bigtext_glyph(*p);
      if (!g)
         return -1;
      w += (int)strlen(g->px[0]) + (p[1] ? 1 : 0); /* one column between letters */
   }
   return w;
}

bool BigText_row(const char* word, int row, char* out, size_t len) {
   static const char* const cells[4] = {" ", "\xe2\x96\x80", "\xe2\x96\x84", "\xe2\x96\x88"}; /* ' ' ▀ ▄ █ */
   if (row < 0 || row >= BIGTEXT_ROWS || len == 0)
      return false;
   size_t at = 0;
   for (const char* p = word; *p; p++) {
      const BigGlyph* g = bigtext_glyph(*p);
      if (!g)
         return false;
      const char* top = g->px[2 * row];
      const char* bottom = 2 * row + 1 < 5 ? g->px[2 * row + 1] : NULL;
      size_t w = strlen(top);
      for (size_t x = 0; x <= w; x++) {
         const char* cell;
         if (x == w) {
            if (!p[1])
               break;
            cell = " ";
         } else {
            int bits = (top[x] == '#' ? 1 : 0) | (bottom && bottom[x] == '#' ? 2 : 0);
            cell = cells[bits];
         }
         size_t n = strlen(cell);
         if (at + n + 1 > len)
            return false;
         memcpy(out + at, cell, n);
         at += n;
      }
   }
   out[at] = '\0';
   return true;
}
