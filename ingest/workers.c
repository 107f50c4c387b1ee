/*
 * workers: the files parsed on several threads, the sink fed in file
 * order on the calling one.
 *
 * Each worker takes the next file no other has taken and reads it with
 * its own copy of the per-file state (groups, current labels, counters),
 * into a tape of batches: its samples, and in their places its rejects,
 * its diagnostics (captured, lib/diag.h) and its once-per-run warnings.
 * The calling thread replays the tapes file by file, so the sink, the
 * rejects file and the terminal see exactly what one thread would show
 * them.  Workers ahead of the file being replayed may hold AHEAD bytes of
 * tape each (96 MB at most in all), then wait: memory stays bounded
 * whatever the input.
 *
 * samples.csv inputs are read on the calling thread when their turn
 * comes (their raw logs' names must be noted in order); the seen-before
 * check of every other file is made there too, at its turn.
 */
#include "ingest_core.h"
#include "batch.h"
#include "../lib/diag.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* bytes of tape per worker held ahead of the replayed file: a whole
 * file of a million operations (about 15 bytes each), so that a worker
 * can read the next file while the one before is handed on; for four
 * workers at most (more share that) */
#define AHEAD ((size_t)24 << 20)
#define AHEAD_WORKERS 4

struct slot {
	struct batch *head, *tail; /* the file's tape, oldest first */
	int done;                  /* its worker has read it all */
	int failed;
	int oom;
	size_t serial;             /* files and subfiles it began */
	long total_rows, total_rejected;
};

struct workers;

struct worker {
	struct workers *w;
	struct ingest ing;  /* its own copy of the per-file state */
	struct ingest_sink sink;
	struct batch *cur;
	size_t file;        /* the file it reads */
	struct slot *slot;
	pthread_t thread;
	int started;
};

struct workers {
	struct ingest *main;
	struct slot *slots;
	unsigned char *theirs; /* per file: read by a worker */
	size_t next;           /* the next file for a worker to take */
	size_t front;          /* the file being replayed */
	size_t held, limit;    /* bytes held in all tapes, the most */
	struct batch *spare;
	pthread_mutex_t mu;
	pthread_cond_t filled, drained;
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

/* Add the worker's batch to its file's tape; wait while the tapes ahead
 * of the replayed file hold too much.  0, or -1 without memory. */
static int hand_in(struct worker *wk)
{
	struct workers *w = wk->w;
	struct slot *s = wk->slot;

	pthread_mutex_lock(&w->mu);
	if (s->tail)
		s->tail->next = wk->cur;
	else
		s->head = wk->cur;
	s->tail = wk->cur;
	wk->cur->next = NULL;
	w->held += batch_bytes(wk->cur);
	pthread_cond_broadcast(&w->filled);
	while (wk->file != w->front && w->held >= w->limit)
		pthread_cond_wait(&w->drained, &w->mu);
	wk->cur = take_batch(w);
	pthread_mutex_unlock(&w->mu);
	if (!wk->cur) {
		s->oom = 1;
		return -1;
	}
	return 0;
}

static int tape_sample(void *ctx, const struct ingest_sample *smp)
{
	struct worker *wk = ctx;

	if (!wk->cur || batch_add_sample(wk->cur, wk->ing.nkeys, smp) != 0) {
		wk->slot->oom = 1;
		return -1;
	}
	return wk->cur->n == BATCH_ITEMS ? hand_in(wk) : 0;
}

static int tape_reject(void *ctx, const struct ingest_reject *r)
{
	struct worker *wk = ctx;

	if (!wk->cur || batch_add_reject(wk->cur, r) != 0) {
		wk->slot->oom = 1;
		return -1;
	}
	return 0;
}

static void tape_diag(void *ctx, enum diag_level level, const char *file,
		      long line, long col, const char *text)
{
	struct worker *wk = ctx;

	if (!wk->cur ||
	    batch_add_diag(wk->cur, level, file, line, col, text) != 0)
		wk->slot->oom = 1;
}

void ingest_worker_warn_once(struct worker *wk, const void *key,
			     const char *text)
{
	if (!wk->cur || batch_add_warn_once(wk->cur, key, text) != 0)
		wk->slot->oom = 1;
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
	c->worker = wk;
	wk->sink.sample = m->sink->sample ? tape_sample : NULL;
	wk->sink.reject = m->sink->reject ? tape_reject : NULL;
	wk->sink.ctx = wk;
	c->sink = &wk->sink;
	c->reject_ctx = wk;
	wk->w = w;
	c->cur = calloc(m->nkeys + 1, sizeof *c->cur);
	c->rowcopy = calloc(m->nrowcopy + 1, sizeof *c->rowcopy);
	c->rowcopy_len = calloc(m->nrowcopy + 1, sizeof *c->rowcopy_len);
	c->rowcopy_cap = calloc(m->nrowcopy + 1, sizeof *c->rowcopy_cap);
	return c->cur && c->rowcopy && c->rowcopy_len && c->rowcopy_cap ? 0
									 : -1;
}

static void worker_release(struct worker *wk)
{
	struct ingest *c = &wk->ing;

	fgroups_release(&c->groups);
	free(c->keybuf);
	free(c->cur);
	free(c->rowcopy_len);
	free(c->rowcopy_cap);
	for (size_t i = 0; c->rowcopy && i < c->nrowcopy; i++)
		free(c->rowcopy[i]);
	free(c->rowcopy);
	if (wk->cur) {
		batch_release(wk->cur);
		free(wk->cur);
	}
}

static void *work(void *arg)
{
	struct worker *wk = arg;
	struct workers *w = wk->w;
	struct ingest *c = &wk->ing;

	diag_capture(tape_diag, wk);
	for (;;) {
		struct slot *s;

		pthread_mutex_lock(&w->mu);
		while (w->next < c->nfiles && !w->theirs[w->next])
			w->next++;
		if (w->next == c->nfiles) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		wk->file = w->next++;
		s = wk->slot = &w->slots[wk->file];
		if (!wk->cur)
			wk->cur = take_batch(w);
		pthread_mutex_unlock(&w->mu);

		c->failed = 0;
		c->serial = 0;
		c->total_rows = c->total_rejected = 0;
		c->nwarned = 0;
		if (wk->cur)
			ingest_read_file(c, &c->files[wk->file]);
		else
			s->oom = 1;
		if (wk->cur && (wk->cur->n || wk->cur->nev))
			hand_in(wk);
		pthread_mutex_lock(&w->mu);
		s->failed = c->failed;
		s->serial = c->serial;
		s->total_rows = c->total_rows;
		s->total_rejected = c->total_rejected;
		s->done = 1;
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

/* Replay file I's tape as its worker fills it (or only drain it, when
 * the file may not be read). */
static void replay_file(struct workers *w, size_t i, int readable,
			struct batch_replay *rp)
{
	struct ingest *m = w->main;
	struct slot *s = &w->slots[i];
	int stop = !readable;

	rp->no_samples = m->failed;
	rp->file_base = m->serial;
	pthread_mutex_lock(&w->mu);
	w->front = i;
	pthread_cond_broadcast(&w->drained);
	for (;;) {
		struct batch *b;

		while (!s->head && !s->done)
			pthread_cond_wait(&w->filled, &w->mu);
		if (!s->head)
			break;
		b = s->head;
		s->head = b->next;
		if (!s->head)
			s->tail = NULL;
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
	if (!readable)
		return;
	if (s->oom) {
		diag(DIAG_ERROR, "out of memory");
		m->failed = 1;
	}
	m->failed |= s->failed;
	m->serial += s->serial;
	m->total_rows += s->total_rows;
	m->total_rejected += s->total_rejected;
}

int ingest_run_workers(struct ingest *m)
{
	struct workers w;
	struct worker *wk;
	struct batch_replay rp;
	size_t nwk = 0, theirs = 0, want = m->opts.threads > 1
					      ? (size_t)m->opts.threads
					      : 1;

	if (want < 2 || m->nfiles < 2)
		return 1;
	for (size_t i = 0; i < m->nsrcs; i++)
		if (m->srcs[i]->zone.kind == TS_NAMED)
			return 1;
	memset(&w, 0, sizeof w);
	w.theirs = calloc(m->nfiles, 1);
	if (!w.theirs)
		return 1;
	for (size_t i = 0; i < m->nfiles; i++)
		if (m->files[i].fmt != &format_samples) {
			w.theirs[i] = 1;
			theirs++;
		}
	if (theirs < 2)
		goto serial;
	if (want > theirs)
		want = theirs;
	w.slots = calloc(m->nfiles, sizeof *w.slots);
	wk = calloc(want, sizeof *wk);
	if (!w.slots || !wk) {
		free(wk);
		goto serial;
	}
	w.main = m;
	w.limit = AHEAD * (want < AHEAD_WORKERS ? want : AHEAD_WORKERS);
	w.front = 0;
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
		free(w.slots);
		goto serial;
	}
	memset(&rp, 0, sizeof rp);
	rp.sink = m->sink;
	rp.reject_ctx = m->reject_ctx;
	rp.gen = &m->gen;
	rp.warn_once = replay_warn_once;
	rp.warn_ctx = m;
	for (size_t i = 0; i < m->nfiles; i++) {
		struct ifile *f = &m->files[i];

		if (!w.theirs[i]) {
			if (ingest_may_read(m, f))
				ingest_read_file(m, f);
			continue;
		}
		replay_file(&w, i, ingest_may_read(m, f), &rp);
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
	batch_replay_release(&rp);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.filled);
	pthread_cond_destroy(&w.drained);
	free(wk);
	free(w.slots);
	free(w.theirs);
	return m->failed ? -1 : 0;
serial:
	free(w.theirs);
	return 1;
}
