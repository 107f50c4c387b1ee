/*
 * The paper's own logs (mission.md, figures 8 and 9).
 *
 * paper-web: a "cmdLine: NAT_External_256_15M" header whose '_' tokens
 * become labels (--name-pattern, default netmode,direction,mem_mb,tag),
 * then one line per request:
 *   6181.start Time,1196266661.901,0.88449600,1196266669,0.88596300,
 *   1196266669,end Time,1196266661.911
 * Each cmdLine header starts a new repetition.  The client stamps give the
 * operation; the two PHP microtime() pairs give server_us.
 *
 * paper-samba: a VM name line, then HH:MM:SS stamps and phase lines
 * ("delete All Data...", "100mb*2 ....").  A repetition holds P phases and
 * P+1 stamps; phase i runs from stamp i to stamp i+1.  Phases named
 * SIZE*COUNT are transfers and become operations; others (delete) only use
 * up their stamps.  Stamps are seconds of a day: the date comes from a
 * YYYY-MM-DD line or --date, and a stamp earlier than the one before it
 * has crossed midnight.
 */
#include "ingest_int.h"
#include "../lib/diag.h"
#include "../lib/lines.h"
#include "../lib/num.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 16

static int open_lines(struct ingest *ing, struct ifile *f, struct lines *L)
{
	if (lines_open(L, ifile_open_path(f)) != 0) {
		ingest_file_error(ing, f, 0, 0, "%s: %s", L->error,
				  strerror(L->err_errno));
		return -1;
	}
	ingest_hash_attach(ing, f, L);
	return 0;
}

static int next_line(struct ingest *ing, struct ifile *f, struct lines *L,
		     const char **s, size_t *n)
{
	int rc;

	for (;;) {
		rc = lines_next(L, s, n);
		if (rc < 0) {
			ingest_file_error(ing, f, L->lineno + 1, 0, "%s: %s",
					  L->error,
					  L->err_errno ? strerror(L->err_errno)
						       : "");
			return -1;
		}
		if (rc == 0)
			return 0;
		if (memchr(*s, '\0', *n)) {
			ingest_bad_row(ing, f, L->lineno,
				       (long)((const char *)memchr(*s, '\0', *n) -
					      *s) + 1,
				       *s, *n,
				       "binary data: a NUL byte (expected text)");
			continue;
		}
		while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
			(*n)--;
		if (*n == 0)
			continue;
		return 1;
	}
}

static int starts_with(const char *s, size_t n, const char *prefix)
{
	size_t l = strlen(prefix);

	return n >= l && memcmp(s, prefix, l) == 0;
}

/* ================= paper-web ================= */

struct pattern {
	char keys[MAX_TOKENS][65];
	size_t n;
};

static int parse_pattern(const char *spec, struct pattern *p,
			 const char **why)
{
	const char *s = spec;

	p->n = 0;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);

		if (p->n == MAX_TOKENS) {
			*why = "more than 16 names";
			return -1;
		}
		if (len == 1 && s[0] == '-') {
			p->keys[p->n][0] = '\0'; /* token ignored */
		} else {
			if (label_key_ok(s, len, why) != 0)
				return -1;
			memcpy(p->keys[p->n], s, len);
			p->keys[p->n][len] = '\0';
		}
		p->n++;
		if (!comma)
			break;
		s = comma + 1;
	}
	return 0;
}

static const char default_pattern[] = "netmode,direction,mem_mb,tag";

static int web_pattern(struct ingest *ing, struct ifile *f, struct pattern *p)
{
	const char *spec = ingest_file_opts(ing, f)->name_pattern;
	const char *why;

	if (parse_pattern(spec ? spec : default_pattern, p, &why) != 0) {
		ingest_file_error(ing, f, 0, 0,
				  "--name-pattern '%s': %s (expected label "
				  "names separated by commas, '-' to skip a "
				  "token)",
				  spec, why);
		return -1;
	}
	return 0;
}

static int probe_web(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (s + i)) : n - i;
		const char *line = s + i;
		size_t d = 0;

		if (starts_with(line, len, "cmdLine:"))
			return 3;
		while (d < len && line[d] >= '0' && line[d] <= '9')
			d++;
		if (d > 0 && starts_with(line + d, len - d, ".start Time,"))
			return 3;
		if (!nl)
			break;
		i += len + 1;
	}
	return 0;
}

static int scan_web(struct ingest *ing, struct ifile *f)
{
	struct pattern p;

	if (web_pattern(ing, f, &p) != 0)
		return -1;
	for (size_t i = 0; i < p.n; i++)
		if (p.keys[i][0] &&
		    ifile_add_rowkey(f, p.keys[i], strlen(p.keys[i])) != 0)
			return -1;
	if (!kvlist_get(&f->labels, "workload") &&
	    kvlist_set(&f->labels, "workload", 8, "web", 3, 0) != 0)
		return -1;
	f->has_server = 1;
	f->own_reps = 1;      /* each cmdLine starts one */
	f->single_client = 1; /* the paper's client, one request at a time */
	return 0;
}

struct span {
	const char *s;
	size_t len;
	long col;
};

static size_t split_commas(const char *s, size_t n, struct span *out,
			   size_t max)
{
	size_t k = 0, i = 0;

	for (;;) {
		const char *c = memchr(s + i, ',', n - i);
		size_t e = c ? (size_t)(c - s) : n;

		if (k < max) {
			out[k].s = s + i;
			out[k].len = e - i;
			out[k].col = (long)i + 1;
		}
		k++;
		if (!c)
			break;
		i = e + 1;
	}
	return k;
}

static int web_stamp(struct ingest *ing, struct ifile *f, long line,
		     const char *raw, size_t rawlen, const struct span *frac,
		     const struct span *sec, int64_t *out)
{
	int64_t fus, s;
	size_t bad;

	if (num_scaled(frac->s, frac->len, 6, &fus, &bad) != NUM_OK ||
	    fus < 0 || fus >= 1000000) {
		ingest_bad_row(ing, f, line, frac->col, raw, rawlen,
			       "'%.*s' (expected a microtime() fraction of a "
			       "second, 0 <= x < 1)",
			       (int)frac->len, frac->s);
		return -1;
	}
	if (num_i64(sec->s, sec->len, &s, &bad) != NUM_OK || s < 0 ||
	    s > INT64_C(9000000000)) {
		ingest_bad_row(ing, f, line, sec->col, raw, rawlen,
			       "'%.*s' (expected microtime() epoch seconds, "
			       "an integer)",
			       (int)sec->len, sec->s);
		return -1;
	}
	*out = s * 1000000 + fus;
	return 0;
}

static int read_web(struct ingest *ing, struct ifile *f)
{
	struct lines L;
	struct pattern p;
	char tokbuf[1024];
	const char *vals[MAX_TOKENS];
	size_t lens[MAX_TOKENS];
	const char *rowvals[MAX_TOKENS];
	size_t rowlens[MAX_TOKENS];
	size_t nrow = 0;
	int64_t rep = 0;
	const char *s;
	size_t n;
	int rc;

	if (web_pattern(ing, f, &p) != 0 || open_lines(ing, f, &L) != 0)
		return -1;
	for (size_t i = 0; i < MAX_TOKENS; i++) {
		rowvals[i] = NULL;
		rowlens[i] = 0;
	}
	for (size_t i = 0; i < p.n; i++)
		if (p.keys[i][0])
			nrow++;
	while ((rc = next_line(ing, f, &L, &s, &n)) == 1) {
		struct span sp[9];
		size_t nf;
		struct row row;
		int64_t t1, t2;
		size_t bad, d = 0;

		if (starts_with(s, n, "cmdLine:")) {
			size_t i = 8, k = 0, used = 0;

			while (i < n && (s[i] == ' ' || s[i] == '\t'))
				i++;
			if (n - i >= sizeof tokbuf) {
				ingest_file_error(ing, f, L.lineno, (long)i + 1,
						  "cmdLine too long");
				continue;
			}
			memcpy(tokbuf, s + i, n - i);
			for (size_t b = 0, j = 0; j <= n - i; j++) {
				if (j == n - i || tokbuf[j] == '_') {
					if (k < MAX_TOKENS) {
						vals[k] = tokbuf + b;
						lens[k] = j - b;
					}
					k++;
					b = j + 1;
				}
			}
			if (k != p.n) {
				ingest_file_error(
					ing, f, L.lineno, (long)i + 1,
					"cmdLine '%.*s' has %zu tokens "
					"separated by '_' (expected %zu: %s; "
					"change it with --name-pattern)",
					(int)(n - i), s + i, k, p.n,
					ingest_file_opts(ing, f)->name_pattern
						? ingest_file_opts(ing, f)->name_pattern
						: default_pattern);
				/* its rows would carry wrong labels */
				rc = -1;
				break;
			}
			for (size_t t = 0; t < p.n; t++)
				if (p.keys[t][0]) {
					rowvals[used] = vals[t];
					rowlens[used] = lens[t];
					used++;
				}
			rep++;
			continue;
		}
		nf = split_commas(s, n, sp, 9);
		while (d < sp[0].len && sp[0].s[d] >= '0' && sp[0].s[d] <= '9')
			d++;
		if (nf != 8 || d == 0 ||
		    !(sp[0].len - d == 11 &&
		      memcmp(sp[0].s + d, ".start Time", 11) == 0)) {
			ingest_bad_row(ing, f, L.lineno, 1, s, n,
				       "expected 'N.start Time,START,FRAC,"
				       "SEC,FRAC,SEC,end Time,END' (8 "
				       "fields) or 'cmdLine: NAME'");
			continue;
		}
		if (!(sp[6].len == 8 && memcmp(sp[6].s, "end Time", 8) == 0)) {
			ingest_bad_row(ing, f, L.lineno, sp[6].col, s, n,
				       "'%.*s' (expected 'end Time')",
				       (int)sp[6].len, sp[6].s);
			continue;
		}
		memset(&row, 0, sizeof row);
		row.line = L.lineno;
		row.raw = s;
		row.rawlen = n;
		row.rep = rep > 0 ? rep : 1;
		row.col_rep = 1;
		row.col_seq = 1;
		row.col_start = sp[1].col;
		row.col_end = sp[7].col;
		row.bytes = INGEST_NO_BYTES;
		if (num_i64(sp[0].s, d, &row.seq, &bad) != NUM_OK) {
			ingest_bad_row(ing, f, L.lineno, 1, s, n,
				       "sequence number out of range");
			continue;
		}
		if (num_scaled(sp[1].s, sp[1].len, 6, &row.start_us, &bad) !=
		    NUM_OK) {
			ingest_bad_row(ing, f, L.lineno, sp[1].col, s, n,
				       "'%.*s' (expected the client start "
				       "time in epoch seconds, e.g. "
				       "1196266661.901)",
				       (int)sp[1].len, sp[1].s);
			continue;
		}
		if (num_scaled(sp[7].s, sp[7].len, 6, &row.end_us, &bad) !=
		    NUM_OK) {
			ingest_bad_row(ing, f, L.lineno, sp[7].col, s, n,
				       "'%.*s' (expected the client end time "
				       "in epoch seconds, e.g. 1196266661.911)",
				       (int)sp[7].len, sp[7].s);
			continue;
		}
		if (web_stamp(ing, f, L.lineno, s, n, &sp[2], &sp[3], &t1) !=
			    0 ||
		    web_stamp(ing, f, L.lineno, s, n, &sp[4], &sp[5], &t2) != 0)
			continue;
		if (t2 < t1) {
			ingest_bad_row(ing, f, L.lineno, sp[4].col, s, n,
				       "server end before server start "
				       "(expected the second microtime() pair "
				       "at or after the first)");
			continue;
		}
		row.server_us = t2 - t1;
		row.start_res = num_resolution(sp[1].s, sp[1].len, 6);
		if (nrow) {
			row.rowvals = rowvals;
			row.rowval_lens = rowlens;
		}
		if (ingest_row(ing, f, &row) != 0) {
			rc = -1;
			break;
		}
	}
	ingest_hash_finish(f, &L);
	lines_close(&L);
	return rc < 0 ? -1 : 0;
}

/* ================= paper-samba ================= */

/* seconds of the day for "HH:MM:SS", or -1 */
static long stamp_seconds(const char *s, size_t n)
{
	int h, m, sec;

	if (n != 8 || s[2] != ':' || s[5] != ':')
		return -1;
	for (size_t i = 0; i < 8; i++)
		if (i != 2 && i != 5 && (s[i] < '0' || s[i] > '9'))
			return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	sec = (s[6] - '0') * 10 + (s[7] - '0');
	if (h > 23 || m > 59 || sec > 59)
		return -2;
	return h * 3600L + m * 60L + sec;
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* epoch seconds of "YYYY-MM-DD" at 00:00 UTC, or -1 */
static int64_t parse_date(const char *s, size_t n)
{
	long y, m, d;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	return (int64_t)days_from_civil(y, m, d) * 86400;
}

static int is_phase(const char *s, size_t n)
{
	return n >= 3 && s[n - 1] == '.' && s[n - 2] == '.';
}

/* "100mb*2 ...." -> bytes per file, count, workload name; 0 if a transfer */
static int transfer_phase(const char *s, size_t n, int64_t *bytes,
			  char *workload, size_t wcap)
{
	size_t i = 0, ub;
	int64_t size = 0, count = 0, mult;

	while (i < n && s[i] >= '0' && s[i] <= '9' && size < 1000000000)
		size = size * 10 + (s[i++] - '0');
	if (i == 0)
		return -1;
	ub = i;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') ||
			 (s[i] >= 'A' && s[i] <= 'Z')))
		i++;
	if (i - ub == 1 && (s[ub] == 'b' || s[ub] == 'B'))
		mult = 1;
	else if (i - ub == 2 && (s[ub + 1] == 'b' || s[ub + 1] == 'B')) {
		switch (s[ub] | 0x20) {
		case 'k':
			mult = 1024;
			break;
		case 'm':
			mult = 1024 * 1024;
			break;
		case 'g':
			mult = INT64_C(1024) * 1024 * 1024;
			break;
		default:
			return -1;
		}
	} else
		return -1;
	if (i >= n || s[i] != '*')
		return -1;
	i++;
	if (i >= n || s[i] < '0' || s[i] > '9')
		return -1;
	while (i < n && s[i] >= '0' && s[i] <= '9' && count < 1000000000)
		count = count * 10 + (s[i++] - '0');
	*bytes = size * mult * count;
	snprintf(workload, wcap, "file-%lld%c", (long long)size,
		 mult == 1 ? 'b' : (char)(s[ub] | 0x20));
	return 0;
}

static int probe_samba(const char *s, size_t n)
{
	size_t i = 0;
	int first = 1, text_first = 0;

	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (s + i)) : n - i;
		const char *line = s + i;

		while (len > 0 && (line[len - 1] == '\r' ||
				   line[len - 1] == ' '))
			len--;
		if (len > 0) {
			if (first) {
				if (memchr(line, ',', len) ||
				    memchr(line, '\t', len) || line[0] == '#')
					return 0;
				text_first = stamp_seconds(line, len) == -1;
				first = 0;
			} else if (stamp_seconds(line, len) >= 0) {
				return text_first ? 3 : 0;
			}
		}
		if (!nl)
			break;
		i += len + 1;
		while (i < n && (s[i] == '\n' || s[i] == '\r'))
			i++;
	}
	return 0;
}

#define MAX_PHASES 64

struct block {
	int64_t stamp[MAX_PHASES + 1];
	long stamp_line[MAX_PHASES + 1];
	size_t nstamps;
	char *phase[MAX_PHASES];
	size_t phase_len[MAX_PHASES];
	long phase_line[MAX_PHASES];
	size_t nphases;
	long first_line;
};

struct samba {
	struct ingest *ing;
	struct ifile *f;
	int64_t date_s;
	int have_date;
	int64_t last_s; /* last stamp, epoch seconds */
	int have_last;
	char vm[256];
	int have_vm;
	int64_t rep;
	struct block b;
};

static void block_clear(struct block *b)
{
	for (size_t i = 0; i < b->nphases; i++)
		free(b->phase[i]);
	memset(b, 0, sizeof *b);
}

static int block_complete(const struct block *b)
{
	return b->nphases >= 1 && b->nstamps == b->nphases + 1;
}

static int finish_block(struct samba *sb, struct lines *L)
{
	struct block *b = &sb->b;
	int64_t seq = 0;
	int rc = 0;

	if (b->nstamps == 0 && b->nphases == 0)
		return 0;
	if (!block_complete(b)) {
		ingest_bad_row(sb->ing, sb->f, b->first_line, 0,
			       b->nphases ? b->phase[0] : "",
			       b->nphases ? b->phase_len[0] : 0,
			       "incomplete repetition: %zu time stamps around "
			       "%zu phases (expected one stamp more than "
			       "phases, ended at line %ld)",
			       b->nstamps, b->nphases, L->lineno);
		block_clear(b);
		return 0;
	}
	sb->rep++;
	for (size_t i = 0; i < b->nphases && rc == 0; i++) {
		char workload[64];
		const char *rowvals[2];
		size_t rowlens[2];
		struct row row;

		if (transfer_phase(b->phase[i], b->phase_len[i], &row.bytes,
				   workload, sizeof workload) != 0)
			continue;
		memset(&row, 0, sizeof row);
		transfer_phase(b->phase[i], b->phase_len[i], &row.bytes,
			       workload, sizeof workload);
		row.rep = sb->rep;
		row.seq = ++seq;
		row.start_us = b->stamp[i] * 1000000;
		row.end_us = b->stamp[i + 1] * 1000000;
		row.start_res = 1000000; /* HH:MM:SS stamps */
		row.server_us = INGEST_NO_SERVER;
		row.line = b->phase_line[i];
		row.col_start = row.col_end = row.col_rep = row.col_seq = 1;
		row.raw = b->phase[i];
		row.rawlen = b->phase_len[i];
		rowvals[0] = sb->have_vm ? sb->vm : NULL;
		rowlens[0] = sb->have_vm ? strlen(sb->vm) : 0;
		rowvals[1] = workload;
		rowlens[1] = strlen(workload);
		row.rowvals = rowvals;
		row.rowval_lens = rowlens;
		rc = ingest_row(sb->ing, sb->f, &row);
	}
	block_clear(b);
	return rc;
}

static int read_samba(struct ingest *ing, struct ifile *f)
{
	struct samba sb;
	struct lines L;
	const char *s;
	size_t n;
	int rc;
	const char *date = ingest_file_opts(ing, f)->date;

	memset(&sb, 0, sizeof sb);
	sb.ing = ing;
	sb.f = f;
	if (date) {
		sb.date_s = parse_date(date, strlen(date));
		if (sb.date_s < 0) {
			diag(DIAG_USAGE, "--date '%s': expected YYYY-MM-DD",
			     date);
			return -1;
		}
		sb.have_date = 1;
	}
	if (open_lines(ing, f, &L) != 0)
		return -1;
	while ((rc = next_line(ing, f, &L, &s, &n)) == 1) {
		long sec = stamp_seconds(s, n);
		int64_t d;

		if (sec == -2) {
			ingest_bad_row(ing, f, L.lineno, 1, s, n,
				       "'%.*s' is not a time of day (expected "
				       "HH:MM:SS, 00:00:00 to 23:59:59)",
				       (int)n, s);
			continue;
		}
		if (sec >= 0) {
			int64_t t;

			if (!sb.have_date) {
				ingest_file_error(
					ing, f, L.lineno, 1,
					"a time of day with no date: a "
					"paper-samba log has times only; give "
					"--date YYYY-MM-DD or put a YYYY-MM-DD "
					"line before the first time");
				rc = -1;
				break;
			}
			if (block_complete(&sb.b) &&
			    finish_block(&sb, &L) != 0) {
				rc = -1;
				break;
			}
			t = sb.date_s + sec;
			while (sb.have_last && t < sb.last_s) {
				sb.date_s += 86400; /* crossed midnight */
				t += 86400;
			}
			sb.last_s = t;
			sb.have_last = 1;
			if (sb.b.nstamps == MAX_PHASES + 1) {
				ingest_bad_row(ing, f, L.lineno, 1, s, n,
					       "more than %d time stamps in "
					       "one repetition",
					       MAX_PHASES + 1);
				block_clear(&sb.b);
				continue;
			}
			if (sb.b.nstamps == 0 && sb.b.nphases == 0)
				sb.b.first_line = L.lineno;
			sb.b.stamp_line[sb.b.nstamps] = L.lineno;
			sb.b.stamp[sb.b.nstamps++] = t;
			continue;
		}
		if (is_phase(s, n)) {
			if (sb.b.nstamps == 0) {
				ingest_bad_row(ing, f, L.lineno, 1, s, n,
					       "phase '%.*s' before any time "
					       "stamp (expected HH:MM:SS "
					       "first)",
					       (int)n, s);
				continue;
			}
			if (sb.b.nphases == MAX_PHASES) {
				ingest_bad_row(ing, f, L.lineno, 1, s, n,
					       "more than %d phases in one "
					       "repetition",
					       MAX_PHASES);
				continue;
			}
			sb.b.phase[sb.b.nphases] = strndup(s, n);
			sb.b.phase_len[sb.b.nphases] = n;
			sb.b.phase_line[sb.b.nphases++] = L.lineno;
			continue;
		}
		/* a date, or a VM name: both end the repetition before */
		if (finish_block(&sb, &L) != 0) {
			rc = -1;
			break;
		}
		d = parse_date(s, n);
		if (d >= 0) {
			sb.date_s = d;
			sb.have_date = 1;
			sb.have_last = 0;
			continue;
		}
		if (n >= sizeof sb.vm || !utf8_ok(s, n)) {
			ingest_bad_row(ing, f, L.lineno, 1, s, n,
				       "expected a VM name (UTF-8, under 256 "
				       "bytes), HH:MM:SS or a phase ending "
				       "in '..'");
			continue;
		}
		memcpy(sb.vm, s, n);
		sb.vm[n] = '\0';
		sb.have_vm = 1;
	}
	if (rc == 0)
		rc = finish_block(&sb, &L);
	block_clear(&sb.b);
	ingest_hash_finish(f, &L);
	lines_close(&L);
	return rc < 0 ? -1 : 0;
}

static int scan_samba(struct ingest *ing, struct ifile *f)
{
	(void)ing;
	f->own_reps = 1;      /* one a block of stamps */
	f->single_client = 1; /* one batch after the other */
	return ifile_add_rowkey(f, "vm", 2) != 0 ||
			       ifile_add_rowkey(f, "workload", 8) != 0
		       ? -1
		       : 0;
}


const struct format format_paper_web = { "paper-web", probe_web, scan_web,
					 read_web };
const struct format format_paper_samba = { "paper-samba", probe_samba,
					   scan_samba, read_samba };
