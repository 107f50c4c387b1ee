/*
 * The groups of rows of one file (rows with the same label values), each
 * with the (rep, seq) pairs it has used and a tally per repetition.  A
 * long-format CSV holds many groups; a collector log holds one.
 */
#include "ingest_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- keyset: which (rep, seq) pairs a group has used ---- */

static void keyset_release(struct keyset *k)
{
	free(k->lo);
	free(k->hi);
	memset(k, 0, sizeof *k);
}

/* 1 if KEY was there already, 0 if added, -1 on no memory.  Keys are held
 * as sorted disjoint intervals, so an ordered log needs one per rep. */
static int keyset_add(struct keyset *k, uint64_t key)
{
	size_t lo = 0, hi, pos;

	/* the fast path of keys in order; the last interval ending at the
	 * largest key has no key after it (hi + 1 would wrap to 0) */
	if (k->n > 0 && k->hi[k->n - 1] != UINT64_MAX) {
		if (key == k->hi[k->n - 1] + 1) {
			k->hi[k->n - 1] = key;
			return 0;
		}
		if (key > k->hi[k->n - 1] + 1) {
			pos = k->n;
			goto insert;
		}
	}
	/* binary search: first interval with hi >= key */
	hi = k->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (k->hi[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	pos = lo;
	if (pos < k->n && k->lo[pos] <= key)
		return 1;
	/* extend a neighbour when adjacent */
	if (pos < k->n && key + 1 == k->lo[pos]) {
		k->lo[pos] = key;
		if (pos > 0 && k->hi[pos - 1] + 1 == key) {
			k->hi[pos - 1] = k->hi[pos];
			memmove(k->lo + pos, k->lo + pos + 1,
				(k->n - pos - 1) * sizeof *k->lo);
			memmove(k->hi + pos, k->hi + pos + 1,
				(k->n - pos - 1) * sizeof *k->hi);
			k->n--;
		}
		return 0;
	}
	if (pos > 0 && k->hi[pos - 1] + 1 == key) {
		k->hi[pos - 1] = key;
		return 0;
	}
insert:
	if (k->n == k->cap) {
		size_t ncap = k->cap ? k->cap * 2 : 64;
		uint64_t *nl = realloc(k->lo, ncap * sizeof *nl);
		uint64_t *nh;

		if (!nl)
			return -1;
		k->lo = nl;
		nh = realloc(k->hi, ncap * sizeof *nh);
		if (!nh)
			return -1;
		k->hi = nh;
		k->cap = ncap;
	}
	memmove(k->lo + pos + 1, k->lo + pos, (k->n - pos) * sizeof *k->lo);
	memmove(k->hi + pos + 1, k->hi + pos, (k->n - pos) * sizeof *k->hi);
	k->lo[pos] = k->hi[pos] = key;
	k->n++;
	return 0;
}

int fgroup_seen(struct fgroup *g, int64_t rep, int64_t seq)
{
	return keyset_add(&g->seen, ((uint64_t)rep << 32) | (uint64_t)seq);
}

/* ---- repetitions of a group ---- */

struct frep *fgroup_rep(struct fgroup *g, int64_t rep)
{
	size_t lo = 0, hi = g->nreps;
	struct frep *r;

	if (g->last < g->nreps && g->reps[g->last].rep == rep)
		return &g->reps[g->last];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (g->reps[mid].rep < rep)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < g->nreps && g->reps[lo].rep == rep) {
		g->last = lo;
		return &g->reps[lo];
	}
	if (g->nreps == g->capreps) {
		size_t ncap = g->capreps ? g->capreps * 2 : 16;
		struct frep *nr = realloc(g->reps, ncap * sizeof *nr);

		if (!nr)
			return NULL;
		g->reps = nr;
		g->capreps = ncap;
	}
	memmove(g->reps + lo + 1, g->reps + lo,
		(g->nreps - lo) * sizeof *g->reps);
	r = &g->reps[lo];
	memset(r, 0, sizeof *r);
	r->rep = rep;
	r->min_start = INT64_MAX;
	r->max_end = INT64_MIN;
	g->nreps++;
	g->last = lo;
	return r;
}

void frep_add(struct frep *r, int64_t start, int64_t end)
{
	if (start < r->min_start)
		r->min_start = start;
	if (end > r->max_end)
		r->max_end = end;
	r->busy += end - start;
	r->ops++;
}

/* ---- the groups of a file ---- */

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001B3ull;
	return h;
}

static void group_release(struct fgroup *g)
{
	free(g->key);
	keyset_release(&g->seen);
	free(g->reps);
}

void fgroups_clear(struct fgroups *s)
{
	for (size_t i = 0; i < s->n; i++)
		group_release(&s->g[i]);
	s->n = 0;
	for (size_t i = 0; i < s->hcap; i++)
		s->hash[i] = (size_t)-1;
}

void fgroups_release(struct fgroups *s)
{
	fgroups_clear(s);
	free(s->g);
	free(s->hash);
	memset(s, 0, sizeof *s);
}

static int rehash(struct fgroups *s, size_t cap)
{
	size_t *nh = malloc(cap * sizeof *nh);

	if (!nh)
		return -1;
	for (size_t i = 0; i < cap; i++)
		nh[i] = (size_t)-1;
	for (size_t g = 0; g < s->n; g++) {
		size_t i = fnv(s->g[g].key, s->g[g].keylen) & (cap - 1);

		while (nh[i] != (size_t)-1)
			i = (i + 1) & (cap - 1);
		nh[i] = g;
	}
	free(s->hash);
	s->hash = nh;
	s->hcap = cap;
	return 0;
}

/* The hash slot of KEY (N bytes) in S: the group's, or the empty one
 * where it would go.  S->hcap must be > 0. */
static size_t probe(const struct fgroups *s, const char *key, size_t n)
{
	size_t i = fnv(key, n) & (s->hcap - 1);

	while (s->hash[i] != (size_t)-1) {
		const struct fgroup *g = &s->g[s->hash[i]];

		if (g->keylen == n && memcmp(g->key, key, n) == 0)
			break;
		i = (i + 1) & (s->hcap - 1);
	}
	return i;
}

long fgroups_find(struct fgroups *s, const char *key, size_t n)
{
	size_t i;
	struct fgroup *g;

	if ((s->n + 1) * 2 > s->hcap && rehash(s, s->hcap ? s->hcap * 2 : 16) != 0)
		return -1;
	i = probe(s, key, n);
	if (s->hash[i] != (size_t)-1)
		return (long)s->hash[i];
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 8;
		struct fgroup *ng = realloc(s->g, ncap * sizeof *ng);

		if (!ng)
			return -1;
		s->g = ng;
		s->cap = ncap;
	}
	g = &s->g[s->n];
	memset(g, 0, sizeof *g);
	g->key = malloc(n + 1);
	if (!g->key)
		return -1;
	memcpy(g->key, key, n);
	g->key[n] = '\0';
	g->keylen = n;
	s->hash[i] = s->n;
	return (long)s->n++;
}

/* ---- the parts of a file read apart (workers.c) ---- */

/* The group with KEY (N bytes) in S, or NULL (none is made). */
static const struct fgroup *group_of(const struct fgroups *s, const char *key,
				     size_t n)
{
	size_t i;

	if (!s->hcap)
		return NULL;
	i = probe(s, key, n);
	return s->hash[i] == (size_t)-1 ? NULL : &s->g[s->hash[i]];
}

/* Do two sets of sorted disjoint intervals share a key? */
static int keysets_meet(const struct keyset *a, const struct keyset *b)
{
	size_t i = 0, j = 0;

	while (i < a->n && j < b->n) {
		if (a->hi[i] < b->lo[j])
			i++;
		else if (b->hi[j] < a->lo[i])
			j++;
		else
			return 1;
	}
	return 0;
}

/* INTO's keys, and FROM's (disjoint from them): one sorted list, adjacent
 * intervals joined. */
static int keyset_union(struct keyset *into, const struct keyset *from)
{
	size_t n = into->n + from->n, i = 0, j = 0, k = 0;
	uint64_t *lo, *hi;

	if (from->n == 0)
		return 0;
	lo = malloc(n * sizeof *lo);
	hi = malloc(n * sizeof *hi);
	if (!lo || !hi) {
		free(lo);
		free(hi);
		return -1;
	}
	while (i < into->n || j < from->n) {
		uint64_t l, h;

		if (j == from->n || (i < into->n && into->lo[i] < from->lo[j])) {
			l = into->lo[i];
			h = into->hi[i++];
		} else {
			l = from->lo[j];
			h = from->hi[j++];
		}
		if (k > 0 && hi[k - 1] != UINT64_MAX && hi[k - 1] + 1 == l)
			hi[k - 1] = h;
		else {
			lo[k] = l;
			hi[k++] = h;
		}
	}
	free(into->lo);
	free(into->hi);
	into->lo = lo;
	into->hi = hi;
	into->n = k;
	into->cap = n;
	return 0;
}

int fgroups_merge(struct fgroups *into, const struct fgroups *from)
{
	for (size_t gi = 0; gi < from->n; gi++) {
		const struct fgroup *g = &from->g[gi];
		const struct fgroup *h = group_of(into, g->key, g->keylen);

		if (h && keysets_meet(&h->seen, &g->seen))
			return 1;
	}
	for (size_t gi = 0; gi < from->n; gi++) {
		const struct fgroup *g = &from->g[gi];
		long hi = fgroups_find(into, g->key, g->keylen);
		struct fgroup *h;

		if (hi < 0)
			return -1;
		h = &into->g[hi];
		if (keyset_union(&h->seen, &g->seen) != 0)
			return -1;
		for (size_t r = 0; r < g->nreps; r++) {
			const struct frep *a = &g->reps[r];
			struct frep *b = fgroup_rep(h, a->rep);

			if (!b)
				return -1;
			if (a->min_start < b->min_start)
				b->min_start = a->min_start;
			if (a->max_end > b->max_end)
				b->max_end = a->max_end;
			b->busy += a->busy;
			b->ops += a->ops;
		}
	}
	return 0;
}
