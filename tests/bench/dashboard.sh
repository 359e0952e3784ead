#!/bin/sh
# dashboard.sh: what the dashboard costs. (a) The UI thread's CPU: the
# dashboard on the default scenario in a detached tmux at 80x24 and at 200x50
# for 20 s each; the main thread (the UI thread: its TID is the PID) is read
# from /proc/PID/task/PID/stat (utime + stime) after the first frame and 20 s
# later; the target is at most 2% of one CPU. (b) Pipeline throughput under
# the dashboard against headless: the same saturating workload (all stages
# optimized, steady arrivals far above what the pipeline can take, so the
# backlog sits at its cap, checked in each run's summary; 15 s) run
# alternately headless and in the dashboard (tmux 200x50, --json to a file),
# three pairs; records completed (processed + filtered) per second of the
# run, medians; the target is a ratio dashboard/headless of at least 0.95.
# Prints the figures and the ratios; exits 1 when a target is missed.
# Usage: dashboard.sh PROGRAM
set -u
prog=${1:?usage: dashboard.sh PROGRAM}
command -v tmux >/dev/null 2>&1 || { echo "dashboard: tmux is not installed: skipped"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "dashboard: python3 is not installed: skipped"; exit 0; }
[ -r /proc/self/stat ] || { echo "dashboard: no /proc to read a thread's CPU time from: skipped"; exit 0; }
python3 - "$prog" <<'PY'
import json, os, shlex, statistics, subprocess, sys, tempfile, time

prog = os.path.abspath(sys.argv[1])
sock = "keepup-bench-dash-%d" % os.getpid()
env = dict(os.environ)
env.pop("TMUX", None)
tick = os.sysconf("SC_CLK_TCK")
work = tempfile.mkdtemp(prefix="keepup-bench-dash.")
CPU_SECONDS, CPU_TARGET = 20.0, 0.02
RATIO_TARGET, PAIRS = 0.95, 3
# an arrival rate no pipeline here reaches: the backlog fills to its cap, and the
# source waits (--overflow block), so each run measures what the pipeline can do
WORKLOAD = ["--scenario", "none", "--optimized", "all", "--arrival", "steady", "--rate", "100M",
            "--duration", "15s", "--json"]


def tmux(*a):
    return subprocess.run(["tmux", "-L", sock] + list(a), capture_output=True, text=True, env=env).stdout


def stat_fields(path):
    """The fields of a /proc stat file after the command name: [0] is the state, [11] utime, [12] stime."""
    with open(path) as f:
        return f.read().rsplit(")", 1)[1].split()


def keepup_pid(pane_pid):
    """keepup's pid: the pane's process when keepup is its command, else its child."""
    with open("/proc/%d/comm" % pane_pid) as f:
        if f.read().strip() == "keepup":
            return pane_pid
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/comm" % d) as f:
                    comm = f.read().strip()
                if comm == "keepup" and int(stat_fields("/proc/%s/stat" % d)[1]) == pane_pid:
                    return int(d)
            except (OSError, IndexError, ValueError):
                pass
    return None


def wait_screen(text, limit):
    t0 = time.monotonic()
    while text not in tmux("capture-pane", "-p", "-t", "b"):
        if time.monotonic() - t0 > limit:
            return False
        time.sleep(0.05)
    return True


def ui_cpu(w, h):
    """The main (UI) thread's CPU over CPU_SECONDS as a share of one CPU, or None."""
    tmux("new-session", "-d", "-s", "b", "-x", str(w), "-y", str(h), prog)
    tmux("resize-window", "-t", "b", "-x", str(w), "-y", str(h))
    try:
        if not wait_screen("F1Help", 30):
            print("dashboard: no first frame at %dx%d within 30 s" % (w, h))
            return None
        pid = keepup_pid(int(tmux("list-panes", "-t", "b", "-F", "#{pane_pid}").split()[0]))
        if pid is None:
            print("dashboard: keepup's process not found")
            return None
        path = "/proc/%d/task/%d/stat" % (pid, pid)
        time.sleep(1.0)  # past the first frames
        f0, t0 = stat_fields(path), time.monotonic()
        time.sleep(CPU_SECONDS)
        f1, t1 = stat_fields(path), time.monotonic()
        cpu = (int(f1[11]) + int(f1[12]) - int(f0[11]) - int(f0[12])) / tick
        return cpu / (t1 - t0)
    finally:
        tmux("send-keys", "-t", "b", "q")
        tmux("kill-server")


def completed_rate(j):
    return (j["processed"] + j["filtered"]) / j["duration_s"] if j["duration_s"] > 0 else 0.0


def run_headless(i):
    out = os.path.join(work, "headless-%d.json" % i)
    with open(out, "w") as f:
        r = subprocess.run([prog, "--headless"] + WORKLOAD, stdout=f, stderr=subprocess.DEVNULL, env=env)
    if r.returncode != 0:
        print("dashboard: the headless run exited %d" % r.returncode)
        return None
    with open(out) as f:
        return json.load(f)


def run_dashboard(i):
    out = os.path.join(work, "dashboard-%d.json" % i)
    rc = os.path.join(work, "dashboard-%d.rc" % i)
    cmd = "%s >%s 2>/dev/null; echo $? >%s" % (" ".join(shlex.quote(a) for a in [prog] + WORKLOAD),
                                              shlex.quote(out), shlex.quote(rc + ".tmp"))
    cmd += "; mv %s %s; sleep 600" % (shlex.quote(rc + ".tmp"), shlex.quote(rc))
    tmux("new-session", "-d", "-s", "b", "-x", "200", "-y", "50", cmd)
    tmux("resize-window", "-t", "b", "-x", "200", "-y", "50")
    try:
        t0 = time.monotonic()
        while not os.path.exists(rc):
            if time.monotonic() - t0 > 120:
                print("dashboard: the dashboard run did not end within 120 s")
                return None
            time.sleep(0.2)
    finally:
        tmux("kill-server")
    with open(rc) as f:
        status = int(f.read().strip() or -1)
    if status != 0:
        print("dashboard: the dashboard run exited %d" % status)
        return None
    with open(out) as f:
        return json.load(f)


ok = True
try:
    cpus = {}
    for w, h in ((80, 24), (200, 50)):
        c = ui_cpu(w, h)
        if c is None:
            sys.exit(1)
        cpus[(w, h)] = c
        print("UI thread CPU at %dx%d, default scenario, %.0f s: %.2f%% of one CPU; target <= %.0f%%: %s"
              % (w, h, CPU_SECONDS, 100 * c, 100 * CPU_TARGET, "met" if c <= CPU_TARGET else "MISSED"))
        ok = ok and c <= CPU_TARGET
        time.sleep(0.5)

    print("throughput: keepup %s, alternately headless and in the dashboard (200x50, --json to a file)"
          % " ".join(WORKLOAD))
    head, dash = [], []
    for i in range(PAIRS):
        jh = run_headless(i)
        jd = run_dashboard(i)
        if jh is None or jd is None:
            sys.exit(1)
        for j, what in ((jh, "headless"), (jd, "dashboard")):
            if not j["conservation_ok"]:
                print("dashboard: the %s run does not conserve records" % what)
                sys.exit(1)
        for j, what in ((jh, "headless"), (jd, "dashboard")):
            if j["backlog"]["peak_records"] < 0.5 * j["knobs"]["max_backlog_records"]:
                print("dashboard: the %s run kept up with its input: it measured the input, not the pipeline"
                      % what)
                sys.exit(1)
        rh, rd = completed_rate(jh), completed_rate(jd)
        head.append(rh)
        dash.append(rd)
        print("  pair %d: headless %.3fM rec/s (%.1f s), dashboard %.3fM rec/s (%.1f s): ratio %.3f"
              % (i + 1, rh / 1e6, jh["duration_s"], rd / 1e6, jd["duration_s"], rd / rh if rh else 0))
    mh, md = statistics.median(head), statistics.median(dash)
    ratio = md / mh if mh > 0 else 0
    pairwise = statistics.median(d / h for d, h in zip(dash, head) if h > 0)
    print("median completed records/s: headless %.3fM, dashboard %.3fM: ratio %.3f; target >= %.2f: %s"
          " (median of the pair ratios %.3f)"
          % (mh / 1e6, md / 1e6, ratio, RATIO_TARGET, "met" if ratio >= RATIO_TARGET else "MISSED", pairwise))
    ok = ok and ratio >= RATIO_TARGET
finally:
    tmux("kill-server")
    try:  # the socket a server leaves behind
        os.unlink(os.path.join(env.get("TMUX_TMPDIR", "/tmp"), "tmux-%d" % os.getuid(), sock))
    except OSError:
        pass
    for f in os.listdir(work):
        os.unlink(os.path.join(work, f))
    os.rmdir(work)
sys.exit(0 if ok else 1)
PY
