/*
 * timepanels.h: the panels that chart a measure over time (Panels_table lists them).
 */
#ifndef KEEPUP_UI_TIMEPANELS_H
#define KEEPUP_UI_TIMEPANELS_H

#include "ui/canvas.h"
#include "ui/view.h"

void TimePanels_backlog(const View* v, ViewHits* hits, const Canvas* c);
void TimePanels_staleness(const View* v, ViewHits* hits, const Canvas* c);
void TimePanels_throughput(const View* v, ViewHits* hits, const Canvas* c);
void TimePanels_latency(const View* v, ViewHits* hits, const Canvas* c);
void TimePanels_alertDelay(const View* v, ViewHits* hits, const Canvas* c);

#endif
