#!/bin/sh
# lecture.sh: the whole lecture in one run, no restart. lecture (the big
# stage's key) -> amdahl (the wrong stage, then the right one) -> batching (B
# at a normal pace) -> threads (T) -> skew (T) -> overflow (p through every
# policy), switching with the scenario menu (s), and waiting at each step for
# the checkpoint caption measured live (src/core/lesson.c), the lessons' ends
# with their before/after tables included. It asserts on the captions' words,
# never on the figures (the machine is shared), and exits with a summary
# whose accounting adds up over the six pipelines. Each caption it waited for
# is printed to the log.
#
# Environment (from make check): KEEPUP, the program; TMUX_BIN, tmux.

. "$(dirname "$0")/lib.sh"
need_keepup
. "$(dirname "$0")/tmuxlib.sh"

# the caption's rows (under the header) as they are now, into the log
say_caption() {
   printf '%s\n' "$LAST" | sed -n '2,5p' | sed 's/^/   | /'
}

# step ERE [seconds]: wait for the caption, generously, and log it
step() {
   wait_for "$1" "${2:-60}"
   echo "$test_name: caption /$1/:"
   say_caption
}

# lesson NAME CAPTION: the next scenario in the menu, now, in a new pipeline
lesson() {
   key s
   wait_for 'Scenarios'
   key Down
   wait_for "$1 .*"
   wait_for 'Enter starts it now in a new pipeline'
   key Enter
   wait_for " $1 │ "
   step "$2"
}

# wide enough that no checkpoint line wraps: a regex sees each whole
start 1 160 40 "$UTF8_LOCALE" TERM=xterm-256color -- --scenario lecture --json '>run.json'

# lecture: it falls behind, measured; the big stage's key; it keeps up, with the table
step 'Measured: it falls behind: the oldest record is [0-9.]+ [a-z]+ old; [0-9.]+k? rec/s done of' 90
step '[a-z]+ takes [0-9]+% of the time: press [1-6] to optimize it\.'
big=$(printf '%s\n' "$LAST" | sed -n 's/.*takes [0-9]*% of the time: press \([1-6]\) to optimize it.*/\1/p' | head -n 1)
key "$big"
step 'You optimized [a-z]+: the oldest record was [0-9.]+ [a-z]+ old, now|Slowness was failure'
step 'Slowness was failure; optimizing [a-z]+ \([0-9]+% of the time\) fixed it' 120
step 'before naive +[0-9.]+k? '
step "after $big optimized +[0-9.]+k? .*KEEPING"
ok "lecture: falls behind, measured; optimized; keeps up, before/after table"

# amdahl: the wrong stage, then the right one
lesson amdahl 'feature takes ~70% of the time, filter ~8%'
wait_for ' up (0:(0[3-9]|[1-5][0-9])|[1-9][0-9]*:[0-5][0-9])' 25
key 1
step 'You optimized filter \([0-9]+% of the time\): (Amdahl predicts x[0-9.]+; measuring|predicted x)'
step 'Now find the stage with [0-9]+% of the time\.|That was the big share'
key 4
step 'You optimized feature \([0-9]+% of the time\)'
ok "amdahl: filter, then feature"

# batching: B at a normal pace, each batch size against the one before
lesson batching 'Batch 1: [0-9.]+k? rec/s done of [0-9.]+k? offered, p99 [0-9.]+ [a-z]+: it (falls behind|keeps pace)\.'
prev=1
for b in 2 4 8 16 32; do
   key B
   # the checkpoint against the batch before, or the lesson's end (its table, ending at this batch)
   step "Batch $b: [0-9.]+k? rec/s done \\(batch $prev: [0-9.]+k?\\), p99|after batch $b "
   prev=$b
done
wait_for 'Measured: (batch [0-9]+ falls behind; batch [0-9]+ keeps pace|it keeps pace at every|still behind at every)'
ok "batching: each batch size measured against the one before, and the trade-off"

# threads: t/T, the throughput per thread count
lesson threads '1 thread: [0-9.]+k? rec/s done of [0-9.]+k? offered; the workers used [0-9.]+ CPUs\.'
key T
step '2 threads: [0-9.]+k? rec/s done \(1 thread: [0-9.]+k?, x[0-9.]+\)|after 2 threads'
key T
step '3 threads: [0-9.]+k? rec/s done \(1 thread: [0-9.]+k?, x[0-9.]+\)|after 3 threads'
ok "threads: each thread count against one thread"

# skew: the hot partition named, and a worker more
lesson skew 'Partition [0-9]+ \(sensor [0-9]+\) was busy [0-9]+% of the time'
key T
step 'Partition [0-9]+ \(sensor [0-9]+\) stays busy [0-9]+%: one worker at a time'
step 'after [0-9]+ threads .*%'
ok "skew: the hot partition and its sensor, before and after a worker more"

# overflow: every policy, with what it cost
lesson overflow 'block: nothing (dropped|dropped, the source not held back)'
key p
step 'drop-oldest: [0-9.]+[kM]? records dropped \(counted\); the oldest record [0-9.]+ [a-z]+ old'
step 'Before, block: nothing dropped'
key p
step 'drop-newest: [0-9.]+[kM]? records dropped \(counted\)'
key p
step 'Every policy pays: block holds the source, drops lose data, grow takes RAM'
step 'after grow '
ok "overflow: each policy's cost, and the table"

key q
wait_for '^KEEPUP-EXITED 0' 20
check_restored
check_summary_json "$WORK/run.json" "after six pipelines" <<'PY'
if j["knobs"]["overflow"] != "grow":
    bad.append("knobs.overflow %s, want the last policy, grow" % j["knobs"]["overflow"])
PY
ok "quit: exit 0, the summary adds up over the whole lecture"
tm kill-server >/dev/null 2>&1
finish
