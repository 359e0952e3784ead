#!/bin/sh
# replay.sh: a replay keeps the data's own time, end to end (issues 13, 14):
#   1. --output's time_s is the file's time, and one file gives the same
#      bytes at --speed max (twice) and --speed 1000 with one worker
#   2. standard input (--replay -) plays as the file does; -o - writes stdout
#      (--stdin-name names its one sensor as the file's is named)
#   2b. --output-time iso: a time_iso column, the date-times of the input, and
#      time_s and the other columns unchanged; the simulator's as durations
#   3. recording a replay and replaying the recording gives the same output
#   4. --follow plays rows appended while it runs; SIGINT then exits 130 with
#      the replay "interrupted" in the JSON; SIGTERM 143; a simulator run
#      stopped by SIGINT exits 0; without a terminal the hint keeps the options
#   5. late rows: played and counted by default, --on-late stop names the fix,
#      --max-lateness puts them in order
#   6. --max-gap cuts a day's pause in a --speed 1 replay and says so
#   7. dialects: decimal comma, day-first dates in two columns, missing-value
#      markers, several value columns, a row-name column, a title row; each
#      refusal names the option that reads it; the statistics of several
#      value columns equal those of each column replayed alone
#   8. shared data (skipped when ../shared/data is absent): every SKAB file
#      with value=*, UCI Air Quality and Occupancy, every NAB file, and the
#      README's command for each dataset as written
. "$(dirname "$0")/lib.sh"
need_keepup
need_python "to read the JSON summary"

# json FILE EXPR: EXPR over the JSON summary j
json() {
   python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}

# wait_line PATTERN FILE: wait (up to 60 s) until FILE has a line matching PATTERN. A background job of a
# script starts with SIGINT ignored until keepup installs its handler: a signal must not come before it.
wait_line() {
   n=0
   while ! grep -q -e "$1" "$2" 2>/dev/null; do
      n=$((n + 1))
      [ $n -ge 600 ] && break
      sleep 0.1
   done
}

# check WHAT COMMAND...: ok when COMMAND succeeds
check() {
   what=$1
   shift
   if "$@"; then ok "$what"; else fail "$what"; fi
}

# ---- 1. event time, the same bytes at every speed
{
   echo "timestamp,sensor,value"
   i=0
   while [ $i -lt 3000 ]; do
      # two sensors, a row every 10 ms of data, values that trip an alert now and then
      printf '%d.%03d,s%d,%d\n' $((1700000000 + i / 100)) $(((i % 100) * 10)) $((i % 2)) $(((i * 7919) % 1000 + (i % 997 == 0) * 90000))
      i=$((i + 1))
   done
} >"$tmp/ev.csv"
for run in max1 max2 paced; do
   speed=max
   [ $run = paced ] && speed=1000
   with_timeout 60 "$KEEPUP" -H --replay "$tmp/ev.csv" --speed $speed -t 1 --interval 0 -o "$tmp/$run.csv" \
      >/dev/null 2>"$tmp/$run.err" || fail "--speed $speed: exit status $? ($(head -c 300 "$tmp/$run.err"))"
done
if cmp -s "$tmp/max1.csv" "$tmp/max2.csv" && cmp -s "$tmp/max1.csv" "$tmp/paced.csv"; then
   ok "--speed max twice and --speed 1000 give byte-identical --output ($(wc -l <"$tmp/max1.csv") lines)"
else
   fail "--output differs between runs: $(md5sum "$tmp/max1.csv" "$tmp/max2.csv" "$tmp/paced.csv" | tr '\n' ' ')"
fi
# with two workers each sensor's lines are the same, in the same order
with_timeout 60 "$KEEPUP" -H --replay "$tmp/ev.csv" --speed max -t 2 --interval 0 -o "$tmp/t2.csv" >/dev/null 2>&1
sort -s -t, -k2,2 "$tmp/t2.csv" >"$tmp/t2.sorted"
sort -s -t, -k2,2 "$tmp/max1.csv" >"$tmp/t1.sorted"
check "--threads 2: the same lines per sensor in the same order as with one" cmp -s "$tmp/t1.sorted" "$tmp/t2.sorted"
# time_s is the file's timestamp, row for row (one worker, per-sensor order kept: both files in file order)
if same_events "$tmp/ev.csv" timestamp "$tmp/max1.csv"; then
   ok "time_s matches the input's timestamps row for row"
else
   fail "time_s does not match the input's timestamps: $(sed -n 2,3p "$tmp/max1.csv" | tr '\n' ' ')"
fi

# ---- 2. standard input, standard output
with_timeout 60 sh -c 'cat "$1" | "$2" -H --replay - --speed max -t 1 -o -' sh "$tmp/ev.csv" "$KEEPUP" \
   >"$tmp/stdin.csv" 2>"$tmp/stdin.err"
check "cat f.csv | keepup -H --replay - -o - equals the file's replay" cmp -s "$tmp/stdin.csv" "$tmp/max1.csv"
check "-o -: the status lines and summary went to stderr, not into the output" grep -q 'summary' "$tmp/stdin.err"
# a file without a sensor column is one sensor named after the file; standard input, with --stdin-name
awk -F, 'NR == 1 { print "timestamp,value"; next } $2 == "s0" { print $1 "," $3 }' "$tmp/ev.csv" >"$tmp/one.csv"
with_timeout 60 "$KEEPUP" -H --replay "$tmp/one.csv" --speed max -t 1 --interval 0 -o "$tmp/one-file.csv" \
   >/dev/null 2>&1
with_timeout 60 sh -c 'cat "$1" | "$2" -H --replay - --stdin-name one --speed max -t 1 --interval 0 -o -' sh \
   "$tmp/one.csv" "$KEEPUP" >"$tmp/one-stdin.csv" 2>"$tmp/one-stdin.err"
check "one sensor, no sensor column: the file's sensor is named after it" grep -q '^1700000000,one,' "$tmp/one-file.csv"
check "cat one.csv | keepup --replay - --stdin-name one -o - equals the file's replay ($(wc -l <"$tmp/one-file.csv") lines)" \
   cmp -s "$tmp/one-stdin.csv" "$tmp/one-file.csv"
check "--stdin-name: the line before the replay says where the name came from" \
   grep -q "one sensor named 'one' (by --stdin-name)" "$tmp/one-stdin.err"
with_timeout 60 sh -c 'cat "$1" | "$2" -H --replay - --speed max -t 1 --interval 0 -o -' sh "$tmp/one.csv" "$KEEPUP" \
   >"$tmp/one-anon.csv" 2>"$tmp/one-anon.err"
check "without --stdin-name standard input's sensor is <stdin>" grep -q '^1700000000,<stdin>,' "$tmp/one-anon.csv"
check "without --stdin-name the line before the replay names the option" \
   grep -q "one sensor named '<stdin>' (standard input has no file name: --stdin-name NAME names it)" "$tmp/one-anon.err"

# ---- 2b. --output-time iso
{
   echo "timestamp,value"
   for d in "2020-01-01 00:00:00" "2020-01-01 00:00:05.25" "2024-02-29 12:34:56.000000001" "2024-03-01 00:00:00"; do
      echo "$d,1"
   done
} >"$tmp/dates.csv"
with_timeout 60 "$KEEPUP" -H --replay "$tmp/dates.csv" --speed max -t 1 --interval 0 -o "$tmp/dates-s.csv" \
   >/dev/null 2>&1
with_timeout 60 "$KEEPUP" -H --replay "$tmp/dates.csv" --speed max -t 1 --interval 0 --output-time iso \
   -o "$tmp/dates-iso.csv" >/dev/null 2>"$tmp/dates-iso.err"
check "--output-time iso: the header has time_iso after time_s" \
   [ "$(head -1 "$tmp/dates-iso.csv")" = "time_s,time_iso,sensor,value,norm,mean,std,z,alert" ]
check "--output-time iso: time_iso is the input's date-times in ISO 8601, UTC, as many digits as needed" \
   [ "$(cut -d, -f2 "$tmp/dates-iso.csv" | tail -n +2 | tr '\n' ' ')" = \
     "2020-01-01T00:00:00Z 2020-01-01T00:00:05.25Z 2024-02-29T12:34:56.000000001Z 2024-03-01T00:00:00Z " ]
check "--output-time iso: time_s and every other column are what they are without it" \
   sh -c 'cut -d, -f1,3- "$1" | cmp -s - "$2"' sh "$tmp/dates-iso.csv" "$tmp/dates-s.csv"
with_timeout 60 "$KEEPUP" -H --scenario none -a burst --burst 1k --every 250ms -d 600ms --drain --interval 0 \
   --output-time iso -o "$tmp/sim-iso.csv" >/dev/null 2>&1
check "--output-time iso, the simulator: time_iso is the time since the start as a duration (PT0.25S)" \
   grep -q '^0.25,PT0.25S,' "$tmp/sim-iso.csv"

# ---- 3. recording a replay
with_timeout 60 "$KEEPUP" -H --replay "$tmp/ev.csv" --speed max -t 1 --interval 0 --record "$tmp/rec.csv" \
   -o "$tmp/rec-out1.csv" >/dev/null 2>&1
with_timeout 60 "$KEEPUP" -H --replay "$tmp/rec.csv" --speed max -t 1 --interval 0 -o "$tmp/rec-out2.csv" \
   >/dev/null 2>"$tmp/rec.err"
check "the recording keeps the sensor names" grep -q '^# names yes' "$tmp/rec.csv"
if cmp -s "$tmp/rec-out1.csv" "$tmp/max1.csv" && cmp -s "$tmp/rec-out2.csv" "$tmp/max1.csv"; then
   ok "replaying the recording of a replay gives the original replay's output"
else
   fail "the recording replays differently: $(head -c 300 "$tmp/rec.err")"
fi

# ---- 4. --follow, and signals
head -1 "$tmp/ev.csv" >"$tmp/live.csv"
"$KEEPUP" -H --replay "$tmp/live.csv" --follow --speed max --interval 0 --json -o "$tmp/live-out.csv" \
   >"$tmp/live.json" 2>"$tmp/live.err" &
pid=$!
wait_line 'live.csv: delimiter' "$tmp/live.err"
i=0
while [ $i -lt 50 ]; do
   printf '%d,a,%d\n' $((1700000000 + i)) $i >>"$tmp/live.csv"
   i=$((i + 1))
   sleep 0.02
done
# the last rows have time to be read: --follow looks again every tick
sleep 1.5
kill -INT $pid
wait $pid
rc=$?
check "--follow stopped by SIGINT exits 130 (got $rc)" [ $rc -eq 130 ]
check "--follow played the 50 rows appended while it ran (played $(json "$tmp/live.json" "j['replay']['rows_played']"))" \
   [ "$(json "$tmp/live.json" "j['replay']['rows_played']")" = 50 ]
check "--follow: its output has the 50 rows" [ "$(($(wc -l <"$tmp/live-out.csv") - 1))" -eq 50 ]
check "an interrupted replay says so in the JSON" [ "$(json "$tmp/live.json" "j['replay']['state']")" = interrupted ]

"$KEEPUP" -H --replay "$tmp/ev.csv" --speed 1 --interval 0 --json >"$tmp/term.json" 2>"$tmp/term.err" &
pid=$!
wait_line 'ev.csv: delimiter' "$tmp/term.err"
kill -TERM $pid
wait $pid
rc=$?
check "a replay stopped by SIGTERM before its end exits 143 (got $rc)" [ $rc -eq 143 ]
with_timeout 60 "$KEEPUP" -H --replay "$tmp/ev.csv" --speed max --interval 0 --json >"$tmp/done.json" 2>/dev/null
rc=$?
check "a replay that ends exits 0, state complete (got $rc)" \
   [ $rc -eq 0 -a "$(json "$tmp/done.json" "j['replay']['state']")" = complete ]
check "the JSON replay object counts the file's rows" \
   [ "$(json "$tmp/done.json" "j['replay']['files'][0]['rows_read']")" = 3000 ]
check "a replay's knobs leave out the simulator's" [ "$(json "$tmp/done.json" "'rate' in j['knobs']")" = False ]
"$KEEPUP" -H --interval 100ms --json >"$tmp/sim.json" 2>"$tmp/sim.err" &
pid=$!
wait_line 'verdict' "$tmp/sim.err"
kill -INT $pid
wait $pid
rc=$?
check "a simulator run stopped by SIGINT exits 0 (got $rc)" [ $rc -eq 0 ]

# the dashboard without a terminal suggests the same replay, headless
"$KEEPUP" --replay "$tmp/ev.csv" --speed 2 </dev/null >/dev/null 2>"$tmp/hint.err"
check "no terminal: the hint keeps the options given ($(tail -1 "$tmp/hint.err"))" \
   grep -q "e.g.: keepup --headless --replay $tmp/ev.csv --speed 2\$" "$tmp/hint.err"

# ---- 5. late rows
printf 'time,value\n1,10\n3,30\n2,20\n4,40\n' >"$tmp/late.csv"
with_timeout 60 "$KEEPUP" -H --replay "$tmp/late.csv" --speed max --json -o "$tmp/late-out.csv" >"$tmp/late.json" \
   2>"$tmp/late.err"
check "a late row is played and counted by default" \
   [ "$(json "$tmp/late.json" "(j['replay']['late_rows'], j['replay']['rows_played'])")" = "(1, 4)" ]
with_timeout 60 "$KEEPUP" -H --replay "$tmp/late.csv" --speed max --on-late stop >/dev/null 2>"$tmp/late-stop.err"
rc=$?
check "--on-late stop: exit 5 naming the line and --max-lateness ($(head -1 "$tmp/late-stop.err"))" \
   sh -c "[ $rc -eq 5 ] && grep -q 'late.csv:4:.*--max-lateness' '$tmp/late-stop.err'"
with_timeout 60 "$KEEPUP" -H --replay "$tmp/late.csv" --speed max --max-lateness 5s -o "$tmp/late-ord.csv" \
   >/dev/null 2>&1
check "--max-lateness 5s plays the rows in time order" \
   [ "$(cut -d, -f1 "$tmp/late-ord.csv" | tail -n +2 | tr '\n' ' ')" = "1 2 3 4 " ]

# ---- 6. --max-gap
printf 'time,value\n2024-01-01T00:00:00,1\n2024-01-01T00:00:01,2\n2024-01-04T12:00:01,3\n2024-01-04T12:00:02,4\n' \
   >"$tmp/gap.csv"
start=$(date +%s)
with_timeout 60 "$KEEPUP" -H --replay "$tmp/gap.csv" --speed 1 --max-gap 1s --interval 0 >"$tmp/gap.out" 2>&1
rc=$?
took=$(($(date +%s) - start))
check "--max-gap 1s: a 3.5-day gap at --speed 1 plays in seconds (took ${took}s, exit $rc)" \
   [ $rc -eq 0 -a "$took" -lt 20 ]
check "--max-gap says how much it cut ($(grep -o 'gaps cut.*' "$tmp/gap.out"))" grep -q '1 gaps cut to --max-gap (84.0 h saved)' "$tmp/gap.out"

# a schedule centuries ahead: the arrival times saturate at the clock's edge, never overflow (a
# fuzzed file found the sum overflowing; the sanitizer builds stop on it); --duration ends the run
printf 'time_ns,value\n0,1\n9223372036854775000,2\n' >"$tmp/far.csv"
with_timeout 60 "$KEEPUP" -H --replay "$tmp/far.csv" --time-unit ns --speed 1 --duration 1s --interval 0 \
   >"$tmp/far.out" 2>&1
rc=$?
check "a row 292 years ahead waits, no overflow (exit $rc: $(grep -m1 -i 'runtime error\|sanitizer' "$tmp/far.out"))" \
   sh -c '[ "$1" -eq 0 ] && ! grep -qi "runtime error\|sanitizer" "$2"' _ $rc "$tmp/far.out"

# ---- 7. dialects
printf 'Title of the export\nDate;Time;CO;T;;\n10/03/2004;18.00.00;2,6;13,6;;\n10/03/2004;19.00.00;-200;13,3;;\n' \
   >"$tmp/aq.csv"
with_timeout 60 "$KEEPUP" -H --replay "$tmp/aq.csv" --speed max --skip-rows 1 >/dev/null 2>"$tmp/aq1.err"
check "a decimal comma names --decimal-comma ($(head -1 "$tmp/aq1.err"))" grep -q 'aq.csv:3: column CO:.*--decimal-comma' "$tmp/aq1.err"
with_timeout 60 "$KEEPUP" -H --replay "$tmp/aq.csv" --speed max --skip-rows 1 --decimal-comma --na -200 \
   --columns 'time=Date+Time,value=*' --time-format '%d/%m/%Y %H.%M.%S' --json >"$tmp/aq.json" 2>"$tmp/aq2.err"
check "decimal comma, day-first date and time in two columns, -200 missing, two value columns, a title row" \
   [ "$(json "$tmp/aq.json" "(j['replay']['sensor_names'], j['filtered_by']['missing'], j['event_time']['read_s'])")" = \
   "(['CO', 'T'], 1, 1078945200)" ]
printf 'Date;Time;CO\n10/03/2004;18.00.00;2\n' >"$tmp/dayfirst.csv"
with_timeout 60 "$KEEPUP" -H --replay "$tmp/dayfirst.csv" --speed max >/dev/null 2>"$tmp/df.err"
check "a day-first date names --time-format ($(head -1 "$tmp/df.err"))" grep -q "try --time-format '%d/%m/%Y" "$tmp/df.err"
printf '"date","T","CO2"\n"1","2015-02-02 14:19:00",23.7,585\n"2","2015-02-02 14:20:00",23.8,590\n' >"$tmp/rownames.csv"
with_timeout 60 "$KEEPUP" -H --replay "$tmp/rownames.csv" --speed max --json >"$tmp/rn.json" 2>"$tmp/rn.err"
check "a header one field short is a row-name column, played" [ "$(json "$tmp/rn.json" "j['replay']['rows_played']")" = 2 ]
check "a header one field short is a row-name column, and said so" grep -q 'row names' "$tmp/rn.err"
printf 'time|value\n1|2\n' >"$tmp/pipe.csv"
with_timeout 60 "$KEEPUP" -H --replay "$tmp/pipe.csv" --speed max >/dev/null 2>"$tmp/pipe.err"
check "the delimiter is found in the header, and said so" grep -q "delimiter '|' (found in the header)" "$tmp/pipe.err"
# an empty dialect option is refused naming what it takes (it read "expected a file name")
for opt in na time-format; do
   with_timeout 60 "$KEEPUP" -H --replay "$tmp/pipe.csv" --$opt '' >/dev/null 2>"$tmp/empty.err"
   rc=$?
   check "--$opt '': exit 2 naming what it takes ($(head -1 "$tmp/empty.err"))" \
      sh -c '[ "$1" -eq 2 ] && grep -q -- "--$2: expected [A-Z]" "$3" && ! grep -q "file name" "$3"' _ $rc $opt "$tmp/empty.err"
done

# the oracle: the statistics of a file of several value columns are those of each column replayed alone
awk 'BEGIN { print "time,a,b"; for (i = 0; i < 500; i++) printf "%d,%d,%d\n", i, (i * 37) % 101, (i * i) % 89 + (i == 300) * 5000 }' \
   >"$tmp/wide.csv"
with_timeout 60 "$KEEPUP" -H --replay "$tmp/wide.csv" --columns 'value=a,b' --speed max -t 2 -o "$tmp/wide-ab.csv" \
   >/dev/null 2>&1
same=yes
for c in a b; do
   with_timeout 60 "$KEEPUP" -H --replay "$tmp/wide.csv" --columns "value=$c" --speed max -o "$tmp/wide-$c.csv" \
      >/dev/null 2>&1
   grep ",$c," "$tmp/wide-ab.csv" | cut -d, -f1,3- >"$tmp/wide-ab-$c.txt"
   tail -n +2 "$tmp/wide-$c.csv" | cut -d, -f1,3- >"$tmp/wide-only-$c.txt"
   [ -s "$tmp/wide-only-$c.txt" ] && cmp -s "$tmp/wide-ab-$c.txt" "$tmp/wide-only-$c.txt" || same=no
done
check "value=a,b: each column's lines (time, statistics, alerts) equal that column replayed alone" [ $same = yes ]

# ---- 8. shared data
data=${KEEPUP_SHARED_DATA:-$top_srcdir/../shared/data}
if [ ! -d "$data/nab" ]; then
   skip "the shared data ($data) is absent (set KEEPUP_SHARED_DATA): NAB, SKAB and UCI not played"
   finish
fi
with_timeout 60 "$KEEPUP" -H --replay "$data/skab/valve1/0.csv" --columns 'value=*' --speed max --json \
   >"$tmp/skab.json" 2>/dev/null
check "SKAB valve1/0.csv --columns value=*: eight value columns as eight named sensors" \
   [ "$(json "$tmp/skab.json" "len(j['replay']['sensor_names'])")" = 8 ]
# every SKAB file, with the README's one option
n=0
bad=""
for f in "$data"/skab/*/*.csv; do
   with_timeout 60 "$KEEPUP" -H --replay "$f" --columns 'value=*' --speed max --interval 0 --json >"$tmp/skab.json" \
      2>/dev/null
   [ "$(json "$tmp/skab.json" "(j['replay']['state'], len(j['replay']['sensor_names']))")" = "('complete', 8)" ] ||
      bad="$bad ${f#"$data"/skab/}"
   n=$((n + 1))
done
check "every SKAB file ($n) plays its eight sensors with --columns value=*${bad:+; failed:$bad}" [ -z "$bad" ]
with_timeout 60 "$KEEPUP" -H --replay "$data/uci-air-quality/AirQualityUCI.csv" --decimal-comma --na -200 \
   --time-format '%d/%m/%Y %H.%M.%S' --columns 'value=*' --speed max --json >"$tmp/uciaq.json" 2>/dev/null
check "UCI Air Quality plays with --decimal-comma --na -200 --time-format --columns value=*: 13 sensors, 9357 rows" \
   [ "$(json "$tmp/uciaq.json" "(len(j['replay']['sensor_names']), j['replay']['rows_played'])")" = "(13, 9357)" ]
for f in "$data"/uci-occupancy/*.txt; do
   with_timeout 60 "$KEEPUP" -H --replay "$f" --speed max --json >"$tmp/occ.json" 2>/dev/null
   check "UCI Occupancy ${f##*/} plays with no option" [ "$(json "$tmp/occ.json" "j['replay']['state']")" = complete ]
done
n=0
bad=""
for f in "$data"/nab/*/*.csv; do
   with_timeout 60 "$KEEPUP" -H --replay "$f" --speed max --interval 0 --json >"$tmp/nab.json" 2>/dev/null
   [ "$(json "$tmp/nab.json" "j['replay']['state']")" = complete ] || bad="$bad ${f##*/}"
   n=$((n + 1))
done
check "every NAB file ($n) plays with no option${bad:+; failed:$bad}" [ -z "$bad" ]
with_timeout 60 "$KEEPUP" -H --replay "$data/nab/realKnownCause/machine_temperature_system_failure.csv" --speed max \
   --interval 0 --json >"$tmp/mt.json" 2>/dev/null
check "machine_temperature reports its late rows ($(json "$tmp/mt.json" "j['replay']['late_rows']"))" \
   [ "$(json "$tmp/mt.json" "j['replay']['late_rows'] > 0")" = True ]

# the README's commands for the datasets, as written, from a folder that holds them: each file is there
# and plays to its end (--speed max after them: the last --speed counts; -H for the dashboard's), and a
# headless one ends within minutes at its own speed, by its start-up line (a year at x1 is no example)
mkdir "$tmp/readme"
for d in "$data"/*/; do
   ln -s "$d" "$tmp/readme/$(basename "$d")"
done
sed -n '/^### Replaying real data/,/^## /p' "$top_srcdir/README.md" | grep '^keepup .*--replay [^ /-]' | grep -v '|' \
   >"$tmp/readme.cmds"
n=0
bad=""
while read -r line; do
   eval "set -- ${line#keepup }"
   (cd "$tmp/readme" && with_timeout 60 "$KEEPUP" -H "$@" --speed max --interval 0 --json >"$tmp/readme.json" \
      2>"$tmp/readme.err")
   rc=$?
   [ $rc -eq 0 ] && [ "$(json "$tmp/readme.json" "j['replay']['state']")" = complete ] ||
      bad="$bad [$line: exit $rc, $(grep -m1 '^keepup: .*:[0-9]*: \|cannot' "$tmp/readme.err")]"
   if [ "$1" = -H ]; then
      (cd "$tmp/readme" && with_timeout 60 "$KEEPUP" "$@" --duration 1s --interval 0 >/dev/null 2>"$tmp/readme.err")
      took=$(head -1 "$tmp/readme.err" | grep -o ': [^:]*$')
      echo "$took" | grep -Eq '^: (as fast as it goes|[0-9.]+ (ms|s|min) at )' || bad="$bad [$line: takes$took]"
   fi
   n=$((n + 1))
done <"$tmp/readme.cmds"
check "the README's dataset commands ($n) play as written${bad:+; failed:$bad}" [ $n -ge 6 -a -z "$bad" ]
finish
