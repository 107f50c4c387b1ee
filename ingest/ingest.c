/* The ingest core: files, labels, row checks; formats live in fmt_*.c. */
#define _POSIX_C_SOURCE 200809L
#include "ingest_int.h"
#include "../lib/diag.h"
#include "../lib/opts.h"
#include "pipeline.h"

#include <dirent.h>
#include <errno.h>
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

static const struct format *const formats[] = {
	&format_native, &format_paper_web, &format_paper_samba,
	&format_csv,    &format_tsv,       NULL,
};

static const char *const format_names[] = {
	"native", "paper-web", "paper-samba", "csv", "tsv", NULL,
};

struct ingest {
	struct ingest_options opts;
	struct kvlist cli; /* --label */
	struct ifile *files;
	size_t nfiles, capfiles;
	char **keys;
	size_t nkeys;
	size_t key_workload, key_direction;
	int has_server;
	int failed;
	const struct ingest_sink *sink;
	void *reject_ctx;
	struct keyset seen;
	/* labels of the current row */
	const char **cur;
	char **rowcopy;       /* per rowkey: our NUL-terminated copy */
	size_t nrowcopy;
	size_t *rowcopy_len;
	size_t *rowcopy_cap;
	unsigned long gen;
	long total_rows, total_rejected;
	int64_t now_us;
};

const char *const *ingest_format_names(void)
{
	return format_names;
}

const struct ingest_options *ingest_opts(const struct ingest *ing)
{
	return &ing->opts;
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

/* ---- keyset: which (rep, seq) pairs a file has used ---- */

static void keyset_clear(struct keyset *k)
{
	k->n = 0;
}

static void keyset_release(struct keyset *k)
{
	free(k->lo);
	free(k->hi);
	memset(k, 0, sizeof *k);
}

/* 1 if KEY was there already, 0 if added, -1 on no memory.  Keys are held
 * as sorted disjoint intervals, so an ordered log needs one per rep. */
static int keyset_add(struct keyset *k, uint64_t key)
{
	size_t lo = 0, hi, pos;

	if (k->n > 0) {
		if (key == k->hi[k->n - 1] + 1) {
			k->hi[k->n - 1] = key;
			return 0;
		}
		if (key > k->hi[k->n - 1] + 1) {
			pos = k->n;
			goto insert;
		}
	}
	/* binary search: first interval with hi >= key */
	hi = k->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (k->hi[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	pos = lo;
	if (pos < k->n && k->lo[pos] <= key)
		return 1;
	/* extend a neighbour when adjacent */
	if (pos < k->n && key + 1 == k->lo[pos]) {
		k->lo[pos] = key;
		if (pos > 0 && k->hi[pos - 1] + 1 == key) {
			k->hi[pos - 1] = k->hi[pos];
			memmove(k->lo + pos, k->lo + pos + 1,
				(k->n - pos - 1) * sizeof *k->lo);
			memmove(k->hi + pos, k->hi + pos + 1,
				(k->n - pos - 1) * sizeof *k->hi);
			k->n--;
		}
		return 0;
	}
	if (pos > 0 && k->hi[pos - 1] + 1 == key) {
		k->hi[pos - 1] = key;
		return 0;
	}
insert:
	if (k->n == k->cap) {
		size_t ncap = k->cap ? k->cap * 2 : 64;
		uint64_t *nl = realloc(k->lo, ncap * sizeof *nl);
		uint64_t *nh;

		if (!nl)
			return -1;
		k->lo = nl;
		nh = realloc(k->hi, ncap * sizeof *nh);
		if (!nh)
			return -1;
		k->hi = nh;
		k->cap = ncap;
	}
	memmove(k->lo + pos + 1, k->lo + pos, (k->n - pos) * sizeof *k->lo);
	memmove(k->hi + pos + 1, k->hi + pos, (k->n - pos) * sizeof *k->hi);
	k->lo[pos] = k->hi[pos] = key;
	k->n++;
	return 0;
}

/* ---- setup ---- */

struct ingest *ingest_new(const struct ingest_options *opts)
{
	struct ingest *ing = calloc(1, sizeof *ing);

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
	for (size_t i = 0; i < opts->nlabels; i++) {
		const char *s = opts->labels[i];
		const char *eq = strchr(s, '=');
		const char *why;

		if (!eq) {
			diag(DIAG_USAGE,
			     "--label '%s': expected KEY=VALUE, e.g. "
			     "--label direction=internal",
			     s);
			ing->failed = 1;
			continue;
		}
		if (label_key_ok(s, (size_t)(eq - s), &why) != 0) {
			diag(DIAG_USAGE, "--label '%s': %s", s, why);
			ing->failed = 1;
			continue;
		}
		if (eq[1] == '\0' || !utf8_ok(eq + 1, strlen(eq + 1))) {
			diag(DIAG_USAGE,
			     "--label '%s': expected a non-empty UTF-8 value",
			     s);
			ing->failed = 1;
			continue;
		}
		kvlist_set(&ing->cli, s, (size_t)(eq - s), eq + 1,
			   strlen(eq + 1), 0);
	}
	if (ingest_check_maps(opts) != 0)
		ing->failed = 1;
	return ing;
}

static void ifile_release(struct ifile *f)
{
	free(f->path);
	kvlist_release(&f->labels);
	kvlist_release(&f->meta);
	for (size_t i = 0; i < f->nrowkeys; i++)
		free(f->rowkeys[i]);
	free(f->rowkeys);
	free(f->rowkey_index);
	free(f->values);
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
	kvlist_release(&ing->cli);
	keyset_release(&ing->seen);
	free(ing->cur);
	free(ing->rowcopy_len);
	free(ing->rowcopy_cap);
	for (size_t i = 0; ing->rowcopy && i < ing->nrowcopy; i++)
		free(ing->rowcopy[i]);
	free(ing->rowcopy);
	free(ing);
}

static int add_file(struct ingest *ing, const char *path)
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
	if (!f->path) {
		diag(DIAG_ERROR, "out of memory");
		return -1;
	}
	ing->nfiles++;
	return 0;
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
		diag_at(DIAG_ERROR, dir, 0, 0, "cannot read folder: %s",
			strerror(errno));
		return -1;
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
				rc = add_file(ing, p);
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
	return add_file(ing, path);
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

		if (eq && eq > p && label_key_ok(p, (size_t)(eq - p), &why) == 0 &&
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
	int fd = open(f->path, O_RDONLY);
	int best = 0, nbest = 0;
	const struct format *pick = NULL;
	char names[256] = "";

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
		if (len == 0) {
			ingest_file_error(ing, f, 0, 0,
					  "empty file (expected a timing log: "
					  "%s)",
					  "native, csv, tsv, paper-web or "
					  "paper-samba");
			return -1;
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
		if (ing->opts.format && strcmp(ing->opts.format, "auto") != 0) {
			f->fmt = format_by_name(ing->opts.format);
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
	if (nbest == 0) {
		ingest_file_error(ing, f, 1, 1,
				  "unknown log format (expected '# "
				  "vmnetrank-log 1', a CSV or TSV header "
				  "row, a paper-web 'cmdLine:' log or a "
				  "paper-samba log; or give --format)");
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

int ingest_prepare(struct ingest *ing)
{
	if (ing->failed)
		return -1;
	if (ing->nfiles == 0) {
		diag(DIAG_ERROR, "no input files");
		return -1;
	}
	if (ing->opts.format && strcmp(ing->opts.format, "auto") != 0 &&
	    !format_by_name(ing->opts.format)) {
		const char *best = opts_closest(ing->opts.format, format_names);

		diag(DIAG_USAGE,
		     "unknown format '%s'%s%s%s (expected auto, native, csv, "
		     "tsv, paper-web or paper-samba)",
		     ing->opts.format, best ? "; did you mean '" : "",
		     best ? best : "", best ? "'?" : "");
		return -1;
	}
	for (size_t i = 0; i < ing->nfiles; i++) {
		struct ifile *f = &ing->files[i];

		if (path_labels(ing, f) != 0 || detect(ing, f) != 0 ||
		    f->fmt->scan(ing, f) != 0)
			ing->failed = 1;
	}
	if (ing->failed)
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
	for (size_t k = 0; k < ing->cli.n; k++)
		if (add_key(&ing->keys, &ing->nkeys, ing->cli.v[k].key) != 0)
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
			const char *v = kvlist_get(&ing->cli, ing->keys[k]);

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

void ingest_file_error(struct ingest *ing, struct ifile *f, long line,
		       long col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_at(DIAG_ERROR, f->path, line, col, "%s", msg);
	ing->failed = 1;
}

void ingest_bad_row(struct ingest *ing, struct ifile *f, long line, long col,
		    const char *raw, size_t rawlen, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

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
		if (kvlist_get(&ing->cli, ing->keys[k]))
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

int ingest_row(struct ingest *ing, struct ifile *f, const struct row *r)
{
	int64_t limit = ing->now_us + DAY_US;
	uint64_t key;

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
	if (r->start_us < MIN_EPOCH_US || r->start_us > limit) {
		ingest_bad_row(ing, f, r->line, r->col_start, r->raw, r->rawlen,
			       "start time %lld us is %s (expected epoch "
			       "microseconds from 1990 to a day from now)",
			       (long long)r->start_us,
			       r->start_us < MIN_EPOCH_US ? "before 1990"
							  : "in the future");
		return 0;
	}
	if (r->end_us < r->start_us) {
		ingest_bad_row(ing, f, r->line, r->col_end, r->raw, r->rawlen,
			       "end before start (end %lld < start %lld us; "
			       "expected end >= start)",
			       (long long)r->end_us, (long long)r->start_us);
		return 0;
	}
	if (r->end_us > limit) {
		ingest_bad_row(ing, f, r->line, r->col_end, r->raw, r->rawlen,
			       "end time %lld us is in the future (expected "
			       "at most a day from now)",
			       (long long)r->end_us);
		return 0;
	}
	if (f->nrowkeys && row_labels(ing, f, r) != 0)
		return 0;
	key = ((uint64_t)r->rep << 32) | (uint64_t)r->seq;
	switch (keyset_add(&ing->seen, key)) {
	case 1:
		ingest_bad_row(ing, f, r->line, r->col_seq, r->raw, r->rawlen,
			       "repeated rep %lld seq %lld (expected each "
			       "(rep, seq) once in a file)",
			       (long long)r->rep, (long long)r->seq);
		return 0;
	case -1:
		diag(DIAG_ERROR, "out of memory");
		ing->failed = 1;
		return -1;
	}
	if (r->warmup) {
		f->warmup++;
		if (!ing->opts.include_warmup)
			return 0;
	}
	f->rows++;
	ing->total_rows++;
	if (ing->failed || !ing->sink || !ing->sink->sample)
		return 0;
	{
		struct ingest_sample s = {
			.labels = ing->cur,
			.labels_gen = ing->gen,
			.rep = r->rep,
			.seq = r->seq,
			.start_us = r->start_us,
			.end_us = r->end_us,
			.bytes = r->bytes,
			.server_us = r->server_us,
			.status = r->status && r->status_len ? r->status : "ok",
			.status_len = r->status && r->status_len ? r->status_len
								 : 2,
			.path = f->path,
			.line = r->line,
			.file_index = (size_t)(f - ing->files),
		};

		if (ing->sink->sample(ing->sink->ctx, &s) != 0) {
			ing->failed = 1;
			return -1;
		}
	}
	return 0;
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

		keyset_clear(&ing->seen);
		memcpy(ing->cur, f->values, ing->nkeys * sizeof *ing->cur);
		for (size_t k = 0; k < f->nrowkeys; k++) {
			ing->rowcopy_len[k] = (size_t)-1;
		}
		ing->gen++;
		if (f->fmt->read(ing, f) != 0)
			ing->failed = 1;
		else if (f->rows == 0 && f->rejected == 0 && f->bad == 0)
			ingest_file_error(ing, f, 0, 0,
					  "no data rows (expected at least one "
					  "timed operation)");
		if (f->interrupted)
			diag_at(DIAG_WARNING, f->path, 0, 0,
				"the log says its run was interrupted; the "
				"operations it holds are kept");
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

long ingest_total_rows(const struct ingest *ing)
{
	return ing->total_rows;
}

long ingest_total_rejected(const struct ingest *ing)
{
	return ing->total_rejected;
}
