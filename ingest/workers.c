/*
 * workers: the files parsed on several threads, the sink fed in file
 * order on the calling one.
 *
 * The work is a list of jobs in file order: a whole file, or a part of a
 * large native log (about --split-bytes each, cut at line starts).  Each
 * worker takes the next job and reads it with its own copy of the
 * per-file state (groups, current labels, counters) into a tape of
 * batches: its samples, and in their places its rejects, its diagnostics
 * (captured, lib/diag.h) and its once-per-run warnings.  The calling
 * thread replays the tapes job by job, so the sink, the rejects file and
 * the terminal see exactly what one thread would show them.  Workers
 * ahead of the job being replayed may hold AHEAD bytes of tape each (96
 * MB at most in all), then wait: memory stays bounded whatever the input.
 *
 * When the sink takes text (it writes samples.csv and nothing else), a
 * worker formats its samples as samples.csv rows itself, and the calling
 * thread only writes them out: the workers then share all the work.  A
 * part's rows carry their line numbers: its worker counts the newlines
 * of its part first and takes the counts of the parts before it.
 *
 * A later part of a file is replayed only when it is known to read as it
 * would have after the parts before it: no message or reject of its own,
 * and none of its (rep, seq) pairs in them (the groups are merged to
 * check).  Otherwise the calling thread reads the rest of the file itself,
 * from that part's first line, with the merged state: what one thread
 * would do from there.
 *
 * samples.csv inputs are read on the calling thread when their turn
 * comes (their raw logs' names must be noted in order); the seen-before
 * check of every other file is made there too, at its turn.
 */
#include "ingest_core.h"
#include "batch.h"
#include "samples.h"
#include "../lib/diag.h"
#include "../lib/lines.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>

/* bytes of tape per worker held ahead of the replayed job: a whole
 * file of a million operations (about 15 bytes each; as samples.csv
 * text, about 150,000 rows), so that a worker can read the next file
 * while the one before is handed on; for four workers at most (more
 * share that) */
#define AHEAD ((size_t)24 << 20)
#define AHEAD_WORKERS 4
#define MAX_PARTS 1024 /* parts of one file, at most */
/* The default part size when the workers format samples.csv rows
 * themselves: rows held as text take several times the bytes of the log
 * they come from, and a part is held whole until its turn (it may be
 * refused), so parts are small enough for two of them to fit within
 * AHEAD, with the other worker a part ahead. */
#define TEXT_SPLIT_BYTES ((long long)2 << 20)

enum job_kind {
	J_HERE, /* read on the calling thread (samples.csv) */
	J_FILE, /* a whole file, by a worker */
	J_PART  /* a part of a file, by a worker */
};

struct job {
	enum job_kind kind;
	size_t file;
	size_t part, nparts;        /* J_PART: which, of how many */
	struct ingest_range range;  /* J_PART */
	/* what its worker made of it */
	struct batch *head, *tail;  /* the tape, oldest first */
	size_t nevents;             /* rejects and messages in it */
	int done;                   /* its worker has read it all */
	int failed;
	int oom;
	size_t serial;              /* files and subfiles it began */
	long total_rows, total_rejected;
	struct ifile counts;        /* J_PART: its copy of the file's record
	                               (its counters) */
	long nl;                    /* J_PART, rows as text: the "\n" in its
	                               range (-1: unknown), once counted */
	int counted;
	long text_base;             /* ... the lines before it, as its rows
	                               say (-1: unknown) */
	struct fgroups groups;      /* J_PART: its groups, handed over */
};

struct workers;

struct worker {
	struct workers *w;
	struct ingest ing;  /* its own copy of the per-file state */
	struct ingest_sink sink;
	struct samples_rowfmt fmt; /* its rows as text (workers.text) */
	struct batch *cur;
	size_t at;          /* the job it reads */
	struct job *job;
	pthread_t thread;
};

struct workers {
	struct ingest *main;
	struct job *jobs;
	size_t njobs;
	size_t next;           /* the next job for a worker to take */
	size_t front;          /* the job being replayed */
	size_t held, limit;    /* bytes held in all tapes, the most */
	struct batch *spare;
	pthread_mutex_t mu;
	pthread_cond_t filled, drained;
	uint64_t want_from;    /* where the next part must begin */
	long want_lines;       /* ... after how many lines */
	int text;              /* the workers format samples.csv rows (the
	                          sink takes text) */
	int trace; /* VMNETRANK_TRACE_PARTS set: say how files were cut
	              (for tests) */
};

/* A batch to fill: a spare one, or new (under the lock). */
static struct batch *take_batch(struct workers *w)
{
	struct batch *b = w->spare;

	if (b) {
		w->spare = b->next;
		batch_reset(b);
		return b;
	}
	return calloc(1, sizeof *b);
}

/* Add the worker's batch to its job's tape; wait while the tapes ahead
 * of the replayed job hold too much.  0, or -1 without memory. */
static int hand_in(struct worker *wk)
{
	struct workers *w = wk->w;
	struct job *j = wk->job;

	pthread_mutex_lock(&w->mu);
	if (j->tail)
		j->tail->next = wk->cur;
	else
		j->head = wk->cur;
	j->tail = wk->cur;
	j->nevents += wk->cur->nev;
	wk->cur->next = NULL;
	w->held += batch_bytes(wk->cur);
	pthread_cond_broadcast(&w->filled);
	while (wk->at != w->front && w->held >= w->limit)
		pthread_cond_wait(&w->drained, &w->mu);
	wk->cur = take_batch(w);
	pthread_mutex_unlock(&w->mu);
	if (!wk->cur) {
		j->oom = 1;
		return -1;
	}
	return 0;
}

static int tape_sample(void *ctx, const struct ingest_sample *smp)
{
	struct worker *wk = ctx;

	if (!wk->cur || batch_add_sample(wk->cur, wk->ing.nkeys, smp) != 0) {
		wk->job->oom = 1;
		return -1;
	}
	return wk->cur->n == BATCH_ITEMS ? hand_in(wk) : 0;
}

static char *text_room(void *ctx, size_t n)
{
	return batch_text_room(ctx, n);
}

/* A sample as its samples.csv row (the sink takes text). */
static int text_sample(void *ctx, const struct ingest_sample *smp)
{
	struct worker *wk = ctx;
	char *end = wk->cur ? samples_rowfmt_put(&wk->fmt, smp, text_room,
						 wk->cur)
			    : NULL;

	if (!end) {
		wk->job->oom = 1;
		return -1;
	}
	batch_text_commit(wk->cur, end);
	return wk->cur->n == BATCH_ITEMS ? hand_in(wk) : 0;
}

static int tape_reject(void *ctx, const struct ingest_reject *r)
{
	struct worker *wk = ctx;

	if (!wk->cur || batch_add_reject(wk->cur, r) != 0) {
		wk->job->oom = 1;
		return -1;
	}
	return 0;
}

static void tape_diag(void *ctx, enum diag_level level, const char *file,
		      long line, long col, const char *text)
{
	struct worker *wk = ctx;

	if (!wk->job || !wk->cur ||
	    batch_add_diag(wk->cur, level, file, line, col, text) != 0) {
		if (wk->job)
			wk->job->oom = 1;
	}
}

void ingest_worker_warn_once(struct worker *wk, const void *key,
			     const char *text)
{
	if (!wk->cur || batch_add_warn_once(wk->cur, key, text) != 0)
		wk->job->oom = 1;
}

/* The worker's copy of the ingest: what is shared, read only, and its
 * own per-file state.  0, or -1 without memory. */
static int worker_init(struct worker *wk, struct workers *w)
{
	const struct ingest *m = w->main;
	struct ingest *c = &wk->ing;

	*c = *m;
	memset(&c->groups, 0, sizeof c->groups);
	c->group = NULL;
	c->keybuf = NULL;
	c->keybufcap = 0;
	c->gen = 0;
	c->total_rows = c->total_rejected = 0;
	c->nwarned = 0;
	c->kept = NULL;
	c->nkept = 0;
	c->seen = NULL;
	c->nseen = 0;
	c->sub = NULL;
	c->serial = 0;
	c->dry = 0;
	c->failed = 0;
	c->range = NULL;
	c->worker = wk;
	wk->sink.sample = !m->sink->sample ? NULL
			  : w->text	   ? text_sample
					   : tape_sample;
	wk->sink.text = NULL;
	samples_rowfmt_init(&wk->fmt, m->nkeys, ingest_has_server(m));
	wk->sink.reject = m->sink->reject ? tape_reject : NULL;
	wk->sink.ctx = wk;
	c->sink = &wk->sink;
	c->reject_ctx = wk;
	wk->w = w;
	return ingest_row_state_alloc(c, m->nrowcopy);
}

static void worker_release(struct worker *wk)
{
	ingest_row_state_release(&wk->ing);
	samples_rowfmt_release(&wk->fmt);
	if (wk->cur) {
		batch_release(wk->cur);
		free(wk->cur);
	}
}

/* A part: read into the job's own copy of the file's record, its groups
 * handed over for the calling thread to merge. */
static void read_part(struct ingest *c, struct job *j)
{
	struct ifile *f = &j->counts; /* copied before the workers began */

	f->rows = f->rejected = f->bad = f->warmup = f->failed = 0;
	f->skipped_rows = 0;
	f->st_zero = 0;
	f->st_http = 0;
	f->interrupted = 0;
	c->range = &j->range;
	ingest_begin_part(c, f, 0);
	c->serial++;
	if (f->fmt->read(c, f) != 0)
		c->failed = 1;
	c->range = NULL;
	j->groups = c->groups;
	memset(&c->groups, 0, sizeof c->groups);
	c->group = NULL;
}

/* Rows as text, job J a part: its rows' line numbers start after the
 * lines of the parts before it, which every worker counts in its part
 * first (and says) before it reads it; the last part need not.  The
 * number is checked when the part is replayed (part_fits). */
static long text_line_base(struct workers *w, struct job *j)
{
	const char *path = w->main->files[j->file].path;
	struct job *first = j - j->part;
	long nl = -1, base = 0;

	if (j->part + 1 < j->nparts &&
	    lines_count(path, j->range.from, j->range.to, &nl) != 0)
		nl = -1;
	pthread_mutex_lock(&w->mu);
	j->nl = nl;
	j->counted = 1;
	pthread_cond_broadcast(&w->filled);
	/* the parts before it are taken (in order) and counted first */
	for (struct job *p = first; p < j; p++) {
		while (!p->counted)
			pthread_cond_wait(&w->filled, &w->mu);
		if (p->nl < 0 || base < 0)
			base = -1;
		else
			base += p->nl;
	}
	pthread_mutex_unlock(&w->mu);
	return base;
}

static void *work(void *arg)
{
	struct worker *wk = arg;
	struct workers *w = wk->w;
	struct ingest *c = &wk->ing;

	diag_capture(tape_diag, wk);
	for (;;) {
		struct job *j;

		pthread_mutex_lock(&w->mu);
		while (w->next < w->njobs && w->jobs[w->next].kind == J_HERE)
			w->next++;
		if (w->next == w->njobs) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		wk->at = w->next++;
		j = wk->job = &w->jobs[wk->at];
		if (!wk->cur)
			wk->cur = take_batch(w);
		pthread_mutex_unlock(&w->mu);

		c->failed = 0;
		c->serial = 0;
		/* its rows as text: the file numbers start again */
		samples_rowfmt_forget(&wk->fmt);
		wk->fmt.line_base = 0;
		if (w->text && j->kind == J_PART) {
			j->text_base = text_line_base(w, j);
			wk->fmt.line_base = j->text_base < 0 ? 0 : j->text_base;
		}
		c->total_rows = c->total_rejected = 0;
		c->nwarned = 0;
		if (!wk->cur)
			j->oom = 1;
		else if (j->kind == J_PART)
			read_part(c, j);
		else
			ingest_read_file(c, &c->files[j->file]);
		if (wk->cur && (wk->cur->n || wk->cur->nev))
			hand_in(wk);
		pthread_mutex_lock(&w->mu);
		j->failed = c->failed;
		j->serial = c->serial;
		j->total_rows = c->total_rows;
		j->total_rejected = c->total_rejected;
		j->done = 1;
		wk->job = NULL;
		pthread_cond_broadcast(&w->filled);
		pthread_mutex_unlock(&w->mu);
	}
	diag_capture(NULL, NULL);
	return NULL;
}

static void replay_warn_once(void *ctx, const void *key, const char *text)
{
	ingest_warn_once(ctx, key, "%s", text);
}

enum how { STREAM, HOLD, DRAIN };

/* Job I's tape: replayed as its worker fills it (STREAM), or once it is
 * all there and CHECK(W, J) says it may be (HOLD), or only let go
 * (DRAIN).  0 when it was replayed whole, 1 when not (HOLD refused it). */
static int replay_job(struct workers *w, size_t i, enum how how,
		      struct batch_replay *rp,
		      int (*check)(struct workers *w, struct job *j))
{
	struct ingest *m = w->main;
	struct job *j = &w->jobs[i];
	int stop = how == DRAIN, refused = 0;

	rp->no_samples = m->failed;
	pthread_mutex_lock(&w->mu);
	w->front = i;
	pthread_cond_broadcast(&w->drained);
	if (how == HOLD) {
		/* the job may hold all its tape: it is the front one */
		while (!j->done)
			pthread_cond_wait(&w->filled, &w->mu);
		pthread_mutex_unlock(&w->mu);
		refused = check(w, j);
		stop = refused;
		pthread_mutex_lock(&w->mu);
	}
	for (;;) {
		struct batch *b;

		while (!j->head && !j->done)
			pthread_cond_wait(&w->filled, &w->mu);
		if (!j->head)
			break;
		b = j->head;
		j->head = b->next;
		if (!j->head)
			j->tail = NULL;
		w->held -= batch_bytes(b);
		pthread_mutex_unlock(&w->mu);
		/* the sink failed: the rest of the file is not handed on,
		 * as one thread would stop reading it */
		if (!stop && batch_replay(b, m->nkeys, rp) != 0) {
			m->failed = 1;
			stop = 1;
		}
		pthread_mutex_lock(&w->mu);
		b->next = w->spare;
		w->spare = b;
		pthread_cond_broadcast(&w->drained);
	}
	pthread_mutex_unlock(&w->mu);
	if (how == DRAIN || refused)
		return how == DRAIN ? 0 : 1;
	if (j->oom) {
		diag(DIAG_ERROR, "out of memory");
		m->failed = 1;
	}
	m->failed |= j->failed;
	m->total_rows += j->total_rows;
	m->total_rejected += j->total_rejected;
	return 0;
}

/* A later part may be replayed: it began where the part before it ended,
 * and read as it would have after it (nothing to say; its (rep, seq)
 * pairs new to the calling thread's groups, merged with its own here). */
static int part_fits(struct workers *w, struct job *j)
{
	if (j->failed || j->oom || j->nevents || j->range.unsupported ||
	    j->range.from != w->want_from ||
	    (w->text && j->text_base != w->want_lines))
		return 1;
	return fgroups_merge(&w->main->groups, &j->groups) != 0;
}

/* A part's counters into the file's record. */
static void add_counts(struct ifile *f, const struct ifile *p)
{
	f->rows += p->rows;
	f->rejected += p->rejected;
	f->bad += p->bad;
	f->warmup += p->warmup;
	f->failed += p->failed;
	f->skipped_rows += p->skipped_rows;
	if (p->skip_what)
		f->skip_what = p->skip_what;
	f->st_zero |= p->st_zero;
	f->st_http += p->st_http;
	f->interrupted |= p->interrupted;
	if (p->start_res < f->start_res)
		f->start_res = p->start_res;
}

/* The jobs [I, I + nparts) of one file read in parts.  The first part
 * is replayed as it is read; each later one once it is read, if it began
 * where the one before it ended (no record ran on across the cut) and
 * read as it would have after it (see part_fits), with its line numbers
 * moved by the lines before it.  From the first that does not, this
 * thread reads the rest of the file itself, as one thread would. */
static void replay_parts(struct workers *w, size_t i, struct batch_replay *rp)
{
	struct ingest *m = w->main;
	struct job *first = &w->jobs[i];
	struct ifile *f = &m->files[first->file];
	size_t n = first->nparts, k = 0;
	int readable = ingest_may_read(m, f);
	size_t base = m->serial;
	uint64_t end;
	long lines;

	rp->file_base = base;
	rp->line_base = 0;
	if (!readable) {
		for (k = 0; k < n; k++)
			replay_job(w, i + k, DRAIN, rp, NULL);
		return;
	}
	replay_job(w, i, STREAM, rp, NULL);
	fgroups_release(&m->groups);
	m->groups = first->groups; /* the first part's, merged into */
	memset(&first->groups, 0, sizeof first->groups);
	m->group = NULL;
	add_counts(f, &first->counts);
	m->serial = base + 1;
	if (first->failed || first->oom) { /* as one thread: a failed read */
		for (k = 1; k < n; k++)
			replay_job(w, i + k, DRAIN, rp, NULL);
		ingest_end_file(m, f, 1);
		return;
	}
	end = first->range.end;
	lines = first->range.lines;
	for (k = 1; k < n; k++) {
		struct job *j = &w->jobs[i + k];

		rp->line_base = lines;
		w->want_from = end;
		w->want_lines = lines;
		if (replay_job(w, i + k, HOLD, rp, part_fits) != 0)
			break;
		add_counts(f, &j->counts);
		fgroups_release(&j->groups);
		end = j->range.end;
		lines += j->range.lines;
	}
	rp->line_base = 0;
	if (k < n) {
		/* from part K on, this thread reads the rest itself, from
		 * where the parts before it ended */
		struct ingest_range rest = { .from = end, .line_base = lines };
		int failed;

		if (w->trace)
			fprintf(stderr, "vmnetrank: trace: %s: parts %zu to "
				"%zu read on one thread\n", f->path, k + 1, n);
		for (size_t l = k; l < n; l++) {
			if (l > k)
				replay_job(w, i + l, DRAIN, rp, NULL);
			fgroups_release(&w->jobs[i + l].groups);
		}
		ingest_begin_part(m, f, 1);
		m->range = &rest;
		failed = f->fmt->read(m, f) != 0;
		m->range = NULL;
		if (rest.unsupported) {
			ingest_file_error(m, f, rest.line_base + 1, 0,
					  "cannot read this log from here on "
					  "its own (give --split-bytes 0)");
			return;
		}
		if (failed)
			m->failed = 1;
		ingest_end_file(m, f, failed);
		return;
	}
	ingest_end_file(m, f, 0);
}

/* A large native log in parts of about BYTES, each from a line start (a
 * record may still run on across a cut: the part after it is then not
 * taken, see replay_parts).  The number of parts; 1 (read whole) when the
 * file is not a regular one larger than BYTES. */
static size_t plan_parts(const struct ifile *f, uint64_t bytes,
			 struct ingest_range *out)
{
	char buf[1 << 16];
	struct stat st;
	uint64_t size, n, at = 0;
	size_t np = 1;
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size <= bytes) {
		close(fd);
		return 1;
	}
	size = (uint64_t)st.st_size;
	n = (size + bytes - 1) / bytes;
	if (n > MAX_PARTS)
		n = MAX_PARTS;
	memset(out, 0, sizeof *out);
	for (uint64_t k = 1; k < n; k++) {
		uint64_t target = size / n * k;
		ssize_t got;
		const char *nl;

		if (target <= at)
			continue;
		/* the next line start at or after TARGET */
		got = pread(fd, buf, sizeof buf, (off_t)(target - 1));
		if (got <= 0)
			break;
		nl = memchr(buf, '\n', (size_t)got);
		if (!nl)
			continue; /* a long line: no cut here */
		at = target + (uint64_t)(nl - buf);
		if (at >= size)
			break;
		out[np - 1].to = at;
		memset(&out[np], 0, sizeof out[np]);
		out[np].from = at;
		np++;
	}
	close(fd);
	return np;
}

/* The size of the parts (< 0: none): --split-bytes, or the default. */
static long long split_bytes(const struct workers *w)
{
	long long n = w->main->opts.split_bytes;

	return n ? n : w->text ? TEXT_SPLIT_BYTES : INGEST_SPLIT_BYTES;
}

/* May file F be read in parts? */
static int splittable(const struct workers *w, const struct ifile *f)
{
	const struct ingest *m = w->main;

	return split_bytes(w) > 0 && f->fmt == &format_native &&
	       !f->spool && !m->opts.no_fast_path &&
	       f->tail != TAIL_INTERRUPTED && f->tail != TAIL_KILLED;
}

/* The jobs, in file order; 0, or -1 without memory. */
static int plan_jobs(struct workers *w, size_t *nworker_jobs)
{
	struct ingest *m = w->main;
	size_t cap = m->nfiles;
	struct ingest_range parts[MAX_PARTS];

	*nworker_jobs = 0;
	w->jobs = calloc(cap, sizeof *w->jobs);
	if (!w->jobs)
		return -1;
	for (size_t i = 0; i < m->nfiles; i++) {
		const struct ifile *f = &m->files[i];
		size_t np = 1;

		if (f->fmt != &format_samples && splittable(w, f))
			np = plan_parts(f, (uint64_t)split_bytes(w), parts);
		if (np > 1 && w->trace)
			fprintf(stderr, "vmnetrank: trace: %s: %zu parts\n",
				f->path, np);
		if (w->njobs + np > cap) {
			size_t ncap = (w->njobs + np) * 2;
			struct job *nj = realloc(w->jobs, ncap * sizeof *nj);

			if (!nj)
				return -1;
			memset(nj + cap, 0, (ncap - cap) * sizeof *nj);
			w->jobs = nj;
			cap = ncap;
		}
		for (size_t k = 0; k < np; k++) {
			struct job *j = &w->jobs[w->njobs++];

			j->file = i;
			if (f->fmt == &format_samples) {
				j->kind = J_HERE;
				continue;
			}
			(*nworker_jobs)++;
			j->kind = np > 1 ? J_PART : J_FILE;
			j->part = k;
			j->nparts = np;
			if (np > 1) {
				j->range = parts[k];
				j->counts = *f;
			}
		}
	}
	return 0;
}

int ingest_run_workers(struct ingest *m)
{
	struct workers w;
	struct worker *wk = NULL;
	struct batch_replay rp;
	size_t nwk = 0, theirs = 0, want = m->opts.threads > 1
					      ? (size_t)m->opts.threads
					      : 1;

	if (want < 2)
		return 1;
	for (size_t i = 0; i < m->nsrcs; i++)
		if (m->srcs[i]->zone.kind == TS_NAMED)
			return 1;
	memset(&w, 0, sizeof w);
	w.main = m;
	w.trace = getenv("VMNETRANK_TRACE_PARTS") != NULL;
	w.text = m->sink->text != NULL;
	if (w.trace && w.text)
		fprintf(stderr, "vmnetrank: trace: the workers format the "
			"samples.csv rows\n");
	if (plan_jobs(&w, &theirs) != 0 || theirs < 2) {
		free(w.jobs);
		return 1;
	}
	if (want > theirs)
		want = theirs;
	wk = calloc(want, sizeof *wk);
	if (!wk) {
		free(w.jobs);
		return 1;
	}
	w.limit = AHEAD * (want < AHEAD_WORKERS ? want : AHEAD_WORKERS);
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.filled, NULL);
	pthread_cond_init(&w.drained, NULL);
	for (; nwk < want; nwk++) {
		if (worker_init(&wk[nwk], &w) != 0 ||
		    pthread_create(&wk[nwk].thread, NULL, work, &wk[nwk]) != 0) {
			worker_release(&wk[nwk]);
			break;
		}
	}
	if (nwk == 0) {
		pthread_mutex_destroy(&w.mu);
		pthread_cond_destroy(&w.filled);
		pthread_cond_destroy(&w.drained);
		free(wk);
		free(w.jobs);
		return 1;
	}
	memset(&rp, 0, sizeof rp);
	rp.sink = m->sink;
	rp.reject_ctx = m->reject_ctx;
	rp.gen = &m->gen;
	rp.warn_once = replay_warn_once;
	rp.warn_ctx = m;
	for (size_t i = 0; i < w.njobs;) {
		struct job *j = &w.jobs[i];
		struct ifile *f = &m->files[j->file];

		if (j->kind == J_HERE) {
			if (ingest_may_read(m, f))
				ingest_read_file(m, f);
			i++;
		} else if (j->kind == J_PART) {
			replay_parts(&w, i, &rp);
			i += j->nparts;
		} else {
			int readable = ingest_may_read(m, f);

			rp.file_base = m->serial;
			replay_job(&w, i, readable ? STREAM : DRAIN, &rp, NULL);
			if (readable)
				m->serial += j->serial;
			i++;
		}
	}
	for (size_t k = 0; k < nwk; k++) {
		pthread_join(wk[k].thread, NULL);
		worker_release(&wk[k]);
	}
	while (w.spare) {
		struct batch *b = w.spare;

		w.spare = b->next;
		batch_release(b);
		free(b);
	}
	for (size_t i = 0; i < w.njobs; i++)
		fgroups_release(&w.jobs[i].groups);
	batch_replay_release(&rp);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.filled);
	pthread_cond_destroy(&w.drained);
	free(wk);
	free(w.jobs);
	return m->failed ? -1 : 0;
}
