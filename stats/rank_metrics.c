/* The rank stage: which metric each workload is ranked by, who may win
 * (failed operations), and the repetitions in the analysis scale. */
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

/* The share of E's operations that failed. */
double rank_entry_failed_share(const struct entry *e)
{
	return e->n_ops > 0 ? (double)e->failed_ops / (double)e->n_ops : 0;
}

/* What is shown of E's analysis value V (rates: the reciprocal back). */
double rank_entry_shown(const struct data *d, const struct entry *e, double v)
{
	return metrics[d->cells[e->cell].metric].higher ? 1.0 / v : v;
}

/* E's t interval at level CONF in its metric's own terms (for rates the
 * reciprocal of the interval of mean(1/x); an end at 0 or below: NaN). */
void rank_entry_interval(const struct data *d, const struct entry *e,
			   double conf, double *lo, double *hi)
{
	double a, b;

	kern_t_ci(e->mean, e->sd, e->n, conf, &a, &b);
	if (metrics[d->cells[e->cell].metric].higher) {
		*lo = b > 0 ? 1.0 / b : NAN;
		*hi = a > 0 ? 1.0 / a : NAN;
	} else {
		*lo = a;
		*hi = b;
	}
}

/*
 * The metric of each workload: WORKLOAD=NAME on the command line, else the
 * weights file's, else --metric NAME, else wall.  Wall falls back to busy
 * (and says so) where the start stamps are too coarse to give it; a metric
 * asked for that some configuration does not have is an error.
 */
int rank_choose_metrics(struct data *d, const struct rank_options *o,
			  const struct weights *w, char **wl, size_t nwl)
{
	int rc = 0, global = -1;
	int *cli = malloc((nwl + 1) * sizeof *cli);

	if (!cli)
		return -1;
	for (size_t j = 0; j < nwl; j++)
		cli[j] = -1;
	for (size_t i = 0; i < o->nmetrics; i++) {
		const char *s = o->metrics[i], *eq = strchr(s, '=');
		const struct metric *m = metric_find(eq ? eq + 1 : s);
		size_t j = 0;

		if (!m) {
			diag(DIAG_USAGE, "--metric '%s': unknown metric "
					 "(expected %s, or WORKLOAD=NAME)",
			     s, metric_names());
			rc = -1;
			continue;
		}
		if (!eq) {
			global = (int)(m - metrics);
			continue;
		}
		for (j = 0; j < nwl; j++)
			if (strlen(wl[j]) == (size_t)(eq - s) &&
			    memcmp(wl[j], s, (size_t)(eq - s)) == 0)
				break;
		if (j == nwl) {
			char known[512] = "";

			for (size_t k = 0; k < nwl; k++)
				snprintf(known + strlen(known),
					 sizeof known - strlen(known), "%s%s",
					 k ? ", " : "", wl[k]);
			diag(DIAG_USAGE, "--metric '%s': no workload '%.*s' "
					 "(the data have: %s)",
			     s, (int)(eq - s), s, known);
			rc = -1;
			continue;
		}
		cli[j] = (int)(m - metrics);
	}
	for (size_t j = 0; j < nwl && rc == 0; j++) {
		int m = cli[j] >= 0 ? cli[j] : w->metric[j] >= 0 ? w->metric[j]
								  : global;
		const char *src = cli[j] >= 0 ? "--metric" : w->metric[j] >= 0
							? "the weights file"
						: global >= 0 ? "--metric"
							      : NULL;
		char note[512];
		size_t coarse = 0, lacking = 0, fewer = 0;
		const char *who = NULL;

		if (m < 0)
			m = M_WALL;
		for (size_t i = 0; i < d->ne; i++) {
			const struct entry *e = &d->e[i];

			if (strcmp(d->cells[e->cell].workload, wl[j]) != 0 ||
			    e->nv[M_BUSY] == 0)
				continue; /* every operation failed */
			if (e->nv[M_WALL] < e->nv[M_BUSY])
				coarse++;
			if (e->nv[m] == 0) {
				lacking++;
				who = d->cells[e->cell].direction;
			} else if (e->nv[m] < e->nv[M_BUSY]) {
				fewer++;
			}
		}
		if (!src && coarse) {
			m = M_BUSY;
			snprintf(note, sizeof note,
				 "instead of the default, wall time, which "
				 "cannot be known: %zu configuration%s %s "
				 "no start stamps, or ones coarser than their "
				 "operations (summary.csv's note says which)",
				 coarse, coarse == 1 ? "" : "s",
				 coarse == 1 ? "has" : "have");
			diag(DIAG_WARNING, "rank: %s is ranked by busy time, "
					   "not wall time: %zu configuration%s "
					   "%s no start stamps, or ones coarser "
					   "than their operations (see "
					   "summary.csv's note)",
			     wl[j], coarse, coarse == 1 ? "" : "s",
			     coarse == 1 ? "has" : "have");
		} else if (lacking) {
			diag(DIAG_ERROR,
			     "rank: %s cannot be ranked by %s: %zu "
			     "configuration%s (e.g. in %s) %s no %s at all "
			     "(summary.csv's note says why; choose another "
			     "--metric)",
			     wl[j], metrics[m].name, lacking,
			     lacking == 1 ? "" : "s", who,
			     lacking == 1 ? "has" : "have", metrics[m].name);
			rc = -1;
			continue;
		} else {
			snprintf(note, sizeof note, "%s%s", src ? "chosen with " : "the default",
				 src ? src : "");
			if (fewer)
				diag(DIAG_WARNING,
				     "rank: %s: %zu configuration%s have %s "
				     "for only some of their repetitions; "
				     "those without one are left out "
				     "(summary.csv's note says why)",
				     wl[j], fewer, fewer == 1 ? "" : "s",
				     metrics[m].name);
		}
		for (size_t c = 0; c < d->ncells; c++)
			if (strcmp(d->cells[c].workload, wl[j]) == 0) {
				d->cells[c].metric = m;
				free(d->cells[c].metric_note);
				d->cells[c].metric_note = strdup(note);
				if (!d->cells[c].metric_note)
					rc = -1;
			}
	}
	free(cli);
	return rc;
}

/*
 * A cell ranked by a total (wall or busy time) whose configurations'
 * repetitions hold different numbers of operations compares different
 * amounts of work: 50 requests of one runner against 35,000 of another,
 * or fixed-duration runs.  A warning names the two ends, and the cell's
 * note carries it into ranks.csv and the report.
 */
static int unequal_work(struct data *d, char *const *names)
{
	for (size_t c = 0; c < d->ncells; c++) {
		struct cell *cl = &d->cells[c];
		double lo = INFINITY, hi = 0;
		size_t ilo = 0, ihi = 0;

		if (cl->metric != M_WALL && cl->metric != M_BUSY)
			continue;
		for (size_t i = 0; i < d->ne; i++) {
			const struct entry *e = &d->e[i];
			double per;

			if (e->cell != c || e->n == 0 || e->nv[M_BUSY] == 0)
				continue;
			per = (double)e->n_ops / (double)e->nv[M_BUSY];
			if (per < lo) {
				lo = per;
				ilo = i;
			}
			if (per > hi) {
				hi = per;
				ihi = i;
			}
		}
		if (!(hi > lo * 1.1))
			continue;
		{
			char add[512], *nn;
			const char *was = cl->metric_note ? cl->metric_note : "";

			snprintf(add, sizeof add,
				 "%s%stheir repetitions hold different numbers "
				 "of operations (%.6g in %s to %.6g in %s): a "
				 "total time of different amounts of work does "
				 "not compare; rank by op-mean, op-rate or "
				 "throughput",
				 was, *was ? "; " : "", lo,
				 names[d->e[ilo].config], hi,
				 names[d->e[ihi].config]);
			diag(DIAG_WARNING,
			     "rank: %s, %s: the repetitions of its "
			     "configurations hold different numbers of "
			     "operations (%.6g in %s to %.6g in %s), so each "
			     "one's %s measures a different amount of work: rank by "
			     "op-mean, op-rate or throughput (--metric "
			     "%s=op-mean)",
			     cl->workload, cl->direction, lo,
			     names[d->e[ilo].config], hi,
			     names[d->e[ihi].config], metrics[cl->metric].noun,
			     cl->workload);
			nn = strdup(add);
			if (!nn)
				return -1;
			free(cl->metric_note);
			cl->metric_note = nn;
		}
	}
	return 0;
}

/* Each entry's values of its cell's metric on the analysis scale, and
 * whether it may be named fastest; the message that excludes one says how
 * many operations failed and how to allow that share. */
struct idval {
	long id;
	double x;
};

static int cmp_idval(const void *a, const void *b)
{
	const struct idval *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* E's values of the cell's metric M per round (pid, px, pn), from its
 * unsorted e->x and the rounds of its values; none (pn 0) when some
 * value has no round. */
static int by_round(struct entry *e, const struct metric *m)
{
	struct idval *iv;
	const long *rid = e->rid[m - metrics];
	size_t k = 0;

	(void)m;
	e->pn = 0;
	if (!e->n || !rid)
		return 0;
	for (size_t i = 0; i < e->n; i++)
		if (rid[i] < 0)
			return 0;
	iv = malloc(e->n * sizeof *iv);
	e->pid = malloc(e->n * sizeof *e->pid);
	e->px = malloc(e->n * sizeof *e->px);
	if (!iv || !e->pid || !e->px) {
		free(iv);
		return -1;
	}
	for (size_t i = 0; i < e->n; i++)
		iv[i] = (struct idval){ rid[i], e->x[i] };
	qsort(iv, e->n, sizeof *iv, cmp_idval);
	for (size_t i = 0; i < e->n;) {
		size_t j = i;
		double s = 0;

		while (j < e->n && iv[j].id == iv[i].id)
			s += iv[j++].x;
		e->pid[k] = iv[i].id;
		e->px[k++] = s / (double)(j - i);
		i = j;
	}
	e->pn = k;
	free(iv);
	return 0;
}

int rank_analyse(struct data *d, const struct rank_options *o,
		   char *const *names)
{
	for (size_t i = 0; i < d->ne; i++) {
		struct entry *e = &d->e[i];
		const struct cell *c = &d->cells[e->cell];
		const struct metric *m = &metrics[c->metric];
		double share = rank_entry_failed_share(e);
		int finite = 1;

		e->n = e->nv[c->metric];
		e->x = malloc((e->n + 1) * sizeof *e->x);
		if (!e->x)
			return -1;
		for (size_t k = 0; k < e->n; k++) {
			e->x[k] = m->higher ? 1.0 / e->v[c->metric][k]
					    : e->v[c->metric][k];
			finite &= isfinite(e->x[k]);
		}
		if (by_round(e, m) != 0)
			return -1;
		gsl_sort(e->x, 1, e->n);
		kern_mean_sd(e->x, e->n, &e->mean, &e->sd);
		e->eligible = e->n > 0 && finite && share <= o->max_failed;
		if (e->n == 0 && e->failed_ops)
			diag(DIAG_WARNING,
			     "rank: %s, %s: %s: every operation failed (%ld of "
			     "%ld): no times at all, shown as failed",
			     c->workload, c->direction, names[e->config],
			     e->failed_ops, e->n_ops);
		else if (!finite)
			diag(DIAG_WARNING,
			     "rank: %s, %s: %s: a repetition has a %s of 0: "
			     "not eligible to be named fastest",
			     c->workload, c->direction, names[e->config], m->name);
		else if (!e->eligible)
			diag(DIAG_WARNING,
			     "rank: %s, %s: %s: %ld of %ld operations failed "
			     "(%.3g%%): not eligible to be named fastest "
			     "(allow that share with --max-failed %g)",
			     c->workload, c->direction, names[e->config],
			     e->failed_ops, e->n_ops, 100 * share,
			     ceil(share * 1e6) / 1e6);
	}
	return unequal_work(d, names);
}

/* ---- comparing ---- */
