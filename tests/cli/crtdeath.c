/*
 * crtdeath.c: a helper of tests/cli/crtdeath.sh, not part of keepup. It
 * takes the terminal with the dashboard's own module (ui/crt.c), writes a
 * line on the screen and one to stderr (which crt.c captures while the
 * screen is up), and on a key reads freed memory. Under AddressSanitizer the
 * report goes to the captured stderr and the runtime ends the process without
 * atexit; crt.c's death callback must restore the terminal and replay the
 * capture, so the user sees the report on a working terminal.
 */
#include "config.h"

#include "ui/crt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_NCURSESW_CURSES_H
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

int main(void) {
   char err[256];
   if (!CRT_init(true, err, sizeof err)) {
      fprintf(stderr, "crtdeath: %s\n", err);
      return 2;
   }
   mvaddstr(0, 0, "CRTDEATH SCREEN UP: press a key");
   refresh();
   fputs("crtdeath: written to stderr while the screen was up\n", stderr);
   fflush(stderr);
   getch();
   /* volatile: the compiler must neither drop the read nor see through it */
   char* volatile block = malloc(16);
   if (!block)
      return 2;
   strcpy(block, "freed");
   free(block);
   volatile char c = block[0];
   CRT_done();
   printf("crtdeath: read freed memory without a sanitizer report (%d)\n", c);
   return 0;
}
