#!/bin/sh
# layers.sh: the source tree keeps its layers. src/ has a folder per layer,
#   base < core < engine, csv < app, ui < main.c
# and a file may include only headers of its own layer or of a layer below,
# named with their folder ("core/knobs.h"); engine and csv are siblings that
# do not include each other, app and ui are the front ends' level, and
# src/main.c alone stands above them (it picks a front end). Only
# src/ui/ includes curses. No file under src/ is longer than 800 lines, and no
# function longer than 100 lines, except tables and plain dispatch switches,
# marked by the comment /* layers: table */ alone on the line before the
# function.
#
# A function's length is that of its body: the lines after the one its
# opening brace is on, down to its closing brace. The function check is a
# small C reader in awk, not a compiler: it drops comments, strings and
# preprocessor lines, counts braces, and takes a brace at file level as a
# function's body when what comes before it since the last ';' or '}' has a
# parenthesis and no '=' (so initializers, structs and enums are not
# functions); a signature may span lines. tests/cli/layers-selftest.sh shows
# it failing where it must.
#
# Environment (set by make check): top_srcdir; the tree checked is
# $top_srcdir/src.
# Exit: 0 pass, 1 a rule broken, 99 the test cannot run.
. "$(dirname "$0")/lib.sh"
src="$top_srcdir/src"
[ -d "$src" ] || cannot_run "$src not found (set top_srcdir)"
command -v awk >/dev/null 2>&1 || cannot_run "awk is needed"
cd "$src" || cannot_run "cannot enter $src"
files=$(find . -name '*.[ch]' | sed 's|^\./||' | LC_ALL=C sort)
[ -n "$files" ] || cannot_run "no C sources under $src"

# One line per broken rule, "RULE<tab>MESSAGE"; RULE is one of folder, include, curses, size, function, parse.
# shellcheck disable=SC2086 # the file names have no spaces: split on purpose
awk '
function rank(l) {
   if (l == "base") return 0
   if (l == "core") return 1
   if (l == "engine" || l == "csv") return 2
   if (l == "app" || l == "ui") return 3
   return -1
}
function report(rule, msg) {
   printf "%s\t%s\n", rule, msg
}
# The code of a line: comments (also across lines), strings and character constants dropped.
function code(s,   out, i, n, c, q) {
   out = ""
   n = length(s)
   i = 1
   while (i <= n) {
      c = substr(s, i, 1)
      if (in_comment) {
         if (c == "*" && substr(s, i + 1, 1) == "/") {
            in_comment = 0
            i++
            out = out " "
         }
         i++
         continue
      }
      if (c == "/" && substr(s, i + 1, 1) == "*") {
         in_comment = 1
         i += 2
         continue
      }
      if (c == "/" && substr(s, i + 1, 1) == "/")
         break
      if (c == "\"" || c == "\047") {
         q = c
         for (i++; i <= n && substr(s, i, 1) != q; i++)
            if (substr(s, i, 1) == "\\")
               i++
         out = out q q
         i++
         continue
      }
      out = out c
      i++
   }
   return out
}
function finish_file() {
   if (file == "")
      return
   if (FNR_last > 800)
      report("size", file ": " FNR_last " lines (at most 800)")
   if (depth != 0 || in_comment)
      report("parse", file ": unbalanced braces or an unclosed comment: its functions cannot be measured")
}
function check_include(line,   inc, open, il, ir) {
   if (!match(line, /["<][^">]*[">]/))
      return
   open = substr(line, RSTART, 1)
   inc = substr(line, RSTART + 1, RLENGTH - 2)
   if (inc ~ /^(ncursesw?\/)?(n?curses|term|panel|menu|form)\.h$/ && layer != "ui")
      report("curses", file ":" FNR ": includes <" inc ">: curses belongs to src/ui/")
   il = inc
   sub(/\/.*/, "", il)
   ir = rank(il)
   if (open == "<" && ir < 0)
      return # a system header
   if (inc == "config.h")
      return
   if (ir < 0 || il == inc)
      report("include", file ":" FNR ": includes \"" inc "\": a header must be named with its layer folder")
   else if (ir > lrank)
      report("include", file ":" FNR ": includes \"" inc "\": " il " is a layer above " layer)
   else if (ir == lrank && lrank == 2 && il != layer)
      report("include", file ":" FNR ": includes \"" inc "\": engine and csv do not include each other")
}
FNR == 1 {
   finish_file()
   file = FILENAME
   layer = file
   sub(/\/.*/, "", layer)
   lrank = rank(layer)
   if (file == "main.c") {
      # the program itself, above both front ends: it parses the options and picks one
      layer = "main"
      lrank = 4
   } else if (lrank < 0 || layer == file) {
      report("folder", file ": not in a layer folder (base, core, engine, csv, app, ui)")
   }
   split("", raw)
   in_comment = 0
   directive = 0
   depth = 0
   header = ""
   header_line = 0
   in_function = 0
}
{
   FNR_last = FNR
   raw[FNR] = $0
   c = code($0)
   # preprocessor lines (and their continuations) hold no function braces
   if (directive || c ~ /^[ \t]*#/) {
      if (!directive && c ~ /^[ \t]*#[ \t]*include/)
         check_include($0) # the raw line: code() drops the quoted name
      directive = ($0 ~ /\\$/)
      next
   }
   n = length(c)
   for (i = 1; i <= n; i++) {
      ch = substr(c, i, 1)
      if (depth > 0) {
         if (ch == "{")
            depth++
         else if (ch == "}" && --depth == 0) {
            if (in_function && FNR - body_line > 100 && !marked)
               report("function", file ":" header_line ": " name "() has " FNR - body_line " lines (at most 100)")
            in_function = 0
            header = ""
         }
         continue
      }
      if (ch == ";" || ch == "}") {
         header = ""
         continue
      }
      if (ch == "{") {
         depth = 1
         in_function = (header ~ /\(/ && header !~ /=/)
         if (in_function) {
            body_line = FNR
            name = header
            sub(/[ \t]*\(.*/, "", name)
            sub(/.*[^A-Za-z0-9_]/, "", name)
            marked = (raw[header_line - 1] ~ /^[ \t]*\/\*[ \t]*layers:[ \t]*table[ \t]*\*\/[ \t]*$/)
         }
         header = ""
         continue
      }
      if (header == "" && ch ~ /[ \t]/)
         continue
      if (header == "")
         header_line = FNR
      header = header ch
   }
   if (header != "")
      header = header " "
}
END {
   finish_file()
}
' $files >"$tmp/broken"

broken_rules=" "
while IFS='	' read -r rule message; do
   fail "$message"
   broken_rules="$broken_rules$rule "
done <"$tmp/broken"

# held RULE MESSAGE: ok MESSAGE when no line broke RULE
held() {
   case $broken_rules in
   *" $1 "*) ;;
   *) ok "$2" ;;
   esac
}
n=$(printf '%s\n' "$files" | wc -l | tr -d ' ')
held folder "all $n files under src/ are in a layer folder"
held include "every file includes only its own layer or a layer below, named with its folder"
held curses "curses is included only under src/ui/"
held size "no file is over 800 lines"
held function "no function is over 100 lines but those marked /* layers: table */"
held parse "every file reads as balanced C"
finish "the tree keeps its layers"
