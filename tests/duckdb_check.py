#!/usr/bin/env python3
"""DuckDB's repetition rows (contrib/duckdb/reps.sql) against vmnetrank's
reps.csv of the same logs:

    python3 tests/duckdb_check.py DUCKDB.csv REPS.csv

Rows are matched by their labels, file and rep; every repetition must be
in both, with the same ops, failed_ops, wall_us, busy_us and bytes (whole
numbers, exactly) and op_mean_us, op_p50_us, op_p99_us within 1e-12
relative (two engines' floating point, the same formulas). Prints one
line: how many repetitions agree; exit 1 on any difference.
"""
import csv
import sys

INTS = ('ops', 'failed_ops', 'wall_us', 'busy_us', 'bytes')
FLOATS = ('op_mean_us', 'op_p50_us', 'op_p99_us')


def rows(path):
    with open(path, newline='') as f:
        r = csv.reader(f)
        head = next(r)
        return head, [dict(zip(head, x)) for x in r]


dh, drows = rows(sys.argv[1])
vh, vrows = rows(sys.argv[2])
labels = vh[:vh.index('file')]
key = lambda r: tuple(r[c] for c in labels) + (r['file'], r['rep'])
vm = {key(r): r for r in vrows if r.get('data', 'all') == 'all'}
dk = {key(r): r for r in drows}
bad = []
differ = 0
for k in sorted(set(vm) | set(dk)):
    a, b = dk.get(k), vm.get(k)
    if a is None or b is None:
        bad.append('%s only in %s' % (k, 'reps.csv' if a is None else 'DuckDB'))
        continue
    before = len(bad)
    for c in INTS:
        if a[c] != b[c]:
            bad.append('%s %s: DuckDB %s, vmnetrank %s' % (k, c, a[c], b[c]))
    for c in FLOATS:
        x, y = float(a[c]), float(b[c])
        if abs(x - y) > 1e-12 * max(abs(x), abs(y)):
            bad.append('%s %s: DuckDB %r, vmnetrank %r' % (k, c, x, y))
    differ += len(bad) > before
for m in bad[:10]:
    print('FAIL: ' + m)
print('duckdb_check: %d repetitions, %d in both agree on %d columns%s'
      % (len(vm), len(set(vm) & set(dk)) - differ,
         len(INTS) + len(FLOATS), '' if not bad else '; %d differences' % len(bad)))
sys.exit(1 if bad else 0)
