/* Private interface between the ingest core and its format readers. */
#ifndef VMNETRANK_INGEST_INT_H
#define VMNETRANK_INGEST_INT_H

#include "ingest.h"
#include "../lib/labels.h"
#include "../lib/lines.h"

#include <nettle/sha2.h>

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

/* One repetition of one group of a file, as its rows arrive (groups.c). */
struct frep {
	int64_t rep, min_start, max_end, busy;
	long ops;
};

/* One group of a file: rows with the same label values. */
struct fgroup {
	char *key;          /* the label values, joined by \x1f */
	size_t keylen;
	struct keyset seen; /* (rep, seq) pairs used */
	struct frep *reps;  /* sorted by rep */
	size_t nreps, capreps, last;
};

struct fgroups {
	struct fgroup *g;
	size_t n, cap;
	size_t *hash;
	size_t hcap;
};

/* The group with KEY (N bytes), made when new; its index, or -1. */
long fgroups_find(struct fgroups *s, const char *key, size_t n);
void fgroups_clear(struct fgroups *s);
void fgroups_release(struct fgroups *s);
/* Merge the groups of a later part of a file into INTO: 1 (nothing
 * merged) when a (rep, seq) of FROM is in INTO already, 0, -1 without
 * memory. */
int fgroups_merge(struct fgroups *into, const struct fgroups *from);
/* 1 if (REP, SEQ) was seen in the group already, 0 if new, -1 no memory */
int fgroup_seen(struct fgroup *g, int64_t rep, int64_t seq);
/* The tally of repetition REP (made when new), or NULL. */
struct frep *fgroup_rep(struct fgroup *g, int64_t rep);
void frep_add(struct frep *r, int64_t start, int64_t end);

struct ifile {
	char *path;             /* as given: shown in messages and outputs */
	char *spool;            /* a pipe's bytes, read once: the file to
	                           open instead ("/proc/self/fd/N"), or NULL */
	int spool_fd;
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
	long failed;            /* operations whose status is a failure */
	long skipped_rows;      /* rows a preset leaves out (JMeter's
	                           transaction controllers) */
	const char *skip_what;  /* ... what they are */
	int interrupted;
	int has_server;
	int walked;             /* found by walking a folder (not named) */
	size_t src;             /* its source (options): 0, the command
	                           line, or a --sources line */
	int skipped;            /* walked, and not a timing log */
	int own_reps;           /* the log numbers its repetitions itself */
	int64_t rep_from;       /* rep number set by a rep= folder, or -1 */
	int single_client;      /* one client: operations cannot overlap */
	long expected_ops;      /* operations per repetition the header
	                           promises (meta.ops), or 0 */
	int tail;               /* TAIL_*: how the log ends */
	int64_t start_res;      /* finest start-time resolution seen, us */
	int st_zero;            /* default status rule: saw 0 ... */
	long st_http;           /* ... and integers 100-399 */
	char *unused;           /* csv/tsv: columns no --map uses */
	/* a partial last repetition, left out (interrupted logs) */
	int drop;
	char *drop_key;
	int64_t drop_rep;
	long left_out, drop_others;
	long only_partial;      /* its only repetition is short: its ops */
	/* SHA-256 of the file fed by the reader's own pass (inputs.c) */
	struct sha256_ctx sha;
	const struct lines *sha_by; /* the reader feeding it, or NULL */
	int sha_done;
	char sha_hex[65];
};

enum { TAIL_UNKNOWN = 0, TAIL_FINISHED, TAIL_INTERRUPTED, TAIL_KILLED };

/* What a format reader hands the core for one row. */
struct row {
	int64_t rep, seq, start_us, end_us, bytes, server_us;
	int64_t start_res; /* resolution of start_us in this row, us */
	int warmup; /* a warm-up operation (the warmup column) */
	int judged;   /* the status is judged already (samples.csv): "ok" or
	                 empty succeeds, anything else failed */
	int no_stamp; /* a duration alone (end_us - start_us; start_us 0):
	                 the runner gives no start stamp */
	const char *status;
	size_t status_len;
	long line;
	long src_line; /* samples.csv: the line in the raw log (0: LINE) */
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
	/* read the header: labels, meta, rowkeys; 0, -1, or 1 for a file
	 * found by walking a folder that is no timing log at all (skipped) */
	int (*scan)(struct ingest *ing, struct ifile *f);
	/* stream the rows through ingest_row / ingest_bad_row; 0 or -1 */
	int (*read)(struct ingest *ing, struct ifile *f);
};

extern const struct format format_samples;
extern const struct format format_native, format_csv, format_tsv,
	format_paper_web, format_paper_samba, format_ab, format_jmeter,
	format_curl, format_siege, format_hyperfine, format_iperf3;

/* fmt_delim.c's siege log, for fmt_runner.c's siege format */
int delim_probe_siege_log(const char *s, size_t n);
int delim_scan_siege_log(struct ingest *ing, struct ifile *f);
int delim_read_siege_log(struct ingest *ing, struct ifile *f);

/*
 * A part of a file to read (workers.c cuts a large native log so that
 * several workers parse it): the records that start in [from, to) (to 0:
 * the end), the first at a line start, lines numbered from line_base + 1.
 * The reader still reads the header for the layout, and says where it
 * stopped (end: a record may go on past TO) and how many lines it read.
 * It sets unsupported, reading nothing, when it cannot read such a part
 * exactly as the whole file's reading would (not a native log; a file not
 * mapped; a part starting inside the header).
 */
struct ingest_range {
	uint64_t from, to;
	long line_base;
	uint64_t end;
	long lines;
	int unsupported;
};
/* The part of F to read, or NULL for all of it. */
struct ingest_range *ingest_range_of(const struct ingest *ing);

struct ts_zone;
/* The zone of F's date-times that carry none (--tz), or NULL. */
struct ts_zone *ingest_zone(struct ingest *ing, struct ifile *f);
/* A warning said once per run whatever the files (KEY tells them apart). */
void ingest_warn_once(struct ingest *ing, const void *key, const char *fmt,
		      ...) __attribute__((format(printf, 3, 4)));
/* A row a format leaves out on purpose (WHAT they are, for the warning). */
void ingest_skip_row(struct ingest *ing, struct ifile *f, const char *what);

/* core services for the formats */
/* The options every input shares (keep_going, no_fast_path, threads) */
const struct ingest_options *ingest_opts(const struct ingest *ing);
/* The options of F's source: format, maps, labels, name pattern, date... */
const struct ingest_options *ingest_file_opts(const struct ingest *ing,
					      const struct ifile *f);
/* Is the column named S (N bytes) one of F's --ignore?  (Remembered, so
 * that an --ignore no input has is warned about.) */
int ingest_ignored(struct ingest *ing, struct ifile *f, const char *s,
		   size_t n);
/* Check and hand on one row; 0, or -1 to stop reading the file. */
int ingest_row(struct ingest *ing, struct ifile *f, const struct row *r);
/* A bad row: an error, or a reject with keep_going. */
void ingest_bad_row(struct ingest *ing, struct ifile *f, long line, long col,
		    const char *raw, size_t rawlen, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* A warning about the file (silent while counting a file's rows). */
void ingest_warn(struct ingest *ing, struct ifile *f, long line, long col,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
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

/*
 * The rows that follow come from the raw log PATH (N bytes) that a
 * samples.csv input names in its source column: they are that log's
 * repetitions (its own file, so never merged with another's), their
 * source stays PATH:LINE.  0, or -1 when PATH was an input already (its
 * repetitions would count twice).
 */
int ingest_subfile(struct ingest *ing, struct ifile *f, const char *path,
		   size_t n, long line);

/* Free P with the ingest. */
void ingest_keep(struct ingest *ing, void *p);
/* Mark the run failed (an input could not be added). */
void ingest_fail(struct ingest *ing);

/* File I of the run. */
const struct ifile *ingest_ifile(const struct ingest *ing, size_t i);

/* Add a key the rows may set. */
int ifile_add_rowkey(struct ifile *f, const char *key, size_t n);

/* The file to open for F: its spooled copy for a pipe, else its path. */
static inline const char *ifile_open_path(const struct ifile *f)
{
	return f->spool ? f->spool : f->path;
}

/* The file's SHA-256 computed from the bytes reader L maps or reads as it
 * parses (inputs.c): attach right after opening F's main read, finish
 * before closing it. inputs.csv reads the file again only where the
 * reader did not see it all (a range, a read that stopped). */
void ingest_hash_attach(struct ingest *ing, struct ifile *f, struct lines *L);
void ingest_hash_finish(struct ifile *f, struct lines *L);
/* A reader that closes the file before its end (to read it again) lets go
 * of the digest. */
void ingest_hash_drop(struct ifile *f, struct lines *L);

#endif
