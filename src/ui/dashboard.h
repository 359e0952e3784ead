/*
 * dashboard.h: the full-screen front end (ncursesw) over a running engine.
 */
#ifndef KEEPUP_UI_DASHBOARD_H
#define KEEPUP_UI_DASHBOARD_H

#include "app/run.h"

/* Take the terminal, start the run's engine, show it live and let the keys
 * turn its knobs (and start or stop recording) until q, F10, SIGINT, SIGTERM,
 * SIGHUP or the end of --duration; then restore the terminal, stop the engine
 * (what is still queued stays queued), print a one-line summary to stdout
 * (with --json: the JSON summary to stdout, the line to stderr) and return
 * the exit status: 0; 2 when the terminal cannot host the dashboard (the
 * message is on stderr and the engine was never started); 3 when a recording
 * started or stopped here failed, or the JSON could not be written (the
 * message on stderr). The caller opens the run before and closes it after. */
int Dashboard_run(Run* run);

#endif
