/* Private to the stats stage: the table of operations. */
#ifndef VMNETRANK_STATS_INT_H
#define VMNETRANK_STATS_INT_H

#include "stats.h"
#include "../lib/loghist.h"
#include "../lib/metric.h"

struct op {
	int64_t start;
	int64_t dur;
	uint32_t rep;    /* index into stats_table.reps */
	uint32_t failed;
};

/* Stamps, durations and byte counts read stay below 2^53 (epoch
 * microseconds to the year 2255), so that no sum or difference of them
 * overflows and every one is exact as a double. */
#define STATS_FIELD_MAX INT64_C(9007199254740991)

/* A repetition's figures on all its operations, or on those after its
 * MSER-5 warm-up: computed when it is closed (stats/repclose.c), so that
 * its operations can be let go. */
struct repfig {
	int64_t number;
	uint32_t file;
	size_t ops, ok, warmup, failed;
	int steady;       /* 1 yes, 0 no, -1 n/a */
	int64_t res;      /* finest start-stamp resolution */
	int64_t start;    /* its first start (us); INT64_MAX when unknown */
	int64_t bytes;
	int bytes_known;
	int wall_unknown; /* its stamps are coarser than its operations */
	double v[M_COUNT]; /* each metric; NaN where it has none */
	double within_var; /* NaN with fewer than 2 successful ops */
	double mean;       /* of the successful durations used; NaN: none */
	double lag_num, lag_den; /* its part of the pooled lag-1 sums */
};

/* A group's successful durations of one pass (all, steady): every one
 * while the group has at most exact_ops successful operations, then their
 * histogram (both passes switch together, on the count of the first). */
struct gacc {
	uint64_t *dur;
	size_t n, cap;
	struct loghist hist;
	int approx;
};

struct rep {
	uint32_t group;
	uint32_t file;   /* index into stats_table.files */
	int64_t number;
	int64_t min_start, max_end, bytes; /* bytes of successful ops */
	int64_t res;     /* finest start-time resolution of its ops, us */
	uint32_t ops, failed;
	int bytes_unknown;
	struct repfig *fig; /* once closed: [0] all, [1] steady (--steady);
			       its operations are gone */
};

struct group {
	char **values; /* one per key ("" when unset) */
	uint32_t *reps;
	size_t nreps, capreps;
	struct gacc acc[2]; /* [0] all, [1] steady */
};

struct repwork; /* repclose.c's scratch */

struct stats_table {
	char **keys;
	size_t nkeys;
	int keep_bytes;
	struct group *groups;
	size_t ngroups, capgroups;
	struct rep *reps;
	size_t nreps, capreps;
	struct op *ops;
	void *ops_map;     /* ops lie in this reserved mapping (fixed size) */
	size_t ops_maplen; /* its length; 0 when another table owns it */
	int64_t *bytes; /* per op, only with keep_bytes */
	size_t nops, capops, capbytes;
	/* hash: label tuple -> group */
	uint32_t *ghash;
	size_t ghcap;
	/* hash: (group, rep number) -> rep */
	uint32_t *rhash;
	size_t rhcap;
	uint32_t last_group, last_rep;
	int have_last;
	char **files;   /* input file names (repetition identity) */
	size_t nfiles, capfiles;
	char *keybuf;
	size_t keybufcap;
	/* closing repetitions as their files end (repclose.c) */
	int steady;            /* figures of the steady state too */
	uint64_t exact_ops;    /* stats_options.exact_ops */
	size_t hold_ops;       /* past this many held operations, close the
				  repetitions at a file's end; 0: never */
	uint64_t nops_total;   /* every operation added, held or not */
	uint32_t last_file;    /* the file of the last operation added */
	int have_file;
	int keep_first;        /* a half (table_read.c): its first file's
				  repetitions stay held, to be merged */
	uint32_t first_file;
	struct repwork *rw;
	int from_reps;         /* read from repetition rows: no operations */
};

/* A whole number field of a CSV row read by stats, in [LO, STATS_FIELD_MAX]:
 * 0, or -1 after a PATH:LINE:COL message saying WHAT was expected (QUIET:
 * no message). */
struct csvfield;
int table_field_i64(const char *path, const struct csvfield *f, int64_t lo,
		    const char *what, int64_t *v, int quiet);

/* Is S (N bytes, not terminated) one of the NULL-ended LIST? */
int table_name_in(const char *const *list, const char *s, size_t n);

/* Make *P (of *CAP elements of SIZE) hold at least NEED, doubling; 0 or
 * -1 (out of memory: *P as it was). */
int table_grow(void **p, size_t *cap, size_t need, size_t size);

/* Give back to the kernel the whole pages of [LO, HI), in an operations
 * area that is mapped (ops_map): they read as zeros if touched again. */
void table_give_back(void *lo, void *hi);

/* table_add()'s return when the operation is of a repetition already
 * closed: its rows are not together in the input. */
#define TABLE_SCATTERED (-2)

/* Close every held repetition (all but those of file KEEP; UINT32_MAX:
 * none kept): compute its figures, add its durations to its group, let its
 * operations go.  0, TABLE_TOO_MANY (2^31 or more held and out of order:
 * they cannot be sorted), or -1 when out of memory. */
#define TABLE_TOO_MANY (-3)
int table_close_held(struct stats_table *t, uint32_t keep);
/* Every held repetition closed, as table_close_held(T, UINT32_MAX) does,
 * on two threads when THREADS > 1 and at least CLOSE_SPLIT_MIN operations
 * of two groups or more are held (the groups shared out by their
 * operations; each group's repetitions closed in their order on one). */
#define CLOSE_SPLIT_MIN 4096
int table_close_all(struct stats_table *t, int threads);
/* Move B's durations into A (the same group of two halves of a table). */
int gacc_merge(const struct stats_table *t, struct gacc a[2],
	       struct gacc b[2]);
/* One duration; a histogram's values (the accumulator becomes one); the
 * switch to histograms past exact_ops (after adding).  0 or -1. */
int gacc_add_value(struct gacc *a, uint64_t v);
int gacc_to_hist(struct gacc *a);
int gacc_take_hist(struct gacc *a, const struct loghist *h);
int gacc_settle(const struct stats_table *t, struct gacc acc[2]);
void gacc_init(struct gacc *a);
void gacc_release(struct gacc *a);
void repwork_free(struct repwork *rw);

/* table.c's lookups, for table_read.c: a group by its label values, a
 * repetition by (group, file, number), made when missing (-1: out of
 * memory); table_add() is stats_table_add() without the report, safe on
 * a worker thread. */
long table_find_group(struct stats_table *t, const char *const *labels,
		      const size_t *lens);
long table_find_rep(struct stats_table *t, uint32_t g, uint32_t file,
		    int64_t number);
int table_add(struct stats_table *t, const char *const *labels,
	      const size_t *lens, int same, uint32_t file, int64_t rep,
	      int64_t start_us, int64_t end_us, int64_t bytes,
	      int64_t start_res, int failed);

/* The columns of reps.csv and summary.csv after the labels (NULL-ended):
 * written by compute.c, read back by rank.c. */
extern const char *const stats_reps_cols[];
extern const char *const stats_summary_cols[];

#endif
