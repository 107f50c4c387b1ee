/*
 * loghist: a log-linear histogram of non-negative integers (durations in
 * microseconds), for quantiles of more values than it pays to keep.
 *
 * The layout of HdrHistogram and of fio's latency buckets: values below
 * 2^(LOGHIST_SUB_BITS + 1) (512) each have a bucket of their own; above,
 * each power of two [2^m, 2^(m+1)) is cut into 2^LOGHIST_SUB_BITS (256)
 * equal buckets, so a bucket is at most 1/256 of the values it holds
 * wide.  A value is read back as its bucket's middle: within
 * LOGHIST_REL_ERROR (1/512) of itself, exactly when below 512.  Counts,
 * the sum, the minimum and the maximum are exact; two histograms merge by
 * adding counts, so a merged one is the one of all the values.
 *
 *   struct loghist h;  loghist_init(&h);
 *   loghist_add(&h, v) per value    (or loghist_merge(&h, &other))
 *   loghist_quantile(&h, 0.99)      (R's type 7, as kern_quantile_u64)
 *   loghist_release(&h);
 */
#ifndef VMNETRANK_LOGHIST_H
#define VMNETRANK_LOGHIST_H

#include <stddef.h>
#include <stdint.h>

#define LOGHIST_SUB_BITS 8
/* the largest relative error of a value read back, |v' - v| / v */
#define LOGHIST_REL_ERROR (1.0 / 512)
/* buckets for every uint64_t: 2^(SUB_BITS + 1) exact, then 2^SUB_BITS
 * for each of the 63 - SUB_BITS higher powers of two (14,592 in all) */
#define LOGHIST_BUCKETS (((size_t)65 - LOGHIST_SUB_BITS) << LOGHIST_SUB_BITS)

struct loghist {
	uint64_t *count; /* LOGHIST_BUCKETS, allocated at the first value */
	uint64_t n;
	long double sum;
	uint64_t min, max;
};

void loghist_init(struct loghist *h);
void loghist_release(struct loghist *h);
/* Forget the values, keep the memory. */
void loghist_clear(struct loghist *h);
/* 0, or -1 when out of memory (then the value is not counted). */
int loghist_add(struct loghist *h, uint64_t v);
int loghist_merge(struct loghist *h, const struct loghist *from);

/* The bucket of V, and the values [lo, hi] bucket B holds. */
size_t loghist_bucket(uint64_t v);
void loghist_range(size_t b, uint64_t *lo, uint64_t *hi);
/* The value bucket B stands for: its middle (its one value when exact). */
double loghist_value(size_t b);

/* The K-th smallest value (0-based, K < n) as its bucket's value (the
 * exact minimum and maximum at the ends). */
double loghist_order(const struct loghist *h, uint64_t k);
/* Quantile P of the values as R's type 7 (kern_quantile_u64) computes it
 * on the sorted values, from the order statistics above; NaN when empty. */
double loghist_quantile(const struct loghist *h, double p);

#endif
