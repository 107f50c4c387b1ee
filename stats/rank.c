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

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DIGITS 12

static int in_list(const char *const *list, const char *s, size_t n)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return 1;
	return 0;
}

static void data_free(struct data *d)
{
	for (size_t i = 0; i < d->nfactors; i++)
		free(d->factors[i]);
	free(d->factors);
	for (size_t c = 0; c < d->nconfigs; c++) {
		for (size_t i = 0; i < d->nfactors; i++)
			free(d->config[c][i]);
		free(d->config[c]);
	}
	free(d->config);
	for (size_t c = 0; c < d->ncells; c++) {
		free(d->cells[c].workload);
		free(d->cells[c].direction);
	}
	free(d->cells);
	for (size_t i = 0; i < d->ne; i++)
		free(d->e[i].x);
	free(d->e);
}

/* Columns of a stats file: which are labels, and where workload and
 * direction are. */
struct cols {
	long *label;        /* label column indices, file order */
	size_t nlabel;
	long workload, direction;
};

static int read_header(struct csvread *r, const char *path,
		       const char *const *known, struct cols *c)
{
	int rc = csvread_next(r);

	if (rc != CSVREAD_ROW) {
		diag_at(DIAG_ERROR, path, rc == CSVREAD_ERROR ? r->err_line : 0,
			0, "%s", rc == CSVREAD_ERROR ? r->error
						     : "empty file (expected a "
						       "header row)");
		return -1;
	}
	c->label = calloc(r->nf + 1, sizeof *c->label);
	if (!c->label)
		return -1;
	c->nlabel = 0;
	c->workload = c->direction = -1;
	for (size_t i = 0; i < r->nf; i++) {
		if (in_list(known, r->f[i].s, r->f[i].len))
			continue;
		if (r->f[i].len == 8 && memcmp(r->f[i].s, "workload", 8) == 0)
			c->workload = (long)i;
		else if (r->f[i].len == 9 &&
			 memcmp(r->f[i].s, "direction", 9) == 0)
			c->direction = (long)i;
		c->label[c->nlabel++] = (long)i;
	}
	if (c->workload < 0 || c->direction < 0) {
		diag_at(DIAG_ERROR, path, 1, 0,
			"no workload and direction columns (expected the "
			"file as 'vmnetrank stats' writes it)");
		return -1;
	}
	return 0;
}

static int fieldeq(const struct csvfield *f, const char *s)
{
	return f->len == strlen(s) && memcmp(f->s, s, f->len) == 0;
}

/* The entry of a row's labels, made if MAKE; -1 when absent. */
static long find_entry(struct data *d, const struct csvread *r,
		       const struct cols *c, int make)
{
	size_t cell, config;

	for (cell = 0; cell < d->ncells; cell++)
		if (fieldeq(&r->f[c->workload], d->cells[cell].workload) &&
		    fieldeq(&r->f[c->direction], d->cells[cell].direction))
			break;
	for (config = 0; config < d->nconfigs; config++) {
		size_t k = 0, ok = 1;

		for (size_t i = 0; i < c->nlabel && ok; i++) {
			long col = c->label[i];

			if (col == c->workload || col == c->direction)
				continue;
			ok = fieldeq(&r->f[col], d->config[config][k++]);
		}
		if (ok)
			break;
	}
	if (cell < d->ncells && config < d->nconfigs)
		for (size_t i = 0; i < d->ne; i++)
			if (d->e[i].cell == cell && d->e[i].config == config)
				return (long)i;
	if (!make)
		return -1;
	if (cell == d->ncells) {
		struct cell *nc = realloc(d->cells, (d->ncells + 1) * sizeof *nc);

		if (!nc)
			return -1;
		d->cells = nc;
		nc[cell].workload = strndup(r->f[c->workload].s,
					    r->f[c->workload].len);
		nc[cell].direction = strndup(r->f[c->direction].s,
					     r->f[c->direction].len);
		d->ncells++;
	}
	if (config == d->nconfigs) {
		char ***nc = realloc(d->config, (d->nconfigs + 1) * sizeof *nc);
		size_t k = 0;

		if (!nc)
			return -1;
		d->config = nc;
		nc[config] = calloc(d->nfactors + 1, sizeof **nc);
		if (!nc[config])
			return -1;
		for (size_t i = 0; i < c->nlabel; i++) {
			long col = c->label[i];

			if (col == c->workload || col == c->direction)
				continue;
			nc[config][k++] = strndup(r->f[col].s, r->f[col].len);
		}
		d->nconfigs++;
	}
	{
		struct entry *ne = realloc(d->e, (d->ne + 1) * sizeof *ne);

		if (!ne)
			return -1;
		d->e = ne;
		memset(&ne[d->ne], 0, sizeof *ne);
		ne[d->ne].cell = cell;
		ne[d->ne].config = config;
		return (long)d->ne++;
	}
}

static int load(const char *dir, struct data *d)
{
	char path[4096], spath[4096];
	struct csvread r;
	struct cols c = { 0 };
	long c_wall, c_n, c_mean;
	int rc, bad = 0;

	memset(d, 0, sizeof *d);
	snprintf(path, sizeof path, "%s/reps.csv", dir);
	snprintf(spath, sizeof spath, "%s/summary.csv", dir);
	if (csvread_open(&r, path, ',', 0, 1) != 0) {
		diag_at(DIAG_ERROR, path, 0, 0,
			"cannot read: %s (run 'vmnetrank stats' first: rank "
			"reads its reps.csv and summary.csv)",
			strerror(r.L.err_errno));
		return -1;
	}
	if (read_header(&r, path, stats_reps_cols, &c) != 0)
		goto fail;
	c_wall = csvread_column(&r, "wall_us");
	if (c_wall < 0) {
		diag_at(DIAG_ERROR, path, 1, 0, "no wall_us column");
		goto fail;
	}
	d->factors = calloc(c.nlabel + 1, sizeof *d->factors);
	for (size_t i = 0; i < c.nlabel; i++)
		if (c.label[i] != c.workload && c.label[i] != c.direction)
			d->factors[d->nfactors++] =
				strndup(r.f[c.label[i]].s, r.f[c.label[i]].len);
	while ((rc = csvread_next(&r)) != CSVREAD_EOF) {
		long ei;
		int64_t v;
		size_t off;
		struct entry *e;

		if (rc == CSVREAD_ERROR) {
			diag_at(DIAG_ERROR, path, r.err_line, r.err_col, "%s",
				r.error);
			bad = 1;
			if (!r.raw)
				break;
			continue;
		}
		if (r.nf <= (size_t)c_wall ||
		    num_i64(r.f[c_wall].s, r.f[c_wall].len, &v, &off) != NUM_OK ||
		    v < 0) {
			diag_at(DIAG_ERROR, path, r.rec_line,
				r.nf > (size_t)c_wall ? r.f[c_wall].col : 0,
				"expected wall_us, microseconds >= 0");
			bad = 1;
			continue;
		}
		ei = find_entry(d, &r, &c, 1);
		if (ei < 0)
			goto nomem;
		e = &d->e[ei];
		if (e->n == e->cap) {
			size_t ncap = e->cap ? e->cap * 2 : 16;
			double *nx = realloc(e->x, ncap * sizeof *nx);

			if (!nx)
				goto nomem;
			e->x = nx;
			e->cap = ncap;
		}
		e->x[e->n++] = (double)v;
	}
	csvread_close(&r);
	free(c.label);
	memset(&c, 0, sizeof c);
	if (bad)
		goto fail_closed;
	if (d->ne == 0) {
		diag_at(DIAG_ERROR, path, 0, 0, "no repetitions");
		goto fail_closed;
	}
	for (size_t i = 0; i < d->ne; i++) {
		gsl_sort(d->e[i].x, 1, d->e[i].n);
		kern_mean_sd(d->e[i].x, d->e[i].n, &d->e[i].mean, &d->e[i].sd);
	}
	/* summary.csv must describe the same groups */
	if (csvread_open(&r, spath, ',', 0, 1) != 0) {
		diag_at(DIAG_ERROR, spath, 0, 0,
			"cannot read: %s (run 'vmnetrank stats' first)",
			strerror(r.L.err_errno));
		goto fail_closed;
	}
	if (read_header(&r, spath, stats_summary_cols, &c) != 0)
		goto fail;
	c_n = csvread_column(&r, "n_reps");
	c_mean = csvread_column(&r, "mean");
	while ((rc = csvread_next(&r)) == CSVREAD_ROW) {
		long ei = find_entry(d, &r, &c, 0);
		int64_t n = -1;
		size_t off;
		double m;

		if (c_n >= 0 && (size_t)c_n < r.nf)
			num_i64(r.f[c_n].s, r.f[c_n].len, &n, &off);
		m = c_mean >= 0 && (size_t)c_mean < r.nf
			    ? strtod(r.f[c_mean].s, NULL)
			    : NAN;
		if (ei < 0 || (size_t)n != d->e[ei].n ||
		    !(fabs(m - d->e[ei].mean) <= 1e-9 * fabs(d->e[ei].mean) + 1e-6)) {
			diag_at(DIAG_ERROR, spath, r.rec_line, 0,
				"summary.csv and reps.csv disagree about this "
				"group (run 'vmnetrank stats' again)");
			bad = 1;
			continue;
		}
		d->e[ei].checked = 1;
	}
	for (size_t i = 0; i < d->ne && !bad; i++)
		if (!d->e[i].checked) {
			diag_at(DIAG_ERROR, spath, 0, 0,
				"a group of reps.csv is missing here (run "
				"'vmnetrank stats' again)");
			bad = 1;
		}
	csvread_close(&r);
	free(c.label);
	if (bad)
		data_free(d);
	return bad ? -1 : 0;
nomem:
	diag(DIAG_ERROR, "out of memory");
fail:
	csvread_close(&r);
fail_closed:
	free(c.label);
	data_free(d);
	return -1;
}

/* ---- comparing ---- */

static void compare(const double *a, size_t na, const double *b, size_t nb,
		    double alpha, struct kern_mw_cache *cache,
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
	kern_mann_whitney_cached(a, na, b, nb, &o->u, &o->p_mw, cache);
}

void rank_compare(const double *a, size_t na, const double *b, size_t nb,
		  double alpha, struct rank_pair *out)
{
	compare(a, na, b, nb, alpha, NULL, out);
}

int rank_verdict(double p_holm, double alpha, double ab_hi, double ba_hi)
{
	if (p_holm < alpha && ab_hi < 0.99)
		return 1;
	if (p_holm < alpha && ba_hi < 0.99)
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

static size_t pair_at(size_t k, size_t i, size_t j)
{
	return i * k - i * (i + 1) / 2 + (j - i - 1);
}

static const struct data *order_data;

static int cmp_by_mean(const void *a, const void *b)
{
	const struct entry *x = &order_data->e[*(const size_t *)a];
	const struct entry *y = &order_data->e[*(const size_t *)b];

	if (x->mean != y->mean)
		return x->mean < y->mean ? -1 : 1;
	return (x->config > y->config) - (x->config < y->config);
}

/* BM: the bootstrap matrix, o->bootstrap rows of d->ne resampled means
 * (NULL when there is no bootstrap). */
static int rank_set(const struct data *d, const size_t *idx, size_t k,
		    const struct rank_options *o, const double *bm,
		    struct kern_mw_cache *cache, struct ranking *R)
{
	size_t np = k * (k - 1) / 2;
	double *praw = NULL, *padj = NULL;
	size_t *order = NULL;
	double *wins = NULL;
	double *means = NULL;

	memset(R, 0, sizeof *R);
	R->k = k;
	R->idx = malloc(k * sizeof *R->idx);
	R->pair = calloc(np + 1, sizeof *R->pair);
	R->point = calloc(k, sizeof *R->point);
	R->lo = calloc(k, sizeof *R->lo);
	R->hi = calloc(k, sizeof *R->hi);
	R->p1 = calloc(k, sizeof *R->p1);
	praw = calloc(np + 1, sizeof *praw);
	padj = calloc(np + 1, sizeof *padj);
	order = malloc(k * sizeof *order);
	wins = calloc(k, sizeof *wins);
	means = malloc(k * sizeof *means);
	if (!R->idx || !R->pair || !R->point || !R->lo || !R->hi || !R->p1 ||
	    !praw || !padj || !order || !wins || !means)
		goto nomem;
	memcpy(R->idx, idx, k * sizeof *idx);
	/* every pair: Welch, Fieller both ways, Mann-Whitney */
	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++) {
			const struct entry *a = &d->e[idx[i]], *b = &d->e[idx[j]];
			struct rank_pair *pr = &R->pair[pair_at(k, i, j)];

			compare(a->x, a->n, b->x, b->n, o->alpha, cache, pr);
			praw[pair_at(k, i, j)] = pr->p;
		}
	kern_holm(praw, np, padj);
	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++) {
			struct rank_pair *pr = &R->pair[pair_at(k, i, j)];

			pr->p_holm = padj[pair_at(k, i, j)];
			pr->verdict = rank_verdict(pr->p_holm, o->alpha,
						   pr->ratio_hi, pr->back_hi);
			if (pr->verdict > 0) {
				R->hi[i]++; /* i beats j: counts for U_i */
				R->lo[j]++; /* j beaten by i: counts for L_j */
			} else if (pr->verdict < 0) {
				R->hi[j]++;
				R->lo[i]++;
			}
		}
	for (size_t i = 0; i < k; i++) {
		R->lo[i] = 1 + R->lo[i];      /* 1 + #beaten by */
		R->hi[i] = k - R->hi[i];      /* k - #beats */
		order[i] = idx[i];
	}
	order_data = d;
	qsort(order, k, sizeof *order, cmp_by_mean);
	for (size_t r = 0; r < k; r++)
		for (size_t i = 0; i < k; i++)
			if (idx[i] == order[r])
				R->point[i] = r + 1;
	/* bootstrap over repetitions: P(rank = 1); configurations tied for
	 * the lowest resampled mean share that resample's credit */
	for (size_t b = 0; bm && b < o->bootstrap; b++) {
		double best = INFINITY;
		size_t ties = 0;

		for (size_t i = 0; i < k; i++) {
			means[i] = bm[b * d->ne + idx[i]];
			if (means[i] < best) {
				best = means[i];
				ties = 1;
			} else if (means[i] == best) {
				ties++;
			}
		}
		for (size_t i = 0; i < k; i++)
			if (means[i] == best)
				wins[i] += 1.0 / (double)ties;
	}
	for (size_t i = 0; i < k; i++)
		R->p1[i] = bm && o->bootstrap ? wins[i] / (double)o->bootstrap
					      : NAN;
	free(praw);
	free(padj);
	free(order);
	free(wins);
	free(means);
	return 0;
nomem:
	free(praw);
	free(padj);
	free(order);
	free(wins);
	free(means);
	ranking_free(R);
	diag(DIAG_ERROR, "out of memory");
	return -1;
}

/* ---- names and views ---- */

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
static char *config_name(const struct data *d, size_t config,
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

static const char *const pairs_cols[] = {
	"view", "workload", "direction", "a", "b", "n_a", "n_b", "mean_a",
	"mean_b", "ratio", "ratio_ci_lo", "ratio_ci_hi", "welch_t",
	"welch_df", "welch_p", "mw_u", "mw_p", "holm_p", "verdict", NULL,
};

struct out {
	struct csvout pairs, ranks, kendall, scores, sens;
	char **names; /* per config */
	const struct rank_options *o;
};

static void num(struct csvout *w, double v)
{
	csvout_double(w, v, DIGITS);
}

static void write_ranking(const struct data *d, const struct ranking *R,
			  const char *view, int plain, struct out *w)
{
	static const char *const verdicts[] = { "beaten", "tied", "beats" };

	/* rows in rank order (point ranks are 1..k, each once) */
	for (size_t r = 1; r <= R->k; r++) {
		size_t i = 0;
		const struct entry *e;
		double lo, hi;
		char shared[32];

		while (R->point[i] != r)
			i++;
		e = &d->e[R->idx[i]];

		csvout_cstr(&w->ranks, view);
		csvout_cstr(&w->ranks, d->cells[e->cell].workload);
		csvout_cstr(&w->ranks, d->cells[e->cell].direction);
		for (size_t f = 0; f < d->nfactors; f++)
			csvout_cstr(&w->ranks, d->config[e->config][f]);
		csvout_cstr(&w->ranks, w->names[e->config]);
		csvout_i64(&w->ranks, (int64_t)e->n);
		num(&w->ranks, e->mean);
		kern_t_ci(e->mean, e->sd, e->n, 1 - w->o->alpha, &lo, &hi);
		num(&w->ranks, lo);
		num(&w->ranks, hi);
		csvout_i64(&w->ranks, (int64_t)R->point[i]);
		if (plain)
			snprintf(shared, sizeof shared, "%zu", R->point[i]);
		else
			snprintf(shared, sizeof shared, "%zu%s", R->lo[i],
				 R->hi[i] > R->lo[i] ? "=" : "");
		csvout_cstr(&w->ranks, shared);
		csvout_i64(&w->ranks, (int64_t)R->lo[i]);
		csvout_i64(&w->ranks, (int64_t)R->hi[i]);
		num(&w->ranks, R->p1[i]);
		csvout_i64(&w->ranks, (int64_t)w->o->bootstrap);
		csvout_i64(&w->ranks, (int64_t)w->o->seed);
		num(&w->ranks, w->o->alpha);
		csvout_endrow(&w->ranks);
	}
	if (plain)
		return;
	for (size_t i = 0; i < R->k; i++)
		for (size_t j = i + 1; j < R->k; j++) {
			const struct rank_pair *p = &R->pair[pair_at(R->k, i, j)];
			const struct entry *a = &d->e[R->idx[i]], *b = &d->e[R->idx[j]];

			csvout_cstr(&w->pairs, view);
			csvout_cstr(&w->pairs, d->cells[a->cell].workload);
			csvout_cstr(&w->pairs, d->cells[a->cell].direction);
			csvout_cstr(&w->pairs, w->names[a->config]);
			csvout_cstr(&w->pairs, w->names[b->config]);
			csvout_i64(&w->pairs, (int64_t)a->n);
			csvout_i64(&w->pairs, (int64_t)b->n);
			num(&w->pairs, a->mean);
			num(&w->pairs, b->mean);
			num(&w->pairs, p->ratio);
			num(&w->pairs, p->ratio_lo);
			num(&w->pairs, p->ratio_hi);
			num(&w->pairs, p->t);
			num(&w->pairs, p->df);
			num(&w->pairs, p->p);
			num(&w->pairs, p->u);
			num(&w->pairs, p->p_mw);
			num(&w->pairs, p->p_holm);
			csvout_cstr(&w->pairs, verdicts[p->verdict + 1]);
			csvout_endrow(&w->pairs);
		}
}

/* Kendall's tau-b of two paired lists, with the normal approximation of
 * its two-sided p (no tie correction in the variance). */
static void kendall(const double *x, const double *y, size_t n, double *tau,
		    double *p)
{
	double c = 0, dd = 0, tx = 0, ty = 0;

	*tau = *p = NAN;
	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			double a = x[i] - x[j], b = y[i] - y[j];

			if (a == 0 && b == 0)
				continue;
			if (a == 0)
				tx++;
			else if (b == 0)
				ty++;
			else if ((a > 0) == (b > 0))
				c++;
			else
				dd++;
		}
	if ((c + dd + tx) * (c + dd + ty) > 0)
		*tau = (c - dd) / sqrt((c + dd + tx) * (c + dd + ty));
	{
		double nn = (double)n;
		double z = 3 * (c - dd) / sqrt(nn * (nn - 1) * (2 * nn + 5) / 2);

		*p = 2 * gsl_cdf_ugaussian_Q(fabs(z));
		if (*p > 1)
			*p = 1;
	}
}

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
	gsl_rng *rng = NULL;
	struct kern_mw_cache cache = { 0, 0, NULL };
	char view[256];

	memset(&w, 0, sizeof w);
	memset(&wts, 0, sizeof wts);
	w.o = o;
	if (load(dir, &d) != 0)
		return -1;
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
	if (weights_load(&wts, o->weights, (const char *const *)wlnames, nwl) != 0)
		goto out;
	lead = calloc(d.nfactors + 1, sizeof *lead);
	bylead = calloc(d.nfactors + 1, sizeof *bylead);
	w.names = calloc(d.nconfigs + 1, sizeof *w.names);
	cells = malloc((d.ncells + 1) * sizeof *cells);
	configs = malloc((d.nconfigs + 1) * sizeof *configs);
	rankof = malloc((d.nconfigs + 1) * sizeof *rankof);
	idx = malloc((d.ne + 1) * sizeof *idx);
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!lead || !bylead || !w.names || !cells || !configs || !rankof ||
	    !idx || !rng)
		goto nomem;
	gsl_rng_set(rng, o->seed);
	/* one bootstrap for everything: B resampled means per entry */
	if (o->bootstrap) {
		bm = malloc(o->bootstrap * d.ne * sizeof *bm);
		if (!bm)
			goto nomem;
		for (size_t b = 0; b < o->bootstrap; b++)
			for (size_t i = 0; i < d.ne; i++) {
				const struct entry *e = &d.e[i];
				double sum = 0;

				for (size_t m = 0; m < e->n; m++)
					sum += e->x[gsl_rng_uniform_int(rng, e->n)];
				bm[b * d.ne + i] = sum / (double)e->n;
			}
	}
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
		if (!(w.names[c] = config_name(&d, c, lead)))
			goto nomem;
	for (; opened < 5; opened++) {
		char *p = outfile_path(outdir, names[opened]);
		int r = p ? outfile_open(&of[opened], p) : -1;

		free(p);
		if (r != 0)
			goto out;
		csvout_init(cw[opened], of[opened].fp);
	}
	for (size_t i = 0; pairs_cols[i]; i++)
		csvout_cstr(&w.pairs, pairs_cols[i]);
	csvout_endrow(&w.pairs);
	csvout_cstr(&w.ranks, "view");
	csvout_cstr(&w.ranks, "workload");
	csvout_cstr(&w.ranks, "direction");
	for (size_t f = 0; f < d.nfactors; f++)
		csvout_cstr(&w.ranks, d.factors[f]);
	{
		static const char *const rc_[] = {
			"name", "n_reps", "mean", "ci_lo", "ci_hi", "rank",
			"shared", "rank_lo", "rank_hi", "p_rank1", "bootstrap",
			"seed", "alpha", NULL,
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
	csvout_endrow(&w.kendall);
	csvout_cstr(&w.scores, "scope");
	for (size_t f = 0; f < d.nfactors; f++)
		csvout_cstr(&w.scores, d.factors[f]);
	{
		static const char *const sc[] = {
			"name", "score", "ci_lo", "ci_hi", "rank", "shared",
			"rank_lo", "rank_hi", "kind", "reference", "weights",
			"bootstrap", "seed", "alpha", NULL,
		};
		static const char *const se[] = {
			"scope", "kind", "p_lo", "p_hi", "a", "b", "detail",
			NULL,
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
	/* the views that rank every configuration of a cell */
	for (int pass = 0; pass < 2; pass++)
		for (size_t ci = 0; ci < d.ncells; ci++) {
			size_t cell = cells[ci], k = 0;
			struct ranking R;
			int external = strcmp(d.cells[cell].direction,
					      "external") == 0;

			if (pass == 1 && !external)
				continue; /* traditional: external only */
			for (size_t c = 0; c < d.nconfigs; c++)
				for (size_t i = 0; i < d.ne; i++)
					if (d.e[i].cell == cell &&
					    d.e[i].config == configs[c])
						idx[k++] = i;
			if (rank_set(&d, idx, k, o, bm, &cache, &R) != 0)
				goto out;
			write_ranking(&d, &R,
				      pass ? "traditional" : d.cells[cell].direction,
				      pass, &w);
			ranking_free(&R);
		}
	/* --by: each factor value's best configuration, ranked the same way */
	for (size_t ci = 0; have_by && ci < d.ncells; ci++) {
		size_t cell = cells[ci], k = 0;
		struct ranking R;

		for (size_t c = 0; c < d.nconfigs; c++) {
			size_t best = (size_t)-1;
			int first = 1;

			for (size_t i = 0; i < d.ne; i++)
				if (d.e[i].cell == cell &&
				    d.e[i].config == configs[c])
					best = i;
			if (best == (size_t)-1)
				continue;
			/* is an earlier config of the same by-values here? */
			for (size_t j = 0; j < k && first; j++) {
				int same = 1;

				for (size_t f = 0; f < d.nfactors; f++)
					if (bylead[f] &&
					    strcmp(d.config[d.e[idx[j]].config][f],
						   d.config[configs[c]][f]) != 0)
						same = 0;
				if (same) {
					first = 0;
					if (d.e[best].mean < d.e[idx[j]].mean)
						idx[j] = best;
				}
			}
			if (first)
				idx[k++] = best;
		}
		if (rank_set(&d, idx, k, o, bm, &cache, &R) != 0)
			goto out;
		write_ranking(&d, &R, view, 0, &w);
		ranking_free(&R);
	}
	/* Kendall's tau between the internal and external rankings */
	for (size_t ci = 0; ci < d.ncells; ci++) {
		size_t in = cells[ci], ex = (size_t)-1, n = 0;
		double *x, *y;
		char *changed = NULL;
		size_t clen = 0;
		double tau, p;

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
			if (a >= 0 && b >= 0) {
				x[n] = d.e[a].mean;
				y[n] = d.e[b].mean;
				rankof[n] = configs[c];
				n++;
			}
		}
		kendall(x, y, n, &tau, &p);
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
		num(&w.kendall, tau);
		num(&w.kendall, p);
		csvout_cstr(&w.kendall, changed ? changed : "");
		csvout_endrow(&w.kendall);
		free(changed);
		free(x);
		free(y);
	}
	if (score_write(&d, configs, w.names, &wts, o, bm, &w.scores,
			&w.sens) != 0)
		goto out;
	rc = 0;
	for (int i = 0; i < 5; i++)
		if (csvout_flush(cw[i]) != 0) {
			diag_at(DIAG_ERROR, names[i], 0, 0, "write error");
			rc = -1;
		}
	goto out;
nomem:
	diag(DIAG_ERROR, "out of memory");
out:
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
	free(lead);
	free(bylead);
	free(cells);
	free(configs);
	free(rankof);
	free(idx);
	if (rng)
		gsl_rng_free(rng);
	kern_mw_cache_release(&cache);
	free(bm);
	free(wlnames);
	weights_release(&wts);
	data_free(&d);
	return rc;
}
