/*
 * teachpanels.h: the panels that put the model beside the measurement (Panels_table lists them).
 */
#ifndef KEEPUP_UI_TEACHPANELS_H
#define KEEPUP_UI_TEACHPANELS_H

#include "ui/canvas.h"
#include "ui/view.h"

void TeachPanels_forecast(const View* v, ViewHits* hits, const Canvas* c);
void TeachPanels_amdahl(const View* v, ViewHits* hits, const Canvas* c);
void TeachPanels_tradeoff(const View* v, ViewHits* hits, const Canvas* c);

#endif
