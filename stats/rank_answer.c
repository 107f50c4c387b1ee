/* The rank stage: its verdicts on the terminal, one line per cell. */
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

/* Sizes NA + NB of a "beats" pair of R at which no rank test reaches
 * alpha (1), else 0. */
static int beats_on_normality(const struct data *d, const struct ranking *R,
			      double alpha, size_t *na, size_t *nb)
{
	for (size_t i = 0; i < R->ke; i++)
		for (size_t j = i + 1; j < R->ke; j++) {
			const struct rank_pair *p = &R->pair[rank_pair_at(R->ke, i, j)];
			size_t a = d->e[R->idx[i]].n, b = d->e[R->idx[j]].n;

			if (p->verdict != 0 && kern_mw_min_p(a, b) > alpha) {
				*na = a;
				*nb = b;
				return 1;
			}
		}
	return 0;
}

/* "; 2x [1.95, 2.05] faster than WHO, NAME": how much faster the entry
 * BEST is than entry I of the ranking, from their pair's Fieller interval
 * (pairs.csv), on the analysis scale; "" when I is none (R->ke) or the
 * interval is unbounded. */
static void margin_over(const struct data *d, const struct ranking *R,
			char *const *names, size_t best, size_t i,
			const char *who, char *buf, size_t cap)
{
	const struct rank_pair *pr;
	const struct metric *mt = &metrics[d->cells[d->e[R->idx[best]].cell].metric];
	double f, flo, fhi;

	buf[0] = '\0';
	if (i >= R->ke || i == best)
		return;
	pr = &R->pair[i < best ? rank_pair_at(R->ke, i, best) : rank_pair_at(R->ke, best, i)];
	if (i < best) { /* T_i / T_best */
		f = pr->ratio;
		flo = pr->ratio_lo;
		fhi = pr->ratio_hi;
	} else {        /* T_best / T_i, inverted */
		f = 1 / pr->ratio;
		flo = pr->back_lo;
		fhi = pr->back_hi;
	}
	if (isfinite(f) && isfinite(flo) && isfinite(fhi))
		snprintf(buf, cap, "; %.3gx [%.3g, %.3g] %s than %s, %s", f, flo,
			 fhi, mt->higher ? "higher" : "faster", who,
			 names[d->e[R->idx[i]].config]);
}

/* One line per cell: the fastest when the tests prove it, else the tied
 * set; then the configurations that are not eligible, with their failed
 * operations. */
void rank_print_answer(const struct data *d, const struct ranking *R,
			 char *const *names, const struct rank_options *o)
{
	const struct entry *e0 = &d->e[R->idx[0]];
	const struct cell *c = &d->cells[e0->cell];
	const struct metric *mt = &metrics[c->metric];
	size_t best = 0;
	char t1[32], t2[64];
	double lo, hi;

	for (size_t i = 0; i < R->k; i++)
		if (R->point[i] == 1)
			best = i;
	term_printf(stdout, "%s, %s (%s, %s is better): ", c->workload, c->direction,
	       mt->noun, mt->higher ? "higher" : "lower");
	if (R->ke == 0) {
		term_printf(stdout, "none can be named fastest: every configuration has "
		       "failed operations\n");
	} else {
		const struct entry *b = &d->e[R->idx[best]];

		rank_entry_interval(d, b, 1 - o->alpha, &lo, &hi);
		metric_format_ci(t1, sizeof t1, t2, sizeof t2, mt->unit,
				 rank_entry_shown(d, b, b->mean), lo, hi);
		/* named alone only when it beats every other eligible one
		 * (its rank interval is 1..1); else with every one it is
		 * not proven faster than */
		char ci[96];

		if (*t2)
			snprintf(ci, sizeof ci, ", %g%% CI %s",
				 100 * (1 - o->alpha), t2);
		else
			snprintf(ci, sizeof ci, " (one repetition: no interval)");
		if (R->k == 1)
			term_printf(stdout, "one configuration only: %s, mean %s%s\n",
			       names[b->config], t1, ci);
		else if (R->ke == 1 || R->hi[best] == 1) {
			char by[256] = "";

			if (R->ke > 1) {
				size_t i = 0;

				while (i < R->ke && R->point[i] != 2)
					i++;
				margin_over(d, R, names, best, i, "the next", by, sizeof by);
			}
			term_printf(stdout, "fastest: %s, mean %s%s%s%s\n", names[b->config], t1, ci,
			       R->ke == 1 ? ", the only one without failed "
					    "operations (beyond --max-failed)"
					  : ", proven faster than every other "
					    "one", by);
		}
		else {
			size_t nt = 1;

			size_t ne = 0;
			char why[256], eq[1024] = "", best_s[96], tail[2048];

			term_printf(stdout, "tied for fastest: %s", names[b->config]);
			for (size_t r = 2; r <= R->ke; r++) {
				const struct rank_pair *pr;
				size_t i = 0;

				while (R->point[i] != r)
					i++;
				pr = &R->pair[i < best ? rank_pair_at(R->ke, i, best)
						       : rank_pair_at(R->ke, best, i)];
				if (pr->verdict != (i < best ? -1 : 1)) {
					term_printf(stdout, ", %s", names[d->e[R->idx[i]].config]);
					nt++;
					if (pr->equal)
						verdict_list_add(eq, sizeof eq, &ne,
								 names[d->e[R->idx[i]].config]);
				}
			}
			verdict_power(why, sizeof why, R->n_reps, R->cv,
				      R->detectable, (double)R->reps_needed,
				      o->detect, o->margin);
			snprintf(best_s, sizeof best_s, "the best mean, %s", t1);
			verdict_tie(tail, sizeof tail, names[b->config], best_s,
				    "faster", nt, ne, eq, o->margin, why);
			{
				/* the best one's margin over the first that the
				 * tie leaves out, when it leaves one out */
				char by[256] = "";
				size_t out = R->ke, outr = 0;

				for (size_t i = 0; i < R->ke; i++) {
					const struct rank_pair *pr;

					if (i == best)
						continue;
					pr = &R->pair[i < best ? rank_pair_at(R->ke, i, best)
							       : rank_pair_at(R->ke, best, i)];
					if (pr->verdict == (i < best ? -1 : 1) &&
					    (out == R->ke || R->point[i] < outr)) {
						out = i;
						outr = R->point[i];
					}
				}
				margin_over(d, R, names, best, out,
					    "the next outside the tie", by,
					    sizeof by);
				term_printf(stdout, "%s%s\n", tail, by);
			}
		}
		{
			size_t na, nb;

			if (beats_on_normality(d, R, o->alpha, &na, &nb))
				term_printf(stdout, "  with %zu + %zu repetitions no rank "
						    "test can reach p < %g: 'beats' here "
						    "rests on repetition times close to "
						    "normal\n",
					    na, nb, o->alpha);
		}
	}
	{
		/* the eligible with failed operations: one line each, or one
		 * line for all when there are more than three */
		size_t nf = 0;
		long fmin = 0, fmax = 0;
		double smax = 0;

		for (size_t i = 0; i < R->ke; i++) {
			const struct entry *e = &d->e[R->idx[i]];

			if (!e->failed_ops)
				continue;
			if (!nf++ || e->failed_ops < fmin)
				fmin = e->failed_ops;
			if (e->failed_ops > fmax)
				fmax = e->failed_ops;
			if (rank_entry_failed_share(e) > smax)
				smax = rank_entry_failed_share(e);
		}
		if (nf > 3)
			term_printf(stdout, "  with failed operations, allowed by "
				    "--max-failed: %zu configurations, %ld to %ld "
				    "failed each (at most %.3g%% of their "
				    "operations; ranks.csv has each)\n",
				    nf, fmin, fmax, 100 * smax);
	}
	for (size_t i = 0; i < R->k; i++) {
		const struct entry *e = &d->e[R->idx[i]];
		size_t nf = 0;

		for (size_t j = 0; j < R->ke; j++)
			nf += d->e[R->idx[j]].failed_ops > 0;
		if (i < R->ke && e->failed_ops && nf <= 3)
			term_printf(stdout, "  with failed operations, allowed by "
			       "--max-failed: %s: %ld of %ld (%.3g%%)\n",
			       names[e->config], e->failed_ops, e->n_ops,
			       100 * rank_entry_failed_share(e));
		else if (i >= R->ke)
			term_printf(stdout, "  not eligible: %s: %ld of %ld operations "
			       "failed (%.3g%%)%s\n",
			       names[e->config], e->failed_ops, e->n_ops,
			       100 * rank_entry_failed_share(e),
			       e->n ? "" : ", no times at all");
	}
}

/* ---- names and views ---- */
