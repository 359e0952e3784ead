#!/bin/sh
# peers.sh: keepup against its peers on the same generated files, as whole
# processes, wall clock, alternately (so the machine's load of the moment
# falls on all of them alike), medians:
#   keepup -H --replay FILE --speed max --threads 1 --optimized all -o OUT
#   the lecture's optimized Python of the same chain (tests/bench/peers.py)
#   a pandas version of it (peers.py --pandas), when pandas is importable
# on a 300k-row, 64-sensor file (time_s,sensor,value); targets: keepup >= 15x
# the Python's speed and >= 20x pandas'. Then, on a 3M-row file of the same
# shape, keepup's rows/s against libcsv alone with strtod on each field
# (bench_libcsv: the reader's ceiling); target: >= 0.6 of it. A missing
# interpreter or library skips its peer with a line saying why. Exits 1 when
# a judged target is missed.
# Usage: peers.sh KEEPUP BENCH_LIBCSV SRCDIR
set -u
prog=${1:?usage: peers.sh KEEPUP BENCH_LIBCSV SRCDIR}
libcsv=${2:?usage: peers.sh KEEPUP BENCH_LIBCSV SRCDIR}
srcdir=${3:?usage: peers.sh KEEPUP BENCH_LIBCSV SRCDIR}
command -v python3 >/dev/null 2>&1 || { echo "peers: python3 is not installed: every peer skipped"; exit 0; }
python3 - "$prog" "$libcsv" "$srcdir/tests/bench/peers.py" <<'PY'
import os, random, shutil, statistics, subprocess, sys, tempfile, time

prog, libcsv, peers = (os.path.abspath(a) for a in sys.argv[1:4])
work = tempfile.mkdtemp(prefix="keepup-bench-peers.")
env = dict(os.environ, XDG_CACHE_HOME=os.path.join(work, "cache"))
RUNS = int(os.environ.get("PEERS_RUNS", "5"))
missed = []

def generate(path, rows):
    rnd = random.Random(1)
    with open(path, "w") as f:
        f.write("time_s,sensor,value\n")
        lines = []
        for i in range(rows):
            lines.append("%.3f,s%02d,%.4f\n" % (i * 0.001, rnd.randrange(64), rnd.gauss(20, 3)))
            if len(lines) == 100000:
                f.write("".join(lines))
                lines = []
        f.write("".join(lines))

def wall(cmd):
    t0 = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    t = time.monotonic() - t0
    if r.returncode != 0:
        print("peers: %s failed (exit %d): %s" % (cmd[0], r.returncode, r.stderr.decode()[-300:]))
        sys.exit(1)
    return t

def keepup(path):
    return [prog, "-H", "--replay", path, "--speed", "max", "--threads", "1", "--optimized", "all",
            "-o", os.path.join(work, "keepup.csv")]

try:
    small = os.path.join(work, "300k.csv")
    generate(small, 300000)
    contenders = [("keepup", keepup(small)),
                  ("python (csv, deque, running sums)", [sys.executable, peers, small, os.path.join(work, "py.csv")])]
    # pandas may be installed for the system's python3 only (python3-pandas), not for the first on PATH
    with_pd = [py for py in dict.fromkeys([sys.executable, "/usr/bin/python3"])
               if os.access(py, os.X_OK) and subprocess.run([py, "-c", "import pandas"], capture_output=True).returncode == 0]
    if with_pd:
        contenders.append(("pandas (read_csv, groupby rolling, to_csv)",
                           [with_pd[0], peers, "--pandas", small, os.path.join(work, "pd.csv")]))
    else:
        print("peers: pandas is not importable (apt-get install python3-pandas): the pandas peer skipped")
    times = {name: [] for name, _ in contenders}
    for _ in range(RUNS):
        for name, cmd in contenders:
            times[name].append(wall(cmd))
    k = statistics.median(times["keepup"])
    print("300k rows, 64 sensors, window 100, whole processes, median of %d alternate runs:" % RUNS)
    for name, _ in contenders:
        t = statistics.median(times[name])
        print("  %-44s %7.3f s  %6.2fM rows/s" % (name, t, 0.3 / t), end="")
        if name == "keepup":
            print()
            continue
        target = 15 if name.startswith("python") else 20
        ratio = t / k
        ok = ratio >= target
        if not ok:
            missed.append(name)
        print("  keepup %.1fx as fast (target >= %dx: %s)" % (ratio, target, "meets" if ok else "MISSES"))

    big = os.path.join(work, "3M.csv")
    generate(big, 3000000)
    kt = []
    for _ in range(3):
        kt.append(wall(keepup(big)))
    r = subprocess.run([libcsv, big, "3"], capture_output=True, text=True)
    if r.returncode != 0:
        print("peers: bench_libcsv failed: " + r.stderr)
        sys.exit(1)
    ceiling = float(r.stdout.split()[3])
    rate = 3e6 / statistics.median(kt)
    ok = rate / ceiling >= 0.6
    if not ok:
        missed.append("keepup against libcsv alone (3M rows)")
    print("3M rows: keepup %.2fM rows/s (whole process, median of 3); libcsv alone with strtod %.2fM rows/s;"
          " ratio %.2f (target >= 0.6: %s)" % (rate / 1e6, ceiling / 1e6, rate / ceiling, "meets" if ok else "MISSES"))
finally:
    shutil.rmtree(work, ignore_errors=True)
if missed:
    print("peers: MISSES: " + ", ".join(missed))
    sys.exit(1)
PY
