/* The rank stage: configuration names and views, ranks.csv and the
 * pairs of pairs.csv. */
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

static int numeric(const char *s)
{
	char *end;

	if (!*s)
		return 0;
	strtod(s, &end);
	return *end == '\0';
}

/* "VirtualBox (NAT, 512)": the lead factors' values, then the others in
 * parentheses, words before numbers (the form of the paper's Table 3). */
char *rank_config_name(const struct data *d, size_t config,
			 const int *lead)
{
	size_t cap = 64, len = 0;
	char *s = malloc(cap);
	int nlead = 0, nother = 0;

	if (!s)
		return NULL;
	s[0] = '\0';
#define APPEND(str)                                                         \
	do {                                                                \
		const char *a_ = (str);                                     \
		size_t l_ = strlen(a_);                                     \
		if (len + l_ + 1 > cap) {                                   \
			char *n_;                                           \
			while (len + l_ + 1 > cap)                          \
				cap *= 2;                                   \
			n_ = realloc(s, cap);                               \
			if (!n_) {                                          \
				free(s);                                    \
				return NULL;                                \
			}                                                   \
			s = n_;                                             \
		}                                                           \
		memcpy(s + len, a_, l_ + 1);                                \
		len += l_;                                                  \
	} while (0)
	for (size_t f = 0; f < d->nfactors; f++)
		if (lead[f]) {
			if (nlead++)
				APPEND(" ");
			APPEND(d->config[config][f]);
		}
	for (int pass = 0; pass < 2; pass++)
		for (size_t f = 0; f < d->nfactors; f++) {
			const char *v = d->config[config][f];

			if (lead[f] || numeric(v) != pass || !*v)
				continue;
			APPEND(nother++ ? ", " : nlead ? " (" : "");
			APPEND(v);
		}
	if (nlead && nother)
		APPEND(")");
#undef APPEND
	return s;
}

const char *const rank_pairs_cols[] = {
	"view", "workload", "direction", "a", "b", "n_a", "n_b", "mean_a",
	"mean_b", "ratio", "ratio_ci_lo", "ratio_ci_hi", "welch_t",
	"welch_df", "welch_p", "mw_u", "mw_p", "holm_p", "verdict", "metric",
	"equiv_p", "equiv_holm_p", "equal", "paired_n", "paired_ratio",
	"paired_ci_lo", "paired_ci_hi", "paired_p", NULL,
};

/* The rounds as blocks (README, "Paired by round"): over the rounds both
 * A and B were measured in, d = ln(T_a / T_b) on the analysis scale; the
 * ratio exp(mean d) with its t interval at 1 - ALPHA (n - 1 df), and
 * Wilcoxon's signed-rank p of d about 0.  n = 0 when either has a
 * repetition without a round. */
struct paired {
	size_t n;
	double ratio, lo, hi, p;
};

static void rank_paired(const struct entry *a, const struct entry *b, double alpha,
		 struct paired *o)
{
	double *dv;
	size_t i = 0, j = 0, n = 0;

	o->n = 0;
	o->ratio = o->lo = o->hi = o->p = NAN;
	if (!a->pn || !b->pn)
		return;
	dv = malloc((a->pn < b->pn ? a->pn : b->pn) * sizeof *dv);
	if (!dv)
		return;
	while (i < a->pn && j < b->pn) {
		if (a->pid[i] < b->pid[j]) {
			i++;
		} else if (a->pid[i] > b->pid[j]) {
			j++;
		} else {
			if (a->px[i] > 0 && b->px[j] > 0 && isfinite(a->px[i]) &&
			    isfinite(b->px[j]))
				dv[n++] = log(a->px[i] / b->px[j]);
			i++;
			j++;
		}
	}
	o->n = n;
	if (n >= 2) {
		double mean, sd, h, v;
		size_t nz;
		const char *method;

		kern_mean_sd(dv, n, &mean, &sd);
		h = gsl_cdf_tdist_Pinv(1 - alpha / 2, (double)(n - 1)) * sd / sqrt((double)n);
		o->ratio = exp(mean);
		o->lo = exp(mean - h);
		o->hi = exp(mean + h);
		kern_signed_rank(dv, n, &v, &o->p, &nz, &method);
	}
	free(dv);
}


/* ---- which pairs pairs.csv keeps past --pairs-limit ----
 *
 * The pairs of a ranking of K eligible configurations grow as K^2 (at
 * 1,000: half a million per cell, a 1.4 GB pairs.csv the report would
 * hold whole); the report reads only some of them.  Past the limit
 * pairs.csv keeps, by positions i < j of the ranking (rank_pair_at
 * order): the best (point rank 1) against every other, each neighbour
 * pair in point order; rank_write_ranking adds the pairs of the
 * factor table and the first pair that says the verdicts rest on
 * normality.  The verdicts and the terminal use every pair (held in
 * memory, Holm over all of them). */
unsigned char *rank_pairs_order_kept(size_t k, const size_t *point,
				     size_t limit)
{
	unsigned char *keep;
	size_t *at, top;

	if (limit == 0 || k <= limit)
		return NULL;
	keep = calloc(k * (k - 1) / 2, 1);
	at = malloc(k * sizeof *at);
	if (!keep || !at) {
		free(keep);
		free(at);
		return NULL;
	}
	for (size_t i = 0; i < k; i++)
		at[point[i] - 1] = i;
	top = at[0];
	for (size_t i = 0; i < k; i++)
		if (i != top)
			keep[i < top ? rank_pair_at(k, i, top)
				     : rank_pair_at(k, top, i)] = 1;
	for (size_t r = 0; r + 1 < k; r++) {
		size_t a = at[r], b = at[r + 1];

		keep[a < b ? rank_pair_at(k, a, b) : rank_pair_at(k, b, a)] = 1;
	}
	free(at);
	return keep;
}

struct level_key {
	const char *s;
	size_t config;
};

static int cmp_level_key(const void *a, const void *b)
{
	const struct level_key *x = a, *y = b;
	int c = strcmp(x->s, y->s);

	return c ? c : (x->config > y->config) - (x->config < y->config);
}

/* Each configuration's level of each factor as a number (equal strings,
 * equal numbers), and each factor's count of levels, into W; -1 when
 * out of memory. */
static int factor_levels(const struct data *d, struct out *w)
{
	struct level_key *key = malloc((d->nconfigs + 1) * sizeof *key);

	w->level = malloc((d->nconfigs * d->nfactors + 1) * sizeof *w->level);
	w->nlevels = calloc(d->nfactors + 1, sizeof *w->nlevels);
	if (!key || !w->level || !w->nlevels) {
		free(key);
		return -1;
	}
	for (size_t f = 0; f < d->nfactors; f++) {
		for (size_t c = 0; c < d->nconfigs; c++)
			key[c] = (struct level_key){ d->config[c][f], c };
		qsort(key, d->nconfigs, sizeof *key, cmp_level_key);
		for (size_t c = 0; c < d->nconfigs; c++) {
			if (c == 0 || strcmp(key[c].s, key[c - 1].s) != 0)
				w->nlevels[f]++;
			w->level[key[c].config * d->nfactors + f] = w->nlevels[f];
		}
	}
	free(key);
	return 0;
}

/* The pairs of R pairs.csv keeps (NULL: every one, or out of memory,
 * said): rank_pairs_order_kept's, each pair that differs in one factor
 * alone of at most RANK_FACTOR_LEVELS levels (the report's "What each
 * factor changes" lists them all), and the first pair of a verdict at
 * sizes no rank test can reach alpha at (the report's note that the
 * verdicts rest on normality quotes it). */
static unsigned char *ranking_kept(const struct data *d,
				   const struct ranking *R, struct out *w)
{
	unsigned char *keep = rank_pairs_order_kept(R->ke, R->point,
						    w->o->pairs_limit);
	size_t nf = d->nfactors;
	int witness = 0;

	if (!keep)
		return NULL;
	if (!w->nlevels && factor_levels(d, w) != 0) {
		free(keep);
		return NULL;
	}
	for (size_t i = 0; i < R->ke; i++) {
		const struct entry *a = &d->e[R->idx[i]];
		const size_t *la = &w->level[a->config * nf];

		for (size_t j = i + 1; j < R->ke; j++) {
			const struct entry *b = &d->e[R->idx[j]];
			const size_t *lb = &w->level[b->config * nf];
			size_t at = rank_pair_at(R->ke, i, j), diff = 0, f1 = 0;

			for (size_t f = 0; f < nf && diff < 2; f++)
				if (la[f] != lb[f]) {
					diff++;
					f1 = f;
				}
			if (diff == 1 && w->nlevels[f1] <= RANK_FACTOR_LEVELS)
				keep[at] = 1;
			if (!witness && R->pair[at].verdict != 0 &&
			    kern_mw_min_p(a->n, b->n) > w->o->alpha)
				keep[at] = witness = 1;
		}
	}
	return keep;
}

void rank_csv_num(struct csvout *w, double v)
{
	csvout_double(w, v);
}

void rank_write_ranking(const struct data *d, const struct ranking *R,
			  const char *view, int plain, struct out *w)
{
	static const char *const verdicts[] = { "beaten", "tied", "beats" };
	unsigned char *keep;

	/* rows in rank order (point ranks are 1..k, each once) */
	for (size_t r = 1; r <= R->k; r++) {
		size_t i = 0;
		const struct entry *e;
		const struct cell *c;
		const struct metric *mt;
		double lo, hi;
		char shared[32];

		while (R->point[i] != r)
			i++;
		e = &d->e[R->idx[i]];
		c = &d->cells[e->cell];
		mt = &metrics[c->metric];
		csvout_cstr(&w->ranks, view);
		csvout_cstr(&w->ranks, c->workload);
		csvout_cstr(&w->ranks, c->direction);
		for (size_t f = 0; f < d->nfactors; f++)
			csvout_cstr(&w->ranks, d->config[e->config][f]);
		csvout_cstr(&w->ranks, w->names[e->config]);
		csvout_i64(&w->ranks, (int64_t)e->n);
		rank_entry_interval(d, e, 1 - w->o->alpha, &lo, &hi);
		rank_csv_num(&w->ranks, e->n ? rank_entry_shown(d, e, e->mean) : NAN);
		rank_csv_num(&w->ranks, lo);
		rank_csv_num(&w->ranks, hi);
		csvout_i64(&w->ranks, (int64_t)R->point[i]);
		/* every view, the traditional too, says only what the
		 * cell's tests say */
		if (i >= R->ke)
			snprintf(shared, sizeof shared, "%s",
				 e->n ? "excluded" : "failed");
		else
			snprintf(shared, sizeof shared, "%zu%s", R->lo[i],
				 R->hi[i] > R->lo[i] ? "=" : "");
		csvout_cstr(&w->ranks, shared);
		csvout_i64(&w->ranks, (int64_t)R->lo[i]);
		csvout_i64(&w->ranks, (int64_t)R->hi[i]);
		rank_csv_num(&w->ranks, R->p1[i]);
		csvout_i64(&w->ranks, (int64_t)w->o->bootstrap);
		csvout_i64(&w->ranks, (int64_t)w->o->seed);
		rank_csv_num(&w->ranks, w->o->alpha);
		csvout_cstr(&w->ranks, mt->name);
		csvout_cstr(&w->ranks, metric_unit_symbol(mt->unit));
		csvout_cstr(&w->ranks, mt->higher ? "higher" : "lower");
		csvout_i64(&w->ranks, e->n_ops);
		csvout_i64(&w->ranks, e->failed_ops);
		rank_csv_num(&w->ranks, rank_entry_failed_share(e));
		csvout_cstr(&w->ranks, e->eligible ? "yes" : "no");
		csvout_cstr(&w->ranks, c->metric_note ? c->metric_note : "");
		rank_csv_num(&w->ranks, R->cv);
		rank_csv_num(&w->ranks, R->n_reps);
		rank_csv_num(&w->ranks, R->detectable);
		rank_csv_num(&w->ranks, w->o->detect);
		if (R->reps_needed)
			csvout_i64(&w->ranks, (int64_t)R->reps_needed);
		else
			csvout_empty(&w->ranks);
		rank_csv_num(&w->ranks, w->o->margin);
		csvout_endrow(&w->ranks);
	}
	if (plain)
		return;
	keep = ranking_kept(d, R, w);
	if (!keep && w->o->pairs_limit && R->ke > w->o->pairs_limit)
		w->failed = 1; /* out of memory: no partial file */
	for (size_t i = 0; i < R->ke; i++)
		for (size_t j = i + 1; j < R->ke; j++) {
			const struct rank_pair *p = &R->pair[rank_pair_at(R->ke, i, j)];
			const struct entry *a = &d->e[R->idx[i]], *b = &d->e[R->idx[j]];
			int rate = metrics[d->cells[a->cell].metric].higher;

			if (keep && !keep[rank_pair_at(R->ke, i, j)])
				continue;
			w->pairs_written++;
			csvout_cstr(&w->pairs, view);
			csvout_cstr(&w->pairs, d->cells[a->cell].workload);
			csvout_cstr(&w->pairs, d->cells[a->cell].direction);
			csvout_cstr(&w->pairs, w->names[a->config]);
			csvout_cstr(&w->pairs, w->names[b->config]);
			csvout_i64(&w->pairs, (int64_t)a->n);
			csvout_i64(&w->pairs, (int64_t)b->n);
			rank_csv_num(&w->pairs, rank_entry_shown(d, a, a->mean));
			rank_csv_num(&w->pairs, rank_entry_shown(d, b, b->mean));
			/* the ratio of what is shown: for rates a/b of the
			 * rates, i.e. b/a of their reciprocals */
			rank_csv_num(&w->pairs, rate ? 1.0 / p->ratio : p->ratio);
			rank_csv_num(&w->pairs, rate ? p->back_lo : p->ratio_lo);
			rank_csv_num(&w->pairs, rate ? p->back_hi : p->ratio_hi);
			rank_csv_num(&w->pairs, p->t);
			rank_csv_num(&w->pairs, p->df);
			rank_csv_num(&w->pairs, p->p);
			rank_csv_num(&w->pairs, p->u);
			rank_csv_num(&w->pairs, p->p_mw);
			rank_csv_num(&w->pairs, p->p_holm);
			csvout_cstr(&w->pairs, verdicts[p->verdict + 1]);
			csvout_cstr(&w->pairs, metrics[d->cells[a->cell].metric].name);
			rank_csv_num(&w->pairs, p->p_eq);
			rank_csv_num(&w->pairs, p->p_eq_holm);
			csvout_cstr(&w->pairs, p->equal ? "yes" : "no");
			{
				struct paired pd;

				rank_paired(a, b, w->o->alpha, &pd);
				if (pd.n) {
					csvout_i64(&w->pairs, (int64_t)pd.n);
					/* for rates, of the rates: the times' b/a */
					rank_csv_num(&w->pairs, rate ? 1 / pd.ratio : pd.ratio);
					rank_csv_num(&w->pairs, rate ? 1 / pd.hi : pd.lo);
					rank_csv_num(&w->pairs, rate ? 1 / pd.lo : pd.hi);
					rank_csv_num(&w->pairs, pd.p);
				} else {
					for (int k = 0; k < 5; k++)
						csvout_empty(&w->pairs);
				}
			}
			csvout_endrow(&w->pairs);
		}
	w->pairs_total += R->ke * (R->ke - (R->ke > 0)) / 2;
	free(keep);
}
