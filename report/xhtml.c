/* The XHTML report, built with libxml2's tree API from a template. */
#include "report.h"
#include "chart.h"
#include "csvtab.h"
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

#ifndef VMNETRANK_VERSION
#define VMNETRANK_VERSION "0.1.0"
#endif
#ifndef VMNETRANK_DATADIR
#define VMNETRANK_DATADIR "/usr/local/share/vmnetrank"
#endif

/*
 * The template when no --template is given: an installed binary
 * (PREFIX/bin/vmnetrank) uses PREFIX/share/vmnetrank; a binary anywhere
 * else is a build tree's (the checkout's ./vmnetrank, build/vmnetrank), and
 * finds templates/ beside itself or one folder up, whatever the current
 * folder is.  Failing both, the installed path (whose error names it).
 */
const char *report_default_template(void)
{
	static char found[4200];
	char exe[4096], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	struct stat st;

	if (n <= 0)
		return VMNETRANK_DATADIR "/templates/report.xhtml";
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return VMNETRANK_DATADIR "/templates/report.xhtml";
	*slash = '\0';
	{
		/* installed: DATADIR is PREFIX/share/vmnetrank, the binary in
		 * PREFIX/bin */
		const char *dd = VMNETRANK_DATADIR;
		const char *tail = strstr(dd, "/share/vmnetrank");
		size_t plen = tail ? (size_t)(tail - dd) : 0;

		if (tail && strlen(exe) == plen + 4 &&
		    memcmp(exe, dd, plen) == 0 && strcmp(exe + plen, "/bin") == 0)
			return VMNETRANK_DATADIR "/templates/report.xhtml";
	}
	snprintf(found, sizeof found, "%s/templates/report.xhtml", exe);
	if (stat(found, &st) == 0 && S_ISREG(st.st_mode))
		return found;
	slash = strrchr(exe, '/');
	if (slash) {
		*slash = '\0';
		snprintf(found, sizeof found, "%s/templates/report.xhtml",
			 *exe ? exe : "");
		if (stat(found, &st) == 0 && S_ISREG(st.st_mode))
			return found;
	}
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

/* A figure of the metric's UNIT, in the unit that reads best ("-" when
 * there is none). */
static const char *fmt_val(char *buf, size_t cap, enum metric_unit u,
			   const char *text)
{
	char *end;
	double v = strtod(text, &end);

	if (!*text || *end || !isfinite(v))
		v = NAN;
	return metric_format(buf, cap, u, v);
}

static double num_of(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	return *s && !*end ? v : NAN;
}

/* A figure with its interval: "18.95 s" and, on a second line in the same
 * unit, "[18.67, 19.23] s". */
static xmlNodePtr val_cell(xmlNodePtr tr, enum metric_unit u, const char *v,
			   const char *lo, const char *hi)
{
	char a[48], b[80];
	xmlNodePtr td;

	metric_format_ci(a, sizeof a, b, sizeof b, u, num_of(v), num_of(lo),
			 num_of(hi));
	td = add(tr, "td", a);
	cls(td, "num");
	if (*v && (*lo || *hi)) {
		xmlNewChild(td, NULL, BAD_CAST "br", NULL);
		cls(add(td, "span", b), "ci");
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
	int chart_failed;
	long r_view, r_wl, r_dir, r_name, r_shared, r_lo, r_hi, r_p1, r_mean,
		r_cilo, r_cihi, r_n, r_metric, r_elig, r_fshare, r_nops,
		r_failed, r_mnote;
	struct csvtab pairs;
	struct csvtab changes; /* changes.csv, when an earlier run was there */
	int has_changes;
	struct csvtab baseline; /* baseline.csv (run --baseline) */
	const char *dir;        /* the stage files' folder */
	size_t f0, nf; /* factor columns of ranks.csv: [f0, f0+nf) */
	const char *confidence;
	const char *data; /* the figures ranked: all, or steady-state */
	size_t ncellids;  /* the cells' headings, for the table of contents */
	char cellids[512][96];
};

static int is_view(const struct report *R, size_t i, const char *v)
{
	return strcmp(csvtab_get(&R->ranks, i, R->r_view), v) == 0;
}

/* The metric ranks.csv row I was ranked by (wall when it does not say). */
static const struct metric *row_metric(const struct report *R, size_t i)
{
	const struct metric *m = metric_find(csvtab_get(&R->ranks, i, R->r_metric));

	return m ? m : &metrics[M_WALL];
}

/* Row I may be named fastest (no failed operations beyond the allowance). */
static int row_eligible(const struct report *R, size_t i)
{
	return strcmp(csvtab_get(&R->ranks, i, R->r_elig), "no") != 0;
}

/* "12.5%" of failed operations, or "" when there are none. */
static const char *failed_share(char *buf, size_t cap, const struct report *R,
				size_t i)
{
	double v = num_of(csvtab_get(&R->ranks, i, R->r_fshare));

	if (!(v > 0))
		snprintf(buf, cap, "%s", "");
	else
		snprintf(buf, cap, "%.3g%%", 100 * v);
	return buf;
}

/* The summary.csv row of ranks.csv row I (for its metric), or -1. */
static long summary_row(const struct report *R, size_t i)
{
	const struct csvtab *S = &R->summary;
	long swl = csvtab_col(S, "workload"), sdir = csvtab_col(S, "direction"),
	     smet = csvtab_col(S, "metric");

	long sdt = csvtab_col(S, "data");

	for (size_t r = 0; r < S->nrows; r++) {
		int ok = (sdt < 0 || strcmp(csvtab_get(S, r, sdt), R->data) == 0) &&
			 strcmp(csvtab_get(S, r, swl),
				csvtab_get(&R->ranks, i, R->r_wl)) == 0 &&
			 strcmp(csvtab_get(S, r, sdir),
				csvtab_get(&R->ranks, i, R->r_dir)) == 0 &&
			 strcmp(csvtab_get(S, r, smet), row_metric(R, i)->name) == 0;

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

/* The report-wide style of a name in column COL of ranks.csv (R->r_name:
 * a configuration; a factor's column: one of its values): its place among
 * the column's distinct values in the cells' rows (views internal and
 * external), sorted by byte order.  So one configuration has one colour in
 * every chart, whatever its rank there, and the order does not change
 * when a run adds repetitions. */
static unsigned short name_style(const struct report *R, long col,
				 const char *name)
{
	size_t below = 0;

	for (size_t i = 0; i < R->ranks.nrows; i++) {
		const char *v = csvtab_get(&R->ranks, i, col);
		int first = 1;

		if ((!is_view(R, i, "internal") && !is_view(R, i, "external")) ||
		    strcmp(v, name) >= 0)
			continue;
		/* counted once: its first row among the cells' rows */
		for (size_t k = 0; k < i && first; k++)
			if ((is_view(R, k, "internal") || is_view(R, k, "external")) &&
			    strcmp(csvtab_get(&R->ranks, k, col), v) == 0)
				first = 0;
		below += first;
	}
	return (unsigned short)(below < 65535 ? below : 65535);
}

/* How many rows of VIEW a cell has (rows_of without a limit). */
static size_t count_rows(const struct report *R, const char *view,
			 const char *wl, const char *dir)
{
	size_t n = 0;

	for (size_t i = 0; i < R->ranks.nrows; i++)
		n += is_view(R, i, view) &&
		     strcmp(csvtab_get(&R->ranks, i, R->r_wl), wl) == 0 &&
		     strcmp(csvtab_get(&R->ranks, i, R->r_dir), dir) == 0;
	return n;
}

/* Under a chart that cannot show every item: which it shows, and how
 * many it leaves out (the tables have them all). */
static void left_out_caption(xmlNodePtr parent, size_t shown, size_t total,
			     const char *what, const char *which)
{
	xmlNodePtr p;

	if (shown >= total)
		return;
	p = addf(parent, "p", "This chart shows %zu of the %zu %s (%s); the "
			      "other %zu are left out of it, not of the "
			      "tables and the tests.",
		 shown, total, what, which, total - shown);
	cls(p, "caption");
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
/* A configuration's name for a chart category, with the share of failed
 * operations of rows I (internal) and E (external; -1: none) when any. */
static void cat_name(const struct report *R, size_t i, long e, char *buf,
		     size_t cap)
{
	char a[16], b[16];

	failed_share(a, sizeof a, R, i);
	if (e >= 0)
		failed_share(b, sizeof b, R, (size_t)e);
	else
		b[0] = '\0';
	if (!*a && !*b)
		snprintf(buf, cap, "%.80s", csvtab_get(&R->ranks, i, R->r_name));
	else
		snprintf(buf, cap, "%.40s (%s%.15s%s%s%.15s failed)",
			 csvtab_get(&R->ranks, i, R->r_name), *a ? "int " : "", a,
			 *a && *b ? ", " : "", *b ? "ext " : "", b);
}

/* Under a chart of ranks.csv rows ROWS: which of them had failed
 * operations (nothing when none had). */
static void failed_caption(const struct report *R, xmlNodePtr parent,
			   const size_t *rows, size_t n)
{
	xmlNodePtr p = NULL;
	char a[16];

	for (size_t k = 0; k < n; k++) {
		size_t i = rows[k];

		if (!*failed_share(a, sizeof a, R, i))
			continue;
		if (!p) {
			p = add(parent, "p", "With failed operations (never "
					     "named fastest unless allowed; not "
					     "drawn where only the eligible "
					     "are): ");
			cls(p, "caption");
		} else {
			text(p, "; ");
		}
		textf(p, "%s, %s failed%s", csvtab_get(&R->ranks, i, R->r_name), a,
		      *csvtab_get(&R->ranks, i, R->r_mean) ? "" : " (no times)");
	}
	if (p)
		text(p, ".");
}

/* Mean repetition figure with intervals, internal and external side by
 * side, for one workload (the paper's figures 10-13, with error bars). */
static void chart_means(struct report *R, xmlNodePtr parent, const char *wl)
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
		put_chart(R, parent, m, "means", alt);
		left_out_caption(parent, n, count_rows(R, "internal", wl, "internal"),
				 "configurations", "the best by internal rank");
	}
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
	const struct metric *mt;
	size_t dropped = 0;

	for (size_t i = 0; i < R->ranks.nrows && !by; i++)
		if (strncmp(csvtab_get(&R->ranks, i, R->r_view), "by-", 3) == 0)
			by = csvtab_get(&R->ranks, i, R->r_view) + 3;
	if (!by || strchr(by, ','))
		return; /* one factor only: the series */
	byc = csvtab_col(&R->ranks, by);
	if (byc < 0 || R->nf < 2 || !(m = calloc(1, sizeof *m)))
		return;
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

		join_factors(R, byc, (long)i, cat, sizeof cat);
		for (s = 0; s < m->nseries && strcmp(m->series[s], lead) != 0; s++)
			;
		if (s == m->nseries) {
			if (s == CHART_MAX_SERIES) {
				dropped++;
				continue;
			}
			snprintf(m->series[m->nseries++], sizeof m->series[0], "%s", lead);
		}
		for (c = 0; c < m->ncats && strcmp(m->cats[c], cat) != 0; c++)
			;
		if (c == m->ncats) {
			if (c == CHART_MAX_BARS) {
				dropped++;
				continue;
			}
			snprintf(m->cats[m->ncats++], sizeof m->cats[0], "%s", cat);
		}
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
	 * larger of the two cells' highest bar or whisker */
	{
		const char *dirs2[2] = { "internal", "external" };
		size_t r2[CHART_MAX_CATS];

		for (int d = 0; d < 2; d++) {
			size_t n2 = rows_of(R, dirs2[d], wl, dirs2[d], r2, CHART_MAX_CATS);

			for (size_t k = 0; k < n2; k++) {
				double v = num_of(csvtab_get(&R->ranks, r2[k], R->r_mean));
				double h = num_of(csvtab_get(&R->ranks, r2[k], R->r_cihi));

				if (isfinite(v) && v > m->share_vmax)
					m->share_vmax = v;
				if (isfinite(h) && h > m->share_vmax)
					m->share_vmax = h;
			}
		}
	}
	if (m->ncats && m->nseries) {
		xmlNodePtr p;

		put_chart(R, parent, m, "factors", alt);
		left_out_caption(parent, n - dropped, n, "configurations",
				 "the first 16 values of the factor and 40 "
				 "combinations of the others, in the cell's "
				 "order");
		p = addf(parent, "p", "On one value axis with %s's %s chart, so "
				      "that the two directions compare by eye.",
			 wl, strcmp(dir, "internal") == 0 ? "external" : "internal");
		cls(p, "caption");
		failed_caption(R, parent, rows, n);
	}
	free(m);
}

/* Does row R of T hold the group of ranks.csv row I, in direction DIR? */
static int same_group(const struct report *R, const struct csvtab *T,
		      size_t r, size_t i, const char *dir)
{
	long dc = csvtab_col(T, "data");

	if (dc >= 0 && strcmp(csvtab_get(T, r, dc), R->data) != 0)
		return 0; /* figures of the other kind (--steady) */
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

			for (size_t r = 0; x && r < R->reps.nrows; r++)
				if (same_group(R, &R->reps, r, i, dirs[d]) &&
				    isfinite(num_of(csvtab_get(&R->reps, r, wall))))
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
static void charts_hist(struct report *R, xmlNodePtr parent, const size_t *rows,
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
		put_chart(R, parent, m[k], "hist", alt[k]);
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
static void section_baseline(struct report *R, xmlNodePtr div)
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
	put_chart(R, div, m, "baseline",
		  "Forest plot: each matched group's ratio of its new to its "
		  "baseline time, with its interval; 1 is marked, slower groups "
		  "in vermillion, faster in green, the rest grey");
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
		put_chart(R, parent, m, "ranks", alt);
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

static void chart_lines(struct report *R, xmlNodePtr parent, const char *wl)
{
	struct chart_model *m = calloc(1, sizeof *m);
	size_t rows[CHART_MAX_CATS], n, k = 0;
	const struct csvtab *W = &R->sens;
	long sc = csvtab_col(W, "scope"), kd = csvtab_col(W, "kind"),
	     plo = csvtab_col(W, "p_lo"), a = csvtab_col(W, "a");
	const struct metric *mt;
	double ti[CHART_MAX_SERIES], te[CHART_MAX_SERIES];
	char alt[320], keep[CHART_MAX_CATS] = { 0 };
	size_t lines_total = 0;

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
	/* the configurations that may win, measured both ways: at most
	 * CHART_MAX_LINES, those best at some share first (sensitivity.csv's
	 * intervals), then by internal rank; said under the chart */
	{
		long ia = csvtab_col(W, "a");
		size_t nsel = 0, eligible = 0, sel[CHART_MAX_CATS];

		for (size_t c = 0; c < n; c++) {
			long e = same_config(R, rows[c], "external");

			if (e < 0 || !row_eligible(R, rows[c]) ||
			    !row_eligible(R, (size_t)e))
				continue;
			eligible++;
			for (size_t i = 0; i < W->nrows && nsel < CHART_MAX_LINES; i++)
				if (strcmp(csvtab_get(W, i, sc), wl) == 0 &&
				    strcmp(csvtab_get(W, i, kd), "interval") == 0 &&
				    strcmp(csvtab_get(W, i, ia),
					   csvtab_get(&R->ranks, rows[c], R->r_name)) == 0) {
					sel[nsel++] = c;
					break;
				}
		}
		for (size_t c = 0; c < n && nsel < CHART_MAX_LINES; c++) {
			long e = same_config(R, rows[c], "external");
			int in = 0;

			if (e < 0 || !row_eligible(R, rows[c]) ||
			    !row_eligible(R, (size_t)e))
				continue;
			for (size_t j = 0; j < nsel; j++)
				in |= sel[j] == c;
			if (!in)
				sel[nsel++] = c;
		}
		lines_total = eligible;
		for (size_t j = 0; j < nsel; j++)
			keep[sel[j]] = 1;
	}
	for (size_t c = 0; c < n && k < CHART_MAX_SERIES; c++) {
		long e = same_config(R, rows[c], "external");

		if (!keep[c] || e < 0 || !row_eligible(R, rows[c]) ||
		    !row_eligible(R, (size_t)e))
			continue;
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
		put_chart(R, parent, m, "share", alt);
		left_out_caption(parent, k, lines_total, "configurations that may win",
				 "those best at some share, then the best by "
				 "internal rank");
		failed_caption(R, parent, rows, n); /* those not drawn */
	}
	free(m);
}

/* ---- sections ---- */

/* pairs.csv's verdict in VIEW between configurations A and B of a cell:
 * 1 when A beats B, -1 when B beats A, 0 when tied, -2 when not there. */
/* The pairs.csv row of A and B in one cell of VIEW (*SIGN 1 when A is the
 * row's a, -1 when it is its b), or -1. */
static long pair_row(const struct report *R, const char *view, const char *wl,
		     const char *dir, const char *a, const char *b, int *sign)
{
	const struct csvtab *P = &R->pairs;
	long cv = csvtab_col(P, "view"), cw = csvtab_col(P, "workload"),
	     cd = csvtab_col(P, "direction"), ca = csvtab_col(P, "a"),
	     cb = csvtab_col(P, "b");

	for (size_t r = 0; r < P->nrows; r++) {
		const char *x = csvtab_get(P, r, ca), *y = csvtab_get(P, r, cb);

		if (strcmp(csvtab_get(P, r, cv), view) != 0 ||
		    strcmp(csvtab_get(P, r, cw), wl) != 0 ||
		    strcmp(csvtab_get(P, r, cd), dir) != 0)
			continue;
		if (strcmp(x, a) == 0 && strcmp(y, b) == 0)
			*sign = 1;
		else if (strcmp(x, b) == 0 && strcmp(y, a) == 0)
			*sign = -1;
		else
			continue;
		return (long)r;
	}
	return -1;
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
static double rank_num(const struct report *R, size_t i, const char *name)
{
	long c = csvtab_col(&R->ranks, name);

	return c < 0 ? NAN : num_of(csvtab_get(&R->ranks, i, c));
}

/* The margin rank used, from ranks.csv (1% when it does not say). */
static double rank_margin(const struct report *R)
{
	double m = R->ranks.nrows ? rank_num(R, 0, "margin") : NAN;

	return isfinite(m) ? m : 0.01;
}

/* What the cell of ranks.csv row I could show, in words. */
static void cell_power_text(const struct report *R, size_t i, char *buf,
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
static void normality_note(const struct report *R, xmlNodePtr parent,
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
static void invert_ratio(double *ratio, double *lo, double *hi)
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

static void section_answer(const struct report *R, xmlNodePtr div)
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
		addf(div, "p", "Weights: %s", csvtab_get(&R->scores, 0, wt));
	}
	section_changes(R, div);
}

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
	for (size_t i = 0; i < R->ranks.nrows; i++)
		if (is_view(R, i, view) &&
		    strcmp(csvtab_get(&R->ranks, i, R->r_wl), wl) == 0 &&
		    strcmp(csvtab_get(&R->ranks, i, R->r_dir), dir) == 0 &&
		    strcmp(csvtab_get(&R->ranks, i, R->r_name), name) == 0)
			return (long)i;
	return -1;
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

/* "What each factor changes": for every factor of exactly two levels,
 * each pair of eligible configurations of a cell that differ in that
 * factor alone (the rest held: the technology, the other sizes), its
 * ratio first level / second from pairs.csv, with the unpaired interval
 * and verdict and, when the logs have rounds, the paired one. */
static void section_factors(const struct report *R, xmlNodePtr div)
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
	int head = 0;

	if (pv < 0 || pa < 0 || pb < 0 || pr < 0 || R->nf == 0)
		return;
	for (size_t k = R->f0; k < R->f0 + R->nf; k++) {
		xmlNodePtr table = NULL, tr;

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
		}
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
		if (row_eligible(R, i)) {
			addf(tr, "td", "%s [%s]", csvtab_get(&R->ranks, i, R->r_name),
			     csvtab_get(&R->ranks, i, R->r_shared));
		} else {
			char a[16];

			cls(addf(tr, "td", "%s [%s: %s failed]",
				 csvtab_get(&R->ranks, i, R->r_name),
				 csvtab_get(&R->ranks, i, R->r_shared),
				 failed_share(a, sizeof a, R, i)),
			    "excluded");
		}
	}
	section_kendall(R, div);
}

/* The cell of ranks.csv rows [I, J): how many of its repetitions MSER-5
 * found no steady state in, appended to PARA. */
static void cell_steady_text(const struct report *R, xmlNodePtr para, size_t i,
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
		"Warm-up operations", "Failed operations",
		"P(fastest) % (bootstrap, descriptive)", NULL,
	};

	xmlNodePtr table = NULL;
	const char *last_wl = NULL;

	add(div, "h2", "Every cell");
	addf(div, "p", "Per configuration, the figure each workload is ranked "
		       "by (named above each table) over its repetitions; "
		       "intervals at %s%%; rank intervals in parentheses. "
		       "Operation figures (p99) are of the successful "
		       "operations only.",
	     R->confidence);
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

static void section_sensitivity(struct report *R, xmlNodePtr div)
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
			/* what the test says between the crossovers */
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
	char *p = outfile_path(R->dir, "inputs.csv");
	struct csvtab in;
	struct stat st;
	size_t n[4] = { 0 }, total = 0;
	static const char *const order[] = { "meta.order=rmit", "meta.order=blocked",
					     "meta.order=random", NULL };

	if (!p || stat(p, &st) != 0 || csvtab_load(&in, p, 0) != 0) {
		/* no inputs.csv (the stages run one by one): nothing says */
		memset(&in, 0, sizeof in);
		n[3] = total = 1;
	}
	free(p);
	for (size_t r = 0; r < in.nrows; r++) {
		const char *m = csvtab_get(&in, r, csvtab_col(&in, "meta"));
		int k = 3;

		for (int j = 0; order[j]; j++)
			if (strstr(m, order[j]))
				k = j;
		n[k]++;
		total++;
	}
	if (in.head)
		csvtab_free(&in);
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

static void section_methodology(const struct report *R, xmlNodePtr div)
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
	     strcmp(R->data, "all") == 0
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

/* -1 when inputs.csv is there but not as run writes it. */
/* One line before the answer: how much went in and when it was measured
 * (the provenance at the end has the details). */
static void data_summary(const struct report *R, const char *dir,
			 xmlNodePtr div, int notes)
{
	const struct csvtab *S = &R->summary;
	long m = csvtab_col(S, "metric"), nr = csvtab_col(S, "n_reps"),
	     no = csvtab_col(S, "n_ops");
	long rs = csvtab_col(&R->reps, "start_us"), rw = csvtab_col(&R->reps, "wall_us");
	double reps = 0, ops = 0, t0 = INFINITY, t1 = -INFINITY;
	size_t groups = 0, logs = 0;
	char *p = outfile_path(dir, "inputs.csv");
	struct csvtab in;
	struct stat st;
	xmlNodePtr para;

	if (p && stat(p, &st) == 0 && csvtab_load(&in, p, 0) == 0) {
		logs = in.nrows;
		csvtab_free(&in);
	}
	free(p);
	long dc = csvtab_col(S, "data");

	for (size_t i = 0; i < S->nrows; i++)
		if ((dc < 0 || strcmp(csvtab_get(S, i, dc), R->data) == 0) &&
		    (strcmp(csvtab_get(S, i, m), "wall") == 0 ||
		     strcmp(csvtab_get(S, i, m), "busy") == 0)) {
			if (i > 0 && strcmp(csvtab_get(S, i - 1, m), "wall") == 0 &&
			    strcmp(csvtab_get(S, i, m), "busy") == 0)
				continue; /* one row per group */
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

/* A table of contents at the top of the answer: the sections, and each
 * cell of "Every cell" by the anchors it was given. */
static void contents(const struct report *R, xmlNodePtr *slot, int notes)
{
	static const char *const ids[] = { "answer", "notes", "table3",
					   "sensitivity", "cells",
					   "methodology", "provenance", NULL };
	static const char *const names[] = {
		"The answer", "About the data", "Internal and external rankings",
		"Weighted scores", "Every cell", "Methodology", "Provenance",
		NULL,
	};
	xmlNodePtr nav = xmlNewNode(NULL, BAD_CAST "div"), ul, first;

	xmlNewProp(nav, BAD_CAST "id", BAD_CAST "toc");
	cls(nav, "toc");
	add(nav, "p", "Contents");
	ul = add(nav, "ul", NULL);
	for (size_t k = 0; ids[k]; k++) {
		xmlNodePtr li, a;
		char href[48];

		if (k == 1 && !notes)
			continue;
		li = add(ul, "li", NULL);
		snprintf(href, sizeof href, "#%s", ids[k]);
		a = add(li, "a", names[k]);
		xmlNewProp(a, BAD_CAST "href", BAD_CAST href);
		if (k == 4 && R->ncellids) {
			xmlNodePtr sub = add(li, "ul", NULL);

			for (size_t c = 0; c < R->ncellids; c++) {
				snprintf(href, sizeof href, "#cell-%zu", c + 1);
				a = add(add(sub, "li", NULL), "a", R->cellids[c]);
				xmlNewProp(a, BAD_CAST "href", BAD_CAST href);
			}
		}
	}
	/* after the summary line, before the answer's heading */
	first = slot[2]->children;
	while (first && !(first->type == XML_ELEMENT_NODE &&
			  xmlStrcmp(first->name, BAD_CAST "h2") == 0))
		first = first->next;
	if (first)
		xmlAddPrevSibling(first, nav);
	else
		xmlAddChild(slot[2], nav);
}

static int section_provenance(const struct report_options *o,
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
	struct stat pst;
	int rc = 0, loaded = 0;

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
	if (p && stat(p, &pst) == 0) {
		loaded = csvtab_load(&in, p, 0) == 0;
		if (!loaded)
			rc = -1;
	}
	if (loaded && in.nrows) {
		static const char *const heads[] = {
			"Input", "Format", "Bytes", "SHA-256", "Rows",
			"Rejected", "Warm-up", "Failed", "Interrupted",
			"Left out", "Start stamps (\xC2\xB5s)",
			"Header metadata", NULL,
		};
		static const char *const cols[] = {
			"path", "format", "bytes", "sha256", "rows",
			"rejected", "warmup", "failed", "interrupted",
			"left_out", "start_res_us", "meta", NULL,
		};

		add(div, "h3", "Raw logs");
		addf(div, "p", "SHA-256 shortened to 12 hex digits and long "
			       "header metadata to its start (the whole of "
			       "each in its tooltip and in inputs.csv).");
		table = add(div, "table", NULL);
		cls(table, "inputs");
		tr = add(table, "tr", NULL);
		for (size_t h = 0; heads[h]; h++)
			add(tr, "th", heads[h]);
		for (size_t r = 0; r < in.nrows; r++) {
			tr = add(table, "tr", NULL);
			for (size_t c = 0; cols[c]; c++) {
				const char *v = csvtab_get(&in, r, csvtab_col(&in, cols[c]));
				xmlNodePtr td;

				if (c == 3) {
					/* 12 hex digits shown, the whole hash
					 * in the title (and in inputs.csv) */
					xmlNodePtr sp;

					td = add(tr, "td", NULL);
					sp = addf(td, "span", "%.12s", v);
					xmlNewProp(sp, BAD_CAST "title", BAD_CAST v);
					cls(td, "hash");
					continue;
				}
				if (c == 11 && strlen(v) > 72) {
					/* a log's header can hold its whole
					 * command line: its start shown, all of
					 * it in the title (and in inputs.csv) */
					xmlNodePtr sp;
					size_t cut = 64;

					while (cut > 0 && (v[cut] & 0xC0) == 0x80)
						cut--; /* not inside a UTF-8 character */
					td = add(tr, "td", NULL);
					sp = addf(td, "span", "%.*s\xE2\x80\xA6", (int)cut, v);
					xmlNewProp(sp, BAD_CAST "title", BAD_CAST v);
					cls(td, "meta");
					continue;
				}
				td = add(tr, "td", v);
				if (c == 2 || (c >= 4 && c <= 7) || c == 9 || c == 10)
					cls(td, "num");
				else if (c == 11)
					cls(td, "meta");
			}
		}
	}
	if (loaded)
		csvtab_free(&in);
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
	return rc;
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

	struct stat st;

	if (!in || fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_at(DIAG_ERROR, from, 0, 0, "cannot read the stylesheet%s",
			in ? " (not a regular file)" : "");
		if (in)
			fclose(in);
		return -1;
	}
	outfile_note_input_fd(fileno(in));
	if (outfile_open(&of, to) != 0) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, of.fp);
	fclose(in);
	return outfile_commit(&of);
}

/* report --metric: the report shows what rank ranked; a metric asked for
 * that ranks.csv does not hold is refused, not shown from other files. */
static int check_metrics(const struct report *R, const struct report_options *o)
{
	int rc = 0;

	for (size_t k = 0; k < o->nmetrics; k++) {
		const char *s = o->metrics[k], *eq = strchr(s, '=');
		const char *name = eq ? eq + 1 : s;
		size_t wlen = eq ? (size_t)(eq - s) : 0;
		int hit = 0, miss = 0;

		if (!metric_find(name)) {
			diag(DIAG_USAGE, "--metric '%s': unknown metric "
					 "(expected %s)",
			     s, metric_names());
			rc = -1;
			continue;
		}
		for (size_t i = 0; i < R->ranks.nrows; i++) {
			const char *wl = csvtab_get(&R->ranks, i, R->r_wl);

			if (eq && (strlen(wl) != wlen || memcmp(wl, s, wlen) != 0))
				continue;
			if (strcmp(csvtab_get(&R->ranks, i, R->r_metric), name) == 0)
				hit = 1;
			else
				miss = 1;
		}
		if (miss || !hit) {
			diag(DIAG_ERROR,
			     "report: --metric %s: ranks.csv ranks %s by "
			     "another metric (or not at all); run 'vmnetrank "
			     "rank --metric %s' first",
			     s, eq ? "that workload" : "the workloads", s);
			rc = -1;
		}
	}
	return rc;
}

static const char *template_of(const struct report_options *o)
{
	return o->template_path ? o->template_path : report_default_template();
}

/* libxml2's own messages, as ours: FILE:LINE:COL: error: ... */
static void xml_error(void *ctx, xmlErrorPtr e)
{
	const char *file = e && e->file ? e->file : ctx;
	char msg[512];
	size_t n;

	if (!e)
		return;
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	diag_at(e->level == XML_ERR_WARNING ? DIAG_WARNING : DIAG_ERROR, file,
		e->line, e->int2, "%s", msg);
}

/* "DIR/report.css" beside the template TPL, newly allocated. */
static char *stylesheet_of(const char *tpl)
{
	const char *slash = strrchr(tpl, '/');
	size_t dl = slash ? (size_t)(slash - tpl) : 0;
	char *css = malloc(dl + 16);

	if (css)
		snprintf(css, dl + 16, "%.*s%sreport.css", (int)dl, tpl,
			 slash ? "/" : "");
	return css;
}

static const char *const slots[] = { "title", "heading", "answer",
				     "table3", "sensitivity", "cells",
				     "methodology", "provenance", NULL };

/* The template TPL with its placeholders in SLOT, after checking that
 * the stylesheet beside it is a readable file; NULL with diagnostics. */
static xmlDocPtr load_template(const char *tpl, xmlNodePtr *slot)
{
	xmlDocPtr doc;
	int missing = 0;
	char *css = stylesheet_of(tpl);
	struct stat st;

	if (!css) {
		diag(DIAG_ERROR, "out of memory");
		return NULL;
	}
	if (stat(tpl, &st) != 0) {
		diag_at(DIAG_ERROR, tpl, 0, 0,
			"cannot read the template: %s (without --template, "
			"the templates/ folder beside the binary, or one up, "
			"or the installed one; give --template FILE)",
			strerror(errno));
		free(css);
		return NULL;
	}
	if (stat(css, &st) != 0 || !S_ISREG(st.st_mode) || access(css, R_OK) != 0) {
		diag_at(DIAG_ERROR, css, 0, 0,
			"cannot read the stylesheet (expected a file "
			"report.css beside the template): %s",
			stat(css, &st) != 0 ? strerror(errno)
			: S_ISREG(st.st_mode) ? strerror(EACCES)
					      : "not a regular file");
		free(css);
		return NULL;
	}
	free(css);
	outfile_note_input(tpl); /* report.xhtml may not replace it */
	xmlSetStructuredErrorFunc((void *)tpl, xml_error);
	doc = xmlReadFile(tpl, NULL, XML_PARSE_NONET);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!doc) {
		diag_at(DIAG_ERROR, tpl, 0, 0,
			"cannot read the template (expected well-formed "
			"XHTML)");
		return NULL;
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
	if (missing) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

int report_check(const struct report_options *o)
{
	xmlNodePtr slot[8];
	xmlDocPtr doc = load_template(template_of(o), slot);

	if (!doc)
		return -1;
	xmlFreeDoc(doc);
	return 0;
}

/* sensitivity.csv as rank writes it: one winner row per scope, each
 * scope "overall" or a workload of ranks.csv (a chart is drawn per
 * scope: a file with a thousand copies of a row must not draw a thousand
 * charts).  0, or -1 with a diagnostic. */
static int check_sensitivity(const struct report *R, const char *dir)
{
	const struct csvtab *W = &R->sens;
	long sc = csvtab_col(W, "scope"), kind = csvtab_col(W, "kind");
	char *path = outfile_path(dir, "sensitivity.csv");
	int rc = 0;

	if (!W->nrows || !path) {
		free(path);
		return 0;
	}
	if (sc < 0 || kind < 0) {
		diag_at(DIAG_ERROR, path, 1, 0, "no scope and kind columns "
			"(expected sensitivity.csv as 'vmnetrank rank' writes it)");
		rc = -1;
	}
	for (size_t i = 0; i < W->nrows && rc == 0; i++) {
		const char *scope = csvtab_get(W, i, sc);
		int known = strcmp(scope, "overall") == 0;

		if (strcmp(csvtab_get(W, i, kind), "winner") != 0)
			continue;
		for (size_t k = 0; k < R->ranks.nrows && !known; k++)
			known = strcmp(csvtab_get(&R->ranks, k, R->r_wl), scope) == 0;
		for (size_t k = 0; k < i && rc == 0; k++)
			if (strcmp(csvtab_get(W, k, kind), "winner") == 0 &&
			    strcmp(csvtab_get(W, k, sc), scope) == 0) {
				diag_at(DIAG_ERROR, path, 0, 0,
					"row %zu: a second winner row for %s "
					"(expected one per scope, as 'vmnetrank "
					"rank' writes it)", i + 1, scope);
				rc = -1;
			}
		if (rc == 0 && !known) {
			diag_at(DIAG_ERROR, path, 0, 0,
				"row %zu: scope '%s' is no workload of ranks.csv "
				"(expected overall or a workload)", i + 1, scope);
			rc = -1;
		}
	}
	free(path);
	return rc;
}

int report_run(const char *dir, const struct report_options *o,
	       const char *outdir)
{
	struct report R;
	const char *tpl = template_of(o);
	const char *title = o->title ? o->title : "vmnetrank report";
	xmlDocPtr doc = NULL;
	xmlNodePtr slot[8];
	int rc = -1;
	char *p = NULL;

	memset(&R, 0, sizeof R);
	R.outdir = outdir;
	R.dir = dir;
	R.o = o;
	/* the template and its stylesheet first: nothing is drawn for a
	 * report that cannot be written */
	if (!(doc = load_template(tpl, slot)))
		goto out;
	{
		static const char *const names[] = { "summary.csv", "ranks.csv",
						     "kendall.csv", "scores.csv",
						     "sensitivity.csv", "reps.csv",
						     "hist.csv", "pairs.csv" };
		struct csvtab *t[] = { &R.summary, &R.ranks, &R.kendall,
				       &R.scores, &R.sens, &R.reps, &R.hist,
				       &R.pairs };

		for (int i = 0; i < 8; i++) {
			p = outfile_path(dir, names[i]);
			if (!p || csvtab_load(t[i], p, i < 2) != 0)
				goto out;
			free(p);
			p = NULL;
		}
	}
	p = outfile_path(dir, "baseline.csv");
	if (!p || csvtab_load(&R.baseline, p, 0) != 0)
		goto out;
	free(p);
	p = outfile_path(dir, "changes.csv");
	if (p) {
		struct stat cst;

		R.has_changes = stat(p, &cst) == 0;
		if (R.has_changes && csvtab_load(&R.changes, p, 1) != 0)
			goto out;
	}
	free(p);
	p = NULL;
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
	R.r_metric = csvtab_col(&R.ranks, "metric");
	R.r_elig = csvtab_col(&R.ranks, "eligible");
	R.r_fshare = csvtab_col(&R.ranks, "failed_share");
	R.r_nops = csvtab_col(&R.ranks, "n_ops");
	R.r_failed = csvtab_col(&R.ranks, "failed_ops");
	R.r_mnote = csvtab_col(&R.ranks, "metric_note");
	if (R.r_view != 0 || R.r_dir < 0 || R.r_name <= R.r_dir ||
	    R.r_lo < 0 || R.r_mean < 0 || R.r_metric < 0 || R.r_elig < 0 ||
	    R.summary.nrows == 0 || csvtab_col(&R.summary, "metric") < 0) {
		diag_at(DIAG_ERROR, dir, 0, 0,
			"ranks.csv or summary.csv is not as 'vmnetrank rank' "
			"and 'vmnetrank stats' write them");
		goto out;
	}
	R.f0 = (size_t)R.r_dir + 1;
	R.nf = (size_t)R.r_name - R.f0;
	if (check_metrics(&R, o) != 0 || check_sensitivity(&R, dir) != 0)
		goto out;
	/* what rank ranked: reps.csv's figures (with --steady summary.csv
	 * holds both kinds) */
	{
		long rd = csvtab_col(&R.reps, "data"), sd = csvtab_col(&R.summary, "data");

		R.data = R.reps.nrows && rd >= 0 ? csvtab_get(&R.reps, 0, rd)
			 : sd >= 0		  ? csvtab_get(&R.summary, 0, sd)
						  : "all";
	}
	{
		double c = strtod(csvtab_get(&R.summary, 0,
					     csvtab_col(&R.summary, "confidence")),
				  NULL);
		static char buf[16];

		snprintf(buf, sizeof buf, "%g", c * 100);
		R.confidence = buf;
	}
	xmlNodeSetContent(slot[0], NULL);
	xmlNodeAddContent(slot[0], BAD_CAST title);
	xmlNodeSetContent(slot[1], NULL);
	xmlNodeAddContent(slot[1], BAD_CAST title);
	data_summary(&R, dir, slot[2], o->nnotes > 0);
	section_answer(&R, slot[2]);
	section_baseline(&R, slot[2]);
	if (o->nnotes) {
		/* what the caller says about the data (a testbed, a caveat),
		 * as text, after the answer (the summary line above it points
		 * here) */
		xmlNodePtr notes = add(slot[2], "div", NULL), h;

		cls(notes, "notes");
		xmlNewProp(notes, BAD_CAST "id", BAD_CAST "notes");
		h = add(notes, "h2", "About the data");
		(void)h;
		for (size_t i = 0; i < o->nnotes; i++)
			add(notes, "p", o->notes[i]);
	}
	section_table3(&R, slot[3]);
	section_factors(&R, slot[3]);
	section_sensitivity(&R, slot[4]);
	section_cells(&R, slot[5]);
	section_methodology(&R, slot[6]);
	if (section_provenance(o, dir, slot[7]) != 0 || R.chart_failed)
		goto out;
	contents(&R, slot, o->nnotes > 0);
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
	}
	{
		/* the stylesheet beside the template goes beside the report */
		char *css = stylesheet_of(tpl), *to = outfile_path(outdir, "report.css");

		rc = css && to ? copy_file(css, to) : -1;
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
	csvtab_free(&R.pairs);
	csvtab_free(&R.changes);
	csvtab_free(&R.baseline);
	chart_measure_release();
	return rc;
}
