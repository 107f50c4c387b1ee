/*
 * Delimited logs: native (vmnetrank-log 1), csv and tsv.
 *
 * All three are a header row and one row per operation, read by csvread
 * (libcsv plus the fast path).  Native adds a "# vmnetrank-log 1" first
 * line and "# key=value" header lines, takes its columns by their fixed
 * names, and makes every other column a label.  csv and tsv take columns
 * through --map FIELD=COLUMN[:UNIT] (or the native names by default) and
 * ignore unmapped columns.
 *
 * Presets (ab, jmeter, curl, siege's log) are csv or tsv with the runner's
 * own columns mapped, its status rule and its quirks: a preset is a table
 * row below, not code of its own, except for a status made of two or three
 * columns (JMeter's success and response code, curl's exit and HTTP
 * codes, siege's counts).
 */
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
	int dur_only;   /* a duration and no start or end: no stamps */
	int headerless; /* the first row is data (--no-header, presets) */
	const struct preset *pre;
	long aux[3];    /* the preset's extra columns, -1 when absent */
	long skip_col;  /* the preset's column marking rows to skip */
};

/* The names of a file's columns: its header row, a preset's list for a
 * file without one, or none at all (--no-header: numbers only). */
struct names {
	const struct csvfield *f;
	size_t n;
	struct csvfield own[32];
};

#define UNIT_ISO 100 /* a date-time (lib/timestamp.h), not a number */

enum { PH_YES, PH_NO, PH_MAYBE };

struct preset {
	const char *name, *tool;
	unsigned char delim;
	int header;                     /* PH_*: does the file have one */
	const char *const *cols;        /* the runner's columns, in order */
	const char *const *maps;        /* its --map lines */
	const char *aux[3];             /* extra columns the status reads */
	int (*status)(const struct csvread *r, const struct layout *lo,
		      char *buf, size_t cap, const char **s, size_t *n);
	const char *skip_col, *skip_prefix; /* rows to leave out */
	const char *skip_what;
	const char *warning;            /* said once, whatever the files */
	int rep_per_row;                /* each row is one repetition */
};

/* One parsed --map. */
struct map {
	const char *field;
	size_t flen;
	const char *column;
	size_t clen;
	int pow10; /* -100: not given; UNIT_ISO: a date-time */
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
		int p = strcmp(colon + 1, "iso") == 0 ? UNIT_ISO
						       : num_unit_pow10(colon + 1);

		if (p == -100) {
			*why = "unknown unit after ':' (expected s, ms, us, "
			       "ns, or iso for a date-time)";
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
		} else if (m.pow10 == UNIT_ISO && r != R_START && r != R_END) {
			map_error(o->maps[i],
				  "only start and end can be date-times "
				  "(:iso); a duration takes s, ms, us or ns");
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

static long find_column(const struct names *nm, const char *name, size_t n)
{
	size_t i;
	long idx = 0;

	for (i = 0; i < nm->n; i++)
		if (nm->f[i].len == n && memcmp(nm->f[i].s, name, n) == 0)
			return (long)i;
	for (i = 0; i < n; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		idx = idx * 10 + (name[i] - '0');
		if (idx > 100000)
			return -1;
	}
	if (n > 0 && idx >= 1 && (size_t)idx <= nm->n)
		return idx - 1;
	return -1;
}

static void list_columns(const struct names *nm, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < nm->n && len + 4 < cap; i++) {
		int w = nm->f[i].len
				? snprintf(buf + len, cap - len, "%s%.*s",
					   i ? ", " : "", (int)nm->f[i].len,
					   nm->f[i].s)
				: snprintf(buf + len, cap - len, "%s%zu",
					   i ? ", " : "", i + 1);

		if (w < 0)
			break;
		len += (size_t)w;
	}
	if (len >= cap)
		buf[cap - 1] = '\0';
}

static int in_list(const char *const *l, const char *s, size_t n)
{
	for (; l && *l; l++)
		if (strlen(*l) == n && memcmp(*l, s, n) == 0)
			return 1;
	return 0;
}

/* csv and tsv: the header's columns that no role, --map or --ignore uses
 * and that are not samples.csv columns, as "vm, label" in f->unused.  A
 * preset's own columns are the runner's, not labels. */
static int unused_columns(struct ingest *ing, struct ifile *f,
			  const struct names *nm, const struct layout *lo,
			  const struct labelcols *lc)
{
	size_t len = 0;

	free(f->unused);
	f->unused = NULL;
	for (size_t i = 0; i < nm->n; i++) {
		const struct csvfield *c = &nm->f[i];
		const char *why;
		int used = 0;
		char num[24];

		for (int k = 0; k < NROLES; k++)
			used |= lo->col[k] == (long)i;
		for (size_t j = 0; j < lc->n; j++)
			used |= lc->col[j] == (long)i;
		for (int j = 0; j < 3; j++)
			used |= lo->aux[j] == (long)i;
		used |= lo->pre && in_list(lo->pre->cols, c->s, c->len);
		if (c->len == 0) { /* --no-header: by number */
			snprintf(num, sizeof num, "%zu", i + 1);
			used |= ingest_ignored(ing, f, num, strlen(num));
		} else {
			used |= ingest_ignored(ing, f, c->s, c->len);
		}
		/* a samples.csv column (duration_us beside start and end) */
		if (used || (c->len && label_key_ok(c->s, c->len, &why) != 0 &&
			     strcmp(why, label_reserved_why) == 0))
			continue;
		{
			const char *s = c->len ? c->s : num;
			size_t sl = c->len ? c->len : strlen(num);
			char *nu = realloc(f->unused, len + sl + 3);

			if (!nu)
				return -1;
			f->unused = nu;
			if (len) {
				memcpy(nu + len, ", ", 2);
				len += 2;
			}
			memcpy(nu + len, s, sl);
			len += sl;
			nu[len] = '\0';
		}
	}
	return 0;
}

/* The maps of a file: its preset's, then --map (a later one wins). */
static size_t nmaps_of(const struct ingest_options *o, const struct layout *lo)
{
	size_t n = o->nmaps;

	if (lo->pre)
		for (const char *const *m = lo->pre->maps; *m; m++)
			n++;
	return n;
}

static const char *map_at(const struct ingest_options *o,
			  const struct layout *lo, size_t i)
{
	size_t np = 0;

	if (lo->pre)
		for (const char *const *m = lo->pre->maps; *m; m++)
			np++;
	return i < np ? lo->pre->maps[i] : o->maps[i - np];
}

static int open_reader(struct ingest *ing, struct ifile *f, struct csvread *r,
		       unsigned char delim, int native);

/* Is this first record of a PH_MAYBE preset file a header row?  JMeter's
 * starts with a name; its data rows with a time stamp. */
static int looks_like_header(const struct csvread *r)
{
	if (r->nf == 0 || r->f[0].len == 0)
		return 1;
	for (size_t i = 0; i < r->f[0].len; i++)
		if (r->f[0].s[i] < '0' || r->f[0].s[i] > '9')
			return 1;
	return 0;
}

/* Read the header row at the reader's position and settle the columns.
 * NATIVE makes unmapped columns labels.  0, -1, or 1 for a walked file
 * whose first line names none of the columns a log needs.  A file without
 * a header row leaves the reader at its first row. */
static int read_header(struct ingest *ing, struct ifile *f, struct csvread *r,
		       struct layout *lo, struct labelcols *lc, int native,
		       const struct preset *pre)
{
	const struct ingest_options *o = ingest_file_opts(ing, f);
	int rc;
	char cols[512];
	struct names nm;
	size_t nmaps;

	memset(lo, 0, sizeof *lo);
	lo->pre = pre;
	lo->aux[0] = lo->aux[1] = lo->aux[2] = lo->skip_col = -1;
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
	nm.f = r->f;
	nm.n = r->nf;
	if (!native && (o->no_header || (pre && pre->header == PH_NO) ||
			(pre && pre->header == PH_MAYBE && !looks_like_header(r)))) {
		/* the first row is data: names from the preset, or none */
		size_t want = 0;

		lo->headerless = 1;
		lo->header_line = 0;
		if (pre && !o->no_header) {
			for (const char *const *c = pre->cols; *c; c++)
				want++;
			if (r->nf != want) {
				ingest_file_error(ing, f, r->rec_line, 0,
						  "%zu fields in the first row, "
						  "and no header row (expected "
						  "%s's %zu columns: %s, or a "
						  "header row naming them)",
						  r->nf, pre->name, want,
						  pre->cols[0]);
				return -1;
			}
		}
		if (r->nf > sizeof nm.own / sizeof nm.own[0]) {
			ingest_file_error(ing, f, r->rec_line, 0,
					  "%zu fields: a file without a header "
					  "row may have at most %zu",
					  r->nf,
					  sizeof nm.own / sizeof nm.own[0]);
			return -1;
		}
		for (size_t i = 0; i < r->nf; i++) {
			nm.own[i].s = want ? pre->cols[i] : "";
			nm.own[i].len = want ? strlen(pre->cols[i]) : 0;
			nm.own[i].line = r->f[i].line;
			nm.own[i].col = r->f[i].col;
		}
		nm.f = nm.own;
	}
	if (!lo->headerless)
		for (size_t i = 0; i < r->nf; i++) {
			if (r->f[i].len == 0) {
				ingest_file_error(ing, f, r->f[i].line,
						  r->f[i].col,
						  "empty column name in the "
						  "header row (expected a name, "
						  "or --no-header for a file "
						  "without one)");
				return -1;
			}
			for (size_t j = 0; j < i; j++)
				if (r->f[j].len == r->f[i].len &&
				    memcmp(r->f[j].s, r->f[i].s,
					   r->f[i].len) == 0) {
					ingest_file_error(
						ing, f, r->f[i].line,
						r->f[i].col,
						"column '%.*s' appears twice "
						"in the header row",
						(int)r->f[i].len, r->f[i].s);
					return -1;
				}
		}
	list_columns(&nm, cols, sizeof cols);
	for (int k = 0; k < NROLES; k++) {
		lo->col[k] = -1;
		if (!pre) {
			lo->col[k] = find_column(&nm, roles[k].column,
						 strlen(roles[k].column));
			if (lo->col[k] >= 0 &&
			    nm.f[lo->col[k]].len != strlen(roles[k].column))
				lo->col[k] = -1; /* numeric match only via --map */
		}
		lo->pow10[k] = 0;
	}
	nmaps = nmaps_of(o, lo);
	if (!native && !pre && f->walked) {
		/* a text file found beside the logs whose first line names
		 * none of the columns a log needs is no log at all */
		int any = 0;

		for (int k = 0; k < NROLES; k++)
			any |= lo->col[k] >= 0;
		for (size_t i = 0; i < o->nmaps && !any; i++) {
			struct map m;
			const char *why;

			any = parse_map(o->maps[i], &m, &why) == 0 &&
			      find_column(&nm, m.column, m.clen) >= 0;
		}
		if (!any)
			return 1;
	}
	for (size_t i = 0; i < nmaps; i++) {
		const char *ms = map_at(o, lo, i);
		struct map m;
		const char *why;
		int k;
		long c;

		if (parse_map(ms, &m, &why) != 0)
			return -1; /* reported by ingest_check_maps */
		c = find_column(&nm, m.column, m.clen);
		if (c < 0) {
			if (pre && i < nmaps - o->nmaps)
				ingest_file_error(ing, f, lo->header_line, 0,
						  "no column '%.*s', which %s "
						  "logs have (columns: %s; is "
						  "this a %s log?)",
						  (int)m.clen, m.column,
						  pre->name, cols, pre->name);
			else
				ingest_file_error(ing, f, lo->header_line, 0,
						  "--map %s: no column '%.*s' "
						  "(columns: %s)",
						  ms, (int)m.clen, m.column, cols);
			return -1;
		}
		k = role_of(m.field, m.flen);
		if (k >= 0) {
			lo->col[k] = c;
			lo->pow10[k] = m.pow10 == -100 ? 0 : m.pow10;
			if (native)
				lo->strict_int = 0;
		} else {
			size_t j;

			for (j = 0; j < lc->n; j++)
				if (lc->klen[j] == m.flen &&
				    memcmp(lc->key[j], m.field, m.flen) == 0)
					break;
			if (j < 64) {
				lc->key[j] = m.field;
				lc->klen[j] = m.flen;
				lc->col[j] = c;
				if (j == lc->n)
					lc->n++;
			}
		}
	}
	if (pre) {
		for (int j = 0; j < 3 && pre->aux[j]; j++)
			lo->aux[j] = find_column(&nm, pre->aux[j],
						 strlen(pre->aux[j]));
		if (pre->skip_col)
			lo->skip_col = find_column(&nm, pre->skip_col,
						   strlen(pre->skip_col));
	}
	if (!native && unused_columns(ing, f, &nm, lo, lc) != 0)
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

		if (have == 1 && lo->col[R_DURATION] >= 0 && !native) {
			lo->dur_only = 1; /* durations, no stamps */
		} else if (have < 2 ||
			   (lo->col[R_START] < 0 && lo->col[R_END] < 0)) {
			ingest_file_error(
				ing, f, lo->header_line, 0,
				"no start and end times (expected columns "
				"start_us and end_us, or map two of start, "
				"end and duration, e.g. --map "
				"start=seconds:s --map duration=ttime:ms, or "
				"a duration alone; columns: %s)",
				cols);
			return -1;
		}
	}
	if (lo->headerless) {
		/* read the first row again, as data */
		unsigned char d = r->delim;

		csvread_close(r);
		if (open_reader(ing, f, r, d, 0) != 0)
			return -1;
	}
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
		       unsigned char delim, int native, const struct preset *pre)
{
	struct csvread r;
	struct layout lo;
	struct labelcols lc;
	int rc = -1;

	if (open_reader(ing, f, &r, delim, native) != 0)
		return -1;
	if (native && scan_native_header(ing, f, &r) != 0)
		goto out;
	rc = read_header(ing, f, &r, &lo, &lc, native, pre);
	if (rc != 0)
		goto out;
	rc = -1;
	if (pre) {
		if (kvlist_set(&f->meta, "tool", 4, pre->tool,
			       strlen(pre->tool), 0) != 0)
			goto out;
		if (pre->warning)
			ingest_warn_once(ing, pre, "%s", pre->warning);
	}
	for (size_t i = 0; i < lc.n; i++)
		if (ifile_add_rowkey(f, lc.key[i], lc.klen[i]) != 0)
			goto out;
	if (lo.col[R_SERVER] >= 0)
		f->has_server = 1;
	f->own_reps = lo.col[R_REP] >= 0 || (pre && pre->rep_per_row);
	if (native)
		native_facts(f);
	rc = 0;
out:
	csvread_close(&r);
	return rc;
}

static int scan_native(struct ingest *ing, struct ifile *f)
{
	return scan_common(ing, f, ',', 1, NULL);
}

static int scan_csv(struct ingest *ing, struct ifile *f)
{
	return scan_common(ing, f, ',', 0, NULL);
}

static int scan_tsv(struct ingest *ing, struct ifile *f)
{
	return scan_common(ing, f, '\t', 0, NULL);
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
	if (read_header(ing, f, &r, &lo, &lc, native, pre) != 0)
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
				    num_field(ing, f, &r, &lo, k, &t[k],
					      &iso_res[k]) != 0)
					ok = 0;
			if (lo.col[R_REP] >= 0) {
				if (num_field(ing, f, &r, &lo, R_REP,
					      &row.rep, NULL) != 0)
					ok = 0;
				row.col_rep = r.f[lo.col[R_REP]].col;
			} else {
				row.rep = 1;
			}
			if (lo.col[R_SEQ] >= 0) {
				if (num_field(ing, f, &r, &lo, R_SEQ,
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
				if (num_field(ing, f, &r, &lo, R_BYTES,
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
			    num_field(ing, f, &r, &lo, R_SERVER,
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
out:
	csvread_close(&r);
	return rc;
}

static int read_native(struct ingest *ing, struct ifile *f)
{
	return read_common(ing, f, ',', 1, NULL);
}

static int read_csv(struct ingest *ing, struct ifile *f)
{
	return read_common(ing, f, ',', 0, NULL);
}

static int read_tsv(struct ingest *ing, struct ifile *f)
{
	return read_common(ing, f, '\t', 0, NULL);
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

/* ---- presets: the runners' own files ---- */

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
	return scan_common(ing, f, '\t', 0, &preset_ab);
}
static int read_ab(struct ingest *ing, struct ifile *f)
{
	return read_common(ing, f, '\t', 0, &preset_ab);
}
static int scan_jmeter(struct ingest *ing, struct ifile *f)
{
	return scan_common(ing, f, ',', 0, &preset_jmeter);
}
static int read_jmeter(struct ingest *ing, struct ifile *f)
{
	return read_common(ing, f, ',', 0, &preset_jmeter);
}
static int scan_curl(struct ingest *ing, struct ifile *f)
{
	return scan_common(ing, f, ',', 0, &preset_curl);
}
static int read_curl(struct ingest *ing, struct ifile *f)
{
	return read_common(ing, f, ',', 0, &preset_curl);
}
int delim_scan_siege_log(struct ingest *ing, struct ifile *f)
{
	return scan_common(ing, f, ',', 0, &preset_siege_log);
}
int delim_read_siege_log(struct ingest *ing, struct ifile *f)
{
	return read_common(ing, f, ',', 0, &preset_siege_log);
}

/* The first line is exactly COLS joined by DELIM (blanks around names
 * allowed, as the reader trims them). */
static int header_is(const char *s, size_t n, const char *const *cols,
		     char delim)
{
	size_t len = first_line(s, n), at = 0;

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
	size_t len = first_line(s, n), i = 0, fields = 1, f8 = 0;

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
	size_t len = first_line(s, n), i = 0, d = 0;

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
