#include "csvtab.h"
#include "../lib/csvread.h"
#include "../lib/diag.h"

#include <errno.h>
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
