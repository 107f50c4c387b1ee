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

/* The default of stats_options.exact_ops: 2^17 successful operations of
 * a group (1 MB of durations, 9 histograms; the demo's largest groups have
 * 100,000). */
#define STATS_EXACT_OPS 131072
/* The default of stats_options.hold_ops: 2^21 operations (48 MB). */
#define STATS_HOLD_OPS ((size_t)1 << 21)

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
	/* past this many operations held, the repetitions of the files read
	 * are computed at the next file's start and their operations let go
	 * (memory bounded by the largest file); 0: every operation is held
	 * until stats_write().  The figures are the same either way. */
	size_t hold_ops;
};

struct stats_table;

/* KEYS are the label names in output order; they must include
 * "workload" and "direction".  O's steady, exact_ops and hold_ops are the
 * table's (stats_write() must be given the same). */
struct stats_table *stats_table_new(size_t nkeys, const char *const *keys,
				    const struct stats_options *o);
void stats_table_free(struct stats_table *t);

/* The number of input file NAME (N bytes), for stats_table_add(); a
 * repetition is (file, rep).  UINT32_MAX when out of memory. */
uint32_t stats_table_file(struct stats_table *t, const char *name, size_t n);

/* One operation.  LABELS[k] (LENS[k] bytes, not necessarily terminated)
 * are its label values; SAME says they equal the previous call's.  BYTES
 * < 0: unknown.  START_RES: how fine start_us is (us, 1: exact).  FAILED:
 * its status was a failure.  -2 (nothing said) when its repetition was
 * closed already: its rows are not together (see hold_ops). */
int stats_table_add(struct stats_table *t, const char *const *labels,
		    const size_t *lens, int same, uint32_t file, int64_t rep,
		    int64_t start_us, int64_t end_us, int64_t bytes,
		    int64_t start_res, int failed);

/* Read samples.csv (from ingest or any tool writing the same columns).
 * O->threads = 2 reads a large regular file in two halves at once (same
 * result; anything unusual, and it is read in order).  O->ok_status: the
 * statuses that succeed (lib/status.h), NULL: only empty and "ok", as
 * ingest writes them.  Rows of a repetition that are not together past
 * O->hold_ops: read again, holding every operation. */
struct stats_table *stats_table_read(const char *path,
				     const struct stats_options *o);

/* Shards (stats/shard.c, README "Shards"): T's repetitions closed and
 * written with its groups' durations to PATH (T made with steady = 1, so
 * that a shard serves stats with and without --steady); is PATH one; the
 * table of several, as if one run had read all their logs (their
 * --exact-ops must be O's).  0 / NULL after messages. */
int stats_shard_write(struct stats_table *t, const char *path);
int stats_is_shard(const char *path);
struct stats_table *stats_shards_read(const char *const *paths, size_t n,
				      const struct stats_options *o);

/* Repetition rows (reps.csv's columns, as contrib/duckdb/reps.sql writes
 * them from any engine): their table, every figure of a repetition from
 * its row (stats/reps_read.c).  NULL after messages. */
struct stats_table *stats_reps_read(const char *path,
				    const struct stats_options *o);

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
