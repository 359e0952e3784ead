#!/bin/sh
# samples.sh: every recording in samples/ replays headless: exit status 0, and
# every record in the file is generated and accounted for (processed or filtered).
set -u
: "${KEEPUP:?KEEPUP must name the program}"
: "${top_srcdir:?top_srcdir must name the source tree}"
if ! command -v python3 >/dev/null 2>&1; then
   echo "SKIP: python3 is needed to read the JSON summary"
   exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0
count=0
for f in "$top_srcdir"/samples/*.csv; do
   count=$((count + 1))
   name=$(basename "$f")
   rows=$(($(grep -vc '^#' "$f") - 1))
   "$KEEPUP" --headless --replay "$f" --speed max --optimized all --interval 0 --json >"$tmp/s.json" 2>"$tmp/err"
   rc=$?
   if [ $rc -ne 0 ]; then
      echo "FAIL: $name: exit status $rc ($(cat "$tmp/err"))"
      failures=$((failures + 1))
      continue
   fi
   verdict=$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1])); rows = int(sys.argv[2])
ok = j["conservation_ok"] and j["generated"] == rows and j["processed"] + j["filtered"] == rows and j["order_violations"] == 0
print("ok" if ok else "generated %d processed %d filtered %d of %d rows" % (j["generated"], j["processed"], j["filtered"], rows))
' "$tmp/s.json" "$rows")
   if [ "$verdict" = ok ]; then
      echo "ok   $name: $rows records replayed and accounted for"
   else
      echo "FAIL: $name: $verdict"
      failures=$((failures + 1))
   fi
done
[ "$count" -ge 4 ] || { echo "FAIL: only $count samples"; failures=$((failures + 1)); }
[ $failures -eq 0 ] && echo "samples: all $count replay" && exit 0
exit 1
