#!/usr/bin/env python3
"""summary.csv's lag1_r recomputed from samples.csv, independently:

    python3 tests/lag1_check.py SAMPLES.csv SUMMARY.csv

stats-spec.md's pooled lag-1 autocorrelation of a group: each
repetition's successful durations in start order (input order among equal
starts), centred on that repetition's mean; the sums of a(i) * a(i+1) and
of a(i)^2 over every repetition of 3 or more, divided.  Here every sum is
math.fsum's (correctly rounded), so the figure is within a few units in
the last place of the exact one; vmnetrank's must agree within 1e-12
(relative) on every "all" row.  Prints the failures and a summary line.
"""
import csv
import math
import sys
from collections import defaultdict

SAMPLES, SUMMARY = sys.argv[1], sys.argv[2]
NOT_LABELS = {'rep', 'seq', 'start_us', 'end_us', 'duration_us', 'bytes',
              'status', 'source', 'start_res_us', 'server_us'}

with open(SAMPLES, newline='') as f:
    r = csv.reader(f)
    h = next(r)
    ix = {c: i for i, c in enumerate(h)}
    keys = [c for c in h if c not in NOT_LABELS]
    reps = defaultdict(list)
    for n, row in enumerate(r):
        if row[ix['status']] not in ('', 'ok'):
            continue
        src = row[ix['source']].rsplit(':', 1)[0]
        g = tuple(row[ix[k]] for k in keys)
        s, e = int(row[ix['start_us']]), int(row[ix['end_us']])
        reps[(g, src, int(row[ix['rep']]))].append((s, n, float(e - s)))

num = defaultdict(list)
den = defaultdict(list)
for (g, _, _), ops in reps.items():
    if len(ops) < 3:
        continue
    ops.sort()
    x = [d for _, _, d in ops]
    m = math.fsum(x) / len(x)
    a = [v - m for v in x]
    den[g].append(math.fsum(v * v for v in a))
    num[g].append(math.fsum(a[i] * a[i + 1] for i in range(len(a) - 1)))

failed = checked = 0
with open(SUMMARY, newline='') as f:
    r = csv.reader(f)
    h = next(r)
    ix = {c: i for i, c in enumerate(h)}
    for row in r:
        if row[ix['data']] != 'all':
            continue
        g = tuple(row[ix[k]] for k in keys)
        d = math.fsum(den[g])
        want = math.fsum(num[g]) / d if d > 0 else None
        got = row[ix['lag1_r']]
        checked += 1
        ok = (want is None and got == '') or (
            want is not None and got != '' and
            abs(float(got) - want) <= 1e-12 * max(abs(want), 1e-300))
        if not ok:
            failed += 1
            if failed <= 10:
                print('FAIL: %s %s: lag1_r %s, recomputed %r' %
                      (' '.join(g), row[ix['metric']], got, want))
print('lag1_r: %d rows checked against fsum, %d failed' % (checked, failed))
sys.exit(1 if failed else 0)
