/* Per repetition and per group figures; reps.csv, summary.csv, hist.csv. */
#include "stats_int.h"
#include "kernel.h"
#include "../lib/csvout.h"
#include "../lib/diag.h"
#include "../lib/outfile.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define DIGITS 12
#define MAX_BINS 200

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

static int cmp_reps(const void *a, const void *b)
{
	int64_t x = sort_table->reps[*(const uint32_t *)a].number;
	int64_t y = sort_table->reps[*(const uint32_t *)b].number;

	return (x > y) - (x < y);
}

static int cmp_ops(const void *a, const void *b)
{
	const struct op *x = a, *y = b;

	if (x->rep != y->rep)
		return x->rep < y->rep ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* the original position (stored in the upper bits) keeps equal
	 * starts in input order */
	return (x->failed > y->failed) - (x->failed < y->failed);
}

/* Order the operations by (repetition, start time) so that each
 * repetition's series is contiguous and in time order. */
static int order_ops(struct stats_table *t)
{
	int sorted = 1;

	for (size_t i = 1; i < t->nops && sorted; i++)
		if (t->ops[i].rep < t->ops[i - 1].rep ||
		    (t->ops[i].rep == t->ops[i - 1].rep &&
		     t->ops[i].start < t->ops[i - 1].start))
			sorted = 0;
	if (!sorted) {
		int64_t *nb = NULL;

		if (t->nops >= (1u << 31)) {
			diag(DIAG_ERROR, "more than 2^31 operations out of "
					 "order: sort samples.csv first");
			return -1;
		}
		for (size_t i = 0; i < t->nops; i++)
			t->ops[i].failed |= (uint32_t)i << 1;
		sort_table = t;
		qsort(t->ops, t->nops, sizeof *t->ops, cmp_ops);
		if (t->keep_bytes) {
			nb = malloc(t->nops * sizeof *nb);
			if (!nb) {
				diag(DIAG_ERROR, "out of memory");
				return -1;
			}
			for (size_t i = 0; i < t->nops; i++)
				nb[i] = t->bytes[t->ops[i].failed >> 1];
			free(t->bytes);
			t->bytes = nb;
		}
		for (size_t i = 0; i < t->nops; i++)
			t->ops[i].failed &= 1;
	}
	{
		size_t first = 0;

		for (size_t r = 0; r < t->nreps; r++) {
			t->reps[r].first = first;
			first += t->reps[r].ops;
		}
	}
	return 0;
}

/* ---- figures ---- */

struct repfig {
	int64_t number;
	size_t ops, warmup, failed;
	int steady; /* 1 yes, 0 no, -1 n/a */
	int64_t wall, busy, bytes;
	int bytes_known;
	double tput, mean_op;
	double within_var; /* NaN with fewer than 2 ops */
	enum kern_outlier outlier;
};

static double tput_of(int64_t bytes, int64_t wall)
{
	return wall > 0 ? (double)bytes / ((double)wall / 1e6) : NAN;
}

struct work {
	double *series;  /* one repetition's durations */
	size_t capseries;
	uint64_t *opdur; /* a group's used durations */
	uint64_t *optmp;
	size_t capop, captmp;
	struct repfig *rf;
	size_t caprf;
	double *walls;
};

static int ensure(void **p, size_t *cap, size_t need, size_t size)
{
	void *np;

	if (need <= *cap)
		return 0;
	np = realloc(*p, need * size);
	if (!np)
		return -1;
	*p = np;
	*cap = need;
	return 0;
}

static void labels_out(struct csvout *w, const struct stats_table *t,
		       const struct group *g)
{
	for (size_t k = 0; k < t->nkeys; k++)
		csvout_cstr(w, g->values[k]);
}

static void num(struct csvout *w, double v)
{
	csvout_double(w, v, DIGITS);
}

static const char *steady_word(int s)
{
	return s > 0 ? "yes" : s == 0 ? "no" : "n/a";
}

struct outputs {
	struct csvout reps, summary, hist;
};

static int group_figures(struct stats_table *t, const struct stats_options *o,
			 uint32_t gi, struct work *wk, struct outputs *out)
{
	struct group *g = &t->groups[gi];
	size_t nrep = g->nreps, nops_used = 0, ntput = 0;
	struct kern_summary sum;
	struct kern_lag1 lag = { 0, 0 };
	double s1 = 0, sum_tput_bytes = 0, sum_wall = 0;
	size_t n_s1 = 0, total_failed = 0, total_warm = 0;
	int steady_all = -1;
	double *repmeans;
	int all_bytes = 1;

	if (ensure((void **)&wk->rf, &wk->caprf, nrep, sizeof *wk->rf) != 0)
		return -1;
	wk->walls = malloc(2 * nrep * sizeof *wk->walls);
	if (!wk->walls)
		return -1;
	repmeans = wk->walls + nrep;
	/* the group's operations, for the op-level figures */
	{
		size_t total = 0;

		for (size_t i = 0; i < nrep; i++)
			total += t->reps[g->reps[i]].ops;
		/* both buffers live across groups: fresh pages for every
		 * group would cost the kernel a zeroing each time */
		if (ensure((void **)&wk->opdur, &wk->capop, total,
			   sizeof *wk->opdur) != 0 ||
		    ensure((void **)&wk->optmp, &wk->captmp, total,
			   sizeof *wk->optmp) != 0)
			return -1;
	}
	for (size_t i = 0; i < nrep; i++) {
		struct rep *r = &t->reps[g->reps[i]];
		struct repfig *f = &wk->rf[i];
		const struct op *ops = t->ops + r->first;
		size_t n = r->ops, from = 0, d;
		int64_t lo = INT64_MAX, hi = INT64_MIN, busy = 0, bytes = 0;

		if (ensure((void **)&wk->series, &wk->capseries, n,
			   sizeof *wk->series) != 0)
			return -1;
		for (size_t k = 0; k < n; k++)
			wk->series[k] = (double)ops[k].dur;
		memset(f, 0, sizeof *f);
		d = kern_mser5(wk->series, n, &f->steady);
		f->number = r->number;
		f->warmup = 5 * d;
		if (o->steady && f->steady == 1)
			from = f->warmup;
		f->ops = n - from;
		f->bytes_known = !r->bytes_unknown;
		for (size_t k = from; k < n; k++) {
			int64_t end = ops[k].start + ops[k].dur;

			if (ops[k].start < lo)
				lo = ops[k].start;
			if (end > hi)
				hi = end;
			busy += ops[k].dur;
			f->failed += ops[k].failed;
			if (t->keep_bytes && t->bytes[r->first + k] >= 0)
				bytes += t->bytes[r->first + k];
			wk->opdur[nops_used++] = (uint64_t)ops[k].dur;
		}
		f->wall = hi - lo;
		f->busy = busy;
		f->bytes = o->steady && t->keep_bytes ? bytes : r->bytes;
		f->mean_op = (double)busy / (double)f->ops;
		f->tput = f->bytes_known ? tput_of(f->bytes, f->wall) : NAN;
		if (!f->bytes_known)
			all_bytes = 0;
		else {
			sum_tput_bytes += (double)f->bytes;
			sum_wall += (double)f->wall;
			ntput++;
		}
		{
			double m, sd;

			kern_mean_sd(wk->series + from, f->ops, &m, &sd);
			repmeans[i] = m;
			f->within_var = sd * sd;
			if (f->ops >= 2) {
				s1 += f->within_var;
				n_s1++;
			}
		}
		kern_lag1_add(&lag, wk->series + from, f->ops, repmeans[i]);
		total_failed += f->failed;
		total_warm += f->steady == 1 ? f->warmup : 0;
		if (f->steady == 0)
			steady_all = 0;
		else if (f->steady == 1 && steady_all != 0)
			steady_all = 1;
		wk->walls[i] = (double)f->wall;
	}
	/* repetition level */
	{
		double *sorted = malloc((nrep ? nrep : 1) * sizeof *sorted);

		if (!sorted)
			return -1;
		memcpy(sorted, wk->walls, nrep * sizeof *sorted);
		for (size_t i = 1; i < nrep; i++) /* insertion sort: few reps */
			for (size_t j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
				double tmp = sorted[j];

				sorted[j] = sorted[j - 1];
				sorted[j - 1] = tmp;
			}
		kern_summarise(sorted, nrep, o->confidence, &sum);
		free(sorted);
	}
	for (size_t i = 0; i < nrep; i++) {
		struct repfig *f = &wk->rf[i];
		static const char *const words[] = { "none", "mild", "severe" };

		f->outlier = kern_tukey((double)f->wall, sum.q1, sum.q3);
		labels_out(&out->reps, t, g);
		csvout_i64(&out->reps, f->number);
		csvout_i64(&out->reps, (int64_t)f->ops);
		csvout_i64(&out->reps, f->wall);
		csvout_i64(&out->reps, f->busy);
		if (f->bytes_known)
			csvout_i64(&out->reps, f->bytes);
		else
			csvout_empty(&out->reps);
		num(&out->reps, f->tput);
		num(&out->reps, f->mean_op);
		csvout_i64(&out->reps, (int64_t)f->failed);
		if (f->steady == 1)
			csvout_i64(&out->reps, (int64_t)f->warmup);
		else
			csvout_empty(&out->reps);
		csvout_cstr(&out->reps, steady_word(f->steady));
		csvout_cstr(&out->reps, words[f->outlier]);
		csvout_endrow(&out->reps);
	}
	/* summary row */
	labels_out(&out->summary, t, g);
	csvout_i64(&out->summary, (int64_t)nrep);
	csvout_i64(&out->summary, (int64_t)nops_used);
	num(&out->summary, sum.mean);
	num(&out->summary, sum.sd);
	num(&out->summary, sum.cv);
	num(&out->summary, sum.ci_lo);
	num(&out->summary, sum.ci_hi);
	num(&out->summary, sum.median);
	num(&out->summary, sum.median_ci_lo);
	num(&out->summary, sum.median_ci_hi);
	num(&out->summary, sum.min);
	num(&out->summary, sum.q1);
	num(&out->summary, sum.q3);
	num(&out->summary, sum.max);
	num(&out->summary, sum.mad);
	csvout_i64(&out->summary, (int64_t)sum.mild);
	csvout_i64(&out->summary, (int64_t)sum.severe);
	/* throughput: total bytes over total time (never a mean of rates);
	 * its interval from the wall-time interval at the mean bytes */
	if (all_bytes && ntput > 0 && sum_wall > 0) {
		double mb = sum_tput_bytes / (double)ntput;

		num(&out->summary, sum_tput_bytes / (sum_wall / 1e6));
		num(&out->summary, sum.ci_hi > 0 ? mb / (sum.ci_hi / 1e6) : NAN);
		num(&out->summary, sum.ci_lo > 0 ? mb / (sum.ci_lo / 1e6) : NAN);
	} else {
		csvout_empty(&out->summary);
		csvout_empty(&out->summary);
		csvout_empty(&out->summary);
	}
	/* operation level */
	{
		long double total = 0;
		size_t n = nops_used;

		for (size_t i = 0; i < n; i++)
			total += (long double)wk->opdur[i];
		kern_sort_u64(wk->opdur, n, wk->optmp);
		num(&out->summary, n ? (double)(total / (long double)n) : NAN);
		num(&out->summary, kern_quantile_u64(wk->opdur, n, 0.5));
		num(&out->summary, kern_quantile_u64(wk->opdur, n, 0.9));
		num(&out->summary, kern_quantile_u64(wk->opdur, n, 0.99));
		num(&out->summary, kern_quantile_u64(wk->opdur, n, 0.999));
		num(&out->summary, n ? (double)wk->opdur[n - 1] : NAN);
	}
	/* two-level variance (Kalibera & Jones) */
	{
		double s1sq = n_s1 ? s1 / (double)n_s1 : NAN, m, sd, s2sq;
		double n1 = nrep ? (double)nops_used / (double)nrep : NAN;

		kern_mean_sd(repmeans, nrep, &m, &sd);
		s2sq = sd * sd;
		num(&out->summary, s1sq);
		num(&out->summary, s2sq);
		num(&out->summary, s2sq - s1sq / n1);
	}
	{
		double r1 = kern_lag1_value(&lag);

		num(&out->summary, r1);
		csvout_cstr(&out->summary,
			    isfinite(r1) ? (fabs(r1) > 2.0 / sqrt((double)nops_used)
						    ? "yes"
						    : "no")
					 : "");
	}
	csvout_cstr(&out->summary, steady_word(steady_all));
	csvout_i64(&out->summary, (int64_t)total_warm);
	csvout_i64(&out->summary, (int64_t)total_failed);
	num(&out->summary, o->confidence);
	csvout_cstr(&out->summary, o->steady ? "steady-state" : "all");
	csvout_endrow(&out->summary);
	/* histogram of operation times: Freedman-Diaconis bins over
	 * [min, p99.9]; what lies above goes to a last, wider bin */
	if (nops_used > 0) {
		const uint64_t *x = wk->opdur;
		size_t n = nops_used;
		double lo = (double)x[0], top = kern_quantile_u64(x, n, 0.999);
		double iqr = kern_quantile_u64(x, n, 0.75) - kern_quantile_u64(x, n, 0.25);
		double h = 2.0 * iqr / cbrt((double)n);
		const char *rule = "freedman-diaconis";
		size_t nb, i = 0;

		if (!(h > 0)) {
			h = (top - lo) / ceil(log2((double)n) + 1.0);
			rule = "sturges (IQR is 0)";
		}
		if (!(top > lo)) {
			nb = 1;
			h = 1;
		} else {
			nb = (size_t)ceil((top - lo) / h);
			if (nb > MAX_BINS) {
				nb = MAX_BINS;
				h = (top - lo) / MAX_BINS;
				rule = "freedman-diaconis, capped at 200 bins";
			}
			if (nb == 0)
				nb = 1;
		}
		for (size_t b = 0; b < nb; b++) {
			double blo = lo + (double)b * h, bhi = lo + (double)(b + 1) * h;
			size_t c = 0;

			if (b == nb - 1)
				bhi = top > lo ? top : lo + h;
			while (i < n && ((double)x[i] < bhi ||
					 (b == nb - 1 && (double)x[i] <= bhi)))
				i++, c++;
			labels_out(&out->hist, t, g);
			csvout_i64(&out->hist, (int64_t)b + 1);
			num(&out->hist, blo);
			num(&out->hist, bhi);
			csvout_i64(&out->hist, (int64_t)c);
			csvout_cstr(&out->hist, rule);
			csvout_endrow(&out->hist);
		}
		if (i < n) {
			labels_out(&out->hist, t, g);
			csvout_i64(&out->hist, (int64_t)nb + 1);
			num(&out->hist, top > lo ? top : lo + h);
			num(&out->hist, (double)x[n - 1]);
			csvout_i64(&out->hist, (int64_t)(n - i));
			csvout_cstr(&out->hist, "above p99.9");
			csvout_endrow(&out->hist);
		}
	}
	free(wk->walls);
	wk->walls = NULL;
	return 0;
}

const char *const stats_reps_cols[] = {
	"rep", "ops", "wall_us", "busy_us", "bytes", "throughput_Bps",
	"mean_op_us", "failed_ops", "warmup_ops", "steady", "outlier", NULL,
};

const char *const stats_summary_cols[] = {
	"n_reps", "n_ops", "mean", "sd", "cv", "ci_lo", "ci_hi", "median",
	"median_ci_lo", "median_ci_hi", "min", "q1", "q3", "max", "mad",
	"mild_outliers", "severe_outliers", "tput_mean", "tput_ci_lo",
	"tput_ci_hi", "op_mean", "op_p50", "op_p90", "op_p99", "op_p999",
	"op_max", "s1_sq", "s2_sq", "t2_sq", "lag1_r", "lag1_flag", "steady",
	"warmup_ops", "failed_ops", "confidence", "data", NULL,
};

static const char *const hist_cols[] = {
	"bin", "lo_us", "hi_us", "count", "rule", NULL,
};

static void header(struct csvout *w, const struct stats_table *t,
		   const char *const *cols)
{
	for (size_t k = 0; k < t->nkeys; k++)
		csvout_cstr(w, t->keys[k]);
	for (size_t i = 0; cols[i]; i++)
		csvout_cstr(w, cols[i]);
	csvout_endrow(w);
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
	free(wk.series);
	free(wk.opdur);
	free(wk.optmp);
	free(wk.rf);
	free(wk.walls);
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
	if (order_ops(t) != 0)
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
			diag_at(DIAG_ERROR, names[opened], 0, 0, "write error");
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
