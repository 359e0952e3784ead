/*
 * signals.h: the signals that end a run, turned into flags for the front
 * ends. Signals_install runs first thing in main, before calibration, so a
 * signal at any moment ends the run with its summary instead of killing the
 * process half-way:
 *
 *   SIGINT, SIGTERM, SIGHUP      stop cleanly (the front end's own exit status)
 *   SIGQUIT, SIGUSR1, SIGUSR2,   stop the same way, then, once the summary is
 *   SIGALRM, SIGVTALRM, SIGPROF, out and the terminal restored, die of the
 *   SIGXCPU, SIGIO, SIGPWR and   signal's default action (Signals_reraise),
 *   the real-time signals        as the sender expects
 *   SIGPIPE, SIGXFSZ             ignored: a closed pipe or a file-size limit
 *                                is a write error, reported as one
 *
 * The crash signals (SIGSEGV, SIGBUS, ...) are not here: the dashboard's
 * terminal module restores the terminal on those. A handler only stores
 * atomics, and any thread may take a signal.
 */
#ifndef KEEPUP_SIGNALS_H
#define KEEPUP_SIGNALS_H

#include <signal.h>

/* Install the handlers (idempotent). */
void Signals_install(void);
/* The first signal that asked the run to stop; 0: none yet. */
int Signals_first(void);
/* How many such signals arrived (a second one ends a --drain). */
unsigned Signals_count(void);
/* Block the asynchronous signals above (and SIGTSTP, SIGCONT, SIGWINCH) in the calling thread, the
 * previous mask into old: threads started meanwhile inherit it and leave those signals to the thread
 * that waits for them (a getch, a sleep), which a signal then wakes at once. */
void Signals_block(sigset_t* old);
/* Put back the mask Signals_block saved. */
void Signals_unblock(const sigset_t* old);
/* When the first signal was one whose default is to end the process other
 * than SIGINT, SIGTERM or SIGHUP: restore its default action and raise it
 * (this does not return). Otherwise nothing. */
void Signals_reraise(void);

#endif
