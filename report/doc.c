/* The report's document helpers: the XML tree, numbers as text, the
 * stage files' rows (which cell, which configuration, its style). */
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

/* ---- small tree helpers ---- */

xmlNodePtr find_id(xmlNodePtr n, const char *id)
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

xmlNodePtr add(xmlNodePtr parent, const char *name, const char *text)
{
	return xmlNewTextChild(parent, NULL, BAD_CAST name,
			       text ? BAD_CAST text : NULL);
}

xmlNodePtr addf(xmlNodePtr parent, const char *name, const char *fmt,
		       ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return add(parent, name, buf);
}

void text(xmlNodePtr parent, const char *s)
{
	xmlNodeAddContent(parent, BAD_CAST s);
}

void textf(xmlNodePtr parent, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	xmlNodeAddContent(parent, BAD_CAST buf);
}

void cls(xmlNodePtr n, const char *c)
{
	xmlNewProp(n, BAD_CAST "class", BAD_CAST c);
}

/* A figure of the metric's UNIT, in the unit that reads best ("-" when
 * there is none). */
const char *fmt_val(char *buf, size_t cap, enum metric_unit u,
			   const char *text)
{
	char *end;
	double v = strtod(text, &end);

	if (!*text || *end || !isfinite(v))
		v = NAN;
	return metric_format(buf, cap, u, v);
}

double num_of(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	return *s && !*end ? v : NAN;
}

/* A figure with its interval: "18.95 s" and, on a second line in the same
 * unit, "[18.67, 19.23] s". */
xmlNodePtr val_cell(xmlNodePtr tr, enum metric_unit u, const char *v,
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

const char *fmt_num(char *buf, size_t cap, const char *s, int digits)
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
const char *percent(char *buf, size_t cap, const char *s)
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


int is_view(const struct report *R, size_t i, const char *v)
{
	return strcmp(csvtab_get(&R->ranks, i, R->r_view), v) == 0;
}

/* The metric ranks.csv row I was ranked by (wall when it does not say). */
const struct metric *row_metric(const struct report *R, size_t i)
{
	const struct metric *m = metric_find(csvtab_get(&R->ranks, i, R->r_metric));

	return m ? m : &metrics[M_WALL];
}

/* Row I may be named fastest (no failed operations beyond the allowance). */
int row_eligible(const struct report *R, size_t i)
{
	return strcmp(csvtab_get(&R->ranks, i, R->r_elig), "no") != 0;
}

/* "12.5%" of failed operations, or "" when there are none. */
const char *failed_share(char *buf, size_t cap, const struct report *R,
				size_t i)
{
	double v = num_of(csvtab_get(&R->ranks, i, R->r_fshare));

	if (!(v > 0))
		snprintf(buf, cap, "%s", "");
	else
		snprintf(buf, cap, "%.3g%%", 100 * v);
	return buf;
}

/* The columns of T that name a group as ranks.csv does ([data,]
 * workload, direction, [metric,] its factors) into COLS (R->nf + 4 of
 * room); 0 when T lacks one of them. */
static size_t group_cols(const struct report *R, const struct csvtab *T,
			 int metric, long *cols)
{
	size_t n = 0;

	if (csvtab_col(T, "data") >= 0)
		cols[n++] = csvtab_col(T, "data");
	cols[n++] = csvtab_col(T, "workload");
	cols[n++] = csvtab_col(T, "direction");
	if (metric)
		cols[n++] = csvtab_col(T, "metric");
	for (size_t f = 0; f < R->nf; f++)
		cols[n++] = csvtab_col(T, R->ranks.head[R->f0 + f]);
	for (size_t k = 0; k < n; k++)
		if (cols[k] < 0)
			return 0;
	return n;
}

int group_index(const struct report *R, const struct csvtab *T, int metric,
		struct csvidx *ix)
{
	long *cols = malloc((R->nf + 4) * sizeof *cols);
	size_t n = cols ? group_cols(R, T, metric, cols) : 0;
	int rc = cols ? 0 : -1;

	memset(ix, 0, sizeof *ix);
	if (n)
		rc = csvidx_build(ix, T, cols, n);
	free(cols);
	return rc;
}

long group_first(const struct report *R, const struct csvidx *ix, size_t i,
		 const char *dir, const char *metric)
{
	const char *small[16], **vals = small;
	size_t n = 0;
	long r;

	if (!ix->slot)
		return -1;
	if (R->nf + 4 > sizeof small / sizeof *small &&
	    !(vals = malloc((R->nf + 4) * sizeof *vals)))
		return -1;
	if (csvtab_col(ix->t, "data") >= 0)
		vals[n++] = R->data;
	vals[n++] = csvtab_get(&R->ranks, i, R->r_wl);
	vals[n++] = dir;
	if (metric)
		vals[n++] = metric;
	for (size_t f = 0; f < R->nf; f++)
		vals[n++] = csvtab_get(&R->ranks, i, (long)(R->f0 + f));
	r = csvidx_find(ix, vals);
	if (vals != small)
		free(vals);
	return r;
}

/* The summary.csv row of ranks.csv row I (for its metric), or -1. */
long summary_row(const struct report *R, size_t i)
{
	return group_first(R, &R->summary_ix, i,
			   csvtab_get(&R->ranks, i, R->r_dir),
			   row_metric(R, i)->name);
}

/* ---- charts ---- */

/* Rows of ranks.csv in VIEW for WORKLOAD and DIRECTION, in file order. */
size_t rows_of(const struct report *R, const char *view,
		      const char *wl, const char *dir, size_t *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < R->ranks.nrows && n < max; i++)
		if (is_view(R, i, view) &&
		    strcmp(csvtab_get(&R->ranks, i, R->r_wl), wl) == 0 &&
		    strcmp(csvtab_get(&R->ranks, i, R->r_dir), dir) == 0) {
			if (out)
				out[n] = i;
			n++;
		}
	return n;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The report-wide style of a name in column COL of ranks.csv (R->r_name:
 * a configuration; a factor's column: one of its values): its place among
 * the column's distinct values in the cells' rows (views internal and
 * external), sorted by byte order.  So one configuration has one colour in
 * every chart, whatever its rank there, and the order does not change
 * when a run adds repetitions. */
unsigned short name_style(const struct report *R, long col,
				 const char *name)
{
	const char **below = malloc((R->ranks.nrows + 1) * sizeof *below);
	size_t n = 0, distinct = 0;

	if (!below)
		return 0;
	for (size_t i = 0; i < R->ranks.nrows; i++) {
		const char *v = csvtab_get(&R->ranks, i, col);

		if ((is_view(R, i, "internal") || is_view(R, i, "external")) &&
		    strcmp(v, name) < 0)
			below[n++] = v;
	}
	/* the distinct values below NAME, each counted once */
	qsort(below, n, sizeof *below, cmp_cstr);
	for (size_t k = 0; k < n; k++)
		distinct += k == 0 || strcmp(below[k], below[k - 1]) != 0;
	free(below);
	return (unsigned short)(distinct < 65535 ? distinct : 65535);
}

/* How many rows of VIEW a cell has (rows_of without a limit). */
size_t count_rows(const struct report *R, const char *view,
			 const char *wl, const char *dir)
{
	return rows_of(R, view, wl, dir, NULL, (size_t)-1);
}

/* Under a chart that cannot show every item: which it shows, and how
 * many it leaves out (the tables have them all). */
void left_out_caption(xmlNodePtr parent, size_t shown, size_t total,
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
long same_config(const struct report *R, size_t i, const char *dir)
{
	const char *key[3] = { dir, csvtab_get(&R->ranks, i, R->r_wl),
			       csvtab_get(&R->ranks, i, R->r_name) };

	return csvidx_find(&R->config_ix, key);
}

/* Mean repetition time with intervals, internal and external side by
 * side, for one workload (the paper's figures 10-13, with error bars). */
/* A configuration's name for a chart category, with the share of failed
 * operations of rows I (internal) and E (external; -1: none) when any. */
void cat_name(const struct report *R, size_t i, long e, char *buf,
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
void failed_caption(const struct report *R, xmlNodePtr parent,
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

/* The factors other than column SKIP, words before numbers (judged on
 * the first row, so that names and values come in the same order): their
 * names (ROW < 0) or their values in ranks.csv row ROW, joined by ", ". */
void join_factors(const struct report *R, long skip, long row,
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

int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}
