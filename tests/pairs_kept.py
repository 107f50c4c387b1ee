#!/usr/bin/env python3
"""Which pairs `rank --pairs-limit N` keeps in pairs.csv, recomputed from
ranks.csv and scores.csv alone (not from rank's code):

    python3 tests/pairs_kept.py FULL SUBSET N

FULL was ranked with --pairs-limit 0, SUBSET with --pairs-limit N, from
the same reps.csv.  Checks: every row of SUBSET's pairs.csv is a row of
FULL's, byte for byte; a ranking of at most N eligible configurations
keeps every pair; one of more keeps exactly the best (rank 1) against
each other eligible one, each neighbour pair in rank order, for the cell
views (internal, external) each pair differing in one factor alone of at
most 4 levels, and at most one more: the first pair of FULL's order in
that ranking with a verdict at sizes where Mann-Whitney's smallest p,
2 / C(n_a + n_b, n_a), is above alpha.  Prints what failed; exit 1 then.
"""
import csv
import math
import sys
from collections import defaultdict

FULL, SUB, LIMIT = sys.argv[1], sys.argv[2], int(sys.argv[3])
FACTOR_LEVELS = 4
failed = 0


def fail(msg):
    global failed
    failed += 1
    print('FAIL: ' + msg)


def rows(path):
    with open(path, newline='') as f:
        return list(csv.reader(f))


def key(view, wl, d, a, b):
    return (view, wl, d) + tuple(sorted((a, b)))


full_pairs = rows(FULL + '/pairs.csv')
sub_pairs = rows(SUB + '/pairs.csv')
head = full_pairs[0]
col = {h: i for i, h in enumerate(head)}
full_set = {tuple(r) for r in full_pairs[1:]}
for r in sub_pairs[1:]:
    if tuple(r) not in full_set:
        fail('a row of the subset is not a row of the full pairs.csv: %s' % r[:5])

# the rankings: eligible names by rank, from ranks.csv (cells and --by)
ranks = rows(SUB + '/ranks.csv')
rh = {h: i for i, h in enumerate(ranks[0])}
f0, f1 = rh['direction'] + 1, rh['name']
factors = ranks[0][f0:f1]
levels = defaultdict(set)
ranking = defaultdict(list)  # (view, wl, dir) -> [(rank, name, factor values)]
for r in ranks[1:]:
    if r[rh['view']] in ('internal', 'external'):
        for k, f in enumerate(factors):
            levels[f].add(r[f0 + k])
    if r[rh['view']] == 'traditional' or r[rh['eligible']] == 'no':
        continue
    ranking[(r[0], r[1], r[2])].append((int(r[rh['rank']]), r[f1], r[f0:f1]))
# the weighted scores: contenders by rank, per scope
scores = rows(SUB + '/scores.csv')
sh = {h: i for i, h in enumerate(scores[0])}
for r in scores[1:]:
    if r[sh['eligible']] == 'yes':
        ranking[('scores', r[sh['scope']], '')].append((int(r[sh['rank']]), r[sh['name']], None))

alpha = float(ranks[1][rh['alpha']])
by_ranking = defaultdict(list)
for r in sub_pairs[1:]:
    by_ranking[(r[0], r[1], r[2])].append(key(r[0], r[1], r[2], r[col['a']], r[col['b']]))
full_order = defaultdict(list)
for r in full_pairs[1:]:
    full_order[(r[0], r[1], r[2])].append(r)

subsets = witnesses = 0
for rk, ents in sorted(ranking.items()):
    ents.sort()
    names = [e[1] for e in ents]
    if [e[0] for e in ents] != list(range(1, len(ents) + 1)):
        fail('%s: the eligible ranks are not 1..%d' % (rk, len(ents)))
    got = by_ranking.get(rk, [])
    if len(got) != len(set(got)):
        fail('%s: a pair twice' % (rk,))
    ke = len(ents)
    if ke <= LIMIT:
        if len(got) != ke * (ke - 1) // 2:
            fail('%s: %d eligible, at most the limit, but %d pairs, not all %d'
                 % (rk, ke, len(got), ke * (ke - 1) // 2))
        continue
    subsets += 1
    want = set()
    for i in range(1, ke):
        want.add(key(*rk, names[0], names[i]))
        want.add(key(*rk, names[i - 1], names[i]))
    if rk[0] in ('internal', 'external'):
        for i in range(ke):
            for j in range(i + 1, ke):
                diff = [k for k in range(len(factors)) if ents[i][2][k] != ents[j][2][k]]
                if len(diff) == 1 and len(levels[factors[diff[0]]]) <= FACTOR_LEVELS:
                    want.add(key(*rk, names[i], names[j]))
    # the witness: the first of the full order with a verdict where no
    # rank test can reach alpha
    witness = None
    if rk[0] != 'scores':
        for r in full_order[rk]:
            na, nb = int(r[col['n_a']]), int(r[col['n_b']])
            if r[col['verdict']] != 'tied' and na > 0 and nb > 0 and \
                    min(1, 2 / math.comb(na + nb, na)) > alpha:
                witness = key(r[0], r[1], r[2], r[col['a']], r[col['b']])
                break
    missing = want - set(got)
    extra = set(got) - want - ({witness} if witness else set())
    if missing:
        fail('%s: %d required pairs missing, e.g. %s' % (rk, len(missing), sorted(missing)[0][3:]))
    if extra:
        fail('%s: %d pairs beyond the rule, e.g. %s' % (rk, len(extra), sorted(extra)[0][3:]))
    witnesses += witness is not None
    if witness and witness not in got:
        fail('%s: the normality witness %s is missing' % (rk, witness[3:]))
if subsets == 0:
    fail('no ranking was over the limit: nothing tested')
print('pairs_kept: %d rankings, %d over the limit of %d (%d with a normality '
      'witness); %d of %d rows kept%s'
      % (len(ranking), subsets, LIMIT, witnesses, len(sub_pairs) - 1, len(full_pairs) - 1,
         '' if not failed else '; %d failures' % failed))
sys.exit(1 if failed else 0)
