/*
 * frame.c: the fixed parts of the dashboard's screen around the panels: the
 * header (what feeds the pipeline, uptime, CPU, the state tags and the
 * latest message), the scenario's caption, the verdict banner and the key
 * bar (made from the key table); and the main screen put together: the
 * layout for what the user is doing, then each part drawn into its place.
 */
#include "config.h"

#include "ui/frame.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/units.h"
#include "ui/bigtext.h"
#include "ui/keys.h"
#include "ui/panels.h"
#include "ui/panel.h"
#include "ui/recording.h"

/* What feeds the pipeline, in words: the simulated workload, or the replayed file and its speed. */
static void frame_workText(const View* v, char* buf, size_t len, bool sensors) {
   const Knobs* k = &v->data.knobs;
   char a[16], b[16];
   if (v->data.replaying) {
      Recording_speedText(a, sizeof a, k->speed);
      snprintf(buf, len, "replay %s %s", v->data.replay.file ? Recording_baseName(v->data.replay.file) : "", a);
      return;
   }
   int n;
   if (k->arrival == ARRIVAL_BURST) {
      Units_formatCount(a, sizeof a, (double)k->burst);
      Units_formatDuration(b, sizeof b, k->every_ns);
      n = snprintf(buf, len, "bursts of %s rec every %s", a, b);
   } else {
      Units_formatCount(a, sizeof a, k->rate);
      n = snprintf(buf, len, "%s %s rec/s", Arrival_names[k->arrival], a);
   }
   if (sensors && n > 0 && (size_t)n < len)
      snprintf(buf + n, len - (size_t)n, " from %" PRIu32 " sensors", v->data.options->setup.sensors);
}

/* A tag at the right of the header, left of `end`, when it leaves the left part the `keep` columns its
 * shortest form takes: a tag or a name cut on its left would be a fragment. */
static void frame_tag(const Canvas* c, int* end, int keep, ColorElement e, const char* tag) {
   if (*end - Canvas_width(tag) - 1 < keep)
      return;
   *end = Canvas_textRight(c, 0, *end, e, tag) - 1;
}

void Frame_header(const View* v, const Canvas* c) {
   const Snapshot* s = &v->data.snap;
   const Knobs* k = &v->data.knobs;
   const Glyphs* g = v->g;
   Canvas_band(c, 0, CE_HEADER);
   /* the tags at the right first: they say what state the screen is in */
   int end = c->r.w;
   const char* scen =
       v->data.scenario >= 0 && v->data.scenario < SCENARIO_LAST ? Scenario_names[v->data.scenario] : NULL;
   int keep = Canvas_width(scen ? scen : "keepup") + 2;
   char tag[48], a[16];
   if (v->ui.frozen)
      frame_tag(c, &end, keep, CE_HEADER_TAG, " FROZEN (f) ");
   if (k->paused)
      frame_tag(c, &end, keep, CE_HEADER_TAG, " PAUSED (space) ");
   if (v->data.replay_error[0])
      frame_tag(c, &end, keep, CE_CRIT, " REPLAY FAILED ");
   else if (s->source_done)
      frame_tag(c, &end, keep, CE_HEADER_TAG, " INPUT ENDED ");
   if (s->safety_cap_hit)
      frame_tag(c, &end, keep, CE_CRIT, " SAFETY CAP HIT: DROPPING ");
   if (v->data.sweep && Sweep_running(v->data.sweep)) {
      snprintf(tag, sizeof tag, " SWEEP %u/%u (S) ", v->data.sweep->current + 1, v->data.sweep->n);
      frame_tag(c, &end, keep, CE_HEADER_TAG, tag);
   }
   if (v->data.recording) {
      Units_formatBytes(a, sizeof a, (double)v->data.rec.bytes);
      snprintf(tag, sizeof tag, " REC %s (R) ", a);
      frame_tag(c, &end, keep, CE_REC, tag);
   } else if (v->data.rec_error[0]) {
      frame_tag(c, &end, keep, CE_CRIT, " REC FAILED ");
   }
   /* then the left part, as detailed as the room allows */
   char work[160], up[32], knobs[48], line[320];
   Panel_clock(up, sizeof up, s->uptime_s, false);
   knobs[0] = '\0';
   if (!v->layout.shown[PANEL_KNOBS])
      snprintf(knobs, sizeof knobs, " %s batch %" PRIu32 ", %" PRIu32 " thread%s", g->sep, k->batch, k->threads,
               k->threads == 1 ? "" : "s");
   char scen_text[48] = "";
   if (scen)
      snprintf(scen_text, sizeof scen_text, " %s %s", g->sep, scen);
   /* a message (a change just made, an error) takes its room from the line's details */
   bool msg = v->ui.message[0] && v->data.now < v->ui.message_until;
   int msg_w = msg ? Canvas_width(v->ui.message) + 2 : 0;
   if (msg && msg_w > end / 2)
      msg_w = end / 2;
   if (msg_w > end - keep)
      msg_w = end - keep;
   int room = end - msg_w;
   int x = 0;
   for (int detail = 4; detail >= -2; detail--) {
      frame_workText(v, work, sizeof work, detail >= 3);
      if (detail == 4)
         snprintf(line, sizeof line, " keepup %s%s %s %s%s %s up %s %s CPU %.1f of %" PRIu32 " ", PACKAGE_VERSION,
                  scen_text, g->sep, work, knobs, g->sep, up, g->sep, s->cpu_process, s->ncpu);
      else if (detail == 3)
         snprintf(line, sizeof line, " keepup %s%s %s %s%s %s up %s ", PACKAGE_VERSION, scen_text, g->sep, work, knobs,
                  g->sep, up);
      else if (detail == 2)
         snprintf(line, sizeof line, " keepup%s %s %s%s %s up %s ", scen_text, g->sep, work, knobs, g->sep, up);
      else if (detail == 1)
         snprintf(line, sizeof line, " %s %s %s%s %s up %s ", scen ? scen : "keepup", g->sep, work, knobs, g->sep, up);
      else if (detail == 0)
         snprintf(line, sizeof line, " %s %s %s%s ", scen ? scen : "keepup", g->sep, work, knobs);
      else if (detail == -1) /* the knobs go whole: "batch" without its size would mislead */
         snprintf(line, sizeof line, " %s %s %s ", scen ? scen : "keepup", g->sep, work);
      else
         snprintf(line, sizeof line, " %s ", scen ? scen : "keepup");
      if (Canvas_width(line) <= room)
         break;
   }
   Canvas left = Canvas_sub(c, 0, 0, 1, room);
   x = Canvas_text(&left, 0, 0, CE_HEADER, line);
   if (msg) {
      /* right-aligned when it fits; else its beginning, which says what happened */
      int mroom = end - x - 2;
      if (mroom > 8) {
         Canvas mc = Canvas_sub(c, 0, x + 1, 1, mroom);
         if (Canvas_width(v->ui.message) <= mroom)
            Canvas_textRight(&mc, 0, mroom, v->ui.message_elem, v->ui.message);
         else
            Panel_shortened(&mc, 0, 0, mroom, v->ui.message_elem, v->ui.message, g->more);
      }
   }
}

#define FRAME_CAPTION_LINES 4 /* the most rows the caption takes (Layout_computeBands' limit) */

/* The caption as it is drawn at a width: its two lines one row each when
 * they fit, else both as one paragraph wrapped (fewer rows than wrapping each). Returns its rows; one more
 * than FRAME_CAPTION_LINES when the text does not fit in them (that line holds the rest). */
static int frame_captionLayout(const View* v, int width, char text[FRAME_CAPTION_LINES + 1][256]) {
   if (v->data.scenario < 0 || v->data.scenario >= SCENARIO_LAST)
      return 0;
   int w = width - 4;
   /* at the lesson's end, its before/after table: the conclusion, the header, two rows */
   char table[LESSON_TABLE_ROWS][LESSON_LINE];
   int rows = Lesson_table(&v->data.lesson, table, LESSON_TABLE_ROWS);
   if (rows > 0) {
      /* the conclusion on one row: without its "Measured:" lead-in to the table, or its colon, when it is
       * too long (the table below says it), shortened as the last resort */
      snprintf(text[0], 256, "%s", table[0]);
      size_t len = strlen(text[0]);
      if (Canvas_width(text[0]) > w && len > 10 && strcmp(text[0] + len - 10, " Measured:") == 0)
         text[0][len -= 10] = '\0';
      if (Canvas_width(text[0]) > w && len > 0 && text[0][len - 1] == ':')
         text[0][len - 1] = '\0';
      for (int i = 1; i < rows && i < 4; i++)
         snprintf(text[i], 256, "%s", table[i]);
      return rows < 4 ? rows : 4;
   }
   const char* cap[2] = {Scenario_table[v->data.scenario].caption[0], Scenario_table[v->data.scenario].caption[1]};
   /* the checkpoints, measured live: the amdahl trial's once the student optimizes a stage; the structure
    * and memory lessons' conclusions from their measured tables; the other lessons' from their points */
   char measured[2][256];
   if ((v->data.scenario == SCENARIO_AMDAHL &&
        AmdahlTrial_checkpoint(&v->data.trial, &v->data.analysis.costs, measured[0], measured[1], sizeof measured[0])) ||
       (v->data.scenario == SCENARIO_STRUCTURE &&
        Structure_caption(&v->data.structure, measured[0], measured[1], sizeof measured[0])) ||
       (v->data.scenario == SCENARIO_MEMORY &&
        Footprint_caption(&v->data.footprint, measured[0], measured[1], sizeof measured[0])) ||
       Lesson_caption(&v->data.lesson, measured[0], measured[1], sizeof measured[0])) {
      cap[0] = measured[0];
      cap[1] = measured[1];
   }
   if (Canvas_width(cap[0]) <= w && Canvas_width(cap[1]) <= w) {
      snprintf(text[0], 256, "%s", cap[0]);
      snprintf(text[1], 256, "%s", cap[1]);
      return 2;
   }
   char joined[512];
   snprintf(joined, sizeof joined, "%s %s", cap[0], cap[1]);
   /* a line past the last one the caption may take is kept (from there to the end) to say it was lost */
   int st[FRAME_CAPTION_LINES + 1], ln[FRAME_CAPTION_LINES + 1];
   int n = Layout_wrap(joined, w, st, ln, FRAME_CAPTION_LINES + 1);
   if (n > FRAME_CAPTION_LINES + 1)
      n = FRAME_CAPTION_LINES + 1;
   for (int i = 0; i < n; i++)
      snprintf(text[i], 256, "%.*s", i < FRAME_CAPTION_LINES ? ln[i] : (int)strlen(joined + st[i]), joined + st[i]);
   return n;
}

int Frame_captionRows(const View* v, int width) {
   char text[FRAME_CAPTION_LINES + 1][256];
   int n = frame_captionLayout(v, width, text);
   return n < FRAME_CAPTION_LINES ? n : FRAME_CAPTION_LINES;
}

void Frame_caption(const View* v, const Canvas* c) {
   char text[FRAME_CAPTION_LINES + 1][256];
   int n = frame_captionLayout(v, c->r.w, text);
   if (n > FRAME_CAPTION_LINES)
      Canvas_lost(c, CE_CAPTION, text[FRAME_CAPTION_LINES]);
   for (int r = 0; r < n && r < FRAME_CAPTION_LINES && r < c->r.h; r++) {
      if (r == 0)
         Canvas_text(c, r, 1, CE_CAPTION, v->g->select);
      Panel_shortened(c, r, 3, c->r.w - 4, CE_CAPTION, text[r], v->g->more);
   }
}

static ColorElement frame_verdictElem(VerdictState s) {
   switch (s) {
   case VERDICT_KEEPING_UP:
      return CE_VERDICT_OK;
   case VERDICT_CATCHING_UP:
      return CE_VERDICT_WARN;
   case VERDICT_FALLING_BEHIND:
      return CE_VERDICT_CRIT;
   case VERDICT_INPUT_ENDED:
      return CE_VERDICT_WARN;
   case VERDICT_DONE:
      return CE_VERDICT_OK;
   case VERDICT_FAILED:
      return CE_VERDICT_CRIT;
   default:
      return CE_VERDICT_NONE;
   }
}

/* The verdict's reason on its row; too long for it, and with room beside the word above (word_end: where
 * the word and its duration end, -1: no room there), in two lines from beside the word down, whole. */
static void frame_reason(const Canvas* c, ColorElement e, int row, int word_end, const char* reason,
                         const char* more) {
   int x0 = word_end + 3;
   int st[3], ln[3];
   if (Canvas_width(reason) <= c->r.w - 3 || word_end < 0 || row < 1 ||
       Layout_wrap(reason, c->r.w - x0 - 1, st, ln, 3) != 2) {
      Panel_shortened(c, row, 2, c->r.w - 3, e, reason, more);
      return;
   }
   char line[512];
   for (int i = 0; i < 2; i++) {
      snprintf(line, sizeof line, "%.*s", ln[i], reason + st[i]);
      Canvas_text(c, row - 1 + i, x0, e, line);
   }
}

/* Add field to line after a separator when all of it fits in room columns (else leave line as it is). */
static void frame_appendField(char* line, size_t len, int room, const char* sep, const char* field) {
   char next[320];
   if (line[0])
      snprintf(next, sizeof next, "%s %s %s", line, sep, field);
   else
      snprintf(next, sizeof next, "%s", field);
   if (Canvas_width(next) <= room && strlen(next) < len)
      snprintf(line, len, "%s", next);
}

void Frame_verdict(const View* v, const Canvas* c) {
   const Verdict* vd = &v->data.analysis.verdict;
   /* a replay an error stopped did not end: its input is cut short, whatever the rates say */
   bool failed = v->data.replay_error[0] != '\0' || vd->state == VERDICT_FAILED;
   ColorElement e = failed ? CE_VERDICT_CRIT : frame_verdictElem(vd->state);
   for (int r = 0; r < c->r.h; r++)
      Canvas_band(c, r, e);
   char name[40], dur[48], reason[REPLAY_MSG_MAX + 32];
   const char* word = failed ? "REPLAY FAILED" : Verdict_name(vd->state);
   dur[0] = '\0';
   if (vd->state != VERDICT_STARTING && !failed) {
      char d[16];
      Panel_seconds(d, sizeof d, (double)Verdict_age(vd, v->data.analysis.verdict.last.t) / 1e9);
      snprintf(dur, sizeof dur, "for %s%s", d, v->data.knobs.paused ? " (source paused)" : "");
   }
   int row = 0, word_end = -1;
   int big_w = BigText_width(word);
   int side_w = Canvas_width(dur) > Canvas_width(word) ? Canvas_width(dur) : Canvas_width(word);
   if (c->r.h >= 5 && v->g->utf8 && big_w > 0 && big_w + 5 + side_w <= c->r.w) {
      char line[512];
      for (int r = 0; r < BIGTEXT_ROWS; r++)
         if (BigText_row(word, r, line, sizeof line))
            Canvas_text(c, r, 2, e, line);
      /* the word in plain letters too, for whoever copies the screen as text */
      Canvas_text(c, 0, 2 + big_w + 3, e, word);
      Canvas_text(c, 1, 2 + big_w + 3, e, dur);
      row = BIGTEXT_ROWS;
   } else {
      /* spaced letters read from further away, when there is room for them */
      if (c->r.w >= 120) {
         size_t j = 0;
         for (size_t i = 0; word[i] && j + 2 < sizeof name; i++) {
            name[j++] = word[i];
            name[j++] = ' ';
         }
         name[j ? j - 1 : 0] = '\0';
      } else {
         snprintf(name, sizeof name, "%s", word);
      }
      row = c->r.h >= 5 ? 1 : 0;
      int x = Canvas_text(c, row, 2, e, name);
      x = Canvas_text(c, row, x + 3, e, dur);
      row++;
      word_end = x + (dur[0] ? 0 : -3);
   }
   if (v->data.replay_error[0])
      snprintf(reason, sizeof reason, "replay stopped: %s", v->data.replay_error);
   else
      Analysis_reason(&v->data.analysis, &v->data.snap, reason, sizeof reason);
   frame_reason(c, e, row, word_end, reason, v->g->more);
   row++;
   if (row < c->r.h && c->r.h >= 3) {
      const Snapshot* s = &v->data.snap;
      char a[16], b[16], d[16], line[240];
      Units_formatCount(a, sizeof a, (double)s->backlog_records);
      Panel_seconds(b, sizeof b, (double)s->oldest_age_ns / 1e9);
      if (s->oldest_age_ns == 0)
         snprintf(b, sizeof b, "none");
      Units_formatDuration(d, sizeof d, (int64_t)s->latency_window.p99);
      if (s->latency_window.count == 0)
         snprintf(d, sizeof d, "-");
      /* each field whole or not at all: a label without its figure would read as another one */
      int room = c->r.w - 2;
      line[0] = '\0';
      char f[96];
      snprintf(f, sizeof f, "backlog %s rec", a);
      frame_appendField(line, sizeof line, room, v->g->sep, f);
      if (s->held_back > 0) {
         char h[16], ago[16];
         Units_formatCount(h, sizeof h, (double)s->held_back);
         Panel_seconds(ago, sizeof ago, (double)s->held_back_age_ns / 1e9);
         snprintf(f, sizeof f, "held back at the source %s%s rec, %s", s->offered_exact ? "" : "~", h, ago);
         frame_appendField(line, sizeof line, room, v->g->sep, f);
      }
      snprintf(f, sizeof f, "oldest waiting %s", b);
      frame_appendField(line, sizeof line, room, v->g->sep, f);
      snprintf(f, sizeof f, "p99 latency %s", d);
      frame_appendField(line, sizeof line, room, v->g->sep, f);
      if (s->alert_delay_window.count) {
         Units_formatDuration(d, sizeof d, (int64_t)s->alert_delay_window.p99);
         snprintf(f, sizeof f, "alerts raised %s after the reading (p99)", d);
         frame_appendField(line, sizeof line, room, v->g->sep, f);
      }
      Canvas_text(c, row, 2, e, line);
   }
}

/* Rows the key bar's entries up to max_prio take at width w, an entry never split across two:
 * with draw, it draws them into c too. */
static int frame_keybarPlace(const Canvas* c, bool draw, bool replaying, int max_prio, int w) {
   char keys[16];
   int x = 0, row = 0;
   for (size_t i = 0; i < Keys_count; i++) {
      const KeyBinding* b = &Keys_table[i];
      if (!Keys_inBar(b, replaying, max_prio))
         continue;
      Keys_barKeys(b, keys, sizeof keys);
      int ew = Canvas_width(keys) + Canvas_width(b->label);
      if (x > 0 && x + ew > w) {
         row++;
         x = 0;
      }
      if (draw) {
         Canvas_text(c, row, x, CE_KEY, keys);
         Canvas_text(c, row, x + Canvas_width(keys), CE_KEY_LABEL, b->label);
      }
      x += ew + 1;
   }
   return row + 1;
}

static int frame_keybarMaxPriority(void) {
   int max_prio = 0;
   for (size_t i = 0; i < Keys_count; i++)
      if (Keys_table[i].label && Keys_table[i].priority > max_prio)
         max_prio = Keys_table[i].priority;
   return max_prio;
}

int Frame_keybarRows(const View* v, int width) {
   return frame_keybarPlace(NULL, false, v->data.replaying, frame_keybarMaxPriority(), width) > 1 ? 2 : 1;
}

void Frame_keybar(const View* v, const Canvas* c) {
   bool replaying = v->data.replaying;
   int rows = c->r.h < 1 ? 1 : c->r.h;
   /* the priorities that fit in the bar's rows, dropping the highest first */
   int max_prio = frame_keybarMaxPriority();
   for (; max_prio > 0; max_prio--)
      if (frame_keybarPlace(c, false, replaying, max_prio, c->r.w) <= rows)
         break;
   for (int r = 0; r < rows; r++)
      Canvas_band(c, r, CE_KEY_LABEL);
   frame_keybarPlace(c, true, replaying, max_prio, c->r.w);
}

void Frame_layout(View* view, int w, int h, bool sweeping) {
   const ViewData* v = &view->data;
   const Knobs* k = &v->knobs;
   bool simulated = k->dispatch_cost_ns > 0;
   for (int s = 0; s < STAGE_LAST; s++)
      simulated = simulated || k->stage_cost_ns[s] > 0;
   LayoutFocus focus = {
       .source = v->replaying || v->recording || v->rec_error[0],
       .amdahl = View_isStage(view->ui.selected) || v->scenario == SCENARIO_LECTURE || v->scenario == SCENARIO_AMDAHL,
       .trial = v->trial.active && v->trial.stage == view->ui.amdahl_stage,
       .tradeoff = sweeping || v->scenario == SCENARIO_BATCHING || v->scenario == SCENARIO_STRUCTURE,
       .simulated = simulated,
       .oversubscribed = Analysis_oversubscribed(&v->analysis),
       /* the skew lesson, or a partition busy most of the time while more than one worker waits */
       .skew = v->scenario == SCENARIO_SKEW || (k->threads > 1 && v->snap.hot_share >= 0.5),
   };
   PanelSpec specs[PANEL_LAST];
   int nspecs = Layout_arrange(specs, &focus);
   LayoutBands bands = {.caption_rows = Frame_captionRows(view, w),
                        .keybar_rows = Frame_keybarRows(view, w),
                        .big_letters = view->g->utf8};
   Layout_computeBands(&view->layout, w, h, &bands, specs, nspecs);
}

void Frame_drawMain(const View* v, ViewHits* hits, int w) {
   const Layout* l = &v->layout;
   Canvas c = Canvas_make(l->header);
   Frame_header(v, &c);
   if (l->caption.h > 0) {
      c = Canvas_make(l->caption);
      Frame_caption(v, &c);
   }
   c = Canvas_make(l->verdict);
   Frame_verdict(v, &c);
   for (int p = 0; p < PANEL_LAST; p++) {
      if (!l->shown[p])
         continue;
      c = Canvas_make(Frame_panelRect(l, p, w));
      Panels_table[p].draw(v, hits, &c);
   }
   c = Canvas_make(l->keybar);
   Frame_keybar(v, &c);
}

Rect Frame_panelRect(const Layout* l, int p, int w) {
   /* one blank column between neighbouring panels */
   Rect r = l->panel[p];
   if (r.x + r.w < w)
      r.w -= 1;
   if (r.x > 0) {
      r.x += 1;
      r.w -= 1;
   }
   return r;
}
