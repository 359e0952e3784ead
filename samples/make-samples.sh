#!/bin/sh
# make-samples.sh: regenerate the sample recordings with keepup itself.
# Usage: samples/make-samples.sh [KEEPUP] [DIR]   (make samples does this)
# Every recording is simulated from a fixed seed; only its length depends on
# when the run stops, so a regenerated file starts with the same records.
set -eu
keepup=${1:-keepup}
dir=${2:-$(dirname "$0")}
rec() { # rec NAME SECONDS OPTIONS...
   name=$1
   secs=$2
   shift 2
   "$keepup" --headless --duration "$secs" --interval 0 --scenario none --record "$dir/$name.csv" "$@" >/dev/null
   echo "$dir/$name.csv: $(($(grep -vc '^#' "$dir/$name.csv") - 1)) records"
}
# the lecture's shape: bursts, and a window that makes the naive feature stage the bottleneck
rec lecture-bursts 7s --seed 11 --arrival burst --burst 16k --every 3s --sensors 8 --window 3000
# a steady load; replayed faster (--speed) it is more than the naive pipeline can do
rec steady-load 8s --seed 12 --arrival steady --rate 5k --sensors 32
# many injected anomalies (spikes and drifts) for the score stage to find
rec anomalies 10s --seed 13 --arrival steady --rate 4k --sensors 16 --anomalies 0.004
# one hot sensor sends 75% of the records: it caps parallelism
rec hot-sensor 8s --seed 14 --arrival steady --rate 5k --sensors 32 --hot 0.75
# random (Poisson) arrivals: gaps and clumps, as real networks send them
rec poisson-arrivals 9s --seed 15 --arrival poisson --rate 3k --sensors 24
