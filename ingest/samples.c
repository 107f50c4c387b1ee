/* samples.csv and rejects.csv: the files the ingest stage writes. */
#include "ingest.h"
#include "../lib/csvout.h"
#include "../lib/diag.h"
#include "../lib/num.h"

#include <stdlib.h>
#include <string.h>

struct writer {
	struct ingest *ing;
	int has_out;                 /* write samples.csv */
	const struct ingest_sink *also; /* and hand every sample on */
	struct csvout out, rej;
	int has_rejects;
	int has_server;
	/* labels of the last row, as CSV text */
	unsigned long gen;
	int have_gen;
	char *prefix;
	size_t prefixlen, prefixcap;
	/* "path:" of the current file, when it needs no quoting */
	size_t file;
	int have_file;
	char *src;
	size_t srclen, srccap;
	int src_plain;
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

static int build_prefix(struct writer *w, const struct ingest_sample *s)
{
	size_t nkeys = ingest_nkeys(w->ing);

	w->prefixlen = 0;
	for (size_t k = 0; k < nkeys; k++) {
		const char *v = s->labels[k] ? s->labels[k] : "";
		size_t n = strlen(v), got;

		if (grow(&w->prefix, &w->prefixcap,
			 w->prefixlen + 2 * n + 4) != 0)
			return -1;
		if (k)
			w->prefix[w->prefixlen++] = ',';
		got = csvout_format(w->prefix + w->prefixlen,
				    w->prefixcap - w->prefixlen, v, n);
		w->prefixlen += got;
	}
	w->gen = s->labels_gen;
	w->have_gen = 1;
	return 0;
}

static int build_source(struct writer *w, const struct ingest_sample *s)
{
	size_t n = strlen(s->path);

	if (grow(&w->src, &w->srccap, n + 32) != 0)
		return -1;
	memcpy(w->src, s->path, n);
	w->src[n] = ':';
	w->srclen = n + 1;
	/* plain when "path:line" needs no quoting */
	w->src_plain = 1;
	for (size_t i = 0; i < n; i++)
		if (s->path[i] == ',' || s->path[i] == '"' ||
		    s->path[i] == '\n' || s->path[i] == '\r')
			w->src_plain = 0;
	if (n && (s->path[0] == ' ' || s->path[0] == '\t'))
		w->src_plain = 0;
	w->file = s->file_index;
	w->have_file = 1;
	return 0;
}

/* Text S as a CSV field at P, before END: past it, or NULL (no room: the
 * caller's estimate was wrong). */
static char *put_text(char *p, const char *end, const char *s, size_t n)
{
	size_t got = csvout_format(p, (size_t)(end - p), s, n);

	return got == (size_t)-1 ? NULL : p + got;
}

static int on_sample(void *ctx, const struct ingest_sample *s)
{
	struct writer *w = ctx;
	char num[24], *row, *p;
	size_t len, room;

	if (w->also && w->also->sample(w->also->ctx, s) != 0)
		return -1;
	if (!w->has_out)
		return 0;
	if (!w->have_gen || s->labels_gen != w->gen)
		if (build_prefix(w, s) != 0)
			return -1;
	if (!w->have_file || s->file_index != w->file)
		if (build_source(w, s) != 0)
			return -1;
	/* the whole row at once: room for every field at its longest (a
	 * quoted field doubles at worst) */
	room = w->prefixlen + 2 * (s->status_len + w->srclen) + 16 * 24;
	p = row = csvout_row_room(&w->out, room);
	if (!row)
		return -1;
	memcpy(p, w->prefix, w->prefixlen);
	p += w->prefixlen;
	if (ingest_nkeys(w->ing))
		*p++ = ',';
	p += num_fmt_i64(p, s->rep);
	*p++ = ',';
	p += num_fmt_i64(p, s->seq);
	*p++ = ',';
	if (s->start_res_us != 0) { /* else no start stamp: a duration alone */
		p += num_fmt_i64(p, s->start_us);
		*p++ = ',';
		p += num_fmt_i64(p, s->end_us);
	} else {
		*p++ = ',';
	}
	*p++ = ',';
	p += num_fmt_i64(p, s->end_us - s->start_us);
	*p++ = ',';
	if (s->bytes != INGEST_NO_BYTES)
		p += num_fmt_i64(p, s->bytes);
	*p++ = ',';
	p = put_text(p, row + room, s->status, s->status_len);
	if (!p)
		return -1;
	*p++ = ',';
	len = num_fmt_i64(num, s->line);
	memcpy(w->src + w->srclen, num, len);
	if (w->src_plain) {
		memcpy(p, w->src, w->srclen + len);
		p += w->srclen + len;
	} else {
		p = put_text(p, row + room, w->src, w->srclen + len);
		if (!p)
			return -1;
	}
	if (w->has_server) {
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
	csvout_row_commit(&w->out, p);
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
	struct ingest_sink sink = { on_sample, on_reject, &w };
	static const char *const cols[] = {
		"rep",	       "seq",	"start_us", "end_us",
		"duration_us", "bytes", "status",   "source",
	};
	int rc;

	memset(&w, 0, sizeof w);
	w.ing = ing;
	w.has_out = out != NULL;
	w.also = also;
	w.has_server = ingest_has_server(ing);
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
		if (w.has_server)
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
	free(w.prefix);
	free(w.src);
	return rc;
}
