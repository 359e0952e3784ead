#!/bin/sh
# layers-selftest.sh: layers.sh fails where it must and passes where it must,
# on small synthetic trees (top_srcdir pointing at them): a clean tree passes,
# then each tree with one fault added (an include of a layer above, engine
# including csv, a header named without its folder, curses outside src/ui/,
# a file of 801 lines, functions of 101 lines written in several ways, a file
# outside a layer folder, unbalanced braces) fails, naming the fault. The
# clean tree holds what must not count: a function of exactly 100 lines, a
# long table function marked /* layers: table */, long initializers, braces
# in strings, characters, comments and macros.
#
# Environment (set by make check): none needed.
# Exit: 0 pass, 1 fail, 99 the test cannot run.
. "$(dirname "$0")/lib.sh"
layers="$lib_dir/layers.sh"
[ -f "$layers" ] || cannot_run "$layers not found"

# numbered N FORMAT: N lines, FORMAT (one %d) printed with 1 to N
numbered() {
   i=1
   while [ "$i" -le "$1" ]; do
      printf "$2\n" "$i"
      i=$((i + 1))
   done
}

# c_body LINES: a function's body after its opening brace, LINES lines with the closing brace
c_body() {
   echo "   int x = 1; /* { a brace in a comment */"
   echo "   x += (int)sizeof \"{ a brace in a string\";"
   echo "   x += '}';"
   numbered $(($1 - 5)) '   x += %d;'
   echo "   return x;"
   echo "}"
}

# c_function NAME LINES [SIGNATURE]: a C function whose body is LINES lines long; its
# signature spans two lines unless SIGNATURE is given
c_function() {
   if [ $# -ge 3 ]; then
      echo "$3 {"
   else
      echo "static int $1(int a,"
      echo "                int b) {"
   fi
   c_body "$2"
}

# lines N: a C file of N lines
lines() {
   numbered "$1" '/* line %d */'
}

# initializer NAME ROWS: a table at file level, one row a line
initializer() {
   echo "static const struct { int a; const char* b; } $1[] = {"
   numbered "$2" '   {%d, "a row {}"},'
   echo "};"
}

# the clean tree: every rule kept, at its limits
clean() {
   rm -rf "$tmp/tree"
   mkdir -p "$tmp/tree/src/base" "$tmp/tree/src/core/stages" "$tmp/tree/src/engine" "$tmp/tree/src/csv" \
      "$tmp/tree/src/app" "$tmp/tree/src/ui"
   t="$tmp/tree/src"
   printf '#include "config.h"\n#include <stdio.h>\n' >"$t/base/clock.c"
   echo '#include "base/clock.h"' >"$t/core/knobs.h"
   echo '#include "core/knobs.h"' >"$t/core/stages/stage.c"
   printf '#include "core/knobs.h"\n#include "engine/queue.h"\n' >"$t/engine/engine.c"
   printf '#include "core/knobs.h"\n#include "csv/replay.h"\n' >"$t/csv/recorder.c"
   printf '#include "engine/engine.h"\n#include "csv/replay.h"\n#include "ui/view.h"\n' >"$t/app/main.c"
   printf '#include <ncursesw/curses.h>\n#include "app/options.h"\n' >"$t/ui/crt.c"
   # the program above both front ends: src/main.c may include app/ and ui/
   printf '#include "app/options.h"\n#include "ui/dashboard.h"\n' >"$t/main.c"
   lines 800 >"$t/core/big.c"
   {
      echo '#define BRACES(x) { x, \'
      echo '                   x }'
      initializer table_before 150
      c_function at_the_limit 100
      echo "typedef struct Long {"
      lines 120
      echo "} Long;"
      echo "enum { A, B };"
      echo "/* layers: table */"
      c_function marked_dispatch 150
      c_function one_line 100 "int one_line(void)"
      echo "static void allman(void)"
      echo "{"
      echo "}"
      initializer table_after 150
   } >"$t/core/model.c"
}

# expect WHAT PATTERN: layers.sh fails on the tree and says PATTERN (an ERE)
expect() {
   top_srcdir="$tmp/tree" sh "$layers" >"$tmp/out" 2>&1
   rc=$?
   if [ "$rc" -ne 1 ]; then
      fail "$1: layers.sh exits $rc, want 1: $(grep FAIL "$tmp/out" | head -n 3)"
   elif ! grep -E -q -e "$2" "$tmp/out"; then
      fail "$1: layers.sh does not say /$2/: $(grep FAIL "$tmp/out" | head -n 3)"
   elif [ "$(grep -c '^FAIL' "$tmp/out")" -ne 1 ]; then
      fail "$1: layers.sh finds more than the one fault: $(grep FAIL "$tmp/out" | head -n 3)"
   else
      ok "$1: $(sed -n 's/^FAIL //p' "$tmp/out")"
   fi
}

clean
if top_srcdir="$tmp/tree" sh "$layers" >"$tmp/out" 2>&1; then
   ok "the clean tree passes (a 100-line function, a marked 150-line one, long initializers, braces in strings)"
else
   fail "the clean tree fails: $(grep FAIL "$tmp/out" | head -n 5)"
   cat "$tmp/out"
fi

clean
echo '#include "app/options.h"' >>"$t/core/stages/stage.c"
expect "core including app" '^FAIL core/stages/stage\.c:2: includes "app/options\.h": app is a layer above core$'

clean
echo '#include "csv/replay.h"' >>"$t/engine/engine.c"
expect "engine including csv" '^FAIL engine/engine\.c:3: .*engine and csv do not include each other$'

clean
echo '#  include <ui/view.h>' >>"$t/base/clock.c"
expect "base including ui in angle brackets" '^FAIL base/clock\.c:3: includes "ui/view\.h": ui is a layer above base$'

clean
echo '#include "knobs.h"' >>"$t/core/stages/stage.c"
expect "a header named without its folder" '^FAIL core/stages/stage\.c:2: includes "knobs\.h": .*layer folder$'

clean
echo '#include <curses.h>' >>"$t/app/main.c"
expect "curses in app" '^FAIL app/main\.c:4: includes <curses\.h>: curses belongs to src/ui/$'

clean
echo '#include <ncursesw/ncurses.h>' >>"$t/core/knobs.h"
expect "ncursesw in core" '^FAIL core/knobs\.h:2: includes <ncursesw/ncurses\.h>'

clean
echo '/* one line too many */' >>"$t/core/big.c"
expect "a file of 801 lines" '^FAIL core/big\.c: 801 lines \(at most 800\)$'

clean
c_function too_long 101 >>"$t/engine/engine.c"
expect "a static function of 101 lines, its signature on two lines" \
   '^FAIL engine/engine\.c:3: too_long\(\) has 101 lines \(at most 100\)$'

clean
c_function too_long 101 "void Queue_tooLong(Queue* this)" >>"$t/engine/engine.c"
expect "a function of 101 lines" '^FAIL engine/engine\.c:3: Queue_tooLong\(\) has 101 lines'

clean
{
   echo "/* layers: table, or so it says */"
   c_function half_marked 101
} >>"$t/csv/recorder.c"
expect "a function of 101 lines under another comment than the marker" \
   '^FAIL csv/recorder\.c:4: half_marked\(\) has 101 lines'

clean
{
   echo "/* layers: table */"
   echo ""
   c_function far_marked 101
} >>"$t/csv/recorder.c"
expect "a function of 101 lines with the marker not on the line before it" \
   '^FAIL csv/recorder\.c:5: far_marked\(\) has 101 lines'

clean
{
   initializer before 200
   echo "static int"
   echo "after_a_table(void)"
   echo "{"
   c_body 101
} >>"$t/app/main.c"
expect "a function of 101 lines after a table, its braces on their own lines" \
   '^FAIL app/main\.c:206: after_a_table\(\) has 101 lines'

clean
echo '/* stray */' >"$t/stray.c"
expect "a file outside a layer folder" '^FAIL stray\.c: not in a layer folder'

clean
printf 'void open(void) {\n   if (1) {\n}\n' >>"$t/ui/crt.c"
expect "unbalanced braces" '^FAIL ui/crt\.c: unbalanced braces'

finish "layers.sh fails where it must"
