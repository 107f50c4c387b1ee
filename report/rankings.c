/* The report's rankings: Table 3 (the best of each value of the --by
 * factor per cell), Kendall's tau between the internal and external
 * rankings, and what each factor changes. */
#include "report_int.h"
#include "../lib/diag.h"
#include "../lib/metric.h"
#include "../lib/outfile.h"
#include "../lib/verdict.h"
#include "../stats/kernel.h"
#include "../stats/rank.h"
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <math.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Whether the external ranking tells the internal story, per workload. */
static void section_kendall(const struct report *R, xmlNodePtr div)
{
	if (R->kendall.nrows) {
		long wl = csvtab_col(&R->kendall, "workload");
		long n = csvtab_col(&R->kendall, "n");
		long tau = csvtab_col(&R->kendall, "tau");
		long p = csvtab_col(&R->kendall, "p");
		long ch = csvtab_col(&R->kendall, "changed");
		long me = csvtab_col(&R->kendall, "method");
		xmlNodePtr ul;

		add(div, "h3", "Does the external view tell the internal story?");
		ul = add(div, "ul", NULL);
		for (size_t i = 0; i < R->kendall.nrows; i++) {
			const char *c = csvtab_get(&R->kendall, i, ch);
			size_t moved = *c ? 1 : 0;
			char t1[32], t2[32];

			const char *pv = csvtab_get(&R->kendall, i, p);
			const char *mv = me >= 0 ? csvtab_get(&R->kendall, i, me) : "";
			char test[96];

			for (; *c; c++)
				moved += *c == ';';
			if (*pv)
				snprintf(test, sizeof test, "p = %s, %s",
					 fmt_num(t2, sizeof t2, pv, 3),
					 !strcmp(mv, "exact") ? "exact permutation test"
					 : !strcmp(mv, "normal with ties")
						 ? "normal approximation, tie-corrected"
						 : "normal approximation");
			else
				snprintf(test, sizeof test,
					 "too few configurations to test");
			addf(ul, "li",
			     "%s: Kendall's tau-b between the internal and the "
			     "external ranking of all %s configurations is %s "
			     "(%s); %zu change places.",
			     csvtab_get(&R->kendall, i, wl),
			     csvtab_get(&R->kendall, i, n),
			     fmt_num(t1, sizeof t1, csvtab_get(&R->kendall, i, tau), 3),
			     test, moved);
		}
	}
}

/* ranks.csv's row of configuration NAME in the cell (VIEW, WL, DIR), or
 * -1. */
static long rank_row_of(const struct report *R, const char *view, const char *wl,
			const char *dir, const char *name)
{
	const char *key[4] = { view, wl, dir, name };

	return csvidx_find(&R->ranks_ix, key);
}

/* Levels compare as numbers when both are, else as text. */
static int level_cmp(const char *a, const char *b)
{
	char *ea, *eb;
	double x = strtod(a, &ea), y = strtod(b, &eb);

	if (*a && *b && !*ea && !*eb && x != y)
		return x < y ? -1 : 1;
	return strcmp(a, b);
}

/* The levels of factor column K among the internal and external rows. */
static size_t factor_levels(const struct report *R, size_t k)
{
	size_t n = 0;
	const char **seen = malloc((R->ranks.nrows + 1) * sizeof *seen);

	if (!seen)
		return 0;
	for (size_t i = 0; i < R->ranks.nrows; i++) {
		const char *v = csvtab_get(&R->ranks, i, (long)k);
		size_t j;

		if (!is_view(R, i, "internal") && !is_view(R, i, "external"))
			continue;
		for (j = 0; j < n && strcmp(seen[j], v) != 0; j++)
			;
		if (j == n)
			seen[n++] = v;
	}
	free(seen);
	return n;
}

/* A factor's table holds at most this many pairs, and a factor of more
 * levels than FACTOR_LEVELS has none: its pairs grow as the square of
 * its levels (Table 3 and the by-factor charts show it instead). */
#define FACTOR_ROWS 120
#define FACTOR_LEVELS RANK_FACTOR_LEVELS

/* pairs.csv holds every pair of the cell rankings (internal, external):
 * its rows of those views are as many as the eligible configurations'
 * pairs ranks.csv implies, cell by cell; past rank --pairs-limit it
 * holds only those the report reads. */
static int same_cell(const struct report *R, size_t i, size_t j)
{
	const long c[3] = { R->r_view, R->r_wl, R->r_dir };

	for (int k = 0; k < 3; k++)
		if (strcmp(csvtab_get(&R->ranks, i, c[k]),
			   csvtab_get(&R->ranks, j, c[k])) != 0)
			return 0;
	return 1;
}

static int pairs_complete(const struct report *R)
{
	size_t want = 0, have = 0;
	long pv = csvtab_col(&R->pairs, "view");

	for (size_t i = 0, j; i < R->ranks.nrows; i = j) {
		size_t ke = 0;

		for (j = i; j < R->ranks.nrows && same_cell(R, i, j); j++)
			ke += row_eligible(R, j);
		if (is_view(R, i, "internal") || is_view(R, i, "external"))
			want += ke * (ke - (ke > 0)) / 2;
	}
	for (size_t r = 0; pv >= 0 && r < R->pairs.nrows; r++) {
		const char *v = csvtab_get(&R->pairs, r, pv);

		have += strcmp(v, "internal") == 0 || strcmp(v, "external") == 0;
	}
	return have >= want;
}

/* "What each factor changes": for every factor of at most FACTOR_LEVELS
 * levels, each pair of eligible configurations of a cell that differ in
 * that factor alone (the rest held: the technology, the other sizes),
 * its ratio first level / second from pairs.csv, with the unpaired
 * interval and verdict and, when the logs have rounds, the paired one. */
void section_factors(const struct report *R, xmlNodePtr div)
{
	const struct csvtab *P = &R->pairs;
	long pv = csvtab_col(P, "view"), pw = csvtab_col(P, "workload"),
	     pd = csvtab_col(P, "direction"), pa = csvtab_col(P, "a"),
	     pb = csvtab_col(P, "b"), pr = csvtab_col(P, "ratio"),
	     plo = csvtab_col(P, "ratio_ci_lo"), phi = csvtab_col(P, "ratio_ci_hi"),
	     pvd = csvtab_col(P, "verdict"), pm = csvtab_col(P, "metric"),
	     qn = csvtab_col(P, "paired_n"), qr = csvtab_col(P, "paired_ratio"),
	     qlo = csvtab_col(P, "paired_ci_lo"), qhi = csvtab_col(P, "paired_ci_hi"),
	     qp = csvtab_col(P, "paired_p");
	int head = 0, complete = -1;

	if (pv < 0 || pa < 0 || pb < 0 || pr < 0 || R->nf == 0)
		return;
	for (size_t k = R->f0; k < R->f0 + R->nf; k++) {
		xmlNodePtr table = NULL, tr;
		size_t levels = factor_levels(R, k), shown = 0, pairs = 0;

		if (levels > FACTOR_LEVELS) {
			addf(div, "h4", "%s", R->ranks.head[k]);
			if (complete < 0)
				complete = pairs_complete(R);
			addf(div, "p", "%s has %zu levels: its pairs (%zu per "
				       "cell and combination of the others, at "
				       "most) %s; Table 3 and the by-factor "
				       "charts show it.",
			     R->ranks.head[k], levels, levels * (levels - 1) / 2,
			     complete ? "are in pairs.csv, not here"
				      : "are not listed here, and pairs.csv "
					"holds only those the report reads "
					"(rank --pairs-limit; 0 writes them "
					"all)");
			continue;
		}
		for (size_t r = 0; r < P->nrows; r++) {
			const char *lv[2];
			const char *view = csvtab_get(P, r, pv);
			const char *wl = csvtab_get(P, r, pw), *dir = csvtab_get(P, r, pd);
			long ia, ib;
			int diff = 0, flip;
			double ratio, lo, hi, pn, prt, plo_, phi_, pp;
			char other[512] = "", t1[64], t2[64];

			if (strcmp(view, "internal") && strcmp(view, "external"))
				continue;
			ia = rank_row_of(R, view, wl, dir, csvtab_get(P, r, pa));
			ib = rank_row_of(R, view, wl, dir, csvtab_get(P, r, pb));
			if (ia < 0 || ib < 0)
				continue;
			for (size_t f = R->f0; f < R->f0 + R->nf; f++)
				if (strcmp(csvtab_get(&R->ranks, (size_t)ia, (long)f),
					   csvtab_get(&R->ranks, (size_t)ib, (long)f)) != 0)
					diff += f == k ? 1 : 2;
			if (diff != 1)
				continue;
			if (++pairs > FACTOR_ROWS)
				continue;
			/* the pair's two levels, the smaller first */
			lv[0] = csvtab_get(&R->ranks, (size_t)ia, (long)k);
			lv[1] = csvtab_get(&R->ranks, (size_t)ib, (long)k);
			flip = level_cmp(lv[0], lv[1]) > 0;
			if (flip) {
				const char *t = lv[0];

				lv[0] = lv[1];
				lv[1] = t;
			}
			for (size_t f = R->f0; f < R->f0 + R->nf; f++)
				if (f != k)
					snprintf(other + strlen(other), sizeof other - strlen(other),
						 "%s%s", *other ? ", " : "",
						 csvtab_get(&R->ranks, (size_t)ia, (long)f));
			ratio = num_of(csvtab_get(P, r, pr));
			lo = num_of(csvtab_get(P, r, plo));
			hi = num_of(csvtab_get(P, r, phi));
			pn = qn >= 0 ? num_of(csvtab_get(P, r, qn)) : NAN;
			prt = qr >= 0 ? num_of(csvtab_get(P, r, qr)) : NAN;
			plo_ = qlo >= 0 ? num_of(csvtab_get(P, r, qlo)) : NAN;
			phi_ = qhi >= 0 ? num_of(csvtab_get(P, r, qhi)) : NAN;
			pp = qp >= 0 ? num_of(csvtab_get(P, r, qp)) : NAN;
			if (flip) { /* the row is (second, first): turn it round */
				invert_ratio(&ratio, &lo, &hi);
				invert_ratio(&prt, &plo_, &phi_);
			}
			if (!head) {
				add(div, "h3", "What each factor changes");
				add(div, "p", "For each factor, every pair of eligible "
					      "configurations of a cell that differ in "
					      "that factor alone (the others held: the "
					      "technology, the other sizes): the ratio "
					      "of the ranked metric (times; for rates, of "
					      "the rates) first level / second, with its "
					      "Fieller interval and the cell's verdict "
					      "(Holm over all its pairs; 'equal' when "
					      "the equivalence test puts the ratio "
					      "within the margin), and, when the "
					      "logs have rounds, the ratio paired by "
					      "round with its t interval and signed-rank "
					      "p. Below 1: the first level takes less "
					      "time.");
				head = 1;
			}
			if (!table) {
				addf(div, "h4", "%s", R->ranks.head[k]);
				table = add(div, "table", NULL);
				tr = add(table, "tr", NULL);
				add(tr, "th", "Workload");
				add(tr, "th", "Direction");
				add(tr, "th", "Held");
				add(tr, "th", "Metric");
				addf(tr, "th", "%s (95%% CI)", R->ranks.head[k]);
				add(tr, "th", "Verdict");
				add(tr, "th", "Paired by round (t CI; unadjusted p)");
			}
			tr = add(table, "tr", NULL);
			add(tr, "td", wl);
			add(tr, "td", dir);
			add(tr, "td", other);
			add(tr, "td", pm >= 0 ? csvtab_get(P, r, pm) : "");
			if (isfinite(lo) && isfinite(hi))
				snprintf(t1, sizeof t1, "%s / %s = %.3f [%.3f, %.3f]",
					 lv[0], lv[1], ratio, lo, hi);
			else
				snprintf(t1, sizeof t1, "%s / %s = %.3f [unbounded]",
					 lv[0], lv[1], ratio);
			add(tr, "td", t1);
			{
				const char *v = csvtab_get(P, r, pvd);
				int beats = strcmp(v, "beats") == 0, beaten = strcmp(v, "beaten") == 0;

				if (flip) {
					int t = beats;

					beats = beaten;
					beaten = t;
				}
				long pe = csvtab_col(P, "equal");

				if (beats || beaten)
					addf(tr, "td", "%s faster", beats ? lv[0] : lv[1]);
				else if (pe >= 0 && strcmp(csvtab_get(P, r, pe), "yes") == 0)
					addf(tr, "td", "equal within %g%%", 100 * rank_margin(R));
				else
					add(tr, "td", "tied");
			}
			if (pn >= 2 && isfinite(prt))
				snprintf(t2, sizeof t2, "%.3f [%.3f, %.3f]; p %.2g (%.0f rounds)",
					 prt, plo_, phi_, pp, pn);
			else if (pn >= 1)
				snprintf(t2, sizeof t2, "(one round: no interval)");
			else
				snprintf(t2, sizeof t2, "(no rounds)");
			add(tr, "td", t2);
			shown++;
		}
		if (table && shown < pairs)
			cls(addf(div, "p", "This table shows the first %zu of the "
					   "%zu pairs, in pairs.csv's order; all "
					   "are in pairs.csv.",
				 shown, pairs),
			    "caption");
	}
}

/* One place of Table 3: ranks.csv row I's configuration and rank. */
static void table3_td(const struct report *R, xmlNodePtr tr, size_t i)
{
	char a[16];

	if (row_eligible(R, i))
		addf(tr, "td", "%s [%s]", csvtab_get(&R->ranks, i, R->r_name),
		     csvtab_get(&R->ranks, i, R->r_shared));
	else
		cls(addf(tr, "td", "%s [%s: %s failed]",
			 csvtab_get(&R->ranks, i, R->r_name),
			 csvtab_get(&R->ranks, i, R->r_shared),
			 failed_share(a, sizeof a, R, i)),
		    "excluded");
}

/* Past this many values of the factor, Table 3 is turned round (a row
 * per place, a column per cell), so that it stays within the page. */
#define TABLE3_WIDE 8

void section_table3(const struct report *R, xmlNodePtr div)
{
	const char *by = NULL;
	xmlNodePtr table, tr;
	size_t most = 0, *first = NULL, *count = NULL, ncells = 0;

	add(div, "h2", "Internal and external rankings");
	for (size_t i = 0; i < R->ranks.nrows; i++)
		if (strncmp(csvtab_get(&R->ranks, i, R->r_view), "by-", 3) == 0)
			by = csvtab_get(&R->ranks, i, R->r_view);
	if (!by) {
		add(div, "p", "Run 'vmnetrank rank --by vm' for the per-VM view "
			      "of the paper's Table 3.");
		section_kendall(R, div);
		return;
	}
	addf(div, "p", "The best configuration of each value of %s in every "
		       "cell (the form of the paper's Table 3). Each value is "
		       "represented by its configuration with the best mean "
		       "among those eligible, and the verdicts between "
		       "representatives are the cell's own, Holm-adjusted over "
		       "every pair of the cell, so this table never shows an "
		       "order the cell's table ties. A rank followed by '=' "
		       "is shared: the tests cannot separate it from a "
		       "neighbour.",
	     by + 3);
	/* the cells: each one's first row of the view and its count */
	first = calloc(R->ranks.nrows + 1, sizeof *first);
	count = calloc(R->ranks.nrows + 1, sizeof *count);
	if (!first || !count)
		goto done;
	for (size_t i = 0; i < R->ranks.nrows; i++) {
		if (!is_view(R, i, by))
			continue;
		if (i == 0 || !is_view(R, i - 1, by) ||
		    strcmp(csvtab_get(&R->ranks, i, R->r_wl),
			   csvtab_get(&R->ranks, i - 1, R->r_wl)) != 0 ||
		    strcmp(csvtab_get(&R->ranks, i, R->r_dir),
			   csvtab_get(&R->ranks, i - 1, R->r_dir)) != 0)
			first[ncells++] = i;
		if (++count[ncells - 1] > most)
			most = count[ncells - 1];
	}
	table = add(div, "table", NULL);
	tr = add(table, "tr", NULL);
	if (most <= TABLE3_WIDE) {
		add(tr, "th", "Workload");
		add(tr, "th", "Direction");
		for (size_t k = 1; k <= most; k++)
			addf(tr, "th", "%zu", k);
		for (size_t c = 0; c < ncells; c++) {
			tr = add(table, "tr", NULL);
			add(tr, "td", csvtab_get(&R->ranks, first[c], R->r_wl));
			add(tr, "td", csvtab_get(&R->ranks, first[c], R->r_dir));
			for (size_t k = 0; k < count[c]; k++)
				table3_td(R, tr, first[c] + k);
		}
	} else {
		add(tr, "th", "Place");
		for (size_t c = 0; c < ncells; c++)
			addf(tr, "th", "%s, %s",
			     csvtab_get(&R->ranks, first[c], R->r_wl),
			     csvtab_get(&R->ranks, first[c], R->r_dir));
		for (size_t k = 0; k < most; k++) {
			tr = add(table, "tr", NULL);
			addf(tr, "td", "%zu", k + 1);
			for (size_t c = 0; c < ncells; c++)
				if (k < count[c])
					table3_td(R, tr, first[c] + k);
				else
					add(tr, "td", "");
		}
		addf(div, "p", "With %zu values of %s, a row per place and a "
			       "column per cell.", most, by + 3);
	}
	section_kendall(R, div);
done:
	free(first);
	free(count);
}
