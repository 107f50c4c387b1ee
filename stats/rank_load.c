/* The rank stage reads reps.csv and summary.csv (and the rounds of
 * inputs.csv) into its data: one entry per group and metric. */
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
		if (table_name_in(known, r->f[i].s, r->f[i].len))
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
