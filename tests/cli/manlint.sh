#!/bin/sh
# manlint.sh: lint the man page configure made from man/keepup.1.in, with the
# linter configure found ($MANLINT: mandoc or groff). Any message at warning
# level or above fails the test, as does a placeholder configure left unfilled.
#
# Environment (set by make check): top_builddir, MANLINT.
# Exit: 0 clean, 1 messages, 77 skip (no linter installed), 99 no man page.

set -u

here=$(cd "$(dirname "$0")" && pwd)
: "${top_builddir:=$here/../..}"
: "${MANLINT:=}"
man="$top_builddir/man/keepup.1"

if [ ! -f "$man" ]; then
   echo "manlint.sh: $man not found (configure makes it from man/keepup.1.in)" >&2
   exit 99
fi

if [ -z "$MANLINT" ]; then
   for tool in mandoc groff; do
      if command -v "$tool" >/dev/null 2>&1; then
         MANLINT=$tool
         break
      fi
   done
fi
if [ -z "$MANLINT" ] || ! command -v "$MANLINT" >/dev/null 2>&1; then
   echo "manlint.sh: neither mandoc nor groff is installed: man page lint skipped (Debian: apt-get install mandoc)"
   exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/keepup-manlint.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' HUP INT TERM

status=0

if grep -n '@[A-Za-z_][A-Za-z0-9_]*@' "$man" >"$tmp/placeholders"; then
   echo "FAIL $man still has configure placeholders:"
   cat "$tmp/placeholders"
   status=1
fi

case "$(basename "$MANLINT")" in
mandoc*)
   "$MANLINT" -Tlint -Wwarning "$man" >"$tmp/lint" 2>&1
   rc=$?
   ;;
groff*)
   # groff reports problems on stderr but still exits 0
   "$MANLINT" -ww -z -man "$man" >"$tmp/lint" 2>&1
   rc=$?
   ;;
*)
   echo "manlint.sh: MANLINT='$MANLINT' is neither mandoc nor groff" >&2
   exit 99
   ;;
esac

if [ "$rc" -ne 0 ] || [ -s "$tmp/lint" ]; then
   echo "FAIL $MANLINT on $man (exit status $rc):"
   cat "$tmp/lint"
   status=1
else
   echo "ok   $MANLINT finds nothing to report in $man"
fi
exit $status
