/* samples.csv and rejects.csv: the files the ingest stage writes. */
#include "samples.h"
#include "../lib/csvout.h"
#include "../lib/diag.h"
#include "../lib/num.h"

#include <stdlib.h>
#include <string.h>

struct writer {
	int has_out;                 /* write samples.csv */
	const struct ingest_sink *also; /* and hand every sample on */
	struct csvout out, rej;
	int has_rejects;
	struct samples_rowfmt fmt;
};

static int grow(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	{
		size_t ncap = *cap ? *cap : 256;
		char *nb;

		while (ncap < need)
			ncap *= 2;
		nb = realloc(*buf, ncap);
		if (!nb)
			return -1;
		*buf = nb;
		*cap = ncap;
	}
	return 0;
}

void samples_rowfmt_init(struct samples_rowfmt *f, size_t nkeys,
			 int has_server)
{
	memset(f, 0, sizeof *f);
	f->nkeys = nkeys;
	f->has_server = has_server;
}

void samples_rowfmt_forget(struct samples_rowfmt *f)
{
	f->have_gen = 0;
	f->have_file = 0;
}

void samples_rowfmt_release(struct samples_rowfmt *f)
{
	free(f->prefix);
	free(f->src);
	f->prefix = f->src = NULL;
	f->prefixcap = f->srccap = 0;
	samples_rowfmt_forget(f);
}

static int build_prefix(struct samples_rowfmt *f, const struct ingest_sample *s)
{
	f->prefixlen = 0;
	for (size_t k = 0; k < f->nkeys; k++) {
		const char *v = s->labels[k] ? s->labels[k] : "";
		size_t n = strlen(v), got;

		if (grow(&f->prefix, &f->prefixcap,
			 f->prefixlen + 2 * n + 4) != 0)
			return -1;
		if (k)
			f->prefix[f->prefixlen++] = ',';
		got = csvout_format(f->prefix + f->prefixlen,
				    f->prefixcap - f->prefixlen, v, n);
		f->prefixlen += got;
	}
	f->gen = s->labels_gen;
	f->have_gen = 1;
	return 0;
}

static int build_source(struct samples_rowfmt *f, const struct ingest_sample *s)
{
	size_t n = strlen(s->path);

	if (grow(&f->src, &f->srccap, n + 32) != 0)
		return -1;
	memcpy(f->src, s->path, n);
	f->src[n] = ':';
	f->srclen = n + 1;
	/* plain when "path:line" needs no quoting */
	f->src_plain = 1;
	for (size_t i = 0; i < n; i++)
		if (s->path[i] == ',' || s->path[i] == '"' ||
		    s->path[i] == '\n' || s->path[i] == '\r')
			f->src_plain = 0;
	if (n && (s->path[0] == ' ' || s->path[0] == '\t'))
		f->src_plain = 0;
	f->file = s->file_index;
	f->have_file = 1;
	return 0;
}

/* Text S as a CSV field at P, before END: past it, or NULL (no room: the
 * caller's estimate was wrong). */
static char *put_text(char *p, const char *end, const char *s, size_t n)
{
	size_t got = csvout_format(p, (size_t)(end - p), s, n);

	return got == (size_t)-1 ? NULL : p + got;
}

/* V in decimal at P, from C's text where V is its value or the one
 * after it (no formatting: rows in order repeat or count up); past it.
 * Writes 24 bytes at P (those past the number are scratch).  The kept
 * text is copied out before it is changed, and changed a byte at a time
 * in both places: a wide read of bytes just stored one by one would wait
 * for them. */
static inline char *put_num(char *p, struct samples_num *c, int64_t v)
{
	if (c->valid && (v == c->v || (c->v >= 0 && c->v < INT64_MAX &&
				      v == c->v + 1))) {
		size_t i = c->n;

		memcpy(p, c->txt, sizeof c->txt);
		if (v == c->v)
			return p + i;
		while (i > 0 && c->txt[i - 1] == '9') {
			c->txt[--i] = '0';
			p[i] = '0';
		}
		if (i > 0) { /* else one more digit: formatted below */
			c->txt[i - 1]++;
			p[i - 1]++;
			c->v = v;
			return p + c->n;
		}
	}
	c->n = num_fmt_i64(c->txt, v);
	c->v = v;
	c->valid = 1;
	memcpy(p, c->txt, sizeof c->txt);
	return p + c->n;
}

/* A time stamp: its top digits (all but the last eight) from HI, which
 * the start and end of a row and the rows after them mostly share. */
static inline char *put_stamp(char *p, struct samples_num *hi, int64_t v)
{
	if (v >= 100000000 && v < INT64_C(10000000000000000)) {
		p = put_num(p, hi, v / 100000000);
		num_fmt_eight(p, (uint32_t)(v % 100000000));
		return p + 8;
	}
	return p + num_fmt_i64(p, v);
}

char *samples_rowfmt_put(struct samples_rowfmt *f,
			 const struct ingest_sample *s,
			 char *(*room_of)(void *ctx, size_t n), void *ctx)
{
	char num[24], *row, *p;
	size_t len, room;

	if (!f->have_gen || s->labels_gen != f->gen)
		if (build_prefix(f, s) != 0)
			return NULL;
	if (!f->have_file || s->file_index != f->file)
		if (build_source(f, s) != 0)
			return NULL;
	/* the whole row at once: room for every field at its longest (a
	 * quoted field doubles at worst) */
	room = f->prefixlen + 2 * (s->status_len + f->srclen) + 16 * 24;
	p = row = room_of(ctx, room);
	if (!row)
		return NULL;
	memcpy(p, f->prefix, f->prefixlen);
	p += f->prefixlen;
	if (f->nkeys)
		*p++ = ',';
	p = put_num(p, &f->rep, s->rep);
	*p++ = ',';
	p = put_num(p, &f->seq, s->seq);
	*p++ = ',';
	if (s->start_res_us != 0) { /* else no start stamp: a duration alone */
		p = put_stamp(p, &f->hi, s->start_us);
		*p++ = ',';
		p = put_stamp(p, &f->hi, s->end_us);
	} else {
		*p++ = ',';
	}
	*p++ = ',';
	p += num_fmt_i64(p, s->end_us - s->start_us);
	*p++ = ',';
	if (s->bytes != INGEST_NO_BYTES)
		p = put_num(p, &f->bytes, s->bytes);
	*p++ = ',';
	p = put_text(p, row + room, s->status, s->status_len);
	if (!p)
		return NULL;
	*p++ = ',';
	if (f->src_plain) {
		memcpy(p, f->src, f->srclen);
		p = put_num(p + f->srclen, &f->line, s->line + f->line_base);
	} else {
		len = num_fmt_i64(num, s->line + f->line_base);
		memcpy(f->src + f->srclen, num, len);
		p = put_text(p, row + room, f->src, f->srclen + len);
		if (!p)
			return NULL;
	}
	if (f->has_server) {
		*p++ = ',';
		if (s->server_us != INGEST_NO_SERVER)
			p += num_fmt_i64(p, s->server_us);
	}
	*p++ = ',';
	if (s->start_res_us == 1) /* the usual case */
		*p++ = '1';
	else if (s->start_res_us != 0)
		p += num_fmt_i64(p, s->start_res_us);
	*p++ = '\n';
	return p;
}

static char *out_room(void *ctx, size_t n)
{
	return csvout_row_room(ctx, n);
}

static int on_sample(void *ctx, const struct ingest_sample *s)
{
	struct writer *w = ctx;
	char *end;

	if (w->also && w->also->sample(w->also->ctx, s) != 0)
		return -1;
	if (!w->has_out)
		return 0;
	end = samples_rowfmt_put(&w->fmt, s, out_room, &w->out);
	if (!end)
		return -1;
	csvout_row_commit(&w->out, end);
	return w->out.err ? -1 : 0;
}

/* Rows a worker formatted (see samples.h): written as they are.  The
 * samples that come through on_sample after them are numbered afresh. */
static int on_text(void *ctx, const char *rows, size_t len)
{
	struct writer *w = ctx;

	samples_rowfmt_forget(&w->fmt);
	csvout_rows(&w->out, rows, len);
	return w->out.err ? -1 : 0;
}

static int on_reject(void *ctx, const struct ingest_reject *r)
{
	struct writer *w = ctx;
	char src[4096];

	if (!w->has_rejects)
		return 0;
	snprintf(src, sizeof src, "%s:%ld", r->path, r->line);
	csvout_cstr(&w->rej, src);
	if (r->col > 0)
		csvout_i64(&w->rej, r->col);
	else
		csvout_empty(&w->rej);
	csvout_cstr(&w->rej, r->reason);
	csvout_str(&w->rej, r->raw ? r->raw : "", r->raw ? r->rawlen : 0);
	csvout_endrow(&w->rej);
	return w->rej.err ? -1 : 0;
}

int ingest_write_samples(struct ingest *ing, FILE *out, FILE *rejects,
			 const struct ingest_sink *also)
{
	struct writer w;
	struct ingest_sink sink = { on_sample, on_reject, &w, NULL };
	static const char *const cols[] = {
		"rep",	       "seq",	"start_us", "end_us",
		"duration_us", "bytes", "status",   "source",
	};
	int rc;

	memset(&w, 0, sizeof w);
	w.has_out = out != NULL;
	w.also = also;
	samples_rowfmt_init(&w.fmt, ingest_nkeys(ing), ingest_has_server(ing));
	/* rows formatted by the parsing workers when samples.csv is all
	 * there is to feed */
	if (w.has_out && !also)
		sink.text = on_text;
	csvout_init(&w.out, out);
	if (rejects) {
		w.has_rejects = 1;
		csvout_init(&w.rej, rejects);
		csvout_cstr(&w.rej, "source");
		csvout_cstr(&w.rej, "column");
		csvout_cstr(&w.rej, "reason");
		csvout_cstr(&w.rej, "text");
		csvout_endrow(&w.rej);
	}
	if (w.has_out) {
		for (size_t k = 0; k < ingest_nkeys(ing); k++)
			csvout_cstr(&w.out, ingest_key(ing, k));
		for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
			csvout_cstr(&w.out, cols[i]);
		if (w.fmt.has_server)
			csvout_cstr(&w.out, "server_us");
		csvout_cstr(&w.out, "start_res_us");
		csvout_endrow(&w.out);
	}
	rc = ingest_run(ing, &sink);
	/* a write error is the caller's to report (it knows the file) */
	if (csvout_flush(&w.out) != 0 ||
	    (w.has_rejects && csvout_flush(&w.rej) != 0))
		rc = -1;
	csvout_release(&w.out);
	if (w.has_rejects)
		csvout_release(&w.rej);
	samples_rowfmt_release(&w.fmt);
	return rc;
}
