#!/bin/sh
# startup.sh: how soon keepup is at work. (a) A headless replay of a one-row
# file with no scenario (no calibration), whole process, wall clock, median
# of 21 launches alternating with `true` and `keepup --version` (the process
# start alone); target <= 20 ms. (b) The dashboard's first full frame with a
# cached calibration (primed by one `keepup --calibrate` into a temporary
# XDG_CACHE_HOME): in a detached tmux at 100x30, the frame counts as drawn
# when the key bar (the last line) is on screen; median of 7 launches,
# beside the same measure of a shell that prints such a frame at once
# (tmux's own start and polling); target <= 100 ms. Exits 1 on a miss.
# Usage: startup.sh PROGRAM
set -u
prog=${1:?usage: startup.sh PROGRAM}
command -v python3 >/dev/null 2>&1 || { echo "startup: python3 is not installed: skipped"; exit 0; }
python3 - "$prog" <<'PY'
import os, shutil, statistics, subprocess, sys, tempfile, time
prog = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp(prefix="keepup-bench-startup.")
env = dict(os.environ, XDG_CACHE_HOME=os.path.join(work, "cache"))
env.pop("TMUX", None)
status = 0
one = os.path.join(work, "one.csv")
with open(one, "w") as f:
    f.write("time_s,sensor,value\n0,a,1\n")

def wall(cmd):
    t0 = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.monotonic() - t0

try:
    runs = {"replay": [], "true": [], "version": []}
    for _ in range(21):
        runs["true"].append(wall(["true"]))
        runs["version"].append(wall([prog, "--version"]))
        runs["replay"].append(wall([prog, "-H", "--replay", one, "--speed", "max", "-o", os.devnull]))
    med = {k: statistics.median(v) for k, v in runs.items()}
    ok = med["replay"] <= 0.020
    status |= not ok
    print("headless replay of a one-row file, no scenario: median %.1f ms whole process (true %.1f ms, keepup"
          " --version %.1f ms: %.1fx the process start); target <= 20 ms: %s"
          % (med["replay"] * 1e3, med["true"] * 1e3, med["version"] * 1e3, med["replay"] / med["version"],
             "meets" if ok else "MISSES"))

    if not shutil.which("tmux"):
        print("startup: tmux is not installed: the dashboard's first frame is not measured")
    else:
        subprocess.run([prog, "--calibrate"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        sock = "keepup-startup-%d" % os.getpid()
        def tmux(*a):
            return subprocess.run(["tmux", "-L", sock] + list(a), capture_output=True, text=True, env=env).stdout
        def first_frame(cmd):
            t0 = time.monotonic()
            tmux("new-session", "-d", "-s", "s", "-x", "100", "-y", "30", cmd)
            while True:
                screen = tmux("capture-pane", "-p", "-t", "s")
                if "F1Help" in screen and "keepup" in screen:
                    break
                if time.monotonic() - t0 > 10:
                    print("startup: no frame within 10 s")
                    sys.exit(1)
                time.sleep(0.002)
            t = time.monotonic() - t0
            tmux("kill-server")
            time.sleep(0.2)
            return t
        fake = "printf 'keepup F1Help\\n'; sleep 10"
        dash, base = [], []
        for _ in range(7):
            base.append(first_frame(fake))
            dash.append(first_frame(prog))
        d, b = statistics.median(dash), statistics.median(base)
        ok = d <= 0.100
        status |= not ok
        print("dashboard to its first full frame, calibration cached: median %.0f ms (min %.0f, max %.0f) over 7"
              " launches; tmux's own start and polling %.0f ms of it; target <= 100 ms: %s"
              % (d * 1e3, min(dash) * 1e3, max(dash) * 1e3, b * 1e3, "meets" if ok else "MISSES"))
finally:
    shutil.rmtree(work, ignore_errors=True)
sys.exit(status)
PY
