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

#include "fmt_delim.h"

const struct role_info delim_roles[NROLES] = {
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
		if (strlen(delim_roles[r].field) == n &&
		    memcmp(delim_roles[r].field, field, n) == 0)
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
		if (m.pow10 != -100 && (r < 0 || !delim_roles[r].time)) {
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
int delim_read_header(struct ingest *ing, struct ifile *f, struct csvread *r,
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
			lo->col[k] = find_column(&nm, delim_roles[k].column,
						 strlen(delim_roles[k].column));
			if (lo->col[k] >= 0 &&
			    nm.f[lo->col[k]].len != strlen(delim_roles[k].column))
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
					delim_roles[k].column, cols);
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
		int hashing = f->sha_by == &r->L;

		ingest_hash_drop(f, &r->L);
		csvread_close(r);
		if (delim_open_reader(ing, f, r, d, 0) != 0)
			return -1;
		if (hashing)
			ingest_hash_attach(ing, f, &r->L);
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

int delim_open_reader(struct ingest *ing, struct ifile *f, struct csvread *r,
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

int delim_scan_common(struct ingest *ing, struct ifile *f,
		       unsigned char delim, int native, const struct preset *pre)
{
	struct csvread r;
	struct layout lo;
	struct labelcols lc;
	int rc = -1;

	if (delim_open_reader(ing, f, &r, delim, native) != 0)
		return -1;
	if (native && scan_native_header(ing, f, &r) != 0)
		goto out;
	rc = delim_read_header(ing, f, &r, &lo, &lc, native, pre);
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

int delim_scan_native(struct ingest *ing, struct ifile *f)
{
	return delim_scan_common(ing, f, ',', 1, NULL);
}

int delim_scan_csv(struct ingest *ing, struct ifile *f)
{
	return delim_scan_common(ing, f, ',', 0, NULL);
}

int delim_scan_tsv(struct ingest *ing, struct ifile *f)
{
	return delim_scan_common(ing, f, '\t', 0, NULL);
}
