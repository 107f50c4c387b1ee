/* A group's figures: per repetition (reps.csv), per group (summary.csv)
 * and its histogram (hist.csv).  See stats-spec.md. */
#include "compute_int.h"
#include "kernel.h"
#include "../lib/csvout.h"
#include "../lib/diag.h"
#include "../lib/metric.h"
#include "../lib/outfile.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BINS 200
/* summary.csv's op_quantiles past exact_ops */
#define OP_APPROX "histogram (within 1/512)"
/* ... and read from repetition rows (stats/reps_read.c) */
#define OP_NONE "none (repetition rows)"

static void labels_out(struct csvout *w, const struct stats_table *t,
		       const struct group *g)
{
	for (size_t k = 0; k < t->nkeys; k++)
		csvout_cstr(w, g->values[k]);
}

static void num(struct csvout *w, double v)
{
	csvout_double(w, v);
}

static const char *steady_word(int s)
{
	return s > 0 ? "yes" : s == 0 ? "no" : "n/a";
}

/* The summary.csv note of metric M: why repetitions have no value. */
static void metric_note(const struct repfig *rf, size_t nrep, int m,
			double median_op, char *buf, size_t cap)
{
	size_t none = 0, failed = 0, coarse = 0, nobytes = 0, nostamp = 0;
	int64_t res = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < nrep; i++) {
		if (isfinite(rf[i].v[m]))
			continue;
		none++;
		if (rf[i].ok == 0)
			failed++;
		else if (rf[i].wall_unknown && m != M_BUSY && m != M_OP_MEAN &&
			 m != M_OP_P50 && m != M_OP_P99) {
			if (rf[i].res == STATS_NO_STAMP)
				nostamp++;
			else {
				coarse++;
				res = rf[i].res;
			}
		} else if (m == M_THROUGHPUT && !rf[i].bytes_known)
			nobytes++;
	}
	if (!none)
		return;
	snprintf(buf, cap, "%zu of %zu repetitions have no %s:", none, nrep,
		 metrics[m].noun);
	if (failed)
		snprintf(buf + strlen(buf), cap - strlen(buf),
			 " %zu had no successful operation;", failed);
	if (coarse)
		snprintf(buf + strlen(buf), cap - strlen(buf),
			 " %zu have start stamps at %g s resolution, coarser "
			 "than their operations (median %g us), so no wall "
			 "time can be known (rank by busy);",
			 coarse, (double)res / 1e6, median_op);
	if (nostamp)
		snprintf(buf + strlen(buf), cap - strlen(buf),
			 " %zu have durations only, no start stamps (the "
			 "runner gives none), so no wall time can be known "
			 "(rank by busy);",
			 nostamp);
	if (nobytes)
		snprintf(buf + strlen(buf), cap - strlen(buf),
			 " %zu do not say how many bytes they moved;", nobytes);
	if (buf[strlen(buf) - 1] == ';' || buf[strlen(buf) - 1] == ':')
		buf[strlen(buf) - 1] = '\0';
}

/* Drift: Kendall's tau between the repetitions' time order (their first
 * start; file order for durations alone) and their figure of metric M,
 * with its two-sided p (exact for 3 to 50 repetitions without ties). */
static void drift(const struct stats_table *t, const struct group *g,
		  const struct repfig *rf, size_t nrep, int m, double *tau,
		  double *p)
{
	double *x = malloc((nrep + 1) * sizeof *x), *y = malloc((nrep + 1) * sizeof *y);
	size_t *ix = malloc((nrep + 1) * sizeof *ix), k = 0;
	const char *method;

	*tau = *p = NAN;
	if (!x || !y || !ix)
		goto out;
	for (size_t i = 0; i < nrep; i++)
		if (isfinite(rf[i].v[m]))
			ix[k++] = i;
	/* insertion sort by start: few repetitions, and stable */
	for (size_t a = 1; a < k; a++)
		for (size_t b = a; b > 0 &&
				   t->reps[g->reps[ix[b]]].min_start <
					   t->reps[g->reps[ix[b - 1]]].min_start;
		     b--) {
			size_t s = ix[b];

			ix[b] = ix[b - 1];
			ix[b - 1] = s;
		}
	for (size_t j = 0; j < k; j++) {
		x[j] = (double)(j + 1);
		y[j] = rf[ix[j]].v[m];
	}
	if (k >= 3)
		kern_kendall(x, y, k, tau, p, &method);
out:
	free(x);
	free(y);
	free(ix);
}

/* One group's figures on all its operations (o->steady 0) or on those
 * after each repetition's MSER-5 warm-up (1), DATA the summary.csv word
 * for it; reps.csv and hist.csv rows only when DETAIL. */
static int group_pass(struct stats_table *t, const struct stats_options *o,
		      uint32_t gi, struct work *wk, struct outputs *out,
		      int detail, const char *data)
{
	struct group *g = &t->groups[gi];
	int pass = o->steady ? 1 : 0;
	struct gacc *acc = &g->acc[pass];
	size_t nrep = g->nreps, nops_used, nops_all = 0;
	struct kern_summary sum[M_COUNT];
	struct kern_lag1 lag = { 0, 0 };
	double s1 = 0;
	size_t n_s1 = 0, total_failed = 0, total_warm = 0, nmeans = 0;
	size_t n_unsteady = 0, n_na = 0;
	int steady_all = -1;

	if (table_grow((void **)&wk->rf, &wk->caprf, nrep + 1, sizeof *wk->rf) != 0 ||
	    table_grow((void **)&wk->vals, &wk->capvals, nrep + 1,
		   sizeof *wk->vals) != 0 ||
	    table_grow((void **)&wk->repmeans, &wk->capmeans, nrep + 1,
		   sizeof *wk->repmeans) != 0)
		return -1;
	/* the group's successful durations (every one, or past exact_ops
	 * their histogram), sorted here when exact */
	nops_used = acc->approx ? (size_t)acc->hist.n : acc->n;
	if (!acc->approx) {
		if (table_grow((void **)&wk->optmp, &wk->captmp, acc->n + 1,
			   sizeof *wk->optmp) != 0)
			return -1;
		kern_sort_u64(acc->dur, acc->n, wk->optmp);
	}
	/* each repetition's figures, closed as its file ended */
	for (size_t i = 0; i < nrep; i++) {
		struct repfig *f = &wk->rf[i];

		*f = t->reps[g->reps[i]].fig[pass];
		f->file = t->reps[g->reps[i]].file; /* a merged half's own */
		if (isfinite(f->mean))
			wk->repmeans[nmeans++] = f->mean;
		if (isfinite(f->within_var)) {
			s1 += f->within_var;
			n_s1++;
		}
		lag.num += f->lag_num;
		lag.den += f->lag_den;
		nops_all += f->ops;
		total_failed += f->failed;
		total_warm += f->steady == 1 ? f->warmup : 0;
		n_unsteady += f->steady == 0;
		n_na += f->steady < 0;
		if (f->steady == 0)
			steady_all = 0;
		else if (f->steady == 1 && steady_all != 0)
			steady_all = 1;
	}
	/* repetition level: each metric over the repetitions that have it */
	for (int m = 0; m < M_COUNT; m++) {
		size_t n = 0;

		for (size_t i = 0; i < nrep; i++)
			if (isfinite(wk->rf[i].v[m]))
				wk->vals[n++] = wk->rf[i].v[m];
		for (size_t i = 1; i < n; i++) /* insertion sort: few reps */
			for (size_t j = i; j > 0 && wk->vals[j - 1] > wk->vals[j]; j--) {
				double tmp = wk->vals[j];

				wk->vals[j] = wk->vals[j - 1];
				wk->vals[j - 1] = tmp;
			}
		if (metrics[m].higher)
			kern_summarise_rate(wk->vals, n, o->confidence, &sum[m]);
		else
			kern_summarise(wk->vals, n, o->confidence, &sum[m]);
	}
	for (size_t i = 0; detail && i < nrep; i++) {
		struct repfig *f = &wk->rf[i];
		char flags[256] = "";

		for (int m = 0; m < M_COUNT; m++) {
			enum kern_outlier k;

			if (!isfinite(f->v[m]))
				continue;
			k = kern_tukey(f->v[m], sum[m].q1, sum[m].q3);
			if (k != KERN_NONE)
				snprintf(flags + strlen(flags),
					 sizeof flags - strlen(flags), "%s%s %s",
					 *flags ? "; " : "", metrics[m].name,
					 k == KERN_MILD ? "mild" : "severe");
		}
		labels_out(&out->reps, t, g);
		csvout_cstr(&out->reps, t->files[f->file]);
		csvout_i64(&out->reps, f->number);
		csvout_i64(&out->reps, (int64_t)f->ops);
		csvout_i64(&out->reps, (int64_t)f->failed);
		num(&out->reps, f->v[M_WALL]);
		num(&out->reps, f->v[M_BUSY]);
		if (f->bytes_known)
			csvout_i64(&out->reps, f->bytes);
		else
			csvout_empty(&out->reps);
		num(&out->reps, f->v[M_THROUGHPUT]);
		num(&out->reps, f->v[M_OP_RATE]);
		num(&out->reps, f->v[M_OP_MEAN]);
		num(&out->reps, f->v[M_OP_P50]);
		num(&out->reps, f->v[M_OP_P99]);
		if (f->res == STATS_NO_STAMP)
			csvout_empty(&out->reps);
		else
			csvout_i64(&out->reps, f->res);
		if (f->steady == 1)
			csvout_i64(&out->reps, (int64_t)f->warmup);
		else
			csvout_empty(&out->reps);
		csvout_cstr(&out->reps, steady_word(f->steady));
		csvout_cstr(&out->reps, *flags ? flags : "none");
		csvout_cstr(&out->reps, data);
		if (f->start == INT64_MAX)
			csvout_empty(&out->reps);
		else
			csvout_i64(&out->reps, f->start);
		csvout_endrow(&out->reps);
	}
	/* operation level (successful operations), the same on each row */
	{
		long double total = 0;
		size_t n = nops_used;
		double opfig[6], s1sq, s2sq, n1, r1, m, sd;

		if (acc->approx) {
			static const double qs[4] = { 0.5, 0.9, 0.99, 0.999 };

			total = acc->hist.sum;
			for (int k = 0; k < 4; k++)
				opfig[1 + k] = loghist_quantile(&acc->hist, qs[k]);
			opfig[5] = n ? (double)acc->hist.max : NAN;
		} else {
			for (size_t i = 0; i < n; i++)
				total += (long double)acc->dur[i];
			opfig[1] = kern_quantile_u64(acc->dur, n, 0.5);
			opfig[2] = kern_quantile_u64(acc->dur, n, 0.9);
			opfig[3] = kern_quantile_u64(acc->dur, n, 0.99);
			opfig[4] = kern_quantile_u64(acc->dur, n, 0.999);
			opfig[5] = n ? (double)acc->dur[n - 1] : NAN;
		}
		opfig[0] = n ? (double)(total / (long double)n) : NAN;
		/* two-level variance (Kalibera & Jones) */
		s1sq = n_s1 ? s1 / (double)n_s1 : NAN;
		n1 = nmeans ? (double)nops_used / (double)nmeans : NAN;
		kern_mean_sd(wk->repmeans, nmeans, &m, &sd);
		s2sq = sd * sd;
		r1 = kern_lag1_value(&lag);
		for (int mi = 0; mi < M_COUNT; mi++) {
			const struct kern_summary *q = &sum[mi];
			char note[512];

			metric_note(wk->rf, nrep, mi, opfig[1], note, sizeof note);
			labels_out(&out->summary, t, g);
			csvout_cstr(&out->summary, metrics[mi].name);
			csvout_cstr(&out->summary, metric_unit_symbol(metrics[mi].unit));
			csvout_cstr(&out->summary, metrics[mi].higher ? "higher" : "lower");
			csvout_i64(&out->summary, (int64_t)nrep);
			csvout_i64(&out->summary, (int64_t)q->n);
			csvout_i64(&out->summary, (int64_t)nops_all);
			csvout_i64(&out->summary, (int64_t)total_failed);
			num(&out->summary, nops_all ? (double)total_failed / (double)nops_all : NAN);
			num(&out->summary, q->mean);
			num(&out->summary, q->sd);
			num(&out->summary, q->cv);
			num(&out->summary, q->ci_lo);
			num(&out->summary, q->ci_hi);
			num(&out->summary, q->median);
			num(&out->summary, q->median_ci_lo);
			num(&out->summary, q->median_ci_hi);
			num(&out->summary, q->min);
			num(&out->summary, q->q1);
			num(&out->summary, q->q3);
			num(&out->summary, q->max);
			num(&out->summary, q->mad);
			csvout_i64(&out->summary, (int64_t)q->mild);
			csvout_i64(&out->summary, (int64_t)q->severe);
			for (int k = 0; k < 6; k++)
				num(&out->summary, opfig[k]);
			num(&out->summary, s1sq);
			num(&out->summary, s2sq);
			num(&out->summary, s2sq - s1sq / n1);
			num(&out->summary, r1);
			csvout_cstr(&out->summary,
				    isfinite(r1) ? (fabs(r1) > 2.0 / sqrt((double)nops_used)
							    ? "yes"
							    : "no")
						 : "");
			csvout_cstr(&out->summary, steady_word(steady_all));
			if (t->from_reps)
				csvout_empty(&out->summary); /* not known */
			else
				csvout_i64(&out->summary, (int64_t)total_warm);
			num(&out->summary, o->confidence);
			csvout_cstr(&out->summary, data);
			csvout_cstr(&out->summary, note);
			csvout_i64(&out->summary, (int64_t)n_unsteady);
			csvout_i64(&out->summary, (int64_t)n_na);
			{
				double dt, dp;

				drift(t, g, wk->rf, nrep, mi, &dt, &dp);
				num(&out->summary, dt);
				num(&out->summary, dp);
				csvout_cstr(&out->summary,
					    !isfinite(dp) ? "" : dp < 0.05 ? "yes" : "no");
			}
			csvout_cstr(&out->summary, t->from_reps ? OP_NONE
						   : acc->approx ? OP_APPROX
								 : "exact");
			csvout_endrow(&out->summary);
		}
	}
	/* histogram of operation times: Freedman-Diaconis bins over
	 * [min, p99.9]; what lies above goes to a last, wider bin */
	if (detail && nops_used > 0) {
		const uint64_t *x = acc->dur;
		size_t n = nops_used;
		/* from the histogram: its buckets' values (clamped to the
		 * exact minimum and maximum) and counts, in order */
		double *hv = NULL;
		uint64_t *hc = NULL;
		size_t nh = 0, j = 0;
		double lo, top, iqr;

		if (acc->approx) {
			const struct loghist *H = &acc->hist;

			hv = malloc(LOGHIST_BUCKETS * sizeof *hv);
			hc = malloc(LOGHIST_BUCKETS * sizeof *hc);
			if (!hv || !hc) {
				free(hv);
				free(hc);
				return -1;
			}
			for (size_t b = 0; b < LOGHIST_BUCKETS; b++)
				if (H->count[b]) {
					double v = loghist_value(b);

					hv[nh] = v < (double)H->min   ? (double)H->min
						 : v > (double)H->max ? (double)H->max
								      : v;
					hc[nh++] = H->count[b];
				}
			lo = (double)H->min;
			top = loghist_quantile(H, 0.999);
			iqr = loghist_quantile(H, 0.75) - loghist_quantile(H, 0.25);
		} else {
			lo = (double)x[0];
			top = kern_quantile_u64(x, n, 0.999);
			iqr = kern_quantile_u64(x, n, 0.75) - kern_quantile_u64(x, n, 0.25);
		}
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
			if (acc->approx)
				while (j < nh && (hv[j] < bhi || (b == nb - 1 && hv[j] <= bhi))) {
					c += hc[j];
					i += hc[j++];
				}
			else
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
			num(&out->hist, acc->approx ? (double)acc->hist.max : (double)x[n - 1]);
			csvout_i64(&out->hist, (int64_t)(n - i));
			csvout_cstr(&out->hist, "above p99.9");
			csvout_endrow(&out->hist);
		}
		free(hv);
		free(hc);
	}
	return 0;
}

/* See compute_int.h. */
int group_figures(struct stats_table *t, const struct stats_options *o,
		  uint32_t gi, struct work *wk, struct outputs *out)
{
	struct stats_options all = *o;

	all.steady = 0;
	if (!o->steady)
		return group_pass(t, o, gi, wk, out, 1, "all");
	return group_pass(t, &all, gi, wk, out, 0, "all") != 0 ||
			       group_pass(t, o, gi, wk, out, 1, "steady-state") != 0
		       ? -1
		       : 0;
}
