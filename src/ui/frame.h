/*
 * frame.h: the fixed parts of the dashboard's screen: header, the scenario's
 * caption, the verdict banner, the key bar.
 */
#ifndef KEEPUP_UI_FRAME_H
#define KEEPUP_UI_FRAME_H

#include "ui/canvas.h"
#include "ui/view.h"

void Frame_header(const View* v, const Canvas* c);
/* Rows the scenario's caption takes at this width (0: no scenario). */
int Frame_captionRows(const View* v, int width);
void Frame_caption(const View* v, const Canvas* c);
void Frame_verdict(const View* v, const Canvas* c);
/* Rows the key bar takes at this width: 1, or 2 when its keys do not fit on one. */
int Frame_keybarRows(const View* v, int width);
void Frame_keybar(const View* v, const Canvas* c);

#endif
