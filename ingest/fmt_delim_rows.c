/* Delimited logs (native, csv, tsv): each row read into an operation,
 * its fields by the layout of the header; and the three formats probed. */
#include "ingest_int.h"
#include "../lib/csvread.h"
#include "../lib/diag.h"
#include "../lib/num.h"
#include "../lib/timestamp.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fmt_delim.h"

/* ---- rows ---- */

static const char *field_what(int k, const struct layout *lo)
{
	static const char *const what[NROLES] = {
		[R_START] = "a start time",
		[R_END] = "an end time",
		[R_DURATION] = "a duration",
		[R_REP] = "a repetition number (an integer)",
		[R_SEQ] = "a sequence number (an integer)",
		[R_BYTES] = "a byte count (an integer >= 0)",
		[R_STATUS] = "a status",
		[R_SERVER] = "a server-side duration",
		[R_WARMUP] = "0 or 1",
	};

	(void)lo;
	return what[k];
}

static const char *unit_name(int pow10)
{
	switch (pow10) {
	case 6:
		return "seconds";
	case 3:
		return "milliseconds";
	case -3:
		return "nanoseconds";
	default:
		return "microseconds";
	}
}

/* Parse field K of the row into *out; 0, or -1 after reporting. */
static int num_field(struct ingest *ing, struct ifile *f,
		     const struct csvread *r, const struct layout *lo, int k,
		     int64_t *out, int64_t *iso_res)
{
	const struct csvfield *fd = &r->f[lo->col[k]];
	size_t bad;
	int st;

	if (lo->pow10[k] == UNIT_ISO) {
		/* a date-time: its resolution comes with it (ISO_RES) */
		int64_t res;
		const char *why;

		if (fd->len == 0) {
			ingest_bad_row(ing, f, fd->line, fd->col, r->raw,
				       r->rawlen,
				       "missing value in column %ld (expected "
				       "a date-time)",
				       lo->col[k] + 1);
			return -1;
		}
		if (ts_parse(fd->s, fd->len, ingest_zone(ing, f), out, &res,
			     &bad, &why) == 0) {
			if (iso_res)
				*iso_res = res;
			return 0;
		}
		ingest_bad_row(ing, f, fd->line, fd->col + (long)bad, r->raw,
			       r->rawlen, "date-time '%.*s': %s", (int)fd->len,
			       fd->s, why);
		return -1;
	}
	if (delim_roles[k].time && !lo->strict_int)
		st = num_scaled(fd->s, fd->len, lo->pow10[k], out, &bad);
	else
		st = num_i64(fd->s, fd->len, out, &bad);
	if (st == NUM_OK)
		return 0;
	if (st == NUM_EMPTY)
		ingest_bad_row(ing, f, fd->line, fd->col, r->raw, r->rawlen,
			       "missing value in column %ld (expected %s%s%s)",
			       lo->col[k] + 1, field_what(k, lo),
			       delim_roles[k].time ? " in " : "",
			       delim_roles[k].time ? unit_name(lo->pow10[k]) : "");
	else if (st == NUM_RANGE)
		ingest_bad_row(ing, f, fd->line, fd->col, r->raw, r->rawlen,
			       "number '%.*s' out of range (expected %s)",
			       (int)fd->len, fd->s, field_what(k, lo));
	else
		ingest_bad_row(ing, f, fd->line, fd->col + (long)bad, r->raw,
			       r->rawlen, "'%.*s' is not a number (expected %s%s%s)",
			       (int)fd->len, fd->s, field_what(k, lo),
			       delim_roles[k].time ? (lo->strict_int
							? " as integer "
							: " in ")
					     : "",
			       delim_roles[k].time ? unit_name(lo->pow10[k]) : "");
	return -1;
}

/* num_field(), for the usual case first: plain digits, read while the
 * line was split (csvread_int_columns()). */
static inline int int_field(struct ingest *ing, struct ifile *f,
			    const struct csvread *r, const struct layout *lo,
			    int k, int64_t *out, int64_t *iso_res)
{
	long c = lo->col[k];

	if (c < 64 && (r->ivalid >> c & 1)) {
		*out = r->ival[c];
		return 0;
	}
	return num_field(ing, f, r, lo, k, out, iso_res);
}

/* The warmup column: empty or 0 for a measured operation, 1 for a
 * warm-up one; 0, or -1 after reporting. */
static int warmup_field(struct ingest *ing, struct ifile *f,
			const struct csvread *r, const struct layout *lo,
			int *out)
{
	const struct csvfield *fd = &r->f[lo->col[R_WARMUP]];

	if (fd->len == 0 || (fd->len == 1 && fd->s[0] == '0')) {
		*out = 0;
		return 0;
	}
	if (fd->len == 1 && fd->s[0] == '1') {
		*out = 1;
		return 0;
	}
	ingest_bad_row(ing, f, fd->line, fd->col, r->raw, r->rawlen,
		       "warmup '%.*s' (expected 0, 1 or empty)", (int)fd->len,
		       fd->s);
	return -1;
}

/* The columns whose text num_field() reads with num_i64(): csvread reads
 * those that are plain digits while it splits the line. */
static uint64_t int_columns(const struct layout *lo)
{
	static const int roles[] = { R_START, R_END,  R_DURATION, R_REP,
				     R_SEQ,   R_BYTES, R_SERVER };
	uint64_t mask = 0;

	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		int k = roles[i];

		if (lo->col[k] < 0 || lo->col[k] >= 64 ||
		    lo->pow10[k] == UNIT_ISO ||
		    (delim_roles[k].time && !lo->strict_int))
			continue;
		mask |= UINT64_C(1) << lo->col[k];
	}
	return mask;
}

int delim_read_common(struct ingest *ing, struct ifile *f,
		       unsigned char delim, int native, const struct preset *pre)
{
	struct csvread r;
	struct layout lo;
	struct labelcols lc;
	const char *vals[64];
	size_t lens[64];
	long dataline = 0;
	int rc = -1, warned_eol = 0;
	char stbuf[160];

	struct ingest_range *rg = ingest_range_of(ing);

	if (delim_open_reader(ing, f, &r, delim, native) != 0)
		return -1;
	if (!rg) /* a part: the file is hashed when inputs.csv is written */
		ingest_hash_attach(ing, f, &r.L);
	if (native) {
		/* labels were read by scan; skip the comment block */
		struct lines *L = csvread_lines(&r);
		const char *s;
		size_t n;

		while (lines_next(L, &s, &n) == 1)
			if (n == 0 || s[0] != '#') {
				lines_unread(L);
				break;
			}
	}
	if (delim_read_header(ing, f, &r, &lo, &lc, native, pre) != 0)
		goto out;
	if (lc.n != f->nrowkeys)
		goto out; /* the file changed between the passes */
	csvread_int_columns(&r, int_columns(&lo));
	if (rg && rg->from > 0) {
		/* a later part: its rows only (native logs number their
		 * operations; other formats may count rows for seq) */
		if (!native || lines_offset(&r.L) > rg->from ||
		    lines_seek(&r.L, rg->from, rg->line_base, rg->to) != 0) {
			rg->unsupported = 1;
			rc = 0;
			goto out;
		}
	}
	for (;;) {
		struct row row;
		int st;

		if (rg && rg->to && lines_offset(&r.L) >= rg->to)
			break; /* the next part's */
		st = csvread_next(&r);

		if (st == CSVREAD_EOF)
			break;
		if (st == CSVREAD_COMMENT) {
			if (r.rawlen >= 13 &&
			    memcmp(r.raw, "# interrupted", 13) == 0)
				f->interrupted = 1;
			continue;
		}
		if (st == CSVREAD_ERROR) {
			if (!r.raw && r.error) { /* reading failed */
				ingest_file_error(ing, f, r.err_line, 0,
						  "%s: %s", r.error,
						  strerror(r.L.err_errno));
				goto out;
			}
			ingest_bad_row(ing, f, r.err_line, r.err_col, r.raw,
				       r.rawlen, "%s", r.error);
			continue;
		}
		dataline++;
		if (r.nf != lo.ncols) {
			const struct csvfield *last = &r.f[r.nf - 1];

			if (r.no_newline && r.nf < lo.ncols)
				ingest_bad_row(
					ing, f, last->line,
					last->col + (long)last->len, r.raw,
					r.rawlen,
					"truncated last line: %zu of %zu "
					"fields and no newline at the end of "
					"the file (expected a complete row)",
					r.nf, lo.ncols);
			else
				ingest_bad_row(ing, f, last->line,
					       r.nf < lo.ncols
						       ? last->col +
								 (long)last->len
						       : r.f[lo.ncols].col,
					       r.raw, r.rawlen,
					       "%zu fields (expected %zu, as "
					       "in the header row)",
					       r.nf, lo.ncols);
			continue;
		}
		if (r.no_newline && !warned_eol) {
			ingest_warn(ing, f, r.rec_line, 0,
				    "no newline at the end of the file; the "
				    "last row is complete and kept");
			warned_eol = 1;
		}
		if (lo.skip_col >= 0 &&
		    r.f[lo.skip_col].len >= strlen(pre->skip_prefix) &&
		    memcmp(r.f[lo.skip_col].s, pre->skip_prefix,
			   strlen(pre->skip_prefix)) == 0) {
			ingest_skip_row(ing, f, pre->skip_what);
			continue;
		}
		memset(&row, 0, sizeof row);
		row.line = r.rec_line;
		row.raw = r.raw;
		row.rawlen = r.rawlen;
		row.bytes = INGEST_NO_BYTES;
		row.server_us = INGEST_NO_SERVER;
		{
			int64_t t[3], iso_res[3];
			int ok = 1;

			for (int k = R_START; k <= R_DURATION; k++)
				if (lo.col[k] >= 0 &&
				    int_field(ing, f, &r, &lo, k, &t[k],
					      &iso_res[k]) != 0)
					ok = 0;
			if (lo.col[R_REP] >= 0) {
				if (int_field(ing, f, &r, &lo, R_REP,
					      &row.rep, NULL) != 0)
					ok = 0;
				row.col_rep = r.f[lo.col[R_REP]].col;
			} else {
				row.rep = 1;
			}
			if (lo.col[R_SEQ] >= 0) {
				if (int_field(ing, f, &r, &lo, R_SEQ,
					      &row.seq, NULL) != 0)
					ok = 0;
				row.col_seq = r.f[lo.col[R_SEQ]].col;
			} else {
				row.seq = dataline;
			}
			if (pre && pre->rep_per_row) {
				row.rep = dataline;
				row.seq = 1;
			}
			if (lo.col[R_BYTES] >= 0 &&
			    r.f[lo.col[R_BYTES]].len > 0) {
				if (int_field(ing, f, &r, &lo, R_BYTES,
					      &row.bytes, NULL) != 0)
					ok = 0;
				else if (row.bytes < 0) {
					const struct csvfield *fd =
						&r.f[lo.col[R_BYTES]];

					ingest_bad_row(ing, f, fd->line,
						       fd->col, r.raw,
						       r.rawlen,
						       "negative byte count "
						       "(expected an integer "
						       ">= 0)");
					ok = 0;
				}
			}
			if (lo.col[R_SERVER] >= 0 &&
			    r.f[lo.col[R_SERVER]].len > 0 &&
			    int_field(ing, f, &r, &lo, R_SERVER,
				      &row.server_us, NULL) != 0)
				ok = 0;
			if (lo.col[R_WARMUP] >= 0 &&
			    warmup_field(ing, f, &r, &lo, &row.warmup) != 0)
				ok = 0;
			if (pre && pre->status) {
				if (pre->status(&r, &lo, stbuf, sizeof stbuf,
						&row.status,
						&row.status_len) != 0) {
					ingest_bad_row(ing, f, r.rec_line, 0,
						       r.raw, r.rawlen,
						       "%s", stbuf);
					ok = 0;
				}
			} else if (lo.col[R_STATUS] >= 0) {
				const struct csvfield *fd =
					&r.f[lo.col[R_STATUS]];

				if (!utf8_ok(fd->s, fd->len)) {
					ingest_bad_row(ing, f, fd->line,
						       fd->col, r.raw,
						       r.rawlen,
						       "status is not valid "
						       "UTF-8 text");
					ok = 0;
				}
				row.status = fd->s;
				row.status_len = fd->len;
			}
			if (!ok)
				continue;
			if (lo.dur_only) {
				/* a duration alone: no start stamp */
				row.no_stamp = 1;
				row.start_us = 0;
				row.end_us = t[R_DURATION];
				row.col_start = row.col_end =
					r.f[lo.col[R_DURATION]].col;
				goto stamped;
			}
			row.col_start = lo.col[R_START] >= 0
						? r.f[lo.col[R_START]].col
						: r.f[lo.col[R_DURATION]].col;
			row.col_end = lo.col[R_END] >= 0
					      ? r.f[lo.col[R_END]].col
					      : r.f[lo.col[R_DURATION]].col;
			if (lo.col[R_START] >= 0 && lo.col[R_END] >= 0) {
				row.start_us = t[R_START];
				row.end_us = t[R_END];
			} else if (lo.col[R_START] >= 0) {
				row.start_us = t[R_START];
				row.end_us = t[R_START] + t[R_DURATION];
			} else {
				row.end_us = t[R_END];
				row.start_us = t[R_END] - t[R_DURATION];
			}
			/* how fine the start stamp is, from the decimals the
			 * text gives in its unit (native: integer us) */
			row.start_res = 1;
			if (!lo.strict_int) {
				int k = lo.col[R_START] >= 0 ? R_START : R_END;
				const struct csvfield *fd = &r.f[lo.col[k]];

				/* a date-time's came with its parse */
				row.start_res = lo.pow10[k] == UNIT_ISO
							? iso_res[k]
							: num_resolution(fd->s, fd->len,
									 lo.pow10[k]);
				if (k == R_END) {
					const struct csvfield *dd =
						&r.f[lo.col[R_DURATION]];
					int64_t dr = num_resolution(
						dd->s, dd->len,
						lo.pow10[R_DURATION]);

					if (dr > row.start_res)
						row.start_res = dr;
				}
			}
		}
	stamped:
		if (lc.n) {
			for (size_t i = 0; i < lc.n; i++) {
				vals[i] = r.f[lc.col[i]].s;
				lens[i] = r.f[lc.col[i]].len;
			}
			row.rowvals = vals;
			row.rowval_lens = lens;
		}
		if (ingest_row(ing, f, &row) != 0)
			goto out;
	}
	rc = 0;
	if (rg) {
		rg->end = lines_offset(&r.L);
		rg->lines = r.L.lineno - rg->line_base;
	}
out:
	ingest_hash_finish(f, &r.L);
	csvread_close(&r);
	return rc;
}

static int read_native(struct ingest *ing, struct ifile *f)
{
	return delim_read_common(ing, f, ',', 1, NULL);
}

static int read_csv(struct ingest *ing, struct ifile *f)
{
	return delim_read_common(ing, f, ',', 0, NULL);
}

static int read_tsv(struct ingest *ing, struct ifile *f)
{
	return delim_read_common(ing, f, '\t', 0, NULL);
}

/* ---- detection ---- */

size_t delim_first_line(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);

	return nl ? (size_t)(nl - s) : n;
}

static int probe_native(const char *s, size_t n)
{
	return n >= 15 && memcmp(s, "# vmnetrank-log", 15) == 0 ? 3 : 0;
}

static int probe_delim(const char *s, size_t n, char delim)
{
	size_t len = delim_first_line(s, n);

	if (len > 0 && s[0] == '#')
		return 0;
	return memchr(s, delim, len) ? 1 : 0;
}

static int probe_csv(const char *s, size_t n)
{
	return probe_delim(s, n, ',');
}

static int probe_tsv(const char *s, size_t n)
{
	return probe_delim(s, n, '\t');
}

const struct format format_native = { "native", probe_native, delim_scan_native,
				      read_native };
const struct format format_csv = { "csv", probe_csv, delim_scan_csv, read_csv };
const struct format format_tsv = { "tsv", probe_tsv, delim_scan_tsv, read_tsv };
