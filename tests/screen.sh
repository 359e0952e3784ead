#!/bin/sh
# screen.sh: drive the real dashboard in a detached tmux server, at 80x24 and
# at 200x50: check the verdict and every panel, send keys and check that the
# screen follows, resize below the minimum and back, quit, and check that the
# terminal was restored. Every wait polls capture-pane for the text it needs,
# with a timeout; nothing waits blindly.
#
# Environment (from make check): KEEPUP, the program; TMUX_BIN, tmux.

if [ -z "$TMUX_BIN" ] || ! command -v "$TMUX_BIN" >/dev/null 2>&1; then
   echo "screen.sh: SKIP: tmux is not installed (Debian: apt-get install tmux)"
   exit 77
fi
: "${KEEPUP:?KEEPUP must name the keepup program}"

# run from inside tmux or not, the test uses its own private server
unset TMUX
# one server per phase: a server just told to exit may still hold its socket
SOCK_BASE="keepup-test-$$"
SOCK="$SOCK_BASE-0"
SESS=screen
LAST=""

tm() {
   "$TMUX_BIN" -L "$SOCK" "$@"
}

cleanup() {
   for s in "$SOCK_BASE-1" "$SOCK_BASE-2"; do
      "$TMUX_BIN" -L "$s" kill-server >/dev/null 2>&1
   done
}
trap cleanup EXIT INT TERM

fail() {
   echo "screen.sh: FAIL: $*"
   echo "---- last screen ----"
   printf '%s\n' "$LAST"
   echo "---------------------"
   exit 1
}

capture() {
   LAST=$(tm capture-pane -p -t "$SESS" 2>/dev/null)
}

# wait_for ERE [seconds]: poll the screen until a line matches
wait_for() {
   limit=$(( ${2:-15} * 20 ))
   n=0
   while :; do
      capture
      printf '%s\n' "$LAST" | grep -E -q -- "$1" && return 0
      n=$((n + 1))
      [ "$n" -ge "$limit" ] && fail "timed out waiting for /$1/"
      sleep 0.05
   done
}

# wait_gone ERE [seconds]: poll until no line matches
wait_gone() {
   limit=$(( ${2:-15} * 20 ))
   n=0
   while :; do
      capture
      printf '%s\n' "$LAST" | grep -E -q -- "$1" || return 0
      n=$((n + 1))
      [ "$n" -ge "$limit" ] && fail "timed out waiting for /$1/ to go away"
      sleep 0.05
   done
}

key() {
   tm send-keys -t "$SESS" "$@"
}

pane_flag() {
   tm display-message -p -t "$SESS" "#{$1}"
}

# start PHASE W H ENV...: keepup in a shell that prints a marker when it ends
start() {
   SOCK="$SOCK_BASE-$1"
   w=$2 h=$3
   shift 3
   tm -f /dev/null new-session -d -s "$SESS" -x "$w" -y "$h" \
      "env $* '$KEEPUP' --arrival steady --rate 50k; echo \"KEEPUP-EXITED \$?\"; exec sleep 600" ||
      fail "cannot start tmux"
   tm set-option -t "$SESS" status off >/dev/null
   tm resize-window -t "$SESS" -x "$w" -y "$h" >/dev/null 2>&1
}

check_panels() {
   for p in "$@"; do
      printf '%s\n' "$LAST" | grep -q -- "$p" || fail "panel '$p' not on screen"
   done
}

quit_and_check_restored() {
   key q
   wait_for '^KEEPUP-EXITED 0' 15
   printf '%s\n' "$LAST" | grep -q 'keepup: stopped after' || fail "no summary line after quitting"
   printf '%s\n' "$LAST" | grep -q 'FALLING BEHIND\|KEEPING UP\|Knobs' && fail "the dashboard is still on screen after quitting"
   [ "$(pane_flag alternate_on)" = 0 ] || fail "the alternate screen is still on"
   [ "$(pane_flag mouse_any_flag)" = 0 ] || fail "mouse reporting is still on"
   [ "$(pane_flag cursor_flag)" = 1 ] || fail "the cursor is still hidden"
}

VERDICT='KEEPING UP|FALLING BEHIND|CATCHING UP|K E E P I N G|F A L L I N G|C A T C H I N G'
C_LOCALE="LC_ALL=C"
UTF8_LOCALE="LC_ALL=C.UTF-8"
locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || UTF8_LOCALE="LC_ALL=${LANG:-C}"

# ---------------------------------------------------------------- 80x24, ASCII, monochrome
start 1 80 24 "$C_LOCALE" NO_COLOR=1
wait_for "$VERDICT" 20
wait_for 'Alerts'
check_panels Backlog Staleness Throughput Latency Stages Knobs Alerts 'Throughput vs latency' F1Help
printf '%s\n' "$LAST" | grep -q 'terminal too small' && fail "80x24 must be enough"
printf '%s\n' "$LAST" | grep -q 'batch    256 rec/batch' || fail "the batch knob does not show 256"

key B
wait_for 'batch +512 rec/batch'

key T
wait_for 'threads +2 of [0-9]+ CPUs'

key 4
wait_for '4 feature .*optim'

key e
wait_for 'Event log'
wait_for 'batch 512'
wait_for 'threads 2'
wait_for 'feature optimized'
key Escape
wait_for 'Knobs'

key '?'
wait_for 'keys and how to read the screen'
wait_for 'toggle that stage naive / optimized'
key x
wait_for 'Knobs'

tm resize-window -t "$SESS" -x 60 -y 20
wait_for 'terminal too small \(need 80x24, have 60x20\)'
tm resize-window -t "$SESS" -x 80 -y 24
wait_gone 'terminal too small'
wait_for 'Knobs'
check_panels Backlog Stages

quit_and_check_restored
tm kill-server >/dev/null 2>&1

# ---------------------------------------------------------------- 200x50, UTF-8, colour
start 2 200 50 "$UTF8_LOCALE" TERM=xterm-256color
wait_for "$VERDICT" 20
wait_for 'Records'
check_panels Backlog Staleness Throughput Latency Stages Knobs Alerts 'Throughput vs latency' Records \
   'Alert delay' Events F1Help

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
echo "screen.sh: PASS"
exit 0
