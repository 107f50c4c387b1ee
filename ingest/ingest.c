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
#include "ingest_core.h"

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

/* in detection order; a preset's probe scores 2 against csv/tsv's 1 */
const struct format *const ingest_all_formats[] = {
	&format_native, &format_paper_web, &format_paper_samba,
	&format_csv,    &format_tsv,       &format_ab,
	&format_jmeter, &format_curl,      &format_siege,
	&format_hyperfine, &format_iperf3, &format_samples, NULL,
};

const char *const ingest_all_format_names[] = {
	"native", "paper-web", "paper-samba", "csv", "tsv", "ab", "jmeter",
	"curl", "siege", "hyperfine", "iperf3", "samples", NULL,
};

/* Note PATH as read; 1 if it was before, 0, -1 without memory.  The
 * copy (ing->seen[ing->last_seen]) lives as long as the ingest: samples
 * point to it, on the pipeline's thread too. */
int ingest_seen_before(struct ingest *ing, const char *path, size_t n)
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
	r = ingest_seen_before(ing, path, n);
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

struct ingest_range *ingest_range_of(const struct ingest *ing)
{
	return ing->range;
}

struct source *ingest_src_of(const struct ingest *ing, const struct ifile *f)
{
	return ing->srcs[f->src];
}

struct ts_zone *ingest_zone(struct ingest *ing, struct ifile *f)
{
	return &ingest_src_of(ing, f)->zone;
}

const struct ingest_options *ingest_file_opts(const struct ingest *ing,
					      const struct ifile *f)
{
	return &ingest_src_of(ing, f)->o;
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
		if (ing->worker) /* said in file order, once per run */
			ingest_worker_warn_once(ing->worker, key, buf);
		else
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
	return ingest_all_format_names;
}

const struct ingest_options *ingest_opts(const struct ingest *ing)
{
	return &ing->opts;
}

int ingest_ignored(struct ingest *ing, struct ifile *f, const char *s,
		   size_t n)
{
	struct source *src = ingest_src_of(ing, f);

	for (size_t k = 0; k < src->nignores; k++)
		if (strlen(src->ignores[k]) == n &&
		    memcmp(src->ignores[k], s, n) == 0) {
			/* workers may set it at once: the same byte */
			__atomic_store_n(&src->ignore_found[k], 1,
					 __ATOMIC_RELAXED);
			return 1;
		}
	return 0;
}

/* --ignore a,b --ignore c: the column names, one by one. */
int ingest_split_ignores(struct source *src)
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
