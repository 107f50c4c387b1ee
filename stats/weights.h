/*
 * weights: the usage-ratio weights a user writes by hand (README, "Weights
 * file"), checked against the workloads of the data.
 *
 *   # comment
 *   share WORKLOAD P                 internal share of WORKLOAD's traffic
 *                                    (0.2 or 20%)
 *   share WORKLOAD external P        the same, given as the external share
 *   weight WORKLOAD W                importance weights (rescaled to sum
 *                                    to 1; 0.5 or 50%), or
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
	int defaulted;     /* no file and no --share: equal shares and
	                      weights */
	char *describe;    /* one line saying which weights these are */
};

/* Read PATH (NULL: equal shares 0.5 and equal weights) for the workloads
 * NAMES, then the command line's CLI shares ("WORKLOAD=P", --share), which
 * win over the file's.  Weights that do not sum to 1 are rescaled, with a
 * warning.  0, or -1 after reporting every problem as FILE:LINE. */
int weights_load(struct weights *w, const char *path,
		 const char *const *names, size_t n,
		 const char *const *cli, size_t ncli);

/* A share written as a fraction from 0 to 1 ("0.2") or a percentage from
 * 0 to 100 ("20%"), into *V (0..1).  0; -1 not a number; -2 outside its
 * range (a bare number above 1 is no share: "20" may mean 20% or a
 * mistake, and is refused, never guessed). */
int weights_share(const char *s, double *v);

/* The message for weights_share()'s RC about S, for diagnostics. */
const char *weights_share_why(int rc);
void weights_release(struct weights *w);

#endif
