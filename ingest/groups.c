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

long fgroups_find(struct fgroups *s, const char *key, size_t n)
{
	size_t i;
	struct fgroup *g;

	if ((s->n + 1) * 2 > s->hcap && rehash(s, s->hcap ? s->hcap * 2 : 16) != 0)
		return -1;
	i = fnv(key, n) & (s->hcap - 1);
	while (s->hash[i] != (size_t)-1) {
		g = &s->g[s->hash[i]];
		if (g->keylen == n && memcmp(g->key, key, n) == 0)
			return (long)s->hash[i];
		i = (i + 1) & (s->hcap - 1);
	}
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
