/* What compute.c (ordering, the writer and its threads) and
 * compute_group.c (a group's figures) share. */
#ifndef VMNETRANK_COMPUTE_INT_H
#define VMNETRANK_COMPUTE_INT_H

#include "stats_int.h"
#include "../lib/csvout.h"

/* A worker's scratch arrays, grown as needed and kept across groups. */
struct work {
	uint64_t *optmp; /* the sort buffer of a group's durations */
	size_t captmp;
	struct repfig *rf;
	size_t caprf;
	double *vals;    /* one metric's values over the repetitions */
	size_t capvals;
	double *repmeans;
	size_t capmeans;
};

struct outputs {
	struct csvout reps, summary, hist;
};

/* A group's rows: reps.csv and hist.csv of the data stats was asked for;
 * summary.csv of all operations and, with --steady, of the steady state
 * too (stats-spec.md: report both). */
int group_figures(struct stats_table *t, const struct stats_options *o,
		  uint32_t gi, struct work *wk, struct outputs *out);

#endif
