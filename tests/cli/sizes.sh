#!/bin/sh
# sizes.sh: every scenario's dashboard at the five sizes a lecture meets
# (80x24, 100x30, 120x36, 160x45, 200x50), in a detached tmux server: no word
# on the screen is a fragment (a word cut at a panel's edge, "gett" of
# "getting", or two labels run together, "runnow"), every key of the key bar
# is there at every width (80 columns take two rows), and from 30 rows the
# verdict is in big letters. In the skew lesson, the busy meters name the hot
# partition and its sensor and say why a second worker cannot help. And o / n (every stage optimized / naive) are
# one change each: one line each in the event log, not one per stage.
#
# A word is a run of letters; it is whole when the program's own text has it:
# the words of the string literals in src/ (format conversions taken out),
# with a plural or a verb's -s, -es, -ed, -ing allowed. A fragment of a
# longer word that is itself a word ("in" of "input") cannot be told apart.
#
# Environment (from make check): KEEPUP, the program; TMUX_BIN, tmux; top_srcdir.

. "$(dirname "$0")/lib.sh"
need_keepup
. "$(dirname "$0")/tmuxlib.sh"

[ -d "$top_srcdir/src" ] || cannot_run "$top_srcdir/src not found (set top_srcdir)"

# the program's words, one a line, lower case
DICT=$tmp/words
cat "$top_srcdir"/src/*/*.c "$top_srcdir"/src/*/*.h "$top_srcdir"/src/core/stages/*.c |
   grep -o '"\([^"\\]\|\\.\)*"' | sed 's/%[-+ #0-9.*]*\(l\|ll\|z\|h\)\{0,1\}[a-zA-Z]//g; s/" PRI[a-zA-Z0-9]* "//g' |
   grep -o '[A-Za-z]\+' | tr 'A-Z' 'a-z' | sort -u >"$DICT"

# fragments SCREEN-FILE: the words of the screen the program does not have, one a line
fragments() {
   grep -o '[A-Za-z]\+' "$1" | tr 'A-Z' 'a-z' | sort -u | while read -r w; do
      grep -qx -- "$w" "$DICT" && continue
      for stem in "${w%s}" "${w%es}" "${w%ed}" "${w%ing}" "${w%d}"; do
         [ "$stem" != "$w" ] && grep -qx -- "$stem" "$DICT" && continue 2
      done
      printf '%s\n' "$w"
   done
}

# the key bar's labels, from the key table: every one is on screen at every width
LABELS=$(sed -n '/^const KeyBinding Keys_table\[\] = {/,/^};/p' "$top_srcdir/src/ui/keys.c" |
   grep -v 'KEYS_REPLAYING' | sed -n 's/.*\.label = "\([^"]*\)".*/\1/p')
[ -n "$LABELS" ] || cannot_run "no key labels found in $top_srcdir/src/ui/keys.c"
BAR_SED=
for l in $LABELS; do
   BAR_SED="${BAR_SED}s/[^ ]*$l//g;"
done

# check_screen SCENARIO W H: the last capture, at that size
check_screen() {
   # the key bar's entries are a key and its label run together ("bBatch"): taken out of the words
   printf '%s\n' "$LAST" | sed '$d' | sed '$d' >"$tmp/screen"
   bar=$(printf '%s\n' "$LAST" | tail -n 2)
   printf '%s\n' "$bar" | sed "$BAR_SED" >>"$tmp/screen"
   bad=$(fragments "$tmp/screen" | tr '\n' ' ')
   [ -z "$bad" ] || fail "$1 at $2x$3: cut or run-together words on screen: $bad"
   for l in $LABELS; do
      printf '%s\n' "$bar" | grep -q -- "$l" || fail "$1 at $2x$3: the key bar has no $l"
   done
   if [ "$3" -ge 30 ]; then
      printf '%s\n' "$LAST" | sed -n '2,8p' | grep -q '▀' || fail "$1 at $2x$3: no big verdict"
   fi
}

phase=0
for scen in lecture amdahl batching threads skew overflow none; do
   phase=$((phase + 1))
   start "$phase" 200 50 "$UTF8_LOCALE" TERM=xterm-256color -- --scenario "$scen"
   wait_for 'F1Help' 20
   wait_for "$VERDICT" 20
   # let the charts, the alerts and the forecast fill in
   sleep 4
   for size in "200 50" "160 45" "120 36" "100 30" "80 24"; do
      set -- $size
      tm resize-window -t "$SESS" -x "$1" -y "$2" >/dev/null 2>&1
      wait_size "$1" "$2"
      # a frame at the new size, then the one after it (drawn from a new snapshot)
      sleep 1.5
      capture
      check_screen "$scen" "$1" "$2"
      if [ "$scen" = skew ]; then
         # the busy meters name the hot partition and its sensor, and say why a second worker cannot help
         printf '%s\n' "$LAST" | grep -E -q 'partition [0-9]+ +[^ ]+ +[0-9]+% sensor [0-9]+' ||
            fail "skew at $1x$2: no partition meter naming its sensor"
         printf '%s\n' "$LAST" | grep -q 'cannot' || fail "skew at $1x$2: no word on why a second worker cannot help"
      fi
   done
   ok "$scen: no cut word, every key, at 200x50 160x45 120x36 100x30 80x24"
   quit_and_check_restored
   tm kill-server >/dev/null 2>&1
done

# o and n: one event each
phase=$((phase + 1))
start "$phase" 100 30 "$UTF8_LOCALE" TERM=xterm-256color -- --scenario none --rate 20k
wait_for 'F1Help' 20
key o
wait_for 'all stages optimized'
key n
wait_for 'all stages naive'
key e
wait_for 'Event log: 2 knob changes'
printf '%s\n' "$LAST" | grep -E -q '#1 +[0-9:.]+ +all stages optimized$' || fail "o is not one event"
printf '%s\n' "$LAST" | grep -E -q '#2 +[0-9:.]+ +all stages naive$' || fail "n is not one event"
ok "o and n are one event line each"
# any key returns
key x
wait_for 'F1Help'
quit_and_check_restored
