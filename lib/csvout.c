#include "csvout.h"
#include "num.h"

#include <csv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSVOUT_BUF (1u << 18)

void csvout_init(struct csvout *w, FILE *fp)
{
	memset(w, 0, sizeof *w);
	w->fp = fp;
	w->cap = CSVOUT_BUF;
	w->buf = malloc(w->cap);
	if (!w->buf)
		w->err = 1;
}

void csvout_release(struct csvout *w)
{
	free(w->buf);
	memset(w, 0, sizeof *w);
}

int csvout_flush(struct csvout *w)
{
	if (w->len && !w->err && w->fp &&
	    fwrite(w->buf, 1, w->len, w->fp) != w->len)
		w->err = 1;
	w->len = 0;
	return w->err ? -1 : 0;
}

/* Make room for N more bytes. */
static int reserve(struct csvout *w, size_t n)
{
	if (w->err)
		return -1;
	if (w->len + n <= w->cap)
		return 0;
	if (csvout_flush(w) != 0)
		return -1;
	if (n > w->cap) {
		char *nb = realloc(w->buf, n);

		if (!nb) {
			w->err = 1;
			return -1;
		}
		w->buf = nb;
		w->cap = n;
	}
	return 0;
}

static void sep(struct csvout *w)
{
	if (w->nfields++ > 0)
		w->buf[w->len++] = ',';
}

static int needs_quotes(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return 1;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return 1;
	return 0;
}

size_t csvout_format(char *dst, size_t cap, const char *s, size_t n)
{
	size_t need;

	if (!needs_quotes(s, n)) {
		if (n > cap)
			return (size_t)-1;
		memcpy(dst, s, n);
		return n;
	}
	need = csv_write(NULL, 0, s, n);
	if (need > cap)
		return (size_t)-1;
	return csv_write(dst, cap, s, n);
}

void csvout_str(struct csvout *w, const char *s, size_t n)
{
	size_t max = 2 * n + 3, got;

	if (reserve(w, max + 1) != 0)
		return;
	sep(w);
	got = csvout_format(w->buf + w->len, w->cap - w->len, s, n);
	if (got == (size_t)-1) {
		w->err = 1;
		return;
	}
	w->len += got;
}

void csvout_cstr(struct csvout *w, const char *s)
{
	csvout_str(w, s ? s : "", s ? strlen(s) : 0);
}

void csvout_i64(struct csvout *w, int64_t v)
{
	if (reserve(w, 24) != 0)
		return;
	sep(w);
	w->len += num_fmt_i64(w->buf + w->len, v);
}

void csvout_empty(struct csvout *w)
{
	if (reserve(w, 1) != 0)
		return;
	sep(w);
}

/* The shortest of %.15g, %.16g and %.17g that reads back as V (17 always
 * do), the way glibc's printf rounds: the slow way, three printf and three
 * strtod at worst; csvout_shortest() falls back to it. */
static int shortest_slow(char *out, double v)
{
	int n = 0;

	for (int digits = 15; digits <= 17; digits++) {
		n = snprintf(out, CSVOUT_DOUBLE_MAX, "%.*g", digits, v);
		if (n <= 0 || n >= CSVOUT_DOUBLE_MAX || strtod(out, NULL) == v)
			break;
	}
	return n > 0 && n < CSVOUT_DOUBLE_MAX ? n : 0;
}

/* %.Pg of a positive value from its 17 correctly rounded digits D (the
 * value is D[0].D[1..16] x 10^E), into OUT; -1 where rounding D to P
 * digits could differ from rounding the value itself. D rounded to P
 * digits is the value rounded to P digits unless D lies exactly on a
 * midpoint between two P-digit numbers (digit P is 5, the rest 0): a
 * midpoint has at most 17 digits, so the nearest 17-digit number to a
 * value below it is at most it, and to one above it at least it. */
static int g_from_digits(char *out, const char *d17, int e, int p)
{
	char d[17];
	char *o = out;
	int nd = p;

	memcpy(d, d17, sizeof d);
	if (p < 17 && d[p] >= '5') {
		int tie = d[p] == '5';
		for (int k = p + 1; tie && k < 17; k++)
			tie = d[k] == '0';
		if (tie)
			return -1;
		int k = p - 1;
		while (k >= 0 && d[k] == '9')
			d[k--] = '0';
		if (k >= 0) {
			d[k]++;
		} else {
			d[0] = '1';
			e++;
		}
	}
	while (nd > 1 && d[nd - 1] == '0')
		nd--;
	if (e < -4 || e >= p) {
		int a = e < 0 ? -e : e;
		*o++ = d[0];
		if (nd > 1) {
			*o++ = '.';
			memcpy(o, d + 1, (size_t)nd - 1);
			o += nd - 1;
		}
		*o++ = 'e';
		*o++ = e < 0 ? '-' : '+';
		if (a >= 100)
			*o++ = (char)('0' + a / 100);
		*o++ = (char)('0' + a / 10 % 10);
		*o++ = (char)('0' + a % 10);
	} else if (e >= 0) {
		for (int i = 0; i <= e; i++)
			*o++ = i < nd ? d[i] : '0';
		if (nd > e + 1) {
			*o++ = '.';
			memcpy(o, d + e + 1, (size_t)(nd - e - 1));
			o += nd - e - 1;
		}
	} else {
		*o++ = '0';
		*o++ = '.';
		for (int i = 0; i < -e - 1; i++)
			*o++ = '0';
		memcpy(o, d, (size_t)nd);
		o += nd;
	}
	return (int)(o - out);
}

int csvout_shortest(char *out, double v)
{
	char s[CSVOUT_DOUBLE_MAX];
	char d[17];
	char *o = out;
	double a = fabs(v);

	if (!isfinite(v) || v == 0)
		return isfinite(v) ? shortest_slow(out, v) : 0;
	if (a < 1e15 && a == (double)(int64_t)a) {
		/* an integer of at most 15 digits: %.15g writes it whole */
		char t[16];
		int n = 0;
		int64_t i = (int64_t)a;
		do
			t[n++] = (char)('0' + i % 10);
		while ((i /= 10) > 0);
		if (v < 0)
			*o++ = '-';
		while (n > 0)
			*o++ = t[--n];
		return (int)(o - out);
	}
	/* one printf gives the 17 digits; 15 and 16 are rounded from them */
	int len = snprintf(s, sizeof s, "%.16e", a);
	if ((len != 22 && len != 23) || s[1] != '.' || s[18] != 'e')
		return shortest_slow(out, v);
	d[0] = s[0];
	memcpy(d + 1, s + 2, 16);
	int e = atoi(s + 19);
	if (v < 0)
		*o++ = '-';
	for (int p = 15; p <= 17; p++) {
		int n = g_from_digits(o, d, e, p);
		if (n < 0)
			return shortest_slow(out, v);
		o[n] = 0;
		if (p == 17 || strtod(out, NULL) == v)
			return (int)(o - out) + n;
	}
	return 0;
}

void csvout_double(struct csvout *w, double v)
{
	if (reserve(w, CSVOUT_DOUBLE_MAX) != 0)
		return;
	sep(w);
	w->len += (size_t)csvout_shortest(w->buf + w->len, v);
}

void csvout_preformatted(struct csvout *w, const char *s, size_t n, int count)
{
	if (reserve(w, n + 1) != 0)
		return;
	if (w->nfields > 0)
		w->buf[w->len++] = ',';
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->nfields += count;
}

void csvout_endrow(struct csvout *w)
{
	if (reserve(w, 1) != 0)
		return;
	w->buf[w->len++] = '\n';
	w->nfields = 0;
}

char *csvout_row_room(struct csvout *w, size_t n)
{
	return reserve(w, n) == 0 ? w->buf + w->len : NULL;
}

void csvout_row_commit(struct csvout *w, const char *end)
{
	w->len = (size_t)(end - w->buf);
	w->nfields = 0;
}

void csvout_rows(struct csvout *w, const char *s, size_t n)
{
	if (w->err)
		return;
	if (n >= w->cap) { /* large: straight out, after what is buffered */
		if (csvout_flush(w) == 0 && w->fp && fwrite(s, 1, n, w->fp) != n)
			w->err = 1;
		return;
	}
	if (reserve(w, n) == 0) {
		memcpy(w->buf + w->len, s, n);
		w->len += n;
		w->nfields = 0;
	}
}

void csvout_row(struct csvout *w, const char *const *cols)
{
	for (size_t i = 0; cols[i]; i++)
		csvout_cstr(w, cols[i]);
	csvout_endrow(w);
}
