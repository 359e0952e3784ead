/*
 * tablepanels.h: the panels that are tables and lists (Panels_table lists them).
 */
#ifndef KEEPUP_UI_TABLEPANELS_H
#define KEEPUP_UI_TABLEPANELS_H

#include "ui/canvas.h"
#include "ui/view.h"

void TablePanels_stages(const View* v, ViewHits* hits, const Canvas* c);
void TablePanels_knobs(const View* v, ViewHits* hits, const Canvas* c);
void TablePanels_alerts(const View* v, ViewHits* hits, const Canvas* c);
void TablePanels_records(const View* v, ViewHits* hits, const Canvas* c);
void TablePanels_events(const View* v, ViewHits* hits, const Canvas* c);
void TablePanels_source(const View* v, ViewHits* hits, const Canvas* c);

#endif
