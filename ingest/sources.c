/*
 * --sources FILE: inputs of different runners in one call, each with its
 * own options.  One input a line:
 *
 *   # runner     options of its own
 *   ab.tsv       --format ab --label vm=QEMU --label workload=web
 *   hyperfine/   --format hyperfine --label workload=boot
 *   old/samples.csv
 *
 * Words are split at blanks; '...' and "..." quote (in "...", \" and \\);
 * a word starting with # begins a comment.  The options a line may carry
 * are those that say how to read a log (below); the command line's apply
 * to every line first.  Paths are relative to the folder of FILE.
 */
#include "ingest_int.h"
#include "../lib/diag.h"
#include "../lib/lines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct word {
	char *s;
	long col;
};

/* Split line S (N bytes) into words; the number, or -1 after a message. */
static long split(const char *file, long lineno, const char *s, size_t n,
		  struct word *w, long cap)
{
	size_t i = 0;
	long nw = 0;

	for (;;) {
		char *out;
		size_t len = 0;
		long col;

		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (i >= n || s[i] == '#')
			return nw;
		if (nw == cap) {
			diag_at(DIAG_ERROR, file, lineno, (long)i + 1,
				"more than %ld words on one line", cap);
			goto fail;
		}
		col = (long)i + 1;
		out = malloc(n - i + 1);
		if (!out) {
			diag(DIAG_ERROR, "out of memory");
			goto fail;
		}
		while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r') {
			char q = s[i];

			if (q == '\'' || q == '"') {
				size_t open = i++;

				while (i < n && s[i] != q) {
					if (q == '"' && s[i] == '\\' && i + 1 < n &&
					    (s[i + 1] == '"' || s[i + 1] == '\\'))
						i++;
					out[len++] = s[i++];
				}
				if (i >= n) {
					diag_at(DIAG_ERROR, file, lineno,
						(long)open + 1,
						"quote %c is not closed "
						"(expected a closing %c on "
						"the same line)",
						q, q);
					free(out);
					goto fail;
				}
				i++;
			} else {
				out[len++] = s[i++];
			}
		}
		out[len] = '\0';
		w[nw].s = out;
		w[nw].col = col;
		nw++;
	}
fail:
	while (nw > 0)
		free(w[--nw].s);
	return -1;
}

static const char *const line_opts[] = {
	"format", "label", "map", "ignore", "ok-status", "name-pattern",
	"date", "tz", "no-header", NULL,
};

int ingest_add_sources(struct ingest *ing, const char *file)
{
	struct lines L;
	const char *s;
	size_t n;
	int rc = 0, got;
	const char *slash = strrchr(file, '/');
	size_t dirlen = slash ? (size_t)(slash - file) + 1 : 0;
	long inputs = 0;

	if (lines_open(&L, file) != 0) {
		diag_at(DIAG_ERROR, file, 0, 0, "cannot read the sources file: %s",
			L.error);
		ingest_fail(ing);
		return -1;
	}
	while ((got = lines_next(&L, &s, &n)) == 1) {
		struct word w[256];
		long nw = split(file, L.lineno, s, n, w, 256);
		struct ingest_options add;
		const char **labels, **maps, **ignore, **paths;
		size_t np = 0;
		int bad = 0;

		if (nw < 0) {
			rc = -1;
			continue;
		}
		if (nw == 0)
			continue;
		memset(&add, 0, sizeof add);
		labels = calloc((size_t)nw, sizeof *labels);
		maps = calloc((size_t)nw, sizeof *maps);
		ignore = calloc((size_t)nw, sizeof *ignore);
		paths = calloc((size_t)nw, sizeof *paths);
		if (!labels || !maps || !ignore || !paths) {
			diag(DIAG_ERROR, "out of memory");
			free(labels), free(maps), free(ignore), free(paths);
			rc = -1;
			break;
		}
		add.labels = labels;
		add.maps = maps;
		add.ignore = ignore;
		for (long i = 0; i < nw; i++) {
			char *word = w[i].s, *val = NULL, *eq;
			size_t k;

			ingest_keep(ing, word);
			if (strncmp(word, "--", 2) != 0) {
				paths[np++] = word;
				continue;
			}
			eq = strchr(word, '=');
			if (eq) {
				*eq = '\0';
				val = eq + 1;
			}
			for (k = 0; line_opts[k]; k++)
				if (strcmp(word + 2, line_opts[k]) == 0)
					break;
			if (!line_opts[k]) {
				diag_at(DIAG_USAGE, file, L.lineno, w[i].col,
					"unknown option '%s' in a sources file "
					"(expected --format, --label, --map, "
					"--ignore, --ok-status, --name-pattern, "
					"--date, --tz or --no-header)",
					word);
				bad = 1;
				continue;
			}
			if (strcmp(line_opts[k], "no-header") == 0) {
				if (val) {
					diag_at(DIAG_USAGE, file, L.lineno,
						w[i].col,
						"--no-header takes no value");
					bad = 1;
				}
				add.no_header = 1;
				continue;
			}
			if (!val) {
				if (i + 1 >= nw) {
					diag_at(DIAG_USAGE, file, L.lineno,
						w[i].col,
						"%s needs a value", word);
					bad = 1;
					continue;
				}
				val = w[++i].s;
				ingest_keep(ing, val);
			}
			switch (k) {
			case 0: add.format = val; break;
			case 1: labels[add.nlabels++] = val; break;
			case 2: maps[add.nmaps++] = val; break;
			case 3: ignore[add.nignore++] = val; break;
			case 4: add.ok_status = val; break;
			case 5: add.name_pattern = val; break;
			case 6: add.date = val; break;
			case 7: add.tz = val; break;
			}
		}
		if (np == 0 && !bad) {
			diag_at(DIAG_ERROR, file, L.lineno, w[0].col,
				"no input on this line (expected a log file or "
				"folder, then its options)");
			bad = 1;
		}
		if (!bad) {
			char where[4200];
			long si;

			snprintf(where, sizeof where, "%s:%ld", file, L.lineno);
			si = ingest_add_source(ing, &add, where);
			if (si < 0)
				bad = 1;
			else {
				ingest_use_source(ing, (size_t)si);
				for (size_t j = 0; j < np; j++) {
					char *p = (char *)paths[j];

					if (p[0] != '/' && dirlen) {
						char *full = malloc(dirlen + strlen(p) + 1);

						if (!full) {
							bad = 1;
							break;
						}
						memcpy(full, file, dirlen);
						strcpy(full + dirlen, p);
						ingest_keep(ing, full);
						p = full;
					}
					if (ingest_add_path(ing, p) != 0)
						bad = 1;
					inputs++;
				}
				ingest_use_source(ing, 0);
			}
		}
		ingest_keep(ing, labels);
		ingest_keep(ing, maps);
		ingest_keep(ing, ignore);
		free(paths);
		if (bad)
			rc = -1;
	}
	if (got < 0) {
		diag_at(DIAG_ERROR, file, L.lineno, 0, "cannot read: %s", L.error);
		rc = -1;
	}
	lines_close(&L);
	if (rc == 0 && inputs == 0) {
		diag_at(DIAG_ERROR, file, 0, 0,
			"the sources file lists no input (expected lines "
			"'PATH [--format F] [--label K=V]...')");
		rc = -1;
	}
	if (rc != 0)
		ingest_fail(ing);
	return rc;
}
