#!/bin/sh
# startup.sh: time from launch to the first full dashboard frame (calibration
# included), in a detached tmux at 100x30; the frame counts as drawn when the
# key bar (the last line) is on screen. Median of 7 launches; the target is
# under 0.3 s. Usage: startup.sh PROGRAM
set -u
prog=${1:?usage: startup.sh PROGRAM}
command -v tmux >/dev/null 2>&1 || { echo "startup: tmux is not installed: skipped"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "startup: python3 is not installed: skipped"; exit 0; }
python3 - "$prog" <<'PY'
import subprocess, sys, time, os
prog = sys.argv[1]
sock = "keepup-startup-%d" % os.getpid()
env = dict(os.environ); env.pop("TMUX", None)
def tmux(*a):
    return subprocess.run(["tmux", "-L", sock] + list(a), capture_output=True, text=True, env=env).stdout
times = []
for i in range(7):
    t0 = time.monotonic()
    tmux("new-session", "-d", "-s", "s", "-x", "100", "-y", "30", prog)
    while True:
        screen = tmux("capture-pane", "-p", "-t", "s")
        if "F1Help" in screen and "keepup" in screen:
            break
        if time.monotonic() - t0 > 10:
            print("startup: no frame within 10 s"); sys.exit(1)
        time.sleep(0.002)
    times.append(time.monotonic() - t0)
    tmux("kill-server")
    time.sleep(0.2)
times.sort()
med = times[len(times) // 2]
print("startup to first full frame: median %.3f s (min %.3f, max %.3f) over %d launches; target < 0.3 s: %s"
      % (med, times[0], times[-1], len(times), "met" if med < 0.3 else "MISSED"))
sys.exit(0 if med < 0.3 else 1)
PY
