#include "pipeline.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 4096
#define NBATCH 4

struct item {
	int64_t rep, seq, start_us, end_us, bytes, server_us, start_res_us;
	long line;
	size_t file_index;
	const char *path;
	unsigned long gen;
	size_t status_off, status_len;
	size_t labels_off; /* index of the label snapshot in labelv */
};

struct batch {
	struct item items[BATCH];
	size_t n;
	char *arena;
	size_t alen, acap;
	size_t *labeloff; /* per snapshot: nkeys offsets (or -1) into arena */
	size_t nsnap, capsnap;
	const char **labelv; /* rebuilt by the consumer */
	size_t capv;
	unsigned long last_gen;
	int has_snap;
	int eof;
};

struct pipeline {
	const struct ingest_sink *inner;
	size_t nkeys;
	struct batch batches[NBATCH];
	size_t head, tail, count; /* full batches waiting: [head, head+count) */
	struct batch *cur;
	size_t next_free;
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	pthread_t thread;
	int failed;
	int oom;
	/* last labels seen, to snapshot on change */
	const char *const *labels;
};

static int arena_put(struct batch *b, const char *s, size_t n, size_t *off)
{
	if (b->alen + n + 1 > b->acap) {
		size_t ncap = b->acap ? b->acap * 2 : 1 << 16;
		char *na;

		while (ncap < b->alen + n + 1)
			ncap *= 2;
		na = realloc(b->arena, ncap);
		if (!na)
			return -1;
		b->arena = na;
		b->acap = ncap;
	}
	*off = b->alen;
	memcpy(b->arena + b->alen, s, n);
	b->alen += n;
	b->arena[b->alen++] = '\0';
	return 0;
}

static int snapshot(struct pipeline *p, struct batch *b,
		    const char *const *labels)
{
	size_t base;

	if (b->nsnap == b->capsnap) {
		size_t ncap = b->capsnap ? b->capsnap * 2 : 4;
		size_t *no = realloc(b->labeloff,
				     ncap * (p->nkeys ? p->nkeys : 1) *
					     sizeof *no);

		if (!no)
			return -1;
		b->labeloff = no;
		b->capsnap = ncap;
	}
	base = b->nsnap * p->nkeys;
	for (size_t k = 0; k < p->nkeys; k++) {
		if (!labels[k]) {
			b->labeloff[base + k] = (size_t)-1;
			continue;
		}
		if (arena_put(b, labels[k], strlen(labels[k]),
			      &b->labeloff[base + k]) != 0)
			return -1;
	}
	b->nsnap++;
	return 0;
}

static void *consumer(void *arg)
{
	struct pipeline *p = arg;

	for (;;) {
		struct batch *b;
		int failed;

		pthread_mutex_lock(&p->mu);
		while (p->count == 0)
			pthread_cond_wait(&p->not_empty, &p->mu);
		b = &p->batches[p->head];
		failed = p->failed;
		pthread_mutex_unlock(&p->mu);

		if (b->eof)
			return NULL;
		if (!failed) {
			size_t need = b->nsnap * p->nkeys;

			if (need > b->capv) {
				const char **nv = realloc(b->labelv,
							  need * sizeof *nv);

				if (!nv)
					failed = 1;
				else {
					b->labelv = nv;
					b->capv = need;
				}
			}
			for (size_t i = 0; !failed && i < need; i++)
				b->labelv[i] = b->labeloff[i] == (size_t)-1
						       ? NULL
						       : b->arena + b->labeloff[i];
			for (size_t i = 0; !failed && i < b->n; i++) {
				const struct item *it = &b->items[i];
				struct ingest_sample s = {
					.labels = b->labelv + it->labels_off *
								      p->nkeys,
					.labels_gen = it->gen,
					.rep = it->rep,
					.seq = it->seq,
					.start_us = it->start_us,
					.end_us = it->end_us,
					.bytes = it->bytes,
					.server_us = it->server_us,
					.start_res_us = it->start_res_us,
					.status = b->arena + it->status_off,
					.status_len = it->status_len,
					.path = it->path,
					.line = it->line,
					.file_index = it->file_index,
				};

				if (p->inner->sample(p->inner->ctx, &s) != 0)
					failed = 1;
			}
		}
		pthread_mutex_lock(&p->mu);
		if (failed)
			p->failed = 1;
		p->head = (p->head + 1) % NBATCH;
		p->count--;
		pthread_cond_signal(&p->not_full);
		pthread_mutex_unlock(&p->mu);
	}
}

static void batch_reset(struct batch *b)
{
	b->n = 0;
	b->alen = 0;
	b->nsnap = 0;
	b->has_snap = 0;
	b->eof = 0;
}

/* Hand the current batch to the consumer; take the next free one. */
static int push(struct pipeline *p, int eof)
{
	int failed;

	p->cur->eof = eof;
	pthread_mutex_lock(&p->mu);
	p->count++;
	pthread_cond_signal(&p->not_empty);
	while (!eof && p->count == NBATCH)
		pthread_cond_wait(&p->not_full, &p->mu);
	failed = p->failed;
	pthread_mutex_unlock(&p->mu);
	if (eof)
		return failed ? -1 : 0;
	p->tail = (p->tail + 1) % NBATCH;
	p->cur = &p->batches[p->tail];
	batch_reset(p->cur);
	return failed ? -1 : 0;
}

int pipeline_start(struct pipeline **pp, const struct ingest_sink *inner,
		   size_t nkeys)
{
	struct pipeline *p = calloc(1, sizeof *p);

	*pp = NULL;
	if (!p)
		return -1;
	p->inner = inner;
	p->nkeys = nkeys;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->not_empty, NULL);
	pthread_cond_init(&p->not_full, NULL);
	p->cur = &p->batches[0];
	if (pthread_create(&p->thread, NULL, consumer, p) != 0) {
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->not_empty);
		pthread_cond_destroy(&p->not_full);
		free(p);
		return -1;
	}
	*pp = p;
	return 0;
}

int pipeline_sample(void *ctx, const struct ingest_sample *s)
{
	struct pipeline *p = ctx;
	struct batch *b = p->cur;
	struct item *it;

	if (!b->has_snap || s->labels_gen != b->last_gen) {
		if (snapshot(p, b, s->labels) != 0)
			goto oom;
		b->has_snap = 1;
		b->last_gen = s->labels_gen;
	}
	it = &b->items[b->n];
	it->rep = s->rep;
	it->seq = s->seq;
	it->start_us = s->start_us;
	it->end_us = s->end_us;
	it->bytes = s->bytes;
	it->server_us = s->server_us;
	it->start_res_us = s->start_res_us;
	it->line = s->line;
	it->file_index = s->file_index;
	it->path = s->path;
	it->gen = s->labels_gen;
	it->labels_off = b->nsnap - 1;
	it->status_len = s->status_len;
	if (arena_put(b, s->status, s->status_len, &it->status_off) != 0)
		goto oom;
	if (++b->n == BATCH)
		return push(p, 0);
	return 0;
oom:
	p->oom = 1;
	return -1;
}

int pipeline_finish(struct pipeline *p)
{
	int rc;

	if (p->cur->n > 0)
		push(p, 0);
	push(p, 1);
	pthread_join(p->thread, NULL);
	rc = p->failed || p->oom ? -1 : 0;
	for (size_t i = 0; i < NBATCH; i++) {
		free(p->batches[i].arena);
		free(p->batches[i].labeloff);
		free(p->batches[i].labelv);
	}
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->not_empty);
	pthread_cond_destroy(&p->not_full);
	free(p);
	return rc;
}
