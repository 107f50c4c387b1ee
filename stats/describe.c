/* vmnetrank describe: the statistics kernel for any list of numbers, in
 * the spirit of FreeBSD's ministat. */
#include "stats.h"
#include "kernel.h"
#include "../lib/csvout.h"
#include "../lib/csvread.h"
#include "../lib/diag.h"
#include "../lib/lines.h"

#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Each file's numbers are kept as x - offset, offset the integer part of
 * that file's first number, the subtraction done exactly on the decimal
 * text (integer parts of up to 38 digits as 128-bit integers, the
 * fraction parsed alone).  So values like 10000000.1 and 10000000.3, or
 * 1e20 + 1 and 1e20 + 3, which no double holds apart, keep their spread to
 * the last digit, and no file's figures depend on another's; the offset is
 * added back to every figure of location.  Numbers in exponent form go
 * through a double.
 */
__extension__ typedef __int128 i128;

struct sample {
	const char *name;
	double *x; /* shifted by the offset; sorted after reading */
	size_t n, cap;
	i128 offset;
	int have_offset;
	double mean_shifted; /* the mean of x, before the offset is added */
	struct kern_summary s;
};

static int push(struct sample *s, double v)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 256;
		double *nx = realloc(s->x, ncap * sizeof *nx);

		if (!nx)
			return -1;
		s->x = nx;
		s->cap = ncap;
	}
	s->x[s->n++] = v;
	return 0;
}

enum { NUM_BAD = -1, NUM_RANGE_ = -2, NUM_NUL = -3 };

/* A decimal number filling the whole text (spaces and tabs around it
 * aside): [+-] digits [. digits] [e [+-] digits], at least one digit
 * before the exponent; no hexadecimal, inf, nan or NUL.  As value minus
 * S's offset (set by the first number); 0, or NUM_* with *col set. */
static int parse_number(struct sample *smp, const char *s, size_t n, double *v,
			long *col)
{
	char buf[128], *end;
	size_t b = 0, e = n, k, ib, ie, digits = 0;
	int neg = 0, expo = 0;
	double whole;

	while (b < e && (s[b] == ' ' || s[b] == '\t'))
		b++;
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	*col = (long)b + 1;
	if (e == b)
		return NUM_BAD;
	/* the grammar, byte by byte */
	k = b;
	if (s[k] == '+' || s[k] == '-')
		neg = s[k++] == '-';
	ib = k;
	while (k < e && s[k] >= '0' && s[k] <= '9')
		k++, digits++;
	ie = k;
	if (k < e && s[k] == '.') {
		k++;
		while (k < e && s[k] >= '0' && s[k] <= '9')
			k++, digits++;
	}
	if (digits && k < e && (s[k] == 'e' || s[k] == 'E')) {
		size_t d0;

		expo = 1;
		k++;
		if (k < e && (s[k] == '+' || s[k] == '-'))
			k++;
		d0 = k;
		while (k < e && s[k] >= '0' && s[k] <= '9')
			k++;
		if (k == d0) {
			*col = (long)k + 1;
			return NUM_BAD;
		}
	}
	if (!digits || k < e) {
		*col = (long)(digits ? k : b) + 1;
		if (k < e && s[k] == '\0')
			*col = (long)k + 1;
		return k < e && s[k] == '\0' ? NUM_NUL : NUM_BAD;
	}
	if (e - b >= sizeof buf)
		return NUM_RANGE_;
	memcpy(buf, s + b, e - b);
	buf[e - b] = '\0';
	errno = 0;
	whole = strtod(buf, &end);
	if (errno == ERANGE || !isfinite(whole))
		return NUM_RANGE_;
	if (!expo && ie - ib <= 38) {
		/* exact: integer part as i128, the fraction alone */
		i128 ip = 0;
		double frac = 0;

		for (size_t d = ib; d < ie; d++)
			ip = ip * 10 + (s[d] - '0');
		if (ie < e) { /* ".xxx" */
			char fb[128] = "0";

			memcpy(fb + 1, s + ie, e - ie);
			fb[1 + e - ie] = '\0';
			frac = strtod(fb, NULL);
		}
		if (neg) {
			ip = -ip;
			frac = -frac;
		}
		if (!smp->have_offset) {
			smp->offset = ip;
			smp->have_offset = 1;
		}
		*v = (double)(ip - smp->offset) + frac;
		return 0;
	}
	if (!smp->have_offset) {
		smp->offset = 0;
		smp->have_offset = 1;
	}
	*v = whole - (double)smp->offset;
	return 0;
}

static const char *const num_errors[] = { "", "not a number",
					  "out of range",
					  "not a number (it holds a NUL byte)" };

/* Add the offset back to the figures of location. */
static void unshift(struct sample *smp)
{
	struct kern_summary *k = &smp->s;
	double o = (double)smp->offset;
	double *loc[] = { &k->mean, &k->ci_lo, &k->ci_hi, &k->median,
			  &k->median_ci_lo, &k->median_ci_hi, &k->min,
			  &k->q1, &k->q3, &k->max };

	for (size_t i = 0; i < sizeof loc / sizeof loc[0]; i++)
		*loc[i] += o;
	k->cv = k->mean != 0 ? k->sd / k->mean : NAN;
}

/* SMP's values relative to BASE's offset, exactly when the offsets are
 * close (into a new array; NULL when out of memory). */
static double *rebased(const struct sample *smp, const struct sample *base)
{
	double *x = malloc((smp->n + 1) * sizeof *x);
	double d = (double)(smp->offset - base->offset);

	for (size_t i = 0; x && i < smp->n; i++)
		x[i] = smp->x[i] + d;
	return x;
}

static int read_plain(struct sample *s, const char *path, const char *shown)
{
	struct lines L;
	const char *line;
	size_t n;
	int rc, bad = 0;

	if (lines_open(&L, path) != 0) {
		diag_at(DIAG_ERROR, shown, 0, 0, "%s: %s", L.error,
			strerror(L.err_errno));
		return -1;
	}
	while ((rc = lines_next(&L, &line, &n)) == 1) {
		size_t b = 0;
		double v;
		long col;

		while (b < n && (line[b] == ' ' || line[b] == '\t'))
			b++;
		if (b == n || line[b] == '#')
			continue;
		if ((rc = parse_number(s, line, n, &v, &col)) != 0) {
			diag_at(DIAG_ERROR, shown, L.lineno, col,
				"'%.*s' is %s (expected one decimal number "
				"per line; '#' starts a comment)",
				(int)strnlen(line, n > 60 ? 60 : n), line,
				num_errors[-rc]);
			rc = 1;
			bad = 1;
			continue;
		}
		if (push(s, v) != 0) {
			diag(DIAG_ERROR, "out of memory");
			bad = 1;
			break;
		}
	}
	if (rc < 0) {
		diag_at(DIAG_ERROR, shown, L.lineno + 1, 1, "%s", L.error);
		bad = 1;
	}
	lines_close(&L);
	return bad ? -1 : 0;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int read_column(struct sample *s, const char *path, const char *shown,
		       const char *column)
{
	struct csvread r;
	long want = -1;
	int rc, bad = 0, first = 1;
	int by_name = !all_digits(column);

	if (!by_name)
		want = atol(column) - 1;
	if (csvread_open(&r, path, ',', '#', 1) != 0) {
		diag_at(DIAG_ERROR, shown, 0, 0, "%s: %s", r.error,
			strerror(r.L.err_errno));
		return -1;
	}
	while ((rc = csvread_next(&r)) != CSVREAD_EOF) {
		double v;
		long col;

		if (rc == CSVREAD_COMMENT)
			continue;
		if (rc == CSVREAD_ERROR) {
			diag_at(DIAG_ERROR, shown, r.err_line, r.err_col, "%s",
				r.error);
			bad = 1;
			if (!r.raw)
				break;
			continue;
		}
		if (first && by_name) {
			want = csvread_column(&r, column);
			first = 0;
			if (want < 0) {
				diag_at(DIAG_ERROR, shown, r.rec_line, 1,
					"no column '%s' in the header row",
					column);
				bad = 1;
				break;
			}
			continue;
		}
		if (want >= (long)r.nf) {
			/* the column just past the row's last field */
			diag_at(DIAG_ERROR, shown, r.rec_line,
				r.nf ? r.f[r.nf - 1].col + (long)r.f[r.nf - 1].len : 1,
				"%zu fields (expected at least %ld for column "
				"%s)",
				r.nf, want + 1, column);
			bad = 1;
			continue;
		}
		if ((rc = parse_number(s, r.f[want].s, r.f[want].len, &v, &col)) != 0) {
			if (first && rc == NUM_BAD) { /* a header row above numbered columns */
				first = 0;
				continue;
			}
			diag_at(DIAG_ERROR, shown, r.f[want].line,
				r.f[want].col + col - 1,
				"'%.*s' is %s (expected a decimal number in "
				"column %s)",
				(int)strnlen(r.f[want].s, r.f[want].len), r.f[want].s,
				num_errors[-rc], column);
			bad = 1;
			continue;
		}
		first = 0;
		if (push(s, v) != 0) {
			diag(DIAG_ERROR, "out of memory");
			bad = 1;
			break;
		}
	}
	csvread_close(&r);
	return bad ? -1 : 0;
}

static void print_summary(const struct sample *s, double conf)
{
	const struct kern_summary *k = &s->s;
	int pc = (int)lround(conf * 100);

	term_printf(stdout, "%s\n", s->name);
	printf("  n         %zu\n", k->n);
	printf("  min       %.12g\n  q1        %.12g\n  median    %.12g",
	       k->min, k->q1, k->median);
	if (isfinite(k->median_ci_lo))
		printf("   %d%% CI [%.12g, %.12g]", pc, k->median_ci_lo,
		       k->median_ci_hi);
	printf("\n  q3        %.12g\n  max       %.12g\n  mean      %.12g",
	       k->q3, k->max, k->mean);
	if (isfinite(k->ci_lo) && k->sd > 0)
		printf("   %d%% CI [%.12g, %.12g]", pc, k->ci_lo, k->ci_hi);
	if (k->n < 2)
		printf("\n  sd        -   (one value: no spread, no interval)\n");
	else if (k->sd == 0)
		printf("\n  sd        0   (constant: every value is the same)\n");
	else
		printf("\n  sd        %.12g\n  cv        %.4g%%\n", k->sd,
		       k->cv * 100);
}

static void compare(const struct sample *base, const struct sample *s,
		    double conf)
{
	struct kern_welch w;
	double W, pmw, lo, hi, ratio, tq, *xs;
	int pc = (int)lround(conf * 100), fieller;
	/* the difference of means on the shifted scale: exact where the
	 * unshifted means (1e20 and 1e20 + 2) would round together */
	double ms = s->mean_shifted + (double)(s->offset - base->offset);

	term_printf(stdout, "%s vs %s\n", s->name, base->name);
	ratio = s->s.mean / base->s.mean;
	if (s->s.n < 2 || base->s.n < 2) {
		printf("  difference of means  %+.6g\n", ms - base->mean_shifted);
		printf("  ratio of means       %.6g\n", ratio);
		printf("  no test: %s has one value (a test needs at least two "
		       "on each side)\n",
		       s->s.n < 2 ? s->name : base->name);
		return;
	}
	if (s->s.sd == 0 && base->s.sd == 0) {
		printf("  difference of means  %+.6g\n", ms - base->mean_shifted);
		printf("  ratio of means       %.6g\n", ratio);
		if (ms == base->mean_shifted)
			printf("  no test: both are constant and the same\n");
		else
			printf("  no test: both are constant, so there is no "
			       "spread to weigh the difference against (it is "
			       "%+.6g in every value)\n",
			       ms - base->mean_shifted);
		return;
	}
	kern_welch(ms, s->s.sd, s->s.n, base->mean_shifted, base->s.sd,
		   base->s.n, conf, &w);
	xs = rebased(s, base);
	if (!xs) {
		diag(DIAG_ERROR, "out of memory");
		return;
	}
	kern_mann_whitney(xs, s->n, base->x, base->n, &W, &pmw);
	free(xs);
	tq = isfinite(w.df) ? gsl_cdf_tdist_Pinv(1 - (1 - conf) / 2, w.df) : NAN;
	fieller = isfinite(tq)
			  ? kern_fieller(s->s.mean, s->s.sd / sqrt((double)s->s.n),
					 base->s.mean,
					 base->s.sd / sqrt((double)base->s.n), tq,
					 &lo, &hi)
			  : -1;
	printf("  difference of means  %+.6g   %d%% CI [%.6g, %.6g] (Welch)\n",
	       w.diff, pc, w.ci_lo, w.ci_hi);
	printf("  ratio of means       %.6g   %d%% CI ", ratio, pc);
	if (fieller == 0)
		printf("[%.6g, %.6g] (Fieller)\n", lo, hi);
	else
		printf("unbounded (Fieller: the first mean is not clearly "
		       "away from 0)\n");
	printf("  Welch                t = %.5g, df = %.5g, p = %.4g\n", w.t,
	       w.df, w.p);
	printf("  Mann-Whitney         W = %.6g, p = %.4g\n", W, pmw);
	if (isfinite(w.p) && w.p < 1 - conf && fieller == 0 &&
	    (hi < 1 || lo > 1)) {
		/* the Fieller interval as it is: asymmetric about the ratio */
		if (ratio > 1)
			printf("  verdict: slower by %.3g%%, %d%% CI %.3g%% to "
			       "%.3g%%\n",
			       (ratio - 1) * 100, pc, (lo - 1) * 100, (hi - 1) * 100);
		else
			printf("  verdict: faster by %.3g%%, %d%% CI %.3g%% to "
			       "%.3g%%\n",
			       (1 - ratio) * 100, pc, (1 - hi) * 100, (1 - lo) * 100);
	} else {
		printf("  verdict: no difference proven at %d%%\n", pc);
	}
}

int stats_describe(const char *const *inputs, size_t n,
		   const struct describe_options *o)
{
	static const char *const stdin_only[] = { "-" };
	struct sample *s;
	int rc = 0;

	if (n == 0) {
		inputs = stdin_only;
		n = 1;
	}
	s = calloc(n, sizeof *s);
	if (!s) {
		diag(DIAG_ERROR, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const char *path = strcmp(inputs[i], "-") == 0 ? "/dev/stdin"
							       : inputs[i];

		s[i].name = strcmp(inputs[i], "-") == 0 ? "<stdin>" : inputs[i];
		if ((o->column ? read_column(&s[i], path, s[i].name, o->column)
			       : read_plain(&s[i], path, s[i].name)) != 0)
			rc = -1;
		else if (s[i].n == 0) {
			diag_at(DIAG_ERROR, s[i].name, 0, 0,
				"no numbers (expected at least one)");
			rc = -1;
		}
	}
	if (rc == 0) {
		for (size_t i = 0; i < n; i++) {
			gsl_sort(s[i].x, 1, s[i].n);
			kern_summarise(s[i].x, s[i].n, o->confidence, &s[i].s);
			s[i].mean_shifted = s[i].s.mean;
			unshift(&s[i]);
		}
		if (o->csv) {
			struct csvout w;
			static const char *const cols[] = {
				"file", "n", "min", "q1", "median", "q3", "max",
				"mean", "sd", "cv", "ci_lo", "ci_hi",
				"median_ci_lo", "median_ci_hi", NULL,
			};

			csvout_init(&w, stdout);
			csvout_row(&w, cols);
			for (size_t i = 0; i < n; i++) {
				const struct kern_summary *k = &s[i].s;
				double v[] = { k->min, k->q1, k->median,
					       k->q3, k->max, k->mean, k->sd,
					       k->cv, k->ci_lo, k->ci_hi,
					       k->median_ci_lo, k->median_ci_hi };

				csvout_cstr(&w, s[i].name);
				csvout_i64(&w, (int64_t)k->n);
				for (size_t j = 0; j < sizeof v / sizeof v[0]; j++)
					csvout_double(&w, v[j]);
				csvout_endrow(&w);
			}
			if (csvout_flush(&w) != 0)
				rc = -1;
			csvout_release(&w);
		} else {
			for (size_t i = 0; i < n; i++) {
				if (i)
					putchar('\n');
				print_summary(&s[i], o->confidence);
			}
			for (size_t i = 1; i < n; i++) {
				putchar('\n');
				compare(&s[0], &s[i], o->confidence);
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		free(s[i].x);
	free(s);
	return rc;
}
