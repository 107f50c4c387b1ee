/*
 * kernel: the statistics of ../shared/stats-spec.md as pure functions on
 * arrays.  GSL provides every distribution, quantile and variance; nothing
 * here reads files or prints.  Undefined results (too few values) are NaN.
 */
#ifndef VMNETRANK_KERNEL_H
#define VMNETRANK_KERNEL_H

#include <stddef.h>
#include <stdint.h>


/* Mean: the sum in long double over n (exact for integer microseconds). */
double kern_mean(const double *x, size_t n);

/* Mean (kern_mean) and sample sd (n-1, GSL's two-pass variance about that
 * mean, gsl_stats_sd_m); large offsets with a tiny spread keep their
 * digits. */
void kern_mean_sd(const double *x, size_t n, double *mean, double *sd);

/* t interval of the mean: mean -+ t(1-(1-conf)/2, n-1) sd/sqrt(n). */
void kern_t_ci(double mean, double sd, size_t n, double conf, double *lo,
	       double *hi);

/* Rank k (1-based) of the exact binomial CI of the median:
 * k = max{ j : P(Bin(n, 0.5) <= j-1) <= (1-conf)/2 }; the interval is
 * [x(k), x(n-k+1)].  0 when n is too small for any such j. */
size_t kern_median_ci_rank(size_t n, double conf);

/* Type-7 quantile of sorted data (GSL). */
double kern_quantile(const double *sorted, size_t n, double p);

/* Everything about one sample of repetition figures. */
struct kern_summary {
	size_t n;
	double mean, sd, cv, ci_lo, ci_hi;
	double median, median_ci_lo, median_ci_hi;
	double min, q1, q3, max, mad;
	size_t mild, severe; /* Tukey outliers */
};

/* SORTED is x sorted ascending (n values); conf e.g. 0.95. */
void kern_summarise(const double *sorted, size_t n, double conf,
		    struct kern_summary *s);

/* The same for rates (better higher), analysed on their reciprocals (time
 * per unit): mean is the harmonic mean 1 / mean(1/x), its interval the
 * reciprocal of the t interval of mean(1/x) (the upper end NaN when that
 * reaches 0: unbounded), cv = sd(1/x) / mean(1/x); sd, the quantiles,
 * the median interval, mad and the outliers are of the rates themselves.
 * A rate of 0 makes the mean 0 and the interval and cv NaN. */
void kern_summarise_rate(const double *sorted, size_t n, double conf,
			 struct kern_summary *s);

enum kern_outlier { KERN_NONE = 0, KERN_MILD, KERN_SEVERE };
/* Tukey fences on type-7 quartiles: mild beyond 1.5 IQR, severe beyond 3. */
enum kern_outlier kern_tukey(double x, double q1, double q3);

/* Median absolute deviation of sorted data, scaled by 1.4826.  SCRATCH
 * holds n doubles. */
double kern_mad(const double *sorted, size_t n, double *scratch);

/*
 * MSER-5 on one series: batch means of 5 (a trailing partial batch is
 * dropped), d* = argmin over d of sum_{i>d} (Z_i - mean_d)^2 / (m-d)^2 for
 * d = 0 .. m-2.  Returns d* (truncate 5 d* values) with *steady = 1, or
 * *steady = 0 when the minimum lies past m/2 (no steady state), or
 * *steady = -1 when there are fewer than two batches (not applicable).
 */
size_t kern_mser5(const double *x, size_t n, int *steady);

/* Lag-1 autocorrelation pooled over segments: each segment centred on its
 * own mean, r1 = sum (x_i - m)(x_{i+1} - m) / sum (x_i - m)^2, pairs only
 * within a segment.  For one segment it equals GSL's
 * gsl_stats_lag1_autocorrelation.  Segments of fewer than 3 values are
 * left out (two centred points always give exactly -1/2). */
struct kern_lag1 {
	double num, den;
};
/* Add one segment whose mean is M. */
void kern_lag1_add(struct kern_lag1 *acc, const double *x, size_t n,
		   double m);
double kern_lag1_value(const struct kern_lag1 *acc);

/* Welch's t test of m1 - m2 with v = s^2/n for each side. */
struct kern_welch {
	double diff, t, df, p, ci_lo, ci_hi;
};
void kern_welch(double m1, double sd1, size_t n1, double m2, double sd2,
		size_t n2, double conf, struct kern_welch *w);

/* Mann-Whitney U (W = rank sum of x minus nx(nx+1)/2) and its two-sided
 * p: exact when both samples are under 50 and there are no ties, else the
 * normal approximation with tie and continuity correction. */
void kern_mann_whitney(const double *x, size_t nx, const double *y,
		       size_t ny, double *w, double *p);

/* The same with a cache of exact null distributions, keyed by the two
 * sample sizes (ranking compares many pairs of equal sizes).  Not for use
 * by two threads at once; kern_mw_cache_release() frees it. */
struct kern_mw_cache {
	size_t m, n;
	double *counts;
};
void kern_mann_whitney_cached(const double *x, size_t nx, const double *y,
			      size_t ny, double *w, double *p,
			      struct kern_mw_cache *cache);
void kern_mw_cache_release(struct kern_mw_cache *cache);

/* Kendall's tau between paired lists (tau-b) and its two-sided p:
 * exact (the permutation distribution of the concordant pairs, as R's
 * cor.test(method = "kendall", exact = TRUE)) for 3 <= n <= 50 without
 * ties; the normal approximation with the tie-corrected variance of S
 * otherwise; no p (NaN) below n = 3.  *method says which: "exact",
 * "normal with ties", "normal", or "too few to test". */
void kern_kendall(const double *x, const double *y, size_t n, double *tau,
		  double *p, const char **method);

/* Wilcoxon's signed-rank test of paired differences D[0..n-1] about 0:
 * zeros dropped, |d| ranked with midranks; *V the sum of the positive
 * ranks; *p two-sided, exact (the distribution of V over the 2^n' sign
 * patterns, ties included, by counting on doubled ranks) for n' <= 60
 * non-zero differences, else the normal approximation with the tie
 * correction (as R's wilcox.test(paired = TRUE, correct = FALSE));
 * NaN when none is non-zero.  *NZ: n'.  *method: "exact", "normal". */
void kern_signed_rank(const double *d, size_t n, double *v, double *p,
		      size_t *nz, const char **method);

/* The smallest two-sided p the exact signed-rank test can give with N
 * non-zero differences: 2 / 2^N (3 rounds: 0.25). */
double kern_signed_rank_min_p(size_t n);

/* The smallest two-sided p an exact Mann-Whitney test can give between
 * samples of NX and NY without ties: 2 / C(NX + NY, NX), at most 1 (3 + 3:
 * 0.1, so no rank test can reach 0.05 there). */
double kern_mw_min_p(size_t nx, size_t ny);

/* Holm's step-down adjustment of n p-values. */
void kern_holm(const double *p, size_t n, double *adj);

/* Fieller's interval of a/b from independent estimates with standard
 * errors sa, sb and critical value t.  Returns 0, or -1 when the interval
 * is unbounded (b not clearly away from zero): then lo = -inf, hi = inf. */
int kern_fieller(double a, double sa, double b, double sb, double t,
		 double *lo, double *hi);

/* Two one-sided tests that the ratio a/b of two means (standard errors
 * sa, sb; b > 0) lies inside [lo, hi], with the statistic of Fieller's
 * interval, t(theta) = (a - theta b) / sqrt(sa^2 + theta^2 sb^2), on DF
 * degrees of freedom: the larger of P(T <= t(hi)) and P(T >= t(lo)).
 * p < alpha exactly when the (1 - 2 alpha) Fieller interval lies inside
 * [lo, hi].  1 when it cannot be tested (no df, b <= 0). */
double kern_ratio_tost(double a, double sa, double b, double sb, double df,
		       double lo, double hi);

/* Type-7 quantile of sorted integers: GSL's formula, on uint64 data. */
double kern_quantile_u64(const uint64_t *x, size_t n, double p);

/* Internal share p* at which a and b swap when each is scored
 * E(p) = p Ti + (1-p) Te: p* = -A/B, A = Te_a - Te_b,
 * B = (Ti_a - Ti_b) - (Te_a - Te_b).  0 when p* lies in [0, 1], else -1
 * (no swap in range; *p is set unless B = 0). */
int kern_crossover(double ti_a, double te_a, double ti_b, double te_b,
		   double *p);

/* Sort n non-negative integers ascending (LSD radix; TMP holds n). */
void kern_sort_u64(uint64_t *x, size_t n, uint64_t *tmp);

/*
 * MT19937 as gsl_rng_mt19937 draws it: the same numbers from the same
 * seed (gsl_rng_set()'s seeding: 0 means 4357), made 624 at a time into
 * a buffer, not one call through the generator's type each.
 */
#define KERN_MT_N 624
struct kern_mt {
	uint32_t out[KERN_MT_N]; /* tempered: the next is out[at] */
	uint32_t mt[KERN_MT_N];
	unsigned at;
};

void kern_mt_seed(struct kern_mt *g, unsigned long seed);
void kern_mt_refill(struct kern_mt *g);

static inline uint32_t kern_mt_get(struct kern_mt *g)
{
	if (g->at == KERN_MT_N)
		kern_mt_refill(g);
	return g->out[g->at++];
}

/*
 * gsl_rng_uniform_int(R, N) for R a gsl_rng_mt19937, the same numbers
 * from the same seed, drawn from G: GSL draws k = get() / (range / N)
 * (range 2^32 - 1) until k < N.  The division is a multiplication by
 * M = floor((2^64 - 1) / scale) + 1, exact for every 32-bit numerator
 * (Lemire, Kaser and Kurz, "Faster remainder by direct computation",
 * 2019); for scale 1 it is the division.  1 <= N <= 2^32 - 1.
 */
struct kern_draw {
	struct kern_mt *g;
	unsigned long n, scale;
	uint64_t m; /* 0: divide by scale */
};

void kern_draw_init(struct kern_draw *D, struct kern_mt *g, unsigned long n);

static inline unsigned long kern_draw_int(const struct kern_draw *D)
{
	unsigned long k;

	do {
		uint64_t x = kern_mt_get(D->g);

		k = D->m ? (unsigned long)(((unsigned __int128)D->m * x) >> 64)
			 : (unsigned long)(x / D->scale);
	} while (k >= D->n);
	return k;
}

#endif
