#!/bin/sh
# dashcsv.sh: --metrics-csv in the dashboard. Driven in a detached tmux
# server with --interval 500ms: after q, the file has the headless run's
# header, a row every half second (rows go on while the display is frozen:
# they come from the UI thread's own snapshot), every row as wide as the
# header, and a final row whose records add up (generated = processed +
# filtered + dropped + queued + in_flight). An unwritable --metrics-csv is
# exit status 3 with a message, before the terminal is taken.
#
# Environment (from make check): KEEPUP, the program; TMUX_BIN, tmux.

. "$(dirname "$0")/lib.sh"
need_keepup

# the headless header, for comparison
"$KEEPUP" --headless --scenario none --duration 300ms --interval 0 --metrics-csv "$tmp/h.csv" >/dev/null 2>&1 ||
   cannot_run "the headless run with --metrics-csv failed"

. "$(dirname "$0")/tmuxlib.sh"

# lines_of FILE: its lines (0 when it does not exist yet)
lines_of() {
   if [ -f "$1" ]; then grep -c . "$1"; else echo 0; fi
}

# an unwritable file: said plainly, exit 3, before the terminal is taken (nothing to restore)
start 2 100 30 "$UTF8_LOCALE" TERM=xterm-256color -- --scenario none --metrics-csv /nonexistent/m.csv
wait_for '^KEEPUP-EXITED' 20
printf '%s\n' "$LAST" | grep -q '^KEEPUP-EXITED 3$' || fail "an unwritable --metrics-csv: not exit status 3"
printf '%s\n' "$LAST" | grep -q -- "--metrics-csv '/nonexistent/m.csv': cannot write" ||
   fail "an unwritable --metrics-csv: no message naming it"
[ "$(pane_flag alternate_on)" = 0 ] || fail "an unwritable --metrics-csv: the alternate screen is on"
ok "an unwritable --metrics-csv in the dashboard: exit 3, said before the terminal is taken"
tm kill-server >/dev/null 2>&1

csv=$WORK/dash.csv
start 1 100 30 "$UTF8_LOCALE" TERM=xterm-256color -- --scenario none --rate 20k --metrics-csv "$csv" --interval 500ms
wait_for 'F1Help' 20
wait_for "$VERDICT"
# rows appear while it runs, and go on while the display is frozen
n=0
while [ "$(lines_of "$csv")" -lt 3 ]; do
   n=$((n + 1))
   [ "$n" -ge 300 ] && fail "no rows in $csv after 15 s: $(lines_of "$csv") lines"
   sleep 0.05
done
key f
wait_for 'FROZEN|frozen'
frozen_at=$(grep -c . "$csv")
n=0
while [ "$(grep -c . "$csv")" -lt $((frozen_at + 2)) ]; do
   n=$((n + 1))
   [ "$n" -ge 300 ] && fail "no rows in $csv while the display was frozen"
   sleep 0.05
done
ok "rows are written while the dashboard runs, and while its display is frozen"
quit_and_check_restored
tm kill-server >/dev/null 2>&1

[ "$(head -n 1 "$csv")" = "$(head -n 1 "$tmp/h.csv")" ] || fail "the header differs from the headless one: $(head -n 1 "$csv")"
cols=$(head -n 1 "$csv" | awk -F, '{print NF}')
rows=$(($(grep -c . "$csv") - 1))
awk -F, -v cols="$cols" 'NR > 1 && NF != cols { bad = 1 } END { exit bad }' "$csv" ||
   fail "a row of $csv does not have the header's $cols columns"
# a row every 500 ms (the last is the final row, at the quit): each from the engine's newest snapshot, which
# may be a tick (100 ms) or two old on a loaded machine, so a gap is 0.25 .. 1.5 s and they average 0.5 s
awk -F, 'NR > 2 && NR < last { d = $1 - prev; if (d < 0.25 || d > 1.5) bad = 1 }
   NR == 2 { first = $1 } NR > 1 && NR < last { prev = $1; n++ }
   END { if (n < 4 || (prev - first) / (n - 1) < 0.45 || (prev - first) / (n - 1) > 0.6) bad = 1; exit bad }' \
   last="$((rows + 1))" "$csv" || fail "the rows are not 0.5 s apart: $(cut -d, -f1 "$csv" | tr '\n' ' ')"
# the final row's accounting
awk -F, 'END { if ($2 != $3 + $4 + $5 + $6 + $7 || $2 == 0) exit 1 }' "$csv" ||
   fail "the final row does not add up: $(tail -n 1 "$csv")"
ok "the file has the headless header and $rows rows of $cols columns, 0.5 s apart, and a final row that adds up"

finish
