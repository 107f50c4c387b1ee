/* The ingest core: the rows, labelled and checked, to the sink; each
 * file begun and ended, its warnings said. */
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
		if (kvlist_get(&ingest_src_of(ing, f)->cli, ing->keys[k]))
			use = f->values[k];
		else if (k == ing->key_direction && use) {
			const char *norm = ingest_direction_value(use, strlen(use));

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
			       "no direction for this row: %s", ingest_how_direction);
		return -1;
	}
	if (!ing->cur[ing->key_workload]) {
		ingest_bad_row(ing, f, r->line, 0, r->raw, r->rawlen,
			       "no workload for this row: %s", ingest_how_workload);
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

		const struct status_rule *rule = &ingest_src_of(ing, f)->rule;

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
	ingest_begin_part(ing, f, 0);
	ing->serial++;
}

void ingest_begin_part(struct ingest *ing, struct ifile *f, int keep)
{
	ing->sub = NULL;
	if (!keep)
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

/* Whether F may be read: not a raw log a samples.csv input holds already
 * (then an error).  Noted as read either way. */
int ingest_may_read(struct ingest *ing, struct ifile *f)
{
	int r;

	if (f->fmt == &format_samples)
		return 1;
	r = ingest_seen_before(ing, f->path, strlen(f->path));
	if (r == 0)
		return 1;
	if (r > 0)
		ingest_file_error(ing, f, 0, 0,
				  "a samples.csv input holds this log's "
				  "operations already: its repetitions would "
				  "count twice");
	ing->failed = 1;
	return 0;
}

void ingest_read_file(struct ingest *ing, struct ifile *f)
{
	int read_failed;

	if (f->tail == TAIL_INTERRUPTED || f->tail == TAIL_KILLED) {
		begin_file(ing, f);
		find_partial(ing, f);
	}
	begin_file(ing, f);
	/* this file's reading, not an earlier file's failure, decides
	 * whether its lack of rows is worth saying */
	read_failed = f->fmt->read(ing, f) != 0;
	if (read_failed)
		ing->failed = 1;
	ingest_end_file(ing, f, read_failed);
}

void ingest_end_file(struct ingest *ing, struct ifile *f, int read_failed)
{
	if (!read_failed && f->rows == 0 && f->rejected == 0 && f->bad == 0)
		ingest_file_error(ing, f, 0, 0,
				  "no data rows (expected at least one "
				  "timed operation)");
	file_warnings(ing, f);
}

int ingest_run(struct ingest *ing, const struct ingest_sink *sink)
{
	struct pipeline *pipe = NULL;
	struct ingest_sink piped;
	int rc;

	ing->reject_ctx = sink->ctx;
	ing->sink = sink;
	rc = ingest_run_workers(ing);
	if (rc != 1) {
		ing->sink = NULL;
		return rc == 0 && !ing->failed ? 0 : -1;
	}
	if (ing->opts.threads > 1 && sink->sample &&
	    pipeline_start(&pipe, sink, ing->nkeys) == 0) {
		piped.sample = pipeline_sample;
		piped.reject = sink->reject;
		piped.ctx = pipe;
		piped.text = NULL;
		/* reject() gets the pipeline as ctx otherwise: wrap it */
		sink = &piped;
	}
	ing->sink = sink;
	for (size_t i = 0; i < ing->nfiles; i++)
		if (ingest_may_read(ing, &ing->files[i]))
			ingest_read_file(ing, &ing->files[i]);
	if (pipe && pipeline_finish(pipe) != 0)
		ing->failed = 1;
	ing->sink = NULL;
	return ing->failed ? -1 : 0;
}
