#!/usr/bin/env python3
"""stats on repetition rows against stats on the operations they came from:

    python3 tests/reps_rows_check.py [--rel R] OPS_DIR ROWS_DIR

OPS_DIR holds the summary.csv and reps.csv of `stats` over the logs (or
their samples.csv); ROWS_DIR those of `stats REPS.csv`, where REPS.csv is
repetition rows of the same logs (our reps.csv, or DuckDB's from
contrib/duckdb/reps.sql).  Checks, row by row in the same order:
every repetition-level column of summary.csv (counts, mean, sd, cv, the
intervals, median and its interval, quartiles, mad, outliers, confidence,
note, drift) is the same text; the operation-level ones (op_mean ... op_max,
s1_sq, s2_sq, t2_sq, lag1_r, lag1_flag, warmup_ops) are empty, steady is
n/a, op_quantiles says "none (repetition rows)", every repetition counts as
reps_steady_na; reps.csv's figures are the same text but for warmup_ops
and steady (unknown: empty, n/a).  With --rel R, numbers may differ by R
relative in the op-p50 and op-p99 rows and columns (another engine's
floating-point quantiles); drift_tau and drift_p may then differ too, as
a tie between two repetitions may break either way.  Prints the failures
and a summary line; exit 1 on any.
"""
import sys

from csvcheck import Failures, table

args = sys.argv[1:]
rel = 0.0
if args[:1] == ['--rel']:
    rel = float(args[1])
    args = args[2:]
OPS, ROWS = args
OP_COLS = ('op_mean', 'op_p50', 'op_p90', 'op_p99', 'op_p999', 'op_max',
           's1_sq', 's2_sq', 't2_sq', 'lag1_r', 'lag1_flag', 'warmup_ops')
FLOAT_METRICS = ('op-p50', 'op-p99')
fail = Failures()


def near(x, y):
    if x == y:
        return True
    try:
        a, b = float(x), float(y)
    except ValueError:
        return False
    return abs(a - b) <= rel * max(abs(a), abs(b))


ho, ro = table(OPS + '/summary.csv')
hr, rr = table(ROWS + '/summary.csv')
if ho != hr or len(ro) != len(rr):
    fail('summary.csv: other columns or rows (%d vs %d)' % (len(ro), len(rr)))
col = {h: i for i, h in enumerate(hr)}
for a, b in zip(ro, rr):
    where = '%s %s' % (' '.join(b[:col['metric']]), b[col['metric']])
    loose = rel > 0 and b[col['metric']] in FLOAT_METRICS
    for name, i in col.items():
        x, y = a[i], b[i]
        if name in OP_COLS:
            if y != '':
                fail('%s: %s is %r, expected empty' % (where, name, y))
        elif name == 'steady':
            if y != 'n/a':
                fail('%s: steady %r' % (where, y))
        elif name == 'op_quantiles':
            if y != 'none (repetition rows)':
                fail('%s: op_quantiles %r' % (where, y))
        elif name == 'reps_unsteady':
            if y != '0':
                fail('%s: reps_unsteady %r' % (where, y))
        elif name == 'reps_steady_na':
            if y != b[col['reps']]:
                fail('%s: reps_steady_na %r of %s' % (where, y, b[col['reps']]))
        elif loose and name in ('drift_tau', 'drift_p', 'drift'):
            pass
        elif x != y and not (loose and near(x, y)):
            fail('%s: %s %r, from the operations %r' % (where, name, y, x))

nsummary = len(rr)
ho, ro = table(OPS + '/reps.csv')
hr, rr = table(ROWS + '/reps.csv')
if ho != hr or len(ro) != len(rr):
    fail('reps.csv: other columns or rows (%d vs %d)' % (len(ro), len(rr)))
col = {h: i for i, h in enumerate(hr)}
for a, b in zip(ro, rr):
    where = '%s rep %s' % (b[col['file']], b[col['rep']])
    for name, i in col.items():
        x, y = a[i], b[i]
        if name == 'warmup_ops':
            ok = y == ''
        elif name == 'steady':
            ok = y == 'n/a'
        elif name == 'outliers' and rel > 0:
            ok = True  # a flag at a quartile's edge may move with it
        elif rel > 0 and name in ('op_p50_us', 'op_p99_us'):
            ok = near(x, y)
        else:
            ok = x == y
        if not ok:
            fail('%s: %s %r, from the operations %r' % (where, name, y, x))
print('reps_rows_check: %d summary rows, %d repetitions%s'
      % (nsummary, len(rr), '' if not fail.n else '; %d failures' % fail.n))
sys.exit(1 if fail.n else 0)
