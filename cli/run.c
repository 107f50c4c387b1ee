#include "run.h"
#include "../lib/diag.h"
#include "../lib/outdir.h"
#include "../lib/outfile.h"
#include "../report/changes.h"
#include "../stats/compare.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Does DIR hold the outputs of an earlier run (its ranks.csv)? */
static int has_earlier(const char *dir)
{
	char *p = outfile_path(dir, "ranks.csv");
	struct stat st;
	int r = p && stat(p, &st) == 0 && S_ISREG(st.st_mode);

	free(p);
	return r;
}

/* The stage files an earlier run's previous/ keeps. */
static const char *const kept_files[] = {
	"samples.csv", "rejects.csv", "inputs.csv", "reps.csv", "summary.csv",
	"hist.csv", "pairs.csv", "ranks.csv", "kendall.csv", "scores.csv",
	"sensitivity.csv", "changes.csv", "baseline.csv", NULL,
};

struct feed {
	struct stats_table *t;
	size_t nkeys;
	const char **vals;
	size_t *lens;
	unsigned long gen;
	int have;
	size_t file_index; /* ingest's file of the last sample ... */
	uint32_t file;     /* ... and its number in the stats table */
	int have_file;
};

/* Every sample into the stats table; labels are measured only when they
 * change. */
static int feed_sample(void *ctx, const struct ingest_sample *s)
{
	struct feed *f = ctx;
	int same = f->have && s->labels_gen == f->gen, rc;

	if (!same) {
		for (size_t k = 0; k < f->nkeys; k++) {
			f->vals[k] = s->labels[k] ? s->labels[k] : "";
			f->lens[k] = strlen(f->vals[k]);
		}
		f->gen = s->labels_gen;
		f->have = 1;
	}
	if (!f->have_file || s->file_index != f->file_index) {
		f->file = stats_table_file(f->t, s->path, strlen(s->path));
		if (f->file == UINT32_MAX) {
			diag(DIAG_ERROR, "out of memory");
			return -1;
		}
		f->file_index = s->file_index;
		f->have_file = 1;
	}
	/* ingest has normalised the status: "ok" or the failure */
	rc = stats_table_add(f->t, f->vals, f->lens, same, f->file, s->rep,
			     s->start_us, s->end_us, s->bytes,
			     s->start_res_us > 0 ? s->start_res_us
						 : STATS_NO_STAMP,
			     !(s->status_len == 2 &&
			       memcmp(s->status, "ok", 2) == 0));
	if (rc == -2) {
		diag_at(DIAG_ERROR, s->path, s->line, 0,
			"repetition %" PRId64 " of %s goes on here after "
			"rows of other files, and its figures were computed "
			"(past --hold-ops operations in memory, a file's "
			"repetitions are closed when the next file starts): "
			"give --hold-ops 0 to hold every operation, or put "
			"each file's rows together",
			s->rep, s->path);
		return -1;
	}
	return rc;
}

/* What can be checked before reading any log: the weights file, the
 * template and its stylesheet. */
static int precheck(const struct run_options *o)
{
	int rc = 0;

	if (o->rank.weights) {
		FILE *f = fopen(o->rank.weights, "r");
		struct stat st;

		if (!f || fstat(fileno(f), &st) != 0 ||
		    !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) {
			diag_at(DIAG_ERROR, o->rank.weights, 0, 0,
				"cannot read the weights file: %s",
				!f ? strerror(errno) : "not a regular file or a pipe");
			rc = -1;
		}
		if (f)
			fclose(f);
	}
	if (report_check(&o->report) != 0)
		rc = -1;
	return rc;
}

static int run_stages(const char *const *paths, size_t npaths,
		      const struct run_options *o, const char *outdir,
		      const char *shown);

int vmnetrank_run(const char *const *paths, size_t npaths,
		  const struct run_options *o, const char *outdir)
{
	struct outdir od;
	int rc = -1;
	char *prev = NULL;

	long errors = diag_count(DIAG_ERROR);

	if (precheck(o) != 0 || outdir_begin(&od, outdir) != 0)
		return -1;
	/* an error reported is a failed stage, whatever it returned; the
	 * earlier outputs go to previous/ once the new ones are in place */
	if (run_stages(paths, npaths, o, od.stage, outdir) == 0 &&
	    diag_count(DIAG_ERROR) == errors &&
	    (o->no_keep_previous || !has_earlier(outdir) ||
	     (prev = outdir_previous_begin(&od, kept_files)) != NULL) &&
	    outdir_commit(&od, 1) == 0) {
		rc = 0;
		if (prev && outdir_previous_commit(&od, prev) != 0)
			rc = -1;
		prev = NULL;
		if (!o->baseline) {
			/* an earlier run's comparison is not this one's */
			char *b = outfile_path(outdir, "baseline.csv");

			if (b)
				unlink(b);
			free(b);
		}
	}
	outdir_previous_drop(prev);
	outdir_end(&od);
	return rc;
}

/* run --baseline DIR: compare's table of DIR against this run, as
 * baseline.csv in OUTDIR (the report draws it). */
static int baseline_write(const struct run_options *o, const char *outdir)
{
	struct compare_options co;
	struct outfile of;
	char *path = outfile_path(outdir, "baseline.csv");
	char *r1 = outfile_path(o->baseline, "reps.csv");
	char *r2 = outfile_path(o->baseline, "summary.csv");
	int rc = -1;

	memset(&co, 0, sizeof co);
	co.alpha = o->rank.alpha;
	co.margin = o->rank.margin;
	co.max_failed = o->rank.max_failed;
	co.metrics = o->rank.metrics;
	co.nmetrics = o->rank.nmetrics;
	co.ignore = o->baseline_ignore;
	co.nignore = o->nbaseline_ignore;
	co.fail_on_slower = -1;
	co.csv = 1;
	if (path && r1 && r2 && outfile_open(&of, path) == 0) {
		if (compare_run(o->baseline, outdir, o->baseline, "this run", &co,
				of.fp) >= 0)
			rc = outfile_commit(&of);
		else
			outfile_abort(&of);
	}
	/* read whole: the baseline may be this folder, whose files this run
	 * replaces */
	outfile_forget_input(r1);
	outfile_forget_input(r2);
	free(path);
	free(r1);
	free(r2);
	return rc;
}

/* The inputs added, prepared: F's stats table made with their label keys.
 * 0, or -1 after messages. */
static int feed_open(struct feed *f, struct ingest *ing,
		     const char *const *paths, size_t npaths,
		     const char *const *sources, size_t nsources,
		     const struct stats_options *so)
{
	const char **keys;

	for (size_t i = 0; i < npaths; i++)
		ingest_add_path(ing, paths[i]);
	for (size_t i = 0; i < nsources; i++)
		ingest_add_sources(ing, sources[i]);
	if (ingest_prepare(ing) != 0)
		return -1;
	f->nkeys = ingest_nkeys(ing);
	keys = calloc(f->nkeys + 1, sizeof *keys);
	f->vals = calloc(f->nkeys + 1, sizeof *f->vals);
	f->lens = calloc(f->nkeys + 1, sizeof *f->lens);
	if (!keys || !f->vals || !f->lens) {
		free(keys);
		diag(DIAG_ERROR, "out of memory");
		return -1;
	}
	for (size_t k = 0; k < f->nkeys; k++)
		keys[k] = ingest_key(ing, k);
	f->t = stats_table_new(f->nkeys, keys, so);
	free(keys);
	return f->t ? 0 : -1;
}

static void feed_close(struct feed *f)
{
	free(f->vals);
	free(f->lens);
}

struct stats_table *run_table(const char *const *paths, size_t npaths,
			      const char *const *sources, size_t nsources,
			      const struct ingest_options *io,
			      const struct stats_options *so)
{
	struct ingest *ing = ingest_new(io);
	struct feed f;
	struct ingest_sink sink = { feed_sample, NULL, &f, NULL };
	struct stats_table *t = NULL;

	memset(&f, 0, sizeof f);
	if (!ing)
		return NULL;
	if (feed_open(&f, ing, paths, npaths, sources, nsources, so) == 0 &&
	    ingest_write_samples(ing, NULL, NULL, &sink) == 0) {
		t = f.t;
		f.t = NULL;
	}
	stats_table_free(f.t);
	feed_close(&f);
	ingest_free(ing);
	return t;
}

/* Every stage into OUTDIR (the staging folder); SHOWN is the folder the
 * user named. */
static int run_stages(const char *const *paths, size_t npaths,
		      const struct run_options *o, const char *outdir,
		      const char *shown)
{
	struct ingest_options io = o->ingest;
	struct ingest *ing;
	struct feed f;
	struct ingest_sink sink = { feed_sample, NULL, &f, NULL };
	struct outfile out, rej;
	int have_out = 0, have_rej = 0, rc = -1;

	memset(&f, 0, sizeof f);
	io.digests = 1; /* inputs.csv is always written */
	ing = ingest_new(&io);
	if (!ing)
		return -1;
	if (feed_open(&f, ing, paths, npaths, o->sources, o->nsources,
		      &o->stats) != 0)
		goto out;
	if (o->keep_samples) {
		char *p = outfile_path(outdir, "samples.csv");

		have_out = p && outfile_open(&out, p) == 0;
		free(p);
		if (!have_out)
			goto out;
	}
	if (o->ingest.keep_going) {
		char *p = outfile_path(outdir, "rejects.csv");

		have_rej = p && outfile_open(&rej, p) == 0;
		free(p);
		if (!have_rej)
			goto out;
	}
	if (ingest_write_samples(ing, have_out ? out.fp : NULL,
				 have_rej ? rej.fp : NULL, &sink) != 0) {
		if (have_out)
			outfile_report_error(&out);
		if (have_rej)
			outfile_report_error(&rej);
		goto out;
	}
	if (have_out) {
		have_out = 0;
		if (outfile_commit(&out) != 0)
			goto out;
	}
	if (have_rej) {
		have_rej = 0;
		if (outfile_commit(&rej) != 0)
			goto out;
		if (ingest_total_rejected(ing) > 0)
			diag(DIAG_WARNING, "%ld bad row%s rejected; see %s/rejects.csv",
			     ingest_total_rejected(ing),
			     ingest_total_rejected(ing) == 1 ? "" : "s", shown);
	}
	{
		char *p = outfile_path(outdir, "inputs.csv");
		struct outfile in;

		if (!p || outfile_open(&in, p) != 0) {
			free(p);
			goto out;
		}
		free(p);
		if (ingest_write_inputs(ing, in.fp) != 0) {
			outfile_abort(&in);
			goto out;
		}
		if (outfile_commit(&in) != 0)
			goto out;
	}
	if (stats_write(f.t, &o->stats, outdir) != 0 ||
	    rank_run(outdir, &o->rank, outdir) != 0)
		goto out;
	/* an earlier run in the folder: what this one changed (changes.csv,
	 * and the report's "Since the last run") */
	if (has_earlier(shown) && changes_write(shown, outdir, outdir) != 0)
		goto out;
	if (o->baseline && baseline_write(o, outdir) != 0)
		goto out;
	if (report_run(outdir, &o->report, outdir) != 0)
		goto out;
	rc = 0;
out:
	if (have_out)
		outfile_abort(&out);
	if (have_rej)
		outfile_abort(&rej);
	stats_table_free(f.t);
	feed_close(&f);
	ingest_free(ing);
	return rc;
}
