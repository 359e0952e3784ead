#!/bin/sh
# truthscreen.sh: issue 12's truth cases on the dashboard, those a live knob
# change needs and those only the screen shows (truth.sh checks the figures
# headless, through the JSON summary):
#
#   3. a new batch size acts on the queued backlog at once: in the batching
#      lesson (a simulated 0.5 ms hand-off per batch, one worker), batches
#      queued at batch 1 are claimed together under batch 32, so the processed
#      rate rises within 5 s of the key, not after the backlog made at batch 1
#      has been worked off one hand-off each (minutes);
#   4. on the same screen, the hand-off is a row of the stage table, and the
#      Amdahl panel's share of feature is the stage table's;
#   6. the backlog's bytes count what it holds, the source's open batches too;
#   and the help screen (F1) explains each figure (offered, admitted, processed,
#   backlog, staleness, output lag) and each verdict in a line, as keepup(1)
#   does in "What the figures mean".
#
# Only ratios within one run are asserted: batch 32 cuts the CPU a record
# takes twentyfold, the check asks for three times the rate at batch 1.
#
# Environment (from make check): KEEPUP, the program; TMUX_BIN, tmux.

. "$(dirname "$0")/lib.sh"
need_keepup
. "$(dirname "$0")/tmuxlib.sh"

# processed_rate: the verdict's "processed N rec/s" on the last capture, in records a second
processed_rate() {
   printf '%s\n' "$LAST" | sed -n 's/.*processed \([0-9.]*\)\([kMG]\{0,1\}\) rec\/s.*/\1 \2/p' | head -n 1 |
      awk '{ m = 1; if ($2 == "k") m = 1e3; if ($2 == "M") m = 1e6; if ($2 == "G") m = 1e9; printf "%.0f\n", $1 * m }'
}

# miss CHECK: a failed check that does not stop the test (tmuxlib's fail does), with the screen it read;
# finish counts it
miss() {
   printf 'FAIL %s\n---- the screen it read ----\n%s\n' "$*" "$LAST"
   lib_failures=$((lib_failures + 1))
}

# share_of STAGE_ROW_ERE: the first percentage on the line matching it
share_of() {
   printf '%s\n' "$LAST" | grep -E -- "$1" | head -n 1 | sed -n 's/[^%]* \([0-9]\{1,3\}\)%.*/\1/p'
}

start 1 200 50 "$UTF8_LOCALE" TERM=xterm-256color -- --scenario batching
wait_for 'batch +1 rec/batch' 60
# falling behind at batch 1 for a while: a backlog of tens of thousands of batches of one
wait_for 'arriving [0-9.]+k? rec/s > processed [0-9.]+k? rec/s' 60
wait_for ' up (0:(0[8-9]|[1-5][0-9])|[1-9][0-9]*:[0-5][0-9])' 30

at_batch1=$LAST

# 3. the rate at batch 1, the highest of three looks (a generous base)
base=0
for _ in 1 2 3; do
   capture
   r=$(processed_rate)
   [ -n "$r" ] && [ "$r" -gt "$base" ] && base=$r
   sleep 0.5
done
[ "$base" -gt 0 ] || fail "3: no processed rate at batch 1"
key B B B B B
wait_for 'batch +32 rec/batch' 5
# within 5 s of the key, the processed rate is at least three times batch 1's
best=0
deadline=$(($(date +%s) + 5))
while [ "$(date +%s)" -lt "$deadline" ]; do
   capture
   r=$(processed_rate)
   [ -n "$r" ] && [ "$r" -gt "$best" ] && best=$r
   [ "$best" -ge $((3 * base)) ] && break
   sleep 0.05
done
if [ "$best" -ge $((3 * base)) ]; then
   ok "3: batch 32 acts on the queued backlog at once: processed ${base} -> ${best} rec/s within 5 s"
else
   miss "3: batch 32 did not act on the backlog within 5 s: processed ${best} rec/s, ${base} rec/s at batch 1"
fi

# 4. the hand-off's row, and one denominator for the stage table and the Amdahl panel, on the
# screen at batch 1 (checked after case 3, so that a failure of one does not hide the other)
LAST=$at_batch1
handoff=$(share_of ' hand-off ')
if [ -n "$handoff" ] && [ "$handoff" -ge 50 ]; then
   ok "4: the hand-off is a row of the stage table: ${handoff}% at batch 1"
else
   miss "4: the hand-off is a row of the stage table with most of the busy time at batch 1 (its row: '${handoff}'%)"
fi
table=$(share_of '4 feature ')
amdahl=$(printf '%s\n' "$LAST" | sed -n 's/.*Amdahl 4 feature p \([0-9]*\)% of busy.*/\1/p' | head -n 1)
if [ -n "$table" ] && [ -n "$amdahl" ] && [ "$table" -le $((amdahl + 3)) ] && [ "$amdahl" -le $((table + 3)) ]; then
   ok "4: the stage table and the Amdahl panel share one total (feature ${table}% and ${amdahl}%)"
else
   miss "4: the Amdahl panel's feature share (${amdahl}%) is not the stage table's (${table}%)"
fi

# the help screen (F1) explains each figure and each verdict in a line: the whole help, page by page
key F1
wait_for 'keys and how to read the screen'
help=""
capture
for _ in 1 2 3 4 5 6; do
   help="$help
$LAST"
   page=$LAST
   key NPage
   # the next page, once drawn (the last page stays as it is)
   n=0
   while [ "$n" -lt 20 ] && [ "$LAST" = "$page" ]; do
      sleep 0.05
      capture
      n=$((n + 1))
   done
done
for word in offered admitted processed backlog staleness 'output lag' 'MEASURING' 'KEEPING UP' 'FALLING BEHIND' \
   'CATCHING UP' 'INPUT ENDED' 'DONE' 'REPLAY FAILED'; do
   if printf '%s\n' "$help" | grep -E -q -- "^  $word  +[a-z(]"; then
      ok "help: a line for $word"
   else
      LAST=$help
      miss "help: no line explaining $word"
   fi
done
key Escape
wait_gone 'keys and how to read the screen'

key q
wait_for '^KEEPUP-EXITED 0' 15

# 6. the backlog's bytes count what it holds: at 2k rec/s into batches of 1024 lingering 1 s, most of
# the backlog is in the source's open batches (the old build showed "Backlog 1.00k rec" and no bytes)
start 2 100 30 "$UTF8_LOCALE" TERM=xterm-256color -- --scenario none --optimized all --rate 2k --batch 1024 --linger 1s
wait_for 'Backlog [0-9.]+k? rec' 30
looks=0
n=0
while [ "$looks" -lt 3 ] && [ "$n" -lt 100 ]; do
   capture
   line=$(printf '%s\n' "$LAST" | grep -E -o 'Backlog [0-9.]+k? rec[^▲▼█]*' | head -n 1)
   # "Backlog 1.48k rec 112 KB": records, then bytes (decimal units)
   verdict=$(printf '%s\n' "$line" | awk '{
      r = $2; m = 1; if (r ~ /k$/) { m = 1e3; sub(/k$/, "", r) } if (r ~ /M$/) { m = 1e6; sub(/M$/, "", r) }
      recs = r * m
      if (recs == 0) { print "empty"; exit }
      if (NF < 5) { print "no bytes"; exit }
      u = $5; f = 1; if (u == "KB") f = 1e3; if (u == "MB") f = 1e6; if (u == "GB") f = 1e9
      print ($4 * f >= 32 * recs ? "ok" : "short") }')
   case $verdict in
   ok) looks=$((looks + 1)) ;;
   empty) ;;
   *) miss "6: the backlog's bytes count what it holds, 32 bytes a record at least: '$line' ($verdict)"
      break ;;
   esac
   n=$((n + 1))
   sleep 0.2
done
[ "$looks" -ge 3 ] && ok "6: the backlog's bytes count its open batches (last: $line)"
key q
wait_for '^KEEPUP-EXITED 0' 15
finish "every figure tells the truth on the dashboard"
