#!/bin/sh
# badinput.sh: the bad inputs and hostile conditions that the option tests
# (cli.sh) do not cover. Each must give a clear message naming
# what is wrong and a documented exit status, never a crash or a hang:
#   unwritable --output, --record, --metrics-csv; a disk that fills during
#   recording (a file-size limit); SIGPIPE on --output; TERM unset or dumb;
#   SIGTERM and SIGHUP; a replay file that is missing, empty or binary.
#
# The whole list, and where each is tested (all run by make check):
#   every option with a missing, negative, zero, huge, non-numeric or
#     unit-less value; unknown and conflicting options; no terminal on
#     stdin/stdout (exit 2) ........................... cli.sh, test_options
#   unwritable --output/--record/--metrics-csv (3); a full disk while
#     recording (3); SIGPIPE on --output (3); TERM unset or dumb (2);
#     SIGINT (headless.sh), SIGTERM, SIGHUP (0, with a summary); bad replay
#     files (5) ........................................ this file, headless.sh
#   malformed CSV rows, FILE:LINE messages ............. test_replay, samples.sh
#   a terminal resized to 1x1 and back; SIGTSTP/Ctrl-Z and SIGCONT (redraw);
#     SIGSTOP/SIGCONT over a garbled screen; quit restores the terminal
#     ................................................. screen.sh
#   memory caps under every policy, grow under ulimit -d/-v ... memcap.sh
. "$(dirname "$0")/lib.sh"
need_keepup

# expect STATUS PATTERN DESCRIPTION -- COMMAND...: exit status and a message on stderr
expect() {
   want=$1
   pattern=$2
   what=$3
   shift 4
   with_timeout 60 "$@" >"$tmp/out" 2>"$tmp/err"
   rc=$?
   if [ $rc -ne "$want" ]; then
      fail "$what: exit status $rc, expected $want ($(head -c 300 "$tmp/err"))"
   elif ! grep -q -e "$pattern" "$tmp/err"; then
      fail "$what: the message does not say '$pattern': $(head -c 300 "$tmp/err")"
   else
      ok "$what -> $rc: $(head -1 "$tmp/err")"
   fi
}

H="--headless --duration 1s --interval 0 --scenario none --rate 20k"
expect 3 "--output" "unwritable --output" -- "$KEEPUP" $H --output /nonexistent/out.csv
expect 3 "--record" "unwritable --record" -- "$KEEPUP" $H --record /nonexistent/rec.csv
expect 3 "--metrics-csv" "unwritable --metrics-csv" -- "$KEEPUP" $H --metrics-csv /nonexistent/m.csv
expect 3 "--output" "--output is a directory" -- "$KEEPUP" $H --output "$tmp"
expect 5 "no-such-file.csv" "missing --replay file" -- "$KEEPUP" --headless --replay "$tmp/no-such-file.csv"
: >"$tmp/empty.csv"
expect 5 "empty.csv" "empty --replay file" -- "$KEEPUP" --headless --replay "$tmp/empty.csv"
head -c 4096 "$KEEPUP" >"$tmp/binary.csv"
expect 5 "binary.csv" "binary --replay file" -- "$KEEPUP" --headless --replay "$tmp/binary.csv"

# a disk that fills during recording: a 200 KiB file-size limit; the recording
# stops with a message and exit status 3, the pipeline goes on to the end
(
   ulimit -f 200
   with_timeout 60 "$KEEPUP" --headless --duration 2s --interval 0 --scenario none --rate 50k --json \
      --record "$tmp/full.csv" >"$tmp/full.json" 2>"$tmp/full.err"
)
rc=$?
if [ $rc -ne 3 ]; then
   fail "recording into a full disk: exit status $rc, expected 3 ($(head -c 300 "$tmp/full.err"))"
elif ! grep -q -e "--record" "$tmp/full.err"; then
   fail "recording into a full disk: the message does not name --record: $(head -c 300 "$tmp/full.err")"
elif ! grep -q '"processed":[1-9]' "$tmp/full.json"; then
   fail "recording into a full disk: the pipeline did not go on"
else
   ok "recording into a full disk -> 3: $(head -1 "$tmp/full.err")"
fi

# SIGPIPE on --output: the reader goes away; keepup says so, exits 3, and the run completes
mkfifo "$tmp/fifo"
head -c 1000 "$tmp/fifo" >/dev/null &
with_timeout 60 "$KEEPUP" $H --json --output "$tmp/fifo" >"$tmp/pipe.json" 2>"$tmp/pipe.err"
rc=$?
wait
if [ $rc -ne 3 ]; then
   fail "--output reader closed: exit status $rc, expected 3 ($(head -c 300 "$tmp/pipe.err"))"
elif ! grep -q -e "--output" "$tmp/pipe.err"; then
   fail "--output reader closed: the message does not name --output"
elif ! grep -q '"conservation_ok":true' "$tmp/pipe.json"; then
   fail "--output reader closed: no complete summary"
else
   ok "--output reader closed -> 3: $(head -1 "$tmp/pipe.err")"
fi

# the dashboard with TERM unset or dumb: a message that says how to run headless (status 2)
if command -v script >/dev/null 2>&1; then
   for term in "" dumb; do
      TERM="$term" with_timeout 20 script -qec "$KEEPUP" /dev/null >"$tmp/term.out" 2>&1
      rc=$?
      if grep -q -e "--headless" "$tmp/term.out" && [ $rc -eq 2 ]; then
         ok "TERM='$term' -> $rc: $(grep -m1 -e '--headless' "$tmp/term.out" | tr -d '\r')"
      else
         fail "TERM='$term': exit status $rc, output: $(head -c 300 "$tmp/term.out")"
      fi
   done
else
   skip "TERM checks: script(1) is not installed"
fi

# SIGTERM and SIGHUP end a headless run with a full summary and status 0
for sig in TERM HUP; do
   "$KEEPUP" --headless --interval 100ms --scenario none --rate 20k --json >"$tmp/sig.json" 2>"$tmp/sig.err" &
   pid=$!
   # the signal goes once the run is going (its first status line), not during calibration:
   # a busy machine can stretch that past any fixed sleep
   i=0
   while [ $i -lt 300 ] && ! grep -q 'backlog' "$tmp/sig.err" 2>/dev/null; do
      sleep 0.1
      i=$((i + 1))
   done
   sleep 0.3
   kill -$sig $pid
   wait $pid
   rc=$?
   if [ $rc -eq 0 ] && grep -q '"conservation_ok":true' "$tmp/sig.json"; then
      ok "SIG$sig -> 0 with a summary"
   else
      fail "SIG$sig: exit status $rc, summary: $(head -c 200 "$tmp/sig.json")"
   fi
done

finish
