/*
 * screens.h: the dashboard's full-screen views.
 */
#ifndef KEEPUP_UI_SCREENS_H
#define KEEPUP_UI_SCREENS_H

#include "ui/canvas.h"
#include "ui/view.h"

/* The help and the event log, scrolled to v->ui.scroll as far as there is to scroll; they return
 * the scroll they used (the event log counts it from its newest end). */
int Screens_help(const View* v, const Canvas* c);
int Screens_eventLog(const View* v, const Canvas* c);
/* The latency percentile view, from the snapshot copy (ui/latencytable.h has its text). */
void Screens_latency(const View* v, const Canvas* c);
void Screens_scenarioMenu(const View* v, const Canvas* c);
void Screens_tooSmall(const View* v, const Canvas* c);

#endif
