/* The report's figures: chart models from the stage files (means,
 * by-factor bars, distributions, rank intervals, the share sensitivity,
 * the baseline forest; the by-factor bars are in figures_factors.c),
 * laid out and drawn by chart.c. */
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

/* See report_int.h. */
void figure_put(struct report *R, xmlNodePtr parent,
		const struct chart_model *m, const char *kind, const char *alt)
{
	struct chart_layout *l = calloc(1, sizeof *l);
	char name[64], svg[64], *dir = NULL, *path = NULL, *spath = NULL, num[16];
	xmlNodePtr div, img, obj;

	if (!l)
		goto fail;
	snprintf(name, sizeof name, "charts/%02zu-%s.png", R->ncharts + 1, kind);
	snprintf(svg, sizeof svg, "charts/%02zu-%s.svg", ++R->ncharts, kind);
	if (chart_layout(m, chart_measure_cairo, l) != 0) {
		if (R->o->dump_layout) /* show what collides */
			chart_dump(stdout, name, m, l);
		diag(DIAG_ERROR, "report: chart %s (%s) cannot be laid out "
				 "without overlapping labels",
		     name, m->title);
		goto fail;
	}
	if (R->o->dump_layout)
		chart_dump(stdout, name, m, l);
	dir = outfile_path(R->outdir, "charts");
	path = outfile_path(R->outdir, name);
	spath = outfile_path(R->outdir, svg);
	if (!dir || !path || !spath || (mkdir(dir, 0777) != 0 && errno != EEXIST) ||
	    chart_draw_png(m, l, path) != 0 || chart_draw_svg(m, l, spath) != 0)
		goto fail;
	/* the SVG (the same drawing, sharp at any zoom and in print) where
	 * the browser shows it, the PNG inside it where it does not */
	div = add(parent, "div", NULL);
	cls(div, "chart");
	obj = xmlNewChild(div, NULL, BAD_CAST "object", NULL);
	xmlNewProp(obj, BAD_CAST "data", BAD_CAST svg);
	xmlNewProp(obj, BAD_CAST "type", BAD_CAST "image/svg+xml");
	snprintf(num, sizeof num, "%d", (int)l->width);
	xmlNewProp(obj, BAD_CAST "width", BAD_CAST num);
	snprintf(num, sizeof num, "%d", (int)l->height);
	xmlNewProp(obj, BAD_CAST "height", BAD_CAST num);
	img = xmlNewChild(obj, NULL, BAD_CAST "img", NULL);
	xmlNewProp(img, BAD_CAST "src", BAD_CAST name);
	snprintf(num, sizeof num, "%d", (int)l->width);
	xmlNewProp(img, BAD_CAST "width", BAD_CAST num);
	snprintf(num, sizeof num, "%d", (int)l->height);
	xmlNewProp(img, BAD_CAST "height", BAD_CAST num);
	xmlNewProp(img, BAD_CAST "alt", BAD_CAST alt);
	free(l);
	free(dir);
	free(path);
	free(spath);
	return;
fail:
	R->chart_failed = 1;
	free(l);
	free(dir);
	free(path);
	free(spath);
}



/* Mean repetition figure with intervals, internal and external side by
 * side, for one workload (the paper's figures 10-13, with error bars). */
void chart_means(struct report *R, xmlNodePtr parent, const char *wl)
{
	struct chart_model *m = calloc(1, sizeof *m);
	size_t rows[CHART_MAX_CATS], n;
	const struct metric *mt;
	char alt[384];

	if (!m)
		return;
	/* at most CHART_MAX_BARS configurations (their labels must fit):
	 * the best by internal rank, said under the chart */
	n = rows_of(R, "internal", wl, "internal", rows, CHART_MAX_BARS);
	mt = n ? row_metric(R, rows[0]) : &metrics[M_WALL];
	m->kind = CHART_BARS;
	m->unit = mt->unit;
	snprintf(m->title, sizeof m->title, "%.40s: mean %s per repetition%s, %s%% CI",
		 wl, mt->noun, mt->higher ? " (harmonic)" : "", R->confidence);
	snprintf(m->ylabel, sizeof m->ylabel, "%s", mt->noun);
	snprintf(m->xlabel, sizeof m->xlabel, "configuration");
	snprintf(m->series[0], sizeof m->series[0], "internal");
	snprintf(m->series[1], sizeof m->series[1], "external");
	m->nseries = 2;
	for (size_t c = 0; c < n; c++) {
		long e = same_config(R, rows[c], "external");

		cat_name(R, rows[c], e, m->cats[c], sizeof m->cats[c]);
		m->v[0][c] = num_of(csvtab_get(&R->ranks, rows[c], R->r_mean));
		m->lo[0][c] = num_of(csvtab_get(&R->ranks, rows[c], R->r_cilo));
		m->hi[0][c] = num_of(csvtab_get(&R->ranks, rows[c], R->r_cihi));
		m->v[1][c] = e >= 0 ? num_of(csvtab_get(&R->ranks, (size_t)e, R->r_mean)) : NAN;
		m->lo[1][c] = e >= 0 ? num_of(csvtab_get(&R->ranks, (size_t)e, R->r_cilo)) : NAN;
		m->hi[1][c] = e >= 0 ? num_of(csvtab_get(&R->ranks, (size_t)e, R->r_cihi)) : NAN;
	}
	m->ncats = n;
	snprintf(alt, sizeof alt,
		 "Bar chart: mean %s per repetition of each configuration for "
		 "%s (%s is better), internal and external side by side, with "
		 "%s%% confidence intervals; a configuration whose operations "
		 "all failed has no bar",
		 mt->noun, wl, mt->higher ? "higher" : "lower", R->confidence);
	if (n) {
		figure_put(R, parent, m, "means", alt);
		left_out_caption(parent, n, count_rows(R, "internal", wl, "internal"),
				 "configurations", "the best by internal rank");
	}
	free(m);
}

/* Distributions, internal and external overlaid, of the configuration of
 * ranks.csv row I (figures 17-24): repetition times when there are at
 * least 20 repetitions, else the per-operation times of hist.csv.  Bins by
 * Freedman-Diaconis; drawn as densities so that the two compare. */
static struct chart_model *hist_model(struct report *R, size_t i, char *alt,
				      size_t altcap)
{
	static const char *const dirs[2] = { "internal", "external" };
	struct chart_model *m = calloc(1, sizeof *m);
	double nreps = num_of(csvtab_get(&R->ranks, i, R->r_n));
	int per_rep = nreps >= 20;
	const struct metric *mt = row_metric(R, i);

	if (!m)
		return NULL;
	m->kind = CHART_HIST;
	m->unit = per_rep ? mt->unit : UNIT_TIME;
	m->nseries = 2;
	snprintf(m->series[0], sizeof m->series[0], "internal");
	snprintf(m->series[1], sizeof m->series[1], "external");
	snprintf(m->title, sizeof m->title, "%.40s, %.60s: %s%s",
		 csvtab_get(&R->ranks, i, R->r_wl),
		 csvtab_get(&R->ranks, i, R->r_name),
		 per_rep ? mt->noun : "per-operation times",
		 per_rep ? " per repetition" : "");
	snprintf(m->xlabel, sizeof m->xlabel, "%s",
		 per_rep ? mt->noun : "time per operation");
	snprintf(m->ylabel, sizeof m->ylabel, "density");
	if (per_rep) {
		long wall = csvtab_col(&R->reps, mt->column);

		/* Freedman-Diaconis bins of each series' own data: internal
		 * and external often lie far apart, and bins over both
		 * together would be too wide for either */
		for (int d = 0; d < 2; d++) {
			double *x = malloc((R->reps.nrows + 1) * sizeof *x);
			size_t n = 0, nb;
			double lo, hi, iqr, h, p1, p3;

			for (long r = group_first(R, &R->reps_gix, i, dirs[d], NULL);
			     x && r >= 0; r = csvidx_next(&R->reps_gix, r))
				if (isfinite(num_of(csvtab_get(&R->reps, (size_t)r, wall))))
					x[n++] = num_of(csvtab_get(&R->reps, (size_t)r, wall));
			if (!x || n < 2) {
				free(x);
				continue;
			}
			qsort(x, n, sizeof *x, cmp_dbl);
			lo = x[0];
			hi = x[n - 1];
			p1 = 0.25 * (double)(n - 1);
			p3 = 0.75 * (double)(n - 1);
			iqr = (x[(size_t)p3] + (p3 - floor(p3)) *
						       (x[(size_t)p3 + 1 < n ? (size_t)p3 + 1 : (size_t)p3] -
							x[(size_t)p3])) -
			      (x[(size_t)p1] + (p1 - floor(p1)) *
						       (x[(size_t)p1 + 1] - x[(size_t)p1]));
			h = 2 * iqr / cbrt((double)n);
			if (!(h > 0))
				h = hi > lo ? (hi - lo) / 10 : 1;
			nb = hi > lo ? (size_t)ceil((hi - lo) / h) : 1;
			if (nb < 1)
				nb = 1;
			if (nb > CHART_MAX_CATS) {
				nb = CHART_MAX_CATS;
				h = (hi - lo) / (double)nb;
			}
			m->nbins[d] = nb;
			for (size_t b2 = 0; b2 < nb; b2++) {
				m->lo[d][b2] = lo + h * (double)b2;
				m->hi[d][b2] = lo + h * (double)(b2 + 1);
				m->v[d][b2] = 0;
			}
			for (size_t k = 0; k < n; k++) {
				size_t b2 = (size_t)((x[k] - lo) / h);

				if (b2 >= nb)
					b2 = nb - 1;
				m->v[d][b2] += 1.0 / ((double)n * h);
			}
			free(x);
		}
	} else {
		long lo = csvtab_col(&R->hist, "lo_us"), hi = csvtab_col(&R->hist, "hi_us"),
		     cnt = csvtab_col(&R->hist, "count"), rule = csvtab_col(&R->hist, "rule");
		double p99 = 0;

		/* drawn up to the larger p99 of the two: a long thin tail
		 * would squash the shape into a corner */
		for (int d = 0; d < 2; d++)
			for (long r = group_first(R, &R->summary_gix, i, dirs[d], NULL);
			     r >= 0; r = csvidx_next(&R->summary_gix, r)) {
				double v = num_of(csvtab_get(&R->summary, (size_t)r,
							     csvtab_col(&R->summary, "op_p99")));

				if (v > p99)
					p99 = v;
			}
		for (int d = 0; d < 2; d++) {
			double total = 0;
			size_t nb = 0;

			for (long r = group_first(R, &R->hist_gix, i, dirs[d], NULL);
			     r >= 0; r = csvidx_next(&R->hist_gix, r))
				total += num_of(csvtab_get(&R->hist, (size_t)r, cnt));
			for (long r_ = group_first(R, &R->hist_gix, i, dirs[d], NULL);
			     r_ >= 0 && nb < CHART_MAX_CATS;
			     r_ = csvidx_next(&R->hist_gix, r_)) {
				size_t r = (size_t)r_;
				double a, b;

				if (strcmp(csvtab_get(&R->hist, r, rule), "above p99.9") == 0)
					continue; /* the tail is not drawn */
				a = num_of(csvtab_get(&R->hist, r, lo));
				if (p99 > 0 && a >= p99)
					continue;
				b = num_of(csvtab_get(&R->hist, r, hi));
				m->lo[d][nb] = a;
				m->hi[d][nb] = b;
				m->v[d][nb] = total > 0 && b > a
						      ? num_of(csvtab_get(&R->hist, r, cnt)) /
								(total * (b - a))
						      : 0;
				nb++;
			}
			m->nbins[d] = nb;
		}
		snprintf(m->xlabel, sizeof m->xlabel,
			 "time per operation (up to p99)");
	}
	snprintf(alt, altcap,
		 "Histograms of %s for %s, %s: internal and external overlaid, "
		 "Freedman-Diaconis bins",
		 per_rep ? mt->noun : "per-operation times (successful operations)",
		 csvtab_get(&R->ranks, i, R->r_wl),
		 csvtab_get(&R->ranks, i, R->r_name));
	if (!(m->nbins[0] && m->nbins[1])) {
		free(m);
		return NULL;
	}
	return m;
}

/* The distributions of one workload (the best configuration of each
 * value of the --by factor, ranks.csv rows ROWS), on one shared time
 * axis, so that they compare by eye: the axis of every chart of the same
 * kind (repetition or per-operation times) spans all of theirs. */
void charts_hist(struct report *R, xmlNodePtr parent, const size_t *rows,
			size_t n)
{
	struct chart_model **m = calloc(n + 1, sizeof *m);
	char (*alt)[512] = calloc(n + 1, sizeof *alt);

	if (!m || !alt)
		goto out;
	for (size_t k = 0; k < n; k++)
		m[k] = hist_model(R, rows[k], alt[k], sizeof alt[k]);
	for (size_t k = 0; k < n; k++) {
		double lo = INFINITY, hi = -INFINITY;
		size_t peers = 0;

		if (!m[k])
			continue;
		for (size_t j = 0; j < n; j++) {
			if (!m[j] || strcmp(m[j]->xlabel, m[k]->xlabel) != 0 ||
			    m[j]->unit != m[k]->unit)
				continue;
			peers++;
			for (size_t s2 = 0; s2 < m[j]->nseries; s2++)
				for (size_t b = 0; b < m[j]->nbins[s2]; b++) {
					if (m[j]->lo[s2][b] < lo)
						lo = m[j]->lo[s2][b];
					if (m[j]->hi[s2][b] > hi)
						hi = m[j]->hi[s2][b];
				}
		}
		m[k]->share_x = peers > 1;
		m[k]->share_xlo = lo;
		m[k]->share_xhi = hi;
		figure_put(R, parent, m[k], "hist", alt[k]);
		if (peers > 1) {
			xmlNodePtr p = addf(parent, "p", "On one time axis with the "
							 "workload's %zu other "
							 "distributions, so that "
							 "they compare by eye.",
					    peers - 1);

			cls(p, "caption");
		}
	}
out:
	for (size_t k = 0; m && k < n; k++)
		free(m[k]);
	free(m);
	free(alt);
}

/* "Against the baseline" (run --baseline): every matched group's ratio
 * NEW/BASE and its interval in a forest plot, and the verdicts counted. */
void section_baseline(struct report *R, xmlNodePtr div)
{
	const struct csvtab *t = &R->baseline;
	long wl = csvtab_col(t, "workload"), di = csvtab_col(t, "direction");
	long gr = csvtab_col(t, "group"), ra = csvtab_col(t, "ratio");
	long lo = csvtab_col(t, "ratio_ci_lo"), hi = csvtab_col(t, "ratio_ci_hi");
	long ve = csvtab_col(t, "verdict"), why = csvtab_col(t, "why");
	size_t count[5] = { 0 };
	static const char *const words[] = { "slower", "faster", "same",
					     "inconclusive", "failed" };
	struct chart_model *m;
	xmlNodePtr ul;

	if (t->nrows == 0 || gr < 0 || ra < 0 || ve < 0)
		return;
	add(div, "h3", "Against the baseline");
	for (size_t i = 0; i < t->nrows; i++)
		for (int k = 0; k < 5; k++)
			count[k] += strcmp(csvtab_get(t, i, ve), words[k]) == 0;
	addf(div, "p", "%zu groups matched with the baseline run "
		       "(vmnetrank compare's tests, Holm over all of them): "
		       "%zu slower, %zu faster, %zu the same within the margin, "
		       "%zu inconclusive, %zu with failed operations. "
		       "baseline.csv has every figure; in the chart, 1 is "
		       "dashed, and an interval wider than 1 is cut at the "
		       "axis' ends.",
	     t->nrows, count[0], count[1], count[2], count[3], count[4]);
	ul = add(div, "ul", NULL);
	for (size_t i = 0; i < t->nrows; i++) {
		const char *v = csvtab_get(t, i, ve);
		xmlNodePtr li;

		if (strcmp(v, "slower") && strcmp(v, "faster"))
			continue;
		li = addf(ul, "li", "%s, %s: %s: %s, %.4g times the baseline "
				    "[%.4g, %.4g]",
			  csvtab_get(t, i, wl), csvtab_get(t, i, di),
			  csvtab_get(t, i, gr), v, num_of(csvtab_get(t, i, ra)),
			  num_of(csvtab_get(t, i, lo)), num_of(csvtab_get(t, i, hi)));
		cls(li, strcmp(v, "slower") == 0 ? "failed" : "winner");
	}
	(void)why;
	m = calloc(1, sizeof *m);
	if (!m)
		return;
	m->kind = CHART_FOREST;
	snprintf(m->title, sizeof m->title, "new / baseline, per group");
	snprintf(m->xlabel, sizeof m->xlabel,
		 "new/base of times, 95%% interval (above 1: slower)");
	for (size_t i = 0; i < t->nrows && m->ncats < CHART_MAX_CATS; i++) {
		size_t c = m->ncats++;
		const char *v = csvtab_get(t, i, ve);

		snprintf(m->cats[c], sizeof m->cats[c], "%.30s %.8s %.50s",
			 csvtab_get(t, i, wl), csvtab_get(t, i, di),
			 csvtab_get(t, i, gr));
		m->v[0][c] = num_of(csvtab_get(t, i, ra));
		m->lo[0][c] = num_of(csvtab_get(t, i, lo));
		m->hi[0][c] = num_of(csvtab_get(t, i, hi));
		m->verdict[c] = strcmp(v, "slower") == 0   ? 1
				: strcmp(v, "faster") == 0 ? -1
							   : 0;
	}
	if (t->nrows > CHART_MAX_CATS)
		addf(div, "p", "The chart shows the first %d groups of %zu.",
		     CHART_MAX_CATS, t->nrows);
	figure_put(R, div, m, "baseline",
		  "Forest plot: each matched group's ratio of its new to its "
		  "baseline time, with its interval; 1 is marked, slower groups "
		  "in vermillion, faster in green, the rest grey");
	free(m);
}

/* Each configuration's rank interval in one cell. */
void chart_ranks(struct report *R, xmlNodePtr parent, const char *wl,
			const char *dir)
{
	struct chart_model *m = calloc(1, sizeof *m);
	size_t rows[CHART_MAX_CATS], n;
	char alt[256];

	if (!m)
		return;
	m->kind = CHART_RANKS;
	snprintf(m->title, sizeof m->title, "%s, %s: rank intervals", wl, dir);
	snprintf(m->xlabel, sizeof m->xlabel,
		 "rank (bar: interval the tests allow; dot: rank by mean)");
	n = rows_of(R, dir, wl, dir, rows, CHART_MAX_ROWS);
	m->rank_max = count_rows(R, dir, wl, dir);
	for (size_t c = 0; c < n; c++) {
		char a[16];

		if (row_eligible(R, rows[c]))
			snprintf(m->cats[c], sizeof m->cats[c], "%.90s",
				 csvtab_get(&R->ranks, rows[c], R->r_name));
		else if (!*csvtab_get(&R->ranks, rows[c], R->r_mean))
			snprintf(m->cats[c], sizeof m->cats[c],
				 "%.60s (failed: no times)",
				 csvtab_get(&R->ranks, rows[c], R->r_name));
		else
			snprintf(m->cats[c], sizeof m->cats[c],
				 "%.60s (excluded: %s failed)",
				 csvtab_get(&R->ranks, rows[c], R->r_name),
				 failed_share(a, sizeof a, R, rows[c]));
		m->v[0][c] = num_of(csvtab_get(&R->ranks, rows[c],
					       csvtab_col(&R->ranks, "rank")));
		m->lo[0][c] = num_of(csvtab_get(&R->ranks, rows[c], R->r_lo));
		m->hi[0][c] = num_of(csvtab_get(&R->ranks, rows[c], R->r_hi));
	}
	m->ncats = n;
	snprintf(alt, sizeof alt,
		 "Chart of rank intervals for %s, %s: each configuration's "
		 "rank by mean and the range of ranks the tests allow; "
		 "configurations with failed operations come last",
		 wl, dir);
	if (n) {
		figure_put(R, parent, m, "ranks", alt);
		left_out_caption(parent, n, m->rank_max, "configurations",
				 "the first by rank; the axis holds every rank");
	}
	free(m);
}

/* Expected time of each configuration as the internal share goes from 0
 * to 1, crossovers marked, the user's share marked. */
/* E(p) of a configuration with internal mean TI and external TE: the
 * weighted mean p TI + (1-p) TE of times, or for rates the weighted
 * harmonic mean 1 / (p / TI + (1-p) / TE). */
static double expected_at(double ti, double te, double p, int rate)
{
	return rate ? 1.0 / (p / ti + (1 - p) / te) : p * ti + (1 - p) * te;
}

void chart_lines(struct report *R, xmlNodePtr parent, const char *wl)
{
	struct chart_model *m = calloc(1, sizeof *m);
	size_t rows[CHART_MAX_CATS], n, k = 0;
	const struct csvtab *W = &R->sens;
	long sc = csvtab_col(W, "scope"), kd = csvtab_col(W, "kind"),
	     plo = csvtab_col(W, "p_lo"), a = csvtab_col(W, "a");
	const struct metric *mt;
	double ti[CHART_MAX_SERIES], te[CHART_MAX_SERIES];
	char alt[320], keep[CHART_MAX_CATS] = { 0 };
	long ext[CHART_MAX_CATS];
	size_t lines_total = 0, nsel = 0;

	if (!m)
		return;
	n = rows_of(R, "internal", wl, "internal", rows, CHART_MAX_CATS);
	mt = n ? row_metric(R, rows[0]) : &metrics[M_WALL];
	m->kind = CHART_LINES;
	m->unit = mt->unit;
	m->marked_x = NAN;
	snprintf(m->title, sizeof m->title,
		 "%.40s: expected %s by internal share of the traffic", wl,
		 mt->noun);
	snprintf(m->ylabel, sizeof m->ylabel, "expected %s", mt->noun);
	snprintf(m->xlabel, sizeof m->xlabel,
		 "internal share p (vertical line: the weights' share)");
	/* the configurations that may win, measured both ways: their
	 * external rows (-1 for the others) */
	for (size_t c = 0; c < n; c++) {
		long e = same_config(R, rows[c], "external");

		ext[c] = e >= 0 && row_eligible(R, rows[c]) &&
				 row_eligible(R, (size_t)e)
			 ? e
			 : -1;
		lines_total += ext[c] >= 0;
	}
	/* at most CHART_MAX_LINES of them: those best at some share first
	 * (sensitivity.csv's intervals), then by internal rank; said under
	 * the chart */
	for (size_t c = 0; c < n && nsel < CHART_MAX_LINES; c++)
		for (size_t i = 0; ext[c] >= 0 && i < W->nrows; i++)
			if (strcmp(csvtab_get(W, i, sc), wl) == 0 &&
			    strcmp(csvtab_get(W, i, kd), "interval") == 0 &&
			    strcmp(csvtab_get(W, i, a),
				   csvtab_get(&R->ranks, rows[c], R->r_name)) == 0) {
				keep[c] = 1;
				nsel++;
				break;
			}
	for (size_t c = 0; c < n && nsel < CHART_MAX_LINES; c++)
		if (ext[c] >= 0 && !keep[c]) {
			keep[c] = 1;
			nsel++;
		}
	for (size_t c = 0; c < n && k < CHART_MAX_SERIES; c++) {
		long e = ext[c];

		if (!keep[c]) {
			/* the others, unnamed and grey: where they lie */
			double i2, e2;

			if (e < 0 || m->nmuted >= CHART_MAX_CATS)
				continue;
			i2 = num_of(csvtab_get(&R->ranks, rows[c], R->r_mean));
			e2 = num_of(csvtab_get(&R->ranks, (size_t)e, R->r_mean));
			for (size_t i = 0; i < CHART_LINE_POINTS; i++)
				m->muted_y[m->nmuted][i] = expected_at(
					i2, e2, (double)i / 100.0, mt->higher);
			m->nmuted++;
			continue;
		}
		ti[k] = num_of(csvtab_get(&R->ranks, rows[c], R->r_mean));
		te[k] = num_of(csvtab_get(&R->ranks, (size_t)e, R->r_mean));
		snprintf(m->cats[k], sizeof m->cats[k], "%s",
			 csvtab_get(&R->ranks, rows[c], R->r_name));
		for (size_t i = 0; i < CHART_LINE_POINTS; i++)
			m->line_y[k][i] = expected_at(ti[k], te[k],
						      (double)i / 100.0, mt->higher);
		k++;
	}
	m->ncats = k;
	/* each configuration in its report-wide colour, the legend in that
	 * order */
	m->styled = 1;
	for (size_t c = 0; c < k; c++)
		m->style[c] = name_style(R, R->r_name, m->cats[c]);
	for (size_t a2 = 1; a2 < k; a2++)
		for (size_t b = a2; b > 0 && m->style[b - 1] > m->style[b]; b--) {
			char t[96];
			double y[CHART_LINE_POINTS], x;
			unsigned short st = m->style[b];

			m->style[b] = m->style[b - 1];
			m->style[b - 1] = st;
			memcpy(t, m->cats[b], sizeof t);
			memcpy(m->cats[b], m->cats[b - 1], sizeof t);
			memcpy(m->cats[b - 1], t, sizeof t);
			memcpy(y, m->line_y[b], sizeof y);
			memcpy(m->line_y[b], m->line_y[b - 1], sizeof y);
			memcpy(m->line_y[b - 1], y, sizeof y);
			x = ti[b]; ti[b] = ti[b - 1]; ti[b - 1] = x;
			x = te[b]; te[b] = te[b - 1]; te[b - 1] = x;
		}
	for (size_t i = 0; i < W->nrows; i++) {
		if (strcmp(csvtab_get(W, i, sc), wl) != 0)
			continue;
		if (strcmp(csvtab_get(W, i, kd), "winner") == 0)
			m->marked_x = num_of(csvtab_get(W, i, plo));
		else if (strcmp(csvtab_get(W, i, kd), "crossover") == 0 &&
			 m->nmarks < 256) {
			double p = num_of(csvtab_get(W, i, plo));

			for (size_t c = 0; c < k; c++)
				if (strcmp(m->cats[c], csvtab_get(W, i, a)) == 0) {
					m->mark_x[m->nmarks] = p;
					m->mark_y[m->nmarks++] =
						expected_at(ti[c], te[c], p, mt->higher);
				}
		}
	}
	snprintf(alt, sizeof alt,
		 "Line chart for %s: expected %s of each configuration as "
		 "the internal share goes from 0 to 1 (%s is better), with "
		 "the crossovers and the weights' share marked",
		 wl, mt->noun, mt->higher ? "higher" : "lower");
	if (k && isfinite(m->line_y[0][0])) {
		figure_put(R, parent, m, "share", alt);
		if (m->nmuted) {
			xmlNodePtr p = addf(
				parent, "p",
				"This chart names %zu of the %zu configurations "
				"that may win (those best at some share, then the "
				"best by internal rank); the other %zu are the "
				"grey lines, unnamed here, in the tables and the "
				"tests.",
				k, lines_total, m->nmuted);

			cls(p, "caption");
		}
		failed_caption(R, parent, rows, n); /* those not drawn */
	}
	free(m);
}

/* ---- sections ---- */
