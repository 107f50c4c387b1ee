/* The ingest core: its sources and options, and the inputs it is given
 * (files, folders walked in byte order, pipes spooled). */
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

/* "3" as a repetition number; 0, or -1 when it is none. */
int ingest_rep_number(const char *s, int64_t *out)
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
			if (ingest_rep_number(eq + 1, &src->cli_rep) != 0) {
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
	if (ingest_split_ignores(src) != 0) {
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
	    !ingest_format_by_name(opts->format)) {
		const char *best = opts_closest(opts->format, ingest_all_format_names);

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

void ingest_ifile_release(struct ifile *f)
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
		ingest_ifile_release(&ing->files[i]);
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
	ingest_row_state_release(ing);
	free(ing);
}

int ingest_row_state_alloc(struct ingest *ing, size_t nrowcopy)
{
	ing->cur = calloc(ing->nkeys + 1, sizeof *ing->cur);
	ing->rowcopy = calloc(nrowcopy + 1, sizeof *ing->rowcopy);
	ing->nrowcopy = nrowcopy;
	ing->rowcopy_len = calloc(nrowcopy + 1, sizeof *ing->rowcopy_len);
	ing->rowcopy_cap = calloc(nrowcopy + 1, sizeof *ing->rowcopy_cap);
	return ing->cur && ing->rowcopy && ing->rowcopy_len &&
			       ing->rowcopy_cap
		       ? 0
		       : -1;
}

void ingest_row_state_release(struct ingest *ing)
{
	fgroups_release(&ing->groups);
	free(ing->keybuf);
	free(ing->cur);
	free(ing->rowcopy_len);
	free(ing->rowcopy_cap);
	for (size_t i = 0; ing->rowcopy && i < ing->nrowcopy; i++)
		free(ing->rowcopy[i]);
	free(ing->rowcopy);
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
int ingest_check_twice(struct ingest *ing)
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
			ingest_ifile_release(&ing->files[--ing->nfiles]);
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
