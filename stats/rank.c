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
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


static int in_list(const char *const *list, const char *s, size_t n)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return 1;
	return 0;
}

void rank_data_free(struct data *d)
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
		free(d->cells[c].metric_note);
	}
	free(d->cells);
	free(d->power);
	for (size_t i = 0; i < d->ne; i++) {
		free(d->e[i].x);
		for (int m = 0; m < M_COUNT; m++) {
			free(d->e[i].v[m]);
			free(d->e[i].rid[m]);
		}
		free(d->e[i].pid);
		free(d->e[i].px);
	}
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

/* A row with the header's NF fields; else an error at its line (a short
 * row's missing fields would be read from an earlier, longer row). */
static int full_row(const struct csvread *r, const char *path, size_t nf)
{
	if (r->nf == nf)
		return 1;
	diag_at(DIAG_ERROR, path, r->rec_line, 0,
		"%zu fields (expected %zu, as in the header)", r->nf, nf);
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
		nc[cell].metric = M_WALL;
		nc[cell].metric_note = NULL;
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

/* A figure of a stats file: empty (0, none), a finite number >= 0 (1), or
 * not one (-1). */
static int figure(const struct csvfield *f, double *v)
{
	char buf[64], *end;

	if (f->len == 0)
		return 0;
	if (f->len >= sizeof buf)
		return -1;
	memcpy(buf, f->s, f->len);
	buf[f->len] = '\0';
	*v = strtod(buf, &end);
	return *end == '\0' && isfinite(*v) && *v >= 0 ? 1 : -1;
}

/* The mean of a metric's values as summary.csv states it (harmonic for
 * rates). */
static double stated_mean(const double *v, size_t n, int higher)
{
	long double s = 0;

	for (size_t i = 0; i < n; i++)
		s += higher ? 1.0L / (long double)v[i] : (long double)v[i];
	if (n == 0)
		return NAN;
	return higher ? (double)((long double)n / s) : (double)(s / (long double)n);
}

/* ---- rounds: which repetitions were measured in one round ---- */

struct round_of {
	char *path; /* a log, as inputs.csv and reps.csv name it */
	long id;    /* its plan and round, numbered */
};

static int cmp_round_of(const void *a, const void *b)
{
	return strcmp(((const struct round_of *)a)->path,
		      ((const struct round_of *)b)->path);
}

/* META's value of KEY ("k=v; k=v"), copied into BUF; 0 when absent. */
static int meta_value(const char *meta, const char *key, char *buf, size_t cap)
{
	size_t kl = strlen(key);

	for (const char *s = meta; (s = strstr(s, key)) != NULL; s += kl)
		if ((s == meta || (s >= meta + 2 && s[-2] == ';' && s[-1] == ' ')) &&
		    s[kl] == '=') {
			const char *v = s + kl + 1;
			size_t n = strcspn(v, ";");

			snprintf(buf, cap, "%.*s", (int)n, v);
			return 1;
		}
	return 0;
}

/* DIR/inputs.csv's logs with meta.plan_sha256 and meta.round (written
 * by vmnetrank measure), sorted by path, ids shared by one plan's round;
 * *N of them.  NULL with *N = 0 when there is no inputs.csv or none
 * says its round: no repetition is paired then. */
static struct round_of *load_rounds(const char *dir, size_t *n)
{
	char path[4096];
	struct csvread r;
	struct round_of *ro = NULL;
	char **keys = NULL;
	size_t nk = 0, cap = 0;
	long c_path, c_meta;
	struct stat st;

	*n = 0;
	snprintf(path, sizeof path, "%s/inputs.csv", dir);
	if (stat(path, &st) != 0 || csvread_open(&r, path, ',', 0, 1) != 0)
		return NULL;
	if (csvread_next(&r) != CSVREAD_ROW ||
	    (c_path = csvread_column(&r, "path")) < 0 ||
	    (c_meta = csvread_column(&r, "meta")) < 0) {
		csvread_close(&r);
		return NULL;
	}
	while (csvread_next(&r) == CSVREAD_ROW) {
		char *meta, sha[80], rd[32], key[128];
		long id = -1;

		if ((size_t)c_path >= r.nf || (size_t)c_meta >= r.nf)
			continue;
		meta = strndup(r.f[c_meta].s, r.f[c_meta].len);
		if (!meta)
			break;
		if (meta_value(meta, "meta.plan_sha256", sha, sizeof sha) &&
		    meta_value(meta, "meta.round", rd, sizeof rd)) {
			snprintf(key, sizeof key, "%s/%s", sha, rd);
			for (size_t k = 0; k < nk && id < 0; k++)
				if (strcmp(keys[k], key) == 0)
					id = (long)k;
			if (id < 0) {
				char **nkeys = realloc(keys, (nk + 1) * sizeof *nkeys);

				if (nkeys) {
					keys = nkeys;
					keys[nk] = strdup(key);
					id = (long)nk++;
				}
			}
		}
		free(meta);
		if (id < 0)
			continue;
		if (*n == cap) {
			struct round_of *nr;

			cap = cap ? cap * 2 : 64;
			nr = realloc(ro, cap * sizeof *nr);
			if (!nr)
				break;
			ro = nr;
		}
		ro[*n].path = strndup(r.f[c_path].s, r.f[c_path].len);
		ro[*n].id = id;
		if (ro[*n].path)
			(*n)++;
	}
	csvread_close(&r);
	for (size_t k = 0; k < nk; k++)
		free(keys[k]);
	free(keys);
	if (ro)
		qsort(ro, *n, sizeof *ro, cmp_round_of);
	return ro;
}

static long round_id(const struct round_of *ro, size_t n, const struct csvfield *f)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(ro[mid].path, f->s, f->len);

		if (c == 0 && ro[mid].path[f->len] != '\0')
			c = 1;
		if (c == 0)
			return ro[mid].id;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int rank_load(const char *dir, struct data *d)
{
	char path[4096], spath[4096];
	struct csvread r;
	struct cols c = { 0 };
	long col[M_COUNT], c_n, c_mean, c_metric, c_ops, c_failed, c_data, c_file;
	int rc, bad = 0;
	size_t nrounds = 0;
	struct round_of *rounds = NULL;
	char mode[32] = ""; /* reps.csv's data: all or steady-state */
	size_t hdr_nf = 0;

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
	for (int m = 0; m < M_COUNT; m++) {
		col[m] = csvread_column(&r, metrics[m].column);
		if (col[m] < 0) {
			diag_at(DIAG_ERROR, path, 1, 0,
				"no %s column (expected reps.csv as this "
				"version of 'vmnetrank stats' writes it: run "
				"it again)",
				metrics[m].column);
			goto fail;
		}
	}
	c_data = csvread_column(&r, "data");
	if (c_data < 0) {
		diag_at(DIAG_ERROR, path, 1, 0,
			"no data column (expected reps.csv as this version of "
			"'vmnetrank stats' writes it: run it again)");
		goto fail;
	}
	hdr_nf = r.nf;
	c_file = csvread_column(&r, "file");
	rounds = load_rounds(dir, &nrounds);
	d->factors = calloc(c.nlabel + 1, sizeof *d->factors);
	if (!d->factors)
		goto nomem;
	for (size_t i = 0; i < c.nlabel; i++)
		if (c.label[i] != c.workload && c.label[i] != c.direction)
			d->factors[d->nfactors++] =
				strndup(r.f[c.label[i]].s, r.f[c.label[i]].len);
	while ((rc = csvread_next(&r)) != CSVREAD_EOF) {
		long ei;
		struct entry *e;

		if (rc == CSVREAD_ERROR) {
			diag_at(DIAG_ERROR, path, r.err_line, r.err_col, "%s",
				r.error);
			bad = 1;
			if (!r.raw)
				break;
			continue;
		}
		if (!full_row(&r, path, hdr_nf)) {
			bad = 1;
			continue;
		}
		if ((size_t)c_data < r.nf) {
			char v[32];

			snprintf(v, sizeof v, "%.*s", (int)r.f[c_data].len, r.f[c_data].s);
			if (!*mode)
				snprintf(mode, sizeof mode, "%s", v);
			else if (strcmp(mode, v) != 0) {
				diag_at(DIAG_ERROR, path, r.rec_line, r.f[c_data].col,
					"data '%s' after '%s' (expected one "
					"kind of figures in one reps.csv: run "
					"'vmnetrank stats' again)",
					v, mode);
				bad = 1;
				continue;
			}
		}
		ei = find_entry(d, &r, &c, 1);
		if (ei < 0)
			goto nomem;
		e = &d->e[ei];
		for (int m = 0; m < M_COUNT; m++) {
			double v;
			int st = (size_t)col[m] < r.nf ? figure(&r.f[col[m]], &v) : -1;

			if (st < 0) {
				diag_at(DIAG_ERROR, path, r.rec_line,
					(size_t)col[m] < r.nf ? r.f[col[m]].col : 0,
					"expected %s, a number >= 0 or empty",
					metrics[m].column);
				bad = 1;
				continue;
			}
			if (st == 0)
				continue;
			if (e->nv[m] == e->capv[m]) {
				size_t ncap = e->capv[m] ? e->capv[m] * 2 : 16;
				double *nx = realloc(e->v[m], ncap * sizeof *nx);
				long *nr;

				if (!nx)
					goto nomem;
				e->v[m] = nx;
				nr = realloc(e->rid[m], ncap * sizeof *nr);
				if (!nr)
					goto nomem;
				e->rid[m] = nr;
				e->capv[m] = ncap;
			}
			e->rid[m][e->nv[m]] = c_file >= 0 && (size_t)c_file < r.nf
						      ? round_id(rounds, nrounds, &r.f[c_file])
						      : -1;
			e->v[m][e->nv[m]++] = v;
		}
	}
	csvread_close(&r);
	free(c.label);
	memset(&c, 0, sizeof c);
	for (size_t i = 0; i < nrounds; i++)
		free(rounds[i].path);
	free(rounds);
	rounds = NULL;
	nrounds = 0;
	if (bad)
		goto fail_closed;
	if (d->ne == 0) {
		diag_at(DIAG_ERROR, path, 0, 0, "no repetitions");
		goto fail_closed;
	}
	/* summary.csv must describe the same groups, metric by metric */
	if (csvread_open(&r, spath, ',', 0, 1) != 0) {
		diag_at(DIAG_ERROR, spath, 0, 0,
			"cannot read: %s (run 'vmnetrank stats' first)",
			strerror(r.L.err_errno));
		goto fail_closed;
	}
	if (read_header(&r, spath, stats_summary_cols, &c) != 0)
		goto fail;
	{
		/* the same label columns as reps.csv, in its order */
		size_t k = 0;
		int same = 1;

		for (size_t i = 0; i < c.nlabel && same; i++) {
			long col = c.label[i];

			if (col == c.workload || col == c.direction)
				continue;
			same = k < d->nfactors && fieldeq(&r.f[col], d->factors[k]);
			k++;
		}
		if (!same || k != d->nfactors) {
			diag_at(DIAG_ERROR, spath, 1, 0,
				"its label columns are not those of reps.csv "
				"(expected summary.csv and reps.csv written "
				"together by 'vmnetrank stats')");
			goto fail;
		}
	}
	c_metric = csvread_column(&r, "metric");
	c_n = csvread_column(&r, "n_reps");
	c_mean = csvread_column(&r, "mean");
	c_ops = csvread_column(&r, "n_ops");
	c_failed = csvread_column(&r, "failed_ops");
	c_data = csvread_column(&r, "data");
	if (c_metric < 0 || c_n < 0 || c_mean < 0 || c_ops < 0 || c_failed < 0 ||
	    c_data < 0) {
		diag_at(DIAG_ERROR, spath, 1, 0,
			"expected the columns metric, n_reps, mean, n_ops, "
			"failed_ops and data (summary.csv as this version of "
			"'vmnetrank stats' writes it: run it again)");
		goto fail;
	}
	hdr_nf = r.nf;
	while ((rc = csvread_next(&r)) == CSVREAD_ROW) {
		long ei;
		int64_t n = -1, ops = -1, failed = -1;
		size_t off;
		double m = NAN, want;
		const struct metric *mt = NULL;
		struct entry *e;

		if (!full_row(&r, spath, hdr_nf)) {
			bad = 1;
			continue;
		}
		/* the figures of the same data as reps.csv's (with --steady
		 * summary.csv holds both) */
		if ((size_t)c_data >= r.nf ||
		    (size_t)r.f[c_data].len != strlen(mode) ||
		    memcmp(r.f[c_data].s, mode, strlen(mode)) != 0)
			continue;
		ei = find_entry(d, &r, &c, 0);
		if ((size_t)c_metric < r.nf) {
			char name[32];

			snprintf(name, sizeof name, "%.*s",
				 (int)r.f[c_metric].len, r.f[c_metric].s);
			mt = metric_find(name);
		}
		if ((size_t)c_n < r.nf)
			num_i64(r.f[c_n].s, r.f[c_n].len, &n, &off);
		if ((size_t)c_ops < r.nf)
			num_i64(r.f[c_ops].s, r.f[c_ops].len, &ops, &off);
		if ((size_t)c_failed < r.nf)
			num_i64(r.f[c_failed].s, r.f[c_failed].len, &failed, &off);
		if ((size_t)c_mean < r.nf && figure(&r.f[c_mean], &m) != 1)
			m = NAN;
		e = ei >= 0 ? &d->e[ei] : NULL;
		want = e && mt ? stated_mean(e->v[mt - metrics], e->nv[mt - metrics],
					     mt->higher)
			       : NAN;
		if (!e || !mt || n < 0 || (size_t)n != e->nv[mt - metrics] ||
		    ops < 0 || failed < 0 || failed > ops ||
		    (n > 0 && !(fabs(m - want) <= 1e-9 * fabs(want) + 1e-6))) {
			/* once per group, not once per metric row */
			if (!e || !e->checked)
				diag_at(DIAG_ERROR, spath, r.rec_line, 0,
					"summary.csv and reps.csv disagree "
					"about this group (run 'vmnetrank "
					"stats' again)");
			if (e)
				e->checked = 1;
			bad = 1;
			continue;
		}
		e->n_ops = (long)ops;
		e->failed_ops = (long)failed;
		e->checked = 1;
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
		rank_data_free(d);
	return bad ? -1 : 0;
nomem:
	diag(DIAG_ERROR, "out of memory");
fail:
	csvread_close(&r);
fail_closed:
	free(c.label);
	for (size_t i = 0; i < nrounds; i++)
		free(rounds[i].path);
	free(rounds);
	rank_data_free(d);
	return -1;
}

/* ---- metrics and eligibility ---- */

/* The share of E's operations that failed. */
static double entry_failed_share(const struct entry *e)
{
	return e->n_ops > 0 ? (double)e->failed_ops / (double)e->n_ops : 0;
}

/* What is shown of E's analysis value V (rates: the reciprocal back). */
static double entry_shown(const struct data *d, const struct entry *e, double v)
{
	return metrics[d->cells[e->cell].metric].higher ? 1.0 / v : v;
}

/* E's t interval at level CONF in its metric's own terms (for rates the
 * reciprocal of the interval of mean(1/x); an end at 0 or below: NaN). */
static void entry_interval(const struct data *d, const struct entry *e,
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
static int choose_metrics(struct data *d, const struct rank_options *o,
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

static int analyse(struct data *d, const struct rank_options *o,
		   char *const *names)
{
	for (size_t i = 0; i < d->ne; i++) {
		struct entry *e = &d->e[i];
		const struct cell *c = &d->cells[e->cell];
		const struct metric *m = &metrics[c->metric];
		double share = entry_failed_share(e);
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

static size_t pair_at(size_t k, size_t i, size_t j)
{
	return i * k - i * (i + 1) / 2 + (j - i - 1);
}

static const struct data *order_data;

/* Better first: eligible, then with values, then by mean, then config. */
static int cmp_by_mean(const void *a, const void *b)
{
	const struct entry *x = &order_data->e[*(const size_t *)a];
	const struct entry *y = &order_data->e[*(const size_t *)b];

	if (x->eligible != y->eligible)
		return y->eligible - x->eligible;
	if ((x->n > 0) != (y->n > 0))
		return (y->n > 0) - (x->n > 0);
	if (x->n > 0 && x->mean != y->mean)
		return x->mean < y->mean ? -1 : 1;
	return (x->config > y->config) - (x->config < y->config);
}

/* The comparison of entries EA and EB as FAMILY (a ranking of their whole
 * cell) made it, from EA's side. */
static struct rank_pair family_pair(const struct data *d,
				    const struct ranking *family, size_t ea,
				    size_t eb)
{
	size_t pa = 0, pb = 0;
	struct rank_pair p, q;

	while (family->idx[pa] != ea)
		pa++;
	while (family->idx[pb] != eb)
		pb++;
	if (pa < pb)
		return family->pair[pair_at(family->ke, pa, pb)];
	q = family->pair[pair_at(family->ke, pb, pa)];
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

/* ---- what a cell could show ----
 *
 * The power of the beats rule for two configurations of N repetitions
 * each, normal times with a common CV, the faster 1 - D times the slower,
 * in a family of M pairs: the share of POWER_DRAWS simulated pairs of
 * (mean, variance) drawn from their exact distributions (normal, scaled
 * chi-square) in which the faster one beats the slower: Welch p < alpha/M
 * (Holm's first step, i.e. Bonferroni: conservative for all but the
 * strongest pair) and the Fieller interval below 1 - margin.  The draws
 * are the same for every D (a fixed seed per N), so the power rises with
 * D and bisection finds the D of 80% power.
 */
#define POWER_DRAWS 2000
#define POWER_GRID 64

struct power_draws {
	size_t n;
	double z[2][POWER_DRAWS], c[2][POWER_DRAWS];
	/* the t quantiles at 1 - alpha/2 and 1 - alpha/(2m) over Welch's
	 * df, which for two samples of n lies in [n - 1, 2(n - 1)]: on a
	 * grid in 1/df, interpolated (the cdf at every draw was 90% of the
	 * time) */
	double q1[POWER_GRID + 1], q2[POWER_GRID + 1];
};

static void power_draw(struct power_draws *pd, size_t n, gsl_rng *r,
		       double alpha, size_t m)
{
	double x0 = 1 / (2.0 * (double)(n - 1)), x1 = 1 / (double)(n - 1);

	pd->n = n;
	gsl_rng_set(r, 20071128u + (unsigned long)n);
	for (size_t k = 0; k < POWER_DRAWS; k++)
		for (int g = 0; g < 2; g++) {
			pd->z[g][k] = gsl_ran_ugaussian(r);
			pd->c[g][k] = gsl_ran_chisq(r, (double)(n - 1)) / (double)(n - 1);
		}
	for (int i = 0; i <= POWER_GRID; i++) {
		double df = 1 / (x0 + (x1 - x0) * i / POWER_GRID);

		pd->q1[i] = gsl_cdf_tdist_Pinv(1 - alpha / 2, df);
		pd->q2[i] = gsl_cdf_tdist_Pinv(1 - alpha / (2 * (double)m), df);
	}
}

/* The two quantiles at DF, interpolated. */
static void power_q(const struct power_draws *pd, double df, double *q1,
		    double *q2)
{
	double x0 = 1 / (2.0 * (double)(pd->n - 1)), x1 = 1 / (double)(pd->n - 1);
	double pos = (1 / df - x0) / (x1 - x0) * POWER_GRID, f;
	int i;

	if (!(pos > 0))
		pos = 0;
	if (pos > POWER_GRID)
		pos = POWER_GRID;
	i = (int)pos;
	if (i == POWER_GRID)
		i--;
	f = pos - i;
	*q1 = pd->q1[i] + f * (pd->q1[i + 1] - pd->q1[i]);
	*q2 = pd->q2[i] + f * (pd->q2[i + 1] - pd->q2[i]);
}

/* The share of draws in which the faster beats the slower; with STOP set,
 * counting ends as soon as the share is known to be at least, or below,
 * STOP (the searches only ask which side of 80% it lies).  The draws'
 * quantiles are for the alpha and m they were made with. */
static double power_at_(const struct power_draws *pd, double cv, double margin,
			double d, double stop)
{
	double n = (double)pd->n, th = 1 - margin, hits = 0, misses = 0;
	double need = ceil(stop * POWER_DRAWS - 1e-9), room = POWER_DRAWS - need;

	for (size_t k = 0; k < POWER_DRAWS; k++) {
		double ma = (1 - d) * (1 + cv * pd->z[0][k] / sqrt(n));
		double mb = 1 + cv * pd->z[1][k] / sqrt(n);
		double va = (1 - d) * (1 - d) * cv * cv * pd->c[0][k] / n;
		double vb = cv * cv * pd->c[1][k] / n;
		double df = (va + vb) * (va + vb) / ((va * va + vb * vb) / (n - 1));
		double tf = (ma - th * mb) / sqrt(va + th * th * vb), q1, q2;

		/* the Fieller interval of ma/mb below th: t(th) < -q, with mb
		 * clearly above 0; then Welch's two-sided p below alpha/m */
		power_q(pd, df, &q1, &q2);
		if (tf < -q1 && mb / sqrt(vb) > q1 && (mb - ma) / sqrt(va + vb) > q2)
			hits++;
		else
			misses++;
		if (stop > 0 && (hits >= need || misses > room))
			return hits >= need ? stop : 0;
	}
	return hits / POWER_DRAWS;
}

static double power_at(const struct power_draws *pd, double cv, double margin,
		       double d)
{
	return power_at_(pd, cv, margin, d, 0);
}

/* Whether D has 80% power. */
static int power_reaches(const struct power_draws *pd, double cv,
			 double margin, double d)
{
	return power_at_(pd, cv, margin, d, 0.8) >= 0.8;
}

/* Draws for N repetitions and their generator; 0, or -1 when out of
 * memory (both freed by power_close). */
static int power_open(struct power_draws **pd, gsl_rng **r)
{
	*pd = malloc(sizeof **pd);
	*r = gsl_rng_alloc(gsl_rng_mt19937);
	return *pd && *r ? 0 : -1;
}

static void power_close(struct power_draws *pd, gsl_rng *r)
{
	free(pd);
	if (r)
		gsl_rng_free(r);
}

double rank_power(double n, double cv, size_t m, double alpha, double margin,
		  double d)
{
	struct power_draws *pd = NULL;
	gsl_rng *r = NULL;
	double p = NAN;

	if (n >= 2 && cv > 0 && m > 0 && power_open(&pd, &r) == 0) {
		power_draw(pd, (size_t)n, r, alpha, m);
		p = power_at(pd, cv, margin, d);
	}
	power_close(pd, r);
	return p;
}

double rank_detectable(double n, double cv, size_t m, double alpha,
		       double margin)
{
	struct power_draws *pd = NULL;
	gsl_rng *r = NULL;
	double lo = margin, hi = 0.999, out = NAN;

	if (!(n >= 2) || !(cv > 0) || m == 0)
		return NAN;
	if (power_open(&pd, &r) != 0)
		goto done;
	power_draw(pd, (size_t)n, r, alpha, m);
	if (!power_reaches(pd, cv, margin, hi)) {
		out = 1; /* not even a 99.9% difference */
		goto done;
	}
	while (hi - lo > 1e-4) {
		double mid = (lo + hi) / 2;

		if (power_reaches(pd, cv, margin, mid))
			hi = mid;
		else
			lo = mid;
	}
	out = hi;
done:
	power_close(pd, r);
	return out;
}

size_t rank_reps_needed(double cv, size_t m, double alpha, double margin,
			double detect)
{
	struct power_draws *pd = NULL;
	gsl_rng *r = NULL;
	size_t lo, hi, out = 0;

	if (!(detect > margin) || !(cv > 0) || m == 0)
		return 0;
	if (power_open(&pd, &r) != 0)
		goto done;
#define REACHES(N) (power_draw(pd, (N), r, alpha, m), \
		    power_reaches(pd, cv, margin, detect))
	/* the smallest N of 80% power at DETECT, bracketed from the normal
	 * approximation's N (close but for small N), then bisection (power
	 * rises with N, up to the simulation's noise) */
	{
		double z8 = gsl_cdf_ugaussian_Pinv(0.8);
		double za = gsl_cdf_ugaussian_Pinv(1 - alpha / 2) + z8;
		double zm = gsl_cdf_ugaussian_Pinv(1 - alpha / (2 * (double)m)) + z8;
		double ld = -log1p(-detect), lm = -log1p(-margin);
		double a = za * cv * M_SQRT2 / (ld - lm), b = zm * cv * M_SQRT2 / ld;
		double n0 = fmax(a * a, b * b);

		hi = n0 < 2 ? 2 : n0 > 1e6 ? 1000000 : (size_t)ceil(n0);
	}
	if (REACHES(hi)) {
		lo = hi;
		while (lo > 2) {
			size_t down = lo * 4 / 5 < 2 ? 2 : lo * 4 / 5;

			if (down == lo || !REACHES(down)) {
				lo = down;
				break;
			}
			hi = lo = down;
		}
		if (lo == hi) /* 2 reaches */
			lo = 1;
	} else {
		lo = hi;
		while (hi < 1000000) {
			hi = hi * 5 / 4 + 1;
			if (REACHES(hi))
				break;
			lo = hi;
		}
		if (hi >= 1000000 && !REACHES(hi))
			goto done;
	}
	/* REACHES(hi); not REACHES(lo) (or lo < 2) */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (REACHES(mid))
			hi = mid;
		else
			lo = mid;
	}
#undef REACHES
	out = hi;
done:
	power_close(pd, r);
	return out;
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
static int rank_set(const struct data *d, const size_t *idx_in, size_t k,
		    const struct rank_options *o, const double *bm,
		    struct kern_mw_cache *cache, const struct ranking *family,
		    struct ranking *R)
{
	size_t np, ke = 0;
	double *praw = NULL, *padj = NULL, *peq = NULL;
	size_t *order = NULL, *idx;
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
	wins = calloc(k + 1, sizeof *wins);
	means = malloc((k + 1) * sizeof *means);
	if (!R->pair || !R->point || !R->lo || !R->hi || !R->p1 ||
	    !praw || !padj || !peq || !order || !wins || !means)
		goto nomem;
	/* every pair of eligible ones: Welch, Fieller both ways,
	 * Mann-Whitney; Holm over all of them (or the cell's verdicts) */
	for (size_t i = 0; i < ke; i++)
		for (size_t j = i + 1; j < ke; j++) {
			const struct entry *a = &d->e[idx[i]], *b = &d->e[idx[j]];
			struct rank_pair *pr = &R->pair[pair_at(ke, i, j)];

			if (family) {
				*pr = family_pair(d, family, idx[i], idx[j]);
				continue;
			}
			compare(a->x, a->n, b->x, b->n, o->alpha, o->margin,
				cache, pr);
			praw[pair_at(ke, i, j)] = pr->p;
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
			struct rank_pair *pr = &R->pair[pair_at(ke, i, j)];

			if (!family) {
				pr->p_holm = padj[pair_at(ke, i, j)];
				pr->verdict = rank_verdict(pr->p_holm, o->alpha,
							   o->margin, pr->ratio_hi,
							   pr->back_hi);
				pr->p_eq_holm = peq[pair_at(ke, i, j)];
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
		order[i] = idx[i];
	}
	order_data = d;
	qsort(order, k, sizeof *order, cmp_by_mean);
	for (size_t r = 0; r < k; r++)
		for (size_t i = 0; i < k; i++)
			if (idx[i] == order[r])
				R->point[i] = r + 1;
	/* bootstrap over repetitions: P(rank = 1) among the eligible;
	 * configurations tied for the best resampled mean share that
	 * resample's credit */
	for (size_t b = 0; bm && ke && b < o->bootstrap; b++) {
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
	for (size_t i = 0; i < k; i++)
		R->p1[i] = bm && o->bootstrap && i < ke
				   ? wins[i] / (double)o->bootstrap
				   : NAN;
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
	free(wins);
	free(means);
	return 0;
nomem:
	free(praw);
	free(padj);
	free(peq);
	free(order);
	free(wins);
	free(means);
	ranking_free(R);
	diag(DIAG_ERROR, "out of memory");
	return -1;
}

/* ---- the answer, on the terminal ---- */

/* Sizes NA + NB of a "beats" pair of R at which no rank test reaches
 * alpha (1), else 0. */
static int beats_on_normality(const struct data *d, const struct ranking *R,
			      double alpha, size_t *na, size_t *nb)
{
	for (size_t i = 0; i < R->ke; i++)
		for (size_t j = i + 1; j < R->ke; j++) {
			const struct rank_pair *p = &R->pair[pair_at(R->ke, i, j)];
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
	pr = &R->pair[i < best ? pair_at(R->ke, i, best) : pair_at(R->ke, best, i)];
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
static void print_answer(const struct data *d, const struct ranking *R,
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

		entry_interval(d, b, 1 - o->alpha, &lo, &hi);
		metric_format_ci(t1, sizeof t1, t2, sizeof t2, mt->unit,
				 entry_shown(d, b, b->mean), lo, hi);
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
				pr = &R->pair[i < best ? pair_at(R->ke, i, best)
						       : pair_at(R->ke, best, i)];
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
					pr = &R->pair[i < best ? pair_at(R->ke, i, best)
							       : pair_at(R->ke, best, i)];
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
			if (entry_failed_share(e) > smax)
				smax = entry_failed_share(e);
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
			       100 * entry_failed_share(e));
		else if (i >= R->ke)
			term_printf(stdout, "  not eligible: %s: %ld of %ld operations "
			       "failed (%.3g%%)%s\n",
			       names[e->config], e->failed_ops, e->n_ops,
			       100 * entry_failed_share(e),
			       e->n ? "" : ", no times at all");
	}
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

struct out {
	struct csvout pairs, ranks, kendall, scores, sens;
	char **names; /* per config */
	const struct rank_options *o;
};

static void num(struct csvout *w, double v)
{
	csvout_double(w, v);
}

static void write_ranking(const struct data *d, const struct ranking *R,
			  const char *view, int plain, struct out *w)
{
	static const char *const verdicts[] = { "beaten", "tied", "beats" };

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
		entry_interval(d, e, 1 - w->o->alpha, &lo, &hi);
		num(&w->ranks, e->n ? entry_shown(d, e, e->mean) : NAN);
		num(&w->ranks, lo);
		num(&w->ranks, hi);
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
		num(&w->ranks, R->p1[i]);
		csvout_i64(&w->ranks, (int64_t)w->o->bootstrap);
		csvout_i64(&w->ranks, (int64_t)w->o->seed);
		num(&w->ranks, w->o->alpha);
		csvout_cstr(&w->ranks, mt->name);
		csvout_cstr(&w->ranks, metric_unit_symbol(mt->unit));
		csvout_cstr(&w->ranks, mt->higher ? "higher" : "lower");
		csvout_i64(&w->ranks, e->n_ops);
		csvout_i64(&w->ranks, e->failed_ops);
		num(&w->ranks, entry_failed_share(e));
		csvout_cstr(&w->ranks, e->eligible ? "yes" : "no");
		csvout_cstr(&w->ranks, c->metric_note ? c->metric_note : "");
		num(&w->ranks, R->cv);
		num(&w->ranks, R->n_reps);
		num(&w->ranks, R->detectable);
		num(&w->ranks, w->o->detect);
		if (R->reps_needed)
			csvout_i64(&w->ranks, (int64_t)R->reps_needed);
		else
			csvout_empty(&w->ranks);
		num(&w->ranks, w->o->margin);
		csvout_endrow(&w->ranks);
	}
	if (plain)
		return;
	for (size_t i = 0; i < R->ke; i++)
		for (size_t j = i + 1; j < R->ke; j++) {
			const struct rank_pair *p = &R->pair[pair_at(R->ke, i, j)];
			const struct entry *a = &d->e[R->idx[i]], *b = &d->e[R->idx[j]];
			int rate = metrics[d->cells[a->cell].metric].higher;

			csvout_cstr(&w->pairs, view);
			csvout_cstr(&w->pairs, d->cells[a->cell].workload);
			csvout_cstr(&w->pairs, d->cells[a->cell].direction);
			csvout_cstr(&w->pairs, w->names[a->config]);
			csvout_cstr(&w->pairs, w->names[b->config]);
			csvout_i64(&w->pairs, (int64_t)a->n);
			csvout_i64(&w->pairs, (int64_t)b->n);
			num(&w->pairs, entry_shown(d, a, a->mean));
			num(&w->pairs, entry_shown(d, b, b->mean));
			/* the ratio of what is shown: for rates a/b of the
			 * rates, i.e. b/a of their reciprocals */
			num(&w->pairs, rate ? 1.0 / p->ratio : p->ratio);
			num(&w->pairs, rate ? p->back_lo : p->ratio_lo);
			num(&w->pairs, rate ? p->back_hi : p->ratio_hi);
			num(&w->pairs, p->t);
			num(&w->pairs, p->df);
			num(&w->pairs, p->p);
			num(&w->pairs, p->u);
			num(&w->pairs, p->p_mw);
			num(&w->pairs, p->p_holm);
			csvout_cstr(&w->pairs, verdicts[p->verdict + 1]);
			csvout_cstr(&w->pairs, metrics[d->cells[a->cell].metric].name);
			num(&w->pairs, p->p_eq);
			num(&w->pairs, p->p_eq_holm);
			csvout_cstr(&w->pairs, p->equal ? "yes" : "no");
			{
				struct paired pd;

				rank_paired(a, b, w->o->alpha, &pd);
				if (pd.n) {
					csvout_i64(&w->pairs, (int64_t)pd.n);
					/* for rates, of the rates: the times' b/a */
					num(&w->pairs, rate ? 1 / pd.ratio : pd.ratio);
					num(&w->pairs, rate ? 1 / pd.hi : pd.lo);
					num(&w->pairs, rate ? 1 / pd.lo : pd.hi);
					num(&w->pairs, pd.p);
				} else {
					for (int k = 0; k < 5; k++)
						csvout_empty(&w->pairs);
				}
			}
			csvout_endrow(&w->pairs);
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
				"a row of pairs.csv each (about %.3g MB), and "
				"time that grows with their square (3,000 "
				"took 33 s and 620 MB when measured); pass "
				"--max-configs 0 (or a larger number) to go on, "
				"or rank fewer",
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
	    choose_metrics(&d, o, &wts, wlnames, nwl) != 0)
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
	d.power = calloc(d.ncells + 1, sizeof *d.power);
	if (!d.power || analyse(&d, o, w.names) != 0)
		goto nomem;
	/* one bootstrap for everything: B resampled means per entry (on the
	 * analysis scale; NaN for an entry without values) */
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
				bm[b * d.ne + i] = e->n ? sum / (double)e->n : NAN;
			}
	}
	for (; opened < 5; opened++) {
		char *p = outfile_path(outdir, names[opened]);
		int r = p ? outfile_open(&of[opened], p) : -1;

		free(p);
		if (r != 0)
			goto out;
		csvout_init(cw[opened], of[opened].fp);
	}
	csvout_row(&w.pairs, pairs_cols);
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
			if (rank_set(&d, idx, k, o, bm, &cache, NULL, &R) != 0)
				goto out;
			write_ranking(&d, &R,
				      pass ? "traditional" : d.cells[cell].direction,
				      pass, &w);
			if (!pass && o->print_answer && k)
				print_answer(&d, &R, w.names, o);
			ranking_free(&R);
		}
	/* --by: each factor value's best configuration, ranked the same way */
	for (size_t ci = 0; have_by && ci < d.ncells; ci++) {
		size_t cell = cells[ci], k = 0, kall = 0;
		struct ranking R, full;

		/* the cell's own family first: the view takes its verdicts */
		for (size_t c = 0; c < d.nconfigs; c++)
			for (size_t i = 0; i < d.ne; i++)
				if (d.e[i].cell == cell && d.e[i].config == configs[c])
					idx[kall++] = i;
		if (rank_set(&d, idx, kall, o, bm, &cache, NULL, &full) != 0)
			goto out;

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
		if (rank_set(&d, idx, k, o, bm, &cache, &full, &R) != 0) {
			ranking_free(&full);
			goto out;
		}
		write_ranking(&d, &R, view, 0, &w);
		ranking_free(&R);
		ranking_free(&full);
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
		num(&w.kendall, tau);
		num(&w.kendall, p);
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
	rank_data_free(&d);
	return rc;
}
