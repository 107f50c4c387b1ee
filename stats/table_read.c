/* samples.csv into the table of operations (table.c): its columns
 * checked, its rows read (with libcsv, or by the fast path), a large file
 * read in two halves on two threads and merged. */
#include "stats_int.h"
#include "../lib/csvread.h"
#include "../lib/diag.h"
#include "../lib/num.h"
#include "../lib/status.h"

#include <fcntl.h>

#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

static const char *const known_cols[] = {
	"rep", "seq", "start_us", "end_us", "duration_us",
	"bytes", "status", "source", "server_us", "start_res_us", NULL,
};

int table_name_in(const char *const *list, const char *s, size_t n)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return 1;
	return 0;
}


int table_field_i64(const char *path, const struct csvfield *f, int64_t lo,
		    const char *what, int64_t *v, int quiet)
{
	size_t bad;
	int st = num_i64(f->s, f->len, v, &bad);

	if (st == NUM_OK && (*v < lo || *v > STATS_FIELD_MAX))
		st = NUM_RANGE;
	if (st == NUM_OK)
		return 0;
	if (!quiet)
		diag_at(DIAG_ERROR, path, f->line,
			f->col + (st == NUM_SYNTAX ? (long)bad : 0),
			"%s '%.*s' (expected %s)",
			st == NUM_EMPTY	  ? "missing value"
			: st == NUM_RANGE ? "out of range"
					  : "not a number",
			(int)f->len, f->s, what);
	return -1;
}

/* table_field_i64() of column C, for the usual case first: plain digits
 * in range, read while the line was split (csvread_int_columns()). */
static inline int field_i64(const char *path, const struct csvread *r,
			    long c, int64_t lo, const char *what, int64_t *v,
			    int quiet)
{
	if (c < 64 && (r->ivalid >> c & 1) && r->ival[c] >= lo &&
	    r->ival[c] <= STATS_FIELD_MAX) {
		*v = r->ival[c];
		return 0;
	}
	return table_field_i64(path, &r->f[c], lo, what, v, quiet);
}

/* Where the columns of a samples file are. */
struct layout {
	size_t ncols, nkeys;
	long c_rep, c_start, c_end, c_dur, c_bytes, c_status, c_source, c_res;
	long *lcol;  /* label columns */
	char **keys; /* their names */
	const struct status_rule *rule;
};

static void layout_release(struct layout *lo)
{
	for (size_t k = 0; lo->keys && k < lo->nkeys; k++)
		free(lo->keys[k]);
	free(lo->keys);
	free(lo->lcol);
}

/* ROWS_SCATTERED: a repetition's rows went on after it was closed (its
 * file's rows are not together): read again, holding every operation */
enum { ROWS_OK = 0, ROWS_FAILED = -1, ROWS_FALLBACK = 1, ROWS_SCATTERED = 2 };

/*
 * Read every row from R into T.  Loud: report each bad row (and go on
 * checking, storing nothing more) and return ROWS_FAILED.  Quiet (on a
 * worker thread): report nothing, stop at the first problem and return
 * ROWS_FALLBACK, so that the caller reads the file again in order, with
 * line numbers.
 */
static int read_rows(struct csvread *r, struct stats_table *t,
		     const struct layout *lo, const char *path, int quiet)
{
	size_t nk = lo->nkeys;
	const char **vals = calloc(nk + 1, sizeof *vals);
	size_t *lens = calloc(nk + 1, sizeof *lens);
	size_t *prevlens = calloc(nk + 1, sizeof *prevlens);
	char **prev = calloc(nk + 1, sizeof *prev);
	int rc, failed = 0, have_prev = 0, out = ROWS_OK;

	if (!vals || !lens || !prevlens || !prev)
		goto nomem;
	{
		const long ints[] = { lo->c_rep,   lo->c_start, lo->c_end,
				      lo->c_dur,   lo->c_bytes, lo->c_res };
		uint64_t mask = 0;

		for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
			if (ints[i] >= 0 && ints[i] < 64)
				mask |= UINT64_C(1) << ints[i];
		csvread_int_columns(r, mask);
	}
	uint32_t file = 0;
	const char *fname = "";
	size_t fnamelen = 0;
	int have_file = 0;

	while ((rc = csvread_next(r)) != CSVREAD_EOF) {
		int64_t rep, start, end, bytes = -1, res = 1;
		int same = have_prev, bad = 0, fail = 0;

		if (rc == CSVREAD_ERROR || r->nf != lo->ncols) {
			if (quiet) {
				out = ROWS_FALLBACK;
				goto done;
			}
			if (rc == CSVREAD_ERROR)
				diag_at(DIAG_ERROR, path, r->err_line,
					r->err_col, "%s", r->error);
			else
				diag_at(DIAG_ERROR, path, r->rec_line, 0,
					"%zu fields (expected %zu, as in the "
					"header row)",
					r->nf, lo->ncols);
			failed = 1;
			if (rc == CSVREAD_ERROR && !r->raw)
				break;
			continue;
		}
		bad |= field_i64(path, r, lo->c_rep, 0,
				 "a repetition number from 0 to 2^53 - 1",
				 &rep, quiet);
		if (r->f[lo->c_start].len == 0 && r->f[lo->c_end].len == 0 &&
		    lo->c_dur >= 0 && r->f[lo->c_dur].len > 0) {
			/* no start stamp: a duration alone */
			start = 0;
			bad |= field_i64(path, r, lo->c_dur, 0,
					 "duration_us, microseconds from 0 to "
					 "2^53 - 1 (start_us and end_us are "
					 "empty)",
					 &end, quiet);
			res = STATS_NO_STAMP;
		} else {
			bad |= field_i64(path, r, lo->c_start, 0,
					 "start_us, epoch microseconds from 0 "
					 "to 2^53 - 1; or start_us and end_us "
					 "both empty, for a duration alone",
					 &start, quiet);
			bad |= field_i64(path, r, lo->c_end, 0,
					 "end_us, epoch microseconds from 0 to "
					 "2^53 - 1",
					 &end, quiet);
		}
		if (lo->c_bytes >= 0 && r->f[lo->c_bytes].len > 0)
			bad |= field_i64(path, r, lo->c_bytes, 0,
					 "a byte count from 0 to 2^53 - 1", &bytes,
					 quiet);
		if (res != STATS_NO_STAMP && lo->c_res >= 0 &&
		    r->f[lo->c_res].len > 0) {
			bad |= field_i64(path, r, lo->c_res, 0,
					 "start_res_us, microseconds >= 1",
					 &res, quiet);
			if (res < 1)
				res = 1;
		}
		if (!bad && end < start) {
			if (!quiet)
				diag_at(DIAG_ERROR, path, r->f[lo->c_end].line,
					r->f[lo->c_end].col,
					"end before start (expected end_us "
					">= start_us)");
			bad = 1;
		}
		if (bad) {
			if (quiet) {
				out = ROWS_FALLBACK;
				goto done;
			}
			failed = 1;
			continue;
		}
		if (lo->c_status >= 0) {
			const struct csvfield *f = &r->f[lo->c_status];

			fail = !status_ok(lo->rule, f->s, f->len);
		}
		if (lo->c_source >= 0) {
			/* the repetition's file: source is "path:line" */
			const struct csvfield *f = &r->f[lo->c_source];
			size_t n = f->len;

			while (n > 0 && f->s[n - 1] >= '0' && f->s[n - 1] <= '9')
				n--;
			if (n > 0 && f->s[n - 1] == ':')
				n--;
			else
				n = f->len;
			if (!have_file || n != fnamelen ||
			    memcmp(f->s, fname, n) != 0) {
				file = stats_table_file(t, f->s, n);
				if (file == UINT32_MAX)
					goto nomem;
				fname = t->files[file];
				fnamelen = n;
				have_file = 1;
			}
		} else if (!have_file) {
			file = stats_table_file(t, "", 0);
			if (file == UINT32_MAX)
				goto nomem;
			have_file = 1;
		}
		for (size_t k = 0; k < nk; k++) {
			const struct csvfield *f = &r->f[lo->lcol[k]];

			vals[k] = f->s;
			lens[k] = f->len;
			if (same && (f->len != prevlens[k] ||
				     memcmp(f->s, prev[k], f->len) != 0))
				same = 0;
		}
		if (!same) {
			for (size_t k = 0; k < nk; k++) {
				free(prev[k]);
				prev[k] = strndup(vals[k], lens[k]);
				prevlens[k] = lens[k];
				if (!prev[k])
					goto nomem;
			}
			have_prev = 1;
		}
		if (failed)
			continue; /* keep checking, stop storing */
		rc = table_add(t, vals, lens, same, file, rep, start, end,
			       bytes, res, fail);
		if (rc == TABLE_SCATTERED) {
			out = ROWS_SCATTERED;
			goto done;
		}
		if (rc != 0)
			goto nomem;
	}
	out = failed ? ROWS_FAILED : ROWS_OK;
	goto done;
nomem:
	if (quiet)
		out = ROWS_FALLBACK;
	else {
		diag(DIAG_ERROR, "out of memory");
		out = ROWS_FAILED;
	}
done:
	for (size_t k = 0; prev && k < nk; k++)
		free(prev[k]);
	free(prev);
	free(prevlens);
	free(vals);
	free(lens);
	return out;
}

/* ---- reading in two halves ---- */

struct half {
	const char *path;
	uint64_t from, to;
	const struct layout *lo;
	struct stats_table *t;
	int status;
};

static void *read_half(void *arg)
{
	struct half *h = arg;
	struct csvread r;

	if (csvread_open_range(&r, h->path, ',', 0, h->from, h->to) != 0) {
		h->status = ROWS_FALLBACK;
		return NULL;
	}
	h->status = read_rows(&r, h->t, h->lo, h->path, 1);
	csvread_close(&r);
	return NULL;
}

/* Move B's groups, repetitions and operations into A (whose operations
 * area B's lies in, just above A's). */
static int merge(struct stats_table *a, struct stats_table *b)
{
	uint32_t *gmap = malloc((b->ngroups + 1) * sizeof *gmap);
	uint32_t *rmap = malloc((b->nreps + 1) * sizeof *rmap);
	const char *vals[256];
	size_t lens[256];
	int rc = -1;

	if (!gmap || !rmap || a->nkeys > 256)
		goto out;
	for (size_t g = 0; g < b->ngroups; g++) {
		long ga;

		for (size_t k = 0; k < b->nkeys; k++) {
			vals[k] = b->groups[g].values[k];
			lens[k] = strlen(vals[k]);
		}
		ga = table_find_group(a, vals, lens);
		if (ga < 0)
			goto out;
		gmap[g] = (uint32_t)ga;
	}
	for (size_t r = 0; r < b->nreps; r++) {
		const struct rep *rb = &b->reps[r];
		const char *fn = b->files[rb->file];
		uint32_t fa = stats_table_file(a, fn, strlen(fn));
		long ra = fa == UINT32_MAX ? -1
					   : table_find_rep(a, gmap[rb->group], fa,
							    rb->number);
		struct rep *x;

		if (ra < 0)
			goto out;
		rmap[r] = (uint32_t)ra;
		x = &a->reps[ra];
		if (x->fig || (rb->fig && x->ops)) {
			rc = ROWS_SCATTERED; /* closed in one half */
			goto out;
		}
		x->fig = rb->fig;
		b->reps[r].fig = NULL;
		x->ops += rb->ops;
		x->failed += rb->failed;
		if (rb->min_start < x->min_start)
			x->min_start = rb->min_start;
		if (rb->max_end > x->max_end)
			x->max_end = rb->max_end;
		if (rb->res < x->res)
			x->res = rb->res;
		x->bytes += rb->bytes;
		x->bytes_unknown |= rb->bytes_unknown;
	}
	for (size_t g = 0; g < b->ngroups; g++)
		if (gacc_merge(a, a->groups[gmap[g]].acc, b->groups[g].acc) != 0)
			goto out;
	/* B's operations follow A's; they only move down.  Pages of B's
	 * that the copy has passed, and that A's end has not reached, are
	 * given back as it goes, so the two copies are never resident at
	 * once. */
	{
		size_t chunk = (size_t)1 << 20;

		for (size_t i = 0; i < b->nops; i += chunk) {
			size_t n = b->nops - i < chunk ? b->nops - i : chunk;
			struct op *copied = a->ops + a->nops + i + n;

			for (size_t k = i; k < i + n; k++) {
				struct op o = b->ops[k];

				o.rep = rmap[o.rep];
				a->ops[a->nops + k] = o;
			}
			table_give_back(copied > b->ops + i ? copied : b->ops + i,
					b->ops + i + n);
		}
	}
	a->nops += b->nops;
	a->nops_total += b->nops_total;
	a->capops = a->ops_maplen / sizeof *a->ops;
	table_give_back(a->ops + a->nops, (char *)a->ops_map + a->ops_maplen);
	b->ops = NULL;
	rc = 0;
out:
	free(gmap);
	free(rmap);
	return rc;
}

/*
 * Read [FROM, size) with two threads into a fresh table; NULL when that
 * cannot be done (a bad row, a quoted field across the split, no memory):
 * the caller then reads in order.
 */
static struct stats_table *read_parallel(const char *path, uint64_t from,
					 const struct layout *lo,
					 const struct stats_options *o)
{
	struct stat st;
	struct half h[2];
	struct stats_table *t[2] = { NULL, NULL };
	uint64_t mid, rows[2];
	size_t total;
	void *map;
	pthread_t th;
	int fd;
	char buf[1 << 16];
	ssize_t n;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < from + ((uint64_t)1 << 20) ||
	    sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return NULL;
	/* split after the first newline past the middle */
	mid = from + ((uint64_t)st.st_size - from) / 2;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	n = pread(fd, buf, sizeof buf, (off_t)mid);
	close(fd);
	{
		const char *nl = n > 0 ? memchr(buf, '\n', (size_t)n) : NULL;

		if (!nl)
			return NULL;
		mid += (uint64_t)(nl - buf) + 1;
	}
	/* every row has at least one byte per column: a bound on the rows of
	 * each half, and so on the operations area, reserved but touched only
	 * as it fills */
	rows[0] = (mid - from) / lo->ncols + 1;
	rows[1] = ((uint64_t)st.st_size - mid) / lo->ncols + 1;
	total = (size_t)(rows[0] + rows[1]) * sizeof(struct op);
	map = mmap(NULL, total, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED)
		return NULL;
	for (int i = 0; i < 2; i++) {
		t[i] = stats_table_new(lo->nkeys, (const char *const *)lo->keys, o);
		if (!t[i])
			goto fail;
		t[i]->keep_first = i == 1;
		h[i] = (struct half){ path, i ? mid : from,
				      i ? (uint64_t)st.st_size : mid, lo, t[i],
				      ROWS_FALLBACK };
	}
	t[0]->ops = map;
	t[0]->capops = (size_t)rows[0];
	t[0]->ops_map = map;
	t[0]->ops_maplen = total;
	t[1]->ops = (struct op *)map + rows[0];
	t[1]->capops = (size_t)rows[1];
	t[1]->ops_map = map; /* marks the area as fixed; t[0] owns it */
	t[1]->ops_maplen = 0;
	if (pthread_create(&th, NULL, read_half, &h[1]) != 0)
		goto fail;
	read_half(&h[0]);
	pthread_join(th, NULL);
	if (h[0].status != ROWS_OK || h[1].status != ROWS_OK ||
	    merge(t[0], t[1]) != 0)
		goto fail;
	t[1]->ops_map = NULL;
	stats_table_free(t[1]);
	return t[0];
fail:
	if (t[1]) {
		t[1]->ops = NULL;
		t[1]->ops_map = NULL;
		stats_table_free(t[1]);
	}
	if (t[0])
		stats_table_free(t[0]); /* unmaps the area */
	else
		munmap(map, total);
	return NULL;
}

static struct stats_table *read_table(const char *path,
				      const struct stats_options *o,
				      int *scattered)
{
	int keep_bytes = o->steady, threads = o->threads;
	const char *ok_status = o->ok_status;
	struct status_rule rule;
	struct csvread r;
	struct stats_table *t = NULL;
	struct layout lo;
	int rc;

	memset(&lo, 0, sizeof lo);
	/* ingest wrote "ok" for every success; another tool's statuses are
	 * judged by --ok-status */
	status_rule_only_ok(&rule);
	if (ok_status) {
		const char *why;

		if (status_rule_parse(&rule, ok_status, &why) != 0) {
			diag(DIAG_USAGE, "--ok-status '%s': %s", ok_status, why);
			return NULL;
		}
	}
	lo.rule = &rule;
	if (csvread_open(&r, path, ',', 0, 1) != 0) {
		diag_at(DIAG_ERROR, path, 0, 0, "%s: %s", r.error,
			strerror(r.L.err_errno));
		return NULL;
	}
	rc = csvread_next(&r);
	if (rc != CSVREAD_ROW) {
		if (rc == CSVREAD_ERROR)
			diag_at(DIAG_ERROR, path, r.err_line, r.err_col, "%s",
				r.error);
		else
			diag_at(DIAG_ERROR, path, 0, 0,
				"empty file (expected samples.csv with a "
				"header row)");
		csvread_close(&r);
		status_rule_release(&rule);
		return NULL;
	}
	lo.ncols = r.nf;
	lo.c_rep = csvread_column(&r, "rep");
	lo.c_start = csvread_column(&r, "start_us");
	lo.c_end = csvread_column(&r, "end_us");
	lo.c_dur = csvread_column(&r, "duration_us");
	lo.c_bytes = csvread_column(&r, "bytes");
	lo.c_status = csvread_column(&r, "status");
	lo.c_source = csvread_column(&r, "source");
	lo.c_res = csvread_column(&r, "start_res_us");
	if (lo.c_rep < 0 || lo.c_start < 0 || lo.c_end < 0 ||
	    csvread_column(&r, "workload") < 0 || csvread_column(&r, "direction") < 0) {
		diag_at(DIAG_ERROR, path, 1, 0,
			"not a samples file: expected the columns workload, "
			"direction, rep, start_us and end_us (as "
			"'vmnetrank ingest' writes them)");
		csvread_close(&r);
		return NULL;
	}
	lo.lcol = calloc(lo.ncols, sizeof *lo.lcol);
	lo.keys = calloc(lo.ncols + 1, sizeof *lo.keys);
	if (!lo.lcol || !lo.keys)
		goto nomem;
	for (size_t i = 0; i < lo.ncols; i++)
		if (!table_name_in(known_cols, r.f[i].s, r.f[i].len)) {
			lo.lcol[lo.nkeys] = (long)i;
			lo.keys[lo.nkeys] = strndup(r.f[i].s, r.f[i].len);
			if (!lo.keys[lo.nkeys++])
				goto nomem;
		}
	/* two threads when they can; any doubt, and it is read in order */
	if (threads > 1 && !keep_bytes && r.L.map && !r.L.unread) {
		t = read_parallel(path, lines_offset(&r.L), &lo, o);
		if (t)
			goto out;
	}
	t = stats_table_new(lo.nkeys, (const char *const *)lo.keys, o);
	if (!t)
		goto out;
	rc = read_rows(&r, t, &lo, path, 0);
	if (rc == ROWS_SCATTERED)
		*scattered = 1;
	if (rc != ROWS_OK)
		goto fail;
	goto out;
nomem:
	diag(DIAG_ERROR, "out of memory");
fail:
	stats_table_free(t);
	t = NULL;
out:
	if (t && t->nops_total == 0) {
		diag_at(DIAG_ERROR, path, 0, 0,
			"no operations (expected rows after the header)");
		stats_table_free(t);
		t = NULL;
	}
	layout_release(&lo);
	csvread_close(&r);
	status_rule_release(&rule);
	return t;
}

struct stats_table *stats_table_read(const char *path,
				     const struct stats_options *o)
{
	struct stats_options all = *o;
	int scattered = 0;
	struct stats_table *t = read_table(path, o, &scattered);

	if (t || !scattered)
		return t;
	/* a repetition's rows apart: each of its figures needs all of
	 * them, so hold every operation (memory as large as the file) */
	diag_at(DIAG_NOTE, path, 0, 0,
		"a repetition's rows are not together (rows of other files "
		"between them): read again with every operation held in "
		"memory (sorted by source, the file is read in bounded "
		"memory)");
	all.hold_ops = 0;
	return read_table(path, &all, &scattered);
}
