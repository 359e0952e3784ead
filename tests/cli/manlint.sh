#!/bin/sh
# manlint.sh: lint the man page configure made from man/keepup.1.in, with the
# linter configure found ($MANLINT: mandoc or groff). Any message at warning
# level or above fails the test, as does a placeholder configure left unfilled.
#
# Environment (set by make check): top_builddir, MANLINT.
# Exit: 0 clean, 1 messages, 77 skip (no linter installed), 99 no man page.

. "$(dirname "$0")/lib.sh"
: "${MANLINT:=}"
man="$top_builddir/man/keepup.1"
[ -f "$man" ] || cannot_run "$man not found (configure makes it from man/keepup.1.in)"

if [ -z "$MANLINT" ]; then
   for tool in mandoc groff; do
      if command -v "$tool" >/dev/null 2>&1; then
         MANLINT=$tool
         break
      fi
   done
fi
if [ -z "$MANLINT" ] || ! command -v "$MANLINT" >/dev/null 2>&1; then
   skip_test "neither mandoc nor groff is installed: man page lint skipped (Debian: apt-get install mandoc)"
fi

if grep -n '@[A-Za-z_][A-Za-z0-9_]*@' "$man" >"$tmp/placeholders"; then
   fail "$man still has configure placeholders:"
   cat "$tmp/placeholders"
else
   ok "configure filled every placeholder of $man"
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
   cannot_run "MANLINT='$MANLINT' is neither mandoc nor groff"
   ;;
esac

if [ "$rc" -ne 0 ] || [ -s "$tmp/lint" ]; then
   fail "$MANLINT on $man (exit status $rc):"
   cat "$tmp/lint"
else
   ok "$MANLINT finds nothing to report in $man"
fi
finish
