"""peers.py: the lecture's optimized Python for keepup's chain, written for
the benchmark (tests/bench/peers.sh): the csv module, a deque and running
sums per sensor, the output lines in a list and one join. What keepup does
with -H --replay FILE --optimized all -o OUT: filter on the valid range,
normalize (identity for a replayed file), the window's mean and population
standard deviation of the sensor's previous W values, the z-score, an alert
at |z| >= 4 over a full window, CSV out.
With --pandas: the same with pandas (read_csv, groupby rolling, to_csv).
Usage: python3 peers.py [--pandas] IN OUT"""
import sys

W, THRESHOLD, LO, HI = 100, 4.0, -1e9, 1e9
HEADER = "time_s,sensor,value,norm,mean,std,z,alert"


def plain(inp, outp):
    import csv
    from collections import deque
    from math import sqrt
    state = {}
    out = [HEADER]
    append = out.append
    with open(inp, newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for t, s, v in rows:
            x = float(v)
            if not LO <= x <= HI:
                continue
            st = state.get(s)
            if st is None:
                st = state[s] = [deque(), 0.0, 0.0]
            d, s1, s2 = st
            n = len(d)
            if n:
                mean = s1 / n
                var = s2 / n - mean * mean
                std = sqrt(var) if var > 0 else 0.0
            else:
                mean = std = 0.0
            z = (x - mean) / std if std > 0 else 0.0
            alert = 1 if n == W and abs(z) >= THRESHOLD else 0
            append("%s,%s,%s,%r,%r,%r,%r,%d" % (t, s, v, x, mean, std, z, alert))
            d.append(x)
            s1 += x
            s2 += x * x
            if n == W:
                y = d.popleft()
                s1 -= y
                s2 -= y * y
            st[1] = s1
            st[2] = s2
    with open(outp, "w") as o:
        o.write("\n".join(out))
        o.write("\n")


def with_pandas(inp, outp):
    import numpy as np
    import pandas as pd
    df = pd.read_csv(inp, dtype={"sensor": str})
    df = df[(df["value"] >= LO) & (df["value"] <= HI)].reset_index(drop=True)
    df["norm"] = df["value"]
    prev = df.groupby("sensor")["norm"].shift()
    roll = prev.groupby(df["sensor"]).rolling(W, min_periods=1)
    df["mean"] = roll.mean().reset_index(level=0, drop=True).fillna(0.0)
    df["std"] = roll.std(ddof=0).reset_index(level=0, drop=True).fillna(0.0)
    n = prev.notna().groupby(df["sensor"]).cumsum().clip(upper=W)
    df["z"] = np.where(df["std"] > 0, (df["norm"] - df["mean"]) / df["std"].where(df["std"] > 0, 1), 0.0)
    df["alert"] = ((n == W) & (df["z"].abs() >= THRESHOLD)).astype(int)
    df.to_csv(outp, index=False)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--pandas":
        with_pandas(args[1], args[2])
    else:
        plain(args[0], args[1])
