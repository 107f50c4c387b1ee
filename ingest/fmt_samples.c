/*
 * samples: a samples.csv that `vmnetrank ingest` (or run --keep-samples)
 * wrote, or any tool with the columns stats reads (workload, direction,
 * rep, start_us, end_us; seq, duration_us, bytes, status, source,
 * server_us, start_res_us optional), read back as an input beside raw
 * logs.  Every other column is a label.  Each row keeps its own source
 * (path:line of the raw log it came from), so the repetitions stay those
 * of their raw logs (without a source column the file is its own raw
 * log), and its status is judged already ("ok" or empty succeeded,
 * anything else failed, unless --ok-status rejudges it).
 */
#define _GNU_SOURCE
#include "ingest_int.h"
#include "../lib/csvread.h"
#include "../lib/num.h"

#include <stdlib.h>
#include <string.h>

static const char *const fixed[] = {
	"rep", "seq", "start_us", "end_us", "duration_us", "bytes", "status",
	"source", NULL,
};

enum { C_REP, C_SEQ, C_START, C_END, C_DUR, C_BYTES, C_STATUS, C_SOURCE,
       C_SERVER, C_RES, NC };

struct slayout {
	long c[NC];
	long lcol[64];
	size_t nlabels, ncols;
};

/* Is NAME (N bytes) one of the first line's comma-separated fields? */
static int has_field(const char *s, size_t len, const char *name)
{
	size_t n = strlen(name), at = 0;

	while (at <= len) {
		const char *c = memchr(s + at, ',', len - at);
		size_t e = c ? (size_t)(c - s) : len;

		if (e - at == n && memcmp(s + at, name, n) == 0)
			return 1;
		if (!c)
			break;
		at = e + 1;
	}
	return 0;
}

static int probe_samples(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);
	size_t len = nl ? (size_t)(nl - s) : n;

	if (len && s[len - 1] == '\r')
		len--;
	return has_field(s, len, "rep") && has_field(s, len, "start_us") &&
			       has_field(s, len, "end_us") &&
			       has_field(s, len, "workload") &&
			       has_field(s, len, "direction")
		       ? 3
		       : 0;
}

static int reserved(const struct csvfield *f)
{
	static const char *const more[] = { "server_us", "start_res_us", NULL };

	for (int k = 0; fixed[k]; k++)
		if (f->len == strlen(fixed[k]) && memcmp(f->s, fixed[k], f->len) == 0)
			return 1;
	for (int k = 0; more[k]; k++)
		if (f->len == strlen(more[k]) && memcmp(f->s, more[k], f->len) == 0)
			return 1;
	return 0;
}

static int header(struct ingest *ing, struct ifile *f, struct csvread *r,
		  struct slayout *lo)
{
	int rc;

	do
		rc = csvread_next(r);
	while (rc == CSVREAD_COMMENT);
	if (rc != CSVREAD_ROW) {
		ingest_file_error(ing, f, 1, 0,
				  "no header row (expected samples.csv's)");
		return -1;
	}
	lo->ncols = r->nf;
	for (int k = 0; fixed[k]; k++)
		lo->c[k] = csvread_column(r, fixed[k]);
	lo->c[C_SERVER] = csvread_column(r, "server_us");
	lo->c[C_RES] = csvread_column(r, "start_res_us");
	{
		static const int need[] = { C_REP, C_START, C_END };

		for (size_t k = 0; k < sizeof need / sizeof need[0]; k++)
			if (lo->c[need[k]] < 0) {
				ingest_file_error(ing, f, 1, 0,
						  "no '%s' column (expected the "
						  "columns of samples.csv)",
						  fixed[need[k]]);
				return -1;
			}
	}
	lo->nlabels = 0;
	for (size_t i = 0; i < r->nf; i++) {
		if (reserved(&r->f[i]))
			continue;
		if (lo->nlabels == 64) {
			ingest_file_error(ing, f, 1, 0,
					  "more than 64 label columns");
			return -1;
		}
		lo->lcol[lo->nlabels++] = (long)i;
	}
	return 0;
}

static int scan_samples(struct ingest *ing, struct ifile *f)
{
	struct csvread r;
	struct slayout lo;
	int rc = -1;

	if (csvread_open(&r, ifile_open_path(f), ',', 0, 1) != 0) {
		ingest_file_error(ing, f, 0, 0, "%s", r.error);
		return -1;
	}
	if (header(ing, f, &r, &lo) != 0)
		goto out;
	for (size_t i = 0; i < lo.nlabels; i++) {
		const struct csvfield *c = &r.f[lo.lcol[i]];
		const char *why = "out of memory";

		if (label_key_ok(c->s, c->len, &why) != 0 ||
		    ifile_add_rowkey(f, c->s, c->len) != 0) {
			ingest_file_error(ing, f, 1, c->col,
					  "label column '%.*s': %s",
					  (int)c->len, c->s, why);
			goto out;
		}
	}
	f->own_reps = 1;
	rc = 0;
out:
	csvread_close(&r);
	return rc;
}

static int i64_at(struct ingest *ing, struct ifile *f, const struct csvread *r,
		  long c, const char *what, int64_t *out)
{
	const struct csvfield *fd = &r->f[c];
	size_t bad;

	if (num_i64(fd->s, fd->len, out, &bad) == NUM_OK)
		return 0;
	ingest_bad_row(ing, f, fd->line, fd->col, r->raw, r->rawlen,
		       "'%.*s' (expected %s)", (int)fd->len, fd->s, what);
	return -1;
}

static int read_samples(struct ingest *ing, struct ifile *f)
{
	struct csvread r;
	struct slayout lo;
	const char *vals[64];
	size_t lens[64];
	char *cur = NULL;
	size_t curlen = 0;
	long dataline = 0;
	int rc = -1;

	if (csvread_open(&r, ifile_open_path(f), ',', 0,
			 !ingest_opts(ing)->no_fast_path) != 0) {
		ingest_file_error(ing, f, 0, 0, "%s", r.error);
		return -1;
	}
	ingest_hash_attach(ing, f, &r.L);
	if (header(ing, f, &r, &lo) != 0)
		goto out;
	for (;;) {
		struct row row;
		int st = csvread_next(&r), bad = 0;
		const struct csvfield *src;
		size_t plen;
		int64_t line = 0;

		if (st == CSVREAD_EOF)
			break;
		if (st == CSVREAD_COMMENT)
			continue;
		if (st == CSVREAD_ERROR) {
			if (!r.raw) {
				ingest_file_error(ing, f, r.err_line, 0, "%s",
						  r.error);
				goto out;
			}
			ingest_bad_row(ing, f, r.err_line, r.err_col, r.raw,
				       r.rawlen, "%s", r.error);
			continue;
		}
		if (r.nf != lo.ncols) {
			ingest_bad_row(ing, f, r.rec_line, 0, r.raw, r.rawlen,
				       "%zu fields (expected %zu, as in the "
				       "header row)",
				       r.nf, lo.ncols);
			continue;
		}
		dataline++;
		memset(&row, 0, sizeof row);
		row.raw = r.raw;
		row.rawlen = r.rawlen;
		row.judged = 1;
		row.bytes = INGEST_NO_BYTES;
		row.server_us = INGEST_NO_SERVER;
		row.start_res = 1;
		bad |= i64_at(ing, f, &r, lo.c[C_REP], "a repetition number",
			      &row.rep);
		if (lo.c[C_SEQ] >= 0)
			bad |= i64_at(ing, f, &r, lo.c[C_SEQ],
				      "a sequence number", &row.seq);
		else
			row.seq = dataline;
		if (r.f[lo.c[C_START]].len == 0 && r.f[lo.c[C_END]].len == 0 &&
		    lo.c[C_DUR] >= 0) {
			row.no_stamp = 1;
			bad |= i64_at(ing, f, &r, lo.c[C_DUR],
				      "duration_us, microseconds", &row.end_us);
		} else {
			bad |= i64_at(ing, f, &r, lo.c[C_START],
				      "start_us, epoch microseconds",
				      &row.start_us);
			bad |= i64_at(ing, f, &r, lo.c[C_END],
				      "end_us, epoch microseconds", &row.end_us);
		}
		if (lo.c[C_BYTES] >= 0 && r.f[lo.c[C_BYTES]].len)
			bad |= i64_at(ing, f, &r, lo.c[C_BYTES], "a byte count",
				      &row.bytes);
		if (lo.c[C_SERVER] >= 0 && r.f[lo.c[C_SERVER]].len)
			bad |= i64_at(ing, f, &r, lo.c[C_SERVER],
				      "server_us, microseconds", &row.server_us);
		if (lo.c[C_RES] >= 0 && r.f[lo.c[C_RES]].len &&
		    !row.no_stamp) {
			bad |= i64_at(ing, f, &r, lo.c[C_RES],
				      "start_res_us, microseconds >= 1",
				      &row.start_res);
			if (!bad && row.start_res < 1)
				row.start_res = 1;
		}
		if (lo.c[C_SOURCE] < 0) {
			/* no source: the file is its own raw log */
			if (bad)
				continue;
			row.line = r.rec_line;
			goto labels;
		}
		/* source: PATH:LINE of the raw log */
		src = &r.f[lo.c[C_SOURCE]];
		plen = src->len;
		while (plen > 0 && src->s[plen - 1] >= '0' && src->s[plen - 1] <= '9')
			plen--;
		if (plen < 2 || plen == src->len || src->s[plen - 1] != ':') {
			ingest_bad_row(ing, f, src->line, src->col, r.raw,
				       r.rawlen,
				       "source '%.*s' (expected PATH:LINE of "
				       "the raw log)",
				       (int)src->len, src->s);
			continue;
		}
		{
			size_t b;

			if (num_i64(src->s + plen, src->len - plen, &line, &b) !=
			    NUM_OK)
				bad = 1;
		}
		if (bad)
			continue;
		plen--;
		if (!cur || plen != curlen || memcmp(cur, src->s, plen) != 0) {
			free(cur);
			cur = strndup(src->s, plen);
			curlen = plen;
			if (!cur || ingest_subfile(ing, f, src->s, plen,
						   r.rec_line) != 0)
				goto out;
		}
		row.line = r.rec_line;
		row.src_line = (long)line;
	labels:
		row.col_start = r.f[lo.c[C_START]].col;
		row.col_end = r.f[lo.c[C_END]].col;
		row.col_rep = r.f[lo.c[C_REP]].col;
		row.col_seq = lo.c[C_SEQ] >= 0 ? r.f[lo.c[C_SEQ]].col : 0;
		if (lo.c[C_STATUS] >= 0) {
			row.status = r.f[lo.c[C_STATUS]].s;
			row.status_len = r.f[lo.c[C_STATUS]].len;
		}
		for (size_t i = 0; i < lo.nlabels; i++) {
			vals[i] = r.f[lo.lcol[i]].s;
			lens[i] = r.f[lo.lcol[i]].len;
		}
		row.rowvals = vals;
		row.rowval_lens = lens;
		if (ingest_row(ing, f, &row) != 0)
			goto out;
	}
	rc = 0;
out:
	free(cur);
	ingest_hash_finish(f, &r.L);
	csvread_close(&r);
	return rc;
}

const struct format format_samples = { "samples", probe_samples, scan_samples,
				       read_samples };
