/* csvtab: a small CSV file (a stage output) held whole in memory. */
#ifndef VMNETRANK_CSVTAB_H
#define VMNETRANK_CSVTAB_H

#include <stddef.h>

struct csvtab {
	char **head;
	size_t ncols;
	char **cells; /* nrows x ncols, row-major; "" where a row is short */
	size_t nrows;
};

/* 0, or -1 after a diagnostic (REQUIRED: a missing file is an error;
 * otherwise it gives an empty table). */
int csvtab_load(struct csvtab *t, const char *path, int required);
void csvtab_free(struct csvtab *t);
/* Column index of NAME, or -1. */
long csvtab_col(const struct csvtab *t, const char *name);
/* The cell (never NULL; "" when the column is -1). */
const char *csvtab_get(const struct csvtab *t, size_t row, long col);

/* An index of a table's rows by the values of some columns (a hash
 * table over them), so that finding a row is not a scan of the file:
 * the report looks up every pair of a cell and every configuration's
 * summary.csv row, which scanning made quadratic in their count. */
struct csvidx {
	const struct csvtab *t;
	long *cols;
	size_t ncols;
	size_t *slot; /* row + 1; 0 empty */
	size_t *next; /* per row: the next row of its key + 1; 0 none */
	size_t cap;
};

/* 0, or -1 when out of memory (then every find says -1).  The table must
 * outlive the index. */
int csvidx_build(struct csvidx *ix, const struct csvtab *t, const long *cols,
		 size_t ncols);
/* The first row whose columns hold VALS (ncols of them), or -1. */
long csvidx_find(const struct csvidx *ix, const char *const *vals);
/* The next row after R (a row csvidx_find or this gave) with the same
 * values, in file order, or -1. */
long csvidx_next(const struct csvidx *ix, long r);
void csvidx_free(struct csvidx *ix);

#endif
