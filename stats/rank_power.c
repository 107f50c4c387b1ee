/* The rank stage: what a cell could show (the power of the beats rule,
 * simulated, seeded) and the repetitions a difference would need. */
#include "rank.h"
#include "rank_int.h"
#include "stats_int.h"
#include "weights.h"
#include "kernel.h"
#include "../lib/csvout.h"
#include "../lib/csvread.h"
#include "../lib/diag.h"
#include "../lib/num.h"
#include "../lib/outfile.h"
#include "../lib/verdict.h"
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void power_draw(struct power_draws *pd, size_t n, gsl_rng *r,
		       double alpha, size_t m)
{
	double x0 = 1 / (2.0 * (double)(n - 1)), x1 = 1 / (double)(n - 1);

	pd->n = n;
	gsl_rng_set(r, 20071128u + (unsigned long)n);
	for (size_t k = 0; k < POWER_DRAWS; k++)
		for (int g = 0; g < 2; g++) {
			pd->z[g][k] = gsl_ran_ugaussian(r);
			pd->c[g][k] = gsl_ran_chisq(r, (double)(n - 1)) / (double)(n - 1);
		}
	for (int i = 0; i <= POWER_GRID; i++) {
		double df = 1 / (x0 + (x1 - x0) * i / POWER_GRID);

		pd->q1[i] = gsl_cdf_tdist_Pinv(1 - alpha / 2, df);
		pd->q2[i] = gsl_cdf_tdist_Pinv(1 - alpha / (2 * (double)m), df);
	}
}

/* The two quantiles at DF, interpolated. */
static void power_q(const struct power_draws *pd, double df, double *q1,
		    double *q2)
{
	double x0 = 1 / (2.0 * (double)(pd->n - 1)), x1 = 1 / (double)(pd->n - 1);
	double pos = (1 / df - x0) / (x1 - x0) * POWER_GRID, f;
	int i;

	if (!(pos > 0))
		pos = 0;
	if (pos > POWER_GRID)
		pos = POWER_GRID;
	i = (int)pos;
	if (i == POWER_GRID)
		i--;
	f = pos - i;
	*q1 = pd->q1[i] + f * (pd->q1[i + 1] - pd->q1[i]);
	*q2 = pd->q2[i] + f * (pd->q2[i + 1] - pd->q2[i]);
}

/* The share of draws in which the faster beats the slower; with STOP set,
 * counting ends as soon as the share is known to be at least, or below,
 * STOP (the searches only ask which side of 80% it lies).  The draws'
 * quantiles are for the alpha and m they were made with. */
static double power_at_(const struct power_draws *pd, double cv, double margin,
			double d, double stop)
{
	double n = (double)pd->n, th = 1 - margin, hits = 0, misses = 0;
	double need = ceil(stop * POWER_DRAWS - 1e-9), room = POWER_DRAWS - need;

	for (size_t k = 0; k < POWER_DRAWS; k++) {
		double ma = (1 - d) * (1 + cv * pd->z[0][k] / sqrt(n));
		double mb = 1 + cv * pd->z[1][k] / sqrt(n);
		double va = (1 - d) * (1 - d) * cv * cv * pd->c[0][k] / n;
		double vb = cv * cv * pd->c[1][k] / n;
		double df = (va + vb) * (va + vb) / ((va * va + vb * vb) / (n - 1));
		double tf = (ma - th * mb) / sqrt(va + th * th * vb), q1, q2;

		/* the Fieller interval of ma/mb below th: t(th) < -q, with mb
		 * clearly above 0; then Welch's two-sided p below alpha/m */
		power_q(pd, df, &q1, &q2);
		if (tf < -q1 && mb / sqrt(vb) > q1 && (mb - ma) / sqrt(va + vb) > q2)
			hits++;
		else
			misses++;
		if (stop > 0 && (hits >= need || misses > room))
			return hits >= need ? stop : 0;
	}
	return hits / POWER_DRAWS;
}

static double power_at(const struct power_draws *pd, double cv, double margin,
		       double d)
{
	return power_at_(pd, cv, margin, d, 0);
}

/* Whether D has 80% power. */
static int power_reaches(const struct power_draws *pd, double cv,
			 double margin, double d)
{
	return power_at_(pd, cv, margin, d, 0.8) >= 0.8;
}

/* Draws for N repetitions and their generator; 0, or -1 when out of
 * memory (both freed by power_close). */
static int power_open(struct power_draws **pd, gsl_rng **r)
{
	*pd = malloc(sizeof **pd);
	*r = gsl_rng_alloc(gsl_rng_mt19937);
	return *pd && *r ? 0 : -1;
}

static void power_close(struct power_draws *pd, gsl_rng *r)
{
	free(pd);
	if (r)
		gsl_rng_free(r);
}

double rank_power(double n, double cv, size_t m, double alpha, double margin,
		  double d)
{
	struct power_draws *pd = NULL;
	gsl_rng *r = NULL;
	double p = NAN;

	if (n >= 2 && cv > 0 && m > 0 && power_open(&pd, &r) == 0) {
		power_draw(pd, (size_t)n, r, alpha, m);
		p = power_at(pd, cv, margin, d);
	}
	power_close(pd, r);
	return p;
}

double rank_detectable(double n, double cv, size_t m, double alpha,
		       double margin)
{
	struct power_draws *pd = NULL;
	gsl_rng *r = NULL;
	double lo = margin, hi = 0.999, out = NAN;

	if (!(n >= 2) || !(cv > 0) || m == 0)
		return NAN;
	if (power_open(&pd, &r) != 0)
		goto done;
	power_draw(pd, (size_t)n, r, alpha, m);
	if (!power_reaches(pd, cv, margin, hi)) {
		out = 1; /* not even a 99.9% difference */
		goto done;
	}
	while (hi - lo > 1e-4) {
		double mid = (lo + hi) / 2;

		if (power_reaches(pd, cv, margin, mid))
			hi = mid;
		else
			lo = mid;
	}
	out = hi;
done:
	power_close(pd, r);
	return out;
}

size_t rank_reps_needed(double cv, size_t m, double alpha, double margin,
			double detect)
{
	struct power_draws *pd = NULL;
	gsl_rng *r = NULL;
	size_t lo, hi, out = 0;

	if (!(detect > margin) || !(cv > 0) || m == 0)
		return 0;
	if (power_open(&pd, &r) != 0)
		goto done;
#define REACHES(N) (power_draw(pd, (N), r, alpha, m), \
		    power_reaches(pd, cv, margin, detect))
	/* the smallest N of 80% power at DETECT, bracketed from the normal
	 * approximation's N (close but for small N), then bisection (power
	 * rises with N, up to the simulation's noise) */
	{
		double z8 = gsl_cdf_ugaussian_Pinv(0.8);
		double za = gsl_cdf_ugaussian_Pinv(1 - alpha / 2) + z8;
		double zm = gsl_cdf_ugaussian_Pinv(1 - alpha / (2 * (double)m)) + z8;
		double ld = -log1p(-detect), lm = -log1p(-margin);
		double a = za * cv * M_SQRT2 / (ld - lm), b = zm * cv * M_SQRT2 / ld;
		double n0 = fmax(a * a, b * b);

		hi = n0 < 2 ? 2 : n0 > 1e6 ? 1000000 : (size_t)ceil(n0);
	}
	if (REACHES(hi)) {
		lo = hi;
		while (lo > 2) {
			size_t down = lo * 4 / 5 < 2 ? 2 : lo * 4 / 5;

			if (down == lo || !REACHES(down)) {
				lo = down;
				break;
			}
			hi = lo = down;
		}
		if (lo == hi) /* 2 reaches */
			lo = 1;
	} else {
		lo = hi;
		while (hi < 1000000) {
			hi = hi * 5 / 4 + 1;
			if (REACHES(hi))
				break;
			lo = hi;
		}
		if (hi >= 1000000 && !REACHES(hi))
			goto done;
	}
	/* REACHES(hi); not REACHES(lo) (or lo < 2) */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (REACHES(mid))
			hi = mid;
		else
			lo = mid;
	}
#undef REACHES
	out = hi;
done:
	power_close(pd, r);
	return out;
}
