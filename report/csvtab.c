#include "csvtab.h"
#include "../lib/csvread.h"
#include "../lib/diag.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void csvtab_free(struct csvtab *t)
{
	for (size_t i = 0; i < t->ncols; i++)
		free(t->head[i]);
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->head);
	free(t->cells);
	memset(t, 0, sizeof *t);
}

int csvtab_load(struct csvtab *t, const char *path, int required)
{
	struct csvread r;
	struct stat st;
	size_t cap = 0;
	int rc;

	memset(t, 0, sizeof *t);
	if (stat(path, &st) != 0) {
		if (!required)
			return 0;
		diag_at(DIAG_ERROR, path, 0, 0,
			"cannot read: %s (run the stages before report: "
			"ingest, stats, rank)",
			strerror(errno));
		return -1;
	}
	if (csvread_open(&r, path, ',', 0, 1) != 0) {
		diag_at(DIAG_ERROR, path, 0, 0, "cannot read: %s",
			strerror(r.L.err_errno));
		return -1;
	}
	while ((rc = csvread_next(&r)) != CSVREAD_EOF) {
		if (rc == CSVREAD_ERROR) {
			diag_at(DIAG_ERROR, path, r.err_line, r.err_col, "%s",
				r.error);
			goto fail;
		}
		if (!t->head) {
			t->ncols = r.nf;
			t->head = calloc(r.nf, sizeof *t->head);
			if (!t->head)
				goto nomem;
			for (size_t i = 0; i < r.nf; i++)
				if (!(t->head[i] = strndup(r.f[i].s, r.f[i].len)))
					goto nomem;
			continue;
		}
		if ((t->nrows + 1) * t->ncols > cap) {
			size_t ncap = cap ? cap * 2 : 64 * t->ncols;
			char **nc = realloc(t->cells, ncap * sizeof *nc);

			if (!nc)
				goto nomem;
			t->cells = nc;
			cap = ncap;
		}
		for (size_t i = 0; i < t->ncols; i++) {
			char **c = &t->cells[t->nrows * t->ncols + i];

			*c = i < r.nf ? strndup(r.f[i].s, r.f[i].len) : strdup("");
			if (!*c)
				goto nomem;
		}
		t->nrows++;
	}
	csvread_close(&r);
	return 0;
nomem:
	diag(DIAG_ERROR, "out of memory");
fail:
	csvread_close(&r);
	csvtab_free(t);
	return -1;
}

long csvtab_col(const struct csvtab *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->head[i], name) == 0)
			return (long)i;
	return -1;
}

const char *csvtab_get(const struct csvtab *t, size_t row, long col)
{
	if (col < 0 || (size_t)col >= t->ncols || row >= t->nrows)
		return "";
	return t->cells[row * t->ncols + (size_t)col];
}

static size_t key_hash(const char *const *vals, size_t n)
{
	uint64_t h = 1469598103934665603u;

	for (size_t k = 0; k < n; k++) {
		for (const unsigned char *c = (const unsigned char *)vals[k]; *c; c++)
			h = (h ^ *c) * 1099511628211u;
		h = (h ^ 0xff) * 1099511628211u; /* no value holds 0xff alone */
	}
	return (size_t)(h ^ (h >> 32));
}

static int row_holds(const struct csvidx *ix, size_t r, const char *const *vals)
{
	for (size_t k = 0; k < ix->ncols; k++)
		if (strcmp(csvtab_get(ix->t, r, ix->cols[k]), vals[k]) != 0)
			return 0;
	return 1;
}

int csvidx_build(struct csvidx *ix, const struct csvtab *t, const long *cols,
		 size_t ncols)
{
	const char **vals;
	size_t *last; /* per slot: its key's last row so far */

	memset(ix, 0, sizeof *ix);
	ix->t = t;
	ix->ncols = ncols;
	for (ix->cap = 16; ix->cap < 2 * t->nrows + 1; ix->cap *= 2)
		;
	ix->cols = malloc((ncols + 1) * sizeof *ix->cols);
	vals = malloc((ncols + 1) * sizeof *vals);
	ix->slot = calloc(ix->cap, sizeof *ix->slot);
	ix->next = calloc(t->nrows + 1, sizeof *ix->next);
	last = calloc(ix->cap, sizeof *last);
	if (!ix->slot || !ix->next || !ix->cols || !vals || !last) {
		free(vals);
		free(last);
		csvidx_free(ix);
		return -1;
	}
	memcpy(ix->cols, cols, ncols * sizeof *cols);
	for (size_t r = 0; r < t->nrows; r++) {
		size_t i;

		for (size_t k = 0; k < ix->ncols; k++)
			vals[k] = csvtab_get(t, r, ix->cols[k]);
		i = key_hash(vals, ix->ncols) & (ix->cap - 1);
		/* the first row of a key keeps its place, as a scan finds it */
		while (ix->slot[i] && !row_holds(ix, ix->slot[i] - 1, vals))
			i = (i + 1) & (ix->cap - 1);
		if (!ix->slot[i])
			ix->slot[i] = r + 1;
		else
			ix->next[last[i]] = r + 1;
		last[i] = r;
	}
	free(vals);
	free(last);
	return 0;
}

long csvidx_find(const struct csvidx *ix, const char *const *vals)
{
	size_t i;

	if (!ix->slot)
		return -1;
	i = key_hash(vals, ix->ncols) & (ix->cap - 1);
	for (; ix->slot[i]; i = (i + 1) & (ix->cap - 1))
		if (row_holds(ix, ix->slot[i] - 1, vals))
			return (long)(ix->slot[i] - 1);
	return -1;
}

long csvidx_next(const struct csvidx *ix, long r)
{
	if (!ix->next || r < 0 || (size_t)r >= ix->t->nrows)
		return -1;
	return (long)ix->next[r] - 1;
}

void csvidx_free(struct csvidx *ix)
{
	free(ix->slot);
	free(ix->next);
	free(ix->cols);
	memset(ix, 0, sizeof *ix);
}
