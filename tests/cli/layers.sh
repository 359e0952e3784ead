#!/bin/sh
# layers.sh: the source tree keeps its layers. src/ has a folder per layer,
#   base < core < engine, csv < app, ui
# and a file may include only headers of its own layer or of a layer below
# (engine and csv are siblings: neither includes the other; app and ui are
# the front ends' level). Only src/ui/ may include curses. No file under
# src/ is longer than 800 lines, and no function longer than 100 lines,
# except tables and plain dispatch switches (marked with a "layers: table"
# comment on the line before the function).
#
# Environment (set by make check): top_srcdir.
# Exit: 0 pass, 1 a rule broken, 99 the test cannot run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$here/../..}"
src="$top_srcdir/src"
[ -d "$src/core" ] || { echo "layers.sh: $src/core not found (set top_srcdir)" >&2; exit 99; }
command -v awk >/dev/null 2>&1 || { echo "layers.sh: awk is needed" >&2; exit 99; }

cd "$src" || exit 99
files=$(find . -name '*.[ch]' | sed 's|^\./||' | sort)
[ -n "$files" ] || { echo "layers.sh: no sources under $src" >&2; exit 99; }

# rank FOLDER: the layer's rank; unknown folders are an error of their own
rank() {
   case $1 in
   base) echo 0 ;;
   core) echo 1 ;;
   engine | csv) echo 2 ;;
   app | ui) echo 3 ;;
   *) echo x ;;
   esac
}

failures=0
fail() {
   echo "FAIL $*"
   failures=$((failures + 1))
}

for f in $files; do
   layer=${f%%/*}
   r=$(rank "$layer")
   if [ "$r" = x ] || [ "$layer" = "$f" ]; then
      fail "$f: not in a layer's folder (base, core, engine, csv, app, ui)"
      continue
   fi
   # quoted includes name their folder: "core/record.h"
   grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | while IFS= read -r line; do
      inc=$(printf '%s\n' "$line" | sed 's/.*include[[:space:]]*"\([^"]*\)".*/\1/')
      [ "$inc" = config.h ] && continue
      il=${inc%%/*}
      ir=$(rank "$il")
      if [ "$ir" = x ] || [ "$il" = "$inc" ]; then
         echo "FAIL $f:${line%%:*}: includes \"$inc\": a header must be named with its layer's folder"
      elif [ "$ir" -gt "$r" ]; then
         echo "FAIL $f:${line%%:*}: includes \"$inc\": $il is a layer above $layer"
      elif [ "$ir" -eq "$r" ] && [ "$r" -eq 2 ] && [ "$il" != "$layer" ]; then
         echo "FAIL $f:${line%%:*}: includes \"$inc\": engine and csv do not include each other"
      fi
   done
   if [ "$layer" != ui ] && grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](ncursesw/)?n?curses\.h' "$f" >/dev/null; then
      echo "FAIL $f: includes curses outside src/ui/"
   fi
   lines=$(wc -l <"$f")
   if [ "$lines" -gt 800 ]; then
      echo "FAIL $f: $lines lines (at most 800)"
   fi
   # functions: a line starting a definition at column 0 ending in '{', to the '}' at column 0
   awk -v file="$f" '
      /^[A-Za-z_].*\)[[:space:]]*\{[[:space:]]*$/ && !/^(typedef|struct|enum|union|static const|const)[^(]*=/ {
         start = NR; name = $0; table = (prev ~ /layers: table/)
      }
      /^\}/ && start { if (NR - start > 100 && !table) printf "FAIL %s:%d: a function of %d lines (at most 100): %s\n", file, start, NR - start, name; start = 0 }
      { prev = $0 }
   ' "$f"
done >"${TMPDIR:-/tmp}/layers.$$" 2>&1
cat "${TMPDIR:-/tmp}/layers.$$"
n=$(grep -c '^FAIL' "${TMPDIR:-/tmp}/layers.$$")
rm -f "${TMPDIR:-/tmp}/layers.$$"
failures=$((failures + n))
if [ "$failures" -ne 0 ]; then
   echo "layers: $failures rule(s) broken"
   exit 1
fi
echo "layers: $(echo "$files" | wc -l) files keep their layers, no curses outside src/ui/, no file over 800 lines"
exit 0
