#!/bin/sh
# ordered.sh: what --ordered costs. keepup -H --replay FILE --speed max
# --threads 2 --optimized all -o OUT, with and without --ordered, as whole
# processes, alternately (the machine's load of the moment falls on both
# alike), on a generated 2M-row file of 64 sensors a microsecond apart (full
# batches); prints the medians of the wall time (rows/s) and of the
# process's CPU time (user + system, ns a row), and the ratios. Checks the
# two outputs hold the same lines. Usage: ordered.sh KEEPUP
set -u
prog=${1:?usage: ordered.sh KEEPUP}
command -v python3 >/dev/null 2>&1 || { echo "ordered: python3 is not installed: skipped"; exit 0; }
python3 - "$prog" <<'PY'
import os, random, shutil, statistics, sys, tempfile, time

prog = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp(prefix="keepup-bench-ordered.")
env = dict(os.environ, XDG_CACHE_HOME=os.path.join(work, "cache"))
RUNS = int(os.environ.get("ORDERED_RUNS", "7"))
ROWS = int(os.environ.get("ORDERED_ROWS", "2000000"))

def generate(path, rows):
    rnd = random.Random(1)
    with open(path, "w") as f:
        f.write("time_s,sensor,value\n")
        for start in range(0, rows, 100000):
            f.write("".join("%.6f,s%02d,%.4f\n" % (1.7e9 + i * 1e-6, rnd.randrange(64), rnd.gauss(20, 3))
                            for i in range(start, min(rows, start + 100000))))

def run(path, out, ordered):
    cmd = [prog, "-H", "--replay", path, "--speed", "max", "--threads", "2", "--optimized", "all",
           "--interval", "0", "-o", out] + (["--ordered"] if ordered else [])
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.execve(prog, cmd, env)
    _, status, ru = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    if status != 0:
        print("ordered: %s exited with status %d" % (" ".join(cmd), status))
        sys.exit(1)
    return wall, ru.ru_utime + ru.ru_stime

try:
    path = os.path.join(work, "rows.csv")
    generate(path, ROWS)
    res = {False: [], True: []}
    for r in range(RUNS):
        for ordered in ((False, True) if r % 2 == 0 else (True, False)):
            res[ordered].append(run(path, os.path.join(work, "o%d.csv" % ordered), ordered))
    with open(os.path.join(work, "o0.csv")) as a, open(os.path.join(work, "o1.csv")) as b:
        same = sorted(a) == sorted(b)
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in res.items()}
    print("ordered: %d rows, 64 sensors, --threads 2, --optimized all, %d alternating runs each, medians"
          % (ROWS, RUNS))
    for k, name in ((False, "unordered"), (True, "--ordered")):
        w, c = med[k]
        print("  %-10s %6.2f s wall  %6.2fM rows/s   %6.1f ns CPU a row   (wall %s)"
              % (name, w, ROWS / w / 1e6, c * 1e9 / ROWS,
                 " ".join("%.2f" % x for x, _ in sorted(res[k]))))
    print("  --ordered: %.2fx the wall time, %.2fx the CPU time; the same lines: %s"
          % (med[True][0] / med[False][0], med[True][1] / med[False][1], "yes" if same else "NO"))
    sys.exit(0 if same else 1)
finally:
    shutil.rmtree(work, ignore_errors=True)
PY
