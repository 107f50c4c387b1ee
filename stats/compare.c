/* vmnetrank compare: two runs, group by group (compare.h). */
#include "compare.h"
#include "rank.h"
#include "rank_int.h"
#include "kernel.h"
#include "../lib/csvout.h"
#include "../lib/diag.h"
#include "../lib/metric.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { V_FASTER, V_SLOWER, V_SAME, V_INCONCLUSIVE, V_FAILED };
static const char *const verdict_word[] = { "faster", "slower", "same",
					    "inconclusive", "failed" };

/* One group of one run: its key (labels less the ignored ones, sorted by
 * key, then workload and direction) and its entry. */
struct side {
	char *key, *name;
	size_t e;
};

struct row {
	const char *name, *workload, *direction;
	int metric;
	size_t eb, en;            /* entries in base, new */
	double mb, mn;            /* means as shown (rates: harmonic) */
	double cvb, cvn;          /* on the analysis scale */
	size_t nb, nn;
	struct rank_pair p;       /* new against base, analysis scale */
	double p_holm, eq_holm;
	double detectable;        /* NaN: none */
	int verdict;
	char why[160];
};

static int ignored(const struct compare_options *o, const char *k)
{
	for (size_t i = 0; i < o->nignore; i++)
		if (strcmp(o->ignore[i], k) == 0)
			return 1;
	return 0;
}

static int grow(char **s, size_t *cap, size_t need)
{
	char *n;

	if (need <= *cap)
		return 0;
	while (*cap < need)
		*cap = *cap ? *cap * 2 : 64;
	n = realloc(*s, *cap);
	if (!n)
		return -1;
	*s = n;
	return 0;
}

/* key: "k=v\x1f...\x1eworkload\x1edirection"; name: "k=v k=v" */
static int side_of(const struct data *d, const struct entry *e,
		   const struct compare_options *o, struct side *s)
{
	size_t kl = 0, kc = 0, nl = 0, nc = 0;
	const struct cell *c = &d->cells[e->cell];

	s->key = s->name = NULL;
	s->e = (size_t)(e - d->e);
	for (size_t f = 0; f < d->nfactors; f++) {
		const char *v = d->config[e->config][f];
		size_t a = strlen(d->factors[f]), b = strlen(v);

		if (!*v || ignored(o, d->factors[f]))
			continue;
		if (grow(&s->key, &kc, kl + a + b + 3) != 0 ||
		    grow(&s->name, &nc, nl + a + b + 3) != 0)
			return -1;
		kl += (size_t)sprintf(s->key + kl, "%s=%s\x1f", d->factors[f], v);
		nl += (size_t)sprintf(s->name + nl, "%s%s=%s", nl ? " " : "",
				      d->factors[f], v);
	}
	if (grow(&s->key, &kc, kl + strlen(c->workload) + strlen(c->direction) + 3) != 0 ||
	    grow(&s->name, &nc, nl + 8) != 0)
		return -1;
	sprintf(s->key + kl, "\x1e%s\x1e%s", c->workload, c->direction);
	if (!nl)
		strcpy(s->name, "(all)");
	return 0;
}

/* table order: workload, direction, then the group's name */
static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = strcmp(x->workload, y->workload);

	if (!c)
		c = strcmp(x->direction, y->direction);
	return c ? c : strcmp(x->name, y->name);
}

static int cmp_side(const void *a, const void *b)
{
	return strcmp(((const struct side *)a)->key, ((const struct side *)b)->key);
}

static void sides_free(struct side *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].key);
		free(s[i].name);
	}
	free(s);
}

static struct side *sides(const struct data *d, const struct compare_options *o)
{
	struct side *s = calloc(d->ne + 1, sizeof *s);

	if (!s)
		return NULL;
	for (size_t i = 0; i < d->ne; i++)
		if (side_of(d, &d->e[i], o, &s[i]) != 0) {
			sides_free(s, d->ne);
			return NULL;
		}
	qsort(s, d->ne, sizeof *s, cmp_side);
	return s;
}

/* Two groups of one run that the ignored keys make one: an error (they
 * would be compared as one). */
static int check_unique(const struct side *s, size_t n, const char *which)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(s[i].key, s[i - 1].key) == 0) {
			diag(DIAG_ERROR,
			     "compare: in %s, two groups are the same once "
			     "--match-ignore leaves keys out (%s): match on "
			     "fewer ignored keys",
			     which, s[i].name);
			return -1;
		}
	return 0;
}

/* The metric of WORKLOAD: --metric WORKLOAD=NAME, else --metric NAME, else
 * wall; busy where either run lacks wall times (coarse stamps or durations
 * only).  -1 after a message. */
static int metric_of(const struct compare_options *o, const char *workload,
		     const struct data *b, const struct data *n, int *fell)
{
	int m = -1, own = -1;

	*fell = 0;
	for (size_t i = 0; i < o->nmetrics; i++) {
		const char *s = o->metrics[i], *eq = strchr(s, '=');
		const struct metric *mt = metric_find(eq ? eq + 1 : s);

		if (!mt) {
			diag(DIAG_USAGE, "--metric '%s': unknown metric "
					 "(expected %s, or WORKLOAD=NAME)",
			     s, metric_names());
			return -1;
		}
		/* as for rank: a later one wins */
		if (!eq)
			m = (int)(mt - metrics);
		else if (strlen(workload) == (size_t)(eq - s) &&
			 memcmp(workload, s, (size_t)(eq - s)) == 0)
			own = (int)(mt - metrics);
	}
	if (own >= 0)
		return own;
	if (m >= 0)
		return m;
	for (int k = 0; k < 2; k++) {
		const struct data *d = k ? n : b;

		for (size_t i = 0; i < d->ne; i++)
			if (strcmp(d->cells[d->e[i].cell].workload, workload) == 0 &&
			    d->e[i].nv[M_WALL] < d->e[i].nv[M_BUSY])
				*fell = 1;
	}
	return *fell ? M_BUSY : M_WALL;
}

/* The analysis values of E for metric M, sorted (rates: reciprocals). */
static double *values(const struct entry *e, int m, size_t *n)
{
	double *x = malloc((e->nv[m] + 1) * sizeof *x);

	if (!x)
		return NULL;
	*n = 0;
	for (size_t k = 0; k < e->nv[m]; k++) {
		double v = metrics[m].higher ? 1.0 / e->v[m][k] : e->v[m][k];

		if (isfinite(v) && v > 0)
			x[(*n)++] = v;
	}
	gsl_sort(x, 1, *n);
	return x;
}

static double share(const struct entry *e)
{
	return e->n_ops > 0 ? (double)e->failed_ops / (double)e->n_ops : 0;
}

static void analyse(struct row *r, const struct data *B, const struct data *N,
		    const struct compare_options *o)
{
	const struct entry *eb = &B->e[r->eb], *en = &N->e[r->en];
	size_t nb, nn;
	double *xb = values(eb, r->metric, &nb), *xn = values(en, r->metric, &nn);
	double m, sd;

	r->nb = nb;
	r->nn = nn;
	r->detectable = NAN;
	r->p_holm = r->eq_holm = 1;
	r->mb = r->mn = r->cvb = r->cvn = NAN;
	r->p.ratio = r->p.ratio_lo = r->p.ratio_hi = NAN;
	r->p.p = r->p.p_mw = r->p.p_eq = NAN;
	if (!xb || !xn) {
		free(xb);
		free(xn);
		r->verdict = V_FAILED;
		snprintf(r->why, sizeof r->why, "out of memory");
		return;
	}
	kern_mean_sd(xb, nb, &m, &sd);
	r->mb = metrics[r->metric].higher ? 1 / m : m;
	r->cvb = sd / m;
	kern_mean_sd(xn, nn, &m, &sd);
	r->mn = metrics[r->metric].higher ? 1 / m : m;
	r->cvn = sd / m;
	if (share(eb) > o->max_failed || share(en) > o->max_failed ||
	    nb == 0 || nn == 0) {
		r->verdict = V_FAILED;
		snprintf(r->why, sizeof r->why,
			 "failed operations: %.3g%% in base, %.3g%% in new "
			 "(--max-failed %.3g)",
			 100 * share(eb), 100 * share(en), o->max_failed);
	} else {
		rank_compare(xn, nn, xb, nb, o->alpha, o->margin, &r->p);
		r->verdict = V_INCONCLUSIVE;
	}
	free(xb);
	free(xn);
}

/* Holm over the compared rows, then the verdicts. */
static void decide(struct row *rows, size_t n, const struct compare_options *o)
{
	double *p = malloc((n + 1) * sizeof *p), *q = malloc((n + 1) * sizeof *q);
	double *adj = malloc((n + 1) * sizeof *adj), *adjq = malloc((n + 1) * sizeof *adjq);
	size_t *idx = malloc((n + 1) * sizeof *idx), m = 0;

	if (!p || !q || !adj || !adjq || !idx)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (rows[i].verdict == V_INCONCLUSIVE) {
			p[m] = isfinite(rows[i].p.p) ? rows[i].p.p : 1;
			q[m] = isfinite(rows[i].p.p_eq) ? rows[i].p.p_eq : 1;
			idx[m++] = i;
		}
	kern_holm(p, m, adj);
	kern_holm(q, m, adjq);
	for (size_t k = 0; k < m; k++) {
		struct row *r = &rows[idx[k]];
		int v = rank_verdict(adj[k], o->alpha, o->margin, r->p.ratio_hi,
				     r->p.back_hi);

		r->p_holm = adj[k];
		r->eq_holm = adjq[k];
		if (v != 0) {
			r->verdict = v > 0 ? V_FASTER : V_SLOWER;
			/* as rank says it: where no rank test could reach
			 * alpha, the verdict rests on Welch's normal times */
			if (kern_mw_min_p(r->nb, r->nn) >= o->alpha)
				snprintf(r->why, sizeof r->why,
					 "with %zu + %zu repetitions no rank test "
					 "can reach p < %g: it rests on times "
					 "close to normal",
					 r->nb, r->nn, o->alpha);
		} else if (adjq[k] < o->alpha)
			r->verdict = V_SAME;
		else {
			double nmin = (double)(r->nb < r->nn ? r->nb : r->nn);
			double cv = (r->cvb + r->cvn) / 2;

			r->detectable = rank_detectable(nmin, cv, m, o->alpha,
							o->margin);
			if (nmin < 2 || r->detectable >= 1)
				snprintf(r->why, sizeof r->why,
					 "%zu + %zu repetitions: too few to "
					 "see any change",
					 r->nb, r->nn);
			else if (isfinite(r->detectable))
				snprintf(r->why, sizeof r->why,
					 "could see a change of %.3g%% or more",
					 100 * r->detectable);
			else
				snprintf(r->why, sizeof r->why,
					 "the repetitions do not vary: no test");
		}
	}
out:
	free(p);
	free(q);
	free(adj);
	free(adjq);
	free(idx);
}

static const char *fmt(char *buf, size_t cap, int m, double v)
{
	return metric_format(buf, cap, metrics[m].unit, v);
}

static void print_table(FILE *out, const struct row *rows, size_t n,
			const char *bn, const char *nn_, size_t nmatched,
			const struct compare_options *o)
{
	size_t w = 5, ww = 8;
	double lsum = 0;
	size_t lk = 0;

	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(rows[i].name);

		if (l > w)
			w = l;
		l = strlen(rows[i].workload) + 1 + strlen(rows[i].direction);
		if (l > ww)
			ww = l;
	}
	if (w > 60)
		w = 60;
	fprintf(out, "base: %s\nnew:  %s\n", bn, nn_);
	fprintf(out, "%zu groups matched; new/base of times (for a rate, of "
		     "its reciprocal: above 1 is slower), %.0f%% Fieller "
		     "interval; p: Welch, Holm over the %zu; margin %.3g%%\n\n",
		nmatched, 100 * (1 - o->alpha), nmatched, 100 * o->margin);
	fprintf(out, "%-*s  %-*s  %-8s  %12s  %12s  %-22s  %-7s  %s\n", (int)ww,
		"cell", (int)w, "group", "metric", "base", "new",
		"new/base [interval]", "p", "verdict");
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		char cell[256], a[32], b[32], ratio[64], p[16];

		snprintf(cell, sizeof cell, "%s %s", r->workload, r->direction);
		/* a ratio of times is positive: Fieller's lower end below 0
		 * (the base's mean not clear of 0) is shown as 0 */
		if (isfinite(r->p.ratio))
			snprintf(ratio, sizeof ratio, "%.3f [%.3f, %.3f]",
				 r->p.ratio,
				 r->p.ratio_lo > 0 ? r->p.ratio_lo : 0.0,
				 r->p.ratio_hi);
		else
			snprintf(ratio, sizeof ratio, "-");
		if (r->verdict == V_FAILED || !isfinite(r->p.p))
			snprintf(p, sizeof p, "-");
		else
			snprintf(p, sizeof p, "%.2g", r->p_holm);
		fprintf(out, "%-*s  %-*.*s  %-8s  %12s  %12s  %-22s  %-7s  %s%s%s%s\n",
			(int)ww, cell, (int)w, (int)w, r->name,
			metrics[r->metric].name, fmt(a, sizeof a, r->metric, r->mb),
			fmt(b, sizeof b, r->metric, r->mn), ratio, p,
			verdict_word[r->verdict], *r->why ? " (" : "", r->why,
			*r->why ? ")" : "");
		if (isfinite(r->p.ratio) && r->p.ratio > 0) {
			lsum += log(r->p.ratio);
			lk++;
		}
	}
	if (lk)
		fprintf(out, "%-*s  %-*s  %-8s  %12s  %12s  %-22.3f\n", (int)ww,
			"geomean", (int)w, "", "", "", "", exp(lsum / (double)lk));
}

static void write_csv(FILE *out, const struct row *rows, size_t n)
{
	struct csvout c;
	static const char *const cols[] = {
		"workload", "direction", "group", "metric", "n_base", "n_new",
		"mean_base", "mean_new", "ratio", "ratio_ci_lo", "ratio_ci_hi",
		"welch_p", "mw_p", "holm_p", "equiv_holm_p", "verdict",
		"detectable", "why", NULL,
	};

	csvout_init(&c, out);
	csvout_row(&c, cols);
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		int tested = r->verdict != V_FAILED;

		csvout_cstr(&c, r->workload);
		csvout_cstr(&c, r->direction);
		csvout_cstr(&c, r->name);
		csvout_cstr(&c, metrics[r->metric].name);
		csvout_i64(&c, (int64_t)r->nb);
		csvout_i64(&c, (int64_t)r->nn);
		csvout_double(&c, r->mb);
		csvout_double(&c, r->mn);
		csvout_double(&c, r->p.ratio);
		csvout_double(&c, r->p.ratio_lo);
		csvout_double(&c, r->p.ratio_hi);
		csvout_double(&c, tested ? r->p.p : NAN);
		csvout_double(&c, tested ? r->p.p_mw : NAN);
		csvout_double(&c, tested ? r->p_holm : NAN);
		csvout_double(&c, tested ? r->eq_holm : NAN);
		csvout_cstr(&c, verdict_word[r->verdict]);
		csvout_double(&c, r->detectable);
		csvout_cstr(&c, r->why);
		csvout_endrow(&c);
	}
	csvout_flush(&c);
	csvout_release(&c);
}

int compare_run(const char *base, const char *new_, const char *base_name,
		const char *new_name, const struct compare_options *o,
		FILE *out)
{
	struct data B, N;
	struct side *sb = NULL, *sn = NULL;
	struct row *rows = NULL;
	size_t nrows = 0, i = 0, j = 0, onlyb = 0, onlyn = 0;
	int rc = -1;

	if (rank_load(base, &B) != 0)
		return -1;
	if (rank_load(new_, &N) != 0) {
		rank_data_free(&B);
		return -1;
	}
	sb = sides(&B, o);
	sn = sides(&N, o);
	rows = calloc(B.ne + N.ne + 1, sizeof *rows);
	if (!sb || !sn || !rows) {
		diag(DIAG_ERROR, "out of memory");
		goto done;
	}
	if (check_unique(sb, B.ne, "base") != 0 || check_unique(sn, N.ne, "new") != 0)
		goto done;
	while (i < B.ne || j < N.ne) {
		int c = i == B.ne ? 1 : j == N.ne ? -1 : strcmp(sb[i].key, sn[j].key);
		struct row *r;
		int fell;

		if (c < 0) {
			i++;
			onlyb++;
			continue;
		}
		if (c > 0) {
			j++;
			onlyn++;
			continue;
		}
		r = &rows[nrows++];
		r->eb = sb[i].e;
		r->en = sn[j].e;
		r->name = sb[i].name;
		r->workload = B.cells[B.e[r->eb].cell].workload;
		r->direction = B.cells[B.e[r->eb].cell].direction;
		r->metric = metric_of(o, r->workload, &B, &N, &fell);
		if (r->metric < 0)
			goto done;
		analyse(r, &B, &N, o);
		i++;
		j++;
	}
	qsort(rows, nrows, sizeof *rows, cmp_row);
	decide(rows, nrows, o);
	if (o->csv)
		write_csv(out, rows, nrows);
	else
		print_table(out, rows, nrows, base_name, new_name, nrows, o);
	if (onlyb || onlyn) {
		/* listed, not dropped */
		for (int k = 0; k < 2; k++) {
			const struct side *s = k ? sn : sb;
			const struct side *t = k ? sb : sn;
			size_t ns = k ? N.ne : B.ne, nt = k ? B.ne : N.ne;
			const struct data *d = k ? &N : &B;

			for (size_t a = 0, b = 0; a < ns; a++) {
				const struct cell *cl = &d->cells[d->e[s[a].e].cell];

				while (b < nt && strcmp(t[b].key, s[a].key) < 0)
					b++;
				if (b < nt && strcmp(t[b].key, s[a].key) == 0)
					continue;
				if (o->csv)
					diag(DIAG_WARNING, "compare: only in %s: %s %s %s",
					     k ? "new" : "base", cl->workload,
					     cl->direction, s[a].name);
				else
					fprintf(out, "only in %s: %s %s %s\n",
						k ? "new" : "base", cl->workload,
						cl->direction, s[a].name);
			}
		}
	}
	if (nrows == 0)
		diag(DIAG_WARNING, "compare: no group of %s matches one of %s%s",
		     base_name, new_name,
		     o->nignore ? "" : " (a label such as build=... that tells "
				       "the runs apart? --match-ignore it)");
	rc = 0;
	if (o->fail_on_slower >= 0)
		for (size_t k = 0; k < nrows; k++)
			if (rows[k].verdict == V_SLOWER &&
			    rows[k].p.ratio_lo > 1 + o->fail_on_slower)
				rc = 3;
done:
	if (sb)
		sides_free(sb, B.ne);
	if (sn)
		sides_free(sn, N.ne);
	free(rows);
	rank_data_free(&B);
	rank_data_free(&N);
	return rc;
}
