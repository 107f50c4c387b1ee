/* What the ingest core's files share (ingest.c, ingest_files.c,
 * ingest_prepare.c, ingest_run.c): the state of one ingest and of its
 * sources.  Private to them: the formats see ingest_int.h only. */
#ifndef VMNETRANK_INGEST_CORE_H
#define VMNETRANK_INGEST_CORE_H

#include "ingest_int.h"
#include "../lib/status.h"
#include "../lib/timestamp.h"

/* 1990-01-01T00:00:00Z in microseconds */
#define MIN_EPOCH_US INT64_C(631152000000000)
#define DAY_US INT64_C(86400000000)
#define HEAD_BYTES 4096

#define FORMAT_LIST "native, csv, tsv, paper-web, paper-samba, ab, " \
	"jmeter, hyperfine, iperf3, siege, curl, samples"

/*
 * A source: inputs that share options.  Source 0 is the command line's;
 * each line of a --sources file makes one more, its options laid over the
 * command line's (labels and maps added, the line's winning; format, status
 * rule, zone, name pattern and date replaced).
 */
struct source {
	struct ingest_options o;   /* the options in force */
	struct kvlist cli;         /* --label */
	int64_t cli_rep;           /* --label rep=N, or -1 */
	struct status_rule rule;   /* what counts as success */
	struct ts_zone zone;       /* --tz */
	char **ignores;            /* --ignore, split at commas */
	size_t nignores;
	unsigned char *ignore_found; /* per name: some input has it */
	const char **own[3];       /* merged labels, maps, ignores */
	const char *where;         /* "FILE:LINE" of a --sources line */
};


struct ingest {
	struct ingest_options opts;
	struct source **srcs;
	size_t nsrcs, cursrc;
	struct ifile *files;
	size_t nfiles, capfiles;
	char **keys;
	size_t nkeys;
	size_t key_workload, key_direction;
	int has_server;
	int failed;
	int bad_options; /* an option was refused: no file is looked at */
	const struct ingest_sink *sink;
	void *reject_ctx;
	int dry;                   /* counting a file's rows: say nothing */
	long dry_group;            /* the group of the last row counted */
	/* the groups of rows of the current file */
	struct fgroups groups;
	struct fgroup *group;      /* of the current row */
	unsigned long group_gen;
	char *keybuf;
	size_t keybufcap;
	/* labels of the current row */
	const char **cur;
	char **rowcopy;       /* per rowkey: our NUL-terminated copy */
	size_t nrowcopy;
	size_t *rowcopy_len;
	size_t *rowcopy_cap;
	unsigned long gen;
	long total_rows, total_rejected;
	int64_t now_us;
	const void *warned[16];      /* ingest_warn_once keys */
	size_t nwarned;
	void **kept;                 /* ingest_keep */
	size_t nkept;
	/* the raw logs read so far, as named (inputs, and the sources of
	 * samples.csv inputs), so that none is counted twice */
	char **seen;
	size_t nseen;
	const char *sub;             /* ingest_subfile's path (in seen), or
	                                NULL */
	size_t last_seen;
	size_t serial;               /* changes with every file or subfile */
	struct worker *worker;       /* a parsing worker's copy: its own */
	struct ingest_range *range;  /* the part of the file being read */
};

/* every format, in detection order (NULL-terminated), and their names */
extern const struct format *const ingest_all_formats[];
extern const char *const ingest_all_format_names[];

/* the format named NAME, or NULL */
const struct format *ingest_format_by_name(const char *name);


/* shared between the stage's files (split by concern) */

int ingest_seen_before(struct ingest *ing, const char *path, size_t n);
struct source *ingest_src_of(const struct ingest *ing, const struct ifile *f);
int ingest_split_ignores(struct source *src);
int ingest_rep_number(const char *s, int64_t *out);
void ingest_ifile_release(struct ifile *f);
int ingest_check_twice(struct ingest *ing);
const char *ingest_direction_value(const char *v, size_t n);

/* The state of reading rows (current labels, their copies, the file's
 * groups): made once the keys are known (NROWCOPY: the most row label
 * columns of a file), and freed; a parsing worker has its own. */
int ingest_row_state_alloc(struct ingest *ing, size_t nrowcopy);
void ingest_row_state_release(struct ingest *ing);

/* Whether F may be read (not a log a samples.csv input held already: an
 * error); noted as read. */
int ingest_may_read(struct ingest *ing, struct ifile *f);
/* Read F through ING's sink: its rows, then what they said of it. */
void ingest_read_file(struct ingest *ing, struct ifile *f);
/* The steps of that for a file read in parts: before a part (KEEP: the
 * groups of the parts before stay), and once all are read (READ_FAILED:
 * the reading failed, so no "no data rows"). */
void ingest_begin_part(struct ingest *ing, struct ifile *f, int keep);
void ingest_end_file(struct ingest *ing, struct ifile *f, int read_failed);

/* workers.c: read the files on opts.threads parsing workers, the sink
 * fed on the calling thread in file order (the same calls as one thread
 * makes): 0 or -1 when done, 1 when the files are read on this thread
 * instead (one thread, fewer than two files a worker can take, or a
 * --tz zone by name: its lookups are not thread-safe). */
int ingest_run_workers(struct ingest *ing);
/* A once-per-run warning from a worker's file, said in file order. */
void ingest_worker_warn_once(struct worker *wk, const void *key,
			     const char *text);

/* how to give a log its direction, or its workload, in a message */
extern const char ingest_how_direction[];
extern const char ingest_how_workload[];

#endif
