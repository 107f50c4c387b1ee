/* The table of operations: filled by stats_table_add(), from samples.csv
 * by stats_table_read() (table_read.c), or in memory by `vmnetrank run`. */
#include "stats_int.h"
#include "../lib/diag.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

#define EMPTY_SLOT UINT32_MAX


struct stats_table *stats_table_new(size_t nkeys, const char *const *keys,
				    const struct stats_options *o)
{
	struct stats_table *t = calloc(1, sizeof *t);

	if (!t)
		goto nomem;
	t->keys = calloc(nkeys + 1, sizeof *t->keys);
	if (!t->keys)
		goto nomem;
	t->nkeys = nkeys;
	t->keep_bytes = t->steady = o->steady;
	t->exact_ops = o->exact_ops;
	t->hold_ops = o->hold_ops;
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
		gacc_release(&t->groups[g].acc[0]);
		gacc_release(&t->groups[g].acc[1]);
	}
	free(t->groups);
	for (size_t r = 0; t->reps && r < t->nreps; r++)
		free(t->reps[r].fig);
	free(t->reps);
	repwork_free(t->rw);
	if (t->ops_map) {
		if (t->ops_maplen)
			munmap(t->ops_map, t->ops_maplen);
	} else {
		free(t->ops);
	}
	free(t->bytes);
	free(t->ghash);
	free(t->rhash);
	free(t->keybuf);
	for (size_t i = 0; i < t->nfiles; i++)
		free(t->files[i]);
	free(t->files);
	free(t);
}

uint32_t stats_table_file(struct stats_table *t, const char *name, size_t n)
{
	/* files come in order: the last one is the likely match */
	for (size_t i = t->nfiles; i-- > 0;)
		if (strlen(t->files[i]) == n && memcmp(t->files[i], name, n) == 0)
			return (uint32_t)i;
	if (t->nfiles >= UINT32_MAX - 1 ||
	    table_grow((void **)&t->files, &t->capfiles, t->nfiles + 1,
		 sizeof *t->files) != 0 ||
	    !(t->files[t->nfiles] = strndup(name, n)))
		return UINT32_MAX;
	return (uint32_t)t->nfiles++;
}

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001B3ull;
	return h;
}

int table_grow(void **p, size_t *cap, size_t need, size_t size)
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

long table_find_group(struct stats_table *t, const char *const *labels,
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
	if (table_grow((void **)&t->groups, &t->capgroups, t->ngroups + 1,
		 sizeof *t->groups) != 0)
		return -1;
	g = &t->groups[t->ngroups];
	memset(g, 0, sizeof *g);
	gacc_init(&g->acc[0]);
	gacc_init(&g->acc[1]);
	g->values = calloc(t->nkeys, sizeof *g->values);
	if (!g->values)
		return -1;
	for (size_t k = 0; k < t->nkeys; k++)
		if (!(g->values[k] = strndup(labels[k], lens[k])))
			return -1;
	t->ghash[i] = (uint32_t)t->ngroups;
	return (long)t->ngroups++;
}

static size_t rep_slot(const struct stats_table *t, uint32_t g, uint32_t file,
		       int64_t n)
{
	uint64_t h = ((uint64_t)g * 0x9E3779B97F4A7C15ull) ^
		     ((uint64_t)n * 0xBF58476D1CE4E5B9ull) ^
		     ((uint64_t)file * 0x94D049BB133111EBull);

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
		size_t i = rep_slot(t, t->reps[r].group, t->reps[r].file,
				    t->reps[r].number);

		while (t->rhash[i] != EMPTY_SLOT)
			i = (i + 1) & (cap - 1);
		t->rhash[i] = (uint32_t)r;
	}
	(void)oldcap;
	free(old);
	return 0;
}

long table_find_rep(struct stats_table *t, uint32_t g, uint32_t file,
		    int64_t number)
{
	size_t i;
	struct rep *r;
	struct group *gr = &t->groups[g];

	if ((t->nreps + 1) * 2 > t->rhcap &&
	    rhash_rebuild(t, t->rhcap ? t->rhcap * 2 : 256) != 0)
		return -1;
	i = rep_slot(t, g, file, number);
	while (t->rhash[i] != EMPTY_SLOT) {
		r = &t->reps[t->rhash[i]];
		if (r->group == g && r->file == file && r->number == number)
			return t->rhash[i];
		i = (i + 1) & (t->rhcap - 1);
	}
	if (t->nreps >= UINT32_MAX - 1 ||
	    table_grow((void **)&t->reps, &t->capreps, t->nreps + 1,
		 sizeof *t->reps) != 0 ||
	    table_grow((void **)&gr->reps, &gr->capreps, gr->nreps + 1,
		 sizeof *gr->reps) != 0)
		return -1;
	r = &t->reps[t->nreps];
	memset(r, 0, sizeof *r);
	r->group = g;
	r->file = file;
	r->number = number;
	r->min_start = INT64_MAX;
	r->max_end = INT64_MIN;
	r->res = INT64_MAX;
	gr->reps[gr->nreps++] = (uint32_t)t->nreps;
	t->rhash[i] = (uint32_t)t->nreps;
	return (long)t->nreps++;
}

/* stats_table_add() without the report: safe on a worker thread. */
int table_add(struct stats_table *t, const char *const *labels,
	      const size_t *lens, int same, uint32_t file, int64_t rep,
	      int64_t start_us, int64_t end_us, int64_t bytes,
	      int64_t start_res, int failed)
{
	uint32_t g, ri;
	struct rep *r;
	struct op *o;

	/* a file ends: past hold_ops, the repetitions read so far are
	 * closed (all but a half's first file, which goes on in the half
	 * before it) */
	if (t->have_file && file != t->last_file && t->hold_ops &&
	    t->nops >= t->hold_ops &&
	    table_close_held(t, t->keep_first ? t->first_file : UINT32_MAX) != 0)
		goto nomem;
	if (!t->have_file) {
		t->first_file = file;
		t->have_file = 1;
	}
	t->last_file = file;
	if (same && t->have_last) {
		g = t->last_group;
	} else {
		long gl = table_find_group(t, labels, lens);

		if (gl < 0)
			goto nomem;
		g = (uint32_t)gl;
		t->have_last = 0;
	}
	if (t->have_last && t->reps[t->last_rep].number == rep &&
	    t->reps[t->last_rep].file == file) {
		ri = t->last_rep;
	} else {
		long rl = table_find_rep(t, g, file, rep);

		if (rl < 0)
			goto nomem;
		ri = (uint32_t)rl;
	}
	t->last_group = g;
	t->last_rep = ri;
	t->have_last = 1;
	if (t->reps[ri].fig)
		return TABLE_SCATTERED;
	if (t->ops_map ? t->nops == t->capops
		       : table_grow((void **)&t->ops, &t->capops, t->nops + 1,
			      sizeof *t->ops) != 0)
		goto nomem;
	if (t->keep_bytes) {
		if (table_grow((void **)&t->bytes, &t->capbytes, t->nops + 1,
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
	if (start_res < r->res)
		r->res = start_res;
	if (!failed) {
		/* a sum past int64 is no count to speak of: unknown */
		if (bytes < 0 || __builtin_add_overflow(r->bytes, bytes, &r->bytes))
			r->bytes_unknown = 1;
	}
	t->nops++;
	t->nops_total++;
	return 0;
nomem:
	return -1;
}

int stats_table_add(struct stats_table *t, const char *const *labels,
		    const size_t *lens, int same, uint32_t file, int64_t rep,
		    int64_t start_us, int64_t end_us, int64_t bytes,
		    int64_t start_res, int failed)
{
	int rc = table_add(t, labels, lens, same, file, rep, start_us, end_us,
			   bytes, start_res, failed);

	if (rc == 0 || rc == TABLE_SCATTERED)
		return rc;
	diag(DIAG_ERROR, "out of memory");
	return -1;
}
