/* What the weighted scores' files share (score.c: the scores and their
 * test; score_sens.c: the sensitivity to the internal share and the
 * what-if table): the scorer and one score's variance components. */
#ifndef VMNETRANK_SCORE_INT_H
#define VMNETRANK_SCORE_INT_H

#include "rank_int.h"

struct scorer {
	const struct data *d;
	const struct weights *w;
	size_t nwl;         /* workloads */
	char **wl;          /* their names (sorted) */
	size_t *cin, *cex;  /* per workload: internal, external cell */
	size_t nc;          /* scored configurations */
	size_t nce;         /* of which the first nce may win: eligible in
	                       every cell (no failed operations) */
	size_t *cfg;        /* their config indices, in output order */
	char (*why)[96];    /* per scored config: why it may not win ("") */
	size_t *ein, *eex;  /* [c * nwl + j]: entries */
	size_t ref;         /* index into cfg of the reference */
	double margin;      /* rank_options.margin */
};
/* ---- the test of scores: a t-based delta method on ln score ----
 *
 * A score is a sum over cells of known coefficients times means of
 * repetitions, so ln S_c - ln S_d has the delta variance
 * sum_k a_k, a_k = (coefficient_k)^2 s_k^2 / (n_k S^2) over its cells k
 * (each S that of its side), and Welch-Satterthwaite degrees of freedom
 * nu = (sum a_k)^2 / sum (a_k^2 / (n_k - 1)).  stats-spec.md, "Validity at
 * small n"; make validate checks its false "beats" rate and coverage.
 */
struct vcomp {
	double a, df;
};
/*
 * Test every pair of the first NCE configurations of one scope at shares P
 * (or the COMMON share): Welch-type t on ln S_i - ln S_j, Holm over the
 * pairs, and i beats j when the adjusted p < alpha and the upper end of
 * the interval of S_i / S_j lies below the margin.  BEATS[i * nce + j].
 */
/* One pair's test, for pairs.csv: ln S_i - ln S_j, its interval, t, df,
 * p and Holm's p. */
struct score_pair {
	double dif, lo, hi, t, df, p, padj, peq, peqadj;
};


/* shared between the stage's files (split by concern) */
void score_num(struct csvout *w, double v);
double score_expected(double p, double ti, double te);
double score_overall(const struct scorer *S, size_t c, const double *p,
		      double common, const double *means);
double score_ln_score(const struct scorer *S, size_t scope, size_t c,
		       const double *p, double common, struct vcomp *out,
		       size_t *k);
/* Every pair of contenders tested at shares P (or the COMMON share),
 * Holm over all of them; BEATS[i * nce + j]: i is proven better than j.
 * FOCUS (an index, or SIZE_MAX for all): only the pairs with it get
 * their interval, so only its row of BEATS is filled (the p values of
 * all pairs are still computed, as Holm needs them); PAIRS (NULL: not
 * wanted) receives every pair's figures and needs FOCUS = SIZE_MAX. */
int score_test_scores(const struct scorer *S, size_t scope, const double *p,
		       double common, double alpha, size_t focus,
		       unsigned char *beats, struct score_pair *pairs);
char *score_tested_top(const struct scorer *S, size_t scope, const double *p,
			double common, double alpha, char *const *names,
			const char *sep, size_t *count);
int score_sensitivity(const struct scorer *S, size_t scope,
		       char *const *names, const double *means, double alpha,
		       struct csvout *out);

#endif
