#!/bin/sh
# samples.sh: every recording in samples/ replays headless: exit status 0, and
# every record in the file is generated and accounted for (processed or filtered).
. "$(dirname "$0")/lib.sh"
need_keepup
need_python "to read the JSON summary"
count=0
for f in "$top_srcdir"/samples/*.csv; do
   count=$((count + 1))
   name=$(basename "$f")
   rows=$(($(grep -vc '^#' "$f") - 1))
   "$KEEPUP" --headless --replay "$f" --speed max --optimized all --interval 0 --json >"$tmp/s.json" 2>"$tmp/err"
   rc=$?
   if [ $rc -ne 0 ]; then
      fail "$name: exit status $rc ($(cat "$tmp/err"))"
      continue
   fi
   verdict=$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1])); rows = int(sys.argv[2])
ok = j["conservation_ok"] and j["generated"] == rows and j["processed"] + j["filtered"] == rows and j["order_violations"] == 0
print("ok" if ok else "generated %d processed %d filtered %d of %d rows" % (j["generated"], j["processed"], j["filtered"], rows))
' "$tmp/s.json" "$rows")
   if [ "$verdict" = ok ]; then
      ok "$name: $rows records replayed and accounted for"
   else
      fail "$name: $verdict"
   fi
done
[ "$count" -ge 4 ] || fail "only $count samples"
finish "all $count replay"
