/* What the report's files share: the data read from the stage files
 * (struct report) and the helpers of the document and its figures.
 * Internal to report/; report.h is the stage's API. */
#ifndef VMNETRANK_REPORT_INT_H
#define VMNETRANK_REPORT_INT_H

#include "report.h"
#include "chart.h"
#include "csvtab.h"
#include "../lib/metric.h"

#include <libxml/tree.h>
#include <stddef.h>

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
	/* pairs.csv by (view, workload, direction, a, b); ranks.csv by
	 * (view, workload, direction, name) and by (view, workload, name) */
	struct csvidx pairs_ix, ranks_ix, config_ix;
	/* summary.csv by ([data,] workload, direction, metric, factors...),
	 * and reps.csv, summary.csv and hist.csv by group (the same without
	 * the metric): group_index; not built (every find -1) when the
	 * table lacks a factor of ranks.csv */
	struct csvidx summary_ix, reps_gix, summary_gix, hist_gix;
	struct csvtab changes; /* changes.csv, when an earlier run was there */
	int has_changes;
	struct csvtab baseline; /* baseline.csv (run --baseline) */
	struct csvtab inputs;   /* inputs.csv (run), empty when absent */
	int has_inputs;         /* ... and whether it is there */
	const char *dir;        /* the stage files' folder */
	size_t f0, nf; /* factor columns of ranks.csv: [f0, f0+nf) */
	const char *confidence;
	const char *data; /* the figures ranked: all, or steady-state */
	size_t ncellids;  /* the cells' headings, for the table of contents */
	char cellids[512][96];
};

/* the XML tree: the element of ID under N; a child NAME holding TEXT
 * (escaped: data are text, never markup); the same, printf-style; a
 * class attribute */
xmlNodePtr find_id(xmlNodePtr n, const char *id);
xmlNodePtr add(xmlNodePtr parent, const char *name, const char *text);
xmlNodePtr addf(xmlNodePtr parent, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
xmlNodePtr val_cell(xmlNodePtr tr, enum metric_unit u, const char *v,
		    const char *lo, const char *hi);
void cat_name(const struct report *R, size_t i, long e, char *buf,
		     size_t cap);
void cell_power_text(const struct report *R, size_t i, char *buf,
			    size_t cap);
void cell_steady_text(const struct report *R, xmlNodePtr para, size_t i,
			     size_t j);
/* Lay out, draw and link one chart: an <img> (SVG with the PNG inside)
 * in PARENT with its size and ALT.  File names are numbers, never
 * labels (figures.c). */
void figure_put(struct report *R, xmlNodePtr parent,
		const struct chart_model *m, const char *kind, const char *alt);
/* by-factor bars (figures_factors.c) */
void chart_factors(struct report *R, xmlNodePtr parent, const char *wl,
			  const char *dir);
void chart_lines(struct report *R, xmlNodePtr parent, const char *wl);
void chart_means(struct report *R, xmlNodePtr parent, const char *wl);
void chart_ranks(struct report *R, xmlNodePtr parent, const char *wl,
			const char *dir);
void charts_hist(struct report *R, xmlNodePtr parent, const size_t *rows,
			size_t n);
void cls(xmlNodePtr n, const char *c);
int cmp_dbl(const void *a, const void *b);
size_t count_rows(const struct report *R, const char *view,
			 const char *wl, const char *dir);
void data_summary(const struct report *R, xmlNodePtr div, int notes);
void failed_caption(const struct report *R, xmlNodePtr parent,
			   const size_t *rows, size_t n);
const char *failed_share(char *buf, size_t cap, const struct report *R,
				size_t i);
const char *fmt_num(char *buf, size_t cap, const char *s, int digits);
const char *fmt_val(char *buf, size_t cap, enum metric_unit u,
			   const char *text);
int is_view(const struct report *R, size_t i, const char *v);
void join_factors(const struct report *R, long skip, long row,
			 char *buf, size_t cap);
void left_out_caption(xmlNodePtr parent, size_t shown, size_t total,
			     const char *what, const char *which);
unsigned short name_style(const struct report *R, long col,
				 const char *name);
void normality_note(const struct report *R, xmlNodePtr parent,
			   const char *view, const char *wl, const char *dir);
double num_of(const char *s);
const char *percent(char *buf, size_t cap, const char *s);
double rank_margin(const struct report *R);
double rank_num(const struct report *R, size_t i, const char *name);
int row_eligible(const struct report *R, size_t i);
const struct metric *row_metric(const struct report *R, size_t i);
size_t rows_of(const struct report *R, const char *view,
		      const char *wl, const char *dir, size_t *out, size_t max);
long same_config(const struct report *R, size_t i, const char *dir);
/* An index of T's rows by group as ranks.csv names one ([data,]
 * workload, direction, [metric if METRIC,] the factors); 0, or -1 out
 * of memory.  IX is left empty (finds nothing) when T lacks a column. */
int group_index(const struct report *R, const struct csvtab *T, int metric,
		struct csvidx *ix);
/* The first row (by IX) of the group of ranks.csv row I in direction DIR
 * (and METRIC, for an index with it), or -1; csvidx_next gives the
 * group's other rows, in file order (a row holds the group when its
 * data, if it has the column, is the report's, and the rest equal). */
long group_first(const struct report *R, const struct csvidx *ix, size_t i,
		 const char *dir, const char *metric);
void section_answer(const struct report *R, xmlNodePtr div);
void section_baseline(struct report *R, xmlNodePtr div);
void section_cells(struct report *R, xmlNodePtr div);
void section_factors(const struct report *R, xmlNodePtr div);
void section_methodology(const struct report *R, xmlNodePtr div);
void section_sensitivity(struct report *R, xmlNodePtr div);
void section_table3(const struct report *R, xmlNodePtr div);
long summary_row(const struct report *R, size_t i);
void text(xmlNodePtr parent, const char *s);
void textf(xmlNodePtr parent, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void invert_ratio(double *ratio, double *lo, double *hi);

#endif
