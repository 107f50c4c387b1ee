/* The XHTML report, built with libxml2's tree API from a template. */
#include "report.h"
#include "chart.h"
#include "csvtab.h"
#include "../lib/diag.h"
#include "../lib/outfile.h"

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

#ifndef VMNETRANK_VERSION
#define VMNETRANK_VERSION "0.1.0"
#endif
#ifndef VMNETRANK_DATADIR
#define VMNETRANK_DATADIR "/usr/local/share/vmnetrank"
#endif

const char *report_default_template(void)
{
	struct stat st;

	if (stat("templates/report.xhtml", &st) == 0)
		return "templates/report.xhtml";
	return VMNETRANK_DATADIR "/templates/report.xhtml";
}

/* ---- small tree helpers ---- */

static xmlNodePtr find_id(xmlNodePtr n, const char *id)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE) {
			xmlChar *v = xmlGetProp(n, BAD_CAST "id");
			int hit = v && strcmp((const char *)v, id) == 0;
			xmlNodePtr r;

			xmlFree(v);
			if (hit)
				return n;
			if ((r = find_id(n->children, id)))
				return r;
		}
	}
	return NULL;
}

static xmlNodePtr add(xmlNodePtr parent, const char *name, const char *text)
{
	return xmlNewTextChild(parent, NULL, BAD_CAST name,
			       text ? BAD_CAST text : NULL);
}

static xmlNodePtr addf(xmlNodePtr parent, const char *name, const char *fmt,
		       ...) __attribute__((format(printf, 3, 4)));
static xmlNodePtr addf(xmlNodePtr parent, const char *name, const char *fmt,
		       ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return add(parent, name, buf);
}

static void text(xmlNodePtr parent, const char *s)
{
	xmlNodeAddContent(parent, BAD_CAST s);
}

static void textf(xmlNodePtr parent, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void textf(xmlNodePtr parent, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	xmlNodeAddContent(parent, BAD_CAST buf);
}

static void cls(xmlNodePtr n, const char *c)
{
	xmlNewProp(n, BAD_CAST "class", BAD_CAST c);
}

/* A time in microseconds, in the unit that reads best. */
static const char *fmt_time(char *buf, size_t cap, const char *us_text)
{
	char *end;
	double us = strtod(us_text, &end);

	if (!*us_text || *end || !isfinite(us)) {
		snprintf(buf, cap, "-");
		return buf;
	}
	if (fabs(us) >= 1e6)
		snprintf(buf, cap, "%.4g s", us / 1e6);
	else if (fabs(us) >= 1e3)
		snprintf(buf, cap, "%.4g ms", us / 1e3);
	else
		snprintf(buf, cap, "%.4g \xC2\xB5s", us);
	return buf;
}

/* A time with its interval: "18.95 s" and, on a second line in the same
 * unit, "[18.67, 19.23]". */
static xmlNodePtr time_cell(xmlNodePtr tr, const char *v, const char *lo,
			    const char *hi)
{
	char buf[48];
	double x = strtod(v, NULL), a, b, scale = 1;
	const char *unit = "\xC2\xB5s";
	xmlNodePtr td;

	if (!*v) {
		td = add(tr, "td", "-");
		cls(td, "num");
		return td;
	}
	if (fabs(x) >= 1e6) {
		scale = 1e6;
		unit = "s";
	} else if (fabs(x) >= 1e3) {
		scale = 1e3;
		unit = "ms";
	}
	snprintf(buf, sizeof buf, "%.4g %s", x / scale, unit);
	td = add(tr, "td", buf);
	cls(td, "num");
	if (*lo && *hi) {
		a = strtod(lo, NULL) / scale;
		b = strtod(hi, NULL) / scale;
		xmlNewChild(td, NULL, BAD_CAST "br", NULL);
		snprintf(buf, sizeof buf, "[%.4g, %.4g]", a, b);
		cls(add(td, "span", buf), "ci");
	}
	return td;
}

static const char *fmt_num(char *buf, size_t cap, const char *s, int digits)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || !isfinite(v))
		snprintf(buf, cap, "-");
	else
		snprintf(buf, cap, "%.*g", digits, v);
	return buf;
}

/* A probability as a percentage, "-" when unknown. */
static const char *percent(char *buf, size_t cap, const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || !isfinite(v))
		snprintf(buf, cap, "-");
	else
		snprintf(buf, cap, "%.3g", v * 100);
	return buf;
}

/* ---- the data ---- */

struct report {
	struct csvtab summary, ranks, kendall, scores, sens, reps, hist;
	const char *outdir;
	const struct report_options *o;
	size_t ncharts;
	char (*written)[64]; /* the chart files of this run */
	int chart_failed;
	long r_view, r_wl, r_dir, r_name, r_shared, r_lo, r_hi, r_p1, r_mean,
		r_cilo, r_cihi, r_n;
	size_t f0, nf; /* factor columns of ranks.csv: [f0, f0+nf) */
	const char *confidence;
};

static int is_view(const struct report *R, size_t i, const char *v)
{
	return strcmp(csvtab_get(&R->ranks, i, R->r_view), v) == 0;
}

/* The summary.csv row of ranks.csv row I, or -1. */
static long summary_row(const struct report *R, size_t i)
{
	const struct csvtab *S = &R->summary;
	long swl = csvtab_col(S, "workload"), sdir = csvtab_col(S, "direction");

	for (size_t r = 0; r < S->nrows; r++) {
		int ok = strcmp(csvtab_get(S, r, swl),
				csvtab_get(&R->ranks, i, R->r_wl)) == 0 &&
			 strcmp(csvtab_get(S, r, sdir),
				csvtab_get(&R->ranks, i, R->r_dir)) == 0;

		for (size_t f = 0; ok && f < R->nf; f++) {
			long c = csvtab_col(S, R->ranks.head[R->f0 + f]);

			ok = c >= 0 && strcmp(csvtab_get(S, r, c),
					      csvtab_get(&R->ranks, i,
							 (long)(R->f0 + f))) == 0;
		}
		if (ok)
			return (long)r;
	}
	return -1;
}

/* ---- charts ---- */

/* Lay out, draw and link one chart: an <img> in PARENT with its size and
 * ALT.  File names are numbers, never labels. */
static void put_chart(struct report *R, xmlNodePtr parent,
		      const struct chart_model *m, const char *kind,
		      const char *alt)
{
	struct chart_layout *l = calloc(1, sizeof *l);
	char name[64], *dir = NULL, *path = NULL, num[16];
	xmlNodePtr div, img;

	if (!l)
		goto fail;
	snprintf(name, sizeof name, "charts/%02zu-%s.png", R->ncharts + 1, kind);
	{
		char (*nw)[64] = realloc(R->written, (R->ncharts + 1) * sizeof *nw);

		if (!nw)
			goto fail;
		R->written = nw;
		snprintf(R->written[R->ncharts++], 64, "%s", name + 7);
	}
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
	if (!dir || !path || (mkdir(dir, 0777) != 0 && errno != EEXIST) ||
	    chart_draw_png(m, l, path) != 0)
		goto fail;
	div = add(parent, "div", NULL);
	cls(div, "chart");
	img = xmlNewChild(div, NULL, BAD_CAST "img", NULL);
	xmlNewProp(img, BAD_CAST "src", BAD_CAST name);
	snprintf(num, sizeof num, "%.0f", l->width);
	xmlNewProp(img, BAD_CAST "width", BAD_CAST num);
	snprintf(num, sizeof num, "%.0f", l->height);
	xmlNewProp(img, BAD_CAST "height", BAD_CAST num);
	xmlNewProp(img, BAD_CAST "alt", BAD_CAST alt);
	free(l);
	free(dir);
	free(path);
	return;
fail:
	R->chart_failed = 1;
	free(l);
	free(dir);
	free(path);
}

static double num_of(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	return *s && !*end ? v : NAN;
}

/* Rows of ranks.csv in VIEW for WORKLOAD and DIRECTION, in file order. */
static size_t rows_of(const struct report *R, const char *view,
		      const char *wl, const char *dir, size_t *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < R->ranks.nrows && n < max; i++)
		if (is_view(R, i, view) &&
		    strcmp(csvtab_get(&R->ranks, i, R->r_wl), wl) == 0 &&
		    strcmp(csvtab_get(&R->ranks, i, R->r_dir), dir) == 0)
			out[n++] = i;
	return n;
}

/* The ranks.csv row of view DIR for the configuration of row I. */
static long same_config(const struct report *R, size_t i, const char *dir)
{
	for (size_t k = 0; k < R->ranks.nrows; k++) {
		int ok = is_view(R, k, dir) &&
			 strcmp(csvtab_get(&R->ranks, k, R->r_wl),
				csvtab_get(&R->ranks, i, R->r_wl)) == 0 &&
			 strcmp(csvtab_get(&R->ranks, k, R->r_name),
				csvtab_get(&R->ranks, i, R->r_name)) == 0;

		if (ok)
			return (long)k;
	}
	return -1;
}

/* Mean repetition time with intervals, internal and external side by
 * side, for one workload (the paper's figures 10-13, with error bars). */
static void chart_means(struct report *R, xmlNodePtr parent, const char *wl)
{
	struct chart_model *m = calloc(1, sizeof *m);
	size_t rows[CHART_MAX_CATS], n;
	char alt[256];

	if (!m)
		return;
	m->kind = CHART_BARS;
	m->time_axis = 1;
	snprintf(m->title, sizeof m->title, "%s: mean repetition time, %s%% CI",
		 wl, R->confidence);
	snprintf(m->ylabel, sizeof m->ylabel, "time per repetition");
	snprintf(m->xlabel, sizeof m->xlabel, "configuration");
	snprintf(m->series[0], sizeof m->series[0], "internal");
	snprintf(m->series[1], sizeof m->series[1], "external");
	m->nseries = 2;
	n = rows_of(R, "internal", wl, "internal", rows, CHART_MAX_CATS);
	for (size_t c = 0; c < n; c++) {
		long e = same_config(R, rows[c], "external");

		snprintf(m->cats[c], sizeof m->cats[c], "%s",
			 csvtab_get(&R->ranks, rows[c], R->r_name));
		m->v[0][c] = num_of(csvtab_get(&R->ranks, rows[c], R->r_mean));
		m->lo[0][c] = num_of(csvtab_get(&R->ranks, rows[c], R->r_cilo));
		m->hi[0][c] = num_of(csvtab_get(&R->ranks, rows[c], R->r_cihi));
		m->v[1][c] = e >= 0 ? num_of(csvtab_get(&R->ranks, (size_t)e, R->r_mean)) : NAN;
		m->lo[1][c] = e >= 0 ? num_of(csvtab_get(&R->ranks, (size_t)e, R->r_cilo)) : NAN;
		m->hi[1][c] = e >= 0 ? num_of(csvtab_get(&R->ranks, (size_t)e, R->r_cihi)) : NAN;
	}
	m->ncats = n;
	snprintf(alt, sizeof alt,
		 "Bar chart: mean repetition time of each configuration for "
		 "%s, internal and external side by side, with %s%% "
		 "confidence intervals",
		 wl, R->confidence);
	if (n)
		put_chart(R, parent, m, "means", alt);
	free(m);
}

/* The factors other than column SKIP, words before numbers (judged on
 * the first row, so that names and values come in the same order): their
 * names (ROW < 0) or their values in ranks.csv row ROW, joined by ", ". */
static void join_factors(const struct report *R, long skip, long row,
			 char *buf, size_t cap)
{
	buf[0] = '\0';
	for (int pass = 0; pass < 2; pass++)
		for (size_t f = 0; f < R->nf; f++) {
			long col = (long)(R->f0 + f);
			const char *first = csvtab_get(&R->ranks, 0, col);
			const char *v = row < 0 ? R->ranks.head[col]
						: csvtab_get(&R->ranks, (size_t)row, col);
			char *end;

			if (col == skip || !*first || !*v)
				continue;
			strtod(first, &end);
			if ((*end == '\0') != pass)
				continue;
			snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s",
				 *buf ? ", " : "", v);
		}
}

/* The paper's figure 14: the mean time of one cell across the other
 * factors' combinations (categories), one series per value of the --by
 * factor (e.g. per VM).  Only with a by-FACTOR view. */
static void chart_factors(struct report *R, xmlNodePtr parent, const char *wl,
			  const char *dir)
{
	struct chart_model *m;
	const char *by = NULL;
	size_t rows[CHART_MAX_CATS], n;
	long byc = -1;
	char alt[768], others[256] = "";

	for (size_t i = 0; i < R->ranks.nrows && !by; i++)
		if (strncmp(csvtab_get(&R->ranks, i, R->r_view), "by-", 3) == 0)
			by = csvtab_get(&R->ranks, i, R->r_view) + 3;
	if (!by || strchr(by, ','))
		return; /* one factor only: the series */
	byc = csvtab_col(&R->ranks, by);
	if (byc < 0 || R->nf < 2 || !(m = calloc(1, sizeof *m)))
		return;
	m->kind = CHART_BARS;
	m->time_axis = 1;
	join_factors(R, byc, -1, others, sizeof others);
	/* long names are cut, not the chart */
	snprintf(m->title, sizeof m->title, "%.32s, %.9s: mean time by %.50s, per %.20s",
		 wl, dir, others, by);
	snprintf(m->ylabel, sizeof m->ylabel, "time per repetition");
	snprintf(m->xlabel, sizeof m->xlabel, "%.79s", others);
	for (size_t s = 0; s < CHART_MAX_SERIES; s++)
		for (size_t c = 0; c < CHART_MAX_CATS; c++)
			m->v[s][c] = m->lo[s][c] = m->hi[s][c] = NAN;
	n = rows_of(R, dir, wl, dir, rows, CHART_MAX_CATS);
	for (size_t k = 0; k < n; k++) {
		size_t i = rows[k], s, c;
		const char *lead = csvtab_get(&R->ranks, i, byc);
		char cat[96] = "";

		join_factors(R, byc, (long)i, cat, sizeof cat);
		for (s = 0; s < m->nseries && strcmp(m->series[s], lead) != 0; s++)
			;
		if (s == m->nseries) {
			if (s == CHART_MAX_SERIES)
				continue;
			snprintf(m->series[m->nseries++], sizeof m->series[0], "%s", lead);
		}
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
	snprintf(alt, sizeof alt,
		 "Bar chart for %s, %s: mean repetition time for each "
		 "combination of %s, one bar per %s, with confidence intervals",
		 wl, dir, others, by);
	if (m->ncats && m->nseries)
		put_chart(R, parent, m, "factors", alt);
	free(m);
}

/* Does row R of T hold the group of ranks.csv row I, in direction DIR? */
static int same_group(const struct report *R, const struct csvtab *T,
		      size_t r, size_t i, const char *dir)
{
	if (strcmp(csvtab_get(T, r, csvtab_col(T, "workload")),
		   csvtab_get(&R->ranks, i, R->r_wl)) != 0 ||
	    strcmp(csvtab_get(T, r, csvtab_col(T, "direction")), dir) != 0)
		return 0;
	for (size_t f = 0; f < R->nf; f++) {
		long c = csvtab_col(T, R->ranks.head[R->f0 + f]);

		if (c < 0 || strcmp(csvtab_get(T, r, c),
				    csvtab_get(&R->ranks, i, (long)(R->f0 + f))) != 0)
			return 0;
	}
	return 1;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Distributions, internal and external overlaid, of the configuration of
 * ranks.csv row I (figures 17-24): repetition times when there are at
 * least 20 repetitions, else the per-operation times of hist.csv.  Bins by
 * Freedman-Diaconis; drawn as densities so that the two compare. */
static void chart_hist(struct report *R, xmlNodePtr parent, size_t i)
{
	static const char *const dirs[2] = { "internal", "external" };
	struct chart_model *m = calloc(1, sizeof *m);
	double nreps = num_of(csvtab_get(&R->ranks, i, R->r_n));
	int per_rep = nreps >= 20;
	char alt[512];

	if (!m)
		return;
	m->kind = CHART_HIST;
	m->time_axis = 1;
	m->nseries = 2;
	snprintf(m->series[0], sizeof m->series[0], "internal");
	snprintf(m->series[1], sizeof m->series[1], "external");
	snprintf(m->title, sizeof m->title, "%.40s, %.60s: %s", 
		 csvtab_get(&R->ranks, i, R->r_wl),
		 csvtab_get(&R->ranks, i, R->r_name),
		 per_rep ? "repetition times" : "per-operation times");
	snprintf(m->xlabel, sizeof m->xlabel, "%s",
		 per_rep ? "time per repetition" : "time per operation");
	snprintf(m->ylabel, sizeof m->ylabel, "density");
	if (per_rep) {
		long wall = csvtab_col(&R->reps, "wall_us");

		/* Freedman-Diaconis bins of each series' own data: internal
		 * and external often lie far apart, and bins over both
		 * together would be too wide for either */
		for (int d = 0; d < 2; d++) {
			double *x = malloc((R->reps.nrows + 1) * sizeof *x);
			size_t n = 0, nb;
			double lo, hi, iqr, h, p1, p3;

			for (size_t r = 0; x && r < R->reps.nrows; r++)
				if (same_group(R, &R->reps, r, i, dirs[d]))
					x[n++] = num_of(csvtab_get(&R->reps, r, wall));
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
		for (size_t r = 0; r < R->summary.nrows; r++)
			for (int d = 0; d < 2; d++)
				if (same_group(R, &R->summary, r, i, dirs[d])) {
					double v = num_of(csvtab_get(&R->summary, r,
								     csvtab_col(&R->summary, "op_p99")));

					if (v > p99)
						p99 = v;
				}
		for (int d = 0; d < 2; d++) {
			double total = 0;
			size_t nb = 0;

			for (size_t r = 0; r < R->hist.nrows; r++)
				if (same_group(R, &R->hist, r, i, dirs[d]))
					total += num_of(csvtab_get(&R->hist, r, cnt));
			for (size_t r = 0; r < R->hist.nrows && nb < CHART_MAX_CATS; r++) {
				double a, b;

				if (!same_group(R, &R->hist, r, i, dirs[d]) ||
				    strcmp(csvtab_get(&R->hist, r, rule), "above p99.9") == 0)
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
	snprintf(alt, sizeof alt,
		 "Histograms of %s for %s, %s: internal and external overlaid, "
		 "Freedman-Diaconis bins",
		 per_rep ? "repetition times" : "per-operation times",
		 csvtab_get(&R->ranks, i, R->r_wl),
		 csvtab_get(&R->ranks, i, R->r_name));
	if (m->nbins[0] && m->nbins[1])
		put_chart(R, parent, m, "hist", alt);
	free(m);
}

/* Each configuration's rank interval in one cell. */
static void chart_ranks(struct report *R, xmlNodePtr parent, const char *wl,
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
	n = rows_of(R, dir, wl, dir, rows, CHART_MAX_CATS);
	for (size_t c = 0; c < n; c++) {
		snprintf(m->cats[c], sizeof m->cats[c], "%s",
			 csvtab_get(&R->ranks, rows[c], R->r_name));
		m->v[0][c] = num_of(csvtab_get(&R->ranks, rows[c],
					       csvtab_col(&R->ranks, "rank")));
		m->lo[0][c] = num_of(csvtab_get(&R->ranks, rows[c], R->r_lo));
		m->hi[0][c] = num_of(csvtab_get(&R->ranks, rows[c], R->r_hi));
	}
	m->ncats = n;
	snprintf(alt, sizeof alt,
		 "Chart of rank intervals for %s, %s: each configuration's "
		 "rank by mean and the range of ranks the tests allow",
		 wl, dir);
	if (n)
		put_chart(R, parent, m, "ranks", alt);
	free(m);
}

/* Expected time of each configuration as the internal share goes from 0
 * to 1, crossovers marked, the user's share marked. */
static void chart_lines(struct report *R, xmlNodePtr parent, const char *wl)
{
	struct chart_model *m = calloc(1, sizeof *m);
	size_t rows[CHART_MAX_CATS], n;
	const struct csvtab *W = &R->sens;
	long sc = csvtab_col(W, "scope"), kd = csvtab_col(W, "kind"),
	     plo = csvtab_col(W, "p_lo"), a = csvtab_col(W, "a");
	char alt[256];

	if (!m)
		return;
	m->kind = CHART_LINES;
	m->time_axis = 1;
	m->marked_x = NAN;
	snprintf(m->title, sizeof m->title,
		 "%s: expected time by internal share of the traffic", wl);
	snprintf(m->ylabel, sizeof m->ylabel, "expected time");
	snprintf(m->xlabel, sizeof m->xlabel,
		 "internal share p (dashed: the weights' share)");
	n = rows_of(R, "internal", wl, "internal", rows, CHART_MAX_CATS);
	if (n > CHART_MAX_SERIES)
		n = CHART_MAX_SERIES;
	for (size_t c = 0; c < n; c++) {
		long e = same_config(R, rows[c], "external");
		double ti = num_of(csvtab_get(&R->ranks, rows[c], R->r_mean));
		double te = e >= 0 ? num_of(csvtab_get(&R->ranks, (size_t)e, R->r_mean)) : NAN;

		snprintf(m->cats[c], sizeof m->cats[c], "%s",
			 csvtab_get(&R->ranks, rows[c], R->r_name));
		for (size_t i = 0; i < CHART_LINE_POINTS; i++) {
			double p = (double)i / 100.0;

			m->line_y[c][i] = p * ti + (1 - p) * te;
		}
	}
	m->ncats = n;
	for (size_t i = 0; i < W->nrows; i++) {
		if (strcmp(csvtab_get(W, i, sc), wl) != 0)
			continue;
		if (strcmp(csvtab_get(W, i, kd), "winner") == 0)
			m->marked_x = num_of(csvtab_get(W, i, plo));
		else if (strcmp(csvtab_get(W, i, kd), "crossover") == 0 &&
			 m->nmarks < 256) {
			double p = num_of(csvtab_get(W, i, plo));

			for (size_t c = 0; c < n; c++)
				if (strcmp(m->cats[c], csvtab_get(W, i, a)) == 0) {
					m->mark_x[m->nmarks] = p;
					m->mark_y[m->nmarks++] =
						m->line_y[c][0] +
						p * (m->line_y[c][100] - m->line_y[c][0]);
				}
		}
	}
	snprintf(alt, sizeof alt,
		 "Line chart for %s: expected time of each configuration as "
		 "the internal share goes from 0 to 1, with the crossovers "
		 "and the weights' share marked",
		 wl);
	if (n && m->line_y[0][0] == m->line_y[0][0])
		put_chart(R, parent, m, "share", alt);
	free(m);
}

/* ---- sections ---- */

static void cell_winners(const struct report *R, xmlNodePtr ul,
			 const char *view, const char *what)
{
	/* cells of the view in file order: rows of one cell are contiguous */
	for (size_t i = 0; i < R->ranks.nrows;) {
		size_t j = i, nfirst = 0, first = i;
		xmlNodePtr li;
		char t1[32], t2[32], t3[32], t4[32];

		if (!is_view(R, i, view)) {
			i++;
			continue;
		}
		while (j < R->ranks.nrows && is_view(R, j, view) &&
		       strcmp(csvtab_get(&R->ranks, j, R->r_wl),
			      csvtab_get(&R->ranks, i, R->r_wl)) == 0 &&
		       strcmp(csvtab_get(&R->ranks, j, R->r_dir),
			      csvtab_get(&R->ranks, i, R->r_dir)) == 0) {
			if (strcmp(csvtab_get(&R->ranks, j, R->r_lo), "1") == 0)
				nfirst++;
			j++;
		}
		li = add(ul, "li", NULL);
		addf(li, "strong", "%s, %s%s: ",
		     csvtab_get(&R->ranks, first, R->r_wl),
		     csvtab_get(&R->ranks, first, R->r_dir), what);
		if (nfirst <= 1) {
			cls(add(li, "span", csvtab_get(&R->ranks, first, R->r_name)),
			    "winner");
			textf(li, " is the fastest: mean %s (%s%% CI %s to %s), "
				  "fastest in %s%% of bootstrap resamples.",
			      fmt_time(t1, sizeof t1,
				       csvtab_get(&R->ranks, first, R->r_mean)),
			      R->confidence,
			      fmt_time(t2, sizeof t2,
				       csvtab_get(&R->ranks, first, R->r_cilo)),
			      fmt_time(t3, sizeof t3,
				       csvtab_get(&R->ranks, first, R->r_cihi)),
			      percent(t4, sizeof t4,
				      csvtab_get(&R->ranks, first, R->r_p1)));
		} else {
			xmlNodePtr sp = add(li, "span", NULL);
			size_t shown = 0;

			cls(sp, "tie");
			for (size_t k = i; k < j; k++)
				if (strcmp(csvtab_get(&R->ranks, k, R->r_lo), "1") == 0) {
					if (shown)
						text(sp, shown + 1 == nfirst ? " and " : ", ");
					text(sp, csvtab_get(&R->ranks, k, R->r_name));
					shown++;
				}
			textf(li, " cannot be told apart (none is proven faster "
				  "than the others; %s has the lowest mean, %s).",
			      csvtab_get(&R->ranks, first, R->r_name),
			      fmt_time(t1, sizeof t1,
				       csvtab_get(&R->ranks, first, R->r_mean)));
		}
		i = j;
	}
}

static void section_answer(const struct report *R, xmlNodePtr div)
{
	xmlNodePtr ul;

	add(div, "h2", "The answer");
	add(div, "p", "Fastest configuration for each workload and direction, "
		      "decided by tests on the repetition times: a "
		      "configuration is named alone only when every other one "
		      "is proven slower.");
	ul = add(div, "ul", NULL);
	cls(ul, "answer");
	cell_winners(R, ul, "internal", "");
	cell_winners(R, ul, "external", "");
	if (R->scores.nrows) {
		long sc = csvtab_col(&R->scores, "scope");
		long nm = csvtab_col(&R->scores, "name");
		long lo = csvtab_col(&R->scores, "rank_lo");
		long wt = csvtab_col(&R->scores, "weights");
		xmlNodePtr p = add(div, "p", NULL);
		size_t n1 = 0;

		add(p, "strong", "For your mix of internal and external traffic: ");
		for (size_t i = 0; i < R->scores.nrows; i++)
			if (strcmp(csvtab_get(&R->scores, i, sc), "overall") == 0 &&
			    strcmp(csvtab_get(&R->scores, i, lo), "1") == 0) {
				if (n1)
					text(p, " and ");
				add(p, "span", csvtab_get(&R->scores, i, nm));
				n1++;
			}
		/* every name the same way: all winners, or all tied */
		for (xmlNodePtr c = p->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE &&
			    strcmp((const char *)c->name, "span") == 0)
				cls(c, n1 > 1 ? "tie" : "winner");
		text(p, n1 > 1 ? " cannot be told apart at the top of the "
				 "weighted score."
			       : " has the best weighted score.");
		addf(div, "p", "Weights: %s", csvtab_get(&R->scores, 0, wt));
	}
}

static void section_table3(const struct report *R, xmlNodePtr div)
{
	const char *by = NULL;
	xmlNodePtr table, tr;
	size_t most = 0;

	add(div, "h2", "Internal and external rankings");
	for (size_t i = 0; i < R->ranks.nrows; i++)
		if (strncmp(csvtab_get(&R->ranks, i, R->r_view), "by-", 3) == 0)
			by = csvtab_get(&R->ranks, i, R->r_view);
	if (!by) {
		add(div, "p", "Run 'vmnetrank rank --by vm' for the per-VM view "
			      "of the paper's Table 3.");
		return;
	}
	addf(div, "p", "The best configuration of each value of %s in every "
		       "cell, ranked with the same tests (the form of the "
		       "paper's Table 3). A rank followed by '=' is shared: "
		       "the tests cannot separate it from a neighbour.",
	     by + 3);
	for (size_t i = 0, n = 0; i < R->ranks.nrows; i++) {
		n = i && strcmp(csvtab_get(&R->ranks, i, R->r_wl),
				csvtab_get(&R->ranks, i - 1, R->r_wl)) == 0 &&
				    strcmp(csvtab_get(&R->ranks, i, R->r_dir),
					   csvtab_get(&R->ranks, i - 1, R->r_dir)) == 0
			    ? n + 1
			    : 1;
		if (is_view(R, i, by) && n > most)
			most = n;
	}
	table = add(div, "table", NULL);
	tr = add(table, "tr", NULL);
	add(tr, "th", "Workload");
	add(tr, "th", "Direction");
	for (size_t k = 1; k <= most; k++)
		addf(tr, "th", "%zu", k);
	for (size_t i = 0; i < R->ranks.nrows; i++) {
		if (!is_view(R, i, by))
			continue;
		if (i == 0 || !is_view(R, i - 1, by) ||
		    strcmp(csvtab_get(&R->ranks, i, R->r_wl),
			   csvtab_get(&R->ranks, i - 1, R->r_wl)) != 0 ||
		    strcmp(csvtab_get(&R->ranks, i, R->r_dir),
			   csvtab_get(&R->ranks, i - 1, R->r_dir)) != 0) {
			tr = add(table, "tr", NULL);
			add(tr, "td", csvtab_get(&R->ranks, i, R->r_wl));
			add(tr, "td", csvtab_get(&R->ranks, i, R->r_dir));
		}
		addf(tr, "td", "%s [%s]", csvtab_get(&R->ranks, i, R->r_name),
		     csvtab_get(&R->ranks, i, R->r_shared));
	}
	if (R->kendall.nrows) {
		long wl = csvtab_col(&R->kendall, "workload");
		long n = csvtab_col(&R->kendall, "n");
		long tau = csvtab_col(&R->kendall, "tau");
		long p = csvtab_col(&R->kendall, "p");
		long ch = csvtab_col(&R->kendall, "changed");
		xmlNodePtr ul;

		add(div, "h3", "Does the external view tell the internal story?");
		ul = add(div, "ul", NULL);
		for (size_t i = 0; i < R->kendall.nrows; i++) {
			const char *c = csvtab_get(&R->kendall, i, ch);
			size_t moved = *c ? 1 : 0;
			char t1[32], t2[32];

			for (; *c; c++)
				moved += *c == ';';
			addf(ul, "li",
			     "%s: Kendall's tau between the internal and the "
			     "external ranking of all %s configurations is %s "
			     "(p = %s); %zu change places.",
			     csvtab_get(&R->kendall, i, wl),
			     csvtab_get(&R->kendall, i, n),
			     fmt_num(t1, sizeof t1, csvtab_get(&R->kendall, i, tau), 3),
			     fmt_num(t2, sizeof t2, csvtab_get(&R->kendall, i, p), 3),
			     moved);
		}
	}
}

static void section_cells(struct report *R, xmlNodePtr div)
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
		"Warm-up operations", "P(fastest) %", NULL,
	};

	xmlNodePtr table = NULL;
	const char *last_wl = NULL;

	add(div, "h2", "Every cell");
	addf(div, "p", "Repetition wall times per configuration; intervals "
		       "at %s%%; rank intervals in parentheses.",
	     R->confidence);
	for (size_t i = 0; i < R->ranks.nrows; i++) {
		xmlNodePtr tr;
		long s;
		char a[32];
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
				for (size_t k = 0; k < R->ranks.nrows; k++)
					if (strncmp(csvtab_get(&R->ranks, k, R->r_view), "by-", 3) == 0 &&
					    strcmp(csvtab_get(&R->ranks, k, R->r_wl), last_wl) == 0 &&
					    strcmp(csvtab_get(&R->ranks, k, R->r_dir), "internal") == 0)
						chart_hist(R, div, k);
			}
			addf(div, "h3", "%s, %s", csvtab_get(&R->ranks, i, R->r_wl),
			     csvtab_get(&R->ranks, i, R->r_dir));
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
		tr = add(table, "tr", NULL);
		addf(tr, "td", "%s (%s\xE2\x80\x93%s)",
		     csvtab_get(&R->ranks, i, R->r_shared),
		     csvtab_get(&R->ranks, i, R->r_lo),
		     csvtab_get(&R->ranks, i, R->r_hi));
		add(tr, "td", csvtab_get(&R->ranks, i, R->r_name));
		cls(add(tr, "td", csvtab_get(&R->ranks, i, R->r_n)), "num");
		time_cell(tr, csvtab_get(&R->ranks, i, R->r_mean),
			  csvtab_get(&R->ranks, i, R->r_cilo),
			  csvtab_get(&R->ranks, i, R->r_cihi));
		time_cell(tr, s >= 0 ? csvtab_get(S, (size_t)s, s_median) : "",
			  s >= 0 ? csvtab_get(S, (size_t)s, s_mlo) : "",
			  s >= 0 ? csvtab_get(S, (size_t)s, s_mhi) : "");
		cls(add(tr, "td", s >= 0 ? fmt_time(a, sizeof a,
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
		cls(add(tr, "td", percent(a, sizeof a,
					  csvtab_get(&R->ranks, i, R->r_p1))),
		    "num");
	}
}

static void section_sensitivity(struct report *R, xmlNodePtr div)
{
	const struct csvtab *W = &R->sens, *S = &R->scores;
	long sc = csvtab_col(W, "scope"), kind = csvtab_col(W, "kind"),
	     plo = csvtab_col(W, "p_lo"), phi = csvtab_col(W, "p_hi"),
	     a = csvtab_col(W, "a"), b = csvtab_col(W, "b"),
	     det = csvtab_col(W, "detail");
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
				addf(div, "p", "Overall score: %s (reference: %s).",
				     csvtab_get(S, i, kd), csvtab_get(S, i, ref));
				table = add(div, "table", NULL);
				tr = add(table, "tr", NULL);
				add(tr, "th", "Rank");
				add(tr, "th", "Configuration");
				add(tr, "th", "Score (interval)");
			}
			tr = add(table, "tr", NULL);
			addf(tr, "td", "%s (%s-%s)", csvtab_get(S, i, sh),
			     csvtab_get(S, i, rlo), csvtab_get(S, i, rhi));
			add(tr, "td", csvtab_get(S, i, nm));
			cls(addf(tr, "td", "%s (%s to %s)",
				 fmt_num(t1, sizeof t1, csvtab_get(S, i, score), 4),
				 fmt_num(t2, sizeof t2, csvtab_get(S, i, lo), 4),
				 fmt_num(t3, sizeof t3, csvtab_get(S, i, hi), 4)),
			    "num");
		}
	}
	add(div, "h3", "How the ranking moves with the internal share");
	ul = add(div, "ul", NULL);
	for (size_t i = 0; i < W->nrows; i++) {
		size_t cross = 0;
		char t1[32], t2[32];

		if (strcmp(csvtab_get(W, i, kind), "winner") != 0)
			continue;
		for (size_t k = 0; k < W->nrows; k++)
			cross += strcmp(csvtab_get(W, k, sc), csvtab_get(W, i, sc)) == 0 &&
				 strcmp(csvtab_get(W, k, kind), "crossover") == 0;
		if (*csvtab_get(W, i, b))
			addf(ul, "li",
			     "%s: at an internal share of %s, %s wins; at %s "
			     "(a change of %s) %s takes over. %zu crossovers "
			     "in [0, 1].",
			     csvtab_get(W, i, sc),
			     fmt_num(t1, sizeof t1, csvtab_get(W, i, plo), 3),
			     csvtab_get(W, i, a),
			     fmt_num(t2, sizeof t2, csvtab_get(W, i, phi), 4),
			     csvtab_get(W, i, det), csvtab_get(W, i, b), cross);
		else
			addf(ul, "li",
			     "%s: at an internal share of %s, %s wins, and no "
			     "share in [0, 1] changes that. %zu crossovers in "
			     "[0, 1].",
			     csvtab_get(W, i, sc),
			     fmt_num(t1, sizeof t1, csvtab_get(W, i, plo), 3),
			     csvtab_get(W, i, a), cross);
	}
	for (size_t i = 0; i < W->nrows; i++)
		if (strcmp(csvtab_get(W, i, kind), "winner") == 0 &&
		    strcmp(csvtab_get(W, i, sc), "overall") != 0)
			chart_lines(R, div, csvtab_get(W, i, sc));
}

static void section_methodology(const struct report *R, xmlNodePtr div)
{
	long al = csvtab_col(&R->ranks, "alpha"), bs = csvtab_col(&R->ranks, "bootstrap"),
	     sd = csvtab_col(&R->ranks, "seed"), dt = csvtab_col(&R->summary, "data");

	add(div, "h2", "Methodology");
	addf(div, "p",
	     "The unit of analysis is the repetition (a whole file batch or "
	     "request series); operations inside a repetition are not treated "
	     "as independent. Intervals of the mean use Student's t at %s%%; "
	     "intervals of the median use exact binomial order statistics. "
	     "Data used: %s operations (MSER-5 warm-up is %s).",
	     R->confidence, csvtab_get(&R->summary, 0, dt),
	     strcmp(csvtab_get(&R->summary, 0, dt), "all") == 0
		     ? "reported, not removed"
		     : "removed");
	addf(div, "p",
	     "Within each cell every pair of configurations is compared with "
	     "Welch's t test, Holm-adjusted over the cell at alpha = %s, with "
	     "Fieller's interval of the ratio of means and a Mann-Whitney test "
	     "beside it. A configuration beats another only when the adjusted "
	     "p is below alpha and the whole ratio interval lies below 0.99; "
	     "otherwise they share a rank. Overlapping confidence intervals are "
	     "not used as a test.",
	     csvtab_get(&R->ranks, 0, al));
	addf(div, "p",
	     "P(fastest) and the score intervals come from %s bootstrap "
	     "resamples of the repetitions (gsl_rng_mt19937, seed %s). "
	     "Outliers are flagged by Tukey's fences and never dropped.",
	     csvtab_get(&R->ranks, 0, bs), csvtab_get(&R->ranks, 0, sd));
}

static void section_provenance(const struct report_options *o,
			       const char *dir, xmlNodePtr div)
{
	static const char *const files[] = { "inputs.csv", "samples.csv",
					     "summary.csv", "reps.csv",
					     "hist.csv", "ranks.csv",
					     "pairs.csv", "kendall.csv",
					     "scores.csv", "sensitivity.csv",
					     NULL };
	struct csvtab in;
	char *p = outfile_path(dir, "inputs.csv");
	xmlNodePtr table, tr;

	add(div, "h2", "Provenance");
	addf(div, "p", "vmnetrank %s.", VMNETRANK_VERSION);
	if (o->command) {
		xmlNodePtr para = add(div, "p", "Command: ");

		add(para, "code", o->command);
	}
	if (o->timestamp) {
		char when[64];
		time_t now = time(NULL);

		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
		addf(div, "p", "Written %s.", when);
	}
	if (p && csvtab_load(&in, p, 0) == 0 && in.nrows) {
		static const char *const heads[] = {
			"Input", "Format", "Bytes", "SHA-256", "Rows",
			"Rejected", "Warm-up", "Interrupted",
			"Header metadata", NULL,
		};
		static const char *const cols[] = {
			"path", "format", "bytes", "sha256", "rows",
			"rejected", "warmup", "interrupted", "meta", NULL,
		};

		add(div, "h3", "Raw logs");
		table = add(div, "table", NULL);
		cls(table, "cell");
		tr = add(table, "tr", NULL);
		for (size_t h = 0; heads[h]; h++)
			add(tr, "th", heads[h]);
		for (size_t r = 0; r < in.nrows; r++) {
			tr = add(table, "tr", NULL);
			for (size_t c = 0; cols[c]; c++) {
				xmlNodePtr td = add(tr, "td",
						    csvtab_get(&in, r, csvtab_col(&in, cols[c])));

				if (c == 2 || (c >= 4 && c <= 6))
					cls(td, "num");
				else if (c == 3)
					cls(td, "hash");
			}
		}
		csvtab_free(&in);
	}
	free(p);
	add(div, "h3", "Stage files");
	table = add(div, "table", NULL);
	tr = add(table, "tr", NULL);
	add(tr, "th", "File");
	add(tr, "th", "Bytes");
	for (size_t i = 0; files[i]; i++) {
		char *fp = outfile_path(dir, files[i]);
		struct stat st;

		if (fp && stat(fp, &st) == 0) {
			tr = add(table, "tr", NULL);
			add(tr, "td", files[i]);
			cls(addf(tr, "td", "%lld", (long long)st.st_size), "num");
		}
		free(fp);
	}
}

/* After a report is written: remove charts of an earlier run that this one
 * did not write (only files named like ours: NN-kind.png). */
static void remove_stale_charts(const char *outdir, char (*written)[64],
				size_t n)
{
	char *dir = outfile_path(outdir, "charts");
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL) {
		const char *s = e->d_name, *dash = strchr(s, '-');
		size_t len = strlen(s), k = 0;
		unsigned long num;
		int ours = dash && dash > s && len > 4 &&
			   strcmp(s + len - 4, ".png") == 0;

		for (const char *c = s; ours && c < dash; c++)
			ours = *c >= '0' && *c <= '9';
		for (const char *c = dash ? dash + 1 : s; ours && c < s + len - 4; c++, k++)
			ours = *c >= 'a' && *c <= 'z';
		if (!ours || k == 0)
			continue;
		num = 0;
		for (size_t w = 0; w < n && !num; w++)
			num = strcmp(written[w], s) == 0;
		if (!num) {
			char *p = outfile_path(dir, s);

			if (p)
				unlink(p);
			free(p);
		}
	}
	if (d)
		closedir(d);
	free(dir);
}

/* ---- saving ---- */

static int write_cb(void *ctx, const char *buf, int len)
{
	return fwrite(buf, 1, (size_t)len, ctx) == (size_t)len ? len : -1;
}

static int close_cb(void *ctx)
{
	(void)ctx;
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	struct outfile of;
	FILE *in = fopen(from, "rb");
	char buf[8192];
	size_t n;

	if (!in) {
		diag_at(DIAG_ERROR, from, 0, 0, "cannot read the stylesheet");
		return -1;
	}
	if (outfile_open(&of, to) != 0) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, of.fp);
	fclose(in);
	return outfile_commit(&of);
}

int report_run(const char *dir, const struct report_options *o,
	       const char *outdir)
{
	static const char *const slots[] = { "title", "heading", "answer",
					     "table3", "sensitivity", "cells",
					     "methodology", "provenance", NULL };
	struct report R;
	const char *tpl = o->template_path ? o->template_path
					   : report_default_template();
	const char *title = o->title ? o->title : "vmnetrank report";
	xmlDocPtr doc = NULL;
	xmlNodePtr slot[8];
	int rc = -1, missing = 0;
	char *p = NULL;

	memset(&R, 0, sizeof R);
	R.outdir = outdir;
	R.o = o;
	{
		static const char *const names[] = { "summary.csv", "ranks.csv",
						     "kendall.csv", "scores.csv",
						     "sensitivity.csv", "reps.csv",
						     "hist.csv" };
		struct csvtab *t[] = { &R.summary, &R.ranks, &R.kendall,
				       &R.scores, &R.sens, &R.reps, &R.hist };

		for (int i = 0; i < 7; i++) {
			p = outfile_path(dir, names[i]);
			if (!p || csvtab_load(t[i], p, i < 2) != 0)
				goto out;
			free(p);
			p = NULL;
		}
	}
	R.r_view = csvtab_col(&R.ranks, "view");
	R.r_wl = csvtab_col(&R.ranks, "workload");
	R.r_dir = csvtab_col(&R.ranks, "direction");
	R.r_name = csvtab_col(&R.ranks, "name");
	R.r_shared = csvtab_col(&R.ranks, "shared");
	R.r_lo = csvtab_col(&R.ranks, "rank_lo");
	R.r_hi = csvtab_col(&R.ranks, "rank_hi");
	R.r_p1 = csvtab_col(&R.ranks, "p_rank1");
	R.r_mean = csvtab_col(&R.ranks, "mean");
	R.r_cilo = csvtab_col(&R.ranks, "ci_lo");
	R.r_cihi = csvtab_col(&R.ranks, "ci_hi");
	R.r_n = csvtab_col(&R.ranks, "n_reps");
	if (R.r_view != 0 || R.r_dir < 0 || R.r_name <= R.r_dir ||
	    R.r_lo < 0 || R.r_mean < 0 || R.summary.nrows == 0) {
		diag_at(DIAG_ERROR, dir, 0, 0,
			"ranks.csv or summary.csv is not as 'vmnetrank rank' "
			"and 'vmnetrank stats' write them");
		goto out;
	}
	R.f0 = (size_t)R.r_dir + 1;
	R.nf = (size_t)R.r_name - R.f0;
	{
		double c = strtod(csvtab_get(&R.summary, 0,
					     csvtab_col(&R.summary, "confidence")),
				  NULL);
		static char buf[16];

		snprintf(buf, sizeof buf, "%g", c * 100);
		R.confidence = buf;
	}
	doc = xmlReadFile(tpl, NULL, XML_PARSE_NONET);
	if (!doc) {
		diag_at(DIAG_ERROR, tpl, 0, 0,
			"cannot read the template (expected well-formed "
			"XHTML)");
		goto out;
	}
	for (int i = 0; slots[i]; i++) {
		slot[i] = find_id(xmlDocGetRootElement(doc), slots[i]);
		if (!slot[i]) {
			diag_at(DIAG_ERROR, tpl, 0, 0,
				"no element with id=\"%s\" (every template "
				"needs the placeholders title, heading, "
				"answer, table3, sensitivity, cells, "
				"methodology, provenance)",
				slots[i]);
			missing = 1;
		}
	}
	if (missing)
		goto out;
	xmlNodeSetContent(slot[0], NULL);
	xmlNodeAddContent(slot[0], BAD_CAST title);
	xmlNodeSetContent(slot[1], NULL);
	xmlNodeAddContent(slot[1], BAD_CAST title);
	if (o->nnotes) {
		/* what the caller says about the data (a testbed, a caveat),
		 * as text, before the answer */
		xmlNodePtr notes = add(slot[2], "div", NULL);

		cls(notes, "notes");
		for (size_t i = 0; i < o->nnotes; i++)
			add(notes, "p", o->notes[i]);
	}
	section_answer(&R, slot[2]);
	section_table3(&R, slot[3]);
	section_sensitivity(&R, slot[4]);
	section_cells(&R, slot[5]);
	section_methodology(&R, slot[6]);
	section_provenance(o, dir, slot[7]);
	if (R.chart_failed)
		goto out;
	{
		struct outfile of;
		xmlSaveCtxtPtr save;

		p = outfile_path(outdir, "report.xhtml");
		if (!p || outfile_open(&of, p) != 0)
			goto out;
		save = xmlSaveToIO(write_cb, close_cb, of.fp, "UTF-8",
				   XML_SAVE_FORMAT | XML_SAVE_XHTML);
		if (!save || xmlSaveDoc(save, doc) < 0 || xmlSaveClose(save) < 0) {
			diag_at(DIAG_ERROR, p, 0, 0, "cannot write the report");
			outfile_abort(&of);
			goto out;
		}
		if (outfile_commit(&of) != 0)
			goto out;
		free(p);
		p = NULL;
		remove_stale_charts(outdir, R.written, R.ncharts);
	}
	{
		/* the stylesheet beside the template goes beside the report */
		const char *slash = strrchr(tpl, '/');
		size_t dl = slash ? (size_t)(slash - tpl) : 0;
		char *css = malloc(dl + 16), *to;

		if (!css)
			goto out;
		snprintf(css, dl + 16, "%.*s%sreport.css", (int)dl, tpl,
			 slash ? "/" : "");
		to = outfile_path(outdir, "report.css");
		rc = to ? copy_file(css, to) : -1;
		free(css);
		free(to);
	}
out:
	free(p);
	if (doc)
		xmlFreeDoc(doc);
	csvtab_free(&R.summary);
	csvtab_free(&R.ranks);
	csvtab_free(&R.kendall);
	csvtab_free(&R.scores);
	csvtab_free(&R.sens);
	csvtab_free(&R.reps);
	csvtab_free(&R.hist);
	free(R.written);
	chart_measure_release();
	return rc;
}
