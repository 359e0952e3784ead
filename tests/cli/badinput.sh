#!/bin/sh
# badinput.sh: the bad inputs and hostile conditions that the option tests
# (cli.sh) do not cover. Each must give a clear message naming
# what is wrong and a documented exit status, never a crash or a hang:
#   unwritable --output, --record, --metrics-csv; a disk that fills during
#   recording (a file-size limit); SIGPIPE on --output; TERM unset or dumb;
#   SIGTERM and SIGHUP; a replay file that is missing, empty or binary; and
#   the classes a hostile pass found (issue 18), below.
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
# Issue 18 (numbered as there):
#   1 a recording that fails in the dashboard (use after free; the report
#     of a sanitizer must stay visible, the terminal restored; R after it
#     records again)
#     ................................................ screenfaults.sh, crtdeath.sh (ASan)
#   2 an output over an input or another output, by name, ./, symbolic and
#     hard links, standard output (also over a --replay file), a
#     --calibration FILE (2) ......................... this file, test_optcheck
#   3 standard output closed or full: --help, --version, --list-scenarios,
#     --calibrate, the summary and the JSON (3); nothing lands in another
#     output ......................................... this file
#   4 a backlog cap smaller than a batch (2, naming what fits, packed or
#     boxed; the live knob stops at the cap) ......... this file, test_optcheck,
#                                                      test_engine
#   5 a recording header out of its option's bounds (5, FILE:LINE)
#     ................................................ this file, test_recformat,
#                                                      fuzz_replay
#   6 a stage stuck in a long batch stops on SIGTERM; a second signal ends a
#     --drain (1, said); a signal during calibration gets a summary; the
#     dashboard dies of SIGQUIT, SIGUSR1, SIGALRM, SIGXCPU with the terminal
#     restored; a replay's seek ends when the run stops
#     ................................................ this file, screenfaults.sh,
#                                                      test_replay
#   7 threads that cannot be started: a reported cap, or exit 4 ... this file
#   8 start-up with 100k sensors or a 100k window; --duration bounds it
#     ................................................ this file
#   9 a FIFO with no reader or writer: no hang (3 for outputs, 5 for
#     --replay, 2 for --calibration) ................. this file, test_optcheck
#  10 every failure reported, on stderr and in the JSON's errors; a replay's
#     FILE:LINE on the dashboard at once ............. this file, screenfaults.sh
#  11 options that do nothing (2; run options next to --calibrate and
#     --list-scenarios too), empty --sweep items, SIGHUP keeps a partial
#     sweep, a sweep to a full stdout (3) ............ this file, test_optcheck,
#                                                      test_options
#  12 numbers in their own type, durations rounding to 0, half-open ranges,
#     blanks and hex, empty list items, --max-backlog's bound, the value
#     column's grammar ............................... test_options, test_units,
#                                                      test_csvnum, test_replay, this file
#  13 R in an unwritable directory (3), an empty recording replays, the
#     scenario menu's long command, alert names, a file truncated while
#     played (5), --interval below the snapshot period (2), the name limit
#     across files ................................... screenfaults.sh, test_recorder,
#                                                      test_scenarioplan, test_replay, this file
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
reader=$!
# keepup refuses an output FIFO no one has opened to read (it never waits in open): start it once the
# reader waits in its open (Linux shows it in wchan; elsewhere a second is given)
i=0
while [ $i -lt 20 ] && ! grep -q -e partner -e fifo "/proc/$reader/wchan" 2>/dev/null; do
   sleep 0.05
   i=$((i + 1))
done
with_timeout 60 "$KEEPUP" $H --json --output "$tmp/fifo" >"$tmp/pipe.json" 2>"$tmp/pipe.err"
rc=$?
# a reader still waiting (keepup never opened the FIFO) would hang the wait
kill "$reader" 2>/dev/null
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

# ---------------------------------------------------------------------------
# issue 18: what a hostile pass found
# ---------------------------------------------------------------------------
json_has() { # json_has FILE EXPR: python's eval of EXPR over the JSON in FILE is true
   command -v python3 >/dev/null 2>&1 || return 0
   python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" \
      2>/dev/null
}
wait_for() { # wait_for FILE PATTERN: until a line of FILE matches PATTERN, at most 30 s
   i=0
   while [ $i -lt 300 ] && ! grep -q -e "$2" "$1" 2>/dev/null; do
      sleep 0.1
      i=$((i + 1))
   done
}
ended_within() { # ended_within SECS PID: PID has ended within SECS (its status in $rc), else it is killed
   i=0
   while [ $i -lt $(($1 * 10)) ] && kill -0 "$2" 2>/dev/null; do
      sleep 0.1
      i=$((i + 1))
   done
   if kill -0 "$2" 2>/dev/null; then
      kill -KILL "$2"
      wait "$2"
      return 1
   fi
   wait "$2"
   rc=$?
   return 0
}
Q="--headless --interval 0 --scenario none"

# 2. an output over an input or over another output: exit 2, naming both, nothing touched
with_timeout 60 "$KEEPUP" $Q --duration 300ms --record "$tmp/in.csv" >/dev/null 2>&1
cp "$tmp/in.csv" "$tmp/in.keep"
ln -s "$tmp/in.csv" "$tmp/in.link"
ln "$tmp/in.csv" "$tmp/in.hard"
expect 2 "is also a --replay file" "--output over the replayed file" -- "$KEEPUP" $Q --replay "$tmp/in.csv" \
   --speed max --output "$tmp/in.csv"
expect 2 "is also a --replay file" "--metrics-csv over the replayed file" -- "$KEEPUP" $Q --replay "$tmp/in.csv" \
   --speed max --metrics-csv "$tmp/in.csv"
expect 2 "is also a --replay file" "--output over a hard link of the replayed file" -- "$KEEPUP" $Q \
   --replay "$tmp/in.link" --speed max --output "$tmp/in.hard"
cmp -s "$tmp/in.csv" "$tmp/in.keep" && ok "the replayed file is untouched" || fail "the replayed file was written"
expect 2 "name the same file" "-o f --record f" -- "$KEEPUP" $Q --duration 1s -o "$tmp/f.csv" --record "$tmp/f.csv"
expect 2 "name the same file" "--record f --metrics-csv f" -- "$KEEPUP" $Q --duration 1s --record "$tmp/f.csv" \
   --metrics-csv "$tmp/f.csv"
expect 2 "name the same file" "-o f --metrics-csv ./f" -- sh -c "cd '$tmp' && exec '$KEEPUP' $Q --duration 1s \
   -o g.csv --metrics-csv ./g.csv"
expect 2 "is also standard output" "-o f with standard output on f" -- sh -c "exec '$KEEPUP' $Q --duration 1s \
   -o '$tmp/s.csv' >'$tmp/s.csv'"
# standard output appended to the replayed file (the summary landed in it), a --calibration FILE that
# would be written where an output or the replayed file is (exit 0, the stage costs overwritten)
expect 2 "standard output is also the --replay file" "standard output appended to the replayed file" -- \
   sh -c "exec '$KEEPUP' $Q --replay '$tmp/in.csv' --speed max >>'$tmp/in.csv'"
cmp -s "$tmp/in.csv" "$tmp/in.keep" && ok "the replayed file is untouched by standard output" ||
   fail "standard output was appended to the replayed file"
expect 2 "name the same file" "-o f --calibration f" -- "$KEEPUP" --headless --interval 0 --duration 3s \
   -o "$tmp/cal.csv" --calibration "$tmp/cal.csv"
expect 2 "is also a --replay file" "--calibration over the replayed file" -- "$KEEPUP" $Q --replay "$tmp/in.csv" \
   --calibration "$tmp/in.csv"

# 3. standard output closed or full: exit 3 with a message; nothing lands inside another output
expect 3 "closed" "the JSON to a closed standard output" -- sh -c "exec '$KEEPUP' $Q --duration 200ms --json \
   -o '$tmp/o.csv' >&-"
if grep -q 'keepup_version\|generated' "$tmp/o.csv"; then
   fail "with standard output closed, the summary landed in --output"
else
   ok "with standard output closed, --output holds only records"
fi
expect 3 "No space left" "the summary to /dev/full" -- sh -c "exec '$KEEPUP' $Q --duration 200ms >/dev/full"
for what in --help --version --list-scenarios --calibrate; do
   expect 3 "$what: cannot write to standard output" "$what to /dev/full" -- sh -c "exec '$KEEPUP' $what >/dev/full"
done

# 4. a backlog cap that cannot hold one batch would stall the source for good: refused, naming what fits
expect 2 "give --max-backlog 256 or more, or --batch 100 or less" "--max-backlog 100 with batches of 256" -- \
   "$KEEPUP" $Q --duration 5s --rate 1M --max-backlog 100
expect 2 "--batch 8 or less" "--max-backlog 8 --batch 16" -- "$KEEPUP" $Q --duration 5s --max-backlog 8 --batch 16
# boxed, the smallest cap named is a boxed batch's (it named a packed one's, which boxed refused again)
expect 2 "--batch 32 or less" "--max-backlog 8KiB --layout boxed" -- "$KEEPUP" $Q --duration 1s --max-backlog 8KiB \
   --layout boxed
need=$(sed -n 's/.*give --max-backlog \([0-9]*\)B or more.*/\1/p' "$tmp/err")
if [ -z "$need" ]; then
   fail "--max-backlog 8KiB --layout boxed: no smallest cap named: $(head -c 300 "$tmp/err")"
elif with_timeout 60 "$KEEPUP" $Q --duration 300ms --max-backlog "${need}B" --layout boxed >/dev/null 2>"$tmp/err"
then
   ok "--layout boxed runs with the cap it named (${need}B)"
else
   fail "--layout boxed refuses the cap it named (${need}B): $(head -c 300 "$tmp/err")"
fi

# 5. a recording's header bounded as the options it stands for: exit 5, FILE:LINE
for bad in "enrich-work 4000000000" "sensors 16000000" "cache 4000000000" "threshold 1e300"; do
   key=${bad%% *}
   sed "s/^# $key .*/# $bad/" "$tmp/in.keep" >"$tmp/hdr.csv"
   line=$(grep -n "^# $key " "$tmp/hdr.csv" | cut -d: -f1)
   expect 5 "hdr.csv:$line: recording header '# $bad'" "a recording header with $bad" -- "$KEEPUP" $Q \
      --replay "$tmp/hdr.csv" --speed max
done

# 6. a stage stuck in a long batch (full batches of 256 records, a second of simulated work each) still
# stops at once on SIGTERM
"$KEEPUP" $Q --interval 100ms --rate 100k --stage-cost feature=1s --json >"$tmp/stuck.json" 2>"$tmp/stuck.err" &
pid=$!
wait_for "$tmp/stuck.err" backlog
sleep 0.5
kill -TERM $pid
if ! ended_within 10 $pid; then
   fail "a batch of a second per record: SIGTERM did not stop it within 10 s"
else
   if [ $rc -eq 0 ] && json_has "$tmp/stuck.json" 'j["conservation_ok"] and j["in_flight"] + j["queued"] > 0'; then
      ok "a batch of a second per record: SIGTERM stops it within 10 s, with a summary"
   else
      fail "a batch of a second per record: exit status $rc, summary: $(head -c 200 "$tmp/stuck.json")"
   fi
fi

# a second signal ends a --drain, which says so (exit 1)
"$KEEPUP" $Q --interval 100ms --rate 2k --stage-cost feature=10ms --drain --json >"$tmp/drain.json" \
   2>"$tmp/drain.err" &
pid=$!
wait_for "$tmp/drain.err" backlog
sleep 0.5
kill -INT $pid
sleep 1
kill -INT $pid
if ! ended_within 10 $pid; then
   fail "--drain: a second SIGINT did not end it within 10 s"
else
   if [ $rc -eq 1 ] && grep -q -e "--drain: a signal ended it" "$tmp/drain.err" &&
      json_has "$tmp/drain.json" 'any("--drain" in e for e in j["errors"])'; then
      ok "--drain: a second SIGINT ends it -> 1: $(grep -m1 -e '--drain' "$tmp/drain.err")"
   else
      fail "--drain: exit status $rc, stderr: $(tail -c 300 "$tmp/drain.err")"
   fi
fi

# a signal during calibration (an allowlist of 1M takes it a second or two) ends the run with a summary
"$KEEPUP" $Q --allowlist 1M --json >"$tmp/cal.json" 2>"$tmp/cal.err" &
pid=$!
# the signal goes once it has used 0.3 s of CPU in user mode (field 14 of /proc/PID/stat, in ticks of
# 1/100 s), well into the calibration, however slow the machine or the build is to get there
i=0
while [ $i -lt 400 ] && [ "$(awk '{ sub(/.*\) /, ""); print $12 }' "/proc/$pid/stat" 2>/dev/null || echo 99)" -lt 30 ]
do
   sleep 0.05
   i=$((i + 1))
done
kill -TERM $pid
if ! ended_within 60 $pid; then
   fail "SIGTERM during calibration: still running after 60 s"
elif [ $rc -eq 0 ] && grep -q '"conservation_ok":true' "$tmp/cal.json"; then
   ok "SIGTERM during calibration -> 0 with a summary"
else
   fail "SIGTERM during calibration: exit status $rc, summary: $(head -c 200 "$tmp/cal.json")"
fi

# 7. threads that cannot be started (an address-space limit): a reported cap, or exit 4; never a claim
# (ASan and TSan reserve terabytes of shadow memory, which no address-space limit lets them map)
(
   case ${KEEPUP_SANITIZERS:-} in *address* | *thread*) exit 78 ;; esac
   ulimit -v 200000 2>/dev/null || exit 77
   exec "$KEEPUP" $Q --duration 1s --threads 64 --json >"$tmp/thr.json" 2>"$tmp/thr.err"
)
rc=$?
if [ $rc -eq 78 ]; then
   skip "threads under ulimit -v: not under $KEEPUP_SANITIZERS"
elif [ $rc -eq 77 ]; then
   skip "threads under ulimit -v: cannot set the limit"
elif [ $rc -eq 4 ] && grep -q "cannot start the pipeline's threads\|out of memory" "$tmp/thr.err"; then
   ok "threads under ulimit -v -> 4: $(head -1 "$tmp/thr.err")"
elif [ $rc -eq 0 ] && grep -q "no more could be started" "$tmp/thr.err" &&
   json_has "$tmp/thr.json" 'j["workers"]["threads"] < 64 and j["workers"]["threads"] == j["knobs"]["threads"] == j["workers"]["threads_cap"]'
then
   ok "threads under ulimit -v: a reported cap: $(head -1 "$tmp/thr.err")"
elif [ $rc -eq 0 ] && json_has "$tmp/thr.json" 'j["workers"]["threads"] == 64' &&
   stack=$(ulimit -s) && [ "$stack" != unlimited ] && [ $((stack * 64)) -lt 100000 ]; then
   skip "threads under ulimit -v: 64 threads of ${stack} KiB stacks fit in the limit"
else
   fail "threads under ulimit -v: exit status $rc ($(head -c 300 "$tmp/thr.err")), $(head -c 300 "$tmp/thr.json")"
fi

# 8. start-up does not grow with sensors x window, and --duration bounds the run with it (before, 100k
# sensors took minutes; a sanitizer build runs the one calibration pass left many times slower)
limit=20
[ -z "${KEEPUP_SANITIZERS:-}" ] || limit=120
for big in "--sensors 100k" "--window 100k" "--allowlist 1M"; do
   start=$(date +%s)
   with_timeout $((limit * 2)) "$KEEPUP" $Q --duration 200ms $big >"$tmp/big.out" 2>"$tmp/big.err"
   rc=$?
   took=$(($(date +%s) - start))
   if [ $rc -eq 0 ] && [ "$took" -le $limit ]; then
      ok "$big with --duration 200ms -> 0 in ${took} s"
   else
      fail "$big with --duration 200ms: exit status $rc after ${took} s ($(head -c 200 "$tmp/big.err"))"
   fi
done

# 9. a FIFO with no one at the other end: refused at once, never a hang in open()
mkfifo "$tmp/lonely"
for out in --output --record --metrics-csv; do
   expect 3 "a FIFO with no reader" "$out to a FIFO without a reader" -- "$KEEPUP" $Q --duration 1s $out "$tmp/lonely"
done
expect 5 "lonely" "--replay of a FIFO without a writer" -- "$KEEPUP" $Q --replay "$tmp/lonely"
expect 2 "not a regular file (a FIFO)" "--calibration of a FIFO" -- "$KEEPUP" --headless --interval 0 --duration 1s \
   --calibration "$tmp/lonely"

# 10. every failure reported: a bad row and a full --output, both; a failed recording in the JSON
printf 'time,value\n1,1\n2,oops\n' >"$tmp/bad.csv"
with_timeout 60 "$KEEPUP" $Q --replay "$tmp/bad.csv" --speed max --output /dev/full --json >"$tmp/two.json" \
   2>"$tmp/two.err"
rc=$?
if [ $rc -ne 0 ] && grep -q "bad.csv:3: column value" "$tmp/two.err" && grep -q -e "--output" "$tmp/two.err" &&
   json_has "$tmp/two.json" 'len(j["errors"]) == 2 and j["error"] == j["errors"][0]'; then
   ok "a bad row and a full --output: both reported -> $rc"
else
   fail "a bad row and a full --output: exit status $rc, stderr: $(head -c 400 "$tmp/two.err")"
fi
with_timeout 60 "$KEEPUP" $Q --duration 1s --record /dev/full --json >"$tmp/rec.json" 2>"$tmp/rec.err"
rc=$?
if [ $rc -eq 3 ] && json_has "$tmp/rec.json" 'any("--record" in e for e in j["errors"])'; then
   ok "a failed recording is in the JSON's errors -> 3"
else
   fail "a failed recording: exit status $rc, JSON: $(head -c 300 "$tmp/rec.json")"
fi

# 11. options that do nothing: refused, naming both
expect 2 "--rate does nothing with --replay" "--rate with --replay" -- "$KEEPUP" $Q --replay "$tmp/in.keep" --rate 5k
expect 2 "--no-color works only in the dashboard" "--no-color with --headless" -- "$KEEPUP" $Q --no-color
expect 2 "--duration does nothing with --sweep" "--duration with --sweep" -- "$KEEPUP" --headless --sweep batch=1,4 \
   --duration 5s
expect 2 "empty" "an empty --sweep item" -- "$KEEPUP" --headless --sweep batch=1,,4
expect 2 "--json does nothing with --calibrate" "--json with --calibrate" -- "$KEEPUP" --calibrate --json
expect 2 "--duration does nothing with --list-scenarios" "--duration with --list-scenarios" -- "$KEEPUP" \
   --list-scenarios --duration 1s
# SIGHUP keeps the partial sweep table, as SIGINT and SIGTERM do; a table to a full stdout is exit 3
S="--headless --scenario none"
"$KEEPUP" $S --sweep batch=1,16,256 --repeat 1 --warmup 100ms --point 300ms >"$tmp/sweep.out" 2>"$tmp/sweep.err" &
pid=$!
wait_for "$tmp/sweep.out" '^ *1 '
kill -HUP $pid
if ! ended_within 30 $pid; then
   fail "SIGHUP during a sweep: still running after 30 s"
elif [ $rc -eq 0 ] && grep -q '^ *1 ' "$tmp/sweep.out"; then
   ok "SIGHUP during a sweep -> 0 with the partial table"
else
   fail "SIGHUP during a sweep: exit status $rc, table: $(head -c 300 "$tmp/sweep.out")"
fi
expect 3 "cannot write to standard output" "a sweep's table to /dev/full" -- sh -c "exec '$KEEPUP' $S \
   --sweep batch=16 --repeat 1 --warmup 0 --point 100ms >/dev/full"

# 12. what the value column accepts is the documented grammar: hex is a bad row
printf 'time,value\n1,1\n2,0x10\n' >"$tmp/hex.csv"
expect 5 "hex.csv:3: column value: unparsable number '0x10'" "a hex value" -- "$KEEPUP" $Q --replay "$tmp/hex.csv"
expect 2 "--duration '0.4ns'" "a duration that rounds to 0" -- "$KEEPUP" $Q --duration 0.4ns
expect 2 "--seed '18446744073709551616'" "a seed of 2^64" -- "$KEEPUP" $Q --seed 18446744073709551616

# 13. a status line more often than the snapshot period would only repeat one
expect 2 "--interval '1ns'" "--interval 1ns" -- "$KEEPUP" --headless --interval 1ns --duration 1s
# 13. the 100,000-name limit counts the replayed files together: 60,000 names in each is too many,
# and the 100,001st name is row 40,001 of the second file (line 40002)
awk 'BEGIN { print "time_s,sensor,value"; for (i = 1; i <= 60000; i++) printf "%d.%03d,a%d,1\n", i / 1000, i % 1000, i }' \
   >"$tmp/names_a.csv"
awk 'BEGIN { print "time_s,sensor,value"; for (i = 1; i <= 60000; i++) printf "%d.%03d,b%d,1\n", 60 + i / 1000, i % 1000, i }' \
   >"$tmp/names_b.csv"
expect 5 "names_b.csv:40002: more than 100000 distinct sensor names in the --replay files together" \
   "60,000 distinct names in each of two replayed files" -- "$KEEPUP" $Q --replay "$tmp/names_a.csv" \
   --replay "$tmp/names_b.csv" --speed max

finish
