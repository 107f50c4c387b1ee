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

struct repfig {
	int64_t number;
	uint32_t file;
	size_t ops, ok, warmup, failed;
	int steady;       /* 1 yes, 0 no, -1 n/a */
	int64_t res;      /* finest start-stamp resolution */
	int64_t start;    /* its first start (us); INT64_MAX when unknown */
	int64_t bytes;
	int bytes_known;
	int wall_unknown; /* its stamps are coarser than its operations */
	double v[M_COUNT]; /* each metric; NaN where it has none */
	double within_var; /* NaN with fewer than 2 successful ops */
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
	csvout_double(w, v);
}

static const char *steady_word(int s)
{
	return s > 0 ? "yes" : s == 0 ? "no" : "n/a";
}

/* One repetition's figures, from its operations in start order. */
static int rep_figures(struct stats_table *t, const struct stats_options *o,
		       const struct rep *r, struct work *wk, size_t *nops_used,
		       struct kern_lag1 *lag, double *repmean,
		       struct repfig *f)
{
	const struct op *ops = t->ops + r->first;
	size_t n = r->ops, nok = 0, from = 0, from_ok = 0, d;
	int64_t lo = INT64_MAX, hi = INT64_MIN, busy = 0, bytes = 0;
	int busy_over = 0;
	double m, sd, median;

	if (ensure((void **)&wk->series, &wk->capseries, n + 1,
		   sizeof *wk->series) != 0 ||
	    ensure((void **)&wk->pos, &wk->cappos, n + 1, sizeof *wk->pos) != 0 ||
	    ensure((void **)&wk->repdur, &wk->caprep, n + 1,
		   sizeof *wk->repdur) != 0 ||
	    ensure((void **)&wk->reptmp, &wk->capreptmp, n + 1,
		   sizeof *wk->reptmp) != 0)
		return -1;
	/* the series of successful operations: failed ones are never timed
	 * as if they had succeeded */
	for (size_t k = 0; k < n; k++)
		if (!ops[k].failed) {
			wk->pos[nok] = k;
			wk->series[nok++] = (double)ops[k].dur;
		}
	memset(f, 0, sizeof *f);
	for (int i = 0; i < M_COUNT; i++)
		f->v[i] = NAN;
	f->within_var = NAN;
	*repmean = NAN;
	d = kern_mser5(wk->series, nok, &f->steady);
	f->number = r->number;
	f->file = r->file;
	f->res = r->res < INT64_MAX ? r->res : 1;
	f->start = r->res == STATS_NO_STAMP ? INT64_MAX : r->min_start;
	f->warmup = 5 * d;
	if (o->steady && f->steady == 1 && f->warmup < nok) {
		from_ok = f->warmup;
		from = wk->pos[from_ok];
	}
	f->bytes_known = 1;
	for (size_t k = from; k < n; k++) {
		int64_t end = ops[k].start + ops[k].dur;

		if (ops[k].start < lo)
			lo = ops[k].start;
		if (end > hi)
			hi = end;
		f->ops++;
		if (ops[k].failed) {
			f->failed++;
			continue;
		}
		/* sums past int64 (2^53 per value, so 1,024 values of
		 * centuries) are no figures: unknown */
		if (__builtin_add_overflow(busy, ops[k].dur, &busy))
			busy_over = 1;
		if (t->keep_bytes) {
			if (t->bytes[r->first + k] < 0 ||
			    __builtin_add_overflow(bytes, t->bytes[r->first + k], &bytes))
				f->bytes_known = 0;
		}
		wk->repdur[f->ok++] = (uint64_t)ops[k].dur;
		if (!wk->approx)
			wk->opdur[(*nops_used)++] = (uint64_t)ops[k].dur;
		else if (loghist_add(&wk->hist, (uint64_t)ops[k].dur) == 0)
			(*nops_used)++;
		else
			return -1;
	}
	if (!t->keep_bytes || !o->steady) {
		bytes = r->bytes;
		f->bytes_known = !r->bytes_unknown;
	}
	f->bytes = bytes;
	if (f->ok == 0)
		return 0; /* every operation failed: no figure at all */
	kern_sort_u64(wk->repdur, f->ok, wk->reptmp);
	median = kern_quantile_u64(wk->repdur, f->ok, 0.5);
	/* a start stamp coarser than the operations cannot place them: the
	 * wall time (and every rate over it) is unknown */
	f->wall_unknown = f->res > 1 && (double)f->res > median;
	if (!f->wall_unknown) {
		f->v[M_WALL] = (double)(hi - lo);
		if (hi > lo) {
			if (f->bytes_known)
				f->v[M_THROUGHPUT] = (double)bytes / ((double)(hi - lo) / 1e6);
			f->v[M_OP_RATE] = (double)f->ok / ((double)(hi - lo) / 1e6);
		}
	}
	f->v[M_BUSY] = busy_over ? NAN : (double)busy;
	f->v[M_OP_MEAN] = busy_over ? NAN : (double)busy / (double)f->ok;
	f->v[M_OP_P50] = median;
	f->v[M_OP_P99] = kern_quantile_u64(wk->repdur, f->ok, 0.99);
	kern_mean_sd(wk->series + from_ok, nok - from_ok, &m, &sd);
	*repmean = m;
	f->within_var = nok - from_ok >= 2 ? sd * sd : NAN;
	kern_lag1_add(lag, wk->series + from_ok, nok - from_ok, m);
	return 0;
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
	size_t nrep = g->nreps, nops_used = 0, nops_all = 0;
	struct kern_summary sum[M_COUNT];
	struct kern_lag1 lag = { 0, 0 };
	double s1 = 0;
	size_t n_s1 = 0, total_failed = 0, total_warm = 0, nmeans = 0;
	size_t n_unsteady = 0, n_na = 0;
	int steady_all = -1;

	if (ensure((void **)&wk->rf, &wk->caprf, nrep + 1, sizeof *wk->rf) != 0 ||
	    ensure((void **)&wk->vals, &wk->capvals, nrep + 1,
		   sizeof *wk->vals) != 0 ||
	    ensure((void **)&wk->repmeans, &wk->capmeans, nrep + 1,
		   sizeof *wk->repmeans) != 0)
		return -1;
	/* the group's successful operations, for the operation figures:
	 * every duration, or past exact_ops of them their histogram */
	{
		size_t total = 0, ok = 0;

		for (size_t i = 0; i < nrep; i++) {
			total += t->reps[g->reps[i]].ops;
			ok += t->reps[g->reps[i]].ops - t->reps[g->reps[i]].failed;
		}
		wk->approx = o->exact_ops && ok > o->exact_ops;
		loghist_clear(&wk->hist);
		/* both buffers live across groups: fresh pages for every
		 * group would cost the kernel a zeroing each time */
		if (!wk->approx &&
		    (ensure((void **)&wk->opdur, &wk->capop, total + 1,
			    sizeof *wk->opdur) != 0 ||
		     ensure((void **)&wk->optmp, &wk->captmp, total + 1,
			    sizeof *wk->optmp) != 0))
			return -1;
	}
	for (size_t i = 0; i < nrep; i++) {
		struct repfig *f = &wk->rf[i];
		double rm;

		if (rep_figures(t, o, &t->reps[g->reps[i]], wk, &nops_used, &lag,
				&rm, f) != 0)
			return -1;
		if (isfinite(rm))
			wk->repmeans[nmeans++] = rm;
		if (isfinite(f->within_var)) {
			s1 += f->within_var;
			n_s1++;
		}
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

		if (wk->approx) {
			static const double qs[4] = { 0.5, 0.9, 0.99, 0.999 };

			total = wk->hist.sum;
			for (int k = 0; k < 4; k++)
				opfig[1 + k] = loghist_quantile(&wk->hist, qs[k]);
			opfig[5] = n ? (double)wk->hist.max : NAN;
		} else {
			for (size_t i = 0; i < n; i++)
				total += (long double)wk->opdur[i];
			kern_sort_u64(wk->opdur, n, wk->optmp);
			opfig[1] = kern_quantile_u64(wk->opdur, n, 0.5);
			opfig[2] = kern_quantile_u64(wk->opdur, n, 0.9);
			opfig[3] = kern_quantile_u64(wk->opdur, n, 0.99);
			opfig[4] = kern_quantile_u64(wk->opdur, n, 0.999);
			opfig[5] = n ? (double)wk->opdur[n - 1] : NAN;
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
			csvout_cstr(&out->summary, wk->approx ? OP_APPROX : "exact");
			csvout_endrow(&out->summary);
		}
	}
	/* histogram of operation times: Freedman-Diaconis bins over
	 * [min, p99.9]; what lies above goes to a last, wider bin */
	if (detail && nops_used > 0) {
		const uint64_t *x = wk->opdur;
		size_t n = nops_used;
		/* from the histogram: its buckets' values (clamped to the
		 * exact minimum and maximum) and counts, in order */
		double *hv = NULL;
		uint64_t *hc = NULL;
		size_t nh = 0, j = 0;
		double lo, top, iqr;

		if (wk->approx) {
			const struct loghist *H = &wk->hist;

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
			if (wk->approx)
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
			num(&out->hist, wk->approx ? (double)wk->hist.max : (double)x[n - 1]);
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
