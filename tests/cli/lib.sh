# lib.sh: what every shell test in tests/cli/ starts with. A test sources it
# from its own folder, which works from make check, make distcheck (where the
# sources are not in the build tree) and by hand:
#
#   . "$(dirname "$0")/lib.sh"
#
# It sets:
#   test_name      the script's file name, prefixed to its summary lines
#   lib_dir        the folder of the tests (and of this file), as an absolute path
#   top_srcdir     the source tree (make check sets it; else the tree the script is in)
#   top_builddir   the build tree (make check sets it; else top_srcdir)
#   KEEPUP         the program (make check sets it; else top_builddir/src/keepup)
#   tmp            a scratch directory, removed when the test exits
#   XDG_CACHE_HOME $tmp/cache (exported): keepup's calibration cache, the test's own
# and gives:
#   ok/fail/skip MESSAGE     one line per check; fail counts the failure
#   finish [MESSAGE]         the summary line; exit 1 if a check failed, else 0
#   skip_test WHY            the whole test is skipped (exit 77)
#   cannot_run WHY           the test itself cannot run (exit 99)
#   need_keepup              cannot_run unless $KEEPUP is a program
#   need_python WHAT         skip_test without python3, saying WHAT it is needed for
#   with_timeout SECS CMD... CMD, killed after SECS where timeout(1) exists (KILL 10 s on)
#   headless_json NAME OPTS... a headless run of $KEEPUP OPTS, its --json summary in $tmp/NAME.json
#   at_exit COMMAND          run COMMAND (before removing $tmp) when the test exits
#   same_events IN TCOL OUT  true when --output OUT's (time_s, sensor) rows are IN's (TCOL, sensor) rows,
#                            row for row, times compared as decimals (python3)
# The exit statuses are automake's: 0 pass, 1 fail, 77 skip, 99 hard error.

set -u

test_name=${0##*/}
lib_dir=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$lib_dir/../..}"
: "${top_builddir:=$top_srcdir}"
: "${KEEPUP:=$top_builddir/src/keepup}"

lib_failures=0
lib_passes=0
lib_skips=0

ok() {
   printf 'ok   %s\n' "$*"
   lib_passes=$((lib_passes + 1))
}

fail() {
   printf 'FAIL %s\n' "$*"
   lib_failures=$((lib_failures + 1))
}

skip() {
   printf 'SKIP %s\n' "$*"
   lib_skips=$((lib_skips + 1))
}

finish() {
   lib_tally="$lib_passes ok, $lib_skips skipped"
   if [ "$lib_failures" -ne 0 ]; then
      echo "$test_name: $lib_failures check(s) failed ($lib_tally)"
      exit 1
   fi
   echo "$test_name: ${1:-all checks passed} ($lib_tally)"
   exit 0
}

skip_test() {
   echo "$test_name: SKIP: $*"
   exit 77
}

cannot_run() {
   echo "$test_name: cannot run: $*" >&2
   exit 99
}

need_keepup() {
   [ -x "$KEEPUP" ] || cannot_run "KEEPUP=$KEEPUP is not an executable program (make check sets it)"
}

need_python() {
   command -v python3 >/dev/null 2>&1 || skip_test "python3 is needed $* (Debian: apt-get install python3)"
}

# a run that should end must not hang the suite if it does not (nor if it ignores SIGTERM: KILL 10 s later)
if command -v timeout >/dev/null 2>&1; then
   with_timeout() { timeout -k 10 "$@"; }
else
   with_timeout() {
      shift
      "$@"
   }
fi

# json FILE EXPR: EXPR over the JSON summary j (python3: need_python first)
json() {
   python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}

# check WHAT COMMAND...: ok when COMMAND succeeds
check() {
   what=$1
   shift
   if "$@"; then ok "$what"; else fail "$what"; fi
}

headless_json() {
   lib_name=$1
   shift
   if ! with_timeout 120 "$KEEPUP" --headless --interval 0 --json "$@" >"$tmp/$lib_name.json" 2>"$tmp/$lib_name.err"; then
      fail "$lib_name: keepup $*: $(head -c 300 "$tmp/$lib_name.err")"
   fi
}

same_events() {
   python3 - "$1" "$2" "$3" <<'EOF'
import csv, sys
from decimal import Decimal
src = [(Decimal(r[sys.argv[2]]), r["sensor"]) for r in csv.DictReader(open(sys.argv[1]))]
out = [(Decimal(r["time_s"]), r["sensor"]) for r in csv.DictReader(open(sys.argv[3]))]
sys.exit(0 if src == out else 1)
EOF
}

lib_atExit=:
at_exit() {
   lib_atExit="$lib_atExit; $*"
}

lib_cleanup() {
   eval "$lib_atExit"
   rm -rf "$tmp"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/keepup-${test_name%.sh}.XXXXXX") || cannot_run "mktemp -d failed"
trap lib_cleanup EXIT
# keepup's calibration cache: one per test, never the user's (the launches of one test share it)
XDG_CACHE_HOME=$tmp/cache
export XDG_CACHE_HOME
# a signal ends the test through exit, so the EXIT trap cleans up
trap 'exit 130' HUP INT TERM
