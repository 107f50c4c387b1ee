/*
 * Delimited logs: native (vmnetrank-log 1), csv and tsv.
 *
 * All three are a header row and one row per operation, read by csvread
 * (libcsv plus the fast path).  Native adds a "# vmnetrank-log 1" first
 * line and "# key=value" header lines, takes its columns by their fixed
 * names, and makes every other column a label.  csv and tsv take columns
 * through --map FIELD=COLUMN[:UNIT] (or the native names by default) and
 * ignore unmapped columns.
 */
#include "ingest_int.h"
#include "../lib/csvread.h"
#include "../lib/diag.h"
#include "../lib/num.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum role {
	R_START,
	R_END,
	R_DURATION,
	R_REP,
	R_SEQ,
	R_BYTES,
	R_STATUS,
	R_SERVER,
	R_WARMUP,
	NROLES
};

static const struct {
	const char *field;  /* name in --map */
	const char *column; /* default column name */
	int time;           /* a time: takes a unit, default us */
} roles[NROLES] = {
	[R_START] = { "start", "start_us", 1 },
	[R_END] = { "end", "end_us", 1 },
	[R_DURATION] = { "duration", "duration_us", 1 },
	[R_REP] = { "rep", "rep", 0 },
	[R_SEQ] = { "seq", "seq", 0 },
	[R_BYTES] = { "bytes", "bytes", 0 },
	[R_STATUS] = { "status", "status", 0 },
	[R_SERVER] = { "server", "server_us", 1 },
	[R_WARMUP] = { "warmup", "warmup", 0 },
};

struct layout {
	long col[NROLES]; /* column index, -1 when absent */
	int pow10[NROLES];
	size_t ncols;
	long *labelcol; /* per rowkey of the file */
	long header_line;
	int strict_int; /* native: integer microseconds only */
};

/* One parsed --map. */
struct map {
	const char *field;
	size_t flen;
	const char *column;
	size_t clen;
	int pow10; /* -100: not given */
};

static int parse_map(const char *s, struct map *m, const char **why)
{
	const char *eq = strchr(s, '=');
	const char *colon;

	if (!eq || eq == s || !eq[1]) {
		*why = "expected FIELD=COLUMN[:UNIT], e.g. start=seconds:s";
		return -1;
	}
	m->field = s;
	m->flen = (size_t)(eq - s);
	m->column = eq + 1;
	m->clen = strlen(eq + 1);
	m->pow10 = -100;
	colon = strrchr(eq + 1, ':');
	if (colon) {
		int p = num_unit_pow10(colon + 1);

		if (p == -100) {
			*why = "unknown unit after ':' (expected s, ms, us or "
			       "ns)";
			return -1;
		}
		m->pow10 = p;
		m->clen = (size_t)(colon - m->column);
		if (m->clen == 0) {
			*why = "expected a column name before the unit";
			return -1;
		}
	}
	return 0;
}

static int role_of(const char *field, size_t n)
{
	for (int r = 0; r < NROLES; r++)
		if (strlen(roles[r].field) == n &&
		    memcmp(roles[r].field, field, n) == 0)
			return r;
	return -1;
}

static void map_error(const char *map, const char *why)
{
	diag(DIAG_USAGE, "--map '%s': %s", map, why);
}

int ingest_check_maps(const struct ingest_options *o)
{
	int rc = 0;

	for (size_t i = 0; i < o->nmaps; i++) {
		struct map m;
		const char *why;
		int r;

		if (parse_map(o->maps[i], &m, &why) != 0) {
			map_error(o->maps[i], why);
			rc = -1;
			continue;
		}
		r = role_of(m.field, m.flen);
		if (r < 0 && label_key_ok(m.field, m.flen, &why) != 0) {
			map_error(o->maps[i],
				       "unknown field (expected start, end, "
				       "duration, rep, seq, bytes, status, "
				       "server, warmup, or a label name)");
			rc = -1;
			continue;
		}
		if (m.pow10 != -100 && (r < 0 || !roles[r].time)) {
			map_error(o->maps[i],
				       "only start, end, duration and server "
				       "take a unit");
			rc = -1;
		}
	}
	return rc;
}

/* ---- header ---- */

struct labelcols {
	const char *key[64];
	size_t klen[64];
	long col[64];
	size_t n;
};

static long find_column(const struct csvread *r, const char *name, size_t n)
{
	size_t i;
	long idx = 0;

	for (i = 0; i < r->nf; i++)
		if (r->f[i].len == n && memcmp(r->f[i].s, name, n) == 0)
			return (long)i;
	for (i = 0; i < n; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		idx = idx * 10 + (name[i] - '0');
		if (idx > 100000)
			return -1;
	}
	if (n > 0 && idx >= 1 && (size_t)idx <= r->nf)
		return idx - 1;
	return -1;
}

static void list_columns(const struct csvread *r, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->nf && len + 4 < cap; i++) {
		int w = snprintf(buf + len, cap - len, "%s%.*s", i ? ", " : "",
				 (int)r->f[i].len, r->f[i].s);

		if (w < 0)
			break;
		len += (size_t)w;
	}
	if (len >= cap)
		buf[cap - 1] = '\0';
}

/* csv and tsv: the header's columns that no role, --map or --ignore uses
 * and that are not samples.csv columns, as "vm, label" in f->unused. */
static int unused_columns(struct ingest *ing, struct ifile *f,
			  const struct csvread *r, const struct layout *lo,
			  const struct labelcols *lc)
{
	size_t len = 0;

	free(f->unused);
	f->unused = NULL;
	for (size_t i = 0; i < r->nf; i++) {
		const struct csvfield *c = &r->f[i];
		const char *why;
		int used = 0;

		for (int k = 0; k < NROLES; k++)
			used |= lo->col[k] == (long)i;
		for (size_t j = 0; j < lc->n; j++)
			used |= lc->col[j] == (long)i;
		used |= ingest_ignored(ing, c->s, c->len);
		/* a samples.csv column (duration_us beside start and end) */
		if (used || (label_key_ok(c->s, c->len, &why) != 0 &&
			     strcmp(why, label_reserved_why) == 0))
			continue;
		{
			char *nu = realloc(f->unused, len + c->len + 3);

			if (!nu)
				return -1;
			f->unused = nu;
			if (len) {
				memcpy(nu + len, ", ", 2);
				len += 2;
			}
			memcpy(nu + len, c->s, c->len);
			len += c->len;
			nu[len] = '\0';
		}
	}
	return 0;
}

/* Read the header row at the reader's position and settle the columns.
 * NATIVE makes unmapped columns labels.  0, -1, or 1 for a walked file
 * whose first line names none of the columns a log needs. */
static int read_header(struct ingest *ing, struct ifile *f, struct csvread *r,
		       struct layout *lo, struct labelcols *lc, int native)
{
	const struct ingest_options *o = ingest_opts(ing);
	int rc;
	char cols[512];
	int mapped[NROLES] = { 0 };

	do
		rc = csvread_next(r);
	while (rc == CSVREAD_COMMENT);
	if (rc == CSVREAD_EOF) {
		ingest_file_error(ing, f, r->L.lineno, 0,
				  "no header row (expected column names, "
				  "e.g. rep,seq,start_us,end_us)");
		return -1;
	}
	if (rc == CSVREAD_ERROR) {
		ingest_file_error(ing, f, r->err_line, r->err_col, "%s",
				  r->error);
		return -1;
	}
	lo->header_line = r->rec_line;
	lo->ncols = r->nf;
	lo->strict_int = native;
	lc->n = 0;
	for (size_t i = 0; i < r->nf; i++) {
		if (r->f[i].len == 0) {
			ingest_file_error(ing, f, r->f[i].line, r->f[i].col,
					  "empty column name in the header "
					  "row (expected a name)");
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (r->f[j].len == r->f[i].len &&
			    memcmp(r->f[j].s, r->f[i].s, r->f[i].len) == 0) {
				ingest_file_error(ing, f, r->f[i].line,
						  r->f[i].col,
						  "column '%.*s' appears twice "
						  "in the header row",
						  (int)r->f[i].len, r->f[i].s);
				return -1;
			}
	}
	list_columns(r, cols, sizeof cols);
	for (int k = 0; k < NROLES; k++) {
		lo->col[k] = find_column(r, roles[k].column,
					 strlen(roles[k].column));
		if (lo->col[k] >= 0 &&
		    r->f[lo->col[k]].len != strlen(roles[k].column))
			lo->col[k] = -1; /* numeric match only via --map */
		lo->pow10[k] = 0;
	}
	if (!native && f->walked) {
		/* a text file found beside the logs whose first line names
		 * none of the columns a log needs is no log at all */
		int any = 0;

		for (int k = 0; k < NROLES; k++)
			any |= lo->col[k] >= 0;
		for (size_t i = 0; i < o->nmaps && !any; i++) {
			struct map m;
			const char *why;

			any = parse_map(o->maps[i], &m, &why) == 0 &&
			      find_column(r, m.column, m.clen) >= 0;
		}
		if (!any)
			return 1;
	}
	for (size_t i = 0; i < o->nmaps; i++) {
		struct map m;
		const char *why;
		int k;
		long c;

		if (parse_map(o->maps[i], &m, &why) != 0)
			return -1; /* reported by ingest_check_maps */
		c = find_column(r, m.column, m.clen);
		if (c < 0) {
			ingest_file_error(ing, f, lo->header_line, 0,
					  "--map %s: no column '%.*s' (columns: "
					  "%s)",
					  o->maps[i], (int)m.clen, m.column,
					  cols);
			return -1;
		}
		k = role_of(m.field, m.flen);
		if (k >= 0) {
			lo->col[k] = c;
			lo->pow10[k] = m.pow10 == -100 ? 0 : m.pow10;
			mapped[k] = 1;
			if (native)
				lo->strict_int = 0;
		} else if (lc->n < 64) {
			lc->key[lc->n] = m.field;
			lc->klen[lc->n] = m.flen;
			lc->col[lc->n] = c;
			lc->n++;
		}
	}
	if (!native && unused_columns(ing, f, r, lo, lc) != 0)
		return -1;
	if (native) {
		for (size_t i = 0; i < r->nf; i++) {
			int used = 0;
			const char *why;

			for (int k = 0; k < NROLES; k++)
				if (lo->col[k] == (long)i)
					used = 1;
			for (size_t j = 0; j < lc->n; j++)
				if (lc->col[j] == (long)i)
					used = 1;
			if (used)
				continue;
			if (label_key_ok(r->f[i].s, r->f[i].len, &why) != 0) {
				ingest_file_error(ing, f, r->f[i].line,
						  r->f[i].col,
						  "column '%.*s' is neither a "
						  "known column nor a label "
						  "name: %s",
						  (int)r->f[i].len, r->f[i].s,
						  why);
				return -1;
			}
			if (lc->n == 64) {
				ingest_file_error(ing, f, r->f[i].line,
						  r->f[i].col,
						  "more than 64 label columns");
				return -1;
			}
			lc->key[lc->n] = r->f[i].s;
			lc->klen[lc->n] = r->f[i].len;
			lc->col[lc->n] = (long)i;
			lc->n++;
		}
		for (int k = R_REP; k <= R_SEQ; k++)
			if (lo->col[k] < 0) {
				ingest_file_error(
					ing, f, lo->header_line, 0,
					"no '%s' column (expected at least "
					"rep,seq,start_us,end_us; columns: %s)",
					roles[k].column, cols);
				return -1;
			}
	}
	{
		int have = (lo->col[R_START] >= 0) + (lo->col[R_END] >= 0) +
			   (lo->col[R_DURATION] >= 0);

		if (have < 2 || (lo->col[R_START] < 0 && lo->col[R_END] < 0)) {
			ingest_file_error(
				ing, f, lo->header_line, 0,
				"no start and end times (expected columns "
				"start_us and end_us, or map two of start, "
				"end and duration, e.g. --map "
				"start=seconds:s --map duration=ttime:ms; "
				"columns: %s)",
				cols);
			return -1;
		}
	}
	(void)mapped;
	return 0;
}

static int scan_native_header(struct ingest *ing, struct ifile *f,
			      struct csvread *r)
{
	struct lines *L = csvread_lines(r);
	const char *s;
	size_t n;

	if (lines_next(L, &s, &n) != 1 || n < 15 ||
	    memcmp(s, "# vmnetrank-log", 15) != 0) {
		ingest_file_error(ing, f, 1, 1,
				  "expected '# vmnetrank-log 1' as the first "
				  "line of a native log");
		return -1;
	}
	{
		size_t i = 15;

		while (i < n && s[i] == ' ')
			i++;
		if (!(n - i == 1 && s[i] == '1')) {
			ingest_file_error(ing, f, 1, (long)i + 1,
					  "unsupported native log version "
					  "'%.*s' (expected 1)",
					  (int)(n - i), s + i);
			return -1;
		}
	}
	while (lines_next(L, &s, &n) == 1) {
		size_t i = 1, kb, ke, vb;
		const char *why;

		if (n == 0 || s[0] != '#') {
			lines_unread(L);
			break;
		}
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		kb = i;
		while (i < n && s[i] != '=' && s[i] != ' ' && s[i] != '\t')
			i++;
		ke = i;
		if (i >= n || s[i] != '=' || ke == kb)
			continue; /* a free comment */
		vb = i + 1;
		while (n > vb && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (label_key_ok(s + kb, ke - kb, &why) != 0) {
			ingest_file_error(ing, f, L->lineno, (long)kb + 1,
					  "header label '%.*s': %s",
					  (int)(ke - kb), s + kb, why);
			continue;
		}
		if (vb >= n || !utf8_ok(s + vb, n - vb)) {
			ingest_file_error(ing, f, L->lineno, (long)vb + 1,
					  "header label '%.*s': expected a "
					  "non-empty UTF-8 value",
					  (int)(ke - kb), s + kb);
			continue;
		}
		{
			char key[80];

			snprintf(key, sizeof key, "%.*s", (int)(ke - kb),
				 s + kb);
			if (kvlist_set(is_meta_key(key) ? &f->meta : &f->labels,
				       s + kb, ke - kb, s + vb, n - vb,
				       L->lineno) != 0)
				return -1;
		}
	}
	return 0;
}

/*
 * What a native header and the end of the file say: how the log ends (the
 * collector's last line is "# finished ..." or "# interrupted ..."; a
 * collector log with neither was killed), whether one client made it (the
 * collector is one client, unless meta.clients says more), and how many
 * operations a repetition should hold (meta.ops).
 */
static void native_facts(struct ifile *f)
{
	const char *clients = kvlist_get(&f->meta, "meta.clients");
	const char *ops = kvlist_get(&f->meta, "meta.ops");
	int collector = kvlist_get(&f->meta, "collector") != NULL;
	char buf[4096];
	int fd = open(ifile_open_path(f), O_RDONLY);
	struct stat st;

	if (clients)
		f->single_client = strcmp(clients, "1") == 0;
	else
		f->single_client = collector;
	if (ops)
		f->expected_ops = strtol(ops, NULL, 10);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && st.st_size > 0) {
		off_t from = st.st_size > (off_t)sizeof buf - 1
				     ? st.st_size - (off_t)sizeof buf + 1
				     : 0;
		ssize_t n = pread(fd, buf, sizeof buf - 1, from);

		if (n > 0) {
			char *line;

			while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
					 buf[n - 1] == ' '))
				n--;
			buf[n] = '\0';
			line = strrchr(buf, '\n');
			line = line ? line + 1 : buf;
			if (strncmp(line, "# finished", 10) == 0)
				f->tail = TAIL_FINISHED;
			else if (strncmp(line, "# interrupted", 13) == 0)
				f->tail = TAIL_INTERRUPTED;
			else if (collector)
				f->tail = TAIL_KILLED;
		}
	}
	close(fd);
	if (f->tail == TAIL_INTERRUPTED || f->tail == TAIL_KILLED)
		f->interrupted = 1;
}

static int open_reader(struct ingest *ing, struct ifile *f, struct csvread *r,
		       unsigned char delim, int native)
{
	if (csvread_open(r, ifile_open_path(f), delim, native ? '#' : 0,
			 !ingest_opts(ing)->no_fast_path) != 0) {
		ingest_file_error(ing, f, 0, 0, "%s: %s", r->error,
				  strerror(r->L.err_errno));
		return -1;
	}
	return 0;
}

static int scan_common(struct ingest *ing, struct ifile *f,
		       unsigned char delim, int native)
{
	struct csvread r;
	struct layout lo;
	struct labelcols lc;
	int rc = -1;

	if (open_reader(ing, f, &r, delim, native) != 0)
		return -1;
	if (native && scan_native_header(ing, f, &r) != 0)
		goto out;
	rc = read_header(ing, f, &r, &lo, &lc, native);
	if (rc != 0)
		goto out;
	rc = -1;
	for (size_t i = 0; i < lc.n; i++)
		if (ifile_add_rowkey(f, lc.key[i], lc.klen[i]) != 0)
			goto out;
	if (lo.col[R_SERVER] >= 0)
		f->has_server = 1;
	f->own_reps = lo.col[R_REP] >= 0;
	if (native)
		native_facts(f);
	rc = 0;
out:
	csvread_close(&r);
	return rc;
}

static int scan_native(struct ingest *ing, struct ifile *f)
{
	return scan_common(ing, f, ',', 1);
}

static int scan_csv(struct ingest *ing, struct ifile *f)
{
	return scan_common(ing, f, ',', 0);
}

static int scan_tsv(struct ingest *ing, struct ifile *f)
{
	return scan_common(ing, f, '\t', 0);
}

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
		     int64_t *out)
{
	const struct csvfield *fd = &r->f[lo->col[k]];
	size_t bad;
	int st;

	if (roles[k].time && !lo->strict_int)
		st = num_scaled(fd->s, fd->len, lo->pow10[k], out, &bad);
	else
		st = num_i64(fd->s, fd->len, out, &bad);
	if (st == NUM_OK)
		return 0;
	if (st == NUM_EMPTY)
		ingest_bad_row(ing, f, fd->line, fd->col, r->raw, r->rawlen,
			       "missing value in column %ld (expected %s%s%s)",
			       lo->col[k] + 1, field_what(k, lo),
			       roles[k].time ? " in " : "",
			       roles[k].time ? unit_name(lo->pow10[k]) : "");
	else if (st == NUM_RANGE)
		ingest_bad_row(ing, f, fd->line, fd->col, r->raw, r->rawlen,
			       "number '%.*s' out of range (expected %s)",
			       (int)fd->len, fd->s, field_what(k, lo));
	else
		ingest_bad_row(ing, f, fd->line, fd->col + (long)bad, r->raw,
			       r->rawlen, "'%.*s' is not a number (expected %s%s%s)",
			       (int)fd->len, fd->s, field_what(k, lo),
			       roles[k].time ? (lo->strict_int
							? " as integer "
							: " in ")
					     : "",
			       roles[k].time ? unit_name(lo->pow10[k]) : "");
	return -1;
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

static int read_common(struct ingest *ing, struct ifile *f,
		       unsigned char delim, int native)
{
	struct csvread r;
	struct layout lo;
	struct labelcols lc;
	const char *vals[64];
	size_t lens[64];
	long dataline = 0;
	int rc = -1, warned_eol = 0;

	if (open_reader(ing, f, &r, delim, native) != 0)
		return -1;
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
	if (read_header(ing, f, &r, &lo, &lc, native) != 0)
		goto out;
	if (lc.n != f->nrowkeys)
		goto out; /* the file changed between the passes */
	for (;;) {
		struct row row;
		int st = csvread_next(&r);

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
		memset(&row, 0, sizeof row);
		row.line = r.rec_line;
		row.raw = r.raw;
		row.rawlen = r.rawlen;
		row.bytes = INGEST_NO_BYTES;
		row.server_us = INGEST_NO_SERVER;
		{
			int64_t t[3];
			int ok = 1;

			for (int k = R_START; k <= R_DURATION; k++)
				if (lo.col[k] >= 0 &&
				    num_field(ing, f, &r, &lo, k, &t[k]) != 0)
					ok = 0;
			if (lo.col[R_REP] >= 0) {
				if (num_field(ing, f, &r, &lo, R_REP,
					      &row.rep) != 0)
					ok = 0;
				row.col_rep = r.f[lo.col[R_REP]].col;
			} else {
				row.rep = 1;
			}
			if (lo.col[R_SEQ] >= 0) {
				if (num_field(ing, f, &r, &lo, R_SEQ,
					      &row.seq) != 0)
					ok = 0;
				row.col_seq = r.f[lo.col[R_SEQ]].col;
			} else {
				row.seq = dataline;
			}
			if (lo.col[R_BYTES] >= 0 &&
			    r.f[lo.col[R_BYTES]].len > 0) {
				if (num_field(ing, f, &r, &lo, R_BYTES,
					      &row.bytes) != 0)
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
			    num_field(ing, f, &r, &lo, R_SERVER,
				      &row.server_us) != 0)
				ok = 0;
			if (lo.col[R_WARMUP] >= 0 &&
			    warmup_field(ing, f, &r, &lo, &row.warmup) != 0)
				ok = 0;
			if (lo.col[R_STATUS] >= 0) {
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

				row.start_res = num_resolution(fd->s, fd->len,
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
out:
	csvread_close(&r);
	return rc;
}

static int read_native(struct ingest *ing, struct ifile *f)
{
	return read_common(ing, f, ',', 1);
}

static int read_csv(struct ingest *ing, struct ifile *f)
{
	return read_common(ing, f, ',', 0);
}

static int read_tsv(struct ingest *ing, struct ifile *f)
{
	return read_common(ing, f, '\t', 0);
}

/* ---- detection ---- */

static size_t first_line(const char *s, size_t n)
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
	size_t len = first_line(s, n);

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

const struct format format_native = { "native", probe_native, scan_native,
				      read_native };
const struct format format_csv = { "csv", probe_csv, scan_csv, read_csv };
const struct format format_tsv = { "tsv", probe_tsv, scan_tsv, read_tsv };
