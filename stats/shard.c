/*
 * Shards: what stats keeps of a set of logs once their repetitions are
 * closed -- each repetition's figures (of all its operations and of its
 * steady state), each group's successful durations or their histogram --
 * in one CSV file, so that logs read where they lie are merged anywhere
 * into the figures of one run over them all (README, "Shards").
 *
 * Records (one per row, the first field says which; doubles as csvout
 * writes them, which strtod reads back to the same double; NaN empty):
 *   vmnetrank-shard,1,EXACT_OPS,KEY...
 *   file,NAME                        (numbered from 0 in order)
 *   group,LABEL...                   (numbered from 0 in order)
 *   durations,GROUP,PASS,D...        (up to 1024 a row)
 *   histogram,GROUP,PASS,N,SUM,MIN,MAX, then buckets,B,C,B,C,...
 *   rep,GROUP,FILE,NUMBER,MIN_START,MAX_END,BYTES,RES,OPS,FAILED,BYTES_UNKNOWN
 *   fig,PASS,OPS,OK,WARMUP,FAILED,STEADY,RES,START,BYTES,BYTES_KNOWN,
 *       WALL_UNKNOWN,V (one per metric),WITHIN_VAR,MEAN,LAG_NUM,LAG_DEN
 *                                    (two after each rep: pass 0, 1)
 *   end,REPS
 */
#include "stats_int.h"
#include "../lib/csvout.h"
#include "../lib/csvread.h"
#include "../lib/diag.h"
#include "../lib/num.h"
#include "../lib/outfile.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "vmnetrank-shard"
#define VERSION 1
#define PER_ROW 1024

/* ---- writing ---- */

static void dbl(struct csvout *w, double v)
{
	if (isinf(v))
		csvout_cstr(w, v > 0 ? "inf" : "-inf");
	else
		csvout_double(w, v); /* NaN: empty */
}

static void acc_rows(struct csvout *w, const struct gacc *a, size_t g, int p)
{
	if (!a->approx) {
		for (size_t i = 0; i < a->n; i += PER_ROW) {
			csvout_cstr(w, "durations");
			csvout_i64(w, (int64_t)g);
			csvout_i64(w, p);
			for (size_t k = i; k < a->n && k < i + PER_ROW; k++)
				csvout_i64(w, (int64_t)a->dur[k]);
			csvout_endrow(w);
		}
		return;
	}
	{
		char sum[64];
		size_t pairs = 0;

		snprintf(sum, sizeof sum, "%.21Lg", a->hist.sum);
		csvout_cstr(w, "histogram");
		csvout_i64(w, (int64_t)g);
		csvout_i64(w, p);
		csvout_i64(w, (int64_t)a->hist.n);
		csvout_cstr(w, sum);
		csvout_i64(w, a->hist.n ? (int64_t)a->hist.min : 0);
		csvout_i64(w, a->hist.n ? (int64_t)a->hist.max : 0);
		csvout_endrow(w);
		for (size_t b = 0; a->hist.count && b < LOGHIST_BUCKETS; b++) {
			if (!a->hist.count[b])
				continue;
			if (pairs % (PER_ROW / 2) == 0) {
				if (pairs)
					csvout_endrow(w);
				csvout_cstr(w, "buckets");
			}
			csvout_i64(w, (int64_t)b);
			csvout_i64(w, (int64_t)a->hist.count[b]);
			pairs++;
		}
		if (pairs)
			csvout_endrow(w);
	}
}

static void fig_row(struct csvout *w, int p, const struct repfig *f)
{
	csvout_cstr(w, "fig");
	csvout_i64(w, p);
	csvout_i64(w, (int64_t)f->ops);
	csvout_i64(w, (int64_t)f->ok);
	csvout_i64(w, (int64_t)f->warmup);
	csvout_i64(w, (int64_t)f->failed);
	csvout_i64(w, f->steady);
	csvout_i64(w, f->res);
	csvout_i64(w, f->start);
	csvout_i64(w, f->bytes);
	csvout_i64(w, f->bytes_known);
	csvout_i64(w, f->wall_unknown);
	for (int m = 0; m < M_COUNT; m++)
		dbl(w, f->v[m]);
	dbl(w, f->within_var);
	dbl(w, f->mean);
	dbl(w, f->lag_num);
	dbl(w, f->lag_den);
	csvout_endrow(w);
}

int stats_shard_write(struct stats_table *t, const char *path)
{
	struct outfile of;
	struct csvout w;
	int rc;

	if (!t->steady) {
		diag(DIAG_ERROR, "internal: a shard's table computes both passes");
		return -1;
	}
	if (table_close_held(t, UINT32_MAX) != 0) {
		diag(DIAG_ERROR, "out of memory");
		return -1;
	}
	if (outfile_open(&of, path) != 0)
		return -1;
	csvout_init(&w, of.fp);
	csvout_cstr(&w, MAGIC);
	csvout_i64(&w, VERSION);
	csvout_i64(&w, (int64_t)t->exact_ops);
	for (size_t k = 0; k < t->nkeys; k++)
		csvout_cstr(&w, t->keys[k]);
	csvout_endrow(&w);
	for (size_t i = 0; i < t->nfiles; i++) {
		csvout_cstr(&w, "file");
		csvout_cstr(&w, t->files[i]);
		csvout_endrow(&w);
	}
	for (size_t g = 0; g < t->ngroups; g++) {
		csvout_cstr(&w, "group");
		for (size_t k = 0; k < t->nkeys; k++)
			csvout_cstr(&w, t->groups[g].values[k]);
		csvout_endrow(&w);
		for (int p = 0; p < 2; p++)
			acc_rows(&w, &t->groups[g].acc[p], g, p);
	}
	for (size_t i = 0; i < t->nreps; i++) {
		const struct rep *r = &t->reps[i];

		csvout_cstr(&w, "rep");
		csvout_i64(&w, r->group);
		csvout_i64(&w, r->file);
		csvout_i64(&w, r->number);
		csvout_i64(&w, r->min_start);
		csvout_i64(&w, r->max_end);
		csvout_i64(&w, r->bytes);
		csvout_i64(&w, r->res);
		csvout_i64(&w, r->ops);
		csvout_i64(&w, r->failed);
		csvout_i64(&w, r->bytes_unknown);
		csvout_endrow(&w);
		for (int p = 0; p < 2; p++)
			fig_row(&w, p, &r->fig[p]);
	}
	csvout_cstr(&w, "end");
	csvout_i64(&w, (int64_t)t->nreps);
	csvout_endrow(&w);
	rc = csvout_flush(&w);
	csvout_release(&w);
	if (rc != 0) {
		outfile_report_error(&of);
		outfile_abort(&of);
		return -1;
	}
	return outfile_commit(&of);
}

/* ---- reading ---- */

int stats_is_shard(const char *path)
{
	char head[sizeof MAGIC + 1];
	FILE *fp = fopen(path, "r");
	size_t n;

	if (!fp)
		return 0;
	n = fread(head, 1, sizeof head - 1, fp);
	fclose(fp);
	return n == sizeof MAGIC && memcmp(head, MAGIC ",", sizeof MAGIC) == 0;
}

struct rd {
	const char *path;
	struct csvread r;
	size_t field; /* the next field to read */
	int bad;
};

static void bad_field(struct rd *d, size_t i, const char *what)
{
	if (d->bad)
		return;
	d->bad = 1;
	if (i < d->r.nf)
		diag_at(DIAG_ERROR, d->path, d->r.f[i].line, d->r.f[i].col,
			"'%.*s': expected %s", (int)(d->r.f[i].len > 40 ? 40 : d->r.f[i].len),
			d->r.f[i].s, what);
	else
		diag_at(DIAG_ERROR, d->path, d->r.rec_line, 0,
			"a %.*s row of %zu fields: expected %s in field %zu",
			(int)d->r.f[0].len, d->r.f[0].s, d->r.nf, what, i + 1);
}

static int64_t i64(struct rd *d, int64_t lo, int64_t hi, const char *what)
{
	size_t i = d->field++, bad;
	int64_t v;

	if (i >= d->r.nf || num_i64(d->r.f[i].s, d->r.f[i].len, &v, &bad) != NUM_OK ||
	    v < lo || v > hi) {
		bad_field(d, i, what);
		return lo;
	}
	return v;
}

static double real(struct rd *d)
{
	size_t i = d->field++;
	char buf[64], *end;
	double v;

	if (i >= d->r.nf || d->r.f[i].len >= sizeof buf) {
		bad_field(d, i, "a number (empty: none)");
		return NAN;
	}
	if (d->r.f[i].len == 0)
		return NAN;
	memcpy(buf, d->r.f[i].s, d->r.f[i].len);
	buf[d->r.f[i].len] = '\0';
	v = strtod(buf, &end);
	if (*end || isnan(v)) {
		bad_field(d, i, "a number (empty: none)");
		return NAN;
	}
	return v;
}

static int is(const struct rd *d, const char *kind)
{
	return d->r.f[0].len == strlen(kind) &&
	       memcmp(d->r.f[0].s, kind, d->r.f[0].len) == 0;
}

/* The end of a row: no field left over. */
static void row_end(struct rd *d)
{
	if (!d->bad && d->field != d->r.nf)
		bad_field(d, d->field, "the end of the row");
}

struct shard_state {
	uint32_t *files, *groups; /* shard's number -> the table's */
	size_t nfiles, ngroups, capf, capg;
	struct loghist hist;      /* the histogram being read */
	uint32_t hist_group;
	int hist_pass, in_hist;
	struct rep *rep;          /* the repetition whose figs come next */
	int figs;
	size_t nreps;
	int ended;
};

static int push(uint32_t **v, size_t *n, size_t *cap, uint32_t x)
{
	if (table_grow((void **)v, cap, *n + 1, sizeof **v) != 0)
		return -1;
	(*v)[(*n)++] = x;
	return 0;
}

/* The histogram just read goes to its group. */
static int hist_done(struct stats_table *t, struct rd *d, struct shard_state *s)
{
	uint64_t n = 0;
	int rc;

	if (!s->in_hist)
		return 0;
	s->in_hist = 0;
	for (size_t b = 0; s->hist.count && b < LOGHIST_BUCKETS; b++)
		n += s->hist.count[b];
	if (n != s->hist.n) {
		diag_at(DIAG_ERROR, d->path, d->r.rec_line, 0,
			"the buckets before this row count %" PRIu64
			" values, their histogram row says %" PRIu64,
			n, s->hist.n);
		return -1;
	}
	rc = gacc_take_hist(&t->groups[s->hist_group].acc[s->hist_pass], &s->hist);
	loghist_release(&s->hist);
	return rc;
}

static int read_one(struct stats_table **tp, const char *path,
		    const struct stats_options *o)
{
	struct rd d;
	struct shard_state s;
	struct stats_table *t = *tp;
	int rc, fail = 0;

	memset(&d, 0, sizeof d);
	memset(&s, 0, sizeof s);
	loghist_init(&s.hist);
	d.path = path;
	if (csvread_open(&d.r, path, ',', 0, 1) != 0) {
		diag_at(DIAG_ERROR, path, 0, 0, "%s: %s", d.r.error,
			strerror(d.r.L.err_errno));
		return -1;
	}
	while (!fail && (rc = csvread_next(&d.r)) != CSVREAD_EOF) {
		d.field = 1;
		if (rc == CSVREAD_ERROR) {
			diag_at(DIAG_ERROR, path, d.r.err_line, d.r.err_col,
				"%s", d.r.error);
			fail = 1;
			break;
		}
		if (rc != CSVREAD_ROW)
			continue;
		if (s.ended) {
			diag_at(DIAG_ERROR, path, d.r.rec_line, 0,
				"a row after the end row");
			fail = 1;
			break;
		}
		if (d.r.rec_line == 1) {
			int64_t ver, ex;

			if (!is(&d, MAGIC)) {
				diag_at(DIAG_ERROR, path, 1, 1, "not a shard "
					"(expected a first row '" MAGIC ",1,...', as "
					"'vmnetrank ingest --partial' writes)");
				fail = 1;
				break;
			}
			ver = i64(&d, 1, 1000, "the shard format's version");
			if (!d.bad && ver != VERSION) {
				diag_at(DIAG_ERROR, path, 1, 0, "shard format "
					"version %" PRId64 " (this vmnetrank reads "
					"version %d)", ver, VERSION);
				fail = 1;
				break;
			}
			ex = i64(&d, 0, INT64_MAX, "its --exact-ops");
			if (!d.bad && (uint64_t)ex != o->exact_ops) {
				diag_at(DIAG_ERROR, path, 1, 0, "the shard was "
					"made with --exact-ops %" PRId64 ", stats "
					"has %" PRIu64 ": give stats the same",
					ex, o->exact_ops);
				fail = 1;
				break;
			}
			if (d.bad) {
				fail = 1;
				break;
			}
			if (!t) {
				const char **keys = calloc(d.r.nf + 1, sizeof *keys);
				char **own = calloc(d.r.nf + 1, sizeof *own);

				for (size_t k = 3; keys && own && k < d.r.nf; k++)
					keys[k - 3] = own[k - 3] = strndup(d.r.f[k].s, d.r.f[k].len);
				t = keys && own ? stats_table_new(d.r.nf - 3, keys, o) : NULL;
				for (size_t k = 3; own && k < d.r.nf; k++)
					free(own[k - 3]);
				free(keys);
				free(own);
				if (!t) {
					fail = 1;
					break;
				}
				*tp = t;
			} else {
				int same = d.r.nf - 3 == t->nkeys;

				for (size_t k = 0; same && k < t->nkeys; k++)
					same = d.r.f[k + 3].len == strlen(t->keys[k]) &&
					       memcmp(d.r.f[k + 3].s, t->keys[k], d.r.f[k + 3].len) == 0;
				if (!same) {
					diag_at(DIAG_ERROR, path, 1, 0, "the shard's "
						"labels are not those of the first "
						"shard (%zu: %s, ...): shards merge "
						"only with the same label names in "
						"the same order",
						t->nkeys, t->nkeys ? t->keys[0] : "");
					fail = 1;
					break;
				}
			}
			continue;
		}
		if (!t) {
			fail = 1;
			break;
		}
		if (s.in_hist && !is(&d, "buckets") && hist_done(t, &d, &s) != 0) {
			fail = 1;
			break;
		}
		if (s.rep && s.figs < 2 && !is(&d, "fig")) {
			diag_at(DIAG_ERROR, path, d.r.rec_line, 1,
				"expected the repetition's fig row %d", s.figs);
			fail = 1;
			break;
		}
		if (is(&d, "file")) {
			uint32_t f;

			if (d.r.nf != 2) {
				bad_field(&d, 2, "a file row of one name");
				fail = 1;
				break;
			}
			f = stats_table_file(t, d.r.f[1].s, d.r.f[1].len);
			if (f == UINT32_MAX || push(&s.files, &s.nfiles, &s.capf, f) != 0)
				goto nomem;
		} else if (is(&d, "group")) {
			const char *vals[256];
			size_t lens[256];
			long g;

			if (d.r.nf != t->nkeys + 1 || t->nkeys > 256) {
				bad_field(&d, d.r.nf, "one label value per key of the first row");
				fail = 1;
				break;
			}
			for (size_t k = 0; k < t->nkeys; k++) {
				vals[k] = d.r.f[k + 1].s;
				lens[k] = d.r.f[k + 1].len;
			}
			g = table_find_group(t, vals, lens);
			if (g < 0 || push(&s.groups, &s.ngroups, &s.capg, (uint32_t)g) != 0)
				goto nomem;
		} else if (is(&d, "durations") || is(&d, "histogram")) {
			int64_t g = i64(&d, 0, (int64_t)s.ngroups - 1, "a group number (of a group row before)");
			int p = (int)i64(&d, 0, 1, "a pass: 0 (all) or 1 (steady)");
			struct gacc *a = d.bad ? NULL : &t->groups[s.groups[g]].acc[p];

			if (a && is(&d, "durations")) {
				while (!d.bad && d.field < d.r.nf) {
					int64_t v = i64(&d, 0, INT64_MAX, "a duration in microseconds");

					if (!d.bad && gacc_add_value(a, (uint64_t)v) != 0)
						goto nomem;
				}
			} else if (a) {
				s.hist.n = (uint64_t)i64(&d, 0, INT64_MAX, "the count of values");
				{
					size_t i = d.field++;
					char buf[64], *end;

					if (i < d.r.nf && d.r.f[i].len < sizeof buf) {
						memcpy(buf, d.r.f[i].s, d.r.f[i].len);
						buf[d.r.f[i].len] = '\0';
						s.hist.sum = strtold(buf, &end);
						if (*end || !d.r.f[i].len)
							bad_field(&d, i, "the sum of the values");
					} else {
						bad_field(&d, i, "the sum of the values");
					}
				}
				s.hist.min = (uint64_t)i64(&d, 0, INT64_MAX, "the smallest value");
				s.hist.max = (uint64_t)i64(&d, 0, INT64_MAX, "the largest value");
				if (s.hist.n == 0) {
					s.hist.min = UINT64_MAX;
					s.hist.max = 0;
				}
				s.hist_group = s.groups[g];
				s.hist_pass = p;
				s.in_hist = 1;
				row_end(&d);
			}
		} else if (is(&d, "buckets")) {
			if (!s.in_hist) {
				diag_at(DIAG_ERROR, path, d.r.rec_line, 1,
					"a buckets row without its histogram row before");
				fail = 1;
				break;
			}
			if (!s.hist.count &&
			    !(s.hist.count = calloc(LOGHIST_BUCKETS, sizeof *s.hist.count)))
				goto nomem;
			while (!d.bad && d.field < d.r.nf) {
				int64_t b = i64(&d, 0, (int64_t)LOGHIST_BUCKETS - 1, "a bucket number");
				int64_t c = i64(&d, 1, INT64_MAX, "a bucket's count");

				if (!d.bad)
					s.hist.count[b] += (uint64_t)c;
			}
		} else if (is(&d, "rep")) {
			int64_t g = i64(&d, 0, (int64_t)s.ngroups - 1, "a group number (of a group row before)");
			int64_t f = i64(&d, 0, (int64_t)s.nfiles - 1, "a file number (of a file row before)");
			int64_t num = i64(&d, 0, INT64_MAX, "a repetition number");
			long ri;
			struct rep *r;

			if (d.bad) {
				fail = 1;
				break;
			}
			ri = table_find_rep(t, s.groups[g], s.files[f], num);
			if (ri < 0)
				goto nomem;
			r = &t->reps[ri];
			if (r->fig || r->ops) {
				diag_at(DIAG_ERROR, path, d.r.rec_line, 0,
					"repetition %" PRId64 " of %s is in an "
					"earlier shard too: the same log read "
					"twice, or two machines' logs under one "
					"path (give each machine's logs a path "
					"of its own: host1/logs, ...)",
					num, t->files[s.files[f]]);
				fail = 1;
				break;
			}
			r->min_start = i64(&d, INT64_MIN, INT64_MAX, "its first start");
			r->max_end = i64(&d, INT64_MIN, INT64_MAX, "its last end");
			r->bytes = i64(&d, 0, INT64_MAX, "its bytes");
			r->res = i64(&d, 1, INT64_MAX, "its start resolution");
			r->ops = (uint32_t)i64(&d, 1, UINT32_MAX - 1, "its operations");
			r->failed = (uint32_t)i64(&d, 0, r->ops, "its failed operations");
			r->bytes_unknown = (int)i64(&d, 0, 1, "0 or 1");
			row_end(&d);
			if (!(r->fig = calloc(2, sizeof *r->fig)))
				goto nomem;
			t->nops_total += r->ops;
			s.rep = r;
			s.figs = 0;
			s.nreps++;
		} else if (is(&d, "fig")) {
			struct repfig *x;

			if (!s.rep || s.figs >= 2) {
				diag_at(DIAG_ERROR, path, d.r.rec_line, 1,
					"a fig row without its rep row before");
				fail = 1;
				break;
			}
			if (i64(&d, 0, 1, "a pass: 0 (all) or 1 (steady)") != s.figs)
				bad_field(&d, 1, "the pass of this repetition's next fig row");
			x = &s.rep->fig[s.figs++];
			x->number = s.rep->number;
			x->file = s.rep->file;
			x->ops = (size_t)i64(&d, 0, s.rep->ops, "its operations");
			x->ok = (size_t)i64(&d, 0, (int64_t)x->ops, "its successful operations");
			x->warmup = (size_t)i64(&d, 0, INT64_MAX, "its warm-up operations");
			x->failed = (size_t)i64(&d, 0, (int64_t)x->ops, "its failed operations");
			x->steady = (int)i64(&d, -1, 1, "-1, 0 or 1");
			x->res = i64(&d, 1, INT64_MAX, "its start resolution");
			x->start = i64(&d, INT64_MIN, INT64_MAX, "its first start");
			x->bytes = i64(&d, 0, INT64_MAX, "its bytes");
			x->bytes_known = (int)i64(&d, 0, 1, "0 or 1");
			x->wall_unknown = (int)i64(&d, 0, 1, "0 or 1");
			for (int m = 0; m < M_COUNT; m++)
				x->v[m] = real(&d);
			x->within_var = real(&d);
			x->mean = real(&d);
			x->lag_num = real(&d);
			x->lag_den = real(&d);
			row_end(&d);
			if (s.figs == 2)
				s.rep = NULL;
		} else if (is(&d, "end")) {
			int64_t n = i64(&d, 0, INT64_MAX, "the number of repetitions");

			row_end(&d);
			if (!d.bad && (size_t)n != s.nreps) {
				diag_at(DIAG_ERROR, path, d.r.rec_line, 0,
					"the end row says %" PRId64 " repetitions, "
					"the shard holds %zu", n, s.nreps);
				fail = 1;
			}
			s.ended = 1;
		} else {
			diag_at(DIAG_ERROR, path, d.r.rec_line, 1, "'%.*s': "
				"expected a row of file, group, durations, "
				"histogram, buckets, rep, fig or end",
				(int)(d.r.f[0].len > 40 ? 40 : d.r.f[0].len),
				d.r.f[0].s);
			fail = 1;
		}
		if (d.bad)
			fail = 1;
	}
	if (!fail && s.in_hist && hist_done(t, &d, &s) != 0)
		fail = 1;
	if (!fail && !s.ended) {
		diag_at(DIAG_ERROR, path, d.r.rec_line, 0, "%s", t
			? "the shard stops before its end row (cut short?)"
			: "empty (expected a shard)");
		fail = 1;
	}
	for (size_t g = 0; !fail && t && g < t->ngroups; g++)
		if (gacc_settle(t, t->groups[g].acc) != 0)
			goto nomem;
	goto out;
nomem:
	diag(DIAG_ERROR, "out of memory");
	fail = 1;
out:
	loghist_release(&s.hist);
	free(s.files);
	free(s.groups);
	csvread_close(&d.r);
	return fail ? -1 : 0;
}

struct stats_table *stats_shards_read(const char *const *paths, size_t n,
				      const struct stats_options *o)
{
	struct stats_table *t = NULL;

	for (size_t i = 0; i < n; i++)
		if (read_one(&t, paths[i], o) != 0) {
			stats_table_free(t);
			return NULL;
		}
	return t;
}
