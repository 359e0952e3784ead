/*
 * panels.h: the dashboard's panels, each a function that draws one View
 * into one Canvas, found through a table indexed by PanelId. The panels live
 * in their families (timepanels, tablepanels, teachpanels); the fixed parts
 * of the screen are in frame, the full-screen views in screens. A new panel
 * is a PanelId, a row in Layout_panels, its function in its family and a
 * row here.
 */
#ifndef KEEPUP_UI_PANELS_H
#define KEEPUP_UI_PANELS_H

#include "ui/canvas.h"
#include "ui/view.h"

/* Draw v into c; a panel with selectable rows notes in hits where it drew them. */
typedef void (*PanelDraw)(const View* v, ViewHits* hits, const Canvas* c);

typedef struct PanelDef {
   const char* name;
   PanelDraw draw;
} PanelDef;

extern const PanelDef Panels_table[PANEL_LAST];

#endif
