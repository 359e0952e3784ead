/*
 * report.h: the final summary of a run as one JSON object (--json), shared by
 * the front ends: headless prints it at the end of a run, the dashboard after
 * the terminal is restored. Its schema is in keepup(1) under JSON SUMMARY.
 * No curses, no threads of its own: it reads a snapshot, the engine's history and the analysis.
 */
#ifndef KEEPUP_REPORT_H
#define KEEPUP_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "engine/engine.h"
#include "app/options.h"
#include "app/run.h"
#include "core/analysis.h"
#include "core/snapshot.h"

/* Least-squares slope of the backlog over the engine's whole history, records/s (0 with fewer than two samples);
 * held: of the backlog and the records held back at the source together (everything waiting). */
double Report_backlogTrend(Engine* engine, bool held);

/* Write the summary of s as one JSON object on one line; backlog_trend and waiting_trend from
 * Report_backlogTrend, the verdict and its reason from the analysis fed up to s; the knobs that applied
 * to the run, a replay's own object (its files, counts and how it ended), and the run's failures
 * (n_errors texts: "error" is the first or null, "errors" the list). Call it before Run_close. */
void Report_writeJson(FILE* out, Run* run, const Snapshot* s, double backlog_trend, double waiting_trend,
                      const Analysis* analysis, const char* const* errors, size_t n_errors);

/* The replay's lines of the text summary (its files and counts, how it ended); nothing for the simulator. */
void Report_replayText(FILE* out, Run* run);

#endif
