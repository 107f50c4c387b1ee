/* Weighted scores: how the ranking moves with the internal share
 * (sensitivity.csv: crossovers, intervals, the winner), and the what-if
 * table of rank --shares. */
#include "rank_int.h"
#include "score_int.h"
#include "kernel.h"
#include "../lib/diag.h"
#include "../lib/verdict.h"
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the test says at shares P (or the COMMON share): the best point
 * estimate among the contenders, alone when it beats every other one, else
 * with every one it is not proven better than: "a" or "a = b = c", into
 * BUF (malloc'd; NULL when out of memory). */
char *score_tested_top(const struct scorer *S, size_t scope, const double *p,
			double common, double alpha, char *const *names,
			const char *sep, size_t *count)
{
	size_t nce = S->nce, top = 0, len = 0;
	unsigned char *beats = calloc(nce * nce + 1, 1);
	struct vcomp *tmp = malloc((2 * S->nwl + 2) * sizeof *tmp);
	double best = INFINITY;
	char *out = NULL;

	if (!beats || !tmp)
		goto done;
	for (size_t c = 0; c < nce; c++) {
		size_t k = 0;
		double v = score_ln_score(S, scope, c, p, common, tmp, &k);

		if (v < best) {
			best = v;
			top = c;
		}
	}
	/* only the top's row of verdicts is wanted */
	if (score_test_scores(S, scope, p, common, alpha, top, beats, NULL) != 0)
		goto done;
	/* the top first, then those it is not proven better than */
	for (size_t i = 0; i <= nce; i++) {
		size_t c = i == 0 ? top : i - 1;
		const char *nm = names[S->cfg[c]];
		char *nb;

		if (i > 0 && (c == top || beats[top * nce + c]))
			continue;
		nb = realloc(out, len + strlen(nm) + strlen(sep) + 1);
		if (!nb) {
			free(out);
			out = NULL;
			goto done;
		}
		out = nb;
		len += (size_t)sprintf(out + len, "%s%s", len ? sep : "", nm);
		if (count)
			++*count;
	}
done:
	free(beats);
	free(tmp);
	return out;
}

static double value_at(const struct scorer *S, size_t scope, size_t c,
		       double p, const double *means)
{
	if (scope < S->nwl)
		return score_expected(p, means[S->ein[c * S->nwl + scope]],
				means[S->eex[c * S->nwl + scope]]);
	return score_overall(S, c, NULL, p, means);
}

struct brent_args {
	const struct scorer *S;
	size_t a, b;
	const double *means;
};

/* ln S_a(p) - ln S_b(p) for the overall score (the reference cancels). */
static double overall_diff(double p, void *arg)
{
	const struct brent_args *x = arg;

	return log(value_at(x->S, x->S->nwl, x->a, p, x->means)) -
	       log(value_at(x->S, x->S->nwl, x->b, p, x->means));
}

struct crossing {
	double p;
	size_t a, b;
};

static int cmp_crossing(const void *x, const void *y)
{
	const struct crossing *a = x, *b = y;

	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return (a->b > b->b) - (a->b < b->b);
}

static size_t winner_at(const struct scorer *S, size_t scope, double p,
			const double *means)
{
	size_t best = 0;
	double bv = INFINITY;

	for (size_t c = 0; c < S->nce; c++) {
		double v = value_at(S, scope, c, p, means);

		if (v < bv) {
			bv = v;
			best = c;
		}
	}
	return best;
}

/* A configuration's value at a share, for sorting (ties by index, as
 * the output must not depend on qsort). */
struct ranked {
	double v;
	size_t c;
};

static int cmp_ranked(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;

	if (a->v != b->v)
		return a->v < b->v ? -1 : 1;
	return (a->c > b->c) - (a->c < b->c);
}

/* A stretch of shares over which one configuration's point estimate is
 * best. */
struct stretch {
	double lo, hi;
	size_t lead;
};

/* Every pair's crossovers in [0, 1], into *OUT (malloc'd, sorted): per
 * workload exact; overall found on a 0.01 grid of each configuration's ln
 * score (computed once) and refined with Brent's method. */
static int crossings(const struct scorer *S, size_t scope, const double *means,
		     struct crossing **out, size_t *count)
{
	size_t nc = S->nce, n = 0, cap = 64;
	struct crossing *x = malloc(cap * sizeof *x);
	double *g = scope < S->nwl ? NULL : malloc((nc + 1) * 101 * sizeof *g);
	gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	int rc = -1;

	if (!x || !solver || (scope == S->nwl && !g))
		goto done;
	for (size_t c = 0; g && c < nc; c++)
		for (int k = 0; k <= 100; k++)
			g[c * 101 + (size_t)k] =
				log(value_at(S, S->nwl, c, k / 100.0, means));
	for (size_t a = 0; a < nc; a++)
		for (size_t b = a + 1; b < nc; b++) {
			double roots[128];
			size_t nr = 0;

			if (scope < S->nwl) {
				double p;
				size_t j = scope;

				if (kern_crossover(means[S->ein[a * S->nwl + j]],
						   means[S->eex[a * S->nwl + j]],
						   means[S->ein[b * S->nwl + j]],
						   means[S->eex[b * S->nwl + j]],
						   &p) == 0)
					roots[nr++] = p;
			} else {
				struct brent_args args = { S, a, b, means };
				gsl_function F = { overall_diff, &args };
				const double *ga = g + a * 101, *gb = g + b * 101;
				double prev = ga[0] - gb[0];

				if (prev == 0)
					roots[nr++] = 0;
				for (int k = 1; k <= 100 && nr < 128; k++) {
					double lo = (k - 1) / 100.0, hi = k / 100.0;
					double cur = ga[k] - gb[k];

					if (cur == 0) {
						roots[nr++] = hi;
					} else if (prev != 0 &&
						   (prev < 0) != (cur < 0)) {
						double r = lo;

						gsl_root_fsolver_set(solver, &F, lo, hi);
						for (int it = 0; it < 100; it++) {
							gsl_root_fsolver_iterate(solver);
							r = gsl_root_fsolver_root(solver);
							if (gsl_root_test_interval(
								    gsl_root_fsolver_x_lower(solver),
								    gsl_root_fsolver_x_upper(solver),
								    0, 1e-12) == GSL_SUCCESS)
								break;
						}
						roots[nr++] = r;
					}
					prev = cur;
				}
			}
			for (size_t r = 0; r < nr; r++) {
				if (n == cap) {
					struct crossing *nx =
						realloc(x, (cap *= 2) * sizeof *nx);

					if (!nx)
						goto done;
					x = nx;
				}
				x[n++] = (struct crossing){ roots[r], a, b };
			}
		}
	qsort(x, n, sizeof *x, cmp_crossing);
	*out = x;
	*count = n;
	x = NULL;
	rc = 0;
done:
	free(x);
	free(g);
	if (solver)
		gsl_root_fsolver_free(solver);
	return rc;
}

/* The stretches of [0, 1] with one leader, from the sorted crossovers X:
 * the leader can change only where a line crosses its own, so it is
 * found again (O(configurations)) only after such a crossover, which
 * keeps the walk linear in the crossovers.  Crossovers closer than 1e-12
 * are one boundary.  Into *OUT (malloc'd). */
static int stretches(const struct scorer *S, size_t scope, const double *means,
		     const struct crossing *x, size_t n, struct stretch **out,
		     size_t *count)
{
	size_t ns = 0, lead = SIZE_MAX;
	struct stretch *st = malloc((n + 2) * sizeof *st);
	double lo = 0, slo = 0;
	int touched = 1;

	if (!st)
		return -1;
	for (size_t i = 0; i <= n; i++) {
		double hi = i < n ? x[i].p : 1;

		if (i < n && hi - lo < 1e-12) {
			touched |= x[i].a == lead || x[i].b == lead;
			continue;
		}
		if (touched) {
			size_t now = winner_at(S, scope, (lo + hi) / 2, means);

			if (lead != SIZE_MAX && now != lead) {
				st[ns++] = (struct stretch){ slo, lo, lead };
				slo = lo;
			}
			lead = now;
			touched = 0;
		}
		if (i < n)
			touched |= x[i].a == lead || x[i].b == lead;
		lo = hi;
	}
	st[ns++] = (struct stretch){ slo, 1, lead };
	*out = st;
	*count = ns;
	return 0;
}

int score_sensitivity(const struct scorer *S, size_t scope,
		       char *const *names, const double *means, double alpha,
		       struct csvout *out)
{
	size_t nc = S->nce, n = 0, ns = 0;
	struct crossing *x = NULL;
	struct stretch *st = NULL;
	struct ranked *order = malloc((nc + 1) * sizeof *order);
	double *sh = malloc((S->nwl + 1) * sizeof *sh);
	const char *scope_name = scope < S->nwl ? S->wl[scope] : "overall";
	int rc = -1;

	if (!order || !sh || crossings(S, scope, means, &x, &n) != 0 ||
	    stretches(S, scope, means, x, n, &st, &ns) != 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		csvout_cstr(out, scope_name);
		csvout_cstr(out, "crossover");
		score_num(out, x[i].p);
		score_num(out, x[i].p);
		csvout_cstr(out, names[S->cfg[x[i].a]]);
		csvout_cstr(out, names[S->cfg[x[i].b]]);
		csvout_cstr(out, "");
		csvout_cstr(out, "");
		csvout_endrow(out);
	}
	/* each stretch: its leader, the ranking and the test at its middle
	 * (one workload's share, or one share common to every workload) */
	for (size_t s = 0; s < ns; s++) {
		double mid = (st[s].lo + st[s].hi) / 2;
		char *rk = NULL, *top;
		size_t len = 0;

		for (size_t c = 0; c < nc; c++)
			order[c] = (struct ranked){ value_at(S, scope, c, mid, means), c };
		qsort(order, nc, sizeof *order, cmp_ranked);
		for (size_t c = 0; c < nc; c++) {
			const char *nm = names[S->cfg[order[c].c]];
			char *nr = realloc(rk, len + strlen(nm) + 4);

			if (!nr) {
				free(rk);
				rk = NULL;
				break;
			}
			rk = nr;
			len += (size_t)sprintf(rk + len, "%s%s", c ? " < " : "", nm);
		}
		memcpy(sh, S->w->share, S->nwl * sizeof *sh);
		if (scope < S->nwl)
			sh[scope] = mid;
		top = score_tested_top(S, scope, scope < S->nwl ? sh : NULL, mid,
				       alpha, names, " = ", NULL);
		csvout_cstr(out, scope_name);
		csvout_cstr(out, "interval");
		score_num(out, st[s].lo);
		score_num(out, st[s].hi);
		csvout_cstr(out, names[S->cfg[st[s].lead]]);
		csvout_cstr(out, "");
		csvout_cstr(out, rk ? rk : "");
		csvout_cstr(out, top ? top : "");
		csvout_endrow(out);
		free(top);
		free(rk);
	}
	if (scope == S->nwl) {
		/* overall: at the weights file's share of each workload,
		 * tested; no single share moves then (the sweep above is of a
		 * common one) */
		size_t best = 0;
		double bv = INFINITY;
		char *top = score_tested_top(S, scope, S->w->share, 0, alpha, names,
					     " = ", NULL);

		for (size_t c = 0; c < nc; c++) {
			double v = score_overall(S, c, S->w->share, 0, means);

			if (v < bv) {
				bv = v;
				best = c;
			}
		}
		csvout_cstr(out, scope_name);
		csvout_cstr(out, "winner");
		csvout_empty(out);
		csvout_empty(out);
		csvout_cstr(out, names[S->cfg[best]]);
		csvout_cstr(out, "");
		csvout_cstr(out, "at the share of each workload");
		csvout_cstr(out, top ? top : "");
		csvout_endrow(out);
		free(top);
	} else {
		/* the smallest change of the internal share that changes the
		 * best point estimate: the nearest end of a stretch beyond
		 * which another leads (the lower share on a tie) */
		double user = S->w->share[scope], best = INFINITY, at = NAN;
		char *top = score_tested_top(S, scope, S->w->share, 0, alpha, names,
					     " = ", NULL);
		size_t w0 = winner_at(S, scope, user, means), w1 = w0;
		char detail[64];

		for (size_t s = 1; s < ns; s++) {
			double q = st[s].lo;
			size_t far = q > user ? st[s].lead : st[s - 1].lead;

			if (far != w0 && fabs(q - user) < best) {
				best = fabs(q - user);
				at = q;
				w1 = far;
			}
		}
		csvout_cstr(out, scope_name);
		csvout_cstr(out, "winner");
		score_num(out, user);
		score_num(out, at);
		csvout_cstr(out, names[S->cfg[w0]]);
		csvout_cstr(out, w1 != w0 ? names[S->cfg[w1]] : "");
		if (w1 != w0)
			snprintf(detail, sizeof detail, "%+.6g", at - user);
		else
			snprintf(detail, sizeof detail, "no change in [0, 1]");
		csvout_cstr(out, detail);
		csvout_cstr(out, top ? top : "");
		csvout_endrow(out);
		free(top);
	}
	rc = 0;
done:
	free(x);
	free(st);
	free(order);
	free(sh);
	return rc;
}
