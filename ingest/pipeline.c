#include "pipeline.h"
#include "batch.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define NBATCH 4

struct pipeline {
	const struct ingest_sink *inner;
	size_t nkeys;
	struct batch batches[NBATCH];
	size_t head, tail, count; /* full batches waiting: [head, head+count) */
	struct batch *cur;
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	pthread_t thread;
	int failed;
	int oom;
};

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
			struct batch_replay rp = { .sink = p->inner };

			failed = batch_replay(b, p->nkeys, &rp) != 0;
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

	if (batch_add_sample(p->cur, p->nkeys, s) != 0) {
		p->oom = 1;
		return -1;
	}
	if (p->cur->n == BATCH_ITEMS)
		return push(p, 0);
	return 0;
}

int pipeline_finish(struct pipeline *p)
{
	int rc;

	if (p->cur->n > 0)
		push(p, 0);
	push(p, 1);
	pthread_join(p->thread, NULL);
	rc = p->failed || p->oom ? -1 : 0;
	for (size_t i = 0; i < NBATCH; i++)
		batch_release(&p->batches[i]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->not_empty);
	pthread_cond_destroy(&p->not_full);
	free(p);
	return rc;
}
