#!/bin/sh
# calcache.sh: the calibration is measured only when a run needs it, cached
# in $XDG_CACHE_HOME/keepup (or ~/.cache/keepup) and reused with its age;
# --recalibrate measures again; a corrupt cache is measured again with a
# note; --calibration FILE writes, then reads, FILE, and a bad FILE is an
# error naming FILE:LINE. lib.sh points XDG_CACHE_HOME at the test's own
# directory.
. "$(dirname "$0")/lib.sh"
need_keepup

cache=$XDG_CACHE_HOME/keepup
one=$tmp/one.csv
printf 'time_s,sensor,value\n0,a,1\n' >"$one"

# a run that needs no calibration: no cache written, no note, and it ends promptly
# cpu_of ERR CMD...: CMD's CPU seconds (user + system) into $cpu, when /usr/bin/time can say
# (else "none"), its standard error into ERR, its status into $rc: the calibration is most of a run's CPU
cpu_of() {
   err=$1
   shift
   if [ -x /usr/bin/time ] && /usr/bin/time -f %U true >/dev/null 2>&1; then
      /usr/bin/time -f "%U %S" -o "$tmp/cpu" "$@" >/dev/null 2>"$err"
      rc=$?
      cpu=$(awk '{ print $1 + $2 }' "$tmp/cpu")
   else
      "$@" >/dev/null 2>"$err"
      rc=$?
      cpu=none
   fi
}
cpu_of "$tmp/none.err" "$KEEPUP" -H --replay "$one" --speed max -o "$tmp/out.csv"
cpu_none=$cpu
rc=$?
if [ "$rc" -eq 0 ] && [ ! -e "$cache" ] && ! grep -q "stage costs" "$tmp/none.err"; then
   ok "a replay with no scenario does not calibrate"
else
   fail "a replay with no scenario calibrated or failed (exit $rc, cache: $(ls "$cache" 2>&1), stderr: $(cat "$tmp/none.err"))"
fi
with_timeout 20 "$KEEPUP" -H --scenario none --duration 0.3s >/dev/null 2>"$tmp/none2.err"
if [ ! -e "$cache" ] && ! grep -q "stage costs" "$tmp/none2.err"; then
   ok "--scenario none does not calibrate"
else
   fail "--scenario none calibrated: $(cat "$tmp/none2.err")"
fi

# the first run that needs it measures and stores it
cpu_of "$tmp/first.err" "$KEEPUP" --calibrate
cpu_cal=$cpu
# the run that needs no calibration costs a small part of one that measures (before, both measured)
if [ "$cpu_none" = none ]; then
   skip "no /usr/bin/time: the CPU time of a run without calibration is not compared"
elif awk -v a="$cpu_none" -v b="$cpu_cal" 'BEGIN { exit !(a < 0.3 * b) }'; then
   ok "the run without calibration took $cpu_none s of CPU, the calibration $cpu_cal s"
else
   fail "the run without calibration took $cpu_none s of CPU, not far below the calibration's $cpu_cal s"
fi
"$KEEPUP" --calibrate >"$tmp/first.out" 2>/dev/null
file=$(ls "$cache"/calibration-* 2>/dev/null | head -n 1)
if [ -n "$file" ] && grep -q "stage costs measured in .* stored in $file" "$tmp/first.err" &&
   grep -q "^feature " "$tmp/first.out"; then
   ok "the first --calibrate measures and stores $file"
else
   fail "the first --calibrate stored nothing: $(cat "$tmp/first.err")"
fi
[ -n "$file" ] || finish
# a busy machine's costs are measured again at each launch (below): mark these quiet, so that the
# reuse checks do not depend on how busy the machine running the tests is
sed 's/^spread .*/spread 0/' "$file" >"$tmp/quiet" && cp "$tmp/quiet" "$file"
"$KEEPUP" --calibrate >"$tmp/first.out" 2>/dev/null
cp "$file" "$tmp/stored"

# the second reuses it, says its age, and sizes the scenario the same way
with_timeout 60 "$KEEPUP" --calibrate >"$tmp/second.out" 2>"$tmp/second.err"
if grep -q "stage costs from $file, measured [0-9]* s ago" "$tmp/second.err" && cmp -s "$file" "$tmp/stored" &&
   cmp -s "$tmp/first.out" "$tmp/second.out"; then
   ok "a second launch reuses the cache and prints its age"
else
   fail "the second launch did not reuse the cache: $(cat "$tmp/second.err")"
fi
"$KEEPUP" -H --scenario amdahl --duration 0.2s --json >"$tmp/a1.json" 2>/dev/null
"$KEEPUP" -H --scenario amdahl --duration 0.2s --json >"$tmp/a2.json" 2>/dev/null
w1=$(grep -o '"window": *[0-9]*' "$tmp/a1.json" | head -n 1)
w2=$(grep -o '"window": *[0-9]*' "$tmp/a2.json" | head -n 1)
r1=$(grep -o '"rate": *[0-9.e+]*' "$tmp/a1.json" | head -n 1)
r2=$(grep -o '"rate": *[0-9.e+]*' "$tmp/a2.json" | head -n 1)
if [ -n "$w1" ] && [ "$w1" = "$w2" ] && [ "$r1" = "$r2" ]; then
   ok "two launches size the amdahl scenario the same ($w1, $r1)"
else
   fail "two launches sized amdahl differently: '$w1' '$r1' vs '$w2' '$r2'"
fi

# costs cached from a busy machine (passes 500% apart) are measured again, and the quieter kept
sed 's/^spread .*/spread 5/' "$tmp/stored" >"$file"
with_timeout 60 "$KEEPUP" --calibrate >/dev/null 2>"$tmp/busy.err"
spread=$(sed -n 's/^spread //p' "$file")
if grep -q "measured on a busy machine (passes 500% apart): measuring again" "$tmp/busy.err" &&
   grep -q "stored in $file" "$tmp/busy.err" && awk -v s="$spread" 'BEGIN { exit !(s < 5) }'; then
   ok "costs cached from a busy machine are measured again and the quieter stored (spread $spread)"
else
   fail "a busy cache was not measured again (spread now '$spread'): $(cat "$tmp/busy.err")"
fi
# and a quiet cache is not (the reuse above); a --calibration FILE from a busy machine is kept as given
cp "$tmp/stored" "$file"

# --recalibrate measures again and replaces it
sleep 1
with_timeout 60 "$KEEPUP" --calibrate --recalibrate >/dev/null 2>"$tmp/re.err"
if grep -q "stage costs measured in" "$tmp/re.err" && ! cmp -s "$file" "$tmp/stored"; then
   ok "--recalibrate measures again and replaces the cache"
else
   fail "--recalibrate did not measure again: $(cat "$tmp/re.err")"
fi

# a corrupt cache: measured again with a note, never an error
printf 'garbage\n' >"$file"
with_timeout 60 "$KEEPUP" --calibrate >/dev/null 2>"$tmp/corrupt.err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q "cache is unreadable ($file:1: .*measuring again" "$tmp/corrupt.err" &&
   head -n 1 "$file" | grep -q "^# keepup calibration"; then
   ok "a corrupt cache is measured again with a note"
else
   fail "a corrupt cache: exit $rc, $(cat "$tmp/corrupt.err")"
fi
# a truncated one too
head -n 5 "$file" >"$tmp/cut" && cp "$tmp/cut" "$file"
with_timeout 60 "$KEEPUP" --calibrate >/dev/null 2>"$tmp/cut.err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q "incomplete" "$tmp/cut.err"; then
   ok "a truncated cache is measured again with a note"
else
   fail "a truncated cache: exit $rc, $(cat "$tmp/cut.err")"
fi

# without XDG_CACHE_HOME: ~/.cache/keepup
mkdir "$tmp/home"
HOME=$tmp/home XDG_CACHE_HOME= with_timeout 60 "$KEEPUP" --calibrate >/dev/null 2>"$tmp/home.err"
if ls "$tmp/home/.cache/keepup"/calibration-* >/dev/null 2>&1; then
   ok "without XDG_CACHE_HOME the cache is in ~/.cache/keepup"
else
   fail "no cache in ~/.cache/keepup: $(cat "$tmp/home.err")"
fi

# --calibration FILE: written when missing, read after; a bad FILE is an error with FILE:LINE
mine=$tmp/rehearsed.cal
with_timeout 60 "$KEEPUP" --calibration "$mine" --calibrate >"$tmp/m1.out" 2>"$tmp/m1.err"
with_timeout 60 "$KEEPUP" --calibration "$mine" --calibrate >"$tmp/m2.out" 2>"$tmp/m2.err"
if grep -q "stored in $mine" "$tmp/m1.err" && grep -q "stage costs from $mine" "$tmp/m2.err" &&
   cmp -s "$tmp/m1.out" "$tmp/m2.out"; then
   ok "--calibration FILE writes FILE, then reads it"
else
   fail "--calibration FILE: $(cat "$tmp/m1.err" "$tmp/m2.err")"
fi
sed 's/^stage feature .*/stage feature fast/' "$mine" >"$tmp/bad.cal"
with_timeout 60 "$KEEPUP" --calibration "$tmp/bad.cal" --calibrate >/dev/null 2>"$tmp/bad.err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "$tmp/bad.cal:[0-9]*: .*stage" "$tmp/bad.err"; then
   ok "a bad --calibration FILE exits 2 naming FILE:LINE"
else
   fail "a bad --calibration FILE: exit $rc, $(cat "$tmp/bad.err")"
fi
with_timeout 60 "$KEEPUP" --calibration "$tmp/no/such/dir/x.cal" --calibrate >/dev/null 2>"$tmp/nodir.err"
rc=$?
if [ "$rc" -eq 3 ] && grep -q "calibration: cannot write $tmp/no/such/dir/x.cal" "$tmp/nodir.err"; then
   ok "a --calibration FILE that cannot be written exits 3"
else
   fail "an unwritable --calibration FILE: exit $rc, $(cat "$tmp/nodir.err")"
fi

finish
