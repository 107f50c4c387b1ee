/* The report's answer and rankings: each cell's verdict in words, the
 * weighted mix, what changed, Kendall's tau, the factors, Table 3. */
#include "report_int.h"
#include "../lib/diag.h"
#include "../lib/metric.h"
#include "../lib/outfile.h"
#include "../lib/verdict.h"
#include "../stats/kernel.h"
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

/* pairs.csv's verdict in VIEW between configurations A and B of a cell:
 * 1 when A beats B, -1 when B beats A, 0 when tied, -2 when not there. */
/* The pairs.csv row of A and B in one cell of VIEW (*SIGN 1 when A is the
 * row's a, -1 when it is its b), or -1. */
static long pair_row(const struct report *R, const char *view, const char *wl,
		     const char *dir, const char *a, const char *b, int *sign)
{
	const char *ab[5] = { view, wl, dir, a, b }, *ba[5] = { view, wl, dir, b, a };
	long r = csvidx_find(&R->pairs_ix, ab), s = csvidx_find(&R->pairs_ix, ba);

	/* the first row of either order, as a scan of the file finds it */
	if (r >= 0 && (s < 0 || r < s)) {
		*sign = 1;
		return r;
	}
	if (s >= 0)
		*sign = -1;
	return s;
}

/* 1 when A beats B in the cell, -1 when B beats A, 0 tied, -2 unknown. */
static int pair_verdict(const struct report *R, const char *view,
			const char *wl, const char *dir, const char *a,
			const char *b)
{
	int sign;
	long r = pair_row(R, view, wl, dir, a, b, &sign);
	const char *v;

	if (r < 0)
		return -2;
	v = csvtab_get(&R->pairs, (size_t)r, csvtab_col(&R->pairs, "verdict"));
	return strcmp(v, "beats") == 0	  ? sign
	       : strcmp(v, "beaten") == 0 ? -sign
					  : 0;
}

/* A and B shown equal within the margin (pairs.csv `equal`). */
static int pair_equal(const struct report *R, const char *view, const char *wl,
		      const char *dir, const char *a, const char *b)
{
	int sign;
	long r = pair_row(R, view, wl, dir, a, b, &sign);

	return r >= 0 && strcmp(csvtab_get(&R->pairs, (size_t)r,
					   csvtab_col(&R->pairs, "equal")),
				"yes") == 0;
}

/* A ranks.csv figure of row I by column NAME; NaN when absent. */
double rank_num(const struct report *R, size_t i, const char *name)
{
	long c = csvtab_col(&R->ranks, name);

	return c < 0 ? NAN : num_of(csvtab_get(&R->ranks, i, c));
}

/* The margin rank used, from ranks.csv (1% when it does not say). */
double rank_margin(const struct report *R)
{
	double m = R->ranks.nrows ? rank_num(R, 0, "margin") : NAN;

	return isfinite(m) ? m : 0.01;
}

/* What the cell of ranks.csv row I could show, in words. */
void cell_power_text(const struct report *R, size_t i, char *buf,
			    size_t cap)
{
	double rn = rank_num(R, i, "reps_needed");

	verdict_power(buf, cap, rank_num(R, i, "cell_n_reps"),
		      rank_num(R, i, "cell_cv"), rank_num(R, i, "detectable"),
		      isfinite(rn) ? rn : 0, rank_num(R, i, "detect"),
		      rank_margin(R));
}

/* A "beats" pair of the cell at sizes where no rank test reaches alpha
 * (Mann-Whitney's smallest p above it): 1 with its sizes, else 0. */
static int cell_on_normality(const struct report *R, const char *view,
			     const char *wl, const char *dir, double alpha,
			     long *na, long *nb)
{
	const struct csvtab *P = &R->pairs;
	long cv = csvtab_col(P, "view"), cw = csvtab_col(P, "workload"),
	     cd = csvtab_col(P, "direction"), ct = csvtab_col(P, "verdict"),
	     ca = csvtab_col(P, "n_a"), cb = csvtab_col(P, "n_b");

	for (size_t r = 0; r < P->nrows; r++) {
		long a, b;

		if (strcmp(csvtab_get(P, r, cv), view) != 0 ||
		    strcmp(csvtab_get(P, r, cw), wl) != 0 ||
		    strcmp(csvtab_get(P, r, cd), dir) != 0 ||
		    strcmp(csvtab_get(P, r, ct), "tied") == 0)
			continue;
		a = strtol(csvtab_get(P, r, ca), NULL, 10);
		b = strtol(csvtab_get(P, r, cb), NULL, 10);
		if (a > 0 && b > 0 && kern_mw_min_p((size_t)a, (size_t)b) > alpha) {
			*na = a;
			*nb = b;
			return 1;
		}
	}
	return 0;
}

/* The sentence that says so, after a verdict. */
void normality_note(const struct report *R, xmlNodePtr parent,
			   const char *view, const char *wl, const char *dir)
{
	double alpha = R->ranks.nrows ? rank_num(R, 0, "alpha") : NAN;
	long na, nb;

	if (isfinite(alpha) && cell_on_normality(R, view, wl, dir, alpha, &na, &nb))
		textf(parent, " With %ld + %ld repetitions no rank test can reach "
			      "p < %g (Mann-Whitney's smallest two-sided p is "
			      "%.2g): a 'beats' here rests on the repetition "
			      "times being close to normal.",
		      na, nb, alpha, kern_mw_min_p((size_t)na, (size_t)nb));
}

/* "C (100% failed, no times); D (1.2% failed)" for the rows of [I, J) that
 * are not eligible, after WHAT; nothing when all are. */
static void excluded_list(const struct report *R, xmlNodePtr parent,
			  size_t i, size_t j, const char *what)
{
	size_t shown = 0;
	char a[16];

	for (size_t k = i; k < j; k++) {
		if (row_eligible(R, k))
			continue;
		text(parent, shown++ ? "; " : what);
		cls(add(parent, "span", csvtab_get(&R->ranks, k, R->r_name)),
		    "failed");
		textf(parent, " (%s of %s operations failed, %s%s)",
		      csvtab_get(&R->ranks, k, R->r_failed),
		      csvtab_get(&R->ranks, k, R->r_nops),
		      failed_share(a, sizeof a, R, k),
		      *csvtab_get(&R->ranks, k, R->r_mean) ? "" : ": no times at all");
	}
	if (shown)
		text(parent, ".");
}

/* A ratio a / b with its interval [*LO, *HI], turned into b / a. */
void invert_ratio(double *ratio, double *lo, double *hi)
{
	double t = *lo;

	*ratio = 1 / *ratio;
	*lo = 1 / *hi;
	*hi = 1 / t;
}

/* The rounds as blocks (pairs.csv's paired_*), for the best and the
 * next eligible configuration of the cell in rows [I, J): their ratio
 * over the rounds both were measured in, its interval and the
 * signed-rank p; said only when their logs carry rounds (vmnetrank
 * measure). */
static void paired_text(const struct report *R, xmlNodePtr li, const char *view,
			const char *wl, const char *dir, size_t i, size_t j)
{
	const struct csvtab *P = &R->pairs;
	size_t second = i + 1;
	const char *a, *b;
	int sign;
	long r;
	double n, ratio, lo, hi, p, alpha = rank_num(R, i, "alpha");
	char ps[32];

	while (second < j && !row_eligible(R, second))
		second++;
	if (second >= j || !row_eligible(R, i))
		return;
	a = csvtab_get(&R->ranks, i, R->r_name);
	b = csvtab_get(&R->ranks, second, R->r_name);
	r = pair_row(R, view, wl, dir, a, b, &sign);
	if (r < 0 || csvtab_col(P, "paired_n") < 0)
		return;
	n = num_of(csvtab_get(P, (size_t)r, csvtab_col(P, "paired_n")));
	ratio = num_of(csvtab_get(P, (size_t)r, csvtab_col(P, "paired_ratio")));
	lo = num_of(csvtab_get(P, (size_t)r, csvtab_col(P, "paired_ci_lo")));
	hi = num_of(csvtab_get(P, (size_t)r, csvtab_col(P, "paired_ci_hi")));
	p = num_of(csvtab_get(P, (size_t)r, csvtab_col(P, "paired_p")));
	if (!(n >= 2) || !isfinite(ratio))
		return;
	if (sign < 0) /* the row is (b, a): its ratio the other way */
		invert_ratio(&ratio, &lo, &hi);
	if (!isfinite(alpha))
		alpha = 0.05;
	snprintf(ps, sizeof ps, "%.2g", p);
	textf(li, " Paired by round (the rounds as blocks): %s / %s = %.3f "
		  "[%.3f, %.3f] over %.0f rounds, signed-rank p = %s",
	      a, b, ratio, lo, hi, n, isfinite(p) ? ps : "none (no difference)");
	if (kern_signed_rank_min_p((size_t)n) >= alpha)
		textf(li, " (at %.0f rounds the signed-rank test cannot reach "
			  "p < %g: %d rounds at least)", n, alpha,
		      (int)ceil(log2(2 / alpha) + 1e-9));
	else if (isfinite(p) && p < alpha &&
		 pair_verdict(R, view, wl, dir, a, b) == 0)
		text(li, ": the rounds show a difference the unpaired tests do "
			 "not confirm (this p is one comparison's, not adjusted "
			 "for the cell's other pairs as the verdicts are; more "
			 "rounds would settle it)");
	text(li, ".");
}

/* The margin to the next: how much better A is than B, a configuration
 * A is proven better than (the first outside the winner or the tied set),
 * from their pairs.csv row of VIEW (the ratio of means or scores on the
 * analysis scale and its Fieller interval, turned to read "N times
 * faster"), as the terminal says it.  IS, BETTER, OF word it: "is",
 * "faster", "means" for a cell. */
static void margin_text(const struct report *R, xmlNodePtr p, const char *view,
			const char *wl, const char *dir, const char *a,
			const char *b, int tie, const char *is,
			const char *better, const char *of)
{
	int sign;
	long r = pair_row(R, view, wl, dir, a, b, &sign);
	double ratio, lo, hi;

	if (r < 0)
		return;
	ratio = num_of(csvtab_get(&R->pairs, (size_t)r, csvtab_col(&R->pairs, "ratio")));
	lo = num_of(csvtab_get(&R->pairs, (size_t)r, csvtab_col(&R->pairs, "ratio_ci_lo")));
	hi = num_of(csvtab_get(&R->pairs, (size_t)r, csvtab_col(&R->pairs, "ratio_ci_hi")));
	if (sign > 0) /* the row's ratio is a / b: read it b / a */
		invert_ratio(&ratio, &lo, &hi);
	if (!isfinite(ratio) || !isfinite(lo) || !isfinite(hi) || lo <= 0)
		return;
	textf(p, " Margin: %s %s %.3gx [%.3g, %.3g] %s than the next%s, %s "
		 "(the ratio of %s and its %s%% interval).",
	      a, is, ratio, lo, hi, better, tie ? " outside the tie" : "", b,
	      of, R->confidence);
}

static void cell_winners(const struct report *R, xmlNodePtr ul,
			 const char *view, const char *what)
{
	/* cells of the view in file order: rows of one cell are contiguous
	 * and in rank order, the eligible ones first */
	for (size_t i = 0; i < R->ranks.nrows;) {
		size_t j = i, ke = 0, first = i;
		const struct metric *mt;
		const char *wl, *dir;
		xmlNodePtr li;
		char t1[48], t2[80], t4[32];

		if (!is_view(R, i, view)) {
			i++;
			continue;
		}
		wl = csvtab_get(&R->ranks, i, R->r_wl);
		dir = csvtab_get(&R->ranks, i, R->r_dir);
		while (j < R->ranks.nrows && is_view(R, j, view) &&
		       strcmp(csvtab_get(&R->ranks, j, R->r_wl), wl) == 0 &&
		       strcmp(csvtab_get(&R->ranks, j, R->r_dir), dir) == 0) {
			ke += row_eligible(R, j);
			j++;
		}
		mt = row_metric(R, first);
		li = add(ul, "li", NULL);
		addf(li, "strong", "%s, %s%s", wl, dir, what);
		textf(li, " (by %s, %s is better): ", mt->noun,
		      mt->higher ? "higher" : "lower");
		metric_format_ci(t1, sizeof t1, t2, sizeof t2, mt->unit,
				 num_of(csvtab_get(&R->ranks, first, R->r_mean)),
				 num_of(csvtab_get(&R->ranks, first, R->r_cilo)),
				 num_of(csvtab_get(&R->ranks, first, R->r_cihi)));
		if (ke == 0) {
			text(li, "no configuration can be named fastest: every "
				 "one has failed operations.");
		} else if (ke == 1 ||
			   strcmp(csvtab_get(&R->ranks, first, R->r_hi), "1") == 0) {
			/* its rank interval is 1..1: it beats every other
			 * eligible one */
			cls(add(li, "span", csvtab_get(&R->ranks, first, R->r_name)),
			    "winner");
			char ci[128];

			if (*t2)
				snprintf(ci, sizeof ci, " (%s%% CI %s)",
					 R->confidence, t2);
			else
				snprintf(ci, sizeof ci, " (one repetition: no "
							"interval)");
			if (j - i == 1)
				textf(li, " is the only configuration measured: "
					  "mean %s%s.",
				      t1, ci);
			else if (ke == 1)
				textf(li, " is the fastest, as the only "
					  "configuration without failed "
					  "operations: mean %s%s.",
				      t1, ci);
			else
			{
				char others[48];

				if (ke == 2)
					snprintf(others, sizeof others, "the other one");
				else
					snprintf(others, sizeof others,
						 "each of the %zu others", ke - 1);
				textf(li, " is the fastest: mean %s%s, proven "
					  "faster than %s; fastest in %s%% of "
					  "bootstrap resamples.",
				      t1, ci, others,
				      percent(t4, sizeof t4,
					      csvtab_get(&R->ranks, first, R->r_p1)));
				for (size_t k = first + 1; k < j; k++)
					if (row_eligible(R, k)) {
						margin_text(R, li, view, wl, dir, csvtab_get(&R->ranks, first, R->r_name),
							    csvtab_get(&R->ranks, k, R->r_name), 0, "is",
							    mt->higher ? "higher" : "faster", "means");
						break;
					}
				normality_note(R, li, view, wl, dir);
			}
		} else {
			/* the best mean, and every configuration it is not
			 * proven faster than */
			xmlNodePtr sp = add(li, "span", NULL);
			const char *top = csvtab_get(&R->ranks, first, R->r_name);
			size_t tied[CHART_MAX_CATS], nt = 0;

			cls(sp, "tie");
			tied[nt++] = first;
			for (size_t k = first + 1; k < j && nt < CHART_MAX_CATS; k++) {
				int v;

				if (!row_eligible(R, k))
					continue;
				v = pair_verdict(R, view, wl, dir, top,
						 csvtab_get(&R->ranks, k, R->r_name));
				if (v == 0 || (v == -2 && strcmp(csvtab_get(&R->ranks, k,
									    R->r_lo),
								 "1") == 0))
					tied[nt++] = k;
			}
			size_t ne = 0;
			char why[256], mg[16];

			for (size_t k = 0; k < nt; k++) {
				if (k)
					text(sp, k + 1 == nt ? " and " : ", ");
				text(sp, csvtab_get(&R->ranks, tied[k], R->r_name));
				ne += k && pair_equal(R, view, wl, dir, top,
						      csvtab_get(&R->ranks, tied[k], R->r_name));
			}
			snprintf(mg, sizeof mg, "%g%%", 100 * rank_margin(R));
			cell_power_text(R, first, why, sizeof why);
			if (ne == nt - 1) {
				textf(li, " are equal within %s: the equivalence "
					  "test puts %s within %s of %s, which has "
					  "the best mean, %s.",
				      mg, nt == 2 ? "the other" : "each of the others",
				      mg, top, t1);
			} else if (ne) {
				textf(li, " are tied: %s has the best mean, %s, but "
					  "is not proven faster than the others "
					  "named; ",
				      top, t1);
				for (size_t k = 1, n = 0; k < nt; k++)
					if (pair_equal(R, view, wl, dir, top,
						       csvtab_get(&R->ranks, tied[k], R->r_name)))
						textf(li, "%s%s", n++ ? " and " : "",
						      csvtab_get(&R->ranks, tied[k], R->r_name));
				textf(li, " %s equal to it within %s, the others "
					  "cannot be told apart from it: %s.",
				      ne == 1 ? "is" : "are", mg, why);
			} else {
				textf(li, " cannot be told apart: %s has the best "
					  "mean, %s, but is not proven faster than "
					  "%s; %s.",
				      top, t1,
				      nt == 2 ? "the other" : "the others named", why);
			}
			/* the first eligible configuration the tie leaves out */
			for (size_t k = first + 1; k < j; k++) {
				int in = 0;

				for (size_t q = 0; q < nt; q++)
					in |= tied[q] == k;
				if (row_eligible(R, k) && !in) {
					margin_text(R, li, view, wl, dir, top,
						    csvtab_get(&R->ranks, k, R->r_name), 1, "is",
						    mt->higher ? "higher" : "faster", "means");
					break;
				}
			}
			normality_note(R, li, view, wl, dir);
		}
		{
			size_t n = 0;
			char a[16];

			for (size_t k = i; k < j; k++) {
				if (!row_eligible(R, k) ||
				    !*failed_share(a, sizeof a, R, k))
					continue;
				textf(li, "%s%s (%s failed)", n++ ? "; " :
					  " With failed operations, allowed by "
					  "--max-failed: ",
				      csvtab_get(&R->ranks, k, R->r_name), a);
			}
			if (n)
				text(li, ".");
		}
		if (ke >= 2)
			paired_text(R, li, view, wl, dir, i, j);
		excluded_list(R, li, i, j, " Not eligible (failed operations): ");
		i = j;
	}
}

/* "Since the last run": changes.csv in words, when the run found an
 * earlier one in its folder. */
static void section_changes(const struct report *R, xmlNodePtr div)
{
	const struct csvtab *t = &R->changes;
	long k = csvtab_col(t, "kind"), w = csvtab_col(t, "workload");
	long d = csvtab_col(t, "direction"), c = csvtab_col(t, "configuration");
	long b = csvtab_col(t, "before"), a = csvtab_col(t, "after");
	long n = csvtab_col(t, "note");
	xmlNodePtr ul;

	if (!R->has_changes)
		return;
	add(div, "h3", "Since the last run");
	if (t->nrows == 0) {
		add(div, "p", "Nothing changed: the same cells, configurations, "
			      "repetitions and verdicts as the run before "
			      "(its files are in previous/).");
		return;
	}
	addf(div, "p", "%zu change%s against the run before in this folder "
		       "(its files are in previous/; changes.csv lists them):",
	     t->nrows, t->nrows == 1 ? "" : "s");
	ul = add(div, "ul", NULL);
	cls(ul, "changes");
	for (size_t i = 0; i < t->nrows; i++) {
		const char *kind = csvtab_get(t, i, k), *wl = csvtab_get(t, i, w);
		const char *dir = csvtab_get(t, i, d), *cf = csvtab_get(t, i, c);
		const char *bf = csvtab_get(t, i, b), *af = csvtab_get(t, i, a);
		const char *note = csvtab_get(t, i, n);

		if (strcmp(kind, "cell-added") == 0)
			addf(ul, "li", "New cell: %s, %s.", wl, dir);
		else if (strcmp(kind, "cell-removed") == 0)
			addf(ul, "li", "Cell no longer measured: %s, %s.", wl, dir);
		else if (strcmp(kind, "config-added") == 0)
			addf(ul, "li", "%s, %s: new configuration %s (%s "
				       "repetitions).", wl, dir, cf, af);
		else if (strcmp(kind, "config-removed") == 0)
			addf(ul, "li", "%s, %s: configuration %s is gone (it had "
				       "%s repetitions).", wl, dir, cf, bf);
		else if (strcmp(kind, "reps") == 0)
			addf(ul, "li", "%s, %s: %s: %s repetitions, %s before.",
			     wl, dir, cf, af, bf);
		else if (strcmp(kind, "eligible") == 0)
			addf(ul, "li", "%s, %s: %s: %s.", wl, dir, cf, note);
		else if (strcmp(kind, "rank") == 0)
			addf(ul, "li", "%s, %s: %s: rank interval %s, %s before "
				       "(%s).", wl, dir, cf, af, bf, note);
		else if (strcmp(kind, "fastest") == 0)
			addf(ul, "li", "%s, %s: %s: fastest now %s (was %s).",
			     wl, dir, note, *af ? af : "none", *bf ? bf : "none");
		else if (strcmp(kind, "score-winner") == 0)
			addf(ul, "li", "Weighted score (%s): %s: now %s (was %s).",
			     wl, note, *af ? af : "none", *bf ? bf : "none");
		else
			addf(ul, "li", "%s %s %s %s: %s -> %s.", kind, wl, dir, cf,
			     bf, af);
	}
}

void section_answer(const struct report *R, xmlNodePtr div)
{
	xmlNodePtr ul;

	add(div, "h2", "The answer");
	add(div, "p", "Fastest configuration for each workload and direction, "
		      "decided by tests on the repetitions: a configuration is "
		      "named alone only when it is proven faster than every "
		      "other one. A configuration with failed operations is "
		      "never named (unless rank --max-failed allows its "
		      "share); it is listed after the others with its share.");
	ul = add(div, "ul", NULL);
	cls(ul, "answer");
	cell_winners(R, ul, "internal", "");
	cell_winners(R, ul, "external", "");
	if (R->scores.nrows) {
		long sc = csvtab_col(&R->scores, "scope");
		long nm = csvtab_col(&R->scores, "name");
		long lo = csvtab_col(&R->scores, "rank_lo");
		long hi = csvtab_col(&R->scores, "rank_hi");
		long el = csvtab_col(&R->scores, "eligible");
		long wt = csvtab_col(&R->scores, "weights");
		xmlNodePtr p = add(div, "p", NULL);
		size_t n1 = 0, ne = 0, neq = 0;
		int sole = 0;
		const char *first = NULL;

		add(p, "strong", "For your mix of internal and external traffic: ");
		for (size_t i = 0; i < R->scores.nrows; i++) {
			if (strcmp(csvtab_get(&R->scores, i, sc), "overall") != 0 ||
			    strcmp(csvtab_get(&R->scores, i, el), "no") == 0)
				continue;
			ne++;
			if (strcmp(csvtab_get(&R->scores, i, lo), "1") != 0)
				continue;
			sole |= strcmp(csvtab_get(&R->scores, i, hi), "1") == 0;
			if (!first)
				first = csvtab_get(&R->scores, i, nm);
			else
				neq += pair_equal(R, "scores", "overall", "", first,
						  csvtab_get(&R->scores, i, nm));
			if (n1)
				text(p, " and ");
			add(p, "span", csvtab_get(&R->scores, i, nm));
			n1++;
		}
		/* every name the same way: all winners, or all tied */
		for (xmlNodePtr c = p->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE &&
			    strcmp((const char *)c->name, "span") == 0)
				cls(c, sole || ne == 1 ? "winner" : "tie");
		if (ne == 0)
			text(p, "no configuration can win: every one has failed "
				"operations or a mean of 0 in some cell.");
		else if (sole || ne == 1)
			text(p, ne == 1 ? " has the best weighted score, as the "
					  "only configuration without failed "
					  "operations."
					: " has the best weighted score.");
		else if (n1 > 1 && neq == n1 - 1)
			textf(p, " are equal within %g%% at the top of the "
				 "weighted score (the equivalence test puts each "
				 "within it of %s).",
			      100 * rank_margin(R), first);
		else if (n1 > 1)
			text(p, " cannot be told apart at the top of the "
				"weighted score: the tests can neither order "
				"them nor show them equal.");
		else
			text(p, " has the best weighted score by its point "
				"estimate, but is not proven better than every "
				"other one (see its rank interval below).");
		/* the margin to the best eligible configuration the first one
		 * is proven better than (pairs.csv, view scores): outside the
		 * top set, read "N times better" */
		for (size_t i = 0; first && i < R->scores.nrows; i++) {
			const char *nx = csvtab_get(&R->scores, i, nm);

			if (strcmp(csvtab_get(&R->scores, i, sc), "overall") != 0 ||
			    strcmp(csvtab_get(&R->scores, i, el), "no") == 0 ||
			    pair_verdict(R, "scores", "overall", "", first, nx) != 1)
				continue;
			margin_text(R, p, "scores", "overall", "", first, nx,
				    !(sole || ne == 1), "scores", "better",
				    "the scores");
			break;
		}
		addf(div, "p", "Weights: %s", csvtab_get(&R->scores, 0, wt));
	}
	section_changes(R, div);
}

/* The cell of ranks.csv rows [I, J): how many of its repetitions MSER-5
 * found no steady state in, appended to PARA. */
void cell_steady_text(const struct report *R, xmlNodePtr para, size_t i,
			     size_t j)
{
	const struct csvtab *S = &R->summary;
	long cu = csvtab_col(S, "reps_unsteady"), cn = csvtab_col(S, "reps_steady_na"),
	     cr = csvtab_col(S, "reps");
	long unsteady = 0, na = 0, reps = 0;

	if (cu < 0 || cn < 0 || cr < 0)
		return;
	for (size_t k = i; k < j; k++) {
		long s = summary_row(R, k);

		if (s < 0)
			continue;
		unsteady += strtol(csvtab_get(S, (size_t)s, cu), NULL, 10);
		na += strtol(csvtab_get(S, (size_t)s, cn), NULL, 10);
		reps += strtol(csvtab_get(S, (size_t)s, cr), NULL, 10);
	}
	if (reps == 0)
		return;
	if (na == reps) {
		textf(para, " Steady state (MSER-5): not judged, every repetition "
			    "has fewer than 10 successful operations.");
		return;
	}
	textf(para, " Steady state (MSER-5): %ld of %ld repetitions have none "
		    "(their times still drift at the end)",
	      unsteady, reps);
	if (na)
		textf(para, "; %ld %s too short to judge", na,
		      na == 1 ? "is" : "are");
	text(para, strcmp(R->data, "all") == 0
			   ? "; every operation is counted."
			   : "; those keep every operation, the others lose "
			     "their warm-up.");
}
