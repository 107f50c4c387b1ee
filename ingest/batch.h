/*
 * batch: up to 4096 samples, and what was said between them, copied so
 * that another thread can hand them to the sink later, in their order.
 *
 * A batch owns copies of every string its samples point to (labels,
 * statuses; paths must outlive it) and of its events: the rejects, the diagnostics and the
 * once-per-run warnings a parsing worker met between two samples.  The
 * pipeline (pipeline.c) carries samples only; the parsing workers
 * (workers.c) carry events too, and may carry their samples as the text
 * of samples.csv rows instead.
 */
#ifndef VMNETRANK_BATCH_H
#define VMNETRANK_BATCH_H

#include "ingest.h"
#include "../lib/diag.h"

#define BATCH_ITEMS 4096

enum batch_event_kind { BATCH_REJECT, BATCH_DIAG, BATCH_WARN_ONCE };

struct batch_event {
	enum batch_event_kind kind;
	enum diag_level level;  /* BATCH_DIAG */
	size_t at;              /* it came before the at-th sample */
	long line, col;
	const void *key;        /* BATCH_WARN_ONCE */
	size_t file_off;        /* arena offsets; file_off (size_t)-1: none */
	size_t text_off;
	size_t raw_off, rawlen; /* BATCH_REJECT: the text of the row */
	size_t text_at;         /* a batch of rows as text: it came before
	                           this offset of them */
	const char *path;       /* BATCH_REJECT: the file, as the row gave */
};

struct batch {
	/* the samples, each a flags byte and varints of its fields' changes
	 * from the sample before (about 15 bytes a sample, not 112) */
	unsigned char *code;
	size_t clen, ccap;
	size_t n;
	int64_t prev[8];         /* the encoder's last values */
	const char *prev_path;
	size_t prev_file;
	unsigned long *snapgen;  /* per snapshot: the producer's labels_gen */
	char *arena;
	size_t alen, acap;
	size_t *labeloff; /* per snapshot: nkeys offsets (or -1) into arena */
	size_t nsnap, capsnap;
	const char **labelv; /* rebuilt when replayed */
	size_t capv;
	unsigned long last_gen;
	int has_snap;
	int eof;
	/* or, in place of code, the samples as the text of samples.csv rows
	 * (formatted by the worker that read them) */
	char *text;
	size_t tlen, tcap;
	int is_text;
	struct batch_event *ev;
	size_t nev, capev;
	struct batch *next; /* in a queue */
};

/* Copy sample S (labels of NKEYS keys); 0, or -1 without memory.  The
 * batch is full when n reaches BATCH_ITEMS. */
int batch_add_sample(struct batch *b, size_t nkeys,
		     const struct ingest_sample *s);
int batch_add_reject(struct batch *b, const struct ingest_reject *r);
/* A sample as its samples.csv row: room for N bytes of text (NULL
 * without memory), then batch_text_commit() with the end of what was
 * written there.  A batch holds samples as code or as text, not both. */
char *batch_text_room(struct batch *b, size_t n);
void batch_text_commit(struct batch *b, const char *end);
int batch_add_diag(struct batch *b, enum diag_level level, const char *file,
		   long line, long col, const char *text);
int batch_add_warn_once(struct batch *b, const void *key, const char *text);

/* Empty B for reuse (keeping its memory); free what it holds. */
void batch_reset(struct batch *b);
/* The bytes B's contents take (for a bound on what is held). */
size_t batch_bytes(const struct batch *b);
void batch_release(struct batch *b);

/*
 * How a batch is handed on.  Samples go to sink->sample (rows as text to
 * sink->text) unless no_samples; rejects to sink->reject(reject_ctx); diagnostics to diag_at;
 * once-per-run warnings to warn_once(warn_ctx, key, text).  With GEN set,
 * every label snapshot that differs from the last one replayed gets the
 * next number of *GEN as its labels_gen (batches from several producers
 * then never share a number for different labels); without it, the
 * producer's numbers are kept.
 */
struct batch_replay {
	const struct ingest_sink *sink;
	void *reject_ctx;
	int no_samples;
	unsigned long *gen;
	size_t file_base;       /* added to every sample's file_index */
	long line_base;         /* ... and to its line */
	void (*warn_once)(void *ctx, const void *key, const char *text);
	void *warn_ctx;
	/* private: the last snapshot replayed, with GEN */
	char *last;
	size_t lastlen, lastcap;
	int have_last;
	unsigned long last_gen;
};

/* Hand on B's samples and events in their order: 0, or -1 as soon as the
 * sink fails (what follows in B is not handed on). */
int batch_replay(struct batch *b, size_t nkeys, struct batch_replay *rp);
void batch_replay_release(struct batch_replay *rp);

#endif
