#!/bin/sh
# crtdeath.sh: a sanitizer's report while the dashboard owns the terminal
# (issue 18, item 1). AddressSanitizer ends the process without atexit, and
# its report goes to stderr, which ui/crt.c keeps in a file while the screen
# is up; crt.c's death callback must end curses and replay that file. The
# helper tests/cli/crtdeath (crt.c around a deliberate heap-use-after-free)
# runs in a tmux pane; after it dies, the pane must show the report and the
# line written to stderr meanwhile, be off the alternate screen with the
# cursor shown, and `stty -a` there must show canonical mode and echo.
# Runs only in a build with AddressSanitizer (otherwise skipped).
#
# Environment (from make check): top_builddir, where the helper is built;
# KEEPUP_SANITIZERS, the build's sanitizer flags; TMUX_BIN, tmux.

. "$(dirname "$0")/lib.sh"
case ${KEEPUP_SANITIZERS:-} in
*address*) ;;
*) skip_test "needs a build with AddressSanitizer (configure --enable-sanitizers=address,undefined); this one has ${KEEPUP_SANITIZERS:-none}" ;;
esac
HELPER=$top_builddir/tests/cli/crtdeath
[ -x "$HELPER" ] || cannot_run "$HELPER is not built (make check builds it)"
. "$(dirname "$0")/tmuxlib.sh"

# abort_on_error=0: the runtime's own exit, so the death callback is what restores, not crt.c's SIGABRT handler
tm -f /dev/null new-session -d -s "$SESS" -x 120 -y 60 -c "$WORK" \
   "env LC_ALL=C ASAN_OPTIONS=abort_on_error=0:detect_leaks=0 '$HELPER'; echo \"CRTDEATH-EXITED \$?\"; stty -a; exec sleep 600" ||
   fail "cannot start tmux"
tm set-option -t "$SESS" status off >/dev/null
wait_for 'CRTDEATH SCREEN UP' 20
[ "$(pane_flag alternate_on)" = 1 ] || fail "the helper is not on the alternate screen: nothing to restore"
ok "the helper took the terminal (alternate screen)"
key x
# not anchored: on a terminal left raw the marker does not start a line
wait_for 'CRTDEATH-EXITED [0-9]+' 30
# the report is long: read the scrollback too
LAST=$(tm capture-pane -p -S -500 -t "$SESS")
printf '%s\n' "$LAST" | grep -q 'CRTDEATH-EXITED 0$' && fail "the helper read freed memory and no sanitizer stopped it"
printf '%s\n' "$LAST" | grep -q 'ERROR: AddressSanitizer: heap-use-after-free' ||
   fail "the AddressSanitizer report is not on the terminal"
ok "the AddressSanitizer report reached the terminal"
printf '%s\n' "$LAST" | grep -q '^crtdeath: written to stderr while the screen was up' ||
   fail "what was written to stderr while the screen was up is lost"
ok "stderr written while the screen was up reached the terminal"
[ "$(pane_flag alternate_on)" = 0 ] || fail "the alternate screen is still on"
[ "$(pane_flag cursor_flag)" = 1 ] || fail "the cursor is still hidden"
ok "back on the main screen, cursor shown"
modes=$(printf '%s\n' "$LAST" | sed -n '/CRTDEATH-EXITED/,$p')
printf '%s\n' "$modes" | grep -Eq '(^| )icanon( |;|$)' || fail "the terminal is not in canonical mode after the report"
printf '%s\n' "$modes" | grep -Eq '(^| )echo( |;|$)' || fail "echo is off after the report"
ok "stty -a after the report: icanon and echo"
finish
