/*
 * Weighted scores (stats-spec.md, "Weighted scores"): per workload the
 * expected time E_c(p) = p T_int + (1-p) T_ext at the user's internal
 * share p; across workloads the weighted geometric mean of E relative to a
 * reference configuration, G_c = exp(sum_j w_j ln(E_cj / E_rj)), or with
 * usage counts the total time sum_j N_j E_cj.  Each with an interval and
 * pairwise tests from the delta method on ln score with Welch-Satterthwaite
 * degrees of freedom (valid at three repetitions: make validate), a rank
 * with ties, and the sensitivity of the ranking to the internal share.
 */
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



void score_num(struct csvout *w, double v)
{
	csvout_double(w, v);
}

/* E of scored config c in workload j at share p, from means MI, ME. */
double score_expected(double p, double ti, double te)
{
	return p * ti + (1 - p) * te;
}

/* The overall score of scored config c with internal shares P (NULL: the
 * user's) from the means in MEANS (indexed by entry). */
double score_overall(const struct scorer *S, size_t c, const double *p,
		      double common, const double *means)
{
	double acc = 0;

	for (size_t j = 0; j < S->nwl; j++) {
		double share = p ? p[j] : common;
		double e = score_expected(share, means[S->ein[c * S->nwl + j]],
				    means[S->eex[c * S->nwl + j]]);

		if (S->w->counts) {
			acc += S->w->weight[j] * e;
		} else {
			double er = score_expected(share, means[S->ein[S->ref * S->nwl + j]],
					     means[S->eex[S->ref * S->nwl + j]]);

			acc += S->w->weight[j] * log(e / er);
		}
	}
	return S->w->counts ? acc : exp(acc);
}

/* A workload's scores of rate metrics are shown as rates: the weighted
 * harmonic mean 1 / E of the rates, E being the weighted mean of their
 * reciprocals. */
static int scope_rate(const struct scorer *S, size_t scope)
{
	return scope < S->nwl &&
	       metrics[S->d->cells[S->cin[scope]].metric].higher;
}


/* The components of ln of the score of configuration C at shares P (or the
 * COMMON share when P is NULL) into OUT (2 per workload), and that ln.
 * Geometric overall scores leave the reference out: it cancels in every
 * comparison. */
double score_ln_score(const struct scorer *S, size_t scope, size_t c,
		       const double *p, double common, struct vcomp *out,
		       size_t *k)
{
	const struct data *d = S->d;
	size_t j0 = scope < S->nwl ? scope : 0, j1 = scope < S->nwl ? scope + 1 : S->nwl;
	double e[64], total = 0, acc = 0;

	for (size_t j = j0; j < j1; j++) {
		double share = p ? p[j] : common;
		const struct entry *ei = &d->e[S->ein[c * S->nwl + j]];
		const struct entry *ee = &d->e[S->eex[c * S->nwl + j]];

		e[j - j0] = score_expected(share, ei->mean, ee->mean);
		total += S->w->weight[j] * e[j - j0];
	}
	for (size_t j = j0; j < j1; j++) {
		double share = p ? p[j] : common;
		const struct entry *cell[2] = { &d->e[S->ein[c * S->nwl + j]],
						&d->e[S->eex[c * S->nwl + j]] };
		double coef[2] = { share, 1 - share };
		/* the coefficient of a cell's mean, over the score it is in */
		double wj = scope < S->nwl ? 1 : S->w->weight[j];
		double denom = scope < S->nwl || !S->w->counts ? e[j - j0] : total;

		for (int x = 0; x < 2; x++) {
			const struct entry *en = cell[x];
			double cf = wj * coef[x] / denom;

			if (coef[x] == 0)
				continue;
			out[*k].df = en->n >= 2 ? (double)(en->n - 1) : 0;
			out[*k].a = en->n >= 2 ? cf * cf * en->sd * en->sd / (double)en->n
					       : INFINITY;
			(*k)++;
		}
		if (scope == S->nwl && !S->w->counts)
			acc += S->w->weight[j] * log(e[j - j0]);
	}
	if (scope < S->nwl)
		return log(e[0]);
	return S->w->counts ? log(total) : acc;
}

/* The variance and Welch-Satterthwaite df of N components; *var is
 * infinite when one has a single repetition (no variance to speak of). */
static void ws(const struct vcomp *c, size_t n, double *var, double *df)
{
	double sum = 0, den = 0, big = 0;

	for (size_t i = 0; i < n; i++) {
		if (!isfinite(c[i].a) || c[i].df <= 0) {
			*var = INFINITY;
			*df = NAN;
			return;
		}
		sum += c[i].a;
		if (c[i].a > big)
			big = c[i].a;
	}
	/* scaled by the largest component, so that no square overflows */
	for (size_t i = 0; i < n && big > 0; i++)
		if (c[i].a > 0)
			den += (c[i].a / big) * (c[i].a / big) / c[i].df;
	*var = sum;
	*df = den > 0 ? (sum / big) * (sum / big) / den : INFINITY;
}


int score_test_scores(const struct scorer *S, size_t scope, const double *p,
		       double common, double alpha, size_t focus,
		       unsigned char *beats, struct score_pair *pairs)
{
	size_t nce = S->nce, np = nce * (nce ? nce - 1 : 0) / 2;
	struct vcomp *comp = malloc((4 * S->nwl + 4) * sizeof *comp);
	double *lns = calloc(nce + 1, sizeof *lns), *ub = calloc(np + 1, sizeof *ub),
	       *praw = calloc(np + 1, sizeof *praw),
	       *padj = calloc(np + 1, sizeof *padj), *lb = calloc(np + 1, sizeof *lb),
	       *peq = calloc(np + 1, sizeof *peq), *peqadj = calloc(np + 1, sizeof *peqadj);
	double lm = -log(1 - S->margin);
	size_t *kc = malloc((nce + 1) * sizeof *kc);
	struct vcomp *all = malloc((2 * S->nwl + 2) * (nce + 1) * sizeof *all);
	int rc = -1;

	if (!comp || !lns || !ub || !praw || !padj || !lb || !kc || !all ||
	    !peq || !peqadj)
		goto out;
	memset(beats, 0, nce * nce);
	for (size_t c = 0; c < nce; c++) {
		kc[c] = 0;
		lns[c] = score_ln_score(S, scope, c, p, common,
				  all + c * (2 * S->nwl + 2), &kc[c]);
	}
	for (size_t i = 0, k = 0; i < nce; i++)
		for (size_t j = i + 1; j < nce; j++, k++) {
			size_t n = kc[i] + kc[j];
			double var, df, dif = lns[i] - lns[j], t, q;

			memcpy(comp, all + i * (2 * S->nwl + 2), kc[i] * sizeof *comp);
			memcpy(comp + kc[i], all + j * (2 * S->nwl + 2), kc[j] * sizeof *comp);
			ws(comp, n, &var, &df);
			if (pairs) {
				pairs[k].dif = dif;
				pairs[k].df = df;
				pairs[k].t = var > 0 ? dif / sqrt(var) : NAN;
			}
			if (!isfinite(var) || var <= 0 || !(df > 0)) {
				praw[k] = var == 0 && dif != 0 ? 0 : 1;
				peq[k] = var == 0 && fabs(dif) < lm ? 0 : 1;
				lb[k] = var == 0 ? dif : -INFINITY;
				ub[k] = var == 0 ? dif : INFINITY;
				continue;
			}
			t = dif / sqrt(var);
			praw[k] = 2 * gsl_cdf_tdist_Q(fabs(t), df);
			if (focus != SIZE_MAX && i != focus && j != focus) {
				lb[k] = -INFINITY; /* not asked for: no verdict */
				ub[k] = INFINITY;
				continue;
			}
			/* equal within the margin: two one-sided tests of
			 * |ln S_i - ln S_j| < -ln(1 - margin) */
			if (pairs)
				peq[k] = fmax(gsl_cdf_tdist_Q((dif + lm) / sqrt(var), df),
					      gsl_cdf_tdist_P((dif - lm) / sqrt(var), df));
			q = gsl_cdf_tdist_Pinv(1 - alpha / 2, df) * sqrt(var);
			lb[k] = dif - q;
			ub[k] = dif + q;
		}
	kern_holm(praw, np, padj);
	if (pairs)
		kern_holm(peq, np, peqadj);
	for (size_t k = 0; pairs && k < np; k++) {
		pairs[k].lo = lb[k];
		pairs[k].hi = ub[k];
		pairs[k].p = praw[k];
		pairs[k].padj = padj[k];
		pairs[k].peq = peq[k];
		pairs[k].peqadj = peqadj[k];
	}
	for (size_t i = 0, k = 0; i < nce; i++)
		for (size_t j = i + 1; j < nce; j++, k++) {
			if (!(padj[k] < alpha))
				continue;
			if (exp(ub[k]) < 1 - S->margin)
				beats[i * nce + j] = 1;
			else if (exp(-lb[k]) < 1 - S->margin)
				beats[j * nce + i] = 1;
		}
	rc = 0;
out:
	free(comp);
	free(lns);
	free(ub);
	free(lb);
	free(praw);
	free(padj);
	free(peq);
	free(peqadj);
	free(kc);
	free(all);
	return rc;
}

/* pairs.csv rows (view "scores", the scope as the workload) of every pair
 * of contenders (past --pairs-limit those KEEP marks): the scores, their ratio with its interval, t, df, p,
 * Holm's p and the verdict; for rates the ratio of the rates. */
static void write_pairs(const struct scorer *S, size_t scope,
			char *const *names, const double *point,
			const struct score_pair *sp, const unsigned char *beats,
			const unsigned char *keep, double alpha,
			struct csvout *w)
{
	static const char *const verdicts[] = { "beaten", "tied", "beats" };
	int rate = scope_rate(S, scope);
	size_t nce = S->nce;

	for (size_t i = 0, k = 0; i < nce; i++)
		for (size_t j = i + 1; j < nce; j++, k++) {
			int v = beats[i * nce + j] ? 1 : beats[j * nce + i] ? -1 : 0;
			double sign = rate ? -1 : 1;

			if (keep && !keep[k])
				continue;

			csvout_cstr(w, "scores");
			csvout_cstr(w, scope < S->nwl ? S->wl[scope] : "overall");
			csvout_empty(w);
			csvout_cstr(w, names[S->cfg[i]]);
			csvout_cstr(w, names[S->cfg[j]]);
			csvout_empty(w);
			csvout_empty(w);
			score_num(w, rate ? 1 / point[i] : point[i]);
			score_num(w, rate ? 1 / point[j] : point[j]);
			score_num(w, exp(sign * sp[k].dif));
			score_num(w, exp(rate ? -sp[k].hi : sp[k].lo));
			score_num(w, exp(rate ? -sp[k].lo : sp[k].hi));
			score_num(w, sign * sp[k].t);
			score_num(w, sp[k].df);
			score_num(w, sp[k].p);
			csvout_empty(w);
			csvout_empty(w);
			score_num(w, sp[k].padj);
			csvout_cstr(w, verdicts[v + 1]);
			csvout_cstr(w, scope < S->nwl
					       ? metrics[S->d->cells[S->cin[scope]].metric].name
					       : "score");
			score_num(w, sp[k].peq);
			score_num(w, sp[k].peqadj);
			csvout_cstr(w, sp[k].peqadj < alpha ? "yes" : "no");
			for (int e = 0; e < 5; e++) /* paired_*: per cell only */
				csvout_empty(w);
			csvout_endrow(w);
		}
}

/* The point score of configuration C at the user's shares, and its
 * interval at level 1 - alpha (for a geometric score relative to the
 * reference, whose own variance counts too; the reference is 1 exactly). */
static double score_ci(const struct scorer *S, size_t scope, size_t c,
		       double alpha, double *lo, double *hi)
{
	struct vcomp *comp = malloc((4 * S->nwl + 4) * sizeof *comp);
	size_t k = 0;
	double ln, var, df, h, point;
	const struct data *d = S->d;

	*lo = *hi = NAN;
	if (!comp)
		return NAN;
	/* the point itself as the means give it (exp(ln) would not give
	 * back 115 exactly) */
	if (scope < S->nwl) {
		point = score_expected(S->w->share[scope], d->e[S->ein[c * S->nwl + scope]].mean,
				 d->e[S->eex[c * S->nwl + scope]].mean);
	} else {
		double *means = malloc(d->ne * sizeof *means);

		if (!means) {
			free(comp);
			return NAN;
		}
		for (size_t e = 0; e < d->ne; e++)
			means[e] = d->e[e].mean;
		point = score_overall(S, c, S->w->share, 0, means);
		free(means);
	}
	ln = score_ln_score(S, scope, c, S->w->share, 0, comp, &k);
	if (scope == S->nwl && !S->w->counts) {
		if (c == S->ref) {
			free(comp);
			*lo = *hi = 1;
			return 1;
		}
		ln -= score_ln_score(S, scope, S->ref, S->w->share, 0, comp, &k);
	}
	ws(comp, k, &var, &df);
	if (isfinite(var) && df > 0) {
		h = gsl_cdf_tdist_Pinv(1 - alpha / 2, df) * sqrt(var);
		*lo = point * exp(-h);
		*hi = point * exp(h);
	} else if (var == 0) {
		*lo = *hi = point;
	}
	(void)ln;
	free(comp);
	return point;
}

/* Rank the scored configurations of one scope and write its rows: the
 * first nce are tested among themselves, the rest are excluded. */
static int write_scope(const struct scorer *S, size_t scope,
		       const struct rank_options *o, char *const *names,
		       struct csvout *out, struct csvout *pairs_out)
{
	size_t nc = S->nc, nce = S->nce;
	int rate = scope_rate(S, scope);
	struct score_pair *sp = calloc(nce * nce / 2 + 1, sizeof *sp);
	double *point = calloc(nc + 1, sizeof *point);
	double *clo = calloc(nc + 1, sizeof *clo), *chi = calloc(nc + 1, sizeof *chi);
	size_t *lo = calloc(nc + 1, sizeof *lo), *hi = calloc(nc + 1, sizeof *hi);
	size_t *rank = calloc(nc + 1, sizeof *rank);
	unsigned char *beats = calloc(nce * nce + 1, 1);
	int rc = -1;

	if (!point || !clo || !chi || !lo || !hi || !rank || !beats || !sp)
		goto out;
	for (size_t c = 0; c < nc; c++)
		point[c] = score_ci(S, scope, c, o->alpha, &clo[c], &chi[c]);
	if (score_test_scores(S, scope, S->w->share, 0, o->alpha, SIZE_MAX, beats,
			      sp) != 0)
		goto out;
	for (size_t i = 0; i < nce; i++)
		for (size_t j = 0; j < nce; j++)
			if (beats[i * nce + j]) {
				hi[i]++; /* i beats j: counts for U_i */
				lo[j]++; /* j beaten: counts for L_j */
			}
	if (scope == S->nwl && o->print_answer) {
		/* the best point estimate, alone only when it beats every
		 * other contender, else with those it does not beat */
		size_t top = 0;

		for (size_t c = 1; c < nce; c++)
			if (point[c] < point[top])
				top = c;
		term_printf(stdout, "weighted score (%s): ", S->w->defaulted
							? "equal shares and weights"
							: "your weights");
		if (nce == 0)
			term_printf(stdout, "no configuration can win: every one has "
			       "failed operations or a mean of 0 in some "
			       "cell\n");
		else if (nce == 1 || hi[top] == nce - 1)
			term_printf(stdout, "best: %s (%s)\n", names[S->cfg[top]],
			       nce == 1 ? "the only one without failed "
					  "operations"
					: "it scores better than every other "
					  "one by the tests");
		else {
			size_t nt = 1, ne = 0;
			char eq[1024] = "", tail[2048];

			term_printf(stdout, "tied at the top: %s", names[S->cfg[top]]);
			for (size_t c = 0; c < nce; c++)
				if (c != top && !beats[top * nce + c]) {
					size_t i = c < top ? c : top, j = c < top ? top : c;
					/* pair (i, j) of the upper triangle */
					size_t k = i * nce - i * (i + 1) / 2 + (j - i - 1);

					term_printf(stdout, ", %s", names[S->cfg[c]]);
					nt++;
					if (sp[k].peqadj < o->alpha)
						verdict_list_add(eq, sizeof eq, &ne,
								 names[S->cfg[c]]);
				}
			verdict_tie(tail, sizeof tail, names[S->cfg[top]],
				    "the best point estimate", "better", nt, ne, eq,
				    o->margin, NULL);
			term_printf(stdout, "%s\n", tail);
		}
	}
	/* contenders first, each part by its score: a total order (a score
	 * that is no number comes last, ties by position), so every rank
	 * from 1 to nc is given once */
	for (size_t c = 0; c < nc; c++) {
		rank[c] = 1;
		for (size_t e = 0; e < nc; e++) {
			int ne = isnan(point[e]), nc_ = isnan(point[c]);

			if (e == c)
				continue;
			rank[c] += (e < nce) != (c < nce) ? e < nce
				   : ne != nc_		    ? nc_
				   : ne || point[e] == point[c] ? e < c
							       : point[e] < point[c];
		}
	}
	{
		unsigned char *keep = rank_pairs_order_kept(nce, rank,
							    o->pairs_limit);

		if (!keep && o->pairs_limit && nce > o->pairs_limit) {
			diag(DIAG_ERROR, "out of memory");
			goto out;
		}
		write_pairs(S, scope, names, point, sp, beats, keep, o->alpha,
			    pairs_out);
		free(keep);
	}
	for (size_t r = 1; r <= nc; r++) {
		size_t c = 0;
		char shared[32];
		size_t L, U;

		while (rank[c] != r)
			c++;
		if (c < nce) {
			L = 1 + lo[c];
			U = nce - hi[c];
			snprintf(shared, sizeof shared, "%zu%s", L, U > L ? "=" : "");
		} else {
			L = nce + 1;
			U = nc;
			snprintf(shared, sizeof shared, "excluded");
		}
		csvout_cstr(out, scope < S->nwl ? S->wl[scope] : "overall");
		for (size_t f = 0; f < S->d->nfactors; f++)
			csvout_cstr(out, S->d->config[S->cfg[c]][f]);
		csvout_cstr(out, names[S->cfg[c]]);
		score_num(out, rate ? 1 / point[c] : point[c]);
		score_num(out, rate ? 1 / chi[c] : clo[c]);
		score_num(out, rate ? 1 / clo[c] : chi[c]);
		csvout_i64(out, (int64_t)r);
		csvout_cstr(out, shared);
		csvout_i64(out, (int64_t)L);
		csvout_i64(out, (int64_t)U);
		if (scope < S->nwl) {
			const struct metric *mt =
				&metrics[S->d->cells[S->cin[scope]].metric];
			char kind[160];

			snprintf(kind, sizeof kind,
				 rate ? "expected %s (%s; weighted harmonic "
					"mean)"
				      : "expected %s (%s)",
				 mt->noun, metric_unit_symbol(mt->unit));
			csvout_cstr(out, kind);
		} else {
			int any_rate = 0;

			for (size_t j = 0; j < S->nwl; j++)
				any_rate |= scope_rate(S, j);
			csvout_cstr(out, S->w->counts ? "total expected time (us)"
					 : any_rate ? "geometric mean of expected "
						      "times relative to the "
						      "reference (rates as "
						      "times per unit)"
						    : "geometric mean of expected "
						      "times relative to the "
						      "reference");
		}
		csvout_cstr(out, names[S->cfg[S->ref]]);
		csvout_cstr(out, S->w->describe);
		csvout_cstr(out, "t test on ln score, delta-method variance, "
				 "Welch-Satterthwaite df");
		score_num(out, o->alpha);
		if (scope < S->nwl) {
			csvout_cstr(out, metrics[S->d->cells[S->cin[scope]].metric].name);
		} else {
			char all[512] = "";

			for (size_t j = 0; j < S->nwl; j++)
				snprintf(all + strlen(all), sizeof all - strlen(all),
					 "%s%s: %s", j ? "; " : "", S->wl[j],
					 metrics[S->d->cells[S->cin[j]].metric].name);
			csvout_cstr(out, all);
		}
		csvout_cstr(out, c < nce ? "yes" : "no");
		csvout_cstr(out, S->why[c]);
		csvout_endrow(out);
	}
	rc = 0;
out:
	free(sp);
	free(point);
	free(clo);
	free(chi);
	free(lo);
	free(hi);
	free(rank);
	free(beats);
	return rc;
}


/* ---- sensitivity to the internal share ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* rank --shares: the best of the overall score, by its test, at each
 * common internal share the user asked about, on stdout. */
static int whatif(const struct scorer *S, const struct rank_options *o,
		  char *const *names)
{
	term_printf(stdout, "what if every workload's internal share were p "
			    "(the overall %s, %s; the best by the score "
			    "test at each p):\n",
		    S->w->counts ? "total time" : "weighted score",
		    S->w->defaulted ? "equal weights" : "your weights");
	for (size_t i = 0; i < o->nwhatif; i++) {
		char *top;
		size_t k = 0;

		if (S->nce == 0) {
			term_printf(stdout, "  p = %-5g no configuration can "
					    "win: every one has failed "
					    "operations or a mean of 0 in "
					    "some cell\n",
				    o->whatif[i]);
			continue;
		}
		top = score_tested_top(S, S->nwl, NULL, o->whatif[i], o->alpha,
				 names, ", ", &k);
		if (!top)
			return -1;
		if (S->nce == 1)
			term_printf(stdout, "  p = %-5g best: %s (the only one "
					    "without failed operations)\n",
				    o->whatif[i], top);
		else if (k == 1)
			term_printf(stdout, "  p = %-5g best: %s (better than "
					    "every other one by the tests)\n",
				    o->whatif[i], top);
		else
			term_printf(stdout, "  p = %-5g tied at the top: %s "
					    "(the first has the best point "
					    "estimate; none is proven better "
					    "than the others named)\n",
				    o->whatif[i], top);
		free(top);
	}
	return 0;
}

int score_write(const struct data *d, const size_t *configs,
		char *const *names, const struct weights *w,
		const struct rank_options *o, struct csvout *scores,
		struct csvout *sens, struct csvout *pairs)
{
	struct scorer S;
	double *means = NULL;
	int rc = -1;

	memset(&S, 0, sizeof S);
	S.d = d;
	S.w = w;
	S.margin = o->margin;
	/* the workloads, sorted; each needs an internal and an external cell */
	S.wl = calloc(d->ncells + 1, sizeof *S.wl);
	S.cin = calloc(d->ncells + 1, sizeof *S.cin);
	S.cex = calloc(d->ncells + 1, sizeof *S.cex);
	S.cfg = calloc(d->nconfigs + 1, sizeof *S.cfg);
	S.why = calloc(d->nconfigs + 1, sizeof *S.why);
	if (!S.wl || !S.cin || !S.cex || !S.cfg || !S.why)
		goto nomem;
	for (size_t c = 0; c < d->ncells; c++) {
		size_t j;

		for (j = 0; j < S.nwl; j++)
			if (strcmp(S.wl[j], d->cells[c].workload) == 0)
				break;
		if (j == S.nwl)
			S.wl[S.nwl++] = d->cells[c].workload;
	}
	qsort(S.wl, S.nwl, sizeof *S.wl, cmp_str);
	if (S.nwl != w->n) {
		diag(DIAG_ERROR, "rank: internal error: weights for %zu "
				 "workloads, data has %zu",
		     w->n, S.nwl);
		goto out;
	}
	for (size_t j = 0; j < S.nwl; j++) {
		S.cin[j] = S.cex[j] = (size_t)-1;
		for (size_t c = 0; c < d->ncells; c++)
			if (strcmp(d->cells[c].workload, S.wl[j]) == 0) {
				if (strcmp(d->cells[c].direction, "internal") == 0)
					S.cin[j] = c;
				else
					S.cex[j] = c;
			}
		if (S.cin[j] == (size_t)-1 || S.cex[j] == (size_t)-1) {
			diag(DIAG_WARNING,
			     "rank: workload %s lacks %s data: no weighted "
			     "scores",
			     S.wl[j],
			     S.cin[j] == (size_t)-1 ? "internal" : "external");
			if (o->nwhatif)
				term_printf(stdout, "what if (--shares): no "
						    "weighted scores to vary: "
						    "workload %s lacks %s "
						    "data\n",
					    S.wl[j],
					    S.cin[j] == (size_t)-1 ? "internal"
								   : "external");
			rc = 0;
			goto out;
		}
	}
	/* the configurations measured in every cell are scored */
	/* one spare row: the second pass fills the next row before it knows
	 * whether the configuration is taken */
	S.ein = calloc((d->nconfigs + 1) * S.nwl + 1, sizeof *S.ein);
	S.eex = calloc((d->nconfigs + 1) * S.nwl + 1, sizeof *S.eex);
	if (!S.ein || !S.eex)
		goto nomem;
	/* two passes: the configurations eligible in every cell first (they
	 * may win), then those with times everywhere but failed operations
	 * somewhere (shown, never winners) */
	for (int pass = 0; pass < 2; pass++)
		for (size_t ci = 0; ci < d->nconfigs; ci++) {
			size_t c = configs[ci], found = 0, eligible = 0;
			size_t zero = (size_t)-1; /* a workload with a mean of 0 */

			for (size_t j = 0; j < S.nwl; j++)
				for (size_t e = 0; e < d->ne; e++) {
					if (d->e[e].config != c || d->e[e].n == 0)
						continue;
					if (d->e[e].cell == S.cin[j]) {
						S.ein[S.nc * S.nwl + j] = e;
						found++;
					} else if (d->e[e].cell == S.cex[j]) {
						S.eex[S.nc * S.nwl + j] = e;
						found++;
					} else {
						continue;
					}
					/* a score is a ratio of expected times: a
					 * mean of 0 has no ratio to anything */
					if (!(d->e[e].mean > 0))
						zero = j;
					eligible += d->e[e].eligible && d->e[e].mean > 0;
				}
			if (pass == 1 && found == 2 * S.nwl && zero != (size_t)-1)
				diag(DIAG_WARNING,
				     "rank: %s has a mean %s of 0 in %s (every "
				     "repetition timed at 0): a weighted score is a "
				     "ratio of times, so it is shown but not scored",
				     names[c], metrics[d->cells[S.cin[zero]].metric].noun,
				     S.wl[zero]);
			if (found == 2 * S.nwl && (eligible == found) == !pass) {
				if (zero != (size_t)-1)
					snprintf(S.why[S.nc], sizeof S.why[S.nc],
						 "a mean of 0 in %s", S.wl[zero]);
				else if (pass)
					snprintf(S.why[S.nc], sizeof S.why[S.nc],
						 "failed operations in some cell");
				S.cfg[S.nc++] = c;
			}
			else if (pass == 1 && found < 2 * S.nwl)
				diag(DIAG_WARNING,
				     "rank: %s has no times in some cells (not "
				     "measured there, or every operation "
				     "failed): left out of the weighted scores",
				     names[c]);
			if (pass == 0)
				S.nce = S.nc;
		}
	if (S.nc == 0) {
		if (o->nwhatif)
			term_printf(stdout, "what if (--shares): no weighted "
					    "scores to vary: no configuration "
					    "has times in every cell\n");
		rc = 0;
		goto out;
	}
	if (w->counts)
		for (size_t j = 0; j < S.nwl; j++) {
			int m = d->cells[S.cin[j]].metric;

			if (m != M_WALL && m != M_BUSY) {
				diag(DIAG_ERROR,
				     "rank: the weights file gives usage counts "
				     "(total time = count x time per "
				     "repetition), but %s is ranked by %s, "
				     "which is no time per repetition (expected "
				     "wall or busy, or weights instead of "
				     "counts)",
				     S.wl[j], metrics[m].name);
				goto out;
			}
		}
	/* the reference: the configuration the weights file names, or the
	 * first (the ranking does not depend on it) */
	S.ref = 0;
	if (w->nref) {
		size_t hits = 0;

		for (size_t c = 0; c < S.nc; c++) {
			int ok = 1;

			for (size_t r = 0; r < w->nref; r++) {
				size_t f;

				for (f = 0; f < d->nfactors; f++)
					if (strcmp(d->factors[f], w->ref_keys[r]) == 0)
						break;
				if (f == d->nfactors ||
				    strcmp(d->config[S.cfg[c]][f], w->ref_values[r]) != 0)
					ok = 0;
			}
			if (ok) {
				S.ref = c;
				hits++;
			}
		}
		if (hits != 1) {
			diag(DIAG_ERROR,
			     "rank: the weights file's reference matches %zu "
			     "configurations (expected exactly one)",
			     hits);
			goto out;
		}
		for (size_t j = 0; j < S.nwl; j++)
			if (!(d->e[S.ein[S.ref * S.nwl + j]].mean > 0) ||
			    !(d->e[S.eex[S.ref * S.nwl + j]].mean > 0)) {
				diag(DIAG_ERROR,
				     "rank: the weights file's reference, %s, has "
				     "a mean of 0 in %s: scores relative to it "
				     "would be infinite (expected a reference "
				     "with times above 0)",
				     names[S.cfg[S.ref]], S.wl[j]);
				goto out;
			}
	}
	means = malloc(d->ne * sizeof *means);
	if (!means)
		goto nomem;
	for (size_t e = 0; e < d->ne; e++)
		means[e] = d->e[e].mean;
	for (size_t scope = 0; scope <= S.nwl; scope++)
		if (write_scope(&S, scope, o, names, scores, pairs) != 0 ||
		    (S.nce > 0 &&
		     score_sensitivity(&S, scope, names, means, o->alpha, sens) != 0))
			goto nomem;
	if (o->nwhatif && whatif(&S, o, names) != 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	diag(DIAG_ERROR, "out of memory");
out:
	free(means);
	free(S.wl);
	free(S.cin);
	free(S.cex);
	free(S.cfg);
	free(S.why);
	free(S.ein);
	free(S.eex);
	return rc;
}
