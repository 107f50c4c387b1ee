#include "batch.h"

#include <stdlib.h>
#include <string.h>

#define NO_OFF ((size_t)-1)

/* *BUF (of *CAP bytes) with room for NEED: doubled from 64 KiB as needed;
 * 0, or -1 without memory. */
static int grow_to(char **buf, size_t *cap, size_t need)
{
	if (need > *cap) {
		size_t ncap = *cap ? *cap * 2 : 1 << 16;
		char *nb;

		while (ncap < need)
			ncap *= 2;
		nb = realloc(*buf, ncap);
		if (!nb)
			return -1;
		*buf = nb;
		*cap = ncap;
	}
	return 0;
}

static int arena_put(struct batch *b, const char *s, size_t n, size_t *off)
{
	if (grow_to(&b->arena, &b->acap, b->alen + n + 1) != 0)
		return -1;
	*off = b->alen;
	memcpy(b->arena + b->alen, s, n);
	b->alen += n;
	b->arena[b->alen++] = '\0';
	return 0;
}

static int snapshot(struct batch *b, size_t nkeys, const char *const *labels,
		    unsigned long gen)
{
	size_t base;

	if (b->nsnap == b->capsnap) {
		size_t ncap = b->capsnap ? b->capsnap * 2 : 4;
		size_t *no = realloc(b->labeloff,
				     ncap * (nkeys ? nkeys : 1) * sizeof *no);
		unsigned long *ng;

		if (!no)
			return -1;
		b->labeloff = no;
		ng = realloc(b->snapgen, ncap * sizeof *ng);
		if (!ng)
			return -1;
		b->snapgen = ng;
		b->capsnap = ncap;
	}
	b->snapgen[b->nsnap] = gen;
	base = b->nsnap * nkeys;
	for (size_t k = 0; k < nkeys; k++) {
		if (!labels[k]) {
			b->labeloff[base + k] = NO_OFF;
			continue;
		}
		if (arena_put(b, labels[k], strlen(labels[k]),
			      &b->labeloff[base + k]) != 0)
			return -1;
	}
	b->nsnap++;
	return 0;
}

/* What a sample's flags byte says follows it. */
enum {
	F_SNAP = 1,   /* its labels are the next snapshot */
	F_STATUS = 2, /* a failure: offset and length of its status */
	F_FILE = 4,   /* another path or file_index: the pointer, the index */
	F_USUAL = 8,  /* the usual next row: rep, bytes, server time and
	                 resolution as before, seq and line one more; only
	                 the start's change and the duration follow */
};

enum { P_REP, P_SEQ, P_START, P_DUR, P_BYTES, P_SERVER, P_RES, P_LINE };

/* The most bytes one sample takes: flags, 2 + 8 varints, a pointer. */
#define ITEM_MAX (1 + 10 * 11 + sizeof(const char *))

static inline unsigned char *put_var(unsigned char *p, uint64_t v)
{
	if (v < 0x80) { /* most changes: one byte */
		*p = (unsigned char)v;
		return p + 1;
	}
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static inline const unsigned char *get_var(const unsigned char *p,
					   uint64_t *v)
{
	uint64_t r = 0;
	int shift = 0;

	if (*p < 0x80) {
		*v = *p;
		return p + 1;
	}
	while (*p & 0x80) {
		r |= (uint64_t)(*p++ & 0x7f) << shift;
		shift += 7;
	}
	*v = r | (uint64_t)*p++ << shift;
	return p;
}

/* The change from PREV to V, small either way (zigzag), exact for every
 * pair of 64-bit values (unsigned arithmetic wraps). */
static uint64_t zig(int64_t v, int64_t prev)
{
	uint64_t d = (uint64_t)v - (uint64_t)prev;

	return (d << 1) ^ (0 - (d >> 63));
}

static int64_t unzig(uint64_t z, int64_t prev)
{
	return (int64_t)((uint64_t)prev + ((z >> 1) ^ (0 - (z & 1))));
}

int batch_add_sample(struct batch *b, size_t nkeys,
		     const struct ingest_sample *s)
{
	int64_t v[8] = {
		[P_REP] = s->rep,	    [P_SEQ] = s->seq,
		[P_START] = s->start_us,
		[P_DUR] = (int64_t)((uint64_t)s->end_us - (uint64_t)s->start_us),
		[P_BYTES] = s->bytes,	    [P_SERVER] = s->server_us,
		[P_RES] = s->start_res_us,  [P_LINE] = s->line,
	};
	unsigned char *p, *flags;
	int ok = s->status_len == 2 && s->status[0] == 'o' &&
		 s->status[1] == 'k';

	if (b->clen + ITEM_MAX > b->ccap) {
		size_t ncap = b->ccap ? b->ccap * 2 : 1 << 16;
		unsigned char *nc = realloc(b->code, ncap);

		if (!nc)
			return -1;
		b->code = nc;
		b->ccap = ncap;
	}
	p = b->code + b->clen;
	flags = p++;
	*flags = 0;
	if (!b->has_snap || s->labels_gen != b->last_gen) {
		if (snapshot(b, nkeys, s->labels, s->labels_gen) != 0)
			return -1;
		b->has_snap = 1;
		b->last_gen = s->labels_gen;
		*flags |= F_SNAP;
	}
	if (!ok) {
		size_t off;

		if (arena_put(b, s->status, s->status_len, &off) != 0)
			return -1;
		*flags |= F_STATUS;
		p = put_var(p, off);
		p = put_var(p, s->status_len);
	}
	if (b->n == 0 || s->path != b->prev_path ||
	    s->file_index != b->prev_file) {
		*flags |= F_FILE;
		memcpy(p, &s->path, sizeof s->path);
		p += sizeof s->path;
		p = put_var(p, s->file_index);
		b->prev_path = s->path;
		b->prev_file = s->file_index;
	}
	/* the duration on its own: it does not follow the one before */
	if (v[P_REP] == b->prev[P_REP] && v[P_BYTES] == b->prev[P_BYTES] &&
	    v[P_SERVER] == b->prev[P_SERVER] && v[P_RES] == b->prev[P_RES] &&
	    (uint64_t)v[P_SEQ] == (uint64_t)b->prev[P_SEQ] + 1 &&
	    (uint64_t)v[P_LINE] == (uint64_t)b->prev[P_LINE] + 1) {
		*flags |= F_USUAL;
		p = put_var(p, zig(v[P_START], b->prev[P_START]));
		p = put_var(p, zig(v[P_DUR], 0));
		b->prev[P_START] = v[P_START];
		b->prev[P_DUR] = v[P_DUR];
		b->prev[P_SEQ] = v[P_SEQ];
		b->prev[P_LINE] = v[P_LINE];
	} else {
		for (int i = 0; i < 8; i++) {
			p = put_var(p, zig(v[i], i == P_DUR ? 0 : b->prev[i]));
			b->prev[i] = v[i];
		}
	}
	b->clen = (size_t)(p - b->code);
	b->n++;
	return 0;
}

static struct batch_event *new_event(struct batch *b,
				     enum batch_event_kind kind)
{
	struct batch_event *e;

	if (b->nev == b->capev) {
		size_t ncap = b->capev ? b->capev * 2 : 8;
		struct batch_event *ne = realloc(b->ev, ncap * sizeof *ne);

		if (!ne)
			return NULL;
		b->ev = ne;
		b->capev = ncap;
	}
	e = &b->ev[b->nev];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->at = b->n;
	e->text_at = b->tlen;
	e->file_off = NO_OFF;
	return e;
}

int batch_add_reject(struct batch *b, const struct ingest_reject *r)
{
	struct batch_event *e = new_event(b, BATCH_REJECT);

	if (!e || arena_put(b, r->reason, strlen(r->reason), &e->text_off) ||
	    arena_put(b, r->raw ? r->raw : "", r->raw ? r->rawlen : 0,
		      &e->raw_off))
		return -1;
	e->path = r->path;
	e->line = r->line;
	e->col = r->col;
	e->rawlen = r->raw ? r->rawlen : 0;
	b->nev++;
	return 0;
}

int batch_add_diag(struct batch *b, enum diag_level level, const char *file,
		   long line, long col, const char *text)
{
	struct batch_event *e = new_event(b, BATCH_DIAG);

	if (!e || (file && arena_put(b, file, strlen(file), &e->file_off)) ||
	    arena_put(b, text, strlen(text), &e->text_off))
		return -1;
	e->level = level;
	e->line = line;
	e->col = col;
	b->nev++;
	return 0;
}

int batch_add_warn_once(struct batch *b, const void *key, const char *text)
{
	struct batch_event *e = new_event(b, BATCH_WARN_ONCE);

	if (!e || arena_put(b, text, strlen(text), &e->text_off))
		return -1;
	e->key = key;
	b->nev++;
	return 0;
}

char *batch_text_room(struct batch *b, size_t n)
{
	if (grow_to(&b->text, &b->tcap, b->tlen + n) != 0)
		return NULL;
	b->is_text = 1;
	return b->text + b->tlen;
}

void batch_text_commit(struct batch *b, const char *end)
{
	b->tlen = (size_t)(end - b->text);
	b->n++;
}

void batch_reset(struct batch *b)
{
	b->n = 0;
	b->clen = 0;
	b->tlen = 0;
	b->is_text = 0;
	memset(b->prev, 0, sizeof b->prev);
	b->prev_path = NULL;
	b->prev_file = 0;
	b->alen = 0;
	b->nsnap = 0;
	b->has_snap = 0;
	b->eof = 0;
	b->nev = 0;
	b->next = NULL;
}

size_t batch_bytes(const struct batch *b)
{
	return b->ccap + b->tcap + b->acap + b->capev * sizeof *b->ev +
	       b->capsnap * sizeof(unsigned long) + sizeof *b;
}

void batch_release(struct batch *b)
{
	free(b->code);
	free(b->text);
	free(b->snapgen);
	free(b->arena);
	free(b->labeloff);
	free(b->labelv);
	free(b->ev);
}

/* The labels_gen of B's snapshot J, under RP's renumbering. */
static unsigned long regen(struct batch *b, size_t nkeys, size_t j,
			   struct batch_replay *rp)
{
	size_t need = 0, at = 0;

	for (size_t k = 0; k < nkeys; k++)
		need += b->labelv[j * nkeys + k]
				? strlen(b->labelv[j * nkeys + k]) + 2
				: 1;
	if (need > rp->lastcap) {
		char *nl = realloc(rp->last, need);

		if (!nl) /* unshared: a new number is always right */
			return ++*rp->gen;
		rp->last = nl;
		rp->lastcap = need;
	} else if (rp->have_last && need == rp->lastlen) {
		int same = 1;

		for (size_t k = 0; same && k < nkeys; k++) {
			const char *v = b->labelv[j * nkeys + k];

			if (!v)
				same = rp->last[at++] == '\0';
			else {
				size_t n = strlen(v) + 1;

				same = rp->last[at] == '\1' &&
				       memcmp(rp->last + at + 1, v, n) == 0;
				at += n + 1;
			}
		}
		if (same)
			return rp->last_gen;
	}
	at = 0;
	for (size_t k = 0; k < nkeys; k++) {
		const char *v = b->labelv[j * nkeys + k];

		if (!v)
			rp->last[at++] = '\0';
		else {
			size_t n = strlen(v) + 1;

			rp->last[at++] = '\1';
			memcpy(rp->last + at, v, n);
			at += n;
		}
	}
	rp->lastlen = at;
	rp->have_last = 1;
	rp->last_gen = ++*rp->gen;
	return rp->last_gen;
}

static int replay_event(struct batch *b, const struct batch_event *e,
			struct batch_replay *rp)
{
	const char *text = b->arena + e->text_off;

	switch (e->kind) {
	case BATCH_DIAG:
		diag_at(e->level,
			e->file_off == NO_OFF ? NULL : b->arena + e->file_off,
			e->line, e->col, "%s", text);
		return 0;
	case BATCH_WARN_ONCE:
		rp->warn_once(rp->warn_ctx, e->key, text);
		return 0;
	case BATCH_REJECT: {
		struct ingest_reject r = {
			.path = e->path,
			.line = e->line,
			.col = e->col,
			.reason = text,
			.raw = b->arena + e->raw_off,
			.rawlen = e->rawlen,
		};

		return rp->sink->reject(rp->reject_ctx, &r);
	}
	}
	return 0;
}

/* A batch of rows as text: the text between its events, in order. */
static int replay_text(struct batch *b, struct batch_replay *rp)
{
	size_t at = 0;

	for (size_t ev = 0; ev <= b->nev; ev++) {
		size_t to = ev < b->nev ? b->ev[ev].text_at : b->tlen;

		if (to > at && !rp->no_samples &&
		    rp->sink->text(rp->sink->ctx, b->text + at, to - at) != 0)
			return -1;
		at = to;
		if (ev < b->nev && replay_event(b, &b->ev[ev], rp) != 0)
			return -1;
	}
	return 0;
}

int batch_replay(struct batch *b, size_t nkeys, struct batch_replay *rp)
{
	size_t need = b->nsnap * nkeys, ev = 0, snap = 0;
	const unsigned char *p = b->code;
	int64_t prev[8] = { 0 };
	const char *path = NULL;
	size_t file = 0;
	unsigned long gen = 0;
	struct ingest_sample s = { 0 };

	if (b->is_text)
		return replay_text(b, rp);
	if (need > b->capv) {
		const char **nv = realloc(b->labelv, need * sizeof *nv);

		if (!nv)
			return -1;
		b->labelv = nv;
		b->capv = need;
	}
	for (size_t i = 0; i < need; i++)
		b->labelv[i] = b->labeloff[i] == NO_OFF ? NULL
							: b->arena + b->labeloff[i];
	for (size_t i = 0; i <= b->n; i++) {
		unsigned flags;
		uint64_t z;

		for (; ev < b->nev && b->ev[ev].at == i; ev++)
			if (replay_event(b, &b->ev[ev], rp) != 0)
				return -1;
		if (i == b->n)
			break;
		flags = *p++;
		if (flags & F_SNAP) {
			size_t j = snap++;

			s.labels = b->labelv + j * nkeys;
			gen = rp->gen ? regen(b, nkeys, j, rp) : b->snapgen[j];
		}
		if (flags & F_STATUS) {
			uint64_t off, len;

			p = get_var(p, &off);
			p = get_var(p, &len);
			s.status = b->arena + off;
			s.status_len = len;
		} else {
			s.status = "ok";
			s.status_len = 2;
		}
		if (flags & F_FILE) {
			uint64_t fi;

			memcpy(&path, p, sizeof path);
			p += sizeof path;
			p = get_var(p, &fi);
			file = fi;
		}
		if (flags & F_USUAL) {
			p = get_var(p, &z);
			prev[P_START] = unzig(z, prev[P_START]);
			p = get_var(p, &z);
			prev[P_DUR] = unzig(z, 0);
			prev[P_SEQ] = (int64_t)((uint64_t)prev[P_SEQ] + 1);
			prev[P_LINE] = (int64_t)((uint64_t)prev[P_LINE] + 1);
		} else {
			for (int k = 0; k < 8; k++) {
				p = get_var(p, &z);
				prev[k] = unzig(z, k == P_DUR ? 0 : prev[k]);
			}
		}
		if (rp->no_samples)
			continue;
		s.labels_gen = gen;
		s.rep = prev[P_REP];
		s.seq = prev[P_SEQ];
		s.start_us = prev[P_START];
		s.end_us = (int64_t)((uint64_t)prev[P_START] + (uint64_t)prev[P_DUR]);
		s.bytes = prev[P_BYTES];
		s.server_us = prev[P_SERVER];
		s.start_res_us = prev[P_RES];
		s.path = path;
		s.line = (long)prev[P_LINE] + rp->line_base;
		s.file_index = rp->file_base + file;
		if (rp->sink->sample(rp->sink->ctx, &s) != 0)
			return -1;
	}
	return 0;
}

void batch_replay_release(struct batch_replay *rp)
{
	free(rp->last);
	rp->last = NULL;
	rp->lastcap = rp->lastlen = 0;
	rp->have_last = 0;
}
