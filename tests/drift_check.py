#!/usr/bin/env python3
# tests/measure.sh: an independent check of summary.csv's drift columns: Kendall's tau-b between
# time order and each repetition's figure, p exact (no ties, 3<=n<=50) or
# normal with the tie-corrected variance (as R's cor.test).
import csv, sys, math, itertools
samples, reps_csv, summary_csv = sys.argv[1:4]
S = list(csv.DictReader(open(samples)))
R = list(csv.DictReader(open(reps_csv)))
M = list(csv.DictReader(open(summary_csv)))
hdr = list(S[0].keys())
labels = hdr[:hdr.index('rep')]
start = {}
for r in S:
    src = r.get('source', '')
    f = src.rsplit(':', 1)[0] if src else ''
    key = (tuple(r[l] for l in labels), f, r['rep'])
    st = int(r['start_us'])
    start[key] = min(start.get(key, st), st)
cols = {'wall':'wall_us','busy':'busy_us','op-mean':'op_mean_us','op-p50':'op_p50_us','op-p99':'op_p99_us','throughput':'throughput_Bps','op-rate':'op_rate_per_s'}
def kendall(x, y):
    n = len(x)
    c = d = tx = ty = 0
    for i in range(n):
        for j in range(i+1, n):
            a = (x[i]-x[j]); b = (y[i]-y[j])
            s = (a > 0) - (a < 0); t = (b > 0) - (b < 0)
            if s == 0: tx += 1
            if t == 0: ty += 1
            if s*t > 0: c += 1
            elif s*t < 0: d += 1
    n0 = n*(n-1)/2
    tau = (c-d)/math.sqrt((n0-tx)*(n0-ty)) if (n0-tx)*(n0-ty) > 0 else float('nan')
    if ty == 0 and tx == 0 and n <= 50:
        # exact: distribution of concordant pairs over permutations (Mahonian)
        cnt = [1]
        for k in range(2, n+1):
            new = [0]*(len(cnt)+k-1)
            for i, v in enumerate(cnt):
                for j in range(k): new[i+j] += v
            cnt = new
        tot = math.factorial(n)
        # q = concordant count; two-sided as R: min(1, 2*min(P(Q<=q), P(Q>=q)))
        q = c
        le = sum(cnt[:q+1]) / tot; ge = sum(cnt[q:]) / tot
        p = min(1.0, 2*min(le, ge))
    else:
        S_ = c - d
        # tie-corrected variance (no x ties here)
        ys = {}
        for v in y: ys[v] = ys.get(v, 0) + 1
        v0 = n*(n-1)*(2*n+5)
        vt = sum(t*(t-1)*(2*t+5) for t in ys.values())
        var = (v0 - vt)/18
        if var <= 0: return tau, float('nan')
        z = S_/math.sqrt(var)
        p = math.erfc(abs(z)/math.sqrt(2))
    return tau, p
bad = 0; rows = 0
for m in M:
    if m.get('data') != 'all' and m.get('data') is not None and m['data'] != 'all': pass
    g = tuple(m[l] for l in labels)
    col = cols[m['metric']]
    pts = []
    for r in R:
        if tuple(r[l] for l in labels) != g or r['data'] != m['data']: continue
        v = r[col]
        if v == '': continue
        pts.append((start[(g, r['file'], r['rep'])], float(v)))
    pts.sort(key=lambda t: t[0])
    if len(pts) < 3:
        want = ('', '', '')
    else:
        tau, p = kendall([i+1 for i in range(len(pts))], [v for _, v in pts])
        want = (tau, p, '' if math.isnan(p) else ('yes' if p < 0.05 else 'no'))
    got = (m['drift_tau'], m['drift_p'], m['drift'])
    rows += 1
    ok = True
    if want[0] == '':
        ok = got == ('', '', '')
    else:
        for a, b in ((want[0], got[0]), (want[1], got[1])):
            if math.isnan(a): ok &= b == ''
            else: ok &= b != '' and abs(a - float(b)) < 1e-12
        ok &= want[2] == got[2]
    if not ok:
        bad += 1; print('MISMATCH', g, m['metric'], m['data'], 'want', want, 'got', got)
print(rows, 'rows checked,', bad, 'mismatches')
