#!/usr/bin/env python3
"""Recompute pairs.csv's paired_* columns from reps.csv and inputs.csv,
independently of vmnetrank (README, "Paired by round"): a repetition's
round is its log's meta.plan_sha256 + meta.round; per configuration a
round's repetitions are averaged on the analysis scale (times, or the
reciprocals of rates); d = ln(T_a / T_b) over the common rounds; the
ratio exp(mean d) with a t interval (the t quantile by bisection on a
numerically integrated density), and the signed-rank p by enumerating
every sign pattern.  Prints "N rows checked, M mismatches".
  paired_check.py DIR [ALPHA]"""
import csv, itertools, math, sys

d = sys.argv[1]
alpha = float(sys.argv[2]) if len(sys.argv) > 2 else 0.05
COL = {"wall": ("wall_us", False), "busy": ("busy_us", False),
       "op-mean": ("op_mean_us", False), "op-p50": ("op_p50_us", False),
       "op-p99": ("op_p99_us", False), "throughput": ("throughput_Bps", True),
       "op-rate": ("op_rate_per_s", True)}

def rows(name):
    with open(f"{d}/{name}", newline="") as f:
        return list(csv.DictReader(f))

rounds = {}
for r in rows("inputs.csv"):
    meta = dict(kv.split("=", 1) for kv in r["meta"].split("; ") if "=" in kv)
    if "meta.plan_sha256" in meta and "meta.round" in meta:
        rounds[r["path"]] = meta["meta.plan_sha256"] + "/" + meta["meta.round"]
reps = rows("reps.csv")
labels = list(reps[0].keys())[: list(reps[0].keys()).index("file")]
factors = [k for k in labels if k not in ("workload", "direction")]
name_of = {}
for r in rows("ranks.csv"):
    name_of[(r["name"])] = tuple(r[f] for f in factors)

def t_quantile(p, df):
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    pdf = lambda t: c * (1 + t * t / df) ** (-(df + 1) / 2)
    def cdf(x, n=4000):
        h = x / n
        s = pdf(0) + pdf(x) + sum((4 if i % 2 else 2) * pdf(i * h) for i in range(1, n))
        return 0.5 + s * h / 3
    lo, hi = 0.0, 1000.0
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) < p else (lo, mid)
    return (lo + hi) / 2

def per_round(cfg, wl, di, col, rate):
    by = {}
    for r in reps:
        if tuple(r[f] for f in factors) != cfg or r["workload"] != wl or r["direction"] != di:
            continue
        if r[col] == "":
            continue
        if r["file"] not in rounds:
            return None
        x = 1 / float(r[col]) if rate else float(r[col])
        by.setdefault(rounds[r["file"]], []).append(x)
    return {k: sum(v) / len(v) for k, v in by.items()} or None

def close(a, b, tol=1e-6):
    if a == "" or b == "":
        return a == b
    a, b = float(a), float(b)
    return abs(a - b) <= tol * max(abs(a), abs(b), 1e-300)

checked = bad = 0
for r in rows("pairs.csv"):
    if r["view"] not in ("internal", "external") and not r["view"].startswith("by-"):
        continue
    col, rate = COL[r["metric"]]
    A = per_round(name_of[r["a"]], r["workload"], r["direction"], col, rate)
    B = per_round(name_of[r["b"]], r["workload"], r["direction"], col, rate)
    want = ["", "", "", "", ""]
    if A and B:
        common = sorted(set(A) & set(B))
        dv = [math.log(A[k] / B[k]) for k in common]
        n = len(dv)
        want[0] = str(n) if n else ""
        if n >= 2:
            m = sum(dv) / n
            sd = math.sqrt(sum((x - m) ** 2 for x in dv) / (n - 1))
            h = t_quantile(1 - alpha / 2, n - 1) * sd / math.sqrt(n)
            ratio, lo, hi = math.exp(m), math.exp(m - h), math.exp(m + h)
            if rate:
                ratio, lo, hi = 1 / ratio, 1 / hi, 1 / lo
            nz = [x for x in dv if x != 0]
            a = sorted(abs(x) for x in nz)
            rank = {v: (a.index(v) + 1 + len(a) - a[::-1].index(v)) / 2 for v in a}
            obs = sum(rank[abs(x)] for x in nz if x > 0)
            lo_c = hi_c = 0
            for signs in itertools.product((0, 1), repeat=len(nz)):
                s = sum(rank[abs(x)] for x, g in zip(nz, signs) if g)
                lo_c += s <= obs + 1e-9
                hi_c += s >= obs - 1e-9
            p = min(1, 2 * min(lo_c, hi_c) / 2 ** len(nz)) if nz else ""
            want[1:] = [repr(ratio), repr(lo), repr(hi), repr(p) if p != "" else ""]
    got = [r["paired_n"], r["paired_ratio"], r["paired_ci_lo"], r["paired_ci_hi"], r["paired_p"]]
    checked += 1
    ok = got[0] == want[0] and all(close(g, w) for g, w in zip(got[1:], want[1:]))
    if not ok:
        bad += 1
        print("mismatch:", r["view"], r["workload"], r["direction"], r["a"], r["b"], got, want)
print(f"{checked} rows checked, {bad} mismatches")
