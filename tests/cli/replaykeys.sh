#!/bin/sh
# replaykeys.sh: the replay's keys in the dashboard (issue 16), on a small
# generated file of 100 rows a minute apart (2014-07-05 00:00 to 01:39, a
# tenth of its span is 9.9 min) played at x6 (a row every 10 s, so the
# position holds still between two keys), 200x50:
#   1. > seeks forward a tenth: the panel's position in the file's own time
#      jumps ten minutes and it counts the rows skipped; < goes back; Home
#      restarts at 00:00:00; . pauses and plays one row (one burst) at a
#      time; @ turns the loop on; the event log says each; after q the
#      summary counts the seeks and the rows skipped by seek, and generated
#      = processed + filtered + dropped + queued still adds up
#   2. a short file that ends: Home plays it again (generated counts it
#      twice), @ at the end goes on with the next pass
#   3. a FIFO: < > Home @ say on screen that a stream cannot move, and
#      keepup goes on and quits cleanly
#   4. the replay panel says how the file is read (issue 14), every part of
#      the start-up line in turn, at 100x30 (one row for it) and 80x24
#
# Environment (from make check): KEEPUP, the program; TMUX_BIN, tmux.
. "$(dirname "$0")/lib.sh"
need_keepup
. "$(dirname "$0")/tmuxlib.sh"

# rows FILE N: N rows a minute apart from 2014-07-05 00:00:00, value i
rows() {
   {
      echo "timestamp,value"
      i=0
      while [ "$i" -lt "$2" ]; do
         printf '2014-07-05 %02d:%02d:00,%d\n' $((i / 60)) $((i % 60)) "$i"
         i=$((i + 1))
      done
   } >"$1"
}
rows "$WORK/hundred.csv" 100
rows "$WORK/thirty.csv" 30

# position: the time the replay panel's position line is at ("00:12"), from the last capture (the line
# says "N rows ..." or "next row due in ...", then the time; a chart mark's time is to its left)
position() {
   printf '%s\n' "$LAST" | grep -E ' rows | due in ' |
      sed -n 's/.*2014-07-05 \([0-9][0-9]:[0-9][0-9]\):00.*/\1/p' | head -n 1
}

# minutes HH:MM: minutes since midnight
minutes() {
   echo $(( $(echo "$1" | sed 's/^0*\([0-9]\)/\1/; s/:.*//') * 60 + $(echo "$1" | sed 's/.*://; s/^0\([0-9]\)/\1/') ))
}

# wait_position LO HI [seconds]: poll until the position is between minutes LO and HI
wait_position() {
   n=0
   while :; do
      capture
      wp=$(position)
      if [ -n "$wp" ]; then
         wp=$(minutes "$wp")
         [ "$wp" -ge "$1" ] && [ "$wp" -le "$2" ] && return 0
      fi
      n=$((n + 1))
      [ "$n" -ge $(( ${3:-10} * 20 )) ] && fail "the position stayed at minute ${wp:-?}, waited for $1 .. $2"
      sleep 0.05
   done
}

# check_sum: the summary after q adds up: generated = processed + filtered + dropped + queued
check_sum() {
   line=$(printf '%s\n' "$LAST" | tr -d '\n' | sed -n 's/.*\(stopped after [^:]*: [0-9]* records generated = [0-9]* processed + [0-9]* filtered + [0-9]* dropped + [0-9]* still.*\)/\1/p')
   [ -n "$line" ] || fail "no summary with plain counts after q"
   set -- $(echo "$line" | sed 's/^stopped after [^:]*: //; s/[^0-9 ]//g')
   [ "$1" = $(($2 + $3 + $4 + $5)) ] || fail "the summary does not add up: $line"
   GENERATED=$1
}

# 1. every key on a file that can move
start 1 200 50 "$UTF8_LOCALE" TERM=xterm-256color -- --replay hundred.csv --speed 6 --json ">$WORK/one.json"
wait_for 'F1Help' 20
wait_position 1 9 20
ok "the position is in the file's own time: $(position)"
before=$(minutes "$(position)")
key '>'
wait_for 'skipped' 10
capture
after=$(minutes "$(position)")
# the row at or after the target plays at once and the next one is held (what the position shows): 11 on
[ $((after - before)) -ge 10 ] && [ $((after - before)) -le 12 ] ||
   fail "> moved the position from minute $before to $after, not a tenth (9.9 min) on"
ok "> seeks a tenth forward (minute $before to $after) and counts the rows skipped"
key '<'
wait_position 0 $((after - 1)) 10
back=$(minutes "$(position)")
[ "$back" -lt "$after" ] || fail "< did not go back: minute $after to $back"
ok "< seeks a tenth back (minute $after to $back)"
key Home
wait_position 0 1 10
ok "Home restarts at the first row"
key '.'
wait_for 'PAUSED' 10
sleep 1
capture
p1=$(minutes "$(position)")
key '.'
n=0
while :; do
   capture
   p2=$(minutes "$(position)")
   [ "$p2" != "$p1" ] && break
   n=$((n + 1))
   [ "$n" -ge 100 ] && fail ". did not step: the position stayed at minute $p1"
   sleep 0.05
done
sleep 1
capture
[ "$(minutes "$(position)")" = $((p1 + 1)) ] || fail ". stepped from minute $p1 to $(position), not one row"
ok ". while paused plays one burst (minute $p1 to $((p1 + 1))) and stays paused"
key '@'
wait_for 'LOOP' 10
ok "@ turns the loop on, shown in the panel"
key e
wait_for 'Event log' 10
for ev in 'seek \+10% to 2014-07-05' 'seek -10% to 2014-07-05' 'restart at 2014-07-05 00:00:00' 'step to 2014-07-05' 'loop on'; do
   wait_for "$ev" 5
done
ok "the event log says each move"
key Escape
wait_for 'F1Help' 10
key q
wait_for '^KEEPUP-EXITED 0' 15
check_restored
printf '%s\n' "$LAST" | tr -d '\n' | grep -E -q 'keepup: 3 restart\(s\) and seek\(s\): (9|1[0-2]) row\(s\) \((9|1[0-2]) records\) skipped by seek' ||
   fail "the summary does not count the seeks and the rows skipped by seek"
check_sum
ok "the summary counts 3 moves and the rows skipped by seek; $GENERATED generated add up"
if command -v python3 >/dev/null 2>&1; then
   python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
r = j["replay"]
assert r["seeks"] == 3, r["seeks"]
assert 9 <= r["skipped_by"]["seek"] <= 12 and r["skipped_records_by"]["seek"] == r["skipped_by"]["seek"], r["skipped_by"]
assert r["loop"] is True
assert j["conservation_ok"] and j["generated"] == '"$GENERATED"', j["generated"]
' "$WORK/one.json" || fail "the JSON summary: $(cat "$WORK/one.json")"
   ok "the JSON summary: seeks 3, skipped_by.seek, loop on, conservation_ok"
fi
tm kill-server >/dev/null 2>&1

# 2. the end: Home plays it again, @ goes on
start 2 200 50 "$UTF8_LOCALE" TERM=xterm-256color -- --replay thirty.csv --speed 1200
wait_for 'F1Help' 20
wait_for ' 30 rows, ended' 20
key Home
wait_for ' 60 rows, ended' 20
key '@'
wait_for 'LOOP' 10
wait_for ' (9[0-9]|[1-9][0-9][0-9]) rows' 20
key q
wait_for '^KEEPUP-EXITED 0' 15
check_sum
[ "$GENERATED" -ge 90 ] || fail "a replay of 30 rows played, restarted and looped generated only $GENERATED"
ok "after the end, Home plays the file again and @ loops it ($GENERATED records generated, every one accounted for)"
tm kill-server >/dev/null 2>&1

# 3. a stream cannot move, and says so
mkfifo "$WORK/rows.fifo" || cannot_run "mkfifo"
(cat "$WORK/hundred.csv" >"$WORK/rows.fifo" &)
start 3 200 50 "$UTF8_LOCALE" TERM=xterm-256color -- --replay rows.fifo --speed 60
wait_for 'F1Help' 20
for k in '>' '<' Home '@'; do
   key "$k"
   wait_for 'cannot (seek|restart|loop): the input is a stream or --follow' 10
   wait_gone 'cannot (seek|restart|loop)' 10
done
ok "a FIFO: < > Home @ each say the input is a stream"
quit_and_check_restored

# 4. how the file is read, in the replay panel: the start-up line a page at a time where the panel has no room
# for all of it (at 100x30 it showed none of it, at 80x24 its first row)
phase=4
for size in "100 30" "80 24"; do
   set -- $size
   start $phase "$1" "$2" "$UTF8_LOCALE" TERM=xterm-256color -- --replay hundred.csv --speed 6
   wait_for 'F1Help' 20
   : >"$WORK/about.txt"
   missing=""
   n=0
   while [ $n -lt 100 ]; do
      capture
      printf '%s\n' "$LAST" >>"$WORK/about.txt"
      missing=""
      # the delimiter, the time column and how it reads, the sensor's name, the span, the time at this speed
      for word in "delimiter" "timestamp" "date-times" "'hundred'" "01:39:00" "(1.6" "16.5"; do
         grep -q -F -- "$word" "$WORK/about.txt" || missing="$missing $word"
      done
      [ -z "$missing" ] && break
      n=$((n + 1))
      sleep 0.5
   done
   [ -z "$missing" ] || fail "at $1x$2 the replay panel never showed:$missing"
   ok "at $1x$2 the replay panel shows every part of how the file is read, in turn"
   quit_and_check_restored
   tm kill-server >/dev/null 2>&1
   phase=$((phase + 1))
done
finish
