#!/bin/sh
# cli.sh: the command-line contract of keepup, from the outside.
#
# --help lists every option of the tables in src/app/options.c and
# src/core/knobs.c (names read from the source, so the test follows the
# tables), --version prints the version of configure.ac, every bad command
# line exits with status 2 and a message on stderr that names the option,
# every long option of --help is documented in the man page, and a headless
# run's --json prints valid JSON with the record accounting.
#
# Environment (set by make check): KEEPUP, top_srcdir, top_builddir.
# Exit: 0 pass, 1 fail, 99 the test itself cannot run.

. "$(dirname "$0")/lib.sh"
need_keepup
[ -f "$top_srcdir/src/app/options.c" ] || cannot_run "$top_srcdir/src/app/options.c not found (set top_srcdir)"

# run SECONDS ARGS...: keepup's stdout, stderr and exit status in $tmp/out, $tmp/err, $status.
run() {
   limit=$1
   shift
   with_timeout "$limit" "$KEEPUP" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
   status=$?
}

# The long names of the option table and of the knob table it takes its knobs from, read from their source.
table_options() {
   sed -n '/^static const OptionDef options_table\[\] = {/,/^};/p' "$top_srcdir/src/app/options.c" |
      sed -n 's/^[[:space:]]*{"\([a-z][a-z0-9-]*\)",.*/\1/p'
   sed -n '/^const KnobDef Knob_table\[KNOB_LAST\] = {/,/^};/p' "$top_srcdir/src/core/knobs.c" |
      sed -n 's/^[[:space:]]*\.name = "\([a-z][a-z0-9-]*\)",.*/\1/p'
}

# The long names on the option lines of --help ("  -t, --threads N   ..." or "      --drain ...").
help_options() {
   sed -n 's/^ \{1,\}\(-[A-Za-z0-9], \)\{0,1\}--\([a-z][a-z0-9-]*\).*/\2/p' "$1"
}

# mentions FILE NAME: FILE has --NAME as a whole option name.
mentions() {
   grep -E -q -e "--$2([^a-z0-9-]|\$)" "$1"
}

# ---------------------------------------------------------------------------
# --help and the option table
# ---------------------------------------------------------------------------
table=$(table_options)
n_table=$(printf '%s\n' "$table" | grep -c .)
[ "$n_table" -ge 10 ] ||
   cannot_run "found only $n_table options in the table of src/app/options.c: the pattern no longer matches it"

run 20 --help
cp "$tmp/out" "$tmp/help"
if [ "$status" -ne 0 ]; then
   fail "--help: exit status $status, want 0"
elif [ ! -s "$tmp/help" ]; then
   fail "--help printed nothing on stdout"
else
   missing=""
   for name in $table; do
      mentions "$tmp/help" "$name" || missing="$missing --$name"
   done
   if [ -n "$missing" ]; then
      fail "--help does not list these options of the table:$missing"
   else
      ok "--help lists all $n_table options of the table"
   fi
   extra=""
   for name in $(help_options "$tmp/help"); do
      printf '%s\n' "$table" | grep -q -x -e "$name" || extra="$extra --$name"
   done
   if [ -n "$extra" ]; then
      fail "--help shows options that are not in the table:$extra"
   else
      ok "--help shows no option outside the table"
   fi
fi

run 20 -h
if [ "$status" -eq 0 ] && cmp -s "$tmp/out" "$tmp/help"; then
   ok "-h prints the same text as --help"
else
   fail "-h: exit status $status, or its text differs from --help"
fi

# ---------------------------------------------------------------------------
# --version
# ---------------------------------------------------------------------------
version=$(sed -n 's/^AC_INIT(\[keepup\], *\[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")
for opt in --version -V; do
   run 20 "$opt"
   first=$(head -n 1 "$tmp/out")
   if [ "$status" -ne 0 ]; then
      fail "$opt: exit status $status, want 0"
   elif [ -z "$version" ]; then
      fail "$opt: cannot read the version from configure.ac"
   elif [ "$first" != "keepup $version" ]; then
      fail "$opt printed '$first', want 'keepup $version'"
   else
      ok "$opt prints 'keepup $version'"
   fi
done

# ---------------------------------------------------------------------------
# Bad command lines: exit status 2, nothing on stdout, a message on stderr
# that contains each of WANTS ('|'-separated: the option, and the value).
# bad WANTS ARGS...
# ---------------------------------------------------------------------------
bad() {
   wants=$1
   shift
   label="keepup $*"
   run 20 "$@"
   if [ "$status" -ne 2 ]; then
      fail "$label: exit status $status, want 2 (stderr: $(head -n 1 "$tmp/err"))"
      return
   fi
   if [ -s "$tmp/out" ]; then
      fail "$label: printed on stdout: $(head -n 1 "$tmp/out")"
      return
   fi
   if [ ! -s "$tmp/err" ]; then
      fail "$label: exit status 2 but no message on stderr"
      return
   fi
   set -f
   old_ifs=$IFS
   IFS='|'
   for w in $wants; do
      if ! grep -F -q -e "$w" "$tmp/err"; then
         IFS=$old_ifs
         set +f
         fail "$label: the message does not name '$w': $(head -n 1 "$tmp/err")"
         return
      fi
   done
   IFS=$old_ifs
   set +f
   ok "$label -> 2: $(head -n 1 "$tmp/err")"
}

# a missing value
bad "--threads" --threads
bad "-t" -t
bad "--duration" --headless --duration
bad "--naive" --naive
# negative
bad "--threads|-1" --threads -1
bad "--batch|-3" --batch -3
bad "--rate|-5" --rate -5
bad "--duration|-1s" --headless --duration -1s
bad "--hot|-0.5" --hot -0.5
bad "--max-backlog|-4M" --max-backlog -4M
# zero where it is not allowed
bad "--threads|0" --threads 0
bad "--batch|0" --batch 0
bad "--sensors|0" --sensors 0
bad "--rate|0" --rate 0
bad "--burst|0" --burst 0
bad "--window|0" --window 0
bad "--every|0" --every 0
bad "--delay|0" --delay 0
bad "--max-backlog|0" --max-backlog 0
# huge
bad "--threads|65" --threads 65
bad "--batch|1G" --batch 1G
bad "--sensors|1e12" --sensors 1e12
bad "--rate|1e12" --rate 1e12
bad "--duration|1000000h" --headless --duration 1000000h
bad "--linger|1h" --linger 1h
bad "--max-backlog|1e15" --max-backlog 1e15
bad "--hot|2" --hot 2
bad "--seed|1e30" --seed 1e30
# not a number
bad "--threads|abc" --threads abc
bad "--rate|fast" --rate fast
bad "--batch|nan" --batch nan
bad "--hot|inf" --hot inf
bad "--sensors|0x10" --sensors 0x10
bad "--speed|0x4" --speed 0x4
bad "--threads|2.5" --threads 2.5
bad "--valid-range|wide" --valid-range wide
# a duration without a unit
bad "--duration|10" --headless --duration 10
bad "--linger|5" --linger 5
bad "--every|10" --every 10
bad "--interval|1" --headless --interval 1
bad "--delay|100" --delay 100
# unknown options, stage names and enum words
bad "--bogus" --bogus
bad "--bogus" --headless --bogus=3
bad "-Z" -Z
# -C is --no-color (htop's short form): known, and the dashboard's only
bad "--no-color" --headless -C
bad "--naive|bogus" --naive bogus
bad "--optimized|nosuchstage" --optimized filter,nosuchstage
bad "--arrival|sometimes" --arrival sometimes
bad "--overflow|explode" --overflow explode
# a stray argument
bad "stray" stray
bad "stray" --headless --duration 1s stray
# --json is the dashboard's too (its summary once it ends), but the dashboard needs a terminal
bad "terminal|--headless" --json
# headless-only options without --headless (--interval is the dashboard's only with --metrics-csv)
bad "--interval|--metrics-csv" --interval 1s
bad "--drain|--headless" --drain
# --stdin-name names standard input's data: only with --replay -, and a name that can be a sensor's
bad "--stdin-name|--replay FILE" --headless --stdin-name x
bad "--stdin-name|--replay -" --headless --replay some.csv --stdin-name x
bad "--stdin-name|control character" --headless --replay - --stdin-name "$(printf 'a\tb')"
# --output-time and --ordered shape --output: only with it, and only their words
bad "--output-time|--output FILE" --headless --output-time iso
bad "--output-time|unix" --headless --output-time unix -o /dev/null
bad "--ordered|--output FILE" --headless --ordered

# ---------------------------------------------------------------------------
# The man page documents every long option --help shows (in its OPTIONS section).
# ---------------------------------------------------------------------------
man="$top_builddir/man/keepup.1"
if [ ! -f "$man" ]; then
   fail "man page $man not found (configure makes it from man/keepup.1.in)"
elif [ -s "$tmp/help" ]; then
   # roff to plain text: \- is a dash, font escapes go, comment lines go
   sed -e '/^\.\\"/d' -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f([A-Z][A-Z]//g' -e 's/\\f\[[A-Z]*\]//g' "$man" |
      sed -n '/^\.SH "\{0,1\}OPTIONS/,/^\.SH /p' >"$tmp/man-options"
   undocumented=""
   n_help=0
   for name in $(help_options "$tmp/help"); do
      n_help=$((n_help + 1))
      mentions "$tmp/man-options" "$name" || undocumented="$undocumented --$name"
   done
   if [ -n "$undocumented" ]; then
      fail "the OPTIONS section of man/keepup.1 does not document:$undocumented"
   else
      ok "man/keepup.1 documents all $n_help long options of --help"
   fi
fi

# ---------------------------------------------------------------------------
# Headless JSON: --json prints one JSON object.
# ---------------------------------------------------------------------------
check_headless_json() {
   run 60 --headless --duration 1s --json
   if [ ! -s "$tmp/out" ]; then
      skip "keepup --headless --duration 1s --json prints nothing yet (exit status $status): JSON check skipped"
      return
   fi
   if [ "$status" -ne 0 ]; then
      fail "keepup --headless --duration 1s --json: exit status $status, want 0 (stderr: $(head -n 1 "$tmp/err"))"
      return
   fi
   if ! command -v python3 >/dev/null 2>&1; then
      skip "python3 not installed: JSON syntax of --json not checked"
      return
   fi
   if ! python3 -c 'import json,sys; json.load(sys.stdin)' <"$tmp/out" 2>"$tmp/pyerr"; then
      fail "keepup --headless --duration 1s --json: stdout is not JSON: $(tail -n 1 "$tmp/pyerr")"
      return
   fi
   ok "keepup --headless --duration 1s --json prints valid JSON"
   # the record accounting named in the issue, wherever the schema puts it
   if python3 -c '
import json, sys
doc = json.load(sys.stdin)
want = {"generated", "processed", "filtered", "dropped", "queued", "in_flight"}
seen = set()
def walk(v):
    if isinstance(v, dict):
        seen.update(k for k in v if k in want)
        for x in v.values():
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
if not isinstance(doc, dict):
    sys.exit("the summary is not a JSON object")
walk(doc)
missing = sorted(want - seen)
if missing:
    sys.exit("missing keys: " + ", ".join(missing))
' <"$tmp/out" 2>"$tmp/pyerr"; then
      ok "the JSON summary names generated, processed, filtered, dropped, queued, in_flight"
   else
      fail "the JSON summary: $(tail -n 1 "$tmp/pyerr")"
   fi
}
check_headless_json

finish
