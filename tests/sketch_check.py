#!/usr/bin/env python3
"""stats --exact-ops N against exact stats of the same samples:

    python3 tests/sketch_check.py EXACT_DIR HIST_DIR

EXACT_DIR's summary.csv, reps.csv and hist.csv are of `stats
--exact-ops 0` (every duration kept), HIST_DIR's of a small --exact-ops.
Checks, row by row: reps.csv is the same file (repetition figures are
exact either way); in summary.csv every column is the same but for
op_p50, op_p90, op_p99 and op_p999, which lie within 1/512 of the exact
ones (op_mean and op_max exact), and op_quantiles, which says which
(`exact`, `histogram (within 1/512)`) as the group's size decides; per
group hist.csv counts every successful operation once, its bins end at
the group's p99.9 and its tail bin at the exact maximum; its first bin starts at the exact
minimum.  Prints the failures and a summary line.
"""
import sys
from collections import defaultdict

from csvcheck import Failures, table

EXACT, HIST = sys.argv[1], sys.argv[2]
REL = 1 / 512
fail = Failures()


if open(EXACT + '/reps.csv', 'rb').read() != open(HIST + '/reps.csv', 'rb').read():
    fail('reps.csv differs')
he, re_ = table(EXACT + '/summary.csv')
hh, rh = table(HIST + '/summary.csv')
if he != hh or len(re_) != len(rh):
    fail('summary.csv: other columns or rows')
col = {h: i for i, h in enumerate(hh)}
approx_cols = [col[c] for c in ('op_p50', 'op_p90', 'op_p99', 'op_p999')]
nkeys = col['metric']
hist_groups = 0
for a, b in zip(re_, rh):
    kind = b[col['op_quantiles']]
    if a[col['op_quantiles']] != 'exact':
        fail('the exact run says %s' % a[col['op_quantiles']])
    if kind not in ('exact', 'histogram (within 1/512)'):
        fail('op_quantiles: %r' % kind)
    hist_groups += kind != 'exact' and b[nkeys] == 'wall'
    for i, (x, y) in enumerate(zip(a, b)):
        if i == col['op_quantiles']:
            continue
        if i in approx_cols and kind != 'exact':
            if x == '' or y == '' or abs(float(y) - float(x)) > float(x) * REL * (1 + 1e-9):
                fail('%s %s: %s vs exact %s, beyond 1/512' % (b[:nkeys], hh[i], y, x))
        elif x != y:
            fail('%s %s: %s vs exact %s' % (b[:nkeys], hh[i], y, x))

# hist.csv: per group, every successful operation once
hs, rs = table(HIST + '/hist.csv')
hcol = {h: i for i, h in enumerate(hs)}
ng = hcol['bin']
bins = defaultdict(list)
for r in rs:
    bins[tuple(r[:ng])].append(r)
# the bins start at the exact minimum, as the exact run's do
_, re2 = table(EXACT + '/hist.csv')
first_lo = {}
for r in re2:
    if r[hcol['bin']] == '1':
        first_lo[tuple(r[:ng])] = r[hcol['lo_us']]
for g, rows in bins.items():
    if rows[0][hcol['lo_us']] != first_lo.get(g):
        fail('%s: the first bin starts at %s, the exact minimum is %s' % (g, rows[0][hcol['lo_us']], first_lo.get(g)))
exact_row = {}
for r in rh:
    if r[nkeys] == 'wall' and r[col['data']] == 'all':
        exact_row[tuple(r[:nkeys])] = r
for g, rows in bins.items():
    s = exact_row.get(g)
    if s is None:
        fail('hist.csv group %s has no summary row' % (g,))
        continue
    ok = int(s[col['n_ops']]) - int(s[col['failed_ops']])
    n = sum(int(r[hcol['count']]) for r in rows)
    if n != ok:
        fail('%s: hist.csv counts %d operations, summary %d successful' % (g, n, ok))
    last = rows[-1]
    if last[hcol['rule']] == 'above p99.9':
        if float(last[hcol['hi_us']]) != float(s[col['op_max']]):
            fail('%s: the tail bin ends at %s, not the maximum %s' % (g, last[hcol['hi_us']], s[col['op_max']]))
        edge = float(rows[-2][hcol['hi_us']]) if len(rows) > 1 else None
    else:
        edge = float(last[hcol['hi_us']])
    if edge is not None and not abs(edge - float(s[col['op_p999']])) <= float(s[col['op_p999']]) * 1e-9 + 1:
        fail('%s: the bins end at %s, not at p99.9 %s' % (g, edge, s[col['op_p999']]))
print('sketch_check: %d summary rows, %d groups from the histogram, %d hist.csv groups%s'
      % (len(rh), hist_groups, len(bins), '' if not fail.n else '; %d failures' % fail.n))
sys.exit(1 if fail.n else 0)
