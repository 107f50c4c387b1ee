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

#endif
