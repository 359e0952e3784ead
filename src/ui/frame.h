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
/* Where each panel goes on a w x h screen, favouring what the user is doing (sweeping: a batch-size
 * sweep runs or has run): into v->layout. */
void Frame_layout(View* v, int w, int h, bool sweeping);
/* The main screen as laid out: header, caption, verdict, the panels that fit, key bar. */
void Frame_drawMain(const View* v, ViewHits* hits, int w);
/* The rectangle panel p draws in: its place in the layout less the blank column beside a neighbour. */
Rect Frame_panelRect(const Layout* l, int p, int w);

#endif
