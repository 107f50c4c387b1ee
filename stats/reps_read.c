/*
 * Repetition rows in: a CSV of one row a repetition, as reps.csv or
 * contrib/duckdb/reps.sql (any engine) writes them, into a table whose
 * repetitions are closed already, so that stats_write() computes every
 * repetition-level figure from them.  The operations are not there: the
 * operation-level columns of summary.csv (op_p50 ... op_max, s1_sq, s2_sq,
 * t2_sq, lag1_r, warmup_ops) are empty, steady is n/a, op_quantiles says
 * "none (repetition rows)", and hist.csv has no rows.  README, "Repetition
 * rows from another engine".
 */
#include "stats_int.h"
#include "../lib/csvread.h"
#include "../lib/diag.h"
#include "../lib/labels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* reps.csv's columns that are not labels; the rest are */
static const char *const rep_cols[] = {
	"file", "rep", "ops", "failed_ops", "wall_us", "busy_us", "bytes",
	"throughput_Bps", "op_rate_per_s", "op_mean_us", "op_p50_us",
	"op_p99_us", "start_res_us", "warmup_ops", "steady", "outliers", "data",
	"start_us", NULL,
};

struct cols {
	long file, rep, ops, failed, wall, busy, bytes, p50, p99, res, start,
		data;
};

/* Field C of the row as a whole number in [LO, STATS_FIELD_MAX]; EMPTY_OK: an
 * empty field gives *V = -1.  0, or -1 after a message. */
static int whole(const char *path, const struct csvread *r, long c,
		 int64_t lo, int empty_ok, const char *what, int64_t *v)
{
	if (r->f[c].len == 0 && empty_ok) {
		*v = -1;
		return 0;
	}
	return table_field_i64(path, &r->f[c], lo, what, v, 0);
}

static int decimal(const char *path, const struct csvread *r, long c,
		   const char *what, double *v)
{
	const struct csvfield *f = &r->f[c];
	char buf[64], *end;

	if (f->len == 0) {
		*v = NAN;
		return 0;
	}
	if (f->len < sizeof buf) {
		memcpy(buf, f->s, f->len);
		buf[f->len] = '\0';
		*v = strtod(buf, &end);
		if (!*end && isfinite(*v) && *v >= 0)
			return 0;
	}
	diag_at(DIAG_ERROR, path, f->line, f->col, "'%.*s': expected %s",
		(int)(f->len > 40 ? 40 : f->len), f->s, what);
	return -1;
}

/* One row's repetition, its figures as rep_figures() makes them from its
 * operations (stats/repclose.c): the same formulas on the same integers. */
static int one_row(struct stats_table *t, const char *path,
		   const struct csvread *r, const struct cols *c,
		   const long *lcol, size_t nk)
{
	const char *vals[256];
	size_t lens[256];
	int64_t number, ops, failed, wall, busy, bytes = -1, res = 1,
		start = -1;
	double p50, p99;
	uint32_t file;
	long g, ri;
	struct rep *rp;
	struct repfig *f;
	int bad = 0;

	bad |= whole(path, r, c->rep, 0, 0, "a repetition number", &number);
	bad |= whole(path, r, c->ops, 1, 0, "its operations, 1 or more", &ops);
	bad |= whole(path, r, c->failed, 0, 0, "its failed operations", &failed);
	bad |= whole(path, r, c->wall, 0, 1, "its wall time in us (empty: unknown)", &wall);
	bad |= whole(path, r, c->busy, 0, 1, "its busy time in us (empty: none)", &busy);
	if (c->bytes >= 0)
		bad |= whole(path, r, c->bytes, 0, 1, "its bytes (empty: unknown)", &bytes);
	if (c->res >= 0) {
		bad |= whole(path, r, c->res, 1, 1, "its start resolution in us", &res);
		if (res < 0)
			res = STATS_NO_STAMP; /* empty: durations only */
	}
	if (c->start >= 0)
		bad |= whole(path, r, c->start, 0, 1, "its first start in epoch us", &start);
	bad |= decimal(path, r, c->p50, "its median operation in us", &p50);
	bad |= decimal(path, r, c->p99, "its 99th percentile operation in us", &p99);
	if (bad)
		return -1;
	if (failed > ops) {
		diag_at(DIAG_ERROR, path, r->f[c->failed].line, r->f[c->failed].col,
			"%lld failed of %lld operations (expected at most all)",
			(long long)failed, (long long)ops);
		return -1;
	}
	if (c->data >= 0 && !(r->f[c->data].len == 3 &&
			      memcmp(r->f[c->data].s, "all", 3) == 0)) {
		diag_at(DIAG_ERROR, path, r->f[c->data].line, r->f[c->data].col,
			"'%.*s' rows (expected the rows of all operations: "
			"data = all; --steady needs the operations)",
			(int)r->f[c->data].len, r->f[c->data].s);
		return -1;
	}
	for (size_t k = 0; k < nk; k++) {
		vals[k] = r->f[lcol[k]].s;
		lens[k] = r->f[lcol[k]].len;
	}
	file = stats_table_file(t, r->f[c->file].s, r->f[c->file].len);
	g = file == UINT32_MAX ? -1 : table_find_group(t, vals, lens);
	ri = g < 0 ? -1 : table_find_rep(t, (uint32_t)g, file, number);
	if (ri < 0) {
		diag(DIAG_ERROR, "out of memory");
		return -1;
	}
	rp = &t->reps[ri];
	if (rp->fig) {
		diag_at(DIAG_ERROR, path, r->rec_line, 0,
			"repetition %lld of %s again (expected each "
			"repetition once)", (long long)number, t->files[file]);
		return -1;
	}
	rp->ops = (uint32_t)ops;
	rp->failed = (uint32_t)failed;
	rp->res = res;
	rp->min_start = start >= 0 ? start : 0;
	rp->bytes = bytes >= 0 ? bytes : 0;
	rp->bytes_unknown = bytes < 0;
	t->nops_total += (uint64_t)ops;
	/* one pass: --steady is refused */
	if (!(rp->fig = calloc(1, sizeof *rp->fig))) {
		diag(DIAG_ERROR, "out of memory");
		return -1;
	}
	f = &rp->fig[0];
	for (int m = 0; m < M_COUNT; m++)
		f->v[m] = NAN;
	f->within_var = f->mean = NAN;
	f->number = number;
	f->file = file;
	f->ops = (size_t)ops;
	f->failed = (size_t)failed;
	f->ok = (size_t)(ops - failed);
	f->steady = -1;
	f->res = res;
	f->start = start >= 0 && res != STATS_NO_STAMP ? start : INT64_MAX;
	f->bytes = rp->bytes;
	f->bytes_known = bytes >= 0;
	if (f->ok == 0)
		return 0; /* every operation failed: no figure at all */
	f->wall_unknown = wall < 0 || (f->res > 1 && (double)f->res > p50);
	if (!f->wall_unknown) {
		f->v[M_WALL] = (double)wall;
		if (wall > 0) {
			if (f->bytes_known)
				f->v[M_THROUGHPUT] = (double)bytes / ((double)wall / 1e6);
			f->v[M_OP_RATE] = (double)f->ok / ((double)wall / 1e6);
		}
	}
	if (busy >= 0) {
		f->v[M_BUSY] = (double)busy;
		f->v[M_OP_MEAN] = (double)busy / (double)f->ok;
	}
	f->v[M_OP_P50] = p50;
	f->v[M_OP_P99] = p99;
	return 0;
}

struct stats_table *stats_reps_read(const char *path,
				    const struct stats_options *o)
{
	struct csvread r;
	struct stats_table *t = NULL;
	struct cols c;
	long *lcol = NULL;
	char **keys = NULL;
	size_t nk = 0, ncols;
	int rc, fail = 0;

	if (o->steady) {
		diag(DIAG_USAGE, "stats: --steady needs the operations; "
				 "repetition rows have none");
		return NULL;
	}
	if (csvread_open(&r, path, ',', 0, 1) != 0) {
		diag_at(DIAG_ERROR, path, 0, 0, "%s: %s", r.error,
			strerror(r.L.err_errno));
		return NULL;
	}
	if (csvread_next(&r) != CSVREAD_ROW) {
		diag_at(DIAG_ERROR, path, 1, 0, "expected a header row");
		csvread_close(&r);
		return NULL;
	}
	ncols = r.nf;
	c = (struct cols){ csvread_column(&r, "file"), csvread_column(&r, "rep"),
			   csvread_column(&r, "ops"), csvread_column(&r, "failed_ops"),
			   csvread_column(&r, "wall_us"), csvread_column(&r, "busy_us"),
			   csvread_column(&r, "bytes"), csvread_column(&r, "op_p50_us"),
			   csvread_column(&r, "op_p99_us"), csvread_column(&r, "start_res_us"),
			   csvread_column(&r, "start_us"), csvread_column(&r, "data") };
	if (c.file < 0 || c.rep < 0 || c.ops < 0 || c.failed < 0 || c.wall < 0 ||
	    c.busy < 0 || c.p50 < 0 || c.p99 < 0 ||
	    csvread_column(&r, "workload") < 0 || csvread_column(&r, "direction") < 0) {
		diag_at(DIAG_ERROR, path, 1, 0, "repetition rows need the columns "
			"workload, direction, file, rep, ops, failed_ops, wall_us, "
			"busy_us, op_p50_us and op_p99_us (as reps.csv and "
			"contrib/duckdb/reps.sql have them)");
		csvread_close(&r);
		return NULL;
	}
	lcol = calloc(ncols + 1, sizeof *lcol);
	keys = calloc(ncols + 1, sizeof *keys);
	if (!lcol || !keys)
		goto nomem;
	for (size_t i = 0; i < ncols; i++)
		if (!table_name_in(rep_cols, r.f[i].s, r.f[i].len)) {
			lcol[nk] = (long)i;
			if (!(keys[nk++] = strndup(r.f[i].s, r.f[i].len)))
				goto nomem;
		}
	/* ingest's order of labels (the others by name, then workload and
	 * direction), so that another engine's rows give the files a run
	 * over the logs gives */
	for (size_t i = 1; i < nk; i++)
		for (size_t j = i; j > 0 && label_order(keys[j - 1], keys[j]) > 0; j--) {
			char *k = keys[j];
			long l = lcol[j];

			keys[j] = keys[j - 1];
			lcol[j] = lcol[j - 1];
			keys[j - 1] = k;
			lcol[j - 1] = l;
		}
	if (nk > 256) {
		diag_at(DIAG_ERROR, path, 1, 0, "%zu label columns (at most 256)", nk);
		goto out;
	}
	if (!(t = stats_table_new(nk, (const char *const *)keys, o)))
		goto out;
	t->from_reps = 1;
	while ((rc = csvread_next(&r)) != CSVREAD_EOF) {
		if (rc == CSVREAD_ERROR) {
			diag_at(DIAG_ERROR, path, r.err_line, r.err_col, "%s", r.error);
			fail = 1;
			continue;
		}
		if (rc != CSVREAD_ROW)
			continue;
		if (r.nf != ncols) {
			diag_at(DIAG_ERROR, path, r.rec_line, 0, "%zu fields "
				"(expected %zu, as in the header row)", r.nf, ncols);
			fail = 1;
			continue;
		}
		if (!fail && one_row(t, path, &r, &c, lcol, nk) != 0)
			fail = 1;
	}
	if (!fail && t->nreps == 0) {
		diag_at(DIAG_ERROR, path, 0, 0, "no repetitions (expected rows "
			"after the header)");
		fail = 1;
	}
	if (fail) {
		stats_table_free(t);
		t = NULL;
	}
	goto out;
nomem:
	diag(DIAG_ERROR, "out of memory");
	stats_table_free(t);
	t = NULL;
out:
	for (size_t k = 0; keys && k < nk; k++)
		free(keys[k]);
	free(keys);
	free(lcol);
	csvread_close(&r);
	return t;
}
