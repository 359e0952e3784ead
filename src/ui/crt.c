/*
 * crt.c: terminal ownership. One terminal per process, so the state is
 * module-level, as in htop's CRT. Signal handlers only set flags (the crash
 * handler is the exception: restoring the terminal is all it can still do).
 * The signals that end a run are base/signals.c's, installed before the
 * terminal is taken; the loop quits on any of them and the terminal is
 * restored before the process ends, whatever the signal. Under a sanitizer,
 * its report goes to the captured stderr: a death callback restores the
 * terminal and replays the capture, so the report is seen.
 */
#include "config.h"

#include "ui/crt.h"

#include "base/signals.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef HAVE_NCURSESW_CURSES_H
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

typedef struct ColorSpec {
   short fg, bg;
   int attr;
} ColorSpec;

/* -1 is the terminal's own colour (use_default_colors), so the dashboard
 * suits dark and light terminals alike; backgrounds only where they mean something. */
static const ColorSpec crt_colorScheme[CE_LAST] = {
    [CE_DEFAULT] = {-1, -1, A_NORMAL},
    [CE_HEADER] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL},
    [CE_HEADER_TAG] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD},
    [CE_VERDICT_NONE] = {COLOR_WHITE, COLOR_BLUE, A_BOLD},
    [CE_VERDICT_OK] = {COLOR_BLACK, COLOR_GREEN, A_BOLD},
    [CE_VERDICT_WARN] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD},
    [CE_VERDICT_CRIT] = {COLOR_WHITE, COLOR_RED, A_BOLD},
    [CE_TITLE] = {COLOR_CYAN, -1, A_BOLD},
    [CE_VALUE] = {-1, -1, A_BOLD},
    [CE_HINT] = {-1, -1, A_NORMAL},
    [CE_OK] = {COLOR_GREEN, -1, A_BOLD},
    [CE_WARN] = {COLOR_YELLOW, -1, A_BOLD},
    [CE_CRIT] = {COLOR_RED, -1, A_BOLD},
    [CE_CHART] = {COLOR_CYAN, -1, A_NORMAL},
    [CE_CHART_LINE] = {COLOR_YELLOW, -1, A_BOLD},
    [CE_CHART_LINE_IN] = {COLOR_BLACK, COLOR_YELLOW, A_NORMAL},
    [CE_MARK] = {COLOR_MAGENTA, -1, A_BOLD},
    [CE_BAR] = {COLOR_CYAN, -1, A_NORMAL},
    [CE_BAR_TOP] = {COLOR_RED, -1, A_BOLD},
    [CE_NAIVE] = {COLOR_YELLOW, -1, A_NORMAL},
    [CE_OPTIMIZED] = {COLOR_GREEN, -1, A_BOLD},
    [CE_SELECTED] = {-1, -1, A_REVERSE},
    [CE_KEY] = {-1, -1, A_BOLD},
    [CE_KEY_LABEL] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL},
    [CE_POINT] = {COLOR_CYAN, -1, A_BOLD},
    [CE_POINT_CURRENT] = {COLOR_YELLOW, -1, A_BOLD | A_REVERSE},
    [CE_PREDICTION] = {COLOR_MAGENTA, -1, A_NORMAL},
    [CE_CAPTION] = {COLOR_YELLOW, -1, A_BOLD},
    [CE_SIMULATED] = {COLOR_WHITE, COLOR_MAGENTA, A_NORMAL},
    [CE_REC] = {COLOR_WHITE, COLOR_RED, A_BOLD},
};

/* Without colours, meaning rides on bold, reverse and underline (and on the words). */
static const int crt_monoScheme[CE_LAST] = {
    [CE_DEFAULT] = A_NORMAL,
    [CE_HEADER] = A_REVERSE,
    [CE_HEADER_TAG] = A_BOLD,
    [CE_VERDICT_NONE] = A_BOLD,
    [CE_VERDICT_OK] = A_BOLD,
    [CE_VERDICT_WARN] = A_BOLD | A_UNDERLINE,
    [CE_VERDICT_CRIT] = A_BOLD | A_REVERSE,
    [CE_TITLE] = A_BOLD | A_UNDERLINE,
    [CE_VALUE] = A_BOLD,
    [CE_HINT] = A_NORMAL,
    [CE_OK] = A_NORMAL,
    [CE_WARN] = A_BOLD,
    [CE_CRIT] = A_BOLD | A_REVERSE,
    [CE_CHART] = A_NORMAL,
    [CE_CHART_LINE] = A_BOLD,
    [CE_CHART_LINE_IN] = A_REVERSE,
    [CE_MARK] = A_BOLD,
    [CE_BAR] = A_NORMAL,
    [CE_BAR_TOP] = A_BOLD,
    [CE_NAIVE] = A_NORMAL,
    [CE_OPTIMIZED] = A_BOLD,
    [CE_SELECTED] = A_REVERSE,
    [CE_KEY] = A_BOLD,
    [CE_KEY_LABEL] = A_REVERSE,
    [CE_POINT] = A_NORMAL,
    [CE_POINT_CURRENT] = A_BOLD | A_REVERSE,
    [CE_PREDICTION] = A_UNDERLINE,
    [CE_CAPTION] = A_BOLD,
    [CE_SIMULATED] = A_UNDERLINE,
    [CE_REC] = A_BOLD | A_REVERSE,
};

static struct {
   bool active;
   bool color;
   bool utf8;
   bool atexit_set;
   const Glyphs* glyphs;
   int attr[CE_LAST];
   SCREEN* screen;
   FILE* out;        /* where the screen is drawn: stdout, or the terminal when stdout is redirected */
   bool out_owned;   /* out was opened here (/dev/tty) */
   FILE* in;         /* the keys: standard input, or /dev/tty when a replay reads standard input */
   int saved_stderr; /* the real stderr while it is captured, else -1 */
   int capture_fd;   /* the file that stands in for it */
   off_t capture_seen;
} crt = {.saved_stderr = -1, .capture_fd = -1, .glyphs = &Chart_ascii};

/* Set by the handlers, read by the UI thread. Any thread may take a signal sent
 * to the process, so these are lock-free atomics, which are safe in a handler
 * and across threads, where volatile is neither. */
static atomic_int crt_tstp = 0;
static atomic_int crt_cont = 0;

static const int crt_flagSignals[] = {SIGTSTP, SIGCONT};
#define CRT_FLAG_SIGNALS (sizeof crt_flagSignals / sizeof crt_flagSignals[0])
static struct sigaction crt_oldFlag[CRT_FLAG_SIGNALS];

/* Sanitizers report crashes themselves; a handler of ours would hide their report. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CRT_CRASH_HANDLER 0
#else
#define CRT_CRASH_HANDLER 1
static const int crt_crashSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#define CRT_CRASH_SIGNALS (sizeof crt_crashSignals / sizeof crt_crashSignals[0])
static struct sigaction crt_oldCrash[CRT_CRASH_SIGNALS];
#endif

static void crt_onSignal(int sig) {
   /* errno is the interrupted code's: a handler must leave it as it found it (TSan checks) */
   int saved_errno = errno;
   if (sig == SIGTSTP)
      atomic_store(&crt_tstp, 1);
   else
      atomic_store(&crt_cont, 1);
   errno = saved_errno;
}

/* Copy the captured stderr to the real one, with write(2) only (the crash path uses it too). */
static void crt_replayStderr(void) {
   if (crt.capture_fd < 0 || crt.saved_stderr < 0)
      return;
   char buf[4096];
   off_t at = 0;
   for (;;) {
      ssize_t n = pread(crt.capture_fd, buf, sizeof buf, at);
      if (n <= 0)
         break;
      at += n;
      for (ssize_t done = 0; done < n;) {
         ssize_t w = write(crt.saved_stderr, buf + done, (size_t)(n - done));
         if (w <= 0)
            return;
         done += w;
      }
   }
}

/* Put the real stderr back (async-signal-safe). */
static void crt_releaseStderr(void) {
   if (crt.saved_stderr < 0)
      return;
   dup2(crt.saved_stderr, STDERR_FILENO);
   crt_replayStderr();
   close(crt.saved_stderr);
   crt.saved_stderr = -1;
   if (crt.capture_fd >= 0)
      close(crt.capture_fd);
   crt.capture_fd = -1;
}

#if CRT_CRASH_HANDLER
static void crt_onCrash(int sig) {
   /* endwin is not async-signal-safe, but a crashed program with a raw
    * terminal is worse; this is the last thing the process does */
   if (crt.active)
      endwin();
   crt.active = false;
   crt_releaseStderr();
   static const char msg[] = "keepup: crashed; the terminal was restored. Please report this.\n";
   if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
      /* nothing more to do */
   }
   signal(sig, SIG_DFL);
   raise(sig);
}
#endif

/* A sanitizer's runtime, when one is linked in: it calls this after its report, before it ends the process. */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static void crt_onSanitizerDeath(void) {
   if (crt.active)
      endwin();
   crt.active = false;
   crt_releaseStderr(); /* the report is in the capture: it goes to the real stderr now */
}

static void crt_installSignals(void) {
   struct sigaction sa;
   memset(&sa, 0, sizeof sa);
   sa.sa_handler = crt_onSignal;
   sigemptyset(&sa.sa_mask);
   /* no SA_RESTART: a signal cuts getch's wait short so the loop sees the flag at once */
   for (size_t i = 0; i < CRT_FLAG_SIGNALS; i++)
      sigaction(crt_flagSignals[i], &sa, &crt_oldFlag[i]);
#if CRT_CRASH_HANDLER
   sa.sa_handler = crt_onCrash;
   sa.sa_flags = SA_RESETHAND;
   for (size_t i = 0; i < CRT_CRASH_SIGNALS; i++)
      sigaction(crt_crashSignals[i], &sa, &crt_oldCrash[i]);
#endif
}

static void crt_restoreSignals(void) {
   for (size_t i = 0; i < CRT_FLAG_SIGNALS; i++)
      sigaction(crt_flagSignals[i], &crt_oldFlag[i], NULL);
#if CRT_CRASH_HANDLER
   for (size_t i = 0; i < CRT_CRASH_SIGNALS; i++)
      sigaction(crt_crashSignals[i], &crt_oldCrash[i], NULL);
#endif
}

static void crt_captureStderr(void) {
   FILE* f = tmpfile();
   if (!f)
      return; /* then stderr goes to the screen, which is ugly but loses nothing */
   fflush(stderr);
   int fd = dup(fileno(f));
   fclose(f);
   int saved = fd >= 0 ? dup(STDERR_FILENO) : -1;
   if (fd < 0 || saved < 0 || dup2(fd, STDERR_FILENO) < 0) {
      if (fd >= 0)
         close(fd);
      if (saved >= 0)
         close(saved);
      return;
   }
   crt.capture_fd = fd;
   crt.saved_stderr = saved;
   crt.capture_seen = 0;
}

static void crt_setupColors(bool no_color) {
   const char* nc = getenv("NO_COLOR");
   crt.color = !no_color && !(nc && *nc) && has_colors() && start_color() == OK && COLORS >= 8 && COLOR_PAIRS > CE_LAST;
   if (!crt.color) {
      for (int e = 0; e < CE_LAST; e++)
         crt.attr[e] = crt_monoScheme[e];
      return;
   }
   bool defaults = use_default_colors() == OK;
   for (int e = 0; e < CE_LAST; e++) {
      const ColorSpec* c = &crt_colorScheme[e];
      short fg = c->fg, bg = c->bg;
      if (!defaults) {
         fg = fg < 0 ? COLOR_WHITE : fg;
         bg = bg < 0 ? COLOR_BLACK : bg;
      }
      init_pair((short)(e + 1), fg, bg);
      crt.attr[e] = (int)COLOR_PAIR(e + 1) | c->attr;
   }
}

static void crt_closeOut(void) {
   if (crt.out_owned && crt.out)
      fclose(crt.out);
   crt.out = NULL;
   crt.out_owned = false;
   if (crt.in && crt.in != stdin)
      fclose(crt.in);
   crt.in = NULL;
}

static void crt_atexit(void) {
   CRT_done();
}

bool CRT_init(bool no_color, char* err, size_t errlen) {
   const char* term = getenv("TERM");
   if (!term || !*term || strcmp(term, "dumb") == 0) {
      snprintf(err, errlen, "the dashboard needs a terminal that can move the cursor, and TERM is %s%s%s",
               term && *term ? "'" : "", term && *term ? term : "not set", term && *term ? "'" : "");
      return false;
   }
   setlocale(LC_CTYPE, "");
   const char* codeset = nl_langinfo(CODESET);
   crt.utf8 = codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
   crt.glyphs = Chart_glyphs(crt.utf8);

   /* with standard output redirected (--json > FILE) the screen goes to the controlling terminal */
   crt.out = stdout;
   crt.out_owned = false;
   if (!isatty(STDOUT_FILENO)) {
      crt.out = fopen("/dev/tty", "we");
      if (!crt.out) {
         snprintf(err, errlen, "standard output is not a terminal and /dev/tty cannot be opened: %s", strerror(errno));
         return false;
      }
      crt.out_owned = true;
   }
   /* with standard input the data (--replay -), the keys come from the controlling terminal */
   crt.in = stdin;
   if (!isatty(STDIN_FILENO)) {
      crt.in = fopen("/dev/tty", "re");
      if (!crt.in) {
         snprintf(err, errlen, "standard input is not a terminal and /dev/tty cannot be opened: %s", strerror(errno));
         crt_closeOut();
         return false;
      }
   }
   /* our handlers first: ncurses installs its own only where none is set */
   Signals_install();
   atomic_store(&crt_tstp, 0);
   atomic_store(&crt_cont, 0);
   crt_installSignals();
   if (__sanitizer_set_death_callback)
      __sanitizer_set_death_callback(crt_onSanitizerDeath);
   crt.screen = newterm(NULL, crt.out, crt.in);
   if (!crt.screen) {
      crt_restoreSignals();
      crt_closeOut();
      snprintf(err, errlen, "the terminal type '%s' is unknown to curses", term);
      return false;
   }
   const char* cup = tigetstr("cup");
   if (!cup || cup == (const char*)(intptr_t)-1) {
      endwin();
      delscreen(crt.screen);
      crt.screen = NULL;
      crt_restoreSignals();
      crt_closeOut();
      snprintf(err, errlen, "the terminal '%s' cannot move the cursor", term);
      return false;
   }
   crt.active = true;
   if (!crt.atexit_set) {
      atexit(crt_atexit);
      crt.atexit_set = true;
   }
   crt_captureStderr();
   cbreak();
   noecho();
   nonl();
   intrflush(stdscr, FALSE);
   keypad(stdscr, TRUE);
   /* Home as the terminals that do not match their terminfo send it (tmux and screen: \e[1~, rxvt: \e[7~;
    * xterm's own is \eOH or \e[H): the replay restarts on it */
   static const char* const home[] = {"\033[1~", "\033[7~", "\033[H", "\033OH"};
   for (size_t i = 0; i < sizeof home / sizeof home[0]; i++)
      if (key_defined(home[i]) <= 0)
         define_key(home[i], KEY_HOME);
   curs_set(0);
   set_escdelay(25);
   mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL);
   mouseinterval(0);
   crt_setupColors(no_color);
   /* stdscr is the one window; refresh it once so getch has nothing to flush */
   wnoutrefresh(stdscr);
   return true;
}

void CRT_done(void) {
   if (crt.active) {
      mousemask(0, NULL);
      curs_set(1);
      endwin();
      crt.active = false;
      fflush(crt.out);
      if (crt.screen) {
         delscreen(crt.screen);
         crt.screen = NULL;
      }
      crt_restoreSignals();
      crt_closeOut();
   }
   fflush(stderr);
   crt_releaseStderr();
}

bool CRT_active(void) {
   return crt.active;
}

int CRT_attr(ColorElement e) {
   return e >= 0 && e < CE_LAST ? crt.attr[e] : (int)A_NORMAL;
}

bool CRT_color(void) {
   return crt.color;
}

bool CRT_utf8(void) {
   return crt.utf8;
}

const Glyphs* CRT_glyphs(void) {
   return crt.glyphs;
}

int CRT_quitSignal(void) {
   return Signals_first();
}

bool CRT_handleSuspend(void) {
   bool redraw = false;
   if (atomic_exchange(&crt_tstp, 0)) {
      if (crt.active) {
         endwin();
         fflush(crt.out);
      }
      struct sigaction dfl, ours;
      memset(&dfl, 0, sizeof dfl);
      dfl.sa_handler = SIG_DFL;
      sigemptyset(&dfl.sa_mask);
      sigaction(SIGTSTP, &dfl, &ours);
      kill(getpid(), SIGTSTP); /* stops here until SIGCONT */
      sigaction(SIGTSTP, &ours, NULL);
      redraw = true;
   }
   if (atomic_exchange(&crt_cont, 0)) {
      redraw = true;
   }
   if (redraw && crt.active) {
      /* the next doupdate takes the terminal back; repaint every cell */
      reset_prog_mode();
      clearok(curscr, TRUE);
   }
   return redraw;
}

bool CRT_stderrLine(char* buf, size_t len) {
   if (crt.capture_fd < 0 || len == 0)
      return false;
   struct stat st;
   if (fstat(crt.capture_fd, &st) != 0 || st.st_size <= crt.capture_seen)
      return false;
   char tail[256];
   off_t from = st.st_size - (off_t)sizeof tail + 1;
   if (from < crt.capture_seen)
      from = crt.capture_seen;
   ssize_t n = pread(crt.capture_fd, tail, (size_t)(st.st_size - from), from);
   crt.capture_seen = st.st_size;
   if (n <= 0)
      return false;
   tail[n] = '\0';
   /* the last non-empty line */
   while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r'))
      tail[--n] = '\0';
   char* line = strrchr(tail, '\n');
   line = line ? line + 1 : tail;
   if (!*line)
      return false;
   snprintf(buf, len, "%s", line);
   return true;
}

void CRT_fatal(int status, const char* fmt, ...) {
   CRT_done();
   va_list ap;
   va_start(ap, fmt);
   fputs("keepup: ", stderr);
   vfprintf(stderr, fmt, ap);
   fputc('\n', stderr);
   va_end(ap);
   exit(status);
}
