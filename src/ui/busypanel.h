/*
 * busypanel.h: the workers' and the partitions' busy meters (htop's per-CPU
 * meters), for the skew lesson: which partition is hot, its sensor, and why a
 * second worker cannot help it (Panels_table lists it).
 */
#ifndef KEEPUP_UI_BUSYPANEL_H
#define KEEPUP_UI_BUSYPANEL_H

#include "ui/canvas.h"
#include "ui/view.h"

/* The busiest partitions of the snapshot, busiest first: their indexes into out; returns how many
 * (at most max, only partitions that were busy at all). */
int BusyPanel_hottest(const Snapshot* s, int* out, int max);
void BusyPanel_draw(const View* v, ViewHits* hits, const Canvas* c);

#endif
