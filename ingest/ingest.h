/*
 * ingest: raw timing logs from any runner -> labelled samples.
 *
 * Usage:
 *   struct ingest *ing = ingest_new(&opts);
 *   ingest_add_path(ing, "logs/");            // files, or folders walked
 *   if (ingest_prepare(ing) == 0)             // detect formats, read headers,
 *                                             // settle the label columns
 *       ingest_run(ing, &sink);               // stream every sample
 *   ingest_free(ing);
 *
 * Formats (see README "Log formats"): native (vmnetrank-log 1), csv, tsv,
 * paper-web, paper-samba, the runners' own files (ab, jmeter, hyperfine,
 * iperf3, siege, curl) and samples (a samples.csv read back); "auto"
 * detects by content.  Inputs may carry options of their own (sources).  Labels come, later
 * wins, from key=value folders in the path, the log's header, columns of
 * the rows, and ingest_options.labels.  Every sample ends up with a
 * `direction` (internal or external) and a `workload`.
 *
 * What a sample is (README, "Data model"):
 *   - its status is normalised: "ok" for a success by the status rule
 *     (lib/status.h, or ingest_options.ok_status), else the runner's text;
 *   - its repetition is (input file, rep): files with the same labels add
 *     repetitions, never merge into one; within a file, (rep, seq) is
 *     unique per group of label values (long-format CSV);
 *   - it says how fine its start stamp is (start_res_us): 1 s for ab -g
 *     and paper-samba, where the wall time of a repetition is unknowable;
 *   - the partial last repetition of an interrupted log is left out.
 *
 * Problems are reported through diag as FILE:LINE:COL; functions return 0
 * or -1.  With keep_going, a bad row goes to the sink's reject callback
 * instead of failing the run.  Files found by walking a folder that are no
 * timing log (a README, notes.txt) are skipped with one warning.  Input
 * files are only ever read.
 */
#ifndef VMNETRANK_INGEST_H
#define VMNETRANK_INGEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ingest_options {
	const char *format;          /* NULL or "auto": detect */
	const char *const *labels;   /* "KEY=VALUE" */
	size_t nlabels;
	const char *const *maps;     /* "FIELD=COLUMN[:UNIT]" */
	size_t nmaps;
	const char *name_pattern;    /* paper-web cmdLine tokens, comma list */
	const char *date;            /* paper-samba: YYYY-MM-DD of the log */
	const char *ok_status;       /* NULL: the default status rule */
	const char *tz;              /* zone of date-times without one */
	int no_header;               /* csv/tsv: the first row is data */
	const char *const *ignore;   /* csv/tsv columns not to warn about */
	size_t nignore;
	int keep_going;
	int include_warmup;          /* keep rows marked warmup=1 */
	int no_fast_path;            /* every CSV line through libcsv */
	int64_t now_us;              /* "now" for the future check; 0: clock */
	int threads;                 /* 2: hand samples to the sink on a second
	                                thread (same output); 0 or 1: one */
	long long split_bytes;       /* with threads > 1: native logs larger
	                                than this are parsed in parts of
	                                about this size by several workers;
	                                0: INGEST_SPLIT_BYTES (2 MiB when
	                                the workers format samples.csv
	                                rows, see workers.c); < 0: never */
	int digests;                 /* take each input's SHA-256 while
	                                parsing (inputs.csv will be written) */
};

#define INGEST_SPLIT_BYTES (64LL << 20)

#define INGEST_NO_BYTES (-1)
#define INGEST_NO_SERVER INT64_MIN

struct ingest_sample {
	const char *const *labels; /* one per key, NULL where unset */
	unsigned long labels_gen;  /* changes whenever labels change */
	int64_t rep, seq;
	int64_t start_us, end_us;
	int64_t bytes;             /* INGEST_NO_BYTES when unknown */
	int64_t server_us;         /* INGEST_NO_SERVER when unknown */
	int64_t start_res_us;      /* resolution of start_us (1: exact);
	                              0: no start stamp at all (a duration
	                              alone: end_us - start_us, start_us 0) */
	const char *status;        /* "ok" or the failure */
	size_t status_len;
	const char *path;
	long line;
	size_t file_index;
};

struct ingest_reject {
	const char *path;
	long line, col;
	const char *reason;
	const char *raw; /* the offending text as it stands in the file */
	size_t rawlen;
};

struct ingest_sink {
	int (*sample)(void *ctx, const struct ingest_sample *s);
	int (*reject)(void *ctx, const struct ingest_reject *r);
	void *ctx;
	/* optional, for a sink that only writes samples.csv: rows already
	 * formatted as its text (samples.h), in their order, in place of
	 * the samples they come from; 0, or -1 when the sink failed.  The
	 * parsing workers then format their own samples (workers.c). */
	int (*text)(void *ctx, const char *rows, size_t len);
};

struct ingest;

struct ingest *ingest_new(const struct ingest_options *opts);
void ingest_free(struct ingest *ing);

/* Add a file, or every regular file below a folder (sorted by name; names
 * starting with "." are skipped). */
int ingest_add_path(struct ingest *ing, const char *path);

/*
 * Sources: inputs with options of their own.  ingest_add_source() lays
 * ADD over the options ingest_new() was given (labels, maps and ignores
 * added after them; format, ok_status, tz, name_pattern, date replaced
 * when set; no_header set) and returns the source's number, or -1;
 * WHERE ("FILE:LINE", may be NULL) names it in messages.  Paths added
 * after ingest_use_source(ing, N) belong to source N (0: the command
 * line's).  ADD's strings must outlive the ingest.
 */
long ingest_add_source(struct ingest *ing, const struct ingest_options *add,
		       const char *where);
void ingest_use_source(struct ingest *ing, size_t src);

/* A --sources file (README "Mixing runners"): one input a line, with its
 * own options.  0, or -1 after FILE:LINE:COL messages. */
int ingest_add_sources(struct ingest *ing, const char *file);

/* Detect formats and read every header; fixes the label keys. */
int ingest_prepare(struct ingest *ing);

/* Label keys in output order: factors by name, then workload, direction. */
size_t ingest_nkeys(const struct ingest *ing);
const char *ingest_key(const struct ingest *ing, size_t i);
/* Whether any input has server-side times (paper-web). */
int ingest_has_server(const struct ingest *ing);

/* Stream every sample to the sink, in file order then line order.  With
 * threads = 2 the sink's sample() runs on a second thread (reject() stays
 * on the calling one). */
int ingest_run(struct ingest *ing, const struct ingest_sink *sink);

/* Per-file facts, for provenance. */
size_t ingest_nfiles(const struct ingest *ing);
const char *ingest_file_path(const struct ingest *ing, size_t i);
const char *ingest_file_format(const struct ingest *ing, size_t i);
long ingest_file_rows(const struct ingest *ing, size_t i);
long ingest_file_rejected(const struct ingest *ing, size_t i);
long ingest_file_warmup(const struct ingest *ing, size_t i);
long ingest_file_failed(const struct ingest *ing, size_t i);

long ingest_total_rows(const struct ingest *ing);
long ingest_total_rejected(const struct ingest *ing);

/* inputs.csv: every input file with its format, size, SHA-256, rows
 * taken and rejected, and its header metadata (after ingest_run). */
int ingest_write_inputs(struct ingest *ing, FILE *out);

/* The names of the formats, NULL-terminated, in detection order. */
const char *const *ingest_format_names(void);

/*
 * samples.csv: ingest_write_samples() runs the whole stage into OUT (NULL:
 * write no samples) and bad rows into REJECTS when keep_going (REJECTS may
 * be NULL otherwise).  ALSO, when not NULL, is handed every sample too
 * (`vmnetrank run` fills the stats stage's table from it).
 */
int ingest_write_samples(struct ingest *ing, FILE *out, FILE *rejects,
			 const struct ingest_sink *also);

#endif
