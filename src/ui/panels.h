/*
 * panels.h: the dashboard's panels, each a function that draws one View
 * into one Canvas, found through a table indexed by PanelId; plus the fixed
 * parts of the screen (header, verdict, key bar) and the full-screen views
 * (help, event log, terminal too small). A new panel is a PanelId, a row in
 * Layout_panels and a row here.
 */
#ifndef KEEPUP_UI_PANELS_H
#define KEEPUP_UI_PANELS_H

#include "ui/canvas.h"
#include "ui/view.h"

typedef void (*PanelDraw)(View* v, const Canvas* c);

typedef struct PanelDef {
   const char* name;
   PanelDraw draw;
} PanelDef;

extern const PanelDef Panels_table[PANEL_LAST];

void Panels_header(View* v, const Canvas* c);
/* Rows the scenario's caption takes at this width (0: no scenario). */
int Panels_captionRows(const View* v, int width);
void Panels_caption(View* v, const Canvas* c);
void Panels_verdict(View* v, const Canvas* c);
void Panels_keybar(View* v, const Canvas* c);
/* Full-screen views; they clamp v->scroll to what there is to scroll. */
void Panels_help(View* v, const Canvas* c);
void Panels_eventLog(View* v, const Canvas* c);
void Panels_scenarioMenu(View* v, const Canvas* c);
void Panels_tooSmall(View* v, const Canvas* c);

#endif
