/* The runners own delimited files as presets of csv and tsv: ab -g,
 * JMeter, curl -w lines and siege log, each a table row (columns, maps,
 * status rule, quirks) and its probe. */
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

/* The status of a row from a preset's columns: writes the text into BUF
 * when it is made up; 0, or -1 with the reason in BUF. */
static const struct csvfield *aux_field(const struct csvread *r,
					const struct layout *lo, int i)
{
	return lo->aux[i] >= 0 ? &r->f[lo->aux[i]] : NULL;
}

static int field_is(const struct csvfield *fd, const char *s)
{
	return fd && fd->len == strlen(s) && strncasecmp(fd->s, s, fd->len) == 0;
}

/* JMeter: "success" true or false; a failure is told by its response
 * code (failed-500, failed-200 for a failed assertion on a 200) */
static int status_jmeter(const struct csvread *r, const struct layout *lo,
			 char *buf, size_t cap, const char **s, size_t *n)
{
	const struct csvfield *ok = lo->col[R_STATUS] >= 0
					    ? &r->f[lo->col[R_STATUS]]
					    : NULL;
	const struct csvfield *code = aux_field(r, lo, 0);

	if (!ok || field_is(ok, "true")) {
		*s = "ok";
		*n = 2;
		return 0;
	}
	if (!field_is(ok, "false")) {
		snprintf(buf, cap, "success '%.*s' (expected true or false)",
			 (int)ok->len, ok->s);
		return -1;
	}
	if (code && code->len && utf8_ok(code->s, code->len))
		snprintf(buf, cap, "failed-%.*s",
			 (int)(code->len > 100 ? 100 : code->len), code->s);
	else
		snprintf(buf, cap, "failed");
	*s = buf;
	*n = strlen(buf);
	return 0;
}

/* curl -w: exit code first (a transfer that failed has no HTTP answer),
 * then the HTTP code (000: none came) */
static int status_curl(const struct csvread *r, const struct layout *lo,
		       char *buf, size_t cap, const char **s, size_t *n)
{
	const struct csvfield *code = aux_field(r, lo, 0);
	const struct csvfield *ex = aux_field(r, lo, 1);
	int64_t v;
	size_t bad;

	if (!ex || num_i64(ex->s, ex->len, &v, &bad) != NUM_OK || v < 0) {
		snprintf(buf, cap, "exitcode '%.*s' (expected curl's exit "
				   "code, an integer >= 0)",
			 ex ? (int)ex->len : 0, ex ? ex->s : "");
		return -1;
	}
	if (v != 0)
		snprintf(buf, cap, "curl-exit-%lld", (long long)v);
	else if (!code || num_i64(code->s, code->len, &v, &bad) != NUM_OK ||
		 v < 0 || v > 999) {
		snprintf(buf, cap, "http_code '%.*s' (expected a 3-digit HTTP "
				   "status)",
			 code ? (int)code->len : 0, code ? code->s : "");
		return -1;
	} else if (v == 0)
		snprintf(buf, cap, "no-http-response");
	else
		snprintf(buf, cap, "%lld", (long long)v);
	*s = buf;
	*n = strlen(buf);
	return 0;
}

/* siege's log: one row a run; ok when every transaction was (OKAY =
 * Trans, no Failed) */
static int status_siege(const struct csvread *r, const struct layout *lo,
			char *buf, size_t cap, const char **s, size_t *n)
{
	int64_t v[3];
	size_t bad;

	for (int i = 0; i < 3; i++) {
		const struct csvfield *fd = aux_field(r, lo, i);

		if (!fd || num_i64(fd->s, fd->len, &v[i], &bad) != NUM_OK ||
		    v[i] < 0) {
			snprintf(buf, cap, "%s '%.*s' (expected a count)",
				 lo->pre->aux[i], fd ? (int)fd->len : 0,
				 fd ? fd->s : "");
			return -1;
		}
	}
	if (v[1] == v[0] && v[2] == 0) {
		*s = "ok";
		*n = 2;
		return 0;
	}
	snprintf(buf, cap, "siege-%lld-of-%lld-not-ok-%lld-failed",
		 (long long)(v[0] - v[1]), (long long)v[0], (long long)v[2]);
	*s = buf;
	*n = strlen(buf);
	return 0;
}

static const char *const ab_cols[] = { "starttime", "seconds", "ctime",
				       "dtime", "ttime", "wait", NULL };
static const char *const ab_maps[] = { "start=seconds:s", "duration=ttime:ms",
				       NULL };
/* JMeter's CSV columns in its default order (jmeter.properties,
 * jmeter.save.saveservice.*; print_field_names=false leaves the header
 * row out) */
static const char *const jmeter_cols[] = {
	"timeStamp",   "elapsed",   "label",      "responseCode",
	"responseMessage", "threadName", "dataType", "success",
	"failureMessage", "bytes",  "sentBytes",  "grpThreads",
	"allThreads",  "URL",       "Latency",    "IdleTime",
	"Connect",     NULL,
};
static const char *const jmeter_maps[] = {
	"start=timeStamp:ms", "duration=elapsed:ms", "status=success",
	"bytes=bytes", "workload=label", NULL,
};
/* contrib/curl-w.txt: -w '%{time_total},%{http_code},%{size_download},
 * %{exitcode},%{url_effective}\n' */
static const char *const curl_cols[] = { "time_total", "http_code",
					 "size_download", "exitcode", "url",
					 NULL };
static const char *const curl_maps[] = { "duration=time_total:s",
					 "bytes=size_download", NULL };
static const char *const siege_cols[] = {
	"Date & Time", "Trans", "Elap Time", "Data Trans", "Resp Time",
	"Trans Rate", "Throughput", "Concurrent", "OKAY", "Failed", NULL,
};
static const char *const siege_maps[] = { "end=Date & Time:iso",
					  "duration=Elap Time:s", NULL };

static const struct preset preset_ab = {
	.name = "ab", .tool = "ab", .delim = '\t', .header = PH_YES,
	.cols = ab_cols, .maps = ab_maps,
	.warning = "ab -g records no status: every request in its file "
		   "counts as a success here; compare ab's own 'Failed "
		   "requests' and 'Non-2xx responses' lines before trusting "
		   "a verdict",
};
static const struct preset preset_jmeter = {
	.name = "jmeter", .tool = "jmeter", .delim = ',', .header = PH_MAYBE,
	.cols = jmeter_cols, .maps = jmeter_maps,
	.aux = { "responseCode" }, .status = status_jmeter,
	.skip_col = "responseMessage",
	.skip_prefix = "Number of samples in transaction",
	.skip_what = "transaction-controller rows (each sums the samples "
		     "inside it, which are rows of their own)",
};
static const struct preset preset_curl = {
	.name = "curl", .tool = "curl", .delim = ',', .header = PH_NO,
	.cols = curl_cols, .maps = curl_maps,
	.aux = { "http_code", "exitcode" }, .status = status_curl,
};
static const struct preset preset_siege_log = {
	.name = "siege", .tool = "siege", .delim = ',', .header = PH_YES,
	.cols = siege_cols, .maps = siege_maps,
	.aux = { "Trans", "OKAY", "Failed" }, .status = status_siege,
	.rep_per_row = 1,
};

static int scan_ab(struct ingest *ing, struct ifile *f)
{
	return delim_scan_common(ing, f, '\t', 0, &preset_ab);
}
static int read_ab(struct ingest *ing, struct ifile *f)
{
	return delim_read_common(ing, f, '\t', 0, &preset_ab);
}
static int scan_jmeter(struct ingest *ing, struct ifile *f)
{
	return delim_scan_common(ing, f, ',', 0, &preset_jmeter);
}
static int read_jmeter(struct ingest *ing, struct ifile *f)
{
	return delim_read_common(ing, f, ',', 0, &preset_jmeter);
}
static int scan_curl(struct ingest *ing, struct ifile *f)
{
	return delim_scan_common(ing, f, ',', 0, &preset_curl);
}
static int read_curl(struct ingest *ing, struct ifile *f)
{
	return delim_read_common(ing, f, ',', 0, &preset_curl);
}
int delim_scan_siege_log(struct ingest *ing, struct ifile *f)
{
	return delim_scan_common(ing, f, ',', 0, &preset_siege_log);
}
int delim_read_siege_log(struct ingest *ing, struct ifile *f)
{
	return delim_read_common(ing, f, ',', 0, &preset_siege_log);
}

/* The first line is exactly COLS joined by DELIM (blanks around names
 * allowed, as the reader trims them). */
static int header_is(const char *s, size_t n, const char *const *cols,
		     char delim)
{
	size_t len = delim_first_line(s, n), at = 0;

	if (len && s[len - 1] == '\r')
		len--;
	for (size_t i = 0; cols[i]; i++) {
		size_t cl = strlen(cols[i]);

		while (at < len && s[at] == ' ')
			at++;
		if (at + cl > len || memcmp(s + at, cols[i], cl) != 0)
			return 0;
		at += cl;
		while (at < len && s[at] == ' ')
			at++;
		if (cols[i + 1]) {
			if (at >= len || s[at] != delim)
				return 0;
			at++;
		}
	}
	return at == len;
}

static int probe_ab(const char *s, size_t n)
{
	return header_is(s, n, ab_cols, '\t') ? 2 : 0;
}

/* JMeter: its header row (the first two columns are enough: the others
 * are configurable), or a row of its default columns: a 13-digit epoch
 * millisecond stamp first, 17 fields, true or false in the 8th */
static int probe_jmeter(const char *s, size_t n)
{
	size_t len = delim_first_line(s, n), i = 0, fields = 1, f8 = 0;

	if (len >= 18 && memcmp(s, "timeStamp,elapsed,", 18) == 0)
		return 2;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i != 13 || i >= len || s[i] != ',')
		return 0;
	for (int q = 0; i < len; i++) {
		if (s[i] == '"')
			q = !q;
		else if (s[i] == ',' && !q) {
			fields++;
			if (fields == 8)
				f8 = i + 1;
		}
	}
	if (fields != 17 || !f8)
		return 0;
	return (len - f8 >= 5 && memcmp(s + f8, "true,", 5) == 0) ||
			       (len - f8 >= 6 && memcmp(s + f8, "false,", 6) == 0)
		       ? 2
		       : 0;
}

/* curl -w @contrib/curl-w.txt: 0.001234,200,612,0,http://... */
static int probe_curl(const char *s, size_t n)
{
	size_t len = delim_first_line(s, n), i = 0, d = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 0 || i >= len || s[i++] != '.')
		return 0;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, d++;
	if (d != 6 || i + 5 > len || s[i] != ',')
		return 0;
	for (int k = 1; k <= 3; k++)
		if (s[i + k] < '0' || s[i + k] > '9')
			return 0;
	if (s[i + 4] != ',')
		return 0;
	i += 5;
	for (int field = 0; field < 2; field++) {
		size_t b = i;

		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == b || i >= len || s[i++] != ',')
			return 0;
	}
	return 2;
}

int delim_probe_siege_log(const char *s, size_t n)
{
	return header_is(s, n, siege_cols, ',') ? 2 : 0;
}

const struct format format_ab = { "ab", probe_ab, scan_ab, read_ab };
const struct format format_jmeter = { "jmeter", probe_jmeter, scan_jmeter,
				      read_jmeter };
const struct format format_curl = { "curl", probe_curl, scan_curl, read_curl };
