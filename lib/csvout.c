#include "csvout.h"
#include "num.h"

#include <csv.h>
#include <math.h>
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

void csvout_double(struct csvout *w, double v)
{
	int n = 0;

	if (reserve(w, 40) != 0)
		return;
	sep(w);
	if (!isfinite(v))
		return;
	/* 15 significant digits read back for most values; 17 always do */
	for (int digits = 15; digits <= 17; digits++) {
		n = snprintf(w->buf + w->len, 40, "%.*g", digits, v);
		if (n <= 0 || n >= 40 || strtod(w->buf + w->len, NULL) == v)
			break;
	}
	if (n > 0 && n < 40)
		w->len += (size_t)n;
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

void csvout_row(struct csvout *w, const char *const *cols)
{
	for (size_t i = 0; cols[i]; i++)
		csvout_cstr(w, cols[i]);
	csvout_endrow(w);
}
