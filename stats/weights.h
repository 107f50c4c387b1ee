/*
 * weights: the usage-ratio weights a user writes by hand (README, "Weights
 * file"), checked against the workloads of the data.
 *
 *   # comment
 *   share WORKLOAD P                 internal share of WORKLOAD's traffic
 *   share WORKLOAD external P        the same, given as the external share
 *   weight WORKLOAD W                importance weights (sum to 1), or
 *   count WORKLOAD N                 usage counts (repetitions), not both
 *   metric WORKLOAD NAME             the repetition figure ranked
 *   reference KEY=VALUE ...          reference configuration (optional)
 */
#ifndef VMNETRANK_WEIGHTS_H
#define VMNETRANK_WEIGHTS_H

#include <stddef.h>

struct weights {
	size_t n;          /* one per workload of the data, in its order */
	double *share;     /* internal share, 0..1 */
	double *weight;    /* importance weight, or usage count */
	int *metric;       /* metric per workload (lib/metric.h), -1: unset */
	int counts;        /* weights are usage counts: total time */
	char **ref_keys, **ref_values; /* reference configuration */
	size_t nref;
	int defaulted;     /* no file: equal shares and weights */
	char *describe;    /* one line saying which weights these are */
};

/* Read PATH (NULL: equal shares 0.5 and equal weights) for the workloads
 * NAMES.  0, or -1 after reporting every problem as FILE:LINE. */
int weights_load(struct weights *w, const char *path,
		 const char *const *names, size_t n);
void weights_release(struct weights *w);

#endif
