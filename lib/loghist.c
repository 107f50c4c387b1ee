/* A log-linear histogram of durations (see loghist.h). */
#include "loghist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SUB ((uint64_t)1 << LOGHIST_SUB_BITS)

void loghist_init(struct loghist *h)
{
	memset(h, 0, sizeof *h);
	h->min = UINT64_MAX;
}

void loghist_release(struct loghist *h)
{
	free(h->count);
	loghist_init(h);
}

void loghist_clear(struct loghist *h)
{
	uint64_t *c = h->count;

	if (c)
		memset(c, 0, LOGHIST_BUCKETS * sizeof *c);
	loghist_init(h);
	h->count = c;
}

size_t loghist_bucket(uint64_t v)
{
	int m, s;

	if (v < 2 * SUB)
		return (size_t)v;
	m = 63 - __builtin_clzll(v);
	s = m - LOGHIST_SUB_BITS;
	return ((size_t)(s + 1) << LOGHIST_SUB_BITS) + (size_t)((v >> s) - SUB);
}

void loghist_range(size_t b, uint64_t *lo, uint64_t *hi)
{
	unsigned s;

	if (b < 2 * SUB) {
		*lo = *hi = b;
		return;
	}
	s = (unsigned)(b >> LOGHIST_SUB_BITS) - 1;
	*lo = ((b & (SUB - 1)) + SUB) << s;
	*hi = *lo + (((uint64_t)1 << s) - 1);
}

double loghist_value(size_t b)
{
	uint64_t lo, hi;

	loghist_range(b, &lo, &hi);
	return (double)lo + (double)(hi - lo) / 2;
}

static int ensure(struct loghist *h)
{
	if (!h->count && !(h->count = calloc(LOGHIST_BUCKETS, sizeof *h->count)))
		return -1;
	return 0;
}

int loghist_add(struct loghist *h, uint64_t v)
{
	if (ensure(h) != 0)
		return -1;
	h->count[loghist_bucket(v)]++;
	h->n++;
	h->sum += (long double)v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	return 0;
}

int loghist_merge(struct loghist *h, const struct loghist *from)
{
	if (!from->n)
		return 0;
	if (ensure(h) != 0)
		return -1;
	for (size_t b = 0; b < LOGHIST_BUCKETS; b++)
		h->count[b] += from->count[b];
	h->n += from->n;
	h->sum += from->sum;
	if (from->min < h->min)
		h->min = from->min;
	if (from->max > h->max)
		h->max = from->max;
	return 0;
}

double loghist_order(const struct loghist *h, uint64_t k)
{
	uint64_t seen = 0;
	double v;

	if (k >= h->n)
		return NAN;
	if (k == 0)
		return (double)h->min;
	if (k == h->n - 1)
		return (double)h->max;
	for (size_t b = 0; b < LOGHIST_BUCKETS; b++) {
		seen += h->count[b];
		if (seen > k) {
			/* within [min, max]: nearer the true value, never
			 * farther */
			v = loghist_value(b);
			if (v < (double)h->min)
				v = (double)h->min;
			if (v > (double)h->max)
				v = (double)h->max;
			return v;
		}
	}
	return (double)h->max;
}

double loghist_quantile(const struct loghist *h, double p)
{
	double x, d;
	uint64_t lo;

	if (h->n == 0)
		return NAN;
	x = (double)(h->n - 1) * p;
	lo = (uint64_t)floor(x);
	d = x - (double)lo;
	if (lo + 1 >= h->n)
		return (double)h->max;
	return (1 - d) * loghist_order(h, lo) + d * loghist_order(h, lo + 1);
}
