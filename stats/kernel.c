#include "kernel.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double kern_mean(const double *x, size_t n)
{
	long double s = 0;

	if (n == 0)
		return NAN;
	for (size_t i = 0; i < n; i++)
		s += x[i];
	return (double)(s / (long double)n);
}

void kern_mean_sd(const double *x, size_t n, double *mean, double *sd)
{
	*mean = *sd = NAN;
	if (n == 0)
		return;
	*mean = kern_mean(x, n);
	if (n > 1)
		*sd = gsl_stats_sd_m(x, 1, n, *mean);
}

void kern_t_ci(double mean, double sd, size_t n, double conf, double *lo,
	       double *hi)
{
	double t, h;

	*lo = *hi = NAN;
	if (n < 2 || !isfinite(sd))
		return;
	t = gsl_cdf_tdist_Pinv(1.0 - (1.0 - conf) / 2.0, (double)(n - 1));
	h = t * sd / sqrt((double)n);
	*lo = mean - h;
	*hi = mean + h;
}

size_t kern_median_ci_rank(size_t n, double conf)
{
	double a2 = (1.0 - conf) / 2.0;
	size_t k = 0;

	/* P(Bin <= j-1) grows with j: the last j that keeps it <= a2 */
	for (size_t j = 1; j <= (n + 1) / 2; j++) {
		if (gsl_cdf_binomial_P((unsigned)(j - 1), 0.5, (unsigned)n) <=
		    a2)
			k = j;
		else
			break;
	}
	return k;
}

double kern_quantile(const double *sorted, size_t n, double p)
{
	if (n == 0)
		return NAN;
	return gsl_stats_quantile_from_sorted_data(sorted, 1, n, p);
}

enum kern_outlier kern_tukey(double x, double q1, double q3)
{
	double iqr = q3 - q1;

	if (x < q1 - 3.0 * iqr || x > q3 + 3.0 * iqr)
		return KERN_SEVERE;
	if (x < q1 - 1.5 * iqr || x > q3 + 1.5 * iqr)
		return KERN_MILD;
	return KERN_NONE;
}

double kern_mad(const double *sorted, size_t n, double *scratch)
{
	double med;

	if (n == 0)
		return NAN;
	med = kern_quantile(sorted, n, 0.5);
	for (size_t i = 0; i < n; i++)
		scratch[i] = fabs(sorted[i] - med);
	gsl_sort(scratch, 1, n);
	return 1.4826 * kern_quantile(scratch, n, 0.5);
}

void kern_summarise(const double *sorted, size_t n, double conf,
		    struct kern_summary *s)
{
	size_t k;
	double *scratch;

	memset(s, 0, sizeof *s);
	s->n = n;
	s->mean = s->sd = s->cv = s->ci_lo = s->ci_hi = NAN;
	s->median = s->median_ci_lo = s->median_ci_hi = NAN;
	s->min = s->q1 = s->q3 = s->max = s->mad = NAN;
	if (n == 0)
		return;
	kern_mean_sd(sorted, n, &s->mean, &s->sd);
	s->cv = s->mean != 0 ? s->sd / s->mean : NAN;
	kern_t_ci(s->mean, s->sd, n, conf, &s->ci_lo, &s->ci_hi);
	s->median = kern_quantile(sorted, n, 0.5);
	k = kern_median_ci_rank(n, conf);
	if (k > 0) {
		s->median_ci_lo = sorted[k - 1];
		s->median_ci_hi = sorted[n - k];
	}
	s->min = sorted[0];
	s->max = sorted[n - 1];
	s->q1 = kern_quantile(sorted, n, 0.25);
	s->q3 = kern_quantile(sorted, n, 0.75);
	scratch = malloc(n * sizeof *scratch);
	if (scratch) {
		s->mad = kern_mad(sorted, n, scratch);
		free(scratch);
	}
	for (size_t i = 0; i < n; i++) {
		enum kern_outlier o = kern_tukey(sorted[i], s->q1, s->q3);

		if (o == KERN_MILD)
			s->mild++;
		else if (o == KERN_SEVERE)
			s->severe++;
	}
}

void kern_summarise_rate(const double *sorted, size_t n, double conf,
			 struct kern_summary *s)
{
	double *r, m, sd, lo, hi;

	kern_summarise(sorted, n, conf, s);
	if (n == 0)
		return;
	if (!(sorted[0] > 0)) {
		s->mean = sorted[0] == 0 ? 0 : NAN;
		s->cv = s->ci_lo = s->ci_hi = NAN;
		return;
	}
	r = malloc(n * sizeof *r);
	if (!r) {
		s->mean = s->cv = s->ci_lo = s->ci_hi = NAN;
		return;
	}
	for (size_t i = 0; i < n; i++)
		r[i] = 1.0 / sorted[i];
	kern_mean_sd(r, n, &m, &sd);
	kern_t_ci(m, sd, n, conf, &lo, &hi);
	s->mean = 1.0 / m;
	s->cv = sd / m;
	s->ci_lo = hi > 0 ? 1.0 / hi : NAN;
	s->ci_hi = lo > 0 ? 1.0 / lo : NAN;
	free(r);
}

size_t kern_mser5(const double *x, size_t n, int *steady)
{
	size_t m = n / 5, best = 0;
	double *z, shift = 0, s1 = 0, s2 = 0, beststat = INFINITY;

	*steady = -1;
	if (m < 2)
		return 0;
	z = malloc(m * sizeof *z);
	if (!z)
		return 0;
	for (size_t i = 0; i < m; i++) {
		double b = 0;

		for (size_t j = 0; j < 5; j++)
			b += x[5 * i + j];
		z[i] = b / 5.0;
	}
	/* suffix sums from the end, centred for accuracy */
	shift = z[m / 2];
	for (size_t d = m; d-- > 0;) {
		double zi = z[d] - shift;
		size_t cnt;

		s1 += zi;
		s2 += zi * zi;
		/* the statistic for truncation point d uses Z_{d+1..m}, which
		 * in 0-based terms is z[d .. m-1] */
		cnt = m - d;
		if (d <= m - 2) {
			double ss = s2 - s1 * s1 / (double)cnt;
			double stat = (ss < 0 ? 0 : ss) / ((double)cnt * cnt);

			if (stat <= beststat) {
				beststat = stat;
				best = d;
			}
		}
	}
	free(z);
	*steady = best <= m / 2;
	return *steady ? best : 0;
}

void kern_lag1_add(struct kern_lag1 *acc, const double *x, size_t n,
		   double m)
{
	if (n < 3)
		return; /* two centred points always give -1/2 */
	for (size_t i = 0; i < n; i++) {
		double a = x[i] - m;

		acc->den += a * a;
		if (i + 1 < n)
			acc->num += a * (x[i + 1] - m);
	}
}

double kern_lag1_value(const struct kern_lag1 *acc)
{
	return acc->den > 0 ? acc->num / acc->den : NAN;
}

void kern_welch(double m1, double sd1, size_t n1, double m2, double sd2,
		size_t n2, double conf, struct kern_welch *w)
{
	double v1, v2, se, tq;

	w->diff = m1 - m2;
	w->t = w->df = w->p = w->ci_lo = w->ci_hi = NAN;
	if (n1 < 2 || n2 < 2)
		return;
	v1 = sd1 * sd1 / (double)n1;
	v2 = sd2 * sd2 / (double)n2;
	se = sqrt(v1 + v2);
	if (se == 0) {
		/* no noise at all: the difference is exact */
		w->t = w->diff == 0 ? 0 : copysign(INFINITY, w->diff);
		w->df = (double)(n1 + n2 - 2);
		w->p = w->diff == 0 ? 1.0 : 0.0;
		w->ci_lo = w->ci_hi = w->diff;
		return;
	}
	if (!isfinite(se) || !isfinite(w->diff)) {
		/* beyond the range of a double (values near 1e154 and up):
		 * no test, rather than a wrong one */
		w->t = NAN;
		return;
	}
	w->t = w->diff / se;
	{
		/* Welch-Satterthwaite, scaled by the larger variance so that
		 * no square overflows */
		double big = v1 > v2 ? v1 : v2, a = v1 / big, b = v2 / big;

		w->df = (a + b) * (a + b) /
			(a * a / (double)(n1 - 1) + b * b / (double)(n2 - 1));
	}
	w->p = 2.0 * gsl_cdf_tdist_Q(fabs(w->t), w->df);
	if (w->p > 1)
		w->p = 1;
	tq = gsl_cdf_tdist_Pinv(1.0 - (1.0 - conf) / 2.0, w->df);
	w->ci_lo = w->diff - tq * se;
	w->ci_hi = w->diff + tq * se;
}

struct ranked {
	double v;
	int from_x;
};

static int cmp_ranked(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->v, y = ((const struct ranked *)b)->v;

	return (x > y) - (x < y);
}

/* Number of ways to get U = u with sizes (m, n): the exact null
 * distribution, by the recurrence f(m,n,u) = f(m-1,n,u-n) + f(m,n-1,u). */
static double *exact_u_counts(size_t m, size_t n)
{
	size_t umax = m * n;
	/* table[j][u] for i = current m, j = 0..n */
	double *prev = calloc((n + 1) * (umax + 1), sizeof *prev);
	double *cur = calloc((n + 1) * (umax + 1), sizeof *cur);
	double *out;

	if (!prev || !cur) {
		free(prev);
		free(cur);
		return NULL;
	}
	/* i = 0: one way, U = 0, for every j */
	for (size_t j = 0; j <= n; j++)
		prev[j * (umax + 1)] = 1;
	for (size_t i = 1; i <= m; i++) {
		memset(cur, 0, (n + 1) * (umax + 1) * sizeof *cur);
		cur[0] = 1; /* j = 0 */
		for (size_t j = 1; j <= n; j++)
			for (size_t u = 0; u <= i * j; u++) {
				double a = u >= j ? prev[j * (umax + 1) + u - j]
						  : 0;
				double b = cur[(j - 1) * (umax + 1) + u];

				cur[j * (umax + 1) + u] = a + b;
			}
		{
			double *t = prev;

			prev = cur;
			cur = t;
		}
	}
	out = malloc((umax + 1) * sizeof *out);
	if (out)
		memcpy(out, prev + n * (umax + 1), (umax + 1) * sizeof *out);
	free(prev);
	free(cur);
	return out;
}

void kern_mann_whitney(const double *x, size_t nx, const double *y,
		       size_t ny, double *w, double *p)
{
	kern_mann_whitney_cached(x, nx, y, ny, w, p, NULL);
}

void kern_mw_cache_release(struct kern_mw_cache *cache)
{
	free(cache->counts);
	memset(cache, 0, sizeof *cache);
}

void kern_mann_whitney_cached(const double *x, size_t nx, const double *y,
			      size_t ny, double *w, double *p,
			      struct kern_mw_cache *cache)
{
	size_t n = nx + ny;
	struct ranked *r;
	double rx = 0, ties = 0;
	int has_ties = 0;

	*w = *p = NAN;
	if (nx == 0 || ny == 0)
		return;
	r = malloc(n * sizeof *r);
	if (!r)
		return;
	for (size_t i = 0; i < nx; i++)
		r[i] = (struct ranked){ x[i], 1 };
	for (size_t i = 0; i < ny; i++)
		r[nx + i] = (struct ranked){ y[i], 0 };
	qsort(r, n, sizeof *r, cmp_ranked);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double rank;

		while (j + 1 < n && r[j + 1].v == r[i].v)
			j++;
		rank = (double)(i + j + 2) / 2.0; /* mid-rank, 1-based */
		if (j > i) {
			double t = (double)(j - i + 1);

			has_ties = 1;
			ties += t * t * t - t;
		}
		for (size_t k = i; k <= j; k++)
			if (r[k].from_x)
				rx += rank;
		i = j + 1;
	}
	free(r);
	*w = rx - (double)nx * (double)(nx + 1) / 2.0;
	if (!has_ties && nx < 50 && ny < 50) {
		double *cnt;
		double total = 0, le = 0, ge = 0;
		size_t wu = (size_t)*w;

		if (cache && cache->counts && cache->m == nx && cache->n == ny)
			cnt = cache->counts;
		else {
			cnt = exact_u_counts(nx, ny);
			if (cache && cnt) {
				free(cache->counts);
				cache->counts = cnt;
				cache->m = nx;
				cache->n = ny;
			}
		}

		if (cnt) {
			for (size_t u = 0; u <= nx * ny; u++) {
				total += cnt[u];
				if (u <= wu)
					le += cnt[u];
				if (u >= wu)
					ge += cnt[u];
			}
			*p = 2.0 * fmin(le, ge) / total;
			if (*p > 1)
				*p = 1;
			if (!cache)
				free(cnt);
			return;
		}
	}
	{
		double mu = (double)nx * (double)ny / 2.0;
		double sigma = sqrt((double)nx * (double)ny / 12.0 *
				    ((double)(n + 1) -
				     ties / ((double)n * (double)(n - 1))));
		double z = *w - mu;

		if (sigma == 0) {
			*p = 1;
			return;
		}
		z = (z - copysign(0.5, z) * (z != 0)) / sigma;
		*p = 2.0 * fmin(gsl_cdf_ugaussian_P(z), gsl_cdf_ugaussian_Q(z));
		if (*p > 1)
			*p = 1;
	}
}

void kern_holm(const double *p, size_t n, double *adj)
{
	size_t *idx = malloc(n * sizeof *idx);
	double run = 0;

	if (!idx)
		return;
	gsl_sort_index(idx, p, 1, n);
	for (size_t i = 0; i < n; i++) {
		double a = (double)(n - i) * p[idx[i]];

		if (a > 1)
			a = 1;
		if (a > run)
			run = a;
		adj[idx[i]] = run;
	}
	free(idx);
}

int kern_fieller(double a, double sa, double b, double sb, double t,
		 double *lo, double *hi)
{
	double r = a / b, g = t * t * sb * sb / (b * b), disc, h;

	if (!(g < 1) || b == 0) {
		*lo = -INFINITY;
		*hi = INFINITY;
		return -1;
	}
	disc = sa * sa + r * r * sb * sb - g * sa * sa;
	h = t / fabs(b) * sqrt(disc > 0 ? disc : 0);
	*lo = (r - h) / (1 - g);
	*hi = (r + h) / (1 - g);
	return 0;
}

void kern_sort_u64(uint64_t *x, size_t n, uint64_t *tmp)
{
	uint64_t maxv = 0;
	int bits = 0;

	for (size_t i = 0; i < n; i++)
		if (x[i] > maxv)
			maxv = x[i];
	while (bits < 64 && (maxv >> bits))
		bits++;
	for (int shift = 0; shift < bits; shift += 11) {
		size_t count[2048] = { 0 };
		size_t sum = 0;

		for (size_t i = 0; i < n; i++)
			count[(x[i] >> shift) & 2047]++;
		for (size_t k = 0; k < 2048; k++) {
			size_t c = count[k];

			count[k] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(x[i] >> shift) & 2047]++] = x[i];
		memcpy(x, tmp, n * sizeof *x);
	}
}

double kern_quantile_u64(const uint64_t *x, size_t n, double p)
{
	double h, d;
	size_t lo;

	if (n == 0)
		return NAN;
	h = (double)(n - 1) * p;
	lo = (size_t)floor(h);
	d = h - (double)lo;
	if (lo + 1 >= n)
		return (double)x[n - 1];
	/* the very expression GSL uses, so results agree to the bit */
	return (1 - d) * (double)x[lo] + d * (double)x[lo + 1];
}

int kern_crossover(double ti_a, double te_a, double ti_b, double te_b,
		   double *p)
{
	double a = te_a - te_b;
	double b = (ti_a - ti_b) - (te_a - te_b);

	if (b == 0)
		return -1;
	*p = -a / b;
	return *p >= 0 && *p <= 1 ? 0 : -1;
}

/* P(T <= q) for T the number of concordant pairs of a random permutation
 * of n: the Mahonian distribution of inversions (symmetric), by the
 * recurrence P_m(k) = (1/m) sum_{i<m} P_{m-1}(k - i). */
static double kendall_cdf(size_t n, long q)
{
	size_t nmax = n * (n - 1) / 2;
	double *p = calloc(nmax + 2, sizeof *p), *nx = calloc(nmax + 2, sizeof *nx);
	double out = NAN, acc = 0;
	size_t top = 0;

	if (!p || !nx)
		goto done;
	p[0] = 1;
	for (size_t m = 2; m <= n; m++) {
		double run = 0;

		top += m - 1;
		for (size_t k = 0; k <= top; k++) {
			run += p[k];
			if (k >= m)
				run -= p[k - m];
			nx[k] = run / (double)m;
		}
		memcpy(p, nx, (top + 1) * sizeof *p);
	}
	if (q < 0)
		out = 0;
	else {
		for (size_t k = 0; k <= nmax && (long)k <= q; k++)
			acc += p[k];
		out = acc > 1 ? 1 : acc;
	}
done:
	free(p);
	free(nx);
	return out;
}

void kern_kendall(const double *x, const double *y, size_t n, double *tau,
		  double *p, const char **method)
{
	double c = 0, d = 0, tx = 0, ty = 0;
	int ties = 0;

	*tau = *p = NAN;
	*method = "too few to test";
	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			double a = x[i] - x[j], b = y[i] - y[j];

			if (a == 0 || b == 0)
				ties = 1;
			if (a == 0 && b == 0)
				continue;
			if (a == 0)
				tx++;
			else if (b == 0)
				ty++;
			else if ((a > 0) == (b > 0))
				c++;
			else
				d++;
		}
	if ((c + d + tx) * (c + d + ty) > 0)
		*tau = (c - d) / sqrt((c + d + tx) * (c + d + ty));
	if (n < 3)
		return;
	if (!ties && n <= 50) {
		/* R: q concordant pairs; the tail on q's side, doubled */
		double half = (double)(n * (n - 1)) / 4, one;
		long q = (long)c;

		one = (double)q > half ? 1 - kendall_cdf(n, q - 1) : kendall_cdf(n, q);
		*p = fmin(1, 2 * one);
		*method = "exact";
		return;
	}
	{
		/* S = c - d with the variance corrected for ties in x and y */
		double nn = (double)n, v0 = nn * (nn - 1) * (2 * nn + 5);
		double vt = 0, vu = 0, t1 = 0, u1 = 0, t2 = 0, u2 = 0, var;
		double *sx = malloc(n * sizeof *sx), *sy = malloc(n * sizeof *sy);

		if (!sx || !sy) {
			free(sx);
			free(sy);
			return;
		}
		memcpy(sx, x, n * sizeof *sx);
		memcpy(sy, y, n * sizeof *sy);
		gsl_sort(sx, 1, n);
		gsl_sort(sy, 1, n);
		for (int side = 0; side < 2; side++) {
			const double *v = side ? sy : sx;

			for (size_t i = 0; i < n;) {
				size_t j = i;
				double t;

				while (j < n && v[j] == v[i])
					j++;
				t = (double)(j - i);
				if (t > 1) {
					*(side ? &vu : &vt) += t * (t - 1) * (2 * t + 5);
					*(side ? &u1 : &t1) += t * (t - 1);
					*(side ? &u2 : &t2) += t * (t - 1) * (t - 2);
				}
				i = j;
			}
		}
		free(sx);
		free(sy);
		var = (v0 - vt - vu) / 18 + t1 * u1 / (2 * nn * (nn - 1)) +
		      t2 * u2 / (9 * nn * (nn - 1) * (nn - 2));
		*p = var > 0 ? fmin(1, 2 * gsl_cdf_ugaussian_Q(fabs(c - d) / sqrt(var)))
			     : NAN;
		*method = ties ? "normal with ties" : "normal";
	}
}

double kern_ratio_tost(double a, double sa, double b, double sb, double df,
		       double lo, double hi)
{
	double vl = sa * sa + lo * lo * sb * sb, vh = sa * sa + hi * hi * sb * sb;
	double pl, ph;

	if (!(b > 0) || !(lo < hi) || !isfinite(a))
		return 1;
	if (vl == 0 || vh == 0) /* no spread: inside or not */
		return a > lo * b && a < hi * b ? 0 : 1;
	if (!(df > 0))
		return 1;
	pl = gsl_cdf_tdist_Q((a - lo * b) / sqrt(vl), df);
	ph = gsl_cdf_tdist_P((a - hi * b) / sqrt(vh), df);
	return fmax(pl, ph);
}

double kern_mw_min_p(size_t nx, size_t ny)
{
	if (nx == 0 || ny == 0)
		return 1;
	return fmin(1, 2 * exp(-gsl_sf_lnchoose((unsigned)(nx + ny), (unsigned)nx)));
}

static int cmp_abs(const void *a, const void *b)
{
	double x = fabs(*(const double *)a), y = fabs(*(const double *)b);

	return (x > y) - (x < y);
}

void kern_signed_rank(const double *d, size_t n, double *v, double *p,
		      size_t *nz, const char **method)
{
	double *a = malloc((n + 1) * sizeof *a), *rk = malloc((n + 1) * sizeof *rk);
	size_t m = 0;
	double vpos = 0, tie = 0;
	int ties = 0;

	*v = *p = NAN;
	*nz = 0;
	*method = "too few to test";
	if (!a || !rk)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (d[i] != 0 && isfinite(d[i]))
			a[m++] = d[i];
	*nz = m;
	if (m == 0)
		goto out;
	qsort(a, m, sizeof *a, cmp_abs);
	for (size_t i = 0; i < m;) {
		size_t j = i;

		while (j + 1 < m && fabs(a[j + 1]) == fabs(a[i]))
			j++;
		for (size_t k = i; k <= j; k++)
			rk[k] = (double)(i + j + 2) / 2; /* midrank */
		if (j > i) {
			double t = (double)(j - i + 1);

			ties = 1;
			tie += t * t * t - t;
		}
		i = j + 1;
	}
	for (size_t i = 0; i < m; i++)
		if (a[i] > 0)
			vpos += rk[i];
	*v = vpos;
	if (m <= 60) {
		/* doubled ranks are integers; count the sign patterns by
		 * the sum of the positive ones (each pattern 2^-m) */
		size_t tot = m * (m + 1), obs = (size_t)llround(2 * vpos);
		double *cnt = calloc(tot + 1, sizeof *cnt), lo = 0, hi = 0;

		if (!cnt)
			goto out;
		cnt[0] = 1;
		for (size_t i = 0, top = 0; i < m; i++) {
			size_t r2 = (size_t)llround(2 * rk[i]);

			top += r2;
			for (size_t s = top; s >= r2; s--) {
				cnt[s] += cnt[s - r2];
				if (s == r2)
					break;
			}
		}
		for (size_t s = 0; s <= tot; s++) {
			double w = ldexp(cnt[s], -(int)m);

			if (s <= obs)
				lo += w;
			if (s >= obs)
				hi += w;
		}
		free(cnt);
		*p = fmin(1, 2 * fmin(lo, hi));
		*method = "exact";
	} else {
		double mu = (double)m * (double)(m + 1) / 4;
		double var = (double)m * (double)(m + 1) * (double)(2 * m + 1) / 24 - tie / 48;

		*p = var > 0 ? fmin(1, 2 * gsl_cdf_ugaussian_Q(fabs(vpos - mu) / sqrt(var)))
			     : NAN;
		*method = ties ? "normal with ties" : "normal";
	}
out:
	free(a);
	free(rk);
}

double kern_signed_rank_min_p(size_t n)
{
	return n == 0 ? 1 : fmin(1, ldexp(2, -(int)n));
}

void kern_mt_seed(struct kern_mt *g, unsigned long seed)
{
	/* as GSL's mt_set: Knuth's initialisation of the 1999 code */
	if (seed == 0)
		seed = 4357;
	g->mt[0] = (uint32_t)(seed & 0xffffffffUL);
	for (uint32_t i = 1; i < KERN_MT_N; i++)
		g->mt[i] = 1812433253u * (g->mt[i - 1] ^ (g->mt[i - 1] >> 30)) + i;
	g->at = KERN_MT_N;
}

#define MT_M 397
#define MT_TWIST(a, b) \
	(((((a) & 0x80000000u) | ((b) & 0x7fffffffu)) >> 1) ^ \
	 ((0u - ((b) & 1u)) & 0x9908b0dfu))

void kern_mt_refill(struct kern_mt *g)
{
	uint32_t *mt = g->mt;
	int k = 0;

	/* the next 624 words, as GSL's mt_get makes them (the magic
	 * number where y is odd: y's low bit is its second word's) */
	for (; k < KERN_MT_N - MT_M; k++)
		mt[k] = mt[k + MT_M] ^ MT_TWIST(mt[k], mt[k + 1]);
	for (; k < KERN_MT_N - 1; k++)
		mt[k] = mt[k + MT_M - KERN_MT_N] ^ MT_TWIST(mt[k], mt[k + 1]);
	mt[KERN_MT_N - 1] = mt[MT_M - 1] ^ MT_TWIST(mt[KERN_MT_N - 1], mt[0]);
	for (k = 0; k < KERN_MT_N; k++) {
		uint32_t y = mt[k];

		y ^= y >> 11;
		y ^= (y << 7) & 0x9d2c5680u;
		y ^= (y << 15) & 0xefc60000u;
		y ^= y >> 18;
		g->out[k] = y;
	}
	g->at = 0;
}

void kern_draw_init(struct kern_draw *D, struct kern_mt *g, unsigned long n)
{
	const unsigned long range = 0xffffffffUL;

	D->g = g;
	D->n = n;
	D->scale = n ? range / n : 1;
	D->m = D->scale > 1 ? UINT64_MAX / D->scale + 1 : 0;
}
