/* reps.csv, summary.csv, hist.csv: the table ordered, then each group's
 * figures (compute_group.c) written, on one or two threads. */
#include "compute_int.h"
#include "kernel.h"
#include "../lib/csvout.h"
#include "../lib/diag.h"
#include "../lib/metric.h"
#include "../lib/outfile.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- ordering ---- */

static const struct stats_table *sort_table; /* for the qsort comparators */

static int cmp_groups(const void *a, const void *b)
{
	const struct group *x = &sort_table->groups[*(const uint32_t *)a];
	const struct group *y = &sort_table->groups[*(const uint32_t *)b];

	for (size_t k = 0; k < sort_table->nkeys; k++) {
		int c = strcmp(x->values[k], y->values[k]);

		if (c)
			return c;
	}
	return 0;
}

/* A group's repetitions by (input file, rep number). */
static int cmp_reps(const void *a, const void *b)
{
	const struct rep *x = &sort_table->reps[*(const uint32_t *)a];
	const struct rep *y = &sort_table->reps[*(const uint32_t *)b];
	int c = x->file == y->file ? 0
				   : strcmp(sort_table->files[x->file],
					    sort_table->files[y->file]);

	if (c)
		return c;
	return (x->number > y->number) - (x->number < y->number);
}

/* Close what is still held: every repetition has its figures. */
static int close_all(struct stats_table *t, const struct stats_options *o)
{
	if (o->steady != t->steady || o->exact_ops != t->exact_ops) {
		diag(DIAG_ERROR, "internal: stats_write() given other options "
				 "than its table");
		return -1;
	}
	switch (table_close_all(t, o->threads)) {
	case 0:
		return 0;
	case TABLE_TOO_MANY:
		diag(DIAG_ERROR, "more than 2^31 operations out of order: "
				 "sort samples.csv first");
		return -1;
	default:
		diag(DIAG_ERROR, "out of memory");
		return -1;
	}
}

const char *const stats_reps_cols[] = {
	"file", "rep", "ops", "failed_ops", "wall_us", "busy_us", "bytes",
	"throughput_Bps", "op_rate_per_s", "op_mean_us", "op_p50_us",
	"op_p99_us", "start_res_us", "warmup_ops", "steady", "outliers", "data",
	"start_us", NULL,
};

const char *const stats_summary_cols[] = {
	"metric", "unit", "better", "reps", "n_reps", "n_ops", "failed_ops",
	"failed_share", "mean", "sd", "cv", "ci_lo", "ci_hi", "median",
	"median_ci_lo", "median_ci_hi", "min", "q1", "q3", "max", "mad",
	"mild_outliers", "severe_outliers", "op_mean", "op_p50", "op_p90",
	"op_p99", "op_p999", "op_max", "s1_sq", "s2_sq", "t2_sq", "lag1_r",
	"lag1_flag", "steady", "warmup_ops", "confidence", "data", "note",
	"reps_unsteady", "reps_steady_na", "drift_tau", "drift_p", "drift",
	"op_quantiles", NULL,
};

static const char *const hist_cols[] = {
	"bin", "lo_us", "hi_us", "count", "rule", NULL,
};

static void header(struct csvout *w, const struct stats_table *t,
		   const char *const *cols)
{
	for (size_t k = 0; k < t->nkeys; k++)
		csvout_cstr(w, t->keys[k]);
	csvout_row(w, cols);
}

/* A contiguous run of groups (in output order), computed into memory. */
struct part {
	struct stats_table *t;
	const struct stats_options *o;
	const uint32_t *groups;
	size_t n;
	char *buf[3];
	size_t len[3];
	int rc;
};

static void *run_part(void *arg)
{
	struct part *p = arg;
	struct outputs out;
	struct csvout *w[3] = { &out.reps, &out.summary, &out.hist };
	FILE *fp[3] = { NULL, NULL, NULL };
	struct work wk;

	memset(&wk, 0, sizeof wk);
	p->rc = -1;
	for (int i = 0; i < 3; i++) {
		fp[i] = open_memstream(&p->buf[i], &p->len[i]);
		if (!fp[i])
			goto out;
		csvout_init(w[i], fp[i]);
	}
	p->rc = 0;
	for (size_t i = 0; i < p->n && p->rc == 0; i++)
		if (group_figures(p->t, p->o, p->groups[i], &wk, &out) != 0)
			p->rc = -1;
	for (int i = 0; i < 3; i++)
		if (csvout_flush(w[i]) != 0)
			p->rc = -1;
out:
	for (int i = 0; i < 3; i++)
		if (fp[i]) {
			csvout_release(w[i]);
			if (fclose(fp[i]) != 0)
				p->rc = -1;
		}
	free(wk.optmp);
	free(wk.rf);
	free(wk.vals);
	free(wk.repmeans);
	return NULL;
}

int stats_write(struct stats_table *t, const struct stats_options *o,
		const char *dir)
{
	static const char *const names[3] = { "reps.csv", "summary.csv",
					      "hist.csv" };
	static const char *const *const cols[3] = { stats_reps_cols,
						    stats_summary_cols,
						    hist_cols };
	struct outfile of[3];
	struct part part[2];
	uint32_t *order = NULL;
	size_t nparts = 1, split = 0;
	int opened = 0, rc = -1;

	memset(part, 0, sizeof part);
	if (close_all(t, o) != 0)
		return -1;
	order = malloc((t->ngroups ? t->ngroups : 1) * sizeof *order);
	if (!order)
		goto nomem;
	for (uint32_t g = 0; g < t->ngroups; g++)
		order[g] = g;
	sort_table = t;
	qsort(order, t->ngroups, sizeof *order, cmp_groups);
	for (size_t g = 0; g < t->ngroups; g++)
		qsort(t->groups[g].reps, t->groups[g].nreps,
		      sizeof *t->groups[g].reps, cmp_reps);
	/* two runs of groups with about as many operations each */
	if (o->threads > 1 && t->ngroups > 1) {
		size_t half = 0, acc = 0;

		for (size_t i = 0; i < t->nreps; i++)
			half += t->reps[i].ops;
		half /= 2;
		for (split = 0; split < t->ngroups - 1 && acc < half; split++)
			for (size_t r = 0; r < t->groups[order[split]].nreps; r++)
				acc += t->reps[t->groups[order[split]].reps[r]].ops;
		if (split > 0 && split < t->ngroups)
			nparts = 2;
	}
	if (nparts == 1)
		split = t->ngroups;
	part[0] = (struct part){ t, o, order, split, { 0 }, { 0 }, -1 };
	part[1] = (struct part){ t, o, order + split, t->ngroups - split,
				 { 0 }, { 0 }, -1 };
	{
		pthread_t th;
		int threaded = nparts == 2 &&
			       pthread_create(&th, NULL, run_part, &part[1]) == 0;

		run_part(&part[0]);
		if (threaded)
			pthread_join(th, NULL);
		else if (nparts == 2)
			run_part(&part[1]);
	}
	if (part[0].rc != 0 || (nparts == 2 && part[1].rc != 0))
		goto nomem;
	for (; opened < 3; opened++) {
		char *p = outfile_path(dir, names[opened]);
		int r = p ? outfile_open(&of[opened], p) : -1;
		struct csvout w;

		free(p);
		if (r != 0)
			goto out;
		csvout_init(&w, of[opened].fp);
		header(&w, t, cols[opened]);
		r = csvout_flush(&w);
		csvout_release(&w);
		if (r != 0) {
			outfile_report_error(&of[opened]);
			opened++;
			goto out;
		}
		for (size_t k = 0; k < nparts; k++)
			if (part[k].len[opened])
				fwrite(part[k].buf[opened], 1, part[k].len[opened],
				       of[opened].fp);
	}
	rc = 0;
	goto out;
nomem:
	diag(DIAG_ERROR, "out of memory");
out:
	for (int i = 0; i < opened; i++) {
		if (rc == 0) {
			if (outfile_commit(&of[i]) != 0)
				rc = -1;
		} else {
			outfile_abort(&of[i]);
		}
	}
	for (size_t k = 0; k < 2; k++)
		for (int i = 0; i < 3; i++)
			free(part[k].buf[i]);
	free(order);
	return rc;
}
