/*
 * keys.h: the dashboard's keys, one row each (htop's bindings table): the
 * key codes, the action they take, the help screen's line and the key bar's
 * label. The dashboard's dispatch, the help screen's key list and the key
 * bar are all made from this table, in its order.
 *
 * A knob's row names the knob: its keys (down, up), its name and the words
 * of its steps come from the knob table (core/knobs.h); the row adds only
 * more keys, a note for the help line and the key bar's label.
 */
#ifndef KEEPUP_UI_KEYS_H
#define KEEPUP_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/knobs.h"

/* What a key does; the dashboard's actions module has one function per action. */
typedef enum KeyAction {
   KEYS_HELP,
   KEYS_QUIT,
   KEYS_MENU,       /* the scenario menu */
   KEYS_KNOB,       /* step a knob down or up */
   KEYS_SPEED_ENDS, /* the replay speed: the file's own pace, or as fast as possible */
   KEYS_SEEK,       /* a replay: a tenth of its time span back or forward */
   KEYS_RESTART,    /* a replay: from its first row again */
   KEYS_STEP,       /* a replay: pause, and play the next burst */
   KEYS_LOOP,       /* a replay: play again at the end, on or off */
   KEYS_STAGE,      /* toggle a stage by its number */
   KEYS_RECORD,
   KEYS_SWEEP,
   KEYS_PAUSE,
   KEYS_FREEZE,
   KEYS_ALL, /* every stage optimized, or naive */
   KEYS_EVENTS,
   KEYS_LATENCY, /* the latency percentile view */
   KEYS_RESET,
   KEYS_AFRESH, /* start the scenario again in a new pipeline */
   KEYS_AMDAHL, /* the Amdahl panel's stage: next or previous */
   KEYS_SELECT, /* the previous or next knob or stage */
   KEYS_CHANGE, /* change the selected knob, or set the selected stage's variant */
   KEYS_ENTER,  /* toggle the selected stage */
   KEYS_MARK,
   KEYS_REDRAW,
   KEYS_MOUSE,
   KEYS_RESIZE,
   KEYS_ACTION_LAST
} KeyAction;

/* When a key is in the key bar. */
typedef enum KeyWhen {
   KEYS_ALWAYS,
   KEYS_SIMULATING, /* only with the simulated source */
   KEYS_REPLAYING,  /* only while replaying */
} KeyWhen;

#define KEYS_CODES 7 /* key codes of one direction, at most (0 ends a shorter list) */

typedef struct KeyBinding {
   KeyAction action;
   KnobId knob;           /* KEYS_KNOB: the knob (its own keys step it down and up); else KNOB_LAST */
   int plus[KEYS_CODES];  /* key codes that take the action (in its direction +1) */
   int minus[KEYS_CODES]; /* key codes that take it in direction -1 */
   const char* keys;      /* as the help screen writes them ("? h F1"); NULL: the knob's */
   const char* help;      /* the help line; a knob's: what follows the words made from the knob table;
                           * NULL (not a knob): not listed */
   const char* bar_keys;  /* as the key bar writes them ("F1"); NULL: the knob's ("b/B") */
   const char* label;     /* the key bar's label; NULL: not in the bar */
   int priority;          /* 0: always in the bar; higher ones leave first when it is too narrow */
   KeyWhen when;
} KeyBinding;

extern const KeyBinding Keys_table[];
extern const size_t Keys_count;

/* The row of a key code and the direction it takes (+1 or -1); NULL when the key does nothing. */
const KeyBinding* Keys_find(int ch, int* dir);
/* The keys as the help screen writes them ("b B"). */
void Keys_helpKeys(const KeyBinding* b, char* buf, size_t len);
/* The help line ("batch size: halve / double (1 .. 65536)"); false when the row is not listed. */
bool Keys_helpLine(const KeyBinding* b, char* buf, size_t len);
/* The keys as the key bar writes them ("b/B"). */
void Keys_barKeys(const KeyBinding* b, char* buf, size_t len);
/* Whether the row is in the key bar of a run (replaying or not) when priorities up to max_priority fit. */
bool Keys_inBar(const KeyBinding* b, bool replaying, int max_priority);

#endif
