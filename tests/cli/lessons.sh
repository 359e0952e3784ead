#!/bin/sh
# lessons.sh: a lecture without restarts. Drive the dashboard through
# lecture -> amdahl -> batching with the scenario menu (s), and start the
# batching lesson afresh with z: each switch starts a new pipeline with the
# lesson's knobs (no "needs a restart"), the caption and the header follow
# it, the charts keep the history with a labelled mark at each switch, and
# the run exits 0 with a summary whose accounting adds up over the whole run
# (what was still queued at a switch is dropped and counted). Every wait polls
# capture-pane with a timeout.
#
# Environment (from make check): KEEPUP, the program; TMUX_BIN, tmux.

. "$(dirname "$0")/lib.sh"
need_keepup
. "$(dirname "$0")/tmuxlib.sh"

no_restart() {
   printf '%s\n' "$LAST" | grep -qi 'needs a restart\|quit (q) and run' && fail "$1: the menu asks for a restart"
   return 0
}

# chart_mark TEXT: the charts' mark at a switch, labelled: on a chart row (after its vertical axis), not in
# the header's message (line 1)
chart_mark() {
   n=0
   while :; do
      capture
      printf '%s\n' "$LAST" | sed 1d | grep -q -- "│.*$1" && return 0
      n=$((n + 1))
      [ "$n" -ge 300 ] && fail "no chart mark labelled '$1'"
      sleep 0.05
   done
}

start 1 100 30 "$UTF8_LOCALE" TERM=xterm-256color -- --scenario lecture --json '>run.json'
wait_for 'Bursts arrive every interval' 30
wait_for ' lecture │ bursts of '
wait_for ' up 0:0[2-9]'

# lecture -> amdahl: the menu offers the switch now, and makes it
key s
wait_for 'Scenarios'
key Down
wait_for 'amdahl .*70%'
wait_for 'Enter starts it now in a new pipeline: .*sensors [0-9]+ -> [0-9]+'
no_restart amdahl
ok "lecture -> amdahl: offered at once, no restart"
key Enter
wait_for 'feature takes ~70% of the time, filter ~8%'
wait_for ' amdahl │ steady [0-9.]+k? rec/s'
printf '%s\n' "$LAST" | grep -q 'Bursts arrive every interval' && fail "the lecture's caption is still shown"
chart_mark 'scenario amdahl'
ok "amdahl: caption, header and the labelled mark"
wait_for ' up 0:0[3-9]'

# amdahl -> batching (the menu opens on the lesson in force)
key s
wait_for 'amdahl +\(in force\)'
key Down
wait_for 'Enter starts it now in a new pipeline'
no_restart batching
key Enter
wait_for 'Each batch pays a 0.5 ms hand-off'
wait_for ' batching │ steady 10.0k rec/s'
wait_for 'batch +1 rec/batch|batch 1,'
chart_mark 'scenario batching'
wait_for ' up 0:0[3-9]'

# a knob moved, then z: the lesson again from its own knobs, in a new pipeline, marked
key B
wait_for 'batch +2 rec/batch|batch 2,'
key z
wait_for 'batching afresh \(([0-9.]+k? queued, dropped|nothing was queued)\)'
wait_for 'batch +1 rec/batch|batch 1,'
chart_mark 'batching afresh'
wait_for 'Each batch pays a 0.5 ms hand-off'

key q
wait_for '^KEEPUP-EXITED 0' 20
check_restored
printf '%s\n' "$LAST" | grep -q 'of them queued at a scenario switch' ||
   printf '%s\n' "$LAST" | grep -q ' dropped + ' || fail "the summary line does not account for the drops"
[ -s "$WORK/run.json" ] || fail "no JSON summary"
need_python "the JSON summary"
python3 - "$WORK/run.json" <<'PY' || fail "the JSON summary after three pipelines (above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
if not j["conservation_ok"]:
    bad.append("conservation_ok is false")
if j["generated"] != j["processed"] + j["filtered"] + j["dropped"] + j["queued"] + j["in_flight"]:
    bad.append("the counts do not add up")
if j["dropped"] != sum(j["dropped_by"].values()):
    bad.append("dropped %d is not the sum of its reasons %s" % (j["dropped"], j["dropped_by"]))
if "scenario_switch" not in j["dropped_by"]:
    bad.append("no scenario_switch drop reason")
# the whole run: each of the first two lessons ran 3 s at least before the last pipeline started
if j["duration_s"] < 6:
    bad.append("duration_s %.1f covers the last pipeline only" % j["duration_s"])
if j["knobs"]["batch"] != 1:
    bad.append("knobs.batch %s after z, want the lesson's 1" % j["knobs"]["batch"])
if j["order_violations"] != 0:
    bad.append("order violations")
if bad:
    sys.exit("; ".join(bad))
PY
tm kill-server >/dev/null 2>&1
finish
