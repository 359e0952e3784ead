#!/bin/sh
# latency.sh: the dashboard's latency percentile view (key d), in a detached
# tmux server at 80x24 and at 200x50: d opens it, with HdrHistogram's
# percentile labels (50.000% .. 99.990%, 100.000% max) in two columns (the
# recent window and the whole run) and the sentence on where latency counts
# from, whole, with no word cut at the screen's edge; the view follows the
# pipeline live; d again closes it and the dashboard is back. And -C (the
# short --no-color) draws without a colour.
#
# Environment (from make check): KEEPUP, the program; TMUX_BIN, tmux.

. "$(dirname "$0")/lib.sh"
need_keepup
. "$(dirname "$0")/tmuxlib.sh"

ORIGIN="Latency counts from each record's scheduled arrival to its completion, not from when the source took it in: a stalled or held-back pipeline cannot hide its queueing here (no coordinated omission)."

# the sentence under the table: its lines, joined, spaces squeezed
origin_shown() {
   printf '%s\n' "$LAST" | sed -n '/^ *records /,$p' | sed '1d' | sed -n '/^  [A-Za-z(]/,/^ *$/p' |
      tr '\n' ' ' | tr -s ' ' | sed 's/^ //; s/ $//'
}

# check_view W: the view as it must be at width W
check_view() {
   wait_for 'Latency distribution \(HdrHistogram'"'"'s percentiles\) +any key returns'
   wait_for '^ +percentile +last [0-9.]+ [mu]?s +whole run [0-9.]+ (s|min|h)$'
   for p in '50\.000%' '90\.000%' '99\.000%' '99\.900%' '99\.990%'; do
      printf '%s\n' "$LAST" | grep -E -q "^ +$p +[0-9.]+ [nmu]?s +[0-9.]+ [nmu]?s\$" ||
         fail "at width $1, no row $p with a latency in each column"
   done
   printf '%s\n' "$LAST" | grep -E -q '^ +100\.000% +[0-9.]+ [nmu]?s +[0-9.]+ [nmu]?s  max$' ||
      fail "at width $1, no 100.000% (max) row"
   printf '%s\n' "$LAST" | grep -E -q '^ +records +[0-9.]+[kMG]? +[0-9.]+[kMG]?$' || fail "at width $1, no records row"
   got=$(origin_shown)
   [ "$got" = "$ORIGIN" ] || fail "at width $1, the sentence on where latency counts from is cut: '$got'"
   printf '%s\n' "$LAST" | grep -q 'F1Help' && fail "at width $1, the dashboard's key bar shows under the view"
   # the whole run's count moves: the view is drawn from each new snapshot
   total=$(printf '%s\n' "$LAST" | sed -n 's/^ *records .* \([0-9.]*[kMG]*\)$/\1/p')
   wait_gone "^ +records .* $total\$"
}

phase=0
for size in "80 24" "200 50"; do
   set -- $size
   phase=$((phase + 1))
   start "$phase" "$1" "$2" "$UTF8_LOCALE" TERM=xterm-256color -- --scenario none --rate 20k
   wait_for 'F1Help' 20
   wait_for "$VERDICT"
   key d
   check_view "$1"
   ok "at $1x$2, d shows the latency table and the sentence whole"
   key d
   wait_gone 'Latency distribution'
   wait_for 'F1Help'
   wait_for "$VERDICT"
   ok "at $1x$2, d again closes it"
   quit_and_check_restored
   tm kill-server >/dev/null 2>&1
done

# -C: no colour in what the dashboard draws (without it, the same run draws in colour)
for opt in "" -C; do
   phase=$((phase + 1))
   start "$phase" 100 30 "$UTF8_LOCALE" TERM=xterm-256color -- --scenario none --rate 20k $opt
   wait_for 'F1Help' 20
   wait_for "$VERDICT"
   colours=$(tm capture-pane -p -e -t "$SESS" | grep -E -c "$(printf '\033')\[[0-9;]*([34][0-8]|9[0-7]|10[0-7])[;m]")
   if [ -z "$opt" ]; then
      [ "$colours" -gt 0 ] || fail "without -C the dashboard draws no colour: the check cannot tell"
   else
      [ "$colours" -eq 0 ] || fail "with -C, $colours lines still have a colour"
   fi
   quit_and_check_restored
   tm kill-server >/dev/null 2>&1
done
ok "-C draws the dashboard without a colour"

finish
