/*
 * pipeline: run a sink's sample() on a second thread.
 *
 * The reading thread parses and checks rows; the sink (formatting CSV,
 * or filling the stats stage's tables) runs beside it.  Samples travel in
 * batches through a bounded queue (4 batches of 4096), in order, so the
 * output is the same as without the pipeline and memory stays bounded.
 * Each batch carries a copy of the labels and status strings it refers to.
 * reject() is not piped: it runs on the reading thread.
 */
#ifndef VMNETRANK_PIPELINE_H
#define VMNETRANK_PIPELINE_H

#include "ingest.h"

struct pipeline;

/* 0, or -1 (then run without a pipeline). */
int pipeline_start(struct pipeline **pp, const struct ingest_sink *inner,
		   size_t nkeys);
/* An ingest_sink sample() callback; ctx is the pipeline. */
int pipeline_sample(void *ctx, const struct ingest_sample *s);
/* Hand on what is left, wait for the sink, free; -1 if the sink failed. */
int pipeline_finish(struct pipeline *p);

#endif
