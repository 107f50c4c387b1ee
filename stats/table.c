/* The table of operations: filled by stats_table_add(), from samples.csv
 * by stats_table_read(), or in memory by `vmnetrank run`. */
#include "stats_int.h"
#include "../lib/csvread.h"
#include "../lib/diag.h"
#include "../lib/num.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define EMPTY_SLOT UINT32_MAX

struct stats_table *stats_table_new(size_t nkeys, const char *const *keys,
				    int keep_bytes)
{
	struct stats_table *t = calloc(1, sizeof *t);

	if (!t)
		goto nomem;
	t->keys = calloc(nkeys + 1, sizeof *t->keys);
	if (!t->keys)
		goto nomem;
	t->nkeys = nkeys;
	t->keep_bytes = keep_bytes;
	for (size_t k = 0; k < nkeys; k++)
		if (!(t->keys[k] = strdup(keys[k])))
			goto nomem;
	return t;
nomem:
	diag(DIAG_ERROR, "out of memory");
	stats_table_free(t);
	return NULL;
}

void stats_table_free(struct stats_table *t)
{
	if (!t)
		return;
	for (size_t k = 0; t->keys && k < t->nkeys; k++)
		free(t->keys[k]);
	free(t->keys);
	for (size_t g = 0; g < t->ngroups; g++) {
		for (size_t k = 0; k < t->nkeys; k++)
			free(t->groups[g].values[k]);
		free(t->groups[g].values);
		free(t->groups[g].reps);
	}
	free(t->groups);
	free(t->reps);
	free(t->ops);
	free(t->bytes);
	free(t->ghash);
	free(t->rhash);
	free(t->keybuf);
	free(t);
}

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001B3ull;
	return h;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * size);
	if (!np)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

static int group_matches(const struct stats_table *t, const struct group *g,
			 const char *const *labels, const size_t *lens)
{
	for (size_t k = 0; k < t->nkeys; k++)
		if (strlen(g->values[k]) != lens[k] ||
		    memcmp(g->values[k], labels[k], lens[k]) != 0)
			return 0;
	return 1;
}

static uint64_t labels_hash(const struct stats_table *t,
			    const char *const *labels, const size_t *lens)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t k = 0; k < t->nkeys; k++) {
		h = fnv(labels[k], lens[k], h);
		h = fnv("\x1f", 1, h);
	}
	return h;
}

static int ghash_rebuild(struct stats_table *t, size_t cap)
{
	uint32_t *nh = malloc(cap * sizeof *nh);

	if (!nh)
		return -1;
	for (size_t i = 0; i < cap; i++)
		nh[i] = EMPTY_SLOT;
	for (size_t g = 0; g < t->ngroups; g++) {
		const struct group *gr = &t->groups[g];
		size_t lens[256];
		const char *vals[256];
		size_t i;

		for (size_t k = 0; k < t->nkeys && k < 256; k++) {
			vals[k] = gr->values[k];
			lens[k] = strlen(gr->values[k]);
		}
		i = labels_hash(t, vals, lens) & (cap - 1);
		while (nh[i] != EMPTY_SLOT)
			i = (i + 1) & (cap - 1);
		nh[i] = (uint32_t)g;
	}
	free(t->ghash);
	t->ghash = nh;
	t->ghcap = cap;
	return 0;
}

static long find_group(struct stats_table *t, const char *const *labels,
		       const size_t *lens)
{
	size_t i;
	struct group *g;

	if (t->nkeys > 256)
		return -1;
	if ((t->ngroups + 1) * 2 > t->ghcap &&
	    ghash_rebuild(t, t->ghcap ? t->ghcap * 2 : 64) != 0)
		return -1;
	i = labels_hash(t, labels, lens) & (t->ghcap - 1);
	while (t->ghash[i] != EMPTY_SLOT) {
		if (group_matches(t, &t->groups[t->ghash[i]], labels, lens))
			return t->ghash[i];
		i = (i + 1) & (t->ghcap - 1);
	}
	if (grow((void **)&t->groups, &t->capgroups, t->ngroups + 1,
		 sizeof *t->groups) != 0)
		return -1;
	g = &t->groups[t->ngroups];
	memset(g, 0, sizeof *g);
	g->values = calloc(t->nkeys, sizeof *g->values);
	if (!g->values)
		return -1;
	for (size_t k = 0; k < t->nkeys; k++)
		if (!(g->values[k] = strndup(labels[k], lens[k])))
			return -1;
	t->ghash[i] = (uint32_t)t->ngroups;
	return (long)t->ngroups++;
}

static size_t rep_slot(const struct stats_table *t, uint32_t g, int64_t n)
{
	uint64_t h = ((uint64_t)g * 0x9E3779B97F4A7C15ull) ^
		     ((uint64_t)n * 0xBF58476D1CE4E5B9ull);

	return (size_t)(h ^ (h >> 29)) & (t->rhcap - 1);
}

static int rhash_rebuild(struct stats_table *t, size_t cap)
{
	uint32_t *old = t->rhash;
	size_t oldcap = t->rhcap;

	t->rhash = malloc(cap * sizeof *t->rhash);
	if (!t->rhash) {
		t->rhash = old;
		return -1;
	}
	t->rhcap = cap;
	for (size_t i = 0; i < cap; i++)
		t->rhash[i] = EMPTY_SLOT;
	for (size_t r = 0; r < t->nreps; r++) {
		size_t i = rep_slot(t, t->reps[r].group, t->reps[r].number);

		while (t->rhash[i] != EMPTY_SLOT)
			i = (i + 1) & (cap - 1);
		t->rhash[i] = (uint32_t)r;
	}
	(void)oldcap;
	free(old);
	return 0;
}

static long find_rep(struct stats_table *t, uint32_t g, int64_t number)
{
	size_t i;
	struct rep *r;
	struct group *gr = &t->groups[g];

	if ((t->nreps + 1) * 2 > t->rhcap &&
	    rhash_rebuild(t, t->rhcap ? t->rhcap * 2 : 256) != 0)
		return -1;
	i = rep_slot(t, g, number);
	while (t->rhash[i] != EMPTY_SLOT) {
		r = &t->reps[t->rhash[i]];
		if (r->group == g && r->number == number)
			return t->rhash[i];
		i = (i + 1) & (t->rhcap - 1);
	}
	if (t->nreps >= UINT32_MAX - 1 ||
	    grow((void **)&t->reps, &t->capreps, t->nreps + 1,
		 sizeof *t->reps) != 0 ||
	    grow((void **)&gr->reps, &gr->capreps, gr->nreps + 1,
		 sizeof *gr->reps) != 0)
		return -1;
	r = &t->reps[t->nreps];
	memset(r, 0, sizeof *r);
	r->group = g;
	r->number = number;
	r->min_start = INT64_MAX;
	r->max_end = INT64_MIN;
	gr->reps[gr->nreps++] = (uint32_t)t->nreps;
	t->rhash[i] = (uint32_t)t->nreps;
	return (long)t->nreps++;
}

int stats_table_add(struct stats_table *t, const char *const *labels,
		    const size_t *lens, int same, int64_t rep, int64_t start_us,
		    int64_t end_us, int64_t bytes, int failed)
{
	uint32_t g, ri;
	struct rep *r;
	struct op *o;

	if (same && t->have_last) {
		g = t->last_group;
	} else {
		long gl = find_group(t, labels, lens);

		if (gl < 0)
			goto nomem;
		g = (uint32_t)gl;
		t->have_last = 0;
	}
	if (t->have_last && t->reps[t->last_rep].number == rep) {
		ri = t->last_rep;
	} else {
		long rl = find_rep(t, g, rep);

		if (rl < 0)
			goto nomem;
		ri = (uint32_t)rl;
	}
	t->last_group = g;
	t->last_rep = ri;
	t->have_last = 1;
	if (grow((void **)&t->ops, &t->capops, t->nops + 1, sizeof *t->ops) != 0)
		goto nomem;
	if (t->keep_bytes) {
		if (grow((void **)&t->bytes, &t->capbytes, t->nops + 1,
			 sizeof *t->bytes) != 0)
			goto nomem;
		t->bytes[t->nops] = bytes;
	}
	o = &t->ops[t->nops];
	o->start = start_us;
	o->dur = end_us - start_us;
	o->rep = ri;
	o->failed = (uint32_t)failed;
	r = &t->reps[ri];
	r->ops++;
	r->failed += (uint32_t)failed;
	if (start_us < r->min_start)
		r->min_start = start_us;
	if (end_us > r->max_end)
		r->max_end = end_us;
	r->busy += o->dur;
	if (bytes < 0)
		r->bytes_unknown = 1;
	else
		r->bytes += bytes;
	t->nops++;
	return 0;
nomem:
	diag(DIAG_ERROR, "out of memory");
	return -1;
}

/* ---- samples.csv ---- */

static const char *const known_cols[] = {
	"rep", "seq", "start_us", "end_us", "duration_us",
	"bytes", "status", "source", "server_us", NULL,
};

static int is_known(const struct csvfield *f)
{
	for (size_t i = 0; known_cols[i]; i++)
		if (strlen(known_cols[i]) == f->len &&
		    memcmp(known_cols[i], f->s, f->len) == 0)
			return 1;
	return 0;
}

static long column(const struct csvread *r, const char *name)
{
	for (size_t i = 0; i < r->nf; i++)
		if (r->f[i].len == strlen(name) &&
		    memcmp(r->f[i].s, name, r->f[i].len) == 0)
			return (long)i;
	return -1;
}

static int field_i64(const char *path, const struct csvfield *f,
		     const char *what, int64_t *v)
{
	size_t bad;
	int st = num_i64(f->s, f->len, v, &bad);

	if (st == NUM_OK)
		return 0;
	diag_at(DIAG_ERROR, path, f->line, f->col + (st == NUM_SYNTAX ? (long)bad : 0),
		"%s '%.*s' (expected %s)",
		st == NUM_EMPTY ? "missing value" : st == NUM_RANGE ? "out of range" : "not a number",
		(int)f->len, f->s, what);
	return -1;
}

struct stats_table *stats_table_read(const char *path, int keep_bytes)
{
	struct csvread r;
	struct stats_table *t = NULL;
	long c_rep, c_start, c_end, c_bytes, c_status;
	long *lcol = NULL;
	char **keys = NULL;
	size_t nkeys = 0, ncols;
	const char **vals = NULL;
	size_t *lens = NULL, *prevlens = NULL;
	char **prev = NULL;
	int rc, failed = 0, have_prev = 0;

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
		return NULL;
	}
	ncols = r.nf;
	c_rep = column(&r, "rep");
	c_start = column(&r, "start_us");
	c_end = column(&r, "end_us");
	c_bytes = column(&r, "bytes");
	c_status = column(&r, "status");
	if (c_rep < 0 || c_start < 0 || c_end < 0 ||
	    column(&r, "workload") < 0 || column(&r, "direction") < 0) {
		diag_at(DIAG_ERROR, path, 1, 0,
			"not a samples file: expected the columns workload, "
			"direction, rep, start_us and end_us (as "
			"'vmnetrank ingest' writes them)");
		csvread_close(&r);
		return NULL;
	}
	lcol = calloc(ncols, sizeof *lcol);
	keys = calloc(ncols + 1, sizeof *keys);
	vals = calloc(ncols + 1, sizeof *vals);
	lens = calloc(ncols + 1, sizeof *lens);
	prevlens = calloc(ncols + 1, sizeof *prevlens);
	prev = calloc(ncols + 1, sizeof *prev);
	if (!lcol || !keys || !vals || !lens || !prevlens || !prev)
		goto nomem;
	for (size_t i = 0; i < ncols; i++)
		if (!is_known(&r.f[i])) {
			lcol[nkeys] = (long)i;
			keys[nkeys] = strndup(r.f[i].s, r.f[i].len);
			if (!keys[nkeys++])
				goto nomem;
		}
	t = stats_table_new(nkeys, (const char *const *)keys, keep_bytes);
	if (!t)
		goto out;
	while ((rc = csvread_next(&r)) != CSVREAD_EOF) {
		int64_t rep, start, end, bytes = -1;
		int same = have_prev, bad = 0, fail = 0;

		if (rc == CSVREAD_ERROR) {
			diag_at(DIAG_ERROR, path, r.err_line, r.err_col, "%s",
				r.error);
			failed = 1;
			if (!r.raw)
				break;
			continue;
		}
		if (r.nf != ncols) {
			diag_at(DIAG_ERROR, path, r.rec_line, 0,
				"%zu fields (expected %zu, as in the header "
				"row)",
				r.nf, ncols);
			failed = 1;
			continue;
		}
		bad |= field_i64(path, &r.f[c_rep], "a repetition number", &rep);
		bad |= field_i64(path, &r.f[c_start], "start_us, epoch microseconds", &start);
		bad |= field_i64(path, &r.f[c_end], "end_us, epoch microseconds", &end);
		if (c_bytes >= 0 && r.f[c_bytes].len > 0)
			bad |= field_i64(path, &r.f[c_bytes], "a byte count", &bytes);
		if (!bad && end < start) {
			diag_at(DIAG_ERROR, path, r.f[c_end].line, r.f[c_end].col,
				"end before start (expected end_us >= "
				"start_us)");
			bad = 1;
		}
		if (bad) {
			failed = 1;
			continue;
		}
		if (c_status >= 0) {
			const struct csvfield *f = &r.f[c_status];

			fail = !(f->len == 0 ||
				 (f->len == 2 && memcmp(f->s, "ok", 2) == 0));
		}
		for (size_t k = 0; k < nkeys; k++) {
			const struct csvfield *f = &r.f[lcol[k]];

			vals[k] = f->s;
			lens[k] = f->len;
			if (same && (f->len != prevlens[k] ||
				     memcmp(f->s, prev[k], f->len) != 0))
				same = 0;
		}
		if (!same) {
			for (size_t k = 0; k < nkeys; k++) {
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
		if (stats_table_add(t, vals, lens, same, rep, start, end, bytes,
				    fail) != 0)
			goto fail;
	}
	if (failed)
		goto fail;
	if (t->nops == 0) {
		diag_at(DIAG_ERROR, path, 0, 0,
			"no operations (expected rows after the header)");
		goto fail;
	}
	goto out;
nomem:
	diag(DIAG_ERROR, "out of memory");
fail:
	stats_table_free(t);
	t = NULL;
out:
	for (size_t k = 0; keys && k < nkeys; k++)
		free(keys[k]);
	for (size_t k = 0; prev && k < nkeys; k++)
		free(prev[k]);
	free(keys);
	free(prev);
	free(prevlens);
	free(vals);
	free(lens);
	free(lcol);
	csvread_close(&r);
	return t;
}
