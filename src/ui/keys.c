/* keys.c: the dashboard's key table, and the help line and key bar text each row gives. */
#include "config.h"

#include "ui/keys.h"

#include <stdio.h>
#include <string.h>

#ifdef HAVE_NCURSESW_CURSES_H
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

#define KEYS_CTRL_L 12

/* In the key bar's order for the rows it shows, then the rest: the help screen lists them all in this order. */
/* clang-format off */
const KeyBinding Keys_table[] = {
   {.action = KEYS_HELP, .knob = KNOB_LAST, .plus = {'?', 'h', 'H', KEY_F(1)}, .keys = "? h F1",
    .help = "this help (any key returns)", .bar_keys = "F1", .label = "Help"},
   {.action = KEYS_QUIT, .knob = KNOB_LAST, .plus = {'q', 'Q', KEY_F(10)}, .keys = "q F10",
    .help = "quit (also Ctrl-C)", .bar_keys = "q", .label = "Quit"},
   {.action = KEYS_MENU, .knob = KNOB_LAST, .plus = {'s'}, .keys = "s",
    .help = "scenario menu: each lesson, switched to at once", .bar_keys = "s", .label = "Scenario",
    .priority = 1},
   {.action = KEYS_KNOB, .knob = KNOB_BATCH, .label = "Batch", .priority = 1},
   {.action = KEYS_KNOB, .knob = KNOB_THREADS, .label = "Threads", .priority = 1},
   {.action = KEYS_KNOB, .knob = KNOB_RATE, .plus = {'='}, .minus = {'_'}, .help = " (a replay: its speed)",
    .label = "Rate", .priority = 2, .when = KEYS_SIMULATING},
   {.action = KEYS_KNOB, .knob = KNOB_SPEED, .label = "Speed", .priority = 1, .when = KEYS_REPLAYING},
   {.action = KEYS_SPEED_ENDS, .knob = KNOB_LAST, .plus = {'}'}, .minus = {'{'}, .keys = "{ }",
    .help = "replay speed: the file's own pace (x1) / as fast as possible"},
   {.action = KEYS_SEEK, .knob = KNOB_LAST, .plus = {'>'}, .minus = {'<'}, .keys = "< >",
    .help = "replay: seek back / forward a tenth of its time span",
    .bar_keys = "</>", .label = "Seek", .priority = 3, .when = KEYS_REPLAYING},
   {.action = KEYS_RESTART, .knob = KNOB_LAST, .plus = {KEY_HOME}, .keys = "Home",
    .help = "replay: restart from the first row (played and counted again)", .bar_keys = "Home",
    .label = "Restart", .priority = 4, .when = KEYS_REPLAYING},
   {.action = KEYS_STEP, .knob = KNOB_LAST, .plus = {'.'}, .keys = ".",
    .help = "replay: pause and play the next burst (the rows of one time)", .bar_keys = ".",
    .label = "Step", .priority = 5, .when = KEYS_REPLAYING},
   {.action = KEYS_LOOP, .knob = KNOB_LAST, .plus = {'@'}, .keys = "@",
    .help = "replay: loop on / off (again from the first row at the end)", .bar_keys = "@",
    .label = "Loop", .priority = 6, .when = KEYS_REPLAYING},
   {.action = KEYS_STAGE, .knob = KNOB_LAST, .plus = {'1', '2', '3', '4', '5', '6'}, .keys = "1 .. 6",
    .help = "toggle that stage naive / optimized (and select it)", .bar_keys = "1-6", .label = "Stage",
    .priority = 1},
   {.action = KEYS_RECORD, .knob = KNOB_LAST, .plus = {'R'}, .keys = "R",
    .help = "record the input to keepup-DATE-TIME.csv; again: stop", .bar_keys = "R", .label = "Rec", .priority = 2},
   {.action = KEYS_SWEEP, .knob = KNOB_LAST, .plus = {'S'}, .keys = "S",
    .help = "sweep batch sizes 1024 .. 1, mark the knee; again: cancel", .bar_keys = "S", .label = "Sweep",
    .priority = 2},
   {.action = KEYS_PAUSE, .knob = KNOB_LAST, .plus = {' '}, .keys = "space",
    .help = "pause / resume the source (a replay too)", .bar_keys = "Spc", .label = "Pause", .priority = 3},
   {.action = KEYS_FREEZE, .knob = KNOB_LAST, .plus = {'f', 'F'}, .keys = "f",
    .help = "freeze the display (the pipeline keeps running)", .bar_keys = "f", .label = "Freeze", .priority = 4},
   {.action = KEYS_ALL, .knob = KNOB_LAST, .plus = {'o', 'O'}, .minus = {'n', 'N'}, .keys = "o n",
    .help = "all stages optimized / all naive", .bar_keys = "o/n", .label = "All", .priority = 5},
   {.action = KEYS_EVENTS, .knob = KNOB_LAST, .plus = {'e', 'E'}, .keys = "e",
    .help = "event log: every knob change, with its time", .bar_keys = "e", .label = "Events", .priority = 6},
   {.action = KEYS_LATENCY, .knob = KNOB_LAST, .plus = {'d', 'D'}, .keys = "d",
    .help = "latency distribution: p50 .. p99.99 and max, recent and whole run", .bar_keys = "d",
    .label = "Latency", .priority = 8},
   {.action = KEYS_RESET, .knob = KNOB_LAST, .plus = {'r'}, .keys = "r", .help = "reset the windowed statistics",
    .bar_keys = "r", .label = "Reset", .priority = 7},
   {.action = KEYS_AFRESH, .knob = KNOB_LAST, .plus = {'z'}, .keys = "z",
    .help = "start the demo afresh: a new pipeline, the scenario's knobs",
    .bar_keys = "z", .label = "Afresh", .priority = 8, .when = KEYS_SIMULATING},
   {.action = KEYS_KNOB, .knob = KNOB_LINGER},
   {.action = KEYS_KNOB, .knob = KNOB_WINDOW},
   {.action = KEYS_KNOB, .knob = KNOB_OVERFLOW},
   {.action = KEYS_KNOB, .knob = KNOB_DISPATCH},
   {.action = KEYS_KNOB, .knob = KNOB_LAYOUT},
   {.action = KEYS_AMDAHL, .knob = KNOB_LAST, .plus = {'a'}, .minus = {'A'}, .keys = "a A",
    .help = "Amdahl panel: the next / previous stage"},
   {.action = KEYS_SELECT, .knob = KNOB_LAST, .plus = {KEY_DOWN}, .minus = {KEY_UP}, .keys = "up down",
    .help = "select a knob or a stage"},
   {.action = KEYS_CHANGE, .knob = KNOB_LAST, .plus = {KEY_RIGHT}, .minus = {KEY_LEFT}, .keys = "left right",
    .help = "change the selected knob (toggle a stage)"},
   {.action = KEYS_ENTER, .knob = KNOB_LAST, .plus = {'\n', '\r', KEY_ENTER}, .keys = "Enter",
    .help = "toggle the selected stage"},
   {.action = KEYS_MARK, .knob = KNOB_LAST, .plus = {'m', 'M'}, .keys = "m", .help = "put a mark on the charts"},
   {.action = KEYS_REDRAW, .knob = KNOB_LAST, .plus = {KEYS_CTRL_L}, .keys = "Ctrl-L", .help = "redraw the screen"},
   {.action = KEYS_MOUSE, .knob = KNOB_LAST, .plus = {KEY_MOUSE}, .keys = "mouse",
    .help = "click a knob to select it, a stage to toggle it"},
   {.action = KEYS_RESIZE, .knob = KNOB_LAST, .plus = {KEY_RESIZE}},
};
/* clang-format on */
const size_t Keys_count = sizeof Keys_table / sizeof Keys_table[0];

static bool keys_in(const int* codes, int ch) {
   for (int i = 0; i < KEYS_CODES && codes[i]; i++)
      if (codes[i] == ch)
         return true;
   return false;
}

const KeyBinding* Keys_find(int ch, int* dir) {
   for (size_t i = 0; i < Keys_count; i++) {
      const KeyBinding* b = &Keys_table[i];
      const KnobDef* k = b->action == KEYS_KNOB ? &Knob_table[b->knob] : NULL;
      if (keys_in(b->plus, ch) || (k && k->key_up == ch)) {
         *dir = +1;
         return b;
      }
      if (keys_in(b->minus, ch) || (k && k->key_down == ch)) {
         *dir = -1;
         return b;
      }
   }
   return NULL;
}

void Keys_helpKeys(const KeyBinding* b, char* buf, size_t len) {
   if (b->keys)
      snprintf(buf, len, "%s", b->keys);
   else
      snprintf(buf, len, "%c %c", Knob_table[b->knob].key_down, Knob_table[b->knob].key_up);
}

void Keys_barKeys(const KeyBinding* b, char* buf, size_t len) {
   if (b->bar_keys)
      snprintf(buf, len, "%s", b->bar_keys);
   else
      snprintf(buf, len, "%c/%c", Knob_table[b->knob].key_down, Knob_table[b->knob].key_up);
}

/* "the batch size" -> "batch size" */
static const char* keys_what(const KnobDef* d) {
   return strncmp(d->what, "the ", 4) == 0 ? d->what + 4 : d->what;
}

/* What a knob's down and up keys do, in words that fit its steps. */
static const char* keys_verbs(const KnobDef* d) {
   switch (d->step) {
   case KNOB_STEP_POW2:
   case KNOB_STEP_DOUBLE:
      return "halve / double";
   case KNOB_STEP_ONE:
      return "one less / one more";
   case KNOB_STEP_FINE:
      return d->type == KNOB_TYPE_RATE ? "down / up" : "smaller / larger";
   case KNOB_STEP_125:
      return "shorter / longer";
   case KNOB_STEP_CYCLE:
      return "previous / next";
   case KNOB_STEP_NONE:
      break;
   }
   return "down / up";
}

/* Append text to buf at *n, cut to what fits. */
static void keys_append(char* buf, size_t len, size_t* n, const char* text) {
   if (*n + 1 >= len)
      return;
   snprintf(buf + *n, len - *n, "%s", text);
   *n += strlen(buf + *n);
}

bool Keys_helpLine(const KeyBinding* b, char* buf, size_t len) {
   if (len == 0)
      return false;
   if (b->action != KEYS_KNOB) {
      if (!b->help)
         return false;
      snprintf(buf, len, "%s", b->help);
      return true;
   }
   const KnobDef* d = &Knob_table[b->knob];
   size_t n = 0;
   buf[0] = '\0';
   keys_append(buf, len, &n, keys_what(d));
   /* the knobs that share its keys share its row on screen (the rate and the burst size) */
   for (int i = 0; i < KNOB_LAST; i++) {
      if (i != (int)b->knob && Knob_table[i].key_down == d->key_down) {
         keys_append(buf, len, &n, ", or ");
         keys_append(buf, len, &n, keys_what(&Knob_table[i]));
      }
   }
   keys_append(buf, len, &n, ": ");
   keys_append(buf, len, &n, keys_verbs(d));
   if (d->type == KNOB_TYPE_U32) {
      char range[48];
      snprintf(range, sizeof range, " (%.0f .. %.0f)", d->min, d->max);
      keys_append(buf, len, &n, range);
   }
   if (b->help)
      keys_append(buf, len, &n, b->help);
   return true;
}

bool Keys_inBar(const KeyBinding* b, bool replaying, int max_priority) {
   if (!b->label || b->priority > max_priority)
      return false;
   return b->when == KEYS_ALWAYS || (b->when == KEYS_REPLAYING) == replaying;
}
