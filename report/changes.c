/* changes.csv: what a run changed against the one before it (changes.h). */
#include "changes.h"
#include "csvtab.h"
#include "../lib/csvout.h"
#include "../lib/diag.h"
#include "../lib/metric.h"
#include "../lib/outfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One configuration in one cell, from ranks.csv's internal/external
 * views. */
struct ent {
	const char *wl, *dir, *name, *n, *lo, *hi, *elig, *mean, *unit;
};

struct run {
	struct csvtab ranks, scores;
	struct ent *e;
	size_t ne;
};

static void run_free(struct run *r)
{
	csvtab_free(&r->ranks);
	csvtab_free(&r->scores);
	free(r->e);
}

static int run_load(struct run *r, const char *dir, int forget)
{
	char *p = outfile_path(dir, "ranks.csv"), *q = outfile_path(dir, "scores.csv");
	const struct csvtab *t = &r->ranks;
	long view, wl, di, nm, n, lo, hi, el, mn, un;
	int rc = -1;

	memset(r, 0, sizeof *r);
	if (!p || !q || csvtab_load(&r->ranks, p, 1) != 0 ||
	    csvtab_load(&r->scores, q, 0) != 0)
		goto out;
	view = csvtab_col(t, "view");
	wl = csvtab_col(t, "workload");
	di = csvtab_col(t, "direction");
	nm = csvtab_col(t, "name");
	n = csvtab_col(t, "n_reps");
	lo = csvtab_col(t, "rank_lo");
	hi = csvtab_col(t, "rank_hi");
	el = csvtab_col(t, "eligible");
	mn = csvtab_col(t, "mean");
	un = csvtab_col(t, "unit");
	if (view < 0 || wl < 0 || di < 0 || nm < 0) {
		diag_at(DIAG_ERROR, p, 1, 0, "no view, workload, direction and "
			"name columns (expected ranks.csv as 'vmnetrank rank' "
			"writes it)");
		goto out;
	}
	r->e = calloc(t->nrows + 1, sizeof *r->e);
	if (!r->e) {
		diag(DIAG_ERROR, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t->nrows; i++) {
		struct ent *e = &r->e[r->ne];

		if (strcmp(csvtab_get(t, i, view), csvtab_get(t, i, di)) != 0)
			continue; /* a by-FACTOR view */
		e->wl = csvtab_get(t, i, wl);
		e->dir = csvtab_get(t, i, di);
		e->name = csvtab_get(t, i, nm);
		e->n = csvtab_get(t, i, n);
		e->lo = csvtab_get(t, i, lo);
		e->hi = csvtab_get(t, i, hi);
		e->elig = csvtab_get(t, i, el);
		e->mean = csvtab_get(t, i, mn);
		e->unit = csvtab_get(t, i, un);
		r->ne++;
	}
	rc = 0;
out:
	if (forget) {
		/* an earlier run's files: replaced on purpose (kept in
		 * previous/) */
		outfile_forget_input(p);
		outfile_forget_input(q);
	}
	free(p);
	free(q);
	return rc;
}

static const struct ent *find(const struct run *r, const char *wl,
			      const char *dir, const char *name)
{
	for (size_t i = 0; i < r->ne; i++)
		if (strcmp(r->e[i].wl, wl) == 0 && strcmp(r->e[i].dir, dir) == 0 &&
		    (!name || strcmp(r->e[i].name, name) == 0))
			return &r->e[i];
	return NULL;
}

static void row(struct csvout *c, const char *kind, const char *wl,
		const char *dir, const char *name, const char *before,
		const char *after, const char *note)
{
	csvout_cstr(c, kind);
	csvout_cstr(c, wl);
	csvout_cstr(c, dir);
	csvout_cstr(c, name);
	csvout_cstr(c, before);
	csvout_cstr(c, after);
	csvout_cstr(c, note);
	csvout_endrow(c);
}

/* The fastest set of a cell: its eligible configurations whose rank
 * interval starts at 1, as "A | B" (in ranks.csv's order). */
static void fastest(const struct run *r, const char *wl, const char *dir,
		    char *buf, size_t cap, size_t *count)
{
	size_t len = 0;

	buf[0] = '\0';
	*count = 0;
	for (size_t i = 0; i < r->ne; i++) {
		const struct ent *e = &r->e[i];

		if (strcmp(e->wl, wl) || strcmp(e->dir, dir) ||
		    strcmp(e->elig, "yes") || strcmp(e->lo, "1"))
			continue;
		len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0,
					"%s%s", (*count)++ ? " | " : "", e->name);
		if (len >= cap)
			len = cap - 1;
	}
}

/* The weighted-score winners of SCOPE, the same way. */
static void score_top(const struct run *r, const char *scope, char *buf,
		      size_t cap, size_t *count)
{
	const struct csvtab *t = &r->scores;
	long sc = csvtab_col(t, "scope"), nm = csvtab_col(t, "name");
	long lo = csvtab_col(t, "rank_lo"), el = csvtab_col(t, "eligible");
	size_t len = 0;

	buf[0] = '\0';
	*count = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		if (strcmp(csvtab_get(t, i, sc), scope) ||
		    strcmp(csvtab_get(t, i, el), "no") == 0 ||
		    strcmp(csvtab_get(t, i, lo), "1"))
			continue;
		len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0,
					"%s%s", (*count)++ ? " | " : "",
					csvtab_get(t, i, nm));
		if (len >= cap)
			len = cap - 1;
	}
}

static const char *set_note(size_t nb, size_t na)
{
	if (nb == 0)
		return "a fastest set appeared";
	if (na == 0)
		return "no fastest set any more";
	if (nb > 1 && na == 1)
		return "tie resolved";
	if (nb == 1 && na > 1)
		return "tie appeared";
	if (nb == 1)
		return "winner changed";
	return "tied set changed";
}

static int write_rows(struct csvout *c, const struct run *B, const struct run *A)
{
	static const char *const cols[] = { "kind", "workload", "direction",
					    "configuration", "before", "after",
					    "note", NULL };
	char sb[4096], sa[4096], note[256];
	size_t nb, na;

	csvout_row(c, cols);
	/* cells */
	for (int pass = 0; pass < 2; pass++) {
		const struct run *X = pass ? A : B, *Y = pass ? B : A;

		for (size_t i = 0; i < X->ne; i++) {
			const struct ent *e = &X->e[i];

			if (find(X, e->wl, e->dir, NULL) != e)
				continue; /* the cell's first row only */
			if (!find(Y, e->wl, e->dir, NULL))
				row(c, pass ? "cell-added" : "cell-removed", e->wl,
				    e->dir, "", "", "", "");
		}
	}
	/* configurations, then the figures of those in both */
	for (size_t i = 0; i < B->ne; i++) {
		const struct ent *e = &B->e[i];

		if (find(A, e->wl, e->dir, NULL) && !find(A, e->wl, e->dir, e->name))
			row(c, "config-removed", e->wl, e->dir, e->name, e->n, "", "");
	}
	for (size_t i = 0; i < A->ne; i++) {
		const struct ent *e = &A->e[i], *o;
		char rb[64], ra[64];

		if (!find(B, e->wl, e->dir, NULL))
			continue;
		o = find(B, e->wl, e->dir, e->name);
		if (!o) {
			row(c, "config-added", e->wl, e->dir, e->name, "", e->n, "");
			continue;
		}
		if (strcmp(o->n, e->n) != 0)
			row(c, "reps", e->wl, e->dir, e->name, o->n, e->n,
			    atol(e->n) > atol(o->n) ? "repetitions added"
						    : "fewer repetitions");
		if (strcmp(o->elig, e->elig) != 0)
			row(c, "eligible", e->wl, e->dir, e->name, o->elig, e->elig,
			    strcmp(e->elig, "yes") == 0 ? "may be named fastest again"
							: "failed operations: not eligible");
		snprintf(rb, sizeof rb, "%s-%s", o->lo, o->hi);
		snprintf(ra, sizeof ra, "%s-%s", e->lo, e->hi);
		if (strcmp(rb, ra) != 0) {
			enum metric_unit u = strcmp(e->unit, "B/s") == 0 ? UNIT_BYTES_RATE
					     : strcmp(e->unit, "1/s") == 0 ? UNIT_OPS_RATE
									 : UNIT_TIME;
			char m1[32], m2[32];

			snprintf(note, sizeof note, "mean %s -> %s",
				 *o->mean ? metric_format(m1, sizeof m1, u, atof(o->mean)) : "-",
				 *e->mean ? metric_format(m2, sizeof m2, u, atof(e->mean)) : "-");
			row(c, "rank", e->wl, e->dir, e->name, rb, ra, note);
		}
	}
	/* the fastest set of every cell in both */
	for (size_t i = 0; i < A->ne; i++) {
		const struct ent *e = &A->e[i];

		if (find(A, e->wl, e->dir, NULL) != e || !find(B, e->wl, e->dir, NULL))
			continue;
		fastest(B, e->wl, e->dir, sb, sizeof sb, &nb);
		fastest(A, e->wl, e->dir, sa, sizeof sa, &na);
		if (strcmp(sb, sa) != 0)
			row(c, "fastest", e->wl, e->dir, "", sb, sa, set_note(nb, na));
	}
	/* the weighted-score winners of every scope in the new run */
	{
		const struct csvtab *t = &A->scores;
		long sc = csvtab_col(t, "scope");

		for (size_t i = 0; i < t->nrows; i++) {
			const char *scope = csvtab_get(t, i, sc);
			int first = 1;

			for (size_t j = 0; j < i && first; j++)
				first = strcmp(csvtab_get(t, j, sc), scope) != 0;
			if (!first)
				continue;
			score_top(B, scope, sb, sizeof sb, &nb);
			score_top(A, scope, sa, sizeof sa, &na);
			if (strcmp(sb, sa) != 0)
				row(c, "score-winner", scope, "", "", sb, sa,
				    set_note(nb, na));
		}
	}
	return c->err ? -1 : 0;
}

int changes_write(const char *olddir, const char *newdir, const char *outdir)
{
	struct run B, A;
	struct outfile of;
	struct csvout c;
	char *path = NULL;
	int rc = -1;

	memset(&A, 0, sizeof A);
	if (run_load(&B, olddir, 1) != 0) {
		run_free(&B);
		return -1;
	}
	if (run_load(&A, newdir, 0) != 0)
		goto out;
	path = outfile_path(outdir, "changes.csv");
	if (!path || outfile_open(&of, path) != 0)
		goto out;
	csvout_init(&c, of.fp);
	if (write_rows(&c, &B, &A) != 0 || csvout_flush(&c) != 0) {
		csvout_release(&c);
		outfile_report_error(&of);
		outfile_abort(&of);
		goto out;
	}
	csvout_release(&c);
	rc = outfile_commit(&of);
out:
	free(path);
	run_free(&B);
	run_free(&A);
	return rc;
}
