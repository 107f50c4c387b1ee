/* Closing a repetition: its figures (its reps.csv row, its part of its
 * group's) computed once all its operations are in -- when its file ends
 * past hold_ops, or in stats_write() -- and its operations let go.  What a
 * group keeps of them is in its accumulators (struct gacc): every
 * successful duration up to exact_ops, then their histogram.  Nothing here
 * depends on the order repetitions are closed in: the group sums their
 * parts in its own order (compute_group.c).  See stats-spec.md. */
#include "stats_int.h"
#include "kernel.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* One repetition's scratch arrays, grown as needed. */
struct repwork {
	double *series;  /* its successful durations */
	size_t *pos;     /* their positions in the repetition */
	uint64_t *dur, *tmp; /* the same, to sort */
	size_t capseries, cappos, capdur, captmp;
};

void repwork_free(struct repwork *rw)
{
	if (!rw)
		return;
	free(rw->series);
	free(rw->pos);
	free(rw->dur);
	free(rw->tmp);
	free(rw);
}

static int rw_ensure(struct repwork *w, size_t n)
{
	if (table_grow((void **)&w->series, &w->capseries, n, sizeof *w->series) != 0 ||
	    table_grow((void **)&w->pos, &w->cappos, n, sizeof *w->pos) != 0 ||
	    table_grow((void **)&w->dur, &w->capdur, n, sizeof *w->dur) != 0 ||
	    table_grow((void **)&w->tmp, &w->captmp, n, sizeof *w->tmp) != 0)
		return -1;
	return 0;
}

void gacc_init(struct gacc *a)
{
	memset(a, 0, sizeof *a);
	loghist_init(&a->hist);
}

void gacc_release(struct gacc *a)
{
	free(a->dur);
	loghist_release(&a->hist);
	gacc_init(a);
}

int gacc_to_hist(struct gacc *a)
{
	if (a->approx)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (loghist_add(&a->hist, a->dur[i]) != 0)
			return -1;
	free(a->dur);
	a->dur = NULL;
	a->n = a->cap = 0;
	a->approx = 1;
	return 0;
}

int gacc_add_value(struct gacc *a, uint64_t v)
{
	if (a->approx)
		return loghist_add(&a->hist, v);
	if (table_grow((void **)&a->dur, &a->cap, a->n + 1, sizeof *a->dur) != 0)
		return -1;
	a->dur[a->n++] = v;
	return 0;
}

static uint64_t gacc_count(const struct gacc *a)
{
	return a->approx ? a->hist.n : a->n;
}

/* Past exact_ops successful operations (the count of the first pass: all
 * of them), both passes go over to the histogram. */
int gacc_settle(const struct stats_table *t, struct gacc acc[2])
{
	if (acc[0].approx || !t->exact_ops || gacc_count(&acc[0]) <= t->exact_ops)
		return 0;
	return gacc_to_hist(&acc[0]) != 0 || gacc_to_hist(&acc[1]) != 0 ? -1 : 0;
}

int gacc_merge(const struct stats_table *t, struct gacc a[2], struct gacc b[2])
{
	for (int p = 0; p < 2; p++) {
		if (a[p].approx || b[p].approx) {
			if (gacc_to_hist(&a[p]) != 0 || gacc_to_hist(&b[p]) != 0 ||
			    loghist_merge(&a[p].hist, &b[p].hist) != 0)
				return -1;
		} else {
			for (size_t i = 0; i < b[p].n; i++)
				if (gacc_add_value(&a[p], b[p].dur[i]) != 0)
					return -1;
		}
		gacc_release(&b[p]);
	}
	return gacc_settle(t, a);
}

int gacc_take_hist(struct gacc *a, const struct loghist *h)
{
	return gacc_to_hist(a) != 0 || loghist_merge(&a->hist, h) != 0 ? -1 : 0;
}

/* One repetition's figures from its operations OPS (in start order; BYTES
 * theirs, or NULL), on all of them (STEADY 0) or on those after its MSER-5
 * warm-up; its successful durations go to ACC. */
static int rep_figures(int steady, const struct rep *r, const struct op *ops,
		       const int64_t *bytesv, struct repwork *w,
		       struct gacc *acc, struct repfig *f)
{
	size_t n = r->ops, nok = 0, from = 0, from_ok = 0, d;
	int64_t lo = INT64_MAX, hi = INT64_MIN, busy = 0, bytes = 0;
	int busy_over = 0;
	struct kern_lag1 lag = { 0, 0 };
	double m, sd, median;

	if (rw_ensure(w, n + 1) != 0)
		return -1;
	/* the series of successful operations: failed ones are never timed
	 * as if they had succeeded */
	for (size_t k = 0; k < n; k++)
		if (!ops[k].failed) {
			w->pos[nok] = k;
			w->series[nok++] = (double)ops[k].dur;
		}
	memset(f, 0, sizeof *f);
	for (int i = 0; i < M_COUNT; i++)
		f->v[i] = NAN;
	f->within_var = f->mean = NAN;
	d = kern_mser5(w->series, nok, &f->steady);
	f->number = r->number;
	f->file = r->file;
	f->res = r->res < INT64_MAX ? r->res : 1;
	f->start = r->res == STATS_NO_STAMP ? INT64_MAX : r->min_start;
	f->warmup = 5 * d;
	if (steady && f->steady == 1 && f->warmup < nok) {
		from_ok = f->warmup;
		from = w->pos[from_ok];
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
		if (bytesv) {
			if (bytesv[k] < 0 ||
			    __builtin_add_overflow(bytes, bytesv[k], &bytes))
				f->bytes_known = 0;
		}
		w->dur[f->ok++] = (uint64_t)ops[k].dur;
		if (gacc_add_value(acc, (uint64_t)ops[k].dur) != 0)
			return -1;
	}
	if (!bytesv || !steady) {
		bytes = r->bytes;
		f->bytes_known = !r->bytes_unknown;
	}
	f->bytes = bytes;
	if (f->ok == 0)
		return 0; /* every operation failed: no figure at all */
	kern_sort_u64(w->dur, f->ok, w->tmp);
	median = kern_quantile_u64(w->dur, f->ok, 0.5);
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
	f->v[M_OP_P99] = kern_quantile_u64(w->dur, f->ok, 0.99);
	kern_mean_sd(w->series + from_ok, nok - from_ok, &m, &sd);
	f->mean = m;
	f->within_var = nok - from_ok >= 2 ? sd * sd : NAN;
	kern_lag1_add(&lag, w->series + from_ok, nok - from_ok, m);
	f->lag_num = lag.num;
	f->lag_den = lag.den;
	return 0;
}

static int close_rep(struct stats_table *t, struct repwork *rw,
		     struct rep *r, const struct op *ops, const int64_t *bytes)
{
	struct group *g = &t->groups[r->group];
	int np = t->steady ? 2 : 1;

	r->fig = calloc((size_t)np, sizeof *r->fig);
	if (!r->fig)
		return -1;
	for (int p = 0; p < np; p++)
		if (rep_figures(p, r, ops, bytes, rw, &g->acc[p],
				&r->fig[p]) != 0)
			return -1;
	return gacc_settle(t, g->acc);
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

/* Order the held operations by (repetition, start time) so that each
 * repetition's series is contiguous and in time order. */
static int sort_held(struct stats_table *t)
{
	int sorted = 1;

	for (size_t i = 1; i < t->nops && sorted; i++)
		if (t->ops[i].rep < t->ops[i - 1].rep ||
		    (t->ops[i].rep == t->ops[i - 1].rep &&
		     t->ops[i].start < t->ops[i - 1].start))
			sorted = 0;
	if (sorted)
		return 0;
	if (t->nops >= (1u << 31))
		return TABLE_TOO_MANY;
	for (size_t i = 0; i < t->nops; i++)
		t->ops[i].failed |= (uint32_t)i << 1;
	qsort(t->ops, t->nops, sizeof *t->ops, cmp_ops);
	if (t->keep_bytes) {
		int64_t *nb = malloc(t->nops * sizeof *nb);

		if (!nb)
			return -1;
		for (size_t i = 0; i < t->nops; i++)
			nb[i] = t->bytes[t->ops[i].failed >> 1];
		memcpy(t->bytes, nb, t->nops * sizeof *nb);
		free(nb);
	}
	for (size_t i = 0; i < t->nops; i++)
		t->ops[i].failed &= 1;
	return 0;
}

void table_give_back(void *lo, void *hi)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)lo + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
	uintptr_t b = (uintptr_t)hi & ~((uintptr_t)page - 1);

	if (b > a)
		madvise((void *)a, b - a, MADV_DONTNEED);
}

int table_close_held(struct stats_table *t, uint32_t keep)
{
	size_t n = t->nops, kept = 0;
	int rc;

	if (!t->rw && !(t->rw = calloc(1, sizeof *t->rw)))
		return -1;
	if ((rc = sort_held(t)) != 0)
		return rc;
	for (size_t i = 0; i < n;) {
		struct rep *r = &t->reps[t->ops[i].rep];
		size_t m = r->ops; /* all of them are held */

		if (r->file == keep) {
			memmove(t->ops + kept, t->ops + i, m * sizeof *t->ops);
			if (t->keep_bytes)
				memmove(t->bytes + kept, t->bytes + i,
					m * sizeof *t->bytes);
			kept += m;
		} else if (close_rep(t, t->rw, r, t->ops + i,
				     t->keep_bytes ? t->bytes + i : NULL) != 0) {
			return -1;
		}
		i += m;
	}
	if (t->ops_map)
		table_give_back(t->ops + kept, t->ops + n);
	t->nops = kept;
	return 0;
}

/* The held repetitions of the groups on side MINE closed, with RW. */
struct close_job {
	struct stats_table *t;
	struct repwork *rw;
	const unsigned char *side; /* per group: 0 or 1 */
	unsigned char mine;
	int rc;
};

static void *close_side(void *arg)
{
	struct close_job *J = arg;
	struct stats_table *t = J->t;

	for (size_t i = 0; i < t->nops;) {
		struct rep *r = &t->reps[t->ops[i].rep];
		size_t m = r->ops;

		if (J->side[r->group] == J->mine &&
		    close_rep(t, J->rw, r, t->ops + i,
			      t->keep_bytes ? t->bytes + i : NULL) != 0) {
			J->rc = -1;
			break;
		}
		i += m;
	}
	return NULL;
}

int table_close_all(struct stats_table *t, int threads)
{
	size_t n = t->nops, load[2] = { 0, 0 }, *per_group = NULL;
	unsigned char *side = NULL;
	struct repwork *rw2 = NULL;
	struct close_job job[2];
	pthread_t th;
	int rc, threaded, used[2] = { 0, 0 };

	if (threads < 2 || t->ngroups < 2 || n < CLOSE_SPLIT_MIN)
		return table_close_held(t, UINT32_MAX);
	if (!t->rw && !(t->rw = calloc(1, sizeof *t->rw)))
		return -1;
	if ((rc = sort_held(t)) != 0)
		return rc;
	per_group = calloc(t->ngroups, sizeof *per_group);
	side = calloc(t->ngroups, 1);
	rw2 = calloc(1, sizeof *rw2);
	if (!per_group || !side || !rw2) {
		free(per_group);
		free(side);
		free(rw2);
		return -1;
	}
	for (size_t i = 0; i < n; i += t->reps[t->ops[i].rep].ops)
		per_group[t->reps[t->ops[i].rep].group] += t->reps[t->ops[i].rep].ops;
	/* each group to the side with fewer operations so far: every group's
	 * repetitions are closed in their order, by one thread */
	for (size_t g = 0; g < t->ngroups; g++) {
		unsigned char k = load[1] < load[0];

		if (!per_group[g])
			continue;
		side[g] = k;
		load[k] += per_group[g];
		used[k] = 1;
	}
	job[0] = (struct close_job){ t, t->rw, side, 0, 0 };
	job[1] = (struct close_job){ t, rw2, side, 1, 0 };
	threaded = used[0] && used[1] &&
		   pthread_create(&th, NULL, close_side, &job[1]) == 0;
	close_side(&job[0]);
	if (threaded)
		pthread_join(th, NULL);
	else
		close_side(&job[1]);
	repwork_free(rw2);
	free(per_group);
	free(side);
	if (job[0].rc != 0 || job[1].rc != 0)
		return -1;
	if (t->ops_map)
		table_give_back(t->ops, t->ops + n);
	t->nops = 0;
	return 0;
}
