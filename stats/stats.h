/*
 * stats: per repetition and per group statistics (stats-spec.md, "Units"
 * and "Per group"), and `describe` for any list of numbers.
 *
 *   struct stats_table *t = stats_table_new(nkeys, keys, steady);
 *   stats_table_add(t, ...) for every operation    (or stats_table_read)
 *   stats_write(t, &opts, dir)    -> reps.csv, summary.csv, hist.csv
 *   stats_table_free(t);
 *
 * A group is one combination of label values (a configuration in a cell);
 * the statistical unit is the repetition, identified by (input file, rep
 * number): two files with the same labels are more repetitions, never one.
 * Failed operations are counted and never timed: every operation figure is
 * of the successful ones.  summary.csv has one row per group and metric
 * (lib/metric.h).  Functions return 0 or -1 after
 * reporting through diag.
 */
#ifndef VMNETRANK_STATS_H
#define VMNETRANK_STATS_H

/* start_res of an operation that has no start stamp at all (a runner that
 * gives durations only: hyperfine, siege -v, curl -w): its repetition has
 * no wall time, and reps.csv's start_res_us is empty. */
#define STATS_NO_STAMP (INT64_MAX - 1)

/* The default of stats_options.exact_ops: 2^20 operations of a group
 * (16 MB of durations and their sort buffer per thread). */
#define STATS_EXACT_OPS 1048576

#include <stddef.h>
#include <stdint.h>

struct stats_options {
	double confidence; /* e.g. 0.95 */
	int steady;        /* compute on the operations after MSER-5 */
	int threads;       /* 2: groups computed on two threads (same output) */
	const char *ok_status; /* reading samples.csv: what succeeds */
	/* a group of more successful operations has its operation figures
	 * (op_p50 ... op_p999, hist.csv) from a log-linear histogram, within
	 * LOGHIST_REL_ERROR, not from every duration kept; 0: always exact */
	uint64_t exact_ops;
};

struct stats_table;

/* KEYS are the label names in output order; they must include
 * "workload" and "direction".  KEEP_BYTES keeps per-operation bytes
 * (needed by --steady). */
struct stats_table *stats_table_new(size_t nkeys, const char *const *keys,
				    int keep_bytes);
void stats_table_free(struct stats_table *t);

/* The number of input file NAME (N bytes), for stats_table_add(); a
 * repetition is (file, rep).  UINT32_MAX when out of memory. */
uint32_t stats_table_file(struct stats_table *t, const char *name, size_t n);

/* One operation.  LABELS[k] (LENS[k] bytes, not necessarily terminated)
 * are its label values; SAME says they equal the previous call's.  BYTES
 * < 0: unknown.  START_RES: how fine start_us is (us, 1: exact).  FAILED:
 * its status was a failure. */
int stats_table_add(struct stats_table *t, const char *const *labels,
		    const size_t *lens, int same, uint32_t file, int64_t rep,
		    int64_t start_us, int64_t end_us, int64_t bytes,
		    int64_t start_res, int failed);

/* Read samples.csv (from ingest or any tool writing the same columns).
 * THREADS = 2 reads a large regular file in two halves at once (same
 * result; anything unusual, and it is read in order).  OK_STATUS: the
 * statuses that succeed (lib/status.h), NULL: only empty and "ok", as
 * ingest writes them. */
struct stats_table *stats_table_read(const char *path, int keep_bytes,
				     int threads, const char *ok_status);

/* Compute and write DIR/reps.csv, DIR/summary.csv and DIR/hist.csv. */
int stats_write(struct stats_table *t, const struct stats_options *o,
		const char *dir);

/* `vmnetrank describe`: INPUTS files ("-" or none: stdin). */
struct describe_options {
	const char *column; /* NULL: one number per line */
	double confidence;
	int csv;
};
int stats_describe(const char *const *inputs, size_t n,
		   const struct describe_options *o);

#endif
