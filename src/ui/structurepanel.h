/*
 * structurepanel.h: the structure lesson's table (core/structure.h), drawn in
 * the trade-off panel's place while that lesson runs and no sweep is shown.
 */
#ifndef KEEPUP_UI_STRUCTUREPANEL_H
#define KEEPUP_UI_STRUCTUREPANEL_H

#include "ui/canvas.h"
#include "ui/view.h"

void StructurePanel_draw(const View* v, const Canvas* c);

#endif
