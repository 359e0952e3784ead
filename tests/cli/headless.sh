#!/bin/sh
# headless.sh: keepup --headless end to end: the JSON summary, conservation,
# a workload that falls behind against one that keeps up (and the verdict
# each gets), status lines ending in the verdict, --metrics-csv,
# --drain, a signal stopping the run, and an unwritable --output.
set -u
: "${KEEPUP:?KEEPUP must name the program}"
if ! command -v python3 >/dev/null 2>&1; then
   echo "SKIP: python3 is needed to read the JSON summary"
   exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
   echo "FAIL: $*"
   failures=$((failures + 1))
}

# json FILE EXPR: evaluate a Python expression over the summary j
json() {
   python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

check() { # check FILE EXPR WHAT
   if [ "$(json "$1" "$2" 2>&1)" != "True" ]; then
      fail "$3 ($2 -> $(json "$1" "$2" 2>&1))"
   fi
}

# 1. overloaded: naive feature over 10,000 values at 1M records/s cannot keep up
"$KEEPUP" --headless --duration 3s --json --rate 1M --window 10000 --interval 0 >"$tmp/heavy.json" 2>"$tmp/heavy.err"
rc=$?
[ $rc -eq 0 ] || fail "heavy run exited $rc: $(cat "$tmp/heavy.err")"
check "$tmp/heavy.json" "j['conservation_ok'] and j['generated'] == j['processed']+j['filtered']+j['dropped']+j['queued']+j['in_flight']" "heavy: conservation"
check "$tmp/heavy.json" "j['backlog']['trend_per_s'] > 50000" "heavy: the backlog grows"
check "$tmp/heavy.json" "j['backlog']['oldest_age_s'] > 0.5" "heavy: the data goes stale"
check "$tmp/heavy.json" "j['queued'] > 0" "heavy: the backlog is reported as queued at the end"
check "$tmp/heavy.json" "j['order_violations'] == 0" "heavy: per-sensor order"
# stage shares are timings: sanitizers distort them (ASan's strcat check makes the naive format stage far slower)
if [ -z "${KEEPUP_SANITIZERS:-}" ]; then
   check "$tmp/heavy.json" "max(j['stages'], key=lambda s: s['share'])['name'] == 'feature'" "heavy: the naive feature stage dominates"
fi
check "$tmp/heavy.json" "set(j) >= {'generated','processed','filtered','dropped','queued','in_flight','knobs','latency_s','stages','backlog','rates','alerts','verdict'}" "heavy: the documented members"
check "$tmp/heavy.json" "j['verdict']['state'] == 'FALLING BEHIND' and j['verdict']['reason'].startswith(('arriving ', 'source held back: '))" "heavy: the verdict is FALLING BEHIND, with its reason"

# 2. light: optimized, 20k records/s
"$KEEPUP" --headless --duration 3s --json --rate 20k --optimized all --interval 0 >"$tmp/light.json" 2>"$tmp/light.err"
rc=$?
[ $rc -eq 0 ] || fail "light run exited $rc: $(cat "$tmp/light.err")"
check "$tmp/light.json" "j['conservation_ok']" "light: conservation"
check "$tmp/light.json" "abs(j['backlog']['trend_per_s']) < 2000" "light: the backlog stays flat"
check "$tmp/light.json" "j['backlog']['oldest_age_s'] < 0.2" "light: the data stays fresh"
check "$tmp/light.json" "j['processed'] > 40000" "light: records flow"
check "$tmp/light.json" "j['filtered_by']['not_allowed'] > 0" "light: the allowlist filters the decommissioned sensors"
check "$tmp/light.json" "j['verdict']['state'] == 'KEEPING UP' and len(j['verdict']['reason']) > 0" "light: the verdict is KEEPING UP, with its reason"

# 3. status lines and --metrics-csv (--duration counts the start-up too: 3.5 s leaves 2 s or more of lines)
"$KEEPUP" --headless --duration 3500ms --interval 500ms --rate 50k --metrics-csv "$tmp/m.csv" >"$tmp/status.txt" 2>&1
rc=$?
[ $rc -eq 0 ] || fail "metrics run exited $rc"
rows=$(($(wc -l <"$tmp/m.csv") - 1))
[ "$rows" -ge 4 ] || fail "--metrics-csv has $rows rows, expected >= 4"
head -1 "$tmp/m.csv" | grep -q '^time_s,generated,processed,' || fail "--metrics-csv header"
grep -q 'summary' "$tmp/status.txt" || fail "the text summary is printed"
grep -q 'conserved' "$tmp/status.txt" || fail "the text summary states conservation"
[ "$(grep -c 'in/s' "$tmp/status.txt")" -ge 1 ] || fail "status lines have a header"
grep -q ' thr verdict$' "$tmp/status.txt" || fail "the status header ends in the verdict column"
[ "$(grep -c -E '^ +[0-9]+\.[0-9] .* (MEASURING|KEEPING|FALLING|CATCHING)$' "$tmp/status.txt")" -ge 4 ] ||
   fail "every status line ends in the verdict"
grep -q '^  verdict   [A-Z ]*: ' "$tmp/status.txt" || fail "the text summary states the verdict and its reason"

# 4. --drain empties the backlog before reporting
# (a backlog of seconds at most: 20 us of simulated work a record caps the workers at 50k records/s in
# every build, while 100k arrive a second; --duration counts the start-up too, which a sanitizer makes
# longer: 2 s leaves a second or more of run)
"$KEEPUP" --headless --duration 2s --json --rate 100k --stage-cost feature=20us --drain --interval 0 \
   >"$tmp/drain.json" 2>/dev/null
check "$tmp/drain.json" "j['backlog']['peak_records'] > 1000" "--drain: the run had a backlog to drain"
check "$tmp/drain.json" "j['queued'] == 0 and j['in_flight'] == 0 and j['conservation_ok']" "--drain"

# 5. SIGINT stops a run without --duration, with a summary
"$KEEPUP" --headless --json --rate 10k --interval 100ms >"$tmp/int.json" 2>"$tmp/int.err" &
pid=$!
# wait for the run to be going (its first status line): calibration on a busy machine can take long
i=0
while [ $i -lt 300 ] && ! grep -q 'backlog' "$tmp/int.err" 2>/dev/null; do
   python3 -c 'import time; time.sleep(0.1)'
   i=$((i + 1))
done
python3 -c 'import time; time.sleep(1)'
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 0 ] || fail "SIGINT: exit status $rc"
check "$tmp/int.json" "j['conservation_ok'] and j['duration_s'] > 0.5" "SIGINT: a summary of the state at that moment"

# 6. an unwritable --output: exit status 3 and a message naming the option
"$KEEPUP" --headless --duration 1s --output /nonexistent/dir/out.csv >/dev/null 2>"$tmp/err.txt"
rc=$?
[ $rc -eq 3 ] || fail "unwritable --output: exit status $rc, expected 3"
grep -q -- '--output' "$tmp/err.txt" || fail "unwritable --output: the message names the option"

# 7. the dashboard without a terminal says how to run headless
"$KEEPUP" </dev/null >"$tmp/out.txt" 2>"$tmp/err.txt"
rc=$?
[ $rc -eq 2 ] || fail "no terminal: exit status $rc, expected 2"
grep -q -- '--headless' "$tmp/err.txt" || fail "no terminal: the message says how to run headless"

if [ $failures -gt 0 ]; then
   echo "$failures check(s) failed"
   exit 1
fi
echo "headless: all checks passed"
exit 0
