/*
 * dashboard.c: the event loop. getch waits at most until the next frame's
 * absolute monotonic deadline (frames do not drift and missed ones are
 * skipped, not caught up); a frame copies the newest snapshot and the new
 * history samples, updates the verdict and the trade-off points, and draws
 * everything into stdscr with one doupdate. Keys return a bitmask telling
 * the loop what to do next. Knob changes go to the engine's control calls at
 * once and show on screen before the engine's next snapshot confirms them.
 *
 * Everything is allocated once before the loop: a frame allocates nothing.
 */
#include "config.h"

#include "ui/dashboard.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_NCURSESW_CURSES_H
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

#include "clock.h"
#include "units.h"
#include "xalloc.h"
#include "ui/canvas.h"
#include "ui/control.h"
#include "ui/crt.h"
#include "ui/panels.h"
#include "ui/view.h"

#define DASH_MESSAGE_NS     (3 * NS_PER_SEC)
#define DASH_KNOB_SETTLE_NS (400 * NS_PER_MS) /* our own knob values win this long after a change */
#define DASH_CPU_PERIOD_NS  (2 * NS_PER_SEC)

/* What a key handler asks of the loop. */
enum {
   DASH_HANDLED = 1 << 0,
   DASH_REDRAW = 1 << 1,
   DASH_RESIZE = 1 << 2,
   DASH_QUIT = 1 << 3,
};

typedef enum DashMode {
   MODE_MAIN,
   MODE_HELP,
   MODE_EVENTS,
} DashMode;

typedef struct Dashboard {
   const Options* options;
   Engine* engine;
   View view;
   DashMode mode;
   /* the history mirror: samples appended at the end, compacted when full */
   HistorySample* hist;
   size_t nhist;
   HistorySample* fetch; /* what Engine_history copies into */
   uint64_t last_seq;
   uint32_t events_seen; /* newest event id copied */
   int64_t knob_changed; /* when the dashboard last set a knob */
   char last_error[sizeof(((Snapshot*)0)->error)];
   /* the UI thread's own CPU use */
   int64_t cpu_t0, cpu_wall0;
} Dashboard;

/* ------------------------------------------------------------ model */

static void dashboard_message(Dashboard* d, ColorElement e, int64_t duration, const char* fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void dashboard_message(Dashboard* d, ColorElement e, int64_t duration, const char* fmt, ...) {
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(d->view.message, sizeof d->view.message, fmt, ap);
   va_end(ap);
   d->view.message_elem = e;
   d->view.message_until = Clock_now() + duration;
}

/* Append the samples newer than the newest we hold. */
static void dashboard_pullHistory(Dashboard* d) {
   size_t want = VIEW_HISTORY;
   if (d->nhist > 0 && d->view.snap.seq >= d->last_seq) {
      uint64_t fresh = d->view.snap.seq - d->last_seq + 2; /* a sample or two may land between the two copies */
      want = fresh < VIEW_HISTORY ? (size_t)fresh : VIEW_HISTORY;
   }
   size_t got = Engine_history(d->engine, d->fetch, want);
   int64_t newest = d->nhist ? d->hist[d->nhist - 1].t : INT64_MIN;
   size_t first = 0;
   while (first < got && d->fetch[first].t <= newest)
      first++;
   size_t add = got - first;
   if (add == 0)
      return;
   if (d->nhist + add > 2 * VIEW_HISTORY) {
      size_t keep = VIEW_HISTORY - (add < VIEW_HISTORY ? add : VIEW_HISTORY);
      memmove(d->hist, d->hist + d->nhist - keep, keep * sizeof *d->hist);
      d->nhist = keep;
   }
   memcpy(d->hist + d->nhist, d->fetch + first, add * sizeof *d->hist);
   size_t from = d->nhist;
   d->nhist += add;
   d->last_seq = d->view.snap.seq;
   /* the views see at most VIEW_HISTORY samples */
   size_t shown = d->nhist < VIEW_HISTORY ? d->nhist : VIEW_HISTORY;
   d->view.hist = d->hist + d->nhist - shown;
   d->view.nhist = shown;

   uint32_t mask = 0;
   for (int s = 0; s < STAGE_LAST; s++)
      if (d->view.snap.knobs.variant[s] == VARIANT_OPTIMIZED)
         mask |= 1u << s;
   Tradeoff_feed(&d->view.tradeoff, d->hist + from, add, mask, d->view.snap.knobs.paused);

   uint32_t ev = d->hist[d->nhist - 1].event;
   if (ev != d->events_seen) {
      d->view.nevents = Engine_events(d->engine, d->view.events, VIEW_EVENTS);
      d->events_seen = ev;
   }
}

static void dashboard_updateVerdict(Dashboard* d) {
   View* v = &d->view;
   if (v->nhist < 2)
      return;
   const Knobs* k = &v->snap.knobs;
   int64_t horizon = VERDICT_HORIZON_NS;
   if (k->arrival == ARRIVAL_BURST && k->every_ns > horizon) {
      horizon = k->every_ns;
      /* a burst and its drain compare like with like only over a whole period */
      if (v->verdict.state == VERDICT_STARTING && v->hist[v->nhist - 1].t - v->hist[0].t < horizon)
         return;
   }
   VerdictInput in;
   if (!Verdict_measure(v->hist, v->nhist, horizon, v->snap.drop_rate, &in))
      return;
   Verdict_update(&v->verdict, &in);
}

static void dashboard_updateCpu(Dashboard* d, int64_t now) {
   if (now - d->cpu_wall0 < DASH_CPU_PERIOD_NS)
      return;
   int64_t cpu = Clock_threadCpu();
   d->view.ui_cpu = (double)(cpu - d->cpu_t0) / (double)(now - d->cpu_wall0);
   d->cpu_t0 = cpu;
   d->cpu_wall0 = now;
}

/* One frame's worth of new data (nothing while frozen). */
static void dashboard_update(Dashboard* d, int64_t now) {
   View* v = &d->view;
   v->now = now;
   dashboard_updateCpu(d, now);
   char line[160];
   if (CRT_stderrLine(line, sizeof line))
      dashboard_message(d, CE_WARN, 10 * NS_PER_SEC, "stderr: %s", line);
   if (v->frozen)
      return;
   Engine_snapshot(d->engine, &v->snap);
   double busy = 0;
   for (int s = 0; s < STAGE_LAST; s++)
      busy += v->snap.stage[s].share;
   if (busy > 0) {
      memcpy(v->stages, v->snap.stage, sizeof v->stages);
      v->stages_t = v->snap.t;
   }
   dashboard_pullHistory(d);
   dashboard_updateVerdict(d);
   if (now - d->knob_changed > DASH_KNOB_SETTLE_NS)
      v->knobs = v->snap.knobs;
   if (v->snap.error[0] && strcmp(v->snap.error, d->last_error) != 0) {
      memcpy(d->last_error, v->snap.error, sizeof d->last_error);
      dashboard_message(d, CE_CRIT, 60 * NS_PER_SEC, "%s", v->snap.error);
   }
}

/* ------------------------------------------------------------ drawing */

static void dashboard_draw(Dashboard* d) {
   View* v = &d->view;
   int h, w;
   getmaxyx(stdscr, h, w);
   v->now = Clock_now();
   Layout_compute(&v->layout, w, h, Layout_panels, Layout_panelCount);
   for (int i = 0; i < KNOB_LAST; i++)
      v->knob_y[i] = -1;
   for (int i = 0; i < STAGE_LAST; i++)
      v->stage_y[i] = -1;
   v->knob_area = v->stage_area = (Rect){0, 0, 0, 0};
   erase();
   Canvas full = Canvas_make((Rect){.y = 0, .x = 0, .h = h, .w = w});
   if (d->mode == MODE_HELP) {
      Panels_help(v, &full);
   } else if (d->mode == MODE_EVENTS) {
      Panels_eventLog(v, &full);
   } else if (v->layout.too_small) {
      Panels_tooSmall(v, &full);
   } else {
      Canvas c = Canvas_make(v->layout.header);
      Panels_header(v, &c);
      c = Canvas_make(v->layout.verdict);
      Panels_verdict(v, &c);
      for (int p = 0; p < PANEL_LAST; p++) {
         if (!v->layout.shown[p])
            continue;
         /* one blank column between neighbouring panels */
         Rect r = v->layout.panel[p];
         if (r.x + r.w < w)
            r.w -= 1;
         if (r.x > 0) {
            r.x += 1;
            r.w -= 1;
         }
         c = Canvas_make(r);
         Panels_table[p].draw(v, &c);
      }
      c = Canvas_make(v->layout.keybar);
      Panels_keybar(v, &c);
   }
   wnoutrefresh(stdscr);
   doupdate();
}

/* ------------------------------------------------------------ keys */

static uint32_t dashboard_ncpu(const Dashboard* d) {
   return d->view.snap.ncpu ? d->view.snap.ncpu : Engine_cpuCount();
}

/* Move a knob one step; a step that changes nothing says so and touches nothing. */
static void dashboard_step(Dashboard* d, KnobId knob, int dir) {
   Knobs* k = &d->view.knobs;
   Engine* e = d->engine;
   char a[16], b[16];
   bool changed = true;
   switch (knob) {
   case KNOB_BATCH: {
      uint32_t n = Control_stepBatch(k->batch, dir);
      if ((changed = n != k->batch)) {
         k->batch = n;
         Engine_setBatch(e, n);
         dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, "batch %" PRIu32 " rec/batch", n);
      }
      break;
   }
   case KNOB_LINGER: {
      int64_t n = Control_stepLinger(k->linger_ns, dir);
      if ((changed = n != k->linger_ns)) {
         k->linger_ns = n;
         Engine_setLinger(e, n);
         Units_formatDuration(a, sizeof a, n);
         dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, "linger %s", a);
      }
      break;
   }
   case KNOB_THREADS: {
      uint32_t n = Control_stepThreads(k->threads, dir);
      if ((changed = n != k->threads)) {
         k->threads = n;
         Engine_setThreads(e, n);
         dashboard_message(d, n > dashboard_ncpu(d) ? CE_WARN : CE_VALUE, DASH_MESSAGE_NS, "threads %" PRIu32 "%s", n,
                           n > dashboard_ncpu(d) ? " (more than the CPUs)" : "");
      }
      break;
   }
   case KNOB_RATE:
      if (k->arrival == ARRIVAL_BURST) {
         uint64_t n = Control_stepBurst(k->burst, dir);
         if ((changed = n != k->burst)) {
            k->burst = n;
            Engine_setBurst(e, n, k->every_ns);
            Units_formatCount(a, sizeof a, (double)n);
            dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, "burst %s rec", a);
         }
      } else {
         double n = Control_stepRate(k->rate, dir);
         if ((changed = n != k->rate)) {
            k->rate = n;
            Engine_setRate(e, n);
            Units_formatCount(a, sizeof a, n);
            dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, "rate %s rec/s", a);
         }
      }
      break;
   case KNOB_EVERY:
      if (k->arrival != ARRIVAL_BURST)
         return;
      {
         int64_t n = Control_stepEvery(k->every_ns, dir);
         if ((changed = n != k->every_ns)) {
            k->every_ns = n;
            Engine_setBurst(e, k->burst, n);
            Units_formatCount(a, sizeof a, (double)k->burst);
            Units_formatDuration(b, sizeof b, n);
            dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, "burst %s rec every %s", a, b);
         }
      }
      break;
   case KNOB_WINDOW: {
      uint32_t n = Control_stepWindow(k->window, dir);
      if ((changed = n != k->window)) {
         k->window = n;
         Engine_setWindow(e, n);
         dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, "window %" PRIu32 " rec/sensor", n);
      }
      break;
   }
   case KNOB_OVERFLOW:
      k->overflow = Control_stepOverflow(k->overflow, dir);
      Engine_setOverflow(e, k->overflow);
      dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, "overflow %s", Overflow_names[k->overflow]);
      break;
   case KNOB_LAST:
      return;
   }
   if (changed)
      d->knob_changed = Clock_now();
   else
      dashboard_message(d, CE_WARN, DASH_MESSAGE_NS, "already at its %s", dir > 0 ? "maximum" : "minimum");
}

static void dashboard_setVariant(Dashboard* d, int stage, Variant v) {
   d->view.knobs.variant[stage] = v;
   Engine_setVariant(d->engine, (StageId)stage, v);
   d->knob_changed = Clock_now();
   dashboard_message(d, v == VARIANT_OPTIMIZED ? CE_OK : CE_WARN, DASH_MESSAGE_NS, "%s %s", Stage_table[stage].name,
                     Variant_name(v));
}

static void dashboard_toggleStage(Dashboard* d, int stage) {
   Variant cur = d->view.knobs.variant[stage];
   dashboard_setVariant(d, stage, cur == VARIANT_OPTIMIZED ? VARIANT_NAIVE : VARIANT_OPTIMIZED);
}

static void dashboard_setAll(Dashboard* d, Variant v) {
   for (int s = 0; s < STAGE_LAST; s++)
      if (d->view.knobs.variant[s] != v)
         dashboard_setVariant(d, s, v);
   dashboard_message(d, v == VARIANT_OPTIMIZED ? CE_OK : CE_WARN, DASH_MESSAGE_NS, "all stages %s", Variant_name(v));
}

static bool dashboard_selectable(const Dashboard* d, int i) {
   return i != KNOB_EVERY || d->view.knobs.arrival == ARRIVAL_BURST;
}

static void dashboard_select(Dashboard* d, int dir) {
   int i = d->view.selected;
   do {
      i = (i + dir + VIEW_SELECTABLE) % VIEW_SELECTABLE;
   } while (!dashboard_selectable(d, i));
   d->view.selected = i;
}

static void dashboard_change(Dashboard* d, int dir) {
   int i = d->view.selected;
   if (View_isStage(i))
      dashboard_setVariant(d, i - KNOB_LAST, dir > 0 ? VARIANT_OPTIMIZED : VARIANT_NAIVE);
   else
      dashboard_step(d, (KnobId)i, dir);
}

static bool dashboard_inside(Rect r, int y, int x) {
   return y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

static int dashboard_mouse(Dashboard* d) {
   MEVENT ev;
   if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
      return DASH_HANDLED;
   View* v = &d->view;
   if (d->mode != MODE_MAIN)
      return DASH_HANDLED;
   if (dashboard_inside(v->knob_area, ev.y, ev.x)) {
      for (int i = 0; i < KNOB_LAST; i++)
         if (v->knob_y[i] == ev.y && dashboard_selectable(d, i))
            v->selected = i;
   } else if (dashboard_inside(v->stage_area, ev.y, ev.x)) {
      for (int s = 0; s < STAGE_LAST; s++) {
         if (v->stage_y[s] == ev.y) {
            v->selected = KNOB_LAST + s;
            dashboard_toggleStage(d, s);
         }
      }
   }
   return DASH_HANDLED | DASH_REDRAW;
}

/* Keys of the help and event-log views: arrows scroll, anything else returns. */
static int dashboard_viewKey(Dashboard* d, int ch) {
   int page = LINES > 4 ? LINES - 3 : 1;
   /* the event log counts its scroll from the newest end */
   int sign = d->mode == MODE_EVENTS ? -1 : 1;
   switch (ch) {
   case KEY_UP:
      d->view.scroll -= sign;
      break;
   case KEY_DOWN:
      d->view.scroll += sign;
      break;
   case KEY_PPAGE:
      d->view.scroll -= sign * page;
      break;
   case KEY_NPAGE:
      d->view.scroll += sign * page;
      break;
   case KEY_HOME:
      d->view.scroll = sign > 0 ? 0 : 1 << 20;
      break;
   case KEY_END:
      d->view.scroll = sign > 0 ? 1 << 20 : 0;
      break;
   case KEY_RESIZE:
      return DASH_HANDLED | DASH_RESIZE | DASH_REDRAW;
   case KEY_MOUSE:
      return dashboard_mouse(d);
   case KEY_F(10):
      return DASH_HANDLED | DASH_QUIT;
   default:
      d->mode = MODE_MAIN;
      break;
   }
   if (d->view.scroll < 0)
      d->view.scroll = 0;
   return DASH_HANDLED | DASH_REDRAW;
}

static int dashboard_key(Dashboard* d, int ch) {
   if (d->mode != MODE_MAIN)
      return dashboard_viewKey(d, ch);
   View* v = &d->view;
   switch (ch) {
   case 'q':
   case 'Q':
   case KEY_F(10):
      return DASH_HANDLED | DASH_QUIT;
   case '?':
   case 'h':
   case 'H':
   case KEY_F(1):
      d->mode = MODE_HELP;
      v->scroll = 0;
      break;
   case 'e':
   case 'E':
      d->mode = MODE_EVENTS;
      v->scroll = 0;
      break;
   case ' ':
      v->knobs.paused = !v->knobs.paused;
      Engine_setPaused(d->engine, v->knobs.paused);
      d->knob_changed = Clock_now();
      dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, "source %s", v->knobs.paused ? "paused" : "resumed");
      break;
   case 'f':
   case 'F':
      v->frozen = !v->frozen;
      dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, v->frozen ? "display frozen, pipeline running" : "live again");
      break;
   case 'r':
   case 'R':
      Engine_resetWindowed(d->engine);
      dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, "windowed statistics reset");
      break;
   case 'b':
      dashboard_step(d, KNOB_BATCH, -1);
      break;
   case 'B':
      dashboard_step(d, KNOB_BATCH, +1);
      break;
   case 't':
      dashboard_step(d, KNOB_THREADS, -1);
      break;
   case 'T':
      dashboard_step(d, KNOB_THREADS, +1);
      break;
   case '-':
   case '_':
      dashboard_step(d, KNOB_RATE, -1);
      break;
   case '+':
   case '=':
      dashboard_step(d, KNOB_RATE, +1);
      break;
   case 'l':
      dashboard_step(d, KNOB_LINGER, -1);
      break;
   case 'L':
      dashboard_step(d, KNOB_LINGER, +1);
      break;
   case 'w':
      dashboard_step(d, KNOB_WINDOW, -1);
      break;
   case 'W':
      dashboard_step(d, KNOB_WINDOW, +1);
      break;
   case 'p':
      dashboard_step(d, KNOB_OVERFLOW, +1);
      break;
   case 'P':
      dashboard_step(d, KNOB_OVERFLOW, -1);
      break;
   case 'o':
   case 'O':
      dashboard_setAll(d, VARIANT_OPTIMIZED);
      break;
   case 'n':
   case 'N':
      dashboard_setAll(d, VARIANT_NAIVE);
      break;
   case 'm':
   case 'M':
      Engine_mark(d->engine, "mark");
      dashboard_message(d, CE_VALUE, DASH_MESSAGE_NS, "mark set on the charts");
      break;
   case KEY_UP:
      dashboard_select(d, -1);
      break;
   case KEY_DOWN:
      dashboard_select(d, +1);
      break;
   case KEY_LEFT:
      dashboard_change(d, -1);
      break;
   case KEY_RIGHT:
      dashboard_change(d, +1);
      break;
   case '\n':
   case '\r':
   case KEY_ENTER:
      if (View_isStage(v->selected))
         dashboard_toggleStage(d, v->selected - KNOB_LAST);
      break;
   case 12: /* Ctrl-L */
      clearok(curscr, TRUE);
      break;
   case KEY_RESIZE:
      return DASH_HANDLED | DASH_RESIZE | DASH_REDRAW;
   case KEY_MOUSE:
      return dashboard_mouse(d);
   default:
      if (ch >= '1' && ch < '1' + STAGE_LAST) {
         v->selected = KNOB_LAST + (ch - '1');
         dashboard_toggleStage(d, ch - '1');
         break;
      }
      return 0;
   }
   return DASH_HANDLED | DASH_REDRAW;
}

/* ------------------------------------------------------------ run */

static void dashboard_summary(const Snapshot* s) {
   char up[16], gen[16], pro[16], fil[16], dro[16], back[16];
   Units_formatDuration(up, sizeof up, (int64_t)llround(s->uptime_s * 1e9));
   Units_formatCount(gen, sizeof gen, (double)s->generated);
   Units_formatCount(pro, sizeof pro, (double)s->processed);
   Units_formatCount(fil, sizeof fil, (double)s->filtered);
   Units_formatCount(dro, sizeof dro, (double)s->dropped);
   Units_formatCount(back, sizeof back, (double)(s->queued + s->in_flight));
   printf(
       "keepup: stopped after %s: %s records generated = %s processed + %s filtered + %s dropped + %s still queued\n",
       up, gen, pro, fil, dro, back);
   fflush(stdout);
}

int Dashboard_run(const Options* options, Engine* engine) {
   char err[256];
   if (!CRT_init(options->no_color, err, sizeof err)) {
      fprintf(stderr, "keepup: %s.\nRun without a screen instead, e.g.: keepup --headless --duration 10s\n", err);
      return 2;
   }
   Dashboard* d = xcalloc(1, sizeof *d);
   d->options = options;
   d->engine = engine;
   d->hist = xcalloc(2 * VIEW_HISTORY, sizeof *d->hist);
   d->fetch = xcalloc(VIEW_HISTORY, sizeof *d->fetch);
   View* v = &d->view;
   v->options = options;
   v->g = CRT_glyphs();
   v->hist = d->hist;
   Verdict_init(&v->verdict);
   Tradeoff_init(&v->tradeoff);

   Engine_start(engine);
   Engine_snapshot(engine, &v->snap);
   v->knobs = v->snap.knobs;
   d->cpu_t0 = Clock_threadCpu();
   d->cpu_wall0 = Clock_now();

   int64_t delay = options->delay_ns > 0 ? options->delay_ns : 100 * NS_PER_MS;
   int64_t next = Clock_now();
   bool dirty = true;
   for (;;) {
      if (CRT_quitSignal())
         break;
      if (CRT_handleSuspend())
         dirty = true;
      int64_t now = Clock_now();
      if (now >= next) {
         dashboard_update(d, now);
         dirty = true;
         next += delay;
         if (next <= now) /* late (suspended, or a slow terminal): skip, do not catch up */
            next = now + delay;
      }
      if (dirty) {
         dashboard_draw(d);
         dirty = false;
      }
      int64_t wait_ns = next - Clock_now();
      int wait_ms = wait_ns <= 0 ? 0 : (int)((wait_ns + NS_PER_MS - 1) / NS_PER_MS);
      timeout(wait_ms);
      int ch = getch();
      if (ch == ERR)
         continue;
      int r = dashboard_key(d, ch);
      if (r & DASH_QUIT)
         break;
      if (r & (DASH_REDRAW | DASH_RESIZE))
         dirty = true;
   }

   CRT_done();
   Engine_stop(engine, false, 0);
   Snapshot* last = xcalloc(1, sizeof *last);
   Engine_snapshot(engine, last);
   dashboard_summary(last);
   free(last);
   free(d->fetch);
   free(d->hist);
   free(d);
   return 0;
}
