#include "csvread.h"
#include "num.h"

#include <errno.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

static int space_only(unsigned char c)
{
	return c == ' ';
}

static int space_or_tab(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int lf_only(unsigned char c)
{
	return c == '\n';
}

static int is_blank(const struct csvread *r, unsigned char c)
{
	return c == ' ' || (c == '\t' && r->delim != '\t');
}

static void parser_start(struct csvread *r)
{
	csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_delim(&r->parser, r->delim);
	csv_set_space_func(&r->parser,
			   r->delim == '\t' ? space_only : space_or_tab);
	csv_set_term_func(&r->parser, lf_only);
}

static int csvread_start(struct csvread *r, const char *path,
			 unsigned char delim, char comment, int fast,
			 uint64_t from, uint64_t to)
{
	memset(r, 0, sizeof *r);
	r->delim = delim;
	r->comment = comment;
	r->fast = fast;
	if ((to ? lines_open_range(&r->L, path, from, to)
		: lines_open(&r->L, path)) != 0) {
		r->error = r->L.error;
		return -1;
	}
	lines_watch(&r->L, '"');
	parser_start(r);
	return 0;
}

int csvread_open(struct csvread *r, const char *path, unsigned char delim,
		 char comment, int fast)
{
	return csvread_start(r, path, delim, comment, fast, 0, 0);
}

int csvread_open_range(struct csvread *r, const char *path,
		       unsigned char delim, char comment, uint64_t from,
		       uint64_t to)
{
	return csvread_start(r, path, delim, comment, 1, from, to);
}

void csvread_close(struct csvread *r)
{
	lines_close(&r->L);
	csv_free(&r->parser);
	free(r->f);
	free(r->foff);
	free(r->arena);
	free(r->rawbuf);
	free(r->dpos);
	memset(r, 0, sizeof *r);
}

static int grow_fields(struct csvread *r)
{
	size_t ncap = r->capf ? r->capf * 2 : 32;
	struct csvfield *nf = realloc(r->f, ncap * sizeof *nf);
	size_t *no;

	if (!nf)
		return -1;
	r->f = nf;
	no = realloc(r->foff, ncap * sizeof *no);
	if (!no)
		return -1;
	r->foff = no;
	r->capf = ncap;
	return 0;
}

static int grow_dpos(struct csvread *r)
{
	size_t ncap = r->capdpos ? r->capdpos * 2 : 64;
	size_t *nd = realloc(r->dpos, ncap * sizeof *nd);

	if (!nd)
		return -1;
	r->dpos = nd;
	r->capdpos = ncap;
	return 0;
}

static int raw_append(struct csvread *r, const char *s, size_t n, int sep)
{
	size_t need = r->rawbuflen + n + 1;

	if (need > r->rawbufcap) {
		size_t ncap = r->rawbufcap ? r->rawbufcap : 256;
		char *nb;

		while (ncap < need)
			ncap *= 2;
		nb = realloc(r->rawbuf, ncap);
		if (!nb)
			return -1;
		r->rawbuf = nb;
		r->rawbufcap = ncap;
	}
	if (sep)
		r->rawbuf[r->rawbuflen++] = '\n';
	memcpy(r->rawbuf + r->rawbuflen, s, n);
	r->rawbuflen += n;
	return 0;
}

/* libcsv callbacks */
static void on_field(void *s, size_t len, void *data)
{
	struct csvread *r = data;

	if (r->nf == r->capf && grow_fields(r) != 0) {
		r->error = "out of memory";
		return;
	}
	if (r->alen + len + 1 > r->acap) {
		size_t ncap = r->acap ? r->acap : 1024;
		char *na;

		while (ncap < r->alen + len + 1)
			ncap *= 2;
		na = realloc(r->arena, ncap);
		if (!na) {
			r->error = "out of memory";
			return;
		}
		r->arena = na;
		r->acap = ncap;
	}
	r->foff[r->nf] = r->alen;
	r->f[r->nf].len = len;
	if (len)
		memcpy(r->arena + r->alen, s, len);
	r->alen += len;
	r->arena[r->alen++] = '\0';
	r->nf++;
}

static void on_row(int c, void *data)
{
	struct csvread *r = data;

	(void)c;
	r->row_done = 1;
}

/* Where each field of the raw record starts: a quote-aware scan of the
 * text libcsv parsed, used only to report positions. */
static void locate_fields(struct csvread *r)
{
	const char *s = r->raw;
	size_t n = r->rawlen, i = 0;
	long line = r->rec_line, linestart = 0;
	int inq = 0;

	for (size_t k = 0; k < r->nf; k++) {
		/* skip blanks before the field */
		while (i < n && is_blank(r, (unsigned char)s[i]))
			i++;
		r->f[k].line = line;
		r->f[k].col = (long)i - linestart + 1;
		for (; i < n; i++) {
			char c = s[i];

			if (c == '"')
				inq = !inq;
			else if (c == '\n') {
				line++;
				linestart = (long)i + 1;
			} else if (c == (char)r->delim && !inq) {
				i++;
				break;
			}
		}
	}
}

/* Offsets of every DELIM in s[0..n), appended to r->dpos. */
static int find_delims(struct csvread *r, const char *s, size_t n)
{
	size_t i = 0;

	r->ndpos = 0;
#ifdef __SSE2__
	{
		__m128i d = _mm_set1_epi8((char)r->delim);

		for (; i + 16 <= n; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
			unsigned mask = (unsigned)_mm_movemask_epi8(
				_mm_cmpeq_epi8(v, d));

			if (!mask)
				continue;
			if (r->ndpos + 16 > r->capdpos && grow_dpos(r) != 0)
				return -1;
			while (mask) {
				r->dpos[r->ndpos++] = i + (size_t)__builtin_ctz(mask);
				mask &= mask - 1;
			}
		}
	}
#endif
	for (; i < n; i++)
		if (s[i] == (char)r->delim) {
			if (r->ndpos + 1 > r->capdpos && grow_dpos(r) != 0)
				return -1;
			r->dpos[r->ndpos++] = i;
		}
	return 0;
}

static int fast_split(struct csvread *r, const char *s, size_t n)
{
	if (find_delims(r, s, n) != 0) {
		r->error = "out of memory";
		return -1;
	}
	while (r->ndpos + 1 > r->capf)
		if (grow_fields(r) != 0) {
			r->error = "out of memory";
			return -1;
		}
	r->nf = r->ndpos + 1;
	for (size_t k = 0, i = 0; k < r->nf; k++) {
		size_t e = k < r->ndpos ? r->dpos[k] : n, b = i;

		while (b < e && (unsigned char)s[b] <= ' ' &&
		       is_blank(r, (unsigned char)s[b]))
			b++;
		r->f[k].s = s + b;
		r->f[k].line = r->L.lineno;
		r->f[k].col = (long)b + 1;
		while (e > b && (unsigned char)s[e - 1] <= ' ' &&
		       is_blank(r, (unsigned char)s[e - 1]))
			e--;
		r->f[k].len = e - b;
		i = (k < r->ndpos ? r->dpos[k] : n) + 1;
	}
	return 0;
}

/* The offset of the first DELIM in s[i..n), or n: sixteen bytes at a time
 * (a text field such as a path is tens of bytes). */
static inline size_t next_delim(const char *s, size_t i, size_t n, char delim)
{
#ifdef __SSE2__
	const __m128i d = _mm_set1_epi8(delim);

	for (; i + 16 <= n; i += 16) {
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(s + i)), d));

		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	while (i < n && s[i] != delim)
		i++;
	return i;
}

/* fast_split, reading the fields of r->imask as integers on the way: one
 * pass over the line, the fields exactly as fast_split gives them. */
static int fused_split(struct csvread *r, const char *s, size_t n)
{
	const char delim = (char)r->delim;
	uint64_t valid = 0;
	size_t k = 0, i = 0;

	for (;;) {
		size_t b = i, e, stop;

		if (k == r->capf && grow_fields(r) != 0) {
			r->error = "out of memory";
			return -1;
		}
		if (k < 64 && (r->imask >> k & 1)) {
			uint64_t v;
			size_t d = num_digits(s + i, n - i, &v);

			if (d > 0 && d <= 18 && (i + d == n || s[i + d] == delim)) {
				r->ival[k] = (int64_t)v;
				valid |= UINT64_C(1) << k;
				e = stop = i + d;
				goto field;
			}
		}
		stop = next_delim(s, i, n, delim);
		e = stop;
		while (b < e && (unsigned char)s[b] <= ' ' &&
		       is_blank(r, (unsigned char)s[b]))
			b++;
		while (e > b && (unsigned char)s[e - 1] <= ' ' &&
		       is_blank(r, (unsigned char)s[e - 1]))
			e--;
	field:
		r->f[k].s = s + b;
		r->f[k].len = e - b;
		r->f[k].line = r->L.lineno;
		r->f[k].col = (long)b + 1;
		k++;
		if (stop == n)
			break;
		i = stop + 1;
	}
	r->nf = k;
	r->ivalid = valid;
	return 0;
}

void csvread_int_columns(struct csvread *r, uint64_t mask)
{
	r->imask = mask;
}

static int blank_line(const struct csvread *r, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_blank(r, (unsigned char)s[i]))
			return 0;
	return 1;
}

static int read_error(struct csvread *r)
{
	r->error = r->L.error;
	r->err_line = r->L.lineno + 1;
	r->err_col = 0;
	r->raw = NULL;
	r->rawlen = 0;
	return CSVREAD_ERROR;
}

int csvread_next(struct csvread *r)
{
	const char *s;
	size_t n;
	int rc;

	r->nf = 0;
	r->alen = 0;
	r->rawbuflen = 0;
	r->row_done = 0;
	r->error = NULL;
	r->ivalid = 0;
	for (;;) {
		rc = lines_next(&r->L, &s, &n);
		if (rc < 0)
			return read_error(r);
		if (rc == 0) {
			if (r->in_record) {
				r->in_record = 0;
				r->raw = r->rawbuf;
				r->rawlen = r->rawbuflen;
				r->error = "unterminated quoted field (expected "
					   "a closing '\"' before the end of "
					   "the file)";
				r->err_line = r->rec_line;
				r->err_col = 0;
				csv_free(&r->parser);
				parser_start(r);
				return CSVREAD_ERROR;
			}
			return CSVREAD_EOF;
		}
		if (r->L.special && memchr(s, '\0', n)) {
			const char *z = memchr(s, '\0', n);

			r->raw = s;
			r->rawlen = n;
			r->error = "binary data: a NUL byte (expected text)";
			r->err_line = r->L.lineno;
			r->err_col = (long)(z - s) + 1;
			if (r->in_record) {
				r->in_record = 0;
				csv_free(&r->parser);
				parser_start(r);
			}
			return CSVREAD_ERROR;
		}
		if (!r->in_record) {
			if (r->comment && n > 0 && s[0] == r->comment) {
				r->raw = s;
				r->rawlen = n;
				r->rec_line = r->L.lineno;
				return CSVREAD_COMMENT;
			}
			if (blank_line(r, s, n))
				continue;
			r->rec_line = r->L.lineno;
			r->no_newline = r->L.no_newline;
			if (r->fast && (!r->L.special || !memchr(s, '"', n))) {
				if ((r->imask ? fused_split(r, s, n)
					      : fast_split(r, s, n)) != 0)
					return CSVREAD_ERROR;
				r->raw = s;
				r->rawlen = n;
				r->fast_rows++;
				return CSVREAD_ROW;
			}
		}
		/* slow path: libcsv */
		if (raw_append(r, s, n, r->in_record) != 0) {
			r->error = "out of memory";
			return CSVREAD_ERROR;
		}
		{
			size_t used = csv_parse(&r->parser, s, n, on_field,
						on_row, r);

			if (used == n)
				used += csv_parse(&r->parser, "\n", 1, on_field,
						  on_row, r) == 1;
			if (r->error)
				return CSVREAD_ERROR;
			if (used != n + 1) {
				r->raw = r->rawbuf;
				r->rawlen = r->rawbuflen;
				r->error = csv_error(&r->parser) == CSV_EPARSE
						   ? "malformed quoted field "
						     "(expected a '\"' only at "
						     "the start of a field, and "
						     "after a closing '\"' a "
						     "delimiter or the end of "
						     "the line)"
						   : "out of memory";
				r->err_line = r->L.lineno;
				r->err_col = (long)(used < n ? used : n) + 1;
				r->in_record = 0;
				csv_free(&r->parser);
				parser_start(r);
				return CSVREAD_ERROR;
			}
		}
		r->no_newline = r->L.no_newline;
		if (!r->row_done) {
			r->in_record = 1;
			continue;
		}
		r->in_record = 0;
		for (size_t k = 0; k < r->nf; k++)
			r->f[k].s = r->arena + r->foff[k];
		r->raw = r->rawbuf;
		r->rawlen = r->rawbuflen;
		locate_fields(r);
		r->slow_rows++;
		return CSVREAD_ROW;
	}
}

long csvread_column(const struct csvread *r, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < r->nf; i++)
		if (r->f[i].len == n && memcmp(r->f[i].s, name, n) == 0)
			return (long)i;
	return -1;
}
