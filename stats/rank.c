/* The rank stage: pairs.csv, ranks.csv and kendall.csv from reps.csv. */
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
#include <gsl/gsl_sort.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


static void compare(const double *a, size_t na, const double *b, size_t nb,
		    double alpha, double margin, struct kern_mw_cache *cache,
		    struct rank_pair *o)
{
	double ma, sa, mb, sb, tq;
	struct kern_welch w;

	memset(o, 0, sizeof *o);
	kern_mean_sd(a, na, &ma, &sa);
	kern_mean_sd(b, nb, &mb, &sb);
	kern_welch(ma, sa, na, mb, sb, nb, 1 - alpha, &w);
	o->t = w.t;
	o->df = w.df;
	o->p = isfinite(w.p) ? w.p : 1.0;
	o->ratio = ma / mb;
	o->ratio_lo = o->back_lo = -INFINITY;
	o->ratio_hi = o->back_hi = INFINITY;
	if (isfinite(w.df)) {
		double sea = sa / sqrt((double)na), seb = sb / sqrt((double)nb);

		tq = gsl_cdf_tdist_Pinv(1 - alpha / 2, w.df);
		kern_fieller(ma, sea, mb, seb, tq, &o->ratio_lo, &o->ratio_hi);
		kern_fieller(mb, seb, ma, sea, tq, &o->back_lo, &o->back_hi);
	}
	/* equal within the margin: [1 - m, 1 / (1 - m)] is symmetric on the
	 * log scale, so the test is the same from either side */
	o->p_eq = isfinite(w.df) || (sa == 0 && sb == 0)
			  ? kern_ratio_tost(ma, sa / sqrt((double)na), mb,
					    sb / sqrt((double)nb), w.df,
					    1 - margin, 1 / (1 - margin))
			  : 1;
	kern_mann_whitney_cached(a, na, b, nb, &o->u, &o->p_mw, cache);
}

void rank_compare(const double *a, size_t na, const double *b, size_t nb,
		  double alpha, double margin, struct rank_pair *out)
{
	compare(a, na, b, nb, alpha, margin, NULL, out);
}

int rank_verdict(double p_holm, double alpha, double margin, double ab_hi,
		 double ba_hi)
{
	if (p_holm < alpha && ab_hi < 1 - margin)
		return 1;
	if (p_holm < alpha && ba_hi < 1 - margin)
		return -1;
	return 0;
}

static void ranking_free(struct ranking *R)
{
	free(R->idx);
	free(R->pair);
	free(R->point);
	free(R->lo);
	free(R->hi);
	free(R->p1);
	memset(R, 0, sizeof *R);
}

size_t rank_pair_at(size_t k, size_t i, size_t j)
{
	return i * k - i * (i + 1) / 2 + (j - i - 1);
}

static const struct data *order_data;

/* Better first: eligible, then with values, then by mean, then config. */
static int by_mean(const struct entry *x, const struct entry *y)
{
	if (x->eligible != y->eligible)
		return y->eligible - x->eligible;
	if ((x->n > 0) != (y->n > 0))
		return (y->n > 0) - (x->n > 0);
	if (x->n > 0 && x->mean != y->mean)
		return x->mean < y->mean ? -1 : 1;
	return (x->config > y->config) - (x->config < y->config);
}

/* qsort of entry indices of order_data (one thread) */
static int cmp_by_mean(const void *a, const void *b)
{
	return by_mean(&order_data->e[*(const size_t *)a],
		       &order_data->e[*(const size_t *)b]);
}

/* An entry and its place in a ranking's idx, sorted without globals (the
 * cells are ranked on several threads). */
struct placed {
	const struct entry *e;
	size_t at;
};

static int cmp_placed(const void *a, const void *b)
{
	return by_mean(((const struct placed *)a)->e,
		       ((const struct placed *)b)->e);
}

/* The comparison of entries EA and EB as FAMILY (a ranking of their whole
 * cell) made it, from EA's side; AT: each entry's place in FAMILY->idx. */
static struct rank_pair family_pair(const struct data *d,
				    const struct ranking *family,
				    const size_t *at, size_t ea, size_t eb)
{
	size_t pa = at[ea], pb = at[eb];
	struct rank_pair p, q;

	if (pa < pb)
		return family->pair[rank_pair_at(family->ke, pa, pb)];
	q = family->pair[rank_pair_at(family->ke, pb, pa)];
	p = q;
	p.ratio = 1 / q.ratio;
	p.ratio_lo = q.back_lo;
	p.ratio_hi = q.back_hi;
	p.back_lo = q.ratio_lo;
	p.back_hi = q.ratio_hi;
	p.t = -q.t;
	p.u = (double)d->e[ea].n * (double)d->e[eb].n - q.u;
	p.verdict = -q.verdict;
	return p;
}



static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of the first N of V (sorted in place); NaN when N = 0. */
static double median_of(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* R's power figures from its eligible entries (the first R->ke). */
static void cell_power(const struct data *d, struct ranking *R,
		       const struct rank_options *o, double *tmp)
{
	size_t m = R->ke * (R->ke ? R->ke - 1 : 0) / 2, k = 0;
	double n;
	struct cellpower *c = R->k && d->power ? &d->power[d->e[R->idx[0]].cell] : NULL;

	R->cv = R->n_reps = R->detectable = NAN;
	R->reps_needed = 0;
	if (c && c->done) {
		/* every view of the whole cell: the same figures */
		R->cv = c->cv;
		R->n_reps = c->n_reps;
		R->detectable = c->detectable;
		R->reps_needed = c->reps_needed;
		return;
	}
	for (size_t i = 0; i < R->ke; i++) {
		const struct entry *e = &d->e[R->idx[i]];

		if (e->n >= 2 && e->mean > 0)
			tmp[k++] = e->sd / e->mean;
	}
	R->cv = median_of(tmp, k);
	for (size_t i = 0; i < R->ke; i++)
		tmp[i] = (double)d->e[R->idx[i]].n;
	R->n_reps = n = median_of(tmp, R->ke);
	R->detectable = rank_detectable(n, R->cv, m, o->alpha, o->margin);
	if (isfinite(R->detectable))
		R->reps_needed = rank_reps_needed(R->cv, m, o->alpha, o->margin,
						  o->detect);
	if (c) {
		c->done = 1;
		c->cv = R->cv;
		c->n_reps = R->n_reps;
		c->detectable = R->detectable;
		c->reps_needed = R->reps_needed;
	}
}

/* BM: the bootstrap matrix, o->bootstrap rows of d->ne resampled means
 * (NULL when there is no bootstrap).  IDX is reordered: the eligible
 * first (in their order), the rest after.  FAMILY: a ranking of every
 * configuration of the cell, whose verdicts (Holm over all its pairs)
 * this subset takes instead of testing its own smaller family; NULL: the
 * set is the cell. */
/* P(rank = 1) of R's eligible entries from the bootstrap BM (B resampled
 * means per entry): configurations tied for the best resampled mean
 * share that resample's credit; MEANS and WINS: R->k + 1 of scratch. */
static void ranking_p1(const struct data *d, struct ranking *R,
		       const struct rank_options *o, const double *bm,
		       double *means, double *wins)
{
	size_t ke = R->ke;
	const size_t *idx = R->idx;

	memset(wins, 0, (R->k + 1) * sizeof *wins);
	for (size_t b = 0; ke && b < o->bootstrap; b++) {
		double best = INFINITY;
		size_t ties = 0;

		for (size_t i = 0; i < ke; i++) {
			means[i] = bm[b * d->ne + idx[i]];
			if (means[i] < best) {
				best = means[i];
				ties = 1;
			} else if (means[i] == best) {
				ties++;
			}
		}
		for (size_t i = 0; i < ke; i++)
			if (means[i] == best)
				wins[i] += 1.0 / (double)ties;
	}
	for (size_t i = 0; i < R->k; i++)
		R->p1[i] = o->bootstrap && i < ke ? wins[i] / (double)o->bootstrap
						  : NAN;
}

static int rank_set(const struct data *d, const size_t *idx_in, size_t k,
		    const struct rank_options *o, const double *bm,
		    struct kern_mw_cache *cache, const struct ranking *family,
		    struct ranking *R)
{
	size_t np, ke = 0;
	double *praw = NULL, *padj = NULL, *peq = NULL;
	struct placed *order = NULL;
	size_t *idx, *at = NULL;
	double *wins = NULL;
	double *means = NULL;

	memset(R, 0, sizeof *R);
	R->k = k;
	R->idx = idx = malloc((k + 1) * sizeof *R->idx);
	if (!idx)
		goto nomem;
	for (size_t i = 0; i < k; i++)
		if (d->e[idx_in[i]].eligible)
			idx[ke++] = idx_in[i];
	for (size_t i = 0, j = ke; i < k; i++)
		if (!d->e[idx_in[i]].eligible)
			idx[j++] = idx_in[i];
	R->ke = ke;
	np = ke * (ke ? ke - 1 : 0) / 2;
	R->pair = calloc(np + 1, sizeof *R->pair);
	R->point = calloc(k + 1, sizeof *R->point);
	R->lo = calloc(k + 1, sizeof *R->lo);
	R->hi = calloc(k + 1, sizeof *R->hi);
	R->p1 = calloc(k + 1, sizeof *R->p1);
	praw = calloc(np + 1, sizeof *praw);
	padj = calloc(np + 1, sizeof *padj);
	peq = calloc(np + 1, sizeof *peq);
	order = malloc((k + 1) * sizeof *order);
	if (family && (at = malloc((d->ne + 1) * sizeof *at)) != NULL)
		for (size_t i = 0; i < family->k; i++)
			at[family->idx[i]] = i;
	wins = calloc(k + 1, sizeof *wins);
	means = malloc((k + 1) * sizeof *means);
	if (!R->pair || !R->point || !R->lo || !R->hi || !R->p1 ||
	    !praw || !padj || !peq || !order || !wins || !means ||
	    (family && !at))
		goto nomem;
	/* every pair of eligible ones: Welch, Fieller both ways,
	 * Mann-Whitney; Holm over all of them (or the cell's verdicts) */
	for (size_t i = 0; i < ke; i++)
		for (size_t j = i + 1; j < ke; j++) {
			const struct entry *a = &d->e[idx[i]], *b = &d->e[idx[j]];
			struct rank_pair *pr = &R->pair[rank_pair_at(ke, i, j)];

			if (family) {
				*pr = family_pair(d, family, at, idx[i], idx[j]);
				continue;
			}
			compare(a->x, a->n, b->x, b->n, o->alpha, o->margin,
				cache, pr);
			praw[rank_pair_at(ke, i, j)] = pr->p;
		}
	if (!family) {
		/* Holm over the cell's equivalence tests too: "equal" is a
		 * claim about the family, like "beats" */
		kern_holm(praw, np, padj);
		for (size_t q = 0; q < np; q++)
			praw[q] = R->pair[q].p_eq;
		kern_holm(praw, np, peq);
	}
	for (size_t i = 0; i < ke; i++)
		for (size_t j = i + 1; j < ke; j++) {
			struct rank_pair *pr = &R->pair[rank_pair_at(ke, i, j)];

			if (!family) {
				pr->p_holm = padj[rank_pair_at(ke, i, j)];
				pr->verdict = rank_verdict(pr->p_holm, o->alpha,
							   o->margin, pr->ratio_hi,
							   pr->back_hi);
				pr->p_eq_holm = peq[rank_pair_at(ke, i, j)];
				pr->equal = pr->p_eq_holm < o->alpha;
			}
			if (pr->verdict > 0) {
				R->hi[i]++; /* i beats j: counts for U_i */
				R->lo[j]++; /* j beaten by i: counts for L_j */
			} else if (pr->verdict < 0) {
				R->hi[j]++;
				R->lo[i]++;
			}
		}
	for (size_t i = 0; i < k; i++) {
		if (i < ke) {
			R->lo[i] = 1 + R->lo[i]; /* 1 + #beaten by */
			R->hi[i] = ke - R->hi[i]; /* ke - #beats */
		} else {
			/* after every eligible one, in no order of theirs */
			R->lo[i] = ke + 1;
			R->hi[i] = k;
		}
		order[i].e = &d->e[idx[i]];
		order[i].at = i;
	}
	qsort(order, k, sizeof *order, cmp_placed);
	for (size_t r = 0; r < k; r++)
		R->point[order[r].at] = r + 1;
	if (bm)
		ranking_p1(d, R, o, bm, means, wins);
	else /* none, or not yet (rank_run gives them after) */
		for (size_t i = 0; i < k; i++)
			R->p1[i] = NAN;
	if (family) {
		/* what the cell could show, not this subset */
		R->cv = family->cv;
		R->n_reps = family->n_reps;
		R->detectable = family->detectable;
		R->reps_needed = family->reps_needed;
	} else {
		cell_power(d, R, o, means);
	}
	free(praw);
	free(padj);
	free(peq);
	free(order);
	free(at);
	free(wins);
	free(means);
	return 0;
nomem:
	free(praw);
	free(padj);
	free(peq);
	free(order);
	free(at);
	free(wins);
	free(means);
	ranking_free(R);
	diag(DIAG_ERROR, "out of memory");
	return -1;
}

/* ---- the answer, on the terminal ---- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_cells(const void *a, const void *b)
{
	const struct cell *x = &order_data->cells[*(const size_t *)a];
	const struct cell *y = &order_data->cells[*(const size_t *)b];
	int c = strcmp(x->workload, y->workload);

	return c ? c : strcmp(x->direction, y->direction);
}

static int cmp_configs(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	for (size_t f = 0; f < order_data->nfactors; f++) {
		int c = strcmp(order_data->config[x][f], order_data->config[y][f]);

		if (c)
			return c;
	}
	return 0;
}

/* Every cell's ranking of all its configurations, FULL[cell], from
 * MEMBERS[AT[cell] .. AT[cell + 1]) (its entries in config order), on
 * O->threads threads: the cells are independent, each thread takes the
 * next one and has its own Mann-Whitney cache, and the rankings are the
 * same whichever thread made them. */
struct cells_job {
	const struct data *d;
	const struct rank_options *o;
	const double *bm;
	const size_t *members, *at;
	struct ranking *full;
	atomic_size_t next;
	atomic_int failed;
};

static void *rank_cells_worker(void *arg)
{
	struct cells_job *J = arg;
	struct kern_mw_cache cache = { 0, 0, NULL };

	for (;;) {
		size_t c = atomic_fetch_add(&J->next, 1);

		if (c >= J->d->ncells || atomic_load(&J->failed))
			break;
		if (rank_set(J->d, J->members + J->at[c], J->at[c + 1] - J->at[c],
			     J->o, J->bm, &cache, NULL, &J->full[c]) != 0)
			atomic_store(&J->failed, 1);
	}
	kern_mw_cache_release(&cache);
	return NULL;
}

static int rank_cells(const struct data *d, const struct rank_options *o,
		      const double *bm, const size_t *members,
		      const size_t *at, struct ranking *full)
{
	struct cells_job J = { d, o, bm, members, at, full, 0, 0 };
	pthread_t t;
	int second = o->threads > 1 && d->ncells > 1 &&
		     pthread_create(&t, NULL, rank_cells_worker, &J) == 0;

	rank_cells_worker(&J);
	if (second)
		pthread_join(t, NULL);
	return atomic_load(&J.failed) ? -1 : 0;
}

/* The bootstrap's draws: B resampled means per entry into BM. */
struct boot_job {
	const struct data *d;
	const struct rank_options *o;
	struct kern_mt *rng; /* gsl_rng_mt19937's numbers */
	double *bm;
};

#define BOOT_BLOCK 4	       /* entries whose draws are made together */
#define BOOT_BUF (BOOT_BLOCK * 1024) /* ... at most this many */

/* The sum of X over the draws IDX[0, N), in their order. */
static double boot_sum(const double *x, const size_t *idx, size_t n)
{
	double sum = 0;

	for (size_t m = 0; m < n; m++)
		sum += x[idx[m]];
	return sum;
}

static void *boot_draw(void *arg)
{
	const struct boot_job *J = arg;
	const struct data *d = J->d;
	struct kern_draw *dr = malloc((d->ne ? d->ne : 1) * sizeof *dr);
	size_t *idx = malloc(BOOT_BUF * sizeof *idx); /* not uint32_t: no alias of the generator */

	for (size_t i = 0; dr && i < d->ne; i++)
		kern_draw_init(&dr[i], J->rng, d->e[i].n);
	for (size_t b = 0; b < J->o->bootstrap; b++)
		for (size_t i = 0; i < d->ne;) {
			const struct entry *e = &d->e[i];
			size_t k = 0, total = 0, off = 0;

			/* a block of entries: their draws made in their order
			 * first, then each one's sum in its order (sums of
			 * entries of the same size side by side: separate
			 * chains of additions, the same sums) */
			while (dr && idx && i + k < d->ne && k < BOOT_BLOCK &&
			       total + d->e[i + k].n <= BOOT_BUF)
				total += d->e[i + k++].n;
			if (k == 0) { /* no memory, or too many: one by one */
				struct kern_draw one = { 0 };
				double sum = 0;

				if (!dr)
					kern_draw_init(&one, J->rng, e->n);
				for (size_t m = 0; m < e->n; m++)
					sum += e->x[kern_draw_int(dr ? &dr[i] : &one)];
				J->bm[b * d->ne + i] = e->n ? sum / (double)e->n : NAN;
				i++;
				continue;
			}
			for (size_t j = 0; j < k; j++)
				for (size_t m = 0; m < e[j].n; m++)
					idx[off++] = kern_draw_int(&dr[i + j]);
			if (k == 4 && e[1].n == e[0].n && e[2].n == e[0].n &&
			    e[3].n == e[0].n) {
				size_t n = e[0].n;
				double s0 = 0, s1 = 0, s2 = 0, s3 = 0;

				for (size_t m = 0; m < n; m++) {
					s0 += e[0].x[idx[m]];
					s1 += e[1].x[idx[n + m]];
					s2 += e[2].x[idx[2 * n + m]];
					s3 += e[3].x[idx[3 * n + m]];
				}
				J->bm[b * d->ne + i] = n ? s0 / (double)n : NAN;
				J->bm[b * d->ne + i + 1] = n ? s1 / (double)n : NAN;
				J->bm[b * d->ne + i + 2] = n ? s2 / (double)n : NAN;
				J->bm[b * d->ne + i + 3] = n ? s3 / (double)n : NAN;
			} else {
				off = 0;
				for (size_t j = 0; j < k; j++) {
					J->bm[b * d->ne + i + j] =
						e[j].n ? boot_sum(e[j].x, idx + off, e[j].n) /
								 (double)e[j].n
						       : NAN;
					off += e[j].n;
				}
			}
			i += k;
		}
	free(idx);
	free(dr);
	return NULL;
}

/* P(rank = 1) of every cell's ranking, once the bootstrap is drawn; -1
 * when out of memory. */
static int ranking_p1_all(const struct data *d, const struct rank_options *o,
			  const double *bm, struct ranking *full)
{
	size_t most = 0;
	double *means, *wins;

	for (size_t c = 0; c < d->ncells; c++)
		if (full[c].k > most)
			most = full[c].k;
	means = malloc((most + 1) * sizeof *means);
	wins = malloc((most + 1) * sizeof *wins);
	if (!means || !wins) {
		free(means);
		free(wins);
		return -1;
	}
	for (size_t c = 0; c < d->ncells; c++)
		ranking_p1(d, &full[c], o, bm, means, wins);
	free(means);
	free(wins);
	return 0;
}

int rank_run(const char *dir, const struct rank_options *o,
	     const char *outdir)
{
	static const char *const names[5] = { "pairs.csv", "ranks.csv",
					      "kendall.csv", "scores.csv",
					      "sensitivity.csv" };
	struct data d;
	struct outfile of[5];
	struct out w;
	struct csvout *cw[5] = { &w.pairs, &w.ranks, &w.kendall, &w.scores,
				 &w.sens };
	struct weights wts;
	double *bm = NULL;
	char **wlnames = NULL;
	size_t nwl = 0;
	int *lead = NULL, *bylead = NULL, opened = 0, rc = -1, have_by = 0;
	size_t *cells = NULL, *configs = NULL, *rankof = NULL, *idx = NULL;
	size_t *cpos = NULL, *ccount = NULL, *mat = NULL, *members = NULL;
	struct ranking *full = NULL;
	struct kern_mt *rng = NULL;
	struct boot_job boot;
	pthread_t boot_tid;
	int boot_thread = 0;
	struct kern_mw_cache cache = { 0, 0, NULL };
	char view[256];

	memset(&w, 0, sizeof w);
	memset(&wts, 0, sizeof wts);
	w.o = o;
	if (rank_load(dir, &d) != 0)
		return -1;
	/* the cost grows with the square of the configurations of a cell:
	 * said, and refused, before it is spent */
	if (o->max_configs) {
		size_t worst = 0, wc = 0;
		double pairs = 0;

		for (size_t c = 0; c < d.ncells; c++) {
			size_t k = 0;

			for (size_t i = 0; i < d.ne; i++)
				k += d.e[i].cell == c;
			pairs += (double)k * (double)(k - (k > 0)) / 2;
			if (k > worst) {
				worst = k;
				wc = c;
			}
		}
		if (worst > o->max_configs) {
			diag_at(DIAG_ERROR, dir, 0, 0,
				"%zu configurations in %s, %s (more than "
				"--max-configs %zu): %.0f comparisons in all, "
				"time and memory that grow with their square "
				"(1,000 configurations in 6 cells took 21 s "
				"and 880 MB when measured), and with "
				"--pairs-limit 0 a row of pairs.csv each "
				"(about %.3g MB); pass --max-configs 0 (or a "
				"larger number) to go on, or rank fewer",
				worst, d.cells[wc].workload, d.cells[wc].direction,
				o->max_configs, pairs, pairs * 150 / 1e6);
			rank_data_free(&d);
			return -1;
		}
	}
	/* the weights, checked against the workloads before anything is
	 * written */
	wlnames = calloc(d.ncells + 1, sizeof *wlnames);
	if (!wlnames)
		goto nomem;
	for (size_t c = 0; c < d.ncells; c++) {
		size_t j;

		for (j = 0; j < nwl; j++)
			if (strcmp(wlnames[j], d.cells[c].workload) == 0)
				break;
		if (j == nwl)
			wlnames[nwl++] = d.cells[c].workload;
	}
	order_data = &d;
	qsort(wlnames, nwl, sizeof *wlnames, cmp_names);
	if (weights_load(&wts, o->weights, (const char *const *)wlnames, nwl,
			 o->shares, o->nshares) != 0 ||
	    rank_choose_metrics(&d, o, &wts, wlnames, nwl) != 0)
		goto out;
	lead = calloc(d.nfactors + 1, sizeof *lead);
	bylead = calloc(d.nfactors + 1, sizeof *bylead);
	w.names = calloc(d.nconfigs + 1, sizeof *w.names);
	cells = malloc((d.ncells + 1) * sizeof *cells);
	configs = malloc((d.nconfigs + 1) * sizeof *configs);
	rankof = malloc((d.nconfigs + 1) * sizeof *rankof);
	idx = malloc((d.ne + 1) * sizeof *idx);
	cpos = malloc((d.nconfigs + 1) * sizeof *cpos);
	ccount = calloc(d.nconfigs + d.ncells + 2, sizeof *ccount);
	mat = calloc(d.ncells + 2, sizeof *mat);
	members = malloc((d.ne + 1) * sizeof *members);
	full = calloc(d.ncells + 1, sizeof *full);
	rng = malloc(sizeof *rng);
	if (!lead || !bylead || !w.names || !cells || !configs || !rankof ||
	    !idx || !cpos || !ccount || !mat || !members || !full || !rng)
		goto nomem;
	kern_mt_seed(rng, o->seed); /* gsl_rng_mt19937's numbers */
	/* --by: the factors whose best configuration each is ranked */
	if (o->by && *o->by) {
		const char *s = o->by;

		while (*s) {
			size_t n = strcspn(s, ",");
			size_t f;

			for (f = 0; f < d.nfactors; f++)
				if (strlen(d.factors[f]) == n &&
				    memcmp(d.factors[f], s, n) == 0)
					break;
			if (f == d.nfactors) {
				char known[512] = "";

				for (size_t k = 0; k < d.nfactors; k++)
					snprintf(known + strlen(known),
						 sizeof known - strlen(known),
						 "%s%s", k ? ", " : "",
						 d.factors[k]);
				diag(DIAG_USAGE,
				     "rank: --by '%.*s' is not a factor of "
				     "the data (factors: %s)",
				     (int)n, s, known);
				goto out;
			}
			bylead[f] = 1;
			have_by = 1;
			s += n + (s[n] == ',');
		}
		snprintf(view, sizeof view, "by-%s", o->by);
		memcpy(lead, bylead, d.nfactors * sizeof *lead);
	} else {
		for (size_t f = 0; f < d.nfactors; f++)
			if (strcmp(d.factors[f], "vm") == 0)
				lead[f] = 1;
	}
	for (size_t c = 0; c < d.nconfigs; c++)
		if (!(w.names[c] = rank_config_name(&d, c, lead)))
			goto nomem;
	d.power = calloc(d.ncells + 1, sizeof *d.power);
	if (!d.power || rank_analyse(&d, o, w.names) != 0)
		goto nomem;
	/* one bootstrap for everything: B resampled means per entry (on the
	 * analysis scale; NaN for an entry without values), drawn on a
	 * thread of its own while the cells' pairs are tested (the same
	 * draws in the same order: one generator) */
	if (o->bootstrap) {
		bm = malloc(o->bootstrap * d.ne * sizeof *bm);
		if (!bm)
			goto nomem;
		boot = (struct boot_job){ &d, o, rng, bm };
		boot_thread = o->threads > 1 &&
			      pthread_create(&boot_tid, NULL, boot_draw, &boot) == 0;
		if (!boot_thread)
			boot_draw(&boot);
	}
	for (; opened < 5; opened++) {
		char *p = outfile_path(outdir, names[opened]);
		int r = p ? outfile_open(&of[opened], p) : -1;

		free(p);
		if (r != 0)
			goto out;
		csvout_init(cw[opened], of[opened].fp);
	}
	csvout_row(&w.pairs, rank_pairs_cols);
	csvout_cstr(&w.ranks, "view");
	csvout_cstr(&w.ranks, "workload");
	csvout_cstr(&w.ranks, "direction");
	for (size_t f = 0; f < d.nfactors; f++)
		csvout_cstr(&w.ranks, d.factors[f]);
	{
		static const char *const rc_[] = {
			"name", "n_reps", "mean", "ci_lo", "ci_hi", "rank",
			"shared", "rank_lo", "rank_hi", "p_rank1", "bootstrap",
			"seed", "alpha", "metric", "unit", "better", "n_ops",
			"failed_ops", "failed_share", "eligible", "metric_note",
			"cell_cv", "cell_n_reps", "detectable", "detect",
			"reps_needed", "margin", NULL,
		};

		for (size_t i = 0; rc_[i]; i++)
			csvout_cstr(&w.ranks, rc_[i]);
	}
	csvout_endrow(&w.ranks);
	csvout_cstr(&w.kendall, "workload");
	csvout_cstr(&w.kendall, "n");
	csvout_cstr(&w.kendall, "tau");
	csvout_cstr(&w.kendall, "p");
	csvout_cstr(&w.kendall, "changed");
	csvout_cstr(&w.kendall, "method");
	csvout_endrow(&w.kendall);
	csvout_cstr(&w.scores, "scope");
	for (size_t f = 0; f < d.nfactors; f++)
		csvout_cstr(&w.scores, d.factors[f]);
	{
		static const char *const sc[] = {
			"name", "score", "ci_lo", "ci_hi", "rank", "shared",
			"rank_lo", "rank_hi", "kind", "reference", "weights",
			"method", "alpha", "metric", "eligible", "why", NULL,
		};
		static const char *const se[] = {
			"scope", "kind", "p_lo", "p_hi", "a", "b", "detail",
			"tested", NULL,
		};

		for (size_t i = 0; sc[i]; i++)
			csvout_cstr(&w.scores, sc[i]);
		csvout_endrow(&w.scores);
		for (size_t i = 0; se[i]; i++)
			csvout_cstr(&w.sens, se[i]);
		csvout_endrow(&w.sens);
	}

	order_data = &d;
	for (size_t c = 0; c < d.ncells; c++)
		cells[c] = c;
	qsort(cells, d.ncells, sizeof *cells, cmp_cells);
	for (size_t c = 0; c < d.nconfigs; c++)
		configs[c] = c;
	qsort(configs, d.nconfigs, sizeof *configs, cmp_configs);
	/* each cell's entries in config order (a stable counting sort of the
	 * entries by their config's place), then every cell's ranking once:
	 * the cell's view, its traditional view and the --by view's family
	 * are all this one */
	for (size_t c = 0; c < d.nconfigs; c++)
		cpos[configs[c]] = c;
	for (size_t i = 0; i < d.ne; i++)
		ccount[cpos[d.e[i].config] + 1]++;
	for (size_t c = 0; c < d.nconfigs; c++)
		ccount[c + 1] += ccount[c];
	for (size_t i = 0; i < d.ne; i++)
		idx[ccount[cpos[d.e[i].config]]++] = i;
	for (size_t i = 0; i < d.ne; i++)
		mat[d.e[i].cell + 1]++;
	for (size_t c = 0; c < d.ncells; c++)
		mat[c + 1] += mat[c];
	memcpy(ccount, mat, d.ncells * sizeof *mat); /* each cell's next slot */
	for (size_t i = 0; i < d.ne; i++)
		members[ccount[d.e[idx[i]].cell]++] = idx[i];
	{
		int failed = rank_cells(&d, o, boot_thread ? NULL : bm, members,
					mat, full);

		if (boot_thread) {
			pthread_join(boot_tid, NULL);
			boot_thread = 0;
			if (!failed && ranking_p1_all(&d, o, bm, full) != 0)
				goto nomem;
		}
		if (failed)
			goto out;
	}
	/* the views that rank every configuration of a cell */
	for (int pass = 0; pass < 2; pass++)
		for (size_t ci = 0; ci < d.ncells; ci++) {
			size_t cell = cells[ci];
			int external = strcmp(d.cells[cell].direction,
					      "external") == 0;

			if (pass == 1 && !external)
				continue; /* traditional: external only */
			rank_write_ranking(&d, &full[cell],
				      pass ? "traditional" : d.cells[cell].direction,
				      pass, &w);
			if (!pass && o->print_answer && full[cell].k)
				rank_print_answer(&d, &full[cell], w.names, o);
		}
	/* --by: each factor value's best configuration, ranked the same way */
	for (size_t ci = 0; have_by && ci < d.ncells; ci++) {
		size_t cell = cells[ci], k = 0;
		struct ranking R;

		for (size_t m = mat[cell]; m < mat[cell + 1]; m++) {
			size_t best = members[m];
			int first = 1;

			/* the last of the cell's entries of this config */
			while (m + 1 < mat[cell + 1] &&
			       d.e[members[m + 1]].config == d.e[best].config)
				best = members[++m];
			/* is an earlier config of the same by-values here? */
			for (size_t j = 0; j < k && first; j++) {
				int same = 1;

				for (size_t f = 0; f < d.nfactors; f++)
					if (bylead[f] &&
					    strcmp(d.config[d.e[idx[j]].config][f],
						   d.config[d.e[best].config][f]) != 0)
						same = 0;
				if (same) {
					first = 0;
					/* the best eligible one; else the
					 * best excluded one; else a failed */
					order_data = &d;
					if (cmp_by_mean(&best, &idx[j]) < 0)
						idx[j] = best;
				}
			}
			if (first)
				idx[k++] = best;
		}
		if (rank_set(&d, idx, k, o, bm, &cache, &full[cell], &R) != 0)
			goto out;
		rank_write_ranking(&d, &R, view, 0, &w);
		ranking_free(&R);
	}
	/* Kendall's tau between the internal and external rankings */
	for (size_t ci = 0; ci < d.ncells; ci++) {
		size_t in = cells[ci], ex = (size_t)-1, n = 0;
		double *x, *y;
		char *changed = NULL;
		size_t clen = 0;
		double tau, p;
		const char *kmethod;

		if (strcmp(d.cells[in].direction, "internal") != 0)
			continue;
		for (size_t c = 0; c < d.ncells; c++)
			if (strcmp(d.cells[c].workload, d.cells[in].workload) == 0 &&
			    strcmp(d.cells[c].direction, "external") == 0)
				ex = c;
		if (ex == (size_t)-1)
			continue;
		x = malloc((d.nconfigs + 1) * sizeof *x);
		y = malloc((d.nconfigs + 1) * sizeof *y);
		if (!x || !y) {
			free(x);
			free(y);
			goto nomem;
		}
		for (size_t c = 0; c < d.nconfigs; c++) {
			long a = -1, b = -1;

			for (size_t i = 0; i < d.ne; i++) {
				if (d.e[i].config != configs[c])
					continue;
				if (d.e[i].cell == in)
					a = (long)i;
				if (d.e[i].cell == ex)
					b = (long)i;
			}
			/* configurations eligible both ways: the means of
			 * failing ones say nothing */
			if (a >= 0 && b >= 0 && d.e[a].eligible &&
			    d.e[b].eligible) {
				x[n] = d.e[a].mean;
				y[n] = d.e[b].mean;
				rankof[n] = configs[c];
				n++;
			}
		}
		kern_kendall(x, y, n, &tau, &p, &kmethod);
		/* which configurations move between the two rankings */
		for (size_t i = 0; i < n; i++) {
			size_t ri = 1, re = 1;
			char item[512];
			int len;

			for (size_t j = 0; j < n; j++) {
				ri += x[j] < x[i] || (x[j] == x[i] && j < i);
				re += y[j] < y[i] || (y[j] == y[i] && j < i);
			}
			if (ri == re)
				continue;
			len = snprintf(item, sizeof item, "%s%s %zu->%zu",
				       clen ? "; " : "", w.names[rankof[i]], ri,
				       re);
			{
				char *nc = realloc(changed, clen + (size_t)len + 1);

				if (!nc) {
					free(changed);
					free(x);
					free(y);
					goto nomem;
				}
				changed = nc;
				memcpy(changed + clen, item, (size_t)len + 1);
				clen += (size_t)len;
			}
		}
		csvout_cstr(&w.kendall, d.cells[in].workload);
		csvout_i64(&w.kendall, (int64_t)n);
		rank_csv_num(&w.kendall, tau);
		rank_csv_num(&w.kendall, p);
		csvout_cstr(&w.kendall, changed ? changed : "");
		csvout_cstr(&w.kendall, kmethod);
		csvout_endrow(&w.kendall);
		free(changed);
		free(x);
		free(y);
	}
	if (score_write(&d, configs, w.names, &wts, o, &w.scores, &w.sens,
			&w.pairs) != 0)
		goto out;
	if (w.failed)
		goto nomem;
	if (w.pairs_written < w.pairs_total)
		diag(DIAG_NOTE, "pairs.csv holds %zu of the %zu pairs of the "
				"rankings (those the report reads: every ranking "
				"of more than %zu eligible configurations keeps "
				"its best against every other, the neighbours in "
				"its order, the one-factor pairs and a witness; "
				"the weighted scores likewise); the verdicts come "
				"from every pair. --pairs-limit 0 writes them all",
		     w.pairs_written, w.pairs_total, o->pairs_limit);
	rc = 0;
	for (int i = 0; i < 5; i++)
		if (csvout_flush(cw[i]) != 0) {
			outfile_report_error(&of[i]);
			rc = -1;
		}
	goto out;
nomem:
	diag(DIAG_ERROR, "out of memory");
out:
	if (boot_thread)
		pthread_join(boot_tid, NULL);
	for (int i = 0; i < opened; i++) {
		csvout_release(cw[i]);
		if (rc == 0) {
			if (outfile_commit(&of[i]) != 0)
				rc = -1;
		} else {
			outfile_abort(&of[i]);
		}
	}
	for (size_t c = 0; w.names && c < d.nconfigs; c++)
		free(w.names[c]);
	free(w.names);
	free(w.level);
	free(w.nlevels);
	free(lead);
	free(bylead);
	free(cells);
	free(configs);
	free(rankof);
	free(idx);
	free(cpos);
	free(ccount);
	free(mat);
	free(members);
	for (size_t c = 0; full && c < d.ncells; c++)
		ranking_free(&full[c]);
	free(full);
	free(rng);
	kern_mw_cache_release(&cache);
	free(bm);
	free(wlnames);
	weights_release(&wts);
	rank_data_free(&d);
	return rc;
}
