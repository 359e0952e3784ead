/* signals.c: stop signals as atomics, and dying of one once the run has reported. */
#include "config.h"

#include "base/signals.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

/* lock-free atomics: safe in a handler and across threads, where volatile is neither */
static atomic_int signals_first = 0;
static atomic_uint signals_count = 0;
static atomic_bool signals_installed = false;

/* Stop cleanly: the front end decides the exit status. */
static const int signals_stop[] = {SIGINT, SIGTERM, SIGHUP};

/* Stop, report, then die of the signal. */
static const int signals_fatal[] = {
   SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,
#ifdef SIGIO
   SIGIO,
#endif
#ifdef SIGPWR
   SIGPWR,
#endif
#ifdef SIGSTKFLT
   SIGSTKFLT,
#endif
};

static void signals_onSignal(int sig) {
   int saved_errno = errno; /* the interrupted code's errno, as it found it (TSan checks) */
   int none = 0;
   atomic_compare_exchange_strong(&signals_first, &none, sig);
   atomic_fetch_add(&signals_count, 1);
   errno = saved_errno;
}

static void signals_set(int sig, void (*handler)(int)) {
   struct sigaction sa;
   memset(&sa, 0, sizeof sa);
   sa.sa_handler = handler;
   sigemptyset(&sa.sa_mask);
   /* no SA_RESTART: a signal cuts a wait short, so the waiter looks at the flag at once */
   sigaction(sig, &sa, NULL);
}

void Signals_install(void) {
   if (atomic_exchange(&signals_installed, true))
      return;
   for (size_t i = 0; i < sizeof signals_stop / sizeof signals_stop[0]; i++)
      signals_set(signals_stop[i], signals_onSignal);
   for (size_t i = 0; i < sizeof signals_fatal / sizeof signals_fatal[0]; i++)
      signals_set(signals_fatal[i], signals_onSignal);
#ifdef SIGRTMIN
   for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
      signals_set(sig, signals_onSignal);
#endif
   signals_set(SIGPIPE, SIG_IGN);
   signals_set(SIGXFSZ, SIG_IGN);
}

void Signals_block(sigset_t* old) {
   sigset_t set;
   sigemptyset(&set);
   for (size_t i = 0; i < sizeof signals_stop / sizeof signals_stop[0]; i++)
      sigaddset(&set, signals_stop[i]);
   for (size_t i = 0; i < sizeof signals_fatal / sizeof signals_fatal[0]; i++)
      sigaddset(&set, signals_fatal[i]);
#ifdef SIGRTMIN
   for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
      sigaddset(&set, sig);
#endif
   sigaddset(&set, SIGTSTP);
   sigaddset(&set, SIGCONT);
   sigaddset(&set, SIGWINCH);
   pthread_sigmask(SIG_BLOCK, &set, old);
}

void Signals_unblock(const sigset_t* old) {
   pthread_sigmask(SIG_SETMASK, old, NULL);
}

int Signals_first(void) {
   return atomic_load(&signals_first);
}

unsigned Signals_count(void) {
   return atomic_load(&signals_count);
}

void Signals_reraise(void) {
   int sig = Signals_first();
   if (sig == 0)
      return;
   for (size_t i = 0; i < sizeof signals_stop / sizeof signals_stop[0]; i++)
      if (sig == signals_stop[i])
         return;
   signals_set(sig, SIG_DFL);
   sigset_t set;
   sigemptyset(&set);
   sigaddset(&set, sig);
   pthread_sigmask(SIG_UNBLOCK, &set, NULL);
   raise(sig);
}
