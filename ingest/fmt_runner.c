/*
 * Runners' own files that are not one row per operation in a delimited
 * file: hyperfine's --export-json, iperf3 -J, and siege (its --log file,
 * through fmt_delim.c, and its per-request verbose output).  JSON is read
 * by Jansson (Debian's libjansson): its errors carry line and column.
 */
#define _GNU_SOURCE
#include "ingest_int.h"
#include "../lib/diag.h"
#include "../lib/lines.h"
#include "../lib/num.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON ---- */

static json_t *load_json(struct ingest *ing, struct ifile *f)
{
	json_error_t err;
	json_t *root = json_load_file(ifile_open_path(f),
				      JSON_REJECT_DUPLICATES, &err);

	if (!root)
		ingest_file_error(ing, f, err.line > 0 ? err.line : 0,
				  err.column > 0 ? err.column : 0,
				  "bad JSON: %s", err.text);
	return root;
}

/* Seconds (a JSON number) as microseconds, rounded to the nearest; 0, or
 * -1 when it is no finite number >= 0 below a century. */
static int seconds_us(const json_t *v, int64_t *out)
{
	double s;

	if (!json_is_number(v))
		return -1;
	s = json_number_value(v);
	if (!isfinite(s) || s < 0 || s > 3.2e9)
		return -1;
	*out = (int64_t)llround(s * 1e6);
	return 0;
}

/* A JSON string or number as label text in BUF. */
static const char *label_text(const json_t *v, char *buf, size_t cap)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_real(v)) {
		snprintf(buf, cap, "%.17g", json_real_value(v));
		return buf;
	}
	return NULL;
}

/* hyperfine: {"results": [{"command", "times": [...], "exit_codes": [...],
 * "parameters": {...}}, ...]}.  Each result is a configuration (labels
 * `command` and one per parameter), each run one repetition of one
 * operation, timed by its duration alone (hyperfine keeps no start). */
static int probe_hyperfine(const char *s, size_t n)
{
	const char *p = memmem(s, n, "\"results\"", 9);

	return p && memmem(s, n, "\"command\"", 9) &&
			       memmem(s, n, "\"times\"", 7)
		       ? 2
		       : 0;
}

static json_t *hyperfine_results(struct ingest *ing, struct ifile *f,
				 json_t *root)
{
	json_t *res = json_is_object(root) ? json_object_get(root, "results")
					   : NULL;

	if (!json_is_array(res) || json_array_size(res) == 0) {
		ingest_file_error(ing, f, 1, 1,
				  "no \"results\" array (expected the file "
				  "hyperfine --export-json writes)");
		return NULL;
	}
	return res;
}

static int scan_hyperfine(struct ingest *ing, struct ifile *f)
{
	json_t *root = load_json(ing, f), *res;
	size_t i;
	json_t *r;
	int rc = -1;

	if (!root)
		return -1;
	if (!(res = hyperfine_results(ing, f, root)))
		goto out;
	if (ifile_add_rowkey(f, "command", 7) != 0)
		goto out;
	json_array_foreach(res, i, r) {
		json_t *params = json_object_get(r, "parameters");
		const char *k;
		json_t *v;

		if (!json_is_object(r) ||
		    !json_is_string(json_object_get(r, "command")) ||
		    !json_is_array(json_object_get(r, "times"))) {
			ingest_file_error(ing, f, 0, 0,
					  "result %zu: expected \"command\" "
					  "and a \"times\" array",
					  i + 1);
			goto out;
		}
		if (!json_is_object(params))
			continue;
		json_object_foreach(params, k, v) {
			const char *why;

			if (label_key_ok(k, strlen(k), &why) != 0) {
				ingest_file_error(ing, f, 0, 0,
						  "result %zu: parameter '%s' "
						  "cannot be a label: %s",
						  i + 1, k, why);
				goto out;
			}
			if (ifile_add_rowkey(f, k, strlen(k)) != 0)
				goto out;
		}
	}
	if (kvlist_set(&f->meta, "tool", 4, "hyperfine", 9, 0) != 0)
		goto out;
	f->own_reps = 1;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

static int read_hyperfine(struct ingest *ing, struct ifile *f)
{
	json_t *root = load_json(ing, f), *res, *r;
	size_t i;
	long ordinal = 0;
	int rc = -1;
	const char **vals = NULL;
	size_t *lens = NULL;
	char nums[64][40];

	if (!root)
		return -1;
	if (!(res = hyperfine_results(ing, f, root)))
		goto out;
	vals = calloc(f->nrowkeys + 1, sizeof *vals);
	lens = calloc(f->nrowkeys + 1, sizeof *lens);
	if (!vals || !lens)
		goto out;
	json_array_foreach(res, i, r) {
		json_t *times = json_object_get(r, "times");
		json_t *codes = json_object_get(r, "exit_codes");
		json_t *params = json_object_get(r, "parameters");
		json_t *t;
		size_t j;

		for (size_t k = 0; k < f->nrowkeys; k++) {
			json_t *v = k == 0 ? json_object_get(r, "command")
				    : json_is_object(params)
					    ? json_object_get(params, f->rowkeys[k])
					    : NULL;

			vals[k] = v ? label_text(v, nums[k % 64], sizeof nums[0])
				    : NULL;
			lens[k] = vals[k] ? strlen(vals[k]) : 0;
		}
		if (codes && (!json_is_array(codes) ||
			      json_array_size(codes) != json_array_size(times))) {
			ingest_file_error(ing, f, 0, 0,
					  "result %zu: %zu times but %zu exit "
					  "codes (expected one per run)",
					  i + 1, json_array_size(times),
					  json_is_array(codes)
						  ? json_array_size(codes)
						  : 0);
			goto out;
		}
		json_array_foreach(times, j, t) {
			struct row row;
			int64_t dur;
			json_t *c = codes ? json_array_get(codes, j) : NULL;
			char st[32] = "ok";

			ordinal++;
			memset(&row, 0, sizeof row);
			row.line = ordinal;
			row.rep = (int64_t)j + 1;
			row.seq = 1;
			row.bytes = INGEST_NO_BYTES;
			row.server_us = INGEST_NO_SERVER;
			row.no_stamp = 1;
			row.rowvals = vals;
			row.rowval_lens = lens;
			if (seconds_us(t, &dur) != 0) {
				ingest_bad_row(ing, f, ordinal, 0, NULL, 0,
					       "result %zu run %zu: time is not "
					       "a number of seconds >= 0",
					       i + 1, j + 1);
				continue;
			}
			if (c && !json_is_integer(c) && !json_is_null(c)) {
				ingest_bad_row(ing, f, ordinal, 0, NULL, 0,
					       "result %zu run %zu: exit code "
					       "is not an integer",
					       i + 1, j + 1);
				continue;
			}
			if (json_is_null(c)) /* killed by a signal */
				snprintf(st, sizeof st, "signal");
			else if (c && json_integer_value(c) != 0)
				snprintf(st, sizeof st, "exit-%lld",
					 (long long)json_integer_value(c));
			row.end_us = dur;
			row.status = st;
			row.status_len = strlen(st);
			if (ingest_row(ing, f, &row) != 0)
				goto out;
		}
	}
	rc = 0;
out:
	free(vals);
	free(lens);
	json_decref(root);
	return rc;
}

const struct format format_hyperfine = { "hyperfine", probe_hyperfine,
					 scan_hyperfine, read_hyperfine };

/* iperf3 -J (client or server): one test = one repetition; each interval
 * one operation (its start and end from the test's start, its bytes);
 * intervals iperf3 omitted (-O) are warm-up.  The end sums of both sides
 * are kept as metadata. */
static int probe_iperf3(const char *s, size_t n)
{
	return memmem(s, n, "\"start\"", 7) &&
			       (memmem(s, n, "\"connecting_to\"", 15) ||
				memmem(s, n, "\"accepted_connection\"", 21) ||
				memmem(s, n, "\"test_start\"", 12)) &&
			       memmem(s, n, "\"timestamp\"", 11)
		       ? 2
		       : 0;
}

static json_t *path_get(json_t *o, const char *a, const char *b,
			const char *c)
{
	if (o && a)
		o = json_object_get(o, a);
	if (o && b)
		o = json_object_get(o, b);
	if (o && c)
		o = json_object_get(o, c);
	return o;
}

static int meta_int(struct ifile *f, const char *key, json_t *v)
{
	char buf[32];

	if (!json_is_integer(v))
		return 0;
	snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
	return kvlist_set(&f->meta, key, strlen(key), buf, strlen(buf), 0);
}

static int scan_iperf3(struct ingest *ing, struct ifile *f)
{
	json_t *root = load_json(ing, f), *v;
	int rc = -1;

	if (!root)
		return -1;
	if (!json_is_object(root) || !json_is_object(json_object_get(root, "start"))) {
		ingest_file_error(ing, f, 1, 1,
				  "no \"start\" object (expected the output "
				  "of iperf3 -J)");
		goto out;
	}
	if (kvlist_set(&f->meta, "tool", 4, "iperf3", 6, 0) != 0)
		goto out;
	v = path_get(root, "start", "connecting_to", NULL);
	{
		const char *side = v ? "client" : "server";

		if (kvlist_set(&f->meta, "meta.side", 9, side, strlen(side), 0))
			goto out;
	}
	v = path_get(root, "start", "test_start", "protocol");
	if (json_is_string(v) &&
	    kvlist_set(&f->meta, "meta.protocol", 13, json_string_value(v),
		       strlen(json_string_value(v)), 0) != 0)
		goto out;
	if (meta_int(f, "meta.streams",
		     path_get(root, "start", "test_start", "num_streams")) ||
	    meta_int(f, "meta.duration_s",
		     path_get(root, "start", "test_start", "duration")) ||
	    meta_int(f, "meta.reverse",
		     path_get(root, "start", "test_start", "reverse")) ||
	    meta_int(f, "meta.sent_bytes",
		     path_get(root, "end", "sum_sent", "bytes")) ||
	    meta_int(f, "meta.received_bytes",
		     path_get(root, "end", "sum_received", "bytes")) ||
	    meta_int(f, "meta.sum_bytes", path_get(root, "end", "sum", "bytes")) ||
	    meta_int(f, "meta.lost_packets",
		     path_get(root, "end", "sum", "lost_packets")))
		goto out;
	v = json_object_get(root, "error");
	if (json_is_string(v) &&
	    kvlist_set(&f->meta, "meta.error", 10, json_string_value(v),
		       strlen(json_string_value(v)), 0) != 0)
		goto out;
	f->own_reps = 0;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

static int read_iperf3(struct ingest *ing, struct ifile *f)
{
	json_t *root = load_json(ing, f), *iv, *it;
	json_t *err, *om;
	int64_t base, omit = 0;
	size_t i;
	int rc = -1;

	if (!root)
		return -1;
	err = json_object_get(root, "error");
	iv = json_object_get(root, "intervals");
	{
		json_t *ts = path_get(root, "start", "timestamp", "timesecs");

		if (!json_is_integer(ts) || json_integer_value(ts) < 0 ||
		    json_integer_value(ts) > INT64_MAX / 1000000) {
			if (json_is_string(err))
				goto failed_test;
			ingest_file_error(ing, f, 0, 0,
					  "no start.timestamp.timesecs "
					  "(expected the test's start in "
					  "epoch seconds, as iperf3 -J "
					  "writes it)");
			goto out;
		}
		base = json_integer_value(ts) * 1000000;
	}
	/* iperf3 restarts its interval clock when the -O period ends: the
	 * measured intervals' offsets count from there */
	om = path_get(root, "start", "test_start", "omit");
	if (json_is_integer(om) && json_integer_value(om) > 0 &&
	    json_integer_value(om) < 86400)
		omit = json_integer_value(om) * 1000000;
	if (json_is_string(err) && (!json_is_array(iv) || json_array_size(iv) == 0))
		goto failed_test;
	if (!json_is_array(iv) || json_array_size(iv) == 0) {
		ingest_file_error(ing, f, 0, 0,
				  "no \"intervals\" (expected iperf3 -J "
				  "output of a test that ran)");
		goto out;
	}
	if (json_is_string(err))
		ingest_warn(ing, f, 0, 0, "iperf3 reported an error: %s; the "
			    "intervals it measured are kept",
			    json_string_value(err));
	json_array_foreach(iv, i, it) {
		json_t *sum = json_object_get(it, "sum");
		json_t *b = sum ? json_object_get(sum, "bytes") : NULL;
		int64_t s, e;
		struct row row;

		memset(&row, 0, sizeof row);
		row.line = (long)i + 1;
		row.rep = 1;
		row.seq = (int64_t)i + 1;
		row.server_us = INGEST_NO_SERVER;
		row.start_res = 1; /* offsets are exact; the base is shared */
		if (!json_is_object(sum) ||
		    seconds_us(json_object_get(sum, "start"), &s) != 0 ||
		    seconds_us(json_object_get(sum, "end"), &e) != 0 ||
		    !json_is_integer(b) || json_integer_value(b) < 0) {
			ingest_bad_row(ing, f, row.line, 0, NULL, 0,
				       "interval %zu: expected sum.start, "
				       "sum.end (seconds) and sum.bytes",
				       i + 1);
			continue;
		}
		row.warmup = json_is_true(json_object_get(sum, "omitted"));
		if (!row.warmup) {
			int64_t secs;

			s += omit;
			e += omit;
			/* the first interval after the omit period may end
			 * "before" it starts (iperf3 3.12): its length is
			 * sum.seconds, ending where iperf3 says */
			if (e < s &&
			    seconds_us(json_object_get(sum, "seconds"), &secs) == 0 &&
			    secs <= e)
				s = e - secs;
		}
		row.start_us = base + s;
		row.end_us = base + e;
		row.bytes = json_integer_value(b);
		row.status = "ok";
		row.status_len = 2;
		if (ingest_row(ing, f, &row) != 0)
			goto out;
	}
	rc = 0;
	goto out;
failed_test: {
	/* a test that did not run: one failed operation, never a time */
	struct row row;

	ingest_warn(ing, f, 0, 0, "iperf3 reported an error: %s; the test "
		    "counts as one failed operation",
		    json_string_value(err));
	memset(&row, 0, sizeof row);
	row.line = 1;
	row.rep = 1;
	row.seq = 1;
	row.bytes = INGEST_NO_BYTES;
	row.server_us = INGEST_NO_SERVER;
	row.no_stamp = 1;
	row.status = "iperf3-error";
	row.status_len = 12;
	rc = ingest_row(ing, f, &row);
}
out:
	json_decref(root);
	return rc;
}

const struct format format_iperf3 = { "iperf3", probe_iperf3, scan_iperf3,
				      read_iperf3 };

/* ---- siege ---- */

/* siege -v (with color = off, json_output = false in its siegerc):
 *   HTTP/1.1 200     0.01 secs:     612 bytes ==> GET  /index.html
 * one line a request, its response time to 10 ms and no start; and
 *   [error] socket: unable to connect sock.c:249: Connection refused
 * for a request that got no answer. */
static int skip_esc(const char *s, size_t n, size_t i)
{
	while (i + 1 < n && s[i] == '\x1b' && s[i + 1] == '[') {
		i += 2;
		while (i < n && s[i] != 'm')
			i++;
		if (i < n)
			i++;
	}
	return (int)i;
}

static int is_http_line(const char *s, size_t n)
{
	size_t i = (size_t)skip_esc(s, n, 0);

	return n - i >= 13 && memcmp(s + i, "HTTP/", 5) == 0 &&
	       memmem(s + i, n - i, " secs:", 6) != NULL;
}

static int probe_siege(const char *s, size_t n)
{
	if (delim_probe_siege_log(s, n))
		return 2;
	/* the verbose output: its banner or a request line among the first
	 * lines (siege may write a note about its siegerc first) */
	for (int k = 0; k < 8 && n > 0; k++) {
		const char *nl = memchr(s, '\n', n);
		size_t len = nl ? (size_t)(nl - s) : n;

		if ((len >= 9 && memcmp(s, "** SIEGE ", 9) == 0) ||
		    is_http_line(s, len))
			return 2;
		if (!nl)
			break;
		n -= len + 1;
		s = nl + 1;
	}
	return 0;
}

static int is_log(struct ingest *ing, struct ifile *f)
{
	char head[512];
	FILE *fp = fopen(ifile_open_path(f), "r");
	size_t n;

	(void)ing;
	if (!fp)
		return 0;
	n = fread(head, 1, sizeof head, fp);
	fclose(fp);
	return delim_probe_siege_log(head, n) != 0;
}

/* siege's chatter around the requests: not requests, not worth a word */
static int chatter(const char *s, size_t n)
{
	static const char *const pre[] = {
		"** ", "The server is now under siege", "Lifting the server",
		"LOG FILE:", "You can disable this log",
		"/root/.siege", "New configuration template", "Run siege -C",
		"done.", NULL,
	};

	for (size_t i = 0; pre[i]; i++)
		if (n >= strlen(pre[i]) && memcmp(s, pre[i], strlen(pre[i])) == 0)
			return 1;
	/* the summary: "Transactions:\t\t 6 hits" */
	return memchr(s, ':', n) && (memchr(s, '\t', n) ||
				     memmem(s, n, ":  ", 3));
}

static int verbose(struct ingest *ing, struct ifile *f, int scan)
{
	struct lines L;
	const char *s;
	size_t n;
	long seq = 0, zero = 0, other = 0, first_other = 0;
	int rc = 0;

	if (lines_open(&L, ifile_open_path(f)) != 0) {
		ingest_file_error(ing, f, 0, 0, "cannot open: %s", L.error);
		return -1;
	}
	if (scan) {
		lines_close(&L);
		return kvlist_set(&f->meta, "tool", 4, "siege", 5, 0);
	}
	ingest_hash_attach(ing, f, &L);
	for (;;) {
		struct row row;
		int got = lines_next(&L, &s, &n);
		size_t i;
		char st[16];

		if (got != 1) {
			if (got < 0) {
				ingest_file_error(ing, f, L.lineno, 0,
						  "cannot read: %s", L.error);
				rc = -1;
			}
			break;
		}
		while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
			n--;
		i = (size_t)skip_esc(s, n, 0);
		memset(&row, 0, sizeof row);
		row.line = L.lineno;
		row.raw = s;
		row.rawlen = n;
		row.rep = 1;
		row.bytes = INGEST_NO_BYTES;
		row.server_us = INGEST_NO_SERVER;
		row.no_stamp = 1;
		if (n - i >= 7 && memcmp(s + i, "[error]", 7) == 0) {
			row.seq = ++seq;
			row.status = "siege-error";
			row.status_len = 11;
			if (ingest_row(ing, f, &row) != 0) {
				rc = -1;
				break;
			}
			continue;
		}
		if (!is_http_line(s, n)) {
			if (n && !chatter(s + i, n - i) && !other++)
				first_other = L.lineno;
			continue;
		}
		{
			/* HTTP/1.1 200     0.01 secs:     612 bytes ==> ... */
			const char *p = s + i, *end = s + n;
			const char *sp = memchr(p, ' ', (size_t)(end - p));
			int64_t code, dur, bytes;
			size_t bad, len;
			const char *q;

			if (!sp)
				goto bad;
			p = sp;
			while (p < end && *p == ' ')
				p++;
			for (len = 0; p + len < end && p[len] >= '0' && p[len] <= '9'; len++)
				;
			if (len != 3 || num_i64(p, 3, &code, &bad) != NUM_OK)
				goto bad;
			p += 3;
			while (p < end && *p == ' ')
				p++;
			q = memmem(p, (size_t)(end - p), " secs:", 6);
			if (!q || num_scaled(p, (size_t)(q - p), 6, &dur, &bad) != NUM_OK)
				goto bad;
			p = q + 6;
			while (p < end && *p == ' ')
				p++;
			for (len = 0; p + len < end && p[len] >= '0' && p[len] <= '9'; len++)
				;
			if (len == 0 || num_i64(p, len, &bytes, &bad) != NUM_OK ||
			    (size_t)(end - p) < len + 6 || memcmp(p + len, " bytes", 6) != 0)
				goto bad;
			snprintf(st, sizeof st, "%lld", (long long)code);
			row.seq = ++seq;
			row.end_us = dur;
			row.bytes = bytes;
			row.status = st;
			row.status_len = strlen(st);
			zero += dur == 0;
			if (ingest_row(ing, f, &row) != 0) {
				rc = -1;
				break;
			}
			continue;
		bad:
			ingest_bad_row(ing, f, L.lineno, (long)i + 1, s, n,
				       "a siege -v request line that does not "
				       "read (expected 'HTTP/1.1 200  0.01 "
				       "secs:  612 bytes ==> GET /path')");
		}
	}
	ingest_hash_finish(f, &L);
	lines_close(&L);
	if (rc == 0 && other)
		ingest_warn(ing, f, first_other, 1,
			    "%ld lines that are neither requests nor siege's "
			    "own messages were left out (the first here)",
			    other);
	if (rc == 0 && zero * 10 > seq && seq > 0)
		ingest_warn(ing, f, 0, 0,
			    "%ld of %ld response times are 0.00 s: siege -v "
			    "gives them to 10 ms, too coarse for these "
			    "requests (use its --log, ab, wrk or the "
			    "collector)",
			    zero, seq);
	return rc;
}

static int scan_siege(struct ingest *ing, struct ifile *f)
{
	if (is_log(ing, f))
		return delim_scan_siege_log(ing, f);
	return verbose(ing, f, 1);
}

static int read_siege(struct ingest *ing, struct ifile *f)
{
	if (is_log(ing, f))
		return delim_read_siege_log(ing, f);
	return verbose(ing, f, 0);
}

const struct format format_siege = { "siege", probe_siege, scan_siege,
				     read_siege };
