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

int score_sensitivity(const struct scorer *S, size_t scope,
		       char *const *names, const double *means, double alpha,
		       struct csvout *out)
{
	size_t nc = S->nce, n = 0, cap = 64;
	struct crossing *x = malloc(cap * sizeof *x);
	const char *scope_name = scope < S->nwl ? S->wl[scope] : "overall";
	double user;
	gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);

	if (!x || !solver) {
		free(x);
		if (solver)
			gsl_root_fsolver_free(solver);
		return -1;
	}
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
				/* a 0.01 grid for sign changes, refined by
				 * Brent's method */
				struct brent_args args = { S, a, b, means };
				gsl_function F = { overall_diff, &args };
				double prev = overall_diff(0, &args);

				if (prev == 0)
					roots[nr++] = 0;
				for (int k = 1; k <= 100 && nr < 128; k++) {
					double lo = (k - 1) / 100.0, hi = k / 100.0;
					double cur = overall_diff(hi, &args);

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

					if (!nx) {
						free(x);
						gsl_root_fsolver_free(solver);
						return -1;
					}
					x = nx;
				}
				x[n++] = (struct crossing){ roots[r], a, b };
			}
		}
	gsl_root_fsolver_free(solver);
	qsort(x, n, sizeof *x, cmp_crossing);
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
	/* between consecutive crossovers the ranking does not change */
	{
		double lo = 0;
		size_t *order = malloc(nc * sizeof *order);
		double *v = malloc(nc * sizeof *v);

		if (!order || !v) {
			free(order);
			free(v);
			free(x);
			return -1;
		}
		for (size_t i = 0; i <= n; i++) {
			double hi = i < n ? x[i].p : 1;
			double mid;
			char *rk = NULL;
			size_t len = 0;

			if (i < n && hi - lo < 1e-12)
				continue;
			mid = (lo + hi) / 2;
			for (size_t c = 0; c < nc; c++) {
				order[c] = c;
				v[c] = value_at(S, scope, c, mid, means);
			}
			for (size_t a = 1; a < nc; a++) /* insertion sort */
				for (size_t b = a; b > 0 && v[order[b - 1]] > v[order[b]]; b--) {
					size_t t = order[b];

					order[b] = order[b - 1];
					order[b - 1] = t;
				}
			for (size_t c = 0; c < nc; c++) {
				const char *nm = names[S->cfg[order[c]]];
				char *nr = realloc(rk, len + strlen(nm) + 4);

				if (!nr) {
					free(rk);
					rk = NULL;
					break;
				}
				rk = nr;
				len += (size_t)sprintf(rk + len, "%s%s",
						       c ? " < " : "", nm);
			}
			{
				double *sh = malloc((S->nwl + 1) * sizeof *sh);
				char *top = NULL;

				/* tested at the interval's middle: one workload's
				 * share, or one share common to every workload */
				if (sh) {
					memcpy(sh, S->w->share, S->nwl * sizeof *sh);
					if (scope < S->nwl)
						sh[scope] = mid;
					top = score_tested_top(S, scope, scope < S->nwl ? sh : NULL,
							 mid, alpha, names, " = ", NULL);
				}
				csvout_cstr(out, scope_name);
				csvout_cstr(out, "interval");
				score_num(out, lo);
				score_num(out, hi);
				csvout_cstr(out, names[S->cfg[order[0]]]);
				csvout_cstr(out, "");
				csvout_cstr(out, rk ? rk : "");
				csvout_cstr(out, top ? top : "");
				csvout_endrow(out);
				free(top);
				free(sh);
			}
			free(rk);
			lo = hi;
		}
		free(order);
		free(v);
	}
	/* overall: at the weights file's share of each workload, tested; no
	 * single share moves then (the sweep above is of a common one) */
	if (scope == S->nwl) {
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
		free(x);
		return 0;
	}
	/* the smallest change of the internal share that changes the best
	 * point estimate */
	user = S->w->share[scope];
	{
		char *top = score_tested_top(S, scope, S->w->share, 0, alpha, names,
				       " = ", NULL);
		size_t w0 = winner_at(S, scope, user, means), w1 = w0;
		double best = INFINITY, at = NAN;
		char detail[64];

		for (size_t i = 0; i < n; i++) {
			double p = x[i].p, eps = 1e-9;
			double side = p > user ? p + eps : p - eps;
			size_t w;

			if (side < 0 || side > 1)
				continue;
			w = winner_at(S, scope, side, means);
			if (w != w0 && fabs(p - user) < best) {
				best = fabs(p - user);
				at = p;
				w1 = w;
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
	free(x);
	return 0;
}
