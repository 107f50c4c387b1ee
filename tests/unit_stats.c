/*
 * Unit tests of the stats stage: every known answer of stats-spec.md, an
 * independent recomputation of stats_write()'s figures by the plain
 * definitions (sorted arrays, two-pass sums in long double), and the
 * properties the stage must have.  Ends with "N passed, N failed".
 */
#define _POSIX_C_SOURCE 200809L
#include "../lib/diag.h"
#include "../lib/metric.h"
#include "../stats/kernel.h"
#include "../stats/rank.h"
#include "../stats/stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>

#include <gsl/gsl_statistics_double.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static int near(double a, double b, double tol)
{
	return fabs(a - b) <= tol * fmax(1.0, fabs(b));
}

/* ---- known answers (stats-spec.md) ---- */

/* The A-th of the 720 orders of 0..5 (factorial number system) into V,
 * and its number of concordant pairs with 0..5. */
static int concordant6(int a, int v[6])
{
	int used[6] = { 0 }, conc = 0;

	for (int i = 0; i < 6; i++) {
		int k = a % (6 - i), j = -1;

		a /= 6 - i;
		while (k >= 0)
			if (!used[++j])
				k--;
		used[j] = 1;
		v[i] = j;
	}
	for (int i = 0; i < 6; i++)
		for (int j = i + 1; j < 6; j++)
			conc += v[j] > v[i];
	return conc;
}

static void known_answers(void)
{
	/* median CI ranks */
	static const size_t n[] = { 10, 15, 20, 30, 100 };
	static const size_t k[] = { 2, 4, 6, 10, 40 };

	for (size_t i = 0; i < 5; i++) {
		size_t got = kern_median_ci_rank(n[i], 0.95);

		CHECK(got == k[i], "median CI rank for n=%zu: %zu, expected %zu "
				   "(interval [%zu, %zu])",
		      n[i], got, k[i], k[i], n[i] - k[i] + 1);
	}
	CHECK(kern_median_ci_rank(5, 0.95) == 0,
	      "n=5 has no 95%% binomial median interval");

	/* rates on their reciprocals: {2, 4, 4} B/s -> 1/x = {1/2, 1/4,
	 * 1/4}, mean 1/3, sd sqrt(1/48) (by hand), harmonic mean 3; the t
	 * interval 1/3 -+ t(.975, 2) sd / sqrt(3) reaches below 0, so the
	 * rate's upper bound is unbounded */
	{
		double x[] = { 2, 4, 4 }, t2 = 4.302652729749464;
		double sd = sqrt(1.0 / 48), hw = t2 * sd / sqrt(3.0);
		struct kern_summary s;

		kern_summarise_rate(x, 3, 0.95, &s);
		CHECK(near(s.mean, 3, 1e-12), "harmonic mean %g, expected 3",
		      s.mean);
		CHECK(near(s.cv, sd * 3, 1e-12), "cv of the reciprocals %g", s.cv);
		CHECK(near(s.ci_lo, 1 / (1.0 / 3 + hw), 1e-10) && isnan(s.ci_hi),
		      "rate interval [%g, %g], expected [%g, unbounded]", s.ci_lo,
		      s.ci_hi, 1 / (1.0 / 3 + hw));
		CHECK(near(s.median, 4, 1e-12) && near(s.min, 2, 1e-12),
		      "quantiles of the rates themselves");
		x[0] = 0;
		kern_summarise_rate(x, 3, 0.95, &s);
		CHECK(s.mean == 0 && isnan(s.ci_lo), "a rate of 0: mean 0");
	}

	/* Kendall: R's cor.test(method = "kendall", exact = TRUE) */
	{
		double x4[] = { 1, 2, 3, 4 }, tau, p;
		/* the example of R's ?cor.test (Hollander & Wolfe, p. 187):
		 * T = 26, tau = 0.4444444, p-value = 0.1194 */
		double hx[] = { 44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1 };
		double hy[] = { 2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8 };
		const char *m;

		kern_kendall(x4, x4, 4, &tau, &p, &m);
		CHECK(tau == 1 && near(p, 2.0 / 24, 1e-12) && strcmp(m, "exact") == 0,
		      "n = 4, perfect agreement: tau %g p %g (%s), expected 1, "
		      "0.0833 exact", tau, p, m);
		kern_kendall(hx, hy, 9, &tau, &p, &m);
		CHECK(near(tau, 4.0 / 9, 1e-12) && fabs(p - 0.1194) < 5e-5,
		      "R's example: tau %g p %.6f, expected 0.444444 and 0.1194",
		      tau, p);
		kern_kendall(x4, x4, 2, &tau, &p, &m);
		CHECK(isnan(p) && strcmp(m, "too few to test") == 0,
		      "n = 2: no test (p %g)", p);
	}
	/* the exact p against every permutation of n = 6, by brute force */
	{
		int count[16] = { 0 }, total = 0, bad = 0;
		double x[6] = { 1, 2, 3, 4, 5, 6 };

		/* the distribution of concordant pairs over all 720 orders */
		for (int a = 0; a < 720; a++) {
			int v[6];

			count[concordant6(a, v)]++;
			total++;
		}
		for (int a = 0; a < 720; a += 7) {
			int v[6], conc = concordant6(a, v);
			double y[6], tau, p, want, lo = 0, hi = 0;
			const char *m;

			for (int i = 0; i < 6; i++)
				y[i] = v[i];
			for (int c = 0; c <= 15; c++) {
				if (c <= conc)
					lo += count[c];
				if (c >= conc)
					hi += count[c];
			}
			want = fmin(1, 2 * (conc > 7.5 ? hi : lo) / total);
			kern_kendall(x, y, 6, &tau, &p, &m);
			bad += fabs(p - want) > 1e-12;
		}
		CHECK(bad == 0, "%d exact Kendall p-values of n = 6 differ from "
				"the enumeration of all 720 orders", bad);
	}

	/* Wilcoxon's signed-rank test: R's ?wilcox.test example (Hollander
	 * and Wolfe's depression scores, x - y): V = 40, two-sided exact p
	 * 0.03906 = 20/512; with zeros and ties, against every sign
	 * pattern counted by brute force */
	{
		double x[] = { 1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30 };
		double y[] = { 0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29 };
		double dd[9], v, p;
		size_t nz;
		const char *m;

		for (int i = 0; i < 9; i++)
			dd[i] = x[i] - y[i];
		kern_signed_rank(dd, 9, &v, &p, &nz, &m);
		CHECK(v == 40 && near(p, 20.0 / 512, 1e-12) && nz == 9 &&
			      strcmp(m, "exact") == 0,
		      "signed rank, R's example: V %g p %.6f (%s), expected 40 "
		      "and 0.039062 exact", v, p, m);
		kern_signed_rank(dd, 0, &v, &p, &nz, &m);
		CHECK(isnan(p) && nz == 0, "signed rank of nothing: no p (%g)", p);
		CHECK(near(kern_signed_rank_min_p(3), 0.25, 1e-15) &&
			      near(kern_signed_rank_min_p(10), 2.0 / 1024, 1e-15),
		      "the smallest signed-rank p at 3 and 10 rounds");
	}
	{
		/* zeros dropped, |d| ties at 1 and 2 (midranks 2 and 5) */
		double dd[] = { 1, -1, 0, 1, 2, -2, 2, 3, 0, -4 };
		double r[8] = { 0 }, a[8], v, p, obs = 0, lo = 0, hi = 0;
		size_t nz, m = 0;
		const char *how;

		for (int i = 0; i < 10; i++)
			if (dd[i] != 0)
				a[m++] = dd[i];
		for (size_t i = 0; i < m; i++) { /* midranks, the slow way */
			double below = 0, same = 0;

			for (size_t j = 0; j < m; j++) {
				below += fabs(a[j]) < fabs(a[i]);
				same += fabs(a[j]) == fabs(a[i]);
			}
			r[i] = below + (same + 1) / 2;
			if (a[i] > 0)
				obs += r[i];
		}
		for (unsigned mask = 0; mask < 1u << m; mask++) {
			double sum = 0;

			for (size_t i = 0; i < m; i++)
				if (mask >> i & 1)
					sum += r[i];
			lo += sum <= obs + 1e-9;
			hi += sum >= obs - 1e-9;
		}
		kern_signed_rank(dd, 10, &v, &p, &nz, &how);
		CHECK(nz == 8 && near(v, obs, 1e-12) &&
			      near(p, fmin(1, 2 * fmin(lo, hi) / (1u << m)), 1e-12),
		      "signed rank with zeros and ties: V %g p %.6f, by "
		      "enumeration V %g p %.6f", v, p, obs,
		      fmin(1, 2 * fmin(lo, hi) / (1u << m)));
	}

	/* Tukey fences on {1..9, 100} */
	{
		double x[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 100 };
		struct kern_summary s;

		kern_summarise(x, 10, 0.95, &s);
		CHECK(near(s.q1, 3.25, 1e-12) && near(s.q3, 7.75, 1e-12),
		      "quartiles %g %g, expected 3.25 7.75", s.q1, s.q3);
		CHECK(kern_tukey(100, s.q1, s.q3) == KERN_SEVERE,
		      "100 is severe");
		CHECK(kern_tukey(21.25, s.q1, s.q3) != KERN_SEVERE &&
			      kern_tukey(21.26, s.q1, s.q3) == KERN_SEVERE &&
			      kern_tukey(-10.26, s.q1, s.q3) == KERN_SEVERE &&
			      kern_tukey(-10.25, s.q1, s.q3) != KERN_SEVERE,
		      "outer fences at [-10.25, 21.25]");
		CHECK(s.severe == 1 && s.mild == 0, "one severe, no mild: %zu %zu",
		      s.severe, s.mild);
	}

	/* Welch on R's sleep data */
	{
		double g1[] = { 0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0 };
		double g2[] = { 1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4 };
		double m1, s1, m2, s2;
		struct kern_welch w;

		kern_mean_sd(g1, 10, &m1, &s1);
		kern_mean_sd(g2, 10, &m2, &s2);
		kern_welch(m1, s1, 10, m2, s2, 10, 0.95, &w);
		CHECK(near(w.t, -1.8608, 1e-4), "Welch t %.6f", w.t);
		CHECK(near(w.df, 17.776, 1e-4), "Welch df %.6f", w.df);
		CHECK(near(w.p, 0.07939, 1e-3), "Welch p %.6f", w.p);
		CHECK(near(w.ci_lo, -3.3654832, 1e-7) &&
			      near(w.ci_hi, 0.2054832, 1e-6),
		      "Welch CI [%.7f, %.7f]", w.ci_lo, w.ci_hi);
	}

	/* Mann-Whitney with ties (normal approximation) */
	{
		double x[] = { 1, 5, 9, 24, 56, 21, 3, 7, 21, 4 };
		double y[] = { 12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5 };
		double w, p;

		kern_mann_whitney(x, 10, y, 12, &w, &p);
		CHECK(w == 51.5, "W = %g, expected 51.5", w);
		CHECK(near(p, 0.5966, 1e-3), "p = %.5f, expected 0.5966", p);
	}
	/* exact Mann-Whitney, no ties: x={1,2,3}, y={4,5,6} gives U = 0 and
	 * two-sided p = 2 / C(6,3) = 0.1 (counted by hand) */
	{
		double x[] = { 1, 2, 3 }, y[] = { 4, 5, 6 }, w, p;

		kern_mann_whitney(x, 3, y, 3, &w, &p);
		CHECK(w == 0 && near(p, 0.1, 1e-12), "exact MW W=%g p=%g", w, p);
	}

	/* Holm */
	{
		double p[] = { .50, .003, .32, .054, .0003 };
		double want[] = { 0.64, 0.012, 0.64, 0.162, 0.0015 };
		double adj[5];

		kern_holm(p, 5, adj);
		for (int i = 0; i < 5; i++)
			CHECK(near(adj[i], want[i], 1e-12), "Holm %d: %g, expected %g",
			      i, adj[i], want[i]);
	}

	/* Fieller */
	{
		double lo, hi;
		int rc = kern_fieller(14, 3, 7, 2, 1.812461, &lo, &hi);

		CHECK(rc == 0 && near(lo, 1.051413, 1e-6) &&
			      near(hi, 4.414296, 1e-6),
		      "Fieller [%.6f, %.6f]", lo, hi);
		CHECK(kern_fieller(14, 3, 1, 2, 1.812461, &lo, &hi) == -1,
		      "Fieller unbounded when b is not away from 0");
	}

	/* the floor of Mann-Whitney's p: 2 / C(n, k) by hand */
	CHECK(near(kern_mw_min_p(3, 3), 0.1, 1e-12) &&
		      near(kern_mw_min_p(4, 4), 2.0 / 70, 1e-12) &&
		      near(kern_mw_min_p(2, 5), 2.0 / 21, 1e-12) &&
		      kern_mw_min_p(1, 1) == 1 && kern_mw_min_p(0, 4) == 1,
	      "smallest Mann-Whitney p: %g %g", kern_mw_min_p(3, 3),
	      kern_mw_min_p(4, 4));
	{
		/* and it is what the exact test gives when the samples do
		 * not overlap at all */
		double x[3] = { 1, 2, 3 }, y[3] = { 4, 5, 6 }, w, p;

		kern_mann_whitney(x, 3, y, 3, &w, &p);
		CHECK(near(p, kern_mw_min_p(3, 3), 1e-12), "MW p of 3 + 3 apart: %g", p);
	}

	/* equivalence: two one-sided tests of a ratio against [lo, hi] */
	{
		/* at the ends of the (1 - 2 alpha) Fieller interval (found by
		 * kern_fieller's quadratic) the TOST p is alpha exactly */
		double lo, hi, t = gsl_cdf_tdist_Pinv(0.95, 7.3), p;

		kern_fieller(95, 1.5, 100, 2, t, &lo, &hi);
		p = kern_ratio_tost(95, 1.5, 100, 2, 7.3, lo, hi);
		CHECK(near(p, 0.05, 1e-9), "TOST at the Fieller ends: %.12g, expected 0.05", p);
		p = kern_ratio_tost(95, 1.5, 100, 2, 7.3, lo * 0.999, hi * 1.001);
		CHECK(p < 0.05, "TOST p below alpha when the interval is inside: %g", p);
		p = kern_ratio_tost(95, 1.5, 100, 2, 7.3, lo * 1.001, hi);
		CHECK(p > 0.05, "TOST p above alpha when it is not: %g", p);
		/* the same from b's side, with the reciprocal bounds */
		CHECK(near(kern_ratio_tost(100, 2, 95, 1.5, 7.3, 1 / hi, 1 / lo),
			   0.05, 1e-9),
		      "TOST from the other side");
		/* by hand: a = b = 100, se 1 each, df 10, margin 1%:
		 * t(1/0.99) = -1.0101.../sqrt(1 + 1/0.99^2) = -0.710665,
		 * P(T_10 <= -0.710665) = 0.24677 (t table) */
		p = kern_ratio_tost(100, 1, 100, 1, 10, 0.99, 1 / 0.99);
		CHECK(fabs(p - 0.24677) < 1e-4, "TOST by hand: %.6f, expected 0.24677", p);
		CHECK(kern_ratio_tost(100, 0, 100, 0, NAN, 0.99, 1 / 0.99) == 0 &&
			      kern_ratio_tost(120, 0, 100, 0, NAN, 0.99, 1 / 0.99) == 1,
		      "TOST without spread: inside or not");
	}

	/* how many repetitions: rank_detectable() claims 80% power for the
	 * beats rule; checked here by brute force, on samples of normal
	 * times judged by the rule's own code (rank_compare, kern_holm,
	 * rank_verdict), with draws independent of rank_power's */
	{
		static const struct { size_t n, k; double cv; } cs[] = {
			{ 3, 2, 0.08 }, { 10, 2, 0.05 }, { 5, 3, 0.10 },
		};
		gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);

		gsl_rng_set(r, 4242);
		for (size_t c = 0; c < sizeof cs / sizeof cs[0]; c++) {
			size_t n = cs[c].n, k = cs[c].k, m = k * (k - 1) / 2, hits = 0, tries = 0;
			double d = rank_detectable((double)n, cs[c].cv, m, 0.05, 0.01);

			for (int ds = 0; ds < 3000; ds++) {
				/* configuration 0 is the slower (mean 1); the
				 * others are faster by d */
				double x[3][32], praw[3], padj[3];
				struct rank_pair pr[3];
				size_t q = 0;

				for (size_t g = 0; g < k; g++) {
					double mu = g ? 1 - d : 1;

					for (size_t i = 0; i < n; i++)
						x[g][i] = mu * (1 + cs[c].cv * gsl_ran_ugaussian(r));
					gsl_sort(x[g], 1, n);
				}
				for (size_t a = 0; a < k; a++)
					for (size_t b = a + 1; b < k; b++, q++) {
						rank_compare(x[b], n, x[a], n, 0.05, 0.01, &pr[q]);
						praw[q] = pr[q].p;
					}
				kern_holm(praw, m, padj);
				/* the pairs (slower 0, faster b): b beats 0? */
				for (size_t b = 1; b < k; b++) {
					tries++;
					hits += rank_verdict(padj[b - 1], 0.05, 0.01,
							     pr[b - 1].ratio_hi,
							     pr[b - 1].back_hi) == 1;
				}
			}
			/* 3 Monte Carlo errors of 3000 datasets: 0.022 */
			CHECK(fabs((double)hits / (double)tries - 0.8) < 0.03 ||
				      (m > 1 && (double)hits / (double)tries > 0.8),
			      "n = %zu, CV %g, %zu pairs: the detectable %.4f is "
			      "found in %.1f%% of datasets, expected 80%%",
			      n, cs[c].cv, m, d, 100.0 * (double)hits / (double)tries);
		}
		gsl_rng_free(r);
		/* the same draws every time: the figure is reproducible */
		CHECK(rank_detectable(3, 0.08, 1, 0.05, 0.01) ==
			      rank_detectable(3, 0.08, 1, 0.05, 0.01),
		      "rank_detectable is deterministic");
		CHECK(rank_detectable(3, 0.08, 6, 0.05, 0.01) >
			      rank_detectable(3, 0.08, 1, 0.05, 0.01),
		      "six pairs see less than one");
		CHECK(rank_detectable(30, 0.08, 1, 0.05, 0.01) <
			      rank_detectable(3, 0.08, 1, 0.05, 0.01),
		      "more repetitions see more");
		CHECK(isnan(rank_detectable(1, 0.08, 1, 0.05, 0.01)) &&
			      isnan(rank_detectable(3, 0.08, 0, 0.05, 0.01)) &&
			      isnan(rank_detectable(3, 0, 1, 0.05, 0.01)),
		      "no figure at n = 1, without a pair, or without spread");
		CHECK(rank_reps_needed(0.08, 1, 0.05, 0.10, 0.10) == 0,
		      "no n detects a difference inside the margin");
		{
			size_t nn = rank_reps_needed(0.08, 1, 0.05, 0.01, 0.10);

			CHECK(nn > 3 && rank_detectable((double)nn, 0.08, 1, 0.05, 0.01) <= 0.10 + 1e-3 &&
				      rank_detectable((double)nn - 1, 0.08, 1, 0.05, 0.01) > 0.10 - 1e-3,
			      "reps_needed %zu is the first n that reaches 10%%", nn);
		}
	}

	/* crossover */
	{
		double p;

		CHECK(kern_crossover(10, 30, 20, 20, &p) == 0 && p == 0.5,
		      "crossover p* = %g, expected 0.5", p);
		CHECK(kern_crossover(10, 10, 20, 20, &p) == -1,
		      "no crossover when one is always faster");
	}

	/* MSER-5 */
	{
		double x[220];
		int st;
		size_t d;

		for (int i = 0; i < 220; i++)
			x[i] = i < 20 ? 100 : 10 + (i % 3); /* warm-up, then flat */
		d = kern_mser5(x, 220, &st);
		CHECK(st == 1 && d == 4, "MSER-5 d* = %zu (steady %d), expected 4",
		      d, st);
		for (int i = 0; i < 220; i++)
			x[i] = i; /* a trend: no steady state */
		kern_mser5(x, 220, &st);
		CHECK(st == 0, "a trend has no steady state");
		kern_mser5(x, 9, &st);
		CHECK(st == -1, "fewer than two batches: not applicable");
	}

	/* lag-1: one segment equals GSL's */
	{
		double x[] = { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5 };
		struct kern_lag1 acc = { 0, 0 };

		kern_lag1_add(&acc, x, 11, kern_mean(x, 11));
		CHECK(near(kern_lag1_value(&acc),
			   gsl_stats_lag1_autocorrelation(x, 1, 11), 1e-12),
		      "lag-1 %g vs GSL %g", kern_lag1_value(&acc),
		      gsl_stats_lag1_autocorrelation(x, 1, 11));
	}

	/* hard input: large offset, tiny spread (exactly representable
	 * values 1e7 + k/8, so the answer is known exactly: mean 1e7 + 0.25,
	 * sd of {0, .125, .25, .375, .5} = sqrt(0.0390625) = 0.19764235376) */
	{
		double x[] = { 1e7, 1e7 + 0.125, 1e7 + 0.25, 1e7 + 0.375, 1e7 + 0.5 };
		double m, sd;

		kern_mean_sd(x, 5, &m, &sd);
		CHECK(fabs(m - (1e7 + 0.25)) / 1e7 < 1e-15,
		      "mean %.17g, expected 10000000.25", m);
		CHECK(fabs(sd - sqrt(0.0390625)) / sqrt(0.0390625) < 1e-12,
		      "sd %.17g, expected 0.19764235376", sd);
	}
}

/* ---- integer kernels against plain ones ---- */

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void integer_kernels(void)
{
	size_t n = 100000;
	uint64_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b),
		 *tmp = malloc(n * sizeof *tmp);
	double *d = malloc(n * sizeof *d);
	int same = 1;

	for (size_t i = 0; i < n; i++)
		a[i] = b[i] = next() >> (next() % 40);
	kern_sort_u64(a, n, tmp);
	qsort(b, n, sizeof *b, cmp_u64);
	for (size_t i = 0; i < n; i++)
		same &= a[i] == b[i];
	CHECK(same, "radix sort = qsort");
	for (size_t i = 0; i < n; i++)
		d[i] = (double)a[i];
	{
		double ps[] = { 0, 0.25, 0.5, 0.9, 0.99, 0.999, 1 };

		for (size_t i = 0; i < 7; i++)
			CHECK(kern_quantile_u64(a, n, ps[i]) ==
				      gsl_stats_quantile_from_sorted_data(d, 1, n, ps[i]),
			      "integer quantile %g = GSL's", ps[i]);
	}
	free(a);
	free(b);
	free(tmp);
	free(d);
}

/* ---- stats_write() against the plain definitions ---- */

#define NG 3
#define NREP 10

struct gen_op {
	int64_t start, end;
	int failed; /* its status is a failure */
};

static long double plain_mean(const double *x, size_t n)
{
	long double s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	return s / n;
}

static long double plain_sd(const double *x, size_t n)
{
	long double m = plain_mean(x, n), s = 0;

	for (size_t i = 0; i < n; i++)
		s += ((long double)x[i] - m) * ((long double)x[i] - m);
	return sqrtl(s / (n - 1));
}

static double plain_q7(const double *sorted, size_t n, double p)
{
	double h = (n - 1) * p;
	size_t lo = (size_t)h;

	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/* Read column NAME of data row ROW (1-based) of a simple CSV file. */
static double csv_get(const char *path, int row, const char *name)
{
	FILE *fp = fopen(path, "r");
	char line[8192], *tok, *save;
	int col = -1, i = 0, r = 0;
	double v = NAN;

	if (!fp)
		return NAN;
	if (fgets(line, sizeof line, fp)) {
		line[strcspn(line, "\n")] = 0;
		for (tok = strtok_r(line, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save), i++)
			if (strcmp(tok, name) == 0)
				col = i;
	}
	while (col >= 0 && fgets(line, sizeof line, fp))
		if (++r == row) {
			char *p = line;

			for (i = 0; i < col && p; i++) {
				p = strchr(p, ',');
				if (p)
					p++;
			}
			if (p)
				v = strtod(p, NULL);
			break;
		}
	fclose(fp);
	return v;
}

/* Repetitions 1-5 come from one file and 6-10 from another, numbered 1-5
 * in each: ten repetitions only when files are told apart. */
static void build(struct stats_table *t, struct gen_op ops[NG][NREP][40],
		  const int nops[NG][NREP], int shuffle, int64_t add)
{
	static const char *const vm[NG] = { "A", "B", "C" };
	uint32_t file[2];

	file[0] = stats_table_file(t, "one.log", 7);
	file[1] = stats_table_file(t, "two.log", 7);
	for (int g = 0; g < NG; g++)
		for (int r = 0; r < NREP; r++) {
			int order[40];

			for (int i = 0; i < nops[g][r]; i++)
				order[i] = i;
			if (shuffle)
				for (int i = nops[g][r] - 1; i > 0; i--) {
					int j = (int)(next() % (uint64_t)(i + 1));
					int tmp = order[i];

					order[i] = order[j];
					order[j] = tmp;
				}
			for (int i = 0; i < nops[g][r]; i++) {
				const struct gen_op *o = &ops[g][r][order[i]];
				const char *labels[3] = { vm[g], "w", "internal" };
				size_t lens[3] = { 1, 1, 8 };

				stats_table_add(t, labels, lens, 0,
						file[r >= NREP / 2], r % (NREP / 2) + 1,
						o->start, o->end + add, 1000, 1,
						o->failed);
			}
		}
}

static int files_equal(const char *a, const char *b)
{
	FILE *x = fopen(a, "r"), *y = fopen(b, "r");
	int ca, cb, same = x && y;

	while (same) {
		ca = fgetc(x);
		cb = fgetc(y);
		if (ca != cb)
			same = 0;
		if (ca == EOF)
			break;
	}
	if (x)
		fclose(x);
	if (y)
		fclose(y);
	return same;
}

static void against_plain(void)
{
	static struct gen_op ops[NG][NREP][40];
	static int nops[NG][NREP];
	static const char *const keys[] = { "vm", "workload", "direction" };
	char d1[] = "/tmp/vmnr-st1-XXXXXX", d2[] = "/tmp/vmnr-st2-XXXXXX",
	     d3[] = "/tmp/vmnr-st3-XXXXXX";
	struct stats_options o = { 0.95, 0, 2, NULL, STATS_EXACT_OPS, 0 },
			     o1 = { 0.95, 0, 1, NULL, STATS_EXACT_OPS, 0 };
	const int64_t add = 250;

	if (!mkdtemp(d1) || !mkdtemp(d2) || !mkdtemp(d3)) {
		CHECK(0, "mkdtemp");
		return;
	}
	for (int g = 0; g < NG; g++)
		for (int r = 0; r < NREP; r++) {
			int64_t t0 = INT64_C(1196266661000000) +
				     (int64_t)(g * 1000 + r) * 100000000;

			nops[g][r] = 20 + (int)(next() % 20);
			for (int i = 0; i < nops[g][r]; i++) {
				int64_t dur = 1000 * (g + 1) + (int64_t)(next() % 5000);

				ops[g][r][i].start = t0;
				ops[g][r][i].end = t0 + dur;
				/* group C: every seventh operation fails, and
				 * quickly, as a 404 does */
				ops[g][r][i].failed = g == 2 && i % 7 == 3;
				if (ops[g][r][i].failed)
					ops[g][r][i].end = t0 + 7;
				t0 = ops[g][r][i].end + (int64_t)(next() % 300);
			}
		}
	{
		struct stats_table *t = stats_table_new(3, keys, &o);
		struct stats_table *u = stats_table_new(3, keys, &o1);
		struct stats_table *v = stats_table_new(3, keys, &o);
		char p1[128], p2[128], p3[128];

		build(t, ops, nops, 0, 0);
		build(u, ops, nops, 1, 0);
		build(v, ops, nops, 0, add);
		CHECK(stats_write(t, &o, d1) == 0, "stats_write");
		/* one thread here, two above: the bytes must not differ */
		CHECK(stats_write(u, &o1, d2) == 0, "stats_write shuffled");
		CHECK(stats_write(v, &o, d3) == 0, "stats_write shifted");
		stats_table_free(t);
		stats_table_free(u);
		stats_table_free(v);
		/* property: the order of operations within a repetition
		 * changes no figure */
		snprintf(p1, sizeof p1, "%s/reps.csv", d1);
		snprintf(p2, sizeof p2, "%s/reps.csv", d2);
		CHECK(files_equal(p1, p2), "permuting operations (or threads) "
					   "changes reps.csv");
		snprintf(p1, sizeof p1, "%s/summary.csv", d1);
		snprintf(p2, sizeof p2, "%s/summary.csv", d2);
		CHECK(files_equal(p1, p2),
		      "permuting operations changes summary.csv");
		snprintf(p3, sizeof p3, "%s/summary.csv", d3);
		for (int g = 0; g < NG; g++) {
			double walls[NREP], sorted[NREP], all[NG * NREP * 40];
			double busy[NREP], opmean[NREP], p99[NREP], tput[NREP];
			size_t nall = 0, nfailed = 0, nops_all = 0;
			long double m, sd, inv = 0;
			double t9 = 2.262157162; /* t(0.975, 9), from tables */
			/* summary.csv: one row per group and metric, wall first */
			int row = g * M_COUNT + 1;

			for (int r = 0; r < NREP; r++) {
				int64_t lo = INT64_MAX, hi = INT64_MIN, b = 0;
				double rep[40];
				size_t nrep = 0;

				for (int i = 0; i < nops[g][r]; i++) {
					const struct gen_op *x = &ops[g][r][i];

					if (x->start < lo)
						lo = x->start;
					if (x->end > hi)
						hi = x->end;
					nops_all++;
					if (x->failed) {
						nfailed++;
						continue;
					}
					b += x->end - x->start;
					rep[nrep++] = (double)(x->end - x->start);
					all[nall++] = (double)(x->end - x->start);
				}
				walls[r] = sorted[r] = (double)(hi - lo);
				busy[r] = (double)b;
				opmean[r] = (double)b / (double)nrep;
				qsort(rep, nrep, sizeof *rep, cmp_d);
				p99[r] = plain_q7(rep, nrep, .99);
				/* 1000 bytes per successful operation */
				tput[r] = 1000.0 * (double)nrep / ((double)(hi - lo) / 1e6);
				inv += 1.0L / tput[r];
			}
			CHECK(csv_get(p1, row, "n_reps") == NREP,
			      "group %d: two files with reps 1-5 each give %d "
			      "repetitions, not 5 (got %g)",
			      g, NREP, csv_get(p1, row, "n_reps"));
			CHECK(csv_get(p1, row, "failed_ops") == (double)nfailed &&
				      csv_get(p1, row, "n_ops") == (double)nops_all,
			      "group %d failed_ops %g of %g, expected %zu of %zu", g,
			      csv_get(p1, row, "failed_ops"), csv_get(p1, row, "n_ops"),
			      nfailed, nops_all);
			CHECK(near(csv_get(p1, row + M_BUSY, "mean"),
				   (double)plain_mean(busy, NREP), 1e-11),
			      "group %d busy: the successful operations' times", g);
			CHECK(near(csv_get(p1, row + M_OP_MEAN, "mean"),
				   (double)plain_mean(opmean, NREP), 1e-11),
			      "group %d op-mean", g);
			CHECK(near(csv_get(p1, row + M_OP_P99, "mean"),
				   (double)plain_mean(p99, NREP), 1e-11),
			      "group %d op-p99 per repetition", g);
			CHECK(near(csv_get(p1, row + M_THROUGHPUT, "mean"),
				   (double)(NREP / inv), 1e-10),
			      "group %d throughput: the harmonic mean %.12g vs "
			      "%.12Lg",
			      g, csv_get(p1, row + M_THROUGHPUT, "mean"), NREP / inv);
			qsort(sorted, NREP, sizeof *sorted, cmp_d);
			qsort(all, nall, sizeof *all, cmp_d);
			m = plain_mean(walls, NREP);
			sd = plain_sd(walls, NREP);
			CHECK(near(csv_get(p1, row, "mean"), (double)m, 1e-11),
			      "group %d mean %.12g vs %.12Lg", g,
			      csv_get(p1, row, "mean"), m);
			CHECK(near(csv_get(p1, row, "sd"), (double)sd, 1e-10),
			      "group %d sd %.12g vs %.12Lg", g,
			      csv_get(p1, row, "sd"), sd);
			CHECK(near(csv_get(p1, row, "ci_lo"),
				   (double)(m - t9 * sd / sqrtl(NREP)), 1e-9),
			      "group %d CI low", g);
			CHECK(near(csv_get(p1, row, "median"),
				   (sorted[4] + sorted[5]) / 2, 1e-11),
			      "group %d median", g);
			CHECK(csv_get(p1, row, "median_ci_lo") == sorted[1] &&
				      csv_get(p1, row, "median_ci_hi") == sorted[8],
			      "group %d median CI = [x(2), x(9)]", g);
			CHECK(near(csv_get(p1, row, "q1"), plain_q7(sorted, NREP, .25),
				   1e-11),
			      "group %d q1", g);
			CHECK(near(csv_get(p1, row, "op_mean"),
				   (double)plain_mean(all, nall), 1e-11),
			      "group %d op_mean", g);
			CHECK(near(csv_get(p1, row, "op_p90"), plain_q7(all, nall, .9),
				   1e-11),
			      "group %d op_p90", g);
			CHECK(near(csv_get(p1, row, "op_p999"),
				   plain_q7(all, nall, .999), 1e-11),
			      "group %d op_p999", g);
			CHECK(csv_get(p1, row, "n_ops") == (double)nops_all,
			      "group %d n_ops", g);
			/* property: a constant added to every duration shifts
			 * the operation mean and quantiles by it */
			CHECK(near(csv_get(p3, row, "op_mean"),
				   csv_get(p1, row, "op_mean") + add, 1e-11),
			      "group %d op_mean shifts by the constant", g);
			CHECK(near(csv_get(p3, row, "op_p50"),
				   csv_get(p1, row, "op_p50") + add, 1e-11),
			      "group %d op_p50 shifts by the constant", g);
		}
	}
	/* the kernel: a constant shifts mean and quantiles, sd unchanged */
	{
		double x[50], y[50];
		struct kern_summary a, b;

		for (int i = 0; i < 50; i++)
			x[i] = (double)(next() % 100000) / 7.0;
		qsort(x, 50, sizeof *x, cmp_d);
		for (int i = 0; i < 50; i++)
			y[i] = x[i] + 12345.5;
		kern_summarise(x, 50, 0.95, &a);
		kern_summarise(y, 50, 0.95, &b);
		CHECK(near(b.mean, a.mean + 12345.5, 1e-12) &&
			      near(b.median, a.median + 12345.5, 1e-12) &&
			      near(b.q1, a.q1 + 12345.5, 1e-12) &&
			      near(b.q3, a.q3 + 12345.5, 1e-12),
		      "shift moves mean and quantiles");
		CHECK(near(b.sd, a.sd, 1e-9) && near(b.mad, a.mad, 1e-9),
		      "shift leaves sd and MAD: %g %g", a.sd, b.sd);
	}
	{
		char cmd[256];

		snprintf(cmd, sizeof cmd, "rm -rf %s %s %s", d1, d2, d3);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove the scratch folders\n");
	}
}

/* kern_mt_get() against gsl_rng_get() of gsl_rng_mt19937, and
 * kern_draw_int() against gsl_rng_uniform_int(), from the same seeds: the
 * same numbers, for repetition counts and for N where GSL's scale is 1
 * (a division then) or near the generator's range. */
static void test_draw(void)
{
	static const unsigned long ns[] = { 1, 2, 3, 4, 5, 7, 10, 30, 1000,
					    65537, 2147483647UL,
					    2147483649UL, 4294967295UL };
	static const unsigned long seeds[] = { 0, 1, 4357, 20071128,
					       4294967295UL, 4294967296UL,
					       ULONG_MAX };
	long bad = 0, draws = 0;
	struct kern_mt *g = malloc(sizeof *g);

	if (!g) {
		CHECK(0, "no memory");
		return;
	}
	/* the generator: gsl_rng_get's numbers, seed 0 (GSL's 4357) and
	 * seeds past 32 bits included, across several refills */
	for (size_t j = 0; j < sizeof seeds / sizeof seeds[0]; j++) {
		gsl_rng *a = gsl_rng_alloc(gsl_rng_mt19937);

		gsl_rng_set(a, seeds[j]);
		kern_mt_seed(g, seeds[j]);
		for (int i = 0; i < 5000; i++, draws++)
			bad += gsl_rng_get(a) != kern_mt_get(g);
		gsl_rng_free(a);
	}
	CHECK(bad == 0, "kern_mt_get: %ld of %ld numbers unlike gsl_rng_get "
			"(mt19937)", bad, draws);
	bad = draws = 0;
	for (size_t j = 0; j < sizeof ns / sizeof ns[0]; j++) {
		gsl_rng *a = gsl_rng_alloc(gsl_rng_mt19937);
		struct kern_draw D;

		gsl_rng_set(a, 1 + j);
		kern_mt_seed(g, 1 + j);
		kern_draw_init(&D, g, ns[j]);
		for (int i = 0; i < 20000; i++, draws++)
			bad += gsl_rng_uniform_int(a, ns[j]) != kern_draw_int(&D);
		gsl_rng_free(a);
	}
	CHECK(bad == 0, "kern_draw_int: %ld of %ld draws unlike "
			"gsl_rng_uniform_int", bad, draws);
	free(g);
}

int main(void)
{
	test_draw();
	known_answers();
	integer_kernels();
	against_plain();
	printf("unit_stats: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
