#!/bin/sh
# ordered.sh: --ordered writes --output in event-time order, ties in input
# order, whatever the number of workers (issue 13):
#   1. a replay of 8 sensors whose rows share timestamps in tens: -t 1 and
#      -t 4 give byte-identical output, its (time, sensor) sequence is the
#      input's row for row, and the run says nothing was out of order
#   2. the simulator, one seeded burst (all records at event time 0: every
#      tie broken by admission order), drained: -t 1 and -t 4 byte-identical
#   3. a backlog cap that drops the oldest batches: the run ends, every line
#      processed is written, in order, conservation holds
#   4. a late row played at once is written where it was played, and counted
#   5. --ordered without --output is refused
#   (1 also: every --dispatch gives the same ordered bytes)
. "$(dirname "$0")/lib.sh"
need_keepup
need_python "to compare the output with the input"

# ---- 1. a replay, 1 and 4 workers
python3 - "$tmp/ties.csv" <<'EOF'
import random, sys
rnd = random.Random(13)
with open(sys.argv[1], "w") as f:
    f.write("timestamp,sensor,value\n")
    for i in range(40000):
        # ten rows a timestamp, sensors in no order: the ties are broken by the input's order
        f.write("%d.%02d,s%d,%d\n" % (1700000000 + i // 1000, (i // 10) % 100, rnd.randrange(8), rnd.randrange(1000)))
EOF
for t in 1 4; do
   with_timeout 120 "$KEEPUP" -H --replay "$tmp/ties.csv" --speed max -t $t --optimized all --interval 0 --json \
      --ordered -o "$tmp/ties-t$t.csv" >"$tmp/ties-t$t.json" 2>"$tmp/ties-t$t.err" ||
      fail "--ordered -t $t: exit status $? ($(head -c 300 "$tmp/ties-t$t.err"))"
done
check "--ordered: -t 1 and -t 4 give byte-identical --output ($(wc -l <"$tmp/ties-t1.csv") lines)" \
   cmp -s "$tmp/ties-t1.csv" "$tmp/ties-t4.csv"
if same_events "$tmp/ties.csv" timestamp "$tmp/ties-t4.csv"; then
   ok "--ordered -t 4: rows in event-time order, ties in the input's order (the input's sequence, row for row)"
else
   fail "--ordered -t 4: the output's (time, sensor) sequence is not the input's"
fi
check "--ordered: the JSON says the output was ordered, no line out of order, none passed over" \
   [ "$(json "$tmp/ties-t4.json" "(j['output_ordered'], j['output_unordered'], j['output_passed'])")" = "(True, 0, 0)" ]
# every dispatch writes the same ordered bytes: one worker's hand-off takes batches of several partitions,
# whose admission numbers interleave (the buffer stepped between them by their difference, and the fused
# loop left no rows to tell which records had a line: one line came out of 40000)
for d in record fused; do
   with_timeout 120 "$KEEPUP" -H --replay "$tmp/ties.csv" --speed max -t 1 --optimized all --interval 0 \
      --dispatch $d --ordered -o "$tmp/ties-$d.csv" >/dev/null 2>"$tmp/ties-$d.err" ||
      fail "--ordered --dispatch $d: exit status $? ($(head -c 300 "$tmp/ties-$d.err"))"
   check "--ordered --dispatch $d -t 1: the same bytes as batch" cmp -s "$tmp/ties-t4.csv" "$tmp/ties-$d.csv"
done

# ---- 2. the simulator: one burst, every record at event time 0
for t in 1 4; do
   with_timeout 120 "$KEEPUP" -H --scenario none -a burst --burst 20k --every 1h -d 1s --drain --seed 7 -t $t \
      --optimized all --interval 0 --ordered -o "$tmp/sim-t$t.csv" >/dev/null 2>"$tmp/sim-t$t.err" ||
      fail "simulator --ordered -t $t: exit status $? ($(head -c 300 "$tmp/sim-t$t.err"))"
done
check "simulator, seed 7, one burst: --ordered -t 1 and -t 4 give byte-identical --output ($(wc -l <"$tmp/sim-t1.csv") lines)" \
   cmp -s "$tmp/sim-t1.csv" "$tmp/sim-t4.csv"
check "simulator: the burst's records are all in it (20k, less those filtered)" [ "$(wc -l <"$tmp/sim-t1.csv")" -gt 15000 ]

# ---- 3. drops from the queue do not hold the output back, and nothing is lost
with_timeout 120 "$KEEPUP" -H --replay "$tmp/ties.csv" --speed max -t 2 --naive feature --window 2000 \
   --max-backlog 2000 --overflow drop-oldest --batch 64 --interval 0 --json --ordered -o "$tmp/drop.csv" \
   >"$tmp/drop.json" 2>"$tmp/drop.err"
rc=$?
check "--ordered under drop-oldest: the run ends (exit $rc)" [ $rc -eq 0 ]
dropped=$(json "$tmp/drop.json" "j['dropped']")
processed=$(json "$tmp/drop.json" "j['processed']")
check "--ordered under drop-oldest: records were dropped ($dropped), so the case is tested" [ "${dropped:-0}" -gt 0 ]
check "--ordered under drop-oldest: every processed record has its line ($processed)" \
   [ "$(($(wc -l <"$tmp/drop.csv") - 1))" -eq "${processed:--1}" ]
check "--ordered under drop-oldest: conservation holds" \
   [ "$(json "$tmp/drop.json" "j['conservation_ok']")" = True ]
if python3 - "$tmp/drop.csv" <<'EOF'; then
import csv, sys
from decimal import Decimal
t = [Decimal(r["time_s"]) for r in csv.DictReader(open(sys.argv[1]))]
sys.exit(0 if t == sorted(t) else 1)
EOF
   ok "--ordered under drop-oldest: what was written is in event-time order"
else
   fail "--ordered under drop-oldest: the output is out of order"
fi

# ---- 4. a late row (--on-late play) cannot be put in order: written where it was played, counted
printf 't,value\n1,1\n3,1\n2,1\n4,1\n' >"$tmp/late.csv"
with_timeout 60 "$KEEPUP" -H --replay "$tmp/late.csv" --speed max -t 2 --interval 0 --json --ordered \
   -o "$tmp/late-out.csv" >"$tmp/late.json" 2>"$tmp/late.err"
check "--ordered, a late row played at once: written where it was played" \
   [ "$(cut -d, -f1 "$tmp/late-out.csv" | tail -n +2 | tr '\n' ' ')" = "1 3 2 4 " ]
check "--ordered, a late row played at once: counted (JSON output_unordered)" \
   [ "$(json "$tmp/late.json" "j['output_unordered']")" = 1 ]
with_timeout 60 "$KEEPUP" -H --replay "$tmp/late.csv" --speed max --interval 0 --ordered -o /dev/null \
   >"$tmp/late-text.err" 2>&1
check "--ordered, a late row played at once: the summary says so" \
   grep -q "output    --ordered: 1 lines written out of event-time order" "$tmp/late-text.err"

# ---- 5. nothing to order
with_timeout 30 "$KEEPUP" -H --replay "$tmp/ties.csv" --ordered >/dev/null 2>"$tmp/noout.err"
rc=$?
check "--ordered without --output: exit 2 naming --output (got $rc: $(head -c 200 "$tmp/noout.err"))" \
   sh -c '[ "$1" -eq 2 ] && grep -q -- "--output" "$2"' sh $rc "$tmp/noout.err"

finish
