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
 * alpha and the whole Fieller interval of T_c / T_d lies below 1 - margin
 * (0.99), T on the analysis scale (times; for rates, their reciprocals).
 * c and d are equal within the margin when the Holm-adjusted p of two
 * one-sided tests puts T_c / T_d inside [1 - margin, 1 / (1 - margin)].  A group with
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
	double margin;       /* 0.01: smaller differences do not count */
	double detect;       /* 0.10: the difference the power figures aim at */
	size_t bootstrap;    /* resamples for P(rank = 1); 10000 */
	unsigned long seed;  /* gsl_rng_mt19937 seed, written in ranks.csv */
	const char *by;      /* comma list of factors for the best-per view */
	const char *weights; /* weights file, NULL: equal shares and weights */
	const char *const *shares; /* --share WORKLOAD=P: over the file's */
	size_t nshares;
	const double *whatif; /* --shares: the overall winner at each common */
	size_t nwhatif;       /* internal share, printed (even with -q) */
	/* --metric NAME (every workload) or WORKLOAD=NAME; later wins, a
	 * workload's own over NAME, and both over the weights file */
	const char *const *metrics;
	size_t nmetrics;
	double max_failed;   /* share of failed operations a winner may have */
	size_t max_configs;  /* refuse a cell with more (cost: their square);
	                        0: no limit */
	size_t pairs_limit;  /* a ranking of more eligible configurations
	                        writes only the pairs rank_pairs_kept keeps
	                        in pairs.csv; 0: every pair */
	int print_answer;    /* say the verdicts on stdout */
	int threads;         /* 1 or 2: the cells ranked on that many (same
	                        output); 0 counts as 1 */
};

/* The default of rank_options.pairs_limit: a ranking of at most this
 * many eligible configurations writes all its pairs (2,016). */
#define RANK_PAIRS_LIMIT 64
/* The report's table of what each factor changes covers the factors of
 * at most this many levels; pairs.csv keeps their pairs at any size. */
#define RANK_FACTOR_LEVELS 4

int rank_run(const char *dir, const struct rank_options *o,
	     const char *outdir);

/* One comparison, from a's side.  Exposed for tests. */
struct rank_pair {
	double ratio, ratio_lo, ratio_hi; /* T_a / T_b, Fieller */
	double back_lo, back_hi;          /* T_b / T_a, Fieller */
	double t, df, p;                  /* Welch */
	double u, p_mw;                   /* Mann-Whitney */
	double p_holm;
	double p_eq, p_eq_holm;           /* equivalence (TOST) */
	int verdict;                      /* 1 beats, -1 beaten, 0 tied */
	int equal;                        /* shown equal within the margin */
};

/* Welch, Fieller, the equivalence test and Mann-Whitney of two sorted
 * samples (no Holm). */
void rank_compare(const double *a, size_t na, const double *b, size_t nb,
		  double alpha, double margin, struct rank_pair *out);

/* Verdict from Holm-adjusted p and the two Fieller intervals (a/b, b/a). */
int rank_verdict(double p_holm, double alpha, double margin, double ab_hi,
		 double ba_hi);

/* What a cell can show (README, "How many repetitions a verdict needs"):
 * the power of the beats rule between two configurations of N
 * repetitions each, normal times with a common CV, the faster 1 - D times
 * the slower, in a family of M pairs (simulated, seeded: the same figures
 * every run); NaN when N < 2, CV <= 0 or M = 0. */
double rank_power(double n, double cv, size_t m, double alpha, double margin,
		  double d);
/* The smallest D of 80% power (to 1e-4); 1 when not even D = 0.999 has
 * it. */
double rank_detectable(double n, double cv, size_t m, double alpha,
		       double margin);
/* The smallest N at which D = DETECT has 80% power; 0 when none up to a
 * million does (or DETECT <= margin). */
size_t rank_reps_needed(double cv, size_t m, double alpha, double margin,
			double detect);

#endif
