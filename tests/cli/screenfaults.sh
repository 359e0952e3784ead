#!/bin/sh
# screenfaults.sh: the dashboard when something fails under it (issue 18):
# a recording that cannot be written (it once read freed memory for its
# message, which ASan and UBSan builds of this test catch; R after it records
# again, not stopped by the old failure), R in a directory
# that cannot take a file (exit 3, said), a replay stopped by a bad row (its
# FILE:LINE on screen at once, exit 5), an alert named by the replayed file, and the signals whose default is to
# end the process (QUIT, USR1, ALRM, XCPU): each prints the summary, leaves the
# terminal as it found it (main screen, cursor, canonical mode and echo) and
# dies of the signal.
#
# Environment (from make check): KEEPUP, the program; TMUX_BIN, tmux.

. "$(dirname "$0")/lib.sh"
need_keepup
. "$(dirname "$0")/tmuxlib.sh"

# quit_expecting STATUS: q, then keepup ends with STATUS, the terminal restored
quit_expecting() {
   key q
   wait_for "^KEEPUP-EXITED $1\$" 20
   check_restored
}

# 1. a recording to a full device: REC FAILED on screen, the run goes on; after q, exit 3 and the reason
start 1 100 30 "$C_LOCALE" NO_COLOR=1 -- --scenario none --rate 20k --record /dev/full
wait_for 'REC FAILED' 20
wait_for "$VERDICT"
# R after the failure records to a new file: its recording was stopped at once as failing, with the
# first one's error, and every later R's too (the error was never cleared)
key R
wait_for 'recording to keepup-'
sleep 1.5
capture
printf '%s\n' "$LAST" | grep -q 'REC FAILED' && fail "a new recording after a failed one shown as REC FAILED"
key R
wait_for 'recorded .* records'
quit_expecting 3
printf '%s\n' "$LAST" | grep -q "keepup: --record '/dev/full'.*No space left" ||
   fail "no reason for the failed recording after quitting"
printf '%s\n' "$LAST" | grep -q "keepup: --record 'keepup-" && fail "the recording after the failed one reported failing"
set -- "$WORK"/keepup-*.csv
[ $# -eq 1 ] && [ "$(grep -vc '^#' "$1")" -gt 100 ] ||
   fail "R after a failed recording: want one recording with rows, got: $(wc -l "$@" 2>&1 | tr '\n' ' ')"
rm -f "$WORK"/keepup-*.csv
ok "--record /dev/full in the dashboard: REC FAILED, a recording after it works, exit 3 with the one reason"
tm kill-server >/dev/null 2>&1

# 13. R where no file can be created (the working directory is removed under it): REC FAILED, exit 3
mkdir "$tmp/gone"
WORK=$tmp/gone
start 2 100 30 "$C_LOCALE" NO_COLOR=1 -- --scenario none --rate 20k
wait_for "$VERDICT" 20
rmdir "$tmp/gone"
key R
wait_for 'REC FAILED'
quit_expecting 3
printf '%s\n' "$LAST" | grep -q "keepup: --record 'keepup-.*cannot create" ||
   fail "no reason for the recording R could not start"
ok "R in a removed directory: REC FAILED, then exit 3 with the reason"
tm kill-server >/dev/null 2>&1
WORK=$tmp

# 10. a replay stopped by a bad row: REPLAY FAILED and its FILE:LINE at once, not INPUT ENDED; exit 5
printf 'time,value\n1,1\n2,2\n3,oops\n' >"$tmp/bad.csv"
start 3 100 30 "$C_LOCALE" NO_COLOR=1 -- --replay bad.csv
wait_for 'REPLAY FAILED' 10
wait_for 'bad\.csv:4'
printf '%s\n' "$LAST" | grep -q 'INPUT ENDED' && fail "a failed replay shown as INPUT ENDED"
quit_expecting 5
printf '%s\n' "$LAST" | grep -q "bad.csv:4: column value" || fail "no FILE:LINE after quitting"
ok "a replay's bad row: REPLAY FAILED with bad.csv:4 on screen, then exit 5"
tm kill-server >/dev/null 2>&1

# 13. the Alerts panel names a replayed file's named sensors (it showed their numeric ids), a name too long
#     for the column shortened with a mark ("~" in ASCII), not cut to a fragment ("boile")
awk 'BEGIN { print "time,sensor,value"; for (i = 0; i < 400; i++) printf "%.2f,boiler-7,%.1f\n", i / 100, 10 + i % 3
   print "4.00,boiler-7,500" }' >"$tmp/named.csv"
start 8 100 30 "$C_LOCALE" NO_COLOR=1 -- --replay named.csv --speed max
wait_for '^boil~ +500\.00' 20
quit_expecting 0
ok "a named sensor's alert shows its name"
tm kill-server >/dev/null 2>&1

# 6. the signals that end a process by default: the summary, the terminal restored, then that signal's death
phase=4
for sig in QUIT USR1 ALRM XCPU; do
   start $phase 100 30 "$C_LOCALE" NO_COLOR=1 -- --scenario none --rate 20k
   wait_for "$VERDICT" 20
   [ "$(pane_flag alternate_on)" = 1 ] || fail "the dashboard is not on the alternate screen"
   find_keepup "$(pane_flag pane_pid)"
   kill -"$sig" "$KPID"
   wait_for '^KEEPUP-EXITED [0-9]+$' 20
   check_restored
   status=$(printf '%s\n' "$LAST" | sed -n 's/^KEEPUP-EXITED //p')
   [ "$status" -gt 128 ] && [ "$(kill -l $((status - 128)))" = "$sig" ] ||
      fail "SIG$sig: exit status $status, not a death by SIG$sig"
   if modes=$(stty -a -F "$(pane_flag pane_tty)" 2>/dev/null); then
      case $modes in *-icanon* | *" -echo "*) fail "SIG$sig left the terminal raw: $modes" ;; esac
   fi
   ok "SIG$sig in the dashboard: the summary, the terminal restored, died of SIG$sig"
   tm kill-server >/dev/null 2>&1
   phase=$((phase + 1))
done

finish
