/* Private to the rank stage: the loaded repetition times. */
#ifndef VMNETRANK_RANK_INT_H
#define VMNETRANK_RANK_INT_H

#include "rank.h"
#include "weights.h"
#include "../lib/csvout.h"

#include <stddef.h>

struct entry {
	size_t config, cell;
	double *x; /* repetition wall times, sorted once read */
	size_t n, cap;
	double mean, sd;
	int checked; /* seen in summary.csv */
};

struct cell {
	char *workload, *direction;
};

struct data {
	char **factors; /* factor keys, in file order (sorted by ingest) */
	size_t nfactors;
	char ***config; /* config -> factor values */
	size_t nconfigs;
	struct cell *cells;
	size_t ncells;
	struct entry *e;
	size_t ne;
};

/* The ranking of a set of entries of one cell. */
struct ranking {
	size_t k;
	size_t *idx;            /* entry indices, in config order */
	struct rank_pair *pair; /* i < j, row-major over the upper triangle */
	size_t *point, *lo, *hi;
	double *p1;
};

/*
 * Weighted scores and their sensitivity to the internal share (score.c):
 * writes scores.csv and sensitivity.csv rows.  CONFIGS lists the
 * configurations in output order, NAMES their display names; BM is the
 * bootstrap matrix (o->bootstrap rows of d->ne means) or NULL.
 */
int score_write(const struct data *d, const size_t *configs,
		char *const *names, const struct weights *w,
		const struct rank_options *o, const double *bm,
		struct csvout *scores, struct csvout *sens);

#endif
