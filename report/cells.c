/* The report's cells, weighted scores and methodology: per cell every
 * configuration's figures, the sensitivity, how the data were taken. */
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

/* The cell of ranks.csv rows [I, J): the configurations whose
 * repetitions trend with time order (summary.csv's drift), appended to
 * PARA; nothing when no group could be tested. */
static void cell_drift_text(const struct report *R, xmlNodePtr para, size_t i,
			    size_t j)
{
	const struct csvtab *S = &R->summary;
	long cd = csvtab_col(S, "drift"), ct = csvtab_col(S, "drift_tau"),
	     cp = csvtab_col(S, "drift_p");
	size_t tested = 0, flagged = 0;

	if (cd < 0 || ct < 0 || cp < 0)
		return;
	for (size_t k = i; k < j; k++) {
		long s = summary_row(R, k);

		if (s >= 0 && *csvtab_get(S, (size_t)s, cd))
			tested++;
	}
	if (!tested)
		return;
	for (size_t k = i; k < j; k++) {
		long s = summary_row(R, k);

		if (s < 0 || strcmp(csvtab_get(S, (size_t)s, cd), "yes") != 0)
			continue;
		textf(para, "%s %s (tau %.2g, p %.2g)",
		      flagged++ ? "," : " Drift over time (Kendall's tau of a "
					"configuration's repetitions against their "
					"order, p < 0.05; at that level about one "
					"group in 20 is flagged by chance):",
		      csvtab_get(&R->ranks, k, R->r_name),
		      num_of(csvtab_get(S, (size_t)s, ct)),
		      num_of(csvtab_get(S, (size_t)s, cp)));
	}
	if (flagged)
		text(para, ".");
	else
		textf(para, " No configuration's repetitions trend with their "
			    "order in time (Kendall, p < 0.05, %zu tested).",
		      tested);
}

/* Were the statistics computed from repetition rows (stats REPS.csv),
 * without the operations? */
static int from_rows(const struct report *R)
{
	long oq = csvtab_col(&R->summary, "op_quantiles");

	return oq >= 0 && R->summary.nrows > 0 &&
	       strncmp(csvtab_get(&R->summary, 0, oq), "none", 4) == 0;
}

void section_cells(struct report *R, xmlNodePtr div)
{
	const struct csvtab *S = &R->summary;
	long s_median = csvtab_col(S, "median"), s_mlo = csvtab_col(S, "median_ci_lo"),
	     s_mhi = csvtab_col(S, "median_ci_hi"), s_p99 = csvtab_col(S, "op_p99"),
	     s_cv = csvtab_col(S, "cv"), s_mild = csvtab_col(S, "mild_outliers"),
	     s_sev = csvtab_col(S, "severe_outliers"),
	     s_warm = csvtab_col(S, "warmup_ops"), s_steady = csvtab_col(S, "steady");
	static const char *const heads[] = {
		"Rank", "Configuration", "Repetitions", "Mean", "Median",
		"p99 of operations", "CV", "Outliers (mild/severe)",
		"Warm-up operations", "Failed operations",
		"P(fastest) % (bootstrap, descriptive)", NULL,
	};

	xmlNodePtr table = NULL;
	const char *last_wl = NULL;

	add(div, "h2", "Every cell");
	{
		long oq = csvtab_col(S, "op_quantiles");
		size_t napprox = 0;

		for (size_t r = 0; oq >= 0 && r < S->nrows; r++)
			napprox += strncmp(csvtab_get(S, r, oq), "histogram", 9) == 0;
		addf(div, "p", "Per configuration, the figure each workload is "
			       "ranked by (named above each table) over its "
			       "repetitions; intervals at %s%%; rank intervals "
			       "in parentheses. Operation figures (p99) are of "
			       "the successful operations only%s",
		     R->confidence,
		     from_rows(R) ? "; these statistics were computed from "
			     "repetition rows (stats REPS.csv: another "
			     "engine's, or a reps.csv), without the "
			     "operations, so the operation-level figures (p99 "
			     "of the operations, histograms, warm-up and lag-1 "
			     "checks) are not known and show as -."
		     : napprox ? ", and in the groups of the most operations "
				 "(summary.csv's op_quantiles says which) they "
				 "come from a log-linear histogram of the "
				 "durations, within 1/512 (0.2%) of the exact "
				 "value (stats --exact-ops)."
			       : ".");
	}
	for (size_t i = 0; i < R->ranks.nrows; i++) {
		xmlNodePtr tr;
		long s;
		char a[32];
		enum metric_unit u;
		int new_cell = !(i > 0 && strcmp(csvtab_get(&R->ranks, i, R->r_view),
						 csvtab_get(&R->ranks, i - 1, R->r_view)) == 0 &&
				 strcmp(csvtab_get(&R->ranks, i, R->r_wl),
					csvtab_get(&R->ranks, i - 1, R->r_wl)) == 0 &&
				 strcmp(csvtab_get(&R->ranks, i, R->r_dir),
					csvtab_get(&R->ranks, i - 1, R->r_dir)) == 0);

		if (!is_view(R, i, "internal") && !is_view(R, i, "external"))
			continue;
		if (new_cell) {
			/* each workload opens with its means chart */
			if (!last_wl || strcmp(last_wl, csvtab_get(&R->ranks, i, R->r_wl)) != 0) {
				last_wl = csvtab_get(&R->ranks, i, R->r_wl);
				chart_means(R, div, last_wl);
				/* the distributions of each by-value's best
				 * configuration (by its internal rank) */
				{
					size_t hr[CHART_MAX_HISTS], nh = 0, all = 0;

					for (size_t k = 0; k < R->ranks.nrows; k++)
						if (strncmp(csvtab_get(&R->ranks, k, R->r_view), "by-", 3) == 0 &&
						    strcmp(csvtab_get(&R->ranks, k, R->r_wl), last_wl) == 0 &&
						    strcmp(csvtab_get(&R->ranks, k, R->r_dir), "internal") == 0) {
							if (nh < CHART_MAX_HISTS)
								hr[nh++] = k;
							all++;
						}
					charts_hist(R, div, hr, nh);
					left_out_caption(div, nh, all, "distributions",
							 "the best by internal rank");
				}
			}
			{
				xmlNodePtr h = addf(div, "h3", "%s, %s",
						    csvtab_get(&R->ranks, i, R->r_wl),
						    csvtab_get(&R->ranks, i, R->r_dir));
				char id[32];

				/* an anchor of our own making: names from
				 * logs are data, never ids */
				if (R->ncellids < 512) {
					snprintf(id, sizeof id, "cell-%zu", R->ncellids + 1);
					xmlNewProp(h, BAD_CAST "id", BAD_CAST id);
					snprintf(R->cellids[R->ncellids++], sizeof R->cellids[0],
						 "%.60s, %.30s", csvtab_get(&R->ranks, i, R->r_wl),
						 csvtab_get(&R->ranks, i, R->r_dir));
				}
			}
			{
				const struct metric *mt = row_metric(R, i);

				addf(div, "p", "Ranked by %s (%s): the %s, %s "
					       "is better%s.",
				     mt->noun, csvtab_get(&R->ranks, i, R->r_mnote),
				     mt->what, mt->higher ? "higher" : "lower",
				     mt->higher ? "; means of rates are "
						  "harmonic means, and the "
						  "tests compare their "
						  "reciprocals (time per unit)"
						: "");
			}
			{
				/* what its repetitions could show, and whether
				 * its verdicts rest on normality */
				char why[256];
				xmlNodePtr para;

				cell_power_text(R, i, why, sizeof why);
				why[0] = (char)(why[0] == 'w' ? 'W' : why[0]);
				para = addf(div, "p", "%s (80%% power for the "
						      "difference between two "
						      "configurations; see Methodology).",
					    why);
				normality_note(R, para, csvtab_get(&R->ranks, i, R->r_view),
					       csvtab_get(&R->ranks, i, R->r_wl),
					       csvtab_get(&R->ranks, i, R->r_dir));
				{
					size_t j = i + 1;

					while (j < R->ranks.nrows &&
					       strcmp(csvtab_get(&R->ranks, j, R->r_view),
						      csvtab_get(&R->ranks, i, R->r_view)) == 0 &&
					       strcmp(csvtab_get(&R->ranks, j, R->r_wl),
						      csvtab_get(&R->ranks, i, R->r_wl)) == 0 &&
					       strcmp(csvtab_get(&R->ranks, j, R->r_dir),
						      csvtab_get(&R->ranks, i, R->r_dir)) == 0)
						j++;
					cell_steady_text(R, para, i, j);
					cell_drift_text(R, para, i, j);
				}
			}
			chart_factors(R, div, csvtab_get(&R->ranks, i, R->r_wl),
				      csvtab_get(&R->ranks, i, R->r_dir));
			chart_ranks(R, div, csvtab_get(&R->ranks, i, R->r_wl),
				    csvtab_get(&R->ranks, i, R->r_dir));
			table = add(div, "table", NULL);
			cls(table, "cell");
			tr = add(table, "tr", NULL);
			for (size_t h = 0; heads[h]; h++)
				add(tr, "th", heads[h]);
		}
		s = summary_row(R, i);
		u = row_metric(R, i)->unit;
		tr = add(table, "tr", NULL);
		if (!row_eligible(R, i))
			cls(tr, "excluded");
		addf(tr, "td", "%s (%s\xE2\x80\x93%s)",
		     csvtab_get(&R->ranks, i, R->r_shared),
		     csvtab_get(&R->ranks, i, R->r_lo),
		     csvtab_get(&R->ranks, i, R->r_hi));
		add(tr, "td", csvtab_get(&R->ranks, i, R->r_name));
		cls(add(tr, "td", csvtab_get(&R->ranks, i, R->r_n)), "num");
		val_cell(tr, u, csvtab_get(&R->ranks, i, R->r_mean),
			 csvtab_get(&R->ranks, i, R->r_cilo),
			 csvtab_get(&R->ranks, i, R->r_cihi));
		val_cell(tr, u, s >= 0 ? csvtab_get(S, (size_t)s, s_median) : "",
			 s >= 0 ? csvtab_get(S, (size_t)s, s_mlo) : "",
			 s >= 0 ? csvtab_get(S, (size_t)s, s_mhi) : "");
		cls(add(tr, "td", s >= 0 ? fmt_val(a, sizeof a, UNIT_TIME,
						   csvtab_get(S, (size_t)s, s_p99))
					 : "-"),
		    "num");
		cls(add(tr, "td", s >= 0 ? fmt_num(a, sizeof a,
						   csvtab_get(S, (size_t)s, s_cv), 3)
					 : "-"),
		    "num");
		cls(addf(tr, "td", "%s/%s", s >= 0 ? csvtab_get(S, (size_t)s, s_mild) : "-",
			 s >= 0 ? csvtab_get(S, (size_t)s, s_sev) : "-"),
		    "num");
		cls(addf(tr, "td", "%s (steady: %s)",
			 s >= 0 ? csvtab_get(S, (size_t)s, s_warm) : "-",
			 s >= 0 ? csvtab_get(S, (size_t)s, s_steady) : "-"),
		    "num");
		{
			char f[16];

			if (*failed_share(f, sizeof f, R, i))
				cls(addf(tr, "td", "%s of %s (%s)%s",
					 csvtab_get(&R->ranks, i, R->r_failed),
					 csvtab_get(&R->ranks, i, R->r_nops), f,
					 row_eligible(R, i) ? ", allowed" : ""),
				    "num");
			else
				cls(add(tr, "td", "0"), "num");
		}
		cls(add(tr, "td", percent(a, sizeof a,
					  csvtab_get(&R->ranks, i, R->r_p1))),
		    "num");
	}
}

void section_sensitivity(struct report *R, xmlNodePtr div)
{
	const struct csvtab *W = &R->sens, *S = &R->scores;
	long sc = csvtab_col(W, "scope"), kind = csvtab_col(W, "kind"),
	     plo = csvtab_col(W, "p_lo"), phi = csvtab_col(W, "p_hi"),
	     a = csvtab_col(W, "a"), b = csvtab_col(W, "b"),
	     det = csvtab_col(W, "detail"), ts = csvtab_col(W, "tested");
	xmlNodePtr ul;

	add(div, "h2", "Weighted scores and where the winner changes");
	if (!S->nrows) {
		add(div, "p", "No weighted scores (every workload needs "
			      "internal and external data).");
		return;
	}
	{
		long ssc = csvtab_col(S, "scope"), nm = csvtab_col(S, "name"),
		     score = csvtab_col(S, "score"), lo = csvtab_col(S, "ci_lo"),
		     hi = csvtab_col(S, "ci_hi"), sh = csvtab_col(S, "shared"),
		     rlo = csvtab_col(S, "rank_lo"), rhi = csvtab_col(S, "rank_hi"),
		     kd = csvtab_col(S, "kind"), ref = csvtab_col(S, "reference");
		xmlNodePtr table = NULL, tr;
		char t1[32], t2[32], t3[32];

		for (size_t i = 0; i < S->nrows; i++) {
			if (strcmp(csvtab_get(S, i, ssc), "overall") != 0)
				continue;
			if (!table) {
				snprintf(t1, sizeof t1, "%g", 100 * (1 - rank_num(R, 0, "alpha")));
				addf(div, "p", "Overall score: %s (reference: %s). "
					       "Each interval is at %s%% for that "
					       "score alone; ranks come from the "
					       "pairwise tests, Holm-adjusted, so "
					       "an interval that leaves out 1 can "
					       "still share a rank with the "
					       "reference.",
				     csvtab_get(S, i, kd), csvtab_get(S, i, ref),
				     t1);
				table = add(div, "table", NULL);
				tr = add(table, "tr", NULL);
				add(tr, "th", "Rank");
				add(tr, "th", "Configuration");
				add(tr, "th", "Score (interval)");
			}
			tr = add(table, "tr", NULL);
			addf(tr, "td", "%s (%s-%s)", csvtab_get(S, i, sh),
			     csvtab_get(S, i, rlo), csvtab_get(S, i, rhi));
			if (strcmp(csvtab_get(S, i, csvtab_col(S, "eligible")), "no") == 0) {
				cls(tr, "excluded");
				long wy = csvtab_col(S, "why");

				addf(tr, "td", "%s (%s: may not win)",
				     csvtab_get(S, i, nm),
				     wy >= 0 && *csvtab_get(S, i, wy)
					     ? csvtab_get(S, i, wy)
					     : "failed operations in some cell");
			} else {
				add(tr, "td", csvtab_get(S, i, nm));
			}
			cls(addf(tr, "td", "%s (%s to %s)",
				 fmt_num(t1, sizeof t1, csvtab_get(S, i, score), 4),
				 fmt_num(t2, sizeof t2, csvtab_get(S, i, lo), 4),
				 fmt_num(t3, sizeof t3, csvtab_get(S, i, hi), 4)),
			    "num");
		}
	}
	add(div, "h3", "How the ranking moves with the internal share");
	add(div, "p", "Among the configurations that may win (no failed "
		      "operations beyond what --max-failed allows). At a "
		      "share, a configuration is named best alone only when "
		      "the score test says it beats every other one; \"A = "
		      "B\" means the test cannot tell them apart. Where the "
		      "leader changes is a statement about point estimates.");
	ul = add(div, "ul", NULL);
	for (size_t i = 0; i < W->nrows; i++) {
		size_t cross = 0, nint = 0;
		const char *scope = csvtab_get(W, i, sc), *top = csvtab_get(W, i, ts);
		int alone = *top && !strstr(top, " = ");
		char t1[32], t2[32];
		xmlNodePtr li;

		if (strcmp(csvtab_get(W, i, kind), "winner") != 0)
			continue;
		for (size_t k = 0; k < W->nrows; k++) {
			if (strcmp(csvtab_get(W, k, sc), scope) != 0)
				continue;
			cross += strcmp(csvtab_get(W, k, kind), "crossover") == 0;
			nint += strcmp(csvtab_get(W, k, kind), "interval") == 0;
		}
		li = add(ul, "li", NULL);
		add(li, "strong", scope);
		if (strcmp(scope, "overall") == 0)
			text(li, ", at the weights' share of each workload: ");
		else
			textf(li, ", at your internal share of %s: ",
			      fmt_num(t1, sizeof t1, csvtab_get(W, i, plo), 3));
		cls(add(li, "span", top), alone ? "winner" : "tie");
		text(li, alone ? " is best, proven by the score test."
			       : " cannot be told apart by the score test.");
		if (strcmp(scope, "overall") == 0)
			textf(li, " Swept with one common share for every "
				  "workload, the point estimates cross %zu "
				  "times in [0, 1].",
			      cross);
		else if (*csvtab_get(W, i, b))
			textf(li, " The point estimates change leader at %s (a "
				  "change of %s), where %s's becomes the lowest; "
				  "%zu crossovers in [0, 1].",
			      fmt_num(t2, sizeof t2, csvtab_get(W, i, phi), 4),
			      csvtab_get(W, i, det), csvtab_get(W, i, b), cross);
		else
			textf(li, " No share in [0, 1] changes the leader of the "
				  "point estimates (%s); %zu crossovers.",
			      csvtab_get(W, i, a), cross);
		if (nint > 1 && nint <= 8) {
			/* what the test says over each leader's stretch */
			xmlNodePtr sub = add(li, "ul", NULL);

			for (size_t k = 0; k < W->nrows; k++)
				if (strcmp(csvtab_get(W, k, sc), scope) == 0 &&
				    strcmp(csvtab_get(W, k, kind), "interval") == 0)
					addf(sub, "li", "shares %s to %s: %s",
					     fmt_num(t1, sizeof t1, csvtab_get(W, k, plo), 3),
					     fmt_num(t2, sizeof t2, csvtab_get(W, k, phi), 3),
					     csvtab_get(W, k, ts));
		}
	}
	for (size_t i = 0; i < W->nrows; i++)
		if (strcmp(csvtab_get(W, i, kind), "winner") == 0 &&
		    strcmp(csvtab_get(W, i, sc), "overall") != 0)
			chart_lines(R, div, csvtab_get(W, i, sc));
}

struct stamp {
	int64_t start;
	size_t row; /* reps.csv row, to tell the configurations apart */
};

static int stamp_cmp(const void *a, const void *b)
{
	const struct stamp *x = a, *y = b;

	/* equal stamps in file order, so the count never depends on qsort */
	if (x->start != y->start)
		return (x->start > y->start) - (x->start < y->start);
	return (x->row > y->row) - (x->row < y->row);
}

/* Rows I and J of reps.csv by configuration: their label columns (those
 * before `file`) in order; 0 when one configuration. */
static int rep_config_cmp(const struct csvtab *T, long c_file, size_t i, size_t j)
{
	for (long c = 0; c < c_file; c++) {
		int d = strcmp(csvtab_get(T, i, c), csvtab_get(T, j, c));

		if (d)
			return d;
	}
	return 0;
}

/* qsort's context for stamp_config_cmp (the report is one thread) */
static const struct csvtab *stamp_T;
static long stamp_cfile;

static int stamp_config_cmp(const void *a, const void *b)
{
	return rep_config_cmp(stamp_T, stamp_cfile, ((const struct stamp *)a)->row,
			      ((const struct stamp *)b)->row);
}

/* How the logs that do not say were scheduled, read from reps.csv's
 * start_us: per cell (workload x direction with two or more
 * configurations, every repetition stamped), the repetitions in time
 * order fall in runs of one configuration; as many runs as
 * configurations is blocked (each measured in one block), more is
 * interleaved.  Counts the cells of each kind; 0 when some cell is
 * told. */
static int design_from_stamps(const struct report *R, size_t *blocked,
			      size_t *inter, size_t *runs, size_t *reps)
{
	const struct csvtab *T = &R->reps;
	long c_file = csvtab_col(T, "file"), c_start = csvtab_col(T, "start_us"),
	     c_wl = csvtab_col(T, "workload"), c_dir = csvtab_col(T, "direction"),
	     c_data = csvtab_col(T, "data");
	struct stamp *st;
	char *seen;

	*blocked = *inter = *runs = *reps = 0;
	if (c_file < 0 || c_start < 0 || c_wl < 0 || c_dir < 0 || !T->nrows)
		return -1;
	st = malloc(T->nrows * sizeof *st);
	seen = calloc(T->nrows, 1);
	if (!st || !seen) {
		free(st);
		free(seen);
		return -1;
	}
	for (size_t i = 0; i < T->nrows; i++) {
		size_t n = 0, configs = 0, r = 1;
		int unstamped = 0;

		if (seen[i])
			continue;
		for (size_t j = i; j < T->nrows; j++) {
			const char *v;
			char *end;

			if (seen[j] || strcmp(csvtab_get(T, i, c_wl), csvtab_get(T, j, c_wl)) ||
			    strcmp(csvtab_get(T, i, c_dir), csvtab_get(T, j, c_dir)) ||
			    (c_data >= 0 && strcmp(csvtab_get(T, i, c_data),
						   csvtab_get(T, j, c_data))))
				continue;
			seen[j] = 1;
			v = csvtab_get(T, j, c_start);
			st[n].start = strtoll(v, &end, 10);
			st[n].row = j;
			unstamped |= !*v || *end;
			n++;
		}
		if (unstamped || n < 2)
			continue;
		/* the configurations: distinct neighbours once sorted by them
		 * (n log n, not n^2: a cell may hold thousands) */
		stamp_T = T;
		stamp_cfile = c_file;
		qsort(st, n, sizeof *st, stamp_config_cmp);
		for (size_t k = 0; k < n; k++)
			configs += k == 0 || rep_config_cmp(T, c_file, st[k - 1].row, st[k].row);
		/* the runs of one configuration, in time order */
		qsort(st, n, sizeof *st, stamp_cmp);
		for (size_t k = 1; k < n; k++)
			r += rep_config_cmp(T, c_file, st[k - 1].row, st[k].row) != 0;
		if (configs < 2)
			continue;
		if (r == configs)
			(*blocked)++;
		else
			(*inter)++;
		*runs += r;
		*reps += n;
	}
	free(st);
	free(seen);
	return *blocked + *inter ? 0 : -1;
}

/* How the repetitions were scheduled, from the logs' header metadata
 * (inputs.csv's meta: vmnetrank measure writes meta.order), else from
 * their time stamps, and what that means for drift. */
static void design_text(const struct report *R, xmlNodePtr div)
{
	const struct csvtab *in = &R->inputs;
	size_t n[4] = { 0 }, total = 0;
	static const char *const order[] = { "meta.order=rmit", "meta.order=blocked",
					     "meta.order=random", NULL };

	if (!R->has_inputs) /* no inputs.csv (the stages run one by one): nothing says */
		n[3] = total = 1;
	for (size_t r = 0; r < in->nrows; r++) {
		const char *m = csvtab_get(in, r, csvtab_col(in, "meta"));
		int k = 3;

		for (int j = 0; order[j]; j++)
			if (strstr(m, order[j]))
				k = j;
		n[k]++;
		total++;
	}
	if (!total)
		return;
	if (n[0] == total)
		add(div, "p", "How the data were taken: by vmnetrank measure in "
			      "randomized interleaved order (RMIT): in each "
			      "round every configuration once, in a fresh "
			      "random order (the logs' meta.order, meta.round "
			      "and meta.position), so a slow change of the "
			      "machine spreads over every configuration instead "
			      "of favouring one, and a drift the check finds is "
			      "the configuration's own.");
	else if (n[1] == total)
		add(div, "p", "How the data were taken: by vmnetrank measure in "
			      "blocked order, all of a configuration's "
			      "repetitions together: a slow change of the "
			      "machine is confounded with the configuration (a "
			      "difference may be when it was measured, and the "
			      "drift check cannot tell the two apart); RMIT "
			      "order would separate them.");
	else if (n[2] == total)
		add(div, "p", "How the data were taken: by vmnetrank measure in "
			      "random order (every trial anywhere in the "
			      "schedule).");
	else if (n[3] == total) {
		size_t bl, in_, runs, reps;

		if (design_from_stamps(R, &bl, &in_, &runs, &reps) != 0)
			add(div, "p", "How the data were taken: the logs do not "
				      "say how their repetitions were scheduled "
				      "(they were not taken by vmnetrank measure), "
				      "and their time stamps cannot tell. If each "
				      "configuration was measured in one block, a "
				      "change of the machine during the "
				      "measurement is confounded with the "
				      "configuration.");
		else if (!in_)
			addf(div, "p", "How the data were taken, read from the "
				       "repetitions' time stamps (the logs do not "
				       "say): in blocked order: in each of the %zu "
				       "cells with two or more configurations, "
				       "each configuration's repetitions ran "
				       "together, one block after another. A slow "
				       "change of the machine is confounded with "
				       "the configuration (a difference may be "
				       "when it was measured, and the drift check "
				       "cannot tell the two apart); vmnetrank "
				       "measure in RMIT order would separate "
				       "them.", bl);
		else if (!bl)
			addf(div, "p", "How the data were taken, read from the "
				       "repetitions' time stamps (the logs do not "
				       "say): interleaved: in each of the %zu cells "
				       "with two or more configurations the "
				       "configurations alternate in time (%zu runs "
				       "of one configuration over %zu "
				       "repetitions), so a slow change of the "
				       "machine is spread over them; whether the "
				       "order was randomized the stamps cannot "
				       "tell.", in_, runs, reps);
		else
			addf(div, "p", "How the data were taken, read from the "
				       "repetitions' time stamps (the logs do not "
				       "say): a mix: %zu cells in blocked order "
				       "(each configuration's repetitions "
				       "together, so a slow change of the machine "
				       "is confounded with the configuration "
				       "there) and %zu interleaved.", bl, in_);
	}
	else
		addf(div, "p", "How the data were taken: a mix: %zu logs in RMIT "
			       "order, %zu blocked, %zu random, %zu that do not "
			       "say (not from vmnetrank measure).",
		     n[0], n[1], n[2], n[3]);
}

void section_methodology(const struct report *R, xmlNodePtr div)
{
	long al = csvtab_col(&R->ranks, "alpha"), bs = csvtab_col(&R->ranks, "bootstrap"),
	     sd = csvtab_col(&R->ranks, "seed");

	add(div, "h2", "Methodology");
	design_text(R, div);
	{
		/* what each workload was ranked by */
		xmlNodePtr p = add(div, "p", "What is ranked: ");

		for (size_t i = 0, n = 0; i < R->ranks.nrows; i++) {
			int seen = 0;

			if (!is_view(R, i, "internal") && !is_view(R, i, "external"))
				continue;
			for (size_t k = 0; k < i && !seen; k++)
				seen = (is_view(R, k, "internal") || is_view(R, k, "external")) &&
				       strcmp(csvtab_get(&R->ranks, k, R->r_wl),
					      csvtab_get(&R->ranks, i, R->r_wl)) == 0;
			if (seen)
				continue;
			textf(p, "%s%s by %s (%s)", n++ ? "; " : "",
			      csvtab_get(&R->ranks, i, R->r_wl),
			      row_metric(R, i)->noun,
			      csvtab_get(&R->ranks, i, R->r_mnote));
		}
		text(p, ". A repetition is one input file's repetition number: "
			"files with the same labels add repetitions and never "
			"merge. An operation succeeded when its status is "
			"empty, ok, true, success, 0 or an HTTP status from "
			"100 to 399 (or what --ok-status said); failed "
			"operations are counted and never timed, and a "
			"configuration with any (beyond rank --max-failed) is "
			"ranked after the others and never named fastest.");
	}
	addf(div, "p",
	     "The unit of analysis is the repetition (a whole file batch or "
	     "request series); operations inside a repetition are not treated "
	     "as independent. Intervals of the mean use Student's t at %s%%; "
	     "intervals of the median use exact binomial order statistics. "
	     "Data used: %s operations (MSER-5 warm-up is %s).",
	     R->confidence, R->data,
	     from_rows(R) ? "not known: the statistics were computed from "
			    "repetition rows, without the operations"
	     : strcmp(R->data, "all") == 0
		     ? "reported, not removed"
		     : "removed; summary.csv has the all-data figures too");
	addf(div, "p",
	     "Within each cell every pair of configurations is compared with "
	     "Welch's t test, Holm-adjusted over the cell at alpha = %s, with "
	     "Fieller's interval of the ratio of means and a Mann-Whitney test "
	     "beside it. A configuration beats another only when the adjusted "
	     "p is below alpha and the whole ratio interval lies below %g "
	     "(differences under the %g%% margin never count); otherwise they "
	     "share a rank. Two that share a rank are called equal only when "
	     "an equivalence test (two one-sided tests on the Fieller "
	     "statistic, Holm-adjusted over the cell) puts their ratio within "
	     "the margin; otherwise they cannot be told apart, which says "
	     "nothing about whether they differ. Overlapping confidence "
	     "intervals are not used as a test.",
	     csvtab_get(&R->ranks, 0, al), 1 - rank_margin(R),
	     100 * rank_margin(R));
	add(div, "p",
	    "What a cell could show is the smallest difference its "
	    "repetitions find with 80% power: the power of the rule above, "
	    "simulated from the exact distributions of means and variances "
	    "under normal times with the cell's median repetitions and "
	    "median CV, Holm's first step taken as alpha over the number of "
	    "pairs (conservative); and how many repetitions would find the "
	    "difference rank --detect names. Where Mann-Whitney cannot reach "
	    "alpha at all (3 + 3 repetitions: its smallest p is 0.1), the "
	    "cell says that its verdicts rest on normality.");
	addf(div, "p",
	     "Weighted scores are compared, like the cells, pair by pair "
	     "with Holm over the pairs and the same margin: a t test on "
	     "the difference of ln scores, its variance by the delta method "
	     "from each cell's mean and standard error, with "
	     "Welch-Satterthwaite degrees of freedom; their intervals come "
	     "from the same t. P(fastest) comes from %s bootstrap resamples "
	     "of the repetitions (gsl_rng_mt19937, seed %s): it is "
	     "descriptive only, never a test. Outliers are flagged by "
	     "Tukey's fences and never dropped.",
	     csvtab_get(&R->ranks, 0, bs), csvtab_get(&R->ranks, 0, sd));
}

/* One line before the answer: how much went in and when it was measured
 * (the provenance at the end has the details). */
void data_summary(const struct report *R, xmlNodePtr div, int notes)
{
	const struct csvtab *S = &R->summary;
	long m = csvtab_col(S, "metric"), nr = csvtab_col(S, "n_reps"),
	     no = csvtab_col(S, "n_ops");
	long rs = csvtab_col(&R->reps, "start_us"), rw = csvtab_col(&R->reps, "wall_us");
	double reps = 0, ops = 0, t0 = INFINITY, t1 = -INFINITY;
	size_t groups = 0, logs = R->inputs.nrows;
	long dc = csvtab_col(S, "data");
	xmlNodePtr para;

	/* stats writes every metric of every group: its wall row is one a
	 * group (of the figures ranked, with --steady) */
	for (size_t i = 0; i < S->nrows; i++)
		if ((dc < 0 || strcmp(csvtab_get(S, i, dc), R->data) == 0) &&
		    strcmp(csvtab_get(S, i, m), "wall") == 0) {
			groups++;
			reps += num_of(csvtab_get(S, i, nr));
			ops += num_of(csvtab_get(S, i, no));
		}
	/* the span, when the stamps are dates (after 2001) */
	for (size_t i = 0; rs >= 0 && i < R->reps.nrows; i++) {
		double a = num_of(csvtab_get(&R->reps, i, rs));
		double w = rw >= 0 ? num_of(csvtab_get(&R->reps, i, rw)) : 0;

		if (!(a >= 1e15))
			continue;
		if (a < t0)
			t0 = a;
		if (a + (isfinite(w) ? w : 0) > t1)
			t1 = a + (isfinite(w) ? w : 0);
	}
	para = add(div, "p", NULL);
	cls(para, "summary");
	if (logs)
		textf(para, "From %zu input%s: ", logs, logs == 1 ? "" : "s");
	textf(para, "%.0f operations in %.0f repetitions of %zu groups "
		    "(configuration x workload x direction)",
	      ops, reps, groups);
	if (isfinite(t0) && t1 >= t0) {
		char a[32], b[32];
		time_t x = (time_t)(t0 / 1e6), y = (time_t)(t1 / 1e6);

		strftime(a, sizeof a, "%Y-%m-%d %H:%M", gmtime(&x));
		strftime(b, sizeof b, "%Y-%m-%d %H:%M", gmtime(&y));
		textf(para, ", measured %s to %s UTC", a, b);
	}
	text(para, notes ? "; what the data are: \"About the data\", below "
			   "the answer; every input: \"Provenance\", at the end."
			 : "; every input: \"Provenance\", at the end.");
}
