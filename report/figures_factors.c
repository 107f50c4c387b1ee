/* The by-factor charts (the paper's figure 14): per cell, the mean of
 * each combination of the other factors, one bar per value of the --by
 * factor, internal and external of a workload drawing the same values on
 * one value axis. */
#include "report_int.h"

#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Which values of factor BYC (series) and combinations of the others
 * (categories) a by-factor chart of workload WL draws: the first
 * CHART_MAX_SERIES and CHART_MAX_BARS met in the internal cell's order,
 * then the external's, so that both directions' charts show the same
 * ones.  A row is drawn when its value and its combination are picked. */
struct factor_pick {
	char series[CHART_MAX_SERIES][32];
	size_t nseries;
	char cats[CHART_MAX_BARS][96];
	size_t ncats;
};

static int picked(const char (*names)[96], size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return 1;
	return 0;
}

static int picked_series(const struct factor_pick *fp, const char *s)
{
	for (size_t i = 0; i < fp->nseries; i++)
		if (strncmp(fp->series[i], s, sizeof fp->series[i] - 1) == 0)
			return 1;
	return 0;
}

static void factor_pick(struct report *R, const char *wl, long byc,
			struct factor_pick *fp)
{
	const char *dirs[2] = { "internal", "external" };
	size_t rows[CHART_MAX_CATS];

	memset(fp, 0, sizeof *fp);
	for (int d = 0; d < 2; d++) {
		size_t n = rows_of(R, dirs[d], wl, dirs[d], rows, CHART_MAX_CATS);

		for (size_t k = 0; k < n; k++) {
			const char *lead = csvtab_get(&R->ranks, rows[k], byc);
			char cat[96] = "";

			join_factors(R, byc, (long)rows[k], cat, sizeof cat);
			if (!picked_series(fp, lead) &&
			    fp->nseries < CHART_MAX_SERIES)
				snprintf(fp->series[fp->nseries++],
					 sizeof fp->series[0], "%s", lead);
			if (!picked(fp->cats, fp->ncats, cat) &&
			    fp->ncats < CHART_MAX_BARS)
				snprintf(fp->cats[fp->ncats++], sizeof fp->cats[0],
					 "%s", cat);
		}
	}
}

/* Is row I of ranks.csv drawn by the by-factor charts (FP)? */
static int factor_drawn(struct report *R, const struct factor_pick *fp,
			long byc, size_t i)
{
	char cat[96] = "";

	join_factors(R, byc, (long)i, cat, sizeof cat);
	return picked_series(fp, csvtab_get(&R->ranks, i, byc)) &&
	       picked(fp->cats, fp->ncats, cat);
}

/* The paper's figure 14: the mean time of one cell across the other
 * factors' combinations (categories), one series per value of the --by
 * factor (e.g. per VM).  Only with a by-FACTOR view. */
void chart_factors(struct report *R, xmlNodePtr parent, const char *wl,
			  const char *dir)
{
	struct chart_model *m;
	const char *by = NULL;
	size_t rows[CHART_MAX_CATS], n;
	long byc = -1;
	char alt[768], others[256] = "";
	const struct metric *mt;
	size_t dropped = 0;
	struct factor_pick *fp;

	for (size_t i = 0; i < R->ranks.nrows && !by; i++)
		if (strncmp(csvtab_get(&R->ranks, i, R->r_view), "by-", 3) == 0)
			by = csvtab_get(&R->ranks, i, R->r_view) + 3;
	if (!by || strchr(by, ','))
		return; /* one factor only: the series */
	byc = csvtab_col(&R->ranks, by);
	if (byc < 0 || R->nf < 2 || !(m = calloc(1, sizeof *m)))
		return;
	if (!(fp = malloc(sizeof *fp))) {
		free(m);
		return;
	}
	factor_pick(R, wl, byc, fp);
	n = rows_of(R, dir, wl, dir, rows, CHART_MAX_CATS);
	mt = n ? row_metric(R, rows[0]) : &metrics[M_WALL];
	m->kind = CHART_BARS;
	m->unit = mt->unit;
	join_factors(R, byc, -1, others, sizeof others);
	/* long names are cut, not the chart */
	snprintf(m->title, sizeof m->title, "%.32s, %.9s: mean %s by %.40s, per %.20s",
		 wl, dir, mt->noun, others, by);
	snprintf(m->ylabel, sizeof m->ylabel, "%s", mt->noun);
	snprintf(m->xlabel, sizeof m->xlabel, "%.79s", others);
	for (size_t s = 0; s < CHART_MAX_SERIES; s++)
		for (size_t c = 0; c < CHART_MAX_CATS; c++)
			m->v[s][c] = m->lo[s][c] = m->hi[s][c] = NAN;
	for (size_t k = 0; k < n; k++) {
		size_t i = rows[k], s, c;
		const char *lead = csvtab_get(&R->ranks, i, byc);
		char cat[96] = "";

		if (!factor_drawn(R, fp, byc, i)) {
			dropped++;
			continue;
		}
		join_factors(R, byc, (long)i, cat, sizeof cat);
		for (s = 0; s < m->nseries &&
			    strncmp(m->series[s], lead, sizeof m->series[s] - 1) != 0;
		     s++)
			;
		if (s == m->nseries)
			snprintf(m->series[m->nseries++], sizeof m->series[0], "%s", lead);
		for (c = 0; c < m->ncats && strcmp(m->cats[c], cat) != 0; c++)
			;
		if (c == m->ncats)
			snprintf(m->cats[m->ncats++], sizeof m->cats[0], "%s", cat);
		m->v[s][c] = num_of(csvtab_get(&R->ranks, i, R->r_mean));
		m->lo[s][c] = num_of(csvtab_get(&R->ranks, i, R->r_cilo));
		m->hi[s][c] = num_of(csvtab_get(&R->ranks, i, R->r_cihi));
	}
	/* categories in order, moving their values along */
	for (size_t a = 1; a < m->ncats; a++)
		for (size_t b = a; b > 0 && strcmp(m->cats[b - 1], m->cats[b]) > 0; b--) {
			char t[96];

			memcpy(t, m->cats[b], sizeof t);
			memcpy(m->cats[b], m->cats[b - 1], sizeof t);
			memcpy(m->cats[b - 1], t, sizeof t);
			for (size_t k = 0; k < m->nseries; k++) {
				double x;

				x = m->v[k][b]; m->v[k][b] = m->v[k][b - 1]; m->v[k][b - 1] = x;
				x = m->lo[k][b]; m->lo[k][b] = m->lo[k][b - 1]; m->lo[k][b - 1] = x;
				x = m->hi[k][b]; m->hi[k][b] = m->hi[k][b - 1]; m->hi[k][b - 1] = x;
			}
		}
	/* each value of BY in its report-wide colour, the legend in that
	 * order */
	m->styled = 1;
	for (size_t k = 0; k < m->nseries; k++)
		m->style[k] = name_style(R, byc, m->series[k]);
	for (size_t a2 = 1; a2 < m->nseries; a2++)
		for (size_t b = a2; b > 0 && m->style[b - 1] > m->style[b]; b--) {
			char t[32];
			unsigned short st = m->style[b];

			m->style[b] = m->style[b - 1];
			m->style[b - 1] = st;
			memcpy(t, m->series[b], sizeof t);
			memcpy(m->series[b], m->series[b - 1], sizeof t);
			memcpy(m->series[b - 1], t, sizeof t);
			for (size_t c = 0; c < m->ncats; c++) {
				double x;

				x = m->v[b][c]; m->v[b][c] = m->v[b - 1][c]; m->v[b - 1][c] = x;
				x = m->lo[b][c]; m->lo[b][c] = m->lo[b - 1][c]; m->lo[b - 1][c] = x;
				x = m->hi[b][c]; m->hi[b][c] = m->hi[b - 1][c]; m->hi[b - 1][c] = x;
			}
		}
	snprintf(alt, sizeof alt,
		 "Bar chart for %s, %s: mean %s per repetition for each "
		 "combination of %s, one bar per %s, with confidence intervals",
		 wl, dir, mt->noun, others, by);
	/* internal and external of the workload on one value axis: the
	 * larger of the two charts' highest bar or whisker */
	{
		const char *dirs2[2] = { "internal", "external" };
		size_t r2[CHART_MAX_CATS];

		for (int d = 0; d < 2; d++) {
			size_t n2 = rows_of(R, dirs2[d], wl, dirs2[d], r2, CHART_MAX_CATS);

			for (size_t k = 0; k < n2; k++) {
				double v, h;

				if (!factor_drawn(R, fp, byc, r2[k]))
					continue;
				v = num_of(csvtab_get(&R->ranks, r2[k], R->r_mean));
				h = num_of(csvtab_get(&R->ranks, r2[k], R->r_cihi));

				if (isfinite(v) && v > m->share_vmax)
					m->share_vmax = v;
				if (isfinite(h) && h > m->share_vmax)
					m->share_vmax = h;
			}
		}
	}
	if (m->ncats && m->nseries) {
		xmlNodePtr p;

		figure_put(R, parent, m, "factors", alt);
		left_out_caption(parent, n - dropped, n, "configurations",
				 "the first 16 values of the factor and 40 "
				 "combinations of the others met in the "
				 "internal cell's order, then the external's, "
				 "the same in both directions");
		p = addf(parent, "p", "On one value axis with %s's %s chart, so "
				      "that the two directions compare by eye.",
			 wl, strcmp(dir, "internal") == 0 ? "external" : "internal");
		cls(p, "caption");
		failed_caption(R, parent, rows, n);
	}
	free(fp);
	free(m);
}
