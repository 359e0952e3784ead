#!/bin/sh
# screen.sh: drive the real dashboard in a detached tmux server, at 80x24 and
# at 200x50: check the verdict, the scenario's caption and every panel, send
# keys and check that the screen follows (knobs, a stage toggle and the Amdahl
# panel, the scenario menu, a sweep refused on a growing backlog and one
# started and cancelled, recording to a file that grows), resize
# below the minimum, to 1x1 and back, stop and continue it with garbage
# written to its terminal meanwhile, quit, and check that the terminal was
# restored; then replay a recording made headless and change its speed;
# suspend it from an interactive shell (SIGTSTP and Ctrl-Z) and bring it back
# with fg; and let --duration end it with --json's summary in a file. Every
# wait polls capture-pane (or /proc) for what it needs, with a timeout;
# nothing waits blindly.
#
# Environment (from make check): KEEPUP, the program; TMUX_BIN, tmux (by
# hand it defaults to tmux; make check sets it empty when configure found none).

. "$(dirname "$0")/lib.sh"
need_keepup
. "$(dirname "$0")/tmuxlib.sh"

# check_full_80x24: the whole dashboard at 80x24 is on screen, and its clock moves
check_full_80x24() {
   wait_for 'F1Help'
   wait_for "$VERDICT"
   wait_for 'Forecast'
   wait_for '^ (keepup|lecture) .* up [0-9]+:[0-9]+'
   check_panels Backlog Staleness Throughput Stages 'Forecast (predicted)' Amdahl F1Help 'qQuit'
   printf '%s\n' "$LAST" | grep -q 'terminal too small' && fail "80x24 must be enough"
   up=$(uptime_shown)
   wait_gone "$up"
   wait_for ' up [0-9]+:[0-9]+'
}

# ---------------------------------------------------------------- 80x24, ASCII, monochrome
start 1 80 24 "$C_LOCALE" NO_COLOR=1 -- --scenario lecture --arrival steady --rate 50k
wait_for "$VERDICT" 20
wait_for 'Forecast'
check_panels Backlog Staleness Throughput Stages 'Forecast (predicted)' 'capacity' 'Amdahl' F1Help
# the scenario's name in the header and its caption under it
printf '%s\n' "$LAST" | grep -q '^ [a-z ]*lecture' || printf '%s\n' "$LAST" | grep -q ' lecture ' ||
   fail "the scenario's name is not in the header"
printf '%s\n' "$LAST" | grep -q 'Bursts arrive every interval' || fail "the lecture's caption is not shown"
printf '%s\n' "$LAST" | grep -q 'terminal too small' && fail "80x24 must be enough"
# the knobs panel gives way to the lesson's panels here: the header carries batch and threads
wait_for 'batch 256, 1 thread'

key B
wait_for 'batch 512'

key T
wait_for 'batch 512, 2 threads'

# the Amdahl panel follows the selected stage: up from the first knob is the last stage
key Up
wait_for 'Amdahl 6 format p [0-9.]+% of busy'
wait_for 's=2 x[0-9.]+ +s=10 x[0-9.]+ +s=inf x[0-9.]+'
key a
wait_for 'Amdahl 1 filter p [0-9.]+%'

# toggling a stage: its cost before and after, and the predicted speedup beside the measured one
key 4
wait_for '4 feature .*optim'
wait_for 'Amdahl 4 feature'
wait_for 'naive->optimized [0-9.]+ [nmu]?s->'
wait_for 'predicted x[0-9.]+ \(p [0-9.]+%\) +measured'

key e
wait_for 'Event log'
wait_for 'batch 512'
wait_for 'threads 2'
wait_for 'feature optimized'
key Escape
wait_for 'Forecast'

key '?'
wait_for 'keys and how to read the screen'
wait_for 'toggle that stage naive / optimized'
wait_for 'scenario menu'
key x
wait_for 'Forecast'

tm resize-window -t "$SESS" -x 60 -y 20
wait_for 'terminal too small \(need 80x24, have 60x20\)'
tm resize-window -t "$SESS" -x 80 -y 24
wait_gone 'terminal too small'
wait_for 'Forecast'
check_panels Backlog Stages Amdahl

# a 1x1 terminal (no room for anything) and back: no crash, and the whole dashboard comes back
tm resize-window -t "$SESS" -x 1 -y 1
wait_size 1 1
if [ "$HAVE_PROC" = 1 ]; then
   find_keepup "$(pane_flag pane_pid)"
   watch_alive "$KPID" 2 # twenty frames at 1x1
fi
tm resize-window -t "$SESS" -x 80 -y 24
wait_size 80 24
check_full_80x24
printf '%s\n' "$LAST" | grep -q 'KEEPUP-EXITED' && fail "keepup ended at 1x1"

# stopped from outside (SIGSTOP, which it cannot catch) while something else writes over its
# screen, then continued: SIGCONT must repaint every cell, not only those it changes
if [ "$HAVE_PROC" = 1 ]; then
   kill -STOP "$KPID"
   wait_state "$KPID" T
   printf '\033[2J\033[HGARBAGE-WHILE-STOPPED\n' >"$(pane_flag pane_tty)"
   wait_for 'GARBAGE-WHILE-STOPPED'
   kill -CONT "$KPID"
   wait_state "$KPID" '[RS]'
   wait_gone 'GARBAGE-WHILE-STOPPED'
   check_full_80x24
else
   skip "no /proc: the 1x1 liveness and SIGSTOP/SIGCONT checks"
fi

quit_and_check_restored
tm kill-server >/dev/null 2>&1

# ---------------------------------------------------------------- 200x50, UTF-8, colour
start 2 200 50 "$UTF8_LOCALE" TERM=xterm-256color -- --scenario lecture --arrival steady --rate 50k
wait_for "$VERDICT" 20
wait_for 'Records'
check_panels Backlog Staleness Throughput Latency Stages Knobs Alerts 'Throughput vs latency' Records \
   'Alert delay' Events 'Forecast' 'Amdahl' F1Help
printf '%s\n' "$LAST" | grep -q 'Bursts arrive every interval; the naive pipeline' ||
   fail "the lecture's caption is not shown on one line at 200 columns"

key B
wait_for 'batch +512 rec/batch'
key T
wait_for 'threads +2 of [0-9]+ CPUs'
key 4
wait_for '4 feature .*optimized'
key 4
wait_for '4 feature .*naive'
# the events panel lists the changes
wait_for 'feature naive'

# freeze: the uptime in the header stops while frozen, and moves again after
key f
wait_for 'FROZEN'
frozen_up=$(printf '%s\n' "$LAST" | grep -o ' up [0-9]*:[0-9]*' | head -n 1)
[ -n "$frozen_up" ] || fail "no uptime in the header"
n=0
while [ "$n" -lt 50 ]; do # 2.5 s in which a live header would have moved on
   capture
   now_up=$(printf '%s\n' "$LAST" | grep -o ' up [0-9]*:[0-9]*' | head -n 1)
   [ "$now_up" = "$frozen_up" ] || fail "the display moved while frozen ($frozen_up -> $now_up)"
   n=$((n + 1))
   sleep 0.05
done
key f
wait_gone 'FROZEN'
wait_gone "$frozen_up"

# recording: the tag, the file and its size on screen, a file that grows, then stop
key R
wait_for 'REC [0-9.]+ [kMG]?B \(R\)'
wait_for 'keepup-[0-9]{8}-[0-9]{6}\.csv'
rec=$(printf '%s\n' "$LAST" | grep -o 'keepup-[0-9]\{8\}-[0-9]\{6\}\.csv' | head -n 1)
wait_for '[0-9.]+k? records, [0-9.]+ [kMG]?B written'
[ -f "$WORK/$rec" ] || fail "no recording file $rec in the working directory"
size1=$(file_size "$WORK/$rec")
n=0
while [ "$(file_size "$WORK/$rec")" -le "$size1" ]; do
   n=$((n + 1))
   [ "$n" -ge 100 ] && fail "the recording does not grow ($size1 bytes)"
   sleep 0.05
done
key R
wait_gone 'REC [0-9.]+ [kMG]?B \(R\)'
wait_for "recorded [0-9.]+k? records .* to $rec"
head -n 1 "$WORK/$rec" | grep -q '^# keepup-recording' || fail "$rec does not start like a recording"
grep -q '^time_s,sensor,value$' "$WORK/$rec" || fail "$rec has no header row"

# the scenario menu: the one in force, and what switching to another would change (lessons.sh switches)
key s
wait_for 'Scenarios'
wait_for 'lecture +\(in force\)'
key Down
wait_for 'amdahl .*70%'
wait_for 'Enter starts it now in a new pipeline: .*allowlist 1000 -> [0-9]+'
printf '%s\n' "$LAST" | grep -q 'Needs a restart' && fail "the simulator's menu asks for a restart"
key Escape
wait_for 'Records'

# the sweep on a backlog that grows: its points would measure the backlog, so it is refused, saying why
wait_for 'FALLING BEHIND|F A L L I N G'
key S
wait_for 'no sweep: the backlog does not drain'
printf '%s\n' "$LAST" | grep -q 'SWEEP [0-9]/6 (S)' && fail "a sweep started on a growing backlog"
wait_for 'batch +512 rec/batch'

key F1
wait_for 'keys and how to read the screen'
key Escape
wait_for 'Knobs'

tm resize-window -t "$SESS" -x 60 -y 20
wait_for 'terminal too small \(need 80x24, have 60x20\)'
tm resize-window -t "$SESS" -x 200 -y 50
wait_gone 'terminal too small'
wait_for 'Records'
check_panels Backlog Staleness Throughput Latency Stages Knobs Alerts Events

quit_and_check_restored
tm kill-server >/dev/null 2>&1

# ---------------------------------------------------------------- a replay at 80x24
"$KEEPUP" --headless --duration 2s --scenario none --rate 20k --record "$WORK/rec.csv" >/dev/null 2>&1 ||
   fail "cannot record $WORK/rec.csv headless"
[ -s "$WORK/rec.csv" ] || fail "the headless recording is empty"
start 3 80 24 "$UTF8_LOCALE" TERM=xterm-256color -- --replay rec.csv --loop
wait_for "$VERDICT" 20
wait_for 'Replay rec\.csv'
wait_for 'replay rec\.csv x1'
wait_for '[0-9.]+k? rows [0-9]+%'
wait_for 'speed +x1 of the file'
key ']'
wait_for 'replay rec\.csv x2'
wait_for 'Replay rec\.csv speed x2'
key '}'
wait_for 'replay rec\.csv max'
key '['
wait_for 'replay rec\.csv x524288'
key '{'
wait_for 'replay rec\.csv x1'
key ' '
wait_for 'PAUSED'
key ' '
wait_gone 'PAUSED'
quit_and_check_restored
tm kill-server >/dev/null 2>&1

# ---------------------------------------------------------------- suspend and resume, from an interactive shell
# A terminal stop (SIGTSTP, Ctrl-Z) stops only a process that a job-control shell runs (elsewhere
# the kernel discards it), so keepup runs here from an interactive sh, as a user would start it.
if [ "$HAVE_PROC" = 1 ]; then
   SOCK="$SOCK_BASE-4"
   tm -f /dev/null new-session -d -s "$SESS" -x 80 -y 24 -c "$WORK" "env PS1='$ ' ENV=/dev/null sh -i" ||
      fail "cannot start tmux"
   tm set-option -t "$SESS" status off >/dev/null
   tm resize-window -t "$SESS" -x 80 -y 24 >/dev/null 2>&1
   wait_for '^\$'
   shell=$(pane_flag pane_pid)
   key "env $C_LOCALE NO_COLOR=1 '$KEEPUP' --scenario lecture --arrival steady --rate 50k" Enter
   wait_for "$VERDICT" 20
   check_full_80x24
   find_keepup "$shell"
   for how in signal ctrl-z; do
      if [ "$how" = signal ]; then kill -TSTP "$KPID"; else key C-z; fi
      wait_state "$KPID" T
      # stopped, the terminal is the shell's again, as keepup found it
      wait_flag alternate_on 0
      wait_flag cursor_flag 1
      wait_flag mouse_any_flag 0
      key fg Enter
      wait_state "$KPID" '[RS]'
      wait_flag alternate_on 1
      check_full_80x24
   done
   # the keys work after a resume: the input modes and the keypad are back
   key Up
   wait_for 'Amdahl 6 format'
   key B
   wait_for 'batch 512'
   key q
   n=0
   while ws_state=$(proc_field "$KPID" 1) && [ "$ws_state" != Z ]; do
      n=$((n + 1))
      [ "$n" -ge 300 ] && fail "keepup did not end on q after the resumes"
      sleep 0.05
   done
   key 'echo "KEEPUP-EXITED $?"' Enter
   wait_for '^(\$ )?KEEPUP-EXITED 0$'
   check_restored
   tm kill-server >/dev/null 2>&1
else
   skip "no /proc: the SIGTSTP/SIGCONT checks"
fi

# ---------------------------------------------------------------- --duration ends the dashboard, --json keeps its summary
start 5 80 24 "$C_LOCALE" NO_COLOR=1 -- --scenario lecture --arrival steady --rate 50k --duration 5s --json '>run.json'
wait_for 'F1Help' 20
wait_for '^ (keepup|lecture) '
# no key: it ends by itself, the same way as on q (the one-line summary on stderr, the JSON on stdout)
wait_for '^KEEPUP-EXITED 0' 40
check_restored
[ -s "$WORK/run.json" ] || fail "the dashboard's --json wrote nothing to standard output"
if command -v python3 >/dev/null 2>&1; then
   python3 - "$WORK/run.json" <<'EOF' || fail "the dashboard's --json summary (above)"
import json, sys
j = json.load(open(sys.argv[1]))  # the whole of standard output is one JSON object
bad = []
# --duration counts from launch, the start-up's calibration (half a second, more under a sanitizer or
# load) included, and the run measures what is left of it
if not 1.0 <= j["duration_s"] <= 35:
    bad.append("duration_s %s for --duration 5s" % j["duration_s"])
if not j["conservation_ok"]:
    bad.append("conservation_ok is false")
if j["generated"] != j["processed"] + j["filtered"] + j["dropped"] + j["queued"] + j["in_flight"]:
    bad.append("the counts do not add up")
if j["knobs"]["rate"] != 50000:
    bad.append("knobs.rate is %s, want 50000" % j["knobs"]["rate"])
if j["processed"] <= 0:
    bad.append("nothing processed")
if j["order_violations"] != 0:
    bad.append("order violations")
if bad:
    sys.exit("; ".join(bad))
EOF
else
   skip "python3 is not installed: the dashboard's --json summary is not parsed"
fi
tm kill-server >/dev/null 2>&1

# ---------------------------------------------------------------- a sweep, kept up
# with no backlog the sweep starts at once, shows its progress, and S again
# cancels it and restores the batch size
start 7 100 30 "$C_LOCALE" NO_COLOR=1 -- --scenario none --rate 5k --batch 512
wait_for 'KEEPING UP|K E E P I N G' 30
key S
wait_for 'SWEEP 1/6 \(S\)'
wait_for 'batch +1024 rec/batch'
key S
wait_gone 'SWEEP [0-9]/6 \(S\)'
wait_for 'batch +512 rec/batch'
wait_for 'sweep cancel'
quit_and_check_restored
tm kill-server >/dev/null 2>&1

# ---------------------------------------------------------------- bursts: no forecast before a whole period
# the arrival rate of bursts is known only after a whole period: until then the
# forecast shows the measured capacity and says when a utilization will follow,
# never a utilization computed from a rate not yet measured
start 6 80 24 "$C_LOCALE" NO_COLOR=1 -- --scenario lecture --every 40s
wait_for 'capacity' 30
printf '%s\n' "$LAST" | grep -q 'util: after the first burst' ||
   fail "before the first burst period ends, the forecast must say the utilization is still to come"
printf '%s\n' "$LAST" | grep -q 'util [0-9]' && fail "a utilization shown before the arrival rate is measured"
quit_and_check_restored
tm kill-server >/dev/null 2>&1

# ---------------------------------------------------------------- a live speed change keeps the output
# batches are cut by event time only: a replay whose speed is changed while it plays writes the same
# --output, byte for byte (one worker), as one played at --speed max
awk 'BEGIN { print "time,value"; for (i = 0; i < 2000; i++) printf "%d,%d\n", i, (i * 7919) % 1000 + (i % 500 == 499) * 90000 }' \
   >"$WORK/speed.csv"
"$KEEPUP" -H --replay "$WORK/speed.csv" --speed max -t 1 --interval 0 -o "$WORK/speed-max.csv" >/dev/null 2>&1 ||
   fail "the headless replay of speed.csv failed"
start 7 100 30 "$UTF8_LOCALE" TERM=xterm-256color -- --replay speed.csv --speed 200 -t 1 -o speed-live.csv
wait_for 'replay speed\.csv x200' 20
sleep 1
key ']'
wait_for 'replay speed\.csv x400'
sleep 1
key '}'
wait_for 'replay speed\.csv max'
wait_for 'rows, ended' 30
quit_and_check_restored
cmp -s "$WORK/speed-max.csv" "$WORK/speed-live.csv" ||
   fail "a live speed change (x200, x400, max) changed --output: $(cmp "$WORK/speed-max.csv" "$WORK/speed-live.csv")"
tm kill-server >/dev/null 2>&1

# ---------------------------------------------------------------- SIGTERM in mid-replay: exit 143
if command -v pgrep >/dev/null 2>&1; then
   start 8 100 30 "$UTF8_LOCALE" TERM=xterm-256color -- --replay speed.csv --speed 1
   wait_for 'replay speed\.csv x1' 20
   kpid=$(pgrep -P "$(pane_flag pane_pid)" keepup)
   [ -n "$kpid" ] || fail "cannot find the dashboard's process"
   kill -TERM "$kpid"
   wait_for '^KEEPUP-EXITED 143' 15
   printf '%s\n' "$LAST" | grep -q 'interrupted by SIGTERM before its end' || fail "no message for the interrupted replay"
   check_restored
   tm kill-server >/dev/null 2>&1
fi

echo "screen.sh: PASS"
exit 0
