/*
 * dashboard.h: the full-screen front end (ncursesw) over a running engine.
 */
#ifndef KEEPUP_UI_DASHBOARD_H
#define KEEPUP_UI_DASHBOARD_H

#include "engine.h"
#include "options.h"

/* Take the terminal, start the engine, show it live and let the keys turn its
 * knobs until q, F10, SIGINT, SIGTERM or SIGHUP; then restore the terminal,
 * stop the engine (what is still queued stays queued), print a one-line
 * summary to stdout and return the exit status: 0, or 2 when the terminal
 * cannot host the dashboard (the message is on stderr and the engine was
 * never started). The caller creates the engine before and deletes it after. */
int Dashboard_run(const Options* options, Engine* engine);

#endif
