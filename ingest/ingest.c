/* The ingest core: files, labels, row checks; formats live in fmt_*.c. */
#define _POSIX_C_SOURCE 200809L
#include "ingest_int.h"
#include "../lib/diag.h"
#include "../lib/num.h"
#include "../lib/outfile.h"
#include "../lib/opts.h"
#include "../lib/status.h"
#include "../lib/timestamp.h"
#include "pipeline.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* 1990-01-01T00:00:00Z in microseconds */
#define MIN_EPOCH_US INT64_C(631152000000000)
#define DAY_US INT64_C(86400000000)
#define HEAD_BYTES 4096

/* in detection order; a preset's probe scores 2 against csv/tsv's 1 */
static const struct format *const formats[] = {
	&format_native, &format_paper_web, &format_paper_samba,
	&format_csv,    &format_tsv,       &format_ab,
	&format_jmeter, &format_curl,      &format_siege,
	&format_hyperfine, &format_iperf3, &format_samples, NULL,
};

static const char *const format_names[] = {
	"native", "paper-web", "paper-samba", "csv", "tsv", "ab", "jmeter",
	"curl", "siege", "hyperfine", "iperf3", "samples", NULL,
};

#define FORMAT_LIST "native, csv, tsv, paper-web, paper-samba, ab, " \
	"jmeter, hyperfine, iperf3, siege, curl, samples"

/*
 * A source: inputs that share options.  Source 0 is the command line's;
 * each line of a --sources file makes one more, its options laid over the
 * command line's (labels and maps added, the line's winning; format, status
 * rule, zone, name pattern and date replaced).
 */
struct source {
	struct ingest_options o;   /* the options in force */
	struct kvlist cli;         /* --label */
	int64_t cli_rep;           /* --label rep=N, or -1 */
	struct status_rule rule;   /* what counts as success */
	struct ts_zone zone;       /* --tz */
	char **ignores;            /* --ignore, split at commas */
	size_t nignores;
	unsigned char *ignore_found; /* per name: some input has it */
	const char **own[3];       /* merged labels, maps, ignores */
	const char *where;         /* "FILE:LINE" of a --sources line */
};

static const struct format *format_by_name(const char *name);

struct ingest {
	struct ingest_options opts;
	struct source **srcs;
	size_t nsrcs, cursrc;
	struct ifile *files;
	size_t nfiles, capfiles;
	char **keys;
	size_t nkeys;
	size_t key_workload, key_direction;
	int has_server;
	int failed;
	int bad_options; /* an option was refused: no file is looked at */
	const struct ingest_sink *sink;
	void *reject_ctx;
	int dry;                   /* counting a file's rows: say nothing */
	long dry_group;            /* the group of the last row counted */
	/* the groups of rows of the current file */
	struct fgroups groups;
	struct fgroup *group;      /* of the current row */
	unsigned long group_gen;
	char *keybuf;
	size_t keybufcap;
	/* labels of the current row */
	const char **cur;
	char **rowcopy;       /* per rowkey: our NUL-terminated copy */
	size_t nrowcopy;
	size_t *rowcopy_len;
	size_t *rowcopy_cap;
	unsigned long gen;
	long total_rows, total_rejected;
	int64_t now_us;
	const void *warned[16];      /* ingest_warn_once keys */
	size_t nwarned;
	void **kept;                 /* ingest_keep */
	size_t nkept;
	/* the raw logs read so far, as named (inputs, and the sources of
	 * samples.csv inputs), so that none is counted twice */
	char **seen;
	size_t nseen;
	const char *sub;             /* ingest_subfile's path (in seen), or
	                                NULL */
	size_t last_seen;
	size_t serial;               /* changes with every file or subfile */
};

/* Note PATH as read; 1 if it was before, 0, -1 without memory.  The
 * copy (ing->seen[ing->last_seen]) lives as long as the ingest: samples
 * point to it, on the pipeline's thread too. */
static int seen_before(struct ingest *ing, const char *path, size_t n)
{
	char **ns;

	for (size_t i = ing->nseen; i-- > 0;)
		if (strlen(ing->seen[i]) == n && memcmp(ing->seen[i], path, n) == 0) {
			ing->last_seen = i;
			return 1;
		}
	ns = realloc(ing->seen, (ing->nseen + 1) * sizeof *ns);
	if (!ns)
		return -1;
	ing->seen = ns;
	if (!(ing->seen[ing->nseen] = strndup(path, n)))
		return -1;
	ing->last_seen = ing->nseen++;
	return 0;
}

int ingest_subfile(struct ingest *ing, struct ifile *f, const char *path,
		   size_t n, long line)
{
	int r;

	fgroups_clear(&ing->groups);
	ing->group = NULL;
	ing->serial++;
	r = seen_before(ing, path, n);
	if (r < 0)
		goto nomem;
	ing->sub = ing->seen[ing->last_seen];
	if (r && !ing->dry) {
		ingest_file_error(ing, f, line, 0,
				  "operations of %.*s again: it is an input "
				  "already, or its rows came earlier (expected "
				  "each raw log once, its rows together, as "
				  "vmnetrank ingest writes them)",
				  (int)n, path);
		return -1;
	}
	return 0;
nomem:
	diag(DIAG_ERROR, "out of memory");
	ing->failed = 1;
	return -1;
}

void ingest_keep(struct ingest *ing, void *p)
{
	void **nk = realloc(ing->kept, (ing->nkept + 1) * sizeof *nk);

	if (!nk) {
		free(p);
		diag(DIAG_ERROR, "out of memory");
		ing->failed = 1;
		return;
	}
	ing->kept = nk;
	ing->kept[ing->nkept++] = p;
}

void ingest_fail(struct ingest *ing)
{
	ing->failed = 1;
}

static struct source *src_of(const struct ingest *ing, const struct ifile *f)
{
	return ing->srcs[f->src];
}

struct ts_zone *ingest_zone(struct ingest *ing, struct ifile *f)
{
	return &src_of(ing, f)->zone;
}

const struct ingest_options *ingest_file_opts(const struct ingest *ing,
					      const struct ifile *f)
{
	return &src_of(ing, f)->o;
}

void ingest_warn_once(struct ingest *ing, const void *key, const char *fmt,
		      ...)
{
	va_list ap;

	for (size_t i = 0; i < ing->nwarned; i++)
		if (ing->warned[i] == key)
			return;
	if (ing->nwarned < sizeof ing->warned / sizeof ing->warned[0])
		ing->warned[ing->nwarned++] = key;
	{
		char buf[1024];

		va_start(ap, fmt);
		vsnprintf(buf, sizeof buf, fmt, ap);
		va_end(ap);
		diag(DIAG_WARNING, "%s", buf);
	}
}

void ingest_skip_row(struct ingest *ing, struct ifile *f, const char *what)
{
	if (ing->dry)
		return;
	f->skipped_rows++;
	f->skip_what = what;
}

const char *const *ingest_format_names(void)
{
	return format_names;
}

const struct ingest_options *ingest_opts(const struct ingest *ing)
{
	return &ing->opts;
}

int ingest_ignored(struct ingest *ing, struct ifile *f, const char *s,
		   size_t n)
{
	struct source *src = src_of(ing, f);

	for (size_t k = 0; k < src->nignores; k++)
		if (strlen(src->ignores[k]) == n &&
		    memcmp(src->ignores[k], s, n) == 0) {
			src->ignore_found[k] = 1;
			return 1;
		}
	return 0;
}

/* --ignore a,b --ignore c: the column names, one by one. */
static int split_ignores(struct source *src)
{
	size_t n = 0;

	for (size_t i = 0; i < src->o.nignore; i++)
		for (const char *p = src->o.ignore[i]; *p; p++)
			n += *p == ',';
	n += src->o.nignore;
	src->ignores = calloc(n + 1, sizeof *src->ignores);
	src->ignore_found = calloc(n + 1, 1);
	if (!src->ignores || !src->ignore_found)
		return -1;
	for (size_t i = 0; i < src->o.nignore; i++) {
		const char *p = src->o.ignore[i];

		for (;;) {
			size_t len = strcspn(p, ",");

			if (len && !(src->ignores[src->nignores++] = strndup(p, len)))
				return -1;
			if (!p[len])
				break;
			p += len + 1;
		}
	}
	return 0;
}

/* ---- small helpers ---- */

int utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i];
		size_t len;
		unsigned cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

int kvlist_set(struct kvlist *l, const char *key, size_t klen,
	       const char *value, size_t vlen, long line)
{
	char *v = strndup(value, vlen);

	if (!v)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i].key) == klen &&
		    memcmp(l->v[i].key, key, klen) == 0) {
			free(l->v[i].value);
			l->v[i].value = v;
			l->v[i].line = line;
			return 0;
		}
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		struct kv *nv = realloc(l->v, ncap * sizeof *nv);

		if (!nv) {
			free(v);
			return -1;
		}
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n].key = strndup(key, klen);
	l->v[l->n].value = v;
	l->v[l->n].line = line;
	if (!l->v[l->n].key) {
		free(v);
		return -1;
	}
	l->n++;
	return 0;
}

const char *kvlist_get(const struct kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].value;
	return NULL;
}

void kvlist_release(struct kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

int ifile_add_rowkey(struct ifile *f, const char *key, size_t n)
{
	char **nk;

	for (size_t i = 0; i < f->nrowkeys; i++)
		if (strlen(f->rowkeys[i]) == n &&
		    memcmp(f->rowkeys[i], key, n) == 0)
			return 0;
	nk = realloc(f->rowkeys, (f->nrowkeys + 1) * sizeof *nk);
	if (!nk)
		return -1;
	f->rowkeys = nk;
	f->rowkeys[f->nrowkeys] = strndup(key, n);
	if (!f->rowkeys[f->nrowkeys])
		return -1;
	f->nrowkeys++;
	return 0;
}

/* ---- setup ---- */

/* "3" as a repetition number; 0, or -1 when it is none. */
static int rep_number(const char *s, int64_t *out)
{
	int64_t v;
	size_t bad;

	if (num_i64(s, strlen(s), &v, &bad) != NUM_OK || v < 0 ||
	    v > UINT32_MAX)
		return -1;
	*out = v;
	return 0;
}

/* Check and settle a source's options; 0, or -1 after usage messages. */
static int source_setup(struct source *src)
{
	const struct ingest_options *opts = &src->o;
	int rc = 0;

	src->cli_rep = -1;
	status_rule_init(&src->rule);
	for (size_t i = 0; i < opts->nlabels; i++) {
		const char *s = opts->labels[i];
		const char *eq = strchr(s, '=');
		const char *why;

		if (!eq) {
			diag(DIAG_USAGE,
			     "--label '%s': expected KEY=VALUE, e.g. "
			     "--label direction=internal",
			     s);
			rc = -1;
			continue;
		}
		if (eq - s == 3 && memcmp(s, "rep", 3) == 0) {
			if (rep_number(eq + 1, &src->cli_rep) != 0) {
				diag(DIAG_USAGE,
				     "--label '%s': a repetition number is an "
				     "integer from 0 to 4294967295",
				     s);
				rc = -1;
			}
			continue;
		}
		if (label_key_ok(s, (size_t)(eq - s), &why) != 0) {
			diag(DIAG_USAGE, "--label '%s': %s", s, why);
			rc = -1;
			continue;
		}
		if (eq[1] == '\0' || !utf8_ok(eq + 1, strlen(eq + 1))) {
			diag(DIAG_USAGE,
			     "--label '%s': expected a non-empty UTF-8 value",
			     s);
			rc = -1;
			continue;
		}
		if (kvlist_set(&src->cli, s, (size_t)(eq - s), eq + 1,
			       strlen(eq + 1), 0) != 0)
			rc = -1;
	}
	if (ingest_check_maps(opts) != 0)
		rc = -1;
	if (split_ignores(src) != 0) {
		diag(DIAG_ERROR, "out of memory");
		rc = -1;
	}
	if (opts->tz) {
		const char *why;

		if (ts_zone_parse(&src->zone, opts->tz, &why) != 0) {
			diag(DIAG_USAGE, "--tz '%s': %s", opts->tz, why);
			rc = -1;
		}
	}
	if (opts->ok_status) {
		const char *why;

		if (status_rule_parse(&src->rule, opts->ok_status, &why) != 0) {
			diag(DIAG_USAGE,
			     "--ok-status '%s': %s (e.g. --ok-status "
			     "200-299,304)",
			     opts->ok_status, why);
			rc = -1;
		}
	}
	if (opts->format && strcmp(opts->format, "auto") != 0 &&
	    !format_by_name(opts->format)) {
		const char *best = opts_closest(opts->format, format_names);

		diag(DIAG_USAGE,
		     "unknown format '%s'%s%s%s (expected auto, "
		     FORMAT_LIST ")",
		     opts->format, best ? "; did you mean '" : "",
		     best ? best : "", best ? "'?" : "");
		rc = -1;
	}
	return rc;
}

static void source_free(struct source *src)
{
	if (!src)
		return;
	kvlist_release(&src->cli);
	status_rule_release(&src->rule);
	for (size_t i = 0; i < src->nignores; i++)
		free(src->ignores[i]);
	free(src->ignores);
	free(src->ignore_found);
	for (int i = 0; i < 3; i++)
		free(src->own[i]);
	free((char *)src->where);
	free(src);
}

/* BASE's list followed by ADD's, in a new array. */
static const char **concat(const char *const *base, size_t nb,
			   const char *const *add, size_t na)
{
	const char **v = calloc(nb + na + 1, sizeof *v);

	if (!v)
		return NULL;
	for (size_t i = 0; i < nb; i++)
		v[i] = base[i];
	for (size_t i = 0; i < na; i++)
		v[nb + i] = add[i];
	return v;
}

long ingest_add_source(struct ingest *ing, const struct ingest_options *add,
		       const char *where)
{
	const struct ingest_options *b = &ing->opts;
	struct source *src = calloc(1, sizeof *src);
	struct source **ns;

	if (!src)
		goto nomem;
	src->o = *b;
	src->own[0] = concat(b->labels, b->nlabels, add->labels, add->nlabels);
	src->own[1] = concat(b->maps, b->nmaps, add->maps, add->nmaps);
	src->own[2] = concat(b->ignore, b->nignore, add->ignore, add->nignore);
	src->where = where ? strdup(where) : NULL;
	if (!src->own[0] || !src->own[1] || !src->own[2] || (where && !src->where))
		goto nomem;
	src->o.labels = src->own[0];
	src->o.nlabels = b->nlabels + add->nlabels;
	src->o.maps = src->own[1];
	src->o.nmaps = b->nmaps + add->nmaps;
	src->o.ignore = src->own[2];
	src->o.nignore = b->nignore + add->nignore;
	if (add->format)
		src->o.format = add->format;
	if (add->ok_status)
		src->o.ok_status = add->ok_status;
	if (add->tz)
		src->o.tz = add->tz;
	if (add->name_pattern)
		src->o.name_pattern = add->name_pattern;
	if (add->date)
		src->o.date = add->date;
	src->o.no_header |= add->no_header;
	ns = realloc(ing->srcs, (ing->nsrcs + 1) * sizeof *ns);
	if (!ns)
		goto nomem;
	ing->srcs = ns;
	ing->srcs[ing->nsrcs] = src;
	if (source_setup(src) != 0) {
		if (where)
			diag_at(DIAG_NOTE, where, 0, 0,
				"the options above are of this source");
		ing->failed = ing->bad_options = 1;
	}
	return (long)ing->nsrcs++;
nomem:
	source_free(src);
	diag(DIAG_ERROR, "out of memory");
	ing->failed = ing->bad_options = 1;
	return -1;
}

void ingest_use_source(struct ingest *ing, size_t src)
{
	ing->cursrc = src < ing->nsrcs ? src : 0;
}

struct ingest *ingest_new(const struct ingest_options *opts)
{
	struct ingest *ing = calloc(1, sizeof *ing);
	struct ingest_options none;

	if (!ing) {
		diag(DIAG_ERROR, "out of memory");
		return NULL;
	}
	ing->opts = *opts;
	if (ing->opts.now_us)
		ing->now_us = ing->opts.now_us;
	else {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ing->now_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	}
	memset(&none, 0, sizeof none);
	if (ingest_add_source(ing, &none, NULL) != 0)
		ing->failed = ing->bad_options = 1;
	return ing;
}

static void ifile_release(struct ifile *f)
{
	free(f->path);
	if (f->spool) {
		close(f->spool_fd);
		free(f->spool);
	}
	kvlist_release(&f->labels);
	kvlist_release(&f->meta);
	for (size_t i = 0; i < f->nrowkeys; i++)
		free(f->rowkeys[i]);
	free(f->rowkeys);
	free(f->rowkey_index);
	free(f->values);
	free(f->unused);
	free(f->drop_key);
}

void ingest_free(struct ingest *ing)
{
	if (!ing)
		return;
	for (size_t i = 0; i < ing->nfiles; i++)
		ifile_release(&ing->files[i]);
	free(ing->files);
	for (size_t i = 0; i < ing->nkeys; i++)
		free(ing->keys[i]);
	free(ing->keys);
	for (size_t i = 0; i < ing->nsrcs; i++)
		source_free(ing->srcs[i]);
	free(ing->srcs);
	for (size_t i = 0; i < ing->nkept; i++)
		free(ing->kept[i]);
	free(ing->kept);
	for (size_t i = 0; i < ing->nseen; i++)
		free(ing->seen[i]);
	free(ing->seen);
	fgroups_release(&ing->groups);
	free(ing->keybuf);
	free(ing->cur);
	free(ing->rowcopy_len);
	free(ing->rowcopy_cap);
	for (size_t i = 0; ing->rowcopy && i < ing->nrowcopy; i++)
		free(ing->rowcopy[i]);
	free(ing->rowcopy);
	free(ing);
}

static int add_file(struct ingest *ing, const char *path, int walked)
{
	struct ifile *f;

	if (ing->nfiles == ing->capfiles) {
		size_t ncap = ing->capfiles ? ing->capfiles * 2 : 16;
		struct ifile *nf = realloc(ing->files, ncap * sizeof *nf);

		if (!nf) {
			diag(DIAG_ERROR, "out of memory");
			return -1;
		}
		ing->files = nf;
		ing->capfiles = ncap;
	}
	f = &ing->files[ing->nfiles];
	memset(f, 0, sizeof *f);
	f->path = strdup(path);
	f->walked = walked;
	f->src = ing->cursrc;
	f->rep_from = -1;
	f->start_res = INT64_MAX;
	if (!f->path) {
		diag(DIAG_ERROR, "out of memory");
		return -1;
	}
	ing->nfiles++;
	return 0;
}

struct ident {
	dev_t dev;
	ino_t ino;
	size_t i;
};

static int cmp_ident(const void *a, const void *b)
{
	const struct ident *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* A log named twice (the same file by two names, or a folder and a file
 * in it) would count its repetitions twice: an error. */
static int check_twice(struct ingest *ing)
{
	struct ident *v = calloc(ing->nfiles + 1, sizeof *v);
	size_t n = 0;
	int rc = 0;

	if (!v) {
		diag(DIAG_ERROR, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < ing->nfiles; i++) {
		struct stat st;

		if (ing->files[i].spool || stat(ing->files[i].path, &st) != 0)
			continue;
		v[n].dev = st.st_dev;
		v[n].ino = st.st_ino;
		v[n].i = i;
		n++;
	}
	qsort(v, n, sizeof *v, cmp_ident);
	for (size_t k = 1; k < n; k++)
		if (v[k].dev == v[k - 1].dev && v[k].ino == v[k - 1].ino) {
			ingest_file_error(ing, &ing->files[v[k].i], 0, 0,
					  "the same log as %s, an input already "
					  "(expected each log once: its "
					  "repetitions would count twice)",
					  ing->files[v[k - 1].i].path);
			rc = -1;
		}
	free(v);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(struct ingest *ing, const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (depth > 64) {
		diag_at(DIAG_ERROR, dir, 0, 0, "folders nested too deep");
		return -1;
	}
	d = opendir(dir);
	if (!d) {
		/* a problem of its own: the walk goes on, so that every later
		 * problem is listed in the same run */
		diag_at(DIAG_ERROR, dir, 0, 0, "cannot read folder: %s",
			strerror(errno));
		ing->failed = 1;
		return depth == 0 ? -1 : 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			char **nn = realloc(names, ncap * sizeof *nn);

			if (!nn) {
				rc = -1;
				break;
			}
			names = nn;
			cap = ncap;
		}
		names[n] = strdup(e->d_name);
		if (!names[n]) {
			rc = -1;
			break;
		}
		n++;
	}
	closedir(d);
	if (rc == 0)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n && rc == 0; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *p = malloc(len);
		struct stat st, lst;

		if (!p) {
			rc = -1;
			break;
		}
		if (dir[strlen(dir) - 1] == '/')
			snprintf(p, len, "%s%s", dir, names[i]);
		else
			snprintf(p, len, "%s/%s", dir, names[i]);
		if (lstat(p, &lst) == 0 && stat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				/* symbolic links to folders are not followed:
				 * they could loop */
				if (S_ISDIR(lst.st_mode))
					rc = walk(ing, p, depth + 1);
			} else if (S_ISREG(st.st_mode)) {
				rc = add_file(ing, p, 1);
			}
		}
		free(p);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc != 0 && diag_count(DIAG_ERROR) == 0)
		diag(DIAG_ERROR, "out of memory");
	return rc;
}

/* A pipe (<(cmd), a FIFO, /dev/stdin) is read once, into an unlinked
 * temporary file that every later step opens instead ("/proc/self/fd/N":
 * a new offset each time).  A FIFO nobody writes to is given up after
 * PIPE_WAIT_S seconds without a byte (VMNETRANK_PIPE_WAIT=S to change).  0, or -1 with a diagnostic. */
#define PIPE_WAIT_S 30
static int spool_pipe(struct ifile *f)
{
	int in = open(f->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), out = -1;
	FILE *tmp = NULL;
	char buf[65536], name[64];
	int started = 0, hup = 0, rc = -1, wait_s = PIPE_WAIT_S;
	const char *w = getenv("VMNETRANK_PIPE_WAIT");

	if (w && atoi(w) > 0 && atoi(w) < 86400)
		wait_s = atoi(w);

	if (in < 0) {
		diag_at(DIAG_ERROR, f->path, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	tmp = tmpfile();
	if (!tmp) {
		diag_at(DIAG_ERROR, f->path, 0, 0, "cannot keep a copy of the "
			"pipe (a temporary file in $TMPDIR or /tmp): %s",
			strerror(errno));
		goto out;
	}
	out = fileno(tmp);
	/* read until end of file; poll only when there is nothing to read
	 * yet (EAGAIN: a writer that has not written; 0 before any byte: a
	 * FIFO no writer has opened yet, or one that wrote nothing) */
	for (;;) {
		ssize_t k = read(in, buf, sizeof buf);

		if (k > 0) {
			started = 1;
			if (fwrite(buf, 1, (size_t)k, tmp) != (size_t)k) {
				diag_at(DIAG_ERROR, f->path, 0, 0, "cannot keep "
					"a copy of the pipe: %s", strerror(errno));
				goto out;
			}
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno != EAGAIN) {
			diag_at(DIAG_ERROR, f->path, 0, 0, "read error: %s",
				strerror(errno));
			goto out;
		}
		if (k == 0 && (started || hup))
			break;
		{
			struct pollfd p = { in, POLLIN, 0 };
			int pr = poll(&p, 1, started ? -1 : wait_s * 1000);

			if (pr == 0) {
				diag_at(DIAG_ERROR, f->path, 0, 0,
					"no byte from this pipe in %d s "
					"(expected a FIFO or pipe that a "
					"program writes a log into)",
					wait_s);
				goto out;
			}
			if (pr > 0 && (p.revents & POLLHUP))
				hup = 1;
		}
	}
	if (fflush(tmp) != 0) {
		diag_at(DIAG_ERROR, f->path, 0, 0, "cannot keep a copy of the "
			"pipe: %s", strerror(errno));
		goto out;
	}
	f->spool_fd = dup(out);
	snprintf(name, sizeof name, "/proc/self/fd/%d", f->spool_fd);
	f->spool = f->spool_fd >= 0 ? strdup(name) : NULL;
	if (!f->spool) {
		diag(DIAG_ERROR, "out of memory");
		if (f->spool_fd >= 0)
			close(f->spool_fd);
		goto out;
	}
	rc = 0;
out:
	if (tmp)
		fclose(tmp);
	close(in);
	return rc;
}

int ingest_add_path(struct ingest *ing, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		diag_at(DIAG_ERROR, path, 0, 0, "cannot read: %s",
			strerror(errno));
		ing->failed = 1;
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return walk(ing, path, 0);
	if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) {
		if (add_file(ing, path, 0) != 0)
			return -1;
		if (spool_pipe(&ing->files[ing->nfiles - 1]) != 0) {
			/* not read: not in the list (nothing may open it again) */
			ifile_release(&ing->files[--ing->nfiles]);
			ing->failed = 1;
			return -1;
		}
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_at(DIAG_ERROR, path, 0, 0,
			"not a regular file, a pipe or a folder (expected a "
			"log)");
		ing->failed = 1;
		return -1;
	}
	return add_file(ing, path, 0);
}

/* ---- prepare ---- */

static int path_labels(struct ingest *ing, struct ifile *f)
{
	const char *p = f->path;
	const char *last = strrchr(p, '/');

	(void)ing;
	if (!last)
		return 0;
	while (p < last) {
		const char *slash = memchr(p, '/', (size_t)(last - p) + 1);
		size_t len = (size_t)(slash - p);
		const char *eq = memchr(p, '=', len);
		const char *why;

		if (eq && eq - p == 3 && memcmp(p, "rep", 3) == 0) {
			/* rep=N sets the repetition number (checked against
			 * the log's own numbering once it is scanned) */
			char num[32];

			snprintf(num, sizeof num, "%.*s",
				 (int)(len - 4 < 31 ? len - 4 : 31), eq + 1);
			if (len - 4 > 30 || rep_number(num, &f->rep_from) != 0) {
				ingest_file_error(ing, f, 0, 0,
						  "folder '%.*s': a rep= folder "
						  "sets the repetition number, "
						  "an integer from 0 to "
						  "4294967295",
						  (int)len, p);
				return -1;
			}
		} else if (eq && eq > p &&
			   label_key_ok(p, (size_t)(eq - p), &why) != 0 &&
			   strcmp(why, label_reserved_why) == 0) {
			ingest_file_error(ing, f, 0, 0,
					  "folder '%.*s': '%.*s' is a column of "
					  "samples.csv, so it cannot be a label "
					  "(rename the folder)",
					  (int)len, p, (int)(eq - p), p);
			return -1;
		} else if (eq && eq > p &&
			   label_key_ok(p, (size_t)(eq - p), &why) == 0 &&
			   (size_t)(eq - p) + 1 < len) {
			if (!utf8_ok(eq + 1, len - (size_t)(eq - p) - 1)) {
				ingest_file_error(ing, f, 0, 0,
						  "folder name '%.*s' is not "
						  "valid UTF-8",
						  (int)len, p);
				return -1;
			}
			if (kvlist_set(&f->labels, p, (size_t)(eq - p), eq + 1,
				       len - (size_t)(eq - p) - 1, 0) != 0)
				return -1;
		}
		p = slash + 1;
	}
	return 0;
}

static const struct format *format_by_name(const char *name)
{
	for (size_t i = 0; formats[i]; i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

static int detect(struct ingest *ing, struct ifile *f)
{
	char head[HEAD_BYTES];
	ssize_t n;
	int fd = open(ifile_open_path(f), O_RDONLY);
	int best = 0, nbest = 0;
	const struct format *pick = NULL;
	char names[256] = "";

	if (fd >= 0)
		outfile_note_input_fd(fd); /* no output may replace it */

	if (fd < 0) {
		ingest_file_error(ing, f, 0, 0, "cannot open: %s",
				  strerror(errno));
		return -1;
	}
	n = read(fd, head, sizeof head);
	close(fd);
	if (n < 0) {
		ingest_file_error(ing, f, 0, 0, "cannot read: %s",
				  strerror(errno));
		return -1;
	}
	{
		const char *s = head;
		size_t len = (size_t)n;

		if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			len -= 3;
		}
		while (len > 0 && (*s == '\n' || *s == '\r' || *s == ' ' ||
				   *s == '\t')) {
			s++;
			len--;
		}
		if (len == 0 && f->walked) {
			f->skipped = 1;
			return 0;
		}
		if (len == 0) {
			ingest_file_error(ing, f, 0, 0,
					  "empty file (expected a timing log: "
					  "%s)",
					  "native, csv, tsv, paper-web or "
					  "paper-samba");
			return -1;
		}
		if (memchr(head, '\0', (size_t)n) && f->walked) {
			f->skipped = 1;
			return 0;
		}
		if (memchr(head, '\0', (size_t)n)) {
			const char *z = memchr(head, '\0', (size_t)n);
			long line = 1, col = 1;

			for (const char *q = head; q < z; q++) {
				if (*q == '\n') {
					line++;
					col = 1;
				} else {
					col++;
				}
			}
			ingest_file_error(ing, f, line, col,
					  "binary data: a NUL byte (expected "
					  "a text log)");
			return -1;
		}
		if (src_of(ing, f)->o.format &&
		    strcmp(src_of(ing, f)->o.format, "auto") != 0) {
			f->fmt = format_by_name(src_of(ing, f)->o.format);
			/* a README beside native, csv or tsv logs: skipped (the
			 * paper formats' probes need more than these logs may
			 * start with, so a forced one is always read) */
			if (f->walked && strncmp(f->fmt->name, "paper-", 6) != 0 &&
			    f->fmt->probe(s, len) == 0)
				f->skipped = 1;
			return 0;
		}
		for (size_t i = 0; formats[i]; i++) {
			int score = formats[i]->probe(s, len);

			if (score > best) {
				best = score;
				nbest = 1;
				pick = formats[i];
				snprintf(names, sizeof names, "%s",
					 formats[i]->name);
			} else if (score == best && score > 0) {
				size_t l = strlen(names);

				nbest++;
				snprintf(names + l, sizeof names - l, ", %s",
					 formats[i]->name);
			}
		}
	}
	if (nbest == 0 && f->walked) {
		f->skipped = 1;
		return 0;
	}
	if (nbest == 0) {
		ingest_file_error(ing, f, 1, 1,
				  "unknown log format (expected '# "
				  "vmnetrank-log 1', a CSV or TSV header "
				  "row, a paper-web 'cmdLine:' log, a "
				  "paper-samba log, or a runner's own file "
				  "(--format " FORMAT_LIST "))");
		return -1;
	}
	if (nbest > 1) {
		ingest_file_error(ing, f, 1, 1,
				  "ambiguous log format: could be %s (give "
				  "--format)",
				  names);
		return -1;
	}
	f->fmt = pick;
	return 0;
}

static size_t key_index(const struct ingest *ing, const char *key)
{
	for (size_t i = 0; i < ing->nkeys; i++)
		if (strcmp(ing->keys[i], key) == 0)
			return i;
	return (size_t)-1;
}

static int add_key(char ***keys, size_t *n, const char *key)
{
	char **nk;

	for (size_t i = 0; i < *n; i++)
		if (strcmp((*keys)[i], key) == 0)
			return 0;
	nk = realloc(*keys, (*n + 1) * sizeof *nk);
	if (!nk)
		return -1;
	*keys = nk;
	(*keys)[*n] = strdup(key);
	if (!(*keys)[*n])
		return -1;
	(*n)++;
	return 0;
}

static int key_order(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int rx = strcmp(x, "workload") == 0 ? 1 :
		 strcmp(x, "direction") == 0 ? 2 : 0;
	int ry = strcmp(y, "workload") == 0 ? 1 :
		 strcmp(y, "direction") == 0 ? 2 : 0;

	if (rx != ry)
		return rx - ry;
	return strcmp(x, y);
}

/* Normalise a direction value in place to lower case; 0 if valid. */
static const char *direction_value(const char *v, size_t n)
{
	if (n == 8 && strncasecmp(v, "internal", 8) == 0)
		return "internal";
	if (n == 8 && strncasecmp(v, "external", 8) == 0)
		return "external";
	return NULL;
}

static const char how_direction[] =
	"put the log under a direction=internal (or external) folder, add "
	"'# direction=internal' to a native header, or pass --label "
	"direction=internal";
static const char how_workload[] =
	"put the log under a workload=NAME folder, add '# workload=NAME' to "
	"a native header, or pass --label workload=NAME";

/* Files found by walking a folder that are no timing log (a README, notes
 * kept beside the logs) are left out, all named in one warning. */
static int drop_skipped(struct ingest *ing)
{
	size_t kept = 0, nskip = 0;
	char list[1024] = "";

	for (size_t i = 0; i < ing->nfiles; i++) {
		struct ifile *f = &ing->files[i];

		if (!f->skipped) {
			ing->files[kept++] = *f;
			continue;
		}
		if (nskip < 8)
			snprintf(list + strlen(list), sizeof list - strlen(list),
				 "%s%s", nskip ? ", " : "", f->path);
		else if (nskip == 8)
			snprintf(list + strlen(list), sizeof list - strlen(list),
				 ", ...");
		nskip++;
		ifile_release(f);
	}
	ing->nfiles = kept;
	if (nskip)
		diag(DIAG_WARNING,
		     "skipped %zu file%s in the folders that %s (name a file "
		     "on the command line to see why): %s",
		     nskip, nskip == 1 ? "" : "s",
		     nskip == 1 ? "is not a timing log" : "are not timing logs",
		     list);
	if (kept == 0) {
		diag(DIAG_ERROR, "no timing logs among the inputs");
		return -1;
	}
	return 0;
}

/* Delimited logs: the columns nothing uses are named, a set of files at a
 * time (a forgotten label column would merge configurations); each
 * --ignore must name a column some input has.  A rep= folder or --label
 * rep=N numbers the repetitions of a log that does not number them. */
static int check_columns(struct ingest *ing)
{
	int rc = 0;

	for (size_t i = 0; i < ing->nfiles; i++) {
		struct ifile *f = &ing->files[i];
		size_t same = 0;
		int first = 1;

		if (!f->unused || !*f->unused)
			continue;
		for (size_t j = 0; j < ing->nfiles; j++) {
			const char *u = ing->files[j].unused;

			if (!u || strcmp(u, f->unused) != 0)
				continue;
			if (j < i)
				first = 0;
			same++;
		}
		if (!first)
			continue;
		{
			char col[80];

			snprintf(col, sizeof col, "%.*s",
				 (int)strcspn(f->unused, ","), f->unused);
			char more[64] = "";

			if (same > 1)
				snprintf(more, sizeof more,
					 " (and in %zu more files)", same - 1);
			char all[512];
			size_t k = 0;

			for (const char *p = f->unused; *p && k + 1 < sizeof all; p++)
				if (*p != ' ')
					all[k++] = *p;
			all[k] = '\0';
			diag_at(DIAG_WARNING, f->path, 0, 0,
				"columns not used%s: %s; a label column left "
				"out merges configurations: map it (--map "
				"%s=%s), or say they are no labels (--ignore "
				"%s)",
				more, f->unused, col, col, all);
		}
	}
	for (size_t si = 0; si < ing->nsrcs; si++) {
		const struct source *src = ing->srcs[si];

		for (size_t k = 0; k < src->nignores; k++) {
			const char *c = src->ignores[k];
			int used = 0;

			/* a command-line --ignore is in every source */
			for (size_t sj = 0; sj < ing->nsrcs && !used; sj++)
				for (size_t j = 0; j < ing->srcs[sj]->nignores; j++)
					used |= ing->srcs[sj]->ignore_found[j] &&
						strcmp(ing->srcs[sj]->ignores[j], c) == 0;
			if (!used && (si == 0 || k >= ing->srcs[0]->nignores))
				diag(DIAG_WARNING,
				     "--ignore %s: no delimited input%s%s has "
				     "a column '%s'",
				     c, src->where ? " of " : "",
				     src->where ? src->where : "", c);
		}
	}
	for (size_t i = 0; i < ing->nfiles; i++) {
		struct ifile *f = &ing->files[i];
		int64_t cli_rep = src_of(ing, f)->cli_rep;
		int64_t rep = cli_rep >= 0 ? cli_rep : f->rep_from;

		if (rep < 0)
			continue;
		if (f->own_reps) {
			ingest_file_error(ing, f, 0, 0,
					  "%s sets repetition %lld, but this "
					  "%s log numbers its own "
					  "repetitions (expected rep= only "
					  "for logs without a rep column)",
					  cli_rep >= 0 ? "--label rep"
						       : "a rep= folder",
					  (long long)rep, f->fmt->name);
			rc = -1;
			continue;
		}
		f->rep_from = rep;
	}
	return rc;
}

int ingest_prepare(struct ingest *ing)
{
	/* a path that could not be read (ing->failed already) does not stop
	 * the others' headers being checked: every problem is listed */
	if ((ing->nfiles == 0 && ing->failed) || ing->bad_options)
		return -1;
	if (ing->nfiles == 0) {
		diag(DIAG_ERROR, "no input files");
		return -1;
	}
	for (size_t i = 0; i < ing->nfiles; i++) {
		struct ifile *f = &ing->files[i];
		int rc;

		if (detect(ing, f) != 0) {
			ing->failed = 1;
			continue;
		}
		if (f->skipped)
			continue;
		if (path_labels(ing, f) != 0) {
			ing->failed = 1;
			continue;
		}
		rc = f->fmt->scan(ing, f);
		if (rc < 0)
			ing->failed = 1;
		else if (rc == 1)
			f->skipped = 1;
	}
	if (ing->failed)
		return -1;
	if (drop_skipped(ing) != 0 || check_twice(ing) != 0 ||
	    check_columns(ing) != 0)
		return -1;
	/* the label keys: union over files and the command line */
	for (size_t i = 0; i < ing->nfiles; i++) {
		struct ifile *f = &ing->files[i];

		for (size_t k = 0; k < f->labels.n; k++)
			if (add_key(&ing->keys, &ing->nkeys,
				    f->labels.v[k].key) != 0)
				goto nomem;
		for (size_t k = 0; k < f->nrowkeys; k++)
			if (add_key(&ing->keys, &ing->nkeys, f->rowkeys[k]) != 0)
				goto nomem;
	}
	for (size_t si = 0; si < ing->nsrcs; si++)
		for (size_t k = 0; k < ing->srcs[si]->cli.n; k++)
			if (add_key(&ing->keys, &ing->nkeys,
				    ing->srcs[si]->cli.v[k].key) != 0)
				goto nomem;
	if (add_key(&ing->keys, &ing->nkeys, "workload") != 0 ||
	    add_key(&ing->keys, &ing->nkeys, "direction") != 0)
		goto nomem;
	qsort(ing->keys, ing->nkeys, sizeof *ing->keys, key_order);
	ing->key_workload = key_index(ing, "workload");
	ing->key_direction = key_index(ing, "direction");
	ing->cur = calloc(ing->nkeys, sizeof *ing->cur);
	if (!ing->cur)
		goto nomem;

	for (size_t i = 0; i < ing->nfiles; i++) {
		struct ifile *f = &ing->files[i];
		int has_dir_row = 0, has_wl_row = 0;

		f->values = calloc(ing->nkeys, sizeof *f->values);
		f->rowkey_index = calloc(f->nrowkeys + 1,
					 sizeof *f->rowkey_index);
		if (!f->values || !f->rowkey_index)
			goto nomem;
		for (size_t k = 0; k < ing->nkeys; k++) {
			const char *v = kvlist_get(&src_of(ing, f)->cli,
						   ing->keys[k]);

			f->values[k] = v ? v : kvlist_get(&f->labels,
							  ing->keys[k]);
		}
		for (size_t k = 0; k < f->nrowkeys; k++) {
			f->rowkey_index[k] = key_index(ing, f->rowkeys[k]);
			if (f->rowkey_index[k] == ing->key_direction)
				has_dir_row = 1;
			if (f->rowkey_index[k] == ing->key_workload)
				has_wl_row = 1;
		}
		if (f->has_server)
			ing->has_server = 1;
		{
			const char *d = f->values[ing->key_direction];

			if (d) {
				const char *norm = direction_value(d, strlen(d));

				if (!norm) {
					long line = 0;

					for (size_t k = 0; k < f->labels.n; k++)
						if (strcmp(f->labels.v[k].key,
							   "direction") == 0)
							line = f->labels.v[k].line;
					ingest_file_error(
						ing, f, line, 0,
						"direction '%s' (expected "
						"internal or external)",
						d);
					continue;
				}
				f->values[ing->key_direction] = norm;
			} else if (!has_dir_row) {
				ingest_file_error(ing, f, 0, 0,
						  "no direction label: %s",
						  how_direction);
			}
		}
		if (!f->values[ing->key_workload] && !has_wl_row)
			ingest_file_error(ing, f, 0, 0, "no workload label: %s",
					  how_workload);
	}
	{
		size_t most = 0;

		for (size_t i = 0; i < ing->nfiles; i++)
			if (ing->files[i].nrowkeys > most)
				most = ing->files[i].nrowkeys;
		ing->rowcopy = calloc(most + 1, sizeof *ing->rowcopy);
		ing->nrowcopy = most;
		ing->rowcopy_len = calloc(most + 1, sizeof *ing->rowcopy_len);
		ing->rowcopy_cap = calloc(most + 1, sizeof *ing->rowcopy_cap);
		if (!ing->rowcopy || !ing->rowcopy_len || !ing->rowcopy_cap)
			goto nomem;
	}
	return ing->failed ? -1 : 0;
nomem:
	diag(DIAG_ERROR, "out of memory");
	ing->failed = 1;
	return -1;
}

/* ---- run ---- */

/* A message about file F; nothing while its rows are only counted. */
static int file_msg(struct ingest *ing, struct ifile *f, enum diag_level lv,
		    long line, long col, const char *fmt, va_list ap)
{
	char msg[1024];

	if (ing->dry)
		return 0;
	vsnprintf(msg, sizeof msg, fmt, ap);
	diag_at(lv, f->path, line, col, "%s", msg);
	return 1;
}

void ingest_warn(struct ingest *ing, struct ifile *f, long line, long col,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	file_msg(ing, f, DIAG_WARNING, line, col, fmt, ap);
	va_end(ap);
}

void ingest_file_error(struct ingest *ing, struct ifile *f, long line,
		       long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (file_msg(ing, f, DIAG_ERROR, line, col, fmt, ap))
		ing->failed = 1;
	va_end(ap);
}

void ingest_bad_row(struct ingest *ing, struct ifile *f, long line, long col,
		    const char *raw, size_t rawlen, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (ing->dry)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (ing->opts.keep_going && ing->sink && ing->sink->reject) {
		struct ingest_reject r = {
			.path = f->path,
			.line = line,
			.col = col,
			.reason = msg,
			.raw = raw,
			.rawlen = rawlen,
		};

		f->rejected++;
		ing->total_rejected++;
		if (ing->sink->reject(ing->reject_ctx, &r) != 0)
			ing->failed = 1;
		return;
	}
	diag_at(DIAG_ERROR, f->path, line, col, "%s", msg);
	f->bad++;
	ing->failed = 1;
}

/* Take the row's label values; 0, or -1 after reporting a bad value. */
static int row_labels(struct ingest *ing, struct ifile *f, const struct row *r)
{
	int changed = 0;

	for (size_t i = 0; i < f->nrowkeys; i++) {
		size_t k = f->rowkey_index[i];
		const char *v = r->rowvals[i];
		size_t n = v ? r->rowval_lens[i] : 0;
		const char *use;

		if (n == ing->rowcopy_len[i] && ing->rowcopy[i] &&
		    (n == 0 || memcmp(ing->rowcopy[i], v, n) == 0))
			continue;
		if (n > 0 && !utf8_ok(v, n)) {
			ingest_bad_row(ing, f, r->line, 0, r->raw, r->rawlen,
				       "label %s: not valid UTF-8 text",
				       ing->keys[k]);
			ing->rowcopy_len[i] = (size_t)-1;
			return -1;
		}
		if (n + 1 > ing->rowcopy_cap[i]) {
			char *nb = realloc(ing->rowcopy[i], n + 16);

			if (!nb) {
				diag(DIAG_ERROR, "out of memory");
				ing->failed = 1;
				return -1;
			}
			ing->rowcopy[i] = nb;
			ing->rowcopy_cap[i] = n + 16;
		}
		memcpy(ing->rowcopy[i], v ? v : "", n);
		ing->rowcopy[i][n] = '\0';
		ing->rowcopy_len[i] = n;
		use = n > 0 ? ing->rowcopy[i] : f->values[k];
		if (kvlist_get(&src_of(ing, f)->cli, ing->keys[k]))
			use = f->values[k];
		else if (k == ing->key_direction && use) {
			const char *norm = direction_value(use, strlen(use));

			if (!norm) {
				ingest_bad_row(ing, f, r->line, 0, r->raw,
					       r->rawlen,
					       "direction '%s' (expected "
					       "internal or external)",
					       use);
				ing->rowcopy_len[i] = (size_t)-1;
				return -1;
			}
			use = norm;
		}
		ing->cur[k] = use;
		changed = 1;
	}
	if (changed)
		ing->gen++;
	if (!ing->cur[ing->key_direction]) {
		ingest_bad_row(ing, f, r->line, 0, r->raw, r->rawlen,
			       "no direction for this row: %s", how_direction);
		return -1;
	}
	if (!ing->cur[ing->key_workload]) {
		ingest_bad_row(ing, f, r->line, 0, r->raw, r->rawlen,
			       "no workload for this row: %s", how_workload);
		return -1;
	}
	return 0;
}

/* The group of the current row's labels (looked up when they change). */
static struct fgroup *current_group(struct ingest *ing)
{
	size_t len = 0;
	long gi;

	if (ing->group && ing->group_gen == ing->gen)
		return ing->group;
	for (size_t k = 0; k < ing->nkeys; k++) {
		const char *v = ing->cur[k] ? ing->cur[k] : "\x01";
		size_t n = strlen(v);

		if (len + n + 2 > ing->keybufcap) {
			size_t ncap = (len + n + 2) * 2;
			char *nb = realloc(ing->keybuf, ncap);

			if (!nb)
				return NULL;
			ing->keybuf = nb;
			ing->keybufcap = ncap;
		}
		memcpy(ing->keybuf + len, v, n);
		len += n;
		ing->keybuf[len++] = '\x1f';
	}
	gi = fgroups_find(&ing->groups, ing->keybuf ? ing->keybuf : "", len);
	if (gi < 0)
		return NULL;
	ing->group = &ing->groups.g[gi];
	ing->group_gen = ing->gen;
	return ing->group;
}

int ingest_row(struct ingest *ing, struct ifile *f, const struct row *r)
{
	int64_t limit = ing->now_us + DAY_US;
	int64_t rep = f->rep_from >= 0 ? f->rep_from : r->rep;
	struct fgroup *g;
	struct frep *fr;
	const char *status = "ok";
	size_t status_len = 2;

	if (r->rep < 0 || r->rep > UINT32_MAX) {
		ingest_bad_row(ing, f, r->line, r->col_rep, r->raw, r->rawlen,
			       "rep %lld out of range (expected 0 to "
			       "4294967295)",
			       (long long)r->rep);
		return 0;
	}
	if (r->seq < 0 || r->seq > UINT32_MAX) {
		ingest_bad_row(ing, f, r->line, r->col_seq, r->raw, r->rawlen,
			       "seq %lld out of range (expected 0 to "
			       "4294967295)",
			       (long long)r->seq);
		return 0;
	}
	if (r->no_stamp) {
		if (r->end_us < r->start_us) {
			ingest_bad_row(ing, f, r->line, r->col_end, r->raw,
				       r->rawlen,
				       "negative duration %lld us (expected a "
				       "duration >= 0)",
				       (long long)(r->end_us - r->start_us));
			return 0;
		}
	} else if (r->start_us < MIN_EPOCH_US || r->start_us > limit) {
		ingest_bad_row(ing, f, r->line, r->col_start, r->raw, r->rawlen,
			       "start time %lld us is %s (expected epoch "
			       "microseconds from 1990 to a day from now)",
			       (long long)r->start_us,
			       r->start_us < MIN_EPOCH_US ? "before 1990"
							  : "in the future");
		return 0;
	}
	if (!r->no_stamp && r->end_us < r->start_us) {
		ingest_bad_row(ing, f, r->line, r->col_end, r->raw, r->rawlen,
			       "end before start (end %lld < start %lld us; "
			       "expected end >= start)",
			       (long long)r->end_us, (long long)r->start_us);
		return 0;
	}
	if (!r->no_stamp && r->end_us > limit) {
		ingest_bad_row(ing, f, r->line, r->col_end, r->raw, r->rawlen,
			       "end time %lld us is in the future (expected "
			       "at most a day from now)",
			       (long long)r->end_us);
		return 0;
	}
	if (f->nrowkeys && row_labels(ing, f, r) != 0)
		return 0;
	g = current_group(ing);
	if (!g)
		goto nomem;
	/* (rep, seq) once per group of a file: a long-format CSV holds many
	 * configurations, each numbering its own repetitions */
	switch (fgroup_seen(g, rep, r->seq)) {
	case 1:
		ingest_bad_row(ing, f, r->line, r->col_seq, r->raw, r->rawlen,
			       "repeated rep %lld seq %lld (expected each "
			       "(rep, seq) once per configuration in a file)",
			       (long long)rep, (long long)r->seq);
		return 0;
	case -1:
		goto nomem;
	}
	if (r->warmup) {
		if (!ing->dry)
			f->warmup++;
		if (!ing->opts.include_warmup)
			return 0;
	}
	fr = fgroup_rep(g, rep);
	if (!fr)
		goto nomem;
	if (ing->dry) {
		/* counting: remember the repetition of the file's last row */
		frep_add(fr, r->start_us, r->end_us);
		ing->dry_group = (long)(g - ing->groups.g);
		f->drop_rep = rep;
		return 0;
	}
	if (f->drop && rep == f->drop_rep && strcmp(g->key, f->drop_key) == 0) {
		f->left_out++;
		return 0;
	}
	if (f->single_client) /* for the overlap check at its end */
		frep_add(fr, r->start_us, r->end_us);
	/* "ok" (most rows) is a success under every rule */
	if (r->status_len && !(r->status_len == 2 && r->status[0] == 'o' &&
			       r->status[1] == 'k')) {
		long v;

		const struct status_rule *rule = &src_of(ing, f)->rule;

		if (r->judged ? 1 : !status_ok(rule, r->status, r->status_len)) {
			status = r->status;
			status_len = r->status_len;
			f->failed++;
		}
		if (!rule->items && !r->judged &&
		    status_integer(r->status, r->status_len, &v)) {
			f->st_zero |= v == 0;
			f->st_http += v >= 100 && v <= 399;
		}
	}
	if (!r->no_stamp && r->start_res < f->start_res)
		f->start_res = r->start_res;
	f->rows++;
	ing->total_rows++;
	if (ing->failed || !ing->sink || !ing->sink->sample)
		return 0;
	{
		struct ingest_sample s = {
			.labels = ing->cur,
			.labels_gen = ing->gen,
			.rep = rep,
			.seq = r->seq,
			.start_us = r->start_us,
			.end_us = r->end_us,
			.bytes = r->bytes,
			.server_us = r->server_us,
			.start_res_us = r->no_stamp ? 0
				      : r->start_res > 0 ? r->start_res : 1,
			.status = status,
			.status_len = status_len,
			.path = ing->sub ? ing->sub : f->path,
			.line = r->src_line ? r->src_line : r->line,
			.file_index = ing->serial,
		};

		if (ing->sink->sample(ing->sink->ctx, &s) != 0) {
			ing->failed = 1;
			return -1;
		}
	}
	return 0;
nomem:
	diag(DIAG_ERROR, "out of memory");
	ing->failed = 1;
	return -1;
}

/* Before reading file F (again): its labels, no groups yet. */
static void begin_file(struct ingest *ing, struct ifile *f)
{
	ing->sub = NULL;
	ing->serial++;
	fgroups_clear(&ing->groups);
	ing->group = NULL;
	memcpy(ing->cur, f->values, ing->nkeys * sizeof *ing->cur);
	for (size_t k = 0; k < f->nrowkeys; k++)
		ing->rowcopy_len[k] = (size_t)-1;
	ing->gen++;
}

/*
 * An interrupted log: count its rows per repetition first (silently), and
 * leave its last repetition out when it holds fewer operations than the
 * others (or than the header's meta.ops when it is the only one): a
 * partial repetition biases every figure made of repetitions.
 */
static void find_partial(struct ingest *ing, struct ifile *f)
{
	struct fgroup *g;
	long least = 0, ops;

	ing->dry = 1;
	ing->dry_group = -1;
	f->fmt->read(ing, f);
	ing->dry = 0;
	if (ing->dry_group < 0)
		return;
	g = &ing->groups.g[ing->dry_group];
	ops = 0;
	for (size_t i = 0; i < g->nreps; i++) {
		if (g->reps[i].rep == f->drop_rep)
			ops = g->reps[i].ops;
		else if (least == 0 || g->reps[i].ops < least)
			least = g->reps[i].ops;
	}
	if (least == 0) {
		/* the only repetition: kept (there is nothing else), and
		 * the warning says it is short */
		if (f->expected_ops > ops)
			f->only_partial = ops;
		return;
	}
	if (ops < least) {
		f->drop_key = strdup(g->key);
		f->drop = f->drop_key != NULL;
		f->drop_others = least;
	}
}

/* What a file's rows said about it, once read. */
static void file_warnings(struct ingest *ing, struct ifile *f)
{
	if (f->interrupted || f->tail == TAIL_KILLED) {
		const char *how = f->tail == TAIL_KILLED
					  ? "the log has no closing '# finished' "
					    "line: its collector was killed"
					  : "the log says its run was interrupted";

		if (f->drop && f->left_out)
			diag_at(DIAG_WARNING, f->path, 0, 0,
				"%s; its last repetition (rep %lld: %ld "
				"operations, the others have %ld) is left out "
				"of the statistics, the rest is kept",
				how, (long long)f->drop_rep, f->left_out,
				f->drop_others);
		else if (f->only_partial)
			diag_at(DIAG_WARNING, f->path, 0, 0,
				"%s; its only repetition holds %ld of the %ld "
				"operations its header planned: kept, as there "
				"is no other, but it covers only part of the "
				"run",
				how, f->only_partial, f->expected_ops);
		else
			diag_at(DIAG_WARNING, f->path, 0, 0,
				"%s; the operations it holds are kept (every "
				"repetition is complete)",
				how);
	}
	if (f->skipped_rows)
		diag_at(DIAG_WARNING, f->path, 0, 0,
			"left out %ld %s", f->skipped_rows, f->skip_what);
	if (f->st_zero && f->st_http)
		diag_at(DIAG_WARNING, f->path, 0, 0,
			"its statuses hold 0 (an exit status) and %ld "
			"values from 100 to 399, all read as successes (HTTP "
			"statuses); if they are exit statuses, pass "
			"--ok-status 0",
			f->st_http);
	if (f->single_client) {
		for (size_t gi = 0; gi < ing->groups.n; gi++) {
			const struct fgroup *g = &ing->groups.g[gi];

			for (size_t i = 0; i < g->nreps; i++) {
				const struct frep *r = &g->reps[i];
				int64_t res = f->start_res > 1 && f->start_res < INT64_MAX
						      ? f->start_res
						      : 1;

				/* rounding may overlap neighbours by a tick */
				if (r->ops && r->max_end - r->min_start +
						      res * r->ops < r->busy) {
					diag_at(DIAG_WARNING, f->path, 0, 0,
						"repetition %lld: its wall "
						"time (%lld us) is below the "
						"sum of its operation times "
						"(%lld us), which one client "
						"cannot do: the clock stepped "
						"or the time stamps are wrong",
						(long long)r->rep,
						(long long)(r->max_end - r->min_start),
						(long long)r->busy);
					return;
				}
			}
		}
	}
}

int ingest_run(struct ingest *ing, const struct ingest_sink *sink)
{
	struct pipeline *pipe = NULL;
	struct ingest_sink piped;

	if (ing->opts.threads > 1 && sink->sample &&
	    pipeline_start(&pipe, sink, ing->nkeys) == 0) {
		piped.sample = pipeline_sample;
		piped.reject = sink->reject;
		piped.ctx = pipe;
		/* reject() gets the pipeline as ctx otherwise: wrap it */
		ing->reject_ctx = sink->ctx;
		sink = &piped;
	} else {
		ing->reject_ctx = sink->ctx;
	}
	ing->sink = sink;
	for (size_t i = 0; i < ing->nfiles; i++) {
		struct ifile *f = &ing->files[i];

		if (f->tail == TAIL_INTERRUPTED || f->tail == TAIL_KILLED) {
			begin_file(ing, f);
			find_partial(ing, f);
		}
		begin_file(ing, f);
		if (f->fmt != &format_samples) {
			int r = seen_before(ing, f->path, strlen(f->path));

			if (r != 0) {
				if (r > 0)
					ingest_file_error(
						ing, f, 0, 0,
						"a samples.csv input holds "
						"this log's operations "
						"already: its repetitions "
						"would count twice");
				ing->failed = 1;
				continue;
			}
		}
		if (f->fmt->read(ing, f) != 0)
			ing->failed = 1;
		else if (f->rows == 0 && f->rejected == 0 && f->bad == 0)
			ingest_file_error(ing, f, 0, 0,
					  "no data rows (expected at least one "
					  "timed operation)");
		file_warnings(ing, f);
	}
	if (pipe && pipeline_finish(pipe) != 0)
		ing->failed = 1;
	ing->sink = NULL;
	return ing->failed ? -1 : 0;
}

size_t ingest_nkeys(const struct ingest *ing)
{
	return ing->nkeys;
}

const char *ingest_key(const struct ingest *ing, size_t i)
{
	return ing->keys[i];
}

int ingest_has_server(const struct ingest *ing)
{
	return ing->has_server;
}

const struct ifile *ingest_ifile(const struct ingest *ing, size_t i)
{
	return &ing->files[i];
}

size_t ingest_nfiles(const struct ingest *ing)
{
	return ing->nfiles;
}

const char *ingest_file_path(const struct ingest *ing, size_t i)
{
	return ing->files[i].path;
}

const char *ingest_file_format(const struct ingest *ing, size_t i)
{
	return ing->files[i].fmt ? ing->files[i].fmt->name : "";
}

long ingest_file_rows(const struct ingest *ing, size_t i)
{
	return ing->files[i].rows;
}

long ingest_file_rejected(const struct ingest *ing, size_t i)
{
	return ing->files[i].rejected;
}

long ingest_file_warmup(const struct ingest *ing, size_t i)
{
	return ing->files[i].warmup;
}

long ingest_file_failed(const struct ingest *ing, size_t i)
{
	return ing->files[i].failed;
}

long ingest_total_rows(const struct ingest *ing)
{
	return ing->total_rows;
}

long ingest_total_rejected(const struct ingest *ing)
{
	return ing->total_rejected;
}
