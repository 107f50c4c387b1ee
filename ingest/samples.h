/*
 * samples.h: one samples.csv row from one sample, the same bytes whoever
 * formats it: the writer (samples.c) on the calling thread, or a parsing
 * worker (workers.c) that formats the rows of its own job.
 */
#ifndef VMNETRANK_SAMPLES_H
#define VMNETRANK_SAMPLES_H

#include "ingest.h"

/* A number's text as last written, for the next row's same value or the
 * one after it (rep, seq, the line; the top digits of a time stamp). */
struct samples_num {
	int64_t v;
	int valid;
	size_t n;
	char txt[24];
};

struct samples_rowfmt {
	size_t nkeys;
	int has_server;
	long line_base;     /* added to every sample's line */
	/* the labels of the last row, as CSV text, and their labels_gen */
	unsigned long gen;
	int have_gen;
	char *prefix;
	size_t prefixlen, prefixcap;
	/* "path:" of the last row's file, and its file_index */
	size_t file;
	int have_file;
	char *src;
	size_t srclen, srccap;
	int src_plain;      /* "path:line" needs no quoting */
	struct samples_num rep, seq, hi, bytes, line;
};

void samples_rowfmt_init(struct samples_rowfmt *f, size_t nkeys,
			 int has_server);
/* Forget the texts kept from the last row: the samples that follow may
 * number their labels (labels_gen) and files (file_index) afresh. */
void samples_rowfmt_forget(struct samples_rowfmt *f);
void samples_rowfmt_release(struct samples_rowfmt *f);

/* S's row, its "\n" included, written into ROOM(CTX, N), which gives N
 * bytes or NULL; returns the end of what was written, or NULL (no
 * memory, or no room given). */
char *samples_rowfmt_put(struct samples_rowfmt *f,
			 const struct ingest_sample *s,
			 char *(*room)(void *ctx, size_t n), void *ctx);

#endif
