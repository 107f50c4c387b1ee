/*
 * rank: per cell (workload x direction), which configurations are faster
 * than which, with ties where the tests cannot tell them apart
 * (stats-spec.md, "Comparing and ranking").
 *
 *   rank_run(dir, &opts, outdir)
 *     reads DIR/reps.csv (repetition wall times) and DIR/summary.csv (to
 *     check that both come from the same stats run), and writes
 *     pairs.csv, ranks.csv, kendall.csv, scores.csv and sensitivity.csv
 *     into OUTDIR.
 *
 * Each workload is ranked by one metric (lib/metric.h; wall unless
 * --metric or the weights file says otherwise; busy when the start stamps
 * cannot give the wall time).  c beats d when the Holm-adjusted Welch p <
 * alpha and the whole Fieller interval of T_c / T_d lies below 0.99, T on
 * the analysis scale (times; for rates, their reciprocals).  A group with
 * failed operations (beyond max_failed of them) is not eligible: it is
 * ranked after every eligible one and never named fastest.  Rank interval
 * among the k eligible: L_c = 1 + #{d that beat c}, U_c = k - #{d that c
 * beats}.
 */
#ifndef VMNETRANK_RANK_H
#define VMNETRANK_RANK_H

#include <stddef.h>

struct rank_options {
	double alpha;        /* 0.05 */
	size_t bootstrap;    /* resamples for P(rank = 1); 10000 */
	unsigned long seed;  /* gsl_rng_mt19937 seed, written in ranks.csv */
	const char *by;      /* comma list of factors for the best-per view */
	const char *weights; /* weights file, NULL: equal shares and weights */
	/* --metric NAME (every workload) or WORKLOAD=NAME; later wins, a
	 * workload's own over NAME, and both over the weights file */
	const char *const *metrics;
	size_t nmetrics;
	double max_failed;   /* share of failed operations a winner may have */
	int print_answer;    /* say the verdicts on stdout */
};

int rank_run(const char *dir, const struct rank_options *o,
	     const char *outdir);

/* One comparison, from a's side.  Exposed for tests. */
struct rank_pair {
	double ratio, ratio_lo, ratio_hi; /* T_a / T_b, Fieller */
	double back_lo, back_hi;          /* T_b / T_a, Fieller */
	double t, df, p;                  /* Welch */
	double u, p_mw;                   /* Mann-Whitney */
	double p_holm;
	int verdict;                      /* 1 beats, -1 beaten, 0 tied */
};

/* Welch, Fieller and Mann-Whitney of two sorted samples (no Holm). */
void rank_compare(const double *a, size_t na, const double *b, size_t nb,
		  double alpha, struct rank_pair *out);

/* Verdict from Holm-adjusted p and the two Fieller intervals (a/b, b/a). */
int rank_verdict(double p_holm, double alpha, double ab_hi, double ba_hi);

#endif
