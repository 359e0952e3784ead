# tmuxlib.sh: the dashboard in a private tmux server, for the tests that drive
# it (screen.sh, screenfaults.sh; crtdeath.sh drives a helper). Sourced after lib.sh:
#
#   . "$(dirname "$0")/lib.sh"
#   need_keepup
#   . "$(dirname "$0")/tmuxlib.sh"
#
# It skips the test without tmux, and gives: start PHASE W H ENV... -- ARGS
# (keepup in a fresh server, a marker "KEEPUP-EXITED STATUS" when it ends),
# capture/wait_for/wait_gone/wait_flag over the screen, key, pane_flag,
# check_restored and quit_and_check_restored, and from /proc proc_field,
# find_keepup, wait_state, watch_alive; fail stops the test at once, with the
# screen it was looking at. VERDICT, C_LOCALE and UTF8_LOCALE for start.
: "${TMUX_BIN=tmux}"
if [ -z "$TMUX_BIN" ] || ! command -v "$TMUX_BIN" >/dev/null 2>&1; then
   skip_test "tmux is not installed (Debian: apt-get install tmux)"
fi

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

# the program runs in the scratch directory: recordings started with R land there
WORK=$tmp

tmuxlib_killServers() {
   for s in 0 1 2 3 4 5 6 7 8 9; do
      "$TMUX_BIN" -L "$SOCK_BASE-$s" kill-server >/dev/null 2>&1
   done
}
at_exit tmuxlib_killServers

# this test stops at its first failure, with the screen it was looking at (lib.sh's fail counts and goes on)
fail() {
   echo "$test_name: FAIL: $*"
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

# start PHASE W H ENV... -- ARGS...: keepup in a shell that prints a marker when it ends
start() {
   SOCK="$SOCK_BASE-$1"
   w=$2 h=$3
   shift 3
   envs=""
   while [ $# -gt 0 ] && [ "$1" != "--" ]; do
      envs="$envs $1"
      shift
   done
   [ $# -gt 0 ] && shift
   tm -f /dev/null new-session -d -s "$SESS" -x "$w" -y "$h" -c "$WORK" \
      "env $envs '$KEEPUP' $*; echo \"KEEPUP-EXITED \$?\"; exec sleep 600" ||
      fail "cannot start tmux"
   tm set-option -t "$SESS" status off >/dev/null
   tm resize-window -t "$SESS" -x "$w" -y "$h" >/dev/null 2>&1
}

# file_size FILE: its size in bytes (0 when absent)
file_size() {
   if [ -f "$1" ]; then wc -c <"$1" | tr -d ' '; else echo 0; fi
}

check_panels() {
   for p in "$@"; do
      printf '%s\n' "$LAST" | grep -q -- "$p" || fail "panel '$p' not on screen"
   done
}

# wait_flag NAME VALUE: poll until the pane's format variable NAME has VALUE
wait_flag() {
   n=0
   while [ "$(pane_flag "$1")" != "$2" ]; do
      n=$((n + 1))
      [ "$n" -ge 300 ] && fail "the pane's $1 is $(pane_flag "$1"), waited for $2"
      sleep 0.05
   done
}

# check_restored: keepup has ended and left the terminal as it found it
check_restored() {
   printf '%s\n' "$LAST" | grep -q 'keepup: stopped after' || fail "no summary line after quitting"
   printf '%s\n' "$LAST" | grep -q 'FALLING BEHIND\|KEEPING UP\|Knobs' && fail "the dashboard is still on screen after quitting"
   [ "$(pane_flag alternate_on)" = 0 ] || fail "the alternate screen is still on"
   [ "$(pane_flag mouse_any_flag)" = 0 ] || fail "mouse reporting is still on"
   [ "$(pane_flag cursor_flag)" = 1 ] || fail "the cursor is still hidden"
}

quit_and_check_restored() {
   key q
   wait_for '^KEEPUP-EXITED 0' 15
   check_restored
}

# ---------------------------------------------------------------- processes, from /proc (Linux)
HAVE_PROC=0
[ -r /proc/self/stat ] && HAVE_PROC=1

# proc_field PID N: field N of /proc/PID/stat after the command name (1 state, 2 parent); fails when gone
proc_field() {
   pf_n=$2
   pf_st=
   { read -r pf_st <"/proc/$1/stat"; } 2>/dev/null || return 1
   set -f
   # shellcheck disable=SC2086 # split into fields on purpose
   set -- ${pf_st##*) }
   set +f
   eval "printf '%s\n' \"\${$pf_n}\""
}

# find_keepup PARENT: poll until PARENT has a child named keepup; its pid in KPID
find_keepup() {
   fk_parent=$1
   KPID=
   n=0
   while :; do
      for f in /proc/[0-9]*/stat; do
         fk_st=
         { read -r fk_st <"$f"; } 2>/dev/null || continue
         case $fk_st in *"(keepup) "*) ;; *) continue ;; esac
         fk_pid=${f#/proc/}
         fk_pid=${fk_pid%/stat}
         [ "$(proc_field "$fk_pid" 2)" = "$fk_parent" ] && KPID=$fk_pid && return 0
      done
      n=$((n + 1))
      [ "$n" -ge 300 ] && fail "no keepup process under pid $fk_parent"
      sleep 0.05
   done
}

# wait_state PID PATTERN [seconds]: poll until the process state (R, S, T...) matches the case PATTERN
wait_state() {
   limit=$(( ${3:-15} * 20 ))
   n=0
   while :; do
      ws_state=$(proc_field "$1" 1) || fail "keepup (pid $1) is gone, waiting for state $2"
      # shellcheck disable=SC2254 # the pattern is the argument
      case $ws_state in $2) return 0 ;; esac
      n=$((n + 1))
      [ "$n" -ge "$limit" ] && fail "keepup (pid $1) is in state $ws_state, waited for $2"
      sleep 0.05
   done
}

# watch_alive PID SECONDS: poll the process for SECONDS; it must stay alive (not gone, not a zombie)
watch_alive() {
   limit=$(( $2 * 20 ))
   n=0
   while [ "$n" -lt "$limit" ]; do
      wa_state=$(proc_field "$1" 1) || fail "keepup (pid $1) died"
      [ "$wa_state" = Z ] && fail "keepup (pid $1) died"
      n=$((n + 1))
      sleep 0.05
   done
}

# wait_size W H: poll until the pane has that size
wait_size() {
   n=0
   while [ "$(pane_flag pane_width)x$(pane_flag pane_height)" != "$1x$2" ]; do
      n=$((n + 1))
      [ "$n" -ge 300 ] && fail "the pane did not become $1x$2"
      sleep 0.05
   done
}

# uptime_shown: the header's clock (' up M:SS') of the last capture
uptime_shown() {
   printf '%s\n' "$LAST" | grep -o ' up [0-9]*:[0-9]*' | head -n 1
}

VERDICT='KEEPING UP|FALLING BEHIND|CATCHING UP|K E E P I N G|F A L L I N G|C A T C H I N G'
C_LOCALE="LC_ALL=C"
UTF8_LOCALE="LC_ALL=C.UTF-8"
locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || UTF8_LOCALE="LC_ALL=${LANG:-C}"

# The JSON summary FILE at the end of a dashboard run ($2 says which, for the
# failure): it exists, it conserves records (every count added up, every drop
# under its reason) and no sensor's order broke; standard input: more Python
# checks on j that append to bad.
check_summary_json() {
   [ -s "$1" ] || fail "no JSON summary"
   need_python "the JSON summary"
   python3 - "$1" "$(cat)" <<'PY' || fail "the JSON summary $2 (above)"
import json, sys
j = json.load(open(sys.argv[1]))
bad = []
if not j["conservation_ok"]:
    bad.append("conservation_ok is false")
if j["generated"] != j["processed"] + j["filtered"] + j["dropped"] + j["queued"] + j["in_flight"]:
    bad.append("the counts do not add up")
if j["dropped"] != sum(j["dropped_by"].values()):
    bad.append("dropped %d is not the sum of its reasons %s" % (j["dropped"], j["dropped_by"]))
if j["order_violations"] != 0:
    bad.append("order violations")
exec(sys.argv[2])
if bad:
    sys.exit("; ".join(bad))
PY
}
