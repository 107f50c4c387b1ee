/* The ingest core: before any row, each input labelled from its path,
 * its format detected, its columns checked, the keys ordered. */
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
			if (len - 4 > 30 || ingest_rep_number(num, &f->rep_from) != 0) {
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

const struct format *ingest_format_by_name(const char *name)
{
	for (size_t i = 0; ingest_all_formats[i]; i++)
		if (strcmp(ingest_all_formats[i]->name, name) == 0)
			return ingest_all_formats[i];
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
		if (ingest_src_of(ing, f)->o.format &&
		    strcmp(ingest_src_of(ing, f)->o.format, "auto") != 0) {
			f->fmt = ingest_format_by_name(ingest_src_of(ing, f)->o.format);
			/* a README beside native, csv or tsv logs: skipped (the
			 * paper formats' probes need more than these logs may
			 * start with, so a forced one is always read) */
			if (f->walked && strncmp(f->fmt->name, "paper-", 6) != 0 &&
			    f->fmt->probe(s, len) == 0)
				f->skipped = 1;
			return 0;
		}
		for (size_t i = 0; ingest_all_formats[i]; i++) {
			int score = ingest_all_formats[i]->probe(s, len);

			if (score > best) {
				best = score;
				nbest = 1;
				pick = ingest_all_formats[i];
				snprintf(names, sizeof names, "%s",
					 ingest_all_formats[i]->name);
			} else if (score == best && score > 0) {
				size_t l = strlen(names);

				nbest++;
				snprintf(names + l, sizeof names - l, ", %s",
					 ingest_all_formats[i]->name);
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
	return label_order(*(char *const *)a, *(char *const *)b);
}

/* Normalise a direction value in place to lower case; 0 if valid. */
const char *ingest_direction_value(const char *v, size_t n)
{
	if (n == 8 && strncasecmp(v, "internal", 8) == 0)
		return "internal";
	if (n == 8 && strncasecmp(v, "external", 8) == 0)
		return "external";
	return NULL;
}

const char ingest_how_direction[] =
	"put the log under a direction=internal (or external) folder, add "
	"'# direction=internal' to a native header, or pass --label "
	"direction=internal";
const char ingest_how_workload[] =
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
		ingest_ifile_release(f);
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
		int64_t cli_rep = ingest_src_of(ing, f)->cli_rep;
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
	if (drop_skipped(ing) != 0 || ingest_check_twice(ing) != 0 ||
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

	for (size_t i = 0; i < ing->nfiles; i++) {
		struct ifile *f = &ing->files[i];
		int has_dir_row = 0, has_wl_row = 0;

		f->values = calloc(ing->nkeys, sizeof *f->values);
		f->rowkey_index = calloc(f->nrowkeys + 1,
					 sizeof *f->rowkey_index);
		if (!f->values || !f->rowkey_index)
			goto nomem;
		for (size_t k = 0; k < ing->nkeys; k++) {
			const char *v = kvlist_get(&ingest_src_of(ing, f)->cli,
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
				const char *norm = ingest_direction_value(d, strlen(d));

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
						  ingest_how_direction);
			}
		}
		if (!f->values[ing->key_workload] && !has_wl_row)
			ingest_file_error(ing, f, 0, 0, "no workload label: %s",
					  ingest_how_workload);
	}
	{
		size_t most = 0;

		for (size_t i = 0; i < ing->nfiles; i++)
			if (ing->files[i].nrowkeys > most)
				most = ing->files[i].nrowkeys;
		if (ingest_row_state_alloc(ing, most) != 0)
			goto nomem;
	}
	return ing->failed ? -1 : 0;
nomem:
	diag(DIAG_ERROR, "out of memory");
	ing->failed = 1;
	return -1;
}

/* ---- run ---- */
