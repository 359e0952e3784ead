/*
 * screens.c: the dashboard's full-screen views: help (the key table's keys,
 * then how to read the screen and what each stage's variants do), the event
 * log, the scenario menu, and the terminal too small for anything else.
 */
#include "config.h"

#include "ui/screens.h"

#include <inttypes.h>
#include <stdio.h>

#include "ui/keys.h"
#include "ui/latencytable.h"
#include "ui/panel.h"

/* Lines of at most 78 columns: the help fits an 80-column terminal. */
static const char* const screens_helpText[] = {
    "",
    "Reading the screen",
    "  Under the header, the scenario's caption says what to try. Charts: bars are",
    "  the main series, a line the second one (see each title); a dotted tick",
    "  marks a knob change, with its text in the backlog chart.",
    "  Every number is measured from the running pipeline; what the model computes",
    "  is labelled \"predicted\", and simulated CPU work is labelled \"sim\".",
    "",
    "What the figures mean",
    "  offered     records the schedule made due (arrival rate = offered rate)",
    "  admitted    records the source let in; held back: offered, not admitted",
    "              (--overflow block at the cap: the source waits, its schedule",
    "              goes on; lag at a blocked producer is lag)",
    "  processed   records the workers completed (passed every stage or filtered)",
    "  backlog     admitted, not completed: queued, in open batches, in flight",
    "  staleness   age of the oldest record not processed, from its scheduled",
    "              arrival, admitted or not",
    "  output lag  now minus the event time of the newest processed record",
    "  hand-off    a batch's cost outside the stages: claim, dispatch, completion",
    "  CPU         costs per record are CPU time; workers busy counts CPUs",
    "",
    "The verdict (offered vs processed over one window, named in the forecast)",
    "  MEASURING       not enough history yet (bursts: until a whole period)",
    "  KEEPING UP      nothing grows; the oldest record is young, or steady",
    "  FALLING BEHIND  what waits grows, records age, or records are dropped",
    "  CATCHING UP     what waits shrinks",
    "  INPUT ENDED     a replay has ended; records still wait (empty in ~T)",
    "  DONE            the input ended and every record is done",
    "  REPLAY FAILED   a replay stopped on an error (FILE:LINE under the banner)",
    "  A new verdict must hold 1.5 s; until then the reason says which it would be.",
    "",
    "Forecast",
    "  Capacity: what the workers can sustain, from the measured CPU cost per",
    "  record (stages and hand-off), the threads, the CPUs free for them and the",
    "  hottest partition. Utilization is offered / capacity: above 1 what waits",
    "  grows by offered - capacity. From that growth: when the oldest record",
    "  passes the staleness limit (--stale-limit), when the backlog hits its",
    "  memory cap (the safety cap under grow), or when it empties. The predicted",
    "  growth is checked against the measured one while the backlog persists; if",
    "  it is off by more than 20% for 5 s, the panel says so.",
    "",
    "Amdahl",
    "  p is the selected stage's share of the workers' busy time (the stage table's",
    "  total). Making that stage s times faster makes the whole at most",
    "  1/((1-p) + p/s) times faster. Toggle the stage: the panel shows the",
    "  prediction from its cost before and after next to the measured speedup",
    "  (throughput after / before, with its uncertainty, valid only while the",
    "  pipeline is saturated; else records per busy CPU-second, marked *). Above",
    "  1/(1-p) something else changed too: the panel names it.",
    "",
    "Lessons",
    "  Each lesson's caption follows what you try: per setting of its knob",
    "  (variants, batch, threads, policy) it quotes what was measured, the records",
    "  done against those offered, p99, the oldest record, drops or the held-back",
    "  source, and says what to try next. At the lesson's end it shows a table of",
    "  where it began (batching: the batch size before) and the setting in force.",
    "  Another knob changed stops it: set it back, or z starts the lesson afresh.",
    "",
    "Sweep",
    "  S runs batch sizes 1024, 256, 64, 16, 4 and 1 on the live pipeline, each",
    "  settled, then measured for 3 s, and restores the batch size; the knee is the",
    "  smallest batch size reaching 90% of the peak throughput. A knob change",
    "  cancels it. On an old backlog it waits for it to drain, or is refused.",
    "",
    "Stages: what each variant does",
};

/* Clamp a scroll position to [0, max]. */
static int screens_clamp(int scroll, int max) {
   return scroll > max ? max : scroll < 0 ? 0 : scroll;
}

/* A line of the help's key list: the key table's listed rows, in its order. */
static void screens_keyLine(const Canvas* c, int y, int i) {
   char keys[24], help[160];
   for (size_t k = 0; k < Keys_count; k++) {
      if (!Keys_helpLine(&Keys_table[k], help, sizeof help) || i-- > 0)
         continue;
      Keys_helpKeys(&Keys_table[k], keys, sizeof keys);
      Canvas_text(c, y, 2, CE_KEY, keys);
      Canvas_text(c, y, 14, CE_DEFAULT, help);
      return;
   }
}

/* A line of the stages' part: per stage two lines, or three (the name on a line of its own). */
static void screens_stageLine(const Canvas* c, int y, int k, int per_stage) {
   const StageDef* st = &Stage_table[k / per_stage];
   int line = k % per_stage;
   if (line == 0)
      Canvas_printf(c, y, 2, CE_KEY, "%d %-9s", k / per_stage + 1, st->name);
   int x = per_stage == 2 ? 14 : 4;
   if (line == per_stage - 2)
      Canvas_printf(c, y, x, CE_NAIVE, "naive:     %s", st->naive);
   else if (line == per_stage - 1)
      Canvas_printf(c, y, x, CE_OPTIMIZED, "optimized: %s", st->optimized);
}

int Screens_help(const View* v, const Canvas* c) {
   /* the lines: keys, the reading guide, then the stages, two lines each when the descriptions fit beside the name */
   enum { HELP_TEXT = sizeof screens_helpText / sizeof screens_helpText[0] };
   int n_keys = 0;
   char help[160];
   for (size_t k = 0; k < Keys_count; k++)
      n_keys += Keys_helpLine(&Keys_table[k], help, sizeof help);
   int longest = 0;
   for (int st = 0; st < STAGE_LAST; st++) {
      int a = Canvas_width(Stage_table[st].naive), b = Canvas_width(Stage_table[st].optimized);
      longest = a > longest ? a : longest;
      longest = b > longest ? b : longest;
   }
   int per_stage = 14 + 11 + longest <= c->r.w ? 2 : 3;
   int total = n_keys + HELP_TEXT + per_stage * STAGE_LAST;
   int rows = c->r.h - 2;
   int max_scroll = total - rows > 0 ? total - rows : 0;
   int scroll = screens_clamp(v->ui.scroll, max_scroll);
   Canvas_band(c, 0, CE_HEADER);
   Canvas_printf(c, 0, 0, CE_HEADER, " keepup %s: keys and how to read the screen", PACKAGE_VERSION);
   Canvas_textRight(c, 0, c->r.w, CE_HEADER, " any key returns ");
   for (int r = 0; r < rows; r++) {
      int i = scroll + r;
      if (i < n_keys) {
         screens_keyLine(c, 1 + r, i);
      } else if (i < n_keys + HELP_TEXT) {
         const char* t = screens_helpText[i - n_keys];
         Canvas_text(c, 1 + r, 0, t[0] == ' ' ? CE_DEFAULT : CE_TITLE, t);
      } else if (i < total) {
         screens_stageLine(c, 1 + r, i - n_keys - HELP_TEXT, per_stage);
      }
   }
   Canvas_band(c, c->r.h - 1, CE_KEY_LABEL);
   Canvas_text(c, c->r.h - 1, 1, CE_KEY_LABEL,
               max_scroll ? "up/down, PgUp/PgDn: scroll    keepup(1) has every option and key"
                          : "keepup(1) has every option and key");
   return scroll;
}

int Screens_eventLog(const View* v, const Canvas* c) {
   int rows = c->r.h - 2;
   int total = (int)v->data.nevents;
   /* scroll counts from the newest end: 0 shows the newest events */
   int scroll = screens_clamp(v->ui.scroll, total - rows > 0 ? total - rows : 0);
   Canvas_band(c, 0, CE_HEADER);
   Canvas_printf(c, 0, 0, CE_HEADER, " Event log: %d knob change%s and marks (time since start)", total,
                 total == 1 ? "" : "s");
   Canvas_textRight(c, 0, c->r.w, CE_HEADER, " any key returns ");
   int first = total - rows - scroll;
   if (first < 0)
      first = 0;
   if (total == 0)
      Canvas_text(c, 2, 2, CE_HINT, "No events yet. Every knob you change is listed here and marked on the charts.");
   for (int r = 0; r < rows && first + r < total - scroll; r++) {
      const HistoryEvent* e = &v->data.events[first + r];
      char t[64];
      Panel_clock(t, sizeof t, v->data.snap.uptime_s - (double)(v->data.snap.t - e->t) / 1e9, true);
      int x = Canvas_printf(c, 1 + r, 2, CE_HINT, "#%-4" PRIu32 " %8s  ", e->id, t);
      Canvas_text(c, 1 + r, x, CE_DEFAULT, e->text);
   }
   Canvas_band(c, c->r.h - 1, CE_KEY_LABEL);
   Canvas_text(c, c->r.h - 1, 1, CE_KEY_LABEL, "up/down, PgUp/PgDn: scroll    any other key: back to the dashboard");
   return scroll;
}

void Screens_latency(const View* v, const Canvas* c) {
   const Snapshot* s = &v->data.snap;
   Canvas_band(c, 0, CE_HEADER);
   Canvas_text(c, 0, 0, CE_HEADER, " Latency distribution (HdrHistogram's percentiles)");
   Canvas_textRight(c, 0, c->r.w, CE_HEADER, " any key returns ");
   char lines[LATENCYTABLE_LINES][LATENCYTABLE_WIDTH];
   LatencyTable_lines(&s->latency_window, s->window_s, &s->latency_total, s->uptime_s, lines);
   int last = c->r.h - 1, row = 2;
   for (int i = 0; i < LATENCYTABLE_LINES && row < last; i++)
      Canvas_text(c, row++, 2, i == 0 ? CE_TITLE : i == LATENCYTABLE_LINES - 1 ? CE_HINT : CE_VALUE, lines[i]);
   row++;
   if (row < last)
      row = Panel_wrapped(c, row, 2, CE_DEFAULT, LatencyTable_origin, last - row) + 1;
   const char* note = LatencyTable_note(&s->latency_window, &s->latency_total);
   if (note && row < last)
      Panel_wrapped(c, row, 2, CE_HINT, note, last - row);
   Canvas_band(c, c->r.h - 1, CE_KEY_LABEL);
   Canvas_text(c, c->r.h - 1, 1, CE_KEY_LABEL, "any key: back to the dashboard (the view follows the pipeline live)");
}

/* A paragraph of the scenario menu: its text, element and column. */
typedef struct ScreensText {
   const char* text; /* buf, or a text kept elsewhere (the restart command, whole) */
   char buf[1024];
   ColorElement e;
   int col;
} ScreensText;

/* Rows a paragraph takes wrapped in the canvas. */
static int screens_rows(const Canvas* c, const ScreensText* t) {
   int st[16], ln[16];
   return Layout_wrap(t->text, c->r.w - t->col - 1, st, ln, 16);
}

/* What choosing the menu's entry would do, as paragraphs (out has room for 4); returns how many. */
static int screens_planTexts(const View* v, ScreensText* out) {
   const ScenarioPlan* plan = &v->data.plan;
   int n = 0;
   if (plan->replay)
      out[n++] = (ScreensText){.text = "This run replays a file: the file decides the arrivals, the sensors, the "
                                       "allowlist and the window; the scenario sets the rest.",
                               .e = CE_HINT,
                               .col = 1};
   ScreensText* t = &out[n++];
   t->text = t->buf;
   t->col = 1;
   t->e = CE_OK;
   if (plan->fresh) {
      snprintf(t->buf, sizeof t->buf,
               "Enter starts it now in a new pipeline%s%s%s%s%s. The charts keep the history, marked; records "
               "still queued are dropped and counted.",
               plan->restart[0] || plan->changes[0] ? ": " : "", plan->restart,
               plan->restart[0] && plan->changes[0] ? ", " : "", plan->changes,
               plan->restart[0] || plan->changes[0] ? "" : " (its knobs are all in force)");
   } else if (plan->live && plan->n_changes == 0) {
      snprintf(t->buf, sizeof t->buf, "%s",
               v->data.scenario == plan->id ? "Its knobs are all in force: Enter changes nothing."
                                            : "Its knobs are all in force already: Enter makes it the lesson shown.");
   } else if (plan->live) {
      snprintf(t->buf, sizeof t->buf, "Enter applies it now, live: %s.", plan->changes);
   } else {
      t->e = CE_WARN;
      snprintf(t->buf, sizeof t->buf, "Needs a restart: %s cannot change while the pipeline runs.", plan->restart);
      out[n++] = (ScreensText){.text = "Quit (q) and run:", .e = CE_DEFAULT, .col = 1};
      out[n++] = (ScreensText){.text = v->data.plan_command ? v->data.plan_command : "", .e = CE_VALUE, .col = 3};
   }
   return n;
}

void Screens_scenarioMenu(const View* v, const Canvas* c) {
   const ScenarioPlan* plan = &v->data.plan;
   Canvas_band(c, 0, CE_HEADER);
   Canvas_text(c, 0, 0, CE_HEADER,
               c->r.w >= 100 ? " Scenarios: each sets the knobs for one lesson, sized from this machine's stage costs"
                             : " Scenarios: the knobs for one lesson");
   Canvas_textRight(c, 0, c->r.w, CE_HEADER, " Esc returns ");
   int row = 2;
   for (int i = 0; i <= SCENARIO_LAST && row < c->r.h - 1; i++, row++) {
      bool sel = v->ui.menu_selected == i;
      bool in_force = v->data.scenario == i;
      const char* name = Scenario_names[i];
      const char* summary = i < SCENARIO_LAST ? Scenario_table[i].summary : "no scenario: every knob at its default";
      int x = Canvas_text(c, row, 1, sel ? CE_SELECTED : CE_DEFAULT, sel ? v->g->select : " ");
      char label[24];
      snprintf(label, sizeof label, "%-9s", name);
      x = Canvas_text(c, row, x + 1, sel ? CE_SELECTED : CE_VALUE, label);
      if (in_force)
         x = Canvas_text(c, row, x + 1, CE_OK, "(in force)");
      /* a summary that does not fit ends in "..." (the caption below says more) */
      int room = c->r.w - x - 2;
      char cut[256];
      if (Canvas_width(summary) > room && room > 3) {
         snprintf(cut, sizeof cut, "%.*s...", room - 3, summary);
         summary = cut;
      }
      Canvas_text(c, row, x + 1, CE_HINT, summary);
   }
   row++;
   int last = c->r.h - 1;
   /* what Enter does comes first (a switch drops the queued records: it must be read); the scenario's
    * caption above it only whole, in the rows it leaves */
   ScreensText texts[4];
   int n = screens_planTexts(v, texts);
   int plan_rows = 0;
   for (int i = 0; i < n; i++)
      plan_rows += screens_rows(c, &texts[i]);
   if (plan->id >= 0 && plan->id < SCENARIO_LAST) {
      for (int l = 0; l < 2; l++) {
         ScreensText cap = {.text = Scenario_table[plan->id].caption[l], .e = CE_CAPTION, .col = 3};
         int rows = screens_rows(c, &cap);
         if (row + rows + 1 + plan_rows <= last)
            row = Panel_wrapped(c, row, 3, CE_CAPTION, cap.text, rows);
      }
      row++;
   }
   for (int i = 0; i < n && row < last; i++)
      row = Panel_wrappedShortened(c, row, texts[i].col, texts[i].e, texts[i].text, last - row, v->g->more);
   Canvas_band(c, c->r.h - 1, CE_KEY_LABEL);
   Canvas_text(c, c->r.h - 1, 1, CE_KEY_LABEL,
               plan->fresh  ? "up/down: choose    Enter: switch now    Esc: back to the dashboard"
               : plan->live ? "up/down: choose    Enter: apply live    Esc: back to the dashboard"
                            : "up/down: choose    Esc: back to the dashboard (this one needs a restart)");
}

void Screens_tooSmall(const View* v, const Canvas* c) {
   (void)v;
   char line[96];
   snprintf(line, sizeof line, "terminal too small (need %dx%d, have %dx%d)", LAYOUT_MIN_W, LAYOUT_MIN_H, c->r.w,
            c->r.h);
   int y = c->r.h / 2 - 1;
   if (y < 0)
      y = 0;
   int x = (c->r.w - Canvas_width(line)) / 2;
   Canvas_text(c, y, x > 0 ? x : 0, CE_CRIT, line);
   const char* hint = "enlarge the window, or press q to quit";
   x = (c->r.w - Canvas_width(hint)) / 2;
   Canvas_text(c, y + 1, x > 0 ? x : 0, CE_DEFAULT, hint);
}
