/* panels.c: the table of the dashboard's panels. */
#include "config.h"

#include "ui/panels.h"

#include "ui/busypanel.h"
#include "ui/tablepanels.h"
#include "ui/teachpanels.h"
#include "ui/timepanels.h"

const PanelDef Panels_table[PANEL_LAST] = {
    [PANEL_BACKLOG] = {"backlog", TimePanels_backlog},
    [PANEL_STALENESS] = {"staleness", TimePanels_staleness},
    [PANEL_THROUGHPUT] = {"throughput", TimePanels_throughput},
    [PANEL_LATENCY] = {"latency", TimePanels_latency},
    [PANEL_STAGES] = {"stages", TablePanels_stages},
    [PANEL_KNOBS] = {"knobs", TablePanels_knobs},
    [PANEL_ALERTS] = {"alerts", TablePanels_alerts},
    [PANEL_TRADEOFF] = {"tradeoff", TeachPanels_tradeoff},
    [PANEL_RECORDS] = {"records", TablePanels_records},
    [PANEL_ALERT_DELAY] = {"alert delay", TimePanels_alertDelay},
    [PANEL_EVENTS] = {"events", TablePanels_events},
    [PANEL_FORECAST] = {"forecast", TeachPanels_forecast},
    [PANEL_AMDAHL] = {"amdahl", TeachPanels_amdahl},
    [PANEL_SOURCE] = {"record/replay", TablePanels_source},
    [PANEL_BUSY] = {"busy", BusyPanel_draw},
};
