#!/bin/sh
# layout.sh: --layout packed|boxed (issue 17), as a user runs it:
#   1. both layouts and all three --dispatch modes write byte-identical --output on a fixed seed with one
#      worker (a seeded burst, drained)
#   2. the memory scenario: a queued record takes at least 5x the memory boxed as packed, measured from the
#      RSS growth per queued record as bench_memory measures it, and the forecast's cap in records and time
#      to the cap follow
#   3. a layout keepup does not know is refused with exit 2, naming the option and the choices
. "$(dirname "$0")/lib.sh"
need_keepup
need_python "to read the JSON summaries"

# ---- 1. six runs, one output
for l in packed boxed; do
   for d in batch record fused; do
      with_timeout 120 "$KEEPUP" -H --scenario none -a burst --burst 30k --every 1h -d 1s --drain --seed 7 -t 1 \
         --interval 0 --layout $l --dispatch $d -o "$tmp/out-$l-$d.csv" >/dev/null 2>"$tmp/out-$l-$d.err" ||
         fail "--layout $l --dispatch $d: exit status $? ($(head -c 300 "$tmp/out-$l-$d.err"))"
   done
done
lines=$(wc -l <"$tmp/out-packed-batch.csv")
check "a seeded burst: $lines lines of --output (the burst, filtered)" [ "$lines" -gt 20000 ]
for l in packed boxed; do
   for d in batch record fused; do
      check "--layout $l --dispatch $d: the same bytes as packed batch" \
         cmp -s "$tmp/out-packed-batch.csv" "$tmp/out-$l-$d.csv"
   done
done

# ---- 2. the memory scenario, each layout from the start
for l in packed boxed; do
   headless_json "memory-$l" --scenario memory --layout $l -d 3s
done
p=$tmp/memory-packed.json
b=$tmp/memory-boxed.json
check "memory: the JSON names each run's layout" \
   [ "$(json "$p" "j['knobs']['layout']") $(json "$b" "j['knobs']['layout']")" = "packed boxed" ]
check "memory: a backlog of 50k records or more in each run ($(json "$p" "j['backlog']['records']"), $(json "$b" "j['backlog']['records']"))" \
   [ "$(json "$p" "j['backlog']['records'] >= 50000") $(json "$b" "j['backlog']['records'] >= 50000")" = "True True" ]
check "memory: conservation holds in both" \
   [ "$(json "$p" "j['conservation_ok']") $(json "$b" "j['conservation_ok']")" = "True True" ]
rp=$(json "$p" "j['backlog']['rss_bytes_per_record']")
rb=$(json "$b" "j['backlog']['rss_bytes_per_record']")
check "memory: by the RSS, a queued record takes at least 5x the bytes boxed ($rb) as packed ($rp)" \
   python3 -c 'import sys; p, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if p > 0 and b >= 5 * p else 1)' "$rp" "$rb"
ap=$(json "$p" "j['backlog']['bytes_per_record']")
ab=$(json "$b" "j['backlog']['bytes_per_record']")
check "memory: the queue counts about 248 bytes a boxed record ($ab), 33 a packed one ($ap)" \
   python3 -c 'import sys; p, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if 32 <= p < 40 and 240 <= b < 260 else 1)' "$ap" "$ab"
cp=$(json "$p" "j['forecast']['cap_records']")
cb=$(json "$b" "j['forecast']['cap_records']")
check "memory: the cap holds at least 5x the records packed ($cp) as boxed ($cb)" \
   python3 -c 'import sys; p, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if b > 0 and p >= 5 * b else 1)' "$cp" "$cb"
tp=$(json "$p" "j['forecast']['cap_in_s']")
tb=$(json "$b" "j['forecast']['cap_in_s']")
check "memory: the forecast reaches the cap sooner boxed ($tb s) than packed ($tp s)" \
   python3 -c 'import sys; p, b = sys.argv[1], sys.argv[2]; sys.exit(0 if b != "None" and (p == "None" or float(p) > 3 * float(b)) else 1)' "$tp" "$tb"

# ---- 3. a bad layout
"$KEEPUP" -H --scenario none -d 1s --layout tiny >/dev/null 2>"$tmp/bad.err"
rc=$?
check "--layout tiny: exit 2 naming --layout and packed (got $rc: $(head -c 200 "$tmp/bad.err"))" \
   sh -c '[ "$1" -eq 2 ] && grep -q -- "--layout" "$2" && grep -q packed "$2"' sh $rc "$tmp/bad.err"

finish
