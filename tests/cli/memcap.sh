#!/bin/sh
# memcap.sh: the memory caps hold end to end. An input far above capacity
# (naive stages) fills the backlog:
#   - block, drop-oldest and drop-newest with --max-backlog 64MB, at 20M
#     records/s (full batches) and at 2M (batches sealed part full by
#     --linger, which once fragmented the heap to 1.6x the cap): the backlog
#     reaches the cap, each policy does what it says, and the peak RSS of the
#     process stays within the cap plus the overhead documented in keepup(1)
#     ("The memory cap"; MEMCAP_OVERHEAD below);
#   - grow under a data size limit (ulimit -d) and an address space limit
#     (ulimit -v): the safety cap is half the limit, growth stops there, the
#     run ends normally and says the cap was hit, and RSS stays within the
#     safety cap plus the same overhead.
# The peak RSS is the child's ru_maxrss (wait4), an upper bound: the kernel
# counts the forked Python too before exec, ~10 MB, well under any cap here. A
# run ends by SIGTERM (a clean stop, exit 0) 1.5 s after its RSS reaches the
# cap, so the test takes as long as this machine needs to fill it.
# Sanitizers change RSS and cannot run under ulimit -v: there the policies are
# checked on their counts only, with a smaller cap and a fixed duration.
. "$(dirname "$0")/lib.sh"
need_keepup
need_python "to measure the runs"
# the checks are Python's (its own ok/FAIL lines and summary); the runs' output goes to $tmp
python3 - "$KEEPUP" "${KEEPUP_SANITIZERS:-}" "$tmp" <<'EOF'
import json, os, re, resource, signal, subprocess, sys, time

keepup, sanitizers, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
MiB = 1 << 20
BATCH = 256  # the default --batch
# RSS beyond the cap in force, keepup(1) "The memory cap": 16 MiB, plus the
# batches being filled (two buffers per partition, 2 x 64 x 32 bytes x --batch).
# Measured on the plain build: 6 MiB with a tiny cap, 6-11 MiB over a 64 MB cap.
MEMCAP_OVERHEAD = 16 * MiB + 2 * 64 * 32 * BATCH
SETTLE_S = 1.5
failures = 0


def check(what, ok, detail=""):
    global failures
    if ok:
        print("ok   " + what)
    else:
        print("FAIL %s (%s)" % (what, detail))
        failures += 1


def status_field(pid, field):
    """A /proc/PID/status memory field in bytes, 0 when gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def run(name, args, limit=None, stop_at=None, max_s=20):
    """keepup --headless ARGS; limit = (RLIMIT_x, bytes) for the child only.
    Once its RSS reaches stop_at it runs SETTLE_S more, then gets SIGTERM."""
    out = open(os.path.join(tmp, name + ".out"), "w+")
    err = open(os.path.join(tmp, name + ".err"), "w+")

    def set_limit():
        resource.setrlimit(limit[0], (limit[1], resource.getrlimit(limit[0])[1]))

    argv = [keepup, "--headless", "--interval", "0", "--scenario", "none", "--duration", "%ds" % max_s] + args
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                         preexec_fn=set_limit if limit else None)
    t0 = time.monotonic()
    reached = None
    stopped = False
    hwm = 0
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        hwm = max(hwm, status_field(p.pid, "VmHWM"))
        now = time.monotonic()
        if stop_at and reached is None and status_field(p.pid, "VmRSS") >= stop_at:
            reached = now
        if reached is not None and not stopped and now - reached >= SETTLE_S:
            os.kill(p.pid, signal.SIGTERM)  # not reaped yet: the pid is still this child
            stopped = True
        if now - t0 > max_s + 60:
            os.kill(p.pid, signal.SIGKILL)
        time.sleep(0.02)
    p.returncode = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
    out.seek(0)
    err.seek(0)
    return {"rc": p.returncode, "out": out.read(), "err": err.read(), "peak": usage.ru_maxrss * 1024,
            "hwm": hwm, "s": time.monotonic() - t0}


def summary(r):
    try:
        return json.loads(r["out"])
    except ValueError:
        return None


def mib(b):
    return "%.1f MiB" % (b / MiB)


def ran(what, r, json_out=True):
    ok = r["rc"] == 0 and (summary(r) is not None or not json_out)
    check("%s: exits 0" % what, ok, "exit %d: %s" % (r["rc"], r["err"][-300:]))
    return ok


# naive stages do ~50k records/s: far above capacity, and at 20M records/s every
# partition fills its batch long before --linger seals it
overload = ["--rate", "20M", "--batch", str(BATCH)]
# at 2M records/s a partition gets ~31k records/s: the default linger seals its
# batches about 60% full
partial = ["--rate", "2M", "--arrival", "steady", "--batch", str(BATCH)]
plain = not sanitizers

# --- block, drop-oldest, drop-newest: RSS within the cap plus the overhead ---
if plain:
    # a 4096-byte cap holds 126 records: batches of 64 fit it (a larger batch is refused, exit 2)
    base = run("baseline", ["--rate", "20M", "--batch", "64", "--json", "--max-backlog", "4096B",
                            "--overflow", "drop-newest"], max_s=2)
    if ran("baseline (--max-backlog 4096B) --json", base):
        print("     baseline RSS with a 4096-byte cap: %s (VmHWM)" % mib(base["hwm"]))
        check("baseline RSS is within the documented overhead (%s)" % mib(MEMCAP_OVERHEAD),
              0 < base["hwm"] <= MEMCAP_OVERHEAD, mib(base["hwm"]))
cap = 64000000 if plain else 4000000
cases = [(p, overload, p) for p in ("block", "drop-oldest", "drop-newest")]
if plain:
    cases += [(p, partial, p + " at 2M/s, part-full batches") for p in ("block", "drop-oldest", "drop-newest")]
for policy, load, name in cases:
    args = load + ["--json", "--max-backlog", "%dB" % cap, "--overflow", policy]
    r = run(policy, args, stop_at=cap) if plain else run(policy, args, max_s=6)
    if not ran("%s --json" % name, r):
        continue
    s = summary(r)
    b, by = s["backlog"], s["dropped_by"]
    check("%s: the backlog reached the cap (%s of %s)" % (name, mib(b["bytes"]), mib(cap)),
          b["bytes"] >= 0.9 * cap, json.dumps(b))
    if policy == "block":
        check("%s: drops nothing" % name, s["dropped"] == 0, json.dumps(by))
    else:
        reason = policy.replace("-", "_")
        check("%s: drops, counted as %s" % (name, reason),
              by[reason] > 0 and by[reason] == s["dropped"], json.dumps(by))
    check("%s: no safety cap" % name, not b["safety_cap_hit"] and by["safety_cap"] == 0, json.dumps(b))
    check("%s: conserves records" % name, s["conservation_ok"], "")
    if plain:
        check("%s: peak RSS %s <= cap %s + %s (%.1f s)" % (name, mib(r["peak"]), mib(cap), mib(MEMCAP_OVERHEAD),
                                                           r["s"]),
              r["peak"] <= cap + MEMCAP_OVERHEAD, "over by %s" % mib(r["peak"] - cap))

# --- grow: the safety cap from ulimit -d and ulimit -v ---
if not plain:
    print("skip grow under ulimit -d and -v, and every RSS check: sanitizers (%s)" % sanitizers)
else:
    # ulimit -d: JSON. The data size counts every thread's stack too (~8 MiB each).
    limit = 160 * MiB
    r = run("grow-data", overload + ["--json", "--overflow", "grow"], limit=(resource.RLIMIT_DATA, limit),
            stop_at=limit // 2)
    if ran("grow under ulimit -d %d --json" % (limit // 1024), r):
        s = summary(r)
        b, by = s["backlog"], s["dropped_by"]
        safety = s["knobs"]["safety_cap_bytes"]
        print("     ulimit -d %s: safety cap %s, peak RSS %s, backlog %s, dropped %d (%.1f s)" %
              (mib(limit), mib(safety), mib(r["peak"]), mib(b["bytes"]), by["safety_cap"], r["s"]))
        check("grow, ulimit -d: the safety cap is at most half the limit", 0 < safety <= limit // 2, mib(safety))
        check("grow, ulimit -d: the cap was hit and said so", b["safety_cap_hit"], json.dumps(b))
        check("grow, ulimit -d: records dropped with reason safety_cap",
              by["safety_cap"] > 0 and by["safety_cap"] == s["dropped"], json.dumps(by))
        check("grow, ulimit -d: the backlog grew to the safety cap", b["bytes"] >= 0.9 * safety, json.dumps(b))
        check("grow, ulimit -d: conserves records", s["conservation_ok"], "")
        check("grow, ulimit -d: peak RSS %s <= safety cap + %s" % (mib(r["peak"]), mib(MEMCAP_OVERHEAD)),
              r["peak"] <= safety + MEMCAP_OVERHEAD, mib(r["peak"]))
    # ulimit -v: the text summary. The address space holds ~72 MiB per thread
    # (a malloc arena and a stack) whether used or not: 576 MiB leaves room.
    limit = 576 * MiB
    r = run("grow-as", overload + ["--overflow", "grow"], limit=(resource.RLIMIT_AS, limit), stop_at=limit // 2,
            max_s=30)
    if ran("grow under ulimit -v %d" % (limit // 1024), r, json_out=False):
        m = re.search(r"safety cap (\d+)\)", r["out"])
        dropped = int(m.group(1)) if m else 0
        print("     ulimit -v %s: safety cap <= %s, peak RSS %s, dropped %d (%.1f s)" %
              (mib(limit), mib(limit // 2), mib(r["peak"]), dropped, r["s"]))
        check("grow, ulimit -v: the summary says the safety cap was hit",
              "reached the hard safety cap" in r["out"], r["out"][-400:])
        check("grow, ulimit -v: records dropped with reason safety cap", dropped > 0, r["out"][-400:])
        check("grow, ulimit -v: conserves records", "(conserved)" in r["out"], r["out"][:300])
        check("grow, ulimit -v: peak RSS %s <= half the limit + %s" % (mib(r["peak"]), mib(MEMCAP_OVERHEAD)),
              r["peak"] <= limit // 2 + MEMCAP_OVERHEAD, mib(r["peak"]))

if failures:
    print("memcap.sh: %d check(s) failed" % failures)
    sys.exit(1)
print("memcap.sh: every cap holds")
EOF
exit $?
