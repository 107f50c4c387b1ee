/* Private interface between the ingest core and its format readers. */
#ifndef VMNETRANK_INGEST_INT_H
#define VMNETRANK_INGEST_INT_H

#include "ingest.h"
#include "../lib/labels.h"

struct kv {
	char *key;
	char *value;
	long line; /* where it was read, 0 for the path or the command line */
};

struct kvlist {
	struct kv *v;
	size_t n, cap;
};

/* duplicate (rep, seq) detection in O(repetitions) memory for ordered logs */
struct keyset {
	uint64_t *lo, *hi;
	size_t n, cap;
};

struct ifile {
	char *path;
	const struct format *fmt;
	struct kvlist labels;   /* from the path, then the header */
	struct kvlist meta;     /* header metadata (host, tool, ...) */
	char **rowkeys;         /* label keys the rows may set */
	size_t nrowkeys;
	long header_lines;
	const char **values;    /* per key after prepare: file-level values */
	size_t *rowkey_index;   /* rowkeys[i] -> key index */
	long rows, rejected, bad;
	long warmup;            /* warm-up operations (left out unless
	                           include_warmup) */
	int interrupted;
	int has_server;
};

/* What a format reader hands the core for one row. */
struct row {
	int64_t rep, seq, start_us, end_us, bytes, server_us;
	int warmup; /* a warm-up operation (the warmup column) */
	const char *status;
	size_t status_len;
	long line;
	long col_start, col_end, col_rep, col_seq; /* for diagnostics */
	const char *raw;
	size_t rawlen;
	/* per row labels: values for the file's rowkeys (NULL: unset) */
	const char *const *rowvals;
	const size_t *rowval_lens;
	int rowvals_changed;
};

struct format {
	const char *name;
	/* 0: not this format; higher: more certain */
	int (*probe)(const char *head, size_t len);
	/* read the header: labels, meta, rowkeys; 0 or -1 */
	int (*scan)(struct ingest *ing, struct ifile *f);
	/* stream the rows through ingest_row / ingest_bad_row; 0 or -1 */
	int (*read)(struct ingest *ing, struct ifile *f);
};

extern const struct format format_native, format_csv, format_tsv,
	format_paper_web, format_paper_samba;

/* core services for the formats */
const struct ingest_options *ingest_opts(const struct ingest *ing);
/* Check and hand on one row; 0, or -1 to stop reading the file. */
int ingest_row(struct ingest *ing, struct ifile *f, const struct row *r);
/* A bad row: an error, or a reject with keep_going. */
void ingest_bad_row(struct ingest *ing, struct ifile *f, long line, long col,
		    const char *raw, size_t rawlen, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* A problem with the whole file: always an error. */
void ingest_file_error(struct ingest *ing, struct ifile *f, long line,
		       long col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

int kvlist_set(struct kvlist *l, const char *key, size_t klen,
	       const char *value, size_t vlen, long line);
const char *kvlist_get(const struct kvlist *l, const char *key);
void kvlist_release(struct kvlist *l);

int utf8_ok(const char *s, size_t n);

/* Check every --map once; 0, or -1 after usage diagnostics. */
int ingest_check_maps(const struct ingest_options *o);

/* File I of the run. */
const struct ifile *ingest_ifile(const struct ingest *ing, size_t i);

/* Add a key the rows may set. */
int ifile_add_rowkey(struct ifile *f, const char *key, size_t n);

#endif
